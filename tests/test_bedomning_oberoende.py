"""An independent check of the 2026 and 2025 judgements, signals and counts on the shipped data.

Everything here is recomputed from the CSV files in `data/` with the csv module and the plan's
own words, without `helpers.compute`: the periods compared like for like, each threshold,
milestone and direction target, the units' forecasts, the signal rules of *Om rapporten* and the
one count table. Only the business-climate series (NKI and ranking scores, judged against their
margins of error with statistics of their own, checked independently in test_nki.py and
test_ranking.py) are taken from the analysis as given. Then every number must agree.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from helpers.compute.analysis import analyse

DATA = Path(__file__).resolve().parents[1] / "data"
D = dt.date.fromisoformat


def rows(path: Path) -> dict[str, dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        data = list(csv.DictReader(fh, delimiter=";"))
    key = next(iter(data[0]))
    return {r[key]: r for r in data}


def num(text: str) -> float | None:
    return float(text.replace(",", ".")) if text else None


def independent(year: int) -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
    """(outcome per indicator, signal per åtgärd, counts) from the files alone."""
    plan = rows(DATA / "plan" / "indikatorer.csv")
    atg = rows(DATA / "plan" / "atgarder.csv")
    status = rows(next((DATA / str(year)).glob("status*.csv")))
    vals = {y: rows(next((DATA / str(y)).glob("indikatorvarden*.csv"))) for y in (year - 1, year) if (DATA / str(y)).is_dir()}
    an = analyse(year, DATA)  # only for the business-climate series' outcomes
    now = vals[year]
    outcome: dict[str, str] = {}
    against: set[str] = set()
    for iid, m in plan.items():
        aid = m["atgard_id"]
        st = status.get(aid, {})
        end = D(st["period_till"]) if st else dt.date(year, 12, 31)
        source = m["varde_fran"] or iid
        row, before = now.get(source, {}), vals.get(year - 1, {}).get(source, {})
        if m["maltyp"] == "milstolpe":
            done_now, done_before = row.get("uppnatt_datum"), before.get("uppnatt_datum")
            deadline = D(m["deadline"])
            if st.get("status") == "avslutad" and not done_now:
                outcome[iid] = "ej aktuellt"
            elif done_before:
                outcome[iid] = "ej aktuellt"
            elif done_now:
                outcome[iid] = "uppfyllt" if D(done_now) <= deadline else "uppfyllt för sent"
            else:
                outcome[iid] = "ej uppfyllt" if end >= deadline else "ej bedömt ännu"
            continue
        if st.get("status") in ("avslutad", "ej påbörjad"):
            outcome[iid] = "ej aktuellt"
            continue
        if m["maltyp"] == "ingen":
            outcome[iid] = "inget mål"
            continue
        if m["serie"]:
            outcome[iid] = an.judgements.at[iid, "utfall"]  # margins of error: checked in test_nki / test_ranking
            against |= {iid} if an.judgements.at[iid, "mot_malet"] else set()
            continue
        value = num(row.get("varde", ""))
        if m["maltyp"] == "tröskel":
            if (m["malar"] and int(m["malar"]) != year) or (m.get("galler_fran") and year < int(m["galler_fran"])):
                outcome[iid] = "ej aktuellt"
            elif value is None:
                outcome[iid] = "uppgift saknas"
            elif value >= float(m["malvarde"]):
                outcome[iid] = "uppfyllt"
            else:
                own_end = D(row["period_till"]) if row.get("period_till") else end
                outcome[iid] = "ej bedömt ännu" if own_end < dt.date(year, 12, 31) else "ej uppfyllt"
            continue
        # riktning: the same period of the year before, as the unit gives it, else last year's file
        earlier = num(row.get("jamforelsevarde", "")) if row.get("jamforelsevarde") else None
        if earlier is None and before:
            same = (before.get("period_fran", "")[4:], before.get("period_till", "")[4:]) == (
                row.get("period_fran", "")[4:], row.get("period_till", "")[4:])
            earlier = num(before.get("varde", "")) if same else None
        if value is None:
            outcome[iid] = "uppgift saknas"
        elif earlier is None:
            outcome[iid] = "ej bedömt ännu"
        else:
            good = (value > earlier) if m["riktning"] == "öka" else (value < earlier)
            outcome[iid] = "uppfyllt" if good else "ej uppfyllt"
            if value != earlier and not good:
                against.add(iid)
    signal: dict[str, str] = {}
    order = {"enligt plan": 0, "risk": 1, "avvikelse": 2}
    for aid, a in atg.items():
        st = status.get(aid)
        if st is None:
            signal[aid] = "avvikelse"
            continue
        if st["status"] == "avslutad":
            signal[aid] = "ej aktuell"
            continue
        end = D(st["period_till"])
        levels = ["enligt plan"]
        own = {i: m for i, m in plan.items() if m["atgard_id"] == aid}
        forecasts = [st.get("prognos", "")] + [now.get(i, {}).get("prognos", "") for i in own]
        levels += ["avvikelse" for f in forecasts if f == "kommer inte att uppfyllas"]
        levels += ["risk" for f in forecasts if f == "risk att inte uppfyllas"]
        if st["status"] in ("pågående", "ej påbörjad") and a["planerat_klart"] and D(a["planerat_klart"]) < end:
            levels.append("risk")
        for i, m in own.items():
            o = outcome[i]
            if m["maltyp"] in ("milstolpe", "tröskel") and o == "ej uppfyllt":
                levels.append("avvikelse")
            if o == "uppfyllt för sent" or o == "uppgift saknas" or i in against:
                levels.append("risk")
            if (st["status"] == "genomförd" and m["maltyp"] == "tröskel" and o == "ej bedömt ännu"
                    and num(now.get(i, {}).get("varde", "")) is not None
                    and num(now[i]["varde"]) < float(m["malvarde"])):
                levels.append("avvikelse")
        signal[aid] = max(levels, key=order.get)
    due = [o for o in outcome.values() if o in ("uppfyllt", "uppfyllt för sent", "ej uppfyllt", "uppgift saknas")]
    counts = {"bedomda": len(due), "uppfyllda": sum(o in ("uppfyllt", "uppfyllt för sent") for o in due),
              "enligt_plan": sum(s == "enligt plan" for s in signal.values()),
              "aktuella": sum(s != "ej aktuell" for s in signal.values())}
    return outcome, signal, counts


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_judgement_signal_and_count_agrees_with_an_independent_computation(year):
    outcome, signal, counts = independent(year)
    an = analyse(year, DATA)
    assert {i: an.judgements.at[i, "utfall"] for i in outcome} == outcome
    assert dict(an.oversikt.table["signal"]) == signal
    total = an.per_malomrade.sum()
    o = an.oversikt
    assert (int(total["bedomda"]), int(total["uppfyllda"]), o.enligt_plan, o.aktuella) == (
        counts["bedomda"], counts["uppfyllda"], counts["enligt_plan"], counts["aktuella"])
    assert f"{counts['enligt_plan']} av {counts['aktuella']} åtgärder" in o.bedomning


def test_the_2026_edition_compares_like_for_like():
    """At most 2 indicators with a value in both years may end up not compared (the issue's bar)."""
    import math

    an = analyse(2026, DATA)
    both = [i for i, ch in an.changes.items() if not math.isnan(ch.varde) and not math.isnan(ch.varde_fore)]
    assert len(both) >= 25
    assert len([i for i in both if math.isnan(an.changes[i].diff)]) <= 2
