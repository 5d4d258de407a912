"""The hostile-input suite: adversarial links through every page, adversarial files through every
reader, every CSV/JSON writer under a property test. A new page, reader or writer joins it by
adding its case to ``payloads.py`` (or its writer to ``test_writers.py``).

Bounded in time: the whole folder runs in well under 60 s on the 2-core development machine
(hypothesis example counts are fixed, files are a few MB at most). The browser tests reuse
``tests/browser``'s server and Chromium fixtures and skip, as those do, without Chromium.
"""

from __future__ import annotations

from tests.browser.conftest import (
    app_url,
    browser_context_args,
    browser_type_launch_args,
    workspace_database,
)

__all__ = ["app_url", "browser_context_args", "browser_type_launch_args", "workspace_database"]
