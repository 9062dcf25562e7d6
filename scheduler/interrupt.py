"""Ctrl-C during a long command: the first stops the search, which ends with the best it has (a solve writes its
best timetable); a second ends the program at once, writing nothing.

CP-SAT catches SIGINT by itself, but only to end the solve under way: the steps after it went on, so a solve
ignored Ctrl-C until its time limit. Every solver is therefore made by `new_solver` (which turns that off and
registers it), and while `stopping_on_ctrl_c` is active a thread stops the registered solvers as soon as the
signal comes, and again every STOP_AGAIN seconds after it (a solver made just before the signal may start its
solve after it: `stop_search` only stops a solve under way). The thread is needed because Python runs its own
handlers only when the main thread is back in Python, not while it waits in a solve.

Forked side processes (see `parallel.py`) get the signal too, from the terminal or from `request_stop`: in them
it only asks their work to stop. SIGINT is blocked around each fork, so that a child never runs the parent's
handler (which would tell the parent's thread of a second Ctrl-C through the inherited wakeup socket).
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
from typing import NoReturn

from ortools.sat.python import cp_model

from .cli import Exit  # no cycle: the command line imports this module only inside its commands

STOP_AGAIN = 0.2  # seconds between the watcher's stops after the first Ctrl-C

_solvers: weakref.WeakSet[cp_model.CpSolver] = weakref.WeakSet()
_lock = threading.Lock()
_requested = threading.Event()
_active = False  # a `stopping_on_ctrl_c` block is running in this process
_mask_before_fork: set[signal.Signals] | None = None


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
    for child in _children():  # Ctrl-C reaches them too, but `kill -INT` only us
        try:
            os.kill(child.pid, signal.SIGINT)
        except (OSError, TypeError):
            pass


def _children() -> list[multiprocessing.process.BaseProcess]:
    """This process's side processes, asked again (then none) rather than failing if the main thread starts one
    meanwhile: the watcher thread asks, and an exception would end it, and with it the second Ctrl-C."""
    for _attempt in range(3):
        try:
            return multiprocessing.active_children()
        except RuntimeError:  # "Set changed size during iteration"
            continue
    return []


def _quit() -> NoReturn:
    """The second Ctrl-C: end now, side processes included (they would wait forever for work, holding the
    output pipes open), writing nothing."""
    print("\nInterrupted again: quitting, nothing written.", file=sys.stderr, flush=True)
    for child in _children():
        try:
            os.kill(child.pid, signal.SIGKILL)
        except (OSError, TypeError):
            pass
    os._exit(Exit.INTERRUPTED)


def _before_fork() -> None:
    global _mask_before_fork
    if _active:
        _mask_before_fork = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _after_fork_in_parent() -> None:
    global _mask_before_fork
    if _mask_before_fork is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, _mask_before_fork)
        _mask_before_fork = None


def _after_fork_in_child() -> None:
    global _active, _mask_before_fork
    if _mask_before_fork is None:
        return
    _active = False
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, lambda _signum, _frame: _requested.set())
    signal.pthread_sigmask(signal.SIG_SETMASK, _mask_before_fork)
    _mask_before_fork = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_after_fork_in_child)


@contextmanager
def stopping_on_ctrl_c(say: str = "stopping at the next step; Ctrl-C again to quit at once") -> Iterator[None]:
    """Within the block, the first Ctrl-C calls `request_stop` (and prints `say`), a second quits with 130.
    Outside the main thread (no signals there), or when SIGINT is ignored (a job started in the background by
    a script), the block changes nothing."""
    global _active
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is signal.SIG_IGN):
        yield
        return
    _requested.clear()
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    reader.settimeout(STOP_AGAIN)
    count = 0

    def watch() -> None:
        nonlocal count
        while True:
            try:
                data = reader.recv(64)
            except TimeoutError:
                if count:
                    request_stop()  # again: a solve may have started after the first stop
                continue
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
                    _quit()

    _active = True
    previous_handler = signal.signal(signal.SIGINT, lambda _signum, _frame: None)
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    thread = threading.Thread(target=watch, name="ctrl-c", daemon=True)
    thread.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        signal.signal(signal.SIGINT, previous_handler)
        _active = False
        writer.close()  # ends the thread's recv
        thread.join(timeout=1.0)
        reader.close()
        _requested.clear()
