"""One estimate of witness reliability, read by restoration and the consensus alike: a clean
witness outranks a noisy one, and ``restore`` and ``edition`` agree where a witness is lost."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from collate.alignment import collate
from collate.cli import main
from collate.edition import make_edition
from collate.reliability import Reliability, estimate
from collate.restoration import restore
from collate.restoration.corpusmodel import Model, build_model

CLEAN = ("The master of the house called the council together in the spring. Among the "
         "fishermen there was talk of boats and nets. The old lamp hung over the door. In the "
         "autumn the council met again and wrote to the bishop.\n")
FOUR = {
    "A": CLEAN,
    "B": CLEAN.replace("master", "rnaster").replace(
        "the council together", "the counci1 together").replace("lamp", "larnp"),
    "C": CLEAN.replace("Among", "Arnong").replace(
        "Arnong the fishermen there was talk of boats and nets. The old lamp hung over the door.",
        "The old lamp hung over the door. Arnong the fishermen there was talk of boats and nets."),
    "D": CLEAN.replace("the council together", "the □□□□□□□ together").replace(
        "boats", "□□ats").replace("autumn", "□□□□□□"),
}
"""Four witnesses of one text: A clean; B with OCR errors; C with a moved sentence and an OCR
error; D with three lacunae (at "council", "boats" and "autumn")."""
TRUTH = ["council", "bo", "autumn"]
VERBS = ("met", "sat", "voted", "spoke", "decided", "refused", "agreed", "heard", "asked", "wrote")
PLACES = ("in the hall", "at noon", "on the matter", "for the town", "with the mayor",
          "after dinner", "before the winter", "about the harbour")
COUNCIL_TALK = "\n".join(f"The council {v} {p}, and the people of the town {v} with it."
                          for v in VERBS for p in PLACES)
"""A corpus that knows ``council`` well, in many contexts, never before ``together``: as a
general model of English does (the built-in one made restore prefer ``counci1``)."""


def test_the_four_files_are_what_they_say():
    assert FOUR["B"].count("counci1") == 1 and FOUR["C"].count("Arnong") == 1
    assert FOUR["D"].count("□") == 15 and FOUR["C"] != CLEAN.replace("Among", "Arnong")
    assert sorted(FOUR["C"].replace("Arnong", "Among").split()) == sorted(CLEAN.split())


def test_a_clean_witness_is_trusted_more_than_a_noisy_one():
    rel = estimate(collate(list(FOUR.items())), "en")
    # C's moved sentence is no error (a reading order, not misread characters): its one
    # misread word costs it less than B's three
    assert rel.weights["A"] > rel.weights["C"] > rel.weights["B"]
    assert rel.weights["D"] > rel.weights["B"]  # lost text is no error
    trust = rel.trust(["A", "B"])
    assert trust["A"] == 1.0 and 0.0 < trust["B"] < 1.0


def test_two_witnesses_are_told_apart_by_their_words():
    # agreement cannot separate two witnesses; plausibility decides whose reading is an error
    rel = estimate(collate([("B", FOUR["B"]), ("A", CLEAN)]), "en")
    assert rel.weights["A"] > rel.weights["B"]


def test_trust_of_an_unknown_or_lone_witness_is_whole():
    rel = Reliability({"A": 4.0, "B": 2.0}, {"A": 0.0, "B": 0.0})
    assert rel.trust(["B"]) == {"B": 1.0}
    assert rel.trust(["A", "X"]) == {"A": 1.0, "X": 1.0}


def _firsts(restoration) -> list[str]:
    return [r.best.text if r.best else "" for r in restoration.lacunae]


def test_restore_follows_the_clean_witness_not_the_ocr_error():
    res = restore(FOUR["D"], witnesses=[("A", FOUR["A"]), ("B", FOUR["B"])], lang="en")
    first = res.lacunae[0].candidates
    assert first[0].text == "council" and first[0].sources == ("witness:A",)
    assert [c.text for c in first[1:]] == ["counci1"] and first[1].confidence < 0.1
    assert sum(c.confidence for c in first) <= 1.0
    assert _firsts(res) == TRUTH


@pytest.mark.parametrize("others", [("A", "B"), ("A", "B", "C"), ("B", "A")])
def test_restore_and_edition_agree_on_every_lacuna(others):
    wits = [(w, FOUR[w]) for w in others]
    alone = restore(FOUR["D"], witnesses=wits, lang="en")
    ed = make_edition([*wits, ("D", FOUR["D"])], lang="en")
    assert _firsts(ed.restorations["D"]) == _firsts(alone) == TRUTH
    assert ed.base_text() == CLEAN


def test_cli_restore_gives_council_first(tmp_path):
    for wid, text in FOUR.items():
        (tmp_path / f"{wid}.txt").write_text(text, encoding="utf-8")
    args = ["restore", str(tmp_path / "D.txt"), "--witness", str(tmp_path / "A.txt"),
            "--witness", str(tmp_path / "B.txt"), "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [lac["candidates"][0]["text"] for lac in out["lacunae"]] == TRUTH


@pytest.fixture(scope="module")
def council_model() -> Model:
    return build_model([COUNCIL_TALK] * 10, lang="en")


def test_a_corpus_model_does_not_make_the_ocr_error_win(council_model):
    # the model once learned each witness's reading in the lacuna's own place: there
    # ``counci1``, seen in no other context, was followed by ``together`` every time, while
    # the corpus's many contexts of ``council`` made that pair rare; a witness's reading
    # now counts once, as that witness's evidence, scaled by its trust
    res = restore(FOUR["D"], witnesses=[("A", FOUR["A"]), ("B", FOUR["B"])], lang="en",
                  model=council_model)
    first = res.lacunae[0].candidates
    assert first[0].text == "council" and first[0].sources == ("witness:A",)
    assert [c.text for c in first[1:]] == ["counci1"] and first[1].confidence < 0.1
    assert _firsts(res) == TRUTH


def test_cli_restore_with_a_model_gives_council_first(tmp_path, council_model):
    for wid, text in FOUR.items():
        (tmp_path / f"{wid}.txt").write_text(text, encoding="utf-8")
    council_model.save(tmp_path / "council.model")
    args = ["restore", str(tmp_path / "D.txt"), "--witness", str(tmp_path / "A.txt"),
            "--witness", str(tmp_path / "B.txt"), "--model", str(tmp_path / "council.model"),
            "--lang", "en", "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [lac["candidates"][0]["text"] for lac in out["lacunae"]] == TRUTH


def test_a_stray_mark_one_reading_adds_is_not_counted_against_the_other():
    # B puts hyphens where the print has none and misreads one word; two readings of
    # equal votes tie at every hyphen, and a hyphen is no letter A missed: the ties do not
    # go to B's extra marks, so A, right everywhere, is trusted more
    a = "the master of the house went out, and the council met in the hall at noon.\n"
    b = ("the master- of the hcuse went out, and- the council met in- the hall at- noon.\n")
    for wits in ([("A", a), ("B", b)], [("B", b), ("A", a)]):
        rel = estimate(collate(wits), "en")
        assert rel.weights["A"] > rel.weights["B"]


def test_two_engines_agreeing_on_a_stand_in_do_not_outweigh_the_engine_that_writes_it():
    # OCRopus prints the long s; ABBYY and Tesseract never write it and read f for it
    # (their stand-in), so their shared forms ("diverfas") are the document's words only
    # in their spelling: that spelling vouches as much for the word it stands for, and
    # OCRopus, which misreads nothing, is not counted wrong at every long s
    o = "Senſus eſt ſed diverſas res facit.\nIpſa diverſas res ſentit.\n"
    a = o.replace("ſ", "f")
    t = a.replace("res facit", "rcs facit")
    weights = estimate(collate([("A", a), ("T", t), ("O", o)]), None).weights
    assert weights["O"] > weights["T"]
    assert weights["O"] >= weights["A"]
