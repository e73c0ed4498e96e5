"""The most pairwise agreements one table can keep: computed exactly, by cutting planes.

A table with one token per cell keeps a set of agreements (token pairs that two witnesses'
own alignments find equal, each pair of witnesses aligned on its own) only if the set is
*consistent*: joined into groups (the tokens it puts together), no group holds two tokens of
one witness (a **conflict**: `a`~`b` and `b`~`c` match one word, `a`~`c` another copy of
it), and the groups can be ordered so that every witness reads left to right (no
**crossing**: `in amazement and doubt` / `amazed, and were in doubt`, where the `and`s of one
pair and the `in`s of another cannot both stand in columns). Any consistent set is some
table's: its groups in topological order are the columns.

So the best table keeps all agreements but a smallest set that meets every obstruction (the
agreements of one conflict path or one crossing cycle). The obstructions are found as they
are needed: start keeping everything, find the conflicts and crossings of what is kept, drop
a smallest set of agreements that meets every obstruction found so far (an integer
programme, HiGHS through SciPy), and repeat until what is kept is consistent. Then the
figure is exact (what is kept is a table, and nothing smaller meets the obstructions); if the
rounds run out first, it is still an upper bound (the obstructions found must all be met).
Maximum-weight trace is NP-hard in general (Kececioglu 1993); on real witnesses a few rounds
suffice.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

ROUNDS = 100
"""Most rounds of finding obstructions and dropping agreements."""
BUDGET = 30.0
"""Most CPU seconds spent on one witness set; past it the figure is an upper bound."""
CYCLES = 2000
"""Most crossing cycles found in one round."""


@dataclass
class Edges:
    """Every agreement as two global token indices, with each token's witness, and the
    obstructions of three agreements among three witnesses (:func:`triangles`)."""

    u: np.ndarray
    v: np.ndarray
    witness: np.ndarray
    tokens: int
    triangles: list[list[int]]


def edges(ids: list[str], lengths: dict[str, int], part: dict[tuple[str, str], Any]) -> Edges:
    """The agreements of ``part`` (for each two witnesses, each token's partner or -1)."""
    offset = dict(zip(ids, np.cumsum([0] + [lengths[w] for w in ids]).tolist(), strict=False))
    us, vs, eid, count = [], [], {}, 0
    for a, b in itertools.combinations(ids, 2):
        p = np.asarray(part[a, b])
        i = np.flatnonzero(p >= 0)
        us.append(i + offset[a])
        vs.append(p[i] + offset[b])
        eid[a, b], eid[b, a] = np.full(len(p), -1), np.full(lengths[b], -1)
        eid[a, b][i] = eid[b, a][p[i]] = np.arange(count, count + len(i))
        count += len(i)
    witness = np.repeat(np.arange(len(ids)), [lengths[w] for w in ids])
    return Edges(np.concatenate(us).astype(np.int64), np.concatenate(vs).astype(np.int64),
                 witness, int(sum(lengths.values())), triangles(ids, part, eid))


def triangles(ids: list[str], part: dict[tuple[str, str], Any],
              eid: dict[tuple[str, str], np.ndarray]) -> list[list[int]]:
    """Every agreement ``a_i``~``b_j`` against the nearest agreements of ``a`` and of ``b``
    with a third witness ``w``, on the side that makes them cross: ``a_i'``~``w_x`` with
    ``i' <= i`` and ``b_j'``~``w_y`` with ``j' >= j`` and ``x > y`` (or the mirror), which no
    table holds together (``i' = i``, ``j' = j``: a conflict)."""
    out: list[list[int]] = []
    for a, b in itertools.permutations(ids, 2):
        i = np.flatnonzero(np.asarray(part[a, b]) >= 0)
        j = np.asarray(part[a, b])[i]
        for w in ids:
            if w in (a, b):
                continue
            ia = np.flatnonzero(np.asarray(part[a, w]) >= 0)
            jb = np.flatnonzero(np.asarray(part[b, w]) >= 0)
            if not len(ia) or not len(jb):
                continue
            left = np.searchsorted(ia, i, side="right") - 1  # a's last at or before i
            right = np.searchsorted(jb, j, side="left")  # b's first at or after j
            ok = (left >= 0) & (right < len(jb))
            ii, jj = ia[np.maximum(left, 0)], jb[np.minimum(right, len(jb) - 1)]
            x, y = np.asarray(part[a, w])[ii], np.asarray(part[b, w])[jj]
            bad = ok & (x > y)
            for k in np.flatnonzero(bad).tolist():
                out.append(sorted({int(eid[a, b][i[k]]), int(eid[a, w][ii[k]]),
                                   int(eid[b, w][jj[k]])}))
    return [list(t) for t in {tuple(t) for t in out}]


def best_table(e: Edges, rounds: int = ROUNDS, budget: float = BUDGET) -> tuple[int, bool]:
    """(most agreements a table keeps, whether that is exact rather than an upper bound)."""
    start = time.process_time()
    obstructions = list(e.triangles)
    dropped, least, solved = set(), 0, True
    if obstructions:
        dropped, least, solved = _hitting_set(obstructions, budget)
    for _ in range(rounds):
        left = budget - (time.process_time() - start)
        if not solved or left <= 0:
            break
        keep = np.ones(len(e.u), dtype=bool)
        keep[list(dropped)] = False
        found = _obstructions(e, keep)
        if not found:
            return len(e.u) - len(dropped), True
        obstructions += found
        dropped, least, solved = _hitting_set(obstructions, left)
    return len(e.u) - least, False


def _obstructions(e: Edges, keep: np.ndarray) -> list[list[int]]:
    """Agreement sets (edge indices) among those kept that no table holds together: one
    path per conflicting group, one cycle per group of crossing ones."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    kept = np.flatnonzero(keep)
    n = e.tokens
    graph = coo_matrix((np.ones(len(kept)), (e.u[kept], e.v[kept])), shape=(n, n))
    _, group = connected_components(graph, directed=False)
    order_u = np.arange(n - 1)[e.witness[:-1] == e.witness[1:]]
    gu, gv = group[order_u], group[order_u + 1]
    step = gu != gv
    ng = int(group.max()) + 1
    dag = coo_matrix((np.ones(int(step.sum())), (gu[step], gv[step])), shape=(ng, ng))
    count, scc = connected_components(dag, directed=True, connection="strong")
    sizes = np.bincount(scc, minlength=count)
    key = group * (int(e.witness.max()) + 1) + e.witness
    twice = np.zeros(ng, dtype=bool)
    order = np.argsort(key, kind="stable")
    twice[group[order[1:][key[order][1:] == key[order][:-1]]]] = True
    trouble = twice | (sizes[scc] > 1)
    kept = kept[trouble[group[e.u[kept]]]]
    adjacency = _adjacency(e, kept)
    out = _conflicts(e, group, adjacency, order, key)
    if (sizes > 1).any():
        out += _crossings(e, group, adjacency, scc, sizes, order_u[step])
    return out


def _adjacency(e: Edges, kept: np.ndarray) -> dict[int, list[tuple[int, int]]]:
    """Each token's kept agreements: (other token, edge index)."""
    adj: dict[int, list[tuple[int, int]]] = {}
    for k, x, y in zip(kept.tolist(), e.u[kept].tolist(), e.v[kept].tolist(), strict=True):
        adj.setdefault(x, []).append((y, k))
        adj.setdefault(y, []).append((x, k))
    return adj


def _path(adj: dict[int, list[tuple[int, int]]], start: int, goal: int) -> list[int]:
    """The edges of a shortest path of kept agreements from ``start`` to ``goal``."""
    back: dict[int, tuple[int, int]] = {start: (-1, -1)}
    queue = deque([start])
    while queue and goal not in back:
        x = queue.popleft()
        for y, k in adj.get(x, ()):
            if y not in back:
                back[y] = (x, k)
                queue.append(y)
    path, x = [], goal
    while x != start:
        x, k = back[x]
        path.append(k)
    return path


def _conflicts(e: Edges, group: np.ndarray, adj: dict[int, list[tuple[int, int]]],
               order: np.ndarray, key: np.ndarray) -> list[list[int]]:
    """For each group holding two tokens of one witness, a path joining two such tokens
    (``key``: each token's group and witness, ``order`` the tokens sorted by it)."""
    same = np.flatnonzero(key[order][1:] == key[order][:-1])
    out, seen = [], set()
    for s in same.tolist():
        x, y = int(order[s]), int(order[s + 1])
        if group[x] not in seen:
            seen.add(group[x])
            out.append(_path(adj, x, y))
    return out


def _crossings(e: Edges, group: np.ndarray, adj: dict[int, list[tuple[int, int]]],
               scc: np.ndarray, sizes: np.ndarray, steps: np.ndarray) -> list[list[int]]:
    """For each group in a strongly connected set of them (up to :data:`CYCLES`), the
    agreements of a shortest cycle through it: reading order ``t -> t + 1`` between groups,
    kept agreements inside them."""
    succ: dict[int, list[int]] = {}
    for t in steps.tolist():
        g = int(group[t])
        if sizes[scc[g]] > 1 and scc[g] == scc[group[t + 1]]:
            succ.setdefault(g, []).append(t)
    out: dict[tuple[int, ...], list[int]] = {}
    for g in list(succ)[:CYCLES]:
        cycle = _cycle(g, succ, group)
        if cycle:
            found = _cycle_edges(cycle, adj)
            out[tuple(found)] = found
    return list(out.values())


def _cycle(start: int, succ: dict[int, list[int]], group: np.ndarray) -> list[int]:
    """Reading steps ``t -> t + 1`` of a shortest cycle of groups through ``start``."""
    back: dict[int, tuple[int, int]] = {}
    queue = deque([start])
    while queue:
        g = queue.popleft()
        for t in succ.get(g, ()):
            h = int(group[t + 1])
            if h in back or (h == start and start in back):
                continue
            back[h] = (g, t)
            if h == start:
                queue.clear()
                break
            queue.append(h)
    if start not in back:
        return []
    steps, g = [], start
    while True:
        g, t = back[g]
        steps.append(t)
        if g == start:
            return steps[::-1]


def _cycle_edges(steps: list[int], adj: dict[int, list[tuple[int, int]]]) -> list[int]:
    """The kept agreements that join, inside each group, where the cycle enters it to where
    it leaves."""
    out: list[int] = []
    for k, t in enumerate(steps):
        entered = steps[k - 1] + 1
        out += _path(adj, entered, t) if entered != t else []
    return sorted(set(out))


def _hitting_set(obstructions: list[list[int]], seconds: float
                 ) -> tuple[set[int], int, bool]:
    """A smallest set of agreements meeting every obstruction (an integer programme), the
    fewest any such set holds (its size where solved, else the solver's proven bound), and
    whether it was solved within ``seconds``."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    used = sorted({k for o in obstructions for k in o})
    index = {k: n for n, k in enumerate(used)}
    rows = np.repeat(np.arange(len(obstructions)), [len(o) for o in obstructions])
    cols = np.array([index[k] for o in obstructions for k in o])
    matrix = csr_matrix((np.ones(len(cols)), (rows, cols)),
                        shape=(len(obstructions), len(used)))
    res = milp(np.ones(len(used)), integrality=np.ones(len(used)), bounds=Bounds(0, 1),
               constraints=LinearConstraint(matrix, lb=1, ub=np.inf),
               options={"time_limit": max(seconds, 1.0)})
    if res.status == 0:
        return {used[n] for n in np.flatnonzero(res.x > 0.5).tolist()}, round(res.fun), True
    bound = getattr(res, "mip_dual_bound", None)
    return set(), math.ceil(bound - 1e-6) if bound is not None else 0, False
