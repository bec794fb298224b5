"""Which Kolada KPI feeds which series of the book, and how fetched values join the Insikt table.

`kpi_mappning.csv` is kept by hand; only confirmed KPIs flow into the book (`insikt_rows`), as real
figures with source and fetch date, and `merge_insikt` is the one rule for a fetched value beside a
hand-typed one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, typed
from helpers.core.fmt import exact_sv, number_sv
from helpers.core.missing import blank
from helpers.data import config, inputs
from helpers.data.kolada.client import KALLA
from helpers.data.schema import load_table

# Kolada's municipality ids for the places the book shows: the kommun of the plan: block in
# _config.yml and Riket (0000), `config.active().kommuner`. Any other id is refused, never skipped.

# Kolada's `period` of an Insikt KPI is taken to be the measurement year (the year the cases were
# handled), the same year `ar` means in data/foretagsklimat/. UNVERIFIED: no Kolada document at
# hand says so. Fetching the totalt KPI for 2016–2017 and 0000 for 2021–2023 checks it against
# the published figures (a shift shows up as a disagreement). Change it here if it is wrong.
PERIOD_TILL_MATAR = 0

# Kolada carries Insikt with decimals (69.7) while SKR publishes whole numbers: this is how far
# apart a Kolada value and a hand-typed published value for the same year, område and mått may be.
AVRUNDNING = 0.5
FETCH_ONLY = ("kpi_id", "hamtad")  # columns of `insikt_rows` that `merge_insikt` uses and drops


def _title_warnings(target: Path, meta_rows: list[dict]) -> list[str]:
    mapping = mapping_rows(target)
    fetched = {r["kpi_id"]: r["titel"] for r in meta_rows}
    out = []
    for r in mapping:
        if r["bekraftad"] == "ja" and r["kpi_id"] in fetched and _same(r["titel"]) != _same(fetched[r["kpi_id"]]):
            out.append(f"{r['kpi_id']} heter nu ”{fetched[r['kpi_id']]}” i Kolada men ”{r['titel']}” i kpi_mappning.csv. "
                       "Kontrollera att id:t fortfarande mäter samma sak och rätta titeln; till dess stoppar boken.")
    return out


def _same(title) -> str:
    return " ".join(str(title or "").split()).casefold()


def mapping_rows(target: Path) -> list[dict]:
    path = target / "kpi_mappning.csv"
    if not path.exists():
        return []
    frame = load_table(path, inputs.entry(inputs.KOLADA, "kpi_mappning").spec)
    return [dict(r, rad=int(line)) for line, r in frame.iterrows()]


def confirmed_kpis(target: Path) -> list[str]:
    """The ids a fetch without --kpi asks for: every confirmed row of kpi_mappning.csv."""
    return [r["kpi_id"] for r in mapping_rows(target) if r["bekraftad"] == "ja"]


def _mapping_problems(mapping: pd.DataFrame, meta: pd.DataFrame) -> list[Problem]:
    out = []
    shown = mapping["_fil"].iloc[0]
    ids = mapping[~mapping["kpi_id"].map(blank)]
    for line, r in ids[ids.duplicated("kpi_id", keep="first")].iterrows():
        out.append(Problem(shown, "varje Kolada-id på en rad", row=int(line), column="kpi_id", value=r["kpi_id"]))
    confirmed = mapping[(mapping["bekraftad"] == "ja") & ~mapping["serie"].map(blank)]
    for line, r in confirmed[confirmed.duplicated("serie", keep="first")].iterrows():
        out.append(Problem(shown, "ett bekräftat nyckeltal per serie", row=int(line), column="serie", value=r["serie"]))
    titles = dict(zip(meta["kpi_id"], meta["titel"])) if len(meta) else {}
    for line, r in mapping[mapping["bekraftad"] == "ja"].iterrows():
        stored = titles.get(r["kpi_id"])
        if stored is not None and _same(stored) != _same(r["titel"]):
            out.append(Problem(shown, f"Koladas titel ”{stored}” (kpi.csv). Kontrollera att {r['kpi_id']} fortfarande "
                                      "mäter samma sak och skriv in den nya titeln", row=int(line), column="titel",
                               value=r["titel"]))
    return out


def insikt_rows(stored) -> pd.DataFrame:
    """`stored`: the validated stored files (`store.Lagrat`: `mappning`, `varden`).

    Values of confirmed Insikt KPIs as rows of the Insikt table (INSIKT columns, plus `exempeldata`
    = False, `_fil`, and `kpi_id`/`hamtad` that `merge_insikt` uses), for the kommun and Riket, total (kön T) only, blanks dropped."""
    columns = [*inputs.INSIKT.names, "exempeldata", "_fil", *FETCH_ONLY]
    m = stored.mappning
    if m.empty or stored.varden.empty:
        return pd.DataFrame(columns=columns)
    use = m[(m["bekraftad"] == "ja") & m["serie"].map(lambda s: not blank(s) and s.startswith("insikt:"))]
    by_kpi = {r["kpi_id"]: r for _, r in use.iterrows()}
    rows, index, problems = [], [], []
    kommuner = config.active().kommuner
    for line, v in stored.varden.iterrows():
        if v["kommun_id"] not in kommuner:
            problems.append(Problem(v["_fil"], "kommunens egen kod eller riket: " + " eller ".join(
                f"{kod} ({namn})" for kod, namn in kommuner.items()), row=int(line), column="kommun_id", value=v["kommun_id"]))
            continue
        mapped = by_kpi.get(v["kpi_id"])
        if mapped is None or v["kon"] != "T" or blank(v["varde"]):
            continue
        _, omrade, matt = mapped["serie"].split(":")
        if not 0 <= float(v["varde"]) <= 100:
            problems.append(Problem(v["_fil"], f"ett index 0–100 ({v['kpi_id']} → {mapped['serie']})", row=int(line),
                                    column="varde", value=typed(float(v["varde"]))))
            continue
        rows.append({"ar": int(v["ar"]) + PERIOD_TILL_MATAR, "kommun": kommuner[v["kommun_id"]], "omrade": omrade,
                     "matt": matt, "varde": float(v["varde"]), "antal_svar": None, "ci_low": None, "ci_high": None,
                     "kalla": f"{KALLA}, nyckeltal {v['kpi_id']} ”{mapped['titel']}”, hämtat {v['hamtad'].isoformat()}",
                     "harledd": "nej", "exempeldata": False, "_fil": v["_fil"], "kpi_id": v["kpi_id"],
                     "hamtad": v["hamtad"].isoformat()})
        index.append(line)
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(rows, columns=columns, index=pd.Index(index, name="rad"))
    for c in ("ar", "varde", "antal_svar", "ci_low", "ci_high"):
        frame[c] = frame[c].astype("Float64")
    return frame


def merge_insikt(hand: pd.DataFrame, fetched: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Hand-typed Insikt rows and Kolada rows together, by one rule per (år, kommun, område, mått):

    - a real hand-typed value and a Kolada value must agree within rounding (±0,5: SKR publishes
      whole numbers, Kolada decimals). If they do, the hand-typed row stays (it is what was
      published) and its source notes the agreement; if not, it is a Problem naming both;
    - a Kolada value replaces an exempeldata row (real data always beats invented data) and fills
      a real row whose value is blank;
    - otherwise the Kolada row is added.
    """
    if fetched.empty:
        return hand, []
    keys = ["ar", "kommun", "omrade", "matt"]
    problems: list[Problem] = []
    drop, add = set(), []
    hand_keys = {}
    for line, r in hand.iterrows():
        hand_keys.setdefault((int(r["ar"]), r["kommun"], r["omrade"], r["matt"]), []).append((r["_fil"], line, r))
    hand = hand.copy()
    for line, f in fetched.iterrows():
        key = tuple(int(f[k]) if k == "ar" else f[k] for k in keys)
        kept = False
        for fil, hline, h in hand_keys.get(key, []):
            if bool(h["exempeldata"]) or blank(h["varde"]):
                drop.add((fil, hline))
                continue
            if abs(float(h["varde"]) - float(f["varde"])) <= AVRUNDNING + 1e-9:
                kept = True
                mask = (hand["_fil"].to_numpy() == fil) & (hand.index.to_numpy() == hline)
                hand.loc[mask, "kalla"] = (f"{h['kalla']}; stämmer med {KALLA} ({f['kpi_id']}: "
                                           f"{number_sv(float(f['varde']), 1)}, hämtat {f['hamtad']})")
            else:
                kept = True
                problems.append(Problem(fil, f"samma värde som {KALLA} inom avrundning: {exact_sv(float(f['varde']))} ±0,5 "
                                             f"({f['kpi_id']}, {f['_fil']} rad {int(line)}); kontrollera vilket som stämmer",
                                        row=int(hline), column="varde", value=typed(float(h["varde"]))))
        if not kept:
            add.append(line)
    if drop:
        mask = pd.Series([(fil, line) in drop for fil, line in zip(hand["_fil"], hand.index)], index=hand.index)
        hand = hand[~mask.to_numpy()]
    extra = fetched.loc[add].drop(columns=list(FETCH_ONLY))
    merged = pd.concat([x for x in (hand, extra) if len(x)], ignore_index=False) if len(hand) or len(extra) else hand
    return merged, problems
