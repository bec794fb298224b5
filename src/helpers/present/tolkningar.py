"""The page that lists every reading the register makes of the plan: the plan's words, the
reading, the reason.

The plan is written in words ("hösten 2025", "relevanta myndighetskontakter", "målsättningar sätts
årligen i kommunens mål- och budgetprocess"); the register turns them into dates, target kinds and
series. A board reading a judgement must be able to see each such step, so the readings are kept
as data (`data/plan/tolkningar.csv`, checked against the register by `plan.load_plan`) and this
page is written from them, never by hand.
"""

from __future__ import annotations

from helpers.core.missing import blank
from helpers.core.text import quoted_sv
from helpers.data.plan import Plan
from helpers.present.html import esc, table
from helpers.present.names import atgard_page, malomrade_page

PAGE = "tolkningar"
TITLE = "Planens ord och rapportens tolkningar"

# How readers know the register's fields.
FALT_NAMN = {
    "planerat_klart": "Planerat klart", "deadline": "Tidsgräns", "maltyp": "Mål", "malvarde": "Målvärde",
    "malar": "Målår", "serie": "Mått", "enhet": "Enhet", "riktning": "Riktning", "kalla": "Källa",
    "varde_fran": "Samma mått som", "atgard_id": "Åtgärd", "typ": "Typ av mått", "tidplan": "Tidplan",
    "uppfoljningsfrekvens": "Uppföljning", "ansvarig": "Ansvarig", "galler_fran": "Gäller från",
}


def _where(plan: Plan, rid: str) -> str:
    """The id, linked to the page where the reading is used."""
    if "-" not in rid:
        return f'<a href="{atgard_page(rid)}.html">{esc(rid)}</a>'
    meta = plan.indikatorer.loc[rid]
    page = malomrade_page(int(meta["malomrade_id"])) if blank(meta["atgard_id"]) else atgard_page(str(meta["atgard_id"]))
    return f'<a href="{page}.html">{esc(rid)}</a>'


def readings_table(plan: Plan, atgarder: bool) -> str:
    """The readings of åtgärder (`atgarder`) or of indicators, in the register's order."""
    readings = plan.readings()
    own = readings[readings["id"].map(lambda r: "-" not in str(r)) == atgarder]
    rows = [[_where(plan, r["id"]), esc(FALT_NAMN.get(r["falt"], r["falt"])), esc(quoted_sv(r['planens_ord'])),
             esc(r["tolkning"]), esc(r["skal"])] for _, r in own.iterrows()]
    what = "åtgärdernas tidplaner" if atgarder else "indikatorernas mål, tidsgränser och mått"
    if not rows:
        return f"<p>Registret anger inga tolkningar av {what}.</p>"
    head = "Åtgärd" if atgarder else "Indikator"
    return str(table([head, "Vad", "Planens ord", "Tolkning i rapporten", "Skäl"], rows,
                     f"Tolkningar av {what} ({len(rows)})"))


def tolkningar_markdown(plan: Plan) -> str:
    """The page itself (MyST markdown with HTML tables), generated from the register."""
    n = len(plan.readings())
    return "\n".join([
        f"# {TITLE}",
        "",
        "Handlingsplanen är skriven i ord. För att kunna följa upp den översätter rapportens register "
        "(planens innehåll i tabellform) planens ord till datum, måltyper och mått. Här står varje sådan "
        f"tolkning ({n} st): planens egna ord, hur rapporten läser dem och varför. Reglerna för "
        "bedömningarna står i [Om rapporten](om_rapporten.md).",
        "",
        "Ett mål som planen överlåter åt ett annat beslut (till exempel kommunens mål- och budgetprocess) "
        "bedöms bara mot det beslutet; finns inget beslut redovisas värdet utan bedömning. Rapporten "
        "ersätter aldrig ett sådant mål med ett eget.",
        "",
        "## Åtgärdernas tidplaner",
        "",
        readings_table(plan, atgarder=True),
        "",
        "## Indikatorernas mål, tidsgränser och mått",
        "",
        readings_table(plan, atgarder=False),
        "",
    ])
