"""Benchmark: whole-process speed and memory of ``collate``, as ratios to a floor run in the
same run (issue 25).

The floor is the least any Python tool that reads text does: start, read the files, cut each
with one ``regex`` ``findall``, print the counts (:data:`FLOOR`). Timings on a shared
machine drift, so each case runs its command and its floor alternately, a warm-up first,
then ``--repeat`` times each; it prints the medians of both, their ratio, the CPU seconds
(user + system, all processes) of both and the peak resident memory of ``collate``
(``os.wait4``), the ratios of wall and of CPU time (the CPU ratio is the steadier on a loaded
machine), beside the issue's target. The start-up cases (``--version``, a usage error) are measured
against ``python -c pass``.

Cases: Frankenstein 1818 + 1823 and all four editions ``align --format json`` (targets 4×
and 8× the floor), two 10 MB single lines (made as :mod:`bench_big` makes them: real prose,
the second with every 50th word changed) ``align --format json`` (≤ 10 s, ≤ 1 GB) and
``edition --format html`` (≤ 15 s, ≤ 1.2 GB); ``restore --format json`` of the seed document
(≤ 3 s CPU) and of 1,000 lacunae in 250,000 characters of Frankenstein 1818 with a witness
damaged elsewhere (made as :func:`bench_restore.speed` makes them; ≤ 4 s CPU), CPU seconds
of all processes (restoration forks its workers; ``os.wait4`` counts the ones it waited for).

Also, in process: the pairwise aligner on 2 × 2000 tokens against rapidfuzz's
``Indel.opcodes`` on the same token ids (≤ 20×), the two alternating, the median ratio of at
least 21 rounds printed with its quartiles and range (``--against``: the other checkout's in a
process of its own, after).

collate's bytecode is compiled before the runs (``compileall``, as ``pip install`` does for a
wheel; ``--no-compile`` to skip it): with ``PYTHONDONTWRITEBYTECODE`` set, an editable install
would otherwise compile every module it imports in every run, which no installed tool does and
the floor (whose ``regex`` is installed compiled) never pays.

``--against DIR`` also times the collate of another checkout (``DIR/collate``, e.g. main's
from ``git archive main | tar -x -C DIR``) in the same alternation, on its own line marked
``against``, so a change is judged by ratios measured in one run.

Run: ``.venv/bin/python benchmarks/bench_speed.py [--repeat 5] [--only start,pair,novel,big,restore]
[--mb 10] [--no-compile] [--against DIR]``. Without ../shared/data the novel and big cases
run on texts made from the samples (:mod:`clone`), and say so.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from bench_big import make_text, variant
from clone import data_dir, data_options, say_clone

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ["1818", "1823", "1831", "Thomas"]
FLOOR = r"""
import sys, regex
cut = regex.compile(r"(\w+|(?!\s)\X)(\s*)")
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as fh:
        print(path, len(cut.findall(fh.read())))
"""
"""The floor script: read the files, one ``findall`` each, print the counts."""


class Run(NamedTuple):
    """One process: wall seconds, CPU seconds (user + system), peak resident MB."""

    wall: float
    cpu: float
    mb: float


AGAINST: str | None = None
"""The checkout whose collate :func:`compare` also times (``--against``), else ``None``."""


def run(argv: list[str], path: str | None = None) -> Run:
    """Run ``argv`` to the end, output discarded (with ``path`` first on ``PYTHONPATH``, so
    the collate there is run); its wall and CPU time and peak memory."""
    import time

    env = None if path is None else {**os.environ, "PYTHONPATH": path}
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2):  # 2: the usage error case fails on purpose
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"{' '.join(argv)} exited {code}: {err.strip()[:300]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def compare(label: str, argv: list[str], floor: list[str], repeat: int, target: str) -> None:
    """Time ``argv`` and ``floor`` alternately (a warm-up each first) and print the medians;
    with :data:`AGAINST`, the other checkout's collate on ``argv`` in the same rounds."""
    paths = [None] if AGAINST is None else [None, AGAINST]
    runs: dict[str | None, list[Run]] = {p: [] for p in paths}
    base: list[Run] = []
    for k in range(repeat + 1):  # the first round warms up
        for p in paths:
            r = run(argv, p)
            if k:
                runs[p].append(r)
        r = run(floor)
        if k:
            base.append(r)
    f_wall, f_cpu = (statistics.median(getattr(r, k) for r in base) for k in ("wall", "cpu"))
    for p, ours in runs.items():
        wall, cpu = (statistics.median(getattr(r, k) for r in ours) for k in ("wall", "cpu"))
        print(f"{label if p is None else '  against ' + p:40s} {wall:6.2f} s, CPU {cpu:5.2f} s, "
              f"{max(r.mb for r in ours):5.0f} MB | floor {f_wall:5.2f} s, CPU {f_cpu:5.2f} s | "
              f"ratio {wall / f_wall:4.1f}× wall, {cpu / f_cpu:4.1f}× CPU | target {target}",
              flush=True)


def machine() -> str:
    """The CPU model, the cores and the load, as the first line of the output."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"machine: {model}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
            f"Python {platform.python_version()}; medians of the runs after a warm-up")


def novel_files(tmp: Path, data: Path | None) -> list[Path]:
    """The four editions of Frankenstein, each written whole to one file in ``tmp`` (as
    :func:`bench_align.book` reads them; made from the samples without ``data``)."""
    import bench_align

    bench_align.DATA = data
    files = []
    for e in EDITIONS:
        path = tmp / f"{e}.txt"
        path.write_text(bench_align.book("frankenstein", e), encoding="utf-8")
        files.append(path)
    return files


def pair(data: Path | None, n: int, rounds: int) -> None:
    """In process: :func:`collate.alignment.align_pair` of the first ``n`` tokens of
    Frankenstein 1818 and 1823 against rapidfuzz's ``Indel.opcodes`` on the same token ids
    (the issue's target: ≤ 20×). The two alternate, a sample of each (a loop of about 0.05
    CPU s) per round, so a round's ratio sees the same load; the median ratio of ``rounds``
    rounds after a warm-up, with its quartiles and range (the spread of the measurement)."""
    import time

    from rapidfuzz.distance import Indel

    from collate.alignment import align_pair
    from collate.tokens import tokenize

    with tempfile.TemporaryDirectory() as name:
        texts = [f.read_text(encoding="utf-8") for f in novel_files(Path(name), data)[:2]]
    a, b = (tokenize(t)[:n] for t in texts)
    vocab: dict[str, int] = {}
    ids_a, ids_b = ([vocab.setdefault(t.norm, len(vocab)) for t in side] for side in (a, b))

    def loops(fn: Callable[[], object]) -> int:
        """Calls of ``fn`` that take about 0.05 CPU s (it is called once first, a warm-up)."""
        t0 = time.process_time()
        fn()
        return max(1, round(0.05 / max(time.process_time() - t0, 1e-6)))

    def sample(fn: Callable[[], object], count: int) -> float:
        """CPU seconds of one call of ``fn``, the mean of ``count`` calls."""
        t0 = time.process_time()
        for _ in range(count):
            fn()
        return (time.process_time() - t0) / count

    def ours() -> object:
        return align_pair(a, b)

    def theirs() -> object:
        return Indel.opcodes(ids_a, ids_b)

    counts = loops(ours), loops(theirs)
    samples = [(sample(ours, counts[0]), sample(theirs, counts[1])) for _ in range(rounds)]
    ratios = sorted(x / y for x, y in samples)
    q1, mid, q3 = statistics.quantiles(ratios, n=4)
    print(f"{f'align_pair, 2 × {n} tokens (in process)':40s} "
          f"{statistics.median(x for x, _ in samples) * 1000:6.1f} ms CPU | Indel.opcodes on the "
          f"ids {statistics.median(y for _, y in samples) * 1000:6.2f} ms | ratio {mid:5.1f}× "
          f"(quartiles {q1:.1f}–{q3:.1f}, range {ratios[0]:.1f}–{ratios[-1]:.1f}, {rounds} "
          f"alternating rounds) | target ≤ 20×", flush=True)


def restore_files(tmp: Path, data: Path | None) -> tuple[Path | None, list[Path]]:
    """The seed document (``None`` without ``data``), and 1,000 lacunae in 250,000
    characters with one witness damaged elsewhere, written to ``tmp`` (the text as
    :func:`bench_restore.speed` takes it: Frankenstein 1818, else the samples' paragraphs)."""
    import random

    from damage import damage, frankenstein_250k

    if data is not None:
        text = frankenstein_250k(data)
    else:
        from clone import clean_paragraphs

        paragraphs = clean_paragraphs()
        text = "\n\n".join(paragraphs[k % len(paragraphs)] for k in range(3000))[:250_000]
    rng = random.Random(7)
    damaged, _, taken = damage(text, 1000, rng)
    witness, _, _ = damage(text, 1000, rng, avoid=taken)
    files = [tmp / "damaged.txt", tmp / "witness.txt"]
    files[0].write_text(damaged, encoding="utf-8")
    files[1].write_text(witness, encoding="utf-8")
    seed = sorted((data / "seed").glob("*.txt"))[0] if data is not None else None
    return seed, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="start,pair,novel,big,restore")
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--no-compile", action="store_true",
                        help="leave collate's bytecode as it is (see the module docstring)")
    parser.add_argument("--against", metavar="DIR",
                        help="also time the collate of this checkout, in the same rounds")
    data_options(parser)
    opts = parser.parse_args()
    global AGAINST
    AGAINST = opts.against
    data = data_dir(opts.data, opts.samples)
    if data is None:
        say_clone("bench_speed", "nothing (Frankenstein and the big lines are made from them)")
    print(machine(), flush=True)
    if not opts.no_compile:
        import collate

        others = [Path(AGAINST, "collate")] if AGAINST else []
        for src in [Path(collate.__file__).parent, *others]:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True)
    print(f"bytecode: {'as found' if opts.no_compile else 'compiled before the runs'}; "
          f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}",
          flush=True)
    exe = str(Path(sys.executable).with_name("collate"))
    py = sys.executable
    jobs = opts.only.split(",")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        out = str(tmp / "out")
        if "start" in jobs:
            compare("collate --version", [exe, "--version"], [py, "-c", "pass"], opts.repeat,
                    "≤ 2× python -c pass")
            compare("collate align --bogus (usage error)", [exe, "align", "--bogus"],
                    [py, "-c", "pass"], opts.repeat, "≤ 2× python -c pass")
        if "pair" in jobs:
            pair(data, 2000, max(21, 4 * opts.repeat))
            if AGAINST:  # its own process: both checkouts' modules are named collate
                where = ["--data", str(data)] if data is not None else ["--samples"]
                print("  against " + AGAINST + ": " + subprocess.run(
                    [py, __file__, "--only", "pair", "--repeat", str(opts.repeat), "--no-compile",
                     *where], env={**os.environ, "PYTHONPATH": AGAINST}, capture_output=True,
                    text=True, check=True).stdout.splitlines()[-1], flush=True)
        if "novel" in jobs:
            files = [str(f) for f in novel_files(tmp, data)]
            for count, target in ((2, "≤ 4×"), (4, "≤ 8×")):
                compare(f"align --format json, Frankenstein ×{count}",
                        [exe, "align", "--format", "json", *files[:count], "-o", out],
                        [py, "-c", FLOOR, *files[:count]], opts.repeat, target)
        if "restore" in jobs:
            seed, (damaged, witness) = restore_files(tmp, data)
            if seed is not None:
                compare("restore --format json, the seed",
                        [exe, "restore", "--format", "json", str(seed), "-o", out],
                        [py, "-c", FLOOR, str(seed)], opts.repeat, "≤ 3 s CPU")
            compare("restore, 1,000 lacunae/250k + a witness",
                    [exe, "restore", "--format", "json", str(damaged), "--witness",
                     str(witness), "-o", out],
                    [py, "-c", FLOOR, str(damaged), str(witness)], opts.repeat, "≤ 4 s CPU")
        if "big" in jobs:
            text = make_text(opts.mb, data)
            big = [tmp / "big.txt", tmp / "big2.txt"]
            big[0].write_text(text, encoding="utf-8")
            big[1].write_text(variant(text), encoding="utf-8")
            files = [str(f) for f in big]
            label = f"2 × {opts.mb:g} MB lines:"
            compare(f"{label} align --format json",
                    [exe, "align", "--format", "json", *files, "-o", out],
                    [py, "-c", FLOOR, *files], opts.repeat, "≤ 10 s, ≤ 1 GB")
            compare(f"{label} edition --format html",
                    [exe, "edition", "--format", "html", *files, "-o", out],
                    [py, "-c", FLOOR, *files], opts.repeat, "≤ 15 s, ≤ 1.2 GB")


if __name__ == "__main__":
    main()
