"""Reading TEI and EpiDoc witnesses, safely, into text with the editor's marks beside it.

A TEI edition says what its editor read, restored, doubted and found lost. We read it as the
text the edition prints, and keep every such statement as a :class:`~collate.model.Mark` over
the stretch of text it concerns (:attr:`Witness.marks <collate.model.Witness.marks>`):

- ``<supplied>``: the editor's reading is kept as text (never as boxes), marked ``supplied``
  with its ``@reason``, ``@cert`` and ``@resp``. It is the editor's text, not a lacuna:
  detection and restoration leave it alone, and it is weighed like any other text.
- ``<unclear>``, ``<sic>``, ``<orig>``, ``<abbr>``, ``<corr>``, ``<reg>``: their text kept and
  marked. In a ``<choice>`` what is written (``sic``/``orig``/``abbr``) is kept, and its mark's
  ``alternative`` holds the other member (the ``corr``/``reg``/``expan``); an ``<abbr>`` in an
  ``<expan>`` has the whole expansion as its alternative.
- ``<del>`` and ``<add>``: the text keeps what is written, the deleted text included (as
  Leiden prints an erasure, ``⟦…⟧``), each marked ``del``/``add``; in a ``<subst>`` each
  mark's alternative is the other's text.
- ``<gap>``: its Leiden placeholder (``[.3]``, ``[c.5]``, ``[.2-4]``, ``[---]``; a gap of N
  lines is N lines of ``[---]``), so that detection reads a lacuna of the stated length and
  alignment sees one, with a ``gap`` mark over exactly the placeholder that keeps its
  ``@reason`` and its extent as the file states it (``"4 character"``).

The text follows the edition view used by EpiDoc's Leiden rendering otherwise: ``<lb/>`` starts
a new line, ``<ex>`` (an editor's expansion) is dropped, ``<app>`` gives its ``<lem>`` (else
its first ``<rdg>``), notes and certainty statements are dropped; whitespace runs are
collapsed to one space.

Every character of the text knows where it stands in the XML file (:meth:`TeiWitness.position`
gives its line and column), read by a second, event-level pass of the standard library's
expat parser over the same source, so that ``collate detect`` and error messages point into
the file rather than into the extracted text.

Parsing is hardened against hostile files: no entity expansion (no "billion laughs"), no
DTD loading, no network access, no huge-tree mode. Any XML error becomes an
:class:`~collate.errors.InputError` naming the file.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from xml.parsers import expat

import regex
from lxml import etree

from collate.errors import InputError
from collate.model import Mark, Witness

TEI_NS = "http://www.tei-c.org/ns/1.0"
UNKNOWN_GAP = "[---]"

_DROP = {"ex", "note", "certainty", "desc", "milestone", "handShift", "figDesc"}
_BLOCK = {"p", "ab", "l", "head", "lg", "div"}
_MARKED = {"supplied", "unclear", "gap", "sic", "corr", "orig", "reg", "abbr", "add", "del"}
"""Elements whose text is marked wherever it is kept (``expan`` only as the kept member of a
``<choice>``: elsewhere its text is its ``<abbr>``'s, marked as that)."""
_SPACE = regex.compile(r"[ \t\r\f\v]*\n\s*|[ \t\r\f\v]+")
_COLUMN = 1 << 32
"""A source position packed in one integer: ``line * _COLUMN + column``."""


@dataclass(frozen=True, slots=True)
class TeiWitness(Witness):
    """A witness read from TEI: its text, its editor's marks, and where each character of
    the text stands in the XML file.

    ``anchors`` are ``(offset, line, column)`` triples, sorted by offset, from which
    :meth:`position` counts on (one wherever the text stops following the file character
    by character: at an element, a line break, a collapsed space).

    >>> w = witness_from_tei('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\\n'
    ...     '<ab><supplied reason="lost">L</supplied>ately</ab></body></text></TEI>', "x.xml", "x")
    >>> w.text, w.marks[0].kind, w.position(0), w.position(1)
    ('Lately\\n', 'supplied', (2, 29), (2, 41))
    """

    anchors: tuple[tuple[int, int, int], ...] = field(default=(), compare=False, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based ``(line, column)`` in the XML file of the text's character at
        ``offset`` (of a ``<gap/>``'s placeholder: where the element stands; column 0 where
        only the line is known). ``offset == len(text)`` is just after the last character."""
        k = bisect_right(self.anchors, offset, key=lambda a: a[0]) - 1
        if k < 0:
            return (1, 1)
        start, line, column = self.anchors[k]
        return (line, column + (offset - start) if column else 0)


def parse(data: str | bytes, source: str) -> etree._Element:
    """Parse XML safely (no entities, DTD or network); broken XML raises InputError, whose
    message (libxml2's) names the line and column of the file where parsing stopped.

    >>> parse("<a><b/></a>", "x.xml").tag
    'a'
    >>> parse("<a><b></a>", "x.xml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    collate.errors.InputError: x.xml: broken XML: Opening and ending tag mismatch: b line 1 ...
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        dtd_validation=False, remove_comments=True, remove_pis=True,
    )
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as err:
        raise InputError(source, f"broken XML: {err.msg or err}") from None
    if root is None:
        raise InputError(source, "empty XML document")
    return root


def witness_from_tei(data: str | bytes, source: str, wid: str) -> TeiWitness:
    """Read a TEI or EpiDoc file as a witness: its edition text, gaps as Leiden placeholders,
    and the editor's marks (supplied, unclear, gap, …) over the text.

    The text is taken from ``<div type="edition">`` (EpiDoc) or else from ``<text>``'s
    ``<body>``; a file with neither is refused.

    >>> w = witness_from_tei('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><ab>'
    ...     'publi<supplied reason="lost" cert="low">cae</supplied> '
    ...     '<gap reason="lost" quantity="3" unit="character"/><lb/>'
    ...     'se<gap reason="lost" extent="unknown" unit="character"/></ab></body></text></TEI>',
    ...     "x.xml", "x")
    >>> w.text
    'publicae [.3]\\nse[---]\\n'
    >>> [(m.kind, w.text[m.start:m.end], m.cert, m.extent) for m in w.marks]
    [('supplied', 'cae', 'low', None), ('gap', '[.3]', None, '3 character'), ('gap', '[---]', \
None, 'unknown character')]
    """
    root = parse(data, source)
    body = _edition(root)
    if body is None:
        raise InputError(source, "no TEI text: neither <div type=\"edition\"> nor <text><body>")
    out = _Text(_Where(root, data))
    out.walk(body)
    text, marks, anchors = out.finish()
    if not text.strip():
        raise InputError(source, "the TEI edition holds no text")
    return TeiWitness(wid, text, source, marks=marks, anchors=anchors)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _edition(root: etree._Element) -> etree._Element | None:
    for el in root.iter("{*}div"):
        if el.get("type") == "edition":
            return el
    for el in root.iter("{*}body"):
        return el
    return None


class _Where:
    """Where the nodes of a parsed tree stand in its source: each element's start tag and each
    character of its text and tails, as packed positions (``line * _COLUMN + column``).

    The tree comes from lxml, which gives no columns; the positions come from expat, run
    over the same source with the same hardening (no entity expanded, no DTD or anything
    else loaded), whose character data and start tags come in document order, as the tree's
    text, tails and elements do. Should the two ever disagree (an encoding expat does not
    know), each character is given its element's line and column 0 (unknown).
    """

    def __init__(self, root: etree._Element, data: str | bytes) -> None:
        self.text_at: dict[etree._Element, int] = {}
        self.tail_at: dict[etree._Element, int] = {}
        self.element_at: dict[etree._Element, int] = {}
        size = 0
        elements: list[etree._Element] = []
        for event, node in etree.iterwalk(root, events=("start", "end")):
            if event == "start":
                self.text_at[node] = size
                size += len(node.text or "")
                if isinstance(node.tag, str):
                    elements.append(node)
            else:
                self.tail_at[node] = size
                size += len(node.tail or "")
        found = _scan(data)
        if found is not None and len(found[0]) == size and len(found[1]) == len(elements):
            self.chars = found[0]
            self.element_at = dict(zip(elements, found[1], strict=True))
        else:  # each character at its element's line, column unknown
            self.chars = array("q", [0]) * size
            for node in self.text_at:
                line = (node.sourceline or 1) * _COLUMN
                for at, s in ((self.text_at[node], node.text), (self.tail_at[node], node.tail)):
                    self.chars[at : at + len(s or "")] = array("q", [line]) * len(s or "")
                if isinstance(node.tag, str):
                    self.element_at[node] = line

    def text(self, node: etree._Element) -> tuple[str, array]:
        """A node's text and where each of its characters stands."""
        s = node.text or ""
        at = self.text_at[node]
        return s, self.chars[at : at + len(s)]

    def tail(self, node: etree._Element) -> tuple[str, array]:
        """A node's tail and where each of its characters stands."""
        s = node.tail or ""
        at = self.tail_at[node]
        return s, self.chars[at : at + len(s)]


def _scan(data: str | bytes) -> tuple[array, list[int]] | None:
    """Packed positions of every character of the document's character data and of every
    start tag, in document order, by expat (``None`` where expat cannot read the source).

    An unexpanded entity reference counts as its own text (``&x;``), as lxml keeps it.
    Within one character-data event, the characters follow each other in the source, but
    for a reference (``&amp;``: one character) and a line end, which come alone.
    """
    p = expat.ParserCreate()
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    chars = array("q")
    starts: list[int] = []
    depth = 0

    def here() -> int:
        return p.CurrentLineNumber * _COLUMN + p.CurrentColumnNumber + 1

    def data_(s: str) -> None:
        line, column = divmod(here(), _COLUMN)
        for c in s:
            chars.append(line * _COLUMN + column)
            line, column = (line + 1, 1) if c == "\n" else (line, column + 1)

    def start(name: str, attrs: object) -> None:
        nonlocal depth
        depth += 1
        starts.append(here())

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def default(s: str) -> None:  # entity references arrive here unexpanded
        if depth and s.startswith("&") and s.endswith(";"):
            data_(s)

    p.CharacterDataHandler = data_
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.DefaultHandler = default  # also keeps expat from expanding internal entities
    p.SkippedEntityHandler = lambda name, is_parameter: data_(f"&{name};")
    try:
        p.Parse(data, True)
    except (expat.ExpatError, ValueError, LookupError):
        return None
    return chars, starts


class _Text:
    """Collects the edition text of an element tree, where each character stands in the
    source, and the marks over it."""

    def __init__(self, where: _Where) -> None:
        self.where = where
        self.parts: list[str] = []
        self.origins = array("q")
        self.size = 0
        self.marks: list[tuple[int, int, etree._Element, str]] = []

    def emit(self, s: str, origins: array) -> None:
        self.parts.append(s)
        self.origins.extend(origins)
        self.size += len(s)

    def emit_at(self, s: str, el: etree._Element) -> None:
        """Text the markup stands for (a line break, a gap's placeholder), at the element."""
        self.emit(s, array("q", [self.where.element_at[el]]) * len(s))

    def walk(self, el: etree._Element) -> None:
        name = _local(el.tag)
        if not name:  # an unexpanded entity reference: keep it visible, never expand it
            if isinstance(el, etree._Entity):
                self.emit(*self.where.text(el))
            self.emit(*self.where.tail(el))
            return
        self.element(el, name)

    def element(self, el: etree._Element, name: str) -> None:
        if name in _DROP:
            return self.tail(el)
        if name == "lb" or (name in _BLOCK and self.parts):
            self.emit_at("\n", el)
        start = self.size
        if name == "space":
            self.emit_at(" ", el)
        elif name == "gap":
            self.emit_at(gap_marker(el), el)
        elif name in ("choice", "app"):
            pick = _choice_part(el) if name == "choice" else _lemma(el)
            if pick is not None:
                kind = _local(pick.tag)
                self.element(pick, "seg" if kind in _DROP or kind in _BLOCK else kind)
                if kind == "expan" and self.size > start:
                    self.marks.append((start, self.size, pick, kind))
            return self.tail(el)
        else:
            self.emit(*self.where.text(el))
            for child in el:
                self.walk(child)
        if name in _MARKED:
            self.marks.append((start, self.size, el, name))
        if name in _BLOCK:
            self.emit_at("\n", el)
        self.tail(el)

    def tail(self, el: etree._Element) -> None:
        self.emit(*self.where.tail(el))

    def finish(self) -> tuple[str, tuple[Mark, ...], tuple[tuple[int, int, int], ...]]:
        """The text (whitespace collapsed and stripped, ended by a line end where its last
        line ends, as a text file is), its marks and its position anchors."""
        text, origins, at = _squash("".join(self.parts), self.origins)
        lead = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if end > lead and "\n" in text[end:]:
            origins[end] = origins[text.index("\n", end)]
            text = text[lead:end] + "\n"
            end += 1
        else:
            text = text[lead:end]
        del origins[end:]
        del origins[:lead]
        marks = []
        for a, b, el, kind in self.marks:
            start, end = (min(max(at[i] - lead, 0), len(text)) for i in (a, b))
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                marks.append(_mark(el, kind, start, end))
        marks.sort(key=lambda m: (m.start, -m.end))
        return text, tuple(marks), _anchors(origins)


def _mark(el: etree._Element, kind: str, start: int, end: int) -> Mark:
    return Mark(start, end, kind, reason=el.get("reason"), cert=el.get("cert"),
                resp=el.get("resp") or el.get("source"), alternative=_alternative(el),
                extent=_extent(el) if kind == "gap" else None)


def _alternative(el: etree._Element) -> str | None:
    """The other reading the markup gives for ``el``'s text: another member of its
    ``<choice>`` or ``<subst>``, or the ``<expan>`` an ``<abbr>`` abbreviates."""
    parent = el.getparent()
    where = _local(parent.tag) if parent is not None else ""
    if where in ("choice", "subst"):
        others = [c for c in parent if c is not el and _local(c.tag)]
        return _reading(others[0]) if others else None
    if where == "expan" and _local(el.tag) == "abbr":
        return _reading(parent)
    return None


def _reading(el: etree._Element) -> str:
    """An element's whole text, expansions included, notes left out, whitespace collapsed."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if _local(node.tag) not in _DROP - {"ex"}:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        parts.append(node.tail or "")

    parts.append(el.text or "")
    for child in el:
        walk(child)
    return regex.sub(r"\s+", " ", "".join(parts)).strip()


def _squash(text: str, origins: array) -> tuple[str, array, list[int]]:
    """Collapse whitespace runs to one space (a run holding a newline to one newline), each
    kept character with its origin; and where each input offset (and the end) went.

    >>> _squash("a \\n  b  c", array("q", range(9)))
    ('a\\nb c', array('q', [0, 2, 5, 6, 8]), [0, 1, 2, 2, 2, 2, 3, 4, 4, 5])
    """
    out: list[str] = []
    kept = array("q")
    at: list[int] = []
    pos = 0
    for m in _SPACE.finditer(text):
        a, b = m.span()
        at.extend(range(len(kept), len(kept) + a - pos))
        out.append(text[pos:a])
        kept.extend(origins[pos:a])
        first = m.group().find("\n")
        kept.append(origins[a + max(first, 0)])
        out.append("\n" if first >= 0 else " ")
        at.append(len(kept) - 1)
        at.extend([len(kept)] * (b - a - 1))
        pos = b
    at.extend(range(len(kept), len(kept) + len(text) - pos + 1))
    out.append(text[pos:])
    kept.extend(origins[pos:])
    return "".join(out), kept, at


def _anchors(origins: array) -> tuple[tuple[int, int, int], ...]:
    """``(offset, line, column)`` wherever the text stops following the source one column
    at a time."""
    out = []
    prev = -2
    for i, o in enumerate(origins):
        if o != prev + 1 or not o % _COLUMN:
            out.append((i, *divmod(o, _COLUMN)))
        prev = o
    return tuple(out)


def gap_marker(el: etree._Element) -> str:
    """A ``<gap/>`` in Leiden notation, so that detection reads its length: ``[.3]`` (exactly
    three characters), ``[c.5]`` (``precision="low"``), ``[.2-4]`` (``atLeast``/``atMost``),
    ``[---]`` (unknown); a gap of N lines is N lines of ``[---]``.
    """
    unit = (el.get("unit") or "character").strip().lower()
    qty = _count(el.get("quantity")) or _count(el.get("extent"))
    if unit in ("line", "lines"):
        return "\n" + "\n".join([UNKNOWN_GAP] * min(qty or 1, 50)) + "\n"
    if not (unit.startswith("char") or unit in ("letter", "letters", "glyph", "glyphs")):
        return UNKNOWN_GAP
    if qty and el.get("precision") == "low":
        return f"[c.{qty}]"
    if qty:
        return f"[.{qty}]"
    lo, hi = _count(el.get("atLeast")), _count(el.get("atMost"))
    if hi and hi >= (lo or 1):
        return f"[.{lo or 1}-{hi}]"
    return UNKNOWN_GAP


def _extent(el: etree._Element) -> str:
    """A gap's size as the file states it: ``"4 character"``, ``"c. 5 character"``,
    ``"2-4 character"``, ``"unknown line"``."""
    size = el.get("quantity") or el.get("extent")
    if not size and (el.get("atLeast") or el.get("atMost")):
        size = f"{el.get('atLeast') or '?'}-{el.get('atMost') or '?'}"
    size = (size or "unknown").strip()
    if el.get("precision") == "low":
        size = "c. " + size
    unit = (el.get("unit") or "").strip()
    return f"{size} {unit}" if unit else size


def _count(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else None


def _choice_part(el: etree._Element) -> etree._Element | None:
    children = [c for c in el if _local(c.tag)]
    for want in ("sic", "orig", "abbr", "unclear", "supplied", "seg"):
        for c in children:
            if _local(c.tag) == want:
                return c
    return children[0] if children else None


def _lemma(el: etree._Element) -> etree._Element | None:
    """A critical apparatus's reading: the lemma, else the first reading."""
    pick = el.find("{*}lem")
    return pick if pick is not None else el.find("{*}rdg")
