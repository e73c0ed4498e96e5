"""Small alignment cases of the classic kinds, collated by collate and by CollateX, and where
their tables differ.

The cases are our own, of the kinds collation experts and CollateX's documentation discuss:
transpositions of one, two and three blocks, additions inside a swap, repetitions, near
matches against exact ones, gaps at block edges, omissions and additions, punctuation and
case, 2 to 5 witnesses. Each table is reduced to the pairs of tokens it sets in one column
(a cell of several tokens against one of as many is read token by token; against one of
another length, every token against every token), and two tables agree where those sets are
equal. A difference is printed with both tables, for an editor to decide which is expected
by a rule ("How the aligner chooses" in the README); the cases whose table a rule fixes are
tests in ``tests/test_alignment.py``. It is not a score: CollateX is a peer here, not the truth.

    python benchmarks/bench_conventions.py            # every case, the differing ones printed
    python benchmarks/bench_conventions.py --all      # every table printed
    python benchmarks/bench_conventions.py --kind transposition

Writes one JSON object per case, and a summary, to ``benchmarks/results/bench_conventions.jsonl``.
CollateX runs with ``near_match=True, segmentation=False`` (the ``bench`` extra installs it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))

from collate.alignment import collate  # noqa: E402

CASES: dict[str, list[list[str]]] = {
    "transposition": [
        ["the cat is black", "black is the cat"],
        ["a b", "b a"],
        ["a b c", "b a c"],
        ["one two three four five", "one two four three five"],
        ["the cat is very happy", "very happy is the cat", "very delitied and happy is the cat"],
        ["A black cat in a white basket", "A white cat in a black basket"],
        ["y", "x y z", "z y"],
        ["y x", "x y z", "z y"],
        ["the white and black cat", "The black cat", "the black and white cat",
         "the black and green cat"],
        ["He was agast, so", "He was agast", "So he was agast"],
        ["So he was agast", "He was agast", "He was agast, so"],
        ["the cat and the dog", "the dog and the cat"],
        ["a b c d", "c d a b"],
        ["pre a b c d post", "pre c d a b post"],
        ["x y z y z w", "x y w"],
        ["the black dog chases a red cat", "a red cat chases the black dog"],
        ["the black dog chases a red cat", "a red cat chases the black dog",
         "a red cat chases the yellow dog"],
        ["the old man walked slowly home", "slowly home walked the old man"],
        ["x p q r y s t u z", "x s t u y p q r z"],
        ["a b c d e f g h", "e f g h a b c d"],
        ["first came the big brown bear and then the little grey wolf",
         "first came the little grey wolf and then the big brown bear"],
        ["Carefully he wrote the letter", "He wrote the letter carefully"],
        ["Then the king went to the castle", "The king went then to the castle"],
        ["the cat sat on the mat", "the cat on the mat sat"],
        ["This morning the cat observed little birds in the trees.",
         "The cat was observing birds in the little trees this morning, it observed birds "
         "for two hours."],
        ["one two three four five six", "four five six one two three",
         "one two three four five six"],
        ["he came and she went", "she went and he came", "he came and she left"],
        ["the black dog chases a red cat", "a red cat and a mouse chases the black dog"],
        ["the big black dog chases a red cat", "a red cat chases the black dog"],
        ["a b c x d e f", "d e f x a b c", "a b c x d e f"],
        ["a b c d e f g h i", "g h i d e f a b c"],
        ["the quick brown fox jumps over the lazy dog",
         "the lazy dog jumps over the quick brown fox"],
        ["he went to the market and bought bread", "he bought bread and went to the market"],
        ["The rain in Spain stays mainly in the plain",
         "The rain in Spain falls mainly on the plain",
         "In Spain the rain stays mainly in the plain"],
        ["The same clock as when for example Magee once died.",
         "The same as when for example Magee once died.",
         "The same as when for example McKee once died .",
         "The same as when among others Darly once died & left him.",
         "The same as when Darly among others once died and left him."],
    ],
    "repetition": [
        ["a b c d F g h i ! K ! q r s t", "a b c d F g h i ! q r s t"],
        ["X very quick very quick brown", "Y very quick brown"],
        ["a b c d F g h i ! K ! q r s t", "a b c d F g h i ! q r s t",
         "a b c d E g h i ! q r s t"],
        ["a", "b", "c", "a b c a b c"],
        ["The big black cat and the big black rat", "The big black cat"],
        ["The big black cat and the big black rat", "The big black rat"],
        ["This very quick very quick brown wombat", "That very quick brown koala",
         "That very quick brown kangaroo"],
        ["a a a b", "a b"],
        ["a b a b a b", "a b"],
        ["x y z y z w", "x y z w"],
        ["the the cat", "the cat"],
        ["the cat the cat the dog", "the cat the dog"],
        ["very very very good", "very good", "very very good"],
        ["he said no no no", "he said no"],
        ["and then and then and then it ended", "and then it ended"],
        ["to be or not to be", "to be or to be", "not to be"],
    ],
    "near": [
        ["I bought this glass, because it matches those dinner plates.",
         "I bought those glasses."],
        ["over this dog", "over that there dog"],
        ["over this dog", "over there that dog"],
        ["The brown fox jumps over this dog.", "The brown fox jumps over that there dog."],
        ["this", "there thin"],
        ["abcd 0123 efgh", "abcd 0xxx 012x 01xx efgh"],
        ["aaa bbb ccc ddd", "aaa cce ddd", "aaa cce ddd"],
        ["aaa bbb ccc ddd", "aaa cce ddd", "aaa cce ccc ddd"],
        ["abcd 012345 efgh", "abcd 0xxxxx 01xxxx 01234x 012xxx 0123xx efgh",
         "abcd 01xxxx zz23xx efgh"],
        ["the colour of the sea", "the color of the see"],
        ["he shewed them the way", "he showed them the way", "he show'd them the way"],
        ["Artickel wird", "der Arlickel wird"],
        ["the quick brown fox", "the quikc brwn fox", "the quick brown fix"],
        ["she walked to the market", "she walkt unto the markette"],
        ["a great and mighty king", "a grete kyng"],
        ["a b X Y Z", "a b W"],
        ["X Y a b c", "Z a b c"],
        ["he does not ask for thanks", "he never asks for thanks"],
    ],
    "addition": [
        ["the black cat", "the white and black cat"],
        ["the black cat", "the black and white cat"],
        ["Hello cruel world", "Hello world"],
        ["Hello cruel world", "Hello nice world", "Hello nice cruel world"],
        ["the man walked home", "the man went home", "the woman walked home"],
        ["a b c d e", "a c d e", "a b d e", "a b c e"],
        ["in the beginning", "in the very beginning", "in the beginning was"],
        ["and so it was", "so it was", "and it was", "and so was"],
        ["the house", "the old house", "the old stone house", "the stone house",
         "the house of stone"],
        ["one two three", "zero one two three four"],
        ["a b c", "a x b y c"],
        ["a b c", "x a b c", "a b c y"],
        ["the cat sat", "the cat sat", "the cat sat"],
        ["a b c", "a c", "b c", "a b"],
        ["Its soft light neither daylight nor moonlight nor starlight nor any light he could "
         "remember from the days & nights when day followed night & vice versa.",
         "Its soft changeless light unlike any light he could remember from the days and "
         "nights when day followed hard on night and vice versa.",
         "Its faint unchanging light unlike any light he could remember from the days & "
         "nights when day followed on night & night on day."],
        ["People with things, people without things, things without people, what does it "
         "matter. I'm confident I can soon scatter them.",
         "People with things, people without things, things without people, what does it "
         "matter, it will not take me long to scatter them.",
         "People with things, people without things, things without people, what does it "
         "matter, I flatter myself it will not take me long to scatter them, whenever I "
         "choose, to the winds."],
    ],
    "punctuation": [
        ["The quick brown fox", "The quick, brown fox!"],
        ["Yes, he said.", "Yes he said", "Yes; he said!"],
        ["said he, \"come\"", "said he: come"],
        ["one, two, three", "one two three", "one, two three."],
        ["the end.", "the end . . ."],
        ["well-known author", "well known author", "wellknown author"],
    ],
    "case": [
        ["the cat", "The Cat"],
        ["The King said", "the king said", "THE KING SAID"],
        ["X A Z", "Y B Z", "Y A X"],
        ["In The Beginning", "in the beginning was"],
    ],
}
"""Each kind's cases, each a list of witness texts (sigla A, B, C, ... in this order)."""


def collate_rows(texts: list[str]) -> tuple[list[str], list[list[list[str]]]]:
    """collate's table: the sigla and, for each witness, its tokens in each column."""
    c = collate(texts)
    return c.ids, [[[t.text for t in c.cell(k, w)] for k in range(len(c.columns))]
                   for w in c.ids]


def collatex_rows(texts: list[str]) -> list[list[list[str]]]:
    """CollateX's table (``near_match=True``, one token per cell), in the same shape."""
    from collatex import Collation
    from collatex import collate as cx_collate

    c = Collation()
    for k, text in enumerate(texts):
        c.add_plain_witness(chr(65 + k), text)
    out = json.loads(cx_collate(c, output="json", near_match=True, segmentation=False))
    return [[[tok["t"].strip() for tok in (cell or [])] for cell in row]
            for row in out["table"]]


def together(rows: list[list[list[str]]]) -> set[tuple[int, int, int, int]]:
    """The pairs ``(w, i, v, j)`` of token ``i`` of witness ``w`` and token ``j`` of ``v``
    (``w < v``) that the table sets in one column, read token by token where two cells hold
    as many tokens."""
    seen = [0] * len(rows)
    out = set()
    for k in range(len(rows[0])):
        cells = [row[k] for row in rows]
        for w, a in enumerate(cells):
            for v in range(w + 1, len(cells)):
                b = cells[v]
                if len(a) == len(b):
                    out |= {(w, seen[w] + x, v, seen[v] + x) for x in range(len(a))}
                else:
                    out |= {(w, seen[w] + x, v, seen[v] + y)
                            for x in range(len(a)) for y in range(len(b))}
        for w, a in enumerate(cells):
            seen[w] += len(a)
    return out


def show(sigla: list[str], rows: list[list[list[str]]]) -> str:
    """The table as text, one line per witness, ``-`` for an empty cell."""
    cells = [[" ".join(c) or "-" for c in row] for row in rows]
    width = [max(len(r[k]) for r in cells) for k in range(len(cells[0]))] if cells[0] else []
    return "\n".join(f"  {s} | " + " | ".join(c.ljust(n) for c, n in zip(r, width, strict=True))
                     for s, r in zip(sigla, cells, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print every table, not only those "
                        "that differ")
    parser.add_argument("--kind", choices=list(CASES), action="append",
                        help="only these kinds of case (repeatable)")
    args = parser.parse_args()
    try:
        import collatex  # noqa: F401
    except ImportError:
        sys.exit("bench_conventions: CollateX is not installed (pip install -e '.[bench]')")
    RESULTS.mkdir(parents=True, exist_ok=True)
    records: list[dict[str, Any]] = []
    for kind, cases in CASES.items():
        if args.kind and kind not in args.kind:
            continue
        for texts in cases:
            sigla, ours = collate_rows(texts)
            theirs = collatex_rows(texts)
            same = together(ours) == together(theirs)
            records.append({"bench": "convention", "kind": kind, "witnesses": texts,
                            "same": same, "collate": ours, "collatex": theirs})
            if args.all or not same:
                print(f"{'same' if same else 'DIFFERS'} [{kind}] " + " / ".join(texts))
                print("collate:\n" + show(sigla, ours))
                print("CollateX:\n" + show(sigla, theirs) + "\n")
    summary = {"bench": "convention_all", "cases": len(records),
               "same": sum(r["same"] for r in records),
               "by_kind": {k: [sum(r["same"] for r in records if r["kind"] == k),
                               sum(r["kind"] == k for r in records)] for k in CASES}}
    records.append(summary)
    print(json.dumps(summary))
    with open(RESULTS / "bench_conventions.jsonl", "w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
