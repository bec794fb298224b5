"""The kommun beside its peers: comparison-group means, liknande kommuner, context KPIs, and where
each value comes from (fetched from Kolada, or shipped exempeldata)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, read_rows, write_rows
from helpers.compute import jamforgrupper as jg
from helpers.compute import klimat as klimatcalc
from helpers.core.errors import InputError
from helpers.data import jamforelser

OWN = {"varde": 77.0, "n": 94, "ci_low": 72.4, "ci_high": 81.2}


def test_a_difference_larger_than_the_kommun_s_margin_is_above_or_below():
    assert jg.position(OWN, 72.3, "medlet i X").lage == jg.OVER
    assert jg.position({**OWN, "varde": 67.0, "ci_low": 62.4, "ci_high": 71.6}, 72.3, "medlet i X").lage == jg.UNDER


def test_a_difference_within_the_margin_is_level_and_said_so():
    s = jg.position(OWN, 74.4, "medlet i Stockholms län")
    assert s.lage == jg.INOM
    assert s.text == "i nivå med medlet i Stockholms län (74,4) (skillnaden 2,6 ligger inom felmarginalen)"


def test_without_the_kommun_s_interval_the_difference_is_told_but_not_judged():
    s = jg.position({"varde": 72.0, "n": None, "ci_low": None, "ci_high": None}, 70.0, "Riket")
    assert s.lage == jg.OKAND and s.text == "2 enheter över Riket (70,0); felmarginalen är okänd"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    data = tmp_path / "data"
    for folder in ("foretagsklimat", "jamforelser", "external"):
        shutil.copytree(DATA / folder, data / folder)
    return data


def test_the_shipped_comparisons_are_exempeldata_and_never_credited_to_kolada():
    jd = jamforelser.load(DATA)
    assert jd.exempeldata and set(jd.varden["kalla"]) == {"exempeldata"}
    assert [g.id for g in jd.grupper] == ["G92788", "G33612", "G37481"]
    liknande = jd.grupper[2]
    assert liknande.per_medlem and len(liknande.medlemmar) == 7 and "0188" not in dict(liknande.medlemmar)


def test_a_fetched_value_replaces_the_invented_one_and_carries_its_source(data_dir):
    write_rows(data_dir / "external" / "kolada" / "varden.csv", [
        {"kpi_id": "N00999", "kommun_id": "G92788", "ar": "2025", "kon": "T", "varde": "6,4", "status": "",
         "hamtad": "2026-05-12", "kalla": "Kolada", "svarsfil": "svar/x.json", "antal": "27"}])
    jd = jamforelser.load(data_dir)
    row = jd.varden[(jd.varden["kpi_id"] == "N00999") & (jd.varden["enhet_id"] == "G92788") & (jd.varden["ar"] == 2025)]
    assert len(row) == 1 and float(row["varde"].iloc[0]) == 6.4 and not row["exempeldata"].iloc[0]
    assert row["kalla"].iloc[0] == "Kolada, nyckeltal N00999, hämtat 2026-05-12"


def test_comparison_values_that_were_not_fetched_cannot_be_shipped_as_real(data_dir):
    folder = data_dir / "jamforelser"
    (folder / "jamforelse.exempeldata.csv").rename(folder / "jamforelse.csv")
    with pytest.raises(InputError, match="värden som inte hämtats från Kolada har ingen källa och är exempeldata"):
        jamforelser.load(data_dir)


def test_an_invented_row_must_say_exempeldata_as_its_source(data_dir):
    path = data_dir / "jamforelser" / "jamforelse.exempeldata.csv"
    rows = read_rows(path)
    rows[0]["kalla"] = "Kolada"
    write_rows(path, rows)
    with pytest.raises(InputError, match="rad 2, kolumn 'kalla': värdet 'Kolada' – förväntat: 'exempeldata' som källa"):
        jamforelser.load(data_dir)


def test_a_group_value_of_the_old_totalt_in_a_new_definition_year_is_never_compared(data_dir):
    path = data_dir / "jamforelser" / "jamforelse.exempeldata.csv"
    rows = read_rows(path)
    rows.append(dict(rows[0], kpi_id="U07451", ar="2024", varde="10"))  # old definition, 2024: another series
    write_rows(path, rows)
    k = klimatcalc.load(data_dir / "foretagsklimat", 2026)
    table = jg.insikt_table(k, k.jamforelser)
    g2024 = table[(table["enhet_id"] == "G92788") & (table["ar"] == 2024) & (table["serie"] == jg.TOTALT_NKI)]
    assert len(g2024) == 1 and float(g2024["varde"].iloc[0]) != 10


def test_comparisons_stop_at_what_was_published_by_the_report_year():
    k = klimatcalc.load(DATA / "foretagsklimat", 2025)
    table = jg.insikt_table(k, k.jamforelser)
    assert table["ar"].max() == 2024 and jg.latest_year(table) == 2024


def test_the_start_page_phrase_names_liknande_kommuner():
    k = klimatcalc.load(DATA / "foretagsklimat", 2026)
    assert jg.key_phrase(k) == "; säkerställt över medlet i Liknande kommuner, övergripande (72)"


def test_the_context_table_has_the_kommun_riket_and_each_group_for_the_latest_year():
    k = klimatcalc.load(DATA / "foretagsklimat", 2026)
    frame = jg.context_table(k.jamforelser, 2026)
    kpis = [r["kpi_id"] for r in read_rows(DATA / "external" / "kolada" / "kontext.csv")]
    assert list(dict.fromkeys(frame["kpi_id"])) == kpis, "the order and the set come from kontext.csv"
    assert set(frame["enhet_id"]) == {"0188", "0000", "G92788", "G33612", "G37481"}
    assert set(frame["ar"]) == {2025}


def test_the_chapter_credits_kolada_only_for_fetched_values_and_marks_invented_ones_beside_them(data_dir):
    from helpers.compute.analysis import analyse
    from helpers.present import jamforelser as view

    shutil.copytree(DATA / "plan", data_dir / "plan")
    for y in ("2025", "2026"):
        shutil.copytree(DATA / y, data_dir / y)
    before = view.context(analyse(2026, data_dir))
    assert "Källa: Kolada" not in before and "Exempeldata" in before and "inte</strong> handlingsplanens indikatorer" in before
    write_rows(data_dir / "external" / "kolada" / "varden.csv", [
        {"kpi_id": "N00999", "kommun_id": "0188", "ar": "2025", "kon": "T", "varde": "7,3", "status": "",
         "hamtad": "2026-05-12", "kalla": "Kolada", "svarsfil": "svar/x.json", "antal": ""}])
    after = view.context(analyse(2026, data_dir))
    assert "Källa: Kolada (nyckeltal N00999; hämtat 2026-05-12)." in after
    assert '<td class="num">7,3</td>' in after and "6,8 <small>(ex.)</small>" in after and "värden märkta (ex.) är påhittade" in after


def test_each_omrade_is_shown_beside_the_references_in_earlier_years_too():
    from helpers.compute.analysis import analyse
    from helpers.present import jamforelser as view

    html = view.nki_earlier(analyse(2026, DATA))
    for row in ("<strong>Totalt</strong> 2024", "<strong>Totalt</strong> 2022", "Bygglov 2023", "Brandskydd 2023"):
        assert row in html, row
    assert "NKI mätår 2022–2024" in html
