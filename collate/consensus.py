"""The consensus of several readings: witness reliability and weighted voting (ROVER-like).

:func:`build` takes, per place of an edition, what every witness reads there (restored
lacunae filled) and returns per place the consensus text as :class:`Span` s, each traceable
to a witness offset, with the place's confidence, and one reliability weight per witness.

Reliability
-----------
Each witness's weight is read from one estimate, :mod:`collate.reliability` (its log-odds
of reading a character right, from its agreement with the others and the plausibility of
its words), the same estimate restoration reads; the consensus does not estimate its own.

Voting
------
At a variant place the readings are aligned character by character to the *pivot* (the
reading with most weight). Where they differ, the differences that overlap form *regions*;
each reading proposes a text for each region. Regions within one word (whitespace-delimited,
joined across a line-end hyphen) are decided together:

* **text regions**: each candidate scores the summed weights of the witnesses proposing its
  choices, minus :data:`PLAUSIBILITY` times the :func:`plausibility_cost` of the word(s) it
  makes; where the readings of the word are OCR variants of one word (similarity at least
  :data:`NEAR_WORD`) the regions combine freely, so that ``Arkickel`` / ``Artickel`` /
  ``Artiekel`` give ``Artickel`` character by character; otherwise whole readings compete.
  Where one reading has no word at all and another has words, the omission costs as much
  as the most plausible reading with words plus the evidence its words give that they are
  words, not specks read as letters (:func:`~collate.reliability.costs`): an engine drops
  a line it did not find far more often than it makes one up. The confidence of the place is
  the product of the softmax probabilities of the chosen candidates; ties go to the more
  visible characters (an engine misses a faint letter or stop more often than it invents
  one), a hyphen counted with the blanks (the layout mark of a broken word, and what an
  engine reads from a speck beside a word: ``die- freundliche``), then the fewer blanks,
  then the more reliable witness, never to a fixed order. Of two
  readings of a word, one that is the other with its first letters (``Τιβέριος`` /
  ``ιβέριος``) is read whole whatever the votes: an engine misses a faint initial, it does
  not invent the letters that begin a word (:func:`_fuller`).
* **layout regions** (proposals that differ only in whitespace and line-end hyphens): the
  number of line breaks of the pivot is kept, then the reading that keeps more visible
  characters (a line-end hyphen), puts no space at a line's edge, and has less whitespace.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

import regex
from rapidfuzz.distance import Levenshtein, Opcode

from collate.chars import LINE_BREAK_HYPHEN, LINE_END_HYPHENS, WORD
from collate.engines import Confidences
from collate.model import RestoredLacuna
from collate.origins import Origin, Origins, Run
from collate.plausibility import Judge
from collate.reliability import Reliability, costs, layout, shown
from collate.repertoire import Blind, as_told, cannot_tell, spelt, unwritten

NEAR_WORD = 0.5
"""Readings of one word at least this similar (normalized Levenshtein) are OCR variants of
it and are voted character by character; less similar ones compete as whole words."""
MIX_READINGS = 3
"""Readings of a word needed to vote letter by letter: two readings tie at every letter,
and mixing them would make words that neither witness read (``rnan`` + ``man``: ``ran``)."""
MAX_COMBOS = 64
"""Most candidates tried for one word; beyond, the readings compete whole."""
_LAYOUT = regex.compile(rf"[{LINE_END_HYPHENS}][ \t]*\r?\n\s*|\s+")
_EDGE_WS = regex.compile(r"[ \t]+\r?\n|\n[ \t]+")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of consensus text taken from witness ``wit``: ``text`` is
    ``wit``'s text ``[start:end]``, or, when ``lacuna`` is set, (part of) the restoration of
    that lacuna, which covers ``[start:end)`` of the witness."""

    wit: str
    start: int
    end: int
    text: str
    lacuna: RestoredLacuna | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """The consensus of one place: its spans, its confidence, and the witness whose reading
    comes closest to it (the lemma an apparatus prints)."""

    spans: tuple[Span, ...]
    confidence: float
    lemma: str

    @property
    def text(self) -> str:
        """The consensus text of the place."""
        return "".join(s.text for s in self.spans)


TWO = 2
"""Readings of a region whose vote may fall back to one of them (:func:`never_worse`)."""


@dataclass(frozen=True, slots=True)
class Whole:
    """Places ``[first, end)`` whose consensus is witness ``wit``'s reading, taken whole:
    the vote there was less plausible than that reading (:func:`never_worse`)."""

    first: int
    end: int
    wit: str
    confidence: float = 1.0
    """The softmax share of the reading among the vote and the region's readings, priced
    by their implausibility (as a place's confidence among its candidates)."""


@dataclass(frozen=True)
class Consensus:
    """Per place the consensus, per witness its reliability weight (log-odds), and the
    regions taken whole from one witness."""

    places: tuple[Place, ...]
    weights: Mapping[str, float]
    whole: tuple[Whole, ...] = ()

    def taken(self) -> dict[str, int]:
        """Per witness, how many visible characters of the consensus text it gave (what the
        consensus took from whom; a witness it took nothing from is not listed).

        >>> Consensus((Place((Span("A", 0, 3, "ab "), Span("B", 3, 4, "c")), 1.0, "A"),),
        ...           {"A": 1.0, "B": 1.0}).taken()
        {'A': 2, 'B': 1}
        """
        out: dict[str, int] = {}
        for p in self.places:
            for x in p.spans:
                n = sum(not c.isspace() for c in x.text)
                if n:
                    out[x.wit] = out.get(x.wit, 0) + n
        return out

    def taken_whole(self) -> dict[str, int]:
        """Per witness, how many regions of the consensus are its reading taken whole (the
        vote there read less plausibly, :func:`never_worse`); none: not listed.

        >>> Consensus((), {}, (Whole(0, 2, "B"), Whole(5, 6, "B"))).taken_whole()
        {'B': 2}
        """
        out: dict[str, int] = {}
        for w in self.whole:
            out[w.wit] = out.get(w.wit, 0) + 1
        return out

    def whole_at(self) -> dict[int, str]:
        """Per place taken whole from one witness, that witness.

        >>> Consensus((), {}, (Whole(1, 3, "B"),)).whole_at()
        {1: 'B', 2: 'B'}
        """
        return {i: w.wit for w in self.whole for i in range(w.first, w.end)}


@dataclass(frozen=True, slots=True)
class Reading:
    """What one witness reads at a place: restored text and, per character, its origin."""

    wit: str
    text: str
    origins: Sequence[Origin]
    damaged: bool


def reading(
    wit: str, pieces: Sequence[str | RestoredLacuna], start: int,
    fill: Callable[[RestoredLacuna], str],
) -> Reading:
    """The :class:`Reading` of pieces (plain strings and lacunae) that begin at ``start``.

    >>> r = reading("A", ["ab"], 5, str)
    >>> r.text, r.origins[1][:2]
    ('ab', ('A', 6))
    """
    text: list[str] = []
    runs: list[Run] = []  # the origins, one run per piece (compact: a book is one place)
    pos = start
    size = 0
    damaged = False
    for p in pieces:
        if isinstance(p, str):
            piece, run = p, (size, wit, pos, None)
            pos += len(p)
        else:
            piece, run = fill(p), (size, wit, p.lacuna.start, p)
            pos = p.lacuna.end
            damaged = True
        if piece:
            text.append(piece)
            runs.append(run)
            size += len(piece)
    return Reading(wit, "".join(text), Origins(runs, size), damaged)


def joined(parts: Sequence[Reading], wit: str) -> Reading:
    """The readings ``parts`` of one witness read one after another, as one reading.

    >>> r = joined([reading("A", ["cd"], 7, str), reading("A", ["ab"], 0, str)], "A")
    >>> r.text, r.origins[2][:2]
    ('cdab', ('A', 0))
    """
    runs: list[Run] = []
    size = 0
    for r in parts:
        if isinstance(r.origins, Origins):
            runs += [(size + first, w, off, lac) for first, w, off, lac in r.origins.runs]
        else:
            runs += [(size + n, w, off, lac) for n, (w, off, lac) in enumerate(r.origins)]
        size += len(r.text)
    return Reading(wit, "".join(r.text for r in parts), Origins(runs, size),
                   any(r.damaged for r in parts))


def spans(text: str, origins: Sequence[Origin]) -> tuple[Span, ...]:
    """Characters with their origins grouped into maximal :class:`Span` s.

    >>> [(s.wit, s.start, s.end, s.text) for s in spans("abx", [("A", 0, None), ("A", 1, None),
    ...                                                       ("B", 7, None)])]
    [('A', 0, 2, 'ab'), ('B', 7, 8, 'x')]
    """
    if len(text) != len(origins):
        raise ValueError("spans: text and origins differ in length")
    if isinstance(origins, Origins):
        return _run_spans(text, origins)
    out: list[Span] = []
    first = 0  # the run being grown: text[first:i], from origins[first] on
    for i in range(1, len(text) + 1):
        if i < len(text):
            wit, off, lac = origins[i]
            pwit, poff, plac = origins[i - 1]
            if pwit == wit and plac is lac and (lac is not None or poff + 1 == off):
                continue
        wit, off, lac = origins[first]
        end = lac.lacuna.end if lac is not None else origins[i - 1][1] + 1
        out.append(Span(wit, off, end, text[first:i], lac))
        first = i
    return tuple(out)


def _run_spans(text: str, origins: Origins) -> tuple[Span, ...]:
    """:func:`spans` of origins kept as runs: adjacent runs that continue each other join.

    >>> r = reading("A", ["ab", "cd"], 3, str)
    >>> [(s.start, s.end, s.text) for s in spans(r.text, r.origins)]
    [(3, 7, 'abcd')]
    """
    out: list[Span] = []
    last = None  # (first index, wit, first offset, last offset, lacuna) of the open span
    for first, _end, wit, off, top, lac in origins.stretches():
        if last and last[1] == wit and last[4] is lac and (lac is not None or last[3] + 1 == off):
            last = (last[0], wit, last[2], top, lac)
            continue
        if last:
            out.append(_span(text, last, first))
        last = (first, wit, off, top, lac)
    if last:
        out.append(_span(text, last, len(text)))
    return tuple(out)


def _span(text: str, run: tuple[int, str, int, int, RestoredLacuna | None], end: int) -> Span:
    first, wit, off, top, lac = run
    return Span(wit, off, lac.lacuna.end if lac is not None else top + 1, text[first:end], lac)


def build(
    places: Sequence[Mapping[str, Reading]],
    reliability: Reliability,
    lang: str | None,
    engines: Confidences | None = None,
) -> Consensus:
    """The consensus of every place (see the module docstring).

    Parameters
    ----------
    places : sequence of mappings
        Per place, per witness id, its :class:`Reading` there.
    reliability : Reliability
        Every witness's weight and prior (:func:`collate.reliability.estimate`).
    lang : str or None
        The wordfreq language code plausibility is judged in (with no ``reliability.judge``;
        ``None``: no lexicon).
    engines : Confidences, optional
        The OCR engines' confidence in their words, where the witnesses' files gave it.

    Examples
    --------
    >>> rs = [{w: reading(w, [t], 0, str) for w, t in (("A", "a "), ("B", "a "))},
    ...       {w: reading(w, [t], 2, str) for w, t in (("A", "tho house"), ("B", "the hcuse"))}]
    >>> c = build(rs, Reliability({"A": 1.0, "B": 1.0}, {"A": 0.0, "B": 0.0}), "en")
    >>> "".join(p.text for p in c.places)
    'a the house'
    """
    weights, prior = reliability.weights, reliability.priors
    judge = reliability.judge or Judge(lang, frozenset())
    blind = unwritten(_texts(places), ({w: r.text for w, r in p.items()} for p in places))
    voted = [resolve(p, weights, prior, judge, engines, blind) for p in places]
    whole = never_worse(places, voted, weights, judge, blind)
    for w in whole:
        for i in range(w.first, w.end):
            r = places[i][w.wit]
            voted[i] = Place(spans(r.text, r.origins), w.confidence, w.wit)
    return Consensus(tuple(voted), dict(weights), tuple(whole))


def _texts(places: Sequence[Mapping[str, Reading]]) -> dict[str, str]:
    """Each witness's reading of every place, one after another."""
    out: dict[str, list[str]] = {}
    for row in places:
        for w, r in row.items():
            out.setdefault(w, []).append(r.text)
    return {w: "".join(t) for w, t in out.items()}


def never_worse(
    places: Sequence[Mapping[str, Reading]], voted: Sequence[Place],
    weights: Mapping[str, float], judge: Judge, blind: Blind | None = None,
) -> list[Whole]:
    """The regions where a single reading is more plausible than the vote, each with the
    witness whose reading is emitted there instead.

    A region is a stretch of places between agreed anchors (a place every reading reads
    alike, layout aside, holding a line break) where two undamaged readings stand: two
    readings cannot outvote each other, so their vote is only the plausibility of each word
    against the witnesses' weights, and the plausibility of the whole stretch judges the
    mixture that word-by-word choice made. The two readings and the vote's text are priced
    alike (:func:`~collate.reliability.costs`: rare, unknown and broken words, debris),
    and a reading pays besides for being less reliable than the more reliable one (the gap
    of their weights, in the log-odds the vote counts in), as the vote's text pays for the
    implausible words the weights chose: like is compared with like, and a book's own
    ``dieß`` read by the better engine is not given up for the other's modern ``Nest``.
    Where a reading of as many words as the vote's text costs less than it, so counted,
    the vote made the region worse than that witness read it. Whether words are there at
    all stays the vote's to say: a reading with more or fewer words there may hold a line the other
    misplaced or dropped, and plausibility does not count words that are too many. Where
    three readings or more stand, a majority decides and the vote is kept (a single
    reading's plausibility is no match for two witnesses that agree, and words split by a
    stray hyphen, ``wer-sen``, price low). Nor does a reading stand against the vote where
    it reads a letter it never writes as its stand-in (``blind``,
    :func:`~collate.repertoire.unwritten`): taken whole it would bring its blindness with
    it (ABBYY's ``eft`` for the print's ``eſt``).

    >>> rs = [{w: reading(w, [t], 0, str) for w, t in (("A", "tho hcuse"), ("B", "the house"))}]
    >>> never_worse(rs, [Place((Span("A", 0, 9, "tho hcuse"),), 1.0, "A")],
    ...             {"A": 2.0, "B": 1.0}, Judge("en", frozenset()))
    [Whole(first=0, end=1, wit='B', confidence=0.784992)]
    """
    out = []
    for first, end in _stretches(places):
        ids = [w for w, r in places[first].items()
               if not any(places[i][w].damaged for i in range(first, end))]
        if len(ids) != TWO:
            continue  # three readings or more: the vote has a majority to go by
        texts = ["".join(voted[i].text for i in range(first, end))]
        texts += ["".join(places[i][w].text for i in range(first, end)) for w in ids]
        if len({layout(t) for t in texts}) < 2:
            continue
        priced = costs(texts, judge)
        same = [k for k in range(len(ids)) if _words(texts[k + 1]) == _words(texts[0])
                and not _drops_initial(texts[k + 1], texts[0])
                and (blind is None or as_told(ids[k], texts[k + 1], texts[0], blind)
                     == texts[k + 1])]
        top = max(weights.get(w, 0.0) for w in ids)
        gap = {k: top - weights.get(ids[k], 0.0) for k in same}
        best = min(same, key=lambda k: (priced[k + 1] + gap[k], -weights.get(ids[k], 0.0)),
                   default=None)
        if best is not None and priced[best + 1] + gap[best] < priced[0] - 1e-9:
            low = priced[best + 1] + gap[best]
            paid = {texts[0]: priced[0]}
            for k in same:
                paid.setdefault(texts[k + 1], priced[k + 1] + gap[k])
            share = 1.0 / sum(math.exp(min(50.0, low - c)) for c in paid.values())
            out.append(Whole(first, end, ids[best], round(share, 6)))
    return out


def _words(text: str) -> int:
    """How many words ``text`` has (a word broken at a line's end is one)."""
    return sum(1 for _ in WORD.finditer(LINE_BREAK_HYPHEN.sub("", text)))


def _stretches(places: Sequence[Mapping[str, Reading]]) -> list[tuple[int, int]]:
    """The places between agreed anchors, as ``[first, end)`` ranges (see
    :func:`never_worse`)."""
    out = []
    first = 0
    for i, row in enumerate(places):
        texts = [r.text for r in row.values()]
        if len({layout(t) for t in texts}) == 1 and any("\n" in t for t in texts):
            if i > first:
                out.append((first, i))
            first = i + 1
    if first < len(places):
        out.append((first, len(places)))
    return out


@dataclass(frozen=True)
class _Group:
    """Witnesses with one reading: its text, the origins of the best-kept member, weight."""

    text: str
    origins: tuple[Origin, ...]
    wits: tuple[str, ...]
    weight: float
    prior: float


def _groups(
    readings: Mapping[str, Reading], weights: Mapping[str, float], prior: Mapping[str, float]
) -> list[_Group]:
    """Witnesses grouped by reading, the group with most weight (then prior) first; each
    group's origins are those of an undamaged member where there is one."""
    by_text: dict[str, list[Reading]] = {}
    for r in readings.values():
        by_text.setdefault(r.text, []).append(r)
    out = []
    for text, rs in by_text.items():
        best = max(rs, key=lambda r: (not r.damaged, weights[r.wit], prior[r.wit]))
        out.append(_Group(text, best.origins, tuple(r.wit for r in rs),
                          sum(weights[r.wit] for r in rs), max(prior[r.wit] for r in rs)))
    out.sort(key=lambda g: (-g.weight, -g.prior))
    return out


def resolve(
    readings: Mapping[str, Reading],
    weights: Mapping[str, float],
    prior: Mapping[str, float],
    judge: Judge,
    engines: Confidences | None = None,
    blind: Blind | None = None,
) -> Place:
    """The consensus of one place from its readings (see the module docstring), words
    priced by ``judge``, votes moved by the ``engines``' confidence in their words; a
    witness's reading also supports a text it cannot tell from its own (``blind(wit,
    read, char)``: a letter it never writes, read as its stand-in,
    :func:`~collate.repertoire.unwritten`)."""
    groups = _groups(readings, weights, prior)
    pivot = groups[0]
    if len(groups) == 1:
        return Place(spans(pivot.text, pivot.origins), 1.0, _lemma(readings, pivot.text, weights))
    maps = [_position_map(pivot.text, g.text) for g in groups]
    regions = _regions(pivot.text, groups, maps)
    chosen: dict[int, int] = {}  # region index -> group index whose proposal is chosen
    confidence = 1.0
    shifts = _shifts(readings, groups, regions, weights, engines) if engines else {}
    for cluster in _clusters(pivot.text, regions):
        picks, p = _decide(pivot.text, groups, regions, cluster, judge, shifts, blind)
        chosen.update(picks)
        confidence *= p
    text, origins = _compose(pivot, groups, regions, chosen, 0, len(pivot.text))
    return Place(spans(text, origins), confidence, _lemma(readings, text, weights))


def _shifts(
    readings: Mapping[str, Reading], groups: Sequence[_Group], regions: Sequence[_Region],
    weights: Mapping[str, float], engines: Confidences,
) -> dict[tuple[int, int], float]:
    """Per (region, group), how far the engines' confidence in the words there moves the
    group's vote (:meth:`collate.engines.Confidences.shift`; a witness's vote never below 0)."""
    out: dict[tuple[int, int], float] = {}
    for k, r in enumerate(regions):
        for h, (s, _e) in enumerate(r.ranges):
            text = groups[h].text
            if not text:
                continue
            at = min(s, len(text) - 1)
            total = 0.0
            for w in groups[h].wits:
                wit, off, _lac = readings[w].origins[at]
                total += max(-weights[w], engines.shift(wit, off))
            if total:
                out[k, h] = total
    return out


def _lemma(readings: Mapping[str, Reading], text: str, weights: Mapping[str, float]) -> str:
    """The witness whose reading is closest to the consensus ``text`` (undamaged, then the
    more reliable one, first)."""
    return min(readings.values(), key=lambda r: (Levenshtein.distance(r.text, text), r.damaged,
                                                 -weights[r.wit])).wit


def _position_map(pivot: str, other: str) -> tuple[list[int], list[int], list[tuple[int, ...]]]:
    """For each pivot position ``p`` (0..len), the position in ``other`` before and after
    what ``other`` inserts at ``p``; and the differences as ``(i1, i2, tag)`` edits (a
    replacement split into single characters, so that each can be voted on)."""
    n = len(pivot)
    after = [0] * (n + 1)
    inserted = [0] * (n + 1)
    edits: list[tuple[int, ...]] = []
    for op in Levenshtein.opcodes(pivot, other):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "insert":
            inserted[i1] += j2 - j1
            edits.append((i1, i1))
            continue
        for p in range(i1, i2):
            after[p] = j1 + (p - i1) if tag != "delete" else j1
        if tag == "replace" and i2 - i1 == j2 - j1:
            for p in range(i1, i2):
                edits.append((p, p + 1))
                if pivot[p].isspace() != other[j1 + p - i1].isspace():
                    # a space is not read as a letter: a deletion, then an insertion
                    inserted[p + 1] += 1
                    edits.append((p + 1, p + 1))
        elif tag != "equal":
            edits.append((i1, i2))
    after[n] = len(other)
    before = [a - k for a, k in zip(after, inserted, strict=True)]
    return before, after, edits


@dataclass(frozen=True, slots=True)
class _Region:
    """Pivot range ``[a, b)`` (``a == b``: an insertion point); per group its proposal
    as a range of that group's text; ``layout`` when proposals differ only in layout."""

    a: int
    b: int
    ranges: tuple[tuple[int, int], ...]
    layout: bool


def _regions(pivot: str, groups: Sequence[_Group], maps: Sequence[tuple]) -> list[_Region]:
    """The overlapping differences of all readings from the pivot, merged into regions."""
    edits = sorted({e for m in maps for e in m[2]})
    merged: list[list[int]] = []
    for a, b in edits:
        if merged:
            ra, rb = merged[-1]
            point = ra == rb
            if (point and ((a == b == ra) or a < ra < b)) or (not point and a < rb and
                                                              (a != b or a > ra)):
                merged[-1][1] = max(rb, b)
                continue
        merged.append([a, b])
    out = []
    for a, b in merged:
        ranges = tuple((m[0][a], m[1][a]) if a == b else (m[1][a], m[0][b]) for m in maps)
        left = len(pivot[:a]) - len(pivot[:a].rstrip()) + 1  # the spaces and a character
        right = len(pivot[b:]) - len(pivot[b:].lstrip()) + 1
        texts = {layout(pivot[max(0, a - left) : a] + g.text[s:e] + pivot[b : b + right])
                 for g, (s, e) in zip(groups, ranges, strict=True)}
        out.append(_Region(a, b, ranges, len(texts) == 1))
    return out


def _clusters(pivot: str, regions: Sequence[_Region]) -> list[list[int]]:
    """Indices of regions grouped by the word (pivot text between whitespace, joined across
    a line-end hyphen) they fall in."""
    out: list[list[int]] = []
    last_end = -1
    for k, r in enumerate(regions):
        x, y = _extent(pivot, r.a, r.b)
        if out and x <= last_end:
            out[-1].append(k)
            last_end = max(last_end, y)
        else:
            out.append([k])
            last_end = y
    return out


def _extent(text: str, a: int, b: int) -> tuple[int, int]:
    """``[a, b)`` widened to the whitespace around it, across line-end hyphens."""
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    while b < len(text) and not text[b].isspace():
        b += 1
    m = LINE_BREAK_HYPHEN.match(text, b - 1) if b > 0 and text[b - 1] in LINE_END_HYPHENS else None
    if m is not None:
        return _extent(text, a, m.end())
    return a, b


def _compose(
    pivot: _Group, groups: Sequence[_Group], regions: Sequence[_Region],
    chosen: Mapping[int, int], x: int, y: int,
) -> tuple[str, list[Origin]]:
    """The pivot's ``[x, y)`` with each region in it replaced by its chosen group's proposal."""
    text: list[str] = []
    origins: list[Origin] = []
    pos = x
    for k, r in enumerate(regions):
        if k not in chosen or r.a < x or r.b > y:
            continue
        text.append(pivot.text[pos:r.a])
        origins.extend(pivot.origins[pos:r.a])
        g = groups[chosen[k]]
        s, e = r.ranges[chosen[k]]
        text.append(g.text[s:e])
        origins.extend(g.origins[s:e])
        pos = r.b
    text.append(pivot.text[pos:y])
    origins.extend(pivot.origins[pos:y])
    return "".join(text), origins


def _decide(
    pivot: str, groups: Sequence[_Group], regions: Sequence[_Region], cluster: list[int],
    judge: Judge, shifts: Mapping[tuple[int, int], float],
    blind: Blind | None = None,
) -> tuple[dict[int, int], float]:
    """Choose a group's proposal for each region of one word: text regions by votes and
    plausibility, then layout regions by the layout rules; returns the choice and its
    confidence."""
    x = min(regions[k].a for k in cluster)
    y = max(regions[k].b for k in cluster)
    x, y = _extent(pivot, x, y)
    text_regions = [k for k in cluster if not regions[k].layout]
    layout_regions = [k for k in cluster if regions[k].layout]
    joined = {k: min(range(len(groups)), key=lambda g, k=k: _ws(groups, regions[k], g))
              for k in layout_regions}
    picks, confidence = dict(joined), 1.0
    if text_regions:
        options = _options(groups, regions, text_regions, pivot, x, y)
        texts = [_compose(groups[0], groups, regions, {**joined, **o}, x, y)[0] for o in options]
        fuller = _fuller(texts) if len(groups) == TWO else None
        priced = spelt(texts, costs(texts, judge), [w for g in groups for w in g.wits], blind)
        scored = [((text == fuller, *_text_key(groups, regions, option, text, cost, shifts,
                                                blind)),
                   option)
                  for option, text, cost in zip(options, texts, priced, strict=True)]
        scored.sort(key=lambda t: t[0], reverse=True)
        picks.update(scored[0][1])
        top = scored[0][0][1]
        confidence = 1.0 / sum(math.exp(min(50.0, s[0][1] - top)) for s in scored)
    if layout_regions:
        fixed = {k: picks[k] for k in text_regions}
        target = _compose(groups[0], groups, regions, {}, x, y)[0].count("\n")
        best = max(_options(groups, regions, layout_regions, pivot, x, y),
                   key=lambda o: _layout_key(groups, regions, {**fixed, **o}, x, y, target))
        picks.update(best)
    return picks, confidence


def _fuller(texts: Sequence[str]) -> str | None:
    """Of two readings of a word, the one that is the other with letters before a word's
    first letter (``Τιβέριος`` / ``ιβέριος``): an engine misses a faint or ornamented
    initial far more often than it invents letters that begin a word; else ``None``.

    >>> _fuller(["ιβέριος ", "Τιβέριος "]), _fuller(["the cat", "the at"]), _fuller(["ab", "ba"])
    ('Τιβέριος ', 'the cat', None)
    """
    if len(set(texts)) != TWO:
        return None
    short, long = sorted(set(texts), key=len)
    edits = [op for op in Levenshtein.opcodes(short, long) if op.tag != "equal"]
    return long if len(edits) == 1 and _initial(short, long, edits[0]) else None


def _drops_initial(reading: str, vote: str) -> bool:
    """Whether ``reading`` lacks, somewhere, the first letters of a word ``vote`` has
    (:func:`_fuller`): the fallback does not give a whole word up for its remains.

    >>> _drops_initial("the at sat", "the cat sat"), _drops_initial("the cat", "the cut")
    (True, False)
    """
    return any(op.tag == "insert" and _initial(reading, vote, op)
               for op in Levenshtein.opcodes(reading, vote))


def _initial(short: str, long: str, op: Opcode) -> bool:
    """Whether the edit ``op`` (``short`` -> ``long``) puts letters before the first
    letter of a word of ``short``."""
    if op.tag != "insert":
        return False
    at = op.src_start
    return (long[op.dest_start:op.dest_end].isalpha() and at < len(short)
            and short[at].isalpha() and (at == 0 or short[at - 1].isspace()))


def _ws(groups: Sequence[_Group], r: _Region, g: int) -> int:
    s, e = r.ranges[g]
    return sum(c.isspace() for c in groups[g].text[s:e])


def _options(
    groups: Sequence[_Group], regions: Sequence[_Region], ks: list[int], pivot: str,
    x: int, y: int,
) -> list[dict[int, int]]:
    """Candidate choices for regions ``ks``: every combination of distinct proposals where
    the readings are OCR variants of one word, else each group's own proposals (whole words)."""
    whole = [{k: g for k in ks} for g in range(len(groups))]
    per_region = []
    for k in ks:
        seen: dict[str, int] = {}
        r = regions[k]
        for g, (s, e) in enumerate(r.ranges):
            seen.setdefault(groups[g].text[s:e], g)
        per_region.append(list(seen.values()))
    if math.prod(len(p) for p in per_region) > MAX_COMBOS:
        return whole
    words = {_compose(groups[0], groups, regions, w, x, y)[0] for w in whole}
    if len(words) < MIX_READINGS:
        return whole
    stripped = [_LAYOUT.sub("", w) for w in words]
    if any(Levenshtein.normalized_similarity(u, v) < NEAR_WORD
           for i, u in enumerate(stripped) for v in stripped[i + 1:]):
        return whole
    return [dict(zip(ks, combo, strict=True)) for combo in product(*per_region)]


def _text_key(
    groups: Sequence[_Group], regions: Sequence[_Region], option: Mapping[int, int], text: str,
    cost: float, shifts: Mapping[tuple[int, int], float],
    blind: Blind | None = None,
) -> tuple[float, int, int, float]:
    """Score of a candidate (higher is better): votes (moved by the engines' confidence,
    ``shifts``; a group's vote also goes to a proposal it cannot tell from its own,
    ``blind``, see :func:`resolve`) minus its weighted implausibility
    (:func:`~collate.reliability.costs`), then visible characters, then fewer blanks (a
    hyphen counted as a blank, :func:`~collate.reliability.shown`), then the supporters'
    prior."""
    votes = 0.0
    for k, g in option.items():
        r = regions[k]
        s, e = r.ranges[g]
        mine = groups[g].text[s:e]
        votes += sum(groups[h].weight + shifts.get((k, h), 0.0)
                     for h, (a, b) in enumerate(r.ranges) if groups[h].text[a:b] == mine
                     or (blind is not None and cannot_tell(groups[h].wits, groups[h].text[a:b],
                                                           mine, blind)))
    prior = max(groups[g].prior for g in option.values())
    seen, gaps = shown(text)
    return (round(votes - cost, 6), seen, -gaps, prior)


def _layout_key(
    groups: Sequence[_Group], regions: Sequence[_Region], choice: Mapping[int, int],
    x: int, y: int, target: int,
) -> tuple[int, int, int, int, float]:
    """Order of layouts: the pivot's number of line breaks, more visible characters, no
    space at a line's edge, less whitespace, then the more reliable readings."""
    text = _compose(groups[0], groups, regions, choice, x, y)[0]
    support = sum(groups[g].weight for g in choice.values())
    return (-abs(text.count("\n") - target), sum(not c.isspace() for c in text),
            -len(_EDGE_WS.findall(text)), -sum(c.isspace() for c in text), support)
