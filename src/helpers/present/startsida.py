"""The start page of an edition and the landing page above all editions."""

from __future__ import annotations

import datetime as dt
import html

from helpers.core.fmt import date_sv, plural
from helpers.present.names import atgard_page, malomrade_page


def index_markdown(an, page_list) -> str:
    """The start page: what the report is, how to read it, and where everything is."""
    plan = an.plan
    lines = [
        f"# Uppföljningsrapport {an.year}",
        "",
        "**Näringslivsstrategin för Norrtälje kommun – uppföljning av handlingsplanen 2025–2030**",
        "",
    ]
    if an.exempeldata:
        files = ", ".join(f"`{p.parent.name}/{p.name}`" for p in an.example_files())
        lines += [
            ":::{important} Exempeldata",
            "Den här utgåvan bygger helt eller delvis på **exempeldata**: påhittade värden och kommentarer "
            f"som visar hur rapporten fungerar ({files}). Sidor som använder exempeldata är märkta.",
            ":::",
            "",
        ]
    n_at = len(plan.atgarder)
    n_ind = len(plan.indikatorer)
    lines += [
        f"Handlingsplanen har {len(plan.malomraden)} målområden, {n_at} åtgärder och {n_ind} indikatorer. "
        f"Rapporten följer upp varje åtgärd för uppföljningsåret {an.year}: genomförandestatus, resultat och "
        "måluppfyllelse, indikatorvärden, samverkan med andra åtgärder och eventuella behov av justering. "
        "Den samlade analysen visar måluppfyllelsen per målområde, förändringar i företagsklimatet och "
        "årets lärdomar och förslag.",
        "",
        "## Innehåll",
        "",
        "- [Samlad analys](samlad_analys.ipynb)",
        "- [Företagsklimatet](foretagsklimat.ipynb)",
    ]
    for mo, m in plan.malomraden.sort_index().iterrows():
        lines.append(f"- [Målområde {mo}. {m['namn']}]({malomrade_page(mo)}.ipynb)")
        for aid in [a for a in plan.order if int(plan.atgarder.at[a, "malomrade_id"]) == mo]:
            lines.append(f"  - [{plan.heading(aid)}]({atgard_page(aid)}.ipynb)")
    lines += ["- [Om rapporten: metod, begrepp och källor](om_rapporten.md)", ""]
    return "\n".join(lines)


def landing_html(editions: list[dict]) -> str:
    """The page above the editions: each year with its build date, exempeldata flag, PDF and redogörelse.

    `editions` come newest first from helpers.build.publish.editions (keys ar, byggd, exempeldata,
    pdf, pdf_sidor, tillganglighet).
    """
    items = []
    for e in editions:
        ar = int(e["ar"])
        note = ' <span class="ex">exempeldata</span>' if e.get("exempeldata") else ""
        when = ""
        if e.get("byggd"):
            try:
                when = f"<p>Byggd {date_sv(dt.date.fromisoformat(e['byggd'][:10]))}.</p>"
            except ValueError:
                when = ""
        links = [f'<li><a href="{ar}/index.html">Läs Uppföljningsrapport {ar} på webben</a></li>']
        if e.get("pdf"):
            pages = f", {plural(e['pdf_sidor'], 'sida', 'sidor')}" if e.get("pdf_sidor") else ""
            links.append(f'<li><a href="{ar}/{html.escape(e["pdf"])}">Ladda ner hela rapporten {ar} som PDF '
                         f"(A4{pages})</a></li>")
        if e.get("tillganglighet"):
            links.append(f'<li><a href="{ar}/tillganglighet.html">Tillgänglighetsredogörelse för {ar}</a></li>')
        items.append(f'<li class="utgava"><h3>Uppföljningsrapport {ar}{note}</h3>{when}'
                     f'<ul>{"".join(links)}</ul></li>')
    newest = editions[0] if editions else None
    footer = (f'<footer><p><a href="{newest["ar"]}/tillganglighet.html">Tillgänglighetsredogörelse</a></p></footer>'
              if newest and newest.get("tillganglighet") else "")
    listing = "\n".join(items) if items else '<li class="utgava">Inga utgåvor är byggda ännu.</li>'
    return f"""<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Uppföljningsrapporter – Norrtälje kommuns näringslivsstrategi</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;
  background:#fff;line-height:1.5;overflow-wrap:break-word}}
a{{color:#0b4f9c}} a:focus-visible{{outline:3px solid #0b4f9c;outline-offset:2px}}
.ex{{color:#7a3400;font-weight:600;font-size:0.8em;border:1px solid #7a3400;border-radius:0.3em;
  padding:0 0.3em;margin-left:0.3em}}
ul.utgavor{{list-style:none;padding:0}} li.utgava{{border-top:1px solid #c8c8c8;padding:0.6rem 0}}
li.utgava h3{{margin:0.2rem 0}} li.utgava p{{margin:0.2rem 0;color:#3d3d3d}}
footer{{border-top:1px solid #c8c8c8;margin-top:2rem;padding-top:0.5rem}}
</style></head>
<body><main>
<h1>Uppföljningsrapporter</h1>
<p>Årliga uppföljningar av handlingsplanen till Norrtälje kommuns näringslivsstrategi 2025–2030.
Varje år finns som webbversion och som en PDF-fil i A4 för utskrift och diarium.</p>
<h2>Utgåvor</h2>
<ul class="utgavor">
{listing}
</ul>
</main>
{footer}
</body></html>
"""
