"""The restoration pipeline: candidates from witnesses, lexicon-guided LM search and
structure, scored together, turned into probabilities and calibrated on the document itself."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import regex

from collate.errors import InputError
from collate.lacunae import detect
from collate.model import (
    Candidate,
    Lacuna,
    Restoration,
    RestoredLacuna,
    Witness,
    WitnessLike,
    witnesses_from,
)
from collate.restoration.calibrate import Calibrator
from collate.restoration.lexicon import WORD, WORD_CHAR, Lexicon, detect_language, word_edges
from collate.restoration.lm import BREAK, CharNGram, LanguageModel
from collate.restoration.search import Weights, search
from collate.restoration.structure import structural
from collate.restoration.witnesses import WitnessMap
from collate.restoration.words import WordBigrams, general_bigrams
from collate.tokens import tokenize

CONTEXT = 64  #: characters of context on each side given to the model
REALIGN_MAX = 80_000  #: longest text whose calibration copy is aligned afresh
MAX_ROUNDS = 6  #: most calibration rounds for a short document
SPARSE = 1000  #: characters per hidden span above which real lacunae share their model
MARGIN = 2  #: characters kept intact between a hidden span and a real lacuna
SPACING = 300  #: characters of text per hidden span in one calibration round, at least
MAX_SPAN = 40  #: longest filling searched when a lacuna's length is unknown
OTHER_GAP = 2.5  #: log-score gap of the implicit rival "something not enumerated"
WORD_WEIGHT = 1.6  #: weight of the word bigram score against the character model
TRAIN_WITNESS = 400_000  #: characters of document + witnesses the model trains on, at most
TRAIN_CORPUS = 3_000_000  #: characters of corpus the model trains on, at most
#: factor on model-only shares when a text is too short to calibrate (no hidden span fits):
#: with no evidence of its own the share must stay modest; short damaged texts (inscriptions)
#: are right far less often than their shares say
UNCALIBRATED = 0.25
TRIES = 60  #: placements tried for one hidden span
DAMAGE_BINS = 4  #: bins of local damage density used to weigh hidden spans
BONUSES = (0.0, 2.0, 4.0, 7.0, 12.0)  #: witness bonuses tried when fitting on the document
INITIAL = 8.0  #: extra prior weight that two glyphs at a word start stand for one letter
SHORT_BEAM = 12  #: beam of the search where whole words are enumerated anyway
MAX_WORD = 20  #: longest lacuna for which whole-word fillings are enumerated
MATCHES = 60  #: most probable completions of a partly kept word that are scored
SPLIT = -6.0  #: cost of a filling that cuts a partly kept word in two (rare in damage)
POOL_KEEP = 80  #: lost-word candidates kept after the word-context preselection
LEADERS = 30  #: words seen before the right-hand neighbour also kept as lost-word candidates
PER_LENGTH = 200  #: most probable words of each admitted length put to that preselection


@dataclass
class _Hole:
    """One lost span to fill: a real lacuna, or a hidden span used for calibration."""

    start: int
    end: int
    lengths: tuple[int, int]
    prior: dict[int, float]  # log prior of each admitted filling length
    truth: str | None = None  # known only for hidden spans
    lacuna: Lacuna | None = None
    marker: str = ""  # the marker a hidden span is shown with
    # filled in by _Restorer.candidates: filling -> [score, sources]
    cands: dict[str, list] = field(default_factory=dict)


def _corpus_texts(corpus: str | Path | Iterable[str] | None) -> list[str]:
    if corpus is None:
        return []
    if isinstance(corpus, str | Path):
        path = Path(corpus)
        if path.is_dir():
            files = sorted(path.rglob("*.txt"))
        elif path.is_file():
            files = [path]
        else:
            raise InputError(str(corpus), "no such file or folder")
        try:
            return [f.read_text(encoding="utf-8") for f in files]
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(str(corpus), f"cannot read corpus: {err}") from err
    return [str(t) for t in corpus]


def _masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = BREAK * (e - s)
    return "".join(chars)


def _length_model(lac: Lacuna, text: str = "") -> tuple[tuple[int, int], dict[int, float]]:
    """The lengths to search and their log prior, from the lacuna's length model.

    For glyph runs the prior follows the noise model the detector documents: a count of
    ``n`` glyphs is exact (1/3), off by one (1/3), or the true length scaled by 0.7-1.3
    (1/3); two boxes at a word start also often stand for one lost capital, and a run may
    stand for nothing (when the detector allows it) with a chance of 0.3 per glyph. Other notations
    (exact Leiden counts, unknown lengths) get a flat prior over their range.
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
        and not _is_word(text[lac.start - 1 : lac.start])
        and _is_word(text[lac.end : lac.end + 1])
    )
    prior = {}
    for k in lengths:
        if k == 0:  # a run of boxes for nothing: plausible for a short artefact only
            prior[k] = math.log(0.3**n)
            continue
        p = (k == n) / 3 + (abs(k - n) == 1) / 6 + _scaled(k, n) / 3 + 0.01
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


def _is_word(ch: str) -> bool:
    return bool(ch) and bool(WORD_CHAR.match(ch))


def _hidden_spans(
    text: str,
    lacunae: Sequence[Lacuna],
    taken: Sequence[tuple[int, int]],
    n: int,
    rng: random.Random,
) -> list[_Hole]:
    """Hide ``n`` spans of intact text shaped like the real lacunae (or like common damage
    when there are none): same word-edge situation, same marker size, about as much lost
    text around; away from the lacunae and from the ``taken`` spans."""
    busy = [False] * (len(text) + 1)
    margin = MARGIN
    for s, e in [*((x.start, x.end) for x in lacunae), *taken]:
        for i in range(max(0, s - margin), min(len(text), e + margin)):
            busy[i] = True
    lost = _lost(text, lacunae)

    def damage(s: int, e: int) -> float:
        return _damage(lost, s, e)

    shapes = [lac for lac in lacunae if lac.kind != "line" and lac.min_chars > 0]
    if not shapes:
        shapes = [Lacuna(0, 2, "□□", 1, 3, "in-word", "box")]
    words = list(WORD.finditer(text))
    by_length: dict[int, list[regex.Match[str]]] = {}
    for m in words:
        by_length.setdefault(m.end() - m.start(), []).append(m)
    holes: list[_Hole] = []
    for _ in range(n):
        # each sample imitates one real lacuna, retried until placed: easy shapes must not
        # crowd out hard ones
        shape = rng.choice(shapes)
        for attempt in range(TRIES):
            hole = _place(text, shape, words, by_length, busy, damage, rng, attempt < TRIES // 2)
            if hole is not None:
                for i in range(hole.start - 1, hole.end + 1):
                    busy[i] = True
                holes.append(hole)
                break
    return holes


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


def _damage_weights(text: str, lacunae: Sequence[Lacuna], hidden: Sequence[_Hole]) -> list[float]:
    """Calibration weight of each hidden span: how common its local damage density is among
    the real lacunae against among the hidden spans (a histogram density ratio, add-one
    smoothed).

    Why: a span hidden in intact text is easier to restore than a real lacuna in a heavily
    damaged passage (less context is lost around it), and where the text is badly damaged
    few hidden spans fit in such places. Weighting makes the fit stand for the real lacunae;
    the uneven weights also lower the effective sample size, so the map shrinks more.

    >>> text = "□□□□a□□□□ bcdefghijklmnopqrstuvwxyz"
    >>> holes = [_Hole(11, 12, (1, 1), {1: 0.0}), _Hole(25, 26, (1, 1), {1: 0.0})]
    >>> [round(w, 2) for w in _damage_weights(text, detect(text), holes)]
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


def _place(
    text: str,
    shape: Lacuna,
    words: list[regex.Match[str]],
    by_length: dict[int, list[regex.Match[str]]],
    busy: list[bool],
    damage: Callable[[int, int], float],
    rng: random.Random,
    strict: bool,
) -> _Hole | None:
    """One try at hiding a span like ``shape``; ``None`` when this try does not fit."""
    lt = _seen_edges(text, shape)
    (lo, hi), prior = _length_model(shape, text)
    weights = [math.exp(prior[k]) for k in range(lo, hi + 1)]
    length = rng.choices(range(lo, hi + 1), weights)[0]
    if length == 0 or not words:
        return None
    if not lt[2] and not lt[0] and not lt[1]:  # a whole word: one of that length
        if not by_length.get(length):
            return None
        p = rng.choice(by_length[length]).start()
    elif not lt[2]:  # inside a word: choose the word first (damage strikes words)
        ws, we = rng.choice(words).span()
        if we - ws < length + lt[0] + lt[1]:
            return None
        p = ws if not lt[0] else we - length if not lt[1] else rng.randrange(ws + 1, we - length)
    else:
        p = rng.randrange(1, max(2, len(text) - length - 1))
    span = text[p : p + length]
    if p < 1 or any(busy[p - 1 : p + length + 1]) or "\n" in span or BREAK in span:
        return None
    if (_is_word(text[p - 1]), _is_word(text[p + length : p + length + 1])) != lt[:2]:
        return None
    if (lt[2] and " " not in span and length < 10) or (not lt[2] and " " in span):
        return None
    if not any(_is_word(c) for c in span):
        return None
    # as damaged around as the lacuna it imitates (on the first tries), else any context
    if strict and abs(damage(p, p + length) - damage(shape.start, shape.end)) > 0.25:
        return None
    marker = shape.marker
    left, right = text[max(0, p - 30) : p], text[p + length : p + length + 30]
    local = [x for x in detect(left + marker + right) if x.start == len(left)]
    if not local:
        return None
    (lo, hi), prior = _length_model(local[0], left + marker + right)
    return _Hole(p, p + length, (lo, hi), prior, truth=span, marker=marker)


def _seen_edges(text: str, lac: Lacuna) -> tuple[bool, bool, bool]:
    """(word character before, word character after, lost text spans words?) of a lacuna."""
    before = lac.start > 0 and _is_word(text[lac.start - 1])
    after = _is_word(text[lac.end : lac.end + 1])
    return before, after, len(lac.marker) >= 8 or lac.kind == "unknown"


class _Restorer:
    def __init__(
        self,
        text: str,
        holes: list[_Hole],
        real: list[_Hole],
        witnesses: list[Witness],
        corpus: list[str],
        lang: str | None,
        model: LanguageModel | None,
        maps: list[WitnessMap] | None = None,
    ) -> None:
        self.text = text
        holes = sorted({id(h): h for h in [*real, *holes]}.values(), key=lambda h: h.start)
        self.spans = [(h.start, h.end) for h in holes]
        self.masked = _masked(text, self.spans)
        # Witnesses and corpus train the model within a budget of characters (speed).
        budget = max(TRAIN_WITNESS - len(text), 0)
        train = [self.masked]
        for w in witnesses:
            spans = [(x.start, x.end) for x in detect(w.text)]
            train.append(_masked(w.text, spans)[: budget // max(1, len(witnesses))])
        budget = TRAIN_CORPUS
        for t in corpus:
            train.append(t[:budget])
            budget -= len(train[-1])
        self.lm = CharNGram(train)
        self.lexicon = Lexicon(train, lang=lang)
        self.bigrams = WordBigrams(train, self.lexicon, general=general_bigrams(lang))
        self.model = model
        # Without a wordfreq list the lexicon holds only the document's words: leaving it
        # is common (names, inflections), so it costs less.
        self.weights = Weights(oov=-10.0 if self.lexicon.freq else -5.0)
        if maps is None:
            lacunae = [h.lacuna for h in real if h.lacuna is not None]
            tokens = tokenize(text, lacunae=lacunae) if witnesses else []
            maps = [WitnessMap(text, lacunae, w, tokens) for w in witnesses]
        self.maps = maps
        # Hidden spans are read from a copy of the text that shows them as lacunae, aligned
        # afresh, so their witness evidence is as hard to get as that of real lacunae
        # (long texts reuse the alignment of the intact text: cheaper, a little optimistic).
        hidden = [h for h in holes if h.truth is not None]
        self.copy: tuple[str, list[tuple[int, int]], dict[int, tuple[int, int]]] | None = None
        self.copy_maps: list[WitnessMap] = []
        if hidden and witnesses and len(text) <= REALIGN_MAX:
            pieces, spans, where, pos, shift = [], [], {}, 0, 0
            for h in holes:
                marker = h.marker if h.truth is not None else text[h.start : h.end]
                pieces += [text[pos : h.start], marker]
                span = (h.start + shift, h.start + shift + len(marker))
                spans.append(span)
                where[id(h)] = span
                shift += len(marker) - (h.end - h.start)
                pos = h.end
            copy = "".join([*pieces, text[pos:]])
            self.copy = (copy, spans, where)
            lacunae = detect(copy)
            tokens = tokenize(copy, lacunae=lacunae)
            self.copy_maps = [WitnessMap(copy, lacunae, w, tokens) for w in witnesses]

    def candidates(self, hole: _Hole) -> None:
        left = self.masked[max(0, hole.start - CONTEXT) : hole.start]
        right = self.masked[hole.end : hole.end + CONTEXT]
        prior = hole.prior

        def length_prior(n: int) -> float:
            return prior.get(n, -5.0)

        lo, hi = hole.lengths
        readings: dict[str, list[str]] = {}
        if hole.truth is not None and self.copy is not None:
            copy, spans, where = self.copy
            pairs = [(m, (copy, spans, where[id(hole)])) for m in self.copy_maps]
        else:
            pairs = [(m, (self.text, self.spans, (hole.start, hole.end))) for m in self.maps]
        for wmap, args in pairs:
            got = wmap.read(*args)
            if got is not None and BREAK not in got and lo <= len(got) <= hi:
                readings.setdefault(got, []).append(f"witness:{wmap.witness.id}")
        agree = len(readings) == 1 and len(next(iter(readings.values()))) >= 2
        if agree or (readings and hole.lengths[1] > 8):
            found = []  # witnesses agree, or a long span: the model is not asked (speed)
        else:
            weights = self.weights
            if readings:
                weights = replace(weights, beam=8, free=3)
            elif hole.lengths[1] > 12:
                weights = replace(weights, beam=16)
            elif hole.lengths[1] <= MAX_WORD:  # the lexicon enumerates the whole words
                weights = replace(weights, beam=SHORT_BEAM, free=3)
            found = search(
                self.lm,
                self.lexicon,
                left,
                right,
                hole.lengths,
                weights=weights,
                length_prior=length_prior,
                keep=24 if not readings else 6,
            )
        cands: dict[str, list] = {f: [0.0, ["lm"]] for f, _ in found if _balanced(left, f, right)}
        if not readings and hi <= MAX_WORD:
            for f in self._words(left, right, hole):
                cands.setdefault(f, [0.0, ["lexicon"]])
        for reading, sources in readings.items():
            if reading in cands:
                cands[reading][1] = [*sources, "lm"]
            else:
                cands[reading] = [0.0, sources]
        for f, entry in cands.items():
            if self.model is not None:
                entry[0] = self.model.score(left, f, right) + length_prior(len(f))
            else:
                entry[0] = self._score(left, f, right) + length_prior(len(f))
        hole.cands = cands

    def _words(self, left: str, right: str, hole: _Hole) -> list[str]:
        """Fillings that make whole known words: completions of the partly kept word around
        the hole, or, for a lost whole word, the words the context and the lexicon favour."""
        prefix, suffix = word_edges(left, right)
        lo, hi = hole.lengths
        sizes = range(max(lo, 1), hi + 1)
        lex = self.lexicon
        if prefix or suffix:
            out = []
            upper = (len(prefix) > 1 and prefix.isupper()) or (len(suffix) > 1 and suffix.isupper())
            for word in lex.matching(prefix, suffix, sizes)[:MATCHES]:
                fill = word[len(prefix) : len(word) - len(suffix)]
                if upper:
                    out.append(fill.upper())
                elif prefix:
                    out.append(fill)
                else:
                    out += [fill, fill[:1].upper() + fill[1:]]
            return out
        prev, nxt = _neighbours(left, right)
        bi = self.bigrams
        pool = [*lex.pool(sizes, PER_LENGTH), *bi.neighbours(prev, None)]
        leaders = bi.neighbours(None, nxt)

        def fit(w: str) -> float:  # the left pair; words seen before the right one join
            return bi.logprob(prev, w) if prev else lex.prior(w)

        def ranked(words: list[str]) -> list[str]:
            return sorted({w for w in words if len(w) in sizes}, key=lambda w: (-fit(w), w))

        best = ranked(pool)[:POOL_KEEP]
        best += [w for w in ranked(leaders)[:LEADERS] if w not in best]
        out = []
        caps = prev is not None and len(prev) > 1 and prev.isupper()
        for w in best:
            form = lex.form(w)
            out.append(form)
            if caps:
                out.append(form.upper())
            elif form.islower():
                out.append(form[:1].upper() + form[1:])
        return out

    def _score(self, left: str, filling: str, right: str) -> float:
        """The score of a filling: character model, plus word bigrams (with the lexicon's
        word prior below them) of the words it touches, less the cost of writing in lower
        case a word the document capitalises (and with no charge for its capital)."""
        score = self.lm.score(left, filling, right)
        prefix, suffix = word_edges(left, right)
        if prefix and filling and not _is_word(filling[0]):
            score += SPLIT
        if suffix and filling and not _is_word(filling[-1]):
            score += SPLIT
        for m in WORD.finditer(prefix + filling + suffix):
            word, first = m.group(), m.start() - len(prefix)
            score += self.lexicon.lower_cost(word)
            if 0 <= first < len(filling) and word[0].isupper() and self.lexicon.capitalised(word):
                # the word, not its place, decides this capital: undo the case model's charge
                score -= math.log(self.lm.p_upper((left + filling[:first])[-3:]))
        return score + WORD_WEIGHT * self.bigrams.score(left, filling, right)


_OPEN, _CLOSE = "([{“‘", ")]}”’"


def _balanced(left: str, filling: str, right: str) -> bool:
    """Whether brackets and quotes in ``filling`` pair with each other or with unpaired
    ones in the context (a filling must not open or close what nothing else does)."""
    for o, c in zip(_OPEN, _CLOSE, strict=True):
        if o not in filling and c not in filling:
            continue
        depth = 0
        for ch in filling:
            depth += (ch == o) - (ch == c)
            if depth < 0 and left.count(o) <= left.count(c) and o != "‘":
                return False
        if depth > 0 and right.count(c) <= right.count(o):
            return False
    return filling.count('"') % 2 == 0 or '"' in left or '"' in right


def _neighbours(left: str, right: str) -> tuple[str | None, str | None]:
    """The whole words just before and just after a hole (``None`` where lost or absent)."""
    before = list(WORD.finditer(left[-40:]))
    prev = before[-1] if before else None
    after = WORD.search(right[:40])
    a = prev.group() if prev and BREAK not in left[-40:][prev.start() - 1 :] else None
    b = after.group() if after and BREAK not in right[: after.end() + 1] else None
    return a, b


def _ranked(cands: dict[str, list], bonus: float) -> list[tuple[str, float, list[str]]]:
    """Candidates with softmax shares, best first (a lone candidate is not a sure one)."""
    scored = [
        (f, s + bonus * sum(x.startswith("witness:") for x in src), src)
        for f, (s, src) in cands.items()
    ]
    if not scored:
        return []
    top = max(s for _, s, _ in scored)
    # plus the fillings never enumerated, as one rival OTHER_GAP below the best
    z = sum(math.exp(s - top) for _, s, _ in scored) + math.exp(-OTHER_GAP)
    out = [(f, math.exp(s - top) / z, src) for f, s, src in scored]
    out.sort(key=lambda c: -c[1])
    return out


def _floor(p: float) -> float:
    """Round down to 4 decimals, so rounded confidences still sum to at most 1."""
    return math.floor(p * 10_000) / 10_000


def _group(src: list[str], hole: _Hole, text: str) -> str:
    """Calibration group: evidence kind, then the hole's shape (a letter lost at a word
    start, letters inside a word, a whole word, a long span)."""
    n = sum(x.startswith("witness:") for x in src)
    kind = "agree" if n >= 2 else "witness" if n else "lm"
    before = hole.start > 0 and _is_word(text[hole.start - 1])
    after = _is_word(text[hole.end : hole.end + 1])
    glyphs = len(hole.marker or text[hole.start : hole.end])
    if hole.lengths[1] > 8:
        shape = "long"
    elif after and not before and glyphs == 2:
        shape = "initial"
    elif before or after:
        shape = "inword"
    else:
        shape = "word"
    return f"{kind}/{shape}"


def restore(
    text: str,
    *,
    witnesses: Iterable[WitnessLike] = (),
    corpus: str | Path | Iterable[str] | None = None,
    top: int = 5,
    lang: str | None = None,
    model: LanguageModel | None = None,
    calibration: int = 320,
    seed: int = 0,
) -> Restoration:
    """Propose what every lacuna of ``text`` lost, ranked, with calibrated confidences.

    Parameters
    ----------
    text
        The damaged witness, verbatim.
    witnesses
        Other witnesses of the same text: strings, ``(id, text)`` pairs or ``Witness``.
    corpus
        Extra training text for the language model: a ``.txt`` file, a folder of them, or
        an iterable of strings.
    top
        Candidates kept per lacuna.
    lang
        wordfreq language code for the word prior; detected from the text when ``None``.
    model
        A :class:`~collate.restoration.lm.LanguageModel` that rescores the candidates in
        place of the built-in character model (which still proposes them).
    calibration
        How many spans of intact text to hide to fit the confidence map (0: no fit).
    seed
        Seed for choosing those spans (the result is deterministic).

    Returns
    -------
    Restoration
        One :class:`~collate.model.RestoredLacuna` per detected lacuna; characters outside
        lacunae are never changed.

    Notes
    -----
    Candidates come from the witnesses (read opposite the lacuna after a lacuna-aware
    token alignment), from a beam search of the character model constrained by the
    lexicon, from every word of wordfreq's full list and of the document that completes a
    partly kept word, from the words that best fit the neighbouring words for a lost whole
    word, and, for list-item places and box-only lines, from
    :mod:`~collate.restoration.structure`. Scores add the character model, word bigrams of
    the document backed off to general bigrams of the language (English: the list symspellpy
    ships) and a word prior (document counts smoothed toward wordfreq), a cost for cutting a
    kept word in two, a cost for writing in lower case a word the document capitalises, the
    length prior of the lacuna's length model and a bonus per supporting witness (its size
    fitted on the document). Fillings never hold a bracket or quote that nothing around
    them pairs with. Softmax shares are mapped to probabilities by isotonic regression on
    spans of the document's own intact text, hidden in the shape of its real lacunae and
    restored the same way (one map per evidence kind and lacuna shape; hidden spans
    weighted to match how damaged the real lacunae's surroundings are); the real lacunae
    are then restored by a model that lost only them.

    Examples
    --------
    >>> r = restore("the cat sat on the mat. the cat sat on the mat. the c□t sat.",
    ...             witnesses=["the cat sat on the mat. the cat sat on the mat. the cat sat."])
    >>> r.lacunae[0].best.text, r.restored[-12:]
    ('a', 'the cat sat.')
    """
    lacunae = detect(text)
    wits = witnesses_from(list(witnesses))
    extra = _corpus_texts(corpus)
    if lang is None:
        lang = detect_language(_masked(text, [(x.start, x.end) for x in lacunae]))
    struct = structural(text, lacunae)
    holes: list[_Hole] = []
    for lac in lacunae:
        lengths, prior = _length_model(lac, text)
        holes.append(_Hole(lac.start, lac.end, lengths, prior, lacuna=lac))
    rng = random.Random(seed)
    # Hide one span per SPACING characters at most per round, so the model keeps what it
    # learns from and hidden spans have as much intact context as real lacunae; short
    # documents get several rounds (each with its own model, trained without that round's
    # spans) to reach enough samples.
    per_round = min(
        calibration, len(text) // 80, max(len(text) // SPACING, -(-calibration // MAX_ROUNDS))
    )
    rounds = min(MAX_ROUNDS, -(-calibration // per_round)) if per_round else 0
    hidden: list[_Hole] = []
    maps = None
    for _ in range(rounds):
        taken = [(h.start, h.end) for h in hidden]
        batch = _hidden_spans(text, lacunae, taken, per_round, rng)
        trial = _Restorer(text, batch, holes, wits, extra, lang, model, maps=maps)
        maps = trial.maps
        for hole in batch:
            trial.candidates(hole)
        hidden += batch
    # the real lacunae: a model that lost only them, and context free of hidden spans
    # (where hidden spans are sparse, the last round's model serves: speed)
    if rounds == 1 and len(text) >= SPARSE * per_round:
        restorer = trial
    else:
        restorer = _Restorer(text, [], holes, wits, extra, lang, model, maps=maps)
    for i, hole in enumerate(holes):
        if i not in struct:
            restorer.candidates(hole)

    bonus = BONUSES[-1]
    if wits and hidden:

        def right_at(b: float) -> int:
            tops = (_ranked(h.cands, b) for h in hidden)
            return sum(bool(r) and r[0][0] == h.truth for r, h in zip(tops, hidden, strict=True))

        bonus = max(reversed(BONUSES), key=right_at)
    cal = Calibrator()
    if hidden:
        tops = [_ranked(h.cands, bonus) for h in hidden]
        cal.fit(
            [r[0][1] if r else 0.0 for r in tops],
            [bool(r) and r[0][0] == h.truth for r, h in zip(tops, hidden, strict=True)],
            [_group(r[0][2], h, text) if r else "lm" for r, h in zip(tops, hidden, strict=True)],
            _damage_weights(text, lacunae, hidden),
        )

    restored: list[RestoredLacuna] = []
    for i, (lac, hole) in enumerate(zip(lacunae, holes, strict=True)):
        if i in struct:
            cands = tuple(Candidate(f, p, ("structure",)) for f, p in struct[i][:top])
            restored.append(RestoredLacuna(lac, cands))
            continue
        ranked = _ranked(hole.cands, bonus)[:top]
        if not ranked:
            restored.append(RestoredLacuna(lac, ()))
            continue
        p1 = ranked[0][1]
        group = _group(ranked[0][2], hole, text)
        # a text too short to calibrate trusts the model alone less
        trust = UNCALIBRATED if group.startswith("lm") else 1.0
        c1 = cal(p1, group) if cal.maps else p1 * trust
        # the others keep their order: scaled like the best when it lost confidence, else
        # sharing what is left
        rest = c1 / p1 if c1 <= p1 else (1.0 - c1) / (1.0 - p1) if p1 < 1.0 else 0.0
        out = [Candidate(ranked[0][0], _floor(c1), tuple(ranked[0][2]))]
        for f, p, src in ranked[1:]:
            out.append(Candidate(f, _floor(p * rest), tuple(src)))
        restored.append(RestoredLacuna(lac, tuple(out)))
    return Restoration("text", text, tuple(restored))
