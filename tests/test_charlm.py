"""The character models' fast paths (probability rows per history, remembered log rows)
give exactly what the textbook recursion of interpolated Kneser-Ney gives."""

from __future__ import annotations

import math

import pytest

from collate.chars import BREAK
from collate.restoration.charlm import CharNGram, KneserNey

TEXT = (
    "It was on a dreary night of November that I beheld the accomplishment of my toils. "
    "With an anxiety that almost amounted to agony, I collected the instruments of life "
    "around me, that I might infuse a spark of being into the lifeless thing."
)


def plain(lm: KneserNey, h: str, char: str) -> float:
    """P(char | h) by the recursion over ever shorter histories, one character at a time."""
    n = len(h) + 1
    lower = plain(lm, h[1:], char) if h else lm._uniform
    got = lm._hist[n].get(h)
    if got is None:
        return lower
    c = lm._num[n].get(h + char)
    return (c - lm._disc[n]) * got[0] + got[1] * lower if c else got[1] * lower


@pytest.mark.parametrize("order", [2, 4, 6])
@pytest.mark.parametrize("context", ["", "t", "the ", "I beheld th", "zzqx", f"{BREAK}It "])
def test_rows_equal_the_plain_recursion(order: int, context: str) -> None:
    lm = KneserNey([TEXT, TEXT[40:]], order=order)
    h = context[-(order - 1) :] if order > 1 else ""
    for char in [*sorted(lm.alphabet), BREAK, "#", "é"]:  # every symbol, and unseen ones
        assert lm.prob(context, char) == plain(lm, h, char)


def test_log_rows_and_logprob_agree_with_prob() -> None:
    lm = CharNGram([TEXT], order=5)
    text = "The instruments of Life"
    ctx, total = "I collected ", 0.0
    for ch in text:
        total += math.log(lm.prob(ctx, ch))
        ctx += ch
    assert lm.logprob("I collected ", text) == total
    assert lm.row("ted ")["T"] == math.log(lm.prob("collected ", "T"))  # remembered by logp


def test_kneser_ney_log_rows_apart_from_its_probability_rows():
    """A short history whose probability row was built still scores (the two caches once
    shared one attribute)."""
    lm = KneserNey(["the cat sat on the mat. the cat ate."], order=4)
    p = lm.prob("th", "e")  # builds the probability row of "th"
    assert lm.logp("th", "e") == pytest.approx(math.log(p))
    assert lm.score("", "the", " cat") < 0
