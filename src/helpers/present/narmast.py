"""The summary's two lists for kommunstyrelsen: *Det här händer närmast* (open dates of the
coming twelve months, compute.narmast) and *Till kommunstyrelsen* (the figures the plan says are
reported to the board)."""

from __future__ import annotations

import math

from helpers.compute import narmast as calc
from helpers.core.fmt import capitalised, date_sv, plural
from helpers.core.missing import blank
from helpers.present.html import Html, esc, status_badge, table
from helpers.present.indikatorer import number_text
from helpers.present.names import atgard_page, malomrade_page


def _where(an, aid, mo=None) -> str:
    if not blank(aid):
        return f'<a href="{atgard_page(aid)}.html">{esc(an.plan.heading(aid))}</a>'
    return f'<a href="{malomrade_page(mo)}.html">Målområde {int(mo)}</a>'


def narmast_table(an) -> Html:
    """Open dates in the twelve months after the report date, with status and the unit's forecast."""
    rows_df = calc.narmast(an)
    start = calc.report_date(an)
    end = calc.add_months(start, calc.HORISONT_MANADER)
    span = f"{date_sv(start)} – {date_sv(end)}"
    if rows_df.empty:
        return Html(f"<p>Inga tidsgränser eller milstolpar i planen infaller under perioden {span}.</p>")
    rows = []
    for r in rows_df.to_dict("records"):
        mo = an.plan.indikatorer.at[r["indikator_id"], "malomrade_id"] if not blank(r["indikator_id"]) else None
        what = esc(capitalised(r["vad"]))
        forecast = esc(r["prognos"]) if not blank(r["prognos"]) else "ingen prognos lämnad"
        if not blank(r["prognos_motivering"]):
            forecast += f'<br><small>{esc(r["prognos_motivering"])}</small>'
        rows.append([esc(date_sv(r["datum"])), _where(an, r["atgard_id"], mo), what,
                     status_badge(r["status"]) if not blank(r["status"]) else "–", forecast])
    intro = (f"<p>Tidsgränser och milstolpar enligt planen under tolv månader från rapportens slutdatum "
             f"({span}) som ännu inte är nådda: {plural(len(rows), 'punkt', 'punkter')}. Prognosen är den "
             "ansvariga enhetens egen.</p>")
    return Html(intro + table(["Datum", "Åtgärd", "Vad", "Status", "Prognos enligt ansvarig"], rows,
                              f"Det här händer närmast: {span}", row_header=False, cls="uppf-narmast"))


def kommunstyrelsen_table(an) -> Html:
    """The indicators the plan says are reported to kommunstyrelsen, with this year's and last year's value."""
    ks = calc.till_kommunstyrelsen(an)
    if ks.empty:
        return Html("<p>Planen anger inga särskilda uppgifter som ska rapporteras till kommunstyrelsen utöver "
                    "rapporten som helhet.</p>")
    rows = []
    for r in ks.to_dict("records"):
        meta = an.plan.indikatorer.loc[r["indikator_id"]]
        now = number_text(meta, r["varde"]) if not math.isnan(r["varde"]) else "uppgift saknas"
        before = number_text(meta, r["varde_fore"]) if not math.isnan(r["varde_fore"]) else "uppgift saknas"
        mark = " (exempeldata)" if r["exempeldata"] else ""
        rows.append([esc(r["text"]), _where(an, r["atgard_id"], r["malomrade_id"]),
                     esc(before) + (f" ({r['ar_fore']})" if r["ar_fore"] else ""),
                     esc(now) + (f" ({r['ar']})" if r["ar"] else "") + mark, esc(r["kalla"])])
    return table(["Uppgift", "Hör till", "Förra året", "I år", "Källa"], rows,
                 "Uppgifter som enligt planen rapporteras till kommunstyrelsen", numeric={2, 3})
