"""Broken price data (issue 10, point 6): a malformed file is named on every page and in every
CLI (file, model, price entry, field); a missing provider file is an error everywhere.

The rule for "missing": the provider files are the ones ``pricing/data/PROVIDERS`` lists
(``pricing.providers.provider_files``), so it holds in a git checkout, an unpacked archive and an
installed copy alike. A listed file that is absent or empty is an error; so is a ``*.toml`` that
is not listed. The app also checks that its default models resolve
(``pricing.catalog.require_models``).
"""

from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import pricing.catalog
from app_pages import common
from cli.main import main as tokenbudget
from pricing.catalog import DATA_DIR, PriceDataError, load_catalog
from pricing.providers import missing_provider_files

PAGES = ("compare", "tokenize", "prices", "budget", "source_check", "usage")


def _page(name: str) -> None:
    import importlib

    importlib.import_module(f"app_pages.{name}").render()


def copy_data(folder: Path) -> Path:
    target = folder / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def broken(tmp_path, monkeypatch) -> Path:
    """The shipped data with one bad price in openai.toml, as the default data directory."""
    data = copy_data(tmp_path)
    path = data / "openai.toml"
    path.write_text(re.sub(r"(?m)^input = [0-9.]+", "input = -1", path.read_text(), count=1))
    monkeypatch.setattr(pricing.catalog, "DATA_DIR", data)
    common._shipped_catalog.clear()
    yield data
    common._shipped_catalog.clear()


@pytest.fixture
def missing(tmp_path, monkeypatch) -> Path:
    """A copy of the data (no git: as an archive or an install has it) with openai.toml
    deleted, as the default data directory."""
    data = copy_data(tmp_path)
    (data / "openai.toml").unlink()
    monkeypatch.setattr(pricing.catalog, "DATA_DIR", data)
    common._shipped_catalog.clear()
    yield data
    common._shipped_catalog.clear()


def _forget() -> None:
    for cached in (pricing.catalog._load_dir, pricing.catalog._layer, pricing.catalog._with_peers):
        cached.cache_clear()


def _message(exc_info) -> str:
    return str(exc_info.value)


def test_the_shipped_data_has_no_missing_file():
    assert missing_provider_files(DATA_DIR) == []


def test_the_loader_names_file_model_entry_and_field(broken):
    with pytest.raises(PriceDataError) as exc_info:
        load_catalog()
    assert re.search(r"openai\.toml: model \S+: price entry \S+: field input", _message(exc_info))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_loader_message(broken, page):
    at = AppTest.from_function(_page, args=(page,), default_timeout=60).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert "openai.toml: model" in shown and "field input" in shown, shown


SAMPLE = str(Path(__file__).parents[2] / "scenarios" / "samples" / "usage" / "usage.csv")


@pytest.mark.parametrize(
    "argv",
    [
        ["cost", "--requests", "10", "--input-tokens", "10", "--output-tokens", "1"],
        ["reprice", SAMPLE],
        ["tokens", SAMPLE, "--model", "gpt-4o"],
    ],
)
def test_the_scenarios_cli_names_it_without_a_traceback(broken, argv):
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        assert tokenbudget(argv) == 2
    assert "openai.toml: model" in err.getvalue() and "Traceback" not in err.getvalue()


def test_a_missing_provider_file_is_an_error_in_the_loader_and_pricing_table(missing):
    assert missing_provider_files(missing) == ["openai.toml"]
    with pytest.raises(PriceDataError, match=r"openai\.toml: provider file missing"):
        load_catalog()
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        assert tokenbudget(["table"]) == 2
    assert "openai.toml" in err.getvalue()


@pytest.mark.parametrize("page", PAGES)
def test_a_missing_provider_file_stops_every_page_with_its_name(missing, page):
    at = AppTest.from_function(_page, args=(page,), default_timeout=60).run()
    assert not at.exception
    assert "openai.toml: provider file missing" in " ".join(e.value for e in at.error)


def test_an_unlisted_or_empty_provider_file_is_an_error_and_a_listed_one_loads(missing):
    shutil.copy(DATA_DIR / "openai.toml", missing / "openai.toml")  # restored...
    (missing / "anthropic.toml").rename(missing / "zz-new.toml")  # ...and one renamed
    assert missing_provider_files(missing) == ["anthropic.toml"]
    with pytest.raises(PriceDataError, match=r"^anthropic\.toml: provider file missing"):
        load_catalog()
    manifest = missing / "PROVIDERS"
    manifest.write_text(manifest.read_text().replace("anthropic.toml\n", ""))
    with pytest.raises(PriceDataError, match=r"^zz-new\.toml: provider file not listed in "):
        load_catalog()  # a failed load is not cached
    manifest.write_text(manifest.read_text() + "zz-new.toml\n")
    _forget()
    ids = load_catalog().model_ids()
    assert any(i.startswith("claude") for i in ids) and any(i.startswith("gpt-") for i in ids)
    (missing / "xai.toml").write_text("")
    _forget()
    with pytest.raises(PriceDataError, match=r"^xai\.toml: provider file is empty"):
        load_catalog()


@pytest.mark.parametrize(
    "argv",
    [
        ["table"],
        ["table", "--format", "json"],
        ["cost", "--requests", "10", "--input-tokens", "10", "--output-tokens", "1"],
        [
            "cost",
            "--requests",
            "10",
            "--input-tokens",
            "10",
            "--output-tokens",
            "1",
            "--models",
            "claude-haiku-4-5",
        ],
        ["history", "gpt-4o"],
    ],
)
def test_without_openai_toml_every_command_fails_in_one_line_naming_the_file(missing, argv):
    from cli.main import main as tokenbudget

    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        assert tokenbudget(argv) == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and "openai.toml: provider file missing" in lines[0], lines
    assert out.getvalue() == ""


def test_defaults_naming_a_model_no_file_has_are_an_error():
    with pytest.raises(PriceDataError, match="is a provider file missing"):
        pricing.catalog.require_models(load_catalog(), ["gpt-4.1-mini", "nope-1"], "a preset")
