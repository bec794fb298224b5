"""What is fetched from Kolada and how it is kept: raw answers unchanged, their index, KPI metadata
and the tidy values the book reads, all under `data/external/kolada/` (see docs/kolada.md).

A fetch is all or nothing: every page is fetched and checked in memory before anything is
written, and each file is written to a temporary file, validated and only then moved into place,
so a failed, interrupted or partial fetch never replaces good stored data.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, display_path
from helpers.core.fmt import exact_sv
from helpers.core.fs import write_bytes_atomic, write_text_atomic
from helpers.core.missing import blank
from helpers.data import inputs
from helpers.data.csvio import csv_text
from helpers.data.kolada.client import KALLA, KON, Klient, KoladaError, Svar, years_text
from helpers.data.kolada.mapping import _mapping_problems, expected_titles, title_conflicts
from helpers.data.schema import TableSpec, load_table

SVAR_DIR = "svar"
PER_MEDLEM = "Liknande kommuner"  # groups fetched per member as well as as a mean (see per_member)
INDEX = "hamtningar.csv"
INDEX_COLUMNS = ["fil", "anrop", "url", "hamtad", "http_status", "sha256", "byte"]


def folder(data_dir: Path) -> Path:
    """Where everything fetched from Kolada is kept: data/external/kolada/."""
    return Path(data_dir) / inputs.KOLADA


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
    """A kommun id (four digits; '0000' is Riket) or a comparison group's id ('G92788', its unweighted mean)."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}|G\d+", value.strip()):
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
            count = v.get("count")
            if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
                raise _shape_error(svar, f"{where}, 'count'", "ett heltal eller null", count)
            rows.append({"kpi_id": kpi, "kommun_id": kommun, "ar": year, "kon": v["gender"], "varde": number,
                         "status": (status or "").strip(), "hamtad": svar.hamtad.date().isoformat(), "kalla": KALLA,
                         "svarsfil": fil, "antal": count})
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


def group_rows(svar: Svar, fil: str) -> list[dict]:
    """A comparison group's title and members at fetch time (v3 `member_id`/`member_title`, v2 `id`/`title`)."""
    rows = []
    for i, item in enumerate(svar.data["values"], start=1):
        if not isinstance(item, dict):
            raise _shape_error(svar, f"post {i}", "ett objekt", item)
        gid, title, members = item.get("id"), item.get("title"), item.get("members")
        if not isinstance(gid, str) or not re.fullmatch(r"G\d+", gid):
            raise _shape_error(svar, f"post {i}, 'id'", "ett grupp-id som 'G92788'", gid)
        if not isinstance(title, str) or not title.strip():
            raise _shape_error(svar, f"post {i}, 'title'", "en titel", title)
        if not isinstance(members, list) or not members:
            raise _shape_error(svar, f"post {i}, 'members'", "en lista med minst en kommun", members)
        for j, m in enumerate(members, start=1):
            mid = _kommun(m.get("member_id", m.get("id"))) if isinstance(m, dict) else None
            name = m.get("member_title", m.get("title")) if isinstance(m, dict) else None
            if mid is None or mid.startswith("G") or not isinstance(name, str) or not name.strip():
                raise _shape_error(svar, f"post {i}, medlem {j}", "member_id (fyra siffror) och member_title", m)
            rows.append({"grupp_id": gid, "titel": " ".join(title.split()), "medlem_id": mid, "medlem_namn": name.strip(),
                         "hamtad": svar.hamtad.date().isoformat(), "svarsfil": fil})
    return rows


def per_member(title: str) -> bool:
    """Groups whose members are shown one by one: Kolada's "Liknande kommuner …" (they exclude the kommun itself)."""
    return title.startswith(PER_MEDLEM)


# --- storage -----------------------------------------------------------------------------------


def _csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    return csv_text(columns, (["" if blank(r.get(c)) else exact_sv(r[c]) if isinstance(r.get(c), float) else str(r[c])
                               for c in columns] for r in rows))


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
    grupper: list[dict] = field(default_factory=list)  # one row per member of each fetched group


def _raw_names(responses: list[Svar], stamp: str) -> list[str]:
    tag = uuid.uuid4().hex[:6]
    return [f"{stamp}-{tag}-{i:03d}-{s.anrop}.json" for i, s in enumerate(responses, start=1)]


def _store(target: Path, responses: list[Svar], value_rows_new: list[dict] | None, meta_rows: list[dict],
           names: list[str], res: Resultat, group_rows_new: list[dict] | None = None) -> None:
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
    groups_path, groups_spec = target / "grupper.csv", inputs.entry(inputs.KOLADA, "grupper").spec
    merged_groups = None
    if group_rows_new:  # a fetched group's member list replaces the stored one (older lists stay in svar/)
        fetched_ids = {r["grupp_id"] for r in group_rows_new}
        merged_groups = [r for r in _read_stored(groups_path, groups_spec) if r["grupp_id"] not in fetched_ids]
        merged_groups += group_rows_new  # in the order fetched: the configured order, which the book keeps
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
        if merged_groups is not None:
            write_text_atomic(groups_path, _csv_text(groups_spec.names, merged_groups),
                              check=_validator(groups_spec, ["grupp_id", "medlem_id"], display_path(groups_path)))
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
    for stem in ("kpi_mappning", "kpi", "varden", "grupper", "kontext"):
        path = target / f"{stem}.csv"
        if path.exists():
            load_table(path, inputs.entry(inputs.KOLADA, stem).spec)


def hamta(data_dir: Path, kpis: list[str], kommuner: list[str], years: list[int], klient: Klient,
          grupper: list[str] | tuple[str, ...] = ()) -> Resultat:
    """Fetch metadata and values of `kpis` for `kommuner` and the comparison `grupper` (their
    unweighted means, and for "Liknande kommuner" each member too), then store them; all or nothing.

    Refuses, before anything is stored, when Kolada's title of a KPI the book relies on has changed."""
    target = folder(data_dir)
    _check_stored(target)
    meta_responses = klient.kpi(kpis)
    meta_check = [r for s in meta_responses for r in kpi_rows(s, "")]
    conflicts = title_conflicts(expected_titles(target), {r["kpi_id"]: r["titel"] for r in meta_check})
    if conflicts:
        raise KoladaError("Koladas titel stämmer inte längre för " + "; ".join(conflicts) + ". Kontrollera att id:t "
                          "fortfarande mäter samma sak och rätta titeln innan något hämtas.")
    group_responses = klient.grupper(list(grupper)) if grupper else []
    probe = [r for s in group_responses for r in group_rows(s, "")]
    members = [r["medlem_id"] for r in probe if per_member(r["titel"])]
    asked = list(dict.fromkeys([*kommuner, *grupper, *members]))
    responses = meta_responses + group_responses + klient.data(kpis, asked, years)
    names = _raw_names(responses, _stamp(responses))
    res = Resultat()
    meta_rows, new_values, new_groups, deleted = [], [], [], 0
    for s, name in zip(responses, names):
        fil = f"{SVAR_DIR}/{name}"
        if s.anrop == "kpi":
            meta_rows += kpi_rows(s, fil)
        elif s.anrop == "grupp":
            new_groups += group_rows(s, fil)
        else:
            rows, d = value_rows(s, fil)
            new_values += rows
            deleted += d
    missing_groups = [g for g in grupper if g not in {r["grupp_id"] for r in new_groups}]
    if missing_groups:
        raise KoladaError(f"Kolada känner inte till jämförelsegruppen {', '.join(missing_groups)} "
                          "(kontrollera jamforelsegrupper i _config.yml).")
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
    res.grupper = new_groups
    known = {r["kpi_id"] for r in meta_rows}
    for k in kpis:
        res.per_kpi[k] = sum(1 for r in new_values if r["kpi_id"] == k and not blank(r["varde"]))
        res.tomma[k] = sum(1 for r in new_values if r["kpi_id"] == k and blank(r["varde"]))
        if k not in known:
            res.varningar.append(f"{k} finns inte i Koladas förteckning över nyckeltal (inget id med det namnet).")
        elif not any(r["kpi_id"] == k for r in new_values):
            res.varningar.append(f"Kolada har inga värden för {k}, kommun {', '.join(asked)}, år {years_text(years)}.")
    if deleted:
        res.varningar.append(f"Värden som Kolada markerar som borttagna sparades inte: {deleted} st.")
    _store(target, responses, new_values, meta_rows, names, res, new_groups)
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


# --- reading what is stored (offline; this is what the book uses) ------------------------------


@dataclass(frozen=True)
class Lagrat:
    """The stored Kolada files, validated; `files` are the ones that exist (inputs of an edition)."""

    mappning: pd.DataFrame
    kpi: pd.DataFrame
    varden: pd.DataFrame
    files: tuple[Path, ...]
    grupper: pd.DataFrame = field(default_factory=pd.DataFrame)  # each group's members at fetch time
    kontext: pd.DataFrame = field(default_factory=pd.DataFrame)  # the context KPIs to show

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
    return Lagrat(mapping, meta, frames["varden"], tuple(files), frames["grupper"], frames["kontext"])
