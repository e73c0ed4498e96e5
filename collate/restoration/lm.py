"""Character language models: the :class:`LanguageModel` protocol and a built-in n-gram model.

Restoration ranks fillings of a lacuna by how well they read in context. Any object with a
``score(left, filling, right)`` method can do that ranking (a masked transformer, a KenLM
file wrapped in three lines); the built-in :class:`CharNGram` is an interpolated Kneser-Ney
character model that needs nothing but the standard library and trains in about a second
on a book.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import regex

from collate.chars import BREAK

_CASED = regex.compile(r"[\p{Lu}\p{Ll}]")

CASE_SAMPLE = 300_000  #: characters the case model learns from, at most



@runtime_checkable
class LanguageModel(Protocol):
    """What restoration needs from a language model: score a filling in its context.

    ``score(left, filling, right)`` returns the natural-log probability of ``filling``
    followed by ``right`` given ``left`` (higher is better). Only differences between
    fillings of the same place matter, so a model may drop terms that do not depend on
    the filling. ``left``/``right`` may contain :data:`BREAK` where other text is lost.

    >>> class Uniform:
    ...     def score(self, left: str, filling: str, right: str) -> float:
    ...         return -len(filling) * math.log(60)
    >>> isinstance(Uniform(), LanguageModel)
    True
    """

    def score(self, left: str, filling: str, right: str) -> float:
        """Log-probability of ``filling + right`` after ``left``."""
        ...


class _Scoring:
    """``logprob`` and ``score`` for a character model with ``order`` and ``prob``."""

    order: int

    def prob(self, context: str, char: str) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def logprob(self, context: str, text: str) -> float:
        """Natural-log probability of ``text`` following ``context``."""
        total = 0.0
        ctx = context[-(self.order - 1) :] if self.order > 1 else ""
        for ch in text:
            total += math.log(self.prob(ctx, ch))
            ctx = (ctx + ch)[-(self.order - 1) :] if self.order > 1 else ""
        return total

    def score(self, left: str, filling: str, right: str) -> float:
        """Log-probability of ``filling`` and the ``order - 1`` characters of ``right``
        that it can influence, after ``left`` (see :class:`LanguageModel`)."""
        right = right[: self.order - 1]
        cut = right.find(BREAK)
        if cut >= 0:
            right = right[:cut]
        return self.logprob(left, filling + right)


class KneserNey(_Scoring):
    """Interpolated Kneser-Ney character n-gram model (Chen & Goodman's formulation).

    The highest order uses raw counts, lower orders continuation counts (in how many
    contexts a string was seen), each order discounted by ``D = n1 / (n1 + 2 n2)`` and
    interpolated down to a uniform distribution over the alphabet, :data:`BREAK` and one
    unseen symbol.

    Parameters
    ----------
    texts
        Training texts; :data:`BREAK` characters separate stretches that must not be joined.
    order
        The n of the n-gram (contexts of ``order - 1`` characters).

    Examples
    --------
    >>> lm = KneserNey(["the cat sat on the mat. the cat ate."], order=4)
    >>> symbols = [*lm.alphabet, BREAK, "#"]  # every seen symbol and one unseen one
    >>> round(sum(lm.prob("the c", ch) for ch in symbols), 6)
    1.0
    """

    def __init__(self, texts: Iterable[str], *, order: int = 7) -> None:
        self.order = order
        data = BREAK + (BREAK * (order - 1)).join(texts) + BREAK
        self.alphabet = frozenset(data) - {BREAK}
        self._uniform = 1.0 / (len(self.alphabet) + 2)  # + BREAK + one unseen symbol
        # counts[n][gram] for grams of length n (1..order): raw at the top, continuation below
        # (in how many contexts a gram was seen). BREAK is a symbol like any other.
        top = Counter(data[i : i + order] for i in range(len(data) - order + 1))
        counts: list[dict[str, int]] = [{} for _ in range(order + 1)]
        counts[order] = dict(top)
        grams = list(top)
        for n in range(order - 1, 0, -1):
            cont = Counter(g[1:] for g in grams)
            counts[n] = dict(cont)
            grams = list(cont)
        self._num = counts
        self._hist: list[dict[str, tuple[float, float]]] = [{} for _ in range(order + 1)]
        self._disc = [0.0] * (order + 1)
        for n in range(1, order + 1):
            den: Counter[str] = Counter()
            for g, c in counts[n].items():
                den[g[:-1]] += c
            types = Counter(g[:-1] for g in counts[n])
            values = Counter(counts[n].values())
            n1, n2 = values[1], values[2]
            d = min(0.95, max(0.05, n1 / (n1 + 2 * n2))) if n1 else 0.5
            self._disc[n] = d
            # per history: (1 / count, weight of the lower order)
            self._hist[n] = {h: (1.0 / c, d * types[h] / c) for h, c in den.items()}
        follow: dict[str, Counter[str]] = {}
        for g, c in Counter(data[i : i + 3] for i in range(len(data) - 2)).items():
            follow.setdefault(g[:2], Counter())[g[2]] += c
        self.followers = {h: "".join(ch for ch, _ in f.most_common()) for h, f in follow.items()}
        self._cache: dict[tuple[str, str], float] = {}

    def prob(self, context: str, char: str) -> float:
        """P(char | context), using the last ``order - 1`` characters of ``context``."""
        h = context[-(self.order - 1) :] if self.order > 1 else ""
        key = (h, char)
        p = self._cache.get(key)
        if p is not None:
            return p
        p = self._uniform
        size = len(h)
        for n in range(1, min(self.order, size + 1) + 1):
            hist = h[size - n + 1 :] if n > 1 else ""
            got = self._hist[n].get(hist)
            if got is None:
                break
            c = self._num[n].get(hist + char)
            p = (c - self._disc[n]) * got[0] + got[1] * p if c else got[1] * p
        self._cache[key] = p
        return p


def _fold(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class CharNGram(_Scoring):
    """The built-in model: Kneser-Ney over casefolded text times a model of letter case.

    ``P(c | h) = P_KN(lower(c) | lower(h)) * P(case of c | last 3 characters of h)``. Folding
    case pools the evidence for a letter (``Lately`` learns from ``lately``), while the case
    model learns where capitals go (after ``. `` and at paragraph starts) for every letter
    at once; the case model is smoothed by backing off to shorter histories.

    Examples
    --------
    >>> lm = CharNGram(["the cat sat on the mat. The cat ate. the mat."] * 2, order=4)
    >>> lm.score("the ", "cat", " sat") > lm.score("the ", "cqt", " sat")
    True
    >>> lm.prob("mat. ", "T") > lm.prob("mat. ", "t"), lm.prob("the ", "m") > lm.prob("the ", "M")
    (True, True)
    """

    def __init__(self, texts: Iterable[str], *, order: int = 6) -> None:
        texts = list(texts)
        self.order = order
        self.kn = KneserNey([_fold(t) for t in texts], order=order)
        self.followers = self.kn.followers
        # case model: (upper, total) counts of cased letters after 0..3 characters, learnt
        # from the first CASE_SAMPLE characters (case habits show early; speed)
        self._case: list[dict[str, tuple[int, int]]] = []
        sample, room = [], CASE_SAMPLE
        for t in texts:
            sample.append(t[:room])
            room -= len(sample[-1])
        cased = [(t, [m.start() for m in _CASED.finditer(t)]) for t in sample]
        upper = [(t, [i for i in pos if t[i].isupper()]) for t, pos in cased]
        for k in range(4):
            alls = Counter(t[max(0, i - k) : i] for t, pos in cased for i in pos)
            ups = Counter(t[max(0, i - k) : i] for t, pos in upper for i in pos)
            self._case.append({h: (ups[h], n) for h, n in alls.items()})
        self._cache: dict[tuple[str, str], float] = {}

    def p_upper(self, h: str) -> float:
        """Probability that a letter after ``h`` is a capital (backed-off counts)."""
        p = 0.5
        for k in range(4):
            cell = self._case[k].get(h[len(h) - k :] if k else "")
            if cell is None:
                break
            p = (cell[0] + 2.0 * p) / (cell[1] + 2.0)
        return p

    def prob(self, context: str, char: str) -> float:
        """P(char | context), using the last ``order - 1`` characters of ``context``."""
        h = context[-(self.order - 1) :]
        key = (h, char)
        p = self._cache.get(key)
        if p is not None:
            return p
        low = char.lower() if len(char.lower()) == 1 else char
        p = self.kn.prob(_fold(h), low)
        if char.isupper():
            p *= self.p_upper(h)
        elif char.islower():
            p *= 1.0 - self.p_upper(h)
        self._cache[key] = p
        return p
