"""Ctrl-C during a long command: the first stops the search, which ends with the best it has (a solve writes its
best timetable); a second ends the program at once, writing nothing.

CP-SAT catches SIGINT by itself, but only to end the solve under way: the steps after it went on, so a solve
ignored Ctrl-C until its time limit. Every solver is therefore made by `new_solver` (which turns that off and
registers it), and while `stopping_on_ctrl_c` is active a thread stops the registered solvers as soon as the
signal comes. The thread is needed because Python runs its own handlers only when the main thread is back in
Python, not while it waits in a solve.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from ortools.sat.python import cp_model

_solvers: weakref.WeakSet[cp_model.CpSolver] = weakref.WeakSet()
_lock = threading.Lock()
_requested = threading.Event()


def requested() -> bool:
    """Whether Ctrl-C asked the search to stop (every search step asks before it goes on)."""
    return _requested.is_set()


def new_solver(seconds: float) -> cp_model.CpSolver:
    """A CP-SAT solver for at most `seconds` (a token time once a stop is asked) that Ctrl-C can stop."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    solver.parameters.max_time_in_seconds = 0.01 if requested() else max(0.0, seconds)
    with _lock:
        _solvers.add(solver)
    return solver


def request_stop() -> None:
    """Stop every solver under way and make the next ones end at once, here and in the side processes."""
    _requested.set()
    with _lock:
        solvers = list(_solvers)
    for solver in solvers:
        solver.stop_search()
    for child in multiprocessing.active_children():  # Ctrl-C reaches them too, but `kill -INT` only us
        try:
            os.kill(child.pid, signal.SIGINT)
        except (OSError, TypeError):
            pass


def in_side_process() -> None:
    """For forked side processes (their initializer): SIGINT asks their work to stop, never raises there,
    and is not mistaken for a second Ctrl-C by the parent's thread (the wakeup socket is the parent's)."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, lambda _signum, _frame: _requested.set())


@contextmanager
def stopping_on_ctrl_c(say: str = "stopping at the next step; Ctrl-C again to quit at once") -> Iterator[None]:
    """Within the block, the first Ctrl-C calls `request_stop` (and prints `say`), a second exits with 130.
    Outside the main thread (no signals there) the block changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    count = 0

    def watch() -> None:
        nonlocal count
        while True:
            try:
                data = reader.recv(64)
            except OSError:
                return
            if not data:
                return
            for number in data:
                if number != signal.SIGINT:
                    continue
                count += 1
                if count == 1:
                    print(f"\nInterrupted: {say}.", file=sys.stderr, flush=True)
                    request_stop()
                else:
                    print("\nInterrupted again: quitting, nothing written.", file=sys.stderr, flush=True)
                    os._exit(130)

    previous_handler = signal.signal(signal.SIGINT, lambda _signum, _frame: None)
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    thread = threading.Thread(target=watch, name="ctrl-c", daemon=True)
    thread.start()
    _requested.clear()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        signal.signal(signal.SIGINT, previous_handler)
        writer.close()  # ends the thread's recv
        thread.join(timeout=1.0)
        reader.close()
        _requested.clear()
