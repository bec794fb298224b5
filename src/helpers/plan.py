"""The handlingsplan as data: målområden, åtgärder, indikatorer and the links between them.

`data/plan/` is the single source of truth; code, notebooks and the book's table of contents
read it through `load_plan` and never keep their own copies of ids or texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers.errors import InputError, Problem, display_path
from helpers.csvio import read_table
from helpers.validate import Col, TableSpec, blank, check_references, load_table

STATUSAR = ("ej påbörjad", "pågående", "genomförd", "avslutad")
TYPER = ("antal", "andel", "index", "betyg", "milstolpe", "kvalitativ")
ENHETER = ("st", "medelvärde", "%", "index", "betyg", "datum", "text")
MALTYPER = ("riktning", "tröskel", "milstolpe", "ingen")
RIKTNINGAR = ("öka", "minska")
KALLOR = (
    "egen uppföljning",
    "SKR Insikt",
    "Svenskt Näringslivs ranking",
    "Arbetsförmedlingen",
    "webbstatistik",
    "mål och budget",
)
KOPPLINGSTYPER = ("åtgärd", "nki-fråga", "ranking-faktor", "styrdokument")
FREKVENSER = ("kvartalsvis", "månadsvis", "årligen", "löpande", "efter aktivitet")

ATGARD_ID = r"^[1-9]\.[1-9]$"
SERIE_ID = r"^(insikt:[a-z_]+:[a-z_]+|ranking:[a-z_]+)$"

MALOMRADEN = TableSpec(
    (
        Col("malomrade_id", "int", required=True, unique=True, min=1, max=9),
        Col("namn", required=True),
        Col("inriktning", required=True),
        Col("beskrivning", required=True),
    )
)

ATGARDER = TableSpec(
    (
        Col("atgard_id", required=True, unique=True, pattern=ATGARD_ID, describe="ett åtgärdsnummer som '1.1'"),
        Col("malomrade_id", "int", required=True, min=1, max=9),
        Col("titel", required=True),
        Col("mal_och_syfte", required=True),
        Col("tidplan", required=True),
        Col("planerat_klart", "date"),
        Col("ansvarig", required=True),
        Col("ansvar", required=True),
        Col("uppfoljningsfrekvens", "choice", required=True, choices=FREKVENSER),
        Col("uppfoljning", required=True),
        Col("kommentar"),
    )
)


def _indicator_rules(row: pd.Series) -> list[tuple[str, object, str]]:
    """Cross-column rules of an indicator row: each target kind needs its own fields."""
    out = []
    maltyp = row["maltyp"]
    if maltyp == "tröskel" and blank(row["malvarde"]):
        out.append(("malvarde", "", "ett målvärde när maltyp är 'tröskel'"))
    if maltyp == "milstolpe" and blank(row["deadline"]):
        out.append(("deadline", "", "ett datum när maltyp är 'milstolpe'"))
    if maltyp == "riktning" and blank(row["riktning"]):
        out.append(("riktning", "", "'öka' eller 'minska' när maltyp är 'riktning'"))
    if row["typ"] == "milstolpe" and maltyp != "milstolpe":
        out.append(("maltyp", maltyp, "'milstolpe' när typ är 'milstolpe'"))
    if row["typ"] == "kvalitativ" and maltyp not in ("ingen",):
        out.append(("maltyp", maltyp, "'ingen' när typ är 'kvalitativ' (beskrivs, bedöms inte)"))
    if blank(row["atgard_id"]) and not str(row["indikator_id"]).startswith("M"):
        out.append(("atgard_id", "", "en åtgärd (bara indikatorer med id 'M…' hör direkt till ett målområde)"))
    return out


INDIKATORER = TableSpec(
    (
        Col("indikator_id", required=True, unique=True, pattern=r"^([1-9]\.[1-9]|M[1-9])-[0-9]+$",
            describe="ett id som '1.1-1' eller 'M4-1'"),
        Col("atgard_id"),
        Col("malomrade_id", "int", required=True, min=1, max=9),
        Col("text", required=True),
        Col("typ", "choice", required=True, choices=TYPER),
        Col("enhet", "choice", required=True, choices=ENHETER),
        Col("riktning", "choice", choices=RIKTNINGAR),
        Col("maltyp", "choice", required=True, choices=MALTYPER),
        Col("malvarde", "decimal", min=0),
        Col("malar", "int", min=2000, max=2100),
        Col("deadline", "date"),
        Col("deadline_text"),
        Col("kalla", "choice", required=True, choices=KALLOR),
        Col("serie", pattern=SERIE_ID, describe="ett serie-id som 'insikt:totalt:nki' eller 'ranking:infrastruktur'"),
        Col("varde_fran"),
        Col("anmarkning"),
    ),
    row_rules=(_indicator_rules,),
)

KOPPLINGAR = TableSpec(
    (
        Col("fran_atgard", required=True),
        Col("typ", "choice", required=True, choices=KOPPLINGSTYPER),
        Col("till_atgard"),
        Col("till_serie", pattern=SERIE_ID, describe="ett serie-id som 'insikt:totalt:nki'"),
        Col("till_dokument"),
        Col("beskrivning", required=True),
    ),
    row_rules=(
        lambda r: [("till_atgard", "", "ett åtgärdsnummer när typ är 'åtgärd'")]
        if r["typ"] == "åtgärd" and blank(r["till_atgard"]) else [],
        lambda r: [("till_serie", "", "ett serie-id när typ är 'nki-fråga' eller 'ranking-faktor'")]
        if r["typ"] in ("nki-fråga", "ranking-faktor") and blank(r["till_serie"]) else [],
        lambda r: [("till_dokument", "", "dokumentets namn när typ är 'styrdokument'")]
        if r["typ"] == "styrdokument" and blank(r["till_dokument"]) else [],
    ),
)


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
        """Åtgärder in the plan's order (1.1, 1.2, …, 6.4), independent of file order."""
        return sorted(self.atgarder.index, key=lambda a: tuple(int(p) for p in a.split(".")))


def _cross_check_partial(frames: dict, folder: Path) -> list[Problem]:
    """References between the files, when some file failed its own checks.

    Files that failed are read again as plain text, so a bad id there is still reported in the
    same run as the cell problems.
    """
    specs = {"malomraden": MALOMRADEN, "atgarder": ATGARDER, "indikatorer": INDIKATORER, "kopplingar": KOPPLINGAR}
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
    for name, spec in (("malomraden", MALOMRADEN), ("atgarder", ATGARDER),
                       ("indikatorer", INDIKATORER), ("kopplingar", KOPPLINGAR)):
        try:
            frames[name] = load_table(folder / f"{name}.csv", spec)
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
