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
