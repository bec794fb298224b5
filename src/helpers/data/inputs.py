"""The catalogue of input files: every file the report reads, its folder, its schema, and whether
it must exist.

One place names them all, so the loaders, the edition's input snapshot, the Excel mall and the
run cache cannot disagree about what the inputs are. The schemas are declared here too; the
machinery that applies them is :mod:`helpers.data.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.core.missing import blank
from helpers.data import fakta
from helpers.data.schema import Col, TableSpec

# --- the register: data/plan/ ------------------------------------------------------------------

STATUSAR = ("ej påbörjad", "pågående", "genomförd", "avslutad")
TYPER = ("antal", "andel", "index", "betyg", "milstolpe", "kvalitativ")
ENHETER = ("st", "medelvärde", "%", "index", "betyg", "datum", "text")
# 'annat beslut': the plan leaves the target to another decision (1.2-1: "målsättningar sätts årligen i
# kommunens mål- och budgetprocess"); judged against that year's decided value (malvarden.csv) or not at all.
ANNAT_BESLUT = "annat beslut"
MALTYPER = ("riktning", "tröskel", "milstolpe", ANNAT_BESLUT, "ingen")
RIKTNINGAR = ("öka", "minska")
# The sources plans usually name, kept as suggestions (the mall and docs list them); the column is open
# text, because a plan may follow any source ("Bolagsverket", "SCB och Tillväxtverket").
KALLOR = (
    "egen uppföljning",
    "SKR Insikt",
    "Svenskt Näringslivs ranking",
    "Arbetsförmedlingen",
    "webbstatistik",
    "mål och budget",
)
KOPPLINGSTYPER = ("åtgärd", "nki-fråga", "ranking-faktor", "styrdokument")
FREKVENSER = ("kvartalsvis", "månadsvis", "årligen", "löpande", "efter aktivitet")
# The unit's own forecast for a target (or the whole åtgärd) not yet due, in the mall's words.
PROGNOS_OK, PROGNOS_RISK, PROGNOS_NEJ = "kommer att uppfyllas", "risk att inte uppfyllas", "kommer inte att uppfyllas"
PROGNOSER = (PROGNOS_OK, PROGNOS_RISK, PROGNOS_NEJ)
# What a proposed justering is. All but EGEN_ATGARD change the plan kommunstyrelsen adopted, so only
# the board can decide them; EGEN_ATGARD is a step the unit takes within the plan.
RESURSBEHOV, EGEN_ATGARD = "resursbehov", "egen åtgärd"
JUSTERINGSTYPER = ("ändrad tidplan", "ändrat mål", "åtgärden avslutas", "ny åtgärd", RESURSBEHOV, EGEN_ATGARD)
# The one-line summary must fit one line of the overview table and one bullet of the
# tjänsteskrivelse: 200 characters is two short sentences, and about two lines at A4 width.
SAMMANFATTNING_MAX = 200

# Åtgärd ids of the shapes plans use: "1.1", "1.10", "1.1.1", "A1", "A1.2" (sorted naturally, core.text.natural_key).
_ATGARD = r"[A-Z]?[0-9]+(?:\.[0-9]+)*"
ATGARD_ID = rf"^{_ATGARD}$"
INDIKATOR_ID = rf"^({_ATGARD}|M[0-9]+)-[0-9]+$"
SERIE_ID = r"^(insikt:[a-z_]+:[a-z_]+|ranking:[a-z_]+)$"

MALOMRADEN = TableSpec(
    (
        Col("malomrade_id", "int", required=True, unique=True, min=1, max=99),
        Col("namn", required=True),
        Col("inriktning", required=True),
        Col("beskrivning", required=True),
    )
)

ATGARDER = TableSpec(
    (
        Col("atgard_id", required=True, unique=True, pattern=ATGARD_ID, describe="ett åtgärdsnummer som '1.1', '1.10', '1.1.1' eller 'A1'"),
        Col("malomrade_id", "int", required=True, min=1, max=99),
        Col("titel", required=True),
        Col("mal_och_syfte", required=True),
        Col("tidplan", required=True),
        Col("planerat_klart", "date"),
        Col("ansvarig", required=True),
        Col("ansvar", required=True),
        Col("uppfoljningsfrekvens", "choice", required=True, choices=FREKVENSER),
        Col("uppfoljning", required=True),
        Col("kommentar"),
    )
)


def _indicator_rules(row: pd.Series) -> list[tuple[str, object, str]]:
    """Cross-column rules of an indicator row: each target kind needs its own fields."""
    out = []
    maltyp = row["maltyp"]
    if maltyp == "tröskel" and blank(row["malvarde"]):
        out.append(("malvarde", "", "ett målvärde när maltyp är 'tröskel'"))
    if maltyp == "milstolpe" and blank(row["deadline"]):
        out.append(("deadline", "", "ett datum när maltyp är 'milstolpe'"))
    if maltyp == "riktning" and blank(row["riktning"]):
        out.append(("riktning", "", "'öka' eller 'minska' när maltyp är 'riktning'"))
    if row["typ"] == "milstolpe" and maltyp != "milstolpe":
        out.append(("maltyp", maltyp, "'milstolpe' när typ är 'milstolpe'"))
    if row["typ"] == "kvalitativ" and maltyp not in ("ingen",):
        out.append(("maltyp", maltyp, "'ingen' när typ är 'kvalitativ' (beskrivs, bedöms inte)"))
    if blank(row["atgard_id"]) and not str(row["indikator_id"]).startswith("M"):
        out.append(("atgard_id", "", "en åtgärd (bara indikatorer med id 'M…' hör direkt till ett målområde)"))
    return out


INDIKATORER = TableSpec(
    (
        Col("indikator_id", required=True, unique=True, pattern=INDIKATOR_ID,
            describe="ett id som '1.1-1', 'A1-2' eller 'M4-1' (åtgärdens nummer, bindestreck, löpnummer)"),
        Col("atgard_id"),
        Col("malomrade_id", "int", required=True, min=1, max=99),
        Col("text", required=True),
        Col("typ", "choice", required=True, choices=TYPER),
        Col("enhet", "choice", required=True, choices=ENHETER),
        Col("riktning", "choice", choices=RIKTNINGAR),
        Col("maltyp", "choice", required=True, choices=MALTYPER),
        Col("malvarde", "decimal", min=0),
        Col("malar", "int", min=2000, max=2100),
        Col("deadline", "date"),
        Col("deadline_text"),
        # A recurring threshold ("minst två träffar per år") that applies from a later year than the
        # plan's first (the first meeting is planned for 2026): before it the target is ej aktuellt.
        Col("galler_fran", "int", min=2000, max=2100, may_be_absent=True),
        Col("kalla", required=True),  # an open list: KALLOR are the usual ones (docs/dataformat.md), any source may be named
        Col("serie", pattern=SERIE_ID, describe="ett serie-id som 'insikt:totalt:nki' eller 'ranking:infrastruktur'"),
        Col("varde_fran"),
        Col("anmarkning"),
        # 'ja' where the plan says the indicator is reported to kommunstyrelsen (the main report lists them).
        Col("till_kommunstyrelsen", "janej", may_be_absent=True),
    ),
    row_rules=(_indicator_rules,),
)

# The register's readings of the plan: each row names an åtgärd or indicator and the field whose
# value is an interpretation of the plan's words (plan.load_plan checks both exist).
TOLKNINGAR = TableSpec(
    (
        Col("id", required=True, pattern=rf"^({_ATGARD}|({_ATGARD}|M[0-9]+)-[0-9]+)$",
            describe="ett åtgärdsnummer som '1.1' eller ett indikator-id som '1.2-1'"),
        Col("falt", required=True),
        Col("planens_ord", required=True),
        Col("tolkning", required=True),
        Col("skal", required=True),
    )
)

KOPPLINGAR = TableSpec(
    (
        Col("fran_atgard", required=True),
        Col("typ", "choice", required=True, choices=KOPPLINGSTYPER),
        Col("till_atgard"),
        Col("till_serie", pattern=SERIE_ID, describe="ett serie-id som 'insikt:totalt:nki'"),
        Col("till_dokument"),
        Col("beskrivning", required=True),
    ),
    row_rules=(
        lambda r: [("till_atgard", "", "ett åtgärdsnummer när typ är 'åtgärd'")]
        if r["typ"] == "åtgärd" and blank(r["till_atgard"]) else [],
        lambda r: [("till_serie", "", "ett serie-id när typ är 'nki-fråga' eller 'ranking-faktor'")]
        if r["typ"] in ("nki-fråga", "ranking-faktor") and blank(r["till_serie"]) else [],
        lambda r: [("till_dokument", "", "dokumentets namn när typ är 'styrdokument'")]
        if r["typ"] == "styrdokument" and blank(r["till_dokument"]) else [],
    ),
)


# --- a year's follow-up: data/<år>/ --------------------------------------------------------------

def _proposal_rules(row: pd.Series) -> list[tuple[str, object, str]]:
    """A proposed justering says what kind it is; resursbehov says how much; the summary fits a line.

    A file without the columns (made before they existed) is not held to these rules: the checker
    drops problems in columns the file does not have, and the report says the kind is not given."""
    out: list[tuple[str, object, str]] = []
    text = row.get("sammanfattning")
    if not blank(text) and len(str(text)) > SAMMANFATTNING_MAX:
        out.append(("sammanfattning", text, f"en sammanfattning på högst {SAMMANFATTNING_MAX} tecken "
                    f"(den har {len(str(text))}); skriv en eller två korta meningar, detaljerna hör till kommentaren"))
    kind, amount, need = row.get("justering_typ"), row.get("belopp"), row.get("behov_av_justering")
    if need == "ja" and blank(kind):
        out.append(("justering_typ", "", "vilken sorts justering det är när behov_av_justering är 'ja': "
                    + ", ".join(f"'{k}'" for k in JUSTERINGSTYPER)))
    if need == "nej" and not blank(kind):
        out.append(("justering_typ", kind, "tomt när behov_av_justering är 'nej' (eller 'ja' i behov_av_justering)"))
    if kind == RESURSBEHOV and blank(amount):
        out.append(("belopp", "", f"beloppet i kronor när justering_typ är '{RESURSBEHOV}', t.ex. 250 000"))
    if not blank(amount) and kind != RESURSBEHOV:
        out.append(("belopp", typed_amount(amount),
                    f"tomt: belopp anges bara när justering_typ är '{RESURSBEHOV}'"))
    return out


def typed_amount(value) -> object:
    """A parsed amount as the analyst typed it (a whole number, not '250000.0')."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _forecast_rule(row: pd.Series) -> list[tuple[str, object, str]]:
    """A forecast that the target may be missed needs its reason."""
    if row.get("prognos") in (PROGNOS_RISK, PROGNOS_NEJ) and blank(row.get("prognos_motivering")):
        return [("prognos_motivering", "", f"en motivering när prognos är '{row['prognos']}'")]
    return []


STATUS = TableSpec(
    (
        Col("atgard_id", required=True, unique=True, describe="ett åtgärdsnummer från handlingsplanen, t.ex. '1.1'"),
        Col("period_fran", "date", required=True),
        Col("period_till", "date", required=True),
        Col("status", "choice", required=True, choices=STATUSAR),
        Col("kommentar"),
        Col("behov_av_justering", "janej", required=True),
        Col("justering"),
        Col("uppgiftslamnare"),
        Col("prognos", "choice", choices=PROGNOSER, may_be_absent=True),
        Col("prognos_motivering", may_be_absent=True),
        # Added in 2026 (issue 25); older year files stay valid without them.
        Col("sammanfattning", may_be_absent=True),
        Col("justering_typ", "choice", choices=JUSTERINGSTYPER, may_be_absent=True),
        Col("belopp", "int", min=1, may_be_absent=True,
            describe="ett belopp i hela kronor som är större än 0, t.ex. 250 000"),
    ),
    row_rules=(
        _forecast_rule,
        _proposal_rules,
        lambda r: [("justering", "", "en beskrivning av justeringen när behov_av_justering är 'ja'")]
        if r["behov_av_justering"] == "ja" and blank(r["justering"]) else [],
        lambda r: [("period_till", r["period_till"].isoformat(), f"ett datum efter period_fran ({r['period_fran']})")]
        if not blank(r["period_fran"]) and not blank(r["period_till"]) and r["period_till"] < r["period_fran"] else [],
    ),
)

def _value_period_rules(row: pd.Series) -> list[tuple[str, object, str]]:
    """A value's own period is given whole (both dates) and in order, or not at all."""
    start, end = row["period_fran"], row["period_till"]
    if blank(start) != blank(end):
        column = "period_till" if blank(end) else "period_fran"
        return [(column, "", "båda datumen (period_fran och period_till) eller inget av dem")]
    if not blank(start) and end < start:
        return [("period_till", end.isoformat(), f"ett datum som är samma som eller efter period_fran ({start})")]
    return []


# period_fran/period_till: the period the value covers, when it is not the åtgärd's uppföljningsperiod
# (a count at one date, a month of another register). Changes are only computed between values that
# cover the same part of the year. Added later to the format: older files without them stay valid.
VARDEN = TableSpec(
    (
        Col("indikator_id", required=True, unique=True, describe="ett indikator-id från data/plan/indikatorer.csv"),
        Col("varde", "decimal"),
        Col("uppnatt_datum", "date"),
        Col("text"),
        Col("kommentar"),
        Col("period_fran", "date", may_be_absent=True),
        Col("period_till", "date", may_be_absent=True),
        # The value for the same period of the year before, as the unit knows it now: a value for part
        # of a year is compared with the same part of the year before, never with a whole year.
        Col("jamforelsevarde", "decimal", may_be_absent=True),
        Col("prognos", "choice", choices=PROGNOSER, may_be_absent=True),
        Col("prognos_motivering", may_be_absent=True),
    ),
    row_rules=(_value_period_rules, _forecast_rule),
)

# Target values decided elsewhere (the year's mål- och budgetbeslut) for indicators of maltyp
# 'annat beslut': the decision is documented with its name and date, never assumed.
MALVARDEN = TableSpec(
    (
        Col("indikator_id", required=True, unique=True, describe="ett indikator-id med maltyp 'annat beslut'"),
        Col("malvarde", "decimal", required=True, min=0),
        Col("beslut", required=True, describe="beslutets namn, t.ex. 'Mål och budget 2026, KF § 123'"),
        Col("beslutsdatum", "date", required=True),
        Col("kommentar"),
    )
)

LARDOM_TYPER = ("lärdom", "förslag")

LARDOMAR = TableSpec(
    (
        Col("typ", "choice", required=True, choices=LARDOM_TYPER),
        Col("atgard_id"),
        Col("text", required=True),
    )
)


# --- the business climate: data/foretagsklimat/ -------------------------------------------------

_OMRADEN = (*fakta.OMRADEN, fakta.TOTALT)
_MATT = tuple(fakta.MATT)

# Where a published figure can be read (readers get the source's address beside its name); added later,
# so files without the column stay valid.
_ADRESS = dict(pattern=r"^https?://\S+$", describe="en webbadress som börjar med https:// eller http://",
               may_be_absent=True)

INSIKT = TableSpec((
    Col("ar", "int", required=True, min=2000, max=2100),
    Col("kommun", required=True),
    Col("omrade", "choice", required=True, choices=_OMRADEN),
    Col("matt", "choice", required=True, choices=_MATT),
    Col("varde", "decimal", min=0, max=100),
    Col("antal_svar", "int", min=0),
    # An index is 0–100, so is every bound of its interval: a bound outside is a typing error, not data.
    Col("ci_low", "decimal", min=0, max=100),
    Col("ci_high", "decimal", min=0, max=100),
    Col("kalla", required=True),
    Col("harledd", "janej", required=True),
    Col("adress", **_ADRESS),
), row_rules=(
    lambda r: [("ci_high", r["ci_high"], f"ett värde som är minst ci_low ({r['ci_low']})")]
    if not blank(r["ci_low"]) and not blank(r["ci_high"]) and r["ci_high"] < r["ci_low"] else [],
    lambda r: [("varde", r["varde"], "ett värde inom konfidensintervallet ci_low–ci_high")]
    if not any(blank(r[c]) for c in ("varde", "ci_low", "ci_high")) and not r["ci_low"] <= r["varde"] <= r["ci_high"] else [],
))

_ANSWER = dict(kind="decimal", min=fakta.SVAR_MIN, max=fakta.SVAR_MAX)
SVAR = TableSpec((
    Col("ar", "int", required=True, min=2000, max=2100),
    Col("omrade", "choice", required=True, choices=tuple(fakta.OMRADEN)),
    *(Col(q, **_ANSWER) for q in (*fakta.NKI_FRAGOR, *fakta.FAKTORER)),
))

RANKING = TableSpec((
    Col("ar", "int", required=True, min=2000, max=2100),
    Col("matt", "choice", required=True, choices=tuple(fakta.RANKING_MATT)),
    Col("varde", "decimal", required=True, min=1, max=fakta.RANKING_ANTAL_KOMMUNER),
    Col("kalla", required=True),
    Col("harledd", "janej", required=True),
    Col("adress", **_ADRESS),
), row_rules=(
    lambda r: [("varde", r["varde"], f"ett betyg från {fakta.RANKING_SKALA_MIN} till {fakta.RANKING_SKALA_MAX}")]
    if r["matt"] != fakta.PLACERING and not blank(r["varde"]) and r["varde"] > fakta.RANKING_SKALA_MAX else [],
    lambda r: [("varde", r["varde"], f"en placering som heltal 1–{fakta.RANKING_ANTAL_KOMMUNER}")]
    if r["matt"] == fakta.PLACERING and not blank(r["varde"]) and not float(r["varde"]).is_integer() else [],
))


# --- published statistics fetched from Kolada: data/external/kolada/ (helpers.data.kolada) -----

KOLADA_KPI_ID = r"^[A-Z][0-9]{5}$"
_KPI_ID = dict(pattern=KOLADA_KPI_ID, describe="ett Kolada-id: en versal och fem siffror, t.ex. 'U07455'")

# Hand-kept: which Kolada KPI feeds which series, and whether the id is confirmed (with source).
KPI_MAPPNING = TableSpec((
    Col("kpi_id", **_KPI_ID),
    Col("titel"),
    Col("serie", pattern=r"^insikt:[a-z_]+:[a-z_]+$", describe="ett serie-id som 'insikt:livsmedelskontroll:nki' (tomt: bara kontext)"),
    Col("bekraftad", "janej", required=True),
    Col("kalla"),
    Col("anmarkning"),
    # The measurement years a KPI's values belong to the series (blank: open). Old and new totalt are
    # two KPIs on either side of the 2024 break; brandskydd and markupplåtelse end where totalt drops them.
    Col("fran_ar", "int", min=1990, max=2100, may_be_absent=True),
    Col("till_ar", "int", min=1990, max=2100, may_be_absent=True),
), row_rules=(
    lambda r: [("till_ar", int(r["till_ar"]), f"ett år från fran_ar ({int(r['fran_ar'])}) och framåt")]
    if not blank(r["fran_ar"]) and not blank(r["till_ar"]) and r["till_ar"] < r["fran_ar"] else [],
    lambda r: [(c, "", f"{c} när bekraftad är 'ja'") for c in ("kpi_id", "titel", "kalla") if r["bekraftad"] == "ja" and blank(r[c])],
    lambda r: [("serie", r["serie"], "ett område i serie-id:t: " + ", ".join((*fakta.OMRADEN, fakta.TOTALT)))]
    if not blank(r["serie"]) and r["serie"].split(":")[1] not in _OMRADEN else [],
    lambda r: [("serie", r["serie"], "ett mått i serie-id:t: " + ", ".join(_MATT))]
    if not blank(r["serie"]) and r["serie"].split(":")[2] not in _MATT else [],
))

# Written by `python -m helpers hamta kolada`: KPI metadata and values, one row per kpi, kommun, år, kön.
KOLADA_KPI = TableSpec((
    Col("kpi_id", required=True, unique=True, **_KPI_ID),
    Col("titel", required=True),
    Col("enhet"),
    Col("beskrivning"),
    Col("kon_uppdelad"),
    Col("verksamhetsomrade"),
    Col("publiceringsdatum"),
    Col("prel_publiceringsdatum"),
    Col("hamtad", "date", required=True),
    Col("svarsfil", required=True),
))
KOLADA_ENHET_ID = r"^([0-9]{4}|G[0-9]+)$"  # a kommun (four digits; 0000 Riket) or a comparison group (G92788)
KOLADA_VARDEN = TableSpec((
    Col("kpi_id", required=True, **_KPI_ID),
    Col("kommun_id", required=True, pattern=KOLADA_ENHET_ID,
        describe="en kommunkod med fyra siffror, t.ex. '0000' (riket), eller ett grupp-id, t.ex. 'G92788'"),
    Col("ar", "int", required=True, min=1900, max=2100),
    Col("kon", "choice", required=True, choices=("T", "K", "M")),
    Col("varde", "decimal"),
    Col("status"),
    Col("hamtad", "date", required=True),
    Col("kalla", "choice", required=True, choices=("Kolada",)),
    Col("svarsfil", required=True),
    Col("antal", "int", min=0, may_be_absent=True),  # Kolada's `count`: for a group, the members that contributed
))
# Written by the fetch: each comparison group's title and members at fetch time, one row per member.
KOLADA_GRUPPER = TableSpec((
    Col("grupp_id", required=True, pattern=r"^G[0-9]+$", describe="ett grupp-id, t.ex. 'G92788'"),
    Col("titel", required=True),
    Col("medlem_id", required=True, pattern=r"^[0-9]{4}$", describe="en kommunkod med fyra siffror"),
    Col("medlem_namn", required=True),
    Col("hamtad", "date", required=True),
    Col("svarsfil", required=True),
))
# Kept by hand: the context KPIs shown beside the plan (a kommun changes the set here, not in code).
KONTEXT = TableSpec((
    Col("kpi_id", required=True, unique=True, **_KPI_ID),
    Col("titel", required=True),
    Col("namn", required=True),
    Col("enhet", required=True),
    Col("varfor", required=True),
    Col("kalla", required=True),
))
# Shipped comparison values that were never fetched: invented, so only ever `*.exempeldata.csv`.
JAMFORELSE = TableSpec((
    Col("kpi_id", required=True, **_KPI_ID),
    Col("enhet_id", required=True, pattern=KOLADA_ENHET_ID, describe="en kommunkod eller ett grupp-id"),
    Col("namn", required=True),
    Col("grupp_id", pattern=r"^G[0-9]+$", describe="gruppen som kommunen är medlem i (tomt för kommunen själv, riket och grupper)"),
    Col("ar", "int", required=True, min=1990, max=2100),
    Col("varde", "decimal"),
    Col("antal", "int", min=0),
    Col("kalla", required=True),
))


# --- the catalogue ---------------------------------------------------------------------------------

PLAN = "plan"
YEAR = "år"
KLIMAT = "foretagsklimat"
KOLADA = "external/kolada"
JAMFOR = "jamforelser"


@dataclass(frozen=True)
class InputFile:
    """One input file: `<folder>/<stem>.csv`, or `<stem>.exempeldata.csv` for invented data."""

    folder: str  # PLAN, YEAR (data/<år>/), KLIMAT or KOLADA
    stem: str
    spec: TableSpec
    required: bool
    description: str


CATALOGUE: tuple[InputFile, ...] = (
    InputFile(PLAN, "malomraden", MALOMRADEN, True, "handlingsplanens målområden"),
    InputFile(PLAN, "atgarder", ATGARDER, True, "handlingsplanens åtgärder"),
    InputFile(PLAN, "indikatorer", INDIKATORER, True, "indikatorer med mål, tidsgränser och källor"),
    InputFile(PLAN, "kopplingar", KOPPLINGAR, True, "kopplingar mellan åtgärder, NKI-frågor och styrdokument"),
    InputFile(PLAN, "tolkningar", TOLKNINGAR, False, "registrets tolkningar av planens ord, med skäl"),
    InputFile(YEAR, "status", STATUS, True, "genomförandestatus per åtgärd"),
    InputFile(YEAR, "indikatorvarden", VARDEN, True, "årets indikatorvärden"),
    InputFile(YEAR, "lardomar", LARDOMAR, False, "lärdomar och förslag"),
    InputFile(YEAR, "malvarden", MALVARDEN, False, "målvärden beslutade i mål och budget (maltyp 'annat beslut')"),
    InputFile(KLIMAT, "insikt_publicerat", INSIKT, False, "SKR Insikt, verkliga publicerade resultat"),
    InputFile(KLIMAT, "insikt", INSIKT, False, "SKR Insikt, resultat per år, område och mått"),
    InputFile(KLIMAT, "insikt_svar", SVAR, False, "SKR Insikt, enkätsvar"),
    InputFile(KLIMAT, "ranking_publicerat", RANKING, False, "Svenskt Näringslivs ranking, verkliga publicerade värden"),
    InputFile(KLIMAT, "ranking", RANKING, False, "Svenskt Näringslivs ranking per år och mått"),
    InputFile(KOLADA, "kpi_mappning", KPI_MAPPNING, False, "Kolada: vilket nyckeltal som hör till vilken serie"),
    InputFile(KOLADA, "kpi", KOLADA_KPI, False, "Kolada: nyckeltalens titel och beskrivning (hämtade)"),
    InputFile(KOLADA, "varden", KOLADA_VARDEN, False, "Kolada: hämtade värden (python -m helpers hamta kolada)"),
    InputFile(KOLADA, "grupper", KOLADA_GRUPPER, False, "Kolada: jämförelsegrupper och deras medlemmar (hämtade)"),
    InputFile(KOLADA, "kontext", KONTEXT, False, "Kolada: nyckeltal för strategins sammanhang (vilka som visas)"),
    InputFile(JAMFOR, "jamforelse", JAMFORELSE, False, "jämförelsevärden som inte hämtats (exempeldata)"),
)


def files_in(folder: str) -> tuple[InputFile, ...]:
    """The catalogue's files of one folder kind, in reading order."""
    return tuple(f for f in CATALOGUE if f.folder == folder)


def entry(folder: str, stem: str) -> InputFile:
    return next(f for f in CATALOGUE if f.folder == folder and f.stem == stem)
