"""Compute: from validated data to results – indicator changes, måluppfyllelse, NKI and ranking
comparisons, and the whole year's analysis. No HTML, no files written."""
