"""Year-over-year: the one walk through a series that every change table is built on.

A year without a value is skipped, so each year is compared with the previous year that has
one, and the comparison always names that year.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd


def consecutive(frame: pd.DataFrame, keys: list[str], year: str = "ar") -> Iterator[tuple[dict, dict, dict]]:
    """(series key, earlier row, later row) for each pair of consecutive years of each series."""
    for key, group in frame.sort_values(year, kind="stable").groupby(keys, sort=True):
        recs = group.to_dict("records")
        named = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        for prev, curr in zip(recs, recs[1:]):
            yield named, prev, curr
