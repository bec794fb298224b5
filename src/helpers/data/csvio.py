"""Read CSV files the way Swedish Excel writes them, without ever rewriting them.

Excel in Sweden saves "CSV (semikolonavgränsad)" with `;`, decimal comma and, for "CSV UTF-8",
a byte-order mark. Files are read as text only; typing and checks happen in `validate`.
"""

from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, display_path
from helpers.core.text import number

EXEMPEL_SUFFIX = ".exempeldata"
# A cell longer than this is almost always a quote that never closes, swallowing the rest of the
# file; no text in the register or a year's follow-up comes near it.
MAX_CELL = 20_000
_SAVE_AS = "spara som 'CSV UTF-8 (kommaavgränsad)' eller 'CSV (semikolonavgränsad)' med UTF-8 i Excel"
# Control characters (Unicode category Cc) other than tab and line breaks: no person types them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def find_input(folder: Path, stem: str, *, required: bool = True) -> Path | None:
    """Return `stem.csv` or `stem.exempeldata.csv` in folder; both at once is an error."""
    real = folder / f"{stem}.csv"
    example = folder / f"{stem}{EXEMPEL_SUFFIX}.csv"
    found = [p for p in (real, example) if p.exists()]
    if len(found) == 2:
        raise InputError(
            [
                Problem(
                    display_path(folder),
                    f"antingen {real.name} eller {example.name}, inte båda",
                    value=f"{real.name} och {example.name}",
                )
            ]
        )
    if not found:
        if required:
            raise InputError(
                [Problem(display_path(folder), f"en fil {real.name} (eller {example.name})", value="filen saknas")]
            )
        return None
    return found[0]


def is_example(path: Path) -> bool:
    """Invented demonstration data is marked by its file name, so the label can never drift."""
    return Path(path).name.endswith(f"{EXEMPEL_SUFFIX}.csv")


def _utf16(raw: bytes) -> bool:
    """Excel's 'Unicode-text' is UTF-16: a byte-order mark, or every other byte zero."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:4000]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 3


def _decode(path: Path, raw: bytes) -> str:
    shown = display_path(path)
    if raw.startswith(b"PK\x03\x04"):
        raise InputError([Problem(shown, "en CSV-fil (text); en ifylld Excelmall läses in med "
                                  "'python -m helpers importera FIL --ar ÅR'",
                                  value="filen är en Excelarbetsbok (.xlsx), inte CSV")])
    if _utf16(raw):
        raise InputError([Problem(shown, f"teckenkodning UTF-8 ({_SAVE_AS})",
                                  value="filen är sparad som UTF-16 (Excels 'Unicode-text')")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    shown,
                    f"teckenkodning UTF-8 ({_SAVE_AS})",
                    row=line,
                    value=f"byte 0x{raw[exc.start]:02x} (filen verkar vara sparad som ANSI/Windows-1252)",
                )
            ]
        ) from None


@contextmanager
def _field_limit(limit: int):
    """Let the csv module read long cells, so they are reported by row and column, not as an error."""
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _scan_quotes(text: str, delim: str) -> tuple[str, int, int] | None:
    """Where a record's quoting goes wrong: ('oppen' | 'efter', field index, line offset).

    Used only to explain a csv error: 'oppen' is a quote that never closes (field and line where
    it opened), 'efter' is text right after a closing quote.
    """
    field, line, i, n = 0, 0, 0, len(text)
    at_start = True
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            opened_line = line
            i += 1
            while True:
                if i >= n:
                    return "oppen", field, opened_line
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                if text[i] == "\n":
                    line += 1
                i += 1
            if i < n and text[i] not in (delim, "\n", "\r"):
                return "efter", field, line
            at_start = False
            continue
        if ch == delim:
            field += 1
            at_start = True
        elif ch == "\n":
            return None  # the record ended without a quoting problem
        else:
            at_start = False
        i += 1
    return None


def _csv_problem(shown: str, text: str, delim: str, start: int, header: list[str] | None, exc: csv.Error) -> Problem:
    """A Swedish explanation of a csv module error, with the row (and column) it concerns."""
    lines = text.splitlines()
    found = _scan_quotes("\n".join(lines[start - 1:]), delim)
    column = None
    if found and header and found[1] < len(header):
        column = header[found[1]]
    if found and found[0] == "oppen":
        row = start + found[2]
        return Problem(shown, 'citattecken parvis: ett fält som börjar med " slutar med " (skriv "" för ett '
                       "citattecken inuti texten)", row=row, column=column,
                       value="ett citattecken öppnas här men stängs aldrig – resten av filen "
                             f"({_rows(len(lines) - row + 1)}) blir ett enda fält")
    if found and found[0] == "efter" and found[2] > 0:
        # A stray quote opened a field that ran on over the following lines: name where it opened.
        closed = start + found[2]
        return Problem(shown, 'citattecken parvis: ett fält som börjar med " slutar med " i samma fält (skriv "" för '
                       "ett citattecken inuti texten)", row=start, column=column,
                       value=f"ett citattecken öppnas här och stängs först på rad {closed}, så att "
                             f"{_rows(found[2] + 1)} blir ett enda fält")
    if found and found[0] == "efter":
        row = start + found[2]
        return Problem(shown, f"'{delim}' eller radslut direkt efter ett avslutande citattecken (skriv \"\" för ett "
                       "citattecken inuti texten)", row=row, column=column,
                       value=lines[row - 1] if row - 1 < len(lines) else "")
    if "field larger than field limit" in str(exc):
        return Problem(shown, f"högst {number(MAX_CELL)} tecken i en cell", row=start,
                       value="en cell som är större än hela gränsen för inläsning (ofta ett citattecken som inte stängs)")
    return Problem(shown, "giltig CSV (semikolon mellan fälten, citattecken parvis)", row=start,
                   value=f"filen kan inte läsas som CSV ({exc})")


def _rows(n: int) -> str:
    return "1 rad" if n == 1 else f"{number(n)} rader"


def _cell_problems(shown: str, line: int, header: list[str], row: list[str]) -> list[Problem]:
    """Cells no person typed: control characters (a damaged file) and cells of absurd length."""
    out: list[Problem] = []
    if not any(len(cell) > MAX_CELL or _CONTROL.search(cell) for cell in row):
        return out
    for name, cell in zip(header, row):
        if len(cell) > MAX_CELL:
            # Only a cell that swallowed line breaks or separators points at an unclosed quote.
            hint = (" (ofta är det ett citattecken som inte stängs, så att resten av filen hamnar i cellen)"
                    if "\n" in cell or ";" in cell else "")
            out.append(Problem(shown, f"högst {number(MAX_CELL)} tecken i en cell{hint}", row=line, column=name,
                               value=cell))
        elif _CONTROL.search(cell):
            out.append(Problem(shown, "text utan styrtecken (filen kan vara skadad eller sparad i fel format)",
                               row=line, column=name, value=cell))
    return out


def _delimiter(path: Path, header: str) -> str:
    for delim in (";", "\t", ","):
        if delim in header:
            return delim
    return ";"


def read_table(path: Path, columns: list[str], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV file as strings with exactly `columns` (extra or missing columns are errors).

    Columns named in `optional` may be left out of the file (added later to a format, so older
    files stay valid); they are then read as empty.

    Returns a frame indexed by the file's line number (header = line 1), so every later message
    can point at the row the analyst sees in Excel.
    """
    path = Path(path)
    shown = display_path(path)
    if not path.exists():
        raise InputError([Problem(shown, "filen finns", value="filen saknas")])
    if not path.is_file():
        raise InputError([Problem(shown, "en CSV-fil", value="det är en mapp, inte en fil")])
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise InputError([Problem(shown, "en fil som går att läsa", value="saknar behörighet att läsa filen")]) from None
    text = _decode(path, raw)
    if not text.strip():
        raise InputError([Problem(shown, f"en rubrikrad med kolumnerna {';'.join(columns)}", value="filen är tom")])
    header_line = text.splitlines()[0]
    delim = _delimiter(path, header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar='"', strict=True)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    starts: list[int] = []  # the line each record starts on (quoted fields may span lines)
    last = 0
    try:
        with _field_limit(max(len(text), 1 << 17)):
            for row in reader:
                rows.append(row)
                starts.append(last + 1)
                last = reader.line_num
    except csv.Error as exc:
        header = [h.strip() for h in rows[0]] if rows else None
        raise InputError([_csv_problem(shown, text, delim, last + 1, header, exc)]) from None
    header = [h.strip() for h in rows[0]]
    missing = [c for c in columns if c not in header and c not in optional]
    extra = [h for h in header if h not in columns]
    if missing:
        problems.append(
            Problem(shown, f"kolumnerna {'; '.join(columns)}", row=1, column=", ".join(missing), value="kolumn saknas")
        )
    if extra:
        problems.append(Problem(shown, f"bara kolumnerna {'; '.join(columns)}", row=1, column=", ".join(extra), value="okänd kolumn"))
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        problems.append(Problem(shown, "varje kolumn en gång", row=1, column=", ".join(dup), value="dubblerad kolumn"))
    if problems:
        raise InputError(problems)

    records: dict[int, list[str]] = {}
    for idx, row in enumerate(rows[1:], start=1):
        line = starts[idx]
        if not any(cell.strip() for cell in row):
            continue  # Excel leaves empty rows (;;;) at the end; they carry nothing
        if len(row) != len(header):
            problems.append(
                Problem(shown, f"{len(header)} fält avgränsade med '{delim}'", row=line, value=f"{len(row)} fält")
            )
            continue
        bad = _cell_problems(shown, line, header, row)
        if bad:
            problems += bad
            continue
        records[line] = [cell.strip() for cell in row]
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame.from_dict(records, orient="index", columns=header, dtype=object)
    if frame.empty:
        frame = pd.DataFrame(columns=header, dtype=object)
    frame.index.name = "rad"
    absent = [c for c in columns if c not in frame.columns]
    for c in absent:
        frame[c] = ""
    frame = frame[columns]
    frame.attrs["absent"] = tuple(absent)  # optional columns the file lacks (read as empty)
    return frame


def csv_line(values) -> str:
    """One record in the project's CSV convention: ';' between fields, '\\n' at the end, quotes only
    where a field needs them. The one writer: every file the project writes for people goes here."""
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=";", lineterminator="\n").writerow(values)
    return buf.getvalue()


def csv_text(columns, rows) -> str:
    """A header and rows (sequences of cell texts) as one CSV text."""
    return "".join(csv_line(r) for r in [columns, *rows])


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame in the project's CSV convention (semicolon, UTF-8, no index)."""
    frame.to_csv(path, sep=";", index=False, encoding="utf-8", lineterminator="\n")
