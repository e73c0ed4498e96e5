"""Data formats of a collation: CollateX-compatible JSON and CSV (the writers).

JSON output has CollateX's shape, ``{"witnesses": [ids], "table": [column][witness] ->
[tokens]}``, each token ``{"t": text with trailing whitespace, "n": norm, "start", "end"}``
(code-point offsets of the token text in its witness), plus ``"transpositions"``. A token
that is not the witness's own legible text says how it stands, as the edition does
(:class:`collate.evidence.Status`): ``"status": "lost"`` where a lacuna lies in it,
``"supplied"`` or ``"unclear"`` where the editor of a TEI witness marked it so; the CSV
names, per column, the witnesses lost there. A token inside a block that two witnesses have in
different places has ``"moved": true`` (the blocks and their places are listed in
``"transpositions"``; blocks that swap places stand opposite each other in the same columns),
and the CSV names, per column, the witnesses whose text there is moved.
:func:`collate.reader.witnesses_from_json` reads CollateX input (``content`` or ``tokens``)
and this output back, so a table can be collated again and yields the same witnesses.
"""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring as _encode_basestring  # type: ignore[attr-defined]
from typing import Any

import numpy as np

from collate.model import Collation, Mark, Token, Tokens
from collate.render.moves import moved_cells, moved_tokens


def to_json(collation: Collation) -> dict[str, Any]:
    """The collation as a CollateX-shaped JSON object.

    >>> from collate.alignment import collate
    >>> out = to_json(collate(["a cat", "a"]))
    >>> out["witnesses"], out["table"][1]
    (['A', 'B'], [[{'t': 'cat', 'n': 'cat', 'start': 2, 'end': 5}], []])
    """
    ids = collation.ids
    marks = {w.id: w.marks for w in collation.witnesses}
    moved = moved_tokens(collation)
    table = [
        [[{"t": t.text_with_ws, "n": t.norm, "start": t.start, "end": t.end}
          | ({"status": st} if (st := token_status(t, marks[w])) else {})
          | ({"moved": True} if i1 + k in moved[w] else {})
          for k, t in enumerate(collation.tokens[w][i1:i2])]
         for w, (i1, i2) in zip(ids, collation.columns[col].cells, strict=True)]
        for col in range(len(collation.columns))
    ]
    return {"witnesses": ids, "table": table, "transpositions": to_json_moves(collation)}


def to_json_text(collation: Collation) -> str:
    """:func:`to_json` written out as JSON text, without building an object per token.

    The text is what ``json.dumps(to_json(collation), ensure_ascii=False)`` writes, joined
    from :func:`json_pieces`.

    >>> from collate.alignment import collate
    >>> to_json_text(collate(["a", "b"]))
    '{"witnesses": ["A", "B"], "table": [[[{"t": "a", "n": "a", "start": 0, "end": 1}], \
[{"t": "b", "n": "b", "start": 0, "end": 1}]]], "transpositions": []}'
    """
    return "".join(json_pieces(collation))


def json_pieces(collation: Collation) -> Iterator[str]:
    """:func:`to_json_text` in pieces, to be written one after the other (a huge table
    never stands whole in memory as text).

    The table is written in chunks of :data:`CHUNK` columns, each witness's cells of a chunk
    at once (:func:`_cells`); there are ``2 + ceil(columns / CHUNK)`` pieces.

    >>> from collate.alignment import collate
    >>> len(list(json_pieces(collate(["a", "b"]))))
    3
    """
    ids = collation.ids
    tokens = [Tokens.of(collation.tokens[w]) for w in ids]
    encoded = _Encoded()
    columns = collation.columns
    moved = {w: sorted(m) for w, m in moved_tokens(collation).items()}
    yield f'{{"witnesses": {json.dumps(ids, ensure_ascii=False)}, "table": ['
    for lo in range(0, len(columns), CHUNK):
        per_witness = [_cells(toks, columns.array[lo : lo + CHUNK, k], encoded,
                              collation.witnesses[k].marks, moved[ids[k]])
                       for k, toks in enumerate(tokens)]
        rows = map(", ".join, zip(*per_witness, strict=True))
        yield ("[" if lo == 0 else ", [") + "], [".join(rows) + "]"
    moves = json.dumps(to_json_moves(collation), ensure_ascii=False)
    yield f'], "transpositions": {moves}}}'


CHUNK = 20_000
"""Columns joined into one piece of the JSON text at a time."""

_END = "\x00"
"""Ends a cell in the text of a witness's cells, which is then split there: JSON text never
holds it raw (``json`` escapes every control character)."""


class _Encoded(dict[str, str]):
    """Each distinct string JSON-encoded once, without its quotes (a book
    repeats most of its words: the encoder runs once per distinct word)."""

    def __missing__(self, key: str) -> str:
        value = self[key] = _encode_basestring(key)[1:-1]
        return value


def _cells(tokens: Tokens, cells: np.ndarray, encoded: _Encoded, marks: Sequence[Mark] = (),
           moved: Sequence[int] = ()) -> list[str]:
    """The JSON text of each cell (``[token, ...]``) of one witness, its token ranges the
    rows of ``cells``: each token an object read from the columns, with its status where
    it is not simply legible and ``"moved": true`` where its index is in ``moved`` (sorted).

    The cells tile the witness's tokens in order, so the text of all of them is written in
    one pass over their tokens and cut at the cells' ends.

    >>> from collate.model import Lacuna, Tokens
    >>> lac = (Lacuna(1, 2, "□", 1, 2, "in-word", "box"),)
    >>> toks = Tokens.of([Token("c□t", " ", "c□t", 0, 3, lac), Token("a", "", "a", 4, 5)])
    >>> cells = np.array([[0, 0], [0, 2]])
    >>> _cells(toks, cells, _Encoded(), moved=[0])  # doctest: +NORMALIZE_WHITESPACE
    ['[]', '[{"t": "c□t ", "n": "c□t", "start": 0, "end": 3, "status": "lost", "moved": true},
      {"t": "a", "n": "a", "start": 4, "end": 5}]']
    """
    full = cells[:, 1] > cells[:, 0]
    if not full.any():
        return ["[]"] * len(cells)
    firsts, lasts = cells[full, 0], cells[full, 1]
    lo, hi = int(firsts[0]), int(lasts[-1])
    empty = np.cumsum(~full) - ~full  # empty cells before each cell
    before = np.diff(empty[full], prepend=0)  # ... since the last full cell
    opening = np.array([f"[]{_END}" * n + "[" for n in range(before.max() + 1)], dtype=object)
    pre = np.full(hi - lo, ", ", dtype=object)  # before a token: "[", or ", " in a cell
    pre[firsts - lo] = opening[before]
    post = np.full(hi - lo, "}", dtype=object)  # after it: its end, "]" and the mark
    post[lasts - 1 - lo] = "}]" + _END
    for k in moved[bisect_left(moved, lo) : bisect_left(moved, hi)]:
        post[k - lo] = ', "moved": true' + post[k - lo]
    for k, st in _statuses(tokens, lo, hi, marks).items():
        post[k - lo] = f', "status": "{st}"' + post[k - lo]
    get = encoded.__getitem__  # mapped in C, not called per token from the loop
    text = "".join([f'{a}{{"t": "{t}{w}", "n": "{n}", "start": {s}, "end": {e}{b}'
                    for a, t, w, n, s, e, b in zip(
                        pre.tolist(), map(get, tokens.texts[lo:hi]),
                        map(get, tokens.wss[lo:hi]), map(get, tokens.norms[lo:hi]),
                        tokens.starts[lo:hi], tokens.ends[lo:hi], post.tolist(), strict=True)])
    text += f"[]{_END}" * int(len(cells) - np.flatnonzero(full)[-1] - 1)  # empty at the end
    return text.split(_END)[:-1]


def _statuses(tokens: Tokens, lo: int, hi: int, marks: Sequence[Mark]) -> dict[int, str]:
    """:func:`token_status` of tokens ``lo`` to ``hi``, for those that have one.

    >>> toks = Tokens.of([Token("a", " ", "a", 0, 1), Token("b", "", "b", 2, 3)])
    >>> sorted(_statuses(toks, 0, 2, [Mark(2, 3, "unclear"), Mark(0, 3, "supplied")]).items())
    [(0, 'supplied'), (1, 'supplied')]
    """
    out: dict[int, str] = {}
    for kind in ("unclear", "supplied"):  # supplied wins where both marks lie
        for m in marks:
            if m.kind == kind:
                first = max(lo, bisect_right(tokens.ends, m.start, lo, hi))
                out.update(dict.fromkeys(range(first, bisect_left(tokens.starts, m.end,
                                                                  first, hi)), kind))
    out.update((k, "lost") for k in tokens.damage if lo <= k < hi)
    return out


def token_status(token: Token, marks: Sequence[Mark] = ()) -> str | None:
    """How a token stands where it is not simply legible: ``"lost"`` (a lacuna lies in it),
    ``"supplied"`` or ``"unclear"`` (its witness's editor marked it so); else ``None``.

    >>> token_status(Token("cat", "", "cat", 0, 3), [Mark(0, 3, "unclear")])
    'unclear'
    """
    if token.damaged:
        return "lost"
    for kind in ("supplied", "unclear"):
        if any(m.kind == kind and m.start < token.end and token.start < m.end for m in marks):
            return kind
    return None


def to_json_moves(collation: Collation) -> list[dict[str, Any]]:
    """The ``transpositions`` of the JSON output: the two witnesses and their token ranges.

    >>> from collate.model import Transposition
    >>> class C:
    ...     transpositions = (Transposition("A", (0, 3), "B", (5, 8)),)
    >>> to_json_moves(C())
    [{'witnesses': ['A', 'B'], 'ranges': [[0, 3], [5, 8]]}]
    """
    return [{"witnesses": [x.a, x.b], "ranges": [list(x.a_range), list(x.b_range)]}
            for x in collation.transpositions]


def to_csv(collation: Collation) -> str:
    """One row per column: its number, whether it is a variant, each witness's reading, the
    witnesses whose reading there is moved (inside a transposition), and the witnesses lost
    there (a lacuna in their reading; they attest nothing).

    Readings are verbatim (trailing whitespace included), so each witness column joined
    gives back its witness.

    >>> from collate.alignment import collate
    >>> to_csv(collate(["a b", "a c", "a □"])).splitlines()
    ['column,variant,A,B,C,moved,lost', '1,0,a ,a ,a ,,', '2,1,b,c,□,,C']
    >>> to_csv(collate(["a b c x d e f", "d e f x a b c"])).splitlines()[1:5]
    ['1,1,a ,d ,A B,', '2,1,b ,e ,A B,', '3,1,c ,f ,A B,', '4,0,x ,x ,,']
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    ids = collation.ids
    writer.writerow(["column", "variant", *ids, "moved", "lost"])
    variant = collation.variants()
    lost = _lost_cells(collation)
    moved = moved_cells(collation)
    for col, readings in enumerate(collation.table()):
        writer.writerow([col + 1, int(variant[col]), *readings,
                         " ".join(w for w, x in zip(ids, moved[col], strict=True) if x),
                         " ".join(w for w, x in zip(ids, lost[col], strict=True) if x)])
    return out.getvalue()


def _lost_cells(collation: Collation) -> list[list[bool]]:
    """Per column, per witness in collation order: whether a lacuna lies in the cell.

    >>> from collate.alignment import collate
    >>> _lost_cells(collate(["a b", "a □"]))
    [[False, False], [False, True]]
    """
    rows = []
    for k, w in enumerate(collation.ids):
        toks = collation.tokens[w]
        if not any(t.lacunae for t in toks):
            rows.append([False] * len(collation.columns))
            continue
        rows.append([any(t.lacunae for t in toks[i:j]) for i, j in collation.columns.ranges(k)])
    return [list(col) for col in zip(*rows, strict=True)] if rows else []
