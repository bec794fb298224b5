"""Year-to-year changes in Svenskt Näringsliv's ranking "Lokalt företagsklimat".

Why this module exists: the ranking mixes measures where lower is better (placering, 1 =
best of 290) with survey scores where higher is better (sammanfattande omdöme and factor
scores, 1–6). Reading "−2" as a decline is the classic mistake; this module names every
change as "förbättring"/"försämring" with a Swedish sentence, so notebooks never interpret
signs themselves. The ranking is published as point values without sampling intervals; a
survey score that moved less than the project's estimated margin of error
(`fakta.ranking_felmarginal`, by the kommun's size class: ±0,2 for 400 questionnaires) is
called "inom felmarginalen", never an improvement or a
decline, the same principle as for NKI. The placering is a rank, not a sample, and is described
as it moved.

Domain constants (290 kommuner, the 1–6 scale, measure names) live in :mod:`helpers.data.fakta`,
the project's single place for företagsklimat facts.
"""

from __future__ import annotations

import pandas as pd

from helpers.compute.series import consecutive
from helpers.core.fmt import number_sv, plural
from helpers.data import config
from helpers.data.fakta import (
    PLACERING,
    RANKING_ANTAL_KOMMUNER,
    RANKING_SKALA_MAX,
    RANKING_SKALA_MIN,
    matt_namn,
)

FORBATTRING = "förbättring"
FORSAMRING = "försämring"
OFORANDRAT = "oförändrat"
INOM_FELMARGINALEN = "inom felmarginalen"

_TOLERANCE = 1e-9
_COLUMNS = ["matt", "ar_fran", "ar", "varde_fran", "varde", "delta", "forandring", "forklaring"]


def _score(x: float) -> str:
    return number_sv(x, 2)


def _placeringar(k: int) -> str:
    return plural(k, "placering", "placeringar")


def _validate(df: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("ar", "matt", "varde") if c not in df.columns]
    if missing:
        raise ValueError(f"Kolumner saknas i rankingdata: {', '.join(missing)}.")
    keys = ["kommun"] if "kommun" in df.columns else []
    out = df[[*keys, "ar", "matt", "varde"]].copy()
    ar = pd.to_numeric(out["ar"], errors="coerce")
    if ar.isna().any() or (ar % 1 != 0).any():
        raise ValueError("Kolumnen 'ar' måste innehålla heltal.")
    out["ar"] = ar.astype("int64")
    if out["matt"].isna().any():
        raise ValueError("Kolumnen 'matt' har tomma värden.")
    out["matt"] = out["matt"].astype(str)
    try:
        out["varde"] = pd.to_numeric(out["varde"], errors="raise").astype("float64")
    except (ValueError, TypeError) as exc:
        raise ValueError("Kolumnen 'varde' har värden som inte är tal.") from exc
    # A blank value is a year without a figure: dropped, so the next year is compared
    # with the previous year that has one.
    out = out.dropna(subset=["varde"])
    if out.duplicated([*keys, "ar", "matt"]).any():
        raise ValueError("Samma år och mått förekommer flera gånger.")
    plac = out["matt"] == PLACERING
    bad_plac = plac & (
        (out["varde"] % 1 != 0)
        | (out["varde"] < 1)
        | (out["varde"] > RANKING_ANTAL_KOMMUNER)
    )
    if bad_plac.any():
        raise ValueError(
            f"Placering måste vara ett heltal 1–{RANKING_ANTAL_KOMMUNER}: "
            f"{', '.join(str(v) for v in out.loc[bad_plac, 'varde'])}."
        )
    bad_score = ~plac & (
        (out["varde"] < RANKING_SKALA_MIN) | (out["varde"] > RANKING_SKALA_MAX)
    )
    if bad_score.any():
        raise ValueError(
            f"Omdöme och faktorer ska ligga på skalan {RANKING_SKALA_MIN}–"
            f"{RANKING_SKALA_MAX}: {', '.join(_score(v) for v in out.loc[bad_score, 'varde'])}."
        )
    return out


def describe_change(matt: str, year_prev: int, prev: float, year_curr: int, curr: float) -> tuple[float, str, str]:
    """(delta, forandring, forklaring) for one measure between two years.

    delta = curr − prev in the measure's own unit. For placering lower is better, so a
    negative delta is a förbättring ("upp 2 placeringar"); for omdöme and factors higher
    is better.
    """
    delta = round(float(curr) - float(prev), 6)
    if abs(delta) < _TOLERANCE:
        delta = 0.0
    than = f"jämfört med {year_prev}"
    if matt == PLACERING:
        k = int(round(abs(delta)))
        if delta < 0:
            return delta, FORBATTRING, (
                f"Upp {_placeringar(k)} till plats {int(curr)} {than} (plats {int(prev)})."
            )
        if delta > 0:
            return delta, FORSAMRING, (
                f"Ner {_placeringar(k)} till plats {int(curr)} {than} (plats {int(prev)})."
            )
        return delta, OFORANDRAT, f"Oförändrad placering, plats {int(curr)}, {than}."
    name = matt_namn(matt)
    margin = config.active().ranking_felmarginal
    if 0 < abs(delta) < margin - _TOLERANCE:
        moved = "steg" if delta > 0 else "sjönk"
        return delta, INOM_FELMARGINALEN, (
            f"{name} {moved} med {_score(abs(delta))} till {_score(curr)} {than} ({_score(prev)}); "
            f"skillnaden är mindre än enkätens felmarginal (±{number_sv(margin, 1)}) "
            "och räknas inte som en förbättring eller försämring."
        )
    if delta > 0:
        return delta, FORBATTRING, (
            f"{name} steg med {_score(delta)} till {_score(curr)} {than} ({_score(prev)})."
        )
    if delta < 0:
        return delta, FORSAMRING, (
            f"{name} sjönk med {_score(-delta)} till {_score(curr)} {than} ({_score(prev)})."
        )
    return delta, OFORANDRAT, f"{name} är oförändrat {_score(curr)} {than}."


def ranking_deltas(df: pd.DataFrame) -> pd.DataFrame:
    """Changes between consecutive available years, per measure.

    Input rows: ``ar``, ``matt`` ("placering", "omdome" or a factor id), ``varde``; other
    columns (kalla, harledd) are ignored; a ``kommun`` column, when present, is part of the
    series key. A year with no row (or a blank value) is skipped: the next year is compared
    with the previous year that has a value, and the sentence always names that year
    ("jämfört med 2019").

    Output: [kommun,] matt, ar_fran, ar, varde_fran, varde, delta (curr − prev),
    forandring ("förbättring", "försämring", "oförändrat", "inom felmarginalen"), forklaring (Swedish
    sentence).
    """
    data = _validate(df)
    keys = ["kommun", "matt"] if "kommun" in data.columns else ["matt"]
    rows = []
    for named, prev, curr in consecutive(data, keys):
        delta, forandring, text = describe_change(curr["matt"], prev["ar"], prev["varde"], curr["ar"], curr["varde"])
        row = dict(named)
        row.update(
            ar_fran=int(prev["ar"]),
            ar=int(curr["ar"]),
            varde_fran=float(prev["varde"]),
            varde=float(curr["varde"]),
            delta=delta,
            forandring=forandring,
            forklaring=text,
        )
        rows.append(row)
    cols = [*keys[:-1], *_COLUMNS]
    out = pd.DataFrame(rows, columns=cols)
    out["delta"] = out["delta"].astype("float64")
    return out
