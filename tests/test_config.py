"""The plan: block of _config.yml: every problem named by key, value and what was expected, all at once."""

from __future__ import annotations

import pytest

from conftest import NORRTALJE, ROOT
from helpers.core.errors import InputError
from helpers.data import config
from helpers.data.config import load_config, parse_config

GOOD = {"kommun": "Exempelby kommun", "kortnamn": "Exempelby", "genitiv": "Exempelby kommuns", "kommunkod": "9999",
        "titel": "Handlingsplan för Exempelby kommuns näringslivsstrategi", "strategi": "näringslivsstrategi",
        "forsta_ar": 2024, "sista_ar": 2027, "samordnare": "Näringslivskontoret", "invanare": 22000}


def problems(block) -> list:
    with pytest.raises(InputError) as exc:
        parse_config(block, "_config.yml")
    return exc.value.problems


def test_a_complete_block_reads_as_written():
    cfg = parse_config(GOOD, "_config.yml")
    assert (cfg.period, cfg.planen) == ("2024–2027", "handlingsplanen till Exempelby kommuns näringslivsstrategi 2024–2027")
    assert cfg.undertitel == "Handlingsplan för Exempelby kommuns näringslivsstrategi 2024–2027 – uppföljning"
    assert parse_config({**GOOD, "rubrik": "Programmet för {kommun}, {period}"}, "x").undertitel == \
        "Programmet för Exempelby kommun, 2024–2027"


@pytest.mark.parametrize("key, value, expected", [
    ("kommunkod", "188", "fyra siffror"),
    ("forsta_ar", "2024", "ett årtal"),
    ("sista_ar", 2023, "samma som eller efter forsta_ar (2024)"),
    ("kommun", "", "en text"),
    ("invanare", -5, "antalet invånare"),
    ("ranking_enkater", 0, "antalet enkäter"),
    ("rubrik", "Planen {namn}", "bara platshållarna {kommun} och {period}"),
    ("kommunen", "Exempelby", "en känd nyckel"),
])
def test_each_bad_value_is_named_by_key_value_and_expectation(key, value, expected):
    (p,) = problems({**GOOD, key: value})
    assert (p.file, p.column) == ("_config.yml", f"plan.{key}")
    assert p.value == str(value) and expected in p.expected


def test_every_problem_is_reported_at_once_and_a_missing_block_is_named():
    found = problems({**GOOD, "kommunkod": "x", "forsta_ar": None, "samordnare": " "})
    assert {p.column for p in found} == {"plan.kommunkod", "plan.forsta_ar", "plan.samordnare"}
    (p,) = problems(None)
    assert p.column == "plan" and "avsnitt 'plan:'" in p.expected


def test_the_size_class_needs_invanare_or_enkater():
    block = {k: v for k, v in GOOD.items() if k != "invanare"}
    (p,) = problems(block)
    assert p.column == "plan.invanare" and "felmarginal" in p.expected
    assert parse_config({**block, "ranking_enkater": 600}, "x").ranking_felmarginal == 0.2


def test_the_shipped_and_fixture_blocks_are_valid():
    assert load_config(ROOT / "_config.yml").kommunkod
    assert load_config(NORRTALJE / "_config.yml").period == "2025–2030"


def test_a_data_folder_finds_its_own_config_upwards(tmp_path):
    (tmp_path / "p" / "data" / "plan").mkdir(parents=True)
    text = "plan:\n" + "".join(f"  {k}: {v!r}\n" if isinstance(v, str) else f"  {k}: {v}\n" for k, v in GOOD.items())
    (tmp_path / "p" / "_config.yml").write_text(text, encoding="utf-8")
    assert config.for_data(tmp_path / "p" / "data").kommun == "Exempelby kommun"
    assert config.active().kommun == "Exempelby kommun"
