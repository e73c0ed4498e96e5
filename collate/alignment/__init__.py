"""Alignment of witnesses: pairwise token alignment, then a multi-witness table.

- :mod:`~collate.alignment.pairwise`: :func:`align_pair`, anchors and exact runs over the words;
- :mod:`~collate.alignment.variants`: the variant layer between exact runs (near matches,
  lacuna fits, split words, leftovers, punctuation);
- :mod:`~collate.alignment.progressive`: :func:`collate`, each witness aligned to the table
  built so far, in guide-tree order;
- :mod:`~collate.alignment.transpositions`: blocks moved between any two witnesses.

>>> c = collate(["the old man walked slowly home", "slowly home walked the old man",
...              "slowly home walked the tired man"])
>>> [(c.reading(k, "B").strip(), c.reading(k, "C").strip()) for k in range(len(c.columns))]
[('slowly', 'slowly'), ('home', 'home'), ('walked', 'walked'), ('the', 'the'), ('old', 'tired'), \
('man', 'man'), ('', '')]
"""

from __future__ import annotations

from collate.alignment.pairwise import Opcode, Scorer, align_pair
from collate.alignment.progressive import collate

__all__ = ["Opcode", "Scorer", "align_pair", "collate"]
