"""Swedish number and date formatting for the book (decimal comma, space as thousands separator)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

SAKNAS = "uppgift saknas"
NBSP = "\u00a0"
MINUS = "\u2212"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _round_half_up(value: float, decimals: int) -> float:
    """Round as published figures are rounded (72,5 -> 73), not to the nearest even digit."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


def number_sv(value, decimals: int | None = None) -> str:
    """12345.6 -> '12 345,6'; 3.19 -> '3,19'; missing -> 'uppgift saknas'.

    Without `decimals`: whole numbers get none, values under 10 up to two, others one.
    """
    if _missing(value):
        return SAKNAS
    value = float(value)
    auto = decimals is None
    if auto:
        decimals = 0 if value.is_integer() else (2 if abs(value) < 10 else 1)
    text = f"{abs(_round_half_up(value, decimals)):,.{decimals}f}"
    if auto and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", NBSP).replace(".", ",")
    negative = value < 0 and any(ch not in "0," for ch in text.replace(NBSP, ""))
    return (MINUS if negative else "") + text


def signed_sv(value, decimals: int | None = None, unit: str = "") -> str:
    """Change with explicit sign: '+3', '−1,5'; missing -> 'uppgift saknas'."""
    if _missing(value):
        return SAKNAS
    sign = "+" if float(value) > 0 else ("±" if float(value) == 0 else "")
    return f"{sign}{number_sv(value, decimals)}{unit}"


def percent_sv(value, decimals: int = 0) -> str:
    return SAKNAS if _missing(value) else f"{number_sv(value, decimals)}{NBSP}%"


def date_sv(value: dt.date | None) -> str:
    """2025-12-31 -> '31 december 2025'."""
    if value is None:
        return SAKNAS
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def arrow(diff, riktning: str | None = None) -> str:
    """A change arrow for the tables, with its meaning as text for screen readers."""
    if _missing(diff):
        return ""
    if float(diff) > 0:
        return "↑"
    if float(diff) < 0:
        return "↓"
    return "→"
