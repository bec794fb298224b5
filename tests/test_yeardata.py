"""Specification of a year's follow-up input (data/<år>/, helpers.yeardata).

Every file is checked against the register: a share over 100, a negative count or an unknown id
is caught with its file, row and column before any notebook runs.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import DATA, read_rows, small_data, write_rows
from helpers.core.errors import InputError
from helpers.core.missing import blank
from helpers.data.plan import load_plan
from helpers.data.yeardata import load_year, load_years, year_folders

VARDEN = "indikatorvarden.exempeldata.csv"
STATUS = "status.exempeldata.csv"


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    """A valid data dir (the register cut to åtgärder 1.1, 1.2, 5.1, 6.1) and its plan, built once."""
    data = small_data(tmp_path_factory.mktemp("valid"))
    return data, load_plan(data / "plan")


@pytest.fixture
def data(valid, tmp_path):
    """A fresh copy of the valid year folders, to corrupt."""
    dest = tmp_path / "data"
    for year in ("2025", "2026"):
        shutil.copytree(valid[0] / year, dest / year)
    return dest


@pytest.fixture
def plan(valid):
    return valid[1]


def set_row(path: Path, key: str, ident: str, **values) -> int:
    """Change (or append) the row whose `key` is `ident`; return its row number in the file."""
    rows = read_rows(path)
    header = list(rows[0].keys())
    for i, row in enumerate(rows):
        if row[key] == ident:
            row.update(values)
            line = i + 2
            break
    else:
        rows.append({**{c: "" for c in header}, key: ident, **values})
        line = len(rows) + 1
    write_rows(path, rows, header)
    return line


def rejected(data: Path, plan, year: int = 2025) -> InputError:
    with pytest.raises(InputError) as err:
        load_year(data, year, plan)
    return err.value


def where(err: InputError) -> list[tuple]:
    return [(Path(p.file).name, p.row, p.column, p.value) for p in err.problems]


# --- Valid data -------------------------------------------------------------------------------


def test_small_data_year_loads_with_values_indexed_by_id(data, plan):
    y = load_year(data, 2025, plan)
    assert y.year == 2025
    assert y.varden.loc["1.1-2", "varde"] == 81.5  # '81,5' in the file
    assert y.varden.loc["1.1-2", "rad"] == 3
    assert y.status.loc["1.1", "status"] == "genomförd"
    assert y.status.loc["1.1", "period_till"] == dt.date(2025, 10, 31)  # an autumn collection
    assert set(y.lardomar["typ"]) <= {"lärdom", "förslag"}


def test_shipped_years_are_flagged_as_exempeldata(data, plan):
    years = load_years(data, plan, 2026)
    assert sorted(years) == [2025, 2026]
    assert all(y.exempeldata for y in years.values())


def test_real_named_files_are_not_exempeldata(data, plan):
    for f in list((data / "2025").iterdir()):
        f.rename(f.with_name(f.name.replace(".exempeldata", "")))
    y = load_year(data, 2025, plan)
    assert y.exempeldata is False
    assert sorted(p.name for p in y.files) == ["indikatorvarden.csv", "lardomar.csv", "status.csv"]


def test_one_example_file_among_real_ones_makes_the_year_exempeldata(data, plan):
    for name in ("status", "lardomar"):
        (data / "2025" / f"{name}.exempeldata.csv").rename(data / "2025" / f"{name}.csv")
    assert load_year(data, 2025, plan).exempeldata is True


def test_decimal_count_is_accepted_for_an_average(data, plan):
    set_row(data / "2025" / VARDEN, "indikator_id", "1.2-2", varde="4,5")  # enhet medelvärde
    assert load_year(data, 2025, plan).varden.loc["1.2-2", "varde"] == 4.5


def test_lardomar_file_is_optional(data, plan):
    (data / "2025" / "lardomar.exempeldata.csv").unlink()
    y = load_year(data, 2025, plan)
    assert len(y.lardomar) == 0 and len(y.files) == 2


def test_year_folders_are_the_four_digit_folders_sorted(data):
    (data / "2024").mkdir()
    (data / "arkiv").mkdir()
    assert year_folders(data) == [2024, 2025, 2026]


def test_load_years_loads_history_up_to_the_report_year(data, plan):
    assert sorted(load_years(data, plan, 2025)) == [2025]


# --- Values checked against the register ------------------------------------------------------












# One bad cell each: the problem names the file, the row as Excel shows it, the column, the value
# as typed, and what was expected. (file, key column, row id, changed cells, column, value, expected)
ONE_BAD_CELL = [
    pytest.param(VARDEN, "indikator_id", "1.1-2", {"varde": "100,5"}, "varde", "100,5",
                 "en andel i procent från 0 till 100 för indikator 1.1-2", id="share-over-100"),
    pytest.param(VARDEN, "indikator_id", "1.1-1", {"varde": "-3"}, "varde", -3,
                 "ett heltal som är minst 0 (antal) för indikator 1.1-1", id="negative-count"),
    pytest.param(VARDEN, "indikator_id", "1.1-1", {"varde": "4,5"}, "varde", "4,5",
                 "ett heltal som är minst 0 (antal)", id="decimal-count-for-unit-st"),
    pytest.param(VARDEN, "indikator_id", "9.9-1", {"varde": "1"}, "indikator_id", "9.9-1",
                 "ett indikator-id från data/plan/indikatorer.csv", id="unknown-indicator"),
    pytest.param(VARDEN, "indikator_id", "1.2-1", {"varde": "70"}, "varde", 70,
                 "hämtas från företagsklimatdata (insikt:totalt:nki)", id="value-for-a-series-indicator"),
    pytest.param(VARDEN, "indikator_id", "1.1-1", {"uppnatt_datum": "2025-06-01"}, "uppnatt_datum", "2025-06-01",
                 "uppnatt_datum gäller bara milstolpar (1.1-1 är antal)", id="achieved-date-for-a-count"),
    pytest.param(STATUS, "atgard_id", "1.1", {"status": "klar"}, "status", "klar",
                 "'ej påbörjad', 'pågående', 'genomförd', 'avslutad'", id="status-not-in-the-list"),
    pytest.param(STATUS, "atgard_id", "1.1", {"behov_av_justering": "ja", "justering": "", "justering_typ": "ändrat mål"},
                 "justering", "", "en beskrivning av justeringen när behov_av_justering är 'ja'",
                 id="adjustment-without-description"),
    # The mall's new fields (issue 25): the one-line summary, the kind of justering, its amount.
    pytest.param(STATUS, "atgard_id", "1.1", {"sammanfattning": "x" * 201}, "sammanfattning", "x" * 201,
                 "en sammanfattning på högst 200 tecken (den har 201)", id="summary-too-long"),
    pytest.param(STATUS, "atgard_id", "1.1", {"behov_av_justering": "ja", "justering": "Flytta beslutet."},
                 "justering_typ", "", "vilken sorts justering det är när behov_av_justering är 'ja': 'ändrad tidplan', "
                 "'ändrat mål', 'åtgärden avslutas', 'ny åtgärd', 'resursbehov', 'egen åtgärd'", id="adjustment-without-kind"),
    pytest.param(STATUS, "atgard_id", "1.1", {"behov_av_justering": "ja", "justering": "Mer pengar.",
                                              "justering_typ": "budget"}, "justering_typ", "budget",
                 "ett av: 'ändrad tidplan', 'ändrat mål'", id="kind-not-in-the-list"),
    pytest.param(STATUS, "atgard_id", "1.1", {"behov_av_justering": "nej", "justering_typ": "ändrat mål"},
                 "justering_typ", "ändrat mål", "tomt när behov_av_justering är 'nej'", id="kind-without-adjustment"),
    pytest.param(STATUS, "atgard_id", "1.1", {"behov_av_justering": "ja", "justering": "Budget för kampanjen.",
                                              "justering_typ": "resursbehov"}, "belopp", "",
                 "beloppet i kronor när justering_typ är 'resursbehov'", id="resursbehov-without-amount"),
    pytest.param(STATUS, "atgard_id", "1.1", {"behov_av_justering": "ja", "justering": "Flytta beslutet.",
                                              "justering_typ": "ändrad tidplan", "belopp": "50000"}, "belopp", 50000,
                 "belopp anges bara när justering_typ är 'resursbehov'", id="amount-for-another-kind"),
    pytest.param(STATUS, "atgard_id", "1.1", {"behov_av_justering": "ja", "justering": "Budget.",
                                              "justering_typ": "resursbehov", "belopp": "0"}, "belopp", 0,
                 "ett belopp i hela kronor som är större än 0", id="amount-zero"),
    pytest.param(STATUS, "atgard_id", "1.1", {"behov_av_justering": "ja", "justering": "Budget.",
                                              "justering_typ": "resursbehov", "belopp": "200 tkr"}, "belopp", "200 tkr",
                 "ett belopp i hela kronor som är större än 0", id="amount-not-a-number"),
    pytest.param(STATUS, "atgard_id", "1.3",  # 1.3 is not in the small register
                 {"period_fran": "2025-01-01", "period_till": "2025-12-31", "status": "pågående",
                  "behov_av_justering": "nej"}, "atgard_id", "1.3", "1.1, 1.2, 5.1, 6.1", id="atgard-not-in-the-plan"),
    pytest.param(STATUS, "atgard_id", "1.1", {"period_till": "2024-06-30"}, "period_till", "2024-06-30",
                 "ett datum efter period_fran", id="period-ends-before-it-starts"),
    pytest.param(STATUS, "atgard_id", "1.1", {"period_fran": "2021-01-01"}, "period_fran", "2021-01-01",
                 "nära uppföljningsåret 2025", id="period-far-from-the-year"),
]


@pytest.mark.parametrize(("file", "key", "ident", "cells", "column", "value", "expected"), ONE_BAD_CELL)
def test_one_bad_cell_is_named_with_file_row_column_value_and_expectation(data, plan, file, key, ident, cells,
                                                                          column, value, expected):
    line = set_row(data / "2025" / file, key, ident, **cells)
    err = rejected(data, plan)
    assert where(err) == [(file, line, column, value)]
    assert expected in str(err)
    assert f"rad {line}, kolumn '{column}'" in str(err)


def test_row_for_a_varde_fran_indicator_is_rejected(tmp_path):
    data = small_data(tmp_path, atgarder=("4.1",))
    plan = load_plan(data / "plan")
    line = set_row(data / "2025" / VARDEN, "indikator_id", "4.1-7", varde="700")
    err = rejected(data, plan)
    assert where(err) == [(VARDEN, line, "varde", 700)]
    assert "4.1-7 redovisas med värdet för 4.1-1; raden får bara ha prognos och kommentar" in str(err)


def test_a_row_with_only_the_forecast_is_allowed_for_an_indicator_whose_value_comes_from_elsewhere(tmp_path):
    data = small_data(tmp_path, atgarder=("4.1",))
    plan = load_plan(data / "plan")
    set_row(data / "2025" / VARDEN, "indikator_id", "4.1-7", varde="", prognos="risk att inte uppfyllas",
            prognos_motivering="Fler långtidsarbetslösa väntas under vintern.")
    assert load_year(data, 2025, plan).varden.loc["4.1-7", "prognos"] == "risk att inte uppfyllas"


def test_value_for_a_milestone_belongs_in_uppnatt_datum(data, plan):
    line = set_row(data / "2025" / VARDEN, "indikator_id", "6.1-2", varde="1", uppnatt_datum="")
    err = rejected(data, plan)
    assert [(r, c) for _, r, c, _ in where(err)] == [(line, "varde")]
    assert "6.1-2 är en milstolpe och anges i kolumnen 'uppnatt_datum'" in str(err)


def test_number_for_a_qualitative_indicator_is_shown_as_typed(data, plan):
    line = set_row(data / "2025" / VARDEN, "indikator_id", "1.1-3", varde="3")
    err = rejected(data, plan)
    assert [(f, r, c) for f, r, c, _ in where(err)] == [(VARDEN, line, "varde")]
    assert "värdet '3' – förväntat: tomt: 1.1-3 är en kvalitativ och anges i kolumnen 'text'" in str(err)




def test_all_value_problems_of_a_file_are_reported_together(data, plan):
    f = data / "2025" / VARDEN
    a = set_row(f, "indikator_id", "1.1-2", varde="120")
    b = set_row(f, "indikator_id", "1.1-1", varde="-1")
    c = set_row(f, "indikator_id", "8.8-8", varde="1")
    assert sorted((r, col) for _, r, col, _ in where(rejected(data, plan))) == sorted(
        [(a, "varde"), (b, "varde"), (c, "indikator_id")])


# --- Status -----------------------------------------------------------------------------------






def test_need_for_adjustment_with_description_is_accepted_case_insensitively(data, plan):
    set_row(data / "2025" / STATUS, "atgard_id", "1.1", behov_av_justering="Ja", justering="Förläng tidplanen.",
            justering_typ="Ändrad tidplan")
    st = load_year(data, 2025, plan).status
    assert (st.loc["1.1", "behov_av_justering"], st.loc["1.1", "justering_typ"]) == ("ja", "ändrad tidplan")








def test_cell_problems_in_several_files_of_a_year_are_reported_together(data, plan):
    s = set_row(data / "2025" / STATUS, "atgard_id", "1.2", status="klar")
    v = set_row(data / "2025" / VARDEN, "indikator_id", "1.1-2", varde="mycket")
    assert {(f, r) for f, r, _, _ in where(rejected(data, plan))} == {(STATUS, s), (VARDEN, v)}


def test_problems_in_several_files_of_a_year_are_reported_together(data, plan):
    s = set_row(data / "2025" / STATUS, "atgard_id", "1.2", status="klar")
    v = set_row(data / "2025" / VARDEN, "indikator_id", "1.1-2", varde="101")
    assert {(f, r) for f, r, _, _ in where(rejected(data, plan))} == {(STATUS, s), (VARDEN, v)}


def test_problems_in_several_years_are_reported_together(data, plan):
    set_row(data / "2025" / VARDEN, "indikator_id", "1.1-2", varde="101")
    set_row(data / "2026" / VARDEN, "indikator_id", "1.1-2", varde="102")
    with pytest.raises(InputError) as err:
        load_years(data, plan, 2026)
    assert sorted(p.value for p in err.value.problems) == [101, 102]


# --- Folders and files ------------------------------------------------------------------------


def test_missing_year_folder_is_named(data, plan):
    err = rejected(data, plan, 2027)
    (p,) = err.problems
    assert Path(p.file).name == "2027"
    assert p.value == "mappen saknas"
    assert "--ar 2027" in str(err)


def test_missing_report_year_folder_is_named_by_load_years(data, plan):
    with pytest.raises(InputError) as err:
        load_years(data, plan, 2027)
    assert "2027: värdet 'mappen saknas'" in str(err.value)


def test_real_and_example_file_side_by_side_is_an_error(data, plan):
    shutil.copy(data / "2025" / STATUS, data / "2025" / "status.csv")
    err = rejected(data, plan)
    assert "antingen status.csv eller status.exempeldata.csv, inte båda" in str(err)
    assert Path(err.problems[0].file).name == "2025"


def test_missing_required_file_is_named(data, plan):
    (data / "2025" / VARDEN).unlink()
    err = rejected(data, plan)
    assert "indikatorvarden.csv" in str(err) and "filen saknas" in str(err)


def test_shipped_data_years_are_exempeldata():
    plan = load_plan(DATA / "plan")
    years = load_years(DATA, plan, 2026)
    assert {y: d.exempeldata for y, d in years.items()} == {2025: True, 2026: True}


# --- a value's own period (period_fran, period_till in indikatorvarden) ------------------------------


def test_a_values_own_period_is_read(data, plan):
    set_row(data / "2025" / VARDEN, "indikator_id", "1.1-1", period_fran="2025-10-31", period_till="2025-10-31")
    year = load_year(data, 2025, plan)
    assert year.varden.at["1.1-1", "period_fran"] == year.varden.at["1.1-1", "period_till"] == dt.date(2025, 10, 31)


def test_a_values_period_needs_both_dates(data, plan):
    line = set_row(data / "2025" / VARDEN, "indikator_id", "1.1-1", period_fran="2025-01-01", period_till="")
    err = rejected(data, plan)
    assert where(err) == [(VARDEN, line, "period_till", "")]
    assert "båda datumen (period_fran och period_till) eller inget av dem" in str(err)


def test_a_values_period_ending_before_it_starts_is_rejected(data, plan):
    line = set_row(data / "2025" / VARDEN, "indikator_id", "1.1-1", period_fran="2025-06-30", period_till="2025-01-01")
    assert where(rejected(data, plan)) == [(VARDEN, line, "period_till", "2025-01-01")]


def test_an_older_file_without_the_period_columns_still_loads(data, plan):
    f = data / "2025" / VARDEN
    rows = read_rows(f)
    old = ["indikator_id", "varde", "uppnatt_datum", "text", "kommentar"]
    write_rows(f, [{k: v for k, v in r.items() if k in old} for r in rows], old)
    year = load_year(data, 2025, plan)
    for column in ("period_fran", "period_till", "jamforelsevarde", "prognos", "prognos_motivering"):
        assert year.varden[column].map(blank).all()


def test_a_decided_target_is_only_for_a_target_the_plan_leaves_to_another_decision(tmp_path):
    """malvarden.csv: only indicators of maltyp 'annat beslut' (1.2-1), on the indicator's scale."""
    data = small_data(tmp_path, atgarder=("1.1", "1.2"))
    decision = {"beslut": "Mål och budget 2026", "beslutsdatum": "2025-11-24", "kommentar": ""}
    write_rows(data / "2026" / "malvarden.exempeldata.csv", [
        {"indikator_id": "1.2-1", "malvarde": "120", **decision},
        {"indikator_id": "1.1-1", "malvarde": "10", **decision},
    ])
    with pytest.raises(InputError) as err:
        load_year(data, 2026, load_plan(data / "plan"))
    found = {(p.row, p.column, str(p.value)) for p in err.value.problems}
    assert found == {(2, "malvarde", "120"), (3, "indikator_id", "1.1-1")}
    assert "maltyp 'annat beslut' (1.2-1)" in str(err.value) and "ett indexvärde från 0 till 100" in str(err.value)
    (data / "2026" / "malvarden.exempeldata.csv").write_text(
        "indikator_id;malvarde;beslut;beslutsdatum;kommentar\n1.2-1;72;Mål och budget 2026;2025-11-24;\n", encoding="utf-8")
    decided = load_year(data, 2026, load_plan(data / "plan")).malvarden
    assert decided.at["1.2-1", "malvarde"] == 72 and decided.at["1.2-1", "beslutsdatum"] == dt.date(2025, 11, 24)


def test_the_new_status_fields_are_read_whole(data, plan):
    text = "Temadagen hölls i oktober med 23 företag, men beslutet om formatet föreslås flyttas till Q1 2027."
    set_row(data / "2025" / STATUS, "atgard_id", "1.1", sammanfattning=text, behov_av_justering="ja",
            justering="Budget för vinterkampanjen.", justering_typ="resursbehov", belopp="350 000")
    st = load_year(data, 2025, plan).status
    assert st.loc["1.1", "sammanfattning"] == text
    assert (st.loc["1.1", "justering_typ"], st.loc["1.1", "belopp"]) == ("resursbehov", 350000)


def test_an_older_status_file_without_the_new_columns_is_still_read(data, plan):
    """A year file made before the summary and the kind of justering existed (an archived edition's
    snapshot): read as it is, with a justering whose kind is not given, never refused."""
    path = data / "2025" / STATUS
    rows = read_rows(path)
    old = [c for c in rows[0] if c not in ("sammanfattning", "justering_typ", "belopp")]
    rows[0].update(behov_av_justering="ja", justering="Förläng till Q2.")
    write_rows(path, [{c: r[c] for c in old} for r in rows], old)
    assert "justering_typ" not in path.read_text(encoding="utf-8").splitlines()[0]
    st = load_year(data, 2025, plan).status
    first = st.index[0]
    assert st.loc[first, "behov_av_justering"] == "ja" and blank(st.loc[first, "justering_typ"])
    assert blank(st.loc[first, "sammanfattning"]) and blank(st.loc[first, "belopp"])
