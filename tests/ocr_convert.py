"""Writing one OCR reading in the other OCR formats, for the tests: a page read from hOCR is
written as ALTO v4, PAGE 2019 and ABBYY FineReader 10 XML with the same words, lines,
regions, boxes and confidences, so that every reader can be checked on the same real page."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from lxml import etree

from collate.model import OcrWord, Witness

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
ABBYY_NS = "http://www.abbyy.com/FineReader_xml/FineReader10-schema-v1.xml"

Lines = list[tuple[str, list[tuple[str, list[OcrWord]]]]]
"""Regions in reading order: ``(region id, [(line id, words)])``."""


def layout(witness: Witness) -> Lines:
    """The witness's words grouped by region, then line, in the order of the text."""
    return [(region, [(line, list(ws)) for line, ws in groupby(group, key=lambda w: w.line or "")])
            for region, group in groupby(witness.words, key=lambda w: w.region or "")]


def _box(word: OcrWord) -> tuple[int, int, int, int]:
    return word.box or (0, 0, 0, 0)


def _text(witness: Witness, word: OcrWord) -> str:
    return witness.text[word.start : word.end]


def to_alto(witness: Witness) -> bytes:
    """ALTO v4, blocks in reverse order in the file and a ReadingOrder that puts them back."""
    root = etree.Element(f"{{{ALTO_NS}}}alto", nsmap={None: ALTO_NS})
    regions = layout(witness)
    group = etree.SubElement(etree.SubElement(root, f"{{{ALTO_NS}}}ReadingOrder"),
                             f"{{{ALTO_NS}}}OrderedGroup", ID="ro")
    space = etree.SubElement(etree.SubElement(etree.SubElement(root, f"{{{ALTO_NS}}}Layout"),
                                              f"{{{ALTO_NS}}}Page", ID="p"),
                             f"{{{ALTO_NS}}}PrintSpace")
    blocks = []
    for k, (_, lines) in enumerate(regions):
        etree.SubElement(group, f"{{{ALTO_NS}}}ElementRef", ID=f"e{k}", REF=f"b{k}")
        block = etree.Element(f"{{{ALTO_NS}}}TextBlock", ID=f"b{k}")
        for j, (_, words) in enumerate(lines):
            line = etree.SubElement(block, f"{{{ALTO_NS}}}TextLine", ID=f"b{k}l{j}")
            for i, w in enumerate(words):
                if i:
                    etree.SubElement(line, f"{{{ALTO_NS}}}SP")
                x0, y0, x1, y1 = _box(w)
                attrs = {"CONTENT": _text(witness, w), "HPOS": str(x0), "VPOS": str(y0),
                         "WIDTH": str(x1 - x0), "HEIGHT": str(y1 - y0)}
                if w.confidence is not None:
                    attrs["WC"] = f"{w.confidence:.2f}"
                etree.SubElement(line, f"{{{ALTO_NS}}}String", attrs)
        blocks.append(block)
    for block in reversed(blocks):
        space.append(block)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def to_page(witness: Witness) -> bytes:
    """PAGE 2019, regions in reverse order in the file and a ReadingOrder that puts them back."""
    def el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{PAGE_NS}}}{tag}", attrs)

    root = etree.Element(f"{{{PAGE_NS}}}PcGts", nsmap={None: PAGE_NS})
    page = el(root, "Page", imageFilename="page.png", imageWidth="0", imageHeight="0")
    group = el(el(page, "ReadingOrder"), "OrderedGroup", id="ro")
    regions = layout(witness)
    made = []
    for k, (_, lines) in enumerate(regions):
        el(group, "RegionRefIndexed", index=str(k), regionRef=f"r{k}")
        region = etree.Element(f"{{{PAGE_NS}}}TextRegion", id=f"r{k}")
        for j, (_, words) in enumerate(lines):
            line = el(region, "TextLine", id=f"r{k}l{j}")
            for i, w in enumerate(words):
                word = el(line, "Word", id=f"r{k}l{j}w{i}")
                x0, y0, x1, y1 = _box(w)
                el(word, "Coords", points=f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}")
                equiv = el(word, "TextEquiv", **({} if w.confidence is None
                                                 else {"conf": f"{w.confidence:.2f}"}))
                el(equiv, "Unicode").text = _text(witness, w)
        made.append(region)
    for region in reversed(made):
        page.append(region)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def to_abbyy(witness: Witness) -> bytes:
    """ABBYY FineReader 10 XML: a block per region, a charParams per character (the word's
    box split evenly), the word's confidence as each character's, spaces between words."""
    def el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{ABBYY_NS}}}{tag}", attrs)

    root = etree.Element(f"{{{ABBYY_NS}}}document", nsmap={None: ABBYY_NS})
    page = el(root, "page", width="0", height="0")
    for _, lines in layout(witness):
        par = el(el(el(page, "block", blockType="Text"), "text"), "par")
        for _, words in lines:
            fmt = el(el(par, "line"), "formatting")
            for i, w in enumerate(words):
                x0, y0, x1, y1 = _box(w)
                if i:
                    el(fmt, "charParams", l=str(x0), t=str(y0), r=str(x0), b=str(y1)).text = " "
                text = _text(witness, w)
                step = (x1 - x0) / max(1, len(text))
                conf = "-1" if w.confidence is None else str(round(100 * w.confidence))
                for j, c in enumerate(text):
                    el(fmt, "charParams", l=str(round(x0 + j * step)), t=str(y0),
                       r=str(round(x0 + (j + 1) * step)), b=str(y1), charConfidence=conf).text = c
    return b"\xef\xbb\xbf" + etree.tostring(root, xml_declaration=True, encoding="UTF-8")


WRITERS: dict[str, tuple[str, Callable[[Witness], bytes]]] = {
    "alto": (".alto.xml", to_alto), "page": (".page.xml", to_page),
    "abbyy": (".abbyy.xml", to_abbyy),
}
"""Format name -> (file suffix, writer)."""
