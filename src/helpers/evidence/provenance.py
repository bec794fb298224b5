"""Which code, environment and time produced an edition: what the manifest records about the run.

The code is identified three ways, so an auditor can pin it down even without the repository:
the git commit and whether the work tree was clean, the SHA-256 of every file of the `helpers`
package and of the notebook templates, and the lock files (constraints.txt, pyproject.toml,
environment.yml). The environment is Python and every installed package with its version.
Times honour SOURCE_DATE_EPOCH (reproducible builds) and are otherwise the system clock in UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import helpers
from helpers.run.record import epoch

LOCK_FILES = ("constraints.txt", "pyproject.toml", "environment.yml", "requirements.lock")
# The packages the report's numbers and pages depend on most (kept as a short summary in the manifest).
KEY_PACKAGES = ("jupyter-book", "papermill", "pandas", "numpy", "scipy", "altair", "vl-convert-python", "pandera",
                "nbformat", "ipykernel")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def recorded_time() -> tuple[str, str]:
    """(ISO time in UTC, where it came from): SOURCE_DATE_EPOCH when set, else the clock."""
    fixed = epoch()
    if fixed is not None:
        return fixed.isoformat(), "SOURCE_DATE_EPOCH"
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "systemklockan"


def helpers_dir() -> Path:
    """The folder of the `helpers` package that is running (and that the kernels import)."""
    return Path(helpers.__file__).resolve().parent


def code_files() -> dict[str, Path]:
    """Every file of the running helpers package, keyed 'helpers/…' (caches left out)."""
    base = helpers_dir()
    return {f"helpers/{p.relative_to(base).as_posix()}": p for p in sorted(base.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")}


def lock_files(layout) -> dict[str, Path]:
    """The lock and build files, from the project folder or else from the code's repository."""
    out = {}
    for name in LOCK_FILES:
        for folder in (layout.root, helpers_dir().parent.parent):
            if (folder / name).is_file():
                out[name] = folder / name
                break
    return out


def combined(hashes: dict[str, str]) -> str:
    """One SHA-256 over a set of files: of the sorted 'sha256  name' lines (as sha256sum prints them)."""
    return sha256_bytes("".join(f"{h}  {n}\n" for n, h in sorted(hashes.items())).encode("utf-8"))


def _git(folder: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def git_state(folder: Path) -> dict:
    """Commit and clean/dirty state of the git work tree holding `folder` (commit None: no git)."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return {"commit": None, "ren": None, "andrade_filer": [], "anm": "inte i ett git-arkiv"}
    commit = (_git(folder, "rev-parse", "HEAD") or "").strip() or None
    status = _git(folder, "status", "--porcelain=v1", "--untracked-files=normal") or ""
    changed = sorted({line[3:] for line in status.splitlines() if line.strip()})
    return {"commit": commit, "ren": not changed, "andrade_filer": changed, "arkiv": Path(top.strip()).name}


def packages() -> dict[str, str]:
    """Every installed distribution and its version, as importlib.metadata sees it."""
    out: dict[str, str] = {}
    for dist in metadata.distributions():
        name = (dist.metadata.get("Name") or "").strip()
        if name:
            out.setdefault(name.lower().replace("_", "-"), dist.version)
    return dict(sorted(out.items()))


def provenance(layout) -> dict:
    """The code and environment of this run, as the manifest and the Om rapporten page record them."""
    code = {name: sha256(p) for name, p in code_files().items()}
    templates = {p.name: sha256(p) for p in sorted(layout.notebooks.glob("*.ipynb"))}
    locks = {name: sha256(p) for name, p in lock_files(layout).items()}
    git = {"kod": git_state(helpers_dir())}
    project = git_state(layout.root)
    if project.get("commit") is not None and project.get("arkiv") != git["kod"].get("arkiv"):
        git["projekt"] = project
    pkgs = packages()
    return {
        "kod": {
            "git": git,
            "helpers_sha256": combined(code),
            "helpers": code,
            "mallar": templates,
            "lasfiler": {name: locks.get(name) for name in LOCK_FILES},
        },
        "miljo": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "plattform": platform.platform(),
            "paket": pkgs,
        },
        "versioner": {"python": platform.python_version(), **{n: pkgs.get(n, "saknas") for n in KEY_PACKAGES}},
    }


def code_identity(prov: dict) -> dict:
    """The short code version every executed notebook carries: git commit, clean or not, SHA-256 of helpers."""
    git = prov["kod"]["git"]["kod"]
    return {"git_commit": git.get("commit"), "ren": git.get("ren"), "helpers_sha256": prov["kod"]["helpers_sha256"]}


def dirty(prov: dict) -> list[str]:
    """Changed or new files in the work trees the run came from (empty: clean or no git)."""
    return [f for g in prov["kod"]["git"].values() for f in g.get("andrade_filer", [])]


def note_markdown(prov: dict, year: int, rebuilt: dict | None = None) -> str:
    """The section the edition's Om rapporten page gets: code version, clean or not, where the evidence is.

    Deterministic (no times), so the same code and inputs give the same page.
    """
    git = prov["kod"]["git"]["kod"]
    commit = git.get("commit")
    py = prov["miljo"]["python"]
    if commit:
        code = f"programkoden i git-version `{commit[:12]}`"
    else:
        code = "programkod som inte låg i ett git-arkiv"
    lines = [
        "",
        "## Utgåvans spårbarhet",
        "",
        f"Utgåvan {year} byggdes med {code} (kontrollsumma för källkoden `{prov['kod']['helpers_sha256'][:16]}`), "
        f"Python {py} och låsta paketversioner. Indata kopierades till utgåvan innan någon beräkning gjordes, och "
        "varje sida räknades bara från den kopian. Bakom varje sida finns dess underlag: indataraderna sidan bygger "
        "på och det som beräknades (förändringar, bedömningar med skäl, jämförelser av NKI och ranking), som dolda "
        "tabeller i sidans notebook och som CSV-filer i utgåvans mapp `tabeller/`. Utgåvans manifest har "
        "kontrollsummor (SHA-256) för alla filer, webbsidorna, programkoden och miljön; kommandot "
        f"`python -m helpers verifiera --ar {year}` kontrollerar dem.",
        "",
    ]
    changed = dirty(prov)
    if changed:
        n = len(changed)
        lines += [
            ":::{warning} Byggd från kod som inte var incheckad",
            f"Utgåvan byggdes från en arbetskopia med {n} {'ändrad eller ny fil' if n == 1 else 'ändrade eller nya filer'} "
            f"som inte var incheckade i git{f' (utgångspunkt git-version `{commit[:12]}`)' if commit else ''}. "
            "Manifestet har kontrollsummor för varje källfil, men koden kan inte hämtas ur git. En utgåva som ska "
            "fastställas bör byggas från incheckad kod.",
            ":::",
            "",
        ]
    if rebuilt:
        lines += [
            ":::{note} Ombyggd efter arkivering",
            f"Utgåvan {year} var arkiverad (version {rebuilt['version']}, manifestets SHA-256 "
            f"`{rebuilt['manifest_sha256']}`) och har byggts om med `--tvinga`. Den arkiverade versionen gäller "
            "tills en ny version arkiveras.",
            ":::",
            "",
        ]
    return "\n".join(lines)
