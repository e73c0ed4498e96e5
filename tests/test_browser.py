"""The HTML edition in a real browser: headless Chromium driven by Playwright.

Clicking a restoration shows its candidates, clicking a variant shows every witness's reading,
the synoptic view lines the witnesses up, hostile witness text stays inert, and a book-length
edition keeps a light DOM. Each run writes its screenshots to out/screenshots/ (or
$COLLATE_SCREENSHOTS); the ones in tests/screenshots/ are a reviewed copy.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from collate.edition import make_edition
from collate.reader import read_witnesses
from collate.render.html import render_html
from tests.conftest import DATA, SEED

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("COLLATE_SCREENSHOTS")
             or Path(__file__).resolve().parents[1] / "out" / "screenshots")

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: install it (sudo apt-get install chromium) to run the "
                "browser tests",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: r.url.startswith("file:") or page.errors.append(r.url))
    yield page
    page.close()


def open_edition(page, tmp_path: Path, edition, name: str) -> None:
    path = tmp_path / f"{name}.html"
    path.write_text(render_html(edition), encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]")


def test_seed_restoration_shows_candidates(page, tmp_path):
    if not SEED.exists():
        pytest.skip(f"real data not found: {SEED}")
    ed = make_edition(read_witnesses([SEED]))
    open_edition(page, tmp_path, ed, "seed")
    sup = page.locator("#reading .sup[data-p]").nth(1)
    sup.scroll_into_view_if_needed()
    sup.click()
    panel = page.locator("#panel")
    assert panel.is_visible()
    rows = page.locator("#panel .cands tr.cand")
    assert rows.count() >= 1
    first = rows.first.inner_text()
    assert "%" in first
    seg, p = int(sup.get_attribute("data-s")), int(sup.get_attribute("data-p"))
    rl = ed.pieces(seg, ed.segments[seg].base)[p]
    best = rl.candidates[0].text or "(nothing)"
    assert best in first
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "edition_seed.png"))
    assert not page.errors and not page.dialogs


def test_frankenstein_variant_and_synopsis(page, tmp_path):
    folder = DATA / "frankenstein" / "C05"
    if not folder.exists():
        pytest.skip(f"real data not found: {folder}")
    ed = make_edition(read_witnesses(sorted(folder.glob("*.txt"))))
    open_edition(page, tmp_path, ed, "C05")
    page.locator("#reading .var").first.click()
    text = page.locator("#panel-body").inner_text()
    assert all(wid in text for wid in ed.ids)
    assert "(lemma)" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "edition_C05.png"))
    page.click("[data-tab=synopsis]")
    assert page.locator("#synopsis th").all_inner_texts() == ed.ids
    assert page.locator("#synopsis td.diff").count() >= 4
    page.screenshot(path=str(SHOTS / "edition_C05_synopsis.png"))
    assert not page.errors and not page.dialogs


def test_hostile_witness_does_not_run(page, tmp_path):
    evil = ('The <script>window.pwned=1;alert(1)</script> cat " onmouseover="window.pwned=2" '
            "<img src=x onerror=window.pwned=3> □□ately")
    ed = make_edition([("A", evil), ('"><svg onload=window.pwned=4>', "The dog Lately")],
                      base="A")
    open_edition(page, tmp_path, ed, "xss")
    page.mouse.move(300, 200)
    for el in page.locator("#reading [data-s]").all():
        el.hover()
        el.click()
    page.click("[data-tab=synopsis]")
    page.locator("#synopsis td").first.hover()
    assert page.evaluate("window.pwned") is None
    assert not page.dialogs
    assert "<script>window.pwned=1;alert(1)</script>" in page.locator("#reading").inner_text()
    assert page.locator("#reading img, #reading script, svg").count() == 0


@pytest.fixture(scope="module")
def darwin():
    folder = DATA / "darwin_origin" / "ch01"
    if not folder.exists():
        pytest.skip(f"real data not found: {folder}")
    return make_edition(read_witnesses(sorted(folder.glob("*.txt"))))


@pytest.fixture(scope="module")
def book():
    """Frankenstein, the whole novel in the 1818 and 1823 editions (about 400 kB each)."""
    folder = DATA / "frankenstein"
    if not folder.exists():
        pytest.skip(f"real data not found: {folder}")
    units = sorted(p for p in folder.iterdir() if p.is_dir())
    return make_edition([(year, "\n\n".join((u / f"{year}.txt").read_text("utf-8")
                                              for u in units)) for year in ("1818", "1823")],
                        restore=False)


def test_book_length_has_every_word_up_front(page, tmp_path, book):
    t0 = time.perf_counter()
    open_edition(page, tmp_path, book, "book")
    assert time.perf_counter() - t0 < 10
    reading = page.locator("#reading")
    words = book.base_text(restored=False).split()
    last = " ".join(words[-4:])
    shown = " ".join(reading.text_content().split())
    assert len(shown) > 350_000 and last in shown  # the whole book, before any scrolling
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate(f"window.find({last!r})")  # find-in-page reaches the end
    assert page.evaluate("window.scrollY") > 10_000
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    assert nodes < 5000  # agreeing text is one text node per run, not one element per word
    assert not page.errors


def test_synopsis_is_lazy_at_book_length(page, tmp_path, darwin):
    open_edition(page, tmp_path, darwin, "darwin")
    page.click("[data-tab=synopsis]")
    rows = page.locator("#synopsis tbody tr").count()
    assert rows < len(darwin.segments)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for _ in range(50):  # wait_for_function would need eval, which the page's CSP forbids
        if page.locator("#synopsis tbody tr").count() > rows:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("scrolling the synopsis rendered no more rows")
    assert not page.errors


def test_twenty_witnesses(page, tmp_path):
    folder = DATA / "darwin_origin" / "ch01"
    if not folder.exists():
        pytest.skip(f"real data not found: {folder}")
    base = read_witnesses(sorted(folder.glob("*.txt")))
    wits = []
    for k in range(20):  # 20 witnesses: the six editions, each copy with a few words altered
        words = base[k % len(base)].text[:15000].split(" ")
        for i in range(k + 7, len(words), 97 + k):
            words[i] = words[i].upper()
        wits.append((f"W{k:02d}", " ".join(words)))
    ed = make_edition(wits)
    t0 = time.perf_counter()
    open_edition(page, tmp_path, ed, "twenty")
    assert time.perf_counter() - t0 < 10
    page.locator("#reading .var").first.click()
    listed = page.locator("#panel .wits").inner_text()
    assert all(wid in listed for wid in ed.ids)
    page.click("#panel-close")
    page.click("[data-tab=synopsis]")
    assert page.locator("#synopsis th").count() == 20
    assert page.evaluate("document.getElementsByTagName('*').length") < 20000
    assert not page.errors


WIDTHS = {390: 844, 768: 1024, 1400: 900}


@pytest.fixture(scope="module")
def seed_edition():
    if not SEED.exists():
        pytest.skip(f"real data not found: {SEED}")
    return make_edition(read_witnesses([SEED]))


def _rect(page, selector_or_handle):
    return page.evaluate("e => { const r = e.getBoundingClientRect(); "
                         "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, "
                         "width: r.width}; }", selector_or_handle)


@pytest.mark.parametrize("width", WIDTHS)
def test_note_opens_beside_the_text_and_the_word_stays_in_view(browser, tmp_path,
                                                               seed_edition, width):
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_edition(page, tmp_path, seed_edition, f"seed{width}")
    sups = page.locator("#reading .sup[data-p]")
    word = sups.nth(sups.count() // 2).element_handle()
    # the word near the bottom of the window, where a panel opening below would cover it
    page.evaluate("e => window.scrollBy(0, e.getBoundingClientRect().top - "
                  "0.85 * window.innerHeight)", word)
    before = _rect(page, page.locator("#reading").element_handle())
    word.click()
    panel = page.locator("#panel")
    assert panel.is_visible()
    after = _rect(page, page.locator("#reading").element_handle())
    assert abs(after["width"] - before["width"]) < 1  # the text is not reflowed
    assert after["width"] > 0.8 * min(width, 960) - 40  # nor squeezed into a column
    r, p = _rect(page, word), _rect(page, panel.element_handle())
    sheet = p["top"] > WIDTHS[width] / 4
    assert r["top"] >= 0 and r["bottom"] <= (p["top"] if sheet else WIDTHS[width])
    assert sheet or r["right"] <= p["left"]  # beside a side panel, not under it
    assert "%" in page.locator("#panel .cands").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"note_{width}.png"))
    page.close()
    assert not errors


@pytest.mark.parametrize("width", WIDTHS)
def test_synopsis_header_stays_visible(browser, tmp_path, darwin, width):
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    open_edition(page, tmp_path, darwin, f"darwin{width}")
    page.click("[data-tab=synopsis]")
    assert page.locator("#synopsis th").all_inner_texts() == darwin.ids
    page.evaluate("window.scrollTo(0, 4000)")
    page.wait_for_timeout(100)
    assert page.evaluate("window.scrollY") > 3000
    head = _rect(page, page.locator("#synopsis th").first.element_handle())
    assert -1 <= head["top"] <= 1 and head["bottom"] > 10  # stuck to the top of the window
    first_row = _rect(page, page.locator("#synopsis tbody tr").first.element_handle())
    assert first_row["bottom"] < 0  # the rows under it did scroll away
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"synopsis_{width}.png"))
    page.close()


def test_legend_explains_every_mark(page, tmp_path):
    moved = " Every morning the old grey dog walked slowly along the river bank."
    ed = make_edition([("A", "The cat sat on the mat today." + moved + " Then it rained.\n"
                        "□□□ Item one."),
                       ("B", "The cot sat on the old mat today. Then it rained." + moved
                        + "\n Item one."),
                       ("C", "The cat sat on the old mat today." + moved + " Then it rained."
                        "\n□□□ Item one.")], base="A")
    open_edition(page, tmp_path, ed, "marks")
    page.locator("#reading .var").first.click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "legend.png"))
    page.click("#panel-close")
    page.click("[data-tab=synopsis]")
    kinds = page.evaluate("""() => {
        const out = new Set();
        for (const e of document.querySelectorAll(
                '#reading .sup, #reading .var, #reading .om, #synopsis td, #synopsis .sup, '
                + '#synopsis .move'))
            out.add(e.tagName + '.' + [...e.classList].sort().join('.'));
        return [...out]; }""")
    legend = page.locator("#legend")
    for kind in kinds:  # each class a mark carries (they combine) has its legend sample
        tag, _, classes = kind.partition(".")
        for name in classes.split("."):
            sample = (".cell." if tag == "TD" else ".") + name
            assert legend.locator(sample).count() >= 1, f"{kind}: .{name} is not in the legend"
    text = legend.text_content()
    assert "\u2205" in text and "\u2038" in text and "synopsis" in text
    assert any("none" in k for k in kinds) and any("om" in k for k in kinds)
    assert any("moved" in k for k in kinds)


def test_synopsis_shows_a_moved_block_as_moved(page, tmp_path):
    ed = make_edition([("A", "the king rode out at first light with all his men"),
                       ("B", "at first light the king rode out with all his men")],
                      restore=False)
    open_edition(page, tmp_path, ed, "moved")
    page.click("[data-tab=synopsis]")
    cells = page.locator("#synopsis td.moved")
    assert cells.count() == 2
    assert [" ".join(t.split()) for t in cells.all_inner_texts()] == ["⇄ at first light"] * 2
    assert "moved: A has this passage at row" in cells.first.get_attribute("title")
    assert not page.errors and not page.dialogs


def test_synopsis_shows_a_lost_witness_as_lost(page, tmp_path):
    from tests.test_evidence import A, B, C, D

    ed = make_edition([("A", A), ("B", B), ("C", C), ("D", D)])
    open_edition(page, tmp_path, ed, "lost")
    page.click("[data-tab=synopsis]")
    cells = page.evaluate("""() => [...document.querySelectorAll('#synopsis tbody tr')].map(
        tr => [...tr.children].map(td => [td.className, td.textContent]))""")
    d = ed.ids.index("D")
    lost = [row[d] for row in cells if len(row) == len(ed.ids) and "[" in row[d][1]]
    assert len(lost) == 3, cells
    for cls, text in lost:
        assert "st-restored" in cls or "st-lost" in cls, (cls, text)
    page.locator("#synopsis td.st-restored .sup, #synopsis td.st-lost .sup").first.click()
    said = page.locator("#panel .wits").inner_text()
    assert re.search(r"D — (restored by collate, \d+ %|lost)", said), said
    why = page.locator("#panel .cands .why").first.inner_text()  # why it was proposed
    assert re.search(r"^[ABC] reads “.*\[\w+\].*” \(line 1, column \d+\)$", why), why


@pytest.mark.parametrize("width", WIDTHS)
def test_every_view_fits_the_screen(browser, tmp_path, width):
    from tests.test_evidence import A, B, C, D

    ed = make_edition([("A", A), ("B", B), ("C", C), ("D", D)])
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    open_edition(page, tmp_path, ed, f"fit{width}")
    legend = page.locator("#legend")
    assert legend.evaluate("e => e.open") == (width > 1000)  # folded below a wide screen
    legend.evaluate("e => e.open = true")
    om, dt = (_rect(page, page.locator(f"#legend {sel}").first.element_handle())
              for sel in (".om", "dt:has(.om)"))
    assert dt["left"] <= om["left"] and om["right"] <= dt["right"]  # the sample is not clipped
    assert not page.locator("#legend dd").first.inner_text().startswith(("\u2038", "\u2205"))
    meta = page.locator("header .meta").inner_text()
    assert re.search(r"\b1 variant places\b|\b1 lacunae\b", meta) is None, meta
    none = page.locator("#legend .sup.none").first  # as the reading text draws it
    assert none.evaluate("e => getComputedStyle(e).fontWeight") in ("400", "normal")
    legend.evaluate("e => e.open = false")
    page.locator("#reading .var").first.click()  # a note open in the reading text ...
    assert page.locator("#panel").is_visible()
    page.click("[data-tab=synopsis]")  # ... does not follow into the synopsis
    assert not page.locator("#panel").is_visible()
    table = _rect(page, page.locator("#synopsis").element_handle())
    assert table["right"] <= width + 0.5, (width, table)  # every witness's column on screen
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"fit_{width}.png"))
    page.close()
