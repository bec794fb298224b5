"""Specification of the tjänsteskrivelse (issue 25): the `arende:` block of _config.yml and the
command line's values over it, and the page written from the year's data (helpers.present.tjansteskrivelse).
The printed PDF is read in test_pdf_tjansteskrivelse.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import DATA
from helpers.compute.analysis import analyse
from helpers.compute.forslag import beslutspunkt
from helpers.core.errors import InputError
from helpers.core.layout import Layout
from helpers.data.arende import Arende, load_arende, parse_arende, with_overrides
from helpers.present import tjansteskrivelse as tj
from helpers.run import pages as book

# --- the arende: block --------------------------------------------------------------------------


def test_the_block_gives_per_year_values_over_the_common_ones():
    block = {"mottagare": "Kommunstyrelsen", "handlaggare": "Anna Andersson, näringslivsutvecklare",
             "ar": {2026: {"diarienummer": "KS 2026/0123", "datum": dt.date(2026, 12, 10)},
                    2027: {"diarienummer": "KS 2027/0001", "handlaggare": "Bo Berg"}}}
    a = parse_arende(block, 2026, "_config.yml")
    assert a == Arende("KS 2026/0123", dt.date(2026, 12, 10), "Anna Andersson, näringslivsutvecklare", "Kommunstyrelsen")
    assert parse_arende(block, 2027, "_config.yml").handlaggare == "Bo Berg"
    assert parse_arende(block, 2028, "_config.yml").diarienummer is None


def test_no_block_and_empty_values_mean_not_given_said_in_words():
    a = parse_arende(None, 2026, "_config.yml")
    assert a == parse_arende({"handlaggare": "", "ar": {2026: {"diarienummer": "", "datum": ""}}}, 2026, "x")
    assert (a.shown("diarienummer"), a.shown("datum"), a.shown("handlaggare"), a.mottagare) == (
        "anges när ärendet registreras", "anges när tjänsteskrivelsen undertecknas", "anges av ansvarig enhet",
        "Kommunstyrelsen")


def test_every_bad_key_and_value_is_named_in_swedish_at_once():
    block = {"mottagar": "KS", "datum": "10/12/2026", "ar": {"tjugotjugosex": {}, 2026: {"dnr": "KS 1", "datum": "2026-13-01"}}}
    with pytest.raises(InputError) as info:
        parse_arende(block, 2026, "_config.yml")
    found = {(p.column, str(p.value)) for p in info.value.problems}
    assert found == {("arende.mottagar", "KS"), ("arende.datum", "10/12/2026"), ("arende.ar.tjugotjugosex", "tjugotjugosex"),
                     ("arende.ar.2026.dnr", "KS 1"), ("arende.ar.2026.datum", "2026-13-01")}
    message = info.value.message()
    assert "ett datum ÅÅÅÅ-MM-DD" in message and "en känd nyckel: diarienummer, datum, handlaggare, mottagare" in message
    assert "Traceback" not in message


def test_the_command_line_wins_and_is_checked_by_its_option_name():
    base = Arende("KS 2026/0123", None, "Anna Andersson", "Kommunstyrelsen")
    got = with_overrides(base, {"diarienummer": "KS 2026/0999", "datum": "2026-12-11", "handlaggare": None})
    assert got == Arende("KS 2026/0999", dt.date(2026, 12, 11), "Anna Andersson", "Kommunstyrelsen")
    with pytest.raises(InputError) as info:
        with_overrides(base, {"datum": "tisdag"})
    assert "--datum" in info.value.message() and "tisdag" in info.value.message()


def test_the_projects_config_has_a_valid_block():
    from conftest import ROOT
    assert load_arende(ROOT / "_config.yml", 2026).mottagare == "Kommunstyrelsen"


# --- the page -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def an():
    return analyse(2026, DATA)


@pytest.fixture(scope="module")
def page(an):
    return tj.markdown(an, Arende(), book.toc(an.plan, book.pages(an.plan, 2026, "data")))


def test_the_page_has_the_headings_of_a_tjansteskrivelse_in_order(page):
    headings = re.findall(r"^## (.+)$", page, flags=re.M)
    assert headings == list(tj.HEADINGS)
    assert page.count("\n# ") == 1


def test_forslag_till_beslut_is_the_fixed_first_point_and_one_point_per_board_proposal(an, page):
    points = re.findall(r"<li>(.*?)</li>", page.split('class="uppf-beslutspunkter">')[1].split("</ol>")[0])
    assert len(points) == 1 + len(an.oversikt.forslag) == 5
    assert points[0] == ("Kommunstyrelsen godkänner uppföljningen av handlingsplanen till Norrtälje kommuns "
                         "näringslivsstrategi 2025–2030 för 2026.")
    assert [p.startswith(("Tidplanen för åtgärd 2.2", "Målet för åtgärd 3.1", "Åtgärd 4.3", "Åtgärd 5.2"))
            for p in points[1:]] == [True] * 4
    assert "4.4" not in " ".join(points)  # the unit's own campaign is not the board's decision
    import html
    assert [html.unescape(p) for p in points[1:]] == [beslutspunkt(p) for p in an.oversikt.forslag]


def test_the_units_own_step_is_described_apart_and_the_amount_is_the_economic_consequence(page):
    description = page.split("## Beskrivning av ärendet")[1].split("## Ekonomiska konsekvenser")[0]
    assert "för kännedom" in description and "Åtgärd 4.4</a>" in description
    economy = page.split("## Ekonomiska konsekvenser")[1].split("## Beslutsunderlag")[0]
    assert "sammanlagt 350\u00a0000 kronor" in economy and "åtgärd 5.2" in economy


def test_the_verdict_and_key_figures_are_the_start_pages(an, page):
    import html
    text = html.unescape(page)
    assert an.oversikt.bedomning in text
    for k in an.oversikt.nyckeltal:
        assert f"{k.rubrik}:" in text and k.varde in text


def test_values_not_given_are_said_plainly_never_as_a_placeholder(page):
    assert "Diarienummer</dt><dd>anges när ärendet registreras" in page
    assert "Datum</dt><dd>anges när tjänsteskrivelsen undertecknas" in page
    assert not re.search(r"\{[a-z_]+\}", page)


def test_given_values_are_shown_and_kept_for_the_pdf_check(an):
    toc = book.toc(an.plan, book.pages(an.plan, 2026, "data"))
    page = tj.markdown(an, Arende("KS 2026/0123", dt.date(2026, 12, 10), "Anna Andersson", "Kommunstyrelsen"), toc)
    assert "Diarienummer</dt><dd>KS 2026/0123" in page and "Datum</dt><dd>10 december 2026" in page
    assert 'data-diarienummer="KS 2026/0123"' in page and 'data-datum="2026-12-10"' in page


def test_beslutsunderlag_names_the_report_and_its_parts_by_title(page):
    underlag = page.split("## Beslutsunderlag")[1]
    assert "Uppföljningsrapport 2026: " in underlag and "Samlad analys" in underlag and "Målområde 6" in underlag
    assert "Ärendet" not in underlag  # the tjänsteskrivelse is not its own underlag
    assert "<li>Bilagor till uppföljningsrapport 2026</li>" in underlag  # as the bilagor's PDF is titled


def test_the_page_is_first_in_the_books_order(an):
    toc = book.toc(an.plan, book.pages(an.plan, 2026, "data"))
    assert toc["root"] == "index" and toc["parts"][0] == {"caption": "Ärendet", "chapters": [{"file": tj.PAGE}]}


def _built_page(tmp_path, an, dnr: str | None) -> Layout:
    """A project whose built tjänsteskrivelse page carries `dnr` (None: not given)."""
    layout = Layout.at(tmp_path)
    toc = book.toc(an.plan, book.pages(an.plan, 2026, "data"))
    layout.html(2026).mkdir(parents=True)
    (layout.html(2026) / f"{tj.PAGE}.html").write_text(tj.markdown(an, Arende(dnr, None, None, "Kommunstyrelsen"), toc),
                                                        encoding="utf-8")
    return layout


def test_the_archive_takes_the_editions_diarienummer_and_refuses_another(an, tmp_path):
    from helpers.publish.tjansteskrivelse import archive_dnr

    layout = _built_page(tmp_path / "med", an, "KS 2026/0123")
    assert archive_dnr(layout, 2026, None) == "KS 2026/0123"
    assert archive_dnr(layout, 2026, " KS 2026/0123 ") == "KS 2026/0123"
    with pytest.raises(InputError) as err:
        archive_dnr(layout, 2026, "KS 2026/0999")
    text = str(err.value)
    assert "--diarienummer" in text and "KS 2026/0999" in text and "KS 2026/0123" in text and "--dnr" in text
    without = _built_page(tmp_path / "utan", an, None)
    assert archive_dnr(without, 2026, "KS 2027/0001") == "KS 2027/0001"  # registered after the edition was built
    assert archive_dnr(without, 2026, None) is None


def test_the_description_writes_small_counts_in_words(page):
    description = page.split("## Beskrivning av ärendet")[1].split("## ")[0]
    assert "17 åtgärder i sex målområden" in description
    assert "Status för åtgärderna: elva pågående, fem genomförda och en avslutad." in description
    assert "Fyra föreslagna ändringar av planen" in description
    assert not re.search(r"\b([1-9]|1[0-2]) (pågående|genomförd|avslutad|föreslag|målområde)", description)
