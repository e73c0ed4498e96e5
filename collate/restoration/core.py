"""The restoration pipeline: candidates from witnesses, lexicon-guided LM search and
structure, scored together, turned into probabilities and calibrated on the document itself.

Data flows one way: the document is read once (line breaks unified, lacunae detected,
tokens made), each witness is carried into the document's orthography and prepared once,
then hidden spans and real lacunae are filled, the confidence map is fitted, and the
result is mapped back to offsets of the text as given.

Each witness is first carried into the document's orthography (:mod:`.orthography`).
Candidates come from the witnesses (read opposite the lacuna after a lacuna-aware token
alignment, the reading's boundaries found from both sides), from a beam search of the
character model constrained by the lexicon, from every word of wordfreq's full list and of
the document that completes a partly kept word, from the words that best fit the
neighbouring words for a lost whole word, and, for list-item places and box-only lines, from
:mod:`~collate.restoration.structure` (a run of boxes opening a paragraph before a
lower-case word is a lost capitalised word). Scores add the character model, word bigrams of
the document backed off to general bigrams of the language and a word prior, a cost for
cutting a kept word in two, a cost for writing in lower case a word the document
capitalises, the length prior of the lacuna's length model and a bonus per supporting
witness (its size fitted on the document, apart for readings found only approximately, where
the witness differs nearby, and for readings whose length the glyph count rules out, or that
read nothing where the line shows lost text: there the witness reads other text, its
reading is not learned in place, and its one-word changes that the count admits compete
with it). Fillings never hold a bracket or quote that nothing
around them pairs with, nor double a space. Softmax shares are mapped to probabilities by
isotonic regression on spans of the document's own intact text, hidden in the shape of its
real lacunae and restored the same way (one map per evidence kind and lacuna shape; hidden
spans weighted to match how damaged the real lacunae's surroundings are); the real lacunae
are then restored by a model that lost only them.
"""

from __future__ import annotations

import gc
import math
import random
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import regex

from collate.errors import InputError
from collate.lacunae import detect
from collate.model import (
    MIN_CONFIDENCE,
    Candidate,
    Lacuna,
    Restoration,
    RestoredLacuna,
    Witness,
    WitnessLike,
    witnesses_from,
)
from collate.progress import progress_bar
from collate.reliability import Reliability, estimate
from collate.restoration.calibrate import Calibrator
from collate.restoration.charlm import LanguageModel
from collate.restoration.corpusmodel import Model, build_model, resolve, shipped_model
from collate.restoration.holes import (
    Hole,
    Scored,
    damage_weights,
    hidden_spans,
    is_word,
    real_hole,
    witness_count,
)
from collate.restoration.lexicon import detect_language
from collate.restoration.orthography import Profile
from collate.restoration.reasons import explain
from collate.restoration.restorer import Inputs, Restorer
from collate.restoration.structure import lost_words, structural
from collate.restoration.witnesses import Side, Source
from collate.restoration.workers import fill, fill_rounds

#: most calibration rounds for a short document: a round's model learns without its hidden
#: spans, so the fewer a round hides the closer its text is to the damaged one (with 6
#: rounds a Greek chapter with a lacuna per 75 characters hid one more per 80 in each round,
#: and its hidden spans came out harder than its lacunae: text alone, ECE 0.033 held out;
#: with 12, and hidden lengths drawn as the text makes them likely, 0.021)
MAX_ROUNDS = 12
#: most calibration rounds of a document restored text alone with a model whose file holds a
#: prior map (fitted when the model was built): the document's own spans only update it
PRIOR_ROUNDS = 1
SPARSE = 600  #: characters per hidden span above which real lacunae share their model
SPACING = 300  #: characters of text per hidden span in one calibration round, at least
HIDDEN_CHARS = 64  #: characters of text per hidden span over all rounds, at least
#: hidden spans a document gets whatever its size (where they fit): each evidence kind and
#: lacuna shape needs its own samples; with 60 the held-out Bible chapters (5,000
#: characters, another translation as witness) had ECE 0.098, with 320 0.054
MIN_HIDDEN = 320
OTHER_GAP = 2.5  #: log-score gap of the implicit rival "something not enumerated"
#: factor on model-only shares when a text is too short to calibrate (no hidden span fits):
#: with no evidence of its own the share must stay modest; short damaged texts (inscriptions)
#: are right far less often than their shares say
UNCALIBRATED = 0.25
#: witness bonuses tried when fitting on the document (for exact readings, loose ones and
#: those found on one side only, never more for the weaker kind; and for readings the
#: glyph count rules out, never more than for exact ones)
BONUSES = (0.0, 2.0, 4.0, 7.0, 12.0)
#: confidences below this are not listed: they round to 0 at the three decimals any reader
#: sees, and a "0.0 %" guess tells nothing (a witness's reading is listed all the same: that
#: the witness reads it is evidence an editor weighs, however little the model thinks of it)
SHOWN = 0.0005


class Ranked(NamedTuple):
    """A candidate with its softmax share among the candidates of its hole, its sources,
    how many of its witnesses read it only approximately, how many of those on one side
    of the place only, and whether the glyph count rules it out as a witness's reading."""

    text: str
    share: float
    sources: list[str]
    loose: int = 0
    partial: int = 0
    misfit: bool = False


#: log-score bonus per witness read exactly, per one read loosely, per one read on one side,
#: and per one whose reading the glyph count rules out (whatever else it is)
Bonus = tuple[float, float, float, float]


@dataclass(frozen=True)
class Unified:
    """A text with its line breaks unified to ``\\n`` (and a leading byte-order mark
    dropped), and where characters were dropped, to map offsets back to the text as given.

    >>> u = Unified.of("\\ufeffa\\r\\nb")
    >>> u.text, [u.back(i) for i in range(4)], u.back_end(2)
    ('a\\nb', [1, 3, 4, 5], 4)
    """

    text: str
    dropped: tuple[int, ...] = ()  # offsets of :attr:`text` before which a character was dropped

    @classmethod
    def of(cls, text: str) -> Unified:
        bom = text.startswith("\ufeff")
        if "\r" not in text and not bom:
            return cls(text)
        body = text[1:] if bom else text
        dropped = [0] if bom else []
        for k, m in enumerate(regex.finditer("\r\n", body)):
            dropped.append(m.start() - k)  # the "\n" left stands where the "\r" stood
        return cls(body.replace("\r\n", "\n").replace("\r", "\n"), tuple(dropped))

    def back(self, i: int) -> int:
        """The offset in the text as given of the character at ``i`` (or of the end)."""
        return i + bisect_right(self.dropped, i)

    def back_end(self, i: int) -> int:
        """The offset in the text as given where a span ending at ``i`` ends."""
        return self.back(i - 1) + 1 if i > 0 else self.back(0)

    def lacuna(self, lac: Lacuna, original: str) -> Lacuna:
        """``lac`` (offsets into :attr:`text`) with offsets into ``original``."""
        start, end = self.back(lac.start), self.back_end(lac.end)
        return replace(lac, start=start, end=end, marker=original[start:end])


def _corpus_texts(corpus: str | Path | Iterable[str] | None) -> list[str]:
    if corpus is None:
        return []
    if isinstance(corpus, str | Path):
        files = _corpus_files(Path(corpus))
        try:
            return [f.read_text(encoding="utf-8") for f in files]
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(str(corpus), f"cannot read corpus: {err}") from err
    return [str(t) for t in corpus]


def _boosted(entry: Scored, bonus: Bonus, trust: Mapping[str, float]) -> float:
    """A candidate's score plus its witnesses' bonus, each witness's share of it scaled by
    its :meth:`~collate.reliability.Reliability.trust` (an unknown witness: 1)."""
    exact, loose, partial = witness_count(entry.sources) - entry.loose, entry.loose, entry.partial
    if entry.misfit:
        boost = bonus[3] * (exact + loose)
    else:
        boost = bonus[0] * exact + bonus[1] * (loose - partial) + bonus[2] * partial
    if boost and trust:
        wits = [s[len("witness:"):] for s in entry.sources if s.startswith("witness:")]
        boost *= sum(trust.get(w, 1.0) for w in wits) / len(wits)
    return entry.score + boost


def _ranked(cands: dict[str, Scored], bonus: Bonus, trust: Mapping[str, float]) -> list[Ranked]:
    """Candidates with softmax shares, best first (a lone candidate is not a sure one)."""
    scored = [(f, _boosted(c, bonus, trust), c) for f, c in cands.items()]
    if not scored:
        return []
    top = max(s for _, s, _ in scored)
    # plus the fillings never enumerated, as one rival OTHER_GAP below the best
    z = sum(math.exp(s - top) for _, s, _ in scored) + math.exp(-OTHER_GAP)
    out = [
        Ranked(f, math.exp(s - top) / z, c.sources, c.loose, c.partial, c.misfit)
        for f, s, c in scored
    ]
    out.sort(key=lambda c: -c.share)
    return out


def _best(cands: dict[str, Scored], bonus: Bonus, trust: Mapping[str, float]) -> str | None:
    """The first of :func:`_ranked` without ranking the rest."""
    return max(cands, key=lambda f: _boosted(cands[f], bonus, trust), default=None)


def _fit_bonus(hidden: Sequence[Hole], trust: Mapping[str, float]) -> Bonus:
    """The witness bonus that fills the most hidden spans right (the largest of equals:
    a witness's reading is not overruled for nothing). The bonus for readings the glyph
    count rules out changes only the spans where a witness reads one, counted apart."""

    def right_at(b: Bonus, holes: Sequence[Hole]) -> int:
        return sum(_best(h.cands, b, trust) == h.truth for h in holes)

    odd = [h for h in hidden if any(c.misfit for c in h.cands.values())]
    plain = [h for h in hidden if not any(c.misfit for c in h.cands.values())]
    triples = [
        (e, lo, one)
        for e in reversed(BONUSES)
        for lo in reversed(BONUSES)
        for one in reversed(BONUSES)
        if e >= lo >= one
    ]
    base = {t: right_at((*t, 0.0), plain) for t in triples}
    tried = [(*t, m) for t in triples for m in reversed(BONUSES) if m <= t[0]]
    return max(tried, key=lambda b: base[b[:3]] + right_at(b, odd))


def _floor(p: float) -> float:
    """Round down to 4 decimals, so rounded confidences still sum to at most 1."""
    return math.floor(p * 10_000) / 10_000


def _group(best: Ranked, hole: Hole, text: str) -> str:
    """Calibration group: evidence kind (witnesses agreeing, one witness read exactly, one
    read only approximately, one found on one side of the place only, the model alone),
    then the hole's shape (a letter lost at a word start, letters inside a word, a whole
    word, a lost word opening a paragraph, a long span), then whether the glyph count rules
    out the witnesses' reading."""
    n = witness_count(best.sources)
    if n >= 2:
        kind = "agree"
    else:
        kind = ("partial" if best.partial else "loose" if best.loose else "witness") if n else "lm"
    before = hole.start > 0 and is_word(text[hole.start - 1])
    after = is_word(text[hole.end : hole.end + 1])
    glyphs = len(hole.marker or text[hole.start : hole.end])
    if hole.capital:
        shape = "opening"
    elif hole.lengths[1] > 8:
        shape = "long"
    elif after and not before and glyphs == 2:
        shape = "initial"
    elif before or after:
        shape = "inword"
    else:
        shape = "word"
    # a reading the glyph count rules out is calibrated within its kind and shape, as far
    # as its few samples allow
    return f"{kind}/{shape}/misfit" if best.misfit else f"{kind}/{shape}"


@dataclass
class _Fitted:
    """What calibration on hidden spans gives: the witness bonus and the confidence map
    (and the witnesses' trust the bonus is scaled by, as it was when fitted)."""

    bonus: Bonus
    calibrator: Calibrator
    trust: Mapping[str, float]

    @classmethod
    def of(cls, inputs: Inputs, hidden: list[Hole], prior: Calibrator | None = None) -> _Fitted:
        """The bonus and map fitted on the filled ``hidden`` spans (the map updating
        ``prior``, where given)."""
        bonus: Bonus = (BONUSES[-1],) * 4
        if inputs.sources and hidden:
            bonus = _fit_bonus(hidden, inputs.trust)
        cal = Calibrator(prior=prior)
        if hidden:
            cal.fit(*_samples(inputs, hidden, bonus))
        return cls(bonus, cal, inputs.trust)

    def candidates(self, hole: Hole, text: str, top: int) -> tuple[Candidate, ...]:
        """The hole's best ``top`` candidates with calibrated confidences (guesses that round
        to nothing left out, witnesses' readings kept)."""
        ranked = _ranked(hole.cands, self.bonus, self.trust)[:top]
        if not ranked:
            return ()
        p1 = ranked[0].share
        group = _group(ranked[0], hole, text)
        cal = self.calibrator
        # a text too short to calibrate trusts the model alone less
        trust = UNCALIBRATED if group.startswith("lm") else 1.0
        c1 = cal(p1, group) if cal.fitted else p1 * trust
        # the others keep their order: scaled like the best when it lost confidence, else
        # sharing what is left
        rest = c1 / p1 if c1 <= p1 else (1.0 - c1) / (1.0 - p1) if p1 < 1.0 else 0.0
        out = [Candidate(ranked[0].text, _floor(c1), tuple(ranked[0].sources))]
        for r in ranked[1:]:
            out.append(Candidate(r.text, _floor(r.share * rest), tuple(r.sources)))
        return tuple(c for c in out if c.confidence >= SHOWN or witness_count(c.sources))


def _samples(
    inputs: Inputs, hidden: Sequence[Hole], bonus: Bonus
) -> tuple[list[float], list[bool], list[str], list[float]]:
    """What a confidence map is fitted on, one entry per filled hidden span: the raw share
    of its best candidate, whether that is right, its group (:func:`_group`) and its weight
    (:func:`~collate.restoration.holes.damage_weights`)."""
    text = inputs.doc.text
    tops = [_ranked(h.cands, bonus, inputs.trust) for h in hidden]
    return (
        [r[0].share if r else 0.0 for r in tops],
        [bool(r) and r[0].text == h.truth for r, h in zip(tops, hidden, strict=True)],
        [_group(r[0], h, text) if r else "lm" for r, h in zip(tops, hidden, strict=True)],
        damage_weights(text, inputs.doc.lacunae, hidden),
    )


def _calibration(
    text: str, lacunae: Sequence[Lacuna], calibration: int, seed: int, words: set[int],
    most: int = MAX_ROUNDS,
) -> tuple[list[list[Hole]], bool]:
    """The rounds of hidden spans of intact text (``most`` at most), and whether the real
    lacunae share the (only) round's model.

    One span per :data:`SPACING` characters at most per round, so the model keeps what it
    learns from and hidden spans have as much intact context as real lacunae; short
    documents get several rounds (each with its own model, trained without that round's
    spans) to reach enough samples. The lost ``words`` opening paragraphs are imitated by
    capitalised words opening sentences (:func:`~collate.restoration.holes.hidden_spans`).
    """
    rng = random.Random(seed)
    # cost that fits the document: a small text hides fewer spans (its few lacunae need a
    # coarser map, and each span costs a search)
    calibration = min(calibration, max(MIN_HIDDEN, len(text) // HIDDEN_CHARS))
    per_round = min(
        calibration, len(text) // 80, max(len(text) // SPACING, -(-calibration // MAX_ROUNDS))
    )
    n_rounds = min(most, MAX_ROUNDS, -(-calibration // per_round)) if per_round else 0
    rounds: list[list[Hole]] = []
    taken: list[tuple[int, int]] = []
    for _ in range(n_rounds):
        rounds.append(hidden_spans(text, lacunae, taken, per_round, rng, words))
        taken += [(h.start, h.end) for h in rounds[-1]]
    # the real lacunae get a model that lost only them, and context free of hidden spans
    # (where hidden spans are sparse, the one round's model serves: speed)
    return rounds, n_rounds == 1 and len(text) >= SPARSE * per_round


def _prepare(
    doc: Unified,
    lacunae: Sequence[Lacuna],
    witnesses: Iterable,
    corpus: Any,
    lang: str | None,
    model: Any,
    reliability: Reliability | None = None,
) -> Inputs:
    """The document (its line breaks unified, its lacunae detected) and its witnesses read
    once: tokens made (where witnesses need them), orthography learned, witnesses carried,
    and how far each is trusted (:func:`_trust`)."""
    wits = witnesses_from(list(witnesses))
    side = Side.of(doc.text, lacunae) if wits else Side(doc.text, tuple(lacunae), ())
    masked = side.masked()
    profile = Profile.learn([masked])
    rescorer, corpus_model = _models(model, corpus)
    if lang is None and corpus_model is not None and corpus_model.lang != "und":
        lang = corpus_model.lang
    if lang is None:
        lang = detect_language(masked)
    if corpus_model is None and rescorer is None and model is not False:
        corpus_model = shipped_model(lang)  # the built-in model of the language, if shipped
    sources = [Source.of(w, Unified.of(w.text).text, profile) for w in wits]
    trust = _trust(doc.text, wits, lang, reliability)
    return Inputs.of(side, profile, sources, corpus_model, lang, rescorer, trust)


def _trust(
    doc: str, wits: Sequence[Witness], lang: str | None, reliability: Reliability | None
) -> dict[str, float]:
    """Each witness's trust: its reliability as a share of the most reliable witness's
    (one witness, or none, needs no estimate: it is the most reliable). Without a given
    ``reliability`` it is estimated from the document collated with its witnesses.

    >>> t = _trust("the old □□□p hung", [Witness("A", "the old lamp hung"),
    ...            Witness("B", "the old larnp hung")], "en", None)
    >>> t["A"], t["B"] < 1.0
    (1.0, True)
    """
    if len(wits) < 2:
        return {}
    if reliability is None:
        from collate.alignment import collate

        ids = {w.id for w in wits}
        own = next(f"document{'_' * k}" for k in range(len(ids) + 1)
                   if f"document{'_' * k}" not in ids)
        texts = [(own, doc), *((w.id, Unified.of(w.text).text) for w in wits)]
        reliability = estimate(collate(texts), lang)
    return reliability.trust([w.id for w in wits])


def _models(model: Any, corpus: Any) -> tuple[LanguageModel | None, Model | None]:
    """(a rescoring language model, a corpus model) from ``restore``'s arguments."""
    if model is not None and model is not False and corpus is not None:
        raise ValueError("give a corpus or a model, not both")
    if model is False:  # no model given, and not the built-in one either
        model = None
    if isinstance(model, LanguageModel) and not isinstance(model, Model):
        return model, None
    if isinstance(corpus, str | Path):  # a folder or file: built once while unchanged
        files = _corpus_files(Path(corpus))
        return None, _corpus_model(str(corpus), tuple(f.stat().st_mtime_ns for f in files))
    if corpus is not None:
        return None, build_model(_corpus_texts(corpus))
    return None, resolve(model)


def _corpus_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.rglob("*.txt"))
    if path.is_file():
        return [path]
    raise InputError(str(path), "no such file or folder")


@lru_cache(maxsize=2)
def _corpus_model(corpus: str, stamp: tuple[int, ...]) -> Model:
    """The corpus model of a corpus path (``stamp``: its files' modification times)."""
    return build_model(_corpus_texts(corpus))


def _holes(doc: str, lacunae: Sequence[Lacuna]) -> tuple[list[Hole], dict, set[int]]:
    """The holes of a document's lacunae, its structural places (list items, box-only
    lines) and its lost words opening paragraphs (the indices of those lacunae)."""
    struct = structural(doc, lacunae)
    words = lost_words(doc, lacunae) - set(struct)  # list items are not lost words
    return [real_hole(lac, doc, capital=i in words) for i, lac in enumerate(lacunae)], struct, words


def _prior(inputs: Inputs) -> Calibrator | None:
    """The prior map of a document restored text alone with a corpus model whose file holds
    one (fitted when it was built, text alone); ``None`` otherwise (witnesses bring evidence
    the prior never saw, a rescoring model scores unlike the one it was fitted with)."""
    if inputs.sources or inputs.model is not None or inputs.corpus is None:
        return None
    return inputs.corpus.calibrator


def calibration_samples(
    text: str, model: Model, *, calibration: int = 320, seed: int = 0, workers: int = 1
) -> tuple[list[float], list[bool], list[str], list[float]]:
    """The samples a confidence map is fitted on (:func:`_samples`) from the hidden spans
    of a damaged ``text`` restored alone with ``model`` in every calibration round, as
    :func:`restore` fills them without a prior: what a model's prior map is fitted on."""
    unified = Unified.of(text)
    lacunae = detect(unified.text)
    with _collector_paused():
        inputs = _prepare(unified, lacunae, (), None, model.lang, model)
        holes, _, words = _holes(inputs.doc.text, lacunae)
        rounds, _ = _calibration(inputs.doc.text, inputs.doc.lacunae, calibration, seed, words)
        fill_rounds([(partial(_trial, inputs, holes, batch), batch) for batch in rounds], workers)
    return _samples(inputs, [h for batch in rounds for h in batch], (BONUSES[-1],) * 4)


def _hidden_filler(trial: Restorer) -> Callable[[Hole], None]:
    """What fills a hidden span: every source, as a real lacuna of its shape is filled."""

    def filler(hole: Hole) -> None:
        trial.candidates(hole)
        _capitals(hole)

    return filler


def _trial(inputs: Inputs, real: list[Hole], batch: list[Hole]) -> Callable[[Hole], None]:
    """What fills a round's hidden spans: a model trained without them and the real lacunae."""
    return _hidden_filler(Restorer(inputs, [*real, *batch]))


def _final(inputs: Inputs, real: list[Hole], struct: dict) -> Callable[[Hole], None]:
    """What fills the real lacunae: a model that lost only them."""
    restorer = Restorer(inputs, real)
    index = {id(h): i for i, h in enumerate(real)}
    return lambda hole: _real_filler(restorer, struct, index[id(hole)])(hole)


def _real_filler(restorer: Restorer, struct: dict, i: int) -> Callable[[Hole], None]:
    """What fills real lacuna ``i``: a structural place only from its witnesses (its
    structure candidates stand unless one reads it), a lost word opening a paragraph only
    with capitalised candidates, any other from every source."""

    def filler(hole: Hole) -> None:
        if i in struct:
            hole.cands = restorer.witnessed(hole) if restorer.inputs.sources else {}
            return
        restorer.candidates(hole)
        _capitals(hole)

    return filler


def _capitals(hole: Hole) -> None:
    """A lost word opening a paragraph (or a hidden one imitating it) keeps only the
    candidates written with a capital."""
    if hole.capital:
        hole.cands = {f: c for f, c in hole.cands.items() if f[:1].isupper()}


def restore(
    text: str,
    *,
    witnesses: Iterable[WitnessLike] = (),
    corpus: str | Path | Iterable[str] | None = None,
    top: int = 5,
    lang: str | None = None,
    model: Model | str | Path | LanguageModel | bool | None = None,
    calibration: int = 320,
    seed: int = 0,
    workers: int = 1,
    min_confidence: float = MIN_CONFIDENCE,
    progress: bool | None = None,
    reliability: Reliability | None = None,
) -> Restoration:
    """Propose what every lacuna of ``text`` lost, ranked, with calibrated confidences.

    Parameters
    ----------
    text
        The damaged witness, verbatim.
    witnesses
        Other witnesses of the same text: strings, ``(id, text)`` pairs or ``Witness``.
    corpus
        Extra training text: a ``.txt`` file, a folder of them, or strings (see ``model``).
    top
        Candidates kept per lacuna (fewer where the others would round to 0).
    lang
        wordfreq language code for the word prior (else detected from the text).
    model
        A restoration model (a :class:`~collate.restoration.corpusmodel.Model` or the path
        of a ``collate model build`` file) whose corpus statistics join the document's, or
        any :class:`~collate.restoration.charlm.LanguageModel` (it rescores the candidates);
        not with ``corpus``. ``None``: the built-in model of the text's language where the
        package ships one (:func:`~collate.restoration.corpusmodel.shipped_model`);
        ``False``: none.
    calibration, seed
        Spans of intact text hidden to fit the confidence map (0: none; a model's prior map,
        :mod:`~collate.restoration.prior`, still applies), and the seed that chooses them.
    workers
        Processes that fill the lacunae and hidden spans (forked where the platform allows;
        the result is the same for any number).
    min_confidence
        The confidence a best candidate needs to fill its lacuna in ``restored`` (below it
        the lacuna stays; its candidates are listed all the same).
    progress
        Show a progress bar of the holes filled (by default only on a terminal).
    reliability
        The witnesses' reliability (:func:`collate.reliability.estimate`; estimated from
        ``text`` collated with them where two or more are given): a witness's reading gets
        the witness bonus in proportion to its weight against the most reliable witness's.

    Returns
    -------
    Restoration
        One :class:`~collate.model.RestoredLacuna` per detected lacuna (offsets into
        ``text`` as given; nothing outside lacunae changed), each candidate with its reasons.

    Notes
    -----
    How candidates are found, scored and calibrated: this module's docstring. Line breaks
    and a leading byte-order mark do not change a restoration (restored as ``\\n``, mapped back).

    Examples
    --------
    >>> r = restore("the cat sat on the mat. the cat sat on the mat. the c□t sat.",
    ...             witnesses=["the cat sat on the mat. the cat sat on the mat. the cat sat."])
    >>> r.lacunae[0].best.text, r.restored[-12:]
    ('a', 'the cat sat.')
    """
    unified = Unified.of(text)
    lacunae = detect(unified.text)
    if not lacunae:  # nothing to restore: no model is loaded, nothing is calibrated
        return Restoration("text", text, (), min_confidence)
    wits = witnesses_from(list(witnesses))
    with _collector_paused():
        inputs = _prepare(unified, lacunae, wits, corpus, lang, model, reliability)
        found = _restored(inputs, text, unified, lacunae, top, calibration, seed, workers,
                          sys.stderr.isatty() if progress is None else progress)
    return explain(Restoration("text", text, found, min_confidence), {w.id: w.text for w in wits})


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: restoration builds millions of small long-lived
    objects (n-gram tables, caches) and makes no reference cycles, so the collector's passes
    over them cost a third of the run and free nothing (measured: none left to collect)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _restored(
    inputs: Inputs,
    original: str,
    unified: Unified,
    lacunae: list[Lacuna],
    top: int,
    calibration: int,
    seed: int,
    workers: int,
    show: bool = False,
) -> tuple[RestoredLacuna, ...]:
    """Every lacuna of the prepared document restored (offsets into ``original``, the
    text as given); ``show``: with a progress bar of the holes filled."""
    doc = inputs.doc.text
    holes, struct, words = _holes(doc, lacunae)
    prior = _prior(inputs)
    rounds, shared = _calibration(doc, inputs.doc.lacunae, calibration, seed, words,
                                  MAX_ROUNDS if prior is None else PRIOR_ROUNDS)
    with progress_bar(total=sum(map(len, rounds)) + len(holes), desc="restore", unit="hole",
                      disable=not show, leave=False) as bar:
        if shared:  # one model fills both: trained here, its holes shared out to workers
            restorer = Restorer(inputs, [*holes, *rounds[0]])
            tasks = [(_hidden_filler(restorer), h) for h in rounds[0]]
            tasks += [(_real_filler(restorer, struct, i), h) for i, h in enumerate(holes)]
            fill(tasks, workers, bar.update)
        else:  # a model per round, trained where the round is filled and dropped after it
            # (all alive at once, twelve rounds took 580 MB for a 14,000-character chapter)
            fill_rounds([*((partial(_trial, inputs, holes, batch), batch) for batch in rounds),
                         (partial(_final, inputs, holes, struct), holes)], workers, bar.update)
    struct = {i: v for i, v in struct.items() if not holes[i].cands}  # a witness read it
    fitted = _Fitted.of(inputs, [h for batch in rounds for h in batch], prior)
    restored: list[RestoredLacuna] = []
    for i, (lac, hole) in enumerate(zip(lacunae, holes, strict=True)):
        if i in struct:
            cands = tuple(Candidate(f, p, ("structure",)) for f, p in struct[i][:top])
        else:
            cands = fitted.candidates(hole, doc, top)
        restored.append(RestoredLacuna(unified.lacuna(lac, original), cands))
    return tuple(restored)
