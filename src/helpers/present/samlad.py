"""The sammanfattande bedömning and the samlad analys: verdict, key figures, deviations, proposals,
every åtgärd at a glance, then status and måluppfyllelse per målområde, lärdomar and gaps.

The start page shows the first part (`bedomning_html`, `oversikt_table`); the samlad analys
notebook the rest. Every number comes from `an.oversikt` and the judgement tables.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.compute.forslag import kronor
from helpers.compute.oversikt import NIVAER, SAMMANFATTNING_UR_KOMMENTAR, SIGNALER
from helpers.compute.targets import EJ_AKTUELLT, EJ_BEDOMT, EJ_UPPFYLLT, FOR_SENT, INGET_MAL, SAKNAS, UPPFYLLT
from helpers.core.fmt import count_sv, percent_sv, plural
from helpers.core.missing import blank
from helpers.data.inputs import EGEN_ATGARD
from helpers.present.atgard import maluppfyllelse_kort
from helpers.present.charts import stacked_counts
from helpers.present.farger import STATUS_FARGER, UTFALL_FARGER
from helpers.present.html import Html, esc, signal_badge, status_badge, table
from helpers.present.names import atgard_page, malomrade_page


def _atgard_link(an, aid: str, *, short: bool = False) -> str:
    text = aid if short else an.plan.heading(aid)
    return f'<a href="{atgard_page(aid)}.html">{esc(text)}</a>'


def verdict_block(an) -> Html:
    """The verdict: one or two sentences."""
    o = an.oversikt
    return Html(f'<div class="uppf-bedomning" role="note" aria-label="Sammanfattande bedömning">'
                f'<p class="uppf-bedomning-text">{esc(o.bedomning)}</p></div>')


AVVIKELSE_KEY, RISK_KEY = "avvikelse", "risk"
# Each signal's rule in words: the legend, the rule note and Om rapporten say the same.
SIGNAL_WORDS = {
    "enligt plan": "inga avvikelser eller risker",
    "risk": ("En milstolpe nådd för sent, ett värde som gått åt fel håll mot planens mål, en uppgift som saknas, "
             "en åtgärd som inte har startat eller inte är klar när planen sa att den skulle, eller en prognos om "
             "risk från ansvarig"),
    "avvikelse": ("En missad milstolpe, ett mål för året som inte nåtts, en åtgärd rapporterad som genomförd fast "
                  "årets mål inte är nått, en prognos från ansvarig att målet inte nås eller status som saknas"),
    "ej aktuell": "åtgärden är avslutad",
}


def rule_note(an) -> Html:
    """The rule behind the verdict and the signals, said where the verdict is."""
    rule = ", ".join(f"minst {int(lo)} %: {label}" for lo, label in NIVAER if lo > 0)
    return Html(f'<p class="uppf-regel"><small>Så bedöms det: andelen åtgärder som följer planen (avslutade räknas '
                f"inte) avgör bedömningen ({esc(rule)}, annars inte enligt plan). {esc(SIGNAL_WORDS[AVVIKELSE_KEY])} ger "
                f"avvikelse. {esc(SIGNAL_WORDS[RISK_KEY])} ger risk. Signalen tar det sämsta av det som mätts och den "
                'ansvariga enhetens egen prognos. <a href="om_rapporten.html">Så läser du rapporten</a>.</small></p>')


def key_figures(an) -> Html:
    cards = "".join(f'<div class="uppf-nyckeltal-kort"><p class="uppf-nyckeltal-rubrik">{esc(k.rubrik)}</p>'
                    f'<p class="uppf-nyckeltal-varde">{esc(k.varde)}</p><p class="uppf-nyckeltal-text">{esc(k.text)}</p></div>'
                    for k in an.oversikt.nyckeltal)
    return Html(f'<div class="uppf-nyckeltal" role="list" aria-label="Nyckeltal {an.year}">'
                + cards.replace('<div class="uppf-nyckeltal-kort">', '<div class="uppf-nyckeltal-kort" role="listitem">')
                + "</div>")


def deviations_list(an) -> Html:
    dev = an.oversikt.deviating
    if dev.empty:
        return Html("<p>Inga åtgärder avviker från planen eller har risk för avvikelse i år.</p>")
    # The worst reason only, so that every åtgärd fits on the first screen; the table below has them all.
    items = []
    for aid, r in dev.iterrows():
        more = f" (och {count_sv(len(r['skal']) - 1, 'skäl', 'skäl', neuter=True)} till)" if len(r["skal"]) > 1 else ""
        title = f'<span class="visually-hidden"> {esc(r["titel"])}</span>'  # named in full in the table below
        items.append(f"<li>{signal_badge(r['signal'])} {_atgard_link(an, aid, short=True)}{title}: "
                     f"{esc(r['skal'][0])}{esc(more)}.</li>")
    return Html(f'<ul class="uppf-punkter">{"".join(items)}</ul>')


def proposals_list(an) -> Html:
    """Förslag till beslut: the justeringar only kommunstyrelsen can decide, numbered as in the
    tjänsteskrivelse, each with its kind (and amount) in the unit's words."""
    props = an.oversikt.forslag
    if not props:
        return Html("<p>Inga ändringar av planen har föreslagits i år.</p>")
    items = []
    for p in props:
        kind = p.typ_text + (f", {kronor(p.belopp)}" if p.belopp else "")
        items.append(f"<li>{_atgard_link(an, p.atgard_id, short=True)} ({esc(kind)}): {esc(p.text)}</li>")
    return Html(f'<ol class="uppf-punkter">{"".join(items)}</ol>')


def own_steps_list(an) -> Html:
    """The units' own steps within the plan: for information, not for decision."""
    own = an.oversikt.egna
    if not own:
        return Html("")
    items = "".join(f"<li>{_atgard_link(an, p.atgard_id, short=True)}: {esc(p.text)}</li>" for p in own)
    return Html(f'<p id="egna-rubrik"><strong>Enheternas egna åtgärder ({len(own)})</strong> – beslutas av '
                f'enheterna inom planen, för kännedom:</p><ul class="uppf-punkter uppf-egna" aria-labelledby="egna-rubrik">'
                f"{items}</ul>")


def bedomning_html(an) -> Html:
    """The sammanfattande bedömning for the start page: verdict, deviations and proposals side by
    side (so a reader sees all three on the first screen), then the key figures."""
    n_dev = len(an.oversikt.deviating)
    n_prop = len(an.oversikt.forslag)
    return Html(
        verdict_block(an)
        + '<div class="uppf-tva-spalter">'
        f'<section class="uppf-avvikelser" aria-labelledby="avvikelser-rubrik"><h3 id="avvikelser-rubrik">'
        f"Avvikelser och risker ({n_dev})</h3>{deviations_list(an)}</section>"
        f'<section class="uppf-forslag" aria-labelledby="forslag-rubrik"><h3 id="forslag-rubrik">'
        f"Förslag till beslut ({n_prop})</h3>{proposals_list(an)}{own_steps_list(an)}</section></div>"
        + key_figures(an) + rule_note(an)
    )


def oversikt_table(an) -> Html:
    """Every åtgärd in one table: målområde, ansvarig, status, signal with its reason, måluppfyllelse,
    the responsible's one-line summary and behov av justering."""
    rows = []
    for aid, r in an.oversikt.table.iterrows():
        reasons = f'<br><small>{esc("; ".join(r["skal"]))}</small>' if r["skal"] else ""
        adj = {"ja": "ja", "nej": "nej"}.get(r["behov_av_justering"], "–")
        counts = an.per_atgard.loc[aid] if aid in an.per_atgard.index else None
        rows.append([
            f'{_atgard_link(an, aid)}<br><small>Målområde {int(r["malomrade_id"])} · {esc(r["ansvarig"])}</small>',
            status_badge(r["status"]),
            signal_badge(r["signal"]) + reasons,
            esc(maluppfyllelse_kort(counts)),
            summary_cell(r),
            adj,
        ])
    out = table(["Åtgärd", "Status", "Signal", "Mål", "Enhetens sammanfattning", "Justering"],
                rows, f"Alla {len(rows)} åtgärder {an.year}: status, signal och måluppfyllelse", cls="uppf-oversikt",
                labels=True)
    legend = " ".join(f"{signal_badge(s)} {esc(SIGNAL_WORDS[s][:1].lower() + SIGNAL_WORDS[s][1:])}." for s in SIGNALER)
    return Html(out + f'<p class="uppf-legend"><small>Signal: {legend} Mål: hur många av planens mål för året '
                      "som är uppfyllda av dem som skulle vara uppfyllda i år; indikatorer utan mål i planen redovisas i "
                      "kapitlen men bedöms inte. Justering: om ansvarig ser behov av att justera åtgärden "
                      "(förslagen står ovan och i kapitlet).</small></p>")


def summary_cell(r) -> str:
    """The unit's one-line summary, whole; a first sentence taken from the kommentar (a year file
    without the summary field) says where it comes from."""
    if blank(r["sammanfattning"]):
        return "–"
    if r.get("sammanfattning_kalla") == SAMMANFATTNING_UR_KOMMENTAR:
        return f'<em>Ur kommentaren:</em> {esc(r["sammanfattning"])}'
    return esc(r["sammanfattning"])


def overview_text(an) -> Html:
    """The samlad analys opens with the verdict of the start page (same computation)."""
    return Html(f'<p class="uppf-dom">{esc(an.oversikt.bedomning)}</p>'
                '<p>Avvikelser, förslag och en tabell över alla åtgärder finns i '
                '<a href="index.html">den sammanfattande bedömningen</a>.</p>')


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


MALUPP_COLUMNS = ((UPPFYLLT, "Uppfyllt"), (FOR_SENT, "Uppfyllt för sent"), (EJ_UPPFYLLT, "Ej uppfyllt"),
                  (SAKNAS, "Uppgift saknas"), (EJ_BEDOMT, "Ej bedömt ännu"), (INGET_MAL, "Inget mål i planen"),
                  (EJ_AKTUELLT, "Ej aktuellt"))


def maluppfyllelse_table(an) -> Html:
    rows = []
    for mo, c in an.per_malomrade.iterrows():
        name = an.plan.malomraden.at[mo, "namn"]
        rows.append([f'<a href="{malomrade_page(mo)}.html">{mo}. {esc(name)}</a>',
                     *(str(int(c[u])) for u, _ in MALUPP_COLUMNS),
                     percent_sv(c["andel_uppfyllt"]) if not math.isnan(c["andel_uppfyllt"]) else "–"])
    total = an.per_malomrade[[u for u, _ in MALUPP_COLUMNS] + ["bedomda", "uppfyllda"]].sum()
    share = total["uppfyllda"] / total["bedomda"] * 100 if total["bedomda"] else math.nan
    rows.append(["<strong>Hela handlingsplanen</strong>", *(f"<strong>{int(total[u])}</strong>" for u, _ in MALUPP_COLUMNS),
                 f"<strong>{percent_sv(share) if not math.isnan(share) else '–'}</strong>"])
    out = table(["Målområde", *(label for _, label in MALUPP_COLUMNS), "Andel uppfyllda"], rows,
                f"Måluppfyllelse per målområde {an.year} (antal indikatorer)", numeric=set(range(1, 9)))
    return Html(out + '<p class="uppf-legend"><small>Andel uppfyllda: uppfyllda mål (också de som nåddes för sent) '
                      "av de mål som skulle vara uppfyllda i år (uppfyllt, uppfyllt för sent, ej uppfyllt och uppgift "
                      "saknas); – betyder att inget mål skulle vara uppfyllt i år.</small></p>")


def justering_list(an) -> Html:
    if an.justeringar.empty:
        return Html("<p>Ingen ansvarig har rapporterat behov av att justera sin åtgärd.</p>")
    items = [f'<li>{_atgard_link(an, aid)} ({esc(kind_text(r))}): {esc(r["justering"])}</li>'
             for aid, r in an.justeringar.iterrows()]
    return Html(f"<ul>{''.join(items)}</ul>")


def kind_text(r) -> str:
    """'resursbehov, 350 000 kronor' / 'egen åtgärd, för kännedom': a justering's kind and who decides it."""
    kind = r.get("justering_typ")
    if blank(kind):
        return "typ inte angiven i underlaget"
    if kind == EGEN_ATGARD:
        return f"{kind}, för kännedom"
    amount = f", {kronor(r['belopp'])}" if not blank(r.get("belopp")) else ""
    return f"{kind}{amount}, förslag till beslut"


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


def missing_values_table(an) -> Html:
    """Indicators without a value this year: reported openly instead of silently left out.

    Indicators that are not current (their åtgärd is avslutad or not started) are not missing data.
    """
    rows = []
    for iid, ch in an.changes.items():
        meta = an.plan.indikatorer.loc[iid]
        if meta["typ"] == "milstolpe" or not ch.saknas or an.judgements.at[iid, "utfall"] == EJ_AKTUELLT:
            continue
        aid = meta["atgard_id"]
        where = f'<a href="{atgard_page(aid)}.html">{esc(aid)}</a>' if not blank(aid) else f"målområde {int(meta['malomrade_id'])}"
        rows.append([esc(meta["text"]), where, esc(meta["kalla"])])
    if not rows:
        return Html(f"<p>Alla indikatorer som följs upp i år har värden för {an.year}.</p>")
    return table(["Indikator", "Åtgärd", "Källa"], rows,
                 f"Indikatorer där uppgift saknas för {an.year} ({plural(len(rows), 'indikator', 'indikatorer')})")


def status_chart(an) -> Html:
    rows = []
    for mo, counts in an.status_per_malomrade.iterrows():
        for status, n in counts.items():
            rows.append({"label": f"{mo}. {an.plan.malomraden.at[mo, 'namn']}", "status": status, "antal": int(n)})
    return stacked_counts(pd.DataFrame(rows), "status", STATUS_FARGER, f"Genomförandestatus per målområde {an.year}",
                          "Målområde", "Antal åtgärder per genomförandestatus och målområde; talet i stapeln är antalet.")


def maluppfyllelse_chart(an) -> Html:
    rows = []
    for mo, counts in an.per_malomrade.iterrows():
        for utfall in UTFALL_FARGER:
            rows.append({"label": f"{mo}. {an.plan.malomraden.at[mo, 'namn']}", "utfall": utfall,
                         "antal": int(counts[utfall])})
    return stacked_counts(pd.DataFrame(rows), "utfall", UTFALL_FARGER, f"Mål per målområde och bedömning {an.year}",
                          "Målområde", "Antal indikatorer med mål i planen per bedömning och målområde (indikatorer "
                          "utan mål och ej aktuella ingår inte); talet i stapeln är antalet.")

