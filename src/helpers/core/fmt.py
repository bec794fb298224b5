"""Swedish number, date and plural formatting: the one place the book's notation is decided.

Decimal comma, a non-breaking space between thousands, a real minus sign, and rounding half up
the way published figures are rounded (72,5 -> 73), never to the nearest even digit.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from helpers.core.missing import blank

SAKNAS = "uppgift saknas"
NBSP = "\u00a0"
MINUS = "\u2212"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")


def _round_half_up(value: float, decimals: int) -> float:
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


def number_sv(value, decimals: int | None = None, *, trim: bool = False) -> str:
    """12345.6 -> '12 345,6'; 3.19 -> '3,19'; missing -> 'uppgift saknas'.

    Without `decimals`: whole numbers get none, values under 10 up to two, others one (trailing
    zeros dropped). With `trim`, trailing zeros of a fixed number of decimals are dropped too.
    """
    if blank(value):
        return SAKNAS
    value = float(value)
    auto = decimals is None
    if auto:
        decimals = 0 if value.is_integer() else (2 if abs(value) < 10 else 1)
    text = f"{abs(_round_half_up(value, decimals)):,.{decimals}f}"
    if (auto or trim) and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", NBSP).replace(".", ",")
    negative = value < 0 and any(ch not in "0," for ch in text.replace(NBSP, ""))
    return (MINUS if negative else "") + text


def signed_sv(value, decimals: int | None = None, unit: str = "") -> str:
    """Change with explicit sign: '+3', '−1,5'; missing -> 'uppgift saknas'."""
    if blank(value):
        return SAKNAS
    sign = "+" if float(value) > 0 else ("±" if float(value) == 0 else "")
    return f"{sign}{number_sv(value, decimals)}{unit}"


def percent_sv(value, decimals: int = 0) -> str:
    return SAKNAS if blank(value) else f"{number_sv(value, decimals)}{NBSP}%"


def exact_sv(value) -> str:
    """A number as the user typed it, for messages and CSV text: '72,5', '37', no rounding to a
    display precision (15 significant digits, like Excel), no thousands separator."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(f"{float(value):.15g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def date_sv(value: dt.date | None) -> str:
    """2025-12-31 -> '31 december 2025'."""
    if blank(value):
        return SAKNAS
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def plural(n: int | float, singular: str, plural_form: str) -> str:
    """'1 enhet', '2 enheter': Swedish agreement with the number, the number included."""
    shown = number_sv(n, trim=True) if not float(n).is_integer() else str(int(n))
    return f"{shown} {singular if shown == '1' else plural_form}"


# Språkrådet: in running text the numbers one to twelve are written as words.
_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")


def words_sv(n, *, neuter: bool = False) -> str:
    """3 -> 'tre', 1 -> 'en' ('ett' with `neuter`), 13 -> '13': small whole numbers in words for running
    text (Språkrådet: one to twelve in words); anything else as number_sv writes it."""
    if blank(n) or not float(n).is_integer() or not 0 <= float(n) <= 12:
        return number_sv(n)
    word = _WORDS[int(n)]
    return "ett" if neuter and word == "en" else word


def count_sv(n, singular: str, plural_form: str, *, neuter: bool = False) -> str:
    """'tre åtgärder', 'ett mål', '14 indikatorer': plural() for sentences, small numbers in words."""
    return f"{words_sv(n, neuter=neuter)} {singular if float(n) == 1 else plural_form}"


def capitalised(text: str) -> str:
    """'fyra föreslagna ändringar' -> 'Fyra föreslagna ändringar': a sentence's first letter, the rest as written
    (str.capitalize would lower 'NKI' and 'Q1')."""
    return text[:1].upper() + text[1:]


def list_sv(items) -> str:
    """'a', 'a och b', 'a, b och c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} och {items[-1]}"


def p_value_sv(p: float, alpha: float) -> str:
    """'p = 0,01' style text; enough decimals that rounding never crosses `alpha`."""
    if p < 0.001:
        return "p < 0,001"
    for decimals in (2, 3, 4):
        rounded = round(p, decimals)
        if rounded > 0 and (rounded < alpha) == (p < alpha) and rounded != alpha:
            return f"p = {f'{rounded:.{decimals}f}'.replace('.', ',')}"
    return f"p = {f'{p:.4f}'.replace('.', ',')}"


def arrow(diff) -> str:
    """A change arrow for the tables (its meaning is spelled out beside it for screen readers)."""
    if blank(diff):
        return ""
    if float(diff) > 0:
        return "↑"
    if float(diff) < 0:
        return "↓"
    return "→"
