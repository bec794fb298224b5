"""Måluppfyllelse: judge each indicator against the plan's own target, and say why.

Each target kind of the plan has one rule, and every judgement carries a one-line Swedish
explanation that the book prints next to it, so a reader can check the reasoning. One label per
outcome, the same on every page and in every count (also stated for readers in *Om rapporten*):

- **uppfyllt**; **uppfyllt för sent** (a milestone reached after its deadline); **ej uppfyllt**;
  **ej bedömt ännu**, always with why (the year is not over, the deadline has not come, there is no
  comparable earlier value); **ej aktuellt** (a target for another year, a milestone reached an
  earlier year, an åtgärd that is avslutad or not started); **uppgift saknas** only when a value
  was due and is missing. Indicators without a target are *inget mål*: reported, never judged.
- tröskel ("minst två per år", or with riktning=minska a ceiling "högst 100"): reached → uppfyllt;
  not reached → ej uppfyllt once the year the target applies to is over, until then ej bedömt ännu. A target for another year, or before the
  year a recurring target starts (`galler_fran`), is ej aktuellt.
- milstolpe: done by the deadline → uppfyllt; done later → uppfyllt för sent; deadline passed at the
  end of the uppföljningsperiod without being done → ej uppfyllt; not due → ej bedömt ännu. A
  milestone counts in the first edition that reports it done (done in November after an autumn
  collection, it counts the year after); later it is ej aktuellt (*uppfyllt <år>*).
- riktning ("ska öka"): the value compared with the same period of the year before. NKI and
  ranking survey scores are samples: only a change beyond the margin of error counts; a change
  within it is ej uppfyllt (no improvement could be shown) and is never called a decline.
- annat beslut (the plan leaves the target to another process, 1.2-1: "målsättningar sätts
  årligen i kommunens mål- och budgetprocess"): judged against the value that year's decision
  sets (data/<år>/malvarden.csv, with the decision and its date); without one the value is
  reported without a judgement (ej bedömt ännu, with the reason). Never replaced by our own target.
- an åtgärd that is avslutad or ej påbörjad: its indicators are ej aktuellt (a milestone of a
  not-started åtgärd whose deadline has passed is still ej uppfyllt).

Beside the measured judgement stands the unit's own forecast (prognos) for targets not yet due;
the signal of the åtgärd (helpers.compute.oversikt) takes the worse of the two.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from helpers.compute.indicators import Change, decimals_for, period_sv
from helpers.core.fmt import SAKNAS, date_sv, number_sv, plural
from helpers.core.missing import blank
from helpers.data import config
from helpers.data.inputs import ANNAT_BESLUT, MALTYPER
from helpers.data.plan import Plan, threshold_at_most

UPPFYLLT = "uppfyllt"
FOR_SENT = "uppfyllt för sent"
EJ_UPPFYLLT = "ej uppfyllt"
EJ_BEDOMT = "ej bedömt ännu"
EJ_AKTUELLT = "ej aktuellt"
INGET_MAL = "inget mål"
UTFALL = (UPPFYLLT, FOR_SENT, EJ_UPPFYLLT, EJ_BEDOMT, SAKNAS, EJ_AKTUELLT, INGET_MAL)
# Due this year: the base of "andel uppfyllda" (a missing value that was due counts, as not shown met).
BEDOMDA = (UPPFYLLT, FOR_SENT, EJ_UPPFYLLT, SAKNAS)
UPPFYLLDA = (UPPFYLLT, FOR_SENT)
# Targets (everything but indicators without one and those not current this year).
MED_MAL = (*BEDOMDA, EJ_BEDOMT)
# Why a target left to another decision is not judged: no decided value was given.
MAL_I_ANNAT_BESLUT = "målvärde ej beslutat"

INACTIVE = ("avslutad", "ej påbörjad")


@dataclass(frozen=True)
class Judgement:
    utfall: str  # one of UTFALL
    detalj: str  # why, in a few words (for ej bedömt ännu: what it waits for)
    forklaring: str  # one Swedish sentence: why
    mot_malet: bool = False  # a measured change against the wanted direction (beyond any margin)


def _num(meta: pd.Series, value: float) -> str:
    return number_sv(value, decimals_for(meta["typ"], meta["enhet"]))


def judge(meta: pd.Series, change: Change, on: dt.date, *, report_year: int,
          milestone_done: dt.date | None = None, klimat: dict | None = None,
          atgard_status: str | None = None, reported_before: bool = False,
          beslut: pd.Series | None = None) -> Judgement:
    """Judge one indicator. `on` is the bedömningsdatum (end of the uppföljningsperiod);
    `reported_before`: an earlier year's file already reported the milestone done; `beslut`: the
    year's decided target (a malvarden.csv row) for a target the plan leaves to another decision."""
    maltyp = meta["maltyp"]
    if maltyp not in MALTYPER:
        raise ValueError(f"unknown maltyp {maltyp!r}")
    if maltyp == "milstolpe":
        return _milestone(meta, milestone_done, on, report_year, atgard_status, reported_before)
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


def _milestone(meta: pd.Series, done: dt.date | None, on: dt.date, year: int, status: str | None,
               reported_before: bool = False) -> Judgement:
    deadline = meta["deadline"]
    words = meta["deadline_text"] if not blank(meta["deadline_text"]) else f"senast {date_sv(deadline)}"
    if done is not None:
        late = (done - deadline).days
        how = "inom tidsgränsen" if late <= 0 else f"{plural(late, 'dag', 'dagar')} efter tidsgränsen"
        if reported_before:  # judged in the edition that first reported it (an autumn edition may not have)
            return Judgement(EJ_AKTUELLT, f"uppfyllt {done.year}",
                             f"Genomfördes {date_sv(done)}, {how} ({words}). Räknades i en tidigare uppföljning.")
        if late <= 0:
            return Judgement(UPPFYLLT, "i tid", f"Genomfört {date_sv(done)}, inom tidsgränsen ({words}).")
        return Judgement(FOR_SENT, f"{plural(late, 'dag', 'dagar')} för sent", f"Genomfört {date_sv(done)}, {how} ({words}).")
    if status == "avslutad":
        return Judgement(EJ_AKTUELLT, "åtgärden avslutad",
                         f"Milstolpen ({words}) genomfördes inte; åtgärden är avslutad och milstolpen följs inte upp längre.")
    if on >= deadline:
        return Judgement(EJ_UPPFYLLT, "tidsgränsen har passerat",
                         f"Tidsgränsen ({words}) har passerat utan att milstolpen har genomförts.")
    return Judgement(EJ_BEDOMT, f"tidsgränsen {date_sv(deadline)} har inte kommit",
                     f"Inte genomförd ännu, men tidsgränsen ({words}) hade inte passerat {date_sv(on)}.")


def _threshold(meta: pd.Series, change: Change, year: int, on: dt.date) -> Judgement:
    target = float(meta["malvarde"])
    at_most = threshold_at_most(meta)
    goal = f"{'högst' if at_most else 'minst'} {_num(meta, target)}"
    applies = None if blank(meta["malar"]) else int(meta["malar"])
    if applies is not None and applies != year:
        when = "gäller" if applies > year else "gällde"
        return Judgement(EJ_AKTUELLT, f"målet gäller {applies}", f"Målet ({goal}) {when} år {applies}.")
    start = meta.get("galler_fran")
    if applies is None and not blank(start) and year < int(start):
        return Judgement(EJ_AKTUELLT, f"målet gäller från {int(start)}", f"Målet ({goal} per år) gäller från {int(start)}.")
    if math.isnan(change.varde):
        return Judgement(SAKNAS, SAKNAS, f"Uppgift saknas för {year}; målet är {goal}.")
    value = _num(meta, change.varde)
    end = change.period[1] if change.period is not None else on
    target_year = applies or year
    year_over = end >= dt.date(target_year, 12, 31)
    if not at_most:
        # A floor: a count that has reached it stays there; one that has not may still get there.
        if change.varde >= target:
            return Judgement(UPPFYLLT, UPPFYLLT, f"{value} – målet är {goal}.")
        if not year_over:
            return _not_yet(value, f"Hittills {value} av {goal}.", end, target_year)
        return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT, f"{value} – målet är {goal}.")
    # A ceiling, the mirror image: a count over it stays over; one under it may still pass it.
    if change.varde > target and (year_over or meta["typ"] == "antal"):
        return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT, f"{value} – målet är {goal}.")
    if not year_over:
        return _not_yet(value, f"Hittills {value}; målet är {goal}.", end, target_year)
    return Judgement(UPPFYLLT, UPPFYLLT, f"{value} – målet är {goal}.")


def _not_yet(value: str, so_far: str, end: dt.date, target_year: int) -> Judgement:
    return Judgement(EJ_BEDOMT, f"året är inte slut (hittills {value})",
                     f"{so_far} Uppföljningsperioden slutar {date_sv(end)}, men målet gäller "
                     f"hela {target_year}; det bedöms när hela året har redovisats.")


def _missing(change: Change, want: str) -> Judgement | None:
    if math.isnan(change.varde):
        year = f" för {change.ar}" if change.ar else ""
        return Judgement(SAKNAS, SAKNAS, f"Uppgift saknas{year}, så förändringen kan inte bedömas (målet: ska {want}).")
    if math.isnan(change.varde_fore):
        year = f" för {change.ar_fore}" if change.ar_fore else ""
        return Judgement(EJ_BEDOMT, "inget tidigare värde att jämföra med",
                         f"Det finns inget jämförbart värde{year}, så förändringen kan inte bedömas än (målet: ska {want}).")
    if not change.jamforbar:
        return Judgement(EJ_BEDOMT, "värdena avser olika perioder", f"{change.ej_jamforbar_text} Målet: ska {want}.")
    return None


def _compared(change: Change) -> str:
    """'jämfört med januari–oktober 2025': what the value was compared with."""
    if change.period_fore is not None:
        return f"jämfört med {period_sv(change.period_fore)}"
    return f"jämfört med {change.ar_fore}"


def _direction(meta: pd.Series, change: Change, note: str = "") -> Judgement:
    want = meta["riktning"]
    stop = _missing(change, want)
    if stop is not None:
        return stop
    diff = change.diff
    if diff == 0:
        return Judgement(EJ_UPPFYLLT, "oförändrat",
                         f"Oförändrat ({_num(meta, change.varde)}) {_compared(change)}; målet är att värdet ska {want}.{note}")
    moved = "ökade" if diff > 0 else "minskade"
    good = (diff > 0) == (want == "öka")
    text = (f"Värdet {moved} med {_num(meta, abs(diff))} {_compared(change)}; "
            f"målet är att det ska {want}.{note}")
    return Judgement(UPPFYLLT if good else EJ_UPPFYLLT, moved, text, mot_malet=not good)


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
            return Judgement(EJ_UPPFYLLT, "inom felmarginalen",
                             f"Resultatet är i stort sett oförändrat {span}; ingen förbättring kan visas.")
        moved = "ökade" if change.diff > 0 else "minskade"
        return Judgement(EJ_UPPFYLLT, "inom felmarginalen",
                         f"Resultatet {moved} {span}, men skillnaden ligger inom felmarginalen och kan bero på "
                         "slumpen; ingen säkerställd förändring, varken förbättring eller försämring.")
    better = verdict == "signifikant förbättring"
    moved = "ökade" if change.diff > 0 else "minskade"
    good = better == (meta["riktning"] == "öka")
    what = "förbättring" if better else "försämring"
    return Judgement(UPPFYLLT if good else EJ_UPPFYLLT, f"säkerställd {what}",
                     f"Resultatet {moved} {span}, mer än felmarginalen: en säkerställd {what}.", mot_malet=not good)


def _ranking(meta: pd.Series, change: Change) -> Judgement:
    """Ranking survey scores carry sampling noise too: a change under the margin is not called one."""
    stop = _missing(change, meta["riktning"])
    if stop is not None:
        return stop
    margin = config.active().ranking_felmarginal  # by the kommun's size class (helpers.data.fakta)
    if abs(change.diff) < margin - 1e-9:
        moved = "är oförändrat" if change.diff == 0 else ("steg" if change.diff > 0 else "sjönk")
        amount = "" if change.diff == 0 else f" med {_num(meta, abs(change.diff))}"
        return Judgement(EJ_UPPFYLLT, "inom felmarginalen",
                         f"Betyget {moved}{amount} till {_num(meta, change.varde)} {_compared(change)}. "
                         f"Skillnaden är mindre än enkätens felmarginal (±{number_sv(margin, 1)}), så "
                         "ingen förbättring kan visas; den räknas inte heller som en försämring.")
    return _direction(meta, change)


def milestone_done(values: pd.DataFrame, iid: str, year: int) -> dt.date | None:
    """Earliest reported completion date up to `year`: a milestone stays done once it is done."""
    own = values[(values["indikator_id"] == iid) & (values["ar"] <= year)]
    dates = [d for d in own["uppnatt_datum"] if not blank(d)]
    return min(dates) if dates else None


def due_date(meta: pd.Series, year: int) -> dt.date | None:
    """When a target falls due: a milestone at its deadline, a threshold at the end of the year it
    applies to, a direction target at the end of each year; None without a target, and for a target
    set in another decision (the plan gives it no date of its own)."""
    kind = meta["maltyp"]
    if kind == "milstolpe":
        return meta["deadline"]
    if kind == "tröskel":
        return dt.date(int(meta["malar"]) if not blank(meta["malar"]) else year, 12, 31)
    if kind == "riktning":
        return dt.date(year, 12, 31)
    return None


JUDGEMENT_COLUMNS = ["indikator_id", "atgard_id", "malomrade_id", "utfall", "detalj", "forklaring", "uppnatt_datum",
                     "mot_malet", "forfaller", "prognos", "prognos_motivering"]


def judge_all(plan: Plan, changes: dict[str, Change], values: pd.DataFrame, year: int,
              period_end: dict[str, dt.date], klimat_cmp: dict[str, dict] | None = None,
              statuses: dict[str, str] | None = None, forecasts: pd.DataFrame | None = None,
              decided: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator: ids, målområde, utfall, detalj, forklaring, (milestones) uppnatt_datum,
    whether the measured change goes against the target, when the target falls due, and the unit's
    forecast (prognos) with its motivation as given in the year's file. `decided`: the year's
    malvarden (targets set in another decision)."""
    rows = []
    for iid, change in changes.items():
        meta = plan.indikatorer.loc[iid]
        aid = meta["atgard_id"]
        on = period_end.get(aid) if not blank(aid) else None
        on = on or dt.date(year, 12, 31)
        cmp = (klimat_cmp or {}).get(meta["serie"]) if not blank(meta["serie"]) else None
        done = milestone_done(values, iid, year) if meta["maltyp"] == "milstolpe" else None
        reported = milestone_done(values, iid, year - 1) is not None if done is not None else False
        status = (statuses or {}).get(aid) if not blank(aid) else None
        beslut = decided.loc[iid] if decided is not None and iid in decided.index else None
        j = judge(meta, change, on, report_year=year, milestone_done=done, klimat=cmp, atgard_status=status,
                  reported_before=reported, beslut=beslut)
        own = forecasts.loc[iid] if forecasts is not None and iid in forecasts.index else None
        prognos = own.get("prognos") if own is not None else None
        rows.append({"indikator_id": iid, "atgard_id": aid, "malomrade_id": int(meta["malomrade_id"]),
                     "utfall": j.utfall, "detalj": j.detalj, "forklaring": j.forklaring, "uppnatt_datum": done,
                     "mot_malet": j.mot_malet, "forfaller": due_date(meta, year),
                     "prognos": None if blank(prognos) else prognos,
                     "prognos_motivering": None if own is None or blank(own.get("prognos_motivering"))
                     else own.get("prognos_motivering")})
    return pd.DataFrame(rows, columns=JUDGEMENT_COLUMNS).set_index("indikator_id", drop=False)


def summarise(judgements: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per outcome and the share of the targets due that were met: the one count table.

    `bedomda` are the targets due this year (uppfyllt, uppfyllt för sent, ej uppfyllt, uppgift
    saknas); `uppfyllda` are those met, late ones included (and said); `med_mal` adds the targets
    not yet due (ej bedömt ännu). Indicators without a target and those not current this year are
    counted but never in the share.
    """
    counts = (judgements.groupby(by)["utfall"].value_counts().unstack(fill_value=0)
              .reindex(columns=list(UTFALL), fill_value=0))
    counts["bedomda"] = counts[list(BEDOMDA)].sum(axis=1)
    counts["uppfyllda"] = counts[list(UPPFYLLDA)].sum(axis=1)
    counts["med_mal"] = counts[list(MED_MAL)].sum(axis=1)
    counts["totalt"] = counts[list(UTFALL)].sum(axis=1)
    counts["andel_uppfyllt"] = (counts["uppfyllda"] / counts["bedomda"] * 100).where(counts["bedomda"] > 0)
    return counts


def judge_decided(meta: pd.Series, change: Change, beslut: pd.Series | None, year: int) -> Judgement:
    """A target the plan leaves to another decision (mål och budget): judged against the value that
    decision sets, never against one the report makes up; without a decision, not judged."""
    if beslut is None:
        return Judgement(EJ_BEDOMT, MAL_I_ANNAT_BESLUT,
                         f"Enligt handlingsplanen sätts målet i kommunens mål- och budgetprocess. Inget beslutat målvärde "
                         f"för {year} har lämnats i årets underlag, så värdet redovisas utan bedömning.")
    want = "högst" if meta["riktning"] == "minska" else "minst"
    goal = (f"{want} {_num(meta, float(beslut['malvarde']))} enligt {beslut['beslut']} "
            f"(beslutat {date_sv(beslut['beslutsdatum'])})")
    if math.isnan(change.varde):
        return Judgement(SAKNAS, SAKNAS, f"Uppgift saknas för {year}; målet är {goal}.")
    when = f" ({change.ar})" if change.ar not in (None, year) else ""
    met = change.varde <= beslut["malvarde"] if want == "högst" else change.varde >= beslut["malvarde"]
    return Judgement(UPPFYLLT if met else EJ_UPPFYLLT, UPPFYLLT if met else EJ_UPPFYLLT,
                     f"{_num(meta, change.varde)}{when} – målet är {goal}.")
