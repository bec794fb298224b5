"""The plan's *standardmall* as an Excel workbook: write it for a year, read a filled one back.

`write_template` builds the workbook the responsible units fill in (Swedish throughout): a sheet
of instructions, one row per åtgärd in *Status*, one row per reportable indicator in
*Indikatorer* and free rows in *Lärdomar*. Ids and texts from the register are locked; only the
input cells are open, with drop-downs and range checks so most mistakes are stopped in Excel.

`import_workbook` reads a filled workbook, turns its cells into the project's CSV convention
(`;`, UTF-8, decimal comma, ISO dates), checks the result with the same rules as every other
input (`yeardata.load_year`) and reports every problem with sheet, Excel row and column. Only a
fully valid workbook reaches `data/<år>/`, and it replaces the year folder in one rename so a
failure never leaves a half-written year. The workbook itself is only read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.errors import InputError, Problem, RunError, display_path
from helpers.format import number_sv
from helpers.plan import STATUSAR, Plan, load_plan
from helpers.targets import target_text
from helpers.validate import blank, parse_number
from helpers.yeardata import LARDOM_TYPER, LARDOMAR, STATUS, VARDEN, load_year

# ---------------------------------------------------------------------------------------------
# Layout of the workbook (shared by writer and reader)
# ---------------------------------------------------------------------------------------------

BLAD_INSTRUKTIONER = "Instruktioner"
BLAD_STATUS = "Status"
BLAD_INDIKATORER = "Indikatorer"
BLAD_LARDOMAR = "Lärdomar"

YEAR_NAME = "uppfoljningsar"  # defined name (and custom property) holding the year
YEAR_CELL = "B3"  # on Instruktioner
MALLVERSION = "1"
MOTTAGARE = "Näringslivsenheten"
LARDOMAR_RADER = 15
JA_NEJ = ("ja", "nej")
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"

# (header, width, wrap) – read-only columns first, then the inputs, named as in the CSV files.
STATUS_COLUMNS = (
    ("atgard_id", 10, False),
    ("titel", 48, True),
    ("ansvarig", 22, True),
    ("period_fran", 13, False),
    ("period_till", 13, False),
    ("status", 15, False),
    ("kommentar", 60, True),
    ("behov_av_justering", 12, False),
    ("justering", 45, True),
    ("uppgiftslamnare", 24, True),
)
STATUS_INPUTS = ("period_fran", "period_till", "status", "kommentar", "behov_av_justering", "justering",
                 "uppgiftslamnare")

# The plan's wording of the indicator is headed 'indikator' so that 'text' names one column only:
# the input column that becomes `text` in indikatorvarden.csv.
IND_COLUMNS = (
    ("indikator_id", 11, False),
    ("atgard_id", 10, False),
    ("indikator", 55, True),
    ("typ", 11, False),
    ("enhet", 11, False),
    ("mål", 30, True),
    ("fyll i", 22, True),
    ("varde", 11, False),
    ("uppnatt_datum", 14, False),
    ("text", 50, True),
    ("kommentar", 40, True),
)
IND_INPUTS = ("varde", "uppnatt_datum", "text", "kommentar")

LARDOM_COLUMNS = (
    ("typ", 12, False),
    ("atgard_id", 11, False),
    ("text", 90, True),
)

HEADER_HELP = {
    "atgard_id": "Åtgärdens nummer i handlingsplanen. Låst – ändra inte.",
    "titel": "Åtgärdens titel i handlingsplanen (för läsning).",
    "ansvarig": "Ansvarig enhet enligt handlingsplanen (för läsning).",
    "period_fran": "Uppföljningsperiodens första dag, ÅÅÅÅ-MM-DD.",
    "period_till": "Uppföljningsperiodens sista dag, ÅÅÅÅ-MM-DD.",
    "status": "Välj i listan: " + ", ".join(STATUSAR) + ".",
    "kommentar": "Kort kommentar från ansvarig (valfri).",
    "behov_av_justering": "Välj ja eller nej.",
    "justering": "Vad som bör justeras. Krävs när behov_av_justering är ja.",
    "uppgiftslamnare": "Vem som lämnar uppgifterna (enhet eller roll).",
    "indikator_id": "Indikatorns id i registret. Låst – ändra inte.",
    "indikator": "Indikatorn med handlingsplanens ord (för läsning).",
    "mål": "Målet enligt handlingsplanen (för läsning).",
    "fyll i": "Vilken kolumn som ska fyllas i för indikatorn.",
    "varde": "Ett tal. Decimalkomma går bra (72,5). Tomt = uppgift saknas.",
    "uppnatt_datum": "Milstolpar: datum när det genomfördes (ÅÅÅÅ-MM-DD). Tomt = inte genomfört än.",
    "text": "Kvalitativa indikatorer: beskrivningen.",
}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_INPUT_HEADER_FILL = PatternFill("solid", fgColor="2E75B6")
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)

# What a value must look like per indicator kind, as Excel data validation and as a hint.
# (validation type, operator, formula1, formula2, hint, error text)
_VALUE_VALIDATION = {
    ("andel", None): ("decimal", "between", "0", "100", "värde (andel i %, 0–100)",
                      "En andel i procent från 0 till 100."),
    ("index", None): ("decimal", "between", "0", "100", "värde (index 0–100)", "Ett index från 0 till 100."),
    ("betyg", None): ("decimal", "between", "1", "6", "värde (betyg 1–6)", "Ett betyg från 1 till 6."),
    ("antal", "st"): ("whole", "greaterThanOrEqual", "0", None, "värde (antal, heltal ≥ 0)",
                      "Ett heltal som är minst 0."),
    ("antal", None): ("decimal", "greaterThanOrEqual", "0", None, "värde (medelvärde ≥ 0)",
                      "Ett tal som är minst 0 (decimaler går bra)."),
}


def _value_rule(typ: str, enhet: str):
    return _VALUE_VALIDATION.get((typ, enhet)) or _VALUE_VALIDATION.get((typ, None))


def reportable(plan: Plan) -> pd.DataFrame:
    """Indicators a unit reports in the mall: not from företagsklimat data, not a repeat of another."""
    ind = plan.indikatorer
    mask = ind["serie"].map(blank) & ind["varde_fran"].map(blank)
    return ind[mask]


def _not_in_mall(plan: Plan) -> list[str]:
    lines = []
    for iid, meta in plan.indikatorer.iterrows():
        if not blank(meta["serie"]):
            lines.append(f"{iid} – hämtas från företagsklimatdata ({meta['kalla']}, {meta['serie']})")
        elif not blank(meta["varde_fran"]):
            lines.append(f"{iid} – redovisas med värdet för {meta['varde_fran']}")
    return lines


def _fill_hint(meta: pd.Series) -> str:
    typ = meta["typ"]
    if typ == "milstolpe":
        return "datum när genomfört (uppnatt_datum)"
    if typ == "kvalitativ":
        return "text (beskrivning)"
    rule = _value_rule(typ, meta["enhet"])
    return rule[4] if rule else "värde"


# ---------------------------------------------------------------------------------------------
# write_template
# ---------------------------------------------------------------------------------------------


def _excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def _header(ws, columns, inputs) -> None:
    for idx, (name, width, _wrap) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=idx, value=name)
        cell.font = _HEADER_FONT
        cell.fill = _INPUT_HEADER_FILL if name in inputs else _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.border = _BORDER
        cell.protection = _LOCKED
        if name in HEADER_HELP:
            cell.comment = Comment(HEADER_HELP[name], "Uppföljningsboken", width=260, height=90)
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.row_dimensions[1].height = 32


def _style(cell, *, locked: bool, wrap: bool, number_format: str | None = None) -> None:
    cell.protection = _LOCKED if locked else _UNLOCKED
    cell.fill = _LOCKED_FILL if locked else _INPUT_FILL
    cell.border = _BORDER
    cell.alignment = Alignment(vertical="top", wrap_text=wrap)
    if number_format:
        cell.number_format = number_format


def _protect(ws, *, insert_rows: bool = False) -> None:
    """Sheet protection without password: ids can't be changed by mistake, columns can be resized."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False  # False = allowed
    p.formatRows = False
    p.insertRows = not insert_rows
    p.deleteRows = True
    p.sort = True
    p.autoFilter = True


def _validation(kind: str, *, operator: str | None = None, formula1: str, formula2: str | None = None,
                title: str, error: str, prompt: str | None = None) -> DataValidation:
    dv = DataValidation(type=kind, operator=operator, formula1=formula1, formula2=formula2, allow_blank=True)
    dv.errorStyle = "stop"
    dv.showErrorMessage = True
    dv.errorTitle = title
    dv.error = error
    if prompt:
        dv.showInputMessage = True
        dv.promptTitle = title
        dv.prompt = prompt
    return dv


def _list_formula(values) -> str:
    return '"' + ",".join(values) + '"'


def _instructions(ws, plan: Plan, year: int) -> None:
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    ws["A1"] = f"Uppföljningsmall {year} – handlingsplan för Norrtälje kommuns näringslivsstrategi 2025–2030"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A3"] = "Uppföljningsår"
    ws["A3"].font = Font(bold=True)
    ws[YEAR_CELL] = year
    ws[YEAR_CELL].font = Font(bold=True, size=12)
    ws[YEAR_CELL].alignment = Alignment(horizontal="left")
    ws["A4"] = "Mallversion"
    ws["B4"] = MALLVERSION
    ws["B4"].alignment = Alignment(horizontal="left")

    statusar = ", ".join(f"'{s}'" for s in STATUSAR)
    sections: list[tuple[str, str]] = [
        ("Vad är det här?",
         f"Standardmallen för den årliga uppföljningen av handlingsplanen. Ansvariga enheter rapporterar "
         f"genomförandestatus för varje åtgärd, årets indikatorvärden samt lärdomar och förslag. Uppgifterna "
         f"blir underlag för uppföljningsrapporten för {year}."),
        ("Så fyller du i",
         "Fyll bara i de gula cellerna. Grå celler (id, titlar och texter från handlingsplanen) är låsta. "
         "Bladen är skyddade utan lösenord så att id:n inte ändras av misstag; importen känner igen raderna på "
         "id:na, så ändra dem inte och ta inte bort rader."),
        ("Bladet Status",
         f"En rad per åtgärd. 'status': välj ett av {statusar}. 'behov_av_justering': välj 'ja' eller 'nej'; "
         f"vid 'ja' beskriver du justeringen i 'justering'. 'kommentar': kort om årets arbete. "
         f"'uppgiftslamnare': enhet eller roll som lämnar uppgifterna. 'period_fran' och 'period_till' är "
         f"förifyllda med {year}-01-01 och {year}-12-31 – ändra dem om uppföljningsperioden är en annan."),
        ("Bladet Indikatorer",
         "En rad per indikator. Kolumnen 'fyll i' visar vilken kolumn som gäller för raden: "
         "'värde' → kolumnen 'varde' (ett tal; decimalkomma går bra, t.ex. 72,5), "
         "'datum när genomfört' → kolumnen 'uppnatt_datum' (ÅÅÅÅ-MM-DD; lämna tomt om milstolpen inte är "
         "nådd än), 'text' → kolumnen 'text' (en beskrivning). 'kommentar' är valfri på alla rader."),
        ("Tillåtna värden",
         "Antal: heltal som är minst 0 (medelvärden får ha decimaler). Andel: procent från 0 till 100. "
         "Index: 0–100. Betyg: 1–6. Datum skrivs ÅÅÅÅ-MM-DD."),
        ("Tomt = uppgift saknas",
         "Lämna cellen tom när uppgiften saknas; en indikator utan ifyllda celler redovisas som 'uppgift "
         "saknas'. Saknade värden uppskattas aldrig och räknas aldrig som noll – skriv därför inte 0 för att "
         "något saknas."),
        ("Bladet Lärdomar",
         "En rad per lärdom eller förslag för hela planen. 'typ': 'lärdom' eller 'förslag'. 'atgard_id': "
         "åtgärden det gäller (valfritt, t.ex. 1.1). 'text': lärdomen eller förslaget. Behövs fler rader "
         "kan du infoga rader i tabellen."),
        ("Finns inte i mallen",
         "Indikatorer vars värde hämtas från företagsklimatdata (SKR Insikt och Svenskt Näringslivs ranking; "
         "kolumnen 'serie' i registret) eller från en annan indikator (kolumnen 'varde_fran') fylls inte i "
         "här och finns därför inte med i mallen: " + "; ".join(_not_in_mall(plan)) + "."),
        ("Skicka",
         f"Spara som Excelfil (.xlsx) och skicka den till {MOTTAGARE}, som sammanställer uppföljningen. "
         f"Uppgifterna läses in med 'python -m helpers importera <fil> --ar {year}'; alla fel rapporteras "
         f"då med blad, rad och kolumn."),
    ]
    row = 6
    for title, text in sections:
        ws.cell(row=row, column=1, value=title).font = Font(bold=True)
        ws.cell(row=row, column=1).alignment = Alignment(vertical="top")
        cell = ws.cell(row=row, column=2, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    _protect(ws)


def _status_sheet(ws, plan: Plan, year: int) -> None:
    names = [c[0] for c in STATUS_COLUMNS]
    _header(ws, STATUS_COLUMNS, STATUS_INPUTS)
    col = {name: idx for idx, name in enumerate(names, start=1)}
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for r, atgard_id in enumerate(plan.order, start=2):
        meta = plan.atgarder.loc[atgard_id]
        values = {"atgard_id": atgard_id, "titel": meta["titel"], "ansvarig": meta["ansvarig"],
                  "period_fran": start, "period_till": end}
        for name, _width, wrap in STATUS_COLUMNS:
            cell = ws.cell(row=r, column=col[name], value=values.get(name))
            if name in ("period_fran", "period_till"):
                fmt = DATE_FORMAT
            else:
                fmt = TEXT_FORMAT
            _style(cell, locked=name not in STATUS_INPUTS, wrap=wrap, number_format=fmt)
    last = 1 + len(plan.order)

    def rng(name: str) -> str:
        letter = get_column_letter(col[name])
        return f"{letter}2:{letter}{last}"

    status_dv = _validation("list", formula1=_list_formula(STATUSAR), title="Status",
                            error="Välj ett av: " + ", ".join(STATUSAR) + ".",
                            prompt="Välj i listan: " + ", ".join(STATUSAR) + ".")
    status_dv.add(rng("status"))
    janej_dv = _validation("list", formula1=_list_formula(JA_NEJ), title="Behov av justering",
                           error="Välj 'ja' eller 'nej'.", prompt="ja eller nej. Vid ja: beskriv i 'justering'.")
    janej_dv.add(rng("behov_av_justering"))
    date_dv = _validation("date", operator="between", formula1=str(_excel_serial(dt.date(year - 1, 1, 1))),
                          formula2=str(_excel_serial(dt.date(year + 1, 12, 31))), title="Datum",
                          error=f"Ett datum ÅÅÅÅ-MM-DD nära uppföljningsåret {year}.")
    date_dv.add(rng("period_fran"))
    date_dv.add(rng("period_till"))
    for dv in (status_dv, janej_dv, date_dv):
        ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    _protect(ws)


def _indicator_sheet(ws, plan: Plan, year: int) -> None:
    names = [c[0] for c in IND_COLUMNS]
    _header(ws, IND_COLUMNS, IND_INPUTS)
    col = {name: idx for idx, name in enumerate(names, start=1)}
    value_dvs: dict[tuple, DataValidation] = {}
    date_dv = _validation("date", operator="between", formula1=str(_excel_serial(dt.date(2000, 1, 1))),
                          formula2=str(_excel_serial(dt.date(2100, 12, 31))), title="Datum",
                          error="Ett datum ÅÅÅÅ-MM-DD: dagen då milstolpen genomfördes.",
                          prompt="Datum när det genomfördes, ÅÅÅÅ-MM-DD. Tomt = inte genomfört än.")
    for r, (iid, meta) in enumerate(reportable(plan).iterrows(), start=2):
        typ = meta["typ"]
        values = {
            "indikator_id": iid,
            "atgard_id": None if blank(meta["atgard_id"]) else meta["atgard_id"],
            "indikator": meta["text"],
            "typ": typ,
            "enhet": meta["enhet"],
            "mål": target_text(meta),
            "fyll i": _fill_hint(meta),
        }
        # Input cells that do not apply to the indicator's kind stay locked (grey).
        applies = {"varde": typ not in ("milstolpe", "kvalitativ"), "uppnatt_datum": typ == "milstolpe",
                   "text": typ == "kvalitativ", "kommentar": True}
        for name, _width, wrap in IND_COLUMNS:
            cell = ws.cell(row=r, column=col[name], value=values.get(name))
            locked = name not in IND_INPUTS or not applies[name]
            fmt = {"varde": "General", "uppnatt_datum": DATE_FORMAT}.get(name, TEXT_FORMAT)
            _style(cell, locked=locked, wrap=wrap, number_format=fmt)
        coord = f"{get_column_letter(col['varde'])}{r}"
        rule = _value_rule(typ, meta["enhet"]) if applies["varde"] else None
        if rule:
            if rule not in value_dvs:
                kind, op, f1, f2, hint, error = rule
                value_dvs[rule] = _validation(kind, operator=op, formula1=f1, formula2=f2, title="Värde",
                                              error=error, prompt=error + " Tomt = uppgift saknas.")
            value_dvs[rule].add(coord)
        if applies["uppnatt_datum"]:
            date_dv.add(f"{get_column_letter(col['uppnatt_datum'])}{r}")
    for dv in (*value_dvs.values(), date_dv):
        ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    _protect(ws)


def _lardomar_sheet(ws, plan: Plan) -> None:
    _header(ws, LARDOM_COLUMNS, {c[0] for c in LARDOM_COLUMNS})
    last = 1 + LARDOMAR_RADER
    for r in range(2, last + 1):
        for idx, (_name, _width, wrap) in enumerate(LARDOM_COLUMNS, start=1):
            _style(ws.cell(row=r, column=idx), locked=False, wrap=wrap, number_format=TEXT_FORMAT)
    typ_dv = _validation("list", formula1=_list_formula(LARDOM_TYPER), title="Typ",
                         error="Välj 'lärdom' eller 'förslag'.", prompt="lärdom eller förslag")
    typ_dv.add(f"A2:A{last}")
    atgard_dv = _validation("list", formula1=_list_formula(plan.order), title="Åtgärd",
                            error="Ett åtgärdsnummer från handlingsplanen, t.ex. 1.1 (eller tomt).",
                            prompt="Valfritt: åtgärden det gäller.")
    atgard_dv.add(f"B2:B{last}")
    ws.add_data_validation(typ_dv)
    ws.add_data_validation(atgard_dv)
    ws.freeze_panes = "A2"
    _protect(ws, insert_rows=True)


def build_template(plan: Plan, year: int) -> Workbook:
    """The mall for `year` as an openpyxl workbook (not saved)."""
    wb = Workbook()
    info = wb.active
    info.title = BLAD_INSTRUKTIONER
    _instructions(info, plan, year)
    _status_sheet(wb.create_sheet(BLAD_STATUS), plan, year)
    _indicator_sheet(wb.create_sheet(BLAD_INDIKATORER), plan, year)
    _lardomar_sheet(wb.create_sheet(BLAD_LARDOMAR), plan)
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    wb.defined_names.add(DefinedName(YEAR_NAME, attr_text=f"{BLAD_INSTRUKTIONER}!${YEAR_CELL[0]}${YEAR_CELL[1:]}"))
    wb.custom_doc_props.append(IntProperty(name=YEAR_NAME, value=year))
    wb.custom_doc_props.append(StringProperty(name="mallversion", value=MALLVERSION))
    wb.properties.title = f"Uppföljningsmall {year}"
    wb.properties.subject = "Uppföljning av handlingsplan för Norrtälje kommuns näringslivsstrategi 2025–2030"
    wb.properties.keywords = f"{YEAR_NAME}={year}"
    wb.properties.creator = "Uppföljningsboken"
    wb.security = WorkbookProtection(lockStructure=True)  # sheets can't be renamed or removed
    wb.active = 0
    return wb


def write_template(data_dir: Path, year: int, target: Path) -> Path:
    """Write the mall for `year` (register from data_dir/plan) to `target`; return the path."""
    plan = load_plan(Path(data_dir) / "plan")
    wb = build_template(plan, year)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


# ---------------------------------------------------------------------------------------------
# import_workbook: cells → CSV text
# ---------------------------------------------------------------------------------------------

_ISO_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")


def number_text(value: float | int) -> str:
    """72.5 -> '72,5', 37.0 -> '37', 1e16 -> '10000000000000000' (15 significant digits, like Excel)."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(f"{value:.15g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def cell_text(value, kind: str, choices: tuple[str, ...] = ()) -> str:
    """One cell as the CSV text of the project. kind: id | text | number | date | choice."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if kind == "id":  # '1.1' must stay '1.1', never '1,1'
            return str(int(value)) if float(value).is_integer() else repr(float(value))
        return number_text(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind == "number":
        number = parse_number(text)
        return number_text(number) if number is not None else text
    if kind == "date":
        m = _ISO_MIDNIGHT.match(text)
        return m.group(1) if m else text
    if kind == "choice" and text.lower() in choices:
        return text.lower()
    return text


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


def _label(path: Path, sheet: str) -> str:
    return f"{path.name}, blad {sheet}"


def _open(path: Path):
    if not path.is_file():
        raise InputError([Problem(display_path(path), "en ifylld uppföljningsmall (.xlsx)", value="filen saknas")])
    try:
        # Read from memory: the workbook file is never opened for writing.
        return load_workbook(io.BytesIO(path.read_bytes()), data_only=True)
    except Exception as exc:  # noqa: BLE001 – any unreadable file is the user's input problem
        raise InputError([Problem(path.name, "en Excelfil (.xlsx) skapad med 'python -m helpers mall'",
                                  value=f"filen kan inte läsas som Excel ({type(exc).__name__})")]) from None


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
        BLAD_STATUS: ["atgard_id", *STATUS_INPUTS],
        BLAD_INDIKATORER: ["indikator_id", "atgard_id", *IND_INPUTS],
        BLAD_LARDOMAR: [c[0] for c in LARDOM_COLUMNS],
    }
    sheets: dict[str, _Sheet] = {}
    for name, needed in required.items():
        if name not in wb.sheetnames:
            problems.append(Problem(path.name, f"bladen {', '.join(required)} (som i mallen)", value=f"bladet {name} saknas"))
            continue
        ws = wb[name]
        headers: dict[str, int] = {}
        for idx in range(1, (ws.max_column or 0) + 1):
            value = ws.cell(row=1, column=idx).value
            if value is not None and str(value).strip():
                headers.setdefault(str(value).strip().lower(), idx)
        missing = [h for h in needed if h not in headers]
        if missing:
            problems.append(Problem(_label(path, name), f"rubrikerna {', '.join(needed)} på rad 1 (som i mallen)",
                                    row=1, column=", ".join(missing), value="kolumn saknas"))
        sheets[name] = _Sheet(ws, _label(path, name), headers)
    if problems:
        raise InputError(problems)
    return sheets


def _read(sheet: _Sheet, r: int, name: str, kind: str, choices: tuple[str, ...] = ()) -> str:
    return cell_text(sheet.ws.cell(row=r, column=sheet.columns[name]).value, kind, choices)


_STATUS_KINDS = {"atgard_id": ("id", ()), "period_fran": ("date", ()), "period_till": ("date", ()),
                 "status": ("choice", STATUSAR), "kommentar": ("text", ()),
                 "behov_av_justering": ("choice", JA_NEJ), "justering": ("text", ()),
                 "uppgiftslamnare": ("text", ())}
_VARDEN_KINDS = {"indikator_id": ("id", ()), "varde": ("number", ()), "uppnatt_datum": ("date", ()),
                 "text": ("text", ()), "kommentar": ("text", ())}
_LARDOM_KINDS = {"typ": ("choice", LARDOM_TYPER), "atgard_id": ("id", ()), "text": ("text", ())}


def _status_rows(sheet: _Sheet, plan: Plan, problems: list[Problem]) -> _Table:
    table = _Table("status", BLAD_STATUS, STATUS.names)
    seen: dict[str, int] = {}
    for r in range(2, (sheet.ws.max_row or 1) + 1):
        values = {n: _read(sheet, r, n, *_STATUS_KINDS[n]) for n in STATUS.names}
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
            table.rows.append((r, [values[n] for n in STATUS.names]))
    for aid in plan.order:
        if aid not in seen:
            problems.append(Problem(sheet.label, f"en rad för åtgärd {aid} (en rad per åtgärd i handlingsplanen)",
                                    column="atgard_id", value=f"raden för {aid} saknas"))
    return table


def _indicator_rows(sheet: _Sheet, plan: Plan, problems: list[Problem]) -> _Table:
    table = _Table("indikatorvarden", BLAD_INDIKATORER, VARDEN.names)
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
    table = _Table("lardomar", BLAD_LARDOMAR, LARDOMAR.names)
    for r in range(2, (sheet.ws.max_row or 1) + 1):
        values = [_read(sheet, r, n, *_LARDOM_KINDS[n]) for n in LARDOMAR.names]
        if any(values):
            table.rows.append((r, values))
    return table


# ---------------------------------------------------------------------------------------------
# import_workbook: write, validate, publish
# ---------------------------------------------------------------------------------------------


def _write_csv(folder: Path, table: _Table, skip: set[int] = frozenset()) -> dict[int, int]:
    """Write table to folder/<stem>.csv; return {csv line: excel row} (header = line 1)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(table.columns)
    line = 2
    lines: dict[int, int] = {}
    for excel_row, values in table.rows:
        if excel_row in skip:
            continue
        chunk = io.StringIO()
        csv.writer(chunk, delimiter=";", lineterminator="\n").writerow(values)
        text = chunk.getvalue()
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


def _publish(new: Path, target: Path, data_dir: Path, year: int) -> None:
    """Put the validated folder in place with renames; the old year is restored on failure."""
    if not target.exists():
        os.rename(new, target)
        return
    # Anything in the old folder besides the year's data files (notes, attachments) is kept.
    for item in target.iterdir():
        if _is_data_file(item):
            continue
        if item.is_dir():
            shutil.copytree(item, new / item.name, symlinks=True)
        else:
            shutil.copy2(item, new / item.name, follow_symlinks=False)
    old = data_dir / f".import-{year}-gammal-{uuid.uuid4().hex[:8]}"
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def import_workbook(path: Path, data_dir: Path, year: int, *, overwrite: bool = False) -> list[Path]:
    """Read a filled mall into data_dir/<year>/; raise InputError with every problem, writing nothing.

    Existing data for the year is only replaced with `overwrite=True` (the CLI's --skriv-over).
    Returns the written CSV files.
    """
    path = Path(path)
    data_dir = Path(data_dir)
    plan = load_plan(data_dir / "plan")
    wb = _open(path)
    sheets = _check_structure(wb, path, year)

    problems: list[Problem] = []
    tables = [
        _status_rows(sheets[BLAD_STATUS], plan, problems),
        _indicator_rows(sheets[BLAD_INDIKATORER], plan, problems),
        _lardom_rows(sheets[BLAD_LARDOMAR]),
    ]

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
            _publish(first / str(year), target, data_dir, year)
        except OSError as exc:
            raise RunError(f"kunde inte flytta in de importerade filerna i {display_path(target)} ({exc}); "
                           f"befintliga uppgifter för {year} är orörda") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [target / f"{t.stem}.csv" for t in tables]
