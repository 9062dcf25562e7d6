"""The bundled example event (fixtures/school.json) and its hand-made timetable.

The school is the default event of `make demo` and the documentation's running example: it must load, the
hand-made timetable must obey every hard rule, and the checker must catch each typical mistake made on it
under the right rule name.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.check import check
from scheduler.cli import cli
from scheduler.event import Event
from scheduler.loading import load_event, load_timetable
from scheduler.timetable import Timetable

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCHOOL = FIXTURES / "school.json"
SCHOOL_TIMETABLE = FIXTURES / "school.timetable.json"


@pytest.fixture(scope="module")
def school() -> Event:
    return load_event(SCHOOL)


@pytest.fixture()
def raw_timetable() -> dict:
    return json.loads(SCHOOL_TIMETABLE.read_text(encoding="utf-8"))


def placement(data: dict, session: str) -> dict:
    return next(p for p in data["sessions"] if p["session"] == session)


def rules_broken(event: Event, data: dict) -> set[str]:
    return {b.rule for b in check(event, Timetable.model_validate(data))}


# --- the event ---------------------------------------------------------------------------------------


def test_school_loads(school: Event) -> None:
    assert len(school.event.days) == 3
    assert len(school.sessions) >= 12
    assert school.event.languages == ["fr", "en"]
    assert {s.language for s in school.sessions} == {"fr", "en"}
    assert school.event.timezone == "America/Toronto"


def test_school_shows_the_features(school: Event) -> None:
    """The example exercises what the documentation talks about."""
    sessions = school.sessions
    assert sum(s.kind == "plenary" for s in sessions) >= 2
    assert any(s.interpretation == "optional" for s in sessions)
    assert any(school.team_size(s) == 1 for s in sessions), "a short session needs a single interpreter"
    assert any(s.after for s in sessions)
    assert any(s.pin is not None for s in sessions)
    assert any(s.preferred for s in sessions)
    assert any(len(s.title) == 1 for s in sessions), "one title in a single language shows the fallback"
    assert any(i.pairs is not None for i in school.interpreters)
    assert any(i.timezone not in (None, school.event.timezone) for i in school.interpreters)
    assert any(r.max_interpreters is not None for r in school.rooms)
    assert len(school.event.audience) >= 2
    # Interpretation is real: every session has a channel to staff.
    assert all(school.channels(s) for s in sessions)


# --- the hand-made timetable ---------------------------------------------------------------------------


def test_hand_timetable_obeys_every_hard_rule(school: Event) -> None:
    timetable = load_timetable(SCHOOL_TIMETABLE, school)
    assert check(school, timetable) == []
    assert {p.session for p in timetable.sessions} == {s.id for s in school.sessions}


def test_check_cli_accepts_the_school() -> None:
    result = CliRunner().invoke(cli, ["check", str(SCHOOL), str(SCHOOL_TIMETABLE)])
    assert result.exit_code == 0, result.output
    assert "obeys every hard rule" in result.output


def test_validate_cli_accepts_the_school() -> None:
    result = CliRunner().invoke(cli, ["validate", str(SCHOOL)])
    assert result.exit_code == 0, result.output
    assert "14 sessions" in result.output


# --- mistakes the checker must catch -----------------------------------------------------------------


def _remove_session(data: dict) -> None:
    data["sessions"] = [p for p in data["sessions"] if p["session"] != "s05"]


def _same_room_same_time(data: dict) -> None:
    # s03 and s04 both run 13:30-15:00 on Friday; s04 is in the main hall.
    placement(data, "s03")["room"] = "grande-salle"


def _outside_day(data: dict) -> None:
    # Friday ends at 17:30.
    p = placement(data, "s05")
    p["start"], p["end"] = "2021-02-12T17:15:00-05:00", "2021-02-12T17:45:00-05:00"


def _team_of_one(data: dict) -> None:
    # s02 lasts 90 minutes: its channel needs a team of two.
    placement(data, "s02")["channels"][0]["interpreters"] = ["i-mtremblay"]


def _incompetent(data: dict) -> None:
    # Jean-François Gagnon (A fr, C en) cannot work fr->en; he is free on Friday morning.
    placement(data, "s01")["channels"][0]["interpreters"] = ["i-swilson", "i-jfgagnon"]


def _two_places(data: dict) -> None:
    # s11 and s12 both run 09:30-11:00 on Sunday; Marie Tremblay works s11 and can work fr->en (retour).
    placement(data, "s12")["channels"][0]["interpreters"] = ["i-mtremblay", "i-dmacleod"]


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (_remove_session, "session_scheduled_once"),
        (_same_room_same_time, "room_one_session_at_a_time"),
        (_outside_day, "inside_day"),
        (_team_of_one, "team_size"),
        (_incompetent, "interpreter_competence"),
        (_two_places, "interpreter_one_place"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.__name__.strip("_"),
)
def test_mutation_is_caught(school: Event, raw_timetable: dict, mutate, rule: str) -> None:
    data = copy.deepcopy(raw_timetable)
    mutate(data)
    assert rules_broken(school, data) == {rule}


def test_mutation_is_reported_by_the_cli(raw_timetable: dict, tmp_path: Path) -> None:
    data = copy.deepcopy(raw_timetable)
    _team_of_one(data)
    bad = tmp_path / "bad.timetable.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(SCHOOL), str(bad)])
    assert result.exit_code == 1
    assert "team_size" in result.output
