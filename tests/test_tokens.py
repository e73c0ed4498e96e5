"""Non-destructive tokenization: tokens rebuild the input exactly, for every input."""

from __future__ import annotations

import pickle

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from collate import detect, tokenize
from collate.model import Tokens
from collate.normalize import casefold
from collate.tokens import _PLAIN_TOKEN, _TOKEN, plain_chars, token_columns
from tests.conftest import DATA

WHITESPACE = regex.compile(r"\s*")
SPACE = regex.compile(r"\s")
PIECES = ["שלום", "مرحبا", "👨‍👩‍👧", "é", "e\u0301", "ﬁ", "ſ", "[...]", "[.3]", "\r\n", "<gap/>"]
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(list("□☐▯■▢\ufffd[]-.c3 \t\r\n\u0301\u200d'’")),
        st.sampled_from(PIECES),
        st.characters(),
    ),
    max_size=40,
).map("".join)


def rebuild(text: str) -> str:
    return "".join(t.text_with_ws for t in tokenize(text))


@given(HOSTILE)
@settings(max_examples=400)
def test_tokens_rebuild_any_text(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(t.text_with_ws for t in tokens) == text
    for t in tokens:
        assert text[t.start : t.end] == t.text
        assert WHITESPACE.fullmatch(t.ws)
        assert not t.text or not (SPACE.match(t.text[0]) or SPACE.match(t.text[-1]))


@pytest.mark.parametrize(
    "text",
    ["", " ", "\r\n", "□□ately", "a\r\nb\r\n", "e\u0301 שלום 👨‍👩‍👧", "\ufffd\ufffd", "  lead"],
)
def test_tokens_rebuild_edge_cases(text: str) -> None:
    assert rebuild(text) == text


def test_every_real_text_rebuilds() -> None:
    files = sorted(DATA.rglob("*.txt"))[:400] if DATA.exists() else []
    if not files:
        pytest.skip(f"real data not found: {DATA}")
    for path in files:
        text = path.read_text("utf-8")
        assert rebuild(text) == text, path


def test_lacuna_and_touching_letters_are_one_token() -> None:
    tokens = tokenize("□□ately, the [- - -] ab[.2]cd ☐☐☐ The")
    texts = [t.text for t in tokens]
    assert texts == ["□□ately", ",", "the", "[- - -]", "ab[.2]cd", "☐☐☐", "The"]
    assert [len(t.lacunae) for t in tokens] == [1, 0, 0, 1, 1, 1, 0]
    assert tokens[0].lacunae[0] == detect("□□ately, the [- - -] ab[.2]cd ☐☐☐ The")[0]


def test_norm_sits_beside_the_verbatim_text() -> None:
    (token,) = tokenize("Cæſar")
    assert (token.text, token.norm) == ("Cæſar", "caesar")
    (token,) = tokenize("Cæſar", normalizer=casefold)
    assert token.norm == "cæsar"  # casefold folds long s, but not æ


def test_leading_whitespace_gets_an_empty_token() -> None:
    first = tokenize("  word")[0]
    assert (first.text, first.ws, first.start, first.end) == ("", "  ", 0, 0)


def test_a_lacuna_keeps_a_norm_when_the_level_strips_its_marker() -> None:
    from collate.normalize import level

    tokens = tokenize("a [...] b, c", normalizer=level("punctuation"))
    assert [(t.text, t.norm) for t in tokens] == [
        ("a", "a"), ("[...]", "[...]"), ("b", "b"), (",", ""), ("c", "c")]


def test_one_string_object_per_distinct_token_text() -> None:
    tokens = tokenize("the cat and the dog and the end")
    the = [t.text for t in tokens if t.text == "the"]
    assert len(the) == 3 and all(x is the[0] for x in the)


@given(HOSTILE)
@settings(max_examples=200)
def test_token_columns_are_the_tokens(text: str) -> None:
    """The columns and the tokens made from them say the same; packing the tokens again
    gives the same columns; each token is made once."""
    cols = token_columns(text)
    tokens = list(cols)
    assert [t.text for t in tokens] == cols.texts and [t.norm for t in tokens] == cols.norms
    assert [t.start for t in tokens] == list(cols.starts)
    assert [t.end for t in tokens] == list(cols.ends)
    assert {k: t.lacunae for k, t in enumerate(tokens) if t.lacunae} == cols.damage
    again = Tokens.of(tokens)
    assert (again.texts, again.wss, again.damage) == (cols.texts, cols.wss, cols.damage)
    assert again == cols == tuple(tokens) and all(a is b for a, b in zip(cols, tokens, strict=True))
    assert "".join(cols.with_ws(k) for k in range(len(cols))) == text


@given(st.lists(HOSTILE, max_size=6).map(" ".join), st.integers(1, 12))
@settings(max_examples=300)
def test_tokens_cut_a_block_at_a_time_are_those_of_one_pass(text: str, block: int) -> None:
    """A long line is cut into tokens a block at a time (:data:`collate.tokens.BLOCK`
    characters); the tokens are the same for any block size."""
    from collate import tokens

    whole = token_columns(text)
    old = tokens.BLOCK
    tokens.BLOCK = block
    try:
        cut = token_columns(text)
    finally:
        tokens.BLOCK = old
    assert (cut.texts, cut.wss, cut.norms, cut.damage) == (
        whole.texts, whole.wss, whole.norms, whole.damage)
    assert (cut.starts, cut.ends) == (whole.starts, whole.ends)


PLAIN = st.lists(st.one_of(st.characters().filter(plain_chars),
                           st.sampled_from([*list("a1’' \t\r\n—!"), "\r\n", "don't"])),
                 max_size=40).map("".join)


@given(st.one_of(PLAIN, HOSTILE))
@settings(max_examples=300)
def test_plain_text_is_cut_by_re_as_by_regex(text: str) -> None:
    """The fast path: a text of plain characters is cut by ``re`` into the tokens ``regex``
    cuts it into (and a text with one character that is not plain keeps ``regex``)."""
    if plain_chars(text):
        assert _PLAIN_TOKEN.findall(text) == _TOKEN.findall(text)


def test_real_plain_texts_are_cut_by_re_as_by_regex() -> None:
    files = sorted(DATA.rglob("*.txt"))[:400:4] if DATA.exists() else []
    if not files:
        pytest.skip(f"real data not found: {DATA}")
    texts = [path.read_text("utf-8") for path in files]
    assert sum(map(plain_chars, texts)) > len(texts) // 2  # the fast path is the usual one
    for path, text in zip(files, texts, strict=True):
        if plain_chars(text):
            assert _PLAIN_TOKEN.findall(text) == _TOKEN.findall(text), path


def test_tokens_are_made_once_per_text_lacunae_and_level() -> None:
    """Asked for again while in use, a text's tokens are the same object; another level or
    other lacunae give their own, and none outlives its users."""
    import gc

    from collate import tokens
    from collate.normalize import level

    text = "The Cat □ sat"
    first = token_columns(text)
    assert token_columns(text, lacunae=detect(text)) is first
    assert token_columns(text, normalizer=level("compat,spelling,case")) is first
    other = token_columns(text, normalizer=level("none"))
    assert other is not first and other.norms[1] == "Cat" and first.norms[1] == "cat"
    bare = token_columns(text, lacunae=[])
    assert bare is not first and not bare.damage and first.damage
    size = len(tokens._MADE)
    del first, other, bare
    gc.collect()
    assert len(tokens._MADE) < size


def test_token_columns_survive_pickling() -> None:
    """A collation crosses to worker processes: its token columns pickle."""
    cols = token_columns("The □□ately cat")
    back = pickle.loads(pickle.dumps(cols))
    assert back == cols and back.damage == cols.damage
