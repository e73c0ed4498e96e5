"""Writing outputs atomically: a run that fails never leaves a truncated or partial file."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: str | Path, data: str | bytes | Iterable[str]) -> None:
    """Write ``data`` (text, bytes, or text in pieces) to ``path`` through a temporary file
    in the same folder and a rename.

    An existing file at ``path`` is replaced only once the new content is completely on disk.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_write(target, "whole")
    >>> target.read_text()
    'whole'
    >>> atomic_write(target, iter(["in ", "pieces"]))
    >>> target.read_text()
    'in pieces'
    """
    target = Path(path)
    pieces = [data] if isinstance(data, str | bytes) else data
    # Named before it is created, so an interrupt at any point after creation can remove it.
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        with open(tmp, "xb") as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except FileExistsError:  # another writer's temporary file: not ours to remove
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
