"""Reading witnesses: files, standard input, CollateX JSON and TEI, each to :class:`Witness`.

The text is kept exactly as decoded: no newline or Unicode normalization, ever. Only the
byte-order mark, which is an encoding signature and not text, is dropped. Anything that is
not readable text is refused with an :class:`~collate.errors.InputError` naming the file.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, TypeAlias

from collate.errors import InputError
from collate.lacunae import BOX_GLYPHS
from collate.model import Witness

MAX_BYTES = 128 * 1024 * 1024
"""Largest input accepted (128 MiB): far beyond any book, short of exhausting memory."""
MAX_LACUNAE = 1_000_000
"""Most placeholder runs accepted in one file: far beyond any transcription, while detecting
them all stays within seconds and a gigabyte (a 100 MB line of ``□ `` would hold 25 million)."""
_PLACEHOLDER = re.compile(rf"[{BOX_GLYPHS}]+|\ufffd+|\[[^\[\]\n]{{0,40}}\]|<[gG][aA][pP]\b")

WitnessLike: TypeAlias = str | tuple[str, str] | Witness


def witnesses_from(items: Iterable[WitnessLike]) -> list[Witness]:
    """Coerce plain strings (sigla A, B, C, …), ``(id, text)`` pairs or Witnesses.

    >>> [(w.id, w.text) for w in witnesses_from(["one", ("X", "two")])]
    [('A', 'one'), ('X', 'two')]
    """
    out: list[Witness] = []
    for n, item in enumerate(items):
        if isinstance(item, Witness):
            out.append(item)
        elif isinstance(item, str):
            out.append(Witness(_siglum(n), item))
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(x, str) for x in item):
            out.append(Witness(item[0], item[1]))
        else:
            raise TypeError(f"witness {n}: expected str, (id, text) or Witness, not {item!r:.60}")
    ids = [w.id for w in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate witness ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return out


def _siglum(n: int) -> str:
    """A, B, …, Z, A1, B1, … for the n-th anonymous witness."""
    return chr(ord("A") + n % 26) + (str(n // 26) if n >= 26 else "")


def read_bytes(path: str | Path) -> tuple[str, bytes]:
    """The display name and raw bytes of a file, or of standard input for ``-``."""
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        name = "<stdin>"
    else:
        p = Path(path)
        try:
            if p.is_dir():
                raise InputError(name, "is a directory, not a file")
            size = p.stat().st_size
            if size > MAX_BYTES:
                raise InputError(name, f"too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
            with p.open("rb") as fh:  # bounded: /dev/zero or an endless pipe has no size
                data = fh.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise InputError(name, "no such file") from None
        except PermissionError:
            raise InputError(name, "permission denied") from None
        except IsADirectoryError:
            raise InputError(name, "is a directory, not a file") from None
        except OSError as err:
            raise InputError(name, f"cannot read: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise InputError(name, f"too large (more than {MAX_BYTES:,} bytes)")
    return name, data


def decode(name: str, data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM to ``str``, else a clear InputError.

    >>> decode("x.txt", b"\\xef\\xbb\\xbfLately")
    'Lately'
    >>> decode("x.txt", b"ab\\xffc")
    Traceback (most recent call last):
    ...
    collate.errors.InputError: x.txt: invalid UTF-8 at byte 2 (0xff)
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(name, f"invalid UTF-16 at byte {err.start}") from None
        if "\x00" in text:
            raise InputError(name, "binary file (NUL character in UTF-16 text)")
        return _not_blank(name, text)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\x00")
    if nul >= 0 and _utf16_without_bom(data):
        raise InputError(name, "looks like UTF-16 without a byte-order mark; save it as UTF-8")
    if nul >= 0:
        raise InputError(name, f"binary file (NUL byte at offset {nul}), expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = data[err.start : err.start + 1].hex()
        raise InputError(name, f"invalid UTF-8 at byte {err.start} (0x{bad})") from None
    return _not_blank(name, text)


def _not_blank(name: str, text: str) -> str:
    """``text``, unless it is empty or only whitespace (an InputError then)."""
    if not text:
        raise InputError(name, "empty file")
    if not text.strip():
        raise InputError(name, "contains only whitespace")
    return text


def _utf16_without_bom(data: bytes) -> bool:
    """Whether NUL bytes fill every other byte, as in UTF-16 text of a mostly Latin script."""
    sample = data[:4096]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return half >= 2 and max(even, odd) >= 0.8 * half and min(even, odd) <= 0.1 * half


def read_text(path: str | Path) -> tuple[str, str]:
    """The display name and decoded text of a file (``-`` for standard input)."""
    name, data = read_bytes(path)
    return name, _text(name, data)


def _text(name: str, data: bytes) -> str:
    """Decoded text of a file's bytes, refused when too damaged to process."""
    text = decode(name, data)
    _check_placeholders(name, text)
    return text


def _check_placeholders(name: str, text: str) -> None:
    """Refuse text with more than :data:`MAX_LACUNAE` placeholder runs (cheap count first)."""
    if sum(text.count(c) for c in BOX_GLYPHS + "\ufffd[<") <= MAX_LACUNAE:
        return
    runs = sum(1 for _ in islice(_PLACEHOLDER.finditer(text), MAX_LACUNAE + 1))
    if runs > MAX_LACUNAE:
        raise InputError(name, f"more than {MAX_LACUNAE:,} placeholders for lost text; "
                               "too damaged to process (split the file?)")


def read_witnesses(
    paths: Sequence[str | Path], *, seen: Callable[[int, bytes], None] | None = None
) -> list[Witness]:
    """Witnesses from files: plain text (one witness, id from the file name), CollateX JSON
    (its witnesses) or TEI/EpiDoc XML (one witness, lacunae and restorations as marked).

    Ids are file stems; where two stems collide, the parent folder is prefixed
    (``C05/1818``), so sigla stay unique and readable. ``seen(i, data)`` is given the raw
    bytes of the i-th file as it is read (to hash it without reading it twice).
    """
    if [str(p) for p in paths].count("-") > 1:
        raise InputError("<stdin>", "standard input is named more than once; it can be read once")
    names = _ids([str(p) for p in paths])
    out: list[Witness] = []
    for i, (path, wid) in enumerate(zip(paths, names, strict=True)):
        name, data = read_bytes(path)
        if seen is not None:
            seen(i, data)
        text = _text(name, data)
        head = text.lstrip()[:200]
        if str(path).endswith(".json") or head.startswith(("{", "[")):
            out.extend(_json_witnesses(name, text))
        elif str(path).endswith(".xml") or head.startswith(("<?xml", "<TEI", "<tei")):
            from collate.xmlsource import witness_from_tei

            out.append(witness_from_tei(text, name, wid))
        else:
            out.append(Witness(wid, text, name))
    ids = [w.id for w in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(str(paths[0]), f"duplicate witness ids: {', '.join(dup)}")
    return out


def _json_witnesses(name: str, text: str) -> list[Witness]:
    try:
        obj: Any = json.loads(text)
    except json.JSONDecodeError as err:
        problem = f"broken JSON at line {err.lineno} column {err.colno}: {err.msg}"
        raise InputError(name, problem) from None
    except RecursionError:
        raise InputError(name, "JSON nested too deeply") from None
    except ValueError as err:  # e.g. an integer of more than 4300 digits
        raise InputError(name, f"unreadable JSON: {err}") from None
    from collate.render.data import witnesses_from_json

    return witnesses_from_json(obj, name)


def _ids(paths: list[str]) -> list[str]:
    """Witness ids from file names: the stem, or ``parent/stem`` where stems collide."""
    stems = ["stdin" if p == "-" else Path(p).stem or Path(p).name for p in paths]
    out: list[str] = []
    for p, stem in zip(paths, stems, strict=True):
        wid = stem
        if stems.count(stem) > 1 and p != "-":
            wid = f"{Path(p).resolve().parent.name}/{stem}"
        while wid in out:
            wid += "'"
        out.append(wid)
    return out
