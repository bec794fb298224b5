"""The målområde chapter: what it aims at, how its åtgärder are going, and its own indicators.

It opens with the åtgärder (how many follow the plan), then the targets that could be judged,
so that "0 av 13 indikatorer uppfyllda" never stands alone when most indicators have no target.
"""

from __future__ import annotations

from helpers.compute.oversikt import AVVIKELSE, EJ_AKTUELL, ENLIGT_PLAN, RISK, STATUS_PLURAL, counted
from helpers.core.fmt import SAKNAS, count_sv, list_sv, words_sv
from helpers.core.missing import blank
from helpers.present.atgard import maluppfyllelse_text
from helpers.present.html import Html, esc, signal_badge, status_badge, table
from helpers.present.indikatorer import indicator_table, indicator_trends, qualitative_block
from helpers.present.names import atgard_page


def malomrade_intro(an, malomrade_id: int) -> Html:
    m = an.plan.malomraden.loc[malomrade_id]
    rows = an.oversikt.table[an.oversikt.table["malomrade_id"] == malomrade_id]
    n = len(rows)
    status = rows["status"].value_counts()
    status_text = list_sv([f"{words_sv(c)} {s if c == 1 else STATUS_PLURAL.get(s, s)}" for s, c in status.items()])
    on = int((rows["signal"] == ENLIGT_PLAN).sum())
    dev = int((rows["signal"] == AVVIKELSE).sum())
    risk = int((rows["signal"] == RISK).sum())
    closed = int((rows["signal"] == EJ_AKTUELL).sum())
    signal = (f"{words_sv(on)} av {counted(n - closed, closed, words=True)} följer planen"
              + (f", {words_sv(risk)} med risk" if risk else "") + (f", {words_sv(dev)} med avvikelse" if dev else ""))
    counts = an.per_malomrade.loc[malomrade_id]
    return Html(
        f'<blockquote class="uppf-citat uppf-plancitat"><p class="uppf-ingress">{esc(m["inriktning"])}</p>'
        f'<p>{esc(m["beskrivning"])}</p><footer>— {esc(an.config.planens_namn)}, målområde {malomrade_id}</footer></blockquote>'
        f'<p class="uppf-dom"><strong>Läget {an.year}:</strong> målområdet har {count_sv(n, "åtgärd", "åtgärder")}: '
        f"{esc(status_text)}. {esc(signal)}.</p>"
        f"<p><strong>Måluppfyllelse:</strong> "
        f"{esc(maluppfyllelse_text(counts, an.judgements[an.judgements['malomrade_id'] == malomrade_id]))}.</p>"
    )


def malomrade_table(an, malomrade_id: int) -> Html:
    rows = []
    table_rows = an.oversikt.table
    for aid, _a in an.plan.atgarder_in(malomrade_id).iterrows():
        o = table_rows.loc[aid]
        c = an.per_atgard.loc[aid] if aid in an.per_atgard.index else None
        rows.append([
            f'<a href="{atgard_page(aid)}.html">{esc(an.plan.heading(aid))}</a>',
            status_badge(o["status"]),
            signal_badge(o["signal"]) + (f'<br><small>{esc("; ".join(o["skal"]))}</small>' if o["skal"] else ""),
            esc(maluppfyllelse_text(c, an.judgements[an.judgements["atgard_id"] == aid])),
            "ja" if o["behov_av_justering"] == "ja" else ("nej" if o["behov_av_justering"] == "nej" else SAKNAS),
        ])
    name = an.plan.malomraden.at[malomrade_id, "namn"]
    return table(["Åtgärd", "Status", "Signal", "Måluppfyllelse", "Behov av justering"],
                 rows, f"Åtgärder i målområde {malomrade_id} {name}, {an.year}")


def malomrade_indicators(an, malomrade_id: int) -> Html:
    """Indicators that belong to the målområde itself (e.g. antal erbjudna sommarjobb)."""
    ind = an.plan.indikatorer
    ids = list(ind[(ind["malomrade_id"] == malomrade_id) & ind["atgard_id"].map(blank)].index)
    if not ids:
        return Html("<p>Målområdet har inga egna indikatorer utöver åtgärdernas.</p>")
    return Html(indicator_table(an, indicator_ids=ids, caption=f"Indikatorer för målområde {malomrade_id}, "
                                f"{an.previous_year}–{an.year}") + qualitative_block(an, indicator_ids=ids)
                + indicator_trends(an, indicator_ids=ids))
