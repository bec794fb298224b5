"""Kolada: the client against a local replay server, the stored files, and how values reach the book.

Every request goes to a server on 127.0.0.1 that replays responses from tests/fixtures/kolada/
(Kolada's shapes, invented numbers). KOLADA_BASE_URL points at a closed local port by default,
so a test that forgot its server fails instead of reaching the network.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.server
import re
import shutil
import socket
import threading
from pathlib import Path

import pytest

from conftest import DATA, read_rows, write_rows
from helpers import cli
from helpers.core.errors import InputError
from helpers.data import klimat as klimatdata
from helpers.data import kolada

FIX = Path(__file__).parent / "fixtures" / "kolada"
DATA_PATH = "/v3/data/kpi/U07455/municipality/0188/year/2016,2017,2018,2019,2020"
KPI_PATH = "/v3/kpi/U07455"
NOW = dt.datetime(2026, 5, 12, 8, 30, tzinfo=dt.UTC)


def body(name: str) -> bytes:
    return (FIX / name).read_bytes()


class Replay:
    """A local HTTP server replaying recorded responses: per route a queue (the last one repeats).

    A route is 'path?query' when that exact request is listed, else the path alone.
    """

    def __init__(self):
        self.routes: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.seen: list[str] = []
        replay = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                replay.seen.append(self.path)
                path, _, query = self.path.partition("?")
                queue = replay.routes.get(f"{path}?{query}") or replay.routes.get(path)
                if not queue:
                    status, headers, data = 404, {"Content-Type": "application/json"}, b'{"error":"not found"}'
                else:
                    status, headers, data = queue.pop(0) if len(queue) > 1 else queue[0]
                data = data.replace(b"{base}", replay.base.encode())
                self.send_response(status)
                for k, v in {"Content-Type": "application/json; charset=utf-8", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/v3"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(self, route: str, *responses: tuple[int, dict, bytes] | bytes) -> Replay:
        self.routes[route] = [r if isinstance(r, tuple) else (200, {}, r) for r in responses]
        return self

    def standard(self) -> Replay:
        """U07455 metadata and a three-page data answer (relative, then absolute next_url)."""
        self.add(KPI_PATH, body("kpi_U07455.json"))
        self.add(DATA_PATH, body("data_p1.json"))
        self.add(DATA_PATH + "?page=2&per_page=2", body("data_p2.json"))
        self.add(DATA_PATH + "?page=3&per_page=2", body("data_p3.json"))
        return self


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """No test reaches Kolada: the default address is a closed local port, and waits are instant."""
    monkeypatch.setenv(kolada.ENV_BASE_URL, f"http://127.0.0.1:{_free_port()}/v3")
    monkeypatch.setattr(kolada.client, "_pause", lambda s: None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    replay = Replay()
    replay.thread.start()
    yield replay
    replay.stop()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A data folder with the shipped mapping (U07455 confirmed) and business-climate files."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "foretagsklimat", data / "foretagsklimat")
    (data / "external" / "kolada").mkdir(parents=True)
    shutil.copy(DATA / "external" / "kolada" / "kpi_mappning.csv", data / "external" / "kolada" / "kpi_mappning.csv")
    shutil.copy(DATA / "external" / "kolada" / "kontext.csv", data / "external" / "kolada" / "kontext.csv")
    return data


def client(server, sleeps=None, **kw) -> kolada.Klient:
    sleeps = sleeps if sleeps is not None else []
    return kolada.Klient(server.base, sleep=sleeps.append, min_interval=0, now=lambda: NOW, **kw)


def store(data_dir: Path) -> Path:
    return kolada.folder(data_dir)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


YEARS = [2016, 2017, 2018, 2019, 2020]


def fetch(data_dir, server, **kw):
    with client(server, **kw) as k:
        return kolada.hamta(data_dir, ["U07455"], ["0188"], YEARS, k)


# --- fetching and storing --------------------------------------------------------------------


def test_multi_page_answer_is_followed_and_tidied_per_kpi_kommun_year_and_gender(data_dir, server):
    server.standard()
    res = fetch(data_dir, server)
    assert server.seen[2:] == [DATA_PATH + "?page=2&per_page=2", DATA_PATH + "?page=3&per_page=2"]
    rows = read_rows(store(data_dir) / "varden.csv")
    got = [(r["ar"], r["kon"], r["varde"], r["status"]) for r in rows]
    assert got == [("2016", "T", "69,7", "OK"), ("2017", "T", "71,2", "OK"), ("2018", "T", "", "Missing"),
                   ("2019", "T", "74,5", ""), ("2019", "K", "76", ""), ("2019", "M", "73,1", ""), ("2020", "T", "68", "OK")]
    assert {(r["kpi_id"], r["kommun_id"], r["hamtad"], r["kalla"]) for r in rows} == {("U07455", "0188", "2026-05-12", "Kolada")}
    assert res.nya == 7 and res.per_kpi == {"U07455": 6}
    # The value Kolada marks deleted is skipped, and the command says so.
    assert "Värden som Kolada markerar som borttagna sparades inte: 1 st." in res.varningar


def test_raw_responses_are_stored_unchanged_with_url_and_fetch_time(data_dir, server):
    server.standard()
    fetch(data_dir, server)
    index = read_rows(store(data_dir) / kolada.INDEX)
    assert [r["anrop"] for r in index] == ["kpi", "data", "data", "data"]
    served = [body("kpi_U07455.json"), body("data_p1.json"), body("data_p2.json").replace(b"{base}", server.base.encode()),
              body("data_p3.json")]
    for row, expected in zip(index, served):
        raw = (store(data_dir) / row["fil"]).read_bytes()
        assert raw == expected
        assert row["sha256"] == hashlib.sha256(raw).hexdigest() and row["byte"] == str(len(raw))
        assert row["hamtad"] == "2026-05-12T08:30:00+00:00" and row["http_status"] == "200"
        assert row["url"].startswith(server.base)
    assert index[1]["url"] == f"{server.base}/data/kpi/U07455/municipality/0188/year/2016,2017,2018,2019,2020?per_page=5000"
    tidy = read_rows(store(data_dir) / "varden.csv")
    assert {r["svarsfil"] for r in tidy} <= {r["fil"] for r in index}


def test_kpi_metadata_is_stored_with_title_unit_description_and_publication_date(data_dir, server):
    server.standard()
    fetch(data_dir, server)
    (meta,) = read_rows(store(data_dir) / "kpi.csv")
    assert meta["titel"] == "Företagsklimat Insikt - Livsmedelskontroll - Index"
    assert meta["enhet"] == "index" and meta["publiceringsdatum"] == "2024-04-24" and meta["kon_uppdelad"] == "nej"
    assert meta["beskrivning"] == "Testbeskrivning; med semikolon\noch radbrytning."
    assert meta["verksamhetsomrade"] == "Företagsklimat"


def test_v2_shape_with_next_page_string_period_and_string_value(data_dir, server):
    server.add(KPI_PATH, body("kpi_U07455.json"))
    server.add("/v3/data/kpi/U07455/municipality/0188,0000/year/2021", body("data_v2.json"))
    with client(server) as k:
        kolada.hamta(data_dir, ["U07455"], ["0188", "0000"], [2021], k)
    rows = {(r["kommun_id"], r["ar"]): r["varde"] for r in read_rows(store(data_dir) / "varden.csv")}
    assert rows == {("0000", "2021"): "74,4", ("0188", "2021"): "77"}


def test_a_500_is_retried_after_a_back_off_and_then_succeeds(data_dir, server):
    server.standard()
    server.add(KPI_PATH, (500, {}, b'{"error":"internt fel"}'), body("kpi_U07455.json"))
    sleeps = []
    fetch(data_dir, server, sleeps=sleeps)
    assert server.seen.count(KPI_PATH + "?per_page=5000") == 2
    assert sleeps == [1.0], "one back-off of backoff_factor seconds before the second attempt"
    assert len(read_rows(store(data_dir) / "varden.csv")) == 7


def test_a_429_waits_as_long_as_retry_after_says(data_dir, server):
    server.standard()
    server.add(KPI_PATH, (429, {"Retry-After": "7"}, b'{"error":"too many"}'), body("kpi_U07455.json"))
    sleeps = []
    fetch(data_dir, server, sleeps=sleeps)
    assert sleeps == [7]
    assert (store(data_dir) / "kpi.csv").exists()


def test_retries_are_bounded_and_end_in_a_swedish_message(data_dir, server):
    server.add(KPI_PATH, (503, {}, b"{}"))
    sleeps = []
    with pytest.raises(kolada.KoladaError, match="serverfel 503 även efter 4 nya försök") as exc:
        fetch(data_dir, server, sleeps=sleeps)
    assert "orörda" in str(exc.value)
    assert len(server.seen) == 5 and sleeps == [1.0, 2.0, 4.0, 8.0]


def test_a_retry_after_longer_than_we_wait_is_reported_not_slept(data_dir, server):
    server.add(KPI_PATH, (429, {"Retry-After": "3600"}, b"{}"))
    sleeps = []
    with pytest.raises(kolada.KoladaError, match="vänta 3600 sekunder"):
        fetch(data_dir, server, sleeps=sleeps)
    assert sleeps == []


def test_offline_gives_a_swedish_message_and_changes_nothing(data_dir, server):
    server.standard()
    fetch(data_dir, server)
    before = snapshot(store(data_dir))
    dead = kolada.Klient(f"http://127.0.0.1:{_free_port()}/v3", sleep=lambda s: None, min_interval=0)
    with pytest.raises(kolada.KoladaError) as exc:
        kolada.hamta(data_dir, ["U07455"], ["0188"], YEARS, dead)
    assert "Kunde inte nå Kolada" in str(exc.value) and "anslutningen nekades" in str(exc.value)
    assert "Inget har sparats" in str(exc.value)
    assert snapshot(store(data_dir)) == before


def test_malformed_json_on_a_later_page_replaces_nothing(data_dir, server):
    server.standard()
    fetch(data_dir, server)
    before = snapshot(store(data_dir))
    server.add(DATA_PATH + "?page=2&per_page=2", (200, {"Content-Type": "text/html"}, body("not_json.html")))
    with pytest.raises(kolada.KoladaError, match="inte är JSON.*text/html.*502 Bad Gateway"):
        fetch(data_dir, server)
    assert snapshot(store(data_dir)) == before, "no half-fetched answer, no raw file, no index row"


@pytest.mark.parametrize("payload, message", [
    (body("wrong_shape.json"), "'period': förväntade ett årtal"),
    (b'[{"kpi": "U07455"}]', "förväntade ett objekt med listan 'values', fick en list"),
    (b'{"data": []}', "fick nycklarna data"),
    (b'{"values": [{"kpi": "U07455", "municipality": "0188", "period": 2019, "values": [{"gender": "X", "value": 1}]}]}',
     "'gender': förväntade T, K eller M"),
    (b'{"values": [{"kpi": "U07455", "municipality": "0188", "period": 2019, "values": [{"gender": "T", "value": "high"}]}]}',
     "'value': förväntade ett tal eller null"),
])
def test_an_answer_of_the_wrong_shape_is_named_and_replaces_nothing(data_dir, server, payload, message):
    server.add(KPI_PATH, body("kpi_U07455.json"))
    server.add(DATA_PATH, payload)
    with pytest.raises(kolada.KoladaError, match=message):
        fetch(data_dir, server)
    assert not (store(data_dir) / "varden.csv").exists() and not (store(data_dir) / kolada.SVAR_DIR).exists()


def test_an_empty_result_keeps_the_stored_values_and_says_so(data_dir, server):
    server.standard()
    fetch(data_dir, server)
    before = (store(data_dir) / "varden.csv").read_bytes()
    server.add(DATA_PATH, body("empty.json"))
    res = fetch(data_dir, server)
    assert (store(data_dir) / "varden.csv").read_bytes() == before
    assert any("inga värden för U07455" in w for w in res.varningar)
    assert res.nya == res.andrade == 0


def test_a_refetch_updates_changed_values_and_keeps_other_stored_rows(data_dir, server):
    server.standard()
    fetch(data_dir, server)
    server.add("/v3/data/kpi/U07455/municipality/0188,0000/year/2021", body("data_v2.json"))
    with client(server) as k:
        kolada.hamta(data_dir, ["U07455"], ["0188", "0000"], [2021], k)
    changed = body("data_p1.json").replace(b"69.7", b"70.1")
    server.add(DATA_PATH, changed)
    res = fetch(data_dir, server)
    rows = read_rows(store(data_dir) / "varden.csv")
    assert len(rows) == 9, "the 2021 rows from the other fetch are kept"
    assert next(r["varde"] for r in rows if r["ar"] == "2016") == "70,1"
    assert (res.nya, res.andrade, res.oforandrade) == (0, 1, 6)


def test_a_value_that_fails_validation_never_replaces_the_stored_file(data_dir, server, monkeypatch):
    server.standard()
    fetch(data_dir, server)
    before = snapshot(store(data_dir))

    def refuse(spec, keys, shown):
        def check(tmp):
            assert tmp.exists() and tmp.name.startswith(".") and tmp.name.endswith(".tmp")
            raise kolada.KoladaError("ogiltig tabell")
        return check

    monkeypatch.setattr(kolada.store, "_validator", refuse)
    with pytest.raises(kolada.KoladaError, match="ogiltig tabell"):
        fetch(data_dir, server)
    assert snapshot(store(data_dir)) == before, "no temporary file, raw file or index row is left behind"


def test_a_broken_stored_file_stops_the_fetch_before_any_request(data_dir, server):
    server.standard()
    (store(data_dir) / "varden.csv").write_text("kpi_id;kommun_id\nU07455;0188\n", encoding="utf-8")
    with pytest.raises(InputError, match="varden.csv"):
        fetch(data_dir, server)
    assert server.seen == []


def test_long_year_lists_are_split_into_requests_of_at_most_25(data_dir, server):
    server.add(KPI_PATH, body("kpi_U07455.json"))
    first, rest = ",".join(map(str, range(1990, 2015))), ",".join(map(str, range(2015, 2020)))
    for years in (first, rest):
        server.add(f"/v3/data/kpi/U07455/municipality/0188/year/{years}", body("empty.json"))
    with client(server) as k:
        kolada.hamta(data_dir, ["U07455"], ["0188"], list(range(1990, 2020)), k)
    data_requests = [s for s in server.seen if s.startswith("/v3/data/")]
    assert len(data_requests) == 2
    years = [s.split("/year/")[1].split("?")[0].split(",") for s in data_requests]
    assert [len(y) for y in years] == [25, 5]


@pytest.mark.parametrize("text, years", [("2016-2019", [2016, 2017, 2018, 2019]), ("2019,2021", [2019, 2021]),
                                         ("2020", [2020]), ("2016–2017, 2019", [2016, 2017, 2019])])
def test_years_are_read_as_ranges_and_lists(text, years):
    assert kolada.parse_years(text) == years


@pytest.mark.parametrize("text", ["20x", "2019-2016", "2019,"])
def test_bad_years_are_refused_in_swedish(text):
    with pytest.raises(ValueError, match="år|intervall"):
        kolada.parse_years(text)


def test_the_base_address_comes_from_the_flag_then_the_environment_then_kolada(monkeypatch):
    monkeypatch.setenv(kolada.ENV_BASE_URL, "http://127.0.0.1:1/v3/")
    assert kolada.base_url() == "http://127.0.0.1:1/v3"
    assert kolada.base_url("http://127.0.0.1:2/v3") == "http://127.0.0.1:2/v3"
    monkeypatch.delenv(kolada.ENV_BASE_URL)
    assert kolada.base_url() == "https://api.kolada.se/v3"


# --- the command ---------------------------------------------------------------------------


def run_cli(args, root: Path, capsys):
    code = cli.main(["--rot", str(root), "--data", str(root / "data"), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_fetches_stores_and_says_what_the_book_uses(data_dir, server, capsys):
    server.standard()
    code, out, err = run_cli(["hamta", "kolada", "--kpi", "u07455", "--kommun", "0188", "--ar", "2016-2020",
                              "--bas-url", server.base], data_dir.parent, capsys)
    assert code == 0, err
    assert "U07455 Företagsklimat Insikt - Livsmedelskontroll - Index: 6 värden, 1 utan värde" in out
    assert "varden.csv (7 nya, 0 ändrade, 0 oförändrade)" in out
    assert "U07455 används i boken som insikt:livsmedelskontroll:nki" in out
    assert "Källa: Kolada" in out


def test_the_command_offline_exits_1_with_a_swedish_message(data_dir, capsys):
    code, out, err = run_cli(["hamta", "kolada", "--kpi", "U07455", "--ar", "2016-2020"], data_dir.parent, capsys)
    assert code == 1
    assert "Kunde inte nå Kolada" in err and "orörda" in err and "Traceback" not in err
    assert not (store(data_dir) / "varden.csv").exists()


def test_the_command_refuses_bad_ids_with_exit_2(data_dir, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--rot", str(data_dir.parent), "hamta", "kolada", "--kpi", "07455"])
    assert exc.value.code == 2
    assert "'07455' är inget Kolada-id" in capsys.readouterr().err


def test_search_by_title_lists_ids_and_stores_their_metadata(data_dir, server, capsys):
    server.add("/v3/kpi", body("sok.json"))
    code, out, err = run_cli(["hamta", "kolada", "--sok", "Företagsklimat Insikt", "--bas-url", server.base],
                             data_dir.parent, capsys)
    assert code == 0, err
    assert server.seen == ["/v3/kpi?title=F%C3%B6retagsklimat+Insikt&per_page=5000"]
    assert "U07455  Företagsklimat Insikt - Livsmedelskontroll - Index [bekräftad i kpi_mappning.csv]" in out
    assert "U99901  Testnyckeltal Insikt - Totalt, Index" in out
    assert {r["kpi_id"] for r in read_rows(store(data_dir) / "kpi.csv")} == {"U07455", "U99901"}
    assert [r["anrop"] for r in read_rows(store(data_dir) / kolada.INDEX)] == ["sok"]


# --- the mapping and the book ---------------------------------------------------------------


def test_the_shipped_mapping_confirms_every_insikt_series_from_kolada_s_catalogue():
    rows = read_rows(DATA / "external" / "kolada" / "kpi_mappning.csv")
    confirmed = {r["kpi_id"]: r for r in rows if r["bekraftad"] == "ja"}
    assert all(r["kalla"].startswith("Koladas nyckeltalskatalog v3 (2026-03-23)") and r["titel"] for r in confirmed.values())
    series = {r["serie"] for r in confirmed.values() if r["serie"]}
    shown = {f"insikt:{o}:nki" for o in ("totalt", "bygglov", "brandskydd", "markupplatelse", "miljo_halsoskydd",
                                         "serveringstillstand", "livsmedelskontroll")}
    shown |= {f"insikt:totalt:{f}" for f in ("information", "tillganglighet", "bemotande", "kompetens", "rattssakerhet",
                                             "effektivitet")}
    assert series == shown
    old, new = confirmed["U07451"], confirmed["U07453"]
    assert old["serie"] == new["serie"] == "insikt:totalt:nki", "old and new totalt: two KPIs on either side of the break"
    assert (old["till_ar"], new["fran_ar"]) == ("2023", "2024") and "gammal definition" in old["titel"]
    assert confirmed["U07446"]["till_ar"] == confirmed["U07448"]["till_ar"] == "2023", "brandskydd, markupplåtelse end"
    assert kolada.load_stored(DATA).varden.empty, "no fetched values are shipped: the book has no invented Kolada data"


def test_kolada_names_the_kommun_as_the_plan_block_does():
    from helpers.data import config

    cfg = config.active()
    assert cfg.kommuner == {cfg.kommunkod: cfg.kortnamn, "0000": "Riket"}


def fetched_into_book(data_dir, server):
    server.standard()
    fetch(data_dir, server)
    return klimatdata.load(data_dir / "foretagsklimat")


def test_fetched_values_of_a_confirmed_kpi_become_real_insikt_rows_with_source_and_date(data_dir, server):
    raw = fetched_into_book(data_dir, server)
    rows = raw.insikt[(raw.insikt["omrade"] == "livsmedelskontroll") & (raw.insikt["matt"] == "nki")].sort_values("ar")
    assert list(rows["ar"].astype(int)) == [2016, 2017, 2019, 2020, 2021, 2022, 2023, 2024, 2025]
    from_kolada = rows[rows["ar"] <= 2020]
    assert list(from_kolada["varde"].astype(float)) == [69.7, 71.2, 74.5, 68.0]
    assert not from_kolada["exempeldata"].any(), "a figure from Kolada is never exempeldata"
    assert set(from_kolada["kalla"]) == {"Kolada, nyckeltal U07455 ”Företagsklimat Insikt - Livsmedelskontroll - Index”, "
                                         "hämtat 2026-05-12"}
    assert rows[rows["ar"] > 2020]["exempeldata"].all()
    assert store(data_dir) / "varden.csv" in raw.files


def test_a_kolada_value_replaces_the_exempeldata_row_for_the_same_year(data_dir, server):
    raw = fetched_into_book(data_dir, server)
    y2019 = raw.insikt[(raw.insikt["ar"] == 2019) & (raw.insikt["omrade"] == "livsmedelskontroll") & (raw.insikt["matt"] == "nki")]
    assert len(y2019) == 1 and float(y2019["varde"].iloc[0]) == 74.5 and not y2019["exempeldata"].iloc[0]


def test_the_book_analysis_runs_on_fetched_values_next_to_invented_answers(data_dir, server):
    from helpers.compute import klimat as klimatcalc

    fetched_into_book(data_dir, server)
    k = klimatcalc.load(data_dir / "foretagsklimat", 2026)
    real = k.insikt[~k.insikt["exempeldata"] & k.insikt["kalla"].str.startswith("Kolada")]
    assert len(real) == 4


def confirm_test_kpi(data_dir: Path, serie: str = "insikt:totalt:nki") -> None:
    """Confirm the test id U99901 for a series whose published values are hand-typed (2016/2017: 72)."""
    path = store(data_dir) / "kpi_mappning.csv"
    rows = [r for r in read_rows(path) if r["serie"] != serie]
    rows.append({"kpi_id": "U99901", "titel": "Testnyckeltal Insikt - Totalt, Index", "serie": serie, "bekraftad": "ja",
                 "kalla": "testfixtur", "anmarkning": "", "fran_ar": "", "till_ar": "2023"})
    write_rows(path, rows)


def write_values(data_dir: Path, values: dict[int, str], kpi="U99901", kommun="0188") -> None:
    rows = [{"kpi_id": kpi, "kommun_id": kommun, "ar": str(y), "kon": "T", "varde": v, "status": "", "hamtad": "2026-05-12",
             "kalla": "Kolada", "svarsfil": "svar/test.json"} for y, v in values.items()]
    write_rows(store(data_dir) / "varden.csv", rows)


def test_a_kolada_value_agreeing_with_a_published_one_within_rounding_keeps_the_published_row(data_dir):
    confirm_test_kpi(data_dir)
    write_values(data_dir, {2016: "71,6", 2017: "72,5"})
    raw = klimatdata.load(data_dir / "foretagsklimat")
    tot = raw.insikt[(raw.insikt["kommun"] == "Norrtälje") & (raw.insikt["omrade"] == "totalt") & (raw.insikt["ar"] <= 2017)]
    assert list(tot["varde"].astype(float)) == [72.0, 72.0], "SKR's published whole numbers stay what readers see"
    assert all("pressmeddelande" in k for k in tot["kalla"])
    assert [k.split("; ", 1)[1] for k in tot["kalla"]] == ["stämmer med Kolada (U99901: 71,6, hämtat 2026-05-12)",
                                                         "stämmer med Kolada (U99901: 72,5, hämtat 2026-05-12)"]


def test_a_kolada_value_disagreeing_with_a_published_one_stops_with_both_named(data_dir):
    confirm_test_kpi(data_dir)
    write_values(data_dir, {2017: "70,4"})
    with pytest.raises(InputError) as exc:
        klimatdata.load(data_dir / "foretagsklimat")
    text = str(exc.value)
    assert "insikt_publicerat.csv, rad 3, kolumn 'varde': värdet '72'" in text
    assert "samma värde som Kolada inom avrundning: 70,4 ±0,5 (U99901" in text and "varden.csv rad 2" in text


def test_riket_values_from_kolada_are_checked_against_the_published_riket(data_dir):
    confirm_test_kpi(data_dir)
    write_values(data_dir, {2021: "74,2", 2022: "75,4", 2023: "75,0"}, kommun="0000")
    raw = klimatdata.load(data_dir / "foretagsklimat")
    riket = raw.insikt[raw.insikt["kommun"] == "Riket"]
    assert len(riket) == 3 and riket["kalla"].str.contains("stämmer med Kolada").all()


def test_unconfirmed_kpis_and_genders_stay_out_of_the_book(data_dir):
    write_values(data_dir, {2016: "10"}, kpi="U99903")
    rows = read_rows(store(data_dir) / "varden.csv")
    rows += [dict(rows[0], kpi_id="U07455", kon="K", ar="2015")]
    write_rows(store(data_dir) / "varden.csv", rows)
    assert kolada.insikt_rows(kolada.load_stored(data_dir)).empty


def test_a_kolada_value_of_another_kommun_is_refused_with_file_row_and_value_never_skipped(data_dir):
    write_values(data_dir, {2016: "10"}, kpi="U99903")
    rows = read_rows(store(data_dir) / "varden.csv")
    rows += [dict(rows[0], kpi_id="U07455", kommun_id="0180")]
    write_rows(store(data_dir) / "varden.csv", rows)
    with pytest.raises(InputError) as exc:
        kolada.insikt_rows(kolada.load_stored(data_dir))
    (problem,) = exc.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "kommun_id", "0180")
    assert "varden.csv" in problem.file and "0000 (Riket)" in problem.expected


def test_a_changed_kolada_title_for_a_confirmed_id_stops_the_book(data_dir, server):
    server.standard()
    server.add(KPI_PATH, body("kpi_U07455.json").replace(b"Livsmedelskontroll - Index", "Något annat - Index".encode()))
    before = snapshot(store(data_dir))
    with pytest.raises(kolada.KoladaError) as exc:
        fetch(data_dir, server)
    assert ("U07455: Kolada säger ”Företagsklimat Insikt - Något annat - Index”, kpi_mappning.csv/kontext.csv säger "
            "”Företagsklimat Insikt - Livsmedelskontroll - Index”") in str(exc.value)
    assert snapshot(store(data_dir)) == before, "a refused fetch stores nothing"
    assert server.seen == [KPI_PATH + "?per_page=5000"], "refused before any value is asked for"


def test_a_confirmed_row_needs_an_id_a_title_and_a_source(data_dir):
    path = store(data_dir) / "kpi_mappning.csv"
    rows = read_rows(path)
    rows[1].update(kpi_id="")  # a title and where it was seen, but no id
    rows[2].update(kpi_id="", titel="", kalla="")  # nothing yet
    rows.append(dict(rows[0], serie="insikt:nagot:nki", bekraftad="nej"))
    write_rows(path, rows)
    with pytest.raises(InputError) as exc:
        kolada.load_stored(data_dir)
    text = str(exc.value)
    assert "rad 3, kolumn 'kpi_id': tomt värde – förväntat: kpi_id när bekraftad är 'ja'" in text
    assert "rad 3, kolumn 'titel'" not in text and "rad 3, kolumn 'kalla'" not in text
    assert all(f"rad 4, kolumn '{c}': tomt värde" in text for c in ("kpi_id", "titel", "kalla"))
    assert "kolumn 'serie': värdet 'insikt:nagot:nki' – förväntat: ett område" in text


def test_an_id_is_mapped_once_and_a_series_has_one_confirmed_kpi(data_dir):
    path = store(data_dir) / "kpi_mappning.csv"
    rows = read_rows(path)
    rows += [dict(rows[0], serie="", bekraftad="nej"), dict(rows[0], kpi_id="U99902")]
    write_rows(path, rows)
    with pytest.raises(InputError) as exc:
        kolada.load_stored(data_dir)
    text = str(exc.value)
    assert "rad 21, kolumn 'kpi_id': värdet 'U07453' – förväntat: varje Kolada-id på en rad" in text
    assert ("rad 22, kolumn 'serie': värdet 'insikt:totalt:nki' – förväntat: ett bekräftat nyckeltal per serie och år "
            "(fran_ar–till_ar får inte överlappa)") in text


def test_kolada_data_named_exempeldata_is_refused(data_dir):
    write_values(data_dir, {2016: "70"}, kpi="U07455")
    (store(data_dir) / "varden.csv").rename(store(data_dir) / "varden.exempeldata.csv")
    with pytest.raises(InputError, match="aldrig exempeldata"):
        kolada.load_stored(data_dir)


@pytest.mark.slow
def test_the_book_builds_offline_from_stored_kolada_data(tmp_path, server, capsys):
    from conftest import make_project, small_data
    from helpers.publish.pipeline import run_year

    data = small_data(tmp_path / "src")
    (data / "external" / "kolada").mkdir(parents=True)
    shutil.copy(DATA / "external" / "kolada" / "kpi_mappning.csv", data / "external" / "kolada")
    layout = make_project(tmp_path / "projekt", data)
    server.standard()
    code, out, err = run_cli(["hamta", "kolada", "--kpi", "U07455", "--kommun", "0188", "--ar", "2016-2020",
                              "--bas-url", server.base], layout.root, capsys)
    assert code == 0, err
    server.server.shutdown()  # from here on there is no Kolada to talk to
    with contextlib.suppress(Exception):
        server.server.server_close()
    run_year(2026, layout, jobs=1)
    # The chapter and its bilaga (where the history with its sources is) together.
    html = "".join((layout.html(2026) / f"{page}.html").read_text(encoding="utf-8")
                   for page in ("foretagsklimat", "bilaga_foretagsklimat"))
    assert "Kolada, nyckeltal U07455" in html and re.search(r"hämtat \d{4}-\d\d-\d\d", html)
    edition = layout.edition(2026) / "indata" / "external" / "kolada"
    assert (edition / "varden.csv").exists() and (edition / "kpi_mappning.csv").exists()
