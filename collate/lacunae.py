"""Lacuna detection: find every placeholder for lost text, in every common notation.

Detection never changes the text: a :class:`~collate.model.Lacuna` is a span of the input,
with ``marker == text[start:end]``.

Notations
---------
``box``
    Runs of ``□ ☐ ▯ ■ ▢`` (mixed glyphs in one run are one lacuna). A run never crosses
    whitespace, so ``C□□□ □□□□`` is two lacunae, one per word.
``replacement-char``
    Runs of U+FFFD, what a decoder leaves for bytes it could not read.
``leiden``
    ``[...]``, ``[…]``, ``[---]``, ``[- - -]`` (unknown length); ``[.3]`` and ``[...3...]``
    (exactly three); ``[.2-4]`` (two to four, Leiden+); ``[c.5]``, ``[ca. 12]``, ``[.c.5]``
    (about so many). Brackets holding anything else (``[sic]``, ``[1]``, ``[?]``,
    ``[Signed]``, supplied text) are not lacunae.
``tei``
    ``<gap/>`` elements, with ``quantity``/``extent``/``atLeast``/``atMost`` in characters
    (EpiDoc's ``unit="character"``) or lines.

Length model
------------
A placeholder's glyph count is weak evidence of how much was lost. In scanned and
machine-translated archive documents one lost letter often shows as two boxes (the seed's
``□□ately`` lost one ``L``), counts drift by one and scale by roughly 0.7–1.3. For a run of
``n`` glyphs we therefore take ``min_chars = max(1, ceil(n / 1.3) - 1)`` and
``max_chars = floor(n / 0.7) + 1`` (``□□`` → 1–3, ``□□□`` → 2–5). A run alone on its line,
or standing as its own token at the start of a line before more text (``☐☐☐ The Korean
side``), is where list numbers and bullets are lost and where scans leave artefacts, so its
``min_chars`` is 0: it may stand for nothing at all. A run of ``n`` U+FFFD lost between
``ceil(n / 4)`` (one character of up to four UTF-8 bytes) and ``n`` characters. Leiden counts
are exact; ``c.``/``ca.`` give ``n ± max(1, round(0.25 n))``.

Kinds
-----
``line`` (alone on its line), ``in-word`` (a letter or digit touches it), ``word`` (a whole
token of known extent), ``unknown`` (a whole token whose extent is unknown, so it may be part
of a word, a word or several words).
"""

from __future__ import annotations

import math

import regex

from collate.chars import BOX_GLYPHS, WORD_CHAR
from collate.model import Lacuna, LacunaKind

_BOX_RUN = regex.compile(f"[{BOX_GLYPHS}]+")
_FFFD_RUN = regex.compile("\ufffd+")
_BRACKET = regex.compile(r"\[([^\[\]\n]{0,40})\]")
_GAP = regex.compile(r"<gap\b[^<>]*?(?:/>|>\s*</gap\s*>)", regex.IGNORECASE)
_ATTR = regex.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CHAR_UNITS = ("character", "characters", "char", "chars", "letter", "letters", "glyph",
               "glyphs")
# The first newline or non-space character (as str.isspace sees it), searched either way.
_INK_AFTER = regex.compile(r"\n|[^\s\x1c-\x1f]")
_INK_BEFORE = regex.compile(r"(?r)\n|[^\s\x1c-\x1f]")

# Leiden bracket contents that stand for lost characters.
_UNKNOWN = regex.compile(r"\s*(?:(?:\.\s*){2,}|…+|(?:[-–—]\s*){2,})\s*")
_DOTS = r"(?:(?:\.\s*){2,}|…|(?:[-–—]\s*){2,})"
_EXACT = regex.compile(rf"\s*(?:\.|{_DOTS})\s*(\d{{1,4}})\s*{_DOTS}?\s*")
_RANGE = regex.compile(r"\s*\.\s*(\d{1,4})\s*[-–]\s*(\d{1,4})\s*")
_ABOUT = regex.compile(rf"\s*(?:\.|{_DOTS}|-)?\s*(?:c|ca|circa)\.?\s*(\d{{1,4}})\s*{_DOTS}?\s*")


def detect(text: str) -> list[Lacuna]:
    """Find every lacuna in ``text``, sorted by offset, never overlapping.

    Parameters
    ----------
    text : str
        The witness exactly as read (no normalization).

    Returns
    -------
    list[Lacuna]
        One per placeholder, ``marker == text[start:end]``.

    Examples
    --------
    >>> [(x.marker, x.min_chars, x.max_chars, x.kind) for x in detect("□□ately [sic] [.3] end")]
    [('□□', 1, 3, 'in-word'), ('[.3]', 3, 3, 'word')]
    >>> [(x.min_chars, x.max_chars) for x in detect("[.2-4] [3-4]")]
    [(2, 4)]
    >>> detect("A clean sentence... [1] [?]")
    []
    """
    found: list[tuple[int, int, int, int | None, str]] = []
    for m in _BOX_RUN.finditer(text):
        n = m.end() - m.start()
        found.append((m.start(), m.end(), max(1, math.ceil(n / 1.3) - 1), n * 10 // 7 + 1, "box"))
    for m in _FFFD_RUN.finditer(text):
        n = m.end() - m.start()
        found.append((m.start(), m.end(), math.ceil(n / 4), n, "replacement-char"))
    for m in _BRACKET.finditer(text):
        span = _leiden_length(m.group(1))
        if span is not None:
            found.append((m.start(), m.end(), span[0], span[1], "leiden"))
    if "<gap" in text or "<GAP" in text:
        for m in _GAP.finditer(text):
            lo, hi = _gap_length(m.group(0))
            found.append((m.start(), m.end(), lo, hi, "tei"))

    found.sort()
    out: list[Lacuna] = []
    last_end = -1
    for start, end, lo, hi, convention in found:
        if start < last_end:  # a box inside a Leiden bracket, say: the outer span wins
            continue
        kind = _kind(text, start, end, hi)
        if convention == "box" and _may_be_nothing(text, start, end, kind):
            lo = 0
        out.append(Lacuna(start, end, text[start:end], lo, hi, kind, convention))
        last_end = end
    return out


def _leiden_length(inner: str) -> tuple[int, int | None] | None:
    """The length range a Leiden bracket's content stands for, or ``None`` if it is no gap."""
    if _UNKNOWN.fullmatch(inner):
        return 1, None
    if m := _EXACT.fullmatch(inner):
        n = int(m.group(1))
        return (n, n) if n > 0 else None
    if m := _RANGE.fullmatch(inner):
        lo, hi = int(m.group(1)), int(m.group(2))
        return (lo, hi) if 0 < lo <= hi else None
    if m := _ABOUT.fullmatch(inner):
        n = int(m.group(1))
        spread = max(1, round(0.25 * n))
        return (max(1, n - spread), n + spread) if n > 0 else None
    return None


def _gap_length(tag: str) -> tuple[int, int | None]:
    """Length range of a TEI/EpiDoc ``<gap/>`` from its attributes.

    ``quantity`` (or a numeric ``extent``) is exact unless ``precision="low"``; ``atLeast``/
    ``atMost`` give a range. Units in characters (EpiDoc ``character``, ``chars``, ...) count
    characters; ``unit="line"`` says only that at least one character per line was lost.

    >>> _gap_length('<gap reason="lost" quantity="3" unit="character"/>')
    (3, 3)
    >>> _gap_length('<gap atLeast="2" atMost="4" unit="character"/>')
    (2, 4)
    >>> _gap_length('<gap extent="unknown" unit="character"/>'), _gap_length('<gap extent="5"/>')
    ((1, None), (5, 5))
    >>> _gap_length('<gap quantity="2" unit="line"/>'), _gap_length('<gap quantity="3" unit="cm"/>')
    ((2, None), (1, None))
    """
    attrs = {k.split(":")[-1]: a if a else b for k, a, b in _ATTR.findall(tag)}

    def number(name: str) -> int | None:
        value = attrs.get(name, "").strip()
        return int(value) if value.isdigit() and int(value) > 0 else None

    unit = attrs.get("unit", "character").strip().lower()
    q = number("quantity") or number("extent")
    if unit in ("line", "lines"):
        return (q or 1), None
    if unit not in _CHAR_UNITS:
        return 1, None
    if q is not None and attrs.get("precision") != "low":
        return q, q
    lo, hi = number("atLeast"), number("atMost")
    if q is not None:
        spread = max(1, round(0.25 * q))
        return max(1, q - spread), q + spread
    if lo is not None or hi is not None:
        return (lo or 1), (max(hi, lo or 1) if hi is not None else None)
    return 1, None


def _kind(text: str, start: int, end: int, max_chars: int | None) -> LacunaKind:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if (before and WORD_CHAR.match(before)) or (after and WORD_CHAR.match(after)):
        return "in-word"
    if _line_starts_at(text, start) and _line_ends_at(text, end):
        return "line"
    return "word" if max_chars is not None else "unknown"


def _may_be_nothing(text: str, start: int, end: int, kind: LacunaKind) -> bool:
    """Box runs where list markers and scan artefacts sit: alone on a line, or line-initial."""
    if kind == "line":
        return True
    return kind == "word" and _line_starts_at(text, start)


def _line_starts_at(text: str, pos: int) -> bool:
    """Whether only whitespace lies between the start of ``pos``'s line and ``pos``.

    Searched backwards from ``pos`` and stopped at the first ink or newline, so detection stays
    linear even on a single 100 MB line holding a million lacunae.
    """
    m = _INK_BEFORE.search(text, 0, pos)
    return m is None or m.group() == "\n"


def _line_ends_at(text: str, pos: int) -> bool:
    """Whether only whitespace lies between ``pos`` and the end of its line."""
    m = _INK_AFTER.search(text, pos)
    return m is None or m.group() == "\n"
