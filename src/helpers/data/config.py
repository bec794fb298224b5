"""The plan's own settings: which kommun, which plan, which years – the `plan:` block of _config.yml.

Everything that names the kommun, the plan or its period reads it here, so a second kommun changes
only `data/` and `_config.yml`. Problems are reported like any input problem: the key, the value
and what was expected, in Swedish, all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.core.errors import InputError, Problem, display_path

BLOCK = "plan"


@dataclass(frozen=True)
class Jamforelsegrupp:
    """A Kolada comparison group (its id, e.g. 'G92788', and the name readers see)."""

    id: str
    namn: str


@dataclass(frozen=True)
class PlanConfig:
    kommun: str  # as written in running text: "Norrtälje kommun"
    kortnamn: str  # as the business-climate files name the kommun: "Norrtälje"
    genitiv: str  # "Norrtälje kommuns"
    kommunkod: str  # Kolada's four-digit municipality id
    titel: str  # the plan's name
    forsta_ar: int
    sista_ar: int
    samordnare: str  # the unit that collects the reports
    invanare: int | None = None  # for Svenskt Näringsliv's size class (questionnaires sent)
    jamforelsegrupper: tuple[Jamforelsegrupp, ...] = field(default_factory=tuple)

    @property
    def ar(self) -> range:
        """The plan's follow-up years."""
        return range(self.forsta_ar, self.sista_ar + 1)

    @property
    def period(self) -> str:
        """'2025–2030'."""
        return f"{self.forsta_ar}–{self.sista_ar}"


_TEXT = ("kommun", "kortnamn", "genitiv", "titel", "samordnare")


def parse_config(block, shown: str) -> PlanConfig:
    """A `plan:` mapping checked field by field; InputError listing every problem."""
    problems: list[Problem] = []

    def bad(key: str, value, expected: str) -> None:
        problems.append(Problem(shown, expected, column=f"{BLOCK}.{key}", value="" if value is None else str(value)))

    if not isinstance(block, dict):
        raise InputError([Problem(shown, f"ett avsnitt '{BLOCK}:' med kommunens och planens uppgifter",
                                  column=BLOCK, value="saknas" if block is None else str(block)[:80])])
    values: dict = {}
    for key in _TEXT:
        v = block.get(key)
        if not isinstance(v, str) or not v.strip():
            bad(key, v, "en text (får inte vara tom)")
        else:
            values[key] = v.strip()
    code = block.get("kommunkod")
    code = f"{code:04d}" if isinstance(code, int) and not isinstance(code, bool) else code
    if not isinstance(code, str) or not re.fullmatch(r"[0-9]{4}", code):
        bad("kommunkod", code, "Koladas kommunkod med fyra siffror inom citattecken, t.ex. \"0188\"")
    else:
        values["kommunkod"] = code
    for key in ("forsta_ar", "sista_ar"):
        v = block.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or not 2000 <= v <= 2100:
            bad(key, v, "ett årtal, t.ex. 2025")
        else:
            values[key] = v
    if "forsta_ar" in values and "sista_ar" in values and values["sista_ar"] < values["forsta_ar"]:
        bad("sista_ar", values["sista_ar"], f"ett år som är samma som eller efter forsta_ar ({values['forsta_ar']})")
    inv = block.get("invanare")
    if inv is not None and (not isinstance(inv, int) or isinstance(inv, bool) or inv <= 0):
        bad("invanare", inv, "antalet invånare som ett heltal, t.ex. 63000")
    groups = []
    for i, g in enumerate(block.get("jamforelsegrupper") or []):
        if not isinstance(g, dict) or not re.fullmatch(r"G[0-9]+", str(g.get("id", ""))) or not str(g.get("namn", "")).strip():
            bad(f"jamforelsegrupper[{i + 1}]", g, "id (Koladas grupp-id, t.ex. G92788) och namn")
        else:
            groups.append(Jamforelsegrupp(str(g["id"]), str(g["namn"]).strip()))
    if problems:
        raise InputError(problems)
    return PlanConfig(**values, invanare=inv, jamforelsegrupper=tuple(groups))


def load_config(path: Path) -> PlanConfig:
    """The `plan:` block of the project's _config.yml."""
    path = Path(path)
    shown = display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Problem(shown, "en läsbar YAML-fil", value=str(exc).splitlines()[0][:120])]) from None
    return parse_config(data.get(BLOCK) if isinstance(data, dict) else None, shown)
