"""Transpositions located in an edition: the segments each copy of a moved block stands in.

A :class:`~collate.model.Transposition` gives token ranges; an edition is cut into segments
of character ranges. The TEI (``<listTranspose>``) and the HTML synopsis (rows marked as
moved) both point at the segments, so both read them from here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

from collate.edition import Edition


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
