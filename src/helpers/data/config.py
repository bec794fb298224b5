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
from helpers.data import fakta

BLOCK = "plan"
RIKET = "Riket"
RIKET_KOD = "0000"  # Kolada's id for the whole country


@dataclass(frozen=True)
class Jamforelsegrupp:
    """A Kolada comparison group (its id, e.g. 'G92788', and the name readers see)."""

    id: str
    namn: str


@dataclass(frozen=True)
class PlanConfig:
    kommun: str  # as written in running text: "X kommun"
    kortnamn: str  # as the business-climate files (Insikt) name the kommun: "X"
    genitiv: str  # "X kommuns"
    kommunkod: str  # Kolada's four-digit municipality id
    titel: str  # the plan's name, without its period: "Handlingsplan tillhörande X kommuns näringslivsstrategi"
    strategi: str  # the strategy the plan belongs to, as in "X kommuns näringslivsstrategi"
    forsta_ar: int
    sista_ar: int
    samordnare: str  # the unit that collects the reports
    invanare: int | None = None  # for Svenskt Näringsliv's size class (questionnaires sent)
    jamforelsegrupper: tuple[Jamforelsegrupp, ...] = field(default_factory=tuple)
    ranking_enkater: int | None = None  # questionnaires Svenskt Näringsliv sends, when not the size class's rule
    rubrik: str = ""  # the start page's subtitle; {kommun} and {period} are filled in

    @property
    def undertitel(self) -> str:
        """The start page's subtitle: `rubrik` filled in, or the plan's name and period."""
        text = self.rubrik or f"{self.titel} {self.period} – uppföljning"
        return text.replace("{kommun}", self.kommun).replace("{period}", self.period)

    @property
    def planen(self) -> str:
        """'handlingsplanen till X kommuns näringslivsstrategi 2024–2027': the plan in running text."""
        return f"handlingsplanen till {self.genitiv} {self.strategi} {self.period}"

    @property
    def planens_namn(self) -> str:
        """'Handlingsplan tillhörande … näringslivsstrategi 2024–2027': the plan's full name with its period."""
        return f"{self.titel} {self.period}"

    @property
    def enkater(self) -> int:
        """Questionnaires in Svenskt Näringsliv's survey for this kommun (fakta.ranking_enkater)."""
        return self.ranking_enkater or fakta.ranking_enkater(self.invanare)

    @property
    def ranking_felmarginal(self) -> float:
        """The estimated margin of a ranking survey score for this kommun's size class."""
        return fakta.ranking_felmarginal(self.enkater)

    @property
    def enkater_text(self) -> str:
        """Why this many questionnaires, in a sentence part for readers (Om rapporten, the climate page)."""
        if self.ranking_enkater is not None:
            return f"{self.kommun} får {self.enkater} enkäter"
        if self.enkater == fakta.RANKING_ENKATER_STORA:
            return f"kommuner med fler än {fakta.RANKING_GRANS_INVANARE:,} invånare får {self.enkater} enkäter".replace(",", " ")
        return (f"kommuner med färre än {fakta.RANKING_GRANS_INVANARE:,} invånare och färre än 1 200 företag får "
                f"{self.enkater} enkäter").replace(",", " ")

    @property
    def kortnamn_genitiv(self) -> str:
        """'Borås' or 'Umeås': the short name in the genitive (no extra s after s, x or z)."""
        return self.kortnamn if self.kortnamn[-1] in "sxz" else self.kortnamn + "s"

    @property
    def kommuner(self) -> dict[str, str]:
        """Kolada municipality id → the name the business-climate rows use: the kommun itself and Riket."""
        return {self.kommunkod: self.kortnamn, RIKET_KOD: RIKET}

    @property
    def jamforelser(self) -> tuple[str, ...]:
        """Every name a business-climate row may carry: the kommun, Riket and the comparison groups."""
        return (self.kortnamn, RIKET, *(g.namn for g in self.jamforelsegrupper))

    @property
    def ar(self) -> range:
        """The plan's follow-up years."""
        return range(self.forsta_ar, self.sista_ar + 1)

    @property
    def period(self) -> str:
        """'2024–2027': forsta_ar–sista_ar with an en dash."""
        return f"{self.forsta_ar}–{self.sista_ar}"


_TEXT = ("kommun", "kortnamn", "genitiv", "titel", "strategi", "samordnare")
_OPTIONAL = ("invanare", "ranking_enkater", "jamforelsegrupper", "rubrik")


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
        bad("kommunkod", code, "Koladas kommunkod med fyra siffror inom citattecken, t.ex. \"0180\"")
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
    enk = block.get("ranking_enkater")
    if enk is not None and (not isinstance(enk, int) or isinstance(enk, bool) or not 1 <= enk <= 5000):
        bad("ranking_enkater", enk, "antalet enkäter Svenskt Näringsliv skickar till kommunen, t.ex. 200 eller 400")
    if inv is None and enk is None:
        bad("invanare", "", "antalet invånare (eller ranking_enkater): rankingens felmarginal beror på kommunens storlek")
    groups = []
    for i, g in enumerate(block.get("jamforelsegrupper") or []):
        if not isinstance(g, dict) or not re.fullmatch(r"G[0-9]+", str(g.get("id", ""))) or not str(g.get("namn", "")).strip():
            bad(f"jamforelsegrupper[{i + 1}]", g, "id (Koladas grupp-id, t.ex. G92788) och namn")
        else:
            groups.append(Jamforelsegrupp(str(g["id"]), str(g["namn"]).strip()))
    rubrik = block.get("rubrik")
    if rubrik is not None and (not isinstance(rubrik, str) or not rubrik.strip()):
        bad("rubrik", rubrik, "startsidans underrubrik som text ({kommun} och {period} fylls i), eller ingen rad alls")
    elif isinstance(rubrik, str) and re.search(r"\{(?!kommun\}|period\})[^}]*\}", rubrik):
        bad("rubrik", rubrik, "bara platshållarna {kommun} och {period}")
    known = (*_TEXT, "kommunkod", "forsta_ar", "sista_ar", *_OPTIONAL)
    for key in sorted(set(block) - set(known), key=str):
        bad(str(key), block[key], "en känd nyckel: " + ", ".join(known))
    if problems:
        raise InputError(problems)
    return PlanConfig(**values, invanare=inv, jamforelsegrupper=tuple(groups), ranking_enkater=enk,
                      rubrik=rubrik.strip() if isinstance(rubrik, str) else "")


def load_config(path: Path) -> PlanConfig:
    """The `plan:` block of the project's _config.yml."""
    path = Path(path)
    shown = display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Problem(shown, "en läsbar YAML-fil", value=str(exc).splitlines()[0][:120])]) from None
    return parse_config(data.get(BLOCK) if isinstance(data, dict) else None, shown)


FILE = "_config.yml"
_cache: dict[Path, tuple[float, PlanConfig]] = {}
_active: PlanConfig | None = None


def config_file(data_dir: Path) -> Path | None:
    """The _config.yml that owns a data folder: the nearest one, from the folder itself upwards.

    `data/` finds the project's; an edition's `indata/` finds the edition's own (written with the
    plan block before any notebook runs), so an archived year keeps the kommun it was built for.
    """
    here = Path(data_dir).resolve()
    for folder in (here, *here.parents):
        candidate = folder / FILE
        if candidate.is_file():
            return candidate
    return None


def for_data(data_dir: Path) -> PlanConfig:
    """The plan configuration of a data folder (see config_file); it becomes the active one."""
    path = config_file(data_dir)
    if path is None and _active is not None:  # a loose data folder (a test's copy): the one in use
        return _active
    if path is None:  # else the project's in the working folder
        path = config_file(Path.cwd())
    if path is None:
        raise InputError([Problem(display_path(Path(data_dir)), f"en {FILE} med ett avsnitt '{BLOCK}:' i mappen "
                                  "eller en mapp ovanför", value="saknas")])
    return use(_load_cached(path))


def _load_cached(path: Path) -> PlanConfig:
    stamp = path.stat().st_mtime_ns
    hit = _cache.get(path)
    if hit is None or hit[0] != stamp:
        hit = _cache[path] = (stamp, load_config(path))
    return hit[1]


def use(cfg: PlanConfig | None) -> PlanConfig | None:
    """Make `cfg` the configuration deep helpers read (one project per process); None forgets it."""
    global _active
    _active = cfg
    return cfg


def active() -> PlanConfig:
    """The configuration in use: the one the last load chose, else the project's in the working folder."""
    return _active if _active is not None else for_data(Path.cwd())
