"""The reading text of an edition in Leiden conventions, optionally with a numbered apparatus.

- a restoration stands in square brackets where it fills its lacuna: ``[L]ately``;
- a restoration below the edition's ``min_confidence`` is not printed: the lacuna shows its
  estimated extent, ``[.3]`` (exactly 3 letters), ``[c.2]`` (about 2), ``[---]`` (unknown);
- where ``min_confidence`` is set below 0.5, a printed restoration of low certainty
  (:func:`collate.evidence.certainty`) carries ``(?)``: ``[L(?)]ately``;
- a restoration of nothing (the placeholder was an artefact) leaves a trace, ``[∅]``, so a
  line never seems to open with a space of its own;
- with ``notes``, each place where the witnesses differ gets a superscript number after its
  lemma, and the apparatus follows the text: ``¹ lemma] A B; reading C; om. D``. A witness
  is listed by how it stands there (:class:`collate.evidence.Status`): a lost one as
  ``lac. D``, with collate's best guess when there is one (``lac. D (council? 31 %)``); a
  restored one in brackets with the confidence of its restoration (``[council] D (98 %)``);
  text its editor supplied in brackets (``[eastern] E (suppl.)``); never among the witnesses
  that attest the lemma;
- the apparatus takes the witnesses' line endings (:attr:`collate.edition.Edition.newline`),
  so a text from CRLF files is CRLF throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from collate.evidence import Marked, Piece, Reading, Status, certainty, split
from collate.model import MIN_CONFIDENCE, Restoration, RestoredLacuna

if TYPE_CHECKING:
    from collate.edition import Edition

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def lacuna(rl: RestoredLacuna, min_confidence: float = MIN_CONFIDENCE) -> str:
    """One lacuna in Leiden notation.

    >>> from collate.model import Candidate, Lacuna
    >>> lac = Lacuna(0, 2, "□□", 1, 3, "in-word", "box")
    >>> lacuna(RestoredLacuna(lac, (Candidate("L", 0.9),)))
    '[L]'
    >>> lacuna(RestoredLacuna(lac, (Candidate("L", 0.3),))), lacuna(RestoredLacuna(lac,
    ...        (Candidate("L", 0.3),)), min_confidence=0.25)
    ('[c.2]', '[L(?)]')
    >>> lacuna(RestoredLacuna(lac, (Candidate("", 0.8),)))
    '[∅]'
    >>> lacuna(RestoredLacuna(lac, ())), lacuna(RestoredLacuna(Lacuna(0, 2, "□□", 2, 2,
    ...        "word", "box"), ()))
    ('[c.2]', '[.2]')
    """
    best = rl.accepted(min_confidence)
    if best is not None:
        text = best.text or "∅"
        return f"[{text}(?)]" if certainty(best.confidence) == "low" else f"[{text}]"
    lac = rl.lacuna
    if lac.max_chars is None:
        return "[---]"
    if lac.min_chars == lac.max_chars:
        return f"[.{lac.min_chars}]"
    return f"[c.{round((lac.min_chars + lac.max_chars) / 2)}]"


def reading(parts: Sequence[Piece | Marked], min_confidence: float = MIN_CONFIDENCE) -> str:
    """Parts of a reading as Leiden text: lacunae as :func:`lacuna` writes them, text an
    editor supplied in square brackets, letters marked unclear with a dot below.

    >>> from collate.model import Candidate, Lacuna
    >>> reading([RestoredLacuna(Lacuna(0, 2, "□□", 1, 3, "in-word", "box"),
    ...          (Candidate("L", 0.9),)), "ately"])
    '[L]ately'
    >>> from collate.model import Mark
    >>> reading(["the ", Marked("eastern", Mark(4, 11, "supplied")), " ",
    ...          Marked("g", Mark(12, 13, "unclear")), "ate"])
    'the [eastern] g̣ate'
    """
    out: list[str] = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, Marked):
            out.append(f"[{p.text}]" if p.mark.kind == "supplied" else
                       "".join(c + "\u0323" if c.isalnum() else c for c in p.text))
        else:
            out.append(lacuna(p, min_confidence))
    return "".join(out)


def percent(p: float) -> str:
    """A confidence as a percentage that never claims certainty it lacks.

    >>> percent(0.984), percent(0.9996), percent(0.004)
    ('98 %', '>99 %', '<1 %')
    """
    if 0.99 < p < 1.0:
        return ">99 %"
    if 0.0 < p < 0.01:
        return "<1 %"
    return f"{100 * p:.0f} %"


def witness_text(r: Reading, min_confidence: float = MIN_CONFIDENCE) -> str:
    """A witness's reading in Leiden notation, whitespace folded (as an apparatus cites it)."""
    return " ".join(reading(r.parts(), min_confidence).split())


def entry(
    r: Reading, sigla: Sequence[str], min_confidence: float = MIN_CONFIDENCE, *,
    lemma: bool = False,
) -> str:
    """One reading of an apparatus, by its :class:`~collate.evidence.Status`: the text and
    the witnesses, ``om.`` for an omission, ``lac.`` for a lost reading (with collate's
    guess where there is one), a restored reading with its confidence; ``lemma`` adds ``]``.

    >>> from collate.model import Candidate, Lacuna
    >>> lost = RestoredLacuna(Lacuna(0, 7, "□□□□□□□", 5, 11, "word", "box"),
    ...                       (Candidate("council", 0.31),))
    >>> entry(Reading("D", 0, 8, (lost, " "), Status.LOST), ["D"])
    'lac. D (council? 31 %)'
    >>> entry(Reading("D", 0, 8, (lost, " "), Status.RESTORED), ["D"], min_confidence=0.3)
    '[council(?)] D (31 %)'
    """
    text, note = _cited(r, min_confidence)
    return f"{text}{']' if lemma else ''} {' '.join(sigla)}{note}"


def _cited(r: Reading, min_confidence: float) -> tuple[str, str]:
    """How an apparatus cites a reading, and the note that follows its witnesses."""
    if r.status is Status.ABSENT:
        return "om.", ""
    guesses = [f"{rl.best.text or '∅'}? {percent(rl.best.confidence)}" for rl in r.lacunae
               if rl.best is not None and rl.accepted(min_confidence) is None]
    note = f" ({'; '.join(guesses)})" if guesses else ""
    if r.status is Status.LOST and not "".join(p for p in r.pieces if isinstance(p, str)).strip():
        return "lac.", note
    if r.status is Status.RESTORED:
        note = f" ({percent(r.confidence(min_confidence) or 0.0)})"
    elif r.status is Status.SUPPLIED:
        note = " (suppl.)"
    return witness_text(r, min_confidence) or "om.", note


def render_leiden(edition: Edition, *, notes: bool = False) -> str:
    """The base text with restorations in Leiden brackets; ``notes`` adds the apparatus.

    >>> from collate.edition import make_edition
    >>> print(render_leiden(make_edition([("A", "The cat sat."), ("B", "The cot sat."),
    ...                                   ("C", "The cat sat.")]), notes=True))
    The cat¹ sat.
    <BLANKLINE>
    ¹ cat] A C; cot B
    """
    floor = edition.min_confidence
    out: list[str] = []
    apparatus: list[str] = []
    for i in range(len(edition.segments)):
        base = edition.witness_reading(i, edition.segments[i].base)
        text = reading(base.parts(), floor)
        groups = edition.variants(i) if notes else []
        if len(groups) > 1:
            n = len(apparatus) + 1
            body = text.rstrip()
            text = body + str(n).translate(_SUPERSCRIPT) + text[len(body):]
            entries = [entry(edition.witness_reading(i, group[0]), group, floor, lemma=k == 0)
                       for k, group in enumerate(groups)]
            apparatus.append(f"{str(n).translate(_SUPERSCRIPT)} " + "; ".join(entries))
        out.append(text)
    body = "".join(out)
    if not apparatus:
        return body
    nl = edition.newline
    end = nl if nl != "\n" else ""  # CRLF to the last line, so no writer adds a bare LF
    return body.rstrip("\r\n") + nl + nl + nl.join(apparatus) + end


def render_restoration(restoration: Restoration) -> str:
    """One restored witness as Leiden reading text (``collate restore --format text``):
    restorations below the restoration's ``min_confidence`` leave their lacuna open.

    >>> from collate.model import Candidate, Lacuna
    >>> lac = Lacuna(0, 2, "□□", 1, 3, "in-word", "box")
    >>> render_restoration(Restoration("seed", "□□ately, the", (RestoredLacuna(lac,
    ...     (Candidate("L", 0.91, ("lm",)),)),)))
    '[L]ately, the'
    """
    lacunae = sorted(restoration.lacunae, key=lambda r: r.lacuna.start)
    return reading(split(restoration.text, lacunae), restoration.min_confidence)
