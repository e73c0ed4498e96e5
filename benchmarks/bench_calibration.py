"""Benchmark: what calibration buys for what it costs (issue 25). How the confidences of
restored lacunae hold up when the confidence map is fitted on only the first ``k``
calibration rounds of hidden spans instead of all of them.

Most of a short document's restoration time is calibration: the seed's twelve rounds hide
264 spans of intact text for its 33 lacunae, each filled as a lacuna is. Fewer rounds cost
proportionally less; this bench measures what they lose. Each ELTeC chapter of
``bench_models.py --only eltec`` (the same chapters, damaged the same way: text alone, the
built-in model of its language) is restored once in process, and the map is refitted on the
first ``k`` rounds (what stopping after ``k`` rounds gives, exactly: the real lacunae's
model and the rounds before ``k`` are the same), alone and as the update of the prior map
the model file holds (``prior + k``: what ``restore`` does with ``PRIOR_ROUNDS = k``; ``k =
0``, the prior alone). Per row: the share of hidden spans filled, top-1, ECE, the Brier
score and its paired difference to the fit on every round alone (with its standard error:
the Brier score is a proper score, so a positive difference means confidences that are
worse, not merely different), and the mean confidence.

    .venv/bin/python benchmarks/bench_calibration.py [--lang en|de] [--chapters N]
        [--per-chapter N] [--split held-out|tuning]

Reads ``../shared/corpora`` (the ELTeC novels); without it, says so and stops.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_models import chapters
from damage import damage

import collate.restoration.core as core
from collate.restoration.calibrate import ece

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.build_models import CORPORA, DEV, FOLDERS, HELD_OUT  # noqa: E402


@contextmanager
def by_rounds(found: dict[int, list[tuple[str | None, float]]], sizes: list[int]
              ) -> Iterator[None]:
    """While open, each restoration runs every calibration round (the model's prior map
    set aside) and also fills ``found`` (a real lacuna's start: its best candidate and
    confidence with the map fitted on the first 1, 2, ... rounds, then with the prior
    updated by the first 0, 1, 2, ... rounds where the model holds one) and ``sizes``
    (hidden spans per round)."""
    calibration, fit, prior = core._calibration, core._Fitted.__dict__["of"], core._prior
    of = core._Fitted.of
    rounds: list[Any] = []

    def hiding(*args: Any, **kw: Any) -> Any:
        got = calibration(*args, **kw)
        rounds[:] = got[0]
        sizes[:] = [len(r) for r in got[0]]
        return got

    class Fits:
        """The fit on every round, recording the fits on the first rounds beside it."""

        def __init__(self, inputs: Any, hidden: list[Any], _: Any = None) -> None:
            self.all = of(inputs, hidden)
            self.first = [of(inputs, [h for r in rounds[:k] for h in r])
                          for k in range(1, len(rounds) + 1)]
            cal = prior(inputs)
            if cal is not None:
                self.first += [of(inputs, [h for r in rounds[:k] for h in r], cal)
                               for k in range(len(rounds) + 1)]

        def candidates(self, hole: Any, text: str, top: int) -> Any:
            best = [f.candidates(hole, text, 1) for f in self.first]
            found[hole.start] = [(c[0].text, c[0].confidence) if c else (None, 0.0)
                                 for c in best]
            return self.all.candidates(hole, text, top)

    core._calibration, core._prior = hiding, lambda inputs: None
    core._Fitted.of = classmethod(lambda cls, *args: Fits(*args))
    try:
        yield
    finally:
        core._calibration, core._Fitted.of, core._prior = calibration, fit, prior


def measure(lang: str, split: str, per_novel: int, per_chapter: int) -> list[dict]:
    """A row per damaged place: its truth, and per number of rounds fitted whether the best
    candidate is right and its confidence (``rounds[k - 1]``), with the chapter's hidden
    spans per round."""
    novels = HELD_OUT[lang] if split == "held-out" else DEV[lang]
    rows = []
    for name, text in chapters(lang, novels, per_novel):
        damaged, places, _ = damage(text, per_chapter, random.Random(f"eltec/{name}"))
        found: dict[int, list[tuple[str | None, float]]] = {}
        sizes: list[int] = []
        with by_rounds(found, sizes):
            core.restore(damaged)
        for kind, start, truth, *_ in places:
            if start in found:
                rows.append({"chapter": name, "kind": kind, "sizes": list(sizes),
                             "rounds": [(t == truth, c) for t, c in found[start]]})
        print(f"  {lang} {name:28s} {len(sizes)} rounds, {sum(sizes)} hidden spans",
              file=sys.stderr, flush=True)
    return rows


def report(lang: str, split: str, rows: list[dict]) -> None:
    """Per number of rounds fitted (alone, then updating the prior): hidden spans, top-1,
    ECE, Brier (and its paired difference to every round's fit), mean confidence."""
    most = max(len(r["sizes"]) for r in rows)
    total = sum(sum(s) for s in {r["chapter"]: r["sizes"] for r in rows}.values())
    print(f"{lang} {split}: {len(rows)} places, {total} hidden spans in all rounds")
    print("   rounds  hidden  top-1    ECE    Brier   dBrier (se)       mean conf")
    with_prior = all(len(r["rounds"]) == 2 * len(r["sizes"]) + 1 for r in rows)
    full = [r["rounds"][len(r["sizes"]) - 1] for r in rows]
    for label, k in [*((f"{k}", k) for k in range(1, most + 1)),
                     *((f"prior+{k}", k) for k in range(most + 1) if with_prior)]:
        base = "prior" in label
        got = [r["rounds"][len(r["sizes"]) + min(k, len(r["sizes"])) if base
                           else min(k, len(r["sizes"])) - 1] for r in rows]
        briers = [(c - right) ** 2 for right, c in got]
        diffs = [b - (c - right) ** 2 for b, (right, c) in zip(briers, full, strict=True)]
        mean = sum(diffs) / len(diffs)
        se = (sum((d - mean) ** 2 for d in diffs) / max(1, len(diffs) - 1) / len(diffs)) ** 0.5
        hidden = sum(sum(s[:k]) for s in {r["chapter"]: r["sizes"] for r in rows}.values())
        print(f" {label:>8s}  {hidden / total:5.0%}  {sum(r for r, _ in got) / len(got):6.1%}"
              f"  {ece([c for _, c in got], [r for r, _ in got]):.4f}"
              f"  {sum(briers) / len(briers):.4f}  {mean:+.4f} ({se:.4f})"
              f"  {sum(c for _, c in got) / len(got):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=sorted(FOLDERS), default="en")
    ap.add_argument("--chapters", type=int, default=1, help="chapters per novel")
    ap.add_argument("--per-chapter", type=int, default=100, help="damaged places per chapter")
    ap.add_argument("--split", choices=("held-out", "tuning"), default="held-out")
    args = ap.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"bench_calibration: corpora folder {CORPORA} not found")
    rows = measure(args.lang, args.split, args.chapters, args.per_chapter)
    report(args.lang, args.split, rows)


if __name__ == "__main__":
    main()
