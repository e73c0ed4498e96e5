"""The letters each witness writes: stand-ins for a letter it never writes, marks it never
makes, and what a reading says against another once they are read as told."""

from __future__ import annotations

from collate.repertoire import as_told, cannot_tell, spelt, unwritten

LONG_S = {"A": "ftudia eft fuit fed", "O": "ſtudia eſt fuit ſed"}


def test_a_stand_in_is_the_letter_read_for_a_form_never_written():
    # ABBYY writes no long s; where OCRopus reads one it reads f, more often than
    # OCRopus writes an f itself: its f says nothing against the long s
    blind = unwritten(LONG_S, [LONG_S])
    assert blind("A", "f", "ſ")
    assert not blind("O", "ſ", "f")  # OCRopus writes f too: it tells them apart
    assert not blind("A", "t", "ſ")  # not what ABBYY reads for it


def test_only_another_form_of_one_letter_has_a_stand_in():
    # a B read for a D: two letters, not two forms of one, however the counts go
    texts = {"A": "Bona dies", "T": "Dona dies"}
    blind = unwritten(texts, [texts])
    assert not blind("A", "B", "D")
    assert not blind("T", "D", "B")


def test_a_letter_the_other_writes_more_often_itself_is_no_stand_in():
    # ABBYY reads f once where OCRopus reads a long s, and OCRopus writes four f itself
    texts = {"A": "fo off off", "O": "ſo off off"}
    assert not unwritten(texts, [texts])("A", "f", "ſ")


def test_a_ligature_that_stands_for_two_letters_has_no_stand_in():
    texts = {"A": "fiat fine fides", "T": "ﬁat ﬁne ﬁdes"}
    blind = unwritten(texts, [texts])
    assert not blind("A", "f", "ﬁ")


def test_marks_a_witness_never_writes_are_blind_whatever_the_counts():
    texts = {"T": "ἤνυον ἥρως", "O": "ἥνυον ἥρως"}
    blind = unwritten(texts, [texts])
    assert blind("O", "ἥ", "ἤ") and not blind("T", "ἤ", "ἥ")


def test_cannot_tell_needs_every_difference_blind_for_every_witness():
    blind = unwritten(LONG_S, [LONG_S])
    assert cannot_tell(["A"], "eft", "eſt", blind)
    assert not cannot_tell(["A"], "eft", "eſr", blind)  # the r is a reading of its own
    assert not cannot_tell(["A", "O"], "eft", "eſt", blind)
    assert not cannot_tell(["A"], "eft", "eft", blind)


def test_as_told_keeps_what_a_reading_can_tell():
    blind = unwritten(LONG_S, [LONG_S])
    assert as_told("A", "ftudia eft fuit", "ſtudia eſt fuit", blind) == "ſtudia eſt fuit"
    assert as_told("A", "ftudia eft fuit", "ſtudia eſt suit", blind) == "ſtudia eſt fuit"
    assert as_told("O", "ſtudia", "ftudia", blind) == "ſtudia"


def test_a_stand_in_spelling_vouches_for_the_word_it_stands_for():
    # the document knows "eft" only as ABBYY spells it: OCRopus's "eſt" is priced no
    # higher; not the other way round (OCRopus writes f and tells them apart), and not for
    # marks alone, which the lexicon and the letters judge themselves
    blind = unwritten(LONG_S, [LONG_S])
    assert spelt(["eft", "eſt"], [0.0, 4.0], ["A", "O"], blind) == [0.0, 0.0]
    assert spelt(["eſt", "eft"], [0.0, 4.0], ["O"], blind) == [0.0, 4.0]
    texts = {"T": "ἤνυον ἥρως", "O": "ἥνυον ἥρως"}
    marks = unwritten(texts, [texts])
    assert spelt(["ἥνυον", "ἤνυον"], [0.0, 3.0], ["T", "O"], marks) == [0.0, 3.0]
