"""The edition as A4 PDFs for the diarium: `python -m helpers pdf --ar ÅR` (`make pdf`) writes the
main report and, as a second file, its bilagor (the toc's part "Bilagor"), each with its own title
page and contents.

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
import io
import os
import shutil
import uuid
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

import yaml

from helpers.core.errors import RunError
from helpers.core.layout import Layout, bilagor_pdf_name, pdf_name
from helpers.core.pause import pause
from helpers.data import config
from helpers.evidence.faststallande import record_forced
from helpers.evidence.manifest import MANIFEST
from helpers.evidence.manifest import load_manifest as read_manifest
from helpers.evidence.package import add_to_edition, guard
from helpers.evidence.pdfa import CONFORMANCE, PART, PdfaInfo, to_pdfa
from helpers.evidence.pdfa import check as pdfa_check
from helpers.present.tjansteskrivelse import PAGE as TJANSTESKRIVELSE
from helpers.publish.pdfdoc import (
    CHAPTER_ID,
    CONTENT_WIDTH_PX,
    LANDSCAPE_WIDTH_PX,
    MARK_WIDE_JS,
    SET_PAGES_JS,
    Chapter,
    Edition,
    _data_period,
    _stylesheets,
    absolute_addresses,
    book_order,
    compose,
    flowing,
    read_chapter,
    split_order,
)
from helpers.publish.site import publication, write_landing
from helpers.run.pages import BILAGOR

CHROMIUM = Path(os.environ.get("UPPF_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
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
    paths: tuple[Path, ...]  # the report's PDF in the edition and beside the HTML
    pages: int
    chapters: int
    landscape: tuple[str, ...]
    appendices: tuple[Path, ...] = ()  # the bilagor PDF in the edition (none when the book has no part Bilagor)
    appendix_pages: tuple[int, ...] = ()


def build_pdf(year: int, layout: Layout, *, log=print, force: bool = False, reason: str | None = None) -> PdfResult:
    """`make pdf`: the built edition of `year` as two A4 PDFs, written into the edition: the main
    report (everything before the part Bilagor) and the bilagor (that part), each with its own title
    page, contents and page numbers, each PDF/A and recorded in the manifest.

    A fastställd year is refused before anything is written, unless forced (with a reason, which
    is recorded). The print documents are rendered outside the published folders, and the PDFs are
    moved into them with the manifest last (`add_to_edition` with staged files): a killed `pdf`
    leaves the edition as it was, verifying.
    """
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
    # The tjänsteskrivelse is a document of its own (publish.tjansteskrivelse), not a report chapter.
    order = [(n, part) for n, part in book_order(toc) if n != TJANSTESKRIVELSE]
    missing = [f"{n}.html" for n, _ in order if not (html_dir / f"{n}.html").exists()]
    if missing:
        raise RunError(f"Utgåvan {year} saknar sidor: {', '.join(missing)}. Bygg om den: make report YEAR={year}")
    main_order, appendix_order = split_order(order, BILAGOR)
    flow = flowing(order, toc)
    log(f"Läser {len(order)} sidor ur {html_dir} …")

    def chapters_of(part_order, other_order):
        names = {n for n, _ in part_order}
        elsewhere = frozenset(n for n, _ in other_order)
        return [read_chapter(html_dir / f"{n}.html", n, part, names, elsewhere=elsewhere, flow=n in flow)
                for n, part in part_order]

    byggd = manifest.get("byggd")
    ed = Edition(
        year=year,
        title=f"Uppföljningsrapport {year}",
        utgivare=pub["utgivare"], enhet=pub.get("enhet", ""), serie=pub.get("serie", ""),
        exempeldata=bool(manifest.get("exempeldata")),
        byggd=dt.date.fromisoformat(byggd[:10]) if byggd else None,
        period=_data_period(edition, year),
    )
    documents = [(pdf_name(year), ed, chapters_of(main_order, appendix_order))]
    if appendix_order:
        documents.append((bilagor_pdf_name(year), replace(ed, title=f"Bilagor till uppföljningsrapport {year}"),
                          chapters_of(appendix_order, main_order)))
    for stale in html_dir.glob(".uppf-pdf-*.html"):  # left by a killed older version (this command holds the lock)
        stale.unlink()
    # The print documents live in the staging folder (cleaned after a killed run), never in the
    # published one; they reach the edition's files through absolute file: addresses.
    work = layout.build / "staging" / f"pdf-{year}-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    token = uuid.uuid4().hex[:8]
    staged: dict[Path, Path] = {}
    for name, _ed, _chapters in documents:
        staged[edition / name] = edition.parent / f".{edition.name}-{name}.{token}.tmp"
        staged[html_dir / name] = html_dir.parent / f".{html_dir.name}-{name}.{token}.tmp"
    printed: list[dict] = []
    try:
        for i, (name, doc_ed, chapters) in enumerate(documents):
            final, info = _print(chapters, doc_ed, html_dir, work / f"utskrift-{i}.html", pub, log)
            for target in (edition / name, html_dir / name):
                staged[target].write_bytes(final)
            printed.append({"fil": name, **info, "kapitel": len(chapters)})
        details = {k: v for k, v in printed[0].items() if k != "kapitel"}
        details.update({"skapad": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                        "pypdf": metadata.version("pypdf"), "pdfa": f"PDF/A-{PART}{CONFORMANCE.lower()}",
                        "pikepdf": metadata.version("pikepdf")})
        if len(printed) > 1:
            details["bilagor"] = {k: printed[1][k] for k in ("fil", "sidor", "liggande_tabeller")}
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
    first = printed[0]
    result = PdfResult(year, (edition / first["fil"], html_dir / first["fil"]), first["sidor"], first["kapitel"],
                       tuple(first["liggande_tabeller"]),
                       tuple(edition / p["fil"] for p in printed[1:]), tuple(p["sidor"] for p in printed[1:]))
    for p in printed:
        log(f"Klart: {p['fil']}, {p['sidor']} sidor A4, {p['kapitel']} kapitel ({edition / p['fil']} "
            f"och {html_dir / p['fil']})")
    return result


def _print(chapters: list[Chapter], ed: Edition, html_dir: Path, document: Path, pub: dict, log) -> tuple[bytes, dict]:
    """One print document rendered, finished and made PDF/A: its bytes and what the manifest records."""
    from pypdf import PdfReader

    text = compose(chapters, ed, None, _stylesheets(html_dir / "index.html"))
    document.write_text(absolute_addresses(text, html_dir), encoding="utf-8")
    log(f"Skriver {ed.title} med Chromium (A4) …")
    pause("pdf-rendering")
    raw, pages, landscape, chromium = render(document)
    final = to_pdfa(finish(raw, chapters, pages, ed, chromium),
                    PdfaInfo(kommun=ed.utgivare, year=ed.year, dnr=(pub.get("diarienummer") or {}).get(ed.year)))
    problems = pdfa_check(final)
    if problems:
        raise RunError(f"PDF-filen ({ed.title}) blev inte PDF/A-2u och skrivs inte:\n"
                       + "\n".join(f"  • {p}" for p in problems))
    return final, {"sidor": len(PdfReader(io.BytesIO(final)).pages), "chromium": chromium,
                   "liggande_tabeller": landscape}


__all__ = ["PdfResult", "book_order", "build_pdf", "compose", "read_chapter"]
