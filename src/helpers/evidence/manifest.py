"""The manifest of an edition: SHA-256 of every file and web page, the code, the environment and the
parameters, and the checks that tell whether anything changed since.

- `write_manifest` records SHA-256 of every file of the edition and of its HTML pages, the code
  (git commit, clean or not, every source file, the lock files), the environment (Python and
  every installed package), the parameters of each page and the times. Every descriptive field
  is also written to `korning.json` inside the edition, which the manifest hashes, so a changed
  field in the manifest is caught and named.
- `verify` reports every changed, missing or extra file by name and checks the manifest's own
  fields; `add_to_edition` records a product made after the run (the PDF).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
import zlib
from pathlib import Path

from helpers.core.errors import RunError, display_path
from helpers.evidence.links import odd_files
from helpers.evidence.provenance import recorded_time, sha256, sha256_bytes

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
DERIVED_KEYS = ("pdf", "tjansteskrivelse")  # products made from the edition after the run (recorded by add_to_edition)
HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ManifestError(RunError):
    """A manifest that cannot be read (missing, truncated, not JSON, wrong shape): Swedish message."""


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

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
    problems += odd_files(edition) + (odd_files(Path(html), f"{display_path(html)}/") if html is not None else [])
    return problems
