"""A self-contained HTML view of an edition: one file, inline CSS and JS, no network.

The page shows the reading text with restorations marked and coloured by confidence
(green high, amber medium, red low, grey unrestored), variant places highlighted; clicking a
restoration or a variant opens a panel with the candidates, their confidences and evidence,
and what every witness reads there; a second tab shows the synoptic view (witnesses side by
side, one row per aligned segment).

The edition travels as one JSON blob in ``<script type="application/json">`` in which ``<``,
``>`` and ``&`` are written as ``\\u003c``-style escapes, so no witness text can close the
script element; the script puts text on the page only through ``textContent``. Rendering is
lazy (chunks of segments appended as the reader scrolls), so the DOM stays light at book
length and with many witnesses.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from importlib.resources import files
from typing import Any

from collate.edition import Edition, Piece, certainty, shown
from collate.model import RestoredLacuna
from collate.render import leiden
from collate.render.moves import moves


def _piece(p: Piece) -> Any:
    if isinstance(p, str):
        return p
    return _lacuna(p)


def _lacuna(rl: RestoredLacuna) -> dict[str, Any]:
    best = shown(rl)
    return {
        "m": rl.lacuna.marker,
        "l": leiden.lacuna(rl),  # its Leiden form, rendered here once for the viewer
        "r": best.text if best is not None else None,
        "cert": certainty(best.confidence) if best is not None else None,
        "lo": rl.lacuna.min_chars,
        "hi": rl.lacuna.max_chars,
        "c": [[c.text, round(c.confidence, 4), list(c.sources)] for c in rl.candidates],
    }


def edition_data(edition: Edition, *, title: str | None = None) -> dict[str, Any]:
    """The compact JSON the viewer reads: witnesses, and per segment its groups of readings
    ``[[witness indices], pieces]``, the lemma's group first (readings that differ only in
    whitespace are one group: the view is for reading; TEI and JSON keep every byte); and
    ``moves``: each transposition as its two places ``[witness index, first, last segment]``.

    >>> from collate.edition import make_edition
    >>> d = edition_data(make_edition([("A", "a b"), ("B", "a c")], base="A"))
    >>> d["segs"][-1]
    [[[0], ['b']], [[1], ['c']]]
    """
    index = {wid: k for k, wid in enumerate(edition.ids)}
    segs = []
    for i in range(len(edition.segments)):
        segs.append([
            [[index[w] for w in group], [_piece(p) for p in edition.pieces(i, group[0])]]
            for group in edition.variants(i)
        ])
    return {
        "title": title or "Collated edition of " + ", ".join(edition.ids),
        "base": edition.base,
        "wits": [{"id": w.id, "siglum": edition.sigla[w.id], "source": w.source}
                 for w in edition.witnesses],
        "segs": segs,
        "moves": [[[index[p.witness], p.first, p.last] for p in pair] for pair in moves(edition)],
    }


def script_json(obj: Any) -> str:
    """JSON safe to embed in a ``<script>`` element: ``<``, ``>``, ``&`` escaped.

    >>> script_json({"t": "</script><b>&"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(obj, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(edition: Edition, *, title: str | None = None) -> str:
    """The edition as one self-contained HTML page.

    >>> from collate.edition import make_edition
    >>> page = render_html(make_edition([("A", "<b>x</b>")]))
    >>> "<b>x</b>" in page, page.startswith("<!DOCTYPE html>")
    (False, True)
    """
    data = edition_data(edition, title=title)
    here = files("collate.render")
    css = here.joinpath("edition.css").read_text(encoding="utf-8")
    js = here.joinpath("edition.js").read_text(encoding="utf-8")
    js = f"\n{js}"
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    # Only our own script may run: injected inline scripts and event handlers are refused.
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    lacunae = sum(len(r.lacunae) for r in edition.restorations.values())
    variants = sum(1 for seg in data["segs"] if len(seg) > 1)
    base = "consensus" if edition.base == "consensus" else f"witness {edition.base}"
    meta = (f"{len(edition.ids)} witness{'es' if len(edition.ids) != 1 else ''}: "
            f"{', '.join(edition.ids)} · base: {base} · {variants} variant places · "
            f"{lacunae} lacunae")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{html.escape(data["title"])}</title>
<style>
{css}</style>
</head>
<body>
<header>
<h1>{html.escape(data["title"])}</h1>
<div class="meta">{html.escape(meta)}</div>
<div class="legend">Restorations: <span class="sup cert-high">[high]</span>
<span class="sup cert-medium">[medium]</span> <span class="sup cert-low">[low(?)]</span>
<span class="sup gap">[.n] unrestored</span> <span class="var">variant</span></div>
<nav role="tablist"><button data-tab="reading" aria-selected="true">Reading text</button>
<button data-tab="synopsis" aria-selected="false">Synoptic view</button></nav>
</header>
<main id="reading-view"><div id="reading" aria-label="reading text"></div></main>
<main id="synopsis-view" hidden><table id="synopsis"></table></main>
<aside id="panel" hidden aria-live="polite"><button id="panel-close" aria-label="close">×</button>
<div id="panel-body"></div></aside>
<noscript>This view needs JavaScript; the TEI and text outputs of collate need none.</noscript>
<script type="application/json" id="edition-data">{script_json(data)}</script>
<script>{js}</script>
</body>
</html>
"""
