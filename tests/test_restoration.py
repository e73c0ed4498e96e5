"""Tests of collate.restoration: seed cases, witnesses, calibration sanity, the LM protocol,
and the law that nothing outside a lacuna ever changes."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.render.leiden import render_restoration
from collate.restoration import CharNGram, LanguageModel, restore
from collate.restoration.calibrate import Calibrator, ece, isotonic
from collate.restoration.charlm import KneserNey
from tests.conftest import SEED, data_path

PROSE = (
    "The night was cold and the wind was high. The men walked along the road to the town, "
    "and the women stayed at home with the children. Lately the weather has been bad. "
) * 4


@pytest.fixture(scope="module")
def seed_restoration():
    text = data_path("seed", SEED.name).read_text(encoding="utf-8")
    return text, restore(text, lang="en")


def _at(text, restoration, needle):
    out = []
    start = 0
    while (i := text.find(needle, start)) >= 0:
        out.extend(r for r in restoration.lacunae if r.lacuna.start == i)
        start = i + 1
    assert out, needle
    return out


@pytest.mark.parametrize(("needle", "expected"), [("□□ately", "L"), ("□□hey", "T"), ("□□he ", "T")])
def test_seed_lost_capitals(seed_restoration, needle, expected):
    text, res = seed_restoration
    for item in _at(text, res, needle):
        assert item.best.text == expected


def test_seed_item_markers_are_markers_or_nothing(seed_restoration):
    text, res = seed_restoration
    items = _at(text, res, "☐☐☐ ")
    assert len(items) >= 5
    for item in items:
        for cand in item.candidates:
            assert cand.text == "" or cand.text.rstrip(".)").isdigit(), cand
    assert "The The" not in res.restored


def test_witness_reads_inside_words():
    damaged = "□□ately the men walked along the road to the t□□n."
    res = restore(damaged, witnesses=[("B", "Lately the men walked along the road to the town.")])
    assert [r.best.text for r in res.lacunae] == ["L", "ow"]
    assert all("witness:B" in r.best.sources for r in res.lacunae)
    assert render_restoration(res) == "[L]ately the men walked along the road to the t[ow]n."


def test_lm_alone_restores_common_words():
    text = PROSE + "The men walked along the r□□d to the t□wn."
    res = restore(text, lang="en")
    assert [r.best.text for r in res.lacunae] == ["oa", "o"]


def test_confidences_are_probabilities_sorted():
    text = PROSE + "The m□n walked □□□ng the road. □□e children stayed at ho□□."
    res = restore(text, top=5)
    assert res.lacunae
    for item in res.lacunae:
        confs = [c.confidence for c in item.candidates]
        assert all(0.0 <= c <= 1.0 for c in confs)
        assert sum(confs) <= 1.0 + 1e-9
        assert confs == sorted(confs, reverse=True)
        assert 1 <= len(confs) <= 5
        assert len({c.text for c in item.candidates}) == len(confs)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.sampled_from(["cat", "the", "□", "□□", " ", ".", "\n", "Wor□d", "[...]"]), max_size=12
    )
)
def test_never_changes_text_outside_lacunae(pieces):
    text = "".join(pieces)
    res = restore(text, calibration=0)
    for a, b, x, y in res.spans():
        if not any(r.lacuna.start == a and r.lacuna.end == b for r in res.lacunae):
            assert res.restored[x:y] == text[a:b]
    assert res.text == text


class ToyModel:
    """Likes only "or" (w-or-d): a stand-in for a user's own model."""

    def score(self, left: str, filling: str, right: str) -> float:
        return 0.0 if filling == "or" else -50.0


def test_custom_model_protocol():
    assert isinstance(ToyModel(), LanguageModel)
    assert isinstance(CharNGram(["abc"]), LanguageModel)
    res = restore(PROSE + "The w□□d was high.", model=ToyModel(), calibration=0)
    assert res.lacunae[0].best.text == "or"
    res = restore(PROSE + "The w□□d was high.", calibration=0)
    assert res.lacunae[0].best.text == "in"


def test_kneser_ney_normalizes():
    lm = KneserNey([PROSE], order=5)
    for ctx in ("the ", "xq", ""):
        total = sum(lm.prob(ctx, ch) for ch in [*lm.alphabet, "\x00", "#"])
        assert math.isclose(total, 1.0, rel_tol=1e-9)


def test_calibration_is_monotone_and_measured():
    _, ys = isotonic([0.1, 0.5, 0.3, 0.9, 0.7], [0, 1, 0, 1, 1])
    assert ys == sorted(ys)
    cal = Calibrator()
    cal.fit([i / 100 for i in range(100)], [i >= 50 for i in range(100)])
    assert cal(0.2) < 0.2 < 0.8 < cal(0.9)
    assert ece([1.0, 0.0], [True, False]) == 0.0


def test_calibration_on_few_samples_keeps_calibrated_shares_apart():
    """40 samples whose raw shares are already calibrated (right with probability equal to
    the share): the fitted map leaves sure and hopeless guesses near their shares instead
    of pulling both toward the base rate (which made short texts' weak guesses too sure
    and strong ones too shy)."""
    import random

    from collate.restoration.calibrate import _interp

    low, high = [], []
    for seed in range(5):
        rng = random.Random(seed)
        raw = [rng.random() for _ in range(40)]
        right = [rng.random() < x for x in raw]
        fitted, n = Calibrator()._fit(raw, right, [1.0] * 40)
        assert n == pytest.approx(40.0)
        low.append(_interp(fitted, 0.05))
        high.append(_interp(fitted, 0.95))
    assert abs(sum(low) / 5 - 0.05) < 0.04, low
    assert abs(sum(high) / 5 - 0.95) < 0.04, high


def test_a_rare_group_is_shifted_by_its_own_success_rate():
    """Six model guesses across words (all wrong, raw share 0.8) beside many right ones of
    the same kind of evidence: too few for a map of their own, they still pull their own
    confidence down, by as much as six samples may (fewer than ``min_samples`` used to get
    the parent's success rate whole)."""
    raw = [0.8] * 40 + [0.8] * 6
    right = [True] * 32 + [False] * 8 + [False] * 6
    groups = ["lm/word"] * 40 + ["lm/long"] * 6
    cal = Calibrator()
    cal.fit(raw, right, groups)
    assert "lm/long" not in cal.maps
    assert cal(0.8, "lm/long") < cal(0.8, "lm") - 0.1
    assert cal(0.8, "lm/long") > 0.2  # six samples move it part of the way only


def test_a_prior_map_is_updated_by_the_document_by_sample_counts():
    """A prior fitted where guesses of 0.8 are right 80 % of the time, a document where they
    are never right: with few samples of its own the document keeps most of the prior, with
    many (beyond the prior's cap) it follows its own map."""
    from collate.restoration.calibrate import PRIOR_SAMPLES

    prior = Calibrator()
    prior.fit([0.8] * 500, [True] * 400 + [False] * 100, ["lm/word"] * 500)
    few, many = Calibrator(prior=prior), Calibrator(prior=prior)
    few.fit([0.8] * 10, [False] * 10, ["lm/word"] * 10)
    many.fit([0.8] * 1000, [False] * 1000, ["lm/word"] * 1000)
    assert many(0.8, "lm/word") < 0.1 < 0.6 < few(0.8, "lm/word") < prior(0.8, "lm/word")
    assert prior.counts["lm/word"] > PRIOR_SAMPLES


def test_a_model_with_a_prior_map_hides_spans_in_fewer_rounds(monkeypatch):
    """Text alone with a model holding a prior map: PRIOR_ROUNDS calibration round(s) and the
    real lacunae's; with a witness the prior is set aside and every round runs."""
    import collate.restoration.core as core
    from collate.restoration.corpusmodel import build_model

    prior = Calibrator()
    prior.fit([0.2, 0.5, 0.9] * 100, [False, True, True] * 100, ["lm/inword"] * 300)
    model = build_model([PROSE * 3], lang="en").with_calibration(prior)
    counted = []
    real = core.fill_rounds
    monkeypatch.setattr(core, "fill_rounds", lambda rounds, *a: counted.append(len(rounds))
                        or real(rounds, *a))
    text = PROSE * 2 + "The w□□d was high."
    alone = restore(text, model=model)
    assert counted == [core.PRIOR_ROUNDS + 1]
    assert alone.lacunae[0].best.confidence > 0
    restore(text, model=model, witnesses=[PROSE * 2 + "The wind was high."])
    assert counted[1] > core.PRIOR_ROUNDS + 1


def test_bad_corpus_path_is_input_error():
    from collate.errors import InputError

    with pytest.raises(InputError):
        restore("a □ b", corpus="/nonexistent/corpus/path")


def test_structure_numbers_items_and_empties_lines():
    from collate.lacunae import detect
    from collate.restoration.structure import structural

    doc = "Report.\n\n☐☐☐ The first.\n\n☐☐\n\n☐☐☐ The second.\n\n☐☐☐ And third.\n"
    lacunae = detect(doc)
    found = structural(doc, lacunae)
    best = [found[i][0][0] for i in sorted(found)]
    assert best == ["1.", "", "2.", "3."]
    res = restore(doc, calibration=0)
    assert [r.best.text for r in res.lacunae] == best
    assert all(r.best.sources == ("structure",) for r in res.lacunae)


def test_witnesses_agreeing_beat_disagreeing():
    damaged = "The men walked along the r□□d to the town and back again."
    # the witnesses alone against the document's model (a corpus model would rule out "reed")
    agree = restore(
        damaged,
        witnesses=[
            "The men walked along the road to the town and back again.",
            "The men walked along the road to the town and back again.",
        ],
        model=False,
    )
    split = restore(
        damaged,
        witnesses=[
            "The men walked along the road to the town and back again.",
            "The men walked along the reed to the town and back again.",
        ],
        model=False,
    )
    assert agree.lacunae[0].best.text == "oa"
    assert {c.text for c in split.lacunae[0].candidates} >= {"oa", "ee"}
    assert agree.lacunae[0].best.confidence >= split.lacunae[0].best.confidence


def test_a_reading_the_glyph_count_rules_out_yields_to_the_word_it_lacks():
    # the witness lacks "black" where the document lost "the black cat": 10 boxes stand for
    # 8 to 14 letters (exact, off by one, or scaled by 0.7-1.3), not for the witness's 7
    lost = "the black cat sat on the mat and the black cat ate and the black cat slept. "
    damaged = lost * 3 + "then we saw " + "□" * 10 + " sit on the mat."
    witness = lost * 3 + "then we saw the cat sit on the mat."
    res = restore(damaged, witnesses=[("W", witness)], model=False, calibration=0)
    assert res.lacunae[0].best.text == "the black cat"  # was "the cat" (0.92)


def test_witness_damaged_at_the_same_place_gives_no_reading():
    damaged = "The men walked along the r□□d to the town."
    res = restore(
        damaged, witnesses=[("B", "The men walked along the r□□d to the town.")], calibration=0
    )
    assert not any(s.startswith("witness:") for c in res.lacunae[0].candidates for s in c.sources)


def test_corpus_folder_trains_the_model(tmp_path):
    (tmp_path / "a.txt").write_text("The quokka hopped. " * 30, encoding="utf-8")
    (tmp_path / "skip.md").write_text("not read", encoding="utf-8")
    damaged = "Then the qu□□ka hopped away."
    assert restore(damaged, corpus=tmp_path, lang="en").lacunae[0].best.text == "ok"
    assert restore(damaged, corpus=["The quokka hopped. " * 30]).lacunae[0].best.text == "ok"


def test_full_vocabulary_completes_rare_words():
    # "encomiums" is in wordfreq's large list, not in the document: still proposed
    text = PROSE + "His harsh blunt enco□□ums gave me pain."
    res = restore(text, lang="en")
    assert "mi" in [c.text for c in res.lacunae[0].candidates]


def test_seed_box_before_capitals_is_a_letter_not_a_bracket(seed_restoration):
    text, res = seed_restoration
    for item in _at(text, res, "□□AS before"):
        assert item.best.text.isalpha() and item.best.text.isupper()


def test_seed_line_start_word_competes_with_nothing(seed_restoration):
    text, res = seed_restoration
    for item in _at(text, res, "□□□ attract"):
        words = [c for c in item.candidates if c.text.isalpha()]
        assert words and words[0].confidence > 0.05


def test_fillings_never_open_brackets_out_of_nothing():
    from collate.restoration.restorer import _balanced

    assert not _balanced("the cat ", "[", "AS before")
    assert _balanced("he said (as ", "ever)", " and")
    assert _balanced("the ", "cat", " sat")


def test_the_model_never_fills_a_lacuna_with_a_line_break():
    """A lacuna stands within one line: a model that saw paragraphs after full stops still
    proposes no break (it once filled a lost ``You`` after an opening quote with
    ``\\n\\nHe``)."""
    from collate.restoration.search import search

    lm = CharNGram(["He ran.\n\nThe dog sat.\n\nThe cow lay.\n\nThe end."] * 3, order=4)
    assert all("\n" not in f for f, _ in search(lm, None, "He sat.", "The cat", (1, 3)))
    text = "He ran.\n\nThe dog sat.\n\nThe cow lay.\n\nThe end. He sat.□□The cat.\n"
    got = restore(text * 3, model=False, lang=None)
    assert all("\n" not in c.text for r in got.lacunae for c in r.candidates)


def test_general_bigrams_give_word_context():
    from collate.restoration.lexicon import Lexicon
    from collate.restoration.words import WordBigrams, general_bigrams

    general = general_bigrams("en")
    assert general is not None, "symspellpy (a core dependency) ships the English bigram list"
    assert general_bigrams("la") is None
    bigrams = WordBigrams([], Lexicon([], lang="en"), general=general)
    assert bigrams.logprob("to", "be") > bigrams.logprob("to", "he") + 3
    assert bigrams.logprob("he", "was") > bigrams.logprob("he", "were") + 3
    assert "be" in bigrams.neighbours("to", None)


def test_words_the_document_capitalises_keep_their_capital():
    # the document always writes "I": a lost "I" comes back as "I", never as "i"
    text = PROSE + "Then □□ said that it was late, and I went home. I saw it. I know."
    cands = [c.text for c in restore(text, lang="en", model=False).lacunae[0].candidates]
    assert "I" in cands[:3] and "i" not in cands
    # with the built-in model too ("he" comes first: novels say "Then he said" far more)
    assert "i" not in [c.text for c in restore(text, lang="en").lacunae[0].candidates]


def test_witnesses_outrank_the_paragraph_rule():
    """Two witnesses read ``1.`` where the memo's A lost its list number before a lower-case
    word: the witnesses' reading comes first, not a capitalised word from the model."""
    samples = Path(__file__).resolve().parents[1] / "samples" / "memo"
    a, b, c = ((samples / f"{s}.txt").read_text(encoding="utf-8") for s in "ABC")
    res = restore(a, witnesses=[("B", b), ("C", c)])
    numbers = [r for r in res.lacunae if r.lacuna.marker == "☐☐☐"]
    assert [r.best.text for r in numbers] == ["1.", "2.", "3."]
    assert all("witness:B" in r.best.sources for r in numbers)


def test_every_candidate_says_why_in_words_that_can_be_checked():
    from collate.restoration.reasons import explain

    doc = "Memo.\n\n□□\n\n□□ately the lamp was lit by the door. The lamp by □□□ door."
    r = restore(doc, witnesses=[("A", "Memo.\n\nLately the lamp was lit by the door. "
                                      "The lamp by the door.")], top=2)
    for rl in r.lacunae:
        for c in rl.candidates:
            shown = [s for s in c.sources if not s.startswith("form:")]
            assert len(c.reasons) == len(shown) and all(c.reasons), (c, rl.lacuna)
            assert c.to_dict()["reasons"] == list(c.reasons)
    first = {rl.lacuna.marker + str(rl.lacuna.start): rl.best for rl in r.lacunae}
    why = " | ".join(w for c in first.values() for w in c.reasons)
    assert "A reads “[L]ately the lamp was lit by” (line 3, column 1)" in why, why
    assert "The lamp by [the] door.” (line 3, column 50)" in why, why
    assert "A reads nothing between “Memo” and “ately”" in why  # the box-only line
    from collate.model import Candidate, Lacuna, Restoration, RestoredLacuna

    lex = RestoredLacuna(Lacuna(0, 2, "□□", 1, 3, "in-word", "box"),
                         (Candidate("L", 0.9, ("lexicon",)),))
    said = explain(Restoration("x", "□□ately it rained; lately it snowed.", (lex,)))
    assert said.lacunae[0].best.reasons == (
        "makes “Lately”, a word the document writes once, a word of the language (Zipf 4.4)",)


@pytest.mark.parametrize(("doc", "start", "end", "word"), [
    ("the la□□ly lamp", 6, 8, "laXly"),
    ("□□ately", 0, 2, "Xately"),
    ("it was l\n□□", 9, 11, "lX"),  # the letters before a line break just before it
    ("it was l\n\n□□", 10, 12, "X"),
    ("don’t-□ go", 6, 7, "don’t-X"),
    ("a\u0301b□c d", 3, 4, "a\u0301bXc"),
])
def test_the_word_a_filling_makes_is_read_from_the_lacuna_outward(doc, start, end, word):
    """Matched backward and forward from the lacuna (not searched from the document's
    start), with what a search for the letters before the end of the text found."""
    from collate.model import Lacuna, RestoredLacuna
    from collate.restoration.reasons import _word_at

    rl = RestoredLacuna(Lacuna(start, end, doc[start:end], 1, 3, "in-word", "box"), ())
    assert _word_at(doc, rl, "X") == word


def test_the_bonus_for_readings_the_count_rules_out_is_fitted_apart():
    from collate.restoration.core import _fit_bonus
    from collate.restoration.holes import Hole, Scored

    def hole(truth: str, witness: str, model: str, misfit: bool = False) -> Hole:
        h = Hole(0, len(truth), (1, 20), {}, truth=truth)
        h.cands = {witness: Scored(-10.0, ["witness:W"], misfit=misfit),
                   model: Scored(-5.0, ["lm"])}
        return h

    # the witness is right wherever the glyph count admits its reading, wrong wherever it
    # does not; the model's guess, 5 ahead of it, is right only there
    hidden = [hole("cat", "cat", "dog") for _ in range(3)]
    hidden += [hole("black cat", "cat", "black cat", misfit=True) for _ in range(2)]
    bonus = _fit_bonus(hidden, {})
    assert bonus[0] > 5.0 > bonus[3]


def _witness_candidates(text: str, witness: str) -> dict:
    """The scored candidates of the first lacuna of ``text`` with ``witness`` beside it."""
    from collate.lacunae import detect
    from collate.restoration.core import Unified, _prepare
    from collate.restoration.holes import real_hole
    from collate.restoration.restorer import Restorer

    lacunae = detect(text)
    inputs = _prepare(Unified.of(text), lacunae, [("W", witness)], None, "en", False)
    hole = real_hole(lacunae[0], text)
    Restorer(inputs, [hole]).candidates(hole)
    return hole.cands


def test_a_witness_reading_nothing_where_the_line_shows_lost_text_reads_other_text() -> None:
    """Boxes opening a line of text may stand for nothing, but a witness that reads nothing
    there lacks a word the document had: its empty reading is other text (the glyph count's
    kind: not learned in place, its own bonus) and whole words compete with it, not only
    fillings of a letter or none."""
    line = "and the word was with god and all things were made by him\n"
    text = line * 4 + "□□□ the light shineth in darkness\n" + line
    cands = _witness_candidates(text, line * 4 + "the light shineth in darkness\n" + line)
    assert "witness:W" in cands[""].sources and cands[""].misfit
    assert any(len(f) == 3 and f.isalpha() for f in cands)
    # a run of boxes that is all its line holds may well stand for nothing
    text = line * 4 + "□□□\n" + line
    cands = _witness_candidates(text, line * 5)
    assert "witness:W" in cands[""].sources and not cands[""].misfit
