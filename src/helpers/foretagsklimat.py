"""Företagsklimat data: SKR Insikt (NKI) and Svenskt Näringslivs ranking, loaded and checked.

Files in `data/foretagsklimat/` (see docs/foretagsklimat.md):
- `insikt_publicerat.csv`   real published aggregates, each row with its source;
- `insikt[.exempeldata].csv` aggregates per year, område and measure;
- `insikt_svar[.exempeldata].csv` respondent-level answers (optional), from which aggregates
  and significance tests are computed;
- `ranking_publicerat.csv`, `ranking[.exempeldata].csv` ranking placering, omdöme and factors.

Timing: Insikt results for measurement year Y are published in April–May of Y+1, so the report
for year Y uses Insikt up to Y−1; the ranking is published each September, so up to Y.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers import nki, ranking
from helpers.csvio import find_input, is_example
from helpers.errors import InputError, Problem, display_path
from helpers.format import number_sv
from helpers.validate import Col, TableSpec, blank, load_table

INSIKT_FORDROJNING_AR = 1  # Insikt for year Y is published in Y+1 (SKR, 2022–2024 publication dates)
RANKING_FORDROJNING_AR = 0  # the ranking of year Y is published in September of Y

_OMRADEN = (*nki.OMRADEN, nki.TOTALT)
_MATT = tuple(nki.MATT)

INSIKT = TableSpec((
    Col("ar", "int", required=True, min=2000, max=2100),
    Col("kommun", required=True),
    Col("omrade", "choice", required=True, choices=_OMRADEN),
    Col("matt", "choice", required=True, choices=_MATT),
    Col("varde", "decimal", min=0, max=100),
    Col("antal_svar", "int", min=0),
    # Intervals are not clipped to 0–100: the standard error is recovered from their width.
    Col("ci_low", "decimal"),
    Col("ci_high", "decimal"),
    Col("kalla", required=True),
    Col("harledd", "janej", required=True),
), row_rules=(
    lambda r: [("ci_high", r["ci_high"], f"ett värde som är minst ci_low ({r['ci_low']})")]
    if not blank(r["ci_low"]) and not blank(r["ci_high"]) and r["ci_high"] < r["ci_low"] else [],
    lambda r: [("varde", r["varde"], "ett värde inom konfidensintervallet ci_low–ci_high")]
    if not any(blank(r[c]) for c in ("varde", "ci_low", "ci_high")) and not r["ci_low"] <= r["varde"] <= r["ci_high"] else [],
))

_ANSWER = dict(kind="decimal", min=nki.SVAR_MIN, max=nki.SVAR_MAX)
SVAR = TableSpec((
    Col("ar", "int", required=True, min=2000, max=2100),
    Col("omrade", "choice", required=True, choices=tuple(nki.OMRADEN)),
    *(Col(q, **_ANSWER) for q in (*nki.NKI_FRAGOR, *nki.FAKTORER)),
))

RANKING = TableSpec((
    Col("ar", "int", required=True, min=2000, max=2100),
    Col("matt", "choice", required=True, choices=tuple(nki.RANKING_MATT)),
    Col("varde", "decimal", required=True, min=1, max=nki.RANKING_ANTAL_KOMMUNER),
    Col("kalla", required=True),
    Col("harledd", "janej", required=True),
), row_rules=(
    lambda r: [("varde", r["varde"], f"ett betyg från {nki.RANKING_SKALA_MIN} till {nki.RANKING_SKALA_MAX}")]
    if r["matt"] != ranking.PLACERING and not blank(r["varde"]) and r["varde"] > nki.RANKING_SKALA_MAX else [],
    lambda r: [("varde", r["varde"], f"en placering som heltal 1–{nki.RANKING_ANTAL_KOMMUNER}")]
    if r["matt"] == ranking.PLACERING and not blank(r["varde"]) and not float(r["varde"]).is_integer() else [],
))

KOMMUN = "Norrtälje"


def comparable_from(omrade: str, year: int) -> int:
    """First year of the like-for-like stretch a value belongs to (the totalt series breaks in 2024)."""
    if omrade != nki.TOTALT:
        return 0
    return max(first for first, _ in nki.TOTALT_DEFINITIONER if first <= year)


def serie_namn(serie: str) -> str:
    """'insikt:totalt:bemotande' -> 'Bemötande (SKR Insikt, totalt)': how readers know a series."""
    parts = serie.split(":")
    if parts[0] == "insikt" and len(parts) == 3:
        omrade = nki.OMRADEN.get(parts[1], nki.TOTALT_NAMN).lower()
        return f"{nki.MATT.get(parts[2], parts[2])} (SKR Insikt, {omrade})"
    if parts[0] == "ranking" and len(parts) == 2:
        return f"{ranking.matt_namn(parts[1])} (Svenskt Näringslivs ranking)"
    return serie


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
        own = self.insikt[self.insikt["kommun"] == KOMMUN]
        return nki.suppress(own.rename(columns={"antal_svar": "n"})) if len(own) else own.assign(visas=True, fa_svar=False)

    def series_values(self) -> pd.DataFrame:
        """Values for indicators linked to a serie (insikt:omrade:matt, ranking:matt)."""
        rows = []
        for _, r in self.kommun_insikt.iterrows():
            if r["visas"] and not blank(r["varde"]):
                rows.append({"serie": f"insikt:{r['omrade']}:{r['matt']}", "ar": int(r["ar"]), "varde": float(r["varde"]),
                             "exempeldata": bool(r["exempeldata"]), "kalla": r["kalla"],
                             "jamforbar_fran": comparable_from(r["omrade"], int(r["ar"]))})
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
        table = nki.delta_table(agg.drop(columns=["visas", "fa_svar"]))
        # Where both years have respondent data, the Welch test on the answers replaces the interval test.
        if len(self.svar):
            scores = nki.respondent_scores(self.svar)
            for i, row in table.iterrows():
                years = {int(row["ar_fran"]), int(row["ar"])}
                if not years <= set(self.svar["ar"].astype(int)) or row["delta"] != row["delta"]:
                    continue
                res = self._compare_from_answers(scores, row["omrade"], row["matt"], int(row["ar_fran"]), int(row["ar"]))
                table.loc[i, ["delta", "p_value", "bedomning", "forklaring"]] = [res.delta, res.p_value, res.bedomning,
                                                                                  res.forklaring]
        return table

    def _compare_from_answers(self, scores: pd.DataFrame, omrade: str, matt: str, y0: int, y1: int) -> nki.Comparison:
        def pick(year):
            s = scores[(scores["ar"] == year) & (scores["matt"] == matt)]
            if omrade == nki.TOTALT:
                return s[s["omrade"].isin(nki.totalt_omraden(year))]["score"]
            return s[s["omrade"] == omrade]["score"]

        return nki.compare_raw(pick(y0), pick(y1), omrade=omrade, year_prev=y0, year_curr=y1)

    def comparisons(self, year: int) -> dict[str, dict]:
        """Per insikt serie: the latest change up to the report year, as bedömning + förklaring."""
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


def _load_optional(folder: Path, stem: str, spec: TableSpec, problems: list[Problem], files: list[Path]) -> pd.DataFrame:
    try:
        path = find_input(folder, stem, required=False)
    except InputError as exc:
        problems.extend(exc.problems)
        return pd.DataFrame(columns=spec.names)
    if path is None:
        return pd.DataFrame(columns=spec.names)
    try:
        frame = load_table(path, spec)
    except InputError as exc:
        problems.extend(exc.problems)
        return pd.DataFrame(columns=spec.names)
    files.append(path)
    return frame.assign(exempeldata=is_example(path), _fil=display_path(path))


def _real_only(frame: pd.DataFrame, path_name: str, problems: list[Problem]) -> None:
    """Files named *_publicerat hold real figures only: 'exempeldata' as a source contradicts that."""
    for line, r in frame.iterrows():
        if "exempeldata" in str(r["kalla"]).lower():
            problems.append(Problem(path_name, "en verklig källa (exempeldata hör hemma i *.exempeldata.csv)",
                                    row=int(line), column="kalla", value=r["kalla"]))


def _duplicates(frame: pd.DataFrame, keys: list[str], problems: list[Problem], what: str) -> None:
    dup = frame[frame.duplicated(keys, keep=False)]
    for line, r in dup.iterrows():
        key = ", ".join(f"{k}={r[k]}" for k in keys)
        problems.append(Problem(r["_fil"], f"en rad per {what} i alla filer tillsammans", row=int(line),
                                column=keys[-1], value=key))


def _consistency(published: pd.DataFrame, computed: pd.DataFrame, folder: Path) -> list[Problem]:
    """Answers and published aggregates for the same year must tell the same story."""
    problems = []
    own = published[published["kommun"] == KOMMUN]
    for _, c in computed.iterrows():
        match = own[(own["ar"] == c["ar"]) & (own["omrade"] == c["omrade"]) & (own["matt"] == c["matt"])]
        if match.empty or blank(c["varde"]):
            continue
        p = match.iloc[0]
        line = int(match.index[0])
        if not blank(p["antal_svar"]) and int(p["antal_svar"]) != int(c["antal_svar"]):
            problems.append(Problem(p["_fil"], f"{int(c['antal_svar'])} svar, som i enkätsvaren för {int(c['ar'])}",
                                    row=line, column="antal_svar", value=int(p["antal_svar"])))
        elif not blank(p["varde"]) and abs(float(p["varde"]) - float(c["varde"])) > 0.5 + 1e-9:
            typed = int(p["varde"]) if float(p["varde"]).is_integer() else number_sv(float(p["varde"]))
            problems.append(Problem(p["_fil"], f"{number_sv(float(c['varde']), 1)} (±0,5 för avrundning), "
                                    f"beräknat från enkätsvaren för {int(c['ar'])}", row=line, column="varde", value=typed))
    return problems


def load(folder: Path, plan=None, *, up_to: int) -> Klimat | None:
    """Load every företagsklimat file; None when the folder does not exist (no such data yet)."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    problems: list[Problem] = []
    files: list[Path] = []
    pub = _load_optional(folder, "insikt_publicerat", INSIKT, problems, files)
    agg = _load_optional(folder, "insikt", INSIKT, problems, files)
    svar = _load_optional(folder, "insikt_svar", SVAR, problems, files)
    rpub = _load_optional(folder, "ranking_publicerat", RANKING, problems, files)
    rank = _load_optional(folder, "ranking", RANKING, problems, files)
    if len(pub):
        _real_only(pub, pub["_fil"].iloc[0], problems)
    if len(rpub):
        _real_only(rpub, rpub["_fil"].iloc[0], problems)
    insikt = pd.concat([x for x in (pub, agg) if len(x)], ignore_index=False) if len(pub) or len(agg) else agg
    ranks = pd.concat([x for x in (rpub, rank) if len(x)], ignore_index=False) if len(rpub) or len(rank) else rank
    if len(insikt):
        _duplicates(insikt, ["ar", "kommun", "omrade", "matt"], problems, "år, kommun, område och mått")
    if len(ranks):
        _duplicates(ranks, ["ar", "matt"], problems, "år och mått")
    if problems:
        raise InputError(problems)
    insikt = insikt.assign(fran_svar=False) if len(insikt) else insikt
    if len(svar):
        computed = nki.nki_from_responses(svar.drop(columns=["exempeldata", "_fil"]))
        computed = computed.rename(columns={"n": "antal_svar"}).assign(
            kommun=KOMMUN, kalla="beräknat från enkätsvar", harledd="ja",
            exempeldata=bool(svar["exempeldata"].any()), fran_svar=True)
        published_years = set(insikt.loc[insikt["kommun"] == KOMMUN, "ar"].astype(int)) if len(insikt) else set()
        problems += _consistency(insikt, computed[computed["ar"].isin(published_years)], folder)
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
                  ranks.reset_index(drop=True), tuple(files))
