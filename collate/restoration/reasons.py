"""Why a candidate was proposed, in words a scholar can check against the texts.

Each source of a candidate (:attr:`~collate.model.Candidate.sources`) gets one reason:

- ``witness:B`` (with ``form:B=…`` where B writes it otherwise): what B reads there, quoted
  with its words around the place and where it stands in B (line:column);
- ``lexicon``: the word the filling makes with the letters kept around the lacuna, and how
  often the document and the language write it;
- ``lm``: the phrases the filling makes with its neighbours and how often the document writes
  them (or, where it writes none of them, that the character model found it likeliest);
- ``structure``: the rule that read the place as a lost list number or as nothing.

The reasons are found after restoration, from the texts alone, so each can be checked by
hand: a quotation is found in the witness as it stands, a count is a count of the document.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise

import regex
from rapidfuzz import fuzz

from collate.chars import PLACEHOLDERS
from collate.model import Candidate, Restoration, RestoredLacuna

QUOTE = 28
"""Characters of a witness quoted on each side of its reading."""
WINDOW = 3000
"""Characters on each side of the same share of a witness where its reading is looked for
first (at least a twentieth of the witness); the whole witness after."""
EDGE = 10
"""Characters of the document on each side of a lacuna sought with a witness's reading."""
NEAREST = 64
"""Occurrences of a reading, the nearest first, whose surroundings are compared."""
_WORDS = regex.compile(r"[\p{L}\p{M}\p{N}'’-]+")
_FORWARD = regex.compile(r"[\p{L}\p{M}'’-]*")  #: a word's letters from a place on
_BACKWARD = regex.compile(r"[\p{L}\p{M}'’-]*", flags=regex.REVERSE)  #: up to a place


def explain(restoration: Restoration, witnesses: Mapping[str, str] | None = None) -> Restoration:
    """``restoration`` with a reason for every source of every candidate.

    ``witnesses`` maps each witness id named in a ``witness:ID`` source to its text.

    >>> from collate.model import Lacuna
    >>> lac = Lacuna(16, 19, "□□□", 2, 4, "word", "box")
    >>> r = Restoration("D", "the old lamp by □□□ door; by the door",
    ...                 (RestoredLacuna(lac, (Candidate("the", 0.9, ("witness:A", "lm")),)),))
    >>> for why in explain(r, {"A": "the old lamp by the door"}).lacunae[0].best.reasons:
    ...     print(why)
    A reads “the old lamp by [the] door” (line 1, column 17)
    the document writes “by the” once, “the door” once
    """
    doc, witnesses = restoration.text, witnesses or {}
    lacunae = tuple(
        replace(rl, candidates=tuple(
            replace(c, reasons=tuple(_reason(doc, rl, c, src, witnesses) for src in c.sources
                                     if not src.startswith("form:")))
            for c in rl.candidates))
        for rl in restoration.lacunae)
    return replace(restoration, lacunae=lacunae)


def _reason(doc: str, rl: RestoredLacuna, cand: Candidate, source: str,
            witnesses: Mapping[str, str]) -> str:
    if source.startswith("witness:"):
        wid = source[len("witness:"):]
        form = next((s.split("=", 1)[1] for s in cand.sources if s.startswith(f"form:{wid}=")),
                    cand.text)
        return _witness(doc, rl, wid, form, witnesses.get(wid))
    if source == "lexicon":
        return _lexicon(doc, rl, cand.text)
    if source == "structure":
        return _structure(rl, cand.text)
    if source == "lm":
        return _phrases(doc, rl, cand.text)
    return f"proposed by {source}"


def _witness(doc: str, rl: RestoredLacuna, wid: str, form: str, text: str | None) -> str:
    """Where witness ``wid`` reads ``form``: the occurrence whose surroundings are most
    like the document's around the lacuna, quoted."""
    lac = rl.lacuna
    if text is None or not form:
        before = _WORDS.findall(doc[max(0, lac.start - 60) : lac.start])
        after = _WORDS.findall(doc[lac.end : lac.end + 60])
        where = (f" between “{before[-1]}” and “{after[0]}”" if before and after else " here")
        return f"{wid} reads {'nothing' if not form else f'“{form}”'}{where}"
    where = _locate(doc[max(0, lac.start - QUOTE) : lac.start], form,
                    doc[lac.end : lac.end + QUOTE], text, lac.start / max(1, len(doc)))
    if where < 0:
        return f"{wid} reads “{form}” here"
    before = text[max(0, where - QUOTE) : where].split("\n")[-1]
    after = text[where + len(form) : where + len(form) + QUOTE].split("\n")[0]
    starts = _line_starts(text)
    line = bisect_right(starts, where)
    column = where - starts[line - 1] + 1
    return (f"{wid} reads “{_trim(before, left=True)}[{form}]{_trim(after)}” "
            f"(line {line}, column {column})")


def _locate(left: str, form: str, right: str, text: str, share: float) -> int:
    """Where ``text`` (a witness) has ``form`` between text like ``left`` and ``right``:
    the document's own words around it, as they stand, near the same ``share`` of the
    witness (else anywhere); else the occurrence near there whose surroundings are most
    alike; -1 where the witness does not have it."""
    middle = round(len(text) * share)
    reach = max(WINDOW, len(text) // 20)
    lo, hi = max(0, middle - reach), middle + reach
    edge = (left[-EDGE:], right[:EDGE])
    probe = edge[0] + form + edge[1]
    at = text.find(probe, lo, hi)
    at = at if at >= 0 else text.find(probe)
    if at >= 0:
        return at + len(edge[0])
    near = sorted(regex.finditer(regex.escape(form), text, pos=lo, endpos=hi),
                  key=lambda m: abs(m.start() - middle))[:NEAREST]
    if not near:
        near = list(regex.finditer(regex.escape(form), text))[:NEAREST]
    best, where = -1.0, -1
    for m in near:
        around = fuzz.ratio(text[max(0, m.start() - QUOTE) : m.start()], left) + fuzz.ratio(
            text[m.end() : m.end() + QUOTE], right)
        if around > best:
            best, where = around, m.start()
    return where


def _trim(s: str, left: bool = False) -> str:
    """A quotation's edge cut at a word boundary."""
    if left:
        cut = s.find(" ")
        return s[cut + 1 :] if 0 <= cut < len(s) - 1 and len(s) >= QUOTE else s
    cut = s.rfind(" ")
    return s[:cut] if cut > 0 and len(s) >= QUOTE else s


def _word_at(doc: str, rl: RestoredLacuna, filling: str) -> str:
    """The word the filling makes with the letters kept on both sides of the lacuna."""
    lac = rl.lacuna
    # the letters ending at the lacuna (or at a line break just before it, as ``$`` reads
    # it), matched backward from there: a search from the document's start cost a pass
    # over all the text before each lacuna (1.7 s of 7 for 1,000 lacunae in 250 kB)
    end = lac.start - 1 if doc[lac.start - 1 : lac.start] == "\n" else lac.start
    left = _BACKWARD.match(doc, 0, end).group()
    return left + filling + _FORWARD.match(doc, lac.end).group()


def _lexicon(doc: str, rl: RestoredLacuna, filling: str) -> str:
    word = _word_at(doc, rl, filling)
    seen = _counts(doc).get(word.lower(), 0)
    said = f"makes “{word}”"
    if seen:
        said += f", a word the document writes {_times(seen)}"
    zipf = _zipf(word.lower(), _language(doc))
    if zipf > 0:
        said += f", a word of the language (Zipf {zipf:.1f})"
    return said if seen or zipf > 0 else said + ", found by the lexicon's search"


def _phrases(doc: str, rl: RestoredLacuna, filling: str) -> str:
    """The word the filling makes (inside a word) and the word pairs it makes with its
    neighbours, counted in the document; else what the character model said."""
    lac = rl.lacuna
    words = _WORDS.findall(filling)
    if not words:
        return "the character model's score in this context"
    glued_left = lac.start > 0 and doc[lac.start - 1].isalpha()
    glued_right = lac.end < len(doc) and doc[lac.end].isalpha()
    before = _WORDS.findall(doc[max(0, lac.start - 60) : lac.start])
    after = _WORDS.findall(doc[lac.end : lac.end + 60])
    said = []
    if glued_left or glued_right:
        word = _word_at(doc, rl, filling)
        seen = _counts(doc).get(word.lower(), 0)
        said.append(f"makes “{word}”" + (f", which the document writes {_times(seen)}"
                                         if seen else ""))
        first = last = word
        before, after = before[:-1] if glued_left else before, after[1:] if glued_right else after
    else:
        first, last = words[0], words[-1]
    counts = _pairs(doc)
    pairs = [p for p in ((f"{before[-1]} {first}" if before else ""),
                         (f"{last} {after[0]}" if after else "")) if p]
    found = [f"“{p}” {_times(counts[p.lower()])}" for p in pairs if counts.get(p.lower())]
    if found:
        said.append("the document writes " + ", ".join(found))
    if not said or not (found or "which" in said[0]):
        said.append("the character model's score in this context (the document writes no "
                    "phrase with it)")
    return "; ".join(said)


def _structure(rl: RestoredLacuna, filling: str) -> str:
    if filling == "":
        return ("a short run of placeholders alone on its line: a scan artefact or a lost "
                "separator, restored as nothing")
    return (f"placeholders opening a paragraph before a word, as at other paragraphs: a lost "
            f"list number, “{filling}” continuing their sequence")


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


@lru_cache(maxsize=16)
def _line_starts(text: str) -> list[int]:
    """The offset at which each line of ``text`` starts."""
    return [0, *(m.end() for m in regex.finditer("\n", text))]


@lru_cache(maxsize=8)
def _counts(doc: str) -> Counter[str]:
    """How often the document writes each word (lower case), its lacunae left out (each
    distinct form looked at once: a book repeats its words)."""
    out: Counter[str] = Counter()
    for w, n in Counter(_WORDS.findall(doc)).items():
        if not any(c in w for c in PLACEHOLDERS):
            out[w.lower()] += n
    return out


@lru_cache(maxsize=8)
def _pairs(doc: str) -> Counter[str]:
    """How often the document writes each pair of neighbouring words (lower case, one space
    between), pairs with a lacuna left out (each distinct pair looked at once)."""
    words = [w.lower() for w in _WORDS.findall(doc)]
    out: Counter[str] = Counter()
    for (a, b), n in Counter(pairwise(words)).items():
        if not any(c in a + b for c in PLACEHOLDERS):
            out[f"{a} {b}"] += n
    return out


@lru_cache(maxsize=8)
def _language(doc: str) -> str:
    from collate.restoration.lexicon import detect_language

    return detect_language(doc[:20_000]) or "en"


def _zipf(word: str, lang: str) -> float:
    """The word's Zipf frequency (log10 per billion words, 0 when unlisted), read from the
    built-in model restoration already mapped: asking wordfreq would load its whole list
    again (about 40 MB more at the peak of a restore)."""
    from collate.restoration.corpusmodel import general_model

    model = general_model(lang)
    freq = model.frequency(word) if model is not None else 0.0
    return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0
