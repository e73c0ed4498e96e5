"""Benchmark restoration on real texts damaged the way scans are damaged.

Damage kinds: ``first`` (a lost first letter shown as two boxes), ``in-word`` (1-4 letters
inside a word), ``word`` (a whole word), ``across`` (10-25 characters across words). Box
counts are exact, off by one, or scaled by 0.7-1.3; glyphs are □ or ☐. Scenarios: the text
alone (the model sees only the damaged text), with another real edition of the passage, and
with a copy of the same text damaged elsewhere. The truth never reaches the model.

Prints top-1/top-5 exact-match accuracy (case-sensitive) per kind and scenario, ECE of the
top-1 confidence, CER before/after, lacunae per second, and a naive baseline (the most
frequent lexicon word that fits); writes ``results/restore.jsonl`` and
``results/restore_reliability.png``. ``--quick`` runs a few documents.

    .venv/bin/python benchmarks/bench_restore.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

from collate.lacunae import detect
from collate.restoration import restore
from collate.restoration.calibrate import ece
from collate.restoration.lexicon import WORD, Lexicon

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
OUT = Path(__file__).resolve().parent / "results"
KINDS = ("first", "in-word", "word", "across")


def noisy_count(length: int, rng: random.Random) -> int:
    """A box count for ``length`` lost characters: exact, off by one, or scaled 0.7-1.3."""
    r = rng.random()
    if r < 1 / 3:
        return length
    if r < 2 / 3:
        return max(1, length + rng.choice((-1, 1)))
    return max(1, round(length * rng.uniform(0.7, 1.3)))


def damage(text: str, n: int, rng: random.Random, avoid: set[int] = frozenset()):
    """Damage ``n`` places of ``text`` (kinds in turn); returns the damaged text and a list of
    ``(kind, damaged_start, truth)`` for each lacuna."""
    words = [m for m in WORD.finditer(text) if m.group().isalpha()]
    taken = set(avoid)
    spans: list[tuple[int, int, str]] = []
    tries = 0
    while len(spans) < n and tries < n * 200:
        tries += 1
        kind = KINDS[len(spans) % 4]
        m = rng.choice(words)
        ws, we = m.span()
        if kind == "first":
            if we - ws < 2:
                continue
            s, e, count = ws, ws + 1, 2
        elif kind == "in-word":
            if we - ws < 3:
                continue
            length = rng.randint(1, min(4, we - ws - 1))
            s = rng.randint(ws + 1, we - length)
            e = s + length
            count = noisy_count(length, rng)
        elif kind == "word":
            if we - ws < 2:
                continue
            s, e = ws, we
            count = noisy_count(e - s, rng)
        else:
            length = rng.randint(10, 25)
            s = rng.randint(ws, we - 1)
            e = s + length
            if e >= len(text) or "\n" in text[s:e] or " " not in text[s:e]:
                continue
            if not regex.search(r"\w", text[e - 1]) and not regex.search(r"\w", text[s]):
                continue
            count = noisy_count(length, rng)
        if any(i in taken for i in range(s - 8, e + 8)):
            continue
        for i in range(s, e):
            taken.add(i)
        spans.append((s, e, kind + "|" + rng.choice("□☐") * count))
    spans.sort()
    out, places, pos, shift = [], [], 0, 0
    for s, e, tag in spans:
        kind, marker = tag.split("|")
        out.append(text[pos:s])
        places.append((kind, s + shift, text[s:e]))
        out.append(marker)
        shift += len(marker) - (e - s)
        pos = e
    out.append(text[pos:])
    return "".join(out), places, taken


def baseline(text: str, lac, lexicon: Lexicon) -> str:
    """The most frequent lexicon word that fits the visible letters and the length range."""
    i = lac.start
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    j = lac.end
    while j < len(text) and text[j].isalpha():
        j += 1
    pre, suf = text[i : lac.start], text[lac.end : j]
    hi = lac.max_chars if lac.max_chars is not None else lac.min_chars + 5
    best, best_f = "", -1.0
    for n in range(max(1, lac.min_chars), hi + 1):
        pattern = regex.escape(pre.lower()) + "." * n + regex.escape(suf.lower())
        w = lexicon.most_frequent(len(pre) + n + len(suf), pattern)
        if w:
            f = lexicon.counts.get(w, 0) / lexicon._total + lexicon.freq.get(w, 0.0)
            if f > best_f:
                best, best_f = w, f
    fill = best[len(pre) : len(best) - len(suf)] if best else ""
    head = text[max(0, i - 3) : i].strip()
    starts = head.endswith((".", "!", "?")) or text[max(0, i - 1) : i] in ("\n", "")
    if fill and not pre and starts:
        fill = fill[0].upper() + fill[1:]
    return fill


def english_docs(quick: bool):
    """(name, text, other edition) for English prose."""
    units = ["C05", "C12"] if quick else ["C05", "C08", "C12", "C17", "C22", "C28"]
    for u in units:
        d = DATA / "frankenstein" / u
        yield f"frankenstein/{u}", (d / "1818.txt").read_text(), (d / "1823.txt").read_text()
    d = DATA / "darwin_origin" / "ch01"
    a, b = (d / "1859.txt").read_text(), (d / "1860.txt").read_text()
    if quick:
        yield "darwin/ch01[:30000]", a[:30000], b[:30500]
    else:
        yield "darwin/ch01", a, b


def bible_docs(quick: bool):
    chapters = ["john_01", "luke_15"] if quick else ["john_01", "luke_15", "romans_08", "acts_02"]
    for c in chapters:
        d = DATA / "bible_english_nt" / c
        yield f"bible/{c}", (d / "KJV.txt").read_text(), (d / "Anderson1864.txt").read_text()


def run_doc(name, text, edition, rng, per_doc, rows, reliability, group):
    damaged, places, taken = damage(text, per_doc, rng)
    copy, _, _ = damage(text, per_doc, rng, avoid=taken)
    scenarios = {"alone": (), "edition": [("E", edition)], "copy": [("C", copy)]}
    lacs = {x.start: x for x in detect(damaged)}
    lex = Lexicon([damaged], lang="en")
    for scen, wits in scenarios.items():
        t0 = time.perf_counter()
        res = restore(damaged, witnesses=wits, lang="en")
        dt = time.perf_counter() - t0
        by_start = {r.lacuna.start: r for r in res.lacunae}
        for kind, start, truth in places:
            r = by_start.get(start)
            cands = [c.text for c in r.candidates] if r else []
            conf = r.candidates[0].confidence if r and r.candidates else 0.0
            row = {
                "group": group,
                "doc": name,
                "scenario": scen,
                "kind": kind,
                "truth": truth,
                "top1": bool(cands) and cands[0] == truth,
                "top5": truth in cands[:5],
                "conf": conf,
                "best": cands[0] if cands else None,
            }
            if scen == "alone":
                row["baseline"] = baseline(damaged, lacs[start], lex) == truth
            rows.append(row)
            reliability[(group, scen)].append((conf, row["top1"]))
        cer_before = Levenshtein.distance(damaged, text) / len(text)
        cer_after = Levenshtein.distance(res.restored, text) / len(text)
        rows.append(
            {
                "group": group,
                "doc": name,
                "scenario": scen,
                "kind": "_doc",
                "cer_before": cer_before,
                "cer_after": cer_after,
                "seconds": dt,
                "lacunae": len(res.lacunae),
            }
        )
        print(
            f"  {name:24s} {scen:8s} {len(res.lacunae):4d} lacunae {dt:6.2f}s "
            f"CER {cer_before:.4f} -> {cer_after:.4f}",
            file=sys.stderr,
        )


def epigraphy(rows, reliability, quick: bool):
    folder = DATA / "epigraphy_isicily"
    ids = sorted(p.name.split(".")[0] for p in folder.glob("*.damaged.txt"))
    if quick:
        ids = ids[:12]
    restored_all = {i: (folder / f"{i}.restored.txt").read_text() for i in ids}
    for scen in ("alone", "corpus"):
        for i in ids:
            dmg = (folder / f"{i}.damaged.txt").read_text()
            truth_text = restored_all[i]
            corpus = [t for k, t in restored_all.items() if k != i] if scen == "corpus" else None
            t0 = time.perf_counter()
            res = restore(dmg, corpus=corpus)
            dt = time.perf_counter() - t0
            # every grapheme is identical or □ in the damaged file: map lacunae line by line
            for r in res.lacunae:
                lac = r.lacuna
                truth = truth_text[lac.start : lac.end] if len(truth_text) == len(dmg) else None
                if truth is None:
                    continue
                cands = [c.text for c in r.candidates]
                conf = r.candidates[0].confidence if r.candidates else 0.0
                row = {
                    "group": "epigraphy",
                    "doc": i,
                    "scenario": scen,
                    "kind": "real",
                    "truth": truth,
                    "top1": bool(cands) and cands[0] == truth,
                    "top5": truth in cands[:5],
                    "conf": conf,
                }
                rows.append(row)
                reliability[("epigraphy", scen)].append((conf, row["top1"]))
            rows.append(
                {
                    "group": "epigraphy",
                    "doc": i,
                    "scenario": scen,
                    "kind": "_doc",
                    "cer_before": Levenshtein.distance(dmg, truth_text) / len(truth_text),
                    "cer_after": Levenshtein.distance(res.restored, truth_text) / len(truth_text),
                    "seconds": dt,
                    "lacunae": len(res.lacunae),
                }
            )


def speed() -> dict:
    """1,000 lacunae in a 250,000-character document with 2 witnesses."""
    rng = random.Random(7)
    text = "".join(
        (DATA / "frankenstein" / f"C{k:02d}" / "1818.txt").read_text() for k in range(1, 34)
    )[:250_000]
    damaged, _, taken = damage(text, 1000, rng)
    w1, _, _ = damage(text, 1000, rng, avoid=taken)
    w2, _, _ = damage(text, 1000, rng, avoid=taken)
    t0 = time.perf_counter()
    res = restore(damaged, witnesses=[w1, w2], lang="en")
    dt = time.perf_counter() - t0
    return {
        "kind": "_speed",
        "chars": len(damaged),
        "lacunae": len(res.lacunae),
        "seconds": dt,
        "lacunae_per_second": len(res.lacunae) / dt,
        "first_call_seconds": first_call(),
    }


def first_call() -> float:
    """Seconds a fresh process spends on a one-lacuna restoration: the one-time loading of
    the word lists (paid once per process, not per document)."""
    code = (
        "import time; t = time.perf_counter(); from collate.restoration import restore; "
        "restore('The c\u25a1t sat.', lang='en', calibration=0); print(time.perf_counter() - t)"
    )
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(got.stdout)


def report(rows, reliability, speed_row):
    def pct(xs):
        return f"{100 * sum(xs) / len(xs):5.1f}" if xs else "  -  "

    for group in ("english", "bible", "epigraphy"):
        sub = [r for r in rows if r["group"] == group and r["kind"] != "_doc"]
        if not sub:
            continue
        print(f"\n== {group} ==")
        order = ["alone", "corpus", "edition", "copy"]
        scens = sorted({r["scenario"] for r in sub}, key=order.index)
        kinds = sorted({r["kind"] for r in sub}, key=(*KINDS, "real").index)
        print(f"{'scenario':9s} {'kind':8s} {'n':>4s} {'top1':>6s} {'top5':>6s} {'base':>6s}")
        for s in scens:
            for k in [*kinds, "ALL"]:
                rs = [r for r in sub if r["scenario"] == s and (k == "ALL" or r["kind"] == k)]
                base = [r["baseline"] for r in rs if "baseline" in r]
                print(
                    f"{s:9s} {k:8s} {len(rs):4d} {pct([r['top1'] for r in rs])} "
                    f"{pct([r['top5'] for r in rs])} {pct(base)}"
                )
            docs = [
                r
                for r in rows
                if r["group"] == group and r["kind"] == "_doc" and r["scenario"] == s
            ]
            conf = [c for c, _ in reliability[(group, s)]]
            right = [ok for _, ok in reliability[(group, s)]]
            n_lac = sum(r["lacunae"] for r in docs)
            secs = sum(r["seconds"] for r in docs)
            print(
                f"{s:9s} ECE {ece(conf, right):.4f}  CER "
                f"{sum(r['cer_before'] for r in docs) / len(docs):.4f} -> "
                f"{sum(r['cer_after'] for r in docs) / len(docs):.4f}  "
                f"{n_lac / secs:7.1f} lacunae/s"
            )
    if speed_row:
        print(
            f"\nspeed: {speed_row['lacunae']} lacunae, {speed_row['chars']} chars, 2 witnesses: "
            f"{speed_row['seconds']:.2f} s ({speed_row['lacunae_per_second']:.0f} lacunae/s); "
            f"one-time loading in a fresh process {speed_row['first_call_seconds']:.2f} s"
        )


def plot(reliability, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 6))
    ax.plot([0, 1], [0, 1], "k--", lw=1, label="perfect")
    for (group, scen), pts in sorted(reliability.items()):
        bins = defaultdict(list)
        for c, ok in pts:
            bins[min(9, int(c * 10))].append((c, ok))
        xs = [sum(c for c, _ in b) / len(b) for _, b in sorted(bins.items())]
        ys = [sum(ok for _, ok in b) / len(b) for _, b in sorted(bins.items())]
        conf, right = zip(*pts, strict=True)
        ax.plot(xs, ys, "o-", label=f"{group}/{scen} (ECE {ece(conf, right):.3f})")
    ax.set_xlabel("top-1 confidence")
    ax.set_ylabel("top-1 accuracy")
    ax.set_title("collate restore: reliability of top-1 confidence")
    ax.legend(fontsize=7)
    fig.savefig(path, dpi=110, bbox_inches="tight")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a few documents, a few minutes")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed run")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"bench_restore: data folder {DATA} not found")
    rng = random.Random(args.seed)
    rows: list[dict] = []
    reliability: dict = defaultdict(list)
    per_doc = 40 if args.quick else 60
    for name, text, edition in english_docs(args.quick):
        run_doc(name, text, edition, rng, per_doc, rows, reliability, "english")
    for name, text, edition in bible_docs(args.quick):
        run_doc(name, text, edition, rng, per_doc, rows, reliability, "bible")
    epigraphy(rows, reliability, args.quick)
    speed_row = None if args.no_speed else speed()
    OUT.mkdir(exist_ok=True)
    with open(OUT / "restore.jsonl", "w", encoding="utf-8") as f:
        for r in [*rows, *([speed_row] if speed_row else [])]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    report(rows, reliability, speed_row)
    plot(reliability, OUT / "restore_reliability.png")


if __name__ == "__main__":
    main()
