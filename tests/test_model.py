"""Restoration models: the file format, building from a corpus, loading, refusing bad files."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from click.testing import CliRunner

from collate.cli import main
from collate.restoration import restore
from collate.restoration.corpusmodel import (
    Model,
    Pruning,
    build_model,
    general_model,
    load_model,
    resolve,
    shipped_model,
    shipped_path,
)
from collate.restoration.modelfile import FORMAT, ModelFileError, read_sections, write_sections

CORPUS = (
    "Clerval and I walked by the lake of Geneva. Clerval spoke of the mountains. "
    "The mountains of Geneva rose above the lake, and Clerval was silent. "
) * 20


def test_sections_round_trip_and_checks(tmp_path):
    path = tmp_path / "m.model"
    arrays = {"a": np.arange(5, dtype=np.int32), "b": np.array([0.5, 1.5], dtype=np.float32)}
    write_sections(path, "en", {"kind": "corpus", "x": [1, 2]}, arrays)
    got = read_sections(path)
    assert got.lang == "en" and got.meta == {"kind": "corpus", "x": [1, 2]}
    assert got.arrays["a"].tolist() == [0, 1, 2, 3, 4] and got.arrays["b"].tolist() == [0.5, 1.5]
    data = path.read_bytes()
    cases = {
        "truncated": data[:-8],
        "padded": data + b"\0" * 8,
        "foreign": b"PK\x03\x04" + data[4:],
        "version": data[:8] + (FORMAT + 1).to_bytes(4, "little") + data[12:],
        "flipped": data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:],
        "empty": b"",
    }
    messages = {}
    for name, bad in cases.items():
        (tmp_path / name).write_bytes(bad)
        with pytest.raises(ModelFileError) as err:
            read_sections(tmp_path / name)
        messages[name] = str(err.value)
        assert str(tmp_path / name) in messages[name] and "\n" not in messages[name]
    assert "truncated" in messages["truncated"] and "magic" in messages["foreign"]
    assert "version" in messages["version"] and "checksum" in messages["flipped"]


def test_built_model_round_trips_through_a_file(tmp_path):
    model = build_model([CORPUS], lang="en")
    model.save(tmp_path / "c.model")
    loaded = load_model(tmp_path / "c.model")
    assert loaded.lang == "en" and loaded.meta["kind"] == "corpus"
    for m in (model, loaded):
        assert m.count("clerval") == 60 and m.form("clerval") == "Clerval"
        assert m.lower_count("clerval") == 0 and m.lower_count("lake") == 40
        assert m.pair("of", "geneva") == 40
        assert m.triple("the", "lake", "of") == 20
        assert m.char_model().prob("clerv", "a") == model.char_model().prob("clerv", "a") > 0.5
    assert loaded.case_counts() == model.case_counts()


def test_a_model_file_that_is_not_a_restoration_model_is_refused(tmp_path):
    write_sections(tmp_path / "x.model", "en", {"kind": "spreadsheet"}, {})
    with pytest.raises(ModelFileError, match="not a restoration model"):
        load_model(tmp_path / "x.model")


def test_builtin_model_is_cached_once_and_loads_fast(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLATE_CACHE", str(tmp_path))
    general_model.cache_clear()
    try:
        built = general_model("en")
        files = list(tmp_path.glob(f"en.v{FORMAT}.model"))
        assert built is not None and len(files) == 1
        assert built.is_top("the") and built.frequency("the") > built.frequency("thee") > 0
        assert "lately" in built.matching("", "ately", range(6, 7))
        assert built.general_prob("of", "the", 1e-6) > 0.1
        start = time.perf_counter()
        loaded = load_model(files[0])
        words = loaded.words
        took = time.perf_counter() - start
        assert len(words) > 100_000 and took < 0.5  # ms on a quiet machine; slack for CI load
        assert loaded.index("lately") == built.index("lately") >= 0
        assert general_model("xx") is None  # a language wordfreq lacks: no model, no file
    finally:
        general_model.cache_clear()


def test_corpus_model_lifts_words_of_the_same_work(tmp_path):
    damaged = "I walked with Cl□□□al by the lake. We saw the mountains of Gen□□a."
    model = build_model([CORPUS], lang="en")
    plain = restore(damaged, lang="en", calibration=0, model=False)
    helped = restore(damaged, lang="en", calibration=0, model=model)
    assert [r.best.text for r in helped.lacunae] == ["erv", "ev"]
    model.save(tmp_path / "c.model")
    by_path = restore(damaged, lang="en", calibration=0, model=str(tmp_path / "c.model"))
    assert [r.to_dict() for r in by_path.lacunae] == [r.to_dict() for r in helped.lacunae]
    assert helped.lacunae[0].best.confidence >= plain.lacunae[0].best.confidence


def test_a_corpus_phrase_restores_a_lost_whole_word_in_a_new_document():
    corpus = (
        "The old man sat by the fire and spoke of his youth. We stood on the brink of the "
        "precipice and looked down. Elizabeth smiled, and the children played on the shore. "
    ) * 5
    doc = (
        "It was late in the evening when we left the village. The path was steep and narrow. "
        "At last we stood on the \u25a1\u25a1\u25a1\u25a1\u25a1 of the precipice and saw "
        "the valley below us. Then we went back to the village and slept."
    )
    alone = restore(doc, lang="en", calibration=0, model=False).lacunae[0]
    helped = restore(doc, lang="en", calibration=0, model=build_model([corpus], lang="en"))
    assert alone.best.text != "brink"
    assert helped.lacunae[0].best.text == "brink"


def test_resolve_loads_a_path_once_and_passes_objects_through(tmp_path):
    model = build_model([CORPUS], lang="en")
    assert resolve(model) is model and resolve(None) is None
    model.save(tmp_path / "c.model")
    first = resolve(tmp_path / "c.model")
    assert isinstance(first, Model) and resolve(tmp_path / "c.model") is first


def test_nothing_to_restore_loads_no_model(monkeypatch):
    import collate.restoration.corpusmodel as langmodel

    def refuse(*args, **kwargs):
        raise AssertionError("a model was loaded for a text without lacunae")

    monkeypatch.setattr(langmodel, "general_model", refuse)
    monkeypatch.setattr(langmodel, "load_model", refuse)
    assert restore("A clean text, nothing lost.").lacunae == ()


def test_cli_model_build_then_restore_with_it(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "one.txt").write_text(CORPUS, encoding="utf-8")
    (corpus / "sub" / "two.txt").write_text(CORPUS.upper(), encoding="utf-8")
    (corpus / "notes.md").write_text("not read", encoding="utf-8")
    (tmp_path / "doc.txt").write_text("Then Cl□□□al spoke of Geneva.\n", encoding="utf-8")
    out = tmp_path / "work.model"
    runner = CliRunner()
    built = runner.invoke(main, ["model", "build", str(corpus), "-o", str(out), "--lang", "en"])
    assert built.exit_code == 0, built.output
    model = load_model(out)
    assert model.lang == "en" and model.meta["texts"] == 2 and model.count("clerval") == 120
    got = runner.invoke(main, ["restore", str(tmp_path / "doc.txt"), "--model", str(out)])
    assert got.exit_code == 0, got.output
    result = json.loads(got.output)
    best = result["lacunae"][0]["candidates"][0]
    assert best["text"] == "erv"
    # the restored text takes the candidate only where it reaches --min-confidence
    assert result["restored"] == ("Then Clerval spoke of Geneva.\n" if best["confidence"] >= 0.5
                                  else "Then Cl□□□al spoke of Geneva.\n")
    ed = runner.invoke(main, ["edition", str(tmp_path / "doc.txt"), "--model", str(out),
                              "--format", "json"])
    assert ed.exit_code == 0, ed.output
    lacuna = json.loads(ed.output)["restorations"]["doc"]["lacunae"][0]
    assert lacuna["candidates"][0]["text"] == "erv"


@pytest.mark.parametrize("content", [b"", b"COLLATEM\x01", b"hello, world\n" * 10, None])
def test_cli_refuses_a_broken_model_with_one_line(tmp_path, content):
    doc = tmp_path / "doc.txt"
    doc.write_text("The c□t sat.\n", encoding="utf-8")
    bad = tmp_path / "bad.model"
    if content is None:  # a real model file, cut short
        build_model([CORPUS], lang="en").save(bad)
        bad.write_bytes(bad.read_bytes()[:200])
    else:
        bad.write_bytes(content)
    for args in (["restore", str(doc)], ["edition", str(doc)]):
        got = CliRunner().invoke(main, [*args, "--model", str(bad)])
        assert got.exit_code == 2
        lines = got.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("collate: error: ")
        assert "bad.model" in lines[0]


def test_cli_model_build_refuses_missing_and_empty_input(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["model", "build", str(tmp_path / "nope"), "-o",
                                   str(tmp_path / "m.model")])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(main, ["model", "build", str(tmp_path / "empty"), "-o",
                                 str(tmp_path / "m.model")])
    assert empty.exit_code == 2 and "no .txt file found" in empty.output
    assert not (tmp_path / "m.model").exists()


def test_batch_loads_the_model_once_per_process(tmp_path):
    from collate.batch import batch
    from collate.restoration import corpusmodel as langmodel

    build_model([CORPUS], lang="en").save(tmp_path / "c.model")
    corpus = tmp_path / "docs"
    for name in ("d1", "d2"):
        (corpus / name).mkdir(parents=True)
        (corpus / name / "A.txt").write_text("Then Cl□□□al spoke of Geneva.\n", encoding="utf-8")
    langmodel._loaded.cache_clear()
    summary = batch(corpus, tmp_path / "out", formats=["json"], engine="serial",
                    model=tmp_path / "c.model")
    assert summary.ok and len(summary.documents) == 2
    assert langmodel._loaded.cache_info().misses == 1  # two documents, one load
    for name in ("d1", "d2"):
        got = json.loads((tmp_path / "out" / f"{name}.json").read_text(encoding="utf-8"))
        assert got["restorations"]["A"]["lacunae"][0]["candidates"][0]["text"] == "erv"
    (tmp_path / "bad.model").write_bytes(b"not a model")
    with pytest.raises(ModelFileError):
        batch(corpus, tmp_path / "out2", formats=["json"], engine="serial",
              model=tmp_path / "bad.model")


def test_a_corpus_phrase_restores_a_span_across_words():
    corpus = (
        "The old man sat by the fire and spoke of his youth. Each night we stood on the brink "
        "of the precipice and looked down. Elizabeth smiled, and the children played. "
    ) * 5
    doc = (
        "It was late in the evening when we left the village. The path was steep and narrow. "
        "At last we stood on the br" + "\u25a1" * 12 + " precipice and saw the valley below "
        "us. Then we went back to the village and slept."
    )
    alone = restore(doc, lang="en", calibration=0, model=False).lacunae[0]
    helped = restore(doc, lang="en", calibration=0, model=build_model([corpus], lang="en"))
    assert alone.best.text != "ink of the"
    assert helped.lacunae[0].best.text == "ink of the"


def test_pruning_drops_rare_ngrams_and_keeps_their_mass_for_backing_off():
    text = "the cat sat. the cat sat. the cat ran. the dog sat."
    full = build_model([text], prune=Pruning(triples=1, chars=(1,) * 6))
    pruned = build_model([text], prune=Pruning(pairs=2, triples=2, chars=(1, 1, 1, 1, 1, 2)))
    assert full.triple("the", "cat", "ran") == 1 and pruned.triple("the", "cat", "ran") == 0
    assert pruned.triple("the", "cat", "sat") == 2 and pruned.pair("cat", "ran") == 0
    # "the cat" is followed three times: two kept, one pruned (its mass backs off as types)
    assert full.triple_margin("the", "cat") == (3.0, 2.0)
    assert pruned.triple_margin("the", "cat") == (3.0, pytest.approx(1.0 + 1 / 0.75))
    # pruned character 6-grams: still a distribution over every symbol
    lm = pruned.char_model()
    symbols = [*lm.alphabet, "\x00", "#"]
    assert abs(sum(lm.prob("he ca", ch) for ch in symbols) - 1.0) < 1e-9
    assert lm.prob("he ca", "t") > lm.prob("he ca", "r")


def test_a_word_seen_too_rarely_is_left_out_and_parts_the_ngrams_around_it():
    model = build_model(["a b c a b c x a b"], prune=Pruning(words=2, triples=1))
    assert model.count("x") == 0 and model.index("x") == -1
    assert model.pair("c", "a") == 1 and model.triple("c", "a", "b") == 1  # not across "x"
    assert model.followers("a") == ["b"] and model.leaders("c") == ["b"]


def test_triples_answer_from_both_sides(tmp_path):
    corpus = "we stood on the brink of the sea. he sat on the brink of ruin. " * 3
    build_model([corpus]).save(tmp_path / "m.model")
    model = load_model(tmp_path / "m.model")
    assert model.after("the", "brink") == ["of"]
    assert model.before("brink", "of") == ["the"]
    assert model.inside("the", "of") == ["brink"]


def test_without_shipped_models_restoration_falls_back(tmp_path, monkeypatch):
    import collate.restoration.corpusmodel as corpusmodel

    monkeypatch.setattr(corpusmodel, "MODELS", tmp_path)
    shipped_model.cache_clear()
    try:
        assert shipped_model("en") is None and shipped_model(None) is None
        got = restore("The cat sat on the mat. The c\u25a1t sat on the mat.", lang="en",
                      calibration=0)
        assert got.lacunae[0].best.text == "a"
    finally:
        shipped_model.cache_clear()


def test_a_shipped_model_is_chosen_by_language_and_loads_fast(tmp_path, monkeypatch):
    """The built-in models are files in the package's ``models/`` folder, built by ``make
    models`` with the shipped pruning; one is found by the text's language and read in place
    (here a small one built from this module's corpus, as ``make models`` builds the real)."""
    from collate.restoration import corpusmodel

    monkeypatch.setattr(corpusmodel, "MODELS", tmp_path)
    corpusmodel.shipped_model.cache_clear()
    try:
        build_model([CORPUS] * 20, lang="en", prune=corpusmodel.SHIPPED).save(
            shipped_path("en"))
        start = time.perf_counter()
        model = corpusmodel.shipped_model("en")
        assert time.perf_counter() - start < 1.0 and model is not None
        assert model.lang == "en" and model.meta["kind"] == "corpus"
        assert model.count("clerval") > 0 and corpusmodel.shipped_model("de") is None
    finally:
        corpusmodel.shipped_model.cache_clear()


def test_a_calibration_section_round_trips_and_leaves_the_counts(tmp_path):
    from collate.restoration.calibrate import Calibrator

    model = build_model([CORPUS], lang="en")
    assert model.calibrator is None
    cal = Calibrator()
    cal.fit([0.2, 0.4, 0.6, 0.8, 0.9] * 10, [0, 0, 1, 1, 1] * 10, ["lm/word", "lm/long"] * 25)
    model.with_calibration(cal).save(tmp_path / "c.model")
    loaded = load_model(tmp_path / "c.model")
    for x, g in [(0.3, "lm/word"), (0.85, "lm/long"), (0.5, "")]:
        assert loaded.calibrator(x, g) == cal(x, g)
    assert loaded.calibrator.counts == cal.counts
    assert loaded.count("clerval") == 60 and loaded.triple("the", "lake", "of") == 20
    assert set(read_sections(tmp_path / "c.model").arrays) == {*model._a, "calibration"}
