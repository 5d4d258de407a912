"""The Workspace page: the team's saved Compare views (list, open, rename, duplicate, edit,
delete) and a portfolio of them priced together month by month under one monthly budget.

Everything is computed by ``scenarios.workspace`` (the store and the portfolio); this module
only draws it. Who saves: with Streamlit's OIDC login configured (an ``[auth]`` section in the
secrets) the signed-in user is the owner, and the team is the identity's ``team`` claim (else
its e-mail domain); a team sees only its own scenarios. Without it, a name and a team box.
A database that cannot be reached is one line on the page; Compare, links and CSV do not need it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts, common, url_state
from app_pages.common import plain
from app_pages.share import share_link
from pricing import clock
from scenarios import formatting
from scenarios.links import compare as compare_link
from scenarios.workspace import link as portfolio_link
from scenarios.workspace import portfolio
from scenarios.workspace.store import Saved, Store, WorkspaceError

K = "ws_"
"""Prefix of this page's widget keys."""
OWNER_KEY = "workspace_owner"
TEAM_KEY = "workspace_team"
"""Non-widget keys: the name and team typed (without login), kept across pages."""
ALL_TEAMS = "All teams"


# -- who is saving ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    owner: str
    team: str
    auth: bool
    """Streamlit's OIDC login is configured (``[auth]`` in the secrets)."""
    signed_in: bool


def auth_configured() -> bool:
    """True when the secrets have an ``[auth]`` section; never raises (no secrets file, or
    one that does not parse, is no login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # StreamlitSecretNotFoundError, a TOML error: no login configured
        return False


def _claim(name: str) -> str:
    try:
        value = st.user.get(name)
    except Exception:
        return ""
    return str(value).strip() if value else ""


def signed_in_identity() -> Identity | None:
    """The signed-in user (None when login is configured but nobody is signed in)."""
    try:
        logged_in = bool(st.user.is_logged_in)
    except Exception:
        logged_in = False
    if not logged_in:
        return None
    email = _claim("email")
    owner = email or _claim("name") or _claim("sub")
    team = _claim("team") or (email.rpartition("@")[2] if "@" in email else "")
    return Identity(owner[:120], team[:80], auth=True, signed_in=True)


def _keep(widget: str, mirror: str) -> None:
    st.session_state[mirror] = st.session_state.get(widget, "")


def identity(where=None, prefix: str = K) -> Identity:
    """Who saves, drawn in ``where`` (the page by default): the sign-in state with login
    configured, else a name and a team box (kept across pages)."""
    where = where or st
    state = st.session_state
    if auth_configured():
        who = signed_in_identity()
        if who is None:
            where.info("Sign in to save scenarios and see your team's.", icon=":material/login:")
            if where.button("Sign in", key=prefix + "login", icon=":material/login:"):
                st.login()
            return Identity("", "", auth=True, signed_in=False)
        team = f", team {who.team}" if who.team else ""
        where.caption(plain(f"Signed in as {who.owner}{team}."))
        if where.button("Sign out", key=prefix + "logout"):
            st.logout()
        return who
    for key, mirror in (("owner", OWNER_KEY), ("team", TEAM_KEY)):
        if prefix + key not in state:
            state[prefix + key] = state.get(mirror, "")
    left, right = where.columns(2)
    left.text_input(
        "Your name",
        key=prefix + "owner",
        max_chars=120,
        on_change=_keep,
        args=(prefix + "owner", OWNER_KEY),
        help="Saved with the scenario as its owner (no login is configured on this app).",
    )
    right.text_input(
        "Team",
        key=prefix + "team",
        max_chars=80,
        on_change=_keep,
        args=(prefix + "team", TEAM_KEY),
        help="Names are unique within a team; the portfolio can take one team's scenarios.",
    )
    return Identity(str(state[prefix + "owner"]), str(state[prefix + "team"]), False, False)


def open_store(where=None) -> Store | None:
    """The workspace store, or None with one line saying why (the database is down, its URL
    is wrong): never a traceback."""
    try:
        return Store(catalog=common.catalog())
    except WorkspaceError as exc:
        (where or st).error(
            plain(f"The workspace is unavailable: {exc}"), icon=":material/cloud_off:"
        )
        return None


# -- the saved scenarios --------------------------------------------------------------------------


def _label(saved: Saved) -> str:
    return f"{saved.name} · {saved.team}" if saved.team else saved.name


def _listing(rows: list[Saved]) -> pd.DataFrame:
    out = []
    for saved in rows:
        opened = saved.open(common.catalog())
        out.append(
            {
                "Name": saved.name,
                "Team": saved.team,
                "Owner": saved.owner,
                "Tags": ", ".join(saved.tags),
                "Models": ", ".join(opened.scenario.models),
                "Pricing date": opened.scenario.as_of,
                "Status": "; ".join(opened.notices) if opened.notices else "available",
                "Updated": saved.updated_at.strftime("%Y-%m-%d %H:%M"),
                "Version": saved.version,
            }
        )
    return pd.DataFrame(out)


def _seen(saved: Saved) -> None:
    """Remember the version this person read, and fill the edit boxes from it."""
    state = st.session_state
    state[K + "seen"] = (saved.team, saved.name, saved.version)
    state[K + "tags"] = ", ".join(saved.tags)
    state[K + "notes"] = saved.notes
    state[K + "new_name"] = saved.name
    state[K + "copy_name"] = f"{saved.name} (copy)"[:80]


def _saved_section(store: Store, rows: list[Saved], who: Identity) -> None:
    state = st.session_state
    st.subheader("Saved scenarios", anchor=False)
    if not rows:
        st.info(
            "Nothing saved yet. On Compare, open **Save this scenario** under the share link.",
            icon=":material/bookmark_add:",
        )
        return
    st.dataframe(
        _listing(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "Name": st.column_config.TextColumn("Name", pinned=True),
            "Pricing date": st.column_config.DateColumn("Pricing date"),
        },
        key=K + "table",
    )
    labels = {_label(s): s for s in rows}
    chosen = st.selectbox("Scenario", list(labels), key=K + "chosen")
    saved = labels[chosen]
    seen = state.get(K + "seen")
    reseed = state.pop(K + "reseed", None)  # after a write or a reload: the version now held
    if isinstance(reseed, Saved) and (reseed.team, reseed.name) == (saved.team, saved.name):
        _seen(reseed)
        seen = state[K + "seen"]
    elif not seen or seen[:2] != (saved.team, saved.name):
        _seen(saved)
        seen = state[K + "seen"]
    opened = saved.open(common.catalog())
    with st.container(border=True, key=K + "detail"):
        owner = f" by {saved.owner}" if saved.owner else ""
        st.caption(
            plain(
                f"Saved{owner}, version {saved.version}, updated "
                f"{saved.updated_at:%Y-%m-%d %H:%M} UTC."
            )
        )
        for notice in opened.notices:
            st.warning(plain(notice), icon=":material/event_busy:")
        common.warnings_list(
            [str(w) for w in opened.warnings], prefix="Stored link: ", icon=":material/link_off:"
        )
        if st.button(
            "Open in Compare", key=K + "open", icon=":material/open_in_new:", type="primary"
        ):
            common.open_compare(opened.scenario)
        st.text_input("Tags (comma-separated)", key=K + "tags")
        st.text_area("Notes", key=K + "notes", height=90)
        actions = st.columns(2)
        if actions[0].button(
            "Save changes", key=K + "update", icon=":material/save:", width="stretch"
        ):
            _write(store, lambda: store.update(
                saved.name, saved.team, seen[2], tags=state[K + "tags"], notes=state[K + "notes"]
            ), "Saved the changes")  # fmt: skip
        if actions[1].button(
            "Reload", key=K + "reload", icon=":material/refresh:", width="stretch"
        ):
            _write(store, lambda: store.get(saved.name, saved.team), "Reloaded")
        left, right = st.columns(2)
        left.text_input("Rename to", key=K + "new_name", max_chars=80)
        if left.button("Rename", key=K + "rename", width="stretch"):
            _write(
                store,
                lambda: store.rename(saved.name, state[K + "new_name"], saved.team, seen[2]),
                "Renamed",
                select=True,
            )
        right.text_input("Duplicate as", key=K + "copy_name", max_chars=80)
        if right.button("Duplicate", key=K + "duplicate", width="stretch"):
            _write(
                store,
                lambda: store.duplicate(
                    saved.name, state[K + "copy_name"], saved.team, owner=who.owner or None
                ),
                "Duplicated",
                select=True,
            )
        sure = st.checkbox("Yes, delete it", key=K + "sure")
        if st.button("Delete", key=K + "delete", icon=":material/delete:", disabled=not sure):
            try:
                store.remove(saved.name, saved.team, seen[2])
            except WorkspaceError as exc:
                st.error(plain(exc), icon=":material/error:")
            else:
                state[K + "done"] = f"Deleted {saved.name}."
                for key in ("seen", "chosen", "sure"):
                    state.pop(K + key, None)
                st.rerun()


def _write(store: Store, action, said: str, select: bool = False) -> None:
    """Run a write; a refusal (a conflict, a taken name) is one line, the page stays."""
    try:
        result = action()
    except WorkspaceError as exc:
        st.error(plain(exc), icon=":material/error:")
        return
    st.session_state[K + "done"] = f"{said}: {result.name} (version {result.version})."
    st.session_state[K + "reseed"] = result  # the boxes take it on the next run, before drawing
    if select:
        st.session_state.pop(K + "chosen", None)
        st.session_state[K + "select"] = _label(result)
    st.rerun()


# -- the portfolio --------------------------------------------------------------------------------


def _view_from_link(teams: list[str], who: Identity) -> None:
    """On a fresh visit (or Back), fill the portfolio's boxes from the link."""
    state = st.session_state
    if K + "budget" in state and not url_state.from_outside():
        return
    decoded = portfolio_link.decode(url_state.current())
    view = decoded.view
    state[K + "link_warnings"] = list(decoded.warnings)
    if who.auth and view.team and view.team != who.team:
        state[K + "link_warnings"].append(
            "team: this link names another team; your own team's scenarios are shown"
        )
    elif view.team:
        state[K + "team_view"] = view.team
    state[K + "budget"] = float(view.budget)
    state[K + "months"] = int(view.months)
    state[K + "start"] = view.start or clock.today()
    state[K + "selection"] = list(view.selection)


def _chart(folio: portfolio.Portfolio) -> alt.Chart:
    names = list(dict.fromkeys(folio.workloads["scenario"]))
    data = folio.workloads.assign(
        month_start=pd.to_datetime(folio.workloads["prices_as_of"]),
        cost=folio.workloads["total_cost"].fillna(0.0),
    )
    scale = charts.model_scale(names)
    area = (
        alt.Chart(data)
        .mark_area(opacity=0.85)
        .encode(
            x=alt.X(
                "month_start:T",
                title=None,
                axis=alt.Axis(
                    format="%b %Y",
                    labelAngle=0,
                    tickCount={"interval": "month", "step": max(1, folio.months // 6)},
                ),
            ),
            y=alt.Y("cost:Q", stack="zero", axis=charts.money_axis("USD per month")),
            color=alt.Color("scenario:N", scale=scale, legend=charts.bottom_legend(None)),
            order=alt.Order("scenario:N"),
            tooltip=[
                alt.Tooltip("scenario:N", title="Scenario"),
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("month_start:T", title="Month", format="%b %Y"),
                alt.Tooltip("cost:Q", title="USD per month", format="$,.2f"),
            ],
        )
    )
    layers = [area]
    if folio.budget:
        budget = pd.DataFrame({"budget": [folio.budget], "label": ["Budget"]})
        layers.append(
            alt.Chart(budget)
            .mark_rule(color="#B03A2E", strokeDash=[6, 4], strokeWidth=2)
            .encode(y="budget:Q")
        )
        layers.append(
            alt.Chart(budget)
            .mark_text(align="left", dx=4, dy=-7, color="#B03A2E", fontWeight="bold")
            .encode(
                y="budget:Q",
                x=alt.value(0),
                text=alt.value(f"Budget {formatting.usd(folio.budget)} a month"),
            )
        )
    return alt.layer(*layers).properties(height=320)


def _switch_table(folio: portfolio.Portfolio) -> pd.DataFrame:
    frame = folio.switches.merge(folio.shares()[["scenario", "share"]], on="scenario", how="left")
    frame = frame.astype(
        {c: "float64" for c in portfolio.SWITCH_COLUMNS if "cost" in c or "saving" in c}
    )
    return pd.DataFrame(
        {
            "Scenario": frame["scenario"],
            "Model": frame["model"],
            "Share": frame["share"] * 100,
            "Over the horizon": frame["horizon_cost"],
            "Cheapest": frame["cheapest_model"],
            "Saves": frame["cheapest_saving"],
            "Successor": frame["successor_model"],
            "Saves ": frame["successor_saving"],
            "Note": frame["note"],
        }
    )


def _crossed(first: tuple[int, dt.date] | None, months: int, budget: float) -> str:
    if first:
        return f"Month {first[0]}, {first[1]:%b %Y}"
    return f"Not in {months} months" if budget else "No budget"


def _portfolio_section(store: Store, rows: list[Saved], team: str, who: Identity) -> None:
    state = st.session_state
    st.subheader("Portfolio", anchor=False)
    for warning in state.get(K + "link_warnings") or []:
        st.warning(plain(f"Link parameter {warning}"), icon=":material/link_off:")
    names = list(dict.fromkeys(s.name for s in rows))
    chosen_before = [n for n in state.get(K + "selection") or [] if n in names]
    if state.get(K + "selection") != chosen_before:
        state[K + "selection"] = chosen_before
    boxes = st.columns([1, 1, 1])
    boxes[0].number_input(
        "Monthly budget (USD)",
        min_value=0.0,
        max_value=portfolio_link.MAX_BUDGET,
        step=50.0,
        format="%.2f",
        key=K + "budget",
    )
    boxes[1].number_input(
        "Months", min_value=1, max_value=portfolio_link.MAX_MONTHS, step=1, key=K + "months"
    )
    boxes[2].date_input(
        "First month",
        min_value=dt.date(2020, 1, 1),
        max_value=dt.date(2100, 12, 31),
        key=K + "start",
    )
    st.multiselect(
        "Scenarios in the portfolio (none chosen: all listed)",
        names,
        key=K + "selection",
        placeholder="All listed scenarios",
    )
    selection = list(state[K + "selection"])
    picked = [s for s in rows if s.name in selection] if selection else rows
    budget = float(state[K + "budget"])
    months = int(state[K + "months"])
    start = state[K + "start"] or clock.today()
    view = portfolio_link.View(team, budget, months, start, tuple(selection))
    url_state.show_pairs(portfolio_link.to_params(view))
    if not picked:
        st.info("No saved scenarios to price yet.", icon=":material/info:")
        return
    folio = portfolio.price(
        picked, start=start, months=months, budget=budget, catalog=common.catalog()
    )
    first = folio.first_over
    month1 = float(folio.totals["total_cost"].iloc[0])
    metrics = st.columns(3)
    metrics[0].metric(
        "First month",
        formatting.usd(month1),
        delta=(f"{formatting.usd(budget - month1)} under budget" if budget and month1 <= budget
               else f"{formatting.usd(month1 - budget)} over budget" if budget else None),
        delta_color="normal" if budget and month1 <= budget else "inverse",
        delta_arrow="off",
    )  # fmt: skip
    metrics[1].metric(f"Over {months} months", formatting.usd(folio.horizon_total))
    metrics[2].metric(
        "Budget first crossed",
        _crossed(first, months, budget),
    )
    for notice in folio.notices:
        st.warning(plain(notice), icon=":material/event_busy:")
    incomplete = folio.totals[~folio.totals["complete"]]
    if len(incomplete):
        row = incomplete.iloc[0]
        st.warning(
            plain(
                f"From month {int(row['month'])} some workloads have no figures (their model "
                f"shut down): {row['missing']}. The totals leave them out; switch them below."
            ),
            icon=":material/block:",
        )
    st.altair_chart(_chart(folio), width="stretch")
    table = _switch_table(folio)
    st.markdown("**Each workload's share, and what switching it would save over the horizon**")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Scenario": st.column_config.TextColumn("Scenario", pinned=True),
            "Share": st.column_config.NumberColumn("Share", format="%.1f%%"),
            "Over the horizon": common.money_column(
                "Over the horizon, USD", table["Over the horizon"]
            ),
            "Saves": common.money_column("Saves on cheapest, USD", table["Saves"]),
            "Saves ": common.money_column("Saves on successor, USD", table["Saves "]),
        },
        key=K + "switches",
    )
    base = compare_link.base_of(st.context.url or "")
    view_url = portfolio_link.url(view, base)
    links = {s.name: s.url(base) for s in picked}
    with st.container(border=True):
        st.markdown("**Share and export**")
        share_link(view_url, label="Link to this portfolio")
        st.download_button(
            "Portfolio CSV",
            data=lambda: portfolio.report_csv(folio, links, view_url),
            file_name=f"tokenbudget-portfolio-{start.isoformat()}.csv",
            mime="text/csv",
            icon=":material/download:",
            key=K + "csv",
            on_click="ignore",
            help="Month by month, one row per workload: its cost and share, the month's total "
            "against the budget, and what switching would save.",
        )


def render() -> None:
    state = st.session_state
    st.title("Team workspace")
    st.caption(
        "Saved Compare views, and a portfolio of them priced month by month under one budget."
    )
    with st.container(key=K + "who"):
        who = identity()
    store = open_store()
    if store is None:
        return
    try:
        teams = store.teams()
    except WorkspaceError as exc:
        st.error(plain(f"The workspace is unavailable: {exc}"), icon=":material/cloud_off:")
        return
    _view_from_link(teams, who)
    if who.auth:
        if not who.signed_in:
            return
        team = who.team
        st.caption(
            plain(f"Team {team}: only its scenarios are shown." if team else "Your scenarios.")
        )
    else:
        options = [ALL_TEAMS, *[t for t in teams if t]]
        if "" in teams:
            options.insert(1, "(no team)")
        if state.get(K + "team_view") not in options:
            state[K + "team_view"] = ALL_TEAMS
        if teams:
            st.selectbox("Show", options, key=K + "team_view")
        shown = state[K + "team_view"]
        team = "" if shown in (ALL_TEAMS, "(no team)") else shown
    done = state.pop(K + "done", None)
    if done:
        st.success(plain(done), icon=":material/check:")
    if K + "select" in state:
        state[K + "chosen"] = state.pop(K + "select")
    try:
        if who.auth:
            rows = store.list(team=team)
        elif state[K + "team_view"] == "(no team)":
            rows = store.list(team="")
        else:
            rows = store.list(team=team or None)
        _saved_section(store, rows, who)
        if rows:  # nothing saved: the portfolio would be empty boxes
            _portfolio_section(store, rows, team, who)
    except WorkspaceError as exc:
        st.error(plain(f"The workspace is unavailable: {exc}"), icon=":material/cloud_off:")
