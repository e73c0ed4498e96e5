"""OCR witnesses (ALTO, PAGE, hOCR, ABBYY): the page text in reading order, each word's engine
evidence at the right offsets, every command accepting them, and the real engines' files read
as their own plain text."""

from __future__ import annotations

import json
import re
import shutil
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from rapidfuzz.distance import Levenshtein

import collate
from collate.cli import main
from collate.corpus import discover
from collate.errors import InputError
from collate.ocrsource import OcrWitness, ocr_format, witness_from_ocr
from tests.conftest import data_path
from tests.ocr_convert import WRITERS

CASES = Path(__file__).parent / "cases" / "ocr"
BODY = "The eastern wall was re{}\nbuilt in 1820.\n\nLately the ro\ufffdf fell."
HYPHEN = {"alto_v2.xml": "-", "alto_v3.xml": "-", "alto_v4.xml": "¬", "page_2013.xml": "-",
          "page_2019.xml": "⸗", "hocr.html": "-", "abbyy_fr6.xml": "¬", "abbyy_fr10.xml": "¬"}
"""Each hand-written file: the same page (two regions, the second in the file first where the
format has a reading order: ALTO v4, PAGE), with its own line-end hyphen."""
FORMAT = {"alto": "alto", "page": "page", "hocr": "hocr", "abbyy": "abbyy"}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), prog_name="collate")
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", sorted(HYPHEN))
def test_reads_the_page_in_reading_order(name: str) -> None:
    (w,) = collate.read(CASES / name)
    assert isinstance(w, OcrWitness)
    assert ocr_format((CASES / name).read_text("utf-8-sig"), Path(name).suffix) == FORMAT[
        name.split("_")[0].split(".")[0]]
    assert w.text == BODY.format(HYPHEN[name])
    words = [w.text[x.start : x.end] for x in w.words]
    assert words == w.text.split()
    assert [w.text[x.start : x.end] for x in w.words if x.hyphenated] == [f"re{HYPHEN[name]}"]
    assert len({x.region for x in w.words}) == 2 and len({x.line for x in w.words}) == 3
    assert [x.region for x in w.words].index(w.words[-1].region) == 8  # the second region
    lost = w.words[10]
    assert w.text[lost.start : lost.end] == "ro\ufffdf"
    assert lost.confidence == pytest.approx(0.41)
    assert lost.box is not None and lost.box[0] == 250 and lost.box[1] == 200
    if lost.chars is not None:  # per character where the file gives them: the lost one least
        assert len(lost.chars) == 4 and min(lost.chars) == lost.chars[2] < 0.1
    assert all(x.confidence is None or 0 <= x.confidence <= 1 for x in w.words)


def test_reading_order_names_enclosing_blocks_and_tables_are_text() -> None:
    """An ALTO ReadingOrder may list a ComposedBlock: its TextBlocks come there, in file
    order; blocks it does not list come after. ABBYY table blocks are text like any other."""
    alto = ('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><ReadingOrder>'
            '<OrderedGroup ID="g"><ElementRef ID="a" REF="c2"/><ElementRef ID="b" REF="t1"/>'
            "</OrderedGroup></ReadingOrder><Layout><Page><PrintSpace>"
            + "".join(f'{open_}<TextBlock ID="{b}"><TextLine ID="l{b}"><String CONTENT="{word}"/>'
                      f"</TextLine></TextBlock>{close}" for b, word, open_, close in [
                          ("t1", "last", "", ""), ("t2", "first", '<ComposedBlock ID="c2">', ""),
                          ("t3", "second", "", "</ComposedBlock>"), ("t4", "unlisted", "", "")])
            + "</PrintSpace></Page></Layout></alto>")
    assert witness_from_ocr(alto, "a.xml", "a", "alto").text == (
        "first\n\nsecond\n\nlast\n\nunlisted")
    ns = "http://www.abbyy.com/FineReader_xml/FineReader10-schema-v1.xml"
    cell = ('<cell><text><par><line l="0" t="0" r="9" b="9"><formatting>'
            '<charParams charConfidence="-1">{}</charParams></formatting></line></par>'
            "</text></cell>")
    abbyy = (f'<document xmlns="{ns}"><page><block blockType="Table"><row>'
             + cell.format("a") + cell.format("b") + "</row></block></page></document>")
    w = witness_from_ocr(abbyy, "t.xml", "t", "abbyy")
    assert w.text == "a\nb" and w.words[0].confidence is None


def test_confidence_scales() -> None:
    """ALTO WC as is, CC digit d as 1 - d/9; hOCR x_wconf / 100; ABBYY charConfidence / 100,
    255 unknown (then no per-char list) and the word's as its least confident letter's."""
    alto = collate.read(CASES / "alto_v2.xml")[0].words
    assert alto[0].confidence == 0.98 and alto[0].chars == (1.0, 1.0, 1.0)
    assert alto[4].chars is None  # "re" + the HYP's hyphen: no confidence for the hyphen
    hocr = collate.read(CASES / "hocr.html")[0].words
    assert hocr[0].confidence == 0.98 and hocr[0].chars == (0.99, 0.98, 0.97)
    abbyy = collate.read(CASES / "abbyy_fr10.xml")[0].words
    assert abbyy[1].confidence == 0.91 and abbyy[1].chars == (0.91,) * 6 + (0.96,)
    assert abbyy[10].chars is None and abbyy[10].confidence == 0.41


def test_detected_by_content_whatever_the_suffix(tmp_path: Path) -> None:
    for name in ("alto_v4.xml", "page_2019.xml", "abbyy_fr6.xml"):
        shutil.copy(CASES / name, tmp_path / (name.split(".")[0] + ".ocr"))
        (w,) = collate.read(tmp_path / (name.split(".")[0] + ".ocr"))
        assert w.text == BODY.format(HYPHEN[name]) and w.words
    shutil.copy(CASES / "hocr.html", tmp_path / "page.hocr")
    assert collate.read(tmp_path / "page.hocr")[0].text == BODY.format("-")
    (tmp_path / "plain.html").write_text("<html><body>no OCR here</body></html>")
    assert not collate.read(tmp_path / "plain.html")[0].words  # HTML that is not hOCR: text


def test_detect_points_into_the_file() -> None:
    code, out, _ = _run("detect", *(str(CASES / n) for n in
                                    ("alto_v4.xml", "page_2019.xml", "abbyy_fr10.xml")))
    assert code == 0
    places = re.findall(r"^\S+/(\w+\.xml):(\d+):(\d+)\s+\ufffd", out, re.M)
    for name, line, column in places:
        row = (CASES / name).read_text("utf-8").split("\n")[int(line) - 1]
        assert row[int(column) - 1] == "\ufffd", (name, line, column)
    assert len(places) == 3


def test_every_command_accepts_ocr_files(tmp_path: Path) -> None:
    files = [str(CASES / n) for n in ("alto_v4.xml", "hocr.html", "abbyy_fr6.xml")]
    for args in (["align"], ["restore"], ["edition", "--format", "plain"],
                 ["edition", "--format", "tei"], ["edition", "--format", "html"]):
        code, out, err = _run(*args, *(files[:1] if args == ["restore"] else files))
        assert code == 0, (args, err)
        assert "eastern" in out
    code, out, _ = _run("edition", "--format", "json", *files)
    edition = json.loads(out)
    for wit in edition["witnesses"]:
        (w,) = collate.read(CASES / Path(wit["source"]).name)
        assert len(wit["words"]) == len(w.words) == 12
        start, end, conf, box = wit["words"][10]
        assert (start, end) == (w.words[10].start, w.words[10].end) and conf == 0.41
        assert box[:2] == [250, 200]
    folder = tmp_path / "corpus" / "doc"
    folder.mkdir(parents=True)
    for name in ("alto_v4.xml", "hocr.html", "page_2019.xml"):
        shutil.copy(CASES / name, folder / name.replace(".html", ".hocr"))
    shutil.copy(CASES / "hocr.html", folder / "abbyy_fr6.html")  # hOCR saved as HTML
    (folder / "edition.html").write_text("<html><body>an edition</body></html>")
    (doc,) = discover(tmp_path / "corpus")
    assert sorted(Path(p).name for p in doc.paths) == ["abbyy_fr6.html", "alto_v4.xml",
                                                       "hocr.hocr", "page_2019.xml"]
    code, _, err = _run("batch", str(tmp_path / "corpus"), "-o", str(tmp_path / "out"),
                        "--workers", "1", "--format", "json")
    assert code == 0, err
    edition = json.loads((tmp_path / "out" / "doc.json").read_text("utf-8"))
    assert all(len(wit["words"]) == 12 for wit in edition["witnesses"])


def test_ocr_parse_is_the_hardened_one() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE alto [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace>'
            '<TextBlock ID="t"><TextLine ID="l"><String CONTENT="x"/></TextLine></TextBlock>'
            '</PrintSpace></Page></Layout></alto>')
    assert witness_from_ocr(bomb, "b.xml", "b", "alto").text == "x"
    with pytest.raises(InputError, match=r"^b\.xml: broken XML"):
        witness_from_ocr(bomb[:-7], "b.xml", "b", "alto")


# --- the real engines' files (../shared/data/ocr_engines) ----------------------------------


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _cer(pairs: list[tuple[str, str]]) -> float:
    return (sum(Levenshtein.distance(_fold(a), _fold(b)) for a, b in pairs)
            / sum(len(_fold(a)) for a, _ in pairs))


SAME_RUN = ["goethe_1809/*.abbyy.xml", "hobbes_1668/*.abbyy.xml", "*/*.ocropus.hocr",
            "hobbes_1668/*.tesseract.hocr", "zonaras_1870/*.tesseract.hocr"]
"""Structured files from the same engine run as the page's ``.txt`` (the data's README)."""
OTHER_RUN = {"goethe_1809/*.tesseract.hocr": 0.1097, "zonaras_1870/*.tesseract.xml": 0.0710,
             "hobbes_1668/*.tesseract.xml": 0.1611}
"""Files of another Tesseract run than the ``.txt``, with that run's CER against the ground
truth over all of the book's pages, as the data's README states it (measured there with its
own reader)."""


@pytest.mark.parametrize("pattern", SAME_RUN)
def test_real_files_read_as_the_engine_s_own_text(pattern: str) -> None:
    """The text read matches the engine's own plain-text export of the same run: the data's
    README finds them identical after folding whitespace (and reading ABBYY's ``¬`` as the
    export's ``-``), except that ABBYY's export sometimes writes longer dash runs; so the
    bound is 0.5 % CER, far below what a lost line (2-3 % of a page) or a misordered block
    would cost."""
    folder = data_path("ocr_engines")
    files = sorted(folder.glob(pattern))
    assert files, f"no {pattern} in {folder}"
    pairs = []
    for f in files:
        (w,) = collate.read(f)
        assert w.words
        own = f.with_name(f.name.split(".")[0] + "." + f.name.split(".")[1] + ".txt")
        pairs.append((own.read_text("utf-8"), w.text.replace("¬", "-")))
    assert _cer(pairs) < 0.005


@pytest.mark.parametrize("pattern", sorted(OTHER_RUN))
def test_real_files_of_another_run_read_as_well_as_that_run(pattern: str) -> None:
    """Against the ground truth, the text read is within 1.5 points of the run's own CER
    over the whole book: a reader that dropped, doubled or misordered lines would lose far
    more (a line is 2-3 % of a page)."""
    folder = data_path("ocr_engines")
    pairs = []
    for f in sorted(folder.glob(pattern)):
        (w,) = collate.read(f)
        gt = f.with_name(f.name.split(".")[0] + ".gt.txt").read_text("utf-8")
        pairs.append((gt, w.text))
    assert pairs and _cer(pairs) < OTHER_RUN[pattern] + 0.015


def test_every_format_gives_the_consensus_of_the_plain_texts(tmp_path: Path) -> None:
    """A real page read by two engines (Hobbes 0009: Tesseract hOCR, OCRopus hOCR, each the
    same run as its ``.txt``): written as ALTO, PAGE, hOCR and ABBYY XML, the consensus
    (``edition --format plain``) is that of the engines' plain texts."""
    folder = data_path("ocr_engines", "hobbes_1668")
    tess, ocro = folder / "0009.tesseract.hocr", folder / "0009.ocropus.hocr"
    (w,) = collate.read(tess)
    inputs = {"hocr": tess}
    for fmt, (suffix, write) in WRITERS.items():
        inputs[fmt] = tmp_path / f"0009.tesseract{suffix}"
        inputs[fmt].write_bytes(write(w))
        assert collate.read(inputs[fmt])[0].text == w.text, fmt
    for name in ("0009.tesseract.txt", "0009.ocropus.txt"):
        shutil.copy(folder / name, tmp_path / name)
    code, plain, err = _run("edition", "--format", "plain", str(tmp_path / "0009.tesseract.txt"),
                            str(tmp_path / "0009.ocropus.txt"))
    assert code == 0, err
    for fmt, path in inputs.items():
        code, out, err = _run("edition", "--format", "plain", str(path), str(ocro))
        assert code == 0, err
        assert out == plain, fmt


def test_a_page_on_one_line_reads_in_linear_time() -> None:
    """Tesseract's ABBYY-like XML puts a whole page on one line: finding each (here unique)
    character's column by searching that line would take the square of its length. Timed in
    CPU seconds against lxml parsing the same file (the floor) in the same run."""
    chars = "".join(f'<charParams wordStart="{"true" if k % 6 == 0 else "false"}" l="{k}" '
                    f't="0" r="{k + 1}" b="9" charConfidence="90.0">{chr(0x4E00 + k)}'
                    "</charParams>" for k in range(20000))
    xml = f'<?xml version="1.0"?>\n<document><page/><text><line>{chars}</line></text></document>'
    floor = min(_cpu(lambda: etree.fromstring(xml.encode())) for _ in range(3))
    took = min(_cpu(lambda: witness_from_ocr(xml, "t.xml", "t", "abbyy")) for _ in range(3))
    assert witness_from_ocr(xml, "t.xml", "t", "abbyy").text.startswith("\u4e00\u4e01")
    assert took < 20 * floor, (took, floor)  # measured 3.4x; 55x when every line was searched


def _cpu(job) -> float:
    start = time.process_time()
    job()
    return time.process_time() - start
