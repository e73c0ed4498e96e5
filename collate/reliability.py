"""How far each witness can be trusted: one estimate per collation, read by restoration and
by the consensus alike.

A witness's reliability is the log-odds ``ln((1 - e) / e)`` that a character it reads is
right (the optimal weight of a voter in weighted-majority voting), ``e`` its estimated error
rate. It is estimated from the witnesses alone, with no ground truth, as in Dawid and Skene's
EM, over the variant places of their alignment (neighbouring columns where they differ,
taken together as an edition takes them): at each place the reading with most support
wins, support being the summed weights of the witnesses that read it less
:data:`PLAUSIBILITY` times its :func:`plausibility_cost` (how many of its words the language
does not know; a reading with no word where another has words pays the evidence of those
words, :func:`costs`); ties go
to more visible characters, a hyphen counted as a blank (:func:`shown`), then the better
prior, as in the consensus); a witness's error count is its character distance
from the winning readings (layout aside: whitespace and line-end hyphens), over the
characters of the places it reads. A witness reads nothing where it is damaged: a lost
stretch is no vote and no error; a block two witnesses read in different orders (a move of
the alignment) is no place either. The first pass weighs every witness alike, so that
agreement with the others and plausibility decide (:data:`ROUNDS`).

So a clean witness is trusted more than an OCR copy that writes ``counci1`` where the
others write ``council``, and with two witnesses only, where agreement cannot tell them
apart, the one whose words are words wins the disputed places.

Restoration scales each witness's reading bonus by :meth:`Reliability.trust`; the consensus
votes with :attr:`Reliability.weights` and breaks the last ties with
:attr:`Reliability.priors`.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from operator import add

import numpy as np
import regex
from rapidfuzz.distance import Levenshtein

from collate.chars import LINE_BREAK_HYPHEN, LINE_END_HYPHENS, PLACEHOLDERS, WORD, word_blocks
from collate.model import Collation, Tokens
from collate.moved import shared_runs
from collate.plausibility import COMMON_ZIPF, Judge
from collate.repertoire import Blind, cannot_tell, spelt, unwritten

DEBRIS_COST = 2.0
"""Cost of one character of OCR debris: ``| \\ ~ { } « » ^ ` ¬ ¦ < > @ #`` and controls."""
PLAUSIBILITY = 0.5
"""Log-odds per unit of plausibility cost: how much one Zipf point weighs against votes."""
ROUNDS = 1
"""Estimation passes: the first votes with equal weights, each later one with the weights
the pass before estimated. One: the weights the consensus voted with before this module
(a second pass lets the witness that wins the first vote win more of the close places)."""
MIN_ERROR = 0.002
"""Floor of an estimated error rate (a witness that never disagrees is not infinitely sure)."""
PLACE_CHARS = 2000
"""Longest variant place (characters of the first witness) the vote judges as a whole: the
size of an edition's segments (``collate.edition.MAX_SEGMENT_CHARS``)."""

_DEBRIS = regex.compile(r"[|\\~{}«»^`¬¦<>@#\p{Cc}--\s]", regex.V1)
_SPACES = regex.compile(r"\s+")


@lru_cache(maxsize=16)
def _lexicon(lang: str) -> Judge:
    """The judge of a language's lexicon alone (no document), one per language."""
    return Judge(lang, frozenset())


def plausibility_cost(text: str, lang: str | None = "en",
                      judge: Judge | None = None) -> float:
    """How implausible a reading is: rare or unknown words, OCR debris and lost characters
    cost, common words and ordinary punctuation are free (lower is better); with no
    ``lang`` (and no ``judge``) words cost nothing; a ``judge`` prices words by the
    language and the document's own vocabulary (:meth:`Judge.word_cost`), without one by
    the lexicon of ``lang`` alone, by the same rule.

    >>> plausibility_cost("the house") < plausibility_cost("tho hcuse")
    True
    >>> plausibility_cost("") == plausibility_cost("the") == 0.0
    True
    """
    text = LINE_BREAK_HYPHEN.sub("", text)
    if judge is None and lang is not None:
        judge = _lexicon(lang)
    price = judge.word_cost if judge is not None else _free
    seen: dict[str, float] = {}  # per form as written (a book repeats its words)
    cost = 0.0
    for words in word_blocks(text):  # summed in the text's order, a block at a time
        seen.update((w, price(w.lower())) for w in dict.fromkeys(words) if w not in seen)
        cost = sum(map(seen.__getitem__, words), cost)
    cost += DEBRIS_COST * len(_DEBRIS.findall(text))
    cost += COMMON_ZIPF * sum(text.count(c) for c in set(PLACEHOLDERS))
    return cost


def _free(word: str) -> float:
    return 0.0


def weight(errors: float, chars: float) -> float:
    """The log-odds weight of a witness that differs from the consensus in ``errors`` of
    ``chars`` characters.

    >>> round(weight(5, 100), 3), weight(0, 100) > weight(1, 100) > weight(50, 100)
    (2.854, True)
    """
    e = min(0.5, max(MIN_ERROR, (errors + 0.5) / (chars + 1.0)))
    return math.log((1.0 - e) / e)


def layout(text: str) -> str:
    """``text`` with line-end hyphens joined and each whitespace run made one space: two
    texts that differ only in layout have the same layout form.

    >>> layout("Wil-\\nliam \\n"), layout("William\\n "), layout("Some hundreds")
    ('William ', 'William ', 'Some hundreds')
    """
    return _SPACES.sub(" ", LINE_BREAK_HYPHEN.sub("", text))


@dataclass(frozen=True)
class Reliability:
    """Per witness its weight (log-odds that a character it reads is right) and its prior
    (minus its mean plausibility cost per character: the last tie-break between equally
    supported readings).

    >>> r = Reliability({"A": 6.0, "B": 3.0, "D": 7.0}, {"A": 0.0, "B": -0.1, "D": 0.0})
    >>> r.trust(["A", "B"])
    {'A': 1.0, 'B': 0.5}
    """

    weights: Mapping[str, float]
    priors: Mapping[str, float]
    judge: Judge | None = None
    """How plausible a reading is in this document (``None``: by the language alone)."""

    def trust(self, ids: Iterable[str]) -> dict[str, float]:
        """Each of ``ids``'s weight as a share of the highest among them (1 for the most
        reliable; a witness the estimate does not know counts as the most reliable)."""
        ids = list(ids)
        known = [max(0.0, self.weights[i]) for i in ids if i in self.weights]
        top = max(known, default=0.0)
        return {i: max(0.0, self.weights[i]) / top if i in self.weights and top > 0 else 1.0
                for i in ids}


def priors(texts: Mapping[str, str], lang: str | None,
           judge: Judge | None = None) -> dict[str, float]:
    """Per witness, minus its mean plausibility cost per character (higher is better)."""
    return {w: -plausibility_cost(t, lang, judge) / max(1, len(t)) for w, t in texts.items()}


def estimate(collation: Collation, lang: str | None) -> Reliability:
    """The reliability of every witness of ``collation`` (see the module docstring).

    >>> from collate.alignment import collate
    >>> r = estimate(collate([("A", "the master called the council"),
    ...                       ("B", "the rnaster called the counci1"),
    ...                       ("D", "the master called the □□□□□□□")]), "en")
    >>> r.weights["A"] > r.weights["B"], r.weights["D"] > r.weights["B"]
    (True, True)
    """
    ids = collation.ids
    judge = Judge.of((w.text for w in collation.witnesses), lang)
    prior = priors({w.id: w.text for w in collation.witnesses}, lang, judge)
    places, agreed = _places(collation)
    blind = unwritten({w.id: w.text for w in collation.witnesses}, places)
    weights = dict.fromkeys(ids, 1.0)
    for _ in range(ROUNDS):
        errors = dict.fromkeys(ids, 0)
        chars = dict.fromkeys(ids, agreed)
        for readings in places:
            chosen = _vote(readings, weights, prior, judge, blind)
            for w, text in readings.items():
                chars[w] += len(chosen)
                if text != chosen:
                    errors[w] += Levenshtein.distance(text, chosen)
        weights = {w: weight(errors[w], chars[w]) for w in ids}
    return Reliability(weights, prior, judge)


def _places(collation: Collation) -> tuple[list[dict[str, str]], int]:
    """The variant places of the table (neighbouring columns where the witnesses differ
    joined, up to :data:`PLACE_CHARS`, as an edition joins them), each with what every
    witness reads there in layout form (a witness damaged in a place, a lacuna in one of
    its tokens, reads nothing there), and how many characters the witnesses agree on.

    The columns every witness reads alike and intact are found at once over the arrays of
    cells; only the others (a few in a hundred) are walked one by one."""
    moved = _moved(collation)
    cells = [_cells(collation, k) for k in range(len(collation.witnesses))]
    texts = [t for t, _ in cells]
    alike = ~np.any([hurt for _, hurt in cells], axis=0)
    for other in texts[1:]:
        alike &= texts[0] == other
    alike[sorted(moved)] = False
    agreed = sum(map(len, texts[0][alike].tolist()))
    alike_before = np.cumsum(alike)  # columns read alike up to each column
    size, seen = 0, 0
    places: list[dict[str, tuple[list[str], bool]]] = []  # per witness: pieces, damaged?
    joining = False
    walk = ~alike
    walk[sorted(moved)] = False
    for col in np.flatnonzero(walk).tolist():
        if alike_before[col] != seen:  # a column read alike since the last one walked
            joining = False
            seen = int(alike_before[col])
        row = [t[col] for t in texts]
        damaged = [bool(hurt[col]) for _, hurt in cells]
        if not any(damaged) and (row.count(row[0]) == len(row)
                                 or len({layout(t) for t in row}) < 2):
            agreed += len(row[0])
            joining = False
            continue
        if not joining or size > PLACE_CHARS:
            places.append({w: ([], False) for w in collation.ids})
            size = 0
        for w, text, hurt in zip(collation.ids, row, damaged, strict=True):
            pieces, was = places[-1][w]
            pieces.append(text)
            places[-1][w] = (pieces, was or hurt)
        size += len(row[0])
        joining = True
    out = [{w: layout("".join(pieces)) for w, (pieces, hurt) in place.items() if not hurt}
           for place in places]
    return out, agreed


def _cells(collation: Collation, k: int) -> tuple[np.ndarray, np.ndarray]:
    """What the ``k``-th witness reads in each column (its tokens with their whitespace, an
    object array of strings) and whether a lacuna is in it (a boolean array), read from the
    token columns where they are packed.

    >>> from collate.alignment import collate
    >>> texts, hurt = _cells(collate(["a b c", "a □ c"]), 1)
    >>> texts.tolist(), hurt.tolist()
    (['a ', '□ ', 'c'], [False, True, False])
    """
    toks = Tokens.of(collation.tokens[collation.ids[k]])
    full = np.empty(len(toks), dtype=object)
    full[:] = list(map(add, toks.texts, toks.wss))
    i, j = collation.columns.array[:, k, 0], collation.columns.array[:, k, 1]
    one = j - i == 1
    texts = np.empty(len(i), dtype=object)
    texts[one] = full[i[one]]
    for c in np.flatnonzero(~one).tolist():  # no token or several: few
        texts[c] = "".join(full[i[c] : j[c]].tolist())
    hurt = np.asarray(sorted(x for x, lacunae in toks.damage.items() if lacunae), dtype=np.int64)
    first = np.searchsorted(hurt, i)  # the first damaged token from the cell's first on
    return texts, (first < len(hurt)) & (hurt[np.minimum(first, len(hurt) - 1)] < j
                                         if len(hurt) else np.zeros(len(i), dtype=bool))


def _moved(collation: Collation) -> set[int]:
    """The columns that hold a block two witnesses read in different places
    (:func:`collate.moved.shared_runs`): each copy stands against something else, which
    says nothing of how well either witness reads."""
    out: set[int] = set()
    ids = collation.ids
    for x, a in enumerate(ids):
        cols_a = columns_of(collation, x)
        for y in range(x + 1, len(ids)):
            cols_b = columns_of(collation, y)
            for (i, j), (k, m) in shared_runs(collation, a, ids[y]):
                out.update(cols_a[i:j])
                out.update(cols_b[k:m])
    return out


def columns_of(collation: Collation, k: int) -> list[int]:
    """The column of each token of the ``k``-th witness.

    >>> from collate.alignment import collate
    >>> columns_of(collate(["a b", "a x b"]), 0)
    [0, 2]
    """
    cells = collation.columns.array[:, k]
    return np.repeat(np.arange(len(cells)), cells[:, 1] - cells[:, 0]).tolist()


def costs(texts: Sequence[str], judge: Judge) -> list[float]:
    """The weighted implausibility (:data:`PLAUSIBILITY` times :func:`plausibility_cost`)
    of each of the candidate readings of one place; one with no word at all (an omission)
    costs as much as the most plausible reading with words, plus the evidence its words
    give that words are there (:func:`evidence`: likelier as the document's words than as
    specks read as letters, or less likely). An engine drops a line it failed to find far
    more often than it makes up a line of words the document and the language know, and
    reads specks as letters where there are none: plausibility keeps the one and drops
    the other, where the votes alone would follow the more reliable witness either way.
    Where some reading's words are evidence of words, a reading whose words are none
    (:func:`_worded`: ``.αα. Δ.ϲ`` where the other reads two lines of Greek) is specks
    read where its engine did not find the line, and costs as an omission (its own price
    where that is more).

    >>> [round(c, 2) for c in costs(["the hcuse", "the house", " "], Judge("en", frozenset()))]
    [2.25, 0.0, 4.96]
    >>> [round(c, 2) for c in costs(["|~ x", ""], Judge("en", frozenset()))]
    [2.0, 1.55]
    >>> [round(c, 2) for c in costs(["the house", "|~ x"], Judge("en", frozenset()))]
    [0.0, 4.96]
    """
    priced = [PLAUSIBILITY * plausibility_cost(t, judge=judge) if WORD.search(t) else None
              for t in texts]
    out = [c if c is not None and _worded(t, judge) else None
           for t, c in zip(texts, priced, strict=True)]
    if all(c is None for c in out):  # no reading's words are evidence: words as words
        out = priced
    if all(c is not None for c in out):
        return out
    floor = min(((c, -len(t), t) for t, c in zip(texts, out, strict=True) if c is not None),
                default=None)
    if floor is None:
        return [0.0] * len(texts)
    said = floor[0] + PLAUSIBILITY * evidence(floor[2], judge)
    return [c if c is not None else said if p is None else max(said, p)
            for c, p in zip(out, priced, strict=True)]


def _worded(text: str, judge: Judge) -> bool:
    """Whether a word of ``text`` (of two letters at least: one letter alone is as likely
    a speck) is evidence that words are there (:meth:`Judge.evidence`)."""
    words = WORD.finditer(unicodedata.normalize("NFKC", LINE_BREAK_HYPHEN.sub("", text)))
    return any(len(m.group()) > 1 and judge.evidence(m.group().lower()) > 0 for m in words)


def evidence(text: str, judge: Judge) -> float:
    """How far the words of ``text`` are likelier words of the document or the language
    than specks read as letters, summed (:meth:`Judge.evidence`, orders of magnitude),
    over the words that do not stand beside the same neighbour in two readings, one letter
    misread aside (:meth:`Judge.paired`): those are read elsewhere, a block moved, not
    words dropped.

    >>> round(evidence("the house", Judge("en", frozenset())), 1)
    9.9
    >>> round(evidence("the house", Judge("en", frozenset(), pairs=frozenset({"the house"}))), 1)
    0.0
    """
    words = [m.group().lower() for m in WORD.finditer(
        unicodedata.normalize("NFKC", LINE_BREAK_HYPHEN.sub("", text)))]
    pairs = [judge.paired(a, b) for a, b in pairwise(words)]
    return sum((judge.evidence(w) for k, w in enumerate(words)
                if not (k and pairs[k - 1]) and not (k < len(pairs) and pairs[k])), 0.0)


def shown(text: str) -> tuple[int, int]:
    """How many visible characters ``text`` has, and how many blanks: a hyphen counts with
    the blanks, as the layout mark it mostly is (a word broken at a line's end, or a speck
    an engine read beside a word: ``die- freundliche``, ``schon-eben``), not as a character
    one engine kept where the other missed it; the tie-breaks of a vote read these.

    >>> shown("Item 2. the"), shown("die- freundliche"), shown("die freundliche")
    ((9, 2), (14, 2), (14, 1))
    """
    gaps = sum(c.isspace() or c in LINE_END_HYPHENS for c in text)
    return len(text) - gaps, gaps


def _vote(readings: Mapping[str, str], weights: Mapping[str, float],
          prior: Mapping[str, float], judge: Judge, blind: Blind | None = None) -> str:
    """The reading of one place with most support (votes less implausibility; where one
    reading has words and another none, votes alone; a witness's vote also goes to a
    reading it cannot tell from its own, ``blind``: :func:`~collate.repertoire.unwritten`),
    then, as the consensus breaks ties,
    the one that keeps more visible characters, has fewer blanks (a hyphen counted as one,
    :func:`shown`), has the best prior."""
    texts = set(readings.values())
    if len(texts) < 2:
        return next(iter(texts), "")
    ordered = list(texts)
    cost = dict(zip(ordered, spelt(ordered, costs(ordered, judge), readings, blind),
                    strict=True))

    def support(text: str) -> tuple[float, int, int, float]:
        votes = sum(weights[w] for w, t in readings.items()
                    if t == text or (blind is not None and cannot_tell((w,), t, text, blind)))
        seen, gaps = shown(text)
        return (round(votes - cost[text], 6), seen, -gaps,
                max(prior[w] for w, t in readings.items() if t == text))

    return max(sorted(texts), key=support)
