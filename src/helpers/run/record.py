"""After execution: executed notebooks made location-independent and the record written as CSV.

Each executed notebook carries its record (underlag) in hidden cells; this module reads those
outputs back, writes them as tidy CSV in the edition's `tabeller/<sida>/<tabell>.csv`, and
normalises what would otherwise differ from run to run or machine to machine: papermill's
absolute paths, the random id of the injected parameters cell and, when SOURCE_DATE_EPOCH is
set (a reproducible build), the execution timestamps.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import nbformat

from helpers.core.errors import RunError
from helpers.data.csvio import csv_text
from helpers.present.underlag import MIME

TABLES = "tabeller"
INJECTED_ID = "injected-parameters"
EXCEL_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

README = """Beräknade tabeller (underlag) för utgåvan

Varje mapp är en sida i rapporten (samma namn som dess notebook). Varje CSV-fil är en tabell ur
sidans dolda underlagsceller: indataraderna sidan bygger på (indata_*, med fil och radnummer i
utgåvans indata/) och det som beräknades (förändringar, bedömningar med skäl, summeringar,
jämförelser av NKI och ranking). Siffrorna på sidan kommer från samma beräkningar.

Format: semikolonavgränsad, UTF-8, decimalkomma, tomt fält = uppgift saknas, ja/nej för sant/falskt,
datum som ÅÅÅÅ-MM-DD. Text som börjar med = + - eller @ inleds med ' så att Excel inte läser den
som en formel; den exakta texten finns i notebookens underlag (JSON).
"""


def epoch() -> dt.datetime | None:
    """The time SOURCE_DATE_EPOCH names (reproducible builds), or None when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise RunError(f"SOURCE_DATE_EPOCH ska vara ett heltal (sekunder sedan 1970-01-01 UTC), inte '{raw}'.")
    return dt.datetime.fromtimestamp(int(raw), dt.UTC)


def normalise(nb: nbformat.NotebookNode, *, template: str, name: str, when: dt.datetime | None) -> None:
    """Make an executed notebook the same bytes wherever and (with SOURCE_DATE_EPOCH) whenever it ran."""
    pm = nb.metadata.get("papermill")
    if pm is not None:
        pm["input_path"] = f"notebooks/{template}"
        pm["output_path"] = f"{name}.ipynb"
    for cell in nb.cells:
        if INJECTED_ID in cell.metadata.get("tags", []):
            cell["id"] = INJECTED_ID
    if when is None:
        return
    stamp = when.isoformat()
    zulu = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for meta in [nb.metadata.get("papermill")] + [c.metadata.get("papermill") for c in nb.cells]:
        if meta:
            for key in ("start_time", "end_time"):
                if meta.get(key):
                    meta[key] = stamp
            if "duration" in meta:
                meta["duration"] = None
    for cell in nb.cells:
        execution = cell.metadata.get("execution")
        if execution:
            for key in execution:
                execution[key] = zulu


def record_of(nb) -> dict[str, dict]:
    """The record tables of an executed notebook: {table name: {beskrivning, kolumner, rader}}."""
    tables: dict[str, dict] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            payload = out.get("data", {}).get(MIME)
            if payload:
                tables.update(payload["tabeller"])
    return tables


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        return text.replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(EXCEL_FORMULA_START) else text


def table_csv(table: dict) -> str:
    return csv_text(table["kolumner"], ([_csv_value(v) for v in row] for row in table["rader"]))


CODE_KEY = "uppfoljningsboken"  # notebook metadata: which code produced it (a notebook taken out of its edition says so)


def stamp_code(nb: nbformat.NotebookNode, code: dict | None) -> None:
    """Write the code version (git commit, SHA-256 over the helpers package) into the notebook's metadata."""
    if code is not None:
        nb.metadata[CODE_KEY] = {"kod": dict(code)}


def finish_notebooks(staging: Path, pages, code: dict | None = None) -> dict[str, list[str]]:
    """Normalise every executed notebook of the staging edition and write its record as CSV.

    A notebook without a record is an error: the page would have no evidence behind it. `code`
    (provenance.code_identity) is written into every notebook's metadata.
    """
    when = epoch()
    out: dict[str, list[str]] = {}
    missing = []
    folder = staging / TABLES
    for page in pages:
        path = staging / f"{page.name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        normalise(nb, template=page.template, name=page.name, when=when)
        stamp_code(nb, code)
        nbformat.write(nb, path)
        tables = record_of(nb)
        if not tables:
            missing.append(page.name)
            continue
        (folder / page.name).mkdir(parents=True, exist_ok=True)
        for table, data in tables.items():
            (folder / page.name / f"{table}.csv").write_text(table_csv(data), encoding="utf-8")
        out[page.name] = list(tables)
    if missing:
        raise RunError("Notebooks utan underlag (dolda tabeller med indata och beräkningar): "
                       + ", ".join(f"{m}.ipynb" for m in missing))
    (folder / "README.txt").write_text(README, encoding="utf-8")
    return out
