"""Specification of måluppfyllelse (helpers.targets): one rule per target kind of the plan, and a
one-sentence Swedish explanation for every judgement."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from conftest import small_data
from helpers.compute.indicators import Change, changes, indicator_values
from helpers.compute.targets import (
    DELVIS,
    EJ_BEDOMT,
    EJ_FORFALLET,
    EJ_UPPFYLLT,
    FORSENAT,
    I_TID,
    UPPFYLLT,
    UTFALL,
    judge,
    judge_all,
    milestone_done,
    summarise,
)
from helpers.data.inputs import INDIKATORER
from helpers.data.plan import load_plan
from helpers.data.yeardata import load_years

NAN = math.nan
DEADLINE = dt.date(2025, 12, 31)


def meta(**kw) -> pd.Series:
    """An indicator row with the register's columns (blank = None)."""
    row = {name: None for name in INDIKATORER.names}
    row.update(indikator_id="x-1", atgard_id="1.1", malomrade_id=1, text="Indikator", typ="antal", enhet="st",
               maltyp="ingen", kalla="egen uppföljning")
    row.update(kw)
    return pd.Series(row)


def change(varde=NAN, varde_fore=NAN, ar=2026, ar_fore=2025) -> Change:
    diff = varde - varde_fore
    return Change(indikator_id="x-1", ar=ar, varde=varde, ar_fore=ar_fore, varde_fore=varde_fore,
                  baslinje_ar=ar_fore, baslinje=varde_fore, diff=diff,
                  diff_rel=diff / varde_fore * 100 if varde_fore else NAN, trend="för få värden",
                  uppnatt_datum=None, text=None, kommentar=None, exempeldata=False, kalla="egen uppföljning")


ON = dt.date(2026, 12, 31)


def j(m, c=None, on=ON, year=2026, **kw):
    return judge(m, c or change(), on, report_year=year, **kw)


# --- riktning -----------------------------------------------------------------------------------

OKA = meta(maltyp="riktning", riktning="öka")
MINSKA = meta(maltyp="riktning", riktning="minska")


@pytest.mark.parametrize("m, now, before, outcome", [
    (OKA, 12.0, 10.0, UPPFYLLT),
    (OKA, 8.0, 10.0, EJ_UPPFYLLT),
    (OKA, 10.0, 10.0, EJ_UPPFYLLT),
    (MINSKA, 8.0, 10.0, UPPFYLLT),
    (MINSKA, 12.0, 10.0, EJ_UPPFYLLT),
    (MINSKA, 10.0, 10.0, EJ_UPPFYLLT),
])
def test_direction_target_is_met_only_by_a_change_in_the_wanted_direction(m, now, before, outcome):
    res = j(m, change(now, before))
    assert res.utfall == outcome
    assert "2025" in res.forklaring
    assert f"ska {m['riktning']}" in res.forklaring


def test_direction_explanation_says_how_much_it_moved():
    res = j(OKA, change(12.5, 10.0))
    assert res.forklaring == "Värdet ökade med 2,5 jämfört med 2025; målet är att det ska öka."


def test_unchanged_value_is_not_met_and_says_oforandrat():
    res = j(MINSKA, change(688.0, 688.0))
    assert (res.utfall, res.detalj) == (EJ_UPPFYLLT, EJ_UPPFYLLT)
    assert res.forklaring.startswith("Oförändrat (688) jämfört med 2025")


@pytest.mark.parametrize("now, before, missing_year", [(NAN, 10.0, "2026"), (10.0, NAN, "2025")])
def test_direction_with_a_missing_value_is_not_judged(now, before, missing_year):
    res = j(OKA, change(now, before))
    assert (res.utfall, res.detalj) == (EJ_BEDOMT, "uppgift saknas")
    assert res.forklaring.startswith(f"Uppgift saknas för {missing_year}")


# --- tröskel ------------------------------------------------------------------------------------

TRE = meta(maltyp="tröskel", malvarde=3.0)


@pytest.mark.parametrize("value, outcome", [
    (3.0, UPPFYLLT), (5.0, UPPFYLLT), (2.0, DELVIS), (0.5, DELVIS), (0.0, EJ_UPPFYLLT),
])
def test_threshold_is_at_least_the_target_value(value, outcome):
    res = j(TRE, change(value))
    assert res.utfall == outcome
    assert "minst 3" in res.forklaring


def test_threshold_explanations():
    assert j(TRE, change(4.0)).forklaring == "4 uppfyller målet minst 3."
    assert j(TRE, change(2.0)).forklaring == "2 av målet minst 3."


def test_threshold_with_missing_value_is_not_judged():
    res = j(TRE, change(NAN))
    assert (res.utfall, res.detalj) == (EJ_BEDOMT, "uppgift saknas")
    assert res.forklaring.startswith("Uppgift saknas för 2026")


def test_threshold_for_another_year_is_not_judged():
    m = meta(maltyp="tröskel", malvarde=3.0, malar=2026)
    res = j(m, change(0.0, ar=2025), year=2025)
    assert (res.utfall, res.detalj) == (EJ_BEDOMT, "målet gäller annat år")
    assert "2026" in res.forklaring
    assert j(m, change(3.0)).utfall == UPPFYLLT  # and is judged in its own year


def test_threshold_with_register_types_pd_na_malar_applies_every_year():
    m = meta(maltyp="tröskel", malvarde=2.0, malar=pd.NA)
    assert j(m, change(2.0, ar=2025), year=2025).utfall == UPPFYLLT


# --- milstolpe ----------------------------------------------------------------------------------

MILESTONE = meta(typ="milstolpe", enhet="datum", maltyp="milstolpe", deadline=DEADLINE,
                 deadline_text="senast 31 december 2025")


@pytest.mark.parametrize("done, on, outcome, detail", [
    (dt.date(2025, 11, 1), dt.date(2025, 12, 31), UPPFYLLT, I_TID),
    (DEADLINE, DEADLINE, UPPFYLLT, I_TID),
    (dt.date(2026, 2, 15), dt.date(2026, 10, 31), DELVIS, FORSENAT),
    (None, DEADLINE, EJ_BEDOMT, EJ_FORFALLET),
    (None, dt.date(2025, 6, 30), EJ_BEDOMT, EJ_FORFALLET),
    (None, dt.date(2026, 1, 1), EJ_UPPFYLLT, EJ_UPPFYLLT),
])
def test_milestone_is_judged_by_its_deadline(done, on, outcome, detail):
    res = j(MILESTONE, on=on, milestone_done=done)
    assert (res.utfall, res.detalj) == (outcome, detail)
    assert "senast 31 december 2025" in res.forklaring


def test_milestone_done_late_says_how_many_days():
    res = j(MILESTONE, milestone_done=dt.date(2026, 1, 30))
    assert res.forklaring == ("Genomfört 30 januari 2026, 30 dagar efter tidsgränsen "
                              "(senast 31 december 2025).")


def test_milestone_one_day_late_uses_singular_dag():
    res = j(MILESTONE, milestone_done=dt.date(2026, 1, 1))
    assert "1 dag efter tidsgränsen" in res.forklaring


def test_milestone_without_deadline_text_names_the_date():
    m = meta(typ="milstolpe", enhet="datum", maltyp="milstolpe", deadline=dt.date(2026, 3, 31))
    res = j(m, on=dt.date(2026, 1, 31))
    assert "senast 31 mars 2026" in res.forklaring
    assert "31 januari 2026" in res.forklaring


def test_milestone_done_takes_the_earliest_date_over_years():
    v = pd.DataFrame({"indikator_id": ["m", "m", "m", "n"], "ar": [2025, 2026, 2027, 2025],
                      "uppnatt_datum": [None, dt.date(2026, 5, 1), dt.date(2025, 12, 1), dt.date(2025, 1, 1)]})
    assert milestone_done(v, "m", 2027) == dt.date(2025, 12, 1)
    assert milestone_done(v, "m", 2026) == dt.date(2026, 5, 1)
    assert milestone_done(v, "m", 2025) is None
    assert milestone_done(v, "x", 2027) is None


# --- ingen ----------------------------------------------------------------------------------------


def test_indicator_without_target_is_reported_not_judged():
    res = j(meta(maltyp="ingen"), change(5.0, 4.0))
    assert (res.utfall, res.detalj) == (EJ_BEDOMT, "inget mål")
    assert "inget mål" in res.forklaring


def test_unknown_target_kind_is_an_error():
    with pytest.raises(ValueError, match="maltyp"):
        j(meta(maltyp="önskan"))


# --- NKI and ranking series -----------------------------------------------------------------------

NKI = meta(typ="index", enhet="index", maltyp="riktning", riktning="öka", kalla="SKR Insikt",
           serie="insikt:totalt:nki")


@pytest.mark.parametrize("verdict, outcome", [
    ("signifikant förbättring", UPPFYLLT),
    ("signifikant försämring", EJ_UPPFYLLT),
    ("inom felmarginalen", EJ_BEDOMT),
    ("ej jämförbart (seriebrott 2024)", EJ_BEDOMT),
])
def test_nki_change_counts_only_outside_the_margin_of_error(verdict, outcome):
    why = "Förändringen med 4 enheter (p = 0,01)."
    res = j(NKI, change(76.0, 72.0, ar=2025, ar_fore=2024), klimat={"bedomning": verdict, "forklaring": why})
    assert res.utfall == outcome
    assert res.forklaring.startswith(why)


def test_nki_within_margin_says_it_cannot_be_called_an_improvement():
    res = j(NKI, change(76.0, 72.0), klimat={"bedomning": "inom felmarginalen", "forklaring": "Inom."})
    assert res.detalj == "inom felmarginalen"
    assert "Det går inte att säga att resultatet förbättrats." in res.forklaring


def test_seriebrott_keeps_its_label():
    res = j(NKI, change(76.0, 72.0), klimat={"bedomning": "ej jämförbart (seriebrott 2024)", "forklaring": "Ej."})
    assert res.detalj == "ej jämförbart (seriebrott 2024)"


@pytest.mark.parametrize("now, outcome", [(75.0, UPPFYLLT), (70.0, EJ_UPPFYLLT)])
def test_nki_without_known_margin_is_judged_on_direction_with_a_note(now, outcome):
    res = j(NKI, change(now, 72.0, ar=2017, ar_fore=2016), klimat={"bedomning": "kan inte bedömas", "forklaring": ""})
    assert res.utfall == outcome
    assert "Felmarginalen är okänd" in res.forklaring
    assert "2016" in res.forklaring


def test_series_without_comparison_is_judged_on_direction():
    ranking = meta(typ="betyg", enhet="betyg", maltyp="riktning", riktning="öka",
                   kalla="Svenskt Näringslivs ranking", serie="ranking:infrastruktur")
    res = j(ranking, change(3.15, 3.11))
    assert res.utfall == UPPFYLLT
    assert "Felmarginalen" not in res.forklaring


# --- Every judgement explains itself ----------------------------------------------------------------


@pytest.mark.parametrize("m, c, kw", [
    (OKA, change(2.0, 1.0), {}), (OKA, change(1.0, 2.0), {}), (OKA, change(1.0, 1.0), {}), (OKA, change(), {}),
    (TRE, change(3.0), {}), (TRE, change(1.0), {}), (TRE, change(0.0), {}), (TRE, change(), {}),
    (MILESTONE, change(), {"milestone_done": DEADLINE}), (MILESTONE, change(), {"milestone_done": dt.date(2026, 6, 1)}),
    (MILESTONE, change(), {}), (meta(), change(1.0), {}),
    (NKI, change(76.0, 72.0), {"klimat": {"bedomning": "kan inte bedömas", "forklaring": ""}}),
])
def test_every_judgement_has_an_outcome_and_a_swedish_sentence(m, c, kw):
    res = j(m, c, **kw)
    assert res.utfall in UTFALL
    assert res.detalj
    assert len(res.forklaring) > 15 and res.forklaring.rstrip().endswith(".")
    assert "nan" not in res.forklaring.lower() and "None" not in res.forklaring


# --- summarise ------------------------------------------------------------------------------------


def judgements(*pairs) -> pd.DataFrame:
    return pd.DataFrame([{"malomrade_id": m, "utfall": u} for m, u in pairs])


def test_summarise_counts_each_outcome_and_the_share_of_judged():
    s = summarise(judgements((1, UPPFYLLT), (1, DELVIS), (1, EJ_UPPFYLLT), (1, EJ_BEDOMT), (1, UPPFYLLT),
                             (2, EJ_BEDOMT)), "malomrade_id")
    assert s.loc[1, list(UTFALL)].tolist() == [2, 1, 1, 1]
    assert (s.loc[1, "bedomda"], s.loc[1, "totalt"]) == (4, 5)
    assert s.loc[1, "andel_uppfyllt"] == pytest.approx(50.0)


def test_share_is_nan_when_nothing_was_judged():
    s = summarise(judgements((2, EJ_BEDOMT), (2, EJ_BEDOMT)), "malomrade_id")
    assert s.loc[2, EJ_BEDOMT] == 2 and s.loc[2, "bedomda"] == 0
    assert math.isnan(s.loc[2, "andel_uppfyllt"])


def test_delvis_is_never_counted_as_uppfyllt():
    s = summarise(judgements((1, DELVIS), (1, DELVIS), (1, UPPFYLLT)), "malomrade_id")
    assert s.loc[1, UPPFYLLT] == 1 and s.loc[1, DELVIS] == 2
    assert s.loc[1, "andel_uppfyllt"] == pytest.approx(100 / 3)


# --- judge_all on the register ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    data = small_data(tmp_path_factory.mktemp("t"))
    plan = load_plan(data / "plan")
    years = load_years(data, plan, 2026)
    values = indicator_values(plan, years)
    return plan, values


def test_judge_all_uses_the_atgards_period_end_as_bedomningsdatum(small):
    plan, values = small
    v = values[values["indikator_id"] != "6.1-2"]  # milestone 6.1-2 (deadline 2025-12-31) not reported
    ch = changes(plan, v, 2025, ["6.1-2", "5.1-1"])
    on_time = judge_all(plan, ch, v, 2025, {"6.1": dt.date(2025, 12, 31)})
    assert on_time.loc["6.1-2", "detalj"] == EJ_FORFALLET
    late = judge_all(plan, ch, v, 2025, {"6.1": dt.date(2026, 1, 31)})
    assert late.loc["6.1-2", "utfall"] == EJ_UPPFYLLT
    assert list(late.columns) == ["indikator_id", "atgard_id", "malomrade_id", "utfall", "detalj", "forklaring"]
    assert late.loc["5.1-1", "malomrade_id"] == 5


def test_judge_all_on_small_data_judges_every_indicator_with_a_reason(small):
    plan, values = small
    out = judge_all(plan, changes(plan, values, 2026), values, 2026, {})
    assert list(out.index) == list(plan.indikatorer.index)
    assert set(out["utfall"]) <= set(UTFALL)
    assert out["forklaring"].str.len().min() > 15
