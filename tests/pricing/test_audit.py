"""The audit against peer tables, on small hand-written peers; and once on the real ones."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import textwrap
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from cli.main import main
from pricing import audit
from pricing.catalog import Catalog, PriceDataError, load_catalog

AS_OF = dt.date(2026, 12, 1)

PRICES = textwrap.dedent(
    """
    provider = "openai"
    name = "OpenAI"

    [[models]]
    id = "m-one"
    name = "M one"
    encoding = "o200k_base"
    context_window = 128000
    max_output_tokens = 16384
    released = 2025-01-01
    aliases = ["m-one-2025-01-01"]
    shutdown = { date = 2026-06-30, source = "https://example.com/deprecations" }

    [[models.prices]]
    effective = 2025-01-01
    input = 1.00
    cached_input = 0.25
    output = 4.00
    batch = { input = 0.50, output = 2.00 }
    source = "https://example.com/pricing"
    checked = 2026-11-30

    [[models.prices]]
    effective = 2025-06-01
    input = 0.80
    cached_input = 0.20
    output = 3.20
    batch = { input = 0.40, output = 1.60 }
    source = "https://example.com/pricing"
    checked = 2026-11-30

    [[models]]
    id = "m-lonely"
    name = "M lonely"
    encoding = "o200k_base"
    context_window = 8000
    max_output_tokens = 4000
    released = 2025-01-01

    [[models.prices]]
    effective = 2025-01-01
    input = 2.00
    output = 8.00
    source = "https://example.com/pricing"
    checked = 2026-11-30
    """
)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    path = tmp_path / "openai.toml"
    path.write_text(PRICES)
    return Catalog.from_files([path])


class Names:
    """A genai-prices match rule look-alike: equals one of the names."""

    def __init__(self, *names: str):
        self.names = {n.lower() for n in names}

    def is_match(self, name: str) -> bool:
        return name in self.names


def prices(**values: str) -> SimpleNamespace:
    return SimpleNamespace(**{key: Decimal(value) for key, value in values.items()})


def genai(models: list[SimpleNamespace]) -> list[SimpleNamespace]:
    return [SimpleNamespace(id="openai", model_match=None, models=models)]


def genai_model(id: str, history, variants=(), **extra) -> SimpleNamespace:
    return SimpleNamespace(
        id=id,
        match=Names(id),
        context_window=extra.get("context_window"),
        deprecated=extra.get("deprecated"),
        prices=history,
        price_variants=list(variants),
    )


def when(start: dt.date | None, **values: str) -> SimpleNamespace:
    constraint = None if start is None else SimpleNamespace(start_date=start)
    return SimpleNamespace(constraint=constraint, prices=prices(**values))


LITELLM_ONE = {
    "input_cost_per_token": 8e-07,
    "cache_read_input_token_cost": 2e-07,
    "output_cost_per_token": 3.2000000000000003e-06,  # float noise: 3.2 per 1M
    "input_cost_per_token_batches": 4e-07,
    "output_cost_per_token_batches": 1.5e-06,  # differs: ours 1.60
    "max_input_tokens": 128000,
    "max_output_tokens": 16384,
    "deprecation_date": "2026-07-01",
    "litellm_provider": "openai",
    "mode": "chat",
}


def rows(result: audit.AuditResult, **match: object) -> list[tuple]:
    return [
        (c.model, c.field, c.date, c.ours, c.theirs, c.outcome)
        for c in result.comparisons
        if all(getattr(c, key) == value for key, value in match.items())
    ]


def run(catalog, genai_providers=None, litellm_data=None, judged=()):
    return audit.audit(
        catalog,
        genai_providers=genai_providers,
        litellm_data=litellm_data,
        judged=judged,
        as_of=AS_OF,
    )


def test_litellm_field_by_field_agree_differ_and_lifecycle(catalog):
    result = run(catalog, litellm_data={"m-one": LITELLM_ONE})
    assert rows(result, peer="litellm", model="m-one") == [
        ("m-one", "input", dt.date(2025, 6, 1), "0.80", "0.8", "agree"),
        ("m-one", "cached_input", dt.date(2025, 6, 1), "0.20", "0.2", "agree"),
        ("m-one", "output", dt.date(2025, 6, 1), "3.20", "3.2", "agree"),
        ("m-one", "batch_input", dt.date(2025, 6, 1), "0.40", "0.4", "agree"),
        ("m-one", "batch_output", dt.date(2025, 6, 1), "1.60", "1.5", "differ"),
        ("m-one", "context_window", None, "128000", "128000", "agree"),
        ("m-one", "max_output_tokens", None, "16384", "16384", "agree"),
        ("m-one", "shutdown", None, "2026-06-30", "2026-07-01", "lifecycle"),
    ]
    assert rows(result, peer="litellm", model="m-lonely") == [
        ("m-lonely", "missing_there", None, "m-lonely", "", "missing_there")
    ]
    assert not result.clean


def test_litellm_per_token_prices_become_exact_decimals():
    flat, tiers = audit._litellm_flat(
        {
            "input_cost_per_token": Decimal("1.25e-06"),
            "output_cost_per_token": 1.0000000000000002e-05,
            "input_cost_per_token_above_200k_tokens": 2.5e-06,
            "output_cost_per_token_above_200k_tokens": 1.5e-05,
            "input_cost_per_token_flex": 6.25e-07,
        }
    )
    assert flat == {
        "input": Decimal("1.25"),
        "output": Decimal("10"),
        "long_context_input": Decimal("2.5"),
        "long_context_output": Decimal("15"),
        "flex_input": Decimal("0.625"),
        "long_context_threshold": 200000,
    }
    assert tiers == {"flex"}


def test_genai_date_by_date_and_start_dates_we_lack(catalog):
    model = genai_model(
        "m-one",
        [
            when(None, input_mtok="1", cache_read_mtok="0.25", output_mtok="4"),
            # A cut we do not have on this date (we cut on 2025-06-01)...
            when(dt.date(2025, 3, 1), input_mtok="0.8", cache_read_mtok="0.2", output_mtok="3.2"),
        ],
        # ...and a batch table that genai-prices only lists from 2025-06-01.
        variants=[
            SimpleNamespace(
                when={"processing": "batch"},
                prices=prices(input_mtok="0.4", output_mtok="1.6"),
                constraint=SimpleNamespace(start_date=dt.date(2025, 6, 1)),
            )
        ],
        context_window=128000,
    )
    result = run(catalog, genai_providers=genai([model]))
    assert rows(result, peer="genai-prices", model="m-one") == [
        ("m-one", "input", dt.date(2025, 1, 1), "1.00", "1", "agree"),
        ("m-one", "cached_input", dt.date(2025, 1, 1), "0.25", "0.25", "agree"),
        ("m-one", "output", dt.date(2025, 1, 1), "4.00", "4", "agree"),
        # No batch comparison on 2025-01-01: the peer lists no batch tier then.
        ("m-one", "input", dt.date(2025, 3, 1), "1.00", "0.8", "differ"),
        ("m-one", "cached_input", dt.date(2025, 3, 1), "0.25", "0.2", "differ"),
        ("m-one", "output", dt.date(2025, 3, 1), "4.00", "3.2", "differ"),
        ("m-one", "input", dt.date(2025, 6, 1), "0.80", "0.8", "agree"),
        ("m-one", "cached_input", dt.date(2025, 6, 1), "0.20", "0.2", "agree"),
        ("m-one", "output", dt.date(2025, 6, 1), "3.20", "3.2", "agree"),
        ("m-one", "batch_input", dt.date(2025, 6, 1), "0.40", "0.4", "agree"),
        ("m-one", "batch_output", dt.date(2025, 6, 1), "1.60", "1.6", "agree"),
        ("m-one", "context_window", None, "128000", "128000", "agree"),
    ]


def test_genai_time_of_day_prices_compare_the_standard_hours(catalog):
    off_peak = when(None, input_mtok="0.5", output_mtok="2")
    peak = SimpleNamespace(
        constraint=SimpleNamespace(start_time=dt.time(0, 30), end_time=dt.time(16, 30)),
        prices=prices(input_mtok="2", output_mtok="8"),
    )
    result = run(catalog, genai_providers=genai([genai_model("m-lonely", [off_peak, peak])]))
    assert rows(result, peer="genai-prices", model="m-lonely") == [
        ("m-lonely", "input", dt.date(2025, 1, 1), "2.00", "2", "agree"),
        ("m-lonely", "output", dt.date(2025, 1, 1), "8.00", "8", "agree"),
    ]


def test_missing_here_lists_only_priced_chat_models_we_lack(catalog):
    litellm = {
        "m-one": LITELLM_ONE,
        "m-new": {**LITELLM_ONE, "deprecation_date": None},
        "m-one-2025-01-01": LITELLM_ONE,  # our alias
        "m-one-2026-01-01": LITELLM_ONE,  # a dated snapshot of a model we carry
        "m-old": {**LITELLM_ONE, "deprecation_date": "2026-01-01"},  # shut down
        "m-embedding": {**LITELLM_ONE, "mode": "embedding", "deprecation_date": None},
        "m-free": {"litellm_provider": "openai", "mode": "chat"},  # not priced
        "azure/m-new": {**LITELLM_ONE, "litellm_provider": "azure"},  # not the provider's API
    }
    result = run(catalog, litellm_data=litellm)
    assert rows(result, outcome="missing_here") == [
        ("m-new", "missing_here", None, "", "m-new", "missing_here")
    ]


def test_one_host_retiring_a_model_does_not_hide_another_hosts(tmp_path):
    # Host "a" retired m-open; host "b" still serves it. Audited alone or together, host b's
    # m-open is missing here: the result does not depend on which providers run together.
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(
            PRICES.replace('provider = "openai"', f'provider = "{name}"')
            .replace('"m-one"', f'"{name}-one"')
            .replace('"m-one-2025-01-01"', f'"{name}-one-2025-01-01"')
            .replace('"m-lonely"', f'"{name}-lonely"')
        )
    hosts = Catalog.from_files(sorted(tmp_path.glob("*.toml")))
    open_model = {**LITELLM_ONE, "deprecation_date": None}
    litellm = {
        "a/m-open": {**open_model, "litellm_provider": "a", "deprecation_date": "2026-01-01"},
        "b/m-open": {**open_model, "litellm_provider": "b"},
    }

    def missing(providers):
        result = audit.audit(
            hosts, genai_providers=None, litellm_data=litellm, as_of=AS_OF, providers=providers
        )
        return [(c.provider, c.model) for c in result.comparisons if c.outcome == "missing_here"]

    assert missing(["b"]) == [("b", "b/m-open")]
    assert missing(["a", "b"]) == [("b", "b/m-open")]


def test_missing_here_is_capped_and_sorted(catalog, monkeypatch):
    monkeypatch.setattr(audit, "MISSING_HERE_CAP", 2)
    litellm = {f"m-x{i}": {**LITELLM_ONE, "deprecation_date": None} for i in (3, 1, 2, 4)}
    result = run(catalog, litellm_data=litellm)
    assert [c.model for c in result.comparisons if c.outcome == "missing_here"] == [
        "m-x1",
        "m-x2",
    ]
    assert result.left_off == {("openai", "litellm"): 2}
    assert "... and 2 more missing_here in litellm" in audit.to_text(result)


def judgement(**overrides) -> audit.JudgedEntry:
    values = {
        "model": "m-one",
        "field": "batch_output",
        "peer": "litellm",
        "date": dt.date(2025, 6, 1),
        "ours": "1.6",
        "theirs": "1.50",
        "why": "litellm halves a stale batch price.",
    }
    values.update(overrides)
    return audit.JudgedEntry("openai", audit.Judgement(**values))


def test_a_judgement_matches_values_after_normalising_numbers(catalog):
    judged = [
        judgement(),
        judgement(field="shutdown", date=None, ours="2026-06-30", theirs="2026-07-01"),
        judgement(model="m-lonely", field="missing_there", date=None, ours="m-lonely", theirs=""),
    ]
    result = run(catalog, litellm_data={"m-one": LITELLM_ONE}, judged=judged)
    (batch,) = [c for c in result.comparisons if c.field == "batch_output"]
    assert batch.judged_why == "litellm halves a stale batch price."
    assert result.unjudged() == []
    assert result.stale == ()
    assert result.clean
    csv = result.frame()
    assert list(csv.columns) == list(audit.CSV_COLUMNS)
    assert csv[csv["field"] == "batch_output"].iloc[0].to_dict() == {
        "model": "m-one",
        "peer": "litellm",
        "peer_id": "m-one",
        "field": "batch_output",
        "date": dt.date(2025, 6, 1),
        "ours": "1.60",
        "theirs": "1.5",
        "outcome": "differ",
        "judged_why": "litellm halves a stale batch price.",
    }


def test_a_peer_that_moves_again_is_flagged_anew_and_the_judgement_is_stale(catalog):
    moved = {**LITELLM_ONE, "output_cost_per_token_batches": 1.4e-06}
    old = judgement()
    result = run(catalog, litellm_data={"m-one": moved}, judged=[old])
    assert rows(result, field="batch_output") == [
        ("m-one", "batch_output", dt.date(2025, 6, 1), "1.60", "1.4", "differ")
    ]
    assert result.stale == (old,)
    text = audit.to_text(result)
    assert "m-one  batch_output 2025-06-01  ours 1.60  litellm 1.4 (m-one)  [differ]" in text
    assert "stale judgements" in text
    stale = result.frame(["stale"])
    assert stale[["model", "field", "ours", "theirs", "outcome"]].values.tolist() == [
        ["m-one", "batch_output", "1.6", "1.50", "stale"]
    ]


def test_a_judgement_for_another_date_or_an_agreement_is_stale(catalog):
    judged = [
        judgement(date=dt.date(2025, 1, 1)),
        judgement(field="input", ours="0.8", theirs="0.8"),
    ]
    result = run(catalog, litellm_data={"m-one": LITELLM_ONE}, judged=judged)
    assert [s.judgement.field for s in result.stale] == ["batch_output", "input"]
    assert [c.field for c in result.unjudged()] == ["batch_output", "shutdown", "missing_there"]


def write_judged(tmp_path: Path, text: str) -> Path:
    directory = tmp_path / "judged"
    directory.mkdir()
    (directory / "openai.toml").write_text(textwrap.dedent(text))
    return directory


def test_judged_files_load(tmp_path):
    directory = write_judged(
        tmp_path,
        """
        [[judged]]
        model = "o3"
        field = "cached_input"
        peer = "genai-prices"
        date = 2025-04-16
        ours = "2.50"
        theirs = "0.50"
        why = "Launch price."
        """,
    )
    (entry,) = audit.load_judged(directory)
    assert entry.provider == "openai"
    assert entry.judgement.date == dt.date(2025, 4, 16)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'model = "o3"\nfield = "input"\npeer = "litellm"\nours = ""\ntheirs = ""\n'
            'why = "x"\nwhen = 2025-01-01\n',
            "judged/openai.toml: judged entry 1 (model o3): field when: unknown key",
        ),
        (
            'model = "o3"\nfield = "input"\npeer = "litellm"\nours = 2.50\ntheirs = ""\n'
            'why = "x"\n',
            "judged/openai.toml: judged entry 1 (model o3): field ours: Input should be a valid "
            "string",
        ),
        (
            'model = "o3"\nfield = "inptu"\npeer = "litellm"\nours = ""\ntheirs = ""\nwhy = "x"\n',
            "judged/openai.toml: judged entry 1 (model o3): field field: Value error, unknown "
            "field 'inptu'",
        ),
        (
            'model = "o3"\nfield = "input"\npeer = "simonw"\nours = ""\ntheirs = ""\nwhy = "x"\n',
            "judged/openai.toml: judged entry 1 (model o3): field peer: Input should be "
            "'genai-prices' or 'litellm'",
        ),
        (
            'model = "o3"\nfield = "input"\npeer = "litellm"\nours = ""\ntheirs = ""\n',
            "judged/openai.toml: judged entry 1 (model o3): field why: required field is missing",
        ),
    ],
)
def test_a_malformed_judged_file_names_the_file_entry_and_field(tmp_path, body, message):
    directory = write_judged(tmp_path, "[[judged]]\n" + body)
    with pytest.raises(audit.JudgedDataError) as caught:
        audit.load_judged(directory)
    assert str(caught.value) == message


def test_cli_bad_arguments_exit_2_with_one_line(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["audit", "--show", "agree,nope"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("tokenbudget audit: error: argument --show: unknown outcome nope")
    assert err.count("\n") == 1
    assert main(["audit", "--provider", "acme"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tokenbudget: error: argument --provider: unknown provider 'acme'")
    assert err.count("\n") == 1


def test_cli_exit_status_follows_the_result(monkeypatch, capsys, catalog):
    clean = run(catalog, litellm_data={})
    monkeypatch.setattr(audit, "run", lambda *args, **kwargs: clean)
    monkeypatch.setattr(audit, "peer_versions", lambda: {})
    assert main(["audit", "--format", "csv"]) == 1  # m-one and m-lonely missing there
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(audit.CSV_COLUMNS)
    assert lines[1:] == [
        "m-one,litellm,,missing_there,,m-one,,missing_there,",
        "m-lonely,litellm,,missing_there,,m-lonely,,missing_there,",
    ]
    judged = run(
        catalog,
        litellm_data={},
        judged=[
            judgement(
                model=m, field="missing_there", date=None, ours=m, theirs="", why="Not listed."
            )
            for m in ("m-one", "m-lonely")
        ],
    )
    monkeypatch.setattr(audit, "run", lambda *args, **kwargs: judged)
    assert main(["audit"]) == 0
    assert "0 unjudged differences, 0 stale judgements." in capsys.readouterr().out


def test_cli_reports_a_missing_peer_package(monkeypatch, capsys):
    def missing(*args, **kwargs):
        raise audit.AuditError("peer package litellm is not installed")

    monkeypatch.setattr(audit, "run", missing)
    assert main(["audit"]) == 2
    assert capsys.readouterr().err == (
        "tokenbudget: error: audit: peer package litellm is not installed\n"
    )


def _peers_installed() -> bool:
    if importlib.util.find_spec("genai_prices") is None:
        return False
    try:
        importlib.metadata.distribution("litellm")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.mark.skipif(
    not _peers_installed(),
    reason="peer packages genai-prices and litellm are not installed "
    "(pip install -r requirements-dev.txt); CI installs them",
)
def test_the_shipped_table_has_no_unjudged_difference_on_a_shared_model():
    """As of the last audit's day (pricing/audited.toml), never today: a peer's own dates passing
    (litellm's deprecation_date) must not turn a judgement stale in a test. Whether the table is
    still true today is `tokenbudget audit`'s question."""
    stamp = audit.load_stamp()
    installed = audit.peer_versions()
    pinned = {peer: stamp.peers[peer].version for peer in audit.PEERS}
    assert installed == pinned, (
        f"installed peers {installed} are not the ones the table was audited against {pinned}: "
        "run `tokenbudget audit`, judge, and update pricing/audited.toml"
    )
    result = audit.run(load_catalog(), as_of=stamp.as_of)
    shared = [
        c for c in result.unjudged() if c.outcome not in (audit.MISSING_HERE, audit.MISSING_THERE)
    ]
    lines = [
        f"{c.provider}: {c.model} {c.field} {c.date or ''} {c.peer}: "
        f"ours {c.ours!r} theirs {c.theirs!r} [{c.outcome}]"
        for c in shared
    ]
    lines += [
        f"{s.provider}: stale judgement {s.judgement.model} {s.judgement.field} "
        f"{s.judgement.date or ''} {s.judgement.peer}: ours {s.judgement.ours!r} "
        f"theirs {s.judgement.theirs!r}"
        for s in result.stale
    ]
    assert not lines, (
        f"{len(shared)} unjudged differences and {len(result.stale)} stale judgements "
        "(record each in pricing/judged/<provider>.toml or fix the table):\n" + "\n".join(lines)
    )


def test_the_audit_stamp_is_read_and_a_broken_one_names_its_file(tmp_path):
    stamp = audit.load_stamp()
    assert stamp.as_of.isoformat() == "2026-12-07"
    assert set(stamp.peers) == set(audit.PEERS)
    bad = tmp_path / "audited.toml"
    bad.write_text('as_of = "soon"\n')
    with pytest.raises(PriceDataError, match=r"^audited.toml: field as_of: "):
        audit.load_stamp(bad)
    bad.write_text("as_of = [")
    with pytest.raises(PriceDataError, match=r"^audited.toml: not valid TOML"):
        audit.load_stamp(bad)
