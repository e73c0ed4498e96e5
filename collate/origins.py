"""Where each character of a reading comes from, stored as runs (a book-length reading would
otherwise hold one tuple per character).

An origin is ``(witness id, offset, lacuna or None)``: a plain character's offset in its
witness, or, for a character of a lacuna's filling, the lacuna's start and the lacuna.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import Any, overload

from collate.model import RestoredLacuna

Origin = tuple[str, int, RestoredLacuna | None]
"""Where one consensus character comes from: witness id, offset, the lacuna it fills."""

Run = tuple[int, str, int, RestoredLacuna | None]
"""``(first index, witness id, first offset, lacuna)``: plain characters step their offset
by one, a lacuna's filling keeps the lacuna's start."""


class Origins(Sequence[Origin]):
    """The origins of ``length`` characters, as runs; reads like a tuple of :data:`Origin`.

    >>> o = Origins([(0, "A", 5, None)], 3)
    >>> len(o), o[2], o[1:] == (("A", 6, None), ("A", 7, None))
    (3, ('A', 7, None), True)
    """

    __slots__ = ("_firsts", "_length", "runs")

    def __init__(self, runs: Sequence[Run], length: int) -> None:
        self.runs = tuple(runs)
        self._firsts = [r[0] for r in self.runs]
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Origin: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Origin, ...]: ...

    def __getitem__(self, index: int | slice) -> Origin | tuple[Origin, ...]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step != 1:
                return tuple(self[i] for i in range(start, stop, step))
            return tuple(self._between(start, stop))
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("origin index out of range")
        first, wit, off, lac = self.runs[bisect_right(self._firsts, index) - 1]
        return (wit, off if lac is not None else off + index - first, lac)

    def __iter__(self) -> Iterator[Origin]:
        return self._between(0, self._length)

    def _between(self, start: int, stop: int) -> Iterator[Origin]:
        """The origins of characters ``start`` to ``stop``, run by run (a slice of a long
        reading is not looked up character by character).

        >>> list(Origins([(0, "A", 5, None), (2, "B", 0, None)], 4)._between(1, 3))
        [('A', 6, None), ('B', 0, None)]
        """
        if start >= stop:
            return
        runs = self.runs
        for k in range(max(0, bisect_right(self._firsts, start) - 1), len(runs)):
            first, wit, off, lac = runs[k]
            if first >= stop:
                return
            end = min(stop, runs[k + 1][0] if k + 1 < len(runs) else self._length)
            lo = max(start, first)
            if lac is not None:
                yield from ((wit, off, lac) for _ in range(lo, end))
            else:
                yield from ((wit, off + i - first, None) for i in range(lo, end))

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self._length and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def stretches(self) -> Iterator[tuple[int, int, str, int, int, RestoredLacuna | None]]:
        """Per run ``(first index, end index, wit, first offset, last offset, lacuna)``.

        >>> list(Origins([(0, "A", 5, None), (2, "A", 9, None)], 3).stretches())
        [(0, 2, 'A', 5, 6, None), (2, 3, 'A', 9, 9, None)]
        """
        for k, (first, wit, off, lac) in enumerate(self.runs):
            end = self.runs[k + 1][0] if k + 1 < len(self.runs) else self._length
            yield first, end, wit, off, off if lac is not None else off + end - first - 1, lac
