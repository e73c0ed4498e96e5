"""Alignment table for a terminal: one row per witness, variant columns marked.

Each cell shows a witness's reading with whitespace runs shown as one space; ``·`` marks an
omission, ``⇄`` a block the witness has elsewhere than another witness (a transposition:
blocks that swap places stand opposite each other, each marked). Long readings wrap inside
their cell; a collation wider than the terminal wraps into blocks of columns, each headed by
the column numbers, ``*`` marking variant columns.
"""

from __future__ import annotations

import shutil
import textwrap

from collate.model import Collation
from collate.render.moves import MOVED, moved_cells

OMITTED = "·"
"""Shown for a witness that has nothing in a column."""
CELL_WIDTH = 30
"""Widest a cell grows before its reading wraps onto more lines."""


def _show(reading: str) -> str:
    return " ".join(reading.split()) or OMITTED


def render_table(collation: Collation, *, width: int | None = None) -> str:
    """The collation as a plain-text table, wrapped into blocks ``width`` characters wide.

    Parameters
    ----------
    collation : Collation
        The alignment to show.
    width : int, optional
        Line width; the terminal's width when omitted (100 when it cannot be told).

    Examples
    --------
    >>> from collate.alignment import collate
    >>> print(render_table(collate(["the cat sat", "the kat sat", "the cat"]), width=40))
      | 1   | 2*  | 3*
    A | the | cat | sat
    B | the | kat | sat
    C | the | cat | ·
    >>> print(render_table(collate(["a b c x d e f", "d e f x a b c"]), width=40))
      | 1* | 2* | 3* | 4 | 5* | 6* | 7*
    A | ⇄a | ⇄b | ⇄c | x | ⇄d | ⇄e | ⇄f
    B | ⇄d | ⇄e | ⇄f | x | ⇄a | ⇄b | ⇄c
    """
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns
    ids = collation.ids
    label = max([len(w) for w in ids] + [1])
    blocks: list[str] = []
    current: list[tuple[str, list[list[str]]]] = []  # (header, lines per witness)
    used = label
    variant = collation.variants()
    moved = moved_cells(collation)
    for col, readings in enumerate(collation.table()):
        head = f"{col + 1}{'*' if variant[col] else ''}"
        cells = [textwrap.wrap(MOVED * m + _show(r), CELL_WIDTH, break_on_hyphens=False)
                 or [OMITTED] for r, m in zip(readings, moved[col], strict=True)]
        size = max([len(head)] + [len(line) for cell in cells for line in cell])
        if current and used + 3 + size > width:
            blocks.append(_block(ids, label, current))
            current, used = [], label
        current.append((head.ljust(size), [[line.ljust(size) for line in c] for c in cells]))
        used += 3 + size
    if current or not blocks:
        blocks.append(_block(ids, label, current))
    return "\n\n".join(blocks)


def _block(ids: list[str], label: int, columns: list[tuple[str, list[list[str]]]]) -> str:
    lines = [(" " * label + "".join(f" | {head}" for head, _ in columns)).rstrip()]
    for k, wid in enumerate(ids):
        height = max([len(cells[k]) for _, cells in columns] + [1])
        for row in range(height):
            name = wid if row == 0 else ""
            parts = [cells[k][row] if row < len(cells[k]) else " " * len(head)
                     for head, cells in columns]
            lines.append((name.ljust(label) + "".join(f" | {p}" for p in parts)).rstrip())
    return "\n".join(lines)
