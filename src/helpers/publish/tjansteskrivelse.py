"""The tjänsteskrivelse as its own PDF (A4, at most four pages), beside the report's PDF.

`python -m helpers pdf --ar ÅR` writes it after the report's PDF. It is printed from the built
page (`_build/html/<år>/tjansteskrivelse.html`) with the report's printing (publish.pdf.render and
finish) and made PDF/A-2u with evidence.pdfa, so web and print say the same. Like every write into
an edition it is refused on a fastställd year unless forced (`--tvinga --orsak`), staged outside
the published folders and recorded in the manifest last.

Diarienummer, datum, handläggare and mottagare are part of the page, written when the edition is
built (`rapport`, from `arende:` in _config.yml or its options). The `pdf` command takes the same
options, but only to check them: a value that differs from the built page is refused before
anything is written, with the `rapport` command that builds the page with it, because a PDF that
says another diarienummer than the web page would be two documents under one name.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import shutil
import uuid
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from helpers.core.errors import InputError, Problem, RunError, display_path
from helpers.core.layout import Layout
from helpers.data import config
from helpers.data.arende import OPTION, Arende, with_overrides
from helpers.evidence.faststallande import record_forced
from helpers.evidence.manifest import MANIFEST
from helpers.evidence.manifest import load_manifest as read_manifest
from helpers.evidence.package import add_to_edition, guard
from helpers.evidence.pdfa import CONFORMANCE, PART, PdfaInfo, to_pdfa
from helpers.evidence.pdfa import check as pdfa_check
from helpers.present.tjansteskrivelse import PAGE
from helpers.publish.pdf import finish, render
from helpers.publish.pdfdoc import CHAPTER_ID, Edition, _stylesheets, absolute_addresses, read_chapter
from helpers.publish.site import publication

MAX_SIDOR = 4
NAME = "tjansteskrivelse-{ar}.pdf"

PRINT_CSS = """
@page {
  size: A4; margin: 20mm 20mm 20mm 20mm;
  @top-left { content: %(huvud)s; font: 8.5pt/1.2 "DejaVu Sans", sans-serif; color: #444; }
  @top-right { content: %(markering)s; font: bold 8.5pt/1.2 "DejaVu Sans", sans-serif; color: #7a3400; }
  @bottom-right { content: "Sida " counter(page) " av " counter(pages); font: 8.5pt/1.2 "DejaVu Sans", sans-serif; }
}
html, body { background: #fff !important; }
body.uppf-pdf { display: block !important; margin: 0; padding: 0; font-size: 10.5pt; line-height: 1.45; color: #1a1a1a;
  font-variant-ligatures: none; }
body.uppf-pdf .bd-article-container, body.uppf-pdf .bd-article { max-width: none; width: auto; padding: 0; margin: 0; }
h1 { font-size: 18pt; margin: 0 0 5mm 0; }
h2 { font-size: 13pt; margin: 6mm 0 2mm 0; break-after: avoid; }
dl.uppf-arende { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; margin: 0 0 4mm 0; }
dl.uppf-arende dt { font-weight: 600; }
dl.uppf-arende dd { margin: 0; }
ol.uppf-beslutspunkter li, ul li { margin-bottom: 1.5mm; break-inside: avoid; }
"""


def pdf_name(year: int) -> str:
    return NAME.format(ar=year)


def page_values(page: Path) -> dict[str, str]:
    """Diarienummer, datum, handläggare and mottagare as the built page states them ('' = not given)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    dl = soup.select_one("dl.uppf-arende")
    if dl is None:
        raise RunError(f"{page.name} saknar ärendets uppgifter: bygg om utgåvan (make report).")
    return {key: dl.get(f"data-{key}", "") for key in OPTION}


def archive_dnr(layout: Layout, year: int, given: str | None) -> str | None:
    """The diarienummer the archive package describes: the one the tjänsteskrivelse was built with,
    or the one given to `arkivera` when the page has none. Two different ones are refused before
    anything is written: the package would name another ärende than the document it holds."""
    page = layout.html(year) / f"{PAGE}.html"
    built = page_values(page)["diarienummer"] if page.exists() else ""
    given = " ".join(given.split()) if given else None
    if given and built and given != built:
        raise InputError([Problem(
            "--diarienummer", f"samma diarienummer som tjänsteskrivelsen i utgåvan ('{built}'), eller inget: "
            f"arkivet tar då utgåvans. Är det utgåvans som är fel, bygg om den med: python -m helpers rapport "
            f"--ar {year} --dnr \"{given}\"", value=given)])
    return given or built or None


def check_options(layout: Layout, year: int, overrides: dict | None) -> None:
    """Refuse, before anything is written, options that differ from the built page (see module doc)."""
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if not given:
        return
    page = layout.html(year) / f"{PAGE}.html"
    if not page.exists():
        raise RunError(f"Utgåvan {year} har ingen tjänsteskrivelse ({page.name} saknas). Kör först: make report YEAR={year}")
    wanted = with_overrides(Arende(), given)
    built = page_values(page)
    problems = []
    for key in given:
        value = getattr(wanted, key)
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
        if value != built[key]:
            problems.append(Problem(
                f"--{OPTION[key]}", f"samma värde som den byggda tjänsteskrivelsen ('{built[key] or 'inte angivet'}'). "
                f"PDF:en skrivs från webbsidan; bygg om den med värdet: python -m helpers rapport --ar {year} "
                f"--{OPTION[key]} \"{value}\", och kör sedan pdf igen", value=value))
    if problems:
        raise InputError(problems)


PRINT_DOC = """<!DOCTYPE html>
<html lang="sv" data-theme="light" data-mode="light">
<head><meta charset="utf-8"><title>{title}</title>
{links}
<style>{css}</style></head>
<body class="uppf-pdf"><main class="bd-article-container"><article class="bd-article">
<section class="uppf-kapitel" id="{anchor}">{body}</section>
</article></main></body></html>
"""


@dataclass(frozen=True)
class TjResult:
    year: int
    paths: tuple[Path, ...]
    pages: int


def build_tjansteskrivelse(year: int, layout: Layout, *, log=print, force: bool = False,
                           reason: str | None = None, record: bool = True) -> TjResult:
    """`make pdf`'s second file: the edition's tjänsteskrivelse as a PDF/A-2u of at most four A4 pages.

    `record=False` when the command that forced it is recorded already (the `pdf` command writes
    both PDFs under one record of who, when and why)."""
    from pypdf import PdfReader

    forced = guard(layout, year, force=force, command=f"pdf --ar {year}" + (" --tvinga" if force else ""),
                   reason=reason)
    html_dir, edition = layout.html(year), layout.edition(year)
    cfg = config.for_data(layout.data)
    page = html_dir / f"{PAGE}.html"
    for need in (page, html_dir / "index.html", edition / MANIFEST):
        if not need.exists():
            raise RunError(f"Utgåvan {year} saknar {need.name} ({display_path(need.parent)}). "
                           f"Kör först: make report YEAR={year}")
    manifest = read_manifest(edition / MANIFEST)
    pub = publication(layout.config)
    chapter = read_chapter(page, PAGE, None, {PAGE})
    values = page_values(page)
    ed = Edition(year=year, title=f"Tjänsteskrivelse: uppföljning {year} av {cfg.planen}", utgivare=pub["utgivare"],
                 enhet=pub.get("enhet", ""), serie=pub.get("serie", ""), exempeldata=bool(manifest.get("exempeldata")),
                 byggd=None, period=(None, None))
    name = pdf_name(year)
    work = layout.build / "staging" / f"tjansteskrivelse-{year}-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    token = uuid.uuid4().hex[:8]
    staged = {edition / name: edition.parent / f".{edition.name}-{name}.{token}.tmp",
              html_dir / name: html_dir.parent / f".{html_dir.name}-{name}.{token}.tmp"}
    try:
        css = PRINT_CSS % {"huvud": _css(f"{pub['utgivare']} – tjänsteskrivelse"),
                           "markering": _css("Exempeldata" if ed.exempeldata else "")}
        text = PRINT_DOC.format(title=html.escape(ed.title), links=_stylesheets(html_dir / "index.html"), css=css,
                                anchor=CHAPTER_ID.format(name=PAGE), body=chapter.body)
        document = work / "tjansteskrivelse.html"
        document.write_text(absolute_addresses(text, html_dir), encoding="utf-8")
        log("Skriver tjänsteskrivelsen med Chromium (A4) …")
        raw, _pages, _landscape, chromium = render(document)
        # One chapter, on page 1: its headings become the bookmarks.
        finished = _without_title_bookmark(finish(raw, [chapter], {PAGE: 1}, ed, chromium))
        final = to_pdfa(finished, PdfaInfo(kommun=ed.utgivare, year=year, dnr=values["diarienummer"] or None))
        problems = pdfa_check(final)
        if problems:
            raise RunError("Tjänsteskrivelsen blev inte PDF/A-2u och skrivs inte:\n"
                           + "\n".join(f"  • {p}" for p in problems))
        n_pages = len(PdfReader(io.BytesIO(final)).pages)
        if n_pages > MAX_SIDOR:
            raise RunError(f"Tjänsteskrivelsen blev {n_pages} sidor, högst {MAX_SIDOR} får plats; den skrivs inte. "
                           "Korta enheternas sammanfattningar eller förslag i standardmallen.")
        for path in staged.values():
            path.write_bytes(final)
        details = {"fil": name, "sidor": n_pages, "pdfa": f"PDF/A-{PART}{CONFORMANCE.lower()}",
                   "skapad": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "chromium": chromium,
                   "pypdf": metadata.version("pypdf"), "pikepdf": metadata.version("pikepdf"),
                   **{k: v for k, v in values.items() if v}}
        if forced:
            details["tvingad"] = {k: forced[k] for k in ("av", "tid", "orsak")}
        add_to_edition(layout, year, list(staged), replace=True, derived={"tjansteskrivelse": details},
                       forced=forced, staged=staged)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for path in staged.values():
            path.unlink(missing_ok=True)
    if forced and record:
        record_forced(layout, year, {k: forced[k] for k in ("kommando", "av", "tid", "orsak")})
    log(f"Klart: tjänsteskrivelsen, {n_pages} sidor A4. PDF: {edition / name} (och {html_dir / name})")
    return TjResult(year, (edition / name, html_dir / name), n_pages)


def _css(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _without_title_bookmark(pdf: bytes) -> bytes:
    """finish() opens the outline with the report's 'Titelsida'; a tjänsteskrivelse has none."""
    import pikepdf

    doc = pikepdf.open(io.BytesIO(pdf))
    with doc.open_outline() as outline:
        outline.root[:] = [item for item in outline.root if item.title != "Titelsida"]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
