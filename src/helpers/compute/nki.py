"""SKR Insikt (NKI) from respondents to published aggregates, with the publication rules.

A result is only worth a sentence when it is computed on a like-for-like series and may be
published at all (n ≥ 7); changes between years and their significance live in
:mod:`helpers.compute.jamforelse`. Domain facts come from :mod:`helpers.data.fakta`.

``scipy`` is imported lazily inside the functions that need it: importing it costs about a
second in every notebook kernel and most notebooks only read and plot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers.core.fmt import exact_sv
from helpers.core.missing import blank
from helpers.data.fakta import (
    FAKTORER,
    INDEX_SKALFAKTOR,
    KONFIDENSNIVA,
    MATT,
    MIN_SVAR_UTAN_MARKERING,
    MIN_SVAR_VISAS,
    NIVAER,
    NKI,
    NKI_FRAGOR,
    NKI_VIKTER,
    OMRADEN,
    SVAR_MAX,
    SVAR_MIN,
    TOTALT,
    TOTALT_DEFINITIONER,
    totalt_omraden,
)

# =============================================================================
# Small helpers
# =============================================================================


def _t_quantile(q: float, dof: Any) -> Any:
    """Student-t quantile; scipy imported here only (see module docstring)."""
    from scipy import stats

    return stats.t.ppf(q, dof)



def _break_between(year_a: int, year_b: int) -> int | None:
    """First year of a totalt definition change between the two years, else None."""
    lo, hi = sorted((int(year_a), int(year_b)))
    for first_year, _ in TOTALT_DEFINITIONER[1:]:
        if lo < first_year <= hi and totalt_omraden(lo) != totalt_omraden(hi):
            return first_year
    return None


def series_comparable(omrade: str, year_a: int, year_b: int) -> bool:
    """True when values of ``omrade`` for the two years measure the same thing.

    Only "totalt" has a series break (its composition changed in 2024); a single område is
    always comparable with itself.
    """
    if omrade != TOTALT:
        return True
    return set(totalt_omraden(year_a)) == set(totalt_omraden(year_b))


def niva(value: float | None) -> str:
    """Swedish level label of an NKI value (0–100), e.g. 72 -> "högt".

    SKR publishes whole numbers and the levels are defined on whole numbers (70–79 "högt"),
    so the value is first rounded half up to a whole number: 79,6 is shown as 80 and must
    then also be called "mycket högt". Missing values give "uppgift saknas".
    """
    if blank(value):
        return "uppgift saknas"
    value = float(value)
    if not 0 <= value <= 100:
        raise ValueError(f"NKI måste ligga mellan 0 och 100, fick {value}.")
    whole = math.floor(value + 0.5)
    for lowest, label in NIVAER:
        if whole >= lowest:
            return label
    return NIVAER[-1][1]


# =============================================================================
# From respondents to aggregates
# =============================================================================

_AGG_COLUMNS = ["ar", "omrade", "matt", "varde", "n", "ci_low", "ci_high", "sd"]


def to_index(answers: Any) -> Any:
    """Answer(s) on the 1–10 scale -> 0–100 index scale: (a − 1) × 100 / 9."""
    return (answers - SVAR_MIN) * INDEX_SKALFAKTOR


def _validate_responses(df: pd.DataFrame, answer_cols: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in ("ar", "omrade", *NKI_FRAGOR) if c not in df.columns]
    if missing:
        raise ValueError(f"Kolumner saknas i svarsdata: {', '.join(missing)}.")
    out = pd.DataFrame(index=df.index)
    if df["ar"].isna().any():
        raise ValueError("Kolumnen 'ar' har tomma värden.")
    ar = pd.to_numeric(df["ar"], errors="coerce")
    if ar.isna().any() or (ar != np.floor(ar)).any():
        raise ValueError("Kolumnen 'ar' måste innehålla heltal (mätår).")
    out["ar"] = ar.astype("int64")
    omrade = df["omrade"].astype("string")
    if omrade.isna().any():
        raise ValueError("Kolumnen 'omrade' har tomma värden.")
    unknown = sorted(set(omrade) - set(OMRADEN))
    if unknown:
        raise ValueError(
            f"Kolumnen 'omrade' har okända områden: {', '.join(unknown)} "
            f"(tillåtna: {', '.join(OMRADEN)}; '{TOTALT}' beräknas, anges inte)."
        )
    out["omrade"] = omrade.astype(str)
    for col in answer_cols:
        try:
            values = pd.to_numeric(df[col], errors="raise").astype("float64")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"Kolumnen '{col}' har värden som inte är tal.") from exc
        bad = values.notna() & ((values < SVAR_MIN) | (values > SVAR_MAX))
        if bad.any():
            examples = ", ".join(exact_sv(v) for v in values[bad].unique()[:5])
            raise ValueError(
                f"Kolumnen '{col}' har värden utanför {SVAR_MIN}–{SVAR_MAX}: {examples}."
            )
        out[col] = values
    return out


def respondent_scores(df: pd.DataFrame) -> pd.DataFrame:
    """Respondent-level 0–100 scores in long format: ar, omrade, matt, score.

    One row per respondent and measure that the respondent contributes to (see
    :func:`nki_from_responses` for the rule on incomplete respondents). Rows are not yet
    duplicated into "totalt". Useful on its own for :func:`compare_raw`.
    """
    factors = [f for f in FAKTORER if f in df.columns]
    data = _validate_responses(df, [*NKI_FRAGOR, *factors])
    if not math.isclose(sum(NKI_VIKTER.values()), 1.0):
        raise ValueError("NKI_VIKTER måste summera till 1.")
    scores = pd.DataFrame({"ar": data["ar"], "omrade": data["omrade"]})
    # NKI only for respondents who answered all three NKI questions (no imputation):
    # the weighted sum is NaN as soon as one answer is NaN.
    nki = sum(NKI_VIKTER[q] * to_index(data[q]) for q in NKI_FRAGOR)
    scores[NKI] = nki
    for f in factors:
        scores[f] = to_index(data[f])
    long = scores.melt(id_vars=["ar", "omrade"], var_name="matt", value_name="score")
    return long.dropna(subset=["score"]).reset_index(drop=True)


def _with_totalt(long: pd.DataFrame) -> pd.DataFrame:
    # Vectorised per distinct definition (few), not per year (tests use thousands of years).
    years_by_definition: dict[tuple[str, ...], list[int]] = {}
    for year in long["ar"].unique():
        years_by_definition.setdefault(totalt_omraden(int(year)), []).append(int(year))
    in_totalt = pd.Series(False, index=long.index)
    for members, years in years_by_definition.items():
        in_totalt |= long["ar"].isin(years) & long["omrade"].isin(members)
    return pd.concat([long, long[in_totalt].assign(omrade=TOTALT)], ignore_index=True)


def _add_ci(agg: pd.DataFrame) -> pd.DataFrame:
    n = agg["n"].to_numpy(dtype=float)
    sd = agg["sd"].to_numpy(dtype=float)
    ok = n >= 2
    half = np.full(len(agg), np.nan)
    if ok.any():
        q = 1 - (1 - KONFIDENSNIVA) / 2
        half[ok] = _t_quantile(q, n[ok] - 1) * sd[ok] / np.sqrt(n[ok])
    agg["ci_low"] = agg["varde"] - half
    agg["ci_high"] = agg["varde"] + half
    return agg


def _sort_aggregates(agg: pd.DataFrame) -> pd.DataFrame:
    omrade_order = {o: i for i, o in enumerate([*OMRADEN, TOTALT])}
    matt_order = {m: i for i, m in enumerate(MATT)}
    return (
        agg.assign(
            _o=agg["omrade"].map(omrade_order), _m=agg["matt"].map(matt_order)
        )
        .sort_values(["ar", "_o", "_m"])
        .drop(columns=["_o", "_m"])
        .reset_index(drop=True)
    )


def nki_from_responses(df: pd.DataFrame) -> pd.DataFrame:
    """Aggregate respondent answers to NKI and factor indices per year and område.

    Input: one row per respondent with columns ``ar`` (measurement year), ``omrade`` (one of
    :data:`OMRADEN`), the NKI questions ``q_nojd``, ``q_forvantan``, ``q_ideal`` and the
    factor columns of :data:`FAKTORER` (answers 1–10, NaN = not answered; factor columns
    that are absent are skipped).

    Output, long format, one row per (ar, omrade, matt) with omrade also ``"totalt"``
    (composed per :func:`totalt_omraden` of that year, respondents pooled, each counted
    once) and matt ``"nki"`` or a factor id. Columns: ``ar``, ``omrade``, ``matt``,
    ``varde`` (mean 0–100 score), ``n`` (respondents used), ``ci_low``/``ci_high`` (95 %
    t-interval of the mean of the respondent-level 0–100 scores, NaN when n < 2), ``sd``
    (sample standard deviation, ddof = 1). An område present in a year gets rows for every
    measure; a measure nobody answered has n = 0 and varde NaN, so "no answers" is explicit.

    Incomplete respondents (this project's rule, since Insikt's is not published):

    * A respondent counts in NKI only when all three NKI questions are answered. Nothing is
      imputed: imputing would make n overstate the information and shrink the interval.
    * Each factor uses every respondent who answered that factor, so a respondent with a
      missing NKI question still counts in the factors they answered; n differs by measure.

    Values outside 1–10 raise ValueError naming the column: validation normally happens
    when the data is read, but a wrong value here would silently bias the index.
    """
    long = respondent_scores(df)
    if long.empty and len(df) == 0:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            _AGG_COLUMNS,
            ["int64", "str", "str", "float64", "int64", "float64", "float64", "float64"],
        )})
    long = _with_totalt(long)
    agg = (
        long.groupby(["ar", "omrade", "matt"], sort=False)["score"]
        .agg(varde="mean", n="count", sd="std")  # std: ddof = 1
        .reset_index()
    )
    # Explicit rows (n = 0) for measures nobody in a present (ar, omrade) answered.
    data = _validate_responses(df, [])
    present = data[["ar", "omrade"]].drop_duplicates()
    present = pd.concat(
        [present, pd.DataFrame({"ar": present["ar"].unique(), "omrade": TOTALT})],
        ignore_index=True,
    )
    matts = [NKI, *[f for f in FAKTORER if f in df.columns]]
    full = present.merge(pd.DataFrame({"matt": matts}), how="cross")
    agg = full.merge(agg, on=["ar", "omrade", "matt"], how="left")
    agg["n"] = agg["n"].fillna(0).astype("int64")
    agg = _add_ci(agg)
    agg["ar"] = agg["ar"].astype("int64")
    agg["omrade"] = agg["omrade"].astype(str)
    agg["matt"] = agg["matt"].astype(str)
    return _sort_aggregates(agg[_AGG_COLUMNS])


# =============================================================================
# Publication rules
# =============================================================================


def _n_column(df: pd.DataFrame | Mapping[str, Any]) -> str | None:
    for name in ("n", "antal_svar"):
        if name in df:
            return name
    return None


def suppress(df: pd.DataFrame) -> pd.DataFrame:
    """Apply the publication rules to an aggregate frame (returns a new frame).

    Adds ``visas`` (shown at all: n ≥ 7) and ``fa_svar`` (shown but to be marked
    "färre än 10 svar": 7 ≤ n ≤ 9), and blanks ``varde``, ``ci_low``, ``ci_high`` and
    ``sd`` where not shown, so that a hidden value cannot leak into a table or chart.
    The answer count is read from ``n`` or ``antal_svar``. A row with unknown n (e.g. a
    published national figure) was already published by SKR and is shown unmarked.
    """
    col = _n_column(df)
    if col is None:
        raise ValueError("Antal svar saknas: kolumnen 'n' eller 'antal_svar' krävs.")
    out = df.copy()
    n = pd.to_numeric(out[col], errors="coerce")
    known = n.notna()
    out["visas"] = (~known | (n >= MIN_SVAR_VISAS)).astype(bool)
    out["fa_svar"] = (known & (n >= MIN_SVAR_VISAS) & (n < MIN_SVAR_UTAN_MARKERING)).astype(
        bool
    )
    for c in ("varde", "ci_low", "ci_high", "sd"):
        if c in out.columns:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
            out.loc[~out["visas"], c] = np.nan
    return out
