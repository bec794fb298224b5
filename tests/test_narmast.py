"""Specification of the main report's two lists for kommunstyrelsen (issue 25, point 3):

*Det här händer närmast*: every date the plan sets in the twelve months after the report date
(the end of the year's follow-up period) that is still open, with status and the unit's forecast.
*Till kommunstyrelsen*: the indicators the register marks `till_kommunstyrelsen = ja`, because the
plan says they are reported to the board (sommarjobb, M4-1).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path

import pytest

from conftest import DATA, ROOT, SEED, read_rows, write_rows
from helpers.compute import narmast
from helpers.compute.analysis import analyse
from helpers.core.errors import InputError
from helpers.data.plan import load_plan
from helpers.present.html import plain_text
from helpers.present.narmast import kommunstyrelsen_table, narmast_table

GRANLUNDA = ROOT / "tests" / "fixtures" / "granlunda"


@pytest.fixture(scope="module")
def an():
    return analyse(2026, DATA)


@pytest.fixture(scope="module")
def rows(an):
    return narmast.narmast(an)


def _key(r) -> tuple:
    return (r["atgard_id"], None if not isinstance(r["indikator_id"], str) else r["indikator_id"])


def test_the_report_date_is_the_end_of_the_follow_up_period(an):
    assert narmast.report_date(an) == dt.date(2026, 10, 31)


def test_twelve_months_ahead_keeps_the_day_or_takes_the_months_last():
    assert narmast.add_months(dt.date(2026, 10, 31), 12) == dt.date(2027, 10, 31)
    assert narmast.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert narmast.add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


def test_atgarder_due_2026_12_31_and_still_pagaende_are_listed_with_status_and_forecast(rows):
    by_key = {_key(r): r for r in rows.to_dict("records")}
    for aid in ("4.4", "6.2", "6.3", "6.4"):
        r = by_key[(aid, None)]
        assert r["datum"] == dt.date(2026, 12, 31) and r["status"] == "pågående", r
        assert r["vad"] == "åtgärden ska vara klar"
    assert by_key[("4.4", None)]["prognos"] == "risk att inte uppfyllas"
    assert "våren 2027" in by_key[("4.4", None)]["prognos_motivering"]
    assert by_key[("6.2", None)]["prognos"] == "kommer att uppfyllas"


def test_targets_falling_due_and_not_yet_judged_are_listed_with_the_units_forecast(rows):
    by_key = {_key(r): r for r in rows.to_dict("records")}
    r = by_key[("3.1", "3.1-1")]
    assert r["datum"] == dt.date(2026, 12, 31) and r["prognos"] == "risk att inte uppfyllas"
    assert r["vad"].startswith("mål: ")
    # 5.2 is reported genomförd, but its target for 2026 is still open and forecast to be missed.
    r = by_key[("5.2", "5.2-2")]
    assert r["status"] == "genomförd" and r["prognos"] == "kommer inte att uppfyllas"


def test_nothing_done_closed_or_beyond_twelve_months_is_listed(rows):
    keys = {_key(r) for r in rows.to_dict("records")}
    assert ("1.2", None) not in keys, "1.2 is genomförd"  # planerat klart 2026-06-30, before the report date too
    assert not any(a == "4.3" for a, _ in keys), "4.3 is avslutad: its dates are no longer followed"
    assert ("4.2", "4.2-3") not in keys, "4.2-3 falls due 2027-11-30, after 2027-10-31"
    assert ("1.4", None) not in keys, "1.4 is due 2030"
    assert all(d > dt.date(2026, 10, 31) for d in rows["datum"])
    assert all(d <= dt.date(2027, 10, 31) for d in rows["datum"])


def test_rows_come_earliest_first_then_in_plan_order(rows, an):
    order = {a: i for i, a in enumerate(an.plan.order)}
    keys = [(r["datum"], order[r["atgard_id"]]) for r in rows.to_dict("records")]
    assert keys == sorted(keys)
    assert list(rows["atgard_id"]) == ["3.1", "4.4", "5.2", "6.2", "6.3", "6.4"]


def test_a_longer_horizon_reaches_the_2027_milestone(an):
    longer = narmast.narmast(an, months=13)
    hit = longer[longer["indikator_id"] == "4.2-3"]
    assert len(hit) == 1 and hit.iloc[0]["datum"] == dt.date(2027, 11, 30)
    assert hit.iloc[0]["vad"].startswith("milstolpe: ")


def test_the_table_says_the_period_status_and_forecast_in_words(an):
    text = plain_text(narmast_table(an))
    assert "31 oktober 2026 – 31 oktober 2027" in text
    assert "6 punkter" in text or "sex punkter" in text
    assert "risk att inte uppfyllas" in text and "kommer inte att uppfyllas" in text
    assert "Pågående" in text and "Genomförd" in text


def test_sommarjobb_is_marked_for_kommunstyrelsen_and_shown_412_to_398(an):
    ks = narmast.till_kommunstyrelsen(an)
    assert list(ks["indikator_id"]) == ["M4-1"]
    r = ks.iloc[0]
    assert (r["varde_fore"], r["varde"], r["ar_fore"], r["ar"]) == (412, 398, 2025, 2026)
    text = plain_text(kommunstyrelsen_table(an))
    assert "Antal erbjudna sommarjobb" in text and "412 (2025)" in text and "398 (2026)" in text
    assert "exempeldata" in text and "Målområde 4" in text


def test_the_plan_says_sommarjobb_goes_to_kommunstyrelsen_and_nothing_else_is_marked():
    plan = load_plan(DATA / "plan")
    marked = list(plan.indikatorer.index[plan.indikatorer["till_kommunstyrelsen"] == "ja"])
    assert marked == ["M4-1"]
    intro = plan.malomraden.at[4, "beskrivning"]
    assert "sommarjobb" in intro and "till kommunstyrelsen" in intro
    if SEED.exists():  # the plan itself: the only "till kommunstyrelsen" besides the report as a whole
        text = " ".join(SEED.read_text(encoding="utf-8").split())
        assert text.count("till kommunstyrelsen") == 2 and text.count("Rapporten lämnas till kommunstyrelsen") == 1
        at = text.index("till kommunstyrelsen")  # the other one is the report itself
        assert "antal erbjudna sommarjobb" in text[at - 400:at]


def test_a_plan_without_the_column_marks_nothing(tmp_path):
    plan = load_plan(GRANLUNDA / "data" / "plan")
    assert "till_kommunstyrelsen" not in read_rows(GRANLUNDA / "data" / "plan" / "indikatorer.csv")[0]
    assert (plan.indikatorer["till_kommunstyrelsen"].isna() | (plan.indikatorer["till_kommunstyrelsen"] == "")).all()


def test_a_bad_mark_names_file_row_column_value_and_what_is_expected(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(DATA / "plan", folder)
    path = folder / "indikatorer.csv"
    rows = read_rows(path)
    line = next(i + 2 for i, r in enumerate(rows) if r["indikator_id"] == "1.1-1")
    rows[line - 2]["till_kommunstyrelsen"] = "kanske"
    write_rows(path, rows)
    with pytest.raises(InputError) as err:
        load_plan(folder)
    [p] = err.value.problems
    assert (Path(p.file).name, p.row, p.column) == ("indikatorer.csv", line, "till_kommunstyrelsen")
    assert "kanske" in str(err.value) and "'ja' eller 'nej'" in str(err.value)


def test_without_a_value_the_list_says_so_and_never_invents_one(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "2026" / "indikatorvarden.exempeldata.csv"
    rows = read_rows(path)
    write_rows(path, [r for r in rows if r["indikator_id"] != "M4-1"], list(rows[0].keys()))
    shutil.copy(DATA.parent / "_config.yml", tmp_path / "_config.yml")
    an = analyse(2026, data)
    ks = narmast.till_kommunstyrelsen(an)
    assert math.isnan(ks.iloc[0]["varde"]) and ks.iloc[0]["varde_fore"] == 412
    text = plain_text(kommunstyrelsen_table(an))
    assert "uppgift saknas" in text and "412 (2025)" in text
