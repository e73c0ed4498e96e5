"""A restoration model's prior confidence map, fitted when the model is built.

Calibration on the document alone hides hundreds of spans of its intact text and restores
each: most of the cost of restoring a short document. A model can bring a map fitted once
on texts it did not learn from (chapters of novels kept out of its counts): each chapter is
damaged as scans damage text (:mod:`.damage`), spans shaped like its lacunae are hidden in
every calibration round and restored text alone with the model, exactly as
:func:`~collate.restoration.core.restore` does on a document, and one map per evidence group
is fitted on them all. A document restored text alone with the model then hides spans for
:data:`~collate.restoration.core.PRIOR_ROUNDS` round(s) only, and its own map updates this one
(:class:`~collate.restoration.calibrate.Calibrator`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from collate.restoration.calibrate import Calibrator
from collate.restoration.core import calibration_samples
from collate.restoration.corpusmodel import Model, build_model
from collate.restoration.damage import damage

CHAPTER = 12_000  #: characters of whole paragraphs in a calibration chapter
DENSITY = 120  #: characters of a calibration chapter per damaged place
HELD = 4  #: chapters of a user's corpus held out of a calibration model's counts
#: chapters' worth of text a user's corpus needs for a prior map (a smaller one keeps every
#: paragraph for its counts, and its documents calibrate on themselves alone)
MIN_CHAPTERS = 10


def _spans(paras: Sequence[str], n: int, size: int) -> list[tuple[int, int]]:
    """Paragraph ranges of ``n`` stretches of about ``size`` characters, evenly spread."""
    out = []
    for k in range(n):
        i = j = len(paras) * (2 * k + 1) // (2 * n)
        while j < len(paras) and sum(map(len, paras[i:j])) < size:
            j += 1
        out.append((i, j))
    return out


def chapters(text: str, n: int, size: int = CHAPTER) -> list[str]:
    """``n`` stretches of whole paragraphs of about ``size`` characters from ``text``, at
    evenly spread places (the same every run).

    >>> chapters("a\\n\\nb\\n\\nc\\n\\nd", 2, size=1)
    ['b\\n', 'd\\n']
    """
    return held_out([text], n, size)[0]


def held_out(texts: Sequence[str], n: int = HELD, size: int = CHAPTER
             ) -> tuple[list[str], list[str]]:
    """``n`` chapters of whole paragraphs held out of ``texts`` (:func:`chapters` of them
    all), and the rest, a text per unbroken run of paragraphs.

    >>> held_out(["a\\n\\nb", "c\\n\\nd"], 2, size=1)
    (['b\\n', 'd\\n'], ['a', 'c'])
    """
    paras = "\n\n".join(texts).split("\n\n")
    spans = _spans(paras, n, size)
    held = ["\n\n".join(paras[i:j]) + "\n" for i, j in spans]
    rest, start = [], 0
    for i, j in [*spans, (len(paras), len(paras))]:
        if i > start:
            rest.append("\n\n".join(paras[start:i]))
        start = max(start, j)
    return held, rest


def calibrated(model: Model, texts: Sequence[str], *, workers: int = 1) -> Model:
    """``model`` (built from ``texts``) with a prior map, fitted on :data:`HELD` chapters of
    ``texts`` restored with a model built from the rest of them, where ``texts`` hold
    :data:`MIN_CHAPTERS` chapters' worth (else ``model`` as it is)."""
    if sum(map(len, texts)) < MIN_CHAPTERS * CHAPTER:
        return model
    held, rest = held_out(texts)
    trial = build_model(rest, lang=model.lang)
    return model.with_calibration(fit_prior(trial, held, workers=workers))


def fit_prior(model: Model, texts: Sequence[str], *, seed: int = 0, workers: int = 1
              ) -> Calibrator:
    """The confidence map of ``model`` fitted on ``texts`` (which it must not have learned
    from), each damaged at one place per :data:`DENSITY` characters."""
    raw: list[float] = []
    right: list[bool] = []
    groups: list[str] = []
    weights: list[float] = []
    for i, text in enumerate(texts):
        damaged, _, _ = damage(text, len(text) // DENSITY, random.Random(f"prior/{seed}/{i}"))
        got = calibration_samples(damaged, model, seed=seed, workers=workers)
        for into, part in zip((raw, right, groups, weights), got, strict=True):
            into += part
    cal = Calibrator()
    cal.fit(raw, right, groups, weights)
    return cal
