"""Terminal table: rows per witness, variant columns starred, wrapping into blocks."""

from __future__ import annotations

from collate.alignment import collate
from collate.render.table import render_table


def test_exact_small_table() -> None:
    c = collate([("1818", "I beheld the wretch"), ("1831", "I saw the  wretch"), ("T", "I")])
    assert render_table(c, width=80) == (
        "     | 1 | 2*     | 3*  | 4*\n"
        "1818 | I | beheld | the | wretch\n"
        "1831 | I | saw    | the | wretch\n"
        "T    | I | ·      | ·   | ·"
    )


def test_wraps_into_blocks_within_width() -> None:
    words = " ".join(f"word{k}" for k in range(40))
    c = collate([("A", words), ("B", words.replace("word7", "werd7"))])
    out = render_table(c, width=50)
    blocks = out.split("\n\n")
    assert len(blocks) > 3
    assert all(len(line) <= 50 for line in out.splitlines())
    assert "8*" in out and "| werd7" in out
    heads = [b.splitlines()[0] for b in blocks]
    assert all(h.startswith("  | ") for h in heads)


def test_long_reading_wraps_inside_its_cell() -> None:
    c = collate([("A", "a b"), ("B", "a " + "very long insertion " * 5 + "b")])
    lines = render_table(c, width=200).splitlines()
    assert len(lines) > 3  # B's inserted reading spans several lines of its row
    assert lines[1].startswith("A | a | ·")
    assert all(len(line) < 60 for line in lines)


def test_newlines_in_readings_do_not_break_rows() -> None:
    c = collate([("A", "a\nb"), ("B", "a b")])
    assert render_table(c, width=80).splitlines() == ["  | 1 | 2", "A | a | b", "B | a | b"]


def test_swapped_blocks_stand_opposite_each_other_marked_as_moved() -> None:
    c = collate(["the black dog chases a red cat", "a red cat chases the black dog",
                 "a red cat chases the yellow dog"])
    assert render_table(c, width=80) == (
        "  | 1*   | 2*     | 3*   | 4      | 5*   | 6*     | 7*\n"
        "A | ⇄the | ⇄black | ⇄dog | chases | ⇄a   | ⇄red   | ⇄cat\n"
        "B | ⇄a   | ⇄red   | ⇄cat | chases | ⇄the | ⇄black | ⇄dog\n"
        "C | ⇄a   | ⇄red   | ⇄cat | chases | the  | yellow | dog"
    )
