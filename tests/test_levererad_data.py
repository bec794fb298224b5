"""The shipped data/ and _config.yml themselves: the one set of tests that reads them (everything else runs on
tests/fixtures/). A second kommun that replaces data/ and the plan: block gets these checks on its own data."""

from __future__ import annotations

import pytest

from conftest import ROOT, SHIPPED
from helpers.compute.analysis import analyse
from helpers.data import config
from helpers.data.yeardata import year_folders

CFG = config.load_config(ROOT / "_config.yml")
YEARS = year_folders(SHIPPED)


def test_every_year_of_data_lies_in_the_plans_period():
    assert YEARS and all(y in CFG.ar for y in YEARS), (YEARS, CFG.period)


@pytest.mark.parametrize("year", YEARS)
def test_every_shipped_year_validates_with_the_shipped_plan_block(year):
    an = analyse(year, SHIPPED)
    assert an.config == CFG
    assert len(an.plan.atgarder) and len(an.plan.indikatorer)


def test_the_shipped_business_climate_is_the_kommun_s_own():
    an = analyse(YEARS[-1], SHIPPED)
    if an.klimat is not None and len(an.klimat.insikt):
        assert len(an.klimat.kommun_insikt), f"inga Insiktrader för {CFG.kortnamn}"
