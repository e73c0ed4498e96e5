"""A word n-gram model: the context a character model cannot see.

A 6-gram character model sees the previous word at best; which word fits a gap often
depends on the words on both sides (``the ___ of``). Word trigrams and bigrams of the
document and of a corpus model, smoothed by absolute discounting toward general bigrams of
the language (where the built-in model lists them) and below them the lexicon's unigram
prior, rescore the best fillings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cached_property
from itertools import pairwise

from collate.restoration.charlm import BREAK
from collate.restoration.corpusmodel import FOLLOWERS, Model, general_model
from collate.restoration.lexicon import WORD, Lexicon, word_edges
from collate.restoration.ngrams import DISCOUNT

#: most word probabilities (pairs, and triples apart) one model remembers, then it starts
#: afresh (one model is alive per process at a time): at 8,000, the phrase beam of nine long
#: spans worked out 330,000 triples for 190,000 distinct ones
MEMO = 400_000
FIRST = 200  #: completions of the partly kept word a phrase may open with, judged by context


def general_bigrams(lang: str | None) -> Model | None:
    """The built-in model of ``lang`` where it lists the language's common word pairs
    (English: symspellpy's list), else ``None`` (the document's pairs then back off to
    unigrams)."""
    model = general_model(lang)
    return model if model is not None and model.has_bigrams else None


def _flat(n: int) -> float:
    """A length prior that prefers no length."""
    return 0.0


class WordBigrams:
    """Interpolated absolute-discounting word trigrams and bigrams over casefolded words.

    Parameters
    ----------
    texts
        Training texts; no n-gram crosses a :data:`~collate.restoration.charlm.BREAK`.
    lexicon
        Gives the unigram prior that unseen pairs back off to.
    general
        A built-in model listing the language's pairs, between the seen pairs and the
        unigrams.
    corpus
        A corpus model whose pairs and triples count with the texts'.

    Examples
    --------
    >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
    >>> bi = WordBigrams(["the cat sat on the mat", "the cat sat"], lex)
    >>> bi.logprob("the", "cat") > bi.logprob("the", "sat")
    True
    >>> bi.logprob3("the", "cat", "sat") > bi.logprob("cat", "sat")
    True
    """

    def __init__(
        self,
        texts: Iterable[str],
        lexicon: Lexicon,
        *,
        discount: float = DISCOUNT,
        general: Model | None = None,
        corpus: Model | None = None,
    ):
        self.lexicon = lexicon
        self.discount = discount
        self.general = general
        pairs: Counter[tuple[str, str]] = Counter()
        triples: Counter[tuple[str, str, str]] = Counter()
        for text in texts:
            for chunk in text.split(BREAK):
                words = [w.casefold() for w in WORD.findall(chunk)]
                pairs.update(pairwise(words))
                triples.update(zip(words, words[1:], words[2:], strict=False))
        self.pairs = pairs
        self.triples = triples
        self._corpus = corpus
        self.first, self.types = _margins(pairs)
        self.first2, self.types2 = _margins(triples)
        self._next: dict[str, set[str]] = {}
        self._prev: dict[str, set[str]] = {}
        for a, b in pairs:
            self._next.setdefault(a, set()).add(b)
            self._prev.setdefault(b, set()).add(a)
        self._probs: dict[tuple[str, str], float] = {}
        self._followers: dict[tuple, list[tuple[str, float]]] = {}
        self._logp3: dict[tuple[str, str, str], float] = {}
        self._ends: dict[tuple, dict[int, list[str]]] = {}  # a phrase's last words by length
        self._after_word: dict[str, tuple[list[tuple[str, float]], set[str]]] = {}
        self._sides_key: tuple[str, str] | None = None
        self._sides: tuple = ()

    @cached_property
    def _own_around(self) -> dict[tuple, list[str]]:
        """The texts' triples by their outer words (see :func:`_around`)."""
        return _around(self.triples)

    def between(
        self, prev2: str | None, prev: str | None, nxt: str | None, nxt2: str | None
    ) -> list[str]:
        """Words seen (in the texts or the corpus model) after ``prev2 prev``, before
        ``nxt nxt2``, or between ``prev`` and ``nxt`` (casefolded, a stable order): what a
        lost whole word most likely was, by the words on both sides.

        >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
        >>> WordBigrams(["a cat sat on the mat", "the dog sat on"], lex).between(
        ...     None, "the", "sat", "on")
        ['cat', 'dog']
        """
        keys = [
            ("after", (prev2.casefold(), prev.casefold())) if prev2 and prev else None,
            ("before", (nxt.casefold(), nxt2.casefold())) if nxt and nxt2 else None,
            ("inside", (prev.casefold(), nxt.casefold())) if prev and nxt else None,
        ]
        found: set[str] = set()
        for key in filter(None, keys):
            found.update(self._own_around.get(key, ()))
        corpus = self._corpus
        if corpus is not None:
            if prev2 and prev:
                found.update(corpus.after(prev2.casefold(), prev.casefold(), FOLLOWERS))
            if nxt and nxt2:
                found.update(corpus.before(nxt.casefold(), nxt2.casefold()))
            if prev and nxt:
                found.update(corpus.inside(prev.casefold(), nxt.casefold()))
        return sorted(found)

    def fit(
        self, prev2: str | None, prev: str | None, word: str, nxt: str | None, nxt2: str | None
    ) -> float:
        """Log P of ``word`` in its place and of the (up to) two words after it that it
        conditions, the same terms as :meth:`score` for a lost whole word but on words: a
        lost word is judged by both its sides.

        >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
        >>> bi = WordBigrams(["the cat sat on the mat"], lex)
        >>> bi.fit(None, "the", "cat", "sat", "on") > bi.fit(None, "the", "mat", "sat", "on")
        True
        """
        if prev2 and prev:
            total = self.logprob3(prev2, prev, word)
        else:
            total = self.logprob(prev, word) if prev else self.lexicon.prior(word)
        if nxt:
            total += self.logprob3(prev, word, nxt) if prev else self.logprob(word, nxt)
            if nxt2:
                total += self.logprob3(word, nxt, nxt2)
        return total

    def neighbours(self, prev: str | None, nxt: str | None) -> list[str]:
        """Words seen after ``prev`` or before ``nxt`` (casefolded), in a stable order.

        >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
        >>> WordBigrams(["the cat sat on the mat"], lex).neighbours("the", "on")
        ['cat', 'mat', 'sat']
        """
        a = self._next.get(prev.casefold(), ()) if prev else ()
        b = self._prev.get(nxt.casefold(), ()) if nxt else ()
        c = self.general.general_neighbours(prev, nxt) if self.general else []
        d = self._corpus_neighbours(prev, nxt) if self._corpus is not None else []
        return sorted({*a, *b, *c, *d})

    def _corpus_neighbours(self, prev: str | None, nxt: str | None) -> list[str]:
        corpus = self._corpus
        a = corpus.followers(prev.casefold()) if prev else []
        b = corpus.leaders(nxt.casefold()) if nxt else []
        return [*a, *b]

    def _bigram(self, a: str, w: str) -> tuple[float, float, float]:
        """(count of the pair, count of ``a`` first, types after ``a``) over texts + corpus."""
        c, n, t = self.pairs.get((a, w), 0), self.first.get(a, 0), self.types.get(a, 0)
        if self._corpus is not None:
            c += self._corpus.pair(a, w)
            n0, t0 = self._corpus.pair_margin(a)
            n, t = n + n0, t + t0
        return c, n, t

    def logprob(self, prev: str, word: str) -> float:
        """Natural-log P(word | prev)."""
        return math.log(self._prob(prev.casefold(), word.casefold()))

    def _prob(self, a: str, w: str) -> float:
        got = self._probs.get((a, w))
        if got is None:
            if len(self._probs) > MEMO:
                self._probs.clear()
            got = self._probs[(a, w)] = self._uncached(a, w)
        return got

    def _uncached(self, a: str, w: str) -> float:
        uni = math.exp(self.lexicon.prior(w))
        if self.general is not None:
            uni = self.general.general_prob(a, w, uni)
        c, n, t = self._bigram(a, w)
        if not n:
            return uni
        d = self.discount
        return max(c - d, 0.0) / n + d * t / n * uni

    def logprob3(self, prev2: str, prev: str, word: str) -> float:
        """Natural-log P(word | prev2 prev): seen triples, backed off to :meth:`logprob`
        (remembered per triple)."""
        key = (prev2, prev, word)
        got = self._logp3.get(key)
        if got is None:
            if len(self._logp3) > MEMO:
                self._logp3.clear()
            got = self._logp3[key] = self._logprob3(prev2.casefold(), prev.casefold(),
                                                    word.casefold())
        return got

    def _logprob3(self, u: str, a: str, w: str) -> float:
        lower = self._prob(a, w)
        c, n = self.triples.get((u, a, w), 0), self.first2.get((u, a), 0)
        t = self.types2.get((u, a), 0)
        if self._corpus is not None:
            c += self._corpus.triple(u, a, w)
            n0, t0 = self._corpus.triple_margin(u, a)
            n, t = n + n0, t + t0
        if not n:
            return math.log(lower)
        d = self.discount
        return math.log(max(c - d, 0.0) / n + d * t / n * lower)

    def score(self, left: str, filling: str, right: str) -> float:
        """Sum of log P over the words whose n-gram (the word and up to two before it)
        touches ``filling`` (between ``left`` and ``right``) or that it joins (an empty
        filling makes its neighbours adjacent); terms wholly outside the filling are the
        same for every filling. A word of the filling whose left neighbour is lost adds its
        unigram log probability.

        >>> lex = Lexicon(["the cat sat on the mat"], lang=None)
        >>> bi = WordBigrams(["the cat sat on the mat"], lex)
        >>> bi.score("the ", "", " sat") < bi.score("the ", "cat", " sat")
        True
        """
        left, right = left[-40:], right[:40]
        key = (left, right)
        if self._sides_key != key:  # the words beside a hole: found once per hole
            self._sides_key, self._sides = key, _sides(left, right)
        (head, i), (tail, j) = self._sides
        middle = left[i:] + filling + right[:j]
        # the characters either side of the middle decide whether its edge words are partial
        around = left[i - 1 : i] + middle + right[j : j + 1]
        shift = i - len(left[i - 1 : i])
        words = list(head)
        for m in WORD.finditer(around):
            whole = BREAK not in around[max(0, m.start() - 1) : m.end() + 1]
            words.append((m.group(), m.start() + shift, m.end() + shift) if whole else None)
        moved = len(filling)
        words += [(w[0], w[1] + moved, w[2] + moved) if w else None for w in tail]
        a, b = len(left), len(left) + len(filling)
        text = left + filling + right
        total = 0.0
        for k, cur in enumerate(words):
            if cur is None or cur[2] < a:
                continue
            prev = words[k - 1] if k else None
            if prev is None or BREAK in text[prev[2] : cur[1]]:
                # its left neighbour lost (or absent, or parted from it by lost text): the
                # word's own probability, what that neighbour's pair gives on average
                if cur[1] < b and cur[2] > a:
                    total += self.lexicon.prior(cur[0])
                continue
            first = words[k - 2] if k >= 2 else None
            if first is not None and first[1] <= b:
                total += self.logprob3(first[0], prev[0], cur[0])
            elif prev[1] <= b:
                total += self.logprob(prev[0], cur[0])
        return total


    def phrases(
        self, left: str, right: str, lengths: tuple[int, int], *, beam: int = 12,
        width: int = 8, keep: int = 24, length_prior: Callable[[int], float] = _flat,
    ) -> list[str]:
        """Fillings of a long span made of whole words: a beam over words, each word drawn
        from those seen after the one before it (the texts', the corpus model's, the
        language's listed pairs), scored by :meth:`logprob3`; the first word completes the
        partly kept word on the left (the :data:`FIRST` likeliest completions judged by the
        words before it), the last ends with the one on the right. The fillings found are
        ranked with ``length_prior`` (of their length in characters) added: without it the
        shortest fillings, with the fewest words to pay for, crowd out the rest.

        >>> lex = Lexicon(["the cat sat on the mat"] * 3, lang=None)
        >>> bi = WordBigrams(["the cat sat on the mat"] * 3, lex)
        >>> bi.phrases("so the c", "e mat", (12, 12))
        ['at sat on th']
        """
        lo, hi = lengths
        left, right = left[-40:], right[:40]
        prefix, suffix = word_edges(left, right)
        p, s = prefix.casefold(), suffix.casefold()
        (head, _), (tail, _) = _sides(left, right)
        before = [w[0].casefold() if w else None for w in head[-2:]]
        u, v = [None, None, *before][-2:]
        after = [w[0].casefold() if w else None for w in tail[:2]]
        after = [None, None] if not after or after[0] is None else [*after, None][:2]
        found: dict[str, float] = {}
        closing = self._closing if self._corpus is not None else None
        lex = self.lexicon
        if p:
            words = lex.matching(p, "", range(0, hi + 1))[:FIRST]
            first = sorted(((w, self.logprob3(u, v, w) if u and v else self.logprob(v, w)
                             if v else lex.prior(w)) for w in words), key=lambda t: -t[1])[:width]
        else:
            first = self._next_words(u, v, width)
        # a state: (score, filling, the last two words)
        states = [(sc, lex.form(w)[len(p):], (v, w)) for w, sc in first if len(w) - len(p) <= hi]
        for _ in range(8):
            grown = []
            for sc, fill, (a, b) in states:
                if closing is not None:  # a corpus: the last word judged by both sides
                    for f, fsc in closing(sc, fill, (a, b), s, after, (lo, hi)):
                        found[f] = max(found.get(f, fsc), fsc)
                elif s and b is not None and b.endswith(s) and lo <= len(fill) - len(s) <= hi:
                    found.setdefault(fill[: len(fill) - len(s)], sc)
                elif not s and lo <= len(fill) <= hi:
                    found.setdefault(fill, sc)
                for w, wsc in self._next_words(a, b, width):
                    nxt = fill + " " + lex.form(w)
                    if len(nxt) - len(s) <= hi:
                        grown.append((sc + wsc, nxt, (b, w)))
            states = sorted(grown, key=lambda t: -t[0])[:beam]
            if not states:
                break
        return sorted(found, key=lambda f: -found[f] - length_prior(len(f)))[:keep]

    def _closing(
        self, score: float, fill: str, last: tuple[str | None, str | None], s: str,
        after: list[str | None], lengths: tuple[int, int],
    ) -> list[tuple[str, float]]:
        """The fillings that end a beam state of :meth:`phrases` (score ``score``, text
        ``fill``, last two words ``last``): the state itself, where its last word ends with
        the kept ``s``, and the state with one more word, any word seen after its last two
        or before the two words ``after`` that ends with ``s`` and fits ``lengths``; each
        scored with the words after it. Where ``s`` is a whole word the filling may also end
        with a space before it."""
        a, b = last
        if b is None:
            return []
        ends = [(s, after, "")]
        if s and self.lexicon.is_word(s):
            ends.append(("", [s, after[0]], " "))
        out = []
        for cut, right, trail in ends:
            if b.endswith(cut):
                text = fill[: len(fill) - len(cut)] + trail
                out.append((text, score + self._right(a, b, right)))
            # the one more word's length, that the filling fits ``lengths``
            lo, hi = (n - len(fill) - 1 + len(cut) - len(trail) for n in lengths)
            out += self._one_more(score, fill, (a, b), (cut, trail), right, range(lo, hi + 1))
        lo, hi = lengths
        return [(t, sc) for t, sc in out if lo <= len(t) <= hi]

    def _one_more(
        self, score: float, fill: str, last: tuple[str | None, str], end: tuple[str, str],
        right: list[str | None], sizes: range,
    ) -> list[tuple[str, float]]:
        """``fill`` with one more word of a length in ``sizes`` that ends with ``cut``
        (kept on the right) and then ``trail`` (``end``): the words seen after the last two
        of ``fill``, before ``right`` or between, scored on both sides."""
        if sizes.stop <= 1:
            return []
        (a, b), (cut, trail) = last, end
        lex, out = self.lexicon, []
        key = (a, b, *right)
        by_length = self._ends.get(key)
        if by_length is None:  # the same pair recurs in many states: gathered once
            by_length = {}
            for w in sorted({*self.between(a, b, *right), *self.neighbours(b, None)}):
                by_length.setdefault(len(w), []).append(w)
            self._ends[key] = by_length
        for w in (w for n in sizes for w in by_length.get(n, ())):
            if w.endswith(cut) and len(w) > len(cut):
                form = lex.form(w)
                wsc = self.logprob3(a, b, w) if a else self.logprob(b, w)
                text = fill + " " + form[: len(form) - len(cut)] + trail
                out.append((text, score + wsc + self._right(b, w, right)))
        return out

    def _right(self, a: str | None, b: str, after: list[str | None]) -> float:
        """Log P of the (up to two) whole words ``after`` a filling whose last words are
        ``a b`` (0 where they are lost)."""
        nxt, nxt2 = after
        if nxt is None:
            return 0.0
        total = self.logprob3(a, b, nxt) if a else self.logprob(b, nxt)
        return total + (self.logprob3(b, nxt, nxt2) if nxt2 else 0.0)

    def _next_words(self, a: str | None, b: str | None, width: int) -> list[tuple[str, float]]:
        """The ``width`` likeliest words after ``a b`` among those seen after ``b``
        (remembered per pair).

        Only the words seen after the pair itself are scored one by one: for any other
        word :meth:`logprob3` is the bigram probability times a factor fixed by the pair,
        so those keep the bigram order, and the first ``width`` of them are all that can
        rank (the same list as scoring every word, at a fraction of the cost).
        """
        if b is None:
            return []
        key = (a, b, width)
        got = self._followers.get(key)
        if got is None:
            ranked, seen = self._after(b)
            if a is None:
                got = ranked[:width]
            else:
                third = [w for w in dict.fromkeys(self._after_pair(a, b)) if w in seen]
                known = set(third)
                rest = [w for w, _ in ranked if w not in known][:width]
                scored = [(w, self.logprob3(a, b, w)) for w in [*third, *rest]]
                got = sorted(scored, key=lambda t: (-t[1], t[0]))[:width]
            self._followers[key] = got
        return got

    def _after(self, b: str) -> tuple[list[tuple[str, float]], set[str]]:
        """The words seen after ``b`` with their :meth:`logprob`, likeliest first, and as a
        set (remembered per word)."""
        got = self._after_word.get(b)
        if got is None:
            seen = set(self.neighbours(b, None))
            ranked = sorted(((w, self.logprob(b, w)) for w in seen), key=lambda t: (-t[1], t[0]))
            got = self._after_word[b] = (ranked, seen)
        return got

    def _after_pair(self, a: str, b: str) -> list[str]:
        """The words seen after ``a b`` in a triple of the texts or of the corpus model."""
        pair = (a.casefold(), b.casefold())
        out = list(self._third_words.get(pair, ()))
        if self._corpus is not None:
            out += self._corpus.after(*pair)
        return out

    @cached_property
    def _third_words(self) -> dict[tuple[str, str], list[str]]:
        return _third_index(self.triples)


def _third_index(triples: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], list[str]]:
    """Every word seen after each pair of words, by the pair.

    >>> _third_index([("the", "cat", "sat"), ("the", "cat", "ate")])[("the", "cat")]
    ['sat', 'ate']
    """
    out: dict[tuple[str, str], list[str]] = {}
    for a, b, c in triples:
        got = out.get((a, b))
        if got is None:
            out[(a, b)] = [c]
        else:
            got.append(c)
    return out


def _sides(left: str, right: str) -> tuple[tuple[list, int], tuple[list, int]]:
    """The whole words of ``left`` before the word touching the gap and of ``right`` after
    it (``None`` for words next to another lost stretch), with positions in
    ``left + right``, and where that touching word starts in ``left`` and ends in
    ``right``."""
    prefix, suffix = word_edges(left, right)
    i, j = len(left) - len(prefix), len(suffix)

    def found(text: str, lo: int, hi: int, offset: int) -> list:
        out: list = []
        for m in WORD.finditer(text, lo, hi):
            whole = BREAK not in text[max(0, m.start() - 1) : m.end() + 1]
            out.append((m.group(), m.start() + offset, m.end() + offset) if whole else None)
        return out

    return (found(left, 0, max(0, i - 1), 0), i), (found(right, j + 1, len(right),
                                                          len(left)), j)


def _margins(grams: Counter) -> tuple[Counter, Counter]:
    """Per history (all but the last word): total count and number of distinct followers."""
    first: Counter = Counter()
    types: Counter = Counter()
    for g, c in grams.items():
        h = g[0] if len(g) == 2 else g[:-1]
        first[h] += c
        types[h] += 1
    return first, types


def _around(triples: dict[tuple[str, str, str], int]) -> dict[tuple, list[str]]:
    """For each pair of words, the commonest (at most :data:`FOLLOWERS`) words seen after it
    (key ``("after", (a, b))``), before it (``("before", (b, c))``) and between its two words
    (``("inside", (a, c))``).

    >>> _around({("the", "cat", "sat"): 2, ("the", "dog", "sat"): 1})[("inside", ("the", "sat"))]
    ['cat', 'dog']
    """
    out: dict[tuple, list[str]] = {}
    for (a, b, c), _ in sorted(triples.items(), key=lambda kv: (-kv[1], kv[0])):
        for key, word in ((("after", (a, b)), c), (("before", (b, c)), a), (("inside", (a, c)), b)):
            got = out.setdefault(key, [])
            if len(got) < FOLLOWERS:
                got.append(word)
    return out
