"""Where the kommun stands beside its peers: NKI against the comparison groups' means and Riket,
the members of "liknande kommuner" one by one, and the strategy's context KPIs.

The judgement uses the same margin rule as the kommun's own year-to-year changes
(:mod:`helpers.compute.jamforelse`): the kommun's standard error is recovered from its published
interval and the difference is tested two-sided at the same alpha. A group mean or Riket is taken
as a fixed reference (its own sampling error is not published); without the kommun's interval
the difference is reported but not judged. Old and new totalt are never compared with each other:
a reference counts only for the same series and measurement year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.compute.jamforelse import (
    BEDOMNING_FORBATTRING,
    BEDOMNING_FORSAMRING,
    BEDOMNING_INOM,
    _judge,
    _se_from_interval,
)
from helpers.core.fmt import number_sv
from helpers.core.missing import blank
from helpers.data import config, fakta
from helpers.data.jamforelser import RIKET, Jamforelser

OVER, INOM, UNDER, OKAND = "över", "inom felmarginalen", "under", "kan inte bedömas"
_LAGE = {BEDOMNING_FORBATTRING: OVER, BEDOMNING_FORSAMRING: UNDER, BEDOMNING_INOM: INOM}
TOTALT_NKI = f"insikt:{fakta.TOTALT}:{fakta.NKI}"

KOLUMNER = ["serie", "omrade", "ar", "enhet_id", "namn", "typ", "varde", "antal", "kalla", "exempeldata"]


@dataclass(frozen=True)
class Lage:
    """The kommun beside one reference in one year."""

    referens: str
    varde: float
    antal: int | None  # members behind a group mean
    delta: float  # kommun − reference
    lage: str  # OVER, INOM, UNDER or OKAND
    text: str


def position(own: dict, ref: float, referens: str, antal: int | None = None) -> Lage:
    """The kommun's value against a fixed reference, by the margin rule of its own changes."""
    namn = referens
    delta = float(own["varde"]) - float(ref)
    n = own.get("n", own.get("antal_svar"))
    se = None if blank(n) else _se_from_interval(float(n), own.get("ci_low"), own.get("ci_high"))
    p = None
    if se is not None and se > 0:
        from scipy import stats

        p = float(2 * stats.norm.sf(abs(delta) / se))
    judged = _judge(delta, p, "z_mot_referens", fakta.ALPHA)
    lage = _LAGE.get(judged.bedomning, OKAND)
    diff = number_sv(abs(delta), 1, trim=True)
    namn = f"{namn} ({number_sv(float(ref), 1)})"
    if lage == OKAND:
        text = (f"{diff} enheter {'över' if delta > 0 else 'under'} {namn}; felmarginalen är okänd" if delta
                else f"samma som {namn}")
    elif lage == INOM:
        text = f"i nivå med {namn} (skillnaden {diff} ligger inom felmarginalen)"
    else:
        text = f"{diff} enheter {lage} {namn}, en säkerställd skillnad"
    return Lage(referens, float(ref), antal, delta, lage, text)


def insikt_table(k, jd: Jamforelser | None) -> pd.DataFrame:
    """NKI (totalt and each område) for the kommun, Riket, each group mean and the members of
    "liknande kommuner", every year up to what was published by the report year; KOLUMNER plus
    n, ci_low, ci_high for the kommun's rows."""
    up_to = k.insikt_up_to
    rows = []
    own = k.kommun_insikt
    own = own[own["visas"] & (own["matt"] == fakta.NKI)] if len(own) else own
    for _, r in own.iterrows():
        rows.append({"serie": f"insikt:{r['omrade']}:nki", "omrade": r["omrade"], "ar": int(r["ar"]), "enhet_id": "kommun",
                     "namn": fakta_kommun(jd), "typ": "kommun", "varde": float(r["varde"]), "antal": None,
                     "kalla": r["kalla"], "exempeldata": bool(r["exempeldata"]), "n": r.get("n"),
                     "ci_low": r.get("ci_low"), "ci_high": r.get("ci_high")})
    riket = k.insikt[(k.insikt["kommun"] == "Riket") & (k.insikt["matt"] == fakta.NKI)] if len(k.insikt) else k.insikt
    have_riket = set()
    for _, r in riket.iterrows():
        if blank(r["varde"]):
            continue
        have_riket.add((r["omrade"], int(r["ar"])))
        rows.append({"serie": f"insikt:{r['omrade']}:nki", "omrade": r["omrade"], "ar": int(r["ar"]), "enhet_id": RIKET,
                     "namn": "Riket", "typ": "riket", "varde": float(r["varde"]), "antal": None, "kalla": r["kalla"],
                     "exempeldata": bool(r["exempeldata"])})
    if jd is not None:
        groups = {g.id: g for g in jd.grupper}
        members = {m: g.id for g in jd.grupper if g.per_medlem for m, _ in g.medlemmar}
        v = jd.varden[(jd.varden["serie"] != "") & ~jd.varden["varde"].isna()]
        for _, r in v.iterrows():
            omrade, matt = r["serie"].split(":")[1:]
            if matt != fakta.NKI or int(r["ar"]) > up_to:
                continue
            unit = r["enhet_id"]
            if unit == RIKET and (omrade, int(r["ar"])) not in have_riket:
                typ = "riket"
            elif unit in groups:
                typ = "grupp"
            elif unit in members and r["serie"] == TOTALT_NKI:
                typ = "medlem"
            else:
                continue
            rows.append({"serie": r["serie"], "omrade": omrade, "ar": int(r["ar"]), "enhet_id": unit,
                         "namn": jd.namn.get(unit, unit), "typ": typ, "varde": float(r["varde"]),
                         "antal": None if blank(r["antal"]) else int(r["antal"]), "kalla": r["kalla"],
                         "exempeldata": bool(r["exempeldata"])})
    frame = pd.DataFrame(rows, columns=[*KOLUMNER, "n", "ci_low", "ci_high"])
    return frame[frame["ar"] <= up_to].reset_index(drop=True) if len(frame) else frame


def fakta_kommun(jd: Jamforelser | None) -> str:
    """The kommun's name as the comparison tables show it."""
    own = config.active().kortnamn
    return jd.namn.get(jd.kommun_id, own) if jd is not None else own


def references(jd: Jamforelser | None) -> list[tuple[str, str]]:
    """(unit id, name) of every reference in reading order: Riket, then the groups as configured."""
    out = [(RIKET, "Riket")]
    if jd is not None:
        out += [(g.id, g.namn) for g in jd.grupper]
    return out


def standing(table: pd.DataFrame, jd: Jamforelser | None, serie: str, year: int) -> list[Lage]:
    """The kommun beside each reference for one series and year (references without a value left out)."""
    here = table[(table["serie"] == serie) & (table["ar"] == year)]
    own = here[here["typ"] == "kommun"]
    if own.empty:
        return []
    o = own.iloc[0].to_dict()
    out = []
    for unit, name in references(jd):
        ref = here[(here["enhet_id"] == unit) & (here["typ"].isin(["riket", "grupp"]))]
        if len(ref):
            r = ref.iloc[0]
            label = name if unit == RIKET else f"medlet i {name}"
            out.append(position(o, r["varde"], label, None if blank(r["antal"]) else int(r["antal"])))
    return out


def latest_year(table: pd.DataFrame, serie: str = TOTALT_NKI) -> int | None:
    own = table[(table["serie"] == serie) & (table["typ"] == "kommun")]
    return int(own["ar"].max()) if len(own) else None


def key_phrase(k) -> str:
    """The comparison in one phrase for the start page's NKI card ('' without comparisons):
    against "liknande kommuner" when configured, else the first group, else Riket."""
    jd = getattr(k, "jamforelser", None)
    table = insikt_table(k, jd)
    year = latest_year(table)
    if year is None:
        return ""
    found = standing(table, jd, TOTALT_NKI, year)
    if not found:
        return ""
    liknande = [g.namn for g in (jd.grupper if jd else ()) if g.per_medlem]
    pick = next((s for s in found if liknande and s.referens == f"medlet i {liknande[0]}"), None)
    pick = pick or (found[1] if len(found) > 1 else found[0])
    word = {OVER: "säkerställt över", UNDER: "säkerställt under", INOM: "i nivå med"}.get(
        pick.lage, f"{'över' if pick.delta > 0 else 'under'} (felmarginalen okänd)")
    return f"; {word} {pick.referens} ({number_sv(round(pick.varde))})"


def context_table(jd: Jamforelser | None, year: int) -> pd.DataFrame:
    """Per context KPI: the latest year up to `year` with a value for the kommun, and that year's
    values for the kommun, Riket and each group (blank where missing), with each value's source."""
    cols = ["kpi_id", "namn", "enhet", "varfor", "ar", "enhet_id", "enhet_namn", "varde", "antal", "kalla", "exempeldata"]
    if jd is None or jd.kontext.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    units = [(jd.kommun_id, jd.namn.get(jd.kommun_id, jd.kommun_id)), *references(jd)]
    v = jd.varden[(jd.varden["ar"] <= year) & ~jd.varden["varde"].isna()]
    for _, kpi in jd.kontext.iterrows():
        mine = v[(v["kpi_id"] == kpi["kpi_id"]) & (v["enhet_id"] == jd.kommun_id)]
        if mine.empty:
            continue
        latest = int(mine["ar"].max())
        for unit, name in units:
            hit = v[(v["kpi_id"] == kpi["kpi_id"]) & (v["enhet_id"] == unit) & (v["ar"] == latest)]
            r = hit.iloc[0] if len(hit) else None
            rows.append({"kpi_id": kpi["kpi_id"], "namn": kpi["namn"], "enhet": kpi["enhet"], "varfor": kpi["varfor"],
                         "ar": latest, "enhet_id": unit, "enhet_namn": name,
                         "varde": None if r is None else float(r["varde"]),
                         "antal": None if r is None or blank(r["antal"]) else int(r["antal"]),
                         "kalla": "" if r is None else r["kalla"], "exempeldata": bool(r is not None and r["exempeldata"])})
    return pd.DataFrame(rows, columns=cols)
