"""Specification of the sammanfattande bedömning (helpers.compute.oversikt): the signal of each
åtgärd, the deviations, the verdict, the key figures and the proposals – each rule on its own,
then on small fixture data where one row is changed at a time."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from conftest import read_rows, small_data, write_rows
from helpers.compute.analysis import analyse
from helpers.compute.forslag import Justering, beslutspunkt, till_beslut
from helpers.compute.oversikt import (
    AVVIKELSE,
    EJ_AKTUELL,
    ENLIGT_PLAN,
    RISK,
    closed_sentence,
    first_sentence,
    margin_sentence,
    must_have_started,
    not_judged_reasons,
    signal_of,
    targets_sentence,
    verdict_level,
)
from helpers.compute.targets import EJ_BEDOMT, EJ_UPPFYLLT, FOR_SENT, SAKNAS, UPPFYLLT

D = dt.date


# --- rules, one at a time ------------------------------------------------------------------------


@pytest.mark.parametrize("share, level", [
    (100.0, "i huvudsak enligt plan"), (75.0, "i huvudsak enligt plan"), (74.9, "delvis enligt plan"),
    (50.0, "delvis enligt plan"), (49.9, "inte enligt plan"), (0.0, "inte enligt plan"),
])
def test_verdict_level_follows_the_share_of_atgarder_on_plan(share, level):
    assert verdict_level(share) == level


@pytest.mark.parametrize("status, reasons, signal", [
    ("pågående", [], ENLIGT_PLAN), ("genomförd", [], ENLIGT_PLAN), ("ej påbörjad", [], ENLIGT_PLAN),
    ("pågående", [(RISK, "milstolpen … nåddes 20 dagar för sent")], RISK),
    ("pågående", [(RISK, "fel riktning"), (AVVIKELSE, "milstolpen … är inte nådd")], AVVIKELSE),
    ("status saknas", [(AVVIKELSE, "status har inte rapporterats")], AVVIKELSE),
    ("avslutad", [], EJ_AKTUELL),
])
def test_the_signal_is_the_worst_of_its_reasons(status, reasons, signal):
    assert signal_of(status, reasons) == signal


@pytest.mark.parametrize("on_plan, current, text", [
    (12, 16, "Andelen ligger exakt på gränsen: en åtgärd till med risk eller avvikelse ger bedömningen delvis enligt plan."),
    (4, 5, "En åtgärd till med risk eller avvikelse ger bedömningen delvis enligt plan."),
    (13, 16, ""),
    (11, 16, "En åtgärd till enligt plan ger bedömningen i huvudsak enligt plan."),
    (10, 16, ""),
    (16, 16, ""),
])
def test_the_verdict_says_when_one_atgard_would_change_it(on_plan, current, text):
    assert margin_sentence(on_plan, current) == text


def test_first_sentence_is_the_responsibles_one_line_summary():
    assert first_sentence("Arbetet pågår enligt plan. Nästa steg är Q2 2026.") == "Arbetet pågår enligt plan."
    assert first_sentence("Klart t.ex. i mars. Sedan mer.") == "Klart t.ex. i mars."
    assert first_sentence("Ingen punkt på slutet") == "Ingen punkt på slutet"
    assert first_sentence(None) == ""
    long = "Ord " * 100 + "slut."
    assert first_sentence(long).endswith(" …") and len(first_sentence(long)) <= 222


def _atgard(planerat_klart):
    return pd.Series({"planerat_klart": planerat_klart})


def _indicators(*rows):
    cols = ["maltyp", "deadline", "deadline_text", "malar", "text"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_an_atgard_must_have_started_when_a_date_of_the_plan_has_come():
    end = D(2026, 10, 31)
    none = _indicators()
    assert must_have_started(_atgard(None), none, end, 2026) == "åtgärden är löpande verksamhet"
    assert must_have_started(_atgard(D(2025, 12, 31)), none, end, 2026) == "planen anger att den ska vara klar 2025"
    assert must_have_started(_atgard(D(2030, 12, 31)), none, end, 2026) is None
    milestone = _indicators(("milstolpe", D(2026, 3, 31), "senast Q1 2026", None, "Beslut"))
    assert must_have_started(_atgard(D(2030, 12, 31)), milestone, end, 2026) == "en milstolpe har tidsgräns senast Q1 2026"
    later = _indicators(("milstolpe", D(2027, 3, 31), "senast Q1 2027", None, "Beslut"))
    assert must_have_started(_atgard(D(2030, 12, 31)), later, end, 2026) is None
    yearly = _indicators(("tröskel", None, None, None, "Minst en träff per år"))
    assert "gäller 2026" in must_have_started(_atgard(D(2030, 12, 31)), yearly, end, 2026)
    other_year = _indicators(("tröskel", None, None, 2027, "Minst tre insatser 2027"))
    assert must_have_started(_atgard(D(2030, 12, 31)), other_year, end, 2026) is None


def _total(**kw):
    base = {UPPFYLLT: 0, FOR_SENT: 0, EJ_UPPFYLLT: 0, SAKNAS: 0}
    base.update(kw)
    base["uppfyllda"] = base[UPPFYLLT] + base[FOR_SENT]
    base["bedomda"] = base["uppfyllda"] + base[EJ_UPPFYLLT] + base[SAKNAS]
    return pd.Series(base)


@pytest.mark.parametrize("kw, missed, text", [
    ({UPPFYLLT: 1, EJ_UPPFYLLT: 1}, 0, "Av 2 mål som skulle vara uppfyllda i år är 1 uppfyllt och 1 ej uppfyllt."),
    ({UPPFYLLT: 2, FOR_SENT: 1, EJ_UPPFYLLT: 3}, 1,
     "Av 6 mål som skulle vara uppfyllda i år är 3 uppfyllda (varav ett uppfyllt för sent) och 3 ej uppfyllda, varav "
     "en milstolpe som har passerat sin tidsgräns utan att nås."),
    ({UPPFYLLT: 1, SAKNAS: 1, EJ_UPPFYLLT: 1}, 0,
     "Av 3 mål som skulle vara uppfyllda i år är 1 uppfyllt, 1 ej uppfyllt och för ett saknas uppgift."),
    ({}, 0, "Inget av planens mål skulle vara uppfyllt i år."),
    ({EJ_UPPFYLLT: 2}, 2, "Av 2 mål som skulle vara uppfyllda i år är 0 uppfyllda och 2 ej uppfyllda, varav två "
                          "milstolpar som har passerat sin tidsgräns utan att nås."),
])
def test_targets_sentence_agrees_with_its_numbers(kw, missed, text):
    assert targets_sentence(_total(**kw), missed) == text


def test_reasons_a_target_is_not_judged_yet_are_counted_largest_first():
    j = pd.DataFrame({"utfall": [EJ_BEDOMT] * 4 + [UPPFYLLT],
                      "detalj": ["året är inte slut (hittills 1)", "värdena avser olika perioder",
                                 "året är inte slut (hittills 0)", "tidsgränsen 31 mars 2027 har inte kommit", UPPFYLLT]})
    assert not_judged_reasons(j) == ["två bedöms när året är slut", "ett har värden för olika perioder",
                                     "ett har inte förfallit än"]


# --- on fixture data: one change at a time -------------------------------------------------------------


def _project(tmp_path, *, status=None, values=None, drop_status=(), lardomar=None):
    """Small data (1.1, 1.2, 5.1, 6.1) with 2026 rows changed: status/values map id -> {column: value}."""
    data = small_data(tmp_path)
    folder = data / "2026"
    for name, key, changes in (("status", "atgard_id", status or {}), ("indikatorvarden", "indikator_id", values or {})):
        f = folder / f"{name}.exempeldata.csv"
        rows = [r for r in read_rows(f) if not (name == "status" and r[key] in drop_status)]
        for r in rows:
            r.update(changes.get(r[key], {}))
        write_rows(f, rows)
    if lardomar is not None:
        write_rows(folder / "lardomar.exempeldata.csv", lardomar, ["typ", "atgard_id", "text"])
    return analyse(2026, data)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return _project(tmp_path_factory.mktemp("base"))


def test_baseline_every_atgard_follows_the_plan(baseline):
    t = baseline.oversikt.table
    assert list(t.index) == ["1.1", "1.2", "5.1", "6.1"]
    assert set(t["signal"]) == {ENLIGT_PLAN}
    assert baseline.oversikt.niva == "i huvudsak enligt plan"
    assert baseline.oversikt.bedomning.startswith(
        "Genomförandet av handlingsplanen går i huvudsak enligt plan 2026: 4 av 4 åtgärder (100\u00a0%) "
        "följer planen (2025: 4 av 4, 100\u00a0%), noll med risk och noll med avvikelse.")


def test_a_threshold_not_reached_over_the_whole_year_is_a_deviation(tmp_path):
    an = _project(tmp_path, status={"5.1": {"period_till": "2026-12-31"}}, values={"5.1-1": {"varde": "0"}})
    row = an.oversikt.table.loc["5.1"]
    assert row["signal"] == AVVIKELSE
    assert row["skal"] == ["målet ”Minst en klusterträff per år” nåddes inte (0)"]


def test_a_threshold_not_reached_before_the_period_ends_waits_for_the_year_and_the_forecast(tmp_path):
    an = _project(tmp_path, values={"5.1-1": {"varde": "0"}})  # period ends 31 oktober
    assert an.oversikt.table.loc["5.1", "signal"] == ENLIGT_PLAN
    assert (an.judgements.loc["5.1-1", "utfall"], an.judgements.loc["5.1-1", "detalj"]) == (
        EJ_BEDOMT, "året är inte slut (hittills 0)")
    assert any("prognos saknas för 5.1-1" in w for w in an.warnings())  # due 31 December: the mall asks


def test_the_units_forecast_of_a_miss_turns_ej_bedomt_annu_red(tmp_path):
    """"ej bedömt ännu" never hides a forecast miss: the signal takes the worse of the two."""
    an = _project(tmp_path, values={"5.1-1": {"varde": "0", "prognos": "kommer inte att uppfyllas",
                                               "prognos_motivering": "Ingen lokal finns i år."}})
    assert an.judgements.loc["5.1-1", "utfall"] == EJ_BEDOMT
    row = an.oversikt.table.loc["5.1"]
    assert row["signal"] == AVVIKELSE
    assert row["skal"] == ["ansvarig bedömer att målet ”Minst en klusterträff per år” inte kommer att nås"]
    risk = _project(tmp_path / "risk", values={"5.1-1": {"varde": "0", "prognos": "risk att inte uppfyllas",
                                                          "prognos_motivering": "Ingen lokal bokad än."}})
    assert risk.oversikt.table.loc["5.1", "signal"] == RISK


def test_a_forecast_of_risk_needs_a_reason(tmp_path):
    from helpers.core.errors import InputError

    with pytest.raises(InputError, match="prognos_motivering.*en motivering när prognos är 'risk att inte uppfyllas'"):
        _project(tmp_path, values={"5.1-1": {"prognos": "risk att inte uppfyllas"}})


def test_genomford_with_the_years_target_not_met_is_a_deviation_and_validation_warns(tmp_path):
    """5.2: "Minst tre konkreta kommunikationsinsatser genomförda 2026" stands at 2 while the unit
    reports the åtgärd genomförd."""
    an = _project(tmp_path, status={"5.1": {"status": "genomförd"}}, values={"5.1-1": {"varde": "0"}})
    row = an.oversikt.table.loc["5.1"]
    assert row["signal"] == AVVIKELSE
    assert "rapporterad som genomförd, men målet ”Minst en klusterträff per år” är inte nått (0)" in row["skal"]
    assert any(w.startswith("åtgärd 5.1 är rapporterad som genomförd, men målet för 5.1-1") for w in an.warnings())


def test_a_measured_decline_against_ska_oka_is_at_least_risk(tmp_path):
    """4.1: "Antal anställnings- och lönestöd ska öka" – the unit writes that it "har dock minskat"."""
    data = small_data(tmp_path, ("4.1", "4.4"))
    an = analyse(2026, data)
    assert an.changes["4.4-2"].diff < 0 and an.judgements.loc["4.4-2", "mot_malet"]
    row = an.oversikt.table.loc["4.4"]
    assert row["signal"] in (RISK, AVVIKELSE)
    assert any("fel riktning" in r for r in row["skal"])


def test_not_started_after_its_planned_start_is_at_least_risk(tmp_path):
    an = _project(tmp_path, status={"1.1": {"status": "ej påbörjad"}, "5.1": {"status": "ej påbörjad"}})
    t = an.oversikt.table
    assert t.loc["1.1", "signal"] == RISK
    assert "inte påbörjad, fast planen anger att den ska vara klar 2025" in t.loc["1.1", "skal"]
    assert t.loc["5.1", "skal"][0] == "inte påbörjad, fast åtgärden är löpande verksamhet"
    assert an.judgements.loc["5.1-1", "utfall"] == "ej aktuellt"  # its indicators are not current


def test_still_pagaende_after_its_planned_completion_is_at_least_risk(tmp_path):
    """1.3 (plan: "hösten 2025") still pågående a year later is late, whatever its indicators say."""
    an = _project(tmp_path, status={"1.1": {"status": "pågående"}})  # planned klar 31 december 2025
    assert an.oversikt.table.loc["1.1", "signal"] == RISK
    assert an.oversikt.table.loc["1.1", "skal"] == [
        "inte klar, fast planen angav att den skulle vara klar 31 december 2025"]


def test_an_avslutad_atgard_is_not_current_and_not_counted(tmp_path):
    an = _project(tmp_path, status={"6.1": {"status": "avslutad"}})
    o = an.oversikt
    assert o.table.loc["6.1", "signal"] == EJ_AKTUELL
    assert (o.aktuella, o.ej_aktuella) == (3, 1)
    assert "3 av 3 åtgärder som inte är avslutade" in o.bedomning


def test_missing_status_is_a_deviation(tmp_path):
    an = _project(tmp_path, drop_status=("1.2",))
    assert an.oversikt.table.loc["1.2", "skal"] == ["status har inte rapporterats"]


def test_verdict_and_figures_follow_the_signals(tmp_path):
    an = _project(tmp_path, status={"1.1": {"status": "ej påbörjad"}, "5.1": {"status": "ej påbörjad"}},
                  drop_status=("1.2",))
    o = an.oversikt
    assert (o.enligt_plan, o.risker, o.avvikelser, o.aktuella) == (1, 2, 1, 4)
    assert o.niva == "inte enligt plan"
    assert o.bedomning.startswith("Genomförandet av handlingsplanen går inte enligt plan 2026: 1 av 4 "
                                  "åtgärder (25\u00a0%) följer planen (2025: 4 av 4, 100\u00a0%), två med risk och en med "
                                  "avvikelse. En åtgärd till enligt plan ger bedömningen delvis enligt plan.")
    fig = {k.rubrik: k for k in o.nyckeltal}
    assert fig["Åtgärder enligt plan"].varde == "1 av 4"
    assert fig["Åtgärder enligt plan"].text.startswith("25\u00a0%; 2025: 100\u00a0%")
    assert list(o.deviating.index) == ["1.2", "1.1", "5.1"]  # avvikelser first, then risks


def test_key_figures_name_nki_and_ranking_in_words_and_say_exempeldata(baseline):
    fig = {k.rubrik: k for k in baseline.oversikt.nyckeltal}
    assert fig["NKI totalt"].varde == "77"
    assert "inom felmarginalen" in fig["NKI totalt"].text and "(exempeldata)" in fig["NKI totalt"].text
    rank = fig["Svenskt Näringslivs ranking"]
    assert rank.varde == "plats 152"
    assert "ner 3 placeringar från 2025" in rank.text and "ingen säker förändring" in rank.text
    assert fig["Behov av justering"].varde == "0 åtgärder"


def test_only_what_the_board_decides_becomes_a_proposal_and_the_units_own_steps_are_listed_apart(tmp_path):
    an = _project(tmp_path, status={
        "1.1": {"behov_av_justering": "ja", "justering_typ": "ändrad tidplan",
                "justering": "Flytta tidplanen till 2027. Mer text här."},
        "1.2": {"behov_av_justering": "ja", "justering_typ": "egen åtgärd", "justering": "En kampanj i vår."},
        "5.1": {"behov_av_justering": "ja", "justering_typ": "resursbehov", "justering": "Budget för träffarna.",
                "belopp": "120000"}})
    board = [(p.atgard_id, p.typ, p.text, p.belopp) for p in an.oversikt.forslag]
    assert board == [("1.1", "ändrad tidplan", "Flytta tidplanen till 2027. Mer text här.", None),  # whole, not cut
                     ("5.1", "resursbehov", "Budget för träffarna.", 120000)]
    assert [(p.atgard_id, p.text) for p in an.oversikt.egna] == [("1.2", "En kampanj i vår.")]


def test_a_justering_whose_kind_is_not_given_goes_to_the_board_saying_so(tmp_path):
    """An older year file has no kind: the justering is never dropped, and the point says why it is there."""
    an = _project(tmp_path)
    st = an.status.copy()
    st.loc["1.1", ["behov_av_justering", "justering", "justering_typ"]] = ["ja", "Förläng till Q2.", None]
    an.__dict__["status"] = st
    (p,) = till_beslut(an)
    assert (p.atgard_id, p.typ) == ("1.1", None)
    assert "typ inte angiven i underlaget" in beslutspunkt(p)


def test_the_overview_shows_the_units_whole_summary_and_marks_a_first_sentence_taken_from_the_kommentar(tmp_path):
    summary = "Lotsen fungerar; dock är väntetiderna längre än planerat, och det följs upp under våren 2027."
    an = _project(tmp_path, status={"1.1": {"sammanfattning": summary},
                                    "1.2": {"sammanfattning": "", "kommentar": "Första meningen. Andra meningen."}})
    t = an.oversikt.table
    assert (t.loc["1.1", "sammanfattning"], t.loc["1.1", "sammanfattning_kalla"]) == (summary, "sammanfattning")
    assert (t.loc["1.2", "sammanfattning"], t.loc["1.2", "sammanfattning_kalla"]) == ("Första meningen.", "kommentar")


def test_every_number_in_the_verdict_comes_from_the_one_count_table(baseline):
    o = baseline.oversikt
    total = baseline.per_malomrade.sum()
    assert f"{o.enligt_plan} av {o.aktuella}" in o.bedomning
    assert f"Av {int(total['bedomda'])} mål" in o.bedomning or "Inget av planens mål" in o.bedomning
    assert int(baseline.per_atgard["bedomda"].sum()) == int(total["bedomda"])  # per åtgärd and per målområde agree


def test_the_verdict_names_every_avslutad_atgard_it_leaves_out_and_which_closures_are_proposed():
    table = pd.DataFrame({"signal": [EJ_AKTUELL, EJ_AKTUELL, ENLIGT_PLAN]}, index=["4.3", "5.1", "1.1"])

    def closure(aid):
        return Justering(aid, "titel", "åtgärden avslutas", "avslutas", None, "enheten")

    assert closed_sentence(table, []) == "Åtgärderna 4.3 och 5.1 räknas inte: de rapporteras som avslutade."
    assert closed_sentence(table, [closure("4.3")]) == (
        "Åtgärderna 4.3 och 5.1 räknas inte: de rapporteras som avslutade; 4.3 föreslås utgå ur planen.")
    assert closed_sentence(table.iloc[[0, 2]], [closure("4.3")]) == (
        "Åtgärd 4.3 räknas inte: den rapporteras som avslutad och föreslås utgå ur planen.")
    assert closed_sentence(table.iloc[[2]], [closure("4.3")]) == ""
