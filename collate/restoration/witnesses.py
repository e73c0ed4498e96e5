"""Witness evidence: what other witnesses read opposite a lacuna.

Each witness is first carried into the damaged document's orthography
(:mod:`.orthography`); then the document and the witness are tokenized and aligned token by
token (:func:`collate.alignment.align_pair`, lacuna-aware). For a lacuna, the tokens around
it plus one intact neighbour on each side are mapped to the witness; inside that window the
visible characters are found in the witness text, and what the witness has where the lacuna
is is read off: ``□□ately`` against ``Lately`` gives ``L`` (a reading's length within the
lacuna's). When the visible text is not found as it stands (a variant nearby, or the
witness damaged nearby), the reading's two boundaries are found apart: where the intact
text just before the lacuna ends in the witness, and where the text just after it starts,
each by an approximate match in which the witness's own lost characters match anything, at
a place whose boundary is the document's (a kept part of a damaged word is the same part of
a witness word). So a neighbouring word never leaks into the reading, and damage next to
the place in the witness does not throw it off. Where only one side is found (the witness
lacks, changes or moves the words on the other), the witness is cut where the other side's
kind of boundary falls, in length: one-sided readings, weaker evidence, told apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, pairwise, product
from typing import NamedTuple

import regex
from rapidfuzz.distance import Levenshtein

from collate.alignment import align_pair
from collate.chars import BREAK, PLACEHOLDERS, WORD, WORD_CHAR
from collate.lacunae import detect
from collate.model import Lacuna, Token, Witness
from collate.restoration.orthography import Carried, Profile
from collate.tokens import token_columns

RESPELL = 2  #: aligned occurrences from which a witness word is respelt as the document writes it
NEIGHBOURS = 2  #: tokens each side of a lacuna whose text locates it in the witness
EDGE = 24  #: characters of intact text on each side matched to find a reading's boundary
RULE_EDITS = 3  #: letter correspondences applied to one witness word at most
COMMONER = 100.0  #: how many times as frequent a respelt word must be as the word as written
RULE_SHARE = 0.1  #: share of a letter's aligned occurrences that must change for a rule
Site = tuple[str, bool]  #: a letter, and whether it ends its word
_SPACE = regex.compile(r"\s*")


@dataclass(frozen=True)
class Side:
    """A text ready to align: its lacunae and its non-empty tokens, each computed once."""

    text: str
    lacunae: tuple[Lacuna, ...]
    tokens: tuple[Token, ...]

    @classmethod
    def of(cls, text: str, lacunae: Sequence[Lacuna] | None = None) -> Side:
        """Detect (unless given) and tokenize ``text``."""
        lacunae = detect(text) if lacunae is None else lacunae
        cols = token_columns(text, lacunae=lacunae)
        tokens = cols.made()  # the empty ones (only whitespace opening the text) left out
        return cls(text, tuple(lacunae), tokens if "" not in cols.texts
                   else tuple(t for t in tokens if t.text))

    def masked(self) -> str:
        """The text with every lacuna written as :data:`BREAK` (for a model to learn from)."""
        return mask(self.text, [(x.start, x.end) for x in self.lacunae])


def mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each span overwritten by :data:`BREAK` (same length).

    >>> mask("abcdef", [(1, 3)]) == "a" + BREAK * 2 + "def"
    True
    """
    pieces, pos = [], 0
    for s, e in sorted(spans):
        s = max(s, pos)
        if e > s:
            pieces += [text[pos:s], BREAK * (e - s)]
            pos = e
    return "".join([*pieces, text[pos:]])


@dataclass(frozen=True)
class Source:
    """A witness carried into the damaged document's profile, prepared once."""

    witness: Witness
    original: str  # its text (line breaks unified)
    carried: Carried
    side: Side

    @classmethod
    def of(cls, witness: Witness, text: str, profile: Profile) -> Source:
        """The witness ``text`` (its lacunae detected once) carried into ``profile``; its
        lacunae are copied as they stand and keep their place."""
        lacunae = detect(text)
        carried = profile.carry(text, keep=[(x.start, x.end) for x in lacunae])
        origin = carried.origin  # ascending: the first character written from a lacuna's start
        where = {x.start: k for x in lacunae
                 if (k := bisect_left(origin, x.start)) < len(origin) and origin[k] == x.start}
        moved = [
            replace(x, start=where[x.start], end=where[x.start] + x.end - x.start)
            for x in lacunae
            if x.start in where
        ]
        return cls(witness, text, carried, Side.of(carried.text, moved))


class Reading(NamedTuple):
    """What a witness has at a place: in the document's orthography, and as written;
    ``exact`` when the intact text around the place was found in the witness as it stands
    (else the witness differs nearby: a variant, or its own damage); ``both_sides`` unless
    only one side of the place was found and the reading is one cut of several; ``span``:
    where it stands in the witness as carried (:attr:`Source.side`)."""

    text: str
    form: str
    exact: bool = True
    both_sides: bool = True  #: both boundaries found (else cut where the other side admits)
    span: tuple[int, int] = (0, 0)


class WitnessMap:
    """Maps character spans of a damaged text onto a witness through a token alignment.

    Parameters
    ----------
    doc
        The damaged text, prepared (offsets of :meth:`read` refer to it).
    source
        The witness to read from, carried into the document's profile.
    frequency
        A word's frequency in the document's language (``None``: no word list), which
        tells a witness's old spelling from a word of the language.
    known
        Whether a corpus of the language writes a word (``None``: no corpus): such a word,
        set once against a document word spelt alike, may be a variant reading, not a
        spelling (:func:`respellings`).
    """

    def __init__(
        self,
        doc: Side,
        source: Source,
        frequency: Callable[[str], float] | None = None,
        known: Callable[[str], bool] | None = None,
    ) -> None:
        self.source = source
        self.frequency = frequency
        self.known = known
        self.witness = source.witness
        self.tokens = doc.tokens
        self.wtokens = source.side.tokens
        self._starts = [t.start for t in self.tokens]
        n = len(self.tokens)
        self._lo = [0] * n
        self._hi = [0] * n
        ops = align_pair(self.tokens, self.wtokens)
        self.respell = respellings(self.tokens, self.wtokens, ops, frequency, known)
        for tag, i1, i2, j1, j2 in ops:
            for k in range(i1, i2):
                if tag == "equal":
                    self._lo[k], self._hi[k] = j1 + k - i1, j1 + k - i1 + 1
                elif tag == "replace":
                    di, dj = i2 - i1, j2 - j1
                    self._lo[k] = j1 + (k - i1) * dj // di
                    self._hi[k] = max(self._lo[k] + 1, j1 + -(-(k - i1 + 1) * dj // di))
                else:
                    self._lo[k] = self._hi[k] = j1

    def _touched(self, start: int, end: int) -> tuple[int, int]:
        """The first and last of the document's tokens that ``[start, end)`` touches."""
        i = max(0, bisect_right(self._starts, start) - 1)
        return i, max(i, bisect_right(self._starts, max(start, end - 1)) - 1)

    def window(self, start: int, end: int, reach: int = 0) -> tuple[int, int, int, int] | None:
        """``(doc_start, doc_end, wit_start, wit_end)``: the tokens around ``[start, end)``
        with :data:`NEIGHBOURS` neighbours each side (and more, until ``reach`` characters
        each side are covered), and the witness text aligned with them."""
        if not self.tokens:
            return None
        i, k = self._touched(start, end)
        i = max(0, i - NEIGHBOURS)
        k = min(len(self.tokens) - 1, k + NEIGHBOURS)
        doc = self.tokens
        while i > 0 and doc[i].start > start - reach:
            i -= 1
        while k < len(doc) - 1 and doc[k].end < end + reach:
            k += 1
        lo = min(self._lo[i : k + 1])
        hi = max(self._hi[i : k + 1])
        if hi <= lo:
            return None
        # one more witness token each side: the match below searches inside the window
        lo, hi = max(0, lo - 2), min(len(self.wtokens), hi + 2)
        wit = self.wtokens
        return doc[i].start, doc[k].end, wit[lo].start, wit[hi - 1].end

    def aligned(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the witness text aligned with the document's tokens that
        ``[start, end)`` touches (``None``: no tokens, or the witness omits them)."""
        if not self.tokens:
            return None
        i, k = self._touched(start, end)
        lo, hi = min(self._lo[i : k + 1]), max(self._hi[i : k + 1])
        if hi <= lo:
            return None
        return self.wtokens[lo].start, self.wtokens[hi - 1].end

    def without_readings(self, wtext: str, holes: Sequence[tuple[int, int]]) -> str:
        """``wtext`` (the witness's text as the model learns it, or its beginning) with
        what the witness reads at each of the document's ``holes`` masked.

        A model that learns a witness's reading in the hole's own place counts it as
        evidence again, at full weight, whatever the witness's trust: there a word the
        witness alone writes (an OCR error, ``counci1``) is one the word n-grams have seen
        in no other context, so they favour it over the word everyone writes. A witness
        trusted less than the most reliable one is learned without its readings: they
        compete on its bonus, scaled by its trust.
        """
        return mask(wtext, [s for h in holes if (s := self.aligned(*h)) is not None])

    def read(
        self,
        text: str,
        holes: Sequence[tuple[int, int]],
        target: tuple[int, int],
        lengths: tuple[int, int] = (0, 10**6),
    ) -> list[Reading]:
        """What the witness has at ``target``: one reading, several where only one side of
        the place is found in the witness (each cut the other side admits), or none (no
        alignment, nothing found, or the witness is damaged there too).

        ``text`` gives the visible characters (the damaged text, or a copy with extra
        holes); ``holes`` are all lost spans, sorted; ``target`` is one of them;
        ``lengths`` bound a reading's length (the lacuna's length model).
        """
        win = self.window(*target)
        if win is None:
            return []
        wtext = self.source.side.text
        ds, de, ws, we = win
        parts = _parts(text, holes, target, min(ds, target[0]), max(de, target[1]))
        # the target at the window's edge: nothing beside it bounds an exact match
        got = _exact(parts, wtext[ws:we], lengths) if "" not in (parts[0], parts[-1]) else None
        spans = [(got[0] + ws, got[1] + ws)] if got is not None else []
        both = True
        if not spans:
            ds, de, ws, we = self.window(*target, reach=EDGE) or win
            parts = _parts(text, holes, target, min(ds, target[0]), max(de, target[1]))
            found, both = _edges(parts, wtext[ws:we], lengths)
            spans = [(s + ws, e + ws) for s, e in found]
            if not both:  # a cut where the document opens or closes opens or closes the witness
                opens, closes = _blank(text, 0, target[0]), _blank(text, target[1], len(text))
                spans = [
                    (s, e)
                    for s, e in spans
                    if (not opens or _blank(wtext, 0, s))
                    and (not closes or _blank(wtext, e, len(wtext)))
                ]
            # the word aligned with a damaged word bounds a reading on both sides
            inside = None if both and spans else self._in_token(text, holes, target)
            if inside is not None:
                spans, both = [inside], True
        whole = (
            not _is_word(text[target[0] - 1 : target[0]]),
            not _is_word(text[target[1] : target[1] + 1]),
        )
        exact = got is not None
        out = []
        for s, e in spans:
            if _damaged(self.source.side.lacunae, s, e):
                continue  # the witness is damaged there too
            form = self.source.carried.source(self.source.original, s, e)
            text = self._as_document_writes(wtext, s, e, whole)
            out.append(Reading(text, form, exact, both, (s, e)))
        return out

    def in_document_spelling(self, wtext: str) -> str:
        """The witness's text with each word the document writes otherwise respelt."""
        return _respelt(wtext, self.respell, (True, True))

    def _as_document_writes(
        self, wtext: str, s: int, e: int, whole: tuple[bool, bool]
    ) -> str:
        """The witness's ``[s, e)`` as the document would write it: a word cut by the
        reading's edge is respelt whole, then cut where the witness's kept letters end
        (``δα`` + ``υιδ`` gives ``βιδ`` where the document writes ``δαβιδ``)."""
        a, b = s, e
        if not whole[0]:
            while a > 0 and _is_word(wtext[a - 1]):
                a -= 1
        if not whole[1]:
            while b < len(wtext) and _is_word(wtext[b]):
                b += 1
        head, tail = wtext[a:s], wtext[e:b]
        word = _respelt(_one_line(wtext[a:b]), self.respell, (True, True))
        fits = len(word) >= len(head) + len(tail) and word.startswith(head) and word.endswith(tail)
        if (head or tail) and fits:
            return word[len(head) : len(word) - len(tail)]
        return _respelt(_one_line(wtext[s:e]), self.respell, whole)

    def _in_token(
        self, text: str, holes: Sequence[tuple[int, int]], target: tuple[int, int]
    ) -> tuple[int, int] | None:
        """Where the witness word aligned one to one with the damaged word holding
        ``target`` (its only lost part) has the lost letters: its visible letters must
        begin and end that word. Reads a word whose surroundings differ (a variant nearby)."""
        k = bisect_right(self._starts, target[0]) - 1
        if k < 0:
            return None
        tok = self.tokens[k]
        if not (tok.start <= target[0] and target[1] <= tok.end) or self._hi[k] - self._lo[k] != 1:
            return None
        if any(s < tok.end and tok.start < e and (s, e) != target for s, e in holes):
            return None
        prefix, suffix = text[tok.start : target[0]], text[target[1] : tok.end]
        if not (prefix or suffix):
            return None
        wtok = self.wtokens[self._lo[k]]
        word = wtok.text
        if len(word) < len(prefix) + len(suffix) or not (
            word.startswith(prefix) and word.endswith(suffix)
        ):
            return None
        return wtok.start + len(prefix), wtok.start + len(word) - len(suffix)


def respellings(
    doc: Sequence[Token],
    wit: Sequence[Token],
    ops: Sequence[tuple[str, int, int, int, int]],
    frequency: Callable[[str], float] | None = None,
    known: Callable[[str], bool] | None = None,
) -> dict[str, str]:
    """The witness's words that the document writes otherwise, learned from their aligned
    intact text: a word the document never writes, set against the same document word at
    least :data:`RESPELL` times, or once where the two are spelt alike (an old print's
    ``myght`` against ``might``) and a corpus of the language does not write it (``known``:
    once, a word of the language against one a letter away is as likely another reading,
    ``ημιν`` for ``ημων``, ``ουδε`` for ``ουτε``), and against no other word as often.
    Two words one side writes as one (``ενενηκοντα εννεα``/``εννενηκονταεννεα``) pair as a
    phrase, spelt alike. A witness word seen nowhere else is respelt by the letter
    correspondences those pairs show (:func:`letter_rules`) where that makes it a word the
    document writes or a far commoner word of the language (``frequency``): an old print's
    ``lyght`` as ``light``.

    >>> from collate.tokens import tokenize
    >>> a = [t for t in tokenize("και ευθεως λεγει και ευθεως ηλθεν") if t.text]
    >>> b = [t for t in tokenize("και ευθυς λεγει και ευθυς ηλθεν") if t.text]
    >>> respellings(a, b, [("equal", 0, 1, 0, 1), ("replace", 1, 2, 1, 2),
    ...                    ("equal", 2, 4, 2, 4), ("replace", 4, 5, 4, 5), ("equal", 5, 6, 5, 6)])
    {'ευθυς': 'ευθεως'}
    >>> a = [t for t in tokenize("that all men might believe") if t.text]
    >>> b = [t for t in tokenize("that all men myght beleve") if t.text]
    >>> respellings(a, b, [("equal", 0, 3, 0, 3), ("replace", 3, 5, 3, 5)])
    {'beleve': 'believe', 'myght': 'might'}
    >>> a = [t for t in tokenize("τα εννενηκονταεννεα εν") if t.text]
    >>> b = [t for t in tokenize("τα ενενηκοντα εννεα εν") if t.text]
    >>> respellings(a, b, [("equal", 0, 1, 0, 1), ("replace", 1, 2, 1, 3), ("equal", 2, 3, 3, 4)])
    {'ενενηκοντα εννεα': 'εννενηκονταεννεα'}
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace":
            pairs.update(_word_pairs(doc[i1:i2], wit[j1:j2]))
    own = {t.text for t in doc if not t.lacunae}
    own |= {f"{a.text} {b.text}" for a, b in pairwise(doc) if not (a.lacunae or b.lacunae)}
    best: dict[str, tuple[int, str]] = {}
    for (w, d), c in sorted(pairs.items()):
        if w in own or c <= best.get(w, (0, ""))[0]:
            continue
        if c >= RESPELL or (_spelt_alike(w, d) and not (known and known(w))):
            best[w] = (c, d)
    out = {w: d for w, (_, d) in best.items()}
    same = [
        wit[j1 + k].text
        for tag, i1, i2, j1, _ in ops
        if tag == "equal"
        for k in range(i2 - i1)
        if not wit[j1 + k].lacunae
    ]
    rules = letter_rules(pairs, _sites(same))
    if rules:
        words = {t.text for t in wit if not t.lacunae and WORD.fullmatch(t.text)}
        for w in sorted(words - own - out.keys()):
            better = _by_rules(w, rules, own, frequency)
            if better is not None:
                out[w] = better
    return out


def letter_rules(pairs: Counter[tuple[str, str]], kept: Counter[Site]) -> dict[Site, set[str]]:
    """The witness's letters the document writes otherwise (another letter, or none), by
    site (a letter, and whether it ends its word): seen at least :data:`RESPELL` times in
    aligned pairs of words spelt alike, and in at least :data:`RULE_SHARE` of the site's
    aligned occurrences (``kept`` counts those left as they are): a habit of the witness's
    spelling, not a variant of a few words (one ``υ`` dropped from ``μωυσης`` is no rule).

    >>> pairs = Counter({("myght", "might"): 1, ("lyght", "light"): 1, ("lambe", "lamb"): 1})
    >>> letter_rules(pairs, Counter({("y", False): 3}))
    {('y', False): {'i'}}
    >>> letter_rules(pairs, Counter({("y", False): 30}))
    {}
    """
    seen: Counter[tuple[Site, str]] = Counter()
    for (w, d), c in pairs.items():
        if " " in w + d or not _spelt_alike(w, d):
            continue
        for tag, i, j in Levenshtein.editops(w, d):
            if tag != "insert":
                seen[((w[i], i == len(w) - 1), d[j] if tag == "replace" else "")] += c
    changed: Counter[Site] = Counter()
    for (site, _), c in seen.items():
        changed[site] += c
    rules: dict[Site, set[str]] = {}
    for (site, b), c in seen.items():
        if c >= RESPELL and c >= RULE_SHARE * (changed[site] + kept[site]):
            rules.setdefault(site, set()).add(b)
    return rules


def _sites(words: Iterable[str]) -> Counter[Site]:
    """How often each letter stands in ``words``, by whether it ends its word (counted by
    ``Counter`` over the letters joined, not letter by letter).

    >>> sorted(_sites(["ab", "b"]).items())
    [(('a', False), 1), (('b', True), 2)]
    """
    words = [w for w in words if w]
    out: Counter[Site] = Counter()
    for ch, n in Counter("".join([w[:-1] for w in words])).items():
        out[ch, False] = n
    for ch, n in Counter([w[-1] for w in words]).items():
        out[ch, True] = n
    return out


def _by_rules(
    word: str,
    rules: dict[Site, set[str]],
    own: set[str],
    frequency: Callable[[str], float] | None,
) -> str | None:
    """``word`` respelt by up to :data:`RULE_EDITS` of ``rules`` into a word the document
    writes, else into a word of the language :data:`COMMONER` times as frequent at least;
    ``None`` where no respelling does.

    >>> y = {("y", False): {"i"}}
    >>> _by_rules("lyght", y, {"light"}, None), _by_rules("lyre", y, set(), None)
    ('light', None)
    """
    if len(word) < 4:
        return None
    sites = [i for i, ch in enumerate(word) if (ch, i == len(word) - 1) in rules]
    if not sites or len(sites) > 8:
        return None
    base = frequency(word.casefold()) if frequency else 0.0
    best, best_key = None, (False, 0.0)
    for k in range(1, min(RULE_EDITS, len(sites)) + 1):
        for chosen in combinations(sites, k):
            options = (sorted(rules[(word[i], i == len(word) - 1)]) for i in chosen)
            for swaps in product(*options):
                letters = list(word)
                for i, b in zip(chosen, swaps, strict=True):
                    letters[i] = b
                v = "".join(letters)
                if not v or not _spelt_alike(word, v):
                    continue
                f = frequency(v.casefold()) if frequency else 0.0
                key = (v in own, f)
                if (v in own or (f > 0 and f >= COMMONER * base)) and key > best_key:
                    best, best_key = v, key
    return best


def _word_pairs(doc: Sequence[Token], wit: Sequence[Token]) -> list[tuple[str, str]]:
    """``(witness, document)`` pairs of intact words set against each other in one replaced
    stretch: one to one where both sides have as many words, else in order, one word against
    two the other side writes as one where the two are spelt alike (stopping where neither
    holds: which word answers which is then a guess)."""
    a = [t.text if not t.lacunae and WORD.fullmatch(t.text) else None for t in doc]
    b = [t.text if not t.lacunae and WORD.fullmatch(t.text) else None for t in wit]
    if len(a) == len(b):
        return [(w, d) for d, w in zip(a, b, strict=True) if d is not None and w is not None]
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b) and a[i] is not None and b[j] is not None:
        if i + 1 < len(a) and a[i + 1] is not None and _spelt_alike(a[i] + a[i + 1], b[j]):
            out.append((b[j], f"{a[i]} {a[i + 1]}"))
            i, j = i + 2, j + 1
        elif j + 1 < len(b) and b[j + 1] is not None and _spelt_alike(a[i], b[j] + b[j + 1]):
            out.append((f"{b[j]} {b[j + 1]}", a[i]))
            i, j = i + 1, j + 2
        elif _spelt_alike(a[i], b[j]):
            out.append((b[j], a[i]))
            i, j = i + 1, j + 1
        else:
            break
    return out


def _spelt_alike(a: str, b: str) -> bool:
    """Whether two words differ in one letter in four at most, or only in where they are
    divided: the same word spelt otherwise (``μωυσης``/``μωσης``), not another word (a word
    of under four letters spelt otherwise is one: ``δι``/``δια``).

    >>> _spelt_alike("μωυσης", "μωσης"), _spelt_alike("προ", "ο"), _spelt_alike("myght", "might")
    (True, False, True)
    >>> _spelt_alike("δι", "δια"), _spelt_alike("δια τι", "διατι")
    (False, True)
    """
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if a == b:
        return True
    slack = min(len(a), len(b)) // 4
    return slack > 0 and Levenshtein.distance(a, b, score_cutoff=slack) <= slack


def _respelt(reading: str, respell: dict[str, str], whole: tuple[bool, bool]) -> str:
    """``reading`` with each word (or pair of words) it holds whole respelt as the
    document writes it (``whole``: whether its first and last words end at its edges).

    >>> _respelt("και ευθυς λεγο", {"ευθυς": "ευθεως"}, (True, False))
    'και ευθεως λεγο'
    >>> _respelt("τα ενενηκοντα εννεα", {"ενενηκοντα εννεα": "εννενηκονταεννεα"}, (True, True))
    'τα εννενηκονταεννεα'
    """
    if not respell:
        return reading
    phrases = sorted((k for k in respell if " " in k), key=len, reverse=True)
    either = "|".join(r"\s+".join(map(regex.escape, k.split())) for k in phrases)
    letter = WORD_CHAR.pattern
    pattern = (
        regex.compile(rf"(?<!{letter})(?:{either})(?!{letter})|{WORD.pattern}") if phrases else WORD
    )

    def swap(m: regex.Match[str]) -> str:
        inside = (m.start() > 0 or whole[0]) and (m.end() < len(reading) or whole[1])
        key = " ".join(m.group().split())
        return respell.get(key, m.group()) if inside else m.group()

    return pattern.sub(swap, reading)


def _blank(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds only white space (read up to its first other
    character, not copied: a lacuna's offsets may lie deep in a long text).

    >>> _blank(" \\n ab", 0, 3), _blank(" \\n ab", 0, 4), _blank("ab", 2, 2)
    (True, False, True)
    """
    return _SPACE.fullmatch(text, start, end) is not None


def _is_word(ch: str) -> bool:
    return bool(ch) and bool(WORD_CHAR.match(ch))


def _parts(
    text: str, holes: Sequence[tuple[int, int]], target: tuple[int, int], ds: int, de: int
) -> list[str | None]:
    """The window ``[ds, de)`` of ``text`` as literal pieces and holes: ``None`` for another
    lost span, ``""`` for the target."""
    parts: list[str | None] = []
    pos = ds
    for s, e in holes[bisect_right(holes, ds, key=lambda h: h[1]) :]:  # those ending after ds
        if s >= de:
            break
        s, e = max(s, ds), min(e, de)
        if s > pos:
            parts.append(text[pos:s])
        parts.append(None if (s, e) != target else "")
        pos = e
    if pos < de:
        parts.append(text[pos:de])
    return parts


def _damaged(lacunae: Sequence[Lacuna], s: int, e: int) -> bool:
    """Whether one of ``lacunae`` (sorted, apart) overlaps ``[s, e)``, or touches it where
    it is empty: only the first two ending at ``s`` or later can.

    >>> lac = [Lacuna(2, 4, "□□", 2, 2, "in-word", "box"), Lacuna(9, 10, "□", 1, 1, "word", "box")]
    >>> _damaged(lac, 4, 9), _damaged(lac, 3, 5), _damaged(lac, 9, 9)
    (False, True, True)
    """
    k = bisect_left(lacunae, s, key=lambda x: x.end)
    near = lacunae[k : k + 2]
    return any(x.start < e and s < x.end for x in near) or (
        s == e and any(x.start == s or x.end == s for x in near)
    )


def _exact(
    parts: Sequence[str | None], wtext: str, lengths: tuple[int, int] = (0, 10**6)
) -> tuple[int, int] | None:
    """The span of ``wtext`` opposite the target, of a length in ``lengths``, when every
    literal part is found as it stands, whole words matching whole words (spaces may
    differ in number, not be missing; other holes match anything).

    >>> _exact(["the ", "", "ately, we"], "so the Lately, we")
    (7, 8)
    >>> _exact(["ει ", "", " ο"], "ειπεν συ ει σιμων ο υιος")
    (12, 17)
    >>> _exact(["τον υιον τ", "", "υ"], "επι τον υιον του ανθρωπου", (8, 12))
    (14, 24)
    """
    lo, hi = lengths[0], min(lengths[1], len(wtext))
    if hi < lo:
        return None
    pieces = []
    last = max(i for i, p in enumerate(parts) if p or p == "")
    for i, p in enumerate(parts):
        if p is None:
            pieces.append("(?:.*?)")
        elif p == "":
            pieces.append(f"(?P<t>.{{{lo},{hi}}}?)")
        elif p.strip():
            lit = r"\s+".join(re.escape(w) for w in p.split())
            head = r"\s+" if p[:1].isspace() else r"(?<!\w)" if i == 0 and _is_word(p[0]) else ""
            tail = (
                r"\s+" if p[-1:].isspace() else r"(?!\w)" if i == last and _is_word(p[-1]) else ""
            )
            pieces.append(head + lit + tail)
        else:
            pieces.append(r"\s+")
    if None not in parts:  # one lazy group: no runaway backtracking, and ``re`` compiles
        m = re.search("".join(pieces), wtext, flags=re.S)  # faster (one pattern per place)
        return m.span("t") if m is not None else None
    try:
        m = regex.search("".join(pieces), wtext, flags=regex.S, timeout=0.05)
    except TimeoutError:
        return None
    return m.span("t") if m is not None else None


def _edges(
    parts: Sequence[str | None], wtext: str, lengths: tuple[int, int] = (0, 10**6)
) -> tuple[list[tuple[int, int]], bool]:
    """The spans of ``wtext`` opposite the target found from its two sides apart: the end
    of the best approximate match of the intact text just before the target, and the start
    of that of the text just after it (the witness's lost characters match anything; a
    kept part of a damaged word must be the same part of a witness word). Where only one
    side is found (the witness lacks or changes the text on the other), every cut of the
    witness at the other side's kind of boundary that gives a reading of a length in
    ``lengths``. Returns the spans and whether both sides were found.

    >>> _edges(["the enormous ", "", " tackles and"], "of the eno□□□□s cutting tackles and")
    ([(16, 23)], True)
    >>> _edges(["ye, ", "", " are all"], "ye, and they, are all")
    ([(4, 13)], True)
    >>> _edges(["τη επαυριον ", "", " ο ιωαννης"], "τη επαυριον βλεπει τον ιησουν", (4, 8))
    ([(12, 18)], False)
    >>> _edges(["ραββι ο ", "", " ερμηνευομενον"], "ραββι ο λεγεται μεθερμηνευομενον", (5, 9))
    ([(8, 15)], False)
    """
    t = parts.index("")
    left = parts[t - 1] if t > 0 and parts[t - 1] else ""
    right = parts[t + 1] if t + 1 < len(parts) and parts[t + 1] else ""
    lo, hi = lengths
    end = _anchor(left, wtext, True)
    rev = _anchor(right, wtext[end or 0 :], False)
    start = None if rev is None else len(wtext) - rev
    if end is not None and start is not None:
        if any(c in PLACEHOLDERS for c in wtext[end - 2 : end] + wtext[start : start + 2]):
            return [], True  # the witness is damaged at a boundary: where it falls is unknown
        if lo <= start - end <= hi:
            return [(end, start)], True
    # one side only, or the two sides at odds with the length (the witness adds, lacks or
    # moves text, or one side was found at the wrong place); a cut holding a word the
    # document has just beyond the other side is that side's text
    spans = []
    if end is not None:  # cut where the text after the target would begin
        ok = _boundary(right[::-1], wtext[::-1])
        ends = range(end + lo, min(len(wtext), end + hi) + 1)
        spans += [
            (end, c)
            for c in ends
            if ok(len(wtext) - c) and _clean(wtext, end, c) and not _repeats(wtext[end:c], right)
        ]
    if start is not None:  # cut where the text before it would end
        ok = _boundary(left, wtext)
        starts = range(max(0, start - hi), start - lo + 1)
        spans += [
            (c, start)
            for c in starts
            if ok(c) and _clean(wtext, c, start) and not _repeats(wtext[c:start], left)
        ]
    return sorted(set(spans)), False


def _repeats(reading: str, context: str) -> bool:
    """Whether a word of two letters or more of ``reading`` is also a word of ``context``.

    >>> _repeats("δια χειρος", " δια χειρων ανομων"), _repeats("βλεπει", " ο ιωαννης τον")
    (True, False)
    """
    words = {w for w in WORD.findall(context) if len(w) > 1}
    return any(w in words for w in WORD.findall(reading))


def _clean(wtext: str, s: int, e: int) -> bool:
    """Whether the witness is intact in ``[s, e)`` and two characters round it."""
    return not any(c in PLACEHOLDERS for c in wtext[max(0, s - 2) : e + 2])


def _boundary(context: str, wtext: str) -> Callable[[int], bool]:
    """Whether the target may begin at offset ``j`` of ``wtext`` when ``context`` is the
    intact text just before it: a kept start of a damaged word must end there as the start
    of a witness word (one letter in four spelt otherwise, one at least where it is longer
    than a letter: ``ληψεσθε``/``λημψεσθε``, ``τερασιν``/``τερασι``); a word boundary must
    stand at a boundary of the witness (a space at a space).

    >>> ok = _boundary("ουτε υ", "ουτε δυναμεις ουτε υψωμα")
    >>> ok(7), ok(20)
    (False, True)
    """
    kept = regex.search(r"[\p{L}\p{M}\p{N}]+\Z", context)
    if kept is None:
        space = context[-1:].isspace()

        def ok(j: int) -> bool:
            if j == 0 or j == len(wtext):
                return True
            before = wtext[j - 1]
            return before.isspace() if space else not _is_word(before) or not _is_word(wtext[j])

        return ok
    word = kept.group()
    starts = kept.start() > 0
    slack = max(1, len(word) // 4) if len(word) > 1 else 0

    def ok_kept(j: int) -> bool:
        i = j
        while i > 0 and _is_word(wtext[i - 1]) and (starts or j - i < len(word)):
            i -= 1
        if not starts:  # the kept part's own start is not seen: compare what is
            return wtext[i:j] == word[len(word) - (j - i) :]
        got = wtext[i:j]
        return got == word or Levenshtein.distance(got, word, score_cutoff=slack) <= slack

    return ok_kept


def _anchor(context: str, wtext: str, before: bool) -> int | None:
    """Where the intact ``context`` next to the target ends in ``wtext`` (``before``), or
    where it starts counted from the end of ``wtext`` (after): the longest stretch of
    :data:`EDGE`, half of it, a quarter, that matches with few edits, at a place whose
    boundary agrees with the target's (:func:`_boundary`; nearer text first when farther
    text differs: a variant or damage nearby)."""
    text = wtext if before else wtext[::-1]
    for n in (EDGE, EDGE // 2, EDGE // 4):
        piece = context[-n:] if before else context[:n][::-1]
        if len(piece.strip()) < 3:
            return None  # a boundary with too little intact text beside it is a guess
        where, cost = _best_end(piece, text, _boundary(piece, text))
        if where is not None and cost <= max(1, len(piece) // 5):
            return where
    return None


def _best_end(
    pattern: str, text: str, ok: Callable[[int], bool] = lambda j: True
) -> tuple[int | None, int]:
    """Where in ``text`` an approximate match of all of ``pattern`` ends best: ``(end,
    edits)``, the latest end among the fewest edits of those ``ok`` admits (Sellers'
    algorithm; a placeholder of ``text`` matches any character at no cost); ``None``
    where ``ok`` admits none.

    >>> _best_end("cat ", "the cat sat")
    (8, 0)
    """
    m = len(pattern)
    col = list(range(m + 1))  # edits of pattern[:i] ending at the current text position
    best, where = (col[m], 0) if ok(0) else (m + 1, None)
    for j, ch in enumerate(text, start=1):
        wild = ch in PLACEHOLDERS
        prev_diag, col[0] = col[0], 0
        for i in range(1, m + 1):
            cost = 0 if (wild or pattern[i - 1] == ch) else 1
            cur = min(prev_diag + cost, col[i] + 1, col[i - 1] + 1)
            prev_diag, col[i] = col[i], cur
        if col[m] <= best and ok(j):
            best, where = col[m], j
    return where, best


def _one_line(reading: str) -> str:
    """A reading with the witness's line breaks as spaces: a run of glyphs on one line
    stands for text of that line (the witness breaks its lines elsewhere).

    >>> _one_line("ρωμαιοι\\nιουδαιοι")
    'ρωμαιοι ιουδαιοι'
    """
    return reading.replace("\n", " ") if "\n" in reading else reading
