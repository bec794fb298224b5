"""The samlad analys: status and måluppfyllelse per målområde, adjustments, lärdomar, what is missing."""

from __future__ import annotations

import math

import pandas as pd

from helpers.compute.targets import UTFALL
from helpers.compute.underlag import plan_totals
from helpers.core.fmt import percent_sv
from helpers.core.missing import blank
from helpers.present.charts import STATUS_FARGER, UTFALL_FARGER, stacked_counts
from helpers.present.html import Html, esc, table
from helpers.present.names import atgard_page, malomrade_page


def overview_text(an) -> Html:
    """The samlad analys in two sentences, computed from the same tables the page shows."""
    st = an.status["status"].value_counts()
    n = len(an.status)
    plural = {"genomförd": "genomförda", "avslutad": "avslutade", "pågående": "pågående", "ej påbörjad": "ej påbörjade"}
    parts = [f"{int(st.get(s, 0))} {s if st.get(s, 0) == 1 else plural[s]}" for s in plural if st.get(s, 0)]
    if st.get("status saknas", 0):
        parts.append(f"{int(st['status saknas'])} utan rapporterad status")
    total = plan_totals(an)[list(UTFALL) + ["bedomda"]]
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


def maluppfyllelse_table(an) -> Html:
    rows = []
    for mo, c in an.per_malomrade.iterrows():
        name = an.plan.malomraden.at[mo, "namn"]
        rows.append([f'<a href="{malomrade_page(mo)}.html">{mo}. {esc(name)}</a>',
                     *(str(int(c[u])) for u in UTFALL), str(int(c["bedomda"])),
                     percent_sv(c["andel_uppfyllt"]) if not math.isnan(c["andel_uppfyllt"]) else "ingen bedömd"])
    total = plan_totals(an)
    share = total["andel_uppfyllt"]
    rows.append(["<strong>Hela handlingsplanen</strong>", *(f"<strong>{int(total[u])}</strong>" for u in UTFALL),
                 f"<strong>{int(total['bedomda'])}</strong>", f"<strong>{percent_sv(share)}</strong>"])
    return table(["Målområde", "Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt", "Bedömda", "Andel uppfyllda"],
                 rows, f"Måluppfyllelse per målområde {an.year} (antal indikatorer)", numeric={1, 2, 3, 4, 5, 6})


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


def status_chart(an) -> Html:
    rows = []
    for mo, counts in an.status_per_malomrade.iterrows():
        for order, (status, n) in enumerate(counts.items()):
            rows.append({"label": f"{mo}. {an.plan.malomraden.at[mo, 'namn']}", "status": status, "antal": int(n),
                         "ordning": order})
    frame = pd.DataFrame(rows)
    return stacked_counts(frame, "status", STATUS_FARGER, f"Genomförandestatus per målområde {an.year}", "Målområde",
                          "Antal åtgärder per genomförandestatus och målområde.")


def maluppfyllelse_chart(an) -> Html:
    rows = []
    for mo, counts in an.per_malomrade.iterrows():
        for order, utfall in enumerate(UTFALL_FARGER):
            rows.append({"label": f"{mo}. {an.plan.malomraden.at[mo, 'namn']}", "utfall": utfall,
                         "antal": int(counts[utfall]), "ordning": order})
    frame = pd.DataFrame(rows)
    return stacked_counts(frame, "utfall", UTFALL_FARGER, f"Måluppfyllelse per målområde {an.year}", "Målområde",
                          "Antal indikatorer per bedömning och målområde.")
