"""Typed, checked tables: parse Swedish cell values, then check them with a pandera schema.

Parsing (decimal comma, dates, ja/nej) is ours because pandera does not know Swedish
conventions; value rules (ranges, allowed values, uniqueness, required) are pandera checks so
they are declared once per column. Every problem of a file is reported together.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from helpers.core.errors import InputError, Problem, display_path, typed
from helpers.core.fmt import exact_sv
from helpers.core.missing import blank
from helpers.data.csvio import find_input, read_table

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
# '1.000' or '1,000': a thousands separator or a decimal sign? In a whole number it can only be
# the former; in a decimal column three zeros after the sign make it a guess either way.
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_THOUSANDS_ZEROS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]000$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
THOUSANDS_HINT = ("utan punkt eller komma som tusentalsavgränsare: '{text}' kan betyda både {big} och {small}; "
                  "skriv {big_plain} eller {big_spaced} för tusental")


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


def thousands_ambiguous(text: str, whole: bool) -> bool:
    """True for '1.000' / '1,000' (and, in whole numbers, '12.345'): refused, never guessed."""
    compact = _SPACES.sub("", text)
    return bool((_THOUSANDS if whole else _THOUSANDS_ZEROS).match(compact))


def thousands_hint(text: str) -> str:
    compact = _SPACES.sub("", text)
    sign = "-" if compact.startswith("-") else ""
    digits = compact.lstrip("+-")
    big = int(digits.replace(".", "").replace(",", ""))
    small = exact_sv(float(digits.replace(",", ".")))
    return THOUSANDS_HINT.format(text=text, big=f"{sign}{big}", small=f"{sign}{small}", big_plain=f"{sign}{big}",
                                 big_spaced=f"{sign}{big:,}".replace(",", " "))


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
        # Any case of a listed word is that word, as the Excel import reads it (PÅGÅENDE = pågående);
        # membership is a schema check, so all bad values are listed alike.
        return next((c for c in col.choices if c.lower() == text.lower()), text), True
    if col.kind == "janej":
        low = text.lower()
        return (low, True) if low in ("ja", "nej") else (text, False)
    if col.kind in ("int", "decimal"):
        number = parse_number(text)
        if number is None or thousands_ambiguous(text, whole=col.kind == "int"):
            return text, False
        if col.kind == "int" and not number.is_integer():
            return text, False
        return number, True
    if col.kind == "date":
        if not _ISO_DATE.match(text):  # Python also reads '20261031' and '2026-W44'; the format is one
            return text, False
        try:
            return dt.date.fromisoformat(text), True
        except ValueError:
            return text, False
    raise ValueError(f"unknown column kind {col.kind}")


def _expected(col: Col, text: str) -> str:
    """What a cell should hold, with a hint for the mistakes people actually make."""
    base = col.expected()
    if col.kind in ("int", "decimal") and thousands_ambiguous(text, whole=col.kind == "int"):
        return f"{base}, {thousands_hint(text)}"
    if col.kind == "date":
        digits = re.sub(r"\D", "", text)
        if len(digits) == 8 and digits[:2] in ("19", "20"):
            return f"{base} (menar du {digits[:4]}-{digits[4:6]}-{digits[6:]}?)"
        if len(digits) == 8 and digits[4:6] in ("19", "20"):
            return f"{base} (menar du {digits[4:]}-{digits[2:4]}-{digits[:2]}?)"
    return base


def _schema(spec: TableSpec) -> pa.DataFrameSchema:
    try:
        return _schema_of(spec)
    except TypeError:  # unhashable spec
        return _schema_of.__wrapped__(spec)


@functools.lru_cache(maxsize=64)
def _schema_of(spec: TableSpec) -> pa.DataFrameSchema:
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


_LOADED: dict[tuple, pd.DataFrame] = {}


def _bytes_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def load_table(path: Path, spec: TableSpec) -> pd.DataFrame:
    """Read, parse and check one file; raise InputError listing every problem in it.

    A file whose bytes were checked before in this process, against the same spec, is not parsed
    again: the checked frame does not depend on where the file lies (problems do, and a file with
    problems is never kept). The key is the bytes, read before and after parsing; each caller gets
    its own copy."""
    try:
        hash(spec)
    except TypeError:  # a spec built on the fly with lists in it: simply not remembered
        return _load_table(path, spec)
    digest = _bytes_digest(path)
    key = (digest, spec)
    if digest is not None and key in _LOADED:
        return _LOADED[key].copy()
    frame = _load_table(path, spec)
    if digest is not None and _bytes_digest(path) == digest:
        if len(_LOADED) >= 256:
            _LOADED.clear()
        _LOADED[key] = frame.copy()
    return frame


def load_optional(folder: Path, stem: str, spec: TableSpec, problems: list[Problem],
                  refuse=None) -> tuple[pd.DataFrame, Path | None]:
    """An optional input (`stem.csv` or `stem.exempeldata.csv`) and the file it came from.

    Its problems are collected in `problems` rather than raised, so a validation run shows every
    file's errors at once; an absent or rejected file is an empty table with the spec's columns.
    `refuse(path)` may return a Problem that rejects the file before it is read.
    """
    empty = pd.DataFrame(columns=spec.names)
    try:
        path = find_input(Path(folder), stem, required=False)
    except InputError as exc:
        problems.extend(exc.problems)
        return empty, None
    if path is None:
        return empty, None
    problem = refuse(path) if refuse is not None else None
    if problem is not None:
        problems.append(problem)
        return empty, None
    try:
        return load_table(path, spec), path
    except InputError as exc:
        problems.extend(exc.problems)
        return empty, None


def _load_table(path: Path, spec: TableSpec) -> pd.DataFrame:
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
                problems.append(Problem(shown, _expected(col, text), row=int(line), column=col.name, value=text))
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
    absent = set(raw.attrs.get("absent", ()))  # a column the file predates: nothing there to fix
    for rule in spec.row_rules:
        for line, row in frame.iterrows():
            for column, value, expected in rule(row):
                if column in absent or (int(line), column) in unparsable:  # already named as unreadable
                    continue
                problems.append(Problem(shown, expected, row=int(line), column=column, value=value))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, spec.names.index(p.column) if p.column in spec.names else 99))
        raise InputError(problems)
    for col in spec.columns:
        if col.kind == "int":
            frame[col.name] = frame[col.name].astype("Int64")
    frame.attrs["absent"] = tuple(sorted(absent))
    return frame


def _translate(failures: pd.DataFrame, frame: pd.DataFrame, spec: TableSpec, shown: str) -> list[Problem]:
    by_name = {c.name: c for c in spec.columns}
    # Column-wise lookups: a file with 150 000 bad rows must not take minutes to report.
    cells = {name: frame[name].to_dict() for name in set(failures["column"]) if name in frame}
    problems = []
    for column, check, line, failure in zip(failures["column"], failures["check"].astype(str), failures["index"],
                                            failures["failure_case"]):
        col = by_name.get(column)
        expected = _CHECK_TEXT.get(check, check)
        if check == "not_nullable" and col is not None:
            expected = f"{col.expected()} (fältet får inte vara tomt)"
        value = cells[column].get(line, failure) if column in cells else failure
        if blank(value):
            value = ""
        elif isinstance(value, float):
            value = typed(value)
        problems.append(Problem(shown, expected, row=int(line) if not blank(line) else None, column=column, value=value))
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
