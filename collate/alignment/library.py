"""The library of pairwise alignments, and the votes it casts when a witness joins the table.

Every two witnesses are aligned once (:func:`build`). When a witness joins the table, each
witness already in it votes, through its own pairwise alignment with the newcomer, for the
column each of the newcomer's tokens belongs in; the heaviest chain of votes that keeps both
orders (:func:`anchor_runs`) is where the newcomer goes. So the table keeps as many of the
agreements the pairwise alignments found as one table can hold, whichever witnesses they
are between (the consistency idea of T-Coffee, Notredame et al. 2000).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from collate.alignment.pairwise import Block, Opcode, align, flip, heaviest_chain

if TYPE_CHECKING:
    from collate.alignment.pairwise import Context, Side

EQUAL_VOTE, PUNCT_VOTE, VARIANT_VOTE = 1.0, 0.5, 0.25
EXACT_POINTS = 50_000
"""Up to this many votes the chain is taken point by point (exact); above, runs of votes
along a diagonal are chained as one (near-linear at book length)."""
"""What a pairwise agreement weighs: a word, a punctuation mark, a variant in place."""


@dataclass
class Library:
    """The opcodes of every pair of witnesses ``(a, b)``, ``a`` before ``b`` by id."""

    ops: dict[tuple[str, str], list[Opcode]]
    sides: dict[str, Side]
    ctx: Context

    def near(self, x: str, y: str) -> bool:
        """Whether two keys are a near match (a variant, not a leftover paired by place)."""
        ctx = self.ctx
        if ctx.near is None:
            return False
        worst, best = ctx.bounds
        return (float(ctx.scorer(x, y)) - worst) / (best - worst) >= ctx.near

    def pair(self, w: str, v: str) -> list[Opcode]:
        """The alignment of ``w`` (first) against ``v`` (second)."""
        if w < v:
            return self.ops[w, v]
        return flip(self.ops[v, w])

    def similarity(self, a: str, b: str) -> float:
        """Words aligned as equal, over the word count of the longer witness.

        >>> from collate.alignment.pairwise import context
        >>> from collate.tokens import tokenize
        >>> ctx = context(0.7, None, None)
        >>> lib = build(ctx, {"A": ctx.side(tokenize("a b c")), "B": ctx.side(tokenize("a b"))})
        >>> round(lib.similarity("B", "A"), 3)
        0.667
        """
        punct = self.sides[a].punct
        same = sum(1 for tag, i1, i2, _, _ in self.pair(a, b) if tag == "equal"
                   for i in range(i1, i2) if not punct[i])
        longer = max(len(self.sides[a].word_ids), len(self.sides[b].word_ids), 1)
        return round(same / longer, 9)



def build(ctx: Context, sides: dict[str, Side]) -> Library:
    """Align every two witnesses once."""
    ops = {(a, b): align(ctx, sides[a], sides[b], 0, len(sides[a].ids), 0, len(sides[b].ids))
           for a, b in combinations(sorted(sides), 2)}
    return Library(ops, sides, ctx)


def anchor_runs(lib: Library, table: dict[str, np.ndarray], wid: str,
                moved: frozenset[int] = frozenset(),
                allies: frozenset[str] = frozenset()) -> list[Block]:
    """Runs ``(column, token, size)`` where witness ``wid`` goes in ``table``: the heaviest
    chain of the votes of the witnesses in the table, increasing in both coordinates (the
    tokens in ``moved`` take votes from ``allies`` alone).

    >>> from collate.alignment.pairwise import context
    >>> from collate.tokens import tokenize
    >>> ctx = context(0.7, None, None)
    >>> sides = {w: ctx.side(tokenize(t)) for w, t in
    ...          [("A", "a b c d"), ("B", "a b x d"), ("C", "b c d")]}
    >>> lib = build(ctx, sides)
    >>> table = {"A": np.array([0, 1, 2, 3, 4]), "B": np.array([0, 1, 2, 3, 4])}
    >>> anchor_runs(lib, table, "C")  # C's b c d in columns 1, 2, 3
    [(1, 0, 3)]
    """
    t, c, w = _votes(lib, table, wid, moved, allies)
    if not len(t):
        return []
    d = c - t
    order = np.lexsort((t, d))
    t, c, w, d = t[order], c[order], w[order], d[order]
    brk = np.ones(len(t), dtype=bool)
    if len(t) > EXACT_POINTS:  # runs of points along a diagonal are chained as one
        brk[1:] = (d[1:] != d[:-1]) | (t[1:] != t[:-1] + 1)
    starts = np.flatnonzero(brk)
    sizes = np.diff(np.append(starts, len(t)))
    weights = np.add.reduceat(w, starts)
    by_t = np.lexsort((-c[starts], t[starts]))  # a run never follows one of the same token
    runs = [(int(t[starts[k]]), int(c[starts[k]]), int(sizes[k]), float(weights[k]))
            for k in by_t.tolist()]
    chain = [runs[n] for n in heaviest_chain([(ti, ci, wt) for ti, ci, _, wt in runs])]
    out: list[Block] = []
    end_t = end_c = 0
    for ti, ci, size, _ in chain:
        cut = max(0, end_t - ti, end_c - ci)
        if size > cut:
            c0, t0, n = ci + cut, ti + cut, size - cut
            if out and out[-1][0] + out[-1][2] == c0 and out[-1][1] + out[-1][2] == t0:
                c0, t0, n = out[-1][0], out[-1][1], out.pop()[2] + n
            out.append((c0, t0, n))
            end_t, end_c = ti + size, ci + size
    return out


def _votes(lib: Library, table: dict[str, np.ndarray], wid: str,
           moved: frozenset[int] = frozenset(), allies: frozenset[str] = frozenset()
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (token, column) pairs the pairwise alignments put together, with their
    weight (the tokens in ``moved`` only with the columns of ``allies``)."""
    gone = np.fromiter(moved, dtype=np.int64) if moved else None
    ncols = len(next(iter(table.values()))) - 1
    me = lib.sides[wid]
    punct = np.asarray(me.punct, dtype=bool)
    ts: list[np.ndarray] = []
    cs: list[np.ndarray] = []
    ws: list[np.ndarray] = []
    for v, bounds in table.items():
        col = np.repeat(np.arange(ncols), np.diff(bounds))
        other = lib.sides[v]
        spans = [(i1, i2, j1, EQUAL_VOTE if tag == "equal" else VARIANT_VOTE)
                 for tag, i1, i2, j1, j2 in lib.pair(wid, v)
                 if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1 == 1
                                       and lib.near(me.keys[i1], other.keys[j1]))]
        if not spans:
            continue
        i1, i2, j1, vote = (np.asarray(x) for x in zip(*spans, strict=True))
        t = ranges(i1, i2)
        c = col[t - np.repeat(i1 - j1, i2 - i1)]
        w = np.where(punct[t], PUNCT_VOTE, np.repeat(vote, i2 - i1))
        if gone is not None and v not in allies:
            keep = ~np.isin(t, gone)
            t, c, w = t[keep], c[keep], w[keep]
        ts.append(t)
        cs.append(c)
        ws.append(w)
    if not ts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    key = np.concatenate(ts) * (ncols + 1) + np.concatenate(cs)
    uniq, inverse = np.unique(key, return_inverse=True)
    weight = np.bincount(inverse, weights=np.concatenate(ws))
    return uniq // (ncols + 1), uniq % (ncols + 1), weight


def ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The integers of every range ``starts[k]:ends[k]``, concatenated.

    >>> ranges(np.array([0, 5]), np.array([2, 8])).tolist()
    [0, 1, 5, 6, 7]
    """
    lengths = ends - starts
    offsets = np.repeat(np.cumsum(lengths) - lengths - starts, lengths)
    return np.arange(int(lengths.sum())) - offsets
