"""Sorted n-gram tables: counted with NumPy, stored as sorted arrays, queried in place.

A corpus model's big tables (word pairs and triples, character n-grams) are never turned
into Python dictionaries: each is a sorted array of integer keys with a column of counts,
written as is into the model file and searched with :func:`numpy.searchsorted` on the
memory-mapped file. Building counts n-grams the same way, by sorting packed integer keys,
so a corpus of ten million words builds in well under a minute and a few GB.

>>> keys, counts = sorted_counts(np.array([5, 3, 5, 5, 1], dtype=np.int64))
>>> keys.tolist(), counts.tolist()
([1, 3, 5], [1, 1, 3])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from collate.chars import BREAK

#: discount of the word n-gram model; a pruned history keeps the mass of its dropped
#: n-grams as extra "types", so ``d * types / n`` still is all that backs off
DISCOUNT = 0.75
SEP = 0  #: the symbol id that parts two stretches in a character stream (no n-gram spans it)


def sorted_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``keys``, sorted, and how often each occurs (sorts in place)."""
    keys.sort()
    if not len(keys):
        return keys, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.diff(np.append(starts, len(keys)))


def range_of(keys: np.ndarray, lo: int, hi: int) -> tuple[int, int]:
    """Where the keys in ``[lo, hi)`` sit in the sorted ``keys``."""
    got = keys.searchsorted((lo, hi)).tolist()
    return got[0], got[1]


def find(keys: np.ndarray, key: int, lo: int = 0, hi: int | None = None) -> int:
    """Position of ``key`` in the sorted ``keys[lo:hi]`` (as an index of ``keys``), or -1.

    >>> find(np.array([2, 4, 9]), 4), find(np.array([2, 4, 9]), 5)
    (1, -1)
    """
    hi = len(keys) if hi is None else hi
    i = lo + int(keys[lo:hi].searchsorted(key))
    return i if i < hi and keys[i] == key else -1


# -- word n-grams -------------------------------------------------------------------------------
def word_tables(seq: np.ndarray, n_words: int, prune2: int, prune3: int) -> dict[str, np.ndarray]:
    """Pair and triple tables of the word-id stream ``seq`` (-1 between stretches no n-gram
    crosses), over a vocabulary of ``n_words``: pairs kept from ``prune2`` sightings,
    triples from ``prune3`` (a history keeps the mass of the dropped ones, see
    :data:`DISCOUNT`).

    >>> t = word_tables(np.array([0, 1, 2, -1, 0, 1, 2], dtype=np.int32), 3, 1, 2)
    >>> t["b2_b"].tolist(), t["b2_n"].tolist(), t["t3_c"].tolist(), t["r3_c"].tolist()
    ([1, 2], [2, 2], [2], [0])
    """
    v = np.int64(n_words)
    a, b = seq[:-1].astype(np.int64), seq[1:].astype(np.int64)
    keys, counts = sorted_counts((a * v + b)[(a >= 0) & (b >= 0)])
    out = _history_table(keys // v, keys % v, counts, prune2, n_words, "b2")
    keep = counts >= prune2
    out |= _tops((keys % v)[keep], (keys // v)[keep], counts[keep], n_words, "b2l")
    a, b, c = seq[:-2].astype(np.int64), seq[1:-1].astype(np.int64), seq[2:].astype(np.int64)
    ok = (a >= 0) & (b >= 0) & (c >= 0)
    a, b, c = a[ok], b[ok], c[ok]
    del ok
    if n_words ** 3 < 2**62:
        keys, counts = sorted_counts((a * v + b) * v + c)
        pair, last = keys // v, keys % v
    else:  # a vocabulary too large to pack a triple in 64 bits: sort the rows
        rows, counts = np.unique(np.stack([a * v + b, c], axis=1), axis=0, return_counts=True)
        pair, last = rows[:, 0], rows[:, 1]
    del a, b, c
    out |= _pair_table(pair, last, counts, prune3, "t3")
    keep = counts >= prune3
    # the other direction: the words before each pair, by (last, middle), commonest first
    back = (last[keep] * v + pair[keep] % v)
    order = np.lexsort((-counts[keep], back))
    out |= _pair_table(back[order], (pair[keep] // v)[order], counts[keep][order], 1, "r3",
                       margins=False)
    return out


def _history_table(
    hist: np.ndarray, last: np.ndarray, counts: np.ndarray, prune: int, n: int, name: str
) -> dict[str, np.ndarray]:
    """A table over histories ``0..n-1`` (rows by history, a CSR pointer): the kept
    followers and their counts, each history's total and its types (see
    :data:`DISCOUNT`)."""
    total = np.bincount(hist, weights=counts, minlength=n)
    keep = counts >= prune
    kept = np.bincount(hist[keep], weights=counts[keep], minlength=n)
    types = np.bincount(hist[keep], minlength=n) + (total - kept) / DISCOUNT
    return {
        f"{name}_ptr": _pointer(np.searchsorted(hist[keep], np.arange(n + 1))),
        f"{name}_b": last[keep].astype(np.int32),
        f"{name}_n": np.minimum(counts[keep], 2**32 - 1).astype(np.uint32),
        f"{name}_sum": total.astype(np.float32),
        f"{name}_t": types.astype(np.float32),
    }


def _pair_table(
    pair: np.ndarray, last: np.ndarray, counts: np.ndarray, prune: int, name: str,
    margins: bool = True,
) -> dict[str, np.ndarray]:
    """A table over the pairs ``pair`` (packed keys, equal ones together, ascending) like
    :func:`_history_table`, its rows found by the pair's key (without each pair's total
    and types where ``margins`` is false)."""
    starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1]))) if len(pair) \
        else np.zeros(0, dtype=np.int64)
    group = np.cumsum(np.concatenate(([False], pair[1:] != pair[:-1]))) if len(pair) \
        else np.zeros(0, dtype=np.int64)
    keep = counts >= prune
    total = np.bincount(group, weights=counts, minlength=len(starts))
    kept = np.bincount(group[keep], weights=counts[keep], minlength=len(starts))
    types = np.bincount(group[keep], minlength=len(starts)) + (total - kept) / DISCOUNT
    used = kept > 0
    ptr = np.concatenate(([0], np.cumsum(np.bincount(group[keep], minlength=len(starts))[used])))
    out = {
        f"{name}_key": pair[starts][used].astype(np.int64),
        f"{name}_ptr": _pointer(ptr),
        f"{name}_c": last[keep].astype(np.int32),
        f"{name}_n": np.minimum(counts[keep], 2**32 - 1).astype(np.uint32),
    }
    if margins:
        out |= {f"{name}_sum": total[used].astype(np.float32),
                f"{name}_t": types[used].astype(np.float32)}
    return out


def _tops(hist: np.ndarray, word: np.ndarray, counts: np.ndarray, n: int, name: str,
          keep: int = 40) -> dict[str, np.ndarray]:
    """For each history ``0..n-1``, its ``keep`` commonest words (ties by word id), as a
    CSR pointer and ids."""
    order = np.lexsort((word, -counts, hist))
    h = hist[order]
    starts = np.searchsorted(h, np.arange(n))
    rank = np.arange(len(h)) - starts[h] if len(h) else np.zeros(0, dtype=np.int64)
    top = order[rank < keep]
    return {f"{name}_ptr": _pointer(np.searchsorted(hist[top], np.arange(n + 1))),
            f"{name}_ids": word[top].astype(np.int32)}


def _pointer(ptr: np.ndarray) -> np.ndarray:
    """A CSR pointer in 32 bits where it fits (smaller files), else 64."""
    return ptr.astype(np.int32 if not len(ptr) or ptr[-1] < 2**31 else np.int64)


# -- character n-grams --------------------------------------------------------------------------
def fold(text: str) -> str:
    """``text`` in lower case, character by character (a letter whose lower case is longer
    kept as it is).

    >>> fold("Straße İ")
    'straße İ'
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def char_streams(texts: Iterable[str]) -> Iterable[str]:
    """Each text casefolded, its stretches between lost text framed by :data:`BREAK` (as
    a model learns them)."""
    for text in texts:
        yield "".join(BREAK + fold(chunk) + BREAK for chunk in text.split(BREAK))


def alphabet_of(texts: Iterable[str], order: int) -> str:
    """The symbols a character table codes (commonest first where not all fit in the key
    of an ``order``-gram): every character of the folded ``texts`` and :data:`BREAK`."""
    seen: Counter[str] = Counter()
    for stream in char_streams(texts):
        seen.update(stream)
    room = 2 ** (63 // order) - 2  # ids 1..room; 0 parts stretches
    return "".join(sorted(ch for ch, _ in seen.most_common(room)))


def char_tables(
    texts: list[str], order: int, prune: tuple[int, ...]
) -> tuple[dict[str, np.ndarray], dict]:
    """Kneser-Ney tables of the casefolded ``texts``: for each n up to ``order``, the
    sorted keys of the n-grams (symbol ids packed in ``bits`` each) with raw counts at the
    top and continuation counts below, each kept from ``prune[n - 1]`` (a history's row
    is what is kept); and what a reader needs (``alphabet``, ``bits``, discounts, the
    characters seen after each pair)."""
    alphabet = alphabet_of(texts, order)
    bits = max(1, (len(alphabet) + 1).bit_length())
    lut = np.zeros(max(map(ord, alphabet), default=0) + 2, dtype=np.int64)
    lut[[ord(c) for c in alphabet]] = np.arange(1, len(alphabet) + 1)
    parts = [_packed(_ids(s, lut), n, bits) for s in char_streams(texts) for n in (order,)]
    keys, counts = sorted_counts(np.concatenate(parts) if parts else np.zeros(0, np.int64))
    del parts
    arrays: dict[str, np.ndarray] = {}
    disc = [0.5] * (order + 1)
    for n in range(order, 0, -1):
        values = np.bincount(np.minimum(counts, 3), minlength=4)
        n1, n2 = int(values[1]), int(values[2])
        disc[n] = min(0.95, max(0.05, n1 / (n1 + 2 * n2))) if n1 else 0.5
        keep = counts >= prune[n - 1]
        arrays[f"c{n}_k"] = keys[keep]
        arrays[f"c{n}_v"] = np.minimum(counts[keep], 2**32 - 1).astype(np.uint32)
        # the order below: continuation counts (in how many contexts each suffix was seen)
        keys, counts = sorted_counts(keys & ((1 << (bits * (n - 1))) - 1))
    meta = {"alphabet": alphabet, "bits": bits, "order": order, "disc": disc,
            "followers": _followers(texts, lut, bits, alphabet)}
    return arrays, meta


def _ids(stream: str, lut: np.ndarray) -> np.ndarray:
    codes = np.frombuffer(stream.encode("utf-32-le"), dtype="<u4").astype(np.int64)
    return lut[np.minimum(codes, len(lut) - 1)]


def _packed(ids: np.ndarray, n: int, bits: int) -> np.ndarray:
    """The ``n``-grams of the id stream ``ids`` as packed keys, those holding a
    :data:`SEP` (an uncoded symbol) left out."""
    if len(ids) < n:
        return np.zeros(0, dtype=np.int64)
    m = len(ids) - n + 1
    key = np.zeros(m, dtype=np.int64)
    bad = np.zeros(m, dtype=bool)
    for j in range(n):
        part = ids[j : j + m]
        key = (key << bits) | part
        bad |= part == SEP
    return key[~bad]


def _followers(texts: list[str], lut: np.ndarray, bits: int, alphabet: str) -> dict[str, str]:
    """The characters seen after each pair of characters, commonest first."""
    parts = [_packed(_ids(s, lut), 3, bits) for s in char_streams(texts)]
    keys, counts = sorted_counts(np.concatenate(parts) if parts else np.zeros(0, np.int64))
    mask = (1 << bits) - 1
    order = np.lexsort((keys & mask, -counts, keys >> bits))
    out: dict[str, list[str]] = {}
    for k in keys[order].tolist():
        pair = alphabet[((k >> bits) >> bits) - 1] + alphabet[((k >> bits) & mask) - 1]
        out.setdefault(pair, []).append(alphabet[(k & mask) - 1])
    return {p: "".join(v) for p, v in out.items()}
