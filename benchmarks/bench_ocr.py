"""Benchmark: the OCR consensus of several engines' readings of one page, against the truth.

On ``../shared/data/ocr_engines`` (three books, every page read by two or three OCR engines,
with ground truth), through the whole command line: per page and per set of engines,
``collate edition ENGINE1.txt ENGINE2.txt [...] --format plain --base consensus`` as a
process of its own (a few at a time, ``--jobs``), and the character error rate (CER:
Levenshtein distance after folding every whitespace run to one space, summed over the pages,
divided by the summed length of the truth, as the data's README measures it) of its output,
beside each reading alone. Sets: every pair of engines and, where a book has three, the
triple. Variant ``shuffled``: the same pairs with the second engine's blocks (paragraphs
split on blank lines; runs of lines where it has none) put in another order, as engines
whose region reading orders differ give them.

Printed per book, set and variant: the CER of every reading, of the better reading per page
(``better``: the oracle choice, which needs the truth the consensus never sees), of the best
engine over the book (``best``) and of the consensus; the ratios ``/better`` and ``/best``;
and on how many pages the consensus is worse than the better reading there. Pages are
split in two halves by their rank in the book (even ranks: the tuning half, the only pages
any constant was chosen on; odd ranks: held out), printed apart.

Run: ``.venv/bin/python benchmarks/bench_ocr.py [--quick] [--jobs J] [--books B,...]
[--half tuning|held-out]``; ``--quick`` takes a quarter of the pages, ranks 0 and 1 of every
8, so that its halves are those of the full run; ``--half`` runs one half only (iterate on
the tuning half, measure the held-out one once). Results, with every page's distances, also
go to benchmarks/results/bench_ocr.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from pathlib import Path
from typing import Any

from clone import add_noise, clean_paragraphs, data_dir, data_options, say_clone
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
ENGINES = ("abbyy", "tesseract", "ocropus")
_WS = re.compile(r"\s+")
_BLANK = re.compile(r"\n[ \t]*\n")
LINES_PER_BLOCK = 6
"""Lines of a reading without blank lines taken together as one block to shuffle."""


def fold(text: str) -> str:
    """The text as the CER sees it: NFC, every whitespace run one space, stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def shuffled(text: str, seed: int) -> str:
    """``text`` with its blocks in another order (never the same order, where it has two)."""
    blocks = [b for b in _BLANK.split(text.strip("\n")) if b.strip()]
    if len(blocks) < 3:
        lines = text.strip("\n").split("\n")
        blocks = ["\n".join(lines[i:i + LINES_PER_BLOCK])
                  for i in range(0, len(lines), LINES_PER_BLOCK)]
    if len(blocks) < 2:
        return text
    order = list(range(len(blocks)))
    rng = random.Random(seed)
    while order == sorted(order):
        rng.shuffle(order)
    return "\n\n".join(blocks[i] for i in order) + "\n"


def plain_consensus(paths: list[Path]) -> str:
    """The output of ``collate edition PATHS --format plain --base consensus``, run as its
    own process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "collate", "edition", *map(str, paths), "--format", "plain",
         "--base", "consensus"],
        capture_output=True, text=True, encoding="utf-8", env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"collate edition {paths[0]}: {done.stderr.strip()}")
    return done.stdout


def pages(data: Path | None, folder: Path, books: list[str]) -> dict[str, list[dict[str, Path]]]:
    """Per book, its pages in order, each as ``{"gt": path, engine: path, ...}``; without
    data, pages made from the samples' paragraphs, read by three engines of made-up noise."""
    out: dict[str, list[dict[str, Path]]] = {}
    if data is None:
        rates = {"abbyy": 0.02, "tesseract": 0.06, "ocropus": 0.04}
        paras = clean_paragraphs()
        book = []
        for k in range(0, len(paras) - 1, 2):
            page: dict[str, Path] = {}
            truth = "\n\n".join(paras[k:k + 2]) + "\n"
            read = [(e, add_noise(truth, r, 100 * k + i)) for i, (e, r) in enumerate(rates.items())]
            for name, text in [("gt", truth), *read]:
                page[name] = folder / f"{k:04d}.{name}.txt"
                page[name].write_text(text, encoding="utf-8")
            book.append(page)
        return {"samples": book}
    for name in books:
        book = []
        for gt in sorted((data / "ocr_engines" / name).glob("*.gt.txt")):
            page = {"gt": gt}
            for e in ENGINES:
                p = gt.with_name(gt.name.replace(".gt.", f".{e}."))
                if p.is_file():
                    page[e] = p
            book.append(page)
        out[name] = book
    return out


def _task(args: tuple[int, dict[str, Path], tuple[str, ...], bool, Path]) -> dict[str, Any]:
    """Distances from the truth of one page's readings and their consensus."""
    rank, page, engines, shuffle, tmp = args
    paths = [page[e] for e in engines]
    if shuffle:
        moved = tmp / f"{page['gt'].name}.{engines[-1]}.{'-'.join(engines)}.shuffled.txt"
        moved.write_text(shuffled(paths[-1].read_text(encoding="utf-8"), rank),
                         encoding="utf-8")
        paths[-1] = moved
    truth = fold(page["gt"].read_text(encoding="utf-8"))
    texts = {e: p.read_text(encoding="utf-8") for e, p in zip(engines, paths, strict=True)}
    texts["consensus"] = plain_consensus(paths)
    dist = {n: Levenshtein.distance(truth, fold(t)) for n, t in texts.items()}
    dist["better"] = min(dist[e] for e in engines)
    return {"rank": rank, "page": page["gt"].name.split(".")[0], "chars": len(truth),
            "dist": dist}


def summary(rows: list[dict[str, Any]], engines: tuple[str, ...]) -> dict[str, Any]:
    """Per half and overall: CER of each reading, the better, the best, the consensus."""
    out: dict[str, Any] = {}
    for half, keep in (("tuning", 0), ("held-out", 1), ("all", None)):
        part = [r for r in rows if keep is None or r["rank"] % 2 == keep]
        chars = max(1, sum(r["chars"] for r in part))
        cer = {n: sum(r["dist"][n] for r in part) / chars
               for n in (*engines, "better", "consensus")}
        cer["best"] = min(cer[e] for e in engines)
        worse = [r["page"] for r in part if r["dist"]["consensus"] > r["dist"]["better"]]
        out[half] = {"pages": len(part), "chars": chars, "cer": cer,
                     "ratio_better": cer["consensus"] / max(1e-12, cer["better"]),
                     "ratio_best": cer["consensus"] / max(1e-12, cer["best"]),
                     "worse": len(worse), "worse_pages": worse}
    return out


def main() -> None:
    """Run every book, set and variant; print the table; write the JSON results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a quarter of the pages, from both halves")
    ap.add_argument("--jobs", type=int, default=2, help="command-line runs at a time")
    ap.add_argument("--books", default="goethe_1809,zonaras_1870,hobbes_1668",
                    help="books of ocr_engines to run, comma-separated")
    ap.add_argument("--no-shuffled", action="store_true", help="skip the shuffled variant")
    ap.add_argument("--half", choices=("tuning", "held-out"),
                    help="run one half of the pages only (even or odd ranks)")
    data_options(ap)
    args = ap.parse_args()
    data = data_dir(args.data, args.samples)
    tmp = tempfile.TemporaryDirectory(prefix="bench-ocr-")
    if data is None:
        say_clone("bench_ocr", "ocr_engines' real OCR (its pages are made from the samples: "
                  "each pair of paragraphs read by three engines of made-up noise)")
    books = pages(data, Path(tmp.name), args.books.split(","))
    tasks, keys = [], []
    for book, pp in books.items():
        ranked = list(enumerate(pp))  # the rank in the book decides the half, quick or not
        if args.quick:  # a quarter of the pages, as many from each half
            ranked = [(r, p) for r, p in ranked if r % 8 in (0, 1)]
        if args.half:
            ranked = [(r, p) for r, p in ranked if r % 2 == (args.half == "held-out")]
        pp = [p for _, p in ranked]
        have = [e for e in ENGINES if all(e in p for p in pp)]
        sets = [s for n in (3, 2) for s in combinations(have, n)]
        for engines in sets:
            for shuffle in (False, True):
                if shuffle and (len(engines) > 2 or args.no_shuffled):
                    continue
                keys.append((book, engines, shuffle))
                tasks += [(len(keys) - 1, (rank, p, engines, shuffle, Path(tmp.name)))
                          for rank, p in ranked]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        done = list(pool.map(_task, [t for _, t in tasks]))
    seconds = round(time.perf_counter() - t0, 1)
    tmp.cleanup()
    results: dict[str, Any] = {"seconds": seconds, "runs": len(done), "sets": []}
    print(f"OCR consensus through `collate edition --format plain --base consensus`: "
          f"{len(done)} runs, {seconds} s")
    print(f"  {'book':<13} {'engines':<26} {'half':<9} {'pages':>5} {'readings':<26} "
          f"{'better':>7} {'best':>7} {'consensus':>9} {'/better':>7} {'/best':>6}  worse")
    for k, (book, engines, shuffle) in enumerate(keys):
        rows = [d for (key, _), d in zip(tasks, done, strict=True) if key == k]
        res = summary(rows, engines)
        name = "+".join(engines) + (" shuffled" if shuffle else "")
        results["sets"].append({"book": book, "engines": list(engines), "shuffled": shuffle,
                                **res, "pages": rows})
        for half in ("tuning", "held-out", "all"):
            row = res[half]
            if not row["pages"] or (args.half and half == "all"):
                continue
            c = row["cer"]
            each = " ".join(f"{100 * c[e]:.2f}" for e in engines)
            print(f"  {book:<13} {name:<26} {half:<9} {row['pages']:>5} {each:<26} "
                  f"{100 * c['better']:6.2f}% {100 * c['best']:6.2f}% {100 * c['consensus']:8.2f}%"
                  f" {row['ratio_better']:7.3f} {row['ratio_best']:6.3f}  "
                  f"{row['worse']} of {row['pages']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_ocr.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
