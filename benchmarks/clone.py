"""What a fresh clone can benchmark on: the project's own ``samples/`` and witnesses made
from them.

Every benchmark reads the real texts of ``../shared/data`` beside the checkout, or the
folder ``--data DIR`` names (same layout). Where neither is there (a user's clone), it runs
on the texts this module gives instead, says so in its first line, and names what it skipped.
The texts it makes are deterministic (seeded), so two runs print the same figures.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared" / "data"
CONFUSIONS = {
    "e": "co", "c": "e", "o": "0ea", "a": "on", "i": "l1¡", "l": "1Ii", "n": "u", "u": "n",
    "t": "fl", "f": "t", "s": "«a", "r": "i", "y": "v", "b": "h", "g": "q", "S": "8", "B": "8",
    "O": "0", "I": "1l",
}
"""Letters OCR engines read for one another."""
SPLITS = {"m": "rn", "h": "li", "w": "vv", "d": "cl"}
"""Letters OCR engines read as two."""
DEBRIS = "|\\~{}«»^`¬,.'"


def data_options(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark takes to choose its texts: ``--data DIR``, ``--samples``."""
    parser.add_argument("--data", type=Path, default=None,
                        help="a folder laid out as ../shared/data (default: that, where it is)")
    parser.add_argument("--samples", action="store_true",
                        help="run on samples/ and witnesses made from them, as a clone does")


def data_dir(given: Path | None, samples: bool = False) -> Path | None:
    """The real data to read: ``given`` (``--data DIR``), else ``../shared/data`` where it
    is, else ``None`` (a clone, or ``samples``: run on :func:`sample_texts` and what is made
    from them).

    Raises
    ------
    SystemExit
        When ``given`` names no folder.
    """
    if samples:
        return None
    if given is not None:
        if not given.is_dir():
            raise SystemExit(f"--data {given}: no such folder")
        return given
    return SHARED if SHARED.is_dir() else None


def say_clone(bench: str, skipped: str) -> None:
    """The first line of a run without real data: where the texts come from, what is left."""
    print(f"{bench}: running on samples/ and witnesses made from them (real data: "
          f"{SHARED}, or --data DIR); skipped: {skipped}")


def sample_texts() -> dict[str, str]:
    """Every sample witness, by ``document/witness``, as written (lacunae included).

    >>> sorted(sample_texts())[:2]
    ['memo/A', 'memo/B']
    """
    return {f"{p.parent.name}/{p.stem}": p.read_text(encoding="utf-8")
            for p in sorted(SAMPLES.glob("*/*.txt"))}


def clean_paragraphs() -> list[str]:
    """The paragraphs of the samples with no lacuna (every character known), each once.

    >>> all("□" not in p for p in clean_paragraphs()) and len(clean_paragraphs()) > 5
    True
    """
    seen: dict[str, None] = {}
    for text in sample_texts().values():
        for para in text.split("\n\n"):
            if para.strip() and not any(c in para for c in "□☐▯■▢\ufffd"):
                seen.setdefault(para.strip(), None)
    return list(seen)


def add_noise(text: str, rate: float, seed: int) -> str:
    """``text`` with OCR-like noise on about ``rate`` of its characters (line breaks kept):
    confused and split letters, lost letters, specks of debris, split words.

    >>> add_noise("the cat", 0.0, 1), add_noise("the cat", 1.0, 1) != "the cat"
    ('the cat', True)
    """
    rng = random.Random(seed)
    out = []
    for ch in text:
        if ch == "\n" or rng.random() >= rate:
            out.append(ch)
            continue
        r = rng.random()
        if r < 0.6 and (ch in CONFUSIONS or ch in SPLITS):
            out.append(rng.choice([*CONFUSIONS.get(ch, ""), SPLITS.get(ch, ch)]))
        elif r < 0.75:
            continue  # a lost letter
        elif r < 0.9:
            out.append(ch + rng.choice(DEBRIS))
        else:
            out.append("" if ch == " " else ch + " ")
    return "".join(out)


def ocr_articles(folder: Path, rates: tuple[float, float] = (0.06, 0.03)) -> list[Path]:
    """Articles in the layout of ``ocr_overproof`` (``ocr.txt``, ``corrected_overproof.txt``,
    ``corrected_human.txt``): each paragraph of the clean samples is the truth, read twice
    with OCR-like noise at the two ``rates``."""
    out = []
    for k, truth in enumerate(clean_paragraphs()):
        art = folder / "generated" / f"article_{k:03d}"
        art.mkdir(parents=True, exist_ok=True)
        (art / "corrected_human.txt").write_text(truth, encoding="utf-8")
        for name, rate in zip(("ocr.txt", "corrected_overproof.txt"), rates, strict=True):
            (art / name).write_text(add_noise(truth, rate, 1000 * k + len(name)),
                                    encoding="utf-8")
        out.append(art)
    return out


def corpus(folder: Path, documents: int = 24) -> Path:
    """A corpus of ``documents`` folders, each a sample document's witnesses, every copy
    after the first read with its own light OCR noise; returns its manifest (JSON)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, text in sample_texts().items():
        doc, wit = name.split("/")
        groups.setdefault(doc, []).append((wit, text))
    manifest = {}
    names = sorted(groups)
    for k in range(documents):
        doc = names[k % len(names)]
        target = folder / f"{doc}{k:03d}"
        target.mkdir(parents=True, exist_ok=True)
        paths = []
        for j, (wit, text) in enumerate(groups[doc]):
            path = target / f"{wit}.txt"
            path.write_text(text if j == 0 else add_noise(text, 0.02, 97 * k + j), "utf-8")
            paths.append(str(path))
        manifest[target.name] = paths
    out = folder / "manifest.json"
    out.write_text(json.dumps(manifest), encoding="utf-8")
    return out
