"""The built book, as a reader sees it: headless Chromium against the static HTML, offline.

Every page is opened through a file:// URL and every request that is not file:// is aborted and
recorded, so the tests also prove that the book works without a network. The book is the shipped
data built once per session (the `shipped_book` fixture in conftest.py).

Chromium is the system one (/usr/bin/chromium); nothing is ever downloaded. Without it the module
is skipped locally but fails on CI (CI=true), where a silently skipped browser suite would hide
a broken book.
"""

from __future__ import annotations

import csv
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import DATA

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
PLAN = DATA / "plan"
YEAR = 2026
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

STATUSES = {"Ej påbörjad", "Pågående", "Genomförd", "Avslutad"}
ATGARD_SECTIONS = ("Resultat enligt ansvarig", "Behov av justering")  # indicators, links, plan text: its bilaga


# --- the plan, read straight from the register the book is built from --------------------------

def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


ATGARDER = _rows(PLAN / "atgarder.csv")
INDIKATORER = _rows(PLAN / "indikatorer.csv")
MALOMRADEN = _rows(PLAN / "malomraden.csv")
KOPPLINGAR = _rows(PLAN / "kopplingar.csv")
STATUS_2026 = {r["atgard_id"]: r["status"] for r in _rows(DATA / str(YEAR) / "status.exempeldata.csv")}


def atgard_page(atgard_id: str) -> str:
    return f"atgard_{atgard_id.replace('.', '_')}.html"


ATGARD_PAGES = [atgard_page(r["atgard_id"]) for r in ATGARDER]
MALOMRADE_PAGES = [f"malomrade_{r['malomrade_id']}.html" for r in MALOMRADEN]
BILAGA_PAGES = [f"bilaga_malomrade_{r['malomrade_id']}.html" for r in MALOMRADEN] + ["bilaga_foretagsklimat.html"]
BOOK_PAGES = ["index.html", "samlad_analys.html", "foretagsklimat.html", *MALOMRADE_PAGES, *ATGARD_PAGES, *BILAGA_PAGES,
              "om_rapporten.html", "metod.html"]


# Sphinx "smartquotes" typesets the register's straight quotes ("starta eget-dagen") as Swedish
# ”starta eget-dagen”; that is typography, not a different title.
_QUOTES = str.maketrans({"”": '"', "“": '"', "„": '"', "’": "'", "‘": "'"})


def normalise(text: str) -> str:
    """Inner text as a reader reads it: collapsed whitespace, without the theme's "#" headerlink."""
    text = " ".join(text.translate(_QUOTES).split())
    return text[:-1].rstrip() if text.endswith("#") else text


def path_of(url: str) -> Path:
    return Path(unquote(urlparse(url).path)).resolve()


TITLES = {r["atgard_id"]: r["titel"] for r in ATGARDER}
ATGARD_IDS = [r["atgard_id"] for r in ATGARDER]


def heading(atgard_id: str) -> str:
    """The h1 of an åtgärd page as the register spells it: "<id> <titel>"."""
    return normalise(f"{atgard_id} {TITLES[atgard_id]}")


# --- WCAG 2.1 contrast, computed in Python from getComputedStyle colours ------------------------

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")


def parse_colour(css: str) -> tuple[float, float, float, float]:
    m = _RGB.fullmatch(css.strip())
    assert m, f"unexpected computed colour format: {css!r}"
    alpha = m.group(4)
    a = 1.0 if alpha is None else (float(alpha[:-1]) / 100 if alpha.endswith("%") else float(alpha))
    return float(m.group(1)), float(m.group(2)), float(m.group(3)), a


def over(top: tuple, below: tuple) -> tuple:
    a = top[3]
    return tuple(top[i] * a + below[i] * (1 - a) for i in range(3)) + (1.0,)


def luminance(c: tuple) -> float:
    def lin(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


def contrast(fg: tuple, bg: tuple) -> float:
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def effective_contrast(colour: str, backgrounds: list[str]) -> float:
    """Text colour over the element's background stack (element first, root last) over white."""
    bg: tuple = (255.0, 255.0, 255.0, 1.0)
    for layer in reversed(backgrounds):
        bg = over(parse_colour(layer), bg)
    return contrast(over(parse_colour(colour), bg), bg)


# Every rendered element in the article that has text of its own (for the dark-mode check).
TEXT_COLOURS_JS = """() => [...document.querySelectorAll('article.bd-article *')]
  .filter(el => !el.closest('a.headerlink') && el.getClientRects().length > 0 &&
                [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(el => {
    const bgs = [];
    for (let e = el; e; e = e.parentElement) bgs.push(getComputedStyle(e).backgroundColor);
    return {what: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).replace(/ /g, '.') : ''),
            text: el.innerText.trim().slice(0, 60), colour: getComputedStyle(el).color, bgs};
  })"""


# --- browser fixtures ----------------------------------------------------------------------------

@dataclass
class Site:
    edition: Path   # _build/html/2026
    landing: Path   # _build/html/index.html

    def url(self, name: str) -> str:
        return (self.edition / name).as_uri()


@dataclass
class Offline:
    """A browser context that only lets file:// through and records everything else."""
    context: object
    blocked: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} is missing: the browser tests need the system Chromium (never downloaded)."
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(msg + " On CI this is a failure, not a skip: install the Debian chromium package.",
                        pytrace=False)
        pytest.skip(msg)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the test extra pins playwright
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"playwright is not installed: {exc}", pytrace=False)
        pytest.skip(f"playwright is not installed: {exc}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(browser, request) -> Site:
    # Looked up lazily so that a missing Chromium skips the module before the ~75 s build.
    layout, _result = request.getfixturevalue("shipped_book")
    s = Site(edition=layout.html(YEAR), landing=layout.build / "html" / "index.html")
    assert (s.edition / "index.html").is_file(), f"no built edition at {s.edition}"
    return s


@pytest.fixture(scope="module")
def reader(browser):
    """One offline context (light colour scheme, desktop width) shared by the reader tests."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light", locale="sv-SE")
    offline = Offline(ctx)
    yield offline
    ctx.close()


@pytest.fixture
def page(reader):
    reader.blocked.clear()
    pg = reader.context.new_page()
    yield pg
    pg.close()


# Everything the page-wide checks need, read from one load of a page (one pass over the book
# instead of one per check). Runs after the page's scripts, as the reader sees it.
SNAPSHOT_JS = """() => {
  const visible = e => e.getClientRects().length > 0;
  const colours = selector => [...document.querySelectorAll(selector)].filter(visible).map(el => {
    const bgs = [];
    for (let e = el; e; e = e.parentElement) bgs.push(getComputedStyle(e).backgroundColor);
    return {what: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).replace(/ /g, '.') : ''),
            text: el.innerText.trim().slice(0, 60), colour: getComputedStyle(el).color, bgs};
  });
  return {
    lang: document.documentElement.getAttribute('lang'),
    visibleCellInputs: [...document.querySelectorAll('div.cell_input')].filter(visible).length,
    pres: [...document.querySelectorAll('pre')].map(e => e.textContent),
    text: document.body.innerText,
    bodyBackground: getComputedStyle(document.body).backgroundColor,
    imgs: [...document.querySelectorAll('img')].map(e => ({
      alt: e.getAttribute('alt'), chart: !!e.closest('figure.uppf-diagram'),
      src: (e.getAttribute('src') || '').slice(0, 30), complete: e.complete, width: e.naturalWidth})),
    tables: [...document.querySelectorAll('table')].map(t => ({
      caption: t.caption ? t.caption.innerText.trim() : '',
      unscoped: [...t.querySelectorAll('thead th')].filter(th => th.getAttribute('scope') !== 'col')
                                                   .map(th => th.innerText.trim())})),
    badges: colours('.uppf-status, .uppf-utfall'),
    smallText: colours('main figcaption, main small'),
    wraps: [...document.querySelectorAll('.uppf-tabell-wrap')].map(e => {
      const widest = Math.max(0, ...[...e.querySelectorAll('td, th')].map(c => c.getBoundingClientRect().width));
      e.focus();
      return {tabindex: e.getAttribute('tabindex'), label: (e.getAttribute('aria-label') || '').trim(),
              role: e.getAttribute('role'), focused: document.activeElement === e,
              visibleWidth: e.clientWidth, widestCell: widest};
    }),
    // Page content, read from the article only (not the sidebar or the prev/next footer).
    h1: (() => { const h = document.querySelector('article.bd-article h1') || document.querySelector('h1');
                 return h ? h.innerText : null; })(),
    h2s: [...document.querySelectorAll('article.bd-article h2')].map(e => e.innerText),
    ownStatuses: [...document.querySelectorAll('article.bd-article .uppf-status')]
      .filter(e => !e.closest('.uppf-kopplingar')).map(e => ({text: e.innerText.trim(), visible: visible(e)})),
    indicatorTables: [...document.querySelectorAll('article.bd-article table.uppf-indikatorer')].map(t => ({
      head: [...t.querySelectorAll('thead th')].map(th => th.innerText.trim()),
      rows: [...t.querySelectorAll('tbody tr')].map(tr => {
        const cell = tr.cells[0];
        const id = cell ? cell.querySelector(':scope > [data-indikator]') : null;
        return {id: id ? id.getAttribute('data-indikator') : null,
                leads: !!id && cell.firstElementChild === id && cell.textContent.trim().startsWith(id.textContent.trim()),
                cell: cell ? cell.textContent.trim().slice(0, 40) : ''};
      })})),
    exempeldata: [...document.querySelectorAll('.uppf-exempeldata')].filter(visible).map(e => e.innerText),
    articleLinks: [...document.querySelectorAll('article.bd-article a[href]')].map(a => a.getAttribute('href')),
    bilagaLinks: Object.fromEntries([...document.querySelectorAll('section.uppf-bilaga-atgard')].map(
      s => [s.id, [...s.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))])),
  };
}"""


@dataclass
class Visit:
    console_errors: list[str]
    page_errors: list[str]
    blocked: list[str]
    dom: dict


@pytest.fixture(scope="module")
def tour(browser, site) -> dict[str, Visit]:
    """Every page opened once, as on a reader's first visit (storage emptied before its scripts run)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light", locale="sv-SE")
    ctx.add_init_script("try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}")
    offline = Offline(ctx)
    pg = ctx.new_page()
    console: list[str] = []
    errors: list[str] = []
    pg.on("console", lambda m: console.append(f"{m.text} ({m.location.get('url', '')})") if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("websocket", lambda ws: offline.blocked.append(ws.url))
    visits = {}
    targets = [(name, site.url(name)) for name in [*BOOK_PAGES, "search.html"]] + [(LANDING, site.landing.as_uri())]
    for name, url in targets:
        console.clear(), errors.clear(), offline.blocked.clear()
        pg.goto(url, wait_until="load")
        pg.wait_for_timeout(150)  # let deferred handlers and timers run
        dom = pg.evaluate(SNAPSHOT_JS)
        visits[name] = Visit(list(console), list(errors), list(offline.blocked), dom)
    ctx.close()
    return visits


LANDING = "landing page"
READER_PAGES = [*BOOK_PAGES, LANDING]


# --- 1. pages load offline with a clean console --------------------------------------------------

def test_every_page_loads_offline_with_a_clean_console(tour):
    problems = [f"{name}: {kind}: {what}"
                for name, v in tour.items()
                for kind, items in (("console error", v.console_errors), ("page error", v.page_errors),
                                    ("non-file request", v.blocked))
                for what in items]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", READER_PAGES)
def test_tables_have_captions_and_column_scopes(tour, name):
    problems = []
    for i, t in enumerate(tour[name].dom["tables"], 1):
        if not t["caption"]:
            problems.append(f"table {i} has no caption")
        if t["unscoped"]:
            problems.append(f"table {i} ({t['caption']!r}): thead th without scope=col: {t['unscoped']}")
    assert not problems, "\n".join(problems)


def _contrast_problems(name: str, elements: list[dict]) -> list[str]:
    out = []
    for el in elements:
        ratio = effective_contrast(el["colour"], el["bgs"])
        if ratio < 4.5:
            bg = next((b for b in el["bgs"] if not re.search(r",\s*0\)$", b)), "white")
            out.append(f"{name}: {el['what']} {el['text']!r}: {el['colour']} on {bg} = {ratio:.2f}:1")
    return out


def test_badges_have_enough_contrast(tour):
    badges = [(name, tour[name].dom["badges"]) for name in BOOK_PAGES]
    assert sum(len(b) for _, b in badges) > 0, "no status/utfall badges found"
    problems = [p for name, b in badges for p in _contrast_problems(name, b)]
    assert not problems, "\n".join(problems)


def test_figcaptions_and_small_text_have_enough_contrast(tour):
    smalls = [(name, tour[name].dom["smallText"]) for name in READER_PAGES]
    assert sum(len(s) for _, s in smalls) > 0, "no figcaption/small text found"
    # Measured against the real background stack; on these pages that is the white page (next test).
    problems = [p for name, s in smalls for p in _contrast_problems(name, s)]
    assert not problems, "\n".join(problems)


def test_page_background_is_white(tour):
    other = {n: tour[n].dom["bodyBackground"] for n in READER_PAGES
             if parse_colour(tour[n].dom["bodyBackground"])[:3] != (255, 255, 255)
             and parse_colour(tour[n].dom["bodyBackground"])[3] != 0}
    assert not other, other


def test_scrollable_tables_are_focusable_and_labelled(tour):
    problems, wraps = [], 0
    for name in BOOK_PAGES:
        for w in tour[name].dom["wraps"]:
            wraps += 1
            if w["tabindex"] != "0" or not w["focused"]:
                problems.append(f"{name}: table wrapper not keyboard-focusable (tabindex={w['tabindex']!r})")
            if not w["label"]:
                problems.append(f"{name}: table wrapper without aria-label")
            if w["role"] != "region":
                problems.append(f"{name}: labelled table wrapper without role=region ({w['label']!r})")
    assert wraps > 0, "no .uppf-tabell-wrap found"
    assert not problems, "\n".join(problems)


# --- 2. the landing page leads to the edition ---------------------------------------------------

def h1_of(pg) -> str:
    h1 = pg.locator("article.bd-article h1")
    assert h1.count() == 1, f"{pg.url}: expected one h1 in the article, found {h1.count()}"
    return normalise(h1.inner_text())


def test_landing_page_links_once_to_the_edition_and_the_link_opens_it(page, site, reader):
    page.goto(site.landing.as_uri())
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(a => a.href)")
    index = (site.edition / "index.html").resolve()
    into_edition = [i for i, h in enumerate(hrefs) if h.startswith("file:") and path_of(h) == index]
    assert len(into_edition) == 1, f"expected exactly one link to the {YEAR} edition, found: {hrefs}"
    # Besides the edition itself, the landing page links only to its PDF and its tillgänglighetsredogörelse.
    others = {path_of(h).name for h in hrefs if h.startswith("file:") and site.edition.resolve() in path_of(h).parents
              and path_of(h) != index}
    assert others <= {f"uppfoljningsrapport-{YEAR}.pdf", "tillganglighet.html"}, others
    with page.expect_navigation():
        page.locator("a[href]").nth(into_edition[0]).click()
    assert path_of(page.url) == index, page.url
    assert h1_of(page) == f"Uppföljningsrapport {YEAR}"
    assert not reader.blocked, reader.blocked


# --- 3. navigation: the sidebar reaches every åtgärd -------------------------------------------

SIDEBAR = "nav.bd-docs-nav"
_ATGARD_HREF = re.compile(r"atgard_\d+_\d+\.html")


def test_sidebar_links_exactly_the_atgard_pages(page, site):
    page.goto(site.url("index.html"))
    hrefs = page.locator(f"{SIDEBAR} a[href]").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    atgard_links = [h for h in hrefs if _ATGARD_HREF.fullmatch(h.split("#")[0])]
    assert atgard_links == ATGARD_PAGES, (
        f"sidebar åtgärd links differ from the register:\n  sidebar:  {atgard_links}\n  register: {ATGARD_PAGES}")


@pytest.mark.parametrize("atgard_id", ATGARD_IDS)
def test_sidebar_link_opens_the_atgard_page(page, site, reader, atgard_id):
    name = atgard_page(atgard_id)
    page.goto(site.url("index.html"))
    link = page.locator(f'{SIDEBAR} a[href="{name}"]')
    assert link.count() == 1, f"index.html sidebar has {link.count()} links to {name}"
    if not link.is_visible():  # its målområde is collapsed: open it as a reader would
        section = link.locator("xpath=ancestor::details[1]")
        assert section.count() == 1, f"{name} is hidden in the sidebar and not inside a collapsible section"
        # The theme's <summary> is a zero-height row; what the reader clicks is its chevron.
        toggle = section.locator(":scope > summary .toctree-toggle")
        (toggle if toggle.count() else section.locator(":scope > summary")).click(timeout=5_000)
    assert link.is_visible(), f"{name} is still hidden in the sidebar after opening its målområde"
    with page.expect_navigation():
        link.click()
    assert path_of(page.url) == (site.edition / name).resolve(), page.url
    assert h1_of(page) == heading(atgard_id)
    assert not reader.blocked, reader.blocked


# --- 4. the åtgärd pages --------------------------------------------------------------------------

def linked_atgarder(atgard_id: str) -> list[str]:
    """Åtgärder the register links to or from this one (typ "åtgärd", either direction)."""
    out = []
    for r in KOPPLINGAR:
        if r["typ"] != "åtgärd":
            continue
        if r["fran_atgard"] == atgard_id:
            out.append(r["till_atgard"])
        elif r["till_atgard"] == atgard_id:
            out.append(r["fran_atgard"])
    return out


def test_register_has_links_between_atgarder():
    # Guards the link check below against a register (or a parser) that yields nothing to check.
    assert linked_atgarder("5.1") == ["6.1"] and linked_atgarder("6.1") == ["5.1"]


@pytest.mark.parametrize("atgard_id", ATGARD_IDS)
def test_atgard_page_content(tour, atgard_id):
    name = atgard_page(atgard_id)
    dom = tour[name].dom
    problems = []

    if normalise(dom["h1"] or "") != heading(atgard_id):
        problems.append(f"h1 is {dom['h1']!r}, expected {heading(atgard_id)!r}")

    statuses = [s for s in dom["ownStatuses"] if s["visible"]]
    expected_status = STATUS_2026[atgard_id].capitalize()
    if len(statuses) != 1:
        problems.append(f"expected one visible status badge (.uppf-status) for the åtgärd, found {statuses}")
    for s in statuses:
        if s["text"] not in STATUSES:
            problems.append(f"status badge {s['text']!r} is not one of {sorted(STATUSES)}")
        elif s["text"] != expected_status:
            problems.append(f"status badge {s['text']!r}, but status.exempeldata.csv says {expected_status!r}")

    # The full indicator table and the links are in the målområde's bilaga, which the chapter links to.
    malomrade = next(r["malomrade_id"] for r in ATGARDER if r["atgard_id"] == atgard_id)
    bilaga = f"bilaga_malomrade_{malomrade}.html"
    anchor = f"{bilaga}#bilaga-{atgard_id.replace('.', '-')}"
    if anchor not in dom["articleLinks"]:
        problems.append(f"no link to its bilaga section {anchor!r}")
    expected_ids = [r["indikator_id"] for r in INDIKATORER if r["atgard_id"] == atgard_id]
    tables = [t for t in tour[bilaga].dom["indicatorTables"]
              if t["rows"] and all((r["id"] or "").startswith(f"{atgard_id}-") for r in t["rows"])]
    if len(tables) != 1:
        problems.append(f"expected one table.uppf-indikatorer, found {len(tables)}")
    else:
        t = tables[0]
        ids = [r["id"] for r in t["rows"]]
        if ids != expected_ids:
            problems.append(f"indicator rows {ids}, expected {expected_ids} (indikatorer.csv)")
        problems += [f"indicator row {r['cell']!r} does not start with the indicator's name (data-indikator)"
                     for r in t["rows"] if not r["leads"]]
        for year in ("2025", "2026"):
            if not any(year in th for th in t["head"]):
                problems.append(f"indicator table header {t['head']} has no {year} column")

    h2s = [normalise(h) for h in dom["h2s"]]
    problems += [f"no h2 section {s!r} (h2s: {h2s})" for s in ATGARD_SECTIONS if s not in h2s]

    if not any("Exempeldata" in e for e in dom["exempeldata"]):
        problems.append("no visible .uppf-exempeldata banner saying 'Exempeldata'")

    section = tour[bilaga].dom["bilagaLinks"].get(f"bilaga-{atgard_id.replace('.', '-')}")
    if section is None:
        problems.append(f"{bilaga} has no section for {atgard_id}")
    for other in linked_atgarder(atgard_id):
        if atgard_page(other) not in (section or []):
            problems.append(f"kopplingar.csv links {atgard_id} and {other}, but its section in {bilaga} has no "
                            f"a[href={atgard_page(other)!r}]")
    assert not problems, f"{name}:\n" + "\n".join(problems)


def test_atgard_5_1_links_to_6_1_and_the_link_opens_it(page, site, reader):
    page.goto(site.url("bilaga_malomrade_5.html"))
    link = page.locator('article.bd-article #bilaga-5-1 a[href="atgard_6_1.html"]')
    assert link.count() >= 1, "bilaga_malomrade_5.html: 5.1's section does not link to atgard_6_1.html"
    with page.expect_navigation():
        link.first.click()
    assert path_of(page.url) == (site.edition / "atgard_6_1.html").resolve(), page.url
    assert h1_of(page) == heading("6.1")
    assert not reader.blocked, reader.blocked


# --- 5. readers see no code -----------------------------------------------------------------------

CODE_IN_PRE = ("analyse(", "atgard_id =")
CODE_IN_TEXT = ("analyse(", "data_dir")


@pytest.mark.parametrize("name", BOOK_PAGES)
def test_readers_see_no_code(tour, name):
    dom = tour[name].dom
    problems = []
    if dom["visibleCellInputs"]:
        problems.append(f"{dom['visibleCellInputs']} visible div.cell_input")
    problems += [f"<pre> with code ({needle!r}): {pre[:120]!r}"
                 for pre in dom["pres"] for needle in CODE_IN_PRE if needle in pre]
    problems += [f"visible text contains {needle!r} (…{dom['text'][max(0, i - 60):i + 60]!r}…)"
                 for needle in CODE_IN_TEXT if (i := dom["text"].find(needle)) >= 0]
    assert not problems, f"{name}:\n" + "\n".join(problems)


# --- 6. language and text alternatives --------------------------------------------------------------

_FILE_NAME = re.compile(r"\.(svg|png|jpe?g|gif|webp)\b", re.IGNORECASE)


def test_every_page_is_in_swedish(tour):
    assert set(READER_PAGES) <= set(tour), "the tour missed pages"
    wrong = {name: v.dom["lang"] for name, v in tour.items() if v.dom["lang"] != "sv"}
    assert not wrong, f'pages without <html lang="sv">: {wrong}'


def test_images_have_meaningful_alt_text(tour):
    problems, charts = [], 0
    for name, v in tour.items():
        for img in v.dom["imgs"]:
            alt = (img["alt"] or "").strip()
            what = f"{name}: img {img['src']!r}"
            if not alt:
                problems.append(f"{what}: alt is missing or empty")
                continue
            if _FILE_NAME.search(alt):
                problems.append(f"{what}: alt is a file name: {alt!r}")
            if img["chart"]:
                charts += 1
                if len(alt) <= 20:
                    problems.append(f"{what}: chart alt too short to describe the chart: {alt!r}")
                if not re.search(r"\d", alt):
                    problems.append(f"{what}: chart alt names no years or values: {alt!r}")
    assert charts > 0, "no chart images (figure.uppf-diagram img) found at all"
    assert not problems, "\n".join(problems)


# --- 7. charts ------------------------------------------------------------------------------------

def test_charts_render_offline(tour):
    problems, charts = [], 0
    for name in BOOK_PAGES:
        for img in (i for i in tour[name].dom["imgs"] if i["chart"]):
            charts += 1
            if not img["src"].startswith("data:image/svg+xml"):
                problems.append(f"{name}: chart is not an inline SVG data URI: {img['src']!r}")
            if not (img["complete"] and img["width"] > 0):
                problems.append(f"{name}: chart did not render (naturalWidth={img['width']})")
        problems += [f"{name}: non-file request {u}" for u in tour[name].blocked]
    assert charts > 0, "no charts found at all"
    for name in ("samlad_analys.html", "foretagsklimat.html"):
        assert any(i["chart"] for i in tour[name].dom["imgs"]), f"{name} has no chart"
    assert not problems, "\n".join(problems)


# --- 8. search ------------------------------------------------------------------------------------

def test_search_finds_foretagslotsen_offline(page, site, reader):
    page.goto(site.url("search.html") + "?q=företagslotsen")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results a')].some(a => a.getAttribute('href').startsWith('atgard_1_1.html'))",
        timeout=15_000)
    hits = page.locator("#search-results a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert any(h.split("?")[0].split("#")[0] == "atgard_1_1.html" for h in hits), hits
    assert not reader.blocked, reader.blocked


# --- 9. rendering sanity --------------------------------------------------------------------------

def test_screenshot_of_atgard_1_1(page, site, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 2000})
    page.goto(site.url("atgard_1_1.html"))
    shot = tmp_path / "atgard_1_1.png"
    page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert struct.unpack(">II", data[16:24]) == (1280, 2000)
    assert len(data) > 20_000, f"suspiciously small screenshot ({len(data)} bytes): blank page?"


# --- product problems found while writing these tests ---------------------------------------------

def test_no_table_cell_is_wider_than_the_visible_table_at_desktop_width(tour):
    problems = [f"{name}: a cell in {w['label']!r} is {w['widestCell']:.0f}px wide, only {w['visibleWidth']}px visible"
                for name in BOOK_PAGES for w in tour[name].dom["wraps"] if w["widestCell"] > w["visibleWidth"]]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("how", ["system preference", "colour-mode button"])
def test_dark_mode_readers_get_readable_text(browser, site, how):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark", locale="sv-SE")
    if how == "colour-mode button":  # what the theme stores when the reader picks dark
        ctx.add_init_script("try { localStorage.setItem('mode', 'dark'); } catch (e) {}")
    offline = Offline(ctx)
    pg = ctx.new_page()
    problems = []
    try:
        for name in ("index.html", "atgard_5_1.html", "malomrade_1.html", "samlad_analys.html"):
            pg.goto(site.url(name))
            for el in pg.evaluate(TEXT_COLOURS_JS):
                ratio = effective_contrast(el["colour"], el["bgs"])
                if ratio < 4.5:
                    problems.append(f"{name} ({pg.evaluate('document.documentElement.dataset.theme')} theme): "
                                    f"{el['what']} {el['text']!r} contrast {ratio:.2f}:1")
    finally:
        ctx.close()
    assert not offline.blocked, offline.blocked
    assert not problems, "\n".join(problems[:20])
