"""Saved scenarios: save, list, open, rename, duplicate, update and delete, in the workspace
database (``db``), every write checked and every failure one line (``WorkspaceError``).

A saved scenario is its Compare link, checked with the link decoder (``check_link``): a link
the decoder has anything to say about (a tampered figure, an unknown model, a parameter of
another page) is refused with the decoder's words, so nothing is stored that would not reopen
exactly as shared; what is stored is the link's canonical form (``compare_link.encode``).

Names are unique within a team. Each write names the ``version`` it read: a write on a stale
copy (someone else saved in between) is refused with ``Conflict``, never lost; SQLAlchemy's
``version_id_col`` checks it again in the UPDATE itself, so two writers racing between the read
and the write cannot both win.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from pricing import clock
from pricing.catalog import Catalog, load_catalog
from pricing.reasons import Problem
from scenarios import links
from scenarios.links import compare as compare_link
from scenarios.scenario import Scenario
from scenarios.workspace import db
from scenarios.workspace.db import DatabaseUnavailable, WorkspaceError
from scenarios.workspace.models import (
    MAX_LINK,
    MAX_NAME,
    MAX_NOTES,
    MAX_OWNER,
    MAX_TAG,
    MAX_TAGS,
    MAX_TEAM,
    SavedScenario,
)

__all__ = [
    "BadLink",
    "BadText",
    "Conflict",
    "DatabaseUnavailable",
    "DuplicateName",
    "Opened",
    "Saved",
    "Store",
    "UnknownName",
    "WorkspaceError",
    "check_link",
]


class BadLink(WorkspaceError):
    """A link that is not a clean Compare link (what the decoder said, in one line)."""


class BadText(WorkspaceError):
    """A name, team, owner, tag or note that cannot be stored (empty, too long, a control)."""


class DuplicateName(WorkspaceError):
    """The team already has a scenario of that name."""


class UnknownName(WorkspaceError):
    """No scenario of that name in the team."""


class Conflict(WorkspaceError):
    """The scenario changed since the writer read it: the write is refused, not lost."""


# -- what may be stored ------------------------------------------------------------------------


def _bad_character(text: str, newlines: bool) -> str | None:
    """The first character that cannot be stored, as ``U+0007`` (None when all can): controls
    (``\\n`` and ``\\t`` allowed in notes) and lone surrogates (not text; PostgreSQL cannot hold
    NUL)."""
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs" or (category == "Cc" and not (newlines and ch in "\n\t")):
            return f"U+{ord(ch):04X}"
    return None


def clean_label(what: str, text: object, limit: int, required: bool) -> str:
    """A one-line label (name, team, owner, tag) as stored: trimmed; refused (``BadText``) when
    empty but required, longer than ``limit`` characters or holding a control character."""
    value = str(text if text is not None else "").strip()
    if required and not value:
        raise BadText(f"{what}: empty; give the scenario a name")
    if len(value) > limit:
        raise BadText(f"{what}: {len(value):,} characters; at most {limit}")
    bad = _bad_character(value, newlines=False)
    if bad:
        raise BadText(f"{what}: holds the control character {bad}; type it without")
    return value


def clean_tags(tags: Iterable[object] | str | None) -> tuple[str, ...]:
    """Tags as stored: each trimmed, empty ones dropped, repeats once, in the order given
    (a string is split at commas)."""
    if tags is None:
        return ()
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    out: list[str] = []
    for item in items:
        tag = clean_label("tag", item, MAX_TAG, required=False)
        if tag and tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise BadText(f"tags: {len(out)} tags; at most {MAX_TAGS}")
    return tuple(out)


def clean_notes(notes: object) -> str:
    value = str(notes if notes is not None else "")
    if len(value) > MAX_NOTES:
        raise BadText(f"notes: {len(value):,} characters; at most {MAX_NOTES:,}")
    bad = _bad_character(value, newlines=True)
    if bad:
        raise BadText(f"notes: hold the control character {bad}; type them without")
    return value


def check_link(link: str, catalog: Catalog | None = None) -> str:
    """The canonical query (``v=1&...``, no ``?``) of a Compare link, full or relative; raises
    ``BadLink`` naming what is wrong when the link is empty, another page's, holds no scenario,
    or when the decoder warns about any parameter (the first warning, and how many more)."""
    text = str(link or "").strip()
    if not text:
        raise BadLink("link: empty; paste the share link of a Compare view")
    if len(text) > MAX_LINK:
        raise BadLink(f"link: {len(text):,} characters; at most {MAX_LINK:,}")
    address = text.split("#", 1)[0]
    path = address.split("?", 1)[0]
    page = path.rstrip("/").rsplit("/", 1)[-1] if "/" in path else ""
    if page in compare_link.PAGE_PATHS and page != compare_link.PAGE_PATHS[0]:
        raise BadLink(f"link: a link to the {page} page; save a Compare view's link")
    params = links.params(address)
    if not any(key in compare_link.SCENARIO_PARAMS for key in params):
        raise BadLink("link: holds no Compare scenario (no v=1&req=... parameters)")
    decoded = compare_link.decode(params, catalog or load_catalog())
    if decoded.warnings:
        first = " ".join(str(decoded.warnings[0]).split())
        more = len(decoded.warnings) - 1
        rest = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        raise BadLink(f"link refused: {first}{rest}")
    return compare_link.encode(decoded.scenario)


# -- what comes back ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """A saved scenario decoded: the scenario, what the decoder said about its stored link
    (nothing, unless the row was edited by hand) and its models' shutdowns."""

    scenario: Scenario
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """One line per model that has shut down, or shuts down within the year, as of today or of
    the scenario's pricing date (``Lifecycle.describe``)."""


@dataclass(frozen=True)
class Saved:
    id: int
    team: str
    name: str
    owner: str
    link: str
    """The canonical query of the scenario's Compare link (``v=1&...``)."""
    tags: tuple[str, ...]
    notes: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    def url(self, base: str = "") -> str:
        """The Compare link: ``./?v=1&...`` or ``{base}/?v=1&...``."""
        return compare_link.with_base(self.link, base)

    def open(self, catalog: Catalog | None = None, today: dt.date | None = None) -> Opened:
        catalog = catalog or load_catalog()
        decoded = compare_link.decode(self.link, catalog)
        return Opened(
            decoded.scenario, decoded.warnings, shutdown_notices(decoded.scenario, catalog, today)
        )


def shutdown_notices(
    scenario: Scenario, catalog: Catalog, today: dt.date | None = None
) -> list[str]:
    """``gpt-4.1-nano: shut down on 2026-10-23; last list price shown; successor ...``: each
    model of the scenario that is shut down (or shutting down) today or on its pricing date."""
    today = today or clock.today()
    priced = scenario.priced(catalog)
    models = list(scenario.models)
    for extra in (scenario.route_first, scenario.route_second):
        if extra and extra not in models:
            models.append(extra)
    notes = []
    for model_id in models:
        try:
            model = priced.model(model_id)
        except ValueError:
            continue
        for day in (today, scenario.as_of):
            standing = model.lifecycle(day)
            if standing.state in ("shut_down", "shuts_down"):
                notes.append(f"{model_id}: {standing.describe(day)}")
                break
    return notes


def _saved(row: SavedScenario) -> Saved:
    def aware(moment: dt.datetime) -> dt.datetime:
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    return Saved(
        id=row.id,
        team=row.team,
        name=row.name,
        owner=row.owner,
        link=row.link,
        tags=tuple(row.tags or ()),
        notes=row.notes,
        version=row.version,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def _quoted(name: str, team: str) -> str:
    return f"{name!r} in team {team!r}" if team else repr(name)


# -- the store ----------------------------------------------------------------------------------


class Store:
    """The saved scenarios of one database (``db.database_url()`` by default). Each call is one
    transaction of its own session, so a Store can be shared by threads."""

    def __init__(self, url: str | None = None, catalog: Catalog | None = None):
        self.url = url or db.database_url()
        self.engine: Engine = db.connect(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._catalog = catalog

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """One transaction; the database's own failures become one-line ``WorkspaceError``s."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except WorkspaceError:
            raise
        except sa_exc.IntegrityError:
            raise
        except StaleDataError:
            raise
        except sa_exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(
                f"the workspace database {db.shown_url(self.url)} failed: {db.one_line(error)}"
            ) from None

    def _row(self, session: Session, name: str, team: str) -> SavedScenario:
        row = session.scalars(
            select(SavedScenario).where(SavedScenario.team == team, SavedScenario.name == name)
        ).one_or_none()
        if row is None:
            raise UnknownName(f"no saved scenario named {_quoted(name, team)}")
        return row

    def add(
        self,
        link: str,
        name: str,
        *,
        team: str = "",
        owner: str = "",
        tags: Iterable[str] | str | None = (),
        notes: str = "",
    ) -> Saved:
        """Save a Compare link under ``name`` in ``team`` (``DuplicateName`` when taken)."""
        name = clean_label("name", name, MAX_NAME, required=True)
        team = clean_label("team", team, MAX_TEAM, required=False)
        owner = clean_label("owner", owner, MAX_OWNER, required=False)
        stored_tags, stored_notes = list(clean_tags(tags)), clean_notes(notes)
        query = check_link(link, self.catalog)
        now = dt.datetime.now(dt.UTC)
        try:
            with self._session() as session:
                if session.scalars(
                    select(SavedScenario.id).where(
                        SavedScenario.team == team, SavedScenario.name == name
                    )
                ).first():
                    raise DuplicateName(f"a scenario named {_quoted(name, team)} already exists")
                row = SavedScenario(
                    team=team,
                    name=name,
                    owner=owner,
                    link=query,
                    tags=stored_tags,
                    notes=stored_notes,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                session.flush()
                return _saved(row)
        except sa_exc.IntegrityError:  # another writer took the name between check and insert
            raise DuplicateName(f"a scenario named {_quoted(name, team)} already exists") from None

    def get(self, name: str, team: str = "") -> Saved:
        with self._session() as session:
            return _saved(self._row(session, str(name).strip(), str(team).strip()))

    def list(self, team: str | None = None, names: Sequence[str] | None = None) -> list[Saved]:
        """Saved scenarios, by team then name: every team's (``team`` None) or one team's;
        only ``names`` when given (in the order given; an unknown name is ``UnknownName``)."""
        with self._session() as session:
            query = select(SavedScenario).order_by(SavedScenario.team, SavedScenario.name)
            if team is not None:
                query = query.where(SavedScenario.team == team)
            rows = [_saved(r) for r in session.scalars(query)]
        if names is None:
            return rows
        by_name = {r.name: r for r in rows}
        missing = [n for n in names if n not in by_name]
        if missing:
            where = f" in team {team!r}" if team else ""
            raise UnknownName(
                f"no saved scenario named {', '.join(repr(m) for m in missing[:3])}{where}"
            )
        return [by_name[n] for n in dict.fromkeys(names)]

    def teams(self) -> list[str]:
        with self._session() as session:
            return list(
                session.scalars(select(SavedScenario.team).distinct().order_by(SavedScenario.team))
            )

    def update(
        self,
        name: str,
        team: str,
        version: int,
        *,
        new_name: str | None = None,
        link: str | None = None,
        owner: str | None = None,
        tags: Iterable[str] | str | None = None,
        notes: str | None = None,
    ) -> Saved:
        """Change a saved scenario read at ``version``; ``Conflict`` when it changed since."""
        changes: dict[str, object] = {}
        if new_name is not None:
            changes["name"] = clean_label("name", new_name, MAX_NAME, required=True)
        if link is not None:
            changes["link"] = check_link(link, self.catalog)
        if owner is not None:
            changes["owner"] = clean_label("owner", owner, MAX_OWNER, required=False)
        if tags is not None:
            changes["tags"] = list(clean_tags(tags))
        if notes is not None:
            changes["notes"] = clean_notes(notes)
        target = changes.get("name")
        try:
            with self._session() as session:
                row = self._row(session, name, team)
                if row.version != version:
                    raise self._conflict(name, team, row.version, version)
                if target is not None and target != name:
                    taken = session.scalars(
                        select(SavedScenario.id).where(
                            SavedScenario.team == team, SavedScenario.name == target
                        )
                    ).first()
                    if taken:
                        raise DuplicateName(
                            f"a scenario named {_quoted(str(target), team)} already exists"
                        )
                for key, value in changes.items():
                    setattr(row, key, value)
                row.updated_at = dt.datetime.now(dt.UTC)
                session.flush()  # UPDATE ... WHERE version = :read; no row: StaleDataError
                return _saved(row)
        except StaleDataError:
            raise self._conflict(name, team, None, version) from None
        except sa_exc.IntegrityError:
            raise DuplicateName(
                f"a scenario named {_quoted(str(target), team)} already exists"
            ) from None

    @staticmethod
    def _conflict(name: str, team: str, now: int | None, read: int) -> Conflict:
        at = (
            f" (now version {now}, you read version {read})"
            if now
            else f" (you read version {read})"
        )
        return Conflict(
            f"{_quoted(name, team)} was changed by someone else since you opened it{at}: "
            "your change was not saved; open it again and redo it"
        )

    def rename(self, name: str, new_name: str, team: str, version: int) -> Saved:
        return self.update(name, team, version, new_name=new_name)

    def duplicate(
        self, name: str, new_name: str, team: str = "", owner: str | None = None
    ) -> Saved:
        """A copy of a saved scenario under ``new_name`` (same team), version 1."""
        source = self.get(name, team)
        return self.add(
            source.link,
            new_name,
            team=team,
            owner=source.owner if owner is None else owner,
            tags=source.tags,
            notes=source.notes,
        )

    def remove(self, name: str, team: str = "", version: int | None = None) -> None:
        """Delete a saved scenario (read at ``version``, when given: ``Conflict`` if changed)."""
        try:
            with self._session() as session:
                row = self._row(session, str(name).strip(), str(team).strip())
                if version is not None and row.version != version:
                    raise self._conflict(name, team, row.version, version)
                session.delete(row)
                session.flush()
        except StaleDataError:
            raise self._conflict(name, team, None, version or 0) from None
