"""Kolada (RKA's open API): fetch published key figures, keep them unchanged, read them offline.

The book never talks to the network. `python -m helpers hamta kolada` fetches, and everything it
fetched lives under `data/external/kolada/` (see docs/kolada.md). Three parts:

- `client`  the HTTP client: timeouts, retries with back-off, paging, Swedish errors;
- `store`   raw answers kept as they came, their index, KPI metadata and the tidy values;
- `mapping` which KPI feeds which series, and how fetched values join the Insikt table.

This module names the parts' public functions so callers say `kolada.hamta(…)`.
"""

from helpers.data.kolada.client import (
    DEFAULT_BASE_URL,
    ENV_BASE_URL,
    KALLA,
    Klient,
    KoladaError,
    Svar,
    base_url,
    default_years,
    parse_ids,
    parse_years,
    years_text,
)
from helpers.data.kolada.mapping import (
    AVRUNDNING,
    PERIOD_TILL_MATAR,
    confirmed_kpis,
    context_rows,
    expected_titles,
    insikt_rows,
    mapping_rows,
    merge_insikt,
)
from helpers.data.kolada.store import (
    INDEX,
    INDEX_COLUMNS,
    PER_MEDLEM,
    SVAR_DIR,
    Lagrat,
    Resultat,
    folder,
    group_rows,
    hamta,
    kpi_rows,
    load_stored,
    per_member,
    sok,
    unit_from_title,
    value_rows,
)

__all__ = [
    "AVRUNDNING", "DEFAULT_BASE_URL", "ENV_BASE_URL", "INDEX", "INDEX_COLUMNS", "KALLA",
    "PERIOD_TILL_MATAR", "PER_MEDLEM", "SVAR_DIR", "KoladaError", "Klient", "Lagrat", "Resultat", "Svar",
    "base_url", "confirmed_kpis", "context_rows", "default_years", "expected_titles", "folder", "group_rows", "hamta",
    "insikt_rows", "kpi_rows", "load_stored", "mapping_rows", "merge_insikt", "parse_ids", "parse_years", "per_member",
    "sok", "unit_from_title", "value_rows", "years_text",
]
