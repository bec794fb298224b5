"""The handlingsplan as data: målområden, åtgärder, indikatorer and the links between them.

`data/plan/` is the single source of truth; code, notebooks and the book's table of contents
read it through `load_plan` and never keep their own copies of ids or texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, display_path
from helpers.core.fmt import date_sv, number_sv
from helpers.core.missing import blank
from helpers.core.text import natural_key
from helpers.data import inputs
from helpers.data.csvio import read_table
from helpers.data.schema import check_references, load_table


@dataclass(frozen=True)
class Plan:
    """The validated register. Frames are indexed by id."""

    malomraden: pd.DataFrame
    atgarder: pd.DataFrame
    indikatorer: pd.DataFrame
    kopplingar: pd.DataFrame
    folder: Path

    def atgard(self, atgard_id: str) -> pd.Series:
        if atgard_id not in self.atgarder.index:
            known = ", ".join(self.atgarder.index)
            raise InputError([Problem(display_path(self.folder / "atgarder.csv"), f"ett av: {known}",
                                      column="atgard_id", value=atgard_id)])
        return self.atgarder.loc[atgard_id]

    def heading(self, atgard_id: str) -> str:
        """'1.1 Fortsatt utveckling av företagslotsen': how the plan names an åtgärd."""
        return f"{atgard_id} {self.atgard(atgard_id)['titel']}"

    def indicators_of(self, atgard_id: str) -> pd.DataFrame:
        return self.indikatorer[self.indikatorer["atgard_id"] == atgard_id]

    def atgarder_in(self, malomrade_id: int) -> pd.DataFrame:
        return self.atgarder[self.atgarder["malomrade_id"] == malomrade_id]

    def links_of(self, atgard_id: str) -> pd.DataFrame:
        """Links named by this åtgärd, and links from other åtgärder that point at it."""
        k = self.kopplingar
        mask = (k["fran_atgard"] == atgard_id) | (k["till_atgard"] == atgard_id)
        return k[mask]

    @cached_property
    def order(self) -> list[str]:
        """Åtgärder in the plan's order (1.1, 1.2, …, 1.10; A1, A2), independent of file order."""
        return sorted(self.atgarder.index, key=natural_key)


def _cross_check_partial(frames: dict, folder: Path) -> list[Problem]:
    """References between the files, when some file failed its own checks.

    Files that failed are read again as plain text, so a bad id there is still reported in the
    same run as the cell problems.
    """
    specs = {f.stem: f.spec for f in inputs.files_in(inputs.PLAN)}
    text: dict[str, pd.DataFrame | None] = {}
    for name, frame in frames.items():
        if frame is not None:
            text[name] = frame.astype(object).where(frame.notna(), "").astype(str)
            continue
        try:
            text[name] = read_table(folder / f"{name}.csv", specs[name].names)
        except InputError:
            text[name] = None
    mo, at, ind, ko = (text[n] for n in ("malomraden", "atgarder", "indikatorer", "kopplingar"))
    shown = {n: display_path(folder / f"{n}.csv") for n in frames}
    problems: list[Problem] = []

    def refs(frame, column, allowed, file, expected):
        values = frame[column].map(lambda v: "" if v in ("", "<NA>", "None", "nan") else v.removesuffix(".0"))
        return check_references(frame.assign(**{column: values.replace("", None)}), column, allowed, file, expected)

    if at is not None:
        at_ids = set(at["atgard_id"]) - {""}
        if ind is not None:
            problems += refs(ind, "atgard_id", at_ids, shown["indikatorer"], "en åtgärd i atgarder.csv")
        if ko is not None:
            problems += refs(ko, "fran_atgard", at_ids, shown["kopplingar"], "en åtgärd i atgarder.csv")
            problems += refs(ko, "till_atgard", at_ids, shown["kopplingar"], "en åtgärd i atgarder.csv")
    if mo is not None:
        mo_ids = {v.removesuffix(".0") for v in mo["malomrade_id"]} - {""}
        for name, frame in (("atgarder", at), ("indikatorer", ind)):
            if frame is not None:
                problems += refs(frame, "malomrade_id", mo_ids, shown[name], "ett målområde i malomraden.csv")
    return problems


def load_plan(folder: Path) -> Plan:
    """Load and cross-check the register; every problem in every file is reported together."""
    folder = Path(folder)
    problems: list[Problem] = []
    frames = {}
    for f in inputs.files_in(inputs.PLAN):
        name = f.stem
        try:
            frames[name] = load_table(folder / f"{name}.csv", f.spec)
        except InputError as exc:
            problems.extend(exc.problems)
            frames[name] = None
    if any(f is None for f in frames.values()):
        # Cross-checks still run on the files that loaded, so every problem is reported in one go.
        problems += _cross_check_partial(frames, folder)
        raise InputError(problems)
    mo, at, ind, ko = (frames[n] for n in ("malomraden", "atgarder", "indikatorer", "kopplingar"))
    f_at, f_ind, f_ko = (display_path(folder / f"{n}.csv") for n in ("atgarder", "indikatorer", "kopplingar"))
    mo_ids = set(int(x) for x in mo["malomrade_id"])
    at_ids = set(at["atgard_id"])
    problems += check_references(at, "malomrade_id", mo_ids, f_at, "ett målområde i malomraden.csv")
    problems += check_references(ind, "atgard_id", at_ids, f_ind, "en åtgärd i atgarder.csv")
    problems += check_references(ind, "malomrade_id", mo_ids, f_ind, "ett målområde i malomraden.csv")
    problems += check_references(ko, "fran_atgard", at_ids, f_ko, "en åtgärd i atgarder.csv")
    problems += check_references(ko, "till_atgard", at_ids, f_ko, "en åtgärd i atgarder.csv")
    at_mo = dict(zip(at["atgard_id"], at["malomrade_id"]))
    ind_ids = dict(zip(ind["indikator_id"], ind["atgard_id"]))
    for line, row in ind.iterrows():
        a = row["atgard_id"]
        if not blank(a) and a in at_mo and at_mo[a] != row["malomrade_id"]:
            problems.append(Problem(f_ind, f"målområde {at_mo[a]} (åtgärd {a}:s målområde)", row=int(line),
                                    column="malomrade_id", value=int(row["malomrade_id"])))
        src = row["varde_fran"]
        if not blank(src) and (src not in ind_ids or ind_ids[src] != a or src == row["indikator_id"]):
            problems.append(Problem(f_ind, "id för en annan indikator i samma åtgärd", row=int(line),
                                    column="varde_fran", value=src))
        if not blank(row["atgard_id"]) and not str(row["indikator_id"]).startswith(f"{a}-"):
            problems.append(Problem(f_ind, f"ett id som börjar med '{a}-'", row=int(line),
                                    column="indikator_id", value=row["indikator_id"]))
    if problems:
        raise InputError(problems)
    mo = mo.assign(malomrade_id=mo["malomrade_id"].astype(int)).set_index("malomrade_id", drop=False)
    at = at.assign(malomrade_id=at["malomrade_id"].astype(int)).set_index("atgard_id", drop=False)
    ind = ind.assign(malomrade_id=ind["malomrade_id"].astype(int)).set_index("indikator_id", drop=False)
    return Plan(mo, at, ind, ko.reset_index(drop=True), folder)


def threshold_at_most(meta: pd.Series) -> bool:
    """A tröskel with riktning 'minska' is a ceiling ("högst 100", "topp 100" in a ranking); otherwise a floor."""
    return meta["maltyp"] == "tröskel" and not blank(meta["riktning"]) and meta["riktning"] == "minska"


def target_text(meta: pd.Series) -> str:
    """The plan's target in plain Swedish words: the book's tables and the Excel mall both use it."""
    kind = meta["maltyp"]
    if kind == "tröskel":
        unit = " st" if meta["enhet"] == "st" else ""
        when = f" (gäller {int(meta['malar'])})" if not blank(meta["malar"]) else " per år"
        return f"{'högst' if threshold_at_most(meta) else 'minst'} {number_sv(float(meta['malvarde']))}{unit}{when}"
    if kind == "riktning":
        return f"ska {meta['riktning']} jämfört med föregående år"
    if kind == "milstolpe":
        return meta["deadline_text"] if not blank(meta["deadline_text"]) else f"senast {date_sv(meta['deadline'])}"
    return "inget mål angivet"
