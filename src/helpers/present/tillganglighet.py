"""The tillgänglighetsredogörelse of an edition, written from the publication settings.

Follows the structure of Digg's model for a redogörelse under lagen (2018:1937) om tillgänglighet
till digital offentlig service: who publishes what, the conformance status in the law's words,
known shortcomings with the WCAG criterion, how to ask for content in another format and report
a problem, the supervisory authority (Digg) and its complaint form, the assessment method and the
dates. Every fact comes from `publicering` in `_config.yml`, never from text copied per year.
"""

from __future__ import annotations

import datetime as dt

from helpers.core.fmt import date_sv
from helpers.core.text import md_literal

STATUSAR = ("helt förenlig", "delvis förenlig", "inte förenlig")
DIGG_ANMALAN = "https://www.digg.se/tdosanmalan"
LAGEN = "lagen (2018:1937) om tillgänglighet till digital offentlig service"

def md(text) -> str:
    """Configuration text as literal Markdown text (no markup, no HTML from the settings)."""
    return md_literal(" ".join(str(text).split()))


def _contact_lines(kontakt: dict) -> list[str]:
    lines = []
    if kontakt.get("e-post"):
        addr = str(kontakt["e-post"]).strip()
        lines.append(f"- E-post: [{md(addr)}](mailto:{addr})")
    if kontakt.get("telefon"):
        lines.append(f"- Telefon: {md(kontakt['telefon'])}")
    if kontakt.get("webb"):
        url = str(kontakt["webb"]).strip()
        lines.append(f"- Webbplats: [{md(url)}]({url}) (kommunens kontaktvägar)")
    return lines


def redogorelse_markdown(pub: dict, year: int) -> str:
    """The page `tillganglighet.md` of the year's edition (MyST Markdown, Swedish)."""
    t = pub["tillganglighet"]
    utgivare, tjanst, status = md(pub["utgivare"]), md(t["tjanst"]), t["status"]
    kontakt = t["kontakt"]
    brister = t.get("brister") or []
    undantag = t.get("undantag") or []
    lines = [
        "# Tillgänglighetsredogörelse",
        "",
        f"{utgivare} står bakom {tjanst}. Vi vill att så många som möjligt ska kunna läsa och använda "
        f"rapporterna. Här beskriver vi hur de uppfyller {LAGEN}, vilka kända brister som finns och hur du "
        "kan meddela oss brister så att vi kan åtgärda dem.",
        "",
        f"Redogörelsen gäller *Uppföljningsrapport {year}*: webbversionen, PDF-filen och sidan som listar "
        "alla utgåvor.",
        "",
        "## Hur tillgänglig är rapporten?",
        "",
        f"Rapporten är **{status}** med {LAGEN}."
        + (" Kända brister beskrivs nedan." if status != "helt förenlig" else ""),
        "",
        "## Vad kan du göra om du inte kan använda delar av rapporten?",
        "",
        "Om du behöver innehåll i rapporten i ett annat format, till exempel som lättläst text, i större "
        f"stil eller uppläst, kan du kontakta {md(kontakt['namn'])}:",
        "",
        *_contact_lines(kontakt),
        "",
    ]
    if t.get("svarstid"):
        lines += [md(t["svarstid"]), ""]
    lines += [
        "## Rapportera brister i rapportens tillgänglighet",
        "",
        "Vi arbetar för att rapporten ska bli så tillgänglig som möjligt. Om du upptäcker problem som inte "
        "beskrivs på den här sidan, eller om du anser att vi inte uppfyller lagens krav, vill vi att du "
        "meddelar oss på något av sätten ovan. Ange gärna vilken sida eller vilket avsnitt det gäller.",
        "",
        "## Tillsyn",
        "",
        "Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om tillgänglighet "
        "till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du "
        f"[anmäla det till Digg]({DIGG_ANMALAN}).",
        "",
        "## Teknisk information om rapportens tillgänglighet",
        "",
        f"Rapporten är {status} med {LAGEN}"
        + (" på grund av de brister som beskrivs nedan." if brister else "."),
        "",
    ]
    if brister:
        lines += ["### Innehåll som inte är tillgängligt", ""]
        for b in brister:
            crit = f" (WCAG {md(b['wcag'])})" if b.get("wcag") else ""
            lines.append(f"- **{md(b['rubrik'])}.** {md(b['text'])}{crit}")
        lines.append("")
    lines += ["### Innehåll som är undantaget eller inte omfattas av lagen", ""]
    if undantag:
        lines += [f"- **{md(u['rubrik'])}.** {md(u['text'])}" for u in undantag] + [""]
    else:
        lines += ["Inget innehåll i rapporten är undantaget på grund av oskäligt betungande anpassning, och "
                  "inget innehåll ligger utanför lagens krav.", ""]
    lines += [
        "## Hur vi har testat rapporten",
        "",
        md(t["metod"]),
        "",
        f"Senaste bedömningen gjordes den {date_sv(_date(t['bedomd']))}. "
        f"Redogörelsen uppdaterades senast den {date_sv(_date(t['uppdaterad']))}.",
        "",
    ]
    return "\n".join(lines)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
