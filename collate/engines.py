"""The OCR engines' own confidence in the words they read, as a vote weight.

A reader of ALTO, PAGE, hOCR or ABBYY XML keeps each word's confidence
(:attr:`collate.model.Witness.words`). The consensus weighs a witness's vote at a place by
its reliability, the log-odds that a character it reads is right
(:mod:`collate.reliability`); where the engine says how sure it was of the word there, the
vote moves by how much surer (or less sure) than its average the engine was: the log-odds
of the word's confidence less the mean log-odds of all the witness's words. So a word the
engine flagged as doubtful weighs less than the same engine's ordinary word, and plain
texts (no confidences) vote exactly as before.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from collate.model import OcrWord, Witness

EDGE = 0.01
"""Confidences are read as lying in ``[EDGE, 1 - EDGE]`` (an engine's 0 or 100 % is no
infinite log-odds)."""


def _logit(c: float) -> float:
    c = min(1.0 - EDGE, max(EDGE, c))
    return math.log(c / (1.0 - c))


def word_confidence(word: OcrWord) -> float | None:
    """The engine's confidence in a word: its own, else the mean of its characters'.

    >>> word_confidence(OcrWord(0, 3, None, chars=(0.5, 1.0, 0.9)))
    0.8
    """
    if word.confidence is not None:
        return word.confidence
    if word.chars:
        return round(sum(word.chars) / len(word.chars), 6)
    return None


@dataclass(frozen=True)
class Confidences:
    """Per witness, its words' starts, ends and log-odds shifts (sorted by start).

    >>> w = Witness("A", "sure doubt", words=(OcrWord(0, 4, 0.9), OcrWord(5, 10, 0.5)))
    >>> c = Confidences.of([w])
    >>> c.shift("A", 1) > 0 > c.shift("A", 7), c.shift("A", 4), c.shift("B", 0)
    (True, 0.0, 0.0)
    >>> Confidences.of([w, Witness("B", "plain text")]) is None
    True
    """

    words: Mapping[str, tuple[list[int], list[int], list[float]]]

    @classmethod
    def of(cls, witnesses: Iterable[Witness]) -> Confidences | None:
        """The confidences the witnesses' files carry, or ``None`` unless every witness's
        engine gave some: a doubt is relative to its own engine's average, and an engine that
        says nothing would otherwise always out-vote it (Hobbes 0009 from hOCR beside OCRopus,
        which gives none: 9.97 % CER against 8.34 % from the same texts as plain files)."""
        out = {}
        for w in witnesses:
            known = [(x.start, x.end, _logit(c)) for x in sorted(w.words, key=lambda x: x.start)
                     if (c := word_confidence(x)) is not None]
            if not known:
                return None
            mean = sum(k[2] for k in known) / len(known)
            out[w.id] = ([k[0] for k in known], [k[1] for k in known],
                         [k[2] - mean for k in known])
        return cls(out)

    def shift(self, wid: str, offset: int) -> float:
        """How far ``wid``'s vote moves at ``offset`` of its text (0 outside its words)."""
        found = self.words.get(wid)
        if found is None:
            return 0.0
        starts, ends, shifts = found
        i = bisect_right(starts, offset) - 1
        return shifts[i] if i >= 0 and offset < ends[i] else 0.0
