"""Domain facts about the business climate: SKR Insikt and Svenskt Näringslivs ranking.

The one place to change a fact: each constant names its source and how sure it is. Both the
input schemas (which områden and measures a file may hold) and the statistics read them here.
Sources: /work/shared/notes/domain-facts.md (summarised in docs/foretagsklimat.md).
"""

from __future__ import annotations

from helpers.core.missing import blank

# --- SKR Insikt --------------------------------------------------------------

# Areas of myndighetsutövning measured by SKR Insikt (ASCII id -> Swedish display name).
# Source: SKR Insikt / Öppna jämförelser Företagsklimat, several kommuners' pages. VERIFIED.
OMRADEN: dict[str, str] = {
    "brandskydd": "Brandskydd",
    "bygglov": "Bygglov",
    "livsmedelskontroll": "Livsmedelskontroll",
    "markupplatelse": "Markupplåtelse",
    "miljo_halsoskydd": "Miljö- och hälsoskydd",
    "serveringstillstand": "Serveringstillstånd",
}
# Id and display name of the combined result. It is computed, never read from respondents.
TOTALT = "totalt"
TOTALT_NAMN = "Totalt"

# Service factors (one question each in this project's data; answers 1–10).
# Source: same as OMRADEN. VERIFIED (names); that each factor is a single question is this
# project's simplification of the input format.
FAKTORER: dict[str, str] = {
    "information": "Information",
    "tillganglighet": "Tillgänglighet",
    "bemotande": "Bemötande",
    "kompetens": "Kompetens",
    "rattssakerhet": "Rättssäkerhet",
    "effektivitet": "Effektivitet",
}
NKI = "nki"
# Every measure (matt) this module produces, with its display name.
MATT: dict[str, str] = {NKI: "NKI", **FAKTORER}

# Answer scale of every question. Source: SKR Insikt (kommuners' pages). VERIFIED.
SVAR_MIN = 1
SVAR_MAX = 10

# The three questions NKI is built from (overall satisfaction, expectations met, closeness
# to the ideal service). Source: SKR Insikt method description. VERIFIED.
NKI_FRAGOR: tuple[str, ...] = ("q_nojd", "q_forvantan", "q_ideal")
# Weights of the three questions in a respondent's NKI score. UNVERIFIED: Insikt's exact
# weighting is not published in the sources we have; equal weights are this project's
# choice (documented in docs/foretagsklimat.md). Must sum to 1.
NKI_VIKTER: dict[str, float] = {q: 1 / 3 for q in NKI_FRAGOR}
# An answer a (1–10) becomes (a − 1) × 100 / 9 on the 0–100 index scale.
# Source: matches SCB's published examples (NKI 72 ≈ 7,5 on the ten-point scale). FAIRLY SURE.
INDEX_SKALFAKTOR = 100 / (SVAR_MAX - SVAR_MIN)

# Which områden make up "totalt", by first measurement year the definition applies to.
# Source: SKR information to participating kommuner, December 2023. VERIFIED:
# from measurement year 2024 totalt covers bygglov, miljö- och hälsoskydd,
# livsmedelskontroll and serveringstillstånd; brandskydd and markupplåtelse are reported
# separately. Before 2024 totalt covered all six områden.
# To add a future break, append (first_year, områden); keep the list sorted by year.
TOTALT_DEFINITIONER: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, tuple(OMRADEN)),
    (2024, ("bygglov", "livsmedelskontroll", "miljo_halsoskydd", "serveringstillstand")),
)

# Publication rules. Source: SKR FAQ (2021). VERIFIED: the portal and the kommun's own
# reports show results with at least 7 answers (Öppna jämförelser needs 10, the national
# NKI ranking 20). Marking 7–9 answers as "färre än 10 svar" is this project's convention,
# following the 10-answer limit of Öppna jämförelser.
MIN_SVAR_VISAS = 7
MIN_SVAR_UTAN_MARKERING = 10
FA_SVAR_TEXT = "färre än 10 svar"

# Levels of NKI, (lowest whole-number value, label), highest first.
# Source: kommuners' pages citing SKR. SECONDARY (not found in an SKR document).
NIVAER: tuple[tuple[int, str], ...] = (
    (80, "mycket högt"),
    (70, "högt"),
    (62, "godkänt"),
    (50, "lågt"),
    (0, "mycket lågt"),
)

# Statistics. This project's choices, not SKR facts: 95 % intervals and a 5 % test level.
# UNVERIFIED that SKR's published intervals are 95 % t-intervals; compare_aggregate assumes
# they are symmetric 95 % intervals for the mean.
KONFIDENSNIVA = 0.95
ALPHA = 0.05

# --- Svenskt Näringsliv, Lokalt företagsklimat (used by helpers.compute.ranking) -------

# Number of kommuner ranked; placering 1 is best. Source: Svenskt Näringsliv. VERIFIED.
RANKING_ANTAL_KOMMUNER = 290
# Survey scale of sammanfattande omdöme and factor scores. Source: Svenskt Näringsliv's
# questionnaire. VERIFIED.
RANKING_SKALA_MIN = 1
RANKING_SKALA_MAX = 6
# How large a change in a survey score (omdöme, factors) must be to tell it from chance. Svenskt
# Näringsliv publishes the scores without a margin of error, so this is THIS PROJECT'S ESTIMATE,
# built from published facts and one assumption:
# - the questionnaires sent depend on the kommun's size (Svenskt Näringsliv, "Metod för enkäten",
#   svensktnaringsliv.se/sakomraden/lokalt-foretagsklimat/metod-for-enkaten_1028873.html). VERIFIED:
#   200 in kommuner with fewer than 50 000 invånare and fewer than 1 200 företag/arbetsställen; 400
#   with more than 50 000 invånare and/or more than 1 200 företag/arbetsställen; 600 in Malmö and
#   Göteborg, 1 200 in Stockholm; the smallest kommuner (13 in 2017) get a total survey of 108–197.
#   The kommun's number follows from `plan.invanare` in _config.yml, or is set as `plan.ranking_enkater`
#   (a kommun under 50 000 with more than 1 200 företag, the big cities, a total survey);
# - about half answer (Svenskt Näringsliv 2021: 32 000 answers, "svarsfrekvens på 50 %"). VERIFIED;
# - the spread of single answers on the 1–6 scale is taken as 1,0 (standard deviation). ASSUMPTION:
#   not published; a 1–6 scale cannot exceed 2,5 and survey scales like it usually lie near 1.
# Two independent years of n/2 answers: 1,96 · 1,0 · √(2/(n/2)); 400 enkäter ≈ 0,2, 200 ≈ 0,3.
# A smaller change is called "inom felmarginalen", never an improvement or a decline (as for NKI).
RANKING_ENKATER_SMA = 200
RANKING_ENKATER_STORA = 400
RANKING_GRANS_INVANARE = 50_000
RANKING_SVARSANDEL = 0.5
RANKING_SPRIDNING_ANTAGEN = 1.0


def ranking_enkater(invanare: int | None) -> int:
    """Questionnaires sent to a kommun of this size by Svenskt Näringsliv's main rule (see above)."""
    if invanare is None:
        raise ValueError("invånare saknas")
    return RANKING_ENKATER_STORA if invanare > RANKING_GRANS_INVANARE else RANKING_ENKATER_SMA


def ranking_felmarginal(enkater: int) -> float:
    """The estimated margin of a change in a survey score, to one decimal, for `enkater` questionnaires."""
    return round(1.96 * RANKING_SPRIDNING_ANTAGEN * (2 / (enkater * RANKING_SVARSANDEL)) ** 0.5, 1)


RANKING_SKALA_TEXT: dict[int, str] = {
    6: "utmärkt",
    5: "mycket bra",
    4: "bra",
    3: "godtagbart",
    2: "inte helt godtagbart",
    1: "dåligt",
}
# Measures of the ranking data (id -> display name). "placering" and "omdome" are the rank
# and the sammanfattande omdöme; the rest are survey factors (several ids may appear; the
# 2017 newspaper figure is called "kommunens_service"). Ids: this project's choice.
PLACERING = "placering"  # the rank itself: lower is better
RANKING_MATT: dict[str, str] = {
    "placering": "Placering",
    "omdome": "Sammanfattande omdöme",
    "dialog_beslutsfattare": "Dialog med kommunens beslutsfattare",
    "infrastruktur": "Infrastruktur",
    "service": "Kommunens service",
    "kommunens_service": "Kommunens service",
    "tillampning_regler": "Tillämpning av lagar och regler",
}


def totalt_omraden(year: int) -> tuple[str, ...]:
    """Områden included in "totalt" for measurement ``year``.

    Why a function: the composition changed in 2024 (series break), so "totalt" means
    different things in different years and every caller must ask for the year's version.
    """
    if blank(year):
        raise ValueError("År saknas: totalt beror på mätåret.")
    year = int(year)
    chosen = TOTALT_DEFINITIONER[0][1]
    for first_year, omraden in TOTALT_DEFINITIONER:
        if year >= first_year:
            chosen = omraden
    return chosen


def comparable_from(omrade: str, year: int) -> int:
    """First year of the like-for-like stretch a value belongs to (the totalt series breaks in 2024)."""
    if omrade != TOTALT:
        return 0
    return max(first for first, _ in TOTALT_DEFINITIONER if first <= year)


def matt_namn(matt: str) -> str:
    """Swedish display name of a ranking measure (unknown ids: a readable fallback)."""
    return RANKING_MATT.get(matt, matt.replace("_", " ").capitalize())
