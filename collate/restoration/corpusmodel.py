"""Restoration models: what restoration ranks fillings with, in one file that loads in ms.

A :class:`Model` holds, over one sorted vocabulary,

- word frequencies of the language (wordfreq's lists: the full list for completions and the
  prior, the 40,000 commonest words that guide the search, the commonest words of each
  length that a lost whole word is chosen from) and the language's common word pairs with
  their coverage (symspellpy's bigram list) - the *general* part;
- word counts, lower-case counts and the commonest spelling of each word, word bigram and
  trigram counts, casefolded character n-gram counts and letter-case statistics of a
  corpus - the *corpus* part, built by :func:`build_model` (``collate model build``).

The built-in models (:func:`general_model`) are files of the same format, built once from
the packaged word lists, cached (see :func:`cache_dir`) and rebuilt when the format version
changes; nothing is downloaded. Lookups work on the memory-mapped arrays directly (bisection
in the sorted vocabulary), so loading costs a read of the file; the few tables that need
Python dictionaries (the corpus's n-grams) are built on first use, once per process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from collate.chars import BREAK, WORD
from collate.errors import InputError
from collate.restoration.charlm import KneserNey
from collate.restoration.modelfile import (
    FORMAT,
    ModelFileError,
    Sections,
    grams_array,
    grams_list,
    read_sections,
    text_array,
    text_list,
    write_sections,
)

TOP = 40_000  #: commonest words of the language that guide the search
POOL = 2000  #: commonest words of each length a whole-word lacuna considers
FOLLOWERS = 40  #: most common followers (and predecessors) of a word offered as candidates
COVERAGE_TOP = 300  #: most common words whose listed share of pairs scales every word's
MAX_COVERAGE = 0.9  #: most of a word's following mass given to its listed pairs
CHAR_ORDER = 6  #: order of the corpus's character n-grams (that of the built-in model)
MAX_CHAR_GRAMS = 400_000  #: most character n-grams a corpus model keeps (commonest first)
MAX_TRIGRAMS = 600_000  #: most word trigrams a corpus model keeps (commonest first)
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

_EMPTY_I = np.zeros(0, dtype=np.int32)


class Model:
    """A restoration model: a vocabulary with general and corpus statistics (see the module
    docstring). Load one with :func:`load_model`; build one with :func:`build_model`.

    Examples
    --------
    >>> m = build_model(["The cat sat. The cat ran. Clerval sat."], lang="en")
    >>> m.count("cat"), m.count("clerval"), m.form("clerval"), m.count("dog")
    (2, 1, 'Clerval', 0)
    >>> m.bigram_counts()[("the", "cat")], m.trigram_counts()[("the", "cat", "sat")]
    (2, 1)
    """

    def __init__(self, sections: Sections, source: str = "<memory>") -> None:
        self.lang = sections.lang
        self.meta = sections.meta
        self.source = source
        self._a = sections.arrays
        self._index_cache: dict[str, int] = {}
        self._children: dict[str, frozenset[str]] = {}

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
        """How often the corpus has ``word`` (any case)."""
        got = self._at(word, "count")
        return 0 if got is None else int(got)

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
    def corpus_words(self) -> list[str]:
        """The words the corpus has, sorted."""
        counts = self._arr("count", np.uint32)
        return [self.words[i] for i in np.flatnonzero(counts).tolist()]

    @cached_property
    def top_words(self) -> list[str]:
        """The :data:`TOP` commonest words of the language, sorted."""
        rank = self._arr("rank")
        return [self.words[i] for i in np.flatnonzero(rank >= 0).tolist()]

    @cached_property
    def _rev(self) -> np.ndarray:
        """Vocabulary positions sorted by reversed word (for suffix search)."""
        got = self._a.get("rev")
        return got if got is not None else np.zeros(0, dtype=np.int32)

    def children(self, prefix: str) -> frozenset[str]:
        """Letters that follow ``prefix`` inside the language's commonest words."""
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
        """Whether a common word starts with ``prefix``."""
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

    # -- corpus n-grams (dictionaries built on first use) -------------------------------------
    @lru_cache(maxsize=1)  # noqa: B019 - one model, one table, for the model's lifetime
    def bigram_counts(self) -> dict[tuple[str, str], int]:
        """The corpus's word pairs with their counts."""
        a, b, c = (self._arr(f"cb_{x}") for x in "abc")
        w = self.words
        return {(w[i], w[j]): n for i, j, n in zip(a.tolist(), b.tolist(), c.tolist(), strict=True)}

    @lru_cache(maxsize=1)  # noqa: B019
    def trigram_counts(self) -> dict[tuple[str, str, str], int]:
        """The corpus's word triples (the commonest :data:`MAX_TRIGRAMS`) with counts."""
        a, b, c, n = (self._arr(f"ct_{x}") for x in "abcn")
        w = self.words
        return {
            (w[i], w[j], w[k]): m
            for i, j, k, m in zip(a.tolist(), b.tolist(), c.tolist(), n.tolist(), strict=True)
        }

    @lru_cache(maxsize=1)  # noqa: B019
    def char_counts(self) -> dict[str, int]:
        """The corpus's casefolded character n-grams of order ``meta["order"]`` (the
        commonest :data:`MAX_CHAR_GRAMS`), ``BREAK`` where a text starts or ends."""
        order = int(self.meta.get("order", CHAR_ORDER))
        grams = grams_list(self._arr("char_grams", np.uint32), order)
        return dict(zip(grams, self._arr("char_counts").tolist(), strict=True))

    @lru_cache(maxsize=1)  # noqa: B019
    def case_counts(self) -> tuple[dict[str, tuple[int, int]], ...]:
        """Letter-case statistics: for histories of 0-3 characters, (capitals, letters)."""
        return tuple({h: (u, n) for h, u, n in level} for level in self.meta.get("case", []))

    @lru_cache(maxsize=1)  # noqa: B019
    def char_model(self) -> KneserNey | None:
        """A Kneser-Ney model of the corpus's character n-grams (``None`` without any)."""
        counts = self.char_counts()
        return KneserNey.from_counts(counts, int(self.meta.get("order", CHAR_ORDER))) \
            if counts else None

    def describe(self) -> str:
        """One line on what the model holds.

        >>> build_model(["the cat sat"], lang="en").describe()
        'corpus model, lang en: 3 words, 3 types, 2 word pairs, 1 triples, 8 character 6-grams'
        """
        a = self._a
        if self.meta.get("kind") == "general":
            return f"general model, lang {self.lang}: {len(self.words)} words"
        return (f"corpus model, lang {self.lang}: {self.total} words, {len(self.words)} types, "
                f"{len(a.get('cb_a', ()))} word pairs, {len(a.get('ct_a', ()))} triples, "
                f"{len(a.get('char_counts', ()))} character {self.meta.get('order')}-grams")

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


def build_model(texts: Iterable[str], *, lang: str | None = None) -> Model:
    """A corpus model of ``texts``: word, pair, triple, character n-gram and case counts.

    Words touching a :data:`~collate.chars.BREAK` (a lost stretch) are left out; no n-gram
    crosses one.
    """
    texts = [t.replace("\r\n", "\n") for t in texts]
    forms: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    triples: Counter[tuple[str, str, str]] = Counter()
    chars: Counter[str] = Counter()
    for text in texts:
        for chunk in text.split(BREAK):
            found = WORD.findall(chunk)
            forms.update(found)
            low = [w.casefold() for w in found]
            pairs.update(pairwise(low))
            triples.update(zip(low, low[1:], low[2:], strict=False))
            data = BREAK + _fold(chunk) + BREAK
            chars.update(data[i : i + CHAR_ORDER] for i in range(len(data) - CHAR_ORDER + 1))
    counts: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    best: dict[str, tuple[int, str]] = {}
    for form, c in sorted(forms.items()):
        w = form.casefold()
        counts[w] += c
        lower[w] += c if form == w else 0
        if c > best.get(w, (0, ""))[0]:
            best[w] = (c, form)
    words = sorted(counts)
    ids = {w: i for i, w in enumerate(words)}
    arrays = _vocab_arrays(words)
    arrays["count"] = np.asarray([counts[w] for w in words], dtype=np.uint32)
    arrays["lower"] = np.asarray([lower[w] for w in words], dtype=np.uint32)
    arrays["forms"] = text_array([best[w][1] for w in words])
    bi = sorted((ids[a], ids[b], c) for (a, b), c in pairs.items() if a in ids and b in ids)
    arrays.update(_columns(bi, "cb", "abc"))
    tri = sorted(triples.items(), key=lambda kv: -kv[1])[:MAX_TRIGRAMS]
    rows = sorted((ids[a], ids[b], ids[c], n) for (a, b, c), n in tri)
    arrays.update(_columns(rows, "ct", "abcn"))
    grams = sorted(chars.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CHAR_GRAMS]
    arrays["char_grams"] = grams_array([g for g, _ in grams], CHAR_ORDER)
    arrays["char_counts"] = np.asarray([c for _, c in grams], dtype=np.int32)
    meta = {"kind": "corpus", "tokens": sum(counts.values()), "order": CHAR_ORDER,
            "texts": len(texts), "case": _case_stats(texts)}
    return Model(Sections(lang or "und", meta, arrays))


def _columns(rows: list[tuple[int, ...]], prefix: str, names: str) -> dict[str, np.ndarray]:
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return {f"{prefix}_{n}": np.asarray(col, dtype=np.int32) for n, col in zip(names, cols,
                                                                                strict=True)}


def _fold(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


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
    longest = max(by_length, default=0)
    ptr = np.zeros(longest + 2, dtype=np.int32)
    flat: list[int] = []
    for n in range(longest + 1):
        flat += by_length.get(n, [])
        ptr[n + 1] = len(flat)
    arrays |= {"pool_ptr": ptr, "pool_ids": np.asarray(flat, dtype=np.int32)}
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
