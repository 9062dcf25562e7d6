"""Ctrl-C during a solve: the first stops the search and keeps the best timetable, a second quits at once.

CP-SAT used to catch SIGINT for the solve under way only, so `scheduler solve` went on to its time limit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from scheduler.check import check
from scheduler.generate import GeneratorSettings, generate_event
from scheduler.interrupt import new_solver, requested, stopping_on_ctrl_c
from scheduler.loading import load_event, load_timetable
from scheduler.solve import solve

LIMIT = 120.0  # far beyond what the tests wait: ending early proves the stop
EVENT = GeneratorSettings(sessions=60, days=3, rooms=4, languages=3, seed=2)  # not proven optimal in minutes


def test_ctrl_c_stops_the_search_and_keeps_the_best_timetable():
    event, _ = generate_event(EVENT)
    with stopping_on_ctrl_c():
        threading.Timer(2.0, os.kill, (os.getpid(), signal.SIGINT)).start()
        began = time.perf_counter()
        outcome = solve(event, time_limit=LIMIT, workers=2)
        took = time.perf_counter() - began
        assert requested()
        assert new_solver(30.0).parameters.max_time_in_seconds < 0.1  # later steps end at once
    assert not requested()  # the next command starts afresh
    assert took < 20, f"the search went on {took:.1f} s after Ctrl-C"
    assert outcome.timetable is not None and outcome.status == "feasible"
    assert check(event, outcome.timetable) == []


def run_cli(tmp_path: Path, signals: list[float]) -> tuple[subprocess.CompletedProcess, float, Path, Path]:
    event, _ = generate_event(EVENT)
    source, out = tmp_path / "event.json", tmp_path / "timetable.json"
    source.write_text(event.model_dump_json(by_alias=True, exclude_none=True), "utf-8")
    command = [sys.executable, "-m", "scheduler", "solve", str(source), "-o", str(out),
               "--time-limit", str(LIMIT), "--workers", "2"]
    # its own process group, which gets the signal as a terminal's Ctrl-C does (side processes included)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    began = time.perf_counter()
    for at in signals:
        time.sleep(max(0.0, at - (time.perf_counter() - began)))
        os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    return done, time.perf_counter() - began, source, out


def test_cli_first_ctrl_c_writes_the_best_timetable(tmp_path):
    done, took, source, out = run_cli(tmp_path, [4.0])
    assert done.returncode == 0, done.stderr
    assert took < 30 and "interrupted" in done.stderr.lower()
    event = load_event(source)
    assert check(event, load_timetable(out, event)) == []


def test_cli_second_ctrl_c_quits_at_once_writing_nothing(tmp_path):
    done, took, _source, out = run_cli(tmp_path, [4.0, 4.02])  # before the first can end the search
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr and took < 30
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "event.json"]
