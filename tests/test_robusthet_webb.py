"""Hostile text in the register and from the units, in a real browser: shown as text, never run.

A register whose åtgärd titles and målområde names hold `<img src=x onerror=…>`, `<script>` and
Markdown is built into a book; headless Chromium opens every page offline. No dialog may open,
no element from the data may exist, and the text must read exactly as written – in headings,
the table of contents, previous/next links, the print header and the start pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import make_project, read_rows, small_data, write_rows
from helpers.publish.pipeline import run_year

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
YEAR = 2026

# No quotes or dashes in the texts: Sphinx typesets those (smartquotes), which is not what is tested.
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
TITEL_1 = f"Företagslotsen {IMG} & **mer**"
TITEL_2 = f"Uppföljning {SCRIPT} {{{{ x }}}} $y$"
NAMN_1 = "Service <img src=x onerror=alert(3)><script>alert(4)</script> [länk](javascript:alert(5))"
KOMMENTAR = "<img src=x onerror=alert(6)> `kod` <b>fet</b>"
INDIKATOR = "<svg onload=alert(7)>Antal</svg>"
OVRIGT = "Se <img src=x onerror=alert({n})> nedan"  # justering, kopplingar, källor, lärdomar


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory):
    base = tmp_path_factory.mktemp("fientlig")
    data = small_data(base / "src", atgarder=("1.1", "1.2"))
    plan = data / "plan"
    for name, key, column, value in (("atgarder", "1.1", "titel", TITEL_1), ("atgarder", "1.2", "titel", TITEL_2),
                                     ("malomraden", "1", "namn", NAMN_1), ("indikatorer", "1.1-1", "text", INDIKATOR)):
        rows = read_rows(plan / f"{name}.csv")
        id_col = list(rows[0])[0]
        for r in rows:
            if r[id_col] == key:
                r[column] = value
        write_rows(plan / f"{name}.csv", rows)
    status = data / str(YEAR) / "status.exempeldata.csv"
    rows = read_rows(status)
    rows[0]["kommentar"] = KOMMENTAR
    rows[1]["behov_av_justering"], rows[1]["justering"] = "ja", OVRIGT.format(n=8)
    rows[1]["justering_typ"] = "egen åtgärd"
    write_rows(status, rows)
    for path, column in ((plan / "kopplingar.csv", "beskrivning"),
                         (data / "foretagsklimat" / "insikt_publicerat.csv", "kalla")):
        rows = read_rows(path)
        for r in rows:
            r[column] = OVRIGT.format(n=9)
        write_rows(path, rows)
    lardomar = data / str(YEAR) / "lardomar.exempeldata.csv"
    lardomar.write_text(lardomar.read_text(encoding="utf-8") + f"förslag;1.1;{OVRIGT.format(n=10)}\n", encoding="utf-8")
    layout = make_project(base / "projekt", data)
    run_year(YEAR, layout, jobs=2, log=lambda *_: None)
    return layout


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} is missing: the browser tests need the system Chromium (never downloaded)."
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


READ_JS = """() => ({
  h1: [...document.querySelectorAll('article h1')].map(e => e.innerText),
  print: [...document.querySelectorAll('#jb-print-docs-body h1')].map(e => e.textContent.trim()),
  nav: [...document.querySelectorAll('nav.bd-links a')].map(e => e.innerText.trim()),
  prevnext: [...document.querySelectorAll('.prev-next-area a')].map(e => e.innerText.replace(/\\s+/g, ' ').trim()),
  title: document.title,
  body: document.body.innerText,
  injected: [...document.querySelectorAll('img[src="x"], svg[onload], script:not([src])')]
    .filter(e => /alert\\(/.test(e.outerHTML)).map(e => e.outerHTML.slice(0, 80)),
  fromData: [...document.querySelectorAll('b, strong, em, code')].map(e => e.innerText)
    .filter(t => ['fet', 'mer', 'kod'].includes(t)),
})"""


@pytest.fixture(scope="module")
def pages_read(browser, hostile_book):
    layout = hostile_book
    html = layout.html(YEAR)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
              else (blocked.append(route.request.url), route.abort()))
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    read = {}
    for path in [*sorted(html.glob("*.html")), layout.build / "html" / "index.html"]:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(200)  # onerror handlers fire after the failed image load
        read[path.name if path.parent == html else "landing"] = page.evaluate(READ_JS)
    page.emulate_media(media="print")
    page.goto((html / "atgard_1_1.html").as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    # The page title as printed (the book prints the article's own h1; the theme's print header is gone).
    printed = page.evaluate("() => { const h = document.querySelector('#jb-print-docs-body h1, article.bd-article h1');"
                            " const c = h.cloneNode(true); c.querySelectorAll('a.headerlink').forEach(a => a.remove());"
                            " return c.textContent.trim(); }")
    ctx.close()
    return read, dialogs, blocked, printed


def test_no_script_from_the_data_runs_anywhere(pages_read):
    read, dialogs, blocked, _ = pages_read
    assert dialogs == []
    assert {name: r["injected"] for name, r in read.items() if r["injected"]} == {}
    assert {name: r["fromData"] for name, r in read.items() if r["fromData"]} == {}
    assert len(read) >= 8  # every page of the book, the search page and the landing page


def test_titles_read_exactly_as_the_register_writes_them(pages_read):
    read, _, _, printed = pages_read
    page_1 = read["atgard_1_1.html"]
    assert page_1["h1"][0].startswith(f"1.1 {TITEL_1}")
    # The book replaced the theme's print-only title header (it prints the article's own h1, read
    # as `printed` below); should the header come back, it must show the title as text.
    assert page_1["print"] in ([], [f"1.1 {TITEL_1}"])
    assert printed == f"1.1 {TITEL_1}"
    assert page_1["title"].startswith(f"1.1 {TITEL_1}")
    assert read["atgard_1_2.html"]["h1"][0].startswith(f"1.2 {TITEL_2}")
    assert read["malomrade_1.html"]["h1"][0].startswith(f"1. {NAMN_1}")


def test_navigation_shows_the_titles_as_text(pages_read):
    read, _, _, _ = pages_read
    nav = read["atgard_1_2.html"]["nav"]
    assert f"1.1 {TITEL_1}" in nav and f"1.2 {TITEL_2}" in nav and f"1. {NAMN_1}" in nav
    prevnext = " | ".join(read["atgard_1_2.html"]["prevnext"])
    assert f"1.1 {TITEL_1}" in prevnext
    start = read["index.html"]["body"]
    assert f"Målområde 1. {NAMN_1}" in start and f"1.2 {TITEL_2}" in start


def test_comments_and_indicator_texts_show_as_text(pages_read):
    read, _, _, _ = pages_read
    body = read["atgard_1_1.html"]["body"]
    assert KOMMENTAR in body
    assert INDIKATOR in read["bilaga_malomrade_1.html"]["body"]  # the indicator table is in the målområde's bilaga
    assert OVRIGT.format(n=8) in read["atgard_1_2.html"]["body"]
    assert OVRIGT.format(n=9) in read["bilaga_foretagsklimat.html"]["body"]  # published results, with their source
    assert OVRIGT.format(n=10) in read["samlad_analys.html"]["body"]
