"""Alignment benchmark: collate against CollateX, book-length scaling, quality, order,
pairwise agreements kept in the multi-witness table, the command line at book length.

Writes one JSON object per measurement to ``benchmarks/results/bench_align.jsonl`` (and
stdout) and a plot to ``benchmarks/results/bench_align.png``.

``agreement``: for Darwin ch. I (6 editions), Frankenstein (4, whole), the seven English
translations (10 chapters) and the three Greek editions (10 chapters, accents and case
folded), the share of the token pairs that each two witnesses' own alignment finds equal
which the multi-witness table keeps (same column, or inside a transposition collate reports
between the two), and the same share for CollateX's table where it finishes; with each
set's ``ceiling``, the most a table keeps in columns of one token per cell, conflicts and
crossings of the pairwise alignments counted (:func:`ceiling`, exact where
``ceiling_exact``). The reference is collate's own pairwise alignments (``share``) and, fixed
whatever collate's tie rule, rapidfuzz's plain ``Indel`` alignments (``indel_share``).
The vote weights and refinement were chosen on the English translations; Darwin,
Frankenstein and the Greek editions were held out of that tuning.

``cli``: ``collate align --format json`` as a process (wall time, peak RSS from ``wait4``) on
Frankenstein 1818 + 1823, all four editions, and a 10 MB single-line text.

    python benchmarks/bench_align.py            # full run (CollateX sweep until it needs 60 s)
    python benchmarks/bench_align.py --quick    # a minute or so, small sizes only

Every timing runs in a fresh subprocess that reports its own wall time and peak resident
memory (``VmHWM``); collate's time is the best of several cold runs (the machine is
shared, and the minimum is the figure least disturbed by other load, as ``timeit`` advises;
the median is kept beside it), CollateX (``collatex`` from PyPI, ``near_match=True`` with
python-Levenshtein, ``segmentation=False``) under a timeout. Both tools get the same
witnesses: the first ``n`` tokens of real editions from ``../shared/data``.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import itertools
import json
import math
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA: Path | None = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))

from clone import add_noise, clean_paragraphs, data_dir, data_options, say_clone  # noqa: E402

from collate.alignment import align_pair, collate  # noqa: E402
from collate.model import Collation  # noqa: E402
from collate.tokens import tokenize  # noqa: E402

FRANKENSTEIN = ["1818", "1823", "1831", "Thomas"]
DARWIN = ["1859", "1860", "1861", "1866", "1869", "1872"]
PEER_LIMIT = 60.0
CLONE_ROUNDS = {"frankenstein": 40, "darwin_origin": 8}
"""Without real data, how many times a book repeats the samples' paragraphs (shuffled
anew each time): 70 kB and 15 kB, kept small since repeats are what aligners find hardest."""
KINDS = {"peer": ["peer"], "book": ["book", "sweep", "growth"], "quality": ["quality"],
         "order": ["order"], "agreement": ["agreement", "agreement_set", "agreement_all"],
         "cli": ["cli"]}
"""The record kinds each part of the benchmark writes."""

CHILD = r"""
import json, resource, statistics, sys, time
job = json.load(sys.stdin)
wits = job["witnesses"]
if job["tool"] == "collatex":
    from collatex import Collation, collate
    c = Collation()
    for wid, text in wits:
        c.add_plain_witness(wid, text)
    t, c0 = time.perf_counter(), time.process_time()
    collate(c, output="table", near_match=True, segmentation=False)
    times = [time.perf_counter() - t]
    cpu = [time.process_time() - c0]
else:
    sys.path.insert(0, job["root"])
    from collate import alignment
    alignment.collate(["warm up the imports"])
    wits = [tuple(w) for w in wits]
    times, cpu = [], []
    for _ in range(job["repeat"]):

        t, c = time.perf_counter(), time.process_time()
        alignment.collate(wits)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
try:  # VmHWM starts afresh at exec; ru_maxrss would inherit the parent's size at fork
    with open("/proc/self/status") as status:
        peak = next(int(x.split()[1]) for x in status if x.startswith("VmHWM")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": min(times), "median": statistics.median(times), "cpu": min(cpu),
                  "peak_mb": round(peak, 1)}))
"""


def emit(record: dict[str, Any], sink: list[dict[str, Any]]) -> None:
    sink.append(record)
    print(json.dumps(record), flush=True)


def run_child(tool: str, witnesses: list[tuple[str, str]], *, repeat: int = 5,
              timeout: float | None = None) -> dict[str, Any]:
    """Time one collation in a fresh interpreter; ``{"timeout": True}`` when it overran."""
    job = {"tool": tool, "witnesses": witnesses, "repeat": repeat, "root": str(ROOT)}
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(job), text=True,
                              capture_output=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"timeout": True, "seconds": timeout}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def book(folder: str, edition: str) -> str:
    """The whole of one edition of a book (without real data: the samples' intact paragraphs
    over and over to about a novel's length, read with this edition's own light OCR noise)."""
    if DATA is None:  # every edition of a book the same shuffled paragraphs, its own noise
        paragraphs = clean_paragraphs()
        rng = random.Random(folder)
        order = [p for _ in range(CLONE_ROUNDS[folder]) for p in rng.sample(paragraphs,
                                                                             len(paragraphs))]
        return add_noise("\n\n".join(order), 0.01, sum(map(ord, folder + edition)))
    if folder == "frankenstein":
        units = sorted((DATA / folder).glob("C*"))
        return "".join((u / f"{edition}.txt").read_text(encoding="utf-8") for u in units)
    return (DATA / folder / "ch01" / f"{edition}.txt").read_text(encoding="utf-8")


def prefix(text: str, n: int) -> str:
    """The text up to (not including) its n-th token."""
    toks = tokenize(text)
    return text[: toks[n].start] if n < len(toks) else text


def witness_set(count: int, n: int) -> list[tuple[str, str]]:
    if count <= len(FRANKENSTEIN) and count == 2:
        return [(e, prefix(book("frankenstein", e), n)) for e in FRANKENSTEIN[:2]]
    return [(e, prefix(book("darwin_origin", e), n)) for e in DARWIN[:count]]


# ------------------------------------------------------------------------------- peer


def bench_peer(quick: bool, sink: list[dict[str, Any]]) -> None:
    sizes = [250, 500] if quick else [250, 500, 1000, 1500, 2000, 3000, 4000]
    limit = 20.0 if quick else PEER_LIMIT
    for count in (2, 5):
        for n in sizes:
            wits = witness_set(count, n)
            ours = run_child("collate", wits)
            peer = run_child("collatex", wits, timeout=6 * limit)
            rec = {"bench": "peer", "witnesses": count, "tokens": n,
                   "collate_s": round(ours["seconds"], 5),
                   "collate_median_s": round(ours["median"], 5),
                   "collate_cpu_s": round(ours["cpu"], 5),
                   "collate_peak_mb": ours["peak_mb"],
                   "collatex_s": round(peer["seconds"], 3),
                   "collatex_cpu_s": round(peer.get("cpu", math.nan), 3),
                   "collatex_peak_mb": peer.get("peak_mb"),
                   "collatex_timeout": bool(peer.get("timeout")),
                   "ratio": round(peer["seconds"] / ours["seconds"], 1)}
            emit(rec, sink)
            if peer["seconds"] >= limit:
                break


# ------------------------------------------------------------------------------- book


def bench_book(quick: bool, sink: list[dict[str, Any]]) -> None:
    texts = {e: book("frankenstein", e) for e in FRANKENSTEIN}
    if quick:
        texts = {e: prefix(t, 15_000) for e, t in texts.items()}
    for eds in (FRANKENSTEIN[:2], FRANKENSTEIN):
        wits = [(e, texts[e]) for e in eds]
        got = run_child("collate", wits, repeat=5)
        tokens = [len(tokenize(t)) for _, t in wits]
        emit({"bench": "book", "witnesses": eds, "tokens": tokens,
              "seconds": round(got["seconds"], 3), "median_s": round(got["median"], 3),
              "cpu_s": round(got["cpu"], 3), "peak_mb": got["peak_mb"],
              "target_s": 1.0 if len(eds) == 2 else 3.0}, sink)
    full = tokenize(texts["1818"])
    sizes = [len(full) // 8, len(full) // 4, len(full) // 2, len(full)]
    points = []
    for n in sizes:
        wits = [(e, prefix(texts[e], n)) for e in FRANKENSTEIN[:2]]
        got = run_child("collate", wits, repeat=5)
        points.append((n, got["seconds"], got["cpu"]))
        emit({"bench": "sweep", "witnesses": FRANKENSTEIN[:2], "tokens": n,
              "seconds": round(got["seconds"], 4), "median_s": round(got["median"], 4),
              "cpu_s": round(got["cpu"], 4), "peak_mb": got["peak_mb"]}, sink)
    emit({"bench": "growth", "exponent": round(_slope([(n, s) for n, s, _ in points]), 3),
          "exponent_cpu": round(_slope([(n, c) for n, _, c in points]), 3), "target": 1.15,
          "sizes": sizes}, sink)


def _slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(time) over log(size): the growth exponent."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(s) for _, s in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)


# ---------------------------------------------------------------------------- quality


def _mutate(words: list[str], rnd: random.Random, vocab: list[str]) -> tuple[list[str], dict]:
    """A noisy copy of ``words`` (token texts with whitespace) and the truth: old -> new index.

    Edits: word substitutions 3 %, OCR-style character noise 6 %, deletions 2 %,
    insertions 2 %, and a moved block of 4-12 tokens about every 400 tokens.
    """
    tagged: list[tuple[int | None, str]] = []
    for i, w in enumerate(words):
        body, ws = w.rstrip(), w[len(w.rstrip()):] or " "
        r = rnd.random()
        if r < 0.02:
            continue
        if r < 0.05 and body.isalpha():
            body = rnd.choice(vocab)
        elif r < 0.11 and body.isalpha() and len(body) >= 4:
            k = rnd.randrange(1, len(body))
            body = body[:k] + rnd.choice("aceilnorstu") + body[k + 1:]
        tagged.append((i, body + ws))
        if rnd.random() < 0.02:
            tagged.append((None, rnd.choice(vocab) + " "))
    for _ in range(len(words) // 400):
        size = rnd.randrange(4, 13)
        s = rnd.randrange(0, len(tagged) - size)
        block = tagged[s : s + size]
        del tagged[s : s + size]
        t = rnd.randrange(0, len(tagged))
        tagged[t:t] = block
    truth = {old: new for new, (old, _) in enumerate(tagged) if old is not None}
    return [w for _, w in tagged], truth


def _pairs(c: Collation, a: str, b: str) -> set[tuple[int, int]]:
    """Token pairs (index in a, index in b) the collation aligns, transpositions included."""
    ka, kb = c.ids.index(a), c.ids.index(b)
    out: set[tuple[int, int]] = set()
    for col in c.columns:
        (i1, i2), (j1, j2) = col.cells[ka], col.cells[kb]
        if i2 - i1 == j2 - j1:
            out.update(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            out.update((i, j) for i in range(i1, i2) for j in range(j1, j2))
    for t in c.transpositions:  # a moved block: its tokens aligned with each other
        if {t.a, t.b} == {a, b}:
            ra, rb = (t.a_range, t.b_range) if t.a == a else (t.b_range, t.a_range)
            block_a, block_b = c.tokens[a][slice(*ra)], c.tokens[b][slice(*rb)]
            for tag, i1, i2, j1, j2 in align_pair(block_a, block_b):
                if tag != "delete" and tag != "insert" and i2 - i1 == j2 - j1:
                    out.update(zip(range(ra[0] + i1, ra[0] + i2), range(rb[0] + j1, rb[0] + j2),
                                   strict=True))
    return out


def bench_quality(quick: bool, sink: list[dict[str, Any]]) -> None:
    text = book("frankenstein", "1818")
    toks = tokenize(text)
    words = [t.text_with_ws for t in toks if t.text]
    words = words[: 4_000 if quick else 20_000]
    vocab = sorted({t.text for t in toks if t.text.isalpha()})
    rnd = random.Random(7)
    for copies in (1, 3):
        noisy = [_mutate(words, rnd, vocab) for _ in range(copies)]
        wits = [("orig", "".join(words))] + [(f"v{k}", "".join(w)) for k, (w, _) in
                                             enumerate(noisy)]
        t = time.perf_counter()
        c = collate(wits)
        secs = time.perf_counter() - t
        tp = fp = fn = 0
        for k, (new_words, truth) in enumerate(noisy):
            assert len(c.tokens[f"v{k}"]) == len(new_words), "tokenization changed"
            gold = set(truth.items())
            got = _pairs(c, "orig", f"v{k}")
            tp += len(gold & got)
            fp += len(got - gold)
            fn += len(gold - got)
        prec, rec = tp / (tp + fp), tp / (tp + fn)
        emit({"bench": "quality", "witnesses": copies + 1, "tokens": len(words),
              "precision": round(prec, 4), "recall": round(rec, 4),
              "f1": round(2 * prec * rec / (prec + rec), 4), "target_f1": 0.98,
              "transpositions": len(c.transpositions), "seconds": round(secs, 3)}, sink)


def bench_order(quick: bool, sink: list[dict[str, Any]]) -> None:
    wits = [(e, book("darwin_origin", e)) for e in DARWIN]
    if quick:
        wits = [(e, prefix(t, 3000)) for e, t in wits[:4]]
    ref = collate(wits)
    orders = [wits[::-1]] + [random.Random(s).sample(wits, len(wits)) for s in range(4)]
    same = all(_canon(collate(o)) == _canon(ref) for o in orders)
    emit({"bench": "order", "corpus": "darwin_origin/ch01", "witnesses": [w for w, _ in wits],
          "orders_tried": len(orders) + 1, "same_table": same, "columns": len(ref.columns),
          "variant_columns": sum(ref.is_variant(k) for k in range(len(ref.columns))),
          "transpositions": len(ref.transpositions)}, sink)


# -------------------------------------------------------------------------- agreement

GREEK_LEVEL = "compat,spelling,accents,case"
"""The match level the Greek editions are collated at (one edition is accented)."""

COLLATEX_TABLE = r"""
import json, sys
from collatex import Collation, collate
wits = json.load(sys.stdin)
c = Collation()
for wid, text in wits:
    c.add_plain_witness(wid, text)
out = json.loads(collate(c, output="json", near_match=True, segmentation=False))
spans = {}
for wid, row in zip(out["witnesses"], out["table"]):
    pos, cells = 0, []
    for col, cell in enumerate(row):
        for tok in cell or ():
            cells.append((pos, col))
            pos += len(tok["t"])
    spans[wid] = cells
print(json.dumps(spans))
"""


def traditions(quick: bool
               ) -> dict[str, tuple[list[tuple[str, list[tuple[str, str]]]], str | None]]:
    """Each tradition's witness sets (one per chapter, with its name) and the match level it
    is read at."""
    def folder(path: Path) -> list[tuple[str, str]]:
        return [(f.stem, f.read_text(encoding="utf-8")) for f in sorted(path.glob("*.txt"))]

    if DATA is None:  # the samples' documents, each a tradition of its own
        return {f"samples/{p.name} ({len(folder(p))})": ([(p.name, folder(p))], None)
                for p in sorted((ROOT / "samples").iterdir()) if len(folder(p)) > 1}
    chapters = sorted(p.name for p in (DATA / "bible_english_nt").iterdir() if p.is_dir())
    if quick:
        chapters = chapters[:3]
    frank = [(e, book("frankenstein", e)) for e in FRANKENSTEIN]
    if quick:
        frank = [(e, prefix(t, 5000)) for e, t in frank]
    return {
        "darwin_origin/ch01 (6)": ([("ch01", folder(DATA / "darwin_origin" / "ch01"))], None),
        "frankenstein (4)": ([("whole", frank)], None),
        "bible_english_nt (7)": ([(c, folder(DATA / "bible_english_nt" / c)) for c in chapters],
                                 None),
        "greek_nt (3)": ([(c, folder(DATA / "greek_nt" / c)) for c in chapters], GREEK_LEVEL),
    }


REFERENCES = ("collate", "indel")
"""What counts as a pairwise agreement: ``collate``, the pairwise alignments the table is built
from (each pair by collate's aligner, its ties broken by the third witnesses: rule 5 of "How
the aligner chooses", so a change of tie rule moves the reference with the table);
``indel``, a fixed one: rapidfuzz's plain ``Indel`` longest common subsequence of each two
witnesses' normal forms, which no change to collate moves."""


def pair_ops(c: Collation, reference: str = "collate") -> dict[tuple[str, str], list]:
    """The opcodes of each two witnesses ``(a, b)``, ``a`` first in ``c.ids``, by ``reference``
    (:data:`REFERENCES`)."""
    from rapidfuzz.distance import Indel

    from collate.alignment.library import build
    from collate.alignment.pairwise import context

    pairs = list(itertools.combinations(c.ids, 2))
    if reference == "indel":
        return {(a, b): [op for op in Indel.opcodes([t.norm for t in c.tokens[a]],
                                                    [t.norm for t in c.tokens[b]])]
                for a, b in pairs}
    ctx = context(0.7, None, None)
    lib = build(ctx, {w: ctx.side(c.tokens[w]) for w in c.ids})
    return {(a, b): lib.pair(a, b) for a, b in pairs}


def kept_share(c: Collation, columns: dict[str, list[int]],
               ops: dict[tuple[str, str], list]) -> tuple[int, int]:
    """(kept, found): of the token pairs each two witnesses' alignment (``ops``, from
    :func:`pair_ops`) finds equal, how many stand in one column of a table (``columns``:
    each token's column), or, for collate, inside a transposition it reports between the
    two (the one token inside the block's copy in one witness, the other inside its copy in
    the other)."""
    kept = found = 0
    for (a, b), pair in ops.items():
        blocks = [(t.a_range, t.b_range) if t.a == a else (t.b_range, t.a_range)
                  for t in c.transpositions if {t.a, t.b} == {a, b}]
        for tag, i1, i2, j1, j2 in pair:
            if tag == "equal":
                found += i2 - i1
                kept += sum(columns[a][i] == columns[b][j] or any(
                    ra[0] <= i < ra[1] and rb[0] <= j < rb[1] for ra, rb in blocks)
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
    return kept, found


def partners(c: Collation, ops: dict[tuple[str, str], list]) -> dict[tuple[str, str], Any]:
    """For each two witnesses ``(a, b)``: the token of ``b`` each token of ``a`` is found
    equal with by their alignment in ``ops``  (-1 where none), as a NumPy array."""
    import numpy as np

    part: dict[tuple[str, str], Any] = {}
    for (a, b), pair in ops.items():
        pa, pb = np.full(len(c.tokens[a]), -1), np.full(len(c.tokens[b]), -1)
        for tag, i1, i2, j1, j2 in pair:
            if tag == "equal":
                pa[i1:i2], pb[j1:j2] = np.arange(j1, j2), np.arange(i1, i2)
        part[a, b], part[b, a] = pa, pb
    return part


def ceiling(c: Collation, ops: dict[tuple[str, str], list]) -> tuple[int, bool]:
    """(the most of the agreements of ``ops`` a table with one token per cell keeps in
    columns, whether that is exact or an upper bound): conflicts and crossings of the
    pairwise alignments both counted (:mod:`ceiling`). Transpositions reported between two
    witnesses, and cells of several tokens, can keep more."""
    from ceiling import best_table, edges

    return best_table(edges(list(c.ids), {w: len(c.tokens[w]) for w in c.ids},
                            partners(c, ops)))


def our_columns(c: Collation) -> dict[str, list[int]]:
    out = {w: [0] * len(c.tokens[w]) for w in c.ids}
    for n, col in enumerate(c.columns):
        for w, (i, j) in zip(c.ids, col.cells, strict=True):
            out[w][i:j] = [n] * (j - i)
    return out


def _collatex_columns(c: Collation, wits: list[tuple[str, str]],
                      timeout: float) -> dict[str, list[int]] | None:
    """Each of collate's tokens mapped to the CollateX column its first character is in."""
    import bisect

    try:
        proc = subprocess.run([sys.executable, "-c", COLLATEX_TABLE], input=json.dumps(wits),
                              text=True, capture_output=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    spans = json.loads(proc.stdout)
    out: dict[str, list[int]] = {}
    for w in c.ids:
        starts = [p for p, _ in spans[w]]
        cols = [col for _, col in spans[w]]
        out[w] = [cols[max(0, bisect.bisect_right(starts, t.start) - 1)] if cols else -1
                  for t in c.tokens[w]]
    return out


def bench_agreement(quick: bool, sink: list[dict[str, Any]], *, orders: int = 1,
                    peer: bool = True) -> None:
    """Share of pairwise agreements kept in the multi-witness table, collate and CollateX,
    against each reference of :data:`REFERENCES`; one record per witness set too, with the
    share in ``orders`` orders of its witnesses (the given one, then seeded shuffles),
    whether the table was the same in each, and the set's ceiling."""
    from collate.normalize import level

    limit = 60.0 if quick else 3 * PEER_LIMIT  # per witness set: generous, the machine is shared
    totals = [0, 0, 0, 0]
    for name, (sets, lvl) in traditions(quick).items():
        proc = level(lvl) if lvl else None
        ours, theirs_all, same, seconds, finished, misses = [0] * 4, [0, 0], [0, 0], 0.0, 0, 0
        for label, wits in sets:
            t = time.perf_counter()
            c = collate(wits, processor=proc)
            seconds += time.perf_counter() - t
            ops = pair_ops(c)
            got = kept_share(c, our_columns(c), ops) + kept_share(c, our_columns(c),
                                                                   pair_ops(c, "indel"))
            ours = [x + y for x, y in zip(ours, got, strict=True)]
            _emit_set(name, label, wits, proc, c, got, orders, sink)
            cols = _collatex_columns(c, wits, limit) if peer and misses < 2 else None
            if cols is None:
                misses += 1  # after two sets CollateX did not finish, it is not tried again
                continue
            theirs = kept_share(dataclasses.replace(c, transpositions=()), cols, ops)
            theirs_all = [theirs_all[0] + theirs[0], theirs_all[1] + theirs[1]]
            same = [same[0] + got[0], same[1] + got[1]]
            finished += 1
        totals = [x + y for x, y in zip(totals, ours, strict=True)]
        emit({"bench": "agreement", "tradition": name, "sets": len(sets),
              "level": lvl or "default", "kept": ours[0], "found": ours[1],
              "share": round(ours[0] / ours[1], 4), "target": 0.98,
              "indel_kept": ours[2], "indel_found": ours[3],
              "indel_share": round(ours[2] / ours[3], 4),
              "collate_s": round(seconds, 2), "collatex_sets_finished": finished,
              "collatex_share": round(theirs_all[0] / theirs_all[1], 4) if finished else None,
              "collate_share_on_those_sets": round(same[0] / same[1], 4) if finished else None},
             sink)
    emit({"bench": "agreement_all", "kept": totals[0], "found": totals[1],
          "share": round(totals[0] / totals[1], 4), "target": 0.99,
          "indel_kept": totals[2], "indel_found": totals[3],
          "indel_share": round(totals[2] / totals[3], 4)}, sink)


def _emit_set(name: str, label: str, wits: list[tuple[str, str]], proc: Any, c: Collation,
              got: tuple[int, ...], orders: int, sink: list[dict[str, Any]]) -> None:
    """One witness set's share, and its share and table in other orders of its witnesses."""
    shares, same_table = [round(got[0] / got[1], 4)], True
    for seed in range(1, orders):
        again = collate(random.Random(seed).sample(wits, len(wits)), processor=proc)
        k, f = kept_share(again, our_columns(again), pair_ops(again))
        shares.append(round(k / f, 4))
        same_table &= _canon(again) == _canon(c)
    best, exact = ceiling(c, pair_ops(c))
    emit({"bench": "agreement_set", "tradition": name, "set": label, "kept": got[0],
          "found": got[1], "share": shares[0], "shares_by_order": shares,
          "same_table": same_table, "ceiling": round(best / got[1], 4),
          "ceiling_exact": exact, "indel_share": round(got[2] / got[3], 4)}, sink)


def _canon(c: Collation) -> list[tuple[tuple[str, tuple[int, int]], ...]]:
    """The table as each witness's cells, whatever order the witnesses are listed in."""
    return [tuple(sorted(zip(c.ids, col.cells, strict=True))) for col in c.columns]


# ------------------------------------------------------------------------------ cli

BIG_BYTES = 10_000_000


def _timed_cli(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one ``collate`` process (``os.wait4``)."""
    import os

    exe = Path(sys.executable).with_name("collate")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    child = subprocess.Popen([str(exe), *args], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t
    if status:
        raise RuntimeError(f"collate {' '.join(args)} failed: {child.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def bench_cli(quick: bool, sink: list[dict[str, Any]]) -> None:
    """``collate align --format json`` as a user runs it: whole process, time and memory."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="bench_align_"))
    texts = {e: book("frankenstein", e) for e in FRANKENSTEIN}
    for e, t in texts.items():
        (tmp / f"{e}.txt").write_text(t, encoding="utf-8")
    line = " ".join(t.replace("\n", " ") for t in texts.values()).encode("utf-8")
    big = (line * (BIG_BYTES // len(line) + 1))[:BIG_BYTES].decode("utf-8", "ignore")
    (tmp / "big.txt").write_text(big, encoding="utf-8")
    runs = [("frankenstein 1818+1823", FRANKENSTEIN[:2], 0.8, 300),
            ("frankenstein, 4 editions", FRANKENSTEIN, 2.5, None),
            ("10 MB single line", ["big"], 15.0, 1500)]
    for label, names, target_s, target_mb in runs[:2] if quick else runs:
        files = [str(tmp / f"{n}.txt") for n in names]
        got = [_timed_cli(["align", "--format", "json", *files, "-o", str(tmp / "out.json")])
               for _ in range(1 if names == ["big"] else 3)]
        emit({"bench": "cli", "input": label, "seconds": round(min(s for s, _ in got), 3),
              "peak_mb": round(max(m for _, m in got), 1), "target_s": target_s,
              "target_mb": target_mb}, sink)


# ------------------------------------------------------------------------------- plot


def plot(records: list[dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib
    except ImportError:
        print("bench_align: matplotlib is not installed; no plot drawn", file=sys.stderr)
        return

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for count, marker in ((2, "o"), (5, "s")):
        peer = [r for r in records if r["bench"] == "peer" and r["witnesses"] == count]
        if peer:
            xs = [r["tokens"] for r in peer]
            left.plot(xs, [r["collatex_s"] for r in peer], marker=marker, color="tab:red",
                      label=f"CollateX 2.3, {count} witnesses")
            left.plot(xs, [r["collate_s"] for r in peer], marker=marker, color="tab:blue",
                      label=f"collate, {count} witnesses")
    left.set(xscale="log", yscale="log", xlabel="tokens per witness", ylabel="seconds",
             title="Same witnesses, same machine")
    left.set_xticks(sorted({r["tokens"] for r in records if r["bench"] == "peer"}))
    left.legend(fontsize=8)
    sweep = [r for r in records if r["bench"] == "sweep"]
    growth = next((r for r in records if r["bench"] == "growth"), None)
    if sweep:
        xs = [r["tokens"] for r in sweep]
        wall = "wall" + (f", exponent {growth['exponent']}" if growth else "")
        cpu = "CPU" + (f", exponent {growth.get('exponent_cpu')}" if growth else "")
        right.plot(xs, [r["seconds"] for r in sweep], marker="o", label=wall)
        if all("cpu_s" in r for r in sweep):
            right.plot(xs, [r["cpu_s"] for r in sweep], marker="^", label=cpu)
        right.plot(xs, [sweep[0]["seconds"] * n / xs[0] for n in xs], ls=":", color="grey",
                   label="linear")
        right.set(xscale="log", yscale="log", xlabel="tokens per witness", ylabel="seconds",
                  title="collate, Frankenstein 1818 vs 1823 prefixes")
        right.legend(fontsize=8)
        right.set_xticks(xs)
    for ax in (left, right):
        ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (about a minute)")
    parser.add_argument("--only", choices=list(KINDS), action="append",
                        help="run only these parts (repeatable)")
    parser.add_argument("--plot", action="store_true",
                        help="only redraw the plot from the last results")
    parser.add_argument("--orders", type=int, default=1, metavar="N",
                        help="agreement: collate each witness set in N orders (default 1)")
    parser.add_argument("--no-collatex", action="store_true",
                        help="agreement: collate alone, without CollateX's tables")
    data_options(parser)
    args = parser.parse_args()
    suffix = "_quick" if args.quick else ""
    path = RESULTS / f"bench_align{suffix}.jsonl"
    if args.plot:
        records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        plot(records, RESULTS / f"bench_align{suffix}.png")
        return
    global DATA
    DATA = data_dir(args.data, args.samples)
    if DATA is None:
        say_clone("bench_align", "the real editions (Frankenstein, Darwin, the Bible, the "
                  "Greek New Testament): the samples over and over, each edition with its own "
                  "light OCR noise, and the samples' own witnesses for the agreement")
    RESULTS.mkdir(parents=True, exist_ok=True)
    records: list[dict[str, Any]] = []
    agreement = functools.partial(bench_agreement, orders=args.orders,
                                  peer=not args.no_collatex)
    parts = {"peer": bench_peer, "book": bench_book, "quality": bench_quality,
             "order": bench_order, "agreement": agreement, "cli": bench_cli}
    for name, fn in parts.items():
        if not args.only or name in args.only:
            fn(args.quick, records)
    if args.only and path.exists():  # keep the other parts' records from the last run
        kinds = {k for name in args.only for k in KINDS[name]}
        old = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        records = [r for r in old if r["bench"] not in kinds] + records
    with open(path, "w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps(r) + "\n")
    plot(records, RESULTS / f"bench_align{suffix}.png")


if __name__ == "__main__":
    main()
