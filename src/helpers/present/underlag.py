"""Showing the record (underlag) in a notebook: readable tables for a person, exact JSON for a machine.

A record cell's output carries the same tables twice: as HTML (what an auditor sees when opening
the `.ipynb`) and as JSON under MIME (what the pipeline writes to `tabeller/*.csv`, what
`reproducera` compares and what the tests check against the page). Values keep their types in
the JSON: numbers stay numbers, missing stays null, dates are ISO strings.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from decimal import Decimal

import numpy as np
import pandas as pd

from helpers.compute.underlag import DESCRIPTIONS

MIME = "application/vnd.uppfoljningsboken.underlag+json"
HTML_ROWS = 50  # the HTML view shows this many rows of a table; the JSON (and tabeller/*.csv) has them all


def json_value(value):
    """A cell as plain JSON: None for every kind of missing, ISO dates, Python numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating, Decimal)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    return str(value)


def table_payload(frame: pd.DataFrame, name: str) -> dict:
    return {
        "beskrivning": DESCRIPTIONS.get(name, ""),
        "kolumner": [str(c) for c in frame.columns],
        "rader": [[json_value(v) for v in row] for row in frame.itertuples(index=False, name=None)],
    }


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return html.escape(str(value))


def _html(payload: dict) -> str:
    parts = [f"<p><strong>{html.escape(payload['titel'])}</strong> (dolt i boken, del av notebookens underlag)</p>"]
    for name, t in payload["tabeller"].items():
        head = "".join(f"<th>{html.escape(c)}</th>" for c in t["kolumner"])
        shown = t["rader"][:HTML_ROWS]
        body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in shown)
        more = (f"<p>… och {len(t['rader']) - len(shown)} rader till: alla finns i utdatans JSON och i "
                f"<code>tabeller/</code>.</p>" if len(t["rader"]) > len(shown) else "")
        parts.append(f"<details open><summary><code>{html.escape(name)}</code>: {html.escape(t['beskrivning'])} "
                     f"({len(t['rader'])} rader)</summary><table><thead><tr>{head}</tr></thead>"
                     f"<tbody>{body}</tbody></table>{more}</details>")
    return "".join(parts)


class Record:
    """Tables of a page's record, displayed by Jupyter as HTML with the exact JSON alongside."""

    def __init__(self, title: str, tables: dict[str, pd.DataFrame]):
        self.payload = {"titel": title, "tabeller": {name: table_payload(f, name) for name, f in tables.items()}}

    def __repr__(self) -> str:
        """The whole payload, deterministically: two records print alike only when their tables are alike."""
        return f"Record({json.dumps(self.payload, ensure_ascii=False, sort_keys=True, default=str)})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Record) and repr(self) == repr(other)

    __hash__ = None

    def _repr_mimebundle_(self, include=None, exclude=None):
        names = ", ".join(self.payload["tabeller"])
        return {MIME: self.payload, "text/html": _html(self.payload), "text/plain": f"{self.payload['titel']}: {names}"}


def record(title: str, tables: dict[str, pd.DataFrame]) -> Record:
    """The cell output of a record step: `record("Indata", underlag.inputs_atgard(an, atgard_id))`."""
    return Record(title, tables)
