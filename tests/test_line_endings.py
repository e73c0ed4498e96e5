"""Windows line endings: every .txt of ../shared/data saved with CRLF and a byte-order mark
gives the same lacunae, alignment and editions as the LF file, and every output keeps CRLF.

Each file is read the way the command line reads it (:func:`collate.reader.read_witnesses`,
so the BOM is handled there) and compared with its LF original:

- ``detect``: the same lacunae (marker, length range, kind, notation), their offsets indexing
  the CRLF text and mapping onto the LF offsets line for line;
- ``align --format json``: the CRLF witness aligned with its LF original has no variant, and
  its tokens rebuild the CRLF text exactly;
- ``edition --format text``: the CRLF text with its lacunae in Leiden form (no bare LF), and
  with notes the LF edition with every LF turned into CRLF;
  ``tei``: the CRLF text rebuilt from the TEI; ``html``: the CRLF text in the viewer's data.

Restoration's CRLF behaviour is tested in tests/test_restoration.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collate.alignment import collate
from collate.edition import build_edition, make_edition
from collate.lacunae import detect
from collate.model import Restoration, RestoredLacuna
from collate.reader import read_witnesses
from collate.render.data import to_json
from collate.render.html import edition_data, render_html
from collate.render.leiden import render_leiden, render_restoration
from collate.render.tei import render_tei, witness_text
from tests.conftest import DATA

FOLDERS = sorted(p.name for p in DATA.iterdir() if p.is_dir()) if DATA.is_dir() else []


def _crlf_copies(folder: str, tmp: Path) -> list[tuple[Path, Path]]:
    """(LF original, CRLF + BOM copy) for every .txt under ``folder``."""
    pairs = []
    for k, path in enumerate(sorted((DATA / folder).rglob("*.txt"))):
        lf = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
        copy = tmp / f"{k}_{path.name}"
        copy.write_bytes(b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode("utf-8"))
        pairs.append((path, copy))
    return pairs


def _lf_offset(crlf: str, pos: int) -> int:
    return pos - crlf.count("\r\n", 0, pos)


@pytest.mark.skipif(not FOLDERS, reason=f"real data not found: {DATA}")
@pytest.mark.parametrize("folder", FOLDERS)
def test_detect_is_the_same_on_crlf(folder: str, tmp_path: Path) -> None:
    pairs = _crlf_copies(folder, tmp_path)
    assert pairs
    for path, copy in pairs:
        (lf_wit,) = read_witnesses([path])
        (crlf_wit,) = read_witnesses([copy])
        lf, crlf = lf_wit.text.replace("\r\n", "\n"), crlf_wit.text
        assert crlf == lf.replace("\n", "\r\n"), path  # the BOM is gone, nothing else
        want, got = detect(lf), detect(crlf)
        assert [(x.min_chars, x.max_chars, x.kind, x.convention) for x in got] == [
            (x.min_chars, x.max_chars, x.kind, x.convention) for x in want], path
        for x, y in zip(got, want, strict=True):
            assert x.marker == crlf[x.start : x.end] == y.marker.replace("\n", "\r\n")
            assert (_lf_offset(crlf, x.start), _lf_offset(crlf, x.end)) == (y.start, y.end)


def _rebuilt_from_json(table: dict, k: int) -> str:
    return "".join(t["t"] for row in table["table"] for t in row[k])


@pytest.mark.skipif(not FOLDERS, reason=f"real data not found: {DATA}")
@pytest.mark.parametrize("folder", FOLDERS)
def test_align_and_editions_keep_crlf(folder: str, tmp_path: Path) -> None:
    for path, copy in _crlf_copies(folder, tmp_path):
        lf_wit, crlf_wit = read_witnesses([path, copy])
        lf_text, crlf = lf_wit.text.replace("\r\n", "\n"), crlf_wit.text
        if "\n" not in lf_text.rstrip("\n"):
            continue  # one line: nothing to keep
        col = collate([crlf_wit, lf_wit])
        assert not any(col.variants()), path
        table = to_json(col)
        assert _rebuilt_from_json(table, 0) == crlf, path

        gaps = Restoration(crlf_wit.id, crlf,
                           tuple(RestoredLacuna(x, ()) for x in detect(crlf)))
        ed = build_edition(collate([crlf_wit]), {crlf_wit.id: gaps}, base=crlf_wit.id, lang="en")
        text = render_leiden(ed, notes=True)
        assert text == render_restoration(gaps) and "\r\n" in text, path
        assert text.replace("\r\n", "").count("\n") == 0, path
        sig = ed.sigla[crlf_wit.id]
        assert witness_text(render_tei(ed), sig) == crlf, path
        data = edition_data(ed)
        assert "".join(p if isinstance(p, str) else p["m"] for seg in data["segs"]
                       for _, pieces, *_ in seg for p in pieces) == crlf, path


def test_edition_text_with_notes_is_crlf_throughout() -> None:
    a = "The cat sat on\r\nthe mat.\r\nEnd here.\r\n"
    b = "The cot sat on\r\nthe mat!\r\nEnd here.\r\n"
    text = render_leiden(make_edition([("A", a), ("B", b)], restore=False), notes=True)
    assert text.replace("\r\n", "").count("\n") == 0 and text.endswith("\r\n")
    assert text.split("\r\n")[-3:] == ["¹ cat] A; cot B", "² .] A; ! B", ""]
    lf = render_leiden(make_edition([("A", a.replace("\r", "")), ("B", b.replace("\r", ""))],
                                    restore=False), notes=True)
    assert lf.replace("\n", "\r\n") + "\r\n" == text


def test_html_keeps_crlf_in_its_data() -> None:
    page = render_html(make_edition([("A", "one\r\ntwo\r\n"), ("B", "one\r\ntoo\r\n")],
                                    base="A", restore=False))
    blob = page.split('id="edition-data">', 1)[1].split("</script>", 1)[0]
    segs = json.loads(blob)["segs"]
    assert "".join(p for seg in segs for p in seg[0][1]) == "one\r\ntwo\r\n"


def test_cli_edition_text_of_crlf_files_is_crlf_throughout(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from collate.cli import main

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"\xef\xbb\xbfThe cat sat on\r\nthe mat.\r\nEnd here.\r\n")
    b.write_bytes(b"\xef\xbb\xbfThe cot sat on\r\nthe mat!\r\nEnd here.\r\n")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(main, ["edition", "--format", "text", "--base", "a", str(a),
                                       str(b), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8")
    assert text == ("The cat¹ sat on\r\nthe mat.²\r\nEnd here.\r\n\r\n"
                    "¹ cat] a; cot b\r\n² .] a; ! b\r\n")
