"""TEI/EpiDoc witnesses: read safely, the editor's supplied text kept as text and marked, gaps as
lacunae, every character placed in the XML file."""

from __future__ import annotations

import pytest
import regex

from collate.errors import InputError
from collate.lacunae import detect
from collate.xmlsource import witness_from_tei
from tests.conftest import DATA

HEAD = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
TAIL = "</body></text></TEI>"


def test_gap_and_supplied():
    w = witness_from_tei(HEAD + '<ab>publi<supplied reason="lost">cae</supplied> '
                         '<gap reason="lost" quantity="4" unit="character"/>ritatis<lb/>'
                         'd<ex>omino</ex> n<gap reason="lost" extent="unknown" unit="character"/>'
                         "</ab>" + TAIL, "x.xml", "x")
    assert w.text == "publicae [.4]ritatis\nd n[---]\n"
    assert [(m.kind, w.text[m.start : m.end]) for m in w.marks] == [
        ("supplied", "cae"), ("gap", "[.4]"), ("gap", "[---]")]
    assert [(x.marker, x.min_chars, x.max_chars) for x in detect(w.text)] == [
        ("[.4]", 4, 4), ("[---]", 1, None)]


EPI = (  # an EpiDoc inscription: supplied, a gap of stated extent, unclear letters
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n'
    '  <text><body><div type="edition"><ab>\n'
    '    <lb n="1"/>The harbour master wrote to the council in the autumn.\n'
    '    <lb n="2"/>The <supplied reason="lost" cert="low" resp="#ed">eastern</supplied> wall '
    "had fallen.\n"
    '    <lb n="3"/>He asked for a <gap reason="lost" quantity="4" unit="character"/> on the '
    '<unclear reason="damage">rocks</unclear>.\n'
    "  </ab></div></body></text>\n</TEI>\n")


def test_supplied_text_is_kept_as_text_with_its_mark():
    w = witness_from_tei(EPI, "epi.xml", "epi")
    assert w.text == ("The harbour master wrote to the council in the autumn.\n"
                      "The eastern wall had fallen.\nHe asked for a [.4] on the rocks.\n")
    supplied, gap, unclear = w.marks
    assert (w.text[supplied.start : supplied.end], supplied.kind, supplied.reason,
            supplied.cert, supplied.resp) == ("eastern", "supplied", "lost", "low", "#ed")
    assert (w.text[gap.start : gap.end], gap.kind, gap.reason, gap.extent) == (
        "[.4]", "gap", "lost", "4 character")
    assert (w.text[unclear.start : unclear.end], unclear.kind, unclear.reason) == (
        "rocks", "unclear", "damage")
    assert "□" not in w.text and [x.marker for x in detect(w.text)] == ["[.4]"]


def test_positions_are_those_of_the_xml_file():
    w = witness_from_tei(EPI, "epi.xml", "epi")
    lines = EPI.splitlines()
    gap = w.text.index("[.4]")
    line, column = w.position(gap)
    assert lines[line - 1][column - 1 :].startswith("<gap ")
    for word in ("harbour", "eastern", "rocks", "asked"):  # each character, in its place
        for k in range(len(word)):
            line, column = w.position(w.text.index(word) + k)
            assert lines[line - 1][column - 1] == word[k]


def test_positions_count_references_and_crlf_as_the_file_has_them():
    xml = HEAD + "<p>a &amp; b\r\n<hi>c</hi>&#x44;&#233;\u00e9f</p>" + TAIL
    w = witness_from_tei(xml.encode(), "x.xml", "x")
    assert w.text == "a & b\ncDééf\n"
    cols = [w.position(k) for k in range(len(w.text) - 1)]
    start = len(HEAD) + 4
    assert cols[:5] == [(1, start), (1, start + 1), (1, start + 2), (1, start + 7), (1, start + 8)]
    assert cols[6:] == [(2, 5), (2, 11), (2, 17), (2, 23), (2, 24)]


def test_positions_without_expat_keep_the_line():
    """An encoding lxml reads and expat does not: each character keeps its element's line
    (column 0: unknown)."""
    xml = ('<?xml version="1.0" encoding="Shift_JIS"?>\n' + HEAD + "\n<p>ab\u65e5</p>"
           + TAIL).encode("shift_jis")
    w = witness_from_tei(xml, "x.xml", "x")
    assert w.text == "ab\u65e5\n" and w.position(2) == (3, 0)


def test_choice_del_and_add_keep_what_is_written():
    w = witness_from_tei(HEAD + "<p><choice><sic>teh</sic><corr>the</corr></choice> "
                         "<choice><orig>vnto</orig><reg>unto</reg></choice> "
                         "<expan><abbr>Imp</abbr><ex>eratori</ex></expan> "
                         "<del rend=\"erasure\">Geta</del> <add>et</add></p>" + TAIL,
                         "x.xml", "x")
    assert w.text == "teh vnto Imp Geta et\n"
    assert [(m.kind, w.text[m.start : m.end], m.alternative) for m in w.marks] == [
        ("sic", "teh", "the"), ("orig", "vnto", "unto"), ("abbr", "Imp", "Imperatori"),
        ("del", "Geta", None), ("add", "et", None)]


def test_restore_leaves_the_editor_s_text_alone():
    from collate.restoration import restore

    w = witness_from_tei(HEAD + '<ab><supplied reason="lost">L</supplied>ately, the '
                         '<gap reason="lost" quantity="2" unit="character"/>ks</ab>' + TAIL,
                         "x.xml", "x")
    assert [rl.lacuna.marker for rl in restore(w.text, witnesses=["Lately, the clerks"]).lacunae
            ] == ["[.2]"]


@pytest.mark.parametrize("bad", ["<TEI><text>", "not xml at all <", ""])
def test_broken_xml_is_an_input_error(bad):
    with pytest.raises(InputError, match=r"^x\.xml: "):
        witness_from_tei(bad, "x.xml", "x")


def test_no_text_is_an_input_error():
    with pytest.raises(InputError, match="no TEI text"):
        witness_from_tei("<root><a/></root>", "x.xml", "x")


def test_entities_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>'
           + HEAD + "<p>a &x; b</p>" + TAIL)
    assert "TOP SECRET" not in witness_from_tei(xxe, "x.xml", "x").text
    lol = ('<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                     for p, c in zip("abcdefgh", "bcdefghi", strict=True))
           + "]>" + HEAD + "<p>&i;</p>" + TAIL)
    try:  # libxml2 either keeps the reference unexpanded or refuses the amplification
        assert len(witness_from_tei(lol, "x.xml", "x").text) < 100
    except InputError as err:
        assert "amplification" in str(err)


def test_isicily_reads_as_its_editors_restored_it():
    path = DATA / "epigraphy_isicily" / "ISic000065.xml"
    if not path.exists():
        pytest.skip(f"real data not found: {path}")
    w = witness_from_tei(path.read_bytes(), str(path), "ISic000065")
    restored = (DATA / "epigraphy_isicily" / "ISic000065.restored.txt").read_text().strip()
    assert w.text.splitlines()[:4] == restored.splitlines()[:4]
    supplied = [w.text[m.start : m.end] for m in w.marks if m.kind == "supplied"]
    assert supplied[:3] == ["aesari", "divi", "Antoni"]


def test_apparatus_reads_the_lemma():
    w = witness_from_tei(HEAD + '<p>The <app><lem wit="#A">cat</lem><rdg wit="#B">cot</rdg></app>'
                         ' sat.</p>' + TAIL, "x.xml", "x")
    assert w.text == "The cat sat.\n"


def _isicily_with_gaps(path, make_gap):
    """An I.Sicily EpiDoc file whose plain ``<supplied reason="lost">`` runs (text only, in a
    line of the edition) are replaced by ``make_gap(n)``, n the run's grapheme count; with the
    counts and the texts replaced."""
    from lxml import etree

    from collate.xmlsource import parse

    root = parse(path.read_bytes(), str(path))
    counts, texts = [], []
    for el in list(root.iter("{*}supplied")):
        text = regex.sub(r"\s+", " ", el.text or "")
        if (el.get("reason", "lost") != "lost" or len(el) or not regex.search(r"\p{L}", text)
                or etree.QName(el.getparent()).localname not in ("ab", "l", "p")):
            continue
        n = len(regex.findall(r"\X", text))
        gap = etree.fromstring(f'<gap xmlns="http://www.tei-c.org/ns/1.0" {make_gap(n)}/>')
        gap.tail = el.tail
        el.getparent().replace(el, gap)
        counts.append(n)
        texts.append(text)
    return etree.tostring(root), counts, texts


def _plain(path):
    """Whether the inscription as read holds no Leiden gap of its own."""
    text = witness_from_tei(path.read_bytes(), path.name, "x").text
    return not any(x.convention == "leiden" for x in detect(text))


ISICILY = [p for p in sorted((DATA / "epigraphy_isicily").glob("ISic*.xml")) if _plain(p)]


@pytest.mark.skipif(not ISICILY, reason=f"real data not found: {DATA / 'epigraphy_isicily'}")
def test_epidoc_gaps_read_with_their_exact_length():
    """Every inscription, its editors' restorations turned into EpiDoc gaps of the same
    extent: each gap reads as exactly that many characters, where the inscription as edited
    has the supplied text, and the raw XML gives the same lengths to ``detect``."""
    gaps = 0
    for path in ISICILY:
        xml, counts, texts = _isicily_with_gaps(
            path, lambda n: f'reason="lost" quantity="{n}" unit="character"')
        w = witness_from_tei(xml, path.name, "x")
        found = [(x.min_chars, x.max_chars) for x in detect(w.text) if x.convention == "leiden"]
        assert found == [(n, n) for n in counts], path.name
        pieces = regex.split(r"\[\.\d+\]", w.text)
        filled = "".join(p + t for p, t in zip(pieces, [*texts, ""], strict=True))
        assert filled == witness_from_tei(path.read_bytes(), path.name, "x").text, path.name
        raw = [(x.min_chars, x.max_chars) for x in detect(xml.decode()) if x.convention == "tei"]
        assert raw == [(n, n) for n in counts], path.name
        gaps += len(counts)
    assert len(ISICILY) >= 35 and gaps > 150  # most of the 41 files took part


@pytest.mark.skipif(not ISICILY, reason=f"real data not found: {DATA / 'epigraphy_isicily'}")
@pytest.mark.parametrize(("attrs", "expect"), [
    ('extent="{n}" unit="character"', lambda n: (n, n)),
    ('atLeast="{n}" atMost="{m}" unit="character"', lambda n: (n, n + 2)),
    ('quantity="{n}" unit="character" precision="low"',
     lambda n: (max(1, n - max(1, round(n / 4))), n + max(1, round(n / 4)))),
    ('extent="unknown" unit="character"', lambda n: (1, None)),
])
def test_epidoc_gap_forms(attrs, expect):
    path = max(ISICILY, key=lambda p: len(_isicily_with_gaps(p, lambda n: "")[1]))
    xml, counts, _ = _isicily_with_gaps(path, lambda n: attrs.format(n=n, m=n + 2))
    w = witness_from_tei(xml, path.name, "x")
    found = [(x.min_chars, x.max_chars) for x in detect(w.text) if x.convention == "leiden"]
    assert found == [expect(n) for n in counts] and len(counts) > 10
    raw = [(x.min_chars, x.max_chars) for x in detect(xml.decode()) if x.convention == "tei"]
    assert raw == found


def test_gap_of_lines_is_that_many_lost_lines():
    w = witness_from_tei(HEAD + '<ab>first<lb/><gap reason="lost" quantity="2" unit="line"/>'
                         "<lb/>last</ab>" + TAIL, "x.xml", "x")
    assert w.text == "first\n[---]\n[---]\nlast\n"
    assert [(w.text[m.start : m.end], m.extent) for m in w.marks] == [("[---]\n[---]", "2 line")]
    assert [x.kind for x in detect(w.text)] == ["line", "line"]
