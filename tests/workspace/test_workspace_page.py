"""AppTest for the workspace's page logic (SQLite in tmp): the database down is one line on
the Workspace page and in Compare's save box while Compare still works; save from Compare,
list, open, edit at the version read (a stale copy is refused), and the portfolio's figures and
link; login configured but nobody signed in shows nothing of anyone's."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import common
from scenarios import links
from scenarios.links import compare as compare_link
from scenarios.workspace import db
from scenarios.workspace.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
MINI = "v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini&base=gpt-4.1-mini&date=2026-12-06"
FOUR_O = "v=1&req=2000&in=2000&out=500&models=gpt-4o-mini&base=gpt-4o-mini&date=2026-12-06"
DOWN = "postgresql://tb:pw@/nowhere?host=/nonexistent-dir&port=1"


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    monkeypatch.setenv(db.URL_ENV, url)
    yield url
    db.forget(url)


def _workspace():
    from app_pages import workspace

    workspace.render()


def workspace_app(**params) -> AppTest:
    at = AppTest.from_function(_workspace, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def compare_app(query: str = MINI) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in links.params(query).items():
        at.query_params[key] = value
    return at.run()


def texts(elements) -> list[str]:
    return [str(e.value).replace("\\", "").replace("\u2060", "") for e in elements]


def test_the_database_down_is_one_line_on_the_page(monkeypatch):
    monkeypatch.setenv(db.URL_ENV, DOWN)
    at = workspace_app()
    assert not at.exception
    (error,) = texts(at.error)
    assert error.startswith("The workspace is unavailable: the workspace database ")
    assert "pw@" not in error and "\n" not in error
    assert not at.dataframe and not at.metric


def test_compare_still_works_and_its_save_box_says_what_is_wrong(monkeypatch):
    monkeypatch.setenv(db.URL_ENV, DOWN)
    at = compare_app()
    assert not at.exception and not at.error
    assert at.dataframe[0].value.set_index("model")["total_cost"]["gpt-4.1-mini"] == 0.56
    at.text_input(key="cmp_save_name").input("Mini").run()
    at.button(key="cmp_save_save").click().run()
    assert not at.exception
    (error,) = texts(at.error)
    assert error.startswith("The workspace is unavailable: the workspace database ")
    assert at.dataframe[0].value.set_index("model")["total_cost"]["gpt-4.1-mini"] == 0.56


def test_save_from_compare_then_list_and_open(sqlite_url):
    at = compare_app()
    at.text_input(key="cmp_save_owner").input("ana").run()
    at.text_input(key="cmp_save_team").input("search").run()
    at.text_input(key="cmp_save_name").input("Mini bot").run()
    at.text_input(key="cmp_save_tags").input("prod, chat").run()
    at.button(key="cmp_save_save").click().run()
    assert not at.exception and not at.error
    assert texts(at.success) == ["Saved Mini bot in team search. The Workspace page lists it."]
    saved = Store(sqlite_url).get("Mini bot", "search")
    assert (saved.owner, saved.tags) == ("ana", ("prod", "chat"))
    assert saved.link == compare_link.encode(compare_link.decode(MINI).scenario)
    at.button(key="cmp_save_save").click().run()  # again: the name is taken, one line
    assert texts(at.error) == [
        "Not saved: a scenario named 'Mini bot' in team 'search' already exists"
    ]

    page = workspace_app()
    assert not page.exception and not page.error
    listing = page.dataframe[0].value
    assert listing[["Name", "Team", "Owner", "Tags"]].values.tolist() == [
        ["Mini bot", "search", "ana", "prod, chat"]
    ]
    page.button(key="ws_open").click().run()
    assert not page.exception
    assert page.session_state[common.PENDING_KEY] == compare_link.decode(MINI).scenario


def test_an_edit_on_a_stale_copy_is_refused_on_the_page(sqlite_url):
    store = Store(sqlite_url)
    store.add("?" + MINI, "Mini")
    page = workspace_app()
    page.text_area(key="ws_notes").input("mine").run()
    store.update("Mini", "", 1, notes="someone else's")  # another person saves first
    page.button(key="ws_update").click().run()
    assert not page.exception
    (error,) = texts(page.error)
    assert "was changed by someone else since you opened it" in error
    assert store.get("Mini").notes == "someone else's"
    page.button(key="ws_reload").click().run()
    assert page.text_area(key="ws_notes").value == "someone else's"
    page.text_area(key="ws_notes").input("mine, after reading theirs").run()
    page.button(key="ws_update").click().run()
    assert not page.error
    assert (store.get("Mini").notes, store.get("Mini").version) == ("mine, after reading theirs", 3)


def test_rename_duplicate_delete_on_the_page(sqlite_url):
    store = Store(sqlite_url)
    store.add("?" + MINI, "Mini")
    page = workspace_app()
    page.text_input(key="ws_new_name").input("Mini v2").run()
    page.button(key="ws_rename").click().run()
    assert not page.exception and not page.error
    assert [s.name for s in store.list()] == ["Mini v2"]
    page.button(key="ws_duplicate").click().run()
    assert [s.name for s in store.list()] == ["Mini v2", "Mini v2 (copy)"]
    page.checkbox(key="ws_sure").check().run()
    page.button(key="ws_delete").click().run()
    assert not page.exception
    assert len(store.list()) == 1


def test_the_portfolio_figures_and_link(sqlite_url):
    store = Store(sqlite_url)
    store.add("?" + MINI, "Mini", team="t")
    store.add("?" + FOUR_O, "Four-o", team="t")
    store.add("?" + FOUR_O, "Elsewhere", team="other")
    page = workspace_app(team="t", budget="1.5", months="3", date="2026-12-06")
    assert not page.exception and not page.error
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["First month"] == "$1.76"
    assert metrics["Over 3 months"] == "$5.28"
    assert metrics["Budget first crossed"] == "Month 1, Dec 2026"
    assert page.selectbox(key="ws_team_view").value == "t"
    assert set(page.dataframe[0].value["Name"]) == {"Mini", "Four-o"}  # not the other team's
    assert page.query_params["team"] == ["t"] or page.query_params["team"] == "t"
    page.multiselect(key="ws_selection").select("Mini").run()
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["First month"] == "$0.56"
    selection = page.query_params["selection"]
    assert selection in (["Mini"], "Mini")


def test_a_bad_portfolio_link_is_named(sqlite_url):
    Store(sqlite_url).add("?" + MINI, "Mini")
    page = workspace_app(budget="lots", months="0")
    assert not page.exception
    said = texts(page.warning)
    assert any(w.startswith("Link parameter budget: 'lots' is not") for w in said)
    assert any(w.startswith("Link parameter months: '0' is not") for w in said)


def test_with_login_configured_and_nobody_signed_in_nothing_is_shown(sqlite_url):
    Store(sqlite_url).add("?" + MINI, "Private", team="a")
    at = AppTest.from_function(_workspace, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://example.invalid/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.text_input
