"""Kolada (RKA's open API): fetch published key figures, keep them unchanged, read them offline.

The book never talks to the network. `python -m helpers hamta kolada` fetches, and everything it
fetched lives under `data/external/kolada/` (see docs/kolada.md):

- `svar/*.json`       every response body exactly as Kolada sent it, one file per request;
- `hamtningar.csv`    the index of those files: request URL, fetch time, HTTP status, sha256;
- `kpi.csv`           KPI metadata (title, unit, description, publication dates);
- `varden.csv`        the tidy values the book reads: one row per kpi, kommun, år and kön;
- `kpi_mappning.csv`  hand-kept: which KPI feeds which series, and whether its id is confirmed.

A fetch is all or nothing: every page is fetched and checked in memory before anything is
written, and each file is written to a temporary file, validated and only then moved into place,
so a failed, interrupted or partial fetch never replaces good stored data.

Only confirmed KPIs flow into the book (`insikt_rows`), as real figures with source and fetch date.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import takewhile
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from helpers.core.errors import InputError, Problem, RunError, display_path, typed
from helpers.core.fmt import exact_sv, number_sv
from helpers.core.fs import write_bytes_atomic, write_text_atomic
from helpers.core.missing import blank
from helpers.data import inputs
from helpers.data.schema import TableSpec, load_table

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
ENV_BASE_URL = "KOLADA_BASE_URL"
KALLA = "Kolada"  # the attribution Kolada asks for is "Källa: Kolada"
USER_AGENT = "Uppfoljningsboken/0.1 (Norrtalje kommun, naringslivsuppfoljning; python-requests)"

PER_PAGE = 5000  # Kolada's largest page
MAX_FILTER = 25  # values per comma list Kolada accepts in one request; longer lists are split
MAX_PAGES = 1000  # a guard against a pagination that never ends
KON = ("T", "K", "M")

# Kolada's municipality ids for the places the book shows (0000 is Riket in Kolada).
NORRTALJE = "0188"
KOLADA_KOMMUNER: dict[str, str] = {NORRTALJE: "Norrtälje", "0000": "Riket"}

# Kolada's `period` of an Insikt KPI is taken to be the measurement year (the year the cases were
# handled), the same year `ar` means in data/foretagsklimat/. UNVERIFIED: no Kolada document at
# hand says so. Fetching the totalt KPI for 2016–2017 and 0000 for 2021–2023 checks it against
# the published figures (a shift shows up as a disagreement). Change it here if it is wrong.
PERIOD_TILL_MATAR = 0

# Kolada carries Insikt with decimals (69.7) while SKR publishes whole numbers: this is how far
# apart a Kolada value and a hand-typed published value for the same year, område and mått may be.
AVRUNDNING = 0.5
FETCH_ONLY = ("kpi_id", "hamtad")  # columns of `insikt_rows` that `merge_insikt` uses and drops

SVAR_DIR = "svar"
INDEX = "hamtningar.csv"
INDEX_COLUMNS = ["fil", "anrop", "url", "hamtad", "http_status", "sha256", "byte"]


def folder(data_dir: Path) -> Path:
    """Where everything fetched from Kolada is kept: data/external/kolada/."""
    return Path(data_dir) / inputs.KOLADA


def base_url(explicit: str | None = None) -> str:
    """The API address: `--bas-url`, else $KOLADA_BASE_URL, else Kolada's v3."""
    url = explicit or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    return url.rstrip("/")


# --- arguments ---------------------------------------------------------------------------------


def parse_years(text: str) -> list[int]:
    """'2016-2025', '2019,2021' or '2020' -> sorted years; ValueError with a Swedish message."""
    years: set[int] = set()
    for part in (p.strip() for p in str(text).split(",")):
        m = re.fullmatch(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?", part)
        if not m:
            raise ValueError(f"'{part}' är inget år eller intervall; skriv t.ex. 2016-2025 eller 2019,2021")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise ValueError(f"intervallet '{part}' slutar före det börjar")
        years.update(range(first, last + 1))
    return sorted(years)


def parse_ids(text: str, pattern: str, what: str) -> list[str]:
    """A comma list of ids, each checked against `pattern`, duplicates dropped, order kept."""
    out: list[str] = []
    for part in (p.strip() for p in str(text).split(",")):
        value = part.upper()
        if not re.fullmatch(pattern, value):
            raise ValueError(f"'{part}' är inget {what}")
        if value not in out:
            out.append(value)
    return out


def _chunks(items: list, size: int = MAX_FILTER) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


# --- errors ------------------------------------------------------------------------------------


class KoladaError(RunError):
    """Kolada could not be reached or answered something unusable; nothing stored was changed."""

    def __init__(self, message: str):
        super().__init__(f"{message} Inget har sparats: data i data/{inputs.KOLADA}/ är orörda.")


def _pause(seconds: float) -> None:
    """The default sleep between attempts (looked up when a client is made, so tests can replace it)."""
    time.sleep(seconds)


class _WaitTooLong(Exception):
    """Kolada asked for a pause (Retry-After) longer than we are willing to sleep."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


class _Retry(Retry):
    """urllib3's Retry with an injectable sleep and a cap on how long Retry-After may make us wait."""

    sleeper: Callable[[float], object] = staticmethod(time.sleep)
    longest_wait: float = 60.0

    def sleep_for_retry(self, response) -> bool:
        header = response.headers.get("Retry-After") if response is not None else None
        if header is None:
            return False
        try:
            seconds = self.parse_retry_after(header)
        except Exception:  # an unreadable header: fall back to the ordinary back-off
            return False
        if seconds > self.longest_wait:
            raise _WaitTooLong(seconds)
        if seconds > 0:
            self.sleeper(seconds)
            return True
        return False

    def get_backoff_time(self) -> float:
        """backoff_factor × 1, 2, 4 … (urllib3's own waits nothing before the first retry)."""
        errors = len(list(takewhile(lambda x: x.redirect_location is None, reversed(self.history))))
        return 0.0 if errors == 0 else float(min(self.backoff_max, self.backoff_factor * 2 ** (errors - 1)))

    def _sleep_backoff(self) -> None:
        backoff = self.get_backoff_time()
        if backoff > 0:
            self.sleeper(backoff)


def _short(body: bytes, n: int = 120) -> str:
    text = body[:n].decode("utf-8", errors="replace").replace("\n", " ").strip()
    return text + ("…" if len(body) > n else "")


# --- the client --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Svar:
    """One response, kept as it came: the body bytes, the URL asked, when, and the status."""

    anrop: str  # data | kpi | sok
    url: str
    hamtad: dt.datetime
    status: int
    body: bytes
    data: dict

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class Klient:
    """A small Kolada client: timeouts, bounded retries with back-off on 429 and 5xx (Retry-After
    honoured), pagination (`next_url` in v3, `next_page` in v2), and Swedish errors.

    `sleep`, `clock` and `now` are injectable so tests run instantly and deterministically.
    """

    def __init__(self, bas_url: str | None = None, *, timeout: tuple[float, float] = (10.0, 60.0), retries: int = 4,
                 backoff: float = 1.0, longest_wait: float = 60.0, min_interval: float = 0.2,
                 sleep: Callable[[float], object] | None = None, clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], dt.datetime] | None = None):
        self.bas_url = base_url(bas_url)
        if not re.match(r"^https?://", self.bas_url):
            raise ValueError(f"'{self.bas_url}' är ingen webbadress (den ska börja med http:// eller https://)")
        self.timeout = timeout
        self.retries = retries
        self.min_interval = min_interval
        sleep = sleep or _pause
        self._sleep, self._clock = sleep, clock
        self._now = now or (lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))
        self._last: float | None = None
        retry_cls = type("KoladaRetry", (_Retry,), {"sleeper": staticmethod(sleep), "longest_wait": longest_wait})
        retry = retry_cls(total=retries, connect=2, read=2, status=retries, other=0, backoff_factor=backoff,
                          backoff_max=30, status_forcelist=(429, 500, 502, 503, 504), allowed_methods=frozenset({"GET"}),
                          raise_on_status=False, respect_retry_after_header=True, retry_after_max=10 ** 9)
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Klient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # one request ------------------------------------------------------------------------------

    def _throttle(self) -> None:
        """Kolada documents no rate limit; stay polite at about five requests a second."""
        if self.min_interval > 0 and self._last is not None:
            wait = self.min_interval - (self._clock() - self._last)
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def get(self, url: str, anrop: str, params: dict | None = None) -> Svar:
        """GET one URL and parse its JSON; KoladaError (Swedish) on anything unusable."""
        self._throttle()
        try:
            resp = self.session.get(url, params=params, timeout=self.timeout)
        except _WaitTooLong as exc:
            raise KoladaError(f"Kolada ber oss vänta {exc.seconds:.0f} sekunder innan nästa anrop (Retry-After, {url}). "
                              "Försök igen senare.") from None
        except requests.Timeout:
            raise KoladaError(f"Kolada svarade inte inom {self.timeout[1]:.0f} sekunder ({url}), inte ens efter "
                              "flera försök. Försök igen senare.") from None
        except requests.ConnectionError as exc:
            raise KoladaError(f"Kunde inte nå Kolada på {self.bas_url} ({_reason(exc)}). Är datorn ansluten till "
                              f"nätet, och stämmer adressen (--bas-url eller {ENV_BASE_URL})?") from None
        except requests.RequestException as exc:
            raise KoladaError(f"Anropet till Kolada misslyckades ({url}): {_reason(exc)}.") from None
        fetched = self._now()
        shown = resp.url or url
        if resp.status_code != 200:
            raise KoladaError(_status_text(resp.status_code, shown, resp.content, self.retries))
        try:
            data = json.loads(resp.content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            kind = resp.headers.get("Content-Type", "okänd typ")
            raise KoladaError(f"Kolada svarade med något som inte är JSON ({shown}, {kind}): "
                              f"”{_short(resp.content)}”.") from None
        if not isinstance(data, dict) or not isinstance(data.get("values"), list):
            got = (f"en {type(data).__name__}" if not isinstance(data, dict)
                   else "nycklarna " + ", ".join(sorted(data)) if data else "ett tomt objekt")
            raise KoladaError(f"Koladas svar har oväntad form ({shown}): förväntade ett objekt med listan 'values', "
                              f"fick {got}.")
        return Svar(anrop, shown, fetched, resp.status_code, resp.content, data)

    def pages(self, url: str, anrop: str, params: dict | None = None) -> list[Svar]:
        """Every page of an answer, following `next_url` (v3) or `next_page` (v2), relative or absolute."""
        out = [self.get(url, anrop, params)]
        seen = {out[0].url}
        while True:
            nxt = out[-1].data.get("next_url", out[-1].data.get("next_page"))
            if nxt in (None, ""):
                return out
            if not isinstance(nxt, str):
                raise KoladaError(f"Koladas svar har oväntad form ({out[-1].url}): nästa sida anges som {nxt!r}, "
                                  "förväntade en adress.")
            target = urljoin(out[-1].url, nxt)
            if target in seen or len(out) >= MAX_PAGES:
                raise KoladaError(f"Koladas sidnumrering tar aldrig slut ({target} efter {len(out)} sidor).")
            seen.add(target)
            out.append(self.get(target, anrop))

    # what the project asks for ----------------------------------------------------------------

    def data(self, kpis: list[str], kommuner: list[str], years: list[int]) -> list[Svar]:
        """Values of `kpis` for `kommuner` and `years`, split into requests of at most 25 per list."""
        out = []
        for k in _chunks(kpis):
            for m in _chunks(kommuner):
                for y in _chunks([str(y) for y in years]):
                    path = f"/data/kpi/{','.join(k)}/municipality/{','.join(m)}/year/{','.join(y)}"
                    out += self.pages(self.bas_url + path, "data", {"per_page": PER_PAGE})
        return out

    def kpi(self, kpis: list[str]) -> list[Svar]:
        """Metadata of the given KPIs."""
        return [s for k in _chunks(kpis) for s in self.pages(f"{self.bas_url}/kpi/{','.join(k)}", "kpi", {"per_page": PER_PAGE})]

    def sok(self, title: str) -> list[Svar]:
        """KPIs whose title contains `title` (GET /kpi?title=…), to confirm ids with one command."""
        return self.pages(f"{self.bas_url}/kpi", "sok", {"title": title, "per_page": PER_PAGE})


def _reason(exc: Exception) -> str:
    text = str(exc)
    for needle, said in (("Connection refused", "anslutningen nekades"), ("Name or service not known", "okänt värdnamn"),
                         ("Temporary failure in name resolution", "namnuppslagningen misslyckades"),
                         ("Failed to resolve", "namnuppslagningen misslyckades"), ("timed out", "tidsgränsen gick ut"),
                         ("Network is unreachable", "nätet går inte att nå")):
        if needle in text:
            return said
    return text[:200]


def _status_text(status: int, url: str, body: bytes, retries: int) -> str:
    if status == 429:
        return (f"Kolada begränsar antalet anrop (429) och gjorde det fortfarande efter {retries} nya försök ({url}). "
                "Vänta en stund och försök igen.")
    if status >= 500:
        return f"Kolada svarade med serverfel {status} även efter {retries} nya försök ({url}). Försök igen senare."
    if status in (404, 410):
        return (f"Adressen finns inte hos Kolada ({status}: {url}). Stämmer id:na och bas-adressen? "
                f"API v2 är nedlagt sedan 2026-03-31; standard är {DEFAULT_BASE_URL}.")
    return f"Kolada avvisade anropet ({status}: {url}): ”{_short(body)}”."


# --- from responses to rows --------------------------------------------------------------------


def _shape_error(svar: Svar, where: str, expected: str, got) -> KoladaError:
    return KoladaError(f"Koladas svar har oväntad form ({svar.url}): {where}: förväntade {expected}, fick {got!r}.")


def _number(value):
    if isinstance(value, bool):
        return None, False
    if value is None:
        return None, True
    if isinstance(value, int | float):
        return float(value), True
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if text == "":
            return None, True
        try:
            return float(text), True
        except ValueError:
            return None, False
    return None, False


def _period(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return int(value)
    return None


def _kommun(value) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9999:
        return f"{value:04d}"
    return None


def value_rows(svar: Svar, fil: str) -> tuple[list[dict], int]:
    """Tidy rows of one data page (and how many values Kolada marked deleted, which are skipped)."""
    rows, deleted = [], 0
    for i, item in enumerate(svar.data["values"], start=1):
        if not isinstance(item, dict):
            raise _shape_error(svar, f"post {i}", "ett objekt", item)
        kpi = item.get("kpi")
        if not isinstance(kpi, str) or not re.fullmatch(inputs.KOLADA_KPI_ID, kpi):
            raise _shape_error(svar, f"post {i}, 'kpi'", "ett id som 'U07455'", kpi)
        kommun = _kommun(item.get("municipality"))
        if kommun is None:
            raise _shape_error(svar, f"post {i}, 'municipality'", "en kommunkod med fyra siffror", item.get("municipality"))
        year = _period(item.get("period"))
        if year is None:
            raise _shape_error(svar, f"post {i}, 'period'", "ett årtal (heltal eller text)", item.get("period"))
        values = item.get("values")
        if not isinstance(values, list):
            raise _shape_error(svar, f"post {i}, 'values'", "en lista", values)
        for j, v in enumerate(values, start=1):
            where = f"post {i}, värde {j}"
            if not isinstance(v, dict):
                raise _shape_error(svar, where, "ett objekt", v)
            if v.get("isdeleted") is True:
                deleted += 1
                continue
            if v.get("gender") not in KON:
                raise _shape_error(svar, f"{where}, 'gender'", "T, K eller M", v.get("gender"))
            number, ok = _number(v.get("value"))
            if not ok:
                raise _shape_error(svar, f"{where}, 'value'", "ett tal eller null", v.get("value"))
            status = v.get("status")
            if status is not None and not isinstance(status, str):
                raise _shape_error(svar, f"{where}, 'status'", "text eller null", status)
            rows.append({"kpi_id": kpi, "kommun_id": kommun, "ar": year, "kon": v["gender"], "varde": number,
                         "status": (status or "").strip(), "hamtad": svar.hamtad.date().isoformat(), "kalla": KALLA,
                         "svarsfil": fil})
    return rows, deleted


_UNITS = (("index", "index"), ("andel (%)", "%"), ("%", "%"), ("kr/inv", "kr/inv"), ("antal/1000 inv", "antal/1000 inv"),
          ("antal", "antal"), ("dagar", "dagar"), ("kr", "kr"))


def unit_from_title(title: str) -> str:
    """Kolada has no unit field; its titles end with the unit ('… - Index', '…, antal'). Best effort."""
    low = title.lower()
    for needle, unit in _UNITS:
        if needle in low:
            return unit
    return ""


def _meta_text(item: dict, key: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    return str(value).strip() if key == "description" else " ".join(str(value).split())


def kpi_rows(svar: Svar, fil: str) -> list[dict]:
    rows = []
    for i, item in enumerate(svar.data["values"], start=1):
        if not isinstance(item, dict):
            raise _shape_error(svar, f"post {i}", "ett objekt", item)
        kpi, title = item.get("id"), item.get("title")
        if not isinstance(kpi, str) or not re.fullmatch(inputs.KOLADA_KPI_ID, kpi):
            raise _shape_error(svar, f"post {i}, 'id'", "ett id som 'U07455'", kpi)
        if not isinstance(title, str) or not title.strip():
            raise _shape_error(svar, f"post {i}, 'title'", "en titel", title)

        gender = item.get("is_divided_by_gender")
        rows.append({"kpi_id": kpi, "titel": " ".join(title.split()), "enhet": unit_from_title(title),
                     "beskrivning": _meta_text(item, "description"),
                     "kon_uppdelad": "" if gender is None else ("ja" if gender in (True, 1, "1", "true") else "nej"),
                     "verksamhetsomrade": _meta_text(item, "operating_area"), "publiceringsdatum": _meta_text(item, "publication_date"),
                     "prel_publiceringsdatum": _meta_text(item, "prel_publication_date"),
                     "hamtad": svar.hamtad.date().isoformat(), "svarsfil": fil})
    return rows


# --- storage -----------------------------------------------------------------------------------


def _csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if blank(r.get(c)) else exact_sv(r[c]) if isinstance(r.get(c), float) else str(r[c]) for c in columns])
    return buf.getvalue()


def _read_stored(path: Path, spec: TableSpec) -> list[dict]:
    """Rows of a stored file as text, to merge into; InputError when the stored file is broken."""
    if not path.exists():
        return []
    frame = load_table(path, spec)
    out = []
    for _, r in frame.iterrows():
        row = {}
        for col in spec.columns:
            v = r[col.name]
            if blank(v):
                row[col.name] = None
            elif col.kind == "int":
                row[col.name] = int(v)
            elif col.kind == "decimal":
                row[col.name] = float(v)
            elif col.kind == "date":
                row[col.name] = v.isoformat()
            else:
                row[col.name] = v
        out.append(row)
    return out


def _validator(spec: TableSpec, keys: list[str], shown: str):
    """Check a freshly written temporary file before it replaces `shown`."""

    def check(tmp: Path) -> None:
        try:
            frame = load_table(tmp, spec)
        except InputError as exc:
            raise KoladaError(f"Det hämtade gick inte att spara som giltig tabell ({shown}):\n{exc.message()}\n") from None
        dup = frame[frame.duplicated(keys, keep=False)]
        if len(dup):
            raise KoladaError(f"Det hämtade gav flera rader för samma {', '.join(keys)} i {shown}.")

    return check


_KON_ORDER = {k: i for i, k in enumerate(KON)}


@dataclass
class Resultat:
    """What a fetch did, for the command's report and for tests."""

    svar: list[Path] = field(default_factory=list)
    nya: int = 0
    andrade: int = 0
    oforandrade: int = 0
    per_kpi: dict[str, int] = field(default_factory=dict)  # values
    tomma: dict[str, int] = field(default_factory=dict)  # rows without a value (Kolada's status says why)
    kpi: list[dict] = field(default_factory=list)
    varningar: list[str] = field(default_factory=list)


def _raw_names(responses: list[Svar], stamp: str) -> list[str]:
    tag = uuid.uuid4().hex[:6]
    return [f"{stamp}-{tag}-{i:03d}-{s.anrop}.json" for i, s in enumerate(responses, start=1)]


def _store(target: Path, responses: list[Svar], value_rows_new: list[dict] | None, meta_rows: list[dict],
           names: list[str], res: Resultat) -> None:
    """Write raw responses, metadata, values and the index: each validated before it replaces anything."""
    raw_dir = target / SVAR_DIR
    raw_dir.mkdir(parents=True, exist_ok=True)
    # Merge first (reading the stored files can fail), then write: raw files are new names, never replaced.
    kpi_path, values_path, index_path = target / "kpi.csv", target / "varden.csv", target / INDEX
    kpi_spec, values_spec = inputs.entry(inputs.KOLADA, "kpi").spec, inputs.entry(inputs.KOLADA, "varden").spec
    meta = {r["kpi_id"]: r for r in _read_stored(kpi_path, kpi_spec)}
    for r in meta_rows:
        meta[r["kpi_id"]] = r
    merged_values = None
    if value_rows_new:
        key = lambda r: (r["kpi_id"], r["kommun_id"], int(r["ar"]), r["kon"])
        stored = {key(r): r for r in _read_stored(values_path, values_spec)}
        for r in value_rows_new:
            old = stored.get(key(r))
            if old is None:
                res.nya += 1
            elif old["varde"] != r["varde"] or (old["status"] or "") != r["status"]:
                res.andrade += 1
            else:
                res.oforandrade += 1
            stored[key(r)] = r
        merged_values = sorted(stored.values(), key=lambda r: (r["kpi_id"], r["kommun_id"], int(r["ar"]), _KON_ORDER[r["kon"]]))
    index_rows = _read_index(index_path)
    try:
        for s, name in zip(responses, names):
            res.svar.append(write_bytes_atomic(raw_dir / name, s.body))
            index_rows.append({"fil": f"{SVAR_DIR}/{name}", "anrop": s.anrop, "url": s.url, "hamtad": s.hamtad.isoformat(),
                               "http_status": str(s.status), "sha256": s.sha256, "byte": str(len(s.body))})
        if meta_rows:
            write_text_atomic(kpi_path, _csv_text(kpi_spec.names, sorted(meta.values(), key=lambda r: r["kpi_id"])),
                              check=_validator(kpi_spec, ["kpi_id"], display_path(kpi_path)))
        if merged_values is not None:
            write_text_atomic(values_path, _csv_text(values_spec.names, merged_values),
                              check=_validator(values_spec, ["kpi_id", "kommun_id", "ar", "kon"], display_path(values_path)))
        write_text_atomic(index_path, _csv_text(INDEX_COLUMNS, index_rows))
    except BaseException:
        # The raw files of a fetch that could not be stored are not evidence of anything: remove them.
        for path in res.svar:
            path.unlink(missing_ok=True)
        res.svar.clear()
        raise


def _read_index(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _stamp(responses: list[Svar]) -> str:
    first = min(s.hamtad for s in responses)
    return first.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _check_stored(target: Path) -> None:
    """Refuse to fetch when the stored files are broken: the merge would have to guess."""
    for stem in ("kpi_mappning", "kpi", "varden"):
        path = target / f"{stem}.csv"
        if path.exists():
            load_table(path, inputs.entry(inputs.KOLADA, stem).spec)


def hamta(data_dir: Path, kpis: list[str], kommuner: list[str], years: list[int], klient: Klient) -> Resultat:
    """Fetch values and metadata of `kpis`, then store them; all or nothing."""
    target = folder(data_dir)
    _check_stored(target)
    responses = klient.kpi(kpis) + klient.data(kpis, kommuner, years)
    names = _raw_names(responses, _stamp(responses))
    res = Resultat()
    meta_rows, new_values, deleted = [], [], 0
    for s, name in zip(responses, names):
        fil = f"{SVAR_DIR}/{name}"
        if s.anrop == "kpi":
            meta_rows += kpi_rows(s, fil)
        else:
            rows, d = value_rows(s, fil)
            new_values += rows
            deleted += d
    # The same key twice in one answer must agree, or the answer is not usable.
    seen: dict[tuple, dict] = {}
    for r in new_values:
        k = (r["kpi_id"], r["kommun_id"], r["ar"], r["kon"])
        if k in seen and (seen[k]["varde"], seen[k]["status"]) != (r["varde"], r["status"]):
            raise KoladaError(f"Koladas svar har två olika värden för {r['kpi_id']}, kommun {r['kommun_id']}, "
                              f"år {r['ar']}, kön {r['kon']}.")
        seen[k] = r
    new_values = list(seen.values())
    res.kpi = meta_rows
    known = {r["kpi_id"] for r in meta_rows}
    for k in kpis:
        res.per_kpi[k] = sum(1 for r in new_values if r["kpi_id"] == k and not blank(r["varde"]))
        res.tomma[k] = sum(1 for r in new_values if r["kpi_id"] == k and blank(r["varde"]))
        if k not in known:
            res.varningar.append(f"{k} finns inte i Koladas förteckning över nyckeltal (inget id med det namnet).")
        elif not any(r["kpi_id"] == k for r in new_values):
            res.varningar.append(f"Kolada har inga värden för {k}, kommun {', '.join(kommuner)}, år {years_text(years)}.")
    if deleted:
        res.varningar.append(f"Värden som Kolada markerar som borttagna sparades inte: {deleted} st.")
    _store(target, responses, new_values, meta_rows, names, res)
    res.varningar += _title_warnings(target, meta_rows)
    return res


def sok(data_dir: Path, title: str, klient: Klient) -> Resultat:
    """Look KPIs up by title, store the answer and their metadata (so ids can be confirmed)."""
    target = folder(data_dir)
    _check_stored(target)
    responses = klient.sok(title)
    names = _raw_names(responses, _stamp(responses))
    meta_rows = [r for s, n in zip(responses, names) for r in kpi_rows(s, f"{SVAR_DIR}/{n}")]
    res = Resultat(kpi=meta_rows)
    _store(target, responses, None, meta_rows, names, res)
    return res


def years_text(years: list[int]) -> str:
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def _title_warnings(target: Path, meta_rows: list[dict]) -> list[str]:
    mapping = mapping_rows(target)
    fetched = {r["kpi_id"]: r["titel"] for r in meta_rows}
    out = []
    for r in mapping:
        if r["bekraftad"] == "ja" and r["kpi_id"] in fetched and _same(r["titel"]) != _same(fetched[r["kpi_id"]]):
            out.append(f"{r['kpi_id']} heter nu ”{fetched[r['kpi_id']]}” i Kolada men ”{r['titel']}” i kpi_mappning.csv. "
                       "Kontrollera att id:t fortfarande mäter samma sak och rätta titeln; till dess stoppar boken.")
    return out


def _same(title) -> str:
    return " ".join(str(title or "").split()).casefold()


# --- reading what is stored (offline; this is what the book uses) ------------------------------


def mapping_rows(target: Path) -> list[dict]:
    path = target / "kpi_mappning.csv"
    if not path.exists():
        return []
    frame = load_table(path, inputs.entry(inputs.KOLADA, "kpi_mappning").spec)
    return [dict(r, rad=int(line)) for line, r in frame.iterrows()]


@dataclass(frozen=True)
class Lagrat:
    """The stored Kolada files, validated; `files` are the ones that exist (inputs of an edition)."""

    mappning: pd.DataFrame
    kpi: pd.DataFrame
    varden: pd.DataFrame
    files: tuple[Path, ...]


def load_stored(data_dir: Path) -> Lagrat:
    """Read data/external/kolada/ (every file optional); InputError listing every problem."""
    target = folder(data_dir)
    problems: list[Problem] = []
    frames, files = {}, []
    for f in inputs.files_in(inputs.KOLADA):
        path = target / f"{f.stem}.csv"
        example = target / f"{f.stem}.exempeldata.csv"
        if example.exists():
            problems.append(Problem(display_path(example), f"{f.stem}.csv (det som hämtas från Kolada är aldrig exempeldata)",
                                    value=example.name))
        if not path.exists():
            frames[f.stem] = pd.DataFrame(columns=f.spec.names)
            continue
        try:
            frames[f.stem] = load_table(path, f.spec).assign(_fil=display_path(path))
            files.append(path)
        except InputError as exc:
            problems.extend(exc.problems)
            frames[f.stem] = pd.DataFrame(columns=f.spec.names)
    mapping, meta = frames["kpi_mappning"], frames["kpi"]
    if len(mapping):
        problems += _mapping_problems(mapping, meta)
    if problems:
        raise InputError(problems)
    return Lagrat(mapping, meta, frames["varden"], tuple(files))


def _mapping_problems(mapping: pd.DataFrame, meta: pd.DataFrame) -> list[Problem]:
    out = []
    shown = mapping["_fil"].iloc[0]
    ids = mapping[~mapping["kpi_id"].map(blank)]
    for line, r in ids[ids.duplicated("kpi_id", keep="first")].iterrows():
        out.append(Problem(shown, "varje Kolada-id på en rad", row=int(line), column="kpi_id", value=r["kpi_id"]))
    confirmed = mapping[(mapping["bekraftad"] == "ja") & ~mapping["serie"].map(blank)]
    for line, r in confirmed[confirmed.duplicated("serie", keep="first")].iterrows():
        out.append(Problem(shown, "ett bekräftat nyckeltal per serie", row=int(line), column="serie", value=r["serie"]))
    titles = dict(zip(meta["kpi_id"], meta["titel"])) if len(meta) else {}
    for line, r in mapping[mapping["bekraftad"] == "ja"].iterrows():
        stored = titles.get(r["kpi_id"])
        if stored is not None and _same(stored) != _same(r["titel"]):
            out.append(Problem(shown, f"Koladas titel ”{stored}” (kpi.csv). Kontrollera att {r['kpi_id']} fortfarande "
                                      "mäter samma sak och skriv in den nya titeln", row=int(line), column="titel",
                               value=r["titel"]))
    return out


def insikt_rows(stored: Lagrat) -> pd.DataFrame:
    """Values of confirmed Insikt KPIs as rows of the Insikt table (INSIKT columns, plus `exempeldata`
    = False, `_fil`, and `kpi_id`/`hamtad` that `merge_insikt` uses), for Norrtälje and Riket, total (kön T) only, blanks dropped."""
    columns = [*inputs.INSIKT.names, "exempeldata", "_fil", *FETCH_ONLY]
    m = stored.mappning
    if m.empty or stored.varden.empty:
        return pd.DataFrame(columns=columns)
    use = m[(m["bekraftad"] == "ja") & m["serie"].map(lambda s: not blank(s) and s.startswith("insikt:"))]
    by_kpi = {r["kpi_id"]: r for _, r in use.iterrows()}
    rows, index, problems = [], [], []
    for line, v in stored.varden.iterrows():
        mapped = by_kpi.get(v["kpi_id"])
        if mapped is None or v["kon"] != "T" or v["kommun_id"] not in KOLADA_KOMMUNER or blank(v["varde"]):
            continue
        _, omrade, matt = mapped["serie"].split(":")
        if not 0 <= float(v["varde"]) <= 100:
            problems.append(Problem(v["_fil"], f"ett index 0–100 ({v['kpi_id']} → {mapped['serie']})", row=int(line),
                                    column="varde", value=typed(float(v["varde"]))))
            continue
        rows.append({"ar": int(v["ar"]) + PERIOD_TILL_MATAR, "kommun": KOLADA_KOMMUNER[v["kommun_id"]], "omrade": omrade,
                     "matt": matt, "varde": float(v["varde"]), "antal_svar": None, "ci_low": None, "ci_high": None,
                     "kalla": f"{KALLA}, nyckeltal {v['kpi_id']} ”{mapped['titel']}”, hämtat {v['hamtad'].isoformat()}",
                     "harledd": "nej", "exempeldata": False, "_fil": v["_fil"], "kpi_id": v["kpi_id"],
                     "hamtad": v["hamtad"].isoformat()})
        index.append(line)
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame(rows, columns=columns, index=pd.Index(index, name="rad"))
    for c in ("ar", "varde", "antal_svar", "ci_low", "ci_high"):
        frame[c] = frame[c].astype("Float64")
    return frame


def merge_insikt(hand: pd.DataFrame, fetched: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Hand-typed Insikt rows and Kolada rows together, by one rule per (år, kommun, område, mått):

    - a real hand-typed value and a Kolada value must agree within rounding (±0,5: SKR publishes
      whole numbers, Kolada decimals). If they do, the hand-typed row stays (it is what was
      published) and its source notes the agreement; if not, it is a Problem naming both;
    - a Kolada value replaces an exempeldata row (real data always beats invented data) and fills
      a real row whose value is blank;
    - otherwise the Kolada row is added.
    """
    if fetched.empty:
        return hand, []
    keys = ["ar", "kommun", "omrade", "matt"]
    problems: list[Problem] = []
    drop, add = set(), []
    hand_keys = {}
    for line, r in hand.iterrows():
        hand_keys.setdefault((int(r["ar"]), r["kommun"], r["omrade"], r["matt"]), []).append((r["_fil"], line, r))
    hand = hand.copy()
    for line, f in fetched.iterrows():
        key = tuple(int(f[k]) if k == "ar" else f[k] for k in keys)
        kept = False
        for fil, hline, h in hand_keys.get(key, []):
            if bool(h["exempeldata"]) or blank(h["varde"]):
                drop.add((fil, hline))
                continue
            if abs(float(h["varde"]) - float(f["varde"])) <= AVRUNDNING + 1e-9:
                kept = True
                mask = (hand["_fil"].to_numpy() == fil) & (hand.index.to_numpy() == hline)
                hand.loc[mask, "kalla"] = (f"{h['kalla']}; stämmer med {KALLA} ({f['kpi_id']}: "
                                           f"{number_sv(float(f['varde']), 1)}, hämtat {f['hamtad']})")
            else:
                kept = True
                problems.append(Problem(fil, f"samma värde som {KALLA} inom avrundning: {exact_sv(float(f['varde']))} ±0,5 "
                                             f"({f['kpi_id']}, {f['_fil']} rad {int(line)}); kontrollera vilket som stämmer",
                                        row=int(hline), column="varde", value=typed(float(h["varde"]))))
        if not kept:
            add.append(line)
    if drop:
        mask = pd.Series([(fil, line) in drop for fil, line in zip(hand["_fil"], hand.index)], index=hand.index)
        hand = hand[~mask.to_numpy()]
    extra = fetched.loc[add].drop(columns=list(FETCH_ONLY))
    merged = pd.concat([x for x in (hand, extra) if len(x)], ignore_index=False) if len(hand) or len(extra) else hand
    return merged, problems
