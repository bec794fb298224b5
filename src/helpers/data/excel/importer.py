"""Read a filled mall back: cells to the project's CSV text, checked by the same rules as every
other input, every problem named by sheet, Excel row and column; only a valid workbook is written."""

from __future__ import annotations

import io
import shutil
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from helpers.core.crash import machine_limit
from helpers.core.errors import InputError, Problem, RunError, display_path
from helpers.core.fs import swap_into_place
from helpers.core.missing import blank
from helpers.data.csvio import csv_line
from helpers.data.excel.cells import cell_text
from helpers.data.excel.layout import (
    BLAD_INDIKATORER,
    BLAD_INSTRUKTIONER,
    BLAD_LARDOMAR,
    BLAD_STATUS,
    IND_COLUMNS,
    IND_INPUTS,
    IND_OPTIONAL,
    JA_NEJ,
    LARDOM_COLUMNS,
    SHEET_MARKERS,
    STATUS_COLUMNS,
    STATUS_INPUTS,
    STATUS_OPTIONAL,
    YEAR_NAME,
)
from helpers.data.inputs import JUSTERINGSTYPER, LARDOM_TYPER, LARDOMAR, PROGNOSER, STATUS, STATUSAR, VARDEN
from helpers.data.plan import Plan, load_plan
from helpers.data.yeardata import load_year


@dataclass
class _Table:
    """Rows bound for one CSV file, each with the Excel row it came from."""

    stem: str
    sheet: str
    columns: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class _Sheet:
    ws: object
    label: str  # 'fil.xlsx, blad Status'
    columns: dict[str, int]  # header -> column index
    formulas: object = None  # the same sheet with formulas instead of their saved values
    problems: list[Problem] = field(default_factory=list)


def _label(path: Path, sheet: str) -> str:
    return f"{path.name}, blad {sheet}"


def _open(path: Path):
    """The workbook twice: with the values Excel saved, and with the formulas behind them."""
    if not path.is_file():
        raise InputError([Problem(display_path(path), "en ifylld uppföljningsmall (.xlsx)", value="filen saknas")])
    try:
        # Read from memory: the workbook file is never opened for writing.
        raw = path.read_bytes()
        with warnings.catch_warnings():
            # openpyxl warns in English about what it drops (Excel's validation extensions, dates out
            # of range); the checks below report anything that matters, in Swedish.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(raw), data_only=True), load_workbook(io.BytesIO(raw), data_only=False)
    except Exception as exc:  # noqa: BLE001 – any unreadable file is the user's input problem
        raise InputError([Problem(path.name, "en Excelfil (.xlsx) skapad med 'python -m helpers mall'",
                                  value=f"filen kan inte läsas som Excel ({type(exc).__name__})")]) from None


def _formula(cell) -> str | None:
    """The formula in a cell ('=SUMMA(…)'), or None for a plain value."""
    if cell.data_type != "f":
        return None
    value = cell.value
    text = getattr(value, "text", value)  # array formulas keep their text in .text
    return str(text) if text is not None else "="


def _stored_year(wb) -> object:
    """The year the mall was made for: the named cell, else the custom property; None if absent."""
    dn = wb.defined_names.get(YEAR_NAME)
    if dn is not None:
        try:
            for sheet, coord in dn.destinations:
                if sheet in wb.sheetnames:
                    value = wb[sheet][coord.replace("$", "")].value
                    if value is not None:
                        return value
        except Exception:  # noqa: BLE001 – a broken name falls back to the property
            pass
    for prop in wb.custom_doc_props:
        if prop.name == YEAR_NAME:
            return prop.value
    return None


def _answer_sheets(wb) -> dict[str, object]:
    """Each answer sheet as the workbook shows it: found by the mall's marker (a defined name that
    Excel moves along when the sheet is renamed), by its name only in malls made before markers."""
    found = {}
    for role, marker in SHEET_MARKERS.items():
        ws = None
        dn = wb.defined_names.get(marker)
        if dn is not None:
            try:
                ws = next((wb[title] for title, _cell in dn.destinations if title in wb.sheetnames), None)
            except Exception:  # noqa: BLE001 – a broken marker: fall back to the name
                ws = None
        if ws is None and role in wb.sheetnames:
            ws = wb[role]
        found[role] = ws
    return found


_ANSWER_HEADERS = {"atgard_id", "indikator_id", "status", "varde", "kommentar"}


def _hidden_answers(wb, path: Path, found: dict) -> list[Problem]:
    """A hidden sheet with answers is not what the unit saw: the workbook is refused, naming it."""
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            continue
        headers = {str(c.value).strip().lower() for c in next(ws.iter_rows(min_row=1, max_row=1), ()) if c.value}
        has_rows = any(c.value not in (None, "") for row in ws.iter_rows(min_row=2) for c in row)
        is_answer_sheet = any(ws is sheet for sheet in found.values())
        if is_answer_sheet or (headers & _ANSWER_HEADERS and has_rows):
            state = "mycket dolt (syns inte ens i Excels lista)" if ws.sheet_state == "veryHidden" else "dolt"
            out.append(Problem(path.name, "svar bara på synliga blad, så som enheten såg dem: ta fram bladet och "
                               "kontrollera det, eller ta bort det, och spara filen igen",
                               value=f"bladet '{ws.title}' är {state} men innehåller svar"))
    return out


def _check_structure(wb, path: Path, year: int) -> dict[str, _Sheet]:
    problems: list[Problem] = []
    stored = _stored_year(wb)
    try:
        stored_int = int(str(stored).strip()) if stored is not None else None
    except ValueError:
        stored_int = None
    where = _label(path, BLAD_INSTRUKTIONER)
    if stored_int is None:
        problems.append(Problem(where, f"en uppföljningsmall skapad med 'python -m helpers mall --ar {year}' "
                                       f"(uppföljningsåret saknas i filen)", row=3, column="Uppföljningsår",
                                value="" if stored is None else stored))
    elif stored_int != year:
        problems.append(Problem(where, f"en mall för uppföljningsåret {year} – filen är mallen för {stored_int}; "
                                       f"importera med --ar {stored_int} eller skapa en ny mall med "
                                       f"'python -m helpers mall --ar {year}'",
                                row=3, column="Uppföljningsår", value=stored_int))
    required = {
        BLAD_STATUS: ["atgard_id", *(c for c in STATUS_INPUTS if c not in STATUS_OPTIONAL)],
        # The value periods came later: a mall without them is still read (blank = the åtgärd's period).
        BLAD_INDIKATORER: ["indikator_id", "atgard_id", *(c for c in IND_INPUTS if c not in IND_OPTIONAL)],
        BLAD_LARDOMAR: [c[0] for c in LARDOM_COLUMNS],
    }
    sheets: dict[str, _Sheet] = {}
    found = _answer_sheets(wb)
    problems += _hidden_answers(wb, path, found)
    for name, needed in required.items():
        ws = found.get(name)
        if ws is None:
            problems.append(Problem(path.name, f"bladen {', '.join(required)} (som i mallen)", value=f"bladet {name} saknas"))
            continue
        headers: dict[str, int] = {}
        for idx in range(1, (ws.max_column or 0) + 1):
            value = ws.cell(row=1, column=idx).value
            if value is not None and str(value).strip():
                headers.setdefault(str(value).strip().lower(), idx)
        missing = [h for h in needed if h not in headers]
        if missing:
            problems.append(Problem(_label(path, name), f"rubrikerna {', '.join(needed)} på rad 1 (som i mallen)",
                                    row=1, column=", ".join(missing), value="kolumn saknas"))
        sheets[name] = _Sheet(ws, _label(path, ws.title), headers)
    if problems:
        raise InputError(problems)
    return sheets


def _read(sheet: _Sheet, r: int, name: str, kind: str, choices: tuple[str, ...] = ()) -> str:
    if name not in sheet.columns:  # an optional column the filled-in mall does not have
        return ""
    col = sheet.columns[name]
    value = sheet.ws.cell(row=r, column=col).value
    if value is None and sheet.formulas is not None:
        formula = _formula(sheet.formulas.cell(row=r, column=col))
        if formula is not None:
            # Saved by a program that does not calculate: the result is unknown, never 'uppgift saknas'.
            sheet.problems.append(Problem(
                sheet.label, "ett värde: cellen har en formel men inget uträknat värde sparat (filen har sparats av "
                "ett program som inte räknar). Skriv in värdet, eller öppna filen i Excel och spara den igen",
                row=r, column=name, value=formula))
            return ""
    return cell_text(value, kind, choices)


_STATUS_KINDS = {"atgard_id": ("id", ()), "period_fran": ("date", ()), "period_till": ("date", ()),
                 "status": ("choice", STATUSAR), "kommentar": ("text", ()),
                 "behov_av_justering": ("choice", JA_NEJ), "justering": ("text", ()),
                 "uppgiftslamnare": ("text", ()), "prognos": ("choice", PROGNOSER), "prognos_motivering": ("text", ()),
                 "sammanfattning": ("text", ()), "justering_typ": ("choice", JUSTERINGSTYPER),
                 "belopp": ("number", ())}
_VARDEN_KINDS = {"indikator_id": ("id", ()), "varde": ("number", ()), "uppnatt_datum": ("date", ()),
                 "text": ("text", ()), "kommentar": ("text", ()), "period_fran": ("date", ()),
                 "period_till": ("date", ()), "jamforelsevarde": ("number", ()), "prognos": ("choice", PROGNOSER),
                 "prognos_motivering": ("text", ())}
_LARDOM_KINDS = {"typ": ("choice", LARDOM_TYPER), "atgard_id": ("id", ()), "text": ("text", ())}


def _same_text(a: str, b: str) -> bool:
    return " ".join(str(a).split()) == " ".join(str(b).split())


def _locked_matches(sheet: _Sheet, r: int, column: str, expected: str, what: str, problems: list[Problem]) -> bool:
    """A row's locked text (an åtgärd's title, an indicator's wording) must be the register's for the
    row's id: otherwise ids were swapped or the row edited with the protection removed, and the
    answers on it may belong to another row. Malls without the column are not checked."""
    if column not in sheet.columns:
        return True
    shown = cell_text(sheet.ws.cell(row=r, column=sheet.columns[column]).value, "text")
    if _same_text(shown, expected):
        return True
    problems.append(Problem(sheet.label, f"texten för {what} enligt handlingsplanen: '{expected}' (id och text är "
                            "låsta i mallen; raden har ändrats eller bytt plats med en annan, så svaren på den kan "
                            "höra till en annan rad)", row=r, column=column, value=shown))
    return False


def _status_rows(sheet: _Sheet, plan: Plan, problems: list[Problem]) -> _Table:
    # A mall made before a column existed gives a file in the format of its time, without it: its
    # rows are then read as older year files are, not held to rules for answers it never asked for.
    names = [n for n in STATUS.names if n not in STATUS_OPTIONAL or n in sheet.columns]
    table = _Table("status", sheet.ws.title, names)
    seen: dict[str, int] = {}
    for r in range(2, (sheet.ws.max_row or 1) + 1):
        values = {n: _read(sheet, r, n, *_STATUS_KINDS[n]) for n in names}
        if not any(values.values()):
            continue
        aid = values["atgard_id"]
        if not aid:
            problems.append(Problem(sheet.label, "ett åtgärdsnummer (raden har uppgifter men inget atgard_id)",
                                    row=r, column="atgard_id", value=""))
        elif aid not in plan.atgarder.index:
            problems.append(Problem(sheet.label, "ett åtgärdsnummer från handlingsplanen (" + ", ".join(plan.order)
                                    + "); id-cellerna är låsta och ska inte ändras", row=r, column="atgard_id",
                                    value=aid))
        elif aid in seen:
            problems.append(Problem(sheet.label, f"en rad per åtgärd (åtgärd {aid} finns redan på rad {seen[aid]})",
                                    row=r, column="atgard_id", value=aid))
        else:
            seen[aid] = r
            if _locked_matches(sheet, r, "titel", plan.atgarder.at[aid, "titel"], f"åtgärd {aid}", problems):
                table.rows.append((r, [values[n] for n in names]))
    for aid in plan.order:
        if aid not in seen:
            problems.append(Problem(sheet.label, f"en rad för åtgärd {aid} (en rad per åtgärd i handlingsplanen)",
                                    column="atgard_id", value=f"raden för {aid} saknas"))
    return table


def _indicator_rows(sheet: _Sheet, plan: Plan, problems: list[Problem]) -> _Table:
    table = _Table("indikatorvarden", sheet.ws.title, VARDEN.names)
    ind = plan.indikatorer
    seen: dict[str, int] = {}
    for r in range(2, (sheet.ws.max_row or 1) + 1):
        values = {n: _read(sheet, r, n, *_VARDEN_KINDS[n]) for n in VARDEN.names}
        iid = values["indikator_id"]
        has_input = any(values[n] for n in IND_INPUTS)
        if not iid:
            if has_input:
                problems.append(Problem(sheet.label, "ett indikator-id (raden har uppgifter men inget indikator_id)",
                                        row=r, column="indikator_id", value=""))
            continue
        if iid not in ind.index:
            problems.append(Problem(sheet.label, "ett indikator-id från registret (data/plan/indikatorer.csv); "
                                    "id-cellerna är låsta och ska inte ändras", row=r, column="indikator_id", value=iid))
            continue
        if iid in seen:
            problems.append(Problem(sheet.label, f"en rad per indikator ({iid} finns redan på rad {seen[iid]})",
                                    row=r, column="indikator_id", value=iid))
            continue
        seen[iid] = r
        if not _locked_matches(sheet, r, "indikator", ind.at[iid, "text"], f"indikator {iid}", problems):
            continue
        registered = "" if blank(ind.at[iid, "atgard_id"]) else ind.at[iid, "atgard_id"]
        in_sheet = _read(sheet, r, "atgard_id", "id")
        if in_sheet != registered:
            problems.append(Problem(sheet.label, f"åtgärd '{registered}' för indikator {iid} enligt registret "
                                    "(id-cellerna är låsta och ska inte ändras)", row=r, column="atgard_id",
                                    value=in_sheet))
            continue
        if has_input:  # a row with every input empty is 'uppgift saknas': no row is written
            table.rows.append((r, [values[n] for n in VARDEN.names]))
    return table


def _lardom_rows(sheet: _Sheet) -> _Table:
    table = _Table("lardomar", sheet.ws.title, LARDOMAR.names)
    for r in range(2, (sheet.ws.max_row or 1) + 1):
        values = [_read(sheet, r, n, *_LARDOM_KINDS[n]) for n in LARDOMAR.names]
        if any(values):
            table.rows.append((r, values))
    return table


def _write_csv(folder: Path, table: _Table, skip: set[int] = frozenset()) -> dict[int, int]:
    """Write table to folder/<stem>.csv; return {csv line: excel row} (header = line 1)."""
    out = io.StringIO()
    out.write(csv_line(table.columns))
    line = 2
    lines: dict[int, int] = {}
    for excel_row, values in table.rows:
        if excel_row in skip:
            continue
        text = csv_line(values)
        out.write(text)
        lines[line] = excel_row
        line += text.count("\n")  # quoted cell texts may span lines
    with open(folder / f"{table.stem}.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write(out.getvalue())
    return lines


def _new_dir(parent: Path, prefix: str) -> Path:
    path = parent / f"{prefix}{uuid.uuid4().hex[:8]}"
    path.mkdir()  # mkdir honours the umask, unlike tempfile.mkdtemp (0700)
    return path


def _validate(tables: list[_Table], root: Path, year: int, plan: Plan, path: Path,
              skip: dict[str, set[int]] | None = None) -> list[Problem]:
    """Write tables into root/<year>/ and check them with load_year; problems point at the workbook."""
    folder = root / str(year)
    folder.mkdir()
    skip = skip or {}
    lines = {t.stem: (t, _write_csv(folder, t, skip.get(t.stem, set()))) for t in tables}
    try:
        load_year(root, year, plan)
    except InputError as exc:
        return [_to_workbook(p, lines, path) for p in exc.problems]
    return []


def _to_workbook(problem: Problem, lines: dict, path: Path) -> Problem:
    name = Path(problem.file).name
    for stem, (table, mapping) in lines.items():
        if name == f"{stem}.csv":
            row = mapping.get(problem.row) if problem.row is not None else None
            return Problem(_label(path, table.sheet), problem.expected, row=row, column=problem.column,
                           value=problem.value)
    return Problem(path.name, problem.expected, row=None, column=problem.column, value=problem.value)


_SHEET_ORDER = {BLAD_INSTRUKTIONER: 0, BLAD_STATUS: 1, BLAD_INDIKATORER: 2, BLAD_LARDOMAR: 3}
_COLUMN_ORDER = {n: i for i, n in enumerate([c[0] for c in STATUS_COLUMNS] + [c[0] for c in IND_COLUMNS])}


def _sort_key(p: Problem):
    sheet = p.file.rsplit("blad ", 1)[-1] if ", blad " in p.file else ""
    return (_SHEET_ORDER.get(sheet, -1), p.row or 0, _COLUMN_ORDER.get(p.column or "", 99))


def _unique(problems: list[Problem]) -> list[Problem]:
    out: dict[tuple, Problem] = {}
    for p in problems:
        out.setdefault((p.file, p.row, p.column, str(p.value), p.expected), p)
    return sorted(out.values(), key=_sort_key)


def _has_data(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for pattern in ("status*.csv", "indikatorvarden*.csv", "lardomar*.csv")
                  for p in folder.glob(pattern))


def _is_data_file(path: Path) -> bool:
    return path.is_file() and any(path.match(p) for p in ("status*.csv", "indikatorvarden*.csv", "lardomar*.csv"))


def _publish(new: Path, target: Path) -> None:
    """Put the validated folder in place whole; anything else in the old folder (notes,
    attachments) is carried over first, and the old folder stays until the new one is in."""
    if target.exists():
        for item in target.iterdir():
            if _is_data_file(item):
                continue
            if item.is_dir():
                shutil.copytree(item, new / item.name, symlinks=True)
            else:
                shutil.copy2(item, new / item.name, follow_symlinks=False)
    swap_into_place(new, target)


def import_workbook(path: Path, data_dir: Path, year: int, *, overwrite: bool = False) -> list[Path]:
    """Read a filled mall into data_dir/<year>/; raise InputError with every problem, writing nothing.

    Existing data for the year is only replaced with `overwrite=True` (the CLI's --skriv-over).
    Returns the written CSV files.
    """
    path = Path(path)
    data_dir = Path(data_dir)
    plan = load_plan(data_dir / "plan")
    wb, formulas = _open(path)
    sheets = _check_structure(wb, path, year)
    for sheet in sheets.values():
        title = sheet.ws.title
        sheet.formulas = formulas[title] if title in formulas.sheetnames else None

    problems: list[Problem] = []
    tables = [
        _status_rows(sheets[BLAD_STATUS], plan, problems),
        _indicator_rows(sheets[BLAD_INDIKATORER], plan, problems),
        _lardom_rows(sheets[BLAD_LARDOMAR]),
    ]
    for sheet in sheets.values():
        problems += sheet.problems

    work = _new_dir(data_dir, f".import-{year}-")
    try:
        first = work / "forsta"
        first.mkdir()
        checked = _validate(tables, first, year, plan, path)
        if checked:
            # load_year stops before its cross-checks (value ranges per indicator kind, known ids)
            # when any file has a malformed cell. Check again without the rows already reported, so
            # the user gets every problem in one round.
            skip: dict[str, set[int]] = {}
            by_sheet = {t.sheet: t.stem for t in tables}
            for p in checked:
                sheet = p.file.rsplit("blad ", 1)[-1]
                if p.row is not None and sheet in by_sheet:
                    skip.setdefault(by_sheet[sheet], set()).add(p.row)
            second = work / "andra"
            second.mkdir()
            checked += _validate(tables, second, year, plan, path, skip)
        problems = _unique(problems + checked)
        if problems:
            raise InputError(problems)

        target = data_dir / str(year)
        existing = _has_data(target)
        if existing and not overwrite:
            raise InputError([Problem(
                display_path(target),
                f"en tom mapp för {year}, eller flaggan --skriv-over för att ersätta befintliga uppgifter "
                f"(python -m helpers importera {path} --ar {year} --skriv-over)",
                value="det finns redan uppgifter: " + ", ".join(p.name for p in existing))])
        try:
            _publish(first / str(year), target)
        except OSError as exc:
            if machine_limit(exc) is not None:
                raise  # a full disk or a read-only folder: named as such by the command line
            raise RunError(f"kunde inte flytta in de importerade filerna i {display_path(target)} ({exc}); "
                           f"befintliga uppgifter för {year} är orörda") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [target / f"{t.stem}.csv" for t in tables]
