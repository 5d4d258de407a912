"""The share link, visible and copyable on every screen.

``st.code``'s copy button shows only on hover (a phone has none) and loads Streamlit's 1.5 MB
syntax highlighter; this is a plain box holding the link (wrapped, selectable: a long press
selects it on a phone) with a "Copy link" button that is always shown and, where the browser
offers a share sheet (phones), a "Share" button beside it.
"""

from __future__ import annotations

import hashlib
import html
import json

import streamlit as st

STYLE = """
.tb-share { display: flex; flex-direction: column; gap: 0.5rem; max-width: 100%; }
.tb-share textarea {
  width: 100%; box-sizing: border-box; resize: none; overflow: hidden; word-break: break-all;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.8rem; line-height: 1.4;
  padding: 0.5rem 0.75rem; border: 1px solid rgba(27, 38, 49, 0.2); border-radius: 0.5rem;
  background: #F2F5F7; color: #1B2631; field-sizing: content; min-height: 2.5rem;
}
.tb-share .tb-row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
.tb-share button {
  font: inherit; font-size: 0.95rem; min-height: 2.5rem; padding: 0.25rem 0.9rem;
  border-radius: 0.5rem; border: 1px solid rgba(27, 38, 49, 0.2); background: #FFFFFF;
  color: #1B2631; cursor: pointer;
}
.tb-share button:hover, .tb-share button:focus-visible { border-color: #0F6E8C; color: #0F6E8C; }
.tb-share [role="status"] { font-size: 0.875rem; color: rgba(27, 38, 49, 0.7); }
"""

SCRIPT = """
(() => {
  const box = document.getElementById(%s);
  if (!box || box.dataset.ready) return;
  box.dataset.ready = "1";
  const text = box.querySelector("textarea");
  const status = box.querySelector('[role="status"]');
  const share = box.querySelector('[data-action="share"]');
  const say = (words) => { status.textContent = words; };
  const fallback = () => {
    text.focus();
    text.select();
    text.setSelectionRange(0, text.value.length);
    let done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    say(done ? "Link copied." : "Link selected: copy it with your browser's Copy.");
  };
  box.querySelector('[data-action="copy"]').addEventListener("click", () => {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text.value).then(() => say("Link copied."), fallback);
    } else {
      fallback();
    }
  });
  if (navigator.share) {
    share.hidden = false;
    share.addEventListener("click", () => {
      navigator.share({ title: document.title, url: text.value }).catch(() => {});
    });
  }
})();
"""


def share_link(url: str, label: str = "Link to this view") -> None:
    """Show ``url`` in a box with an always-visible "Copy link" button (and "Share" where the
    browser has a share sheet). ``url`` is escaped: only its text reaches the page."""
    box_id = "tb-share-" + hashlib.sha1(url.encode()).hexdigest()[:12]
    body = (
        f"<style>{STYLE}</style>"
        f'<div class="tb-share" id="{box_id}">'
        f'<textarea readonly rows="2" aria-label="{html.escape(label)}" spellcheck="false">'
        f"{html.escape(url)}</textarea>"
        '<div class="tb-row">'
        '<button type="button" data-action="copy">Copy link</button>'
        '<button type="button" data-action="share" hidden>Share…</button>'
        '<span role="status" aria-live="polite"></span>'
        "</div></div>"
        f"<script>{SCRIPT % json.dumps(box_id)}</script>"
    )
    st.html(body, unsafe_allow_javascript=True)
