"""The reading text of an edition in Leiden conventions, optionally with a numbered apparatus.

- a restoration stands in square brackets where it fills its lacuna: ``[L]ately``;
- a restoration of low certainty (:func:`collate.edition.certainty`) carries ``(?)``:
  ``[L(?)]ately``;
- a lacuna without a confident restoration shows its estimated extent: ``[.3]`` (exactly 3
  letters), ``[c.2]`` (about 2), ``[---]`` (unknown);
- a restoration of nothing (the placeholder was an artefact) leaves a trace, ``[∅]``, so a
  line never seems to open with a space of its own;
- with ``notes``, each place where the witnesses differ gets a superscript number after its
  lemma, and the apparatus follows the text: ``¹ lemma] A B; reading C; om. D``;
- the apparatus takes the witnesses' line endings (:attr:`collate.edition.Edition.newline`),
  so a text from CRLF files is CRLF throughout.
"""

from __future__ import annotations

from collections.abc import Sequence

from collate.edition import Edition, Piece, certainty, shown, split
from collate.model import Restoration, RestoredLacuna

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def lacuna(rl: RestoredLacuna) -> str:
    """One lacuna in Leiden notation.

    >>> from collate.model import Candidate, Lacuna
    >>> lac = Lacuna(0, 2, "□□", 1, 3, "in-word", "box")
    >>> lacuna(RestoredLacuna(lac, (Candidate("L", 0.9),)))
    '[L]'
    >>> lacuna(RestoredLacuna(lac, (Candidate("L", 0.3),)))
    '[L(?)]'
    >>> lacuna(RestoredLacuna(lac, (Candidate("", 0.8),)))
    '[∅]'
    >>> lacuna(RestoredLacuna(lac, ())), lacuna(RestoredLacuna(Lacuna(0, 2, "□□", 2, 2,
    ...        "word", "box"), ()))
    ('[c.2]', '[.2]')
    """
    best = shown(rl)
    if best is not None:
        text = best.text or "∅"
        return f"[{text}(?)]" if certainty(best.confidence) == "low" else f"[{text}]"
    lac = rl.lacuna
    if lac.max_chars is None:
        return "[---]"
    if lac.min_chars == lac.max_chars:
        return f"[.{lac.min_chars}]"
    return f"[c.{round((lac.min_chars + lac.max_chars) / 2)}]"


def reading(pieces: Sequence[Piece]) -> str:
    """Pieces of a reading as Leiden text.

    >>> from collate.model import Candidate, Lacuna
    >>> reading([RestoredLacuna(Lacuna(0, 2, "□□", 1, 3, "in-word", "box"),
    ...          (Candidate("L", 0.9),)), "ately"])
    '[L]ately'
    """
    return "".join(p if isinstance(p, str) else lacuna(p) for p in pieces)


def render_leiden(edition: Edition, *, notes: bool = False) -> str:
    """The base text with restorations in Leiden brackets; ``notes`` adds the apparatus.

    >>> from collate.edition import make_edition
    >>> print(render_leiden(make_edition([("A", "The cat sat."), ("B", "The cot sat."),
    ...                                   ("C", "The cat sat.")]), notes=True))
    The cat¹ sat.
    <BLANKLINE>
    ¹ cat] A C; cot B
    """
    out: list[str] = []
    apparatus: list[str] = []
    for i in range(len(edition.segments)):
        text = reading(edition.base_pieces(i))
        groups = edition.variants(i) if notes else []
        if len(groups) > 1:
            n = len(apparatus) + 1
            body = text.rstrip()
            text = body + str(n).translate(_SUPERSCRIPT) + text[len(body):]
            entries = []
            for k, group in enumerate(groups):
                shown = " ".join(reading(edition.pieces(i, group[0])).split()) or "om."
                entries.append(f"{shown}{']' if k == 0 else ''} {' '.join(group)}")
            apparatus.append(f"{str(n).translate(_SUPERSCRIPT)} " + "; ".join(entries))
        out.append(text)
    body = "".join(out)
    if not apparatus:
        return body
    nl = edition.newline
    end = nl if nl != "\n" else ""  # CRLF to the last line, so no writer adds a bare LF
    return body.rstrip("\r\n") + nl + nl + nl.join(apparatus) + end


def render_restoration(restoration: Restoration) -> str:
    """One restored witness as Leiden reading text (``collate restore --format text``).

    >>> from collate.model import Candidate, Lacuna
    >>> lac = Lacuna(0, 2, "□□", 1, 3, "in-word", "box")
    >>> render_restoration(Restoration("seed", "□□ately, the", (RestoredLacuna(lac,
    ...     (Candidate("L", 0.91, ("lm",)),)),)))
    '[L]ately, the'
    """
    lacunae = sorted(restoration.lacunae, key=lambda r: r.lacuna.start)
    return reading(split(restoration.text, lacunae))
