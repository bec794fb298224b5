"""The whole edition as one A4 PDF for the diarium: `python -m helpers pdf --ar ÅR` (`make pdf`).

The built HTML edition is the source, so the PDF says exactly what the web version says:

1. The chapters are read from `_build/html/<år>/` in the order of the edition's `_toc.yml` (the
   start page first) and put into one print document: title page, table of contents, chapters.
   Ids are prefixed per chapter and links between chapters become links inside the PDF. Nothing of
   the web page's controls is copied, only each page's article.
2. Debian's Chromium (headless, through Playwright's `page.pdf()`) lays it out on A4 with CSS
   paged media: page numbers in the margins, each chapter on a new page, column headers repeated,
   a table too wide for a portrait page on a landscape page of its own, charts as vectors (SVG).
   It prints twice: the first layout tells on which page each chapter starts (the PDF's named
   destinations of the table of contents' links), the second prints those numbers.
3. pypdf writes the outline (parts, chapters, sections), the document title, author, subject and
   language, and opens the file with the bookmarks shown.

The file is written into the edition (`book/<år>/`, recorded in its manifest so that
`verifiera` still passes) and beside the HTML (`_build/html/<år>/`, linked from every page's
download menu and the list of editions).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import shutil
import uuid
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from helpers.core.errors import InputError, RunError
from helpers.core.fmt import date_sv
from helpers.core.layout import Layout, pdf_name
from helpers.core.pause import pause
from helpers.data import config
from helpers.evidence.faststallande import record_forced
from helpers.evidence.manifest import MANIFEST
from helpers.evidence.manifest import load_manifest as read_manifest
from helpers.evidence.package import add_to_edition, guard
from helpers.evidence.pdfa import CONFORMANCE, PART, PdfaInfo, to_pdfa
from helpers.evidence.pdfa import check as pdfa_check
from helpers.publish.site import publication, write_landing

CHROMIUM = Path(os.environ.get("UPPF_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# A4 minus the side margins of PDF_CSS (17 mm each), in CSS pixels (96 per inch).
CONTENT_WIDTH_PX = round((210 - 2 * 17) / 25.4 * 96)
LANDSCAPE_WIDTH_PX = round((297 - 2 * 17) / 25.4 * 96)
CHAPTER_ID = "kap-{name}"


@dataclass
class Chapter:
    """One page of the edition as it goes into the PDF."""

    name: str
    title: str
    part: str | None
    body: str  # the page's article, ids prefixed and links rewritten
    sections: list[str] = field(default_factory=list)  # h2 titles, in order


# --- reading the edition ---------------------------------------------------------------------------

def book_order(toc: dict) -> list[tuple[str, str | None]]:
    """(page name, part caption) in reading order: the root (start page) first, then every part."""
    order: list[tuple[str, str | None]] = [(str(toc["root"]), None)]

    def walk(entries, part):
        for entry in entries or []:
            if "file" in entry:
                order.append((str(entry["file"]), part))
            walk(entry.get("sections"), part)

    for part in toc.get("parts", []):
        walk(part.get("chapters"), part.get("caption"))
    walk(toc.get("chapters"), None)
    return order


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def read_chapter(path: Path, name: str, part: str | None, names: set[str]) -> Chapter:
    """The article of one built page, ready to be one chapter of the print document."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        raise RunError(f"{path.name} har ingen artikel (article.bd-article): är utgåvan byggd med Jupyter Book?")
    # Web-only parts: permalinks beside headings, scroll hints, the start page's link list (the PDF
    # has its own table of contents), scripts.
    for junk in article.select("a.headerlink, .uppf-rullhint, script, noscript, style"):
        junk.decompose()
    if name == "index":
        for section in article.select("section#innehall"):
            section.decompose()
    for el in article.select("[id]"):
        el["id"] = f"{name}--{el['id']}"
    for el in article.select("[aria-labelledby], [aria-describedby], label[for]"):
        for attr in ("aria-labelledby", "aria-describedby", "for"):
            if el.has_attr(attr):
                value = el[attr] if isinstance(el[attr], str) else " ".join(el[attr])
                el[attr] = " ".join(f"{name}--{v}" for v in value.split())
    for a in article.select("a[href]"):
        a["href"] = _pdf_href(a["href"], name, names)
    for el in article.select("[tabindex]"):
        del el["tabindex"]
    h1 = article.find("h1")
    title = _text(h1) if h1 else name
    sections = [_text(h2) for h2 in article.find_all("h2")]
    return Chapter(name, title, part, article.decode_contents(), sections)


def _pdf_href(href: str, here: str, names: set[str]) -> str:
    """Links between pages become links inside the PDF; anything else is left as it is."""
    if href.startswith("#"):
        return f"#{here}--{href[1:]}" if len(href) > 1 else f"#{CHAPTER_ID.format(name=here)}"
    if "://" in href or href.startswith("mailto:"):
        return href
    page, _, frag = href.partition("#")
    stem = page[:-5] if page.endswith(".html") else None
    if stem in names:
        return f"#{stem}--{frag}" if frag else f"#{CHAPTER_ID.format(name=stem)}"
    return href


def _data_period(edition: Path, year: int) -> tuple[dt.date | None, dt.date | None]:
    """The follow-up period the edition's data cover: first period_fran to last period_till."""
    from helpers.data.plan import load_plan
    from helpers.data.yeardata import load_year

    indata = edition / "indata"
    try:
        data = load_year(indata, year, load_plan(indata / "plan"))
    except (InputError, OSError, KeyError):
        return None, None
    status = data.status
    starts = [d for d in status.get("period_fran", []) if isinstance(d, dt.date)]
    ends = [d for d in status.get("period_till", []) if isinstance(d, dt.date)]
    return (min(starts) if starts else None), (max(ends) if ends else None)


# --- the print document --------------------------------------------------------------------------

@dataclass(frozen=True)
class Edition:
    year: int
    title: str
    utgivare: str
    enhet: str
    serie: str
    exempeldata: bool
    byggd: dt.date | None
    period: tuple[dt.date | None, dt.date | None]


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


PDF_CSS = """
@page {
  size: A4; margin: 22mm 17mm 20mm 17mm;
  @top-left { content: %(titel)s; font: 8.5pt/1.2 "DejaVu Sans", sans-serif; color: #444; }
  @top-right { content: %(markering)s; font: bold 8.5pt/1.2 "DejaVu Sans", sans-serif; color: #7a3400; }
  @bottom-left { content: %(utgivare)s; font: 8.5pt/1.2 "DejaVu Sans", sans-serif; color: #444; }
  @bottom-right { content: "Sida " counter(page) " av " counter(pages); font: 8.5pt/1.2 "DejaVu Sans", sans-serif; color: #222; }
}
@page :first { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }
@page liggande { size: A4 landscape; }
.uppf-liggande { page: liggande; }
.uppf-liggande table { font-size: 8pt; }

html, body { background: #fff !important; }
body.uppf-pdf { display: block !important; margin: 0; padding: 0; font-size: 10pt; line-height: 1.45; color: #1a1a1a;
  font-variant-ligatures: none; }  /* "ff" stays two letters: the diarium's full-text search finds the words */
body.uppf-pdf .bd-article-container, body.uppf-pdf .bd-article { max-width: none; width: auto; padding: 0; margin: 0; }

.uppf-titelsida { height: 245mm; display: flex; flex-direction: column; }
.uppf-titelsida .utgivare { font-size: 14pt; font-weight: 600; margin: 0; }
.uppf-titelsida .enhet { font-size: 11pt; color: #3d3d3d; margin: 0 0 45mm 0; }
.uppf-titelsida h1 { font-size: 30pt; line-height: 1.15; margin: 0 0 6mm 0; color: #0b2f5b; border: 0; }
.uppf-titelsida .serie { font-size: 13pt; margin: 0 0 12mm 0; max-width: 150mm; }
.uppf-titelsida .exempeldata { border: 2px solid #7a3400; color: #5c2700; background: #fff4e5; padding: 4mm 5mm;
  font-size: 11pt; max-width: 150mm; margin: 0 0 10mm 0; }
.uppf-titelsida dl { display: grid; grid-template-columns: max-content 1fr; gap: 1.5mm 6mm; font-size: 10.5pt; margin: 0; }
.uppf-titelsida dt { font-weight: 600; }
.uppf-titelsida dd { margin: 0; }
.uppf-titelsida .fot { margin-top: auto; font-size: 9pt; color: #3d3d3d; max-width: 160mm; }

.uppf-innehall { break-before: page; font-size: 9.5pt; }
.uppf-innehall h2 { font-size: 20pt; margin: 0 0 6mm 0; }
.uppf-innehall ol { list-style: none; padding: 0; margin: 0; }
.uppf-innehall li.del { font-weight: 700; margin: 3mm 0 0.5mm 0; break-after: avoid; }
.uppf-innehall li.kapitel { display: flex; align-items: baseline; gap: 2mm; margin: 0.5mm 0; break-inside: avoid; }
.uppf-innehall li.kapitel.i-del { padding-left: 5mm; }
.uppf-innehall li.kapitel a { color: #1a1a1a; text-decoration: none; }
.uppf-innehall li.kapitel .fyll { flex: 1; border-bottom: 1px dotted #777; transform: translateY(-1mm); }
.uppf-innehall li.kapitel .sida { min-width: 8mm; text-align: right; font-variant-numeric: tabular-nums; }

section.uppf-kapitel { break-before: page; }
section.uppf-kapitel h1 { font-size: 20pt; margin-top: 0; }
section.uppf-kapitel h2 { font-size: 14pt; margin-top: 7mm; }
section.uppf-kapitel h3 { font-size: 11.5pt; }
"""


def compose(chapters: list[Chapter], ed: Edition, pages: dict[str, int] | None, head_links: str) -> str:
    """The print document: title page, table of contents (page numbers when known), chapters."""
    e = html.escape
    rows, current = [], object()
    for ch in chapters:
        if ch.part != current and ch.part:
            rows.append(f'<li class="del">{e(ch.part)}</li>')
        current = ch.part
        number = str(pages[ch.name]) if pages and ch.name in pages else "000"
        rows.append(
            f'<li class="kapitel{" i-del" if ch.part else ""}"><a href="#{CHAPTER_ID.format(name=ch.name)}">'
            f'{e(ch.title)}</a><span class="fyll" aria-hidden="true"></span>'
            f'<span class="sida" data-kapitel="{e(ch.name)}">{number}</span></li>')
    start, end = ed.period
    facts = [("Uppföljningsår", str(ed.year))]
    if start and end:
        facts.append(("Uppgifterna avser", f"{date_sv(start)} – {date_sv(end)}"))
    elif end:
        facts.append(("Uppgifter till och med", date_sv(end)))
    if ed.byggd:
        facts.append(("Utgåvan byggd", date_sv(ed.byggd)))
    facts.append(("Utgivare", f"{ed.utgivare}, {ed.enhet}" if ed.enhet else ed.utgivare))
    marking = ""
    if ed.exempeldata:
        marking = ('<p class="exempeldata"><strong>Exempeldata.</strong> Utgåvan bygger helt eller delvis på '
                   "påhittade värden som visar hur rapporten fungerar. Den beskriver inte verkliga förhållanden. "
                   "Sidor med exempeldata är märkta.</p>")
    css = PDF_CSS % {
        "titel": _css_string(f"{ed.title} – {ed.utgivare}"),
        "markering": _css_string("Exempeldata" if ed.exempeldata else ""),
        "utgivare": _css_string(ed.utgivare),
    }
    body = "\n".join(
        f'<section class="uppf-kapitel" id="{CHAPTER_ID.format(name=ch.name)}">{ch.body}</section>'
        for ch in chapters)
    return f"""<!DOCTYPE html>
<html lang="sv" data-theme="light" data-mode="light">
<head><meta charset="utf-8">
<title>{e(ed.title)} – {e(ed.utgivare)}</title>
{head_links}
<style>{css}</style>
</head>
<body class="uppf-pdf">
<section class="uppf-titelsida">
<p class="utgivare">{e(ed.utgivare)}</p>
<p class="enhet">{e(ed.enhet)}</p>
<h1>{e(ed.title)}</h1>
<p class="serie">{e(ed.serie)}</p>
{marking}
<dl>{"".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts)}</dl>
<p class="fot">Rapporten finns också som webbversion. Utgåvans indata, körda notebooks och kontrollsummor
(manifest.json) sparas i utgåvans arkiv, så att det i efterhand går att visa att innehållet inte har ändrats.</p>
</section>
<nav class="uppf-innehall">
<h2>Innehåll</h2>
<ol>
{chr(10).join(rows)}
</ol>
</nav>
<main class="bd-article-container"><article class="bd-article">
{body}
</article></main>
</body></html>
"""


def absolute_addresses(document: str, folder: Path) -> str:
    """The print document's references to the edition's files (stylesheets, images, other pages) as
    absolute file: addresses, so it can be rendered from a folder outside the published one.
    Links inside the document (#…) and to the web stay as they are."""
    from urllib.parse import urljoin

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(document, "html.parser")
    base = Path(folder).resolve().as_uri() + "/"
    for tag, attr in (("link", "href"), ("img", "src"), ("script", "src"), ("a", "href"), ("source", "src"),
                      ("object", "data"), ("image", "href"), ("use", "href")):
        for el in soup.find_all(tag):
            value = el.get(attr)
            if isinstance(value, str) and value and not value.startswith(("#", "data:", "mailto:", "tel:")) \
                    and "://" not in value and not value.startswith("//"):
                el[attr] = urljoin(base, value)
    return str(soup)


def _stylesheets(index_html: Path) -> str:
    """The edition's own stylesheets (theme and book), as the start page links them."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(index_html.read_text(encoding="utf-8"), "html.parser")
    return "\n".join(str(link) for link in soup.select('head link[rel~="stylesheet"]'))


# --- printing ------------------------------------------------------------------------------------

MARK_WIDE_JS = """([portrait, landscape]) => {
  // A table wider than a portrait page's text block goes on a landscape page of its own; one that
  // is wider still is scaled down to fit: no table is ever cut off at the page edge.
  const out = [];
  for (const table of document.querySelectorAll('section.uppf-kapitel table')) {
    const width = table.getBoundingClientRect().width;
    if (width > portrait + 1) {
      const box = table.closest('.uppf-tabell-wrap, .pst-scrollable-table-container') || table;
      box.classList.add('uppf-liggande');
      // Its heading goes with it: a landscape page of its own would otherwise leave the heading behind.
      let block = box;
      while (block.parentElement && !block.previousElementSibling && !block.parentElement.matches('section')) block = block.parentElement;
      const before = block.previousElementSibling;
      if (before && /^H[1-6]$/.test(before.tagName)) before.classList.add('uppf-liggande');
      if (width > landscape) table.style.zoom = String(landscape / width);
      out.push(table.caption ? table.caption.innerText.trim() : '(tabell utan rubrik)');
    }
  }
  return out;
}"""

SET_PAGES_JS = """(pages) => {
  for (const span of document.querySelectorAll('.uppf-innehall .sida')) {
    const n = pages[span.dataset.kapitel];
    if (n !== undefined) span.textContent = String(n);
  }
}"""


def chapter_pages(pdf: bytes) -> dict[str, int]:
    """Page number (1-based) on which each chapter starts, from the PDF's named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    prefix = CHAPTER_ID.format(name="")
    out = {}
    for key, dest in reader.named_destinations.items():
        name = str(key).lstrip("/")
        if name.startswith(prefix):
            out[name[len(prefix):]] = reader.get_destination_page_number(dest) + 1
    return out


def _chromium_outline(pdf: bytes) -> list[tuple[int, str, int, float | None]]:
    """Chromium's heading outline, flattened: (level, title, page index, top)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    out: list[tuple[int, str, int, float | None]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                title = " ".join(str(item.title).split())
                half = len(title) // 2
                if title and title[:half] == title[half:]:  # with the theme's CSS Chromium repeats the text
                    title = title[:half]
                out.append((level, title, reader.get_destination_page_number(item), item.get("/Top")))
    walk(reader.outline, 1)
    return out


def render(document: Path, *, passes: int = 3) -> tuple[bytes, dict[str, int], list[str], str]:
    """Print the document with Chromium until the table of contents' page numbers are stable.

    Runs in a thread of its own: Playwright's sync API refuses to run where an asyncio loop is
    already running (a Jupyter kernel, a test that drives its own browser).
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_render, document, passes).result()


def _render(document: Path, passes: int) -> tuple[bytes, dict[str, int], list[str], str]:
    if not CHROMIUM.exists():
        raise RunError(f"{CHROMIUM} saknas. PDF:en skrivs med Debians Chromium: "
                       "apt-get install chromium (eller make browser).")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - a pinned dependency
        raise RunError(f"Playwright saknas ({exc}). Installera projektets beroenden: make install.") from None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                version = browser.version
                ctx = browser.new_context(viewport={"width": CONTENT_WIDTH_PX, "height": 1000})
                # The print document only reads the edition's own files; nothing leaves the machine.
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                page = ctx.new_page()
                page.goto(document.as_uri(), wait_until="load")
                page.emulate_media(media="print")
                landscape = page.evaluate(MARK_WIDE_JS, [CONTENT_WIDTH_PX, LANDSCAPE_WIDTH_PX])
                pages: dict[str, int] = {}
                for _ in range(passes):
                    page.evaluate(SET_PAGES_JS, pages)
                    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True,
                                   tagged=True, outline=True)
                    found = chapter_pages(pdf)
                    if found == pages:
                        break
                    pages = found
                else:
                    raise RunError("Innehållsförteckningens sidnummer blev inte stabila; PDF:en skrevs inte.")
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise RunError(f"Chromium kunde inte skriva PDF:en: {exc}") from None
    return pdf, pages, landscape, version


# --- finishing: outline and metadata --------------------------------------------------------------

def finish(pdf: bytes, chapters: list[Chapter], pages: dict[str, int], ed: Edition, chromium: str) -> bytes:
    """Outline (parts → chapters → sections), document information, language and viewer settings."""
    from pypdf import PdfWriter
    from pypdf.generic import Fit, NameObject, TextStringObject

    outline = _chromium_outline(pdf)
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    root = writer.root_object
    if "/Outlines" in root:
        del root[NameObject("/Outlines")]

    # Sections: Chromium's heading outline knows where each h2 is. Its titles are not reliable (a
    # heading that wraps comes out with lines repeated), so items are matched by order: after the
    # title page, the n-th level-1 item is the n-th chapter's h1, the h2s after it are its sections,
    # and their titles are taken from the chapter's own HTML when the counts agree. A heading moved
    # to the next page by a page break gets its destination at the foot of the page before it: such
    # a destination points to the top of the next page instead.
    foot = 20 / 25.4 * 72 + 6  # the bottom margin of PDF_CSS, in points, and a little more
    placed = [ch for ch in chapters if ch.name in pages]
    first = min(pages.values()) - 2 if pages else 0
    h1s = [i for i, (level, _t, page_index, _top) in enumerate(outline) if level == 1 and page_index >= first]
    owner = dict(zip(h1s, (ch.name for ch in placed))) if len(h1s) == len(placed) else {}
    found: dict[str, list[tuple[str, int, float | None]]] = {}
    current = None
    for i, (level, title, page_index, top) in enumerate(outline):
        if level == 1:
            current = owner.get(i)
        elif level == 2 and current:
            if top is not None and float(top) < foot:
                page_index, top = page_index + 1, None
            found.setdefault(current, []).append((title, page_index, top))
    sections = {}
    for ch in chapters:
        items = found.get(ch.name, [])
        if len(items) == len(ch.sections):
            items = [(own, page_index, top) for own, (_, page_index, top) in zip(ch.sections, items)]
        sections[ch.name] = items

    writer.add_outline_item(title="Titelsida", page_number=0)
    first_chapter = min(pages.values()) if pages else 1
    if first_chapter > 2:
        writer.add_outline_item(title="Innehåll", page_number=1)
    parents: dict[str, object] = {}
    for ch in chapters:
        if ch.name not in pages:
            continue
        parent = None
        if ch.part:
            if ch.part not in parents:
                parents[ch.part] = writer.add_outline_item(title=ch.part, page_number=pages[ch.name] - 1, is_open=True)
            parent = parents[ch.part]
        item = writer.add_outline_item(title=ch.title, page_number=pages[ch.name] - 1, parent=parent, is_open=False)
        for title, page_index, top in sections.get(ch.name, []):
            fit = Fit.xyz(top=float(top)) if top is not None else Fit.fit()
            writer.add_outline_item(title=title, page_number=page_index, parent=item, fit=fit)

    writer.add_metadata({
        "/Title": f"{ed.title} – {ed.utgivare}",
        "/Author": f"{ed.utgivare}, {ed.enhet}" if ed.enhet else ed.utgivare,
        "/Subject": ed.serie,
        "/Keywords": f"uppföljningsrapport, {config.active().strategi}, handlingsplan, {ed.year}"
                     + (", exempeldata" if ed.exempeldata else ""),
        "/Creator": "Uppföljningsboken (python -m helpers pdf)",
        "/Producer": f"Chromium {chromium}; pypdf {metadata.version('pypdf')}",
    })
    root[NameObject("/Lang")] = TextStringObject("sv-SE")
    writer.page_mode = "/UseOutlines"
    prefs = writer.create_viewer_preferences()
    prefs.display_doctitle = True
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- the command -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PdfResult:
    year: int
    paths: tuple[Path, ...]
    pages: int
    chapters: int
    landscape: tuple[str, ...]


def build_pdf(year: int, layout: Layout, *, log=print, force: bool = False, reason: str | None = None) -> PdfResult:
    """`make pdf`: the built edition of `year` as one A4 PDF, written into the edition.

    A fastställd year is refused before anything is written, unless forced (with a reason, which
    is recorded). The print document is rendered outside the published folders, and the PDF is
    moved into them with the manifest last (`add_to_edition` with staged files): a killed `pdf`
    leaves the edition as it was, verifying.
    """
    from pypdf import PdfReader

    forced = guard(layout, year, force=force, command=f"pdf --ar {year}" + (" --tvinga" if force else ""),
                   reason=reason)
    html_dir, edition = layout.html(year), layout.edition(year)
    config.for_data(layout.data)  # the project's plan: block names the strategy in the PDF's keywords
    for need in (html_dir / "index.html", edition / MANIFEST, edition / "_toc.yml"):
        if not need.exists():
            raise RunError(f"Utgåvan {year} är inte byggd ({need.name} saknas i {need.parent}). "
                           f"Kör först: make report YEAR={year}")
    toc = yaml.safe_load((edition / "_toc.yml").read_text(encoding="utf-8"))
    manifest = read_manifest(edition / MANIFEST)
    pub = publication(layout.config)
    order = book_order(toc)
    names = {n for n, _ in order}
    missing = [f"{n}.html" for n, _ in order if not (html_dir / f"{n}.html").exists()]
    if missing:
        raise RunError(f"Utgåvan {year} saknar sidor: {', '.join(missing)}. Bygg om den: make report YEAR={year}")
    log(f"Läser {len(order)} sidor ur {html_dir} …")
    chapters = [read_chapter(html_dir / f"{n}.html", n, part, names) for n, part in order]
    byggd = manifest.get("byggd")
    ed = Edition(
        year=year,
        title=f"Uppföljningsrapport {year}",
        utgivare=pub["utgivare"], enhet=pub.get("enhet", ""), serie=pub.get("serie", ""),
        exempeldata=bool(manifest.get("exempeldata")),
        byggd=dt.date.fromisoformat(byggd[:10]) if byggd else None,
        period=_data_period(edition, year),
    )
    for stale in html_dir.glob(".uppf-pdf-*.html"):  # left by a killed older version (this command holds the lock)
        stale.unlink()
    # The print document lives in the staging folder (cleaned after a killed run), never in the
    # published one; it reaches the edition's files through absolute file: addresses.
    work = layout.build / "staging" / f"pdf-{year}-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    token = uuid.uuid4().hex[:8]
    name = pdf_name(year)
    staged = {edition / name: edition.parent / f".{edition.name}-{name}.{token}.tmp",
              html_dir / name: html_dir.parent / f".{html_dir.name}-{name}.{token}.tmp"}
    try:
        document = work / "utskrift.html"
        text = compose(chapters, ed, None, _stylesheets(html_dir / "index.html"))
        document.write_text(absolute_addresses(text, html_dir), encoding="utf-8")
        log("Skriver PDF med Chromium (A4) …")
        pause("pdf-rendering")
        raw, pages, landscape, chromium = render(document)
        final = to_pdfa(finish(raw, chapters, pages, ed, chromium),
                        PdfaInfo(kommun=ed.utgivare, year=year, dnr=(pub.get("diarienummer") or {}).get(year)))
        problems = pdfa_check(final)
        if problems:
            raise RunError("PDF-filen blev inte PDF/A-2u och skrivs inte:\n" + "\n".join(f"  • {p}" for p in problems))
        n_pages = len(PdfReader(io.BytesIO(final)).pages)
        for path in staged.values():
            path.write_bytes(final)
        details = {"fil": name, "sidor": n_pages, "skapad": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                   "chromium": chromium, "pypdf": metadata.version("pypdf"), "pdfa": f"PDF/A-{PART}{CONFORMANCE.lower()}",
                   "pikepdf": metadata.version("pikepdf"), "liggande_tabeller": landscape}
        if forced:
            details["tvingad"] = {k: forced[k] for k in ("av", "tid", "orsak")}
        add_to_edition(layout, year, list(staged), replace=True, derived={"pdf": details}, forced=forced,
                       staged=staged)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for path in staged.values():
            path.unlink(missing_ok=True)
    if forced:
        record_forced(layout, year, {k: forced[k] for k in ("kommando", "av", "tid", "orsak")})
    write_landing(layout, log=log)
    result = PdfResult(year, (edition / name, html_dir / name), n_pages, len(chapters), tuple(landscape))
    log(f"Klart: {n_pages} sidor A4, {len(chapters)} kapitel. PDF: {edition / name} (och {html_dir / name})")
    return result


__all__ = ["PdfResult", "book_order", "build_pdf", "compose", "read_chapter"]
