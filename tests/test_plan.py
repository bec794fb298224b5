"""Specification of the handlingsplan register (data/plan/) and of helpers.plan.

The register is the single source of truth for the report: its shape is checked against the
plan itself (Norrtälje kommuns handlingsplan 2025–2030), and a broken copy must be rejected
with every problem named by file, row (header = row 1) and column.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, SEED, read_rows, write_rows
from helpers.core.errors import InputError
from helpers.core.missing import blank
from helpers.data.inputs import FREKVENSER
from helpers.data.plan import load_plan

PLAN_DIR = DATA / "plan"

EXPECTED_ATGARDER = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "4.1", "4.2", "4.3", "4.4",
                     "5.1", "5.2", "6.1", "6.2", "6.3", "6.4"]
INDICATORS_PER_ATGARD = {"1.1": 3, "1.2": 4, "1.3": 3, "1.4": 3, "2.1": 3, "2.2": 4, "3.1": 2, "4.1": 10,
                         "4.2": 3, "4.3": 4, "4.4": 2, "5.1": 3, "5.2": 2, "6.1": 2, "6.2": 4, "6.3": 4,
                         "6.4": 1}


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN_DIR)


@pytest.fixture
def broken(tmp_path):
    """A writable copy of the shipped register."""
    folder = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, folder)
    return folder


def edit(path: Path, changes: dict[str, dict], key: str) -> dict[str, int]:
    """Apply {id: {column: value}} to the rows with that id; return each id's row number in the file."""
    rows = read_rows(path)
    lines = {}
    for i, row in enumerate(rows):
        if row[key] in changes:
            lines[row[key]] = i + 2  # header is row 1
            row.update(changes[row[key]])
    assert set(lines) == set(changes), "test setup: every id to change must exist"
    write_rows(path, rows)
    return lines


def where(exc: InputError) -> set[tuple]:
    return {(Path(p.file).name, p.row, p.column) for p in exc.problems}


# --- The shipped register -------------------------------------------------------------------


def test_register_has_exactly_six_malomraden(plan):
    assert list(plan.malomraden.index) == [1, 2, 3, 4, 5, 6]
    assert plan.malomraden.loc[1, "namn"] == "Effektiv service och myndighetsutövning"


def test_register_has_the_17_atgarder_of_the_plan_in_plan_order(plan):
    assert len(plan.atgarder) == 17
    assert plan.order == EXPECTED_ATGARDER
    assert {a: int(plan.atgard(a)["malomrade_id"]) for a in EXPECTED_ATGARDER} == {
        a: int(a.split(".")[0]) for a in EXPECTED_ATGARDER}


@pytest.mark.parametrize("column", ["titel", "ansvarig", "tidplan", "uppfoljningsfrekvens"])
def test_every_atgard_has_the_standard_fields_filled(plan, column):
    empty = [a for a, v in plan.atgarder[column].items() if v is None or not str(v).strip()]
    assert empty == []


def test_uppfoljningsfrekvens_is_one_of_the_allowed_cycles(plan):
    assert set(plan.atgarder["uppfoljningsfrekvens"]) <= set(FREKVENSER)


def test_indicator_count_per_atgard_follows_the_plan(plan):
    counts = {a: len(plan.indicators_of(a)) for a in EXPECTED_ATGARDER}
    assert counts == INDICATORS_PER_ATGARD


def test_sommarjobb_is_the_only_malomrade_level_indicator_and_total_is_58(plan):
    ind = plan.indikatorer
    no_atgard = ind[ind["atgard_id"].isna()]
    assert list(no_atgard.index) == ["M4-1"]
    assert no_atgard.loc["M4-1", "text"] == "Antal erbjudna sommarjobb"
    assert int(no_atgard.loc["M4-1", "malomrade_id"]) == 4
    assert len(ind) == 58


def test_heading_is_number_and_title_as_in_the_plan(plan):
    assert plan.heading("1.1") == "1.1 Fortsatt utveckling av företagslotsen"


def test_unknown_atgard_is_an_input_error_listing_known_ids(plan):
    with pytest.raises(InputError) as err:
        plan.heading("9.9")
    assert "9.9" in str(err.value)
    assert "6.4" in str(err.value)


def test_milestones_have_the_plans_deadlines(plan):
    ind = plan.indikatorer
    milestones = ind[ind["maltyp"] == "milstolpe"]
    assert dict(milestones["deadline"]) == {
        "2.2-4": dt.date(2026, 3, 31),
        "4.2-3": dt.date(2027, 11, 30),
        "4.3-4": dt.date(2025, 12, 31),
        "5.2-1": dt.date(2025, 12, 31),
        "6.1-2": dt.date(2025, 12, 31),
        "6.2-4": dt.date(2025, 12, 31),
    }
    assert ind.loc["2.2-4", "deadline_text"] == "senast Q1 2026"
    assert ind.loc["4.2-3", "deadline_text"] == "senast hösten 2027"


def test_thresholds_have_the_plans_target_values(plan):
    ind = plan.indikatorer
    thresholds = ind[ind["maltyp"] == "tröskel"]
    assert {i: float(v) for i, v in thresholds["malvarde"].items()} == {"3.1-1": 2.0, "5.1-1": 1.0, "5.2-2": 3.0}
    assert int(ind.loc["5.2-2", "malar"]) == 2026
    assert blank(ind.loc["3.1-1", "malar"]) and blank(ind.loc["5.1-1", "malar"])  # every year


def test_nki_and_ranking_indicators_point_at_their_series(plan):
    ind = plan.indikatorer
    series = {i: s for i, s in ind["serie"].items() if s is not None}
    assert series == {
        "1.2-1": "insikt:totalt:nki",
        "1.3-3": "insikt:totalt:bemotande",
        "6.4-1": "insikt:totalt:information",
        "3.1-2": "ranking:infrastruktur",
        "6.1-1": "ranking:dialog_beslutsfattare",
    }


def test_repeated_measures_take_their_value_from_the_counting_indicator(plan):
    ind = plan.indikatorer
    assert {i: s for i, s in ind["varde_fran"].items() if s is not None} == {
        "4.1-7": "4.1-1", "4.1-9": "4.1-2", "4.1-10": "4.1-3"}
    assert ind.loc["4.1-7", "riktning"] == "minska"
    assert ind.loc["4.1-9", "riktning"] == "öka"


def test_link_from_5_1_to_6_1_is_found_from_both_ends(plan):
    out = plan.links_of("5.1")
    into = plan.links_of("6.1")
    link = out[(out["typ"] == "åtgärd") & (out["till_atgard"] == "6.1")]
    assert len(link) == 1
    assert "6.1" in link.iloc[0]["beskrivning"]
    assert ((into["fran_atgard"] == "5.1") & (into["till_atgard"] == "6.1")).sum() == 1


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_text():
    if not SEED.exists():
        pytest.skip(f"the plan's text ({SEED}) is not available on this machine")
    return _norm(SEED.read_text(encoding="utf-8"))


def test_every_indicator_bullet_is_the_plans_own_wording(plan, seed_text):
    ind = plan.indikatorer
    bullets = ind[ind["atgard_id"].notna()]
    missing = [i for i, t in bullets["text"].items() if _norm(t) not in seed_text]
    assert missing == []


def test_sommarjobb_indicator_is_named_in_the_plan(plan, seed_text):
    # Not a bullet: the plan names it in running text ("indikatorn “antal erbjudna sommarjobb”").
    assert _norm(plan.indikatorer.loc["M4-1", "text"]).lower() in seed_text.lower()


def test_every_atgard_title_and_malomrade_name_is_the_plans_own_wording(plan, seed_text):
    missing = [a for a, t in plan.atgarder["titel"].items() if _norm(t) not in seed_text]
    missing += [m for m, t in plan.malomraden["namn"].items() if _norm(t) not in seed_text]
    assert missing == []


# --- A broken register ----------------------------------------------------------------------


def test_shipped_register_copy_loads(broken):
    assert len(load_plan(broken).indikatorer) == 58


def test_cell_problems_in_the_register_are_all_listed_with_file_row_and_column(broken):
    f = broken / "indikatorer.csv"
    lines = edit(f, {"1.1-2": {"typ": "procent"},
                     "3.1-1": {"malvarde": ""},
                     "1.2-2": {},
                     "1.2-3": {"indikator_id": "1.2-2"}}, "indikator_id")
    with pytest.raises(InputError) as err:
        load_plan(broken)
    found = where(err.value)
    assert ("indikatorer.csv", lines["1.1-2"], "typ") in found
    assert ("indikatorer.csv", lines["3.1-1"], "malvarde") in found
    assert ("indikatorer.csv", lines["1.2-2"], "indikator_id") in found
    assert ("indikatorer.csv", lines["1.2-3"], "indikator_id") in found
    assert len(err.value.problems) == 4
    text = str(err.value)
    assert text.startswith("Indata innehåller 4 fel:")
    assert "värdet 'procent'" in text and "'antal'" in text
    assert "ett målvärde när maltyp är 'tröskel'" in text
    assert "unikt" in text


def test_reference_problems_in_the_register_are_all_listed(broken):
    f = broken / "indikatorer.csv"
    lines = edit(f, {"1.1-1": {"atgard_id": "9.9"},
                     "2.1-1": {"malomrade_id": "3"},
                     "4.1-7": {"varde_fran": "1.1-2"}}, "indikator_id")
    k = broken / "kopplingar.csv"
    rows = read_rows(k)
    link_line = next(i + 2 for i, r in enumerate(rows) if r["fran_atgard"] == "5.1" and r["till_atgard"] == "6.1")
    rows[link_line - 2]["till_atgard"] = "7.7"
    write_rows(k, rows)
    with pytest.raises(InputError) as err:
        load_plan(broken)
    found = where(err.value)
    assert ("indikatorer.csv", lines["1.1-1"], "atgard_id") in found
    assert ("indikatorer.csv", lines["2.1-1"], "malomrade_id") in found
    assert ("indikatorer.csv", lines["4.1-7"], "varde_fran") in found
    assert ("kopplingar.csv", link_line, "till_atgard") in found
    text = str(err.value)
    assert "värdet '9.9' – förväntat: en åtgärd i atgarder.csv" in text
    assert "målområde 2 (åtgärd 2.1:s målområde)" in text


def test_first_data_row_is_row_2(broken):
    rows = read_rows(broken / "malomraden.csv")
    rows[0]["namn"] = ""
    write_rows(broken / "malomraden.csv", rows)
    with pytest.raises(InputError) as err:
        load_plan(broken)
    assert where(err.value) == {("malomraden.csv", 2, "namn")}
    assert "rad 2, kolumn 'namn': tomt värde" in str(err.value)


@pytest.mark.parametrize("change, column, expected", [
    ({"maltyp": "milstolpe", "deadline": "", "typ": "milstolpe"}, "deadline", "ett datum när maltyp är 'milstolpe'"),
    ({"maltyp": "riktning", "riktning": ""}, "riktning", "'öka' eller 'minska' när maltyp är 'riktning'"),
    ({"maltyp": "ingen", "typ": "milstolpe"}, "maltyp", "'milstolpe' när typ är 'milstolpe'"),
    ({"maltyp": "tröskel", "malvarde": "2", "typ": "kvalitativ"}, "maltyp", "'ingen' när typ är 'kvalitativ'"),
])
def test_each_target_kind_needs_its_own_fields(broken, change, column, expected):
    lines = edit(broken / "indikatorer.csv", {"1.1-1": change}, "indikator_id")
    with pytest.raises(InputError) as err:
        load_plan(broken)
    assert ("indikatorer.csv", lines["1.1-1"], column) in where(err.value)
    assert expected in str(err.value)


def test_cell_and_reference_problems_are_reported_together(broken):
    lines = edit(broken / "indikatorer.csv", {"1.1-1": {"atgard_id": "9.9"},
                                               "1.1-2": {"typ": "procent"},
                                               "3.1-1": {"malvarde": ""}}, "indikator_id")
    with pytest.raises(InputError) as err:
        load_plan(broken)
    found = where(err.value)
    assert ("indikatorer.csv", lines["1.1-2"], "typ") in found
    assert ("indikatorer.csv", lines["3.1-1"], "malvarde") in found
    assert ("indikatorer.csv", lines["1.1-1"], "atgard_id") in found


# --- id shapes of other plans and natural order ------------------------------------------------------

@pytest.mark.parametrize("aid", ["1.1", "1.10", "A1", "1.1.1", "A1.2", "12.3"])
def test_every_atgard_id_shape_plans_use_is_accepted(aid):
    import re

    from helpers.data.inputs import ATGARD_ID, INDIKATOR_ID

    assert re.fullmatch(ATGARD_ID, aid)
    assert re.fullmatch(INDIKATOR_ID, f"{aid}-1") and re.fullmatch(INDIKATOR_ID, f"{aid}-12")


@pytest.mark.parametrize("bad", ["1.", ".1", "1,1", "a1", "1.1 ", "1-1", ""])
def test_malformed_atgard_ids_are_still_refused(bad):
    import re

    from helpers.data.inputs import ATGARD_ID

    assert not re.fullmatch(ATGARD_ID, bad)


def test_ids_sort_naturally_everywhere():
    from helpers.core.text import natural_key

    assert sorted(["1.10", "1.2", "1.1.1", "1.1", "2.1"], key=natural_key) == ["1.1", "1.1.1", "1.2", "1.10", "2.1"]
    assert sorted(["A10", "A2", "B1", "A1"], key=natural_key) == ["A1", "A2", "A10", "B1"]
    assert sorted(["4.1-10", "4.1-2", "4.1-1"], key=natural_key) == ["4.1-1", "4.1-2", "4.1-10"]


def test_page_names_of_other_id_shapes_are_distinct_file_names():
    from helpers.present.names import atgard_page

    names = [atgard_page(a) for a in ("1.1", "1.10", "1.1.1", "A1", "11")]
    assert names == ["atgard_1_1", "atgard_1_10", "atgard_1_1_1", "atgard_A1", "atgard_11"]
    assert len(set(names)) == len(names)
