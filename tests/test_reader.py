"""Reading witnesses: text kept exactly as decoded, bad input refused with one clear line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from collate.errors import InputError
from collate.model import Witness, witnesses_from
from collate.reader import decode, read_text, read_witnesses


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_is_kept_exactly(tmp_path: Path) -> None:
    raw = "a\r\nb\u0301 e\u0301\ufeff x\n".encode()
    name, text = read_text(write(tmp_path, "w.txt", raw))
    assert text == raw.decode("utf-8") and name.endswith("w.txt")


def test_utf8_bom_is_dropped_and_utf16_bom_decoded(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, "a.txt", codecs.BOM_UTF8 + b"Lately"))[1] == "Lately"
    assert read_text(write(tmp_path, "b.txt", "Lately □".encode("utf-16")))[1] == "Lately □"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b" \n\t\n", "contains only whitespace"),
        (b"ab\xffcd", "invalid UTF-8 at byte 2"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (NUL byte at offset 8)"),
    ],
)
def test_bad_bytes_are_refused(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as err:
        decode("w.txt", data)
    assert str(err.value).startswith(f"w.txt: {problem}")
    assert "\n" not in str(err.value)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_witness_ids_from_file_names(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    paths = [write(tmp_path / "x", "1818.txt", b"one"), write(tmp_path / "y", "1818.txt", b"two"),
             write(tmp_path, "ISic1.damaged.txt", b"three")]
    witnesses = read_witnesses(paths)
    assert [w.id for w in witnesses] == ["x/1818", "y/1818", "ISic1.damaged"]
    assert [w.text for w in witnesses] == ["one", "two", "three"]


def test_witnesses_from_accepts_three_shapes() -> None:
    got = witnesses_from(["one", ("X", "two"), Witness("W", "three")])
    assert [(w.id, w.text) for w in got] == [("A", "one"), ("X", "two"), ("W", "three")]
    with pytest.raises(ValueError, match="duplicate"):
        witnesses_from([("B", "x"), "y"])
    with pytest.raises(TypeError):
        witnesses_from([42])  # type: ignore[list-item]


def test_stdin_named_twice_is_refused() -> None:
    with pytest.raises(InputError, match="more than once"):
        read_witnesses(["-", "-"])


def test_collate_read_is_the_one_entry_point_for_files(tmp_path):
    import collate
    from collate.reader import read

    (tmp_path / "epi.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><ab>the <supplied reason="lost">'
        'eastern</supplied> door</ab></body></text></TEI>', encoding="utf-8")
    (tmp_path / "B.txt").write_text("the eastern door", encoding="utf-8")
    wits = collate.read(tmp_path / "epi.xml", tmp_path / "B.txt")
    assert collate.read is read
    assert [w.id for w in wits] == ["epi", "B"]
    assert [(m.kind, wits[0].text[m.start:m.end]) for m in wits[0].marks] == [
        ("supplied", "eastern")]
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    errors: list = []
    assert [w.id for w in collate.read(tmp_path / "bad.json", tmp_path / "B.txt",
                                       errors=errors)] == ["B"]
    assert "broken JSON" in str(errors[0])
