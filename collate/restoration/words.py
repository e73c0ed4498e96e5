"""A word bigram model: the context a character model cannot see.

A 7-gram character model sees the previous word at best; which word fits a gap often
depends on the words on both sides (``the ___ of``). Word bigrams of the document, smoothed
by absolute discounting toward the lexicon's unigram prior, rescore the best fillings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from collate.restoration.lexicon import WORD, Lexicon
from collate.restoration.lm import BREAK


class WordBigrams:
    """Interpolated absolute-discounting bigrams over casefolded words.

    Parameters
    ----------
    texts
        Training texts; no bigram crosses a :data:`~collate.restoration.lm.BREAK`.
    lexicon
        Gives the unigram prior that unseen pairs back off to.

    Examples
    --------
    >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
    >>> bi = WordBigrams(["the cat sat on the mat", "the cat sat"], lex)
    >>> bi.logprob("the", "cat") > bi.logprob("the", "sat")
    True
    """

    def __init__(self, texts: Iterable[str], lexicon: Lexicon, *, discount: float = 0.75):
        self.lexicon = lexicon
        self.discount = discount
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
        return sorted({*a, *b})

    def logprob(self, prev: str, word: str) -> float:
        """Natural-log P(word | prev)."""
        uni = math.exp(self.lexicon.prior(word))
        a, w = prev.casefold(), word.casefold()
        n = self.first.get(a)
        if not n:
            return math.log(uni)
        c = self.pairs.get((a, w), 0)
        d = self.discount
        return math.log(max(c - d, 0.0) / n + d * self.types[a] / n * uni)

    def score(self, left: str, filling: str, right: str) -> float:
        """Sum of log P over the word pairs that touch ``filling`` (between ``left`` and
        ``right``) or that it joins (an empty filling makes its neighbours a pair); pairs
        wholly outside the filling are the same for every filling.

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
        for prev, cur in pairwise(words):
            if prev is None or cur is None:
                continue
            if prev[1] <= b and cur[2] >= a:
                total += self.logprob(prev[0], cur[0])
        return total
