"""TEI/EpiDoc witnesses: read safely, gaps as lacunae, supplied text as editor restorations."""

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
    assert w.text == "publi□□□ [.4]ritatis\nd n[---]"
    (sup,) = w.supplied
    assert (sup.lacuna.start, sup.lacuna.end, sup.lacuna.kind) == (5, 8, "in-word")
    assert sup.best.text == "cae" and sup.best.sources == ("editor",)
    assert [(x.marker, x.min_chars, x.max_chars) for x in detect(w.text)] == [
        ("□□□", 2, 5), ("[.4]", 4, 4), ("[---]", 1, None)]


def test_supplied_cert_maps_to_confidence():
    w = witness_from_tei(HEAD + '<p><supplied reason="lost" cert="low">X</supplied>yz</p>' + TAIL,
                         "x.xml", "x")
    assert w.supplied[0].best.confidence == 0.3


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


def test_isicily_matches_the_damaged_text():
    path = DATA / "epigraphy_isicily" / "ISic000065.xml"
    if not path.exists():
        pytest.skip(f"real data not found: {path}")
    w = witness_from_tei(path.read_bytes(), str(path), "ISic000065")
    damaged = (DATA / "epigraphy_isicily" / "ISic000065.damaged.txt").read_text().strip()
    assert w.text.splitlines()[:4] == damaged.splitlines()[:4]
    assert w.supplied[0].best.text == "aesari"


def test_apparatus_reads_the_lemma():
    w = witness_from_tei(HEAD + '<p>The <app><lem wit="#A">cat</lem><rdg wit="#B">cot</rdg></app>'
                         ' sat.</p>' + TAIL, "x.xml", "x")
    assert w.text == "The cat sat."


def _isicily_with_gaps(path, make_gap):
    """An I.Sicily EpiDoc file whose plain ``<supplied reason="lost">`` runs (text only, in a
    line of the edition) are replaced by ``make_gap(n)``, n the run's grapheme count."""
    from lxml import etree

    from collate.xmlsource import parse

    root = parse(path.read_bytes(), str(path))
    counts = []
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
    return etree.tostring(root), counts


def _plain(path):
    """Whether the inscription as read holds no Leiden gap of its own."""
    text = witness_from_tei(path.read_bytes(), path.name, "x").text
    return not any(x.convention == "leiden" for x in detect(text))


ISICILY = [p for p in sorted((DATA / "epigraphy_isicily").glob("ISic*.xml")) if _plain(p)]


@pytest.mark.skipif(not ISICILY, reason=f"real data not found: {DATA / 'epigraphy_isicily'}")
def test_epidoc_gaps_read_with_their_exact_length():
    """Every inscription, its editors' restorations turned into EpiDoc gaps of the same
    extent: each gap reads as exactly that many characters, where the damaged text has that
    many boxes, and the raw XML gives the same lengths to ``detect``."""
    gaps = 0
    for path in ISICILY:
        xml, counts = _isicily_with_gaps(
            path, lambda n: f'reason="lost" quantity="{n}" unit="character"')
        w = witness_from_tei(xml, path.name, "x")
        found = [(x.min_chars, x.max_chars) for x in detect(w.text) if x.convention == "leiden"]
        assert found == [(n, n) for n in counts], path.name
        boxed = regex.sub(r"\[\.(\d+)\]", lambda m: "□" * int(m.group(1)), w.text)
        assert boxed == witness_from_tei(path.read_bytes(), path.name, "x").text, path.name
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
    xml, counts = _isicily_with_gaps(path, lambda n: attrs.format(n=n, m=n + 2))
    w = witness_from_tei(xml, path.name, "x")
    found = [(x.min_chars, x.max_chars) for x in detect(w.text) if x.convention == "leiden"]
    assert found == [expect(n) for n in counts] and len(counts) > 10
    raw = [(x.min_chars, x.max_chars) for x in detect(xml.decode()) if x.convention == "tei"]
    assert raw == found


def test_gap_of_lines_is_that_many_lost_lines():
    w = witness_from_tei(HEAD + '<ab>first<lb/><gap reason="lost" quantity="2" unit="line"/>'
                         "<lb/>last</ab>" + TAIL, "x.xml", "x")
    assert w.text == "first\n[---]\n[---]\nlast"
    assert [x.kind for x in detect(w.text)] == ["line", "line"]
