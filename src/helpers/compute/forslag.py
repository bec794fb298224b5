"""The units' proposed justeringar, split by who decides them.

A unit that needs to adjust its åtgärd says what kind of change it is (`justering_typ` in the year's
status file). Every kind but *egen åtgärd* changes the plan kommunstyrelsen adopted (its tidplan, a
target, which åtgärder it holds, its money), so only the board can decide it: those become the
tjänsteskrivelse's *förslag till beslut*, numbered, one point each. An *egen åtgärd* is a step the
unit takes within the plan; it is listed apart, for information.

A year file made before the column existed gives no kind: such a justering is put to the board
(never dropped), saying that its kind is not given, because only the board can tell it is not its
matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.core.fmt import plural
from helpers.core.missing import blank
from helpers.core.text import quoted_sv
from helpers.data.inputs import EGEN_ATGARD, RESURSBEHOV


@dataclass(frozen=True)
class Justering:
    """One unit's proposed justering of its åtgärd, in the unit's own words."""

    atgard_id: str
    titel: str  # the åtgärd's name in the plan
    typ: str | None  # one of inputs.JUSTERINGSTYPER; None when the year file predates the column
    text: str  # the justering as the unit wrote it, whole
    belopp: int | None  # kronor, for resursbehov
    ansvarig: str

    @property
    def till_styrelsen(self) -> bool:
        """True when only kommunstyrelsen can decide it (everything but the unit's own step)."""
        return self.typ != EGEN_ATGARD

    @property
    def atgard(self) -> str:
        """'åtgärd 2.2 ”Utveckla initiativ …”': the åtgärd by number and name."""
        return f"åtgärd {self.atgard_id} {quoted_sv(self.titel)}"

    @property
    def typ_text(self) -> str:
        return self.typ if self.typ else "typ inte angiven i underlaget"


def kronor(amount: int) -> str:
    """'350 000 kronor': whole kronor with a space between thousands (Swedish print convention)."""
    return f"{int(amount):,}".replace(",", "\u00a0") + " kronor"


def justeringar(an) -> list[Justering]:
    """Every proposed justering of the report year, in plan order."""
    out = []
    for aid, st in an.status.iterrows():
        if st["behov_av_justering"] != "ja":
            continue
        typ = st.get("justering_typ")
        amount = st.get("belopp")
        out.append(Justering(aid, st["titel"], None if blank(typ) else str(typ),
                             "" if blank(st["justering"]) else " ".join(str(st["justering"]).split()),
                             None if blank(amount) else int(amount), st["ansvarig"]))
    return out


def till_beslut(an) -> list[Justering]:
    """The justeringar kommunstyrelsen is asked to decide: förslag till beslut, in plan order."""
    return [j for j in justeringar(an) if j.till_styrelsen]


def egna_atgarder(an) -> list[Justering]:
    """The units' own steps within the plan: listed apart, for information."""
    return [j for j in justeringar(an) if not j.till_styrelsen]


def beslutspunkt(j: Justering) -> str:
    """One point of förslag till beslut: what changes, in which åtgärd (by name), in the unit's words."""
    what = {
        "ändrad tidplan": f"Tidplanen för {j.atgard} ändras",
        "ändrat mål": f"Målet för {j.atgard} ändras",
        "åtgärden avslutas": f"{j.atgard[0].upper()}{j.atgard[1:]} avslutas och utgår ur handlingsplanen",
        "ny åtgärd": f"En ny åtgärd läggs till i anslutning till {j.atgard}",
        RESURSBEHOV: f"{j.atgard[0].upper()}{j.atgard[1:]} behöver {kronor(j.belopp)}" if j.belopp
        else f"{j.atgard[0].upper()}{j.atgard[1:]} behöver resurser",
    }.get(j.typ or "", f"{j.atgard[0].upper()}{j.atgard[1:]} justeras (typ inte angiven i underlaget)")
    return f"{what}: {j.text}" if j.text else f"{what}."


@dataclass(frozen=True)
class Ekonomi:
    """The amounts the units give, summed: the tjänsteskrivelse's ekonomiska konsekvenser."""

    summa: int
    poster: tuple[Justering, ...]

    @property
    def text(self) -> str:
        if not self.poster:
            return "Inga. Ingen ansvarig enhet har angett ett resursbehov med belopp."
        items = "; ".join(f"{j.atgard} {kronor(j.belopp)}" for j in self.poster)
        return (f"De ansvariga enheterna anger {plural(len(self.poster), 'resursbehov', 'resursbehov')} på "
                f"sammanlagt {kronor(self.summa)}: {items}. Beloppen är enheternas egna uppgifter.")


def ekonomi(an) -> Ekonomi:
    poster = tuple(j for j in till_beslut(an) if j.typ == RESURSBEHOV and j.belopp)
    return Ekonomi(sum(j.belopp for j in poster), poster)
