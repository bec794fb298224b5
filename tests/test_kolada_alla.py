"""`python -m helpers hamta kolada` without arguments: every configured series, context KPI and
comparison group, against the local replay server (answers in tests/fixtures/kolada/alla/,
Kolada's shapes, invented numbers: see the README there)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, ROOT, read_rows, write_rows
from helpers.data import kolada
from test_kolada import FIX, Replay, run_cli, snapshot, store

ALLA = FIX / "alla"
ASK = (ALLA / "anrop.txt").read_text(encoding="utf-8").strip()
KPIS = [p.stem.removeprefix("kpi_") for p in sorted(ALLA.glob("kpi_*.json"))]


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder: the shipped _config.yml (Norrtälje, three comparison groups) and Kolada configuration."""
    root = tmp_path / "projekt"
    (root / "data" / "external" / "kolada").mkdir(parents=True)
    shutil.copytree(DATA / "foretagsklimat", root / "data" / "foretagsklimat")
    for name in ("kpi_mappning.csv", "kontext.csv"):
        shutil.copy(DATA / "external" / "kolada" / name, root / "data" / "external" / "kolada" / name)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "notebooks").mkdir()
    return root


@pytest.fixture
def server():
    """The replay server with every recorded answer of a fetch without arguments."""
    replay = recorded(Replay())
    replay.thread.start()
    yield replay
    replay.stop()


def recorded(server: Replay) -> Replay:
    for kpi in KPIS:
        server.add(f"/v3/kpi/{kpi}", (ALLA / f"kpi_{kpi}.json").read_bytes())
    for group in ("G92788", "G33612", "G37481"):
        server.add(f"/v3/municipality_groups/{group}", (ALLA / f"grupp_{group}.json").read_bytes())
    server.add(f"{ASK}?per_page=5000", (ALLA / "data_1.json").read_bytes())
    server.add(f"{ASK}?page=2&per_page=5000", (ALLA / "data_2.json").read_bytes())
    return server


def fetch_all(project: Path, server: Replay, capsys):
    return run_cli(["hamta", "kolada", "--ar", "2023-2025", "--bas-url", server.base], project, capsys)


def test_without_arguments_every_configured_kpi_kommun_and_group_is_fetched(project, server, capsys):
    code, out, err = fetch_all(project, server, capsys)
    assert code == 0, err
    mapping = [r["kpi_id"] for r in read_rows(DATA / "external" / "kolada" / "kpi_mappning.csv") if r["bekraftad"] == "ja"]
    context = [r["kpi_id"] for r in read_rows(DATA / "external" / "kolada" / "kontext.csv")]
    assert [p.split("?")[0] for p in server.seen[:len(mapping) + len(context)]] == [f"/v3/kpi/{k}" for k in mapping + context]
    assert "/v3/municipality_groups/G37481?per_page=5000" in server.seen
    assert "/municipality/0188,0000,G92788,G33612,G37481,0114,0480,1290,1293,1485,2081,2181/" in ASK, \
        "the kommun, Riket, the three groups' means and the members of 'liknande kommuner'"
    assert server.seen[-1] == f"{ASK}?page=2&per_page=5000", "the second page is followed"
    assert "jämförelsegrupp G37481 Liknande kommuner, övergripande, Norrtälje, 2025: 7 medlemmar (ovägt medel och varje medlem)" in out
    assert "jämförelsegrupp G92788 Mindre stad/tätort (ovägt medel): 3 medlemmar (ovägt medel)" in out
    assert "U07453 Företagsklimat Insikt - Totalt, Index, ny definition: 35 värden, 1 utan värde" in out


def test_groups_keep_their_member_list_and_each_mean_how_many_members_contributed(project, server, capsys):
    fetch_all(project, server, capsys)
    target = store(project / "data")
    groups = read_rows(target / "grupper.csv")
    liknande = [r for r in groups if r["grupp_id"] == "G37481"]
    assert [r["medlem_namn"] for r in liknande] == ["Upplands Väsby", "Nyköping", "Kristianstad", "Hässleholm", "Uddevalla",
                                                   "Borlänge", "Sandviken"]
    assert all(r["hamtad"] == liknande[0]["hamtad"] and r["svarsfil"].startswith("svar/") for r in groups)
    values = {(r["kpi_id"], r["kommun_id"], r["ar"]): r for r in read_rows(target / "varden.csv")}
    assert values[("U07453", "G37481", "2025")]["antal"] == "6", "one member had no value that year"
    assert values[("U07453", "1293", "2025")]["varde"] == "" and values[("U07453", "1293", "2025")]["status"] == "Missing"
    assert values[("U07453", "G92788", "2023")]["ar"] == "2023", "periods sent as strings are years too"
    meta = {r["kpi_id"]: r for r in read_rows(target / "kpi.csv")}
    assert meta["N00999"]["titel"] == "Nystartade företag, antal/1000 inv, 16-64 år"
    assert meta["N00999"]["publiceringsdatum"] == "2025-04-24" and meta["N00999"]["beskrivning"]
    assert meta["N00999"]["enhet"] == "antal/1000 inv"


def test_old_and_new_totalt_are_never_joined_in_the_book(project, server, capsys):
    fetch_all(project, server, capsys)
    rows = kolada.insikt_rows(kolada.load_stored(project / "data"))
    tot = rows[(rows["omrade"] == "totalt") & (rows["matt"] == "nki") & (rows["kommun"] == "Norrtälje")]
    assert sorted(zip(tot["ar"].astype(int), tot["kpi_id"])) == [(2023, "U07451"), (2024, "U07453"), (2025, "U07453")]
    ends = rows[rows["omrade"].isin(["brandskydd", "markupplatelse"])]
    assert set(ends["ar"].astype(int)) == {2023}, "brandskydd and markupplåtelse end where totalt leaves them out"


def test_a_removed_kpi_answers_404_and_the_fetch_stores_nothing(project, server, capsys):
    server.add("/v3/kpi/U07459", (404, {}, b'{"error": "Not found"}'))
    before = snapshot(store(project / "data"))
    code, out, err = fetch_all(project, server, capsys)
    assert code == 1
    assert "Nyckeltalet U07459 finns inte längre hos Kolada (404" in err and "kpi_mappning.csv eller kontext.csv" in err
    assert snapshot(store(project / "data")) == before
    assert not any("/data/" in p for p in server.seen)


def test_a_changed_title_of_a_context_kpi_refuses_the_fetch_with_both_titles(project, server, capsys):
    server.add("/v3/kpi/N40009", (ALLA / "kpi_N40009.json").read_bytes().replace(
        "Nettokostnad näringslivsfrämjande åtgärder".encode(), b"Nettokostnad turism"))
    code, out, err = fetch_all(project, server, capsys)
    assert code == 1
    assert "N40009: Kolada säger ”Nettokostnad turism, kr/inv”" in err
    assert "säger ”Nettokostnad näringslivsfrämjande åtgärder, kr/inv”" in err


def test_an_unknown_group_stops_the_fetch(project, server, capsys):
    server.add("/v3/municipality_groups/G33612", b'{"count": 0, "values": []}')
    code, out, err = fetch_all(project, server, capsys)
    assert code == 1 and "jämförelsegruppen G33612" in err and "_config.yml" in err


def test_a_totalt_kpi_over_the_2024_break_is_refused(project):
    path = store(project / "data") / "kpi_mappning.csv"
    rows = read_rows(path)
    rows[0]["fran_ar"] = ""  # U07453, new definition, suddenly open backwards
    write_rows(path, rows)
    with pytest.raises(Exception) as exc:
        kolada.load_stored(project / "data")
    assert "rad 2, kolumn 'fran_ar'" in str(exc.value) and "seriebrottet 2024" in str(exc.value)


@pytest.mark.slow
def test_the_book_builds_offline_with_fetched_groups_members_and_context(tmp_path, server, capsys):
    from conftest import make_project, small_data
    from helpers.publish.pipeline import run_year

    data = small_data(tmp_path / "src")
    shutil.copytree(DATA / "external", data / "external")
    # No jamforelse.exempeldata.csv: once everything is fetched, the invented comparisons go.
    layout = make_project(tmp_path / "projekt", data)
    code, out, err = fetch_all(layout.root, server, capsys)
    assert code == 0, err
    server.stop()  # from here on there is no Kolada to talk to
    run_year(2026, layout, jobs=1)
    # The chapter and its bilaga (member by member, the context and the history) together.
    html = "".join((layout.html(2026) / f"{page}.html").read_text(encoding="utf-8")
                   for page in ("foretagsklimat", "bilaga_foretagsklimat"))
    assert "Källa: Kolada (nyckeltal N00926, N00999, N02251, N02267, N03935, N40009; hämtat" in html
    assert html.index("(G92788, 3 kommuner)") < html.index("(G33612, 3 kommuner)") < html.index("(G37481, 7 kommuner"), \
        "the groups in the order of _config.yml"
    assert "Utan värde för 2025: Hässleholm" in html, "a member without a value is named, not dropped silently"
    assert "Liknande kommuner, övergripande, Norrtälje, 2025: NKI totalt mätår 2025 per kommun" in html
    edition = layout.edition(2026) / "indata"
    assert (edition / "external" / "kolada" / "grupper.csv").exists()
    assert (edition / "external" / "kolada" / "kontext.csv").exists()
