"""Alignment of witnesses: pairwise token alignment, then a multi-witness table.

Pairwise (:func:`align_pair`) works on token normal forms mapped to integer ids, in three
layers, so that time and memory grow about linearly for witnesses that share most of
their text and no ``n × m`` matrix is ever built over whole books:

1. *Anchors.* k-grams of ids that occur exactly once in each witness (k = 4, then 1 where
   none are left) are matched; runs of consecutive matches are chained by the heaviest
   increasing subsequence (Fenwick tree, ``O(r log r)``), which drops moved blocks.
2. *Gaps.* Between anchors the search recurses; a gap of at most ``DIRECT_CELLS`` token
   pairs is aligned exactly by :func:`rapidfuzz.distance.Indel.opcodes` on the id lists
   (bit-parallel longest common subsequence).
3. *Variants.* What is left between exact matches goes through a small dynamic programme
   over token similarity (at most ``FUZZY_CELLS`` pairs at a time; bigger stretches are cut
   along the diagonal), so that near matches (``shew``/``show``, OCR ``Vesruug``/``Vestung``),
   split words (``no-mination``/``nomination``) and lacuna fits (``□□ately``/``Lately``; a
   token that is all lacuna stands opposite whatever the other witness has there) align as
   variants, not as a deletion plus an insertion. Tokens left over between two matches are
   paired by position (``fie``/``sie`` in ``und fie kam``/``und sie kam``).

Many witnesses (:func:`collate`) are aligned by a centre-star alignment that does not depend
on the order the witnesses are given in: the centre is the witness sharing most tokens with
all others (ties: smallest id); every other witness is aligned to it; what several witnesses
insert at the same place of the centre is collated recursively the same way. Blocks of three
or more tokens that a witness has in another place than the centre are reported as
:class:`~collate.model.Transposition`.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
import regex
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from collate import normalize
from collate.lacunae import detect
from collate.model import Collation, Column, Token, Transposition, WitnessLike, witnesses_from
from collate.normalize import Normalizer
from collate.tokens import tokenize

Opcode = tuple[str, int, int, int, int]
Scorer = Callable[..., float]

DIRECT_CELLS = 16_000_000
"""Largest gap (token pairs) aligned directly by rapidfuzz; bigger gaps are anchored first."""
FUZZY_CELLS = 2_500
"""Largest stretch (token pairs) given to the fuzzy dynamic programme in one piece."""
ANCHOR_K = 4
"""Length of the unique n-grams used as anchors (1-grams are tried where none are left)."""
MIN_TRANSPOSITION = 3
"""Fewest tokens in a block reported as a transposition."""

_EQUAL, _LACUNA_FIT = 2.0, 1.8
_EPS = 0.01  # weight of a plain substitution: pairs leftovers only where nothing better fits


def pretokenized(pairs: Iterable[tuple[str, str | None]], *,
                 normalizer: Normalizer | None = None) -> list[Token]:
    """Tokens from ``(t, n)`` pairs: ``t`` is the text with trailing whitespace, ``n`` the norm.

    A missing ``n`` (``None``) is computed with ``normalizer`` (default: the default normal
    form). Offsets run over the concatenation of the ``t``s; lacunae in it are attached.

    >>> [(t.text, t.ws, t.norm, t.start) for t in pretokenized([("Ye ", "the"), ("olde", None)])]
    [('Ye', ' ', 'the', 0), ('olde', '', 'olde', 3)]
    """
    norm = normalizer or normalize.default
    items = list(pairs)
    text = "".join(t for t, _ in items)
    lacunae = detect(text)
    out: list[Token] = []
    pos = first = 0  # lacunae are sorted and disjoint: skip those ending before each token
    for t, n in items:
        body = t.rstrip()
        ws = t[len(body):]
        end = pos + len(body)
        while first < len(lacunae) and lacunae[first].end <= pos:
            first += 1
        last = first
        while last < len(lacunae) and lacunae[last].start < end:
            last += 1
        touching = tuple(lacunae[first:last])
        out.append(Token(body, ws, norm(body) if n is None else n, pos, end, touching))
        pos += len(t)
    return out


# --------------------------------------------------------------------------- pairwise


@dataclass
class _Side:
    """One witness (or token sequence) prepared for alignment."""

    tokens: Sequence[Token]
    keys: list[str]
    ids: list[int]
    damaged: list[bool]
    whole: list[bool]  # token is nothing but lacuna


@dataclass
class _Context:
    near: float | None
    scorer: Scorer
    native: bool  # scorer is a rapidfuzz function: cdist can batch it
    bounds: tuple[float, float]  # (worst, optimal) score, mapped onto 0 and 1
    processor: Callable[[str], str] | None
    vocab: dict[str, int] = field(default_factory=dict)
    patterns: dict[int, Any] = field(default_factory=dict)
    damaged_ids: int = 0

    def side(self, tokens: Sequence[Token]) -> _Side:
        proc = self.processor
        keys = [proc(t.norm) for t in tokens] if proc else [t.norm for t in tokens]
        vocab = self.vocab
        ids = [vocab.setdefault(k, len(vocab)) for k in keys]
        damaged = [bool(t.lacunae) for t in tokens]
        whole = [False] * len(tokens)
        for k, tok in enumerate(tokens):
            if tok.lacunae:  # a damaged token never matches exactly: it gets an id of its own
                self.damaged_ids += 1
                ids[k] = -self.damaged_ids
                whole[k] = _is_whole_lacuna(tok)
        return _Side(tokens, keys, ids, damaged, whole)


def _is_whole_lacuna(tok: Token) -> bool:
    covered = sum(min(x.end, tok.end) - max(x.start, tok.start) for x in tok.lacunae)
    return covered >= tok.end - tok.start


def _context(near: float | None, scorer: Scorer | None,
             processor: Callable[[str], str] | None) -> _Context:
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
    return _Context(near, fn, flags is not None, bounds, processor)


def align_pair(a: Sequence[Token], b: Sequence[Token], *, near: float | None = 0.7,
               scorer: Scorer | None = None,
               processor: Callable[[str], str] | None = None) -> list[Opcode]:
    """Align two token sequences: difflib-style opcodes over token indices.

    The opcodes tile both sequences. ``equal`` runs are merged, as are ``delete`` and
    ``insert`` runs; every ``replace`` is one variant unit and stays apart from its
    neighbours: a near match (similarity ``>= near``), a lacuna that fits what the other
    side has (``□□ately``/``Lately``; a whole-token lacuna against all the other side has
    there), or a plain substitution between two matches.

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
        :func:`collate.normalize.strip_punctuation`).

    Returns
    -------
    list of (tag, i1, i2, j1, j2)

    Examples
    --------
    >>> a, b = tokenize("the Arlickel fie wrote"), tokenize("the Artickel sie wrote")
    >>> align_pair(a, b)
    [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('replace', 2, 3, 2, 3), ('equal', 3, 4, 3, 4)]
    >>> align_pair(tokenize("□□ately we met"), tokenize("Lately we met"))[0]
    ('replace', 0, 1, 0, 1)
    """
    ctx = _context(near, scorer, processor)
    return _align(ctx, ctx.side(a), ctx.side(b), 0, len(a), 0, len(b))


def _align(ctx: _Context, A: _Side, B: _Side, alo: int, ahi: int, blo: int,
           bhi: int) -> list[Opcode]:
    """Opcodes for ``A[alo:ahi]`` against ``B[blo:bhi]`` (absolute indices)."""
    ops: list[Opcode] = []
    i, j = alo, blo
    for bi, bj, size in [*_exact_blocks(A.ids, B.ids, alo, ahi, blo, bhi), (ahi, bhi, 0)]:
        if bi > i or bj > j:
            ops.extend(_gap(ctx, A, B, i, bi, j, bj))
        if size:
            ops.append(("equal", bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
    return _merge(ops)


def _merge(ops: Iterable[Opcode]) -> list[Opcode]:
    """Join neighbouring equal/delete/insert opcodes (replace units stay apart)."""
    out: list[Opcode] = []
    for op in ops:
        if out and out[-1][0] == op[0] and op[0] != "replace":
            tag, i1, _, j1, _ = out[-1]
            out[-1] = (tag, i1, op[2], j1, op[4])
        else:
            out.append(op)
    return out


# ---------------------------------------------------------------- exact layer (anchors)


def _exact_blocks(ia: list[int], ib: list[int], alo: int, ahi: int, blo: int,
                  bhi: int) -> list[tuple[int, int, int]]:
    """Matching blocks ``(i, j, size)`` of equal ids, sorted and non-overlapping."""
    out: list[tuple[int, int, int]] = []
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
            bhi: int) -> list[tuple[int, int, int]]:
    """Longest common subsequence of a bounded gap, by rapidfuzz."""
    ops = Indel.opcodes(ia[alo:ahi], ib[blo:bhi])
    return [(alo + op.src_start, blo + op.dest_start, op.src_end - op.src_start)
            for op in ops if op.tag == "equal"]


def _diagonal(ia: list[int], ib: list[int], alo: int, ahi: int, blo: int,
              bhi: int) -> list[tuple[int, int, int]]:
    """A big gap with no anchor at all: aligned piecewise along its diagonal (bounded)."""
    n, m = ahi - alo, bhi - blo
    pieces = -(-max(n, m) // max(1, int(DIRECT_CELLS**0.5)))  # each piece within the bound
    out: list[tuple[int, int, int]] = []
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
             k: int) -> list[tuple[int, int, int]]:
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
    chain = _heaviest_chain(runs)
    out: list[tuple[int, int, int]] = []
    end_a = end_b = 0
    for i, j, size in chain:
        cut = max(0, end_a - i, end_b - j)
        i, j, size = i + cut, j + cut, size - cut
        if size <= 0 or ia[alo + i : alo + i + size] != ib[blo + j : blo + j + size]:
            continue
        out.append((alo + i, blo + j, size))
        end_a, end_b = i + size, j + size
    return out


def _heaviest_chain(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Runs increasing in both coordinates with the largest total length (runs sorted by i).

    >>> _heaviest_chain([(0, 5, 2), (3, 0, 5), (9, 9, 1)])
    [(3, 0, 5), (9, 9, 1)]
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
    chain: list[tuple[int, int, int]] = []
    while n >= 0:
        chain.append(runs[n])
        n = prev[n]
    return chain[::-1]


# -------------------------------------------------------------- variant layer (fuzzy DP)


def _gap(ctx: _Context, A: _Side, B: _Side, i1: int, i2: int, j1: int,
         j2: int) -> list[Opcode]:
    """Opcodes for a stretch with no exact match chosen: near matches, fits, leftovers."""
    n, m = i2 - i1, j2 - j1
    if n == 0:
        return [("insert", i1, i1, j1, j2)]
    if m == 0:
        return [("delete", i1, i2, j1, j1)]
    if n * m <= FUZZY_CELLS:
        return _fuzzy(ctx, A, B, i1, i2, j1, j2)
    pieces = -(-max(n, m) // int(FUZZY_CELLS**0.5))  # each piece within FUZZY_CELLS
    out: list[Opcode] = []
    for k in range(pieces):
        out.extend(_gap(ctx, A, B, i1 + n * k // pieces, i1 + n * (k + 1) // pieces,
                        j1 + m * k // pieces, j1 + m * (k + 1) // pieces))
    return out


def _similarities(ctx: _Context, ka: list[str], kb: list[str]) -> list[list[float]]:
    if ctx.near is None:
        return [[0.0] * len(kb) for _ in ka]
    if ctx.native:
        worst, best = ctx.bounds
        scores = process.cdist(ka, kb, scorer=ctx.scorer, dtype=np.float64)
        return ((scores - worst) / (best - worst)).tolist()
    return [[float(ctx.scorer(x, y)) for y in kb] for x in ka]


def _pattern(ctx: _Context, side: _Side, i: int) -> Any:
    """Regex a damaged token's visible letters must match, lacunae as bounded wildcards."""
    key = id(side.tokens[i])
    pat = ctx.patterns.get(key)
    if pat is None:
        tok = side.tokens[i]
        parts: list[str] = []
        pos = tok.start
        for lac in sorted(tok.lacunae, key=lambda x: x.start):
            s, e = max(lac.start, tok.start), min(lac.end, tok.end)
            if s > pos:
                parts.append(regex.escape(tok.text[pos - tok.start : s - tok.start].casefold()))
            if s >= pos:
                hi = "" if lac.max_chars is None else str(lac.max_chars)
                parts.append(f".{{{lac.min_chars},{hi}}}")
            pos = max(pos, e)
        parts.append(regex.escape(tok.text[pos - tok.start :].casefold()))
        pat = ctx.patterns[key] = regex.compile("".join(parts), regex.DOTALL)
    return pat


def _fits(ctx: _Context, side: _Side, i: int, other: _Side, j1: int, j2: int) -> bool:
    """Whether damaged token ``side[i]`` can stand for ``other[j1:j2]`` (intact tokens)."""
    if any(other.damaged[j1:j2]):
        return side.whole[i] and all(other.whole[j1:j2])
    toks = other.tokens
    text = "".join(t.text_with_ws for t in toks[j1 : j2 - 1]) + toks[j2 - 1].text
    return _pattern(ctx, side, i).fullmatch(text.casefold()) is not None


_SPAN = 4  # a lacuna may stand for up to this many tokens of the other witness
_JOIN = 3  # a word may be split into up to this many tokens (hyphenation, OCR)


def _fuzzy(ctx: _Context, A: _Side, B: _Side, i1: int, i2: int, j1: int,
           j2: int) -> list[Opcode]:
    """Dynamic programme over one bounded stretch: maximise matched weight.

    Weights: equal key 2, lacuna fit 1.8, near match ``1 + similarity`` (also of one token
    against two or three written together, ``nomination``/``no-mination``), plain
    substitution ``0.01 * (1 + similarity)``; gaps cost nothing.
    """
    n, m = i2 - i1, j2 - j1
    ka, kb = A.keys[i1:i2], B.keys[j1:j2]
    sim = _similarities(ctx, ka, kb)
    near = ctx.near
    worst, top = ctx.bounds
    bounded = ctx.scorer is Levenshtein.normalized_similarity  # length ratio bounds it
    scorer = ctx.scorer
    joins_a = _joined(ka, A.damaged[i1:i2]) if near is not None else {}
    joins_b = _joined(kb, B.damaged[j1:j2]) if near is not None else {}

    def join_score(one: str, joined: str | None) -> float:
        """Similarity of one token to several written together (``no-mination``)."""
        if joined is None:
            return 0.0
        if bounded and min(len(one), len(joined)) < near * max(len(one), len(joined)):
            return 0.0
        return (float(scorer(one, joined)) - worst) / (top - worst)

    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move: list[list[tuple[int, int, int]]] = [[(0, 0, 0)] * (m + 1) for _ in range(n + 1)]
    for x in range(1, m + 1):
        move[0][x] = (0, 1, 0)
    for y in range(1, n + 1):
        row, up = score[y], score[y - 1]
        mrow = move[y]
        mrow[0] = (1, 0, 0)
        ai = i1 + y - 1
        a_bad = A.damaged[ai]
        srow = sim[y - 1]
        key_a = ka[y - 1]
        for x in range(1, m + 1):
            bj = j1 + x - 1
            best, mv = up[x], (1, 0, 0)
            if row[x - 1] > best:
                best, mv = row[x - 1], (0, 1, 0)
            b_bad = B.damaged[bj]
            if a_bad or b_bad:
                if (a_bad and _fits(ctx, A, ai, B, bj, bj + 1)) or (
                        b_bad and _fits(ctx, B, bj, A, ai, ai + 1)):
                    w, kind = _LACUNA_FIT, 2
                else:
                    w, kind = _EPS, 3
            elif key_a == kb[x - 1]:
                w, kind = _EQUAL, 1
            elif near is not None and srow[x - 1] >= near:
                w, kind = 1.0 + srow[x - 1], 2
            else:
                w, kind = _EPS * (1.0 + srow[x - 1]), 3
            if up[x - 1] + w > best:
                best, mv = up[x - 1] + w, (1, 1, kind)
            if a_bad:  # one lacuna against several tokens
                for span in range(2, min(_SPAN, x) + 1):
                    v = up[x - span] + _LACUNA_FIT
                    if v > best and _fits(ctx, A, ai, B, bj - span + 1, bj + 1):
                        best, mv = v, (1, span, 2)
            if b_bad:
                for span in range(2, min(_SPAN, y) + 1):
                    v = score[y - span][x - 1] + _LACUNA_FIT
                    if v > best and _fits(ctx, B, bj, A, ai - span + 1, ai + 1):
                        best, mv = v, (span, 1, 2)
            if near is not None and not (a_bad or b_bad):  # split or joined words
                for span in range(2, min(_JOIN, x) + 1):
                    base = up[x - span]
                    if base + 2.0 > best:  # a similarity is at most 1: cheap bound first
                        sv = join_score(key_a, joins_b[span][x])
                        if sv >= near and base + 1.0 + sv > best:
                            best, mv = base + 1.0 + sv, (1, span, 2)
                for span in range(2, min(_JOIN, y) + 1):
                    base = score[y - span][x - 1]
                    if base + 2.0 > best:
                        sv = join_score(kb[x - 1], joins_a[span][y])
                        if sv >= near and base + 1.0 + sv > best:
                            best, mv = base + 1.0 + sv, (span, 1, 2)
            row[x] = best
            mrow[x] = mv
    steps: list[tuple[int, int, int, int, int]] = []  # (y0, y1, x0, x1, kind)
    y, x = n, m
    while y or x:
        dy, dx, kind = move[y][x]
        steps.append((y - dy, y, x - dx, x, kind))
        y, x = y - dy, x - dx
    steps.reverse()
    return _leftovers(A, B, [(i1 + y0, i1 + y1, j1 + x0, j1 + x1, k)
                             for y0, y1, x0, x1, k in steps])


def _joined(keys: list[str], damaged: list[bool]) -> dict[int, list[str | None]]:
    """For each span 2.._JOIN and end x: the keys ``keys[x - span:x]`` written together
    (``None`` where a damaged token is among them or the span does not fit)."""
    out: dict[int, list[str | None]] = {}
    for span in range(2, _JOIN + 1):
        row: list[str | None] = [None] * (len(keys) + 1)
        for x in range(span, len(keys) + 1):
            if not any(damaged[x - span : x]):
                row[x] = "".join(keys[x - span : x])
        out[span] = row
    return out


def _leftovers(A: _Side, B: _Side, steps: list[tuple[int, int, int, int, int]]) -> list[Opcode]:
    """Steps to opcodes; a stretch between matches holding a whole-token lacuna is one unit."""
    out: list[Opcode] = []
    group: list[tuple[int, int, int, int, int]] = []

    def flush() -> None:
        if not group:
            return
        a1, a2 = group[0][0], group[-1][1]
        b1, b2 = group[0][2], group[-1][3]
        lacuna = any(A.whole[a1:a2]) or any(B.whole[b1:b2])
        if lacuna and a2 > a1 and b2 > b1:
            out.append(("replace", a1, a2, b1, b2))
        else:
            for y0, y1, x0, x1, _ in group:
                out.append(("delete" if x0 == x1 else "insert" if y0 == y1 else "replace",
                            y0, y1, x0, x1))
        group.clear()

    for step in steps:
        y0, y1, x0, x1, kind = step
        if kind == 2 and (any(A.whole[y0:y1]) or any(B.whole[x0:x1])):
            kind = 3  # a whole-token lacuna stands for all the other side has here
        if kind in (1, 2):
            flush()
            out.append(("equal" if kind == 1 else "replace", *step[:4]))
        else:
            group.append(step)
    flush()
    return out


# --------------------------------------------------------------------- many witnesses

_default_norm = lru_cache(maxsize=1 << 17)(normalize.default)


@dataclass
class _Multi:
    ctx: _Context
    sides: dict[str, _Side]
    transpositions: list[Transposition] = field(default_factory=list)


def collate(witnesses: Iterable[WitnessLike], *, near: float | None = 0.7,
            scorer: Scorer | None = None,
            processor: Callable[[str], str] | None = None) -> Collation:
    """Collate witnesses into an alignment table, independent of the order they come in.

    Parameters
    ----------
    witnesses : iterable of str, (id, text) or Witness
        Plain strings (sigla A, B, C, …), ``(id, text)`` pairs, :class:`Witness` objects,
        with ``tokens`` given (e.g. CollateX ``tokens`` input, see :func:`pretokenized`).
    near : float or None
        Similarity in [0, 1] from which two different tokens count as a variant of each
        other (aligned in one column); ``None`` disables fuzzy matching.
    scorer : callable, optional
        ``scorer(s1, s2) -> float`` in [0, 1], higher is more similar; default rapidfuzz's
        ``Levenshtein.normalized_similarity`` (a rapidfuzz scorer may be given as is).
    processor : callable, optional
        Applied to each token's ``norm`` before matching (e.g.
        :func:`collate.normalize.strip_punctuation`).

    Returns
    -------
    Collation
        Columns of token ranges (one per witness, in the order given), transpositions.

    Raises
    ------
    ValueError
        On no witnesses, duplicate witness ids, or a ``near`` outside [0, 1].

    Examples
    --------
    >>> c = collate(["The cat sat on the mat.", "The kat sat on a mat."])
    >>> c.consensus()[:2], c.is_variant(1)
    (['The ', 'cat '], True)
    >>> c.witness_text("B")
    'The kat sat on a mat.'
    """
    with _paused_gc():
        return _collate(list(witnesses), _context(near, scorer, processor))


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Cyclic garbage collection paused: collating allocates millions of acyclic objects
    (tokens, cells), and collector passes over them would make time grow faster than the
    input."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _collate(items: list[Any], ctx: _Context) -> Collation:
    wits = witnesses_from(items)
    if not wits:
        raise ValueError("no witnesses to collate")
    tokens: dict[str, tuple[Token, ...]] = {}
    for w in wits:
        tokens[w.id] = (w.tokens if w.tokens is not None
                        else tuple(tokenize(w.text, normalizer=_default_norm)))
    ids = [w.id for w in wits]
    state = _Multi(ctx, {wid: ctx.side(tokens[wid]) for wid in ids})
    if len(ids) == 1:
        wid = ids[0]
        cols = [((k, k + 1),) for k in range(len(tokens[wid]))]
    else:
        cols = _join_lone(_collate_ranges(state, [(wid, 0, len(tokens[wid])) for wid in ids]))
    moves = sorted(state.transpositions, key=lambda t: (t.a, t.a_range, t.b, t.b_range))
    return Collation(tuple(wits), tokens, tuple(Column(c) for c in cols), tuple(moves))


def _centre(state: _Multi, live: list[tuple[str, int, int]]) -> int:
    """Index in ``live`` of the witness sharing most tokens with the others (ties: smallest id)."""
    bags = [Counter(state.sides[w].keys[lo:hi]) for w, lo, hi in live]
    totals = [0.0] * len(live)
    for x in range(len(live)):
        for y in range(x + 1, len(live)):
            small, big = sorted((bags[x], bags[y]), key=len)
            shared = sum(min(c, big[k]) for k, c in small.items() if k in big)
            score = shared / max(live[x][2] - live[x][1], live[y][2] - live[y][1])
            totals[x] += score
            totals[y] += score
    return min(range(len(live)), key=lambda k: (-round(totals[k], 9), live[k][0]))


def _collate_ranges(state: _Multi,
                    items: list[tuple[str, int, int]]) -> list[tuple[tuple[int, int], ...]]:
    """Columns (cells in ``items`` order) for the token ranges ``(id, lo, hi)``."""
    live = [k for k, (_, lo, hi) in enumerate(items) if hi > lo]
    if not live:
        return []
    if len(live) == 1:
        return [tuple((lo, hi) if k == live[0] else (lo, lo)
                      for k, (_, lo, hi) in enumerate(items))]
    c = live[_centre(state, [items[k] for k in live])]
    cw, clo, chi = items[c]
    size = chi - clo
    merge = bytearray(size + 1)
    left: dict[int, list[int]] = {}
    right: dict[int, list[int]] = {}
    inserted: set[int] = set()
    for k in live:
        if k == c:
            continue
        w, lo, hi = items[k]
        ops = _align(state.ctx, state.sides[cw], state.sides[w], clo, chi, lo, hi)
        state.transpositions.extend(_transpositions(state, cw, w, ops))
        lft, rgt = [-1] * (size + 1), [-1] * (size + 1)
        for tag, i1, i2, j1, j2 in ops:
            p = i1 - clo
            if tag == "insert":
                lft[p], rgt[p] = j1, j2
                inserted.add(p)
                continue
            if lft[p] < 0:
                lft[p] = rgt[p] = j1
            q1, q2 = p + 1, i2 - clo
            if q2 <= q1:
                continue
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                lft[q1:q2] = rgt[q1:q2] = range(j1 + 1, j1 + q2 - p)
            else:
                lft[q1:q2] = rgt[q1:q2] = [j1] * (q2 - q1)
                if tag == "replace":
                    merge[q1:q2] = b"\x01" * (q2 - q1)
        if lft[size] < 0:
            lft[size] = rgt[size] = hi
        left[k], right[k] = lft, rgt
    others = [k for k in range(len(items)) if k != c]
    for k in others:
        if k not in left:
            lo = items[k][1]
            left[k] = right[k] = [lo] * (size + 1)
    bounds = [p for p in range(size + 1) if not merge[p]] if 1 in merge else range(size + 1)
    units = list(pairwise(bounds))
    unit_cols = list(zip(*(
        [(clo + p, clo + q) for p, q in units] if k == c
        else [(right[k][p], left[k][q]) for p, q in units] for k in range(len(items))),
        strict=True))
    if not inserted:
        return unit_cols
    cols: list[tuple[tuple[int, int], ...]] = []
    for n, p in enumerate(bounds):
        if p in inserted:
            sub = [(items[k][0], left[k][p], right[k][p]) if k != c else (cw, clo + p, clo + p)
                   for k in range(len(items))]
            cols.extend(_collate_ranges(state, sub))
        if p < size:
            cols.append(unit_cols[n])
    return cols


def _join_lone(cols: list[tuple[tuple[int, int], ...]]) -> list[tuple[tuple[int, int], ...]]:
    """Neighbouring columns where one and the same witness alone has text become one column,
    so that a passage only one witness has is one unit whether it counts as an insertion
    or as a deletion (which depends on which witness is the centre).

    >>> _join_lone([((0, 1), (0, 0)), ((1, 2), (0, 0)), ((2, 3), (0, 1))])
    [((0, 2), (0, 0)), ((2, 3), (0, 1))]
    """
    out: list[tuple[tuple[int, int], ...]] = []
    prev = -1
    for col in cols:
        lone = -1
        for k, (i, j) in enumerate(col):
            if j > i:
                if lone != -1:
                    lone = -2
                    break
                lone = k
        if lone >= 0 and lone == prev:
            out[-1] = tuple((a[0], b[1]) for a, b in zip(out[-1], col, strict=True))
        else:
            out.append(col)
        prev = lone
    return out


def _transpositions(state: _Multi, a: str, b: str, ops: list[Opcode]) -> list[Transposition]:
    """Blocks of at least MIN_TRANSPOSITION tokens that ``b`` has elsewhere than ``a``."""
    ka, kb = state.sides[a].keys, state.sides[b].keys
    free_a: list[tuple[int, int]] = []
    free_b: list[tuple[int, int]] = []
    op_a: dict[int, int] = {}  # free position -> its opcode (to tell aligned from moved)
    op_b: dict[int, int] = {}
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "equal":
            if i2 > i1:
                free_a.append((i1, i2))
                op_a.update(dict.fromkeys(range(i1, i2), n))
            if j2 > j1:
                free_b.append((j1, j2))
                op_b.update(dict.fromkeys(range(j1, j2), n))
    k = MIN_TRANSPOSITION
    index: dict[tuple[str, ...], list[int]] = {}
    free_pos_b: dict[int, int] = {}  # position -> end of its free run
    for j1, j2 in _runs(free_b):
        for j in range(j1, j2):
            free_pos_b[j] = j2
        for j in range(j1, j2 - k + 1):
            index.setdefault(tuple(kb[j : j + k]), []).append(j)
    if not index:
        return []
    used: set[int] = set()
    found: list[Transposition] = []
    for i1, i2 in _runs(free_a):
        i = i1
        while i <= i2 - k:
            best = (0, 0)
            for j in index.get(tuple(ka[i : i + k]), ()):
                if j in used:
                    continue
                end_b, size = free_pos_b[j], 0
                while (i + size < i2 and j + size < end_b and j + size not in used
                       and ka[i + size] == kb[j + size]):
                    size += 1
                if size > best[0]:
                    best = (size, j)
            size, j = best
            if size >= k and op_a[i] != op_b[j]:
                used.update(range(j, j + size))
                found.append(Transposition(a, (i, i + size), b, (j, j + size)))
                i += size
            else:
                i += 1
    return _join_moves(sorted(found, key=lambda t: t.a_range))


def _join_moves(moves: list[Transposition], slack: int = 2) -> list[Transposition]:
    """Neighbouring pieces of one moved block (split by a changed or lost token) joined.

    >>> _join_moves([Transposition("A", (1, 4), "B", (20, 23)),
    ...              Transposition("A", (5, 9), "B", (23, 27))])
    [Transposition(a='A', a_range=(1, 9), b='B', b_range=(20, 27))]
    """
    out: list[Transposition] = []
    for t in moves:
        if out:
            last = out[-1]
            da = t.a_range[0] - last.a_range[1]
            db = t.b_range[0] - last.b_range[1]
            if 0 <= da <= slack and 0 <= db <= slack:
                out[-1] = Transposition(last.a, (last.a_range[0], t.a_range[1]), last.b,
                                        (last.b_range[0], t.b_range[1]))
                continue
        out.append(t)
    return out


def _runs(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent spans joined."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and out[-1][1] == s:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
