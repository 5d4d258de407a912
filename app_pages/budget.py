"""Budget: what a monthly budget buys on each model, and the largest prompt that fits it.

The inputs are the Compare page's request shape (tiers, cached share, pricing date, models) plus
a budget; the page starts from this session's Compare scenario when there is one. The address
bar holds the whole view (``bud_*`` parameters, see ``scenarios.budget``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from app_pages import charts, common, compare_book, url_state
from app_pages.common import catalog
from pricing import book, clock
from pricing.catalog import NOT_RELEASED, SHUT_DOWN, SHUTS_DOWN
from pricing.projection import cost_over_volume
from pricing.reasons import Problem
from pricing.workload import Workload
from scenarios import budget as core
from scenarios import currency, fields, formatting, projection, report, written
from scenarios import scenario as sc
from scenarios.links import budget as budget_link

K = budget_link.PREFIX
"""Prefix of this page's widget keys, which are also its link parameters."""


def _load(case: budget_link.BudgetCase) -> None:
    """Put a case into the widgets (before they are drawn)."""
    state = st.session_state
    scenario = case.scenario
    state[K + "usd"] = float(case.budget)
    for spec in fields.budget_fields():
        state[K + spec.key] = spec.written(getattr(scenario, spec.name))
    state[K + "req"] = float(scenario.requests_per_month)
    state[K + "models"] = list(scenario.models)
    state[K + "date"] = scenario.as_of
    state[K + "cur"] = scenario.currency
    params = book.to_text(scenario.book)
    for key in book.LINK_KEYS:
        state[K + key] = params.get(key, "")


def _widget_case() -> budget_link.BudgetCase:
    """The case the widgets describe, through the same typed clamping a link goes through
    (``scenarios.scenario``), with no round trip through link text."""
    state = st.session_state
    warnings: list[Problem] = []
    values = sc.figure_values(
        {f.key: state.get(K + f.key) for f in fields.budget_fields()}, warnings
    )
    day = state.get(K + "date")
    values["as_of"] = day if isinstance(day, dt.date) else clock.today()
    values.update(common.currency_values(K, values.get("currency_rate"), warnings))
    models = list(state.get(K + "models") or [])
    # your price book, read as a link's (an entry that cannot be read is named and left out)
    params = {key: str(state.get(K + key) or "") for key in book.LINK_KEYS}
    values["book"], problems = book.from_text(params, catalog())
    warnings.extend(problem.keyed(K + problem.key) for problem in problems)
    priced = book.apply(catalog(), values["book"])  # its private models are models
    known = set(priced.model_ids())
    scenario = sc.complete(values, [m for m in models if m in known], None, priced, warnings)
    budget, _ = budget_link.BUDGET.clamp(float(state.get(K + "usd") or 0.0))
    return budget_link.BudgetCase(round(budget, 2), scenario, warnings)


def _widget_book() -> book.PriceBook:
    """The book the three boxes hold (entries that cannot be read left out; the case's
    warnings name them)."""
    state = st.session_state
    params = {key: str(state.get(K + key) or "") for key in book.LINK_KEYS}
    return book.from_text(params, catalog())[0]


def _sync_url(case: budget_link.BudgetCase) -> None:
    """Make the address bar hold this case, and only this page's keys (one write)."""
    wanted = budget_link.to_params(case.budget, case.scenario)
    if not st.session_state.get(K + "models"):
        wanted.pop(K + "models", None)
    url_state.show(wanted)


def _start() -> None:
    """On a fresh visit (no widget state yet), fill the widgets from the link, else from this
    session's Compare scenario, else the defaults."""
    state = st.session_state
    if K + "usd" in state and not url_state.from_outside():
        return
    case = budget_link.decode_params(st.query_params.to_dict(), catalog())
    state[K + "link_warnings"] = case.warnings
    state[K + "origin"] = ""
    remembered = common.remembered_scenario()
    if not case.from_link and remembered is not None:
        case = budget_link.case_from_scenario(remembered)
        state[K + "origin"] = (
            "Filled in from your Compare scenario: "
            f"{formatting.tokens(remembered.requests_per_month)} requests a month, "
            f"{', '.join(remembered.models)}, prices of {remembered.as_of:%d %b %Y}. "
            "Changes here do not change Compare."
        )
    _load(case)


FIELD_WIDTH = 140
"""Pixels per number box: two a row in the page's left column and on a 390 px phone (where
``st.columns`` would stack them one a line), three for the tier shares."""
SHARE_WIDTH = 92
BUDGET_WIDTH = 160
"""The budget box: its label on one line (two boxes still fit a phone's row)."""


BOXES = (
    (
        "**Budget and volume**",
        (
            ("usd", "Monthly budget (USD)", 50.0, "%.2f", BUDGET_WIDTH,
             "What you can spend per month on model calls, in US dollars."),
            ("req", "Requests per month", 1000.0, "%.0f", FIELD_WIDTH,
             "The monthly volume at which the largest prompt is worked out."),
        ),
    ),
    (
        "**Request shape** (tokens per request)",
        (
            ("in", "Input tokens", 100.0, "%.0f", FIELD_WIDTH,
             "Prompt tokens per request, cached ones included (for requests and tokens bought)."),
            ("cached", "Cached input (%)", 5.0, "%.1f", FIELD_WIDTH,
             "Share of input tokens served from the prompt cache, billed at the cached rate."),
            ("out", "Output tokens", 50.0, "%.0f", FIELD_WIDTH,
             "Visible completion tokens per request."),
            ("rsn", "Reasoning tokens", 100.0, "%.0f", FIELD_WIDTH,
             "Hidden reasoning tokens per request, billed as output."),
        ),
    ),
    (
        "**Service tiers** (share of requests)",
        (
            ("batch", "Batch (%)", 5.0, "%.0f", SHARE_WIDTH,
             "Requests sent through the Batch API (about half price, results within 24 h)."),
            ("flex", "Flex (%)", 5.0, "%.0f", SHARE_WIDTH,
             "Requests sent through flex processing (cheaper, slower; some models only)."),
            ("prio", "Priority (%)", 5.0, "%.0f", SHARE_WIDTH,
             "Requests sent through priority processing (faster, dearer; some models only)."),
        ),
    ),
)  # fmt: skip
"""The page's boxes: a title and its number boxes (link key, label, step, format, width, help);
each box's bounds are its field's (``scenarios.fields``, ``budget_link.BUDGET``)."""


def _box(title: str, boxes: tuple) -> st.delta_generator.DeltaGenerator:
    """A bordered box of number boxes in a row that wraps onto the next line when it runs out
    of width (columns would stack one a line on a phone); the row is returned for more."""
    specs = {**fields.figures(), budget_link.BUDGET.key: budget_link.BUDGET}
    st.markdown(title)
    row = st.container(horizontal=True, gap="small")
    for key, label, step, fmt, width, help_text in boxes:
        spec = specs[key]
        row.number_input(
            label,
            min_value=float(spec.low * spec.scale),
            max_value=float(spec.high * spec.scale),
            step=step,
            format=fmt,
            key=K + key,
            help=help_text,
            width=width,
        )
    return row


def _inputs() -> None:
    (volume, shape, tiers) = BOXES
    with st.container(border=True):
        row = _box(*volume)
        row.date_input(
            "Pricing date",
            min_value=written.MIN_DATE,
            max_value=written.MAX_DATE,
            key=K + "date",
            help="List prices in effect on this day; models not released yet are left out.",
            width=FIELD_WIDTH,
        )
    with st.container(border=True):
        _box(*shape)
    with st.container(border=True):
        _box(*tiers)
        st.caption("The rest goes at standard rates. A model without a tier you use is n/a.")
    _book_box()
    priced = book.apply(catalog(), _widget_book())
    st.multiselect(
        "Models",
        priced.model_ids(),
        format_func=lambda name: common.model_label(priced, name),
        key=K + "models",
        max_selections=sc.MAX_MODELS,
        wrap=True,
        help="The models to price (up to 12). The selection is part of the link.",
    )
    common.currency_box(
        K,
        note="The budget is entered in USD; the page shows it and the spend in this currency "
        "too, at this rate.",
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _plan(
    budget: float,
    workload: dict,
    models: tuple[str, ...],
    as_of: dt.date,
    your_book: book.PriceBook = book.NO_BOOK,
) -> core.BudgetPlan:
    """The core's answer, computed once per distinct input (reruns reuse it), priced with
    your book where there is one."""
    priced = book.apply(catalog(), your_book)
    return core.plan(budget, Workload(**workload), list(models), as_of, priced)


@st.cache_data(show_spinner=False, max_entries=256)
def _year(budget: float, workload: dict, scenario: sc.Scenario):
    """The 12-month figures (``scenarios.budget.twelve_months``), once per distinct input."""
    plan = _plan(budget, workload, tuple(scenario.models), scenario.as_of, scenario.book)
    return core.twelve_months(plan, scenario, scenario.priced(catalog()))


def _book_box() -> None:
    """Your prices, in the Compare box's link form (``bud_disc``, ``bud_ovr``, ``bud_mine``)."""
    with st.expander("Your prices (a price book of your own)", icon=":material/sell:"):
        for key in book.LINK_KEYS:
            st.text_input(
                compare_book.LABELS[key],
                key=K + key,
                placeholder=compare_book.PLACEHOLDER[key],
                help=compare_book.HELP[key],
            )


def _table(plan: core.BudgetPlan) -> None:
    table = plan.table.copy()
    table["limited_by"] = table["limited_by"].replace({"unavailable": "n/a"})
    table["note"] = [
        note or ("" if ok else "n/a: cannot price this workload")
        for note, ok in zip(table["note"], table["available"], strict=True)
    ]
    requests = plan.workload.requests
    # A short mark (the top of the page gives the dates and successors), so the table still
    # fits without sideways scrolling.
    table["availability"] = [SHORT_STATUS.get(s, "") for s in table["status"]]
    marked = (table["availability"] != "").any()
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height="content",
        placeholder="n/a",
        column_order=[
            "model",
            *(["availability"] if marked else []),
            "cost_per_request",
            "requests",
            "tokens",
            "largest_input_tokens",
            "limited_by",
        ],
        column_config={
            "model": st.column_config.TextColumn("Model", pinned=True),
            "availability": st.column_config.TextColumn(
                "Status",
                help="The model's standing on the pricing date (see the top of the page): a "
                "model shut down is shown at its last list price and never leads what the "
                "budget buys",
            ),
            "cost_per_request": st.column_config.NumberColumn(
                "$ / request",
                format=formatting.money_column_format(
                    formatting.money_decimals(table["cost_per_request"])
                ),
                help="USD per request at this request shape (rounded for display)",
            ),
            "requests": st.column_config.NumberColumn(
                "Requests/mo",
                format="localized",
                help="Whole requests a month the budget pays for (requests per month)",
            ),
            "tokens": st.column_config.NumberColumn(
                "Tokens/mo",
                format="compact",
                help="Input + output tokens a month at that volume",
            ),
            "largest_input_tokens": st.column_config.NumberColumn(
                "Largest prompt",
                format="localized",
                help=f"Input tokens per request (tokens) that fit the budget at "
                f"{formatting.count(requests)} requests a month",
            ),
            "limited_by": st.column_config.TextColumn(
                "Limited by",
                help="; ".join(
                    f"{k}: {v}" for k, v in core.LIMITED_BY.items() if k != "unavailable"
                )
                + "; n/a: the model cannot price this workload",
            ),
        },
        key=K + "table",
    )
    explained = table[table["note"] != ""]
    if not explained.empty:
        st.markdown(
            "**Why a figure is n/a or capped**\n"
            + "\n".join(
                f"- **{common.plain(row.model)}**: {common.plain(row.note)}"
                for row in explained.itertuples()
            )
        )


SHORT_STATUS = {SHUT_DOWN: "shut down", SHUTS_DOWN: "shuts down", NOT_RELEASED: "not released"}
"""Lifecycle code -> the table's mark (available: blank)."""


def _swap(old: str, new: str | None) -> None:
    """Replace ``old`` by ``new`` in the models (remove it when ``new`` is None)."""
    state = st.session_state
    day = state.get(K + "date")
    models, _ = report.swap_models(
        list(state.get(K + "models") or []),
        "",
        old,
        new,
        day if isinstance(day, dt.date) else clock.today(),
        catalog(),
    )
    state[K + "models"] = models


def _lifecycle_notices(scenario: sc.Scenario, models: list[str]) -> None:
    """At the top: models shut down, not released or shutting down on the pricing date, with
    one click to swap each for its successor (built from the codes, never the text)."""
    standings = [report.standing(m, scenario.as_of, catalog()) for m in models]
    notices = [s for s in standings if s.status != "available"]
    if not notices:
        return
    with st.container(border=True, key=K + "lifecycle"):
        for standing in notices:
            text = standing.text
            if standing.status == SHUT_DOWN:
                text += ". It never leads what the budget buys"
            left, right = st.columns([3, 1.2], vertical_alignment="center")
            alert = left.info if standing.selectable else left.warning
            alert(common.plain(text) + ".", icon=":material/event_busy:")
            if standing.replacement is not None:
                common.swap_button(right, K, standing.model, standing.replacement, _swap)


def render() -> None:
    _start()
    state = st.session_state
    st.title("What a budget buys")
    st.caption(
        "A monthly budget, the shape of a request, and per model: how many requests and tokens "
        "it pays for, and how large a prompt fits at your volume. The address bar holds the "
        "whole view: copy it to share."
    )
    common.freshness_caption()
    # The widgets' state is set before they are drawn, so the case is known here and the
    # lifecycle notices can stand at the top (above the inputs on a narrow screen).
    case = _widget_case()
    scenario = case.scenario
    models = list(state.get(K + "models") or [])
    _lifecycle_notices(scenario, models)
    left, right = st.columns([1, 2.3], gap="large")
    with left:
        _inputs()
    _sync_url(case)
    with right:
        if state.get(K + "origin"):
            st.info(state[K + "origin"], icon=":material/input:")
        common.warnings_list(
            state.get(K + "link_warnings") or [],
            prefix="Link parameter ",
            icon=":material/link_off:",
        )
        common.warnings_list(
            [w.removeprefix(K) for w in case.warnings if not w.startswith(K + "models")],
            icon=":material/tune:",
        )
        if not models:
            st.info("Pick at least one model.", icon=":material/checklist:")
            return
        workload = dataclasses.asdict(scenario.workload())
        plan = _plan(case.budget, workload, tuple(scenario.models), scenario.as_of, scenario.book)
        st.markdown(
            f"**{_budget_text(case.budget, currency.DisplayCurrency())}** · "
            f"{formatting.tokens(scenario.requests_per_month)} requests · "
            f"{formatting.tokens(scenario.input_tokens)} in / "
            f"{formatting.tokens(scenario.output_tokens + scenario.reasoning_tokens)} out tokens "
            f"per request · {scenario.cached_share * 100:.0f}% cached · "
            f"prices of {scenario.as_of:%d %b %Y}"
        )
        shown = scenario.display()
        if not shown.is_usd:
            st.markdown(f"**{common.plain(_budget_text(case.budget, shown))}**")
            st.caption(common.plain(f"Rate: {shown.rate_text}. The budget is entered in USD."))
        if scenario.book:
            st.info(
                common.plain(
                    f"Your prices: {scenario.book.text}. Every figure below is priced with them."
                ),
                icon=":material/sell:",
            )
        for message in plan.messages:
            st.info(message, icon=":material/info:")
        c1, c2 = st.columns(2)
        best = plan.row(plan.best)
        c1.metric(
            "Most requests a month",
            formatting.tokens(best["requests"]) if best is not None else "n/a",
            delta=plan.best or "no model",
            delta_color="off",
            delta_arrow="off",
            help="Whole requests per month the budget pays for on the model that gives most.",
            border=True,
        )
        largest = plan.row(plan.largest_model)
        c2.metric(
            f"Largest prompt at {formatting.tokens(scenario.requests_per_month)} requests",
            formatting.tokens(largest["largest_input_tokens"]) + " tokens"
            if largest is not None
            else "n/a",
            delta=plan.largest_model or "no model",
            delta_color="off",
            delta_arrow="off",
            help="Input tokens per request that keep the month within budget, on the model "
            "that fits the largest.",
            border=True,
        )
        year = _year(case.budget, workload, scenario)
        _table(plan)
        _year_section(plan, year, scenario.display())
        st.markdown("**Monthly cost against volume**")
        # The volumes around the scenario's, continued past the most requests the budget buys on
        # any model (x 1.25), so every model's budget crossing is on the chart.
        volumes = set(projection.volume_points(scenario.requests_per_month))
        reach = plan.table.loc[plan.table["available"], "requests"].max() * 1.25
        if reach > max(volumes):  # False for NaN (nothing priced, or free requests)
            volumes |= set(projection.volume_points(reach / 10))
        curve = cost_over_volume(
            scenario.workload(), sorted(volumes), list(scenario.models), scenario.as_of, catalog()
        )
        charts.volume_chart(
            curve,
            list(scenario.models),
            requests=scenario.requests_per_month,
            budget=case.budget,
        )


def _budget_text(budget: float, shown: currency.DisplayCurrency) -> str:
    """``EUR 90.00 / month, EUR 1,080.00 / year`` (``$100.00 / month, ...`` in USD)."""
    if shown.is_usd:
        month, year = formatting.usd(budget), formatting.usd(budget * core.MONTHS)
    else:
        month, year = shown.amount(budget), shown.amount(budget * core.MONTHS)
    return f"{month} / month, {year} / year"


def _year_section(plan: core.BudgetPlan, year, shown: currency.DisplayCurrency) -> None:
    """The year beside the month, per model (``scenarios.budget.twelve_months``): the requests
    the budget buys and what your volume costs over 12 months, in USD and, when one is picked,
    in the display currency with its rate (its own table: the monthly one stays one screen
    wide)."""
    code = shown.code
    frame = plan.table[["model", "cost_per_request"]].merge(year, on="model", how="left")
    frame = frame.assign(
        per_request=[shown.convert(v) for v in frame["cost_per_request"]],
        yearly=[shown.convert(v) for v in frame["spend_12_months"]],
    )
    columns = ["model", "requests_12_months", "spend_12_months"]
    if not shown.is_usd:
        columns += ["per_request", "yearly"]
    with st.container(border=True, key=K + "year"):
        st.markdown("**Over the next 12 months**")
        rate = "" if shown.is_usd else f" Rate: {shown.rate_text}; prices stay in USD."
        st.caption(
            common.plain(
                "Requests: 12 x a month's, at the pricing date's prices. USD/12 mo: what your "
                "volume costs, each month at its own list prices. n/a: the model is shut down "
                f"or not released within the 12 months.{rate}"
            )
        )
        st.dataframe(
            frame[columns],
            hide_index=True,
            width="stretch",
            placeholder="n/a",
            column_config={
                "model": st.column_config.TextColumn("Model", pinned=True),
                "requests_12_months": st.column_config.NumberColumn(
                    "Requests/12 mo",
                    format="localized",
                    help="12 x the requests a month the budget buys, at the pricing date's "
                    "prices; n/a when the model is shut down or not released within the 12 months",
                ),
                "spend_12_months": common.money_column(
                    "USD/12 mo",
                    frame["spend_12_months"],
                    help_text="What your monthly volume costs over the next 12 months, each "
                    "month at its own list prices (the projection Compare uses); n/a when the "
                    "model is shut down or not released within the 12 months",
                ),
                "per_request": common.amount_column(
                    f"{code}/request",
                    frame["per_request"],
                    f"USD per request in {code}, at the rate above (rounded for display)",
                ),
                "yearly": common.amount_column(
                    f"{code}/12 mo",
                    frame["yearly"],
                    f"The USD/12 mo column in {code}, at the rate above",
                ),
            },
            key=K + "year_table",
        )
