"""HTML pieces for the book: accessible tables, status and judgement badges, the exempeldata banner.

Outputs are plain HTML (with captions, scoped headers and text next to every colour) because
myst-nb passes HTML outputs through unchanged, so what the notebook shows is what readers get.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

from helpers.book import atgard_page, malomrade_page
from helpers.format import SAKNAS, arrow, date_sv, number_sv, percent_sv, signed_sv
from helpers.indicators import Change
from helpers import targets
from helpers.targets import UTFALL
from helpers.validate import blank


class Html(str):
    """A string that Jupyter displays as HTML (no IPython import needed in the helpers)."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(value) -> str:
    return "" if blank(value) else html.escape(str(value))


def _slug(text: str) -> str:
    table = str.maketrans("åäöé ", "aaoe-")
    return text.lower().translate(table)


def status_badge(status: str) -> str:
    return f'<span class="uppf-status uppf-status-{_slug(status)}">{esc(status.capitalize())}</span>'


def utfall_badge(utfall: str, detalj: str | None = None) -> str:
    label = detalj if detalj and detalj not in UTFALL and detalj != utfall else utfall
    return f'<span class="uppf-utfall uppf-utfall-{_slug(utfall)}">{esc(label.capitalize())}</span>'


def exempel_banner(files: list[Path], real_note: str | None = None) -> Html:
    """Say plainly, on every page built from invented data, that it is invented."""
    if not files:
        return Html("")
    folders = sorted({f"data/{Path(f).parent.name}/" for f in files})
    names = ", ".join(f"<code>{esc(d)}</code>" for d in folders)
    extra = f" {esc(real_note)}" if real_note else ""
    return Html(
        '<div class="uppf-exempeldata" role="note"><strong>Exempeldata.</strong> '
        "Siffrorna och kommentarerna på den här sidan är påhittade för att visa hur rapporten "
        f"fungerar och beskriver inte verkliga förhållanden. De kommer från filerna märkta "
        f"<code>.exempeldata</code> i {names}.{extra}</div>"
    )


def table(headers: list[str], rows: list[list[str]], caption: str, *, row_header: bool = True,
          numeric: set[int] | None = None, cls: str = "") -> Html:
    """An accessible table: caption, column headers with scope, first cell as row header.

    Cells are HTML already (callers escape text with `esc`).
    """
    numeric = numeric or set()
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{h}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            attr = ' class="num"' if i in numeric else ""
            if i == 0 and row_header:
                cells.append(f'<th scope="row"{attr}>{cell}</th>')
            else:
                cells.append(f"<td{attr}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return Html(
        f'<div class="uppf-tabell-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f'<table class="uppf-tabell {cls}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


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
    return esc(targets.target_text(meta))


def facts(pairs: list[tuple[str, str]], label: str) -> Html:
    """A description list (label: value) for the chapter's key facts."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return Html(f'<dl class="uppf-fakta" aria-label="{esc(label)}">{items}</dl>')


def atgard_summary(an, atgard_id: str) -> Html:
    st = an.status.loc[atgard_id]
    plan_row = an.plan.atgard(atgard_id)
    prev = an.status_prev(atgard_id)
    period = (f"{date_sv(st['period_fran'])} – {date_sv(st['period_till'])}"
              if not blank(st["period_fran"]) else SAKNAS)
    counts = an.per_atgard.loc[atgard_id] if atgard_id in an.per_atgard.index else None
    malupp = SAKNAS
    if counts is not None:
        malupp = (f"{int(counts['uppfyllt'])} uppfyllda, {int(counts['delvis uppfyllt'])} delvis uppfyllda, "
                  f"{int(counts['ej uppfyllt'])} ej uppfyllda och {int(counts['ej bedömt'])} ej bedömda "
                  f"av {int(counts['totalt'])} indikatorer")
    pairs = [
        ("Genomförandestatus", status_badge(st["status"]) + (f" <small>(föregående år: {esc(prev)})</small>" if prev else "")),
        ("Måluppfyllelse", malupp),
        ("Ansvarig", esc(plan_row["ansvarig"])),
        ("Uppföljningsperiod", period),
        ("Uppföljning enligt planen", esc(plan_row["uppfoljningsfrekvens"])),
        ("Planerat klart", date_sv(plan_row["planerat_klart"]) if not blank(plan_row["planerat_klart"]) else "löpande"),
        ("Uppgiftslämnare", esc(st["uppgiftslamnare"]) or SAKNAS),
    ]
    return facts(pairs, f"Sammanfattning av åtgärd {atgard_id}")


def comment_block(an, atgard_id: str) -> Html:
    st = an.status.loc[atgard_id]
    text = esc(st["kommentar"]) if not blank(st["kommentar"]) else "Ingen kommentar har lämnats."
    return Html(f'<blockquote class="uppf-citat"><p>{text}</p>'
                f"<footer>— {esc(st['uppgiftslamnare']) or 'ansvarig'}</footer></blockquote>")


def adjustment_block(an, atgard_id: str) -> Html:
    st = an.status.loc[atgard_id]
    if st["behov_av_justering"] == "ja":
        return Html(f'<p><strong>Ja.</strong> {esc(st["justering"])}</p>')
    if st["behov_av_justering"] == "nej":
        return Html("<p>Nej, ansvarig ser inget behov av att justera åtgärden.</p>")
    return Html(f"<p>{SAKNAS}</p>")


def links_block(an, atgard_id: str) -> Html:
    """Samverkan: the links the plan names, in both directions, with the plan's own words."""
    links = an.plan.links_of(atgard_id)
    if links.empty:
        return Html("<p>Handlingsplanen anger inga kopplingar till andra åtgärder, NKI-frågor eller styrdokument.</p>")
    items = []
    for _, k in links.iterrows():
        if k["typ"] == "åtgärd":
            other = k["till_atgard"] if k["fran_atgard"] == atgard_id else k["fran_atgard"]
            direction = "Kopplad till" if k["fran_atgard"] == atgard_id else "Åtgärd som hänvisar hit:"
            target = f'{direction} <a href="{atgard_page(other)}.html">{esc(an.plan.heading(other))}</a>'
            st = an.status.loc[other, "status"]
            target += f" – status {status_badge(st)}"
        elif k["typ"] in ("nki-fråga", "ranking-faktor"):
            from helpers.foretagsklimat import serie_namn

            label = "Följs i NKI (SKR Insikt)" if k["typ"] == "nki-fråga" else "Följs i Svenskt Näringslivs ranking"
            target = f'{label}: <a href="foretagsklimat.html">{esc(serie_namn(k["till_serie"]))}</a>'
            if an.klimat is not None:
                target += f". {esc(an.klimat.serie_status(k['till_serie']))}"
        else:
            target = f"Styrdokument: {esc(k['till_dokument'])}"
        items.append(f"<li>{target}<br><small>Planens text: ”{esc(k['beskrivning'])}”</small></li>")
    return Html(f'<ul class="uppf-kopplingar">{"".join(items)}</ul>')


def plan_block(an, atgard_id: str) -> Html:
    a = an.plan.atgard(atgard_id)
    pairs = [("Mål och syfte", esc(a["mal_och_syfte"])), ("Tidplan", esc(a["tidplan"])),
             ("Ansvarsfördelning", esc(a["ansvar"])), ("Uppföljning", esc(a["uppfoljning"]))]
    if not blank(a["kommentar"]):
        pairs.append(("Kommentar i planen", esc(a["kommentar"])))
    return facts(pairs, f"Åtgärd {atgard_id} enligt handlingsplanen")


def malomrade_table(an, malomrade_id: int) -> Html:
    rows = []
    for aid, a in an.plan.atgarder_in(malomrade_id).iterrows():
        c = an.per_atgard.loc[aid] if aid in an.per_atgard.index else None
        st = an.status.loc[aid]
        rows.append([
            f'<a href="{atgard_page(aid)}.html">{esc(an.plan.heading(aid))}</a>',
            status_badge(st["status"]),
            *(str(int(c[u])) if c is not None else "0" for u in UTFALL),
            "ja" if st["behov_av_justering"] == "ja" else ("nej" if st["behov_av_justering"] == "nej" else SAKNAS),
        ])
    name = an.plan.malomraden.at[malomrade_id, "namn"]
    return table(["Åtgärd", "Status", "Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt", "Behov av justering"],
                 rows, f"Åtgärder i målområde {malomrade_id} {name}, {an.year}", numeric={2, 3, 4, 5})


def maluppfyllelse_table(an) -> Html:
    rows = []
    for mo, c in an.per_malomrade.iterrows():
        name = an.plan.malomraden.at[mo, "namn"]
        rows.append([f'<a href="{malomrade_page(mo)}.html">{mo}. {esc(name)}</a>',
                     *(str(int(c[u])) for u in UTFALL), str(int(c["bedomda"])),
                     percent_sv(c["andel_uppfyllt"]) if not math.isnan(c["andel_uppfyllt"]) else "ingen bedömd"])
    total = an.per_malomrade[list(UTFALL) + ["bedomda"]].sum()
    share = total["uppfyllt"] / total["bedomda"] * 100 if total["bedomda"] else math.nan
    rows.append(["<strong>Hela handlingsplanen</strong>", *(f"<strong>{int(total[u])}</strong>" for u in UTFALL),
                 f"<strong>{int(total['bedomda'])}</strong>", f"<strong>{percent_sv(share)}</strong>"])
    return table(["Målområde", "Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt", "Bedömda", "Andel uppfyllda"],
                 rows, f"Måluppfyllelse per målområde {an.year} (antal indikatorer)", numeric={1, 2, 3, 4, 5, 6})


def status_table(an) -> Html:
    cols = list(an.status_per_malomrade.columns)
    rows = []
    for mo, c in an.status_per_malomrade.iterrows():
        name = an.plan.malomraden.at[mo, "namn"]
        rows.append([f"{mo}. {esc(name)}", *(str(int(c[s])) for s in cols)])
    totals = an.status_per_malomrade.sum()
    rows.append(["<strong>Alla åtgärder</strong>", *(f"<strong>{int(totals[s])}</strong>" for s in cols)])
    return table(["Målområde", *(esc(s.capitalize()) for s in cols)], rows,
                 f"Genomförandestatus per målområde {an.year} (antal åtgärder)", numeric=set(range(1, len(cols) + 1)))


def justering_list(an) -> Html:
    if an.justeringar.empty:
        return Html("<p>Ingen ansvarig har rapporterat behov av att justera sin åtgärd.</p>")
    items = [f'<li><a href="{atgard_page(aid)}.html">{esc(an.plan.heading(aid))}</a>: {esc(r["justering"])}</li>'
             for aid, r in an.justeringar.iterrows()]
    return Html(f"<ul>{''.join(items)}</ul>")


def lardomar_list(an, typ: str) -> Html:
    rows = an.current.lardomar
    rows = rows[rows["typ"] == typ] if len(rows) else rows
    if rows.empty:
        return Html(f"<p>Inga {'lärdomar' if typ == 'lärdom' else 'förslag'} har rapporterats för {an.year}.</p>")
    items = []
    for _, r in rows.iterrows():
        ref = (f' (<a href="{atgard_page(r["atgard_id"])}.html">åtgärd {esc(r["atgard_id"])}</a>)'
               if not blank(r["atgard_id"]) else "")
        items.append(f"<li>{esc(r['text'])}{ref}</li>")
    return Html(f"<ul>{''.join(items)}</ul>")


def missing_status_note(an) -> Html:
    missing = an.status[an.status["status"] == "status saknas"]
    if missing.empty:
        return Html("")
    names = ", ".join(esc(a) for a in missing.index)
    return Html(f'<p class="uppf-varning" role="note"><strong>Ofullständig rapportering:</strong> '
                f"status saknas för åtgärd {names}.</p>")


def overview_text(an) -> Html:
    """The samlad analys in two sentences, computed from the same tables the page shows."""
    st = an.status["status"].value_counts()
    n = len(an.status)
    plural = {"genomförd": "genomförda", "avslutad": "avslutade", "pågående": "pågående", "ej påbörjad": "ej påbörjade"}
    parts = [f"{int(st.get(s, 0))} {s if st.get(s, 0) == 1 else plural[s]}" for s in plural if st.get(s, 0)]
    if st.get("status saknas", 0):
        parts.append(f"{int(st['status saknas'])} utan rapporterad status")
    total = an.per_malomrade[list(UTFALL) + ["bedomda"]].sum()
    judged = int(total["bedomda"])
    share = f" ({percent_sv(total['uppfyllt'] / judged * 100)})" if judged else ""
    adj = len(an.justeringar)
    listed = ", ".join(parts[:-1]) + (" och " if len(parts) > 1 else "") + parts[-1] if parts else "ingen rapporterad"
    return Html(
        f"<p>Av handlingsplanens {n} åtgärder är {listed} under {an.year}. "
        f"Av {int(total.sum() - total['bedomda'])} indikatorer kunde {judged} bedömas mot planens mål: "
        f"{int(total['uppfyllt'])} är uppfyllda{share}, {int(total['delvis uppfyllt'])} delvis uppfyllda och "
        f"{int(total['ej uppfyllt'])} ej uppfyllda; {int(total['ej bedömt'])} saknar mål, värde eller har inte "
        f"förfallit ännu. {adj} {'åtgärd' if adj == 1 else 'åtgärder'} har enligt ansvarig behov av justering.</p>"
    )


def missing_values_table(an) -> Html:
    """Indicators without a value this year: reported openly instead of silently left out."""
    rows = []
    for iid, ch in an.changes.items():
        meta = an.plan.indikatorer.loc[iid]
        if meta["typ"] in ("milstolpe",) or not ch.saknas:
            continue
        aid = meta["atgard_id"]
        where = f'<a href="{atgard_page(aid)}.html">{esc(aid)}</a>' if not blank(aid) else f"målområde {int(meta['malomrade_id'])}"
        rows.append([esc(iid), esc(meta["text"]), where, esc(meta["kalla"])])
    if not rows:
        return Html(f"<p>Alla indikatorer har värden för {an.year}.</p>")
    return table(["Indikator", "Beskrivning", "Åtgärd", "Källa"], rows,
                 f"Indikatorer där uppgift saknas för {an.year} ({len(rows)} st)")


def malomrade_intro(an, malomrade_id: int) -> Html:
    m = an.plan.malomraden.loc[malomrade_id]
    counts = an.per_malomrade.loc[malomrade_id]
    judged = int(counts["bedomda"])
    share = f"{percent_sv(counts['andel_uppfyllt'])} av de bedömda" if judged else "ingen kunde bedömas"
    return Html(
        f'<p class="uppf-ingress">{esc(m["inriktning"])}</p><p>{esc(m["beskrivning"])}</p>'
        f"<p><strong>Måluppfyllelse {an.year}:</strong> {int(counts['uppfyllt'])} av {int(counts['totalt'])} "
        f"indikatorer uppfyllda ({share}), {int(counts['delvis uppfyllt'])} delvis uppfyllda, "
        f"{int(counts['ej uppfyllt'])} ej uppfyllda och {int(counts['ej bedömt'])} ej bedömda.</p>"
    )


def malomrade_indicators(an, malomrade_id: int) -> Html:
    """Indicators that belong to the målområde itself (e.g. antal erbjudna sommarjobb)."""
    ind = an.plan.indikatorer
    ids = list(ind[(ind["malomrade_id"] == malomrade_id) & ind["atgard_id"].map(blank)].index)
    if not ids:
        return Html("<p>Målområdet har inga egna indikatorer utöver åtgärdernas.</p>")
    from helpers.charts import indicator_trends

    return Html(indicator_table(an, indicator_ids=ids, caption=f"Indikatorer för målområde {malomrade_id}, "
                                f"{an.previous_year}–{an.year}") + indicator_trends(an, indicator_ids=ids))
