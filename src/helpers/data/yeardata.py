"""A year's follow-up (the plan's *standardmall*): status per åtgärd, indicator values, lärdomar.

Each year lives in `data/<år>/`. Files are checked against the register so that an unknown id,
a share over 100 or a negative count is caught with its file, row and column before any
notebook runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, display_path, typed
from helpers.core.missing import blank
from helpers.data import inputs
from helpers.data.csvio import find_input, is_example
from helpers.data.plan import Plan
from helpers.data.schema import check_references, load_table

# What a value must look like per indicator kind; the plan's kinds decide, not the file.
_VALUE_RULES = {
    "antal": (0, None, True, "ett heltal som är minst 0 (antal)"),
    "andel": (0, 100, False, "en andel i procent från 0 till 100"),
    "index": (0, 100, False, "ett indexvärde från 0 till 100"),
    "betyg": (1, 6, False, "ett betyg från 1 till 6"),
}


@dataclass(frozen=True)
class YearData:
    """One year's validated input. `exempeldata` is true when any file is invented data."""

    year: int
    status: pd.DataFrame
    varden: pd.DataFrame
    lardomar: pd.DataFrame
    files: tuple[Path, ...]
    exempeldata: bool
    warnings: tuple[Problem, ...] = ()  # not errors, but nothing the analyst should miss


def year_folders(data_dir: Path) -> list[int]:
    """Years that have a folder under data/, oldest first."""
    return sorted(int(p.name) for p in Path(data_dir).iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def load_year(data_dir: Path, year: int, plan: Plan) -> YearData:
    """Load and check one year; raise InputError with every problem in every file of that year."""
    folder = Path(data_dir) / str(year)
    if not folder.is_dir():
        raise InputError([Problem(display_path(folder), f"en mapp med årets uppföljning (skapa den med "
                                  f"'python -m helpers mall --ar {year}' och 'importera')", value="mappen saknas")])
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    files: list[Path] = []
    loaded: dict[str, Path] = {}
    for f in inputs.files_in(inputs.YEAR):
        stem, spec = f.stem, f.spec
        try:
            path = find_input(folder, stem, required=f.required)
            if path is None:
                frames[stem] = pd.DataFrame(columns=spec.names)
                continue
            files.append(path)
            frames[stem] = load_table(path, spec)
            loaded[stem] = path
        except InputError as exc:
            problems.extend(exc.problems)
    # Register checks run on every file that parsed, even when another file had problems,
    # so the analyst sees all problems of the year at once.
    if "status" in loaded:
        problems += _check_status(frames["status"], loaded["status"], plan, year)
    if "indikatorvarden" in loaded:
        problems += _check_values(frames["indikatorvarden"], loaded["indikatorvarden"], plan)
    if "lardomar" in loaded:
        problems += check_references(frames["lardomar"], "atgard_id", set(plan.atgarder.index),
                                     display_path(loaded["lardomar"]), "en åtgärd i handlingsplanen")
    if problems:
        raise InputError(problems)
    status = frames["status"].reset_index().set_index("atgard_id", drop=False)
    varden = frames["indikatorvarden"].reset_index().set_index("indikator_id", drop=False)
    return YearData(year, status, varden, frames["lardomar"].reset_index(drop=True), tuple(files),
                    any(is_example(f) for f in files), tuple(_warnings(frames, loaded, plan, year)))


def _warnings(frames: dict[str, pd.DataFrame], loaded: dict[str, Path], plan: Plan, year: int) -> list[Problem]:
    """A year file with only its header row, or åtgärder without a status, is allowed but said."""
    out = []
    for stem, what in (("status", "en rad per åtgärd"), ("indikatorvarden", "årets indikatorvärden")):
        if stem in loaded and frames[stem].empty:
            out.append(Problem(display_path(loaded[stem]), f"{what} (allt för {year} redovisas som 'uppgift saknas')",
                               value="filen har bara rubrikraden"))
    if "status" in loaded and not frames["status"].empty:
        reported = set(frames["status"]["atgard_id"])
        missing = [a for a in plan.order if a not in reported]
        if missing:
            out.append(Problem(display_path(loaded["status"]), f"en rad per åtgärd ({len(missing)} saknas och "
                               "redovisas som 'status saknas')", column="atgard_id",
                               value="rader saknas för " + ", ".join(missing)))
    return out


def _check_status(frame: pd.DataFrame, path: Path, plan: Plan, year: int) -> list[Problem]:
    shown = display_path(path)
    problems = check_references(frame, "atgard_id", set(plan.atgarder.index), shown,
                                "ett åtgärdsnummer från handlingsplanen (" + ", ".join(plan.order) + ")")
    for line, row in frame.iterrows():
        for col in ("period_fran", "period_till"):
            if not blank(row[col]) and row[col].year not in (year, year - 1, year + 1):
                problems.append(Problem(shown, f"ett datum nära uppföljningsåret {year}", row=int(line),
                                        column=col, value=row[col].isoformat()))
    return problems


def _check_values(frame: pd.DataFrame, path: Path, plan: Plan) -> list[Problem]:
    shown = display_path(path)
    ind = plan.indikatorer
    problems = check_references(frame, "indikator_id", set(ind.index), shown,
                                "ett indikator-id från data/plan/indikatorer.csv")
    for line, row in frame.iterrows():
        iid = row["indikator_id"]
        if iid not in ind.index:
            continue
        meta = ind.loc[iid]
        given = [c for c in ("varde", "uppnatt_datum", "text", "jamforelsevarde") if not blank(row.get(c))]
        if not blank(meta["serie"]) and given:
            problems.append(Problem(shown, f"inget värde: värdet för {iid} hämtas från företagsklimatdata ({meta['serie']}); "
                                    "raden får bara ha prognos och kommentar", row=int(line), column=given[0],
                                    value=typed(row[given[0]]) if isinstance(row[given[0]], float) else str(row[given[0]])))
            continue
        if not blank(meta["varde_fran"]) and given:
            problems.append(Problem(shown, f"inget värde: {iid} redovisas med värdet för {meta['varde_fran']}; raden får "
                                    "bara ha prognos och kommentar", row=int(line), column=given[0],
                                    value=typed(row[given[0]]) if isinstance(row[given[0]], float) else str(row[given[0]])))
            continue
        typ = meta["typ"]
        value = row["varde"]
        for column in ("varde", "jamforelsevarde"):
            number = row.get(column)
            if typ in _VALUE_RULES and not blank(number):
                low, high, whole, text = _VALUE_RULES[typ]
                whole = whole and meta["enhet"] == "st"  # averages ('medelvärde') may have decimals
                if number < low or (high is not None and number > high) or (whole and not float(number).is_integer()):
                    problems.append(Problem(shown, f"{text} för indikator {iid}", row=int(line), column=column,
                                            value=typed(number)))
        if typ not in _VALUE_RULES and not blank(row.get("jamforelsevarde")):
            problems.append(Problem(shown, f"tomt: {iid} är en {typ} och jämförs inte med ett värde",
                                    row=int(line), column="jamforelsevarde", value=typed(row["jamforelsevarde"])))
        if meta["maltyp"] == "ingen" and not blank(row.get("prognos")):
            problems.append(Problem(shown, f"tomt: {iid} har inget mål i handlingsplanen, så det finns inget att "
                                    "lämna prognos för", row=int(line), column="prognos", value=row["prognos"]))
        if typ in ("milstolpe", "kvalitativ") and not blank(value):
            what = "uppnatt_datum" if typ == "milstolpe" else "text"
            shown_value = typed(value)
            problems.append(Problem(shown, f"tomt: {iid} är en {typ} och anges i kolumnen '{what}'",
                                    row=int(line), column="varde", value=shown_value))
        if typ != "milstolpe" and not blank(row["uppnatt_datum"]):
            problems.append(Problem(shown, f"tomt: uppnatt_datum gäller bara milstolpar ({iid} är {typ})",
                                    row=int(line), column="uppnatt_datum", value=row["uppnatt_datum"].isoformat()))
    return problems


def load_years(data_dir: Path, plan: Plan, up_to: int) -> dict[int, YearData]:
    """All years up to and including `up_to`: the report year plus the history it compares with."""
    years = [y for y in year_folders(data_dir) if y <= up_to]
    if up_to not in years:
        load_year(data_dir, up_to, plan)  # raises the Swedish 'mappen saknas' error
    problems: list[Problem] = []
    out: dict[int, YearData] = {}
    for y in years:
        try:
            out[y] = load_year(data_dir, y, plan)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return out
