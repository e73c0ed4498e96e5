"""Holes: the lost spans restoration fills, their length models, and the spans of intact
text hidden in the shape of real lacunae to calibrate on."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace

import regex

from collate.chars import BREAK, WORD, WORD_CHAR
from collate.lacunae import detect
from collate.model import Lacuna

MAX_SPAN = 40  #: longest filling searched when a lacuna's length is unknown
MARGIN = 2  #: characters kept intact between a hidden span and a real lacuna
TRIES = 60  #: placements tried for one hidden span
DAMAGE_BINS = 4  #: bins of local damage density used to weigh hidden spans
INITIAL = 8.0  #: extra prior weight that two glyphs at a word start stand for one letter
#: prior weight every length in range keeps whatever the glyph count (real scans stray from
#: the noise model); a length with no more than this the count does not admit
FLOOR = 0.01


@dataclass
class Scored:
    """A candidate filling's log score and the evidence that proposed it."""

    score: float
    sources: list[str]
    loose: int = 0  #: supporting witnesses that differ around the place (read approximately)
    partial: int = 0  #: supporting witnesses found on one side of the place only (of those loose)
    #: a witness's reading whose length the glyph count does not admit (:meth:`Hole.admits`):
    #: the witness likely reads other text there than the document lost
    misfit: bool = False


def witness_count(sources: Sequence[str]) -> int:
    """How many witnesses a candidate's sources name (``witness:ID`` entries)."""
    return sum(s.startswith("witness:") for s in sources)


@dataclass
class Hole:
    """One lost span to fill: a real lacuna, or a hidden span used for calibration.

    ``shown`` is the lacuna as the text shows it: for a real one the detected lacuna, for a
    hidden one the lacuna its marker would be detected as (offsets of a copy of the text
    where the marker stands in place of the hidden span start at ``start``).
    """

    start: int
    end: int
    lengths: tuple[int, int]
    prior: dict[int, float]  # log prior of each admitted filling length
    truth: str | None = None  # known only for hidden spans
    lacuna: Lacuna | None = None  # the real lacuna, None for hidden spans
    marker: str = ""  # the marker a hidden span is shown with
    shown: Lacuna | None = None
    cands: dict[str, Scored] = field(default_factory=dict)  # filled in by the Restorer
    #: a lost word opening a paragraph or sentence, written with a capital (a real lacuna
    #: the structure says is one, or a hidden span imitating it)
    capital: bool = False

    def length_prior(self, n: int) -> float:
        """Log prior of a filling of ``n`` characters (-5 outside the admitted lengths)."""
        return self.prior.get(n, -5.0)

    def admits(self, n: int) -> bool:
        """Whether the glyph count's noise model gives a filling of ``n`` characters more
        than the :data:`FLOOR` every length in range keeps (an exact count, or one off by
        one or scaled by 0.7-1.3, could stand for it).

        >>> h = real_hole(Lacuna(4, 15, "□" * 11, 7, 15, "word", "box"), "the " + "□" * 11)
        >>> h.admits(12), h.admits(8), h.admits(16)
        (True, False, False)
        """
        return self.length_prior(n) > math.log(FLOOR) + 1e-9


def real_hole(lac: Lacuna, text: str, capital: bool = False) -> Hole:
    """The hole of a detected lacuna; ``capital``: a lost word known to be written (no
    empty filling)."""
    lengths, prior = length_model(lac, text)
    if capital and lengths[0] == 0:
        prior = {k: p for k, p in prior.items() if k > 0}
        lengths = (1, lengths[1])
    return Hole(lac.start, lac.end, lengths, prior, lacuna=lac, shown=lac, capital=capital)


def length_model(lac: Lacuna, text: str = "") -> tuple[tuple[int, int], dict[int, float]]:
    """The lengths to search and their log prior, from the lacuna's length model.

    For glyph runs the prior follows the noise model the detector documents: a count of
    ``n`` glyphs is exact (1/3), off by one (1/3), or the true length scaled by 0.7-1.3
    (1/3); two boxes at a word start also often stand for one lost capital, and a run may
    stand for nothing (when the detector allows it) with a chance of 0.3 per glyph. Other
    notations (exact Leiden counts, unknown lengths) get a flat prior over their range.

    >>> (lo, hi), prior = length_model(Lacuna(0, 3, "[.3]", 3, 3, "word", "leiden"))
    >>> (lo, hi), prior
    ((3, 3), {3: 0.0})
    """
    lo = lac.min_chars
    hi = lac.max_chars if lac.max_chars is not None else max(lo + 10, MAX_SPAN)
    hi = min(hi, max(lo, MAX_SPAN))
    lengths = range(lo, hi + 1)
    if lac.convention not in ("box", "replacement-char"):
        return (lo, hi), dict.fromkeys(lengths, 0.0)
    n = len(lac.marker)
    initial = (
        n == 2
        and lac.kind == "in-word"
        and not is_word(text[lac.start - 1 : lac.start])
        and is_word(text[lac.end : lac.end + 1])
    )
    prior = {}
    for k in lengths:
        if k == 0:  # a run of boxes for nothing: plausible for a short artefact only
            prior[k] = math.log(0.3**n)
            continue
        p = (k == n) / 3 + (abs(k - n) == 1) / 6 + _scaled(k, n) / 3 + FLOOR
        if initial and k == 1:
            p += INITIAL
        prior[k] = math.log(p)
    return (lo, hi), prior


def _scaled(length: int, n: int) -> float:
    """P(round(length * u) == n) for u uniform in [0.7, 1.3]."""
    if length == 0:
        return float(n == 0)
    a = max(0.7, (n - 0.5) / length)
    b = min(1.3, (n + 0.5) / length)
    return max(0.0, b - a) / 0.6


def is_word(ch: str) -> bool:
    """Whether ``ch`` is one word character (``False`` for the empty string)."""
    return bool(ch) and bool(WORD_CHAR.match(ch))


@dataclass
class _Field:
    """Where hidden spans may go: the text, its words, and which places are taken."""

    text: str
    words: list[regex.Match[str]]
    by_length: dict[int, list[regex.Match[str]]]
    busy: list[bool]
    damage: Callable[[int, int], float]
    openings: dict[int, list[regex.Match[str]]]  #: capitalised sentence openers, by length


def hidden_spans(
    text: str,
    lacunae: Sequence[Lacuna],
    taken: Sequence[tuple[int, int]],
    n: int,
    rng: random.Random,
    words: Collection[int] = (),
) -> list[Hole]:
    """Hide ``n`` spans of intact text shaped like the real lacunae (or like common damage
    when there are none): same word-edge situation, same marker size, about as much lost
    text around; away from the lacunae and from the ``taken`` spans.

    ``words`` are the indices of lacunae that are lost words opening a paragraph
    (:func:`~collate.restoration.structure.lost_words`): they are imitated by hiding a
    capitalised word that opens a sentence or line before a lower-case word (the same
    task: a first word guessed from what follows it), flagged ``capital``."""
    busy = [False] * (len(text) + 1)
    for s, e in [*((x.start, x.end) for x in lacunae), *taken]:
        for i in range(max(0, s - MARGIN), min(len(text), e + MARGIN)):
            busy[i] = True
    lost = _lost(text, lacunae)
    tokens = list(WORD.finditer(text))
    by_length: dict[int, list[regex.Match[str]]] = {}
    for m in tokens:
        by_length.setdefault(m.end() - m.start(), []).append(m)
    openers = _openers(text, tokens) if words else {}
    where = _Field(text, tokens, by_length, busy, lambda s, e: _damage(lost, s, e), openers)
    shapes = [
        (replace(lac, min_chars=max(1, lac.min_chars)), True) if i in words else (lac, False)
        for i, lac in enumerate(lacunae)
        if i in words or (lac.kind != "line" and lac.min_chars > 0)
    ]
    if not shapes:
        shapes = [(Lacuna(0, 2, "□□", 1, 3, "in-word", "box"), False)]
    holes: list[Hole] = []
    for _ in range(n):
        # each sample imitates one real lacuna, retried until placed: easy shapes must not
        # crowd out hard ones
        shape, opening = rng.choice(shapes)
        for attempt in range(TRIES):
            hole = _place(where, shape, rng, attempt < TRIES // 2, opening)
            if hole is not None:
                for i in range(hole.start - 1, hole.end + 1):
                    busy[i] = True
                holes.append(hole)
                break
    return holes


def _openers(text: str, words: Sequence[regex.Match[str]]) -> dict[int, list[regex.Match[str]]]:
    """Capitalised words that open a line or a sentence and stand before a space and a
    lower-case word, by length: where a lost paragraph-opening word is imitated.

    >>> text = "One day.\\nThe cat sat. He ran. It Was"
    >>> sorted(m.group() for ms in _openers(text, list(WORD.finditer(text))).values()
    ...        for m in ms)
    ['He', 'One', 'The']
    """
    out: dict[int, list[regex.Match[str]]] = {}
    for m in words:
        s, e = m.span()
        j = s
        while j > 0 and text[j - 1] == " ":
            j -= 1
        opens = j == 0 or text[j - 1] in "\n.!?"
        if opens and m.group()[:1].isupper() and regex.match(r" \p{Ll}", text[e : e + 2]):
            out.setdefault(e - s, []).append(m)
    return out


def _lost(text: str, lacunae: Sequence[Lacuna]) -> list[int]:
    """1 for each character of ``text`` inside a lacuna, else 0 (one extra slot at the end)."""
    lost = [0] * (len(text) + 1)
    for x in lacunae:
        lost[x.start : x.end] = [1] * (x.end - x.start)
    return lost


def _damage(lost: list[int], s: int, e: int) -> float:
    """Share of the 10 characters each side of ``[s, e)`` that are lost (other lacunae)."""
    around = lost[max(0, s - 10) : s] + lost[e : e + 10]
    return sum(around) / max(1, len(around))


def damage_weights(text: str, lacunae: Sequence[Lacuna], hidden: Sequence[Hole]) -> list[float]:
    """Calibration weight of each hidden span: how common its local damage density is among
    the real lacunae against among the hidden spans (a histogram density ratio, add-one
    smoothed).

    Why: a span hidden in intact text is easier to restore than a real lacuna in a heavily
    damaged passage (less context is lost around it), and where the text is badly damaged
    few hidden spans fit in such places. Weighting makes the fit stand for the real lacunae;
    the uneven weights also lower the effective sample size, so the map shrinks more.

    >>> text = "□□□□a□□□□ bcdefghijklmnopqrstuvwxyz"
    >>> holes = [Hole(11, 12, (1, 1), {1: 0.0}), Hole(25, 26, (1, 1), {1: 0.0})]
    >>> [round(w, 2) for w in damage_weights(text, detect(text), holes)]
    [1.5, 0.5]
    """
    lost = _lost(text, lacunae)

    def hist(bins: list[int]) -> list[float]:
        counts = [1.0 + bins.count(b) for b in range(DAMAGE_BINS)]
        return [c / sum(counts) for c in counts]

    def binned(s: int, e: int) -> int:
        return min(DAMAGE_BINS - 1, int(_damage(lost, s, e) * DAMAGE_BINS))

    real = hist([binned(x.start, x.end) for x in lacunae if x.kind != "line"])
    fakes = [binned(h.start, h.end) for h in hidden]
    fake = hist(fakes)
    return [real[b] / fake[b] for b in fakes]


def _start(
    where: _Field, edges: tuple[bool, bool, bool], length: int, rng: random.Random, opening: bool
):
    """Where a span of ``length`` with these word edges may start (``None``: no try)."""
    before, after, spans_words = edges
    if opening:  # a capitalised word opening a sentence or line
        found = where.openings.get(length)
        return rng.choice(found).start() if found else None
    if not spans_words and not before and not after:  # a whole word of that length
        if not where.by_length.get(length):
            return None
        return rng.choice(where.by_length[length]).start()
    if not spans_words:  # inside a word: choose the word first (damage strikes words)
        ws, we = rng.choice(where.words).span()
        if we - ws < length + before + after:
            return None
        return (
            ws if not before else we - length if not after else rng.randrange(ws + 1, we - length)
        )
    # across words: from a word too (at its start, or inside it where a letter before is
    # kept), as damage strikes words, so that a span starts in a short word as often as a
    # real one does, not in proportion to the word's length
    ws, we = rng.choice(where.words).span()
    if not before:
        return ws
    return rng.randrange(ws + 1, we) if we - ws > 1 else None


def _room(where: _Field, edges: tuple[bool, bool, bool], length: int, opening: bool) -> int:
    """How many places of the text a span of ``length`` with these word ``edges`` fits:
    words of that length for a whole word (sentence openers for a paragraph's lost first
    word), words long enough to keep letters on the kept sides for a part of a word, one
    for a span across words (any place)."""
    before, after, spans_words = edges
    if opening:
        return len(where.openings.get(length, ()))
    if spans_words:
        return 1
    if not before and not after:
        return len(where.by_length.get(length, ()))
    need = length + before + after
    return sum(len(ms) for n, ms in where.by_length.items() if n >= need)


def _place(
    where: _Field, shape: Lacuna, rng: random.Random, strict: bool, opening: bool = False
) -> Hole | None:
    """One try at hiding a span like ``shape`` (a paragraph-opening lost word where
    ``opening``); ``None`` when this try does not fit."""
    text = where.text
    edges = seen_edges(text, shape)
    (lo, hi), prior = length_model(shape, text)
    # the lost length given the marker: the marker's noise model times how many places of
    # the text a span of that length with these word edges fits (Bayes); by the noise model
    # alone, rare long words would be hidden as often as common short ones
    weights = [math.exp(prior[k]) * _room(where, edges, k, opening) for k in range(lo, hi + 1)]
    if not any(weights):
        return None
    length = rng.choices(range(lo, hi + 1), weights)[0]
    if length == 0 or not where.words:
        return None
    p = _start(where, edges, length, rng, opening)
    if p is None:
        return None
    span = text[p : p + length]
    if p < 1 or p + length >= len(text) or any(where.busy[p - 1 : p + length + 1]):
        return None
    if "\n" in span or BREAK in span:
        return None
    if (is_word(text[p - 1]), is_word(text[p + length : p + length + 1])) != edges[:2]:
        return None
    if (edges[2] and " " not in span and length < 10) or (not edges[2] and " " in span):
        return None
    if not any(is_word(c) for c in span):
        return None
    # as damaged around as the lacuna it imitates (on the first tries), else any context
    if strict and abs(where.damage(p, p + length) - where.damage(shape.start, shape.end)) > 0.25:
        return None
    marker = shape.marker
    left, right = text[max(0, p - 30) : p], text[p + length : p + length + 30]
    local = [x for x in detect(left + marker + right) if x.start == len(left)]
    if not local:
        return None
    (lo, hi), prior = length_model(local[0], left + marker + right)
    shown = Lacuna(p, p + len(marker), marker, *_fields(local[0]))
    if opening:
        prior = {k: v for k, v in prior.items() if k > 0}
        lo = max(1, lo)
    hole = Hole(p, p + length, (lo, hi), prior, truth=span, marker=marker, shown=shown)
    hole.capital = opening
    return hole


def _fields(lac: Lacuna) -> tuple:
    return lac.min_chars, lac.max_chars, lac.kind, lac.convention


def seen_edges(text: str, lac: Lacuna) -> tuple[bool, bool, bool]:
    """(word character before, word character after, lost text spans words?) of a lacuna."""
    before = lac.start > 0 and is_word(text[lac.start - 1])
    after = is_word(text[lac.end : lac.end + 1])
    return before, after, len(lac.marker) >= 8 or lac.kind == "unknown"
