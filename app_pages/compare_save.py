"""Compare's "Save this scenario" box: the current share link saved in the team workspace
(``scenarios.workspace.store``) under a name, with owner, team, tags and notes. The database
is reached only on the click, so Compare never waits for it; what goes wrong is one line."""

from __future__ import annotations

import streamlit as st

from app_pages import workspace
from app_pages.common import plain
from scenarios.links import compare as compare_link
from scenarios.scenario import Scenario
from scenarios.workspace.store import WorkspaceError

K = "cmp_save_"


def box(scenario: Scenario, url: str) -> None:
    """The expander under Compare's share link; ``url`` is the link Compare shows."""
    state = st.session_state
    with st.expander("Save this scenario", icon=":material/bookmark_add:"):
        who = workspace.identity(prefix=K)
        if who.auth and not who.signed_in:
            return
        if K + "name" not in state or state.get(K + "for") != url:
            state[K + "name"] = scenario.name or state.get(K + "name", "")
            state[K + "for"] = url
        st.text_input("Name", key=K + "name", max_chars=80, placeholder="e.g. Support bot")
        st.text_input("Tags (comma-separated)", key=K + "tags")
        st.text_area("Notes", key=K + "notes", height=70)
        if st.button("Save", key=K + "save", icon=":material/bookmark_add:", type="primary"):
            note = compare_link.book_note(scenario)
            if note:
                st.error(plain(f"Not saved: {note}"), icon=":material/error:")
                return
            store = workspace.open_store()
            if store is None:
                return
            try:
                saved = store.add(
                    url,
                    state[K + "name"],
                    team=who.team,
                    owner=who.owner,
                    tags=state[K + "tags"],
                    notes=state[K + "notes"],
                )
            except WorkspaceError as exc:
                st.error(plain(f"Not saved: {exc}"), icon=":material/error:")
                return
            where = f" in team {saved.team}" if saved.team else ""
            st.success(
                plain(f"Saved {saved.name}{where}. The Workspace page lists it."),
                icon=":material/check:",
            )
