"""Many witnesses: progressive alignment against the table built so far.

Witnesses join the table in the order of a guide tree: first the two most alike (shared
words over the longer witness), then, one at a time, the witness most alike to any already
in the table (ties by id), so the result does not depend on the order the witnesses come
in. Each newcomer is aligned to the table as to one sequence whose positions are its
columns (:func:`profile`): the exact layer matches it against the reading of the witness
closest to it that has one token in the column, the variant layer against every reading, so
a match with any earlier witness counts. Where the newcomer has a token no column holds, a
new column opens; where it reads several tokens for one column, or one token for several
columns, those columns become one.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from collate.alignment.library import Library, anchor_runs, build
from collate.alignment.pairwise import Context, Scorer, Side, context, fill, merge
from collate.alignment.placement import pair_leftovers
from collate.alignment.refinement import drop_empty, regroup, splits
from collate.alignment.sides import Picked
from collate.alignment.transpositions import Swap, swaps, transpositions
from collate.alignment.variants import UNMATCHED
from collate.model import Collation, Columns, Token, Witness, WitnessLike, witnesses_from
from collate.normalize import Normalizer
from collate.tokens import token_columns

REFINE = 2
"""Rounds in which every witness leaves the table and joins it again (with three or more
witnesses of at most :data:`REFINE_TOKENS` tokens in all)."""
REFINE_TOKENS = 50_000
"""Above this many tokens in all, no refinement: witnesses that long share most of their
text, so it changes little (0.05 % of the agreements on Frankenstein) for its cost."""


def collate(witnesses: Iterable[WitnessLike], *, near: float | None = 0.7,
            scorer: Scorer | None = None, processor: Normalizer | None = None) -> Collation:
    """Collate witnesses into an alignment table, independent of the order they come in.

    Parameters
    ----------
    witnesses : iterable of str, (id, text) or Witness
        Plain strings (sigla A, B, C, …), ``(id, text)`` pairs, :class:`Witness` objects,
        with ``tokens`` given (e.g. CollateX ``tokens`` input, see
        :func:`collate.tokens.pretokenized`).
    near : float or None
        Similarity in [0, 1] from which two different tokens count as a variant of each
        other (aligned in one column); ``None`` disables fuzzy matching.
    scorer : callable, optional
        ``scorer(s1, s2) -> float`` in [0, 1], higher is more similar; default rapidfuzz's
        ``Levenshtein.normalized_similarity`` (a rapidfuzz scorer may be given as is).
    processor : callable, optional
        The match level: ``str -> str`` giving every token's ``norm`` in place of
        :data:`collate.normalize.default` (applied to the given ``n`` of pretokenized
        witnesses), e.g. ``collate.normalize.level("case,accents")``. Readings that differ
        only below it are the same reading: aligned as equal, not variants.

    Returns
    -------
    Collation
        Columns of token ranges (one per witness, in the order given), transpositions
        between any two witnesses.

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
    >>> from collate.normalize import level
    >>> c = collate(["Ἐν ἀρχῇ ἦν", "εν αρχη ην"], processor=level("case,accents"))
    >>> c.variants()
    [False, False, False]
    """
    ctx = context(near, scorer, None)
    with paused_gc():
        wits = witnesses_from(witnesses)
        if not wits:
            raise ValueError("no witnesses to collate")
        tokens = {w.id: _tokens(w, processor) for w in wits}
        return _collate(ctx, wits, tokens)


def _tokens(w: Witness, processor: Normalizer | None) -> Sequence[Token]:
    """A witness's tokens, their norms at the chosen level (as columns where tokenized here)."""
    if w.tokens is None:
        return token_columns(w.text, normalizer=processor)
    if processor is None:
        return w.tokens
    return tuple(Token(t.text, t.ws, processor(t.norm), t.start, t.end, t.lacunae)
                 for t in w.tokens)


@contextmanager
def paused_gc() -> Iterator[None]:
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


def _collate(ctx: Context, wits: list[Witness], tokens: dict[str, tuple[Token, ...]]
             ) -> Collation:
    ids = [w.id for w in wits]
    if len(ids) == 1:  # nothing to align: one column per token
        bounds = np.arange(len(tokens[ids[0]]) + 1)
        return Collation(tuple(wits), tokens, Columns(_cells({ids[0]: bounds}, ids)))
    sides = {wid: ctx.side(tokens[wid]) for wid in ids}
    lib = build(ctx, sides)
    order, prefs = guide_order(ids, lib.similarity)
    first = order[0]
    table = {first: np.arange(len(tokens[first]) + 1)}
    for wid in order[1:]:
        if len(table) == 1:
            table = _add(table, wid, lib.pair(first, wid), len(sides[wid].ids))
        else:
            table = _join(ctx, lib, table, wid, prefs[wid])
    small = sum(len(s.ids) for s in sides.values()) <= REFINE_TOKENS
    for _ in range(REFINE if len(order) > 2 and small else 0):
        for wid in order:  # each again, now that every other witness votes where it goes
            table = _join(ctx, lib, _remove(table, wid), wid, prefs[wid])
    if len(order) > 2 and small:
        table = regroup(lib, table, splits(prefs))
    moves = transpositions(table, ids, sides)
    swapped = swaps(table, moves, sides)
    if swapped:
        table = _relay(ctx, lib, table, order, prefs, swapped)
        moves = transpositions(table, ids, sides)
    columns = Columns(join_lone(_cells(table, ids)))
    return Collation(tuple(wits), tokens, columns, tuple(moves))


def _join(ctx: Context, lib: Library, table: dict[str, np.ndarray], wid: str,
          prefs: Sequence[str], moved: frozenset[int] = frozenset(),
          allies: frozenset[str] | None = None,
          reserved: frozenset[int] = frozenset()) -> dict[str, np.ndarray]:
    """The table with ``wid`` aligned to it and placed in it. With ``allies``, its tokens in
    ``moved`` (all of them if ``moved`` is empty) are placed by the votes of ``allies``
    alone, and those in ``moved`` match nothing else: they stand opposite whatever is in
    their place; the columns ``reserved`` (the other side's copies of the swapped blocks)
    match none of its tokens either, so a word added inside the swap does not pair with
    one of them."""
    side = lib.sides[wid]
    prof = profile(ctx, table, lib.sides, [w for w in prefs if w in table], reserved)
    guarded = moved or frozenset(range(len(side.ids))) if allies is not None else moved
    runs = anchor_runs(lib, table, wid, guarded, allies or frozenset())
    if moved:
        side = _unmatched(ctx, side, moved)
    ops = fill(ctx, prof, side, runs, 0, len(prof.ids), 0, len(side.ids))
    return _add(table, wid, pair_leftovers(ctx, prof, side, merge(ops)), len(side.ids))


def _unmatched(ctx: Context, side: Side, moved: frozenset[int]) -> Side:
    """The side with the tokens in ``moved`` matching nothing, not even as near matches."""
    keys, ids = list(side.keys), list(side.ids)
    for k in moved:
        keys[k], ids[k] = f"{UNMATCHED}{k}", ctx.fresh_id()
    return Side(side.tokens, keys, ids, side.damaged, side.whole, side.punct)


def _relay(ctx: Context, lib: Library, table: dict[str, np.ndarray], order: list[str],
           prefs: dict[str, list[str]], pending: list[Swap]) -> dict[str, np.ndarray]:
    """The table with the swaps drawn side by side. The witness with the most swaps (the
    latest to join on a tie) and those on its side of them (:func:`_side`) leave the table
    and join it again one by one, that witness first, their swapped blocks and what those
    cross placed by the votes of their own side alone, else matching nothing (a witness
    of the side in no swap: all its tokens placed by its side); until no swap is left. Witnesses
    keep their old places where the new ones keep fewer of their pairwise agreements (in
    one column, or inside a block reported as moved between the two).

    >>> from collate.alignment import collate
    >>> c = collate(["the black dog chases a red cat", "a red cat chases the black dog"])
    >>> [(c.reading(k, "A").strip(), c.reading(k, "B").strip()) for k in range(4)]
    [('the', 'a'), ('black', 'red'), ('dog', 'cat'), ('chases', 'chases')]
    """
    while pending:
        count = Counter(w for t, _, _ in pending for w in (t.a, t.b))
        first = max(order, key=lambda w: (count[w], order.index(w)))
        side = _side(pending, first, prefs)
        moved: dict[str, set[int]] = {w: set() for w in side}
        facing: dict[str, set[tuple[str, int]]] = {w: set() for w in side}
        for t, cross_a, cross_b in pending:
            if t.a in side and t.b not in side:
                moved[t.a].update(range(*t.a_range), cross_a)
                facing[t.a].update((t.b, i) for i in [*range(*t.b_range), *cross_b])
            elif t.b in side and t.a not in side:
                moved[t.b].update(range(*t.b_range), cross_b)
                facing[t.b].update((t.a, i) for i in [*range(*t.a_range), *cross_a])
        pending = [p for p in pending if p[0].a not in side and p[0].b not in side]
        new = table
        for wid in side:
            new = _remove(new, wid)
        for wid in [first] + [w for w in order if w in side and w != first]:
            reserved = frozenset(int(np.searchsorted(new[w], i, side="right")) - 1
                                 for w, i in facing[wid] if w in new)
            new = _join(ctx, lib, new, wid, prefs[wid], frozenset(moved[wid]), side, reserved)
        if sum(kept(lib, new, w) for w in side) >= sum(kept(lib, table, w) for w in side):
            table = new
    return table


def _side(pending: list[Swap], first: str, prefs: dict[str, list[str]]) -> frozenset[str]:
    """``first`` and the witnesses on its side of the swaps: those reached from it through an
    even number of swaps (each swap joins two witnesses that read the blocks in opposite
    orders), and each witness in no swap whose most similar witness in one is on that side.

    >>> from collate.model import Transposition as T
    >>> swaps = [(T("A", (0, 3), "B", (4, 7)), [], []), (T("B", (0, 3), "D", (4, 7)), [], [])]
    >>> prefs = {"A": ["D", "C", "B"], "B": ["C", "A", "D"], "C": ["B", "A", "D"],
    ...          "D": ["A", "C", "B"]}
    >>> sorted(_side(swaps, "A", prefs)), sorted(_side(swaps, "B", prefs))
    (['A', 'D'], ['B', 'C'])
    """
    links: dict[str, set[str]] = {}
    for t, _, _ in pending:
        links.setdefault(t.a, set()).add(t.b)
        links.setdefault(t.b, set()).add(t.a)
    parity = {first: 0}
    todo = [first]
    while todo:
        w = todo.pop()
        for v in sorted(links.get(w, ())):
            if v not in parity:
                parity[v] = 1 - parity[w]
                todo.append(v)
    near = {w: next((v for v in prefs[w] if v in parity), None)
            for w in prefs if w not in links}
    return frozenset([w for w, p in parity.items() if p == 0]
                     + [w for w, v in near.items() if v is not None and parity[v] == 0])


def kept(lib: Library, table: dict[str, np.ndarray], wid: str) -> int:
    """How many of the token pairs the pairwise alignments of ``wid`` find equal the table
    keeps: in one column, or inside a block reported as moved between the two (the one
    token inside the block's copy in one witness, the other inside its copy in the other)."""
    cols = {w: np.repeat(np.arange(len(b) - 1), np.diff(b)) for w, b in table.items()}
    out = 0
    for v in table:
        if v == wid:
            continue
        a, b = sorted((wid, v))
        moves = transpositions({a: table[a], b: table[b]}, [a, b], lib.sides)
        for tag, i1, i2, j1, j2 in lib.pair(a, b):
            if tag == "equal":
                same = cols[a][i1:i2] == cols[b][j1:j2]
                out += int(same.sum()) + sum(
                    any(t.a_range[0] <= i < t.a_range[1] and t.b_range[0] <= j < t.b_range[1]
                        for t in moves)
                    for i, j, s in zip(range(i1, i2), range(j1, j2), same, strict=True) if not s)
    return out


def _remove(table: dict[str, np.ndarray], wid: str) -> dict[str, np.ndarray]:
    """The table without witness ``wid`` (and without the columns only it had text in)."""
    return drop_empty({w: b for w, b in table.items() if w != wid})


def _cells(table: dict[str, np.ndarray], ids: list[str]) -> np.ndarray:
    """The table's cells, columns x witnesses (in ``ids`` order) x (start, end)."""
    bounds = np.stack([np.asarray(table[w], dtype=np.int64) for w in ids], axis=1)
    return np.stack([bounds[:-1], bounds[1:]], axis=2)


# ------------------------------------------------------------------------- guide tree


def guide_order(ids: Sequence[str], similarity: Callable[[str, str], float]
                ) -> tuple[list[str], dict[str, list[str]]]:
    """The order witnesses join the table, and for each the others, most similar first.

    The two most similar start; then, one at a time, the witness most similar to any
    already in (ties by id), so the order does not depend on the order of ``ids``.

    >>> sim = {frozenset("AB"): 0.9, frozenset("AC"): 0.2, frozenset("BC"): 0.5}
    >>> guide_order(["C", "B", "A"], lambda a, b: sim[frozenset((a, b))])
    (['A', 'B', 'C'], {'A': ['B', 'C'], 'B': ['A', 'C'], 'C': ['B', 'A']})
    """
    ids = sorted(ids)
    if len(ids) == 1:
        return ids, {ids[0]: []}
    sim = {}
    for x, a in enumerate(ids):
        for b in ids[x + 1:]:
            sim[a, b] = sim[b, a] = similarity(a, b)
    order = list(min(((a, b) for a in ids for b in ids if a < b), key=lambda p: (-sim[p], p)))
    rest = [w for w in ids if w not in order]
    while rest:
        nxt = min(rest, key=lambda w: (-max(sim[w, t] for t in order), w))
        order.append(nxt)
        rest.remove(nxt)
    prefs = {w: sorted((t for t in ids if t != w), key=lambda t, w=w: (-sim[w, t], t))
             for w in ids}
    return order, prefs


# -------------------------------------------------------------------------- profile


@dataclass
class _Alts:
    """The keys of every reading in each column, computed for the columns asked for."""

    table: dict[str, np.ndarray]
    sides: dict[str, Side]
    masked: frozenset[int] = frozenset()
    seen: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def __getitem__(self, cols: slice) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = []
        for c in range(*cols.indices(len(next(iter(self.table.values()))) - 1)):
            if c not in self.seen:
                self.seen[c] = self._column(c)
            out.append(self.seen[c])
        return out

    def _column(self, c: int) -> tuple[str, ...]:
        if c in self.masked:
            return (f"{UNMATCHED}c{c}",)
        keys: list[str] = []
        for w, b in self.table.items():
            i, j = int(b[c]), int(b[c + 1])
            if j - i == 1 and not self.sides[w].damaged[i]:
                key = self.sides[w].keys[i]
                if key not in keys:
                    keys.append(key)
        return tuple(keys) or ("\x00",)


def profile(ctx: Context, table: dict[str, np.ndarray], sides: dict[str, Side],
            prefs: Sequence[str], masked: frozenset[int] = frozenset()) -> Side:
    """The table as one sequence to align to: one position per column.

    Each column is represented by the reading most witnesses have as one intact token
    there, ties going to the witness first in ``prefs`` (where none has one: the first with
    one damaged token, else a reading of several tokens, which matches nothing exactly);
    ``alts`` gives the variant layer every reading. The columns ``masked`` match nothing.
    """
    masks = _rep_masks(table, sides, prefs)
    rep_w = _majority(table, sides, prefs, masks[0])
    for pick in masks[1:]:
        if (rep_w >= 0).all():
            break
        for k in range(len(prefs)):
            free = (rep_w < 0) & pick[k]
            rep_w[free] = k
    fields: dict[str, np.ndarray] = {}
    index = np.zeros(len(rep_w), dtype=np.int64)  # the column's token in its witness
    for k, w in enumerate(prefs):
        mine = np.flatnonzero(rep_w == k)
        at = index[mine] = table[w][mine]
        for name, values in sides[w].arrays.items():
            if name not in fields:
                fields[name] = np.empty(len(rep_w), dtype=values.dtype)
            fields[name][mine] = values[at]
        several = mine[(table[w][mine + 1] - at) != 1]
        fields["ids"][several] = [ctx.fresh_id() for _ in range(len(several))]
    keys, ids, damaged, whole, punct = (fields[name].tolist() for name in (
        "keys", "ids", "damaged", "whole", "punct"))
    for c in masked:
        keys[c], ids[c] = f"{UNMATCHED}c{c}", ctx.fresh_id()
    toks = Picked([sides[w].tokens for w in prefs], rep_w, index)
    side = Side(toks, keys, ids, damaged, whole, punct)
    side.alts = _Alts(table, sides, masked)  # type: ignore[assignment]
    return side


def _majority(table: dict[str, np.ndarray], sides: dict[str, Side], prefs: Sequence[str],
              intact: list[np.ndarray]) -> np.ndarray:
    """Per column, the index in ``prefs`` of a witness with the majority reading (-1: none)."""
    ncols = len(intact[0])
    ids = []
    for k, w in enumerate(prefs):
        own = np.asarray([*sides[w].ids, 0], dtype=np.int64)[table[w][:-1]]
        ids.append(np.where(intact[k], own, np.int64(-(1 << 40)) - k))
    best = np.full(ncols, -1, dtype=np.int64)
    best_votes = np.zeros(ncols, dtype=np.int64)
    for k in range(len(prefs)):
        votes = sum((ids[v] == ids[k]).astype(np.int64) for v in range(len(prefs)))
        better = intact[k] & (votes > best_votes)
        best[better] = k
        best_votes[better] = votes[better]
    return best


def _rep_masks(table: dict[str, np.ndarray], sides: dict[str, Side],
               prefs: Sequence[str]) -> list[list[np.ndarray]]:
    """Per witness in ``prefs``: columns where it has one intact token; one token; any."""
    one, intact, some = [], [], []
    for w in prefs:
        b = table[w]
        lens = np.diff(b)
        bad = np.asarray([*sides[w].damaged, False], dtype=bool)[b[:-1]]
        one.append(lens == 1)
        intact.append((lens == 1) & ~bad)
        some.append(lens > 0)
    return [intact, one, some]


def _add(table: dict[str, np.ndarray], wid: str, ops: list[tuple[str, int, int, int, int]],
         size: int) -> dict[str, np.ndarray]:
    """The table with witness ``wid`` placed in it by ``ops`` (columns against its tokens).

    Each opcode gives new columns: one per inserted token (all after old column ``c1``), one
    per deleted column (the newcomer's cell empty at ``j1``), one per pair of an equal-length
    ``equal``/``replace``, and one for several columns against several tokens.

    >>> _add({"A": np.array([0, 1, 2])}, "B", [("equal", 0, 1, 0, 1), ("insert", 1, 1, 1, 3),
    ...                                          ("replace", 1, 2, 3, 5)], 5)["B"].tolist()
    [0, 1, 2, 3, 5]
    """
    bounds = np.array([op[1:] for op in ops], dtype=np.int64).reshape(-1, 4)
    c1, c2, j1, j2 = bounds.T
    tags = np.array([op[0] for op in ops], dtype=object)
    ins, dele = tags == "insert", tags == "delete"
    pairs = ~ins & ~dele & (c2 - c1 == j2 - j1)
    n = np.where(ins, j2 - j1, np.where(dele | pairs, c2 - c1, 1))  # new columns per opcode
    step = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)  # 0, 1, ... in each
    src = np.repeat(c1, n) + step * np.repeat(dele | pairs, n)  # the old column it comes from
    mine = np.repeat(j1, n) + step * np.repeat(ins | pairs, n)  # the newcomer's cell start
    idx = np.append(src, len(next(iter(table.values()))) - 1)
    out = {w: b[idx] for w, b in table.items()}
    out[wid] = np.append(mine, size)
    return out


def join_lone(cells: np.ndarray) -> np.ndarray:
    """Neighbouring columns where one and the same witness alone has text become one column,
    so that a passage only one witness has is one unit (``cells``: columns x witnesses x
    (start, end)).

    >>> join_lone(np.array([[(0, 1), (0, 0)], [(1, 2), (0, 0)], [(2, 3), (0, 1)]])).tolist()
    [[[0, 2], [0, 0]], [[2, 3], [0, 1]]]
    """
    if len(cells) == 0:
        return cells
    full = cells[:, :, 1] > cells[:, :, 0]
    lone = np.where(full.sum(axis=1) == 1, full.argmax(axis=1), -1)
    keep = np.ones(len(cells), dtype=bool)
    keep[1:] = ~((lone[1:] >= 0) & (lone[1:] == lone[:-1]))
    first = np.flatnonzero(keep)
    last = np.append(first[1:] - 1, len(cells) - 1)
    return np.stack([cells[first, :, 0], cells[last, :, 1]], axis=2)
