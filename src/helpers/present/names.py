"""Names readers and links use: page file names and how a business-climate series is called."""

from __future__ import annotations

from helpers.data import fakta


def atgard_page(atgard_id: str) -> str:
    """'1.1' -> 'atgard_1_1': the page (and notebook) name of an åtgärd."""
    return "atgard_" + atgard_id.replace(".", "_")


def malomrade_page(malomrade_id: int) -> str:
    return f"malomrade_{int(malomrade_id)}"


def serie_namn(serie: str) -> str:
    """'insikt:totalt:bemotande' -> 'Bemötande (SKR Insikt, totalt)': how readers know a series."""
    parts = serie.split(":")
    if parts[0] == "insikt" and len(parts) == 3:
        omrade = fakta.OMRADEN.get(parts[1], fakta.TOTALT_NAMN).lower()
        return f"{fakta.MATT.get(parts[2], parts[2])} (SKR Insikt, {omrade})"
    if parts[0] == "ranking" and len(parts) == 2:
        return f"{fakta.matt_namn(parts[1])} (Svenskt Näringslivs ranking)"
    return serie


def bilaga_page(malomrade_id: int) -> str:
    """The appendix page of a målområde: its åtgärder's full indicator tables, series and plan text."""
    return f"bilaga_malomrade_{int(malomrade_id)}"


def bilaga_anchor(atgard_id: str) -> str:
    """The id of an åtgärd's section on its målområde's appendix page."""
    return "bilaga-" + atgard_id.replace(".", "-")
