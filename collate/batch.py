"""Batch editions for a whole corpus: on local processes or on a Dask cluster, resumably.

Every document of a corpus (see :mod:`collate.corpus`) becomes one task, mapped by an engine
over :func:`run_document`:

- ``"serial"``: in this process, one document after the other (the plain reference);
- ``"local"``: a pool of worker processes, all cores by default;
- ``"dask"``: tasks on a ``distributed.Client``, the given scheduler address or a
  ``LocalCluster``. Workers read the witness files themselves, so on a real cluster the
  corpus must lie on a file system they share.

Whatever the engine, workers only compute: they return the rendered texts, and this process
writes them, each through a temporary file and a rename, then, last, a marker per document
(``OUTDIR/<parent>/.<name>.collate.json``) that records the SHA-256 of every input and output.
So the outputs are the same bytes on every engine; a run killed at any moment leaves each
edition either whole or absent; and a re-run skips documents whose marker matches their
inputs, options and outputs, redoing only those changed, failed or unfinished. A document
that fails is recorded with its error, and the batch goes on.

Each worker process keeps what is expensive and shared between documents (the wordfreq word
lists behind the word prior and the language guess, cached per process in
:mod:`collate.restoration.lexicon`) for all the documents it runs; only the character
language model, trained on each document itself, is built per document.

Outputs: ``OUTDIR/<document id><suffix>`` for each format (the suffixes of
:data:`collate.render.EDITION_FORMATS`: ``.tei.xml``, ``.html``, ``.txt``, ``.json``) and
``OUTDIR/summary.json`` (:meth:`Summary.to_dict`).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collate.corpus import Document, discover
from collate.defaults import MIN_CONFIDENCE
from collate.errors import InputError, OptionError
from collate.progress import progress_bar
from collate.render import EDITION_FORMATS
from collate.storage import atomic_write

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from distributed import Client

ENGINES = ("serial", "local", "dask")
MARKER_VERSION = 1
WINDOW = 2
"""Tasks in flight per worker: enough to keep every worker busy, few enough to bound memory."""


@dataclass(frozen=True)
class Task:
    """What a worker needs to build one document's editions (picklable, self-contained)."""

    document: Document
    formats: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: input hashes, rendered outputs or the error."""

    id: str
    inputs: tuple[tuple[str, str], ...]
    outputs: dict[str, str]
    tokens: int
    seconds: float
    error: str | None = None
    left_out: tuple[str, ...] = ()
    """The witness files left out (unreadable), one error line each."""


@dataclass(frozen=True)
class Record:
    """One document of a batch run.

    ``status`` is ``"done"`` (built now), ``"partial"`` (built now from the readable
    witnesses, others left out: ``error`` says which and why), ``"skipped"`` (complete from
    an earlier run) or ``"failed"``; ``outputs`` are paths relative to the output folder.

    >>> Record("C07", "done", ("C07.tei.xml",), 1.5, 900).to_dict()["status"]
    'done'
    """

    id: str
    status: str
    outputs: tuple[str, ...] = ()
    seconds: float = 0.0
    tokens: int = 0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"id": self.id, "status": self.status, "outputs": list(self.outputs),
                "seconds": round(self.seconds, 4), "tokens": self.tokens, "error": self.error}


@dataclass(frozen=True)
class Summary:
    """The result of :func:`batch`: one :class:`Record` per document, in id order.

    >>> s = Summary((Record("a", "done", tokens=10), Record("b", "failed", error="x: bad")),
    ...             engine="serial", workers=1, seconds=2.0)
    >>> s.ok, s.counts, s.tokens_per_second
    (False, {'done': 1, 'partial': 0, 'skipped': 0, 'failed': 1}, 5.0)
    """

    documents: tuple[Record, ...]
    engine: str
    workers: int
    seconds: float
    formats: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no document failed or left a witness out."""
        return all(r.status not in ("failed", "partial") for r in self.documents)

    @property
    def counts(self) -> dict[str, int]:
        """How many documents were done, done in part, skipped and failed."""
        return {s: sum(r.status == s for r in self.documents)
                for s in ("done", "partial", "skipped", "failed")}

    @property
    def tokens(self) -> int:
        """Tokens collated in this run (documents done now, wholly or in part)."""
        return sum(r.tokens for r in self.documents if r.status in ("done", "partial"))

    @property
    def documents_per_second(self) -> float:
        """Documents processed now (done or failed) per second of wall time."""
        worked = sum(r.status != "skipped" for r in self.documents)
        return worked / self.seconds if self.seconds > 0 else 0.0

    @property
    def tokens_per_second(self) -> float:
        """Tokens of the documents done now per second of wall time."""
        return self.tokens / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written to ``summary.json``."""
        return {"ok": self.ok, "engine": self.engine, "workers": self.workers,
                "formats": list(self.formats), "seconds": round(self.seconds, 3),
                "counts": self.counts, "tokens": self.tokens,
                "documents_per_second": round(self.documents_per_second, 3),
                "tokens_per_second": round(self.tokens_per_second, 1),
                "documents": [r.to_dict() for r in self.documents]}

    def table(self) -> str:
        """A plain-text report: the failed documents with their errors, then the totals.

        >>> print(Summary((Record("b", "failed", error="b.txt: invalid UTF-8"),),
        ...               engine="local", workers=2, seconds=1.0).table())
        document  status  error
        --------  ------  --------------------
        b         failed  b.txt: invalid UTF-8
        1 documents: 0 done, 0 skipped, 1 failed in 1.0 s (1.00 documents/s, 0 tokens/s)
        """
        rows = [(r.id, r.status, r.error or "") for r in self.documents
                if r.status in ("failed", "partial")]
        lines = []
        if rows:
            head = ("document", "status", "error")
            widths = [max(len(x[i]) for x in [head, *rows]) for i in range(3)]
            for row in [head, tuple("-" * w for w in widths), *rows]:
                lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
                             .rstrip())
        c = self.counts
        partial = f"{c['partial']} partial, " if c["partial"] else ""
        lines.append(f"{len(self.documents)} documents: {c['done']} done, {partial}"
                     f"{c['skipped']} skipped, {c['failed']} failed in {self.seconds:.1f} s "
                     f"({self.documents_per_second:.2f} documents/s, "
                     f"{self.tokens_per_second:.0f} tokens/s)")
        return "\n".join(lines)


def run_document(task: Task) -> Outcome:
    """Build one document's editions: read, collate, restore, render every format.

    This is the job every engine maps over the corpus. It never raises for a bad document:
    the error (one line, naming the file where it can) comes back in the outcome.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "bad.txt").write_bytes(b"caf\\xe9")
    >>> doc = Document("bad", (str(root / "bad.txt"),), str(root))
    >>> run_document(Task(doc, ("text",))).error
    'bad.txt: invalid UTF-8 at byte 3 (0xe9)'
    """
    start = time.perf_counter()
    doc = task.document
    rels = doc.relative_paths()
    digests: dict[int, str] = {}

    def inputs() -> tuple[tuple[str, str], ...]:  # hashes of the files read so far
        return tuple((rels[i], digests[i]) for i in sorted(digests))

    try:
        from collate.edition import make_edition
        from collate.reader import read_witnesses
        from collate.render import render_edition

        errors: list[InputError] = []
        witnesses = read_witnesses(
            doc.paths, names=rels, seen=lambda i, data: digests.__setitem__(i, _sha(data)),
            errors=errors)
        if not witnesses:  # nothing readable: the document fails on its first bad file
            raise errors[0]
        edition = make_edition(witnesses, progress=False, **task.options)  # batch has its bar
        edition = replace(edition, left_out=tuple((e.source, e.problem) for e in errors))
        outputs = {}
        for fmt in task.formats:
            text = render_edition(edition, fmt)
            outputs[fmt] = text if text.endswith("\n") else text + "\n"
        tokens = sum(len(t) for t in edition.collation.tokens.values())
        return Outcome(doc.id, inputs(), outputs, tokens, time.perf_counter() - start,
                       left_out=tuple(" ".join(str(e).split()) for e in errors))
    except Exception as err:
        message = str(err) if isinstance(err, InputError) else f"{type(err).__name__}: {err}"
        return Outcome(doc.id, inputs(), {}, 0, time.perf_counter() - start,
                       " ".join(message.split()) or type(err).__name__)


def input_hashes(doc: Document) -> tuple[tuple[str, str], ...]:
    """``(relative path, sha256)`` of each witness file of a document.

    Raises
    ------
    InputError
        When a witness file cannot be read.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "a.txt").write_text("abc")
    >>> input_hashes(Document("a", (str(root / "a.txt"),), str(root)))[0][1][:12]
    'ba7816bf8f01'
    """
    out = []
    for path, rel in zip(doc.paths, doc.relative_paths(), strict=True):
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise InputError(rel, f"cannot read: {err.strerror or err}") from None
        out.append((rel, _sha(data)))
    return tuple(out)


def batch(
    directory: str | Path, outdir: str | Path = "collate-out", *,
    formats: Sequence[str] = ("tei", "html"), engine: str = "local",
    scheduler: str | Client | None = None, workers: int | None = None, layout: str = "auto",
    base: str = "consensus",
    near: float = 0.7, top: int = 5, lang: str | None = None, restore: bool = True,
    normalize: str | None = None, model: str | Path | None = None, force: bool = False,
    min_confidence: float = MIN_CONFIDENCE, limit: int | None = None,
    progress: bool | None = None,
    job: Callable[[Task], Outcome] = run_document,
) -> Summary:
    """Build the editions of every document of a corpus, skipping those already complete;
    the :class:`Summary` is returned and written to ``OUTDIR/summary.json``.

    Parameters
    ----------
    directory : str or Path
        A corpus folder or a CSV/JSON manifest (see :mod:`collate.corpus`).
    outdir : str or Path
        Output folder (created): editions, per-document markers and ``summary.json``.
    formats : sequence of {"tei", "html", "text", "plain", "json"}
        The edition formats to write for each document (:data:`collate.render.EDITION_FORMATS`).
    engine : {"local", "dask", "serial"}
        Processes on this machine, a Dask cluster, or this process alone.
    scheduler : str or distributed.Client, optional
        For ``engine="dask"``: a scheduler address (``tcp://host:8786``) or a connected
        client; a ``LocalCluster`` of ``workers`` processes when omitted.
    workers : int, optional
        Worker processes for ``local`` and for a Dask ``LocalCluster`` (default: all cores).
    layout : {"auto", "folders", "files"}
        How corpus folders are read (:func:`collate.corpus.discover`).
    base, near, top, lang, restore, normalize, model, min_confidence
        Passed on to :func:`collate.edition.make_edition` for every document (``normalize``,
        a match level such as ``"case,accents"``, as its ``processor``; ``model``, a model
        file, checked here and loaded once per worker; ``min_confidence``, the confidence a
        restoration needs to be printed in a text).
    force : bool
        Redo every document, complete or not.
    limit : int, optional
        Only the first ``limit`` documents (in id order).
    progress : bool, optional
        Show a progress bar; by default only when standard error is a terminal.
    job : callable
        The per-document job (a picklable, module-level function of a :class:`Task`).

    Raises
    ------
    InputError
        A missing or empty corpus, a broken manifest (an ``OptionError``: a bad option).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> corpus = pathlib.Path(tempfile.mkdtemp())
    >>> (corpus / "d1").mkdir()
    >>> _ = (corpus / "d1" / "A.txt").write_text("The cat sat on the mat.")
    >>> _ = (corpus / "d1" / "B.txt").write_text("The cat sate on the mat.")
    >>> out = corpus.parent / (corpus.name + "-out")
    >>> s = batch(corpus, out, formats=["text"], engine="serial")
    >>> s.ok, [(r.id, r.status, r.outputs) for r in s.documents]
    (True, [('d1', 'done', ('d1.txt',))])
    >>> batch(corpus, out, formats=["text"], engine="serial").documents[0].status
    'skipped'
    """
    formats, out = _checked(formats, engine, workers), _folder(outdir)
    docs = discover(directory, layout=layout, exclude=[out])[:limit]
    out.mkdir(parents=True, exist_ok=True)
    options = _edition_options(base=base, near=near, top=top, lang=lang, restore=restore,
                               normalize=normalize, model=model, min_confidence=min_confidence)
    started = time.perf_counter()
    records, todo = _plan(out, docs, formats, options, force)
    n_workers = 1 if engine == "serial" else workers or os.cpu_count() or 1
    run = _Run(out, formats, options, records, len(docs),
               sys.stderr.isatty() if progress is None else progress)
    n_workers = run.over(todo, job, engine, scheduler, n_workers)
    summary = Summary(tuple(records[d.id] for d in docs), engine, n_workers,
                      time.perf_counter() - started, formats)
    _write_summary(out, summary)
    return summary


def _write_summary(out: Path, summary: Summary) -> None:
    """Write ``OUT/summary.json`` atomically, in place of any stale one."""
    _clear_stale(out / "summary.json")
    atomic_write(out / "summary.json",
                 json.dumps(summary.to_dict(), ensure_ascii=False, indent=1) + "\n")


def _edition_options(*, normalize: str | None, model: str | Path | None,
                     **passed: Any) -> dict[str, Any]:
    """The keyword arguments every document's :func:`~collate.edition.make_edition` gets.

    A model file is loaded here once, so that a broken one is refused before any work; each
    worker then loads it once for all its documents.
    """
    options = dict(passed)
    if normalize is not None:
        options["processor"] = normalize
    if model is not None:
        from collate.restoration.corpusmodel import load_model

        load_model(model)
        options["model"] = str(Path(model).resolve())
    return options


def _folder(outdir: str | Path) -> Path:
    """The output folder, unless the path names something else."""
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise InputError(str(outdir), "output path exists and is not a folder")
    return out


def _checked(formats: Sequence[str], engine: str, workers: int | None) -> tuple[str, ...]:
    """The formats without repeats, once formats, engine and workers are known to be valid.

    >>> _checked(["tei", "tei", "html"], "serial", None)
    ('tei', 'html')
    >>> _checked(["pdf"], "serial", None)
    Traceback (most recent call last):
    ...
    collate.errors.OptionError: format: expected some of tei, html, text, plain, json, not ['pdf']
    """
    unique = tuple(dict.fromkeys(formats))
    bad = [f for f in unique if f not in EDITION_FORMATS]
    if not unique or bad:
        raise OptionError("format", f"expected some of {', '.join(EDITION_FORMATS)}, not {bad}")
    if engine not in ENGINES:
        raise OptionError("engine", f"expected one of {', '.join(ENGINES)}, not {engine!r}")
    if workers is not None and workers < 1:
        raise OptionError("workers", f"needs at least one worker, not {workers}")
    return unique


def _plan(out: Path, docs: Sequence[Document], formats: tuple[str, ...],
          options: dict[str, Any], force: bool) -> tuple[dict[str, Record], list[Task]]:
    """The records of documents already complete, and the tasks for all others."""
    records: dict[str, Record] = {}
    todo: list[Task] = []
    for doc in docs:
        task = Task(doc, formats, options)
        done = None if force else _complete(out, task)
        if done is None:
            todo.append(task)
        else:
            records[doc.id] = done
    return records, todo


@dataclass
class _Run:
    """Where a batch stores what its engine computes: outputs, markers, records, progress."""

    out: Path
    formats: tuple[str, ...]
    options: dict[str, Any]
    records: dict[str, Record]
    total: int
    show: bool

    def over(self, todo: list[Task], job: Callable[[Task], Outcome], engine: str,
             scheduler: Any, workers: int) -> int:
        """Run ``todo`` on the engine, storing each outcome as it comes; the worker count."""
        with ExitStack() as stack:
            if engine == "serial":
                outcomes: Iterable[Outcome] = map(job, todo)
            elif engine == "local":
                outcomes = _local(todo, job, min(workers, len(todo) or 1))
            else:
                client = _dask_client(stack, scheduler, workers) if todo else None
                workers = sum(client.nthreads().values()) if client else workers
                outcomes = _dask(todo, job, client, workers)
            bar = stack.enter_context(progress_bar(total=self.total, initial=len(self.records),
                                           unit="doc", disable=not self.show, desc="collate"))
            for outcome in outcomes:
                self.records[outcome.id] = _store(self.out, outcome, self.formats, self.options)
                bar.update(1)
        return workers


# --- engines -------------------------------------------------------------------------------


def _local(tasks: list[Task], job: Callable[[Task], Outcome], workers: int) -> Iterator[Outcome]:
    """A process pool fed a bounded window of tasks; outcomes as they complete.

    A worker that dies (a crash, the kernel's out-of-memory killer) breaks the pool: the
    documents then in flight are retried one at a time in a new pool, so that only the one
    that kills a worker on its own is reported failed.
    """
    import multiprocessing  # here, not at the top: a command that runs no batch starts faster
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pending = deque(tasks)
    suspects: deque[Task] = deque()
    ctx = multiprocessing.get_context("forkserver")
    while pending or suspects:
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            inflight: dict[Future[Outcome], Task] = {}
            broken = False
            while (pending or suspects or inflight) and not broken:
                alone = bool(suspects)
                while suspects and not inflight and not broken:
                    broken = not _submit(pool, job, suspects, inflight)
                while not alone and pending and len(inflight) < workers * WINDOW and not broken:
                    broken = not _submit(pool, job, pending, inflight)
                if broken:
                    break
                finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in finished:
                    task = inflight.pop(fut)
                    try:
                        outcome = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        if not alone:
                            suspects.append(task)
                            continue
                        outcome = _failed(task, "the worker process died on this document")
                    except Exception as err:  # e.g. an outcome that cannot be pickled
                        outcome = _failed(task, f"{type(err).__name__}: {err}")
                    yield outcome
            if broken:
                suspects.extend(inflight.values())


def _submit(
    pool: ProcessPoolExecutor,
    job: Callable[[Task], Outcome],
    queue: deque[Task],
    inflight: dict[Future[Outcome], Task],
) -> bool:
    """Move the next task of ``queue`` to the pool; False if the pool broke (a worker died
    since the last wait), the task then staying queued."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        future = pool.submit(job, queue[0])
    except BrokenProcessPool:
        return False
    inflight[future] = queue.popleft()
    return True


def _dask_client(stack: ExitStack, scheduler: Any, workers: int) -> Any:
    """The given client, one connected to the scheduler address, or a new LocalCluster's."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise OptionError("engine", "'dask' needs dask[distributed] installed") from None
    if isinstance(scheduler, Client):
        return scheduler
    if scheduler:
        try:
            return stack.enter_context(Client(scheduler, timeout="20s"))
        except OSError as err:
            raise InputError(str(scheduler), f"cannot reach the Dask scheduler: {err}") from None
    import logging

    cluster = stack.enter_context(LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=logging.ERROR))
    return stack.enter_context(Client(cluster))


def _dask(tasks: list[Task], job: Callable[[Task], Outcome], client: Any,
          workers: int) -> Iterator[Outcome]:
    """Tasks on a Dask cluster, a bounded window of them in flight; outcomes as they complete.

    A worker lost mid-task has its task rerun elsewhere by the scheduler (up to its
    ``allowed-failures``); a task that still fails is reported as a failed document.
    """
    if not tasks:
        return
    import uuid

    from distributed import as_completed

    run = uuid.uuid4().hex[:8]
    pending = deque(tasks)
    inflight: dict[Any, Task] = {}
    done = as_completed()

    def submit() -> None:
        task = pending.popleft()
        fut = client.submit(job, task, key=f"collate-{run}-{task.document.id}", pure=False)
        inflight[fut] = task
        done.add(fut)

    while pending and len(inflight) < max(workers, 1) * WINDOW:
        submit()
    for fut in done:
        task = inflight.pop(fut)
        try:
            outcome = fut.result()
        except Exception as err:
            outcome = _failed(task, f"{type(err).__name__}: {err}")
        fut.release()
        if pending:
            submit()
        yield outcome


def _failed(task: Task, error: str) -> Outcome:
    return Outcome(task.document.id, (), {}, 0, 0.0, " ".join(error.split()))


# --- storage -------------------------------------------------------------------------------


def _marker(out: Path, doc_id: str) -> Path:
    """The hidden marker of a document, written last: ``.<name>.collate.json``."""
    target = out / doc_id
    return target.with_name(f".{target.name}.collate.json")


def _output(out: Path, doc_id: str, fmt: str) -> Path:
    target = out / doc_id
    return target.with_name(target.name + EDITION_FORMATS[fmt].suffix)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(out: Path, outcome: Outcome, formats: tuple[str, ...],
           options: dict[str, Any]) -> Record:
    """Write a document's outputs atomically, then its marker; on failure clear them."""
    marker = _marker(out, outcome.id)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    for target in [marker, *(_output(out, outcome.id, fmt) for fmt in EDITION_FORMATS)]:
        _clear_stale(target)
    if outcome.error is not None:
        for fmt in EDITION_FORMATS:
            _output(out, outcome.id, fmt).unlink(missing_ok=True)
        return Record(outcome.id, "failed", (), outcome.seconds, 0, outcome.error)
    written = {}
    for fmt in formats:
        target = _output(out, outcome.id, fmt)
        payload = outcome.outputs[fmt].encode("utf-8")
        atomic_write(target, payload)
        written[fmt] = {"path": target.relative_to(out).as_posix(), "sha256": _sha(payload)}
    paths = tuple(w["path"] for w in written.values())
    if outcome.left_out:  # no marker: the next run builds it again, its files perhaps mended
        return Record(outcome.id, "partial", paths, outcome.seconds, outcome.tokens,
                      "left out: " + "; ".join(outcome.left_out))
    record = {"version": MARKER_VERSION, "id": outcome.id, "options": options,
              "inputs": [list(pair) for pair in outcome.inputs], "outputs": written,
              "tokens": outcome.tokens}
    atomic_write(marker, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    return Record(outcome.id, "done", paths, outcome.seconds, outcome.tokens)


def _clear_stale(target: Path) -> None:
    """Remove the temporary files a killed run left while writing ``target``."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def _complete(out: Path, task: Task) -> Record | None:
    """The record of a document whose marker matches its inputs, options and outputs."""
    doc = task.document
    try:
        record = json.loads(_marker(out, doc.id).read_text(encoding="utf-8"))
        if (record.get("version") != MARKER_VERSION or record.get("options") != task.options
                or [tuple(p) for p in record.get("inputs", ())] != list(input_hashes(doc))):
            return None
        paths = []
        for fmt in task.formats:
            entry = record["outputs"][fmt]
            if _sha((out / entry["path"]).read_bytes()) != entry["sha256"]:
                return None
            paths.append(entry["path"])
    except (OSError, ValueError, KeyError, TypeError, InputError):
        return None
    return Record(doc.id, "skipped", tuple(paths), 0.0, int(record.get("tokens", 0)))
