"""The book's structure, generated from the register: pages, table of contents, start page, config.

Adding an åtgärd to `data/plan/atgarder.csv` adds its chapter; nothing here lists åtgärder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

TEMPLATES = {
    "samlad": "samlad_analys.ipynb",
    "klimat": "foretagsklimat.ipynb",
    "malomrade": "malomrade.ipynb",
    "atgard": "atgard.ipynb",
}


def atgard_page(atgard_id: str) -> str:
    return "atgard_" + atgard_id.replace(".", "_")


def malomrade_page(malomrade_id: int) -> str:
    return f"malomrade_{int(malomrade_id)}"


@dataclass(frozen=True)
class Page:
    """One executed notebook of the edition: its file stem, template, parameters and title."""

    name: str
    template: str
    title: str
    parameters: dict = field(default_factory=dict)


def pages(plan, year: int, data_dir: str) -> list[Page]:
    """Every notebook page of a year's book, in reading order."""
    common = {"year": year, "data_dir": data_dir}
    out = [
        Page("samlad_analys", TEMPLATES["samlad"], f"Samlad analys {year}", dict(common)),
        Page("foretagsklimat", TEMPLATES["klimat"], "Företagsklimatet", dict(common)),
    ]
    for mo, m in plan.malomraden.sort_index().iterrows():
        out.append(Page(malomrade_page(mo), TEMPLATES["malomrade"], f"{mo}. {m['namn']}",
                        {**common, "malomrade_id": int(mo)}))
        for aid in [a for a in plan.order if int(plan.atgarder.at[a, "malomrade_id"]) == mo]:
            out.append(Page(atgard_page(aid), TEMPLATES["atgard"], plan.heading(aid), {**common, "atgard_id": aid}))
    return out


def toc(plan, page_list: list[Page]) -> dict:
    """A jb-book table of contents: overview first, then one part per målområde."""
    names = {p.name for p in page_list}
    parts = [{"caption": "Samlad analys", "chapters": [{"file": n} for n in ("samlad_analys", "foretagsklimat") if n in names]}]
    for mo, m in plan.malomraden.sort_index().iterrows():
        sections = [{"file": atgard_page(a)} for a in plan.order
                    if int(plan.atgarder.at[a, "malomrade_id"]) == mo and atgard_page(a) in names]
        chapter = {"file": malomrade_page(mo)}
        if sections:
            chapter["sections"] = sections
        parts.append({"caption": f"Målområde {mo}", "chapters": [chapter]})
    parts.append({"caption": "Om rapporten", "chapters": [{"file": "om_rapporten"}]})
    return {"format": "jb-book", "root": "index", "parts": parts}


def config(base: Path, year: int, *, exempeldata: bool) -> dict:
    """The top-level _config.yml with this edition's title; the file itself stays the one source."""
    cfg = yaml.safe_load(Path(base).read_text(encoding="utf-8"))
    cfg["title"] = f"Uppföljningsrapport {year}" + (" (exempeldata)" if exempeldata else "")
    cfg["copyright"] = str(cfg.get("copyright", "")).replace("{year}", str(year))
    cfg.pop("exclude_patterns", None)
    cfg["only_build_toc_files"] = True
    return cfg


def index_markdown(an, page_list: list[Page]) -> str:
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


def write_yaml(data: dict, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
