"""Tests of collate.restoration.workers: holes filled in forked workers come back whole, the
result does not depend on the number of workers, and the fallbacks stay in process."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

from collate.restoration import restore
from collate.restoration.holes import Hole, Scored
from collate.restoration.workers import MIN_PARALLEL, fill
from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "memo"


def _pid_filler(hole: Hole) -> None:
    hole.cands = {str(os.getpid()): Scored(float(hole.start), ["lm"])}


def _holes(n: int) -> list[Hole]:
    return [Hole(i, i + 1, (1, 1), {}) for i in range(n)]


FORKED = """
import os
from collate.restoration.holes import Hole, Scored
from collate.restoration.workers import MIN_PARALLEL, fill
def filler(hole):
    hole.cands = {str(os.getpid()): Scored(float(hole.start), ["lm"])}
holes = [Hole(i, i + 1, (1, 1), {}) for i in range(MIN_PARALLEL * 2)]
fill([(filler, h) for h in holes], workers=2)
print(os.getpid(), len({next(iter(h.cands)) for h in holes}),
      all(h.cands[next(iter(h.cands))].score == h.start for h in holes),
      str(os.getpid()) in {next(iter(h.cands)) for h in holes})
"""


def test_workers_fill_every_hole_in_other_processes():
    # a fresh process: this one may run other tests' threads (Dask), where fill stays serial
    got = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, pids, scores, here = got.stdout.split()
    # filled elsewhere (by one worker or both: a loaded machine may start one late)
    assert 1 <= int(pids) <= 2 and scores == "True" and here == "False"


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
    # fresh processes (they can fork); the memo's hidden spans are enough to fan out
    def restored(workers: int) -> str:
        args = ["restore", str(SAMPLES / "B.txt"), "--witness", str(SAMPLES / "A.txt"),
                "--workers", str(workers)]
        return subprocess.run([sys.executable, "-m", "collate", *args], capture_output=True,
                              text=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout

    one, two = restored(1), restored(2)
    assert one == two
    assert '"candidates": [{' in one


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


def test_a_shown_progress_bar_leaves_no_thread_behind():
    from collate.edition import make_edition

    before = set(threading.enumerate())
    make_edition(["The cat sat on the mat.", "The cat sat on a mat."], progress=True)
    assert set(threading.enumerate()) <= before  # so restoration can still fork its workers
