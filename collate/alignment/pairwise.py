"""Pairwise alignment: two token sequences (or a table and a witness) into opcodes.

Works on token match keys mapped to integer ids, in three layers, so that time and memory
grow about linearly for witnesses that share most of their text and no ``n × m`` matrix is
ever built over whole books:

1. *Anchors.* Over the words alone (punctuation never pulls a word out of place), k-grams
   of ids that occur exactly once in each witness (k = 4, then 1 where none are left) are
   matched; runs of consecutive matches are chained by the heaviest increasing subsequence
   (Fenwick tree, ``O(r log r)``), which drops moved blocks.
2. *Gaps.* Between anchors the search recurses; a gap of at most ``DIRECT_CELLS`` token
   pairs is aligned exactly by :func:`rapidfuzz.distance.Indel.opcodes` on the id lists
   (bit-parallel longest common subsequence). Among equally long alignments the one with
   fewer, longer runs is taken (:func:`_slide`): ``we saw a big red barn`` stands opposite
   the second ``a big red barn`` of ``we saw a big red house and a big red barn`` as one block.
3. *Variants.* What is left between exact matches, punctuation included, goes through a
   small dynamic programme (:mod:`collate.alignment.variants`).
4. *Placement.* Each one-sided gap then moves left past equal and leftover pairs
   (:mod:`collate.alignment.placement`): rule 2 where fewest runs would leave it on the right;
   leftovers then pair by similarity, else from the start of their stretch; of two runs as
   long that cross, the one earlier in the first witness is matched.

One side may be the table built so far (:func:`profile` in
:mod:`collate.alignment.progressive`): each of its positions is a column, and a token matches
the column when it matches any reading in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from rapidfuzz.distance import Indel, Levenshtein

from collate.alignment.placement import first_in_place, left_gaps, pair_leftovers
from collate.alignment.sides import Context, Opcode, Scorer, Side
from collate.alignment.variants import gap
from collate.model import Token

Block = tuple[int, int, int]

DIRECT_CELLS = 16_000_000
"""Largest gap (token pairs) aligned directly by rapidfuzz; bigger gaps are anchored first."""
ANCHOR_K = 4
"""Length of the unique n-grams used as anchors (1-grams are tried where none are left)."""


def context(near: float | None, scorer: Scorer | None,
            processor: Callable[[str], str] | None) -> Context:
    """Check the options and map the scorer onto [0, 1] (rapidfuzz scorers by their flags)."""
    if near is not None and not 0.0 <= near <= 1.0:
        raise ValueError(f"near must be between 0 and 1 (or None), not {near!r}")
    fn = scorer or Levenshtein.normalized_similarity
    flags = getattr(fn, "_RF_ScorerPy", {}).get("get_scorer_flags")
    bounds = (0.0, 1.0)
    if flags is not None:  # a rapidfuzz scorer says which way is better, and how far it goes
        info = flags()
        bounds = (float(info["worst_score"]), float(info["optimal_score"]))
        if max(map(abs, bounds)) > 1e6 or bounds[0] == bounds[1]:
            raise ValueError(f"scorer {fn.__name__!r} is unbounded: use a normalized form")
    return Context(near, fn, flags is not None, bounds, processor)


def align_pair(a: Sequence[Token], b: Sequence[Token], *, near: float | None = 0.7,
               scorer: Scorer | None = None,
               processor: Callable[[str], str] | None = None) -> list[Opcode]:
    """Align two token sequences: difflib-style opcodes over token indices.

    The opcodes tile both sequences. ``equal`` runs are merged, as are ``delete`` and
    ``insert`` runs; every ``replace`` is one variant unit and stays apart from its
    neighbours: a near match (similarity ``>= near``), a lacuna that fits what the other
    side has (``□□ately``/``Lately``; a whole-token lacuna against all the other side has
    there), or a plain substitution between two matches. Punctuation is aligned only
    around the words: it never pulls a word out of its place.

    Parameters
    ----------
    a, b : sequence of Token
        Tokens of the two witnesses (see :func:`collate.tokens.tokenize`).
    near : float or None
        Similarity from which two different tokens are a variant of each other; ``None``
        disables fuzzy matching (leftovers are still paired by position).
    scorer : callable, optional
        ``scorer(s1, s2) -> float`` in [0, 1], higher is more similar; default rapidfuzz's
        ``Levenshtein.normalized_similarity``. A rapidfuzz scorer may be given as is
        (``fuzz.ratio``, ``JaroWinkler.normalized_similarity``, ``Indel.normalized_distance``):
        its own worst/optimal scores map it onto [0, 1].
    processor : callable, optional
        Applied to each token's ``norm`` before matching (e.g.
        :func:`collate.normalize.strip_accents`).

    Returns
    -------
    list of (tag, i1, i2, j1, j2)

    Examples
    --------
    >>> from collate.tokens import tokenize
    >>> a, b = tokenize("the Arlickel fie wrote"), tokenize("the Artickel sie wrote")
    >>> align_pair(a, b)
    [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('replace', 2, 3, 2, 3), ('equal', 3, 4, 3, 4)]
    >>> align_pair(tokenize("□□ately we met"), tokenize("Lately we met"))[0]
    ('replace', 0, 1, 0, 1)
    """
    ctx = context(near, scorer, processor)
    return align(ctx, ctx.side(a), ctx.side(b), 0, len(a), 0, len(b))


def align(ctx: Context, A: Side, B: Side, alo: int, ahi: int, blo: int,
          bhi: int) -> list[Opcode]:
    """Opcodes for ``A[alo:ahi]`` against ``B[blo:bhi]`` (absolute indices).

    Symmetric: the two sides are aligned in one orientation whichever comes first (the one
    whose keys sort first on the left), so ``B`` against ``A`` is the mirror image of ``A``
    against ``B`` and no choice depends on the order the witnesses are given in.
    """
    if A.keys[alo:ahi] > B.keys[blo:bhi]:
        return merge(first_in_place(A, B, flip(_oriented(ctx, B, A, blo, bhi, alo, ahi))))
    return merge(first_in_place(A, B, _oriented(ctx, A, B, alo, ahi, blo, bhi)))


def _oriented(ctx: Context, A: Side, B: Side, alo: int, ahi: int, blo: int,
              bhi: int) -> list[Opcode]:
    """:func:`align` in the orientation given (``A`` the side whose keys sort first)."""
    blocks = loose(exact_blocks(A, B, alo, ahi, blo, bhi), A.damaged, B.damaged, alo, ahi,
                   blo, bhi)
    ops = merge(left_gaps(ctx, A, B, fill(ctx, A, B, blocks, alo, ahi, blo, bhi)))
    return pair_leftovers(ctx, A, B, ops)


def flip(ops: list[Opcode]) -> list[Opcode]:
    """The opcodes of the second sequence against the first.

    >>> flip([("equal", 0, 1, 0, 1), ("delete", 1, 3, 1, 1)])
    [('equal', 0, 1, 0, 1), ('insert', 1, 1, 1, 3)]
    """
    swap = {"delete": "insert", "insert": "delete"}
    return [(swap.get(tag, tag), j1, j2, i1, i2) for tag, i1, i2, j1, j2 in ops]


LOOSE = 1
"""Runs of at most this many tokens with a difference on either side are weighed again by
the variant layer, with the stretches round them (see :func:`loose`)."""
LOOSE_CELLS = 128
"""Largest stretch (token pairs) that runs are weighed again in: a bound on the cost, which
grows with the stretch (the variant layer's dynamic programme fills every pair)."""


def loose(blocks: list[Block], bad_a: list[bool], bad_b: list[bool], alo: int, ahi: int,
          blo: int, bhi: int) -> list[Block]:
    """The runs without the short ones that stand alone (a difference on each side), where
    the stretch they stand in (with any such runs before them) has at most
    :data:`LOOSE_CELLS` token pairs and no damaged token (``bad_a``, ``bad_b``: a lacuna
    that fits a word never outweighs an exact match): there the variant layer weighs the
    exact match together with the near matches in place and the gaps it opens, so that a
    word matched far from its neighbours does not leave them against unrelated words.

    >>> clean = [False] * 10
    >>> loose([(0, 0, 2), (7, 2, 1)], clean, clean, 0, 10, 0, 4)  # I bought ... those ...
    [(0, 0, 2)]
    """
    out: list[Block] = []
    for n, (i, j, s) in enumerate(blocks):
        pi, pj = (out[-1][0] + out[-1][2], out[-1][1] + out[-1][2]) if out else (alo, blo)
        ni, nj = blocks[n + 1][:2] if n + 1 < len(blocks) else (ahi, bhi)
        alone = s <= LOOSE and (i, j) != (pi, pj) and (ni, nj) != (i + s, j + s)
        if not (alone and (ni - pi) * (nj - pj) <= LOOSE_CELLS
                and not any(bad_a[pi:ni]) and not any(bad_b[pj:nj])):
            out.append((i, j, s))
    return out


def fill(ctx: Context, A: Side, B: Side, blocks: list[Block], alo: int, ahi: int, blo: int,
         bhi: int) -> list[Opcode]:
    """Opcodes from matching runs ``(i, j, size)`` (sorted, disjoint), the stretches between
    them aligned by the variant layer."""
    ops: list[Opcode] = []
    i, j = alo, blo
    for bi, bj, size in [*blocks, (ahi, bhi, 0)]:
        if bi > i or bj > j:
            ops.extend(gap(ctx, A, B, i, bi, j, bj))
        if size:
            ops.append(("equal", bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
    return merge(ops)


def merge(ops: Iterable[Opcode]) -> list[Opcode]:
    """Join neighbouring equal/delete/insert opcodes (replace units stay apart).

    >>> merge([("equal", 0, 1, 0, 1), ("equal", 1, 3, 1, 3), ("replace", 3, 4, 3, 4)])
    [('equal', 0, 3, 0, 3), ('replace', 3, 4, 3, 4)]
    """
    out: list[Opcode] = []
    for op in ops:
        if out and out[-1][0] == op[0] and op[0] != "replace":
            tag, i1, _, j1, _ = out[-1]
            out[-1] = (tag, i1, op[2], j1, op[4])
        else:
            out.append(op)
    return out


# ---------------------------------------------------------------- exact layer (anchors)


def exact_blocks(A: Side, B: Side, alo: int, ahi: int, blo: int, bhi: int) -> list[Block]:
    """Runs ``(i, j, size)`` of equal tokens in ``A[alo:ahi]``/``B[blo:bhi]``, sorted.

    Found over the words alone, then carried over to every token: two runs of words are one
    run where the punctuation between them is the same on both sides.
    """
    pa1, pa2 = np.searchsorted(A.words, (alo, ahi)).tolist()
    pb1, pb2 = np.searchsorted(B.words, (blo, bhi)).tolist()
    blocks = _slide(_word_blocks(A.word_ids, B.word_ids, pa1, pa2, pb1, pb2),
                    A.word_ids, B.word_ids)
    blocks = _late_end(blocks, A.word_ids, B.word_ids, pa2, pb2)
    blocks = [(j, i, s) for i, j, s in _late_end([(j, i, s) for i, j, s in blocks],
                                                 B.word_ids, A.word_ids, pb2, pa2)]
    return _unproject(blocks, A, B)


def _unproject(blocks: list[Block], A: Side, B: Side) -> list[Block]:
    """Word-index runs as token-index runs, split where the punctuation between differs.

    :data:`RUNS` runs at a time over arrays (a book's arrays are never all made at once): a
    run's words are split where either side has tokens between two of them, unless both
    have the same ids there (one token each is compared over arrays, longer stretches one
    by one).
    """
    out: list[Block] = []
    for lo in range(0, len(blocks), RUNS):
        out += _unprojected(blocks[lo : lo + RUNS], A, B)
    return out


RUNS = 4096
"""Runs of equal words that :func:`_unproject` maps onto tokens at a time."""


def _unprojected(blocks: list[Block], A: Side, B: Side) -> list[Block]:
    """:func:`_unproject` of a few runs at once (at least one)."""
    p, q, size = np.array(blocks, dtype=np.int64).T
    first = np.cumsum(size) - size  # where each run starts among all runs' words
    step = np.arange(int(size.sum())) - np.repeat(first, size)
    fa, fb = A.words[np.repeat(p, size) + step], B.words[np.repeat(q, size) + step]
    ga, gb = np.diff(fa), np.diff(fb)  # from each word to the next (across runs too)
    inner = np.ones(len(ga), dtype=bool)
    inner[(first + size - 1)[:-1]] = False  # a run's last word to the next run's first
    broken = inner & ((ga != 1) | (gb != 1))
    same = broken & (ga == gb)  # as many tokens between on both sides: compare their ids
    one = same & (ga == 2)
    if one.any():
        same[one] = A.id_array[fa[:-1][one] + 1] == B.id_array[fb[:-1][one] + 1]
    ia, ib = A.ids, B.ids
    for k in np.flatnonzero(same & (ga > 2)).tolist():
        a, b = int(fa[k]), int(fb[k])
        same[k] = ia[a + 1 : int(fa[k + 1])] == ib[b + 1 : int(fb[k + 1])]
    cut = np.flatnonzero(broken & ~same)  # a run ends at word k, the next starts at k + 1
    starts = np.union1d(first, cut + 1)
    ends = np.union1d(first + size - 1, cut)
    return list(zip(fa[starts].tolist(), fb[starts].tolist(),
                    (fa[ends] + 1 - fa[starts]).tolist(), strict=True))


def _slide(blocks: list[Block], ia: list[int], ib: list[int]) -> list[Block]:
    """Among equally long alignments, fewer and longer runs: a gap on one side between two
    runs moves right when that swallows the next run whole, else as far left as it can (so
    the later run, which holds the tokens that set the two copies of a repeat apart, is whole).

    >>> ia = "we saw a big red house and a big red barn".split()
    >>> _slide([(0, 0, 5), (10, 5, 1)], ia, "we saw a big red barn".split())
    [(0, 0, 2), (7, 2, 4)]
    >>> _slide([(0, 0, 1), (4, 1, 1)], "red barn and big barn".split(), "red barn".split())
    [(0, 0, 2)]
    """
    out: list[Block] = []
    for i, j, s in blocks:
        if out:
            pi, pj, ps = out[-1]
            if pj + ps == j and pi + ps < i:  # only A has a gap between the runs
                i, j, s = _shift(out, ia, pi, pj, ps, i, j, s, True)
            elif pi + ps == i and pj + ps < j:  # only B has one
                j, i, s = _shift(out, ib, pj, pi, ps, j, i, s, False)
            if not s:
                continue
            pi, pj, ps = out[-1] if out else (-1, -1, 0)
            if out and pi + ps == i and pj + ps == j:
                out[-1] = (pi, pj, ps + s)
                continue
        out.append((i, j, s))
    return out


def _late_end(blocks: list[Block], ia: list[int], ib: list[int], ahi: int,
              bhi: int) -> list[Block]:
    """The last run moved as late in ``ib`` as its copies there allow, where ``ia`` ends with
    it and ``ib`` goes on, and the move opens no gap (``ib`` already has one before the run,
    or nothing is matched before it): the gap at the end stands as far left as it can.

    >>> _late_end([(0, 0, 1)], list("a"), list("abcabc"), 1, 6)
    [(0, 3, 1)]
    >>> _late_end([(0, 0, 1), (1, 1, 1)], list("ab"), list("abcab"), 2, 5)
    [(0, 0, 1), (1, 1, 1)]
    """
    if not blocks:
        return blocks
    i, j, s = blocks[-1]
    if i + s != ahi or j + s == bhi:
        return blocks
    if len(blocks) > 1 and blocks[-2][1] + blocks[-2][2] == j:
        return blocks  # moving the run would open a gap in ib
    run = ia[i : i + s]
    for d in range(bhi - j - s, 0, -1):
        if ib[j + d : j + d + s] == run:
            return [*blocks[:-1], (i, j + d, s)]
    return blocks


def _shift(out: list[Block], seq: list[int], pi: int, pj: int, ps: int, i: int, j: int, s: int,
           a_side: bool) -> tuple[int, int, int]:
    """Move the one-sided gap ``seq[pi + ps:i]`` between run ``out[-1]`` and ``(i, j, s)``."""
    r = 0
    while r < s and seq[pi + ps + r] == seq[i + r]:
        r += 1
    if r == s:  # the next run is swallowed: one run fewer
        out[-1] = (pi, pj, ps + s) if a_side else (pj, pi, ps + s)
        return i, j, 0
    k = 0
    while k < ps and seq[pi + ps - 1 - k] == seq[i - 1 - k]:
        k += 1
    if k:
        if ps == k:
            out.pop()
        else:
            out[-1] = (pi, pj, ps - k) if a_side else (pj, pi, ps - k)
    return i - k, j - k, s + k


def _word_blocks(ia: list[int], ib: list[int], alo: int, ahi: int, blo: int,
                 bhi: int) -> list[Block]:
    """Matching blocks ``(i, j, size)`` of equal ids, sorted and non-overlapping."""
    out: list[Block] = []
    stack = [(alo, ahi, blo, bhi)]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        i, j = alo, blo
        while i < ahi and j < bhi and ia[i] == ib[j]:
            i, j = i + 1, j + 1
        if i > alo:
            out.append((alo, blo, i - alo))
        alo, blo = i, j
        i, j = ahi, bhi
        while i > alo and j > blo and ia[i - 1] == ib[j - 1]:
            i, j = i - 1, j - 1
        if i < ahi:
            out.append((i, j, ahi - i))
        ahi, bhi = i, j
        n, m = ahi - alo, bhi - blo
        if n == 0 or m == 0:
            continue
        if n * m <= DIRECT_CELLS:
            out.extend(_direct(ia, ib, alo, ahi, blo, bhi))
            continue
        anchors = _anchors(ia, ib, alo, ahi, blo, bhi, ANCHOR_K) or _anchors(
            ia, ib, alo, ahi, blo, bhi, 1)
        if not anchors:
            out.extend(_diagonal(ia, ib, alo, ahi, blo, bhi))
            continue
        pi, pj = alo, blo
        for ai, aj, size in anchors:
            out.append((ai, aj, size))
            stack.append((pi, ai, pj, aj))
            pi, pj = ai + size, aj + size
        stack.append((pi, ahi, pj, bhi))
    out.sort()
    return out


def _direct(ia: list[int], ib: list[int], alo: int, ahi: int, blo: int,
            bhi: int) -> list[Block]:
    """Longest common subsequence of a bounded gap, by rapidfuzz."""
    ops = Indel.opcodes(ia[alo:ahi], ib[blo:bhi])
    return [(alo + op.src_start, blo + op.dest_start, op.src_end - op.src_start)
            for op in ops if op.tag == "equal"]


def _diagonal(ia: list[int], ib: list[int], alo: int, ahi: int, blo: int,
              bhi: int) -> list[Block]:
    """A big gap with no anchor at all: aligned piecewise along its diagonal (bounded)."""
    n, m = ahi - alo, bhi - blo
    pieces = -(-max(n, m) // max(1, int(DIRECT_CELLS**0.5)))  # each piece within the bound
    out: list[Block] = []
    for k in range(pieces):
        a1, a2 = alo + n * k // pieces, alo + n * (k + 1) // pieces
        b1, b2 = blo + m * k // pieces, blo + m * (k + 1) // pieces
        if a2 > a1 and b2 > b1:
            out.extend(_direct(ia, ib, a1, a2, b1, b2))
    return out


_P = np.uint64(1_000_003)


def _kgram_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    h = np.zeros(len(ids) - k + 1, dtype=np.uint64)
    for t in range(k):
        h = h * _P + ids[t : len(ids) - k + 1 + t]
    return h


def _unique_kgrams(ids: list[int], lo: int, hi: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    arr = np.asarray(ids[lo:hi], dtype=np.int64).astype(np.uint64)
    if len(arr) < k:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    values, first, counts = np.unique(_kgram_hashes(arr, k), return_index=True,
                                      return_counts=True)
    once = counts == 1
    return values[once], first[once]


def _anchors(ia: list[int], ib: list[int], alo: int, ahi: int, blo: int, bhi: int,
             k: int) -> list[Block]:
    """Runs of k-grams unique in both ranges, chained consistently (heaviest chain)."""
    ha, pa = _unique_kgrams(ia, alo, ahi, k)
    hb, pb = _unique_kgrams(ib, blo, bhi, k)
    _, xa, xb = np.intersect1d(ha, hb, assume_unique=True, return_indices=True)
    if not len(xa):
        return []
    pa, pb = pa[xa], pb[xb]
    order = np.argsort(pa, kind="stable")
    pa, pb = pa[order], pb[order]
    starts = np.ones(len(pa), dtype=bool)
    starts[1:] = (np.diff(pa) != 1) | (np.diff(pb) != 1)
    idx = np.flatnonzero(starts)
    lengths = np.diff(np.append(idx, len(pa))) + k - 1
    runs = list(zip(pa[idx].tolist(), pb[idx].tolist(), lengths.tolist(), strict=True))
    chain = [runs[n] for n in heaviest_chain(runs)]
    out: list[Block] = []
    end_a = end_b = 0
    for i, j, size in chain:
        cut = max(0, end_a - i, end_b - j)
        i, j, size = i + cut, j + cut, size - cut
        if size <= 0 or ia[alo + i : alo + i + size] != ib[blo + j : blo + j + size]:
            continue
        out.append((alo + i, blo + j, size))
        end_a, end_b = i + size, j + size
    return out


def heaviest_chain(runs: Sequence[tuple[int, int, float]]) -> list[int]:
    """Indices of runs ``(i, j, weight)`` increasing in both coordinates with the largest
    total weight (runs in the order they may follow each other: sorted by i).

    >>> heaviest_chain([(0, 5, 2), (3, 0, 5), (9, 9, 1)])
    [1, 2]
    """
    ranks = {v: r + 1 for r, v in enumerate(sorted({j for _, j, _ in runs}))}
    size = len(ranks)
    tree_val = [0.0] * (size + 1)
    tree_arg = [-1] * (size + 1)
    best = [0.0] * len(runs)
    prev = [-1] * len(runs)
    for n, (_, j, w) in enumerate(runs):
        r = ranks[j] - 1
        val, arg = 0.0, -1
        while r > 0:
            if tree_val[r] > val:
                val, arg = tree_val[r], tree_arg[r]
            r -= r & -r
        best[n], prev[n] = val + w, arg
        r = ranks[j]
        while r <= size:
            if best[n] > tree_val[r]:
                tree_val[r], tree_arg[r] = best[n], n
            r += r & -r
    n = max(range(len(runs)), key=best.__getitem__) if runs else -1
    chain: list[int] = []
    while n >= 0:
        chain.append(n)
        n = prev[n]
    return chain[::-1]
