"""Reading TEI and EpiDoc witnesses, safely, into plain text with lacunae and editor restorations.

A TEI edition marks what is lost (``<gap/>``) and what its editor restored
(``<supplied reason="lost">``). We read it as a witness the way the text survives: every
character an editor supplied becomes one ``□`` in the witness text, and the editor's reading is
kept beside it as a restoration (a :class:`~collate.model.RestoredLacuna` whose candidate has
source ``"editor"``), so that :func:`collate.edition.make_edition` can print the editor's
restoration where the editor gave one and propose its own only for the true gaps. A ``<gap>``
of known extent becomes its Leiden form (``[.3]``, ``[.2-4]``, so detection reads its exact
length); one of unknown extent becomes Leiden ``[---]``.

The text follows the physical, diplomatic view used by EpiDoc's Leiden rendering: ``<lb/>``
starts a new line, ``<ex>`` (an editor's expansion) is dropped, ``<choice>`` gives what is
written (``sic``/``orig``/``abbr``), ``<subst>`` its ``add``, ``<app>`` its ``<lem>`` (else
its first ``<rdg>``), and notes, deletions and
certainty statements are dropped; whitespace runs are collapsed to one space.

Parsing is hardened against hostile files: no entity expansion (no "billion laughs"), no
DTD loading, no network access, no huge-tree mode. Any XML error becomes an
:class:`~collate.errors.InputError` naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex
from lxml import etree

from collate.chars import WORD_CHAR
from collate.errors import InputError
from collate.model import Candidate, Lacuna, Restoration, RestoredLacuna, Witness

TEI_NS = "http://www.tei-c.org/ns/1.0"
BOX = "□"
UNKNOWN_GAP = "[---]"
EDITOR_CONFIDENCE = {"high": 0.9, "medium": 0.6, "low": 0.3, None: 0.9}
"""Confidence given to an editor's restoration from its ``@cert`` (none given: taken as high)."""

_DROP = {"ex", "note", "del", "certainty", "desc", "milestone", "handShift", "figDesc"}
_BLOCK = {"p", "ab", "l", "head", "lg", "div"}


@dataclass(frozen=True, slots=True)
class TeiWitness(Witness):
    """A witness read from TEI: its text plus the restorations its editor supplied.

    ``supplied`` holds one :class:`~collate.model.RestoredLacuna` per ``<supplied>`` run, its
    lacuna indexing the box run that stands for the supplied text.

    >>> w = witness_from_tei('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
    ...     '<ab><supplied reason="lost">L</supplied>ately</ab></body></text></TEI>', "x.xml", "x")
    >>> w.text, w.supplied[0].best.text
    ('□ately', 'L')
    """

    supplied: tuple[RestoredLacuna, ...] = ()


def with_editor(restoration: Restoration, witness: Witness) -> Restoration:
    """``restoration`` of ``witness`` with the editor's own restorations (a
    :class:`TeiWitness`'s ``supplied``) in place of any lacuna they overlap.

    >>> w = witness_from_tei('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
    ...     '<ab><supplied reason="lost">L</supplied>ately</ab></body></text></TEI>', "x.xml", "x")
    >>> ours = RestoredLacuna(Lacuna(0, 1, "□", 1, 2, "in-word", "box"), (Candidate("B", 0.5),))
    >>> with_editor(Restoration("x", w.text, (ours,)), w).lacunae[0].best
    Candidate(text='L', confidence=0.9, sources=('editor',))
    """
    editor = witness.supplied if isinstance(witness, TeiWitness) else ()
    if not editor:
        return restoration
    kept = [rl for rl in restoration.lacunae
            if not any(rl.lacuna.start < e.lacuna.end and e.lacuna.start < rl.lacuna.end
                       for e in editor)]
    merged = tuple(sorted([*kept, *editor], key=lambda rl: rl.lacuna.start))
    return replace(restoration, lacunae=merged)


def parse(data: str | bytes, source: str) -> etree._Element:
    """Parse XML safely (no entities, DTD or network); broken XML raises InputError.

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
    """Read a TEI or EpiDoc file as a witness: its edition text, gaps as lacunae, supplied text
    as boxes with the editor's restoration kept in ``supplied``.

    The text is taken from ``<div type="edition">`` (EpiDoc) or else from ``<text>``'s
    ``<body>``; a file with neither is refused.

    >>> w = witness_from_tei('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><ab>'
    ...     'publi<gap reason="lost" quantity="3" unit="character"/><lb/>'
    ...     'se<gap reason="lost" extent="unknown" unit="character"/></ab></body></text></TEI>',
    ...     "x.xml", "x")
    >>> w.text
    'publi[.3]\\nse[---]'
    """
    root = parse(data, source)
    body = _edition(root)
    if body is None:
        raise InputError(source, "no TEI text: neither <div type=\"edition\"> nor <text><body>")
    out = _Text()
    out.walk(body)
    text, supplied = out.finish()
    if not text.strip():
        raise InputError(source, "the TEI edition holds no text")
    return TeiWitness(wid, text, source, supplied=tuple(supplied))


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _edition(root: etree._Element) -> etree._Element | None:
    for el in root.iter("{*}div"):
        if el.get("type") == "edition":
            return el
    for el in root.iter("{*}body"):
        return el
    return None


class _Text:
    """Collects the diplomatic text of an element tree and the supplied runs within it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.supplied: list[tuple[str, str | None]] = []  # (text, cert) per supplied run

    def emit(self, s: str) -> None:
        self.parts.append(s)

    def walk(self, el: etree._Element) -> None:
        name = _local(el.tag)
        if not name:  # an unexpanded entity reference: keep it visible, never expand it
            if isinstance(el, etree._Entity):
                self.emit(el.text or "")
            self.emit(el.tail or "")
            return
        self.element(el, name)

    def element(self, el: etree._Element, name: str) -> None:
        if name in _DROP:
            return self.tail(el)
        if name == "lb" or (name in _BLOCK and self.parts):
            self.emit("\n")
        if name == "space":
            self.emit(" ")
        elif name == "gap":
            self.emit(gap_marker(el))
        elif name == "supplied":
            if el.get("reason", "lost") == "lost":
                inner = _Text()
                for child in el:
                    inner.walk(child)
                inner.parts.insert(0, el.text or "")
                restored = regex.sub("[\x00\x01]", "", _squash("".join(inner.parts)))
                if restored.strip():
                    self.emit("\x00" + restored + "\x01")
                    self.supplied.append((restored, el.get("cert")))
            return self.tail(el)
        elif name == "choice":
            pick = _choice_part(el)
            if pick is not None:
                self.element(pick, "seg")
            return self.tail(el)
        elif name == "app":  # a critical apparatus: the lemma, else the first reading
            pick = el.find("{*}lem")
            pick = pick if pick is not None else el.find("{*}rdg")
            if pick is not None:
                self.element(pick, "seg")
            return self.tail(el)
        elif name == "subst":
            for child in el:
                if _local(child.tag) == "add":
                    self.element(child, "seg")
            return self.tail(el)
        else:
            self.emit(el.text or "")
            for child in el:
                self.walk(child)
        if name in _BLOCK:
            self.emit("\n")
        self.tail(el)

    def tail(self, el: etree._Element) -> None:
        self.emit(el.tail or "")

    def finish(self) -> tuple[str, list[RestoredLacuna]]:
        raw = _squash("".join(self.parts)).strip()
        text: list[str] = []
        runs: list[RestoredLacuna] = []
        pos = 0
        k = 0
        for piece in regex.split(r"(\x00[^\x01]*\x01)", raw):
            if piece.startswith("\x00"):
                restored, cert = self.supplied[k]
                k += 1
                n = len(regex.findall(r"\X", restored))
                marker = BOX * n
                end = pos + n
                lac = Lacuna(pos, end, marker, n, n, "unknown", "tei")
                cand = Candidate(restored, EDITOR_CONFIDENCE.get(cert, 0.9), ("editor",))
                runs.append(RestoredLacuna(lac, (cand,)))
                text.append(marker)
                pos = end
            else:
                text.append(piece)
                pos += len(piece)
        joined = "".join(text)
        return joined, [_rekind(r, joined) for r in runs]


def _rekind(r: RestoredLacuna, text: str) -> RestoredLacuna:
    lac = r.lacuna
    before = text[lac.start - 1] if lac.start else ""
    after = text[lac.end] if lac.end < len(text) else ""
    line_start = text.rfind("\n", 0, lac.start) + 1
    line_end = text.find("\n", lac.end)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    if line == lac.marker:
        kind = "line"
    elif any(c == BOX or WORD_CHAR.match(c) for c in (before, after) if c):
        kind = "in-word"
    else:
        kind = "word"
    return RestoredLacuna(Lacuna(lac.start, lac.end, lac.marker, lac.min_chars, lac.max_chars,
                                 kind, lac.convention), r.candidates)


def _squash(s: str) -> str:
    """Collapse whitespace runs to one space; a run holding a newline becomes one newline."""
    s = regex.sub(r"[ \t\r\f\v]*\n[\s]*", "\n", s)
    return regex.sub(r"[ \t\r\f\v]+", " ", s)


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
