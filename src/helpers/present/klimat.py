"""The book's chapter on företagsklimatet: NKI with intervals, deltas in plain Swedish, ranking.

Only values that may be published are shown (n ≥ 7; n 7–9 marked), no totalt delta is shown
across the 2024 series break, and every number says whether it is real or exempeldata.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from helpers.compute import nki
from helpers.core.fmt import SAKNAS, number_sv, p_value_sv, plural, signed_sv
from helpers.core.missing import blank
from helpers.data import fakta
from helpers.data.fakta import matt_namn
from helpers.present.charts import EXEMPEL, REAL, figure, kind_dash, runs, year_axis
from helpers.present.html import Html, esc, exempel_banner, table, utfall_badge
from helpers.present.names import atgard_page, serie_namn

NO_DATA = Html("<p>Det finns inga uppgifter om företagsklimatet.</p>")


def _k(an):
    return an.klimat


def banner(an) -> Html:
    if _k(an) is None:
        return Html("")
    files = [f for f in _k(an).files if f.name.endswith(".exempeldata.csv")]
    return exempel_banner(files, "Verkliga publicerade siffror (se historiken) anges med källa.")


def intro(an) -> Html:
    k = _k(an)
    if k is None:
        return NO_DATA
    return Html(
        f"<p>Kapitlet visar hur företagen bedömer kommunens myndighetsutövning i SKR:s undersökning "
        f"Insikt (Nöjd kundindex, NKI) och hur kommunen placerar sig i Svenskt Näringslivs ranking. "
        f"Insiktresultaten för ett mätår publiceras våren året efter, så rapporten för {an.year} "
        f"redovisar Insikt till och med mätår {k.insikt_up_to} och rankingen till och med {an.year}.</p>"
    )


def _latest_shown(k) -> pd.DataFrame:
    agg = k.kommun_insikt
    return agg[agg["visas"]] if len(agg) else agg


def _whole_change(r) -> int | None:
    """The change between the two results as readers see them (whole index points)."""
    if blank(r.get("varde")) or blank(r.get("varde_fran")):
        return None
    return int(round(float(r["varde"]))) - int(round(float(r["varde_fran"])))


def plain_change(r) -> str:
    """A change in NKI or a service factor in words, without test names or p-values (those are in
    the method section): improvement, decline, within the margin of error, or why not compared."""
    verdict = r["bedomning"]
    change = _whole_change(r)
    if change is None or verdict not in ("signifikant förbättring", "signifikant försämring", "inom felmarginalen",
                                         "kan inte bedömas"):
        return str(r["forklaring"])
    since = f"från {int(r['ar_fran'])}"
    moved = ("Ökade" if change > 0 else "Minskade") + f" med {plural(abs(change), 'enhet', 'enheter')} {since}"
    if change == 0:
        moved = f"Oförändrat {since}"
    if verdict == "signifikant förbättring":
        return f"{moved}: en säkerställd förbättring, större än felmarginalen."
    if verdict == "signifikant försämring":
        return f"{moved}: en säkerställd försämring, större än felmarginalen."
    if verdict == "inom felmarginalen":
        return f"{moved}, men inom felmarginalen: kan bero på slumpen och räknas inte som en förändring."
    return f"{moved}; felmarginalen är okänd, så förändringen kan inte prövas."


def nki_chart(an) -> Html:
    """NKI per område for the latest measurement year, with 95 % interval bars."""
    k = _k(an)
    if k is None or k.kommun_insikt.empty:
        return NO_DATA
    agg = k.kommun_insikt
    last = int(agg["ar"].max())
    data = agg[(agg["ar"] == last) & (agg["matt"] == fakta.NKI)].copy()
    data["namn"] = data["omrade"].map(lambda o: fakta.OMRADEN.get(o, fakta.TOTALT_NAMN))
    data["etikett"] = data.apply(lambda r: _value_label(r), axis=1)
    shown = data[data["visas"]].assign(ci_low=lambda d: d["ci_low"].clip(0, 100), ci_high=lambda d: d["ci_high"].clip(0, 100))
    hidden = data[~data["visas"]]
    base = alt.Chart(shown).encode(y=alt.Y("namn:N", title=None, sort="-x", axis=alt.Axis(labelLimit=250)))
    bars = base.mark_bar(color="#1f5fa8", height=14).encode(x=alt.X("varde:Q", title="NKI (0–100)", scale=alt.Scale(domain=[0, 100])))
    rules = base.mark_rule(color="#1a1a1a", strokeWidth=1.5).encode(x="ci_low:Q", x2="ci_high:Q")
    labels = base.mark_text(align="left", dx=4, dy=-9, color="#1a1a1a").encode(x="varde:Q", text="etikett:N")
    chart = (bars + rules + labels).properties(width=440, title=f"NKI per område, mätår {last}")
    parts = "; ".join(f"{r['namn']} {r['etikett']}" + (f" (95 % intervall {number_sv(r['ci_low'])}–{number_sv(r['ci_high'])})"
                                                        if not blank(r["ci_low"]) else "") for _, r in shown.iterrows())
    note = ""
    if len(hidden):
        note = f" Visas inte (färre än {fakta.MIN_SVAR_VISAS} svar): " + ", ".join(hidden["namn"]) + "."
    label = " (exempeldata)" if bool(data["exempeldata"].any()) else ""
    return figure(chart, f"Stapeldiagram med felstaplar: NKI per område mätår {last}{label}. {parts}.{note}",
                  f"NKI per område {last}{label}. Strecken visar 95 % konfidensintervall.{note}")


def nki_trend_chart(an) -> Html:
    """NKI totalt over the years with intervals, Riket for reference, the 2024 series break marked,
    and real published results told apart from exempeldata by the point's shape."""
    k = _k(an)
    if k is None or k.insikt.empty:
        return NO_DATA
    own = k.kommun_insikt
    own = own[(own["omrade"] == fakta.TOTALT) & (own["matt"] == fakta.NKI) & own["visas"]].assign(kommun=an.config.kortnamn)
    riket = k.insikt[(k.insikt["kommun"] == "Riket") & (k.insikt["omrade"] == fakta.TOTALT) & (k.insikt["matt"] == fakta.NKI)]
    data = pd.concat([own, riket.assign(n=riket.get("antal_svar"))], ignore_index=True)[
        ["ar", "kommun", "varde", "ci_low", "ci_high", "exempeldata"]]
    data["ar"] = data["ar"].astype(int)
    data["ci_low"] = data["ci_low"].astype(float).clip(0, 100)
    data["ci_high"] = data["ci_high"].astype(float).clip(0, 100)
    data["typ"] = data["exempeldata"].map(lambda e: EXEMPEL if bool(e) else REAL)
    data = data.sort_values(["kommun", "ar"]).reset_index(drop=True)
    breaks = [y for y, _ in fakta.TOTALT_DEFINITIONER if y > 0 and data["ar"].min() < y <= data["ar"].max()]
    # Lines are not drawn across a series break, a missing year, nor between real values and
    # exempeldata: each stretch of one kind is its own segment.
    data["period"] = data["ar"].map(lambda y: sum(y >= b for b in breaks))
    data["run"] = ""
    for name, grp in data.groupby("kommun"):
        data.loc[grp.index, "run"] = [f"{name}-{p}-{r}" for p, r in
                                      zip(grp["period"], runs(grp["ar"].tolist(), kinds=grp["typ"].tolist()))]
    colour = alt.Color("kommun:N", title=None, scale=alt.Scale(domain=[an.config.kortnamn, "Riket"], range=["#0052cc", "#595959"]),
                       legend=alt.Legend(orient="bottom"))
    base = alt.Chart(data).encode(x=year_axis(data["ar"].tolist(), "Mätår"), color=colour)
    y = alt.Y("varde:Q", title="NKI totalt (0–100)", scale=alt.Scale(domain=[0, 100]))
    shape = alt.Shape("typ:N", title=None, scale=alt.Scale(domain=[REAL, EXEMPEL], range=["circle", "square"]),
                      legend=alt.Legend(orient="bottom"))
    layers = [base.mark_line().encode(y=y, detail="run:N", strokeDash=kind_dash()),
              base.mark_point(filled=True, size=60, opacity=1).encode(y=y, shape=shape),
              base.mark_rule().encode(y="ci_low:Q", y2="ci_high:Q")]
    for year in breaks:
        marker = pd.DataFrame({"ar": [year - 0.5], "text": [f"Seriebrott {year}"]})
        layers.append(alt.Chart(marker).mark_rule(color="#a4241b", strokeDash=[4, 4]).encode(x="ar:Q"))
        layers.append(alt.Chart(marker).mark_text(color="#a4241b", align="left", dx=4, y=8).encode(x="ar:Q", text="text:N"))
    chart = alt.layer(*layers).properties(width=460, height=240, title="NKI totalt per mätår")
    points = "; ".join(f"{r.kommun} {r.ar}: {number_sv(round(r.varde))}" + (" (exempeldata)" if r.typ != REAL else "")
                       for r in data.itertuples())
    brk = f" Seriebrott {', '.join(map(str, breaks))}: totalt omfattar därefter färre områden och jämförs inte bakåt." if breaks else ""
    real = sorted(own.loc[~own["exempeldata"].astype(bool), "ar"].astype(int))
    label = (f" Runda punkter och hel linje är verkliga publicerade resultat ({an.config.kortnamn} {real[0]}–{real[-1]} och Riket), "
             "fyrkantiga punkter och streckad linje exempeldata; de är skilda serier och förbinds inte."
             if real and bool(own["exempeldata"].any()) else "")
    return figure(chart, f"Linjediagram: NKI totalt per mätår på skalan 0–100. {points}.{brk}",
                  f"NKI totalt per mätår med 95 % konfidensintervall där det är känt.{label}{brk}")


def _value_label(r) -> str:
    if not r["visas"]:
        return "visas inte"
    text = number_sv(round(float(r["varde"])))
    return text + (" *" if r.get("fa_svar", False) else "")


def nki_table(an) -> Html:
    """NKI per område over the years, with level and answer counts."""
    k = _k(an)
    if k is None or k.kommun_insikt.empty:
        return NO_DATA
    agg = k.kommun_insikt[k.kommun_insikt["matt"] == fakta.NKI]
    years = sorted(agg["ar"].astype(int).unique())[-4:]
    rows = []
    for omrade in [*fakta.OMRADEN, fakta.TOTALT]:
        sub = agg[agg["omrade"] == omrade].set_index("ar")
        if sub.empty:
            continue
        cells = []
        for y in years:
            if y not in sub.index:
                cells.append(SAKNAS)
                continue
            r = sub.loc[y]
            if not r["visas"]:
                cells.append(f"visas inte <small>(n = {int(r['n'])})</small>")
                continue
            ci = (f"<br><small>{number_sv(r['ci_low'])}–{number_sv(r['ci_high'])}</small>" if not blank(r["ci_low"]) else "")
            n = f"<small> n = {int(r['n'])}</small>" if not blank(r["n"]) else ""
            star = " *" if r["fa_svar"] else ""
            cells.append(f"{number_sv(round(float(r['varde'])))}{star}{n}{ci}")
        latest = sub.loc[years[-1]] if years[-1] in sub.index else None
        level = nki.niva(float(latest["varde"])) if latest is not None and latest["visas"] and not blank(latest["varde"]) else SAKNAS
        name = fakta.OMRADEN.get(omrade, f"<strong>{fakta.TOTALT_NAMN}</strong>")
        rows.append([name, *cells, esc(level)])
    caption = f"NKI per område {years[0]}–{years[-1]} (n = antal svar, under värdet 95 % konfidensintervall)"
    note = (f"<p><small>* {fakta.FA_SVAR_TEXT}: osäkert resultat. Resultat med färre än {fakta.MIN_SVAR_VISAS} svar "
            f"visas inte. {esc(_series_break_text())}</small></p>")
    return Html(table(["Område", *map(str, years), f"Nivå {years[-1]}"], rows, caption, numeric=set(range(1, len(years) + 1))) + note)


def delta_table(an) -> Html:
    """Latest change per område in plain Swedish: a real change, within the margin, or not comparable."""
    k = _k(an)
    if k is None or k.deltas.empty:
        return NO_DATA
    d = k.deltas[k.deltas["matt"] == fakta.NKI]
    last = d[d["ar"] == d["ar"].max()]
    rows = []
    for _, r in last.iterrows():
        name = fakta.OMRADEN.get(r["omrade"], fakta.TOTALT_NAMN)
        change = _whole_change(r)
        rows.append([esc(name), f"{r['ar_fran']}–{r['ar']}",
                     signed_sv(change, 0) if change is not None and not math.isnan(r["delta"]) else "–",
                     esc(plain_change(r)) + (f" ({fakta.FA_SVAR_TEXT})" if r["fa_svar"] else "")])
    return table(["Område", "Jämförelse", "Förändring (enheter)", "Bedömning"], rows,
                 "Förändring av NKI jämfört med föregående mätning", numeric={2})


def factor_table(an) -> Html:
    """The service factors for totalt: the NKI questions the plan's åtgärder follow up."""
    k = _k(an)
    if k is None or k.kommun_insikt.empty:
        return NO_DATA
    agg = k.kommun_insikt[(k.kommun_insikt["omrade"] == fakta.TOTALT) & (k.kommun_insikt["matt"] != fakta.NKI)]
    if agg.empty:
        return Html("<p>Serviceområdena redovisas inte i underlaget.</p>")
    last = int(agg["ar"].max())
    deltas = k.deltas
    rows = []
    for matt, name in fakta.FAKTORER.items():
        cur = agg[(agg["matt"] == matt) & (agg["ar"] == last)]
        if cur.empty:
            continue
        r = cur.iloc[0]
        d = deltas[(deltas["omrade"] == fakta.TOTALT) & (deltas["matt"] == matt) & (deltas["ar"] == last)]
        change = esc(plain_change(d.iloc[0])) if len(d) else "Ingen tidigare mätning att jämföra med."
        rows.append([esc(name), number_sv(round(float(r["varde"]))) if r["visas"] else "visas inte", change])
    return table(["Serviceområde", f"Index {last}", "Förändring"], rows, f"Serviceområden, totalt, mätår {last}", numeric={1})


ORIGIN = {"publicerat": "publicerad", "härlett": "härledd", "exempeldata": "exempeldata"}


def ranking_chart(an) -> Html:
    """The placering on the whole 1–290 scale (a move of a few places is not drawn as a plunge), each
    point shaped by whether it is published, derived from a publication or exempeldata."""
    k = _k(an)
    if k is None or k.ranking.empty:
        return NO_DATA
    data = k.ranking[k.ranking["matt"] == fakta.PLACERING].copy().sort_values("ar")
    data["ar"] = data["ar"].astype(int)
    data["typ"] = data.apply(lambda r: ORIGIN["exempeldata"] if r["exempeldata"]
                             else ORIGIN["härlett" if r["harledd"] == "ja" else "publicerat"], axis=1)
    data["run"] = runs(data["ar"].tolist(), kinds=data["exempeldata"].astype(bool).tolist())
    domain = list(ORIGIN.values())
    base = alt.Chart(data).encode(
        x=year_axis(data["ar"].tolist()),
        y=alt.Y("varde:Q", title=f"Placering (1 = bäst av {fakta.RANKING_ANTAL_KOMMUNER})",
                scale=alt.Scale(domain=[fakta.RANKING_ANTAL_KOMMUNER, 1])))
    chart = (base.mark_line(color="#595959").encode(detail="run:N") +
             base.mark_point(filled=True, size=80, opacity=1).encode(
                 shape=alt.Shape("typ:N", title="Uppgift", scale=alt.Scale(domain=domain, range=["circle", "diamond", "square"])),
                 color=alt.Color("typ:N", title="Uppgift", scale=alt.Scale(domain=domain, range=["#008047", "#0052cc", "#cc4900"])))
             + base.mark_text(dy=-12, color="#1a1a1a").encode(text="varde:Q")
             ).properties(width=460, height=220, title="Placering i Svenskt Näringslivs ranking")
    points = "; ".join(f"{r.ar}: plats {int(r.varde)} ({r.typ})" for r in data.itertuples())
    return figure(chart, f"Linjediagram: {an.config.kortnamn_genitiv} placering i Svenskt Näringslivs ranking per år (lägre är bättre), "
                         f"skala 1–{fakta.RANKING_ANTAL_KOMMUNER}. {points}.",
                  "Placering per år på hela skalan 1–290; lägre är bättre. Punktens form visar om uppgiften är "
                  "publicerad, härledd ur en publicerad uppgift eller exempeldata.")


def ranking_table(an) -> Html:
    k = _k(an)
    if k is None or k.ranking_deltas.empty:
        return NO_DATA
    d = k.ranking_deltas
    latest = d[d["ar"] == d["ar"].max()]
    rows = []
    for _, r in latest.iterrows():
        note = ""  # a real figure next to exempeldata is 'ej jämförbart' and its sentence says why
        decimals = 0 if r["matt"] == fakta.PLACERING else 2
        rows.append([esc(matt_namn(r["matt"])), f"{r['ar_fran']}–{r['ar']}", number_sv(r["varde_fran"], decimals),
                     number_sv(r["varde"], decimals), esc(r["forandring"]), esc(r["forklaring"]) + note])
    margin = number_sv(an.config.ranking_felmarginal, 1)
    return Html(table(["Mått", "Jämförelse", "Före", "Efter", "Förändring", "Förklaring"], rows,
                      f"Svenskt Näringslivs ranking: förändring till {int(d['ar'].max())}", numeric={2, 3})
                + "<p><small>Placering: lägre är bättre (1–290). Sammanfattande omdöme och faktorer: betyg 1–6, högre är "
                  f"bättre. Enkätbetygen publiceras utan felmarginal; rapporten räknar med en uppskattad felmarginal på "
                  f"±{margin} (se Så ska siffrorna läsas), och en mindre förändring kallas inte förbättring eller "
                  "försämring.</small></p>")


def linked_table(an) -> Html:
    """Åtgärder whose indicators or links follow an NKI question or ranking factor, with their judgement."""
    ind = an.plan.indikatorer
    rows = []
    for iid, meta in ind[~ind["serie"].map(blank)].iterrows():
        j = an.judgements.loc[iid]
        aid = meta["atgard_id"]
        rows.append([f'<a href="{atgard_page(aid)}.html">{esc(an.plan.heading(aid))}</a>', esc(meta["text"]),
                     f"{utfall_badge(j['utfall'], j['detalj'])}<br><small>{esc(j['forklaring'])}</small>"])
    links = an.plan.kopplingar
    for _, k in links[links["typ"].isin(["nki-fråga", "ranking-faktor"])].iterrows():
        if ((ind["atgard_id"] == k["fran_atgard"]) & (ind["serie"] == k["till_serie"])).any():
            continue
        aid = k["fran_atgard"]
        rows.append([f'<a href="{atgard_page(aid)}.html">{esc(an.plan.heading(aid))}</a>', esc(k["beskrivning"]),
                     "Koppling i planen, ingen indikator: följs i tabellerna ovan (" + esc(serie_namn(k["till_serie"])) + ")."])
    return table(["Åtgärd", "Mått enligt planen", "Bedömning"], rows, "Åtgärder som följs upp med NKI eller ranking")


def _source(r) -> str:
    """A published figure's source as readers see it: its name, derived or not, and its address where one exists."""
    text = esc(r["kalla"]) + (" <em>(härlett)</em>" if r["harledd"] == "ja" else "")
    where = r.get("adress")
    if not blank(where) and str(where).strip():
        url = esc(str(where).strip())
        text += f'<br><a class="uppf-adress" href="{url}">{url}</a>'
    return text


def history_table(an) -> Html:
    """Every real published figure, with its source; derived ones say so."""
    k = _k(an)
    if k is None:
        return NO_DATA
    rows = []
    real = k.insikt[~k.insikt["exempeldata"] & ~k.insikt["fran_svar"]] if len(k.insikt) else k.insikt
    for _, r in real.sort_values(["kommun", "ar"]).iterrows():
        what = f"NKI {fakta.OMRADEN.get(r['omrade'], 'totalt').lower()}" if r["matt"] == fakta.NKI else fakta.MATT[r["matt"]]
        rows.append([str(int(r["ar"])), esc(r["kommun"]), esc(what), number_sv(r["varde"]),
                     _source(r)])
    rreal = k.ranking[~k.ranking["exempeldata"]] if len(k.ranking) else k.ranking
    for _, r in rreal.sort_values("ar").iterrows():
        rows.append([str(int(r["ar"])), esc(an.config.kortnamn), esc(matt_namn(r["matt"])), number_sv(r["varde"]),
                     _source(r)])
    if not rows:
        return Html("<p>Inga verkliga publicerade siffror finns i underlaget.</p>")
    return table(["År", "Kommun", "Mått", "Värde", "Källa"], rows, "Verkliga publicerade resultat med källa", numeric={3})


def _series_break_text() -> str:
    """The totalt definitions, written from fakta.TOTALT_DEFINITIONER (the one place they live)."""
    parts = []
    for first, omraden in fakta.TOTALT_DEFINITIONER:
        if first == 0:
            continue
        names = [fakta.OMRADEN[o].lower() for o in omraden]
        listed = ", ".join(names[:-1]) + " och " + names[-1]
        parts.append(f"Från mätår {first} omfattar NKI totalt {listed}; totalt {first - 1} och {first} jämförs därför inte.")
    return " ".join(parts)


def _levels_text() -> str:
    bounds = [lo for lo, _ in fakta.NIVAER]
    out = []
    for k, (lo, label) in enumerate(fakta.NIVAER):
        if k == 0:
            out.append(f"{lo} eller mer {label}")
        elif lo == 0:
            out.append(f"under {bounds[k - 1]} {label}")
        else:
            out.append(f"{lo}–{bounds[k - 1] - 1} {label}")
    return ", ".join(out)


def method_note(an) -> Html:
    scale = f"{fakta.SVAR_MIN}–{fakta.SVAR_MAX}"
    few = fakta.MIN_SVAR_UTAN_MARKERING
    alpha = number_sv(fakta.ALPHA)
    return Html(
        "<ul>"
        "<li>NKI räknas från tre frågor (nöjdhet, förväntningar, jämförelse med en ideal service) som besvaras på "
        f"skalan {scale} och räknas om till 0–100 med (svar − {fakta.SVAR_MIN}) × 100 / {fakta.SVAR_MAX - fakta.SVAR_MIN}. "
        "Den som inte besvarat alla tre frågorna räknas inte in i NKI men väl i de serviceområden hen besvarat.</li>"
        f"<li>Resultat med färre än {fakta.MIN_SVAR_VISAS} svar visas inte och ingen förändring räknas från dem; "
        f"färre än {few} svar markeras med *.</li>"
        f"<li>En förändring kallas <em>signifikant</em> när den är större än slumpen rimligen ger (p &lt; {alpha}): "
        "med enkätsvar prövas den med Welchs t-test, med publicerade resultat med ett test byggt på antal svar och "
        "konfidensintervall. Saknas dessa sägs förändringen utan att prövas.</li>"
        f"<li>{esc(_series_break_text())}</li>"
        f"<li>Nivåer: {esc(_levels_text())} (nivåer som kommuner använder med hänvisning till SKR).</li>"
        f"<li>Svenskt Näringslivs enkätbetyg publiceras utan felmarginal. Rapporten uppskattar den till "
        f"±{number_sv(an.config.ranking_felmarginal, 1)}: {an.config.enkater_text}, ungefär hälften svarar, och med "
        "en antagen spridning på "
        f"{number_sv(fakta.RANKING_SPRIDNING_ANTAGEN, 1)} i svaren ger två års mätningar en felmarginal på ungefär "
        "så mycket. En mindre förändring kallas inte förbättring eller försämring.</li>"
        "</ul>"
        + _tests_table(an)
    )


def _tests_table(an) -> str:
    """The statistical tests behind the latest NKI changes: test, p-value and verdict (method readers)."""
    k = _k(an)
    if k is None or k.deltas.empty or "p_value" not in k.deltas:
        return ""
    d = k.deltas[(k.deltas["ar"] == k.deltas["ar"].max()) & k.deltas["p_value"].notna()
                 & ((k.deltas["omrade"] == fakta.TOTALT) | (k.deltas["matt"] == fakta.NKI))]
    if d.empty:
        return ""
    rows = []
    for _, r in d.iterrows():
        name = fakta.OMRADEN.get(r["omrade"], fakta.TOTALT_NAMN)
        what = "NKI" if r["matt"] == fakta.NKI else fakta.MATT.get(r["matt"], r["matt"])
        test = "Welchs t-test på enkätsvaren" if not k.svar.empty else "z-test från konfidensintervallen"
        rows.append([esc(f"{name}, {what}"), f"{int(r['ar_fran'])}–{int(r['ar'])}", esc(test),
                     esc(p_value_sv(float(r["p_value"]), fakta.ALPHA)), esc(r["bedomning"])])
    return str(table(["Mått", "Jämförelse", "Test", "p-värde", "Bedömning"], rows,
                     "Statistiska prövningar bakom förändringarna (för metodläsare)"))


def summary(an) -> Html:
    """Two sentences for the samlad analys: NKI totalt and the ranking, latest change, in words."""
    k = _k(an)
    if k is None:
        return NO_DATA
    parts = []
    agg = _latest_shown(k)
    tot = agg[(agg["omrade"] == fakta.TOTALT) & (agg["matt"] == fakta.NKI)] if len(agg) else agg
    if len(tot):
        last = tot.sort_values("ar").iloc[-1]
        parts.append(f"NKI totalt var {number_sv(round(float(last['varde'])))} mätår {int(last['ar'])}, vilket "
                     f"räknas som {nki.niva(float(last['varde']))}.")
        d = k.deltas
        d = d[(d["omrade"] == fakta.TOTALT) & (d["matt"] == fakta.NKI) & (d["ar"] == int(last["ar"]))] if len(d) else d
        if len(d):
            parts.append(esc(plain_change(d.iloc[0])))
    rd = k.ranking_deltas
    if len(rd):
        pl = rd[rd["matt"] == fakta.PLACERING].sort_values("ar")
        if len(pl):
            parts.append(f"I Svenskt Näringslivs ranking {int(pl.iloc[-1]['ar'])}: {esc(pl.iloc[-1]['forklaring'])}")
        om = rd[rd["matt"] == "omdome"].sort_values("ar")
        if len(om) and len(pl) and int(om.iloc[-1]["ar"]) == int(pl.iloc[-1]["ar"]):
            parts.append(esc(om.iloc[-1]["forklaring"]))
    label = " <em>(exempeldata)</em>" if k.exempeldata else ""
    return Html(f"<p>{' '.join(parts)}{label} Mer i kapitlet <a href=\"foretagsklimat.html\">Företagsklimatet</a>.</p>")
