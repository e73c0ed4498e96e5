"""collate: damaged-text restoration and collation.

Detect lacunae, align witnesses, restore what was lost with calibrated confidence, and
render collated editions (alignment table, TEI P5, Leiden reading text, HTML).

>>> import collate
>>> [x.marker for x in collate.detect("□□ately, there seems")]
['□□']
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from collate.errors import InputError

__version__ = "0.1.0"
"""The version of the distribution (``collate --version``), read by the build from here."""

if TYPE_CHECKING:
    from collate.alignment import collate
    from collate.batch import batch
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
    from collate.reader import read
    from collate.restoration import restore
    from collate.tokens import tokenize

_LAZY = {
    "batch": "collate.batch", "collate": "collate.alignment", "detect": "collate.lacunae",
    "read": "collate.reader", "restore": "collate.restoration", "tokenize": "collate.tokens",
    **dict.fromkeys(["Candidate", "Collation", "Column", "Lacuna", "Restoration",
                     "RestoredLacuna", "Token", "Transposition", "Witness"], "collate.model"),
}
"""Where each public name lives: loaded on first use, so a command (and ``collate
--version``) imports only the stages it runs."""

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
    """Load the stage a public name lives in (reading files, alignment, restoration, the
    model's types) on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module 'collate' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value  # found directly from now on
    return value


class _Package(ModuleType):
    """This package, whose ``batch`` stays the function when the submodule of the same name
    is loaded (the import system binds a loaded submodule as an attribute of its package),
    without loading the submodule before it is used."""

    @property
    def batch(self) -> Any:
        """:func:`collate.batch.batch`."""
        return __getattr__("batch")

    @batch.setter
    def batch(self, submodule: ModuleType) -> None:
        """The import system binding the submodule: the name keeps the function."""


sys.modules[__name__].__class__ = _Package
