"""Måluppfyllelse: judge each indicator against the plan's own target, and say why.

Each target kind of the plan has one rule, and every judgement carries a one-line Swedish
explanation that the book prints next to it, so a reader can check the reasoning. The rules
(also stated for readers in *Om rapporten*):

- tröskel ("minst två per år"): reached → uppfyllt; not reached → ej uppfyllt, or *ej bedömt
  ännu* when the value's period ends before the year the target applies to is over (the rest
  of the year may still bring it there). A target for another year is *ej aktuellt* this year.
- milstolpe: done by the deadline → uppfyllt i tid; done later → uppfyllt försenat (delvis);
  deadline reached at the end of the uppföljningsperiod without being done → ej uppfyllt; not
  due yet → ej bedömt (ej förfallet). A milestone counts in the måluppfyllelse of the year it
  was done; in later years it is shown as *uppfyllt <år>* and is *ej aktuellt* in the counts.
- riktning ("ska öka"): compared with the previous value covering the same part of the year;
  different periods → ej bedömt. NKI changes count only outside the margin of error; ranking
  survey scores only when they moved at least the estimated margin (±0,2).
- annat beslut (the plan leaves the target to another process, 1.2-1: "målsättningar sätts
  årligen i kommunens mål- och budgetprocess"): judged against the value that year's decision
  sets (data/<år>/malvarden.csv, with the decision and its date); without one the value is
  reported without a judgement and the reason is said. Never replaced by a target of our own.
- inget mål: the value is reported, not judged.
- an åtgärd that is avslutad or ej påbörjad: its indicators are *ej aktuellt* (a milestone of a
  not-started åtgärd whose deadline has passed is still ej uppfyllt).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from helpers.compute.indicators import Change, decimals_for
from helpers.core.fmt import date_sv, number_sv, plural
from helpers.core.missing import blank
from helpers.data.fakta import RANKING_FELMARGINAL
from helpers.data.inputs import ANNAT_BESLUT, MALTYPER
from helpers.data.plan import Plan

UPPFYLLT = "uppfyllt"
DELVIS = "delvis uppfyllt"
EJ_UPPFYLLT = "ej uppfyllt"
EJ_BEDOMT = "ej bedömt"
INGET_MAL = "inget mål"
EJ_AKTUELLT = "ej aktuellt"
UTFALL = (UPPFYLLT, DELVIS, EJ_UPPFYLLT, EJ_BEDOMT, INGET_MAL, EJ_AKTUELLT)
# Judged against a target this year: the base of "andel uppfyllda".
BEDOMDA = (UPPFYLLT, DELVIS, EJ_UPPFYLLT)

# Finer labels (detalj), shown in the book instead of the outcome where they say more.
I_TID = "uppfyllt i tid"
FORSENAT = "uppfyllt försenat"
EJ_FORFALLET = "ej förfallet"
EJ_BEDOMT_ANNU = "ej bedömt ännu"
SAKNAS = "uppgift saknas"
INOM_FELMARGINALEN = "inom felmarginalen"
OLIKA_PERIODER = "olika perioder"
MAL_I_ANNAT_BESLUT = "målvärde ej beslutat"

INACTIVE = ("avslutad", "ej påbörjad")


@dataclass(frozen=True)
class Judgement:
    utfall: str  # one of UTFALL
    detalj: str  # finer label shown in the book (e.g. 'uppfyllt försenat')
    forklaring: str  # one Swedish sentence: why


def _num(meta: pd.Series, value: float) -> str:
    return number_sv(value, decimals_for(meta["typ"], meta["enhet"]))


def judge(meta: pd.Series, change: Change, on: dt.date, *, report_year: int,
          milestone_done: dt.date | None = None, klimat: dict | None = None,
          atgard_status: str | None = None, beslut: pd.Series | None = None) -> Judgement:
    """Judge one indicator. `on` is the bedömningsdatum (end of the uppföljningsperiod); `beslut` is
    the year's decided target (a malvarden.csv row) for a target the plan leaves to another decision."""
    maltyp = meta["maltyp"]
    if maltyp not in MALTYPER:
        raise ValueError(f"unknown maltyp {maltyp!r}")
    if maltyp == "milstolpe":
        return _milestone(meta, milestone_done, on, report_year, atgard_status)
    if atgard_status in INACTIVE:
        return _inactive(atgard_status)
    if maltyp == "ingen":
        return Judgement(INGET_MAL, INGET_MAL, "Handlingsplanen anger inget mål för indikatorn; värdet redovisas utan bedömning.")
    if maltyp == ANNAT_BESLUT:
        return judge_decided(meta, change, beslut, report_year)
    if maltyp == "tröskel":
        return _threshold(meta, change, report_year, on)
    serie = "" if blank(meta["serie"]) else str(meta["serie"])
    if serie.startswith("insikt:") and klimat is not None:
        return _climate(meta, change, klimat)
    if serie.startswith("ranking:"):
        return _ranking(meta, change)
    return _direction(meta, change)


def _inactive(status: str) -> Judgement:
    if status == "avslutad":
        return Judgement(EJ_AKTUELLT, "åtgärden avslutad",
                         "Åtgärden är avslutad, så indikatorn följs inte upp längre.")
    return Judgement(EJ_AKTUELLT, "åtgärden ej påbörjad",
                     "Åtgärden har inte påbörjats, så indikatorn följs upp först när arbetet har startat.")


def _milestone(meta: pd.Series, done: dt.date | None, on: dt.date, year: int, status: str | None) -> Judgement:
    deadline = meta["deadline"]
    words = meta["deadline_text"] if not blank(meta["deadline_text"]) else f"senast {date_sv(deadline)}"
    if done is not None:
        late = (done - deadline).days
        how = "inom tidsgränsen" if late <= 0 else f"{plural(late, 'dag', 'dagar')} efter tidsgränsen"
        if done.year < year:
            return Judgement(EJ_AKTUELLT, f"uppfyllt {done.year}",
                             f"Genomfördes {date_sv(done)}, {how} ({words}). Räknas i måluppfyllelsen för {done.year}.")
        if late <= 0:
            return Judgement(UPPFYLLT, I_TID, f"Genomfört {date_sv(done)}, inom tidsgränsen ({words}).")
        return Judgement(DELVIS, FORSENAT, f"Genomfört {date_sv(done)}, {how} ({words}).")
    if status == "avslutad":
        return Judgement(EJ_AKTUELLT, "åtgärden avslutad",
                         f"Milstolpen ({words}) genomfördes inte; åtgärden är avslutad och milstolpen följs inte upp längre.")
    if on >= deadline:
        return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT,
                         f"Tidsgränsen ({words}) har passerat utan att milstolpen har genomförts.")
    if status == "ej påbörjad":
        return Judgement(EJ_AKTUELLT, "åtgärden ej påbörjad",
                         f"Åtgärden har inte påbörjats; milstolpens tidsgräns ({words}) har inte passerat.")
    return Judgement(EJ_BEDOMT, EJ_FORFALLET,
                     f"Inte genomförd ännu, men tidsgränsen ({words}) hade inte passerat {date_sv(on)}.")


def _threshold(meta: pd.Series, change: Change, year: int, on: dt.date) -> Judgement:
    target = float(meta["malvarde"])
    goal = f"minst {_num(meta, target)}"
    applies = None if blank(meta["malar"]) else int(meta["malar"])
    if applies is not None and applies != year:
        when = "gäller" if applies > year else "gällde"
        return Judgement(EJ_AKTUELLT, f"målet gäller {applies}", f"Målet ({goal}) {when} år {applies}.")
    if math.isnan(change.varde):
        return Judgement(EJ_BEDOMT, SAKNAS, f"Uppgift saknas för {year}; målet är {goal}.")
    value = _num(meta, change.varde)
    if change.varde >= target:
        return Judgement(UPPFYLLT, UPPFYLLT, f"{value} – målet är {goal}.")
    end = change.period[1] if change.period is not None else on
    target_year = applies or year
    if end < dt.date(target_year, 12, 31):
        return Judgement(EJ_BEDOMT, EJ_BEDOMT_ANNU,
                         f"Hittills {value} av {goal}. Uppföljningsperioden slutar {date_sv(end)}, men målet gäller "
                         f"hela {target_year}; det bedöms när hela året har redovisats.")
    return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT, f"{value} – målet är {goal}.")


def _missing(change: Change, want: str) -> Judgement | None:
    if math.isnan(change.varde) or math.isnan(change.varde_fore):
        missing = change.ar if math.isnan(change.varde) else change.ar_fore
        year = f" för {missing}" if missing else ""
        return Judgement(EJ_BEDOMT, SAKNAS, f"Uppgift saknas{year}, så förändringen kan inte bedömas (målet: ska {want}).")
    if not change.jamforbar:
        return Judgement(EJ_BEDOMT, OLIKA_PERIODER, f"{change.ej_jamforbar_text} Målet: ska {want}.")
    return None


def _direction(meta: pd.Series, change: Change, note: str = "") -> Judgement:
    want = meta["riktning"]
    stop = _missing(change, want)
    if stop is not None:
        return stop
    diff = change.diff
    if diff == 0:
        return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT,
                         f"Oförändrat ({_num(meta, change.varde)}) jämfört med {change.ar_fore}; målet är att värdet ska {want}.{note}")
    moved = "ökade" if diff > 0 else "minskade"
    good = (diff > 0) == (want == "öka")
    text = (f"Värdet {moved} med {_num(meta, abs(diff))} jämfört med {change.ar_fore}; "
            f"målet är att det ska {want}.{note}")
    return Judgement(UPPFYLLT if good else EJ_UPPFYLLT, UPPFYLLT if good else EJ_UPPFYLLT, text)


def _shown_change(meta: pd.Series, change: Change) -> tuple[str, str, str]:
    """(from, to, how much) as the reader sees the values: the change between the rounded values."""
    d = decimals_for(meta["typ"], meta["enhet"]) or 0
    before, now = round(change.varde_fore, d), round(change.varde, d)
    return _num(meta, before), _num(meta, now), _num(meta, abs(now - before))


def _climate(meta: pd.Series, change: Change, cmp: dict) -> Judgement:
    """NKI results are samples: only a change outside the margin of error counts as one."""
    verdict = cmp.get("bedomning")
    if verdict == "kan inte bedömas":
        return _direction(meta, change, note=" Felmarginalen är okänd, så bedömningen bygger bara på värdena.")
    if verdict not in ("signifikant förbättring", "signifikant försämring", "inom felmarginalen"):
        return Judgement(EJ_BEDOMT, str(verdict), str(cmp.get("forklaring", "")))
    stop = _missing(change, meta["riktning"])
    if stop is not None:
        return stop
    y0, y1 = cmp.get("ar_fran", change.ar_fore), cmp.get("ar", change.ar)
    before, now, step = _shown_change(meta, change)
    span = f"från {before} ({y0}) till {now} ({y1})"
    if verdict == "inom felmarginalen":
        if change.diff == 0 or before == now:
            return Judgement(EJ_BEDOMT, INOM_FELMARGINALEN,
                             f"Resultatet är i stort sett oförändrat {span}; det räknas inte som en förbättring.")
        moved = "ökade" if change.diff > 0 else "minskade"
        return Judgement(EJ_BEDOMT, INOM_FELMARGINALEN,
                         f"Resultatet {moved} {span}, men skillnaden ligger inom felmarginalen och kan bero på "
                         "slumpen; den räknas varken som förbättring eller försämring.")
    better = verdict == "signifikant förbättring"
    moved = "ökade" if change.diff > 0 else "minskade"
    good = better == (meta["riktning"] == "öka")
    what = "förbättring" if better else "försämring"
    return Judgement(UPPFYLLT if good else EJ_UPPFYLLT, UPPFYLLT if good else EJ_UPPFYLLT,
                     f"Resultatet {moved} {span}, mer än felmarginalen: en säkerställd {what}.")


def _ranking(meta: pd.Series, change: Change) -> Judgement:
    """Ranking survey scores carry sampling noise too: a change under ±0,2 is not called one."""
    stop = _missing(change, meta["riktning"])
    if stop is not None:
        return stop
    if abs(change.diff) < RANKING_FELMARGINAL - 1e-9:
        moved = "är oförändrat" if change.diff == 0 else ("steg" if change.diff > 0 else "sjönk")
        amount = "" if change.diff == 0 else f" med {_num(meta, abs(change.diff))}"
        return Judgement(EJ_BEDOMT, INOM_FELMARGINALEN,
                         f"Betyget {moved}{amount} till {_num(meta, change.varde)} jämfört med {change.ar_fore}. "
                         f"Skillnaden är mindre än enkätens felmarginal (±{number_sv(RANKING_FELMARGINAL, 1)}), så den "
                         "räknas varken som förbättring eller försämring.")
    return _direction(meta, change)


def milestone_done(values: pd.DataFrame, iid: str, year: int) -> dt.date | None:
    """Earliest reported completion date up to `year`: a milestone stays done once it is done."""
    own = values[(values["indikator_id"] == iid) & (values["ar"] <= year)]
    dates = [d for d in own["uppnatt_datum"] if not blank(d)]
    return min(dates) if dates else None


def judge_all(plan: Plan, changes: dict[str, Change], values: pd.DataFrame, year: int,
              period_end: dict[str, dt.date], klimat_cmp: dict[str, dict] | None = None,
              statuses: dict[str, str] | None = None, decided: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator: ids, målområde, utfall, detalj, forklaring and (milestones) uppnatt_datum."""
    rows = []
    for iid, change in changes.items():
        meta = plan.indikatorer.loc[iid]
        aid = meta["atgard_id"]
        on = period_end.get(aid) if not blank(aid) else None
        on = on or dt.date(year, 12, 31)
        cmp = (klimat_cmp or {}).get(meta["serie"]) if not blank(meta["serie"]) else None
        done = milestone_done(values, iid, year) if meta["maltyp"] == "milstolpe" else None
        status = (statuses or {}).get(aid) if not blank(aid) else None
        beslut = decided.loc[iid] if decided is not None and iid in decided.index else None
        j = judge(meta, change, on, report_year=year, milestone_done=done, klimat=cmp, atgard_status=status,
                  beslut=beslut)
        rows.append({"indikator_id": iid, "atgard_id": aid, "malomrade_id": int(meta["malomrade_id"]),
                     "utfall": j.utfall, "detalj": j.detalj, "forklaring": j.forklaring, "uppnatt_datum": done})
    return pd.DataFrame(rows, columns=["indikator_id", "atgard_id", "malomrade_id", "utfall", "detalj", "forklaring",
                                       "uppnatt_datum"]).set_index("indikator_id", drop=False)


def summarise(judgements: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per outcome and the share fulfilled of the judged indicators.

    `bedomda` are the indicators judged against a target this year (uppfyllt, delvis, ej uppfyllt);
    `med_mal` adds those with a target that could not be judged yet (ej bedömt). Indicators
    without a target and those not current this year are counted but never in the share.
    `delvis uppfyllt` is counted on its own, never rounded up into uppfyllt.
    """
    counts = (judgements.groupby(by)["utfall"].value_counts().unstack(fill_value=0)
              .reindex(columns=list(UTFALL), fill_value=0))
    counts["bedomda"] = counts[list(BEDOMDA)].sum(axis=1)
    counts["med_mal"] = counts["bedomda"] + counts[EJ_BEDOMT]
    counts["totalt"] = counts[list(UTFALL)].sum(axis=1)
    counts["andel_uppfyllt"] = (counts[UPPFYLLT] / counts["bedomda"] * 100).where(counts["bedomda"] > 0)
    return counts


def judge_decided(meta: pd.Series, change: Change, beslut: pd.Series | None, year: int) -> Judgement:
    """A target the plan leaves to another decision (mål och budget): judged against the value that
    decision sets, never against one the report makes up; without a decision, not judged."""
    if beslut is None:
        return Judgement(EJ_BEDOMT, MAL_I_ANNAT_BESLUT,
                         f"Enligt handlingsplanen sätts målet i kommunens mål- och budgetprocess. Inget beslutat målvärde "
                         f"för {year} har lämnats (malvarden.csv), så värdet redovisas utan bedömning.")
    want = "högst" if meta["riktning"] == "minska" else "minst"
    goal = (f"{want} {_num(meta, float(beslut['malvarde']))} enligt {beslut['beslut']} "
            f"(beslutat {date_sv(beslut['beslutsdatum'])})")
    if math.isnan(change.varde):
        return Judgement(EJ_BEDOMT, SAKNAS, f"Uppgift saknas för {year}; målet är {goal}.")
    when = f" ({change.ar})" if change.ar not in (None, year) else ""
    met = change.varde <= beslut["malvarde"] if want == "högst" else change.varde >= beslut["malvarde"]
    return Judgement(UPPFYLLT if met else EJ_UPPFYLLT, UPPFYLLT if met else EJ_UPPFYLLT,
                     f"{_num(meta, change.varde)}{when} – målet är {goal}.")
