"""The book's structure, generated from the register: pages, table of contents, config.

Adding an åtgärd to `data/plan/atgarder.csv` adds its chapter; nothing here lists åtgärder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.present.names import atgard_page, malomrade_page

TEMPLATES = {
    "samlad": "samlad_analys.ipynb",
    "klimat": "foretagsklimat.ipynb",
    "malomrade": "malomrade.ipynb",
    "atgard": "atgard.ipynb",
}


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
    for mo, _m in plan.malomraden.sort_index().iterrows():
        sections = [{"file": atgard_page(a)} for a in plan.order
                    if int(plan.atgarder.at[a, "malomrade_id"]) == mo and atgard_page(a) in names]
        chapter = {"file": malomrade_page(mo)}
        if sections:
            chapter["sections"] = sections
        parts.append({"caption": f"Målområde {mo}", "chapters": [chapter]})
    parts.append({"caption": "Om rapporten", "chapters": [{"file": "om_rapporten"}, {"file": "tillganglighet"}]})
    return {"format": "jb-book", "root": "index", "parts": parts}


def config(base: Path, year: int, *, exempeldata: bool) -> dict:
    """The top-level _config.yml with this edition's title; the file itself stays the one source."""
    cfg = yaml.safe_load(Path(base).read_text(encoding="utf-8"))
    cfg["title"] = f"Uppföljningsrapport {year}" + (" (exempeldata)" if exempeldata else "")
    cfg["copyright"] = str(cfg.get("copyright", "")).replace("{year}", str(year))
    cfg.pop("exclude_patterns", None)
    cfg.setdefault("sphinx", {}).setdefault("config", {})["uppf_ar"] = year  # the edition's PDF and editions links
    cfg["only_build_toc_files"] = True
    return cfg


def write_yaml(data: dict, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
