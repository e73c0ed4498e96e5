"""Restoration models and restoration speed: whole-process timings through the CLI, and a
corpus of the same work as a model.

Timings run ``collate restore`` in a fresh process (so loading counts): a two-line document,
a clean document (nothing to restore), a 10 MB single-line clean text, the seed, and 1,000
lacunae in 250,000 characters of Frankenstein with one witness (a copy damaged elsewhere).
Each prints wall seconds, CPU seconds (user + system of the child: on a loaded machine the
wall time also counts waiting for a core) and peak memory. ``collate model build`` on a
folder is timed too.

The corpus scenario damages a Frankenstein unit (1818 edition) and restores it alone (the
document and word lists, ``model=False``), with the built-in model of English, and with a
model built from every other unit of the same edition (``build_model``); top-1 per
damage kind (lost whole words apart), ECE, and the same figures for held-out units (no
constant of the models is tuned on any unit; the units listed in
``damage.HELD_OUT_ENGLISH`` are reported apart as well).

The ELTeC scenario (``--only eltec``) restores chapters of novels that no built-in model
learns from, text alone through ``collate restore --format json`` in a fresh process (the
built-in model of the detected language): the held-out novels of
``scripts/build_models.HELD_OUT`` (figures out of sample, reported apart) and the tuning
novels of ``DEV``; top-1 and top-5 per damage kind, ECE overall and per kind. The seed
section (``--only seed``) restores the seed document with the built-in model: its two lost
opening words, wall time and peak memory.

    .venv/bin/python benchmarks/bench_models.py [--quick] [--only timing|corpus|eltec|seed|dev]
        [--copies N] [--lang en|de] [--chapters N] [--per-chapter N]
        [--split held-out|tuning] [--rows FILE] [--model FILE]...

``--only dev --lang L --model FILE...`` ranks the DEV chapters of ``L`` with each model file
(top-1 per kind, no calibration): how prunings of the built-in model were chosen.

``bench_restore.py`` runs both sections too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from damage import DATA, HELD_OUT_ENGLISH, KINDS, damage, frankenstein_250k

from collate.restoration import restore
from collate.restoration.calibrate import ece
from collate.restoration.corpusmodel import build_model, shipped_path
from collate.restoration.workers import available

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.build_models import CORPORA, DEV, FOLDERS, HELD_OUT  # noqa: E402

COLLATE = [sys.executable, "-m", "collate"]
UNITS = ("C05", "C08", "C12", "C17", "C22", "C28")  #: the tuned English units of bench_restore


def run_cli(args: list[str]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak KB, exit status) of one ``collate`` process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen([*COLLATE, *args], env=env, stdout=subprocess.DEVNULL,
                                 stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            err.seek(0)
            print(err.read().decode(errors="replace").strip(), file=sys.stderr)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, child.returncode


def speed_inputs(folder: Path) -> dict[str, list[str]]:
    """The documents the timings restore, written to ``folder``."""
    two = folder / "two.txt"
    two.write_text("The c\u25a1t sat on the mat.\nA dog ran by.\n", encoding="utf-8")
    clean = folder / "clean.txt"
    clean.write_text((DATA / "frankenstein" / "C05" / "1818.txt").read_text(), encoding="utf-8")
    big = folder / "big.txt"
    line = " ".join((DATA / "frankenstein" / "C05" / "1818.txt").read_text().split())
    big.write_text((line + " ") * (10_000_000 // (len(line) + 1) + 1), encoding="utf-8")
    rng = random.Random(7)
    text = frankenstein_250k()
    damaged, _, taken = damage(text, 1000, rng)
    witness, _, _ = damage(text, 1000, rng, avoid=taken)
    (folder / "d250.txt").write_text(damaged, encoding="utf-8")
    (folder / "w250.txt").write_text(witness, encoding="utf-8")
    seed = sorted((DATA / "seed").glob("*.txt"))[0]
    return {
        "two-line document (target <= 0.5 s)": ["restore", str(two)],
        "clean document, nothing to restore (target <= 0.5 s)": ["restore", str(clean)],
        "10 MB single-line clean text": ["restore", str(big), "-o", os.devnull],
        "seed (target <= 2 s)": ["restore", str(seed)],
        "1,000 lacunae in 250,000 chars, one witness (target <= 3 s)": [
            "restore", str(folder / "d250.txt"), "--witness", str(folder / "w250.txt"),
            "-o", os.devnull,
        ],
    }


def _with_one_worker(cases: dict[str, list[str]]) -> dict[str, list[str]]:
    """``cases`` with each timed restore also run on one worker (``--workers 1``) just
    after it: what a core gives, beside what the machine's cores give."""
    out = {}
    for name, args in cases.items():
        out[name] = args
        if "target <= 2" in name or "target <= 3" in name:
            out[f"  {name.split(' (')[0]}, one worker"] = [*args, "--workers", "1"]
    return out


def timings() -> list[dict]:
    """Whole-process timings through the CLI (the built-in model cache warmed first)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = speed_inputs(folder)
        run_cli(["restore", str(folder / "two.txt")])  # builds the built-in cache if absent
        corpus = folder / "corpus"
        corpus.mkdir()
        for u in UNITS:
            (corpus / f"{u}.txt").write_text((DATA / "frankenstein" / u / "1818.txt").read_text())
        cases[f"collate model build on a folder of {len(UNITS)} units"] = [
            "model", "build", str(corpus), "-o", str(folder / "f.model"), "--lang", "en"]
        cases = _with_one_worker(cases)
        print(f"\n== whole-process timings (collate CLI, fresh process each; "
              f"{available()} cores, restore uses all by default) ==")
        for name, args in cases.items():
            wall, cpu, rss, status = run_cli(args)
            rows.append({"kind": "_timing", "case": name, "wall": wall, "cpu": cpu,
                         "max_rss_kb": rss, "status": status})
            print(f"{name:62s} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak {rss / 1024:6.0f} MB"
                  + ("" if status == 0 else f"  EXIT {status}"))
        wall, cpu, _, status = run_cli(["restore", str(folder / "two.txt"), "--model",
                                        str(folder / "f.model")])
        print(f"{'two-line document with --model (the built model)':62s} wall {wall:6.2f} s  "
              f"cpu {cpu:6.2f} s" + ("" if status == 0 else f"  EXIT {status}"))
    return rows


def corpus_scenario(quick: bool, copies: int = 1) -> list[dict]:
    """Top-1 and ECE of a Frankenstein unit restored alone and with a model of the other
    units of the same edition; ``copies`` damaged copies of each unit (damaged at other
    places), for more places and a lower sampling floor of the ECE."""
    units = sorted(p.name for p in (DATA / "frankenstein").iterdir() if p.is_dir())
    texts = {u: (DATA / "frankenstein" / u / "1818.txt").read_text() for u in units}
    chosen = [*UNITS[:2], *HELD_OUT_ENGLISH[:2]] if quick else [*UNITS, *HELD_OUT_ENGLISH]
    rows = []
    for u, copy in ((u, k) for u in chosen for k in range(copies)):
        rng = random.Random(f"corpus/{u}" + (f"/{copy}" if copy else ""))
        damaged, places, _ = damage(texts[u], 40 if quick else 60, rng)
        t0 = time.perf_counter()
        model = build_model([t for k, t in texts.items() if k != u], lang="en")
        built = time.perf_counter() - t0
        for scen, kw in (("alone", {"model": False}), ("built-in", {}),
                         ("corpus", {"model": model})):
            t0 = time.perf_counter()
            res = restore(damaged, lang="en", **kw)
            dt = time.perf_counter() - t0
            by_start = {r.lacuna.start: r for r in res.lacunae}
            for kind, start, truth, *_ in places:
                r = by_start.get(start)
                best = r.candidates[0] if r and r.candidates else None
                rows.append({"kind": kind, "unit": u, "copy": copy, "scenario": scen,
                             "truth": truth,
                             "held_out": u in HELD_OUT_ENGLISH,
                             "top1": best is not None and best.text == truth,
                             "conf": best.confidence if best else 0.0})
            print(f"  frankenstein/{u}#{copy} {scen:7s} {dt:6.2f} s (model built in {built:.2f} s)",
                  file=sys.stderr)
    if copies > 1:
        report_corpus([r for r in rows if r["copy"] == 0], "the first copy of each unit")
    report_corpus(rows, f"{copies} damaged copies of each unit" if copies > 1 else "")
    return rows


def floor(rows: list[dict]) -> float:
    """The ECE a perfectly calibrated restorer gets on these places from sampling alone
    (outcomes drawn with the stated confidences; mean of 200 draws)."""
    rng = random.Random(0)
    conf = [r["conf"] for r in rows]
    return sum(ece(conf, [rng.random() < c for c in conf]) for _ in range(200)) / 200


def report_corpus(rows: list[dict], title: str = "") -> None:
    def pct(rs: list[dict]) -> str:
        return f"{100 * sum(r['top1'] for r in rs) / len(rs):5.1f}" if rs else "  -  "

    print("\n== a corpus of the same work (Frankenstein 1818, the other units as a model"
          + (f"; {title}" if title else "") + ") ==")
    for split, held in (("tuned units", False), ("held-out units", True)):
        sub = [r for r in rows if r["held_out"] == held]
        if not sub:
            continue
        print(f"-- {split} --")
        print(f"{'scenario':9s} " + " ".join(f"{k:>8s}" for k in (*KINDS, "ALL")) + "    ECE")
        for scen in ("alone", "built-in", "corpus"):
            rs = [r for r in sub if r["scenario"] == scen]
            cells = [pct([r for r in rs if r["kind"] == k]) for k in KINDS]
            score = ece([r["conf"] for r in rs], [r["top1"] for r in rs])
            print(f"{scen:9s} " + " ".join(f"{c:>8s}" for c in (*cells, pct(rs)))
                  + f"  {score:.4f} (sampling floor {floor(rs):.4f}, n={len(rs)})")
        alone = [r for r in sub if r["scenario"] == "alone"]
        corpus = [r for r in sub if r["scenario"] == "corpus"]
        lift = 100 * (sum(r["top1"] for r in corpus) - sum(r["top1"] for r in alone))
        print(f"lift of top-1 with the corpus: {lift / max(1, len(alone)):+.1f} points "
              f"(target >= +10); lost whole words: {pct([r for r in alone if r['kind'] == 'word'])}"
              f" -> {pct([r for r in corpus if r['kind'] == 'word'])}")


def chapters(lang: str, novels: tuple[str, ...], per_novel: int, size: int = 12_000
             ) -> list[tuple[str, str]]:
    """``per_novel`` stretches of whole paragraphs of about ``size`` characters from each
    novel (at evenly spread places: the same every run), named ``novel#k``."""
    out = []
    for novel in novels:
        paras = (CORPORA / FOLDERS[lang] / f"{novel}.txt").read_text().split("\n\n")
        for k in range(per_novel):
            i, got = len(paras) * (2 * k + 1) // (2 * per_novel + 1), []
            while i < len(paras) and sum(map(len, got)) < size:
                got.append(paras[i])
                i += 1
            out.append((f"{novel}#{k}", "\n\n".join(got) + "\n"))
    return out


def eltec_scenario(lang: str, per_novel: int, per_chapter: int,
                   splits: tuple[str, ...] = ("held-out", "tuning")) -> list[dict]:
    """Top-1, top-5 and confidences of chapters of held-out and tuning novels of ``lang``
    (those of ``splits``), each damaged at ``per_chapter`` places and restored alone by
    the CLI in a fresh process (the built-in model chosen by the detected language)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for split, novels in (("held-out", HELD_OUT[lang]), ("tuning", DEV[lang])):
            if split not in splits:
                continue
            for name, text in chapters(lang, novels, per_novel):
                damaged, places, _ = damage(text, per_chapter, random.Random(f"eltec/{name}"))
                doc, out = Path(tmp) / "doc.txt", Path(tmp) / "out.json"
                doc.write_text(damaged, encoding="utf-8")
                wall, _, rss, status = run_cli(["restore", str(doc), "--format", "json",
                                                "-o", str(out)])
                if status:
                    sys.exit(f"bench_models: restore failed on {name}")
                got = {x["start"]: x["candidates"]
                       for x in json.loads(out.read_text(encoding="utf-8"))["lacunae"]}
                for kind, start, truth, *_ in places:
                    cands = got.get(start, [])
                    rows.append({"kind": kind, "split": split, "name": name, "truth": truth,
                                 "best": cands[0]["text"] if cands else None,
                                 "top1": bool(cands) and cands[0]["text"] == truth,
                                 "top5": truth in [c["text"] for c in cands[:5]],
                                 "conf": cands[0]["confidence"] if cands else 0.0})
                print(f"  {lang} {name:28s} {wall:6.1f} s  peak {rss / 1024:5.0f} MB",
                      file=sys.stderr)
    report_eltec(lang, rows)
    return rows


def dev_ranking(lang: str, models: list[Path], per_novel: int, per_chapter: int) -> None:
    """Top-1 per damage kind on chapters of the DEV novels of ``lang`` with each model file
    of ``models`` (ranking only: no calibration, in this process): how prunings of the
    built-in model compare (``scripts/build_models.py --prune``)."""
    from collate.restoration.corpusmodel import load_model

    print(f"\n== {lang}: DEV novels {', '.join(DEV[lang])}, top-1 by model file (ranking only) ==")
    print(f"{'model':40s} {'MB':>5s} " + " ".join(f"{k:>8s}" for k in (*KINDS, "ALL"))
          + "  cpu s")
    for path in models:
        model, t0, right = load_model(path), time.process_time(), []
        for name, text in chapters(lang, DEV[lang], per_novel):
            damaged, places, _ = damage(text, per_chapter, random.Random(f"eltec/{name}"))
            got = {r.lacuna.start: r.candidates
                   for r in restore(damaged, model=model, calibration=0, lang=lang).lacunae}
            right += [(kind, bool(got[start]) and got[start][0].text == truth)
                      for kind, start, truth, *_ in places]
        cells = [[ok for k, ok in right if k == kind] for kind in KINDS] + [[ok for _, ok in right]]
        print(f"{str(path)[-40:]:40s} {path.stat().st_size / 1e6:5.1f} "
              + " ".join(f"{100 * sum(c) / max(1, len(c)):8.1f}" for c in cells)
              + f"  {time.process_time() - t0:5.0f}")


def report_eltec(lang: str, rows: list[dict]) -> None:
    def pct(rs: list[dict], key: str = "top1") -> str:
        return f"{100 * sum(r[key] for r in rs) / len(rs):5.1f}" if rs else "  -  "

    print(f"\n== {lang}: chapters of novels no built-in model learns from, text alone, "
          "built-in model (collate restore --format json) ==")
    for split in ("held-out", "tuning"):
        sub = [r for r in rows if r["split"] == split]
        if not sub:
            continue
        print(f"-- {split} novels: {', '.join(sorted({r['name'] for r in sub}))} --")
        print(f"{'':8s} " + " ".join(f"{k:>8s}" for k in (*KINDS, "ALL")))
        for key in ("top1", "top5"):
            cells = [pct([r for r in sub if r["kind"] == k], key) for k in KINDS]
            print(f"{key:8s} " + " ".join(f"{c:>8s}" for c in (*cells, pct(sub, key))))
        eces = [ece([r["conf"] for r in rs], [r["top1"] for r in rs])
                for rs in ([r for r in sub if r["kind"] == k] for k in KINDS)]
        print(f"{'ECE':8s} " + " ".join(f"{e:8.3f}" for e in eces)
              + f" {ece([r['conf'] for r in sub], [r['top1'] for r in sub]):8.3f}"
              + f"  (sampling floor {floor(sub):.3f}, n={len(sub)})")
        # what a perfectly calibrated restorer would get on as few places of each kind
        print(f"{'floor':8s} " + " ".join(f"{floor([r for r in sub if r['kind'] == k]):8.3f}"
                                          for k in KINDS) + f" {floor(sub):8.3f}")


def seed_check() -> None:
    """The seed's two lost opening words with the built-in model, and the cost."""
    seed = sorted((DATA / "seed").glob("*.txt"))[0]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "seed.json"
        wall, cpu, rss, status = run_cli(["restore", str(seed), "--format", "json",
                                          "-o", str(out)])
        got = json.loads(out.read_text(encoding="utf-8")) if not status else {"lacunae": []}
    text = seed.read_text(encoding="utf-8")
    print("\n== the seed, built-in model (targets: To first, >= 0.4 before 'attract'; "
          "<= 4 s, <= 300 MB) ==")
    for lac in got["lacunae"]:
        after = text[lac["end"] : lac["end"] + 8]
        if after.startswith((" attract", " use ")):
            best = lac["candidates"][:3]
            print(f"  {lac['marker']}{after!r}: " + ", ".join(
                f"{c['text']} {c['confidence']:.3f}" for c in best))
    print(f"  wall {wall:.2f} s, cpu {cpu:.2f} s, peak {rss / 1024:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer units")
    ap.add_argument("--only", choices=("timing", "corpus", "eltec", "seed", "dev"))
    ap.add_argument("--model", type=Path, action="append",
                    help="dev: a model file to rank the DEV chapters with (repeatable)")
    ap.add_argument("--lang", action="append", choices=sorted(FOLDERS),
                    help="languages of the ELTeC scenario (default both)")
    ap.add_argument("--chapters", type=int, default=2, help="chapters per novel (ELTeC)")
    ap.add_argument("--per-chapter", type=int, default=100,
                    help="damaged places per chapter (ELTeC)")
    ap.add_argument("--split", choices=("held-out", "tuning"),
                    help="ELTeC: only the held-out or only the tuning (DEV) novels")
    ap.add_argument("--rows", type=Path, help="ELTeC: write every place's row here (JSON)")
    ap.add_argument("--copies", type=int, default=1,
                    help="damaged copies of each unit in the corpus scenario (default 1)")
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"bench_models: data folder {DATA} not found")
    if args.only in (None, "timing"):
        timings()
    if args.only in (None, "corpus"):
        corpus_scenario(args.quick, args.copies)
    if args.only in (None, "seed"):
        seed_check()
    if args.only == "dev":
        for lang in args.lang or sorted(FOLDERS):
            dev_ranking(lang, args.model or [shipped_path(lang)], args.chapters,
                        args.per_chapter)
        return
    if args.only in (None, "eltec"):
        if not CORPORA.is_dir():
            sys.exit(f"bench_models: corpora folder {CORPORA} not found")
        splits = (args.split,) if args.split else ("held-out", "tuning")
        rows = []
        for lang in args.lang or sorted(FOLDERS):
            rows += eltec_scenario(lang, 1 if args.quick else args.chapters, args.per_chapter,
                                   splits)
        if args.rows:
            args.rows.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
