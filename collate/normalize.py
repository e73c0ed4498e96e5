"""Normal forms for matching, as plain ``str -> str`` callables (the CollateX ``n``).

A normalizer never touches the stored text: tokens keep ``text`` verbatim and carry the
normal form beside it in ``norm``. Normalizers compose with :func:`compose`; a *match level*
(:func:`level`) is such a composition named by the differences it folds away, as
``collate align --normalize case,accents,punctuation`` names them.

>>> default("Cæſar’s ﬁrſt")
"caesar's first"
>>> level("case,accents")("Ἐν ἀρχῇ")
'εν αρχη'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import regex

from collate.chars import PLACEHOLDERS
from collate.defaults import DEFAULT_LEVEL as DEFAULT_LEVEL  # the name it has always had

Normalizer = Callable[[str], str]

_PUNCT = regex.compile(rf"[\p{{P}}\p{{S}}\u02bc--[{PLACEHOLDERS}]]+", regex.V1)
_MARKS = regex.compile(r"\p{M}+")
_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"}
)
_HISTORICAL = {
    "ſ": "s", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ꝛ": "r", "ꝑ": "per", "ꝓ": "pro"
}


def nfkc(text: str) -> str:
    """Unicode NFKC: compatibility forms and ligatures (``ﬁ`` → ``fi``) folded.

    >>> nfkc("ﬁne")
    'fine'
    """
    if text.isascii():  # ASCII is its own NFKC form: most words of a Latin-script text
        return text
    return unicodedata.normalize("NFKC", text)


def casefold(text: str) -> str:
    """Case folded for caseless matching.

    >>> casefold("Straße")
    'strasse'
    """
    return text.casefold()


def strip_accents(text: str) -> str:
    """Accents and every other combining mark removed (the marks left after NFD), then NFC.

    >>> strip_accents("ἀρχῇ café")
    'αρχη cafe'
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFD", text)))


def strip_punctuation(text: str) -> str:
    """Punctuation, symbols and elision marks (``ʼ``) removed; lacuna placeholders are kept.

    A token that is nothing but punctuation normalizes to ``""``, which the collation treats
    as no reading at all (a column differing only by it is not a variant).

    >>> strip_punctuation("don't!"), strip_punctuation("διʼ")
    ('dont', 'δι')
    """
    return _PUNCT.sub("", text)


def historical(text: str) -> str:
    """Spellings of historical print folded: long s, æ/œ, curly quotes and dashes.

    >>> historical("Cæſar’s")
    "Caesar's"
    """
    if text.isascii():  # every spelling folded here is outside ASCII
        return text
    for old, new in _HISTORICAL.items():
        text = text.replace(old, new)
    return text.translate(_QUOTES)


def compose(*normalizers: Normalizer) -> Normalizer:
    """One normalizer applying ``normalizers`` left to right.

    >>> compose(casefold, strip_punctuation)("Lately,")
    'lately'
    """

    def composed(text: str) -> str:
        for fn in normalizers:
            text = fn(text)
        return text

    composed.__name__ = "+".join(getattr(fn, "__name__", "fn") for fn in normalizers)
    return composed


def identity(text: str) -> str:
    """The text as it is: every difference counts.

    >>> identity("Ab")
    'Ab'
    """
    return text


LEVELS: dict[str, Normalizer] = {
    "compat": nfkc,
    "spelling": historical,
    "accents": strip_accents,
    "case": casefold,
    "punctuation": strip_punctuation,
}
"""The named match levels, in the order :func:`level` applies them: ``compat`` (Unicode
compatibility forms and ligatures), ``spelling`` (old spellings: long s, æ/œ, curly quotes),
``accents`` (combining marks after NFD; before case, which would turn the Greek iota
subscript into a letter), ``case``, ``punctuation``."""

def level(names: str) -> Normalizer:
    """The normalizer that folds the differences named in ``names`` (comma-separated).

    ``"none"`` (or ``""``) folds nothing. The levels apply in the order of :data:`LEVELS`,
    whatever order they are named in.

    Raises
    ------
    ValueError
        For a name that is not a level (the message lists the levels).

    Examples
    --------
    >>> level("punctuation,case")("“Lately,”")
    'lately'
    >>> level("none")("Lately,")
    'Lately,'
    >>> level("tone")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown normalize level 'tone' (levels: compat, spelling, accents, ...)
    """
    wanted = {n.strip().lower() for n in names.split(",")} - {"", "none"}
    unknown = sorted(wanted - LEVELS.keys())
    if unknown:
        raise ValueError(f"unknown normalize level {unknown[0]!r} "
                         f"(levels: {', '.join(LEVELS)}, none)")
    steps = tuple(fn for name, fn in LEVELS.items() if name in wanted)
    if steps not in _COMPOSED:
        _COMPOSED[steps] = compose(*steps) if steps else identity
    return _COMPOSED[steps]


default: Normalizer = compose(nfkc, historical, casefold)
"""The default normal form: NFKC, historical spellings folded, case folded."""

_COMPOSED: dict[tuple[Normalizer, ...], Normalizer] = {(nfkc, historical, casefold): default}
"""Each level :func:`level` made, by its steps: one function for one level (the default's is
:data:`default`), so the tokens of a text at one level are made once
(:func:`collate.tokens.token_columns`)."""
