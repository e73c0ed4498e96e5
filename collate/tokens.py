"""Non-destructive tokenization: ``"".join(t.text + t.ws for t in tokenize(s)) == s`` always.

Words (letters, marks, digits, inner apostrophes) and single punctuation graphemes are tokens;
whitespace trails the token before it. A lacuna and the letters touching it form one token
(``□□ately``), and a lacuna is never split, even when its marker holds spaces (``[- - -]``).
Text that starts with whitespace gets a first token with empty ``text``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

import regex

from collate import normalize
from collate.lacunae import detect
from collate.model import Lacuna, Token
from collate.normalize import Normalizer

_ATOM = regex.compile(r"(\s+)|([\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}]+)*)|(\X)")
_WS, _WORD, _PUNCT, _LAC = 1, 2, 3, 4


def tokenize(
    text: str,
    *,
    lacunae: Sequence[Lacuna] | None = None,
    normalizer: Normalizer | None = None,
) -> list[Token]:
    """Split ``text`` into tokens that rebuild it exactly, each with its lacunae and norm.

    Parameters
    ----------
    text : str
        The witness text, verbatim.
    lacunae : sequence of Lacuna, optional
        Lacunae of ``text``; detected with :func:`collate.detect` when omitted.
    normalizer : callable, optional
        ``str -> str`` giving each token's ``norm``; :data:`collate.normalize.default` if omitted.

    Examples
    --------
    >>> [(t.text, t.ws, t.norm) for t in tokenize("□□ately, the")]
    [('□□ately', '', '□□ately'), (',', ' ', ','), ('the', '', 'the')]
    >>> "".join(t.text_with_ws for t in tokenize(" a  [- - -] b\\r\\n"))
    ' a  [- - -] b\\r\\n'
    """
    if lacunae is None:
        lacunae = detect(text)
    norm = normalizer or normalize.default
    spans: list[tuple[int, int]] = []  # (start, end) of tokens; whitespace is between them
    ws_after: list[str] = []
    lead = ""
    last_kind = _WS
    for start, end, kind in _atoms(text, lacunae):
        if kind == _WS:
            if spans:
                ws_after[-1] = text[start:end]
            else:
                lead = text[start:end]
            last_kind = _WS
            continue
        joins = spans and last_kind != _WS and (
            (last_kind == _LAC and kind in (_WORD, _LAC)) or (last_kind == _WORD and kind == _LAC)
        )
        if joins:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
            ws_after.append("")
        last_kind = kind

    starts = [lac.start for lac in lacunae]
    tokens: list[Token] = []
    if lead:
        tokens.append(Token("", lead, "", 0, 0))
    for (start, end), ws in zip(spans, ws_after, strict=True):
        piece = text[start:end]
        i = bisect_left(starts, start)
        if i > 0 and lacunae[i - 1].end > start:
            i -= 1
        touching: list[Lacuna] = []
        while i < len(lacunae) and lacunae[i].start < end:
            touching.append(lacunae[i])
            i += 1
        tokens.append(Token(piece, ws, norm(piece), start, end, tuple(touching)))
    return tokens


def _atoms(text: str, lacunae: Sequence[Lacuna]) -> list[tuple[int, int, int]]:
    """Whitespace, word, punctuation and lacuna atoms tiling ``text``."""
    atoms: list[tuple[int, int, int]] = []
    pos = 0
    for lac in [*lacunae, None]:
        stop = len(text) if lac is None else lac.start
        for m in _ATOM.finditer(text, pos, stop):
            atoms.append((m.start(), m.end(), m.lastindex or _PUNCT))
        if lac is not None:
            atoms.append((lac.start, lac.end, _LAC))
            pos = lac.end
    return atoms
