"""The bare base text: what an OCR pipeline takes from several readings of one page.

``collate edition --format plain`` writes the base text alone (the consensus by default):
every variant place resolved, every lacuna filled with its top restoration (a lacuna with no
candidate at all keeps its placeholder, so that nothing is silently dropped), no brackets,
no notes, and the witnesses' own line breaks. Every character of it comes from a witness
offset or from the restoration of a witness's lacuna (:meth:`Edition.consensus` spans).
"""

from __future__ import annotations

from collate.edition import Edition
from collate.model import RestoredLacuna


def _top(rl: RestoredLacuna) -> str:
    """A lacuna's top restoration, whatever its confidence; its marker when it has none."""
    return rl.candidates[0].text if rl.candidates else rl.lacuna.marker


def render_plain(edition: Edition) -> str:
    """The base text with every lacuna filled by its top restoration.

    Examples
    --------
    >>> from collate.edition import make_edition
    >>> render_plain(make_edition([("A", "The cat sat."), ("B", "The cat sat.")]))
    'The cat sat.'
    >>> render_plain(make_edition([("A", "a b\\nc"), ("B", "a x\\nc")], base="B"))
    'a x\\nc'
    """
    out: list[str] = []
    if edition.consensus is not None:
        for place in edition.consensus.places:
            for span in place.spans:
                lac = span.lacuna
                out.append(_top(lac) if lac is not None and span.text == lac.lacuna.marker
                           else span.text)
        return "".join(out)
    for i in range(len(edition.segments)):
        for p in edition.base_pieces(i):
            out.append(p if isinstance(p, str) else _top(p))
    return "".join(out)
