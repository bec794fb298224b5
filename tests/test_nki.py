"""Specification of helpers.nki: NKI from respondents, publication rules, series break,
significance of year-to-year changes, and the shipped Insikt data files."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.compute import jamforelse, nki, simulering
from helpers.core import fmt
from helpers.data import fakta

DATA = Path(__file__).resolve().parent / "fixtures" / "norrtalje" / "data" / "foretagsklimat"
T975_DF2 = 4.302652729911275  # t(0,975; 2) from tables


def respondents(rows, year=2023, omrade="bygglov"):
    """rows: (q_nojd, q_forvantan, q_ideal, information) per respondent."""
    return pd.DataFrame(
        [
            {"ar": year, "omrade": omrade, "q_nojd": a, "q_forvantan": b, "q_ideal": c,
             "information": info}
            for a, b, c, info in rows
        ]
    )


def pick(agg, omrade, matt, ar=None):
    sel = agg[(agg["omrade"] == omrade) & (agg["matt"] == matt)]
    if ar is not None:
        sel = sel[sel["ar"] == ar]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def read(name):
    return pd.read_csv(DATA / name, sep=";", decimal=",", encoding="utf-8")


# --- transformation and NKI -------------------------------------------------


def test_answers_map_to_0_100_scale():
    assert nki.to_index(1) == 0
    assert nki.to_index(10) == 100
    assert nki.to_index(7.75) == pytest.approx(75)


def test_nki_hand_computed_three_respondents():
    # scores: (10,10,10) -> 100; (1,1,1) -> 0; (7,4,10) -> (66,67 + 33,33 + 100)/3 = 66,67
    agg = nki.nki_from_responses(respondents([(10, 10, 10, 5), (1, 1, 1, 5), (7, 4, 10, 5)]))
    row = pick(agg, "bygglov", "nki")
    scores = np.array([100, 0, 200 / 3])
    assert row["n"] == 3
    assert row["varde"] == pytest.approx(500 / 9)
    sd = math.sqrt(((scores - 500 / 9) ** 2).sum() / 2)
    assert row["sd"] == pytest.approx(sd)
    half = T975_DF2 * sd / math.sqrt(3)
    assert row["ci_low"] == pytest.approx(500 / 9 - half)
    assert row["ci_high"] == pytest.approx(500 / 9 + half)


def test_incomplete_respondent_excluded_from_nki_but_counted_in_factor():
    agg = nki.nki_from_responses(
        respondents([(10, 10, 10, 10), (1, 1, 1, 1), (10, 10, np.nan, 1), (np.nan, 5, 5, np.nan)])
    )
    nki_row = pick(agg, "bygglov", "nki")
    assert nki_row["n"] == 2  # only the two complete respondents
    assert nki_row["varde"] == pytest.approx(50)
    info = pick(agg, "bygglov", "information")
    assert info["n"] == 3  # the third respondent answered information
    assert info["varde"] == pytest.approx(100 / 3)


def test_output_is_long_with_one_row_per_year_omrade_matt():
    df = pd.concat([respondents([(8, 8, 8, 8)] * 3, 2023), respondents([(6, 6, 6, 6)] * 2, 2024)])
    df["kompetens"] = np.nan  # asked, nobody answered
    agg = nki.nki_from_responses(df)
    assert list(agg.columns) == ["ar", "omrade", "matt", "varde", "n", "ci_low", "ci_high", "sd"]
    assert not agg.duplicated(["ar", "omrade", "matt"]).any()
    assert set(agg["omrade"]) == {"bygglov", "totalt"}
    assert set(agg["matt"]) == {"nki", "information", "kompetens"}
    komp = pick(agg, "bygglov", "kompetens", 2023)
    assert komp["n"] == 0 and np.isnan(komp["varde"])


def test_single_respondent_has_no_interval():
    agg = nki.nki_from_responses(respondents([(8, 8, 8, 8)]))
    row = pick(agg, "bygglov", "nki")
    assert row["n"] == 1
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])


@pytest.mark.parametrize("column,value", [("q_ideal", 11), ("bemotande", 0), ("q_nojd", 0.5)])
def test_values_outside_scale_raise_naming_the_column(column, value):
    df = respondents([(8.0, 8.0, 8.0, 8.0)] * 2)
    df["bemotande"] = 5.0
    df.loc[0, column] = value
    with pytest.raises(ValueError, match=column):
        nki.nki_from_responses(df)


def test_unknown_omrade_and_given_totalt_are_rejected():
    with pytest.raises(ValueError, match="omrade"):
        nki.nki_from_responses(respondents([(8, 8, 8, 8)], omrade="upphandling"))
    with pytest.raises(ValueError, match="totalt"):
        nki.nki_from_responses(respondents([(8, 8, 8, 8)], omrade="totalt"))


# --- totalt and the series break -----------------------------------------------


def test_totalt_composition_changes_in_2024():
    assert set(fakta.totalt_omraden(2023)) == set(fakta.OMRADEN)
    assert "brandskydd" in fakta.totalt_omraden(2023)
    assert set(fakta.totalt_omraden(2024)) == {
        "bygglov", "miljo_halsoskydd", "livsmedelskontroll", "serveringstillstand"}
    assert fakta.totalt_omraden(2025) == fakta.totalt_omraden(2024)


def test_totalt_pools_the_years_omraden():
    rows = []
    for year in (2023, 2024):
        rows.append(respondents([(10, 10, 10, 10)] * 3, year, "bygglov"))
        rows.append(respondents([(1, 1, 1, 1)] * 2, year, "brandskydd"))
        rows.append(respondents([(1, 1, 1, 1)] * 1, year, "markupplatelse"))
    agg = nki.nki_from_responses(pd.concat(rows))
    t23, t24 = pick(agg, "totalt", "nki", 2023), pick(agg, "totalt", "nki", 2024)
    assert t23["n"] == 6 and t23["varde"] == pytest.approx(50)
    assert t24["n"] == 3 and t24["varde"] == pytest.approx(100)
    # brandskydd and markupplåtelse are still reported on their own in 2024
    assert pick(agg, "brandskydd", "nki", 2024)["n"] == 2


def test_series_comparable():
    assert not nki.series_comparable("totalt", 2023, 2024)
    assert not nki.series_comparable("totalt", 2025, 2019)
    assert nki.series_comparable("totalt", 2024, 2025)
    assert nki.series_comparable("totalt", 2019, 2023)
    assert nki.series_comparable("bygglov", 2023, 2024)
    assert nki.series_comparable("brandskydd", 2016, 2025)


# --- confidence intervals --------------------------------------------------------


@pytest.mark.parametrize("n,true_mean,seed", [(30, 72, 11), (8, 50, 12)])
def test_ci_covers_true_mean_in_about_95_percent(n, true_mean, seed):
    # 2000 seeded samples of n respondents from a distribution whose mean is known exactly
    # (see simulate_responses). n = 8 also tells a t-interval (≈ 94 %) from a normal one (≈ 90 %).
    samples = 2000
    sim = simulering.simulate_responses({"bygglov": samples * n}, {"bygglov": true_mean}, 2020, seed)
    sim["ar"] = np.repeat(np.arange(samples), n)
    agg = nki.nki_from_responses(sim)
    rows = agg[(agg["omrade"] == "bygglov") & (agg["matt"] == "nki")]
    assert len(rows) == samples
    coverage = ((rows["ci_low"] <= true_mean) & (rows["ci_high"] >= true_mean)).mean()
    assert 0.93 <= coverage <= 0.97


def test_simulate_responses_is_seeded_and_on_the_scale():
    a = simulering.simulate_responses({"bygglov": 50, "brandskydd": 10}, {"bygglov": 70, "brandskydd": 80},
                               2024, seed=3, missing_rate=0.1)
    b = simulering.simulate_responses({"bygglov": 50, "brandskydd": 10}, {"bygglov": 70, "brandskydd": 80},
                               2024, seed=3, missing_rate=0.1)
    pd.testing.assert_frame_equal(a, b)
    answers = a[[*fakta.NKI_FRAGOR, *fakta.FAKTORER]].stack().dropna()
    assert answers.between(1, 10).all() and (answers % 1 == 0).all()
    assert a[[*fakta.NKI_FRAGOR]].isna().any().any()  # some blanks
    assert (a["ar"] == 2024).all() and len(a) == 60


def test_simulated_mean_is_the_requested_mean():
    sim = simulering.simulate_responses({"bygglov": 40000}, {"bygglov": 64}, 2024, seed=5)
    row = pick(nki.nki_from_responses(sim), "bygglov", "nki")
    assert row["varde"] == pytest.approx(64, abs=0.5)


# --- publication rules -------------------------------------------------------------


def test_suppress_hides_fewer_than_7_and_marks_7_to_9():
    agg = pd.DataFrame({
        "omrade": ["a", "b", "c", "d", "e"],
        "varde": [70.0, 71.0, 72.0, 73.0, 74.0],
        "n": [6, 7, 9, 10, np.nan],
        "ci_low": [60.0] * 5,
        "ci_high": [80.0] * 5,
    })
    out = nki.suppress(agg)
    assert out["visas"].tolist() == [False, True, True, True, True]
    assert out["fa_svar"].tolist() == [False, True, True, False, False]
    assert np.isnan(out.loc[0, ["varde", "ci_low", "ci_high"]].astype(float)).all()
    assert out.loc[1, "varde"] == 71.0
    assert agg.loc[0, "varde"] == 70.0  # input untouched
    # the CSV column name works too
    assert nki.suppress(agg.rename(columns={"n": "antal_svar"}))["visas"].tolist() == [
        False, True, True, True, True]


def test_no_delta_from_fewer_than_7_answers():
    prev = {"ar": 2022, "omrade": "bygglov", "varde": 60, "n": 6, "ci_low": 50, "ci_high": 70}
    curr = {"ar": 2023, "omrade": "bygglov", "varde": 80, "n": 40, "ci_low": 75, "ci_high": 85}
    res = jamforelse.compare_aggregate(prev, curr)
    assert res.delta is None and res.p_value is None
    assert res.bedomning == "visas inte (färre än 7 svar)"
    raw = jamforelse.compare_raw(np.full(6, 50.0), np.linspace(0, 100, 40))
    assert raw.delta is None and raw.bedomning == "visas inte (färre än 7 svar)"


def test_seven_answers_give_a_delta():
    res = jamforelse.compare_raw(np.linspace(40, 60, 7), np.linspace(40, 60, 7) + 1)
    assert res.delta == pytest.approx(1)


# --- comparisons ---------------------------------------------------------------------


def test_series_break_gives_no_totalt_delta_but_bygglov_is_fine():
    def row(omrade, ar, varde):
        return {"ar": ar, "omrade": omrade, "varde": varde, "n": 100, "ci_low": varde - 4,
                "ci_high": varde + 4}

    res = jamforelse.compare_aggregate(row("totalt", 2023, 70), row("totalt", 2024, 75))
    assert res.delta is None
    assert res.bedomning == "ej jämförbart (seriebrott 2024)"
    assert "brandskydd" in res.forklaring.lower() and "markupplåtelse" in res.forklaring.lower()
    ok = jamforelse.compare_aggregate(row("bygglov", 2023, 70), row("bygglov", 2024, 75))
    assert ok.delta == pytest.approx(5)
    assert ok.bedomning != "ej jämförbart (seriebrott 2024)"
    raw = jamforelse.compare_raw(np.linspace(0, 100, 50), np.linspace(0, 100, 50), omrade="totalt",
                          year_prev=2023, year_curr=2024)
    assert raw.bedomning == "ej jämförbart (seriebrott 2024)"


def test_large_real_change_with_big_n_is_significant_both_ways():
    lo = simulering.simulate_responses({"bygglov": 400}, {"bygglov": 60}, 2023, seed=1)
    hi = simulering.simulate_responses({"bygglov": 400}, {"bygglov": 75}, 2024, seed=2)
    s_lo = nki.respondent_scores(lo).query("matt == 'nki'")["score"]
    s_hi = nki.respondent_scores(hi).query("matt == 'nki'")["score"]
    up = jamforelse.compare_raw(s_lo, s_hi)
    assert up.bedomning == "signifikant förbättring"
    assert up.delta > 10 and up.p_value < 0.001 and up.method == "welch_t"
    down = jamforelse.compare_raw(s_hi, s_lo)
    assert down.bedomning == "signifikant försämring" and down.delta < -10
    assert down.forklaring.startswith("Minskningen med ")


def test_noise_is_within_margin_of_error():
    a = simulering.simulate_responses({"bygglov": 40}, {"bygglov": 70}, 2023, seed=21)
    b = simulering.simulate_responses({"bygglov": 40}, {"bygglov": 70}, 2024, seed=22)
    sa = nki.respondent_scores(a).query("matt == 'nki'")["score"]
    sb = nki.respondent_scores(b).query("matt == 'nki'")["score"]
    res = jamforelse.compare_raw(sa, sb)
    assert res.bedomning == "inom felmarginalen"
    assert res.p_value >= 0.05
    assert "inom felmarginalen" in res.forklaring


def test_welch_false_alarm_rate_is_about_alpha():
    # Same distribution both years: "signifikant" should be said in about 5 % of cases.
    sim = simulering.simulate_responses({"bygglov": 2 * 600 * 20}, {"bygglov": 70}, 2020, seed=31)
    scores = nki.respondent_scores(sim).query("matt == 'nki'")["score"].to_numpy()
    pairs = scores.reshape(600, 2, 20)
    alarms = sum(
        jamforelse.compare_raw(p[0], p[1]).bedomning != "inom felmarginalen" for p in pairs
    )
    assert 0.025 <= alarms / 600 <= 0.08


def test_aggregate_test_from_intervals():
    prev = {"varde": 70, "n": 200, "ci_low": 67, "ci_high": 73}
    curr = {"varde": 78, "n": 200, "ci_low": 75, "ci_high": 81}
    res = jamforelse.compare_aggregate(prev, curr)
    assert res.delta == 8 and res.bedomning == "signifikant förbättring"
    assert res.method == "z_fran_intervall"
    # se from the interval: 3 / t(0,975; 199) each; z = 8 / sqrt(2 se^2)
    from scipy import stats
    se = 6 / (2 * stats.t.ppf(0.975, 199))
    assert res.p_value == pytest.approx(2 * stats.norm.sf(8 / math.sqrt(2) / se))
    assert res.forklaring.startswith("Ökningen med 8 enheter är statistiskt säkerställd (p ")
    small = jamforelse.compare_aggregate({"varde": 70, "n": 30, "ci_low": 62, "ci_high": 78},
                                  {"varde": 72, "n": 30, "ci_low": 64, "ci_high": 80})
    assert small.bedomning == "inom felmarginalen" and small.delta == 2


def test_aggregate_test_agrees_with_raw_test():
    a = simulering.simulate_responses({"bygglov": 60}, {"bygglov": 66}, 2022, seed=41)
    b = simulering.simulate_responses({"bygglov": 60}, {"bygglov": 74}, 2023, seed=42)
    agg = nki.nki_from_responses(pd.concat([a, b]))
    rows = agg[(agg["omrade"] == "bygglov") & (agg["matt"] == "nki")].set_index("ar")
    from_agg = jamforelse.compare_aggregate(rows.loc[2022], rows.loc[2023])
    scores = nki.respondent_scores(pd.concat([a, b])).query("matt == 'nki'")
    from_raw = jamforelse.compare_raw(scores[scores.ar == 2022]["score"], scores[scores.ar == 2023]["score"])
    assert from_agg.delta == pytest.approx(from_raw.delta)
    assert from_agg.p_value == pytest.approx(from_raw.p_value, abs=0.01)


def test_unknown_n_or_interval_cannot_be_judged_but_delta_is_given():
    no_ci = jamforelse.compare_aggregate({"varde": 70, "n": 50}, {"varde": 74, "n": 50})
    assert no_ci.delta == 4 and no_ci.p_value is None
    assert no_ci.bedomning == "kan inte bedömas"
    assert "kan inte prövas" in no_ci.forklaring
    riket = jamforelse.compare_aggregate(
        {"ar": 2022, "omrade": "totalt", "varde": 75, "antal_svar": np.nan, "ci_low": np.nan,
         "ci_high": np.nan},
        {"ar": 2023, "omrade": "totalt", "varde": 75, "antal_svar": np.nan, "ci_low": np.nan,
         "ci_high": np.nan},
    )
    assert riket.delta == 0 and riket.bedomning == "kan inte bedömas"


def test_compare_dispatches_and_result_is_frozen():
    agg = jamforelse.compare({"varde": 70, "n": 100, "ci_low": 66, "ci_high": 74},
                      {"varde": 71, "n": 100, "ci_low": 67, "ci_high": 75})
    assert agg.method == "z_fran_intervall"
    raw = jamforelse.compare(np.linspace(0, 100, 30), np.linspace(5, 100, 30))
    assert raw.method == "welch_t"
    with pytest.raises(AttributeError):
        raw.delta = 3
    assert set(raw.as_dict()) == {"delta", "p_value", "bedomning", "forklaring", "method"}


def test_swedish_p_value_text_uses_decimal_comma_and_never_rounds_across_alpha():
    assert fmt.p_value_sv(0.0123, fakta.ALPHA) == "p = 0,01"
    assert fmt.p_value_sv(0.31, fakta.ALPHA) == "p = 0,31"
    assert fmt.p_value_sv(0.0004, fakta.ALPHA) == "p < 0,001"
    assert fmt.p_value_sv(0.0496, fakta.ALPHA) == "p = 0,0496"  # not "0,05"
    assert fmt.p_value_sv(0.052, fakta.ALPHA) == "p = 0,052"


def test_forklaring_example_sentence():
    # delta 4, p about 0,01
    res = jamforelse.compare_aggregate({"varde": 70, "n": 400, "ci_low": 67.8, "ci_high": 72.2},
                                {"varde": 74, "n": 400, "ci_low": 71.8, "ci_high": 76.2})
    assert res.forklaring == "Ökningen med 4 enheter är statistiskt säkerställd (p = 0,01)."


# --- delta table ------------------------------------------------------------------------


def test_delta_table_respects_suppression_and_series_break():
    rows = []
    for ar, n_bygg, v_bygg in [(2022, 40, 60), (2023, 5, 90), (2024, 8, 70), (2025, 45, 72)]:
        rows.append((ar, "bygglov", v_bygg, n_bygg))
    for ar, v in [(2022, 70), (2023, 71), (2024, 74), (2025, 80)]:
        rows.append((ar, "totalt", v, 120))
    agg = pd.DataFrame(rows, columns=["ar", "omrade", "varde", "n"]).assign(matt="nki")
    agg["ci_low"], agg["ci_high"] = agg["varde"] - 5, agg["varde"] + 5
    table = jamforelse.delta_table(agg)
    by = {(r.omrade, r.ar_fran, r.ar): r for r in table.itertuples()}
    assert len(table) == 6
    for key in [("bygglov", 2022, 2023), ("bygglov", 2023, 2024)]:
        assert by[key].bedomning == "visas inte (färre än 7 svar)"
        assert np.isnan(by[key].delta)
    assert np.isnan(by[("bygglov", 2022, 2023)].varde)  # the hidden value does not leak
    assert by[("bygglov", 2024, 2025)].delta == 2 and by[("bygglov", 2024, 2025)].fa_svar
    assert not by[("totalt", 2022, 2023)].fa_svar
    assert by[("totalt", 2023, 2024)].bedomning == "ej jämförbart (seriebrott 2024)"
    assert np.isnan(by[("totalt", 2023, 2024)].delta)
    assert by[("totalt", 2024, 2025)].delta == 6


def test_delta_table_skips_missing_years_and_keys_by_kommun():
    agg = pd.DataFrame({
        "kommun": ["Norrtälje", "Norrtälje", "Riket", "Riket"],
        "ar": [2019, 2021, 2021, 2022], "omrade": "bygglov", "matt": "nki",
        "varde": [60.0, 64.0, 70.0, 71.0], "n": [30, 30, np.nan, np.nan],
    })
    table = jamforelse.delta_table(agg)
    assert table[["kommun", "ar_fran", "ar"]].values.tolist() == [
        ["Norrtälje", 2019, 2021], ["Riket", 2021, 2022]]
    assert table["bedomning"].tolist() == ["kan inte bedömas", "kan inte bedömas"]


# --- levels ------------------------------------------------------------------------------


@pytest.mark.parametrize("value,label", [
    (100, "mycket högt"), (80, "mycket högt"), (79.6, "mycket högt"), (79, "högt"), (70, "högt"),
    (69, "godkänt"), (62, "godkänt"), (61.4, "lågt"), (50, "lågt"), (49, "mycket lågt"),
    (0, "mycket lågt"), (np.nan, "uppgift saknas"), (None, "uppgift saknas"),
])
def test_niva(value, label):
    assert nki.niva(value) == label


def test_niva_rejects_values_off_the_index_scale():
    with pytest.raises(ValueError):
        nki.niva(101)


# --- module hygiene ----------------------------------------------------------------------


def test_importing_does_not_import_scipy():
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    code = "import sys, helpers.compute.nki, helpers.compute.jamforelse, helpers.compute.ranking; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    assert out.stdout.strip() == "False"


# --- shipped data files --------------------------------------------------------------------

INSIKT_COLUMNS = ["ar", "kommun", "omrade", "matt", "varde", "antal_svar", "ci_low", "ci_high",
                  "kalla", "harledd"]


def test_published_insikt_file_holds_exactly_the_real_figures():
    df = read("insikt_publicerat.csv")
    assert list(df.columns) == [*INSIKT_COLUMNS, "adress"]
    assert df["adress"].str.match(r"https?://").all(), "every real figure carries the address of its source"
    got = {(r.ar, r.kommun, r.omrade, r.matt, r.varde) for r in df.itertuples()}
    assert got == {
        (2016, "Norrtälje", "totalt", "nki", 72), (2017, "Norrtälje", "totalt", "nki", 72),
        (2016, "Norrtälje", "markupplatelse", "nki", 57),
        (2017, "Norrtälje", "markupplatelse", "nki", 77),
        (2021, "Riket", "totalt", "nki", 74), (2022, "Riket", "totalt", "nki", 75),
        (2023, "Riket", "totalt", "nki", 75),
        # Norrtälje kommun 2019-04-10 (ärenden 2018, bygglov 2017 as "jämfört med 71 år 2017") and 2020-04-22.
        (2017, "Norrtälje", "bygglov", "nki", 71), (2018, "Norrtälje", "bygglov", "nki", 75),
        (2018, "Norrtälje", "serveringstillstand", "nki", 80), (2018, "Norrtälje", "totalt", "nki", 72),
        (2019, "Norrtälje", "totalt", "nki", 74),
    }
    assert len(df) == 12
    assert df[["antal_svar", "ci_low", "ci_high"]].isna().all().all()
    assert set(df["harledd"]) <= {"ja", "nej"}
    assert df["kalla"].notna().all() and not df["kalla"].str.contains("exempeldata").any()
    norrtalje = df[df["kommun"] == "Norrtälje"]
    assert norrtalje["kalla"].str.contains("pressmeddelande 2018-05-02|nyhet 2019-04-10|nyhet 2020-04-22").all()
    assert df[df["kommun"] == "Riket"]["kalla"].str.contains("Öppna jämförelser").all()


def test_exempeldata_aggregates_are_plausible_and_show_suppression():
    df = read("insikt.exempeldata.csv")
    assert list(df.columns) == INSIKT_COLUMNS
    assert (df["kalla"] == "exempeldata").all() and (df["harledd"] == "nej").all()
    assert set(df["ar"]) == set(range(2019, 2026))
    assert set(df["omrade"]) == {*fakta.OMRADEN, "totalt"}
    assert set(df["matt"]) == set(fakta.MATT)
    assert not df.duplicated(["ar", "omrade", "matt"]).any()
    nki_rows = df[df["matt"] == "nki"]
    assert (nki_rows["antal_svar"] < 7).any()
    assert nki_rows["antal_svar"].between(7, 9).any()
    totalt = nki_rows[nki_rows["omrade"] == "totalt"]
    assert totalt["varde"].between(65, 80).all()
    assert df["ci_low"].le(df["varde"]).all() and df["ci_high"].ge(df["varde"]).all()
    # totalt's answers are the sum of that year's included områden
    for r in totalt.itertuples():
        members = nki_rows[(nki_rows["ar"] == r.ar) & nki_rows["omrade"].isin(fakta.totalt_omraden(r.ar))]
        assert members["antal_svar"].sum() == r.antal_svar


def test_exempeldata_respondents_reproduce_the_2024_2025_aggregates():
    svar = read("insikt_svar.exempeldata.csv")
    assert list(svar.columns) == ["ar", "omrade", *fakta.NKI_FRAGOR, *fakta.FAKTORER]
    assert set(svar["ar"]) == {2024, 2025}
    assert svar.groupby("ar").size().between(40, 120).all()
    assert svar[[*fakta.NKI_FRAGOR, *fakta.FAKTORER]].isna().any().any()
    computed = nki.nki_from_responses(svar)
    shipped = read("insikt.exempeldata.csv").query("ar >= 2024")
    merged = shipped.merge(computed, on=["ar", "omrade", "matt"], validate="1:1")
    assert len(merged) == len(shipped) == len(computed)
    assert (merged["antal_svar"] == merged["n"]).all()
    assert (merged["varde_x"] == merged["varde_y"].round()).all()
    assert np.allclose(merged["ci_low_x"], merged["ci_low_y"], atol=0.051)


def test_raw_comparison_is_welchs_test():
    # unequal sizes and spreads: Welch's p differs from the pooled-variance p
    from scipy import stats
    prev = np.array([70.0, 71, 69, 70, 72, 68, 70, 71, 69, 70, 70, 71])
    curr = np.array([40.0, 95, 60, 100, 55, 90, 85])
    res = jamforelse.compare_raw(prev, curr)
    welch = stats.ttest_ind(curr, prev, equal_var=False).pvalue
    pooled = stats.ttest_ind(curr, prev, equal_var=True).pvalue
    assert res.p_value == pytest.approx(welch)
    assert abs(welch - pooled) > 0.01
    assert res.delta == pytest.approx(curr.mean() - prev.mean())
