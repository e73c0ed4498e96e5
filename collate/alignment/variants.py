"""The variant layer: a small dynamic programme over what lies between exact matches.

Near matches (``shew``/``show``, OCR ``Vesruug``/``Vestung``), split words
(``no-mination``/``nomination``) and lacuna fits (``□□ately``/``Lately``; a token that is all
lacuna stands opposite whatever the other witness has there) align as variants, not as a
deletion plus an insertion. Tokens left over between two matches are paired by position
(``fie``/``sie`` in ``und fie kam``/``und sie kam``), a word only with a word and punctuation
only with punctuation. A word always outweighs punctuation, so punctuation never pulls a
word out of its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from rapidfuzz import process

if TYPE_CHECKING:
    from collate.alignment.sides import Context, Opcode, Side

FUZZY_CELLS = 2_500
"""Largest stretch (token pairs) given to the dynamic programme in one piece."""

EQUAL, LACUNA_FIT, PUNCT_EQUAL = 2.0, 1.8, 0.05
"""Weights of a word match, a lacuna fit and a punctuation match (a near match weighs
``1 + similarity``)."""
EPS = 0.01
"""Weight of a plain substitution: leftovers are paired only where nothing better fits."""
GAP_OPEN = 0.5
"""Cost of each gap opened inside the witnesses (a stretch of one side against nothing
between two pairs; not before the first token of both nor after the last): an exact match
that opens two gaps is still worth keeping, but one reached across a gap that leaves its
neighbours against unrelated words loses to the near matches in place. See :func:`gap`."""
TIE = 1e-9
"""Values closer than this are equal: the tie goes to the pair made as late as possible."""
SPAN = 4
"""A lacuna may stand for up to this many tokens of the other witness."""
JOIN = 3
"""A word may be split into up to this many tokens (hyphenation, OCR)."""


class Move(IntEnum):
    """What one step of the programme does."""

    GAP = 0  # a token of one side against nothing
    EQUAL = 1  # the same key
    VARIANT = 2  # a near match, a lacuna fit, a split word
    LEFTOVER = 3  # a plain substitution between matches


class Step(NamedTuple):
    """One step: ``A[a0:a1]`` against ``B[b0:b1]`` (absolute indices)."""

    a0: int
    a1: int
    b0: int
    b1: int
    kind: Move


def gap(ctx: Context, A: Side, B: Side, i1: int, i2: int, j1: int, j2: int) -> list[Opcode]:
    """Opcodes for a stretch with no exact match chosen: near matches, fits, leftovers.

    The rule: the highest value wins, the value being the weights of the pairs made
    (:func:`_programme`) less :data:`GAP_OPEN` for each gap opened inside the witnesses; among
    equal values, the gaps stand as far left as they can (read from the end, each pair is
    made as late as the witnesses allow: ``! K !`` against ``!`` leaves ``! K`` unmatched).

    >>> from collate.alignment.pairwise import context, merge
    >>> from collate.tokens import tokenize
    >>> ctx = context(0.7, None, None)
    >>> a, b = ctx.side(tokenize("x ! K ! y")), ctx.side(tokenize("x ! y"))
    >>> merge(gap(ctx, a, b, 1, 4, 1, 2))
    [('delete', 1, 3, 1, 1), ('equal', 3, 4, 1, 2)]
    """
    n, m = i2 - i1, j2 - j1
    if n == 0:
        return [("insert", i1, i1, j1, j2)]
    if m == 0:
        return [("delete", i1, i2, j1, j1)]
    if n == m == 1 and (one := _one_to_one(A, B, i1, j1)) is not None:
        return [one]
    if n * m <= FUZZY_CELLS:
        return _leftovers(A, B, _programme(ctx, A, B, i1, i2, j1, j2))
    pieces = -(-max(n, m) // int(FUZZY_CELLS**0.5))  # each piece within FUZZY_CELLS
    out: list[Opcode] = []
    for k in range(pieces):
        out.extend(gap(ctx, A, B, i1 + n * k // pieces, i1 + n * (k + 1) // pieces,
                       j1 + m * k // pieces, j1 + m * (k + 1) // pieces))
    return out


def _one_to_one(A: Side, B: Side, i: int, j: int) -> Opcode | None:
    """The opcode of a one-token stretch ``A[i]``/``B[j]`` whose pair the programme always
    makes (both intact, both words or both punctuation: any pair outweighs the two gaps, so
    similarity decides nothing), without running it; ``None`` where it must run."""
    if A.damaged[i] or B.damaged[j] or A.punct[i] != B.punct[j]:
        return None
    same = B.keys[j] in A.keys_at(i)
    return ("equal" if same else "replace", i, i + 1, j, j + 1)


@dataclass
class _Stretch:
    """Everything the programme reads about ``A[i1:i2]`` against ``B[j1:j2]``.

    ``sim[y][x]`` is the similarity of ``A[i1 + y]`` and ``B[j1 + x]``; ``join_b[span][y][x]``
    that of ``A[i1 + y]`` and the ``span`` tokens of B ending before ``j1 + x`` written
    together (``no-mination``), ``join_a[span][y][x]`` the other way round.
    """

    ctx: Context
    A: Side
    B: Side
    i1: int
    j1: int
    ka: list[str]
    kb: list[str]
    alts: list[tuple[str, ...]] | None
    sim: list[list[float]]
    join_a: dict[int, list[list[float]]]
    join_b: dict[int, list[list[float]]]
    joins: list[frozenset[int]]
    """Per row ``y``: the columns ``x`` where some join reaches ``near`` (the rest skip them)."""
    b_damaged: list[bool]
    b_punct: list[bool]


def _stretch(ctx: Context, A: Side, B: Side, i1: int, i2: int, j1: int, j2: int) -> _Stretch:
    ka, kb = A.keys[i1:i2], B.keys[j1:j2]
    n, m = len(ka), len(kb)
    alts = A.alts[i1:i2] if A.alts is not None else None
    if ctx.near is None:
        return _Stretch(ctx, A, B, i1, j1, ka, kb, alts, [[0.0] * m for _ in ka], {}, {},
                        [_NO_JOIN] * (n + 1), *_b_flags(B, j1, j2))
    rows = [list(a) for a in alts] if alts is not None else [[k] for k in ka]
    flat = [k for row in rows for k in row]
    spans = range(2, JOIN + 1)
    ja = _joined(ka, _unjoinable(A, i1, i2)) if n > 1 else {}
    jb = _joined(kb, _unjoinable(B, j1, j2)) if m > 1 else {}
    left = flat + [k for span in ja for k in ja[span]]  # one scorer call for each side
    right = [k for span in jb for k in jb[span]]
    against_b = scores(ctx, left, kb)
    sim = against_b[: len(flat)]
    if len(flat) != n:  # a table column scores its best reading
        sim = np.maximum.reduceat(sim, np.cumsum([0] + [len(r) for r in rows[:-1]]), axis=0)
    join_a = {span: against_b[len(flat) + (span - 2) * (n + 1) :][: n + 1]
              for span in spans if ja}
    against_a = scores(ctx, ka, right) if right else np.zeros((n, 0))
    join_b = {span: against_a[:, (span - 2) * (m + 1) :][:, : m + 1] for span in spans if jb}
    joins = [_NO_JOIN] * (n + 1)
    by_a, by_b = against_b[len(flat) :], against_a  # a span that does not fit reaches nothing
    if (ja and by_a.max() >= ctx.near) or (jb and by_b.max() >= ctx.near):
        hits = np.zeros((n + 1, m + 1), dtype=bool)  # hits[y, x]: a join of row y, column x
        if ja:
            hits[:, 1:] |= by_a.reshape(JOIN - 1, n + 1, m).max(axis=0) >= ctx.near
        if jb:
            hits[1:, :] |= by_b.reshape(n, JOIN - 1, m + 1).max(axis=1) >= ctx.near
        for y in np.flatnonzero(hits.any(axis=1)).tolist():
            joins[y] = frozenset(np.flatnonzero(hits[y]).tolist())
    return _Stretch(ctx, A, B, i1, j1, ka, kb, alts, sim.tolist(),
                    {k: v.tolist() for k, v in join_a.items()},
                    {k: v.tolist() for k, v in join_b.items()}, joins, *_b_flags(B, j1, j2))


def _b_flags(B: Side, j1: int, j2: int) -> tuple[list[bool], list[bool]]:
    return B.damaged[j1:j2], B.punct[j1:j2]


_NO_JOIN: frozenset[int] = frozenset()

_NOTHING = "\uffff\ufffe"
"""Stands for a missing join (its similarity to any key is 0)."""
UNMATCHED = "\uffff\ufffd"
"""Starts the key of a token that is to match nothing but another such token (a token of a
swapped block, or a column of the other witness's swapped blocks, when a swap is laid side
by side; see :func:`scores`)."""


def scores(ctx: Context, xs: list[str | None], ys: list[str | None]) -> np.ndarray:
    """Similarity of every pair on [0, 1] (about 0 where either is ``None``).

    A key that is :data:`UNMATCHED` and a number is like no word, and wholly like another
    such key, whatever the scorer makes of the two: the swapped blocks pair one to one, as
    near matches, in place of matching nothing.

    >>> from collate.alignment.pairwise import context
    >>> scores(context(0.7, None, None), ["\uffff\ufffd1", "cat"], ["\uffff\ufffdc22", "cats"])
    array([[1.  , 0.  ],
           [0.  , 0.75]])
    """
    fx = [_NOTHING if x is None else x for x in xs]
    fy = [_NOTHING if y is None else y for y in ys]
    if ctx.native:
        worst, best = ctx.bounds
        got = process.cdist(fx, fy, scorer=ctx.scorer, dtype=np.float64)
        got = got if (worst, best) == (0.0, 1.0) else (got - worst) / (best - worst)
    else:
        got = np.array([[float(ctx.scorer(x, y)) for y in fy] for x in fx],
                       dtype=np.float64).reshape(len(fx), len(fy))
    if UNMATCHED in "".join(fx) or UNMATCHED in "".join(fy):
        swap_x, swap_y = _swapped(fx), _swapped(fy)
        got[swap_x] = 0.0
        got[:, swap_y] = 0.0
        got[np.ix_(swap_x, swap_y)] = 1.0
    return got


def similarity(ctx: Context, x: str, y: str) -> float:
    """:func:`scores` of one pair, without a matrix (the hot path of placement and votes).

    >>> from collate.alignment.pairwise import context
    >>> similarity(context(0.7, None, None), "\uffff\ufffd12", "\uffff\ufffdc3")
    1.0
    """
    if UNMATCHED in x or UNMATCHED in y:
        return float(scores(ctx, [x], [y])[0, 0])
    worst, best = ctx.bounds
    return (float(ctx.scorer(x, y)) - worst) / (best - worst)


def _swapped(keys: list[str]) -> np.ndarray:
    """Which keys stand for a token of a swapped block (see :func:`scores`): the mark and a
    number (a column's with ``c`` before it), not several written together as one."""
    n = len(UNMATCHED)
    return np.asarray([k.startswith(UNMATCHED) and k[n:].lstrip("c").isdigit() for k in keys],
                      dtype=bool)


HYPHENS = frozenset("-\u00ad\u2010\u2011\u00ac")
"""The only punctuation a split word is written with (``no-mination``, ``magis¬trates``)."""


def _unjoinable(side: Side, lo: int, hi: int) -> list[bool]:
    """Per position: damaged, or punctuation other than a hyphen (``, whose`` is no
    ``whose`` split in two)."""
    return [d or (p and k not in HYPHENS) for d, p, k in
            zip(side.damaged[lo:hi], side.punct[lo:hi], side.keys[lo:hi], strict=True)]


def _joined(keys: list[str], damaged: list[bool]) -> dict[int, list[str | None]]:
    """For each span 2..JOIN and end x: the keys ``keys[x - span:x]`` written together
    (``None`` where a token marked in ``damaged`` is among them, or the span does not fit)."""
    ends: list[str | None] = [None if d else k for k, d in zip(keys, damaged, strict=True)]
    out: dict[int, list[str | None]] = {}
    for span in range(2, JOIN + 1):  # the join one shorter, and the key after it
        ends = [None if p is None or d else p + k
                for p, k, d in zip(ends, keys[span - 1 :], damaged[span - 1 :], strict=False)]
        out[span] = [None] * min(span, len(keys) + 1) + ends
    return out


def _programme(ctx: Context, A: Side, B: Side, i1: int, i2: int, j1: int,
               j2: int) -> list[Step]:
    """Maximise the value over one bounded stretch; the steps of the best path.

    Weights: equal word 2, lacuna fit 1.8, near match ``1 + similarity`` (also of one token
    against two or three written together), equal punctuation 0.05, plain substitution
    ``0.01 * (1 + similarity)``; each gap opened costs :data:`GAP_OPEN`, except before the
    first tokens of both witnesses and after their last. A gap is opened where a step of one
    side against nothing follows anything but such a step on the same side (one table,
    cheap enough for the hot path, instead of three). Ties go to the pair.
    """
    st = _stretch(ctx, A, B, i1, i2, j1, j2)
    n, m = i2 - i1, j2 - j1
    lead = 0.0 if i1 == 0 and j1 == 0 else GAP_OPEN
    trail = i2 == len(A.ids) and j2 == len(B.ids)
    score = [[0.0] + [-lead] * m for _ in range(n + 1)]
    move = [[_START] + [_LEFT] * m for _ in range(n + 1)]
    _fill(st, score, move, -lead, trail)
    steps: list[Step] = []
    y, x = n, m
    while y or x:
        dy, dx, kind = move[y][x]
        steps.append(Step(i1 + y - dy, i1 + y, j1 + x - dx, j1 + x, kind))
        y, x = y - dy, x - dx
    steps.reverse()
    return steps


_START, _UP, _LEFT = (0, 0, Move.GAP), (1, 0, Move.GAP), (0, 1, Move.GAP)


def _fill(st: _Stretch, score: list[list[float]], move: list[list[tuple[int, int, Move]]],
          first: float, trail: bool) -> None:
    """Best value and move of every cell, row by row (one loop: this is the hot path).

    ``first``: the value of the first column; ``trail``: gaps along the last row and down
    the last column close the witnesses (free)."""
    A = st.A
    near = st.ctx.near if st.ctx.near is not None else 2.0
    b_damaged, b_punct, kb = st.b_damaged, st.b_punct, st.kb
    last = len(score[0]) - 1
    for y in range(1, len(score)):
        score[y][0], move[y][0] = first, _UP
        row, up, mrow, mup = score[y], score[y - 1], move[y], move[y - 1]
        ai = st.i1 + y - 1
        a_bad, a_punct = A.damaged[ai], A.punct[ai]
        srow = st.sim[y - 1]
        alts = st.alts[y - 1] if st.alts is not None else (st.ka[y - 1],)
        joins = st.joins[y]
        open_b = 0.0 if trail and y == len(score) - 1 else GAP_OPEN
        for x in range(1, last + 1):
            best = up[x] if mup[x] is _UP or (trail and x == last) else up[x] - GAP_OPEN
            mv = _UP
            value = row[x - 1] if mrow[x - 1] is _LEFT else row[x - 1] - open_b
            if value > best:
                best, mv = value, _LEFT
            b_bad, b_dot = b_damaged[x - 1], b_punct[x - 1]
            if a_bad or b_bad:
                w, kind = _damaged_pair(st, ai, st.j1 + x - 1)
            elif a_punct or b_dot:
                if a_punct and b_dot:
                    w, kind = ((PUNCT_EQUAL, Move.EQUAL) if kb[x - 1] in alts
                               else (EPS * 0.1, Move.LEFTOVER))
                else:
                    w, kind = -1.0, Move.GAP  # punctuation never stands for a word
            elif kb[x - 1] in alts:
                w, kind = EQUAL, Move.EQUAL
            elif srow[x - 1] >= near:
                w, kind = 1.0 + srow[x - 1], Move.VARIANT
            else:
                w, kind = EPS * (1.0 + srow[x - 1]), Move.LEFTOVER
            if w >= 0 and up[x - 1] + w > best - TIE:
                best, mv = up[x - 1] + w, _PAIR[kind]
            if a_bad or b_bad or x in joins:
                best, mv = _spans(st, score, y, x, best, mv)
            row[x] = best
            mrow[x] = mv


_PAIR = {kind: (1, 1, kind) for kind in Move}


def _spans(st: _Stretch, score: list[list[float]], y: int, x: int, best: float,
           mv: tuple[int, int, Move]) -> tuple[float, tuple[int, int, Move]]:
    """Best value and move at cell ``(y, x)`` once a lacuna may stand for several tokens, or
    a word split in two or three may stand for one."""
    A, B = st.A, st.B
    ai, bj = st.i1 + y - 1, st.j1 + x - 1
    if A.damaged[ai] or B.damaged[bj]:
        for value, dy, dx in _lacuna_spans(st, score, y, x):
            if value > best + TIE:
                best, mv = value, (dy, dx, Move.VARIANT)
        return best, mv
    if A.punct[ai] or B.punct[bj]:
        return best, mv
    near, up = st.ctx.near or 0.0, score[y - 1]
    for span in range(2, min(JOIN, x) + 1):  # split or joined words
        sv = st.join_b[span][y - 1][x]
        if sv >= near and up[x - span] + 1.0 + sv > best + TIE:
            best, mv = up[x - span] + 1.0 + sv, (1, span, Move.VARIANT)
    for span in range(2, min(JOIN, y) + 1):
        sv = st.join_a[span][y][x - 1]
        if sv >= near and score[y - span][x - 1] + 1.0 + sv > best + TIE:
            best, mv = score[y - span][x - 1] + 1.0 + sv, (span, 1, Move.VARIANT)
    return best, mv


def _damaged_pair(st: _Stretch, ai: int, bj: int) -> tuple[float, Move]:
    """Weight and kind of a pair where a token is damaged: a fit, or a leftover; never a
    lacuna against punctuation (a weight below zero), which stays where it is."""
    A, B = st.A, st.B
    if A.punct[ai] or B.punct[bj]:
        return -1.0, Move.GAP
    if (A.damaged[ai] and _fits(st.ctx, A, ai, B, bj, bj + 1)) or (
            B.damaged[bj] and _fits(st.ctx, B, bj, A, ai, ai + 1)):
        return LACUNA_FIT, Move.VARIANT
    return EPS, Move.LEFTOVER


def _lacuna_spans(st: _Stretch, score: list[list[float]], y: int,
                  x: int) -> list[tuple[float, int, int]]:
    """Values of a damaged token standing for up to SPAN tokens of the other side."""
    A, B, ctx = st.A, st.B, st.ctx
    ai, bj = st.i1 + y - 1, st.j1 + x - 1
    out: list[tuple[float, int, int]] = []
    if A.damaged[ai]:  # (not for punctuation alone)
        out += [(score[y - 1][x - span] + LACUNA_FIT, 1, span)
                for span in range(2, min(SPAN, x) + 1)
                if not all(B.punct[bj - span + 1 : bj + 1])
                and _fits(ctx, A, ai, B, bj - span + 1, bj + 1)]
    if B.damaged[bj]:
        out += [(score[y - span][x - 1] + LACUNA_FIT, span, 1)
                for span in range(2, min(SPAN, y) + 1)
                if not all(A.punct[ai - span + 1 : ai + 1])
                and _fits(ctx, B, bj, A, ai - span + 1, ai + 1)]
    return out


def _pattern(ctx: Context, side: Side, i: int) -> Any:
    """Regex a damaged token's visible letters must match, lacunae as bounded wildcards
    (``re``: it compiles these simple patterns faster, and caches the recurring ones)."""
    tok = side.token(i)
    pat = ctx.patterns.get(tok)
    if pat is None:
        parts: list[str] = []
        pos = tok.start
        for lac in sorted(tok.lacunae, key=lambda x: x.start):
            s, e = max(lac.start, tok.start), min(lac.end, tok.end)
            if s > pos:
                parts.append(re.escape(tok.text[pos - tok.start : s - tok.start].casefold()))
            if s >= pos:
                hi = "" if lac.max_chars is None else str(lac.max_chars)
                parts.append(f".{{{lac.min_chars},{hi}}}")
            pos = max(pos, e)
        parts.append(re.escape(tok.text[pos - tok.start :].casefold()))
        pat = ctx.patterns[tok] = re.compile("".join(parts), re.DOTALL)
    return pat


def _fits(ctx: Context, side: Side, i: int, other: Side, j1: int, j2: int) -> bool:
    """Whether damaged token ``side[i]`` can stand for ``other[j1:j2]`` (intact tokens)."""
    if any(other.damaged[j1:j2]):
        return side.whole[i] and all(other.whole[j1:j2])
    text = "".join(other.token(j).text_with_ws for j in range(j1, j2 - 1))
    text += other.token(j2 - 1).text
    return _pattern(ctx, side, i).fullmatch(text.casefold()) is not None


def _leftovers(A: Side, B: Side, steps: list[Step]) -> list[Opcode]:
    """Steps to opcodes; a stretch between matches holding a whole-token lacuna is one unit."""
    out: list[Opcode] = []
    group: list[Step] = []
    for step in steps:
        kind = step.kind
        if kind == Move.VARIANT and (any(A.whole[step.a0 : step.a1])
                                     or any(B.whole[step.b0 : step.b1])):
            kind = Move.LEFTOVER  # a whole-token lacuna stands for all the other side has here
        if kind in (Move.EQUAL, Move.VARIANT):
            out.extend(_group_ops(A, B, group))
            group.clear()
            out.append(("equal" if kind == Move.EQUAL else "replace", *step[:4]))
        else:
            group.append(step)
    out.extend(_group_ops(A, B, group))
    return out


def _group_ops(A: Side, B: Side, group: list[Step]) -> list[Opcode]:
    """The leftovers between two matches: one unit if a whole-token lacuna is among them."""
    if not group:
        return []
    a1, a2 = group[0].a0, group[-1].a1
    b1, b2 = group[0].b0, group[-1].b1
    if (any(A.whole[a1:a2]) or any(B.whole[b1:b2])) and a2 > a1 and b2 > b1:
        return [("replace", a1, a2, b1, b2)]
    return [("delete" if s.b0 == s.b1 else "insert" if s.a0 == s.a1 else "replace",
             s.a0, s.a1, s.b0, s.b1) for s in group]
