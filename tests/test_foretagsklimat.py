"""Specification of loading the företagsklimat data (data/foretagsklimat/, helpers.foretagsklimat):
publication lag, series for the plan's indicators, and the checks that keep real and invented
figures apart and answers consistent with published aggregates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, read_rows, write_rows
from helpers.compute import klimat as fk
from helpers.core.errors import InputError

KLIMAT = DATA / "foretagsklimat"


@pytest.fixture(scope="module")
def shipped():
    return fk.load(KLIMAT, up_to=2026)


def folder_with(tmp_path: Path, *names: str) -> Path:
    """A företagsklimat folder holding copies of the named shipped files."""
    dest = tmp_path / "foretagsklimat"
    dest.mkdir()
    for name in names:
        shutil.copy(KLIMAT / name, dest / name)
    return dest


def where(err: InputError) -> list[tuple]:
    return [(Path(p.file).name, p.row, p.column) for p in err.problems]


# --- The shipped data -------------------------------------------------------------------------


def test_insikt_is_cut_at_the_measurement_year_before_the_report_year(shipped):
    # Insikt for mätår Y is published in April–May of Y+1, so a report for 2026 has mätår ≤ 2025.
    assert shipped.insikt_up_to == 2025
    assert int(shipped.insikt["ar"].max()) == 2025
    assert int(shipped.svar["ar"].max()) == 2025
    assert int(shipped.insikt["ar"].min()) == 2016


def test_ranking_is_used_up_to_the_report_year(shipped):
    assert int(shipped.ranking["ar"].max()) == 2026
    assert int(shipped.ranking["ar"].min()) == 2017


def test_shipped_klimat_is_exempeldata_but_published_rows_are_real(shipped):
    assert shipped.exempeldata
    real = shipped.insikt[~shipped.insikt["exempeldata"]]
    assert set(real["ar"]) == {2016, 2017, 2018, 2019, 2021, 2022, 2023}
    assert not real["kalla"].str.contains("exempeldata").any()


def test_series_values_hold_the_plans_nki_and_ranking_series(shipped):
    sv = shipped.series_values()
    assert list(sv.columns) == ["serie", "ar", "varde", "exempeldata", "kalla", "jamforbar_fran"]
    nki_total = sv[sv["serie"] == "insikt:totalt:nki"]
    assert set(nki_total["ar"]) == set(range(2016, 2026))
    real_2017 = nki_total[nki_total["ar"] == 2017].iloc[0]
    assert (real_2017["varde"], bool(real_2017["exempeldata"])) == (72.0, False)
    # NKI 74 for 2019's cases: Norrtälje kommun, 2020-04-22 (replaces the invented 2019 value).
    real_2019 = nki_total[nki_total["ar"] == 2019].iloc[0]
    assert (real_2019["varde"], bool(real_2019["exempeldata"])) == (74.0, False)
    assert "2020-04-22" in real_2019["kalla"]
    infra = sv[sv["serie"] == "ranking:infrastruktur"].set_index("ar")["varde"]
    assert infra.to_dict() == {2022: 3.02, 2023: 2.96, 2024: 3.08, 2025: 3.11, 2026: 3.15}
    for serie in ("insikt:totalt:bemotande", "insikt:totalt:information", "ranking:dialog_beslutsfattare"):
        assert (sv["serie"] == serie).any(), serie


def test_series_values_are_only_the_kommuns_own(shipped):
    sv = shipped.series_values()
    # Riket 2021–2023 (74, 75, 75) must not leak into Norrtälje's NKI series.
    assert set(sv[(sv["serie"] == "insikt:totalt:nki") & (sv["ar"].isin([2021, 2022, 2023]))]["kalla"]) == {"exempeldata"}


def test_comparison_of_the_latest_nki_change_is_available_per_series(shipped):
    cmp = shipped.comparisons(2026)["insikt:totalt:nki"]
    assert (cmp["ar_fran"], cmp["ar"]) == (2024, 2025)
    assert cmp["bedomning"] in ("signifikant förbättring", "signifikant försämring", "inom felmarginalen")
    assert cmp["forklaring"]


def test_an_earlier_report_year_cuts_both_sources_one_year_earlier(tmp_path):
    k = fk.load(folder_with(tmp_path, "insikt.exempeldata.csv", "ranking.exempeldata.csv"), up_to=2025)
    assert int(k.insikt["ar"].max()) == 2024
    assert int(k.ranking["ar"].max()) == 2025
    assert len(k.svar) == 0


def test_only_published_files_give_real_data(tmp_path):
    k = fk.load(folder_with(tmp_path, "insikt_publicerat.csv", "ranking_publicerat.csv"), up_to=2026)
    assert not k.exempeldata
    assert set(k.ranking["ar"]) == {2017, 2018, 2019, 2020, 2021}


def test_missing_folder_means_no_klimat_data(tmp_path):
    assert fk.load(tmp_path / "finns_inte", up_to=2026) is None


# --- Checks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["insikt_publicerat.csv", "ranking_publicerat.csv"])
def test_exempeldata_row_in_a_published_file_is_rejected(tmp_path, name):
    folder = folder_with(tmp_path, name)
    rows = read_rows(folder / name)
    rows[1]["kalla"] = "exempeldata"
    write_rows(folder / name, rows)
    with pytest.raises(InputError) as err:
        fk.load(folder, up_to=2026)
    assert where(err.value) == [(name, 3, "kalla")]
    assert "en verklig källa" in str(err.value)


def test_same_year_kommun_omrade_and_measure_in_two_files_is_rejected_naming_both(tmp_path):
    folder = folder_with(tmp_path, "insikt_publicerat.csv")
    pub_rows = read_rows(folder / "insikt_publicerat.csv")
    line = next(i + 2 for i, r in enumerate(pub_rows) if r["ar"] == "2017" and r["omrade"] == "totalt")
    header = list(pub_rows[0].keys())
    write_rows(folder / "insikt.exempeldata.csv",
               [{"ar": "2019", "kommun": "Norrtälje", "omrade": "bygglov", "matt": "nki", "varde": "66",
                 "antal_svar": "", "ci_low": "", "ci_high": "", "kalla": "exempeldata", "harledd": "nej"},
                {"ar": "2017", "kommun": "Norrtälje", "omrade": "totalt", "matt": "nki", "varde": "70",
                 "antal_svar": "", "ci_low": "", "ci_high": "", "kalla": "exempeldata", "harledd": "nej"}], header)
    with pytest.raises(InputError) as err:
        fk.load(folder, up_to=2026)
    assert sorted(where(err.value)) == [("insikt.exempeldata.csv", 3, "matt"), ("insikt_publicerat.csv", line, "matt")]
    assert "ar=2017, kommun=Norrtälje, omrade=totalt, matt=nki" in str(err.value)
    assert "en rad per år, kommun, område och mått i alla filer tillsammans" in str(err.value)


def test_same_ranking_year_and_measure_in_two_files_is_rejected(tmp_path):
    folder = folder_with(tmp_path, "ranking_publicerat.csv")
    write_rows(folder / "ranking.exempeldata.csv",
               [{"ar": "2021", "matt": "placering", "varde": "170", "kalla": "exempeldata", "harledd": "nej"}])
    with pytest.raises(InputError) as err:
        fk.load(folder, up_to=2026)
    assert ("ranking.exempeldata.csv", 2, "matt") in where(err.value)
    assert len(err.value.problems) == 2


@pytest.fixture
def answers_and_aggregates(tmp_path):
    """Bygglov 2024 only: its respondent answers and its published (exempeldata) aggregates."""
    folder = tmp_path / "foretagsklimat"
    folder.mkdir()
    agg = [r for r in read_rows(KLIMAT / "insikt.exempeldata.csv")
           if r["ar"] == "2024" and r["kommun"] == "Norrtälje" and r["omrade"] == "bygglov"]
    svar = [r for r in read_rows(KLIMAT / "insikt_svar.exempeldata.csv") if r["ar"] == "2024" and r["omrade"] == "bygglov"]
    write_rows(folder / "insikt.exempeldata.csv", agg)
    write_rows(folder / "insikt_svar.exempeldata.csv", svar)
    nki_line = next(i + 2 for i, r in enumerate(agg) if r["matt"] == "nki")
    return folder, agg, svar, nki_line


def test_answers_that_agree_with_the_published_aggregates_load(answers_and_aggregates):
    folder, agg, svar, _ = answers_and_aggregates
    k = fk.load(folder, up_to=2026)
    assert len(k.svar) == len(svar) == 38
    own = k.insikt[(k.insikt["omrade"] == "bygglov") & (k.insikt["matt"] == "nki")]
    assert own["varde"].tolist() == [67.0]  # the published value is what readers see
    assert not own["fran_svar"].any()


def test_published_answer_count_that_disagrees_with_the_answers_is_rejected(answers_and_aggregates):
    folder, agg, _, nki_line = answers_and_aggregates
    agg[nki_line - 2]["antal_svar"] = "45"
    write_rows(folder / "insikt.exempeldata.csv", agg)
    with pytest.raises(InputError) as err:
        fk.load(folder, up_to=2026)
    assert where(err.value) == [("insikt.exempeldata.csv", nki_line, "antal_svar")]
    assert "värdet '45' – förväntat: 37 svar, som i enkätsvaren för 2024" in str(err.value)


def all_tens(folder: Path, svar: list[dict]) -> None:
    """Everyone who answered the NKI questions now gives 10: NKI 100, not the published 67 (same n)."""
    for r in svar:
        for q in ("q_nojd", "q_forvantan", "q_ideal"):
            if r[q]:
                r[q] = "10"
    write_rows(folder / "insikt_svar.exempeldata.csv", svar)


def test_answers_that_disagree_with_the_published_value_are_rejected(answers_and_aggregates):
    folder, _, svar, nki_line = answers_and_aggregates
    all_tens(folder, svar)
    with pytest.raises(InputError) as err:
        fk.load(folder, up_to=2026)
    assert where(err.value) == [("insikt.exempeldata.csv", nki_line, "varde")]
    assert "beräknat från enkätsvaren" in str(err.value)


def test_disagreeing_value_message_uses_the_files_value_and_decimal_comma(answers_and_aggregates):
    folder, _, svar, _ = answers_and_aggregates
    all_tens(folder, svar)
    with pytest.raises(InputError) as err:
        fk.load(folder, up_to=2026)
    assert "värdet '67' – förväntat: 100,0 (±0,5 för avrundning)" in str(err.value)


def test_answer_off_the_1_to_10_scale_is_rejected_with_row_and_column(answers_and_aggregates):
    folder, _, svar, _ = answers_and_aggregates
    svar[4]["kompetens"] = "11"
    write_rows(folder / "insikt_svar.exempeldata.csv", svar)
    with pytest.raises(InputError) as err:
        fk.load(folder, up_to=2026)
    assert where(err.value) == [("insikt_svar.exempeldata.csv", 6, "kompetens")]


def test_totalt_values_carry_the_start_of_their_comparable_stretch(shipped):
    sv = shipped.series_values()
    nki_total = sv[sv["serie"] == "insikt:totalt:nki"].set_index("ar")["jamforbar_fran"]
    assert nki_total.loc[2023] == 0 and nki_total.loc[2024] == 2024 and nki_total.loc[2025] == 2024
    bygglov = sv[sv["serie"] == "insikt:bygglov:nki"]["jamforbar_fran"]
    assert set(bygglov) == {0}


@pytest.mark.parametrize("column, value", [("ci_high", "102,9"), ("ci_low", "-3,5")])
def test_a_confidence_bound_outside_0_to_100_is_refused_with_file_row_and_column(answers_and_aggregates, column, value):
    """An index lies in 0–100 and so does each bound of its interval (issue 23, point 7)."""
    folder, agg, _, nki_line = answers_and_aggregates
    agg[nki_line - 2][column] = value
    write_rows(folder / "insikt.exempeldata.csv", agg)
    with pytest.raises(InputError) as err:
        fk.load(folder, up_to=2026)
    assert ("insikt.exempeldata.csv", nki_line, column) in where(err.value)
    assert f"'{value}'" in str(err.value)


def test_the_shipped_example_intervals_lie_within_0_to_100():
    for name in ("insikt.exempeldata.csv", "insikt_publicerat.csv"):
        for r in read_rows(KLIMAT / name):
            for c in ("ci_low", "ci_high"):
                if r[c]:
                    assert 0 <= float(r[c].replace(",", ".")) <= 100, (name, r)
