"""Editions built with fixed restorations, for tests of the renderers (not of the restorer)."""

from __future__ import annotations

from pathlib import Path

from collate.alignment import collate
from collate.edition import Edition, build_edition
from collate.lacunae import detect
from collate.model import Candidate, Restoration, RestoredLacuna
from collate.reader import read_witnesses

MEMO = Path(__file__).resolve().parents[1] / "samples" / "memo"
FILLS = {"A": ["", "R", "", "T", "", "1.", "", "2.", "", "3."], "B": ["T", "r"], "C": ["archive"]}
"""What each lacuna of the memo's three transcriptions stood for, in order."""


def memo_edition(base: str = "consensus") -> Edition:
    """The memo sample collated, each lacuna restored to its known text (confidence 0.95,
    from the other witnesses; box-only lines to nothing, 0.8)."""
    wits = read_witnesses(sorted(MEMO.glob("*.txt")))
    rest = {}
    for w in wits:
        lacunae = detect(w.text)
        assert len(lacunae) == len(FILLS[w.id]), w.id
        rest[w.id] = Restoration(w.id, w.text, tuple(
            RestoredLacuna(lac, (Candidate(fill, 0.8, ("structure",)),) if not fill else (
                Candidate(fill, 0.95, ("witness:B", "witness:C")), Candidate("x", 0.01, ("lm",))))
            for lac, fill in zip(lacunae, FILLS[w.id], strict=True)))
    return build_edition(collate(wits), rest, base=base)
