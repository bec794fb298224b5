"""Specification of Swedish number and date formatting (helpers.format): decimal comma,
non-breaking space as thousands separator, a real minus sign, and 'uppgift saknas' for no value."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from helpers.core.fmt import MINUS, NBSP, SAKNAS, arrow, count_sv, date_sv, number_sv, percent_sv, signed_sv, words_sv


@pytest.mark.parametrize("value, text", [
    (12345.6, "12\u00a0345,6"),
    (3.19, "3,19"),
    (72, "72"),
    (72.0, "72"),
    (0.5, "0,5"),
    (1234, "1\u00a0234"),
    (1_000_000, "1\u00a0000\u00a0000"),
    (81.24, "81,2"),   # one decimal from 10 up
    (3.10, "3,1"),     # trailing zeros dropped
    (np.float64(2.5), "2,5"),
])
def test_number_sv_uses_decimal_comma_and_nbsp_thousands(value, text):
    assert number_sv(value) == text


def test_negative_numbers_use_the_unicode_minus_sign():
    assert number_sv(-1.5) == "\u22121,5"
    assert number_sv(-12345.67) == MINUS + "12" + NBSP + "345,7"
    assert "-" not in number_sv(-3)


def test_negative_value_rounding_to_zero_has_no_sign():
    assert number_sv(-0.001) == "0"


@pytest.mark.parametrize("value, decimals, text", [(3.14159, 1, "3,1"), (3, 1, "3,0"), (-3.04, 1, "\u22123,0"),
                                                   (12345.678, 2, "12\u00a0345,68"), (72.4, 0, "72")])
def test_number_sv_with_fixed_decimals_keeps_trailing_zeros(value, decimals, text):
    assert number_sv(value, decimals) == text


@pytest.mark.parametrize("missing", [math.nan, None, np.nan, float("nan")])
def test_missing_number_is_uppgift_saknas(missing):
    assert number_sv(missing) == SAKNAS == "uppgift saknas"
    assert signed_sv(missing) == SAKNAS
    assert percent_sv(missing) == SAKNAS


def test_pandas_na_is_uppgift_saknas():
    assert number_sv(pd.NA) == SAKNAS
    assert signed_sv(pd.NA) == SAKNAS
    assert percent_sv(pd.NA) == SAKNAS


@pytest.mark.parametrize("value, text", [(3, "+3"), (-1.5, "\u22121,5"), (0, "±0"), (2.25, "+2,25"),
                                         (1234.5, "+1\u00a0234,5")])
def test_signed_sv_always_shows_the_sign(value, text):
    assert signed_sv(value) == text


def test_signed_sv_appends_the_unit_and_honours_decimals():
    assert signed_sv(2.5, unit=" st") == "+2,5 st"
    assert signed_sv(4, 1) == "+4,0"


@pytest.mark.parametrize("value, decimals, text", [(72, 0, "72\u00a0%"), (72.46, 1, "72,5\u00a0%"),
                                                   (100, 0, "100\u00a0%"), (0, 0, "0\u00a0%")])
def test_percent_sv_has_a_nonbreaking_space_before_the_percent_sign(value, decimals, text):
    assert percent_sv(value, decimals) == text


@pytest.mark.parametrize("day, text", [(dt.date(2025, 12, 31), "31 december 2025"),
                                       (dt.date(2026, 3, 1), "1 mars 2026"),
                                       (dt.date(2027, 11, 30), "30 november 2027"),
                                       (dt.date(2026, 1, 9), "9 januari 2026")])
def test_date_sv_writes_day_month_name_year(day, text):
    assert date_sv(day) == text


def test_missing_date_is_uppgift_saknas():
    assert date_sv(None) == SAKNAS


def test_arrow_shows_the_direction_of_a_change():
    assert (arrow(2), arrow(-0.5), arrow(0), arrow(math.nan), arrow(None)) == ("↑", "↓", "→", "", "")


# --- small numbers in words (Språkrådet: one to twelve in words in running text) ----------------------

@pytest.mark.parametrize("n, neuter, text", [
    (0, False, "noll"), (1, False, "en"), (1, True, "ett"), (2, False, "två"), (7, True, "sju"),
    (12, False, "tolv"), (13, False, "13"), (1250, False, "1\u00a0250"), (2.5, False, "2,5"), (-1, False, "\u22121"),
])
def test_words_sv_writes_one_to_twelve_in_words_and_the_rest_as_numbers(n, neuter, text):
    assert words_sv(n, neuter=neuter) == text


def test_count_sv_agrees_the_noun_and_the_gender_with_the_number():
    assert count_sv(1, "åtgärd", "åtgärder") == "en åtgärd"
    assert count_sv(1, "mål", "mål", neuter=True) == "ett mål"
    assert count_sv(3, "indikator", "indikatorer") == "tre indikatorer"
    assert count_sv(0, "skäl", "skäl", neuter=True) == "noll skäl"
    assert count_sv(17, "åtgärd", "åtgärder") == "17 åtgärder"


def test_a_quote_within_a_quote_gets_single_marks_the_swedish_way():
    from helpers.core.text import quoted_sv

    assert quoted_sv('Utveckla initiativ likt "starta eget-dagen" för tillväxtföretag') == (
        "”Utveckla initiativ likt ’starta eget-dagen’ för tillväxtföretag”")
    assert quoted_sv("Inget citat") == "”Inget citat”"


def test_capitalised_raises_only_the_first_letter():
    from helpers.core.fmt import capitalised

    assert capitalised("fyra föreslagna ändringar") == "Fyra föreslagna ändringar"
    assert capitalised("nKI i Q1") == "NKI i Q1"
    assert capitalised("") == ""
