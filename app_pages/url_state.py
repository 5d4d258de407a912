"""The address bar: the one helper through which every page shows its view in the URL.

Streamlit's frontend pushes a browser history entry for every change of ``st.query_params``
(each key set or deleted is one), and on a page change it pushes the new page's address before
the page has written its own. Writing key by key made a fresh Compare load 9 entries deep and
kept Compare's parameters in the next page's address. So:

* a page calls ``show(page, params)`` once per run with its whole query. Nothing is sent when
  the address already holds it; otherwise one message replaces every key (``from_dict``: no
  widget of this app is bound to the URL, so it drops nothing) and other pages' keys go;
* ``HISTORY_SCRIPT``, installed once per browser tab, turns a push that changes only the query
  and that no person caused (a page arriving after a page change or a hand-over) into a
  replace. A push that follows a click or a key press (a widget changed) stays a push: one view
  is one history entry, Back returns to the previous view and leaves a page in one press;
* on the first run of a session the script itself replaces the address, and the server's copy
  of the query is set without a message: the script is not installed yet when a message would
  arrive, and a message would push;
* ``from_outside()``: this run's address was not written by the page (the first run of a
  session, Back or Forward), so the page should read it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.session_state_proxy import get_session_state

SESSION_KEY = "url_state_known"
"""Non-widget key: the queries this session's pages wrote or were opened with, newest last (a
quick click can send an older one back late: it is still the page's own)."""
KNOWN = 20

HISTORY_SCRIPT = """
(() => {
  const target = %s;
  if (target !== null && target !== window.location.search) {
    window.history.replaceState(window.history.state, "", window.location.pathname + target);
  }
  if (window.__tokenbudgetHistory) return;
  window.__tokenbudgetHistory = true;
  let acted = false;
  for (const kind of ["pointerdown", "keydown"]) {
    window.document.addEventListener(kind, () => { acted = true; }, true);
  }
  window.addEventListener("popstate", () => { acted = false; });
  const push = window.history.pushState.bind(window.history);
  const replace = window.history.replaceState.bind(window.history);
  window.history.pushState = (state, title, url) => {
    const next = new URL(url, window.location.href);
    if (next.pathname === window.location.pathname && !acted) return replace(state, title, url);
    acted = false;
    return push(state, title, url);
  };
})();
"""
"""Installs the push-to-replace rule; ``%s`` is the address's query to put in place now
(a JSON string such as ``"?v=1&req=..."``) or ``null``."""


def query_string(params: Mapping[str, str]) -> str:
    """``params`` as Streamlit writes them in the address (``?`` included; "" when empty)."""
    text = urlencode(dict(params), doseq=True)
    return f"?{text}" if text else ""


def current() -> dict[str, list[str]]:
    """The address bar's parameters, every value of repeated keys kept."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def from_outside() -> bool:
    """The address of this run came from outside the page: the session's first run (a fresh
    load, a pasted link), the browser's Back or Forward, or a query no page of this session
    wrote."""
    if current() not in st.session_state.get(SESSION_KEY, []):
        return True
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.is_history_navigation)


def show(params: Mapping[str, str | list[str]]) -> None:
    """Make the address bar hold exactly ``params`` (one value per key, or a list of them, in
    this order) in one write, or none when it already does; Streamlit's own keys (``embed``)
    are kept."""
    wanted = {
        key: list(value) if isinstance(value, list) else [value] for key, value in params.items()
    }
    first = SESSION_KEY not in st.session_state
    known = [q for q in st.session_state.get(SESSION_KEY, []) if q not in (wanted, current())]
    st.session_state[SESSION_KEY] = [*known, current(), wanted][-KNOWN:]
    same = current() == wanted and list(st.query_params) == list(wanted)
    if first:
        _script(json.dumps(query_string(params)))
        if not same:
            _set_quietly(params)
        return
    _script("null")
    if not same:
        st.query_params.from_dict(params)  # one message, embed keys kept


def show_pairs(pairs: list[tuple[str, str]]) -> None:
    """``show`` for a query whose keys may repeat (the portfolio's ``selection``): the same one
    write, each key's values in order."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    show(grouped)


def _set_quietly(params: Mapping[str, str]) -> None:
    """The server's copy of the query (and the run's, which ``AppTest`` reads) without a
    message to the browser: what ``from_dict`` does, less the push."""
    with get_session_state().query_params() as query:
        query.clear_with_no_forward_msg(preserve_embed=True)
        for key, value in params.items():
            query.set_with_no_forward_msg(key, value)
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.query_string = urlencode(dict(params), doseq=True)


def _script(target: str) -> None:
    # The target is JSON (a string or null) with "<" escaped, so no text closes the script.
    body = HISTORY_SCRIPT % target.replace("<", "\\u003c")
    st.html(f"<script>{body}</script>", unsafe_allow_javascript=True)
