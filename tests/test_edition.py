"""Editions: base choice, consensus, restorations merged from editors, JSON rebuilds witnesses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.edition import (
    Edition,
    certainty,
    make_edition,
    ncname,
    rebuild_witness,
)
from collate.reader import read_witnesses
from collate.reliability import plausibility_cost
from collate.xmlsource import witness_from_tei
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]


def assert_json_rebuilds(ed: Edition) -> dict:
    data = json.loads(json.dumps(ed.to_dict(), ensure_ascii=False))
    for w in ed.witnesses:
        assert rebuild_witness(data, w.id) == w.text, w.id
    return data


def sample(name: str) -> list:
    return read_witnesses(sorted((ROOT / "samples" / name).glob("*.txt")))


def test_memo_consensus_restores_from_witnesses():
    ed = make_edition(sample("memo"))
    text = ed.base_text()
    assert "Recently" in text and "□" not in text and "☐" not in text
    assert "The director of the archive agrees" in text
    # majority: A and B read "that ... during", C "which ... in"
    assert "archive that was carried out during the month" in text
    data = assert_json_rebuilds(ed)
    assert data["base"] == "consensus" and data["text"] == text
    lac = data["restorations"]["A"]["lacunae"]
    assert any(x["candidates"][0]["text"] == "R" for x in lac)


def test_base_witness_is_the_lemma_everywhere():
    ed = make_edition(sample("memo"), base="C")
    assert {s.base for s in ed.segments} == {"C"}
    assert ed.base_text(restored=False) == ed.text("C")
    assert "which was carried out in the month" in ed.base_text()
    assert "The director of the archive agrees" in ed.base_text()  # C's □□□□□□□ restored


def test_unknown_base_is_refused():
    with pytest.raises(ValueError, match="neither 'consensus' nor a witness id"):
        make_edition(["a b", "a c"], base="Z")


def test_single_witness_edition():
    ed = make_edition([("seed", "□□\n\n□□ately, the cat sat.")])
    assert len(ed.ids) == 1
    assert not any(ed.is_variant(i) for i in range(len(ed.segments)))
    assert_json_rebuilds(ed)
    assert ed.base_text(restored=False) == "□□\n\n□□ately, the cat sat."


def test_poem_variants_grouped():
    ed = make_edition(sample("poem"))
    places = [ed.variants(i) for i in range(len(ed.segments)) if len(ed.variants(i)) > 1]
    assert len(places) >= 6
    assert all(sorted(w for g in p for w in g) == ["1850", "1855"] for p in places)
    assert_json_rebuilds(ed)


def test_whitespace_only_differences_are_no_apparatus_variant():
    ed = make_edition([("A", "one two three"), ("B", "one two\nthree")])
    assert max(len(ed.groups(i)) for i in range(len(ed.segments))) == 2
    assert max(len(ed.variants(i)) for i in range(len(ed.segments))) == 1
    assert_json_rebuilds(ed)


def test_consensus_breaks_two_witness_ties_by_plausibility():
    # two noisy readings, each wrong in a different place: the consensus takes the words
    ocr = "The Sydney harbour was tho scene of a grcat regatta."
    fix = "The Svdney harbour was the scene of a great regatta."
    ed = make_edition([("ocr", ocr), ("fix", fix)])
    assert ed.base_text() == "The Sydney harbour was the scene of a great regatta."


def test_consensus_keeps_what_was_read_when_equally_plausible():
    # a correction that only drops punctuation does not win a tie
    ed = make_edition([("ocr", "Item 2. the sale"), ("fix", "Item 2 the sale")])
    assert ed.base_text() == "Item 2. the sale"


def test_plausibility_cost_orders_noise():
    assert plausibility_cost("the great house") == 0.0
    assert plausibility_cost("tbe grcat house") > plausibility_cost("the great house")
    assert plausibility_cost("the | house ~") > plausibility_cost("the house")
    assert plausibility_cost("sec-\ntion") == plausibility_cost("section")


def test_certainty_and_ncname():
    assert [certainty(x) for x in (0.95, 0.8, 0.79, 0.5, 0.25, 0.2)] == [
        "high", "high", "medium", "medium", "low", "low"]
    assert ncname("1818") == "w1818"
    assert ncname("C05/1818", ["C05_1818"]) == "C05_1818_2"
    assert re.fullmatch(r"[A-Za-z_][\w.-]*", ncname("<x y='1'>"))


def test_editor_s_supplied_text_is_text_and_only_gaps_are_restored():
    xml = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><ab>'
           '<supplied reason="lost">Res</supplied>titutori liber<lb/>tatis '
           '<gap reason="lost" quantity="2" unit="character"/> fundatori</ab></body></text></TEI>')
    w = witness_from_tei(xml, "x.xml", "X")
    ed = make_edition([w])
    (only,) = ed.restorations["X"].lacunae  # the gap: the editor's "Res" is no lacuna
    assert only.lacuna.marker == "[.2]"
    assert ed.base_text().startswith("Restitutori liber\ntatis ")
    assert_json_rebuilds(ed)


def test_frankenstein_edition_builds_fast():
    folder = DATA / "frankenstein" / "C05"
    if not folder.exists():
        pytest.skip(f"real data not found: {folder}")
    ed = make_edition(read_witnesses(sorted(folder.glob("*.txt"))))
    assert len(ed.ids) == 4
    assert_json_rebuilds(ed)
    assert sum(len(ed.variants(i)) > 1 for i in range(len(ed.segments))) >= 10


WITNESS_TEXT = st.text(alphabet=st.sampled_from([*"ab cd\n\r\t□☐.,<&>\"'[]-", "\x0c"]),
                       max_size=40)


@settings(max_examples=30, deadline=None)
@given(st.lists(WITNESS_TEXT, min_size=1, max_size=3))
def test_json_rebuilds_any_witnesses(texts):
    ed = make_edition(texts)
    assert_json_rebuilds(ed)
    assert ed.base_text(restored=False) in texts or len(texts) > 1


def test_progress_bar_on_request_and_quiet_in_a_pipe(capsys):
    make_edition([("A", "a b c"), ("B", "a c d")], restore=False)
    assert capsys.readouterr().err == ""  # stderr is no terminal here: no bar
    make_edition([("A", "a b c"), ("B", "a c d")], restore=False, progress=True)
    err = capsys.readouterr().err
    assert "edition" in err and "collating" in err and "/4" in err


def test_accessors_agree_with_the_pieces():
    ed = make_edition([("A", "The □□t sat on the mat."), ("B", "The cat sat on a mat."),
                       ("C", "The cat sat on the mat.")], restore=False)
    for i in range(len(ed.segments)):
        keys = {wid: tuple(p if isinstance(p, str) else p.lacuna.marker
                           for p in ed.pieces(i, wid)) for wid in ed.ids}
        assert ed.is_variant(i) == (len(set(keys.values())) > 1)
        assert sorted(w for g in ed.groups(i) for w in g) == sorted(ed.ids)
        for group in ed.groups(i):
            assert len({keys[w] for w in group}) == 1
    solo = make_edition([("A", "only one")], restore=False)
    assert [solo.groups(i) for i in range(len(solo.segments))] == [[["A"]]] * len(solo.segments)


def test_reprs_are_one_short_line():
    words = " ".join(f"word{i}" for i in range(3000))
    ed = make_edition([("A", words), ("B", words.replace("word7", "w□rd7"))], restore=False)
    for obj in (ed, ed.collation):
        text = repr(obj)
        assert "\n" not in text and len(text) < 160 and "word1" not in text, text
    assert repr(ed).startswith("Edition(witnesses=['A', 'B'], base='consensus'")
    assert repr(ed.collation).startswith("Collation(witnesses=['A', 'B'], columns=")


def test_render_exports_its_renderers():
    import collate.render as render
    from collate.render.html import render_html
    from collate.render.tei import render_tei

    assert render.render_html is render_html and render.render_tei is render_tei
    assert all(callable(getattr(render, name)) for name in render.__all__
               if not name.isupper())
    with pytest.raises(AttributeError):
        _ = render.render_nothing


def test_public_signatures_are_typed():
    """No parameter of the public API for editions is ``Any``, a bare ``Iterable`` or a
    ``Sequence[Any]``: each says what it takes."""
    import collections.abc
    import typing

    import collate
    import collate.render
    from collate.edition import build_edition
    from collate.model import Collation, Restoration
    from collate.restoration.charlm import LanguageModel
    from collate.restoration.corpusmodel import Model

    def loose(hint) -> bool:
        if hint is typing.Any or hint in (collections.abc.Iterable, collections.abc.Sequence):
            return True
        return any(loose(arg) for arg in typing.get_args(hint))

    funcs = [collate.detect, collate.collate, collate.restore, collate.tokenize, make_edition,
             build_edition, *(getattr(collate.render, n) for n in collate.render.__all__
                              if n.startswith("render_"))]
    for fn in funcs:
        hints = typing.get_type_hints(fn, localns={
            "Edition": Edition, "Collation": Collation, "Restoration": Restoration,
            "Model": Model, "LanguageModel": LanguageModel})
        bad = [name for name, hint in hints.items() if loose(hint) and name != "return"]
        assert not bad, f"{fn.__module__}.{fn.__name__}: {bad} untyped"
