"""Benchmark: the OCR readers (ALTO, PAGE, hOCR, ABBYY) on the engines' own files.

1. Fidelity (../shared/data/ocr_engines): each structured file (``*.abbyy.xml``,
   ``*.tesseract.hocr``, ``*.ocropus.hocr``, ``*.tesseract.xml``) is read as every command
   reads it and compared, whitespace folded, with the engine's own plain-text export of the
   page (CER: Levenshtein distance / length of the export, summed per book, engine and
   format; ABBYY's line-end ``¬`` read as the export's ``-``), and with the ground truth.
   The data's README says which files are the same run as their ``.txt`` (there the CER
   should be 0) and which are another run (Goethe's Tesseract hOCR, every
   ``*.tesseract.xml``: there only the CER against the ground truth says anything).
2. Cost: CPU seconds to read all those files, beside lxml parsing them alone (the floor).
3. Consensus from structured files or from plain texts: ``collate edition --format plain``
   of a page's engines as XML/hOCR and as their ``.txt`` exports, CER against the ground
   truth, on the pages whose structured files are the same run as the text (Hobbes: ABBYY,
   Tesseract, OCRopus; Goethe: ABBYY, OCRopus). Nothing in the readers is tuned, so there is
   no held-out half to report apart.

With ``--samples`` (a clone): the hand-written pages of ``tests/cases/ocr`` instead, each
read and compared with the others (they hold one page, in every format).

Run: ``.venv/bin/python benchmarks/bench_ocrread.py [--data DIR] [--samples]``; results are
printed and written to benchmarks/results/bench_ocrread.json.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from clone import data_dir, data_options, say_clone
from lxml import etree
from rapidfuzz.distance import Levenshtein

import collate
from collate.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PATTERNS = ("*.abbyy.xml", "*.tesseract.hocr", "*.ocropus.hocr", "*.tesseract.xml")


def fold(text: str) -> str:
    """Whitespace runs to one space, NFC, stripped (the data's README's CER convention)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def fidelity(folder: Path) -> dict[str, dict[str, Any]]:
    """Per ``book engine.format``: pages, CER against the engine's text and the ground truth."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for book in sorted(p for p in folder.iterdir() if p.is_dir()):
        for pattern in PATTERNS:
            for f in sorted(book.glob(pattern)):
                page, engine = f.name.split(".")[:2]
                text = collate.read(f)[0].text.replace("¬", "-")
                own = fold((book / f"{page}.{engine}.txt").read_text("utf-8"))
                gt = fold((book / f"{page}.gt.txt").read_text("utf-8"))
                row = sums[f"{book.name} {pattern[2:]}"]
                row[0] += 1
                row[1] += Levenshtein.distance(own, fold(text))
                row[2] += len(own)
                row[3] += Levenshtein.distance(gt, fold(text))
                row[4] += len(gt)
    return {key: {"pages": p, "cer_own_text": round(e / n, 5), "cer_gt": round(g / m, 5)}
            for key, (p, e, n, g, m) in sums.items()}


def cost(files: list[Path]) -> dict[str, float]:
    """CPU seconds reading the files with collate and parsing them with lxml alone."""
    start = time.process_time()
    for f in files:
        collate.read(f)
    read = time.process_time() - start
    start = time.process_time()
    xml = etree.XMLParser(resolve_entities=False, no_network=True)
    for f in files:
        etree.parse(str(f), etree.HTMLParser() if f.suffix == ".html" else xml)
    floor = time.process_time() - start
    return {"files": len(files), "mb": round(sum(f.stat().st_size for f in files) / 1e6, 2),
            "read_cpu_s": round(read, 3), "lxml_parse_cpu_s": round(floor, 3),
            "ratio": round(read / floor, 1)}


def plain(paths: list[Path]) -> str:
    """``collate edition PATHS --format plain``, run in this process."""
    done = CliRunner().invoke(cli, ["edition", "--format", "plain", *map(str, paths)])
    if done.exit_code != 0:
        raise SystemExit(done.stderr)
    return done.stdout


def consensus(folder: Path) -> dict[str, dict[str, Any]]:
    """Consensus CER against the ground truth from structured files and from their texts."""
    out = {}
    for book, engines in (("hobbes_1668", {"abbyy": "xml", "tesseract": "hocr",
                                           "ocropus": "hocr"}),
                          ("goethe_1809", {"abbyy": "xml", "ocropus": "hocr"})):
        edits = {"structured": 0, "plain": 0}
        chars = pages = same = 0
        for f in sorted((folder / book).glob("*.abbyy.xml")):
            page = f.name[:4]
            gt = fold((folder / book / f"{page}.gt.txt").read_text("utf-8"))
            got = {"structured": plain([folder / book / f"{page}.{e}.{x}"
                                        for e, x in engines.items()]).replace("¬", "-"),
                   "plain": plain([folder / book / f"{page}.{e}.txt" for e in engines])}
            for kind, text in got.items():
                edits[kind] += Levenshtein.distance(gt, fold(text))
            chars += len(gt)
            pages += 1
            same += fold(got["structured"]) == fold(got["plain"])
        out[book] = {"pages": pages, "engines": "+".join(engines), "chars": chars,
                     "cer_structured": round(edits["structured"] / chars, 5),
                     "cer_plain": round(edits["plain"] / chars, 5),
                     "pages_identical": same}
    return out


def samples() -> dict[str, Any]:
    """The hand-written pages: each format's text, words, and whether all texts agree once
    the line-end hyphen is folded."""
    files = sorted((ROOT / "tests" / "cases" / "ocr").iterdir())
    texts = {f.name: collate.read(f)[0] for f in files}
    agree = len({re.sub("[¬⸗]", "-", w.text) for w in texts.values()}) == 1
    return {"files": {n: {"chars": len(w.text), "words": len(w.words)}
                      for n, w in texts.items()},
            "all_formats_read_the_same_text": agree, "cost": cost(files)}


def main() -> None:
    """Run the parts, print them, write the JSON results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    data_options(ap)
    args = ap.parse_args()
    data = data_dir(args.data, args.samples)
    if data is None:
        say_clone("bench_ocrread", "the engines' files of ocr_engines (read: the hand-written "
                  "pages of tests/cases/ocr)")
        results: dict[str, Any] = samples()
        print(json.dumps(results, indent=1))
    else:
        folder = data / "ocr_engines"
        results = {"fidelity": fidelity(folder)}
        print("Reading the engines' files (CER, whitespace folded):")
        print(f"  {'book format':<36} {'pages':>5} {'vs own .txt':>11} {'vs GT':>7}")
        for key, row in results["fidelity"].items():
            print(f"  {key:<36} {row['pages']:>5} {100 * row['cer_own_text']:10.3f}% "
                  f"{100 * row['cer_gt']:6.2f}%")
        files = sorted(f for p in PATTERNS for f in folder.glob(f"*/{p}"))
        results["cost"] = cost(files)
        print("Cost: " + "  ".join(f"{k}={v}" for k, v in results["cost"].items()))
        results["consensus"] = consensus(folder)
        print("Consensus (edition --format plain) against the ground truth:")
        for book, row in results["consensus"].items():
            print(f"  {book:<12} " + "  ".join(f"{k}={v}" for k, v in row.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_ocrread.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
