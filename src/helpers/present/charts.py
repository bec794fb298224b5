"""Altair charts rendered to SVG with vl-convert, embedded as images with real alt text.

SVG through vl-convert needs no network and no JavaScript, so the static book works offline; the
alt text describes the data so the chart is not the only way to read it (WCAG 1.1.1).
"""

from __future__ import annotations

import base64
import html

import altair as alt
import pandas as pd

from helpers.core.fmt import number_sv
from helpers.present.html import Html

# Colours with at least 3:1 contrast against white and distinguishable without colour (labels too).
UTFALL_FARGER = {"uppfyllt": "#1a6e35", "delvis uppfyllt": "#8a4500", "ej uppfyllt": "#a4241b", "ej bedömt": "#595959"}
STATUS_FARGER = {"ej påbörjad": "#595959", "pågående": "#1f5fa8", "genomförd": "#1a6e35", "avslutad": "#4b2c7f",
                 "status saknas": "#a4241b"}
FONT = "DejaVu Sans, Arial, sans-serif"


def _config(chart: alt.Chart) -> alt.Chart:
    return (chart.configure(font=FONT)
            .configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#222")
            .configure_legend(labelFontSize=12, titleFontSize=12)
            .configure_title(fontSize=14, anchor="start", color="#222")
            .configure_view(stroke=None))


def to_svg(chart: alt.Chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(_config(chart).to_dict(), format_locale="sv-SE", time_format_locale="sv-SE")


def figure(chart: alt.Chart, alt_text: str, caption: str) -> Html:
    """An <img> with the SVG inline as a data URI: no id clashes between charts, real alt text."""
    svg = to_svg(chart)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Html(
        f'<figure class="uppf-diagram"><img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt_text)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def trend(series: pd.DataFrame, title: str, unit: str, *, exempeldata: bool = False, note: str = "") -> Html:
    """Line chart of one indicator over the years (columns ar, varde)."""
    data = series.dropna(subset=["varde"]).astype({"ar": int})
    y_title = {"%": "Andel (%)", "index": "Index (0–100)", "betyg": "Betyg (1–6)"}.get(unit, "Antal")
    base = alt.Chart(data).encode(
        x=alt.X("ar:O", title="År", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("varde:Q", title=y_title, scale=alt.Scale(zero=unit not in ("index", "betyg")),
                axis=alt.Axis(format=",d", tickMinStep=1) if unit == "st" else alt.Axis()),
    )
    chart = (base.mark_line(color="#1f5fa8", strokeWidth=2) + base.mark_point(color="#1f5fa8", filled=True, size=60)
             + base.mark_text(dy=-10, color="#222").encode(text=alt.Text("varde:Q", format=",.4~f")))
    chart = chart.properties(width=420, height=200, title=_wrap(title))
    points = "; ".join(f"{int(r.ar)}: {number_sv(r.varde)}" for r in data.itertuples())
    label = "exempeldata, " if exempeldata else ""
    alt_text = f"Linjediagram ({label}{y_title.lower()}) för {title}. Värden per år: {points or 'inga värden'}.{note}"
    return figure(chart, alt_text, f"{title}{' (exempeldata)' if exempeldata else ''}.{note}")


def stacked_counts(frame: pd.DataFrame, category: str, colours: dict[str, str], title: str, y_label: str,
                   caption: str) -> Html:
    """Horizontal stacked bars of counts (columns: label, category, antal)."""
    order = [c for c in colours if c in set(frame[category])]
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("antal:Q", title="Antal", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color(f"{category}:N", title=None, sort=order,
                        scale=alt.Scale(domain=order, range=[colours[c] for c in order]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        order=alt.Order("ordning:Q"),
    ).properties(width=420, title=title)
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
