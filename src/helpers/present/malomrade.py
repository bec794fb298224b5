"""The målområde chapter: what it aims at, its åtgärder and its own indicators."""

from __future__ import annotations

from helpers.compute.targets import UTFALL
from helpers.core.fmt import SAKNAS, percent_sv
from helpers.core.missing import blank
from helpers.present.html import Html, esc, status_badge, table
from helpers.present.indikatorer import indicator_table, indicator_trends
from helpers.present.names import atgard_page


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


def malomrade_table(an, malomrade_id: int) -> Html:
    rows = []
    for aid, _a in an.plan.atgarder_in(malomrade_id).iterrows():
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


def malomrade_indicators(an, malomrade_id: int) -> Html:
    """Indicators that belong to the målområde itself (e.g. antal erbjudna sommarjobb)."""
    ind = an.plan.indikatorer
    ids = list(ind[(ind["malomrade_id"] == malomrade_id) & ind["atgard_id"].map(blank)].index)
    if not ids:
        return Html("<p>Målområdet har inga egna indikatorer utöver åtgärdernas.</p>")
    return Html(indicator_table(an, indicator_ids=ids, caption=f"Indikatorer för målområde {malomrade_id}, "
                                f"{an.previous_year}–{an.year}") + indicator_trends(an, indicator_ids=ids))
