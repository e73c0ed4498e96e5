"""The damaged document's orthography, and witness text carried into it.

A witness in another orthography (an accented, punctuated edition against an unaccented
transcription; a modern print against an old one) helps only once its readings are written
the way the damaged document writes: ``Προβατικῇ`` opposite ``προβατικ□`` must be offered
as ``προβατικη``. :class:`Profile` learns from the document's intact text which characters
it uses (letters, case, combining marks after NFD, punctuation and signs);
:meth:`Profile.carry` rewrites a witness into it (marks the document never uses stripped,
case folded where the document has no capitals, signs it never has dropped or replaced by
the variant it uses) and keeps, for each character written, the span of the original it
came from, so a reading's original form stays at hand as evidence.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from collate.chars import BREAK

#: intact characters from which a document's orthography is judged: a shorter text may
#: simply not have needed a capital, a mark or a sign that it does use
MIN_TEXT = 300
#: Signs that stand for one another: a document that never writes one may write another.
EQUIVALENT = ("'’ʼ‘", '"“”„«»', "-‐‑–—")


@dataclass(frozen=True)
class Carried:
    """A text carried into a profile: ``text``, and for each of its characters the span
    ``[origin[i], until[i])`` of the original it was written from (``origin`` ascending;
    ranges where the text is carried as it stands: a book's offsets are not spelt out)."""

    text: str
    origin: Sequence[int]
    until: Sequence[int]

    def source(self, original: str, start: int, end: int) -> str:
        """The original form of ``text[start:end]`` (``""`` for an empty span)."""
        if end <= start:
            return ""
        return original[self.origin[start] : self.until[end - 1]]


@dataclass(frozen=True)
class Profile:
    """The characters a document writes (after NFD), and whether it writes capitals.

    Examples
    --------
    >>> p = Profile.learn(["εν αρχη ην ο λογος και ο λογος ην προς τον θεον " * 30])
    >>> p.carry("¶Ἐν ἀρχῇ ἦν ὁ λόγος, καὶ ὁ λόγος ἦν πρὸς τὸν ˚Θεόν.").text
    'εν αρχη ην ο λογος και ο λογος ην προς τον θεον'
    >>> Profile.learn(["It’s here. " * 100]).carry("It's here!").text
    'It’s here'
    """

    chars: frozenset[str]
    cased: bool
    composed: bool
    sure: bool = True  #: enough intact text to judge by (else nothing is carried)

    @classmethod
    def learn(cls, texts: Sequence[str]) -> Profile:
        """The profile of the intact text in ``texts`` (lost stretches as :data:`BREAK`)."""
        chars: set[str] = set()
        composed = True
        for text in texts:
            nfd = unicodedata.normalize("NFD", text)
            chars.update(nfd)
            composed = composed and (unicodedata.is_normalized("NFC", text) or nfd == text)
        chars.discard(BREAK)
        cased = any(c.isupper() for c in chars)
        sure = sum(len(t) - t.count(BREAK) for t in texts) >= MIN_TEXT
        return cls(frozenset(chars), cased, composed, sure)

    def carry(self, text: str, keep: Sequence[tuple[int, int]] = ()) -> Carried:
        """``text`` written in this profile, with the origin of every character (as it
        stands when the profile is not :attr:`sure`); the ``keep`` spans (the witness's own
        lacunae) are copied as they stand."""
        if not self.sure or all(
            _written(self, c) == c and not unicodedata.combining(c) for c in _outside(text, keep)
        ):  # as it stands: nothing to rewrite (the usual case, found without the loop below)
            n = len(text)
            return Carried(text, range(n), range(1, n + 1))
        kept_at = [False] * len(text)
        for s, e in keep:
            kept_at[s:e] = [True] * (e - s)
        out: list[str] = []
        origin: list[int] = []
        until: list[int] = []
        drop_space = False
        for i, ch in enumerate(text):
            if drop_space and ch == " ":
                drop_space = False
                continue
            drop_space = False
            kept = ch if kept_at[i] else _written(self, ch)
            if not kept:
                # a dropped sign between spaces must not leave two spaces (or a leading one)
                drop_space = not out or out[-1] in " \n"
                continue
            for c in kept:
                out.append(c)
                origin.append(i)
                until.append(i + 1)
        # combining marks after a base character belong to its original form
        for k, end in enumerate(until):
            j = end
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            until[k] = j
        return Carried("".join(out), tuple(origin), tuple(until))

    def _carry_char(self, c: str) -> str:
        """One NFD character in this profile (``""``: the document has no such sign)."""
        if c in self.chars or c.isspace() or c.isdigit():
            return c
        cat = unicodedata.category(c)
        if cat.startswith("M") or cat == "Lm":  # a mark or modifier the document never uses
            return ""
        if cat.startswith("L"):
            return c if self.cased else c.lower()
        for group in EQUIVALENT:
            if c in group:
                return next((g for g in group if g in self.chars), "")
        return ""


def _outside(text: str, keep: Sequence[tuple[int, int]]) -> set[str]:
    """The characters of ``text`` outside the ``keep`` spans (sorted, apart).

    >>> sorted(_outside("ab□□cd", [(2, 4)]))
    ['a', 'b', 'c', 'd']
    """
    bounds = [0, *(x for span in keep for x in span), len(text)]
    return set("".join(text[bounds[k] : bounds[k + 1]] for k in range(0, len(bounds), 2)))


@lru_cache(maxsize=1 << 16)
def _written(profile: Profile, ch: str) -> str:
    """``ch`` written in ``profile`` (remembered: a text repeats its few characters)."""
    kept = "".join(profile._carry_char(c) for c in unicodedata.normalize("NFD", ch))
    return unicodedata.normalize("NFC", kept) if profile.composed else kept
