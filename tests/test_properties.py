"""Properties that hold for any text (hypothesis), and byte-identical output across processes.

- Detection: lacunae lie within bounds, are sorted, never overlap, ``marker == text[start:end]``;
  they depend only on their line (a prefix line shifts them, changes nothing else); text with no
  placeholder character has none.
- Tokens rebuild the text exactly, tile it, and never split a lacuna.
- Collating any 1–4 witnesses gives columns whose cells tile each witness's tokens, so every
  witness is rebuilt verbatim; the same input gives the same table.
- Restoration never changes a character outside a lacuna.
- The CLI's JSON is the same bytes in another process under another hash seed.

Run with ``--hypothesis-show-statistics`` to see the examples each property ran; the total is
printed at the end of the session. ``COLLATE_PROPERTY_SCALE=10`` runs ten times as many.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collate import detect, tokenize
from collate.model import Lacuna
from collate.reader import witnesses_from_json
from collate.render.data import to_json
from collate.restoration import restore
from tests.conftest import summary_line

TALLY: Counter[str] = Counter()
KINDS = {"in-word", "word", "line", "unknown"}
PLACEHOLDER_CHARS = "□☐▯■▢\ufffd[<"

NOTATION = [
    "□", "□□", "☐☐☐", "▯", "■", "▢", "\ufffd", "\ufffd\ufffd", "[...]", "[…]", "[---]", "[- - -]",
    "[.3]", "[c.5]", "[ca. 12]", "[...3...]", "[.c.5]", "[.0]", "[sic]", "[1]", "[?]", "[", "]",
    "<gap/>", '<gap reason="lost" quantity="2" unit="chars"/>', "<gap", "/>", "</gap>",
]
PIECES = [
    *NOTATION, " ", "  ", "\n", "\r\n", "\r", "\t", "\u00a0", "\u2028", "\x1c", "\x85",
    "Lately", "ately", "the", "The", "cat", "cafe\u0301", "café", "’", "'", ",", ".", "—", "-",
    "שלום", "كتب", "\u200f", "\u202e", "\U0001f44d\U0001f3fd", "e\u0301\u0301", "ﬁ", "ſ", "42",
    "_", "don't",
]
texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=25).map("".join),
)
WORDS = ["the", "cat", "sat", "on", "a", "mat", "Lately", "□□ately", "c□t", "[...]", "[.3]",
         "The", "kat", "mat.", ",", "café", "cafe\u0301", "□", "שלום", "ſat", "\ufffd"]
SEPS = [" ", " ", " ", "\n", "\r\n", "  ", ""]
related = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), max_size=14).map(
    lambda pairs: "".join(w + s for w, s in pairs))
witness_text = st.one_of(related, related, texts)

SCALE = float(os.environ.get("COLLATE_PROPERTY_SCALE", "1"))
"""Multiplies every property's example budget (CI runs 1: a few seconds each)."""
QUICK = settings(max_examples=int(300 * SCALE), deadline=None)
SLOW = settings(max_examples=int(150 * SCALE), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def check_lacunae(text: str, lacunae: list[Lacuna]) -> None:
    """Within bounds, sorted, disjoint, exact slices, coherent length range and kind."""
    last = 0
    for lac in lacunae:
        assert 0 <= lac.start < lac.end <= len(text)
        assert lac.start >= last
        assert lac.marker == text[lac.start : lac.end]
        assert lac.min_chars >= 0
        assert lac.max_chars is None or lac.max_chars >= lac.min_chars
        assert lac.kind in KINDS and lac.convention
        last = lac.end


def check_tokens(text: str, lacunae: list[Lacuna]) -> None:
    """Tokens rebuild ``text``, tile it in order, and hold each lacuna whole."""
    tokens = tokenize(text, lacunae=lacunae)
    assert "".join(t.text_with_ws for t in tokens) == text
    pos = 0
    for k, tok in enumerate(tokens):
        assert tok.start == pos and text[tok.start : tok.end] == tok.text
        assert tok.text or k == 0
        assert tok.ws == "" or tok.ws.isspace()
        pos = tok.end + len(tok.ws)
        assert tok.lacunae == tuple(x for x in lacunae if x.start < tok.end and x.end > tok.start)
    assert pos == len(text)
    for lac in lacunae:
        assert sum(t.start <= lac.start and lac.end <= t.end for t in tokens) == 1


@given(texts)
@QUICK
def test_detect_spans_are_exact(text: str) -> None:
    TALLY["detect"] += 1
    check_lacunae(text, detect(text))


@given(texts)
@QUICK
def test_detect_depends_only_on_the_line(text: str) -> None:
    """A line before the text shifts every lacuna by its length and changes nothing else."""
    TALLY["detect after a prefix line"] += 1
    prefix = "Some words [sic].\n"
    shifted = [Lacuna(x.start + len(prefix), x.end + len(prefix), x.marker, x.min_chars,
                      x.max_chars, x.kind, x.convention) for x in detect(text)]
    assert detect(prefix + text) == shifted
    assert detect(text + "\nMore words.") == detect(text)


@given(st.text(st.characters(blacklist_characters=PLACEHOLDER_CHARS), max_size=200))
@QUICK
def test_text_without_placeholders_has_no_lacuna(text: str) -> None:
    TALLY["no placeholder, no lacuna"] += 1
    assert detect(text) == []


@given(texts)
@QUICK
def test_tokens_rebuild_the_text(text: str) -> None:
    TALLY["tokens rebuild"] += 1
    check_tokens(text, detect(text))


def check_collation(texts_in: list[str]) -> Any:
    """Each witness's cells, column by column, tile its tokens and rebuild its text."""
    from collate.alignment import collate

    collation = collate([(f"W{k}", t) for k, t in enumerate(texts_in)])
    assert collation.ids == [f"W{k}" for k in range(len(texts_in))]
    for w, (wid, text) in enumerate(zip(collation.ids, texts_in, strict=True)):
        pos = 0
        for column in collation.columns:
            i, j = column.cells[w]
            if j > i:  # an empty cell may sit anywhere; a full one continues the witness
                assert i == pos, f"{wid}: cell {(i, j)} does not follow {pos}"
                pos = j
        tokens = collation.tokens[wid]
        assert pos == len(tokens)
        rebuilt = "".join(collation.reading(c, wid) for c in range(len(collation.columns)))
        assert rebuilt == text
    for column in collation.columns:
        assert any(j > i for i, j in column.cells), "an empty column"
    return collation


@given(st.lists(witness_text, min_size=1, max_size=4))
@SLOW
def test_collating_rebuilds_every_witness(witnesses: list[str]) -> None:
    TALLY["collate rebuilds"] += 1
    first = check_collation(witnesses)
    again = check_collation(witnesses)
    assert first.columns == again.columns
    obj = json.loads(json.dumps(to_json(first), ensure_ascii=False))  # the table reads back
    back = witnesses_from_json(obj, "table.json")
    assert [(w.id, w.text) for w in back] == list(zip(first.ids, witnesses, strict=True))


@given(witness_text.filter(bool), st.lists(witness_text, max_size=2))
@settings(max_examples=int(20 * SCALE), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_restoration_touches_only_lacunae(text: str, others: list[str]) -> None:
    """Outside its lacunae the restored text is the input, character for character."""
    TALLY["restore touches only lacunae"] += 1
    result = restore(text, witnesses=others, top=3)
    lacunae = [r.lacuna for r in result.lacunae]
    assert [(x.start, x.end) for x in lacunae] == [(x.start, x.end) for x in detect(text)]
    assert result.text == text
    spans = {(x.start, x.end): r for x, r in zip(lacunae, result.lacunae, strict=True)}
    restored = result.restored
    pos = 0
    for a, b, c, d in result.spans():
        assert a == pos
        pos = b
        if (a, b) in spans:
            best = spans[(a, b)].accepted(result.min_confidence)  # below it: kept as it stands
            assert restored[c:d] == (best.text if best is not None else text[a:b])
        else:
            assert restored[c:d] == text[a:b]
    assert pos == len(text)
    for r in result.lacunae:
        confidences = [c.confidence for c in r.candidates]
        assert confidences == sorted(confidences, reverse=True)
        assert all(0.0 <= c <= 1.0 for c in confidences)
        assert sum(confidences) <= 1.0 + 1e-6


def test_restoring_empty_text_gives_empty_text() -> None:
    """The smallest input: nothing to restore, nothing changed (was an IndexError)."""
    result = restore("")
    assert result.restored == "" and result.lacunae == ()


# --- determinism across processes and hash seeds ------------------------------------------------

SAMPLE_A = ("□□ately, there seems to be a growing consensus.\n☐☐☐ The Korean side [...] "
            "proposed a meeting on the 3rd of May, c□nfirmed by both sides.\n")
SAMPLE_B = ("Lately, there seems to be a growing consensus.\n1. The Korean side has "
            "proposed a meeting on the 3rd of May, confirmed by both sides.\n")
SAMPLE_C = ("Lately there seem to be a growing concensus.\nThe Korean side [.3] propos□d "
            "a meeting on 3 May, confirmed by both.\n")
COMMANDS = {
    "detect": ["detect", "--format", "json", "a.txt", "b.txt", "c.txt"],
    "align": ["align", "--format", "json", "a.txt", "b.txt", "c.txt"],
    "restore": ["restore", "--format", "json", "a.txt", "--witness", "c.txt"],
    "edition": ["edition", "--format", "json", "a.txt", "b.txt", "c.txt"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_output_is_the_same_bytes_under_other_hash_seeds(command: str, tmp_path: Path) -> None:
    """Two processes with different PYTHONHASHSEED write byte-identical output."""
    args = COMMANDS[command]
    for name, text in [("a.txt", SAMPLE_A), ("b.txt", SAMPLE_B), ("c.txt", SAMPLE_C)]:
        (tmp_path / name).write_text(text, "utf-8")
    procs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        procs.append(subprocess.Popen([sys.executable, "-m", "collate", *args], cwd=tmp_path,
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    outs = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"collate {command} hung")
        assert proc.returncode == 0, err.decode()
        outs.append(out)
    TALLY["determinism runs"] += 2
    assert outs[0] and outs[0] == outs[1]


def _summary() -> str:
    """The properties and examples run."""
    counts = dict(TALLY)
    runs = counts.pop("determinism runs", 0)
    detail = ", ".join(f"{k}: {v}" for k, v in counts.items())
    return (f"properties: {len(counts)} hypothesis properties, {sum(counts.values())} "
            f"examples ({detail}); {runs} CLI runs compared across hash seeds")


summary_line("properties", _summary)
