"""Adversarial text: Markdown links and images, Streamlit colour and icon directives, bare URLs,
e-mail addresses, HTML, LaTeX. ``MARKER`` is in every link target, so a test can find any link
or image the app did not write itself."""

from __future__ import annotations

MARKER = "evil.example"
IMAGE_HOST = "127.0.0.2:9"
"""An image host no page ever loads from (a request to it is a failure)."""

MARKUP = (
    f"[Reset prices](https://{MARKER}/login)",
    f"![t](http://{IMAGE_HOST}/x.png)",
    ":red[**ALERT: your key leaked**] :rainbow[x] :smile: :material/warning:",
    f"bare https://{MARKER}/a and www.{MARKER} and admin@{MARKER}",
    f"<a href='https://{MARKER}/h'>h</a> <img src='http://{IMAGE_HOST}/h.png'>",
    f"[ref][1] <https://{MARKER}/auto> $x^2$ `code` # heading",
)
"""One string per technique; pages receive them in link values, file names and cells."""

ALL = " ".join(MARKUP)
"""Every technique in one string (a single link value)."""

BUDGET_KEY = f"bud_[k](https://{MARKER}/key)"
"""A link parameter *name* holding a link (the Budget page quotes unknown names)."""


def usage_csv() -> bytes:
    """A usage CSV whose model names and cells carry every technique, plus a CR formula."""
    lines = ["date,model,input_tokens,output_tokens"]
    for text in MARKUP:
        cell = '"' + text.replace('"', '""') + '"'
        lines.append(f"2025-06-01,{cell},100,10")
    lines.append('2025-06-01,"\r=1+1",100,10')
    lines.append("2025-06-01,gpt-4o,100,10")
    return ("\n".join(lines) + "\n").encode()
