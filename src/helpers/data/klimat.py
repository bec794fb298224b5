"""Företagsklimat data: SKR Insikt (NKI) and Svenskt Näringslivs ranking, loaded and checked.

Files in `data/foretagsklimat/` (see docs/foretagsklimat.md):
- `insikt_publicerat.csv`   real published aggregates, each row with its source;
- `insikt[.exempeldata].csv` aggregates per year, område and measure;
- `insikt_svar[.exempeldata].csv` respondent-level answers (optional), from which aggregates
  and significance tests are computed;
- `ranking_publicerat.csv`, `ranking[.exempeldata].csv` ranking placering, omdöme and factors.

Values fetched from Kolada (`data/external/kolada/`, :mod:`helpers.data.kolada`) for KPIs confirmed
in `kpi_mappning.csv` join the Insikt rows as real figures with source and fetch date; the rule
for a Kolada value and a hand-typed one for the same year, område and mått is `kolada.merge_insikt`.

Timing: Insikt results for measurement year Y are published in April–May of Y+1, so the report
for year Y uses Insikt up to Y−1; the ranking is published each September, so up to Y.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, display_path
from helpers.data import config, inputs, kolada
from helpers.data.csvio import is_example
from helpers.data.schema import TableSpec, load_optional

INSIKT_FORDROJNING_AR = 1  # Insikt for year Y is published in Y+1 (SKR, 2022–2024 publication dates)
RANKING_FORDROJNING_AR = 0  # the ranking of year Y is published in September of Y


def _known_places(frame: pd.DataFrame, problems: list[Problem]) -> None:
    """Every Insikt row is the kommun, Riket or a configured comparison: any other is refused, never dropped."""
    allowed = config.active().jamforelser
    for line, r in frame[~frame["kommun"].isin(allowed)].iterrows():
        problems.append(Problem(r["_fil"], "kommunens namn som i plan.kortnamn i _config.yml, 'Riket' eller en "
                                "jämförelsegrupp: " + ", ".join(f"'{a}'" for a in allowed),
                                row=int(line), column="kommun", value=r["kommun"]))


@dataclass(frozen=True)
class KlimatData:
    """The validated företagsklimat files, every year, before anything is computed from them.

    Rows keep `exempeldata` (from the file name) and `_fil` (the file, for messages).
    """

    insikt: pd.DataFrame  # published and exempeldata aggregates together
    svar: pd.DataFrame  # respondent answers (may be empty)
    ranking: pd.DataFrame
    files: tuple[Path, ...]


def _load_optional(folder: Path, stem: str, spec: TableSpec, problems: list[Problem], files: list[Path]) -> pd.DataFrame:
    frame, path = load_optional(folder, stem, spec, problems)
    if path is None:
        return frame
    files.append(path)
    return frame.assign(exempeldata=is_example(path), _fil=display_path(path))


def _real_only(frame: pd.DataFrame, path_name: str, problems: list[Problem]) -> None:
    """Files named *_publicerat hold real figures only: 'exempeldata' as a source contradicts that."""
    for line, r in frame.iterrows():
        if "exempeldata" in str(r["kalla"]).lower():
            problems.append(Problem(path_name, "en verklig källa (exempeldata hör hemma i *.exempeldata.csv)",
                                    row=int(line), column="kalla", value=r["kalla"]))


def _duplicates(frame: pd.DataFrame, keys: list[str], problems: list[Problem], what: str) -> None:
    dup = frame[frame.duplicated(keys, keep=False)]
    for line, r in dup.iterrows():
        key = ", ".join(f"{k}={r[k]}" for k in keys)
        problems.append(Problem(r["_fil"], f"en rad per {what} i alla filer tillsammans", row=int(line),
                                column=keys[-1], value=key))


def _load_kolada(data_dir: Path, problems: list[Problem], files: list[Path]) -> pd.DataFrame:
    """Insikt rows from Kolada's stored values (empty without them); the files read join `files`."""
    try:
        stored = kolada.load_stored(data_dir)
        rows = kolada.insikt_rows(stored)
    except InputError as exc:
        problems.extend(exc.problems)
        return pd.DataFrame()
    files.extend(stored.files)
    return rows


def load(folder: Path) -> KlimatData | None:
    """Load every företagsklimat file and the Kolada values that feed it; None when there is neither."""
    folder = Path(folder)
    problems: list[Problem] = []
    files: list[Path] = []
    fetched = _load_kolada(folder.parent, problems, files)
    if not folder.is_dir() and fetched.empty and not problems:
        return None
    frames = {f.stem: _load_optional(folder, f.stem, f.spec, problems, files) for f in inputs.files_in(inputs.KLIMAT)}
    pub, agg, svar = frames["insikt_publicerat"], frames["insikt"], frames["insikt_svar"]
    rpub, rank = frames["ranking_publicerat"], frames["ranking"]
    if len(pub):
        _real_only(pub, pub["_fil"].iloc[0], problems)
    if len(rpub):
        _real_only(rpub, rpub["_fil"].iloc[0], problems)
    insikt = pd.concat([x for x in (pub, agg) if len(x)], ignore_index=False) if len(pub) or len(agg) else agg
    insikt, disagree = kolada.merge_insikt(insikt, fetched)
    problems += disagree
    ranks = pd.concat([x for x in (rpub, rank) if len(x)], ignore_index=False) if len(rpub) or len(rank) else rank
    for frame in (pub, agg):
        if len(frame):
            _known_places(frame, problems)
    if len(insikt):
        _duplicates(insikt, ["ar", "kommun", "omrade", "matt"], problems, "år, kommun, område och mått")
    if len(ranks):
        _duplicates(ranks, ["ar", "matt"], problems, "år och mått")
    if problems:
        raise InputError(problems)
    return KlimatData(insikt, svar, ranks, tuple(files))
