"""Benchmark: a consensus edition from noisy readings, and what editions cost.

1. OCR consensus (../shared/data/ocr_overproof): for each article, collate the raw OCR and
   overProof's automatic correction, take the edition's base text with ``base="consensus"``
   and measure its character error rate (CER: Levenshtein distance / length, summed over the
   corpus) against the human correction, beside the CER of each reading alone. With two
   readings every disagreement is a tie of votes; the consensus breaks it by lexical
   plausibility, then by the witnesses' overall plausibility (see collate.edition).
2. Cost: time to build and render (TEI, HTML, Leiden) the editions of frankenstein/C05,
   darwin_origin/ch01, the seed, and a 20-witness edition of darwin ch01 (book length).

Run: ``.venv/bin/python benchmarks/bench_edition.py [--limit N]``; results are printed and
written to benchmarks/results/bench_edition.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from collate.edition import make_edition
from collate.reader import read_witnesses
from collate.render.html import render_html
from collate.render.leiden import render_leiden
from collate.render.tei import render_tei

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results"


def ocr_consensus(limit: int | None) -> dict[str, object]:
    """CER of the raw OCR, of overProof and of their consensus against the human text."""
    articles = sorted((DATA / "ocr_overproof").glob("*/article_*"))[:limit]
    dist = {"ocr": 0, "overproof": 0, "consensus": 0}
    chars = 0
    t0 = time.perf_counter()
    for art in articles:
        human = (art / "corrected_human.txt").read_text(encoding="utf-8")
        ocr = (art / "ocr.txt").read_text(encoding="utf-8")
        over = (art / "corrected_overproof.txt").read_text(encoding="utf-8")
        if not human.strip():
            continue
        ed = make_edition([("ocr", ocr), ("overproof", over)], base="consensus")
        consensus = ed.base_text()
        chars += len(human)
        for name, text in (("ocr", ocr), ("overproof", over), ("consensus", consensus)):
            dist[name] += Levenshtein.distance(text, human)
    seconds = time.perf_counter() - t0
    cer = {name: d / max(1, chars) for name, d in dist.items()}
    return {"articles": len(articles), "chars": chars, "cer": cer, "seconds": round(seconds, 1)}


def edition_costs() -> dict[str, dict[str, float]]:
    """Seconds to build and render the editions of the real multi-witness works."""
    works = {
        "frankenstein/C05": sorted((DATA / "frankenstein" / "C05").glob("*.txt")),
        "darwin_origin/ch01": sorted((DATA / "darwin_origin" / "ch01").glob("*.txt")),
        "seed": sorted((DATA / "seed").glob("*.txt")),
    }
    out = {}
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
    """Run both parts, print a table, write the JSON results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N OCR articles")
    args = ap.parse_args()
    if not DATA.exists():
        raise SystemExit(f"data not found: {DATA}")
    results: dict[str, object] = {}
    ocr = ocr_consensus(args.limit)
    results["ocr_consensus"] = ocr
    print(f"OCR consensus over {ocr['articles']} articles ({ocr['chars']:,} chars, "
          f"{ocr['seconds']} s):")
    cer = ocr["cer"]
    assert isinstance(cer, dict)
    for name, value in cer.items():
        print(f"  CER {name:<10} {100 * value:6.3f} %")
    best_single = min(cer["ocr"], cer["overproof"])
    print(f"  consensus beats the best single reading: {cer['consensus'] < best_single}")
    costs = edition_costs()
    results["edition_costs"] = costs
    print("Edition costs:")
    for name, row in costs.items():
        print(f"  {name:<28} " + "  ".join(f"{k}={v}" for k, v in row.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_edition.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
