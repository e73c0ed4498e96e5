"""Blocks two witnesses read in different places, found in a finished alignment table.

The alignment reports moves (:mod:`collate.alignment.transpositions`) only where the two
copies stand in different stretches of differences; a block swapped with what it crosses is
drawn side by side with it, in one stretch. A page has one reading order all the same, so
the consensus (:mod:`collate.blocks`) and the reliability estimate
(:mod:`collate.reliability`) read every shared run of tokens the table does not put in one
column as a move.
"""

from __future__ import annotations

from collate.alignment.transpositions import MIN_TRANSPOSITION, join_moves
from collate.model import Collation, Transposition

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
    kp = [t.norm for t in collation.tokens[pivot]]
    ko = [t.norm for t in collation.tokens[other]]
    n = MIN_TRANSPOSITION
    index: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(ko) - n + 1):
        if all(free_o[j:j + n]):
            index.setdefault(tuple(ko[j:j + n]), []).append(j)
    used = [False] * len(ko)
    found: list[Transposition] = []
    i = 0
    while i <= len(kp) - n:
        size, at = 0, 0
        for j in index.get(tuple(kp[i:i + n]), ()) if all(free_p[i:i + n]) else ():
            m = 0
            while (i + m < len(kp) and j + m < len(ko) and free_p[i + m] and free_o[j + m]
                   and not used[j + m] and kp[i + m] == ko[j + m]):
                m += 1
            if m > size:
                size, at = m, j
        if size >= n:
            used[at:at + size] = [True] * size
            found.append(Transposition(pivot, (i, i + size), other, (at, at + size)))
            i += size
        else:
            i += 1
    return [(t.a_range, t.b_range) for t in join_moves(found)]


def _free(collation: Collation, pivot: str, other: str) -> tuple[list[bool], list[bool]]:
    """Per token of ``pivot`` and of ``other``: not matched by an equal token of the other
    in its own column."""
    kp, ko = collation.ids.index(pivot), collation.ids.index(other)
    tp, to = collation.tokens[pivot], collation.tokens[other]
    free_p, free_o = [True] * len(tp), [True] * len(to)
    for (a1, a2), (b1, b2) in zip(collation.columns.ranges(kp), collation.columns.ranges(ko),
                                  strict=True):
        if a1 == a2 or b1 == b2:
            continue
        norms = {to[j].norm: j for j in range(b1, b2)}
        for i in range(a1, a2):
            j = norms.get(tp[i].norm)
            if j is not None:
                free_p[i] = free_o[j] = False
    return free_p, free_o
