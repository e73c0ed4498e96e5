"""Normalizers are plain callables that compose; they never touch the stored text."""

from __future__ import annotations

import pytest

from collate import normalize


@pytest.mark.parametrize(
    ("fn", "given", "expected"),
    [
        (normalize.casefold, "Straße", "strasse"),
        (normalize.nfkc, "ﬁne ﬂy", "fine fly"),
        (normalize.nfkc, "e\u0301", "é"),
        (normalize.historical, "ſhew", "shew"),
        (normalize.historical, "æther œconomy", "aether oeconomy"),
        (normalize.historical, "“Lately”—", '"Lately"-'),
        (normalize.strip_punctuation, "‘Lately,’", "Lately"),
        (normalize.strip_punctuation, "□□ately!", "□□ately"),
        (normalize.default, "Cæſar’s ﬁrſt", "caesar's first"),
    ],
)
def test_normalizer(fn, given: str, expected: str) -> None:
    assert fn(given) == expected


def test_compose_applies_left_to_right() -> None:
    upper_then_strip = normalize.compose(str.upper, normalize.strip_punctuation)
    assert upper_then_strip("a.b") == "AB"
    assert "strip_punctuation" in upper_then_strip.__name__


@pytest.mark.parametrize(
    ("names", "given", "expected"),
    [
        ("accents", "ἀρχῇ café Ἵνα", "αρχη cafe Ινα"),
        ("accents,case", "Ἵνα ΔΙʼ", "ινα διʼ"),  # the iota subscript is a mark, not a letter
        ("case,accents", "ᾯ", "ω"),  # named in any order, applied in LEVELS order
        ("punctuation", "“Τίς εἶ;” διʼ ¶˚Θεὸς", "Τίς εἶ δι Θεὸς"),
        ("punctuation", "□□ately, ☐☐☐ [...]", "□□ately ☐☐☐ "),
        ("spelling", "ſhew æther", "shew aether"),
        ("compat", "ﬁne", "fine"),
        ("none", "Ἵνα, ſ", "Ἵνα, ſ"),
        ("", "Ab", "Ab"),
        (normalize.DEFAULT_LEVEL, "Cæſar’s ﬁrſt", "caesar's first"),
    ],
)
def test_levels(names: str, given: str, expected: str) -> None:
    assert normalize.level(names)(given) == expected


def test_unknown_level_is_refused_with_the_levels_named() -> None:
    with pytest.raises(ValueError, match=r"unknown normalize level 'tone'.*accents"):
        normalize.level("case,tone")


def test_cli_normalize_folds_accents_and_refuses_an_unknown_level(tmp_path) -> None:
    from click.testing import CliRunner

    from collate.cli import main

    (tmp_path / "SR.txt").write_text("Ἐν ἀρχῇ ἦν ὁ λόγος,", encoding="utf-8")
    (tmp_path / "TR.txt").write_text("εν αρχη ην ο λογος", encoding="utf-8")
    files = [str(tmp_path / "SR.txt"), str(tmp_path / "TR.txt")]
    folded = CliRunner().invoke(main, ["align", "--format", "csv", "--normalize",
                                       "case,accents", *files])
    assert folded.exit_code == 0
    assert [row.split(",")[1] for row in folded.output.splitlines()[1:]] == ["0"] * 5 + ["1"]
    plain = CliRunner().invoke(main, ["align", "--format", "csv", *files])
    assert plain.output.count(",1,") == 6  # every word differs by its accents, and the comma
    bad = CliRunner().invoke(main, ["align", "--normalize", "tone", *files])
    assert bad.exit_code == 2 and "unknown normalize level 'tone'" in bad.output
