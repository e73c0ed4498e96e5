"""Benchmark: one big single-line text through the command line, time and peak memory.

Makes a 10 MB text of one line (real prose from ../shared/data, its line breaks turned into
spaces, with the seed document's boxed lacunae at its start) and runs, each in a fresh
process, ``collate edition --format html``, ``collate align --format json`` (the text against
a copy with every 50th word changed) and ``collate restore``; it prints the wall and CPU time
and the peak resident memory of each (``os.wait4``), and ``restore`` of a file without lacunae.

Run: ``.venv/bin/python benchmarks/bench_big.py [--mb 10] [--only edition,align,restore]``
(``tei`` in ``--only`` adds ``edition --format tei``).
The targets (issue 16): ``edition`` and ``align`` each <= 15 s and <= 1.5 GB; ``restore`` of a
file with no lacunae <= 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clone import clean_paragraphs, data_dir, data_options, sample_texts, say_clone

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["darwin_origin/ch01/1859.txt", "frankenstein/C05/1818.txt",
           "bible_english_nt", "seed/000_47b5456f14635a7b.txt"]


def make_text(mb: float, data: Path | None) -> str:
    """About ``mb`` MB of one-line prose, the seed's lacunae near its start (without
    ``data``: the samples, the damaged memo first)."""
    parts: list[str] = []
    if data is None:  # the intact paragraphs, the damaged memo to open the text
        parts = [" ".join(p.split()) for p in clean_paragraphs()]
        parts.append(" ".join(sample_texts()["memo/A"].split()))
    for name in SOURCES if data is not None else ():
        path = data / name
        files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
        parts.extend(" ".join(f.read_text(encoding="utf-8").split()) for f in files[:20])
    seed = parts.pop()
    corpus = " ".join(parts)
    want = int(mb * 1_000_000)
    out = [seed]
    size = len(seed.encode("utf-8"))
    while size < want:
        out.append(corpus)
        size += len(corpus.encode("utf-8")) + 1
    text = " ".join(out).encode("utf-8")[:want].decode("utf-8", "ignore")
    return text[: text.rfind(" ")] + "\n"


def variant(text: str) -> str:
    """The text with every 50th word changed: a second witness to align."""
    words = text.split(" ")
    return " ".join(w + "e" if i % 50 == 7 else w for i, w in enumerate(words))


def run(args: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system), peak memory (MB) and exit status of
    ``collate ARGS`` in a fresh process (CPU time: what a loaded machine does not inflate)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "collate", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        print(f"    exit {proc.returncode}: {err.strip()[:200]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--only", default="edition,align,restore")
    data_options(parser)
    opts = parser.parse_args()
    data = data_dir(opts.data, opts.samples)
    if data is None:
        say_clone("bench_big", "the real prose (the samples' text over and over instead)")
    jobs = opts.only.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        text = make_text(opts.mb, data)
        big.write_text(text, encoding="utf-8")
        other = Path(tmp) / "big2.txt"
        other.write_text(variant(text), encoding="utf-8")
        clean = Path(tmp) / "clean.txt"
        clean.write_text(text[text.index("□") + 20_000 :][:200_000] if "□" in text else text)
        print(f"input: {big.stat().st_size / 1e6:.1f} MB, one line, "
              f"{text.count('□')} boxes (cores: {os.cpu_count()}, load {os.getloadavg()[0]:.1f})")
        commands = {
            "edition": ["edition", "--format", "html", str(big), "-o", str(Path(tmp) / "e.html")],
            "tei": ["edition", "--format", "tei", str(big), "-o", str(Path(tmp) / "e.xml")],
            "align": ["align", "--format", "json", str(big), str(other)],
            "restore": ["restore", str(big)],
        }
        for name in jobs:
            seconds, cpu, mem, code = run(commands[name])
            status = "" if code == 0 else f" (exit {code})"
            print(f"{' '.join(commands[name][:3]):32s} {seconds:7.1f} s  (CPU {cpu:5.1f} s)"
                  f"  {mem:7.0f} MB{status}")
        if "restore" in jobs:
            seconds, cpu, mem, code = run(["restore", str(clean)])
            print(f"{'restore (no lacunae, 200 kB)':32s} {seconds:7.2f} s  (CPU {cpu:5.2f} s)"
                  f"  {mem:7.0f} MB")


if __name__ == "__main__":
    main()
