"""The command line, driven in-process: exact output and exit status for every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from collate.cli import _message, main
from collate.errors import InputError, OptionError

SEEDLIKE = "Intro.\n\n□□\n\n□□ately, there [sic] is.\n"


def run(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, prog_name="collate")


def test_detect_json_is_one_line_per_file(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(SEEDLIKE, "utf-8")
    result = run("detect", "--format", "json", str(a), "-", stdin="no gap")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first == {
        "witness": "a.txt",  # an absolute path is named by its file name in outputs
        "lacunae": [
            {"start": 8, "end": 10, "marker": "□□", "min_chars": 0, "max_chars": 3,
             "kind": "line", "convention": "box"},
            {"start": 12, "end": 14, "marker": "□□", "min_chars": 1, "max_chars": 3,
             "kind": "in-word", "convention": "box"},
        ],
    }


def test_detect_reads_stdin() -> None:
    result = run("detect", "--format", "json", "-", stdin=b"x [.3] y")
    assert result.exit_code == 0
    assert json.loads(result.output)["witness"] == "<stdin>"
    assert json.loads(result.output)["lacunae"][0]["marker"] == "[.3]"


def test_detect_text_format_is_scannable(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(SEEDLIKE, "utf-8")
    result = run("detect", str(a))
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "a.txt:3:1  □□  line  0-3 chars  box  Intro.⏎⏎[□□]⏎⏎□□ately, there",
        "a.txt:5:1  □□  in-word  1-3 chars  box  Intro.⏎⏎□□⏎⏎[□□]ately, there [si",
        "a.txt: 2 lacunae",
    ]


def test_detect_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("detect", "--format", "json", "-o", str(out), "-", stdin="□□he")
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(out.read_text("utf-8"))["lacunae"][0]["kind"] == "in-word"


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok \xc3\x28 no")
    result = run("detect", str(bad))
    assert result.exit_code == 2
    assert result.stderr == f"collate: error: {bad}: invalid UTF-8 at byte 3 (0xc3)\n"
    missing = run("detect", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2
    assert missing.stderr == f"collate: error: {tmp_path}/nope.txt: no such file\n"


def test_failed_run_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("precious", "utf-8")
    result = run("detect", "-o", str(out), str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert out.read_text("utf-8") == "precious"


def test_usage_errors_are_one_line_and_exit_2() -> None:
    cases = {
        ("detect",): "collate: error: Missing argument 'FILE...' (see 'collate detect --help')",
        ("detect", "--format", "xml", "-"): "collate: error: Invalid value for '--format': "
        "'xml' is not one of 'text', 'json' (see 'collate detect --help')",
        ("nonsense",): "collate: error: No such command 'nonsense' (see 'collate --help')",
        ("align", "--near", "2", "a.txt"): "collate: error: Invalid value for '--near': 2.0 is "
        "not in the range 0.0<=x<=1.0 (see 'collate align --help')",
    }
    for args, line in cases.items():
        result = run(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", line + "\n"), args


def test_collate_alone_shows_the_help() -> None:
    result = run()
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Usage: collate [OPTIONS] COMMAND [ARGS]...")
    assert "detect " in result.stderr and "edition " in result.stderr


def test_restore_of_two_files_points_to_witness() -> None:
    result = run("restore", "A.txt", "B.txt")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("collate: error: restore takes one FILE, got 2; give the others as "
                             "witnesses: collate restore A.txt --witness B.txt "
                             "(see 'collate restore --help')\n")


@pytest.mark.parametrize("command", [None, *main.commands])
def test_help_is_plain_text(command: str | None) -> None:
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0
    assert "``" not in result.output and "Usage: collate" in result.output


def test_library_option_errors_get_their_flag() -> None:
    err = OptionError("engine", "expected one of serial, local, dask, not 'gpu'")
    assert _message(err) == "--engine: expected one of serial, local, dask, not 'gpu'"
    assert _message(InputError("a.txt", "empty file")) == "a.txt: empty file"


# --- several witnesses in one file: every command reads them the same way -------------------

CX = {"witnesses": [
    {"id": "A", "content": "□□ately, there seems to be a growing consensus among the clerks.\n"},
    {"id": "B", "content": "Lately, there seems to be a growing consensus among the clerks.\n"},
]}


def _collatex(tmp_path: Path) -> Path:
    path = tmp_path / "cx.json"
    path.write_text(json.dumps(CX, ensure_ascii=False), "utf-8")
    return path


def test_detect_reads_each_witness_of_a_collatex_file(tmp_path: Path) -> None:
    result = run("detect", "--format", "json", str(_collatex(tmp_path)))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [x["witness"] for x in lines] == ["A", "B"]
    assert [[lac["marker"] for lac in x["lacunae"]] for x in lines] == [["□□"], []]
    assert lines[0]["lacunae"][0]["start"] == 0  # offsets into the witness, not the JSON


def test_restore_restores_each_witness_with_the_others(tmp_path: Path) -> None:
    result = run("restore", "--format", "json", str(_collatex(tmp_path)))
    assert result.exit_code == 0, result.stderr
    objs = [json.loads(line) for line in result.output.splitlines()]
    assert [o["witness"] for o in objs] == ["A", "B"]
    best = objs[0]["lacunae"][0]["candidates"][0]
    assert objs[0]["lacunae"][0]["marker"] == "□□"
    assert best["text"] == "L" and "witness:B" in best["sources"]
    assert objs[0]["restored"] == CX["witnesses"][1]["content"]
    assert objs[1]["lacunae"] == []


@pytest.mark.parametrize("command", ["detect", "align", "restore", "edition"])
def test_broken_json_and_xml_are_one_line(command: str, tmp_path: Path) -> None:
    (tmp_path / "w.json").write_text('{"witnesses": [', "utf-8")
    (tmp_path / "w.xml").write_text("<TEI><text><body><ab>x</body></TEI>", "utf-8")
    for name, problem in [("w.json", "broken JSON at line 1 column 16: Expecting value"),
                          ("w.xml", "broken XML: Opening and ending tag mismatch: ab line 1 "
                                    "and body, line 1, column 30")]:
        result = run(command, str(tmp_path / name))
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == f"collate: error: {tmp_path / name}: {problem}\n"


# --- one bad file does not cancel the rest ----------------------------------------------------


def test_detect_reports_the_good_files_and_one_line_per_bad(tmp_path: Path) -> None:
    (tmp_path / "B.txt").write_text("□□ately", "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "C.txt").write_text("x [.3] y", "utf-8")
    result = run("detect", "--format", "json", *(str(tmp_path / n) for n in
                                                 ["B.txt", "empty.txt", "C.txt"]))
    assert result.exit_code == 2
    assert [json.loads(x)["witness"] for x in result.stdout.splitlines()] == ["B.txt", "C.txt"]
    assert result.stderr == f"collate: error: {tmp_path / 'empty.txt'}: empty file\n"


def test_edition_and_restore_go_on_without_a_bad_witness(tmp_path: Path) -> None:
    (tmp_path / "A.txt").write_text("The cat □□t on the mat.\n", "utf-8")
    (tmp_path / "B.txt").write_text("The cat sat on the mat.\n", "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9")
    bad = f"collate: error: {tmp_path / 'bad.txt'}: invalid UTF-8 at byte 3 (0xe9)\n"
    edition = run("edition", "--format", "json", str(tmp_path / "A.txt"),
                  str(tmp_path / "bad.txt"), str(tmp_path / "B.txt"))
    assert edition.exit_code == 2 and edition.stderr == bad
    assert [w["id"] for w in json.loads(edition.stdout)["witnesses"]] == ["A", "B"]
    restored = run("restore", "--format", "json", str(tmp_path / "A.txt"), "--witness",
                   str(tmp_path / "bad.txt"), "--witness", str(tmp_path / "B.txt"))
    assert restored.exit_code == 2 and restored.stderr == bad
    best = json.loads(restored.stdout)["lacunae"][0]["candidates"][0]
    assert best["text"] == "sa" and "witness:B" in best["sources"]


# --- no path of the user's machine in any output ---------------------------------------------


@pytest.mark.parametrize("args", [["edition", "--format", "tei"], ["edition", "--format", "html"],
                                  ["edition", "--format", "json"], ["align", "--format", "tei"],
                                  ["detect", "--format", "json"], ["detect"]])
def test_no_absolute_input_path_in_outputs(args: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "private-folder"
    folder.mkdir()
    for name, text in [("A.txt", "The cat □□t.\n"), ("B.txt", "The cat sat.\n")]:
        (folder / name).write_text(text, "utf-8")
    result = run(*args, str(folder / "A.txt"), str(folder / "B.txt"))
    assert result.exit_code == 0, result.stderr
    assert "private-folder" not in result.stdout and str(tmp_path) not in result.stdout
    assert "A.txt" in result.stdout


PLAIN = ("The harbour master wrote to the council in the autumn.\n"
         "The eastern wall of the old store had fallen, and the boats were moved.\n"
         "He asked for a lamp to be set on the rocks before winter.\n")
EPI = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n'
       '  <text><body><div type="edition"><ab>\n'
       '    <lb n="1"/>The harbour master wrote to the council in the autumn.\n'
       '    <lb n="2"/>The <supplied reason="lost" cert="low" resp="#ed">eastern</supplied> '
       "wall of the old store had fallen, and the boats were moved.\n"
       '    <lb n="3"/>He asked for a <gap reason="lost" quantity="4" unit="character"/> to be set '
       "on the <unclear>rocks</unclear> before winter.\n"
       "  </ab></div></body></text>\n</TEI>\n")


def test_restore_of_tei_lists_the_editor_s_text_apart_from_the_lacunae(tmp_path: Path) -> None:
    tei = tmp_path / "epi.xml"
    tei.write_text(EPI, "utf-8")
    result = run("restore", "--format", "json", str(tei))
    assert result.exit_code == 0, result.stderr
    obj = json.loads(result.output)
    assert obj["witness"] == "epi.xml"
    assert [x["marker"] for x in obj["lacunae"]] == ["[.4]"]  # the editor's text is no lacuna
    assert "The eastern wall" in obj["restored"] and "□" not in obj["restored"]
    assert [{k: m.get(k) for k in ("kind", "text", "reason", "cert", "resp", "extent")}
            for m in obj["editorial"]] == [
        {"kind": "supplied", "text": "eastern", "reason": "lost", "cert": "low", "resp": "#ed",
         "extent": None},
        {"kind": "gap", "text": "[.4]", "reason": "lost", "cert": None, "resp": None,
         "extent": "4 character"},
        {"kind": "unclear", "text": "rocks", "reason": None, "cert": None, "resp": None,
         "extent": None}]


def test_detect_of_tei_points_into_the_xml_file(tmp_path: Path) -> None:
    tei = tmp_path / "epi.xml"
    tei.write_text(EPI, "utf-8")
    result = run("detect", str(tei))
    assert result.exit_code == 0, result.stderr
    first, count = result.output.splitlines()
    line = next(n for n, x in enumerate(EPI.splitlines(), 1) if "<gap " in x)
    column = EPI.splitlines()[line - 1].index("<gap ") + 1
    assert first.startswith(f"epi.xml:{line}:{column}  [.4]  word  4-4 chars  leiden  ")
    assert count == "epi.xml: 1 lacuna"


def test_edition_weighs_a_tei_witness_by_its_text(tmp_path: Path) -> None:
    """An EpiDoc witness of the same text as two plain ones weighs as they do, and the
    consensus keeps every sentence they share."""
    (tmp_path / "epi.xml").write_text(EPI, "utf-8")
    (tmp_path / "A.txt").write_text(PLAIN, "utf-8")
    (tmp_path / "B.txt").write_text(PLAIN.replace("harbour", "harhour"), "utf-8")  # an OCR slip
    files = [str(tmp_path / n) for n in ("epi.xml", "A.txt", "B.txt")]
    result = run("edition", "--format", "json", *files)
    assert result.exit_code == 0, result.stderr
    weight = {w["id"]: w["weight"] for w in json.loads(result.output)["witnesses"]}
    assert min(weight["A"], weight["B"]) <= weight["epi"] <= max(weight["A"], weight["B"])
    assert run("edition", "--format", "plain", *files).output == PLAIN


def test_align_json_is_written_in_pieces_as_one_text(tmp_path: Path, monkeypatch) -> None:
    from collate.alignment import collate
    from collate.render import data
    from collate.render.data import to_json

    monkeypatch.setattr(data, "CHUNK", 2)  # several pieces even for a short text
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("the cat sat on the mat □□ today", encoding="utf-8")
    b.write_text("the cat sat upon a mat here today", encoding="utf-8")
    expected = json.dumps(to_json(collate([("a", a.read_text()), ("b", b.read_text())])),
                          ensure_ascii=False) + "\n"
    assert run("align", "--format", "json", str(a), str(b)).output == expected
    out = tmp_path / "out.json"
    assert run("align", "--format", "json", str(a), str(b), "-o", str(out)).exit_code == 0
    assert out.read_text("utf-8") == expected


def test_align_shows_a_progress_bar_on_a_terminal(capsys, monkeypatch) -> None:
    import sys

    from collate.cli import _aligned
    from collate.model import Witness

    wits = [Witness("A", "a b c"), Witness("B", "a c d")]
    text = "".join(_aligned(wits, "json", 0.7, "none"))
    assert capsys.readouterr().err == "" and json.loads(text)["witnesses"] == ["A", "B"]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert "".join(_aligned(wits, "json", 0.7, "none")) == text
    err = capsys.readouterr().err
    assert "align" in err and "aligning" in err


def test_a_bad_witness_is_left_out_on_its_line_and_recorded(tmp_path: Path) -> None:
    """One policy: the bad file is reported on its line, the rest is processed, the exit
    status is 2, and the output says which witness was left out."""
    (tmp_path / "D.txt").write_text("The c□t sat on the mat.", encoding="utf-8")
    (tmp_path / "A.txt").write_text("The cat sat on the mat.", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x7fELF\x00\x00binary")
    got = run("restore", str(tmp_path / "D.txt"), "--witness", str(tmp_path / "bin.txt"),
              "--witness", str(tmp_path / "A.txt"))
    assert got.exit_code == 2 and got.stderr.count("\n") == 1 and "bin.txt: binary" in got.stderr
    restored = json.loads(got.stdout)
    assert restored["restored"] == "The cat sat on the mat."  # A was still read
    assert [x["source"] for x in restored["left_out"]] == [str(tmp_path / "bin.txt")]
    for fmt, said in (("json", '"left_out": [{"source"'), ("tei", '<note type="left-out">'),
                      ("html", "left out: ")):
        ed = run("edition", str(tmp_path / "D.txt"), str(tmp_path / "bin.txt"),
                 str(tmp_path / "A.txt"), "--format", fmt)
        assert ed.exit_code == 2 and said in ed.stdout, fmt
    clean = run("edition", str(tmp_path / "D.txt"), str(tmp_path / "A.txt"), "--format", "json")
    assert "left_out" not in json.loads(clean.stdout)


def test_a_bad_base_names_the_option_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "A.txt").write_text("a b", encoding="utf-8")
    (tmp_path / "B.txt").write_text("a c", encoding="utf-8")
    got = run("edition", str(tmp_path / "A.txt"), str(tmp_path / "B.txt"), "--base", "Z")
    assert got.exit_code == 2
    assert got.stderr == "collate: error: --base: 'Z' is not a witness id (ids: A, B)\n"
