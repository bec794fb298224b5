"""The start page of an edition and the landing page above all editions."""

from __future__ import annotations

import html

from helpers.core.text import md_literal
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
        lines.append(f"- [Målområde {mo}. {md_literal(m['namn'])}]({malomrade_page(mo)}.ipynb)")
        for aid in [a for a in plan.order if int(plan.atgarder.at[a, "malomrade_id"]) == mo]:
            lines.append(f"  - [{md_literal(plan.heading(aid))}]({atgard_page(aid)}.ipynb)")
    lines += ["- [Om rapporten: metod, begrepp och källor](om_rapporten.md)", ""]
    return "\n".join(lines)


def landing_html(editions: list[dict]) -> str:
    """The page above the editions: each year with its exempeldata flag and build date."""
    items = []
    for e in editions:
        note = " <span class=\"ex\">(exempeldata)</span>" if e["exempeldata"] else ""
        if e.get("skadat"):
            note += " <span class=\"ex\">(manifestet är skadat – utgåvan kan inte kontrolleras)</span>"
        when = f" <small>byggd {html.escape(str(e['byggd'])[:10])}</small>" if e["byggd"] else ""
        items.append(f'<li><a href="{e["ar"]}/index.html">Uppföljningsrapport {e["ar"]}</a>{note}{when}</li>')
    return f"""<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Uppföljningsrapporter – Norrtälje kommuns näringslivsstrategi</title>
<style>body{{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}}
a{{color:#0b4f9c}} .ex{{color:#8a3b00;font-weight:600}} small{{color:#444}}</style></head>
<body><main>
<h1>Uppföljningsrapporter</h1>
<p>Årliga uppföljningar av handlingsplanen till Norrtälje kommuns näringslivsstrategi 2025–2030.</p>
<h2>Utgåvor</h2>
<ul>
{chr(10).join(items) if items else "<li>Inga utgåvor är byggda ännu.</li>"}
</ul>
</main></body></html>
"""
