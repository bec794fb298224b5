"""Invented respondent answers with a known true NKI: the exempeldata and the statistics' tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from helpers.data.fakta import FAKTORER, NKI_FRAGOR, OMRADEN, SVAR_MAX, SVAR_MIN

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
