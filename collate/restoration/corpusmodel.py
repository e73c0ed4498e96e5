"""Restoration models: what restoration ranks fillings with, in one file that loads in ms.

A :class:`Model` holds, over one sorted vocabulary,

- word frequencies of the language (wordfreq's lists: the full list for completions and the
  prior, the 40,000 commonest words that guide the search, the commonest words of each
  length that a lost whole word is chosen from) and the language's common word pairs with
  their coverage (symspellpy's bigram list) - the *general* part;
- word counts, lower-case counts and the commonest spelling of each word, word pair and
  triple counts (the triples also by their last two words, so that a lost word is judged by
  the words on both sides), casefolded character n-gram tables for Kneser-Ney and
  letter-case statistics of a corpus - the *corpus* part, built by :func:`build_model`
  (``collate model build``), pruned by :class:`Pruning`.

The built-in models (:func:`general_model`) are files of the same format, built once from
the packaged word lists, cached (see :func:`cache_dir`) and rebuilt when the format version
changes; nothing is downloaded. Every table is a sorted array (:mod:`.ngrams`) queried in
place on the memory-mapped file (bisection), so loading costs a map and a checksum of the
file, whatever the corpus's size; nothing is turned into Python dictionaries.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from collate.chars import BREAK, WORD
from collate.errors import InputError
from collate.restoration.calibrate import Calibrator
from collate.restoration.charlm import SortedKneserNey
from collate.restoration.modelfile import (
    FORMAT,
    ModelFileError,
    Sections,
    read_sections,
    text_array,
    text_list,
    write_sections,
)
from collate.restoration.ngrams import char_tables, find, range_of, word_tables

TOP = 40_000  #: commonest words of the language that guide the search
POOL = 2000  #: commonest words of each length a whole-word lacuna considers
FOLLOWERS = 40  #: most common followers (and predecessors) of a word offered as candidates
COVERAGE_TOP = 300  #: most common words whose listed share of pairs scales every word's
MAX_COVERAGE = 0.9  #: most of a word's following mass given to its listed pairs
CHAR_ORDER = 6  #: order of the corpus's character n-grams (that of the built-in model)
ROWS = 200_000  #: most pairs whose triple rows a model remembers (then it starts afresh)
MODELS = Path(__file__).resolve().parents[1] / "models"  #: where built-in corpus models ship
PROBE = 300  #: commonest words per language that language detection compares with
PROBE_LANGS = ("en", "fr", "de", "es", "it", "nl", "el")

#: General bigram lists by language: the package that ships one and its files (pair counts,
#: then word counts from the same source, which give each word's share of pairs listed).
GENERAL_BIGRAMS = {
    "en": (
        "symspellpy",
        "frequency_bigramdictionary_en_243_342.txt",
        "frequency_dictionary_en_82_765.txt",
    )
}

class Model:
    """A restoration model: a vocabulary with general and corpus statistics (see the module
    docstring). Load one with :func:`load_model`; build one with :func:`build_model`.

    Examples
    --------
    >>> m = build_model(["The cat sat. The cat ran. Clerval sat."], lang="en")
    >>> m.count("cat"), m.count("clerval"), m.form("clerval"), m.count("dog")
    (2, 1, 'Clerval', 0)
    >>> m.pair("the", "cat"), m.triple("the", "cat", "sat"), m.pair_margin("the")
    (2, 0, (2.0, 1.0))
    >>> m.followers("the"), m.inside("the", "ran"), m.before("cat", "sat")
    (['cat'], [], [])
    """

    def __init__(self, sections: Sections, source: str = "<memory>") -> None:
        self.lang = sections.lang
        self.meta = sections.meta
        self.source = source
        self._a = sections.arrays
        self._index_cache: dict[str, int] = {}
        self._count_cache: dict[str, int] = {}
        self._margins: dict[str, tuple[float, float]] = {}
        self._children: dict[str, frozenset[str]] = {}
        self._pairs: dict[tuple[str, str], tuple[float, float, int, int] | None] = {}

    def _arr(self, name: str, dtype: type = np.int32) -> np.ndarray:
        got = self._a.get(name)
        return got if got is not None else np.zeros(0, dtype=dtype)

    # -- vocabulary -------------------------------------------------------------------------
    @cached_property
    def words(self) -> list[str]:
        """The sorted vocabulary (casefolded words)."""
        return text_list(self._arr("words", np.uint8))

    def index(self, word: str) -> int:
        """Position of ``word`` in :attr:`words`, or -1."""
        got = self._index_cache.get(word)
        if got is None:
            words = self.words
            i = bisect_left(words, word)
            got = i if i < len(words) and words[i] == word else -1
            if len(self._index_cache) < 500_000:
                self._index_cache[word] = got
        return got

    def _at(self, word: str, column: str) -> Any:
        """The word's entry in the array ``column`` (``None``: unlisted word or no such
        array)."""
        i = self.index(word)
        values = self._a.get(column)
        return values[i] if i >= 0 and values is not None else None

    def frequency(self, word: str) -> float:
        """The word's frequency in the language (0.0 when unlisted)."""
        got = self._at(word, "freq")
        return 0.0 if got is None else float(got)

    def is_top(self, word: str) -> bool:
        """Whether ``word`` is one of the :data:`TOP` commonest words of the language."""
        got = self._at(word, "rank")
        return got is not None and bool(got >= 0)

    @property
    def has_general(self) -> bool:
        """Whether the model holds a language's word list (else only a corpus)."""
        return "freq" in self._a and bool(len(self._a["freq"]))

    def count(self, word: str) -> int:
        """How often the corpus has ``word`` (any case); remembered (every round's lexicon
        asks for the same words, and reading a NumPy cell costs more than the look-up)."""
        got = self._count_cache.get(word)
        if got is None:
            cell = self._at(word, "count")
            got = 0 if cell is None else int(cell)
            if len(self._count_cache) < 500_000:
                self._count_cache[word] = got
        return got

    def writes(self, word: str) -> bool:
        """Whether the corpus has ``word`` at all (any case)."""
        return self.count(word.casefold()) > 0

    def lower_count(self, word: str) -> int:
        """How often the corpus writes ``word`` in lower case."""
        got = self._at(word, "lower")
        return 0 if got is None else int(got)

    def form(self, word: str) -> str | None:
        """The corpus's commonest spelling of ``word`` (``None`` when it has none)."""
        i = self.index(word)
        return self.forms[i] if i >= 0 and self.forms and self.count(word) else None

    @cached_property
    def forms(self) -> list[str]:
        return text_list(self._arr("forms", np.uint8))

    @cached_property
    def total(self) -> int:
        """Running words of the corpus."""
        return int(self.meta.get("tokens", 0))

    @cached_property
    def top_words(self) -> list[str]:
        """The words that guide the search, sorted: the :data:`TOP` commonest of the
        language (a general model), every word of the corpus (a corpus model)."""
        rank = self._a.get("rank")
        if rank is None:
            return self.words
        return [self.words[i] for i in np.flatnonzero(rank >= 0).tolist()]

    @cached_property
    def _rev(self) -> np.ndarray:
        """Vocabulary positions sorted by reversed word (for suffix search)."""
        got = self._a.get("rev")
        return got if got is not None else np.zeros(0, dtype=np.int32)

    def children(self, prefix: str) -> frozenset[str]:
        """Letters that follow ``prefix`` inside one of :attr:`top_words`."""
        got = self._children.get(prefix)
        if got is not None:
            return got
        words, out, n = self.top_words, set(), len(prefix)
        i = bisect_left(words, prefix)
        while i < len(words) and words[i].startswith(prefix):
            if len(words[i]) > n:
                c = words[i][n]
                out.add(c)
                i = bisect_left(words, prefix + c + "\U0010ffff", i)
            else:
                i += 1
        self._children[prefix] = got = frozenset(out)
        return got

    def is_top_prefix(self, prefix: str) -> bool:
        """Whether one of :attr:`top_words` starts with ``prefix``."""
        words = self.top_words
        i = bisect_left(words, prefix)
        return i < len(words) and words[i].startswith(prefix)

    def matching(self, prefix: str, suffix: str, lengths: range) -> list[str]:
        """Listed words ``prefix + x + suffix`` with a length in ``lengths`` (bisection on the
        rarer side, then filtered)."""
        words = self.words
        return [words[i] for i in self._matching(prefix, suffix, lengths)]

    def frequent_matching(
        self, prefix: str, suffix: str, lengths: range
    ) -> list[tuple[str, float]]:
        """The words of :meth:`matching` with a frequency in the language, and that
        frequency (read from the array at once, not looked up word by word)."""
        ids, freq = self._matching(prefix, suffix, lengths), self._a.get("freq")
        if freq is None or not ids:
            return []
        words = self.words
        return [(words[i], f) for i, f in zip(ids, freq[ids].tolist(), strict=True) if f > 0]

    def _matching(self, prefix: str, suffix: str, lengths: range) -> list[int]:
        """The positions in :attr:`words` of :meth:`matching`'s words."""
        words, sizes = self.words, self._arr("lens", np.uint8)
        lo = bisect_left(words, prefix)
        hi = bisect_left(words, prefix + "\U0010ffff")
        ids = np.arange(lo, hi)
        if suffix:
            rev, rs = self._rev, suffix[::-1]
            rlo = bisect_left(rev, rs, key=lambda i: words[i][::-1])
            rhi = bisect_left(rev, rs + "\U0010ffff", key=lambda i: words[i][::-1])
            if not prefix or rhi - rlo < hi - lo:
                ids = rev[rlo:rhi]
        # lengths filtered on the array first: only words of a fitting length are read
        size = sizes[ids] if len(sizes) else np.full(len(ids), lengths.start)
        ids = ids[(size >= lengths.start) & (size < lengths.stop)]
        return [
            i for i in ids.tolist()
            if len(w := words[i]) in lengths and w.startswith(prefix) and w.endswith(suffix)
        ]

    def pool(self, length: int) -> list[str]:
        """The :data:`POOL` commonest words of ``length`` characters, commonest first."""
        ptr, ids = self._arr("pool_ptr"), self._arr("pool_ids")
        if length + 1 >= len(ptr):
            return []
        return [self.words[i] for i in ids[ptr[length] : ptr[length + 1]].tolist()]

    # -- general bigrams --------------------------------------------------------------------
    def general_prob(self, a: str, b: str, unigram: float) -> float:
        """P(b | a) from the language's listed pairs, backed off to ``unigram``."""
        ia = self.index(a)
        cover = self._a.get("bg_cover")
        if ia < 0 or cover is None or not cover[ia] > 0:
            return unigram
        c = float(cover[ia])
        ptr = self._a["bg_ptr"]
        lo, hi = int(ptr[ia]), int(ptr[ia + 1])
        ib = self.index(b)
        listed = 0.0
        if ib >= 0:
            row = self._a["bg_b"][lo:hi]
            k = int(np.searchsorted(row, ib))
            if k < hi - lo and row[k] == ib:
                listed = float(self._a["bg_p"][lo + k])
        return listed + (1.0 - c) * unigram

    @property
    def has_bigrams(self) -> bool:
        """Whether the model lists the language's common word pairs."""
        return "bg_cover" in self._a

    def general_neighbours(self, prev: str | None, nxt: str | None) -> list[str]:
        """The commonest listed words after ``prev`` and before ``nxt`` (casefolded)."""
        out: list[str] = []
        for word, name in ((prev, "nx"), (nxt, "pv")):
            i = self.index(word.casefold()) if word else -1
            ptr = self._a.get(f"{name}_ptr")
            if i < 0 or ptr is None:
                continue
            ids = self._a[f"{name}_ids"][int(ptr[i]) : int(ptr[i + 1])]
            out += [self.words[j] for j in ids.tolist()]
        return out

    # -- corpus n-grams, read in place ------------------------------------------------------
    @cached_property
    def _v(self) -> int:
        return len(self.words)

    def pair(self, a: str, b: str) -> int:
        """How often the corpus has the word pair ``a b`` (casefolded; 0 if pruned)."""
        ia, ib = self.index(a), self.index(b)
        ptr = self._a.get("b2_ptr")
        if ia < 0 or ib < 0 or ptr is None:
            return 0
        i = find(self._a["b2_b"], ib, int(ptr[ia]), int(ptr[ia + 1]))
        return int(self._a["b2_n"][i]) if i >= 0 else 0

    def pair_margin(self, a: str) -> tuple[float, float]:
        """(how often ``a`` comes first in a pair, its followers' types; a pruned
        follower's count weighs as extra types, see :data:`~.ngrams.DISCOUNT`; remembered)."""
        got = self._margins.get(a)
        if got is None:
            ia = self.index(a)
            got = (0.0, 0.0) if ia < 0 or "b2_sum" not in self._a else (
                float(self._a["b2_sum"][ia]), float(self._a["b2_t"][ia]))
            if len(self._margins) < 500_000:
                self._margins[a] = got
        return got

    def _triples(self, u: str, a: str, table: str = "t3") -> tuple[int, int, int]:
        """(row, first, end) of the pair ``u a`` in a triple table (row -1: none)."""
        iu, ia = self.index(u), self.index(a)
        keys = self._a.get(f"{table}_key")
        if iu < 0 or ia < 0 or keys is None:
            return -1, 0, 0
        i = find(keys, iu * self._v + ia)
        if i < 0:
            return -1, 0, 0
        ptr = self._a[f"{table}_ptr"]
        return i, int(ptr[i]), int(ptr[i + 1])

    def _third(self, u: str, a: str) -> tuple[float, float, int, int] | None:
        """(margins of :meth:`triple_margin`, first, end of the words after ``u a``), read
        once per pair."""
        key = (u, a)
        got = self._pairs.get(key, ())
        if got == ():
            if len(self._pairs) > ROWS:
                self._pairs.clear()
            i, lo, hi = self._triples(u, a)
            got = None if i < 0 else (
                float(self._a["t3_sum"][i]), float(self._a["t3_t"][i]), lo, hi)
            self._pairs[key] = got
        return got

    def triple(self, u: str, a: str, w: str) -> int:
        """How often the corpus has the words ``u a w`` (casefolded; 0 if pruned)."""
        row, iw = self._third(u, a), self.index(w)
        if row is None or iw < 0:
            return 0
        k = find(self._a["t3_c"], iw, row[2], row[3])
        return int(self._a["t3_n"][k]) if k >= 0 else 0

    def triple_margin(self, u: str, a: str) -> tuple[float, float]:
        """(how often the pair ``u a`` is followed by a word, the types after it)."""
        row = self._third(u, a)
        return (row[0], row[1]) if row is not None else (0.0, 0.0)

    def followers(self, a: str) -> list[str]:
        """The :data:`FOLLOWERS` commonest words after ``a`` in the corpus (ties by word)."""
        ia, ptr = self.index(a), self._a.get("b2_ptr")
        if ia < 0 or ptr is None:
            return []
        lo, hi = int(ptr[ia]), int(ptr[ia + 1])
        counts = self._a["b2_n"][lo:hi].astype(np.int64)
        top = np.argsort(-counts, kind="stable")[:FOLLOWERS]
        return [self.words[j] for j in self._a["b2_b"][lo:hi][top].tolist()]

    def leaders(self, b: str) -> list[str]:
        """The :data:`FOLLOWERS` commonest words before ``b`` in the corpus."""
        return self._csr("b2l", b)

    def _csr(self, name: str, word: str) -> list[str]:
        i, ptr = self.index(word), self._a.get(f"{name}_ptr")
        if i < 0 or ptr is None:
            return []
        ids = self._a[f"{name}_ids"][int(ptr[i]) : int(ptr[i + 1])]
        return [self.words[j] for j in ids.tolist()]

    def after(self, u: str, a: str, keep: int | None = None) -> list[str]:
        """The words seen after the pair ``u a``, commonest first (the first ``keep``)."""
        i, lo, hi = self._triples(u, a)
        if i < 0:
            return []
        counts = self._a["t3_n"][lo:hi]
        order = np.argsort(-counts.astype(np.int64), kind="stable")[:keep]
        return [self.words[j] for j in self._a["t3_c"][lo:hi][order].tolist()]

    def before(self, b: str, c: str) -> list[str]:
        """The :data:`FOLLOWERS` commonest words seen before the pair ``b c``."""
        i, lo, hi = self._triples(c, b, "r3")  # keyed by (last, middle)
        if i < 0:
            return []
        return [self.words[j] for j in self._a["r3_c"][lo : min(hi, lo + FOLLOWERS)].tolist()]

    def inside(self, a: str, c: str) -> list[str]:
        """The :data:`FOLLOWERS` commonest words seen between ``a`` and ``c``."""
        ia, ic, keys = self.index(a), self.index(c), self._a.get("t3_key")
        if ia < 0 or ic < 0 or keys is None:
            return []
        first, end = range_of(keys, ia * self._v, (ia + 1) * self._v)
        ptr = self._a["t3_ptr"]
        lo, hi = int(ptr[first]), int(ptr[end])
        hits = np.flatnonzero(self._a["t3_c"][lo:hi] == ic) + lo
        if not len(hits):
            return []
        rows = np.searchsorted(ptr, hits, side="right") - 1
        order = np.argsort(-self._a["t3_n"][hits].astype(np.int64), kind="stable")[:FOLLOWERS]
        return [self.words[j] for j in (keys[rows[order]] % self._v).tolist()]

    def case_counts(self) -> tuple[dict[str, tuple[int, int]], ...]:
        """Letter-case statistics: for histories of 0-3 characters, (capitals, letters)."""
        return self._case

    @cached_property
    def _case(self) -> tuple[dict[str, tuple[int, int]], ...]:
        return tuple({h: (u, n) for h, u, n in level} for level in self.meta.get("case", []))

    def char_model(self) -> SortedKneserNey | None:
        """The Kneser-Ney model of the corpus's character n-grams, read in place (``None``
        without any; one per model, its remembered rows shared)."""
        return self._chars

    @cached_property
    def _chars(self) -> SortedKneserNey | None:
        chars = self.meta.get("chars")
        return SortedKneserNey(self._a, chars) if chars and "c1_k" in self._a else None

    def describe(self) -> str:
        """One line on what the model holds.

        >>> build_model(["the cat sat"], lang="en").describe()  # pruned: all seen once
        'corpus model, lang en: 3 words, 3 types, 2 word pairs, 0 triples, 0 character 6-grams'
        """
        a = self._a
        if self.meta.get("kind") == "general":
            return f"general model, lang {self.lang}: {len(self.words)} words"
        order = self.meta.get("chars", {}).get("order", CHAR_ORDER)
        return (f"corpus model, lang {self.lang}: {self.total} words, {len(self.words)} types, "
                f"{len(a.get('b2_b', ()))} word pairs, {len(a.get('t3_c', ()))} triples, "
                f"{len(a.get(f'c{order}_k', ()))} character {order}-grams")

    @cached_property
    def calibrator(self) -> Calibrator | None:
        """The confidence map fitted on the corpus when the model was built (the prior of a
        document's own map), or ``None`` where the file holds none."""
        groups = self.meta.get("calibration")
        return None if groups is None else Calibrator.from_table(groups, self._a["calibration"])

    def with_calibration(self, cal: Calibrator) -> Model:
        """This model with ``cal`` as its stored confidence map (section ``calibration``)."""
        groups, points = cal.table()
        return Model(Sections(self.lang, {**self.meta, "calibration": groups},
                              {**self._a, "calibration": points}), self.source)

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the model to ``path`` (atomically)."""
        write_sections(path, self.lang, self.meta, dict(self._a))


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files a corpus is read from: each file given, and the ``.txt`` files of each
    folder given, recursively (hidden ones skipped), sorted.

    Raises
    ------
    InputError
        When a path does not exist or no text file is found.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*.txt")
                            if f.is_file() and not any(x.startswith(".") for x in
                                                       f.relative_to(p).parts))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(str(p), "no such file or folder")
    if not files:
        raise InputError(", ".join(map(str, paths)), "no .txt file found")
    return files


def load_model(path: str | Path) -> Model:
    """Load a model file (see :mod:`collate.restoration.modelfile`).

    Raises
    ------
    ModelFileError
        When the file is missing, truncated, corrupt, foreign or of another format version.
    """
    sections = read_sections(path)
    if sections.meta.get("kind") not in ("general", "corpus"):
        raise ModelFileError(str(path), "not a restoration model (unknown kind)")
    return Model(sections, str(path))


def resolve(model: Model | str | Path | None) -> Model | None:
    """A model given as a path is loaded (once per process while the file is unchanged);
    an object or ``None`` passes through."""
    if model is None or isinstance(model, Model):
        return model
    try:
        stat = os.stat(model)
    except OSError as err:
        raise ModelFileError(str(model), f"cannot read model: {err.strerror or err}") from None
    return _loaded(str(model), stat.st_mtime_ns, stat.st_size)


def shipped_path(lang: str) -> Path:
    """Where the built-in corpus model of ``lang`` ships: package data, written by ``make
    models`` (``scripts/build_models.py``).

    >>> shipped_path("en").name
    'en.model'
    """
    return MODELS / f"{lang}.model"


@lru_cache(maxsize=4)
def shipped_model(lang: str | None) -> Model | None:
    """The built-in corpus model of ``lang`` (English, German: from the ELTeC novels), or
    ``None`` where the package holds none (restoration then learns from the document and
    the word lists alone).

    Raises
    ------
    ModelFileError
        When the shipped file is damaged.
    """
    if not lang or not shipped_path(lang).is_file():
        return None
    return resolve(shipped_path(lang))


@lru_cache(maxsize=4)
def _loaded(path: str, mtime_ns: int, size: int) -> Model:
    return load_model(path)


# -- building ---------------------------------------------------------------------------------
def _vocab_arrays(words: list[str]) -> dict[str, np.ndarray]:
    rev = sorted(range(len(words)), key=lambda i: words[i][::-1])
    return {
        "words": text_array(words),
        "rev": np.asarray(rev, dtype=np.int32),
        "lens": np.asarray([min(len(w), 255) for w in words], dtype=np.uint8),
    }


def _csr(lists: dict[int, list[int]], n: int, prefix: str) -> dict[str, np.ndarray]:
    ptr = np.zeros(n + 1, dtype=np.int32)
    ids: list[int] = []
    for i in range(n):
        ids += lists.get(i, [])
        ptr[i + 1] = len(ids)
    return {f"{prefix}_ptr": ptr, f"{prefix}_ids": np.asarray(ids, dtype=np.int32)}


@dataclass(frozen=True)
class Pruning:
    """Sightings an n-gram needs to be kept in a corpus model: words (one seen less often
    is left out, and parts the word n-grams around it), word pairs, word triples, and
    character n-grams of each order (1 to :data:`CHAR_ORDER`; raw counts at the top,
    continuation counts below). :data:`USER` (``collate model build``) drops the triples and
    character 6-grams seen once: all of ``eltec_eng`` makes a 70 MB file that loads in
    0.7 s. :data:`SHIPPED` must keep each built-in model under 30 MB; within that budget it
    was chosen by top-1 on the DEV novels of ``scripts/build_models.py`` (ranking only,
    ``benchmarks/bench_models.py --only dev``, 400 places): English, triples from 4 and
    character 6-grams from 5 (24.6 MB) 51.2 %, more triples (from 3) and fewer 6-grams
    (from 9) 51.0 % (24.9 MB), fewer triples (from 6) and more 6-grams (from 3) 51.5 %
    (23.8 MB, kept: the smallest and no worse; the three differ by less than the sampling
    error, about 2.5 points)."""

    words: int = 1
    pairs: int = 1
    triples: int = 2
    chars: tuple[int, ...] = (1, 1, 1, 1, 1, 2)


USER = Pruning()
SHIPPED = Pruning(words=2, pairs=4, triples=6, chars=(1, 1, 1, 1, 2, 3))


def build_model(texts: Iterable[str], *, lang: str | None = None,
                prune: Pruning = USER) -> Model:
    """A corpus model of ``texts``: word, pair, triple, character n-gram and case counts,
    as sorted tables (:mod:`~collate.restoration.ngrams`), pruned by ``prune``.

    Words touching a :data:`~collate.chars.BREAK` (a lost stretch) are left out; no n-gram
    crosses one.
    """
    texts = [t.replace("\r\n", "\n") for t in texts]
    forms: Counter[str] = Counter()
    ids: dict[str, int] = {}
    seq = array("i")
    for text in texts:
        for chunk in text.split(BREAK):
            found = WORD.findall(chunk)
            forms.update(found)
            seq.extend([ids.setdefault(w.casefold(), len(ids)) for w in found])
            seq.append(-1)
    seen = np.bincount(np.frombuffer(seq, dtype=np.int32) + 1, minlength=len(ids) + 1)[1:]
    words = sorted(w for w, i in ids.items() if seen[i] >= prune.words)
    new = np.full(len(ids) + 1, -1, dtype=np.int32)  # a word left out parts n-grams too
    new[[ids[w] for w in words]] = np.arange(len(words), dtype=np.int32)
    stream = new[np.frombuffer(seq, dtype=np.int32)]
    del seq, ids
    if prune.words > 1:
        kept = set(words)
        forms = Counter({f: c for f, c in forms.items() if f.casefold() in kept})
    arrays = _vocab_arrays(words) | _word_counts(words, forms, stream)
    arrays |= word_tables(stream, len(words), prune.pairs, prune.triples)
    chars, char_meta = char_tables(texts, CHAR_ORDER, prune.chars)
    arrays |= chars
    meta = {"kind": "corpus", "tokens": int(arrays["count"].sum()), "texts": len(texts),
            "case": _case_stats(texts), "chars": char_meta}
    return Model(Sections(lang or "und", meta, arrays))


def _word_counts(words: list[str], forms: Counter[str], stream: np.ndarray
                 ) -> dict[str, np.ndarray]:
    """Each word's count, lower-case count and commonest spelling, and the :data:`POOL`
    commonest words of each length."""
    count = np.bincount(stream[stream >= 0], minlength=len(words)).astype(np.uint32)
    lower: Counter[str] = Counter()
    best: dict[str, tuple[int, str]] = {}
    for form, c in sorted(forms.items()):
        w = form.casefold()
        lower[w] += c if form == w else 0
        if c > best.get(w, (0, ""))[0]:
            best[w] = (c, form)
    by_length: dict[int, list[int]] = {}
    for i in np.lexsort((np.arange(len(words)), -count.astype(np.int64))).tolist():
        got = by_length.setdefault(len(words[i]), [])
        if len(got) < POOL:
            got.append(i)
    return {"count": count,
            "lower": np.asarray([lower[w] for w in words], dtype=np.uint32),
            "forms": text_array([best[w][1] for w in words]),
            **_pools(by_length)}


def _pools(by_length: dict[int, list[int]]) -> dict[str, np.ndarray]:
    """Lists of word ids by word length as a CSR pointer and ids."""
    longest = max(by_length, default=0)
    ptr = np.zeros(longest + 2, dtype=np.int32)
    flat: list[int] = []
    for n in range(longest + 1):
        flat += by_length.get(n, [])
        ptr[n + 1] = len(flat)
    return {"pool_ptr": ptr, "pool_ids": np.asarray(flat, dtype=np.int32)}


def _case_stats(texts: list[str], sample: int = 2_000_000) -> list[list[list]]:
    """(history, capitals, letters) for cased letters after 0-3 characters (seen twice)."""
    levels: list[Counter[str]] = [Counter() for _ in range(4)]
    ups: list[Counter[str]] = [Counter() for _ in range(4)]
    room = sample
    for t in texts:
        t = t[:room]
        room -= len(t)
        for i, ch in enumerate(t):
            if ch.isupper() or ch.islower():
                for k in range(4):
                    h = t[max(0, i - k) : i]
                    levels[k][h] += 1
                    if ch.isupper():
                        ups[k][h] += 1
    return [[[h, ups[k][h], n] for h, n in sorted(levels[k].items()) if n >= 2]
            for k in range(4)]


# -- the built-in general models ------------------------------------------------------------------
def cache_dir() -> Path:
    """Where built-in models are cached: ``$COLLATE_CACHE``, else ``$XDG_CACHE_HOME/collate``,
    else ``~/.cache/collate``."""
    if os.environ.get("COLLATE_CACHE"):
        return Path(os.environ["COLLATE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "collate"


def _wordfreq(lang: str) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """wordfreq's full list of ``lang`` (words only) and its :data:`TOP` commonest words."""
    try:
        import wordfreq

        large = wordfreq.get_frequency_dict(lang, wordlist="large")
        best = wordfreq.get_frequency_dict(lang)
        top = [(w, best.get(w, 0.0)) for w in wordfreq.top_n_list(lang, TOP)]
    except (LookupError, ValueError, ImportError):
        return {}, []
    return {w: f for w, f in large.items() if WORD.fullmatch(w)}, top


def _general_pairs(lang: str) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """The language's listed word pairs and the word counts of the same source."""
    if lang not in GENERAL_BIGRAMS:
        return [], {}
    package, pair_file, word_file = GENERAL_BIGRAMS[lang]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return [], {}
    folder = Path(spec.origin).parent
    try:
        rows = [
            line.split()
            for name in (word_file, pair_file)
            for line in (folder / name).read_text(encoding="utf-8").splitlines()
        ]
    except (OSError, UnicodeDecodeError):  # unreadable or not UTF-8: do without
        return [], {}
    words = {p[0]: int(p[1]) for p in rows if len(p) == 2 and p[1].isdigit()}
    pairs = [(p[0], p[1], int(p[2])) for p in rows if len(p) == 3 and p[2].isdigit()]
    return pairs, words


def build_general(lang: str) -> Model:
    """The built-in model of ``lang`` from the packaged word lists (no network)."""
    large, top = _wordfreq(lang)
    pairs, pair_words = _general_pairs(lang)
    freq = dict(top) | large
    vocab = sorted(set(freq) | {a for a, _, _ in pairs} | {b for _, b, _ in pairs})
    ids = {w: i for i, w in enumerate(vocab)}
    arrays = _vocab_arrays(vocab)
    arrays["freq"] = np.asarray([freq.get(w, 0.0) for w in vocab], dtype=np.float32)
    rank = np.full(len(vocab), -1, dtype=np.int32)
    for r, (w, _) in enumerate(top):
        rank[ids[w]] = r
    arrays["rank"] = rank
    by_length: dict[int, list[int]] = {}
    for w in sorted(large, key=lambda w: (-large[w], w)):
        got = by_length.setdefault(len(w), [])
        if len(got) < POOL:
            got.append(ids[w])
    arrays |= _pools(by_length)
    if pairs:
        arrays |= _general_bigrams(pairs, pair_words, vocab, ids)
    meta = {"kind": "general", "source": "wordfreq" + (" + symspellpy" if pairs else "")}
    return Model(Sections(lang, meta, arrays))


def _general_bigrams(
    pairs: list[tuple[str, str, int]], words: dict[str, int], vocab: list[str], ids: dict[str, int]
) -> dict[str, np.ndarray]:
    """Listed pair probabilities with each word's coverage: the share of its pairs the list
    holds (its listed pair mass over its word count, scaled so the best-covered common words
    reach :data:`MAX_COVERAGE`); ``P(b | a) = c(a, b) / mass(a) * cover(a)`` for listed pairs."""
    mass: Counter[str] = Counter()
    for a, _, c in pairs:
        mass[a] += c
    common = sorted((w for w in words if w in mass), key=lambda w: (-words[w], w))
    scale = max((mass[w] / words[w] for w in common[:COVERAGE_TOP]), default=1.0)
    n = len(vocab)
    cover = np.zeros(n, dtype=np.float32)
    for a in mass:
        cover[ids[a]] = min(MAX_COVERAGE, mass[a] / (scale * words[a])) if words.get(a) else 0.5
    rows = sorted((ids[a], ids[b], c) for a, b, c in pairs)
    a_ids = np.asarray([r[0] for r in rows], dtype=np.int32)
    probs = [float(cover[a]) * c / mass[vocab[a]] for a, _, c in rows]
    nxt: dict[int, list[tuple[int, int]]] = {}
    prv: dict[int, list[tuple[int, int]]] = {}
    for a, b, c in rows:
        nxt.setdefault(a, []).append((-c, b))
        prv.setdefault(b, []).append((-c, a))
    return {
        "bg_cover": cover,
        "bg_ptr": np.searchsorted(a_ids, np.arange(n + 1)).astype(np.int32),
        "bg_b": np.asarray([r[1] for r in rows], dtype=np.int32),
        "bg_p": np.asarray(probs, dtype=np.float32),
        **_csr(_tops(nxt, vocab), n, "nx"),
        **_csr(_tops(prv, vocab), n, "pv"),
    }


def _tops(lists: dict[int, list[tuple[int, int]]], vocab: list[str]) -> dict[int, list[int]]:
    """The :data:`FOLLOWERS` commonest of each list (ties by word)."""
    return {k: [j for _, j in sorted(v, key=lambda t: (t[0], vocab[t[1]]))[:FOLLOWERS]]
            for k, v in lists.items()}


@lru_cache(maxsize=16)
def listed(lang: str | None) -> bool:
    """Whether wordfreq has a list for exactly ``lang`` (for another it warns and answers
    with the nearest language it has: Italian for Latin, which must not stand in).

    >>> listed("en"), listed("la"), listed(None)
    (True, False, False)
    """
    try:
        import wordfreq
    except ImportError:
        return False
    return bool(lang) and lang in wordfreq.available_languages()


@lru_cache(maxsize=8)
def general_model(lang: str | None) -> Model | None:
    """The built-in model of ``lang`` (``None`` for no language or one wordfreq lacks): read
    from the cache, else built from the packaged lists and cached atomically (the cache is
    read first: asking wordfreq which languages it lists costs more than a load)."""
    if not lang:
        return None
    path = cache_dir() / f"{lang}.v{FORMAT}.model"
    try:
        return load_model(path)
    except InputError:
        pass
    if not listed(lang):
        return None
    model = build_general(lang)
    if not model.has_general:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        model.save(path)
        for stale in path.parent.glob(f"{lang}.v*.model"):  # other format versions
            if stale != path:
                stale.unlink(missing_ok=True)
        return load_model(path)
    except (OSError, InputError) as err:  # an unwritable cache: use the model from memory
        print(f"collate: warning: cannot cache {path}: {err}", file=sys.stderr)
        return model


@lru_cache(maxsize=1)
def probe_words() -> dict[str, frozenset[str]]:
    """The :data:`PROBE` commonest words of each language language detection compares with
    (cached beside the built-in models)."""
    path = cache_dir() / f"probe.v{FORMAT}.json"
    try:
        got = json.loads(path.read_text(encoding="utf-8"))
        return {k: frozenset(v) for k, v in got.items()}
    except (OSError, ValueError):
        pass
    lists: dict[str, list[str]] = {}
    try:
        import wordfreq

        for lang in PROBE_LANGS:
            try:
                lists[lang] = wordfreq.top_n_list(lang, PROBE)
            except (LookupError, ValueError):
                continue
    except ImportError:
        return {}
    try:
        from collate.storage import atomic_write

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(lists, ensure_ascii=False))
    except OSError:
        pass
    return {k: frozenset(v) for k, v in lists.items()}
