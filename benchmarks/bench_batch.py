"""Batch throughput: one process, the local engine on all cores, a Dask LocalCluster.

Builds the editions of every document in ../shared/data (or an evenly spread sample of them)
three times, into fresh folders, and prints documents/s and tokens/s for each engine, the
speed-ups over one process, and whether all three wrote the same bytes.

    .venv/bin/python benchmarks/bench_batch.py               # everything (~10 min on 2 cores)
    .venv/bin/python benchmarks/bench_batch.py --quick       # 24 documents, about a minute
    .venv/bin/python benchmarks/bench_batch.py --limit 60 --formats tei html json

The Dask cluster is started before the clock starts (its start-up time is printed apart):
throughput is what a running cluster delivers.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
import time
from pathlib import Path

from clone import corpus, data_dir, data_options, say_clone

from collate.batch import batch
from collate.corpus import discover

RESULTS = Path(__file__).resolve().parent / "results"


def sample_manifest(data: Path, limit: int | None, folder: Path) -> Path:
    """A JSON manifest of ``limit`` documents spread evenly over the corpus (all if None)."""
    docs = discover(data)
    if limit is not None and limit < len(docs):
        step = len(docs) / limit
        docs = [docs[int(i * step)] for i in range(limit)]
    manifest = folder / "sample.json"
    manifest.write_text(json.dumps({d.id: list(d.paths) for d in docs}), encoding="utf-8")
    return manifest


def spin(n: int = 5_000_000) -> float:
    """Seconds for a fixed pure-Python loop: a probe of how much CPU a process gets."""
    start = time.perf_counter()
    x = 0
    for i in range(n):
        x += i
    return time.perf_counter() - start


def capacity(workers: int) -> float:
    """How many cores ``workers`` processes get right now (``workers`` on an idle machine)."""
    from concurrent.futures import ProcessPoolExecutor

    alone = min(spin() for _ in range(2))
    with ProcessPoolExecutor(workers) as pool:
        pool.submit(spin, 10).result()  # start the workers before timing
        together = list(pool.map(spin, [5_000_000] * workers))
    return sum(alone / t for t in together)


def tree(out: Path) -> dict[str, bytes]:
    """The editions under ``out`` (the summary, which holds timings, left out)."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != "summary.json"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data_options(parser)
    parser.add_argument("--limit", type=int, default=None, help="documents (evenly spread)")
    parser.add_argument("--quick", action="store_true", help="24 documents")
    parser.add_argument("--formats", nargs="+", default=["tei", "html"])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    data = data_dir(args.data, args.samples)
    limit = 24 if args.quick and args.limit is None else args.limit

    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        if data is None:
            say_clone("bench_batch", "the 376 real documents (each generated document is a "
                      "sample's witnesses, all but the first read with light OCR noise)")
            manifest = corpus(folder / "generated", limit or 24)
        else:
            manifest = sample_manifest(data, limit, folder)
        n = len(json.loads(manifest.read_text()))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{n} documents from {data or 'samples/'}, formats {' '.join(args.formats)}, "
              f"{os.cpu_count()} cores, load average before: {load}")
        print(f"CPU probe: {args.workers} processes get {capacity(args.workers):.2f} cores "
              "right now (other load shares them)")
        results = []
        for engine in ("serial", "local", "dask"):
            kw: dict = {}
            if engine == "local":
                kw["workers"] = args.workers
            client = None
            if engine == "dask":
                t0 = time.perf_counter()
                cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
                client = Client(cluster)
                print(f"dask LocalCluster (2 workers) started in "
                      f"{time.perf_counter() - t0:.1f} s (not counted)")
                kw["scheduler"] = client
            try:
                summary = batch(manifest, folder / engine, formats=args.formats, engine=engine,
                                force=True, **kw)
            finally:
                if client is not None:
                    client.close()
                    cluster.close()
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"  {engine}: {summary.seconds:.1f} s; load average after: {load}")
            failed = [r.id for r in summary.documents if r.status == "failed"]
            if failed:
                print(f"  {engine}: {len(failed)} failed: {', '.join(failed[:5])}")
            results.append((engine, summary))

        base = results[0][1]
        print(f"\n{'engine':<8} {'workers':>7} {'docs':>5} {'failed':>6} {'seconds':>8} "
              f"{'docs/s':>8} {'tokens/s':>10} {'speed-up':>8} {'busy':>5}")
        for engine, s in results:
            busy = sum(r.seconds for r in s.documents) / s.seconds
            print(f"{engine:<8} {s.workers:>7} {len(s.documents):>5} {s.counts['failed']:>6} "
                  f"{s.seconds:>8.1f} {s.documents_per_second:>8.2f} "
                  f"{s.tokens_per_second:>10.0f} {base.seconds / s.seconds:>7.2f}x {busy:>5.2f}")
        print("busy: documents being worked on at once, on average (sum of per-document "
              "seconds / wall time);\nbusy near the worker count with no speed-up means the "
              "cores are shared with other load.")
        with (RESULTS / "bench_batch.jsonl").open("w") as fh:
            for engine, s in results:
                fh.write(json.dumps({
                    "bench": "batch", "engine": engine, "workers": s.workers,
                    "documents": len(s.documents), "failed": s.counts["failed"],
                    "seconds": round(s.seconds, 2), "docs_per_s": round(s.documents_per_second, 2),
                    "tokens_per_s": round(s.tokens_per_second),
                    "speedup": round(base.seconds / s.seconds, 2)}) + "\n")
        reference = tree(folder / "serial")
        differ = sorted({name for engine in ("local", "dask")
                         for name, data in tree(folder / engine).items()
                         if reference.get(name) != data})
        print(f"\noutputs identical across engines: {'NO' if differ else 'yes'} "
              f"({len(reference)} files, {base.tokens} tokens)")
        for name in differ[:10]:
            print(f"  differs: {name}")


if __name__ == "__main__":
    main()
