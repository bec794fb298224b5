"""The business climate computed for a report year: NKI per område, changes, ranking changes.

Built from the validated files (:mod:`helpers.data.klimat`): aggregates are computed from the
respondents' answers where the kommun has them, checked against what was published, and cut at
what had been published by the report year (Insikt for year Y appears in Y+1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers.compute import jamforelse, nki, ranking
from helpers.core.errors import InputError, Problem
from helpers.core.fmt import number_sv
from helpers.core.missing import blank
from helpers.data import config, fakta
from helpers.data.csvio import is_example
from helpers.data.klimat import INSIKT_FORDROJNING_AR, RANKING_FORDROJNING_AR, KlimatData
from helpers.data.klimat import load as load_files


@dataclass(frozen=True)
class Klimat:
    """Validated företagsklimat data, cut at what was published by the report year."""

    year: int
    insikt: pd.DataFrame  # aggregates: ar, kommun, omrade, matt, varde, n, ci_low, ci_high, kalla, harledd, exempeldata, fran_svar
    svar: pd.DataFrame  # respondent answers (may be empty)
    ranking: pd.DataFrame  # ar, matt, varde, kalla, harledd, exempeldata
    files: tuple[Path, ...]

    @property
    def exempeldata(self) -> bool:
        return any(is_example(f) for f in self.files)

    @property
    def insikt_up_to(self) -> int:
        return self.year - INSIKT_FORDROJNING_AR

    @cached_property
    def kommun_insikt(self) -> pd.DataFrame:
        """The kommun's own aggregates with publication rules applied (visas, fa_svar)."""
        own = self.insikt[self.insikt["kommun"] == config.active().kortnamn]
        return nki.suppress(own.rename(columns={"antal_svar": "n"})) if len(own) else own.assign(visas=True, fa_svar=False)

    def series_values(self) -> pd.DataFrame:
        """Values for indicators linked to a serie (insikt:omrade:matt, ranking:matt); a copy each call."""
        return self._series_values.copy()

    @cached_property
    def _series_values(self) -> pd.DataFrame:
        rows = []
        for _, r in self.kommun_insikt.iterrows():
            if r["visas"] and not blank(r["varde"]):
                rows.append({"serie": f"insikt:{r['omrade']}:{r['matt']}", "ar": int(r["ar"]), "varde": float(r["varde"]),
                             "exempeldata": bool(r["exempeldata"]), "kalla": r["kalla"],
                             "jamforbar_fran": fakta.comparable_from(r["omrade"], int(r["ar"]))})
        for _, r in self.ranking.iterrows():
            rows.append({"serie": f"ranking:{r['matt']}", "ar": int(r["ar"]), "varde": float(r["varde"]),
                         "exempeldata": bool(r["exempeldata"]), "kalla": r["kalla"], "jamforbar_fran": 0})
        return pd.DataFrame(rows, columns=["serie", "ar", "varde", "exempeldata", "kalla", "jamforbar_fran"])

    @cached_property
    def deltas(self) -> pd.DataFrame:
        """Year-to-year NKI/factor changes for the kommun, per område (publication rules applied)."""
        agg = self.kommun_insikt
        if agg.empty:
            return pd.DataFrame()
        table = jamforelse.delta_table(agg.drop(columns=["visas", "fa_svar"]))
        # Where both years have respondent data, the Welch test on the answers replaces the interval test.
        if len(self.svar):
            scores = nki.respondent_scores(self.svar)
            # Grouped once: a lookup per comparison instead of filtering every score per comparison.
            groups = {k: g["score"] for k, g in scores.groupby(["ar", "matt", "omrade"], sort=False)}
            answered = set(self.svar["ar"].astype(int))
            tested = {}
            for i, row in zip(table.index, table[["omrade", "matt", "ar_fran", "ar", "delta"]].to_dict("records")):
                years = {int(row["ar_fran"]), int(row["ar"])}
                if not years <= answered or row["delta"] != row["delta"]:
                    continue
                tested[i] = self._compare_from_answers(groups, row["omrade"], row["matt"], int(row["ar_fran"]), int(row["ar"]))
            if tested:  # written in one go: a .loc assignment per row costs more than the test itself
                rows = list(tested)
                for column in ("delta", "p_value", "bedomning", "forklaring"):
                    values = [getattr(tested[i], column) for i in rows]
                    if column in ("delta", "p_value"):
                        values = [float("nan") if v is None else v for v in values]
                    table.loc[rows, column] = values
        return table

    @staticmethod
    def _compare_from_answers(groups: dict, omrade: str, matt: str, y0: int, y1: int) -> jamforelse.Comparison:
        """The Welch test on the answers; `groups` maps (ar, matt, omrade) to that group's scores."""
        def pick(year):
            members = fakta.totalt_omraden(year) if omrade == fakta.TOTALT else (omrade,)
            parts = [groups[(year, matt, o)] for o in members if (year, matt, o) in groups]
            return pd.concat(parts).sort_index() if parts else pd.Series(dtype=float)  # the answers in file order

        return jamforelse.compare_raw(pick(y0), pick(y1), omrade=omrade, year_prev=y0, year_curr=y1)

    def comparisons(self, year: int) -> dict[str, dict]:
        """Per insikt serie: the latest change up to the report year, as bedömning + förklaring.

        The deltas are already cut at the report year, so `year` only documents the caller's
        intent; each caller gets its own copy of the (once computed) table."""
        return {serie: dict(cmp) for serie, cmp in self._latest_comparisons.items()}

    @cached_property
    def _latest_comparisons(self) -> dict[str, dict]:
        out = {}
        if self.deltas.empty:
            return out
        for (omrade, matt), grp in self.deltas.groupby(["omrade", "matt"]):
            latest = grp.sort_values("ar").iloc[-1]
            out[f"insikt:{omrade}:{matt}"] = {"bedomning": latest["bedomning"], "forklaring": latest["forklaring"],
                                              "delta": latest["delta"], "ar_fran": int(latest["ar_fran"]),
                                              "ar": int(latest["ar"])}
        return out

    def serie_status(self, serie: str) -> str:
        """Latest value of a series and what changed, in one Swedish sentence (for linked åtgärder)."""
        values = self.series_values()
        own = values[values["serie"] == serie].sort_values("ar")
        if own.empty:
            return "Inga publicerade värden ännu."
        last = own.iloc[-1]
        text = f"Senaste värde {number_sv(round(float(last['varde']), 2))} ({int(last['ar'])})."
        if serie.startswith("insikt:"):
            cmp = self.comparisons(self.year).get(serie)
            if cmp and cmp["ar"] == int(last["ar"]):
                text += " " + cmp["forklaring"]
        else:
            d = self.ranking_deltas
            d = d[d["matt"] == serie.split(":", 1)[1]] if len(d) else d
            if len(d):
                text += " " + d.sort_values("ar").iloc[-1]["forklaring"]
        return text

    @cached_property
    def ranking_deltas(self) -> pd.DataFrame:
        return ranking.ranking_deltas(self.ranking) if len(self.ranking) else pd.DataFrame()


def _consistency(published: pd.DataFrame, computed: pd.DataFrame) -> list[Problem]:
    """Answers and published aggregates for the same year must tell the same story."""
    problems = []
    own = published[published["kommun"] == config.active().kortnamn]
    for _, c in computed.iterrows():
        match = own[(own["ar"] == c["ar"]) & (own["omrade"] == c["omrade"]) & (own["matt"] == c["matt"])]
        if match.empty or blank(c["varde"]):
            continue
        p = match.iloc[0]
        line = int(match.index[0])
        if bool(p["exempeldata"]) != bool(c["exempeldata"]):
            continue  # real figures (e.g. fetched from Kolada) are not expected to match invented answers
        if not blank(p["antal_svar"]) and int(p["antal_svar"]) != int(c["antal_svar"]):
            problems.append(Problem(p["_fil"], f"{int(c['antal_svar'])} svar, som i enkätsvaren för {int(c['ar'])}",
                                    row=line, column="antal_svar", value=int(p["antal_svar"])))
        elif not blank(p["varde"]) and abs(float(p["varde"]) - float(c["varde"])) > 0.5 + 1e-9:
            typed = int(p["varde"]) if float(p["varde"]).is_integer() else number_sv(float(p["varde"]))
            problems.append(Problem(p["_fil"], f"{number_sv(float(c['varde']), 1)} (±0,5 för avrundning), "
                                    f"beräknat från enkätsvaren för {int(c['ar'])}", row=line, column="varde", value=typed))
    return problems


def build(raw: KlimatData, up_to: int) -> Klimat:
    """The business climate as known when the report for `up_to` is written; InputError when
    answers and published aggregates for the same year disagree."""
    insikt, svar, ranks = raw.insikt, raw.svar, raw.ranking
    insikt = insikt.assign(fran_svar=False) if len(insikt) else insikt
    kommun = config.active().kortnamn
    if len(svar):
        computed = nki.nki_from_responses(svar.drop(columns=["exempeldata", "_fil"]))
        computed = computed.rename(columns={"n": "antal_svar"}).assign(
            kommun=kommun, kalla="beräknat från enkätsvar", harledd="ja",
            exempeldata=bool(svar["exempeldata"].any()), fran_svar=True)
        published_years = set(insikt.loc[insikt["kommun"] == kommun, "ar"].astype(int)) if len(insikt) else set()
        problems = _consistency(insikt, computed[computed["ar"].isin(published_years)])
        if problems:
            raise InputError(problems)
        # Published aggregates are what readers see; answers fill years without them and drive the tests.
        insikt = pd.concat([insikt, computed[~computed["ar"].isin(published_years)]], ignore_index=True)
    cut = up_to - INSIKT_FORDROJNING_AR
    if len(insikt):
        insikt = insikt[insikt["ar"].astype(int) <= cut].drop(columns=["_fil", "sd"], errors="ignore")
        insikt = insikt.assign(ar=insikt["ar"].astype(int), varde=insikt["varde"].astype(float))
    if len(svar):
        svar = svar[svar["ar"].astype(int) <= cut]
    if len(ranks):
        ranks = ranks[ranks["ar"].astype(int) <= up_to - RANKING_FORDROJNING_AR].drop(columns=["_fil"])
    return Klimat(up_to, insikt.reset_index(drop=True), svar.drop(columns=["_fil"], errors="ignore").reset_index(drop=True),
                  ranks.reset_index(drop=True), raw.files)


def load(folder: Path, up_to: int) -> Klimat | None:
    """Read and compute the business climate for the report year `up_to`; None without data."""
    raw = load_files(folder)
    return build(raw, up_to) if raw is not None else None
