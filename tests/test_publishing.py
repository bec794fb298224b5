"""Publishing without a browser: the redogörelse from configuration, its checks, the editions list,
the landing page, the PDF's reading order and links, and the theme fixes in the Sphinx extension."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest
import yaml

from conftest import DATA, NORRTALJE, ROOT
from helpers.core.errors import InputError
from helpers.core.layout import Layout, bilagor_pdf_name, pdf_name
from helpers.present.startsida import landing_html
from helpers.present.tillganglighet import redogorelse_markdown
from helpers.publish import site as publish
from helpers.publish.pdfdoc import _pdf_href, book_order
from helpers.run.pages import toc
from helpers.run.sphinx_ext import name_toc_toggles

CONFIG = ROOT / "_config.yml"


def shipped_publication() -> dict:
    return publish.publication(CONFIG)


# --- the tillgänglighetsredogörelse -------------------------------------------------------------------

def test_the_shipped_configuration_is_a_valid_publication():
    pub = shipped_publication()
    t = pub["tillganglighet"]
    assert pub["utgivare"] == "Norrtälje kommun"
    assert t["status"] in ("helt förenlig", "delvis förenlig", "inte förenlig")
    assert isinstance(t["bedomd"], dt.date) and isinstance(t["uppdaterad"], dt.date)


def test_redogorelse_has_every_part_of_diggs_model_from_configuration():
    pub = copy.deepcopy(shipped_publication())
    t = pub["tillganglighet"]
    t["kontakt"]["e-post"] = "naringsliv@example.se"
    t["bedomd"] = dt.date(2027, 3, 1)
    t["uppdaterad"] = dt.date(2027, 3, 2)
    page = redogorelse_markdown(pub, 2027)
    assert page.startswith("# Tillgänglighetsredogörelse")
    for needed in ("Norrtälje kommun står bakom", "*Uppföljningsrapport 2027*", "**delvis förenlig**",
                   "lagen (2018:1937) om tillgänglighet till digital offentlig service",
                   "## Vad kan du göra om du inte kan använda delar av rapporten?",
                   "## Rapportera brister i rapportens tillgänglighet", "## Tillsyn",
                   "(https://www.digg.se/tdosanmalan)", "### Innehåll som inte är tillgängligt",
                   "WCAG 1.1.1", "## Hur vi har testat rapporten",
                   "den 1 mars 2027", "den 2 mars 2027", "[naringsliv@example.se](mailto:naringsliv@example.se)",
                   "oskäligt betungande anpassning"):
        assert needed in page, needed
    for brist in t["brister"]:
        assert brist["rubrik"] in page


def test_redogorelse_of_a_fully_conformant_service_lists_no_shortcomings():
    pub = copy.deepcopy(shipped_publication())
    pub["tillganglighet"].update(status="helt förenlig", brister=[])
    page = redogorelse_markdown(pub, 2026)
    assert "**helt förenlig**" in page and "Innehåll som inte är tillgängligt" not in page
    assert "Kända brister" not in page


def test_configuration_text_cannot_inject_markup_into_the_redogorelse():
    pub = copy.deepcopy(shipped_publication())
    pub["tillganglighet"]["brister"] = [{"rubrik": "<script>alert(1)</script>", "text": "[länk](javascript:x) *fet*"}]
    page = redogorelse_markdown(pub, 2026)
    # Every Markdown and HTML special character from the settings is escaped: literal text only.
    brist = next(line for line in page.splitlines() if "alert" in line)
    assert brist == r"- **\<script\>alert(1)\</script\>.** \[länk\](javascript:x) \*fet\*"


def _config_with(tmp_path, change) -> Layout:
    cfg = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    change(cfg)
    path = tmp_path / "_config.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def test_a_bad_publication_section_is_reported_in_swedish_all_at_once(tmp_path):
    def spoil(cfg):
        t = cfg["publicering"]["tillganglighet"]
        t["status"] = "nästan förenlig"
        t["bedomd"] = "31/12/2026"
        t["kontakt"] = {"namn": "Näringslivsenheten", "webb": "", "e-post": "", "telefon": ""}
        t["brister"] = [{"rubrik": "Utan text"}]
    with pytest.raises(InputError) as exc:
        publish.publication(_config_with(tmp_path, spoil))
    message = exc.value.message()
    assert "Indata innehåller 4 fel" in message
    assert "publicering.tillganglighet.status" in message and "'nästan förenlig'" in message
    assert "helt förenlig, delvis förenlig, inte förenlig" in message
    assert "publicering.tillganglighet.bedomd" in message and "ÅÅÅÅ-MM-DD" in message
    assert "e-post, telefon eller webb" in message
    assert "publicering.tillganglighet.brister[1]" in message


def test_a_missing_publication_section_names_what_is_expected(tmp_path):
    with pytest.raises(InputError) as exc:
        publish.publication(_config_with(tmp_path, lambda cfg: cfg.pop("publicering")))
    assert "'publicering'" in exc.value.message()


def test_the_redogorelse_is_in_the_table_of_contents_under_bilagor():
    from helpers.data.plan import load_plan

    plan = load_plan(DATA / "plan")
    parts = toc(plan, [])["parts"]
    om = next(p for p in parts if p["caption"] == "Bilagor")
    assert {"file": "tillganglighet"} in om["chapters"]


# --- the editions list and the landing page ------------------------------------------------------------

def _fake_edition(layout: Layout, year: int, *, pdf: bool, pages=("index", "atgard_1_1"), bilagor: bool = False):
    html = layout.html(year)
    html.mkdir(parents=True)
    for p in pages:
        (html / f"{p}.html").write_text("<html></html>", encoding="utf-8")
    (html / "tillganglighet.html").write_text("<html></html>", encoding="utf-8")
    edition = layout.edition(year)
    edition.mkdir(parents=True)
    manifest = {"ar": year, "byggd": f"{year}-11-30T08:00:00+00:00", "exempeldata": year == 2026, "filer": {}}
    if pdf:
        (html / pdf_name(year)).write_bytes(b"%PDF-1.7")
        manifest["pdf"] = {"fil": pdf_name(year), "sidor": 42}
    if pdf and bilagor:
        (html / bilagor_pdf_name(year)).write_bytes(b"%PDF-1.7")
        manifest["pdf"]["bilagor"] = {"fil": bilagor_pdf_name(year), "sidor": 51}
    (edition / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_editions_come_from_the_published_folders_newest_first(tmp_path):
    layout = Layout.at(tmp_path)
    _fake_edition(layout, 2025, pdf=False)
    _fake_edition(layout, 2026, pdf=True, pages=("index", "atgard_1_1", "atgard_6_4"), bilagor=True)
    (layout.build / "html" / "staging").mkdir()
    items = publish.editions(layout)
    assert [e["ar"] for e in items] == [2026, 2025]
    assert items[0] == {"ar": 2026, "byggd": "2026-11-30", "exempeldata": True, "pdf": "uppfoljningsrapport-2026.pdf",
                        "pdf_sidor": 42, "bilagor": "uppfoljningsrapport-2026-bilagor.pdf", "bilagor_sidor": 51,
                        "tillganglighet": True, "sidor": ["atgard_1_1", "atgard_6_4", "index", "tillganglighet"]}
    assert items[1]["pdf"] is None and items[1]["bilagor"] is None and items[1]["exempeldata"] is False


def test_write_landing_writes_the_shared_script_and_the_list(tmp_path):
    layout = Layout.at(tmp_path)
    _fake_edition(layout, 2026, pdf=True, bilagor=True)
    publish.write_landing(layout)
    script = (layout.build / "html" / "utgavor.js").read_text(encoding="utf-8")
    data = json.loads(re.search(r"var UTGAVOR = (\[.*?\]);\n", script, re.S).group(1))
    assert data == publish.editions(layout)
    assert "data-uppf-utgavor" in script and "../" in script
    landing = (layout.build / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026/uppfoljningsrapport-2026.pdf"' in landing and "42 sidor" in landing
    assert 'href="2026/uppfoljningsrapport-2026-bilagor.pdf"' in landing and "51 sidor" in landing
    assert "mine.bilagor" in script  # a page hides its bilagor link when the edition has no such PDF
    assert "exempeldata" in landing and "30 november 2026" in landing


def test_the_editions_script_cannot_be_broken_out_of_by_data():
    script = publish.editions_script([{"ar": 2026, "sidor": ["</script><script>alert(1)"]}])
    assert "</script>" not in script


def test_landing_page_lists_each_edition_with_pdf_redogorelse_and_marking():
    from helpers.data.config import load_config

    cfg = load_config(NORRTALJE / "_config.yml")
    page = landing_html([
        {"ar": 2026, "byggd": "2026-11-30", "exempeldata": True, "pdf": "uppfoljningsrapport-2026.pdf", "pdf_sidor": 1,
         "tillganglighet": True},
        {"ar": 2025, "byggd": "", "exempeldata": False, "pdf": None, "tillganglighet": False},
    ], cfg)
    assert page.index('href="2026/index.html"') < page.index('href="2025/index.html"')
    assert "(A4, 1 sida)" in page and "2025/uppfoljningsrapport" not in page
    assert page.count("exempeldata</span>") == 1
    assert 'href="2026/tillganglighet.html"' in page and '<html lang="sv">' in page
    assert "Inga utgåvor" in landing_html([], cfg)
    assert f"<title>Uppföljningsrapporter – {cfg.genitiv} {cfg.strategi}</title>" in page
    assert f"Årliga uppföljningar av {cfg.planen}." in page


# --- the PDF's reading order and links --------------------------------------------------------------------

def test_book_order_puts_the_start_page_first_and_follows_parts_chapters_and_sections():
    t = {"root": "index", "parts": [
        {"caption": "Samlad analys", "chapters": [{"file": "samlad_analys"}, {"file": "foretagsklimat"}]},
        {"caption": "Målområde 1", "chapters": [{"file": "malomrade_1", "sections": [{"file": "atgard_1_1"}]}]},
        {"caption": "Om rapporten", "chapters": [{"file": "om_rapporten"}, {"file": "tillganglighet"}]}]}
    assert book_order(t) == [("index", None), ("samlad_analys", "Samlad analys"), ("foretagsklimat", "Samlad analys"),
                             ("malomrade_1", "Målområde 1"), ("atgard_1_1", "Målområde 1"),
                             ("om_rapporten", "Om rapporten"), ("tillganglighet", "Om rapporten")]


def test_links_between_pages_become_links_inside_the_pdf():
    names = {"atgard_1_1", "atgard_6_1"}
    assert _pdf_href("atgard_6_1.html", "atgard_1_1", names) == "#kap-atgard_6_1"
    assert _pdf_href("atgard_6_1.html#behov", "atgard_1_1", names) == "#atgard_6_1--behov"
    assert _pdf_href("#behov", "atgard_1_1", names) == "#atgard_1_1--behov"
    assert _pdf_href("https://www.digg.se/tdosanmalan", "x", names) == "https://www.digg.se/tdosanmalan"
    assert _pdf_href("okand.html", "x", names) == "okand.html"


# --- the theme fixes -------------------------------------------------------------------------------------

def test_sidebar_toggles_get_the_name_of_the_chapter_they_open():
    html = ('<li class="toctree-l1"><a class="reference internal" href="samlad_analys.html">Samlad analys</a></li>'
            '<li class="toctree-l1 has-children"><a class="reference internal" href="malomrade_1.html">'
            '1. Effektiv &amp; snabb service</a><details open="open"><summary><span class="toctree-toggle" '
            'role="presentation"><i class="fa-solid fa-chevron-down"></i></span></summary><ul></ul></details></li>')
    out = name_toc_toggles(html)
    assert out.count("<summary") == 1
    assert '<summary aria-label="Avsnitt i 1. Effektiv &amp; snabb service">' in out
    assert out.replace(' aria-label="Avsnitt i 1. Effektiv &amp; snabb service"', "") == html


def test_swedish_catalog_translates_every_english_string_the_theme_shows():
    po = (ROOT / "book" / "_locale" / "sv" / "LC_MESSAGES" / "sphinx.po").read_text(encoding="utf-8")
    ids = dict(re.findall(r'msgid "(.+)"\nmsgstr "(.*)"', po))
    for english in ("Skip to main content", "Back to top", "Color mode", "Light", "Dark", "System Settings",
                    "previous page", "next page", "Site navigation", "On this page", "Link to this heading",
                    "Table %s", "Please activate JavaScript to enable the search functionality."):
        assert ids.get(english), f"{english!r} is not translated"
    assert ids["Table %s"] == "Tabell %s"


def test_pdf_of_a_year_that_is_not_built_says_what_to_run_in_swedish(tmp_path):
    import subprocess
    import sys

    from conftest import make_project, small_data

    layout = make_project(tmp_path / "projekt", small_data(tmp_path / "src", ("1.1",)))
    proc = subprocess.run([sys.executable, "-m", "helpers", "pdf", "--ar", "2026"], capture_output=True, text=True,
                          cwd=layout.root)
    assert proc.returncode == 1, proc.stderr
    assert "Utgåvan 2026 är inte byggd" in proc.stderr and "make report YEAR=2026" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not any(layout.root.rglob("*.pdf"))
