"""What the board must see beside the verdict: the dates of the coming twelve months, and the
figures the plan itself says are reported to kommunstyrelsen.

*Det här händer närmast* lists, from the report date (the end of the year's follow-up period),
every date in the next twelve months that the plan sets and that is still open: an åtgärd's
planned completion while it is not genomförd or avslutad, and a milestone or a yearly threshold
target that falls due and has not been judged yet. Each row carries the åtgärd's status and the
unit's forecast (the åtgärd's own, or the target's), so a date that is about to be missed shows
before it is.

*Till kommunstyrelsen* are the indicators the register marks `till_kommunstyrelsen = ja`
(data/plan/indikatorer.csv): what the plan says must reach the board, shown with the value of the
year and the one before.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from helpers.compute.targets import EJ_BEDOMT
from helpers.core.missing import blank

HORISONT_MANADER = 12
KLARA = ("genomförd", "avslutad")
NARMAST_COLUMNS = ["datum", "atgard_id", "indikator_id", "vad", "status", "prognos", "prognos_motivering"]
KS_COLUMNS = ["indikator_id", "malomrade_id", "atgard_id", "text", "enhet", "ar", "varde", "ar_fore", "varde_fore",
              "diff", "kalla", "exempeldata"]


def report_date(an) -> dt.date:
    """The date the report speaks from: the last day of the year's follow-up periods (the end of the
    year when no period is reported)."""
    ends = [d for d in an.status["period_till"] if isinstance(d, dt.date)]
    return max(ends) if ends else dt.date(an.year, 12, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def narmast(an, months: int = HORISONT_MANADER) -> pd.DataFrame:
    """Open dates within `months` after the report date, earliest first (see the module doc)."""
    start = report_date(an)
    end = add_months(start, months)
    rows = []
    for aid, st in an.status.iterrows():
        done_by = an.plan.atgarder.at[aid, "planerat_klart"]
        if blank(done_by) or st["status"] in KLARA or not (start < done_by <= end):
            continue
        rows.append({"datum": done_by, "atgard_id": aid, "indikator_id": None, "vad": "åtgärden ska vara klar",
                     "status": st["status"], "prognos": st["prognos"],
                     "prognos_motivering": None if blank(st["prognos_motivering"]) else st["prognos_motivering"]})
    ind = an.plan.indikatorer
    for iid, j in an.judgements.iterrows():
        meta = ind.loc[iid]
        if meta["maltyp"] not in ("milstolpe", "tröskel") or j["utfall"] != EJ_BEDOMT or blank(j["forfaller"]):
            continue
        if not (start < j["forfaller"] <= end):
            continue
        aid = j["atgard_id"] if not blank(j["atgard_id"]) else None
        if aid is not None and an.status.at[aid, "status"] == "avslutad":
            continue  # a closed åtgärd's targets are no longer followed (a genomförd one's still fall due)
        kind = "milstolpe" if meta["maltyp"] == "milstolpe" else "mål"
        rows.append({"datum": j["forfaller"], "atgard_id": aid, "indikator_id": iid, "vad": f"{kind}: {meta['text']}",
                     "status": an.status.at[aid, "status"] if aid is not None else None,
                     "prognos": j["prognos"], "prognos_motivering": j["prognos_motivering"]})
    out = pd.DataFrame(rows, columns=NARMAST_COLUMNS)
    if out.empty:
        return out
    order = {a: i for i, a in enumerate(an.plan.order)}
    out["_a"] = out["atgard_id"].map(lambda a: order.get(a, len(order)))
    out["_i"] = out["indikator_id"].map(lambda i: "" if blank(i) else str(i))
    return out.sort_values(["datum", "_a", "_i"]).drop(columns=["_a", "_i"]).reset_index(drop=True)


def till_kommunstyrelsen(an) -> pd.DataFrame:
    """The indicators the register marks for kommunstyrelsen, in register order, with the year's
    value and the one before (NaN when missing: the page says so, never a made-up number)."""
    ind = an.plan.indikatorer
    if "till_kommunstyrelsen" not in ind.columns:
        return pd.DataFrame(columns=KS_COLUMNS)
    rows = []
    for iid, meta in ind[ind["till_kommunstyrelsen"] == "ja"].iterrows():
        ch = an.changes.get(iid)
        rows.append({
            "indikator_id": iid, "malomrade_id": int(meta["malomrade_id"]),
            "atgard_id": None if blank(meta["atgard_id"]) else meta["atgard_id"],
            "text": meta["text"], "enhet": meta["enhet"],
            "ar": ch.ar if ch else None, "varde": ch.varde if ch else math.nan,
            "ar_fore": ch.ar_fore if ch else None, "varde_fore": ch.varde_fore if ch else math.nan,
            "diff": ch.diff if ch else math.nan, "kalla": meta["kalla"],
            "exempeldata": bool(ch.exempeldata) if ch else False,
        })
    return pd.DataFrame(rows, columns=KS_COLUMNS)
