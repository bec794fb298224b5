"""Is a change in NKI real? Year-to-year comparisons with the publication rules and significance.

A change is reported only between results that may be published (n ≥ 7), on a like-for-like
series (no totalt comparison across the 2024 break), and called an improvement or a decline
only when it is larger than the noise of a survey with a few dozen answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers.compute.nki import (
    _break_between,
    _n_column,
    _t_quantile,
    series_comparable,
    suppress,
)
from helpers.compute.series import consecutive
from helpers.core.fmt import list_sv, number_sv, p_value_sv
from helpers.core.missing import blank
from helpers.data.fakta import (
    ALPHA,
    KONFIDENSNIVA,
    MIN_SVAR_VISAS,
    OMRADEN,
    totalt_omraden,
)

# --- Assessment labels (bedömning) used by compare* and delta_table ------------

BEDOMNING_FORBATTRING = "signifikant förbättring"
BEDOMNING_FORSAMRING = "signifikant försämring"
BEDOMNING_INOM = "inom felmarginalen"
BEDOMNING_KAN_INTE = "kan inte bedömas"
BEDOMNING_FA_SVAR = f"visas inte (färre än {MIN_SVAR_VISAS} svar)"


def bedomning_seriebrott(year: int) -> str:
    """Label for a comparison across the totalt series break starting in ``year``."""
    return f"ej jämförbart (seriebrott {year})"



def _enheter(delta: float) -> str:
    text = number_sv(abs(delta), 1, trim=True)
    return f"{text} {'enhet' if text == '1' else 'enheter'}"


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
        if not blank(n) and n < MIN_SVAR_VISAS:
            return Comparison(
                None,
                None,
                BEDOMNING_FA_SVAR,
                f"Ingen förändring redovisas eftersom minst ett av åren har färre än "
                f"{MIN_SVAR_VISAS} svar.",
            )
    if (
        omrade is not None
        and not blank(year_prev)
        and not blank(year_curr)
        and not series_comparable(omrade, int(year_prev), int(year_curr))
    ):
        lo, hi = sorted((int(year_prev), int(year_curr)))
        brk = _break_between(lo, hi) or hi
        removed = [OMRADEN[o] for o in totalt_omraden(lo) if o not in totalt_omraden(hi)]
        added = [OMRADEN[o] for o in totalt_omraden(hi) if o not in totalt_omraden(lo)]
        what = []
        if removed:
            what.append(f"ingår inte {list_sv(removed).lower()}")
        if added:
            what.append(f"ingår även {list_sv(added).lower()}")
        return Comparison(
            None,
            None,
            bedomning_seriebrott(brk),
            f"Totalt {lo} och {hi} är inte jämförbara: från mätår {brk} "
            f"{' och '.join(what)} i totalt.",
        )
    return None


def _judge(delta: float, p: float | None, method: str, alpha: float) -> Comparison:
    if p is None or blank(p):
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
    ptext = p_value_sv(p, alpha)
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
    if any(blank(x) for x in (n, low, high)) or n < 2 or high < low:
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
        None if blank(n_prev) else float(n_prev),
        None if blank(n_curr) else float(n_curr),
        omrade,
        _get(prev, "ar"),
        _get(curr, "ar"),
    )
    if stop is not None:
        return stop
    v_prev, v_curr = _get(prev, "varde"), _get(curr, "varde")
    if blank(v_prev) or blank(v_curr):
        return Comparison(
            None, None, BEDOMNING_KAN_INTE, "Värde saknas för minst ett av åren."
        )
    delta = float(v_curr) - float(v_prev)
    se_prev = _se_from_interval(
        n_prev, _get(prev, "ci_low"), _get(prev, "ci_high")
    ) if not blank(n_prev) else None
    se_curr = _se_from_interval(
        n_curr, _get(curr, "ci_low"), _get(curr, "ci_high")
    ) if not blank(n_curr) else None
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
    for named, prev, curr in consecutive(shown, keys):
        # Compare on the unsuppressed values: compare_aggregate applies the rule
        # itself, and suppressed values are NaN anyway.
        res = compare_aggregate(prev, curr, alpha=alpha)
        row = dict(named)
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
