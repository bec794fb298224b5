"""The record behind each page (underlag): tidy tables from the same computations the page prints.

Fast: the tables are computed from the small fixture data without running a notebook.
"""

from __future__ import annotations

import json
import math

import pytest

from conftest import read_rows, small_data
from helpers.compute import underlag
from helpers.compute.analysis import analyse
from helpers.present.underlag import MIME, record
from helpers.run.record import normalise, record_of, table_csv


@pytest.fixture(scope="module")
def an(tmp_path_factory):
    data = small_data(tmp_path_factory.mktemp("underlag"))
    return analyse(2026, data)


def test_input_rows_are_the_lines_of_the_files_the_analysis_read(an):
    rows = underlag.inputs_atgard(an, "1.1")["indata_indikatorvarden"]
    assert set(rows["fil"]) == {"data/2025/indikatorvarden.exempeldata.csv", "data/2026/indikatorvarden.exempeldata.csv"}
    data_dir = an.plan.folder.parent
    for _, r in rows.iterrows():
        lines = read_rows(data_dir.parent / r["fil"])
        original = lines[int(r["rad"]) - 2]  # line 1 is the header
        assert original["indikator_id"] == r["indikator_id"] and original["varde"] == r["varde"]
    assert set(rows["indikator_id"]) == {"1.1-1", "1.1-2", "1.1-3"}


def test_status_rows_cover_the_report_year_and_the_year_before_for_the_page_and_its_links(an):
    rows = underlag.inputs_atgard(an, "1.2")["indata_status"]
    assert {(f.split("/")[1], a) for f, a in zip(rows["fil"], rows["atgard_id"])} == {
        ("2025", "1.1"), ("2025", "1.2"), ("2026", "1.1"), ("2026", "1.2")}


def test_the_change_table_is_what_the_analysis_computed(an):
    table = underlag.atgard(an, "1.1")["forandringar"]
    for _, r in table.iterrows():
        ch = an.changes[r["indikator_id"]]
        assert (math.isnan(r["varde"]) and math.isnan(ch.varde)) or r["varde"] == ch.varde
        assert r["trend"] == ch.trend and r["ar_fore"] == ch.ar_fore


def test_judgements_carry_their_reason_and_the_plans_target(an):
    table = underlag.atgard(an, "5.1")["bedomningar"]
    assert len(table) == len(an.plan.indicators_of("5.1"))
    for _, r in table.iterrows():
        assert r["forklaring"] == an.judgements.at[r["indikator_id"], "forklaring"]
        assert r["maltyp"] == an.plan.indikatorer.at[r["indikator_id"], "maltyp"]


def test_plan_totals_are_the_sum_over_malomraden_with_the_share_of_the_judged(an):
    total = underlag.plan_totals(an)
    assert total["uppfyllt"] == an.per_malomrade["uppfyllt"].sum()
    judged = an.per_malomrade["bedomda"].sum()
    assert total["andel_uppfyllt"] == pytest.approx(total["uppfyllt"] / judged * 100)
    samlad = underlag.samlad(an)["maluppfyllelse_malomraden"]
    alla = samlad[samlad["malomrade_id"] == "alla"].iloc[0]
    assert alla["uppfyllt"] == total["uppfyllt"] and alla["bedomda"] == judged


def test_climate_tables_hold_the_tests_behind_each_nki_change(an):
    tables = underlag.klimat(an)
    d = tables["nki_forandringar"]
    assert {"delta", "p_value", "bedomning", "forklaring"} <= set(d.columns) and len(d)
    assert len(tables["kopplade_bedomningar"]) == (~an.plan.indikatorer["serie"].isna()).sum()


def test_the_record_output_holds_exact_json_and_readable_html(an):
    bundle = record("Beräkningar", underlag.atgard(an, "1.1"))._repr_mimebundle_()
    payload = json.loads(json.dumps(bundle[MIME]))  # survives the notebook's JSON unchanged
    ch = payload["tabeller"]["forandringar"]
    i = ch["kolumner"].index("varde")
    assert [r[i] for r in ch["rader"]][:2] == [an.changes["1.1-1"].varde, an.changes["1.1-2"].varde]
    assert "<table>" in bundle["text/html"] and "forandringar" in bundle["text/html"]


def test_csv_uses_the_inputs_conventions_and_never_writes_a_formula():
    table = {"kolumner": ["a", "b", "c", "d"], "rader": [[84.2, 58.0, True, "=HYPERLINK(\"x\")"], [None, -3, False, "-"]]}
    assert table_csv(table) == 'a;b;c;d\n84,2;58;ja;"\'=HYPERLINK(""x"")"\n;-3;nej;\'-\n'


def _executed(name="atgard_1_1", start="2026-05-01T10:00:00+00:00"):
    import nbformat

    nb = nbformat.v4.new_notebook()
    inj = nbformat.v4.new_code_cell("year = 2026", metadata={"tags": ["injected-parameters"]})
    inj["id"] = start[:8]  # papermill gives the injected cell a random id
    out = nbformat.v4.new_output("display_data", data={MIME: {"titel": "t", "tabeller": {
        "x": {"beskrivning": "", "kolumner": ["a"], "rader": [[1]]}}}, "text/plain": "t"})
    cell = nbformat.v4.new_code_cell("record(...)", outputs=[out],
                                     metadata={"papermill": {"start_time": start, "end_time": start, "duration": 1.5},
                                               "execution": {"iopub.status.busy": start}})
    cell["id"] = "cell-01"
    nb.cells = [inj, cell]
    nb.metadata["papermill"] = {"input_path": f"/tmp/x/{name}.ipynb", "output_path": "/tmp/y", "start_time": start,
                                "end_time": start, "duration": 3.0, "parameters": {"year": 2026}}
    return nb


def test_normalising_with_source_date_epoch_makes_runs_identical():
    import datetime as dt

    import nbformat

    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    a, b = _executed(start="2026-05-01T10:00:00+00:00"), _executed(start="2026-06-02T11:00:00+00:00")
    for nb in (a, b):
        normalise(nb, template="atgard.ipynb", name="atgard_1_1", when=when)
    assert nbformat.writes(a) == nbformat.writes(b)
    assert a.cells[0].id == "injected-parameters"
    assert a.metadata.papermill.input_path == "notebooks/atgard.ipynb"
    assert a.metadata.papermill.start_time == when.isoformat()
    assert record_of(a) == {"x": {"beskrivning": "", "kolumner": ["a"], "rader": [[1]]}}


def test_without_source_date_epoch_the_real_times_stay():
    nb = _executed()
    normalise(nb, template="atgard.ipynb", name="atgard_1_1", when=None)
    assert nb.metadata.papermill.start_time == "2026-05-01T10:00:00+00:00"
    assert nb.metadata.papermill.duration == 3.0
    assert nb.metadata.papermill.output_path == "atgard_1_1.ipynb"


def test_input_rows_follow_the_bytes_of_the_file_even_when_it_was_read_before(tmp_path):
    data = small_data(tmp_path)
    an = analyse(2026, data)
    first = underlag.inputs_atgard(an, "1.1")["indata_indikatorvarden"]
    path = data / "2026" / "indikatorvarden.exempeldata.csv"
    text = path.read_text(encoding="utf-8")
    row = first[first["fil"].str.endswith("2026/indikatorvarden.exempeldata.csv")].iloc[0]
    line = text.splitlines()[int(row["rad"]) - 1]
    assert f";{row['varde']};" in line
    path.write_text(text.replace(line, line.replace(f";{row['varde']};", ";4711;", 1)), encoding="utf-8")
    again = underlag.inputs_atgard(an, "1.1")["indata_indikatorvarden"]
    changed = again[(again["fil"] == row["fil"]) & (again["rad"] == row["rad"])].iloc[0]
    assert changed["varde"] == "4711"  # the same path, new bytes: read again, never the parsed copy
    again.loc[:, "varde"] = "ändrad av en sida"
    assert "ändrad av en sida" not in set(underlag.inputs_atgard(an, "1.1")["indata_indikatorvarden"]["varde"])
