"""The kommun's peers: comparison-group means, the members of "liknande kommuner", Riket, and the
context KPIs of the strategy, as the book reads them (offline).

Two sources, one table:
- values fetched from Kolada (`data/external/kolada/varden.csv`, with `grupper.csv` naming each
  group's members at fetch time) – real, `Källa: Kolada` with the fetch date;
- `data/jamforelser/jamforelse.exempeldata.csv` – invented values for what has never been
  fetched, so the chapter can be shown; always labelled exempeldata. A fetched value replaces the
  invented one for the same KPI, unit and year. A file of that name *without* `.exempeldata` is
  refused: a value that was not fetched has no source to cite.

Insikt values are mapped to their series (`insikt:<område>:<mått>`) with the same confirmed rows
and year ranges as the kommun's own values (`kpi_mappning.csv`), so old and new totalt stay two
series here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, display_path
from helpers.core.missing import blank
from helpers.data import config, inputs, kolada
from helpers.data.csvio import is_example
from helpers.data.kolada.mapping import _years
from helpers.data.schema import load_optional

RIKET = "0000"
GRUPP_SUFFIX = " (ovägt medel)"  # how Kolada titles a group's mean; the book says "medel" in its own words

KOLUMNER = ["kpi_id", "enhet_id", "ar", "varde", "antal", "kalla", "exempeldata", "serie"]


@dataclass(frozen=True)
class Grupp:
    id: str
    namn: str
    medlemmar: tuple[tuple[str, str], ...]  # (kommun id, name) at fetch time, or as the exempeldata names them
    per_medlem: bool  # "liknande kommuner": members shown one by one
    exempeldata: bool  # the member list and values were never fetched


@dataclass(frozen=True)
class Jamforelser:
    """Values for the kommun, Riket, the groups and the members, with where each came from."""

    kommun_id: str
    varden: pd.DataFrame  # KOLUMNER; `serie` for Insikt KPIs (blank for context KPIs)
    grupper: tuple[Grupp, ...]
    kontext: pd.DataFrame  # kpi_id, titel, namn, enhet, varfor
    namn: dict[str, str]  # unit id -> name (members and groups)
    files: tuple[Path, ...]

    @property
    def exempeldata(self) -> bool:
        return bool(self.varden["exempeldata"].any()) if len(self.varden) else False


def _series_of(mapping: pd.DataFrame) -> list[tuple[str, float, float, str]]:
    use = mapping[(mapping["bekraftad"] == "ja") & ~mapping["serie"].map(blank)] if len(mapping) else mapping
    return [(r["kpi_id"], *_years(r), r["serie"]) for _, r in use.iterrows()]


def _serie(rules, kpi: str, year: int) -> str:
    for k, lo, hi, serie in rules:
        if k == kpi and lo <= year + kolada.PERIOD_TILL_MATAR <= hi:
            return serie
    return ""


def _example(data_dir: Path, problems: list[Problem], files: list[Path]) -> pd.DataFrame:
    def fetched_only(path: Path) -> Problem | None:
        if is_example(path):
            return None
        return Problem(display_path(path), "jamforelse.exempeldata.csv: värden som inte hämtats från Kolada har "
                                           "ingen källa och är exempeldata (hämta de verkliga med python -m "
                                           "helpers hamta kolada)", value=path.name)

    spec = inputs.entry(inputs.JAMFOR, "jamforelse").spec
    frame, path = load_optional(Path(data_dir) / inputs.JAMFOR, "jamforelse", spec, problems, refuse=fetched_only)
    if path is None:
        return frame
    files.append(path)
    for line, r in frame.iterrows():
        if "exempeldata" not in str(r["kalla"]).lower():
            problems.append(Problem(display_path(path), "'exempeldata' som källa", row=int(line), column="kalla",
                                    value=r["kalla"]))
    return frame


def load(data_dir: Path, kommun_id: str | None = None) -> Jamforelser | None:
    """The comparison values the book shows; None when there are neither fetched nor invented ones.
    The kommun is the plan's (`plan.kommunkod` of the data folder's configuration) unless named."""
    plan = config.for_data(data_dir)
    kommun_id = kommun_id or plan.kommunkod
    problems: list[Problem] = []
    files: list[Path] = []
    try:
        stored = kolada.load_stored(data_dir)
    except InputError as exc:
        raise InputError(exc.problems) from None
    example = _example(data_dir, problems, files)
    if problems:
        raise InputError(problems)
    rules = _series_of(stored.mappning)
    titles = dict(zip(stored.kpi["kpi_id"], stored.kpi["titel"])) if len(stored.kpi) else {}
    rows: dict[tuple, dict] = {}
    for _, r in example.iterrows():
        rows[(r["kpi_id"], r["enhet_id"], int(r["ar"]))] = {
            "kpi_id": r["kpi_id"], "enhet_id": r["enhet_id"], "ar": int(r["ar"]),
            "varde": None if blank(r["varde"]) else float(r["varde"]),
            "antal": None if blank(r["antal"]) else int(r["antal"]), "kalla": "exempeldata", "exempeldata": True}
    fetched = stored.varden[stored.varden["kon"] == "T"] if len(stored.varden) else stored.varden
    for _, r in fetched.iterrows():
        title = titles.get(r["kpi_id"], "")
        rows[(r["kpi_id"], r["kommun_id"], int(r["ar"]))] = {
            "kpi_id": r["kpi_id"], "enhet_id": r["kommun_id"], "ar": int(r["ar"]),
            "varde": None if blank(r["varde"]) else float(r["varde"]),
            "antal": None if blank(r.get("antal")) else int(r["antal"]),
            "kalla": f"{kolada.KALLA}, nyckeltal {r['kpi_id']}" + (f" ”{title}”" if title else "")
                     + f", hämtat {r['hamtad'].isoformat()}", "exempeldata": False}
    if not rows:
        return None
    varden = pd.DataFrame(list(rows.values()))
    varden["serie"] = [_serie(rules, k, int(y)) for k, y in zip(varden["kpi_id"], varden["ar"])]
    names = {kommun_id: plan.kortnamn if kommun_id == plan.kommunkod else kommun_id, RIKET: "Riket"}
    names.update({r["enhet_id"]: r["namn"] for _, r in example.iterrows()})
    groups = _groups(stored.grupper, example, names)
    files.extend(stored.files)
    kontext = stored.kontext.drop(columns=["_fil"], errors="ignore")
    return Jamforelser(kommun_id, varden[KOLUMNER], groups, kontext, names, tuple(files))


def _groups(fetched: pd.DataFrame, example: pd.DataFrame, names: dict[str, str]) -> tuple[Grupp, ...]:
    """Fetched groups first (their member list at fetch time), then groups only the exempeldata names."""
    out: dict[str, Grupp] = {}
    if len(fetched):
        for gid, members in fetched.groupby("grupp_id", sort=False):
            title = str(members["titel"].iloc[0])
            names[gid] = title.removesuffix(GRUPP_SUFFIX)
            pairs = tuple(zip(members["medlem_id"], members["medlem_namn"]))
            names.update(dict(pairs))
            out[gid] = Grupp(gid, names[gid], pairs, kolada.per_member(title), False)
    ids = example["enhet_id"].astype(str) if len(example) else pd.Series(dtype=str)
    for gid in dict.fromkeys(i for i in ids if i.startswith("G")):
        if gid in out:
            continue
        members = tuple((m, names[m]) for m in dict.fromkeys(example.loc[example["grupp_id"] == gid, "enhet_id"]))
        out[gid] = Grupp(gid, names[gid], members, names[gid].startswith(kolada.PER_MEDLEM), True)
    return tuple(out.values())
