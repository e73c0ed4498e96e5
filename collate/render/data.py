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
from collections.abc import Iterator, Sequence, Set
from json.encoder import encode_basestring as _encode_basestring  # type: ignore[attr-defined]
from typing import Any

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

    Each token is encoded once, as a JSON fragment, and the table is joined from them in
    chunks of :data:`CHUNK` columns; there are ``2 + ceil(columns / CHUNK)`` pieces.

    >>> from collate.alignment import collate
    >>> len(list(json_pieces(collate(["a", "b"]))))
    3
    """
    ids = collation.ids
    tokens = [_packed(collation.tokens[w]) for w in ids]
    columns = collation.columns
    moved = moved_tokens(collation)
    yield f'{{"witnesses": {json.dumps(ids, ensure_ascii=False)}, "table": ['
    for lo in range(0, len(columns), CHUNK):
        per_witness = []
        for k, toks in enumerate(tokens):
            cells = list(columns.ranges(k, lo, lo + CHUNK))
            first = cells[0][0]
            frags = _fragments(toks, first, cells[-1][1], collation.witnesses[k].marks,
                               moved[ids[k]])
            per_witness.append([f"[{', '.join(frags[i - first : j - first])}]" if j > i
                                else "[]" for i, j in cells])
        rows = map(", ".join, zip(*per_witness, strict=True))
        yield ("[" if lo == 0 else ", [") + "], [".join(rows) + "]"
    moves = json.dumps(to_json_moves(collation), ensure_ascii=False)
    yield f'], "transpositions": {moves}}}'


def _packed(tokens: Sequence[Token]) -> Tokens:
    """The tokens as columns (as the aligner gives them, else packed here)."""
    return tokens if isinstance(tokens, Tokens) else Tokens.of(tokens)


CHUNK = 20_000
"""Columns joined into one piece of the JSON text at a time."""


def _fragments(tokens: Tokens, lo: int, hi: int, marks: Sequence[Mark] = (),
               moved: Set[int] = frozenset()) -> list[str]:
    """Tokens ``lo`` to ``hi`` each as its JSON object text, read from the columns: with its
    status where it is not simply legible, and ``"moved": true`` where its index is in
    ``moved``.

    >>> from collate.model import Lacuna, Tokens
    >>> lac = (Lacuna(1, 2, "□", 1, 2, "in-word", "box"),)
    >>> _fragments(Tokens.of([Token("c□t", "", "c□t", 0, 3, lac)]), 0, 1)
    ['{"t": "c□t", "n": "c□t", "start": 0, "end": 3, "status": "lost"}']
    >>> _fragments(Tokens.of([Token("cat", "", "cat", 0, 3)]), 0, 1, moved={0})
    ['{"t": "cat", "n": "cat", "start": 0, "end": 3, "moved": true}']
    """
    enc = _encode_basestring
    texts, wss, norms, starts, ends = (tokens.texts, tokens.wss, tokens.norms, tokens.starts,
                                       tokens.ends)
    damage = tokens.damage
    out = []
    for k in range(lo, hi):
        st = "lost" if k in damage else token_status(tokens[k], marks) if marks else None
        out.append(f'{{"t": {enc(texts[k] + wss[k])}, "n": {enc(norms[k])}, "start": '
                   f'{starts[k]}, "end": {ends[k]}' + (f', "status": "{st}"' if st else "")
                   + (', "moved": true}' if k in moved else "}"))
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
