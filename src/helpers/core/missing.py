"""The single notion of 'no value' in this project.

A missing value is never zero and never carried forward; every stage asks `blank` rather than
testing for None, NaN or pandas' NA itself, so the rule cannot drift between modules.
"""

from __future__ import annotations

import pandas as pd


def blank(value) -> bool:
    """True for None, NaN (Python or NumPy), pandas NA and NaT; False for anything else, text included."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # containers: not a scalar, so not 'a missing value'
        return False
