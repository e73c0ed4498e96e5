"""Tests of collate.restoration.workers: holes filled in forked workers come back whole, the
result does not depend on the number of workers, and the fallbacks stay in process."""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

import pytest

from collate.restoration import restore
from collate.restoration.holes import Hole, Scored
from collate.restoration.workers import MIN_PARALLEL, _can_fork, available, fill
from tests.test_cli import run

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "memo"


def _pid_filler(hole: Hole) -> None:
    hole.cands = {str(os.getpid()): Scored(float(hole.start), ["lm"])}


def _holes(n: int) -> list[Hole]:
    return [Hole(i, i + 1, (1, 1), {}) for i in range(n)]


@pytest.mark.skipif(not _can_fork(), reason="this platform cannot fork workers")
def test_workers_fill_every_hole_in_other_processes():
    holes = _holes(MIN_PARALLEL * 2)
    fill([(_pid_filler, h) for h in holes], workers=2)
    pids = {next(iter(h.cands)) for h in holes}
    assert str(os.getpid()) not in pids  # filled in the workers, sent back
    assert [h.cands[next(iter(h.cands))].score for h in holes] == [float(h.start) for h in holes]


def test_few_holes_or_one_worker_stay_in_process():
    for holes, workers in ((_holes(MIN_PARALLEL - 1), 2), (_holes(MIN_PARALLEL * 2), 1)):
        fill([(_pid_filler, h) for h in holes], workers=workers)
        assert {next(iter(h.cands)) for h in holes} == {str(os.getpid())}


def test_a_process_running_threads_does_not_fork():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        holes = _holes(MIN_PARALLEL * 2)
        fill([(_pid_filler, h) for h in holes], workers=2)
    finally:
        stop.set()
        thread.join()
    assert {next(iter(h.cands)) for h in holes} == {str(os.getpid())}


def test_restoration_is_the_same_for_any_number_of_workers():
    damaged = (SAMPLES / "B.txt").read_text(encoding="utf-8")
    witness = (SAMPLES / "A.txt").read_text(encoding="utf-8")
    one = restore(damaged, witnesses=[witness], workers=1)
    two = restore(damaged, witnesses=[witness], workers=available() + 1)
    assert one == two
    assert any(r.candidates for r in one.lacunae)


def test_restore_leaves_the_garbage_collector_as_it_found_it():
    text = "The c\u25a1t sat on the mat. The cat sat on the mat."
    restore(text)
    assert gc.isenabled()
    gc.disable()
    try:
        restore(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cli_workers_option():
    path = str(SAMPLES / "B.txt")
    one, two = run("restore", path, "--workers", "1"), run("restore", path, "--workers", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.output == two.output
    bad = run("restore", path, "--workers", "0")
    assert bad.exit_code == 2
    assert len(bad.output.strip().splitlines()) == 1
