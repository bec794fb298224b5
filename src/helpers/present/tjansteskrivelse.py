"""The tjänsteskrivelse: the report sent to kommunstyrelsen as an ärende, one page of the edition.

Everything in it comes from the year's analysis, the plan's configuration and the `arende:` block
(or the command line): the verdict and key figures are the start page's (compute.oversikt), the
points of förslag till beslut are compute.forslag's, one per change to the plan that only the board
can decide, after the fixed first point that the board approves the follow-up. Nothing is typed into
a template by hand; a value that is not given is said in words.

The page is written as Markdown with raw HTML blocks (like the start page) so that Jupyter Book
builds it with the rest of the edition; its PDF (publish.tjansteskrivelse) is printed from the
built page, so web and print say the same.
"""

from __future__ import annotations

import html as _html

from helpers.compute.forslag import beslutspunkt, egna_atgarder, ekonomi
from helpers.compute.oversikt import STATUS_PLURAL
from helpers.core.fmt import capitalised, count_sv, list_sv
from helpers.data.arende import Arende
from helpers.present.html import esc
from helpers.present.names import atgard_page

PAGE = "tjansteskrivelse"
TITLE = "Tjänsteskrivelse"
HEADINGS = ("Ärendet i korthet", "Förslag till beslut", "Beskrivning av ärendet", "Ekonomiska konsekvenser",
            "Beslutsunderlag")
OWN_PART = "Ärendet"  # the toc part the page is in (run.pages.toc)


def _block(text: str) -> str:
    """Raw HTML for a MyST page: one block without blank lines (a blank line would end it)."""
    return "\n".join(line for line in str(text).splitlines() if line.strip())


def godkannande(an, arende: Arende) -> str:
    """The fixed first point: the board approves the year's follow-up of the plan."""
    return f"{arende.mottagare} godkänner uppföljningen av {an.config.planen} för {an.year}."


def beslutspunkter(an, arende: Arende) -> list[str]:
    """Förslag till beslut: the fixed first point, then one point per board-level proposal."""
    return [godkannande(an, arende), *(beslutspunkt(p) for p in an.oversikt.forslag)]


def beslutsunderlag(an, toc: dict) -> list[str]:
    """The report and its parts, by title, as the edition's table of contents names them."""
    parts = [str(p["caption"]) for p in toc.get("parts", []) if p.get("caption") and p["caption"] != OWN_PART]
    bilagor = [p for p in parts if p.lower().startswith("bilag")]
    delar = [p for p in parts if p not in bilagor]
    report = f"Uppföljningsrapport {an.year}: {an.config.undertitel}"
    if delar:
        report += f", med delarna {list_sv(delar)}"
    # Named as the bilagor's own PDF is titled (publish.pdf), so the diarium finds the document.
    return [report, *(f"{b} till uppföljningsrapport {an.year}" for b in bilagor)]


def _header(an, arende: Arende) -> str:
    facts = [("Diarienummer", arende.shown("diarienummer")), ("Datum", arende.shown("datum")),
             ("Handläggare", arende.shown("handlaggare")), ("Mottagare", arende.mottagare),
             ("Ärende", f"Uppföljning {an.year} av {an.config.planen}")]
    # The values as given (empty = not given): the PDF command compares them with its own options.
    data = " ".join(f'data-{k}="{_html.escape("" if getattr(arende, k) is None else str(getattr(arende, k)))}"'
                    for k in ("diarienummer", "datum", "handlaggare", "mottagare"))
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    return f'<dl class="uppf-arende" {data}>{rows}</dl>'


def _key_figures(an) -> str:
    items = "".join(f"<li><strong>{esc(k.rubrik)}:</strong> {esc(k.varde)}" + (f" ({esc(k.text)})" if k.text else "")
                    + "</li>" for k in an.oversikt.nyckeltal)
    return f'<ul class="uppf-nyckeltal-lista">{items}</ul>'


def _genitive(name: str) -> str:
    """'kommunstyrelsens': the decision-maker in running text, in the genitive."""
    low = name[:1].lower() + name[1:]
    return low if low.endswith(("s", "x", "z")) else low + "s"


def _description(an, arende: Arende) -> list[str]:
    cfg, o = an.config, an.oversikt
    plan = an.plan
    counts = o.table["status"].value_counts()
    status = list_sv([count_sv(int(n), s, STATUS_PLURAL.get(s, s)) for s, n in counts.items()])
    out = [f"<p>{esc(cfg.planens_namn)} följs upp varje år. Uppföljningen för {an.year} redovisar för planens "
           f"{count_sv(len(plan.atgarder), 'åtgärd', 'åtgärder')} i "
           f"{count_sv(len(plan.malomraden), 'målområde', 'målområden', neuter=True)} "
           "genomförandestatus, indikatorvärden med förändring, måluppfyllelse med motivering, förändringar i "
           "företagsklimatet, lärdomar och förslag. De ansvariga enheterna har lämnat uppgifterna i standardmallen; "
           f"{esc(cfg.samordnare)} har sammanställt dem.</p>",
           f"<p>Status för åtgärderna: {esc(status)}. " + (
               f"{capitalised(count_sv(len(o.forslag), 'föreslagen ändring', 'föreslagna ändringar'))} av planen behöver "
               f"{esc(_genitive(arende.mottagare))} beslut och står som egna punkter i förslaget till beslut.</p>"
               if o.forslag else "Ingen ändring av planen har föreslagits.</p>")]
    own = egna_atgarder(an)
    if own:
        items = "".join(f'<li><a href="{atgard_page(p.atgard_id)}.html">Åtgärd {esc(p.atgard_id)}</a> '
                        f"{esc(p.titel)}: {esc(p.text)}</li>" for p in own)
        out.append(f"<p>Enheternas egna åtgärder inom planen, för kännedom (de beslutas av enheterna):</p>"
                   f"<ul>{items}</ul>")
    return out


def markdown(an, arende: Arende, toc: dict) -> str:
    """The tjänsteskrivelse page of an edition (MyST Markdown)."""
    points = "".join(f"<li>{esc(p)}</li>" for p in beslutspunkter(an, arende))
    underlag = "".join(f"<li>{esc(u)}</li>" for u in beslutsunderlag(an, toc))
    lines = [
        "---",
        "html_theme.sidebar_secondary.remove: true",
        "---",
        "",
        f"# {TITLE}: uppföljning {an.year}",
        "",
        _block(_header(an, arende)),
        "",
        *([_block('<p class="uppf-exempeldata" role="note"><strong>Exempeldata.</strong> Uppföljningen bygger helt '
                  "eller delvis på påhittade värden som visar hur rapporten fungerar.</p>"), ""] if an.exempeldata else []),
        f"## {HEADINGS[0]}",
        "",
        _block(f'<p class="uppf-bedomning-text">{esc(an.oversikt.bedomning)}</p>'),
        "",
        _block(_key_figures(an)),
        "",
        f"## {HEADINGS[1]}",
        "",
        _block(f'<ol class="uppf-beslutspunkter">{points}</ol>'),
        "",
        f"## {HEADINGS[2]}",
        "",
        *(x for p in _description(an, arende) for x in (_block(p), "")),
        f"## {HEADINGS[3]}",
        "",
        _block(f"<p>{esc(ekonomi(an).text)}</p>"),
        "",
        f"## {HEADINGS[4]}",
        "",
        _block(f"<ul>{underlag}</ul>"),
    ]
    return "\n".join(lines).rstrip() + "\n"
