"""Rule 2 for two witnesses: each one-sided gap as far left as the columns before it allow.

The word layer breaks ties between equally long alignments by the fewest runs, which leaves
a gap on the right of a variant column standing between two runs (``of the departure of the
sons of`` against ``of the children of``: the gap after ``of``, where rule 2 puts it before
``of the``). :func:`left_gaps` moves each gap left, one column at a time, as long as every
column it passes keeps its type: an equal pair stays equal and a leftover pair (two intact
words, or two punctuation marks, less similar than ``near``) stays a leftover pair. Near
matches, lacuna fits, split words and gaps stop it, so rule 1's value never drops: the
matched weight is the same, no gap is opened (one that closes the witnesses stays put) and
the leftover pairs are as many. Their ``0.01 × similarity`` term is not weighed here: below
the near threshold similarity says nothing of which words correspond, so it never holds a
gap to the right.
"""

from __future__ import annotations

from collate.alignment.sides import Context, Opcode, Side


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
    worst, best = ctx.bounds
    sim = max((ctx.scorer(x, y) - worst) / (best - worst) for x in ka for y in kb)
    return "leftover" if sim < ctx.near else None

