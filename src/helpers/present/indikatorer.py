"""The indicator table and trend charts: the core of every åtgärd chapter (and of målområden).

Each indicator with this year, last year, change and judgement, in the indicator's own unit.
"""

from __future__ import annotations

import math

from helpers.compute.indicators import Change, comparable_stretch
from helpers.core.fmt import SAKNAS, arrow, date_sv, number_sv, percent_sv, signed_sv
from helpers.core.missing import blank
from helpers.data import plan as register
from helpers.present.charts import trend
from helpers.present.html import Html, esc, table, utfall_badge

NUMERIC_KINDS = ("antal", "andel", "index", "betyg")


def value_text(meta, change_value: float, ch: Change | None = None, *, year_label: int | None = None) -> str:
    """A value as the reader should see it, in the indicator's unit."""
    typ = meta["typ"]
    if typ == "milstolpe":
        return "genomförd" if ch is not None and not blank(ch.uppnatt_datum) else "ej rapporterad som genomförd"
    if typ == "kvalitativ":
        return esc(ch.text) if ch is not None and not blank(ch.text) else SAKNAS
    if math.isnan(change_value):
        return SAKNAS
    enhet = meta["enhet"]
    text = percent_sv(change_value, 1 if not float(change_value).is_integer() else 0) if enhet == "%" else number_sv(change_value)
    if year_label is not None:
        text += f" ({year_label})"
    return text


def change_text(meta, ch: Change) -> str:
    """'↑ +15 (+40 %)' with the arrow's meaning spelled out for screen readers."""
    if meta["typ"] in ("milstolpe", "kvalitativ") or math.isnan(ch.diff):
        return "–" if meta["typ"] in ("milstolpe", "kvalitativ") else SAKNAS
    unit = " procentenheter" if meta["enhet"] == "%" else ""
    rel = "" if math.isnan(ch.diff_rel) or meta["enhet"] == "%" else f" ({signed_sv(ch.diff_rel, 0)}\u00a0%)"
    word = {"↑": "ökning", "↓": "minskning", "→": "oförändrat"}[arrow(ch.diff)]
    history = ""
    if ch.baslinje_ar is not None and ch.baslinje_ar < (ch.ar_fore or 0):
        history = f"<br><small>Sedan {ch.baslinje_ar} ({number_sv(ch.baslinje)}): trend {ch.trend}</small>"
    return (f'<span aria-hidden="true">{arrow(ch.diff)}</span> <span class="visually-hidden">{word}</span>'
            f"{signed_sv(ch.diff)}{unit}{rel}{history}")


def indicator_table(an, atgard_id: str | None = None, *, indicator_ids: list[str] | None = None,
                    caption: str | None = None) -> Html:
    """The chapter's core: each indicator with this year, last year, change and judgement."""
    plan = an.plan
    ind = plan.indicators_of(atgard_id) if indicator_ids is None else plan.indikatorer.loc[indicator_ids]
    rows = []
    for iid, meta in ind.iterrows():
        ch = an.changes[iid]
        j = an.judgements.loc[iid]
        serie = not blank(meta["serie"])
        now = value_text(meta, ch.varde, ch, year_label=ch.ar if serie and ch.ar != an.year else None)
        before = value_text(meta, ch.varde_fore, None, year_label=ch.ar_fore if serie else None)
        if meta["typ"] == "milstolpe":
            before = "–"
            done = ch.uppnatt_datum if not blank(ch.uppnatt_datum) else None
            now = f"genomförd {date_sv(done)}" if done else "ej rapporterad som genomförd"
        source = esc(meta["kalla"]) + (f" ({esc(meta['serie'])})" if serie else "")
        if not blank(meta["varde_fran"]):
            source += f"; samma mått som {esc(meta['varde_fran'])}"
        comment = f'<br><small class="uppf-kommentar">Kommentar: {esc(ch.kommentar)}</small>' if not blank(ch.kommentar) else ""
        rows.append([
            f'<span class="uppf-id">{esc(iid)}</span> {esc(meta["text"])}'
            f'<br><small>Mål: {target_text(meta)}. Källa: {source}.</small>{comment}',
            before, now, change_text(meta, ch),
            f"{utfall_badge(j['utfall'], j['detalj'])}<br><small>{esc(j['forklaring'])}</small>",
        ])
    prev, cur = an.previous_year, an.year
    return table(["Indikator", str(prev), str(cur), "Förändring", "Bedömning"], rows,
                 caption or f"Indikatorer för åtgärd {atgard_id}, {prev}–{cur}", numeric={1, 2, 3}, cls="uppf-indikatorer")


def target_text(meta) -> str:
    return esc(register.target_text(meta))


def indicator_trends(an, atgard_id: str | None = None, indicator_ids: list[str] | None = None) -> Html:
    """One trend chart per numeric indicator that has at least one value."""
    ind = an.plan.indicators_of(atgard_id) if indicator_ids is None else an.plan.indikatorer.loc[indicator_ids]
    figures = []
    for iid, meta in ind.iterrows():
        if meta["typ"] not in NUMERIC_KINDS or not blank(meta["varde_fran"]):
            continue  # a repeated measure is charted once, under its own id
        own = an.values[(an.values["indikator_id"] == iid) & (an.values["ar"] <= an.year)].dropna(subset=["varde"])
        series = comparable_stretch(own)[["ar", "varde", "exempeldata"]]
        if series.empty:
            continue
        unit = {"%": "%", "index": "index", "betyg": "betyg"}.get(meta["enhet"], "st")
        note = ""
        if len(series) < len(own):
            note = (f" Värden före {int(series['ar'].min())} är inte jämförbara (seriebrott) och visas i kapitlet "
                    "Företagsklimatet.")
        figures.append(trend(series, f"{iid} {meta['text']}", unit, exempeldata=bool(series["exempeldata"].any()),
                             note=note))
    if not figures:
        return Html("<p>Åtgärden har inga sifferindikatorer med värden att visa över tid.</p>")
    return Html('<div class="uppf-diagramgrupp">' + "".join(figures) + "</div>")
