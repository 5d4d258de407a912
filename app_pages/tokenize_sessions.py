"""Tokenize's conversations section: a JSONL of chats or agent traces (one session a line) measured
with each model's tokenizer into the sessions' prefix, turns, new input and output per turn, and
one button that prices them in Compare as a session workload. Draws only: the measuring is
``scenarios.tokens.transcripts``, the hand-over ``scenarios.handover.sessions_into``.
"""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import plain
from scenarios import handover
from scenarios.tokens import TokenCountError, tokenizer_for, transcripts
from scenarios.tokens.prompt_counts import SAMPLES_DIR

K = "tok_ses_"
SAMPLE_FILES = {
    "support-chats.jsonl": "Support chats (20 conversations, sample)",
    "analysis-agent.jsonl": "Analysis agent with tool calls (6 traces, sample)",
}
NONE = "None"
MAX_UPLOAD_MB = 200
COLUMNS = {
    "model": "Model",
    "sessions": "Sessions",
    "lines_skipped": "Lines skipped",
    "prefix_p50": "Prefix tokens (median)",
    "turns_p10": "Turns p10",
    "turns_p50": "Turns p50",
    "turns_p90": "Turns p90",
    "turn_input_p10": "New input p10 (tokens/turn)",
    "turn_input_p50": "New input p50 (tokens/turn)",
    "turn_input_p90": "New input p90 (tokens/turn)",
    "turn_output_p10": "Output p10 (tokens/turn)",
    "turn_output_p50": "Output p50 (tokens/turn)",
    "turn_output_p90": "Output p90 (tokens/turn)",
    "largest_request": "Largest request (tokens)",
}


@st.cache_data(show_spinner=False, max_entries=16)
def _measure(digest: str, data: bytes, name: str, model: str):
    """The file measured on ``model`` (cached by its digest)."""
    del digest  # the key; hashing 100 MB of bytes again would cost more than the digest
    return transcripts.measure_lines(io.BytesIO(data), tokenizer_for(model), name)


def _source() -> tuple[str, bytes] | None:
    c1, c2 = st.columns([1.2, 1])
    upload = c1.file_uploader(
        "Conversations (JSONL, one session a line)",
        type=["jsonl"],
        key=K + "upload",
        max_upload_size=MAX_UPLOAD_MB,
        help='Each line a chat: {"messages": [...]} in OpenAI\'s format (or a bare list of '
        "messages); an agent's tool calls and tool results are messages too. Leading system "
        "messages and the tools are the prefix; each assistant message ends a turn.",
    )
    sample = c2.selectbox(
        "or a sample", [NONE, *SAMPLE_FILES], key=K + "sample",
        format_func=lambda n: SAMPLE_FILES.get(n, n),
        help="Sessions made from the project's own sample prompts and answers "
        "(scenarios/samples/sessions).",
    )  # fmt: skip
    if upload is not None:
        return upload.name, upload.getvalue()
    if sample != NONE:
        return sample, (SAMPLES_DIR / "sessions" / sample).read_bytes()
    return None


def section(models: list[str]) -> None:
    with st.container(border=True, key=K + "box"):
        st.markdown("**Conversations and agent loops**")
        st.caption(
            "Measure real sessions: how long the prefix is, how many turns a session has and "
            "how many tokens each turn adds, counted with each model's tokenizer (chat "
            "overhead included), then price them in Compare as sessions whose context grows "
            "every turn."
        )
        source = _source()
        if source is None:
            return
        name, data = source
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        rows, first = [], None
        with st.spinner(f"Measuring {plain(name)} ({len(data) / 1e6:,.1f} MB)..."):
            for model in models:
                try:
                    dist = _measure(digest, data, name, model)
                except TokenCountError as exc:
                    st.error(plain(str(exc)), icon=":material/error:")
                    return
                first = first or dist
                rows.append(
                    {"model": model, "sessions": dist.sessions,
                     "lines_skipped": dist.skipped_count, **dist.quantiles()}
                )  # fmt: skip
        if first is None or not first.sessions:
            st.warning(
                f"{plain(name)}: no line is a session ({first.skipped_count if first else 0} "
                "skipped; see why below).",
                icon=":material/warning:",
            )
        else:
            frame = pd.DataFrame(rows).reindex(columns=list(COLUMNS))
            config = {
                c: st.column_config.NumberColumn(t, format="%,.0f") for c, t in COLUMNS.items()
            }
            config["model"] = st.column_config.TextColumn("Model")
            st.dataframe(frame, hide_index=True, column_config=config, key=K + "table")
            st.caption(
                "Tokens per turn are each session's mean; p10 / p50 / p90 over the sessions. "
                "The largest request is a session's longest turn, input and output."
            )
        if first is not None and first.skipped:
            with st.expander(f"{first.skipped_count:,} line(s) skipped"):
                shown = [f"- line {s.line}: {plain(s.reason)}" for s in first.skipped[:20]]
                st.markdown("\n".join(shown))
        if first is None or not first.sessions:
            return
        model = models[0]
        measured = transcripts.session_fields(_measure(digest, data, name, model))
        pressed = st.button(
            f"Price these sessions in Compare (counts of {model})",
            type="primary",
            icon=":material/arrow_forward:",
            key=K + "carry",
            help="Opens Compare as a session workload with this file's prefix, turns and "
            "tokens per turn (p10 / p50 / p90); its sessions per month, models and date stay.",
        )
    if pressed:
        common.open_compare(handover.sessions_into(common.remembered_scenario(), measured))
