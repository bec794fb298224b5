"""Specification of reading input CSV files the way Swedish Excel writes them (helpers.csvio),
typing and checking them (helpers.validate), and how problems are reported (helpers.errors)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.core.errors import InputError, Problem
from helpers.data.csvio import find_input, is_example, read_table
from helpers.data.schema import Col, TableSpec, load_optional, load_table, parse_number

SPEC = TableSpec((
    Col("id", "int", required=True, unique=True),
    Col("andel", "decimal", min=0, max=100),
    Col("datum", "date"),
    Col("status", "choice", choices=("ja", "nej")),
    Col("namn"),
))


def write(tmp_path, text: str, name: str = "fil.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(exc: InputError) -> list[tuple]:
    return [(p.row, p.column, p.value) for p in exc.problems]


# --- Reading ----------------------------------------------------------------------------------


def test_utf8_with_bom_is_read_and_the_bom_is_not_part_of_the_first_column(tmp_path):
    path = write(tmp_path, "\ufeffid;namn\n1;Åkeri\n")
    frame = read_table(path, ["id", "namn"])
    assert list(frame.columns) == ["id", "namn"]
    assert frame.loc[2, "namn"] == "Åkeri"


def test_semicolon_separated_file_is_read_with_row_numbers_as_index(tmp_path):
    path = write(tmp_path, "id;namn\n1;a\n2;b\n")
    frame = read_table(path, ["id", "namn"])
    assert list(frame.index) == [2, 3]
    assert frame.loc[3].tolist() == ["2", "b"]


def test_comma_separated_file_is_read_too(tmp_path):
    path = write(tmp_path, 'id,andel,datum,status,namn\n1,"72,5",2025-01-31,ja,"Företag, AB"\n')
    frame = load_table(path, SPEC)
    assert frame.loc[2, "andel"] == 72.5
    assert frame.loc[2, "namn"] == "Företag, AB"


def test_columns_may_come_in_any_order_and_are_returned_in_spec_order(tmp_path):
    path = write(tmp_path, "namn;id\nx;1\n")
    assert list(read_table(path, ["id", "namn"]).columns) == ["id", "namn"]


@pytest.mark.parametrize("text, value", [("72,5", 72.5), ("72.5", 72.5), ("1 234", 1234.0),
                                         ("1\u00a0234,5", 1234.5), ("-3", -3.0), (",5", 0.5)])
def test_swedish_numbers_are_parsed(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1.234,5", "1e3", "72 %", ""])
def test_text_that_is_not_a_number_is_not_parsed(text):
    assert parse_number(text) is None


def test_decimal_comma_and_thousands_space_are_parsed_in_a_file(tmp_path):
    spec = TableSpec((Col("id", "int"), Col("v", "decimal")))
    path = write(tmp_path, "id;v\n1;72,5\n2;1 234\n3;\n")
    frame = load_table(path, spec)
    assert frame["v"].tolist()[:2] == [72.5, 1234.0]
    assert pd.isna(frame.loc[4, "v"])
    assert str(frame["id"].dtype) == "Int64"


def test_dates_are_parsed_and_blank_is_no_value(tmp_path):
    path = write(tmp_path, "id;andel;datum;status;namn\n1;;2025-12-31;;\n2;;;;\n")
    frame = load_table(path, SPEC)
    assert frame.loc[2, "datum"] == dt.date(2025, 12, 31)
    assert frame.loc[3, "datum"] is None


def test_windows_1252_file_is_rejected_naming_utf8_and_the_row(tmp_path):
    path = write(tmp_path, "id;namn\n1;ok\n2;bra\n3;Påbörjad\n", encoding="cp1252")
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    (p,) = err.value.problems
    assert p.row == 4
    assert "UTF-8" in p.expected
    assert "0xe5" in str(p.value)
    assert "rad 4" in str(err.value)


def test_missing_column_is_named(tmp_path):
    path = write(tmp_path, "id\n1\n")
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    assert problems(err.value) == [(1, "namn", "kolumn saknas")]


def test_unknown_column_is_named(tmp_path):
    path = write(tmp_path, "id;namn;extra\n1;a;b\n")
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    assert problems(err.value) == [(1, "extra", "okänd kolumn")]
    assert "bara kolumnerna id; namn" in str(err.value)


def test_missing_and_unknown_columns_are_reported_together(tmp_path):
    path = write(tmp_path, "id;nman\n1;a\n")
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    assert problems(err.value) == [(1, "namn", "kolumn saknas"), (1, "nman", "okänd kolumn")]


def test_duplicated_column_is_named(tmp_path):
    path = write(tmp_path, "id;namn;namn\n1;a;b\n")
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    assert (1, "namn", "dubblerad kolumn") in problems(err.value)


def test_wrong_number_of_fields_is_named_with_row_and_count(tmp_path):
    path = write(tmp_path, "id;namn\n1;a\n2;b;c\n3\n")
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    assert problems(err.value) == [(3, None, "3 fält"), (4, None, "1 fält")]
    assert "2 fält avgränsade med ';'" in str(err.value)


def test_blank_trailing_rows_from_excel_are_ignored(tmp_path):
    path = write(tmp_path, "id;namn\n1;a\n;\n;\n\n")
    frame = read_table(path, ["id", "namn"])
    assert list(frame.index) == [2]


def test_file_with_header_only_gives_an_empty_frame_with_the_columns(tmp_path):
    frame = load_table(write(tmp_path, "id;andel;datum;status;namn\n"), SPEC)
    assert len(frame) == 0
    assert list(frame.columns) == SPEC.names


def test_empty_file_is_rejected(tmp_path):
    with pytest.raises(InputError) as err:
        read_table(write(tmp_path, ""), ["id", "namn"])
    assert "filen är tom" in str(err.value)


def test_missing_file_is_rejected(tmp_path):
    with pytest.raises(InputError) as err:
        read_table(tmp_path / "finns_inte.csv", ["id"])
    assert "finns_inte.csv" in str(err.value) and "filen saknas" in str(err.value)


def test_quoted_field_with_newline_keeps_later_row_numbers_right(tmp_path):
    path = write(tmp_path, 'id;namn\n1;"rad ett\nrad två"\n2;b\n3;c;x\n')
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    assert problems(err.value) == [(5, None, "3 fält")]
    frame = read_table(write(tmp_path, 'id;namn\n1;"rad ett\nrad två"\n2;b\n', "ok.csv"), ["id", "namn"])
    assert list(frame.index) == [2, 4]
    assert frame.loc[2, "namn"] == "rad ett\nrad två"


def test_semicolon_inside_quotes_is_text(tmp_path):
    frame = read_table(write(tmp_path, 'id;namn\n1;"a; b"\n'), ["id", "namn"])
    assert frame.loc[2, "namn"] == "a; b"


def test_literal_quote_in_unquoted_field_does_not_shift_row_numbers(tmp_path):
    path = write(tmp_path, 'id;namn\n1;12" skärm\n2;"rad ett\nrad två"\n3;c;x\n')
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    assert problems(err.value) == [(5, None, "3 fält")]


def test_cells_are_stripped_of_surrounding_spaces(tmp_path):
    frame = read_table(write(tmp_path, "id;namn\n 1 ; a \n"), ["id", "namn"])
    assert frame.loc[2].tolist() == ["1", "a"]


# --- Checking: all problems of a file at once -------------------------------------------------


def test_all_bad_cells_of_a_file_are_reported_at_once(tmp_path):
    path = write(tmp_path, "id;andel;datum;status;namn\n1;101;2025-01-01;ja;a\n2;50;2025-02-30;ja;b\n3;5;;kanske;c\n")
    with pytest.raises(InputError) as err:
        load_table(path, SPEC)
    assert problems(err.value) == [(2, "andel", 101), (3, "datum", "2025-02-30"), (4, "status", "kanske")]
    assert str(err.value).startswith("Indata innehåller 3 fel:")


def test_problems_are_sorted_by_row_then_column_order(tmp_path):
    path = write(tmp_path, "id;andel;datum;status;namn\n1;5;;nej;a\n2;-1;;x;b\n")
    with pytest.raises(InputError) as err:
        load_table(path, SPEC)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "andel"), (3, "status")]


def test_share_over_100_is_rejected_with_file_row_and_column(tmp_path):
    path = write(tmp_path, "id;andel;datum;status;namn\n1;100,5;;;\n")
    with pytest.raises(InputError) as err:
        load_table(path, SPEC)
    text = str(err.value)
    assert "fil.csv, rad 2, kolumn 'andel': värdet '100,5'" in text
    assert "förväntat: ett tal (decimalkomma går bra, t.ex. 72,5) från 0 till 100" in text


def test_duplicate_key_is_reported_on_every_row_that_has_it(tmp_path):
    path = write(tmp_path, "id;andel;datum;status;namn\n7;;;;\n8;;;;\n7;;;;\n")
    with pytest.raises(InputError) as err:
        load_table(path, SPEC)
    assert problems(err.value) == [(2, "id", 7), (4, "id", 7)]
    assert "unikt" in str(err.value)


def test_required_blank_cell_is_reported_as_empty(tmp_path):
    path = write(tmp_path, "id;andel;datum;status;namn\n;5;;;a\n")
    with pytest.raises(InputError) as err:
        load_table(path, SPEC)
    assert problems(err.value) == [(2, "id", "")]
    assert "tomt värde" in str(err.value) and "får inte vara tomt" in str(err.value)


def test_decimal_in_int_column_is_rejected(tmp_path):
    spec = TableSpec((Col("id", "int"),))
    with pytest.raises(InputError) as err:
        load_table(write(tmp_path, "id\n2,5\n"), spec)
    assert problems(err.value) == [(2, "id", "2,5")]
    assert "ett heltal" in str(err.value)


def test_unparsable_value_in_required_column_is_reported_once(tmp_path):
    path = write(tmp_path, "id;andel;datum;status;namn\nx;5;;;a\n")
    with pytest.raises(InputError) as err:
        load_table(path, SPEC)
    assert problems(err.value) == [(2, "id", "x")]


def test_row_rule_problems_are_reported_with_row_and_column(tmp_path):
    spec = TableSpec((Col("a", "int"), Col("b", "int")),
                     row_rules=(lambda r: [("b", r["b"], "minst a")] if r["b"] < r["a"] else [],))
    with pytest.raises(InputError) as err:
        load_table(write(tmp_path, "a;b\n1;2\n5;3\n"), spec)
    assert problems(err.value) == [(3, "b", 3)]


# --- Problem and InputError ---------------------------------------------------------------------


def test_problem_text_names_file_row_column_value_and_expectation():
    text = str(Problem("data/2025/status.csv", "ett av: 'ja', 'nej'", row=7, column="behov_av_justering",
                       value="kanske"))
    assert text == ("data/2025/status.csv, rad 7, kolumn 'behov_av_justering': värdet 'kanske' – "
                    "förväntat: ett av: 'ja', 'nej'")


def test_problem_with_empty_value_says_tomt_varde():
    assert str(Problem("f.csv", "ett datum", row=2, column="d", value="")) == \
        "f.csv, rad 2, kolumn 'd': tomt värde – förväntat: ett datum"


def test_problem_about_a_whole_file_has_no_row_or_column():
    assert str(Problem("data/2027", "en mapp", value="mappen saknas")) == \
        "data/2027: värdet 'mappen saknas' – förväntat: en mapp"


def test_input_error_lists_every_problem_with_a_count():
    err = InputError([Problem("a.csv", "x", row=2), Problem("b.csv", "y", row=3)])
    lines = str(err).splitlines()
    assert lines[0] == "Indata innehåller 2 fel:"
    assert lines[1] == "  • a.csv, rad 2 – förväntat: x"
    assert lines[2] == "  • b.csv, rad 3 – förväntat: y"
    assert str(InputError([Problem("a.csv", "x")])).startswith("Indata innehåller 1 fel:")


# --- Real and example files ---------------------------------------------------------------------


def test_real_and_example_file_side_by_side_is_rejected(tmp_path):
    (tmp_path / "status.csv").write_text("x\n")
    (tmp_path / "status.exempeldata.csv").write_text("x\n")
    with pytest.raises(InputError) as err:
        find_input(tmp_path, "status")
    assert "antingen status.csv eller status.exempeldata.csv, inte båda" in str(err.value)


def test_find_input_returns_the_one_file_present_or_none_when_optional(tmp_path):
    (tmp_path / "lardomar.exempeldata.csv").write_text("x\n")
    assert find_input(tmp_path, "lardomar") == tmp_path / "lardomar.exempeldata.csv"
    assert find_input(tmp_path, "status", required=False) is None
    with pytest.raises(InputError) as err:
        find_input(tmp_path, "status")
    assert "status.csv" in str(err.value) and "filen saknas" in str(err.value)


def test_example_data_is_recognised_by_file_name_only(tmp_path):
    assert is_example(tmp_path / "status.exempeldata.csv")
    assert not is_example(tmp_path / "status.csv")
    assert not is_example(tmp_path / "exempeldata_status.csv")


# --- Messages name the row, in Swedish numbers ----------------------------------------------------


def test_a_stray_quote_is_named_on_the_row_where_it_opens_not_where_the_parser_stopped(tmp_path):
    rows = ["id;namn", "1;a", '2;"b', "3;c", "4;d", '5;e"x', "6;f"]
    path = write(tmp_path, "\n".join(rows) + "\n")
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "namn")
    assert "stängs först på rad 6" in str(problem) and "4 rader blir ett enda fält" in str(problem)


def test_an_over_long_cell_is_a_length_problem_with_its_row_and_column_not_a_quoting_one(tmp_path):
    path = write(tmp_path, "id;namn\n1;a\n2;" + "x" * 200_000 + "\n")
    with pytest.raises(InputError) as err:
        read_table(path, ["id", "namn"])
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "namn")
    text = str(problem).replace("\u00a0", " ")
    assert "högst 20 000 tecken" in text and "citattecken" not in text and "200 000 tecken" in text


def test_numbers_in_messages_are_written_the_swedish_way():
    assert "värdet '184'" in str(Problem("f.csv", "x", row=2, column="varde", value=184.0))
    assert "värdet '72,5'" in str(Problem("f.csv", "x", value=72.5))


# --- Optional files ---------------------------------------------------------------------------


def test_an_optional_file_that_is_absent_is_an_empty_table_with_the_columns_and_no_problem(tmp_path):
    found = []
    frame, path = load_optional(tmp_path / "finns-inte", "fil", SPEC, found)
    assert path is None and frame.empty and list(frame.columns) == SPEC.names and found == []


def test_an_optional_file_is_read_and_its_problems_are_collected_not_raised(tmp_path):
    write(tmp_path, "id;andel;datum;status;namn\n1;12,5;2026-01-31;ja;Åkeri\n")
    found = []
    frame, path = load_optional(tmp_path, "fil", SPEC, found)
    assert path == tmp_path / "fil.csv" and frame["andel"].tolist() == [12.5] and found == []
    write(tmp_path, "id;andel;datum;status;namn\n1;120;2026-01-31;ja;Åkeri\n")
    frame, path = load_optional(tmp_path, "fil", SPEC, found)
    assert path is None and frame.empty and [(p.row, p.column, p.value) for p in found] == [(2, "andel", 120)]


def test_an_optional_file_in_both_forms_or_refused_by_the_caller_is_a_collected_problem(tmp_path):
    write(tmp_path, "id\n1\n", "fil.csv")
    write(tmp_path, "id\n1\n", "fil.exempeldata.csv")
    found = []
    assert load_optional(tmp_path, "fil", SPEC, found)[1] is None
    assert "inte båda" in found[0].expected
    (tmp_path / "fil.csv").unlink()
    found = []
    refused = Problem("fil.exempeldata.csv", "en fil med källa", value="fil.exempeldata.csv")
    frame, path = load_optional(tmp_path, "fil", SPEC, found, refuse=lambda p: refused if is_example(p) else None)
    assert path is None and frame.empty and found == [refused]
