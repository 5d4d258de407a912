"""Tokenize: count a prompt, request files and images on each model's tokenizer, show the text
token by token, and carry the counts into Compare's scenario (only the token counts; everything
else in it stays)."""

from __future__ import annotations

import html

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_pages import common, tokenize_sessions, url_state
from app_pages.common import catalog
from scenarios import formatting, handover
from scenarios.fields import figures
from scenarios.scenario import DEFAULT_MODELS
from scenarios.tokens import images, prompt_counts, tokenizer_for
from scenarios.tokens.prompt_counts import PROMPT_SOURCE
from scenarios.tokens.text import TokenView, token_view

K = "tok_"
"""Prefix of this page's widget keys."""
SAVED = "tok_saved_"
"""Prefix of plain session-state copies of the widgets' values. Streamlit deletes a widget's
state when another page runs; these copies survive and are put back when the page returns."""
KEPT_FILES = "tok_kept_files"
"""Files uploaded before the user left the page: (name, bytes) pairs, counted until removed."""

DEFAULT_TEXT = "Summarise the customer's last three messages and suggest a reply."
"""A sample prompt the page starts with; labelled a sample until the user changes it."""
MAX_SKIPPED_SHOWN = 10
LINK_TEXT_CHARS = 500
"""A prompt (system + user message) up to this long is kept in the address bar (``?text=``,
``?system=``), so a reload or a copied link brings it back; a longer one stays for the session."""
TEXT_TYPES = ["txt", "md", "csv", "json", "jsonl"]
IMAGE_TYPES = [suffix.lstrip(".") for suffix in images.IMAGE_SUFFIXES]
TOKEN_COLOURS = (
    "#cfe3f7",
    "#fbdcc0",
    "#d3ecd0",
    "#f6cfd6",
    "#e2d8f3",
    "#fbefb0",
    "#cdeeee",
    "#e9dccd",
)
"""Backgrounds of successive tokens: light, so the dark text keeps its contrast, and far enough
apart in hue and lightness that neighbours stay distinct with common colour-vision deficiencies."""

KIND_LABELS = {
    "document": "document, part of the prompt",
    "request": "one request",
    "requests": "requests, one per line",
}


# -- keeping the inputs across pages ----------------------------------------------------------


def _restore(name: str, default, valid=lambda value: True) -> None:
    """Put the saved value back into widget ``name`` when Streamlit has dropped its state."""
    state = st.session_state
    key = K + name
    if key in state and valid(state[key]):
        return
    saved = state.get(SAVED + name, default)
    state[key] = saved if valid(saved) else default


def _save(name: str) -> None:
    st.session_state[SAVED + name] = st.session_state.get(K + name)


def _restore_files() -> None:
    """A fresh uploader after a visit to another page: keep the files it held."""
    state = st.session_state
    if K + "files" in state:
        return
    previous = state.pop(SAVED + "files", None) or []
    if previous:
        kept = list(state.get(KEPT_FILES) or [])
        kept += [item for item in previous if item not in kept]
        state[KEPT_FILES] = kept


def _forget_kept() -> None:
    st.session_state.pop(KEPT_FILES, None)


def _from_link() -> None:
    """A prompt in an address that came from outside (a reload, a pasted link, Back) fills the
    page's text boxes; a value that is not a short text is ignored."""
    if not url_state.from_outside():
        return
    state = st.session_state
    for name, key in (("user", "text"), ("system", "system")):
        value = st.query_params.get(key)
        if isinstance(value, str) and value and len(value) <= LINK_TEXT_CHARS:
            state[K + name] = state[SAVED + name] = value


def _link(system: str, user: str) -> bool:
    """Show a short typed prompt in the address bar (nothing for the sample); whether it fits."""
    fits = len(system) + len(user) <= LINK_TEXT_CHARS
    params: dict[str, str] = {}
    if fits and (system or user != DEFAULT_TEXT):
        params = {"text": user, **({"system": system} if system else {})}
    url_state.show(params)
    return fits


# -- drawing ----------------------------------------------------------------------------------


def _text_area(name: str, default: str, label: str, **options) -> None:
    """The text area ``name`` (key ``K + name``; ``options`` as ``st.text_area`` takes them),
    its text kept across pages."""
    _restore(name, default)
    st.text_area(label, key=K + name, **options)
    _save(name)


def _inputs() -> tuple[list[tuple[str, bytes]], DeltaGenerator]:
    """Draw the inputs; return the files to count and the box for each file's status."""
    state = st.session_state
    with st.container(border=True):
        st.markdown("**Prompt**")
        _text_area(
            "system",
            "",
            "System message",
            height=90,
            placeholder="You are a helpful support agent…",
            help="Optional. Counted as its own chat message (3 tokens of overhead).",
        )
        _text_area(
            "user",
            DEFAULT_TEXT,
            "User message",
            height=120,
            help="The text a request sends. Documents below are added to it.",
        )
        if state[K + "user"] == DEFAULT_TEXT:
            st.caption("A sample prompt to start with: replace it with your own.")
        _text_area(
            "answer",
            "",
            "Expected answer (optional)",
            height=90,
            placeholder="A typical reply…",
            help="A typical reply. Its tokens become the output tokens per request carried into "
            "Compare; leave it empty to keep Compare's own output tokens.",
        )

    with st.container(border=True):
        st.markdown("**Files**")
        _restore_files()
        uploads = st.file_uploader(
            "Upload files",
            type=TEXT_TYPES + IMAGE_TYPES,
            accept_multiple_files=True,
            key=K + "files",
            help="UTF-8 text. .txt, .md, .csv and plain .json are documents added to the prompt. "
            "A .json chat-completions request is counted as one request; a .jsonl file as one "
            "request or conversation per line (mean, p50, p95, max), images in them included. "
            "PNG, JPEG, WebP and GIF images are counted by each model's image rule from their "
            "size, read here from the file's header (nothing is sent anywhere). The same file "
            "twice is counted once.",
        )
        state[SAVED + "files"] = [(f.name, f.getvalue()) for f in uploads or []]
        kept = list(state.get(KEPT_FILES) or [])
        if kept:
            st.caption(
                "Kept from earlier in this session: "
                + ", ".join(common.plain(name) for name, _ in kept)
                + "."
            )
            st.button(
                "Remove kept files",
                key=K + "forget",
                on_click=_forget_kept,
                icon=":material/delete:",
                help="Stop counting the files uploaded before you left this page.",
            )
        samples_available = prompt_counts.sample_files()
        _restore("samples", [], lambda v: isinstance(v, list) and set(v) <= set(samples_available))
        samples = st.multiselect(
            "Samples",
            samples_available,
            key=K + "samples",
            help="Files shipped with the app: system prompts, knowledge-base excerpts, tables, "
            "a JSONL of chat requests.",
        )
        _save("samples")
        status_box = st.container()

    with st.container(border=True):
        ids = catalog().model_ids()
        _restore(
            "models",
            list(DEFAULT_MODELS),
            lambda v: isinstance(v, list) and set(v) <= set(ids),
        )
        st.multiselect(
            "Models",
            ids,
            key=K + "models",
            help="Each model is counted with its own encoding. Models whose tokenizer is not "
            "public (Claude, Gemini, Mistral) get an approximate count, labelled as such.",
        )
        _save("models")

    files = kept + [(f.name, f.getvalue()) for f in uploads or []]
    files += [(name, prompt_counts.read_sample(name)) for name in samples]
    return files, status_box


def _file_statuses(counts: prompt_counts.Counts) -> None:
    for result in counts.files:
        size = _size(result.bytes)
        if result.kind == "error":
            st.error(
                f"**{_name(result.name)}** ({size}): {common.plain(result.message)}",
                icon=":material/error:",
            )
        elif result.kind == "duplicate":
            st.warning(
                f"**{_name(result.name)}**: {common.plain(result.message)}.",
                icon=":material/content_copy:",
            )
        else:
            what = KIND_LABELS[result.kind]
            if result.kind == "requests":
                what = f"{formatting.plural(result.requests, 'request')}, one per line"
                if result.skipped:
                    what += f"; {formatting.plural(len(result.skipped), 'line')} skipped"
            st.markdown(f":material/check_circle: **{_name(result.name)}** ({size}): {what}")


def _count(system: str, user: str, models: list[str], files) -> prompt_counts.Counts:
    """Count, showing a progress bar while a large file is read."""
    slot = st.empty()
    bar = None

    def progress(fraction: float, text: str) -> None:
        nonlocal bar
        if bar is None:
            bar = slot.progress(0.0, text=text)
        bar.progress(fraction, text=text)

    counts = prompt_counts.count_inputs(system, user, models, files, progress=progress)
    slot.empty()
    return counts


def _approx(exactness: str) -> str:
    return "≈" if exactness != "exact" else ""


def _characters_label(system: str, user: str) -> str:
    """What the characters metric counts: the sample is never called typed."""
    if user != DEFAULT_TEXT:
        return "Characters typed"
    return "Characters, sample included" if system else "Characters of the sample"


def _prompt_section(counts: prompt_counts.Counts, system: str, user: str) -> None:
    table = counts.prompt
    first = table.iloc[0]
    counted = sum(1 for f in counts.files if f.counted)
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Prompt tokens",
        _approx(first["exactness"]) + formatting.tokens(first["prompt_tokens"]),
        delta=f"{first['model']} · {first['exactness']}",
        delta_color="off",
        delta_arrow="off",
        help="System and user messages, their chat overhead and the documents, on the first "
        "model. ≈ marks an approximate count.",
        border=True,
    )
    sample = user == DEFAULT_TEXT
    c2.metric(
        _characters_label(system, user),
        formatting.count(len(system) + len(user)),
        help="System message and user message"
        + (" (the user message is the sample the page starts with)." if sample else "."),
        border=True,
    )
    c3.metric(
        "Files counted",
        formatting.count(counted),
        help="Distinct files that could be counted (repeats and files with errors are not).",
        border=True,
    )
    st.markdown("**The prompt on each model** (tokens per request)")
    _table(
        table,
        {
            "model": st.column_config.TextColumn("Model"),
            "encoding": st.column_config.TextColumn("Encoding"),
            "exactness": _count_column(),
            "prompt_tokens": _tokens_column(
                "Prompt tokens", "Messages + chat overhead + documents"
            ),
        },
    )
    with st.expander("Prompt tokens by part"):
        _table(
            table,
            {
                "model": st.column_config.TextColumn("Model"),
                "exactness": _count_column(),
                "system_tokens": _tokens_column("System"),
                "user_tokens": _tokens_column("User"),
                "document_tokens": _tokens_column("Documents"),
                "chat_overhead_tokens": _tokens_column(
                    "Overhead", "Chat format: 3 per message, 3 for the reply"
                ),
            },
        )


def _table(table, columns: dict) -> None:
    """``table`` in the page's width, showing ``columns`` (column -> its format) in that order
    and tall enough for every row."""
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=_height(table),
        column_order=list(columns),
        column_config=columns,
    )


def _height(table) -> int:
    """Tall enough for every row: no scroll bar inside the table."""
    return 35 * (len(table) + 1) + 3


def _tokens_column(label: str, help_text: str | None = None):
    """A column of token counts, with thousands separators."""
    return st.column_config.NumberColumn(label, help=help_text, format="localized")


def _count_column():
    """The column saying whether a model's count is exact."""
    return st.column_config.TextColumn(
        "Count", help="Exact, or approximate where the model's tokenizer is not public"
    )


def _requests_section(counts: prompt_counts.Counts) -> None:
    for result in counts.files:
        if result.kind not in ("request", "requests"):
            continue
        table = counts.requests[counts.requests["file"] == result.name]
        if result.kind == "request":
            title = f"**{_name(result.name)}**: input tokens of the request"
        else:
            skipped = formatting.plural(len(result.skipped), "line")
            title = (
                f"**{_name(result.name)}**: input tokens per request "
                f"({formatting.plural(result.requests, 'request')}"
                + (f", {skipped} skipped)" if result.skipped else ")")
            )
        st.markdown(title)
        _table(
            table,
            {
                "model": st.column_config.TextColumn("Model"),
                "exactness": _count_column(),
                "mean_tokens": _tokens_column("Mean", "Mean input tokens per request"),
                "p50_tokens": _tokens_column("p50", "Median"),
                "p95_tokens": _tokens_column("p95", "95th percentile"),
                "max_tokens": _tokens_column("Max"),
            },
        )
        if not result.skipped:
            continue
        lines = [
            f"- Line {s.line:,}: {common.plain(formatting.capitalised(s.reason))}"
            for s in result.skipped
        ]
        more = len(lines) - MAX_SKIPPED_SHOWN
        shown = lines[:MAX_SKIPPED_SHOWN] + ([f"- … and {more:,} more"] if more > 0 else [])
        st.warning(
            f"**{_name(result.name)}**: {formatting.plural(len(result.skipped), 'line')} "
            f"skipped, {formatting.count(result.requests)} counted.\n\n" + "\n".join(shown),
            icon=":material/warning:",
        )


def _source_choice(counts: prompt_counts.Counts, typed: bool) -> str:
    """Which input Compare gets: the pasted prompt or a request file, picked by the user when
    there is a choice, and said either way."""
    state = st.session_state
    sources = [PROMPT_SOURCE, *counts.request_files]
    if len(sources) == 1:
        state.pop(SAVED + "source", None)
        return PROMPT_SOURCE
    # A prompt the user typed is the default; with only the sample text, the file they uploaded.
    _restore("source", PROMPT_SOURCE if typed else sources[1], lambda v: v in sources)
    source = st.radio(
        "Count for Compare",
        sources,
        key=K + "source",
        format_func=lambda s: _source_label(counts, s),
        help="Compare gets the input tokens of one input: the pasted prompt (with the "
        "documents), or a request file (for a .jsonl file, the mean input tokens per "
        "request). Both are counted below.",
    )
    _save("source")
    return source


def _image_carry(image_files: list[images.ImageFile]) -> dict[str, object]:
    """The scenario's image inputs to carry (images per request, size, detail), picked by the
    user; empty when there are no images, their sizes differ, or the user leaves them out."""
    n, size = images.common_size(image_files)
    if not n:
        st.session_state.pop(SAVED + "carry_images", None)
        return {}
    most = int(figures()["img"].high)
    if size is None or n > most:
        why = "differ in size" if size is None else f"are more than {most} (Compare's most)"
        st.caption(f"The images {why}: set Compare's images per request there.")
        return {}
    detail = st.session_state.get(K + "detail") or "auto"
    detail = "low" if detail == "low" else "high"
    _restore("carry_images", True, lambda v: isinstance(v, bool))
    keep = st.checkbox(
        f"Carry the images: {formatting.plural(n, 'image')} per request, "
        f"{formatting.count(size.width)} x {formatting.count(size.height)} px, detail {detail}",
        key=K + "carry_images",
        help="Compare prices each request's images by each model's rule (auto is counted as "
        "high). Leave unticked to keep Compare's own images per request.",
    )
    _save("carry_images")
    if not keep:
        return {}
    return {
        "images_per_request": float(n),
        "image_width": size.width,
        "image_height": size.height,
        "image_detail": detail,
    }


def _carry_section(
    counts: prompt_counts.Counts,
    answer: str,
    source: str,
    image_files: list[images.ImageFile],
) -> None:
    with st.container(border=True):
        st.markdown("**Use in Compare**")
        models = counts.prompt["model"].tolist()
        exactness = dict(zip(models, counts.prompt["exactness"], strict=True))
        _restore("carry_model", models[0], lambda v: v in models)
        model = st.selectbox(
            "Count of model",
            models,
            key=K + "carry_model",
            format_func=lambda m: m if exactness[m] == "exact" else f"{m} (approximate)",
            help="Whose count becomes the tokens per request.",
        )
        _save("carry_model")

        carry = prompt_counts.carry_figures(counts, source, model, answer)
        label = "" if carry.exact else " (approximate)"
        lines = [
            f"- Input tokens per request: **{_approx_figure(carry, carry.input_tokens)}**"
            f"{label}, {common.plain(carry.what)}."
        ]
        if carry.output_tokens is None:
            lines.append("- Output tokens per request: Compare keeps its own (no answer given).")
        else:
            lines.append(
                f"- Output tokens per request: **{_approx_figure(carry, carry.output_tokens)}**"
                f"{label}, the expected answer's tokens."
            )
        base = common.remembered_scenario()
        if base is None:
            lines.append(
                "- Compare has not been opened in this session: its default scenario takes "
                "these counts."
            )
        else:
            name = f"“{common.plain(base.name)}”, " if base.name else ""
            lines.append(
                f"- Everything else stays as in Compare: {name}"
                f"{formatting.tokens(base.requests)} requests a {base.per}, "
                f"baseline {base.baseline}, {len(base.models)} model(s)."
            )
        st.markdown("\n".join(lines))
        problem = prompt_counts.carry_problem(carry)
        if problem:
            st.error(common.plain(formatting.capitalised(problem)) + ".", icon=":material/error:")
        image_values = _image_carry(image_files)
        text = f"Compare costs with {_approx_figure(carry, carry.input_tokens)} input tokens"
        if carry.output_tokens is not None:
            text += f" and {_approx_figure(carry, carry.output_tokens)} output tokens"
        if image_values:
            text += f" and {formatting.plural(image_values['images_per_request'], 'image')}"
        pressed = st.button(
            text,
            type="primary",
            icon=":material/arrow_forward:",
            key=K + "carry",
            disabled=problem is not None,
            help="Opens Compare with these token counts; its requests, tiers, models, baseline, "
            "name and date stay as they were.",
        )
    if pressed:
        common.open_compare(handover.carry_into(base, carry).with_values(**image_values))


def _approx_figure(carry: prompt_counts.Carry, value: float) -> str:
    return ("" if carry.exact else "≈") + formatting.tokens(value)


def _name(name: str) -> str:
    """A file name for Markdown: shown as text, and cut to 120 characters."""
    return common.plain(name if len(name) <= 120 else name[:119] + "…")


def _source_label(counts: prompt_counts.Counts, source: str) -> str:
    if source == PROMPT_SOURCE:
        return "The pasted prompt (system + user message + documents)"
    result = counts.file(source)
    if result.kind == "request":
        return f"Uploaded file {common.plain(source)}: one request"
    return (
        f"Uploaded file {common.plain(source)}: mean of "
        f"{formatting.plural(result.requests, 'request')}"
    )


def _images_section(image_files: list[images.ImageFile], models: list[str]) -> None:
    """Each readable image's tokens on each model, by the model's published rule."""
    readable = [f for f in image_files if f.size is not None]
    if not readable:
        return
    with st.container(border=True):
        st.markdown("**Images** (tokens of each image, by each model's published rule)")
        _restore("detail", "auto", lambda v: v in images.DETAILS)
        detail = st.segmented_control(
            "Image detail",
            list(images.DETAILS),
            key=K + "detail",
            help="The detail a request asks for. low: a flat cost on the tile rule (gpt-4o, "
            "gpt-4.1, o-series, gpt-5); auto is counted as high. The patch rule (gpt-4.1-mini, "
            "gpt-4.1-nano, o4-mini, gpt-5-mini and later) ignores it.",
        )
        _save("detail")
        rows = images.image_rows(readable, models, detail or "auto")
        _table(
            rows,
            {
                "model": st.column_config.TextColumn("Model", pinned=True),
                "image": st.column_config.TextColumn("Image"),
                "tokens": _tokens_column("Tokens", "Input tokens of this one image"),
                "exactness": st.column_config.TextColumn(
                    "Count", help="Exact, approximate (Anthropic, Google), or not counted"
                ),
                "short": st.column_config.TextColumn(
                    "Rule", help="The rule's arithmetic; in full under “How each image is counted”"
                ),
            },
        )
        with st.expander("How each image is counted"):
            st.markdown(
                "\n".join(
                    f"- {common.plain(r['model'])}, {_name(r['image'])}: {common.plain(r['rule'])}"
                    for r in rows
                )
            )
        st.caption(
            "Images are not part of the prompt tokens above: Compare prices a request's images "
            "from their size (carry them below). A model that takes no images, or whose rule is "
            "not published, is not counted."
        )


def _image_statuses(image_files: list[images.ImageFile]) -> None:
    for f in image_files:
        size = _size(f.bytes)
        if f.size is None:
            st.error(
                f"**{_name(f.name)}** ({size}): {common.plain(formatting.capitalised(f.error))}",
                icon=":material/error:",
            )
        else:
            st.markdown(
                f":material/check_circle: **{_name(f.name)}** ({size}): {f.size.format} image, "
                f"{formatting.count(f.size.width)} x {formatting.count(f.size.height)} px"
            )


# -- the text as tokens -------------------------------------------------------------------------


def token_html(view: TokenView, show_ids: bool = False) -> str:
    """The tokens as one block of coloured spans, every text escaped: a piece's text is in a
    ``<span class="x">`` (whitespace markers apart, in ``<span class="ws">``), its ids in the
    title and, with ``show_ids``, in a ``<sub>``. Shown with ``st.html``: HTML, never Markdown."""
    out = []
    for index, piece in enumerate(view.pieces):
        ids = ", ".join(str(i) for i in piece.ids)
        text = html.escape(piece.text)
        text = text.replace("\t", '<span class="ws">→</span>\t')
        text = text.replace("\n", '<span class="ws">↵</span>\n')
        sub = f"<sub>{ids}</sub>" if show_ids else ""
        out.append(
            f'<span class="t c{index % len(TOKEN_COLOURS)}" title="token {ids}">'
            f'<span class="x">{text}</span>{sub}</span>'
        )
    colours = "".join(f".tb-tokens .c{i}{{background:{c}}}" for i, c in enumerate(TOKEN_COLOURS))
    style = (
        "<style>.tb-tokens{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
        "font-size:0.9rem;line-height:1.9;white-space:pre-wrap;overflow-wrap:anywhere;"
        "color:#111;max-height:24rem;overflow-y:auto;padding:0.5rem;"
        "border:1px solid rgba(49,51,63,0.2);border-radius:0.5rem}"
        ".tb-tokens .t{border-radius:3px;padding:1px 0;margin-right:1px}"
        ".tb-tokens .ws{color:#667;opacity:0.8}"
        ".tb-tokens sub{font-size:0.65rem;color:#334;margin-left:1px}" + colours + "</style>"
    )
    return style + '<div class="tb-tokens">' + "".join(out) + "</div>"


def _tokens_section(texts: dict[str, str], models: list[str]) -> None:
    """The chosen text as tokens on the chosen model's encoding, bounded to ``VIEW_TOKENS``."""
    texts = {label: text for label, text in texts.items() if text}
    if not texts:
        return
    with st.container(border=True):
        st.markdown("**The text as tokens**")
        c1, c2 = st.columns(2)
        with c1:
            _restore("view_text", next(iter(texts)), lambda v: v in texts)
            label = st.selectbox(
                "Text",
                list(texts),
                key=K + "view_text",
                help="Which text to see token by token.",
            )
            _save("view_text")
        with c2:
            _restore("view_model", models[0], lambda v: v in models)
            model = st.selectbox(
                "Tokens of",
                models,
                key=K + "view_model",
                help="The model whose encoding splits the text.",
            )
            _save("view_model")
        _restore("view_ids", False, lambda v: isinstance(v, bool))
        show_ids = st.toggle("Show token ids", key=K + "view_ids", help="Each token's id under it.")
        _save("view_ids")
        tok = tokenizer_for(model)
        view = token_view(texts[label], tok.encoding_name)
        what = f"{formatting.plural(view.total, 'token')} in {tok.encoding_name}"
        if view.truncated:
            what += f"; the first {formatting.count(view.shown)} are shown"
        if not tok.exact:
            what += f" (an approximation: {model}'s own tokenizer is not public)"
        st.caption(
            what + ". Each colour is one token; ↵ marks a new line and → a tab. A token's id "
            "shows on hover, or under every token with “Show token ids”."
        )
        st.html(token_html(view, show_ids))


def render() -> None:
    st.title("Count tokens")
    st.caption(
        "Paste a prompt, upload files or images, or pick a sample: the count uses each model's "
        "own tokenizer, plus the chat format's overhead (3 tokens a message, 3 for the reply). "
        "What you enter here stays while you visit other pages; a short prompt is also kept "
        "in the address bar, so a reload or a copied link brings it back."
    )
    _from_link()
    left, right = st.columns([1, 1.5], gap="large")
    with left:
        files, status_box = _inputs()
    state = st.session_state
    system, user, answer = (state[K + "system"], state[K + "user"], state[K + "answer"])
    if not _link(system, user):
        with left:
            st.caption(
                f"Over {formatting.count(LINK_TEXT_CHARS)} characters: the prompt is kept while "
                "this tab is open, not in the address bar (a reload starts again)."
            )
    models = list(state[K + "models"])
    image_files = images.read_image_files([f for f in files if images.is_image_name(f[0])])
    files = [f for f in files if not images.is_image_name(f[0])]
    sample = not system and user == DEFAULT_TEXT
    with right:
        if not models:
            st.info("Pick at least one model to count with.", icon=":material/info:")
            return
        counts = _count(system, user, models, files)
        with status_box:
            _file_statuses(counts)
            _image_statuses(image_files)
        source = _source_choice(counts, typed=not sample)
        if counts.errors:
            names = ", ".join(common.plain(f.name) for f in counts.errors)
            st.warning(
                f"Not counted: {names} (see Files). The other inputs are counted.",
                icon=":material/warning:",
            )
        _prompt_section(counts, system, user)
        _requests_section(counts)
        _images_section(image_files, models)
        if (counts.prompt["exactness"] == "approximate").any() or (
            counts.requests["exactness"] == "approximate"
        ).any():
            st.warning(
                "Counts marked approximate (≈) use a public encoding in place of the model's own "
                "tokenizer, which is not public: the model's real count will differ.",
                icon=":material/warning:",
            )
        if counts.notes:
            with st.expander("Notes on these counts"):
                st.markdown("\n".join(f"- {common.plain(note)}" for note in counts.notes))
        _tokens_section(
            {"User message": user, "System message": system, "Expected answer": answer}, models
        )
        _carry_section(counts, answer, source, image_files)
        tokenize_sessions.section(models)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:,.1f} KB"
    return f"{n / 1024 / 1024:,.1f} MB"
