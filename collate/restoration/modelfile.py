"""The model file container: named NumPy arrays and a JSON header in one checked binary file.

Layout (all integers little-endian)::

    magic        8 bytes   b"COLLATEM"
    version      uint32    FORMAT (a reader refuses any other)
    header size  uint32    bytes of the JSON header that follows
    file size    uint64    bytes of the whole file (a truncated file is refused)
    header       JSON      {"lang": ..., "meta": {...}, "sections": [[name, dtype, shape,
                           offset, nbytes, crc32], ...]}
    sections     raw array bytes, each at an 8-byte aligned offset

Reading maps the file into memory and wraps each section with :func:`numpy.frombuffer`
after checking its CRC-32, so a load costs a read of the file and no parsing of its
contents; anything that does not match (magic, version, sizes, checksums, dtypes) raises
:class:`ModelFileError`, one line naming the file.

>>> import tempfile, pathlib, numpy as np
>>> path = pathlib.Path(tempfile.mkdtemp()) / "m.model"
>>> write_sections(path, "en", {"kind": "demo"}, {"counts": np.arange(3, dtype=np.int32)})
>>> got = read_sections(path)
>>> got.lang, got.meta, got.arrays["counts"].tolist()
('en', {'kind': 'demo'}, [0, 1, 2])
"""

from __future__ import annotations

import json
import mmap
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from collate.errors import InputError
from collate.storage import atomic_write

MAGIC = b"COLLATEM"
FORMAT = 3  #: format version; a file of another version is refused (built-in caches rebuilt)
_FIXED = struct.Struct("<8sIIQ")
_DTYPES = frozenset({"<i4", "<i8", "<u4", "<f4", "<f8", "|u1"})


class ModelFileError(InputError):
    """A model file that is missing, truncated, corrupt or not a collate model."""


@dataclass(frozen=True)
class Sections:
    """What a model file holds: its language, its metadata and its named arrays."""

    lang: str
    meta: dict[str, Any]
    arrays: dict[str, np.ndarray]


def _aligned(n: int) -> int:
    return (n + 7) // 8 * 8


def encode(lang: str, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """The bytes of a model file holding ``arrays`` (see the module docstring)."""
    table, blobs, offset = [], [], 0
    for name, arr in arrays.items():
        a = np.ascontiguousarray(arr)
        dtype = a.dtype.newbyteorder("<").str if a.dtype.byteorder != "|" else a.dtype.str
        if dtype not in _DTYPES:
            raise ValueError(f"section {name!r}: unsupported dtype {a.dtype}")
        raw = a.astype(dtype, copy=False).tobytes()
        table.append([name, dtype, list(a.shape), offset, len(raw), zlib.crc32(raw)])
        blobs.append(raw + b"\0" * (_aligned(len(raw)) - len(raw)))
        offset += _aligned(len(raw))
    # the header's length depends on the offsets it lists: give offsets relative to the
    # data start, which follows the (padded) header
    header = json.dumps({"lang": lang, "meta": meta, "sections": table}).encode("utf-8")
    header += b" " * (_aligned(_FIXED.size + len(header)) - _FIXED.size - len(header))
    size = _FIXED.size + len(header) + offset
    return b"".join([_FIXED.pack(MAGIC, FORMAT, len(header), size), header, *blobs])


def write_sections(
    path: str | Path, lang: str, meta: dict[str, Any], arrays: dict[str, np.ndarray]
) -> None:
    """Write a model file atomically (a reader never sees half of one)."""
    atomic_write(path, encode(lang, meta, arrays))


def read_sections(path: str | Path) -> Sections:
    """Read and check a model file.

    Raises
    ------
    ModelFileError
        When the file cannot be read, is not a collate model, has another format version,
        is truncated or longer than it says, or a section fails its checksum.
    """
    name = str(path)
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, 2)
            if size < _FIXED.size:
                raise ModelFileError(name, "not a collate model file (too short)")
            buf: bytes | mmap.mmap = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as err:
        raise ModelFileError(name, f"cannot read model: {err.strerror or err}") from None
    return decode(name, buf)


def decode(name: str, buf: bytes | mmap.mmap) -> Sections:
    """Check and unpack the bytes of a model file (``name`` labels errors)."""
    magic, version, hsize, size = _FIXED.unpack_from(buf, 0)
    if magic != MAGIC:
        raise ModelFileError(name, "not a collate model file (wrong magic bytes)")
    if version != FORMAT:
        raise ModelFileError(name, f"model format version {version}, this collate reads {FORMAT}")
    if size != len(buf):
        raise ModelFileError(name, f"truncated or padded model file ({len(buf)} bytes of {size})")
    try:
        header = json.loads(bytes(buf[_FIXED.size : _FIXED.size + hsize]).decode("utf-8"))
        lang, meta, table = str(header["lang"]), dict(header["meta"]), list(header["sections"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ModelFileError(name, "corrupt model header") from None
    start = _FIXED.size + hsize
    arrays = {}
    for entry in table:
        try:
            sec, dtype, shape, offset, nbytes, crc = entry
            lo = start + int(offset)
            if dtype not in _DTYPES or lo + nbytes > size or offset < 0:
                raise ValueError
            view = memoryview(buf)[lo : lo + nbytes]
            if zlib.crc32(view) != crc:
                raise ModelFileError(name, f"corrupt model: section {sec!r} fails its checksum")
            arrays[str(sec)] = np.frombuffer(view, dtype=dtype).reshape(shape)
        except ModelFileError:
            raise
        except (ValueError, TypeError):
            raise ModelFileError(name, "corrupt model header (bad section table)") from None
    return Sections(lang, meta, arrays)


def text_array(strings: list[str]) -> np.ndarray:
    r"""Strings as one UTF-8 byte array, ``\n``-separated (strings hold no newline).

    >>> text_list(text_array(["cat", "", "dog"]))
    ['cat', '', 'dog']
    """
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def text_list(arr: np.ndarray) -> list[str]:
    """The strings of a :func:`text_array` (an empty array is an empty list)."""
    if not len(arr):
        return []
    return arr.tobytes().decode("utf-8").split("\n")
