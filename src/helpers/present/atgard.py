"""The åtgärd chapter: a one-line verdict, the responsible's own account, key facts, adjustment,
links and the plan's text – each said once."""

from __future__ import annotations

from helpers.compute.oversikt import AVVIKELSE, EJ_AKTUELL, RISK, not_judged_reasons
from helpers.compute.targets import EJ_AKTUELLT, EJ_BEDOMT, EJ_UPPFYLLT, FOR_SENT, INGET_MAL
from helpers.core.fmt import SAKNAS, capitalised, count_sv, date_sv, list_sv, number_sv, words_sv
from helpers.core.missing import blank
from helpers.core.text import quoted_sv
from helpers.present.html import Html, esc, facts, signal_badge, status_badge
from helpers.present.names import atgard_page, serie_namn


def _sentence(parts: list[str]) -> str:
    text = list_sv(parts)
    return capitalised(text)


def maluppfyllelse_text(counts, judgements=None) -> str:
    """'ett uppfyllt av två mål som skulle vara uppfyllda i år, ett mål ej bedömt ännu (ett bedöms när året är slut)
    och tre indikatorer utan mål i planen': every count with its reason, small numbers in words."""
    if counts is None:
        return SAKNAS
    judged = int(counts["bedomda"])
    parts = []
    if judged:
        met, late, not_met, gone = (int(counts["uppfyllda"]), int(counts[FOR_SENT]), int(counts[EJ_UPPFYLLT]),
                                    int(counts[SAKNAS]))
        bits = []
        if met:
            bits.append(f"{words_sv(met, neuter=True)} {'uppfyllt' if met == 1 else 'uppfyllda'}"
                        + (f" (varav {words_sv(late, neuter=True)} {'uppfyllt' if late == 1 else 'uppfyllda'} för sent)"
                           if late else ""))
        if not_met:
            bits.append(f"{words_sv(not_met, neuter=True)} ej {'uppfyllt' if not_met == 1 else 'uppfyllda'}")
        if gone:
            bits.append(f"{words_sv(gone, neuter=True)} där uppgift saknas")
        parts.append(f"{list_sv(bits)} av {count_sv(judged, 'mål', 'mål', neuter=True)} som skulle vara "
                     f"{'uppfyllt' if judged == 1 else 'uppfyllda'} i år")
    if int(counts[EJ_BEDOMT]):
        why = not_judged_reasons(judgements) if judgements is not None else []
        n = int(counts[EJ_BEDOMT])
        parts.append(f"{count_sv(n, 'mål', 'mål', neuter=True)} ej {'bedömt' if n == 1 else 'bedömda'} ännu"
                     + (f" ({', '.join(why)})" if why else ""))
    if int(counts[INGET_MAL]):
        parts.append(f"{count_sv(int(counts[INGET_MAL]), 'indikator', 'indikatorer')} utan mål i planen")
    if int(counts[EJ_AKTUELLT]):
        n = int(counts[EJ_AKTUELLT])
        parts.append(f"{count_sv(n, 'indikator', 'indikatorer')} inte {'aktuell' if n == 1 else 'aktuella'} i år")
    return _sentence(parts) or SAKNAS


def maluppfyllelse_kort(counts) -> str:
    """The short form for overview tables: '1 av 2 uppfyllda', 'ej bedömt ännu', 'inga mål i planen'."""
    if counts is None:
        return SAKNAS
    judged = int(counts["bedomda"])
    if judged:
        met, late = int(counts["uppfyllda"]), int(counts[FOR_SENT])
        text = f"{met} av {judged} {'uppfyllt' if judged == 1 else 'uppfyllda'}"
        if late:
            text += f", varav {late} för sent"
        return text
    if int(counts["med_mal"]):
        return "ej bedömt ännu"
    if int(counts[EJ_AKTUELLT]) and not int(counts[INGET_MAL]):
        return "ej aktuellt"
    return "inga mål i planen"


def atgard_verdict(an, atgard_id: str) -> Html:
    """The chapter's first line: the signal and why, then status, targets and adjustment in brief."""
    row = an.oversikt.table.loc[atgard_id]
    status = row["status"]
    prev = an.status_prev(atgard_id)
    since = f" (förra året: {esc(prev)})" if prev and prev != status else ""
    if row["signal"] == AVVIKELSE:
        lead = "Avviker från planen: " + esc("; ".join(row["skal"])) + "."
    elif row["signal"] == RISK:
        lead = "Risk för avvikelse: " + esc("; ".join(row["skal"])) + "."
    elif row["signal"] == EJ_AKTUELL:
        lead = "Avslutad: åtgärden följs inte upp längre."
    else:
        lead = "Följer planen."
    counts = an.per_atgard.loc[atgard_id] if atgard_id in an.per_atgard.index else None
    adjust = " Ansvarig ser behov av justering (se nedan)." if row["behov_av_justering"] == "ja" else ""
    return Html(f'<p class="uppf-dom">{signal_badge(row["signal"])} <strong>{lead}</strong> '
                f"Status {an.year}: {status_badge(status)}{since}. Mål: {esc(maluppfyllelse_kort(counts))}.{adjust}</p>")


def atgard_summary(an, atgard_id: str) -> Html:
    st = an.status.loc[atgard_id]
    plan_row = an.plan.atgard(atgard_id)
    period = (f"{date_sv(st['period_fran'])} – {date_sv(st['period_till'])}"
              if not blank(st["period_fran"]) else SAKNAS)
    counts = an.per_atgard.loc[atgard_id] if atgard_id in an.per_atgard.index else None
    own = an.judgements[an.judgements["atgard_id"] == atgard_id]
    pairs = [
        ("Måluppfyllelse", esc(maluppfyllelse_text(counts, own))),
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


def _said_on_page(an, atgard_id: str, text: str) -> bool:
    """True when the plan's words already stand elsewhere on the page (plan text or an indicator)."""
    a = an.plan.atgard(atgard_id)
    said = [a["mal_och_syfte"], a["kommentar"], a["uppfoljning"], *an.plan.indicators_of(atgard_id)["text"]]
    words = " ".join(str(text).split()).rstrip(".")
    return any(not blank(s) and words in " ".join(str(s).split()) for s in said)


def _plain_series_status(an, serie: str) -> str:
    """Latest value of a linked series and how it changed, without test names or p-values."""
    ind = an.plan.indikatorer
    own = ind[ind["serie"] == serie]
    if len(own):
        j = an.judgements.loc[own.index[0]]
        return j["forklaring"] if j["utfall"] not in (INGET_MAL,) else ""
    values = an.klimat.series_values() if an.klimat is not None else None
    if values is None or values.empty:
        return ""
    mine = values[values["serie"] == serie].sort_values("ar")
    if mine.empty:
        return "Inga publicerade värden ännu."
    last = mine.iloc[-1]
    d = 0 if serie.startswith("insikt:") else 2
    label = " (exempeldata)" if bool(last["exempeldata"]) else ""
    return f"Senaste värde {number_sv(float(last['varde']), d)} ({int(last['ar'])}){label}."


def links_block(an, atgard_id: str) -> Html:
    """Samverkan: the links the plan names, in both directions; the plan's words only where they
    are not already on the page."""
    links = an.plan.links_of(atgard_id)
    if links.empty:
        return Html("<p>Handlingsplanen anger inga kopplingar till andra åtgärder, NKI-frågor eller styrdokument.</p>")
    items = []
    for _, k in links.iterrows():
        if k["typ"] == "åtgärd":
            other = k["till_atgard"] if k["fran_atgard"] == atgard_id else k["fran_atgard"]
            direction = "Kopplad till" if k["fran_atgard"] == atgard_id else "Åtgärd som hänvisar hit:"
            target = f'{direction} <a href="{atgard_page(other)}.html">{esc(an.plan.heading(other))}</a>'
            target += f" – status {status_badge(an.status.loc[other, 'status'])}"
        elif k["typ"] in ("nki-fråga", "ranking-faktor"):
            label = "Följs i NKI (SKR Insikt)" if k["typ"] == "nki-fråga" else "Följs i Svenskt Näringslivs ranking"
            target = f'{label}: <a href="foretagsklimat.html">{esc(serie_namn(k["till_serie"]))}</a>'
            status = _plain_series_status(an, k["till_serie"])
            if status:
                target += f". {esc(status)}"
        else:
            target = f"Styrdokument: {esc(k['till_dokument'])}"
        quote = ""
        if k["fran_atgard"] == atgard_id and not _said_on_page(an, atgard_id, k["beskrivning"]):
            quote = f"<br><small>Planens text: {esc(quoted_sv(k['beskrivning']))}</small>"
        items.append(f"<li>{target}{quote}</li>")
    return Html(f'<ul class="uppf-kopplingar">{"".join(items)}</ul>')


def plan_block(an, atgard_id: str) -> Html:
    a = an.plan.atgard(atgard_id)
    pairs = [("Mål och syfte", esc(a["mal_och_syfte"])), ("Tidplan", esc(a["tidplan"])),
             ("Ansvarsfördelning", esc(a["ansvar"])), ("Uppföljning", esc(a["uppfoljning"]))]
    if not blank(a["kommentar"]):
        pairs.append(("Kommentar i planen", esc(a["kommentar"])))
    # The plan's own words, quoted as a quote and attributed, never retold.
    return Html(f'<blockquote class="uppf-citat uppf-plancitat">{facts(pairs, f"Åtgärd {atgard_id} enligt handlingsplanen")}'
                f"<footer>— {esc(an.config.planens_namn)}, åtgärd {esc(atgard_id)}</footer></blockquote>")
