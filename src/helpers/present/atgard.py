"""The åtgärd chapter: key facts, the responsible's comment, adjustment, links and the plan's text."""

from __future__ import annotations

from helpers.core.fmt import SAKNAS, date_sv
from helpers.core.missing import blank
from helpers.present.html import Html, esc, facts, status_badge
from helpers.present.names import atgard_page, serie_namn


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
