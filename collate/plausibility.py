"""How plausible a word is in one document: its own agreed words first, then the language.

Two OCR readings of a page cannot outvote each other; what decides between ``Νέρωνος`` and
``Vέρωνος``, or between the book's ``muß`` and a modern ``muss``, is evidence from the
document itself. :class:`Judge` prices a word (lower is better) on the Zipf scale (log10 of
its frequency per billion words) by three sources, the first that speaks deciding:

1. **the document's own words**: a form two of its readings have (anywhere) is a word of
   the text (an engine repeats its own misreadings, ``tlie`` on every line, so one reading
   alone is no evidence) and costs nothing;
2. **the language's lexicon** (wordfreq), polytonic Greek looked up in monotonic spelling
   (breathings and iota subscripts dropped, grave and circumflex read as the acute);
3. **the letters of the agreed words** (:class:`Letters`): a character n-gram model of the
   words two readings share, for the words no lexicon knows (names, old spellings, Latin,
   ancient Greek). It knows that ``V`` does not start a Greek word and that ``9`` stands
   in no word of this text (which letters the page uses at all is counted in every
   reading: the agreed words lack a letter one engine never reads). Its Zipf frequency
   of a word is the word's probability among the document's words, but never more than
   the evidence its letters give over letters drawn at random (:meth:`Letters.evidence`):
   a stray letter or two is a likely word and no evidence of one.

The lexicon and the letters are mixed as probabilities, each by its share of the agreed
words (:attr:`Judge.novel`: the share of agreed word tokens the lexicon does not know), so
that a book in a language wordfreq lacks is judged by its letters alone and a modern text
by its lexicon first; no weight is fitted.

Words are judged in Unicode compatibility form (NFKC): the print's long s and ligatures
(``ſ``, ``ﬁ``) are the letters they stand for, so that an engine that writes them and one
that does not share their words, and the letters model does not learn one engine's
alphabet as the language's (Hobbes 1668: OCRopus writes ``ſed``, Tesseract ``fed``).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from collate.chars import LINE_BREAK_HYPHEN, word_blocks
from collate.normalize import strip_accents

COMMON_ZIPF = 4.5
"""Words at least this frequent cost nothing (Zipf scale: 4.5 = about 30 per million words);
rarer words cost the shortfall, so ``tho`` (4.4) costs a little and ``hcuse`` (unknown) 4.5."""
ORDER = 3
"""Characters a letter is predicted from, itself included (trigrams): a page's agreed words
(a few hundred) fill bigrams and trigrams of its commonest syllables."""
LATIN_ALPHABET = 28
"""Letters (and a word's end) of a document whose own letters are not counted: the Latin
alphabet's 26, an end and one more."""
_START, _END = "\x02", "\x03"
_GREEK_MARKS = {"\u0313": "", "\u0314": "", "\u0345": "", "\u0342": "\u0301", "\u0300": "\u0301",
                "\u0343": "", "\u0301": "\u0301"}
"""Polytonic marks in monotonic spelling: breathings, koronis and iota subscript dropped,
circumflex and grave read as the acute (tonos)."""
_BREATHINGS = "\u0313\u0314"
_OPEN = "αεηιουωρ"
"""Letters a polytonic Greek word that begins with them writes with a breathing."""


def monotonic(word: str) -> str:
    """A polytonic Greek word in modern (monotonic) spelling, the form wordfreq's Greek
    lexicon holds; other words unchanged.

    >>> monotonic("ἡμέρας"), monotonic("τοῦ"), monotonic("Ῥώμῃ"), monotonic("house")
    ('ημέρας', 'τού', 'Ρώμη', 'house')
    """
    if not any("\u1f00" <= c <= "\u1fff" for c in word):
        return word
    out = []
    for c in unicodedata.normalize("NFD", word):
        out.append(_GREEK_MARKS.get(c, c))
    return unicodedata.normalize("NFC", "".join(out))


def breathless(word: str) -> bool | None:
    """Whether a Greek word that must carry a breathing (it begins with a vowel or rho)
    lacks one on its first two letters (a diphthong, ``αὐτοῦ``, carries it on its second);
    ``None`` for a word that needs none (a consonant first, or not Greek).

    >>> breathless("ἦν"), breathless("ὴν"), breathless("αὐτοῦ"), breathless("τὴν")
    (False, True, False, None)
    >>> breathless("Ρώμην"), breathless("house")
    (True, None)
    """
    letters = unicodedata.normalize("NFD", word[:2].lower())
    if not letters or letters[0] not in _OPEN \
            or not ("\u0370" <= word[0] <= "\u03ff" or "\u1f00" <= word[0] <= "\u1fff"):
        return None
    return not any(c in _BREATHINGS for c in letters)


@dataclass(frozen=True)
class Letters:
    """A character n-gram model of words (Witten-Bell interpolated, :data:`ORDER`), trained
    on the words of a text with their counts: ``log10`` of the probability that a word of
    that text is ``word`` (its letters and its end).

    >>> m = Letters.of(Counter({"the": 5, "then": 2, "ten": 1}))
    >>> m.log10("then") > m.log10("tben") > m.log10("hten")
    True
    """

    counts: dict[str, Counter[str]]
    alphabet: int

    @classmethod
    def of(cls, words: Counter[str], alphabet: int = 0,
           unigrams: Counter[str] | None = None) -> Letters:
        """The model of ``words`` (form -> count); letters never seen share ``1 /
        alphabet`` (at least the letters seen, plus one). ``unigrams`` (words with counts)
        replace ``words`` for how often each letter stands alone: the letters of every
        reading, where the agreed words lack the letters one engine never reads (the long
        s of a book that engine reads as ``f``)."""
        counts: dict[str, Counter[str]] = {}
        letters: set[str] = set()
        for w, k in words.items():
            padded = _START * (ORDER - 1) + w + _END
            letters.update(w)
            for i in range(ORDER - 1, len(padded)):
                for n in range(ORDER):
                    counts.setdefault(padded[i - n:i], Counter())[padded[i]] += k
        if unigrams is not None:
            counts[""] = Counter()
            for w, k in unigrams.items():
                for c in w + _END:
                    counts[""][c] += k
            letters.update(c for w in unigrams for c in w)
        return cls(counts, max(alphabet, len(letters) + 2))

    def _p(self, context: str, c: str) -> float:
        """P(c | context), interpolated down to a uniform choice over the alphabet."""
        lower = self._p(context[1:], c) if context else 1.0 / self.alphabet
        seen = self.counts.get(context)
        if not seen:
            return lower
        total, kinds = seen.total(), len(seen)
        return (seen[c] + kinds * lower) / (total + kinds)

    def evidence(self, word: str) -> float:
        """How many orders of magnitude likelier the model makes ``word`` than letters
        drawn at random from the alphabet (debris) do: high for a long word spelt as the
        document spells, near 0 for a stray letter or two.

        >>> m = Letters.of(Counter({"the": 5, "then": 2, "ten": 1}))
        >>> m.evidence("then") > m.evidence("t") > m.evidence("tbxn")
        True
        """
        return self.log10(word) + (len(word) + 1) * math.log10(self.alphabet)

    def log10(self, word: str) -> float:
        """log10 of the probability of ``word`` as a whole word."""
        padded = _START * (ORDER - 1) + word + _END
        return sum(math.log10(self._p(padded[i - ORDER + 1:i], padded[i]))
                   for i in range(ORDER - 1, len(padded)))


@dataclass(frozen=True)
class Judge:
    """Prices a word by the evidence that it is a word of this document (see the module
    docstring): 0 for a form two readings share or a number, else :data:`COMMON_ZIPF` less
    its Zipf frequency by the lexicon and the letters (never below 0).

    >>> j = Judge.of(["τοῦ Νέρωνος ὁ Νέρων", "τοῦ Vέρωνος ὁ Νέρων"], None)
    >>> j.lang, j.word_cost("νέρων"), j.word_cost("νέρωνος") < j.word_cost("vέρωνος")
    ('el', 0.0, True)
    >>> Judge("en", frozenset()).word_cost("house"), Judge(None, frozenset()).word_cost("x")
    (0.0, 4.5)
    """

    lang: str | None
    shared: frozenset[str]
    letters: Letters | None = None
    """The agreed words' letters (``None``: unknown words cost :data:`COMMON_ZIPF`)."""
    novel: float = 1.0
    """Share of the agreed word tokens the lexicon does not know (1 without a lexicon)."""
    breathings: bool = False
    """Whether the document writes polytonic Greek's breathings (most of its agreed words
    that need one carry it): then a word without its breathing is no word of it."""
    pairs: frozenset[str] = frozenset()
    """Word pairs (:func:`word_pairs`) that two readings have: where a reading alone has
    words, words the others read elsewhere in that order are a block one of them put
    elsewhere, not words the others dropped."""
    near: tuple[Mapping[str, frozenset[str]], ...] = ()
    """Per reading, its word pairs no other reading has as they are, by each word (the
    first as is, the second after :data:`_SECOND`): the pairs another reading may have
    with one letter misread (:meth:`paired`)."""
    drops: bool = True
    """Whether words a reading alone has may be words the others dropped (:meth:`evidence`);
    not where the readings put blocks in other orders: there they may be a copy of a block
    the others read elsewhere, one the moves did not find."""
    _seen: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, texts: Iterable[str], lang: str | None) -> Judge:
        """The judge of a document read as ``texts`` (its witnesses): a form counts as
        agreed as often as the reading that has it second-most."""
        per: list[Counter[str]] = []
        chars: set[str] = set()
        pairs: Counter[str] = Counter()
        own: list[set[str]] = []
        for t in texts:
            t = unicodedata.normalize("NFKC", LINE_BREAK_HYPHEN.sub("", t))
            chars.update(t.lower())
            forms: Counter[str] = Counter()
            these: set[str] = set()  # this reading's word pairs
            last: list[str] = []
            for words in word_blocks(t):
                forms.update(words)
                these |= word_pairs([w.lower() for w in last + words])
                last = words[-1:] or last
            pairs.update(these)
            own.append(these)
            lowered: Counter[str] = Counter()  # keys in the order of their first occurrence
            for w, k in forms.items():
                lowered[w.lower()] += k
            per.append(lowered)
        agreed: Counter[str] = Counter()
        for w in set().union(*per):
            have = sorted((c[w] for c in per if w in c), reverse=True)
            if len(have) > 1:
                agreed[w] = have[1]
        words = Counter({w: k for w, k in agreed.items() if not w.isdecimal()})
        letters = Letters.of(words, len(chars) + 2, sum(per, Counter())) if words else None
        lang = lang or _greek(words)
        known = sum(k for w, k in words.items() if lang is not None and _zipf(w, lang) > 0)
        novel = max(1, words.total() - known) / max(1, words.total())
        need = [(breathless(w), k) for w, k in words.items()]
        written = sum(k for b, k in need if b is False)
        shared = frozenset(p for p, k in pairs.items() if k > 1)
        return cls(lang, frozenset(agreed), letters, novel,
                   written * 2 > sum(k for b, k in need if b is not None), shared,
                   tuple(_by_word(these - shared) for these in own))

    def paired(self, first: str, second: str) -> bool:
        """Whether two readings have the words ``first second`` side by side: as they are
        (:attr:`pairs`), or one of them with one word as is and the other with one letter
        misread (``unserer frühsten`` / ``unserer frühste»``: an engine garbles a word's
        end, and the pair is read there all the same).

        >>> j = Judge.of(["mag ich so gern unserer frühsten", "unserer frühste» wir"], None)
        >>> j.paired("unserer", "frühsten"), j.paired("unserer", "frühe")
        (True, False)
        """
        a, b = strip_accents(first), strip_accents(second)
        if f"{a} {b}" in self.pairs:
            return True
        have = 0
        for by in self.near:
            if _near(b, by.get(a, ())) or _near(a, by.get(_SECOND + b, ())):
                have += 1
                if have > 1:
                    return True
        return False

    def word_cost(self, word: str) -> float:
        """:data:`COMMON_ZIPF` less the word's Zipf frequency (see the class docstring);
        letters mixed with digits (``survey0r``, ``counci1``), and in a document that writes
        breathings a Greek word that lacks its own (``ὴν`` for ``ἦν``: the lexicon, read in
        monotonic spelling, and the letters of ``τὴν`` cannot tell), cost at least
        :data:`COMMON_ZIPF`."""
        cost = self._seen.get(word)  # per form as written: a book repeats its words
        if cost is None:
            cost = self._seen.setdefault(word, self._cost(unicodedata.normalize("NFKC", word)))
        return cost

    def _cost(self, word: str) -> float:
        """:meth:`word_cost` of a word in compatibility form, not remembered."""
        if word in self.shared or word.isdecimal():
            return 0.0
        cost = max(0.0, COMMON_ZIPF - self.zipf(word))
        if any(c.isdecimal() for c in word) or (self.breathings and breathless(word)):
            return max(COMMON_ZIPF, cost)
        return cost

    def evidence(self, word: str) -> float:
        """How many orders of magnitude likelier this document makes ``word`` (its Zipf
        frequency, as :meth:`word_cost` reads it) than letters drawn at random from its
        alphabet (specks read as letters) do: what reading ``word`` says of a word being
        there, below 0 where noise explains it better (a stray letter, common as it is;
        digits among letters). Only a known word (:meth:`lexical_cost`: the lexicon's, or
        one two readings share) is evidence of words: an unknown one may look like the
        document's words and still be a garbled line the truth does not have, so it
        counts only against. 0 for a judge with neither a lexicon nor letters to go by,
        or where words cannot have been dropped (:attr:`drops`).

        >>> j = Judge("en", frozenset())
        >>> [round(j.evidence(w), 1) for w in ("house", "the", "v", "hcuse", "vT3V")]
        [5.4, 4.5, -1.0, -0.3, -1.8]
        """
        if not self.drops or (self.lang is None and self.letters is None):
            return 0.0
        alphabet = self.letters.alphabet if self.letters is not None else LATIN_ALPHABET
        cost = self.word_cost(word)
        zipf = COMMON_ZIPF - cost if cost > 0 else max(
            COMMON_ZIPF, self.zipf(unicodedata.normalize("NFKC", word)))
        odds = zipf - 9.0 + (len(word) + 1) * math.log10(alphabet)
        return odds if self.lexical_cost(word) < COMMON_ZIPF else min(0.0, odds)

    def lexical_cost(self, word: str) -> float:
        """:meth:`word_cost` by the document's shared forms and the lexicon alone, not the
        letters: whether a form is known as a word, not whether it looks like one (a
        word broken at a line's end is only taken as joined where the whole is known).

        >>> j = Judge.of(["τοῦ Νέρωνος ὁ Νέρων", "τοῦ Νέρωνος ὁ Νέρων"], None)
        >>> j.lexical_cost("νέρων"), j.lexical_cost("νέρωνα"), j.word_cost("νέρωνα") < 4.5
        (0.0, 4.5, True)
        """
        word = unicodedata.normalize("NFKC", word)
        if word in self.shared or word.isdecimal():
            return 0.0
        lex = _zipf(word, self.lang) if self.lang is not None else 0.0
        return max(0.0, COMMON_ZIPF - lex)

    def zipf(self, word: str) -> float:
        """The word's Zipf frequency: the lexicon's (for the share of words it knows) and
        the letters' (for the share it does not; see the module docstring) mixed."""
        lex = _zipf(word, self.lang) if self.lang is not None else 0.0
        if self.letters is None:
            return lex
        z = min(self.letters.log10(word) + 9.0, self.letters.evidence(word))
        p = self.novel * 10.0 ** (z - 9.0)
        if lex > 0:
            p += (1.0 - self.novel) * 10.0 ** (lex - 9.0)
        return math.log10(p) + 9.0


def word_pairs(words: Sequence[str]) -> set[str]:
    """Each pair of neighbouring words, their letters bare of accents and marks (two
    engines' readings of a word differ most in those): ``"w1 w2"``.

    >>> sorted(word_pairs(["προπετεστέρᾳ", "παρρησίᾳ", "χρήσασθαι"]))
    ['παρρησια χρησασθαι', 'προπετεστερα παρρησια']
    """
    bare = list(map(strip_accents, words))
    return {f"{a} {b}" for a, b in pairwise(bare)}


_SECOND = "\x01"
"""Prefix of a word pair's second word as a key of :attr:`Judge.near`."""


def _by_word(pairs: Iterable[str]) -> dict[str, frozenset[str]]:
    """Word pairs by each word: the first word to the second words it stands before, the
    second (after :data:`_SECOND`) to the first words it stands after."""
    out: dict[str, set[str]] = {}
    for p in pairs:
        a, b = p.split(" ")
        out.setdefault(a, set()).add(b)
        out.setdefault(_SECOND + b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


def _near(word: str, words: Iterable[str]) -> bool:
    """Whether one of ``words`` is ``word`` or it with one letter misread, added or lost."""
    return any(Levenshtein.distance(word, w, score_cutoff=1) <= 1 for w in words)


def _greek(words: Counter[str]) -> str | None:
    """``"el"`` where most agreed words are Greek (wordfreq's Greek is modern, and
    polytonic words are looked up in monotonic spelling), else ``None``."""
    greek = sum(k for w, k in words.items() if "\u0370" <= w[0] <= "\u03ff"
                or "\u1f00" <= w[0] <= "\u1fff")
    return "el" if greek * 2 > words.total() else None


@lru_cache(maxsize=200_000)
def _zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang`` (polytonic Greek in monotonic
    spelling; a word with digits: 0)."""
    import wordfreq

    if any(c.isdigit() for c in word):
        return 0.0
    return max(wordfreq.zipf_frequency(word, lang), wordfreq.zipf_frequency(monotonic(word), lang)
               if lang == "el" else 0.0)
