"""Reading witnesses: files, standard input, CollateX JSON, TEI and OCR output, each to
:class:`Witness`.

Every command reads its inputs here, the same way: a plain-text file is one witness; a
CollateX JSON file (:func:`witnesses_from_json`) or a TEI file
(:func:`collate.xmlsource.witness_from_tei`) may hold several; an OCR file (ALTO, PAGE,
hOCR, ABBYY FineReader XML, recognised by its content: :func:`collate.ocrsource.ocr_format`)
is one witness with the engine's word evidence (:func:`collate.ocrsource.witness_from_ocr`).
A file that claims a format and is broken in it (a ``.json`` that does not parse, a ``.xml``
that is not well-formed) is refused.

The text is kept exactly as decoded: no newline or Unicode normalization, ever. Only the
byte-order mark, which is an encoding signature and not text, is dropped. Anything that is
not readable text is refused with an :class:`~collate.errors.InputError` naming the file.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from collate.chars import BOX_GLYPHS
from collate.errors import InputError
from collate.model import Witness
from collate.tokens import pretokenized

MAX_BYTES = 128 * 1024 * 1024
"""Largest input accepted (128 MiB): far beyond any book, short of exhausting memory."""
MAX_LACUNAE = 1_000_000
"""Most placeholder runs accepted in one file: far beyond any transcription, while detecting
them all stays within seconds and a gigabyte (a 100 MB line of ``□ `` would hold 25 million)."""
TEXT_SUFFIXES = frozenset({".txt", ".text"})
"""Suffixes of plain text: such a file is one witness, whatever it starts with (``[...]``)."""
XML_SUFFIXES = frozenset({".xml", ".tei"})
"""Suffixes of TEI/EpiDoc files."""
_PLACEHOLDER = re.compile(rf"[{BOX_GLYPHS}]+|\ufffd+|\[[^\[\]\n]{{0,40}}\]|<[gG][aA][pP]\b")

def read_bytes(path: str | Path, name: str | None = None) -> tuple[str, bytes]:
    """The display name and raw bytes of a file, or of standard input for ``-``.

    ``name`` is how errors name the file (default: the path as given, ``<stdin>`` for ``-``).
    """
    if name is None:
        name = "<stdin>" if str(path) == "-" else str(path)
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
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


@dataclass(frozen=True, slots=True)
class Source:
    """One input file as read: its position among the paths read, the name outputs give it
    and the witnesses it holds (one or more)."""

    index: int
    name: str
    witnesses: tuple[Witness, ...]

    def label(self, witness: Witness) -> str:
        """How outputs name a witness of this file: the file's name when it holds one
        witness, else the witness id.

        >>> Source(0, "w.json", (Witness("A", "a"), Witness("B", "b"))).label(Witness("B", "b"))
        'B'
        >>> Source(0, "seed.txt", (Witness("seed", "a"),)).label(Witness("seed", "a"))
        'seed.txt'
        """
        return self.name if len(self.witnesses) == 1 else witness.id


def read_sources(
    paths: Sequence[str | Path],
    *,
    names: Sequence[str] | None = None,
    seen: Callable[[int, bytes], None] | None = None,
    errors: list[InputError] | None = None,
) -> list[Source]:
    """Each file read as a :class:`Source`: plain text (one witness, id from the file name),
    CollateX JSON (its witnesses), TEI/EpiDoc XML (one witness, lacunae and restorations as
    marked) or OCR output (one witness, its words with the engine's confidences and boxes).

    Ids are file stems; where two stems collide, the parent folder is prefixed
    (``C05/1818``), so sigla stay unique and readable.

    Parameters
    ----------
    paths : sequence of str or Path
        The files; ``-`` is standard input (``<stdin>`` in messages).
    names : sequence of str, optional
        How errors and outputs name each file (a path relative to a corpus, say). By
        default errors name the path as given and outputs (a witness's ``source``) name it
        without any absolute part: :func:`published_name`.
    seen : callable, optional
        ``seen(i, data)`` is given the raw bytes of the i-th file as it is read (to hash it
        without reading it twice).
    errors : list, optional
        Where a file that cannot be read is recorded and left out, so that one bad file does
        not cancel the rest; without it, the file's :class:`InputError` is raised.
    """
    if [str(p) for p in paths].count("-") > 1:
        raise InputError("<stdin>", "standard input is named more than once; it can be read once")
    ids = _ids([str(p) for p in paths])
    out: list[Source] = []
    for i, path in enumerate(paths):
        try:
            name, data = read_bytes(path, names[i] if names is not None else None)
            if seen is not None:
                seen(i, data)
            shown = names[i] if names is not None else published_name(str(path), ids[i])
            found = _witnesses(str(path), name, _text(name, data), ids[i])
            out.append(Source(i, shown, tuple(_renamed(w, shown) for w in found)))
        except InputError as err:
            if errors is None:
                raise
            errors.append(err)
    return out


def read_witnesses(
    paths: Sequence[str | Path],
    *,
    names: Sequence[str] | None = None,
    seen: Callable[[int, bytes], None] | None = None,
    errors: list[InputError] | None = None,
) -> list[Witness]:
    """The witnesses of all files, in order (see :func:`read_sources`).

    Raises
    ------
    InputError
        When a file cannot be read (unless ``errors`` collects it), or when two witnesses
        share an id.
    """
    sources = read_sources(paths, names=names, seen=seen, errors=errors)
    out = [w for src in sources for w in src.witnesses]
    ids = [w.id for w in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(sources[0].name, f"duplicate witness ids: {', '.join(dup)}")
    return out


def read(*paths: str | Path, errors: list[InputError] | None = None) -> list[Witness]:
    """Every witness the files hold, as every command reads them: a plain-text file is one
    witness (id: its stem), a CollateX JSON file its witnesses, a TEI/EpiDoc file one witness
    with its editor's marks (:class:`~collate.xmlsource.TeiWitness`), an ALTO, PAGE, hOCR or
    ABBYY file one witness with its OCR engine's words (:class:`~collate.ocrsource.OcrWitness`);
    ``-`` is standard input. ``collate.read`` is this function.

    Raises
    ------
    InputError
        One line naming the file and the problem (an unreadable, empty, binary or broken
        file), unless ``errors`` collects it and the file is left out.

    Examples
    --------
    >>> import collate, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "A.txt").write_text("The c□t sat.", encoding="utf-8")
    >>> _ = (folder / "two.json").write_text('{"witnesses": [{"id": "B", "content": "x"}, '
    ...                                       '{"id": "C", "content": "y"}]}', encoding="utf-8")
    >>> [(w.id, w.text) for w in collate.read(folder / "A.txt", folder / "two.json")]
    [('A', 'The c□t sat.'), ('B', 'x'), ('C', 'y')]
    """
    return read_witnesses(paths, errors=errors)


def published_name(path: str, wid: str = "") -> str:
    """How outputs name an input file: as given, unless absolute, since a path of the
    user's machine does not belong in a published edition; an absolute path is shortened to
    its part below the working folder, or else to its file name (with its folder's name
    where the witness id has it, ``C05/1818.txt``).

    >>> published_name("samples/memo/A.txt"), published_name("-")
    ('samples/memo/A.txt', '<stdin>')
    >>> published_name("/home/ann/corpus/C05/1818.txt", "C05/1818")
    'C05/1818.txt'
    """
    if path == "-":
        return "<stdin>"
    p = Path(path)
    if not p.is_absolute():
        return path
    try:
        return p.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return f"{p.parent.name}/{p.name}" if "/" in wid else p.name


def _renamed(witness: Witness, source: str) -> Witness:
    return witness if witness.source == source else replace(witness, source=source)


def _witnesses(path: str, name: str, text: str, wid: str) -> list[Witness]:
    """The witnesses a file's text holds: by its suffix (``.json``; ``.xml``/``.tei``;
    ``.txt``/``.text`` is always plain text), else by how it starts; an OCR file (ALTO,
    PAGE, hOCR, ABBYY) by its root element, whatever its suffix."""
    suffix = Path(path).suffix.lower()
    head = text.lstrip()[:200]
    if suffix == ".json" or (suffix not in TEXT_SUFFIXES and head.startswith("{")):
        return witnesses_from_json(_parse_json(name, text), name)
    if suffix in TEXT_SUFFIXES:  # plain text: the XML readers (and lxml) are never loaded
        return [Witness(wid, text, name)]
    from collate.ocrsource import ocr_format, witness_from_ocr

    kind = ocr_format(text, suffix)
    if kind is not None:
        return [witness_from_ocr(text, name, wid, kind)]
    if suffix == ".hocr":
        raise InputError(name, "not hOCR: no element of class ocr_page, ocr_line or ocrx_word")
    if suffix in XML_SUFFIXES or head.startswith(("<?xml", "<TEI", "<tei")):
        from collate.xmlsource import witness_from_tei

        return [witness_from_tei(text, name, wid)]
    return [Witness(wid, text, name)]


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        problem = f"broken JSON at line {err.lineno} column {err.colno}: {err.msg}"
        raise InputError(name, problem) from None
    except RecursionError:
        raise InputError(name, "JSON nested too deeply") from None
    except ValueError as err:  # e.g. an integer of more than 4300 digits
        raise InputError(name, f"unreadable JSON: {err}") from None


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


# --- CollateX JSON -------------------------------------------------------------------------


def witnesses_from_json(obj: Any, source: str) -> list[Witness]:
    """Witnesses from CollateX input JSON, or from the :func:`collate.render.data.to_json`
    output (a table), so that a table can be collated again and yields the same witnesses.

    ``{"id", "content"}`` gives a :class:`Witness`; ``{"id", "tokens": [{"t", "n"}]}`` a
    :class:`~collate.model.Witness` with ``tokens``, whose text is the concatenation of the
    ``t``s and whose norms are the given ``n`` (computed where ``n`` is missing).

    Raises
    ------
    InputError
        When the object does not have that shape (the message names ``source``).

    Examples
    --------
    >>> ws = witnesses_from_json({"witnesses": [{"id": "A", "content": "a b"},
    ...     {"id": "B", "tokens": [{"t": "a ", "n": "a"}, {"t": "c"}]}]}, "in.json")
    >>> [(w.id, w.text) for w in ws]
    [('A', 'a b'), ('B', 'a c')]
    >>> witnesses_from_json({"witness": []}, "in.json")
    Traceback (most recent call last):
    ...
    collate.errors.InputError: in.json: expected a JSON object with a "witnesses" list
    """
    if not isinstance(obj, dict) or not isinstance(obj.get("witnesses"), list):
        raise InputError(source, 'expected a JSON object with a "witnesses" list')
    items = obj["witnesses"]
    if "table" in obj and all(isinstance(w, str) for w in items):
        out: list[Witness] = _from_table(obj["table"], items, source)
    else:
        out = [_json_witness(w, n, source) for n, w in enumerate(items)]
    ids = [w.id for w in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(source, f"duplicate witness ids: {', '.join(dup)}")
    if not out:
        raise InputError(source, 'the "witnesses" list is empty')
    return out


def _json_witness(item: Any, n: int, source: str) -> Witness:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise InputError(source, f'witness {n + 1}: expected an object with an "id" string')
    wid = item["id"]
    if isinstance(item.get("content"), str):
        return Witness(wid, item["content"], source)
    if isinstance(item.get("tokens"), list):
        return _tokenized(wid, item["tokens"], source, f"witness {wid!r}")
    raise InputError(source, f'witness {wid!r}: needs a "content" string or a "tokens" list')


def _tokenized(wid: str, tokens: list[Any], source: str, where: str) -> Witness:
    pairs: list[tuple[str, str | None]] = []
    for k, tok in enumerate(tokens):
        if not isinstance(tok, dict) or not isinstance(tok.get("t"), str):
            raise InputError(source, f'{where}: token {k + 1} has no "t" string')
        norm = tok.get("n")
        if norm is not None and not isinstance(norm, str):
            raise InputError(source, f'{where}: token {k + 1} has an "n" that is not a string')
        pairs.append((tok["t"], norm))
    toks = tuple(pretokenized(pairs))
    return Witness(wid, "".join(t for t, _ in pairs), source, toks)


def _from_table(table: Any, ids: list[str], source: str) -> list[Witness]:
    """Tokens per witness from a table: ours (column × witness), or any layout whose tokens
    carry CollateX's ``_sigil`` (the Python port writes witness × column)."""
    if not isinstance(table, list):
        raise InputError(source, '"table" must be a list')
    cells: list[tuple[int, list[Any]]] = []  # (witness index in a column, tokens)
    for c, column in enumerate(table):
        if not isinstance(column, list):
            raise InputError(source, f'"table" row {c + 1} is not a list')
        for k, cell in enumerate(column):
            if cell is None:
                continue
            if not isinstance(cell, list):
                raise InputError(source, f'"table" row {c + 1}: cell {k + 1} is not a token list')
            cells.append((k, cell))
    flat = [tok for _, cell in cells for tok in cell]
    tokens: dict[str, list[Any]] = {w: [] for w in ids}
    if flat and all(isinstance(t, dict) and t.get("_sigil") in tokens for t in flat):
        for tok in flat:
            tokens[tok["_sigil"]].append(tok)
    else:
        for k, cell in cells:
            if k >= len(ids):
                raise InputError(source, f'"table": a row has more cells than the {len(ids)} '
                                         "witnesses")
            tokens[ids[k]].extend(cell)
    return [_tokenized(w, tokens[w], source, f"witness {w!r}") for w in ids]
