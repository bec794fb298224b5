"""The benchmark's own pieces: its invented editions are valid, labelled and never the project's."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA, make_project, small_data
from helpers.build import pages as book
from helpers.build.bench import EDITIONS, generate_year, markdown, plain_commands, run_measured, set_value, table
from helpers.compute.analysis import analyse


def test_generated_editions_are_valid_exempeldata_and_leave_the_source_alone(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = sorted(p.name for p in DATA.iterdir())
    for year in EDITIONS:
        if not (data / str(year)).exists():
            generate_year(data, year)
    assert sorted(p.name for p in DATA.iterdir()) == before  # the shipped data folder is untouched
    for name in ("status", "indikatorvarden", "lardomar"):
        assert (data / "2030" / f"{name}.exempeldata.csv").exists()
    an = analyse(2030, data)  # validates every generated year
    assert an.exempeldata and sorted(an.years) == list(EDITIONS)
    assert an.status.loc["1.1", "kommentar"].startswith("Exempeldata för 2030")


def test_one_value_is_corrected_in_the_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    set_value(data, 2026, "1.1-1", "59")
    an = analyse(2026, data)
    assert an.changes["1.1-1"].varde == 59


def test_the_report_states_medians_ratios_targets_and_editions():
    res = {"datum": "2026-11-30T10:00:00", "python": "3.11.7", "karnor": 2, "upprepningar": 3,
           "last_fore": [1.5, 1, 1], "last_efter": [2.0, 1, 1],
           "median_s": {"vanligt": 170.0, "kall": 30.0, "oforandrad": 3.0, "ett_varde": 12.0},
           "median_cpu_s": {"vanligt": 150.0, "kall": 40.0, "oforandrad": 2.0, "ett_varde": 10.0},
           "kvot_mot_vanligt": {"kall": 0.176, "oforandrad": 0.018, "ett_varde": 0.071},
           "toppminne_mb": {"vanligt": 400, "kall": 900, "oforandrad": 300, "ett_varde": 800},
           "utgavor": [{"ar": 2025, "ar_med_data": 1, "diagram": 45, "kall_s": 28.0, "kall_cpu_s": 35.5, "oforandrad_s": 3.0,
                        "toppminne_mb": 900, "kall_cpu_delar_s": {"huvudprocessen": 4.0, "kärnorna": 20.0, "övrigt": 0.5}},
                       {"ar": 2026, "ar_med_data": 2, "diagram": 50, "kall_s": 29.0, "kall_cpu_s": 36.0, "oforandrad_s": 3.0,
                        "toppminne_mb": 900, "kall_cpu_delar_s": {"huvudprocessen": 4.5, "kärnorna": 19.6, "övrigt": 0.5}}],
           "sjatte_mot_forsta": 0.98, "sjatte_mot_forsta_cpu": 0.97, "mal": {"kall ≤ 0.20 × vanligt": True}, "mal_uppfyllda": True,
           "samma_utgava": {"ar": 2030, "publicerade": {"som_sjatte": [2025, 2026, 2027, 2028, 2029, 2030], "som_enda": [2030]},
                            "som_sjatte_cpu_s": 25.1, "som_enda_cpu_s": 25.3, "som_sjatte_s": 18.0, "som_enda_s": 18.2,
                            "alla_cpu_s": {"som_sjatte": [25.1, 24.9, 25.6], "som_enda": [25.3, 25.0, 25.9]}, "kvot_cpu": 0.99}}
    text = markdown(res)
    assert "med utgåvorna 2025, 2026, 2027, 2028, 2029 publicerade bredvid" in text
    assert "| som sjätte utgåva | 18,0 | 25,1 | 25,1, 24,9, 25,6 |" in text and "| som enda utgåva | 18,2 | 25,3 |" in text
    assert "Kvoten sjätte mot enda är 0,99 i processortid." in text
    assert ("Samma bygge skilde upp till 0,9 s i processortid mellan sina mätningar" in text
            and "skillnaden mellan sjätte och första utgåvan, 0,5 s, är mindre än så: målet avgörs inom mätbruset" in text)
    assert "| utgåva | huvudprocessen | kärnorna | övrigt |" in text and "| 2026 | 4,5 | 19,6 | 0,5 |" in text
    assert "Från 2025 till 2026: huvudprocessen +0,5 s, kärnorna −0,4 s, övrigt ±0,0 s." in text
    assert "| b) `make report` kall (ingen cache, inget tidigare bygge) | 30,0 | 0,176 | ≤ 0,20 | 40,0 | 900 |" in table(res)
    assert "exempeldata" in text and "| 2025 | 1 | 45 | 28,0 | 35,5 | 3,0 | 900 |" in text and "uppfyllt" in text


@pytest.mark.slow
def test_the_plain_way_the_benchmark_compares_with_builds_the_whole_book(tmp_path):
    layout = make_project(tmp_path / "projekt", small_data(tmp_path / "src", ("1.1", "5.1")))
    commands = plain_commands(layout, 2026, tmp_path / "arbete")
    run = run_measured(commands, layout.root)
    wall, peak, cpu = run.seconds, run.peak, run.cpu
    assert wall > 0 and peak > 0 and cpu > 0
    assert run.parts["kärnorna"] > 0 and run.parts["huvudprocessen"] > 0  # papermill's kernels are told apart
    assert sum(run.parts.values()) >= cpu - 1e-6  # what the sampler missed is under övrigt
    html = tmp_path / "arbete" / "bok" / "_build" / "html"
    pages = book.pages(analyse(2026, layout.data).plan, 2026, "data")
    assert len(commands) == len(pages) + 2  # a papermill call per page, hiding the code, the book
    assert all((html / f"{p.name}.html").is_file() for p in pages) and (html / "index.html").is_file()
