"""HTML editions: one self-contained file, all witness text escaped, data as a JSON blob."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import lxml.html

from collate.edition import make_edition
from collate.reader import read_witnesses
from collate.render.html import edition_data, render_html
from tests.edition_fixtures import memo_edition

ROOT = Path(__file__).resolve().parents[1]

EVIL_TEXT = 'The <script>alert(1)</script> cat " onmouseover="alert(2)" x=" □□ately </body>'
EVIL_ID = '"><img src=x onerror=alert(3)>'


def evil_edition():
    return make_edition([("A", EVIL_TEXT), (EVIL_ID, "The dog cat Lately &amp; </script>")],
                        base="A")


def test_hostile_witness_is_inert_and_kept_verbatim():
    page = render_html(evil_edition())
    doc = lxml.html.document_fromstring(page)
    scripts = doc.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/json", None]
    assert not [el for el in doc.iter() if isinstance(el.tag, str) and any(
        k.startswith("on") for k in el.attrib)]
    assert not doc.xpath("//img")
    assert "<script>alert" not in page and "</script> cat" not in page
    data = json.loads(scripts[0].text)
    assert data["wits"][1]["id"] == EVIL_ID
    rebuilt = "".join(p if isinstance(p, str) else p["m"]
                      for seg in data["segs"] for wits, pieces, *_ in seg if 0 in wits
                      for p in pieces)
    assert " ".join(rebuilt.split()) == " ".join(EVIL_TEXT.split())


def test_self_contained_with_a_strict_content_security_policy():
    page = render_html(make_edition(read_witnesses(sorted((ROOT / "samples" / "poem").glob(
        "*.txt")))))
    doc = lxml.html.document_fromstring(page)
    assert not doc.xpath("//link | //script[@src] | //img[@src] | //iframe")
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    code = doc.xpath("//script[not(@type)]")[0].text
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", f"'sha256-{digest}'"]
    assert "default-src 'none'" in csp


def test_data_groups_witnesses_and_carries_candidates():
    data = edition_data(memo_edition(base="A"))
    assert [w["id"] for w in data["wits"]] == ["A", "B", "C"]
    lacunae = [p for seg in data["segs"] for _, pieces, *_ in seg for p in pieces
               if isinstance(p, dict)]
    recently = next(p for p in lacunae if p["r"] == "R")
    assert recently["m"] == "□□" and recently["cert"] == "high" and recently["l"] == "[R]"
    nothing = next(p for p in lacunae if p["r"] == "")
    assert nothing["l"] == "[∅]"  # its Leiden form, shown once: no CSS mark beside it
    text, confidence, sources, reasons = recently["c"][0]
    assert reasons == []  # hand-made candidates give none (real ones: test_browser)
    assert text == "R" and confidence > 0.8 and "witness:B" in sources
    variants = [seg for seg in data["segs"] if len(seg) > 1]
    assert any(sorted(i for wits, *_ in seg for i in wits) == [0, 1, 2] for seg in variants)


def test_viewer_gets_leiden_forms_from_python():
    # the viewer shows p.l as given: one implementation of the notation, in Python
    from collate.model import Lacuna, RestoredLacuna
    from collate.render.html import _lacuna

    lost = RestoredLacuna(Lacuna(0, 2, "□□", 1, 3, "in-word", "box"), ())
    assert (_lacuna(lost)["l"], _lacuna(lost)["r"]) == ("[c.2]", None)
    assert "leiden(" not in (Path(__file__).parents[1] / "collate/render/edition.js").read_text()


def test_synopsis_data_marks_both_places_of_a_moved_block():
    ed = make_edition([("A", "the king rode out at first light with all his men"),
                       ("B", "at first light the king rode out with all his men")],
                      restore=False)
    data = edition_data(ed)
    assert len(data["moves"]) == 1
    for wit, first, last in data["moves"][0]:
        text = "".join(p for s in range(first, last + 1) for wits, pieces, *_ in data["segs"][s]
                       if wit in wits for p in pieces)
        assert text.strip() == "at first light"


def test_synopsis_lays_swapped_blocks_in_one_row_each_marked():
    ed = make_edition([("A", "the black dog chases a red cat"),
                       ("B", "a red cat chases the black dog")], restore=False)
    data = edition_data(ed)
    rows = [{w: "".join(pieces).strip() for wits, pieces, *_ in seg for w in wits}
            for seg in data["segs"]]
    assert rows == [{0: "the black dog", 1: "a red cat"}, {0: "chases", 1: "chases"},
                    {0: "a red cat", 1: "the black dog"}]
    assert sorted(map(sorted, data["moves"])) == [[[0, 0, 0], [1, 2, 2]], [[0, 2, 2], [1, 0, 0]]]


def test_ocr_readings_say_where_they_stand_on_the_page() -> None:
    """At a variant place, each OCR witness's reading carries its page region, the box of its
    words and the engine's confidence (the synoptic cell's tooltip); plain witnesses none."""
    cases = Path(__file__).parent / "cases" / "ocr"
    ed = make_edition(read_witnesses([cases / "alto_v4.xml", cases / "hocr.html"]),
                      restore=False)
    data = edition_data(ed)
    hyphen = next(groups for groups in data["segs"] if len(groups) == 2)
    places = {k: where for group in hyphen for k, where in group[4].items()}
    assert places == {0: "page: region r1, box 430,40-470,80, engine confidence 0.88",
                      1: "page: region par_1, box 430,40-480,80, engine confidence 0.88"}
    plain = edition_data(make_edition([("A", "a b"), ("B", "a c")], restore=False))
    assert all(len(group) == 4 for groups in plain["segs"] for group in groups)
    assert "page: region r1, box 430,40-470,80" in render_html(ed)
