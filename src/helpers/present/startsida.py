"""The start page of an edition (the sammanfattande bedömning) and the landing page above all editions."""

from __future__ import annotations

import html

from helpers.core.text import md_literal
from helpers.present import samlad
from helpers.present.names import malomrade_page


def _html_block(html: str) -> str:
    """Raw HTML for a MyST page: one block without blank lines (a blank line would end it)."""
    return "\n".join(line for line in str(html).splitlines() if line.strip())


def index_markdown(an, page_list) -> str:
    """The start page: the sammanfattande bedömning first (verdict, deviations, proposals, key
    figures), then every åtgärd in one table, then where the detail is."""
    plan = an.plan
    lines = [
        # The whole width for the bedömning: no "on this page" column on the start page.
        "---",
        "html_theme.sidebar_secondary.remove: true",
        "---",
        "",
        f"# Uppföljningsrapport {an.year}",
        "",
        "**Näringslivsstrategin för Norrtälje kommun – uppföljning av handlingsplanen 2025–2030**",
        "",
    ]
    if an.exempeldata:
        lines += [
            _html_block('<p class="uppf-exempeldata uppf-exempeldata-kort" role="note"><strong>Exempeldata.</strong> '
                        "Värdena och kommentarerna är påhittade och visar hur rapporten fungerar. "
                        '<a href="om_rapporten.html#exempeldata-och-verkliga-siffror">Mer om exempeldata</a>.</p>'),
            "",
        ]
    lines += [
        "## Sammanfattande bedömning",
        "",
        _html_block(samlad.bedomning_html(an)),
        "",
        "## Alla åtgärder",
        "",
        _html_block(samlad.oversikt_table(an)),
        "",
        "## Rapportens delar",
        "",
        f"Handlingsplanen har {len(plan.malomraden)} målområden, {len(plan.atgarder)} åtgärder och "
        f"{len(plan.indikatorer)} indikatorer. Varje åtgärd har ett eget kapitel med resultat, indikatorer, "
        "samverkan och behov av justering.",
        "",
        "- [Samlad analys](samlad_analys.ipynb): status och måluppfyllelse per målområde, lärdomar och förslag",
        "- [Företagsklimatet](foretagsklimat.ipynb): NKI och Svenskt Näringslivs ranking",
    ]
    for mo, m in plan.malomraden.sort_index().iterrows():
        lines.append(f"- [Målområde {mo}. {md_literal(m['namn'])}]({malomrade_page(mo)}.ipynb)")
    lines += ["- [Om rapporten: så läser du den](om_rapporten.md)", ""]
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
