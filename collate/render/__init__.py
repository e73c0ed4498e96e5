"""Renderers: each turns a result (lacunae, collation, restoration, edition) into one format.

This module holds the format table: for each output format, the function that renders it
and the suffix of the files it is written to. The command line (:mod:`collate.cli`) and
:mod:`collate.batch` pick their renderers and file names from it; the renderers themselves
are loaded on first use.

>>> from collate.edition import make_edition
>>> print(render_edition(make_edition([("A", "a b"), ("B", "a c"), ("C", "a b")]), "text"))
a b¹
<BLANKLINE>
¹ b] A C; c B
>>> EDITION_FORMATS["tei"].suffix
'.tei.xml'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from collate.errors import OptionError

if TYPE_CHECKING:
    from collate.edition import Edition
    from collate.model import Collation, Restoration

T = TypeVar("T")


class Format(NamedTuple, Generic[T]):
    """An output format: the function that renders a result in it, and its file suffix (a
    named tuple: the command line reads this table when it starts, before any stage)."""

    render: Callable[[T], str]
    suffix: str


def _tei(edition: Edition) -> str:
    from collate.render.tei import render_tei

    return render_tei(edition)


def _html(edition: Edition) -> str:
    from collate.render.html import render_html

    return render_html(edition)


def _leiden(edition: Edition) -> str:
    from collate.render.leiden import render_leiden

    return render_leiden(edition, notes=True)


def _plain(edition: Edition) -> str:
    from collate.render.plain import render_plain

    return render_plain(edition)


def _edition_json(edition: Edition) -> str:
    import json

    return json.dumps(edition.to_dict(), ensure_ascii=False)


def _table(collation: Collation) -> str:
    from collate.render.table import render_table

    return render_table(collation)


def _collation_json(collation: Collation) -> str:
    from collate.render.data import to_json_text

    return to_json_text(collation)


def _csv(collation: Collation) -> str:
    from collate.render.data import to_csv

    return to_csv(collation)


def _restoration_json(restoration: Restoration) -> str:
    import json

    return json.dumps(restoration.to_dict(), ensure_ascii=False)


def _restoration_text(restoration: Restoration) -> str:
    from collate.render.leiden import render_restoration

    return render_restoration(restoration)


EDITION_FORMATS: Mapping[str, Format[Edition]] = {
    "tei": Format(_tei, ".tei.xml"),
    "html": Format(_html, ".html"),
    "text": Format(_leiden, ".txt"),
    "plain": Format(_plain, ".plain.txt"),
    "json": Format(_edition_json, ".json"),
}
"""Formats of an edition: TEI P5, the HTML view, the Leiden reading text with the apparatus
as numbered notes, the bare base text (every lacuna filled, no brackets, no notes), and
:meth:`~collate.edition.Edition.to_dict` as JSON."""

COLLATION_FORMATS: Mapping[str, Format[Collation]] = {
    "table": Format(_table, ".txt"),
    "json": Format(_collation_json, ".json"),
    "csv": Format(_csv, ".csv"),
}
"""Formats of a bare collation: a plain-text alignment table, CollateX JSON, CSV."""

RESTORATION_FORMATS: Mapping[str, Format[Restoration]] = {
    "json": Format(_restoration_json, ".json"),
    "text": Format(_restoration_text, ".txt"),
}
"""Formats of one witness's restoration: DESIGN.md's JSON object, or the Leiden text."""


def _pick(table: Mapping[str, Format[T]], fmt: str, what: str) -> Format[T]:
    if fmt not in table:
        raise OptionError("format", f"no {what} format {fmt!r} (formats: {', '.join(table)})")
    return table[fmt]


def render_edition(edition: Edition, fmt: str) -> str:
    """The edition in one of :data:`EDITION_FORMATS`.

    Raises
    ------
    OptionError
        For a format that is not in the table.
    """
    return _pick(EDITION_FORMATS, fmt, "edition").render(edition)


def render_collation(collation: Collation, fmt: str) -> str:
    """The collation in one of :data:`COLLATION_FORMATS`.

    >>> from collate.alignment import collate
    >>> render_collation(collate(["a b", "a c"]), "csv").splitlines()
    ['column,variant,A,B,moved,lost', '1,0,a ,a ,,', '2,1,b,c,,']
    """
    return _pick(COLLATION_FORMATS, fmt, "collation").render(collation)


def render_restoration(restoration: Restoration, fmt: str) -> str:
    """The restoration in one of :data:`RESTORATION_FORMATS`."""
    return _pick(RESTORATION_FORMATS, fmt, "restoration").render(restoration)


_RENDERERS = {
    "render_html": "html", "edition_data": "html", "render_tei": "tei", "witness_text": "tei",
    "render_leiden": "leiden", "render_table": "table", "render_lacunae": "lacunae",
    "to_json": "data", "to_csv": "data",
}

__all__ = [
    "COLLATION_FORMATS",
    "EDITION_FORMATS",
    "RESTORATION_FORMATS",
    "Format",
    "edition_data",
    "render_collation",
    "render_edition",
    "render_html",
    "render_lacunae",
    "render_leiden",
    "render_restoration",
    "render_table",
    "render_tei",
    "to_csv",
    "to_json",
    "witness_text",
]


def __getattr__(name: str) -> object:
    """The renderers themselves, each loaded from its module on first use:
    ``from collate.render import render_html, render_tei``."""
    if name in _RENDERERS:
        from importlib import import_module

        return getattr(import_module(f"collate.render.{_RENDERERS[name]}"), name)
    raise AttributeError(f"module 'collate.render' has no attribute {name!r}")
