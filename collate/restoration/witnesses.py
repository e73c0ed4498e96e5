"""Witness evidence: what other witnesses read opposite a lacuna.

The damaged text and each witness are tokenized and aligned token by token
(:func:`collate.alignment.align_pair`, lacuna-aware). For a lacuna, the tokens around it plus
one intact neighbour on each side are mapped to the witness; inside that window the
visible characters are matched against the witness text (exactly, else with a few edits
allowed), and what the witness has where the lacuna is is read off character by character:
``□□ately`` against ``Lately`` gives ``L``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import regex

from collate.lacunae import detect
from collate.model import Lacuna, Token, Witness
from collate.tokens import tokenize

_ANCHOR = 8  #: characters of each outer anchor kept on the retry


def _opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    from collate.alignment import align_pair

    return list(align_pair(a, b))


class WitnessMap:
    """Maps character spans of a damaged text onto a witness through a token alignment.

    Parameters
    ----------
    text
        The damaged text (offsets of :meth:`read` refer to it).
    lacunae
        Its lacunae (passed to the tokenizer, so each damaged word is one token).
    tokens
        The text's tokens when already made (several witnesses share them).
    witness
        The witness to read from.
    """

    def __init__(
        self,
        text: str,
        lacunae: Sequence[Lacuna],
        witness: Witness,
        tokens: Sequence[Token] | None = None,
    ) -> None:
        self.witness = witness
        if tokens is None:
            tokens = tokenize(text, lacunae=lacunae)
        self.tokens = [t for t in tokens if t.text]
        self.wtokens = [t for t in tokenize(witness.text, lacunae=detect(witness.text)) if t.text]
        self._starts = [t.start for t in self.tokens]
        n = len(self.tokens)
        self._lo = [0] * n
        self._hi = [0] * n
        for tag, i1, i2, j1, j2 in _opcodes(self.tokens, self.wtokens):
            for k in range(i1, i2):
                if tag == "equal":
                    self._lo[k], self._hi[k] = j1 + k - i1, j1 + k - i1 + 1
                elif tag == "replace":
                    di, dj = i2 - i1, j2 - j1
                    self._lo[k] = j1 + (k - i1) * dj // di
                    self._hi[k] = max(self._lo[k] + 1, j1 + -(-(k - i1 + 1) * dj // di))
                else:
                    self._lo[k] = self._hi[k] = j1

    def window(self, start: int, end: int) -> tuple[int, int, int, int] | None:
        """``(doc_start, doc_end, wit_start, wit_end)``: the tokens around ``[start, end)``
        with one neighbour each side, and the witness text aligned with them."""
        if not self.tokens:
            return None
        i = max(0, bisect_right(self._starts, start) - 1)
        k = max(i, bisect_right(self._starts, max(start, end - 1)) - 1)
        i = max(0, i - 1)
        k = min(len(self.tokens) - 1, k + 1)
        lo = min(self._lo[i : k + 1])
        hi = max(self._hi[i : k + 1])
        if hi <= lo:
            return None
        # one more witness token each side: the match below searches inside the window
        lo, hi = max(0, lo - 2), min(len(self.wtokens), hi + 2)
        doc, wit = self.tokens, self.wtokens
        return doc[i].start, doc[k].end, wit[lo].start, wit[hi - 1].end

    def read(
        self, text: str, holes: Sequence[tuple[int, int]], target: tuple[int, int]
    ) -> str | None:
        """What the witness has at ``target``, or ``None`` when it cannot be read (no
        alignment, the visible text does not match, or the witness is damaged there too).

        ``text`` gives the visible characters (the damaged text, or a copy with extra
        holes); ``holes`` are all lost spans, sorted; ``target`` is one of them.
        """
        win = self.window(*target)
        if win is None:
            return None
        ds, de, ws, we = win
        ds, de = min(ds, target[0]), max(de, target[1])
        parts: list[str | None] = []
        pos = ds
        for s, e in holes:
            if e <= ds or s >= de:
                continue
            s, e = max(s, ds), min(e, de)
            if s > pos:
                parts.append(text[pos:s])
            parts.append(None if (s, e) != target else "")
            pos = e
        if pos < de:
            parts.append(text[pos:de])
        return _match(parts, self.witness.text[ws:we])


def _match(parts: Sequence[str | None], wtext: str) -> str | None:
    """Find the literal parts in ``wtext`` with holes as groups; the target hole is ``""``.

    >>> _match(["the ", "", "ately, we"], "the Lately, we")
    'L'
    >>> _match(["the ", "", "atelx, we"], "so the Lately, we went")
    'L'
    """
    literal = [i for i, p in enumerate(parts) if p]
    attempts = [list(parts)]
    if literal:  # the witness may be damaged nearby: retry with short anchors
        short = list(parts)
        short[literal[0]] = short[literal[0]][-_ANCHOR:]
        short[literal[-1]] = short[literal[-1]][:_ANCHOR]
        attempts.append(short)
    for attempt in attempts:
        exact, fuzzy = _patterns(attempt)
        for pattern, flags in ((exact, regex.S), (fuzzy, regex.S | regex.BESTMATCH)):
            try:
                m = regex.search(pattern, wtext, flags=flags, timeout=0.05)
            except TimeoutError:
                m = None
            if m is not None:
                got = m.group("t")
                return None if detect(got) else got  # the witness is damaged there too
    return None


def _patterns(parts: Sequence[str | None]) -> tuple[str, str]:
    pieces: list[str] = []
    fuzzy: list[str] = []
    for p in parts:
        if p is None:
            pieces.append("(?:.*?)")
            fuzzy.append("(?:.*?)")
        elif p == "":
            pieces.append("(?P<t>.*?)")
            fuzzy.append("(?P<t>.*?)")
        else:
            lit = r"\s+".join(regex.escape(w) for w in p.split())
            lit = (r"\s*" if p[:1].isspace() else "") + lit + (r"\s*" if p[-1:].isspace() else "")
            pieces.append(lit)
            k = max(1, len(p) // 6)
            fuzzy.append(f"(?:{lit}){{e<={k}}}" if p.strip() else lit)
    return "".join(pieces), "".join(fuzzy)
