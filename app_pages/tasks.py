"""Tasks: cost per successful task from a team's own eval results, each model on its own tokens and
its own pass rate, and one click that prices a monthly volume with those tokens in Compare. Draws
only: the reading and the figures are ``scenarios.tasks``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts, common
from app_pages.common import catalog, plain
from pricing import clock
from scenarios import tasks, written
from scenarios.formatting import usd
from scenarios.scenario import Scenario
from scenarios.tokens.prompt_counts import SAMPLES_DIR

K = "tsk_"
SAMPLES = {"support-eval.csv": "Support chatbot, 6 tasks on 3 models (sample format)"}
NONE = "None"
COLUMNS = {
    "model": "Model",
    "tasks": "Tasks",
    "passes": "Passes",
    "pass_rate_pct": "Pass rate %",
    "pass_rate_low_pct": "95% low %",
    "pass_rate_high_pct": "95% high %",
    "input_tokens_per_task": "Input tokens per task",
    "output_tokens_per_task": "Output tokens per task",
    "output_tokens_per_task_p90": "Output p90",
    "cost_per_task": "USD per task",
    "cost_per_success": "USD per successful task",
    "frontier": "Frontier",
    "note": "Note",
}


@st.cache_data(show_spinner=False, max_entries=8)
def _read(digest: str, data: bytes, name: str, pass_score: float):
    del digest  # the cache key
    return tasks.read_bytes(data, name, pass_score)


def _source() -> tuple[str, bytes] | None:
    c1, c2 = st.columns([1.2, 1])
    upload = c1.file_uploader(
        "Eval results (.csv, promptfoo .json, Inspect .json log)",
        type=["csv", "json"],
        key=K + "upload",
        help="One row per (model, task): model, task_id, passed (or score), input_tokens, "
        "output_tokens, optional cached_input_tokens and reasoning_tokens; or promptfoo's "
        "`eval -o results.json`; or an Inspect AI log in JSON.",
    )
    sample = c2.selectbox(
        "or a sample",
        [NONE, *SAMPLES],
        key=K + "sample",
        format_func=lambda n: SAMPLES.get(n, n),
        help="The support chatbot's questions, tokens counted from the project's samples; its "
        "pass marks illustrate the format, they are not a measured benchmark.",
    )
    if upload is not None:
        return upload.name, upload.getvalue()
    if sample != NONE:
        return sample, (SAMPLES_DIR / "evals" / sample).read_bytes()
    return None


def _chart(figures: pd.DataFrame) -> None:
    data = figures[figures["priced"] & figures["cost_per_success"].map(pd.notna)].copy()
    data = data[data["cost_per_success"] < float("inf")]
    if data.empty:
        return
    data["pass_rate_pct"] = data["pass_rate"] * 100
    data["label"] = [usd(v) for v in data["cost_per_success"]]
    data["on"] = [
        "on the frontier" if f else ("shut down" if not sel else "beaten")
        for f, sel in zip(data["frontier"], data["selectable"], strict=True)
    ]
    scale = charts.model_scale(list(data["model"]))
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=140)
        .encode(
            x=alt.X("pass_rate_pct:Q", title="Pass rate (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("cost_per_success:Q", axis=charts.money_axis("USD per successful task")),
            color=alt.Color("model:N", scale=scale, legend=charts.bottom_legend()),
            shape=alt.Shape("on:N", legend=charts.bottom_legend("Frontier")),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("pass_rate_pct:Q", title="Pass rate %", format=".1f"),
                alt.Tooltip("label:N", title="USD per success"),
            ],
        )
    )
    line = (
        alt.Chart(data[data["frontier"]].sort_values("pass_rate"))
        .mark_line(color="#1B2631", strokeDash=[4, 3])
        .encode(x="pass_rate_pct:Q", y="cost_per_success:Q", order="pass_rate_pct:Q")
    )
    chart = (line + points).properties(height=320)
    frontier = ", ".join(data.loc[data["frontier"], "model"])
    charts.show_chart(
        chart,
        f"Scatter of cost per successful task against pass rate per model; the dashed line "
        f"joins the cheapest-for-quality frontier: {frontier}.",
    )


def render() -> None:
    st.title("Cost per successful task")
    st.caption(
        "Models do not spend the same tokens on the same job, and they do not all succeed. "
        "From your own eval results, each model is priced on its own tokens and its own pass "
        "rate: what a task done costs."
    )
    common.freshness_caption()
    with st.container(border=True):
        source = _source()
        c1, c2 = st.columns(2)
        day = c1.date_input(
            "Pricing date",
            value=clock.today(),
            key=K + "date",
            min_value=written.MIN_DATE,
            max_value=written.MAX_DATE,
            help="List prices in effect on this day.",
        )
        pass_score = c2.number_input(
            "Pass at score",
            min_value=0.0,
            max_value=1.0,
            value=1.0,
            step=0.1,
            key=K + "pass",
            help="A task given a score (0 to 1) instead of pass/fail passes at this score or "
            "above.",
        )
    if source is None:
        st.info("Upload eval results or pick the sample.", icon=":material/upload_file:")
        return
    name, data = source
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    try:
        results = _read(digest, data, name, float(pass_score))
    except tasks.TaskFileError as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        return
    if results.skipped:
        with st.expander(f"{results.skipped_count:,} row(s) skipped"):
            st.markdown(
                "\n".join(f"- line {s.line}: {plain(s.reason)}" for s in results.skipped[:20])
            )
    if not results.model:
        st.warning(f"{plain(name)}: no row could be read.", icon=":material/warning:")
        return
    as_of = day if isinstance(day, dt.date) else clock.today()
    figures = tasks.task_figures(results, as_of, catalog())
    _chart(figures)
    frame = figures.assign(
        pass_rate_pct=figures["pass_rate"] * 100,
        pass_rate_low_pct=figures["pass_rate_low"] * 100,
        pass_rate_high_pct=figures["pass_rate_high"] * 100,
    )[list(COLUMNS)]
    number = st.column_config.NumberColumn
    config = {c: number(t, format="%.1f") for c, t in COLUMNS.items() if c.endswith("_pct")}
    config |= {c: number(t, format="%,.0f") for c, t in COLUMNS.items() if "tokens" in c}
    config |= {c: number(COLUMNS[c], format="%.4f") for c in ("cost_per_task", "cost_per_success")}
    config |= {c: number(COLUMNS[c], format="%d") for c in ("tasks", "passes")}
    config["model"] = st.column_config.TextColumn("Model")
    config["note"] = st.column_config.TextColumn("Note")
    config["frontier"] = st.column_config.CheckboxColumn("Frontier")
    st.dataframe(frame, hide_index=True, column_config=config, key=K + "table")
    st.caption(
        f"{plain(name)} ({results.kind}): {len(results.model):,} rows read, "
        f"{results.skipped_count:,} skipped. USD at the prices of {as_of}; a successful task "
        "costs the tasks' total over the passes. The 95% interval is Wilson's: a few tasks "
        "say little. Frontier: no other model passes as often for less per success."
    )
    own = tasks.own_tokens(figures)
    if not own:
        return
    pressed = st.button(
        "Price my monthly volume with the tokens each model used",
        type="primary",
        icon=":material/arrow_forward:",
        key=K + "carry",
        help="Opens Compare with these models, each priced on its own tokens per task from "
        "this file; the requests per month, tiers and date stay as in Compare.",
    )
    if pressed:
        base = common.remembered_scenario() or Scenario(as_of=as_of)
        models = tuple(o.model for o in own)
        scenario = base.with_values(
            shape="requests", own=own, models=models, baseline=models[0], as_of=as_of
        )
        common.open_compare(scenario)
