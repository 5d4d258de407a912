"""Your own prices (pricing/book.py): discounts, overrides and private models on top of the table,
worked by hand at the prices of 2026-12-06 (gpt-4.1-mini: $0.40 in, $0.10 cached, $1.60 out per
1M tokens; gpt-4o-mini: $0.15 in, $0.60 out), through the core, the link, the CSV and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main as tokenbudget
from pricing import book
from pricing.book import NO_BOOK, PriceBook, PriceBookError, discount_from_text, read_book
from pricing.catalog import flatten_prices, load_catalog
from scenarios import report, report_csv
from scenarios.links import compare as compare_link
from scenarios.projection import monthly_projection
from scenarios.scenario import Scenario

DAY = dt.date(2026, 12, 6)
CAT = load_catalog()
MINI = "gpt-4.1-mini"


def scenario(**changes) -> Scenario:
    values = dict(requests=1000.0, input_tokens=1000.0, output_tokens=100.0)
    values.update(models=(MINI, "gpt-4o-mini"), baseline=MINI, as_of=DAY)
    return Scenario(**{**values, **changes})


def totals(s: Scenario) -> dict[str, float]:
    table = report.compare(s).table
    return dict(zip(table["model"], table["total_cost"], strict=True))


def test_list_price_and_twenty_percent_off_openai():
    # 1,000 x (1,000 x 0.40 + 100 x 1.60) / 1e6 = $0.56; 20% off: $0.448
    assert totals(scenario())[MINI] == pytest.approx(0.56, abs=1e-12)
    off = scenario(book=PriceBook((discount_from_text("openai:20", CAT),)))
    got = totals(off)
    assert got[MINI] == pytest.approx(0.448, abs=1e-12)
    # gpt-4o-mini: 1,000 x (1,000 x 0.15 + 100 x 0.60) / 1e6 = $0.21, 20% off $0.168
    assert got["gpt-4o-mini"] == pytest.approx(0.168, abs=1e-12)
    table = report.compare(off).table
    assert set(table["your_price"]) == {"your price: 20% off openai"}
    assert all("your price: 20% off openai" in w for w in table["warnings"])
    # the table itself is untouched
    assert totals(scenario())[MINI] == pytest.approx(0.56, abs=1e-12)


def test_a_models_own_discount_replaces_its_providers():
    rules = (discount_from_text("openai:20", CAT), discount_from_text("gpt-4.1-mini:50", CAT))
    got = totals(scenario(book=PriceBook(rules)))
    assert got[MINI] == pytest.approx(0.28, abs=1e-12)  # 0.56 / 2
    assert got["gpt-4o-mini"] == pytest.approx(0.168, abs=1e-12)


def test_an_override_changes_only_its_field():
    text = '[[override]]\nmodel = "gpt-4.1-mini"\nfield = "output"\nprice = 1.20\n'
    mine = read_book(text, "book.toml", CAT)
    before = flatten_prices(CAT.price(MINI, DAY))
    after = flatten_prices(book.apply(CAT, mine).price(MINI, DAY))
    assert after.pop("output") == 1.2 and before.pop("output") == 1.6
    # input, cached input, every tier and the long-context rates as they were (NaN: not priced)
    assert {k: str(v) for k, v in after.items()} == {k: str(v) for k, v in before.items()}
    # 1,000 x (1,000 x 0.40 + 100 x 1.20) / 1e6 = $0.52
    assert totals(scenario(book=mine))[MINI] == pytest.approx(0.52, abs=1e-12)
    assert book.apply(CAT, mine).price("gpt-4o-mini", DAY) == CAT.price("gpt-4o-mini", DAY)


def test_a_dated_book_applies_only_inside_its_range():
    text = '[[discount]]\ntarget = "openai"\npercent = 20\nfrom = 2027-01-01\nuntil = 2027-01-31\n'
    dated = read_book(text, "book.toml", CAT)
    assert totals(scenario(book=dated))[MINI] == pytest.approx(0.56, abs=1e-12)
    assert report.compare(scenario(book=dated)).table["your_price"].iloc[0] == ""
    jan = scenario(book=dated, as_of=dt.date(2027, 1, 15))
    assert totals(jan)[MINI] == pytest.approx(0.448, abs=1e-12)
    assert totals(scenario(book=dated, as_of=dt.date(2027, 2, 1)))[MINI] == pytest.approx(0.56)
    # month by month from 2026-12-06, no growth: Dec at list, Jan 6 inside, Feb 6 outside
    months = monthly_projection(scenario(book=dated, models=(MINI,), growth=0.0))
    first = months[months["model"] == MINI]["total_cost"].tolist()[:3]
    assert first == pytest.approx([0.56, 0.448, 0.56], abs=1e-12)


def test_a_private_model_is_priced_per_token_and_marked():
    text = '[[model]]\nid = "support-ft"\ninput = 0.30\noutput = 1.20\ncontext_window = 64000\n'
    mine = read_book(text, "book.toml", CAT)
    s = scenario(book=mine, models=(MINI, "support-ft"))
    # 1,000 x (1,000 x 0.30 + 100 x 1.20) / 1e6 = $0.42
    assert totals(s)["support-ft"] == pytest.approx(0.42, abs=1e-12)
    info = s.priced().model("support-ft")
    assert info.source_kind == "yours" and info.price_from == "your price book"
    assert info.context_window == 64000 and not info.encoding_exact


def test_the_link_carries_the_book_and_the_page_csv_and_cli_agree(capsys):
    rules = PriceBook((discount_from_text("openai:20", CAT),))
    s = scenario(book=rules)
    query = compare_link.encode(s)
    assert "disc=openai%3A20" in query
    decoded = compare_link.decode(query)
    assert decoded.warnings == [] and decoded.scenario.book == rules
    assert totals(decoded.scenario)[MINI] == pytest.approx(0.448, abs=1e-12)
    rows = list(csv.DictReader(io.StringIO(report_csv.comparison_csv(s).decode())))
    assert [float(r["total_cost_usd_per_month"]) for r in rows] == [0.448, 0.168]
    assert {r["your_price"] for r in rows} == {"your price: 20% off openai"}
    argv = ["cost", "--requests", "1000", "--input-tokens", "1000", "--output-tokens", "100"]
    argv += ["--models", "gpt-4.1-mini,gpt-4o-mini", "--as-of", "2026-12-06"]
    assert tokenbudget([*argv, "--discount", "openai:20", "--format", "csv"]) == 0
    cli_rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [float(r["total_cost"]) for r in cli_rows] == pytest.approx([0.448, 0.168], abs=1e-15)
    assert tokenbudget(["cost", "--link", f"http://x/?{query}", "--format", "csv"]) == 0
    assert capsys.readouterr().out.encode() == report_csv.comparison_csv(s, "http://x")


def test_cli_price_book_file_and_its_errors(tmp_path, capsys):
    path = tmp_path / "book.toml"
    path.write_text('[[discount]]\ntarget = "openai"\npercent = 20\n', encoding="utf-8")
    argv = ["cost", "--requests", "1000", "--input-tokens", "1000", "--output-tokens", "100"]
    argv += ["--models", "gpt-4.1-mini", "--as-of", "2026-12-06", "--format", "json"]
    assert tokenbudget([*argv, "--price-book", str(path)]) == 0
    assert '"total_cost":0.448' in capsys.readouterr().out.replace(" ", "")
    path.write_text('[[discount]]\ntarget = "openai"\npercent = 120\n', encoding="utf-8")
    assert tokenbudget([*argv, "--price-book", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "percent: must be 0 to 100" in err and "Traceback" not in err
    assert tokenbudget([*argv, "--price-book", str(tmp_path / "none.toml")]) == 2
    assert "no such file" in capsys.readouterr().err


HOSTILE = [
    ('[[discount]]\ntarget = "openai"\npercent = -5\n', "percent: must be 0 to 100"),
    ('[[discount]]\ntarget = "openai"\npercent = 100.5\n', "percent: must be 0 to 100"),
    ('[[discount]]\ntarget = "nobody"\npercent = 5\n', "not a provider or a model"),
    ('[[override]]\nmodel = "gpt-4.1-mini"\nfield = "output"\nprice = 1e308\n', "must be 0 to"),
    ('[[override]]\nmodel = "gpt-4.1-mini"\nfield = "output"\nprice = -1\n', "must be 0 to"),
    ('[[override]]\nmodel = "gpt-4.1-mini"\nfield = "output"\nprice = nan\n', "must be 0 to"),
    ('[[override]]\nmodel = "gpt-9"\nfield = "output"\nprice = 1\n', "not a model of the table"),
    ('[[override]]\nmodel = "gpt-4.1-mini"\nfield = "source"\nprice = 1\n', "field: one of"),
    ('[[override]]\nmodel = "gpt-4.1-mini"\nprice = 1\n', "needs field"),
    (
        '[[discount]]\ntarget = "openai"\npercent = 5\nfrom = 2027-02-01\nuntil = 2027-01-01\n',
        "before",
    ),
    ('[[model]]\nid = "gpt-4.1-mini"\ninput = 1\noutput = 1\n', "already a model"),
    ('[[model]]\nid = "Bad Id!"\ninput = 1\noutput = 1\n', "lower-case letters"),
    ('[[model]]\nid = "x"\ninput = 1\noutput = 1\ncached_input = 2\n', "above input"),
    (
        '[[model]]\nid = "x"\ninput = 1\noutput = 1\n[[model]]\nid = "x"\ninput = 1\noutput = 1\n',
        "twice",
    ),
    ("[prices]\nx = 1\n", "unknown section"),
    ("discount = 5\n", "must be written [[discount]]"),
    ("[[discount\n", "not a TOML file"),
    ('[[discount]]\ntarget = "openai"\npercent = 5\ncolour = "red"\n', "unknown field"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE)
def test_hostile_books_are_one_line_errors(text, message):
    with pytest.raises(PriceBookError, match=re.escape(message)) as caught:
        read_book(text, "book.toml", CAT)
    assert "\n" not in str(caught.value) and str(caught.value).startswith("book.toml: ")


def test_a_book_that_makes_a_model_free_is_read_with_a_warning():
    mine = read_book('[[discount]]\ntarget = "gpt-4.1-mini"\npercent = 100\n', "b.toml", CAT)
    assert mine.warnings == (
        "b.toml: makes gpt-4.1-mini free (input and output $0 from 2025-04-14)",
    )
    assert totals(scenario(book=mine))[MINI] == 0.0


def test_a_book_too_long_for_a_link_says_so_and_the_link_opens_at_list_prices():
    many = PriceBook(
        overrides=tuple(
            book.Override(model=MINI, field="output", price=Decimal(i), start=dt.date(2027, 1, 1))
            for i in range(1, 200)
        )
    )
    params, why = book.link_text(many)
    assert params == {} and "too long for a link" in why and "share the book file" in why
    assert compare_link.book_note(scenario(book=many)) == why
    assert "ovr=" not in compare_link.encode(scenario(book=many))


def test_a_bad_link_entry_is_left_out_and_named():
    query = compare_link.encode(scenario()) + "&disc=openai:20,openai:500,nobody:5&ovr=x"
    decoded = compare_link.decode(query)
    assert decoded.scenario.book == PriceBook((discount_from_text("openai:20", CAT),))
    texts = [(w.key, w.text) for w in decoded.warnings]
    assert [k for k, _ in texts] == ["disc", "disc", "ovr"]
    assert all("left out" in t for _, t in texts)


def test_toml_written_by_the_editor_reads_back_to_the_same_book():
    text = (
        '[[discount]]\ntarget = "openai"\npercent = 12.5\nfrom = 2027-01-01\n'
        '[[override]]\nmodel = "gpt-4o-mini"\nfield = "cached_input"\nprice = 0.05\n'
        '[[model]]\nid = "mine"\ninput = 0.3\noutput = 1.2\ncached_input = 0.1\n'
    )
    first = read_book(text, "b.toml", CAT)
    assert read_book(book.to_toml(first), "again.toml", CAT) == first
    again, problems = book.from_text(book.to_text(first), CAT)
    assert problems == [] and again == first


def test_applying_twice_is_applying_once():
    rules = PriceBook((discount_from_text("openai:20", CAT),))
    once = book.apply(CAT, rules)
    assert book.apply(once, rules) is once
    assert book.apply(once, NO_BOOK) is CAT
    assert totals(scenario(book=rules))[MINI] == pytest.approx(0.448, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(book.LINK_KEYS), st.text(max_size=80)))
def test_any_link_book_text_reads_without_raising(params):
    found, problems = book.from_text(params, CAT)
    assert isinstance(found, PriceBook)
    assert all(p.key in book.LINK_KEYS for p in problems)


VALUES = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.booleans(),
    st.none(),
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["discount", "override", "model"]),
    st.dictionaries(
        st.sampled_from(["target", "percent", "model", "field", "price", "id", "input", "output",
                         "from", "until", "context_window", "encoding"]),
        VALUES,
    ),
)  # fmt: skip
def test_any_book_entry_is_read_or_refused_with_a_price_book_error(section, entry):
    try:
        found = book.checked(
            PriceBook(
                **{
                    {"discount": "discounts", "override": "overrides", "model": "models"}[
                        section
                    ]: (
                        {
                            "discount": book.discount,
                            "override": book.override,
                            "model": book.private_model,
                        }[section](dict(entry), CAT, section),
                    )
                }
            ),
            CAT,
        )
    except PriceBookError as exc:
        assert "\n" not in str(exc)
        return
    s = scenario(book=found, models=(MINI, *(m.id for m in found.models)))
    assert all(v >= 0 for v in totals(s).values())
