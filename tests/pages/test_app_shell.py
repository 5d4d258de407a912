"""app.py, driven with AppTest: it draws nothing of its own (its pages draw), and its icon is the
PNG shipped with the app."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _compare_alone():
    from app_pages import compare

    compare.render()


def _drawn(at: AppTest) -> list[tuple[str, str]]:
    return [(e.type, str(getattr(e, "value", ""))) for e in at.main]


def test_the_shell_adds_nothing_to_the_default_page():
    """A string left bare in app.py is drawn by Streamlit's magic above every page (a comment
    was once written as one): the app's main block is exactly Compare's."""
    shell = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    alone = AppTest.from_function(_compare_alone, default_timeout=60).run()
    assert not shell.exception
    assert shell.title[0].value == alone.title[0].value
    assert _drawn(shell) == _drawn(alone)


def test_the_favicon_is_a_small_png_in_the_repository():
    icon = ROOT / "app_pages" / "assets" / "favicon.png"
    with Image.open(icon) as image:
        assert image.format == "PNG"
        assert image.size == (64, 64)
    assert icon.stat().st_size < 10_000
    assert "page_icon=FAVICON" in (ROOT / "app.py").read_text()
