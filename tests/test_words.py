"""Word n-grams: both-sided judgement of a lost whole word, with and without a corpus."""

from __future__ import annotations

from collate.restoration.corpusmodel import build_model
from collate.restoration.lexicon import Lexicon
from collate.restoration.restorer import _context_words
from collate.restoration.words import WordBigrams

CORPUS = (
    "We stood on the brink of the precipice. He spoke on the day of his return. "
    "She waited on the shore of the lake. They met on the bridge of the town. "
) * 3


def test_between_gathers_words_seen_between_both_neighbours_in_the_corpus():
    lex = Lexicon(["a document with its own words"], lang=None)
    plain = WordBigrams(["a document with its own words"], lex)
    assert plain.between("on", "the", "of", "the") == []
    helped = WordBigrams(["a document with its own words"], lex, corpus=build_model([CORPUS]))
    got = helped.between("on", "the", "of", "the")
    assert {"brink", "day", "shore", "bridge"} <= set(got)
    assert got == sorted(got)
    # one side is enough: only the left pair, only the right pair
    assert "brink" in helped.between("on", "the", None, None)
    assert "brink" not in helped.between(None, None, "of", "his")
    assert "day" in helped.between(None, None, "of", "his")


def test_fit_judges_a_lost_word_by_both_sides():
    lex = Lexicon([CORPUS], lang=None)
    bi = WordBigrams(["the precipice was steep"], lex, corpus=build_model([CORPUS]))
    # "day" and "brink" both follow "on the"; only "brink" is followed by "of the precipice"
    assert bi.fit("on", "the", "brink", "of", "the") > bi.fit("on", "the", "lake", "of", "the")
    assert bi.fit(None, "the", "brink", "of", None) > bi.fit(None, "the", "we", "of", None)
    # the right pair alone decides between words the left pair cannot tell apart
    left_only = bi.fit("on", "the", "shore", None, None) - bi.fit("on", "the", "brink", None, None)
    assert abs(left_only) < 1e-9
    # ("day" is followed by "of his" in the corpus, "shore" by "of the")
    assert bi.fit("on", "the", "shore", "of", "the") > bi.fit("on", "the", "day", "of", "the")
    assert bi.fit("on", "the", "day", "of", "his") > bi.fit("on", "the", "shore", "of", "his")


def test_context_words_stop_at_lost_text():
    assert _context_words("so the ", " of it") == ("so", "the", "of", "it")
    assert _context_words("\x00 the ", " of \x00") == (None, "the", "of", None)
    assert _context_words("", "") == (None, None, None, None)
    assert _context_words("one two \x00", "\x00 three") == (None, None, None, None)


def test_next_words_are_those_of_scoring_every_follower():
    """The shortcut (only the pair's own followers scored one by one) gives the list that
    scoring every word seen after the second word gives."""
    text = " ".join(["the cat sat on the mat and the dog sat on the cat",
                     "a dog ate the bone and the cat ate the fish"] * 3)
    corpus = build_model(["the cat ate the mat and the dog sat on the bone"] * 2, lang=None)
    lex = Lexicon([text], lang=None, corpus=corpus)
    bi = WordBigrams([text], lex, corpus=corpus)  # pairs seen in both: each word scored once
    for a, b in [("the", "cat"), ("on", "the"), (None, "the"), ("and", "the"), ("x", "sat")]:
        seen = bi.neighbours(b, None)
        brute = sorted(((w, bi.logprob3(a, b, w) if a else bi.logprob(b, w)) for w in seen),
                       key=lambda t: (-t[1], t[0]))[:3]
        assert bi._next_words(a, b, 3) == brute


def test_phrases_with_a_corpus_end_on_the_kept_word_and_are_judged_by_it():
    corpus = (
        "Each night we stood on the brink of the precipice and looked down. "
        "He spoke of the grave and of the sea. "
    ) * 3
    model = build_model([corpus])
    lex = Lexicon(["a new document"], lang="en", corpus=model)
    bi = WordBigrams(["a new document"], lex, corpus=model)
    # the lost span ends with a space before a whole kept word ("precipice")
    assert bi.phrases("we stood on the ", "precipice and looked", (12, 14))[0] == "brink of the "
    # and inside a kept word on both sides, every filling within the lengths
    got = bi.phrases("we stood on the b", "e precipice and", (9, 11))
    assert "rink of th" in got and all(9 <= len(f) <= 11 for f in got)
    # without a corpus the document alone knows no such phrase
    plain = WordBigrams(["a new document"], Lexicon(["a new document"], lang="en"))
    assert "brink of the " not in plain.phrases("we stood on the ", "precipice and", (12, 14))


def test_bounded_caches_forget_without_changing_a_score(monkeypatch):
    """The word and character caches start afresh when full (memory of a dozen
    calibration rounds), and a score worked out again is the same."""
    from collate.restoration import charlm, words
    from collate.restoration.charlm import CharNGram

    corpus = build_model([CORPUS])
    texts = ["We stood on the brink of the lake. He spoke on the day of his return."]
    cases = [("We stood on the ", w, " of the lake") for w in ("brink", "day", "shore", "x")]

    def scores() -> list[float]:
        lex = Lexicon(texts, lang=None, corpus=corpus)
        bi = WordBigrams(texts, lex, corpus=corpus)
        lm = CharNGram(texts, background=corpus.char_model())
        got = [bi.score(*c) + lm.score(*c) for c in cases for _ in range(2)]
        assert len(bi._probs) <= words.MEMO + 1 and len(lm._logrows) <= charlm.LOGROWS + 1
        return got

    roomy = scores()
    monkeypatch.setattr(words, "MEMO", 2)
    monkeypatch.setattr(charlm, "LOGROWS", 3)
    assert scores() == roomy


def test_phrases_open_with_the_completion_the_words_before_it_favour():
    """The left word's completion is chosen by the words before it, not by its frequency
    alone: ``end`` is the rarest of the words starting with ``e`` but the one seen after
    ``the``."""
    common = ("each", "every", "even", "ever", "else", "early", "eyes", "enough", "eight",
              "east", "edge")
    text = " ".join(f"{w} said so." for w in common) * 3 + " they reached the end of the road."
    lex = Lexicon([text], lang=None)
    bi = WordBigrams([text], lex)
    assert "nd of the" in bi.phrases("so they reached the e", " road at last", (9, 9))


def test_phrases_rank_by_their_length_prior():
    lex = Lexicon([CORPUS], lang=None)
    bi = WordBigrams([CORPUS], lex)
    flat = bi.phrases("we stood on the ", " and", (4, 16))
    assert len(flat[0]) != 13  # the short fillings pay for fewer words
    for n in (10, 13):
        got = bi.phrases("we stood on the ", " and", (4, 16),
                         length_prior=lambda k, n=n: 0.0 if k == n else -50.0)
        assert len(got[0]) == n
