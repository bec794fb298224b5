"""The first screen of the 2026 edition, as a politician sees it on a laptop (1280 × 900).

Kommunstyrelsen should find the verdict, the deviations and the proposals without scrolling, and
every åtgärd in one table further down. The expectations are computed from the same data with
`analyse`, so the test checks that the page says what the computation says – not a copy of it.

Runs against the shipped data built once per session (`shipped_book` in conftest.py), offline,
in the system Chromium (never downloaded); skipped locally without it, a failure on CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.compute.analysis import analyse
from helpers.compute.oversikt import AVVIKELSE, SIGNALER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

YEAR = 2026
WIDTH, HEIGHT = 1280, 900
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    on_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    if not CHROMIUM.exists():
        if on_ci:
            pytest.fail(f"{CHROMIUM} is missing: install the Debian chromium package.", pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def built(browser, request):
    layout, _ = request.getfixturevalue("shipped_book")
    return layout, analyse(YEAR, layout.data)


FIRST_SCREEN_JS = """() => {
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
                     return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: e.innerText.trim()}; };
  const q = s => document.querySelector(s);
  return {
    verdict: box(q('.uppf-bedomning')),
    deviationsHeading: box(q('#avvikelser-rubrik')),
    deviations: [...document.querySelectorAll('.uppf-avvikelser li')].map(box),
    deviationLinks: [...document.querySelectorAll('.uppf-avvikelser li a')].map(a => a.getAttribute('href')),
    proposalsHeading: box(q('#forslag-rubrik')),
    proposals: [...document.querySelectorAll('.uppf-forslag ol li')].map(box),
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""

TABLE_JS = """() => {
  const t = document.querySelector('table.uppf-oversikt');
  if (!t) return null;
  return {
    caption: t.caption ? t.caption.innerText.trim() : '',
    head: [...t.querySelectorAll('thead th')].map(th => th.innerText.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map(tr => ({
      links: [...tr.cells[0].querySelectorAll('a')].map(a => a.getAttribute('href')),
      status: tr.cells[1].innerText.trim(),
      signal: tr.cells[2].querySelector('.uppf-signal') ? tr.cells[2].querySelector('.uppf-signal').innerText.trim() : '',
    })),
    tables: document.querySelectorAll('table.uppf-oversikt').length,
  };
}"""


@pytest.fixture(scope="module")
def first_screen(browser, built):
    layout, _an = built
    ctx = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="sv-SE")
    blocked = []
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
              else (blocked.append(r.request.url), r.abort()))
    page = ctx.new_page()
    page.goto((layout.html(YEAR) / "index.html").as_uri(), wait_until="load")
    page.wait_for_timeout(150)
    dom = page.evaluate(FIRST_SCREEN_JS)
    table = page.evaluate(TABLE_JS)
    ctx.close()
    assert not blocked, blocked
    return dom, table


def on_screen(box) -> bool:
    return box is not None and box["top"] >= 0 and box["bottom"] <= HEIGHT and box["right"] <= WIDTH


def test_the_verdict_is_on_the_first_screen_and_says_what_the_computation_says(first_screen, built):
    dom, _ = first_screen
    _, an = built
    assert on_screen(dom["verdict"]), dom["verdict"]
    assert dom["verdict"]["text"] == an.oversikt.bedomning
    assert dom["scrollWidth"] <= WIDTH


def test_every_deviation_is_on_the_first_screen(first_screen, built):
    dom, _ = first_screen
    _, an = built
    deviating = list(an.oversikt.deviating.index)
    assert deviating, "the shipped data should show at least one deviation"
    assert on_screen(dom["deviationsHeading"]), dom["deviationsHeading"]
    assert dom["deviationsHeading"]["text"] == f"Avvikelser och risker ({len(deviating)})"
    assert dom["deviationLinks"] == [f"atgard_{a.replace('.', '_')}.html" for a in deviating]
    off = [d["text"][:60] for d in dom["deviations"] if not on_screen(d)]
    assert not off, f"deviations below the first screen: {off}"


def test_the_proposals_start_on_the_first_screen(first_screen, built):
    dom, _ = first_screen
    _, an = built
    assert on_screen(dom["proposalsHeading"]), dom["proposalsHeading"]
    assert dom["proposalsHeading"]["text"] == f"Förslag till beslut ({len(an.oversikt.forslag)})"
    assert len(dom["proposals"]) == len(an.oversikt.forslag) > 0
    assert on_screen(dom["proposals"][0]), dom["proposals"][0]
    visible = sum(on_screen(p) for p in dom["proposals"])
    assert visible >= min(3, len(dom["proposals"])), f"only {visible} proposals on the first screen"


def test_every_atgard_is_in_one_table_with_status_and_signal(first_screen, built):
    _, table = first_screen
    _, an = built
    assert table is not None and table["tables"] == 1
    assert table["head"] == ["Åtgärd", "Status", "Signal", "Mål", "Enhetens sammanfattning", "Justering"]
    expected = [f"atgard_{a.replace('.', '_')}.html" for a in an.plan.order]
    assert [r["links"] for r in table["rows"]] == [[href] for href in expected]
    words = {s: s.capitalize() for s in SIGNALER}
    for aid, row in zip(an.plan.order, table["rows"]):
        o = an.oversikt.table.loc[aid]
        assert row["status"] == o["status"].capitalize(), aid
        assert row["signal"].endswith(words[o["signal"]]), (aid, row["signal"])
    assert sum(r["signal"].endswith(words[AVVIKELSE]) for r in table["rows"]) == an.oversikt.avvikelser
