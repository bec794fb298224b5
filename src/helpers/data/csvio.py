"""Read CSV files the way Swedish Excel writes them, without ever rewriting them.

Excel in Sweden saves "CSV (semikolonavgränsad)" with `;`, decimal comma and, for "CSV UTF-8",
a byte-order mark. Files are read as text only; typing and checks happen in `validate`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, display_path

EXEMPEL_SUFFIX = ".exempeldata"


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


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    display_path(path),
                    "teckenkodning UTF-8 (spara som 'CSV UTF-8 (kommaavgränsad)' eller "
                    "'CSV (semikolonavgränsad)' med UTF-8 i Excel)",
                    row=line,
                    value=f"byte 0x{raw[exc.start]:02x} (filen verkar vara sparad som ANSI/Windows-1252)",
                )
            ]
        ) from None


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
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise InputError([Problem(shown, f"en rubrikrad med kolumnerna {';'.join(columns)}", value="filen är tom")])
    header_line = text.splitlines()[0]
    delim = _delimiter(path, header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar='"', strict=True)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    starts: list[int] = []  # the line each record starts on (quoted fields may span lines)
    try:
        last = 0
        for row in reader:
            rows.append(row)
            starts.append(last + 1)
            last = reader.line_num
    except csv.Error as exc:
        raise InputError([Problem(shown, "giltig CSV (citattecken parvis)", row=reader.line_num, value=str(exc))]) from None
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
        records[line] = [cell.strip() for cell in row]
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame.from_dict(records, orient="index", columns=header, dtype=object)
    if frame.empty:
        frame = pd.DataFrame(columns=header, dtype=object)
    frame.index.name = "rad"
    for c in columns:
        if c not in frame.columns:
            frame[c] = ""
    return frame[columns]


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame in the project's CSV convention (semicolon, UTF-8, no index)."""
    frame.to_csv(path, sep=";", index=False, encoding="utf-8", lineterminator="\n")
