"""The book as a public-sector publication, checked as a reader, a screen reader and the diarium see it.

- WCAG 2.1 AA by axe-core (the npm package in node_modules/, run in Debian's Chromium) on every
  built page, the landing page and the search page included, at desktop and phone width: no serious
  or critical violation.
- Phones (390 px): nothing in the article is wider than the screen except inside a scroll box that
  shows it scrolls; chart text stays at least 11 px.
- Offline and clean: no request leaves the book, no console error (counted before axe is injected:
  axe's own stylesheet requests fail with CORS errors on file://).
- Swedish everywhere a reader or a screen reader looks: text, aria-label, title, placeholder.
- Keyboard: a Swedish skip link first, every control reachable, focus always visible.
- The PDF for the diarium: A4, title page, table of contents whose page numbers are right, page
  numbers, outline, metadata, every chapter, vector charts, no web controls, nothing cut off.
- Editions: one shared list at the book's root; a page links to the same chapter in another year;
  building one year never changes another year's pages or PDF.

The book is the shipped data built once per session (`shipped_book` in conftest.py); the editions
test builds small fixture data for two years.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import copy_small_book, tree_digest
from test_browser import Offline

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
YEAR = 2026
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(msg: str):
    if _on_ci():
        pytest.fail(msg + " On CI this is a failure, not a skip.", pytrace=False)
    pytest.skip(msg)


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: install Debian's chromium (make browser).")
    if not AXE.exists():
        _missing(f"{AXE} is missing: install axe-core with npm ci (make test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Reader:
    """A browser context that lets only file:// through and records everything a page did wrong."""

    def __init__(self, browser, viewport, **kw):
        self.context = browser.new_context(viewport=viewport, color_scheme="light", locale="sv-SE", **kw)
        self.blocked = Offline(self.context).blocked  # only file:// gets through; the rest is recorded
        self.console: list[str] = []
        self.page = None
        self._new_page()

    def _new_page(self):
        """A fresh tab: messages that a previous page logs late (axe's CORS errors) land on its own tab."""
        if self.page is not None:
            self.page.close()
        self.page = page = self.context.new_page()
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" and page is self.page else None)
        page.on("pageerror", lambda e: self.console.append(f"page error: {e}") if page is self.page else None)
        page.on("websocket", lambda ws: self.blocked.append(ws.url))

    def open(self, path: Path) -> tuple[list[str], list[str]]:
        """Load a page; return (console errors, blocked requests) of the load alone."""
        self._new_page()
        self.console.clear()
        self.blocked.clear()
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_timeout(150)
        return list(self.console), list(self.blocked)

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def book(browser, request):
    """The shipped 2026 book with its PDF (written by the same function as `make pdf`, once per session)."""
    return request.getfixturevalue("shipped_printed")


def reader_pages(layout) -> list[tuple[str, Path]]:
    """Every built HTML page of the edition (search page included) and the landing page."""
    edition = layout.html(YEAR)
    pages = [(p.name, p) for p in sorted(edition.glob("*.html"))]
    return pages + [("landningssida", layout.build / "html" / "index.html")]


def test_every_book_page_is_checked(book):
    layout, _ = book
    names = {n for n, _ in reader_pages(layout)}
    for must in ("index.html", "search.html", "tillganglighet.html", "atgard_1_1.html", "landningssida"):
        assert must in names
    assert len(names) >= 30, sorted(names)


# --- 1. axe-core, console, requests: every page at two widths --------------------------------------

AXE_JS = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@pytest.fixture(scope="module")
def audit(browser, book):
    """axe results, console errors and blocked requests for every page, desktop and phone."""
    layout, _ = book
    out = {}
    for label, viewport, extra in (("dator", DESKTOP, {}), ("mobil", PHONE, {"is_mobile": True, "has_touch": True})):
        r = Reader(browser, viewport, **extra)
        try:
            for name, path in reader_pages(layout):
                console, blocked = r.open(path)
                layout_check = r.page.evaluate(PHONE_JS) if label == "mobil" else None
                r.page.add_script_tag(path=str(AXE))
                out[(label, name)] = {"axe": r.page.evaluate(AXE_JS, AXE_TAGS), "console": console, "blocked": blocked,
                                      "phone": layout_check}
        finally:
            r.close()
    return out


def test_axe_finds_no_serious_or_critical_violation_on_any_page(audit):
    assert audit, "nothing was audited"
    problems = [f"{label} {name}: {v['id']} ({v['impact']}) {v['help']} – {v['nodes']}"
                for (label, name), res in audit.items() for v in res["axe"]
                if v["impact"] in ("serious", "critical")]
    assert not problems, "\n".join(problems)


def test_no_page_logs_a_console_error(audit):
    problems = [f"{label} {name}: {e}" for (label, name), res in audit.items() for e in res["console"]]
    assert not problems, "\n".join(problems)


def test_no_request_leaves_the_book(audit):
    problems = [f"{label} {name}: {u}" for (label, name), res in audit.items() for u in res["blocked"]]
    assert not problems, "\n".join(problems)


# --- 2. phones: 390 px ---------------------------------------------------------------------------

PHONE_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const root = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const name = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
    ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const scroller = el => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e).overflowX;
      if (s !== 'visible') return e;
    }
    return null;
  };
  const problems = new Set();
  for (const el of root.querySelectorAll('*')) {
    if (!el.getClientRects().length) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || (r.right <= vw + 1 && r.left >= -1)) continue;
    const box = scroller(el);
    if (!box || !root.contains(box)) { problems.add(`${name(el)} reaches ${Math.round(r.right)}px, no scroll box`); continue; }
    const s = getComputedStyle(box).overflowX, b = box.getBoundingClientRect();
    const hint = box.previousElementSibling;
    const shows = box.classList.contains('uppf-rullbar') && hint && hint.classList.contains('uppf-rullhint')
                  && hint.getClientRects().length > 0 && hint.innerText.trim().length > 0;
    if ((s !== 'auto' && s !== 'scroll') || b.right > vw + 1 || b.left < -1 || !shows)
      problems.add(`${name(el)} in ${name(box)} (overflow ${s}, box right ${Math.round(b.right)}px, hint shown: ${!!shows})`);
  }
  const charts = [...root.querySelectorAll('figure.uppf-diagram img')].map(img => {
    const data = (img.getAttribute('src') || '').split(',')[1] || '';
    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
    const svg = new DOMParser().parseFromString(new TextDecoder().decode(bytes), 'image/svg+xml');
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize))
                    .filter(x => x > 0);
    const scale = img.getBoundingClientRect().width / img.naturalWidth;
    return {alt: (img.alt || '').slice(0, 50), smallest: Math.min(...sizes), scale, shown: Math.min(...sizes) * scale};
  });
  return {vw, pageWidth: document.documentElement.scrollWidth, problems: [...problems].slice(0, 8), charts};
}"""


@pytest.fixture(scope="module")
def phone(audit):
    """The 390 px layout of every page, measured in the audit's phone pass before axe was injected."""
    return {name: res["phone"] for (label, name), res in audit.items() if label == "mobil"}


def test_at_390_px_nothing_is_wider_than_the_screen_outside_a_scroll_box_that_shows_it(phone):
    problems = [f"{name}: {p}" for name, res in phone.items() for p in res["problems"]]
    problems += [f"{name}: the page scrolls sideways ({res['pageWidth']}px > {res['vw']}px)"
                 for name, res in phone.items() if res["pageWidth"] > res["vw"] + 1]
    assert not problems, "\n".join(problems)


def test_at_390_px_chart_text_stays_at_least_11_px(phone):
    charts = [(name, c) for name, res in phone.items() for c in res["charts"]]
    # A chart only where a series has three comparable values: eight in the shipped 2026 book.
    assert len(charts) >= 8, "expected the book's charts"
    small = [f"{name}: {c['alt']!r}: {c['smallest']}px × {c['scale']:.2f} = {c['shown']:.1f}px"
             for name, c in charts if c["shown"] < 11 - 0.05]
    assert not small, "\n".join(small)


# --- 3. Swedish everywhere -----------------------------------------------------------------------

ENGLISH_PHRASES = ("Back to top", "Skip to", "Search", "Toggle", "Color mode", "Colour mode", "System Settings",
                   "previous page", "next page", "Link to this", "Permalink", "Download", "Print to PDF",
                   "Fullscreen", "On this page", "Site navigation", "Section Navigation", "Breadcrumb",
                   "Version warning", "Please activate JavaScript", "Preparing search", "Hide Search Matches",
                   "Copyright", "Edit this page", "Theme by", "Created using", "Built with", "Click to",
                   "Launch", "Scroll")
ENGLISH_NUMBERED = re.compile(r"\b(Table|Figure|Fig\.|Listing|Section)\s*\d")
ENGLISH_WORDS = {"Main", "Page", "Light", "Dark", "Index", "Home", "Contents", "next", "previous", "Copy",
                 "Copied!", "Error", "Search", "Searching", "Search Results", "Edit", "Close", "Menu"}

STRINGS_JS = """() => {
  const out = [['document title', document.title]];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest('script, style, title')) continue;
    const t = n.textContent.trim();
    if (t) out.push(['text', t]);
  }
  const attrs = ['aria-label', 'title', 'placeholder', 'alt', 'data-bs-title', 'data-tooltip', 'aria-description',
                 'aria-roledescription', 'aria-placeholder'];
  for (const el of document.querySelectorAll('*'))
    for (const a of attrs) if (el.hasAttribute(a)) out.push([a, el.getAttribute(a)]);
  return out;
}"""


def english(text: str) -> str | None:
    text = " ".join(text.split())
    for phrase in ENGLISH_PHRASES:
        if phrase in text:
            return phrase
    m = ENGLISH_NUMBERED.search(text)
    if m:
        return m.group(0)
    return text if text in ENGLISH_WORDS else None


def test_the_english_detector_finds_what_the_theme_ships():
    for s in ("Back to top", "Skip to main content", "Search...", "Toggle primary sidebar", "Color mode",
              "previous page", "Table 1", "Link to this heading", "Main", "System Settings"):
        assert english(s), s
    for s in ("Tillbaka", "Tabell 1", "Sök", "Föregående sida", "Nöjd kundindex", "Indikatorer", "Hoppa till huvudinnehållet"):
        assert english(s) is None, s


def test_every_string_a_reader_or_screen_reader_meets_is_swedish(browser, book):
    layout, _ = book
    r = Reader(browser, DESKTOP)
    found = {}
    try:
        for name, path in reader_pages(layout):
            r.open(path)
            for where, text in r.page.evaluate(STRINGS_JS):
                hit = english(text or "")
                if hit:
                    found.setdefault(f"{where}: {hit!r} in {text[:80]!r}", name)
        # The search page after a search (its status line and results come from JavaScript).
        r.open(layout.html(YEAR) / "search.html")
        r.page.goto((layout.html(YEAR) / "search.html").as_uri() + "?q=företagslotsen")
        r.page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=15_000)
        status = r.page.locator("#search-results").inner_text()
        assert "Sökresultat" in status or "Sökningen" in status, status
        for where, text in r.page.evaluate(STRINGS_JS):
            hit = english(text or "")
            if hit:
                found.setdefault(f"{where}: {hit!r} in {text[:80]!r}", "search.html?q=…")
    finally:
        r.close()
    assert not found, "\n".join(f"{page}: {what}" for what, page in sorted(found.items(), key=lambda x: x[1]))


# --- 4. keyboard ---------------------------------------------------------------------------------

FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {key: e.tagName + '|' + (e.id || '') + '|' + (e.getAttribute('href') || '') + '|' + (e.getAttribute('aria-label') || '')
               + '|' + (e.innerText || '').trim().slice(0, 30),
          text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== 'none'),
          visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth};
}"""

CONTROLS_JS = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex="0"]')]
  .filter(e => e.checkVisibility({visibilityProperty: true}) && !e.closest('[inert], dialog:not([open])'))
  .map(e => e.tagName + '|' + (e.id || '') + '|' + (e.getAttribute('href') || '') + '|' + (e.getAttribute('aria-label') || '')
              + '|' + (e.innerText || '').trim().slice(0, 30))"""


def test_keyboard_skip_link_first_every_control_reachable_and_focus_always_visible(browser, book):
    layout, _ = book
    r = Reader(browser, DESKTOP)
    try:
        r.open(layout.html(YEAR) / "atgard_1_1.html")
        controls = set(r.page.evaluate(CONTROLS_JS))
        r.page.keyboard.press("Tab")
        r.page.wait_for_timeout(400)  # the skip link slides in
        first = r.page.evaluate(FOCUS_JS)
        assert first and first["text"] == "Hoppa till huvudinnehållet", first
        assert first["visible"] and first["ring"], f"the skip link is not visible when focused: {first}"
        reached, invisible = {first["key"]}, []
        for _ in range(len(controls) + 20):
            r.page.keyboard.press("Tab")
            f = r.page.evaluate(FOCUS_JS)
            if f is None:
                continue
            reached.add(f["key"])
            if not (f["visible"] and f["ring"]):
                r.page.wait_for_timeout(400)  # let a transition (the sliding skip link) finish
                f = r.page.evaluate(FOCUS_JS)
                if not (f["visible"] and f["ring"]):
                    invisible.append(f)
        r.open(layout.html(YEAR) / "atgard_1_1.html")
        r.page.keyboard.press("Tab")
        r.page.keyboard.press("Enter")
        assert r.page.evaluate("location.hash") == "#main-content"
    finally:
        r.close()
    assert not invisible, f"focused but without a visible focus ring or off screen: {invisible[:5]}"
    unreachable = sorted(controls - reached)
    assert not unreachable, f"{len(unreachable)} controls never got focus with Tab: {unreachable[:8]}"


def test_the_chapter_list_button_opens_the_list_on_a_phone_and_hides_it_on_a_desktop(browser, book):
    layout, _ = book
    for viewport, extra in ((PHONE, {"is_mobile": True, "has_touch": True}), (DESKTOP, {})):
        r = Reader(browser, viewport, **extra)
        try:
            r.open(layout.html(YEAR) / "atgard_1_1.html")
            buttons = r.page.locator("button.primary-toggle >> visible=true")
            assert buttons.count() == 1, f"{viewport}: {buttons.count()} visible chapter-list buttons"
            assert buttons.first.get_attribute("aria-label") == "Visa eller dölj kapitellistan"
            link = r.page.locator('nav.bd-docs-nav a[href="malomrade_6.html"]')
            before = link.is_visible()
            buttons.first.click()
            r.page.wait_for_timeout(600)
            assert link.is_visible() != before, f"{viewport}: the button did not show or hide the chapter list"
        finally:
            r.close()


# --- 5. the PDF ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf(book):
    from pypdf import PdfReader

    layout, result = book
    path = layout.edition(YEAR) / f"uppfoljningsrapport-{YEAR}.pdf"
    return layout, result, path, PdfReader(path)


def flat(text: str) -> str:
    """Text as extracted from the PDF, comparable with the HTML: ligatures undone, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _outline(reader) -> list[tuple[int, str, int]]:
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, flat(str(item.title)), reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 0)
    return out


def _chapter_titles(layout) -> dict[str, str]:
    """Every page of the main report (the edition before its part Bilagor, less the tjänsteskrivelse,
    which is a PDF of its own) in book order with its h1, read from the built HTML."""
    import yaml
    from bs4 import BeautifulSoup

    from helpers.present.tjansteskrivelse import PAGE as TJANSTESKRIVELSE
    from helpers.publish.pdfdoc import book_order, split_order
    from helpers.run.pages import BILAGOR

    toc = yaml.safe_load((layout.edition(YEAR) / "_toc.yml").read_text(encoding="utf-8"))
    titles = {}
    for name, _part in split_order(book_order(toc), BILAGOR)[0]:
        if name == TJANSTESKRIVELSE:
            continue
        soup = BeautifulSoup((layout.html(YEAR) / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one("article.bd-article h1")
        for a in h1.select("a.headerlink"):
            a.decompose()
        titles[name] = flat(h1.get_text(" "))
    return titles


def _chapter_sections(layout) -> dict[str, list[str]]:
    """The h2 titles of every page, read from the built HTML."""
    from bs4 import BeautifulSoup

    out = {}
    for name in _chapter_titles(layout):
        soup = BeautifulSoup((layout.html(YEAR) / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("article.bd-article a.headerlink"):
            a.decompose()
        if name == "index":  # the start page's lists of chapters: the PDF has its own table of contents
            for section in soup.select("section#innehall, section#rapportens-delar"):
                section.decompose()
        out[name] = [flat(h2.get_text(" ")) for h2 in soup.select("article.bd-article h2")]
    return out


def test_pdf_is_written_into_the_edition_and_beside_the_html_and_recorded_in_the_manifest(pdf):
    from helpers.evidence.manifest import verify

    layout, result, path, reader = pdf
    html_copy = layout.html(YEAR) / path.name
    assert path.is_file() and html_copy.is_file()
    assert path.read_bytes() == html_copy.read_bytes()
    manifest = json.loads((layout.edition(YEAR) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pdf"]["fil"] == path.name and manifest["pdf"]["sidor"] == len(reader.pages) == result.pages
    assert manifest["filer"][path.name] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert verify(layout.edition(YEAR)) == [], "the edition with its PDF no longer verifies"


def test_pdf_is_pdfa_2u_by_both_validators_with_tags_bookmarks_and_metadata(pdf):
    """Issue 23, point 4: the 2026 exempeldata edition's PDF passes the project's PDF/A-2 check and Preflight."""
    import pikepdf

    from helpers.evidence import pdfa

    layout, _, path, reader = pdf
    if not pdfa.preflight_available():
        _missing("Apache PDFBox Preflight saknas (Debian libpdfbox2-java): kör make pdfa-validator.")
    verdict = pdfa.validate(path.read_bytes())
    assert verdict.ok, verdict.problems
    assert len(verdict.validators) == 2
    doc = pikepdf.open(path)
    xmp = doc.Root.Metadata.read_bytes().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<dc:coverage>2026</dc:coverage>" in xmp and "sv-SE" in xmp
    assert "/StructTreeRoot" in doc.Root and reader.outline, "tags and bookmarks are kept"
    manifest = json.loads((layout.edition(YEAR) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pdf"]["pdfa"] == "PDF/A-2u"


def test_pdf_pages_are_a4(pdf):
    _, _, _, reader = pdf
    a4 = {(595, 842), (842, 595)}
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes <= a4, sizes
    # The main report (issue 25): short enough to read before a meeting, the detail in the bilagor PDF.
    assert 15 <= len(reader.pages) <= 30, f"{len(reader.pages)} pages in the main report"


def test_pdf_has_title_language_and_opens_with_its_bookmarks(pdf):
    _, _, _, reader = pdf
    meta = reader.metadata
    assert meta.title.startswith(f"Uppföljningsrapport {YEAR}") and "Norrtälje kommun" in meta.title
    assert "Norrtälje kommun" in meta.author
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]).startswith("sv")
    assert root["/PageMode"] == "/UseOutlines"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert "/StructTreeRoot" in root, "the PDF is not tagged"


def test_pdf_title_page_names_report_kommun_year_exempeldata_and_dates(pdf):
    _, _, _, reader = pdf
    first = flat(reader.pages[0].extract_text())
    for needed in (f"Uppföljningsrapport {YEAR}", "Norrtälje kommun", "Exempeldata", "Uppgifterna avser",
                   "Utgåvan byggd", "näringslivsstrategi"):
        assert needed in first, f"{needed!r} not on the title page: {first[:300]!r}"
    assert "Sida 1" not in first, "the title page carries a page number"


def test_pdf_has_page_numbers_on_every_page_after_the_title_page(pdf):
    _, _, _, reader = pdf
    n = len(reader.pages)
    missing = [i for i in range(2, n + 1) if f"Sida {i} av {n}" not in reader.pages[i - 1].extract_text()]
    assert not missing, f"pages without 'Sida N av {n}': {missing[:10]}"


def test_pdf_outline_and_table_of_contents_list_every_chapter_on_the_right_page(pdf):
    layout, _, _, reader = pdf
    titles = _chapter_titles(layout)
    outline = _outline(reader)
    pages_by_title = {}
    for _level, title, page in outline:
        pages_by_title.setdefault(title, page)
    problems = []
    toc_text = ""
    for i in range(1, 4):
        text = reader.pages[i].extract_text()
        if "Innehåll" in text or toc_text:
            toc_text += "\n" + text
    flat_toc = flat(toc_text)
    for name, title in titles.items():
        if title not in pages_by_title:
            problems.append(f"{name}: {title!r} not in the outline")
            continue
        page = pages_by_title[title]
        body = flat(reader.pages[page - 1].extract_text())
        if title[:40] not in body:
            problems.append(f"{name}: outline points to page {page}, which does not show {title[:40]!r}")
        if not re.search(re.escape(title[:30]) + r".*?\b" + str(page) + r"\b", flat_toc):
            problems.append(f"{name}: the table of contents does not give {title[:30]!r} page {page}")
    for part in ("Samlad analys", "Målområde 1", "Målområde 6"):
        if not any(level == 0 and t == part for level, t, _ in outline):
            problems.append(f"part {part!r} missing from the outline's top level")
    if any(level == 0 and t in ("Bilagor", "Om rapporten") for level, t, _ in outline):
        problems.append("the bilagor are printed in the main report too")
    # Every chapter's sections (its h2s) are bookmarks under it, in order.
    children, parent = {}, None
    for level, title, _page in outline:
        if title in titles.values() and level <= 1:
            parent = title
            children[parent] = []
        elif parent and level == (2 if parent != titles["index"] else 1):
            children[parent].append(title)
    for name, h2s in _chapter_sections(layout).items():
        if h2s and children.get(titles[name]) != h2s:
            problems.append(f"{name}: section bookmarks {children.get(titles[name])} instead of {h2s}")
    assert titles, "no chapters read"
    assert not problems, "\n".join(problems)


def test_pdf_starts_with_the_start_page_and_keeps_book_order(pdf):
    layout, _, _, reader = pdf
    titles = list(_chapter_titles(layout).values())
    outline = _outline(reader)
    first_page = {}
    for level, title, page in outline:
        if level <= 1:
            first_page.setdefault(title, page)
    pages = [first_page.get(t) for t in titles]
    assert None not in pages, [t for t, p in zip(titles, pages) if p is None]
    assert pages == sorted(pages) and pages[0] <= 4, list(zip(titles, pages))
    top = [t for level, t, _ in outline if level == 0]
    assert top[:3] == ["Titelsida", "Innehåll", titles[0]], top


def test_pdf_carries_the_comparisons_with_other_kommuner_and_the_context(pdf):
    """The main report has the comparison beside riket; over time, member by member and the context
    are in the bilagor PDF: in print, together, everything the web shows."""
    from pypdf import PdfReader

    layout, _, path, reader = pdf
    bilagor = PdfReader(layout.edition(YEAR) / f"uppfoljningsrapport-{YEAR}-bilagor.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in (*reader.pages, *bilagor.pages))
    main = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Jämfört med andra kommuner" in main and "kommunen bredvid riket och jämförelsegruppernas medel" in main
    for expected in ("Jämfört med andra kommuner", "kommunen bredvid riket och jämförelsegruppernas medel",
                     "Liknande kommuner, övergripande: NKI totalt mätår", "Sammanhang för strategin",
                     "inte handlingsplanens indikatorer", "medlet i Liknande kommuner"):
        assert expected in text, expected
    assert "Källa: Kolada" not in text, "the shipped comparisons are exempeldata, never credited to Kolada"


WEB_CONTROLS = ("Hoppa till huvudinnehållet", "Till början av sidan", "Färgläge", "Ctrl", "Sök i rapporten",
                "Visa eller dölj", "Ladda ner", "Alla utgåvor", "föregående sida", "nästa sida", "Bredare än skärmen",
                "Länk till den här", "Rapportens kapitel", "Utgåva 2026")


def test_pdf_has_no_web_controls_and_no_raster_images(pdf):
    _, _, _, reader = pdf
    found, images = [], 0
    for i, page in enumerate(reader.pages, 1):
        text = page.extract_text()
        found += [f"page {i}: {c!r}" for c in WEB_CONTROLS if c in text]
        xobjects = page["/Resources"].get("/XObject") or {}
        images += sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")
    assert not found, "\n".join(found[:10])
    assert images == 0, f"{images} raster images: charts must stay vector graphics"


def _text_starts(page) -> list[tuple[float, str]]:
    """x position (pt) where each text run starts, in page space."""
    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            out.append((x, text.strip()))
    page.extract_text(visitor_text=visit)
    return out


def test_pdf_text_stays_inside_the_text_block_so_nothing_is_cut_off(pdf):
    _, _, _, reader = pdf
    margin = 17 / 25.4 * 72  # PDF_CSS side margins
    problems = []
    for i, page in enumerate(reader.pages, 1):
        width = float(page.mediabox.width)
        problems += [f"page {i}: {t[:40]!r} starts at x={x:.0f} of {width:.0f}" for x, t in _text_starts(page)
                     if x > width - margin + 1 or x < margin - 1]
    assert not problems, "\n".join(problems[:15])


def test_a_table_too_wide_for_portrait_goes_landscape_and_is_never_cut_off(book, tmp_path):
    """A synthetic chapter with a table far wider than A4 portrait, printed by the PDF code."""
    from pypdf import PdfReader

    from helpers.publish.pdf import render
    from helpers.publish.pdfdoc import Chapter, Edition, compose

    layout, _ = book
    head = "".join(f"<th scope='col'>Kolumn{i}MedEttLångtOrd</th>" for i in range(14))
    row = "".join(f"<td>Värde{i}UtanMellanslag</td>" for i in range(14))
    table = (f"<div class='uppf-tabell-wrap'><table class='uppf-tabell'><caption>Bred tabell</caption>"
             f"<thead><tr>{head}</tr></thead><tbody>{row * 3}</tbody></table></div>")
    chapters = [Chapter("bred", "Bred tabell", None, f"<section><h1>Bred tabell</h1><p>Före.</p>{table}<p>Efter.</p></section>")]
    ed = Edition(YEAR, f"Uppföljningsrapport {YEAR}", "Norrtälje kommun", "Näringslivsenheten", "Serie", False, None,
                 (None, None))
    doc = layout.html(YEAR) / ".test-bred.html"
    try:
        doc.write_text(compose(chapters, ed, None, ""), encoding="utf-8")
        raw, pages, landscape, _ = render(doc)
    finally:
        doc.unlink(missing_ok=True)
    reader = PdfReader(io.BytesIO(raw))
    orientations = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
    assert landscape == ["Bred tabell"] and any(orientations) and not orientations[0], orientations
    margin = 17 / 25.4 * 72
    cut = [(i, t) for i, p in enumerate(reader.pages, 1) for x, t in _text_starts(p)
           if x > float(p.mediabox.width) - margin + 1]
    assert not cut, cut[:5]
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Värde13UtanMellanslag" in text and "Kolumn13MedEttLångtOrd" in text


# --- 6. the tillgänglighetsredogörelse and the download menu ---------------------------------------

def test_every_page_links_to_the_redogorelse_and_offers_the_pdf_not_notebooks(browser, book):
    layout, _ = book
    r = Reader(browser, DESKTOP)
    problems = []
    try:
        for name, path in reader_pages(layout):
            if name == "landningssida":
                continue
            r.open(path)
            hrefs = r.page.locator("a[href]").evaluate_all("els => els.map(a => a.getAttribute('href'))")
            if name != "tillganglighet.html" and "tillganglighet.html" not in hrefs:
                problems.append(f"{name}: no link to the tillgänglighetsredogörelse")
            if any(h.endswith(".ipynb") or "_sources/" in h for h in hrefs):
                problems.append(f"{name}: offers notebooks or sources to readers")
        r.open(layout.html(YEAR) / "atgard_1_1.html")
        r.page.locator(".dropdown-uppf-ladda-ner button").click()
        item = r.page.locator(".dropdown-uppf-ladda-ner a.btn-uppf-pdf")
        assert item.is_visible() and "PDF" in item.inner_text()
        assert item.get_attribute("href") == f"uppfoljningsrapport-{YEAR}.pdf"
    finally:
        r.close()
    assert not (layout.html(YEAR) / "_sources").exists(), "the notebooks are copied into the web version"
    assert not problems, "\n".join(problems)


def test_redogorelse_page_follows_diggs_model(book):
    layout, _ = book
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((layout.html(YEAR) / "tillganglighet.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(soup.select_one("article.bd-article").get_text(" ").split())
    for needed in ("Tillgänglighetsredogörelse", "Norrtälje kommun", "delvis förenlig",
                   "lagen (2018:1937) om tillgänglighet till digital offentlig service", "Innehåll som inte är tillgängligt",
                   "Tillsyn", "Digg", "Senaste bedömningen gjordes den", "uppdaterades senast", f"Uppföljningsrapport {YEAR}"):
        assert needed in text, needed
    assert soup.select_one('article.bd-article a[href="https://www.digg.se/tdosanmalan"]') is not None


# --- 7. editions ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_editions(browser, small_printed, tmp_path_factory):
    """Small fixture data: 2026 built with its PDF (the session's, copied), then 2025 built after it."""
    from helpers.publish.pipeline import run_year

    layout = copy_small_book(small_printed, tmp_path_factory.mktemp("utgavor") / "projekt").layout
    before = (tree_digest(layout.html(2026)), tree_digest(layout.edition(2026)))
    run_year(2025, layout, jobs=2, log=lambda *_: None)
    return layout, before


def test_building_one_year_never_changes_another_years_pages_or_pdf(two_editions):
    layout, (html_2026, edition_2026) = two_editions
    assert "uppfoljningsrapport-2026.pdf" in html_2026 and "uppfoljningsrapport-2026.pdf" in edition_2026
    assert tree_digest(layout.html(2026)) == html_2026
    assert tree_digest(layout.edition(2026)) == edition_2026


def test_the_shared_editions_list_knows_both_years_their_dates_exempeldata_and_pdfs(two_editions):
    layout, _ = two_editions
    script = (layout.build / "html" / "utgavor.js").read_text(encoding="utf-8")
    data = json.loads(re.search(r"var UTGAVOR = (\[.*?\]);\n", script, re.S).group(1))
    assert [u["ar"] for u in data] == [2026, 2025]
    assert all(u["exempeldata"] is True and re.fullmatch(r"\d{4}-\d{2}-\d{2}", u["byggd"]) for u in data)
    assert data[0]["pdf"] == "uppfoljningsrapport-2026.pdf" and data[1]["pdf"] is None
    assert "atgard_1_1" in data[1]["sidor"] and "atgard_1_2" in data[0]["sidor"]
    # Pages learn which editions exist from this list only: no year list is baked into a page.
    page_2026 = (layout.html(2026) / "atgard_1_1.html").read_text(encoding="utf-8")
    assert "../2025/" not in page_2026 and "../utgavor.js" in page_2026
    landing = (layout.build / "html" / "index.html").read_text(encoding="utf-8")
    assert "2026/uppfoljningsrapport-2026.pdf" in landing and "2025/uppfoljningsrapport-2025.pdf" not in landing


def test_a_page_switches_to_the_same_chapter_in_another_year_from_file(browser, two_editions):
    layout, _ = two_editions
    r = Reader(browser, DESKTOP)
    try:
        console, blocked = r.open(layout.html(2025) / "atgard_1_1.html")
        assert not console and not blocked, (console, blocked)
        nav = r.page.locator("nav.uppf-utgavor")
        assert nav.locator('a[href="../index.html"]').count() == 1, "no link to the list of editions"
        assert "2025" in nav.locator('[aria-current="page"]').inner_text()
        # 2025 has no PDF: its download links are hidden; 2026's are shown.
        assert not r.page.locator(".dropdown-uppf-ladda-ner").is_visible()
        link = nav.locator('a[href="../2026/atgard_1_1.html"]')
        assert link.count() == 1, nav.inner_html()
        link.scroll_into_view_if_needed()
        with r.page.expect_navigation():
            link.click()
        assert r.page.url.endswith("/2026/atgard_1_1.html")
        assert r.page.locator("article.bd-article h1").inner_text().startswith("1.1")
        assert r.page.locator(".dropdown-uppf-ladda-ner").is_visible()
        back = r.page.locator('nav.uppf-utgavor a[href="../2025/atgard_1_1.html"]')
        assert back.count() == 1
    finally:
        r.close()
