"""The sammanfattande bedömning: a signal per åtgärd, the deviations, the verdict and key figures.

Kommunstyrelsen reads the report to decide; this module turns the judgements and the units' own
forecasts into the few statements a decision needs, each by one stated rule, the same in every
edition (repeated for readers in *Om rapporten*):

Signal per åtgärd: the worst of its reasons, words first and colour second.
    *avvikelse*: status not reported; a milestone whose deadline passed without it being done; a
    threshold target of the year not reached when the year is over; an åtgärd reported genomförd
    while a target of the year is not met; the unit's forecast that a target (or the åtgärd) will
    not be met.
    *risk*: a milestone reached late; a measured change against a direction target ("ska öka" and
    the value fell, beyond any margin of error) even when the target is due later; a value that was
    due and is missing; the unit's forecast of a risk; an åtgärd not started although the plan
    needed it started (`must_have_started`), or still not done after its planned completion.
    *ej aktuell* when the åtgärd is avslutad; otherwise *enligt plan*.

Verdict
    from the share of current åtgärder (all but ej aktuell) that are enligt plan: at least 75 %
    "i huvudsak enligt plan", at least 50 % "delvis enligt plan", below that "inte enligt plan".
    The thresholds are this project's choice (a plain three-step scale, like the common
    green/yellow/red of kommunal målrapporter); the verdict says when one åtgärd more or less would
    change it, and gives last year's figures beside this year's.

Every number in the texts comes from the tables computed here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import pandas as pd

from helpers.compute import forslag, jamforgrupper
from helpers.compute.indicators import decimals_for
from helpers.compute.targets import EJ_BEDOMT, EJ_UPPFYLLT, FOR_SENT, SAKNAS, UPPFYLLT
from helpers.core.fmt import capitalised, count_sv, date_sv, list_sv, number_sv, percent_sv, plural, words_sv
from helpers.core.missing import blank
from helpers.core.text import quoted_sv
from helpers.data import fakta
from helpers.data.inputs import PROGNOS_NEJ, PROGNOS_RISK

ENLIGT_PLAN = "enligt plan"
RISK = "risk"
AVVIKELSE = "avvikelse"
EJ_AKTUELL = "ej aktuell"
SIGNALER = (ENLIGT_PLAN, RISK, AVVIKELSE, EJ_AKTUELL)
_ORDER = {ENLIGT_PLAN: 0, RISK: 1, AVVIKELSE: 2}

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
            return f"målet {quoted_sv(meta['text'])} gäller {year}"
    return None


def _value(meta: pd.Series, value: float) -> str:
    return number_sv(value, decimals_for(meta["typ"], meta["enhet"]))


def _goal(meta: pd.Series) -> str:
    return quoted_sv(meta['text'])


def signal_reasons(an, atgard_id: str) -> list[tuple[str, str]]:
    """(level, reason) for everything that keeps an åtgärd from being enligt plan this year."""
    st = an.status.loc[atgard_id]
    if st["status"] == "status saknas":
        return [(AVVIKELSE, "status har inte rapporterats")]
    if st["status"] == "avslutad":
        return []
    out: list[tuple[str, str]] = []
    ind = an.plan.indicators_of(atgard_id)
    period_end = st["period_till"] if not blank(st["period_till"]) else dt.date(an.year, 12, 31)
    plan_row = an.plan.atgard(atgard_id)
    if st["status"] == "ej påbörjad":
        why = must_have_started(plan_row, ind, period_end, an.year)
        soon = [j for _, j in an.judgements[an.judgements["atgard_id"] == atgard_id].iterrows()
                if j["utfall"] == EJ_BEDOMT and not blank(j["forfaller"]) and (j["forfaller"] - period_end).days <= 366]
        if why:
            out.append((RISK, f"inte påbörjad, fast {why}"))
        elif soon:
            out.append((RISK, f"inte påbörjad, fast ett mål förfaller {date_sv(min(j['forfaller'] for j in soon))}"))
    done_by = plan_row.get("planerat_klart")
    if st["status"] in ("pågående", "ej påbörjad") and not blank(done_by) and done_by < period_end:
        out.append((RISK, f"inte klar, fast planen angav att den skulle vara klar {date_sv(done_by)}"))
    own_forecast = st.get("prognos")
    if own_forecast in (PROGNOS_NEJ, PROGNOS_RISK):
        level = AVVIKELSE if own_forecast == PROGNOS_NEJ else RISK
        said = "inte kommer att genomföras enligt planen" if level == AVVIKELSE else "riskerar att inte genomföras enligt planen"
        out.append((level, f"ansvarig bedömer att åtgärden {said}"))
    for iid, meta in ind.iterrows():
        j = an.judgements.loc[iid]
        words = (meta["deadline_text"] if not blank(meta["deadline_text"])
                 else f"senast {date_sv(meta['deadline'])}" if not blank(meta["deadline"]) else "")
        ch = an.changes[iid]
        if meta["maltyp"] == "milstolpe" and j["utfall"] == EJ_UPPFYLLT:
            out.append((AVVIKELSE, f"milstolpen med tidsgräns {words} är inte nådd"))
        elif j["utfall"] == FOR_SENT:
            late = (j["uppnatt_datum"] - meta["deadline"]).days
            out.append((RISK, f"milstolpen med tidsgräns {words} nåddes {plural(late, 'dag', 'dagar')} för sent"))
        elif meta["maltyp"] == "tröskel" and j["utfall"] == EJ_UPPFYLLT:
            out.append((AVVIKELSE, f"målet {_goal(meta)} nåddes inte ({_value(meta, ch.varde)})"))
        elif j["mot_malet"]:
            out.append((RISK, f"{_goal(meta)}: {_value(meta, ch.varde_fore)} → {_value(meta, ch.varde)}, "
                              f"fel riktning"))
        elif j["utfall"] == SAKNAS:
            out.append((RISK, f"uppgift saknas för {meta['text'][:1].lower()}{meta['text'][1:]}"))
        if (st["status"] == "genomförd" and meta["maltyp"] == "tröskel" and j["utfall"] == EJ_BEDOMT
                and not math.isnan(ch.varde) and ch.varde < float(meta["malvarde"])):
            out.append((AVVIKELSE, f"rapporterad som genomförd, men målet {_goal(meta)} är inte nått "
                                   f"({_value(meta, ch.varde)})"))
        if j["prognos"] in (PROGNOS_NEJ, PROGNOS_RISK):
            level = AVVIKELSE if j["prognos"] == PROGNOS_NEJ else RISK
            said = "inte kommer att nås" if level == AVVIKELSE else "riskerar att inte nås"
            out.append((level, f"ansvarig bedömer att målet {_goal(meta)} {said}"))
    return out


def deviation_reasons(an, atgard_id: str) -> list[str]:
    """The reasons alone, worst first."""
    return [text for _, text in sorted(signal_reasons(an, atgard_id), key=lambda r: -_ORDER[r[0]])]


def contradictions(an) -> list[str]:
    """Genomförd while a target of the year is not met: the analyst should check the status."""
    out = []
    for aid, st in an.status.iterrows():
        if st["status"] != "genomförd":
            continue
        for iid, meta in an.plan.indicators_of(aid).iterrows():
            j, ch = an.judgements.loc[iid], an.changes[iid]
            if meta["maltyp"] not in ("tröskel", "milstolpe"):
                continue  # effect measures (NKI, ranking, counts that should rise) do not contradict a status
            unmet = j["utfall"] == EJ_UPPFYLLT or (meta["maltyp"] == "tröskel" and j["utfall"] == EJ_BEDOMT
                                                   and not math.isnan(ch.varde) and ch.varde < float(meta["malvarde"]))
            if unmet:
                out.append(f"åtgärd {aid} är rapporterad som genomförd, men målet för {iid} ({quoted_sv(meta['text'])}) är "
                           f"inte uppfyllt: {j['forklaring']} Kontrollera status eller målet.")
    return out


def signal_of(status: str, reasons) -> str:
    """The worst level among the reasons (plain strings count as avvikelse)."""
    if status == "avslutad":
        return EJ_AKTUELL
    levels = [r[0] if isinstance(r, tuple) else AVVIKELSE for r in reasons]
    return max(levels, key=_ORDER.get) if levels else ENLIGT_PLAN


def signals(an) -> pd.DataFrame:
    """One row per åtgärd in plan order: the overview table's content."""
    rows = []
    per = an.per_atgard
    for aid, st in an.status.iterrows():
        levelled = signal_reasons(an, aid)
        reasons = [text for _, text in sorted(levelled, key=lambda r: -_ORDER[r[0]])]
        c = per.loc[aid] if aid in per.index else None
        rows.append({
            "atgard_id": aid, "malomrade_id": int(st["malomrade_id"]), "titel": st["titel"], "ansvarig": st["ansvarig"],
            "status": st["status"], "signal": signal_of(st["status"], levelled), "skal": reasons,
            **unit_summary(st),
            "behov_av_justering": st["behov_av_justering"], "justering": st["justering"],
            "uppfyllt": int(c[UPPFYLLT]) if c is not None else 0,
            "for_sent": int(c[FOR_SENT]) if c is not None else 0,
            "ej_uppfyllt": int(c[EJ_UPPFYLLT]) if c is not None else 0,
            "bedomda": int(c["bedomda"]) if c is not None else 0,
            "med_mal": int(c["med_mal"]) if c is not None else 0,
        })
    return pd.DataFrame(rows).set_index("atgard_id", drop=False)


SAMMANFATTNING_UR_KOMMENTAR = "kommentar"  # sammanfattning_kalla when the unit gave no summary


def unit_summary(st: pd.Series) -> dict:
    """The unit's one-line summary, whole. A year file without one (made before the mall asked for
    it, or left blank) gets the kommentar's first sentence instead, marked as such by
    `sammanfattning_kalla` so that readers are told it is not the unit's summary."""
    own = st.get("sammanfattning")
    if not blank(own):
        return {"sammanfattning": " ".join(str(own).split()), "sammanfattning_kalla": "sammanfattning"}
    first = first_sentence(st["kommentar"])
    return {"sammanfattning": first, "sammanfattning_kalla": SAMMANFATTNING_UR_KOMMENTAR if first else ""}


def closed_sentence(table: pd.DataFrame, board: list[forslag.Justering]) -> str:
    """Which åtgärder the verdict leaves out as avslutade, and which of those closures the board
    is asked to decide: never a silent change of the denominator."""
    closed = list(table.index[table["signal"] == EJ_AKTUELL])
    if not closed:
        return ""
    asked = [j.atgard_id for j in board if j.typ == "åtgärden avslutas" and j.atgard_id in closed]
    who = f"Åtgärd {closed[0]}" if len(closed) == 1 else f"Åtgärderna {list_sv(closed)}"
    pron = "den" if len(closed) == 1 else "de"
    text = f"{who} räknas inte: {pron} rapporteras som avslutad{'e' if len(closed) > 1 else ''}"
    if asked == closed:
        text += " och föreslås utgå ur planen"
    elif asked:
        text += f"; {list_sv(asked)} föreslås utgå ur planen"
    return text + "."


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
    forslag: tuple[forslag.Justering, ...]  # förslag till beslut: what only kommunstyrelsen decides
    risker: int = 0
    forra: Forra | None = None  # last year's figures
    egna: tuple[forslag.Justering, ...] = ()  # the units' own steps within the plan

    @property
    def deviating(self) -> pd.DataFrame:
        """Åtgärder with an avvikelse or a risk, avvikelser first: what the board must look at."""
        rows = self.table[self.table["signal"].isin((AVVIKELSE, RISK))]
        return rows.assign(_o=rows["signal"].map(_ORDER)).sort_values("_o", ascending=False, kind="stable").drop(columns="_o")

    @property
    def andel_enligt_plan(self) -> float:
        return self.enligt_plan / self.aktuella * 100 if self.aktuella else math.nan


def _status_text(counts: pd.Series) -> str:
    parts = [f"{words_sv(int(counts[s]))} {s if counts[s] == 1 else STATUS_PLURAL[s]}"
             for s in STATUS_PLURAL if counts.get(s, 0)]
    return list_sv(parts)


# Why a target is not judged yet, in words for a count ("3 bedöms när året är slut").
VANTAR = (("året är inte slut", "bedöms när året är slut"), ("tidsgränsen", "har inte förfallit än"),
          ("inget tidigare värde", "har inget tidigare värde att jämföra med"),
          ("värdena avser olika perioder", "har värden för olika perioder"))


def waiting_for(detalj: str) -> str:
    for start, words in VANTAR:
        if str(detalj).startswith(start):
            return words
    return str(detalj)


def not_judged_reasons(judgements: pd.DataFrame) -> list[str]:
    """'fyra bedöms när året är slut', 'ett har inte förfallit än', …: why targets are not judged yet, largest first."""
    pending = judgements[judgements["utfall"] == EJ_BEDOMT]
    words = pending["detalj"].map(waiting_for)
    return [f"{words_sv(n, neuter=True)} {w}" for w, n in words.value_counts().items()]


def targets_sentence(total: pd.Series, missed: int) -> str:
    """The måluppfyllelse of the year in one sentence (the verdict's second sentence)."""
    judged = int(total["bedomda"])
    if judged == 0:
        return "Inget av planens mål skulle vara uppfyllt i år."
    met, late, not_met, gone = int(total["uppfyllda"]), int(total[FOR_SENT]), int(total[EJ_UPPFYLLT]), int(total[SAKNAS])
    late_words = f" (varav {words_sv(late, neuter=True)} {'uppfyllt' if late == 1 else 'uppfyllda'} för sent)" if late else ""
    parts = [f"{met} {'uppfyllt' if met == 1 else 'uppfyllda'}{late_words}"]
    parts.append(f"{not_met} {'ej uppfyllt' if not_met == 1 else 'ej uppfyllda'}")
    if gone:
        parts.append(f"för {words_sv(gone, neuter=True)} saknas uppgift")
    text = f"Av {judged} mål som skulle vara uppfyllda i år är {list_sv(parts)}"
    if missed:
        text += f", varav {count_sv(missed, 'milstolpe', 'milstolpar')} som har passerat sin tidsgräns utan att nås"
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


@dataclass(frozen=True)
class Forra:
    """Last year's verdict in figures, beside this year's."""

    year: int
    enligt_plan: int
    aktuella: int
    uppfyllda: int
    bedomda: int
    niva: str

    @property
    def andel_enligt_plan(self) -> float:
        return self.enligt_plan / self.aktuella * 100 if self.aktuella else math.nan

    @property
    def andel_uppfyllda(self) -> float:
        return self.uppfyllda / self.bedomda * 100 if self.bedomda else math.nan


def summary_of(o: Oversikt, total: pd.Series) -> Forra:
    return Forra(o.year, o.enligt_plan, o.aktuella, int(total["uppfyllda"]), int(total["bedomda"]), o.niva)


def margin_sentence(on_plan: int, current: int) -> str:
    """Said when one åtgärd more or less would change the verdict, or the share lies on a line."""
    if not current:
        return ""
    level = verdict_level(on_plan / current * 100)
    out = []
    if on_plan and verdict_level((on_plan - 1) / current * 100) != level:
        worse = verdict_level((on_plan - 1) / current * 100)
        on_line = any(math.isclose(on_plan / current * 100, lo) for lo, _ in NIVAER)
        said = f"en åtgärd till med risk eller avvikelse ger bedömningen {worse}."
        out.append(f"Andelen ligger exakt på gränsen: {said}" if on_line else capitalised(said))
    if on_plan < current and verdict_level((on_plan + 1) / current * 100) != level:
        better = verdict_level((on_plan + 1) / current * 100)
        out.append(f"En åtgärd till enligt plan ger bedömningen {better}.")
    return " ".join(out)


def counted(current: int, closed: int, *, words: bool = False) -> str:
    """'16 åtgärder', or '16 åtgärder som inte är avslutade' when some are: the verdict's denominator in plain
    words (with `words`, 'fyra åtgärder' as running text writes small numbers)."""
    shown = (count_sv if words else plural)(current, "åtgärd", "åtgärder")
    return shown + (f" som inte {'är avslutad' if current == 1 else 'är avslutade'}" if closed else "")


def build(an, forra: Forra | None = None) -> Oversikt:
    """The sammanfattande bedömning of a report year, from the Analysis (and last year's figures)."""
    table = signals(an)
    ej = int((table["signal"] == EJ_AKTUELL).sum())
    dev = int((table["signal"] == AVVIKELSE).sum())
    risk = int((table["signal"] == RISK).sum())
    current = len(table) - ej
    on_plan = current - dev - risk
    share = on_plan / current * 100 if current else 0.0
    level = verdict_level(share)
    total = an.per_malomrade.sum()
    missed = int(sum(1 for iid, j in an.judgements.iterrows()
                     if j["utfall"] == EJ_UPPFYLLT and an.plan.indikatorer.at[iid, "maltyp"] == "milstolpe"))
    last = (f" ({forra.year}: {forra.enligt_plan} av {forra.aktuella}, {percent_sv(forra.andel_enligt_plan)})"
            if forra is not None and forra.aktuella else "")
    first = (f"Genomförandet av handlingsplanen går {level} {an.year}: {on_plan} av {counted(current, ej)} "
             f"({percent_sv(share)}) följer planen{last}, {words_sv(risk)} med risk och {words_sv(dev)} med avvikelse.")
    board = forslag.till_beslut(an)
    verdict = " ".join(x for x in (first, closed_sentence(table, board), margin_sentence(on_plan, current),
                                   targets_sentence(total, missed)) if x)
    counts = table["status"].value_counts()
    n_adj = int((table["behov_av_justering"] == "ja").sum())
    judged, met = int(total["bedomda"]), int(total["uppfyllda"])
    pending = not_judged_reasons(an.judgements)
    closed = f"; {count_sv(ej, 'avslutad åtgärd', 'avslutade åtgärder')} räknas inte" if ej else ""
    before_plan = f"; {forra.year}: {percent_sv(forra.andel_enligt_plan)}" if forra is not None and forra.aktuella else ""
    before_met = (f"; {forra.year}: {percent_sv(forra.andel_uppfyllda)}" if forra is not None and forra.bedomda else "")
    late = int(total[FOR_SENT])
    figures = [
        Nyckeltal("Åtgärder enligt plan", f"{on_plan} av {current}",
                  f"{percent_sv(share)}{before_plan}{closed}"),
        Nyckeltal("Genomförda åtgärder", f"{int(counts.get('genomförd', 0))} av {len(table)}",
                  _status_text(counts.drop("genomförd", errors="ignore")) or "alla genomförda"),
        Nyckeltal("Mål uppfyllda", f"{met} av {judged}" if judged else "inget mål att bedöma",
                  (f"{percent_sv(met / judged * 100)} av dem som skulle vara uppfyllda i år" if judged else "")
                  + (f", varav {words_sv(late, neuter=True)} {'uppfyllt' if late == 1 else 'uppfyllda'} för sent"
                     if late else "") + before_met
                  + (f"; {words_sv(int(total['med_mal'] - judged), neuter=True)} bedöms senare ({list_sv(pending)})"
                     if pending else "")),
        *_klimat_figures(an),
        Nyckeltal("Behov av justering", plural(n_adj, "åtgärd", "åtgärder"), "enligt de ansvariga"),
    ]
    return Oversikt(an.year, table, current, on_plan, dev, ej, level, verdict, tuple(figures), tuple(board),
                    risk, forra, tuple(forslag.egna_atgarder(an)))
