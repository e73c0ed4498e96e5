"""Beam search for fillings of one lacuna, guided by the character model and the lexicon.

A filling is built one character at a time. Inside a word only letters that keep it a
lexicon word (or a prefix of one) are tried; a word that leaves the lexicon pays a fixed
penalty once and then grows freely (names, abbreviations, inscriptions). A separator may
follow only a complete word. At every length the lacuna's length model admits, the
filling is closed: the partly kept word on the right must complete it, and the right
context is scored.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass

from collate.restoration.charlm import BREAK, CharNGram, _fold
from collate.restoration.lexicon import WORD_CHAR, Lexicon, word_edges


@dataclass(frozen=True, slots=True)
class Weights:
    """Tunable weights of the search score (all in natural-log units)."""

    oov: float = -6.0  #: once per word that leaves the lexicon
    prior: float = 0.25  #: times the log word prior of every completed word
    beam: int = 32  #: states kept per length
    free: int = 6  #: most likely free characters tried per state


_LOWER, _UPPER, _BOTH = (str.lower,), (str.upper,), (str.lower, str.upper)
_CASED: dict[tuple[frozenset[str], tuple], tuple[str, ...]] = {}


def _cased(letters: frozenset[str], cases: tuple) -> tuple[str, ...]:
    """The single characters that ``letters`` give in ``cases``, in sorted order of the
    letters (the same on every process), each once; remembered (the same few sets recur
    at every step).

    >>> _cased(frozenset("ba"), _BOTH)
    ('a', 'A', 'b', 'B')
    """
    key = (letters, cases)
    got = _CASED.get(key)
    if got is None:
        if len(_CASED) > 100_000:
            _CASED.clear()
        chars = (case(c) for c in sorted(letters) for case in cases)
        got = _CASED[key] = tuple(dict.fromkeys(ch for ch in chars if len(ch) == 1))
    return got


_BREAKS = "\r\n"  #: line breaks: a lacuna stands within one line, its filling holds none


def _options(lm: CharNGram, ctx: str, cases: tuple) -> tuple[str, ...]:
    """The characters the model saw after the last two of ``ctx``, commonest first, each
    letter in the admitted cases, no line break (remembered per model, pair and cases)."""
    pair = _fold(ctx[-2:])
    key = (pair, cases)
    got = lm.options.get(key)
    if got is None:
        follow = lm.followers.get(pair, "") or " "
        got = lm.options[key] = tuple(
            ch
            for low in follow
            for ch in (sorted({case(low) for case in cases}) if low.isalpha() else (low,))
            if ch != BREAK and len(ch) == 1 and ch not in _BREAKS
        )
    return got


_WORDISH: dict[str, bool] = {}


def _is_word_char(ch: str) -> bool:
    """Whether ``ch`` is a word character (remembered: the same few recur)."""
    got = _WORDISH.get(ch)
    if got is None:
        got = _WORDISH[ch] = bool(WORD_CHAR.match(ch))
    return got


def search(
    lm: CharNGram,
    lexicon: Lexicon | None,
    left: str,
    right: str,
    lengths: tuple[int, int],
    *,
    weights: Weights = Weights(),
    length_prior: Callable[[int], float] = lambda n: 0.0,
    keep: int = 24,
) -> list[tuple[str, float]]:
    """The ``keep`` best fillings between ``left`` and ``right``, with their log scores.

    Parameters
    ----------
    lm
        The character model that proposes and scores characters.
    lexicon
        Words a filling should complete (``None``: no constraint, no prior).
    left, right
        The text before and after the lacuna (other lacunae as :data:`BREAK`).
    lengths
        ``(lo, hi)``: the filling lengths to close, inclusive.

    Returns
    -------
    list[tuple[str, float]]
        Fillings with log scores (LM + word prior + length prior), best first.

    Examples
    --------
    >>> lm = CharNGram(["the cat sat on the mat. the cat ate the rat."] * 3, order=4)
    >>> search(lm, Lexicon(["the cat sat on the mat"], lang=None), "the ", " sat", (3, 3))[0][0]
    'cat'
    """
    lo, hi = lengths
    beam = _Beam(lm, lexicon, left, right, weights, length_prior)
    states: list[_State] = [(0.0, "", beam.prefix, beam.oov0)]
    finals: list[tuple[float, str]] = []
    for step in range(hi + 1):
        if step >= lo:
            finals += [beam.close(*state) for state in states]
        if step == hi:
            break
        nxt = [grown for state in states for grown in beam.expand(*state)]
        states = heapq.nlargest(weights.beam, nxt, key=lambda s: s[0])
    finals.sort(key=lambda f: -f[0])
    return [(f, s) for s, f in finals[:keep]]


_State = tuple[float, str, str, bool]  #: (score, filling, word being written, left the lexicon)


class _Beam:
    """The fixed parts of one search: the models, the contexts, the weights."""

    def __init__(
        self,
        lm: CharNGram,
        lexicon: Lexicon | None,
        left: str,
        right: str,
        weights: Weights,
        length_prior: Callable[[int], float],
    ) -> None:
        self.lm, self.lexicon, self.weights, self.length_prior = lm, lexicon, weights, length_prior
        self.prefix, self.suffix = word_edges(left, right)
        order = self.order = lm.order
        self.ctx0 = left[-(order - 1) :] if order > 1 else ""
        right_ctx = right[: order - 1]
        cut = right_ctx.find(BREAK)
        self.right_ctx = right_ctx[:cut] if cut >= 0 else right_ctx
        self.oov0 = bool(self.prefix) and (lexicon is None or not lexicon.is_prefix(self.prefix))

    def close(self, score: float, filling: str, word: str, oov: bool) -> tuple[float, str]:
        """A finished filling: the word it ends completed by the kept suffix, scored with
        the right context and the length prior."""
        lexicon, weights = self.lexicon, self.weights
        whole = word + self.suffix
        if whole and lexicon is not None and not oov:
            if lexicon.is_word(whole):
                score += weights.prior * lexicon.prior(whole)
            else:
                score += weights.oov
        k = self.order - 1
        ctx = (self.ctx0 + filling)[-k:]
        lm = self.lm
        for ch in self.right_ctx:
            row = lm.row(ctx)
            got = row.get(ch)
            if got is None:
                got = row[ch] = math.log(lm.prob(ctx, ch))
            score += got
            ctx = (ctx + ch)[-k:]
        return score + self.length_prior(len(filling)), filling

    def expand(self, score: float, filling: str, word: str, oov: bool) -> list[_State]:
        """The states one character longer: lexicon letters first, then the model's most
        likely free characters (a separator only after a complete word)."""
        lm, lexicon, weights = self.lm, self.lexicon, self.weights
        ctx = (self.ctx0 + filling)[-(self.order - 1) :]
        out: list[_State] = []
        tried: set[str] = set()
        # which cases to try for a letter: the case model prunes the unlikely one
        if word and not word.isupper():
            cases = _LOWER
        else:
            up = lm.p_upper(ctx)
            cases = _LOWER if up < 0.01 else _UPPER if up > 0.99 else _BOTH
        row, prob = lm.row(ctx), lm.prob

        def lp(ch: str) -> float:  # the row first: most characters were tried before
            got = row.get(ch)
            if got is None:
                got = row[ch] = math.log(prob(ctx, ch))
            return got

        if not oov and lexicon is not None:
            letters = _cased(lexicon.children(word), cases)
            tried.update(letters)
            out += [(score + lp(ch), filling + ch, word + ch, False) for ch in letters]
        n_free, pen = 0, 0.0 if (oov or lexicon is None) else weights.oov
        closes = not word or lexicon is None or oov  # a separator may follow, at no cost
        for ch in _options(lm, ctx, cases):
            if ch in tried:
                continue
            if _is_word_char(ch):
                if n_free >= weights.free:
                    continue
                n_free += 1
                out.append((score + pen + lp(ch), filling + ch, word + ch, True))
            elif closes:
                out.append((score + lp(ch), filling + ch, "", False))
            elif lexicon is not None and lexicon.is_word(word):  # after a known word: its prior
                out.append((score + lp(ch) + weights.prior * lexicon.prior(word),
                            filling + ch, "", False))
        return out
