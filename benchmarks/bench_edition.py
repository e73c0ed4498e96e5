"""Benchmark: a consensus edition from noisy readings, and what editions cost.

1. OCR consensus (../shared/data/ocr_overproof), through the whole command line: for each
   article, ``collate edition ocr.txt corrected_overproof.txt --format plain`` (a fresh
   process per article, as a pipeline would call it) and the character error rate (CER:
   Levenshtein distance / length of the human correction, summed over the articles) of its
   output, beside that of each reading alone and of the better of the two per article
   ("better": the oracle choice, which needs the ground truth the consensus never sees).
   Printed: the consensus CER as a fraction of the better reading's (``/better``: the better
   of the two in each article; ``/best``: the witness with the lower CER over the set, here
   overProof), and how many articles came out worse than their better reading.
2. One bad reading: the same, with the raw OCR made much worse by OCR-like noise (letter
   confusions such as ``e``/``c``, ``m``/``rn``, ``h``/``li``, lost letters, specks of
   debris, split words; about 30 % CER) beside overProof's correction: the case of two OCR
   engines of very different quality, where every variant place is a tie of two votes and
   the witnesses' estimated reliability has to decide.
3. Cost: time to build and render (TEI, HTML, Leiden) the editions of frankenstein/C05,
   darwin_origin/ch01, the seed, and a 20-witness edition of darwin ch01 (book length).

Held out: the constants of :mod:`collate.consensus` were tuned on the even-numbered articles
only (0, 2, 4, ... in sorted path order); the figures are printed for the odd-numbered half,
which no constant was tuned on, beside the whole set. Trailing line ends are stripped from
every text before measuring (the command line ends its output with one).

Run: ``.venv/bin/python benchmarks/bench_edition.py [--limit N] [--jobs J]``; results are
printed and written to benchmarks/results/bench_edition.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from clone import add_noise, data_dir, data_options, ocr_articles, sample_texts, say_clone
from rapidfuzz.distance import Levenshtein

from collate.edition import make_edition
from collate.reader import read_witnesses
from collate.render.html import render_html
from collate.render.leiden import render_leiden
from collate.render.tei import render_tei

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
NOISE = 0.25
"""Share of characters the noise touches (gives about 30 % CER on the raw OCR)."""
def plain_consensus(paths: list[Path]) -> str:
    """The output of ``collate edition PATHS --format plain``, run as its own process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "collate", "edition", *map(str, paths), "--format", "plain"],
        capture_output=True, text=True, encoding="utf-8", env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"collate edition {paths[0].parent}: {done.stderr.strip()}")
    return done.stdout


def _article(args: tuple[int, Path, bool]) -> dict[str, Any] | None:
    """Distances of one article's readings and consensus from the human correction."""
    k, art, noisy = args
    human = (art / "corrected_human.txt").read_text(encoding="utf-8").rstrip("\n")
    if not human.strip():
        return None
    over = art / "corrected_overproof.txt"
    with tempfile.TemporaryDirectory() as tmp:
        ocr = art / "ocr.txt"
        if noisy:
            ocr = Path(tmp) / "ocr.txt"
            ocr.write_text(add_noise((art / "ocr.txt").read_text(encoding="utf-8"), NOISE, k),
                           encoding="utf-8")
        texts = {"ocr": ocr.read_text(encoding="utf-8"),
                 "overproof": over.read_text(encoding="utf-8"),
                 "consensus": plain_consensus([ocr, over])}
    dist = {n: Levenshtein.distance(t.rstrip("\n"), human) for n, t in texts.items()}
    dist["better"] = min(dist["ocr"], dist["overproof"])
    return {"index": k, "chars": len(human), "dist": dist}


def ocr_consensus(articles: list[Path], noisy: bool, jobs: int) -> dict[str, Any]:
    """CER of the two readings, the better one, and their consensus, per half and overall."""
    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        rows = [r for r in pool.map(_article, [(k, a, noisy) for k, a in enumerate(articles)])
                if r is not None]
    out: dict[str, Any] = {"seconds": round(time.perf_counter() - t0, 1)}
    for name, keep in (("held-out", 1), ("tuning", 0), ("all", None)):
        part = [r for r in rows if keep is None or r["index"] % 2 == keep]
        chars = sum(r["chars"] for r in part)
        cer = {n: sum(r["dist"][n] for r in part) / max(1, chars)
               for n in ("ocr", "overproof", "better", "consensus")}
        worse = sum(r["dist"]["consensus"] > r["dist"]["better"] for r in part)
        out[name] = {"articles": len(part), "chars": chars, "cer": cer,
                     "ratio": cer["consensus"] / max(1e-12, cer["better"]),
                     "ratio_best_witness": cer["consensus"] / max(
                         1e-12, min(cer["ocr"], cer["overproof"])),
                     "worse_than_better": worse}
    return out


def edition_costs(data: Path | None) -> dict[str, dict[str, float]]:
    """Seconds to build and render the editions of the real multi-witness works (of the
    samples where there is no ``data``)."""
    out: dict[str, dict[str, float]] = {}
    if data is None:
        groups: dict[str, list[tuple[str, str]]] = {}
        for name, text in sample_texts().items():
            groups.setdefault(name.split("/")[0], []).append((name.split("/")[1], text))
        for name, wits in groups.items():
            _cost(out, f"samples/{name}", wits)
        return out
    works = {
        "frankenstein/C05": sorted((data / "frankenstein" / "C05").glob("*.txt")),
        "darwin_origin/ch01": sorted((data / "darwin_origin" / "ch01").glob("*.txt")),
        "seed": sorted((data / "seed").glob("*.txt")),
    }
    for name, paths in works.items():
        if not paths:
            continue
        _cost(out, name, read_witnesses(paths))
    darwin = read_witnesses(works["darwin_origin/ch01"])
    if darwin:  # twenty witnesses: the six editions again and again, a few words altered each
        twenty = []
        for k in range(20):
            words = darwin[k % len(darwin)].text.split(" ")
            for i in range(k + 7, len(words), 97 + k):
                words[i] = words[i].upper()
            twenty.append((f"W{k:02d}", " ".join(words)))
        _cost(out, "darwin ch01 x 20 witnesses", twenty)
    return out


def _cost(out: dict[str, dict[str, float]], name: str, wits: list[Any]) -> None:
    """Time building and rendering one edition into ``out[name]``."""
    t0 = time.perf_counter()
    ed = make_edition(wits)
    t1 = time.perf_counter()
    render_tei(ed)
    t2 = time.perf_counter()
    render_html(ed)
    t3 = time.perf_counter()
    render_leiden(ed, notes=True)
    t4 = time.perf_counter()
    out[name] = {"witnesses": len(wits), "segments": len(ed.segments),
                 "build_s": round(t1 - t0, 2), "tei_s": round(t2 - t1, 3),
                 "html_s": round(t3 - t2, 3), "leiden_s": round(t4 - t3, 3)}


def main() -> None:
    """Run all parts, print tables, write the JSON results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N OCR articles")
    ap.add_argument("--jobs", type=int, default=2, help="command-line runs at a time")
    data_options(ap)
    args = ap.parse_args()
    data = data_dir(args.data, args.samples)
    tmp = tempfile.TemporaryDirectory(prefix="bench-edition-")
    if data is None:
        say_clone("bench_edition", "ocr_overproof's real OCR (its articles are made from the "
                  "samples: each paragraph read twice with OCR-like noise), the real works' costs")
        articles = ocr_articles(Path(tmp.name))[: args.limit]
    else:
        articles = sorted((data / "ocr_overproof").glob("*/article_*"))[: args.limit]
    results: dict[str, object] = {}
    for key, noisy, title in (
        ("ocr_consensus", False, "raw OCR + overProof"),
        ("ocr_consensus_noisy", True, f"raw OCR with noise ({NOISE:.0%} of chars) + overProof"),
    ):
        res = ocr_consensus(articles, noisy, args.jobs)
        results[key] = res
        print(f"OCR consensus, {title}, through `collate edition --format plain` "
              f"({res['seconds']} s):")
        print(f"  {'articles':<9} {'chars':>8} {'ocr':>7} {'overProof':>9} {'better':>7} "
              f"{'consensus':>9} {'/better':>7} {'/best':>6}  worse than better")
        for part in ("held-out", "tuning", "all"):
            row = res[part]
            c = row["cer"]
            print(f"  {part:<9} {row['chars']:>8,} {100 * c['ocr']:6.2f}% "
                  f"{100 * c['overproof']:8.2f}% {100 * c['better']:6.2f}% "
                  f"{100 * c['consensus']:8.2f}% {row['ratio']:7.3f} "
                  f"{row['ratio_best_witness']:6.3f}  "
                  f"{row['worse_than_better']} of {row['articles']}")
    costs = edition_costs(data)
    tmp.cleanup()
    results["edition_costs"] = costs
    print("Edition costs:")
    for name, row in costs.items():
        print(f"  {name:<28} " + "  ".join(f"{k}={v}" for k, v in row.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_edition.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
