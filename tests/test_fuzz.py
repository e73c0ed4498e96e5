"""Fuzzing every parser: any input gives a result that keeps the contract, or an InputError.

One target per parser, each a bounded hypothesis run:

- plain text with lacunae: raw bytes -> ``reader.decode`` -> ``detect`` -> ``tokenize``;
- Leiden notation: bracket soup -> ``detect`` (only well-formed gaps, never ``[sic]``);
- CollateX JSON: any JSON value -> ``reader.witnesses_from_json``, and text starting
  with ``{`` through ``reader.read_witnesses``;
- TEI: generated TEI trees, raw bytes and mutated real EpiDoc files -> ``xmlsource``;
- OCR: the hand-written ALTO, PAGE, hOCR and ABBYY pages, mutated -> ``ocrsource``.

No target may raise anything but :class:`~collate.errors.InputError`. Set
``COLLATE_FUZZ_EXAMPLES`` to run longer (CI runs the default, a few seconds); the number of
executions per target is printed at the end of the session.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collate import detect, tokenize
from collate.errors import InputError
from collate.model import Witness
from collate.reader import decode, read_witnesses, witnesses_from_json
from tests.conftest import summary_line

EXAMPLES = int(os.environ.get("COLLATE_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TALLY: Counter[str] = Counter()
REFUSED: Counter[str] = Counter()
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "epigraphy_isicily"


def check_text(text: str) -> None:
    """Lacunae are exact disjoint slices; tokens rebuild the text and hold each lacuna whole."""
    lacunae = detect(text)
    last = 0
    for lac in lacunae:
        assert last <= lac.start < lac.end <= len(text)
        assert lac.marker == text[lac.start : lac.end]
        last = lac.end
    tokens = tokenize(text, lacunae=lacunae)
    assert "".join(t.text_with_ws for t in tokens) == text
    for lac in lacunae:
        assert any(t.start <= lac.start and lac.end <= t.end for t in tokens)


# --- plain text ---------------------------------------------------------------------------------

_TEXTISH = st.lists(st.sampled_from(["□□ately ", "☐☐☐\n", "\ufffd", " [...] ", "c□t ", "the ",
                                     "\r\n", "é", "e\u0301", "שלום ", "\ufeff", "\x00", "\xff"]),
                    max_size=20).map(lambda xs: "".join(xs).encode("utf-8", "surrogatepass"))


@given(st.one_of(st.binary(max_size=300), _TEXTISH,
                 st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
                 st.text(max_size=100).map(lambda s: b"\xff\xfe" + s.encode("utf-16-le",
                                                                            "surrogatepass"))))
@FUZZ
def test_fuzz_plain_text(data: bytes) -> None:
    TALLY["plain text"] += 1
    try:
        text = decode("fuzz.txt", data)
    except InputError as err:
        REFUSED["plain text"] += 1
        assert str(err).startswith("fuzz.txt: ") and "\n" not in str(err)
        return
    assert text.strip()
    check_text(text)


# --- Leiden notation ----------------------------------------------------------------------------

_INNER = st.lists(st.sampled_from([".", ".", "…", "-", "–", "—", " ", "c", "ca", "circa", "c.",
                                   "1", "3", "12", "0", "9999", "12345", "?", "sic", "[", "]",
                                   "\n", "a", "□", "\ufffd", "vac."]), max_size=8).map("".join)
_LEIDEN = st.lists(st.one_of(_INNER.map(lambda s: f"[{s}]"), _INNER,
                             st.sampled_from(["word", " ", "\n", "[", "]", "<gap/>", "Lately"])),
                   max_size=12).map("".join)
_GAP_OK = regex.compile(r"\[[^\[\]\n]*\]")


@given(_LEIDEN)
@FUZZ
def test_fuzz_leiden(text: str) -> None:
    TALLY["leiden"] += 1
    check_text(text)
    for lac in detect(text):
        if lac.convention == "leiden":
            assert _GAP_OK.fullmatch(lac.marker)
            inner = lac.marker[1:-1].strip()
            assert inner and not regex.fullmatch(r"\p{L}+|\d+|\?", inner)  # [sic], [1], [?]
            assert lac.max_chars is None or lac.max_chars >= lac.min_chars >= 1


# --- CollateX JSON ------------------------------------------------------------------------------

_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.sampled_from(["□□ately", "[...]", "A", "B"]))
_JSON = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["witnesses", "id", "content", "tokens", "t", "n", "table", "_sigil", "x"]), inner,
        max_size=4)), max_leaves=20)
_TOKEN = st.fixed_dictionaries({"t": st.text(max_size=8)}, optional={"n": st.text(max_size=8)})
_GOOD_WITNESS = st.one_of(
    st.fixed_dictionaries({"id": st.sampled_from(["A", "B", "C", "", "é"]),
                           "content": st.text(max_size=40)}),
    st.fixed_dictionaries({"id": st.sampled_from(["A", "B", "C", "D"]),
                           "tokens": st.lists(_TOKEN, max_size=6)}),
)
_BAD_WITNESS = st.one_of(
    st.fixed_dictionaries({"id": _SCALAR, "content": _SCALAR}),
    st.fixed_dictionaries({"id": st.sampled_from(["A", "B"]),
                           "tokens": st.lists(st.one_of(_TOKEN, _SCALAR), max_size=4)}),
    _JSON,
)
_WITNESS = st.one_of(_GOOD_WITNESS, _GOOD_WITNESS, _GOOD_WITNESS, _BAD_WITNESS)
_SHAPED = st.fixed_dictionaries({"witnesses": st.lists(_WITNESS, max_size=4)})
_GOOD = st.lists(_GOOD_WITNESS, min_size=1, max_size=4).map(
    lambda ws: {"witnesses": [{**w, "id": f"W{k}"} for k, w in enumerate(ws)]})
_TABLE = st.fixed_dictionaries({
    "witnesses": st.lists(st.sampled_from(["A", "B"]), max_size=3),
    "table": st.lists(st.lists(st.one_of(st.none(), st.lists(_TOKEN, max_size=2), _SCALAR),
                               max_size=3), max_size=4)})


def _check_witnesses(witnesses: list[Any]) -> None:
    assert witnesses
    ids = [w.id for w in witnesses]
    assert len(set(ids)) == len(ids)
    for w in witnesses:
        assert isinstance(w.id, str) and isinstance(w.text, str)
        if w.tokens is not None:  # given tokens must rebuild the witness
            assert "".join(t.text_with_ws for t in w.tokens) == w.text


@given(st.one_of(_GOOD, _SHAPED, _TABLE, _JSON))
@FUZZ
def test_fuzz_collatex_json(obj: Any) -> None:
    TALLY["collatex json"] += 1
    try:
        witnesses = witnesses_from_json(obj, "fuzz.json")
    except InputError as err:
        REFUSED["collatex json"] += 1
        assert str(err).startswith("fuzz.json: ")
        return
    _check_witnesses(witnesses)


@given(st.one_of(_GOOD.map(json.dumps), _SHAPED.map(json.dumps), _JSON.map(json.dumps),
                 st.text(max_size=60).map(lambda s: "{" + s)))
@settings(max_examples=max(20, EXAMPLES // 3), deadline=None)
def test_fuzz_json_file(text: str) -> None:
    """The reader's JSON path: a file whose text starts with ``{``."""
    TALLY["json file"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.json"
        path.write_text(text, "utf-8", errors="surrogatepass")
        try:
            witnesses = read_witnesses([path])
        except InputError as err:
            REFUSED["json file"] += 1
            assert str(err).startswith(f"{path}: ") and "\n" not in str(err)
            return
    _check_witnesses(witnesses)


# --- TEI ----------------------------------------------------------------------------------------

_TAGS = ["ab", "p", "lb", "gap", "supplied", "choice", "sic", "corr", "orig", "reg", "abbr",
         "expan", "ex", "unclear", "note", "del", "add", "subst", "space", "w", "seg", "hi",
         "lg", "l", "foreign", "num", "certainty", "g"]
_ATTRS = st.dictionaries(
    st.sampled_from(["reason", "quantity", "unit", "extent", "cert", "atLeast", "atMost",
                     "precision", "type", "rend", "xml:lang"]),
    st.sampled_from(["lost", "illegible", "omitted", "3", "0", "-1", "999", "201", "x",
                     "character", "chars", "line", "unknown", "high", "low", "medium", ""]),
    max_size=3)
_TEXT = st.one_of(st.sampled_from(["publi", "□□", " ", "\n", "[...]", "&amp;", "&lt;",
                                   "&#9633;", "&#x0;", "e\u0301", "Λ", ""]),
                  st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                                        blacklist_characters="<&"), max_size=6))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def build(tag: str, attrs: dict[str, str], kids: list[str]) -> str:
        attr = "".join(f' {k}="{v}"' for k, v in attrs.items())
        return f"<{tag}{attr}>{''.join(kids)}</{tag}>" if kids else f"<{tag}{attr}/>"

    return st.builds(build, st.sampled_from(_TAGS), _ATTRS, st.lists(children, max_size=4))


_TREE = st.recursive(_TEXT, _element, max_leaves=25)
_WRAPPERS = [
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><ab>{}</ab></body></text></TEI>',
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="edition">{}</div>'
    "</body></text></TEI>",
    "<TEI><text><body>{}</body></text></TEI>",
    "<root>{}</root>",
]


def _check_tei(data: str | bytes, target: str) -> None:
    from collate.xmlsource import witness_from_tei

    try:
        w = witness_from_tei(data, "fuzz.xml", "F")
    except InputError as err:
        REFUSED[target] += 1
        assert str(err).startswith("fuzz.xml: ") and "\n" not in str(err)
        return
    assert isinstance(w, Witness) and w.text.strip()
    for m in w.marks:  # each mark over a stretch of the text, no white space at its edges
        assert 0 <= m.start < m.end <= len(w.text)
        assert w.text[m.start : m.end] == w.text[m.start : m.end].strip()
        assert m.kind != "gap" or w.text[m.start : m.end].lstrip("[").startswith(("-", ".", "c."))
    lines = (data.encode() if isinstance(data, str) else data).count(b"\n") + 1
    for k in range(len(w.text)):  # every character placed within the file
        line, column = w.position(k)
        assert 1 <= line <= lines and column >= 0
    check_text(w.text)


@given(st.sampled_from(_WRAPPERS), st.lists(_TREE, max_size=5).map("".join))
@FUZZ
def test_fuzz_tei_trees(wrapper: str, body: str) -> None:
    TALLY["tei trees"] += 1
    _check_tei(wrapper.format(body), "tei trees")


@given(st.one_of(st.binary(max_size=300).map(lambda b: b"<TEI>" + b),
                 st.text(max_size=200).map(lambda s: "<?xml version='1.0'?><TEI>" + s)))
@FUZZ
def test_fuzz_tei_raw(data: str | bytes) -> None:
    TALLY["tei raw"] += 1
    _check_tei(data, "tei raw")


def _real_tei() -> list[bytes]:
    return [p.read_bytes() for p in sorted(DATA.glob("*.xml"))[:8]] if DATA.is_dir() else []


@pytest.mark.skipif(not _real_tei(), reason=f"real EpiDoc files not found in {DATA}")
@given(st.data())
@FUZZ
def test_fuzz_tei_mutated_real_files(data: st.DataObject) -> None:
    """Real EpiDoc files with a stretch of their edition deleted, duplicated or overwritten."""
    TALLY["tei mutated"] += 1
    files = _real_tei()
    raw = data.draw(st.sampled_from(files))
    at = raw.find(b'type="edition"')
    raw = _mutated(data, raw, max(0, at), min(len(raw), max(0, at) + 3000), 80)
    _check_tei(raw, "tei mutated")


def _mutated(data: st.DataObject, raw: bytes, lo: int, hi: int, most: int) -> bytes:
    """``raw`` with a stretch of at most ``most`` bytes in ``lo..hi`` deleted, duplicated or
    overwritten."""
    i = data.draw(st.integers(lo, hi))
    j = data.draw(st.integers(i, min(hi, i + most)))
    how = data.draw(st.sampled_from(["delete", "duplicate", "overwrite"]))
    if how == "delete":
        return raw[:i] + raw[j:]
    if how == "duplicate":
        return raw[:j] + raw[i:j] + raw[j:]
    return raw[:i] + data.draw(st.binary(min_size=1, max_size=12)) + raw[j:]


# --- OCR files ---------------------------------------------------------------------------------

OCR_CASES = Path(__file__).resolve().parent / "cases" / "ocr"


@given(st.data())
@FUZZ
def test_fuzz_ocr_mutated_files(data: st.DataObject) -> None:
    """The hand-written ALTO, PAGE, hOCR and ABBYY pages with a stretch deleted, duplicated or
    overwritten, read as every command reads them: an InputError naming the file, or a
    witness whose words are disjoint slices of its text, in order, each placed in the file."""
    TALLY["ocr mutated"] += 1
    raw = data.draw(st.sampled_from(sorted(OCR_CASES.iterdir()))).read_bytes()
    raw = _mutated(data, raw, 0, len(raw), 60)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.ocr"
        path.write_bytes(raw)
        try:
            (w,) = read_witnesses([path], names=["page.ocr"])
        except InputError as err:
            REFUSED["ocr mutated"] += 1
            assert str(err).startswith("page.ocr: ") and "\n" not in str(err)
            return
    last = 0
    for word in w.words:
        assert last <= word.start < word.end <= len(w.text)
        assert not any(c.isspace() for c in w.text[word.start : word.end])
        assert word.confidence is None or 0 <= word.confidence <= 1
        assert word.chars is None or len(word.chars) == word.end - word.start
        last = word.end
    lines = raw.count(b"\n") + 1
    position = getattr(w, "position", None)
    for k in range(len(w.text) if position else 0):
        line, column = position(k)
        assert 1 <= line <= lines and column >= 0
    check_text(w.text)


def _summary() -> str:
    """The fuzz executions per target, and how many were refused."""
    detail = ", ".join(f"{k}: {v} ({REFUSED[k]} refused)" for k, v in TALLY.items())
    return f"fuzz: {sum(TALLY.values())} executions over {len(TALLY)} targets ({detail})"


summary_line("fuzz", _summary)
