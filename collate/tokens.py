"""Non-destructive tokenization: ``"".join(t.text + t.ws for t in tokenize(s)) == s`` always.

Words (:data:`collate.chars.WORD`) and single punctuation graphemes are tokens; whitespace
trails the token before it. A lacuna and the letters touching it form one token
(``□□ately``), and a lacuna is never split, even when its marker holds spaces (``[- - -]``).
Text that starts with whitespace gets a first token with empty ``text``.

The text is cut in one pass of one compiled regular expression; only the few tokens that
touch a lacuna are looked at again. A text whose every character the standard library's
``re`` reads as ``regex`` does (:func:`plain_chars`: the same word, space and grapheme
boundaries) is cut by ``re``, a third faster, into the same tokens.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from weakref import WeakValueDictionary

import numpy as np
import regex

from collate import normalize
from collate.chars import WORD, WORD_CHAR
from collate.lacunae import detect
from collate.model import Lacuna, Token, Tokens
from collate.normalize import Normalizer

_TOKEN = regex.compile(rf"({WORD.pattern}|(?!\s)\X)(\s*)")
"""A token (a word, else one grapheme that is not whitespace) and the whitespace after it."""
_PLAIN_TOKEN = re.compile(r"([^\W_]+(?:['’][^\W\d_]+)*|\S)(\s*)")
""":data:`_TOKEN` in ``re``: the same tokens on a text of :func:`plain_chars` alone."""
_LEAD = regex.compile(r"\s*")


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
    return list(token_columns(text, lacunae=lacunae, normalizer=normalizer))


def token_columns(
    text: str,
    *,
    lacunae: Sequence[Lacuna] | None = None,
    normalizer: Normalizer | None = None,
) -> Tokens:
    """:func:`tokenize` as columns (:class:`collate.model.Tokens`): no :class:`Token` object
    is made until a caller asks for one, so the aligner and the JSON writer never pay for
    them.

    The tokens of a text (with its lacunae, at its level) are made once while they are in
    use: asked for again (the edition collates its witnesses, then restores each from the
    others), the same columns are returned, and their :class:`Token` objects too, once made.

    >>> toks = token_columns("□□ately, the")
    >>> toks.texts, list(toks.starts), sorted(toks.damage)
    (['□□ately', ',', 'the'], [0, 7, 9], [0])
    >>> token_columns("□□ately, the") is toks
    True
    """
    if lacunae is None:
        lacunae = detect(text)
    key = (text, tuple(lacunae), normalizer or normalize.default)
    made = _MADE.get(key)
    if made is None:
        made = _MADE[key] = _columns(text, lacunae, key[2])
    return made


_MADE: WeakValueDictionary[tuple[str, tuple[Lacuna, ...], Normalizer], Tokens] = (
    WeakValueDictionary())
"""The tokens in use, by text, lacunae and normalizer (an entry goes with its tokens)."""


def _columns(text: str, lacunae: Sequence[Lacuna], normalizer: Normalizer) -> Tokens:
    """:func:`token_columns`, made."""
    lead = _LEAD.match(text).end()  # type: ignore[union-attr]
    texts, wss = _cut(text, lead)
    widths = _lengths(texts) + _lengths(wss)
    starts = _packed(np.cumsum(widths) - widths + lead)
    damage: dict[int, tuple[Lacuna, ...]] = {}
    if lacunae:
        texts, wss, starts, damage = _join_lacunae(text, lacunae, texts, wss, starts)
    norms = _norms(texts, normalizer)
    for k in damage:  # a lacuna is a reading at every level (``[...]``)
        norms[k] = norms[k] or texts[k]
    if lead:
        texts.insert(0, "")
        wss.insert(0, text[:lead])
        norms.insert(0, "")
        starts.insert(0, 0)
        damage = {k + 1: x for k, x in damage.items()}
    ends = _packed(np.frombuffer(starts, np.int64) + _lengths(texts))
    return Tokens(texts, wss, norms, starts, ends, damage)


def _lengths(strings: list[str]) -> np.ndarray:
    """The length of each string, as machine integers (counted in C, not one by one)."""
    return np.fromiter(map(len, strings), np.int64, len(strings))


def _packed(offsets: np.ndarray) -> array[int]:
    """``offsets`` as the ``array("q")`` the columns keep, copied in one block.

    >>> _packed(np.array([0, 3]))
    array('q', [0, 3])
    """
    return array("q", offsets.astype(np.int64).tobytes())


BLOCK = 1 << 20
"""Characters cut into tokens at a time: the matches of one block are all that stand as
match tuples at once (some 60 bytes a character), so a 10 MB line costs its tokens alone."""
_STARTS = regex.compile(r"(?<=\s)\S")
"""Where a token starts after whitespace: the whitespace before ends the token before."""


def _cut(text: str, lead: int) -> tuple[list[str], list[str]]:
    """The texts and trailing whitespace of the tokens of ``text`` from ``lead``, cut a block
    at a time, each block ending where a token starts after whitespace (so the tokens are
    the same as in one pass), each distinct string one object (a book repeats most)."""
    pool: dict[str, str] = {}
    texts: list[str] = []
    wss: list[str] = []
    findall = _PLAIN_TOKEN.findall if plain_chars(text) else _TOKEN.findall
    pos = lead
    while pos < len(text):
        cut = _STARTS.search(text, pos + BLOCK) if len(text) - pos > BLOCK else None
        end = cut.start() if cut else len(text)
        pairs = findall(text, pos, end)
        texts += [pool.setdefault(t, t) for t, _ in pairs]
        wss += [pool.setdefault(w, w) for _, w in pairs]
        pos = end
    return texts, wss


_PLAIN: dict[str, bool] = {}
"""Each character met so far, and whether it is plain (:func:`plain_chars`)."""


def plain_chars(text: str) -> bool:
    """Whether ``re`` cuts ``text`` into the tokens ``regex`` does (:data:`_PLAIN_TOKEN`,
    :data:`_TOKEN`): each distinct character is a word character, an apostrophe-word
    character, white space for both alike, and a grapheme of its own next to a letter and
    to itself (no combining mark, joiner, prepended or paired character).

    >>> plain_chars("Lately, the clerks’ rooms — 3"), plain_chars("e\u0301"), plain_chars("🇬🇧")
    (True, False, False)
    """
    known = _PLAIN
    chars = set(text)
    for c in chars - known.keys():
        known[c] = (
            bool(regex.match(r"[\p{L}\p{M}\p{N}]", c)) == bool(re.match(r"[^\W_]", c))
            and bool(regex.match(r"[\p{L}\p{M}]", c)) == bool(re.match(r"[^\W\d_]", c))
            and bool(regex.match(r"\s", c)) == bool(re.match(r"\s", c))
            and not any(regex.fullmatch(r"\X", pair) for pair in ("a" + c, c + "a", c + c)))
    return all(map(known.__getitem__, chars))


def _norms(texts: list[str], norm: Normalizer) -> list[str]:
    """``norm`` of every text, computed once per distinct text."""
    cache = {t: norm(t) for t in dict.fromkeys(texts)}
    return list(map(cache.__getitem__, texts))


def _join_lacunae(
    text: str, lacunae: Sequence[Lacuna], texts: list[str], wss: list[str], starts: array[int]
) -> tuple[list[str], list[str], array[int], dict[int, tuple[Lacuna, ...]]]:
    """Tokens overlapping a lacuna, and words touching it without a space, joined into one."""
    groups: list[list[int]] = []  # [first, end) token indices joined into one token
    for lac in lacunae:
        k1 = max(0, bisect_right(starts, lac.start) - 1)
        if starts[k1] + len(texts[k1]) <= lac.start:
            k1 += 1
        k2 = max(k1 + 1, bisect_left(starts, lac.end))
        if k1 > 0 and not wss[k1 - 1] and (
                (groups and groups[-1][1] == k1) or WORD_CHAR.match(texts[k1 - 1])):
            k1 -= 1  # a word or another lacuna just before it
        if k2 < len(texts) and not wss[k2 - 1] and WORD_CHAR.match(texts[k2]):
            k2 += 1  # a word just after it
        if groups and k1 < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], k2)
        else:
            groups.append([k1, k2])
    out_t: list[str] = []
    out_w: list[str] = []
    out_s = array("q")
    damage: dict[int, tuple[Lacuna, ...]] = {}
    lac_starts = [x.start for x in lacunae]
    pos = 0
    for k1, k2 in groups:
        out_t += texts[pos:k1]
        out_w += wss[pos:k1]
        out_s += starts[pos:k1]
        start, end = starts[k1], starts[k2 - 1] + len(texts[k2 - 1])
        first = bisect_left(lac_starts, start)
        last = bisect_left(lac_starts, end)
        damage[len(out_t)] = tuple(lacunae[first:last])
        out_t.append(text[start:end])
        out_w.append(wss[k2 - 1])
        out_s.append(start)
        pos = k2
    out_t += texts[pos:]
    out_w += wss[pos:]
    out_s += starts[pos:]
    return out_t, out_w, out_s, damage


def pretokenized(pairs: Iterable[tuple[str, str | None]], *,
                 normalizer: Normalizer | None = None) -> list[Token]:
    """Tokens from ``(t, n)`` pairs: ``t`` is the text with trailing whitespace, ``n`` the norm.

    A missing ``n`` (``None``) is computed with ``normalizer`` (default: the default normal
    form). Offsets run over the concatenation of the ``t``s; lacunae in it are attached.

    >>> [(t.text, t.ws, t.norm, t.start) for t in pretokenized([("Ye ", "the"), ("olde", None)])]
    [('Ye', ' ', 'the', 0), ('olde', '', 'olde', 3)]
    """
    norm = normalizer or normalize.default
    items = list(pairs)
    text = "".join(t for t, _ in items)
    lacunae = detect(text)
    out: list[Token] = []
    pos = first = 0  # lacunae are sorted and disjoint: skip those ending before each token
    for t, n in items:
        body = t.rstrip()
        ws = t[len(body):]
        end = pos + len(body)
        while first < len(lacunae) and lacunae[first].end <= pos:
            first += 1
        last = first
        while last < len(lacunae) and lacunae[last].start < end:
            last += 1
        touching = tuple(lacunae[first:last])
        out.append(Token(body, ws, norm(body) if n is None else n, pos, end, touching))
        pos += len(t)
    return out
