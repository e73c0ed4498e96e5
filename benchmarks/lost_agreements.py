"""Which pairwise agreements a multi-witness table loses, and why: a diagnostic.

For one witness set (a folder of ``*.txt`` witnesses, e.g. a chapter of
``../shared/data/bible_english_nt``), every token pair that two witnesses' own alignment finds
equal and the table does not keep (in one column, or inside a transposition it reports
between the two) is counted by kind and the first ones are printed with the table round them:

- ``conflict``: a third witness's own alignments pair the two tokens with two different tokens
  of its own, so no table with one token per cell keeps all three pairs;
- ``one-sided``: a third witness pairs one of the two tokens and not the other;
- ``free``: no third witness says anything against the pair (a crossing or a tie the table
  resolved the other way).

    python benchmarks/lost_agreements.py ../shared/data/bible_english_nt/hebrews_11 --show 10
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_align import ceiling, our_columns, pair_ops, partners

from collate.alignment import collate
from collate.model import Collation

Lost = tuple[str, int, str, int, str]


def lost_pairs(c: Collation) -> list[Lost]:
    """``(a, i, b, j, kind)`` for each pairwise agreement the table does not keep."""
    cols, part = our_columns(c), partners(c, pair_ops(c))
    out: list[Lost] = []
    for a, b in itertools.combinations(c.ids, 2):
        moved = [(t.a_range, t.b_range) if t.a == a else (t.b_range, t.a_range)
                 for t in c.transpositions if {t.a, t.b} == {a, b}]
        for i, j in enumerate(part[a, b].tolist()):
            if j < 0 or cols[a][i] == cols[b][j] or any(
                    ra[0] <= i < ra[1] and rb[0] <= j < rb[1] for ra, rb in moved):
                continue
            third = [(int(part[a, w][i]), int(part[b, w][j])) for w in c.ids if w not in (a, b)]
            kind = ("conflict" if any(x >= 0 and y >= 0 and x != y for x, y in third) else
                    "one-sided" if any((x >= 0) != (y >= 0) for x, y in third) else "free")
            out.append((a, i, b, j, kind))
    return out


def show(c: Collation, lost: Lost) -> str:
    """The lost pair and the table's columns round the two tokens."""
    a, i, b, j, kind = lost
    cols = our_columns(c)
    ca, cb = cols[a][i], cols[b][j]
    lines = [f"{kind}: {a}[{i}] in column {ca}, {b}[{j}] in column {cb}: "
             f"{c.tokens[a][i].text!r}"]
    span = range(max(0, min(ca, cb) - 2), min(len(c.columns), max(ca, cb) + 3))
    for w in c.ids:
        cells = [" ".join(t.text for t in c.cell(k, w)) or "-" for k in span]
        lines.append(f"  {w:>18}: " + " | ".join(f"{x:>9}" for x in cells))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of *.txt witnesses")
    parser.add_argument("--show", type=int, default=10, help="lost pairs to print (default 10)")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.txt"))
    if len(files) < 2:
        print(f"lost_agreements: {args.folder}: no folder of two or more *.txt witnesses",
              file=sys.stderr)
        sys.exit(2)
    c = collate([(f.stem, f.read_text(encoding="utf-8")) for f in files])
    lost = lost_pairs(c)
    ops = pair_ops(c)
    found = sum(int((p >= 0).sum()) for (a, b), p in partners(c, ops).items() if a < b)
    kinds = Counter(k for *_, k in lost)
    best, exact = ceiling(c, ops)
    print(f"{args.folder}: {found - len(lost)} of {found} kept "
          f"({1 - len(lost) / found:.2%}); ceiling {best / found:.2%}"
          f"{'' if exact else ' (upper bound)'}; lost by kind: "
          + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    print("lost by pair: " + ", ".join(f"{a}~{b} {n}" for (a, b), n in Counter(
        (a, b) for a, _, b, _, _ in lost).most_common()))
    for item in lost[: args.show]:
        print(show(c, item))


if __name__ == "__main__":
    main()
