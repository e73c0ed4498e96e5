"""What a word is, and which characters stand for lost text: one definition for every stage.

Every module that needs to know where a word starts or ends, or whether a character is a
placeholder for lost text, imports it from here, so that detection, tokenizing, alignment,
restoration and rendering agree on the same boundaries.

>>> [m.group() for m in WORD.finditer("Lately, the clerks’ rooms")]
['Lately', 'the', 'clerks', 'rooms']
>>> bool(WORD_CHAR.match("é")), bool(WORD_CHAR.match(","))
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

BOX_GLYPHS = "□☐▯■▢"
"""Glyphs that scans and translations print for a lost character (U+25A1, U+2610, U+25AF, ...)."""

PLACEHOLDERS = BOX_GLYPHS + "\ufffd"
"""Every single character that stands for lost text: the box glyphs and U+FFFD, what a
decoder writes for bytes it could not read."""

BREAK = "\x00"
"""Sentinel written over lost text before a language model reads it: no n-gram crosses it."""

LINE_END_HYPHENS = "-¬⸗"
"""The marks of a word broken at a line's end (hyphen, ABBYY's not sign, Fraktur double
hyphen): OCR readers mark the word, and the vote folds them away before comparing."""

LINE_BREAK_HYPHEN = regex.compile(rf"(?<=\w)[{LINE_END_HYPHENS}][ \t]*\r?\n\s*(?=\w)")
"""A line-end hyphen between the two halves of a broken word, with the line break after it."""

WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*")
"""A word: letters, combining marks and digits, with inner apostrophes (``don't``, ``clerks’``)."""

WORD_BLOCK = 1 << 20
"""Characters whose words :func:`word_blocks` lists at a time."""
_SPACE = regex.compile(r"\s")


def word_blocks(text: str) -> Iterator[list[str]]:
    """The words of ``text`` (the :data:`WORD` matches, in order), listed a block of about
    :data:`WORD_BLOCK` characters at a time, each block cut at white space (no word holds
    any): one ``findall`` per block, and a book's millions of words never listed at once.

    >>> [w for block in word_blocks("Lately, the clerks’ rooms") for w in block]
    ['Lately', 'the', 'clerks', 'rooms']
    """
    pos = 0
    while pos < len(text):
        cut = _SPACE.search(text, pos + WORD_BLOCK) if len(text) - pos > WORD_BLOCK else None
        end = cut.start() if cut else len(text)
        yield WORD.findall(text, pos, end)
        pos = end


WORD_CLASS = r"\p{L}\p{M}\p{N}"
"""The characters that can be part of a word, as the inside of a character class."""
WORD_CHAR = regex.compile(rf"[{WORD_CLASS}]")
"""One character that can be part of a word."""

WORD_OR_APOSTROPHE = regex.compile(r"[\p{L}\p{M}\p{N}'’]")
"""A word character or an apostrophe: what may continue a word across a lacuna's edge."""

