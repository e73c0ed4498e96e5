"""Leiden reading text: restorations in brackets, gaps with their extent, numbered apparatus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collate.edition import build_edition, make_edition
from collate.model import (
    Candidate,
    Collation,
    Column,
    Lacuna,
    Restoration,
    RestoredLacuna,
    Token,
    Witness,
)
from collate.render.leiden import lacuna, render_leiden
from tests.edition_fixtures import memo_edition

ROOT = Path(__file__).resolve().parents[1]

LATELY = Lacuna(0, 2, "□□", 1, 3, "in-word", "box")


@pytest.mark.parametrize(
    ("lac", "candidates", "expected"),
    [
        (LATELY, (Candidate("L", 0.91),), "[L]"),
        (LATELY, (Candidate("L", 0.6),), "[L]"),
        (LATELY, (Candidate("L", 0.3),), "[c.2]"),  # below the default min_confidence
        (LATELY, (Candidate("L", 0.1),), "[c.2]"),
        (LATELY, (), "[c.2]"),
        (Lacuna(0, 3, "□□□", 3, 3, "word", "tei"), (), "[.3]"),
        (Lacuna(0, 5, "[---]", 1, None, "unknown", "leiden"), (), "[---]"),
        (Lacuna(0, 2, "□□", 0, 3, "line", "box"), (Candidate("", 0.8),), "[∅]"),
    ],
)
def test_lacuna_notation(lac, candidates, expected):
    assert lacuna(RestoredLacuna(lac, candidates)) == expected


def test_low_certainty_is_printed_with_a_query_only_below_the_default_floor():
    lost = RestoredLacuna(LATELY, (Candidate("L", 0.3),))
    assert lacuna(lost, min_confidence=0.25) == "[L(?)]"
    assert lacuna(lost, min_confidence=0.31) == "[c.2]"


def single(text: str, restorations: tuple[RestoredLacuna, ...]) -> str:
    toks = (Token(text, "", text, 0, len(text), tuple(r.lacuna for r in restorations)),)
    col = Collation((Witness("A", text),), {"A": toks}, (Column(((0, 1),)),))
    ed = build_edition(col, {"A": Restoration("A", text, restorations)})
    return render_leiden(ed)


def test_in_word_restoration():
    assert single("□□ately", (RestoredLacuna(LATELY, (Candidate("L", 0.9, ("lm",)),)),)) == (
        "[L]ately")


def test_memo_reading_text_and_apparatus():
    text = render_leiden(memo_edition(base="A"), notes=True)
    body, apparatus = text.split("\n\n¹ ", 1)
    assert "[R]ecently" in body and re.search(r"\[T\]he\S* following measures", body)
    assert re.search(r"\[1\.\]\S* to dry the east room", body)
    assert "□" not in body and "☐" not in body
    lines = ("¹ " + apparatus).splitlines()
    assert lines[0].startswith("¹ ") and "] A" in lines[0]
    assert any(line.endswith("which C") or "which C" in line for line in lines)


def test_no_notes_without_variants():
    ed = make_edition([("A", "one two three.")])
    assert render_leiden(ed, notes=True) == "one two three."


def test_apparatus_lists_omissions():
    ed = make_edition([("A", "a very old house"), ("B", "a old house"), ("C", "a very old house")])
    out = render_leiden(ed, notes=True)
    assert out.startswith("a very")
    assert "om. B" in out.splitlines()[-1]
