"""tokenbudget: what an LLM workload costs per month, on which model, and why.

Run with ``streamlit run app.py``. Pages live in ``app_pages/``; each module draws one page from
the pure core in ``pricing/`` and ``scenarios/`` and exposes ``render()``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app_pages import common
from scenarios.links.compare import PAGE_PATHS

# The tab's icon, served by the app itself: a ":material/...:" or emoji icon is fetched from a
# font CDN, which fails offline. (A string here would be drawn on the page: Streamlit's magic.)
FAVICON = Path(__file__).parent / "app_pages" / "assets" / "favicon.png"

st.set_page_config(page_title="tokenbudget", page_icon=FAVICON, layout="wide")

# (module in app_pages/, title, icon), in the order of their URL paths, whose one home is
# ``scenarios.links.compare.PAGE_PATHS`` (share links strip them).
PAGES = [
    ("compare", "Compare", ":material/compare_arrows:"),
    ("tokenize", "Tokenize", ":material/token:"),
    ("prices", "Prices", ":material/sell:"),
    ("budget", "Budget", ":material/account_balance_wallet:"),
    ("source_check", "Source check", ":material/fact_check:"),
    ("usage", "Usage", ":material/receipt_long:"),
    ("tasks", "Tasks", ":material/task_alt:"),
    ("workspace", "Workspace", ":material/workspaces:"),
]


def _lazy(module_name: str):
    """The page's ``render``, imported on first use: the default page does not wait for the
    others' imports (tiktoken and friends)."""

    def render() -> None:
        importlib.import_module(f"app_pages.{module_name}").render()

    render.__name__ = f"render_{module_name}"
    return render


def _pages() -> list:
    pages = []
    for (module_name, title, icon), path in zip(PAGES, PAGE_PATHS, strict=True):
        page = st.Page(_lazy(module_name), title=title, icon=icon, url_path=path, default=not pages)
        common.PAGES[path] = page
        pages.append(page)
    return pages


def _default_page_by_name() -> None:
    """Open ``/compare`` (``/compare/``, with a query or not) as the default page it is.

    Streamlit serves the default page at the root only: its ``url_path`` is reserved but a
    request for it finds no page and shows "Page not found". When the address names the
    default page's path, the run is pointed at the default page (the address becomes ``/``
    with its query), as the root would be."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    manager = ctx.pages_manager
    name = (manager.intended_page_name or "").strip("/")
    if name == PAGE_PATHS[0] and not manager.intended_page_script_hash:
        manager.set_script_intent("", "")


_default_page_by_name()
st.navigation(_pages()).run()
