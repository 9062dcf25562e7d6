"""The check of room time in pieces (scheduler/packing.py): sessions that fit the room time in all but not the
stretches between breaks and closures are proven infeasible at once, and no valid timetable is ever refused."""

from datetime import datetime

import pytest
from ortools.sat.python import cp_model
from builders import DAY, day, en_fr, event_dict, room, session

from scheduler.check import check
from scheduler.event import Event
from scheduler.explain import _Context, necessary_checks
from scheduler.generate import GeneratorSettings, generate_event
from scheduler import packing as packing_module
from scheduler.packing import room_packing
from scheduler.past import Past
from scheduler.solve import solve
from scheduler.timetable import Placement

MORNING = day(start="09:00", end="12:30", breaks=[{"start": "10:30", "end": "11:00"}])  # two stretches of 90 min


def packing_of(ev: Event) -> list:
    return list(room_packing(_Context(ev)))


def test_three_hours_of_sessions_do_not_fit_two_stretches_of_ninety_minutes():
    ev = Event.model_validate(event_dict([session(s, 60, interpretation="none") for s in "abc"], days=[MORNING]))
    found = packing_of(ev)
    assert [c.rule for c in found] == ["room_one_session_at_a_time"]
    assert "3 × 60 min" in found[0].message and "2 × 90 min" in found[0].message
    assert "a stretch takes whole sessions" in found[0].message
    outcome = solve(ev, time_limit=10, workers=1)
    assert outcome.status == "infeasible" and outcome.method == "checks"


def test_sessions_that_fit_the_stretches_pass():
    ev = Event.model_validate(event_dict([session("a", 60, interpretation="none"),
                                          session("b", 60, interpretation="none"),
                                          session("c", 30, interpretation="none")], days=[MORNING]))
    assert packing_of(ev) == []
    outcome = solve(ev, time_limit=10, workers=1)
    assert outcome.timetable is not None and check(ev, outcome.timetable) == []


def test_sessions_needing_booths_are_told_with_their_rooms():
    # The hall has booths; the other room none. Three interpreted sessions need the hall's two 90-minute
    # stretches; the room without booths takes the plain ones, so the room time in all would fit.
    sessions = [session(s, 60) for s in "abc"] + [session("p", 60, interpretation="none")]
    ev = Event.model_validate(event_dict(sessions, rooms=[room("hall", channels=1), room("side", channels=0)],
                                         interpreters=[en_fr("i1"), en_fr("i2")], days=[MORNING]))
    found = packing_of(ev)
    assert len(found) == 1
    assert "can use no room but room hall" in found[0].message and "side" not in found[0].ids
    assert set(found[0].ids) == {"a", "b", "c", "hall"}


def test_a_plenary_at_a_fixed_time_takes_every_room():
    # Two rooms, 09:00-11:00 with no break: four 60-minute sessions fit, but a plenary pinned at 09:00 leaves
    # one hour in each room, so two of them and the plenary fit, three do not.
    days = [day(start="09:00", end="11:00")]
    rooms = [room("r1", channels=0), room("r2", channels=0)]
    plenary = session("open", 60, kind="plenary", interpretation="none", pin={"day": DAY, "start": "09:00"})
    two = [session(s, 60, interpretation="none") for s in "ab"]
    assert packing_of(Event.model_validate(event_dict([plenary, *two], rooms=rooms, days=days))) == []
    three = [*two, session("c", 60, interpretation="none")]
    assert packing_of(Event.model_validate(event_dict([plenary, *three], rooms=rooms, days=days)))


def test_a_re_plan_counts_only_the_time_after_now():
    # Planned the evening before, the three sessions fit 09:00-12:30 without a break; re-planned at 10:00,
    # with nothing begun, two and a half hours are left for three.
    days = [day(start="09:00", end="12:30")]
    ev = Event.model_validate(event_dict([session(s, 60, interpretation="none") for s in "abc"], days=days))
    assert packing_of(ev) == []
    now = datetime.fromisoformat(f"{DAY}T10:00").replace(tzinfo=ev.zone)
    found = packing_of(ev.as_of(Past(now, {})))
    assert found and "from 2021-02-13 10:00 on" in found[0].message


@pytest.mark.parametrize("seed", range(6))
def test_no_valid_timetable_is_refused(seed):
    """The check is implied by the rules: on generated events (feasible by construction, their planted timetable
    valid) it finds nothing, nor does any fast check."""
    event, planted = generate_event(GeneratorSettings(sessions=30, days=2, rooms=3, languages=3, seed=seed))
    assert check(event, planted) == []
    assert packing_of(event) == [] and necessary_checks(event) == []


def test_a_session_no_stretch_can_hold_is_told():
    # A plenary pinned for the whole day takes every room: the other session has starts and rooms, no stretch.
    days = [day(start="09:00", end="11:00")]
    plenary = session("open", 120, kind="plenary", interpretation="none", pin={"day": DAY, "start": "09:00"})
    ev = Event.model_validate(event_dict([plenary, session("a", 60, interpretation="none")],
                                         rooms=[room("r1", channels=0)], days=days))
    found = packing_of(ev)
    assert len(found) == 1 and found[0].ids == ["a", "r1"]
    assert "lasts 60 min, but no free stretch of room r1" in found[0].message
    assert "plenaries at fixed times" in found[0].message and "longest stretch is 0 min" in found[0].message
    # only what the event has is named: no breaks here, no closures
    assert "between plenaries at fixed times holds it" in found[0].message
    assert "breaks" not in found[0].message and "closures" not in found[0].message


def test_only_the_plenaries_that_cut_the_rooms_are_named():
    # A plenary free to move cuts nothing: the three hours are too short for four sessions, by their lengths alone.
    days = [day(start="09:00", end="12:00")]
    loose = session("open", 60, kind="plenary", interpretation="none")
    ev = Event.model_validate(event_dict([loose, *(session(s, 60, interpretation="none") for s in "abc")],
                                         rooms=[room("r1", channels=0)], days=days))
    found = packing_of(ev)
    assert found and "the free stretches of the rooms are 1 × 180 min (3 h): they need" in found[0].message
    assert "between" not in found[0].message


def test_a_kept_session_and_a_closure_take_their_rooms_time():
    # One room, 09:00-12:00: kept session 09:00-10:00 (re-plan at 10:00), closed 11:00-12:00; one hour is left.
    days = [day(start="09:00", end="12:00")]
    rooms = [room("r1", channels=0, unavailable=[{"start": f"{DAY}T11:00", "end": f"{DAY}T12:00"}])]
    base = Event.model_validate(event_dict([session(s, 60, interpretation="none") for s in "kab"],
                                           rooms=rooms, days=days))
    at = {h: datetime.fromisoformat(f"{DAY}T{h}:00").replace(tzinfo=base.zone) for h in ("09", "10")}
    kept = {"k": Placement(session="k", room="r1", start=at["09"], end=at["10"])}
    now = at["10"]
    two = packing_of(base.as_of(Past(now, kept)))
    assert two and "closures" in two[0].message and "from 2021-02-13 10:00 on" in two[0].message
    one = Event.model_validate(event_dict([session(s, 60, interpretation="none") for s in "ka"],
                                          rooms=rooms, days=days))
    assert packing_of(one.as_of(Past(now, kept))) == []


@pytest.mark.parametrize("seed", range(3))
def test_the_packing_model_refuses_no_valid_timetable(monkeypatch, seed):
    """As above, with the greedy made to fail so that the CP-SAT model of counts decides."""
    monkeypatch.setattr(packing_module, "_greedy_packs", lambda kinds, pieces: False)
    solved = []

    class Spy(packing_module.cp_model.CpSolver):
        def solve(self, *args, **kwargs):
            solved.append(super().solve(*args, **kwargs))
            return solved[-1]

    monkeypatch.setattr(packing_module.cp_model, "CpSolver", Spy)
    event, planted = generate_event(GeneratorSettings(sessions=30, days=2, rooms=3, languages=3, seed=seed))
    assert packing_of(event) == []
    assert solved and set(solved) <= {cp_model.OPTIMAL, cp_model.FEASIBLE}  # the model of counts decided each
