"""A word bigram model: the context a character model cannot see.

A 6-gram character model sees the previous word at best; which word fits a gap often
depends on the words on both sides (``the ___ of``). Word bigrams of the document, smoothed
by absolute discounting toward general bigrams of the language (where a list is installed)
and below them the lexicon's unigram prior, rescore the best fillings.
"""

from __future__ import annotations

import importlib.util
import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from collate.restoration.lexicon import WORD, Lexicon
from collate.restoration.lm import BREAK

#: General bigram lists by language: the package that ships one and its files (pair counts,
#: then word counts from the same source, which give each word's share of pairs listed).
GENERAL = {
    "en": (
        "symspellpy",
        "frequency_bigramdictionary_en_243_342.txt",
        "frequency_dictionary_en_82_765.txt",
    )
}
COVERAGE_TOP = 300  #: most common words whose listed share of pairs scales every word's
MAX_COVERAGE = 0.9  #: most of a word's following mass given to its listed pairs
FOLLOWERS = 40  #: most common followers (and predecessors) of a word offered as candidates


class GeneralBigrams:
    """Bigrams of a language from a frequency list (counts of common word pairs).

    A list holds only common pairs, and its counts are on another scale than its word
    counts; so each word ``a`` gets a coverage ``lambda(a)``, the share of its pairs that the
    list holds (its listed pair mass over its word count, scaled so that the best-covered
    common words reach :data:`MAX_COVERAGE`), and
    ``P(b | a) = lambda(a) * c(a, b) / sum_b' c(a, b') + (1 - lambda(a)) * P(b)``.

    Examples
    --------
    >>> g = GeneralBigrams([("of", "the", 90), ("of", "a", 10)], {"of": 100, "the": 200})
    >>> round(g.prob("of", "the", 0.001), 4), g.prob("zebra", "the", 0.001)
    (0.8101, 0.001)
    """

    def __init__(self, pairs: Iterable[tuple[str, str, int]], words: dict[str, int]) -> None:
        rows: dict[str, dict[str, int]] = {}
        cols: dict[str, dict[str, int]] = {}
        for a, b, c in pairs:
            rows.setdefault(a, {})[b] = c
            cols.setdefault(b, {})[a] = c
        mass = {a: sum(r.values()) for a, r in rows.items()}
        common = sorted((w for w in words if w in mass), key=lambda w: (-words[w], w))
        scale = max((mass[w] / words[w] for w in common[:COVERAGE_TOP]), default=1.0)
        self._rows: dict[str, tuple[float, dict[str, float]]] = {}
        for a, r in rows.items():
            cover = min(MAX_COVERAGE, mass[a] / (scale * words[a])) if words.get(a) else 0.5
            self._rows[a] = (cover, {b: cover * c / mass[a] for b, c in r.items()})
        self._next = {a: _top(r) for a, r in rows.items()}
        self._prev = {b: _top(r) for b, r in cols.items()}

    def prob(self, a: str, b: str, unigram: float) -> float:
        """P(b | a) for casefolded words, given ``b``'s unigram probability."""
        row = self._rows.get(a)
        if row is None:
            return unigram
        return row[1].get(b, 0.0) + (1.0 - row[0]) * unigram

    def neighbours(self, prev: str | None, nxt: str | None) -> list[str]:
        """The commonest words listed after ``prev`` and before ``nxt``."""
        a = self._next.get(prev.casefold(), ()) if prev else ()
        b = self._prev.get(nxt.casefold(), ()) if nxt else ()
        return [*a, *b]


def _top(counts: dict[str, int]) -> tuple[str, ...]:
    return tuple(sorted(counts, key=lambda w: (-counts[w], w))[:FOLLOWERS])


@lru_cache(maxsize=2)
def general_bigrams(lang: str | None) -> GeneralBigrams | None:
    """The general bigrams of ``lang`` from an installed list (see :data:`GENERAL`), or
    ``None`` where there is none (the document's bigrams then back off to unigrams)."""
    if lang not in GENERAL:
        return None
    package, pair_file, word_file = GENERAL[lang]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent

    def rows(name: str) -> Iterable[list[str]]:
        with open(folder / name, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if parts and parts[-1].isdigit():
                    yield parts

    try:
        words = {p[0]: int(p[1]) for p in rows(word_file) if len(p) == 2}
        pairs = ((p[0], p[1], int(p[2])) for p in rows(pair_file) if len(p) == 3)
        return GeneralBigrams(pairs, words)
    except (OSError, ValueError):  # unreadable or not UTF-8: do without
        return None


class WordBigrams:
    """Interpolated absolute-discounting bigrams over casefolded words.

    Parameters
    ----------
    texts
        Training texts; no bigram crosses a :data:`~collate.restoration.lm.BREAK`.
    lexicon
        Gives the unigram prior that unseen pairs back off to.
    general
        General bigrams of the language, between the document's pairs and the unigrams.

    Examples
    --------
    >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
    >>> bi = WordBigrams(["the cat sat on the mat", "the cat sat"], lex)
    >>> bi.logprob("the", "cat") > bi.logprob("the", "sat")
    True
    """

    def __init__(
        self,
        texts: Iterable[str],
        lexicon: Lexicon,
        *,
        discount: float = 0.75,
        general: GeneralBigrams | None = None,
    ):
        self.lexicon = lexicon
        self.discount = discount
        self.general = general
        pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            for chunk in text.split(BREAK):
                words = [w.casefold() for w in WORD.findall(chunk)]
                pairs.update(pairwise(words))
        self.pairs = pairs
        self.first: Counter[str] = Counter()
        self.types: Counter[str] = Counter()
        self._next: dict[str, list[str]] = {}
        self._prev: dict[str, list[str]] = {}
        for (a, b), c in sorted(pairs.items()):
            self.first[a] += c
            self.types[a] += 1
            self._next.setdefault(a, []).append(b)
            self._prev.setdefault(b, []).append(a)

    def neighbours(self, prev: str | None, nxt: str | None) -> list[str]:
        """Words seen after ``prev`` or before ``nxt`` (casefolded), in a stable order.

        >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
        >>> WordBigrams(["the cat sat on the mat"], lex).neighbours("the", "on")
        ['cat', 'mat', 'sat']
        """
        a = self._next.get(prev.casefold(), []) if prev else []
        b = self._prev.get(nxt.casefold(), []) if nxt else []
        c = self.general.neighbours(prev, nxt) if self.general else []
        return sorted({*a, *b, *c})

    def logprob(self, prev: str, word: str) -> float:
        """Natural-log P(word | prev)."""
        a, w = prev.casefold(), word.casefold()
        uni = math.exp(self.lexicon.prior(w))
        if self.general is not None:
            uni = self.general.prob(a, w, uni)
        n = self.first.get(a)
        if not n:
            return math.log(uni)
        c = self.pairs.get((a, w), 0)
        d = self.discount
        return math.log(max(c - d, 0.0) / n + d * self.types[a] / n * uni)

    def score(self, left: str, filling: str, right: str) -> float:
        """Sum of log P over the word pairs that touch ``filling`` (between ``left`` and
        ``right``) or that it joins (an empty filling makes its neighbours a pair); pairs
        wholly outside the filling are the same for every filling. A word of the filling
        whose left neighbour is lost (or absent, or parted from it by lost text) adds its
        unigram log probability, what the lost neighbour's pair would give on average.

        >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
        >>> bi = WordBigrams(["the cat sat on the mat"], lex)
        >>> bi.score("the ", "", " sat") < bi.score("the ", "cat", " sat")
        True
        """
        window = left[-40:] + filling + right[:40]
        a, b = min(40, len(left)), min(40, len(left)) + len(filling)
        words: list[tuple[str, int, int] | None] = []
        for m in WORD.finditer(window):
            if BREAK in window[max(0, m.start() - 1) : m.end() + 1]:
                words.append(None)  # a partial word next to another gap: unknown
            else:
                words.append((m.group(), m.start(), m.end()))
        total = 0.0
        for prev, cur in pairwise([None, *words]):
            if cur is None:
                continue
            if prev is not None and BREAK in window[prev[2] : cur[1]]:
                prev = None  # text between them is lost: not a pair
            if prev is None:  # its left neighbour unknown: the word's own probability
                if cur[1] < b and cur[2] > a:
                    total += self.lexicon.prior(cur[0])
            elif prev[1] <= b and cur[2] >= a:
                total += self.logprob(prev[0], cur[0])
        return total
