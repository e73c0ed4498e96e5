"""What a word is: the words listed a block at a time are those of one pass."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from collate import chars
from collate.chars import WORD, word_blocks

TEXT = st.lists(st.one_of(st.sampled_from(["don't", "clerks’", "Ἐν", "e\u0301", " ", "\n",
                                            ", ", "3½"]), st.characters()),
                max_size=60).map("".join)


@given(TEXT, st.integers(1, 12))
@settings(max_examples=300)
def test_words_listed_a_block_at_a_time_are_those_of_one_pass(text: str, block: int) -> None:
    old = chars.WORD_BLOCK
    chars.WORD_BLOCK = block
    try:
        blocks = list(word_blocks(text))
    finally:
        chars.WORD_BLOCK = old
    assert [w for b in blocks for w in b] == WORD.findall(text)
