"""What each page of the book reads, declared so the run cache knows when a page is stale.

Every page reads the whole register (`data/plan/`), the whole business-climate folder and the
names of all input files (the exempeldata banner lists them). Of a year's files (`data/<år>/`,
for every year the report reads: the report year and the history it compares with), the
aggregate page (samlad analys) reads everything; an åtgärd, målområde or företagsklimat page
reads only the rows listed here, by key: its own åtgärd's status, the status of the åtgärder it
links to, the values of its own indicators and of the indicators they repeat (`varde_fran`).

One corrected value for åtgärd 1.1 therefore changes the key of its own page, its målområde and
the samlad analys, and no other page. That the lists are complete is tested, not assumed: a page
rendered from only the rows it declares must equal the page rendered from all of them
(tests/test_cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.core.missing import blank

# The year files that can be read in slices, and the column that says whose row it is.
KEY_COLUMNS = {"status": "atgard_id", "indikatorvarden": "indikator_id", "lardomar": "atgard_id"}


@dataclass(frozen=True)
class Reads:
    """The rows of each year file a page reads; None means every row (the whole file)."""

    status: frozenset[str] | None = None
    indikatorvarden: frozenset[str] | None = None
    lardomar: frozenset[str] | None = None

    def rows(self, stem: str) -> frozenset[str] | None:
        return getattr(self, stem) if stem in KEY_COLUMNS else None

    def describe(self) -> str:
        parts = [f"{stem}: {'allt' if keys is None else ', '.join(sorted(keys)) or 'inga rader'}"
                 for stem in KEY_COLUMNS for keys in [self.rows(stem)]]
        return "; ".join(parts)


EVERYTHING = Reads()


def _with_sources(plan, indicator_ids) -> frozenset[str]:
    """Indicators plus those whose values they repeat (`varde_fran`), followed to the end."""
    ind = plan.indikatorer
    out: set[str] = set()
    todo = [str(i) for i in indicator_ids]
    while todo:
        iid = todo.pop()
        if iid in out:
            continue
        out.add(iid)
        if iid in ind.index and not blank(ind.at[iid, "varde_fran"]):
            todo.append(str(ind.at[iid, "varde_fran"]))
    return frozenset(out)


def _owners(plan, indicator_ids) -> set[str]:
    """Åtgärder whose status period dates the judgement of these indicators."""
    ind = plan.indikatorer
    return {str(ind.at[i, "atgard_id"]) for i in indicator_ids if i in ind.index and not blank(ind.at[i, "atgard_id"])}


def for_atgard(plan, atgard_id: str) -> Reads:
    """The åtgärd chapter: its status (and last year's), its indicators, and the linked åtgärder's status."""
    linked = set()
    for _, k in plan.links_of(atgard_id).iterrows():
        if k["typ"] == "åtgärd":
            linked.add(str(k["till_atgard"] if k["fran_atgard"] == atgard_id else k["fran_atgard"]))
    own = list(plan.indicators_of(atgard_id).index)
    return Reads(status=frozenset({atgard_id, *linked, *_owners(plan, own)}),
                 indikatorvarden=_with_sources(plan, own), lardomar=frozenset())


def for_malomrade(plan, malomrade_id: int) -> Reads:
    """The målområde chapter: its åtgärder's status and judgements, and its own indicators."""
    atgarder = {str(a) for a in plan.atgarder_in(malomrade_id).index}
    ind = plan.indikatorer
    ids = [i for i, m in ind.iterrows() if int(m["malomrade_id"]) == int(malomrade_id) or m["atgard_id"] in atgarder]
    return Reads(status=frozenset(atgarder | _owners(plan, ids)), indikatorvarden=_with_sources(plan, ids),
                 lardomar=frozenset())


def for_bilaga(plan, malomrade_id: int) -> Reads:
    """A målområde's appendix: what each of its åtgärd chapters reads (their indicators, links, status)."""
    parts = [for_atgard(plan, str(a)) for a in plan.atgarder_in(malomrade_id).index]
    return Reads(status=frozenset().union(*(p.status for p in parts)),
                 indikatorvarden=frozenset().union(*(p.indikatorvarden for p in parts)), lardomar=frozenset())


def for_klimat(plan) -> Reads:
    """The företagsklimat chapter: the climate files, and the judgements of indicators that follow a series."""
    ind = plan.indikatorer
    ids = [i for i, m in ind.iterrows() if not blank(m["serie"])]
    return Reads(status=frozenset(_owners(plan, ids)), indikatorvarden=_with_sources(plan, ids), lardomar=frozenset())
