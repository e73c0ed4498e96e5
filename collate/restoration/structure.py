"""Structural lacunae: places that held a list marker or nothing, not words.

In scanned archive documents a run of boxes alone on its line is usually an artefact or a
lost separator, and runs at the start of consecutive paragraphs before a word
(``☐☐☐ The Korean side``) are lost item numbers. Such places get a marker that continues the
sequence of their neighbours (``1.``, ``2.``, ...) or ``""``, never a word.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from collate.model import Lacuna

MAX_EMPTY = 3  #: longest glyph run alone on its line taken for an artefact (longer: lost text)
CAPITAL_SHARE = 0.8  #: share of intact lines opening with a capital for the lost-word rule
_LINE_WORD = regex.compile(r"(?m)^[ \t]*(\p{L})")
_MARKER = regex.compile(r"(?m)^[ \t]*(\d{1,3}|[a-z]|[IVX]{1,5})([.)])[ \t]+\S")


def _line_start(text: str, lac: Lacuna) -> bool:
    return text[max(0, text.rfind("\n", 0, lac.start) + 1) : lac.start].strip() == ""


def _alone(text: str, lac: Lacuna) -> bool:
    end = text.find("\n", lac.end)
    return _line_start(text, lac) and text[lac.end : end if end >= 0 else len(text)].strip() == ""


def _before_word(text: str, lac: Lacuna) -> bool:
    rest = text[lac.end : lac.end + 3]
    return len(rest) >= 2 and rest[0] in " \t" and rest[1].isalpha()


def lost_words(text: str, lacunae: Sequence[Lacuna]) -> set[int]:
    """Indices of the glyph runs that are a lost word opening a paragraph: a run at a line
    start followed by a space and a lower-case word, in a document whose intact lines open
    with a capital (at least :data:`CAPITAL_SHARE` of them). Such a run is not an empty
    marker: a paragraph does not begin with ``attract``.

    >>> doc = "One.\\n\\nTwo.\\n\\nThree.\\n\\n□□□ attract the eye.\\n\\nFour."
    >>> from collate.lacunae import detect
    >>> lost_words(doc, detect(doc))
    {0}
    >>> lost_words(doc.lower(), detect(doc.lower()))
    set()
    """
    starts = [m.group(1) for m in _LINE_WORD.finditer(text)]
    if len(starts) < 3 or sum(c.isupper() for c in starts) < CAPITAL_SHARE * len(starts):
        return set()
    return {
        i
        for i, lac in enumerate(lacunae)
        if lac.convention in ("box", "replacement-char")
        and _line_start(text, lac)
        and _before_lower(text, lac)
    }


def _before_lower(text: str, lac: Lacuna) -> bool:
    rest = text[lac.end : lac.end + 3]
    return len(rest) >= 2 and rest[0] in " \t" and rest[1].islower()


def structural(text: str, lacunae: Sequence[Lacuna]) -> dict[int, list[tuple[str, float]]]:
    """Candidate fillings with prior probabilities for the structural lacunae of ``text``.

    Returns a map from the index of a lacuna in ``lacunae`` to ``(filling, probability)``
    pairs; lacunae that are not structural are absent. A lacuna is a list item marker when
    it opens its line before a word and at least two other lacunae do the same
    with the same glyphs (items are numbered in order, in the style of any visible marker);
    a short run (at most :data:`MAX_EMPTY` glyphs) alone on its line gets ``""`` (a longer
    one is a lost line of text, as in inscriptions, and is left to the other evidence).

    >>> doc = "Intro.\\n\\n☐☐☐ The side.\\n\\n☐☐\\n\\n☐☐☐ At the.\\n\\n☐☐☐ On the."
    >>> from collate.lacunae import detect
    >>> out = structural(doc, detect(doc))
    >>> [out[i][0][0] for i in sorted(out)]
    ['1.', '', '2.', '3.']
    """
    found: dict[int, list[tuple[str, float]]] = {}
    style = "."
    m = _MARKER.search(text)
    if m:
        style = m.group(2)
    items = [
        i
        for i, lac in enumerate(lacunae)
        if lac.min_chars == 0 and _line_start(text, lac) and _before_word(text, lac)
    ]
    glyphs = {lac.marker[0] for lac in (lacunae[i] for i in items)}
    for glyph in glyphs:
        same = [i for i in items if lacunae[i].marker[0] == glyph]
        if len(same) < 3:
            continue
        for number, i in enumerate(same, start=1):
            found[i] = [(f"{number}{style}", 0.6), ("", 0.25), (f"{number + 1}{style}", 0.05)]
    for i, lac in enumerate(lacunae):
        short = len(lac.marker) <= MAX_EMPTY
        if i not in found and lac.min_chars == 0 and short and _alone(text, lac):
            found[i] = [("", 0.8)]
    return found
