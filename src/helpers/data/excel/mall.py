"""Write the mall for a year: instructions, one row per åtgärd and per reportable indicator,
free rows for lärdomar; ids and the plan's texts locked, inputs open with drop-downs."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty, StringProperty
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.core.fs import write_bytes_atomic
from helpers.core.missing import blank
from helpers.data import config
from helpers.data.excel.layout import (
    _BORDER,
    _HEADER_FILL,
    _HEADER_FONT,
    _INPUT_FILL,
    _INPUT_HEADER_FILL,
    _LOCKED,
    _LOCKED_FILL,
    _UNLOCKED,
    BLAD_INDIKATORER,
    BLAD_INSTRUKTIONER,
    BLAD_LARDOMAR,
    BLAD_STATUS,
    DATE_FORMAT,
    HEADER_HELP,
    IND_COLUMNS,
    IND_INPUTS,
    JA_NEJ,
    LARDOM_COLUMNS,
    LARDOMAR_RADER,
    MALLVERSION,
    SHEET_MARKERS,
    STATUS_COLUMNS,
    STATUS_INPUTS,
    TEXT_FORMAT,
    YEAR_CELL,
    YEAR_NAME,
    _fill_hint,
    _not_in_mall,
    _value_rule,
    forecast_only,
    reportable,
)
from helpers.data.inputs import JUSTERINGSTYPER, LARDOM_TYPER, PROGNOSER, RESURSBEHOV, SAMMANFATTNING_MAX, STATUSAR
from helpers.data.plan import Plan, load_plan, target_text


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
    cfg = config.active()
    ws["A1"] = f"Uppföljningsmall {year} – {cfg.planens_namn}"
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
         f"En rad per åtgärd. 'status': välj ett av {statusar}. 'sammanfattning': årets arbete i en eller två "
         f"meningar, högst {SAMMANFATTNING_MAX} tecken; den visas hel i rapportens översikt. "
         f"'behov_av_justering': välj 'ja' eller 'nej'; vid 'ja' väljer du i 'justering_typ' vilken sorts "
         f"justering det är och beskriver den i 'justering'. Allt utom 'egen åtgärd' ändrar planen och blir ett "
         f"förslag till beslut för kommunstyrelsen; '{RESURSBEHOV}' kräver 'belopp' i hela kronor. "
         f"'kommentar': kort om årets arbete. "
         f"'uppgiftslamnare': enhet eller roll som lämnar uppgifterna. 'period_fran' och 'period_till' är "
         f"förifyllda med {year}-01-01 och {year}-12-31 – ändra dem om uppföljningsperioden är en annan."),
        ("Bladet Indikatorer",
         "En rad per indikator. Kolumnen 'fyll i' visar vilken kolumn som gäller för raden: "
         "'värde' → kolumnen 'varde' (ett tal; decimalkomma går bra, t.ex. 72,5), "
         "'datum när genomfört' → kolumnen 'uppnatt_datum' (ÅÅÅÅ-MM-DD; lämna tomt om milstolpen inte är "
         "nådd än), 'text' → kolumnen 'text' (en beskrivning). 'kommentar' är valfri på alla rader. "
         "'period_fran' och 'period_till' fylls bara i när ett värde avser en annan period än åtgärdens "
         "uppföljningsperiod, till exempel ett antal en viss dag (samma datum i båda) eller en månad; "
         "förändringar räknas bara mellan värden som avser samma del av året."),
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
         f"Spara som Excelfil (.xlsx) och skicka den till {cfg.samordnare}, som sammanställer uppföljningen. "
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
            elif name == "belopp":
                fmt = "#,##0"  # shown with the reader's thousands separator
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
    prognos_dv = _validation("list", formula1=_list_formula(PROGNOSER), title="Prognos",
                             error="Välj ett av: " + ", ".join(PROGNOSER) + ".",
                             prompt="Er bedömning för åtgärden som helhet. Vid risk: motivera.")
    prognos_dv.add(rng("prognos"))
    summary_dv = _validation("textLength", operator="lessThanOrEqual", formula1=str(SAMMANFATTNING_MAX),
                             title="Sammanfattning", error=f"Högst {SAMMANFATTNING_MAX} tecken: en eller två korta "
                             "meningar. Detaljerna hör till kommentaren.",
                             prompt=f"Årets arbete i en eller två meningar, högst {SAMMANFATTNING_MAX} tecken.")
    summary_dv.add(rng("sammanfattning"))
    kind_dv = _validation("list", formula1=_list_formula(JUSTERINGSTYPER), title="Typ av justering",
                          error="Välj ett av: " + ", ".join(JUSTERINGSTYPER) + ".",
                          prompt="Vid ja: vilken sorts justering. Allt utom 'egen åtgärd' går till "
                          "kommunstyrelsen som förslag till beslut.")
    kind_dv.add(rng("justering_typ"))
    amount_dv = _validation("whole", operator="greaterThan", formula1="0", title="Belopp",
                            error="Ett belopp i hela kronor, större än 0.",
                            prompt=f"Bara för {RESURSBEHOV}: beloppet i hela kronor.")
    amount_dv.add(rng("belopp"))
    date_dv = _validation("date", operator="between", formula1=str(_excel_serial(dt.date(year - 1, 1, 1))),
                          formula2=str(_excel_serial(dt.date(year + 1, 12, 31))), title="Datum",
                          error=f"Ett datum ÅÅÅÅ-MM-DD nära uppföljningsåret {year}.")
    date_dv.add(rng("period_fran"))
    date_dv.add(rng("period_till"))
    for dv in (status_dv, janej_dv, date_dv, prognos_dv, summary_dv, kind_dv, amount_dv):
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
    prognos_dv = _validation("list", formula1=_list_formula(PROGNOSER), title="Prognos",
                             error="Välj ett av: " + ", ".join(PROGNOSER) + ".",
                             prompt="Er bedömning för ett mål som inte har förfallit än. Vid risk: motivera.")
    rows = [(iid, meta, True) for iid, meta in reportable(plan).iterrows()]
    rows += [(iid, meta, False) for iid, meta in forecast_only(plan).iterrows()]
    for r, (iid, meta, reported) in enumerate(rows, start=2):
        typ = meta["typ"]
        values = {
            "indikator_id": iid,
            "atgard_id": None if blank(meta["atgard_id"]) else meta["atgard_id"],
            "indikator": meta["text"],
            "typ": typ,
            "enhet": meta["enhet"],
            "mål": target_text(meta),
            "fyll i": _fill_hint(meta) if reported else "bara prognos (värdet hämtas av rapporten)",
        }
        # Input cells that do not apply to the indicator's kind stay locked (grey).
        numeric = reported and typ not in ("milstolpe", "kvalitativ")
        applies = {"varde": numeric, "uppnatt_datum": reported and typ == "milstolpe",
                   "text": reported and typ == "kvalitativ", "kommentar": True,
                   "period_fran": numeric, "period_till": numeric, "jamforelsevarde": numeric,
                   "prognos": meta["maltyp"] != "ingen", "prognos_motivering": meta["maltyp"] != "ingen"}
        for name, _width, wrap in IND_COLUMNS:
            cell = ws.cell(row=r, column=col[name], value=values.get(name))
            locked = name not in IND_INPUTS or not applies[name]
            fmt = {"varde": "General", "jamforelsevarde": "General", "uppnatt_datum": DATE_FORMAT,
                   "period_fran": DATE_FORMAT, "period_till": DATE_FORMAT}.get(name, TEXT_FORMAT)
            _style(cell, locked=locked, wrap=wrap, number_format=fmt)
        coord = f"{get_column_letter(col['varde'])}{r}"
        rule = _value_rule(typ, meta["enhet"]) if applies["varde"] else None
        if rule:
            if rule not in value_dvs:
                kind, op, f1, f2, hint, error = rule
                value_dvs[rule] = _validation(kind, operator=op, formula1=f1, formula2=f2, title="Värde",
                                              error=error, prompt=error + " Tomt = uppgift saknas.")
            value_dvs[rule].add(coord)
            value_dvs[rule].add(f"{get_column_letter(col['jamforelsevarde'])}{r}")
        if applies["prognos"]:
            prognos_dv.add(f"{get_column_letter(col['prognos'])}{r}")
        if applies["uppnatt_datum"]:
            date_dv.add(f"{get_column_letter(col['uppnatt_datum'])}{r}")
        for name in ("period_fran", "period_till"):
            if applies[name]:
                date_dv.add(f"{get_column_letter(col[name])}{r}")
    for dv in (*value_dvs.values(), date_dv, prognos_dv):
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
    for sheet, marker in SHEET_MARKERS.items():
        wb.defined_names.add(DefinedName(marker, attr_text=f"'{sheet}'!$A$1"))
    wb.custom_doc_props.append(IntProperty(name=YEAR_NAME, value=year))
    wb.custom_doc_props.append(StringProperty(name="mallversion", value=MALLVERSION))
    wb.properties.title = f"Uppföljningsmall {year}"
    wb.properties.subject = f"Uppföljning av {config.active().planen}"
    wb.properties.keywords = f"{YEAR_NAME}={year}"
    wb.properties.creator = "Uppföljningsboken"
    wb.security = WorkbookProtection(lockStructure=True)  # sheets can't be renamed or removed
    wb.active = 0
    _text_is_text(wb)
    return wb


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_is_text(wb: Workbook) -> None:
    """Every text is a string cell: openpyxl would store '=HYPERLINK(…)' from the register as a live
    formula and '#N/A' as an error value. No cell of the mall is meant to compute anything."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value[:1] in _FORMULA_STARTS:
                        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


def write_template(data_dir: Path, year: int, target: Path) -> Path:
    """Write the mall for `year` (register from data_dir/plan) to `target`; return the path."""
    config.for_data(data_dir)
    plan = load_plan(Path(data_dir) / "plan")
    wb = build_template(plan, year)
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_bytes_atomic(Path(target), buffer.getvalue())
