"""Overnight events: a day ending near midnight and the next starting at 00:00. A day's model (the decomposition's
repairs and neighbourhoods) sees that day alone; the work of the evening before must still count for the rest
rule, or its timetables run a stretch of work on past midnight that the merged timetable's check refuses."""

from __future__ import annotations

import json
from datetime import date

from builders import day, en_fr, event_dict, room, session

from scheduler.check import check
from scheduler.event import Event
from scheduler.neighbourhood import day_model, rested_from_other_days
from scheduler.search import Search, run_solver
from scheduler.solutions import assemble, extract, merged

EVENING, NIGHT = date(2021, 2, 13), date(2021, 2, 14)
TEAMS = {("late", "fr"): ("en", ["f"]), ("early", "fr"): ("en", ["f"])}  # f into fr, from the floor


def overnight(spare: bool = True) -> tuple[Event, object]:
    """One interpreter, f: 'late' (105 min) pinned at 22:00 the first evening, 'early' (75 min) preferred at
    00:00-01:15 the next night; with 15 minutes between them they would be 195 minutes in a row (180 at most)."""
    sessions = [session("late", 105, pin={"day": "2021-02-13", "start": "22:00"}),
                session("early", 75, preferred=[{"start": "2021-02-14T00:00", "end": "2021-02-14T01:15"}])]
    data = event_dict(sessions, rooms=[room("r1")], interpreters=[en_fr("f"), *([en_fr("idle")] if spare else [])],
                      days=[day("2021-02-13", "20:00", "23:45"), day("2021-02-14", "00:00", "06:00")],
                      team_size={"solo_max_minutes": 120, "team": 2})
    ev = Event.model_validate_json(json.dumps(data))
    placed = {"late": (22 * 60, "r1"), "early": (1440 + 120, "r1")}
    base = assemble(ev, placed, TEAMS, "feasible", 0, 0, None)
    assert check(ev, base) == []  # early at 02:00: rested
    return ev, base


def test_the_evening_before_keeps_its_interpreter_free_until_the_break_is_over():
    ev, base = overnight()
    sub = rested_from_other_days(ev, base, NIGHT, ev.day_part(NIGHT, {"early"}))
    f = next(i for i in sub.interpreters if i.id == "f")
    assert sub.periods(f.unavailable) == [(0, 15)]  # 23:45 + 30 min: free from 00:15
    assert next(i for i in sub.interpreters if i.id == "idle").unavailable == []
    # and the evening, seen from the night: early at 00:00 keeps f free from 23:30
    at_midnight = assemble(ev, {"late": (22 * 60, "r1"), "early": (1440, "r1")},
                           TEAMS, "feasible", 0, 0, None)
    evening = rested_from_other_days(ev, at_midnight, EVENING, ev.day_part(EVENING, {"late"}))
    f = next(i for i in evening.interpreters if i.id == "f")
    assert evening.periods(f.unavailable) == [(23 * 60 + 30, 23 * 60 + 45)]
    # nobody works near the night's edges: the part is left as it is
    far = assemble(ev, {"late": (20 * 60, "r1"), "early": (1440 + 180, "r1")},
                   TEAMS, "feasible", 0, 0, None)
    part = ev.day_part(NIGHT, {"early"})
    assert rested_from_other_days(ev, far, NIGHT, part) is part


def test_a_night_re_timed_alone_keeps_the_rest_after_the_evening():
    """The night's model, free to re-time 'early' and re-staff it, would put it at 00:00 (its preferred window)
    with f, the only interpreter: 195 minutes in a row with the evening's session."""
    ev, base = overnight(spare=False)
    run = Search(ev, 10, 1, 0, None, None)
    sm = day_model(run, base, NIGHT, restaff={"early"}, retime={"early"})
    solver = run.solver(5.0)
    assert run_solver(solver, sm.model) in (2, 4)  # FEASIBLE, OPTIMAL
    result = merged(ev, base, extract(sm, solver, "feasible", 0, 0), 0, 0, None)
    assert result is not None and check(ev, result) == []
