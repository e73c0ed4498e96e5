"""Normal forms for matching, as plain ``str -> str`` callables (the CollateX ``n``).

A normalizer never touches the stored text: tokens keep ``text`` verbatim and carry the
normal form beside it in ``norm``. Normalizers compose with :func:`compose`.

>>> default("Cæſar’s ﬁrſt")
"caesar's first"
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import regex

from collate.chars import PLACEHOLDERS

Normalizer = Callable[[str], str]

_PUNCT = regex.compile(rf"[\p{{P}}\p{{S}}--[{PLACEHOLDERS}]]+", regex.V1)
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
    return unicodedata.normalize("NFKC", text)


def casefold(text: str) -> str:
    """Case folded for caseless matching.

    >>> casefold("Straße")
    'strasse'
    """
    return text.casefold()


def strip_punctuation(text: str) -> str:
    """Punctuation and symbols removed (lacuna placeholders are kept).

    >>> strip_punctuation("don't!")
    'dont'
    """
    return _PUNCT.sub("", text)


def historical(text: str) -> str:
    """Spellings of historical print folded: long s, æ/œ, curly quotes and dashes.

    >>> historical("Cæſar’s")
    "Caesar's"
    """
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


default: Normalizer = compose(nfkc, historical, casefold)
"""The default normal form: NFKC, historical spellings folded, case folded."""
