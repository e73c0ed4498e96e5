"""Lacuna detection: notation cases as data, the seed document, and real inscriptions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collate import detect
from tests.conftest import data_path

CASES = json.loads((Path(__file__).parent / "cases" / "lacunae.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["positive"], ids=lambda c: c["label"])
def test_positive_case(case: dict) -> None:
    found = detect(case["text"])
    assert len(found) == len(case["expect"]), [x.marker for x in found]
    for lacuna, expect in zip(found, case["expect"], strict=True):
        got = lacuna.to_dict()
        for key, value in expect.items():
            assert got[key] == value, (key, got)
        assert lacuna.marker == case["text"][lacuna.start : lacuna.end]


@pytest.mark.parametrize("case", CASES["negative"], ids=lambda c: c["label"])
def test_negative_case(case: dict) -> None:
    assert detect(case["text"]) == []


def test_seed_reports_all_33_box_runs_and_nothing_else(seed_text: str) -> None:
    found = detect(seed_text)
    runs = [(m.start(), m.end()) for m in re.finditer("[□☐]+", seed_text)]
    assert len(runs) == 33
    assert [(x.start, x.end) for x in found] == runs
    assert {x.convention for x in found} == {"box"}
    lately = next(x for x in found if seed_text[x.end : x.end + 5] == "ately")
    assert (lately.kind, lately.min_chars) == ("in-word", 1)
    # a list marker lost before "The Korean side" may be "1." or nothing at all
    marker = next(x for x in found if seed_text[x.end : x.end + 16] == " The Korean side")
    assert marker.min_chars == 0 and marker.max_chars >= 2 and marker.kind == "word"
    assert all(x.min_chars == 0 for x in found if x.kind == "line")


def test_every_box_run_of_the_inscriptions_is_found_exactly() -> None:
    folder = data_path("epigraphy_isicily")
    files = sorted(folder.glob("*.damaged.txt"))
    assert len(files) >= 40
    for path in files:
        text = path.read_text("utf-8")
        runs = [(m.start(), m.end()) for m in re.finditer("□+", text)]
        found = detect(text)
        assert [(x.start, x.end) for x in found if x.convention == "box"] == runs, path.name
        # anything else found is real Leiden notation that the editors kept, e.g. `[— —]`
        restored = path.with_name(path.name.replace("damaged", "restored")).read_text("utf-8")
        assert all(x.marker in restored for x in found if x.convention != "box"), path.name


def test_length_range_covers_the_glyph_count_scaled() -> None:
    for n in range(1, 40):
        (lac,) = detect("x " + "□" * n + " y")
        assert lac.min_chars <= round(n / 1.3) and lac.max_chars >= round(n / 0.7)


@given(st.text(alphabet=st.sampled_from("ab .[]-c5□☐\ufffd\n<gap/>"), max_size=60))
def test_lacunae_are_in_bounds_disjoint_and_verbatim(text: str) -> None:
    last = 0
    for lac in detect(text):
        assert last <= lac.start < lac.end <= len(text)
        assert lac.marker == text[lac.start : lac.end]
        assert lac.min_chars >= 0 and (lac.max_chars is None or lac.min_chars <= lac.max_chars)
        last = lac.end
