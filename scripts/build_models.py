"""Build the built-in restoration models that ship with collate (``make models``).

One model per language, from the ELTeC novels in ``../shared/corpora`` (public domain
texts; ELTeC's encoding CC BY 4.0, see the README), with the novels below kept out of
building: :data:`HELD_OUT` for evaluation only (``benchmarks/bench_models.py --only eltec``
reports them apart), :data:`DEV` for tuning. The lists are fixed: every 19th novel of the
sorted folder from the 10th (held out), and the 19th and 57th (tuning).

    .venv/bin/python scripts/build_models.py [--corpora DIR] [--lang en|de]...
        [--prune W,P,T,C1,...,C6 -o FILE] [--calibration-only] [--workers N]

Writes ``collate/models/<lang>.model`` with the :data:`~collate.restoration.corpusmodel.SHIPPED`
pruning and, for the languages of :data:`PRIORS`, its prior confidence map
(:mod:`collate.restoration.prior`), fitted on :data:`CHAPTERS` chapters of each :data:`DEV`
novel (which the model does not learn from),
and prints each file's size and build time. ``--calibration-only`` refits the map of the
model file as it stands (its counts untouched). ``--prune`` builds one language with
another pruning (sightings of words, pairs, triples, character 1- to 6-grams) into ``-o``,
to compare prunings on the DEV novels (``benchmarks/bench_models.py --only dev --model``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collate.restoration.corpusmodel import (  # noqa: E402
    SHIPPED,
    Pruning,
    build_model,
    load_model,
    shipped_path,
)
from collate.restoration.prior import chapters, fit_prior  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
FOLDERS = {"en": "eltec_eng", "de": "eltec_deu"}
#: novels no built-in model learns from and no constant is tuned on
HELD_OUT = {
    "en": ("ENG18482_Gaskell", "ENG18652_Carroll", "ENG18870_Barry", "ENG18960_Malet",
           "ENG19120_Wells"),
    "de": ("DEU012", "DEU033", "DEU054", "DEU074", "DEU094"),
}
#: novels kept out of building too, on which pruning and weights are tuned
DEV = {"en": ("ENG18560_Yonge", "ENG18920_Grossmith"), "de": ("DEU022", "DEU063")}
CHAPTERS = 4  #: chapters of each DEV novel the prior confidence map is fitted on
#: languages whose shipped model carries a prior map: German's, fitted the same way, left the
#: held-out novels' ECE at 0.037 against 0.019 for twelve rounds of the document's own
#: (``bench_models.py --only eltec --lang de --split held-out --chapters 3``, 1,500 places;
#: top-1 46.7 % both), so its documents keep calibrating on themselves
PRIORS = ("en",)


def training_files(lang: str, corpora: Path = CORPORA) -> list[Path]:
    """The novels the built-in model of ``lang`` is built from."""
    out = set(HELD_OUT[lang]) | set(DEV[lang])
    return [f for f in sorted((corpora / FOLDERS[lang]).glob("*.txt")) if f.stem not in out]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--lang", action="append", choices=sorted(FOLDERS))
    ap.add_argument("--prune", help="another pruning: W,P,T,C1,...,C6 (with -o, one --lang)")
    ap.add_argument("-o", "--output", type=Path, help="where --prune writes its model")
    ap.add_argument("--calibration-only", action="store_true",
                    help="refit the prior map of the model file as it stands")
    ap.add_argument("--workers", type=int, default=1, help="processes fitting the map")
    args = ap.parse_args()
    prune = SHIPPED
    if args.prune:
        if not args.output or len(args.lang or ()) != 1:
            ap.error("--prune needs -o FILE and one --lang")
        w, p, t, *chars = (int(x) for x in args.prune.split(","))
        prune = Pruning(w, p, t, tuple(chars))
    for lang in args.lang or sorted(FOLDERS):
        files = training_files(lang, args.corpora)
        if not files:
            sys.exit(f"build_models: no novels in {args.corpora / FOLDERS[lang]}")
        t0 = time.perf_counter()
        target = args.output or shipped_path(lang)
        if args.calibration_only:
            model = load_model(target)
        else:
            model = build_model([f.read_text(encoding="utf-8") for f in files], lang=lang,
                                prune=prune)
        if lang in PRIORS:
            held = [c for novel in DEV[lang] for c in chapters(
                (args.corpora / FOLDERS[lang] / f"{novel}.txt").read_text(encoding="utf-8"),
                CHAPTERS)]
            model = model.with_calibration(fit_prior(model, held, workers=args.workers))
        target.parent.mkdir(parents=True, exist_ok=True)
        model.save(target)
        print(f"{target}: {target.stat().st_size / 1e6:.1f} MB from "
              f"{len(files)} novels in {time.perf_counter() - t0:.0f} s; {model.describe()}")


if __name__ == "__main__":
    main()
