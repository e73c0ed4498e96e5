"""Collated editions: all witnesses aligned, every lacuna restored, a base text chosen.

The pipeline runs once, in order: the witnesses are collated (:mod:`collate.alignment`),
every lacuna of every witness is restored from the others (:mod:`collate.restoration`), the
evidence is accounted for (:mod:`collate.evidence`: what each witness reads at each place,
and how it stands), and the base text is chosen (:mod:`collate.consensus`). An
:class:`Edition` is that evidence with its base; it is the one object the edition renderers
(TEI, Leiden, HTML, JSON, plain) read.

Base text
---------
``base`` is a witness id (that witness is the lemma everywhere) or ``"consensus"``. The
consensus is taken per variant place (neighbouring variant columns taken together, so that
``Gold-`` + ``fields`` is judged against ``Goldfields``) by :mod:`collate.consensus`:
reliability-weighted votes and plausibility, character by character inside OCR variants of
one word. Its text (:meth:`Edition.base_text`) may combine witnesses within a place; every
character of it keeps the witness offset it comes from (:attr:`Edition.consensus`). The
lemma of a place (what TEI and the apparatus print) is the witness reading closest to it.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from collate import consensus as _cons
from collate.blocks import moves, readings
from collate.engines import Confidences
from collate.evidence import (
    Evidence,
    Piece,
    Segment,
    Status,
    account,
    certainty,
    filled,
    rebuild_witness,
    restored_text,
    split,
)
from collate.model import (
    MIN_CONFIDENCE,
    Collation,
    Restoration,
    RestoredLacuna,
    Witness,
    WitnessLike,
    witnesses_from,
)
from collate.ocrsource import words_json
from collate.progress import progress_bar
from collate.reliability import Reliability, estimate

if TYPE_CHECKING:
    from collate.restoration.charlm import LanguageModel
    from collate.restoration.corpusmodel import Model

__all__ = [
    "Edition",
    "Piece",
    "Segment",
    "Status",
    "build_edition",
    "certainty",
    "make_edition",
    "ncname",
    "rebuild_witness",
    "restored_text",
    "split",
]

_NCNAME_BAD = regex.compile(r"[^\p{L}\p{N}._-]")


def ncname(raw: str, taken: Iterable[str] = ()) -> str:
    """A witness id made into a valid, unique XML NCName (for ``xml:id`` and ``#`` pointers).

    >>> ncname("1818"), ncname("C05/Thomas copy"), ncname("A", ["A"])
    ('w1818', 'C05_Thomas_copy', 'A_2')
    """
    name = _NCNAME_BAD.sub("_", unicodedata.normalize("NFC", raw)) or "w"
    if not (name[0].isalpha() or name[0] == "_"):
        name = "w" + name
    taken = set(taken)
    out, n = name, 1
    while out in taken:
        n += 1
        out = f"{name}_{n}"
    return out


@dataclass(frozen=True)
class Edition(Evidence):
    """A collated edition: the :class:`~collate.evidence.Evidence` of every witness, the
    base choice, and (with ``base="consensus"``) the consensus.

    Build it with :func:`make_edition`; render it with
    :func:`collate.render.render_edition` (TEI, HTML, Leiden text, JSON, plain).

    >>> ed = make_edition([("A", "The cat sat."), ("B", "The cot sat.")], base="A")
    >>> [ed.reading(i, "B") for i in range(len(ed.segments))]
    ['The ', 'cot ', 'sat.']
    """

    base: str = "consensus"
    consensus: _cons.Consensus | None = None
    """With ``base="consensus"``: per segment the consensus text (as spans traceable to
    witness offsets) and its confidence, and the reliability weight of every witness."""
    left_out: tuple[tuple[str, str], ...] = ()
    """Witnesses given but left out, as ``(source, problem)``: files that could not be read
    (the JSON, TEI and HTML say so)."""

    def __repr__(self) -> str:
        """One line: witnesses, base, and how many segments, variant places (as the apparatus
        counts them) and lacunae.

        >>> make_edition([("A", "The cat sat."), ("B", "The cot sat.")], restore=False)
        Edition(witnesses=['A', 'B'], base='consensus', segments=3, variants=1, lacunae=0)
        """
        variants = sum(1 for i in range(len(self.segments)) if len(self.variants(i)) > 1)
        lacunae = sum(len(r.lacunae) for r in self.restorations.values())
        return (f"Edition(witnesses={self.ids!r}, base={self.base!r}, "
                f"segments={len(self.segments)}, variants={variants}, lacunae={lacunae})")

    @cached_property
    def newline(self) -> str:
        """The witnesses' line ending, for outputs that add lines of their own: ``"\\r\\n"``
        where most of the line breaks of the witnesses are CRLF, else ``"\\n"``.

        >>> make_edition([("A", "a\\r\\nb\\r\\n"), ("B", "a\\r\\nc\\n")]).newline
        '\\r\\n'
        """
        crlf = sum(w.text.count("\r\n") for w in self.witnesses)
        lf = sum(w.text.count("\n") for w in self.witnesses)
        return "\r\n" if lf and 2 * crlf >= lf else "\n"

    def base_text(self, *, restored: bool = True) -> str:
        """The base text; with ``restored``, restorations that reach ``min_confidence`` fill
        their lacunae.

        The consensus text (``base="consensus"``) may combine witnesses inside a place;
        without ``restored``, the lemmata are given, with the lacunae's markers.

        >>> make_edition([("A", "The cat sat."), ("B", "The cat sat!"), ("C", "The cat sat.")]
        ...              ).base_text()
        'The cat sat.'
        """
        if self.consensus is not None and restored:
            return "".join(p.text for p in self.consensus.places)
        out: list[str] = []
        for i in range(len(self.segments)):
            pieces = self.base_pieces(i)
            out.append(restored_text(pieces, self.min_confidence) if restored else
                       "".join(p if isinstance(p, str) else p.lacuna.marker for p in pieces))
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: witnesses, segments as groups of readings (each with its status), and
        restorations.

        Every witness is rebuilt by joining, over ``segments``, the ``text`` of the reading
        whose ``wit`` lists it (:func:`~collate.evidence.rebuild_witness`).

        >>> d = make_edition([("A", "a b"), ("B", "a c")]).to_dict()
        >>> [(r["wit"], r["status"]) for r in d["segments"][-1]["readings"]]
        [(['A'], 'attested'), (['B'], 'attested')]
        """
        segs = []
        whole = self.consensus.whole_at() if self.consensus is not None else {}
        for i, s in enumerate(self.segments):
            seg: dict[str, Any] = {"base": s.base, "readings": [
                self._reading_dict(i, g) for g in self.groups(i)]}
            if self.consensus is not None:
                place = self.consensus.places[i]
                seg["confidence"] = round(place.confidence, 4)
                seg["consensus"] = [{"wit": x.wit, "start": x.start, "end": x.end,
                                     "text": x.text, "restored": x.lacuna is not None}
                                    for x in place.spans]
                if i in whole:
                    seg["whole"] = whole[i]
            segs.append(seg)
        weights = self.consensus.weights if self.consensus is not None else {}
        taken = self.consensus.taken() if self.consensus is not None else {}
        regions = self.consensus.taken_whole() if self.consensus is not None else {}
        return {
            "base": self.base,
            "min_confidence": self.min_confidence,
            "witnesses": [
                {"id": w.id, "siglum": self.sigla[w.id], "source": w.source}
                | ({"weight": round(weights[w.id], 4)} if w.id in weights else {})
                | ({"consensus_chars": taken.get(w.id, 0),
                    "regions_whole": regions.get(w.id, 0)} if self.consensus else {})
                | ({"marks": [m.to_dict() for m in w.marks]} if w.marks else {})
                | ({"words": words_json(w.words)} if w.words else {})
                for w in self.witnesses
            ],
            "text": self.base_text(),
            "segments": segs,
            "restorations": {wid: r.to_dict() for wid, r in self.restorations.items()},
        } | ({"left_out": [{"source": s, "problem": p} for s, p in self.left_out]}
             if self.left_out else {})

    def _reading_dict(self, seg: int, group: list[str]) -> dict[str, Any]:
        r = self.witness_reading(seg, group[0])
        out: dict[str, Any] = {"wit": group, "text": r.text, "status": r.status.value}
        if r.status is Status.RESTORED:
            out["restored"] = restored_text(r.pieces, self.min_confidence)
            out["confidence"] = round(r.confidence(self.min_confidence) or 0.0, 4)
        return out


def make_edition(
    witnesses: Iterable[WitnessLike],
    *,
    base: str = "consensus",
    near: float | None = 0.7,
    corpus: str | Path | Iterable[str] | None = None,
    lang: str | None = None,
    top: int = 5,
    restore: bool = True,
    progress: bool | None = None,
    processor: Callable[[str], str] | str | None = None,
    model: Model | str | Path | LanguageModel | None = None,
    workers: int = 1,
    min_confidence: float = MIN_CONFIDENCE,
) -> Edition:
    """Collate all witnesses, restore every lacuna of every witness, choose the base text.

    Parameters
    ----------
    witnesses : iterable of str, (id, text) or Witness
        Strings (sigla A, B, …), ``(id, text)`` pairs or :class:`~collate.model.Witness`
        objects (a TEI witness keeps its editor's readings and marks).
    base : str
        A witness id, or ``"consensus"`` (see the module docstring for how it is chosen).
    near : float or None
        Fuzzy-match threshold passed on to :func:`collate.collate`.
    corpus, lang, top, model, workers
        Passed on to :func:`collate.restore` (extra texts for the language model, the
        language, candidates per lacuna, a restoration model or its path, processes).
    restore : bool
        ``False`` skips restoration (``collate align --format tei|html``): lacunae stay gaps.
    progress : bool, optional
        Show a progress bar on standard error (by default only on a terminal).
    processor : callable or str, optional
        The match level passed on to :func:`collate.collate`, or its names as
        ``--normalize`` takes them (``"case,accents"``, see :func:`collate.normalize.level`).
    min_confidence : float
        The confidence a restoration needs to fill its lacuna in a text (reading, base,
        plain); below it the lacuna stays (``[.7]``), its candidates in the apparatus.

    Returns
    -------
    Edition

    Raises
    ------
    ValueError
        When ``base`` is neither ``"consensus"`` nor a witness id.

    Examples
    --------
    >>> ed = make_edition([("A", "The cat sat."), ("B", "The cat sat!")], base="B")
    >>> ed.base_text()
    'The cat sat!'
    """
    from collate.alignment import collate

    wits = witnesses_from(witnesses)
    if base != "consensus" and base not in [w.id for w in wits]:
        raise ValueError(f"base {base!r} is neither 'consensus' nor a witness id")
    show = sys.stderr.isatty() if progress is None else progress
    with progress_bar(total=len(wits) + 2, desc="edition", unit="step", disable=not show,
              leave=False) as bar:
        bar.set_postfix_str("collating")
        collation = collate(wits, near=near, processor=_processor(processor))
        reliability = estimate(collation, lang or _language(collation))
        restorations = {}
        for w in collation.witnesses:
            bar.update(1)
            bar.set_postfix_str(f"restoring {w.id}")
            others = [o for o in wits if o.id != w.id] if restore else None
            restorations[w.id] = _restore(w, others, corpus=corpus, lang=lang, top=top,
                                          model=model, workers=workers, reliability=reliability,
                                          min_confidence=min_confidence)
        bar.update(1)
        bar.set_postfix_str("choosing the base")
        edition = build_edition(collation, restorations, base=base, lang=lang,
                                min_confidence=min_confidence, reliability=reliability)
        bar.update(1)
    return edition


def _processor(processor: Callable[[str], str] | str | None) -> Callable[[str], str] | None:
    """A match level given by its names (``"case,accents"``) as the function it stands for."""
    if isinstance(processor, str):
        from collate.normalize import level

        return level(processor)
    return processor


def _restore(w: Witness, others: list[Witness] | None, **kw: Any) -> Restoration:
    """Restore one witness (``others`` None: only find its lacunae)."""
    from collate.lacunae import detect

    floor = kw["min_confidence"]
    lacunae = detect(w.text)
    if not lacunae:
        return Restoration(w.id, w.text, (), floor)
    if others is None:
        found = tuple(RestoredLacuna(lac, ()) for lac in lacunae)
    else:
        from collate.restoration import restore

        found = restore(w.text, witnesses=[(o.id, o.text) for o in others], progress=False,
                        **kw).lacunae  # the edition shows its own bar
    return Restoration(w.id, w.text, found, floor)


def build_edition(
    collation: Collation,
    restorations: Mapping[str, Restoration] | None = None,
    *,
    base: str = "consensus",
    lang: str | None = None,
    min_confidence: float = MIN_CONFIDENCE,
    reliability: Reliability | None = None,
) -> Edition:
    """An :class:`Edition` from a ready collation and restorations (missing ones: none):
    the evidence accounted for (:func:`collate.evidence.account`), then the base chosen.

    ``lang`` (wordfreq code; detected from the first witness when omitted) is the language
    whose word frequencies judge the consensus; ``reliability`` the witnesses' weights the
    consensus votes with (estimated from ``collation`` when omitted, as
    :func:`make_edition` estimates it once for restoration and consensus alike).

    >>> from collate.model import Column, Token
    >>> toks = {"A": (Token("a", " ", "a", 0, 1), Token("b", "", "b", 2, 3)),
    ...         "B": (Token("a", " ", "a", 0, 1), Token("c", "", "c", 2, 3))}
    >>> col = Collation((Witness("A", "a b"), Witness("B", "a c")), toks,
    ...                 (Column(((0, 1), (0, 1))), Column(((1, 2), (1, 2)))))
    >>> build_edition(col, base="B").base_text()
    'a c'
    """
    sigla: dict[str, str] = {}
    for wid in collation.ids:
        sigla[wid] = ncname(wid, sigla.values())
    ev = account(collation, restorations, sigla=sigla, min_confidence=min_confidence)
    kept = (collation, ev.restorations)
    if base != "consensus":
        segments = tuple(Segment(seg.ranges, base) for seg in ev.segments)
        return Edition(*kept, segments, sigla, min_confidence, base=base)
    lang = lang or _language(collation)
    fill = partial(filled, min_confidence=min_confidence)
    reliability = reliability or estimate(collation, lang)
    order = moves(ev, collation, reliability.weights, reliability.judge)
    if order.away and reliability.judge is not None:  # text one reading alone has may be moved
        reliability = replace(reliability, judge=replace(reliability.judge, drops=False))
    found = _cons.build(readings(ev, order, fill), reliability, lang,
                        Confidences.of(collation.witnesses))
    segments = tuple(Segment(seg.ranges, _attested_lemma(ev, i, place.lemma, found.weights))
                     for i, (seg, place) in enumerate(zip(ev.segments, found.places, strict=True)))
    return Edition(*kept, segments, sigla, min_confidence, base=base, consensus=found)


def _attested_lemma(ev: Evidence, seg: int, lemma: str, weights: Mapping[str, float]) -> str:
    """The lemma of a place: the consensus's choice, unless that witness does not attest its
    reading (lost, restored, supplied) where another witness attests the same text."""
    if ev.status(seg, lemma) is Status.ATTESTED:
        return lemma
    said = " ".join(restored_text(ev.pieces(seg, lemma), ev.min_confidence).split())
    same = [w for w in ev.ids if ev.status(seg, w) is Status.ATTESTED
            and " ".join(ev.reading(seg, w).split()) == said]
    return max(same, key=lambda w: weights.get(w, 0.0)) if same else lemma


def _language(collation: Collation) -> str | None:
    """The wordfreq language of the first witness (``None`` when none is recognised: a
    Latin or polytonic Greek text is not judged by the words of English or modern Greek,
    only by its own vocabulary, :class:`~collate.plausibility.Judge`)."""
    from collate.restoration.lexicon import detect_language

    first = collation.witnesses[0].text[:20_000] if collation.witnesses else ""
    return detect_language(first)
