"""Evidence for each edition: the input snapshot, a manifest that closes the chain, the archive package.

- `snapshot_inputs` copies the year's inputs into the staging edition before any notebook runs;
  the notebooks read only that copy (`indata/`).
- `write_manifest` records SHA-256 of every file of the edition and of its HTML pages, the code
  (git commit, clean or not, every source file, the lock files), the environment (Python and
  every installed package), the parameters of each page and the times. Every descriptive field
  is also written to `korning.json` inside the edition, which the manifest hashes, so a changed
  field in the manifest is caught and named.
- `archive_year` writes the package for the diarium and e-arkiv: `arkiv/<år>/` and `arkiv/<år>.zip`
  with the manifest at the root, a `sha256sum -c` compatible `SHA256SUMS`, the edition, its HTML
  and the code. An archived year is fastställd: it is not rebuilt or re-archived unless forced,
  and a forced re-archive keeps the earlier package as a numbered version.
- `verify` and `verify_package` report every changed, missing or extra file by name, check the
  manifest's own fields, and check the manifest against the SHA-256 kept in the diarium.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from helpers.build.provenance import code_files, lock_files, provenance, recorded_time, sha256, sha256_bytes
from helpers.core.errors import RunError, display_path
from helpers.core.fs import write_text_atomic
from helpers.data.csvio import find_input
from helpers.data.inputs import CATALOGUE, KLIMAT, KOLADA, PLAN, YEAR

FORMAT = "uppfoljningsboken/manifest/2"
MANIFEST = "manifest.json"
RUN_RECORD = "korning.json"
ARCHIVE_RECORD = "arkiv.json"
CHECKSUMS = "SHA256SUMS"
INPUTS = "indata"
ARCHIVE_ROOT = "arkiv"
EDITION_PART, HTML_PART, CODE_PART = "utgava", "html", "kod"
HASH_KEYS = ("filer", "html")
ARCHIVE_KEYS = ("arkiv", "arkivfiler")
DERIVED_KEYS = ("pdf",)  # products made from the edition after the run (recorded by add_to_edition)
HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ManifestError(RunError):
    """A manifest that cannot be read (missing, truncated, not JSON, wrong shape): Swedish message."""


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- the input snapshot ---------------------------------------------------------------------------

def snapshot_inputs(an, layout, staging: Path) -> list[str]:
    """Copy every input file of the year (the catalogue's files, as analyse read them) into staging/indata.

    Returns the copied files relative to the snapshot. Runs before any notebook, so what the
    notebooks read is exactly what the edition keeps.
    """
    folders = {PLAN: [layout.data / "plan"], YEAR: [layout.data / str(y) for y in sorted(an.years)],
               KLIMAT: [layout.data / "foretagsklimat"], KOLADA: [layout.data / KOLADA]}
    files = []
    for entry in CATALOGUE:
        for folder in folders[entry.folder]:
            if entry.folder == PLAN:  # the register is read as <stem>.csv only (plan.load_plan)
                path = folder / f"{entry.stem}.csv"
                path = path if path.is_file() else None
            else:
                path = find_input(folder, entry.stem, required=False) if folder.is_dir() else None
            if path is not None:
                files.append(path)
    read = {Path(p).resolve() for p in an.input_files()}
    unlisted = read - {p.resolve() for p in files}
    if unlisted:  # the catalogue must name every file analyse reads, or the snapshot would be incomplete
        raise RunError("Indatafiler som inte finns i katalogen (data/inputs.py): "
                       + ", ".join(sorted(display_path(p) for p in unlisted)))
    copied = []
    for src in files:
        rel = Path(src).resolve().relative_to(layout.data.resolve())
        dst = staging / INPUTS / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        copied.append(rel.as_posix())
    return copied


# --- the manifest ---------------------------------------------------------------------------------

def _files(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).as_posix() not in skip}


def _kernel_python(edition: Path, pages) -> str | None:
    for page in pages:
        try:
            nb = json.loads((edition / f"{page.name}.ipynb").read_text(encoding="utf-8"))
            return nb["metadata"]["language_info"]["version"]
        except (OSError, KeyError, ValueError):
            continue
    return None


def write_manifest(edition: Path, html: Path, *, an, pages, timings: dict[str, float], prov: dict,
                   tables: dict[str, list[str]] | None = None, rebuilt: dict | None = None) -> Path:
    """Write korning.json (the run's record) and manifest.json (the record plus every file's SHA-256)."""
    when, source = recorded_time()
    record = {
        "format": FORMAT,
        "ar": an.year,
        "exempeldata": an.exempeldata,
        "byggd": when,
        "tidskalla": source,
        "indata": INPUTS,
        "parametrar": {p.name: p.parameters for p in pages},
        "sidor": {p.name: {"mall": p.template, "titel": p.title} for p in pages},
        "tabeller": tables or {},
        "kod": prov["kod"],
        "miljo": {**prov["miljo"], "karnans_python": _kernel_python(edition, pages)},
        "versioner": prov["versioner"],
        "mallar": prov["kod"]["mallar"],
        "korningstid_s": {k: round(v, 2) for k, v in sorted(timings.items())},
        "ombyggd_efter_arkivering": rebuilt,
    }
    (edition / RUN_RECORD).write_text(_dump(record), encoding="utf-8")
    manifest = {**record, "filer": _files(edition, (MANIFEST,)), "html": _files(html) if html.is_dir() else {}}
    target = edition / MANIFEST
    target.write_text(_dump(manifest), encoding="utf-8")
    return target


_JSON_REASONS = {
    "Expecting value": "ett värde väntades",
    "Unterminated string starting at": "en text tar slut utan avslutande citattecken",
    "Expecting ',' delimiter": "ett kommatecken väntades",
    "Expecting ':' delimiter": "ett kolon väntades",
    "Expecting property name enclosed in double quotes": "ett fältnamn inom citattecken väntades",
    "Extra data": "det finns tecken efter manifestets slut",
    "Invalid control character at": "ett otillåtet styrtecken",
}


def parse_manifest(raw: bytes, label: str) -> dict:
    """The manifest as a dict, or ManifestError with a Swedish message (never a traceback)."""
    advice = "Utgåvan kan inte kontrolleras mot det; hämta manifestet från arkivet och jämför med kontrollsumman i diariet."
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestError(f"Manifestet {label} är skadat: det är inte läsbar text (UTF-8). {advice}") from None
    if not text.strip():
        raise ManifestError(f"Manifestet {label} är tomt. {advice}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = _JSON_REASONS.get(exc.msg, "ogiltig JSON")
        raise ManifestError(f"Manifestet {label} är skadat eller ofullständigt: fel på rad {exc.lineno}, "
                            f"kolumn {exc.colno} ({reason}). {advice}") from None
    if not isinstance(data, dict):
        raise ManifestError(f"Manifestet {label} har fel form: ett JSON-objekt med fält väntades. {advice}")
    required = {"ar": int, "exempeldata": bool, "byggd": str, "filer": dict}
    if data.get("format") == FORMAT:
        required |= {"html": dict, "parametrar": dict, "kod": dict, "miljo": dict}
    wrong = [k for k, t in required.items() if not isinstance(data.get(k), t) or (t is int and isinstance(data.get(k), bool))]
    if wrong:
        raise ManifestError(f"Manifestet {label} saknar fält eller har fel typ i fälten: {', '.join(wrong)}. {advice}")
    for key in HASH_KEYS + ("arkivfiler",):
        bad = [k for k, v in data.get(key, {}).items() if not isinstance(v, str) or not HEX64.match(v)]
        if bad:
            raise ManifestError(f"Manifestet {label}: fältet '{key}' har ogiltiga kontrollsummor för {', '.join(bad[:5])}. {advice}")
    return data


def load_manifest(path: Path) -> dict:
    path = Path(path)
    if not path.exists():
        raise ManifestError(f"{display_path(path)} saknas: utgåvan har inget manifest att kontrollera mot.")
    return parse_manifest(path.read_bytes(), display_path(path))


def check_hex(value: str) -> str:
    """A SHA-256 as the diarium has it (any case, surrounding spaces ignored), or RunError."""
    text = value.strip().lower()
    if not HEX64.match(text):
        raise ValueError(f"'{value}' är ingen SHA-256-kontrollsumma (64 tecken 0–9 och a–f)")
    return text


# --- trees of files: a folder or a zip ------------------------------------------------------------

class FolderTree:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.problems: list[str] = []

    def hashes(self) -> dict[str, str]:
        return _files(self.root)

    def read(self, rel: str) -> bytes | None:
        p = self.root / rel
        return p.read_bytes() if p.is_file() else None


class ZipTree:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.problems: list[str] = []
        self._data: dict[str, bytes] = {}
        try:
            with zipfile.ZipFile(self.path) as zf:
                names = [i.filename for i in zf.infolist() if not i.is_dir()]
                for name in sorted(set(n for n in names if names.count(n) > 1)):
                    self.problems.append(f"{name}: posten förekommer flera gånger i zip-filen")
                for name in names:
                    try:
                        self._data[name] = zf.read(name)
                    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                        self.problems.append(f"{name}: posten i zip-filen är skadad (kontrollen av innehållet misslyckades)")
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ManifestError(f"Zip-filen {display_path(self.path)} är skadad eller ofullständig och kan inte läsas "
                                f"({'ingen giltig zip-fil' if isinstance(exc, zipfile.BadZipFile) else exc}). "
                                "Hämta arkivet på nytt och jämför med kontrollsumman i diariet.") from None

    def hashes(self) -> dict[str, str]:
        return {n: sha256_bytes(b) for n, b in sorted(self._data.items())}

    def read(self, rel: str) -> bytes | None:
        return self._data.get(rel)


def _compare(expected: dict[str, str], actual: dict[str, str], name=lambda rel: rel) -> list[str]:
    problems = []
    for rel, digest in sorted(expected.items()):
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            problems.append(f"{name(rel)}: sökvägen pekar utanför utgåvan (manifestet är ändrat)")
        elif rel not in actual:
            problems.append(f"{name(rel)}: filen saknas")
        elif actual[rel] != digest:
            problems.append(f"{name(rel)}: innehållet har ändrats (kontrollsumman stämmer inte)")
    problems += [f"{name(rel)}: filen finns inte i manifestet" for rel in sorted(set(actual) - set(expected))]
    return problems


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _check_fields(manifest: dict, read, changed: set[str], year: int | None) -> list[str]:
    """The manifest's own fields, against korning.json and against what the edition itself shows.

    `read(rel)` returns the bytes of an edition file; `changed` are edition files whose hash
    failed (nothing is read from them).
    """
    problems = []
    ar = manifest["ar"]
    if year is not None and ar != year:
        problems.append(f"{MANIFEST}: fältet 'ar' är {ar}, men utgåvan gäller {year}")
    filer = manifest["filer"]
    invented = any(k.startswith(f"{INPUTS}/") and k.endswith(".exempeldata.csv") for k in filer)
    has_inputs = any(k.startswith(f"{INPUTS}/") for k in filer)
    if has_inputs and manifest["exempeldata"] != invented:
        problems.append(f"{MANIFEST}: fältet 'exempeldata' är {_short(manifest['exempeldata'])}, men indata "
                        f"{'innehåller' if invented else 'innehåller inga'} filer märkta .exempeldata")
    try:
        stamp = dt.datetime.fromisoformat(manifest["byggd"])
        if stamp.tzinfo is None:
            raise ValueError
    except ValueError:
        problems.append(f"{MANIFEST}: fältet 'byggd' är ingen tidpunkt med tidszon ({_short(manifest['byggd'])})")
    if manifest.get("format") != FORMAT:
        return problems
    if RUN_RECORD not in filer:
        problems.append(f"{MANIFEST}: {RUN_RECORD} saknas i filförteckningen, så manifestets fält kan inte kontrolleras")
    elif RUN_RECORD not in changed and (raw := read(RUN_RECORD)) is not None:
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            record = None
            problems.append(f"{RUN_RECORD}: filen är inte läsbar JSON")
        if isinstance(record, dict):
            for key in sorted(set(record) | set(manifest)):
                if key in HASH_KEYS or key in ARCHIVE_KEYS or key in DERIVED_KEYS:
                    continue
                if key not in record:
                    problems.append(f"{MANIFEST}: fältet '{key}' finns inte i {RUN_RECORD} (tillagt i efterhand)")
                elif key not in manifest:
                    problems.append(f"{MANIFEST}: fältet '{key}' saknas (finns i {RUN_RECORD})")
                elif record[key] != manifest[key]:
                    problems.append(f"{MANIFEST}: fältet '{key}' har ändrats: manifestet säger {_short(manifest[key])}, "
                                    f"{RUN_RECORD} {_short(record[key])}")
    for page, params in sorted(manifest.get("parametrar", {}).items()):
        nb_name = f"{page}.ipynb"
        if isinstance(params, dict) and params.get("year") != ar:
            problems.append(f"{MANIFEST}: sidan {page} har parametern year={params.get('year')}, men utgåvan gäller {ar}")
        if nb_name not in filer:
            problems.append(f"{MANIFEST}: notebooken {nb_name} saknas i filförteckningen")
        elif nb_name not in changed and (raw := read(nb_name)) is not None:
            try:
                recorded = json.loads(raw.decode("utf-8"))["metadata"]["papermill"]["parameters"]
            except (UnicodeDecodeError, ValueError, KeyError, TypeError):
                recorded = None
            if recorded != params:
                problems.append(f"{nb_name}: parametrarna i notebooken ({_short(recorded)}) stämmer inte med manifestet "
                                f"({_short(params)})")
        if f"{page}.html" not in manifest.get("html", {}):
            problems.append(f"{MANIFEST}: webbsidan {page}.html saknas i förteckningen över webbsidor")
    return problems


# --- verifying an edition -------------------------------------------------------------------------

def verify(edition: Path, html: Path | None = None, *, year: int | None = None,
           expected_sha: str | None = None) -> list[str]:
    """Differences between an edition (book/<år>, and its pages in `html`) and its manifest; [] = intact."""
    edition = Path(edition)
    path = edition / MANIFEST
    if not path.exists():
        raise ManifestError(f"{display_path(path)} saknas: utgåvan har inget manifest att kontrollera mot.")
    raw = path.read_bytes()
    problems = []
    if expected_sha is not None and sha256_bytes(raw) != expected_sha:
        problems.append(f"{MANIFEST}: manifestets SHA-256 är {sha256_bytes(raw)}, men diariet anger {expected_sha} "
                        "(manifestet har ändrats eller hör till en annan utgåva)")
    manifest = parse_manifest(raw, display_path(path))
    actual = _files(edition, (MANIFEST,))
    file_problems = _compare(manifest["filer"], actual)
    problems += file_problems
    if "html" in manifest and html is not None:
        label = display_path(html)
        if not Path(html).is_dir():
            problems.append(f"{label}: webbsidorna saknas ({len(manifest['html'])} filer i manifestet)")
        else:
            problems += _compare(manifest["html"], _files(Path(html)), lambda rel: f"{label}/{rel}")
    changed = {p.split(": ", 1)[0] for p in file_problems}
    problems += _check_fields(manifest, lambda rel: (edition / rel).read_bytes() if (edition / rel).is_file() else None,
                              changed, year)
    return problems


def add_to_edition(layout, year: int, files: list[Path], *, replace: bool = False,
                   derived: dict | None = None) -> list[str]:
    """Record files made after the run (e.g. the edition's PDF) in its manifest.

    Only these files are added (or, with `replace`, re-recorded: a PDF made again from the same
    edition); every other recorded file must still match, so this can never bless a changed file.
    `derived` adds descriptive fields (DERIVED_KEYS only). A fastställd (archived) year is refused:
    its archive is the record.
    """
    edition, html = layout.edition(year), layout.html(year)
    if archived(layout, year) is not None:
        raise RunError(f"Utgåvan {year} är fastställd (arkiverad); filer läggs inte till i efterhand.")
    manifest = load_manifest(edition / MANIFEST)
    added = []
    for f in files:
        f = Path(f).resolve()
        for key, base in (("filer", edition.resolve()), ("html", html.resolve())):
            if f.is_relative_to(base):
                rel = f.relative_to(base).as_posix()
                if rel in manifest[key] and not replace:
                    raise RunError(f"{display_path(f)} finns redan i manifestet och ersätts inte.")
                manifest[key][rel] = sha256(f)
                added.append(rel)
                break
        else:
            raise RunError(f"{display_path(f)} ligger varken i {display_path(edition)} eller {display_path(html)}.")
    problems = [p for p in verify(edition, html, year=year) if p.split(": ", 1)[0] not in
                {*added, *(f"{display_path(html)}/{a}" for a in added)}]
    if problems:
        raise RunError(f"Utgåvan {year} stämmer inte med sitt manifest; inget läggs till:\n"
                       + "\n".join(f"  • {p}" for p in problems))
    for key, value in (derived or {}).items():
        if key not in DERIVED_KEYS:
            raise ValueError(f"not a derived manifest field: {key}")
        manifest[key] = value
    write_text_atomic(edition / MANIFEST, _dump(manifest))
    return added


# --- the archive package --------------------------------------------------------------------------

def archive_root(layout) -> Path:
    return layout.root / ARCHIVE_ROOT


@dataclass(frozen=True)
class Archived:
    """An archived (fastställd) year: where its package is, its version and the manifest's SHA-256."""

    folder: Path
    zip: Path
    version: int | None
    manifest_sha256: str | None


def archived(layout, year: int) -> Archived | None:
    root = archive_root(layout)
    folder, zpath = root / str(year), root / f"{year}.zip"
    if not folder.exists() and not zpath.exists():
        return None
    version = sha = None
    try:
        raw = (folder / MANIFEST).read_bytes()
        sha = sha256_bytes(raw)
        version = int(json.loads(raw)["arkiv"]["version"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return Archived(folder, zpath, version, sha)


def guard(layout, year: int, *, force: bool) -> dict | None:
    """Refuse to rebuild a fastställd (archived) year unless forced; a forced run gets what it replaces."""
    info = archived(layout, year)
    if info is None:
        return None
    if not force:
        raise RunError(f"Utgåvan {year} är fastställd: den är arkiverad i {display_path(info.folder)} "
                       f"(version {info.version or 'okänd'}, manifestets SHA-256 {info.manifest_sha256 or 'okänd'}). "
                       "Den byggs inte om utan --tvinga. Arkivet ligger kvar oförändrat även efter en ombyggnad; en ny "
                       f"version arkiveras med 'python -m helpers arkivera --ar {year} --tvinga'.")
    return {"version": info.version, "manifest_sha256": info.manifest_sha256}


def _versions(root: Path, year: int) -> list[int]:
    out = []
    for p in root.glob(f"{year}.v*"):
        m = re.fullmatch(rf"{year}\.v(\d+)(\.zip)?", p.name)
        if m:
            out.append(int(m.group(1)))
    return out


def _zip_time(iso: str) -> tuple[int, int, int, int, int, int]:
    t = dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
    t = max(t, dt.datetime(1980, 1, 1, tzinfo=dt.UTC))  # the zip format starts in 1980
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def write_zip(folder: Path, target: Path, when: str) -> None:
    """A zip of the package with the manifest first, fixed times and modes: same content, same bytes."""
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    order = [n for n in (MANIFEST, CHECKSUMS) if n in names] + [n for n in names if n not in (MANIFEST, CHECKSUMS)]
    stamp = _zip_time(when)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, (folder / name).read_bytes())


@dataclass(frozen=True)
class ArchiveResult:
    year: int
    folder: Path
    zip: Path
    version: int
    manifest_sha256: str
    zip_sha256: str
    previous: Path | None


def _code_changes(recorded: dict, prov: dict) -> list[str]:
    out = []
    for key in ("helpers", "mallar"):
        old, new = recorded.get(key, {}), prov["kod"][key]
        out += [n for n in sorted(set(old) | set(new)) if old.get(n) != new.get(n)]
    return out


def archive_year(layout, year: int, *, force: bool = False) -> ArchiveResult:
    """Write the archive package of a built edition; refuse a fastställd year unless forced."""
    edition, html = layout.edition(year), layout.html(year)
    if not (edition / MANIFEST).exists():
        raise RunError(f"Utgåvan {year} finns inte ({display_path(edition)} saknar manifest). "
                       f"Bygg den först med 'python -m helpers rapport --ar {year}'.")
    problems = verify(edition, html, year=year)
    if problems:
        raise RunError(f"Utgåvan {year} stämmer inte med sitt manifest och arkiveras inte:\n"
                       + "\n".join(f"  • {p}" for p in problems))
    manifest = load_manifest(edition / MANIFEST)
    if manifest.get("format") != FORMAT:
        raise RunError(f"Utgåvan {year} har ett manifest i äldre format utan kod och webbsidor; bygg om den med "
                       f"'python -m helpers rapport --ar {year}' innan den arkiveras.")
    prov = provenance(layout)
    changes = _code_changes(manifest["kod"], prov)
    if changes:
        raise RunError(f"Programkoden har ändrats sedan utgåvan {year} byggdes ({', '.join(changes[:8])}"
                       f"{' …' if len(changes) > 8 else ''}). Arkivet ska innehålla koden som gav siffrorna: bygg om "
                       f"utgåvan med 'python -m helpers rapport --ar {year}' och arkivera sedan.")
    root = archive_root(layout)
    before = archived(layout, year)
    if before is not None and not force:
        raise RunError(f"Utgåvan {year} är redan arkiverad och fastställd ({display_path(before.folder)}, version "
                       f"{before.version or 'okänd'}, manifestets SHA-256 {before.manifest_sha256 or 'okänd'}). "
                       "Arkivera en ny version med --tvinga; den tidigare sparas då som en numrerad version.")
    known = _versions(root, year) + ([before.version] if before and before.version else [])
    version = max(known, default=0) + 1
    when, _source = recorded_time()
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{year}.ny-{uuid.uuid4().hex[:8]}"
    tmp_zip = root / f".{year}.ny-{uuid.uuid4().hex[:8]}.zip"
    try:
        for rel in manifest["filer"]:
            _copy(edition / rel, tmp / EDITION_PART / rel)
        for rel in manifest["html"]:
            _copy(html / rel, tmp / HTML_PART / rel)
        sources = {**code_files(), **{f"notebooks/{n}": layout.notebooks / n for n in manifest["kod"]["mallar"]},
                   **lock_files(layout)}
        for rel, src in sources.items():
            _copy(src, tmp / CODE_PART / rel)
        record = {
            "version": version,
            "arkiverad": when,
            "utgavans_manifest_sha256": sha256(edition / MANIFEST),
            "tidigare": ({"version": before.version, "manifest_sha256": before.manifest_sha256} if before else None),
        }
        (tmp / ARCHIVE_RECORD).write_text(_dump(record), encoding="utf-8")
        extra = {ARCHIVE_RECORD: sha256(tmp / ARCHIVE_RECORD)}
        extra |= {f"{CODE_PART}/{rel}": sha256(tmp / CODE_PART / rel) for rel in sorted(sources)}
        package_manifest = {**manifest, "arkiv": record, "arkivfiler": extra}
        (tmp / MANIFEST).write_text(_dump(package_manifest), encoding="utf-8")
        sums = _files(tmp)
        (tmp / CHECKSUMS).write_text("".join(f"{h}  {n}\n" for n, h in sums.items()), encoding="utf-8")
        write_zip(tmp, tmp_zip, when)
        problems = verify_package(tmp) + verify_package(tmp_zip)
        if problems:
            raise RunError("Arkivpaketet blev inte korrekt:\n" + "\n".join(f"  • {p}" for p in problems))
        previous = None
        if before is not None:
            old = before.version or max(known, default=0)
            previous = root / f"{year}.v{old}"
            while previous.exists() or previous.with_name(previous.name + ".zip").exists():
                old += 1
                previous = root / f"{year}.v{old}"
            if before.folder.exists():
                os.replace(before.folder, previous)
            if before.zip.exists():
                os.replace(before.zip, previous.with_name(previous.name + ".zip"))
        os.replace(tmp, root / str(year))
        os.replace(tmp_zip, root / f"{year}.zip")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp_zip.unlink(missing_ok=True)
    target = root / str(year)
    return ArchiveResult(year, target, root / f"{year}.zip", version, sha256(target / MANIFEST),
                         sha256(root / f"{year}.zip"), previous)


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


_SUM_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


def _check_sums(tree, manifest_hash: str | None, recorded: dict[str, str]) -> list[str]:
    """SHA256SUMS against the manifest: the list must name every file with the hash the manifest has."""
    raw = tree.read(CHECKSUMS)
    if raw is None:
        return [f"{CHECKSUMS}: kontrollsummelistan saknas i arkivet"]
    problems, listed = [], {}
    for n, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), start=1):
        m = _SUM_LINE.match(line)
        if not m:
            problems.append(f"{CHECKSUMS}: rad {n} är ingen rad i formatet '<sha256>  <fil>'")
            continue
        listed[m.group(2)] = m.group(1)
    expected = {**recorded, MANIFEST: manifest_hash}
    for name in sorted(set(expected) - set(listed)):
        problems.append(f"{CHECKSUMS}: {name} saknas i kontrollsummelistan")
    for name in sorted(set(listed) - set(expected)):
        problems.append(f"{CHECKSUMS}: {name} finns i listan men inte i manifestet")
    for name in sorted(set(listed) & set(expected)):
        if listed[name] != expected[name]:
            what = ("manifestet har ändrats efter arkiveringen" if name == MANIFEST
                    else "listan och manifestet anger olika kontrollsummor")
            problems.append(f"{CHECKSUMS}: {name} stämmer inte ({what})")
    return problems


def open_package(path: Path):
    path = Path(path)
    if path.is_dir():
        return FolderTree(path)
    if path.is_file():
        return ZipTree(path)
    raise ManifestError(f"{display_path(path)} finns inte: ange en arkivmapp eller en zip-fil.")


def verify_package(path: Path, *, expected_sha: str | None = None, year: int | None = None) -> list[str]:
    """Differences between an archive package (folder or zip) and its manifest; [] = intact."""
    tree = open_package(path)
    label = display_path(path)
    raw = tree.read(MANIFEST)
    if raw is None:
        raise ManifestError(f"{label}: arkivet har inget {MANIFEST} i roten och kan inte kontrolleras.")
    problems = list(tree.problems)
    digest = sha256_bytes(raw)
    if expected_sha is not None and digest != expected_sha:
        problems.append(f"{MANIFEST}: manifestets SHA-256 är {digest}, men diariet anger {expected_sha} "
                        "(manifestet har ändrats eller hör till ett annat arkiv)")
    manifest = parse_manifest(raw, f"{label}/{MANIFEST}")
    if "arkiv" not in manifest or not isinstance(manifest.get("arkivfiler"), dict):
        raise ManifestError(f"{label}/{MANIFEST} är inget arkivmanifest (fälten 'arkiv' och 'arkivfiler' saknas).")
    recorded = {f"{EDITION_PART}/{k}": v for k, v in manifest["filer"].items()}
    recorded |= {f"{HTML_PART}/{k}": v for k, v in manifest.get("html", {}).items()}
    recorded |= manifest["arkivfiler"]
    actual = {k: v for k, v in tree.hashes().items() if k not in (MANIFEST, CHECKSUMS)}
    damaged = {p.split(": ", 1)[0] for p in tree.problems}
    file_problems = _compare(recorded, {k: v for k, v in actual.items() if k not in damaged})
    file_problems = [p for p in file_problems if not (p.endswith("filen saknas") and p.split(": ", 1)[0] in damaged)]
    problems += file_problems
    problems += _check_sums(tree, digest, recorded)
    changed = {p.split(": ", 1)[0] for p in file_problems} | damaged
    edition_changed = {c.removeprefix(f"{EDITION_PART}/") for c in changed}
    problems += _check_fields(manifest, lambda rel: tree.read(f"{EDITION_PART}/{rel}"), edition_changed, year)
    if ARCHIVE_RECORD not in changed and (raw_record := tree.read(ARCHIVE_RECORD)) is not None:
        try:
            record = json.loads(raw_record.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            record = None
        if record != manifest["arkiv"]:
            problems.append(f"{MANIFEST}: fältet 'arkiv' har ändrats: manifestet säger {_short(manifest['arkiv'])}, "
                            f"{ARCHIVE_RECORD} {_short(record)}")
    return problems
