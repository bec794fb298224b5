"""The sammanfattande bedömning: a signal per åtgärd, the deviations, the verdict and key figures.

Kommunstyrelsen reads the report to decide; this module turns the judgements into the few
statements a decision needs, each by a stated rule (repeated for readers in *Om rapporten*):

Signal per åtgärd
    *avvikelse* when at least one of: a milestone whose deadline passed without it being done,
    a milestone done late during the year, a target ej uppfyllt, an åtgärd not started although
    the plan needed it started (see `must_have_started`), or no reported status;
    *ej aktuell* when the åtgärd is avslutad; otherwise *enligt plan*.

Verdict
    from the share of current åtgärder (all but ej aktuell) that are enligt plan: at least 75 %
    "i huvudsak enligt plan", at least 50 % "delvis enligt plan", below that "inte enligt plan".
    The thresholds are this project's choice (a plain three-step scale, like the common
    green/yellow/red of kommunal målrapporter) and are stated with the verdict.

Every number in the texts comes from the tables computed here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import pandas as pd

from helpers.compute import jamforgrupper
from helpers.compute.indicators import decimals_for
from helpers.compute.targets import (
    DELVIS,
    EJ_BEDOMT,
    EJ_BEDOMT_ANNU,
    EJ_FORFALLET,
    EJ_UPPFYLLT,
    FORSENAT,
    INOM_FELMARGINALEN,
    OLIKA_PERIODER,
    SAKNAS,
    UPPFYLLT,
)
from helpers.core.fmt import date_sv, list_sv, number_sv, percent_sv, plural
from helpers.core.missing import blank
from helpers.data import fakta

ENLIGT_PLAN = "enligt plan"
AVVIKELSE = "avvikelse"
EJ_AKTUELL = "ej aktuell"
SIGNALER = (ENLIGT_PLAN, AVVIKELSE, EJ_AKTUELL)

# Share of current åtgärder enligt plan → verdict (lowest share first reached from the top).
NIVAER = ((75.0, "i huvudsak enligt plan"), (50.0, "delvis enligt plan"), (0.0, "inte enligt plan"))

STATUS_PLURAL = {"genomförd": "genomförda", "pågående": "pågående", "ej påbörjad": "ej påbörjade",
                 "avslutad": "avslutade", "status saknas": "utan rapporterad status"}


def first_sentence(text, limit: int = 220) -> str:
    """The first sentence of a comment: the responsible's own one-line summary."""
    if blank(text):
        return ""
    text = " ".join(str(text).split())
    m = re.search(r"(?<!\bt\.ex)[.!?](?=\s+[A-ZÅÄÖ]|$)", text)
    sentence = text[: m.end()] if m else text
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:–")
        sentence = cut + " …"
    return sentence


def verdict_level(share_on_plan: float) -> str:
    """'i huvudsak enligt plan' / 'delvis enligt plan' / 'inte enligt plan' from the share in %."""
    for lowest, label in NIVAER:
        if share_on_plan >= lowest:
            return label
    return NIVAER[-1][1]


def must_have_started(atgard: pd.Series, indicators: pd.DataFrame, period_end: dt.date, year: int) -> str | None:
    """Why the plan needed this åtgärd started by the end of the period, or None.

    The register has no start dates, so a start is required when a date the plan sets for the
    åtgärd has come: its planned completion, a milestone's deadline or a target that applies to
    the year (a yearly target without a year, or one for this year); an åtgärd without a planned
    completion is löpande verksamhet and should always be running.
    """
    done_by = atgard.get("planerat_klart")
    if blank(done_by):
        return "åtgärden är löpande verksamhet"
    if done_by <= period_end:
        return f"planen anger att den ska vara klar {done_by.year}"
    for _, meta in indicators.iterrows():
        if meta["maltyp"] == "milstolpe" and not blank(meta["deadline"]) and meta["deadline"] <= period_end:
            words = meta["deadline_text"] if not blank(meta["deadline_text"]) else str(meta["deadline"])
            return f"en milstolpe har tidsgräns {words}"
        if meta["maltyp"] == "tröskel" and (blank(meta["malar"]) or int(meta["malar"]) == year):
            return f"målet ”{meta['text']}” gäller {year}"
    return None


def _value(meta: pd.Series, value: float) -> str:
    return number_sv(value, decimals_for(meta["typ"], meta["enhet"]))


def deviation_reasons(an, atgard_id: str) -> list[str]:
    """Short Swedish reasons why an åtgärd deviates from the plan this year (empty: none)."""
    st = an.status.loc[atgard_id]
    if st["status"] == "status saknas":
        return ["status har inte rapporterats"]
    if st["status"] == "avslutad":
        return []
    reasons = []
    ind = an.plan.indicators_of(atgard_id)
    if st["status"] == "ej påbörjad":
        period_end = st["period_till"] if not blank(st["period_till"]) else dt.date(an.year, 12, 31)
        why = must_have_started(an.plan.atgard(atgard_id), ind, period_end, an.year)
        if why:
            reasons.append(f"inte påbörjad, fast {why}")
    for iid, meta in ind.iterrows():
        j = an.judgements.loc[iid]
        words = (meta["deadline_text"] if not blank(meta["deadline_text"])
                 else f"senast {date_sv(meta['deadline'])}" if not blank(meta["deadline"]) else "")
        if meta["maltyp"] == "milstolpe" and j["utfall"] == EJ_UPPFYLLT:
            reasons.append(f"milstolpen med tidsgräns {words} är inte nådd")
        elif meta["maltyp"] == "milstolpe" and j["detalj"] == FORSENAT:
            late = (j["uppnatt_datum"] - meta["deadline"]).days
            reasons.append(f"milstolpen med tidsgräns {words} nåddes {plural(late, 'dag', 'dagar')} för sent")
        elif j["utfall"] == EJ_UPPFYLLT:
            ch = an.changes[iid]
            if meta["maltyp"] == "tröskel":
                reasons.append(f"målet ”{meta['text']}” nåddes inte ({_value(meta, ch.varde)})")
            else:
                arrow = f"{_value(meta, ch.varde_fore)} → {_value(meta, ch.varde)}" if not math.isnan(ch.diff) else ""
                reasons.append(f"målet ”{meta['text']}” nåddes inte" + (f" ({arrow})" if arrow else ""))
    return reasons


def signal_of(status: str, reasons: list[str]) -> str:
    if status == "avslutad":
        return EJ_AKTUELL
    return AVVIKELSE if reasons else ENLIGT_PLAN


def signals(an) -> pd.DataFrame:
    """One row per åtgärd in plan order: the overview table's content."""
    rows = []
    per = an.per_atgard
    for aid, st in an.status.iterrows():
        reasons = deviation_reasons(an, aid)
        c = per.loc[aid] if aid in per.index else None
        rows.append({
            "atgard_id": aid, "malomrade_id": int(st["malomrade_id"]), "titel": st["titel"], "ansvarig": st["ansvarig"],
            "status": st["status"], "signal": signal_of(st["status"], reasons), "skal": reasons,
            "sammanfattning": first_sentence(st["kommentar"]),
            "behov_av_justering": st["behov_av_justering"], "justering": st["justering"],
            "uppfyllt": int(c[UPPFYLLT]) if c is not None else 0,
            "delvis": int(c[DELVIS]) if c is not None else 0,
            "ej_uppfyllt": int(c[EJ_UPPFYLLT]) if c is not None else 0,
            "bedomda": int(c["bedomda"]) if c is not None else 0,
            "med_mal": int(c["med_mal"]) if c is not None else 0,
        })
    return pd.DataFrame(rows).set_index("atgard_id", drop=False)


@dataclass(frozen=True)
class Forslag:
    """A proposal kommunstyrelsen is asked to take a position on."""

    atgard_id: str | None
    text: str  # the proposal in the unit's own words
    kalla: str  # 'förslag' (lärdomar file) or 'justering' (the åtgärd's behov av justering)


def proposals(an) -> list[Forslag]:
    """The units' proposals: per åtgärd the förslag they wrote, else the adjustment they need;
    then proposals for the whole plan. In plan order."""
    lar = an.current.lardomar
    forslag = lar[lar["typ"] == "förslag"] if len(lar) else lar
    out: list[Forslag] = []
    for aid in an.plan.order:
        own = forslag[forslag["atgard_id"] == aid] if len(forslag) else forslag
        if len(own):
            out += [Forslag(aid, str(r["text"]), "förslag") for _, r in own.iterrows()]
        elif an.status.at[aid, "behov_av_justering"] == "ja":
            out.append(Forslag(aid, first_sentence(an.status.at[aid, "justering"]), "justering"))
    general = forslag[forslag["atgard_id"].map(blank)] if len(forslag) else forslag
    out += [Forslag(None, str(r["text"]), "förslag") for _, r in general.iterrows()]
    return out


@dataclass(frozen=True)
class Nyckeltal:
    rubrik: str
    varde: str  # the figure, short
    text: str  # one line of context


@dataclass(frozen=True)
class Oversikt:
    year: int
    table: pd.DataFrame  # signals(): one row per åtgärd
    aktuella: int  # åtgärder that are not ej aktuell
    enligt_plan: int
    avvikelser: int
    ej_aktuella: int
    niva: str  # verdict level
    bedomning: str  # the verdict, one or two sentences
    nyckeltal: tuple[Nyckeltal, ...]
    forslag: tuple[Forslag, ...]

    @property
    def deviating(self) -> pd.DataFrame:
        return self.table[self.table["signal"] == AVVIKELSE]

    @property
    def andel_enligt_plan(self) -> float:
        return self.enligt_plan / self.aktuella * 100 if self.aktuella else math.nan


def _status_text(counts: pd.Series) -> str:
    parts = [f"{int(counts[s])} {s if counts[s] == 1 else STATUS_PLURAL[s]}"
             for s in STATUS_PLURAL if counts.get(s, 0)]
    return list_sv(parts)


# Why a target could not be judged this year, in words for a count ("3 inom felmarginalen").
VANTAR = {EJ_BEDOMT_ANNU: "bedöms när året är slut", EJ_FORFALLET: "har inte förfallit än",
          INOM_FELMARGINALEN: "inom felmarginalen", OLIKA_PERIODER: "olika mätperioder", SAKNAS: "uppgift saknas"}


def not_judged_reasons(judgements: pd.DataFrame) -> list[str]:
    """'4 inom felmarginalen', '5 olika mätperioder', …: why targets could not be judged, largest first."""
    pending = judgements[judgements["utfall"] == EJ_BEDOMT]
    words = pending["detalj"].map(lambda d: VANTAR.get(d, "ej jämförbara"))
    return [f"{n} {w}" for w, n in words.value_counts().items()]


def targets_sentence(total: pd.Series, missed: int) -> str:
    """The måluppfyllelse of the year in one sentence (the verdict's second sentence)."""
    judged = int(total["bedomda"])
    if judged == 0:
        return "Inget av planens mål kunde bedömas i år."
    met, late, not_met = int(total[UPPFYLLT]), int(total[DELVIS]), int(total[EJ_UPPFYLLT])
    parts = [f"{met} {'uppfyllt' if met == 1 else 'uppfyllda'}"]
    if late:
        parts.append(f"{late} {'uppfyllt' if late == 1 else 'uppfyllda'} försenat")
    parts.append(f"{not_met} {'ej uppfyllt' if not_met == 1 else 'ej uppfyllda'}")
    text = f"Av {judged} mål som kunde bedömas i år är {list_sv(parts)}"
    if missed:
        text += f", varav {plural(missed, 'milstolpe', 'milstolpar')} som har passerat sin tidsgräns utan att nås"
    return text + "."


def _klimat_figures(an) -> list[Nyckeltal]:
    k = an.klimat
    if k is None:
        return []
    out = []
    label = " (exempeldata)" if k.exempeldata else ""
    agg = k.kommun_insikt
    tot = agg[(agg["omrade"] == fakta.TOTALT) & (agg["matt"] == fakta.NKI) & agg["visas"]] if len(agg) else agg
    if len(tot):
        last = tot.sort_values("ar").iloc[-1]
        cmp = k.comparisons(an.year).get(f"insikt:{fakta.TOTALT}:{fakta.NKI}")
        text = f"mätår {int(last['ar'])}"
        if cmp and cmp["ar"] == int(last["ar"]) and cmp.get("delta") is not None and not math.isnan(cmp["delta"]):
            before = tot[tot["ar"] == cmp["ar_fran"]]
            if len(before):
                text += f", {number_sv(round(float(before.iloc[0]['varde'])))} år {cmp['ar_fran']}"
            text += "; " + {"signifikant förbättring": "en säkerställd förbättring",
                            "signifikant försämring": "en säkerställd försämring",
                            "inom felmarginalen": "förändringen ligger inom felmarginalen",
                            "kan inte bedömas": "felmarginalen är okänd"}.get(cmp["bedomning"], cmp["bedomning"])
        elif cmp:
            text += f"; {cmp['bedomning']}"
        text += jamforgrupper.key_phrase(k)  # the comparison in one phrase (issue 22)
        out.append(Nyckeltal("NKI totalt", number_sv(round(float(last["varde"]))), text + label))
    rd = k.ranking_deltas
    if len(k.ranking):
        pl = k.ranking[k.ranking["matt"] == fakta.PLACERING].sort_values("ar")
        if len(pl):
            last = pl.iloc[-1]
            text = f"av {fakta.RANKING_ANTAL_KOMMUNER} kommuner {int(last['ar'])}"
            d = rd[(rd["matt"] == fakta.PLACERING) & (rd["ar"] == int(last["ar"]))] if len(rd) else rd
            if len(d):
                delta = int(round(d.iloc[0]["delta"]))
                moved = ("upp" if delta < 0 else "ner") if delta else "oförändrad"
                text += f", {moved} {plural(abs(delta), 'placering', 'placeringar')}" if delta else ", oförändrad"
                text += f" från {d.iloc[0]['ar_fran']}"
            om = rd[(rd["matt"] == "omdome") & (rd["ar"] == int(last["ar"]))] if len(rd) else rd
            if len(om):
                r = om.iloc[0]
                word = {"förbättring": "förbättrat", "försämring": "försämrat", "oförändrat": "oförändrat",
                        "inom felmarginalen": "ingen säker förändring"}.get(r["forandring"], r["forandring"])
                text += f"; sammanfattande omdöme {number_sv(r['varde'], 2)}, {word}"
            out.append(Nyckeltal("Svenskt Näringslivs ranking", f"plats {int(last['varde'])}", text + label))
    return out


def build(an) -> Oversikt:
    """The sammanfattande bedömning of a report year, from the Analysis."""
    table = signals(an)
    ej = int((table["signal"] == EJ_AKTUELL).sum())
    dev = int((table["signal"] == AVVIKELSE).sum())
    current = len(table) - ej
    on_plan = current - dev
    share = on_plan / current * 100 if current else 0.0
    level = verdict_level(share)
    total = an.per_malomrade.sum()
    missed = int(sum(1 for iid, j in an.judgements.iterrows()
                     if j["utfall"] == EJ_UPPFYLLT and an.plan.indikatorer.at[iid, "maltyp"] == "milstolpe"))
    first = (f"Genomförandet av handlingsplanen går {level} {an.year}: {on_plan} av {current} aktuella åtgärder "
             f"följer planen och {dev} har avvikelser.")
    verdict = f"{first} {targets_sentence(total, missed)}"
    counts = table["status"].value_counts()
    n_adj = int((table["behov_av_justering"] == "ja").sum())
    judged = int(total["bedomda"])
    pending = not_judged_reasons(an.judgements)
    closed = f"; {plural(ej, 'avslutad åtgärd', 'avslutade åtgärder')} räknas inte" if ej else ""
    figures = [
        Nyckeltal("Åtgärder enligt plan", f"{on_plan} av {current}", f"{percent_sv(share)} av de aktuella{closed}"),
        Nyckeltal("Genomförda åtgärder", f"{int(counts.get('genomförd', 0))} av {len(table)}",
                  _status_text(counts.drop("genomförd", errors="ignore")) or "alla genomförda"),
        Nyckeltal("Mål uppfyllda", f"{int(total[UPPFYLLT])} av {judged}" if judged else "inget bedömt",
                  (f"{percent_sv(total[UPPFYLLT] / judged * 100)} av dem som kunde bedömas" if judged else "")
                  + (f", ytterligare {int(total[DELVIS])} uppfyllda försenat" if int(total[DELVIS]) else "")
                  + (f"; {int(total['med_mal'] - judged)} kunde inte bedömas ({list_sv(pending)})" if pending else "")),
        *_klimat_figures(an),
        Nyckeltal("Behov av justering", plural(n_adj, "åtgärd", "åtgärder"), "enligt de ansvariga"),
    ]
    return Oversikt(an.year, table, current, on_plan, dev, ej, level, verdict, tuple(figures), tuple(proposals(an)))
