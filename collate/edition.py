"""Collated editions: all witnesses aligned, every lacuna restored, a base text chosen.

An :class:`Edition` is the one object the edition renderers (TEI, Leiden, HTML, JSON) read.
It cuts the alignment into *segments*: runs of alignment columns where no lacuna of any
witness crosses a boundary, consecutive invariant columns merged. In each segment every
witness has a character range of its own text, so that concatenating a witness's readings
over all segments gives back that witness exactly (the renderers keep this law; tests rebuild
every witness from the TEI and the JSON).

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
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from collate import consensus as _cons
from collate.model import (
    Candidate,
    Collation,
    Restoration,
    RestoredLacuna,
    Witness,
    WitnessLike,
    witnesses_from,
)
from collate.progress import progress_bar
from collate.reliability import Reliability, estimate
from collate.restoration.charlm import LanguageModel
from collate.restoration.corpusmodel import Model
from collate.xmlsource import TeiWitness, with_editor

if TYPE_CHECKING:
    from collate.restoration.charlm import LanguageModel
    from collate.restoration.corpusmodel import Model

CERTAINTY = (("high", 0.8), ("medium", 0.5), ("low", 0.25))
"""Confidence thresholds of TEI ``@cert``; a best candidate below the last one is not
printed as a restoration: the lacuna stays a gap (``[.N]`` in Leiden, ``<gap/>`` in TEI)."""

MAX_SEGMENT_CHARS = 2000
"""Neighbouring invariant (or variant) columns merge into one segment up to about this size."""

_NCNAME_BAD = regex.compile(r"[^\p{L}\p{N}._-]")

Piece = str | RestoredLacuna


def certainty(confidence: float) -> str | None:
    """The TEI ``@cert`` for a confidence, or ``None`` when too low to restore at all.

    >>> certainty(0.91), certainty(0.6), certainty(0.3), certainty(0.1)
    ('high', 'medium', 'low', None)
    """
    for name, floor in CERTAINTY:
        if confidence >= floor:
            return name
    return None


def shown(rl: RestoredLacuna) -> Candidate | None:
    """The restoration printed in a lacuna: its best candidate if confident enough
    (:func:`certainty`), else ``None`` (the lacuna stays a gap).

    >>> from collate.model import Lacuna
    >>> lac = Lacuna(0, 2, "□□", 1, 3, "in-word", "box")
    >>> shown(RestoredLacuna(lac, (Candidate("L", 0.9),))).text
    'L'
    >>> shown(RestoredLacuna(lac, (Candidate("L", 0.1),))), shown(RestoredLacuna(lac, ()))
    (None, None)
    """
    best = rl.best
    return best if best is not None and certainty(best.confidence) else None


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


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the edition: per witness (collation order) a character range of its text,
    and the witness whose reading is the lemma here."""

    ranges: tuple[tuple[int, int], ...]
    base: str


@dataclass(frozen=True)
class Edition:
    """A collated edition: collation, restorations per witness, base choice and segments.

    Build it with :func:`make_edition`; render it with
    :func:`collate.render.render_edition` (TEI, HTML, Leiden text, JSON).

    >>> ed = make_edition([("A", "The cat sat."), ("B", "The cot sat.")], base="A")
    >>> [ed.reading(i, "B") for i in range(len(ed.segments))]
    ['The ', 'cot ', 'sat.']
    """

    collation: Collation
    restorations: Mapping[str, Restoration]
    base: str
    segments: tuple[Segment, ...]
    sigla: Mapping[str, str] = field(default_factory=dict)
    consensus: _cons.Consensus | None = None
    """With ``base="consensus"``: per segment the consensus text (as spans traceable to
    witness offsets) and its confidence, and the reliability weight of every witness."""

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

    @property
    def ids(self) -> list[str]:
        """Witness ids in collation order."""
        return list(self._ids)

    @property
    def witnesses(self) -> tuple[Witness, ...]:
        """The witnesses, in collation order."""
        return self.collation.witnesses

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

    def text(self, wid: str) -> str:
        """The full original text of witness ``wid``."""
        return self.witnesses[self._index[wid]].text

    def reading(self, seg: int, wid: str) -> str:
        """The verbatim text witness ``wid`` has in segment ``seg``."""
        a, b = self.segments[seg].ranges[self._index[wid]]
        return self.text(wid)[a:b]

    def pieces(self, seg: int, wid: str) -> list[Piece]:
        """The reading of ``wid`` in ``seg`` as plain strings and restored lacunae, in order;
        joining the strings and the lacunae's markers gives :meth:`reading`."""
        a, b = self.segments[seg].ranges[self._index[wid]]
        return split(self.text(wid), self._lacunae(wid, a, b), a, b)

    def groups(self, seg: int) -> list[list[str]]:
        """Witnesses grouped by identical reading (text and restorations) in ``seg``; the
        group holding the segment's base witness comes first."""
        ids = self._ids
        if len(ids) == 1:
            return [[ids[0]]]
        by_key: dict[tuple[Any, ...], list[str]] = {}
        for k, wid in enumerate(ids):
            by_key.setdefault(self._reading_key(seg, k, wid), []).append(wid)
        groups = list(by_key.values())
        base = self.segments[seg].base
        groups.sort(key=lambda g: base not in g)
        return groups

    def variants(self, seg: int) -> list[list[str]]:
        """:meth:`groups` with groups that differ only in whitespace merged: the readings an
        apparatus shows (a line break in one edition and a space in another is no variant).

        >>> ed = make_edition([("A", "a b c"), ("B", "a b\\nc")])
        >>> seg = range(len(ed.segments))
        >>> max(len(ed.groups(i)) for i in seg), max(len(ed.variants(i)) for i in seg)
        (2, 1)
        """
        merged: dict[str, list[str]] = {}
        for group in self.groups(seg):
            text = restored_text(self.pieces(seg, group[0]))
            merged.setdefault(" ".join(text.split()), []).extend(group)
        return list(merged.values())

    def is_variant(self, seg: int) -> bool:
        """Whether the witnesses differ in segment ``seg``.

        >>> ed = make_edition([("A", "a b"), ("B", "a c")])
        >>> [ed.is_variant(i) for i in range(len(ed.segments))]
        [False, True]
        """
        ids = self._ids
        if len(ids) < 2:
            return False
        first = self._reading_key(seg, 0, ids[0])
        return any(self._reading_key(seg, k, wid) != first for k, wid in enumerate(ids) if k)

    def base_pieces(self, seg: int) -> list[Piece]:
        """The lemma of segment ``seg`` as pieces."""
        return self.pieces(seg, self.segments[seg].base)

    def base_text(self, *, restored: bool = True) -> str:
        """The base text; with ``restored``, confident restorations fill their lacunae.

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
            for p in self.base_pieces(i):
                out.append(p if isinstance(p, str) else _fill(p) if restored else p.lacuna.marker)
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: witnesses, segments as groups of readings, and restorations.

        Every witness is rebuilt by joining, over ``segments``, the ``text`` of the reading
        whose ``wit`` lists it (:func:`rebuild_witness`).

        >>> d = make_edition([("A", "a b"), ("B", "a c")]).to_dict()
        >>> [r["wit"] for r in d["segments"][-1]["readings"]]
        [['A'], ['B']]
        """
        segs = []
        for i, s in enumerate(self.segments):
            seg: dict[str, Any] = {
                "base": s.base,
                "readings": [
                    {"wit": g, "text": self.reading(i, g[0])} for g in self.groups(i)
                ],
            }
            if self.consensus is not None:
                place = self.consensus.places[i]
                seg["confidence"] = round(place.confidence, 4)
                seg["consensus"] = [{"wit": x.wit, "start": x.start, "end": x.end,
                                     "text": x.text, "restored": x.lacuna is not None}
                                    for x in place.spans]
            segs.append(seg)
        weights = self.consensus.weights if self.consensus is not None else {}
        return {
            "base": self.base,
            "witnesses": [
                {"id": w.id, "siglum": self.sigla[w.id], "source": w.source}
                | ({"weight": round(weights[w.id], 4)} if w.id in weights else {})
                for w in self.witnesses
            ],
            "text": self.base_text(),
            "segments": segs,
            "restorations": {wid: r.to_dict() for wid, r in self.restorations.items()},
        }

    @cached_property
    def _ids(self) -> tuple[str, ...]:
        return tuple(self.collation.ids)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {wid: k for k, wid in enumerate(self._ids)}

    def _reading_key(self, seg: int, k: int, wid: str) -> tuple[Any, ...]:
        """What makes the reading of witness ``wid`` (the k-th) in ``seg`` the same as
        another's: its text, and each lacuna's marker and filling (cheap without lacunae)."""
        a, b = self.segments[seg].ranges[k]
        text = self.witnesses[k].text
        lacunae = self._lacunae(wid, a, b)
        if not lacunae:
            return (text[a:b],) if b > a else ()
        return _key(split(text, lacunae, a, b))

    @cached_property
    def _sorted(self) -> dict[str, tuple[list[int], list[RestoredLacuna]]]:
        out = {}
        for wid, r in self.restorations.items():
            lac = sorted(r.lacunae, key=lambda rl: rl.lacuna.start)
            out[wid] = ([rl.lacuna.start for rl in lac], lac)
        return out

    def _lacunae(self, wid: str, a: int, b: int) -> list[RestoredLacuna]:
        starts, lac = self._sorted.get(wid, ([], []))
        return lac[bisect_left(starts, a) : bisect_left(starts, b)]


def _fill(rl: RestoredLacuna) -> str:
    """A lacuna's confident restoration, or its marker when none is confident enough."""
    best = shown(rl)
    return best.text if best is not None else rl.lacuna.marker


def split(
    text: str, lacunae: Iterable[RestoredLacuna], start: int = 0, end: int | None = None
) -> list[Piece]:
    """``text[start:end]`` as plain strings and the restored ``lacunae`` (sorted, all inside
    the range), in order; joining the strings and the lacunae's markers gives the text.

    >>> from collate.model import Lacuna
    >>> rl = RestoredLacuna(Lacuna(0, 2, "□□", 1, 3, "in-word", "box"), ())
    >>> split("□□ately", [rl]) == [rl, "ately"]
    True
    """
    end = len(text) if end is None else end
    out: list[Piece] = []
    pos = start
    for rl in lacunae:
        if rl.lacuna.start > pos:
            out.append(text[pos : rl.lacuna.start])
        out.append(rl)
        pos = rl.lacuna.end
    if pos < end:
        out.append(text[pos:end])
    return out


def rebuild_witness(data: Mapping[str, Any], wid: str) -> str:
    """Witness ``wid``'s exact text from the JSON form (:meth:`Edition.to_dict`).

    >>> rebuild_witness(make_edition([("A", "a b\\n"), ("B", "a c")]).to_dict(), "A")
    'a b\\n'
    """
    return "".join(r["text"] for s in data["segments"] for r in s["readings"] if wid in r["wit"])


def restored_text(pieces: Iterable[Piece]) -> str:
    """Pieces joined, each lacuna filled with its confident restoration (else its marker).

    >>> from collate.model import Candidate, Lacuna
    >>> lac = Lacuna(0, 2, "□□", 1, 3, "in-word", "box")
    >>> restored_text([RestoredLacuna(lac, (Candidate("L", 0.9),)), "ately"])
    'Lately'
    """
    return "".join(p if isinstance(p, str) else _fill(p) for p in pieces)


def _key(pieces: Sequence[Piece]) -> tuple[Any, ...]:
    return tuple(p if isinstance(p, str) else (p.lacuna.marker, _fill(p)) for p in pieces)


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
) -> Edition:
    """Collate all witnesses, restore every lacuna of every witness, choose the base text.

    Parameters
    ----------
    witnesses : iterable of str, (id, text) or Witness
        Strings (sigla A, B, …), ``(id, text)`` pairs or :class:`~collate.model.Witness`
        objects; a :class:`~collate.xmlsource.TeiWitness` brings its editor's restorations,
        which are kept as they are (only its other lacunae are restored).
    base : str
        A witness id, or ``"consensus"`` (see the module docstring for how it is chosen).
    near : float or None
        Fuzzy-match threshold passed on to :func:`collate.collate`.
    corpus, lang, top, model, workers
        Passed on to :func:`collate.restore` (extra texts for the language model, the
        language, how many candidates to keep per lacuna, a restoration model or its path,
        the processes that fill the lacunae).
    restore : bool
        ``False`` skips restoration: every lacuna stays a gap (editors' restorations from
        TEI are still kept). ``collate align --format tei|html`` uses this.
    progress : bool, optional
        Show a progress bar (collating, restoring each witness, choosing the base) on
        standard error; by default only when standard error is a terminal.
    processor : callable or str, optional
        The match level passed on to :func:`collate.collate`, or its names as
        ``--normalize`` takes them (``"case,accents"``, see :func:`collate.normalize.level`).

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
            restorations[w.id] = _restore(
                w, [o for o in wits if o.id != w.id] if restore else None,
                corpus=corpus, lang=lang, top=top, model=model, workers=workers,
                reliability=reliability)
        bar.update(1)
        bar.set_postfix_str("choosing the base")
        edition = build_edition(collation, restorations, base=base, lang=lang,
                                reliability=reliability)
        bar.update(1)
    return edition


def _processor(processor: Callable[[str], str] | str | None) -> Callable[[str], str] | None:
    """A match level given by its names (``"case,accents"``) as the function it stands for."""
    if isinstance(processor, str):
        from collate.normalize import level

        return level(processor)
    return processor


def _restore(w: Witness, others: list[Witness] | None, **kw: Any) -> Restoration:
    """Restore one witness (``others`` None: only find its lacunae); an editor's supplied
    restorations (TEI) win where they lie."""
    from collate.lacunae import detect

    editor = w.supplied if isinstance(w, TeiWitness) else ()
    lacunae = detect(w.text)
    if not lacunae and not editor:
        return Restoration(w.id, w.text, ())
    if others is None:
        found = tuple(RestoredLacuna(lac, ()) for lac in lacunae)
    else:
        from collate.restoration import restore

        found = restore(w.text, witnesses=[(o.id, o.text) for o in others], **kw).lacunae
    return with_editor(Restoration(w.id, w.text, found), w)


def build_edition(
    collation: Collation,
    restorations: Mapping[str, Restoration] | None = None,
    *,
    base: str = "consensus",
    lang: str | None = None,
    reliability: Reliability | None = None,
) -> Edition:
    """An :class:`Edition` from a ready collation and restorations (missing ones: none).

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
    rest = {w.id: (restorations or {}).get(w.id) or Restoration(w.id, w.text, ())
            for w in collation.witnesses}
    ranges = _column_ranges(collation)
    cuts = _allowed_cuts(collation, rest, ranges)
    lang = lang or _language(collation)
    sigla: dict[str, str] = {}
    for wid in collation.ids:
        sigla[wid] = ncname(wid, sigla.values())
    fine = Edition(collation, rest, base, tuple(_segments(ranges, cuts, collation.ids)), sigla)
    places = Edition(collation, rest, base, _merge(fine), sigla)
    if base != "consensus":
        segments = tuple(Segment(seg.ranges, base) for seg in places.segments)
        return Edition(collation, rest, base, segments, sigla)
    readings = [
        {wid: _cons.reading(wid, places.pieces(i, wid), seg.ranges[k][0], _fill)
         for k, wid in enumerate(collation.ids)}
        for i, seg in enumerate(places.segments)
    ]
    found = _cons.build(readings, reliability or estimate(collation, lang), lang)
    segments = tuple(Segment(seg.ranges, place.lemma)
                     for seg, place in zip(places.segments, found.places, strict=True))
    return Edition(collation, rest, base, segments, sigla, found)


def _language(collation: Collation) -> str:
    """The wordfreq language of the first witness (English when none is recognised)."""
    from collate.restoration.lexicon import detect_language

    first = collation.witnesses[0].text[:20_000] if collation.witnesses else ""
    return detect_language(first) or "en"


def _column_ranges(collation: Collation) -> list[tuple[tuple[int, int], ...]]:
    """Per column, per witness, the character range its cell covers (cells tile the text)."""
    columns = collation.columns
    per: list[list[tuple[int, int]]] = []  # per witness, per column: its character range
    cursors = []
    for k, w in enumerate(collation.witnesses):
        # characters before each token (prefix sums), then the cells' lengths, summed up
        cum = list(accumulate((len(t.text) + len(t.ws) for t in collation.tokens[w.id]),
                              initial=0))
        ends = list(accumulate(cum[j] - cum[i] for i, j in columns.ranges(k)))
        per.append(list(zip(chain([0], ends), ends, strict=False)))  # (start, end) per cell
        cursors.append(ends[-1] if ends else 0)
    out = list(zip(*per, strict=True)) if per else [() for _ in columns]
    for w, end in zip(collation.witnesses, cursors, strict=True):
        if end != len(w.text):
            raise ValueError(f"the collation's cells do not tile witness {w.id!r}")
    return out


def _allowed_cuts(
    collation: Collation, rest: Mapping[str, Restoration], ranges: list[tuple[tuple[int, int], ...]]
) -> list[bool]:
    """Whether a segment may end after column ``k``: no witness's lacuna straddles the cut."""
    inner: list[set[int]] = []
    for w in collation.witnesses:
        s: set[int] = set()
        for rl in rest[w.id].lacunae:
            s.update(range(rl.lacuna.start + 1, rl.lacuna.end))
        inner.append(s)
    cuts = [True] * len(ranges)
    for k, s in enumerate(inner):  # per witness with lacunae: its cells' ends checked
        if s:
            cuts = [c and row[k][1] not in s for c, row in zip(cuts, ranges, strict=True)]
    return cuts


def _segments(
    ranges: list[tuple[tuple[int, int], ...]], cuts: list[bool], ids: list[str]
) -> Iterable[Segment]:
    """Columns cut into segments where allowed; the last column always ends one."""
    if not ranges:
        yield Segment(tuple((0, 0) for _ in ids), ids[0])
        return
    start: tuple[tuple[int, int], ...] | None = None
    for row, cut in zip(ranges, cuts, strict=True):
        start = start or row
        if cut:
            yield Segment(row if start is row else _span(start, row), ids[0])
            start = None
    if start is not None:
        yield Segment(_span(start, ranges[-1]), ids[0])


def _span(
    first: tuple[tuple[int, int], ...], last: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int], ...]:
    return tuple((a[0], b[1]) for a, b in zip(first, last, strict=True))


def _merge(ed: Edition) -> tuple[Segment, ...]:
    """Merge neighbouring segments that are both invariant or both variant (up to
    :data:`MAX_SEGMENT_CHARS`): a variant place is then one segment, judged and printed as a
    whole (``1.`` against ``☐☐☐``, ``Gold-`` + ``fields`` against ``Goldfields``)."""
    out: list[Segment] = []
    first: Segment | None = None  # the first and last segment of the run being merged
    last: Segment | None = None
    last_variant: bool | None = None
    for i, seg in enumerate(ed.segments):
        variant = ed.is_variant(i)
        if (first is not None and last is not None and variant == last_variant
                and last.ranges[0][1] - first.ranges[0][0] < MAX_SEGMENT_CHARS):
            last = seg
            continue
        if first is not None and last is not None:
            out.append(Segment(_span(first.ranges, last.ranges), last.base))
        first = last = seg
        last_variant = variant
    if first is not None and last is not None:
        out.append(Segment(_span(first.ranges, last.ranges), last.base))
    return tuple(out)
