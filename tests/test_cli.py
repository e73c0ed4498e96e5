"""The command line, driven in-process: exact output and exit status for every command."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from collate.cli import main

SEEDLIKE = "Intro.\n\n□□\n\n□□ately, there [sic] is.\n"


def run(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_detect_json_is_one_line_per_file(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(SEEDLIKE, "utf-8")
    result = run("detect", "--format", "json", str(a), "-", stdin="no gap")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first == {
        "witness": str(a),
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
        f"{a}:3:1  □□  line  0-3 chars  box  Intro.⏎⏎[□□]⏎⏎□□ately, there",
        f"{a}:5:1  □□  in-word  1-3 chars  box  Intro.⏎⏎□□⏎⏎[□□]ately, there [si",
        f"{a}: 2 lacunae",
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


def test_usage_errors_exit_2() -> None:
    assert run("detect").exit_code == 2
    assert run("detect", "--format", "xml", "-").exit_code == 2
    assert run("nonsense").exit_code == 2
