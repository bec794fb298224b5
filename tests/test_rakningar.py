"""One count everywhere: every page's counts of targets and åtgärder, as readers see them, are the
numbers in the record of the page that computed them (the hidden tables of its notebook).

Built once on the shipped data (the `shipped_book` fixture): the start page, the samlad analys,
each målområde and each åtgärd page.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from helpers.present.html import plain_text
from helpers.run.record import record_of

pytestmark = pytest.mark.slow


def _record(layout, page: str) -> dict[str, dict]:
    return record_of(nbformat.read(layout.edition(2026) / f"{page}.ipynb", as_version=4))


def _row(table: dict, key: str, value) -> dict:
    rows = [dict(zip(table["kolumner"], r)) for r in table["rader"]]
    return next(r for r in rows if str(r[key]) == str(value))


NUMBER_WORDS = {w: i for i, w in enumerate(
    "noll en två tre fyra fem sex sju åtta nio tio elva tolv".split())} | {"ett": 1, "inget": 0}


def _count(said: str) -> int:
    """'3', 'tre', 'Ett' -> the number: running text writes one to twelve in words."""
    said = said.lower()
    return int(said) if said.isdigit() else NUMBER_WORDS[said]


def _text(layout, page: str) -> str:
    return plain_text((layout.html(2026) / f"{page}.html").read_text(encoding="utf-8"))


def test_each_atgard_page_says_the_counts_of_its_record(shipped_book):
    layout, _ = shipped_book
    pages = sorted(p.stem for p in layout.edition(2026).glob("atgard_*.ipynb"))
    assert len(pages) == 17
    for page in pages:
        counts = _record(layout, page)["maluppfyllelse"]
        row = dict(zip(counts["kolumner"], counts["rader"][0]))
        text = _text(layout, page)
        if int(row["bedomda"]):
            said = re.search(r"Mål: (\d+) av (\d+) uppfyll", text)
            assert said, page
            assert (int(said.group(1)), int(said.group(2))) == (int(row["uppfyllda"]), int(row["bedomda"])), page


def test_the_samlad_analys_and_the_start_page_say_the_counts_of_the_record(shipped_book):
    layout, _ = shipped_book
    total = _row(_record(layout, "samlad_analys")["maluppfyllelse_malomraden"], "malomrade_id", "alla")
    judged, met = int(total["bedomda"]), int(total["uppfyllda"])
    start = _text(layout, "index")
    assert f"Av {judged} mål som skulle vara uppfyllda i år är {met} uppfyllda" in start
    assert f"Mål uppfyllda | {met} av {judged}" in start or f"{met} av {judged}" in start
    samlad = _text(layout, "samlad_analys")
    line = next(t for t in samlad.splitlines() if t.startswith("Hela handlingsplanen"))
    cells = [c.strip() for c in line.split("|")]
    assert int(cells[1]) + int(cells[2]) == met  # uppfyllt + uppfyllt för sent
    assert sum(int(c) for c in cells[1:5]) == judged  # … + ej uppfyllt + uppgift saknas


def test_each_malomrade_page_says_the_counts_of_its_record(shipped_book):
    layout, _ = shipped_book
    for mo in range(1, 7):
        page = f"malomrade_{mo}"
        row = _row(_record(layout, page)["maluppfyllelse"], "malomrade_id", mo)
        samlad = _row(_record(layout, "samlad_analys")["maluppfyllelse_malomraden"], "malomrade_id", mo)
        assert (row["uppfyllda"], row["bedomda"]) == (samlad["uppfyllda"], samlad["bedomda"]), page
        if int(row["bedomda"]):
            said = re.search(r"Måluppfyllelse: ([^.]*?) av (\w+) mål som skulle vara uppfyll(?:t|da)",
                             _text(layout, page))
            assert said, page
            met = re.match(r"(\w+) uppfyll", said.group(1))
            assert (_count(met.group(1)) if met else 0, _count(said.group(2))) == (
                int(row["uppfyllda"]), int(row["bedomda"])), page
