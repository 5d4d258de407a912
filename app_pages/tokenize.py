"""Tokenize: count a prompt on each model's tokenizer and carry the counts into Compare."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from app_pages.common import catalog
from scenarios import links, prompt_counts
from scenarios.tokens import TokenCountError

K = "tok_"
DEFAULT_TEXT = "Summarise the customer's last three messages and suggest a reply."


def _carry(tokens: float, output: float) -> None:
    """Open Compare with the counted tokens, keeping the rest of its scenario."""
    state = st.session_state
    if state.get("cmp_ready"):
        from app_pages.compare import widget_params

        scenario = links.decode(widget_params(), catalog()).scenario
    else:
        scenario = links.Scenario()
    scenario = scenario.with_values(input_tokens=float(tokens), output_tokens=float(output))
    state["cmp_reload"] = True
    page = common.PAGES.get("compare")
    if page is not None:
        st.switch_page(page, query_params=links.to_params(scenario))


def render() -> None:
    st.title("Count tokens")
    st.caption(
        "Paste a prompt, upload files or pick a sample: the count uses each model's own "
        "tokenizer, plus the chat format's overhead (3 tokens a message, 3 for the reply)."
    )
    left, right = st.columns([1, 1.4], gap="large")
    with left, st.container(border=True):
        st.markdown("**Prompt**")
        system = st.text_area(
            "System message",
            key=K + "system",
            height=90,
            placeholder="You are a helpful support agent…",
            help="Optional; counted as its own chat message.",
        )
        user = st.text_area(
            "User message",
            value=DEFAULT_TEXT,
            key=K + "user",
            height=140,
            help="The text a request sends; files below are appended to it.",
        )
        uploads = st.file_uploader(
            "Files",
            type=["txt", "md", "csv", "json", "jsonl"],
            accept_multiple_files=True,
            key=K + "files",
            help="Documents sent with each request (UTF-8 text, Markdown, CSV, JSON, JSONL).",
        )
        samples = st.multiselect(
            "Samples",
            prompt_counts.sample_files(),
            key=K + "samples",
            help="Files shipped with the app: typical system prompts, knowledge-base excerpts, "
            "tables.",
        )
        models = st.multiselect(
            "Models",
            catalog().model_ids(),
            default=list(links.DEFAULT_MODELS),
            key=K + "models",
            help="Each model is counted with its own encoding; models whose tokenizer is not "
            "public are labelled approximate.",
        )
    files = [(f.name, f.getvalue()) for f in uploads or []]
    files += [(name, prompt_counts.read_sample(name)) for name in samples]
    with right:
        if not models:
            st.info("Pick at least one model to count with.")
            return
        try:
            table = prompt_counts.count_prompt(system, user, models, files)
        except TokenCountError as exc:
            st.error(f"Cannot count: {exc}", icon=":material/error:")
            return
        first = table.iloc[0]
        c1, c2, c3 = st.columns(3)
        c1.metric(
            "Prompt tokens",
            common.tokens(first["prompt_tokens"]),
            delta=str(first["model"]),
            delta_color="off",
            delta_arrow="off",
            help="Messages + chat overhead + files.",
            border=True,
        )
        c2.metric("Characters", f"{len(system) + len(user):,}", border=True)
        c3.metric("Files", f"{len(files)}", border=True)
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "model": "Model",
                "encoding": "Encoding",
                "exactness": st.column_config.TextColumn(
                    "Count", help="exact, or approximate where the tokenizer is not public"
                ),
                "system_tokens": st.column_config.NumberColumn("System", format="localized"),
                "user_tokens": st.column_config.NumberColumn("User", format="localized"),
                "file_tokens": st.column_config.NumberColumn("Files", format="localized"),
                "chat_overhead_tokens": st.column_config.NumberColumn(
                    "Chat overhead", format="localized"
                ),
                "prompt_tokens": st.column_config.NumberColumn("Prompt total", format="localized"),
                "notes": st.column_config.TextColumn("Notes", width="large"),
            },
        )
        if (table["exactness"] == "approximate").any():
            st.warning(
                "Some counts are approximate: those models' tokenizers are not public.",
                icon=":material/warning:",
            )
        with st.container(border=True):
            st.markdown("**Use in Compare**")
            c1, c2 = st.columns(2)
            chosen = c1.selectbox(
                "Count of model",
                table["model"].tolist(),
                key=K + "carry_model",
                help="Whose prompt total becomes the input tokens per request.",
            )
            output = c2.number_input(
                "Output tokens per request",
                min_value=0.0,
                max_value=float(links.LIMITS["out"].high),
                value=300.0,
                step=50.0,
                format="%.0f",
                key=K + "output",
                help="Expected completion length.",
            )
            prompt = float(table.loc[table["model"] == chosen, "prompt_tokens"].iloc[0])
            st.button(
                f"Compare costs with {common.tokens(prompt)} input tokens",
                type="primary",
                icon=":material/arrow_forward:",
                key=K + "carry",
                on_click=_carry,
                args=(prompt, output),
                help="Opens Compare with these token counts; the rest of its scenario stays.",
            )
