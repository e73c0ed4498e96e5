"""What the aligner works on: the two sides of an alignment (:class:`Side`, a witness or
the table so far, one entry per position) and the options and id vocabulary of one run
(:class:`Context`); :mod:`collate.alignment.pairwise` and :mod:`collate.alignment.variants`
both read them, so neither has to import the other for them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import count, filterfalse
from typing import Any

import numpy as np
import regex

from collate.chars import WORD_CHAR, WORD_CLASS
from collate.model import Lacuna, Token, Tokens

Opcode = tuple[str, int, int, int, int]
Scorer = Callable[..., float]


@dataclass
class Side:
    """One witness (or the table so far) prepared for alignment, one entry per position.

    ``ids`` are the exact-match ids of the keys (a damaged token gets an id of its own, so it
    never matches exactly); ``alts`` holds, for a table column, the keys of every reading in it
    (``None`` for a plain witness). ``words`` lists the positions that are not punctuation,
    ``word_ids`` their ids: the exact layer sees only these.
    """

    tokens: Sequence[Token]
    keys: list[str]
    ids: list[int]
    damaged: list[bool]
    whole: list[bool]  # the token is nothing but lacuna
    punct: list[bool]  # an intact token without a word character
    alts: list[tuple[str, ...]] | None = None
    words: np.ndarray = field(init=False)
    word_ids: list[int] = field(init=False)

    @cached_property
    def id_array(self) -> np.ndarray:
        """``ids`` as a NumPy array (without making the token objects :attr:`arrays` holds)."""
        return np.asarray(self.ids, dtype=np.int64)

    @cached_property
    def arrays(self) -> dict[str, np.ndarray]:
        """The per-position fields but the tokens as NumPy arrays (for gathering a table's
        columns; their tokens are gathered as :class:`Picked`)."""
        keys = np.empty(len(self.ids), dtype=object)
        keys[:] = self.keys
        return {"keys": keys, "ids": self.id_array,
                "damaged": np.asarray(self.damaged, dtype=bool),
                "whole": np.asarray(self.whole, dtype=bool),
                "punct": np.asarray(self.punct, dtype=bool)}

    def keys_at(self, i: int) -> tuple[str, ...]:
        """The keys position ``i`` matches: every reading of a table's column, else its own."""
        return self.alts[i : i + 1][0] if self.alts is not None else (self.keys[i],)

    def token(self, i: int) -> Token:
        """The token at position ``i`` (made alone where the tokens are packed)."""
        return token_at(self.tokens, i)

    def __post_init__(self) -> None:
        punct = self.punct
        self.words = np.flatnonzero(~np.asarray(punct, dtype=bool)) if punct else np.empty(
            0, np.int64)
        ids = self.ids
        self.word_ids = [ids[k] for k in self.words.tolist()]


class Picked(Sequence[Token]):
    """The tokens at a table's positions, each read from one witness when asked for: the
    table (a profile) of books never holds a token object per column.

    >>> from collate.tokens import token_columns
    >>> a, b = token_columns("x y"), token_columns("z")
    >>> [t.text for t in Picked([a, b], np.array([1, 0]), np.array([0, 1]))]
    ['z', 'y']
    """

    def __init__(self, sources: Sequence[Sequence[Token]], which: np.ndarray,
                 index: np.ndarray) -> None:
        self.sources, self.which, self.index = sources, which, index

    def __len__(self) -> int:
        return len(self.which)

    def __getitem__(self, i: int) -> Token:  # type: ignore[override]
        if not -len(self.which) <= i < len(self.which):
            raise IndexError(i)
        return token_at(self.sources[int(self.which[i])], int(self.index[i]))


def token_at(tokens: Sequence[Token], i: int) -> Token:
    """Token ``i`` of ``tokens``, made alone where they are packed (:meth:`Tokens.token`)."""
    return tokens.token(i) if isinstance(tokens, Tokens) else tokens[i]


@dataclass
class Context:
    """The matching options of one alignment run, and the id vocabulary its sides share."""

    near: float | None
    scorer: Scorer
    native: bool  # scorer is a rapidfuzz function: cdist can batch it
    bounds: tuple[float, float]  # (worst, optimal) score, mapped onto 0 and 1
    processor: Callable[[str], str] | None
    vocab: dict[str, int] = field(default_factory=dict)
    patterns: dict[Token, Any] = field(default_factory=dict)
    damaged_ids: int = 0
    _punct: dict[str, bool] = field(default_factory=dict)

    def fresh_id(self) -> int:
        """An id that matches nothing (for damaged tokens and composite readings)."""
        self.damaged_ids += 1
        return -self.damaged_ids

    def side(self, tokens: Sequence[Token]) -> Side:
        """A witness's tokens prepared for matching (read from their columns, without making
        a token object, where they are :class:`~collate.model.Tokens`; else read from the
        tokens without packing them)."""
        if isinstance(tokens, Tokens):
            norms, texts = tokens.norms, tokens.texts
            lost = {k: (x, tokens.starts[k], tokens.ends[k]) for k, x in tokens.damage.items()}
        else:
            norms, texts = [t.norm for t in tokens], [t.text for t in tokens]
            lost = {k: (t.lacunae, t.start, t.end) for k, t in enumerate(tokens) if t.lacunae}
        proc = self.processor
        if proc:  # once per distinct normal form (a book repeats its words)
            folded = {n: proc(n) for n in dict.fromkeys(norms)}
            keys = list(map(folded.__getitem__, norms))
        else:
            keys = list(norms)
        vocab = self.vocab  # an id for each distinct key, in order of first occurrence
        vocab.update(zip(filterfalse(vocab.__contains__, dict.fromkeys(keys)), count(len(vocab))))
        ids = list(map(vocab.__getitem__, keys))
        damaged = [False] * len(keys)
        whole = [False] * len(keys)
        cache = self._punct
        cache.update(punctuation([t for t in dict.fromkeys(texts) if t not in cache]))
        punct = list(map(cache.__getitem__, texts))
        for k in sorted(lost):
            ids[k] = self.fresh_id()
            damaged[k] = True
            whole[k] = is_whole_lacuna(*lost[k])
            punct[k] = False
        return Side(tokens, keys, ids, damaged, whole, punct)


_NOT_WORD = regex.compile(rf"[^{WORD_CLASS}\x00]+")
"""Every run of characters that are no :data:`~collate.chars.WORD_CHAR` (nor ``\\x00``)."""


def punctuation(texts: list[str]) -> dict[str, bool]:
    """Whether each text is punctuation to the aligner: no word character, and no logogram
    (:data:`LOGOGRAMS`). Texts without ``\\x00`` are read in one pass over them all, joined
    (a call per text costs more than the search).

    >>> punctuation([",", "a", "—", "&", "1.", ""])
    {',': True, 'a': False, '—': True, '&': False, '1.': False, '': True}
    """
    joined = "\x00".join(texts)
    if joined.count("\x00") + 1 == len(texts):
        words = _NOT_WORD.sub("", joined).split("\x00")
    else:
        words = ["" if WORD_CHAR.search(t) is None else t for t in texts]
    return {t: not w and t not in LOGOGRAMS for t, w in zip(texts, words, strict=True)}


LOGOGRAMS = frozenset({"&", "\u204a"})
"""Signs without a letter that stand for a word (``&``, the Tironian et ``⁊``): words to the
aligner, so ``days & nights`` reads ``&`` opposite ``and`` in ``days and nights``."""


def is_whole_lacuna(lacunae: Sequence[Lacuna], start: int, end: int) -> bool:
    """Whether the token from ``start`` to ``end`` with ``lacunae`` is nothing but lacuna
    (``□□□``, ``[...]``)."""
    covered = sum(min(x.end, end) - max(x.start, start) for x in lacunae)
    return covered >= end - start
