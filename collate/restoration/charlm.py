"""Character language models: the :class:`LanguageModel` protocol and a built-in n-gram model.

Restoration ranks fillings of a lacuna by how well they read in context. Any object with a
``score(left, filling, right)`` method can do that ranking (a masked transformer, a KenLM
file wrapped in three lines); the built-in :class:`CharNGram` is an interpolated Kneser-Ney
character model that needs nothing but the standard library and trains in about a second
on a book.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import regex

from collate.chars import BREAK

#: the (up to) three characters before each cased letter, and before each capital
_CASED_AFTER = regex.compile(r"(?s)(?<=(.{0,3}))[\p{Lu}\p{Ll}]")
_UPPER_AFTER = regex.compile(r"(?s)(?<=(.{0,3}))\p{Lu}")

CASE_SAMPLE = 300_000  #: characters the case model learns from, at most

MEMO = 200_000  #: most probabilities (and histories) a corpus's character model remembers
ROWS = 30_000  #: most rows of short histories it remembers (then it starts afresh)
MIX = 3.0  #: sightings of a history at which the document's model and the corpus's weigh alike
#: most histories whose log-probabilities one model remembers (then it starts afresh): one
#: model is alive per process at a time (a round's is dropped when its holes are filled);
#: at 4,000 the 1,000 lacunae of 250,000 characters started afresh 14 times
LOGROWS = 200_000


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

    A stronger model plugs in here: ``restore(text, model=obj)`` ranks every candidate (of
    the witnesses, the search and the lexicon) by ``obj.score`` in place of the built-in
    scores, and calibrates its shares as it does its own. Wrapping a model that scores
    whole strings (a KenLM model's ``score(sentence, bos=False, eos=False)``, in log10) is
    three lines:

    >>> class Whole:  # stands in for kenlm.Model("english.arpa"): log10 of a string
    ...     def score(self, text: str, bos: bool = False, eos: bool = False) -> float:
    ...         return sum(-0.2 if ch in "the cat sat on mat" else -2.0 for ch in text)
    >>> class Adapted:
    ...     def __init__(self, lm) -> None:
    ...         self.lm = lm
    ...     def score(self, left: str, filling: str, right: str) -> float:
    ...         return math.log(10) * self.lm.score(left[-40:] + filling + right[:40])
    >>> from collate.restoration import restore
    >>> got = restore("the cat sat on the mat. the c\u25a1t sat.", model=Adapted(Whole()),
    ...               calibration=0)
    >>> isinstance(Adapted(Whole()), LanguageModel), got.lacunae[0].best.text
    (True, 'a')
    """

    def score(self, left: str, filling: str, right: str) -> float:
        """Log-probability of ``filling + right`` after ``left``."""
        ...


class _Scoring:
    """``logprob`` and ``score`` for a character model with ``order`` and ``prob``."""

    order: int
    _logrows: dict[str, dict[str, float]]  # per history, the log-probabilities worked out

    def prob(self, context: str, char: str) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def logp(self, context: str, char: str) -> float:
        """``log(prob(context, char))``, remembered per history and character."""
        h = context[-(self.order - 1) :] if self.order > 1 else ""
        row = self.row(h)
        got = row.get(char)
        if got is None:
            got = row[char] = math.log(self.prob(h, char))
        return got

    def row(self, history: str) -> dict[str, float]:
        """The log-probabilities after ``history`` (cut to its last ``order - 1``
        characters already) that :meth:`logp` has worked out so far, by character: a
        caller that tries many characters after one history looks them up here first."""
        try:
            rows = self._logrows
        except AttributeError:
            rows = self._logrows = {}
        got = rows.get(history)
        if got is None:
            if len(rows) > LOGROWS:
                rows.clear()
            got = rows[history] = {}
        return got

    def logprob(self, context: str, text: str) -> float:
        """Natural-log probability of ``text`` following ``context``."""
        total, k = 0.0, self.order - 1
        ctx = context[-k:] if k else ""
        for ch in text:
            row = self.row(ctx)
            got = row.get(ch)
            if got is None:
                got = row[ch] = math.log(self.prob(ctx, ch))
            total += got
            ctx = (ctx + ch)[-k:] if k else ""
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
        data = BREAK + (BREAK * (order - 1)).join(texts) + BREAK
        self._fit(Counter(data[i : i + order] for i in range(len(data) - order + 1)), order)

    @classmethod
    def from_counts(cls, counts: dict[str, int], order: int) -> KneserNey:
        """A model of the ``order``-grams ``counts`` (as :func:`collections.Counter` of the
        training data's n-grams; a corpus model stores them).

        >>> lm = KneserNey.from_counts({"\\x00ab": 2, "abc": 2, "bc\\x00": 2}, order=3)
        >>> lm.prob("ab", "c") > lm.prob("ab", "a")
        True
        """
        self = cls.__new__(cls)
        self._fit(Counter(counts), order)
        return self

    def _fit(self, top: Counter[str], order: int) -> None:
        self.order = order
        self.alphabet = frozenset("".join(top)) - {BREAK}
        self._uniform = 1.0 / (len(self.alphabet) + 2)  # + BREAK + one unseen symbol
        # counts[n][gram] for grams of length n (1..order): raw at the top, continuation below
        # (in how many contexts a gram was seen). BREAK is a symbol like any other.
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
            den: dict[str, int] = {}
            for g, c in counts[n].items():
                h = g[:-1]
                den[h] = den.get(h, 0) + c
            types = Counter(g[:-1] for g in counts[n])
            values = Counter(counts[n].values())
            n1, n2 = values[1], values[2]
            d = min(0.95, max(0.05, n1 / (n1 + 2 * n2))) if n1 else 0.5
            self._disc[n] = d
            # per history: (1 / count, weight of the lower order)
            self._hist[n] = {h: (1.0 / c, d * types[h] / c) for h, c in den.items()}
        follow: dict[str, dict[str, int]] = {}
        for g, c in top.items():  # the characters seen after each pair, commonest first
            f = follow.get(pair := g[-3:-1])
            if f is None:
                f = follow[pair] = {}
            f[g[-1]] = f.get(g[-1], 0) + c
        self.followers = {
            h: "".join(sorted(f, key=f.__getitem__, reverse=True)) for h, f in follow.items()
        }
        # P(. | history) as one row per history over the symbols (the last column: any
        # unseen symbol), with the symbols seen after that history; built on demand
        self._symbols = [*sorted(self.alphabet), BREAK]
        self._column = {ch: i for i, ch in enumerate(self._symbols)}
        base = np.full(len(self._symbols) + 1, self._uniform)
        self._base = (base, list(range(len(self._symbols))))
        self._rows: dict[str, tuple[np.ndarray, list[int]]] = {}
        self._lists: dict[str, array[float]] = {}

    def seen(self, context: str) -> int:
        """How often the full history of ``context`` (its last ``order - 1`` characters)
        was seen in training."""
        got = self._hist[self.order].get(context[-(self.order - 1) :])
        return round(1.0 / got[0]) if got else 0

    def prob(self, context: str, char: str) -> float:
        """P(char | context), using the last ``order - 1`` characters of ``context``."""
        return self._p(context[-(self.order - 1) :] if self.order > 1 else "", char)

    def _p(self, h: str, char: str) -> float:
        """P(char | h), ``h`` of at most ``order - 1`` characters. A full-length history
        (most are met once, for a few characters) is worked out for ``char`` alone from the
        row of its shorter history; shorter ones read their own row."""
        col = self._column.get(char, -1)
        n = len(h) + 1
        if n < self.order or not h:
            return self._values(h)[col]
        lower = self._values(h[1:])[col]
        weights = self._hist[n].get(h)
        if weights is None:
            return lower
        c = self._num[n].get(h + char)
        return (c - self._disc[n]) * weights[0] + weights[1] * lower if c else weights[1] * lower

    def _values(self, h: str) -> array[float]:
        """The row of ``h`` as an array of floats (one value is read far cheaper than from
        a NumPy row, and a value takes 8 bytes where a list's takes 32; remembered)."""
        got = self._lists.get(h)
        if got is None:
            got = self._lists[h] = array("d", self._row(h)[0].tobytes())
        return got

    def _row(self, h: str) -> tuple[np.ndarray, list[int]]:
        """P(. | h) over every symbol, and the columns of the symbols seen after ``h``.

        Worked out from the row of the history one character shorter (remembered, so
        contexts that share their last characters share the lower orders' work): its
        probabilities times the weight of the lower order, plus the discounted counts of
        the symbols seen after ``h`` (a subset of those seen after the shorter history). A
        history unseen in training keeps its lower order's row.
        """
        got = self._rows.get(h)
        if got is not None:
            return got
        lower, seen = self._row(h[1:]) if h else self._base
        n = len(h) + 1
        weights = self._hist[n].get(h)
        if weights is None:
            got = (lower, [])
        else:
            num, symbols = self._num[n], self._symbols
            pairs = [(i, c) for i in seen if (c := num.get(h + symbols[i]))]
            row = weights[1] * lower
            cols = [i for i, _ in pairs]
            counts = np.array([c for _, c in pairs], dtype=np.float64)
            row[cols] = (counts - self._disc[n]) * weights[0] + row[cols]
            got = (row, cols)
        self._rows[h] = got
        return got


class SortedKneserNey(_Scoring):
    """The :class:`KneserNey` estimate read in place from sorted n-gram tables (a corpus
    model's, see :func:`~collate.restoration.ngrams.char_tables`): no dictionary of n-grams
    is built; a history's row is found by bisection and remembered once used.

    Examples
    --------
    >>> from collate.restoration.ngrams import char_tables
    >>> text = "the cat sat on the mat. the cat ate."
    >>> arrays, meta = char_tables([text], 4, (1, 1, 1, 1))
    >>> lm, kn = SortedKneserNey(arrays, meta), KneserNey([text], order=4)
    >>> [round(m.prob("the c", "a"), 9) for m in (lm, kn)]
    [0.801697518, 0.801697518]
    >>> symbols = [*lm.alphabet, BREAK, "#"]
    >>> round(sum(lm.prob("e ca", ch) for ch in symbols), 6)
    1.0
    """

    def __init__(self, tables: dict[str, np.ndarray], meta: dict) -> None:
        self.order = order = int(meta["order"])
        self.alphabet = frozenset(meta["alphabet"]) - {BREAK}
        self.followers: dict[str, str] = dict(meta["followers"])
        self._bits = int(meta["bits"])
        self._disc = [float(d) for d in meta["disc"]]
        self._ids = {ch: i + 1 for i, ch in enumerate(meta["alphabet"])}
        self._keys = [np.zeros(0, np.int64)] + [tables[f"c{n}_k"] for n in range(1, order + 1)]
        self._vals = [np.zeros(0, np.uint32)] + [tables[f"c{n}_v"] for n in range(1, order + 1)]
        # column 0: any symbol the tables do not code; uniform over the coded ones and it
        self._base = np.full(len(meta["alphabet"]) + 1, 1.0 / (len(self.alphabet) + 2))
        self._lists: dict[str, array[float]] = {}
        self._hist: dict[str, tuple[float, float, dict[int, int]] | None] = {}
        self._memo: dict[str, float] = {}

    def _key(self, h: str) -> int | None:
        """``h`` packed as a key (``None`` where it holds a symbol the tables lack)."""
        key = 0
        for ch in h:
            i = self._ids.get(ch)
            if i is None:
                return None
            key = (key << self._bits) | i
        return key

    def _span(self, h: str) -> tuple[int, int] | None:
        """(first, end) of the n-grams that continue ``h`` in the table of its order,
        ``None`` where there are none."""
        key = self._key(h)
        if key is None:
            return None
        keys = self._keys[len(h) + 1]
        lo, hi = keys.searchsorted((key << self._bits, (key + 1) << self._bits)).tolist()
        return (lo, hi) if hi > lo else None

    def prob(self, context: str, char: str) -> float:
        """P(char | context), using the last ``order - 1`` characters of ``context``."""
        return self._p(context[-(self.order - 1) :] if self.order > 1 else "", char)

    def _p(self, h: str, char: str) -> float:
        """P(char | h), remembered (every restorer of a document asks the same)."""
        key = h + char
        got = self._memo.get(key)
        if got is None:
            if len(self._memo) > MEMO:
                self._memo.clear()
            got = self._memo[key] = self._uncached(h, char)
        return got

    def _uncached(self, h: str, char: str) -> float:
        """P(char | h): a full-length history read for ``char`` alone (most are met for a
        few characters), shorter ones from their remembered rows."""
        col = self._ids.get(char, 0)
        lists = self._lists
        if len(h) < self.order - 1 or not h:
            row = lists.get(h)
            return (row if row is not None else self._values(h))[col]
        row = lists.get(h[1:])
        lower = (row if row is not None else self._values(h[1:]))[col]
        hist = self._hist.get(h, ())
        if hist == ():
            if len(self._hist) > MEMO:
                self._hist.clear()
            hist = self._hist[h] = self._weights(h)
        if hist is None:
            return lower
        inv, weight, counts = hist
        c = counts.get(col)
        return (c - self._disc[self.order]) * inv + weight * lower if c else weight * lower

    def _weights(self, h: str) -> tuple[float, float, dict[int, int]] | None:
        """(1 / count, weight of the lower order, the counts after it by symbol) of a
        full-length history (its row is short: read once into a dictionary)."""
        span = self._span(h)
        if span is None:
            return None
        lo, hi = span
        n = len(h) + 1
        counts = self._vals[n][lo:hi].tolist()
        cols = (self._keys[n][lo:hi] & ((1 << self._bits) - 1)).tolist()
        den = float(sum(counts))
        return 1.0 / den, self._disc[n] * (hi - lo) / den, dict(zip(cols, counts, strict=True))

    def _values(self, h: str) -> array[float]:
        """The row of ``h`` as an array of floats (read one value at a time far faster than
        a NumPy row, and eight bytes a value where a list of floats takes 32)."""
        got = self._lists.get(h)
        if got is None:
            if len(self._lists) > ROWS:
                self._lists.clear()
            got = self._lists[h] = array("d", self._row(h).tobytes())
        return got

    def _row(self, h: str) -> np.ndarray:
        """P(. | h) over every coded symbol (column 0: any other), from the row of the
        history one shorter."""
        lower = np.frombuffer(self._values(h[1:])) if h else self._base
        got = lower
        span = self._span(h)
        if span is not None:
            lo, hi = span
            n = len(h) + 1
            counts = self._vals[n][lo:hi].astype(np.float64)
            den, d = float(counts.sum()), self._disc[n]
            got = lower * (d * (hi - lo) / den)
            got[self._keys[n][lo:hi] & ((1 << self._bits) - 1)] += (counts - d) / den
        return got


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

    def __init__(
        self, texts: Iterable[str], *, order: int = 6,
        background: KneserNey | SortedKneserNey | None = None,
        case: Sequence[dict[str, tuple[int, int]]] = (),
    ) -> None:
        texts = list(texts)
        self.order = order
        self.kn = KneserNey([_fold(t) for t in texts], order=order)
        self.background = background if background is not None and background.order == order \
            else None
        self.followers: Mapping[str, str] = self.kn.followers
        if self.background is not None:
            self.followers = _Followers(self.kn.followers, self.background.followers)
        # case model: (upper, total) counts of cased letters after 0..3 characters, learnt
        # from the first CASE_SAMPLE characters (case habits show early; speed)
        self._case: list[dict[str, tuple[int, int]]] = []
        sample, room = [], CASE_SAMPLE
        for t in texts:
            sample.append(t[:room])
            room -= len(sample[-1])
        # the three characters before each cased letter, counted once; shorter histories
        # are their suffixes, summed over the (far fewer) distinct three-character ones
        alls3 = Counter(h for t in sample for h in _CASED_AFTER.findall(t))
        ups3 = Counter(h for t in sample for h in _UPPER_AFTER.findall(t))
        for k in range(4):
            alls: Counter[str] = Counter()
            ups: Counter[str] = Counter()
            for h3, n in alls3.items():
                alls[h3[max(0, len(h3) - k) :] if k else ""] += n
            for h3, n in ups3.items():
                ups[h3[max(0, len(h3) - k) :] if k else ""] += n
            level = {h: (ups[h], n) for h, n in alls.items()}
            for h, (u, n) in (case[k].items() if k < len(case) else ()):
                u0, n0 = level.get(h, (0, 0))
                level[h] = (u0 + u, n0 + n)
            self._case.append(level)
        self._uppers: dict[str, float] = {}
        self._states: dict[str, tuple[str, float]] = {}
        self.options: dict[tuple[str, tuple], tuple[str, ...]] = {}  # for the search

    def p_upper(self, h: str) -> float:
        """Probability that a letter after ``h`` is a capital (backed-off counts)."""
        h = h[-3:]
        got = self._uppers.get(h)
        if got is None:
            got = self._uppers[h] = self._p_upper(h)
        return got

    def _p_upper(self, h: str) -> float:
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
        state = self._states.get(h)
        if state is None:
            if len(self._states) > LOGROWS:
                self._states.clear()
            state = self._states[h] = self._state(h)
        folded, upper, mix = state
        low = char.lower()
        if len(low) != 1:
            low = char
        if not mix:  # a history the document never saw: the corpus's n-grams alone (the
            # mixture below gives exactly that; the document's estimate is not worked out)
            p = self.background._p(folded, low)
        else:
            p = self.kn._p(folded, low)
            if mix < 1.0:  # a corpus's n-grams fill in where the document saw this history little
                p = mix * p + (1.0 - mix) * self.background._p(folded, low)
        if char.isupper():
            p *= upper
        elif char.islower():
            p *= 1.0 - upper
        return p

    def _state(self, h: str) -> tuple[str, float, float]:
        """What every character after ``h`` shares: the casefolded history (at most
        ``order - 1`` characters already), the probability of a capital, and the weight of
        the document's own n-grams against the corpus's (by how often it saw the history)."""
        folded = h.lower()
        if len(folded) != len(h):
            folded = _fold(h)
        mix = 1.0
        if self.background is not None:
            seen = self.kn.seen(folded)
            mix = seen / (seen + MIX)
        return folded, self.p_upper(h), mix


class _Followers(Mapping[str, str]):
    """The characters seen after each pair of characters, the document's first, then the
    corpus's not among them: merged when a pair is first asked for (a model asks for a few
    hundred of the corpus's thousands of pairs, and one is trained per calibration round).

    >>> f = _Followers({"ab": "c"}, {"ab": "dc", "xy": "z"})
    >>> f["ab"], f.get("xy"), f.get("qq"), len(f)
    ('cd', 'z', None, 2)
    """

    def __init__(self, own: Mapping[str, str], corpus: Mapping[str, str]) -> None:
        self._own, self._corpus = own, corpus
        self._merged: dict[str, str] = {}

    def __getitem__(self, pair: str) -> str:
        got = self._merged.get(pair)
        if got is None:
            own, corpus = self._own.get(pair), self._corpus.get(pair)
            if own is None and corpus is None:
                raise KeyError(pair)
            got = self._merged[pair] = _merge(own or "", corpus or "")
        return got

    def __iter__(self) -> Iterator[str]:
        return iter({**self._own, **self._corpus})

    def __len__(self) -> int:
        return len({**self._own, **self._corpus})


def _merge(first: str, second: str) -> str:
    """The characters of ``first``, then those of ``second`` not in it (order kept).

    >>> _merge("ab", "cba")
    'abc'
    """
    return first + "".join(ch for ch in second if ch not in first)
