"""The HTML edition in a real browser: headless Chromium driven by Playwright.

Clicking a restoration shows its candidates, clicking a variant shows every witness's reading,
the synoptic view lines the witnesses up, hostile witness text stays inert, and a book-length
edition keeps a light DOM. Each run writes its screenshots to out/screenshots/ (or
$COLLATE_SCREENSHOTS); the ones in tests/screenshots/ are a reviewed copy.
"""

from __future__ import annotations

import os
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


def test_book_length_stays_light(page, tmp_path):
    folder = DATA / "darwin_origin" / "ch01"
    if not folder.exists():
        pytest.skip(f"real data not found: {folder}")
    ed = make_edition(read_witnesses(sorted(folder.glob("*.txt"))))
    t0 = time.perf_counter()
    open_edition(page, tmp_path, ed, "darwin")
    assert time.perf_counter() - t0 < 10
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    assert nodes < 3000  # lazily rendered: only the first chunks are in the DOM
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for _ in range(50):  # wait_for_function would need eval, which the page's CSP forbids
        if page.evaluate("document.getElementsByTagName('*').length") > nodes:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("scrolling to the end rendered nothing more")
    page.click("[data-tab=synopsis]")
    rows = page.locator("#synopsis tbody tr").count()
    assert rows < len(ed.segments)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for _ in range(50):
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
