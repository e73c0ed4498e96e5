"""Transpositions: blocks that two witnesses both have, each in another place.

For every pair of witnesses, the tokens the table does not align as equal between them are
searched for shared runs of at least :data:`MIN_TRANSPOSITION` tokens; a run is a move when
its two copies do not stand in the same stretch of differences (which would be a variant in
place, not a move), or stand in one stretch in columns apart and near each other's place (two
neighbouring blocks that swap places, drawn side by side with nothing aligned between them).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from collate.model import Transposition

if TYPE_CHECKING:
    from collate.alignment.pairwise import Side

MIN_TRANSPOSITION = 3
"""Fewest tokens in a block reported as a transposition."""
MIN_SWAP = 2
"""Fewest tokens in a block reported as moved where it swaps places with a neighbouring block
(see :func:`pair_swaps`)."""
SWAP_REACH = 3 * (2 * MIN_SWAP + 1)
"""How far (in tokens) from each other's place the two copies of such a block can stand: a
block shorter than a move (two pieces shorter than :data:`MIN_TRANSPOSITION` round one added
word), a neighbour and a middle no longer than it."""

Swap = tuple[Transposition, list[int], list[int]]
"""A move drawn as a swap, with the tokens of each of its witnesses that it crosses."""


def transpositions(table: dict[str, np.ndarray], ids: list[str],
                   sides: dict[str, Side]) -> list[Transposition]:
    """Moved blocks between every two witnesses (``a`` before ``b`` by id), sorted.

    ``table`` gives each witness's column boundaries (cell ``c`` is ``b[c]:b[c + 1]``).
    """
    found: list[Transposition] = []
    for a, b in combinations(sorted(ids), 2):
        ka, kb = sides[a].keys, sides[b].keys
        free_a, free_b = _free(table[a], table[b], sides[a], sides[b])
        bounds = table[a], table[b]
        moves = moves_between(a, b, ka, kb, free_a, free_b, bounds)
        moves += pair_swaps(a, b, ka, kb, free_a, free_b, bounds, _taken(moves))
        found += widen(moves, ka, kb, free_a, free_b)
    return sorted(found, key=lambda t: (t.a, t.a_range, t.b, t.b_range))


def widen(moves: list[Transposition], ka: list[str], kb: list[str], free_a: dict[int, int],
          free_b: dict[int, int]) -> list[Transposition]:
    """Each move with the one equal token just before its two copies, and the one just after,
    taken in, where each of the two stands in place opposite an equal token (is not free)
    and is in no other move: ``the big brown bear`` swapped with ``the little grey wolf``,
    each ``the`` in place opposite a ``the``, is the block moved, not ``big brown bear``.

    >>> keys = "first the big brown bear and then the little grey wolf".split()
    >>> other = "first the little grey wolf and then the big brown bear".split()
    >>> free = dict.fromkeys([2, 3, 4, 8, 9, 10], 0)  # the big brown bear ... side by side
    >>> widen([Transposition("A", (2, 5), "B", (8, 11))], keys, other, free, free)
    [Transposition(a='A', a_range=(1, 5), b='B', b_range=(7, 11))]
    """
    taken_a, taken_b = _taken(moves)

    def fixed(i: int, j: int) -> bool:  # two equal tokens in place, in no move
        return (0 <= i < len(ka) and 0 <= j < len(kb) and ka[i] == kb[j]
                and i not in free_a and j not in free_b and i not in taken_a
                and j not in taken_b)

    out: list[Transposition] = []
    for t in moves:
        (i1, i2), (j1, j2) = t.a_range, t.b_range
        if fixed(i1 - 1, j1 - 1):
            i1, j1 = i1 - 1, j1 - 1
        if fixed(i2, j2):
            i2, j2 = i2 + 1, j2 + 1
        taken_a.update((i1, i2 - 1))
        taken_b.update((j1, j2 - 1))
        out.append(Transposition(t.a, (i1, i2), t.b, (j1, j2)))
    return out


def _taken(moves: list[Transposition]) -> tuple[set[int], set[int]]:
    """The tokens of each witness that ``moves`` cover."""
    return ({i for t in moves for i in range(*t.a_range)},
            {j for t in moves for j in range(*t.b_range)})


def swaps(table: dict[str, np.ndarray], moves: list[Transposition],
          sides: dict[str, Side]) -> list[Swap]:
    """The moves that swap places with what they cross: a moved block whose two copies have
    no more tokens aligned as equal in place between them (one witness's before the block,
    the other's after it) than the block has, and one of whose copies stands against nothing
    of the other witness (where each stands opposite the other's text, as ``quick brown fox``
    and ``lazy dog`` round ``jumps over the``, the swap is drawn side by side already). Such
    a block and what it crosses (every token standing one to one in a column, equal or not)
    are to be drawn side by side, as editors read a transposition, not each against a gap.

    >>> from collate.alignment.pairwise import context
    >>> from collate.tokens import tokenize
    >>> ctx = context(0.7, None, None)
    >>> sides = {"A": ctx.side(tokenize("the black dog chases a red cat")),
    ...          "B": ctx.side(tokenize("a red cat chases the black dog"))}
    >>> table = {"A": np.array([0, 0, 1, 2, 3, 7]),  # · | the | black | dog | chases a red cat
    ...          "B": np.array([0, 4, 5, 6, 7, 7])}  # a red cat chases | the | black | dog | ·
    >>> swaps(table, [Transposition("A", (4, 7), "B", (0, 3))], sides)
    [(Transposition(a='A', a_range=(4, 7), b='B', b_range=(0, 3)), [0, 1, 2], [4, 5, 6])]
    """
    out: list[Swap] = []
    in_place: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    opposite: dict[tuple[str, str], tuple[dict[int, int], dict[int, int], set[int], set[int]]] = {}
    for t in moves:
        if (t.a, t.b) not in in_place:  # the tokens of the two standing one to one
            ba, bb = table[t.a], table[t.b]
            one = (np.diff(ba) == 1) & (np.diff(bb) == 1)
            ia, ib = ba[:-1][one], bb[:-1][one]
            same = sides[t.a].id_array[ia] == sides[t.b].id_array[ib]
            in_place[t.a, t.b] = ia, ib, same
            free_a, free_b = _free(ba, bb, sides[t.a], sides[t.b])
            opposite[t.a, t.b] = free_a, free_b, set(free_a.values()), set(free_b.values())
        ia, ib, same = in_place[t.a, t.b]
        (a1, a2), (b1, b2) = t.a_range, t.b_range
        free_a, free_b, regions_a, regions_b = opposite[t.a, t.b]
        here_a = next(free_a[i] for i in range(a1, a2) if i in free_a)  # its stretch (the
        here_b = next(free_b[j] for j in range(b1, b2) if j in free_b)  # edges may be in place)
        if here_a in regions_b and here_b in regions_a:
            continue  # each copy stands opposite the other's text: drawn side by side already
        cross = ((ia < a1) & (ib >= b2)) | ((ia >= a2) & (ib < b1))
        if int((same & cross).sum()) <= a2 - a1:
            out.append((t, ia[cross].tolist(), ib[cross].tolist()))
    return out


def _free(ba: np.ndarray, bb: np.ndarray, sa: Side,
          sb: Side) -> tuple[dict[int, int], dict[int, int]]:
    """For each witness, its tokens not aligned as equal with the other, mapped to the
    stretch of differences they stand in (a number shared by both witnesses)."""
    lens_a, lens_b = np.diff(ba), np.diff(bb)
    ida = np.asarray([*sa.ids, 0], dtype=np.int64)[ba[:-1]]
    idb = np.asarray([*sb.ids, 0], dtype=np.int64)[bb[:-1]]
    equal = (lens_a == 1) & (lens_b == 1) & (ida == idb)
    region = np.cumsum(equal)
    out: list[dict[int, int]] = []
    for lens in (lens_a, lens_b):
        col = np.repeat(np.arange(len(lens)), lens)
        tok = np.flatnonzero(~equal[col])
        out.append(dict(zip(tok.tolist(), region[col[tok]].tolist(), strict=True)))
    return out[0], out[1]


def moves_between(a: str, b: str, ka: list[str], kb: list[str], free_a: dict[int, int],
                  free_b: dict[int, int],
                  bounds: tuple[np.ndarray, np.ndarray] | None = None) -> list[Transposition]:
    """Greedy longest shared runs (of normal forms ``ka``, ``kb``) of free tokens that stand
    in different stretches: ``free_a``/``free_b`` map each free token to its stretch. With
    ``bounds`` (each witness's cell boundaries in the table), also runs whose copies stand
    in one stretch in columns apart.

    >>> keys = "a b c d e f".split()
    >>> free = dict.fromkeys(range(6), 0)
    >>> moves_between("A", "B", keys, keys[3:] + keys[:3], free, free)
    []
    >>> moves_between("A", "B", keys, keys[3:] + keys[:3], free, free,
    ...               (np.arange(7), np.arange(7)))  # d e f a b c laid side by side
    ... # doctest: +NORMALIZE_WHITESPACE
    [Transposition(a='A', a_range=(0, 3), b='B', b_range=(3, 6)),
     Transposition(a='A', a_range=(3, 6), b='B', b_range=(0, 3))]
    """
    k = MIN_TRANSPOSITION
    index: dict[tuple[str, ...], list[int]] = {}
    run_end_b: dict[int, int] = {}  # free position -> end of its run of free positions
    for j1, j2 in _runs(free_b):
        for j in range(j1, j2):
            run_end_b[j] = j2
        for j in range(j1, j2 - k + 1):
            index.setdefault(tuple(kb[j : j + k]), []).append(j)
    if not index:
        return []
    used: set[int] = set()
    found: list[Transposition] = []
    for i1, i2 in _runs(free_a):
        i = i1
        while i <= i2 - k:
            size, j = 0, 0
            for cand in index.get(tuple(ka[i : i + k]), ()):
                if cand in used:
                    continue
                end, n = run_end_b[cand], 0
                while (i + n < i2 and cand + n < end and cand + n not in used
                       and ka[i + n] == kb[cand + n]):
                    n += 1
                if n > size:
                    size, j = n, cand
            if size >= k and (free_a[i] != free_b[j] or (bounds is not None and _apart(
                    bounds, (i, i + size), (j, j + size)))):
                used.update(range(j, j + size))
                found.append(Transposition(a, (i, i + size), b, (j, j + size)))
                i += size
            else:
                i += 1
    return join_moves(sorted(found, key=lambda t: t.a_range))


def pair_swaps(a: str, b: str, ka: list[str], kb: list[str], free_a: dict[int, int],
               free_b: dict[int, int], bounds: tuple[np.ndarray, np.ndarray],
               taken: tuple[set[int], set[int]]) -> list[Transposition]:
    """Blocks shorter than any other move, of free tokens not ``taken`` by one, that swap
    places with a neighbouring block: ``X M Y`` against ``Y M X``, with the same middle ``M``
    of at most as many tokens as ``Y`` (none: the two blocks side by side), each copy of
    ``Y`` wholly free or wholly in place. ``X`` is :data:`MIN_SWAP` equal tokens or more,
    one token added inside one copy at most (:func:`_grown`). Only such a pair is a move,
    not any two words met elsewhere; the copies of ``X`` stand apart, as in
    :func:`moves_between`.

    >>> keys, other = "he came and she went".split(), "she went and he came".split()
    >>> free = dict.fromkeys([2, 3, 4], 0)  # he came matched, she went free: X M Y / Y M X
    >>> table = np.array([0, 0, 1, 2, 3, 4, 5]), np.array([0, 3, 4, 5, 5, 5, 5])
    >>> pair_swaps("A", "B", keys, other, free, dict.fromkeys([0, 1, 2], 1), table,
    ...            (set(), set()))
    [Transposition(a='A', a_range=(3, 5), b='B', b_range=(0, 2))]
    """
    k = MIN_SWAP
    open_a = {i for i in free_a if i not in taken[0]}
    open_b = {j for j in free_b if j not in taken[1]}
    index: dict[tuple[str, ...], list[int]] = {}
    for j in sorted(open_b):
        if open_b.issuperset(range(j + 1, j + k)):
            index.setdefault(tuple(kb[j : j + k]), []).append(j)
    found: list[Transposition] = []
    starts = [i for i in sorted(open_a) if open_a.issuperset(range(i + 1, i + k))
              and tuple(ka[i : i + k]) in index]
    places = bounds[1][np.searchsorted(bounds[0], starts, side="right") - 1].tolist()
    for i, here in zip(starts, places, strict=True):  # here: b's first token in i's column
        cands = index[tuple(ka[i : i + k])]
        lo, hi = bisect_left(cands, here - SWAP_REACH), bisect_right(cands, here + SWAP_REACH)
        for j in cands[lo:hi]:
            if any(j + x not in open_b for x in range(k)):
                continue
            (a1, a2), (b1, b2) = _grown(ka, kb, (i, i + k), (j, j + k), open_a, open_b)
            if (_swapped(ka, kb, (a1, a2), (b1, b2), (free_a, free_b))
                    and (free_a[i] != free_b[j] or _apart(bounds, (a1, a2), (b1, b2)))):
                open_a.difference_update(range(a1, a2))
                open_b.difference_update(range(b1, b2))
                found.append(Transposition(a, (a1, a2), b, (b1, b2)))
                break
    return sorted(found, key=lambda t: t.a_range)


def _grown(ka: list[str], kb: list[str], ra: tuple[int, int], rb: tuple[int, int],
           open_a: set[int], open_b: set[int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """The shared run ``ka[ra]`` = ``kb[rb]`` grown over the equal ``open`` tokens on each
    side, past one token added in one copy at most, where an equal token follows it (``the
    big black dog`` against ``the black dog``).

    >>> k = "the big black dog".split()
    >>> _grown(k, ["the", "black", "dog"], (2, 4), (1, 3), set(range(4)), set(range(3)))
    ((0, 4), (0, 3))
    """
    (a1, a2), (b1, b2) = ra, rb
    added = False
    for step in (-1, 1):
        while True:
            x, y = (a1 - 1, b1 - 1) if step < 0 else (a2, b2)
            if x in open_a and y in open_b and ka[x] == kb[y]:
                da, db = 1, 1
            elif (not added and x in open_a and x + step in open_a and y in open_b
                  and ka[x + step] == kb[y]):
                da, db, added = 2, 1, True
            elif (not added and y in open_b and y + step in open_b and x in open_a
                  and ka[x] == kb[y + step]):
                da, db, added = 1, 2, True
            else:
                break
            if step < 0:
                a1, b1 = a1 - da, b1 - db
            else:
                a2, b2 = a2 + da, b2 + db
    return (a1, a2), (b1, b2)


def _swapped(ka: list[str], kb: list[str], ra: tuple[int, int], rb: tuple[int, int],
             free: tuple[dict[int, int], dict[int, int]]) -> bool:
    """Whether the block ``X`` (``ka[ra]`` and ``kb[rb]``) swaps with a neighbouring block
    ``Y`` as long as the shorter copy of ``X`` (:func:`_alike` in the two, each copy wholly
    free or wholly in place) across the same middle of at most as many tokens."""
    (a1, a2), (b1, b2) = ra, rb
    xs = ka[a1:a2], kb[b1:b2]
    k = min(a2 - a1, b2 - b1)

    def whole(side: dict[int, int], lo: int) -> bool:
        return len({p in side for p in range(lo, lo + k)}) == 1

    for m in range(k + 1):
        for ya, yb, mid in ((a2 + m, b1 - m - k, ka[a2 : a2 + m] == kb[b1 - m : b1]),
                            (a1 - m - k, b2 + m, ka[a1 - m : a1] == kb[b2 : b2 + m])):
            if (mid and 0 <= ya <= len(ka) - k and 0 <= yb <= len(kb) - k
                    and _alike(ka[ya : ya + k], kb[yb : yb + k], xs)
                    and whole(free[0], ya) and whole(free[1], yb)):
                return True  # a: X M Y, b: Y M X; or a: Y M X, b: X M Y
    return False


def _alike(ya: list[str], yb: list[str], xs: tuple[list[str], list[str]]) -> bool:
    """Whether two copies of the block that ``X`` (its copies ``xs``) swaps with are one
    block, perhaps with a variant (half their tokens or more equal in place), and not ``X``.

    >>> _alike(["she", "went"], ["she", "left"], (["he", "came"], ["he", "came"]))
    True
    >>> _alike(["he", "came"], ["he", "came"], (["he", "came"], ["he", "came"]))
    False
    """
    return (ya not in xs and yb not in xs
            and 2 * sum(p == q for p, q in zip(ya, yb, strict=True)) >= len(ya))


def join_moves(moves: list[Transposition], slack: int = 2) -> list[Transposition]:
    """Neighbouring pieces of one moved block (split by a changed or lost token) joined.

    >>> join_moves([Transposition("A", (1, 4), "B", (20, 23)),
    ...             Transposition("A", (5, 9), "B", (23, 27))])
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


def _column(bounds: np.ndarray, i: int) -> int:
    """The column of token ``i`` (``bounds``: its witness's cell boundaries)."""
    return int(np.searchsorted(bounds, i, side="right")) - 1


def _apart(bounds: tuple[np.ndarray, np.ndarray], ra: tuple[int, int],
           rb: tuple[int, int]) -> bool:
    """Whether two copies of a run (token ranges ``ra``, ``rb``) stand side by side with
    other text: in columns that do not overlap, each opposite text of the other witness, the
    second within twice the run's length of the tokens of its witness in the first's place
    (a block swapped with its neighbour, not a run left against a gap in a long stretch of
    differences)."""
    (a1, a2), (b1, b2) = ra, rb
    ca, cb = (_column(bounds[0], a1), _column(bounds[0], a2 - 1)), (
        _column(bounds[1], b1), _column(bounds[1], b2 - 1))
    here = int(bounds[1][ca[0]])
    return ((ca[1] < cb[0] or cb[1] < ca[0]) and abs(b1 - here) <= 2 * (a2 - a1)
            and bounds[1][ca[1] + 1] > bounds[1][ca[0]]
            and bounds[0][cb[1] + 1] > bounds[0][cb[0]])


def _runs(free: dict[int, int]) -> list[tuple[int, int]]:
    """Runs of consecutive positions among the keys of ``free`` (in order).

    >>> _runs({1: 0, 2: 0, 5: 1})
    [(1, 3), (5, 6)]
    """
    out: list[tuple[int, int]] = []
    for p in free:
        if out and out[-1][1] == p:
            out[-1] = (out[-1][0], p + 1)
        else:
            out.append((p, p + 1))
    return out
