"""The data every stage passes on: witnesses, lacunae, tokens, candidates, collations.

Every object keeps code-point offsets into the text it came from, so any output can be
traced back to the exact input (see ``../shared/DESIGN.md``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

LacunaKind = Literal["in-word", "word", "line", "unknown"]
OpTag = Literal["equal", "replace", "delete", "insert"]


@dataclass(frozen=True, slots=True)
class Witness:
    """One transcription of a text: a siglum, the text exactly as read, and where it came from.

    >>> Witness("A", "Lately").text
    'Lately'
    """

    id: str
    text: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Lacuna:
    """A lost stretch of a witness: a span of the input, never an edit of it.

    ``start``/``end`` are code-point offsets (end exclusive) with ``marker == text[start:end]``;
    ``min_chars``/``max_chars`` bound how many characters were lost (``None``: unknown).

    >>> Lacuna(0, 2, "□□", 1, 3, "in-word", "box").to_dict()["max_chars"]
    3
    """

    start: int
    end: int
    marker: str
    min_chars: int
    max_chars: int | None
    kind: LacunaKind
    convention: str

    def to_dict(self) -> dict[str, Any]:
        """The fields in the order DESIGN.md fixes for JSON output."""
        return {
            "start": self.start,
            "end": self.end,
            "marker": self.marker,
            "min_chars": self.min_chars,
            "max_chars": self.max_chars,
            "kind": self.kind,
            "convention": self.convention,
        }

    def admits(self, length: int) -> bool:
        """Whether a filling of ``length`` characters fits the length estimate.

        >>> Lacuna(0, 2, "□□", 1, 3, "in-word", "box").admits(4)
        False
        """
        return length >= self.min_chars and (self.max_chars is None or length <= self.max_chars)


@dataclass(frozen=True, slots=True)
class Token:
    """A token of a witness, non-destructive: ``text + ws`` over all tokens rebuilds the input.

    ``norm`` is the normalized form used for matching (CollateX ``n``); ``start``/``end`` index
    ``text`` in the witness; ``lacunae`` are the lacunae the token overlaps.

    >>> Token("Lately", " ", "lately", 0, 6).text_with_ws
    'Lately '
    """

    text: str
    ws: str
    norm: str
    start: int
    end: int
    lacunae: tuple[Lacuna, ...] = ()

    @property
    def text_with_ws(self) -> str:
        """The verbatim text followed by its trailing whitespace."""
        return self.text + self.ws

    @property
    def damaged(self) -> bool:
        """Whether any lacuna overlaps this token."""
        return bool(self.lacunae)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed reconstruction of one lacuna.

    ``confidence`` is the estimated probability that ``text`` is exactly the lost text;
    ``sources`` name the evidence (``"witness:B"``, ``"lm"``, ``"lexicon"``, ...).

    >>> Candidate("L", 0.91, ("lm",)).to_dict()
    {'text': 'L', 'confidence': 0.91, 'sources': ['lm']}
    """

    text: str
    confidence: float
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form as DESIGN.md fixes it."""
        return {"text": self.text, "confidence": self.confidence, "sources": list(self.sources)}


@dataclass(frozen=True, slots=True)
class RestoredLacuna:
    """A lacuna with its ranked candidates (best first, confidences summing to at most 1)."""

    lacuna: Lacuna
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate | None:
        """The first candidate, or ``None`` when nothing could be proposed."""
        return self.candidates[0] if self.candidates else None

    def to_dict(self) -> dict[str, Any]:
        """The lacuna's fields, then its candidates, as in ``collate restore --format json``."""
        out = self.lacuna.to_dict()
        out["candidates"] = [c.to_dict() for c in self.candidates]
        return out


@dataclass(frozen=True, slots=True)
class Restoration:
    """The result of :func:`collate.restore`: every lacuna of one witness with its candidates.

    ``restored`` is the text with each lacuna replaced by its first candidate (lacunae without
    a candidate keep their marker); :meth:`spans` maps it back to input offsets.
    """

    witness: str
    text: str
    lacunae: tuple[RestoredLacuna, ...]

    @property
    def restored(self) -> str:
        """The input with every lacuna replaced by its first candidate."""
        return "".join(piece for piece, _ in self._pieces())

    def spans(self) -> list[tuple[int, int, int, int]]:
        """``(in_start, in_end, out_start, out_end)`` for each piece; they tile both texts."""
        out: list[tuple[int, int, int, int]] = []
        pos_out = 0
        for piece, (a, b) in self._pieces():
            out.append((a, b, pos_out, pos_out + len(piece)))
            pos_out += len(piece)
        return out

    def _pieces(self) -> Iterator[tuple[str, tuple[int, int]]]:
        pos = 0
        for item in sorted(self.lacunae, key=lambda r: r.lacuna.start):
            lac = item.lacuna
            if lac.start > pos:
                yield self.text[pos : lac.start], (pos, lac.start)
            best = item.best
            yield (best.text if best is not None else lac.marker), (lac.start, lac.end)
            pos = lac.end
        if pos < len(self.text) or not self.text:
            yield self.text[pos:], (pos, len(self.text))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``collate restore --format json``."""
        return {
            "witness": self.witness,
            "lacunae": [r.to_dict() for r in self.lacunae],
            "restored": self.restored,
        }


@dataclass(frozen=True, slots=True)
class Transposition:
    """A block of tokens that two witnesses have in different places (token index ranges)."""

    a: str
    a_range: tuple[int, int]
    b: str
    b_range: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an alignment table: for each witness (in collation order) a half-open
    range of token indices; an empty range means the witness has nothing here."""

    cells: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Collation:
    """An alignment of several witnesses: columns of token ranges, one range per witness.

    Concatenating a witness's cells over all columns gives back its tokens, hence its text.
    """

    witnesses: tuple[Witness, ...]
    tokens: Mapping[str, tuple[Token, ...]]
    columns: tuple[Column, ...]
    transpositions: tuple[Transposition, ...] = field(default=())

    @property
    def ids(self) -> list[str]:
        """The witness sigla in collation order."""
        return [w.id for w in self.witnesses]

    def cell(self, column: int, witness: str) -> tuple[Token, ...]:
        """The tokens witness ``witness`` has in column ``column``."""
        i, j = self.columns[column].cells[self.ids.index(witness)]
        return self.tokens[witness][i:j]

    def reading(self, column: int, witness: str) -> str:
        """The verbatim text (with trailing whitespace) a witness has in a column."""
        return "".join(t.text_with_ws for t in self.cell(column, witness))
