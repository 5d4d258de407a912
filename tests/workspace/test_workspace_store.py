"""The store on SQLite and PostgreSQL: saved scenarios round-trip and reopen exactly as shared,
names are unique per team, bad links and unknown names are one-line refusals that store
nothing, a shut-down model is named when a scenario is opened, the schema is migrated on first
connect, and a database that cannot be reached is one line."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from scenarios.links import compare as compare_link
from scenarios.workspace import db
from scenarios.workspace.store import (
    BadLink,
    BadText,
    Conflict,
    DatabaseUnavailable,
    DuplicateName,
    Store,
    UnknownName,
    WorkspaceError,
)

MINI = "?v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini&base=gpt-4.1-mini&date=2026-12-06"
FOUR_O = "?v=1&req=2000&in=2000&out=500&models=gpt-4o-mini&base=gpt-4o-mini&date=2026-12-06"
NANO = "?v=1&req=1000&models=gpt-4.1-nano,gpt-4o-mini&base=gpt-4.1-nano&date=2026-06-01"


def one_line(error: BaseException) -> str:
    text = str(error)
    assert text and "\n" not in text and "Traceback" not in text
    return text


def test_the_schema_is_migrated_on_first_connect(database):
    engine = db.connect(database.url)
    assert db.current_revision(engine) == db.head_revision() == "0001"
    db.upgrade(engine)  # again: nothing to do
    assert db.current_revision(engine) == "0001"


def test_save_list_open_rename_duplicate_delete(store):
    saved = store.add(
        "http://127.0.0.1:8501/?" + MINI[1:] + "&tab=Month%20by%20month",
        "Support bot",
        team="search",
        owner="ana",
        tags="prod, chat ,prod",
        notes="line one\nline two",
    )
    assert (saved.name, saved.team, saved.owner, saved.version) == (
        "Support bot",
        "search",
        "ana",
        1,
    )
    assert saved.tags == ("prod", "chat")
    assert saved.notes == "line one\nline two"
    shared = compare_link.decode(MINI).scenario
    assert saved.link == compare_link.encode(shared)  # the canonical link, no view parameters
    opened = store.get("Support bot", "search").open()
    assert opened.scenario == shared and opened.warnings == [] and opened.notices == []
    assert saved.url("http://h:8501") == "http://h:8501/?" + saved.link

    renamed = store.rename("Support bot", "Support bot v2", "search", version=1)
    assert (renamed.name, renamed.version) == ("Support bot v2", 2)
    copy = store.duplicate("Support bot v2", "Support bot copy", "search")
    assert (copy.version, copy.link, copy.tags) == (1, saved.link, saved.tags)
    assert [s.name for s in store.list(team="search")] == ["Support bot copy", "Support bot v2"]
    store.remove("Support bot copy", "search")
    assert [s.name for s in store.list()] == ["Support bot v2"]
    with pytest.raises(UnknownName) as error:
        store.get("Support bot", "search")
    assert one_line(error.value) == "no saved scenario named 'Support bot' in team 'search'"


def test_names_are_unique_per_team(store):
    store.add(MINI, "Bot", team="a")
    store.add(FOUR_O, "Bot", team="b")  # another team may use the name
    store.add(FOUR_O, "Other", team="a")
    with pytest.raises(DuplicateName) as error:
        store.add(FOUR_O, "Bot", team="a")
    assert one_line(error.value) == "a scenario named 'Bot' in team 'a' already exists"
    with pytest.raises(DuplicateName):
        store.rename("Other", "Bot", "a", version=1)
    with pytest.raises(DuplicateName):
        store.duplicate("Other", "Bot", "a")
    assert [(s.team, s.name) for s in store.list()] == [("a", "Bot"), ("a", "Other"), ("b", "Bot")]
    assert [s.name for s in store.list(team="b")] == ["Bot"]  # one team never sees another's
    assert store.teams() == ["a", "b"]


@pytest.mark.parametrize(
    ("link", "said"),
    [
        ("", "link: empty; paste the share link of a Compare view"),
        ("?x=1&y=2", "link: holds no Compare scenario"),
        ("http://h/budget?bud_usd=500", "link: a link to the budget page"),
        ("?v=1&req=lots&date=2026-12-06", "link refused: req: 'lots' is not a number"),
        ("?v=1&models=gpt-9000&date=2026-12-06", "link refused: models: unknown model 'gpt-9000'"),
        ("?v=1&req=1000&date=2026-13-45", "link refused: date:"),
        (MINI + "&evil=%3Cscript%3E", "link refused:"),
        ("?v=7&req=1000&date=2026-12-06", "link refused: v:"),
    ],
)
def test_a_bad_link_is_refused_in_one_line_and_nothing_is_stored(store, link, said):
    with pytest.raises(BadLink) as error:
        store.add(link, "Bad")
    assert one_line(error.value).startswith(said)
    assert store.list() == []


def test_bad_names_tags_and_notes_are_refused(store):
    for name, said in (
        ("", "name: empty"),
        ("   ", "name: empty"),
        ("x" * 81, "name: 81 characters; at most 80"),
        ("bell\x07", "name: holds the control character U+0007"),
        ("nul\x00", "name: holds the control character U+0000"),
    ):
        with pytest.raises(BadText) as error:
            store.add(MINI, name)
        assert one_line(error.value).startswith(said)
    with pytest.raises(BadText):
        store.add(MINI, "ok", tags=["a\x1b[31m"])
    with pytest.raises(BadText):
        store.add(MINI, "ok", notes="esc \x1b]0;title\x07")
    assert store.list() == []


def test_a_scenario_whose_model_shut_down_says_so_when_opened(store):
    store.add(NANO, "Old nano")
    opened = store.get("Old nano").open(today=dt.date(2026, 12, 7))
    assert opened.notices == [
        "gpt-4.1-nano: shut down on 2026-10-23; last list price shown; successor gpt-5.6-luna"
    ]
    assert opened.scenario.as_of == dt.date(2026, 6, 1)  # reopens as shared: its own date


def test_a_stale_write_is_refused_with_a_message(store):
    store.add(MINI, "Bot")
    store.update("Bot", "", 1, notes="first")
    with pytest.raises(Conflict) as error:
        store.update("Bot", "", 1, notes="second, from an old copy")
    assert "was changed by someone else since you opened it" in one_line(error.value)
    with pytest.raises(Conflict):
        store.remove("Bot", "", version=1)
    assert store.get("Bot").notes == "first"


def test_twenty_concurrent_writers_none_lost_silently(database, record_property):
    """20 threads, each with its own Store (engine, connections, sessions), read the scenario
    and write it back at the version read. Each write is stored or refused with the conflict
    message; the final version is 1 + the stored writes, and the notes are a stored writer's."""
    Store(database.url).add(MINI, "Shared")
    db.forget(database.url)  # every writer connects afresh
    writers = 20
    start = threading.Barrier(writers)
    outcomes: dict[int, object] = {}

    def write(number: int) -> None:
        own = Store(database.url)
        start.wait()
        seen = own.get("Shared")
        try:
            own.update("Shared", "", seen.version, notes=f"writer {number}")
        except WorkspaceError as exc:
            outcomes[number] = exc
        else:
            outcomes[number] = "stored"
        finally:
            own.engine.dispose()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stored = [n for n, o in outcomes.items() if o == "stored"]
    refused = {n: o for n, o in outcomes.items() if o != "stored"}
    assert len(outcomes) == writers
    assert all(isinstance(o, Conflict) for o in refused.values()), refused
    assert all("changed by someone else" in str(o) for o in refused.values())
    final = Store(database.url).get("Shared")
    assert final.version == 1 + len(stored)
    assert final.notes in {f"writer {n}" for n in stored}
    assert stored
    record_property("stored", len(stored))
    record_property("refused", len(refused))
    print(f"{database.backend}: {len(stored)} stored, {len(refused)} refused")


def test_an_unreachable_database_is_one_line_with_the_password_hidden():
    url = "postgresql+psycopg://tb:s3cret@/nowhere?host=/nonexistent-dir&port=1"
    with pytest.raises(DatabaseUnavailable) as error:
        Store(url)
    said = one_line(error.value)
    assert said.startswith("the workspace database postgresql+psycopg://tb:***@/nowhere")
    assert "s3cret" not in said
    with pytest.raises(DatabaseUnavailable) as error:
        Store("not a url at all")
    assert one_line(error.value) == (
        "the workspace database URL is not a database URL (TOKENBUDGET_DATABASE_URL?)"
    )


def test_the_default_database_is_an_sqlite_file_in_the_data_directory(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path)}
    assert db.database_url(env) == f"sqlite:///{tmp_path}/tokenbudget/workspace.db"
    home = db.database_url({"HOME": str(tmp_path)})
    assert home.startswith("sqlite:///") and home.endswith("/tokenbudget/workspace.db")
    assert db.database_url({db.URL_ENV: "postgresql://u:p@h/d"}) == "postgresql+psycopg://u:p@h/d"
    assert db.database_url({db.URL_ENV: "postgres://h/d"}) == "postgresql+psycopg://h/d"
    url = db.database_url(env)
    Store(url).add(MINI, "Here")  # the folder is made on first use
    assert (tmp_path / "tokenbudget" / "workspace.db").is_file()
    db.forget(url)
