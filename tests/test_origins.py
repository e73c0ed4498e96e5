"""Origins: a slice read run by run equals the characters' origins looked up one by one."""

from __future__ import annotations

import itertools

import pytest

from collate.model import Lacuna, RestoredLacuna
from collate.origins import Origins

LOST = RestoredLacuna(Lacuna(3, 5, "□□", 1, 3, "in-word", "box"), ())
LAYOUTS = [
    ([], 0),
    ([(0, "A", 5, None)], 4),
    ([(0, "A", 5, None), (2, "B", 0, None), (3, "A", 3, LOST), (5, "A", 9, None)], 8),
    ([(0, "A", 0, LOST), (1, "B", 7, None), (1, "A", 2, None)], 3),  # an empty run
]


@pytest.mark.parametrize(("runs", "length"), LAYOUTS)
def test_slices_match_lookups(runs: list, length: int) -> None:
    origins = Origins(runs, length)
    one_by_one = [origins[i] for i in range(length)]
    assert list(origins) == one_by_one
    bounds = range(-length - 2, length + 3)
    for start, stop, step in itertools.product(bounds, bounds, (None, 1, 2, -1)):
        assert origins[start:stop:step] == tuple(one_by_one[start:stop:step])
