"""Evidence for each edition: the inputs it was built from, copied, and a hash manifest.

An auditor can check with `python -m helpers verifiera --ar <år>` that nothing in an edition
changed after it was published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import shutil
from importlib import metadata
from pathlib import Path

from helpers.core.errors import RunError, display_path
from helpers.data.inputs import PLAN, files_in

PACKAGES = ("jupyter-book", "papermill", "pandas", "numpy", "scipy", "altair", "vl-convert-python", "pandera",
            "nbformat", "ipykernel")
MANIFEST = "manifest.json"
INPUTS = "indata"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "saknas"
    return out


def write_manifest(edition: Path, an, layout, timings: dict[str, float]) -> Path:
    """Copy the inputs into the edition and record sha256 of every file in it."""
    inputs = [layout.data / "plan" / f"{f.stem}.csv" for f in files_in(PLAN)]
    inputs += an.input_files()
    for src in inputs:
        rel = Path(src).resolve().relative_to(layout.data)
        dst = edition / INPUTS / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    templates = sorted(layout.notebooks.glob("*.ipynb"))
    files = sorted(p for p in edition.rglob("*") if p.is_file() and p.name != MANIFEST)
    manifest = {
        "ar": an.year,
        "byggd": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "exempeldata": an.exempeldata,
        "versioner": _versions(),
        "mallar": {p.name: sha256(p) for p in templates},
        "korningstid_s": {k: round(v, 2) for k, v in sorted(timings.items())},
        "filer": {str(p.relative_to(edition)): sha256(p) for p in files},
    }
    target = edition / MANIFEST
    target.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def read_manifest(path: Path) -> dict:
    """A manifest as written by `write_manifest`, or a Swedish RunError saying how it is damaged."""
    shown = display_path(path)
    if not path.is_file():
        raise RunError(f"{shown} saknas: utgåvan har inget manifest att kontrollera mot.")
    damaged = f"{shown} är skadat eller avkortat och kan inte användas för att kontrollera utgåvan"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RunError(f"{damaged} (filen är inte UTF-8-text).") from None
    except json.JSONDecodeError as exc:
        raise RunError(f"{damaged} (ogiltig JSON på rad {exc.lineno}, tecken {exc.colno}). Bygg om utgåvan med "
                       "'make report' eller hämta manifestet från en säkerhetskopia.") from None
    files = manifest.get("filer") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise RunError(f"{damaged} (listan 'filer' med kontrollsummor saknas eller har fel form).")
    return manifest


def verify(edition: Path) -> list[str]:
    """Differences between an edition and its manifest (empty list: intact)."""
    manifest = read_manifest(edition / MANIFEST)
    problems = []
    recorded = manifest["filer"]
    for rel, digest in recorded.items():
        p = edition / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            problems.append(f"{rel}: sökvägen pekar utanför utgåvan (manifestet är ändrat)")
        elif not p.is_file():
            problems.append(f"{rel}: filen saknas")
        elif sha256(p) != digest:
            problems.append(f"{rel}: innehållet har ändrats (kontrollsumman stämmer inte)")
    for p in sorted(edition.rglob("*")):
        rel = str(p.relative_to(edition))
        if p.is_file() and p.name != MANIFEST and rel not in recorded:
            problems.append(f"{rel}: filen finns inte i manifestet")
    return problems
