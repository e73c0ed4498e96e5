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
from collate.restoration.corpusmodel import Model
from collate.restoration.damage import damage

CHAPTER = 12_000  #: characters of whole paragraphs in a calibration chapter
DENSITY = 120  #: characters of a calibration chapter per damaged place


def chapters(text: str, n: int, size: int = CHAPTER) -> list[str]:
    """``n`` stretches of whole paragraphs of about ``size`` characters from ``text``, at
    evenly spread places (the same every run).

    >>> chapters("a\\n\\nb\\n\\nc\\n\\nd", 2, size=1)
    ['b\\n', 'd\\n']
    """
    paras = text.split("\n\n")
    out = []
    for k in range(n):
        i, got = len(paras) * (2 * k + 1) // (2 * n), []
        while i < len(paras) and sum(map(len, got)) < size:
            got.append(paras[i])
            i += 1
        out.append("\n\n".join(got) + "\n")
    return out


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
