"""tokenbudget: what an LLM workload costs per month, on which model, and why.

Run with ``streamlit run app.py``. Pages live in ``app_pages/``; each module draws one page from
the pure core in ``pricing/`` and ``scenarios/`` and exposes ``render()``.
"""

from __future__ import annotations

import importlib

import streamlit as st

st.set_page_config(page_title="tokenbudget", page_icon=":material/savings:", layout="wide")

# (module in app_pages/, title, icon, url path). A module that does not exist yet is skipped.
PAGES = [
    ("compare", "Compare", ":material/compare_arrows:", "compare"),
    ("tokenize", "Tokenize", ":material/token:", "tokenize"),
    ("prices", "Prices", ":material/sell:", "prices"),
    ("budget", "Budget", ":material/account_balance_wallet:", "budget"),
    ("source_check", "Source check", ":material/fact_check:", "source-check"),
    ("usage", "Usage", ":material/receipt_long:", "usage"),
]


def _pages() -> list:
    pages = []
    for module_name, title, icon, path in PAGES:
        try:
            module = importlib.import_module(f"app_pages.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"app_pages.{module_name}":
                raise
            continue
        pages.append(
            st.Page(module.render, title=title, icon=icon, url_path=path, default=not pages)
        )
    return pages


st.navigation(_pages()).run()
