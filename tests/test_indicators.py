"""Specification of indicator values over the years and their changes (helpers.indicators).

Missing stays missing: a year without a value is *uppgift saknas*, never zero and never carried
forward, and a relative change from zero is undefined (NaN), not infinite.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from conftest import small_data
from helpers.compute.indicators import VALUE_COLUMNS, change_for, changes, indicator_values, trend
from helpers.data.plan import load_plan
from helpers.data.yeardata import load_years


def values(*rows) -> pd.DataFrame:
    """rows: (indikator_id, ar, varde) or dicts with more columns."""
    out = []
    for r in rows:
        if not isinstance(r, dict):
            r = dict(zip(("indikator_id", "ar", "varde"), r))
        out.append({"uppnatt_datum": None, "text": None, "kommentar": None, "exempeldata": False,
                    "kalla": "egen uppföljning", **r})
    return pd.DataFrame(out, columns=VALUE_COLUMNS)


@pytest.fixture(scope="module")
def loaded_41(tmp_path_factory):
    data = small_data(tmp_path_factory.mktemp("d41"), atgarder=("4.1",))
    plan = load_plan(data / "plan")
    return plan, load_years(data, plan, 2026)


@pytest.fixture(scope="module")
def loaded_small(tmp_path_factory):
    data = small_data(tmp_path_factory.mktemp("dsmall"))
    plan = load_plan(data / "plan")
    return plan, load_years(data, plan, 2026)


def series(df, iid):
    own = df[df["indikator_id"] == iid]
    return dict(zip(own["ar"].astype(int), own["varde"]))


# --- indicator_values -------------------------------------------------------------------------


def test_indicator_values_has_one_row_per_indicator_and_year_in_the_input(loaded_41):
    plan, years = loaded_41
    v = indicator_values(plan, years)
    assert list(v.columns) == VALUE_COLUMNS
    assert series(v, "4.1-1") == {2025: 705.0, 2026: 688.0}
    assert series(v, "M4-1") == {2025: 412.0, 2026: 398.0}
    assert set(v["exempeldata"]) == {True}
    assert not v.duplicated(["indikator_id", "ar"]).any()


def test_varde_fran_indicators_get_a_copy_of_the_measured_values(loaded_41):
    plan, years = loaded_41
    v = indicator_values(plan, years)
    assert series(v, "4.1-7") == series(v, "4.1-1") == {2025: 705.0, 2026: 688.0}
    assert series(v, "4.1-9") == series(v, "4.1-2")
    assert series(v, "4.1-10") == series(v, "4.1-3")
    assert series(v, "4.1-9")  # not empty


def test_indicator_values_are_sorted_by_id_in_natural_order_and_year(loaded_41):
    from helpers.core.text import natural_key

    plan, years = loaded_41
    v = indicator_values(plan, years)
    pairs = list(zip(v["indikator_id"], v["ar"]))
    assert pairs == sorted(pairs, key=lambda p: (natural_key(p[0]), p[1]))
    ids = list(dict.fromkeys(v["indikator_id"]))
    assert ids.index("4.1-2") < ids.index("4.1-10")


def test_blank_value_is_nan_never_zero(loaded_small):
    plan, years = loaded_small
    v = indicator_values(plan, years)
    qualitative = v[v["indikator_id"] == "1.1-3"]
    assert len(qualitative) == 2
    assert qualitative["varde"].isna().all()
    assert qualitative["text"].str.len().min() > 20


def test_series_indicators_take_values_from_klimat_by_measurement_year(loaded_small):
    plan, years = loaded_small
    klimat = pd.DataFrame({"serie": ["insikt:totalt:nki"] * 2 + ["ranking:dialog_beslutsfattare"],
                           "ar": [2023, 2024, 2026], "varde": [70.0, 74.0, 3.01],
                           "exempeldata": [False, True, True], "kalla": ["SKR", "exempeldata", "exempeldata"]})
    v = indicator_values(plan, years, klimat)
    assert series(v, "1.2-1") == {2023: 70.0, 2024: 74.0}
    assert series(v, "6.1-1") == {2026: 3.01}
    assert v[v["indikator_id"] == "1.2-1"]["exempeldata"].tolist() == [False, True]


def test_series_indicators_have_no_values_without_klimat(loaded_small):
    plan, years = loaded_small
    v = indicator_values(plan, years)
    assert "1.2-1" not in set(v["indikator_id"])


# --- change_for -------------------------------------------------------------------------------


def test_change_has_value_previous_year_baseline_and_changes():
    v = values(("x", 2024, 40.0), ("x", 2025, 50.0), ("x", 2026, 60.0))
    c = change_for(v, "x", 2026)
    assert (c.ar, c.varde, c.ar_fore, c.varde_fore) == (2026, 60.0, 2025, 50.0)
    assert (c.baslinje_ar, c.baslinje) == (2024, 40.0)
    assert c.diff == 10.0
    assert c.diff_rel == pytest.approx(20.0)
    assert not c.saknas


def test_decrease_gives_negative_changes():
    c = change_for(values(("x", 2025, 80.0), ("x", 2026, 60.0)), "x", 2026)
    assert c.diff == -20.0
    assert c.diff_rel == pytest.approx(-25.0)


def test_baseline_is_the_first_year_with_a_value():
    v = values(("x", 2024, math.nan), ("x", 2025, 5.0), ("x", 2026, 7.0))
    c = change_for(v, "x", 2026)
    assert (c.baslinje_ar, c.baslinje) == (2025, 5.0)


def test_later_years_are_ignored():
    c = change_for(values(("x", 2025, 5.0), ("x", 2026, 7.0), ("x", 2027, 100.0)), "x", 2026)
    assert c.varde == 7.0 and c.trend == "ökande"


def test_relative_change_from_zero_is_nan_not_inf():
    c = change_for(values(("x", 2025, 0.0), ("x", 2026, 4.0)), "x", 2026)
    assert c.diff == 4.0
    assert math.isnan(c.diff_rel)


def test_missing_previous_year_gives_nan_change_never_zero():
    c = change_for(values(("x", 2024, 3.0), ("x", 2026, 4.0)), "x", 2026)
    assert c.ar_fore == 2025
    assert math.isnan(c.varde_fore)
    assert math.isnan(c.diff) and math.isnan(c.diff_rel)
    assert c.varde == 4.0


def test_missing_current_year_is_uppgift_saknas():
    c = change_for(values(("x", 2025, 3.0)), "x", 2026)
    assert c.saknas
    assert math.isnan(c.varde) and math.isnan(c.diff)
    assert c.varde_fore == 3.0
    assert c.kalla is None and c.exempeldata is False


def test_blank_value_with_a_description_is_not_saknas():
    v = values({"indikator_id": "q", "ar": 2026, "varde": math.nan, "text": "Bra träffar."})
    c = change_for(v, "q", 2026)
    assert not c.saknas and c.text == "Bra träffar."


def test_milestone_date_is_carried_on_the_change():
    v = values({"indikator_id": "m", "ar": 2026, "varde": math.nan, "uppnatt_datum": dt.date(2026, 2, 1)})
    c = change_for(v, "m", 2026)
    assert c.uppnatt_datum == dt.date(2026, 2, 1) and not c.saknas


def test_change_carries_the_rows_comment_source_and_exempeldata_flag():
    v = values({"indikator_id": "x", "ar": 2026, "varde": 1.0, "kommentar": "Q1–Q3", "exempeldata": True,
                "kalla": "webbstatistik"})
    c = change_for(v, "x", 2026)
    assert (c.kommentar, c.exempeldata, c.kalla) == ("Q1–Q3", True, "webbstatistik")


def test_unknown_indicator_is_saknas_with_no_baseline():
    c = change_for(values(("x", 2026, 1.0)), "y", 2026)
    assert c.saknas and c.baslinje_ar is None and math.isnan(c.baslinje)
    assert c.trend == "för få värden"


def test_latest_available_compares_the_two_latest_measurement_years():
    v = values(("s", 2022, 60.0), ("s", 2024, 64.0), ("s", 2025, 70.0))
    c = change_for(v, "s", 2026, latest_available=True)
    assert (c.ar, c.varde, c.ar_fore, c.varde_fore, c.diff) == (2025, 70.0, 2024, 64.0, 6.0)
    c = change_for(v, "s", 2024, latest_available=True)
    assert (c.ar, c.ar_fore) == (2024, 2022)


def test_latest_available_with_one_value_has_no_previous():
    c = change_for(values(("s", 2025, 70.0)), "s", 2026, latest_available=True)
    assert (c.ar, c.ar_fore) == (2025, None)
    assert math.isnan(c.diff)


def test_changes_uses_latest_measurement_year_for_series_and_report_year_otherwise(loaded_small):
    plan, years = loaded_small
    klimat = pd.DataFrame({"serie": ["insikt:totalt:nki"] * 2, "ar": [2024, 2025], "varde": [70.0, 74.0],
                           "exempeldata": [True, True], "kalla": ["exempeldata"] * 2})
    v = indicator_values(plan, years, klimat)
    ch = changes(plan, v, 2026)
    assert list(ch) == list(plan.indikatorer.index)
    assert (ch["1.2-1"].ar, ch["1.2-1"].ar_fore, ch["1.2-1"].diff) == (2025, 2024, 4.0)
    assert (ch["1.1-1"].ar, ch["1.1-1"].ar_fore) == (2026, 2025)
    assert ch["6.1-1"].saknas  # a series without values stays missing


def test_changes_for_selected_indicators_only(loaded_small):
    plan, years = loaded_small
    ch = changes(plan, indicator_values(plan, years), 2026, ["1.1-2", "1.1-1"])
    assert list(ch) == ["1.1-2", "1.1-1"]


# --- trend ------------------------------------------------------------------------------------


@pytest.mark.parametrize("years, vals, label", [
    ([2024, 2025, 2026], [10.0, 12.0, 15.0], "ökande"),
    ([2024, 2025, 2026], [15.0, 12.0, 10.0], "minskande"),
    ([2024, 2025, 2026], [50.0, 50.2, 50.1], "oförändrad"),
    ([2025, 2026], [100.0, 100.5], "oförändrad"),
    ([2025, 2026], [100.0, 102.0], "ökande"),
    ([2023, 2026], [9.0, 6.0], "minskande"),
    ([2025, 2026], [0.0, 0.0], "oförändrad"),
    ([2026], [5.0], "för få värden"),
    ([], [], "för få värden"),
])
def test_trend_labels(years, vals, label):
    assert trend(years, vals) == label


def test_trend_ignores_years_without_value():
    c = change_for(values(("x", 2024, 10.0), ("x", 2025, math.nan), ("x", 2026, 5.0)), "x", 2026)
    assert c.trend == "minskande"
    c = change_for(values(("x", 2025, math.nan), ("x", 2026, 5.0)), "x", 2026)
    assert c.trend == "för få värden"


def test_baseline_and_trend_never_cross_a_series_break():
    """NKI totalt changed definition in 2024: the stretch before it is not the baseline."""
    from helpers.compute.indicators import change_for

    frame = pd.DataFrame({
        "indikator_id": "1.2-1", "ar": [2022, 2023, 2024, 2025], "varde": [80.0, 79.0, 70.0, 74.0],
        "uppnatt_datum": None, "text": None, "kommentar": None, "exempeldata": False, "kalla": "SKR Insikt",
        "jamforbar_fran": [0, 0, 2024, 2024],
    })
    ch = change_for(frame, "1.2-1", 2026, latest_available=True)
    assert (ch.ar, ch.varde, ch.ar_fore, ch.varde_fore) == (2025, 74.0, 2024, 70.0)
    assert (ch.baslinje_ar, ch.baslinje, ch.trend) == (2024, 70.0, "ökande")
    first = change_for(frame, "1.2-1", 2024, latest_available=True)
    assert first.ar == 2024 and first.ar_fore is None and math.isnan(first.diff)


# --- periods: a change only between values covering the same part of the year -----------------

D = dt.date
YEAR_25 = (D(2025, 1, 1), D(2025, 12, 31))
JAN_OCT_25 = (D(2025, 1, 1), D(2025, 10, 31))
JAN_OCT_26 = (D(2026, 1, 1), D(2026, 10, 31))


def periodic(*rows) -> pd.DataFrame:
    """rows: (indikator_id, ar, varde, (period_fran, period_till))."""
    return values(*({"indikator_id": i, "ar": a, "varde": v, "period_fran": p[0], "period_till": p[1]}
                    for i, a, v, p in rows))


@pytest.mark.parametrize("a, b, same", [
    (JAN_OCT_25, JAN_OCT_26, True),
    (YEAR_25, JAN_OCT_26, False),
    ((D(2025, 10, 31), D(2025, 10, 31)), (D(2026, 10, 31), D(2026, 10, 31)), True),
    ((D(2025, 12, 1), D(2025, 12, 31)), (D(2026, 9, 1), D(2026, 9, 30)), False),
    ((D(2024, 7, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2026, 6, 30)), True),
    ((D(2024, 7, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 12, 31)), False),
    (None, JAN_OCT_26, True),
])
def test_same_part_of_year(a, b, same):
    from helpers.compute.indicators import same_part_of_year

    assert same_part_of_year(a, b) is same


@pytest.mark.parametrize("period, text", [
    (YEAR_25, "helår 2025"),
    (JAN_OCT_26, "januari–oktober 2026"),
    ((D(2026, 9, 1), D(2026, 9, 30)), "september 2026"),
    ((D(2026, 10, 31), D(2026, 10, 31)), "31 oktober 2026"),
    ((D(2026, 3, 15), D(2026, 10, 31)), "15 mars–31 oktober 2026"),
    ((D(2025, 7, 1), D(2026, 6, 30)), "juli 2025–juni 2026"),
    (None, "okänd period"),
])
def test_period_in_words(period, text):
    from helpers.compute.indicators import period_sv

    assert period_sv(period) == text


def test_values_for_different_periods_are_both_kept_but_no_change_is_computed():
    c = change_for(periodic(("x", 2025, 46.0, YEAR_25), ("x", 2026, 58.0, JAN_OCT_26)), "x", 2026)
    assert (c.varde, c.varde_fore) == (58.0, 46.0)
    assert not c.jamforbar
    assert math.isnan(c.diff) and math.isnan(c.diff_rel)
    assert c.ej_jamforbar_text == ("Värdena avser olika perioder (helår 2025 och januari–oktober 2026), "
                                   "så ingen förändring beräknas.")


def test_values_for_the_same_period_are_compared():
    c = change_for(periodic(("x", 2025, 40.0, JAN_OCT_25), ("x", 2026, 58.0, JAN_OCT_26)), "x", 2026)
    assert c.jamforbar and c.diff == 18.0 and c.ej_jamforbar_text == ""


def test_a_part_of_the_year_is_compared_with_the_same_part_the_year_before_given_in_this_years_file():
    """jan–sep 2026 mot jan–sep 2025: the mall asks for the same period of the year before, so a
    value for part of a year is compared like for like even when last year's report covered more."""
    v = periodic(("x", 2025, 296.0, (D(2025, 12, 1), D(2025, 12, 31))), ("x", 2026, 281.0, (D(2026, 9, 1), D(2026, 9, 30))))
    v["jamforelsevarde"] = [math.nan, 301.0]
    c = change_for(v, "x", 2026)
    assert c.jamforbar and (c.varde_fore, c.diff) == (301.0, -20.0)
    assert c.period_fore == (D(2025, 9, 1), D(2025, 9, 30))  # September with September, not December


def test_baseline_and_trend_use_only_values_for_the_same_part_of_the_year():
    v = periodic(("x", 2024, 10.0, (D(2024, 1, 1), D(2024, 10, 31))), ("x", 2025, 99.0, YEAR_25),
                 ("x", 2026, 5.0, JAN_OCT_26))
    c = change_for(v, "x", 2026)
    assert (c.baslinje_ar, c.baslinje, c.trend) == (2024, 10.0, "minskande")


def test_a_value_takes_its_atgards_period_unless_it_has_its_own(loaded_small):
    plan, years = loaded_small
    v = indicator_values(plan, years).set_index(["indikator_id", "ar"])
    # 1.1-1 has no own period: the åtgärd's uppföljningsperiod (januari–oktober, both autumns).
    assert (v.loc[("1.1-1", 2025), "period_fran"], v.loc[("1.1-1", 2025), "period_till"]) == JAN_OCT_25
    assert (v.loc[("1.1-1", 2026), "period_fran"], v.loc[("1.1-1", 2026), "period_till"]) == JAN_OCT_26


def test_own_period_in_the_file_wins(tmp_path):
    from conftest import read_rows, write_rows

    data = small_data(tmp_path, atgarder=("1.1",))
    f = data / "2026" / "indikatorvarden.exempeldata.csv"
    rows = read_rows(f)
    for r in rows:
        if r["indikator_id"] == "1.1-1":
            r["period_fran"] = r["period_till"] = "2026-10-31"
    write_rows(f, rows)
    plan = load_plan(data / "plan")
    v = indicator_values(plan, load_years(data, plan, 2026)).set_index(["indikator_id", "ar"])
    assert v.loc[("1.1-1", 2026), "period_till"] == D(2026, 10, 31)
    assert v.loc[("1.1-1", 2026), "period_fran"] == D(2026, 10, 31)


def test_series_values_cover_their_measurement_year(loaded_small):
    plan, years = loaded_small
    klimat = pd.DataFrame({"serie": ["insikt:totalt:nki"], "ar": [2025], "varde": [74.0], "exempeldata": [True],
                           "kalla": ["exempeldata"]})
    v = indicator_values(plan, years, klimat)
    row = v[v["indikator_id"] == "1.2-1"].iloc[0]
    assert (row["period_fran"], row["period_till"]) == YEAR_25


@pytest.mark.parametrize("typ, enhet, decimals", [
    ("antal", "st", 0), ("antal", "medelvärde", 1), ("andel", "%", 1), ("index", "index", 0), ("betyg", "betyg", 2),
])
def test_one_number_of_decimals_per_measure(typ, enhet, decimals):
    from helpers.compute.indicators import decimals_for

    assert decimals_for(typ, enhet) == decimals
