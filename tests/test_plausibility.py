"""The plausibility of a word in its document (collate.plausibility): its agreed words, the
lexicon (polytonic Greek folded to monotonic) and the letters of the agreed words."""

from __future__ import annotations

from collections import Counter

from collate.edition import make_edition
from collate.plausibility import COMMON_ZIPF, Judge, Letters, monotonic

GREEK = ("καὶ ὁ Νέρων ἐν τῇ πόλει ἦν, καὶ οἱ στρατιῶται τὸν Νέρωνα ἐφίλουν.\n"
         "τότε δὲ ὁ Γάλβας ἦλθεν εἰς τὴν πόλιν καὶ τὸν δῆμον ἐκάλεσεν.\n"
         "οἱ δὲ στρατιῶται τὸν Γάλβαν οὐκ ἐφίλουν, ἀλλὰ τὸν Ὄθωνα.\n")


def test_letters_of_another_script_lose_to_the_document_s_own():
    # two engines, each misreading one word with a Latin letter; no lexicon knows either
    # form, no vote can tell them apart: the letters of the words they agree on decide
    a = GREEK.replace("τὸν Νέρωνα", "τὸν Vέρωνα")
    b = GREEK.replace("οἱ στρατιῶται τὸν Ν", "οἱ στρατιῶτaι τὸν Ν")
    for order in ((("A", a), ("B", b)), (("B", b), ("A", a))):
        ed = make_edition(order, restore=False, lang=None)
        assert ed.base_text() == GREEK


def test_a_digit_or_a_stray_letter_is_no_word_of_the_text():
    judge = Judge.of([GREEK, GREEK.replace("Γάλβας", "Γάλβαs")], None)
    assert judge.lang == "el"  # most agreed words are Greek: wordfreq's Greek, folded
    assert judge.word_cost("γάλβαν") < judge.word_cost("γάλβaν")
    assert judge.word_cost("γάλβ9ν") >= COMMON_ZIPF
    assert judge.word_cost("ὄθωνα") == 0.0  # both readings have it


def test_monotonic_lookup_finds_polytonic_words():
    assert monotonic("ἡμέρας") == "ημέρας"
    assert Judge("el", frozenset()).word_cost("ἡμέρας") < COMMON_ZIPF


def test_the_letters_prefer_the_document_s_spelling():
    m = Letters.of(Counter({"daß": 4, "weiß": 2, "muß": 1, "wissen": 1}))
    assert m.log10("laß") > m.log10("lass")
    assert m.evidence("weiß") > m.evidence("w")


def test_a_greek_word_without_its_breathing_is_no_word_where_the_text_writes_them():
    # ὴν (for ἦν) is ἦν to a lexicon read in monotonic spelling, and its letters are those
    # of τὴν; but a text that writes breathings writes none of its words without one
    judge = Judge.of([GREEK, GREEK], None)
    assert judge.breathings
    assert judge.word_cost("ὴν") >= COMMON_ZIPF > judge.word_cost("ἦν")
    assert judge.word_cost("ρώμην") >= COMMON_ZIPF
    assert judge.word_cost("αὐτοῦ") < COMMON_ZIPF  # a diphthong's breathing on its second
    plain = Judge.of([monotonic(GREEK)] * 2, None)  # a text in monotonic spelling: no rule
    assert not plain.breathings and plain.word_cost("ήν") < COMMON_ZIPF


def test_two_readings_that_differ_in_a_breathing_keep_the_word_that_has_it():
    # each engine drops one breathing (accent kept: OCRopus and Tesseract both do, on
    # Zonaras): neither the vote nor a monotonic lexicon can tell, the breathing can
    a = GREEK.replace("ἦν,", "ὴν,")
    b = GREEK.replace("Ὄθωνα", "Όθωνα")
    for wits in ([("A", a), ("B", b)], [("B", b), ("A", a)]):
        assert make_edition(wits, restore=False, lang=None).base_text() == GREEK


def test_long_s_and_ligatures_are_judged_as_the_letters_they_stand_for():
    # one engine writes the print's long s and ligatures, the other round s and f-i: the
    # same words (compatibility forms, NFKC), shared by both readings, not unknown ones
    a = "Ipſarum unaquæque eſt apparitio, ﬁrma ſive repreſentatio.\n"
    b = "Ipsarum unaquæque est apparitio, firma sive representatio.\n"
    judge = Judge.of([a, b], None)
    for long, round_ in (("ipſarum", "ipsarum"), ("eſt", "est"), ("ﬁrma", "firma")):
        assert judge.word_cost(long) == judge.word_cost(round_) == 0.0
    assert judge.word_cost("ſed") == judge.word_cost("sed")


def test_a_word_pair_read_with_one_letter_misread_is_paired():
    # OCRopus reads a line's fragment elsewhere, ABBYY reads it in place with a word's
    # last letter garbled: the pair is read twice, so its words are a moved copy, not
    # words the other dropped; a pair with both words changed, or one read once, is not
    j = Judge.of(["so gern unserer frühste» Verhältnisse",
                  "so Verhältnisse gern unserer frühsten"], "de")
    assert j.paired("unserer", "frühsten") and j.paired("unserer", "frühste")
    assert not j.paired("unsere", "frühsten")  # ABBYY's pair differs in both words
    assert not j.paired("frühsten", "gern")  # read once only
    assert not j.paired("unserer", "frühling")  # more than one letter off
