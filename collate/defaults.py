"""The defaults that the stages and the command line share, in a module that imports
nothing: the command line reads them when it starts, so ``collate --version`` and a usage
error load no stage (issue 25)."""

from __future__ import annotations

MIN_CONFIDENCE = 0.5
"""The default floor below which a lacuna's best candidate is not put into a text: a
restoration is printed where it is more likely right than wrong; below, the lacuna stays a
lacuna (its candidates stay listed in the JSON, the apparatus and the notes)."""

DEFAULT_LEVEL = "compat,spelling,case"
"""The match level of :data:`collate.normalize.default` (what ``--normalize`` is when not
given)."""
