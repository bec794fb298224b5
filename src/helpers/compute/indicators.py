"""Indicator values over the years and what changed: the numbers behind every åtgärd chapter.

Missing stays missing: a year without a value is *uppgift saknas*, never zero and never
carried forward, and a relative change from zero is undefined rather than infinite.

Every value carries the period it covers (its own, or the åtgärd's uppföljningsperiod), and a
change is only computed between values that cover the same part of the year: January–October
is never compared with a whole year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.core.fmt import MONTHS, date_sv
from helpers.core.missing import blank
from helpers.core.text import natural_key
from helpers.data.plan import Plan
from helpers.data.yeardata import YearData

# jamforbar_fran: first year of the like-for-like stretch (a series break starts a new one; 0 = always comparable)
# period_fran/period_till: the days the value covers (comparisons need the same part of the year)
# jamforelsevarde: the value of the same period one year earlier, as the unit reports it now
VALUE_COLUMNS = ["indikator_id", "ar", "varde", "uppnatt_datum", "text", "kommentar", "exempeldata", "kalla",
                 "jamforbar_fran", "period_fran", "period_till", "jamforelsevarde", "prognos", "prognos_motivering"]

Period = tuple[dt.date, dt.date]


def decimals_for(typ: str, enhet: str) -> int | None:
    """One number of decimals per measure, everywhere it is shown: counts whole, averages and shares
    with one decimal, NKI whole (as SKR publishes it), ranking scores with two (as published)."""
    if enhet == "st" or typ == "milstolpe":
        return 0
    return {"medelvärde": 1, "%": 1, "index": 0, "betyg": 2}.get(enhet)


def year_period(status: pd.DataFrame, year: int) -> Period:
    """The year's usual uppföljningsperiod (the most common in the status file), else the calendar year."""
    pairs = [(r["period_fran"], r["period_till"]) for _, r in status.iterrows()
             if not blank(r.get("period_fran")) and not blank(r.get("period_till"))]
    if pairs:
        return Counter(pairs).most_common(1)[0][0]
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def same_part_of_year(a: Period | None, b: Period | None) -> bool:
    """Two periods cover the same part of the year (e.g. 1 January–31 October in both years).

    Unknown periods count as comparable: the check only stops a comparison it can prove wrong.
    """
    if a is None or b is None:
        return True
    (a0, a1), (b0, b1) = a, b
    return ((a0.month, a0.day, a1.month, a1.day, a1.year - a0.year)
            == (b0.month, b0.day, b1.month, b1.day, b1.year - b0.year))


def period_sv(period: Period | None) -> str:
    """'helår 2025', 'januari–oktober 2026', '31 oktober 2026', '1 juli 2025–30 juni 2026'."""
    if period is None:
        return "okänd period"
    start, end = period
    if start == end:
        return date_sv(start)
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if whole_months and start.year == end.year:
        if start.month == 1 and end.month == 12:
            return f"helår {start.year}"
        if start.month == end.month:
            return f"{MONTHS[start.month - 1]} {start.year}"
        return f"{MONTHS[start.month - 1]}–{MONTHS[end.month - 1]} {end.year}"
    if whole_months:
        return f"{MONTHS[start.month - 1]} {start.year}–{MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]}–{date_sv(end)}"
    return f"{date_sv(start)}–{date_sv(end)}"


def _period_of(row) -> Period | None:
    start, end = row.get("period_fran"), row.get("period_till")
    if blank(start) or blank(end):
        return None
    return start, end

# A trend slope smaller than this share of the mean level per year counts as unchanged.
TREND_TOLERANCE = 0.01


def indicator_values(plan: Plan, years: dict[int, YearData], klimat: pd.DataFrame | None = None) -> pd.DataFrame:
    """All values in long form: one row per (indicator, year) that has a row in some input.

    Values for indicators that repeat another measure (`varde_fran`) are copied from it, and
    values for företagsklimat indicators (`serie`) come from `klimat` (columns serie, ar, varde,
    exempeldata, kalla), keyed by the measurement year of that series.

    Each value's period is its own (period_fran/period_till in the file) or else its åtgärd's
    uppföljningsperiod that year, or the year's usual period for målområde indicators; a series
    value covers its measurement year.
    """
    rows = []
    for year, data in sorted(years.items()):
        usual = year_period(data.status, year)
        for iid, r in data.varden.iterrows():
            if not blank(plan.indikatorer.at[iid, "serie"]) or not blank(plan.indikatorer.at[iid, "varde_fran"]):
                continue  # a row with only the unit's forecast: the values come from the series or the other measure
            aid = plan.indikatorer.at[iid, "atgard_id"]
            own = _period_of(r)
            if own is None and not blank(aid) and aid in data.status.index:
                own = _period_of(data.status.loc[aid])
            start, end = own or usual
            rows.append({
                "indikator_id": iid, "ar": year, "varde": _num(r["varde"]), "uppnatt_datum": r["uppnatt_datum"],
                "text": r["text"], "kommentar": r["kommentar"], "exempeldata": data.exempeldata,
                "kalla": plan.indikatorer.at[iid, "kalla"], "jamforbar_fran": 0,
                "period_fran": start, "period_till": end, "jamforelsevarde": _num(r.get("jamforelsevarde")),
                "prognos": r.get("prognos"), "prognos_motivering": r.get("prognos_motivering"),
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
            ar = series["ar"].astype(int)
            derived.append(pd.DataFrame({
                "indikator_id": iid, "ar": ar, "varde": series["varde"].astype(float),
                "uppnatt_datum": None, "text": None, "kommentar": None,
                "exempeldata": series["exempeldata"].astype(bool), "kalla": series["kalla"],
                "jamforbar_fran": series["jamforbar_fran"].astype(int) if "jamforbar_fran" in series else 0,
                "period_fran": [dt.date(y, 1, 1) for y in ar], "period_till": [dt.date(y, 12, 31) for y in ar],
                "jamforelsevarde": math.nan, "prognos": None, "prognos_motivering": None,
            }, columns=VALUE_COLUMNS))
    parts = [p for p in [base, *derived] if len(p)]
    if not parts:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    rank = {iid: i for i, iid in enumerate(sorted(set(out["indikator_id"]), key=natural_key))}  # 1.1-2 before 1.1-10
    return (out.assign(_ordning=out["indikator_id"].map(rank)).sort_values(["_ordning", "ar"], kind="stable")
            .drop(columns="_ordning").reset_index(drop=True))


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
    period: Period | None = None  # the days the value covers
    period_fore: Period | None = None  # the days the earlier value covers
    jamforbar: bool = True  # False: both values exist but cover different parts of the year (no diff)

    @property
    def saknas(self) -> bool:
        return math.isnan(self.varde) and blank(self.uppnatt_datum) and blank(self.text)

    @property
    def ej_jamforbar_text(self) -> str:
        """Why there is no change, in one Swedish sentence ('' when the periods agree)."""
        if self.jamforbar:
            return ""
        return (f"Värdena avser olika perioder ({period_sv(self.period_fore)} och {period_sv(self.period)}), "
                "så ingen förändring beräknas.")


def change_for(values: pd.DataFrame, iid: str, year: int, *, latest_available: bool = False) -> Change:
    """Compare an indicator's value in `year` with the year before.

    For series with their own measurement years (företagsklimat), `latest_available` compares the
    latest year up to `year` that has a value with the one before it. Values covering different
    parts of the year are both kept, but no change is computed between them (`jamforbar` False);
    the baseline and the trend only use values covering the same part of the year as this one.
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
    row = cur.iloc[0] if len(cur) else None
    before_row = prev.iloc[0] if len(prev) else None
    value = float(row["varde"]) if row is not None and not blank(row["varde"]) else math.nan
    before = float(before_row["varde"]) if before_row is not None and not blank(before_row["varde"]) else math.nan
    period = _period_of(row) if row is not None else None
    period_fore = _period_of(before_row) if before_row is not None else None
    given = row.get("jamforelsevarde") if row is not None else None
    if not blank(given) and period is not None and prev_year is not None:
        # The unit's own figure for the same period of the year before: like for like by construction.
        before, period_fore = float(given), (_year_back(period[0]), _year_back(period[1]))
    both = not (math.isnan(value) or math.isnan(before))
    jamforbar = not both or same_part_of_year(period, period_fore)
    diff = value - before if both and jamforbar else math.nan
    rel = diff / before * 100 if not math.isnan(diff) and before != 0 else math.nan
    if period is not None:
        mask = pd.Series([same_part_of_year(period, _period_of(r)) for _, r in numeric.iterrows()],
                         index=numeric.index, dtype=bool)
        alike = numeric[mask]
    else:
        alike = numeric
    first = alike.iloc[0] if len(alike) else None
    return Change(
        indikator_id=iid, ar=current_year, varde=value, ar_fore=prev_year, varde_fore=before,
        baslinje_ar=int(first["ar"]) if first is not None else None,
        baslinje=float(first["varde"]) if first is not None else math.nan,
        diff=diff, diff_rel=rel, trend=trend(alike["ar"].tolist(), alike["varde"].tolist()),
        uppnatt_datum=None if row is None else row["uppnatt_datum"],
        text=None if row is None else row["text"],
        kommentar=None if row is None else row["kommentar"],
        exempeldata=bool(row["exempeldata"]) if row is not None else False,
        kalla=None if row is None else row["kalla"],
        period=period, period_fore=period_fore, jamforbar=jamforbar,
    )


def _year_back(day: dt.date) -> dt.date:
    """The same day one year earlier (29 February becomes 28 February)."""
    return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))


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
