"""The candidates of one hole: witness readings (and one-word changes of those the glyph
count rules out), lexicon-guided search and whole words, each scored by the character
model, word bigrams and the hole's length prior."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from collate.chars import BREAK, WORD
from collate.model import Lacuna
from collate.restoration.charlm import CharNGram, LanguageModel
from collate.restoration.corpusmodel import Model, general_model
from collate.restoration.holes import Hole, Scored, is_word, witness_count
from collate.restoration.lexicon import Lexicon, word_edges
from collate.restoration.orthography import Profile
from collate.restoration.search import Weights, search
from collate.restoration.witnesses import Side, Source, WitnessMap, mask
from collate.restoration.words import WordBigrams, general_bigrams

CONTEXT = 64  #: characters of context on each side given to the model
REALIGN_MAX = 80_000  #: longest text whose calibration copy is aligned afresh
WORD_WEIGHT = 1.6  #: weight of the word bigram score against the character model
TRAIN_WITNESS = 400_000  #: characters of document + witnesses the model trains on, at most
TRAIN_DOC = 1_000_000  #: characters of a huge document the model trains on (round its holes)
SHORT_BEAM = 12  #: beam of the search where whole words are enumerated anyway
MAX_WORD = 20  #: longest lacuna for which whole-word fillings are enumerated
LONG = 8  #: longest lacuna not also filled by a beam over whole words
MATCHES = 60  #: most probable completions of a partly kept word that are scored
SPLIT = -6.0  #: cost of a filling that cuts a partly kept word in two (rare in damage)
POOL_KEEP = 80  #: lost-word candidates kept after the word-context preselection
LEADERS = 30  #: words seen before the right-hand neighbour also kept as lost-word candidates
PER_LENGTH = 200  #: most probable words of each admitted length put to that preselection
PHRASES = 24  #: fillings of a long span made of whole words that are scored
REWORD = 5  #: words tried at each place of a witness's reading the glyph count rules out


@dataclass(frozen=True)
class Inputs:
    """Everything a restorer needs that does not depend on which spans are hidden,
    computed once per document: the document prepared for alignment, its orthography, the
    witnesses carried into it and aligned with it, the training text they add."""

    doc: Side
    profile: Profile
    sources: tuple[Source, ...]
    maps: tuple[WitnessMap, ...]
    extra: tuple[str, ...]  # witness text the model also learns from, as the witness spells it
    lang: str | None
    model: LanguageModel | None  # rescores candidates in place of the built-in scores
    corpus: Model | None = None  # a corpus model whose statistics join the document's
    #: per witness id the share of the witness bonus its readings get
    #: (:meth:`~collate.reliability.Reliability.trust`; a witness not listed gets all)
    trust: Mapping[str, float] = field(default_factory=dict)

    @cached_property
    def spelt(self) -> tuple[str, ...]:
        """:attr:`extra` in the document's spelling (learned from its intact text), worked
        out once for every restorer that re-aligns nothing."""
        return tuple(m.in_document_spelling(x) for m, x in zip(self.maps, self.extra, strict=True))

    @classmethod
    def of(
        cls,
        doc: Side,
        profile: Profile,
        sources: Sequence[Source],
        corpus: Model | None,
        lang: str | None,
        model: LanguageModel | None,
        trust: Mapping[str, float] | None = None,
    ) -> Inputs:
        # witnesses train the model within a budget of characters (speed); each restorer
        # spells their words as the document writes them (else the model prefers the
        # witness's spelling)
        budget = max(TRAIN_WITNESS - len(doc.text), 0) // max(1, len(sources))
        general = general_model(lang)
        known = None if corpus is None else corpus.writes
        frequency = general.frequency if general else None
        maps = tuple(WitnessMap(doc, s, frequency, known) for s in sources)
        extra = tuple(m.source.side.masked()[:budget] for m in maps)
        return cls(doc, profile, tuple(sources), maps, extra, lang, model, corpus,
                   dict(trust or {}))


class Restorer:
    """A model trained on the document without the given holes; fills any of them.

    Hidden spans are read from a copy of the text that shows them as lacunae, aligned
    afresh, so their witness evidence is as hard to get as that of real lacunae (long texts
    reuse the alignment of the intact text: cheaper, a little optimistic).
    """

    def _spelt(self) -> list[str]:
        """The witnesses' training text respelt by what the document's text shows without
        these holes (a respelling learned from a hidden span's own words would teach the
        model its truth); a witness trusted less than the most reliable one without its
        readings of them (:meth:`~collate.restoration.witnesses.WitnessMap.without_readings`),
        any other without its readings that the glyph count rules out (:meth:`_readings`)."""
        inputs, out = self.inputs, []
        for j, (m, x) in enumerate(zip(inputs.maps, inputs.extra, strict=True)):
            if inputs.trust.get(m.witness.id, 1.0) < 1.0:
                x = m.without_readings(x, self.spans)
            elif odd := [(a, min(b, len(x))) for a, b in self.misfits.get(m.witness.id, ())
                         if a < len(x)]:
                x = mask(x, odd)
            elif not self.copy_maps:  # nothing hidden is re-aligned: the same for every round
                out.append(inputs.spelt[j])
                continue
            out.append((self.copy_maps[j] if self.copy_maps else m).in_document_spelling(x))
        return out

    def __init__(self, inputs: Inputs, holes: Sequence[Hole]) -> None:
        self.inputs = inputs
        self.text = text = inputs.doc.text
        holes = sorted({id(h): h for h in holes}.values(), key=lambda h: h.start)
        self.spans = [(h.start, h.end) for h in holes]
        self.masked = mask(text, self.spans)
        self.copy: tuple[str, list[tuple[int, int]], dict[int, tuple[int, int]]] | None = None
        self.copy_maps: list[WitnessMap] = []
        hidden = [h for h in holes if h.truth is not None]
        if hidden and inputs.sources and len(text) <= REALIGN_MAX:
            self._realign(holes)
        #: per witness, what it reads where the glyph count rules out all it reads there
        self.misfits: dict[str, list[tuple[int, int]]] = {}
        self.readings = {id(h): self._readings(h, self.misfits) for h in holes}
        train = [_training(self.masked, self.spans), *self._spelt()]
        # a corpus model adds its character n-grams (weighed against the document's own by
        # how often the document saw each history), its case habits, words and word n-grams
        corpus = inputs.corpus
        background = corpus.char_model() if corpus is not None else None
        case = corpus.case_counts() if corpus is not None else ()
        self.lm = CharNGram(train, background=background, case=case)
        self.lexicon = Lexicon(train, lang=inputs.lang, corpus=corpus)
        self.bigrams = WordBigrams(
            train, self.lexicon, general=general_bigrams(inputs.lang), corpus=corpus
        )
        # Without a wordfreq list the lexicon holds only the document's words: leaving it
        # is common (names, inflections), so it costs less.
        self.weights = Weights(oov=-10.0 if self.lexicon.general else -5.0)

    def _realign(self, holes: list[Hole]) -> None:
        """The copy of the text showing every hole by its marker, aligned with each witness
        (its lacunae are known: the real ones and the hidden spans' markers, shifted)."""
        text = self.text
        pieces, spans, lacunae, where, pos, shift = [], [], [], {}, 0, 0
        for h in holes:
            marker = h.marker if h.truth is not None else text[h.start : h.end]
            pieces += [text[pos : h.start], marker]
            span = (h.start + shift, h.start + shift + len(marker))
            spans.append(span)
            where[id(h)] = span
            if h.shown is not None:
                lacunae.append(replace(h.shown, start=span[0], end=span[1]))
            shift += len(marker) - (h.end - h.start)
            pos = h.end
        copy = "".join([*pieces, text[pos:]])
        self.copy = (copy, spans, where)
        side = Side.of(copy, _sorted(lacunae))
        self.copy_maps = [
            WitnessMap(side, m.source, m.frequency, m.known) for m in self.inputs.maps
        ]

    def candidates(self, hole: Hole) -> None:
        """Fill ``hole.cands``: every proposed filling with its score and sources."""
        left, right = self._context(hole)
        readings = self._read(hole)
        # readings found on one side of the place only are guesses of where the other side
        # falls: the model searches as if there were none, and they compete with it
        firm = {f: e for f, e in readings.items() if e.partial < witness_count(e.sources)}
        cands: dict[str, Scored] = {}
        for f in self._proposals(hole, left, right, firm):
            cands.setdefault(f, Scored(0.0, ["lm"]))
        if not firm and hole.lengths[1] > LONG:  # a long span: whole words, a beam
            for f in self.bigrams.phrases(left, right, hole.lengths, keep=PHRASES,
                                          length_prior=hole.length_prior):  # over words
                cands.setdefault(self.inputs.profile.carry(f).text, Scored(0.0, ["lm"]))
        if not firm and hole.lengths[1] <= MAX_WORD:
            for f in self._words(left, right, hole):
                cands.setdefault(self.inputs.profile.carry(f).text, Scored(0.0, ["lexicon"]))
        for reading, entry in readings.items():
            if entry.misfit:  # the document's text is likelier the witness's, a word changed
                for f in self._reworded(left, reading, right, hole):
                    cands.setdefault(self.inputs.profile.carry(f).text, Scored(0.0, ["lm"]))
        for reading, entry in readings.items():
            if reading in cands:
                entry.sources.append("lm")
            cands[reading] = entry
        lo, hi = hole.lengths
        hole.cands = {
            f: c
            for f, c in cands.items()
            if lo <= len(f) <= hi
            and _spaced(left, f, right)
            and (f in readings or (_balanced(left, f, right) and not _broken(f)))
        }
        self._score_all(hole, left, right)

    def witnessed(self, hole: Hole) -> dict[str, Scored]:
        """The witnesses' readings of ``hole``, scored like any candidate (none: ``{}``)."""
        readings = self._read(hole)
        if readings:
            hole.cands = readings
            self._score_all(hole, *self._context(hole))
        return readings

    def _read(self, hole: Hole) -> dict[str, Scored]:
        """:meth:`_readings` of ``hole``, as read when the model was trained."""
        got = self.readings.get(id(hole))
        return self._readings(hole) if got is None else got

    def _context(self, hole: Hole) -> tuple[str, str]:
        left = self.masked[max(0, hole.start - CONTEXT) : hole.start]
        return left, self.masked[hole.end : hole.end + CONTEXT]

    def _score_all(self, hole: Hole, left: str, right: str) -> None:
        model = self.inputs.model
        for f, entry in hole.cands.items():
            raw = model.score(left, f, right) if model is not None else self._score(left, f, right)
            entry.score = raw + hole.length_prior(len(f))

    def _readings(
        self, hole: Hole, misfits: dict[str, list[tuple[int, int]]] | None = None
    ) -> dict[str, Scored]:
        """What the witnesses read at the hole: reading -> its sources (``witness:ID``, and
        ``form:ID=...`` where the witness writes it otherwise); into ``misfits`` go, per
        witness, the spans it reads where the glyph count rules out all it reads (there
        it reads another text than the document lost: a model that learned it in the
        hole's place would count it as evidence again, for the wrong text)."""
        lo, hi = hole.lengths
        if hole.truth is not None and self.copy is not None:
            copy, spans, where = self.copy
            pairs = [(m, (copy, spans, where[id(hole)])) for m in self.copy_maps]
        else:
            pairs = [(m, (self.text, self.spans, (hole.start, hole.end))) for m in self.inputs.maps]
        left, right = self._context(hole)
        readings: dict[str, Scored] = {}
        for wmap, args in pairs:
            kept = [
                got
                for got in wmap.read(*args, lengths=(lo, hi))
                if BREAK not in got.text
                and lo <= len(got.text) <= hi
                and _spaced(left, got.text, right)
            ]
            if misfits is not None and kept and not any(hole.admits(len(g.text)) for g in kept):
                spans = [g.span for g in kept]
                misfits.setdefault(wmap.witness.id, []).append(
                    (min(a for a, _ in spans), max(b for _, b in spans))
                )
            for got in kept:
                # nothing read where the line shows lost text: the witness lacks a word
                # the document had (other text), unless the lacuna is all its line holds
                odd = not hole.admits(len(got.text)) or not (got.text or _alone(left, right))
                entry = readings.setdefault(got.text, Scored(0.0, [], misfit=odd))
                if f"witness:{wmap.witness.id}" in entry.sources:
                    continue
                entry.sources.append(f"witness:{wmap.witness.id}")
                entry.loose += not got.exact
                entry.partial += not got.both_sides
                if got.form != got.text:
                    entry.sources.append(f"form:{wmap.witness.id}={got.form}")
        return readings

    def _proposals(
        self, hole: Hole, left: str, right: str, readings: dict[str, Scored]
    ) -> list[str]:
        """The fillings the lexicon-guided beam search proposes (none where witnesses agree
        or read a long span: the model is not asked, for speed)."""
        agree = len(readings) == 1 and sum(witness_count(v.sources) for v in readings.values()) >= 2
        if agree or (readings and hole.lengths[1] > 8):
            return []
        weights, lengths = self.weights, hole.lengths
        if readings:  # rivals of a witness's reading: a narrow beam, lengths near its (speed)
            weights = replace(weights, beam=4, free=2)
            sizes = [len(r) for r in readings if r]  # nothing read bounds no length
            if sizes:
                lengths = (max(lengths[0], min(sizes) - 1), min(lengths[1], max(sizes) + 1))
        elif hole.lengths[1] > 12:
            weights = replace(weights, beam=16)
        elif hole.lengths[1] <= MAX_WORD:  # the lexicon enumerates the whole words
            weights = replace(weights, beam=SHORT_BEAM, free=3)
        found = search(
            self.lm,
            self.lexicon,
            left,
            right,
            lengths,
            weights=weights,
            length_prior=hole.length_prior,
            keep=24 if not readings else 6,
        )
        return [f for f, _ in found]

    def _words(self, left: str, right: str, hole: Hole) -> list[str]:
        """Fillings that make whole known words: completions of the partly kept word around
        the hole, or, for a lost whole word, the words the context and the lexicon favour."""
        prefix, suffix = word_edges(left, right)
        lo, hi = hole.lengths
        sizes = range(max(lo, 1), hi + 1)
        if prefix or suffix:
            return self._completions(prefix, suffix, sizes)
        prev2, prev, nxt, nxt2 = _context_words(left, right)
        lex, bi = self.lexicon, self.bigrams
        pool = [*lex.pool(sizes, PER_LENGTH), *bi.neighbours(prev, None)]
        leaders = bi.neighbours(None, nxt)
        if self.inputs.corpus is not None:
            # a corpus model knows enough word triples to judge a lost word by both sides:
            # the words seen between its neighbours join, all ranked by both sides
            pool += [*leaders, *bi.between(prev2, prev, nxt, nxt2)]
            leaders = []

            def fit(w: str) -> float:
                return bi.fit(prev2, prev, w, nxt, nxt2)
        else:

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

    def _reworded(self, left: str, reading: str, right: str, hole: Hole) -> list[str]:
        """A witness's reading changed by one whole word so that the glyph count admits its
        length: a word dropped, or one added or put in place of another (the words the word
        model fits there best, :data:`REWORD` per place): where a witness reads other text,
        it most often adds, lacks or changes one word of the document's."""
        full, at = left + reading + right, len(left)
        out = []
        words = [m for m in WORD.finditer(full) if at <= m.start() and m.end() <= at + len(reading)]
        for m in words:  # dropped, with the space after it (or before it)
            a, b = m.start() - at, m.end() - at
            if reading[b : b + 1] == " ":
                out.append(reading[:a] + reading[b + 1 :])
            elif reading[a - 1 : a] == " ":
                out.append(reading[: a - 1] + reading[b:])
        sep = " " if reading else ""  # a word added to nothing needs no space of its own
        for p in range(len(reading) + 1):  # a word added where a word starts
            if (reading[p - 1] if p else full[at - 1 : at]) in (" ", "\n", ""):
                fit = self._fitting(full[: at + p], full[at + p :], len(reading) + len(sep), hole)
                out += [reading[:p] + w + sep + reading[p:] for w in fit]
        for m in words:  # a word put in place of another
            a, b = m.start() - at, m.end() - at
            fit = self._fitting(full[:m.start()], full[m.end():], len(reading) - (b - a), hole)
            out += [reading[:a] + w + reading[b:] for w in fit]
        return [f for f in out if hole.admits(len(f))]

    def _fitting(self, left: str, right: str, kept: int, hole: Hole) -> list[str]:
        """The words the word model fits best between ``left`` and ``right`` (as the
        lexicon writes them) that make a filling of ``kept`` characters plus the word one
        the glyph count admits."""
        prev2, prev, nxt, nxt2 = _context_words(left, right)
        bi = self.bigrams
        seen = [w for w in bi.between(prev2, prev, nxt, nxt2) if hole.admits(kept + len(w))]
        seen.sort(key=lambda w: (-bi.fit(prev2, prev, w, nxt, nxt2), w))
        return [self.lexicon.form(w) for w in seen[:REWORD]]

    def _completions(self, prefix: str, suffix: str, sizes: range) -> list[str]:
        """Fillings that complete the partly kept word ``prefix + ? + suffix``."""
        out = []
        upper = (len(prefix) > 1 and prefix.isupper()) or (len(suffix) > 1 and suffix.isupper())
        for word in self.lexicon.matching(prefix, suffix, sizes)[:MATCHES]:
            fill = word[len(prefix) : len(word) - len(suffix)]
            if upper:
                out.append(fill.upper())
            elif prefix:
                out.append(fill)
            else:
                out += [fill, fill[:1].upper() + fill[1:]]
        return out

    def _score(self, left: str, filling: str, right: str) -> float:
        """The score of a filling: character model, plus word bigrams (with the lexicon's
        word prior below them) of the words it touches, less the cost of writing in lower
        case a word the document capitalises (and with no charge for its capital)."""
        score = self.lm.score(left, filling, right)
        prefix, suffix = word_edges(left, right)
        if prefix and filling and not is_word(filling[0]):
            score += SPLIT
        if suffix and filling and not is_word(filling[-1]):
            score += SPLIT
        for m in WORD.finditer(prefix + filling + suffix):
            word, first = m.group(), m.start() - len(prefix)
            score += self.lexicon.lower_cost(word)
            if 0 <= first < len(filling) and word[0].isupper() and self.lexicon.capitalised(word):
                # the word, not its place, decides this capital: undo the case model's charge
                score -= math.log(self.lm.p_upper((left + filling[:first])[-3:]))
        return score + WORD_WEIGHT * self.bigrams.score(left, filling, right)


def _alone(left: str, right: str) -> bool:
    """Whether a hole is all its line holds (other lost text aside): there a run of boxes
    may stand for nothing (a lost list marker, an artefact).

    >>> _alone("end.\\n", "\\nNext"), _alone("end.\\n", " δε και")
    (True, False)
    """
    line = left.rpartition("\n")[2] + right.partition("\n")[0]
    return not line.replace(BREAK, "").strip()


def _training(masked: str, spans: Sequence[tuple[int, int]]) -> str:
    """What of the (masked) document the model learns from: all of it, or, past
    :data:`TRAIN_DOC` characters, the whole words round its holes, the stretches joined by
    :data:`BREAK` (a huge document teaches little more and costs in proportion; speed).

    >>> _training("ab cd ef gh", [(4, 5)])
    'ab cd ef gh'
    """
    if len(masked) <= TRAIN_DOC:
        return masked
    half = TRAIN_DOC // (2 * max(1, len(spans)))
    windows: list[list[int]] = []
    for s, e in spans or [(0, 0)]:
        lo = masked.rfind(" ", 0, max(0, s - half)) + 1
        hi = masked.find(" ", min(len(masked), e + half))
        hi = len(masked) if hi < 0 else hi
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return BREAK.join(masked[lo:hi] for lo, hi in windows)


def _sorted(lacunae: list[Lacuna]) -> list[Lacuna]:
    return sorted(lacunae, key=lambda x: x.start)


_OPEN, _CLOSE = "([{“‘", ")]}”’"


def _balanced(left: str, filling: str, right: str) -> bool:
    """Whether brackets and quotes in ``filling`` pair with each other or with unpaired
    ones in the context (a filling must not open or close what nothing else does).

    >>> _balanced("the ", "(cat", " sat"), _balanced("the (", "cat)", " sat")
    (False, True)
    """
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


def _broken(filling: str) -> bool:
    """Whether ``filling`` holds a line break: the model's guess may not, since a lacuna's
    marker stands within one line and the text keeps its own breaks (a witness may read
    one, where its lines fall otherwise).

    >>> _broken("\\n\\nHe"), _broken("He said")
    (True, False)
    """
    return "\n" in filling or "\r" in filling


def _spaced(left: str, filling: str, right: str) -> bool:
    """Whether ``filling`` leaves the spacing single: it neither starts with a space after
    one (or at a line start) nor ends with one before one (or at a line end).

    >>> _spaced("in ", "ano ", " fuit"), _spaced("in ", "ano", " fuit"), _spaced("", " a", "")
    (False, True, False)
    """
    if filling[:1].isspace() and (not left or left[-1:].isspace()):
        return False
    return not (filling[-1:].isspace() and (not right or right[:1].isspace()))


def _context_words(left: str, right: str) -> tuple[str | None, ...]:
    """The two whole words before a hole and the two after it, ``(prev2, prev, nxt,
    nxt2)`` (``None`` where lost, cut off by lost text, or absent).

    >>> _context_words("so the ", " of it")
    ('so', 'the', 'of', 'it')
    >>> _context_words("\\x00 the ", " of")
    (None, 'the', 'of', None)
    """
    left, right = left[-40:], right[:40]
    before = list(WORD.finditer(left))[-2:]
    after = list(WORD.finditer(right))[:2]
    out: list[str | None] = [None, None, None, None]
    for k, m in enumerate(reversed(before)):
        if BREAK in left[max(0, m.start() - 1) :]:
            break
        out[1 - k] = m.group()
    for k, m in enumerate(after):
        if BREAK in right[: m.end() + 1]:
            break
        out[2 + k] = m.group()
    return tuple(out)
