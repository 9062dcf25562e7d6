"""Side processes for one-core work (`scheduler/parallel.py`) and the days they staff by duties side by side."""

import multiprocessing
import os

import pytest
from builders import two_days_greedy

from scheduler.check import check
from scheduler.parallel import InProcess, side_processes
from scheduler.search import Search
from scheduler.solutions import loads


def _fails():
    raise ValueError("inside")


def test_in_process_runs_each_call_at_once_and_hands_back_its_error():
    pool = InProcess()
    done = pool.submit(divmod, 7, 2)
    assert done.done() and done.result() == (3, 1)
    failed = pool.submit(_fails)
    assert failed.done()
    with pytest.raises(ValueError, match="inside"):
        failed.result()


def test_one_worker_stays_in_this_process():
    with side_processes(1) as (pool, slots):
        assert isinstance(pool, InProcess) and slots == 1
        assert pool.submit(os.getpid).result() == os.getpid()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_two_workers_run_calls_in_other_processes():
    with side_processes(2) as (pool, slots):
        assert slots == 2
        assert pool.submit(os.getpid).result() != os.getpid()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_days_staffed_by_duties_in_side_processes_give_a_valid_timetable(monkeypatch):
    """Both days of a generated event staffed by duties at once, in two processes: the timetable is valid, no
    costlier than the greedy staffing it starts from, and its busiest load no higher."""
    from scheduler import decompose

    monkeypatch.setattr(decompose, "DUTY_LIMIT", 10)
    event, start = two_days_greedy()
    result = decompose.by_duties(Search(event, 30.0, 2, 0, None, None), start, 0)
    assert check(event, result) == []
    assert result.objective <= start.objective
    assert max(loads(event, result).values()) <= max(loads(event, start).values())


def _dies(*args, **kwargs):
    os._exit(1)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_a_side_process_that_dies_leaves_the_timetable_as_it_was(monkeypatch):
    """A side process killed mid-way (here it exits at once, as one killed for memory would vanish) costs its
    day's re-staffing, not the solve: the timetable comes back as it was, valid."""
    from scheduler import decompose

    monkeypatch.setattr(decompose, "DUTY_LIMIT", 10)
    monkeypatch.setattr(decompose, "staff_by_duties", _dies)
    event, start = two_days_greedy()
    result = decompose.by_duties(Search(event, 30.0, 2, 0, None, None), start, 0)
    assert result == start and check(event, result) == []
