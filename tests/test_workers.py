"""Tests of collate.restoration.workers: holes filled in forked workers come back whole, the
result does not depend on the number of workers, and the fallbacks stay in process."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from collate.restoration import restore
from collate.restoration.holes import Hole, Scored
from collate.restoration.workers import PROBE, fill, fill_rounds
from tests.conftest import SEED, data_path
from tests.test_cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "memo"


def _pid_filler(hole: Hole) -> None:
    hole.cands = {str(os.getpid()): Scored(float(hole.start), ["lm"])}


def _holes(n: int) -> list[Hole]:
    return [Hole(i, i + 1, (1, 1), {}) for i in range(n)]


FORKED = """
import os, time
from collate.restoration.holes import Hole, Scored
from collate.restoration.workers import PROBE, fill
def filler(hole):
    time.sleep(0.005)  # enough work that the workers pay
    hole.cands = {str(os.getpid()): Scored(float(hole.start), ["lm"])}
holes = [Hole(i, i + 1, (1, 1), {}) for i in range(PROBE + 80)]
fill([(filler, h) for h in holes], workers=2)
where = [next(iter(h.cands)) for h in holes]
print(where.count(str(os.getpid())) == PROBE, len(set(where)) - 1,
      all(h.cands[w].score == h.start for h, w in zip(holes, where)))
"""


def test_workers_fill_the_holes_after_the_probe_in_other_processes():
    # a fresh process: this one may run other tests' threads (Dask), where fill stays serial
    got = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    probe_here, others, scores = got.stdout.split()
    # the probe here, the rest elsewhere (by one worker or both: a loaded machine may start
    # one late), every score back in its hole
    assert probe_here == "True" and 1 <= int(others) <= 2 and scores == "True"


ROUNDS = """
import os, time
from collate.restoration.holes import Hole, Scored
from collate.restoration.workers import fill_rounds
made = []
def maker(k):
    def make():
        made.append(k)  # in the process that fills round k
        time.sleep(0.1)  # training its model: enough work that the workers pay
        made_in = os.getpid()
        def filler(hole):
            hole.cands = {f"{made_in}/{os.getpid()}": Scored(float(k), ["lm"])}
        return filler
    return make
rounds = [[Hole(i, i + 1, (1, 1), {}) for i in range(k, k + 3)] for k in range(0, 18, 3)]
fill_rounds([(maker(k), holes) for k, holes in enumerate(rounds)], workers=2)
where = [[next(iter(h.cands)) for h in holes] for holes in rounds]
here = str(os.getpid())
print(made == [0], {w for w in where[0]} == {f"{here}/{here}"},
      all(len(set(w)) == 1 and w[0].split("/")[0] == w[0].split("/")[1] != here
          for w in where[1:]),
      all(h.cands[w].score == k for k, (holes, ws) in enumerate(zip(rounds, where))
          for h, w in zip(holes, ws)))
"""


def test_rounds_after_the_first_are_made_and_filled_in_other_processes():
    # each round's filler made once, in the process that fills its holes; the first here
    got = subprocess.run([sys.executable, "-c", ROUNDS], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert got.stdout.split() == ["True"] * 4, got.stdout


def test_rounds_of_little_work_or_one_worker_stay_in_process():
    made = []

    def maker(k: int):
        def make():
            made.append(k)
            return _pid_filler
        return make

    rounds = [_holes(3) for _ in range(4)]
    for workers in (1, 2):
        made.clear()
        fill_rounds([(maker(k), holes) for k, holes in enumerate(rounds)], workers=workers)
        assert made == [0, 1, 2, 3]
        assert {next(iter(h.cands)) for holes in rounds for h in holes} == {str(os.getpid())}


def _slow_pid_filler(hole: Hole) -> None:
    time.sleep(0.005)
    _pid_filler(hole)


def test_little_work_or_one_worker_stays_in_process():
    for holes, workers, filler in ((_holes(200), 2, _pid_filler),
                                   (_holes(PROBE + 80), 1, _slow_pid_filler)):
        fill([(filler, h) for h in holes], workers=workers)
        assert {next(iter(h.cands)) for h in holes} == {str(os.getpid())}


def test_a_process_running_threads_does_not_fork():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        holes = _holes(PROBE + 80)
        fill([(_slow_pid_filler, h) for h in holes], workers=2)
    finally:
        stop.set()
        thread.join()
    assert {next(iter(h.cands)) for h in holes} == {str(os.getpid())}


def test_restoration_is_the_same_for_any_number_of_workers():
    # fresh processes (they can fork); the seed's hidden spans are seconds of work: they
    # fan out to the workers
    seed = str(data_path("seed", SEED.name))

    def restored(workers: int) -> str:
        return subprocess.run([sys.executable, "-m", "collate", "restore", seed, "--workers",
                               str(workers)], capture_output=True, text=True, check=True,
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


def test_restore_shows_its_progress_when_asked(capsys) -> None:
    text = "the cat sat on the mat. " * 30 + "the c□t sat on the m□t."
    restore(text, calibration=40, progress=True)
    bar = capsys.readouterr().err
    assert "restore" in bar and "hole" in bar  # a tqdm bar: desc and unit
    restore(text, calibration=40, progress=False)
    assert capsys.readouterr().err == ""
