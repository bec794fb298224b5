"""The benchmark's own pieces: its invented editions are valid, labelled and never the project's, and
its report says what it measured in Swedish figures."""

from __future__ import annotations

import shutil

import pytest
from bench.matning import Run, generate_year, markdown, measure, plain_commands, set_value, summary

from conftest import DATA, make_project, small_data
from helpers.compute.analysis import analyse
from helpers.run import pages as book


def test_generated_editions_are_valid_exempeldata_and_leave_the_source_alone(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = sorted(p.name for p in DATA.iterdir())
    for year in range(2027, 2031):
        generate_year(data, year)
    assert sorted(p.name for p in DATA.iterdir()) == before  # the shipped data folder is untouched
    for name in ("status", "indikatorvarden", "lardomar"):
        assert (data / "2030" / f"{name}.exempeldata.csv").exists()
    an = analyse(2030, data)  # validates every generated year
    assert an.exempeldata and sorted(an.years) == list(range(2025, 2031))
    assert an.status.loc["1.1", "kommentar"].startswith("Exempeldata för 2030")


def test_one_value_is_corrected_in_the_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    set_value(data, 2026, "1.1-1", "59")
    assert analyse(2026, data).changes["1.1-1"].varde == 59


def _runs(scale: float = 1.0) -> list[Run]:
    return [Run(10 * scale, 12 * scale, 500), Run(11 * scale, 13 * scale, 510), Run(9 * scale, 11 * scale, 490)]


def test_the_report_states_medians_ratios_targets_and_growth_in_swedish_figures():
    runs = {"vanligt": _runs(10), "kall": _runs(1.5), "oforandrad": _runs(0.2), "ett_varde": _runs(1)}
    editions = {2025: [Run(14, 20.0, 900), Run(15, 20.4, 910)], 2026: [Run(15, 21.0, 900), Run(15, 21.2, 905)],
                2027: [Run(15, 21.9, 900), Run(16, 22.1, 900)]}
    res = summary(2026, 3, runs, editions, 0.5)
    assert res["kvot_mot_vanligt"] == {"kall": 0.15, "oforandrad": 0.02, "ett_varde": 0.1}
    assert res["mal"] == {"kall ≤ 0.2 × vanligt": True, "oforandrad ≤ 0.05 × vanligt": True,
                          "ett_varde ≤ 0.15 × vanligt": True, "toppminne < 2 GB": True}
    assert res["tillvaxt_cpu_s_per_utgava"] == 0.9  # least squares over every measured build: 20.2, 21.1, 22.0
    low, high = res["tillvaxt_95_intervall"]
    assert low < 0.9 < high
    text = markdown(res)
    assert "| b) `make report` kall (ingen cache, inget tidigare bygge) | 15 | 0,15 | ≤ 0,2 |" in text
    assert "- inget ändrat ≤ 0,05 × vanligt: uppfyllt" in text
    assert "ändras med 0,9 s per utgåva" in text and "## Utgåvorna 2025–2027" in text


def test_a_missed_target_is_said_and_fails_the_run():
    runs = {"vanligt": _runs(10), "kall": _runs(3), "oforandrad": _runs(0.2), "ett_varde": _runs(1)}
    res = summary(2026, 3, runs, {2025: [Run(1, 1, 1)], 2026: [Run(1, 1, 1)]}, 0.5)
    assert res["mal"]["kall ≤ 0.2 × vanligt"] is False
    assert "- kall ≤ 0,2 × vanligt: INTE uppfyllt" in markdown(res)


@pytest.mark.slow
def test_the_plain_way_the_benchmark_compares_with_builds_the_whole_book(tmp_path):
    layout = make_project(tmp_path / "projekt", small_data(tmp_path / "src", ("1.1", "5.1")))
    commands = plain_commands(layout, 2026, tmp_path / "arbete")
    run = measure(commands, layout.root)
    assert run.seconds > 0 and run.peak_mb > 0 and run.cpu > 0
    html = tmp_path / "arbete" / "bok" / "_build" / "html"
    pages = book.pages(analyse(2026, layout.data).plan, 2026, "data")
    assert len(commands) == len(pages) + 2  # a papermill call per page, hiding the code, the book
    assert all((html / f"{p.name}.html").is_file() for p in pages) and (html / "index.html").is_file()
