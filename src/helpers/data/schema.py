"""Typed, checked tables: parse Swedish cell values, then check them with a pandera schema.

Parsing (decimal comma, dates, ja/nej) is ours because pandera does not know Swedish
conventions; value rules (ranges, allowed values, uniqueness, required) are pandera checks so
they are declared once per column. Every problem of a file is reported together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.core.errors import InputError, Problem, display_path, typed
from helpers.core.fmt import exact_sv
from helpers.core.missing import blank
from helpers.data.csvio import read_table

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass(frozen=True)
class Col:
    """One column of an input file: how to parse it and which values are allowed."""

    name: str
    kind: str = "text"  # text | int | decimal | date | choice | janej
    required: bool = False
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    unique: bool = False
    pattern: str | None = None
    describe: str | None = None  # Swedish description of an allowed value, overrides the default
    may_be_absent: bool = False  # a column added to the format later: older files without it stay valid

    def expected(self) -> str:
        if self.describe:
            return self.describe
        base = {
            "text": "text",
            "int": "ett heltal",
            "decimal": "ett tal (decimalkomma går bra, t.ex. 72,5)",
            "date": "ett datum ÅÅÅÅ-MM-DD",
            "choice": "ett av: " + ", ".join(f"'{c}'" for c in self.choices),
            "janej": "'ja' eller 'nej'",
        }[self.kind]
        if self.min is not None and self.max is not None:
            base += f" från {exact_sv(self.min)} till {exact_sv(self.max)}"
        elif self.min is not None:
            base += f" som är minst {exact_sv(self.min)}"
        elif self.max is not None:
            base += f" som är högst {exact_sv(self.max)}"
        return base


@dataclass(frozen=True)
class TableSpec:
    """A file's columns plus the name used in messages."""

    columns: tuple[Col, ...]
    row_rules: tuple = field(default=())  # callables (row: pd.Series) -> list[(column, value, expected)]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def parse_number(text: str) -> float | None:
    """Parse '1 234,5', '72.5' or '-3'; return None when it is not a number."""
    compact = _SPACES.sub("", text)
    if not _NUMBER.match(compact):
        return None
    return float(compact.replace(",", "."))


def _parse_cell(col: Col, text: str):
    """Return (value, ok). Blank is None and always parses; required-ness is a schema check."""
    if text == "":
        return None, True
    if col.kind in ("text",):
        return text, True
    if col.kind == "choice":
        return text, True  # membership is a schema check, so all bad values are listed alike
    if col.kind == "janej":
        low = text.lower()
        return (low, True) if low in ("ja", "nej") else (text, False)
    if col.kind in ("int", "decimal"):
        number = parse_number(text)
        if number is None:
            return text, False
        if col.kind == "int" and not number.is_integer():
            return text, False
        return number, True
    if col.kind == "date":
        try:
            return dt.date.fromisoformat(text), True
        except ValueError:
            return text, False
    raise ValueError(f"unknown column kind {col.kind}")


def _schema(spec: TableSpec) -> pa.DataFrameSchema:
    columns = {}
    for col in spec.columns:
        checks = []
        if col.kind == "choice":
            checks.append(pa.Check.isin(list(col.choices), error=col.expected()))
        if col.min is not None:
            checks.append(pa.Check.ge(col.min, error=col.expected()))
        if col.max is not None:
            checks.append(pa.Check.le(col.max, error=col.expected()))
        if col.pattern:
            checks.append(pa.Check.str_matches(col.pattern, error=col.expected()))
        dtype = "Float64" if col.kind in ("int", "decimal") else object
        columns[col.name] = pa.Column(dtype, checks=checks, nullable=not col.required, unique=col.unique)
    return pa.DataFrameSchema(columns, coerce=False)


_CHECK_TEXT = {
    "not_nullable": "ett värde (fältet får inte vara tomt)",
    "field_uniqueness": "ett unikt värde (det förekommer på flera rader)",
}


def load_table(path: Path, spec: TableSpec) -> pd.DataFrame:
    """Read, parse and check one file; raise InputError listing every problem in it."""
    raw = read_table(path, spec.names, tuple(c.name for c in spec.columns if c.may_be_absent))
    shown = display_path(path)
    problems: list[Problem] = []
    unparsable: set[tuple[int, str]] = set()
    parsed: dict[str, list] = {}
    for col in spec.columns:
        values = []
        for line, text in raw[col.name].items():
            value, ok = _parse_cell(col, text)
            if not ok:
                problems.append(Problem(shown, col.expected(), row=int(line), column=col.name, value=text))
                unparsable.add((int(line), col.name))
                value = None
            values.append(value)
        dtype = "Float64" if col.kind in ("int", "decimal") else object
        parsed[col.name] = pd.Series(values, index=raw.index, dtype=dtype)
    frame = pd.DataFrame(parsed, index=raw.index)
    frame.index.name = "rad"
    try:
        _schema(spec).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        # A cell that could not be parsed is reported once, not again as "empty".
        problems.extend(p for p in _translate(exc.failure_cases, frame, spec, shown)
                        if (p.row, p.column) not in unparsable)
    for rule in spec.row_rules:
        for line, row in frame.iterrows():
            for column, value, expected in rule(row):
                problems.append(Problem(shown, expected, row=int(line), column=column, value=value))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, spec.names.index(p.column) if p.column in spec.names else 99))
        raise InputError(problems)
    for col in spec.columns:
        if col.kind == "int":
            frame[col.name] = frame[col.name].astype("Int64")
    return frame


def _translate(failures: pd.DataFrame, frame: pd.DataFrame, spec: TableSpec, shown: str) -> list[Problem]:
    by_name = {c.name: c for c in spec.columns}
    problems = []
    for _, f in failures.iterrows():
        col = by_name.get(f["column"])
        expected = _CHECK_TEXT.get(str(f["check"]), str(f["check"]))
        if str(f["check"]) == "not_nullable" and col is not None:
            expected = f"{col.expected()} (fältet får inte vara tomt)"
        line = f["index"]
        value = frame.at[line, f["column"]] if line in frame.index and f["column"] in frame else f["failure_case"]
        if blank(value):
            value = ""
        elif isinstance(value, float):
            value = typed(value)
        problems.append(Problem(shown, expected, row=int(line) if line is not None else None, column=f["column"], value=value))
    return problems


def check_references(
    frame: pd.DataFrame, column: str, allowed: set, shown_file: str, expected: str
) -> list[Problem]:
    """Problems for values in `column` that do not exist in `allowed` (blank is not checked)."""
    problems = []
    for line, value in frame[column].items():
        if blank(value):
            continue
        if value not in allowed:
            problems.append(Problem(shown_file, expected, row=int(line), column=column, value=value))
    return problems
