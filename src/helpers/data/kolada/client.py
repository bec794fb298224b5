"""Kolada's open API (RKA): the HTTP client – timeouts, bounded retries with back-off, paging –
and the Swedish errors for everything that can go wrong on the way. Nothing here writes a file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import takewhile
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from helpers.core.errors import RunError
from helpers.data import inputs

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
ENV_BASE_URL = "KOLADA_BASE_URL"
KALLA = "Kolada"  # the attribution Kolada asks for is "Källa: Kolada"
USER_AGENT = "Uppfoljningsboken/0.1 (Norrtalje kommun, naringslivsuppfoljning; python-requests)"

PER_PAGE = 5000  # Kolada's largest page
MAX_FILTER = 25  # values per comma list Kolada accepts in one request; longer lists are split
MAX_PAGES = 1000  # a guard against a pagination that never ends
KON = ("T", "K", "M")


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

    def __init__(self, message: str, status: int | None = None):
        super().__init__(f"{message} Inget har sparats: data i data/{inputs.KOLADA}/ är orörda.")
        self.status = status  # the HTTP status when Kolada answered with one


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
            raise KoladaError(_status_text(resp.status_code, shown, resp.content, self.retries), resp.status_code)
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
        """Metadata of each KPI, one request per id (`/kpi/<id>`), so a removed id is named by its own 404."""
        out = []
        for k in kpis:
            try:
                out += self.pages(f"{self.bas_url}/kpi/{k}", "kpi", {"per_page": PER_PAGE})
            except KoladaError as exc:
                if exc.status not in (404, 410):
                    raise
                raise KoladaError(f"Nyckeltalet {k} finns inte längre hos Kolada ({exc.status}: {self.bas_url}/kpi/{k}). "
                                  "Kolada kan ha tagit bort det: kontrollera id:t och ta bort eller ersätt raden i "
                                  f"data/{inputs.KOLADA}/kpi_mappning.csv eller kontext.csv.", exc.status) from None
        return out

    def grupper(self, ids: list[str]) -> list[Svar]:
        """Comparison groups with their members (`/municipality_groups/<id>`), one request per group."""
        return [s for g in ids for s in self.pages(f"{self.bas_url}/municipality_groups/{g}", "grupp", {"per_page": PER_PAGE})]

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


def default_years(today: dt.date | None = None) -> list[int]:
    """The years a fetch without --ar asks for: 2010 (before Insikt's first year in Kolada) to this year."""
    return list(range(2010, (today or dt.date.today()).year + 1))


def years_text(years: list[int]) -> str:
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))
