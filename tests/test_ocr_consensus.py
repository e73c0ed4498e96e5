"""The OCR consensus (issue 24): evidence beyond agreement, reading order, line-end hyphens,
and a bad reading among good ones. Small constructed pages."""

from __future__ import annotations

import random
import re

import pytest
from rapidfuzz.distance import Levenshtein

from collate.alignment import collate
from collate.blocks import Moves, _join_cost, moves, readings
from collate.consensus import Reading, reading, resolve
from collate.edition import build_edition, make_edition
from collate.evidence import account
from collate.model import OcrWord, Witness
from collate.plausibility import Judge
from collate.reliability import Reliability, estimate
from collate.render import render_edition
from collate.repertoire import Blind, unwritten
from tests.conftest import data_path
from tests.test_consensus import TRUTH, assert_traceable, garble

PARAS = [
    "The harbour master wrote in his journal that the brig Mercury came in at noon, her\n"
    "foresail torn and her pumps going, with nine hands and a cargo of salted beef.\n",
    "On the following morning the surveyor went aboard and found the timbers sound, but\n"
    "the copper sheathing stripped from the bow and the rudder pintles much worn.\n",
    "The owners in Hobart were written to by the evening mail, and the master engaged\n"
    "two carpenters from the yard to make good the damage before the next spring tide.\n",
]


def fold(text: str) -> str:
    return " ".join(text.split())


def test_a_word_both_readings_have_elsewhere_wins_without_a_lexicon():
    # Latin: no wordfreq lexicon; the document itself knows "Leviathan" (both readings
    # have it on another line), not the misreading
    a = "De Leviathan liber primus.\nLeviathan est civitas.\n"
    b = "De Leviathan liber primus.\nLeviatban est civitas.\n"
    for order in ((("A", a), ("B", b)), (("B", b), ("A", a))):
        ed = make_edition(order, restore=False)
        assert ed.base_text() == a
        assert_traceable(ed)
    judge = Judge.of([a, b], None)
    assert judge.word_cost("leviathan") == 0.0 < judge.word_cost("leviatban")


def test_a_reading_s_own_repeated_misreading_is_no_word_of_the_document():
    judge = Judge.of(["tlie cat and tlie dog", "the cat and the dog"], "en")
    assert judge.word_cost("tlie") > judge.word_cost("the") == 0.0


def test_blocks_in_another_order_are_emitted_once_in_the_reliable_order():
    good = "\n".join(PARAS)
    noisy = [garble(p, 0.04, 7 + k) for k, p in enumerate(PARAS)]
    moved = "\n".join([noisy[2], noisy[0], noisy[1]])
    for wits in ([("good", good), ("moved", moved)], [("moved", moved), ("good", good)]):
        ed = make_edition(wits, restore=False)
        assert ed.consensus is not None
        text = ed.base_text()
        assert Levenshtein.distance(fold(text), fold(good)) <= Levenshtein.distance(
            fold(good), fold("\n".join(PARAS)))
        for p in PARAS:  # each block once, in the good reading's order
            assert fold(text).count(fold(p)[:40]) == 1
        assert_traceable(ed)


def test_a_moved_block_is_voted_inside():
    # three readings; the third has the first paragraph last: its copy still votes there
    a = "\n".join(PARAS)
    b = "\n".join(PARAS).replace("harbour", "harhour").replace("surveyor", "snrveyor")
    c = "\n".join([PARAS[1], PARAS[2], PARAS[0]]).replace("surveyor", "survcyor")
    ed = make_edition([("A", a.replace("journal", "jonrnal")), ("B", b), ("C", c)],
                      restore=False)
    assert fold(ed.base_text()) == fold(a)
    found = moves(ed, ed.collation, ed.consensus.weights)
    assert found.away  # C's first paragraph is read where A and B have it


def test_line_end_hyphens_of_every_kind_fold():
    for mark in "-¬⸗":
        ed = make_edition([("ocr", f"the Wil{mark}\nliam and Mary\n"),
                           ("fix", "the William\nand Mary\n")], restore=False)
        text = ed.base_text()
        assert fold(text).replace(f"{mark} ", "") in ("the William and Mary",)
        assert_traceable(ed)


def test_an_empty_or_garbage_reading_does_not_hurt_the_good_ones():
    rng = random.Random(3)
    garbage = "".join(rng.choice("|~^«»{}#@ilI1") for _ in range(len(TRUTH)))
    good1 = garble(TRUTH, 0.02, 11)
    good2 = garble(TRUTH, 0.02, 12)
    floor = min(Levenshtein.distance(fold(g), fold(TRUTH)) for g in (good1, good2))
    for bad in ("", garbage, garble(TRUTH, 0.6, 13)):
        ed = make_edition([("A", good1), ("X", bad), ("B", good2)], restore=False)
        assert Levenshtein.distance(fold(ed.base_text()), fold(TRUTH)) <= floor
        assert_traceable(ed)


def test_the_engines_confidence_decides_between_two_words():
    # "cat" and "cut" are both words; the engine that was sure of its word wins the place
    a, b = "the cat sat on the mat", "the cut sat on the mat"

    def wit(wid: str, text: str, sure: float) -> Witness:
        words = tuple(OcrWord(m.start(), m.end(), sure if m.start() == 4 else 0.9)
                      for m in re.finditer(r"\S+", text))
        return Witness(wid, text, words=words)

    for first in (True, False):
        for sure_a, want in ((0.2, b), (0.99, a)):
            wits = [wit("A", a, sure_a), wit("B", b, 0.9)]
            ed = make_edition(wits if first else wits[::-1], restore=False)
            assert ed.base_text() == want
    plain = make_edition([("A", a), ("B", b)], restore=False)  # no confidences: no change
    assert plain.base_text() in (a, b)


def test_the_order_whose_joins_read_on_wins_over_reliability():
    # the better witness (fewer misreadings) has its blocks cut mid-word and put in another
    # order; the other witness's order joins "Schul-" + "meister" again
    text = ("Der Schul-\nmeister kam am Abend\nin das Dorf zurück und\nfand die Kinder\n"
            "noch auf der Wiese beim\nSpiel mit dem Hunde des\nPfarrers, der ihnen\n"
            "gern nachlief.\n")
    lines = text.split("\n")
    cut = "\n".join(lines[1:4] + lines[:1] + lines[4:])
    noisy = text.replace("Abend", "Abcnd").replace("Wiese", "Wicse")
    ed = make_edition([("cut", cut), ("noisy", noisy)], restore=False)
    assert ed.consensus.weights["cut"] > ed.consensus.weights["noisy"]
    assert fold(ed.base_text()).startswith("Der Schul- meister kam")


def test_a_region_the_vote_reads_worse_falls_back_to_the_better_reading():
    # two readings cannot outvote each other: A's weight carries each of its misreadings
    # (each costs less than the gap of weights), but its line is less plausible than B's
    a = "The ship came in.\nthe hovse of the mastcr\nwas by the sea.\n"
    b = "The ship came in.\nthe house of the master\nwas by the sea.\n"
    col = collate([("A", a), ("B", b)])
    weights = {"A": 6.0, "B": 2.0}
    judge = Judge.of([a, b], "en")
    rel = Reliability(weights, dict.fromkeys(weights, 0.0), judge)
    voted = [resolve(p, weights, rel.priors, judge)
             for p in readings(account(col), Moves(), str)]
    assert "".join(p.text for p in voted) == a  # the vote alone follows A everywhere
    ed = build_edition(col, lang="en", reliability=rel)
    assert ed.base_text() == b
    assert ed.consensus.taken_whole() == {"B": 1}
    assert ed.consensus.taken()["B"] >= len("houseofthemaster")
    assert_traceable(ed)
    data = ed.to_dict()
    assert {s["whole"] for s in data["segments"] if "whole" in s} == {"B"}
    assert [(w["id"], w["regions_whole"]) for w in data["witnesses"]] == [("A", 0), ("B", 1)]
    assert "taken whole: B 1" in render_edition(ed, "tei")
    assert "1 region taken whole from B" in render_edition(ed, "html")


def test_a_region_the_vote_reads_better_keeps_the_vote():
    # each reading misreads a word the other reads right: the vote takes the right word
    # from each, and neither reading alone is more plausible than that
    a = "the hovse of the master\n"
    b = "the house of the mastcr\n"
    ed = make_edition([("A", a), ("B", b)], restore=False, lang="en")
    assert ed.base_text() == "the house of the master\n"
    assert ed.consensus.whole == ()


def test_one_bad_or_empty_reading_beside_a_good_one_is_never_worse_than_it():
    rng = random.Random(5)
    garbage = "".join(rng.choice("|~^«»{}#@ilI1") for _ in range(len(TRUTH)))
    good = garble(TRUTH, 0.02, 21)
    floor = Levenshtein.distance(fold(good), fold(TRUTH))
    for bad in ("", garbage, "\n".join("~~ ||| «»" for _ in range(5))):
        for wits in ([("G", good), ("X", bad)], [("X", bad), ("G", good)]):
            ed = make_edition(wits, restore=False)
            assert Levenshtein.distance(fold(ed.base_text()), fold(TRUTH)) <= floor
            assert_traceable(ed)


def misread(text: str) -> str:
    """``text`` as a weaker engine reads it: three words misread (``jonrnal``, ``snrveyor``,
    ``carpcnters``), so that the other reading is the more reliable."""
    return text.replace("journal", "jonrnal").replace("surveyor", "snrveyor").replace(
        "carpenters", "carpcnters")


def test_blocks_put_in_another_order_mid_sentence_follow_the_order_that_reads_on():
    # the more reliable reading has two lines swapped: its join "salted beef." + "the
    # copper sheathing" puts a small letter after a sentence's end; the other reading's
    # joins read on, and the consensus follows its order
    lines = "".join(PARAS).splitlines()
    truth = "\n".join(lines) + "\n"
    cut = "\n".join([*lines[:2], lines[3], lines[2], *lines[4:]]) + "\n"
    noisy = misread(truth)
    ed = make_edition([("cut", cut), ("noisy", noisy)], restore=False)
    assert ed.consensus.weights["cut"] > ed.consensus.weights["noisy"]
    text = fold(ed.base_text())
    assert text.index("On the following") < text.index("the copper sheathing")
    assert text.count("sheathing") == text.count("following") == 1
    assert_traceable(ed)


def test_a_greek_page_with_its_blocks_in_another_order_keeps_the_reliable_order():
    # Zonaras p. 19: OCRopus's blocks of six lines in another order. "με-" (end of one of its
    # blocks) + "καὶ" (start of the next) reads like Greek letter by letter but is no
    # word anyone knows: no reason to leave Tesseract's order
    folder = data_path("ocr_engines", "zonaras_1870")
    tess = (folder / "0019.tesseract.txt").read_text(encoding="utf-8")
    lines = (folder / "0019.ocropus.txt").read_text(encoding="utf-8").strip("\n").split("\n")
    blocks = ["\n".join(lines[i:i + 6]) for i in range(0, len(lines), 6)]
    moved = "\n\n".join(blocks[k] for k in (2, 5, 1, 3, 0, 4)) + "\n"
    truth = fold((folder / "0019.gt.txt").read_text(encoding="utf-8"))
    ed = make_edition([("tesseract", tess), ("ocropus", moved)], restore=False)
    assert Levenshtein.distance(fold(ed.base_text()), truth) < 1.2 * Levenshtein.distance(
        fold(tess), truth)


def test_the_book_s_own_spelling_read_by_the_better_engine_is_not_given_up():
    # the more reliable reading has the book's "dieß"; the other reads the modern word
    # "Nest" there: more plausible to a modern lexicon, not enough to outweigh the gap
    # between the two readings' reliability
    truth = ("Eduard hatte den Hauptmann lange nicht gesehen,\n"
             "und er freute sich, daß er nun kommen wollte.\n"
             "Charlotte blieb dieß auch nicht verborgen,\n"
             "und sie sprach mit ihm über den Garten,\n"
             "den sie im Frühjahr angelegt hatte, und über\n"
             "die Wege, die zum Hause hinauf führten.\n")
    other = truth
    for good, bad in (("Hauptmann", "Hauptinann"), ("Garten", "Gartcn"), ("dieß", "Nest"),
                      ("wollte", "wolltc"), ("Frühjahr", "Fruhjahr"), ("Wege", "Wcge"),
                      ("Hause", "Hanse"), ("führten", "fuhrten")):
        other = other.replace(good, bad)
    for wits in ([("A", truth), ("B", other)], [("B", other), ("A", truth)]):
        ed = make_edition(wits, restore=False, lang="de")
        assert ed.consensus.weights["A"] > ed.consensus.weights["B"]
        assert ed.base_text() == truth
        assert ed.consensus.whole == ()


def test_a_word_read_without_its_initial_loses_to_the_whole_word():
    # each reading misses one initial capital (OCRopus and Tesseract both do, on Zonaras);
    # neither lexicon nor vote can tell, but an engine does not invent a word's first letters
    truth = ("ὁ δὲ Τιβέριος τὴν ἀρχὴν παρέλαβε καὶ τὰ πολλὰ καλῶς ἔπραξεν.\n"
             "ὁ δὲ Γάλβας ἐν τῇ Ἰβηρίᾳ ἦν καὶ οὐδὲν ἔπραξεν.\n")
    a = truth.replace("Τιβέριος", "ιβέριος")
    b = truth.replace("Γάλβας", "άλβας")
    for wits in ([("A", a), ("B", b)], [("B", b), ("A", a)]):
        ed = make_edition(wits, restore=False, lang=None)
        assert ed.base_text() == truth
        assert_traceable(ed)


def test_blocks_cut_mid_sentence_at_a_paragraph_break_follow_the_order_that_reads_on():
    # the more reliable reading has its lines in blocks, put in another order and parted
    # by blank lines: blocks end mid-sentence ("her", "but") before a paragraph break; the
    # other reading runs those lines on, and the consensus follows its order
    lines = "".join(PARAS).splitlines()
    truth = "\n".join(lines) + "\n"
    blocks = ["\n".join(lines[i:j]) for i, j in ((0, 1), (1, 3), (3, 5), (5, 6))]
    cut = "\n\n".join([blocks[1], blocks[0], blocks[2], blocks[3]]) + "\n"
    noisy = misread(truth)
    for wits in ([("cut", cut), ("noisy", noisy)], [("noisy", noisy), ("cut", cut)]):
        ed = make_edition(wits, restore=False)
        assert ed.consensus.weights["cut"] > ed.consensus.weights["noisy"]
        text = fold(ed.base_text())
        assert text.index("The harbour master") < text.index("On the following")
        assert text.count("following") == text.count("harbour") == 1
        assert_traceable(ed)


def test_a_hyphen_one_engine_adds_inside_a_line_does_not_win_a_tie():
    # two readings, one vote each, the same words: a hyphen one engine reads from a speck
    # beside a word is no character the other missed but a blank: "womit- du" has one
    # more than "womit du"; "schon-eben" as many as "schon eben", and the better prior
    # (the witness whose words read better) decides; a stop is a character, and kept
    judge = Judge("de", frozenset())
    for a, b, same in (("womit du", "womit- du", "womit du"), ("schon eben", "schon-eben", None),
                       ("2. the", "2 the", "2. the")):
        rs = {w: reading(w, [t], 0, str) for w, t in (("A", a), ("B", b))}
        for prior, want in (({"A": 0.0, "B": -0.1}, a), ({"A": -0.1, "B": 0.0}, b)):
            got = resolve(rs, {"A": 2.0, "B": 2.0}, prior, judge).text
            assert got == (same or want), (a, b, prior)


def test_a_block_put_between_two_runs_parts_them_into_two_blocks():
    # the more reliable reading puts the page's first paragraph between two lines that
    # run on in the page ("the master engaged" / "two carpenters"), parted by blank
    # lines, and the second paragraph last: the two lines are two blocks, each joined to
    # the paragraph between them, not one block with a paragraph misread inside it; the
    # join "engaged" + blank line + "The harbour" ends a paragraph mid-sentence, and the
    # consensus follows the other reading's order
    lines = "".join(PARAS).splitlines()
    truth = "\n".join(lines) + "\n"
    first, second = "\n".join(lines[0:2]), "\n".join(lines[2:4])
    cut = "\n\n".join([lines[4], first, lines[5], second]) + "\n"
    assert_in_order(cut, misread(truth), "The harbour master", "the master engaged",
                    "two carpenters")


def assert_in_order(cut: str, noisy: str, *phrases: str) -> None:
    """The more reliable reading ``cut`` (its blocks in another order) and ``noisy``, in
    either order: the consensus has ``phrases`` in this order, each once."""
    for wits in ([("cut", cut), ("noisy", noisy)], [("noisy", noisy), ("cut", cut)]):
        ed = make_edition(wits, restore=False)
        assert ed.consensus.weights["cut"] > ed.consensus.weights["noisy"]
        text = fold(ed.base_text())
        at = [text.index(p) for p in phrases]
        assert at == sorted(at)
        assert all(text.count(p) == 1 for p in phrases)
        assert_traceable(ed)


def test_a_page_number_or_a_speck_at_a_block_s_edge_does_not_hide_the_cut():
    # the more reliable reading's blocks, in another order, each end mid-sentence before a
    # paragraph break, and some begin with a line of debris (",O", "1K": specks read as
    # marks and letters); the other reading, in the page's order, has the page number
    # alone on its first line: a number is no sentence cut, and debris no line of print
    # (two more misread words, "rndder" and "pintlcs", keep it the weaker reading: the
    # debris lines the other reads are errors of its own)
    lines = "".join(PARAS).splitlines()
    truth = "\n".join(lines) + "\n"
    blocks = ["\n".join(lines[i:j]) for i, j in ((0, 1), (1, 3), (3, 5), (5, 6))]
    cut = "\n\n".join([blocks[1], ",O\n" + blocks[0], blocks[2], "1K\n" + blocks[3]]) + "\n"
    noisy = "31\n\n" + misread(truth).replace("rudder", "rndder").replace("pintles", "pintlcs")
    assert_in_order(cut, noisy, "The harbour master", "foresail torn", "On the following")


def test_a_join_both_orders_read_on_tells_them_nothing():
    # a word broken at a line's end at a block's edge: the other witness reads the same
    # words on there (without its hyphen), so the join is no evidence for either order;
    # where the other reads something else after "Be-", the completed word earns
    a = "Sie sprach von dem Be\nschreien der Kinder am Abend.\n"
    b = "Sie sprach von dem Be-\nschreien der Kinder am Abend.\n"
    c = "Sie sprach von dem Be-\nund dann der Kinder am Abend.\n"
    col = collate([("A", a), ("B", b), ("C", c)])
    judge = Judge.of([a, b, c], "de")
    at = next(i for i, t in enumerate(col.tokens["B"]) if t.text == "schreien")
    assert _join_cost(col, "B", {at}, judge, "A") == 0.0
    assert _join_cost(col, "B", {at}, judge, "C") < 0.0


@pytest.mark.parametrize("instead", [None, ".i. ,r ·"])
def test_a_line_the_more_reliable_engine_did_not_find_is_kept(instead):
    # the more reliable reading lost a line of the page (its engine did not find it), or
    # read a few specks in its place (".i. ,r ·": words, but none that is evidence of a
    # word); the other reads that line and misreads many words of three others: two votes
    # cannot say whether the line is there, the evidence of its words does (an engine
    # drops a line far more often than it makes up a line of words), and specks cost what
    # the line's omission costs
    lines = "".join(PARAS).splitlines()
    dropped = "\n".join([*lines[:3], *([instead] if instead else []), *lines[4:]]) + "\n"
    noisy = "\n".join(garble(x, 0.8, k) if k in (0, 1, 5) else x
                      for k, x in enumerate(lines)) + "\n"
    for wits in ([("dropped", dropped), ("noisy", noisy)],
                 [("noisy", noisy), ("dropped", dropped)]):
        ed = make_edition(wits, restore=False, lang="en")
        assert ed.consensus.weights["dropped"] > ed.consensus.weights["noisy"]
        assert lines[3] in ed.base_text()
        assert_traceable(ed)


def test_a_mark_one_engine_never_writes_is_not_outvoted_by_its_reading():
    # OCRopus writes no "ἤ" anywhere on the page, Tesseract does: OCRopus's "ἥ" where
    # Tesseract reads "ἤ" says nothing between the two, so the more reliable OCRopus does
    # not outvote it; where both engines write the letter read, the votes decide as before
    judge = Judge("el", frozenset())
    rs = [{w: reading(w, [t], 0, str) for w, t in (("T", "ἤνυον ἥρως"), ("O", "ἥνυον ἥρως"))}]
    blind = _blind(rs)
    weights, prior = {"T": 2.0, "O": 3.0}, {"T": 0.0, "O": 0.0}
    assert resolve(rs[0], weights, prior, judge, None, blind).text == "ἤνυον ἥρως"
    assert resolve(rs[0], weights, prior, judge).text == "ἥνυον ἥρως"
    both = [{w: reading(w, [t], 0, str) for w, t in (("T", "ἤνυον ἥρως"), ("O", "ἥνυον ἤρως"))}]
    assert resolve(both[0], weights, prior, judge, None, _blind(both)).text == "ἥνυον ἤρως"


def _blind(rows: list[dict[str, Reading]]) -> Blind:
    """:func:`unwritten` of places of readings, each witness's text their readings'."""
    texts = [{w: r.text for w, r in row.items()} for row in rows]
    return unwritten({w: "".join(t[w] for t in texts) for w in texts[0]}, texts)


def test_a_letter_one_engine_never_writes_is_not_outvoted_by_its_stand_in():
    # ABBYY writes no long s on a page that prints it for every s but a word's last, and
    # reads f for it: its f says nothing between the two, so OCRopus's long s stands
    # against the more reliable ABBYY, while a real f both read stays; a letter read once
    # for another (a B for a D) is no stand-in and the votes decide there
    lines = [("A", "ftudia eft fuit Bona"), ("O", "ſtudia eſt fuit Dona")]
    rs = [{w: reading(w, [t], 0, str) for w, t in lines}]
    weights, prior = {"A": 3.0, "O": 2.0}, {"A": 0.0, "O": 0.0}
    judge = Judge(None, frozenset())
    assert resolve(rs[0], weights, prior, judge, None, _blind(rs)).text == "ſtudia eſt fuit Bona"
    assert resolve(rs[0], weights, prior, judge).text == "ftudia eft fuit Bona"
    col = collate(lines)
    assert estimate(col, None).weights["O"] > estimate(col, None).weights["A"]
