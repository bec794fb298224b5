"""Altair charts rendered to SVG with vl-convert, embedded as images with real alt text.

SVG through vl-convert needs no network and no JavaScript, so the static book works offline; the
alt text describes the data so the chart is not the only way to read it (WCAG 1.1.1).

Charts are drawn so that they cannot mislead: years are placed on a real time axis and a line is
only drawn between neighbouring years with comparable values (a gap stays a gap), value axes
start at zero or show the measure's whole scale, real published values and exempeldata are
separate series (different point shapes and line styles, never joined by a line), and every colour
has its word next to it.
"""

from __future__ import annotations

import base64
import copy
import functools
import html

import altair as alt
import pandas as pd

from helpers.core.fmt import number_sv
from helpers.present.html import Html

FONT = "DejaVu Sans, Arial, sans-serif"
LINE = "#0052cc"
REAL = "verkligt värde"
EXEMPEL = "exempeldata"

# The whole scale of each measure: a chart of a 1–6 score shows 1–6, an index 0–100.
SCALES = {"%": (0, 100), "index": (0, 100), "betyg": (1, 6)}


def _config(chart: alt.Chart) -> alt.Chart:
    return (chart.configure(font=FONT)
            .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#222")
            .configure_legend(labelFontSize=12, titleFontSize=12)
            .configure_title(fontSize=14, anchor="start", color="#222")
            .configure_view(stroke=None))


@functools.cache
def _config_dict() -> dict:
    """The house configuration as Vega-Lite JSON, made (and validated) by Altair once."""
    return _config(alt.Chart(pd.DataFrame()).mark_point()).to_dict()["config"]


def _merged(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merged(out[key], value) if isinstance(out.get(key), dict) and isinstance(value, dict) else value
    return out


def spec(chart: alt.Chart) -> dict:
    """The chart's Vega-Lite JSON with the house configuration: the same JSON as
    `_config(chart).to_dict()`, without copying the whole chart once per configure call.

    Not validated against the Vega-Lite schema again on every draw (a third of Altair's cost per
    chart): the charts are made by the code here, and the tests draw every kind of chart and check
    that its JSON is what Altair's validating `to_dict()` gives."""
    out = chart.to_dict(validate=False)
    out["config"] = _merged(out.get("config", {}), copy.deepcopy(_config_dict()))
    return out


def to_svg(chart: alt.Chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec(chart), format_locale="sv-SE", time_format_locale="sv-SE")


def figure(chart: alt.Chart, alt_text: str, caption: str) -> Html:
    """An <img> with the SVG inline as a data URI: no id clashes between charts, real alt text."""
    svg = to_svg(chart)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Html(
        f'<figure class="uppf-diagram"><img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt_text)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def runs(years: list[int], joined: list[bool] | None = None, kinds: list | None = None) -> list[int]:
    """A run number per point: a new run starts after a missing year, where `joined` is False, or
    where the kind of value changes (`kinds`: real or exempeldata).

    Lines are drawn within a run only, so two values years apart are never drawn as neighbours,
    and a real figure is never joined to an invented one.
    """
    out, run = [], 0
    for i, year in enumerate(years):
        if i and (year - years[i - 1] > 1 or (joined is not None and not joined[i])
                  or (kinds is not None and kinds[i] != kinds[i - 1])):
            run += 1
        out.append(run)
    return out


def kind_dash(legend: bool = True) -> alt.StrokeDash:
    """Solid lines for real values, dashed for exempeldata: the two series look different too.

    Vega-Lite merges this legend with the point shapes' (same field), so both show in one key; a
    chart without a shape legend passes `legend=False` (a hidden dash legend would hide both)."""
    return alt.StrokeDash("typ:N", title=None, legend=alt.Legend(orient="bottom") if legend else None,
                          scale=alt.Scale(domain=[REAL, EXEMPEL], range=[[1, 0], [6, 3]]))


def year_axis(years: list[int], title: str = "År") -> alt.X:
    """A real time axis with a tick per year (never an ordinal axis that closes gaps)."""
    lo, hi = min(years), max(years)
    return alt.X("ar:Q", title=title, scale=alt.Scale(domain=[lo - 0.5, hi + 0.5], nice=False),
                 axis=alt.Axis(values=list(range(lo, hi + 1)), format="d", labelAngle=0))


def trend(series: pd.DataFrame, title: str, unit: str, *, decimals: int | None = None, note: str = "",
          joined: list[bool] | None = None) -> Html:
    """Line chart of one indicator over the years (columns ar, varde, exempeldata).

    `unit`: 'st', 'medelvärde', '%', 'index' or 'betyg'; `joined[i]` False breaks the line
    before point i (its period is not comparable with the one before).
    """
    data = series.dropna(subset=["varde"]).astype({"ar": int}).reset_index(drop=True)
    data["typ"] = data["exempeldata"].map(lambda e: EXEMPEL if bool(e) else REAL)
    data["run"] = runs(data["ar"].tolist(), joined, data["typ"].tolist())
    data["etikett"] = data["varde"].map(lambda v: number_sv(v, decimals))
    y_title = {"%": "Andel (%)", "index": "Index (0–100)", "betyg": "Betyg (1–6)", "medelvärde": "Medelvärde"}.get(
        unit, "Antal")
    lo, hi = SCALES.get(unit, (0, None))
    scale = alt.Scale(domain=[lo, hi]) if hi is not None else alt.Scale(zero=True, nice=True)
    # The data is given once, to the layer: Altair need not compare three copies to lift it there.
    base = alt.Chart().encode(x=year_axis(data["ar"].tolist()),
                                  y=alt.Y("varde:Q", title=y_title, scale=scale,
                                          axis=alt.Axis(format=",d", tickMinStep=1) if unit == "st" else alt.Axis()))
    kinds = [k for k in (REAL, EXEMPEL) if k in set(data["typ"])]
    shape = alt.Shape("typ:N", title=None, scale=alt.Scale(domain=[REAL, EXEMPEL], range=["circle", "square"]),
                      legend=alt.Legend(orient="bottom") if len(kinds) > 1 else None)
    # Channel objects, not "run:N" shorthands: Altair would look each shorthand's class up in its schema.
    chart = alt.layer(base.mark_line(color=LINE, strokeWidth=2).encode(detail=alt.Detail("run:N"),
                                                                       strokeDash=kind_dash(len(kinds) > 1)),
                      base.mark_point(color=LINE, filled=True, size=70, opacity=1).encode(shape=shape),
                      base.mark_text(dy=-12, color="#222").encode(text=alt.Text("etikett:N")), data=data,
                      width=420, height=200, title=_wrap(title))
    points = "; ".join(f"{int(r.ar)}: {r.etikett}" + (" (exempeldata)" if r.typ == EXEMPEL and len(kinds) > 1 else "")
                       for r in data.itertuples())
    label = "exempeldata, " if kinds == [EXEMPEL] else ""
    alt_text = f"Linjediagram ({label}{y_title.lower()}) för {title}. Värden per år: {points or 'inga värden'}.{note}"
    marks = (" Runda punkter och hel linje är verkliga värden, fyrkantiga punkter och streckad linje exempeldata; "
             "de är skilda serier och förbinds inte." if len(kinds) > 1 else "")
    return figure(chart, alt_text, f"{title}{' (exempeldata)' if kinds == [EXEMPEL] else ''}.{marks}{note}")


def stacked_counts(frame: pd.DataFrame, category: str, colours: dict[str, str], title: str, y_label: str,
                   caption: str) -> Html:
    """Horizontal stacked bars of counts (columns: label, category, antal), each segment labelled
    with its count so colour is never the only way to read it."""
    order = [c for c in colours if c in set(frame[category])]
    frame = frame[frame[category].isin(order)].copy()
    frame["ordning"] = frame[category].map(order.index)
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("antal:Q", title="Antal", stack="zero", axis=alt.Axis(tickMinStep=1, format="d")),
        order=alt.Order("ordning:Q"),
    )
    bars = base.mark_bar(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color(f"{category}:N", title=None, sort=order,
                        scale=alt.Scale(domain=order, range=[colours[c] for c in order]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")))
    labels = base.transform_filter(alt.datum.antal > 0).mark_text(color="#ffffff", fontWeight="bold", dx=-8,
                                                                    align="right").encode(
        x=alt.X("antal:Q", stack="zero"), text="antal:Q")
    chart = (bars + labels).properties(width=420, title=title)
    text = "; ".join(
        f"{label}: " + ", ".join(f"{r[category]} {int(r['antal'])}" for _, r in grp.iterrows() if r["antal"])
        for label, grp in frame.groupby("label", sort=False)
    )
    return figure(chart, f"Stapeldiagram: {title}. {text}.", caption)


def _wrap(text: str, width: int = 60) -> list[str] | str:
    if len(text) <= width:
        return text
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return lines
