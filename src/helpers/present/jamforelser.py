"""The företagsklimat chapter's comparisons: NKI beside Riket and the comparison groups (latest year
and over time), the members of "liknande kommuner", and the strategy's context KPIs.

Every table says where its values come from: *Källa: Kolada* with the fetch date for fetched
values, *exempeldata* for the shipped invented ones (and, when a table mixes them, on each
invented cell).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from helpers.compute import jamforgrupper as jg
from helpers.core.fmt import SAKNAS, list_sv, number_sv
from helpers.core.missing import blank
from helpers.data import fakta
from helpers.present.charts import figure, runs, year_axis
from helpers.present.html import Html, esc, table

EX = "(ex.)"  # marks an invented value in a table that also holds real ones
ORD = {jg.OVER: "över", jg.UNDER: "under", jg.INOM: "i nivå", jg.OKAND: "ej prövat"}
ORD_FORKLARING = ("”över” och ”under” betyder en säkerställd skillnad (95 %), ”i nivå” att skillnaden ligger inom "
                  "felmarginalen och ”ej prövat” att kommunens felmarginal saknas")


def _data(an):
    k = an.klimat
    if k is None or k.jamforelser is None:
        return None, None, pd.DataFrame()
    return k, k.jamforelser, jg.insikt_table(k, k.jamforelser)


def _sources(frame: pd.DataFrame, what: str) -> str:
    """One line naming the sources of the values in `frame` (never 'Källa: Kolada' for invented ones)."""
    if frame.empty:
        return ""
    fetched = frame[~frame["exempeldata"].astype(bool) & frame["kalla"].astype(str).str.startswith("Kolada")]
    parts = []
    if len(fetched):
        dates = sorted({k.rsplit("hämtat ", 1)[-1] for k in fetched["kalla"] if "hämtat " in k})
        ids = sorted({k.split("nyckeltal ", 1)[1].split(" ", 1)[0].rstrip(",") for k in fetched["kalla"] if "nyckeltal " in k})
        parts.append(f"Källa: Kolada (nyckeltal {', '.join(ids)}; hämtat {', '.join(dates)}).")
    other = frame[~frame["exempeldata"].astype(bool) & ~frame["kalla"].astype(str).str.startswith("Kolada")]
    if len(other):
        parts.append("Kommunens och rikets publicerade värden: källa enligt historiken nedan.")
    if frame["exempeldata"].astype(bool).any():
        which = f"{what} märkta {EX}" if _mixed(frame) else f"alla {what}"
        parts.append(f"Exempeldata: {which} är påhittade tills de riktiga värdena har hämtats från Kolada.")
    return f"<p><small>{esc(' '.join(parts))}</small></p>"


def _cell(r, mixed: bool, decimals: int = 0) -> str:
    if r is None or blank(r["varde"]):
        return SAKNAS
    value = number_sv(round(float(r["varde"]), decimals) if decimals else round(float(r["varde"])), decimals or None)
    return value + (f" <small>{EX}</small>" if mixed and bool(r["exempeldata"]) else "")


def _mixed(frame: pd.DataFrame) -> bool:
    return len(frame) > 0 and frame["exempeldata"].astype(bool).nunique() > 1


def intro(an) -> Html:
    k, jd, t = _data(an)
    if jd is None:
        return Html("<p>Inga jämförelsegrupper finns ännu: de visas när värdena har hämtats från Kolada.</p>")
    groups = []
    for g in jd.grupper:
        n = f"{len(g.medlemmar)} kommuner" if g.medlemmar else "Koladas grupp"
        groups.append(f"{g.namn} ({g.id}, {n}{', utan kommunen själv' if g.per_medlem else ''})")
    return Html(
        f"<p>En siffra säger mer bredvid andras. Här jämförs {esc(jg.fakta_kommun(jd))} med riket och med Koladas "
        f"jämförelsegrupper: {esc(list_sv(groups))}. En grupps värde är det ovägda medlet av medlemmarnas värden. "
        "Skillnaden mot ett medel bedöms med samma regel som kommunens egna förändringar: den kallas säkerställd "
        "när den är större än felmarginalen i kommunens resultat (95 %). Medlet själv har ingen publicerad "
        "felmarginal och räknas som en fast jämförelse. Gamla och nya totalt (seriebrottet 2024) jämförs aldrig "
        "med varandra: varje år jämförs med gruppernas värden för samma definition.</p>")


def _standing_rows(t: pd.DataFrame, jd, year: int, mixed: bool) -> list[list[str]]:
    """One row per område with a value for the kommun in `year`: its value, then each reference's
    value with where the kommun stands beside it."""
    here = t[t["ar"] == year]
    rows = []
    for omrade in [fakta.TOTALT, *fakta.OMRADEN]:
        serie = f"insikt:{omrade}:nki"
        sub = here[here["serie"] == serie]
        own = sub[sub["typ"] == "kommun"]
        if own.empty:
            continue
        standing = {s.referens: s for s in jg.standing(t, jd, serie, year)}
        cells = [_cell(own.iloc[0], mixed)]
        for unit, name in jg.references(jd):
            ref = sub[(sub["enhet_id"] == unit) & sub["typ"].isin(["riket", "grupp"])]
            s = standing.get(name if unit == "0000" else f"medlet i {name}")
            cells.append(SAKNAS if ref.empty else f"{_cell(ref.iloc[0], mixed)} <small>({ORD[s.lage]})</small>")
        label = f"<strong>{fakta.TOTALT_NAMN}</strong>" if omrade == fakta.TOTALT else esc(fakta.OMRADEN[omrade])
        rows.append([label, *cells])
    return rows


def nki_earlier(an, years: int = 3) -> Html:
    """Each område beside the same references in the earlier measurement years (over time)."""
    k, jd, t = _data(an)
    latest = jg.latest_year(t) if len(t) else None
    if latest is None:
        return Html("")
    shown = sorted(y for y in t.loc[t["typ"] == "kommun", "ar"].unique() if y < latest)[-years:]
    if not shown:
        return Html("")
    part = t[t["ar"].isin(shown)]
    mixed = _mixed(part)
    rows = []
    for year in reversed(shown):
        for row in _standing_rows(t, jd, int(year), mixed):
            rows.append([f"{row[0]} {int(year)}", *row[1:]])
    refs = jg.references(jd)
    headers = ["Område och mätår", esc(jg.fakta_kommun(jd)), *(esc(n) for _, n in refs)]
    caption = f"NKI mätår {int(shown[0])}–{int(shown[-1])}: kommunen bredvid riket och jämförelsegruppernas medel"
    return Html(table(headers, rows, caption, numeric=set(range(1, len(headers)))) + _sources(part, "värden"))


def nki_beside(an) -> Html:
    """The latest measurement year: NKI totalt and each område for the kommun, Riket and each group
    mean, each reference with where the kommun stands, and the totalt standing in words."""
    k, jd, t = _data(an)
    year = jg.latest_year(t) if len(t) else None
    if year is None:
        return Html("")
    refs = jg.references(jd)
    here = t[t["ar"] == year]
    rows = _standing_rows(t, jd, year, _mixed(here))
    headers = ["Område", esc(jg.fakta_kommun(jd)), *(esc(n) for _, n in refs)]
    caption = f"NKI mätår {year}: kommunen bredvid riket och jämförelsegruppernas medel"
    words = jg.standing(t, jd, jg.TOTALT_NKI, year)
    own = here[(here["serie"] == jg.TOTALT_NKI) & (here["typ"] == "kommun")]
    text = ""
    if words and len(own):
        text = (f"<p>NKI totalt för {esc(jg.fakta_kommun(jd))} var {number_sv(round(float(own.iloc[0]['varde'])))} "
                f"mätår {year}: " + esc("; ".join(s.text for s in words)) + ".</p>")
    note = f"<p><small>Inom parentes: kommunen jämfört med värdet, där {esc(ORD_FORKLARING)}.</small></p>"
    return Html(text + table(headers, rows, caption, numeric=set(range(1, len(headers)))) + note + _sources(here, "värden"))


def nki_over_time(an) -> Html:
    """NKI totalt per year for the kommun, Riket and each group mean; lines break at the 2024 break."""
    k, jd, t = _data(an)
    if t.empty:
        return Html("")
    data = t[(t["serie"] == jg.TOTALT_NKI) & t["typ"].isin(["kommun", "riket", "grupp"])].copy()
    if data.empty:
        return Html("")
    data["ar"] = data["ar"].astype(int)
    order = [jg.fakta_kommun(jd), *(n for _, n in jg.references(jd))]
    breaks = [y for y, _ in fakta.TOTALT_DEFINITIONER if y > 0 and data["ar"].min() < y <= data["ar"].max()]
    data["run"] = ""
    for name, grp in data.groupby("namn"):
        grp = grp.sort_values("ar")
        period = grp["ar"].map(lambda y: sum(y >= b for b in breaks))
        data.loc[grp.index, "run"] = [f"{name}-{p}-{r}" for p, r in zip(period, runs(grp["ar"].tolist()))]
    palette = ["#0052cc", "#595959", "#8a4b00", "#2e7d32", "#6a1b9a", "#00695c"]
    colour = alt.Color("namn:N", title=None, sort=order, scale=alt.Scale(domain=order, range=palette[:len(order)]),
                       legend=alt.Legend(orient="bottom", columns=2, labelLimit=320))
    base = alt.Chart(data).encode(x=year_axis(data["ar"].tolist(), "Mätår"), color=colour)
    y = alt.Y("varde:Q", title="NKI totalt (0–100)", scale=alt.Scale(zero=False))
    layers = [base.mark_line().encode(y=y, detail="run:N"), base.mark_point(filled=True, size=40).encode(y=y)]
    for year in breaks:
        marker = pd.DataFrame({"ar": [year - 0.5], "text": [f"Seriebrott {year}"]})
        layers.append(alt.Chart(marker).mark_rule(color="#a4241b", strokeDash=[4, 4]).encode(x="ar:Q"))
        layers.append(alt.Chart(marker).mark_text(color="#a4241b", align="left", dx=4, y=8).encode(x="ar:Q", text="text:N"))
    chart = alt.layer(*layers).properties(width=460, height=240, title="NKI totalt: kommunen och jämförelserna")
    points = "; ".join(f"{n}: " + ", ".join(f"{int(r.ar)} {number_sv(round(r.varde))}" for r in g.sort_values("ar").itertuples())
                       for n, g in sorted(data.groupby("namn"), key=lambda x: order.index(x[0]) if x[0] in order else 99))
    brk = f" Seriebrott {', '.join(map(str, breaks))}: linjerna bryts där." if breaks else ""
    label = " Jämförelsevärdena är exempeldata." if data["exempeldata"].astype(bool).any() else ""
    return figure(chart, f"Linjediagram: NKI totalt per mätår för kommunen, riket och jämförelsegruppernas medel. {points}.{brk}",
                  f"NKI totalt per mätår, kommunen bredvid riket och gruppernas ovägda medel.{brk}{label}")


def members(an) -> Html:
    """NKI totalt in the latest year for each member of "liknande kommuner", with the kommun itself."""
    k, jd, t = _data(an)
    year = jg.latest_year(t) if len(t) else None
    if year is None:
        return Html("")
    out = []
    for g in (g for g in jd.grupper if g.per_medlem):
        ids = [m for m, _ in g.medlemmar]
        sub = t[(t["serie"] == jg.TOTALT_NKI) & (t["ar"] == year) & (t["enhet_id"].isin(ids)) & (t["typ"] == "medlem")]
        own = t[(t["serie"] == jg.TOTALT_NKI) & (t["ar"] == year) & (t["typ"] == "kommun")]
        mean = t[(t["serie"] == jg.TOTALT_NKI) & (t["ar"] == year) & (t["enhet_id"] == g.id)]
        shown = pd.concat([sub, own, mean.assign(namn=f"Medel för gruppen ({g.namn})")]).sort_values("varde", ascending=False)
        mixed = _mixed(shown)
        rows = [[(f"<strong>{esc(r['namn'])}</strong>" if r["typ"] == "kommun" else f"<em>{esc(r['namn'])}</em>"
                  if r["typ"] == "grupp" else esc(r["namn"])), _cell(r, mixed)]
                for _, r in shown.iterrows()]
        missing = [n for m, n in g.medlemmar if m not in set(sub["enhet_id"])]
        note = (f"<p><small>Utan värde för {year}: {esc(list_sv(missing))} (visas inte i Kolada, t.ex. för få svar)."
                "</small></p>" if missing else "")
        out.append(table(["Kommun", f"NKI totalt {year}"], rows, f"{g.namn}: NKI totalt mätår {year} per kommun",
                         numeric={1}) + note + _sources(shown, "värden"))
    return Html("".join(out))


def context(an) -> Html:
    """The strategy's context: a few KPIs for the kommun, Riket and the groups, kept apart from the plan's indicators."""
    k = an.klimat
    jd = k.jamforelser if k is not None else None
    frame = jg.context_table(jd, an.year)
    if frame.empty:
        return Html("<p>Inga sammanhangsnyckeltal finns ännu.</p>")
    refs = [(jd.kommun_id, jg.fakta_kommun(jd)), *jg.references(jd)]
    mixed = _mixed(frame[frame["kalla"] != ""])
    rows, why = [], []
    for kpi_id, sub in frame.groupby("kpi_id", sort=False):
        first = sub.iloc[0]
        decimals = 2 if first["enhet"] == "antal/1000 inv" and sub["varde"].dropna().lt(1).any() else (
            0 if first["enhet"] in ("kr/inv", "antal") else 1)
        cells = []
        for unit, _ in refs:
            hit = sub[sub["enhet_id"] == unit]
            cells.append(_cell(hit.iloc[0], mixed, decimals) if len(hit) and not blank(hit.iloc[0]["varde"]) else SAKNAS)
        rows.append([f"{esc(first['namn'])} <small>({esc(first['enhet'])}, {esc(kpi_id)})</small>", str(int(first["ar"])),
                     *cells])
        why.append(f"<li><strong>{esc(first['namn'])}</strong>: {esc(first['varfor'])}</li>")
    headers = ["Nyckeltal", "År", *(esc(n) for _, n in refs)]
    intro_text = ("<p>Nyckeltalen här är <strong>inte</strong> handlingsplanens indikatorer och bedöms inte mot något "
                  "mål. De visar läget som strategin verkar i, för kommunen, riket och samma jämförelsegrupper, det "
                  "senaste år som finns.</p>")
    return Html(intro_text + table(headers, rows, f"Sammanhang för strategin: senaste år till och med {an.year}",
                                   numeric=set(range(2, len(headers))))
                + f"<ul>{''.join(why)}</ul>" + _sources(frame[frame["kalla"] != ""], "värden"))
