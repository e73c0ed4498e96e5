"""Corpus batches: discovery, engines agreeing byte for byte, failures recorded, resuming."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from collate.batch import Outcome, Summary, Task, batch, run_document
from collate.cli import main
from collate.corpus import discover
from collate.errors import InputError, OptionError

from .conftest import data_path

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    ("It was on a dreary night of November that I beheld the accomplishment of my toils.",
     "It was on a drea□□ night of November that I beheld the accomplishment of my toils."),
    ("With an anxiety that almost amounted to agony, I collected the instruments of life.",
     "With an anxiety that almost amounted to agony I collected the □□□□□□□□□□□ of life."),
    ("The rain pattered dismally against the panes, and my candle was nearly burnt out.",
     "The rain pattered dismally against the panes, and my candle was nearly burnt out."),
]


def write_corpus(root: Path, n: int = 3, *, repeat: int = 1) -> Path:
    """``n`` documents of two witnesses each (a folder per document, a file per witness)."""
    for i in range(n):
        a, b = TEXTS[i % len(TEXTS)]
        doc = root / f"doc{i:02d}"
        doc.mkdir(parents=True)
        (doc / "A.txt").write_text(" ".join([a] * repeat), encoding="utf-8")
        (doc / "B.txt").write_text(" ".join([b] * repeat), encoding="utf-8")
    return root


def tree(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` except the summary (which holds timings)."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != "summary.json"}


def check_whole(out: Path) -> None:
    """Every edition present parses: TEI as XML, JSON as JSON, HTML closes."""
    for p in out.rglob("*"):
        if p.name.endswith(".tei.xml"):
            etree.fromstring(p.read_bytes())
        elif p.suffix == ".json" and p.name != "summary.json":
            json.loads(p.read_text(encoding="utf-8"))
        elif p.suffix == ".html":
            assert p.read_text(encoding="utf-8").rstrip().endswith("</html>"), p


# --- discovery -----------------------------------------------------------------------------


def touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("text", encoding="utf-8")


def test_discover_layouts(tmp_path: Path) -> None:
    touch(tmp_path, "work/C01/1818.txt", "work/C01/1831.txt", "single.txt", "README.md",
          ".hidden.txt", "work/.git/x.txt", "flat/I1.damaged.txt", "flat/I1.restored.txt",
          "flat/I1.xml", "flat/index.tsv", "news/set1/a1/ocr.txt", "news/set1/a1/human.txt",
          "news/set1/meta.json")
    docs = {d.id: d.relative_paths() for d in discover(tmp_path)}
    assert docs == {
        "work/C01": ("work/C01/1818.txt", "work/C01/1831.txt"),
        "single": ("single.txt",),
        "flat/I1": ("flat/I1.xml",),
        "flat/I1.damaged": ("flat/I1.damaged.txt",),
        "flat/I1.restored": ("flat/I1.restored.txt",),
        "news/set1/a1": ("news/set1/a1/human.txt", "news/set1/a1/ocr.txt"),
    }
    assert [d.id for d in discover(tmp_path / "work" / "C01")] == ["1818", "1831"]
    assert [d.id for d in discover(tmp_path / "flat", layout="folders")] == ["I1", "I1.damaged",
                                                                          "I1.restored"]
    assert "work/C01" not in {d.id for d in discover(tmp_path, exclude=[tmp_path / "work"])}


def test_discover_manifests(tmp_path: Path) -> None:
    touch(tmp_path, "w/a.txt", "w/b.txt", "w/c.txt")
    (tmp_path / "m.csv").write_text("document,witness\nd1,w/a.txt\nd1,w/b.txt\nd2,w/c.txt\n")
    (tmp_path / "m.json").write_text(json.dumps(
        {"documents": [{"id": "d1", "witnesses": ["w/a.txt", "w/b.txt"]},
                       {"id": "d2", "witnesses": ["w/c.txt"]}]}))
    for name in ("m.csv", "m.json"):
        docs = [(d.id, d.relative_paths()) for d in discover(tmp_path / name)]
        assert docs == [("d1", ("w/a.txt", "w/b.txt")), ("d2", ("w/c.txt",))]


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("m.json", "{not json", "broken JSON at line 1"),
    ("m.csv", "doc,file\nd1,a.txt\n", "needs a header with 'document' and 'witness'"),
    ("m.json", '{"../up": ["a.txt"]}', "not a safe relative path"),
    ("m.json", '{"d1": []}', "lists no witness"),
])
def test_broken_manifest(tmp_path: Path, name: str, content: str, problem: str) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(InputError, match=problem):
        discover(tmp_path / name)


@pytest.mark.parametrize(("options", "option", "problem"), [
    ({"formats": ["pdf"]}, "format", "expected some of tei, html, text, plain, json, not ['pdf']"),
    ({"engine": "gpu"}, "engine", "expected one of serial, local, dask, not 'gpu'"),
    ({"workers": 0}, "workers", "needs at least one worker, not 0"),
])
def test_bad_options_are_named_in_the_library_s_terms(tmp_path: Path, options: dict,
                                                      option: str, problem: str) -> None:
    """The library names its own options (no command-line flags); the CLI adds the dashes."""
    with pytest.raises(OptionError) as err:
        batch(write_corpus(tmp_path / "corpus"), tmp_path / "out", **options)
    assert (err.value.option, err.value.problem) == (option, problem)
    assert "--" not in str(err.value)


def test_real_corpus_layout() -> None:
    docs = {d.id: d for d in discover(data_path())}
    assert len(docs["frankenstein/C07"].paths) == 4
    assert len(docs["bible_english_nt/john_01"].paths) == 7
    assert len(docs["ocr_overproof/dataset2_sydney_morning_herald/article_069"].paths) == 3
    assert "epigraphy_isicily/ISic000660.damaged" in docs
    assert not any("articles" in i or "index" in i for i in docs)


# --- running -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    """One Dask LocalCluster of two worker processes for the whole module."""
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as c:
        yield c


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Summary]:
    """The plain reference: the small corpus built in this process."""
    root = tmp_path_factory.mktemp("batch")
    corpus = write_corpus(root / "corpus")
    summary = batch(corpus, root / "serial", formats=["tei", "json", "text", "html"],
                    engine="serial")
    return corpus, root / "serial", summary


def test_serial_outputs(serial_run: tuple[Path, Path, Summary]) -> None:
    _, out, summary = serial_run
    assert summary.ok and summary.counts == {"done": 3, "partial": 0, "skipped": 0, "failed": 0}
    record = summary.documents[0]
    assert record.id == "doc00" and record.tokens > 20 and record.error is None
    assert record.outputs == ("doc00.tei.xml", "doc00.json", "doc00.txt", "doc00.html")
    check_whole(out)
    saved = json.loads((out / "summary.json").read_text())
    assert saved["ok"] is True and [d["id"] for d in saved["documents"]] == ["doc00", "doc01",
                                                                              "doc02"]
    tei = (out / "doc00.tei.xml").read_text(encoding="utf-8")
    assert '<supplied reason="lost"' in tei  # witness B's lacuna restored
    assert "(doc00/A.txt)" in tei  # sources relative to the corpus: outputs do not move


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_engines_identical(engine: str, serial_run: tuple[Path, Path, Summary], cluster,
                           tmp_path: Path) -> None:
    corpus, reference, _ = serial_run
    kw = {"scheduler": cluster.scheduler_address} if engine == "dask" else {"workers": 2}
    summary = batch(corpus, tmp_path, formats=["tei", "json", "text", "html"], engine=engine,
                    **kw)
    assert summary.ok and summary.engine == engine
    assert tree(tmp_path) == tree(reference)


HASHED = """
import hashlib, sys
from collate.batch import Task, run_document
from collate.corpus import discover
for doc in discover(sys.argv[1]):
    o = run_document(Task(doc, ("tei",)))
    print(doc.id, o.error or hashlib.sha256(o.outputs["tei"].encode()).hexdigest())
"""


def test_outputs_do_not_depend_on_the_process(tmp_path: Path) -> None:
    # Workers are separate processes with their own string-hash seeds: nothing may depend on
    # set order. The flat folder holds two real inscriptions whose restorations once did.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("ISic001654.damaged.txt", "ISic000065.damaged.txt"):
        (corpus / name).write_bytes(data_path("epigraphy_isicily", name).read_bytes())
    runs = [subprocess.run([sys.executable, "-c", HASHED, str(corpus)], capture_output=True,
                           text=True, timeout=120, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
                           ).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0].count("\n") == 2


def test_dask_workers_keep_the_lexicon(serial_run: tuple[Path, Path, Summary], cluster,
                                       tmp_path: Path) -> None:
    from distributed import Client

    from collate.restoration import lexicon

    def caches() -> dict[str, tuple[int, int, int]]:
        """The lexicon's per-process caches: hits, misses, entries."""
        infos = {name: fn.cache_info() for name, fn in vars(lexicon).items()
                 if hasattr(fn, "cache_info")}
        return {name: (i.hits, i.misses, i.currsize) for name, i in infos.items()}

    corpus = serial_run[0]
    with Client(cluster.scheduler_address) as client:
        client.run(lambda: [fn.cache_clear() for fn in vars(lexicon).values()
                            if hasattr(fn, "cache_clear")])
        batch(corpus, tmp_path, formats=["text"], engine="dask", scheduler=client)
        info = client.run(caches)
    # Every document needs the word lists; each worker loads each list once, then reuses it.
    assert sum(hits for worker in info.values() for hits, _, _ in worker.values()) > 0
    assert all(misses == size for worker in info.values() for _, misses, size in worker.values())


def test_resume_skips_complete_and_redoes_changed(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    first = batch(corpus, out, formats=["tei"], engine="serial")
    assert first.counts["done"] == 3
    (corpus / "doc01" / "B.txt").write_text("A changed reading □□ of the text.")
    (out / "doc02.tei.xml").write_bytes(b"<TEI")  # damaged behind the batch's back
    second = batch(corpus, out, formats=["tei"], engine="serial")
    assert [r.status for r in second.documents] == ["skipped", "done", "done"]
    assert second.documents[0].tokens == first.documents[0].tokens
    check_whole(out)
    third = batch(corpus, out, formats=["tei", "text"], engine="serial")  # a new format
    assert third.counts == {"done": 3, "partial": 0, "skipped": 0, "failed": 0}


def test_broken_file_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "doc01" / "B.txt").write_bytes(b"caf\xe9 au lait")
    (corpus / "doc02" / "A.txt").write_bytes(b"\x00\x01binary")
    (corpus / "doc02" / "B.txt").write_bytes(b"\xff\xfe\x00")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(corpus), "-o", str(out), "--format", "tei",
                                       "--workers", "2"])
    assert result.exit_code == 2, result.output  # bad input, as every command says it
    assert ("doc01     partial  left out: doc01/B.txt: invalid UTF-8 at byte 3 (0xe9)"
            in result.output)
    assert "doc02     failed   doc02/A.txt: binary file" in result.output  # nothing readable
    assert "3 documents: 1 done, 1 partial, 0 skipped, 1 failed" in result.output
    saved = json.loads((out / "summary.json").read_text())
    assert saved["ok"] is False
    assert [(d["id"], d["status"]) for d in saved["documents"]] == [
        ("doc00", "done"), ("doc01", "partial"), ("doc02", "failed")]
    assert sorted(p.name for p in out.glob("*.xml")) == ["doc00.tei.xml", "doc01.tei.xml"]
    tei = (out / "doc01.tei.xml").read_text(encoding="utf-8")
    assert '<note type="left-out">doc01/B.txt: invalid UTF-8' in tei  # the edition says so
    again = batch(corpus, out, formats=["tei"], engine="serial")  # built again, not skipped
    assert [r.status for r in again.documents] == ["skipped", "partial", "failed"]


def crashing_job(task: Task) -> Outcome:
    """A stand-in job whose worker process dies on ``doc01`` (a segfault, the OOM killer)."""
    if task.document.id == "doc01":
        os._exit(1)
    return Outcome(task.document.id, (), {f: "ok\n" for f in task.formats}, 1, 0.0)


def test_dead_worker_fails_only_its_document(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", n=5)
    summary = batch(corpus, tmp_path / "out", formats=["text"], engine="local", workers=2,
                    job=crashing_job)
    assert [(r.id, r.status) for r in summary.documents] == [
        ("doc00", "done"), ("doc01", "failed"), ("doc02", "done"), ("doc03", "done"),
        ("doc04", "done")]
    assert summary.documents[1].error == "the worker process died on this document"


def test_python_api_whatever_was_imported(tmp_path: Path) -> None:
    import collate
    import collate.batch  # binds the package attribute to the module

    corpus = write_corpus(tmp_path / "corpus", n=1)
    summary = collate.batch(corpus, tmp_path / "out", formats=["text"], engine="serial")
    assert isinstance(summary, Summary) and summary.ok


def test_job_never_raises(tmp_path: Path) -> None:
    from collate.corpus import Document

    doc = Document("gone", (str(tmp_path / "gone.txt"),), str(tmp_path))
    outcome = run_document(Task(doc, ("tei",)))
    assert outcome.error == "gone.txt: no such file"
    assert outcome.outputs == {}


@pytest.mark.parametrize(("args", "message"), [
    (["missing-dir"], "collate: error: missing-dir: no such file or folder"),
    (["EMPTY"], "no documents found"),
])
def test_bad_usage_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "EMPTY").mkdir()
    args = [str(tmp_path / a) if a == "EMPTY" else a for a in args]
    result = CliRunner().invoke(main, ["batch", *args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_killed_run_resumes_whole(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", n=12, repeat=6)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "collate", "batch", str(corpus), "-o", str(out),
           "--format", "tei", "--format", "json", "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob("*.tei.xml")) and time.monotonic() < deadline:
            assert proc.poll() is None, "the batch ended before writing any edition"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = len(list(out.glob(".*.collate.json")))
    assert list(out.glob("*.tei.xml")) and finished < 12
    assert not (out / "summary.json").exists()
    check_whole(out)
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.stderr == ""  # no progress bar in a pipe
    assert f"12 documents: {12 - finished} done, {finished} skipped, 0 failed" in rerun.stdout
    check_whole(out)
    assert len(list(out.glob("doc*.tei.xml"))) == len(list(out.glob("doc*.json"))) == 12
    assert not list(out.glob(".*.tmp"))


def test_outcome_hashes_the_bytes_it_parsed(tmp_path: Path) -> None:
    # one read per witness file: the recorded hashes are those of the parsed bytes, the same
    # as a separate hashing pass gives (what a re-run compares to skip finished documents)
    from collate.batch import input_hashes
    from collate.corpus import discover

    corpus = write_corpus(tmp_path / "corpus", n=1)
    doc = next(iter(discover(corpus)))
    outcome = run_document(Task(doc, ("text",)))
    assert outcome.error is None
    assert outcome.inputs == input_hashes(doc) and len(outcome.inputs) == len(doc.paths) > 1
