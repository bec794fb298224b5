"""One Excel cell as the project's CSV text: the single conversion the importer uses for every
answer, so a number, a date or an id reads the same whichever sheet it came from."""

from __future__ import annotations

import datetime as dt
import re

from helpers.core.fmt import exact_sv
from helpers.data.schema import parse_number, thousands_ambiguous

_ISO_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")


def cell_text(value, kind: str, choices: tuple[str, ...] = ()) -> str:
    """One cell as the CSV text of the project. kind: id | text | number | date | choice."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if kind == "id":  # '1.1' must stay '1.1', never '1,1'
            return str(int(value)) if float(value).is_integer() else repr(float(value))
        return exact_sv(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind == "number":
        number = parse_number(text)
        if number is None or thousands_ambiguous(text, whole=False):
            return text  # left as typed, so the check names it ('1.000': tusen or ett?)
        return exact_sv(number)
    if kind == "date":
        m = _ISO_MIDNIGHT.match(text)
        return m.group(1) if m else text
    if kind == "choice" and text.lower() in choices:
        return text.lower()
    return text
