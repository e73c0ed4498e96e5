"""Consensus: reliability from the witnesses alone, weighted and character-level voting,
the plain text and its traceability to witness offsets."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner
from rapidfuzz.distance import Levenshtein

from collate.cli import main
from collate.consensus import Span
from collate.edition import Edition, make_edition
from collate.reader import read_witnesses
from collate.reliability import plausibility_cost, weight
from collate.render.plain import render_plain

ROOT = Path(__file__).resolve().parents[1]

TRUTH = (
    "On the 14th of June 1843 the ship Orizaba sailed from London with 214 passengers and\n"
    "a cargo of 3,650 bales of wool, bound for Sydney by way of the Cape. The voyage took\n"
    "97 days; the master reported fair weather until the 22nd of August, when a gale of\n"
    "unusual violence carried away the fore-topmast and two of the boats. No lives were\n"
    "lost. The passengers presented Captain Gwynne with an address of thanks on landing.\n"
)


def garble(text: str, rate: float, seed: int) -> str:
    """OCR-like noise on letters only (digits and line breaks kept)."""
    rng = random.Random(seed)
    swaps = {"e": "c", "h": "li", "m": "rn", "o": "0", "a": "o", "n": "u", "l": "1", "s": "«"}
    out = []
    for ch in text:
        if ch in swaps and rng.random() < rate:
            out.append(swaps[ch])
        else:
            out.append(ch)
    return "".join(out)


def assert_traceable(ed: Edition) -> None:
    """Every character of the consensus comes from a witness offset (or a lacuna's
    restoration), and the plain text is exactly the spans joined."""
    assert ed.consensus is not None
    plain: list[str] = []
    for place in ed.consensus.places:
        for span in place.spans:
            assert isinstance(span, Span)
            if span.lacuna is None:
                assert ed.text(span.wit)[span.start : span.end] == span.text
            else:
                assert (span.start, span.end) == (span.lacuna.lacuna.start, span.lacuna.lacuna.end)
                fills = [c.text for c in span.lacuna.candidates] + [span.lacuna.lacuna.marker]
                assert any(span.text in f for f in fills)
            plain.append(span.text)
    assert "".join(plain) == ed.base_text()


def test_two_readings_consensus_follows_the_good_one():
    # the numbers differ too, where plausibility cannot judge (digits cost nothing):
    # only the witnesses' reliability can decide those ties
    good = garble(TRUTH, 0.03, 1).replace("3,650", "3,660")
    bad = garble(TRUTH, 0.35, 2).replace("1843", "1848").replace("214", "241").replace(
        "97 days", "67 days")
    for order in ([("good", good), ("bad", bad)], [("bad", bad), ("good", good)]):
        ed = make_edition(order)
        text = ed.base_text()
        assert ed.consensus is not None
        assert ed.consensus.weights["good"] > ed.consensus.weights["bad"] + 1.0
        assert "June 1843" in text and " 214 " in text and "97 days" in text
        assert "3,660" in text  # the good reading's own error is kept: it is the better witness
        assert Levenshtein.distance(text, TRUTH) <= Levenshtein.distance(good, TRUTH)
        assert_traceable(ed)


def test_plausibility_overrules_a_reliable_witness_only_with_words():
    ed = make_edition([("ocr", "We saw tho rnan in the house."),
                       ("fix", "We saw the man in the hcuse.")])
    assert ed.base_text() == "We saw the man in the house."
    assert plausibility_cost("the man") < plausibility_cost("tho rnan")


def test_three_readings_majority_whole_words():
    ed = make_edition([("A", "the archive which was carried out in May"),
                       ("B", "the archive that was carried out during May"),
                       ("C", "the archive that was carried out during May")])
    assert ed.base_text() == "the archive that was carried out during May"
    assert ed.consensus is not None
    assert ed.consensus.weights["B"] > ed.consensus.weights["A"]
    assert_traceable(ed)


def test_three_readings_vote_character_by_character():
    # no reading is right as a whole; every letter has a majority
    ed = make_edition([("A", "Der Arkickel erschien"), ("B", "Der Artiekel erschien"),
                       ("C", "Der Artickel erschien")])
    assert ed.base_text() == "Der Artickel erschien"
    ed = make_edition([("A", "Der Arkickel erschien"), ("B", "Der Artiekel erschien"),
                       ("C", "Der Artikkel erschien")])
    assert ed.base_text() == "Der Artickel erschien"  # taken from A and B, letter by letter
    assert_traceable(ed)
    spans = [s for p in ed.consensus.places for s in p.spans]
    assert {"A", "B"} <= {s.wit for s in spans if s.text.strip()}


def test_layout_keeps_the_witnesses_line_breaks():
    # a correction that joined a hyphenated word and moved the line break: the consensus
    # keeps the page's line (one line break, the hyphen) and the corrected letters
    ed = make_edition([("ocr", "the Wil-\nlism and Mary\n"), ("fix", "the William\n and Mary\n")])
    text = render_plain(ed)
    assert text == "the Wil-\nliam and Mary\n"
    assert text.count("\n") == 2


def test_confidence_per_place_in_json():
    ed = make_edition([("A", "one two three four"), ("B", "one tvvo three four"),
                       ("C", "one two three four")])
    data = ed.to_dict()
    conf = [s["confidence"] for s in data["segments"]]
    assert all(0.0 < c <= 1.0 for c in conf)
    assert min(conf) > 0.5  # two of three agree
    assert {w["id"]: w["weight"] for w in data["witnesses"]}.keys() == {"A", "B", "C"}
    assert "".join(x["text"] for s in data["segments"] for x in s["consensus"]) == data["text"]


def test_plain_fills_every_lacuna_with_its_top_restoration():
    wits = read_witnesses(sorted((ROOT / "samples" / "memo").glob("*.txt")))
    ed = make_edition(wits)
    text = render_plain(ed)
    assert not any(c in text for c in "□☐[]")
    assert text.count("\n") == ed.text("B").count("\n")  # B and C agree on the lines
    assert_traceable(ed)
    guessed = make_edition([("A", "Dear □□r Smith, thank you.")], min_confidence=0.0)
    assert "□" not in render_plain(guessed) and "[" not in render_plain(guessed)
    unsure = make_edition([("A", "Dear □□r Smith, thank you.")], min_confidence=0.999)
    assert render_plain(unsure) == "Dear □□r Smith, thank you."  # no guess below the floor


def test_cli_edition_format_plain(tmp_path):
    (tmp_path / "a.txt").write_text("It was tho end of the day.\nGood night.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("It was the end of tbe day.\nGood night.\n", encoding="utf-8")
    args = ["edition", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    result = CliRunner().invoke(main, [*args, "--format", "plain"])
    assert result.exit_code == 0, result.output
    assert result.output == "It was the end of the day.\nGood night.\n"
    data = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).output)
    assert data["text"] == "It was the end of the day.\nGood night.\n"
    bad = CliRunner().invoke(main, [*args, "--format", "plain", "--base", "Z"])
    assert bad.exit_code == 2


def test_weight_is_monotone_in_errors():
    assert weight(0, 1000) > weight(10, 1000) > weight(300, 1000) >= 0.0


def test_weights_shown_in_tei_header_and_html():
    from collate.render.html import edition_data, render_html
    from collate.render.tei import render_tei

    ed = make_edition([("A", "We saw the man."), ("B", "We saw tho man."),
                       ("C", "We saw the man.")])
    assert ed.consensus is not None
    weights = ed.consensus.weights
    assert weights["A"] == weights["C"] > weights["B"]
    tei = render_tei(ed)
    header = tei[: tei.index("</teiHeader>")]
    assert "Witness reliability" in header and f"B {weights['B']:.2f}" in header
    data = edition_data(ed)
    assert [w["weight"] for w in data["wits"]] == [round(weights[w], 3) for w in "ABC"]
    assert f"B {weights['B']:.2f}" in render_html(ed)
    assert "weight" not in edition_data(make_edition([("A", "a"), ("B", "b")], base="A"))["wits"][0]
