"""A self-contained HTML view of an edition: one file, inline CSS and JS, no network.

The page shows the reading text with restorations marked and coloured by confidence
(green high, amber medium, red low, grey unrestored), variant places highlighted; clicking a
restoration or a variant opens a panel with the candidates, their confidences and evidence,
and what every witness reads there (beside the text on a wide screen, below it on a narrow
one, the clicked word kept in view); a second tab shows the synoptic view (witnesses side by
side, one row per aligned segment, the header row kept on screen). A legend explains every
mark.

The edition travels as one JSON blob in ``<script type="application/json">`` in which ``<``,
``>`` and ``&`` are written as ``\\u003c``-style escapes, so no witness text can close the
script element; the script puts text on the page only through ``textContent``. The reading
text is on the page at once, every word of it (so the browser's find-in-page finds the last
word of a book), with runs of agreeing text as single text nodes; the synoptic view is built
in chunks as the reader scrolls, so the DOM stays light at book length and with many
witnesses.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Sequence
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from collate.evidence import Marked, Reading, Status, certainty
from collate.model import MIN_CONFIDENCE, OcrWord, RestoredLacuna
from collate.render import leiden
from collate.render.moves import moves

if TYPE_CHECKING:
    from collate.edition import Edition

_LEGEND_ROWS = (
    ('<span class="sup cert-high">[L]</span>', "restored, high confidence (green)"),
    ('<span class="sup cert-medium">[L]</span>', "restored, medium confidence (amber)"),
    ('<span class="sup cert-low">[L(?)]</span>', "restored, low confidence (red)"),
    ('<span class="sup cert-high none">[\u2205]</span>', "the placeholder stood for nothing "
     "(a lost list number, a scan artefact): restored as nothing"),
    ('<span class="sup gap">[.3]</span>', "lacuna not restored: exactly 3 letters lost; "
     "[c.3] about 3, [---] an unknown number"),
    ('<span class="var">text</span>', "variant place: the witnesses differ here (click for "
     "every reading)"),
    ('<span class="var"><span class="om">\u2038</span></span>',
     "the lemma omits what other witnesses have here"),
    ('<span class="ed ed-supplied">[text]</span>', "text the witness's editor supplied "
     "(TEI supplied; hover for the editor's reason and certainty)"),
    ('<span class="ed ed-unclear">text</span>', "text the witness's editor marked unclear"),
    ('<span class="cell same">text</span>', "synopsis: all witnesses agree"),
    ('<span class="cell diff lem">text</span>', "synopsis: the lemma (the reading text's "
     "choice) where witnesses differ"),
    ('<span class="cell diff">text</span>', "synopsis: another reading"),
    ('<span class="cell diff st-lost">[.3]</span> <span class="cell diff st-restored">[ab]c'
     '</span>', "synopsis: a witness lost here, its lacuna open or restored by collate: "
     "it attests no reading"),
    ('<span class="cell diff moved"><span class="move">\u21c4 </span>text</span>',
     "synopsis: \u21c4 a block of text the witness has elsewhere (transposed; hover for "
     "where)"),
)
LEGEND = ('<details class="legend" id="legend" open><summary>Legend</summary><dl>\n'
          + "\n".join(f"<dt>{mark}</dt><dd>{html.escape(say)}</dd>" for mark, say in _LEGEND_ROWS)
          + "\n</dl></details>")
"""The legend: every mark the reading text and the synopsis use, with its meaning."""


_EDITOR = {"supplied": "supplied by the editor", "unclear": "unclear (the editor's mark)"}


def _pieces(r: Reading, min_confidence: float) -> list[Any]:
    """A reading as the viewer's pieces: plain strings, lacunae (:func:`_lacuna`), and
    stretches the editor marked supplied or unclear, ``{"e": text, "k": kind, "t": title}``."""
    out: list[Any] = []
    for p in r.parts():
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Marked):
            m = p.mark
            said = [_EDITOR[m.kind]] + [f"{k} {v}" for k, v in (
                ("reason", m.reason), ("cert", m.cert), ("resp", m.resp)) if v]
            out.append({"e": p.text, "k": m.kind, "t": ", ".join(said)})
        else:
            out.append(_lacuna(p, min_confidence))
    return out


def _lacuna(rl: RestoredLacuna, min_confidence: float = MIN_CONFIDENCE) -> dict[str, Any]:
    best = rl.accepted(min_confidence)
    return {
        "m": rl.lacuna.marker,
        "l": leiden.lacuna(rl, min_confidence),  # its Leiden form, rendered once for the viewer
        "r": best.text if best is not None else None,
        "cert": certainty(best.confidence) if best is not None else None,
        "lo": rl.lacuna.min_chars,
        "hi": rl.lacuna.max_chars,
        "c": [[c.text, round(c.confidence, 4), list(c.sources), list(c.reasons)]
              for c in rl.candidates],
    }


def edition_data(edition: Edition, *, title: str | None = None) -> dict[str, Any]:
    """The compact JSON the viewer reads: witnesses, and per segment its groups of readings
    ``[[witness indices], pieces, status, note]`` as the apparatus has them
    (:meth:`~collate.evidence.Evidence.variants`: the lemma's group first, readings that
    differ only in whitespace one group, a lost or restored witness never in a group that
    attests the text), the note saying how a reading that is not attested stands, and, for
    OCR witnesses, ``{witness index: where the reading stands on the page}``; and
    ``moves``: each transposition as its two places ``[witness index, first, last segment]``.

    >>> from collate.edition import make_edition
    >>> d = edition_data(make_edition([("A", "a b"), ("B", "a c")], base="A"))
    >>> d["segs"][-1]
    [[[0], ['b'], 'attested', ''], [[1], ['c'], 'attested', '']]
    """
    index = {wid: k for k, wid in enumerate(edition.ids)}
    words = {w.id: w.words for w in edition.witnesses}
    weights = edition.consensus.weights if edition.consensus is not None else {}
    floor = edition.min_confidence
    segs = []
    for i in range(len(edition.segments)):
        groups = []
        for group in edition.variants(i):
            r = edition.witness_reading(i, group[0])
            places = {index[w]: where for w in group if words[w]
                      and (where := _page_place(edition.witness_reading(i, w), words[w]))}
            groups.append([[index[w] for w in group], _pieces(r, floor), r.status.value,
                           _status_note(r, floor)] + ([places] if places else []))
        segs.append(groups)
    return {
        "title": title or "Collated edition of " + ", ".join(edition.ids),
        "base": edition.base,
        "wits": [{"id": w.id, "siglum": edition.sigla[w.id], "source": w.source}
                 | ({"weight": round(weights[w.id], 3)} if w.id in weights else {})
                 for w in edition.witnesses],
        "segs": segs,
        "moves": [[[index[p.witness], p.first, p.last] for p in pair] for pair in moves(edition)],
    }


def _page_place(r: Reading, words: Sequence[OcrWord]) -> str:
    """Where an OCR witness's reading stands on its page (region, the box of its words, the
    engine's least confidence among them), for the reading's tooltip; ``""`` for others.

    >>> from collate.evidence import Status
    >>> _page_place(Reading("A", 2, 7, ("b c",), Status.ATTESTED), [
    ...     OcrWord(0, 1, 0.5, box=(1, 2, 3, 4), region="r1"),
    ...     OcrWord(2, 3, 0.9, box=(5, 2, 9, 4), region="r1"),
    ...     OcrWord(4, 7, 0.75, box=(11, 2, 19, 5), region="r2")])
    'page: region r1, r2, box 5,2-19,5, engine confidence 0.75'
    """
    words = [w for w in words if w.start < r.end and r.start < w.end]
    boxes = [w.box for w in words if w.box is not None]
    if not words:
        return ""
    out = "page: region " + ", ".join(dict.fromkeys(w.region or "?" for w in words))
    if boxes:
        out += (f", box {min(b[0] for b in boxes)},{min(b[1] for b in boxes)}"
                f"-{max(b[2] for b in boxes)},{max(b[3] for b in boxes)}")
    confs = [w.confidence for w in words if w.confidence is not None]
    return out + (f", engine confidence {min(confs):.2g}" if confs else "")


def _status_note(r: Reading, min_confidence: float) -> str:
    """How a reading stands, in words, where it is not simply attested."""
    if r.status is Status.ATTESTED:
        return ""
    if r.status is Status.RESTORED:
        return f"restored by collate, {leiden.percent(r.confidence(min_confidence) or 0.0)}"
    return {Status.LOST: "lost", Status.ABSENT: "omitted",
            Status.SUPPLIED: "supplied by the editor", Status.UNCLEAR: "unclear"}[r.status]


def _count(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun in the number it takes.

    >>> _count(1, "variant place"), _count(3, "lacuna", "lacunae")
    ('1 variant place', '3 lacunae')
    """
    return f"{n} {one if n == 1 else many or one + 's'}"


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
    if edition.consensus is not None:
        taken = edition.consensus.taken()
        total = max(1, sum(taken.values()))
        base += " (reliability: " + ", ".join(
            f"{w} {x:.2f}" for w, x in edition.consensus.weights.items()) + "; taken: " + ", ".join(
            f"{w} {100 * taken.get(w, 0) / total:.0f} %" for w in edition.ids) + "".join(
            f"; {n} region{'s' if n != 1 else ''} taken whole from {w}"
            for w, n in edition.consensus.taken_whole().items()) + ")"
    meta = (f"{len(edition.ids)} witness{'es' if len(edition.ids) != 1 else ''}: "
            f"{', '.join(edition.ids)} · base: {base} · {_count(variants, 'variant place')}"
            f" · {_count(lacunae, 'lacuna', 'lacunae')}"
            + "".join(f" · left out: {name} ({problem})" for name, problem in edition.left_out))
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
{LEGEND}
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
