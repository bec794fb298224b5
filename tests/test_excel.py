"""Specification of helpers.excel: the standardmall as an Excel workbook and its import.

The mall is written from the register, filled in here with openpyxl the way a unit would fill it
in Excel, and read back into data/<år>/ where it must load with the same checks as any input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import DATA, write_config
from helpers.core import fs
from helpers.core.errors import InputError, RunError
from helpers.core.fmt import exact_sv
from helpers.core.missing import blank
from helpers.data.excel import BLAD_INDIKATORER, BLAD_LARDOMAR, BLAD_STATUS, cell_text, import_workbook, write_template
from helpers.data.inputs import STATUSAR
from helpers.data.plan import load_plan
from helpers.data.yeardata import load_year

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2027


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(DATA / "plan", data / "plan")
    return data


@pytest.fixture()
def plan(data_dir: Path):
    return load_plan(data_dir / "plan")


@pytest.fixture()
def mall(data_dir: Path, tmp_path: Path) -> Path:
    return write_template(data_dir, YEAR, tmp_path / f"uppfoljningsmall_{YEAR}.xlsx")


# ---------------------------------------------------------------------------------------------
# helpers that fill the mall like a user would
# ---------------------------------------------------------------------------------------------


def headers(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value is not None}


def row_of(ws, ident: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == ident:
            return r
    raise KeyError(ident)


def put(ws, ident: str, **values) -> int:
    """Set input cells of the row whose first column is `ident`; return the Excel row."""
    col = headers(ws)
    r = row_of(ws, ident)
    for name, value in values.items():
        ws.cell(row=r, column=col[name]).value = value  # (cell(value=None) would not clear)
    return r


def fill_statuses(wb, plan) -> None:
    ws = wb[BLAD_STATUS]
    for i, aid in enumerate(plan.order):
        put(ws, aid, status=STATUSAR[i % len(STATUSAR)], behov_av_justering="nej",
            uppgiftslamnare="Näringslivsenheten")


def filled(mall: Path, plan, target: Path, edit=None) -> Path:
    """A copy of the mall with every status filled in, plus `edit(wb)`."""
    wb = openpyxl.load_workbook(mall)
    fill_statuses(wb, plan)
    if edit:
        edit(wb)
    wb.save(target)
    return target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# the mall
# ---------------------------------------------------------------------------------------------


def test_mall_has_sheets_rows_and_year(mall: Path, plan):
    wb = openpyxl.load_workbook(mall)
    assert wb.sheetnames == ["Instruktioner", "Status", "Indikatorer", "Lärdomar"]
    status = wb[BLAD_STATUS]
    assert [status.cell(row=r, column=1).value for r in range(2, status.max_row + 1)] == plan.order
    col = headers(status)
    for name in ("atgard_id", "titel", "ansvarig", "period_fran", "period_till", "status", "kommentar",
                 "behov_av_justering", "justering", "uppgiftslamnare"):
        assert name in col
    assert status.cell(row=2, column=col["titel"]).value == plan.atgarder.loc["1.1", "titel"]
    fran = status.cell(row=2, column=col["period_fran"])
    till = status.cell(row=2, column=col["period_till"])
    assert (fran.value, till.value) == (dt.datetime(YEAR, 1, 1), dt.datetime(YEAR, 12, 31))
    assert fran.number_format == "yyyy-mm-dd"
    assert status.freeze_panes in ("A2", "B2")

    ind = wb[BLAD_INDIKATORER]
    ids = [ind.cell(row=r, column=1).value for r in range(2, ind.max_row + 1)]
    meta = plan.indikatorer
    expected = [i for i in meta.index if meta.at[i, "serie"] is None and meta.at[i, "varde_fran"] is None]
    forecast = [i for i in meta.index if (meta.at[i, "serie"] is not None or meta.at[i, "varde_fran"] is not None)
                and meta.at[i, "maltyp"] != "ingen"]
    assert ids == expected + forecast  # values the units report, then targets they only forecast
    icol = headers(ind)
    for iid in ("1.2-1", "4.1-7"):  # the value comes from the series / the other measure: only the forecast is open
        r = row_of(ind, iid)
        assert ind.cell(row=r, column=icol["varde"]).protection.locked
        assert not ind.cell(row=r, column=icol["prognos"]).protection.locked
        assert ind.cell(row=r, column=icol["fyll i"]).value.startswith("bara prognos")
    icol = headers(ind)
    assert ind.cell(row=row_of(ind, "2.2-4"), column=icol["fyll i"]).value.startswith("datum när genomfört")
    assert ind.cell(row=row_of(ind, "1.1-3"), column=icol["fyll i"]).value.startswith("text")
    assert ind.cell(row=row_of(ind, "3.1-1"), column=icol["mål"]).value == "minst 2 st per år"
    assert "senast Q1 2026" in ind.cell(row=row_of(ind, "2.2-4"), column=icol["mål"]).value

    info = wb["Instruktioner"]
    texts = " ".join(str(c.value) for row in info.iter_rows() for c in row if c.value is not None)
    assert str(YEAR) in texts and "serie" in texts and "varde_fran" in texts and "Näringslivsenheten" in texts
    dn = wb.defined_names["uppfoljningsar"]
    (sheet, coord), = list(dn.destinations)
    assert wb[sheet][coord.replace("$", "")].value == YEAR
    assert {p.name: p.value for p in wb.custom_doc_props}["uppfoljningsar"] == YEAR


def test_mall_has_dropdowns_and_protection(mall: Path, plan):
    wb = openpyxl.load_workbook(mall)
    ws = wb[BLAD_STATUS]
    col = headers(ws)
    status_letter = openpyxl.utils.get_column_letter(col["status"])
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    status_dv = [dv for dv in lists if all(s in dv.formula1 for s in STATUSAR)]
    assert len(status_dv) == 1
    for r in range(2, ws.max_row + 1):
        assert f"{status_letter}{r}" in status_dv[0].sqref
    janej = [dv for dv in lists if dv.formula1 == '"ja,nej"']
    assert janej and f"{openpyxl.utils.get_column_letter(col['behov_av_justering'])}2" in janej[0].sqref

    for sheet in (BLAD_STATUS, BLAD_INDIKATORER, BLAD_LARDOMAR, "Instruktioner"):
        assert wb[sheet].protection.sheet is True
    assert ws.cell(row=2, column=col["atgard_id"]).protection.locked is True
    assert ws.cell(row=2, column=col["titel"]).protection.locked is True
    for name in ("period_fran", "status", "kommentar", "behov_av_justering", "justering", "uppgiftslamnare"):
        assert ws.cell(row=2, column=col[name]).protection.locked is False, name

    ind = wb[BLAD_INDIKATORER]
    icol = headers(ind)
    r = row_of(ind, "1.1-2")  # an andel
    assert ind.cell(row=r, column=icol["indikator_id"]).protection.locked is True
    assert ind.cell(row=r, column=icol["varde"]).protection.locked is False
    coord = f"{openpyxl.utils.get_column_letter(icol['varde'])}{r}"
    (dv,) = [d for d in ind.data_validations.dataValidation if coord in d.sqref]
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "100")
    antal = f"{openpyxl.utils.get_column_letter(icol['varde'])}{row_of(ind, '1.1-1')}"
    (dv,) = [d for d in ind.data_validations.dataValidation if antal in d.sqref]
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")

    lar = wb[BLAD_LARDOMAR]
    assert lar.cell(row=2, column=1).protection.locked is False
    assert any('"lärdom,förslag"' == d.formula1 for d in lar.data_validations.dataValidation)


# ---------------------------------------------------------------------------------------------
# import
# ---------------------------------------------------------------------------------------------


def test_round_trip(mall: Path, plan, data_dir: Path, tmp_path: Path):
    qualitative = "Företagen uppskattar lotsen; de vill ha snabbare svar.\nAndra stycket."

    def edit(wb):
        st = wb[BLAD_STATUS]
        put(st, "1.3", status="pågående", behov_av_justering="Ja", justering="Förläng till Q2 2028.",
            justering_typ="Ändrad tidplan", kommentar="  Digital utbildning försenad.  ",
            sammanfattning="Utbildningen är försenad och förlängs till Q2 2028.")
        put(st, "5.2", behov_av_justering="ja", justering="Budget för vinterkampanjen.", justering_typ="resursbehov",
            belopp=350000)
        put(st, "1.1", period_fran=dt.datetime(YEAR, 3, 1))
        ind = wb[BLAD_INDIKATORER]
        put(ind, "1.1-1", varde=37.0, kommentar="Hela året")
        put(ind, "1.1-2", varde=72.5)
        put(ind, "1.1-3", text=qualitative)
        put(ind, "1.2-2", varde=2.25, period_fran=dt.datetime(YEAR, 10, 31), period_till=dt.datetime(YEAR, 10, 31))
        put(ind, "4.2-3", uppnatt_datum=dt.datetime(YEAR, 5, 3))
        put(ind, "3.1-1", varde="3")  # typed as text: still a number
        put(ind, "5.2-2", varde=2.0, jamforelsevarde=1.0, prognos="kommer inte att uppfyllas",
            prognos_motivering="Vinterkampanjen skjuts upp.")
        put(ind, "4.1-7", prognos="risk att inte uppfyllas", prognos_motivering="Fler inskrivna väntas.")
        put(st, "1.3", prognos="risk att inte uppfyllas", prognos_motivering="Förlängs till Q2.")
        lar = wb[BLAD_LARDOMAR]
        lar.cell(row=2, column=1, value="Lärdom")
        lar.cell(row=2, column=2, value="1.3")
        lar.cell(row=2, column=3, value="Digitala utbildningar når inte ut av sig själva.")
        lar.cell(row=4, column=1, value="förslag")  # row 3 left empty: skipped
        lar.cell(row=4, column=3, value="Sprid genomförandet över året.")

    workbook = filled(mall, plan, tmp_path / "ifylld.xlsx", edit)
    written = import_workbook(workbook, data_dir, YEAR)

    folder = data_dir / str(YEAR)
    assert sorted(written) == sorted(folder / n for n in ("status.csv", "indikatorvarden.csv", "lardomar.csv"))
    assert sorted(p.name for p in folder.iterdir()) == ["indikatorvarden.csv", "lardomar.csv", "status.csv"]
    assert sorted(p.name for p in data_dir.iterdir()) == [str(YEAR), "plan"]  # no temp folders left

    year = load_year(data_dir, YEAR, plan)
    assert year.exempeldata is False
    st = year.status
    assert list(st.index) == plan.order
    for i, aid in enumerate(plan.order):
        expected = "pågående" if aid == "1.3" else STATUSAR[i % len(STATUSAR)]
        assert st.at[aid, "status"] == expected
    assert st.at["1.3", "behov_av_justering"] == "ja"
    assert st.at["1.3", "justering"] == "Förläng till Q2 2028."
    assert st.at["1.3", "kommentar"] == "Digital utbildning försenad."
    assert st.at["1.3", "justering_typ"] == "ändrad tidplan"  # any case of a listed word is that word
    assert st.at["1.3", "sammanfattning"] == "Utbildningen är försenad och förlängs till Q2 2028."
    assert (st.at["5.2", "justering_typ"], st.at["5.2", "belopp"]) == ("resursbehov", 350000)
    assert blank(st.at["1.2", "belopp"]) and blank(st.at["1.2", "justering_typ"])
    assert st.at["1.1", "period_fran"] == dt.date(YEAR, 3, 1)
    assert st.at["1.2", "period_fran"] == dt.date(YEAR, 1, 1)
    assert st.at["1.2", "period_till"] == dt.date(YEAR, 12, 31)
    assert st.at["1.2", "uppgiftslamnare"] == "Näringslivsenheten"

    v = year.varden
    assert sorted(v.index) == sorted(["1.1-1", "1.1-2", "1.1-3", "1.2-2", "4.2-3", "3.1-1", "5.2-2", "4.1-7"])  # empty = no row
    assert (v.at["5.2-2", "jamforelsevarde"], v.at["5.2-2", "prognos"]) == (1, "kommer inte att uppfyllas")
    assert v.at["5.2-2", "prognos_motivering"] == "Vinterkampanjen skjuts upp."
    assert v.at["4.1-7", "prognos"] == "risk att inte uppfyllas" and blank(v.at["4.1-7", "varde"])
    assert year.status.at["1.3", "prognos"] == "risk att inte uppfyllas"
    assert v.at["1.1-1", "varde"] == 37
    assert v.at["1.1-1", "kommentar"] == "Hela året"
    assert v.at["1.1-2", "varde"] == 72.5
    assert v.at["1.2-2", "varde"] == 2.25
    assert v.at["1.2-2", "period_fran"] == v.at["1.2-2", "period_till"] == dt.date(YEAR, 10, 31)  # a count at one date
    assert v.at["1.1-1", "period_fran"] is None  # blank: the åtgärd's uppföljningsperiod
    assert v.at["3.1-1", "varde"] == 3
    assert v.at["4.2-3", "uppnatt_datum"] == dt.date(YEAR, 5, 3)
    assert v.at["1.1-3", "text"] == qualitative

    lar = year.lardomar
    assert list(lar["typ"]) == ["lärdom", "förslag"]
    assert lar.iloc[0]["atgard_id"] == "1.3"
    assert lar.iloc[1]["text"] == "Sprid genomförandet över året."

    raw = (folder / "indikatorvarden.csv").read_text(encoding="utf-8")
    assert raw.splitlines()[0] == ("indikator_id;varde;uppnatt_datum;text;kommentar;period_fran;period_till;"
                                   "jamforelsevarde;prognos;prognos_motivering")
    assert "1.1-2;72,5;;;" in raw and "1.1-1;37;;;Hela året" in raw and "1.2-2;2,25;" in raw
    assert f"1.2-2;2,25;;;;{YEAR}-10-31;{YEAR}-10-31" in raw
    assert "\r" not in raw and not raw.startswith("\ufeff")
    assert (folder / "status.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "atgard_id;period_fran;period_till;status;kommentar;behov_av_justering;justering;uppgiftslamnare;prognos;"
        "prognos_motivering;sammanfattning;justering_typ;belopp")
    assert (folder / "lardomar.csv").read_text(encoding="utf-8").splitlines()[0] == "typ;atgard_id;text"


def test_problems_name_sheet_excel_row_and_column(mall: Path, plan, data_dir: Path, tmp_path: Path):
    rows = {}

    def edit(wb):
        st = wb[BLAD_STATUS]
        # a multi-line comment earlier in the sheet must not shift the reported row numbers
        put(st, "1.1", kommentar="rad ett\nrad två\nrad tre")
        rows["status"] = put(st, "1.2", status="klar")
        ind = wb[BLAD_INDIKATORER]
        put(ind, "1.1-3", text="Flera\nrader\nhär")
        rows["antal"] = put(ind, "1.2-3", varde=-2)
        rows["andel"] = put(ind, "1.2-4", varde=120)
        rows["id"] = put(ind, "2.1-1", varde=4)
        ind.cell(row=rows["id"], column=1, value="2.1-9")
        put(ind, "2.1-2", varde=5)  # a valid row is not reported

    workbook = filled(mall, plan, tmp_path / "fel.xlsx", edit)
    with pytest.raises(InputError) as info:
        import_workbook(workbook, data_dir, YEAR)
    found = {(p.file, p.row, p.column) for p in info.value.problems}
    name = workbook.name
    assert (f"{name}, blad Status", rows["status"], "status") in found
    assert (f"{name}, blad Indikatorer", rows["antal"], "varde") in found
    assert (f"{name}, blad Indikatorer", rows["andel"], "varde") in found
    assert (f"{name}, blad Indikatorer", rows["id"], "indikator_id") in found
    assert len(info.value.problems) == 4, info.value.message()
    message = info.value.message()
    assert f"blad Indikatorer, rad {rows['andel']}, kolumn 'varde': värdet '120'" in message
    assert f"blad Status, rad {rows['status']}, kolumn 'status': värdet 'klar'" in message
    assert "förväntat" in message
    # nothing written, no temp folders left, the workbook untouched
    assert sorted(p.name for p in data_dir.iterdir()) == ["plan"]


def test_required_status_and_justering(mall: Path, plan, data_dir: Path, tmp_path: Path):
    def edit(wb):
        st = wb[BLAD_STATUS]
        put(st, "2.1", status=None)
        put(st, "2.2", behov_av_justering="ja")  # justering missing

    workbook = filled(mall, plan, tmp_path / "fel.xlsx", edit)
    with pytest.raises(InputError) as info:
        import_workbook(workbook, data_dir, YEAR)
    ws = openpyxl.load_workbook(workbook)[BLAD_STATUS]
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(row_of(ws, "2.1"), "status"), (row_of(ws, "2.2"), "justering"),
                     (row_of(ws, "2.2"), "justering_typ")}


def test_the_new_status_fields_are_checked_with_sheet_row_column_value_and_limit(mall: Path, plan, data_dir: Path,
                                                                                 tmp_path: Path):
    long = "Temadagen hölls i oktober. " * 8  # 216 characters

    def edit(wb):
        st = wb[BLAD_STATUS]
        put(st, "1.1", sammanfattning=long.strip())
        put(st, "2.2", behov_av_justering="ja", justering="Flytta beslutet till Q1 2027.")  # no kind
        put(st, "5.2", behov_av_justering="ja", justering="Budget.", justering_typ="resursbehov")  # no amount
        put(st, "3.1", behov_av_justering="ja", justering="Ändra målet.", justering_typ="ändrat mål", belopp=5000)

    workbook = filled(mall, plan, tmp_path / "fel.xlsx", edit)
    with pytest.raises(InputError) as info:
        import_workbook(workbook, data_dir, YEAR)
    ws = openpyxl.load_workbook(workbook)[BLAD_STATUS]
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(row_of(ws, "1.1"), "sammanfattning"), (row_of(ws, "2.2"), "justering_typ"),
                     (row_of(ws, "5.2"), "belopp"), (row_of(ws, "3.1"), "belopp")}
    message = info.value.message()
    assert f"blad Status, rad {row_of(ws, '1.1')}, kolumn 'sammanfattning'" in message
    assert f"högst 200 tecken (den har {len(long.strip())})" in message
    assert "beloppet i kronor när justering_typ är 'resursbehov'" in message
    assert "Traceback" not in message
    assert sorted(p.name for p in data_dir.iterdir()) == ["plan"]  # nothing written


def test_the_mall_asks_for_a_summary_a_kind_and_an_amount_and_enforces_them(mall: Path):
    ws = openpyxl.load_workbook(mall)[BLAD_STATUS]
    col = headers(ws)
    for name in ("sammanfattning", "justering_typ", "belopp"):
        assert ws.cell(row=2, column=col[name]).protection.locked is False, name
    rules = ws.data_validations.dataValidation

    def rule_for(name):
        coord = f"{openpyxl.utils.get_column_letter(col[name])}2"
        (dv,) = [d for d in rules if coord in d.sqref]
        return dv

    summary = rule_for("sammanfattning")
    assert (summary.type, summary.operator, summary.formula1, summary.errorStyle) == (
        "textLength", "lessThanOrEqual", "200", "stop")
    kinds = rule_for("justering_typ")
    assert kinds.type == "list" and kinds.formula1 == (
        '"ändrad tidplan,ändrat mål,åtgärden avslutas,ny åtgärd,resursbehov,egen åtgärd"')
    amount = rule_for("belopp")
    assert (amount.type, amount.operator, amount.formula1) == ("whole", "greaterThan", "0")


def test_a_mall_without_the_summary_and_kind_columns_still_imports(mall: Path, plan, data_dir: Path, tmp_path: Path):
    """A mall filled in before the summary and the kind of justering existed gives a year file of
    its time, without them: its justering is read with the kind not given, not refused."""

    def edit(wb):
        st = wb[BLAD_STATUS]
        put(st, "2.2", behov_av_justering="ja", justering="Flytta beslutet till Q1 2027.")
        for name in ("belopp", "justering_typ", "sammanfattning"):
            st.delete_cols(headers(st)[name], 1)
        assert not {"sammanfattning", "justering_typ", "belopp"} & set(headers(st))

    import_workbook(filled(mall, plan, tmp_path / "gammal.xlsx", edit), data_dir, YEAR)
    header = (data_dir / str(YEAR) / "status.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "justering_typ" not in header and "sammanfattning" not in header
    st = load_year(data_dir, YEAR, plan).status
    assert st.at["2.2", "behov_av_justering"] == "ja" and blank(st.at["2.2", "justering_typ"])


def test_refuses_to_overwrite_without_flag(mall: Path, plan, data_dir: Path, tmp_path: Path):
    folder = data_dir / str(YEAR)
    folder.mkdir()
    for f in (DATA / "2026").glob("*.exempeldata.csv"):
        shutil.copy(f, folder / f.name)
    (folder / "anteckningar.txt").write_text("behålls", encoding="utf-8")
    before = {p.name: digest(p) for p in folder.iterdir()}

    workbook = filled(mall, plan, tmp_path / "ifylld.xlsx",
                      lambda wb: put(wb[BLAD_INDIKATORER], "1.1-1", varde=12))
    original = digest(workbook)

    with pytest.raises(InputError) as info:
        import_workbook(workbook, data_dir, YEAR)
    assert "--skriv-over" in info.value.message()
    assert {p.name: digest(p) for p in folder.iterdir()} == before

    written = import_workbook(workbook, data_dir, YEAR, overwrite=True)
    assert sorted(p.name for p in folder.iterdir()) == [
        "anteckningar.txt", "indikatorvarden.csv", "lardomar.csv", "status.csv"]
    assert all(p.exists() for p in written)
    year = load_year(data_dir, YEAR, plan)
    assert year.exempeldata is False
    assert list(year.varden.index) == ["1.1-1"] and year.varden.at["1.1-1", "varde"] == 12
    assert sorted(p.name for p in data_dir.iterdir()) == [str(YEAR), "plan"]
    assert digest(workbook) == original  # the workbook is only read


def test_failed_swap_keeps_the_old_year(mall: Path, plan, data_dir: Path, tmp_path: Path, monkeypatch):
    folder = data_dir / str(YEAR)
    folder.mkdir()
    for f in (DATA / "2026").glob("*.exempeldata.csv"):
        shutil.copy(f, folder / f.name)
    before = {p.name: digest(p) for p in folder.iterdir()}
    workbook = filled(mall, plan, tmp_path / "ifylld.xlsx")
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst) == folder and ".import-" in str(src):
            raise OSError("simulerat fel")
        return real_replace(src, dst)

    def exchange(a, b):
        if Path(b) == folder:
            raise OSError("simulerat fel")
        return real_exchange(a, b)

    real_exchange = fs.exchange
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(fs, "exchange", exchange)
    with pytest.raises(RunError, match="orörda"):
        import_workbook(workbook, data_dir, YEAR, overwrite=True)
    assert {p.name: digest(p) for p in folder.iterdir()} == before
    assert sorted(p.name for p in data_dir.iterdir()) == [str(YEAR), "plan"]


def test_empty_year_folder_is_filled_without_flag(mall: Path, plan, data_dir: Path, tmp_path: Path):
    (data_dir / str(YEAR)).mkdir()
    workbook = filled(mall, plan, tmp_path / "ifylld.xlsx")
    written = import_workbook(workbook, data_dir, YEAR)
    assert sorted(p.name for p in written) == ["indikatorvarden.csv", "lardomar.csv", "status.csv"]
    year = load_year(data_dir, YEAR, plan)
    assert list(year.status.index) == plan.order
    assert not year.exempeldata


def test_wrong_year_is_a_swedish_error(data_dir: Path, plan, tmp_path: Path):
    mall = write_template(data_dir, 2026, tmp_path / "mall_2026.xlsx")
    workbook = filled(mall, plan, tmp_path / "ifylld_2026.xlsx")
    with pytest.raises(InputError) as info:
        import_workbook(workbook, data_dir, YEAR)
    message = info.value.message()
    assert "mallen för 2026" in message and f"uppföljningsåret {YEAR}" in message
    assert "--ar 2026" in message
    assert sorted(p.name for p in data_dir.iterdir()) == ["plan"]


def test_missing_sheet_and_foreign_file(mall: Path, plan, data_dir: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(mall)
    del wb[BLAD_LARDOMAR]
    wb.save(tmp_path / "utan_blad.xlsx")
    with pytest.raises(InputError) as info:
        import_workbook(tmp_path / "utan_blad.xlsx", data_dir, YEAR)
    assert "bladet Lärdomar saknas" in info.value.message()

    junk = tmp_path / "inte_excel.xlsx"
    junk.write_text("hej", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_workbook(junk, data_dir, YEAR)
    assert "kan inte läsas som Excel" in info.value.message()


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (72.5, "number", "72,5"),
        (37.0, "number", "37"),
        (37, "number", "37"),
        (0.1 + 0.2, "number", "0,3"),
        ("72.5", "number", "72,5"),
        (" 72,5 ", "number", "72,5"),
        ("ej ett tal", "number", "ej ett tal"),
        (dt.datetime(2027, 5, 3), "date", "2027-05-03"),
        ("2027-05-03 00:00:00", "date", "2027-05-03"),
        (1.1, "id", "1.1"),
        ("Ja", "choice", "ja"),
        ("JA", "choice", "ja"),
        (True, "choice", "ja"),
        ("Pågående", "choice", "pågående"),
        ("  text \r\n mer ", "text", "text \n mer"),
        (None, "text", ""),
    ],
)
def test_cell_text(value, kind, expected):
    choices = ("ja", "nej", "pågående")
    assert cell_text(value, kind, choices) == expected


def test_exact_sv_has_no_exponent():
    assert exact_sv(1e16) == "10000000000000000"
    assert exact_sv(-2.5) == "-2,5"


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)


def test_cli_mall_and_importera(data_dir: Path, plan, tmp_path: Path):
    write_config(data_dir.parent / "_config.yml")  # the plan: block names kommun and samordnare
    target = tmp_path / "mall.xlsx"
    out = run_cli("--data", str(data_dir), "mall", "--ar", str(YEAR), "--fil", str(target), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert target.exists()

    ifylld = filled(target, plan, tmp_path / "ifylld.xlsx", lambda wb: put(wb[BLAD_INDIKATORER], "1.1-2", varde=72.5))
    out = run_cli("--data", str(data_dir), "importera", str(ifylld), "--ar", str(YEAR), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Importerat" in out.stdout
    assert load_year(data_dir, YEAR, plan).varden.at["1.1-2", "varde"] == 72.5

    # again without --skriv-over: refused; with it: replaced
    out = run_cli("--data", str(data_dir), "importera", str(ifylld), "--ar", str(YEAR), cwd=tmp_path)
    assert out.returncode == 2 and "--skriv-over" in out.stderr
    out = run_cli("--data", str(data_dir), "importera", str(ifylld), "--ar", str(YEAR), "--skriv-over", cwd=tmp_path)
    assert out.returncode == 0, out.stderr


def test_cli_broken_file_exits_2_in_swedish(data_dir: Path, plan, tmp_path: Path):
    target = write_template(data_dir, YEAR, tmp_path / "mall.xlsx")
    broken = filled(target, plan, tmp_path / "trasig.xlsx", lambda wb: put(wb[BLAD_INDIKATORER], "1.1-2", varde=120))
    out = run_cli("--data", str(data_dir), "importera", str(broken), "--ar", str(YEAR), cwd=tmp_path)
    assert out.returncode == 2
    assert "Indata innehåller 1 fel" in out.stderr
    assert "trasig.xlsx, blad Indikatorer" in out.stderr and "kolumn 'varde'" in out.stderr
    assert "Inget har ändrats" in out.stderr
    assert not (data_dir / str(YEAR)).exists()


def test_a_mall_without_the_value_period_columns_still_imports(mall: Path, plan, data_dir: Path, tmp_path: Path):
    """Malls filled in before the value periods were added keep working; blank = the åtgärd's period."""

    def edit(wb):
        ind = wb[BLAD_INDIKATORER]
        put(ind, "1.1-1", varde=12.0)
        first = headers(ind)["period_fran"]
        ind.delete_cols(first, 2)
        assert "period_fran" not in headers(ind) and "period_till" not in headers(ind)

    import_workbook(filled(mall, plan, tmp_path / "gammal.xlsx", edit), data_dir, YEAR)
    v = load_year(data_dir, YEAR, plan).varden
    assert v.at["1.1-1", "varde"] == 12 and v.at["1.1-1", "period_fran"] is None


# ---------------------------------------------------------------------------------------------
# the workbook as the unit saw it
# ---------------------------------------------------------------------------------------------


def rename_sheet(wb, old: str, new: str) -> None:
    """Rename a sheet the way Excel does: its defined names (the mall's marker) follow it."""
    wb[old].title = new
    for dn in list(wb.defined_names.values()):
        if f"'{old}'!" in dn.attr_text or dn.attr_text.startswith(f"{old}!"):
            dn.attr_text = dn.attr_text.replace(f"'{old}'!", f"'{new}'!").replace(f"{old}!", f"'{new}'!")


def test_the_renamed_visible_sheet_is_read_and_a_hidden_copy_with_answers_refuses_the_workbook(
        mall: Path, plan, data_dir: Path, tmp_path: Path):
    def renamed(wb):
        rename_sheet(wb, BLAD_STATUS, "Status klar")
        put(wb["Status klar"], "1.1", kommentar="Det enheten skrev")

    path = filled(mall, plan, tmp_path / "omdopt.xlsx", renamed)
    import_workbook(path, data_dir, YEAR)
    status = load_year(data_dir, YEAR, plan).status
    assert status.set_index("atgard_id").at["1.1", "kommentar"] == "Det enheten skrev"

    def hidden_copy(wb):
        renamed(wb)
        copy = wb.copy_worksheet(wb["Status klar"])
        copy.title = BLAD_STATUS  # named like the answer sheet, hidden, with other answers
        put(copy, "1.1", kommentar="Något enheten aldrig såg")
        copy.sheet_state = "hidden"

    target = tmp_path / "dold.xlsx"
    path = filled(mall, plan, target, hidden_copy)
    before = {p.name: digest(p) for p in (data_dir / str(YEAR)).iterdir()}
    with pytest.raises(InputError) as err:
        import_workbook(path, data_dir, YEAR, overwrite=True)
    message = str(err.value)
    assert f"bladet '{BLAD_STATUS}' är dolt men innehåller svar" in message and "synliga blad" in message, message
    assert {p.name: digest(p) for p in (data_dir / str(YEAR)).iterdir()} == before


def test_a_hidden_answer_sheet_itself_refuses_the_workbook(mall: Path, plan, data_dir: Path, tmp_path: Path):
    path = filled(mall, plan, tmp_path / "dold.xlsx", lambda wb: setattr(wb[BLAD_LARDOMAR], "sheet_state", "veryHidden"))
    with pytest.raises(InputError, match=f"bladet '{BLAD_LARDOMAR}' är mycket dolt"):
        import_workbook(path, data_dir, YEAR)


def test_swapped_or_edited_locked_rows_are_refused_with_the_row_named(mall: Path, plan, data_dir: Path,
                                                                      tmp_path: Path):
    """With the protection removed, 1.1 and 1.2 swapped ids: 1.1's comment must not land on 1.2."""
    def swap(wb):
        ws = wb[BLAD_STATUS]
        put(ws, "1.1", kommentar="Kommentar till 1.1")
        r1, r2 = row_of(ws, "1.1"), row_of(ws, "1.2")
        ws.cell(row=r1, column=1).value, ws.cell(row=r2, column=1).value = "1.2", "1.1"
        wi = wb[BLAD_INDIKATORER]
        col = headers(wi)
        wi.cell(row=2, column=col["indikator"]).value = "En annan indikator"

    path = filled(mall, plan, tmp_path / "bytta.xlsx", swap)
    with pytest.raises(InputError) as err:
        import_workbook(path, data_dir, YEAR)
    problems = err.value.problems
    wrong = {(p.row, p.column) for p in problems}
    wb = openpyxl.load_workbook(path)
    assert {(row_of(wb[BLAD_STATUS], "1.2"), "titel"), (row_of(wb[BLAD_STATUS], "1.1"), "titel"),
            (2, "indikator")} <= wrong, problems
    assert all("saknas" not in str(p.value) for p in problems), problems  # no "row missing" noise
    assert not (data_dir / str(YEAR)).exists()


def test_csv_and_excel_accept_the_same_spellings_of_a_choice(mall: Path, plan, data_dir: Path, tmp_path: Path):
    def shout(wb):
        put(wb[BLAD_STATUS], "1.1", status="PÅGÅENDE")

    import_workbook(filled(mall, plan, tmp_path / "versaler.xlsx", shout), data_dir, YEAR)
    status_csv = data_dir / str(YEAR) / "status.csv"
    from_excel = load_year(data_dir, YEAR, plan).status.set_index("atgard_id").at["1.1", "status"]
    text = status_csv.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("1.1;"))
    status_csv.write_text(text.replace(row, row.replace(";pågående;", ";PÅGÅENDE;")), encoding="utf-8")
    assert ";PÅGÅENDE;" in status_csv.read_text(encoding="utf-8")
    from_csv = load_year(data_dir, YEAR, plan).status.set_index("atgard_id").at["1.1", "status"]
    assert from_excel == from_csv == "pågående"


def test_the_mall_marks_its_answer_sheets(mall: Path):
    from helpers.data.excel.layout import SHEET_MARKERS

    wb = openpyxl.load_workbook(mall)
    for sheet, marker in SHEET_MARKERS.items():
        assert [title for title, _ in wb.defined_names[marker].destinations] == [sheet]
