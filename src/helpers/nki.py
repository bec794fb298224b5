"""SKR Insikt (NKI) calculations for the chapter on företagsklimatet.

Why this module exists: the book reports Norrtälje kommun's NKI (Nöjd Kund-Index) per
område of myndighetsutövning and the changes between years.  A change is only worth a
sentence in a report when it is (a) computed on a like-for-like series, (b) computed from
results that may be published at all, and (c) larger than the noise of a survey with a few
dozen answers.  The functions below encode exactly those three checks so that no notebook
has to redo them by hand.

All domain facts (areas, scale, publication thresholds, series break, levels, and the
Svenskt Näringsliv ranking facts used by :mod:`helpers.ranking`) are module constants in the
first section, each with its source and how sure it is, so that a fact that turns out to be
wrong is changed in one place.

``scipy`` is imported lazily inside the functions that need it: importing it costs about a
second in every notebook kernel and most notebooks only read and plot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

# =============================================================================
# Domain facts: the one place to change them.
# Sources: /work/shared/notes/domain-facts.md (summarised in docs/foretagsklimat.md).
# =============================================================================

# --- SKR Insikt --------------------------------------------------------------

# Areas of myndighetsutövning measured by SKR Insikt (ASCII id -> Swedish display name).
# Source: SKR Insikt / Öppna jämförelser Företagsklimat, several kommuners' pages. VERIFIED.
OMRADEN: dict[str, str] = {
    "brandskydd": "Brandskydd",
    "bygglov": "Bygglov",
    "livsmedelskontroll": "Livsmedelskontroll",
    "markupplatelse": "Markupplåtelse",
    "miljo_halsoskydd": "Miljö- och hälsoskydd",
    "serveringstillstand": "Serveringstillstånd",
}
# Id and display name of the combined result. It is computed, never read from respondents.
TOTALT = "totalt"
TOTALT_NAMN = "Totalt"

# Service factors (one question each in this project's data; answers 1–10).
# Source: same as OMRADEN. VERIFIED (names); that each factor is a single question is this
# project's simplification of the input format.
FAKTORER: dict[str, str] = {
    "information": "Information",
    "tillganglighet": "Tillgänglighet",
    "bemotande": "Bemötande",
    "kompetens": "Kompetens",
    "rattssakerhet": "Rättssäkerhet",
    "effektivitet": "Effektivitet",
}
NKI = "nki"
# Every measure (matt) this module produces, with its display name.
MATT: dict[str, str] = {NKI: "NKI", **FAKTORER}

# Answer scale of every question. Source: SKR Insikt (kommuners' pages). VERIFIED.
SVAR_MIN = 1
SVAR_MAX = 10

# The three questions NKI is built from (overall satisfaction, expectations met, closeness
# to the ideal service). Source: SKR Insikt method description. VERIFIED.
NKI_FRAGOR: tuple[str, ...] = ("q_nojd", "q_forvantan", "q_ideal")
# Weights of the three questions in a respondent's NKI score. UNVERIFIED: Insikt's exact
# weighting is not published in the sources we have; equal weights are this project's
# choice (documented in docs/foretagsklimat.md). Must sum to 1.
NKI_VIKTER: dict[str, float] = {q: 1 / 3 for q in NKI_FRAGOR}
# An answer a (1–10) becomes (a − 1) × 100 / 9 on the 0–100 index scale.
# Source: matches SCB's published examples (NKI 72 ≈ 7,5 on the ten-point scale). FAIRLY SURE.
INDEX_SKALFAKTOR = 100 / (SVAR_MAX - SVAR_MIN)

# Which områden make up "totalt", by first measurement year the definition applies to.
# Source: SKR information to participating kommuner, December 2023. VERIFIED:
# from measurement year 2024 totalt covers bygglov, miljö- och hälsoskydd,
# livsmedelskontroll and serveringstillstånd; brandskydd and markupplåtelse are reported
# separately. Before 2024 totalt covered all six områden.
# To add a future break, append (first_year, områden); keep the list sorted by year.
TOTALT_DEFINITIONER: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, tuple(OMRADEN)),
    (2024, ("bygglov", "livsmedelskontroll", "miljo_halsoskydd", "serveringstillstand")),
)

# Publication rules. Source: SKR FAQ (2021). VERIFIED: the portal and the kommun's own
# reports show results with at least 7 answers (Öppna jämförelser needs 10, the national
# NKI ranking 20). Marking 7–9 answers as "färre än 10 svar" is this project's convention,
# following the 10-answer limit of Öppna jämförelser.
MIN_SVAR_VISAS = 7
MIN_SVAR_UTAN_MARKERING = 10
FA_SVAR_TEXT = "färre än 10 svar"

# Levels of NKI, (lowest whole-number value, label), highest first.
# Source: kommuners' pages citing SKR. SECONDARY (not found in an SKR document).
NIVAER: tuple[tuple[int, str], ...] = (
    (80, "mycket högt"),
    (70, "högt"),
    (62, "godkänt"),
    (50, "lågt"),
    (0, "mycket lågt"),
)

# Statistics. This project's choices, not SKR facts: 95 % intervals and a 5 % test level.
# UNVERIFIED that SKR's published intervals are 95 % t-intervals; compare_aggregate assumes
# they are symmetric 95 % intervals for the mean.
KONFIDENSNIVA = 0.95
ALPHA = 0.05

# --- Svenskt Näringsliv, Lokalt företagsklimat (used by helpers.ranking) -------

# Number of kommuner ranked; placering 1 is best. Source: Svenskt Näringsliv. VERIFIED.
RANKING_ANTAL_KOMMUNER = 290
# Survey scale of sammanfattande omdöme and factor scores. Source: Svenskt Näringsliv's
# questionnaire. VERIFIED.
RANKING_SKALA_MIN = 1
RANKING_SKALA_MAX = 6
RANKING_SKALA_TEXT: dict[int, str] = {
    6: "utmärkt",
    5: "mycket bra",
    4: "bra",
    3: "godtagbart",
    2: "inte helt godtagbart",
    1: "dåligt",
}
# Measures of the ranking data (id -> display name). "placering" and "omdome" are the rank
# and the sammanfattande omdöme; the rest are survey factors (several ids may appear; the
# 2017 newspaper figure is called "kommunens_service"). Ids: this project's choice.
RANKING_MATT: dict[str, str] = {
    "placering": "Placering",
    "omdome": "Sammanfattande omdöme",
    "dialog_beslutsfattare": "Dialog med kommunens beslutsfattare",
    "infrastruktur": "Infrastruktur",
    "service": "Kommunens service",
    "kommunens_service": "Kommunens service",
    "tillampning_regler": "Tillämpning av lagar och regler",
}

# --- Assessment labels (bedömning) used by compare* and delta_table ------------

BEDOMNING_FORBATTRING = "signifikant förbättring"
BEDOMNING_FORSAMRING = "signifikant försämring"
BEDOMNING_INOM = "inom felmarginalen"
BEDOMNING_KAN_INTE = "kan inte bedömas"
BEDOMNING_FA_SVAR = f"visas inte (färre än {MIN_SVAR_VISAS} svar)"


def bedomning_seriebrott(year: int) -> str:
    """Label for a comparison across the totalt series break starting in ``year``."""
    return f"ej jämförbart (seriebrott {year})"


# =============================================================================
# Small helpers
# =============================================================================


def _t_quantile(q: float, dof: Any) -> Any:
    """Student-t quantile; scipy imported here only (see module docstring)."""
    from scipy import stats

    return stats.t.ppf(q, dof)


def _sv_number(x: float, decimals: int = 1) -> str:
    """Format a number with Swedish decimal comma, dropping a trailing ',0…'."""
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",").replace("-", "−")


def format_p(p: float, alpha: float = ALPHA) -> str:
    """'p = 0,01' style text; enough decimals that rounding never crosses ``alpha``."""
    if p < 0.001:
        return "p < 0,001"
    for decimals in (2, 3, 4):
        rounded = round(p, decimals)
        if rounded > 0 and (rounded < alpha) == (p < alpha) and rounded != alpha:
            return f"p = {f'{rounded:.{decimals}f}'.replace('.', ',')}"
    return f"p = {f'{p:.4f}'.replace('.', ',')}"


def _enheter(delta: float) -> str:
    text = _sv_number(abs(delta), 1)
    return f"{text} {'enhet' if text == '1' else 'enheter'}"


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def totalt_omraden(year: int) -> tuple[str, ...]:
    """Områden included in "totalt" for measurement ``year``.

    Why a function: the composition changed in 2024 (series break), so "totalt" means
    different things in different years and every caller must ask for the year's version.
    """
    if _is_missing(year):
        raise ValueError("År saknas: totalt beror på mätåret.")
    year = int(year)
    chosen = TOTALT_DEFINITIONER[0][1]
    for first_year, omraden in TOTALT_DEFINITIONER:
        if year >= first_year:
            chosen = omraden
    return chosen


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
    if _is_missing(value):
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
            examples = ", ".join(_sv_number(v, 2) for v in values[bad].unique()[:5])
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


# =============================================================================
# Comparing two years
# =============================================================================


@dataclass(frozen=True)
class Comparison:
    """Result of comparing one measure between two years.

    ``delta`` is curr − prev (None when no delta may be shown), ``p_value`` the two-sided
    p-value (None when not tested), ``bedomning`` one of the BEDOMNING_* labels or the
    series-break label, ``forklaring`` a one-line Swedish explanation, ``method`` the test
    used ("welch_t", "z_fran_intervall") or None.
    """

    delta: float | None
    p_value: float | None
    bedomning: str
    forklaring: str
    method: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pre_checks(
    n_prev: float | None,
    n_curr: float | None,
    omrade: str | None,
    year_prev: int | None,
    year_curr: int | None,
) -> Comparison | None:
    """Publication rule and series break: reasons to show no delta at all."""
    for n in (n_prev, n_curr):
        if not _is_missing(n) and n < MIN_SVAR_VISAS:
            return Comparison(
                None,
                None,
                BEDOMNING_FA_SVAR,
                f"Ingen förändring redovisas eftersom minst ett av åren har färre än "
                f"{MIN_SVAR_VISAS} svar.",
            )
    if (
        omrade is not None
        and not _is_missing(year_prev)
        and not _is_missing(year_curr)
        and not series_comparable(omrade, int(year_prev), int(year_curr))
    ):
        lo, hi = sorted((int(year_prev), int(year_curr)))
        brk = _break_between(lo, hi) or hi
        removed = [OMRADEN[o] for o in totalt_omraden(lo) if o not in totalt_omraden(hi)]
        added = [OMRADEN[o] for o in totalt_omraden(hi) if o not in totalt_omraden(lo)]
        what = []
        if removed:
            what.append(f"ingår inte {_sv_list(removed).lower()}")
        if added:
            what.append(f"ingår även {_sv_list(added).lower()}")
        return Comparison(
            None,
            None,
            bedomning_seriebrott(brk),
            f"Totalt {lo} och {hi} är inte jämförbara: från mätår {brk} "
            f"{' och '.join(what)} i totalt.",
        )
    return None


def _sv_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} och {items[-1]}"


def _judge(delta: float, p: float | None, method: str, alpha: float) -> Comparison:
    if p is None or _is_missing(p):
        if delta == 0:
            text = "Värdet är oförändrat; skillnaden kan inte prövas statistiskt."
        else:
            word = "Ökningen" if delta > 0 else "Minskningen"
            text = (
                f"{word} med {_enheter(delta)} kan inte prövas statistiskt eftersom "
                f"antal svar eller konfidensintervall saknas."
            )
        return Comparison(delta, None, BEDOMNING_KAN_INTE, text, None)
    p = float(p)
    ptext = format_p(p, alpha)
    if p < alpha and delta != 0:
        if delta > 0:
            return Comparison(
                delta, p, BEDOMNING_FORBATTRING,
                f"Ökningen med {_enheter(delta)} är statistiskt säkerställd ({ptext}).",
                method,
            )
        return Comparison(
            delta, p, BEDOMNING_FORSAMRING,
            f"Minskningen med {_enheter(delta)} är statistiskt säkerställd ({ptext}).",
            method,
        )
    if delta == 0:
        text = f"Värdet är oförändrat ({ptext})."
    else:
        word = "Ökningen" if delta > 0 else "Minskningen"
        text = (
            f"{word} med {_enheter(delta)} ligger inom felmarginalen ({ptext}) "
            f"och kan bero på slumpen."
        )
    return Comparison(delta, p, BEDOMNING_INOM, text, method)


def compare_raw(
    scores_prev: Sequence[float] | np.ndarray | pd.Series,
    scores_curr: Sequence[float] | np.ndarray | pd.Series,
    *,
    omrade: str | None = None,
    year_prev: int | None = None,
    year_curr: int | None = None,
    alpha: float = ALPHA,
) -> Comparison:
    """Compare two years from respondent-level 0–100 scores (NaN ignored).

    Welch's two-sample t-test (``scipy.stats.ttest_ind(equal_var=False)``): the two years
    are independent samples with possibly different spread and size, so the pooled-variance
    test would be wrong when one year has few answers. Delta = mean(curr) − mean(prev).

    No delta when either year has fewer than 7 scores (publication rule) or when
    ``omrade`` is "totalt" and the years straddle the series break (pass omrade and years to
    get that check).
    """
    prev = np.asarray(scores_prev, dtype=float)
    curr = np.asarray(scores_curr, dtype=float)
    prev, curr = prev[~np.isnan(prev)], curr[~np.isnan(curr)]
    stop = _pre_checks(len(prev), len(curr), omrade, year_prev, year_curr)
    if stop is not None:
        return stop
    delta = float(curr.mean() - prev.mean())
    p = None
    if len(prev) >= 2 and len(curr) >= 2:
        from scipy import stats

        if prev.std() == 0 and curr.std() == 0:
            p = None  # zero variance: the t statistic is undefined
        else:
            p = float(stats.ttest_ind(curr, prev, equal_var=False).pvalue)
    return _judge(delta, p, "welch_t", alpha)


def _get(row: Mapping[str, Any], key: str) -> Any:
    try:
        return row[key]
    except (KeyError, IndexError):
        return None


def _se_from_interval(n: float, low: float, high: float) -> float | None:
    if any(_is_missing(x) for x in (n, low, high)) or n < 2 or high < low:
        return None
    q = 1 - (1 - KONFIDENSNIVA) / 2
    return float((high - low) / (2 * _t_quantile(q, n - 1)))


def compare_aggregate(
    prev: Mapping[str, Any], curr: Mapping[str, Any], *, alpha: float = ALPHA
) -> Comparison:
    """Compare two years from aggregates (a dict or a DataFrame row).

    Each side needs ``varde``; ``n`` (or ``antal_svar``), ``ci_low``, ``ci_high``, ``ar`` and
    ``omrade`` are used when present. The standard error of each mean is recovered from its
    published interval, se = (ci_high − ci_low) / (2 × t(0,975; n − 1)), and the difference
    is tested with a two-sided z-test, z = delta / √(se_prev² + se_curr²). Aggregates carry
    no respondent data, so this is the best test available; with n of a few dozen it is
    close to Welch's test on the raw data.

    No significance is claimed when n or an interval is unknown (delta still returned,
    "kan inte bedömas"). No delta at all when a side has n < 7 or across the totalt series
    break.
    """
    n_prev = _get(prev, _n_column(prev) or "n")
    n_curr = _get(curr, _n_column(curr) or "n")
    omrade = _get(prev, "omrade")
    omrade_curr = _get(curr, "omrade")
    if omrade is not None and omrade_curr is not None and omrade != omrade_curr:
        raise ValueError(f"Olika områden jämförs: {omrade} och {omrade_curr}.")
    stop = _pre_checks(
        None if _is_missing(n_prev) else float(n_prev),
        None if _is_missing(n_curr) else float(n_curr),
        omrade,
        _get(prev, "ar"),
        _get(curr, "ar"),
    )
    if stop is not None:
        return stop
    v_prev, v_curr = _get(prev, "varde"), _get(curr, "varde")
    if _is_missing(v_prev) or _is_missing(v_curr):
        return Comparison(
            None, None, BEDOMNING_KAN_INTE, "Värde saknas för minst ett av åren."
        )
    delta = float(v_curr) - float(v_prev)
    se_prev = _se_from_interval(
        n_prev, _get(prev, "ci_low"), _get(prev, "ci_high")
    ) if not _is_missing(n_prev) else None
    se_curr = _se_from_interval(
        n_curr, _get(curr, "ci_low"), _get(curr, "ci_high")
    ) if not _is_missing(n_curr) else None
    p = None
    if se_prev is not None and se_curr is not None:
        se = math.hypot(se_prev, se_curr)
        if se > 0:
            from scipy import stats

            p = float(2 * stats.norm.sf(abs(delta) / se))
    return _judge(delta, p, "z_fran_intervall", alpha)


def compare(prev: Any, curr: Any, **kwargs: Any) -> Comparison:
    """Dispatch: mappings/rows with ``varde`` -> :func:`compare_aggregate`, arrays of
    respondent scores -> :func:`compare_raw` (keyword arguments passed on)."""
    if isinstance(prev, (Mapping, pd.Series)) and isinstance(curr, (Mapping, pd.Series)):
        if "varde" in prev and "varde" in curr:
            return compare_aggregate(prev, curr, **kwargs)
    return compare_raw(prev, curr, **kwargs)


def delta_table(aggregates: pd.DataFrame, *, alpha: float = ALPHA) -> pd.DataFrame:
    """Year-to-year changes for every (omrade, matt) series of an aggregate frame.

    Each year is compared with the previous year present in the data for the same series
    (``ar_fran``), using :func:`compare_aggregate`; so a delta is never shown from a result
    with fewer than 7 answers, nor for totalt across the 2024 series break. A ``kommun``
    column, when present, is part of the series key. ``fa_svar`` is True when either year
    has 7–9 answers (the delta must then be marked too).

    Columns: [kommun,] omrade, matt, ar_fran, ar, varde_fran, varde, delta, p_value,
    bedomning, forklaring, fa_svar.
    """
    keys = [k for k in ("kommun", "omrade", "matt") if k in aggregates.columns]
    if "omrade" not in keys or "matt" not in keys or "ar" not in aggregates.columns:
        raise ValueError("Kolumnerna 'ar', 'omrade' och 'matt' krävs.")
    if aggregates.duplicated([*keys, "ar"]).any():
        raise ValueError("Samma år förekommer flera gånger för en serie.")
    shown = suppress(aggregates) if _n_column(aggregates) else aggregates.assign(
        fa_svar=False
    )
    rows = []
    for key, group in shown.sort_values("ar").groupby(keys, sort=True):
        recs = group.to_dict("records")
        for prev, curr in zip(recs, recs[1:]):
            # Compare on the unsuppressed values: compare_aggregate applies the rule
            # itself, and suppressed values are NaN anyway.
            res = compare_aggregate(prev, curr, alpha=alpha)
            row = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
            row.update(
                ar_fran=int(prev["ar"]),
                ar=int(curr["ar"]),
                varde_fran=prev.get("varde"),
                varde=curr.get("varde"),
                delta=res.delta,
                p_value=res.p_value,
                bedomning=res.bedomning,
                forklaring=res.forklaring,
                fa_svar=bool(prev.get("fa_svar", False) or curr.get("fa_svar", False)),
            )
            rows.append(row)
    cols = [*keys, "ar_fran", "ar", "varde_fran", "varde", "delta", "p_value",
            "bedomning", "forklaring", "fa_svar"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("varde_fran", "varde", "delta", "p_value"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out


# =============================================================================
# Simulation (exempeldata and tests)
# =============================================================================


def simulate_responses(
    n_by_omrade: Mapping[str, int],
    mean_by_omrade: Mapping[str, float],
    year: int,
    seed: int,
    *,
    concentration: float = 4.0,
    missing_rate: float = 0.0,
    factor_shift: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Invented respondent answers with a known true NKI mean (for exempeldata and tests).

    Each respondent i gets a personal satisfaction p_i ~ Beta with mean m/100 (m =
    ``mean_by_omrade[omrade]``, on the 0–100 index scale) and ``concentration`` a + b
    (smaller = more spread between respondents; 4 gives a respondent sd of about 20 index
    points, typical of NKI surveys). Every answer is 1 + Binomial(9, p_i), so answers are
    whole numbers 1–10, the three NKI answers of one respondent are correlated, and the
    expected 0–100 score is exactly m. That exact mean is what the CI-coverage tests need.

    ``factor_shift`` (index points per factor) moves a factor's p_i, clipped to [0, 1];
    with a shift the factor's true mean is only approximately m + shift.
    ``missing_rate`` blanks each answer independently with that probability.
    Same arguments and seed -> same frame.
    """
    rng = np.random.default_rng(seed)
    frames = []
    span = SVAR_MAX - SVAR_MIN
    for omrade, n in n_by_omrade.items():
        if omrade not in OMRADEN:
            raise ValueError(f"Okänt område: {omrade}.")
        m = float(mean_by_omrade[omrade]) / 100
        if not 0 < m < 1:
            raise ValueError("Medelvärdet måste ligga strikt mellan 0 och 100.")
        p = rng.beta(m * concentration, (1 - m) * concentration, size=int(n))
        cols: dict[str, Any] = {"ar": np.full(int(n), int(year)), "omrade": omrade}
        for q in NKI_FRAGOR:
            cols[q] = (SVAR_MIN + rng.binomial(span, p)).astype(float)
        for f in FAKTORER:
            shift = (factor_shift or {}).get(f, 0.0) / 100
            cols[f] = (SVAR_MIN + rng.binomial(span, np.clip(p + shift, 0, 1))).astype(float)
        frames.append(pd.DataFrame(cols))
    columns = ["ar", "omrade", *NKI_FRAGOR, *FAKTORER]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    if missing_rate > 0:
        answer_cols = [*NKI_FRAGOR, *FAKTORER]
        mask = rng.random((len(out), len(answer_cols))) < missing_rate
        values = out[answer_cols].to_numpy(dtype=float, copy=True)
        values[mask] = np.nan
        out[answer_cols] = values
    return out
