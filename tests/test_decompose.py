"""The decomposition used for large events: its timetables obey every hard rule and report honest costs."""

import pytest

from scheduler.check import check
from scheduler.costs import costs
from scheduler.generate import GeneratorSettings, generate_event
from scheduler.solve import solve


@pytest.mark.parametrize("seed", [1, 2])
def test_decomposition_gives_a_valid_timetable_with_honest_costs(seed):
    event, planted = generate_event(GeneratorSettings(sessions=24, days=2, rooms=3, languages=3, seed=seed))
    outcome = solve(event, time_limit=12, workers=2, seed=seed, method="decompose")
    assert outcome.status in {"optimal", "feasible"}, outcome.note
    tt = outcome.timetable
    assert check(event, tt) == []
    assert tt.objective >= tt.bound >= 0
    assert sum(c.cost for c in tt.costs) == tt.objective
    assert costs(event, tt) == tt.costs
    assert outcome.first_solution_seconds is not None and outcome.first_solution_seconds <= outcome.solve_seconds


def test_decomposition_bound_is_a_true_lower_bound():
    """The bound of the decomposition never exceeds the cost of a known valid timetable (the planted one)."""
    event, planted = generate_event(GeneratorSettings(sessions=16, days=2, rooms=3, languages=2, seed=5))
    outcome = solve(event, time_limit=8, workers=2, method="decompose")
    assert outcome.timetable is not None
    assert outcome.timetable.bound <= sum(c.cost for c in costs(event, planted))


def test_auto_uses_the_exact_model_for_small_events():
    event, _ = generate_event(GeneratorSettings(sessions=6, days=1, rooms=2, languages=2, seed=3))
    assert solve(event, time_limit=5, workers=2).method == "exact"
