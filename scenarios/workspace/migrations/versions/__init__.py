"""The workspace schema's revisions, oldest first (``down_revision`` chains them)."""
