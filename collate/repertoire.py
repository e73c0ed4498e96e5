"""The letters each witness writes at all: distinctions an OCR engine never makes.

An engine that never writes a letter the others write (OCRopus writes no ``ἤ`` on a whole
book of polytonic Greek, Tesseract 62; ABBYY no long ``ſ`` on a book OCRopus prints it in
548 times) reads it as something else, and that something says nothing between the two.
:func:`unwritten` finds, per witness, those letters and what it reads in their place; the
reliability estimate and the consensus's vote both read them
(:mod:`collate.reliability`, :mod:`collate.consensus`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from rapidfuzz.distance import Levenshtein

from collate.normalize import strip_accents

Blind = Callable[[str, str, str], bool]
"""``blind(wit, read, char)``: whether witness ``wit``'s ``read`` says nothing against
``char`` (:func:`unwritten`)."""


def unwritten(texts: Mapping[str, str], places: Iterable[Mapping[str, str]]) -> Blind:
    """Whether witness ``wit``'s ``read`` says nothing against ``char``: ``wit`` never
    writes ``char`` anywhere in its text (``texts[wit]``) where another witness does, and
    ``read`` is ``char`` with other marks, or, where ``char`` is another form of one
    letter (its compatibility form is one other letter: the long ``ſ``, not the ligature
    ``ﬁ``), a stand-in for it: a letter
    ``wit`` reads where the others read ``char`` at ``places`` (one letter read as one)
    more often than the witnesses that write ``char`` write that letter themselves, so
    that it stands for ``char`` more often than for itself (ABBYY's ``f`` on a page that
    prints ``ſ`` for every ``s`` but a word's last).

    >>> texts = {"A": "ἤ ἥ ſo ſi", "B": "ἥ ἥ fo fi"}
    >>> blind = unwritten(texts, [texts])
    >>> blind("B", "ἥ", "ἤ"), blind("A", "ἤ", "ἥ"), blind("B", "f", "ſ"), blind("B", "x", "ſ")
    (True, False, True, False)
    """
    written = {w: Counter(t) for w, t in texts.items()}
    every = set().union(*written.values()) if written else set()
    forms = {c for c in every if len(unicodedata.normalize("NFKC", c)) == 1
             and unicodedata.normalize("NFKC", c) != c}
    lost = {w: forms.difference(n) for w, n in written.items()}  # forms w never writes
    found: dict[tuple[str, str], Counter[str]] = {}
    for row in places:
        for w, mine in row.items():
            for v, other in row.items():
                if v != w and other != mine and lost[w].intersection(other):
                    for i, j in _one_for_one(mine, other):
                        if other[j] in lost[w]:
                            found.setdefault((w, other[j]), Counter())[mine[i]] += 1
    stand_in = {(w, c, x) for (w, c), n in found.items() for x, times in n.items()
                if times > sum(written[v][x] for v in written if written[v][c])}

    def blind(wit: str, read: str, char: str) -> bool:
        if char not in every or wit not in written or char in written[wit]:
            return False
        return strip_accents(read) == strip_accents(char) or (wit, char, read) in stand_in

    return blind


def _one_for_one(text: str, other: str) -> Iterator[tuple[int, int]]:
    """The places ``i`` of ``text`` and ``j`` of ``other`` where one letter is read as
    another (replaced one for one).

    >>> list(_one_for_one("ſo fi", "fo fa"))
    [(0, 0), (4, 4)]
    """
    for op in Levenshtein.opcodes(text, other):
        if op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start:
            yield from zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end),
                           strict=True)


def cannot_tell(wits: Iterable[str], theirs: str, mine: str, blind: Blind) -> bool:
    """Whether every witness of ``wits`` reads ``theirs`` where ``mine`` differs from it
    only in letters none of them ever writes, each read as its stand-in or with other
    marks (:func:`unwritten`).

    >>> texts = {"A": "ſo ſi fa", "B": "fo fi fa"}
    >>> blind = unwritten(texts, [texts])
    >>> cannot_tell(["B"], "fo", "ſo", blind), cannot_tell(["A"], "ſo", "fo", blind)
    (True, False)
    """
    if theirs == mine or len(theirs) != len(mine):
        return False
    wits = tuple(wits)
    return all(blind(w, a, c) for a, c in zip(theirs, mine, strict=True) if a != c
               for w in wits)


def spelt(texts: Sequence[str], prices: Sequence[float], wits: Iterable[str],
          blind: Blind | None) -> list[float]:
    """Each text's price, no more than that of a text one of ``wits`` cannot tell from it
    (:func:`cannot_tell`): a document whose blind engines agree on their stand-in
    (``diverfas`` for ``diverſas``) knows the word in their spelling only, and that
    spelling vouches for the word it stands for as much as for itself.

    >>> texts = {"A": "ſo ſi fa", "B": "fo fi fa"}
    >>> spelt(["fo", "ſo"], [0.0, 5.0], ["A", "B"], unwritten(texts, [texts]))
    [0.0, 0.0]
    """
    out = list(prices)
    if blind is None:
        return out
    wits = tuple(wits)
    for i, mine in enumerate(texts):
        for j, theirs in enumerate(texts):
            if prices[j] < out[i] and strip_accents(theirs) != strip_accents(mine) and any(
                    cannot_tell((w,), theirs, mine, blind) for w in wits):
                out[i] = prices[j]
    return out


def as_told(wit: str, text: str, other: str, blind: Blind) -> str:
    """Witness ``wit``'s ``text`` with each letter it cannot tell from the letter ``other``
    reads there (one letter read as one, :func:`unwritten`) read as ``other`` reads it:
    what ``text`` says against ``other``.

    >>> texts = {"A": "ſo ſi", "B": "fo fi"}
    >>> as_told("B", "fo fi!", "ſo ſe", unwritten(texts, [texts]))
    'ſo ſi!'
    """
    out = list(text)
    for i, j in _one_for_one(text, other):
        if blind(wit, text[i], other[j]):
            out[i] = other[j]
    return "".join(out)
