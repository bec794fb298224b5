"""The indicator table and trend charts: the core of every åtgärd chapter (and of målområden).

Each indicator with this year, last year, change and judgement, in the indicator's own unit and
with one number of decimals per measure. What is the same for many rows (no target in the plan,
the usual source) is said once under the table instead of in every row, and qualitative answers
get their own room below it.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from helpers.compute.indicators import Change, comparable_stretch, decimals_for, period_sv, same_part_of_year
from helpers.compute.targets import INGET_MAL, milestone_done
from helpers.compute.trends import trend_text
from helpers.core.fmt import SAKNAS, arrow, date_sv, list_sv, number_sv, percent_sv, plural, signed_sv
from helpers.core.missing import blank
from helpers.core.text import quoted_sv, quotes_sv
from helpers.data import plan as register
from helpers.present.charts import trend
from helpers.present.html import Html, esc, table, utfall_badge
from helpers.present.names import serie_namn

NUMERIC_KINDS = ("antal", "andel", "index", "betyg")
# A line through one or two points says no more than the table: a chart needs at least three values.
MIN_POINTS = 3
_MIN_WORD = "tre"
USUAL_SOURCE = "egen uppföljning"


def number_text(meta, value: float) -> str:
    """A number in the indicator's unit and its one number of decimals ('81,5 %', '688', '3,15')."""
    if blank(value) or (isinstance(value, float) and math.isnan(value)):
        return SAKNAS
    d = decimals_for(meta["typ"], meta["enhet"])
    return percent_sv(value, d or 0) if meta["enhet"] == "%" else number_sv(value, d)


def value_text(meta, change_value: float, ch: Change | None = None, *, year_label: int | None = None) -> str:
    """A value as the reader should see it, in the indicator's unit (text escaped)."""
    typ = meta["typ"]
    if typ == "milstolpe":
        return "genomförd" if ch is not None and not blank(ch.uppnatt_datum) else "inte genomförd"
    if typ == "kvalitativ":
        return esc(ch.text) if ch is not None and not blank(ch.text) else SAKNAS
    text = number_text(meta, change_value)
    if year_label is not None and text != SAKNAS:
        text += f" ({year_label})"
    return text


def _row(an, iid: str, year: int | None) -> pd.Series | None:
    if year is None:
        return None
    own = an.values[(an.values["indikator_id"] == iid) & (an.values["ar"] == year)]
    return own.iloc[0] if len(own) else None


def _period_note(period, year: int | None) -> str:
    """'januari–oktober' under a value whose period is not the whole calendar year."""
    if period is None or year is None or period == (dt.date(year, 1, 1), dt.date(year, 12, 31)):
        return ""
    text = period_sv(period).removesuffix(f" {year}")
    return f'<br><small class="uppf-period">{esc(text)}</small>'


def milestone_text(done: dt.date | None, up_to: int) -> str:
    """A milestone's state at the end of `up_to`: done then (with its date) or not yet."""
    if done is not None and done.year <= up_to:
        return f"genomförd {date_sv(done)}"
    return "inte genomförd"


def change_text(meta, ch: Change) -> str:
    """'↑ +15 (+40 %)' with the arrow's meaning spelled out for screen readers, or why there is none."""
    if meta["typ"] in ("milstolpe", "kvalitativ"):
        return "–"
    if not ch.jamforbar:
        return '<small>ej jämförbart: olika perioder</small>'
    if math.isnan(ch.diff):
        return "–" if math.isnan(ch.varde) or math.isnan(ch.varde_fore) else SAKNAS
    d = decimals_for(meta["typ"], meta["enhet"]) or 0
    shown = round(ch.varde, d) - round(ch.varde_fore, d)  # the change between the values as shown
    unit = " procentenheter" if meta["enhet"] == "%" else ""
    rel = "" if math.isnan(ch.diff_rel) or meta["enhet"] in ("%", "index", "betyg") else f" ({signed_sv(ch.diff_rel, 0)}\u00a0%)"
    word = {"↑": "ökning", "↓": "minskning", "→": "oförändrat"}[arrow(shown)]
    history = ""
    if ch.baslinje_ar is not None and ch.baslinje_ar < (ch.ar_fore or 0):
        kind = " (exempeldata)" if ch.exempeldata else ""
        said = trend_text(ch.trend, ch.varde - ch.baslinje, ch.trend_marginal, d)
        history = f"<br><small>Sedan {ch.baslinje_ar} ({number_text(meta, ch.baslinje)}){kind}: {esc(said)}</small>"
    return (f'<span aria-hidden="true">{arrow(shown)}</span> <span class="visually-hidden">{word}</span>'
            f"{signed_sv(shown, d)}{unit}{rel}{history}")


def _ids(an, atgard_id: str | None, indicator_ids: list[str] | None) -> pd.DataFrame:
    return an.plan.indicators_of(atgard_id) if indicator_ids is None else an.plan.indikatorer.loc[indicator_ids]


def indicator_table(an, atgard_id: str | None = None, *, indicator_ids: list[str] | None = None,
                    caption: str | None = None) -> Html:
    """The chapter's core: each indicator with this year, last year, change and judgement."""
    ind = _ids(an, atgard_id, indicator_ids)
    prev, cur = an.previous_year, an.year
    rows = []
    own_sources = ind.loc[ind["serie"].map(blank), "kalla"]
    # The table's common source is said once under it; a row names its source only when it differs.
    usual = own_sources.mode().iloc[0] if len(own_sources) else None
    no_target = False
    for iid, meta in ind.iterrows():
        ch = an.changes[iid]
        j = an.judgements.loc[iid]
        serie = not blank(meta["serie"])
        typ = meta["typ"]
        if typ == "milstolpe":
            done = milestone_done(an.values, iid, cur)
            before, now = milestone_text(done, prev), milestone_text(done, cur)
        elif typ == "kvalitativ":
            before = "se beskrivningen nedan" if _row(an, iid, prev) is not None and not blank(_row(an, iid, prev)["text"]) else SAKNAS
            now = "se beskrivningen nedan" if not blank(ch.text) else SAKNAS
        else:
            now = value_text(meta, ch.varde, ch, year_label=ch.ar if serie and ch.ar != cur else None)
            before = value_text(meta, ch.varde_fore, None, year_label=ch.ar_fore if serie and ch.ar_fore else None)
            if not serie:
                now += _period_note(ch.period, ch.ar) if not math.isnan(ch.varde) else ""
                before += _period_note(ch.period_fore, ch.ar_fore) if not math.isnan(ch.varde_fore) else ""
        notes = []
        if meta["maltyp"] != "ingen":
            notes.append(f"Mål: {esc(register.target_text(meta))}.")
        else:
            no_target = True
        if serie:
            notes.append(f"Källa: {esc(serie_namn(meta['serie']))}.")
        elif meta["kalla"] != usual:
            notes.append(f"Källa: {esc(meta['kalla'])}.")
        if not blank(meta["varde_fran"]):
            same = meta["varde_fran"]
            named = an.plan.indikatorer.at[same, "text"] if same in an.plan.indikatorer.index else same
            notes.append(f"Samma mått som {esc(quoted_sv(named))}.")
        comment = f'<br><small class="uppf-kommentar">Kommentar: {esc(ch.kommentar)}</small>' if not blank(ch.kommentar) else ""
        note = f'<br><small>{" ".join(notes)}</small>' if notes else ""
        if j["utfall"] == INGET_MAL:
            judged = '<span class="uppf-inget-mal" title="Inget mål i planen">–</span>'
        else:
            why = j["forklaring"]
            if not ch.jamforbar and ch.ej_jamforbar_text not in why:
                why = f"{why} {ch.ej_jamforbar_text}"
            judged = f"{utfall_badge(j['utfall'], j['detalj'])}<br><small>{esc(why)}</small>"
            if not blank(j["prognos"]):
                motive = f": {esc(j['prognos_motivering'])}" if not blank(j["prognos_motivering"]) else ""
                judged += f'<br><small class="uppf-prognos">Enhetens prognos: {esc(j["prognos"])}{motive}</small>'
        # Readers see the indicator's name; its code stays in the record tables, the archive and data-indikator.
        rows.append([f'<span class="uppf-indikatornamn" data-indikator="{esc(iid)}">{esc(meta["text"])}</span>{note}{comment}',
                     before, now, change_text(meta, ch), judged])
    out = table(["Indikator", str(prev), str(cur), "Förändring", "Bedömning"], rows,
                caption or f"Indikatorer för åtgärd {atgard_id}, {prev}–{cur}", numeric={1, 2, 3}, cls="uppf-indikatorer")
    legend = []
    if no_target:
        legend.append("– under Bedömning: handlingsplanen anger inget mål för indikatorn, så värdet redovisas utan "
                      "bedömning.")
    if usual is not None:
        who = " (ansvarig enhets rapportering)" if usual == USUAL_SOURCE else ""
        legend.append(f"Källa: {esc(usual)}{who} om inget annat anges.")
    legend.append("Förändringar räknas bara mellan värden som avser samma del av året: ett värde för en del av året "
                  "jämförs med samma period året före.")
    return Html(out + f'<p class="uppf-legend"><small>{" ".join(legend)}</small></p>')


def qualitative_block(an, atgard_id: str | None = None, *, indicator_ids: list[str] | None = None) -> Html:
    """Qualitative indicators in full, this year first and last year's answer after it."""
    ind = _ids(an, atgard_id, indicator_ids)
    ind = ind[ind["typ"] == "kvalitativ"]
    if ind.empty:
        return Html("")
    parts = []
    for iid, meta in ind.iterrows():
        items = []
        for year in (an.year, an.previous_year):
            r = _row(an, iid, year)
            text = esc(r["text"]) if r is not None and not blank(r["text"]) else f"<em>{SAKNAS}</em>"
            items.append(f'<div class="uppf-svar"><p class="uppf-svar-ar">{year}</p><p>{text}</p></div>')
        parts.append(f'<section class="uppf-kvalitativ"><h3>{esc(meta["text"])}</h3>{"".join(items)}</section>')
    return Html("".join(parts))


def indicator_trends(an, atgard_id: str | None = None, indicator_ids: list[str] | None = None) -> Html:
    """One trend chart per numeric indicator with comparable values in at least MIN_POINTS years; a
    shorter series stands in the indicator table, and the page says so in words."""
    ind = _ids(an, atgard_id, indicator_ids)
    figures, short = [], []
    for iid, meta in ind.iterrows():
        if meta["typ"] not in NUMERIC_KINDS or not blank(meta["varde_fran"]):
            continue  # a repeated measure is charted once, under its own id
        own = an.values[(an.values["indikator_id"] == iid) & (an.values["ar"] <= an.year)].dropna(subset=["varde"])
        series = comparable_stretch(own).reset_index(drop=True)
        if series.empty:
            continue
        if len(series) < MIN_POINTS:
            years = list_sv([str(int(y)) for y in series["ar"]])
            short.append(f"{quotes_sv(meta['text'])} ({plural(len(series), 'värde', 'värden')}: {years})")
            continue
        periods = [None if blank(r["period_fran"]) else (r["period_fran"], r["period_till"]) for _, r in series.iterrows()]
        joined = [i == 0 or same_part_of_year(periods[i - 1], periods[i]) for i in range(len(periods))]
        unit = meta["enhet"] if meta["enhet"] in ("%", "index", "betyg", "medelvärde") else "st"
        notes = []
        if len(series) < len(own):
            notes.append(f" Värden före {int(series['ar'].min())} är inte jämförbara (seriebrott) och visas i kapitlet "
                         "Företagsklimatet.")
        if not all(joined) or any(p is not None and p != (dt.date(y, 1, 1), dt.date(y, 12, 31))
                                  for p, y in zip(periods, series["ar"])):
            listed = ", ".join(f"{int(y)}: {period_sv(p)}" for p, y in zip(periods, series["ar"]) if p is not None)
            notes.append(f" Perioder: {listed}." + (" Linjen bryts mellan värden för olika perioder." if not all(joined) else ""))
        figures.append(trend(series[["ar", "varde", "exempeldata"]], quotes_sv(meta["text"]), unit,
                             decimals=decimals_for(meta["typ"], meta["enhet"]), note="".join(notes), joined=joined))
    note = ""
    if short:
        note = (f'<p class="uppf-kort-serie">Diagram visas först när en serie har minst {_MIN_WORD} jämförbara '
                "värden. Dessa indikatorer har färre, och deras värden står i tabellen ovan: "
                f"{esc('; '.join(short))}.</p>")
    if not figures:
        return Html(note or "<p>Åtgärden har inga sifferindikatorer med värden att visa över tid.</p>")
    return Html(note + '<div class="uppf-diagramgrupp">' + "".join(figures) + "</div>")
