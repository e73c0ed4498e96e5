"""Alignment: near matches, lacunae, anchors at scale, transpositions, order independence."""

from __future__ import annotations

import itertools
import json
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.alignment import align_pair, collate, pairwise
from collate.chars import WORD
from collate.model import Collation, Witness
from collate.normalize import level, strip_punctuation
from collate.tokens import pretokenized, tokenize
from tests.conftest import data_path


def ops(a: str, b: str, **kw: object) -> list[tuple[str, int, int, int, int]]:
    return align_pair(tokenize(a), tokenize(b), **kw)  # type: ignore[arg-type]


def pairs(a: str, b: str, **kw: object) -> list[tuple[str, str, str]]:
    """(tag, a text, b text) for each opcode."""
    ta, tb = tokenize(a), tokenize(b)
    return [(tag, " ".join(t.text for t in ta[i1:i2]), " ".join(t.text for t in tb[j1:j2]))
            for tag, i1, i2, j1, j2 in align_pair(ta, tb, **kw)]  # type: ignore[arg-type]


def tiles(op_list: list[tuple[str, int, int, int, int]], n: int, m: int) -> bool:
    i = j = 0
    for _, i1, i2, j1, j2 in op_list:
        if (i1, j1) != (i, j):
            return False
        i, j = i2, j2
    return (i, j) == (n, m)


@pytest.mark.parametrize(("a", "b"), [
    ("Arlickel", "Artickel"), ("fie", "sie"), ("Vesruug", "Vestung"), ("shew", "show")])
def test_ocr_and_spelling_variants_align_as_variants(a: str, b: str) -> None:
    got = pairs(f"der {a} wird", f"der {b} wird")
    assert got == [("equal", "der", "der"), ("replace", a, b), ("equal", "wird", "wird")]


@pytest.mark.parametrize(("a", "b"), [("Arlickel", "Artickel"), ("Vesruug", "Vestung"),
                                      ("shew", "show")])
def test_near_match_beats_positional_pairing(a: str, b: str) -> None:
    # crossing layout: only a fuzzy match can pair a with b; a positional pairing would not
    assert pairs(f"X {a}", f"{b} Y") == [
        ("delete", "X", ""), ("replace", a, b), ("insert", "", "Y")]
    assert pairs(f"X {a}", f"{b} Y", near=None) == [("replace", "X", b), ("replace", a, "Y")]


def test_near_threshold_and_scorer_are_pluggable() -> None:
    assert pairs("X Arlickel", "Artickel Y", near=0.9)[0] == ("replace", "X", "Artickel")

    def first_letter(x: str, y: str, **_: object) -> float:
        return float(x[:1] == y[:1])

    assert pairs("X apple", "axe Y", scorer=first_letter) == [
        ("delete", "X", ""), ("replace", "apple", "axe"), ("insert", "", "Y")]


def test_processor_applies_before_matching() -> None:
    assert ops("a b, c", "a b c", processor=strip_punctuation)[0] == ("equal", 0, 2, 0, 2)


def test_near_outside_unit_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="near"):
        ops("a", "b", near=1.5)


def test_lacuna_fits_what_the_other_witness_has() -> None:
    # crossing layout: only the fit of the visible letters can pair □□ately with Lately
    assert pairs("P □□ately", "Lately Q") == [
        ("delete", "P", ""), ("replace", "□□ately", "Lately"), ("insert", "", "Q")]


@pytest.mark.parametrize(("damaged", "intact", "cell"), [
    ("we ☐☐☐ met", "we 1. met", "1 ."),
    ("we [.3] met", "we and met", "and"),
    ("we [...] met", "we and then met", "and then"),
])
def test_whole_token_lacuna_aligns_opposite(damaged: str, intact: str, cell: str) -> None:
    lacuna = damaged.split()[1]
    assert pairs(damaged, intact) == [
        ("equal", "we", "we"), ("replace", lacuna, cell), ("equal", "met", "met")]


def test_lacuna_must_fit_visible_letters_and_length() -> None:
    # □□ hides 1-3 letters: "Immedi" is too long, "Gr" + "ately" would need "Greatly" letters
    assert pairs("P □□ately", "Immediately Q")[0] == ("replace", "P", "Immediately")
    assert pairs("P □□ately", "Lonely Q")[0] == ("replace", "P", "Lonely")


def test_whole_token_lacuna_stands_opposite_everything_there() -> None:
    assert pairs("the ☐☐☐ we", "the big old house we") == [
        ("equal", "the", "the"), ("replace", "☐☐☐", "big old house"), ("equal", "we", "we")]
    assert pairs("the big old house we", "the ☐☐☐ we")[1] == ("replace", "big old house", "☐☐☐")


def test_damaged_tokens_never_match_each_other_by_id() -> None:
    got = pairs("a □□ b", "a □□ b")
    assert got[1][0] == "replace"


def test_opcodes_tile_both_sequences_on_real_edits() -> None:
    a = "It was on a dreary night of November that I beheld the accomplishment of my toils."
    b = "It was on a drearie night in November, that I saw the accomplishment of my toyls!"
    got = ops(a, b)
    assert tiles(got, len(tokenize(a)), len(tokenize(b)))
    assert [p for p in pairs(a, b) if p[0] == "replace"] == [
        ("replace", "dreary", "drearie"), ("replace", "of", "in"), ("replace", "beheld", "saw"),
        ("replace", "toils", "toyls"), ("replace", ".", "!")]


def test_empty_sides() -> None:
    assert ops("", "a b") == [("insert", 0, 0, 0, 2)]
    assert ops("a b", "") == [("delete", 0, 2, 0, 0)]
    assert ops("", "") == []


def frankenstein(edition: str, units: int = 4) -> str:
    return "".join(data_path("frankenstein", f"C{k:02d}", f"{edition}.txt").read_text()
                   for k in range(1, units + 1))


def equal_tokens(op_list: list[tuple[str, int, int, int, int]]) -> int:
    return sum(i2 - i1 for tag, i1, i2, _, _ in op_list if tag == "equal")


def test_anchor_layer_matches_the_plain_direct_alignment(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tokenize(frankenstein("1818")), tokenize(frankenstein("1831"))
    direct = align_pair(a, b)
    monkeypatch.setattr(pairwise, "DIRECT_CELLS", 2_000)
    anchored = align_pair(a, b)
    assert tiles(anchored, len(a), len(b))
    assert equal_tokens(anchored) >= 0.995 * equal_tokens(direct)


def test_gap_without_anchors_is_cut_along_the_diagonal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairwise, "DIRECT_CELLS", 100)
    a = tokenize(" ".join("ab"[k % 2] for k in range(400)))
    b = tokenize(" ".join("ab"[k % 2] for k in range(1, 401)))
    got = align_pair(a, b)
    assert tiles(got, len(a), len(b)) and equal_tokens(got) >= 320  # pieces of 10 tokens


def test_moved_block_is_one_transposition() -> None:
    words = [f"w{k}" for k in range(30)]
    moved = words[:5] + words[20:25] + words[5:20] + words[25:]
    c = collate([("A", " ".join(words)), ("B", " ".join(moved))])
    assert len(c.transpositions) == 1
    t = c.transpositions[0]
    toks = {w: c.tokens[w] for w in c.ids}
    block_a = [x.text for x in toks[t.a][slice(*t.a_range)]]
    block_b = [x.text for x in toks[t.b][slice(*t.b_range)]]
    assert block_a == block_b and len(block_a) >= 5
    assert {t.a, t.b} == {"A", "B"}


@pytest.mark.parametrize("moved", ["a d e f b c g", "a b c e f g d", "a e f x b c g"])
def test_two_token_move_is_not_a_transposition(moved: str) -> None:
    # `b c` past three tokens, `d` alone, and `e f` / `b c` round a middle they do not share
    assert collate(["a b c d e f g", moved]).transpositions == ()


@pytest.mark.parametrize(("a", "b"), [("a b c d e f g", "a d e b c f g"),
                                      ("x he came and she went y", "x she went and he came y"),
                                      ("the cat is very happy", "very happy is the cat")])
def test_two_token_blocks_that_swap_are_transpositions(a: str, b: str) -> None:
    # two blocks of two swap places, side by side or round the same middle of at most two
    c = check_table([("A", a), ("B", b)], {"A": a.split(), "B": b.split()})
    assert len(c.transpositions) == 2
    assert all(t.a_range[1] - t.a_range[0] == 2 for t in c.transpositions)


def rows(c: Collation) -> list[dict[str, tuple[str, ...]]]:
    """The table without row order: per column, witness id -> token texts."""
    return [{w: tuple(t.text_with_ws for t in c.cell(k, w)) for w in c.ids}
            for k in range(len(c.columns))]


def check_rebuilt(c: Collation, texts: dict[str, str]) -> None:
    for wid, text in texts.items():
        assert c.witness_text(wid) == text
        for other in c.ids:
            codes = c.opcodes(wid, other)
            assert "".join(text[i1:i2] for _, i1, i2, _, _ in codes) == text
            assert "".join(texts[other][j1:j2] for *_, j1, j2 in codes) == texts[other]
            for tag, i1, i2, j1, j2 in codes:
                assert (tag == "equal") <= (text[i1:i2] == texts[other][j1:j2])


def test_darwin_table_does_not_depend_on_witness_order() -> None:
    folder = data_path("darwin_origin", "ch01")
    wits = [(p.stem, p.read_text(encoding="utf-8")[:20_000])
            for p in sorted(folder.glob("*.txt"))][:4]
    ref = rows(collate(wits))
    for seed in (1, 2):
        shuffled = wits[:]
        random.Random(seed).shuffle(shuffled)
        assert rows(collate(shuffled)) == ref


WORDS = st.sampled_from(["the", "cat", "kat", "sat", "on", "a", "mat", ",", "□□t", "☐☐☐", "Mat"])
TEXT = st.lists(WORDS, max_size=12).map(" ".join) | st.text(" ab\n□.", max_size=15)


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_property_rebuild_and_order_independence(texts: list[str], rnd: random.Random) -> None:
    wits = [(f"W{k}", t) for k, t in enumerate(texts)]
    c = collate(wits)
    check_rebuilt(c, dict(wits))
    shuffled = wits[:]
    rnd.shuffle(shuffled)
    again = collate(shuffled)
    assert rows(again) == rows(c)
    assert again.transpositions == c.transpositions


def test_collation_methods() -> None:
    c = collate([("A", "the cat sat"), ("B", "the kat sat"), ("C", "the cat sat down")])
    assert c.table()[1] == ["cat ", "kat ", "cat "]
    assert [c.is_variant(k) for k in range(len(c.columns))] == [False, True, False, True]
    assert c.variants() == [False, True, False, True]
    assert c.consensus() == ["the ", "cat ", "sat", ""]
    assert c.opcodes("A", "B") == [("equal", 0, 4, 0, 4), ("replace", 4, 8, 4, 8),
                                   ("equal", 8, 11, 8, 11)]
    assert c.opcodes("A", "C") == [("equal", 0, 11, 0, 11), ("insert", 11, 11, 11, 16)]


def test_consensus_ties_go_to_the_earliest_witness_and_skip_lacunae() -> None:
    c = collate([("A", "a x b"), ("B", "a y b")])
    assert c.consensus()[1] == "x "
    c = collate([("B", "a y b"), ("A", "a x b")])
    assert c.consensus()[1] == "y "
    c = collate([("A", "a □□ b"), ("B", "a y b")])
    assert c.consensus()[1] == "y "


def test_case_and_whitespace_differences_are_replace_in_char_opcodes() -> None:
    c = collate([("A", "The  cat"), ("B", "the cat")])
    assert c.opcodes("A", "B") == [("replace", 0, 5, 0, 4), ("equal", 5, 8, 4, 7)]


def test_input_forms() -> None:
    c = collate(["x y", ("Q", "x z")])
    assert c.ids == ["A", "Q"]
    with pytest.raises(ValueError, match="duplicate"):
        collate([("A", "x"), ("A", "y")])
    with pytest.raises(ValueError, match="no witnesses"):
        collate([])
    single = collate(["just one"])
    assert len(single.columns) == 2 and single.witness_text("A") == "just one"


def test_pretokenized_witness_keeps_given_norms() -> None:
    toks = tuple(pretokenized([("Ye ", "the"), ("olde ", "old"), ("shoppe", "shop")]))
    c = collate([Witness("T", "Ye olde shoppe", tokens=toks), ("U", "the old shop")])
    assert not any(c.is_variant(k) for k in range(len(c.columns)))
    assert c.witness_text("T") == "Ye olde shoppe"


def test_rapidfuzz_scorers_are_mapped_onto_unit_interval() -> None:
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Indel, Levenshtein

    want = [("delete", "X", ""), ("replace", "Arlickel", "Artickel"), ("insert", "", "Y")]
    assert pairs("X Arlickel", "Artickel Y", scorer=fuzz.ratio) == want
    assert pairs("X Arlickel", "Artickel Y", scorer=Indel.normalized_distance) == want
    with pytest.raises(ValueError, match="unbounded"):
        ops("a", "b", scorer=Levenshtein.distance)


def test_split_and_joined_words_align_as_one_variant() -> None:
    assert pairs("the no-\nmination of magis-\ntrates", "the nomination of magistrates") == [
        ("equal", "the", "the"), ("replace", "no - mination", "nomination"),
        ("equal", "of", "of"), ("replace", "magis - trates", "magistrates")]
    assert pairs("to day we", "today we")[0] == ("replace", "to day", "today")


def test_alignment_f1_on_noisy_copy_with_known_truth() -> None:
    rnd = random.Random(3)
    words = [t.text for t in tokenize(frankenstein("1818", units=3)) if t.text][:2500]
    vocab = sorted({w for w in words if w.isalpha()})
    new: list[tuple[int | None, str]] = []
    for i, w in enumerate(words):
        r = rnd.random()
        if r < 0.02:
            continue  # deletion
        if r < 0.05 and w.isalpha():
            w = rnd.choice(vocab)  # substitution
        elif r < 0.11 and w.isalpha() and len(w) >= 4:
            k = rnd.randrange(1, len(w))
            w = w[:k] + rnd.choice("cilnorstu") + w[k + 1:]  # OCR-style noise
        new.append((i, w))
        if rnd.random() < 0.02:
            new.append((None, rnd.choice(vocab)))  # insertion
    block = new[100:110]
    del new[100:110]
    new[1500:1500] = block  # a moved block
    c = collate([("A", " ".join(words)), ("B", " ".join(w for _, w in new))])
    gold = {(old, k) for k, (old, _) in enumerate(new) if old is not None}
    got: set[tuple[int, int]] = set()
    for col in c.columns:
        (i1, i2), (j1, j2) = col.cells
        got.update((i, j) for i in range(i1, i2) for j in range(j1, j2))
    for t in c.transpositions:  # inside a moved block, tokens pair as the aligner pairs them
        block = align_pair(c.tokens["A"][slice(*t.a_range)], c.tokens["B"][slice(*t.b_range)])
        got.update((t.a_range[0] + i1 + k, t.b_range[0] + j1 + k)
                   for tag, i1, i2, j1, j2 in block if tag in ("equal", "replace")
                   and i2 - i1 == j2 - j1 for k in range(i2 - i1))
    precision, recall = len(gold & got) / len(got), len(gold & got) / len(gold)
    assert 2 * precision * recall / (precision + recall) >= 0.98
    assert [(t.a_range, t.b_range) for t in c.transpositions] == [((101, 112), (1500, 1510))]


@settings(max_examples=80, deadline=None)
@given(TEXT, TEXT, st.sampled_from([0.7, None, 0.0, 1.0]))
def test_property_align_pair_tiles(a: str, b: str, near: float | None) -> None:
    ta, tb = tokenize(a), tokenize(b)
    got = align_pair(ta, tb, near=near)
    assert tiles(got, len(ta), len(tb))
    for tag, i1, i2, j1, j2 in got:
        if tag == "equal":
            assert [t.norm for t in ta[i1:i2]] == [t.norm for t in tb[j1:j2]]
        assert tag in ("equal", "replace", "delete", "insert")
        assert (tag == "insert") == (i1 == i2) and (tag == "delete") == (j1 == j2)


CASES = json.loads((Path(__file__).parent / "cases" / "align.json").read_text("utf-8"))


def _token(c: Collation, wid: str, spec: str) -> int:
    """Index of the token ``word`` (first occurrence) or ``word#n`` (n-th) of ``wid``."""
    word, _, nth = spec.partition("#")
    hits = [k for k, t in enumerate(c.tokens[wid]) if t.text == word]
    assert len(hits) >= int(nth or 1), f"{wid} has no {spec!r}"
    return hits[int(nth or 1) - 1]


def _column(c: Collation, wid: str, spec: str) -> int:
    k, i = c.ids.index(wid), _token(c, wid, spec)
    return next(n for n, col in enumerate(c.columns) if col.cells[k][0] <= i < col.cells[k][1])


def _check_case(c: Collation, expect: dict) -> None:
    for wid, cells in expect.get("table", {}).items():
        got = [" ".join(t.text for t in c.cell(n, wid)) for n in range(len(c.columns))]
        assert got == cells, wid
    for a, x, b, y in expect.get("together", []):
        assert _column(c, a, x) == _column(c, b, y), (a, x, b, y)
    for a, x, b, y in expect.get("apart", []):
        assert _column(c, a, x) != _column(c, b, y), (a, x, b, y)
    for a, b in expect.get("agree", []):  # every agreement of their own alignment is kept
        for tag, i1, i2, j1, j2 in align_pair(c.tokens[a], c.tokens[b]):
            if tag != "equal":
                continue
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                ta, tb = c.tokens[a][i].text, c.tokens[b][j].text
                occ_a = sum(t.text == ta for t in c.tokens[a][: i + 1])
                occ_b = sum(t.text == tb for t in c.tokens[b][: j + 1])
                assert _column(c, a, f"{ta}#{occ_a}") == _column(c, b, f"{tb}#{occ_b}"), (
                    a, ta, b, tb)
    variants = c.variants()
    for wid, word in expect.get("starred", []):
        assert variants[_column(c, wid, word)], (wid, word)
    for wid, word in expect.get("unstarred", []):
        assert not variants[_column(c, wid, word)], (wid, word)
    if "variants" in expect:
        assert sum(variants) == expect["variants"]
    if "transpositions" in expect:
        got = [[t.a, " ".join(x.text for x in c.tokens[t.a][slice(*t.a_range)]), t.b,
                " ".join(x.text for x in c.tokens[t.b][slice(*t.b_range)])]
               for t in c.transpositions]
        assert got == expect["transpositions"]


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_alignment_cases(case: dict) -> None:
    wits = [tuple(w) for w in case["witnesses"]]
    proc = level(case["normalize"]) if "normalize" in case else None
    c = collate(wits, processor=proc)
    check_rebuilt(c, dict(wits))
    _check_case(c, case["expect"])
    for again in (wits[::-1], wits[1:] + wits[:1]):  # the same table whatever the order
        assert rows(collate(again, processor=proc)) == rows(c)


def _fold(text: str) -> str:
    """Accents and case folded independently of collate.normalize (NFD, marks dropped)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text)
                   if not unicodedata.category(ch).startswith("M"))
    return unicodedata.normalize("NFC", bare).casefold()


def _column_of(c: Collation) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {w: [0] * len(c.tokens[w]) for w in c.ids}
    for n, col in enumerate(c.columns):
        for w, (i, j) in zip(c.ids, col.cells, strict=True):
            out[w][i:j] = [n] * (j - i)
    return out


def test_greek_editions_align_word_for_word_once_accents_are_folded() -> None:
    folder = data_path("greek_nt")
    alike = 0
    for chapter in sorted(p for p in folder.iterdir() if p.is_dir()):
        texts = {e: (chapter / f"{e}.txt").read_text("utf-8") for e in ("Byz", "SR", "TR")}
        c = collate(list(texts.items()), processor=level("compat,spelling,accents,case"))
        col = _column_of(c)
        kept = total = 0
        for a, b in (("Byz", "SR"), ("Byz", "TR"), ("SR", "TR")):
            for tag, i1, i2, j1, j2 in align_pair(c.tokens[a], c.tokens[b]):
                if tag == "equal":
                    total += i2 - i1
                    kept += sum(col[a][i] == col[b][j] for i, j in zip(
                        range(i1, i2), range(j1, j2), strict=True))
        assert kept >= 0.99 * total, (chapter.name, kept, total)
        # a verse the three read alike once accents are folded: word for word, unstarred
        starts = {w: [t.start for t in c.tokens[w]] for w in c.ids}
        lines = {w: texts[w].split("\n") for w in c.ids}
        variants = c.variants()
        pos = dict.fromkeys(c.ids, 0)
        for verse in range(len(lines["TR"])):
            words = {w: [m.group() for m in WORD.finditer(lines[w][verse])] for w in c.ids}
            spans = {w: (pos[w], pos[w] + len(lines[w][verse])) for w in c.ids}
            for w in c.ids:
                pos[w] += len(lines[w][verse]) + 1
            if len({tuple(_fold(x) for x in ws) for ws in words.values()}) != 1 or not words["TR"]:
                continue
            toks = {w: [k for k, s in enumerate(starts[w]) if spans[w][0] <= s < spans[w][1]
                        and WORD.fullmatch(c.tokens[w][k].text)] for w in c.ids}
            cols = {w: [col[w][k] for k in toks[w]] for w in c.ids}
            assert cols["Byz"] == cols["SR"] == cols["TR"], (chapter.name, verse + 1)
            assert not any(variants[n] for n in cols["TR"]), (chapter.name, verse + 1)
            alike += 1
        for n, starred in enumerate(variants):  # no column starred for an accent alone
            readings = {_fold(" ".join(t.text for t in c.cell(n, w))) for w in c.ids}
            assert starred == (len(readings) > 1), (chapter.name, n, readings)
    assert alike >= 100  # verses the three editions read alike, accents aside


# ------------------------------------------------- issue 28: alignment an editor can predict


def table_of(c: Collation) -> dict[str, list[str]]:
    """Each witness's cells, token texts joined by one space ("" for an omission)."""
    return {w: [" ".join(t.text for t in c.cell(k, w)) for k in range(len(c.columns))]
            for w in c.ids}


def every_order(wits: list[tuple[str, str]], limit: int = 24) -> list[list[tuple[str, str]]]:
    """Every order of the witnesses (a fixed sample of them beyond ``limit``)."""
    orders = list(itertools.permutations(wits))
    if len(orders) > limit:
        orders = random.Random(28).sample(orders, limit)
    return [list(o) for o in orders]


def check_table(wits: list[tuple[str, str]], expect: dict[str, list[str]]) -> Collation:
    """The table is ``expect`` (witnesses by id), whatever order the witnesses come in."""
    first = None
    for order in every_order(wits):
        c = collate(order)
        check_rebuilt(c, dict(order))
        got = table_of(c)
        assert {w: got[w] for w in expect} == expect, [w for w, _ in order]
        first = first or c
    assert first is not None
    return first


HERMANS_A, HERMANS_B = "a b c d F g h i ! K ! q r s t", "a b c d F g h i ! q r s t"


def test_gap_goes_left_inside_a_repeat_pairwise() -> None:
    assert pairs(HERMANS_A, HERMANS_B)[1:3] == [("delete", "! K", ""), ("equal", "! q r s t",
                                                                           "! q r s t")]
    assert pairs(HERMANS_B, HERMANS_A)[1] == ("insert", "", "! K")
    assert pairs("x y z y z w", "x y z w") == [("equal", "x", "x"), ("delete", "y z", ""),
                                               ("equal", "y z w", "y z w")]


HEB_A = "mention of the departure of the sons of Israel, and gave"  # Hebrews 11:22, shortened
HEB_B = "mention of the children of Israel’s departure; and gave"


def test_gap_goes_left_past_a_leftover_pair_between_exact_runs() -> None:
    # fewest runs matched `of the` with the first copy and left `the sons of` after
    # departure~children and `of`; rule 2 puts the gap before both copies' `of the`
    want = [("equal", "mention", "mention"), ("delete", "of the departure", ""),
            ("equal", "of the", "of the"), ("replace", "sons", "children"), ("equal", "of", "of")]
    assert pairs(HEB_A, HEB_B)[:5] == want
    assert pairs(HEB_B, HEB_A)[1] == ("insert", "", "of the departure")
    got = table_of(check_table([("A", HEB_A), ("B", HEB_B)], {}))
    k = got["A"].index("of the departure")  # the table followed rule 2 already
    assert got["B"][k] == "" and got["B"][k + 1 : k + 4] == ["of", "the", "children"]


def test_gap_goes_left_through_a_repeat_with_a_leftover_in_it() -> None:
    assert pairs("x and the P and the Q and y", "x and the R and y") == [
        ("equal", "x", "x"), ("delete", "and the P", ""), ("equal", "and the", "and the"),
        ("replace", "Q", "R"), ("equal", "and y", "and y")]


def test_a_near_match_stops_the_gap_where_a_leftover_lets_it_through() -> None:
    from collate.alignment.placement import left_gaps
    ab = ("x the sons the y", "x the son y")
    given = [("equal", 0, 2, 0, 2), ("replace", 2, 3, 2, 3), ("delete", 3, 4, 3, 3),
             ("equal", 4, 5, 3, 4)]
    ctx = pairwise.context(0.7, None, None)  # sons ~ son is a near match: the gap stays
    assert pairwise.merge(left_gaps(ctx, *map(ctx.side, map(tokenize, ab)), given)) == given
    ctx = pairwise.context(None, None, None)  # no near matching: a leftover pair, passed
    assert pairwise.merge(left_gaps(ctx, *map(ctx.side, map(tokenize, ab)), given)) == [
        ("equal", 0, 2, 0, 2), ("delete", 2, 3, 2, 2), ("replace", 3, 4, 2, 3),
        ("equal", 4, 5, 3, 4)]


@pytest.mark.parametrize("third", [None, "a b c d E g h i ! q r s t"])
def test_gap_goes_left_inside_a_repeat(third: str | None) -> None:
    wits = [("A", HERMANS_A), ("B", HERMANS_B)] + ([("C", third)] if third else [])
    c = check_table(wits, {})
    got = table_of(c)
    k = got["A"].index("! K")  # the first `!` is unmatched with K, the second stands with B's
    assert got["B"][k] == "" and got["A"][k + 1] == got["B"][k + 1] == "!"
    if third:
        assert got["C"][k] == "" and got["C"][k + 1] == "!"


@pytest.mark.parametrize("singles", [["a"], ["c"], ["a", "b"], ["a", "b", "c"],
                                     ["a", "b", "c", "a b c a b c"]])
def test_one_token_witnesses_stand_at_the_last_copy_of_a_repeat(singles: list[str]) -> None:
    wits = [(f"S{k}", s) for k, s in enumerate(singles)] + [("R", "a b c a b c")]
    got = table_of(check_table(wits, {}))
    for k, s in enumerate(singles):
        if len(s) == 1:  # its column holds the second copy's token
            col = got[f"S{k}"].index(s)
            assert got["R"][col] == s and got["R"][:col] != [] and "a b c" in " ".join(
                got["R"][:col])


@pytest.mark.parametrize(("a", "b", "expect_b"), [
    ("a a b", "a b", ["", "a", "b"]),  # a gap at the start opens nothing: it goes there
    ("a b b", "a b", ["a", "b", ""]),  # nor at the end: matching the first b opens none
    ("a b c a b c", "a b c", ["", "a", "b", "c"]),
])
def test_gaps_at_the_edges_open_nothing(a: str, b: str, expect_b: list[str]) -> None:
    check_table([("A", a), ("B", b)], {"B": expect_b})


DOG = ("A", "the black dog chases a red cat")
CAT = ("B", "a red cat chases the black dog")
YELLOW = ("C", "a red cat chases the yellow dog")


def test_swapped_blocks_stand_side_by_side_in_the_same_columns() -> None:
    c = check_table([DOG, CAT], {
        "A": ["the", "black", "dog", "chases", "a", "red", "cat"],
        "B": ["a", "red", "cat", "chases", "the", "black", "dog"]})
    moved = [(t.a, t.a_range, t.b, t.b_range) for t in c.transpositions]
    assert moved == [("A", (0, 3), "B", (4, 7)), ("A", (4, 7), "B", (0, 3))]


@pytest.mark.parametrize("extra", [[], [("D", DOG[1])], [("D", DOG[1]), ("E", CAT[1])]])
def test_swap_among_three_to_five_witnesses(extra: list[tuple[str, str]]) -> None:
    expect = {"A": ["the", "black", "dog", "chases", "a", "red", "cat"],
              "B": ["a", "red", "cat", "chases", "the", "black", "dog"],
              "C": ["a", "red", "cat", "chases", "the", "yellow", "dog"]}
    c = check_table([DOG, CAT, YELLOW, *extra], expect)
    assert ("A", (4, 7), "C", (0, 3)) in [(t.a, t.a_range, t.b, t.b_range)
                                         for t in c.transpositions]


def test_swap_of_the_outer_of_three_blocks_and_across_punctuation() -> None:
    check_table([("A", "a b c x d e f x g h i"), ("B", "g h i x d e f x a b c")], {
        "A": ["a", "b", "c", "x", "d", "e", "f", "x", "g", "h", "i"],
        "B": ["g", "h", "i", "x", "d", "e", "f", "x", "a", "b", "c"]})
    check_table([("A", "one two three , four five six"),
                 ("B", "four five six , one two three")], {
        "A": ["one", "two", "three", ",", "four", "five", "six"],
        "B": ["four", "five", "six", ",", "one", "two", "three"]})


def test_addition_inside_a_swapped_block_stays_in_the_swap() -> None:
    c = collate([("A", "one two three four five six and seven eight nine ten eleven twelve"),
                 ("B", "seven eight nine ten eleven twelve and one two three new four five six")])
    got = table_of(c)
    k = got["A"].index("and")
    assert got["B"][k] == "and" and " ".join(got["A"][:k]) == "one two three four five six"
    assert " ".join(got["B"][:k]) == "seven eight nine ten eleven twelve"
    assert len(c.transpositions) == 2


def test_a_block_moved_past_more_than_itself_stands_against_gaps() -> None:
    # a rotation: `one two three` crosses six tokens in place, so it is a move, not a swap
    got = table_of(check_table([("A", "one two three , four five six ; seven eight nine ."),
                                ("B", "four five six , seven eight nine ; one two three .")],
                               {}))
    k = got["A"].index("four")
    assert got["B"][k] == "four" and got["A"][0].startswith("one two three")


SIX = "one two three four five six"
SWAPPED = "four five six one two three"


@pytest.mark.parametrize("extra", [[], [("C", SIX)], [("C", SIX), ("D", SWAPPED)],
                                   [("C", SIX), ("D", SWAPPED), ("E", "one two three four "
                                                                     "five seven")]])
def test_neighbouring_blocks_that_swap_stand_side_by_side(extra: list[tuple[str, str]]) -> None:
    # nothing aligned between the two blocks: each still stands opposite the other, both
    # reported as moved, whichever witnesses read which order (no tie left to break)
    wits = [("A", SIX), ("B", SWAPPED), *extra]
    c = check_table(wits, {w: t.split() for w, t in wits})
    moved = {(t.a, t.a_range, t.b, t.b_range) for t in c.transpositions}
    assert {("A", (0, 3), "B", (3, 6)), ("A", (3, 6), "B", (0, 3))} <= moved


def test_neighbouring_swapped_blocks_of_four_inside_a_sentence() -> None:
    wits = [("A", "so a b c d e f g h ."), ("B", "so e f g h a b c d .")]
    c = check_table(wits, {w: t.split() for w, t in wits})
    assert len(c.transpositions) == 2


BEAR = "first came the big brown bear and then the little grey wolf"
WOLF = "first came the little grey wolf and then the big brown bear"


@pytest.mark.parametrize("extra", [[], [("C", BEAR)], [("C", "first came the little grey "
                                                            "wolf and then the big brown cat")]])
def test_swapped_blocks_that_start_with_the_same_word_stand_side_by_side(
        extra: list[tuple[str, str]]) -> None:
    # each `the` stands in place opposite a `the`, and is taken into its moved block
    wits = [("A", BEAR), ("B", WOLF), *extra]
    c = check_table(wits, {w: t.split() for w, t in wits})
    moved = {(t.a, t.a_range, t.b, t.b_range) for t in c.transpositions}
    assert {("A", (2, 6), "B", (8, 12)), ("A", (8, 12), "B", (2, 6))} <= moved


@pytest.mark.parametrize("wits", [
    {"A": "he came and she went", "B": "she went and he came", "C": "he came and she left"},
    {"A": "the cat is very happy", "B": "very happy is the cat",
     "C": "very delitied and happy is the cat"}])
def test_two_word_swaps_in_three_witnesses(wits: dict[str, str]) -> None:
    # the third witness reads one block with a variant, or with words added inside it: its
    # block stands with the others', the added words in a column of their own
    expect = {w: t.split() for w, t in wits.items()}
    if "delitied" in wits["C"]:
        expect = {"A": ["the", "", "cat", "is", "very", "happy"],
                  "B": ["very", "", "happy", "is", "the", "cat"],
                  "C": ["very", "delitied and", "happy", "is", "the", "cat"]}
    check_table(list(wits.items()), expect)


@pytest.mark.parametrize("extra", [[], [("C", "a red cat chases the black dog")],
                                   [("C", "the big black dog chases a red cow")]])
def test_a_word_added_inside_a_swapped_block(extra: list[tuple[str, str]]) -> None:
    # `the big black dog` is `the black dog` with `big` added: one block, moved, laid side
    # by side with `a red cat` in the four columns before `chases`
    wits = [("A", "the big black dog chases a red cat"),
            ("B", "a red cat chases the black dog"), *extra]
    got = table_of(check_table(wits, {"A": wits[0][1].split()}))
    assert got["B"][4:] == ["chases", "the", "black", "dog"]
    assert " ".join(w for w in got["B"][:4] if w) == "a red cat"
    moved = {(t.a, t.a_range, t.b, t.b_range) for t in collate(wits).transpositions}
    assert ("A", (0, 4), "B", (4, 7)) in moved


def test_a_two_word_block_beside_a_longer_one_is_no_swap() -> None:
    # `black dog` and `chases a`/`chases the` are no blocks that swap: `chases a` straddles
    # A's `a red cat`, which stands in place
    c = collate(["the big black dog chases a red cat", "a red cat chases the black dog"])
    assert all(t.a_range[1] - t.a_range[0] > 2 for t in c.transpositions)


GLASS = ("A", "I bought this glass , because it matches those dinner plates")


@pytest.mark.parametrize("more", [[], [("C", "I bought these glasses .")]])
def test_near_matches_in_place_beat_a_distant_exact_match(more: list[tuple[str, str]]) -> None:
    wits = [GLASS, ("B", "I bought those glasses ."), *more]
    got = table_of(check_table(wits, {}))
    k = got["A"].index("glass")
    assert got["B"][k] == "glasses" and got["B"][k - 1] == "those"
    assert pairs(GLASS[1], "I bought those glasses .")[:3] == [
        ("equal", "I bought", "I bought"), ("replace", "this", "those"),
        ("replace", "glass", "glasses")]


def test_a_distant_exact_run_still_wins_where_nothing_is_near_in_place() -> None:
    got = table_of(check_table([GLASS, ("B", "I bought those plates")], {}))
    assert got["B"][got["A"].index("those")] == "those"
    assert got["B"][got["A"].index("plates")] == "plates"


def test_a_lone_exact_word_among_lacunae_is_not_outweighed_by_their_fits() -> None:
    text = "ἐπὶ ν Ἀ□□□□□□□□□ τ□ν π□□□□□\nἈπολλώνιον Ἀ□□□□□□□□ □□φιπ□□□σα□□α Διὶ"
    c = collate([("A", text), ("B", text.replace("\n", "\r\n"))])
    assert not any(c.variants())


# ------------------------------------------------------- pairwise agreements the table keeps


def agreements_kept(c: Collation) -> tuple[int, int]:
    """(kept, found): the token pairs each two witnesses' own alignment finds equal (as the
    table is built from them: their ties broken by the third witnesses), and how many of
    them the table holds in one column."""
    from collate.alignment import library

    ctx = pairwise.context(0.7, None, None)
    lib = library.build(ctx, {w: ctx.side(c.tokens[w]) for w in c.ids})
    col = {w: [0] * len(c.tokens[w]) for w in c.ids}
    for k in range(len(c.columns)):
        for w in c.ids:
            (i, j) = c.columns[k].cells[c.ids.index(w)]
            col[w][i:j] = [k] * (j - i)
    kept = found = 0
    for a, b in itertools.combinations(c.ids, 2):
        for tag, i1, i2, j1, j2 in lib.pair(a, b):
            if tag == "equal":
                found += i2 - i1
                kept += sum(col[a][i] == col[b][j] for i, j in zip(range(i1, i2), range(j1, j2),
                                                                   strict=True))
    return kept, found


def test_a_pairwise_agreement_the_progressive_table_split_is_kept() -> None:
    # C joins last, against the columns A and B share: the old table laid its `b` against
    # their `a` (a variant in place) though C's own alignment with A matches `b` with `b`;
    # realigning C's group against the rest keeps that agreement. Rule 5 breaks A~C's tie
    # (`e` + `a a b a`, or `d` + `a` + `a` + `a b a`: five words each) and B~C's for the
    # alignments B confirms and A confirms, and the table keeps all a table can of them
    wits = [("A", "d e a f a a b a"), ("B", "d d a a a a"), ("C", "e d a a b a")]
    got = table_of(check_table(wits, {
        "A": ["", "d", "e", "a", "f", "a", "a", "b", "a"],
        "B": ["d", "d", "", "a", "", "a", "a", "", "a"],
        "C": ["e", "d", "", "", "", "a", "a", "b", "a"]}))
    assert got["A"].index("b") == got["C"].index("b")
    assert agreements_kept(collate(wits)) == (11, 14)


def test_refinement_never_loses_an_agreement(monkeypatch: pytest.MonkeyPatch) -> None:
    # the group realignment is taken only where it keeps more: over random small witnesses
    # (repeats, losses, additions, swapped neighbours) it keeps at least what the table did
    from collate.alignment import progressive

    rnd = random.Random(28)
    for _ in range(150):
        base = [rnd.choice("abcdef") for _ in range(rnd.randrange(4, 8))]
        wits = []
        for _ in range(rnd.choice([3, 4, 5])):
            w = list(base)
            for _ in range(rnd.randrange(1, 4)):
                k = rnd.randrange(len(w))
                w[k:k + 1] = rnd.choice([[], [w[k], rnd.choice("abcdef")], w[k:k + 2][::-1]])
            wits.append(" ".join(w) or "a")
        new = agreements_kept(collate(wits))
        with monkeypatch.context() as m:
            m.setattr(progressive, "regroup", lambda lib, table, groups: table)
            old = agreements_kept(collate(wits))
        assert new[0] >= old[0], wits


def test_two_witnesses_move_together_where_neither_alone_gains() -> None:
    # A and B read "red wine", C and D "wine red"; every pairwise alignment across the two
    # matches "red". In the table below (A B: red | wine | - ; C D: - | wine | red) moving
    # one witness gains two agreements and loses two with its twin, so only moving A and B
    # together keeps all eight: C D's wine | everyone's red | A B's wine
    import numpy as np

    from collate.alignment import library, refinement

    ctx = pairwise.context(0.7, None, None)
    sides = {w: ctx.side(tokenize(t)) for w, t in
             [("A", "red wine"), ("B", "red wine"), ("C", "wine red"), ("D", "wine red")]}
    lib = library.build(ctx, sides)
    assert lib.pair("A", "C") == [("insert", 0, 0, 0, 1), ("equal", 0, 1, 1, 2),
                                  ("delete", 1, 2, 2, 2)]
    ab, cd = np.array([0, 1, 2, 2]), np.array([0, 0, 1, 2])
    table = {"A": ab, "B": ab, "C": cd, "D": cd}
    alone = refinement.regroup(lib, table, [frozenset(w) for w in "ABCD"])
    assert {w: b.tolist() for w, b in alone.items()} == {w: b.tolist() for w, b in table.items()}
    prefs = {"A": ["B", "C", "D"], "B": ["A", "C", "D"], "C": ["D", "A", "B"],
             "D": ["C", "A", "B"]}
    assert refinement.splits(prefs)[4:] == [frozenset("AB")]  # CD: the other side of AB
    got = refinement.regroup(lib, table, refinement.splits(prefs))
    assert {w: b.tolist() for w, b in got.items()} == {
        "A": [0, 0, 1, 2], "B": [0, 0, 1, 2], "C": [0, 1, 2, 2], "D": [0, 1, 2, 2]}


@pytest.mark.parametrize(("a", "b"), [("x shew , y", "x show . y"), ("the cat ;", "the cat ;"),
                                      ("A bc", "de A"), ("□□ately x", "Lately, x")])
def test_one_token_stretch_fast_path_is_the_programme(a: str, b: str) -> None:
    """Every 1×1 stretch the fast path answers gets the opcode the programme would give
    (at the start, inside and at the end of the witnesses)."""
    from collate.alignment import variants

    ctx = pairwise.context(0.7, None, None)
    A, B = ctx.side(tokenize(a)), ctx.side(tokenize(b))
    answered = 0
    for i, j in itertools.product(range(len(A.ids)), range(len(B.ids))):
        one = variants._one_to_one(A, B, i, j)
        if one is not None:
            answered += 1
            steps = variants._programme(ctx, A, B, i, i + 1, j, j + 1)
            assert [one] == variants._leftovers(A, B, steps), (a, b, i, j)
    assert answered


def test_a_pairwise_tie_goes_to_the_pairs_a_third_witness_confirms() -> None:
    # A~B alone: `and` or `in` with `doubt`, two words either way; the tie rule of two
    # witnesses takes `and`, which crosses C's `in` (A~C and B~C both match it). Rule 5
    # re-breaks the tie for the pairs C confirms, so the table keeps every agreement
    from collate.alignment import library

    wits = [("A", "x in awe and doubt y"), ("B", "x awed and were in doubt y"),
            ("C", "x in doubt y")]
    assert [op for op in align_pair(tokenize(wits[0][1]), tokenize(wits[1][1]))
            if op[0] == "equal"][1] == ("equal", 3, 4, 2, 3)  # the ands, in two witnesses
    ctx = pairwise.context(0.7, None, None)
    lib = library.build(ctx, {w: ctx.side(tokenize(t)) for w, t in wits})
    assert ("equal", 1, 2, 4, 5) in lib.pair("A", "B")  # the ins, with C
    c = check_table(wits, {"A": ["x", "", "in", "awe and", "doubt", "y"],
                           "B": ["x", "awed and were", "in", "", "doubt", "y"],
                           "C": ["x", "", "in", "", "doubt", "y"]})
    assert agreements_kept(c) == (12, 12)
    four = [*wits, ("D", "x in awe doubt y")]
    c = check_table(four, {"A": ["x", "", "in", "awe", "and", "doubt", "y"],
                           "B": ["x", "awed and were", "in", "", "", "doubt", "y"],
                           "C": ["x", "", "in", "", "", "doubt", "y"],
                           "D": ["x", "", "in", "awe", "", "doubt", "y"]})
    assert agreements_kept(c) == (25, 25)


def test_a_tie_no_third_witness_speaks_to_stays_as_the_pair_has_it() -> None:
    # rule 5 changes only what a third witness confirms: C reads neither `in` nor `and`,
    # so A~B keeps its own tie rule's `and`
    from collate.alignment import library

    wits = [("A", "x in awe and doubt y"), ("B", "x awed and were in doubt y"),
            ("C", "x awed doubt y")]
    ctx = pairwise.context(0.7, None, None)
    sides = {w: ctx.side(tokenize(t)) for w, t in wits}
    assert library.build(ctx, sides).pair("A", "B") == align_pair(tokenize(wits[0][1]),
                                                                  tokenize(wits[1][1]))


# ------------------------------------- issue 28: the conventions of the classic small cases


@pytest.mark.parametrize(("a", "b", "want"), [
    # the leftovers pair as similarly as they can: `this` is the variant of `that`
    ("over this dog", "over that there dog",
     [("equal", "over", "over"), ("replace", "this", "that"), ("insert", "", "there"),
      ("equal", "dog", "dog")]),
    ("over this dog", "over there that dog",
     [("equal", "over", "over"), ("insert", "", "there"), ("replace", "this", "that"),
      ("equal", "dog", "dog")]),
    ("a great and mighty king", "a grete kyng",
     [("equal", "a", "a"), ("replace", "great", "grete"), ("delete", "and mighty", ""),
      ("replace", "king", "kyng")]),
    # of leftovers alike, they pair from the start of their stretch, the extra words after
    ("a b X Y Z", "a b W", [("equal", "a b", "a b"), ("replace", "X", "W"),
                             ("delete", "Y Z", "")]),
    ("X Y a b c", "Z a b c", [("replace", "X", "Z"), ("delete", "Y", ""),
                               ("equal", "a b c", "a b c")]),
])
def test_leftovers_pair_by_similarity_then_from_the_start(a: str, b: str,
                                                          want: list[tuple[str, str, str]]
                                                          ) -> None:
    assert pairs(a, b) == want
    flipped = {"delete": "insert", "insert": "delete"}
    assert pairs(b, a) == [(flipped.get(t, t), y, x) for t, x, y in want]


def test_a_variant_at_the_start_pairs_with_the_first_words() -> None:
    # CollateX's own rendering example: This ~ That, one `very quick` of A left alone first
    check_table([("A", "This very quick very quick brown wombat"),
                 ("B", "That very quick brown koala"), ("C", "That very quick brown kangaroo")],
                {"A": ["This", "very quick", "very", "quick", "brown", "wombat"],
                 "B": ["That", "", "very", "quick", "brown", "koala"],
                 "C": ["That", "", "very", "quick", "brown", "kangaroo"]})


@pytest.mark.parametrize(("a", "b", "want_a", "want_b"), [
    ("one two three four five", "one two four three five",
     ["one", "two", "", "three", "four", "five"], ["one", "two", "four", "three", "", "five"]),
    ("one two four three five", "one two three four five",
     ["one", "two", "", "four", "three", "five"], ["one", "two", "three", "four", "", "five"]),
    ("a b c", "b a c", ["", "a", "b", "c"], ["b", "a", "", "c"]),
    ("a b", "b a", ["", "a", "b"], ["b", "a", ""]),
])
def test_of_two_crossing_words_the_first_witness_keeps_its_order(a: str, b: str,
                                                                 want_a: list[str],
                                                                 want_b: list[str]) -> None:
    # matching either word keeps as many and opens gaps in the same columns: the first
    # witness's earlier word is matched, the other witness's other word stands first
    check_table([("A", a), ("B", b)], {"A": want_a, "B": want_b})


def test_a_swap_the_pairwise_alignment_draws_side_by_side_stays_so() -> None:
    # quick brown fox and lazy dog swap round `jumps over the`: each stands opposite the
    # other's text already, so the middle stays in place and nothing is laid anew
    c = check_table([("A", "the quick brown fox jumps over the lazy dog"),
                     ("B", "the lazy dog jumps over the quick brown fox")],
                    {"A": ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "",
                           "dog"],
                     "B": ["the", "lazy", "", "dog", "jumps", "over", "the", "quick", "brown",
                           "fox"]})
    # `the quick brown fox` moved: each `the` before it stands in place opposite a `the`
    assert [(t.a_range, t.b_range) for t in c.transpositions] == [((0, 4), (5, 9))]


def test_an_ampersand_is_a_word_opposite_and() -> None:
    assert pairs("the days & nights when", "the days and nights when")[1] == ("replace", "&",
                                                                              "and")
    check_table([("A", "days & nights & vice versa"), ("B", "days and nights and vice versa")],
                {"A": ["days", "&", "nights", "&", "vice", "versa"],
                 "B": ["days", "and", "nights", "and", "vice", "versa"]})


@pytest.mark.parametrize("extra", [[], [("C", "a red cat and a mouse chases the yellow dog")]])
def test_words_added_inside_a_swap_stand_between_the_swapped_blocks(
        extra: list[tuple[str, str]]) -> None:
    # `and a mouse` may not pair its `a` with A's `a red cat`: the swapped blocks stand
    # side by side, the addition between them and `chases`
    added = ["and a mouse"] if not extra else ["and", "a", "mouse"]  # C reads it as B does
    c = check_table([DOG, ("B", "a red cat and a mouse chases the black dog"), *extra],
                    {"A": ["the", "black", "dog", *[""] * len(added), "chases", "a", "red", "cat"],
                     "B": ["a", "red", "cat", *added, "chases", "the", "black", "dog"]})
    assert {(t.a, t.a_range, t.b, t.b_range) for t in c.transpositions} >= {
        ("A", (0, 3), "B", (7, 10)), ("A", (4, 7), "B", (0, 3))}


def test_placement_scores_placeholder_keys_by_the_variant_rule() -> None:
    # the keys a swap laid side by side gives its tokens and the other side's columns pair
    # one to one whatever their numbers (the raw scorer gave 0.5 for these two), and with
    # no word
    from collate.alignment.placement import _similarity
    from collate.alignment.variants import UNMATCHED

    ctx = pairwise.context(0.7, None, None)
    swap = ctx.side(pretokenized([("x ", f"{UNMATCHED}12"), ("cat", "cat")]))
    cols = ctx.side(pretokenized([("y ", f"{UNMATCHED}c3"), ("cats", "cats")]))
    assert _similarity(ctx, swap, cols, 0, 0) == 1.0
    assert _similarity(ctx, swap, cols, 0, 1) == _similarity(ctx, swap, cols, 1, 0) == 0.0
    assert _similarity(ctx, swap, cols, 1, 1) == 0.75


ADVERSARIAL = ["a", "the", "cat", "dog", "red", "black", "sat", "on", "mat", "and", "he", "she",
               "came", "went", "big", "quick", "fox"]


def _adversarial(rnd: random.Random) -> list[str]:
    """A base text and one to four copies with swaps of blocks of one to three words (with
    up to two words between them), words added, dropped or varied, and stretches repeated."""
    base = [rnd.choice(ADVERSARIAL) for _ in range(rnd.randint(4, 16))]
    out = [base]
    for _ in range(rnd.randint(1, 4)):
        w = list(base)
        for _ in range(rnd.randint(1, 3)):
            op, k = rnd.random(), rnd.randrange(len(w))
            size = rnd.randint(1, min(3, len(w) // 2))
            j = k + size + rnd.randint(0, 2)
            if op < 0.35 and j + size <= len(w):
                w = w[:k] + w[j : j + size] + w[k + size : j] + w[k : k + size] + w[j + size :]
            elif op < 0.55:
                w.insert(k, rnd.choice(ADVERSARIAL))
            elif op < 0.7 and len(w) > 3:
                del w[k]
            elif op < 0.85:
                w[k] = w[k] + "e"  # a near match
            else:
                w[k:k] = w[k : k + size]
        out.append(w)
    return [" ".join(w) for w in out]


@pytest.mark.parametrize("seed", range(12))
def test_adversarial_swaps_and_repeats_give_one_table_in_every_order(seed: int) -> None:
    # two to five witnesses; all orders of up to three, six of four or five
    rnd = random.Random(seed)
    for _ in range(4):
        wits = list(zip("ABCDE", _adversarial(rnd), strict=False))
        orders = list(itertools.permutations(wits))
        orders = orders[:1] + rnd.sample(orders[1:], min(5, len(orders) - 1))
        first = collate(orders[0])
        check_rebuilt(first, dict(wits))
        for order in orders[1:]:
            again = collate(order)
            assert rows(again) == rows(first)
            assert again.transpositions == first.transpositions


def test_punctuation_of_many_texts_is_a_search_per_text() -> None:
    from collate.alignment.sides import LOGOGRAMS, punctuation
    from collate.chars import WORD_CHAR

    texts = [",", "a", "—", "&", "\u204a", "", "1.", "é", "e\u0301", "\u0301", "[...]", "□□",
             "‘", "a\x00", "\x00"]
    want = {t: WORD_CHAR.search(t) is None and t not in LOGOGRAMS for t in texts}
    assert punctuation(texts) == want  # a text holds the separator: one search per text
    plain = [t for t in texts if "\x00" not in t]
    assert punctuation(plain) == {t: want[t] for t in plain}  # joined, one pass


def test_word_runs_map_onto_tokens_alike_in_any_number_at_a_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    a = tokenize("We met, at last; and then — a word or two — we parted. " * 30)
    b = tokenize("We met, at last: and then — a word or two, we parted ! " * 30)
    ctx = pairwise.context(0.7, None, None)
    A, B = ctx.side(a), ctx.side(b)
    whole = pairwise.exact_blocks(A, B, 0, len(a), 0, len(b))
    monkeypatch.setattr(pairwise, "RUNS", 1)
    assert pairwise.exact_blocks(A, B, 0, len(a), 0, len(b)) == whole
    assert len(whole) > 30  # the differing punctuation splits the runs
