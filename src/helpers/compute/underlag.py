"""The record behind each page (underlag): the input rows it used and what was computed, as tidy tables.

Every executed notebook shows these tables in hidden cells (dropped from the book, kept in the
`.ipynb`), and the edition keeps them as CSV in `tabeller/`. They are built from the same
Analysis attributes the views print (changes, judgements, the summaries, the business-climate
comparisons), so the record and the page cannot disagree; where a view needs a number no
Analysis attribute holds (the plan-wide totals), it reads it from here.

Input rows are read back from the very files the analysis loaded (the edition's snapshot), with
the file and the line number an auditor finds in a spreadsheet, as the text written there.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd

from helpers.compute import narmast
from helpers.compute.targets import EJ_BEDOMT, EJ_UPPFYLLT, FOR_SENT, SAKNAS, UPPFYLLT, UTFALL
from helpers.core.missing import blank
from helpers.data import fakta, inputs
from helpers.data.csvio import read_table

# What each table holds, in the words an auditor reads (shown above the table and in tabeller/).
DESCRIPTIONS = {
    "indata_malomraden": "Rader ur handlingsplanens målområden som sidan bygger på.",
    "indata_atgarder": "Rader ur handlingsplanens åtgärder som sidan bygger på.",
    "indata_indikatorer": "Indikatorer (mål, måltyp, källa) ur handlingsplanen som sidan bedömer.",
    "indata_kopplingar": "Kopplingar ur handlingsplanen som sidan visar.",
    "indata_status": "Rapporterad status per åtgärd, som den står i indatafilen.",
    "indata_indikatorvarden": "Rapporterade indikatorvärden, som de står i indatafilen (alla år till och med rapportåret).",
    "indata_lardomar": "Rapporterade lärdomar och förslag, som de står i indatafilen.",
    "indata_insikt": "SKR Insikt: publicerade och exempelresultat som sidan bygger på (till och med senast publicerade mätår).",
    "indata_insikt_svar": "SKR Insikt: enkätsvar som förändringarna prövas på (till och med senast publicerade mätår).",
    "indata_ranking": "Svenskt Näringslivs ranking: värden som sidan bygger på.",
    "status": "Genomförandestatus som sidan visar, med föregående års status.",
    "varden": "Indikatorvärden per år som sidan och dess diagram bygger på.",
    "forandringar": "Förändringstabellen: värde, jämförelseår, förändring, baslinje och trend per indikator.",
    "bedomningar": "Måluppfyllelse per indikator: planens mål, bedömningen och skälet till den.",
    "maluppfyllelse": "Antal indikatorer per bedömning och andel uppfyllda av de bedömda.",
    "maluppfyllelse_atgarder": "Måluppfyllelse och status per åtgärd i målområdet.",
    "maluppfyllelse_malomraden": "Måluppfyllelse per målområde och för hela handlingsplanen.",
    "status_malomraden": "Antal åtgärder per genomförandestatus och målområde, och för hela handlingsplanen.",
    "justeringar": "Åtgärder där ansvarig rapporterat behov av justering.",
    "lardomar": "Lärdomar och förslag som samlade analysen visar.",
    "kopplingar": "Samverkan: kopplingarna i planen och vad sidan visar om dem.",
    "nki": "NKI och serviceområden per mätår och område för kommunen, med publiceringsregler (visas, färre än 10 svar).",
    "nki_riket": "NKI totalt för riket, jämförelsen i diagrammet.",
    "nki_forandringar": "Förändring mellan mätningar per område och mått: skillnad, p-värde, bedömning och förklaring.",
    "ranking": "Svenskt Näringslivs ranking per år och mått.",
    "ranking_forandringar": "Förändring i rankingen mellan tillgängliga år, per mått.",
    "kopplade_bedomningar": "Indikatorer som följs med NKI eller ranking, med bedömning och skäl.",
    "foretagsklimat": "Senaste NKI totalt och rankingplacering som samlade analysen sammanfattar.",
}

COUNT_COLUMNS = {UPPFYLLT: "uppfyllt", FOR_SENT: "uppfyllt_for_sent", EJ_UPPFYLLT: "ej_uppfyllt", SAKNAS: "uppgift_saknas",
                 EJ_BEDOMT: "ej_bedomt_annu"}


# --- input rows -----------------------------------------------------------------------------------

def _data_dir(an) -> Path:
    return Path(an.plan.folder).parent


def _shown(an, path: Path) -> str:
    """'indata/2026/status.exempeldata.csv': the file as it lies in the edition's snapshot."""
    data_dir = _data_dir(an)
    try:
        rel = Path(path).relative_to(data_dir)
    except ValueError:
        rel = Path(Path(path).parent.name) / Path(path).name
    return (Path(data_dir.name) / rel).as_posix()


def _files(an, stem: str, years: set[int] | None = None) -> list[Path]:
    """The files the analysis read for one catalogue entry (yearly files: of `years`, default all)."""
    entry = inputs.entry(next(f.folder for f in inputs.CATALOGUE if f.stem == stem), stem)
    if entry.folder == inputs.PLAN:
        path = Path(an.plan.folder) / f"{stem}.csv"  # the register is read as <stem>.csv only
        return [path] if path.exists() else []
    if entry.folder == inputs.YEAR:
        return [f for y in sorted(an.years) if years is None or y in years
                for f in an.years[y].files if _stem_of(f) == stem]
    return [f for f in (an.klimat.files if an.klimat is not None else ()) if _stem_of(f) == stem]


def _stem_of(path: Path) -> str:
    return Path(path).name.removesuffix(".csv").removesuffix(".exempeldata")


_READ: dict[tuple, pd.DataFrame] = {}


def _rows_of(path: Path, names: list[str], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """`read_table(path, names)`, parsed once per process for the same bytes: a kernel shows the
    same input files on many pages. The key is the file's bytes (read before and after parsing, so
    a file changed meanwhile is not stored); each caller gets its own copy."""
    def digest() -> str:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    key = (str(Path(path).resolve()), digest(), tuple(names))
    if key not in _READ:
        frame = read_table(path, names, optional)
        if digest() != key[1]:
            return frame
        if len(_READ) >= 256:
            _READ.clear()
        _READ[key] = frame
    return _READ[key].copy()


def input_rows(an, stem: str, keep=None, *, years: set[int] | None = None) -> pd.DataFrame:
    """Rows of one kind of input file (all files of that kind), filtered by `keep(row)`.

    Yearly files (status, indikatorvarden, lardomar) are read for `years` (default: every year loaded).
    Columns: fil, rad (the line in the file, header = 1), then the file's columns as text.
    """
    spec = next(f.spec for f in inputs.CATALOGUE if f.stem == stem)
    # Published and exempeldata files of the same kind share a table (insikt + insikt_publicerat).
    stems = [stem] + [f.stem for f in inputs.CATALOGUE if f.stem == f"{stem}_publicerat"]
    parts = []
    for s in stems:
        for path in _files(an, s, years):
            frame = _rows_of(path, spec.names, tuple(c.name for c in spec.columns if c.may_be_absent))
            if keep is not None and len(frame):
                # `keep` sees each row as a mapping of column to text; plain dicts, not a Series per row.
                frame = frame[[bool(keep(row)) for row in frame.to_dict("records")]]
            parts.append(frame.reset_index().assign(fil=_shown(an, path)))
    columns = ["fil", "rad", *spec.names]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns]
    out["rad"] = out["rad"].astype(int)
    return out.sort_values(["fil", "rad"], kind="stable").reset_index(drop=True)


def _series_rows(an, series: set[str]) -> dict[str, pd.DataFrame]:
    """Business-climate input rows behind a set of series ('insikt:omrade:matt', 'ranking:matt')."""
    if an.klimat is None or not series:
        return {}
    insikt = {tuple(s.split(":")[1:]) for s in series if s.startswith("insikt:")}
    ranking = {s.split(":", 1)[1] for s in series if s.startswith("ranking:")}
    cut = an.klimat.insikt_up_to
    out = {}
    if insikt:
        out["indata_insikt"] = input_rows(
            an, "insikt", lambda r: r["kommun"] == an.config.kortnamn and int(r["ar"]) <= cut and (r["omrade"], r["matt"]) in insikt)
        omraden = {o for o, _ in insikt}
        every = fakta.TOTALT in omraden
        out["indata_insikt_svar"] = input_rows(
            an, "insikt_svar", lambda r: int(r["ar"]) <= cut and (every or r["omrade"] in omraden))
    if ranking:
        out["indata_ranking"] = input_rows(an, "ranking", lambda r: int(r["ar"]) <= an.year and r["matt"] in ranking)
    return out


def _with_sources(an, ids: list[str]) -> list[str]:
    """Indicator ids plus the ids whose values they repeat (varde_fran)."""
    ind = an.plan.indikatorer
    extra = [ind.at[i, "varde_fran"] for i in ids if not blank(ind.at[i, "varde_fran"])]
    return list(dict.fromkeys([*ids, *extra]))


def _indicator_inputs(an, ids: list[str], extra_series=()) -> dict[str, pd.DataFrame]:
    ind = an.plan.indikatorer
    wanted = set(_with_sources(an, ids))
    series = {ind.at[i, "serie"] for i in wanted if not blank(ind.at[i, "serie"])} | set(extra_series)
    return {
        "indata_indikatorer": input_rows(an, "indikatorer", lambda r: r["indikator_id"] in wanted),
        "indata_indikatorvarden": input_rows(an, "indikatorvarden", lambda r: r["indikator_id"] in wanted),
        **_series_rows(an, series),
    }


# --- computed tables ------------------------------------------------------------------------------

def _num(x) -> float | None:
    return None if blank(x) or (isinstance(x, float) and math.isnan(x)) else float(x)


def change_table(an, ids: list[str]) -> pd.DataFrame:
    """The change table: what `indicators.changes` computed for each indicator."""
    rows = []
    for iid in ids:
        ch = an.changes[iid]
        rows.append({
            "indikator_id": iid, "ar": ch.ar, "varde": _num(ch.varde), "ar_fore": ch.ar_fore,
            "varde_fore": _num(ch.varde_fore), "forandring": _num(ch.diff), "forandring_procent": _num(ch.diff_rel),
            "baslinje_ar": ch.baslinje_ar, "baslinje": _num(ch.baslinje), "trend": ch.trend,
            "uppnatt_datum": ch.uppnatt_datum, "text": ch.text, "kommentar": ch.kommentar,
            "uppgift_saknas": ch.saknas, "exempeldata": ch.exempeldata, "kalla": ch.kalla,
        })
    return pd.DataFrame(rows, columns=["indikator_id", "ar", "varde", "ar_fore", "varde_fore", "forandring",
                                       "forandring_procent", "baslinje_ar", "baslinje", "trend", "uppnatt_datum",
                                       "text", "kommentar", "uppgift_saknas", "exempeldata", "kalla"])


def judgement_table(an, ids: list[str]) -> pd.DataFrame:
    """Each judgement with the plan's target it was judged against and the reason given."""
    ind = an.plan.indikatorer
    rows = []
    for iid in ids:
        meta, j = ind.loc[iid], an.judgements.loc[iid]
        rows.append({
            "indikator_id": iid, "atgard_id": meta["atgard_id"], "malomrade_id": int(meta["malomrade_id"]),
            "maltyp": meta["maltyp"], "riktning": meta["riktning"], "malvarde": _num(meta["malvarde"]),
            "malar": meta["malar"], "deadline": meta["deadline"], "serie": meta["serie"],
            "utfall": j["utfall"], "detalj": j["detalj"], "forklaring": j["forklaring"],
            "prognos": j["prognos"], "prognos_motivering": j["prognos_motivering"],
        })
    return pd.DataFrame(rows, columns=["indikator_id", "atgard_id", "malomrade_id", "maltyp", "riktning", "malvarde",
                                       "malar", "deadline", "serie", "utfall", "detalj", "forklaring", "prognos",
                                       "prognos_motivering"])


def values_table(an, ids: list[str]) -> pd.DataFrame:
    """Values per year up to the report year (the data of the trend charts)."""
    v = an.values
    own = v[v["indikator_id"].isin(ids) & (v["ar"] <= an.year)]
    return own[["indikator_id", "ar", "varde", "jamforelsevarde", "period_fran", "period_till", "uppnatt_datum", "text",
                "exempeldata", "kalla", "jamforbar_fran"]] \
        .reset_index(drop=True)


def _counts(summary: pd.DataFrame, key: str) -> pd.DataFrame:
    out = summary.rename(columns=COUNT_COLUMNS).rename_axis(columns=None).reset_index(names=key)
    return out[[key, *COUNT_COLUMNS.values(), "bedomda", "uppfyllda", "totalt", "andel_uppfyllt"]]


def plan_totals(an) -> pd.Series:
    """Måluppfyllelse for the whole plan: counts per outcome and the share fulfilled of the judged."""
    counts = {k: int(v) for k, v in an.per_malomrade[[*UTFALL, "bedomda", "uppfyllda", "totalt"]].sum().items()}
    judged = counts["bedomda"]
    return pd.Series({**counts, "andel_uppfyllt": counts["uppfyllda"] / judged * 100 if judged else math.nan}, dtype=object)


def status_table(an, atgard_ids: list[str]) -> pd.DataFrame:
    st = an.status.loc[atgard_ids]
    out = st[["atgard_id", "malomrade_id", "status", "period_fran", "period_till", "behov_av_justering", "justering",
              "uppgiftslamnare", "kommentar"]].reset_index(drop=True)
    out.insert(3, "status_fore", [an.status_prev(a) for a in atgard_ids])
    return out


# --- the tables of each page type -----------------------------------------------------------------

def inputs_atgard(an, atgard_id: str) -> dict[str, pd.DataFrame]:
    """The input rows an åtgärd page reads: the plan's rows, the reports, the linked series."""
    ids = list(an.plan.indicators_of(atgard_id).index)
    links = an.plan.links_of(atgard_id)
    linked = set(links["fran_atgard"]) | {a for a in links["till_atgard"] if not blank(a)}
    linked.add(atgard_id)
    return {
        "indata_atgarder": input_rows(an, "atgarder", lambda r: r["atgard_id"] in linked),
        "indata_kopplingar": input_rows(
            an, "kopplingar", lambda r: r["fran_atgard"] == atgard_id or r["till_atgard"] == atgard_id),
        "indata_status": input_rows(an, "status", lambda r: r["atgard_id"] in linked,
                                    years={an.year, an.previous_year}),
        **_indicator_inputs(an, ids, {s for s in links["till_serie"] if not blank(s)}),
    }


def atgard(an, atgard_id: str) -> dict[str, pd.DataFrame]:
    """What an åtgärd page computed: status, changes, judgements with reasons, counts, links."""
    ids = list(an.plan.indicators_of(atgard_id).index)
    counts = an.per_atgard.loc[[atgard_id]] if atgard_id in an.per_atgard.index else an.per_atgard.iloc[0:0]
    return {
        "status": status_table(an, [atgard_id]),
        "forandringar": change_table(an, ids),
        "bedomningar": judgement_table(an, ids),
        "maluppfyllelse": _counts(counts, "atgard_id"),
        "varden": values_table(an, _with_sources(an, ids)),
        "kopplingar": link_table(an, atgard_id),
    }


def link_table(an, atgard_id: str) -> pd.DataFrame:
    rows = []
    for _, k in an.plan.links_of(atgard_id).iterrows():
        target = k["till_atgard"] if k["typ"] == "åtgärd" else (k["till_serie"] if not blank(k["till_serie"]) else k["till_dokument"])
        shown = None
        if k["typ"] == "åtgärd":
            other = k["till_atgard"] if k["fran_atgard"] == atgard_id else k["fran_atgard"]
            shown = an.status.at[other, "status"]
        elif k["typ"] in ("nki-fråga", "ranking-faktor") and an.klimat is not None:
            shown = an.klimat.serie_status(k["till_serie"])
        rows.append({"fran_atgard": k["fran_atgard"], "typ": k["typ"], "till": target, "beskrivning": k["beskrivning"],
                     "visas": shown})
    return pd.DataFrame(rows, columns=["fran_atgard", "typ", "till", "beskrivning", "visas"])


def inputs_malomrade(an, malomrade_id: int) -> dict[str, pd.DataFrame]:
    ind = an.plan.indikatorer
    ids = list(ind[ind["malomrade_id"] == malomrade_id].index)
    atgarder = set(an.plan.atgarder_in(malomrade_id).index)
    return {
        "indata_malomraden": input_rows(an, "malomraden", lambda r: int(r["malomrade_id"]) == malomrade_id),
        "indata_atgarder": input_rows(an, "atgarder", lambda r: r["atgard_id"] in atgarder),
        "indata_status": input_rows(an, "status", lambda r: r["atgard_id"] in atgarder, years={an.year}),
        **_indicator_inputs(an, ids),
    }


def malomrade(an, malomrade_id: int) -> dict[str, pd.DataFrame]:
    """What a målområde page computed: its counts, its åtgärder, and its own indicators."""
    ind = an.plan.indikatorer
    own = list(ind[(ind["malomrade_id"] == malomrade_id) & ind["atgard_id"].map(blank)].index)
    aids = list(an.plan.atgarder_in(malomrade_id).index)
    per_atgard = an.per_atgard.reindex(aids, fill_value=0)
    atgarder = _counts(per_atgard, "atgard_id")
    st = an.status.loc[aids]
    atgarder.insert(1, "status", list(st["status"]))
    atgarder.insert(2, "behov_av_justering", list(st["behov_av_justering"]))
    return {
        "maluppfyllelse": _counts(an.per_malomrade.loc[[malomrade_id]], "malomrade_id"),
        "maluppfyllelse_atgarder": atgarder,
        "forandringar": change_table(an, own),
        "bedomningar": judgement_table(an, own),
        "varden": values_table(an, _with_sources(an, own)),
    }


def _merged(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Tables of the same name stacked, each row once (åtgärder of one målområde share rows)."""
    out: dict[str, list[pd.DataFrame]] = {}
    for part in parts:
        for name, frame in part.items():
            out.setdefault(name, []).append(frame)
    merged = {}
    for name, frames in out.items():
        frame = pd.concat([f for f in frames if len(f.columns)], ignore_index=True) if any(
            len(f.columns) for f in frames) else frames[0]
        merged[name] = frame.loc[~frame.astype(str).duplicated()].reset_index(drop=True)
    return merged


def inputs_bilaga(an, malomrade_id: int) -> dict[str, pd.DataFrame]:
    """The input rows of a målområde's appendix page: those of each of its åtgärder' chapters."""
    return _merged([inputs_atgard(an, a) for a in an.plan.atgarder_in(malomrade_id).index])


def bilaga(an, malomrade_id: int) -> dict[str, pd.DataFrame]:
    """What a målområde's appendix page shows: each åtgärd's changes, judgements, values and links."""
    return _merged([atgard(an, a) for a in an.plan.atgarder_in(malomrade_id).index])


def inputs_samlad(an) -> dict[str, pd.DataFrame]:
    every = list(an.plan.indikatorer.index)
    totalt = {f"insikt:{fakta.TOTALT}:{fakta.NKI}", f"ranking:{fakta.PLACERING}"}
    return {
        "indata_malomraden": input_rows(an, "malomraden"),
        "indata_atgarder": input_rows(an, "atgarder"),
        "indata_status": input_rows(an, "status", years={an.year}),
        "indata_lardomar": input_rows(an, "lardomar", years={an.year}),
        **_indicator_inputs(an, every, totalt),
    }


def samlad(an) -> dict[str, pd.DataFrame]:
    """What the samlad analys computed: status and måluppfyllelse per målområde and in total."""
    status = an.status_per_malomrade.copy()
    status = pd.concat([status.reset_index(names="malomrade_id").astype({"malomrade_id": object}),
                        pd.DataFrame([{"malomrade_id": "alla", **status.sum().to_dict()}])], ignore_index=True)
    status.columns = [str(c).replace(" ", "_").replace("å", "a").replace("ä", "a").replace("ö", "o") for c in status.columns]
    per_mo = _counts(an.per_malomrade, "malomrade_id").astype({"malomrade_id": object})
    total = pd.DataFrame([{"malomrade_id": "alla", **plan_totals(an).rename(COUNT_COLUMNS).to_dict()}])
    per_mo = pd.concat([per_mo, total.astype({"andel_uppfyllt": float})], ignore_index=True)
    just = an.justeringar[["atgard_id", "justering"]].reset_index(drop=True)
    lard = an.current.lardomar
    lard = lard[["typ", "atgard_id", "text"]].reset_index(drop=True) if len(lard) else pd.DataFrame(columns=["typ", "atgard_id", "text"])
    every = list(an.plan.indikatorer.index)
    return {
        "status_malomraden": status,
        "maluppfyllelse_malomraden": per_mo,
        "status": status_table(an, list(an.plan.order)),
        "forandringar": change_table(an, every),
        "bedomningar": judgement_table(an, every),
        "justeringar": just,
        "lardomar": lard,
        "foretagsklimat": climate_summary(an),
        "narmast": narmast.narmast(an),
        "till_kommunstyrelsen": narmast.till_kommunstyrelsen(an),
    }


def climate_summary(an) -> pd.DataFrame:
    """NKI totalt (latest shown) and the ranking placering (latest change), with the sentences used."""
    rows = []
    k = an.klimat
    if k is not None:
        cmp = k.comparisons(an.year).get(f"insikt:{fakta.TOTALT}:{fakta.NKI}")
        agg = k.kommun_insikt
        tot = agg[(agg["omrade"] == fakta.TOTALT) & (agg["matt"] == fakta.NKI) & agg["visas"]] if len(agg) else agg
        if len(tot):
            last = tot.sort_values("ar").iloc[-1]
            same = cmp is not None and cmp["ar"] == int(last["ar"])
            rows.append({"matt": "NKI totalt", "ar": int(last["ar"]), "varde": float(last["varde"]),
                         "ar_fran": cmp["ar_fran"] if same else None, "forandring": _num(cmp["delta"]) if same else None,
                         "bedomning": cmp["bedomning"] if same else None, "forklaring": cmp["forklaring"] if same else None})
        rd = k.ranking_deltas
        pl = rd[rd["matt"] == fakta.PLACERING].sort_values("ar") if len(rd) else rd
        if len(pl):
            r = pl.iloc[-1]
            rows.append({"matt": "ranking, placering", "ar": int(r["ar"]), "varde": float(r["varde"]),
                         "ar_fran": int(r["ar_fran"]), "forandring": _num(r["delta"]), "bedomning": r["forandring"],
                         "forklaring": r["forklaring"]})
    return pd.DataFrame(rows, columns=["matt", "ar", "varde", "ar_fran", "forandring", "bedomning", "forklaring"])


def inputs_klimat(an) -> dict[str, pd.DataFrame]:
    ind = an.plan.indikatorer
    linked = ind[~ind["serie"].map(blank)]
    links = an.plan.kopplingar
    links = links[links["typ"].isin(["nki-fråga", "ranking-faktor"])]
    aids = set(linked["atgard_id"]) | set(links["fran_atgard"])
    tables = {
        "indata_atgarder": input_rows(an, "atgarder", lambda r: r["atgard_id"] in aids),
        "indata_indikatorer": input_rows(an, "indikatorer", lambda r: not blank(r["serie"])),
        "indata_kopplingar": input_rows(an, "kopplingar", lambda r: r["typ"] in ("nki-fråga", "ranking-faktor")),
    }
    if an.klimat is not None:
        cut = an.klimat.insikt_up_to
        tables["indata_insikt"] = input_rows(an, "insikt", lambda r: int(r["ar"]) <= cut)
        tables["indata_insikt_svar"] = input_rows(an, "insikt_svar", lambda r: int(r["ar"]) <= cut)
        tables["indata_ranking"] = input_rows(an, "ranking", lambda r: int(r["ar"]) <= an.year)
    return tables


def klimat(an) -> dict[str, pd.DataFrame]:
    """What the företagsklimat page computed: NKI with publication rules, changes with tests, ranking."""
    k = an.klimat
    ind = an.plan.indikatorer
    linked = list(ind[~ind["serie"].map(blank)].index)
    if k is None:
        return {"kopplade_bedomningar": judgement_table(an, linked)}
    nki_cols = ["ar", "omrade", "matt", "varde", "n", "ci_low", "ci_high", "visas", "fa_svar", "exempeldata", "kalla",
                "harledd", "fran_svar"]
    agg = k.kommun_insikt
    nki = agg.reindex(columns=nki_cols).sort_values(["matt", "omrade", "ar"], kind="stable").reset_index(drop=True)
    ins = k.insikt
    riket = ins[(ins["kommun"] == "Riket") & (ins["omrade"] == fakta.TOTALT) & (ins["matt"] == fakta.NKI)] if len(ins) else ins
    riket = riket.reindex(columns=["ar", "varde", "ci_low", "ci_high", "kalla", "exempeldata"]).reset_index(drop=True)
    deltas = k.deltas.reset_index(drop=True) if len(k.deltas) else pd.DataFrame(
        columns=["omrade", "matt", "ar_fran", "ar", "varde_fran", "varde", "delta", "p_value", "bedomning", "forklaring", "fa_svar"])
    ranking = k.ranking.reindex(columns=["ar", "matt", "varde", "kalla", "harledd", "exempeldata"]) \
        .sort_values(["matt", "ar"], kind="stable").reset_index(drop=True)
    rd = k.ranking_deltas.reset_index(drop=True) if len(k.ranking_deltas) else pd.DataFrame(
        columns=["matt", "ar_fran", "ar", "varde_fran", "varde", "delta", "forandring", "forklaring"])
    return {
        "nki": nki,
        "nki_riket": riket,
        "nki_forandringar": deltas.drop(columns=["kommun"], errors="ignore"),
        "ranking": ranking,
        "ranking_forandringar": rd,
        "kopplade_bedomningar": judgement_table(an, linked),
    }
