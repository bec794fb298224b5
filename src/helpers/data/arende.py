"""The ärende the report is sent as: the `arende:` block of _config.yml, for the tjänsteskrivelse.

Diarienummer, datum, handläggare and mottagare are facts of the kommun's case handling, not of the
plan or the data, so they live in configuration (one place, checked key by key like `plan:`) and
can be given on the command line of `rapport` and `pdf` (which win over the file). Every value is
optional: a value not given is said plainly in the document ("anges när ärendet registreras"),
never shown as a placeholder. Values that change per edition (diarienummer, datum, and handläggare
or mottagare when they do) are given per year under `ar:`:

    arende:
      mottagare: Kommunstyrelsen
      handlaggare: Anna Andersson, näringslivsutvecklare
      ar:
        2026: {diarienummer: "KS 2026/0123", datum: 2026-12-10}
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from helpers.core.errors import InputError, Problem, display_path
from helpers.core.fmt import date_sv

BLOCK = "arende"
FIELDS = ("diarienummer", "datum", "handlaggare", "mottagare")
MOTTAGARE = "Kommunstyrelsen"  # the plan's report goes to kommunstyrelsen unless the block says otherwise

# What the document says for a value that is not given.
EJ_ANGIVET = {
    "diarienummer": "anges när ärendet registreras",
    "datum": "anges när tjänsteskrivelsen undertecknas",
    "handlaggare": "anges av ansvarig enhet",
}


@dataclass(frozen=True)
class Arende:
    """One edition's ärende; None = not given."""

    diarienummer: str | None = None
    datum: dt.date | None = None
    handlaggare: str | None = None
    mottagare: str = MOTTAGARE

    def shown(self, name: str) -> str:
        """The value as readers see it, or what the document says when it is not given."""
        value = getattr(self, name)
        if value is None:
            return EJ_ANGIVET.get(name, "")
        if isinstance(value, dt.date):
            return date_sv(value)
        return str(value)

    def given(self, name: str) -> bool:
        return getattr(self, name) is not None


def _text(value, key: str, shown: str, problems: list[Problem]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # left empty in the file: not given yet
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        problems.append(Problem(shown, "en text", column=key, value=str(value)))
        return None
    return " ".join(str(value).split())


def _date(value, key: str, shown: str, problems: list[Problem]) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    problems.append(Problem(shown, "ett datum ÅÅÅÅ-MM-DD, t.ex. 2026-12-10", column=key, value=text))
    return None


def _values(block: dict, prefix: str, shown: str, problems: list[Problem]) -> dict:
    out = {}
    for key in FIELDS:
        if key in block:
            parse = _date if key == "datum" else _text
            value = parse(block[key], f"{prefix}.{key}", shown, problems)
            if value is not None:
                out[key] = value
    return out


def parse_arende(block, year: int, shown: str) -> Arende:
    """The `arende:` mapping for `year`, checked key by key; InputError listing every problem."""
    if block is None:
        return Arende()
    problems: list[Problem] = []
    if not isinstance(block, dict):
        raise InputError([Problem(shown, f"ett avsnitt '{BLOCK}:' med nycklarna {', '.join(FIELDS)} och 'ar'",
                                  column=BLOCK, value=str(block)[:80])])
    known = (*FIELDS, "ar")
    for key in sorted(set(block) - set(known), key=str):
        problems.append(Problem(shown, "en känd nyckel: " + ", ".join(known), column=f"{BLOCK}.{key}",
                                value=str(block[key])[:80]))
    values = _values(block, BLOCK, shown, problems)
    years = block.get("ar") or {}
    if not isinstance(years, dict):
        problems.append(Problem(shown, "ett år per rad med dess uppgifter, t.ex. 2026: {diarienummer: \"KS 2026/0123\"}",
                                column=f"{BLOCK}.ar", value=str(years)[:80]))
        years = {}
    for key, entry in years.items():
        where = f"{BLOCK}.ar.{key}"
        if not (isinstance(key, int) and not isinstance(key, bool) and 2000 <= key <= 2100):
            problems.append(Problem(shown, "ett årtal, t.ex. 2026", column=where, value=str(key)))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(shown, "nycklarna " + ", ".join(FIELDS), column=where, value=str(entry)[:80]))
            continue
        for unknown in sorted(set(entry) - set(FIELDS), key=str):
            problems.append(Problem(shown, "en känd nyckel: " + ", ".join(FIELDS), column=f"{where}.{unknown}",
                                    value=str(entry[unknown])[:80]))
        own = _values(entry, where, shown, problems)
        if key == year:
            values.update(own)
    if problems:
        raise InputError(problems)
    return Arende(**values)


def load_arende(config_path: Path, year: int) -> Arende:
    """The ärende of `year` from a _config.yml (no block: nothing given)."""
    path = Path(config_path)
    shown = display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Problem(shown, "en läsbar YAML-fil", value=str(exc).splitlines()[0][:120])]) from None
    return parse_arende(data.get(BLOCK) if isinstance(data, dict) else None, year, shown)


def with_overrides(arende: Arende, overrides: dict | None) -> Arende:
    """The command line's values over the file's (`--dnr`, `--datum`, `--handlaggare`, `--mottagare`);
    checked like the file's, named by their option."""
    if not overrides:
        return arende
    problems: list[Problem] = []
    values = {}
    for key, value in overrides.items():
        if value is None:
            continue
        parse = _date if key == "datum" else _text
        parsed = parse(value, f"--{OPTION[key]}", "kommandoraden", problems)
        if parsed is not None:
            values[key] = parsed
    if problems:
        raise InputError(problems)
    return replace(arende, **values)


OPTION = {"diarienummer": "dnr", "datum": "datum", "handlaggare": "handlaggare", "mottagare": "mottagare"}
