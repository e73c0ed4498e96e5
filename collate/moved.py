"""Blocks two witnesses read in different places, found in a finished alignment table.

The alignment reports moves (:mod:`collate.alignment.transpositions`) only where the two
copies stand in different stretches of differences; a block swapped with what it crosses is
drawn side by side with it, in one stretch. A page has one reading order all the same, so
the consensus (:mod:`collate.blocks`) and the reliability estimate
(:mod:`collate.reliability`) read every shared run of tokens the table does not put in one
column as a move.
"""

from __future__ import annotations

from collate.alignment.transpositions import moves_between
from collate.model import Collation, norms_of

Range = tuple[int, int]


def shared_runs(collation: Collation, pivot: str, other: str) -> list[tuple[Range, Range]]:
    """Runs of at least :data:`MIN_TRANSPOSITION` equal tokens that ``pivot`` and ``other``
    both have but the table does not put in one column: greedy, longest first from the
    pivot's start, each token of ``other`` used once.

    This is the alignment's test for a move (:mod:`collate.alignment.transpositions`)
    without its condition that the copies stand in different stretches of differences:
    the table draws a block swapped with what it crosses side by side, in one stretch,
    which a reader of a page must still read in one order only.
    """
    free_p, free_o = _free(collation, pivot, other)
    kp = list(norms_of(collation.tokens[pivot]))
    ko = list(norms_of(collation.tokens[other]))
    # each witness's free tokens in a stretch of their own: every shared run is a move
    found = moves_between(pivot, other, kp, ko, dict.fromkeys(free_p, 0),
                          dict.fromkeys(free_o, 1))
    return [(t.a_range, t.b_range) for t in found]


def _free(collation: Collation, pivot: str, other: str) -> tuple[list[int], list[int]]:
    """The tokens of ``pivot`` and of ``other`` not matched by an equal token of the other
    in its own column."""
    kp, ko = collation.ids.index(pivot), collation.ids.index(other)
    tp, to = norms_of(collation.tokens[pivot]), norms_of(collation.tokens[other])
    free_p, free_o = [True] * len(tp), [True] * len(to)
    for (a1, a2), (b1, b2) in zip(collation.columns.ranges(kp), collation.columns.ranges(ko),
                                  strict=True):
        if a1 == a2 or b1 == b2:
            continue
        if a2 - a1 == 1 and b2 - b1 == 1:  # one token each, most of a table: no index needed
            if tp[a1] == to[b1]:
                free_p[a1] = free_o[b1] = False
            continue
        norms = {to[j]: j for j in range(b1, b2)}
        for i in range(a1, a2):
            j = norms.get(tp[i])
            if j is not None:
                free_p[i] = free_o[j] = False
    return [i for i, f in enumerate(free_p) if f], [j for j, f in enumerate(free_o) if f]
