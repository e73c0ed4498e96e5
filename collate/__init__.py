"""collate: damaged-text restoration and collation.

Detect lacunae, align witnesses, restore what was lost with calibrated confidence, and
render collated editions (alignment table, TEI P5, Leiden reading text, HTML).

>>> import collate
>>> [x.marker for x in collate.detect("□□ately, there seems")]
['□□']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from collate.batch import batch  # eager: binds the name over the submodule of the same name
from collate.errors import InputError
from collate.lacunae import detect
from collate.model import (
    Candidate,
    Collation,
    Column,
    Lacuna,
    Restoration,
    RestoredLacuna,
    Token,
    Transposition,
    Witness,
)
from collate.tokens import tokenize

if TYPE_CHECKING:
    from collate.alignment import collate
    from collate.reader import read
    from collate.restoration import restore

__all__ = [
    "Candidate",
    "Collation",
    "Column",
    "InputError",
    "Lacuna",
    "Restoration",
    "RestoredLacuna",
    "Token",
    "Transposition",
    "Witness",
    "batch",
    "collate",
    "detect",
    "read",
    "restore",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    """Load the heavier stages (reading files, alignment, restoration) on first use."""
    if name == "read":
        from collate.reader import read

        return read
    if name == "collate":
        from collate.alignment import collate

        return collate
    if name == "restore":
        from collate.restoration import restore

        return restore
    raise AttributeError(f"module 'collate' has no attribute {name!r}")
