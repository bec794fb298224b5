"""The appendix (Bilagor) of a målområde: for each of its åtgärder the full indicator table, the
series over time, the links the plan names and the plan's own text. The main report's åtgärd
chapter keeps the short account (status, the unit's words, judgement, signal, proposal) and links
here; nothing is said in both places."""

from __future__ import annotations

from helpers.present.atgard import links_block, plan_block
from helpers.present.html import Html, esc
from helpers.present.indikatorer import indicator_table, indicator_trends, qualitative_block
from helpers.present.names import atgard_page, bilaga_anchor, bilaga_page, malomrade_page


def link_to_bilaga(an, atgard_id: str) -> Html:
    """The åtgärd chapter's pointer to its appendix section."""
    mo = int(an.plan.atgarder.at[atgard_id, "malomrade_id"])
    return Html(f'<p class="uppf-bilagelank">Indikatorerna i sin helhet, deras utveckling över tid, samverkan med '
                f'andra åtgärder och åtgärden enligt handlingsplanen finns i '
                f'<a href="{bilaga_page(mo)}.html#{bilaga_anchor(atgard_id)}">bilagan för målområde {mo}</a>.</p>')


def bilaga_intro(an, malomrade_id: int) -> Html:
    m = an.plan.malomraden.loc[malomrade_id]
    return Html(f'<p>Underlag till <a href="{malomrade_page(malomrade_id)}.html">målområde {int(malomrade_id)}, '
                f'{esc(m["namn"])}</a>, åtgärd för åtgärd: indikatorer och måluppfyllelse, utveckling över tid, '
                "samverkan med andra åtgärder och åtgärden som den står i handlingsplanen.</p>")


def bilaga_atgard(an, atgard_id: str) -> Html:
    """One åtgärd's appendix section (h2 with the åtgärd, h3 per part)."""
    parts = [
        f'<section class="uppf-bilaga-atgard" id="{bilaga_anchor(atgard_id)}">',
        f"<h2>{esc(an.plan.heading(atgard_id))}</h2>",
        f'<p class="uppf-bilagelank">Status, resultat och bedömning: <a href="{atgard_page(atgard_id)}.html">'
        f"åtgärdens kapitel i rapporten</a>.</p>",
        "<h3>Indikatorer och måluppfyllelse</h3>", indicator_table(an, atgard_id), qualitative_block(an, atgard_id),
        "<h3>Utveckling över tid</h3>", indicator_trends(an, atgard_id),
        "<h3>Samverkan med andra åtgärder</h3>", links_block(an, atgard_id),
        "<h3>Åtgärden enligt handlingsplanen</h3>", plan_block(an, atgard_id),
        "</section>",
    ]
    return Html("".join(parts))


def bilaga_malomrade(an, malomrade_id: int) -> Html:
    """Every åtgärd of the målområde, in plan order."""
    ids = [a for a in an.plan.order if int(an.plan.atgarder.at[a, "malomrade_id"]) == int(malomrade_id)]
    if not ids:
        return Html("<p>Målområdet har inga åtgärder i handlingsplanen.</p>")
    return Html("".join(bilaga_atgard(an, a) for a in ids))


def klimat_intro(an) -> Html:
    """The business climate's appendix: what the main report's chapter leaves to it."""
    return Html('<p>Underlag till kapitlet <a href="foretagsklimat.html">Företagsklimatet</a>: jämförelser med andra '
                "kommuner över tid och en och en, serviceområdena, åtgärderna som följs upp med NKI och ranking, "
                "publicerade resultat, sammanhanget för strategin och hur siffrorna ska läsas.</p>")
