"""Corpora: finding the documents of an archive and the witness files of each document.

A corpus is given as a folder or as a manifest file.

Folder layouts (``layout="auto"`` tells them apart, folder by folder):

- **a folder per document, a file per witness** (``frankenstein/C07/1818.txt``): a folder
  below the corpus root that holds only files is one document, each file a witness;
- **a folder of single files** (``seed/``): files lying directly in the corpus root, or in a
  folder that also has subfolders, are one-witness documents each;
- **flat folders of related files** (``epigraphy_isicily/ISic000660.damaged.txt``,
  ``ISic000660.xml``): a folder in which several files share the stem before their first dot
  holds one-witness documents, not the witnesses of one document.

Nested collections (``ocr_overproof/dataset2/article_069/ocr.txt``) are walked down to the
folders that hold files. Witness files are ``.txt``, ``.xml``/``.tei`` (TEI, EpiDoc, ALTO,
PAGE, ABBYY), ``.hocr``, ``.html``/``.htm`` in hOCR (an ``ocr_page`` class) and ``.json``
in CollateX form (a ``"witnesses"`` key); anything else (``index.tsv``, metadata
JSON, ``README*``, hidden files and folders starting with ``.``) is not a witness.
``layout="folders"`` or ``"files"`` forces one reading for every folder.

Manifests list documents explicitly:

- CSV with a header naming a ``document`` (or ``id``) column and a ``witness`` (or ``path``)
  column, one row per witness;
- JSON: ``{"documents": [{"id": "C07", "witnesses": ["C07/1818.txt", ...]}, ...]}``, a bare
  list of such objects, or an object mapping ids to lists of paths.

Relative witness paths are relative to the manifest's folder. Document ids are relative
POSIX paths (``frankenstein/C07``; a one-witness document drops its file suffix where that
keeps ids unique), so they double as output paths.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from collate.errors import InputError

LAYOUTS = ("auto", "folders", "files")
TEXT_SUFFIXES = frozenset({".txt", ".text", ".xml", ".tei", ".hocr"})
SNIFFED = {".json": re.compile(rb'"witnesses"'),
           ".html": re.compile(rb"\bocr(?:_page|_line|x_word)\b"),
           ".htm": re.compile(rb"\bocr(?:_page|_line|x_word)\b")}
"""Suffixes of files that are witnesses only when their first 4 KiB say so: CollateX JSON,
hOCR saved as HTML (beside HTML editions, which are not witnesses)."""
RESERVED = frozenset({"summary"})
"""Top-level ids kept free for the batch's own files (``summary.json``)."""


@dataclass(frozen=True)
class Document:
    """One document of a corpus: an id and the witness files it is collated from.

    ``root`` is the folder witness paths are shown relative to, so that what a worker writes
    into an edition does not depend on where the corpus lies.

    >>> doc = Document("C07", ("/corpus/C07/1818.txt",), "/corpus")
    >>> doc.relative_paths()
    ('C07/1818.txt',)
    """

    id: str
    paths: tuple[str, ...]
    root: str

    def relative_paths(self) -> tuple[str, ...]:
        """The witness paths relative to ``root`` (as given where they lie outside it)."""
        out = []
        for p in self.paths:
            try:
                out.append(Path(p).relative_to(self.root).as_posix())
            except ValueError:
                out.append(Path(p).as_posix())
        return tuple(out)


def discover(source: str | Path, *, layout: str = "auto",
             exclude: Sequence[str | Path] = ()) -> list[Document]:
    """The documents of a corpus folder or manifest, sorted by id.

    Parameters
    ----------
    source : str or Path
        A corpus folder, or a ``.csv`` / ``.json`` manifest.
    layout : {"auto", "folders", "files"}
        How a folder of files is read (see the module docstring); manifests ignore it.
    exclude : sequence of paths
        Folders not to walk into (a batch's own output folder inside the corpus).

    Returns
    -------
    list of Document

    Raises
    ------
    InputError
        When ``source`` does not exist, a manifest is broken, or no document is found.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("C01/1818.txt", "C01/1831.txt", "C02/1818.txt", "note.txt", "README.md"):
    ...     (root / name).parent.mkdir(exist_ok=True)
    ...     _ = (root / name).write_text("text")
    >>> [(d.id, d.relative_paths()) for d in discover(root)]
    [('C01', ('C01/1818.txt', 'C01/1831.txt')), ('C02', ('C02/1818.txt',)), ('note', ('note.txt',))]
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    path = Path(source)
    if not path.exists():
        raise InputError(str(source), "no such file or folder")
    if path.is_file():
        docs = read_manifest(path)
    else:
        root = path.resolve()
        found: list[tuple[PurePosixPath, list[Path], bool]] = []
        skip = {Path(p).resolve() for p in exclude}
        _walk(root, root, layout, found, skip)
        docs = _name(found, root)
    if not docs:
        raise InputError(str(source), "no documents found (no witness files)")
    return docs


def _visible(p: Path) -> bool:
    return not p.name.startswith(".") and not p.name.upper().startswith("README")


def _is_witness(p: Path) -> bool:
    """A text, TEI or OCR file, or a JSON file in CollateX form or an HTML file in hOCR
    (sniffed from its first 4 KiB)."""
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return True
    if suffix not in SNIFFED:
        return False
    try:
        with p.open("rb") as fh:
            return SNIFFED[suffix].search(fh.read(4096)) is not None
    except OSError:
        return True  # unreadable: let the document fail with the reader's clear error


def _walk(root: Path, folder: Path, layout: str, found: list, skip: set[Path]) -> None:
    """Collect ``(relative path, witness files, is_folder_document)`` under ``folder``."""
    try:
        entries = sorted((p for p in folder.iterdir() if _visible(p) and p not in skip),
                         key=lambda p: p.name)
    except OSError as err:
        raise InputError(str(folder), f"cannot list folder: {err.strerror or err}") from None
    files = [p for p in entries if p.is_file() and _is_witness(p)]
    subdirs = [p for p in entries if p.is_dir()]
    rel = PurePosixPath(folder.relative_to(root).as_posix())
    as_document = (folder != root and not subdirs and bool(files)
                   and (layout == "folders" or (layout == "auto" and not _related(files))))
    if as_document:
        found.append((rel, files, True))
    else:
        found.extend((rel / f.name, [f], False) for f in files)
    for sub in subdirs:
        _walk(root, sub, layout, found, skip)


def _related(files: list[Path]) -> bool:
    """True when several files share the stem before their first dot (epigraphy style)."""
    stems = Counter(f.name.split(".", 1)[0] for f in files)
    return len(files) > 1 and any(n > 1 for n in stems.values())


def _name(found: list[tuple[PurePosixPath, list[Path], bool]], root: Path) -> list[Document]:
    """Ids for what the walk found: folder paths, file paths without suffix where unique."""
    wanted = [str(rel) if is_folder else str(rel.with_suffix("")) for rel, _, is_folder in found]
    counts = Counter(wanted)
    docs = []
    taken: set[str] = set()
    for (rel, files, _), want in zip(found, wanted, strict=True):
        doc_id = want if counts[want] == 1 else str(rel)
        while doc_id in taken or doc_id in RESERVED:
            doc_id += "_"
        taken.add(doc_id)
        docs.append(Document(doc_id, tuple(str(f) for f in files), str(root)))
    return sorted(docs, key=lambda d: d.id)


def read_manifest(path: Path) -> list[Document]:
    """Documents listed in a CSV or JSON manifest (see the module docstring).

    >>> import tempfile, pathlib
    >>> m = pathlib.Path(tempfile.mkdtemp()) / "corpus.csv"
    >>> _ = m.write_text("document,witness\\nC07,C07/1818.txt\\nC07,C07/1831.txt\\n")
    >>> [(d.id, d.relative_paths()) for d in read_manifest(m)]
    [('C07', ('C07/1818.txt', 'C07/1831.txt'))]
    """
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(name, f"cannot read manifest: {err}") from None
    if path.suffix.lower() == ".csv":
        listing = _csv_listing(name, text)
    elif path.suffix.lower() == ".json":
        listing = _json_listing(name, text)
    else:
        raise InputError(name, "not a folder, nor a .csv or .json manifest")
    root = path.resolve().parent
    docs = []
    for doc_id, witnesses in listing.items():
        _check_id(name, doc_id)
        if not witnesses:
            raise InputError(name, f"document {doc_id!r} lists no witness")
        paths = tuple(str(root / w) for w in witnesses)
        docs.append(Document(doc_id, paths, str(root)))
    return sorted(docs, key=lambda d: d.id)


def _csv_listing(name: str, text: str) -> dict[str, list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    fields = {f.strip().lower(): f for f in reader.fieldnames or ()}
    doc_col = fields.get("document") or fields.get("id")
    wit_col = fields.get("witness") or fields.get("path")
    if not rows or doc_col is None or wit_col is None:
        raise InputError(name, "a CSV manifest needs a header with 'document' and 'witness' "
                               "columns and at least one row")
    listing: dict[str, list[str]] = {}
    for n, row in enumerate(rows, start=2):
        doc, wit = (row.get(doc_col) or "").strip(), (row.get(wit_col) or "").strip()
        if not doc or not wit:
            raise InputError(name, f"line {n}: empty document or witness")
        listing.setdefault(doc, []).append(wit)
    return listing


def _json_listing(name: str, text: str) -> dict[str, list[str]]:
    try:
        obj: Any = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(name, f"broken JSON at line {err.lineno} column {err.colno}: "
                               f"{err.msg}") from None
    if isinstance(obj, dict) and "documents" in obj:
        obj = obj["documents"]
    pairs: list[tuple[Any, Any]]
    if isinstance(obj, dict):
        pairs = list(obj.items())
    elif isinstance(obj, list) and all(isinstance(d, dict) for d in obj):
        pairs = [(d.get("id"), d.get("witnesses")) for d in obj]
    else:
        raise InputError(name, "a JSON manifest is a list of {id, witnesses} objects "
                               "or an object mapping ids to lists of paths")
    listing: dict[str, list[str]] = {}
    for doc, wits in pairs:
        if not isinstance(doc, str) or not isinstance(wits, list) \
                or not all(isinstance(w, str) for w in wits):
            raise InputError(name, f"document {doc!r}: needs a string id and a list of paths")
        if doc in listing:
            raise InputError(name, f"document id {doc!r} is listed twice")
        listing[doc] = wits
    return listing


def _check_id(name: str, doc_id: str) -> None:
    """Ids become output paths: refuse any that would escape the output folder."""
    parts = PurePosixPath(doc_id).parts
    if (not parts or doc_id.startswith("/") or "\\" in doc_id
            or any(p in (".", "..") or p.startswith(".") for p in parts)
            or parts[0] in RESERVED):
        raise InputError(name, f"document id {doc_id!r} is not a safe relative path")
