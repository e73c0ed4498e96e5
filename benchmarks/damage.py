"""What the restoration benchmarks share (``bench_restore`` and ``bench_models`` both import
it; neither imports the other at load time): the damage (:mod:`collate.restoration.damage`,
which also damages the chapters a model's prior map is fitted on), where the data lie, the
held-out Frankenstein units and the speed benchmarks' document.
"""

from __future__ import annotations

from pathlib import Path

from collate.restoration.damage import KINDS, damage

__all__ = ["DATA", "HELD_OUT_ENGLISH", "KINDS", "damage", "frankenstein_250k"]

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
#: Frankenstein units no constant or map of restoration is tuned on: their figures are out
#: of sample
HELD_OUT_ENGLISH = ("C09", "C14", "C19", "C25", "C31")


def frankenstein_250k(data: Path = DATA) -> str:
    """The first 250,000 characters of Frankenstein 1818 (in ``data``): the speed
    benchmarks' document."""
    return "".join(
        (data / "frankenstein" / f"C{k:02d}" / "1818.txt").read_text() for k in range(1, 34)
    )[:250_000]
