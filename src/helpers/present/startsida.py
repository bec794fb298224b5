"""The start page of an edition (the sammanfattande bedömning) and the landing page above all editions."""

from __future__ import annotations

import datetime as dt
import html
import re

from helpers.core.errors import RunError
from helpers.core.fmt import date_sv, list_sv, number_sv, plural, words_sv
from helpers.core.text import md_literal
from helpers.data.plan import threshold_at_most
from helpers.present import samlad
from helpers.present.names import bilaga_page, malomrade_page


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
        f"**{md_literal(an.config.undertitel)}**",
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
    first = plan.malomraden.sort_index().index
    if len(first):
        lines.append(f"- [Bilagor]({bilaga_page(first[0])}.ipynb): indikatorer, serier och handlingsplanens "
                     "text för varje åtgärd, metod och tolkningar")
    lines += ["- [Om rapporten: så läser du den](om_rapporten.md), med en {ref}`ordlista <ordlista>` över "
              "rapportens begrepp", ""]
    return "\n".join(lines)


_CEILING = (" Ett mål med riktningen *minska* är ett tak (*högst 100*): **uppfyllt** när värdet är högst målvärdet "
            "när året är slut; ett antal som redan är över taket är **ej uppfyllt**.")


def fixed_page(text: str, an) -> str:
    """A fixed page of book/ (Om rapporten, Metod) with the plan's own facts filled in: every
    `{{namn}}` names the kommun, the plan, its counts and examples from the register, or the
    ranking margin of the kommun's size class. An unknown name stops the build (RunError)."""
    cfg, plan = an.config, an.plan
    n_mo = len(plan.malomraden)
    example_years = sorted(y for y, d in an.years.items() if d.exempeldata)
    values = {
        "genitiv": md_literal(cfg.genitiv), "strategi": md_literal(cfg.strategi), "period": cfg.period,
        "titel": md_literal(cfg.titel), "kommun": md_literal(cfg.kommun),
        "felmarginal": number_sv(cfg.ranking_felmarginal, 1), "enkater": cfg.enkater_text,
        "antal_malomraden": words_sv(n_mo, neuter=True),
        "exempel_malomrade": md_literal(plan.malomraden.sort_index().iloc[0]["namn"]),
        "exempel_atgard": plan.order[0],
        "exempelar": list_sv(example_years),
        "tak": _CEILING if any(threshold_at_most(m) for _, m in plan.indikatorer.iterrows()) else "",
    }

    def fill(match: re.Match) -> str:
        if match.group(1) not in values:
            raise RunError(f"Okänd platshållare {match.group(0)} i en fast sida i book/ – kända: {', '.join(values)}")
        return values[match.group(1)]

    return re.sub(r"\{\{([a-z_]+)\}\}", fill, text)


def landing_html(editions: list[dict], cfg) -> str:
    """The page above the editions: each year with its build date, exempeldata flag, PDF and redogörelse.

    `editions` come newest first from helpers.publish.site.editions (keys ar, byggd, exempeldata,
    pdf, pdf_sidor, tillganglighet); `cfg` is the plan: block (helpers.data.config.PlanConfig).
    """
    items = []
    for e in editions:
        ar = int(e["ar"])
        note = ' <span class="ex">exempeldata</span>' if e.get("exempeldata") else ""
        if e.get("skadat"):
            note += ' <span class="ex">manifestet är skadat – utgåvan kan inte kontrolleras</span>'
        when = ""
        if e.get("byggd"):
            try:
                when = f"<p>Byggd {date_sv(dt.date.fromisoformat(e['byggd'][:10]))}.</p>"
            except ValueError:
                when = ""
        links = [f'<li><a href="{ar}/index.html">Läs Uppföljningsrapport {ar} på webben</a></li>']
        if e.get("pdf"):
            pages = f", {plural(e['pdf_sidor'], 'sida', 'sidor')}" if e.get("pdf_sidor") else ""
            links.append(f'<li><a href="{ar}/{html.escape(e["pdf"])}">Ladda ner rapporten {ar} som PDF '
                         f"(A4{pages})</a></li>")
        if e.get("bilagor"):
            pages = f", {plural(e['bilagor_sidor'], 'sida', 'sidor')}" if e.get("bilagor_sidor") else ""
            links.append(f'<li><a href="{ar}/{html.escape(e["bilagor"])}">Ladda ner bilagorna till rapporten {ar} '
                         f"som PDF (A4{pages})</a></li>")
        if e.get("tillganglighet"):
            links.append(f'<li><a href="{ar}/tillganglighet.html">Tillgänglighetsredogörelse för {ar}</a></li>')
        items.append(f'<li class="utgava"><h3>Uppföljningsrapport {ar}{note}</h3>{when}'
                     f'<ul>{"".join(links)}</ul></li>')
    newest = editions[0] if editions else None
    with_pdf = [int(e["ar"]) for e in editions if e.get("pdf")]
    # Promise a PDF only for the editions that have one (a year built without `make pdf` has none).
    if editions and len(with_pdf) == len(editions):
        offer = "Varje år finns som webbversion och som en PDF-fil i A4 för utskrift och diarium."
    elif with_pdf:
        offer = (f"Varje år finns som webbversion. {list_sv(sorted(with_pdf)).capitalize()} finns också som en "
                 "PDF-fil i A4 för utskrift och diarium.")
    else:
        offer = "Varje år finns som webbversion."
    footer = (f'<footer><p><a href="{newest["ar"]}/tillganglighet.html">Tillgänglighetsredogörelse</a></p></footer>'
              if newest and newest.get("tillganglighet") else "")
    listing = "\n".join(items) if items else '<li class="utgava">Inga utgåvor är byggda ännu.</li>'
    return f"""<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Uppföljningsrapporter – {html.escape(cfg.genitiv)} {html.escape(cfg.strategi)}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;
  background:#fff;line-height:1.5;overflow-wrap:break-word}}
h1,h2,h3{{hyphens:manual;overflow-wrap:normal}} h1{{font-size:clamp(1.6rem,7vw,2.2rem);line-height:1.2}}
a{{color:#0b4f9c}} a:focus-visible{{outline:3px solid #0b4f9c;outline-offset:2px}}
.ex{{color:#7a3400;font-weight:600;font-size:0.8em;border:1px solid #7a3400;border-radius:0.3em;
  padding:0 0.3em;margin-left:0.3em}}
ul.utgavor{{list-style:none;padding:0}} li.utgava{{border-top:1px solid #c8c8c8;padding:0.6rem 0}}
li.utgava h3{{margin:0.2rem 0}} li.utgava p{{margin:0.2rem 0;color:#3d3d3d}}
footer{{border-top:1px solid #c8c8c8;margin-top:2rem;padding-top:0.5rem}}
</style></head>
<body><main>
<h1>Uppföljnings&shy;rapporter</h1>
<p>Årliga uppföljningar av {html.escape(cfg.planen)}.
{offer}</p>
<h2>Utgåvor</h2>
<ul class="utgavor">
{listing}
</ul>
</main>
{footer}
</body></html>
"""
