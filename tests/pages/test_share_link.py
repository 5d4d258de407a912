"""The share box: the link as text (escaped), a Copy button always in the page."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest


def _page():
    from app_pages.share import share_link

    share_link('http://127.0.0.1:8501/?v=1&models=a%2Cb&x="<b>bold</b>')


def test_the_link_is_shown_as_escaped_text_with_a_copy_button():
    at = AppTest.from_function(_page, default_timeout=30).run()
    assert not at.exception
    (element,) = at.get("html")
    body = element.proto.body
    assert (
        '<textarea readonly rows="2" aria-label="Link to this view" spellcheck="false">'
        "http://127.0.0.1:8501/?v=1&amp;models=a%2Cb&amp;x=&quot;&lt;b&gt;bold&lt;/b&gt;"
        "</textarea>"
    ) in body
    assert "<b>bold</b>" not in body
    assert '<button type="button" data-action="copy">Copy link</button>' in body
    assert body.count("<script>") == 1


def _two_links():
    from app_pages.share import share_link

    share_link("http://127.0.0.1:8501/?v=1&req=1")
    share_link("http://127.0.0.1:8501/?v=1&req=2")


def test_each_link_gets_its_own_box_and_its_script_binds_that_box():
    at = AppTest.from_function(_two_links, default_timeout=30).run()
    ids = []
    for element in at.get("html"):
        (box,) = re.findall(
            r'<div class="tb-share" id="(tb-share-[0-9a-f]{12})">', element.proto.body
        )
        assert f'document.getElementById("{box}")' in element.proto.body
        ids.append(box)
    assert len(ids) == 2
    assert ids[0] != ids[1]
