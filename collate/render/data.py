"""Data formats of a collation: CollateX-compatible JSON and CSV (the writers).

JSON output has CollateX's shape, ``{"witnesses": [ids], "table": [column][witness] ->
[tokens]}``, each token ``{"t": text with trailing whitespace, "n": norm, "start", "end"}``
(code-point offsets of the token text in its witness), plus ``"transpositions"``.
:func:`collate.reader.witnesses_from_json` reads CollateX input (``content`` or ``tokens``)
and this output back, so a table can be collated again and yields the same witnesses.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from collate.model import Collation


def to_json(collation: Collation) -> dict[str, Any]:
    """The collation as a CollateX-shaped JSON object.

    >>> from collate.alignment import collate
    >>> out = to_json(collate(["a cat", "a"]))
    >>> out["witnesses"], out["table"][1]
    (['A', 'B'], [[{'t': 'cat', 'n': 'cat', 'start': 2, 'end': 5}], []])
    """
    ids = collation.ids
    table = [
        [[{"t": t.text_with_ws, "n": t.norm, "start": t.start, "end": t.end}
          for t in collation.cell(col, w)] for w in ids]
        for col in range(len(collation.columns))
    ]
    moves = [{"witnesses": [x.a, x.b], "ranges": [list(x.a_range), list(x.b_range)]}
             for x in collation.transpositions]
    return {"witnesses": ids, "table": table, "transpositions": moves}


def to_csv(collation: Collation) -> str:
    """One row per column: its number, whether it is a variant, then each witness's reading.

    Readings are verbatim (trailing whitespace included), so each witness column joined
    gives back its witness.

    >>> from collate.alignment import collate
    >>> to_csv(collate(["a b", "a c"])).splitlines()
    ['column,variant,A,B', '1,0,a ,a ', '2,1,b,c']
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["column", "variant", *collation.ids])
    variant = collation.variants()
    for col, readings in enumerate(collation.table()):
        writer.writerow([col + 1, int(variant[col]), *readings])
    return out.getvalue()
