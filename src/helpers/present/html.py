"""HTML building blocks for the book: accessible tables, badges, key facts, the exempeldata banner.

Outputs are plain HTML (with captions, scoped headers and text next to every colour) because
myst-nb passes HTML outputs through unchanged, so what the notebook shows is what readers get.
Every text that comes from data goes through `esc`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from helpers.compute.targets import EJ_AKTUELLT, EJ_BEDOMT
from helpers.core.fmt import capitalised
from helpers.core.missing import blank
from helpers.core.text import quotes_sv
from helpers.present.farger import SIGNAL_FARGER, SIGNAL_SYMBOL, STATUS_FARGER, UTFALL_FARGER


class Html(str):
    """A string that Jupyter displays as HTML (no IPython import needed in the helpers).

    Its plain-text form in the notebook is the text a reader sees, images as their alt text, not
    the markup again: the executed notebook stays readable as text and does not carry every chart
    twice."""

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython's text/plain (str's own would win in a mimebundle)
        printer.text(plain_text(self, images=True))


_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"<(?:br\b[^>]*|/(?:p|div|li|tr|table|caption|figcaption|figure|h[1-6]|dt|dd|dl|ul|ol|blockquote|section))>",
                        re.IGNORECASE)
_CELL_END = re.compile(r"</t[dh]>", re.IGNORECASE)
_BEFORE_PUNCTUATION = re.compile(r" ([,.;:!?)])")  # where an inline tag ended right before it
_IMG_ALT = re.compile(r'<img\b[^>]*?\balt="([^"]*)"[^>]*>', re.IGNORECASE)


def plain_text(markup: str, *, images: bool = False) -> str:
    """The text of an HTML fragment as a reader sees it: tags removed, entities decoded, one line
    per block and table row, cells separated by ' | '; with `images`, each image as [its alt text]."""
    if images:
        markup = _IMG_ALT.sub(lambda m: f" [{m.group(1)}] ", markup)
    markup = _CELL_END.sub(" | ", _BLOCK_END.sub("\n", markup))
    lines = (_BEFORE_PUNCTUATION.sub(r"\1", " ".join(html.unescape(_TAG.sub(" ", line)).split()))
             for line in markup.split("\n"))
    return "\n".join(line.removesuffix(" |") for line in lines if line and line != "|")


def esc(value) -> str:
    """Text from data as reader text: HTML-escaped, its quote marks the Swedish ”…”."""
    return "" if blank(value) else html.escape(quotes_sv(value))


def _slug(text: str) -> str:
    table = str.maketrans("åäöé ", "aaoe-")
    return text.lower().translate(table)


def _badge(kind: str, key: str, label: str, colour: str | None, symbol: str = "") -> str:
    style = f' style="background-color:{colour}"' if colour else ""
    mark = f'<span aria-hidden="true">{esc(symbol)} </span>' if symbol else ""
    return (f'<span class="uppf-{kind} uppf-{kind}-{_slug(key)}{"" if colour else " uppf-kontur"}"{style}>'
            f"{mark}{esc(capitalised(label))}</span>")


def status_badge(status: str) -> str:
    return _badge("status", status, status, STATUS_FARGER.get(status))


def utfall_badge(utfall: str, detalj: str | None = None) -> str:
    """The judgement's one label on every page; for *ej bedömt ännu* and *ej aktuellt* the why after it."""
    why = f' <small class="uppf-varfor">({esc(detalj)})</small>' if utfall in (EJ_BEDOMT, EJ_AKTUELLT) and detalj else ""
    return _badge("utfall", utfall, utfall, UTFALL_FARGER.get(utfall)) + why


def signal_badge(signal: str) -> str:
    """Enligt plan / avvikelse / ej aktuell: colour, symbol and word."""
    return _badge("signal", signal, signal, SIGNAL_FARGER.get(signal), SIGNAL_SYMBOL.get(signal, ""))


def exempel_banner(files: list[Path], real_note: str | None = None) -> Html:
    """Say plainly, on every page built from invented data, that it is invented."""
    if not files:
        return Html("")
    # Which files are invented is the archive's business (the record tables name them); readers get words.
    extra = f" {esc(real_note)}" if real_note else ""
    return Html(
        '<div class="uppf-exempeldata" role="note"><strong>Exempeldata.</strong> '
        f"Siffrorna och kommentarerna på sidan är påhittade för att visa hur rapporten fungerar.{extra} "
        '<a href="om_rapporten.html#exempeldata-och-verkliga-siffror">Mer om exempeldata</a>.</div>'
    )


def table(headers: list[str], rows: list[list[str]], caption: str, *, row_header: bool = True,
          numeric: set[int] | None = None, cls: str = "", labels: bool = False) -> Html:
    """An accessible table: caption, column headers with scope, first cell as row header.

    Cells are HTML already (callers escape text with `esc`). With `labels`, every data cell carries
    its column's name (data-label), so that on a phone the CSS can show each row as a card.
    """
    numeric = numeric or set()
    names = [html.escape(plain_text(h), quote=True) for h in headers]
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{h}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            attr = ' class="num"' if i in numeric else ""
            if labels and i < len(names):
                attr += f' data-label="{names[i]}"'
            if i == 0 and row_header:
                cells.append(f'<th scope="row"{attr}>{cell}</th>')
            else:
                cells.append(f"<td{attr}>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return Html(
        f'<div class="uppf-tabell-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f'<table class="uppf-tabell {cls}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def facts(pairs: list[tuple[str, str]], label: str) -> Html:
    """A description list (label: value) for the chapter's key facts."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return Html(f'<dl class="uppf-fakta" aria-label="{esc(label)}">{items}</dl>')
