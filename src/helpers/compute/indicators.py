"""Indicator values over the years and what changed: the numbers behind every åtgärd chapter.

Missing stays missing: a year without a value is *uppgift saknas*, never zero and never
carried forward, and a relative change from zero is undefined rather than infinite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.core.missing import blank
from helpers.data.plan import Plan
from helpers.data.yeardata import YearData

# jamforbar_fran: first year of the like-for-like stretch (a series break starts a new one; 0 = always comparable)
VALUE_COLUMNS = ["indikator_id", "ar", "varde", "uppnatt_datum", "text", "kommentar", "exempeldata", "kalla",
                 "jamforbar_fran"]

# A trend slope smaller than this share of the mean level per year counts as unchanged.
TREND_TOLERANCE = 0.01


def indicator_values(plan: Plan, years: dict[int, YearData], klimat: pd.DataFrame | None = None) -> pd.DataFrame:
    """All values in long form: one row per (indicator, year) that has a row in some input.

    Values for indicators that repeat another measure (`varde_fran`) are copied from it, and
    values for företagsklimat indicators (`serie`) come from `klimat` (columns serie, ar, varde,
    exempeldata, kalla), keyed by the measurement year of that series.
    """
    rows = []
    for year, data in sorted(years.items()):
        for iid, r in data.varden.iterrows():
            rows.append({
                "indikator_id": iid, "ar": year, "varde": _num(r["varde"]), "uppnatt_datum": r["uppnatt_datum"],
                "text": r["text"], "kommentar": r["kommentar"], "exempeldata": data.exempeldata,
                "kalla": plan.indikatorer.at[iid, "kalla"], "jamforbar_fran": 0,
            })
    base = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    derived = []
    ind = plan.indikatorer
    for iid, meta in ind[~ind["varde_fran"].map(blank)].iterrows():
        copy = base[base["indikator_id"] == meta["varde_fran"]].copy()
        copy["indikator_id"] = iid
        derived.append(copy)
    if klimat is not None and len(klimat):
        for iid, meta in ind[~ind["serie"].map(blank)].iterrows():
            series = klimat[klimat["serie"] == meta["serie"]]
            derived.append(pd.DataFrame({
                "indikator_id": iid, "ar": series["ar"].astype(int), "varde": series["varde"].astype(float),
                "uppnatt_datum": None, "text": None, "kommentar": None,
                "exempeldata": series["exempeldata"].astype(bool), "kalla": series["kalla"],
                "jamforbar_fran": series["jamforbar_fran"].astype(int) if "jamforbar_fran" in series else 0,
            }))
    parts = [p for p in [base, *derived] if len(p)]
    if not parts:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["indikator_id", "ar"], kind="stable").reset_index(drop=True)


def _num(value) -> float:
    return math.nan if blank(value) else float(value)


@dataclass(frozen=True)
class Change:
    """One indicator in one report year: value, comparison and trend."""

    indikator_id: str
    ar: int | None  # year of the value shown (the report year, or a series' latest measurement year)
    varde: float
    ar_fore: int | None
    varde_fore: float
    baslinje_ar: int | None
    baslinje: float
    diff: float
    diff_rel: float  # NaN when undefined (no earlier value, or earlier value 0)
    trend: str
    uppnatt_datum: object
    text: object
    kommentar: object
    exempeldata: bool
    kalla: object

    @property
    def saknas(self) -> bool:
        return math.isnan(self.varde) and blank(self.uppnatt_datum) and blank(self.text)


def change_for(values: pd.DataFrame, iid: str, year: int, *, latest_available: bool = False) -> Change:
    """Compare an indicator's value in `year` with the year before.

    For series with their own measurement years (företagsklimat), `latest_available` compares the
    latest year up to `year` that has a value with the one before it.
    """
    own = comparable_stretch(values[(values["indikator_id"] == iid) & (values["ar"] <= year)].sort_values("ar"))
    numeric = own[own["varde"].notna()]
    if latest_available:
        current_year = int(numeric["ar"].iloc[-1]) if len(numeric) else None
        prev_year = int(numeric["ar"].iloc[-2]) if len(numeric) > 1 else None
    else:
        current_year, prev_year = year, year - 1
    cur = own[own["ar"] == current_year]
    prev = own[own["ar"] == prev_year]
    value = float(cur["varde"].iloc[0]) if len(cur) else math.nan
    before = float(prev["varde"].iloc[0]) if len(prev) else math.nan
    diff = value - before if not (math.isnan(value) or math.isnan(before)) else math.nan
    rel = diff / before * 100 if not math.isnan(diff) and before != 0 else math.nan
    first = numeric.iloc[0] if len(numeric) else None
    row = cur.iloc[0] if len(cur) else None
    return Change(
        indikator_id=iid, ar=current_year, varde=value, ar_fore=prev_year, varde_fore=before,
        baslinje_ar=int(first["ar"]) if first is not None else None,
        baslinje=float(first["varde"]) if first is not None else math.nan,
        diff=diff, diff_rel=rel, trend=trend(numeric["ar"].tolist(), numeric["varde"].tolist()),
        uppnatt_datum=None if row is None else row["uppnatt_datum"],
        text=None if row is None else row["text"],
        kommentar=None if row is None else row["kommentar"],
        exempeldata=bool(row["exempeldata"]) if row is not None else False,
        kalla=None if row is None else row["kalla"],
    )


def comparable_stretch(own: pd.DataFrame) -> pd.DataFrame:
    """Only the values comparable with the latest one: baseline and trend never cross a series break."""
    if "jamforbar_fran" not in own.columns:
        return own
    numeric = own[own["varde"].notna()]
    if numeric.empty:
        return own
    stretch = own["jamforbar_fran"].fillna(0)
    return own[stretch == stretch[numeric.index[-1]]]


def trend(years: list[int], values: list[float]) -> str:
    """Direction over all years so far: least-squares slope relative to the mean level."""
    if len(values) < 2:
        return "för få värden"
    if len(values) == 2:
        slope = (values[1] - values[0]) / (years[1] - years[0])
    else:
        slope = float(np.polyfit(np.asarray(years, float), np.asarray(values, float), 1)[0])
    level = abs(float(np.mean(values))) or 1.0
    if abs(slope) <= TREND_TOLERANCE * level:
        return "oförändrad"
    return "ökande" if slope > 0 else "minskande"


def changes(plan: Plan, values: pd.DataFrame, year: int, indicator_ids: list[str] | None = None) -> dict[str, Change]:
    """Changes for the given indicators (default: all), in the register's order."""
    ids = indicator_ids if indicator_ids is not None else list(plan.indikatorer.index)
    out = {}
    for iid in ids:
        has_series = not blank(plan.indikatorer.at[iid, "serie"])
        out[iid] = change_for(values, iid, year, latest_available=has_series)
    return out
