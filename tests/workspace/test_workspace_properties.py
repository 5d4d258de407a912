"""Properties, on both backends: any name, tags and notes are stored and read back exactly (a
name and tags trimmed) or refused with one line saying why; a tampered link is refused with a
message naming the parameter, or (when the tampered value is still a clean one) reopens as
the decoder reads it. Never stored garbage."""

from __future__ import annotations

import unicodedata
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.links import compare as compare_link
from scenarios.workspace.store import BadLink, BadText

MINI = "v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini&base=gpt-4.1-mini&date=2026-12-06"
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def storable(text: str, newlines: bool = False) -> bool:
    return not any(
        unicodedata.category(ch) == "Cs"
        or (unicodedata.category(ch) == "Cc" and not (newlines and ch in "\n\t"))
        for ch in text
    )


@SETTINGS
@given(
    name=st.text(max_size=90),
    tags=st.lists(st.text(max_size=45), max_size=4),
    notes=st.text(max_size=400),
)
def test_names_tags_and_notes_round_trip_or_are_refused(store, name, tags, notes):
    team = uuid.uuid4().hex  # one team per example: no name taken by an earlier one
    trimmed = [t.strip() for t in tags]
    kept = list(dict.fromkeys(t for t in trimmed if t))
    expected_ok = (
        0 < len(name.strip()) <= 80
        and storable(name.strip())
        and all(len(t) <= 40 and storable(t) for t in trimmed)
        and storable(notes, newlines=True)
    )
    try:
        saved = store.add("?" + MINI, name, team=team, tags=tags, notes=notes)
    except BadText as exc:
        assert not expected_ok, exc
        assert str(exc) and "\n" not in str(exc)
        assert store.list(team=team) == []
        return
    assert expected_ok
    back = store.get(name.strip(), team)
    assert back == saved
    assert (back.name, list(back.tags), back.notes) == (name.strip(), kept, notes)


FIGURES = ("req", "in", "out", "cached", "growth", "months", "batch", "rsn")


@SETTINGS
@given(key=st.sampled_from(FIGURES), value=st.text(max_size=30))
def test_a_tampered_link_is_refused_with_a_message_or_read_as_the_decoder_reads_it(
    store, key, value
):
    params = dict(p.split("=", 1) for p in MINI.split("&"))
    params[key] = value
    tampered = "?" + "&".join(f"{k}={v}" for k, v in params.items())
    decoded = compare_link.decode(tampered)
    name = uuid.uuid4().hex
    try:
        saved = store.add(tampered, name)
    except BadLink as exc:
        said = str(exc)
        assert said.startswith(("link refused: ", "link: ")) and "\n" not in said
        assert decoded.warnings  # refused only for what the decoder flags
        assert all(s.name != name for s in store.list())
        return
    assert decoded.warnings == []
    assert saved.open().scenario == decoded.scenario


KEY = st.text(alphabet=st.characters(blacklist_characters="&=#%+"), min_size=1, max_size=20)


@SETTINGS
@given(junk=KEY)
def test_an_unknown_parameter_is_refused(store, junk):
    tampered = f"?{MINI}&{junk}=1"
    decoded = compare_link.decode(tampered)
    try:
        store.add(tampered, uuid.uuid4().hex)
    except BadLink as exc:
        assert decoded.warnings and "\n" not in str(exc)
    else:  # the key read as one the link knows (a view key, Streamlit's own, blank)
        assert decoded.warnings == []
        assert junk.strip().lower() in (*compare_link.SCENARIO_PARAMS, "tab", "embed", "")
