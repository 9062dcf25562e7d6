"""The rest rule on the night the clocks change, solver against the checker (which measures rests in fact).

Event minutes are clock minutes: where the clocks go back (Toronto 2026-11-01 02:00 EDT -> 01:00 EST, Paris
2026-10-25 03:00 CEST -> 02:00 CET) the clock time that follows the last slot before the change comes an hour
later in fact; where they go forward (Paris 2026-03-29 02:00 -> 03:00) the skipped hour never passes. Every
solver timetable here must pass `check`.
"""

from __future__ import annotations

import json

import pytest
from ortools.sat.python import cp_model

import scheduler.decompose as decompose_module
from scheduler.check import check
from scheduler.constraints import rest_window_shortfalls, rest_windows, rest_windows_of_days
from scheduler.event import Event
from scheduler.model import ScheduleModel
from scheduler.search import Search
from scheduler.solutions import assemble
from scheduler.solve import solve
from scheduler.timetable import Timetable
from builders import day, en_fr, event_dict, interpreter, room, session

# The night the clocks go back, and the hour (on the clock, first pass) at which they do.
FALL_BACK = [("America/Toronto", "2026-11-01", 2), ("Europe/Paris", "2026-10-25", 3)]


def event(data: dict, zone: str) -> Event:
    data["event"]["timezone"] = zone
    return Event.model_validate_json(json.dumps(data))


def solved(ev: Event, method: str, time_limit: float = 2) -> Timetable:
    out = solve(ev, time_limit=time_limit, workers=2, method=method)
    assert out.timetable is not None, (out.status, out.note)
    tt = Timetable.model_validate_json(out.timetable.to_json())  # as `scheduler check` reads it
    assert check(ev, tt) == [], [str(b) for b in check(ev, tt)]
    return tt


def feasible(sm: ScheduleModel, windows=()) -> bool:
    """Whether the model (with the rest windows cut) has any solution."""
    rest_windows(sm, list(windows))
    sm.model.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.num_workers = 2
    return solver.solve(sm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def at(date: str, hour: int, minute: int = 0) -> str:
    return f"{date}T{hour:02d}:{minute:02d}"


# --- a rest across the repeated hour is a rest in fact ---------------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "decompose"])
@pytest.mark.parametrize("zone, date, hour", FALL_BACK)
def test_a_long_min_break_across_the_repeated_hour_is_kept_in_fact(method, zone, date, hour):
    """Was a bug: with min_break 90, a session ending 15 minutes (on the clock) before the clocks go back and one
    starting when they have were one stretch for the solver, 180 minutes on the clock but 240 in fact (the gap,
    15 minutes on the clock, is 75 in fact, no 90-minute rest). The solver put `a` in its preferred window,
    ending then, and `check` refused the timetable; now it ends early enough for a rest in fact."""
    data = event_dict(
        [session("a", 90, preferred=[{"start": at(date, hour - 2, 15), "end": at(date, hour - 1, 45)}]),
         session("b", 60, pin={"day": date, "start": f"{hour:02d}:00"})],
        interpreters=[en_fr("i1")], days=[day(date, "00:00", "04:00")],
        team_size={"solo_max_minutes": 120, "team": 2}, interpreter_rest={"max_continuous": 180, "min_break": 90})
    solved(event(data, zone), method)


@pytest.mark.parametrize("method", ["exact", "decompose"])
@pytest.mark.parametrize("zone, date, hour", FALL_BACK)
def test_the_repeated_hour_is_a_rest(method, zone, date, hour):
    """Was a bug: the solver measured a gap across the change on the clock, 15 minutes, where it is 75 in fact.
    Its only interpreter works `a` until 15 minutes before the clocks go back and `b` from then on, 105 + 90
    minutes, two stretches in fact but one of 210 on the clock: the event was reported infeasible."""
    data = event_dict(
        [session("a", 105, pin={"day": date, "start": f"{hour - 2:02d}:00"}),
         session("b", 90, pin={"day": date, "start": f"{hour:02d}:00"})],
        interpreters=[en_fr("i1")], days=[day(date, "00:00", "05:00")],
        team_size={"solo_max_minutes": 120, "team": 2})
    solved(event(data, zone), method)


@pytest.mark.parametrize("zone, date, hour", FALL_BACK)
def test_a_break_across_the_repeated_hour_is_a_rest(zone, date, hour):
    """A break from half an hour before the clocks go back to half an hour after, on the clock: 60 minutes there,
    120 in fact, so with min_break 90 a rest in fact; `a` before it and `b` after it are two stretches."""
    data = event_dict(
        [session("a", 60, pin={"day": date, "start": f"{hour - 2:02d}:30"}),
         session("b", 120, pin={"day": date, "start": f"{hour:02d}:30"})],
        interpreters=[en_fr("i1")],
        days=[day(date, "00:00", "06:00", breaks=[{"start": f"{hour - 1:02d}:30", "end": f"{hour:02d}:30"}])],
        team_size={"solo_max_minutes": 120, "team": 2}, interpreter_rest={"max_continuous": 180, "min_break": 90})
    solved(event(data, zone), "exact")


# --- an online event through the night of a change -------------------------------------------------------------

# The evening before (20:00-23:45) and the night itself (00:00-06:00) of each change.
CHANGES = [("America/Toronto", "2026-10-31", "2026-11-01"), ("Europe/Paris", "2026-10-24", "2026-10-25"),
           ("Europe/Paris", "2026-03-28", "2026-03-29"), ("America/Toronto", "2026-03-07", "2026-03-08")]


@pytest.mark.parametrize("method, time_limit", [("exact", 2), ("decompose", 4)])
@pytest.mark.parametrize("zone, evening, date", CHANGES)
def test_an_online_night_through_a_change(method, time_limit, zone, evening, date):
    """Two interpreters into each language, 150 minutes a day each, at most 90 minutes in a row: every session
    needs both of one pair, so the rest rule and the daily minutes bind on both sides of midnight and of the
    change (with 2 s the decomposition has no time left to mend its first staffing, on any night)."""
    people = [en_fr(f"f{i}", max_minutes_per_day=150) for i in (1, 2)]
    people += [interpreter(f"e{i}", A=["en"], C=["fr"], max_minutes_per_day=150) for i in (1, 2)]
    sessions = [session("a", 90), session("b", 60), session("c", 75),
                session("d", 90, language="fr"), session("e", 60, language="fr"), session("f", 45, language="fr")]
    data = event_dict(sessions, interpreters=people, rooms=[room("zoom1"), room("zoom2")],
                      days=[day(evening, "20:00", "23:45"), day(date, "00:00", "06:00")],
                      interpreter_rest={"max_continuous": 90, "min_break": 30})
    solved(event(data, zone), method, time_limit)


# --- the rest windows of the timing model (constraints.rest_windows, decompose.rest_cuts) -----------------------

# Four hour-long English sessions into Spanish, each needing both Spanish interpreters, on the night of a change,
# and a placement each that the rest rule allows in fact: on the night the clocks go back, 00:45-01:45 (an hour
# on the clock before them, two in fact) then three hours from when they have gone back; on the night they go
# forward (Paris, 02:00 -> 03:00), 00:00-01:00, then 03:00-06:00 (an hour later in fact).
NIGHTS = [("America/Toronto", "2026-11-01", [45, 120, 180, 240]),
          ("Europe/Paris", "2026-10-25", [105, 180, 240, 300]),
          ("Europe/Paris", "2026-03-29", [0, 180, 240, 300]),
          ("America/Toronto", "2026-03-08", [0, 180, 240, 300])]


def night(zone: str, date: str, **extra) -> Event:
    people = [interpreter(f"es{i}", A=["es"], B=["en"]) for i in (1, 2)]
    return event(event_dict([session(s) for s in "abcd"], interpreters=people, languages=("en", "es"),
                            days=[day(date, "00:00", "08:00")], **extra), zone)


@pytest.mark.parametrize("zone, date, starts", NIGHTS)
def test_rest_windows_keep_a_placement_the_rest_rule_allows_in_fact(zone, date, starts):
    """Was a bug on the nights the clocks go back: the window of 210 minutes on the clock from 00:45 holds 195
    minutes of each interpreter's work, more than the 180 the rest rule allows in a window that long, but it
    lasts 270 minutes in fact, with the 75 from 01:45 to 02:00 (Toronto) a rest; the placement was a shortfall,
    and the cut (like the exact model's rest rule, which measured the gap on the clock) forbade it."""
    ev = night(zone, date)
    placed = {s: (m, "r1") for s, m in zip("abcd", starts)}
    teams = {(s, "es"): ("en", ["es1", "es2"]) for s in "abcd"}
    assert check(ev, assemble(ev, placed, teams, "feasible", 0, 0, None)) == []
    assert rest_window_shortfalls(ev, placed) == []
    every = rest_windows_of_days(ev, [("es", 0)])
    assert feasible(ScheduleModel(ev, staffing=False, optional_demand=False, fixed_times=placed), every)
    assert feasible(ScheduleModel(ev, fixed_times=placed))  # the exact model agrees


@pytest.mark.parametrize("zone, date, starts", NIGHTS)
def test_rest_cuts_on_the_night_of_a_change(zone, date, starts):
    """Back to back from 02:00 (Paris going back: 03:00), four hours for two interpreters who may work three in a
    row: no staffing, a shortfall, and the cut timing model places the sessions again so that they can be
    staffed."""
    ev = night(zone, date)
    first = 180 if (zone, date) == ("Europe/Paris", "2026-10-25") else 120
    back_to_back = {s: (first + 60 * i, "r1") for i, s in enumerate("abcd")}
    run = Search(ev, 20, 2, 0, None, None)
    assert decompose_module.staffed(run, back_to_back, 0) is None
    assert rest_window_shortfalls(ev, back_to_back)
    found = decompose_module.rest_cuts(run, ScheduleModel(ev, staffing=False, optional_demand=False),
                                       back_to_back, 0)
    assert found is not None and check(ev, found) == [], found and [str(b) for b in check(ev, found)]
