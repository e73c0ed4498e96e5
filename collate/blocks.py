"""Reading order for the consensus: blocks that witnesses read in different orders.

OCR engines order a page's regions (columns, paragraphs, running heads, notes) each in its
own way. The alignment finds such a block as a move (:class:`~collate.model.Transposition`,
see :mod:`collate.alignment.transpositions`), and in its table each copy stands against
nothing: a consensus taken place by place would see two blocks that only one witness has,
and keep both (the text twice) or drop both. Here each move between the most reliable
witness (the *pivot*) and another witness is taken once: the other witness's copy is read
where the pivot has the block, so that the two copies are voted on inside like any
variant, and is no reading at its own place, so that the block is emitted once, in the
pivot's order. Moves between two witnesses that are neither the pivot are left as the table
has them (their readings vote with the pivot's order as it is).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

import regex
from rapidfuzz.distance import Levenshtein

from collate import consensus as _cons
from collate.chars import LINE_END_HYPHENS
from collate.evidence import Evidence
from collate.model import Collation, RestoredLacuna, Token, Tokens
from collate.moved import shared_runs
from collate.plausibility import COMMON_ZIPF, Judge
from collate.reliability import columns_of

Range = tuple[int, int]
_BROKEN = regex.compile(rf"(\w+)[{LINE_END_HYPHENS}][ \t]*\r?\n\s*\Z")
"""A word broken at a line's end, at the end of the text searched."""
_WORD_START = regex.compile(r"\s*(\w+)")
_ENDED = regex.compile(r"\p{L}[^\n]*[.!?][\p{Pf}\p{Pe}'\"]*[ \t]*\r?\n\s*\Z")
"""A sentence's end (its stop, closing quotes and brackets) at the end of a line with a
letter on it (a line of a number alone, ``9.``, is a page number or a signature), at the end
of the text searched (a block of a page ends at a line's end)."""
_CUT = regex.compile(rf"\p{{L}}[^\n]*[{LINE_END_HYPHENS}\w][,;]?[ \t]*\r?\n[ \t]*\r?\n\s*\Z")
"""A paragraph break (a blank line) after a line with a letter on it (a number alone is a
page number) whose last word ends no sentence or is broken at the line's end: a paragraph
does not end mid-sentence, so a block put there was cut from its continuation."""
JOIN_WORDS = 2
"""Words on each side of a join that tell whether the other witness reads on there too:
two words of either side (four in all) stand together by chance nowhere else on a page."""
_WORDS = regex.compile(r"\p{L}+")
_LAST_WORDS = regex.compile(r"(?r)\p{L}+")
"""Words searched backwards from a join."""
_LETTER = regex.compile(r"\p{L}")
LINE_WORDS = 24
"""Most tokens (words and punctuation) of a printed line: a block's edge is carried to the
end of its line only over a line of print, not over a text with no line breaks."""
MIN_WORD = 4
"""Letters of a word that carries a moved block's edge over one misread word before it: a
shorter token (``,``, ``a``, ``the``) matches by chance."""
_TEXT_LINE = regex.compile(rf"\p{{L}}{{{MIN_WORD}}}")
"""A line of print: it holds a word of :data:`MIN_WORD` letters (a stray ``Is`` or ``1K``
an engine read from a speck beside a block is debris, not where the text joins)."""
NEAR = 0.5
"""Tokens at least this similar (normalized Levenshtein) at a moved block's edges are two
readings of one word, moved with the block (as :data:`collate.consensus.NEAR_WORD`)."""


@dataclass
class Moves:
    """The moves of one collation as the consensus reads them: per witness the character
    ranges it reads elsewhere (cut from its own places), and per (segment, witness) the
    character ranges of that witness read in the segment instead, each with ``True`` when
    it comes before the witness's own text there."""

    away: dict[str, list[Range]] = field(default_factory=dict)
    borrowed: dict[tuple[int, str], list[tuple[Range, bool]]] = field(default_factory=dict)


def moves(ev: Evidence, collation: Collation, weights: Mapping[str, float],
          judge: Judge | None = None) -> Moves:
    """The :class:`Moves` of ``collation`` (cut into ``ev``'s segments) towards the order
    of the most reliable witness, or of the one whose joins read better (:func:`order`).

    >>> from collate.edition import make_edition
    >>> ed = make_edition([("A", "one two three four. five six seven eight."),
    ...                    ("B", "five six seven eight. one two three fovr.")], restore=False)
    >>> m = moves(ed, ed.collation, {"A": 2.0, "B": 1.0})
    >>> m.away["B"], m.borrowed[0, "B"]
    ([(22, 41)], [((22, 41), True)])
    >>> ed.base_text()
    'one two three four. five six seven eight.'
    """
    out = Moves()
    if len(collation.ids) < 2 or not weights:
        return out
    ids = list(collation.ids)
    found: dict[tuple[str, str], list[tuple[Range, Range]]] = {}
    pivot = order(collation, weights, judge or Judge(None, frozenset()), found)
    k = ids.index(pivot)
    for other in ids:
        if other != pivot:
            for p, o in _blocks(collation, pivot, other, found):
                _take(out, ev, collation, k, pivot, other, p, o)
    return out


def _blocks(collation: Collation, a: str, b: str,
            found: dict[tuple[str, str], list[tuple[Range, Range]]]
            ) -> list[tuple[Range, Range]]:
    """The blocks ``a`` and ``b`` read in different places: their shared runs
    (:func:`collate.moved.shared_runs`) widened over misread words at their edges
    (:func:`_widen`), then chained (:func:`_chains`); kept in ``found``, as the reading
    order and the moves both ask for them."""
    if (a, b) not in found:
        ta, tb = collation.tokens[a], collation.tokens[b]
        found[a, b] = _chains([_widen(ta, tb, p, o) for p, o in shared_runs(collation, a, b)],
                              _apart(collation, a, b))
    return found[a, b]


def _apart(collation: Collation, a: str, b: str) -> Callable[[Range, Range], bool]:
    """Whether the tokens ``a`` reads between two runs (its gap), or those ``b`` reads
    between them, are mostly read by the other witness outside its own gap (at least
    :data:`JOIN_WORDS` of them): a block that stands there in one order and elsewhere in
    the other, so that the runs on either side are two blocks, joined to it, not one block
    with misread words inside."""
    ka, kb = collation.ids.index(a), collation.ids.index(b)
    cells = collation.columns.array
    cols = (columns_of(collation, ka), columns_of(collation, kb))

    def elsewhere(side: int, gap: Range, theirs: Range) -> bool:
        k = (kb, ka)[side]
        x, y = theirs
        out = [cells[c, k] for c in cols[side][gap[0]:gap[1]]]
        read = sum(1 for i, j in out if i < j and (j <= x or i >= y))
        return read >= JOIN_WORDS and 2 * read > gap[1] - gap[0]

    return lambda p, o: elsewhere(0, p, o) or elsewhere(1, o, p)


def order(collation: Collation, weights: Mapping[str, float], judge: Judge,
          found: dict[tuple[str, str], list[tuple[Range, Range]]] | None = None) -> str:
    """The witness whose reading order the consensus follows: the most reliable one, unless
    another's order reads better where the two differ, at the joins of their moved blocks.

    The joins are those of :func:`_joins`. Where a word broken at a line's end continues
    across a join, the join reads on as far as the joined word is known (``in-`` + ``dem``
    earns the word's Zipf frequency, :data:`~collate.plausibility.COMMON_ZIPF` less its
    :meth:`~collate.plausibility.Judge.lexical_cost`; ``na-`` + ``beit``, a form no lexicon
    nor the document knows, earns nothing, however well its letters read; a joined word
    shorter than :data:`MIN_WORD` is known by chance and earns nothing). A join where a
    sentence ends at a line's end and the next block begins with a small letter
    (``Wirkung.`` + ``etwas``: a sentence cut in two) costs
    :data:`~collate.plausibility.COMMON_ZIPF`, and so does a join where a blank line (a
    paragraph's end) follows a line whose last word ends no sentence (``gar`` + blank line
    + the next block: a paragraph does not end mid-sentence; the order that reads the line
    on into its continuation pays nothing; so does a word broken at a line's end before a
    blank line that completes no known word). A line of a number alone (a page number) is
    no sentence, and lines without a word of :data:`MIN_WORD` letters beside a join (specks
    an engine read as ``,O`` or ``1K``) are debris: the join is read past them
    (:func:`_text_before`, :func:`_text_after`). A join whose words the other witness
    reads on as well (the :data:`JOIN_WORDS` words on each side, their letters alone, in
    one stretch of its text: ``Be-`` + ``schreien`` where the other reads ``Be`` +
    ``schreien``) is no join of one order only: it earns and costs nothing, as it does
    not tell the orders apart. The order whose joins cost less wins; engines
    that order whole regions differently join at paragraph ends, and earn and pay nothing
    either way (then reliability decides). ``found`` keeps the blocks of
    each pair of witnesses (:func:`_blocks`) for the caller.
    """
    ids = list(collation.ids)
    found = {} if found is None else found
    best = max(ids, key=lambda w: (weights.get(w, 0.0), -ids.index(w)))
    gain: dict[str, float] = {}
    for other in ids:
        if other == best:
            continue
        mine, theirs = _joins(collation, best, other, _blocks(collation, best, other, found))
        gain[other] = (_join_cost(collation, best, mine, judge, other)
                       - _join_cost(collation, other, theirs, judge, best))
    challenger = max(gain, key=lambda w: gain[w], default=None)
    return challenger if challenger is not None and gain[challenger] > 0 else best


def _chains(runs: Sequence[tuple[Range, Range]],
            apart: Callable[[Range, Range], bool] | None = None) -> list[tuple[Range, Range]]:
    """Runs that follow each other in both witnesses, or overlap in both once widened,
    joined into one block (the tokens between them are misreadings inside a block, not
    joins of two), unless ``apart`` says that the gaps between them hold a block read
    elsewhere (:func:`_apart`); a run that overlaps a block in one witness only is dropped
    (widened into the wrong block).

    >>> _chains([((0, 3), (10, 13)), ((5, 9), (14, 18)), ((9, 12), (0, 3))])
    [((0, 9), (10, 18)), ((9, 12), (0, 3))]
    >>> _chains([((0, 5), (10, 15)), ((3, 8), (13, 18)), ((6, 9), (0, 3))])
    [((0, 8), (10, 18))]
    >>> _chains([((0, 3), (10, 13)), ((5, 9), (14, 18))], lambda gap, theirs: True)
    [((0, 3), (10, 13)), ((5, 9), (14, 18))]
    """
    by_o = sorted(range(len(runs)), key=lambda k: runs[k][1])
    rank = {k: n for n, k in enumerate(by_o)}
    out: list[tuple[Range, Range]] = []
    last = -2
    for k in sorted(range(len(runs)), key=lambda k: runs[k][0]):
        (p1, p2), (o1, o2) = runs[k]
        if out:
            (q1, q2), (r1, r2) = out[-1]
            cross_p, cross_o = p1 < q2, o1 < r2 and r1 < o2
            follows = not cross_p and rank[k] == last + 1 and o1 >= r1 and (
                cross_o or apart is None or not apart((q2, p1), (r2, o1)))
            if (cross_p and cross_o) or follows:
                out[-1] = ((q1, max(p2, q2)), (min(o1, r1), max(o2, r2)))
                last = rank[k]
                continue
            if cross_p or cross_o:
                continue
        out.append(((p1, p2), (o1, o2)))
        last = rank[k]
    return out


def _joins(collation: Collation, a: str, b: str,
           runs: list[tuple[Range, Range]]) -> tuple[set[int], set[int]]:
    """Where ``a``'s and ``b``'s texts join two blocks the other reads apart (as token
    indices: a join before that token): the edges of their moved blocks ``runs``
    (:func:`_blocks`), and where the word before (after) a block in one witness is followed
    (preceded) by another block in the other."""
    ka, kb = collation.ids.index(a), collation.ids.index(b)
    ranges = [list(collation.columns.ranges(k)) for k in (ka, kb)]
    col_of = [[c for c, (x, y) in enumerate(rs) for _ in range(x, y)] for rs in ranges]
    edges: tuple[set[int], set[int]] = (set(), set())
    for run in runs:
        for side in (0, 1):
            (x1, x2), (y1, y2) = run[side], run[1 - side]
            edges[side].update((x1, x2))
            other = ranges[1 - side]
            if x1 > 0 and (cell := other[col_of[side][x1 - 1]])[0] < cell[1] != y1:
                edges[1 - side].add(cell[1])  # the word before the block goes on elsewhere
            if x2 < len(col_of[side]) and (cell := other[col_of[side][x2]])[0] < cell[1] \
                    and cell[0] != y2:
                edges[1 - side].add(cell[0])  # the word after it comes after another block
    return edges


def _join_cost(collation: Collation, wid: str, joins: set[int], judge: Judge,
               other: str) -> float:
    """What the joins before ``wid``'s tokens ``joins`` cost (see :func:`order`), less
    those ``other`` reads on too."""
    texts = {w.id: w.text for w in collation.witnesses}
    text = texts[wid]
    theirs = _letters(texts[other])
    toks = collation.tokens[wid]
    cost = 0.0
    for at in sorted({toks[t].start if t < len(toks) else len(text) for t in joins}
                     - {0, len(text)}):
        at, line = _text_before(text, at)
        after = _text_after(text, at)
        words = [*reversed([m.group() for m in islice(_LAST_WORDS.finditer(text, 0, at),
                                                      JOIN_WORDS)]),
                 *(m.group() for m in islice(_WORDS.finditer(text, after), JOIN_WORDS))]
        if _letters(" ".join(words)) in theirs:
            continue  # the other witness reads these words on: both orders join them
        right = _WORD_START.match(text, after)
        left = _BROKEN.search(text, line, at)
        word = (left.group(1) + right.group(1)).lower() if left and right else ""
        if len(word) >= MIN_WORD and judge.lexical_cost(word) < COMMON_ZIPF:
            cost += judge.lexical_cost(word) - COMMON_ZIPF  # a broken word completed
        elif right is not None and (_CUT.search(text, line, at) or (
                right.group(1)[0].islower() and _ENDED.search(text, line, at))):
            cost += COMMON_ZIPF  # a sentence cut in two, or a paragraph ended mid-sentence
    return cost


def _letters(text: str) -> str:
    """The letters of ``text`` alone, in small compatibility form: what two readings of
    the same words share whatever their hyphens, stops and line breaks.

    >>> _letters("Be-\\nschreien, 73"), _letters("Be schreien")
    ('beschreien', 'beschreien')
    """
    return "".join(_LETTER.findall(unicodedata.normalize("NFKC", text).lower()))


def _text_before(text: str, at: int) -> tuple[int, int]:
    """The join at ``at`` moved back over lines of debris (:data:`_TEXT_LINE`), and the
    start of the line of print before it.

    >>> t = "sie waren\\n\\nIs\\nDer Mann"
    >>> _text_before(t, t.index("Der"))
    (11, 0)
    """
    while True:
        line = text.rfind("\n", 0, len(text[:at].rstrip())) + 1
        if line == 0 or _TEXT_LINE.search(text, line, at):
            return at, line
        at = line


def _text_after(text: str, at: int) -> int:
    """The join at ``at`` moved on over lines of debris (:data:`_TEXT_LINE`).

    >>> t = "sie\\n\\nar\\n\\ndas Haus"
    >>> t[_text_after(t, 5):]
    'das Haus'
    """
    while True:
        end = text.find("\n", at)
        if end < 0 or _TEXT_LINE.search(text, at, end):
            return at
        at = end + 1


def _take(out: Moves, ev: Evidence, collation: Collation, k: int, pivot: str, other: str,
          p: Range, o: Range) -> None:
    """Record one move: ``other``'s tokens ``o`` read where ``pivot`` has its tokens ``p``."""
    ptoks, otoks = collation.tokens[pivot], collation.tokens[other]
    (p1, p2), (o1, o2) = p, o
    if _local(ev, collation, pivot, other, (ptoks[p1].start, otoks[o1].start),
              _end(otoks, o2) - otoks[o1].start):
        return
    pcols, ocols = Tokens.of(ptoks), Tokens.of(otoks)  # read from columns, no token made
    bound = _boundaries(pcols.norms[p1:p2], ocols.norms[o1:o2])
    out.away.setdefault(other, []).append((otoks[o1].start, _end(otoks, o2)))
    starts = list(pcols.starts[p1:p2])  # rising: the block's tokens in order
    for i, seg in enumerate(ev.segments):
        a, b = seg.ranges[k]
        first, end = bisect_left(starts, a), bisect_left(starts, b)  # the tokens inside
        if first >= end:
            continue
        q1, q2 = bound[first], bound[end]
        if q2 > q1:
            rng = (otoks[o1 + q1].start, _end(otoks, o1 + q2))
            before = starts[first] <= a or not ev.reading(i, pivot)[: starts[first] - a].strip()
            out.borrowed.setdefault((i, other), []).append((rng, before))


def _local(ev: Evidence, collation: Collation, pivot: str, other: str,
           starts: tuple[int, int], size: int) -> bool:
    """Whether the two copies of a block that start at ``starts`` (pivot's, other's) stand
    in one segment at nearly the same place in it (closer than the block is long): a word
    order the voting inside the place reads, not a move."""
    kp, ko = collation.ids.index(pivot), collation.ids.index(other)
    segs = [i for i, seg in enumerate(ev.segments)
            if seg.ranges[kp][0] <= starts[0] < seg.ranges[kp][1]
            or seg.ranges[ko][0] <= starts[1] < seg.ranges[ko][1]]
    if len(segs) != 1:
        return False
    seg = ev.segments[segs[0]]
    shift = (starts[0] - seg.ranges[kp][0]) - (starts[1] - seg.ranges[ko][0])
    return abs(shift) < size


def _widen(ptoks: Sequence[Token], otoks: Sequence[Token], p: Range,
           o: Range) -> tuple[Range, Range]:
    """A move widened over the neighbouring tokens of both copies while they are readings
    of one word (at least :data:`NEAR` similar), or a word misread beyond that with the
    next word of both copies one word again (``dieß auch`` / ``Nest auch``), then line by
    line while the rest of the line (:data:`LINE_WORDS` at most) reads alike in both: the
    alignment finds a move by its equal tokens, so a misread word at a block's edge would
    be left behind at the old place.

    >>> from collate.tokens import tokenize
    >>> a, b = tokenize("x y blieb dieß auch nicht"), tokenize("blieb Nest auch nicht q")
    >>> _widen(a, b, (2, 3), (0, 1))
    ((2, 6), (0, 4))
    """
    (p1, p2), (o1, o2) = p, o
    ptoks, otoks = Tokens.of(ptoks), Tokens.of(otoks)  # read from columns, no token made
    pn, on = ptoks.norms, otoks.norms
    while p1 > 0 and o1 > 0 and _same(pn, on, p1 - 1, o1 - 1, -1):
        p1, o1 = p1 - 1, o1 - 1
    while p2 < len(pn) and o2 < len(on) and _same(pn, on, p2, o2, 1):
        p2, o2 = p2 + 1, o2 + 1
    while p1 > 0 and o1 > 0:  # then line by line, while the lines read alike
        q1, r1 = _line_start(ptoks, p1 - 1), _line_start(otoks, o1 - 1)
        if not (_line(ptoks, p1 - 1) and _line(otoks, o1 - 1)
                and _near(" ".join(pn[q1:p1]), " ".join(on[r1:o1]))):
            break
        p1, o1 = q1, r1
    while p2 < len(ptoks) and o2 < len(otoks):
        q2, r2 = _line_end(ptoks, p2), _line_end(otoks, o2)
        if not (_line(ptoks, p2) and _line(otoks, o2)
                and _near(" ".join(pn[p2:q2]), " ".join(on[o2:r2]))):
            break
        p2, o2 = q2, r2
    return (p1, p2), (o1, o2)


def _line(tokens: Sequence[Token], i: int) -> bool:
    """Whether token ``i`` stands on a line of print (:data:`LINE_WORDS` tokens at most)."""
    return _line_end(tokens, i) - _line_start(tokens, i) <= LINE_WORDS


def _line_start(tokens: Sequence[Token], i: int) -> int:
    """The first token of the line token ``i`` stands on."""
    breaks = _breaks(tokens)
    j = bisect_left(breaks, i)  # the breaks before token i
    return breaks[j - 1] + 1 if j else 0


def _line_end(tokens: Sequence[Token], i: int) -> int:
    """The token after the last one of the line token ``i`` stands on."""
    breaks = _breaks(tokens)
    j = bisect_left(breaks, i)  # the first break at token i or after it
    return min(len(tokens), breaks[j] + 1) if j < len(breaks) else len(tokens)


def _breaks(tokens: Sequence[Token]) -> list[int]:
    """The tokens whose whitespace breaks the line (a witness's packed tokens keep them)."""
    if isinstance(tokens, Tokens):
        return tokens.line_breaks()
    return [k for k, t in enumerate(tokens) if "\n" in t.ws]


def _same(pnorms: Sequence[str], onorms: Sequence[str], i: int, j: int, step: int) -> bool:
    """Whether tokens ``i`` and ``j`` (their norms given) read one word, or the next ones on
    (``step``) are the same word of at least :data:`MIN_WORD` letters."""
    if _near(pnorms[i], onorms[j]):
        return True
    i, j = i + step, j + step
    return (0 <= i < len(pnorms) and 0 <= j < len(onorms) and len(pnorms[i]) >= MIN_WORD
            and pnorms[i].isalpha() and pnorms[i] == onorms[j])


def _near(a: str, b: str) -> bool:
    return Levenshtein.normalized_similarity(a, b) >= NEAR


def _end(tokens: Sequence[Token], j: int) -> int:
    """The offset after token ``j - 1`` and its whitespace."""
    last = tokens[j - 1]
    return last.end + len(last.ws)


def _boundaries(pivot: list[str], other: list[str]) -> list[int]:
    """For each token boundary of ``pivot`` (0..len), the matching boundary of ``other``
    (monotone; what ``other`` inserts goes with the pivot token before it).

    >>> _boundaries(["a", "b", "c"], ["a", "x", "c", "d"])
    [0, 1, 2, 4]
    """
    out = [0] * (len(pivot) + 1)
    for op in Levenshtein.opcodes(pivot, other):
        n, m = op.src_end - op.src_start, op.dest_end - op.dest_start
        for p in range(op.src_start + 1, op.src_end + 1):
            out[p] = op.dest_start + (m * (p - op.src_start)) // max(1, n)
        if n == 0:
            out[op.src_start] = op.dest_end if op.src_start > 0 else 0
    out[-1] = len(other)
    return out


def readings(
    ev: Evidence, found: Moves, fill: Callable[[RestoredLacuna], str],
) -> list[dict[str, _cons.Reading]]:
    """Per segment, per witness, what it reads there for the consensus: its own text less
    what it reads elsewhere, and what it reads here from elsewhere."""
    out = []
    for i, seg in enumerate(ev.segments):
        row = {}
        for k, wid in enumerate(ev.ids):
            a, b = seg.ranges[k]
            own = [(ev.pieces_between(wid, x, y), x)
                   for x, y in _cut((a, b), found.away.get(wid, []))]
            if not found.away.get(wid) and (i, wid) not in found.borrowed:
                row[wid] = _cons.reading(wid, ev.pieces(i, wid), a, fill)
                continue
            before = [(ev.pieces_between(wid, x, y), x) for (x, y), first in
                      found.borrowed.get((i, wid), []) if first]
            after = [(ev.pieces_between(wid, x, y), x) for (x, y), first in
                     found.borrowed.get((i, wid), []) if not first]
            row[wid] = _cons.joined([_cons.reading(wid, p, x, fill)
                                     for p, x in (*before, *own, *after)], wid)
        out.append(row)
    return out


def _cut(rng: Range, away: list[Range]) -> list[Range]:
    """``rng`` less every range of ``away``.

    >>> _cut((0, 10), [(2, 4), (8, 20)])
    [(0, 2), (4, 8)]
    """
    parts = [rng]
    for x, y in away:
        parts = [q for a, b in parts for q in ((a, min(b, x)), (max(a, y), b)) if q[0] < q[1]]
    return parts
