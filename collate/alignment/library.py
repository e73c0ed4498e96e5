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

from collate.alignment.pairwise import Block, Opcode, align, flip, heaviest_chain, merge
from collate.alignment.variants import similarity

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
        return ctx.near is not None and similarity(ctx, x, y) >= ctx.near

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
        runs = np.array([op[1:3] for op in self.pair(a, b) if op[0] == "equal"],
                        dtype=np.int64).reshape(-1, 2)
        words = np.searchsorted(self.sides[a].words, runs)  # words before each run's ends
        same = int((words[:, 1] - words[:, 0]).sum())
        longer = max(len(self.sides[a].word_ids), len(self.sides[b].word_ids), 1)
        return round(same / longer, 9)



def build(ctx: Context, sides: dict[str, Side]) -> Library:
    """Align every two witnesses once, then break their ties by the third witnesses
    (:func:`rebreak`)."""
    ops = {(a, b): align(ctx, sides[a], sides[b], 0, len(sides[a].ids), 0, len(sides[b].ids))
           for a, b in combinations(sorted(sides), 2)}
    if len(sides) > 2:
        ops = rebreak(ctx, sides, ops)
    return Library(ops, sides, ctx)


def partners(sides: dict[str, Side], ops: dict[tuple[str, str], list[Opcode]]
              ) -> dict[tuple[str, str], np.ndarray]:
    """For each two witnesses, both ways: the token each token is aligned equal with (-1:
    none)."""
    part = {}
    for (a, b), pair_ops in ops.items():
        pa = np.full(len(sides[a].ids), -1, dtype=np.int64)
        pb = np.full(len(sides[b].ids), -1, dtype=np.int64)
        eq = np.asarray([op[1:4] for op in pair_ops if op[0] == "equal"],
                        dtype=np.int64).reshape(-1, 3)
        i = ranges(eq[:, 0], eq[:, 1])
        j = i - np.repeat(eq[:, 0] - eq[:, 2], eq[:, 1] - eq[:, 0])
        pa[i], pb[j] = j, i
        part[a, b], part[b, a] = pa, pb
    return part


TIE_CELLS = 4096
"""Largest stretch (word pairs) a tie is broken again in: a bound on the cost of the
dynamic programme, which fills every pair."""


def rebreak(ctx: Context, sides: dict[str, Side], ops: dict[tuple[str, str], list[Opcode]]
            ) -> dict[tuple[str, str], list[Opcode]]:
    """Each pair's alignment with its ties broken by the third witnesses (rule 5 of "How the
    aligner chooses").

    A pair of equal words ``a_i``~``b_j`` is *confirmed* by a third witness ``w`` when the
    alignments of ``a`` and of ``b`` with ``w`` pair both with one token of ``w``, and
    *questioned* when ``w`` pairs one of them and not with the other's partner. Between two
    pairs some third witness confirms and none questions, the alignment is
    replaced by the one with as many equal words and strictly more confirmations, if there
    is one. The confirmations come from the alignments as the pairwise aligner made them,
    each pair by itself, so nothing depends on the order of the pairs or of the witnesses.

    >>> from collate.alignment.pairwise import context
    >>> from collate.tokens import tokenize
    >>> ctx = context(0.7, None, None)
    >>> sides = {w: ctx.side(tokenize(t)) for w, t in [("A", "x in awe and doubt y"),
    ...          ("B", "x awed and were in doubt y"), ("C", "x in doubt y")]}
    >>> ops = {(a, b): align(ctx, sides[a], sides[b], 0, len(sides[a].ids), 0,
    ...        len(sides[b].ids)) for a, b in [("A", "B"), ("A", "C"), ("B", "C")]}
    >>> [op for op in ops["A", "B"] if op[0] == "equal"][1]  # the ands, by the tie rule
    ('equal', 3, 4, 2, 3)
    >>> [op for op in rebreak(ctx, sides, ops)["A", "B"] if op[0] == "equal"][1]  # the ins
    ('equal', 1, 2, 4, 5)
    """
    part = partners(sides, ops)
    out = {}
    for (a, b), pair_ops in ops.items():
        thirds = [(part[a, w], part[b, w], part[w, b]) for w in sorted(sides)
                  if w not in (a, b)]
        out[a, b] = _rebroken(ctx, sides[a], sides[b], pair_ops, thirds)
    return out


def _rebroken(ctx: Context, A: Side, B: Side, ops: list[Opcode],
              thirds: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> list[Opcode]:
    """One pair's opcodes with each questioned stretch broken again (see :func:`rebreak`);
    ``thirds``: for each third witness ``w``, the partners of ``A`` in ``w``, of ``B`` in
    ``w`` and of ``w`` in ``B``."""
    eq = [(i1, i2, j1) for tag, i1, i2, j1, _ in ops if tag == "equal"]
    if not eq:
        return ops
    i1, i2, j1 = (np.asarray(x) for x in zip(*eq, strict=True))
    big_i = ranges(i1, i2)
    big_j = big_i - np.repeat(i1 - j1, i2 - i1)
    words = (~np.asarray(A.punct, dtype=bool), ~np.asarray(B.punct, dtype=bool))
    pi, pj = big_i[words[0][big_i]], big_j[words[0][big_i]]
    if not len(pi):
        return ops
    mine = np.full(len(A.ids), -1)
    mine[pi] = pj
    conf = np.zeros(len(pi), dtype=np.int64)
    shaky = np.zeros(len(pi), dtype=bool)
    alt_i, alt_j = [], []  # pairs of equal words a third witness confirms and ops do not make
    for pa, pb, pwb in thirds:
        x, y = pa[pi], pb[pj]
        conf += (x >= 0) & (x == y)
        shaky |= ((x >= 0) | (y >= 0)) & (x != y)
        k = np.flatnonzero(pa >= 0)
        j = pwb[pa[k]]
        alt = (j >= 0) & (j != mine[k])
        alt[alt] = A.id_array[k[alt]] == B.id_array[j[alt]]
        alt_i.append(k[alt])
        alt_j.append(j[alt])
    order = np.argsort(np.concatenate(alt_i), kind="stable")
    alt_i, alt_j = np.concatenate(alt_i)[order], np.concatenate(alt_j)[order]
    total = np.concatenate(([0], np.cumsum(conf)))
    cuts = np.concatenate(([-1], np.flatnonzero((conf > 0) & ~shaky), [len(pi)]))
    changed: list[tuple[int, int, int, int, list[Opcode]]] = []
    for f0, f1, lo_a, lo_b, hi_a, hi_b in _stretches(cuts, pi, pj, len(A.ids), len(B.ids),
                                                     alt_i, alt_j):
        wa = np.arange(lo_a, hi_a)[words[0][lo_a:hi_a]]
        wb = np.arange(lo_b, hi_b)[words[1][lo_b:hi_b]]
        chain = _best_chain(wa, wb, A.id_array[wa][:, None] == B.id_array[wb][None, :],
                            sum(((pa[wa] >= 0)[:, None] & (pa[wa][:, None] == pb[wb][None, :]))
                                .astype(np.int64) for pa, pb, _ in thirds))
        if len(chain[0]) == f1 - f0 - 1 and chain[1] > total[f1] - total[f0 + 1]:
            changed.append((lo_a, lo_b, hi_a, hi_b,
                            _chain_ops(ctx, A, B, chain[0], lo_a, lo_b, hi_a, hi_b)))
    return _splice(ops, changed) if changed else ops


def _stretches(cuts: np.ndarray, pi: np.ndarray, pj: np.ndarray, na: int, nb: int,
               alt_i: np.ndarray, alt_j: np.ndarray) -> list[tuple[int, ...]]:
    """The stretches worth breaking again, ``(f0, f1, alo, blo, ahi, bhi)``: between two
    firm pairs ``f0`` and ``f1`` (indices into the pairs ``pi``/``pj``, -1 and ``len(pi)``
    for the ends) with a pair between them, at most :data:`TIE_CELLS` token pairs, and a
    confirmed pair the alignment does not make (``alt_i``/``alt_j``, sorted) inside."""
    f0, f1 = cuts[:-1], cuts[1:]
    lo_a = np.where(f0 >= 0, pi[np.maximum(f0, 0)] + 1, 0)
    lo_b = np.where(f0 >= 0, pj[np.maximum(f0, 0)] + 1, 0)
    hi_a = np.where(f1 < len(pi), pi[np.minimum(f1, len(pi) - 1)], na)
    hi_b = np.where(f1 < len(pi), pj[np.minimum(f1, len(pi) - 1)], nb)
    ok = (f1 - f0 >= 2) & ((hi_a - lo_a) * (hi_b - lo_b) <= TIE_CELLS)
    win = np.searchsorted(lo_a, alt_i, side="right") - 1
    safe = np.maximum(win, 0)
    inside = ((win >= 0) & (alt_i < hi_a[safe]) & (alt_j >= lo_b[safe]) & (alt_j < hi_b[safe])
              & ok[safe])
    return [(int(f0[k]), int(f1[k]), int(lo_a[k]), int(lo_b[k]), int(hi_a[k]), int(hi_b[k]))
            for k in np.unique(win[inside]).tolist()]


def _best_chain(wa: np.ndarray, wb: np.ndarray, same: np.ndarray, conf: np.ndarray
                ) -> tuple[list[tuple[int, int]], int]:
    """The most pairs of equal words (``same``, over the words ``wa`` by ``wb``) in order,
    the most confirmed (``conf``) among them, with their confirmations; of equal chains the
    one whose pairs are made as late as they can be."""
    big = 1 + int(conf.sum())
    gain = np.where(same, big + conf, 0)
    score = np.zeros((len(wa) + 1, len(wb) + 1), dtype=np.int64)
    for x in range(1, len(wa) + 1):
        up = score[x - 1]
        diag = np.where(same[x - 1], up[:-1] + gain[x - 1], 0)
        score[x, 1:] = np.maximum.accumulate(np.maximum(up[1:], diag))
    chain, x, y = [], len(wa), len(wb)
    while x and y:
        if same[x - 1, y - 1] and score[x, y] == score[x - 1, y - 1] + gain[x - 1, y - 1]:
            chain.append((int(wa[x - 1]), int(wb[y - 1])))
            x, y = x - 1, y - 1
        elif score[x, y] == score[x - 1, y]:
            x -= 1
        else:
            y -= 1
    return chain[::-1], int(score[-1, -1] % big)


def _chain_ops(ctx: Context, A: Side, B: Side, chain: list[tuple[int, int]], alo: int,
               blo: int, ahi: int, bhi: int) -> list[Opcode]:
    """Opcodes tiling ``A[alo:ahi]``/``B[blo:bhi]``: the pairs of ``chain`` equal, the
    stretches between them aligned by the pairwise aligner."""
    out: list[Opcode] = []
    for i, j in [*chain, (ahi, bhi)]:
        if i > alo or j > blo:
            out += align(ctx, A, B, alo, i, blo, j)
        if i < ahi:
            out.append(("equal", i, i + 1, j, j + 1))
        alo, blo = i + 1, j + 1
    return out


def _splice(ops: list[Opcode], changed: list[tuple[int, int, int, int, list[Opcode]]]
            ) -> list[Opcode]:
    """``ops`` with each stretch ``A[alo:ahi]``/``B[blo:bhi]`` of ``changed`` replaced. Each
    begins just after an equal pair (or at the start) and ends at one (or at the end), so
    only equal runs cross its edges, and are cut there."""
    out: list[Opcode] = []
    spans = sorted(changed)
    k = 0
    for tag, i1, i2, j1, j2 in ops:
        while i1 < i2 or j1 < j2:
            if k < len(spans) and i1 >= spans[k][2] and j1 >= spans[k][3]:
                k += 1
                continue
            if k == len(spans) or (i2 <= spans[k][0] and j2 <= spans[k][1]):
                out.append((tag, i1, i2, j1, j2))  # wholly before the next span
                break
            alo, blo, ahi, bhi, new = spans[k]
            if i1 < alo:  # an equal run reaching into the span: its part before it
                out.append((tag, i1, alo, j1, blo))
                i1, j1 = alo, blo
            if (i1, j1) == (alo, blo):
                out += new
            if i2 <= ahi and j2 <= bhi:
                break  # wholly inside
            i1, j1 = ahi, bhi  # an equal run reaching out of the span: its part after it
    return merge(out)


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
