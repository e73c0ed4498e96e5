"""Plain-text listing of detected lacunae, one line each, for a person to scan."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from collate.model import Lacuna

CONTEXT = 16


def render_lacunae(name: str, text: str, lacunae: Sequence[Lacuna],
                   position: Callable[[int], tuple[int, int]] | None = None) -> str:
    """``name:line:col  marker  kind  length  …context…`` per lacuna, then a count.

    ``position`` gives the line and column of a text offset in the file the text was read
    from (:meth:`collate.xmlsource.TeiWitness.position` for XML); by default they are
    counted in ``text`` itself.

    >>> from collate import detect
    >>> print(render_lacunae("seed.txt", "x\\n□□ately it", detect("x\\n□□ately it")))
    seed.txt:2:1  □□  in-word  1-3 chars  box  x⏎[□□]ately it
    seed.txt: 1 lacuna
    """
    lines = []
    row, row_start, pos = 1, 0, 0
    for lac in lacunae:  # sorted: count newlines incrementally, linear in the text
        row += text.count("\n", pos, lac.start)
        row_start = text.rfind("\n", pos, lac.start) + 1 or row_start
        pos = lac.start
        line, col = (row, lac.start - row_start + 1) if position is None else position(lac.start)
        size = f"{lac.min_chars}-{lac.max_chars if lac.max_chars is not None else '?'} chars"
        left = text[max(0, lac.start - CONTEXT) : lac.start]
        right = text[lac.end : lac.end + CONTEXT]
        context = (left + "[" + lac.marker + "]" + right).replace("\r", "").replace("\n", "⏎")
        lines.append(f"{name}:{line}:{col}  {lac.marker}  {lac.kind}  {size}  {lac.convention}  "
                     f"{context}")
    count = len(lacunae)
    lines.append(f"{name}: {count} lacuna{'' if count == 1 else 'e'}")
    return "\n".join(lines)
