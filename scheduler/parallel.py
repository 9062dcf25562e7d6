"""Side processes for work that runs on one core: CP-SAT's models use every core given, but the duty staffing
(GLOP's solves and pricing in Python) uses one, so the decomposition staffs several days side by side.

Processes are forked, so the work needs no import and its arguments only a pickle (a day of the 560-session
event: 0.2 MB, 5 ms); where fork does not exist, or with one worker, the work runs in this process. Ctrl-C in
the children only asks their work to stop (`interrupt.py`'s fork hooks).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager


class InProcess(Executor):
    """An executor that runs each call at once, in this process (its future is done when `submit` returns)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed back by future.result(), as a process pool does
            future.set_exception(error)
        return future


@contextmanager
def side_processes(workers: int) -> Iterator[tuple[Executor, int]]:
    """An executor for `workers` calls at once and that number: forked processes, or this process alone (1)
    when `workers` < 2 or the platform cannot fork."""
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield InProcess(), 1
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool, workers
