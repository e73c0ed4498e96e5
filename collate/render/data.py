"""Data formats of a collation: CollateX-compatible JSON (both ways) and CSV.

JSON output has CollateX's shape, ``{"witnesses": [ids], "table": [column][witness] ->
[tokens]}``, each token ``{"t": text with trailing whitespace, "n": norm, "start", "end"}``
(code-point offsets of the token text in its witness), plus ``"transpositions"``.
:func:`witnesses_from_json` reads CollateX input (``content`` or ``tokens``) and our own
output back, so a table can be collated again and yields the same witnesses.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from collate.errors import InputError
from collate.model import Collation, Witness
from collate.tokens import pretokenized


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


def witnesses_from_json(obj: Any, source: str) -> list[Witness]:
    """Witnesses from CollateX input JSON, or from our own :func:`to_json` output.

    ``{"id", "content"}`` gives a :class:`Witness`; ``{"id", "tokens": [{"t", "n"}]}`` a
    :class:`~collate.model.Witness` with ``tokens``, whose text is the concatenation of the
    ``t``s and whose norms are the given ``n`` (computed where ``n`` is missing).

    Raises
    ------
    InputError
        When the object does not have that shape (the message names ``source``).

    Examples
    --------
    >>> ws = witnesses_from_json({"witnesses": [{"id": "A", "content": "a b"},
    ...     {"id": "B", "tokens": [{"t": "a ", "n": "a"}, {"t": "c"}]}]}, "in.json")
    >>> [(w.id, w.text) for w in ws]
    [('A', 'a b'), ('B', 'a c')]
    >>> witnesses_from_json({"witness": []}, "in.json")
    Traceback (most recent call last):
    ...
    collate.errors.InputError: in.json: expected a JSON object with a "witnesses" list
    """
    if not isinstance(obj, dict) or not isinstance(obj.get("witnesses"), list):
        raise InputError(source, 'expected a JSON object with a "witnesses" list')
    items = obj["witnesses"]
    if "table" in obj and all(isinstance(w, str) for w in items):
        out: list[Witness] = _from_table(obj["table"], items, source)
    else:
        out = [_witness(w, n, source) for n, w in enumerate(items)]
    ids = [w.id for w in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(source, f"duplicate witness ids: {', '.join(dup)}")
    if not out:
        raise InputError(source, 'the "witnesses" list is empty')
    return out


def _witness(item: Any, n: int, source: str) -> Witness:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise InputError(source, f'witness {n + 1}: expected an object with an "id" string')
    wid = item["id"]
    if isinstance(item.get("content"), str):
        return Witness(wid, item["content"], source)
    if isinstance(item.get("tokens"), list):
        return _tokenized(wid, item["tokens"], source, f"witness {wid!r}")
    raise InputError(source, f'witness {wid!r}: needs a "content" string or a "tokens" list')


def _tokenized(wid: str, tokens: list[Any], source: str, where: str) -> Witness:
    pairs: list[tuple[str, str | None]] = []
    for k, tok in enumerate(tokens):
        if not isinstance(tok, dict) or not isinstance(tok.get("t"), str):
            raise InputError(source, f'{where}: token {k + 1} has no "t" string')
        norm = tok.get("n")
        if norm is not None and not isinstance(norm, str):
            raise InputError(source, f'{where}: token {k + 1} has an "n" that is not a string')
        pairs.append((tok["t"], norm))
    toks = tuple(pretokenized(pairs))
    return Witness(wid, "".join(t for t, _ in pairs), source, toks)


def _from_table(table: Any, ids: list[str], source: str) -> list[Witness]:
    """Tokens per witness from a table: ours (column × witness), or any layout whose tokens
    carry CollateX's ``_sigil`` (the Python port writes witness × column)."""
    if not isinstance(table, list):
        raise InputError(source, '"table" must be a list')
    cells: list[tuple[int, list[Any]]] = []  # (witness index in a column, tokens)
    for c, column in enumerate(table):
        if not isinstance(column, list):
            raise InputError(source, f'"table" row {c + 1} is not a list')
        for k, cell in enumerate(column):
            if cell is None:
                continue
            if not isinstance(cell, list):
                raise InputError(source, f'"table" row {c + 1}: cell {k + 1} is not a token list')
            cells.append((k, cell))
    flat = [tok for _, cell in cells for tok in cell]
    tokens: dict[str, list[Any]] = {w: [] for w in ids}
    if flat and all(isinstance(t, dict) and t.get("_sigil") in tokens for t in flat):
        for tok in flat:
            tokens[tok["_sigil"]].append(tok)
    else:
        for k, cell in cells:
            if k >= len(ids):
                raise InputError(source, f'"table": a row has more cells than the {len(ids)} '
                                         "witnesses")
            tokens[ids[k]].extend(cell)
    return [_tokenized(w, tokens[w], source, f"witness {w!r}") for w in ids]
