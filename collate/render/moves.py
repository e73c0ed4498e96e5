"""Transpositions located in the outputs: the tokens and columns of a collation that hold a
moved block, and the segments of an edition each copy of a moved block stands in.

A :class:`~collate.model.Transposition` gives token ranges; the table, the JSON and the CSV
mark the tokens and cells inside them (:func:`moved_tokens`, :func:`moved_cells`); an edition
is cut into segments of character ranges, and the TEI (``<listTranspose>``) and the HTML
synopsis (rows marked as moved) both point at the segments (:func:`moves`). Blocks that swap
places stand side by side in the same columns (:func:`collate.alignment.collate`), so a
table shows both copies of such a move opposite each other.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, NamedTuple

from collate.model import Collation

if TYPE_CHECKING:  # the JSON and CSV writers read no edition: they load none
    from collate.edition import Edition

MOVED = "\u21c4"
"""The mark of a moved block in the plain table (and the HTML synopsis): ⇄."""


def moved_tokens(collation: Collation) -> dict[str, set[int]]:
    """Per witness, the indices of its tokens inside a block reported as moved.

    >>> from collate.alignment import collate
    >>> c = collate(["the black dog chases a red cat", "a red cat chases the black dog"])
    >>> sorted(moved_tokens(c)["A"])
    [0, 1, 2, 4, 5, 6]
    """
    out: dict[str, set[int]] = {w: set() for w in collation.ids}
    for t in collation.transpositions:
        out[t.a].update(range(*t.a_range))
        out[t.b].update(range(*t.b_range))
    return out


def moved_cells(collation: Collation) -> list[list[bool]]:
    """Per column, per witness in collation order: whether the cell holds moved text.

    >>> from collate.alignment import collate
    >>> c = collate(["the black dog chases a red cat", "a red cat chases the black dog"])
    >>> [cells[0] for cells in moved_cells(c)]
    [True, True, True, False, True, True, True]
    """
    moved = moved_tokens(collation)
    rows = []
    for k, w in enumerate(collation.ids):
        mine = moved[w]
        rows.append([any(i in mine for i in range(i1, i2)) if mine else False
                     for i1, i2 in collation.columns.ranges(k)])
    return [list(col) for col in zip(*rows, strict=True)] if rows else []


class Place(NamedTuple):
    """Where one copy of a moved block stands: a witness and segments ``first..last``."""

    witness: str
    first: int
    last: int


def moves(edition: Edition) -> list[tuple[Place, Place]]:
    """Both places of every transposition of the edition's collation, in its order.

    >>> from collate.edition import make_edition
    >>> ed = make_edition([("A", "x y z a b c d e f"), ("B", "x d e f y z a b c")],
    ...                   restore=False)
    >>> [(p.witness, q.witness) for p, q in moves(ed)]
    [('A', 'B')]
    """
    out: list[tuple[Place, Place]] = []
    ends = {w: [s.ranges[k][1] for s in edition.segments] for k, w in enumerate(edition.ids)}
    starts = {w: [s.ranges[k][0] for s in edition.segments] for k, w in enumerate(edition.ids)}
    for t in edition.collation.transpositions:
        places = []
        for wid, (i, j) in ((t.a, t.a_range), (t.b, t.b_range)):
            toks = edition.collation.tokens[wid]
            lo, hi = toks[i].start, toks[j - 1].end
            first = bisect_right(ends[wid], lo)  # the first segment ending after lo
            last = max(first, bisect_left(starts[wid], hi) - 1)
            places.append(Place(wid, first, last))
        out.append((places[0], places[1]))
    return out
