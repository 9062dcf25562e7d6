"""Ctrl-C during a solve: the first stops the search and keeps the best timetable, a second quits at once.

CP-SAT used to catch SIGINT for the solve under way only, so `scheduler solve` went on to its time limit.
Signals here are sent only once the process says it is ready (its first timetable, or a line of a script), so
that no test depends on how fast the machine starts Python.
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import textwrap
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
ROOT = Path(__file__).resolve().parents[1]


def test_ctrl_c_stops_the_search_and_keeps_the_best_timetable():
    event, _ = generate_event(EVENT)
    sent: list[float] = []

    def first_timetable(_progress) -> None:
        if not sent:
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)

    with stopping_on_ctrl_c():
        outcome = solve(event, time_limit=LIMIT, workers=2, on_progress=first_timetable)
        ended = time.perf_counter()
        assert requested()
        assert new_solver(30.0).parameters.max_time_in_seconds < 0.1  # later steps end at once
    assert not requested()  # the next command starts afresh
    assert sent and ended - sent[0] < 20, "the search went on long after Ctrl-C"
    assert outcome.timetable is not None and outcome.status == "feasible"
    assert check(event, outcome.timetable) == []


class Terminal:
    """A command whose standard error is a terminal (so that `solve` shows its progress), in its own process
    group, which gets SIGINT as a terminal's Ctrl-C sends it: side processes included."""

    def __init__(self, command: list[str]):
        master, slave = pty.openpty()
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
                                        cwd=ROOT, start_new_session=True)
        os.close(slave)
        self.text = ""  # standard error, as the terminal shows it
        self.out = ""  # standard output
        threading.Thread(target=self._read, args=(master, "text"), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stdout.fileno(), "out"), daemon=True).start()

    def _read(self, fd: int, into: str) -> None:
        # never a blocking read in the test itself: a side process left alive would hold the pipe open forever
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            setattr(self, into, getattr(self, into) + data.decode("utf-8", "replace"))

    def wait_for(self, needle: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while needle not in self.text:
            assert self.process.poll() is None, f"ended before {needle!r}:\n{self.text}"
            assert time.monotonic() < deadline, f"no {needle!r} in {seconds} s:\n{self.text}"
            time.sleep(0.02)

    def ctrl_c(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)

    def end(self, seconds: float = 60) -> int:
        code = self.process.wait(timeout=seconds)
        time.sleep(0.1)  # the reader takes the last lines
        return code


def test_cli_first_ctrl_c_writes_the_best_timetable(tmp_path):
    event, _ = generate_event(EVENT)
    source, out = tmp_path / "event.json", tmp_path / "timetable.json"
    source.write_text(event.model_dump_json(by_alias=True, exclude_none=True), "utf-8")
    term = Terminal([sys.executable, "-m", "scheduler", "solve", str(source), "-o", str(out),
                     "--time-limit", str(LIMIT), "--workers", "2"])
    term.wait_for(" best ")  # the progress line: a timetable exists
    began = time.monotonic()
    term.ctrl_c()
    assert term.end() == 0, term.text
    assert time.monotonic() - began < 30 and "(interrupted: the best found so far)" in term.text
    event = load_event(source)
    assert check(event, load_timetable(out, event)) == []


SCRIPT = textwrap.dedent("""
    import multiprocessing, sys, time
    from scheduler.interrupt import requested, stopping_on_ctrl_c
    from scheduler.parallel import side_processes

    def work(stops):  # a side process's work: it stops when asked, or (stops=False) outlasts the test
        for _ in range(1500):
            if stops and requested():
                return "stopped"
            time.sleep(0.02)
        return "not stopped"

    stops = sys.argv[1] == "stops"
    with stopping_on_ctrl_c("asked"):
        with side_processes(2) as (pool, _slots):
            futures = [pool.submit(work, stops) for _ in range(2)]
            print("ready", *[p.pid for p in multiprocessing.active_children()], flush=True)
            print(*[f.result() for f in futures], flush=True)
    print("done", flush=True)
""")


def run_script(tmp_path: Path, mode: str) -> Terminal:
    script = tmp_path / "side.py"
    script.write_text(SCRIPT, "utf-8")
    return Terminal([sys.executable, str(script), mode])


def ready_children(term: Terminal) -> list[int]:
    deadline = time.monotonic() + 60
    while "\n" not in term.out:
        assert term.process.poll() is None and time.monotonic() < deadline, term.text
        time.sleep(0.02)
    line = term.out.splitlines()[0]
    assert line.startswith("ready"), line
    return [int(pid) for pid in line.split()[1:]]


def test_side_processes_stop_their_work_and_one_ctrl_c_counts_once(tmp_path):
    term = run_script(tmp_path, "stops")
    assert len(ready_children(term)) == 2
    term.ctrl_c()  # to the whole group, side processes included
    assert term.end() == 0, term.text
    assert term.out.split()[3:] == ["stopped", "stopped", "done"]
    assert term.text.count("Interrupted: asked.") == 1 and "again" not in term.text
    assert "Traceback" not in term.text and "KeyboardInterrupt" not in term.text


def test_second_ctrl_c_quits_at_once_and_ends_the_side_processes(tmp_path):
    term = run_script(tmp_path, "outlasts")
    children = ready_children(term)
    term.ctrl_c()
    term.wait_for("Interrupted: asked.")
    term.ctrl_c()
    assert term.end(seconds=10) == 130, term.text
    assert "Interrupted again: quitting, nothing written." in term.text
    assert len(term.out.splitlines()) == 1  # nothing after "ready": no result, no "done"
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children):  # killed, not left waiting for work forever
        assert time.monotonic() < deadline, f"side processes {children} outlived the program"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie not yet reaped by init counts as gone
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
