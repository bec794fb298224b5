"""The print document of an edition: the built HTML chapters, in the book's order, composed into one
HTML file that Chromium lays out on A4 (title page, table of contents, chapters with prefixed ids,
links between chapters made internal, the web page's controls left out). helpers.publish.pdf prints it."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.errors import InputError, RunError
from helpers.core.fmt import date_sv

# A4 minus the side margins of PDF_CSS (17 mm each), in CSS pixels (96 per inch).
CONTENT_WIDTH_PX = round((210 - 2 * 17) / 25.4 * 96)
LANDSCAPE_WIDTH_PX = round((297 - 2 * 17) / 25.4 * 96)
CHAPTER_ID = "kap-{name}"
MALOMRADE_PREFIX = "malomrade_"  # present.names.malomrade_page


@dataclass
class Chapter:
    """One page of the edition as it goes into the PDF."""

    name: str
    title: str
    part: str | None
    body: str  # the page's article, ids prefixed and links rewritten
    sections: list[str] = field(default_factory=list)  # h2 titles, in order
    flow: bool = False  # a sub-chapter (an åtgärd under its målområde): follows on the same page, no page break


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


def sub_pages(toc: dict) -> set[str]:
    """Pages that are sections of another page in the table of contents (the åtgärder under their
    målområde): in print they follow their parent without a page break of their own."""
    out: set[str] = set()

    def walk(entries, nested):
        for entry in entries or []:
            if "file" in entry and nested:
                out.add(str(entry["file"]))
            walk(entry.get("sections"), True)

    for part in toc.get("parts", []):
        walk(part.get("chapters"), False)
    walk(toc.get("chapters"), False)
    return out


def flowing(order: list[tuple[str, str | None]], toc: dict) -> set[str]:
    """Chapters that follow the one before them on the same page in print: the sections (åtgärder)
    and every målområde after the first, so the main report stays short; the first målområde,
    the overview and the företagsklimat start on a page of their own."""
    malomraden = [n for n, _ in order if n.startswith(MALOMRADE_PREFIX)]
    return sub_pages(toc) | set(malomraden[1:])


def split_order(order: list[tuple[str, str | None]], appendix: str) -> tuple[list, list]:
    """(the main report's pages, the appendix part's pages): the part captioned `appendix` and
    everything after it go to the appendix."""
    for i, (_name, part) in enumerate(order):
        if part == appendix:
            return order[:i], order[i:]
    return order, []


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def read_chapter(path: Path, name: str, part: str | None, names: set[str], *,
                 elsewhere: frozenset[str] = frozenset(), flow: bool = False) -> Chapter:
    """The article of one built page, ready to be one chapter of the print document.

    `elsewhere`: pages of the edition printed in its other PDF (report or bilagor); links to them
    keep their words but lose the address (a file: link to the web folder would break in the
    diarium)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        raise RunError(f"{path.name} har ingen artikel (article.bd-article): är utgåvan byggd med Jupyter Book?")
    # Web-only parts: permalinks beside headings, scroll hints, the start page's link list and the
    # book's (empty) toctrees (the PDF has its own table of contents), scripts.
    for junk in article.select("a.headerlink, .uppf-rullhint, script, noscript, style, div.toctree-wrapper"):
        junk.decompose()
    if name == "index":
        for section in article.select("section#innehall, section#rapportens-delar"):
            section.decompose()  # the web's list of chapters: the PDF has its table of contents
    for el in article.select("[id]"):
        el["id"] = f"{name}--{el['id']}"
    for el in article.select("[aria-labelledby], [aria-describedby], label[for]"):
        for attr in ("aria-labelledby", "aria-describedby", "for"):
            if el.has_attr(attr):
                value = el[attr] if isinstance(el[attr], str) else " ".join(el[attr])
                el[attr] = " ".join(f"{name}--{v}" for v in value.split())
    for a in article.select("a[href]"):
        page = a["href"].partition("#")[0]
        if page.endswith(".html") and page[:-5] in elsewhere:
            a.unwrap()
            continue
        a["href"] = _pdf_href(a["href"], name, names)
    for el in article.select("[tabindex]"):
        del el["tabindex"]
    h1 = article.find("h1")
    title = _text(h1) if h1 else name
    sections = [_text(h2) for h2 in article.find_all("h2")]
    return Chapter(name, title, part, article.decode_contents(), sections, flow)


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
/* The overview in print: fixed columns on the portrait page (the screen's minimum widths would push it
   onto scaled-down landscape pages, half of each left empty), the units' summaries given the most room. */
table.uppf-oversikt { table-layout: fixed; width: 100%%; font-size: 7.6pt; line-height: 1.3; }
table.uppf-oversikt th, table.uppf-oversikt td { min-width: 0 !important; padding: 0.3em 0.35em; }
table.uppf-oversikt tr > :nth-child(1) { width: 20%%; }
table.uppf-oversikt tr > :nth-child(2) { width: 12%%; }
table.uppf-oversikt tr > :nth-child(3) { width: 20%%; }
table.uppf-oversikt tr > :nth-child(4) { width: 11%%; }
table.uppf-oversikt tr > :nth-child(5) { width: 27%%; }
table.uppf-oversikt tr > :nth-child(6) { width: 10%%; }
p.uppf-legend, p.uppf-legend * { font-size: 8pt !important; }  /* legends under tables, as small as the tables */
.uppf-liggande + p.uppf-legend { page: liggande; }  /* a wide table's legend stays on its landscape page */

html, body { background: #fff !important; }
body.uppf-pdf { display: block !important; margin: 0; padding: 0; font-size: 9.5pt; line-height: 1.4; color: #1a1a1a;
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
/* An åtgärd follows its målområde (and the åtgärd before it) on the same page: the main report stays short. */
section.uppf-kapitel.uppf-avsnitt { break-before: auto; margin-top: 5mm; padding-top: 3mm; border-top: 1px solid #999; }
/* A målområde after the first follows the one before it, under a heavier rule. */
section.uppf-kapitel.uppf-avsnitt.uppf-malomrade { margin-top: 8mm; border-top: 2.5px solid #0b2f5b; }
section.uppf-kapitel.uppf-avsnitt.uppf-malomrade h1 { font-size: 18pt; }
section.uppf-kapitel.uppf-avsnitt h1 { font-size: 14pt; margin-bottom: 2mm; break-after: avoid; }
section.uppf-kapitel.uppf-avsnitt h1 + *, section.uppf-kapitel.uppf-avsnitt h2 + * { break-before: avoid; }
section.uppf-kapitel.uppf-avsnitt p.uppf-dom { break-inside: avoid; }
section.uppf-kapitel.uppf-avsnitt h2 { font-size: 11pt; margin: 3mm 0 1mm 0; }
section.uppf-kapitel.uppf-avsnitt p, section.uppf-kapitel.uppf-avsnitt blockquote { margin-top: 1mm; margin-bottom: 1.5mm; }
/* Every page header says Exempeldata, and so does the målområde the åtgärd follows: not again per åtgärd. */
section.uppf-kapitel.uppf-avsnitt .uppf-exempeldata { display: none; }
section.uppf-kapitel.uppf-avsnitt dl.uppf-fakta { grid-template-columns: max-content 1fr max-content 1fr; gap: 0.5mm 4mm;
  font-size: 9pt; margin-bottom: 2mm; }
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
        f'<section class="uppf-kapitel{" uppf-avsnitt" if ch.flow else ""}'
        f'{" uppf-malomrade" if ch.flow and ch.name.startswith(MALOMRADE_PREFIX) else ""}" '
        f'id="{CHAPTER_ID.format(name=ch.name)}">'
        f'{ch.body}</section>' for ch in chapters)
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
<p class="fot">Rapporten finns också som webbversion. Utgåvans underlag och kontrollsummor sparas i
kommunens arkiv, så att det i efterhand går att visa att innehållet inte har ändrats.</p>
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
