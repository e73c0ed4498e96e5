"""Reading order for the consensus: blocks that witnesses read in different orders.

OCR engines order a page's regions (columns, paragraphs, running heads, notes) each in its
own way. The alignment finds such a block as a move (:class:`~collate.model.Transposition`,
see :mod:`collate.alignment.transpositions`), and in its table each copy stands against
nothing: a consensus taken place by place would see two blocks that only one witness has,
and keep both (the text twice) or drop both. Here each move between the most reliable
witness (the *pivot*) and another witness is taken once: the other witness's copy is read
where the pivot has the block, so that the two copies are voted on inside like any
variant, and is no reading at its own place, so that the block is emitted once, in the
pivot's order. Moves between two witnesses that are neither the pivot are left as the table
has them (their readings vote with the pivot's order as it is).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import regex
from rapidfuzz.distance import Levenshtein

from collate import consensus as _cons
from collate.chars import LINE_END_HYPHENS
from collate.evidence import Evidence
from collate.model import Collation, RestoredLacuna, Token
from collate.moved import shared_runs
from collate.reliability import COMMON_ZIPF, Judge

Range = tuple[int, int]
_BROKEN = regex.compile(rf"(\w+)[{LINE_END_HYPHENS}][ \t]*\r?\n\s*\Z")
"""A word broken at a line's end, at the end of the text searched."""
_WORD_START = regex.compile(r"\s*(\w+)")
_ENDED = regex.compile(r"[.!?][\p{Pf}\p{Pe}'\"]*[ \t]*\r?\n\s*\Z")
"""A sentence's end (its stop, closing quotes and brackets) at a line's end, at the end of
the text searched (a block of a page ends at a line's end)."""
NEAR = 0.5
"""Tokens at least this similar (normalized Levenshtein) at a moved block's edges are two
readings of one word, moved with the block (as :data:`collate.consensus.NEAR_WORD`)."""


@dataclass
class Moves:
    """The moves of one collation as the consensus reads them: per witness the character
    ranges it reads elsewhere (cut from its own places), and per (segment, witness) the
    character ranges of that witness read in the segment instead, each with ``True`` when
    it comes before the witness's own text there."""

    away: dict[str, list[Range]] = field(default_factory=dict)
    borrowed: dict[tuple[int, str], list[tuple[Range, bool]]] = field(default_factory=dict)


def moves(ev: Evidence, collation: Collation, weights: Mapping[str, float],
          judge: Judge | None = None) -> Moves:
    """The :class:`Moves` of ``collation`` (cut into ``ev``'s segments) towards the order
    of the most reliable witness, or of the one whose joins read better (:func:`order`).

    >>> from collate.edition import make_edition
    >>> ed = make_edition([("A", "one two three four. five six seven eight."),
    ...                    ("B", "five six seven eight. one two three fovr.")], restore=False)
    >>> m = moves(ed, ed.collation, {"A": 2.0, "B": 1.0})
    >>> m.away["B"], m.borrowed[0, "B"]
    ([(22, 41)], [((22, 41), True)])
    >>> ed.base_text()
    'one two three four. five six seven eight.'
    """
    out = Moves()
    if len(collation.ids) < 2 or not weights:
        return out
    ids = list(collation.ids)
    pivot = order(collation, weights, judge or Judge(None, frozenset()))
    k = ids.index(pivot)
    for other in ids:
        if other != pivot:
            for (p1, p2), (o1, o2) in shared_runs(collation, pivot, other):
                _take(out, ev, collation, k, pivot, other, (p1, p2), (o1, o2))
    return out


def order(collation: Collation, weights: Mapping[str, float], judge: Judge) -> str:
    """The witness whose reading order the consensus follows: the most reliable one, unless
    another's order reads better where the two differ, at the joins of their moved blocks.

    A join reads badly where a word broken at a line's end continues, across the join,
    as a form no lexicon nor the document knows (``na-`` + ``beit``: its
    :meth:`~collate.reliability.Judge.word_cost` is that of an unknown form), or where a
    sentence ends and the next block begins with a small letter (``Wirkung.`` +
    ``etwas``: a sentence cut in two); each such join costs as much as an unknown word
    (:data:`~collate.reliability.COMMON_ZIPF`), whatever the word, since a rare word
    rightly joined is no evidence of a wrong order. A reading order that cuts a page's text
    mid-word or mid-sentence pays at its joins; engines that order whole regions
    differently join at paragraph ends, and pay nothing either way (then reliability
    decides).
    """
    ids = list(collation.ids)
    best = max(ids, key=lambda w: (weights.get(w, 0.0), -ids.index(w)))
    gain: dict[str, float] = {}
    for other in ids:
        if other == best:
            continue
        bt, ot = collation.tokens[best], collation.tokens[other]
        runs = _chains([_widen(bt, ot, p, o) for p, o in shared_runs(collation, best, other)])
        mine = _join_cost(collation, best, [r for r, _ in runs], judge)
        theirs = _join_cost(collation, other, [r for _, r in runs], judge)
        gain[other] = mine - theirs
    challenger = max(gain, key=lambda w: gain[w], default=None)
    return challenger if challenger is not None and gain[challenger] > 0 else best


def _chains(runs: Sequence[tuple[Range, Range]]) -> list[tuple[Range, Range]]:
    """Runs that follow each other in both witnesses joined into one block: the tokens
    between them are misreadings inside a block, not joins of two.

    >>> _chains([((0, 3), (10, 13)), ((5, 9), (14, 18)), ((9, 12), (0, 3))])
    [((0, 9), (10, 18)), ((9, 12), (0, 3))]
    """
    by_o = sorted(range(len(runs)), key=lambda k: runs[k][1])
    rank = {k: n for n, k in enumerate(by_o)}
    out: list[tuple[Range, Range]] = []
    last = -2
    for k in sorted(range(len(runs)), key=lambda k: runs[k][0]):
        (p1, p2), (o1, o2) = runs[k]
        if out and rank[k] == last + 1:
            (q1, _), (r1, _) = out[-1]
            out[-1] = ((q1, p2), (r1, o2))
        else:
            out.append(((p1, p2), (o1, o2)))
        last = rank[k]
    return out


def _join_cost(collation: Collation, wid: str, runs: Sequence[Range], judge: Judge) -> float:
    """What the joins at the edges of ``wid``'s token ranges ``runs`` cost, each join once
    (see :func:`order`)."""
    text = next(w.text for w in collation.witnesses if w.id == wid)
    toks = collation.tokens[wid]
    cost = 0.0
    edges = {x for r in runs for x in (toks[r[0]].start, _end(toks, r[1]))}
    for at in sorted(edges - {0, len(text)}):
        left = _BROKEN.search(text, 0, at)
        right = _WORD_START.match(text, at)
        if left is not None and right is not None:
            known = judge.word_cost((left.group(1) + right.group(1)).lower()) < COMMON_ZIPF
            cost += 0.0 if known else COMMON_ZIPF
        elif right is not None and right.group(1)[0].islower() and _ENDED.search(text, 0, at):
            cost += COMMON_ZIPF
    return cost


def _take(out: Moves, ev: Evidence, collation: Collation, k: int, pivot: str, other: str,
          p: Range, o: Range) -> None:
    """Record one move: ``other``'s tokens ``o`` read where ``pivot`` has its tokens ``p``."""
    ptoks, otoks = collation.tokens[pivot], collation.tokens[other]
    (p1, p2), (o1, o2) = p, o
    (p1, p2), (o1, o2) = _widen(ptoks, otoks, (p1, p2), (o1, o2))
    if _local(ev, collation, pivot, other, (ptoks[p1].start, otoks[o1].start),
              _end(otoks, o2) - otoks[o1].start):
        return
    bound = _boundaries([x.norm for x in ptoks[p1:p2]], [x.norm for x in otoks[o1:o2]])
    out.away.setdefault(other, []).append((otoks[o1].start, _end(otoks, o2)))
    starts = [x.start for x in ptoks[p1:p2]]
    for i, seg in enumerate(ev.segments):
        a, b = seg.ranges[k]
        inside = [j for j, s in enumerate(starts) if a <= s < b]
        if not inside:
            continue
        q1, q2 = bound[inside[0]], bound[inside[-1] + 1]
        if q2 > q1:
            rng = (otoks[o1 + q1].start, _end(otoks, o1 + q2))
            before = starts[inside[0]] <= a or not ev.reading(i, pivot)[
                : starts[inside[0]] - a].strip()
            out.borrowed.setdefault((i, other), []).append((rng, before))


def _local(ev: Evidence, collation: Collation, pivot: str, other: str,
           starts: tuple[int, int], size: int) -> bool:
    """Whether the two copies of a block that start at ``starts`` (pivot's, other's) stand
    in one segment at nearly the same place in it (closer than the block is long): a word
    order the voting inside the place reads, not a move."""
    kp, ko = collation.ids.index(pivot), collation.ids.index(other)
    segs = [i for i, seg in enumerate(ev.segments)
            if seg.ranges[kp][0] <= starts[0] < seg.ranges[kp][1]
            or seg.ranges[ko][0] <= starts[1] < seg.ranges[ko][1]]
    if len(segs) != 1:
        return False
    seg = ev.segments[segs[0]]
    shift = (starts[0] - seg.ranges[kp][0]) - (starts[1] - seg.ranges[ko][0])
    return abs(shift) < size





def _widen(ptoks: Sequence[Token], otoks: Sequence[Token], p: Range,
           o: Range) -> tuple[Range, Range]:
    """A move widened over the neighbouring tokens of both copies while they are readings
    of one word (at least :data:`NEAR` similar): the alignment finds a move by its equal
    tokens, so a misread word at a block's edge would be left behind at the old place."""
    (p1, p2), (o1, o2) = p, o
    while p1 > 0 and o1 > 0 and _near(ptoks[p1 - 1].norm, otoks[o1 - 1].norm):
        p1, o1 = p1 - 1, o1 - 1
    while p2 < len(ptoks) and o2 < len(otoks) and _near(ptoks[p2].norm, otoks[o2].norm):
        p2, o2 = p2 + 1, o2 + 1
    return (p1, p2), (o1, o2)


def _near(a: str, b: str) -> bool:
    return Levenshtein.normalized_similarity(a, b) >= NEAR


def _end(tokens: Sequence[Token], j: int) -> int:
    """The offset after token ``j - 1`` and its whitespace."""
    last = tokens[j - 1]
    return last.end + len(last.ws)


def _boundaries(pivot: list[str], other: list[str]) -> list[int]:
    """For each token boundary of ``pivot`` (0..len), the matching boundary of ``other``
    (monotone; what ``other`` inserts goes with the pivot token before it).

    >>> _boundaries(["a", "b", "c"], ["a", "x", "c", "d"])
    [0, 1, 2, 4]
    """
    out = [0] * (len(pivot) + 1)
    for op in Levenshtein.opcodes(pivot, other):
        n, m = op.src_end - op.src_start, op.dest_end - op.dest_start
        for p in range(op.src_start + 1, op.src_end + 1):
            out[p] = op.dest_start + (m * (p - op.src_start)) // max(1, n)
        if n == 0:
            out[op.src_start] = op.dest_end if op.src_start > 0 else 0
    out[-1] = len(other)
    return out


def readings(
    ev: Evidence, found: Moves, fill: Callable[[RestoredLacuna], str],
) -> list[dict[str, _cons.Reading]]:
    """Per segment, per witness, what it reads there for the consensus: its own text less
    what it reads elsewhere, and what it reads here from elsewhere."""
    out = []
    for i, seg in enumerate(ev.segments):
        row = {}
        for k, wid in enumerate(ev.ids):
            a, b = seg.ranges[k]
            own = [(ev.pieces_between(wid, x, y), x)
                   for x, y in _cut((a, b), found.away.get(wid, []))]
            if not found.away.get(wid) and (i, wid) not in found.borrowed:
                row[wid] = _cons.reading(wid, ev.pieces(i, wid), a, fill)
                continue
            before = [(ev.pieces_between(wid, x, y), x) for (x, y), first in
                      found.borrowed.get((i, wid), []) if first]
            after = [(ev.pieces_between(wid, x, y), x) for (x, y), first in
                     found.borrowed.get((i, wid), []) if not first]
            row[wid] = _cons.joined([_cons.reading(wid, p, x, fill)
                                     for p, x in (*before, *own, *after)], wid)
        out.append(row)
    return out


def _cut(rng: Range, away: list[Range]) -> list[Range]:
    """``rng`` less every range of ``away``.

    >>> _cut((0, 10), [(2, 4), (8, 20)])
    [(0, 2), (4, 8)]
    """
    parts = [rng]
    for x, y in away:
        parts = [q for a, b in parts for q in ((a, min(b, x)), (max(a, y), b)) if q[0] < q[1]]
    return parts
