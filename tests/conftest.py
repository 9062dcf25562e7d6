"""What every test of the suite also checks."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True)
def no_bound_above_a_timetable(caplog):
    """No solve of the suite proves a bound above the cost of a timetable it returns: timetables state at most
    their objective as bound (`solutions.reported_bound`), so only the log can tell."""
    yield
    wrong = [r.getMessage() for r in caplog.get_records("call")
             if r.name == "scheduler.solutions" and r.levelno >= logging.ERROR]
    assert not wrong, wrong
