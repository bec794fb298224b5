"""Everything one report year needs, computed once from validated data.

Each notebook calls `analyse(year, data_dir)` and shows a part of the result; the same function
backs the CLI's validation, so what the book shows is what was checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers.compute import klimat as klimatcalc
from helpers.compute import oversikt as overview
from helpers.compute.indicators import Change, changes, indicator_values
from helpers.compute.targets import EJ_BEDOMT, judge_all, summarise
from helpers.core.fmt import date_sv
from helpers.core.missing import blank
from helpers.data import config
from helpers.data.config import PlanConfig
from helpers.data.csvio import is_example
from helpers.data.inputs import STATUSAR
from helpers.data.plan import Plan, load_plan
from helpers.data.yeardata import YearData, load_years


@dataclass(frozen=True)
class Analysis:
    year: int
    plan: Plan
    years: dict[int, YearData]
    klimat: klimatcalc.Klimat | None
    values: pd.DataFrame
    changes: dict[str, Change]
    judgements: pd.DataFrame
    config: PlanConfig  # the plan: block this year was computed with (kommun, period, size class)
    data_dir: str | None = None  # where analyse() read from: last year's verdict is read from the same place

    @property
    def current(self) -> YearData:
        return self.years[self.year]

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @cached_property
    def status(self) -> pd.DataFrame:
        """One row per åtgärd in plan order; åtgärder without a reported status say so."""
        st = self.current.status
        rows = []
        for aid in self.plan.order:
            a = self.plan.atgarder.loc[aid]
            r = st.loc[aid] if aid in st.index else None
            rows.append({
                "atgard_id": aid, "malomrade_id": int(a["malomrade_id"]), "titel": a["titel"],
                "ansvarig": a["ansvarig"],
                "status": r["status"] if r is not None else "status saknas",
                "behov_av_justering": r["behov_av_justering"] if r is not None else None,
                "justering": r["justering"] if r is not None else None,
                "kommentar": r["kommentar"] if r is not None else None,
                "period_fran": r["period_fran"] if r is not None else None,
                "period_till": r["period_till"] if r is not None else None,
                "uppgiftslamnare": r["uppgiftslamnare"] if r is not None else None,
                "prognos": r.get("prognos") if r is not None and not blank(r.get("prognos")) else None,
                "prognos_motivering": r.get("prognos_motivering") if r is not None else None,
                "sammanfattning": r.get("sammanfattning") if r is not None else None,
                "justering_typ": r.get("justering_typ") if r is not None else None,
                "belopp": r.get("belopp") if r is not None else None,
            })
        return pd.DataFrame(rows).set_index("atgard_id", drop=False)

    def status_prev(self, atgard_id: str) -> str | None:
        prev = self.years.get(self.previous_year)
        if prev is None or atgard_id not in prev.status.index:
            return None
        return prev.status.at[atgard_id, "status"]

    @cached_property
    def per_atgard(self) -> pd.DataFrame:
        return summarise(self.judgements[self.judgements["atgard_id"].notna()], "atgard_id")

    @cached_property
    def per_malomrade(self) -> pd.DataFrame:
        out = summarise(self.judgements, "malomrade_id")
        return out.reindex(self.plan.malomraden.index, fill_value=0)

    @cached_property
    def status_per_malomrade(self) -> pd.DataFrame:
        table = self.status.groupby("malomrade_id")["status"].value_counts().unstack(fill_value=0)
        cols = list(STATUSAR) + [c for c in table.columns if c not in STATUSAR]
        return table.reindex(columns=cols, fill_value=0).reindex(self.plan.malomraden.index, fill_value=0)

    @cached_property
    def justeringar(self) -> pd.DataFrame:
        """Åtgärder whose ansvarig reports a need for adjustment: the plan's samlad analys asks for it."""
        return self.status[self.status["behov_av_justering"] == "ja"]

    @cached_property
    def forra(self) -> overview.Forra | None:
        """Last year's verdict in figures (share on plan, targets met), by the same rules as this year's."""
        if self.data_dir is None or self.previous_year not in self.years:
            return None
        prev = analyse(self.previous_year, self.data_dir)
        return overview.summary_of(prev.oversikt, prev.per_malomrade.sum())

    @cached_property
    def oversikt(self) -> overview.Oversikt:
        """The sammanfattande bedömning: signals, verdict, key figures, deviations, proposals."""
        return overview.build(self, self.forra)

    def derive(self) -> Analysis:
        """Compute every derived table now (the cached properties here and on the business
        climate), so that a pickled copy handed to many pages carries them instead of each page
        computing them again. Returns self."""
        for obj in (self, self.klimat):
            if obj is None:
                continue
            for name, attr in vars(type(obj)).items():
                if isinstance(attr, cached_property):
                    getattr(obj, name)
        return self

    @property
    def exempeldata(self) -> bool:
        return any(y.exempeldata for y in self.years.values()) or bool(self.klimat and self.klimat.exempeldata)

    def input_files(self) -> list[Path]:
        files = [f for y in self.years.values() for f in y.files]
        if self.klimat is not None:
            files += list(self.klimat.files)
        return files

    def warnings(self) -> list:
        """Things the analyst must be told but that do not stop the report (e.g. an empty year file, a
        forecast missing for a target due within twelve months, an åtgärd reported genomförd while a
        target of the year is not met)."""
        return ([w for y in sorted(self.years) for w in self.years[y].warnings]
                + missing_forecasts(self) + overview.contradictions(self))

    def example_files(self) -> list[Path]:
        return [f for f in self.input_files() if is_example(f)]


def analyse(year: int, data_dir: str | Path = "data") -> Analysis:
    """Load, validate and compute a report year; raises InputError with every problem found."""
    data_dir = Path(data_dir)
    cfg = config.for_data(data_dir)
    plan = load_plan(data_dir / "plan")
    years = load_years(data_dir, plan, year)
    klimat = klimatcalc.load(data_dir / "foretagsklimat", year)
    values = indicator_values(plan, years, klimat.series_values() if klimat else None)
    ch = changes(plan, values, year)
    period_end = {aid: r["period_till"] for aid, r in years[year].status.iterrows() if not blank(r["period_till"])}
    cmp = klimat.comparisons(year) if klimat else None
    statuses = {aid: r["status"] for aid, r in years[year].status.iterrows()}
    judgements = judge_all(plan, ch, values, year, period_end, cmp, statuses, years[year].varden,
                           decided=years[year].malvarden)
    return Analysis(year, plan, years, klimat, values, ch, judgements, cfg, str(data_dir))


def missing_forecasts(an: Analysis) -> list[str]:
    """Targets not yet judged that fall due within twelve months of the period's end, without the
    unit's forecast: the standardmall asks for one, and the report shows what the unit expects."""
    out = []
    for aid, st in an.status.iterrows():
        done_by = an.plan.atgarder.at[aid, "planerat_klart"]
        end = st["period_till"] if not blank(st["period_till"]) else dt.date(an.year, 12, 31)
        if (st["status"] in ("ej påbörjad", "pågående") and not blank(done_by) and done_by > end
                and (done_by - end).days <= 366 and blank(st.get("prognos"))):
            out.append(f"prognos saknas för åtgärd {aid}, som enligt planen ska vara klar {date_sv(done_by)}: fyll i "
                       "kolumnen prognos (och prognos_motivering) i årets status eller i Excelmallen.")
    for iid, j in an.judgements.iterrows():
        if j["utfall"] != EJ_BEDOMT or not blank(j["prognos"]) or blank(j["forfaller"]):
            continue
        aid = j["atgard_id"]
        end = an.status.at[aid, "period_till"] if not blank(aid) and aid in an.status.index else None
        end = end if not blank(end) else dt.date(an.year, 12, 31)
        if (j["forfaller"] - end).days <= 366:
            out.append(f"prognos saknas för {iid} (”{an.plan.indikatorer.at[iid, 'text']}”), som förfaller "
                       f"{date_sv(j['forfaller'])}: fyll i kolumnen prognos (och prognos_motivering) i årets "
                       "indikatorvarden eller i Excelmallen.")
    return out
