"""Rule 2 for two witnesses: each one-sided gap as far left as the columns before it allow.

The word layer breaks ties between equally long alignments by the fewest runs, which leaves
a gap on the right of a variant column standing between two runs (``of the departure of the
sons of`` against ``of the children of``: the gap after ``of``, where rule 2 puts it before
``of the``). :func:`left_gaps` moves each gap left, one column at a time, as long as every
column it passes keeps its type: an equal pair stays equal and a leftover pair (two intact
words, or two punctuation marks, less similar than ``near``) stays a leftover pair. Near
matches, lacuna fits, split words and gaps stop it, so rule 1's value never drops: the
matched weight is the same, no gap is opened (one that closes the witnesses stays put) and
the leftover pairs are as many.

Then :func:`pair_leftovers` lays each stretch of leftovers with one gap in it anew: the
leftovers pair as similarly as they can (their ``0.01 × similarity`` summed), and of equally
similar layouts they pair from the start of the stretch, the witness's extra words after
them, as CollateX lays variants (``over this dog`` against ``over that there dog``: ``this``
opposite ``that``; ``This very quick very quick`` against ``That very quick``: ``This``
opposite ``That``). Of two crossing runs as long, :func:`first_in_place` matches the one
earlier in the first witness.
"""

from __future__ import annotations

from collate.alignment.sides import Context, Opcode, Side
from collate.alignment.variants import TIE, similarity


def left_gaps(ctx: Context, A: Side, B: Side, ops: list[Opcode]) -> list[Opcode]:
    """``ops`` (tiling ``A`` and ``B``, merged) with each one-sided gap moved left (linear
    in the columns moved); the columns passed come back one by one, for ``merge`` to join.

    >>> from collate.alignment.pairwise import context, merge
    >>> from collate.tokens import tokenize
    >>> ctx = context(0.7, None, None)
    >>> a, b = (ctx.side(tokenize(t)) for t in ("x of the P of the Q of y", "x of the R of y"))
    >>> merge(left_gaps(ctx, a, b, [("equal", 0, 3, 0, 3), ("replace", 3, 4, 3, 4),
    ...                             ("equal", 4, 5, 4, 5), ("delete", 5, 8, 5, 5),
    ...                             ("equal", 8, 9, 5, 6)]))  # doctest: +NORMALIZE_WHITESPACE
    [('equal', 0, 1, 0, 1), ('delete', 1, 4, 1, 1), ('equal', 4, 6, 1, 3),
     ('replace', 6, 7, 3, 4), ('equal', 7, 9, 4, 6)]
    """
    out: list[Opcode] = []
    ends = len(A.ids), len(B.ids)
    for op in ops:
        if op[0] in ("delete", "insert") and (op[2], op[4]) != ends:
            op, passed = _shift(ctx, A, B, out, op)
            out.append(op)
            out.extend(passed)
        else:
            out.append(op)
    return out


def _shift(ctx: Context, A: Side, B: Side, out: list[Opcode],
           op: Opcode) -> tuple[Opcode, list[Opcode]]:
    """The gap ``op`` moved left over the tail of ``out`` (which loses the columns passed),
    and the columns it passed, in their new places after it."""
    tag, i1, i2, j1, j2 = op
    on_a = tag == "delete"
    g = i2 - i1 if on_a else j2 - j1
    s, t = (i1, j1) if on_a else (j1, i1)  # gap start on its side, position on the other

    def kind(x: int, y: int) -> str | None:  # gap side x, other side y
        return _kind(ctx, A, B, x, y) if on_a else _kind(ctx, A, B, y, x)

    passed: list[str] = []  # the types of the columns passed, right to left
    while out:
        ptag, a1, a2, b1, b2 = out[-1]
        size = a2 - a1
        if ptag == "equal":
            k = 0
            while k < size and kind(s - 1 - k + g, t - 1 - k) == "equal":
                k += 1
        elif ptag == "replace" and size == 1 and b2 - b1 == 1:
            here = kind(a1, b1) if on_a else kind(b1, a1)
            k = int(here == kind(s - 1 + g, t - 1) == "leftover")
        else:
            break
        if not k:
            break
        passed += [ptag] * k
        s, t = s - k, t - k
        if k < size:
            out[-1] = (ptag, a1, a2 - k, b1, b2 - k)
            break
        out.pop()
    gap_op: Opcode = ("delete", s, s + g, t, t) if on_a else ("insert", t, t, s, s + g)
    cols: list[Opcode] = []
    x, y = s + g, t
    for ptag in reversed(passed):
        cols.append((ptag, x, x + 1, y, y + 1) if on_a else (ptag, y, y + 1, x, x + 1))
        x, y = x + 1, y + 1
    return gap_op, cols


def first_in_place(A: Side, B: Side, ops: list[Opcode]) -> list[Opcode]:
    """``ops`` with each tie between two crossing runs of equal tokens broken for the first
    witness ``A``: where ``A`` reads ``P Q`` and ``B`` reads ``Q P`` (``P`` and ``Q`` as long,
    with as many words), ``P`` is matched and ``B``'s ``Q`` stands first, as an addition
    before it, the way CollateX lays ``a b c`` against ``b a c``; matching ``Q`` keeps as many
    tokens and opens the gaps in the same columns, so rules 1 and 2 cannot choose.

    >>> from collate.alignment.pairwise import context, merge
    >>> from collate.tokens import tokenize
    >>> ctx = context(0.7, None, None)
    >>> a, b = (ctx.side(tokenize(t)) for t in ("x three four y", "x four three y"))
    >>> merge(first_in_place(a, b, [("equal", 0, 1, 0, 1), ("delete", 1, 2, 1, 1),
    ...     ("equal", 2, 3, 1, 2), ("insert", 3, 3, 2, 3), ("equal", 3, 4, 3, 4)]))
    ... # doctest: +NORMALIZE_WHITESPACE
    [('equal', 0, 1, 0, 1), ('insert', 1, 1, 1, 2), ('equal', 1, 2, 2, 3),
     ('delete', 2, 3, 3, 3), ('equal', 3, 4, 3, 4)]
    """
    out = list(ops)
    for k in range(len(out) - 2):
        (t1, a1, a2, b1, _), (t2, _, c2, _, d2), (t3, _, _, _, f2) = out[k : k + 3]
        if (t1, t2, t3) == ("delete", "equal", "insert") and a2 - a1 == c2 - a2 == f2 - d2 \
                and A.ids[a1:a2] == B.ids[d2:f2] \
                and sum(A.punct[a1:a2]) == sum(A.punct[a2:c2]):
            out[k : k + 3] = [("insert", a1, a1, b1, d2), ("equal", a1, a2, d2, f2),
                              ("delete", a2, c2, f2, f2)]
    return out


def pair_leftovers(ctx: Context, A: Side, B: Side, ops: list[Opcode]) -> list[Opcode]:
    """``ops`` (merged) with each stretch of leftover pairs and one one-sided gap laid anew:
    the gap where the leftovers pair most similarly, of equal layouts the rightmost (the
    leftovers paired from the start of the stretch). Only leftover pairs are made, so the
    matches, near matches and lacuna fits stay as they are.

    >>> from collate.alignment.pairwise import context, merge
    >>> from collate.tokens import tokenize
    >>> ctx = context(0.7, None, None)
    >>> a, b = (ctx.side(tokenize(t)) for t in ("over this dog", "over that there dog"))
    >>> pair_leftovers(ctx, a, b, [("equal", 0, 1, 0, 1), ("insert", 1, 1, 1, 2),
    ...     ("replace", 1, 2, 2, 3), ("equal", 2, 3, 3, 4)])  # doctest: +NORMALIZE_WHITESPACE
    [('equal', 0, 1, 0, 1), ('replace', 1, 2, 1, 2), ('insert', 2, 2, 2, 3),
     ('equal', 2, 3, 3, 4)]
    """
    out: list[Opcode] = []
    run: list[Opcode] = []  # one-to-one pairs and gaps; only a run with a gap is scored
    gapped = False
    value = _Values(ctx, A, B)
    for op in [*ops, ("equal", 0, 0, 0, 0)]:
        tag, i1, i2, j1, j2 = op
        if tag in ("delete", "insert"):
            run.append(op)
            gapped = True
            continue
        if tag == "replace" and i2 - i1 == j2 - j1 == 1:
            run.append(op)
            continue
        if gapped and len(run) > 1:
            out += _split(value, run)
        else:
            out += run
        out.append(op)
        run, gapped = [], False
    return out[:-1]


def _split(value: _Values, run: list[Opcode]) -> list[Opcode]:
    """A run of one-to-one pairs and gaps, each stretch of it between pairs that are no
    leftovers (near matches) laid anew."""
    out: list[Opcode] = []
    n = 0
    while n < len(run):
        e = n
        while e < len(run) and (run[e][0] != "replace" or value(run[e][1], run[e][3])
                                is not None):
            e += 1
        out += _relaid(value, run[n:e]) if e > n else []
        if e < len(run):
            out.append(run[e])
        n = e + 1
    return out


class _Values:
    """The similarity of ``A[i]`` and ``B[j]`` where they would be a leftover pair (two
    words, or two punctuation marks, not alike), else ``None``; each pair scored once."""

    def __init__(self, ctx: Context, A: Side, B: Side) -> None:
        self.ctx, self.A, self.B = ctx, A, B
        self.seen: dict[tuple[int, int], float | None] = {}

    def __call__(self, i: int, j: int) -> float | None:
        if (i, j) not in self.seen:
            ctx, A, B = self.ctx, self.A, self.B
            self.seen[i, j] = (_similarity(ctx, A, B, i, j)
                               if _kind(ctx, A, B, i, j) == "leftover" else None)
        return self.seen[i, j]


def _relaid(value: _Values, seg: list[Opcode]) -> list[Opcode]:
    """One stretch of leftover pairs and gaps, laid anew where it holds one gap (linear in
    its length: each pair is scored before and after the gap once)."""
    gaps = [op for op in seg if op[0] != "replace"]
    if len(gaps) != 1:
        return seg
    on_a = gaps[0][0] == "delete"
    g = gaps[0][2] - gaps[0][1] if on_a else gaps[0][4] - gaps[0][3]
    a0, b0 = seg[0][1], seg[0][3]
    n = len(seg) - 1  # leftover pairs

    def pair(x: int, shifted: bool) -> tuple[int, int]:  # the x-th pair, before or after the gap
        skip = g if shifted else 0
        return (a0 + x + skip, b0 + x) if on_a else (a0 + x, b0 + x + skip)

    before = [value(*pair(x, False)) for x in range(n)]
    after = [value(*pair(x, True)) for x in range(n)]
    tail = [0.0] * (n + 1)  # the pairs from x on, after the gap (None: one is no leftover)
    for x in range(n - 1, -1, -1):
        tail[x] = None if after[x] is None or tail[x + 1] is None else after[x] + tail[x + 1]
    best, where, head = -1.0, 0, 0.0
    for p in range(n + 1):  # the gap after p pairs
        if head is None:
            break
        if tail[p] is not None and head + tail[p] >= best - TIE:
            best, where = max(best, head + tail[p]), p
        if p < n:
            head = None if before[p] is None else head + before[p]
    out: list[Opcode] = []
    for x in range(n + 1):
        if x == where:
            i, j = a0 + x, b0 + x
            out.append(("delete", i, i + g, j, j) if on_a else ("insert", i, i, j, j + g))
        if x < n:
            i, j = pair(x, x >= where)
            out.append(("replace", i, i + 1, j, j + 1))
    return out


def _kind(ctx: Context, A: Side, B: Side, i: int, j: int) -> str | None:
    """``equal`` or ``leftover`` for the pair ``A[i]``/``B[j]``; ``None`` for any other
    (a near match, a damaged token, a word against punctuation)."""
    if A.damaged[i] or B.damaged[j] or A.punct[i] != B.punct[j]:
        return None
    ka, kb = A.keys_at(i), B.keys_at(j)
    if A.ids[i] == B.ids[j] or any(k in ka for k in kb):
        return "equal"
    if A.punct[i] or ctx.near is None:
        return "leftover"
    return "leftover" if _similarity(ctx, A, B, i, j) < ctx.near else None


def _similarity(ctx: Context, A: Side, B: Side, i: int, j: int) -> float:
    """How alike ``A[i]`` and ``B[j]`` are, on the scorer's unit interval (0 without near
    matching, where leftovers pair by place alone), by the variant layer's rule
    (:func:`~collate.alignment.variants.scores`), so the placeholder keys of a swap laid
    side by side pair one to one whatever their numbers."""
    if ctx.near is None:
        return 0.0
    return max(similarity(ctx, x, y) for x in A.keys_at(i) for y in B.keys_at(j))
