"""Damage as scans damage text: what restoration is measured on (the benchmarks) and what a
model's prior confidence map is fitted on (:mod:`.prior`).

Damage kinds (:data:`KINDS`): ``first`` (a lost first letter shown as two boxes),
``in-word`` (1-4 letters inside a word), ``word`` (a whole word), ``across`` (10-25
characters across words); box counts exact, off by one, or scaled by 0.7-1.3.

>>> text, places, _ = damage("The quick brown fox jumps over the lazy dog.", 1, random.Random(1))
>>> [(kind, truth) for kind, _, truth, _ in places], "□" in text or "☐" in text
([('first', 'b')], True)
"""

from __future__ import annotations

import random

import regex

from collate.restoration.lexicon import WORD

KINDS = ("first", "in-word", "word", "across")


def noisy_count(length: int, rng: random.Random) -> int:
    """A box count for ``length`` lost characters: exact, off by one, or scaled 0.7-1.3."""
    r = rng.random()
    if r < 1 / 3:
        return length
    if r < 2 / 3:
        return max(1, length + rng.choice((-1, 1)))
    return max(1, round(length * rng.uniform(0.7, 1.3)))


def damage(
    text: str,
    n: int,
    rng: random.Random,
    avoid: set[int] = frozenset(),
    forced: tuple[tuple[int, int], ...] = (),
):
    """Damage ``n`` places of ``text`` (kinds in turn, after the ``forced`` spans); returns
    the damaged text, a list of ``(kind, damaged_start, truth, (start, end))`` for each
    lacuna (``start``/``end`` in ``text``), and the set of damaged positions."""
    words = [m for m in WORD.finditer(text) if m.group().isalpha()]
    taken = set(avoid)
    spans: list[tuple[int, int, str]] = []
    for s, e in forced:
        taken.update(range(s, e))
        spans.append((s, e, "forced|" + rng.choice("□☐") * noisy_count(e - s, rng)))
    tries = 0
    while len(spans) < n and tries < n * 200:
        tries += 1
        kind = KINDS[len(spans) % 4]
        got = _place(text, kind, rng.choice(words), rng)
        if got is None:
            continue
        s, e, count = got
        if any(i in taken for i in range(s - 8, e + 8)):
            continue
        taken.update(range(s, e))
        spans.append((s, e, kind + "|" + rng.choice("□☐") * count))
    spans.sort()
    out, places, pos, shift = [], [], 0, 0
    for s, e, tag in spans:
        kind, marker = tag.split("|")
        out.append(text[pos:s])
        places.append((kind, s + shift, text[s:e], (s, e)))
        out.append(marker)
        shift += len(marker) - (e - s)
        pos = e
    out.append(text[pos:])
    return "".join(out), places, taken


def _place(text: str, kind: str, m, rng: random.Random):
    """``(start, end, box count)`` of one damage of ``kind`` at word ``m``, or ``None``."""
    ws, we = m.span()
    if kind == "first":
        return (ws, ws + 1, 2) if we - ws >= 2 else None
    if kind == "in-word":
        if we - ws < 3:
            return None
        length = rng.randint(1, min(4, we - ws - 1))
        s = rng.randint(ws + 1, we - length)
        return s, s + length, noisy_count(length, rng)
    if kind == "word":
        return (ws, we, noisy_count(we - ws, rng)) if we - ws >= 2 else None
    length = rng.randint(10, 25)
    s = rng.randint(ws, we - 1)
    e = s + length
    if e >= len(text) or "\n" in text[s:e] or " " not in text[s:e]:
        return None
    if not regex.search(r"\w", text[e - 1]) and not regex.search(r"\w", text[s]):
        return None
    return s, e, noisy_count(length, rng)
