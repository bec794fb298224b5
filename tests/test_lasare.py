"""The book as a reader reads it: in the reader's language, and on a phone.

- Reader language: no file paths, code versions or hashes, command names, notebook or manifest
  words, indicator codes used as labels, straight or English quote marks or workshop phrases in
  any page a reader meets (web and PDF). The technical appendix (Metod och kontroller) and the
  archive keep the technical record; the check leaves them out, and nothing else.
- Every real published figure names its source and, where one exists, its address.
- Phones (390 px) and desktops (1280 px): the overview shows every åtgärd's signal without
  scrolling sideways, the previous/next links at the foot of each page are never cut, headings
  never break inside a word, the edition bar is on the first screen, and a page of an older
  edition says that a newer one exists (from the shared list utgavor.js, without being rebuilt).
- The landing page promises a PDF only for the editions that have one.

The book is the shipped data built once per session (`shipped_book` in conftest.py).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DATA, NORRTALJE, read_rows
from test_browser import browser  # noqa: F401  (Debian's Chromium; these checks need no axe-core)
from test_publication import DESKTOP, PHONE, Reader

YEAR = 2026

# Pages that are the technical record, not reader text: the appendix and the search page.
TECHNICAL_PAGES = {"metod.html", "search.html", "genindex.html"}
# Outline titles of the technical appendix in the PDF.
TECHNICAL_TITLE = re.compile(r"^(Bilaga: )?Metod|^Om rapporten – teknisk", re.IGNORECASE)
# The register's readings of the plan are a record keyed by indicator code (a reader finds each
# indicator's name beside its code there); codes may stand there, and nowhere else.
CODES_KEPT = {"tolkningar.html"}
CODES_KEPT_TITLE = re.compile(r"Planens ord och rapportens tolkningar")

FORBIDDEN = {
    "filsökväg": re.compile(r"(?<![\w/.:-])(?:data|book|_build|src|notebooks|tests|indata|tabeller)/"
                            r"|\b[\w.-]+\.(?:csv|ipynb|json|py|ya?ml|xlsx)\b"),
    "kontrollsumma eller git-version": re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{10,64}\b"),
    "indikatorkod som etikett": re.compile(r"\b\d+\.\d+-\d+\b|\bM\d+-\d+\b"),
    "verkstadsord": re.compile(r"notebook|manifest|papermill|python -m|\bmake (?:report|pdf|test)\b|git-version"
                               r"|\bgit\b|jupyter", re.IGNORECASE),
    "rak eller engelsk citattecken": re.compile(r"[\"“„«»]"),
    "oklart ord": re.compile(r"aktuella åtgärder|\bansvarigs\b|ej förfallet|uppfyllda försenat", re.IGNORECASE),
}
URL = re.compile(r"https?://\S+")


def problems_in(text: str, where: str, *, codes_kept: bool = False) -> list[str]:
    text = URL.sub(" ", text)
    out = []
    for what, pattern in FORBIDDEN.items():
        if codes_kept and what == "indikatorkod som etikett":
            continue
        for m in pattern.finditer(text):
            out.append(f"{where}: {what}: …{text[max(0, m.start() - 50):m.end() + 30]}…")
    return out


def reader_text(path: Path) -> str:
    """The text of a page as readers see it (edition bar, article, previous/next, footer); no scripts or styles."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    parts = soup.select(".uppf-utgavarad, article.bd-article, .prev-next-area, footer.bd-footer") or [soup.body]
    for part in parts:
        for junk in part.select("script, style, .cell_input"):
            junk.decompose()
    return " ".join(" ".join(p.get_text(" ").split()) for p in parts)


# --- the checks find what they are for ------------------------------------------------------------

@pytest.mark.parametrize("text, what", [
    ("(Filer märkta .exempeldata i data/2025/, data/2026/.)", "filsökväg"),
    ("underlag i status.exempeldata.csv", "filsökväg"),
    ("programkoden i git-version 0319eac22735", "kontrollsumma eller git-version"),
    ("4.1-10 Antal anställnings- och lönestöd", "indikatorkod som etikett"),
    ("M4-1 Antal erbjudna sommarjobb", "indikatorkod som etikett"),
    ("körda notebooks och kontrollsummor (manifest.json)", "verkstadsord"),
    ("kommandot python -m helpers verifiera", "verkstadsord"),
    ('initiativ likt "starta eget-dagen"', "rak eller engelsk citattecken"),
    ("frågan “dialog mellan företag”", "rak eller engelsk citattecken"),
    ("10 av 16 aktuella åtgärder", "oklart ord"),
    ("Ansvarigs sammanfattning", "oklart ord"),
])
def test_the_scan_finds_each_kind_of_workshop_text(text, what):
    assert any(f": {what}:" in p for p in problems_in(text, "x")), problems_in(text, "x")


def test_the_scan_lets_plain_reader_text_through():
    text = ("Genomförandet går delvis enligt plan 2026: 10 av 16 åtgärder (63 %) följer planen. Åtgärd 4.1, "
            "målområde 2, 1.2 Implementera uppföljning, ”starta eget-dagen”, NKI 72, plats 169, 2025–2030, "
            "källa: https://www.norrtalje.se/nyheterna/2019-04/norrtalje-kommun-har-bast-bygglovsservice-i-lanet/")
    assert problems_in(text, "x") == []


# --- the built book ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(request):
    layout, _ = request.getfixturevalue("shipped_book")
    return layout


@pytest.mark.slow
def test_reader_pages_carry_no_paths_hashes_codes_workshop_words_or_mixed_quotes(built):
    pages = [p for p in sorted(built.html(YEAR).glob("*.html")) if p.name not in TECHNICAL_PAGES]
    assert len(pages) >= 25 and {"index.html", "om_rapporten.html", "foretagsklimat.html"} <= {p.name for p in pages}
    problems = [p for page in pages for p in problems_in(reader_text(page), page.name, codes_kept=page.name in CODES_KEPT)]
    landing = BeautifulSoup((built.build / "html" / "index.html").read_text(encoding="utf-8"), "lxml")
    problems += problems_in(" ".join(landing.body.get_text(" ").split()), "landningssida")
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} i alla)"


@pytest.mark.slow
def test_the_ordlista_explains_the_words_the_first_pages_use_and_the_start_page_links_to_it(built):
    page = BeautifulSoup((built.html(YEAR) / "om_rapporten.html").read_text(encoding="utf-8"), "lxml")
    section = page.find(id="ordlista")
    assert section is not None and section.find("h2").get_text(strip=True).startswith("Ordlista")
    terms = {dt.get_text(" ", strip=True) for dt in section.find_all("dt")}
    used = {"Signal", "Måluppfyllelse", "Prognos", "Milstolpe", "Justering", "Förslag till beslut", "Tjänsteskrivelse",
            "Bilagor", "NKI", "Exempeldata"}
    assert used <= terms, sorted(used - terms)
    start = reader_text(built.html(YEAR) / "index.html")
    assert all(word.lower() in start.lower() for word in ("signal", "förslag till beslut", "milstolpe", "NKI"))
    link = BeautifulSoup((built.html(YEAR) / "index.html").read_text(encoding="utf-8"), "lxml").find(
        "a", href="om_rapporten.html#ordlista")
    assert link is not None and link.get_text(strip=True) == "ordlista"


@pytest.mark.slow
def test_the_technical_record_is_kept_in_the_appendix_not_dropped(built):
    appendix = reader_text(built.html(YEAR) / "metod.html")
    manifest = json.loads((built.edition(YEAR) / "manifest.json").read_text(encoding="utf-8"))
    assert "Utgåvans spårbarhet" in appendix and manifest["kod"]["helpers_sha256"][:16] in appendix
    assert f"verifiera --ar {YEAR}" in appendix


def _outline(reader) -> list[tuple[int, str, int]]:
    """(level, title, first page) of every bookmark, in document order."""
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return out


def chapter_pages(reader, title: re.Pattern) -> set[int]:
    """The pages of every bookmarked chapter whose title matches, up to the next one at its level or above."""
    marks, pages = _outline(reader), set()
    for i, (level, name, start) in enumerate(marks):
        if title.search(name):
            end = next((p for lv, _, p in marks[i + 1:] if lv <= level), len(reader.pages))
            pages.update(range(start, max(end, start + 1)))
    return pages


@pytest.mark.slow
def test_the_pdf_carries_no_workshop_text_outside_its_technical_appendix(shipped_printed):
    import pypdf

    from helpers.core.layout import bilagor_pdf_name, pdf_name

    built, _ = shipped_printed
    report, bilagor = built.edition(YEAR) / pdf_name(YEAR), built.edition(YEAR) / bilagor_pdf_name(YEAR)
    problems, technical_pages = [], 0
    for pdf in (report, bilagor):
        reader = pypdf.PdfReader(pdf)
        technical, codes_kept = chapter_pages(reader, TECHNICAL_TITLE), chapter_pages(reader, CODES_KEPT_TITLE)
        assert len(technical) < len(reader.pages) / 4, f"{pdf.name}: the technical appendix is a small part"
        technical_pages += len(technical)
        problems += [p for n, page in enumerate(reader.pages) if n not in technical
                     for p in problems_in(" ".join(page.extract_text().split()), f"{pdf.name} sida {n + 1}",
                                          codes_kept=n in codes_kept)]
    assert technical_pages > 0, "the technical appendix is found (in the bilagor)"
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} i alla)"


# --- sources ----------------------------------------------------------------------------------------

def test_every_shipped_real_figure_has_its_source_and_address():
    for name in ("insikt_publicerat.csv", "ranking_publicerat.csv"):
        for row in read_rows(DATA / "foretagsklimat" / name):
            assert row["kalla"].strip() and re.fullmatch(r"https?://\S+", row["adress"]), (name, row)


@pytest.mark.slow
def test_the_book_shows_each_real_figures_address_under_its_source(built):
    # The history of real published figures is in the business climate's bilaga.
    soup = BeautifulSoup((built.html(YEAR) / "bilaga_foretagsklimat.html").read_text(encoding="utf-8"), "lxml")
    table = next(t for t in soup.select("table") if "Verkliga publicerade resultat" in t.caption.get_text())
    rows = table.select("tbody tr")
    shipped = {r["adress"] for n in ("insikt_publicerat.csv", "ranking_publicerat.csv")
               for r in read_rows(DATA / "foretagsklimat" / n)}
    shown = {a["href"] for a in table.select("a.uppf-adress")}
    assert len(rows) >= 20 and shown == shipped
    assert all(r.select_one("a.uppf-adress") for r in rows), "every real figure in the table has its address"


# --- the landing page -------------------------------------------------------------------------------

def _landing(editions):
    from helpers.data.config import load_config
    from helpers.present.startsida import landing_html

    cfg = load_config(NORRTALJE / "_config.yml")
    return " ".join(BeautifulSoup(landing_html(editions, cfg), "lxml").body.get_text(" ").split())


def _edition(ar, pdf):
    return {"ar": ar, "byggd": f"{ar}-11-30", "exempeldata": True, "pdf": f"uppfoljningsrapport-{ar}.pdf" if pdf else None,
            "pdf_sidor": 40 if pdf else None, "tillganglighet": True, "sidor": ["index"]}


def test_the_landing_page_promises_a_pdf_only_for_editions_that_have_one():
    mixed = _landing([_edition(2026, True), _edition(2025, False)])
    assert "Varje år finns som webbversion. 2026 finns också som en PDF-fil i A4" in mixed
    assert "Varje år finns som webbversion och som en PDF-fil" not in mixed
    assert "rapporten 2025 som PDF" not in mixed and "rapporten 2026 som PDF" in mixed
    assert "Varje år finns som webbversion och som en PDF-fil i A4" in _landing([_edition(2026, True)])
    assert "PDF" not in _landing([_edition(2025, False)])


# --- phones and desktops ------------------------------------------------------------------------------


# Words of headings and the previous/next titles split over two lines anywhere but at a soft hyphen.
BROKEN_WORDS_JS = r"""() => {
  const broken = [];
  const lines = range => new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  for (const el of document.querySelectorAll('article h1, article h2, article h3, main h1, main h2, main h3, p.prev-next-title')) {
    if (!el.getClientRects().length) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      const re = /[^\s\-–—\/]+/g;
      let m;
      while ((m = re.exec(text))) {
        let start = m.index;
        for (const piece of m[0].split('\u00ad')) {  // a soft hyphen is a proper place to break
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + piece.length);
          if (piece.length > 1 && lines(range).size > 1) broken.push(`${el.tagName.toLowerCase()}: ${piece}`);
          start += piece.length + 1;
        }
      }
    }
  }
  return broken;
}"""

FOOT_JS = """() => {
  const vw = document.documentElement.clientWidth;
  return [...document.querySelectorAll('.prev-next-area a')].filter(a => a.getClientRects().length).map(a => {
    const r = a.getBoundingClientRect(), t = a.querySelector('.prev-next-title');
    return {text: t ? t.innerText : a.innerText, left: r.left, right: r.right, vw,
            cut: t ? t.scrollWidth > t.clientWidth + 1 : false};
  });
}"""

OVERVIEW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const table = document.querySelector('table.uppf-oversikt');
  const wrap = table.closest('.uppf-tabell-wrap');
  const rows = [...table.querySelectorAll('tbody tr')].map(tr => {
    const s = tr.querySelector('.uppf-signal'), r = s.getBoundingClientRect();
    return {atgard: tr.querySelector('th').innerText.split('\\n')[0], left: r.left, right: r.right, text: s.innerText};
  });
  return {vw, rows, scrolls: wrap.scrollWidth > wrap.clientWidth + 1, pageWidth: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def views(browser, built):  # noqa: F811
    """Every page of the edition (and the landing page) at 390 and 1280 px: feet, headings, edition bar."""
    out = {}
    pages = [p for p in sorted(built.html(YEAR).glob("*.html")) if p.name not in ("search.html", "genindex.html")]
    for label, viewport in (("mobil", PHONE), ("dator", DESKTOP)):
        r = Reader(browser, viewport)
        try:
            for page in [*pages, built.build / "html" / "index.html"]:
                name = page.name if page.parent.name == str(YEAR) else "landningssida"
                r.open(page)
                bar = r.page.locator('.uppf-utgavarad a[href="../index.html"]')
                out[(label, name)] = {
                    "broken": r.page.evaluate(BROKEN_WORDS_JS), "foot": r.page.evaluate(FOOT_JS),
                    "bar_top": bar.first.bounding_box()["y"] if bar.count() else None,
                    "overview": r.page.evaluate(OVERVIEW_JS) if name == "index.html" else None,
                }
        finally:
            r.close()
    return out


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("label", ["mobil", "dator"])
def test_the_overview_shows_every_atgards_signal_without_scrolling_sideways(views, label):
    o = views[(label, "index.html")]["overview"]
    ids = [r["atgard_id"] for r in read_rows(DATA / "plan" / "atgarder.csv")]
    assert [r["atgard"].split(" ")[0] for r in o["rows"]] == ids
    assert not o["scrolls"] and o["pageWidth"] <= o["vw"] + 1
    off = [r for r in o["rows"] if r["left"] < 0 or r["right"] > o["vw"] + 1 or not r["text"].strip()]
    assert not off, off


@pytest.mark.slow
@pytest.mark.browser
def test_previous_and_next_links_are_never_cut_off(views):
    problems = [f"{label} {name}: {f['text']!r} ({round(f['left'])}–{round(f['right'])} px av {f['vw']})"
                for (label, name), v in views.items() for f in v["foot"]
                if f["cut"] or f["left"] < -1 or f["right"] > f["vw"] + 1]
    assert sum(len(v["foot"]) for v in views.values()) > 40
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.browser
def test_headings_never_break_inside_a_word(views):
    problems = [f"{label} {name}: {w}" for (label, name), v in views.items() for w in v["broken"]]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.browser
def test_the_edition_bar_with_the_way_to_every_edition_is_on_the_first_screen(views):
    late = {f"{label} {name}": v["bar_top"] for (label, name), v in views.items()
            if name != "landningssida" and (v["bar_top"] is None or v["bar_top"] > (PHONE if label == "mobil" else DESKTOP)["height"] / 2)}
    assert not late, late


@pytest.mark.slow
@pytest.mark.browser
def test_a_page_of_an_older_edition_says_a_newer_one_exists_from_the_shared_list_alone(browser, built, tmp_path):  # noqa: F811
    """The shipped 2026 edition, copied as it is; only the shared list at the root gains a 2027 edition."""
    from helpers.publish.site import editions, editions_script

    root = tmp_path / "html"
    shutil.copytree(built.build / "html", root)
    page_before = (root / str(YEAR) / "atgard_1_1.html").read_bytes()
    listed = editions(built)
    newer = {**listed[0], "ar": YEAR + 1, "sidor": ["index", "atgard_1_1"], "pdf": None}
    (root / "utgavor.js").write_text(editions_script([newer, *listed]), encoding="utf-8")
    for label, viewport in (("mobil", PHONE), ("dator", DESKTOP)):
        r = Reader(browser, viewport)
        try:
            console, blocked = r.open(root / str(YEAR) / "atgard_1_1.html")
            assert not console and not blocked, (console, blocked)
            notice = r.page.locator(".uppf-nyare")
            assert notice.count() == 1 and notice.is_visible(), label
            assert f"nyare utgåva: Uppföljningsrapport {YEAR + 1}" in notice.inner_text()
            assert notice.locator(f'a[href="../{YEAR + 1}/atgard_1_1.html"]').count() == 1
            assert notice.bounding_box()["y"] < viewport["height"], "the notice is on the first screen"
            r.open(root / str(YEAR) / "atgard_1_2.html")  # a chapter the newer edition lacks: its start page
            assert r.page.locator(f'.uppf-nyare a[href="../{YEAR + 1}/index.html"]').count() == 1
            r.open(root / str(YEAR) / "index.html")
            assert r.page.locator(".uppf-nyare").count() == 1
        finally:
            r.close()
    assert (root / str(YEAR) / "atgard_1_1.html").read_bytes() == page_before
    # The newest edition itself says nothing of the kind.
    r = Reader(browser, PHONE)
    try:
        r.open(built.html(YEAR) / "atgard_1_1.html")
        assert r.page.locator(".uppf-nyare").count() == 0
    finally:
        r.close()
