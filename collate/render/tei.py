"""TEI P5 rendering of an edition: parallel segmentation, restorations with their certainty.

Encoding
--------
- ``teiHeader``: each witness in ``listWit`` as ``<witness xml:id="SIGLUM">`` (sigla made
  valid NCNames); ``<variantEncoding method="parallel-segmentation" location="internal"/>``;
  one ``respStmt`` per kind of evidence used (``collate.lm``, ``collate.lexicon``, ...).
- Where the witnesses differ: ``<app>`` with ``<lem wit="...">`` (the base text's reading) and
  one ``<rdg wit="...">`` per other distinct reading.
- Every lacuna: ``<choice><orig>MARKER</orig> ... </choice>`` (a ``<gap>`` of the source
  TEI stays a ``<gap>`` inside the ``<orig>``), where ``...`` is, for a restoration that
  reaches the edition's ``min_confidence``, a ``<supplied reason="lost" cert="high|medium|low">``
  (:func:`collate.evidence.certainty`) per candidate, best first, each holding
  ``<certainty locus="value" degree="P">`` (a ``<desc>`` in it for each reason the candidate
  was proposed, :mod:`collate.restoration.reasons`) and naming its evidence (``source="#B"`` for
  witness B, ``resp="#collate.lm"`` for the language model); otherwise first
  ``<seg type="unrestored"><gap reason="lost" quantity="N" unit="chars"/></seg>`` (with
  ``atLeast``/``atMost``/``precision="low"`` where the length is a range, ``extent="unknown"``
  where it has no bound), then the unconvincing candidates.
- Text a source TEI witness's editor supplied or marked unclear stays so, outside any
  ``<choice>``: ``<supplied reason="lost" cert="low" resp="#ed">eastern</supplied>``,
  ``<unclear>``, with the source's attributes.
- A block two witnesses have in different places (a transposition): in ``<body>``, a
  ``<listTranspose>`` with one ``<transpose n="A B">`` per block, whose two ``<ptr>`` point at
  the readings (``lem``/``rdg`` given an ``xml:id``) holding it in each witness.
- A witness read from an OCR file: a ``<facsimile>`` with its ``<surface>`` and a ``<zone>``
  per word (its box), and each of its readings in an ``<app>`` points at the words it
  overlaps (``facs="#facs.A.w12"``).
- Characters XML 1.0 cannot hold (C0 controls) become ``<g type="char" n="U+000C"/>``.

Rebuilding a witness
--------------------
All text lies in ``<body>`` under ``xml:space="preserve"``. Witness X is the text of the
body in document order, skipping every ``<supplied>`` inside a ``<choice>`` (collate's
proposals), skipping ``<lem>``/``<rdg>`` whose ``@wit`` does not list ``#X``, reading
``<g type="char" n="U+XXXX"/>`` as that character and a ``<gap>`` inside an ``<orig>`` as
the Leiden placeholder it was read as (:func:`collate.xmlsource.gap_marker`).
:func:`witness_text` does exactly that (the tests rebuild every witness with it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex
from lxml import etree

from collate.evidence import Marked, certainty
from collate.model import Mark, RestoredLacuna
from collate.render.moves import Place, moves
from collate.xmlsource import TEI_NS as TEI
from collate.xmlsource import gap_marker, parse

if TYPE_CHECKING:
    from collate.edition import Edition

XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI}}}"
_BAD_XML = regex.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RESP_NAMES = {
    "lm": "restoration proposed by collate's language model",
    "lexicon": "restoration proposed by collate's lexicon",
}


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    if parent is None:
        el = etree.Element(_T + tag, nsmap={None: TEI})
    else:
        el = etree.SubElement(parent, _T + tag)
    for k, v in attrs.items():
        el.set(k, v)
    return el


def _pictured(text: str) -> str:
    """``text`` with each character XML cannot hold shown by its name: a prose note (a
    ``<desc>``) may not hold the ``<g>`` that stands for it in a witness's text.

    >>> _pictured("a\x0cb\ufffe")
    'a␌bU+FFFE'
    """
    return _BAD_XML.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() < " "
                        else f"U+{ord(m.group()):04X}", text)


def _append_text(parent: etree._Element, text: str) -> None:
    """Append text to ``parent``'s content, escaping characters XML cannot hold as ``<g>``."""
    pos = 0
    for m in _BAD_XML.finditer(text):
        _put(parent, text[pos : m.start()])
        _el("g", parent, type="char", n=f"U+{ord(m.group()):04X}")
        pos = m.end()
    _put(parent, text[pos:])


def _put(parent: etree._Element, text: str) -> None:
    if not text:
        return
    try:  # the last child, found from the end: len(parent) would walk every child
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def render_tei(edition: Edition, *, title: str | None = None) -> str:
    """The edition as a TEI P5 document (a string with an XML declaration).

    >>> from collate.edition import make_edition
    >>> xml = render_tei(make_edition([("A", "a b"), ("B", "a c")]))
    >>> '<rdg wit="#B">c</rdg>' in xml or '<rdg wit="#A">b</rdg>' in xml
    True
    """
    used: dict[str, str] = {}
    root = _el("TEI")
    header = _header(edition, title, used)
    root.append(header)
    zones = _facsimile(root, edition)
    text = _el("text", root)
    body = _el("body", text)
    body.set(f"{{{XML_NS}}}space", "preserve")
    ab = _el("ab", body)
    places = moves(edition)
    wanted = {(s, p.witness) for pair in places for p in pair for s in range(p.first, p.last + 1)}
    named: dict[tuple[int, str], str] = {}  # (segment, witness) -> xml:id of its reading
    for i in range(len(edition.segments)):
        groups = edition.groups(i)
        if len(groups) == 1:
            _pieces(ab, edition, i, groups[0][0], used)
            continue
        app = _el("app", ab)
        for k, group in enumerate(groups):
            wit = " ".join("#" + edition.sigla[w] for w in group)
            reading = _el("lem" if k == 0 else "rdg", app, wit=wit)
            if facs := _facs(edition, i, group, zones):
                reading.set("facs", facs)
            if any((i, w) in wanted for w in group):
                reading.set(f"{{{XML_NS}}}id", f"seg{i}.{k}")
                named.update(((i, w), f"seg{i}.{k}") for w in group)
            _pieces(reading, edition, i, group[0], used)
    _transpositions(body, places, named)
    _resp_stmts(header, used)
    for el in (header, *root.iterchildren(f"{_T}facsimile")):
        etree.indent(el, level=1)
        el.tail = "\n"
    root.text = "\n"
    xml = etree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'


def _facsimile(root: etree._Element, edition: Edition) -> dict[str, list[tuple[int, int, str]]]:
    """A ``<facsimile>`` with a ``<surface>`` per OCR witness and a ``<zone>`` per word the
    engine gave a box (``ulx uly lrx lry`` in the file's units); returns, per witness id, its
    words' ``(start, end, zone id)``, for the readings' ``@facs``."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    facsimile = None
    for w in edition.witnesses:
        boxed = [(k, x) for k, x in enumerate(w.words) if x.box is not None]
        if not boxed:
            continue
        if facsimile is None:
            facsimile = _el("facsimile", root)
        siglum = edition.sigla[w.id]
        surface = _el("surface", facsimile)
        surface.set(f"{{{XML_NS}}}id", f"facs.{siglum}")
        out[w.id] = []
        for k, x in boxed:
            assert x.box is not None
            zone = _el("zone", surface, ulx=str(x.box[0]), uly=str(x.box[1]),
                       lrx=str(x.box[2]), lry=str(x.box[3]))
            zone.set(f"{{{XML_NS}}}id", f"facs.{siglum}.w{k}")
            if x.region:
                zone.set("n", x.region)
            out[w.id].append((x.start, x.end, f"facs.{siglum}.w{k}"))
    return out


def _facs(edition: Edition, seg: int, group: list[str],
          zones: dict[str, list[tuple[int, int, str]]]) -> str:
    """The ``@facs`` of a reading: the zones of the words it overlaps, in each OCR witness
    that reads it."""
    refs = []
    for wid in group:
        if wid in zones:
            r = edition.witness_reading(seg, wid)
            refs += [f"#{z}" for start, end, z in zones[wid] if start < r.end and r.start < end]
    return " ".join(refs)


def _transpositions(body: etree._Element, places: list[tuple[Place, Place]],
                    named: dict[tuple[int, str], str]) -> None:
    """``<listTranspose>``: for each moved block, a ``<ptr>`` to the readings holding it in
    one witness, then one to those holding it in the other (``@n`` names the two)."""
    found = []
    for pair in places:
        targets = [" ".join(f"#{named[s, p.witness]}" for s in range(p.first, p.last + 1)
                            if (s, p.witness) in named) for p in pair]
        if all(targets):
            found.append((pair, targets))
    if not found:
        return
    listing = _el("listTranspose", body)
    for (p, q), targets in found:
        move = _el("transpose", listing, n=f"{p.witness} {q.witness}")
        for target in targets:
            _el("ptr", move, target=target)


def _header(edition: Edition, title: str | None, used: dict[str, str]) -> etree._Element:
    header = _el("teiHeader")
    file_desc = _el("fileDesc", header)
    title_stmt = _el("titleStmt", file_desc)
    ids = ", ".join(edition.ids)
    _el("title", title_stmt).text = title or f"Collated edition of {ids}"
    pub = _el("publicationStmt", file_desc)
    _el("p", pub).text = "Generated by collate; not published."
    if edition.left_out:  # witnesses given but unreadable: said, so none is taken as silent
        notes = _el("notesStmt", file_desc)
        for name, problem in edition.left_out:
            _append_text(_el("note", notes, type="left-out"), f"{name}: {problem}")
    source = _el("sourceDesc", file_desc)
    list_wit = _el("listWit", source)
    for w in edition.witnesses:
        wit = _el("witness", list_wit)
        wit.set(f"{{{XML_NS}}}id", edition.sigla[w.id])
        _append_text(wit, w.id if not w.source or w.source == w.id else f"{w.id} ({w.source})")
    enc = _el("encodingDesc", header)
    _el("variantEncoding", enc, method="parallel-segmentation", location="internal")
    base = "the consensus of the witnesses" if edition.base == "consensus" else edition.base
    _el("p", enc).text = (
        f"Lemma: {base}. Lacunae are encoded as choice/orig (the placeholder as it stands in "
        "the witness) with supplied restorations ranked by confidence (certainty/@degree)."
    )
    if edition.consensus is not None:
        weights = ", ".join(f"{edition.sigla[w]} {x:.2f}"
                            for w, x in edition.consensus.weights.items())
        _el("p", enc).text = ("Witness reliability (log-odds weights of the consensus vote, "
                              f"estimated from the witnesses alone): {weights}.")
        taken = edition.consensus.taken()
        total = max(1, sum(taken.values()))
        took = ", ".join(f"{edition.sigla[w]} {n} ({100 * n / total:.0f} %)"
                         for w in edition.ids for n in [taken.get(w, 0)])
        _el("p", enc).text = f"Characters of the consensus text taken from each witness: {took}."
        whole = edition.consensus.taken_whole()
        if whole:
            regions = ", ".join(f"{edition.sigla[w]} {whole[w]}" for w in edition.ids if w in whole)
            _el("p", enc).text = ("Regions where a single witness read more plausibly than the "
                                  f"vote, its reading taken whole: {regions}.")
    return header


def _resp_stmts(header: etree._Element, used: dict[str, str]) -> None:
    title_stmt = header.find(f"{_T}fileDesc/{_T}titleStmt")
    for key, rid in used.items():
        stmt = _el("respStmt", title_stmt)
        stmt.set(f"{{{XML_NS}}}id", rid)
        _el("resp", stmt).text = RESP_NAMES.get(key, f"restoration evidence: {key}")
        _el("name", stmt).text = "collate"


def _pieces(parent: etree._Element, edition: Edition, seg: int, wid: str,
            used: dict[str, str]) -> None:
    r = edition.witness_reading(seg, wid)
    for p in r.parts():
        if isinstance(p, str):
            _append_text(parent, p)
        elif isinstance(p, Marked):  # the source's editor's mark, with its attributes
            el = _el(p.mark.kind, parent)
            for key in ("reason", "cert", "resp"):
                value = getattr(p.mark, key)
                if value:
                    el.set(key, value)
            _append_text(el, p.text)
        else:
            gap = next((m for m in r.marks if m.kind == "gap" and m.start <= p.lacuna.start
                        and p.lacuna.end <= m.end), None)
            _lacuna(parent, edition, p, used, gap)


def _lacuna(parent: etree._Element, edition: Edition, rl: RestoredLacuna,
            used: dict[str, str], gap_mark: Mark | None = None) -> None:
    choice = _el("choice", parent)
    orig = _el("orig", choice)
    source_gap = _gap(orig, rl) if gap_mark is not None else None
    if source_gap is not None and gap_mark is not None and gap_mark.reason:
        source_gap.set("reason", gap_mark.reason)
    if source_gap is None or gap_marker(source_gap) != rl.lacuna.marker:
        orig.clear()
        _append_text(orig, rl.lacuna.marker)
    if rl.accepted(edition.min_confidence) is None and len(orig) == 0:  # else orig has it
        _gap(_el("seg", choice, type="unrestored"), rl)
    for cand in rl.candidates:
        sup = _el("supplied", choice, reason="lost", cert=certainty(cand.confidence))
        witnesses, resp = [], []
        for src in cand.sources:
            if src.startswith("witness:") and src[8:] in edition.sigla:
                witnesses.append("#" + edition.sigla[src[8:]])
            else:
                key = regex.sub(r"[^\w.-]", "_", src) or "unknown"
                rid = used.setdefault(key, f"collate.{key}")
                resp.append("#" + rid)
        if witnesses:
            sup.set("source", " ".join(witnesses))
        if resp:
            sup.set("resp", " ".join(resp))
        sure = _el("certainty", sup, locus="value", degree=f"{cand.confidence:.4g}")
        for why in cand.reasons:  # why it was proposed, checkable against the texts
            _put(_el("desc", sure), _pictured(why))
        _append_text(sup, cand.text)


def _gap(parent: etree._Element, rl: RestoredLacuna) -> etree._Element:
    """A ``<gap/>`` for a lacuna: its length, or its range, or an unknown extent."""
    lac = rl.lacuna
    gap = _el("gap", parent, reason="lost", unit="chars")
    if lac.max_chars is None:
        gap.set("atLeast", str(lac.min_chars))
        gap.set("extent", "unknown")
    elif lac.max_chars == lac.min_chars:
        gap.set("quantity", str(lac.min_chars))
    else:  # the estimate Leiden prints as [c.N], with its range
        gap.set("quantity", str(round((lac.min_chars + lac.max_chars) / 2)))
        gap.set("atLeast", str(lac.min_chars))
        gap.set("atMost", str(lac.max_chars))
        gap.set("precision", "low")
    return gap


def witness_text(tei: str | bytes, siglum: str) -> str:
    """Rebuild witness ``siglum``'s exact text from a TEI edition made by :func:`render_tei`.

    >>> from collate.edition import make_edition
    >>> witness_text(render_tei(make_edition([("A", "a b\\n"), ("B", "a c")])), "B")
    'a c'
    """
    root = parse(tei, "<tei>")
    body = root.find(f"{_T}text/{_T}body")
    out: list[str] = []
    want = "#" + siglum

    def walk(el: etree._Element) -> None:
        name = etree.QName(el).localname
        parent = el.getparent()
        proposal = name == "supplied" and parent is not None and \
            etree.QName(parent).localname == "choice"
        skip = proposal or (name in ("lem", "rdg") and want not in (el.get("wit") or "").split())
        if not skip:
            if name == "g" and el.get("type") == "char":
                out.append(chr(int(el.get("n", "U+0020")[2:], 16)))
            if name == "gap" and parent is not None and etree.QName(parent).localname == "orig":
                out.append(gap_marker(el))
            out.append(el.text or "")
            for child in el:
                walk(child)
        out.append(el.tail or "")

    for child in body:
        walk(child)
    return "".join(out)
