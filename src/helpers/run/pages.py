"""The book's structure, generated from the register: pages, table of contents, config.

Adding an åtgärd to `data/plan/atgarder.csv` adds its chapter; nothing here lists åtgärder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.core.errors import InputError, Problem, display_path
from helpers.present.names import atgard_page, bilaga_page, malomrade_page
from helpers.run import deps

# Fixed markdown pages of every edition (book/<name>.md), in the part "Bilagor" after the målområden' bilagor.
FIXED_PAGES = ("om_rapporten", "metod")
# The appendix part: it follows the main report in the web book and is printed as a PDF of its own
# (publish.pdf); everything before it is the main report.
BILAGOR = "Bilagor"
# Markdown pages written from the register for every edition (publish.pipeline.write_book_sources).
GENERATED_PAGES = ("tolkningar",)

TEMPLATES = {
    "samlad": "samlad_analys.ipynb",
    "klimat": "foretagsklimat.ipynb",
    "malomrade": "malomrade.ipynb",
    "atgard": "atgard.ipynb",
    "bilaga": "bilaga_malomrade.ipynb",
    "bilaga_klimat": "bilaga_foretagsklimat.ipynb",
}
KLIMAT_BILAGA = "bilaga_foretagsklimat"


@dataclass(frozen=True)
class Page:
    """One executed notebook of the edition: its file stem, template, parameters and title, and
    the rows of the year files it reads (the run cache's declared inputs, see `deps`)."""

    name: str
    template: str
    title: str
    parameters: dict = field(default_factory=dict)
    inputs: deps.Reads = deps.EVERYTHING


def pages(plan, year: int, data_dir: str) -> list[Page]:
    """Every notebook page of a year's book, in reading order."""
    common = {"year": year, "data_dir": data_dir}
    out = [
        Page("samlad_analys", TEMPLATES["samlad"], f"Samlad analys {year}", dict(common)),
        Page("foretagsklimat", TEMPLATES["klimat"], "Företagsklimatet", dict(common), deps.for_klimat(plan)),
    ]
    for mo, m in plan.malomraden.sort_index().iterrows():
        out.append(Page(malomrade_page(mo), TEMPLATES["malomrade"], f"{mo}. {m['namn']}",
                        {**common, "malomrade_id": int(mo)}, deps.for_malomrade(plan, int(mo))))
        for aid in [a for a in plan.order if int(plan.atgarder.at[a, "malomrade_id"]) == mo]:
            out.append(Page(atgard_page(aid), TEMPLATES["atgard"], plan.heading(aid), {**common, "atgard_id": aid},
                            deps.for_atgard(plan, aid)))
    for mo, m in plan.malomraden.sort_index().iterrows():
        out.append(Page(bilaga_page(mo), TEMPLATES["bilaga"], f"Bilaga: målområde {mo}. {m['namn']}",
                        {**common, "malomrade_id": int(mo)}, deps.for_bilaga(plan, int(mo))))
    out.append(Page(KLIMAT_BILAGA, TEMPLATES["bilaga_klimat"], "Bilaga: företagsklimatet", dict(common),
                    deps.for_klimat(plan)))
    return out


def toc(plan, page_list: list[Page]) -> dict:
    """A jb-book table of contents: the main report (overview first, then one part per målområde),
    then the part Bilagor (each målområde's appendix, then the pages about the report)."""
    names = {p.name for p in page_list}
    parts = [{"caption": "Ärendet", "chapters": [{"file": "tjansteskrivelse"}]},  # publish.pipeline writes it
             {"caption": "Samlad analys", "chapters": [{"file": n} for n in ("samlad_analys", "foretagsklimat") if n in names]}]
    for mo, _m in plan.malomraden.sort_index().iterrows():
        sections = [{"file": atgard_page(a)} for a in plan.order
                    if int(plan.atgarder.at[a, "malomrade_id"]) == mo and atgard_page(a) in names]
        chapter = {"file": malomrade_page(mo)}
        if sections:
            chapter["sections"] = sections
        parts.append({"caption": f"Målområde {mo}", "chapters": [chapter]})
    bilagor = [{"file": bilaga_page(mo)} for mo in plan.malomraden.sort_index().index if bilaga_page(mo) in names]
    bilagor += [{"file": KLIMAT_BILAGA}] if KLIMAT_BILAGA in names else []
    parts.append({"caption": BILAGOR,
                  "chapters": bilagor + [{"file": name} for name in (*FIXED_PAGES, *GENERATED_PAGES, "tillganglighet")]})
    return {"format": "jb-book", "root": "index", "parts": parts}


def config(base: Path, year: int, *, exempeldata: bool) -> dict:
    """The top-level _config.yml with this edition's title; the file itself stays the one source."""
    cfg = read_config(base)
    cfg["title"] = f"Uppföljningsrapport {year}" + (" (exempeldata)" if exempeldata else "")
    cfg["copyright"] = str(cfg.get("copyright", "")).replace("{year}", str(year))
    cfg.pop("exclude_patterns", None)
    cfg.setdefault("sphinx", {}).setdefault("config", {})["uppf_ar"] = year  # the edition's PDF and editions links
    cfg["only_build_toc_files"] = True
    return cfg


def read_config(path: Path) -> dict:
    """The project's _config.yml, or an InputError naming the line and what is wrong with it."""
    path = Path(path)
    shown = display_path(path)
    expected = "giltig YAML för Jupyter Book (jämför med _config.yml i projektets versionshantering)"
    try:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError([Problem(shown, "teckenkodning UTF-8", value="filen är inte sparad som UTF-8")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f" (tecken {mark.column + 1} på raden)" if mark else ""
        raise InputError([Problem(shown, expected, row=mark.line + 1 if mark else None,
                                  value=_YAML_SV.get(what, what) + where)]) from None
    if not isinstance(cfg, dict):
        raise InputError([Problem(shown, expected + " med nycklar som 'title:' och 'sphinx:'",
                                  value="filen är tom" if cfg is None else f"filen innehåller bara {str(cfg)[:60]!r}")])
    return cfg


# PyYAML's most common complaints, in Swedish (others are shown as they are).
_YAML_SV = {
    "mapping values are not allowed here": "ett kolon där det inte får stå (saknas citattecken runt texten?)",
    "found character '\\t' that cannot start any token": "ett tabbtecken (YAML kräver blanksteg för indrag)",
    "could not find expected ':'": "ett kolon saknas efter nyckeln",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (ett citattecken stängs inte?)",
    "expected <block end>, but found '<block mapping start>'": "fel indrag",
    "expected ',' or ']', but got '<stream end>'": "en lista [ … ] stängs aldrig",
    "expected ',' or '}', but got '<stream end>'": "en { … } stängs aldrig",
}


def write_yaml(data: dict, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
