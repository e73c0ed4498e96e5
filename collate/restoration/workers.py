"""Filling holes in worker processes.

Filling a hole (a search and the scoring of its candidates) is independent of every other
hole once the restorers are trained, and it is what restoration spends its time on. The
workers are forked from the calling process and send back only the candidates: with
:func:`fill` each inherits the restorers built here as they stand; with :func:`fill_rounds`
each trains the model of the round it fills and drops it after (no model is pickled or
trained twice, and one round's model is alive per process at a time). The result does not
depend on the number of workers: every hole is filled by the same restorer, with the same
scores, wherever it runs.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence

from collate.restoration.holes import Hole, Scored

#: holes filled here first: what they take tells what the rest will (and leaves warm caches
#: for the workers to inherit)
PROBE = 16
#: seconds of remaining work, as the probe foretells it, from which workers pay: starting
#: them and warming their caches costs about a tenth of a second (a small document's few
#: hidden spans, filled in a tenth of a second, came out slower on two workers than on one)
MIN_WORK = 0.3
#: chunks per worker: small enough that the workers finish together (holes differ in cost)
CHUNKS = 4

Task = tuple[Callable[[Hole], None], Hole]  #: a filler (sets ``hole.cands``) and its hole
#: what makes a round's filler (trains its model, in the process that runs the round) and
#: the holes that filler fills
Round = tuple[Callable[[], Callable[[Hole], None]], Sequence[Hole]]

_TASKS: Sequence[Task] = ()  # the tasks of the running :func:`fill`, inherited by the workers
_ROUNDS: Sequence[Round] = ()  # the rounds of the running :func:`fill_rounds`, likewise


def available() -> int:
    """The cores this process may run on (the default number of workers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fill(tasks: Sequence[Task], workers: int = 1,
         done: Callable[[int], object] | None = None) -> None:
    """Run every task (``filler(hole)``), over ``workers`` forked processes where that pays;
    ``done(n)`` is told as each ``n`` more tasks are finished (a progress bar's ``update``).

    The first :data:`PROBE` tasks run here; the rest go to the workers only if, at the pace
    of those, they would take :data:`MIN_WORK` seconds or more. Falls back to this process
    where forking is not possible or not safe: a platform without ``fork``, or a process
    already running other threads.

    >>> from collate.restoration.holes import Hole, Scored
    >>> def guess(h):
    ...     h.cands = {"a" * h.end: Scored(-1.0, ["lm"])}
    >>> holes = [Hole(0, n, (n, n), {}) for n in range(1, 4)]
    >>> fill([(guess, h) for h in holes], workers=2)
    >>> [list(h.cands) for h in holes]
    [['a'], ['aa'], ['aaa']]
    """
    tell = done or (lambda n: None)
    start = time.perf_counter()
    probe = tasks[:PROBE] if workers > 1 else tasks
    for filler, hole in probe:
        filler(hole)
        tell(1)
    rest = tasks[len(probe) :]
    pace = (time.perf_counter() - start) / max(1, len(probe))
    if not rest:
        return
    if pace * len(rest) < MIN_WORK or not _can_fork():
        for filler, hole in rest:
            filler(hole)
            tell(1)
        return
    global _TASKS
    _TASKS = rest
    n_chunks = min(len(rest), workers * CHUNKS)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for chunk in pool.imap_unordered(_run, [(k, n_chunks) for k in range(n_chunks)]):
                for i, cands in chunk:
                    rest[i][1].cands = cands
                tell(len(chunk))
    finally:
        _TASKS = ()


def fill_rounds(rounds: Sequence[Round], workers: int = 1,
                done: Callable[[int], object] | None = None) -> None:
    """Fill every round's holes, each round by a filler made in the process that runs it:
    its model is trained once, in one process, and dropped when its holes are filled (one
    model alive per process, not one per round; no forked copy touches another's model).

    The first round runs here; the others go to ``workers`` forked processes (a round at a
    time each) only if, at its pace, they would take :data:`MIN_WORK` seconds or more.

    >>> from collate.restoration.holes import Hole, Scored
    >>> def maker(letter):
    ...     def guess(h):
    ...         h.cands = {letter * h.end: Scored(-1.0, ["lm"])}
    ...     return lambda: guess
    >>> holes = [Hole(0, n, (n, n), {}) for n in range(1, 4)]
    >>> fill_rounds([(maker("a"), holes[:1]), (maker("b"), holes[1:])], workers=2)
    >>> [list(h.cands) for h in holes]
    [['a'], ['bb'], ['bbb']]
    """
    tell = done or (lambda n: None)
    if not rounds:
        return
    start = time.perf_counter()
    _run_round(rounds[0], tell)
    rest = rounds[1:]
    pace = time.perf_counter() - start
    if workers < 2 or len(rest) < 2 or pace * len(rest) < MIN_WORK or not _can_fork():
        for one in rest:
            _run_round(one, tell)
        return
    global _ROUNDS
    _ROUNDS = rest
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(rest))) as pool:
            for k, cands in pool.imap_unordered(_round_in_worker, range(len(rest))):
                for hole, got in zip(rest[k][1], cands, strict=True):
                    hole.cands = got
                tell(len(cands))
    finally:
        _ROUNDS = ()


def _run_round(one: Round, tell: Callable[[int], object]) -> None:
    """One round filled here; its filler (and model) freed on return."""
    make, holes = one
    filler = make()
    for hole in holes:
        filler(hole)
        tell(1)


def _round_in_worker(k: int) -> tuple[int, list[dict[str, Scored]]]:
    """In a worker: round ``k`` of the running :func:`fill_rounds` filled, its candidates."""
    make, holes = _ROUNDS[k]
    filler = make()
    for hole in holes:
        filler(hole)
    return k, [hole.cands for hole in holes]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run(chunk: tuple[int, int]) -> list[tuple[int, dict[str, Scored]]]:
    """In a worker: fill every ``step``-th task from ``first`` (interleaved, so each chunk
    gets holes of every round and size) and return their candidates by task index."""
    first, step = chunk
    out = []
    for i in range(first, len(_TASKS), step):
        filler, hole = _TASKS[i]
        filler(hole)
        out.append((i, hole.cands))
    return out
