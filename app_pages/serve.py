"""``python -m app_pages.serve [streamlit run options]``: the app served, its first page ready.

``streamlit run app.py`` imports the pages' libraries (pandas, altair, the core, the price
table) in the first visitor's script run: about 0.6 s of that visitor's first page, on top of
the browser's own work. Here they are imported, and the price table read, before the server
starts, so the server answers its health check only once a first page can be drawn at once.
Every option goes to ``streamlit run`` as given (``scripts/run-app.sh``, the Docker entry, the
browser tests and ``benchmarks/bench_ui.py`` all start the app this way).
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"

WARM = ("app_pages.common", "app_pages.charts", "app_pages.compare")
"""Modules the default page (Compare) imports, imported before the server starts."""


def warm() -> None:
    """Import ``WARM`` and read the price table once (its files are then in the page cache and
    its parsed form in ``pricing``'s own cache, where it keeps one)."""
    # A cache decorator run before the server exists checks its options against an in-memory
    # store and says so; the caches themselves are made on first use, in the server's store.
    caching = logging.getLogger(
        importlib.import_module("streamlit.runtime.caching.cache_data_api").__name__
    )  # imported first: Streamlit sets each of its loggers' level as it makes it
    level = caching.level
    caching.setLevel(logging.ERROR)
    try:
        for name in WARM:
            importlib.import_module(name)
    finally:
        caching.setLevel(level)
    from pricing import load_catalog

    load_catalog()


def main(argv: list[str] | None = None) -> int:
    warm()
    from streamlit.web import cli as streamlit_cli

    args = ["run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return streamlit_cli.main.main(args=args, prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main())
