"""Reading OCR engine output (ALTO, PAGE XML, hOCR, ABBYY FineReader XML) as one witness.

An OCR file holds the page text and what the engine knew about it: each word's confidence,
sometimes each character's, the word's box on the page, and the blocks and lines it sits in.
We read it as the page text in the file's reading order (regions separated by a blank line,
lines by ``"\\n"``, words by a space) with an :class:`~collate.model.OcrWord` per word
(:attr:`Witness.words <collate.model.Witness.words>`) giving its offsets into that text.

- **ALTO** v2–v4: ``TextBlock``/``TextLine``/``String@CONTENT`` (``@WC`` word confidence
  0..1; ``@CC`` one digit per character, 0 sure .. 9 unsure, read as ``1 - d/9``), ``SP``,
  ``HYP`` (its ``@CONTENT`` is appended to the word it ends, which is then ``hyphenated``);
  the text is what is written, so ``@SUBS_CONTENT`` (the joined word) is not needed; blocks
  in the order of ``ReadingOrder`` where present, else of the file.
- **PAGE** 2010–2019: ``TextRegion``/``TextLine``/``Word``, each ``TextEquiv`` (``@conf``
  0..1) with its ``Unicode``; the Word level where a line has words, else the line's own
  ``TextEquiv``; ``Glyph`` confidences as the characters'; regions in the order of
  ``ReadingOrder`` (``RegionRefIndexed``/``RegionRef``, nested groups flattened), regions it
  omits after them in file order; boxes from ``Coords@points``.
- **hOCR**: ``ocrx_word`` in ``ocr_line`` (or ``ocrx_line``, ``ocr_header`` …) in
  ``ocr_par`` (else ``ocr_carea``), from ``title`` properties ``bbox`` and ``x_wconf``
  (0..100, divided by 100), ``x_confs`` or ``ocrx_cinfo``'s ``x_conf`` per character; a line
  without words (OCRopus) gives its text's words with no confidence. An hOCR file that is not
  well-formed XML and does not claim to be (no ``<?xml`` declaration) is read as HTML.
- **ABBYY FineReader** 6–10 XML and Tesseract's ABBYY-like XML (no namespace):
  ``block`` (text and table blocks alike)/``par``/``line``/``charParams``, words split at
  spaces and at ``@wordStart``;
  ``@charConfidence`` 0..100 divided by 100, where -1 and 255 mean unknown; a word's
  confidence is its least confident character's (a word is only as right as its worst
  letter); boxes from ``l t r b``.

Hyphens at line ends (``-``, ``¬``, ``⸗``) stay in the text as written and mark their word
``hyphenated``. Every character of the text knows the line of the file it came from
(:meth:`OcrWitness.position`), so ``collate detect`` points into the file.

Parsing is :func:`collate.xmlsource.parse`'s: no entities, DTD or network; broken XML is an
:class:`~collate.errors.InputError` naming the file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree, html

from collate.chars import LINE_END_HYPHENS
from collate.errors import InputError
from collate.model import OcrWord, Witness
from collate.xmlsource import parse

FORMATS = ("alto", "page", "hocr", "abbyy")
LONG_ROW = 2000
"""Longest line of a file searched for a word's column (see :func:`_columns`)."""
_HOCR_CLASS = re.compile(r"""class\s*=\s*["'][^"']*\bocr(?:x?_page|x_word|_line)\b""")
_ROOT = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")
_ABBYY_NS = "http://www.abbyy.com/FineReader_xml/"
_PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/"


@dataclass(frozen=True, slots=True)
class OcrWitness(Witness):
    """A witness read from an OCR file: its page text, its words, and the line of the file
    each stretch of the text came from.

    ``anchors`` are ``(offset, line, column)`` triples sorted by offset: the text from
    ``offset`` on came from that line and column of the file (a word's, or for ABBYY XML a
    character's; column 0 where it is not known).
    """

    anchors: tuple[tuple[int, int, int], ...] = field(default=(), compare=False, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based ``(line, column)`` in the file of the text's character at ``offset``:
        the line of its word's element, and the column where the word's text stands once on
        that line (else 0, unknown: lxml gives lines only)."""
        k = bisect_right(self.anchors, offset, key=lambda a: a[0]) - 1
        if k < 0:
            return (1, 0)
        start, line, column = self.anchors[k]
        return (line, column + offset - start if column else 0)


def ocr_format(text: str, suffix: str = "") -> str | None:
    """Which OCR format a file's text is in (``"alto"``, ``"page"``, ``"hocr"``,
    ``"abbyy"``), from its root element and namespace (hOCR: its ``ocr_page``/``ocrx_word``
    classes), or ``None`` for anything else (TEI, plain text).

    >>> ocr_format('<?xml version="1.0"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">')
    'alto'
    >>> ocr_format("<html><body><div class='ocr_page'>"), ocr_format("<TEI>")
    ('hocr', None)
    >>> ocr_format("Notes on the <alto> element")  # prose that names it is not ALTO

    """
    head = text[:65536]
    root = _root_name(head)
    if root is None:
        return None
    name, ns = root
    if name.lower() == "html" or suffix in (".hocr", ".html", ".htm"):
        return "hocr" if _HOCR_CLASS.search(text) else None
    if name == "alto":
        return "alto"
    if name == "PcGts" and (ns is None or ns.startswith(_PAGE_NS)):
        return "page"
    if name == "document" and (ns or "").startswith(_ABBYY_NS):
        return "abbyy"
    if name == "document" and ns is None and "<charParams" in head:
        return "abbyy"  # Tesseract's ABBYY-like XML
    return None


def _root_name(head: str) -> tuple[str, str | None] | None:
    """Local name and namespace of the root element, which must open the text once the
    declaration, comments and doctype are skipped (else ``None``: not markup)."""
    body = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", "", head,
                  flags=re.S | re.I).lstrip()
    m = _ROOT.match(body)
    if m is None:
        return None
    prefix = (m.group(1) or "")[:-1]
    attr = f"xmlns:{prefix}" if prefix else "xmlns"
    tag_end = body.find(">", m.end() - 1)
    tag = body[m.start(): tag_end if tag_end >= 0 else len(body)]
    ns = re.search(rf"""\s{attr}\s*=\s*["']([^"']*)["']""", tag)
    return m.group(2), ns.group(1) if ns else None


# --- one model of a page for every format -------------------------------------------------


@dataclass(slots=True)
class _Word:
    text: str
    confidence: float | None = None
    chars: tuple[float, ...] | None = None
    box: tuple[int, int, int, int] | None = None
    lines: tuple[int, ...] = (1,)
    """The file line of the word's element, or one per character (ABBYY)."""
    hyphenated: bool = False


@dataclass(slots=True)
class _Line:
    id: str | None
    words: list[_Word]


@dataclass(slots=True)
class _Region:
    id: str | None
    lines: list[_Line]


def witness_from_ocr(data: str | bytes, source: str, wid: str, kind: str) -> OcrWitness:
    """Read an OCR file of format ``kind`` (see :func:`ocr_format`) as one witness.

    Raises
    ------
    InputError
        Broken XML, or a file with no text in it (the message names ``source``).

    Examples
    --------
    >>> w = witness_from_ocr('<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout>'
    ...     '<Page><PrintSpace><TextBlock ID="b1"><TextLine ID="l1"><String CONTENT="Late" '
    ...     'WC="0.9" HPOS="10" VPOS="5" WIDTH="40" HEIGHT="12"/><HYP CONTENT="-"/></TextLine>'
    ...     '<TextLine ID="l2"><String CONTENT="ly" WC="0.5"/><SP/><String CONTENT="it"/>'
    ...     '</TextLine></TextBlock></PrintSpace></Page></Layout></alto>', "p.xml", "p", "alto")
    >>> w.text
    'Late-\\nly it'
    >>> [(w.text[x.start:x.end], x.confidence, x.box, x.line, x.hyphenated) for x in w.words]
    [('Late-', 0.9, (10, 5, 50, 17), 'l1', True), ('ly', 0.5, None, 'l2', False), \
('it', None, None, 'l2', False)]
    """
    root = _parse_hocr(data, source) if kind == "hocr" else parse(data, source)
    regions = {"alto": _alto, "page": _page, "hocr": _hocr, "abbyy": _abbyy}[kind](root)
    text, words, pieces = _assemble(regions)
    if not text.strip():
        raise InputError(source, f"the {kind.upper() if kind != 'hocr' else 'hOCR'} file "
                                 "holds no text")
    rows = (data.decode("utf-8", "replace") if isinstance(data, bytes) else data).split("\n")
    return OcrWitness(wid, text, source, words=words, anchors=_columns(rows, pieces))


def _columns(rows: list[str], pieces: list[tuple[int, int, str]]) -> tuple[tuple[int, int, int],
                                                                             ...]:
    """Anchors from ``(offset, line, text)``: the column where ``text`` stands once on its
    line of the file (``rows``), 0 where it stands there more than once or not as written,
    or where the line is longer than :data:`LONG_ROW` (a whole page on one line: searching
    it for every word would cost the square of its length)."""
    out = []
    for offset, line, piece in pieces:
        row = rows[line - 1] if 0 < line <= len(rows) else ""
        at = row.find(piece) if len(row) <= LONG_ROW else -1
        out.append((offset, line, at + 1 if at >= 0 and row.find(piece, at + 1) < 0 else 0))
    return tuple(out)


def _parse_hocr(data: str | bytes, source: str) -> etree._Element:
    """hOCR as XML (XHTML); as HTML where it is not XML and does not claim to be."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if raw.lstrip().startswith(b"<?xml"):
        return parse(raw, source)
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                             huge_tree=False)
    try:
        root = html.fromstring(raw, parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise InputError(source, f"unreadable HTML: {err}") from None
    if root is None:
        raise InputError(source, "empty HTML document")
    return root


def _assemble(regions: Iterable[_Region]) -> tuple[str, tuple[OcrWord, ...],
                                                    list[tuple[int, int, str]]]:
    """The page text, its words with offsets, and where each word (or character) came from:
    ``(offset, file line, its text)``; a region or line without an id is labelled by its
    ordinal (``r2``, ``l7``)."""
    parts: list[str] = []
    words: list[OcrWord] = []
    anchors: list[tuple[int, int, str]] = []
    at = n_regions = n_lines = 0
    for region in regions:
        lines = [line for line in region.lines if any(w.text.strip() for w in line.words)]
        if not lines:
            continue
        n_regions += 1
        region_id = region.id or f"r{n_regions}"
        for k, line in enumerate(lines):
            n_lines += 1
            sep = "" if not parts else ("\n\n" if k == 0 else "\n")
            kept = _split(line.words)
            for j, w in enumerate(kept):
                parts.append(sep if j == 0 else " ")
                at += len(parts[-1])
                hyphen = w.hyphenated or (j == len(kept) - 1 and len(w.text) > 1
                                          and w.text[-1] in LINE_END_HYPHENS)
                words.append(OcrWord(at, at + len(w.text), w.confidence, w.chars, w.box,
                                     region_id, line.id or f"l{n_lines}", hyphen))
                if len(w.lines) == len(w.text) > 1:
                    anchors.extend((at + i, n, c)
                                   for i, (n, c) in enumerate(zip(w.lines, w.text, strict=True)))
                else:
                    anchors.append((at, w.lines[0], w.text))
                parts.append(w.text)
                at += len(w.text)
    return "".join(parts), tuple(words), anchors


def _split(words: list[_Word]) -> list[_Word]:
    """The words without white space: an element whose text holds a space (``CONTENT="New
    York"``) gives a word per piece, each with the element's confidence and box (and no
    per-character list); one with none gives nothing."""
    out: list[_Word] = []
    for w in words:
        pieces = w.text.split()
        if pieces == [w.text]:
            out.append(w)
            continue
        out.extend(_Word(p, w.confidence, None, w.box, w.lines[:1],
                         w.hyphenated and k == len(pieces) - 1) for k, p in enumerate(pieces))
    return out


# --- helpers ------------------------------------------------------------------------------


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el: etree._Element, name: str) -> Iterator[etree._Element]:
    return (c for c in el if _local(c) == name)


def _number(value: str | None, scale: float = 1.0) -> float | None:
    """``value`` as a float divided by ``scale`` and clamped to 0..1; ``None`` when missing,
    not a number, or an engine's "unknown" (negative)."""
    try:
        x = float(value) / scale if value is not None else None
    except ValueError:
        return None
    if x is None or x != x or x < 0:
        return None
    return min(x, 1.0)


def _box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
    return (round(x0), round(y0), round(x1), round(y1))


def _ordered(items: list[etree._Element], order: list[str]) -> list[etree._Element]:
    """``items`` in the order their ids take in ``order`` (or, where an item's own id is not
    listed, the id of the nearest enclosing element that is: an ALTO ``ComposedBlock``, a
    PAGE region holding regions), the others after, each group in file order."""
    rank = {ident: k for k, ident in enumerate(order)}

    def place(el: etree._Element) -> int:
        for node in (el, *el.iterancestors()):
            ident = node.get("ID", node.get("id"))
            if ident in rank:
                return rank[ident]
        return len(rank)

    return sorted(items, key=place)


# --- ALTO ---------------------------------------------------------------------------------


def _alto(root: etree._Element) -> list[_Region]:
    blocks = [el for el in root.iter("{*}TextBlock")]
    order = [el.get("REF", "") for el in _alto_order(root)]
    return [_Region(b.get("ID"), [_alto_line(line) for line in b.iter("{*}TextLine")])
            for b in _ordered(blocks, order)]


def _alto_order(root: etree._Element) -> list[etree._Element]:
    """The ``ElementRef``s of the first ``ReadingOrder``, in order (by ``INDEX`` where given)."""
    for ro in root.iter("{*}ReadingOrder"):
        refs = [el for el in ro.iter() if el.get("REF")]
        return sorted(refs, key=lambda el: _int(el.get("INDEX"), 0))
    return []


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _alto_line(line: etree._Element) -> _Line:
    words: list[_Word] = []
    for el in line:
        name = _local(el)
        if name == "String":
            words.append(_Word(el.get("CONTENT", ""), _number(el.get("WC")),
                               _alto_chars(el.get("CC"), el.get("CONTENT", "")),
                               _alto_box(el), (el.sourceline or 1,)))
        elif name == "HYP" and words:  # its hyphen has no confidence: no per-char list then
            last = words[-1]
            last.text += el.get("CONTENT", "-")
            last.chars, last.hyphenated = None, True
    return _Line(line.get("ID"), words)


def _alto_chars(cc: str | None, content: str) -> tuple[float, ...] | None:
    """ALTO ``@CC``: a digit per character, 0 sure .. 9 unsure (spaces between allowed)."""
    digits = (cc or "").replace(" ", "")
    if not digits or len(digits) != len(content) or not digits.isdigit():
        return None
    return tuple(1 - int(d) / 9 for d in digits)


def _alto_box(el: etree._Element) -> tuple[int, int, int, int] | None:
    try:
        x, y = float(el.get("HPOS", "")), float(el.get("VPOS", ""))
        w, h = float(el.get("WIDTH", "")), float(el.get("HEIGHT", ""))
    except ValueError:
        return None
    return _box(x, y, x + w, y + h)


# --- PAGE ---------------------------------------------------------------------------------


def _page(root: etree._Element) -> list[_Region]:
    regions = [el for el in root.iter("{*}TextRegion")]
    order: list[str] = []
    for ro in root.iter("{*}ReadingOrder"):
        order = _page_order(ro)
        break
    return [_Region(r.get("id"), [_page_line(line) for line in _kids(r, "TextLine")])
            for r in _ordered(regions, order)]


def _page_order(group: etree._Element) -> list[str]:
    """Region ids of a reading order: indexed members by ``@index``, nested groups flattened."""
    members = [el for el in group if isinstance(el.tag, str)]
    if any(el.get("index") is not None for el in members):
        members.sort(key=lambda el: _int(el.get("index"), 0))
    out: list[str] = []
    for el in members:
        if el.get("regionRef"):
            out.append(el.get("regionRef", ""))
        out.extend(_page_order(el))
    return out


def _page_line(line: etree._Element) -> _Line:
    words = [_page_word(w) for w in _kids(line, "Word")]
    if not any(w.text for w in words):
        text, conf = _page_equiv(line)
        words = [_Word(t, conf, None, None, (line.sourceline or 1,)) for t in text.split()]
    return _Line(line.get("id"), words)


def _page_word(word: etree._Element) -> _Word:
    text, conf = _page_equiv(word)
    uni = next((u for e in _kids(word, "TextEquiv") for u in _kids(e, "Unicode")), word)
    glyphs = [_page_equiv(g) for g in _kids(word, "Glyph")]
    chars = None
    if glyphs and "".join(t for t, _ in glyphs) == text and all(c is not None for _, c in glyphs):
        chars = tuple(c for _, c in glyphs if c is not None)
    return _Word(text.strip(), conf, chars, _page_box(word), (uni.sourceline or 1,))


def _page_equiv(el: etree._Element) -> tuple[str, float | None]:
    """The text and confidence of an element's first ``TextEquiv`` (by ``@index``)."""
    equivs = sorted(_kids(el, "TextEquiv"), key=lambda e: _int(e.get("index"), 0))
    if not equivs:
        return "", None
    uni = next(_kids(equivs[0], "Unicode"), None)
    return (uni.text or "") if uni is not None else "", _number(equivs[0].get("conf"))


def _page_box(el: etree._Element) -> tuple[int, int, int, int] | None:
    coords = next(_kids(el, "Coords"), None)
    if coords is None:
        return None
    points = [p.split(",") for p in (coords.get("points") or "").split()]
    points += [[p.get("x", ""), p.get("y", "")] for p in _kids(coords, "Point")]
    try:
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
    except (ValueError, IndexError):
        return None
    return _box(min(xs), min(ys), max(xs), max(ys)) if xs else None


# --- hOCR ---------------------------------------------------------------------------------

_LINES = {"ocr_line", "ocrx_line", "ocr_header", "ocr_caption", "ocr_textfloat"}


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split()) if isinstance(el.tag, str) else set()


def _title(el: etree._Element) -> dict[str, str]:
    """The ``title`` properties of an hOCR element (``bbox 1 2 3 4; x_wconf 90``)."""
    out = {}
    for part in (el.get("title") or "").split(";"):
        key, _, value = part.strip().partition(" ")
        if key:
            out[key] = value.strip()
    return out


def _hocr(root: etree._Element) -> list[_Region]:
    regions: list[_Region] = []
    owner: dict[etree._Element, _Region] = {}
    for el in root.iter():
        if not _classes(el) & _LINES:
            continue
        area = next((a for a in el.iterancestors() if _classes(a) & {"ocr_par", "ocr_carea"}),
                    None)
        if area not in owner:
            region = _Region(area.get("id") if area is not None else None, [])
            owner[area] = region
            regions.append(region)
        owner[area].lines.append(_hocr_line(el))
    return regions


def _hocr_line(line: etree._Element) -> _Line:
    words = [_hocr_word(w) for w in line.iter() if "ocrx_word" in _classes(w)]
    if not words:  # a line read whole (OCRopus): its words, no confidence or box
        text = "".join(line.itertext())
        words = [_Word(t, lines=(line.sourceline or 1,)) for t in text.split()]
    return _Line(line.get("id"), words)


def _hocr_word(el: etree._Element) -> _Word:
    props = _title(el)
    text = " ".join("".join(el.itertext()).split())
    box = None
    bbox = props.get("bbox", "").split()
    if len(bbox) == 4 and all(re.fullmatch(r"-?\d+(\.\d+)?", b) for b in bbox):
        box = _box(*(float(b) for b in bbox))
    confs = [_number(c, 100) for c in props.get("x_confs", "").split()]
    if not confs:
        confs = [_number(_title(c).get("x_conf"), 100) for c in el.iter()
                 if "ocrx_cinfo" in _classes(c)]
    chars = tuple(c for c in confs if c is not None)
    return _Word(text, _number(props.get("x_wconf"), 100),
                 chars if len(chars) == len(text) and chars else None, box,
                 (el.sourceline or 1,))


# --- ABBYY FineReader XML (and Tesseract's ABBYY-like XML) -------------------------------


def _abbyy(root: etree._Element) -> list[_Region]:
    regions: list[_Region] = []
    blocks = [b for b in root.iter("{*}block") if next(b.iter("{*}charParams"), None) is not None]
    if not blocks:  # Tesseract's ABBYY-like XML: text > line, no blocks
        blocks = [t for t in root.iter("{*}text")]
    for block in blocks:
        lines = [_abbyy_line(line) for line in block.iter("{*}line")]
        regions.append(_Region(block.get("blockName") or None, lines))
    return regions


def _abbyy_line(line: etree._Element) -> _Line:
    words: list[_Word] = []
    chars: list[tuple[str, float | None, tuple[float, ...], int]] = []
    for ch in line.iter("{*}charParams"):
        text = ch.text or " "
        if ch.get("wordStart") == "true":
            text = " " + text
        conf = _number(_known(ch.get("charConfidence")), 100)
        for c in text:  # a charParams holds one character, or a few (a ligature read as two)
            if c.isspace():
                _abbyy_word(chars, words)
                chars = []
            else:
                chars.append((c, conf, _edges(ch), ch.sourceline or 1))
    _abbyy_word(chars, words)
    return _Line(None, words)


def _edges(el: etree._Element) -> tuple[float, ...]:
    """An ABBYY element's ``l t r b`` (NaN where one is missing or not a number)."""
    out = []
    for key in "ltrb":
        try:
            out.append(float(el.get(key, "nan")))
        except ValueError:
            out.append(float("nan"))
    return tuple(out)


def _known(value: str | None) -> str | None:
    """ABBYY's ``charConfidence``, ``None`` for its "unknown" (-1 or 255)."""
    return None if value is None or value.strip() in ("-1", "255") else value


def _abbyy_word(chars: list[tuple[str, float | None, tuple[float, ...], int]],
                words: list[_Word]) -> None:
    """Append the word these characters make (nothing for none)."""
    if not chars:
        return
    known = [c for _, c, _, _ in chars if c is not None]
    confs = tuple(known) if len(known) == len(chars) else None
    words.append(_Word("".join(c for c, _, _, _ in chars), min(known) if known else None,
                       confs, _abbyy_edges([e for _, _, e, _ in chars]),
                       tuple(n for _, _, _, n in chars)))


def _abbyy_edges(edges: list[tuple[float, ...]]) -> tuple[int, int, int, int] | None:
    good = [e for e in edges if len(e) == 4 and all(x == x for x in e)]
    if not good:
        return None
    return _box(min(e[0] for e in good), min(e[1] for e in good),
                max(e[2] for e in good), max(e[3] for e in good))


def words_json(words: Iterable[OcrWord]) -> list[list[Any]]:
    """The compact JSON of an OCR witness's words, one ``[start, end, confidence, box]`` each
    (``confidence`` rounded to 4 places, ``None`` where unknown; ``box`` ``[x0, y0, x1, y1]``
    or ``None``), so that an edition can point each reading back to its place on the page.

    >>> words_json([OcrWord(0, 6, 0.93126, box=(10, 20, 70, 40)), OcrWord(7, 9)])
    [[0, 6, 0.9313, [10, 20, 70, 40]], [7, 9, None, None]]
    """
    return [[w.start, w.end, None if w.confidence is None else round(w.confidence, 4),
             None if w.box is None else list(w.box)] for w in words]
