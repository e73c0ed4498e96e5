"""Plain-text listing of detected lacunae, one line each, for a person to scan."""

from __future__ import annotations

from collections.abc import Sequence

from collate.model import Lacuna

CONTEXT = 16


def render_lacunae(name: str, text: str, lacunae: Sequence[Lacuna]) -> str:
    """``name:line:col  marker  kind  length  …context…`` per lacuna, then a count.

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
        col = lac.start - row_start + 1
        size = f"{lac.min_chars}-{lac.max_chars if lac.max_chars is not None else '?'} chars"
        left = text[max(0, lac.start - CONTEXT) : lac.start]
        right = text[lac.end : lac.end + CONTEXT]
        context = (left + "[" + lac.marker + "]" + right).replace("\r", "").replace("\n", "⏎")
        lines.append(f"{name}:{row}:{col}  {lac.marker}  {lac.kind}  {size}  {lac.convention}  "
                     f"{context}")
    count = len(lacunae)
    lines.append(f"{name}: {count} lacuna{'' if count == 1 else 'e'}")
    return "\n".join(lines)
