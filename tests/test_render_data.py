"""CollateX-compatible JSON both ways, and CSV that gives back every witness."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from collate.alignment import collate
from collate.errors import InputError
from collate.model import Tokens, Witness
from collate.reader import witnesses_from_json
from collate.render.data import to_csv, to_json, to_json_text
from tests.conftest import data_path

TEXTS = [("A", "The □□ately cat sat on the mat."), ("B", " The lately kat sat\non a mat!"),
         ("C", "the cat")]


def test_json_shape_is_collatex_like() -> None:
    c = collate(TEXTS)
    out = json.loads(json.dumps(to_json(c)))
    assert out["witnesses"] == ["A", "B", "C"]
    assert len(out["table"]) == len(c.columns)
    assert all(len(column) == 3 for column in out["table"])
    tok = out["table"][1][0][0]
    assert set(tok) >= {"t", "n", "start", "end"}
    for k, (_, text) in enumerate(TEXTS):
        assert "".join(t["t"] for col in out["table"] for t in col[k]) == text
        for col in out["table"]:
            for t in col[k]:
                assert text[t["start"] : t["end"]] == t["t"].rstrip() or not t["t"].strip()


def test_round_trip_gives_the_same_witnesses_and_table() -> None:
    c = collate(TEXTS)
    back = witnesses_from_json(json.loads(json.dumps(to_json(c))), "out.json")
    assert [(w.id, w.text) for w in back] == TEXTS
    again = collate(back)
    assert to_json(again)["table"] == to_json(c)["table"]


def test_collatex_input_content_and_tokens() -> None:
    obj = {"witnesses": [
        {"id": "W1", "content": "Ye olde shoppe"},
        {"id": "W2", "tokens": [{"t": "The ", "n": "ye"}, {"t": "old ", "n": "olde"},
                                {"t": "shop"}]},
    ]}
    w1, w2 = witnesses_from_json(obj, "in.json")
    assert w1 == Witness("W1", "Ye olde shoppe", "in.json")
    assert w2.tokens is not None and w2.text == "The old shop"
    assert [t.norm for t in w2.tokens] == ["ye", "olde", "shop"]
    c = collate([w1, w2])
    assert [c.is_variant(k) for k in range(len(c.columns))] == [False, False, True]


def test_reads_the_collatex_python_output_layout() -> None:
    collatex = pytest.importorskip("collatex")
    cx = collatex.Collation()
    cx.add_plain_witness("A", "The cat sat on the mat")
    cx.add_plain_witness("B", "The kat sat on a mat")
    out = json.loads(collatex.collate(cx, output="json", segmentation=False))
    back = witnesses_from_json(out, "cx.json")
    assert [(w.id, w.text) for w in back] == [("A", "The cat sat on the mat"),
                                              ("B", "The kat sat on a mat")]


@pytest.mark.parametrize(("obj", "problem"), [
    ([], 'expected a JSON object with a "witnesses" list'),
    ({"witnesses": {}}, 'expected a JSON object with a "witnesses" list'),
    ({"witnesses": []}, 'the "witnesses" list is empty'),
    ({"witnesses": [{"content": "x"}]}, 'witness 1: expected an object with an "id" string'),
    ({"witnesses": [{"id": "A"}]}, "witness 'A': needs a \"content\" string or a \"tokens\" list"),
    ({"witnesses": [{"id": "A", "tokens": [{"n": "x"}]}]}, "witness 'A': token 1 has no \"t\""),
    ({"witnesses": [{"id": "A", "tokens": [{"t": "x", "n": 3}]}]}, '"n" that is not a string'),
    ({"witnesses": [{"id": "A", "content": "x"}, {"id": "A", "content": "y"}]},
     "duplicate witness ids: A"),
    ({"witnesses": ["A"], "table": {}}, '"table" must be a list'),
    ({"witnesses": ["A"], "table": [[[{"t": "x"}], [{"t": "y"}]]]}, "more cells than the 1"),
])
def test_wrong_shapes_raise_input_error(obj: object, problem: str) -> None:
    with pytest.raises(InputError) as err:
        witnesses_from_json(obj, "bad.json")
    assert err.value.source == "bad.json"
    assert problem in str(err.value)


def test_csv_rows_rebuild_every_witness() -> None:
    c = collate(TEXTS)
    rows = list(csv.reader(io.StringIO(to_csv(c))))
    assert rows[0] == ["column", "variant", "A", "B", "C", "moved", "lost"]
    assert len(rows) == len(c.columns) + 1
    for k, (_, text) in enumerate(TEXTS):
        assert "".join(r[2 + k] for r in rows[1:]) == text
    assert [int(r[1]) for r in rows[1:]] == [int(c.is_variant(i)) for i in range(len(c.columns))]


def test_csv_and_json_say_which_witness_is_lost_where() -> None:
    c = collate([("A", "the old lamp"), ("B", "the □□□ lamp"), ("C", "the old larnp")])
    rows = list(csv.reader(io.StringIO(to_csv(c))))
    lost = {r[2].strip(): r[-1] for r in rows[1:]}
    assert lost == {"the": "", "old": "B", "lamp": ""}
    statuses = {t["t"].strip(): t.get("status") for col in to_json(c)["table"] for cell in col
                for t in cell}
    assert statuses["□□□"] == "lost" and statuses["larnp"] is None


@pytest.mark.parametrize("texts", [["a cat", "a"], ["x"], [""], ['"q" \\ \x01 é', "q"],
                                   ["the king rode out at first light", "at first light the king"]])
def test_json_text_is_what_json_dumps_writes(texts: list[str]) -> None:
    c = collate(texts)
    assert to_json_text(c) == json.dumps(to_json(c), ensure_ascii=False)


@pytest.mark.parametrize("chunk", [1, 2, 3, 20_000])
def test_json_text_in_any_chunks_is_what_json_dumps_writes(monkeypatch, chunk: int) -> None:
    # editor's marks, a lacuna, moved blocks and empty cells at every chunk boundary
    from collate.model import Mark
    from collate.render import data

    monkeypatch.setattr(data, "CHUNK", chunk)
    a = Witness("A", "the black dog chases a red cat x", marks=(
        Mark(0, 3, "unclear"), Mark(4, 13, "supplied"), Mark(2, 9, "unclear")))
    c = collate([a, ("B", "a red cat chases the black dog y z"),
                 ("C", "a red cat chases the yell□w \x01 dog")])
    assert c.transpositions and "status" in to_json_text(c)
    assert to_json_text(c) == json.dumps(to_json(c), ensure_ascii=False)
    assert len(list(data.json_pieces(c))) == 2 + -(-len(c.columns) // chunk)


def test_json_text_of_a_book_pair_reads_back() -> None:
    folder = data_path("frankenstein", "C01")
    c = collate([(p.stem, p.read_text("utf-8")) for p in sorted(folder.glob("*.txt"))])
    assert json.loads(to_json_text(c)) == to_json(c)


def test_json_and_csv_mark_swapped_blocks_where_they_stand() -> None:
    c = collate([("A", "the black dog chases a red cat"), ("B", "a red cat chases the black dog"),
                 ("C", "a red cat chases the yellow dog")])
    out = to_json(c)
    first = out["table"][0]  # A's `the` opposite B's and C's `a`, each moved
    assert [[t["t"].strip() for t in cell] for cell in first] == [["the"], ["a"], ["a"]]
    assert all(cell[0].get("moved") is True for cell in first)
    last = out["table"][-1]
    assert [cell[0].get("moved") for cell in last] == [True, True, None]
    assert json.loads(to_json_text(c)) == out
    assert {(tuple(m["witnesses"]), tuple(map(tuple, m["ranges"])))
            for m in out["transpositions"]} == {
        (("A", "B"), ((0, 3), (4, 7))), (("A", "B"), ((4, 7), (0, 3))),
        (("A", "C"), ((4, 7), (0, 3)))}
    rows = list(csv.reader(io.StringIO(to_csv(c))))
    assert rows[0][-2:] == ["moved", "lost"]
    assert [r[-2] for r in rows[1:]] == ["A B C"] * 3 + [""] + ["A B"] * 3


SAMPLES = sorted({p.parent for p in (Path(__file__).parents[1] / "samples").rglob("*.txt")})


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: p.name)
def test_json_from_the_token_columns_is_json_from_the_tokens(folder: Path) -> None:
    """The writer reads the aligner's token columns; the same table given as Token objects
    (packed by the writer itself) and :func:`to_json` (object by object) write the same."""
    c = collate([(p.stem, p.read_text("utf-8")) for p in sorted(folder.glob("*.txt"))])
    assert all(isinstance(t, Tokens) for t in c.tokens.values())
    text = to_json_text(c)
    assert text == json.dumps(to_json(c), ensure_ascii=False)
    as_tuples = dataclasses.replace(c, tokens={w: tuple(t) for w, t in c.tokens.items()})
    assert to_json_text(as_tuples) == text
    assert to_csv(as_tuples) == to_csv(c)
