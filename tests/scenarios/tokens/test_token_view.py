"""The token-by-token view: every text round-trips through its pieces, a long text is cut to
the first tokens and says so, and no user text reaches the page's HTML unescaped."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from app_pages.tokenize import token_html
from scenarios.tokens import count_tokens
from scenarios.tokens.text import VIEW_TOKENS, token_view

TEXTS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(
    [
        "<script>alert(1)</script> **bold** [link](http://x) :red[red] $x$",
        "Ünïcödé 👩‍👩‍👧 日本語の文章 \t tab\nnew line\r\n",
        '{"key": [1, 2, {"nested": "json"}]}',
        "&amp; &lt; <|endoftext|>",
    ]
)


class _Reader(HTMLParser):
    """Collects the text of ``x`` spans and every tag and attribute used."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)
        self.stack.append(dict(attrs).get("class", ""))

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "x":
            self.text.append(data)


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from(["o200k_base", "cl100k_base"]), st.booleans())
def test_any_text_round_trips_and_reaches_the_page_escaped(text, encoding, show_ids):
    view = token_view(text, encoding)
    assert "".join(p.text for p in view.pieces) == text
    assert view.shown == view.total == count_tokens(text, encoding)
    page = token_html(view, show_ids)
    body = page[page.index("</style>") + len("</style>") :]
    reader = _Reader()
    reader.feed(body)
    reader.close()
    assert "".join(reader.text) == text
    assert reader.tags <= {"div", "span", "sub"}
    assert reader.attrs <= {"class", "title"}
    assert reader.stack == []  # every tag closed: no user text opened one


def test_a_long_text_shows_the_first_tokens_and_says_so():
    text = "word " * 50_000  # 50,000 tokens (" word" each, "word" first) + the last space
    view = token_view(text)
    assert view.truncated
    assert view.shown == VIEW_TOKENS
    assert view.total == count_tokens(text)
    assert text.startswith("".join(p.text for p in view.pieces))


def test_a_split_character_is_one_piece_with_its_ids():
    view = token_view("👩", "cl100k_base")
    (piece,) = view.pieces
    assert piece.text == "👩" and len(piece.ids) > 1
