"""The account of the evidence: what each witness reads at each place, and how it stands.

Between restoration and the renderers. An :class:`Evidence` cuts the alignment into
*segments*: runs of alignment columns where no lacuna of any witness crosses a boundary,
consecutive invariant (or variant) columns merged. In each segment every witness has a
character range of its own text, so that concatenating a witness's readings over all
segments gives back that witness exactly (the renderers keep this law; tests rebuild every
witness from the TEI and the JSON).

Each witness's reading of a segment has one :class:`Status`, decided here once and drawn by
every renderer as it is: the witness's own text (*attested*, or *unclear* where its editor
marked it so), text its editor supplied (*supplied*), a lacuna restored by collate with a
confidence of at least ``min_confidence`` (*restored*), a lacuna left open (*lost*), or
nothing at all where others have text (*absent*). Readings are grouped by what the witnesses
attest, so a lost or restored witness is never counted among those that attest a reading:
an apparatus writes ``lac. D`` or ``[council] D (98 %)``, as editors do.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from itertools import accumulate, chain, pairwise
from operator import add
from typing import Any

from collate.model import (
    MIN_CONFIDENCE,
    Collation,
    Mark,
    Restoration,
    RestoredLacuna,
    Tokens,
    Witness,
)

CERTAINTY = (("high", 0.8), ("medium", 0.5), ("low", 0.0))
"""Names of confidence bands, as TEI ``@cert`` writes them (and the HTML colours them)."""

MAX_SEGMENT_CHARS = 2000
"""Neighbouring invariant (or variant) columns merge into one segment up to about this size."""

Piece = str | RestoredLacuna

EDITORIAL = ("supplied", "unclear")
"""The kinds of editor's marks a reading text draws on the text they cover."""


@dataclass(frozen=True, slots=True)
class Marked:
    """A stretch of a reading's text that its editor marked (supplied, unclear)."""

    text: str
    mark: Mark


class Status(StrEnum):
    """How a witness's reading of a place stands, from the surest to the emptiest."""

    ATTESTED = "attested"
    """The witness's own legible text."""
    UNCLEAR = "unclear"
    """The witness's text, marked unclear by its editor (TEI ``<unclear>``)."""
    SUPPLIED = "supplied"
    """Holds text an editor supplied where the witness is lost (TEI ``<supplied>``)."""
    RESTORED = "restored"
    """Holds a lacuna, every one filled by collate at ``min_confidence`` or above."""
    LOST = "lost"
    """Holds a lacuna that stays open: no candidate reaches ``min_confidence``."""
    ABSENT = "absent"
    """The witness has nothing here (an omission)."""


_RANK = {s: k for k, s in enumerate(Status)}
_MARKED = {"supplied": Status.SUPPLIED, "unclear": Status.UNCLEAR}


def certainty(confidence: float) -> str:
    """The TEI ``@cert`` band of a confidence.

    >>> certainty(0.91), certainty(0.6), certainty(0.3)
    ('high', 'medium', 'low')
    """
    return next(name for name, floor in CERTAINTY if confidence >= floor)


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


def restored_text(pieces: Iterable[Piece], min_confidence: float = MIN_CONFIDENCE) -> str:
    """Pieces joined, each lacuna filled with its accepted restoration (else its marker).

    >>> from collate.model import Candidate, Lacuna
    >>> lac = Lacuna(0, 2, "□□", 1, 3, "in-word", "box")
    >>> restored_text([RestoredLacuna(lac, (Candidate("L", 0.9),)), "ately"])
    'Lately'
    >>> restored_text([RestoredLacuna(lac, (Candidate("L", 0.3),)), "ately"])
    '□□ately'
    """
    return "".join(p if isinstance(p, str) else filled(p, min_confidence) for p in pieces)


def filled(rl: RestoredLacuna, min_confidence: float = MIN_CONFIDENCE) -> str:
    """What a lacuna puts into a text: its accepted restoration, else its marker."""
    best = rl.accepted(min_confidence)
    return best.text if best is not None else rl.lacuna.marker


def rebuild_witness(data: Mapping[str, Any], wid: str) -> str:
    """Witness ``wid``'s exact text from an edition's JSON form
    (:meth:`collate.edition.Edition.to_dict`).

    >>> from collate.edition import make_edition
    >>> rebuild_witness(make_edition([("A", "a b\\n"), ("B", "a c")]).to_dict(), "A")
    'a b\\n'
    """
    return "".join(r["text"] for s in data["segments"] for r in s["readings"] if wid in r["wit"])


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the edition: per witness (collation order) a character range of its text,
    and the witness whose reading is the lemma here."""

    ranges: tuple[tuple[int, int], ...]
    base: str


@dataclass(frozen=True, slots=True)
class Reading:
    """What one witness reads in one segment: its pieces (verbatim text and lacunae), the
    editor's marks inside it, and its :class:`Status`."""

    wit: str
    start: int
    end: int
    pieces: tuple[Piece, ...]
    status: Status
    marks: tuple[Mark, ...] = ()

    @property
    def text(self) -> str:
        """The verbatim text of the reading (lacunae as their markers)."""
        return "".join(p if isinstance(p, str) else p.lacuna.marker for p in self.pieces)

    def parts(self) -> list[Piece | Marked]:
        """:attr:`pieces` with the stretches its editor supplied or marked unclear
        (:data:`EDITORIAL`) cut out as :class:`Marked`, in order.

        >>> r = Reading("E", 10, 27, ("the eastern gate",), Status.SUPPLIED,
        ...             (Mark(14, 21, "supplied"),))
        >>> [p if isinstance(p, str) else p.text for p in r.parts()]
        ['the ', 'eastern', ' gate']
        """
        marks = [m for m in self.marks if m.kind in EDITORIAL]
        if not marks:
            return list(self.pieces)
        out: list[Piece | Marked] = []
        pos = self.start
        for p in self.pieces:
            if not isinstance(p, str):
                out.append(p)
                pos = p.lacuna.end
                continue
            cuts = sorted({0, len(p)} | {min(max(x - pos, 0), len(p))
                                         for m in marks for x in (m.start, m.end)})
            for a, b in pairwise(cuts):
                mark = next((m for m in marks if m.start <= pos + a and pos + b <= m.end), None)
                out.append(p[a:b] if mark is None else Marked(p[a:b], mark))
            pos += len(p)
        return out

    @property
    def lacunae(self) -> list[RestoredLacuna]:
        """The lacunae inside the reading, in order."""
        return [p for p in self.pieces if not isinstance(p, str)]

    def confidence(self, min_confidence: float = MIN_CONFIDENCE) -> float | None:
        """For a restored reading, the probability that all its restorations are right (the
        product of their confidences); ``None`` for one without restorations."""
        accepted = [rl.accepted(min_confidence) for rl in self.lacunae]
        if not accepted or None in accepted:
            return None
        p = 1.0
        for cand in accepted:
            p *= cand.confidence if cand is not None else 1.0
        return p


@dataclass(frozen=True)
class Evidence:
    """What every witness reads in every segment, and how each reading stands.

    Build it with :func:`collate.edition.make_edition` (which collates, restores and
    chooses the lemma) or :func:`account`.

    >>> from collate.edition import make_edition
    >>> ev = make_edition([("A", "The cat sat."), ("B", "The c□t sat.")], base="A")
    >>> [(r.wit, r.status.value) for r in ev.readings(1)]
    [('A', 'attested'), ('B', 'restored')]
    """

    collation: Collation
    restorations: Mapping[str, Restoration]
    segments: tuple[Segment, ...]
    sigla: Mapping[str, str] = field(default_factory=dict)
    min_confidence: float = MIN_CONFIDENCE
    """The confidence a restoration needs to be printed in a text (else the lacuna stays)."""

    @property
    def ids(self) -> list[str]:
        """Witness ids in collation order."""
        return list(self._ids)

    @property
    def witnesses(self) -> tuple[Witness, ...]:
        """The witnesses, in collation order."""
        return self.collation.witnesses

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

    def pieces_between(self, wid: str, a: int, b: int) -> list[Piece]:
        """``wid``'s text ``[a, b)`` as pieces, whatever the segments: the lacunae that lie
        wholly inside restored, any other as its marker (a consensus that reads a moved
        block away from its place, :mod:`collate.blocks`)."""
        inside = [rl for rl in self._lacunae(wid, a, b) if rl.lacuna.end <= b]
        return split(self.text(wid), inside, a, b)

    def witness_reading(self, seg: int, wid: str) -> Reading:
        """The :class:`Reading` of ``wid`` in ``seg``, with its status.

        >>> from collate.edition import make_edition
        >>> ev = make_edition([("A", "a b c"), ("B", "a c")], restore=False)
        >>> ev.witness_reading(1, "B").status
        <Status.ABSENT: 'absent'>
        """
        k = self._index[wid]
        a, b = self.segments[seg].ranges[k]
        pieces = tuple(split(self.text(wid), self._lacunae(wid, a, b), a, b))
        marks = self._marks(k, a, b)
        return Reading(wid, a, b, pieces, self._status(pieces, marks), marks)

    def readings(self, seg: int) -> list[Reading]:
        """Every witness's :class:`Reading` of ``seg``, in collation order."""
        return [self.witness_reading(seg, wid) for wid in self._ids]

    def status(self, seg: int, wid: str) -> Status:
        """The :class:`Status` of ``wid``'s reading of ``seg``."""
        return self.witness_reading(seg, wid).status

    def groups(self, seg: int) -> list[list[str]]:
        """Witnesses grouped by identical reading (text, lacunae and their restorations, and
        status); the group holding the segment's base witness comes first."""
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
        """The readings an apparatus shows: :meth:`groups` with groups of one status that
        differ only in whitespace merged (a line break in one edition and a space in another
        is no variant); the lemma's group first, then the attested readings, then the
        supplied, restored, lost and absent ones. A lost or restored witness never joins a
        group that attests the text.

        >>> from collate.edition import make_edition
        >>> ed = make_edition([("A", "a b c"), ("B", "a b\\nc")])
        >>> seg = range(len(ed.segments))
        >>> max(len(ed.groups(i)) for i in seg), max(len(ed.variants(i)) for i in seg)
        (2, 1)
        """
        merged: dict[tuple[Status, Any], list[str]] = {}
        status: dict[str, Status] = {}
        for group in self.groups(seg):
            r = self.witness_reading(seg, group[0])
            text = restored_text(r.pieces, self.min_confidence)
            key = (r.status, " ".join(text.split()))
            if r.status in (Status.RESTORED, Status.LOST):
                key = (r.status, self._reading_key(seg, self._index[group[0]], group[0]))
            merged.setdefault(key, []).extend(group)
            status.update((w, r.status) for w in group)
        out = list(merged.values())
        base = self.segments[seg].base
        out.sort(key=lambda g: (base not in g, _RANK[status[g[0]]]))
        return out

    def is_variant(self, seg: int) -> bool:
        """Whether the witnesses differ (in text or in how they stand) in segment ``seg``.

        >>> from collate.edition import make_edition
        >>> ed = make_edition([("A", "a b"), ("B", "a c")])
        >>> [ed.is_variant(i) for i in range(len(ed.segments))]
        [False, True]
        """
        ids = self._ids
        if len(ids) < 2:
            return False
        first = self._reading_key(seg, 0, ids[0])
        return any(self._reading_key(seg, k, ids[k]) != first for k in range(1, len(ids)))

    def base_pieces(self, seg: int) -> list[Piece]:
        """The lemma of segment ``seg`` as pieces."""
        return self.pieces(seg, self.segments[seg].base)

    @cached_property
    def _ids(self) -> tuple[str, ...]:
        return tuple(self.collation.ids)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {wid: k for k, wid in enumerate(self._ids)}

    def _status(self, pieces: Sequence[Piece], marks: Sequence[Mark]) -> Status:
        """A reading's status: its weakest part (an open lacuna, a restored one, supplied,
        unclear text), absent where it holds no visible character."""
        found = Status.ATTESTED
        for p in pieces:
            if not isinstance(p, str):
                found = max(found, Status.RESTORED if p.accepted(self.min_confidence)
                            else Status.LOST, key=_RANK.__getitem__)
        for m in marks:
            found = max(found, _MARKED.get(m.kind, Status.ATTESTED), key=_RANK.__getitem__)
        if found is Status.ATTESTED and not any(isinstance(p, str) and p.strip()
                                                for p in pieces):
            return Status.ABSENT
        return found

    def _marks(self, k: int, a: int, b: int) -> tuple[Mark, ...]:
        """The editor's marks of witness ``k`` overlapping ``[a, b)`` (none without markup)."""
        marks = self.witnesses[k].marks
        if not marks:
            return ()
        return tuple(m for m in marks if (m.start < b and a < m.end)
                     or (m.start == m.end and a <= m.start < b))

    def _reading_key(self, seg: int, k: int, wid: str) -> tuple[Any, ...]:
        """What makes the reading of witness ``wid`` (the k-th) in ``seg`` the same as
        another's: its text, each lacuna's marker and printed filling, and the editor's
        marks (cheap without lacunae or marks)."""
        a, b = self.segments[seg].ranges[k]
        text, starts, marked = self._plain[k]
        if ((not starts or bisect_left(starts, a) == bisect_left(starts, b))
                and not (marked and self._marks(k, a, b))):  # neither lacunae nor marks
            return (text[a:b],) if b > a else ()
        lacunae = self._lacunae(wid, a, b)
        marks = self._marks(k, a, b)
        key = tuple(p if isinstance(p, str) else (p.lacuna.marker, filled(p, self.min_confidence))
                    for p in split(text, lacunae, a, b))
        return key + tuple((m.kind, m.start - a, m.end - a) for m in marks)

    @cached_property
    def _plain(self) -> list[tuple[str, list[int], bool]]:
        """Per witness (in collation order): its text, where its lacunae start (sorted) and
        whether it has marks: what :meth:`_reading_key` needs to see a plain reading."""
        return [(w.text, self._sorted.get(w.id, ([], []))[0], bool(w.marks))
                for w in self.witnesses]

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


def account(
    collation: Collation,
    restorations: Mapping[str, Restoration] | None = None,
    *,
    sigla: Mapping[str, str] | None = None,
    min_confidence: float = MIN_CONFIDENCE,
) -> Evidence:
    """The :class:`Evidence` of a collation and its restorations (missing ones: none), cut
    into segments, each variant place one segment; the first witness is every lemma.

    >>> from collate.alignment import collate
    >>> ev = account(collate([("A", "a b"), ("B", "a c")]))
    >>> [ev.reading(i, "B") for i in range(len(ev.segments))]
    ['a ', 'c']
    """
    rest = {w.id: (restorations or {}).get(w.id) or Restoration(w.id, w.text, ())
            for w in collation.witnesses}
    ranges = _column_ranges(collation)
    cuts = _allowed_cuts(collation, rest, ranges)
    names = dict(sigla or {})
    fine = Evidence(collation, rest, tuple(_segments(ranges, cuts, collation.ids)), names,
                    min_confidence)
    return Evidence(collation, rest, _merge(fine), names, min_confidence)


def _column_ranges(collation: Collation) -> list[tuple[tuple[int, int], ...]]:
    """Per column, per witness, the character range its cell covers (cells tile the text)."""
    columns = collation.columns
    per: list[list[tuple[int, int]]] = []  # per witness, per column: its character range
    cursors = []
    for k, w in enumerate(collation.witnesses):
        # characters before each token (prefix sums), then the cells' lengths, summed up
        toks = collation.tokens[w.id]
        cols = Tokens.of(toks)
        cum = list(accumulate(map(add, map(len, cols.texts), map(len, cols.wss)), initial=0))
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
    """Whether a segment may end after column ``k``: no witness's lacuna or editor's mark
    straddles the cut."""
    inner: list[set[int]] = []
    for w in collation.witnesses:
        s: set[int] = set()
        for rl in rest[w.id].lacunae:
            s.update(range(rl.lacuna.start + 1, rl.lacuna.end))
        for m in w.marks:
            s.update(range(m.start + 1, m.end))
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


def _merge(ev: Evidence) -> tuple[Segment, ...]:
    """Merge neighbouring segments that are both invariant or both variant (up to
    :data:`MAX_SEGMENT_CHARS`): a variant place is then one segment, judged and printed as a
    whole (``1.`` against ``☐☐☐``, ``Gold-`` + ``fields`` against ``Goldfields``)."""
    out: list[Segment] = []
    first: Segment | None = None  # the first and last segment of the run being merged
    last: Segment | None = None
    last_variant: bool | None = None
    for i, seg in enumerate(ev.segments):
        variant = ev.is_variant(i)
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
