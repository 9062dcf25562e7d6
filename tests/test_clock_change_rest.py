"""The rest rule on the night the clocks change, solver against the checker (which measures rests in fact).

Event minutes are clock minutes: where the clocks go back (Toronto 2026-11-01 02:00 EDT -> 01:00 EST, Paris
2026-10-25 03:00 CEST -> 02:00 CET) the clock time that follows the last slot before the change comes an hour
later in fact; where they go forward (Paris 2026-03-29 02:00 -> 03:00) the skipped hour never passes. Every
solver timetable here must pass `check`.
"""

from __future__ import annotations

import json

import pytest

from scheduler.check import check
from scheduler.event import Event
from scheduler.solve import solve
from scheduler.timetable import Timetable
from builders import day, en_fr, event_dict, session

# The night the clocks go back, and the hour (on the clock, first pass) at which they do.
FALL_BACK = [("America/Toronto", "2026-11-01", 2), ("Europe/Paris", "2026-10-25", 3)]


def event(data: dict, zone: str) -> Event:
    data["event"]["timezone"] = zone
    return Event.model_validate_json(json.dumps(data))


def solved(ev: Event, method: str) -> Timetable:
    out = solve(ev, time_limit=2, workers=2, method=method)
    assert out.timetable is not None, (out.status, out.note)
    tt = Timetable.model_validate_json(out.timetable.to_json())  # as `scheduler check` reads it
    assert check(ev, tt) == [], [str(b) for b in check(ev, tt)]
    return tt


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
