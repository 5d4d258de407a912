"""Compare's "Your prices" box: a price book of your own (``pricing.book``) on top of the table,
edited in the sidebar in the link's own compact form (discounts, field prices, private models),
uploaded as a book file (TOML) or downloaded as one. Draws only: reading goes through
``pricing.book.from_text`` (the link decoder's reader, so the page and a link agree entry for
entry), pricing through the scenario (``Scenario.priced``).

The Compare page calls ``load`` (scenario -> widgets), ``read`` (widgets -> the ``book`` field),
``inputs_box`` (the sidebar box), ``mark`` (the line under the headline) and ``link_note`` (the
share box's word when a book is too long for a link); ``WIDGETS`` and ``LABELS`` extend the
page's own.
"""

from __future__ import annotations

import streamlit as st

from app_pages.common import catalog, plain
from pricing import book
from pricing.reasons import Problem
from scenarios import report
from scenarios import scenario as sc
from scenarios.formatting import usd
from scenarios.links import compare as compare_link
from scenarios.scenario import Scenario

K = "cmp_"
"""The Compare page's widget-key prefix."""
WIDGETS = book.LINK_KEYS
"""Widget keys (without ``K``): one text box per kind of entry, named as the link names them."""
UPLOAD_ERROR = K + "book_error"
LABELS = {
    "disc": "Your discounts",
    "ovr": "Your field prices",
    "mine": "Your private models",
}
HELP = {
    "disc": "PROVIDER_OR_MODEL:PERCENT, comma-separated: openai:20 takes 20% off every token "
    "price of OpenAI's models; a model's own discount replaces its provider's. "
    "Add :FROM:UNTIL (dates, either empty) to limit it.",
    "ovr": "MODEL:FIELD:USD_PER_1M, comma-separated: gpt-4.1-mini:output:1.2. Fields: "
    + ", ".join(book.PRICE_FIELDS)
    + ". Applied after a discount.",
    "mine": "ID:INPUT:OUTPUT:CACHED:WINDOW (USD per 1M tokens, the context window in tokens; "
    "CACHED may be empty): a fine-tune or a self-hosted endpoint, then pick it under Models.",
}
PLACEHOLDER = {
    "disc": "openai:20",
    "ovr": "gpt-4.1-mini:output:1.2",
    "mine": "my-ft:0.3:1.2::128000",
}


def load(scenario: Scenario) -> None:
    params = book.to_text(scenario.book)
    for key in WIDGETS:
        st.session_state[K + key] = params.get(key, "")


def read(warnings: list[Problem]) -> dict:
    """The ``book`` of the three boxes, read as a link's; an entry that cannot be read is left
    out with a warning naming it."""
    params = {key: str(st.session_state.get(K + key) or "") for key in WIDGETS}
    found, problems = book.from_text(params, catalog())
    warnings.extend(problems)
    return {"book": found}


def _upload() -> None:
    """A book file replaces the boxes' book; a bad one changes nothing and says why."""
    state = st.session_state
    state[UPLOAD_ERROR] = ""
    upload = state.get(K + "book_file")
    if upload is None:
        return
    try:
        found = book.read_book(upload.getvalue(), upload.name, catalog())
    except book.PriceBookError as exc:
        state[UPLOAD_ERROR] = str(exc)
        return
    params = book.to_text(found)
    for key in WIDGETS:
        state[K + key] = params.get(key, "")


def inputs_box(scenario: Scenario) -> None:
    st.markdown("**Your prices**")
    for key in WIDGETS:
        st.text_input(
            LABELS[key], key=K + key, placeholder=PLACEHOLDER[key], help=HELP[key], max_chars=4000
        )
    st.file_uploader(
        "Price book file (TOML)",
        type=["toml"],
        key=K + "book_file",
        on_change=_upload,
        help="A file of [[discount]], [[override]] and [[model]] entries (README, 'Your own "
        "prices'); it fills the boxes above.",
    )
    error = st.session_state.get(UPLOAD_ERROR)
    if error:
        st.error(plain(error), icon=":material/error:")
    if scenario.book:
        st.download_button(
            "Download as a price book",
            data=book.to_toml(scenario.book),
            file_name="price-book.toml",
            mime="application/toml",
            icon=":material/download:",
            key=K + "book_download",
            on_click="ignore",
        )
    st.caption(
        "Your discounts and prices on top of the list prices; every figure priced with them "
        "says so. Empty: list prices."
    )


def mark(scenario: Scenario, comparison: report.Comparison) -> None:
    """Under the headline: that the figures are yours, and the baseline at list price."""
    if not scenario.book:
        return
    base = scenario.baseline
    line = f"Your prices: {scenario.book.text}."
    if base in catalog().model_ids():  # a private model has no list price
        at_list = scenario.with_values(book=book.NO_BOOK, models=(base,), baseline=base)
        list_total = report.compare(at_list, catalog()).table["total_cost"].iloc[0]
        yours = comparison.table.set_index("model")["total_cost"].get(base)
        if yours is not None and yours == yours and list_total == list_total:
            line += f" {base}: {usd(yours)} a month with them, {usd(list_total)} at list price."
    st.info(plain(line), icon=":material/sell:")


def host_variants(scenario: Scenario, model: str) -> list[str]:
    """The ids of ``model`` on other hosts (``pricing.peers.hosts``) that the table holds."""
    cat = scenario.priced(catalog())
    base = model.split("@", 1)[0]
    return [m for m in cat.model_ids() if m.split("@", 1)[0] == base and m != base and "@" in m]


def _add_hosts(model: str, variants: list[str]) -> None:
    state = st.session_state
    chosen = list(state.get(K + "models") or [])
    base = model.split("@", 1)[0]
    wanted = [base, *variants]
    kept = [m for m in chosen if m not in wanted]
    state[K + "models"] = list(dict.fromkeys([*wanted, *kept]))[: sc.MAX_MODELS]


def hosts_button(scenario: Scenario) -> None:
    """One click that adds the baseline's other hosts (Azure, Bedrock, Vertex, OpenRouter) to
    the models: the host spread of one model."""
    variants = host_variants(scenario, scenario.baseline)
    missing = [m for m in variants if m not in scenario.models]
    if not missing:
        return
    base = scenario.baseline.split("@", 1)[0]
    st.button(
        f"Compare {base} on other hosts ({len(variants)})",
        key=K + "hosts",
        on_click=_add_hosts,
        args=(base, variants),
        icon=":material/dns:",
        help="Adds the same model on Azure OpenAI, AWS Bedrock, Google Vertex or OpenRouter, "
        "at the host prices the peer tables list (marked unchecked), so the table shows what "
        "the host changes. At most " + str(sc.MAX_MODELS) + " models in all.",
    )


def link_note(scenario: Scenario) -> None:
    note = compare_link.book_note(scenario)
    if note:
        st.warning(plain(note[:1].upper() + note[1:] + "."), icon=":material/link_off:")
