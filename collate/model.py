"""The data every stage passes on: witnesses, lacunae, tokens, candidates, collations.

Every object keeps code-point offsets into the text it came from, so any output can be
traced back to the exact input (see ``../shared/DESIGN.md``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, overload

import numpy as np

from collate.defaults import MIN_CONFIDENCE

LacunaKind = Literal["in-word", "word", "line", "unknown"]
OpTag = Literal["equal", "replace", "delete", "insert"]


@dataclass(frozen=True, slots=True)
class Witness:
    """One transcription of a text: a siglum, the text exactly as read, and where it came from.

    ``tokens`` is set only for witnesses given pretokenized (CollateX ``tokens`` input, whose
    ``t``/``n`` are kept); they must rebuild ``text``. Otherwise collate tokenizes ``text``.
    ``marks`` are an editor's statements about stretches of ``text`` (read from TEI/EpiDoc
    markup: supplied, unclear, gap, …); a plain witness has none.

    >>> Witness("A", "Lately").text
    'Lately'
    """

    id: str
    text: str
    source: str | None = None
    tokens: tuple[Token, ...] | None = None
    marks: tuple[Mark, ...] = ()
    """The editor's statements about stretches of the text (TEI/EpiDoc markup); none for a
    plain-text witness."""
    words: tuple[OcrWord, ...] = ()
    """What an OCR engine said about each word it read (confidence, page region, line end):
    read from ALTO, PAGE, hOCR or ABBYY XML; none for a plain-text witness."""


@dataclass(frozen=True, slots=True)
class Mark:
    """An editor's statement about a stretch of a witness's text, read from TEI/EpiDoc markup.

    ``start``/``end`` are code-point offsets into :attr:`Witness.text` (end exclusive);
    ``kind`` is the element that said it (``"supplied"``, ``"unclear"``, ``"gap"``, ``"sic"``,
    ``"corr"``, ``"orig"``, ``"reg"``, ``"abbr"``, ``"expan"``, ``"add"``, ``"del"``);
    ``reason``, ``cert`` and ``resp`` are its ``@reason``, ``@cert`` (as written) and
    ``@resp`` (else ``@source``); ``alternative`` is the other member of its ``<choice>``
    (the corr of a sic, the reg of an orig, the expansion of an abbreviation), if any;
    ``extent`` is a gap's size as the file states it (``"4 character"``, ``"unknown line"``).

    >>> Mark(4, 11, "supplied", reason="lost", cert="low").to_dict("The eastern wall")
    {'start': 4, 'end': 11, 'kind': 'supplied', 'reason': 'lost', 'cert': 'low', 'text': 'eastern'}
    """

    start: int
    end: int
    kind: str
    reason: str | None = None
    cert: str | None = None
    resp: str | None = None
    alternative: str | None = None
    extent: str | None = None

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        """The fields for JSON (those that are ``None`` left out), and ``"text"``, the stretch
        of ``text`` (the witness's text) the mark covers, when ``text`` is given."""
        out: dict[str, Any] = {"start": self.start, "end": self.end, "kind": self.kind}
        for key in ("reason", "cert", "resp", "alternative", "extent"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if text is not None:
            out["text"] = text[self.start : self.end]
        return out


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word as an OCR engine read it: where it sits in :attr:`Witness.text` and on the page.

    ``start``/``end`` are code-point offsets into the witness's text (end exclusive);
    ``confidence`` is the engine's own word confidence scaled to 0..1 (``None`` where the file
    gives none); ``chars`` the per-character confidences (0..1) where the file gives them;
    ``box`` the word's page coordinates ``(x0, y0, x1, y1)`` in the file's units; ``region``
    and ``line`` the ids (or ordinal labels) of its text block and line, in reading order;
    ``hyphenated`` marks a word the engine read as broken at its line end (its hyphen, ``-``
    ``¬`` or ``⸗``, is part of ``text[start:end]``).

    >>> OcrWord(0, 6, 0.93, box=(10, 20, 70, 40), region="r1", line="l1").confidence
    0.93
    """

    start: int
    end: int
    confidence: float | None = None
    chars: tuple[float, ...] | None = None
    box: tuple[int, int, int, int] | None = None
    region: str | None = None
    line: str | None = None
    hyphenated: bool = False


WitnessLike: TypeAlias = str | tuple[str, str] | Witness
"""What the library takes as a witness: a plain string, an ``(id, text)`` pair or a Witness."""


def witnesses_from(items: Iterable[WitnessLike]) -> list[Witness]:
    """Coerce plain strings (sigla A, B, C, …), ``(id, text)`` pairs or Witnesses.

    Raises
    ------
    TypeError
        For an item of another shape.
    ValueError
        When two witnesses share an id.

    Examples
    --------
    >>> [(w.id, w.text) for w in witnesses_from(["one", ("X", "two")])]
    [('A', 'one'), ('X', 'two')]
    """
    out: list[Witness] = []
    for n, item in enumerate(items):
        if isinstance(item, Witness):
            out.append(item)
        elif isinstance(item, str):
            out.append(Witness(siglum(n), item))
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(x, str) for x in item):
            out.append(Witness(item[0], item[1]))
        else:
            raise TypeError(f"witness {n}: expected str, (id, text) or Witness, not {item!r:.60}")
    ids = [w.id for w in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate witness ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return out


def siglum(n: int) -> str:
    """A, B, …, Z, A1, B1, … for the n-th anonymous witness.

    >>> siglum(0), siglum(25), siglum(26)
    ('A', 'Z', 'A1')
    """
    return chr(ord("A") + n % 26) + (str(n // 26) if n >= 26 else "")


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


class Tokens(Sequence[Token]):
    """A witness's tokens, packed as columns: the verbatim texts, trailing whitespace and
    norms (each distinct string once), the start and end offsets (machine integers in
    arrays), and the lacunae of the few damaged tokens by index.

    A book has some 100,000 tokens; the aligner and the JSON writer read these columns, and
    :class:`Token` objects are made only when a caller asks for one (then all at once, and
    kept, so a token is always the same object). It reads like a tuple of tokens.

    >>> toks = Tokens(["a", "c□t"], [" ", ""], ["a", "c□t"], [0, 2], [1, 5],
    ...               {1: (Lacuna(3, 4, "□", 1, 2, "in-word", "box"),)})
    >>> len(toks), toks.with_ws(0), toks[1].damaged, toks == tuple(toks)
    (2, 'a ', True, True)
    """

    __slots__ = ("__weakref__", "_breaks", "_items", "damage", "ends", "norms", "starts",
                 "texts", "wss")

    def __init__(self, texts: list[str], wss: list[str], norms: list[str],
                 starts: Iterable[int], ends: Iterable[int],
                 damage: dict[int, tuple[Lacuna, ...]]) -> None:
        self.texts, self.wss, self.norms = texts, wss, norms
        self.starts, self.ends = array("q", starts), array("q", ends)  # 8 bytes an offset
        self.damage = damage
        self._items: tuple[Token, ...] | None = None
        self._breaks: list[int] | None = None

    @classmethod
    def of(cls, tokens: Iterable[Token]) -> Tokens:
        """Tokens already made, packed (and kept as they are); tokens already packed are
        returned as they are."""
        if isinstance(tokens, Tokens):
            return tokens
        items = tuple(tokens)
        packed = cls([t.text for t in items], [t.ws for t in items], [t.norm for t in items],
                     [t.start for t in items], [t.end for t in items],
                     {k: t.lacunae for k, t in enumerate(items) if t.lacunae})
        packed._items = items
        return packed

    @property
    def items(self) -> tuple[Token, ...]:
        """Every token as a :class:`Token`, made on first use."""
        if self._items is None:
            self._items = self.made()
        return self._items

    def made(self) -> tuple[Token, ...]:
        """Every token as a :class:`Token` (those of :attr:`items` if made already), not kept
        here: a caller that holds them for a while (restoration) does not make columns
        that others share (:func:`collate.tokens.token_columns`) hold them for good.

        >>> toks = Tokens(["a"], [""], ["a"], [0], [1], {})
        >>> toks.made() == toks.items, toks.made() is toks.items
        (True, True)
        """
        if self._items is not None:
            return self._items
        items = list(map(Token, self.texts, self.wss, self.norms, self.starts, self.ends))
        for k, lacunae in self.damage.items():
            t = items[k]
            items[k] = Token(t.text, t.ws, t.norm, t.start, t.end, lacunae)
        return tuple(items)

    def line_breaks(self) -> list[int]:
        """The tokens whose trailing whitespace breaks the line, ascending, found on first
        use: the line a token stands on is then found by bisection, not by walking a book
        printed as one line token by token.

        >>> Tokens(["a", "b", "c"], [" ", "\\n", ""], ["a", "b", "c"], [0, 2, 4], [1, 3, 5],
        ...        {}).line_breaks()
        [1]
        """
        if self._breaks is None:
            self._breaks = [k for k, ws in enumerate(self.wss) if "\n" in ws]
        return self._breaks

    def with_ws(self, k: int) -> str:
        """The verbatim text of token ``k`` followed by its trailing whitespace."""
        return self.texts[k] + self.wss[k]

    def token(self, k: int) -> Token:
        """Token ``k`` (equal to ``self[k]``), made alone unless all are made already: the
        aligner reads a few tokens of a book this way without making them all.

        >>> toks = Tokens(["a"], [" "], ["a"], [0], [1], {})
        >>> toks.token(0) == toks[0], toks._items is None
        (True, True)
        """
        if self._items is not None:
            return self._items[k]
        return Token(self.texts[k], self.wss[k], self.norms[k], self.starts[k], self.ends[k],
                     self.damage.get(k, ()))

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Token, ...]: ...

    def __getitem__(self, index: int | slice) -> Token | tuple[Token, ...]:
        """A token (made alone until all are made: a stage that reads a few tokens of a
        book does not make two million), or a slice of them.

        >>> toks = Tokens(["a", "b"], [" ", ""], ["a", "b"], [0, 2], [1, 3], {})
        >>> toks[-1].text, toks._items is None, [t.text for t in toks[:1]]
        ('b', True, ['a'])
        """
        if self._items is None and isinstance(index, int):
            n = len(self.texts)
            if not -n <= index < n:
                raise IndexError("token index out of range")
            return self.token(index % n)
        return self.items[index]

    def __iter__(self) -> Iterator[Token]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Tokens):
            other = other.items
        return isinstance(other, Sequence) and self.items == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # equal to a tuple, so not hashable like one

    def __repr__(self) -> str:
        return f"Tokens({len(self)} tokens, {len(self.damage)} damaged)"


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
    reasons: tuple[str, ...] = ()
    """Why each source proposed it, in words a reader can check against the texts
    (:mod:`collate.restoration.reasons`), in the order of ``sources``."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form as DESIGN.md fixes it, and ``reasons`` where there are any."""
        out: dict[str, Any] = {"text": self.text, "confidence": self.confidence,
                               "sources": list(self.sources)}
        if self.reasons:
            out["reasons"] = list(self.reasons)
        return out


@dataclass(frozen=True, slots=True)
class RestoredLacuna:
    """A lacuna with its ranked candidates (best first, confidences summing to at most 1)."""

    lacuna: Lacuna
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate | None:
        """The first candidate, or ``None`` when nothing could be proposed."""
        return self.candidates[0] if self.candidates else None

    def accepted(self, min_confidence: float = MIN_CONFIDENCE) -> Candidate | None:
        """The best candidate if its confidence reaches ``min_confidence``, else ``None``
        (the lacuna stays a lacuna in a text).

        >>> rl = RestoredLacuna(Lacuna(0, 2, "□□", 1, 3, "in-word", "box"), (Candidate("L", 0.3),))
        >>> rl.accepted(), rl.accepted(0.25).text
        (None, 'L')
        """
        best = self.best
        return best if best is not None and best.confidence >= min_confidence else None

    def to_dict(self) -> dict[str, Any]:
        """The lacuna's fields, then its candidates, as in ``collate restore --format json``."""
        out = self.lacuna.to_dict()
        out["candidates"] = [c.to_dict() for c in self.candidates]
        return out


@dataclass(frozen=True, slots=True)
class Restoration:
    """The result of :func:`collate.restore`: every lacuna of one witness with its candidates.

    ``restored`` is the text with each lacuna replaced by its first candidate where that
    reaches ``min_confidence`` (other lacunae keep their marker); :meth:`spans` maps it back
    to input offsets. ``editorial`` are the witness's own editor's marks (TEI/EpiDoc
    ``<supplied>``, ``<unclear>``, …), which are text, not lacunae: restoration leaves them
    as they are.
    """

    witness: str
    text: str
    lacunae: tuple[RestoredLacuna, ...]
    min_confidence: float = MIN_CONFIDENCE
    editorial: tuple[Mark, ...] = ()
    left_out: tuple[tuple[str, str], ...] = ()
    """Witnesses given but left out, as ``(source, problem)``: files that could not be read."""

    @property
    def restored(self) -> str:
        """The input with every lacuna replaced by its accepted candidate
        (:meth:`RestoredLacuna.accepted`), else kept as it stands."""
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
            best = item.accepted(self.min_confidence)
            yield (best.text if best is not None else lac.marker), (lac.start, lac.end)
            pos = lac.end
        if pos < len(self.text) or not self.text:
            yield self.text[pos:], (pos, len(self.text))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``collate restore --format json`` (with ``"editorial"``, the
        editor's marks each with its text, when the witness has any).

        >>> r = Restoration("x", "The eastern wall", (), editorial=(Mark(4, 11, "supplied"),))
        >>> r.to_dict()["editorial"]
        [{'start': 4, 'end': 11, 'kind': 'supplied', 'text': 'eastern'}]
        """
        out: dict[str, Any] = {
            "witness": self.witness,
            "lacunae": [r.to_dict() for r in self.lacunae],
            "restored": self.restored,
        }
        if self.editorial:
            out["editorial"] = [m.to_dict(self.text) for m in self.editorial]
        if self.left_out:
            out["left_out"] = [{"source": s, "problem": p} for s, p in self.left_out]
        return out


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


class Columns(Sequence[Column]):
    """The columns of a table, packed: each witness's ``(start, end)`` token range in every
    column, in one ``(columns, witnesses, 2)`` integer array.

    A book-length table holds millions of columns; as Python tuples of tuples each would
    cost some 400 bytes, packed it costs 16 bytes a cell. It reads like a tuple of
    :class:`Column` (each made when asked for); :meth:`cell` and :meth:`ranges` read the
    array without making one.

    >>> cols = Columns.of([Column(((0, 1), (0, 0))), Column(((1, 2), (0, 1)))], 2)
    >>> len(cols), cols[1], cols.cell(1, 1), list(cols.ranges(0))
    (2, Column(cells=((1, 2), (0, 1))), (0, 1), [(0, 1), (1, 2)])
    """

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        self.array = np.asarray(array, dtype=np.int64)
        if self.array.ndim != 3 or self.array.shape[2:] != (2,):
            raise ValueError(f"columns need shape (columns, witnesses, 2), not {self.array.shape}")

    @classmethod
    def of(cls, columns: Iterable[Column], width: int) -> Columns:
        """Pack columns of ``width`` witnesses each."""
        cells = [c.cells for c in columns]
        return cls(np.array(cells, dtype=np.int64).reshape(len(cells), width, 2))

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, index: int) -> Column: ...

    @overload
    def __getitem__(self, index: slice) -> list[Column]: ...

    def __getitem__(self, index: int | slice) -> Column | list[Column]:
        if isinstance(index, slice):
            return [Column(tuple(map(tuple, c))) for c in self.array[index].tolist()]
        return Column(tuple(map(tuple, self.array[index].tolist())))

    def __iter__(self) -> Iterator[Column]:
        for lo in range(0, len(self.array), 4096):
            yield from self[lo : lo + 4096]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Columns):
            return np.array_equal(self.array, other.array)
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self.array.tobytes())

    def __repr__(self) -> str:
        return f"Columns({len(self)} columns of {self.array.shape[1]} witnesses)"

    def cell(self, column: int, witness: int) -> tuple[int, int]:
        """The token range of the ``witness``-th witness in column ``column``."""
        i, j = self.array[column, witness].tolist()
        return i, j

    def ranges(self, witness: int, lo: int = 0, hi: int | None = None
               ) -> Iterator[tuple[int, int]]:
        """The token range of the ``witness``-th witness in each column from ``lo`` to ``hi``."""
        part = self.array[lo:hi, witness]
        return zip(part[:, 0].tolist(), part[:, 1].tolist(), strict=True)


def norms_of(tokens: Sequence[Token]) -> Sequence[str]:
    """The normal form of each of ``tokens``, read from their column where they are packed
    (:class:`Tokens`) rather than made into token objects one by one.

    >>> norms_of(Tokens(["A"], [""], ["a"], [0], [1], {})), norms_of([Token("B", "", "b", 0, 1)])
    (['a'], ['b'])
    """
    return tokens.norms if isinstance(tokens, Tokens) else [t.norm for t in tokens]


@dataclass(frozen=True)
class Collation:
    """An alignment of several witnesses: columns of token ranges, one range per witness.

    Concatenating a witness's cells over all columns gives back its tokens, hence its text.
    """

    witnesses: tuple[Witness, ...]
    tokens: Mapping[str, Sequence[Token]]
    columns: Columns
    """The table; a sequence of :class:`Column` given here is packed into :class:`Columns`."""
    transpositions: tuple[Transposition, ...] = field(default=())

    def __post_init__(self) -> None:
        if not isinstance(self.columns, Columns):
            object.__setattr__(self, "columns", Columns.of(self.columns, len(self.witnesses)))

    def __repr__(self) -> str:
        """One line: the witnesses and the size of the table, never the texts.

        >>> from collate.alignment import collate
        >>> collate(["The cat sat.", "The kat sat."])
        Collation(witnesses=['A', 'B'], columns=4, variants=1, tokens=8, transpositions=0)
        """
        return (f"Collation(witnesses={self.ids!r}, columns={len(self.columns)}, "
                f"variants={sum(self.variants())}, "
                f"tokens={sum(len(t) for t in self.tokens.values())}, "
                f"transpositions={len(self.transpositions)})")

    @property
    def ids(self) -> list[str]:
        """The witness sigla in collation order."""
        return [w.id for w in self.witnesses]

    def cell(self, column: int, witness: str) -> tuple[Token, ...]:
        """The tokens witness ``witness`` has in column ``column``."""
        i, j = self.columns.cell(column, self.ids.index(witness))
        return self.tokens[witness][i:j]

    def reading(self, column: int, witness: str) -> str:
        """The verbatim text (with trailing whitespace) a witness has in a column."""
        return "".join(t.text_with_ws for t in self.cell(column, witness))

    def _cells(self, witness: str) -> list[tuple[Token, ...]]:
        """The tokens of ``witness`` in every column, in column order."""
        k = self.ids.index(witness)
        toks = self.tokens[witness]
        return [toks[i:j] for i, j in self.columns.ranges(k)]

    def _readings(self, witness: str) -> list[str]:
        """The verbatim reading of ``witness`` in every column, in column order."""
        return ["".join([t.text + t.ws for t in cell]) for cell in self._cells(witness)]

    def _norms(self, witness: str) -> list[tuple[str, ...]]:
        """The normal forms of ``witness`` in every column (an omission is ``()``; a token whose
        norm is empty, such as punctuation at the ``punctuation`` match level, is no reading)."""
        return [tuple([t.norm for t in cell if t.norm]) for cell in self._cells(witness)]

    def _offsets(self, witness: str) -> list[int]:
        """Character offset of each token of ``witness``, plus the text length at the end."""
        size = len(self.witnesses[self.ids.index(witness)].text)
        return [t.start for t in self.tokens[witness]] + [size]

    def opcodes(self, a: str, b: str) -> list[tuple[OpTag, int, int, int, int]]:
        """difflib-style opcodes over CHARACTER offsets of witnesses ``a`` and ``b``.

        They tile both texts; ``equal`` spans are identical strings (difflib's contract), so
        a case or whitespace difference inside an aligned token is a ``replace``.

        >>> from collate.alignment import collate
        >>> collate(["the cat", "the kat"]).opcodes("A", "B")
        [('equal', 0, 4, 0, 4), ('replace', 4, 7, 4, 7)]
        """
        ka, kb = self.ids.index(a), self.ids.index(b)
        ta, tb = self.tokens[a], self.tokens[b]
        pos_a, pos_b = self._offsets(a), self._offsets(b)
        out: list[tuple[OpTag, int, int, int, int]] = []

        def emit(tag: OpTag, i1: int, i2: int, j1: int, j2: int) -> None:
            if i1 == i2 and j1 == j2:
                return
            if out and out[-1][0] == tag:
                out[-1] = (tag, out[-1][1], i2, out[-1][3], j2)
            else:
                out.append((tag, i1, i2, j1, j2))

        for (i1, i2), (j1, j2) in zip(self.columns.ranges(ka), self.columns.ranges(kb),
                                      strict=True):
            x1, x2, y1, y2 = pos_a[i1], pos_a[i2], pos_b[j1], pos_b[j2]
            if i1 == i2 or j1 == j2:
                emit("insert" if i1 == i2 else "delete", x1, x2, y1, y2)
            elif i2 - i1 == j2 - j1 and all(
                    ta[i + i1].norm == tb[i + j1].norm for i in range(i2 - i1)):
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    p, q = ta[i], tb[j]
                    emit("equal" if p.text == q.text else "replace", p.start, p.end, q.start, q.end)
                    ws_tag: OpTag = ("equal" if p.ws == q.ws else "insert" if not p.ws
                                     else "delete" if not q.ws else "replace")
                    emit(ws_tag, p.end, p.end + len(p.ws), q.end, q.end + len(q.ws))
            else:
                emit("replace", x1, x2, y1, y2)
        return out

    def is_variant(self, column: int) -> bool:
        """Whether the witnesses differ in a column (by normal form; an omission differs).

        >>> from collate.alignment import collate
        >>> c = collate(["a b", "a c"])
        >>> [c.is_variant(k) for k in range(len(c.columns))]
        [False, True]
        """
        keys = {tuple(t.norm for t in self.cell(column, w) if t.norm) for w in self.ids}
        return len(keys) > 1

    def variants(self) -> list[bool]:
        """:meth:`is_variant` for every column at once (fast on long collations).

        >>> from collate.alignment import collate
        >>> collate(["a b", "a c"]).variants()
        [False, True]
        """
        norms = [self._norms(w) for w in self.ids]
        return [len(set(keys)) > 1 for keys in zip(*norms, strict=True)] if norms else []

    def consensus(self) -> list[str]:
        """The majority reading of each column (verbatim, trailing whitespace included).

        Readings are grouped by normal form; an omission is the reading ``""``. The group
        with most witnesses wins; a damaged reading (with a lacuna) counts only where every
        reading is damaged; ties go to the group of the earliest witness in collation order,
        whose text is returned. ``"".join(consensus())`` is a readable majority text.

        >>> from collate.alignment import collate
        >>> collate(["the cat sat", "the kat sat", "the cat sat"]).consensus()
        ['the ', 'cat ', 'sat']
        """
        ids = self.ids
        norms = [self._norms(w) for w in ids]
        readings = [self._readings(w) for w in ids]
        damaged = [[any(t.damaged for t in cell) for cell in self._cells(w)] for w in ids]
        out: list[str] = []
        for col in range(len(self.columns)):
            groups: dict[tuple[str, ...], list[int]] = {}
            bad: set[tuple[str, ...]] = set()
            for k in range(len(ids)):
                key = norms[k][col]
                groups.setdefault(key, []).append(k)
                if damaged[k][col]:
                    bad.add(key)
            clean = [g for g in groups if g not in bad] or list(groups)
            best = min(clean, key=lambda g: (-len(groups[g]), groups[g][0]))
            out.append(readings[groups[best][0]][col])
        return out

    def table(self) -> list[list[str]]:
        """The readings as ``table()[column][k]``: verbatim text of the k-th witness.

        >>> from collate.alignment import collate
        >>> collate(["a b", "a"]).table()
        [['a ', 'a'], ['b', '']]
        """
        rows = [self._readings(w) for w in self.ids]
        return [list(col) for col in zip(*rows, strict=True)] if rows else []

    def witness_text(self, witness: str) -> str:
        """The witness rebuilt from its cells, column by column (equals its text exactly).

        >>> from collate.alignment import collate
        >>> collate(["a  b", "a c"]).witness_text("A")
        'a  b'
        """
        return "".join(self._readings(witness))
