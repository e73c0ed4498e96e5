"""Bad inputs as data: every case in ``cases/bad_inputs.json`` is run against the real CLI.

Each case builds its input files in a fresh folder (inline text, bytes as hex or base64, or a
named generator below), runs one or more ``collate`` commands there, and checks the outcome:
a correct result, or exit status 2 with one line per bad file naming it and the problem. Never a
traceback (exit 1), never a hang, never a read of a file the user did not name, never a
truncated ``-o`` file.

Cases run in-process through click's ``CliRunner`` unless they say ``"run": "subprocess"``
(hang and size cases, which get a hard timeout).

Case fields
-----------
``label``
    What is wrong with the input, for a person.
``inputs``
    ``{path: spec}``; a spec is ``{"text": str}``, ``{"hex": str}``, ``{"base64": str}``,
    ``{"generator": name}`` (a function in ``GENERATORS``) or ``{"dir": true}``.
``stdin``
    Optional spec for standard input (for ``-``).
``commands``
    Argument lists for ``collate``; each is run (and counted) separately.
``run``, ``timeout``
    ``"subprocess"`` and a timeout in seconds for cases that could hang.
``expect``
    ``exit`` (an int or a list of allowed ints); ``stderr`` (a regex for the whole of standard
    error); ``stdout_contains``/``stdout_not_contains``/``stderr_not_contains`` (substrings);
    ``stdout_max_bytes``; ``detect`` (per input file, ``[start, end, marker]`` triples expected
    from ``detect --format json``); ``rebuilds`` (the input files whose text the ``align
    --format json`` table must rebuild, in witness order); ``xml`` (stdout is well-formed XML);
    ``unchanged`` (``{path: content}`` that must survive the run byte for byte).
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from collate.cli import main
from collate.errors import InputError
from tests.conftest import summary_line

CASES_FILE = Path(__file__).parent / "cases" / "bad_inputs.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text("utf-8"))
SECRET = "collate-secret-7f3a9c"
"""Text of a file that hostile XML points at: it must never appear in any output."""

BIG_LINE_BYTES = 100_000_000
TALLY: Counter[str] = Counter()


# --- generators: inputs too big, too hostile or too path-dependent to keep inline -------------


def _big_line(tmp: Path) -> bytes:
    """100 MB on one line: a lacuna at each end, words between, no newline at all."""
    head, tail = "□□ately ".encode(), b" end [...]"
    unit = b"lorem ipsum dolor "
    fill = BIG_LINE_BYTES - len(head) - len(tail)
    return head + (unit * (fill // len(unit) + 1))[:fill] + tail


def _box_space_line(tmp: Path) -> bytes:
    """100 MB on one line, all ``□ ``: 25 million lacunae, more than anyone can use."""
    return "□ ".encode() * (BIG_LINE_BYTES // 4)


def _deep_json(tmp: Path) -> bytes:
    return b'{"witnesses": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def _fifo(tmp: Path, name: str) -> Path:
    """A named pipe: opening it for reading blocks until a writer comes, so a read hangs."""
    path = tmp / name
    os.mkfifo(path)
    return path


def _secret(tmp: Path, name: str, content: str) -> Path:
    path = tmp / name
    path.write_text(content, "utf-8")
    return path


_TEI_BODY = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><ab>{}</ab></body></text></TEI>'


def _xxe_secret(tmp: Path) -> bytes:
    target = _secret(tmp, "secret.txt", SECRET)
    return (f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{target}">]>\n'
            + _TEI_BODY.format("before &x; after")).encode()


def _alto_xxe_secret(tmp: Path) -> bytes:
    target = _secret(tmp, "secret.txt", SECRET)
    return (f'<?xml version="1.0"?>\n<!DOCTYPE alto [<!ENTITY x SYSTEM "file://{target}">]>\n'
            '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace>'
            '<TextBlock ID="b"><TextLine ID="l"><String CONTENT="before"/><SP/>'
            '<String CONTENT="&x;"/><SP/><String CONTENT="a□□ter"/></TextLine></TextBlock>'
            '</PrintSpace></Page></Layout></alto>').encode()


def _xxe_fifo(tmp: Path) -> bytes:
    target = _fifo(tmp, "pipe")
    return (f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{target}">]>\n'
            + _TEI_BODY.format("before &x; after")).encode()


def _xxe_parameter(tmp: Path) -> bytes:
    target = _secret(tmp, "evil.dtd", f'<!ENTITY leak "{SECRET}">')
    return (f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY % p SYSTEM "file://{target}"> %p;]>'
            + "\n" + _TEI_BODY.format("before &leak; after")).encode()


def _xxe_parameter_fifo(tmp: Path) -> bytes:
    target = _fifo(tmp, "pipe.dtd")
    return (f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY % p SYSTEM "file://{target}"> %p;]>'
            + "\n" + _TEI_BODY.format("text")).encode()


def _external_dtd_fifo(tmp: Path) -> bytes:
    target = _fifo(tmp, "tei.dtd")
    return (f'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "file://{target}">\n'
            + _TEI_BODY.format("text with a □□ lacuna")).encode()


def _xinclude_secret(tmp: Path) -> bytes:
    target = _secret(tmp, "secret.txt", SECRET)
    return ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
            f'<text><body><ab>a <xi:include href="file://{target}" parse="text"/> b</ab>'
            "</body></text></TEI>").encode()


def _quadratic_blowup(tmp: Path) -> bytes:
    """One 50 kB entity used 20 000 times: 1 GB if expanded, under 200 kB as written."""
    big = "a" * 50_000
    return (f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY a "{big}">]>\n'
            + _TEI_BODY.format("&a;" * 20_000)).encode()


def _box_line(tmp: Path) -> bytes:
    return ("□" * 200_000 + "\n").encode()


def _many_lacunae(tmp: Path) -> bytes:
    return ("word □□ [.3] " * 20_000).encode()


GENERATORS: dict[str, Callable[[Path], bytes]] = {
    "big_line": _big_line,
    "box_space_line": _box_space_line,
    "deep_json": _deep_json,
    "xxe_secret": _xxe_secret,
    "alto_xxe_secret": _alto_xxe_secret,
    "xxe_fifo": _xxe_fifo,
    "xxe_parameter": _xxe_parameter,
    "xxe_parameter_fifo": _xxe_parameter_fifo,
    "external_dtd_fifo": _external_dtd_fifo,
    "xinclude_secret": _xinclude_secret,
    "quadratic_blowup": _quadratic_blowup,
    "box_line": _box_line,
    "many_lacunae": _many_lacunae,
}


# --- running a case ------------------------------------------------------------------------------


def _materialize(spec: dict[str, Any], tmp: Path) -> bytes:
    if "text" in spec:
        return spec["text"].encode("utf-8")
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "base64" in spec:
        return base64.b64decode(spec["base64"])
    return GENERATORS[spec["generator"]](tmp)


def _params() -> list[Any]:
    out = []
    for case in CASES:
        for i, args in enumerate(case["commands"]):
            out.append(pytest.param(case, args, id=f"{case['label']} [{i}: {args[0]}]"))
    return out


def _invoke(case: dict[str, Any], args: list[str], tmp: Path, stdin: bytes | None
            ) -> tuple[int, str, str]:
    if case.get("run") == "subprocess":
        try:
            proc = subprocess.run([sys.executable, "-m", "collate", *args], cwd=tmp, input=stdin,
                                  capture_output=True, timeout=case.get("timeout", 30))
        except subprocess.TimeoutExpired:
            pytest.fail(f"{case['label']}: collate {' '.join(args)} hung (timeout)")
        return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                proc.stderr.decode("utf-8", "replace"))
    result = CliRunner().invoke(main, args, input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an uncaught exception: show its traceback in the test report
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("case", "args"), _params())
def test_bad_input(case: dict[str, Any], args: list[str], tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    texts: dict[str, bytes] = {}
    for name, spec in case.get("inputs", {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if spec.get("dir"):
            path.mkdir()
        else:
            path.write_bytes(data := _materialize(spec, tmp_path))
            texts[name] = data
    stdin = _materialize(case["stdin"], tmp_path) if "stdin" in case else None
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.iterdir())

    code, out, err = _invoke(case, args, tmp_path, stdin)
    TALLY["runs"] += 1
    TALLY[f"exit {code}"] += 1

    expect = case["expect"]
    allowed = expect["exit"] if isinstance(expect["exit"], list) else [expect["exit"]]
    assert code in allowed, f"exit {code}, expected {allowed}\nstdout: {out[:500]}\nstderr: {err}"
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:  # one line per bad file, each naming it
        assert err.endswith("\n") and err.strip(), err
        for line in err.splitlines():
            assert line.startswith("collate: error: "), f"not an error line: {line!r}"
    if "stderr" in expect:
        for line in err.splitlines():
            assert re.fullmatch(expect["stderr"], line), err
    for s in expect.get("stdout_contains", []):
        assert s in out
    for s in [*expect.get("stdout_not_contains", []), SECRET]:
        assert s not in out
    for s in [*expect.get("stderr_not_contains", []), SECRET]:
        assert s not in err
    if "stdout_max_bytes" in expect:
        assert len(out.encode()) <= expect["stdout_max_bytes"]
    if "detect" in expect:
        _check_detect(out, expect["detect"], texts)
    if "rebuilds" in expect:
        _check_rebuilds(out, [texts[name].decode("utf-8-sig") for name in expect["rebuilds"]])
    if expect.get("xml"):
        etree.fromstring(out.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    for name, content in expect.get("unchanged", {}).items():
        assert (tmp_path / name).read_text("utf-8") == content
    stray = [p.name for p in set(tmp_path.iterdir()) - before if p.name.endswith(".tmp")]
    assert not stray, f"temporary files left behind: {stray}"


def _check_detect(out: str, expected: dict[str, list[list[Any]]], texts: dict[str, bytes]) -> None:
    """Each file's JSON line lists exactly the expected lacunae, each a true slice of the text."""
    got = {obj["witness"]: obj["lacunae"] for obj in map(json.loads, out.splitlines())}
    for name, triples in expected.items():
        text = _decode(texts[name])
        assert [[x["start"], x["end"], x["marker"]] for x in got[name]] == triples
        for start, end, marker in triples:
            assert text[start:end] == marker


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _check_rebuilds(out: str, texts: list[str]) -> None:
    """The CollateX-shaped JSON table (one list of cells per column, one cell per witness)
    gives back every witness verbatim."""
    obj = json.loads(out)
    assert len(obj["witnesses"]) == len(texts)
    for w, text in enumerate(texts):
        rebuilt = "".join(tok["t"] for column in obj["table"] for tok in column[w] or ())
        assert rebuilt == text


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_run_killed_while_writing_leaves_no_partial_output(sig: int, tmp_path: Path) -> None:
    """Killed just as it writes ``-o OUT``: OUT holds the old content or the whole new one.

    The signal is sent when the temporary file appears beside OUT (when the run finishes first,
    OUT must hold its whole output). An interrupt also removes the temporary file; SIGKILL
    cannot, but leaves only a hidden ``.OUT.*.tmp``, never a truncated OUT.
    """
    boxes = 3_000_000  # one lacuna whose marker makes 9 MB of JSON: a write worth catching
    (tmp_path / "boxes.txt").write_text("□" * boxes + "\n", "utf-8")
    out = tmp_path / "out.json"
    out.write_text("previous\n", "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "collate", "detect", "--format", "json",
                             "boxes.txt", "-o", "out.json"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.startswith(".out.json.") for p in tmp_path.iterdir()):
            proc.send_signal(sig)
            break
        time.sleep(0.0005)
    proc.wait(timeout=30)
    TALLY["runs"] += 1
    content = out.read_text("utf-8")
    assert content == "previous\n" or json.loads(content)["lacunae"][0]["end"] == boxes
    if sig == signal.SIGINT:
        assert sorted(p.name for p in tmp_path.iterdir()) == ["boxes.txt", "out.json"]


def test_output_through_a_symlink_or_a_pipe_keeps_it(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``-o`` naming a symlink writes the file it names; naming a pipe (as ``/dev/stdout``
    can be) writes through it. Neither is replaced by a regular file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.txt").write_text("hello □□ world\n", "utf-8")
    (tmp_path / "real.txt").write_text("previous\n", "utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    code, _, err = _invoke({}, ["detect", "--format", "json", "ok.txt", "-o", "link.txt"],
                           tmp_path, None)
    assert code == 0, err
    assert (tmp_path / "link.txt").is_symlink()
    assert json.loads((tmp_path / "real.txt").read_text("utf-8"))["witness"] == "ok.txt"

    fifo = _fifo(tmp_path, "pipe")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = _invoke({"run": "subprocess", "timeout": 30},
                           ["detect", "--format", "json", "ok.txt", "-o", "pipe"], tmp_path, None)
    reader.join(timeout=10)
    TALLY["runs"] += 2
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and json.loads(got[0])["witness"] == "ok.txt"


XSS_TEXT = 'Hello <script>alert(1)</script> & "quotes" □□ <img src=x onerror=alert(2)>\n'
XSS_NAME = "<b onmouseover=alert(3)>.txt"
HTML_RUNS = [
    ["align", "--format", "html", "xss.txt", XSS_NAME],
    ["edition", "--format", "html", "xss.txt", XSS_NAME],
    ["restore", "--format", "html", "xss.txt", "--witness", XSS_NAME],
]


@pytest.mark.parametrize("args", HTML_RUNS, ids=lambda a: " ".join(a[:3]))
def test_html_holds_no_markup_from_witnesses(args: list[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Witness text and file names reach the HTML only escaped: no tag, handler or script
    break-out of theirs, while embedded JSON data still carries them whole."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "xss.txt").write_text(XSS_TEXT, "utf-8")
    (tmp_path / XSS_NAME).write_text("Hello world □□ here\n", "utf-8")
    code, html, err = _invoke({}, args, tmp_path, None)
    TALLY["runs"] += 1
    assert code == 0, err
    for payload in ["<script>alert(1)", "alert(1)</script>", "<img src=x", "<b onmouseover"]:
        assert payload not in html
    doc = lxml.html.document_fromstring(html)
    handlers = [(el.tag, k) for el in doc.iter() if isinstance(el.tag, str)
                for k, v in el.attrib.items() if k.lower().startswith("on") and "alert(" in v]
    assert not handlers
    for script in doc.iter("script"):
        if script.get("type") == "application/json":  # data: valid JSON, payload kept inside
            json.loads(script.text or "null")
        else:  # code: none of it comes from a witness
            assert "alert(" not in (script.text or "")


def test_tei_entities_are_never_expanded(tmp_path: Path) -> None:
    """xmlsource leaves entity references unexpanded: internal, external and parameter ones."""
    from collate.xmlsource import witness_from_tei

    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, "utf-8")
    doc = ('<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY inner "EXPANDED">'
           f'<!ENTITY outer SYSTEM "file://{secret}">]>\n'
           + _TEI_BODY.format("a &inner; b &outer; c"))
    for data in (doc, doc.encode()):
        try:
            text = witness_from_tei(data, "x.xml", "x").text
        except InputError:
            continue
        assert "EXPANDED" not in text and SECRET not in text
        assert text.startswith("a ") and text.endswith(" c\n")


def test_cases_are_well_formed() -> None:
    """Every case has a label, commands and an exit expectation; labels are unique."""
    labels = [c["label"] for c in CASES]
    assert len(labels) == len(set(labels))
    for case in CASES:
        assert case["commands"] and isinstance(case["expect"]["exit"], int | list)
        for spec in case.get("inputs", {}).values():
            assert spec.keys() <= {"text", "hex", "base64", "generator", "dir"}
            assert "generator" not in spec or spec["generator"] in GENERATORS


def _summary() -> str:
    """How many bad inputs were tried, and with what exit status."""
    exits = ", ".join(f"{k}: {v}" for k, v in sorted(TALLY.items()) if k != "runs")
    return f"bad inputs: {len(CASES)} cases, {TALLY['runs']} command runs ({exits})"


summary_line("bad inputs", _summary)
