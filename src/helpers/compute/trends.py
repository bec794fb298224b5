"""A trend word only when the change over the stretch is larger than the measure's margin.

A sample result that moved less than its margin of error has not moved as far as anyone can
tell, so the book must not call it *ökande*. Each kind of measure has one rule (also stated for
readers in *Om rapporten*):

- NKI and the SKR Insikt service factors (samples with a published 95 % interval): the change
  from the first to the last value of the stretch must exceed √(h₁² + h₂²), h being half of each
  year's interval: the same test at the 95 % level that `jamforelse.compare_aggregate` makes
  from the intervals. Without intervals the margin is unknown and no trend word is given.
- Svenskt Näringslivs survey scores (1–6): the change must reach the project's estimated margin
  (`config.active().ranking_felmarginal`, ±0,2 for a kommun that gets 400 questionnaires), the rule
  `ranking.describe_change` uses year to year.
- Counts and shares (no sampling): the least-squares slope must exceed `TREND_TOLERANCE` (1 %)
  of the mean level per year.

A trend is computed within one kind of value only: real figures and exempeldata never make one
stretch together (the caller passes one kind).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from helpers.core.fmt import number_sv, signed_sv
from helpers.core.missing import blank
from helpers.data import config

# A trend slope smaller than this share of the mean level per year counts as unchanged.
TREND_TOLERANCE = 0.01

OKANDE = "ökande"
MINSKANDE = "minskande"
OFORANDRAD = "oförändrad"
FOR_FA = "för få värden"
INOM_FELMARGINALEN = "inom felmarginalen"
FELMARGINAL_OKAND = "felmarginal okänd"
TRENDER = (OKANDE, MINSKANDE, OFORANDRAD, FOR_FA, INOM_FELMARGINALEN, FELMARGINAL_OKAND)

# How the margin of a measure is found: from the values' own intervals, a fixed margin, or none.
INTERVALL = "intervall"


def margin_rule(meta: pd.Series) -> str | float | None:
    """The measure's margin rule: INTERVALL (SKR Insikt), a number (ranking scores), None (counts)."""
    serie = "" if blank(meta.get("serie")) else str(meta["serie"])
    if serie.startswith("insikt:"):
        return INTERVALL
    if serie.startswith("ranking:") and meta.get("typ") == "betyg":
        return config.active().ranking_felmarginal
    return None


def stretch_margin(rule: str | float | None, stretch: pd.DataFrame) -> float | None:
    """The margin of the change first → last of `stretch` (NaN: unknown; None: no sampling margin)."""
    if rule is None:
        return None
    if rule != INTERVALL:
        return float(rule)
    if "felmarginal" not in stretch.columns or len(stretch) < 2:
        return math.nan
    h0, h1 = (stretch["felmarginal"].iloc[i] for i in (0, -1))
    if blank(h0) or blank(h1):
        return math.nan
    return math.hypot(float(h0), float(h1))


def trend(years: list[int], values: list[float], margin: float | None = None) -> str:
    """Direction over a stretch of one kind of value.

    `margin` None: least-squares slope against the relative tolerance. A number: the direction is
    named only when the change first → last exceeds it and the fitted slope agrees; NaN: unknown.
    """
    if len(values) < 2:
        return FOR_FA
    if len(values) == 2:
        slope = (values[1] - values[0]) / (years[1] - years[0])
    else:
        slope = float(np.polyfit(np.asarray(years, float), np.asarray(values, float), 1)[0])
    if margin is not None:
        if math.isnan(margin):
            return FELMARGINAL_OKAND
        change = values[-1] - values[0]
        if abs(change) <= margin + 1e-9 or (change > 0) != (slope > 0):
            return INOM_FELMARGINALEN
        return OKANDE if change > 0 else MINSKANDE
    level = abs(float(np.mean(values))) or 1.0
    if abs(slope) <= TREND_TOLERANCE * level:
        return OFORANDRAD
    return OKANDE if slope > 0 else MINSKANDE


def trend_text(word: str, change: float, margin: float | None, decimals: int | None) -> str:
    """The trend as the book says it: 'ökande trend', or why there is none ('ingen säker trend …')."""
    if word in (OKANDE, MINSKANDE, OFORANDRAD):
        return f"{word} trend"
    if word == INOM_FELMARGINALEN and margin is not None and not math.isnan(change):
        return (f"ingen säker trend ({signed_sv(change, decimals or 0)}, inom felmarginalen "
                f"±{number_sv(margin, 1)})")
    if word == FELMARGINAL_OKAND:
        return "ingen trend anges (felmarginalen är okänd)"
    return word
