"""Layout of the Excel mall, shared by the writer and the reader: sheets, columns, hints, styles."""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Border, Font, PatternFill, Protection, Side

from helpers.core.missing import blank
from helpers.data.inputs import JUSTERINGSTYPER, PROGNOSER, RESURSBEHOV, SAMMANFATTNING_MAX, STATUSAR
from helpers.data.plan import Plan

BLAD_INSTRUKTIONER = "Instruktioner"
BLAD_STATUS = "Status"
BLAD_INDIKATORER = "Indikatorer"
BLAD_LARDOMAR = "Lärdomar"

YEAR_NAME = "uppfoljningsar"  # defined name (and custom property) holding the year
# The mall's own marker of each answer sheet: a defined name pointing at its first cell. Excel
# moves it along when a sheet is renamed, so the import finds the sheet the unit filled in by the
# marker, never by a name another (hidden) sheet could also carry.
SHEET_MARKERS = {"Status": "uppf_blad_status", "Indikatorer": "uppf_blad_indikatorer", "Lärdomar": "uppf_blad_lardomar"}
YEAR_CELL = "B3"  # on Instruktioner
MALLVERSION = "1"
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
    ("sammanfattning", 45, True),
    ("kommentar", 60, True),
    ("behov_av_justering", 12, False),
    ("justering_typ", 18, False),
    ("justering", 45, True),
    ("belopp", 14, False),
    ("uppgiftslamnare", 24, True),
    ("prognos", 24, False),
    ("prognos_motivering", 45, True),
)
STATUS_INPUTS = ("period_fran", "period_till", "status", "sammanfattning", "kommentar", "behov_av_justering",
                 "justering_typ", "justering", "belopp", "uppgiftslamnare", "prognos", "prognos_motivering")
# Older malls lack them: no forecast, no summary (the overview says so), no kind of justering.
STATUS_OPTIONAL = ("prognos", "prognos_motivering", "sammanfattning", "justering_typ", "belopp")

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
    ("period_fran", 13, False),
    ("period_till", 13, False),
    ("jamforelsevarde", 14, False),
    ("prognos", 24, False),
    ("prognos_motivering", 45, True),
)
IND_INPUTS = ("varde", "uppnatt_datum", "text", "kommentar", "period_fran", "period_till", "jamforelsevarde", "prognos",
              "prognos_motivering")
# Older malls lack these; blank period = the åtgärd's period, blank comparison value = none given.
IND_OPTIONAL = ("period_fran", "period_till", "jamforelsevarde", "prognos", "prognos_motivering")

LARDOM_COLUMNS = (
    ("typ", 12, False),
    ("atgard_id", 11, False),
    ("text", 90, True),
)

HEADER_HELP = {
    "atgard_id": "Åtgärdens nummer i handlingsplanen. Låst – ändra inte.",
    "titel": "Åtgärdens titel i handlingsplanen (för läsning).",
    "ansvarig": "Ansvarig enhet enligt handlingsplanen (för läsning).",
    "period_fran": ("Periodens första dag, ÅÅÅÅ-MM-DD. Status: uppföljningsperioden. Indikatorer: bara när värdet "
                    "avser en annan period än åtgärdens uppföljningsperiod (tomt = samma period)."),
    "period_till": ("Periodens sista dag, ÅÅÅÅ-MM-DD. För ett antal vid en viss dag: samma datum som "
                    "period_fran."),
    "status": "Välj i listan: " + ", ".join(STATUSAR) + ".",
    "kommentar": "Kort kommentar från ansvarig (valfri).",
    "sammanfattning": (f"Årets arbete i en eller två meningar, högst {SAMMANFATTNING_MAX} tecken. Visas hel i "
                       "rapportens översikt och i tjänsteskrivelsen."),
    "behov_av_justering": "Välj ja eller nej.",
    "justering_typ": ("Vid ja: vilken sorts justering. " + ", ".join(JUSTERINGSTYPER) + ". Allt utom 'egen åtgärd' "
                      "blir ett förslag till beslut för kommunstyrelsen."),
    "justering": "Vad som bör justeras. Krävs när behov_av_justering är ja.",
    "belopp": f"Bara för {RESURSBEHOV}: beloppet i hela kronor (t.ex. 250000).",
    "uppgiftslamnare": "Vem som lämnar uppgifterna (enhet eller roll).",
    "indikator_id": "Indikatorns id i registret. Låst – ändra inte.",
    "indikator": "Indikatorn med handlingsplanens ord (för läsning).",
    "mål": "Målet enligt handlingsplanen (för läsning).",
    "fyll i": "Vilken kolumn som ska fyllas i för indikatorn.",
    "varde": "Ett tal. Decimalkomma går bra (72,5). Tomt = uppgift saknas.",
    "uppnatt_datum": "Milstolpar: datum när det genomfördes (ÅÅÅÅ-MM-DD). Tomt = inte genomfört än.",
    "text": "Kvalitativa indikatorer: beskrivningen.",
    "jamforelsevarde": ("Värdet för samma period året före (t.ex. januari–oktober förra året), som ni känner det i dag. "
                        "Fyll i när värdet avser en del av året: då jämförs samma period med samma period."),
    "prognos": ("Er bedömning för ett mål som inte har förfallit än: " + ", ".join(PROGNOSER) + ". På Status: för "
                "åtgärden som helhet."),
    "prognos_motivering": "Varför. Krävs när prognosen är en risk eller att målet inte kommer att uppfyllas.",
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


def forecast_only(plan: Plan) -> pd.DataFrame:
    """Indicators with a target whose value the unit does not report (from företagsklimat data, or a
    repeat of another measure): the mall still asks for the unit's forecast for them."""
    ind = plan.indikatorer
    mask = ~(ind["serie"].map(blank) & ind["varde_fran"].map(blank)) & (ind["maltyp"] != "ingen")
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
