"""The generator: events that validate, planted timetables that obey every hard rule, determinism, the CLI."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from scheduler.check import check
from scheduler.cli import cli
from scheduler.event import Event
from scheduler.generate import LANGUAGES, MAX_PER_ROOM_DAY, GeneratorSettings, generate_event
from scheduler.loading import load_event, load_timetable
from scheduler.timetable import Timetable


def roundtrip(event: Event, planted: Timetable) -> tuple[Event, Timetable]:
    """Through JSON as the CLI writes it (defaults left out), so the files are what users get."""
    ev = Event.model_validate(json.loads(event.model_dump_json(exclude_defaults=True)))
    tt = Timetable.model_validate(json.loads(planted.to_json()))
    return ev, tt


def used_interpreters(planted: Timetable) -> set[str]:
    return {who for p in planted.sessions for ch in p.channels for who in ch.interpreters}


@st.composite
def small_settings(draw) -> GeneratorSettings:
    days = draw(st.integers(1, 3))
    rooms = draw(st.integers(1, 5))
    sessions = draw(st.integers(0, min(60, days * rooms * MAX_PER_ROOM_DAY)))
    return GeneratorSettings(sessions=sessions, days=days, rooms=rooms, languages=draw(st.integers(1, 6)),
                             seed=draw(st.integers(-(2**40), 2**40)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_settings())
def test_planted_timetable_obeys_every_hard_rule(s: GeneratorSettings):
    event, planted = generate_event(s)
    assert len(event.sessions) == s.sessions
    assert len(event.rooms) == s.rooms and len(event.event.days) == s.days
    assert event.event.languages == LANGUAGES[: s.languages]
    assert planted.event == event.event.id and planted.status == "feasible"
    assert check(event, planted) == []
    event, planted = roundtrip(event, planted)
    assert check(event, planted) == []


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_default_settings(seed: int):
    event, planted = generate_event(GeneratorSettings(seed=seed))
    assert len(event.sessions) == 40
    assert check(*roundtrip(event, planted)) == []
    needed = len(used_interpreters(planted))
    assert needed <= len(event.interpreters) <= needed * 1.2 + 1  # what the plant needs plus about 20%


@pytest.mark.parametrize("kw", [
    {"sessions": 16, "days": 1, "rooms": 1, "languages": 3},  # a room full from 09:00 to 18:00
    {"sessions": 48, "days": 1, "rooms": 3, "languages": 4, "seed": 5},
    {"sessions": 30, "days": 1, "rooms": 2, "languages": len(LANGUAGES)},
    {"sessions": 1, "days": 1, "rooms": 1, "languages": 2},
])
def test_edge_sizes(kw):
    event, planted = generate_event(GeneratorSettings(**kw))
    assert len(event.sessions) == kw["sessions"]
    assert check(event, planted) == []


def test_large_event_is_valid():
    s = GeneratorSettings(sessions=560, days=8, rooms=25, languages=10, seed=1)
    event, planted = generate_event(s)
    assert len(event.sessions) == 560 and len(planted.sessions) == 560
    assert check(event, planted) == []


def test_deterministic_for_a_seed():
    s = GeneratorSettings(sessions=60, days=2, rooms=4, languages=4, seed=42)
    a_event, a_planted = generate_event(s)
    b_event, b_planted = generate_event(s)
    assert a_event.model_dump_json() == b_event.model_dump_json()
    assert a_planted.to_json() == b_planted.to_json()


def test_different_seeds_differ():
    outs = {generate_event(GeneratorSettings(seed=seed))[0].model_dump_json() for seed in range(4)}
    assert len(outs) == 4


def test_explicit_interpreter_count():
    base = GeneratorSettings(sessions=30, days=2, rooms=3, languages=3, seed=3)
    event, planted = generate_event(base)
    needed = len(used_interpreters(planted))
    more = GeneratorSettings(sessions=30, days=2, rooms=3, languages=3, seed=3, interpreters=needed + 7)
    event, planted = generate_event(more)
    assert len(event.interpreters) == needed + 7
    assert check(event, planted) == []
    exact = GeneratorSettings(sessions=30, days=2, rooms=3, languages=3, seed=3, interpreters=needed)
    assert len(generate_event(exact)[0].interpreters) == needed
    one = generate_event(GeneratorSettings(sessions=5, days=1, rooms=1, languages=1, interpreters=4))
    assert len(one[0].interpreters) == 4 and check(*one) == []
    with pytest.raises(ValueError, match="needs at least"):
        generate_event(GeneratorSettings(sessions=30, days=2, rooms=3, languages=3, seed=3, interpreters=needed - 1))


@pytest.mark.parametrize("kw, words", [
    ({"sessions": 100, "days": 1, "rooms": 1}, "do not fit"),
    ({"sessions": 3 * 4 * MAX_PER_ROOM_DAY + 1}, "do not fit"),
    ({"languages": 0}, "languages"),
    ({"languages": len(LANGUAGES) + 1}, "languages"),
    ({"days": 0}, "days"),
    ({"rooms": 0}, "rooms"),
    ({"sessions": -1}, "sessions"),
    ({"interpreters": -1}, "interpreters"),
])
def test_impossible_settings_are_refused(kw, words):
    s = GeneratorSettings(**kw)
    assert s.problems()
    with pytest.raises(ValueError, match=words):
        generate_event(s)


def test_densest_possible_event_is_accepted():
    s = GeneratorSettings(sessions=2 * 2 * MAX_PER_ROOM_DAY, days=2, rooms=2, languages=3, seed=9)
    assert s.problems() == []
    event, planted = generate_event(s)
    assert check(event, planted) == []


def test_exercises_the_features():
    """A medium event uses every feature the solver must handle, so solver tests on it mean something."""
    event, planted = generate_event(GeneratorSettings(sessions=120, days=3, rooms=6, languages=5, seed=3))
    assert check(event, planted) == []
    channels = [(event.session[p.session], ch) for p in planted.sessions for ch in p.channels]
    assert any(ch.via is not None and ch.interpreters for _, ch in channels), "no relay"
    assert any(s.interpretation == "optional" and not ch.interpreters for s, ch in channels), "no unstaffed optional"
    assert any(s.interpretation == "optional" and ch.interpreters for s, ch in channels), "no staffed optional"
    kinds = Counter(s.interpretation for s in event.sessions)
    assert kinds["required"] > kinds["optional"] > 0 and kinds["none"] > 0
    assert any(s.kind == "plenary" for s in event.sessions)
    assert sum(s.pin is not None for s in event.sessions) >= 3
    assert sum(bool(s.after) for s in event.sessions) >= 3
    assert any(s.preferred for s in event.sessions)
    assert {s.duration for s in event.sessions} <= {30, 45, 60, 90}
    assert len({s.duration for s in event.sessions}) >= 3
    assert len({s.language for s in event.sessions}) >= 3
    assert any(s.track for s in event.sessions)
    assert any(r.unavailable for r in event.rooms)
    assert any(r.max_interpreters is not None for r in event.rooms)
    assert len({r.channels for r in event.rooms}) >= 2, "every room has the same booths"
    assert any(sp.unavailable for sp in event.speakers)
    assert any(sp.max_sessions_per_day is not None for sp in event.speakers)
    assert len(event.speakers) < len(event.sessions)
    assert Counter(sp for s in event.sessions for sp in s.speakers).most_common(1)[0][1] >= 2
    assert any(i.unavailable for i in event.interpreters)
    assert any(i.pairs is not None for i in event.interpreters)
    assert any(i.max_minutes_per_day != 360 for i in event.interpreters)
    assert any(event.interpreter[who].is_retour(ch.into) for _, ch in channels for who in ch.interpreters)
    assert len(event.interpreters) > len(used_interpreters(planted)), "no spares"
    # Preferred windows: some hold the planted time, some do not (they are soft).
    placed = {p.session: (event.minute(p.start), event.minute(p.end)) for p in planted.sessions}
    inside = [any(lo <= placed[s.id][0] and placed[s.id][1] <= hi for lo, hi in event.periods(s.preferred))
              for s in event.sessions if s.preferred]
    assert any(inside) and not all(inside)


def test_plenary_runs_alone_and_team_sizes():
    event, planted = generate_event(GeneratorSettings(sessions=200, days=2, rooms=8, languages=4, seed=11))
    assert check(event, planted) == []
    for p in planted.sessions:
        s = event.session[p.session]
        assert [ch.into for ch in p.channels] == event.channels(s)
        for ch in p.channels:
            assert len(ch.interpreters) in (0, event.team_size(s))


def test_cli_generate_then_check(tmp_path):
    runner = CliRunner()
    ev, tt = tmp_path / "event.json", tmp_path / "planted.json"
    result = runner.invoke(cli, ["generate", "-o", str(ev), "--timetable", str(tt), "--sessions", "50", "--days", "2",
                                 "--rooms", "5", "--languages", "4", "--seed", "7"])
    assert result.exit_code == 0, result.output
    event = load_event(ev)
    assert len(event.sessions) == 50
    load_timetable(tt, event)
    result = runner.invoke(cli, ["check", str(ev), str(tt)])
    assert result.exit_code == 0, result.output
    # The same seed writes the same files.
    ev2 = tmp_path / "again.json"
    result = runner.invoke(cli, ["generate", "-o", str(ev2), "--sessions", "50", "--days", "2", "--rooms", "5",
                                 "--languages", "4", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert ev2.read_text() == ev.read_text()


@pytest.mark.parametrize("args", [
    ["--sessions", "100", "--days", "1", "--rooms", "1"],
    ["--languages", "99"],
    ["--interpreters", "1", "--sessions", "40"],
])
def test_cli_impossible_settings_are_a_usage_error(tmp_path, args):
    out = tmp_path / "event.json"
    result = CliRunner().invoke(cli, ["generate", "-o", str(out), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not out.exists()
