"""Måluppfyllelse: judge each indicator against the plan's own target, and say why.

Each target kind of the plan has one rule. Every judgement carries a one-line Swedish
explanation that the book prints next to it, so a reader can check the reasoning.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from helpers.compute.indicators import Change
from helpers.core.fmt import date_sv, number_sv
from helpers.core.missing import blank
from helpers.data.plan import Plan

UPPFYLLT = "uppfyllt"
DELVIS = "delvis uppfyllt"
EJ_UPPFYLLT = "ej uppfyllt"
EJ_BEDOMT = "ej bedömt"
UTFALL = (UPPFYLLT, DELVIS, EJ_UPPFYLLT, EJ_BEDOMT)

# Milestone details, mapped onto the four outcomes above for counting.
I_TID = "uppfyllt i tid"
FORSENAT = "uppfyllt försenat"
EJ_FORFALLET = "ej förfallet"


@dataclass(frozen=True)
class Judgement:
    utfall: str  # one of UTFALL
    detalj: str  # finer label shown in the book (e.g. 'uppfyllt försenat')
    forklaring: str  # one Swedish sentence: why


def judge(meta: pd.Series, change: Change, on: dt.date, *, report_year: int,
          milestone_done: dt.date | None = None, klimat: dict | None = None) -> Judgement:
    """Judge one indicator. `on` is the bedömningsdatum (end of the uppföljningsperiod)."""
    maltyp = meta["maltyp"]
    if maltyp == "ingen":
        return Judgement(EJ_BEDOMT, "inget mål", "Handlingsplanen anger inget mål för indikatorn; värdet redovisas utan bedömning.")
    if maltyp == "milstolpe":
        return _milestone(meta, milestone_done, on)
    if maltyp == "tröskel":
        return _threshold(meta, change, report_year)
    if maltyp == "riktning":
        if not blank(meta["serie"]) and klimat is not None:
            return _climate(meta, change, klimat)
        return _direction(meta, change)
    raise ValueError(f"unknown maltyp {maltyp!r}")


def _milestone(meta: pd.Series, done: dt.date | None, on: dt.date) -> Judgement:
    deadline = meta["deadline"]
    words = meta["deadline_text"] if not blank(meta["deadline_text"]) else f"senast {date_sv(deadline)}"
    if done is not None:
        if done <= deadline:
            return Judgement(UPPFYLLT, I_TID, f"Genomfört {date_sv(done)}, inom tidsgränsen ({words}).")
        late = (done - deadline).days
        days = "dag" if late == 1 else "dagar"
        return Judgement(DELVIS, FORSENAT, f"Genomfört {date_sv(done)}, {late} {days} efter tidsgränsen ({words}).")
    if on > deadline:
        return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT, f"Tidsgränsen ({words}) har passerat utan att milstolpen rapporterats som genomförd.")
    return Judgement(EJ_BEDOMT, EJ_FORFALLET, f"Ej genomfört ännu, men tidsgränsen ({words}) har inte passerat per {date_sv(on)}.")


def _threshold(meta: pd.Series, change: Change, year: int) -> Judgement:
    target = float(meta["malvarde"])
    applies = meta["malar"]
    if not blank(applies) and int(applies) != year:
        return Judgement(EJ_BEDOMT, "målet gäller annat år", f"Målet (minst {number_sv(target)}) gäller år {int(applies)}.")
    if math.isnan(change.varde):
        return Judgement(EJ_BEDOMT, "uppgift saknas", f"Uppgift saknas för {year}; målet är minst {number_sv(target)}.")
    value = change.varde
    if value >= target:
        return Judgement(UPPFYLLT, UPPFYLLT, f"{number_sv(value)} uppfyller målet minst {number_sv(target)}.")
    if value > 0:
        return Judgement(DELVIS, DELVIS, f"{number_sv(value)} av målet minst {number_sv(target)}.")
    return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT, f"{number_sv(value)} – målet är minst {number_sv(target)}.")


def _direction(meta: pd.Series, change: Change, note: str = "") -> Judgement:
    want = meta["riktning"]
    if math.isnan(change.varde) or math.isnan(change.varde_fore):
        missing = change.ar if math.isnan(change.varde) else change.ar_fore
        year = f" för {missing}" if missing else ""
        return Judgement(EJ_BEDOMT, "uppgift saknas",
                         f"Uppgift saknas{year}, så förändringen kan inte bedömas (målet: ska {want}).")
    diff = change.diff
    moved = "ökade" if diff > 0 else "minskade"
    if diff == 0:
        return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT,
                         f"Oförändrat ({number_sv(change.varde)}) jämfört med {change.ar_fore}; målet är att värdet ska {want}.{note}")
    good = (diff > 0) == (want == "öka")
    text = f"Värdet {moved} med {number_sv(abs(diff))} jämfört med {change.ar_fore}; målet är att det ska {want}.{note}"
    return Judgement(UPPFYLLT if good else EJ_UPPFYLLT, UPPFYLLT if good else EJ_UPPFYLLT, text)


def _climate(meta: pd.Series, change: Change, cmp: dict) -> Judgement:
    """NKI results are samples: only a change outside the margin of error counts as one."""
    verdict = cmp.get("bedomning")
    why = cmp.get("forklaring", "")
    if verdict == "signifikant förbättring":
        return Judgement(UPPFYLLT, UPPFYLLT, why)
    if verdict == "signifikant försämring":
        return Judgement(EJ_UPPFYLLT, EJ_UPPFYLLT, why)
    if verdict == "inom felmarginalen":
        return Judgement(EJ_BEDOMT, "inom felmarginalen", f"{why} Det går inte att säga att resultatet förbättrats.")
    if verdict == "kan inte bedömas":
        return _direction(meta, change, note=" Felmarginalen är okänd, så bedömningen bygger bara på punktvärdena.")
    return Judgement(EJ_BEDOMT, str(verdict), why)


def milestone_done(values: pd.DataFrame, iid: str, year: int) -> dt.date | None:
    """Earliest reported completion date up to `year`: a milestone stays done once it is done."""
    own = values[(values["indikator_id"] == iid) & (values["ar"] <= year)]
    dates = [d for d in own["uppnatt_datum"] if not blank(d)]
    return min(dates) if dates else None


def judge_all(plan: Plan, changes: dict[str, Change], values: pd.DataFrame, year: int,
              period_end: dict[str, dt.date], klimat_cmp: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per indicator: ids, målområde, utfall, detalj, forklaring."""
    rows = []
    for iid, change in changes.items():
        meta = plan.indikatorer.loc[iid]
        aid = meta["atgard_id"]
        on = period_end.get(aid) if not blank(aid) else None
        on = on or dt.date(year, 12, 31)
        cmp = (klimat_cmp or {}).get(meta["serie"]) if not blank(meta["serie"]) else None
        j = judge(meta, change, on, report_year=year, milestone_done=milestone_done(values, iid, year), klimat=cmp)
        rows.append({"indikator_id": iid, "atgard_id": aid, "malomrade_id": int(meta["malomrade_id"]),
                     "utfall": j.utfall, "detalj": j.detalj, "forklaring": j.forklaring})
    return pd.DataFrame(rows).set_index("indikator_id", drop=False)


def summarise(judgements: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per outcome and the share fulfilled of the judged indicators (ej bedömt excluded).

    `delvis uppfyllt` is counted on its own, never rounded up into uppfyllt.
    """
    counts = (judgements.groupby(by)["utfall"].value_counts().unstack(fill_value=0)
              .reindex(columns=list(UTFALL), fill_value=0))
    counts["bedomda"] = counts[UPPFYLLT] + counts[DELVIS] + counts[EJ_UPPFYLLT]
    counts["totalt"] = counts["bedomda"] + counts[EJ_BEDOMT]
    counts["andel_uppfyllt"] = (counts[UPPFYLLT] / counts["bedomda"] * 100).where(counts["bedomda"] > 0)
    return counts
