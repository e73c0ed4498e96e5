"""The bare base text: what an OCR pipeline takes from several readings of one page.

``collate edition --format plain`` writes the base text alone (the consensus by default):
every variant place resolved, every lacuna filled with its top restoration where that
reaches the edition's ``min_confidence`` (``--min-confidence``; below it, and where a lacuna
has no candidate at all, the placeholder stays, so that nothing is silently dropped or
silently guessed), no brackets, no notes, and the witnesses' own line breaks. Every
character of it comes from a witness offset or from the restoration of a witness's lacuna
(:attr:`collate.edition.Edition.consensus` spans).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collate.edition import Edition


def render_plain(edition: Edition) -> str:
    """The base text with every lacuna filled by its accepted restoration.

    Examples
    --------
    >>> from collate.edition import make_edition
    >>> render_plain(make_edition([("A", "The cat sat."), ("B", "The cat sat.")]))
    'The cat sat.'
    >>> render_plain(make_edition([("A", "a b\\nc"), ("B", "a x\\nc")], base="B"))
    'a x\\nc'
    >>> render_plain(make_edition([("A", "The c□t sat."), ("B", "The cat sat.")], base="A"))
    'The cat sat.'
    """
    return edition.base_text()
