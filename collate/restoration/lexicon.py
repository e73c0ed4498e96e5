"""The word lexicon: words seen in the document, its witnesses and corpus, plus wordfreq's.

It constrains the search (a filling must complete partly kept words into real words) and
gives a word prior (how common a word is in the language, for words the document itself
has too few of).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Set

import regex

from collate.chars import BREAK, WORD
from collate.chars import WORD_OR_APOSTROPHE as WORD_CHAR
from collate.restoration.corpusmodel import Model, general_model, probe_words


def word_edges(left: str, right: str) -> tuple[str, str]:
    """The partly kept word touching a gap between ``left`` and ``right``: its visible
    letters before and after.

    >>> word_edges("the □□", "ately, we")
    ('', 'ately')
    >>> word_edges("so La", "ly")
    ('La', 'ly')
    """
    i = len(left)
    while i > 0 and WORD_CHAR.match(left[i - 1]):
        i -= 1
    j = 0
    while j < len(right) and WORD_CHAR.match(right[j]):
        j += 1
    return left[i:], right[:j]


MU = 3000.0  #: pseudo-count of wordfreq's distribution in the document's word distribution
FLOOR = 1e-9  #: probability of a word neither the document nor wordfreq knows


class _Sorted:
    """Words sorted forwards and reversed, for all words with a given prefix or suffix."""

    def __init__(self, words: Iterable[str]) -> None:
        self.fwd = sorted(words)
        self.rev = sorted(w[::-1] for w in self.fwd)

    def matching(self, prefix: str, suffix: str, sizes: range) -> list[str]:
        """Words ``prefix + x + suffix`` whose length is in ``sizes`` (bisect on the rarer
        side, then filter)."""
        lo = bisect_left(self.fwd, prefix)
        hi = bisect_left(self.fwd, prefix + "\U0010ffff")
        rs = suffix[::-1]
        rlo = bisect_left(self.rev, rs)
        rhi = bisect_left(self.rev, rs + "\U0010ffff")
        if not prefix or (suffix and rhi - rlo < hi - lo):
            got = (w[::-1] for w in self.rev[rlo:rhi])
        else:
            got = iter(self.fwd[lo:hi])
        return [w for w in got if len(w) in sizes and w.startswith(prefix) and w.endswith(suffix)]


def detect_language(text: str) -> str | None:
    """Guess the language of ``text`` from how many of its words are common words of a
    language known to wordfreq; ``None`` when no language covers a fifth of them.

    >>> detect_language("It was the best of times, it was the worst of times.")
    'en'
    >>> detect_language("Imp Caesari divi Antonini") is None
    True
    """
    words = [w.casefold() for w in WORD.findall(text[:200_000])]
    if not words:
        return None
    best, best_cover = None, 0.2
    greek = sum("\u0370" <= w[0] <= "\u03ff" or "\u1f00" <= w[0] <= "\u1fff" for w in words)
    probes = probe_words()
    for lang in ("el",) if greek > len(words) / 2 else [k for k in probes if k != "el"]:
        common = probes.get(lang, frozenset())
        cover = sum(w in common for w in words) / len(words)
        if cover > best_cover:
            best, best_cover = lang, cover
    return best


class Lexicon:
    """Words with counts, indexed by prefix so a search can extend partial words.

    Words are kept casefolded; the language model decides the case of a filling.

    Parameters
    ----------
    texts
        Texts whose words enter the lexicon with their counts (the document, witnesses);
        words touching a ``"\x00"`` (a lost stretch) are left out as partial.
    lang
        Language whose built-in model (:func:`~collate.restoration.corpusmodel.general_model`)
        gives the commonest words that guide the search, the full word list for
        completions and the word prior (``None``: none).
    corpus
        A corpus model (:func:`~collate.restoration.corpusmodel.build_model`) whose words
        count as the document's own.

    Examples
    --------
    >>> lex = Lexicon(["Lately the cat sat"], lang=None)
    >>> lex.is_word("LATELY"), lex.is_prefix("lat"), lex.is_word("lat")
    (True, True, False)
    >>> sorted(lex.children("")) == sorted("ltcs")
    True
    """

    def __init__(
        self, texts: Iterable[str], *, lang: str | None = "en", corpus: Model | None = None
    ) -> None:
        forms: Counter[str] = Counter()
        for text in texts:  # words touching a lost stretch (BREAK) are partial: skip them
            forms.update(
                m.group()
                for m in WORD.finditer(text)
                if BREAK not in text[max(0, m.start() - 1) : m.end() + 1]
            )
        self.counts: Counter[str] = Counter()
        self._forms: dict[str, tuple[int, str]] = {}
        self._lower: Counter[str] = Counter()  # occurrences written in lower case
        for form, c in sorted(forms.items()):
            w = form.casefold()
            self.counts[w] += c
            if form == w:
                self._lower[w] += c
            if c > self._forms.get(w, (0, ""))[0]:
                self._forms[w] = (c, form)
        self.general = general_model(lang) if lang else None
        self.corpus = corpus
        general = self.general
        own = {w for w in self.counts if general is None or not general.is_top(w)}
        self._children: dict[str, set[str]] = {}
        for word in own:
            for i in range(len(word)):
                self._children.setdefault(word[:i], set()).add(word[i])
        self._merged: dict[str, frozenset[str]] = {}
        listed = (lambda w: general.frequency(w) > 0) if general else (lambda w: False)
        self._own = _Sorted(w for w in self.counts if not listed(w))
        self._own_pools: dict[int, set[str]] = {}
        for w in self.counts:
            self._own_pools.setdefault(len(w), set()).add(w)
        self._ranked: dict[int, list[str]] = {}
        self._priors: dict[str, float] = {}
        self._count_memo: dict[str, int] = {}
        self._total = sum(self.counts.values()) + (corpus.total if corpus else 0) or 1

    def count(self, word: str) -> int:
        """How often the document (and the corpus model) has ``word`` (casefolded)."""
        got = self._count_memo.get(word)
        if got is None:
            got = self.counts.get(word, 0) + (self.corpus.count(word) if self.corpus else 0)
            self._count_memo[word] = got
        return got

    def frequency(self, word: str) -> float:
        """The word's frequency in the language (0.0 when unknown or no language)."""
        return self.general.frequency(word) if self.general else 0.0

    def is_word(self, word: str) -> bool:
        """Whether ``word`` (any case) is in the lexicon: the document's, the corpus's or one
        of the language's commonest words."""
        w = word.casefold()
        return self.count(w) > 0 or (self.general is not None and self.general.is_top(w))

    def is_prefix(self, prefix: str) -> bool:
        """Whether some lexicon word starts with ``prefix`` (any case)."""
        p = prefix.casefold()
        return (
            p in self._children
            or (self.general is not None and self.general.is_top_prefix(p))
            or (self.corpus is not None and self.corpus.is_top_prefix(p))
            or self.is_word(p)
        )

    def children(self, prefix: str) -> Set[str]:
        """The casefolded letters that can follow ``prefix`` inside a lexicon word."""
        p = prefix.casefold()
        got = self._merged.get(p)
        if got is None:
            base = self.general.children(p) if self.general else frozenset()
            if self.corpus is not None:
                base = base | self.corpus.children(p)
            own = self._children.get(p)
            got = base | own if own else base
            self._merged[p] = got
        return got

    def prior(self, word: str) -> float:
        """Log word probability: the document's word counts, smoothed toward wordfreq's
        frequencies by :data:`MU` pseudo-words (so a word the document uses gets a large
        boost), floored at :data:`FLOOR` (a word no one knows).

        >>> lex = Lexicon(["Clerval came. Clerval went."], lang="en")
        >>> lex.prior("clerval") > lex.prior("cleaver"), lex.prior("xqzv") == math.log(FLOOR)
        (True, True)
        """
        w = word.casefold()
        got = self._priors.get(w)
        if got is None:
            got = self._priors[w] = self._log_prior(self.count(w), self.frequency(w))
        return got

    def _log_prior(self, count: int, frequency: float) -> float:
        """The log prior of a word seen ``count`` times with ``frequency`` in the language."""
        return math.log(max((count + MU * frequency) / (self._total + MU), FLOOR))

    def matching(self, prefix: str, suffix: str, sizes: range) -> list[str]:
        """Every known word ``prefix + x + suffix`` with ``len(x)`` in ``sizes`` (document
        words and wordfreq's full list; casefolded), most probable first.

        >>> Lexicon(["the lately late latest"], lang=None).matching("", "ately", range(1, 3))
        ['lately']
        """
        p, s = prefix.casefold(), suffix.casefold()
        room = range(len(p) + len(s) + sizes.start, len(p) + len(s) + sizes.stop)
        found = set(self._own.matching(p, s, room))
        if self.corpus is not None:
            found.update(self.corpus.matching(p, s, room))
        if self.general is not None:
            for w, f in self.general.frequent_matching(p, s, room):
                found.add(w)
                if w not in self._priors:  # its frequency is known: no look-up
                    self._priors[w] = self._log_prior(self.count(w), f)
        return sorted(found, key=lambda w: (-self.prior(w), w))

    def pool(self, sizes: range, keep: int) -> list[str]:
        """Candidates for a whole lost word of a length in ``sizes``: the ``keep`` most
        probable words of each length (:meth:`prior`; the document's words and wordfreq's
        commonest of that length), casefolded.

        >>> Lexicon(["a cat and a dog and a cat"], lang=None).pool(range(3, 4), 2)
        ['and', 'cat']
        """
        found: list[str] = []
        for n in sizes:
            if n not in self._ranked:
                general = self.general.pool(n) if self.general else []
                corpus = self.corpus.pool(n) if self.corpus else []
                words = {*general, *corpus, *self._own_pools.get(n, ())}
                self._ranked[n] = sorted(words, key=lambda w: (-self.prior(w), w))
            found += self._ranked[n][:keep]
        return found

    def lower_cost(self, form: str) -> float:
        """Log-odds cost of writing ``form`` in lower case: about 0 for a word the document
        writes in lower case, strongly negative for one it always capitalises (``I``, names).

        >>> lex = Lexicon(["I said that I saw Clerval and I left"], lang=None)
        >>> round(lex.lower_cost("i"), 2), lex.lower_cost("said"), lex.lower_cost("Clerval")
        (-1.95, 0.0, 0.0)
        """
        w = form.casefold()
        if form != w:
            return 0.0
        n = self.count(w)
        return math.log((self._lower_count(w) + 0.5) / (n + 0.5)) if n else 0.0

    def _lower_count(self, w: str) -> int:
        return self._lower[w] + (self.corpus.lower_count(w) if self.corpus else 0)

    def capitalised(self, word: str) -> bool:
        """Whether the document writes ``word`` with a capital wherever it stands (seen at
        least twice, in lower case at most one time in ten): ``I``, names.

        >>> lex = Lexicon(["I said that I saw Clerval, Clerval and I"], lang=None)
        >>> lex.capitalised("i"), lex.capitalised("clerval"), lex.capitalised("saw")
        (True, True, False)
        """
        w = word.casefold()
        n = self.count(w)
        return n >= 2 and self._lower_count(w) * 10 <= n

    def form(self, word: str) -> str:
        """The document's most common spelling of ``word`` (its case), else ``word``.

        >>> Lexicon(["Clerval and I"], lang=None).form("clerval")
        'Clerval'
        """
        got = self._forms.get(word.casefold())
        if got:
            return got[1]
        form = self.corpus.form(word.casefold()) if self.corpus else None
        return form or word

    def most_frequent(self, length: int, pattern: str = "") -> str | None:
        """The most frequent word of ``length`` characters matching ``pattern`` (a regex of
        visible letters, ``.`` for lost ones); the naive baseline restorer.

        >>> Lexicon(["the cat the cat hat"], lang=None).most_frequent(3, ".at")
        'cat'
        """
        rx = regex.compile(pattern or "." * length, regex.IGNORECASE)
        best, score = None, -1.0
        top = self.general.top_words if self.general else []
        for w in {*self.counts, *top}:
            if len(w) == length and rx.fullmatch(w):
                s = self.count(w) / self._total + self.frequency(w)
                if s > score or (s == score and best is not None and w < best):
                    best, score = w, s
        return best
