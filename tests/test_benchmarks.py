"""The benchmarks run on what a clone has: ``--samples`` (as in a clone without
``../shared``) prints figures from ``samples/`` and witnesses made from it, says so first,
and names what it skipped. Quick parts only: the whole benchmarks are not tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench(script: str, *args: str) -> list[str]:
    got = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--samples", *args],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert got.returncode == 0, got.stderr[-2000:]
    return got.stdout.splitlines()


def test_alignment_bench_runs_on_the_samples_against_collatex() -> None:
    lines = bench("bench_align.py", "--quick", "--only", "agreement")
    assert lines[0].startswith("bench_align: running on samples/") and "skipped: " in lines[0]
    assert any('"tradition": "samples/memo (3)"' in x and '"collatex_share"' in x
               for x in lines), lines


def test_edition_bench_runs_on_the_samples() -> None:
    lines = bench("bench_edition.py", "--limit", "2", "--jobs", "2")
    assert lines[0].startswith("bench_edition: running on samples/")
    assert any(x.strip().startswith("all ") and "%" in x for x in lines), lines
    assert any(x.strip().startswith("samples/memo") and "build_s=" in x for x in lines)


def test_ocr_reader_bench_runs_on_the_hand_written_pages() -> None:
    lines = bench("bench_ocrread.py")
    assert lines[0].startswith("bench_ocrread: running on samples/")
    assert '"all_formats_read_the_same_text": true,' in [x.strip() for x in lines], lines


def test_no_benchmark_imports_another_that_imports_it() -> None:
    """The benchmark scripts import shared modules (``clone``, ``damage``), not each other
    both ways (``bench_models`` and ``bench_restore`` once did)."""
    import ast

    from tests.test_structure import _cycles

    scripts = {p.stem: p for p in (ROOT / "benchmarks").glob("*.py")}
    graph = {}
    for name, path in scripts.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
        graph[name] = found & set(scripts) - {name}
    assert graph["bench_models"] >= {"damage"} and "damage" in graph["bench_restore"]
    assert _cycles(graph) == []


def test_speed_bench_prints_collate_beside_its_floor() -> None:
    lines = bench("bench_speed.py", "--only", "start,pair", "--repeat", "1")
    assert lines[0].startswith("bench_speed: running on samples/")
    assert lines[1].startswith("machine: ") and "cores" in lines[1]
    start = [x for x in lines if x.startswith("collate --version")]
    assert start and "floor" in start[0] and "× CPU" in start[0], lines
    assert any(x.startswith("align_pair, 2 × 2000 tokens") and "Indel.opcodes" in x
               for x in lines), lines


def test_restore_bench_tells_what_the_witness_reads_at_a_place() -> None:
    """The variants figures split places by what the witness reads there: the document's
    own text, a variant (other text), or nothing (a passage it lacks)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_restore import witness_read
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from collate import restore

    doc = "and he went up to the city of david and the men of the city saw him there."
    damaged = doc.replace("went", "□□□□")
    variant = doc.replace("he went up", "he came up")
    lacking = doc.replace("and he went up to the city of david ", "")
    got = {}
    for name, witness in (("same", doc), ("variant", variant), ("lacking", lacking)):
        res = restore(damaged, witnesses=[witness], calibration=0, min_confidence=0.0)
        got[name] = witness_read(res.lacunae[0], "went")
    assert got == {"same": "document", "variant": "other", "lacking": "none"}
    assert witness_read(None, "went") == "none"


def test_greek_model_never_learns_a_bench_chapter(tmp_path, monkeypatch) -> None:
    """The Greek corpus model of the restore bench learns only chapters outside it: not the
    ``greek`` group's ten, not a variant-rich chapter (tuned or held-out half); the
    accented edition reaches it folded to the unaccented orthography."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_restore
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from collate.restoration.corpusmodel import load_model

    data, full = tmp_path / "data", tmp_path / "corpora" / "greek_nt_full"
    words = {"small_01": "αλφα", "rich_01": "βητα", "rich_02": "γαμμα", "plain_01": "δελτα"}
    for chapter, word in words.items():
        tr = f"{word} και λογος\n{word} εν αρχη\n"
        sr = (tr if "rich" not in chapter else f"{word} και λογος\n\n").replace("λογος", "Λόγος,")
        for d in (full / chapter, *([data / "greek_nt" / chapter] if "small" in chapter else [])):
            d.mkdir(parents=True, exist_ok=True)
            for edition, text in (("TR", tr), ("Byz", tr), ("SR", sr)):
                (d / f"{edition}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(bench_restore, "DATA", data)
    monkeypatch.setattr(bench_restore, "FULL", full)
    assert {c for c, _, _ in bench_restore.variant_chapters()} == {"rich_01", "rich_02"}
    assert bench_restore.model_chapters() == ["plain_01"]
    model = load_model(bench_restore.greek_model(tmp_path / "g.model"))
    assert model.count("δελτα") == 6 and model.count("λογος".casefold()) == 3  # SR folded too
    assert not any(model.count(w) for w in ("αλφα", "βητα", "γαμμα"))


def test_restore_bench_runs_the_held_out_chapters_through_the_command_line(
    tmp_path, monkeypatch, capsys
) -> None:
    """``bench_restore --cli``: every damaged place of each held-out chapter is scored from
    the JSON ``collate restore`` writes (a witness identical to the lost text reads nearly
    all of them), per witness, with the ECE and its sampling floor."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_restore
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    full = tmp_path / "corpora" / "greek_nt_full"
    verse = "και ειπεν αυτοις ο ιησους πορευεσθε εις την πολιν και ευρησετε"
    names = ["αλφα", "βητα", "γαμμα", "δελτα", "εψιλον", "ζητα", "ητα", "θητα", "ιωτα",
             "καππα", "λαμβδα", "μυ"]
    tr = "".join(f"{verse} {name}\n" for name in names)
    for chapter, lacking in (("rich_01", 2), ("rich_02", 1), ("plain_01", 0)):
        sr = "".join("\n" if n < lacking else f"{verse} {name}\n" for n, name in enumerate(names))
        (full / chapter).mkdir(parents=True)
        for edition, text in (("TR", tr), ("Byz", tr), ("SR", sr)):
            (full / chapter / f"{edition}.txt").write_text(text, "utf-8")
    monkeypatch.setattr(bench_restore, "DATA", tmp_path / "data")
    monkeypatch.setattr(bench_restore, "FULL", full)
    assert [c for c, _, _ in bench_restore.variant_chapters()][1::2] == ["rich_02"]
    model = bench_restore.greek_model(tmp_path / "g.model")
    bench_restore.run_cli(1, model, tmp_path)
    lines = capsys.readouterr().out.splitlines()
    got = {line.split(" ")[0]: line for line in lines if "top-1" in line}
    assert set(got) == {"accented+model", "unaccented+model"}
    places = len(bench_restore.damage(tr, len(tr) // bench_restore.DENSITY,
                                      bench_restore.random.Random("cli/rich_02/0"))[1])
    right, n = map(int, got["unaccented+model"].split("(")[2].split(")")[0].split("/"))
    assert n == places and right >= 0.8 * n
    assert "sampling floor" in got["accented+model"]


def _ceiling(part: dict[tuple[str, str], list[int]], lengths: dict[str, int]
             ) -> tuple[int, bool]:
    """The exact ceiling of ``benchmarks/ceiling.py`` for partners given per witness pair."""
    import numpy as np

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from ceiling import best_table, edges

    arrays = {}
    for (a, b), p in part.items():
        arrays[a, b] = np.array(p)
        back = np.full(lengths[b], -1)
        back[[j for j in p if j >= 0]] = [i for i, j in enumerate(p) if j >= 0]
        arrays[b, a] = back
    return best_table(edges(sorted(lengths), lengths, arrays))


def test_ceiling_counts_crossings_as_well_as_conflicts() -> None:
    # A = "p q", B = "q p", C = "p q": A~B match q, B~C match p, A~C match p and q. Every
    # pair of alignments is order-keeping, but the four cannot all stand in columns (A's q
    # with B's q, B's p after it with C's p, C's p before C's q = A's q): a crossing; a
    # table keeps 3 of the 4 (A~C both and one of the others)
    assert _ceiling({("A", "B"): [-1, 0], ("A", "C"): [0, 1], ("B", "C"): [-1, 0]},
                    {"A": 2, "B": 2, "C": 2}) == (3, True)
    # a conflict: A~B and A~C match A's one word with B's and C's, B~C matches B's with C's
    # other copy: a table keeps 2 of the 3
    assert _ceiling({("A", "B"): [0], ("A", "C"): [0], ("B", "C"): [1]},
                    {"A": 1, "B": 1, "C": 2}) == (2, True)
    # consistent alignments: all kept
    assert _ceiling({("A", "B"): [0, 1], ("A", "C"): [0, 1], ("B", "C"): [0, 1]},
                    {"A": 2, "B": 2, "C": 2}) == (6, True)
