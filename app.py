"""tokenbudget: what an LLM workload costs per month, on which model, and why.

Run with ``streamlit run app.py``. Pages live in ``app_pages/``; each module draws one page from
the pure core in ``pricing/`` and ``scenarios/`` and exposes ``render()``.
"""

from __future__ import annotations

import importlib

import streamlit as st

from app_pages import common

st.set_page_config(page_title="tokenbudget", page_icon=":material/savings:", layout="wide")

# (module in app_pages/, title, icon, url path).
PAGES = [
    ("compare", "Compare", ":material/compare_arrows:", "compare"),
    ("tokenize", "Tokenize", ":material/token:", "tokenize"),
    ("prices", "Prices", ":material/sell:", "prices"),
    ("budget", "Budget", ":material/account_balance_wallet:", "budget"),
    ("source_check", "Source check", ":material/fact_check:", "source-check"),
    ("usage", "Usage", ":material/receipt_long:", "usage"),
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
    for module_name, title, icon, path in PAGES:
        page = st.Page(_lazy(module_name), title=title, icon=icon, url_path=path, default=not pages)
        common.PAGES[path] = page
        pages.append(page)
    return pages


st.navigation(_pages()).run()
