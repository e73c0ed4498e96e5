"""Restoration: propose what each lacuna lost, ranked, with calibrated confidences.

Evidence comes from other witnesses (:mod:`.witnesses`, carried into the document's
orthography by :mod:`.orthography`), a character language model with a
lexicon and word bigrams (:mod:`.charlm`, :mod:`.lexicon`, :mod:`.search`, :mod:`.words`) and
document structure (:mod:`.structure`); confidences are calibrated on the document itself
(:mod:`.calibrate`). The Leiden reading text of a result is
:func:`collate.render.leiden.render_restoration`.

>>> r = restore("A cat. A dog. A c□t.", calibration=0, min_confidence=0)
>>> r.restored
'A cat. A dog. A cat.'
"""

from __future__ import annotations

from collate.restoration.charlm import CharNGram, LanguageModel
from collate.restoration.core import restore

__all__ = ["CharNGram", "LanguageModel", "restore"]
