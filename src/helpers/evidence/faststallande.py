"""The fastställd mark: written last, checked under the project lock, never lost to a kill.

A year is fastställd when its mark `arkiv/<år>.faststalld.json` exists. `arkivera` (holding the
project lock, like `rapport`, `pdf` and `importera`) writes the package into hidden work files,
then records in a journal (`arkiv/.<år>.arkivering.json`) every move it is about to make: the
earlier version aside as a numbered one, the new folder and zip in, the mark last. A kill before
the journal leaves the old state, and the next locked command removes the work files; a kill
after it leaves a journal that the next locked command plays to its end (`finish_interrupted`).
Each step of the journal can be played again, so a kill during the finishing is also finished.

On any doubt the year counts as fastställd: a journal not yet played, or a package without a mark
(written before marks existed, or left by a killed run of an older version), refuses a rebuild
just as a mark does, and `verifiera` names what is missing.

Every command that writes into an edition or its published copy asks `guard` before it writes
anything. A forced change (`--tvinga`) of a fastställd year is recorded, with who ran it, when and
why (`--orsak`), in `arkiv/<år>.andringar.jsonl` (one JSON object per line, only appended).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from helpers.core.errors import RunError, display_path
from helpers.core.fs import remove, write_text_atomic
from helpers.core.pause import pause
from helpers.evidence.manifest import ARCHIVE_ROOT, MANIFEST
from helpers.evidence.provenance import sha256_bytes

MARK = "{ar}.faststalld.json"
JOURNAL = ".{ar}.arkivering.json"
CHANGES = "{ar}.andringar.jsonl"
WORK = ".{ar}.ny-"  # '.<år>.ny-<id>' and '.<år>.ny-<id>.zip': a package being written


def archive_root(layout) -> Path:
    return layout.root / ARCHIVE_ROOT


def mark_path(layout, year: int) -> Path:
    return archive_root(layout) / MARK.format(ar=year)


def journal_path(layout, year: int) -> Path:
    return archive_root(layout) / JOURNAL.format(ar=year)


def who() -> str:
    """The user and machine that ran a command, for the record (never fails: HOME may be odd)."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 – no name in the environment or the password database
        user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "okänd"
    return f"{user}@{socket.gethostname()}"


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Status:
    """What the archive says about a year: its package, the mark, and a journal not yet played."""

    folder: Path
    zip: Path
    mark: dict | None  # None: no mark (or an unreadable one: then `damaged`)
    damaged: bool
    pending: bool  # a journal waits to be played

    @property
    def marked(self) -> bool:
        return self.mark is not None or self.damaged

    @property
    def version(self) -> int | None:
        value = (self.mark or {}).get("version")
        return value if isinstance(value, int) else _package_field(self.folder, "version")

    @property
    def manifest_sha256(self) -> str | None:
        value = (self.mark or {}).get("manifest_sha256")
        if isinstance(value, str):
            return value
        try:
            return sha256_bytes((self.folder / MANIFEST).read_bytes())
        except OSError:
            return None


def _package_field(folder: Path, key: str):
    try:
        return int(json.loads((folder / MANIFEST).read_bytes())["arkiv"][key])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def status(layout, year: int) -> Status | None:
    """The year's archive state, or None when nothing of an archive exists (not fastställd)."""
    root = archive_root(layout)
    folder, zpath, mark, journal = root / str(year), root / f"{year}.zip", mark_path(layout, year), journal_path(layout, year)
    if not any(os.path.lexists(p) for p in (folder, zpath, mark, journal)):
        return None
    data, damaged = None, False
    if mark.exists():
        try:
            data = json.loads(mark.read_text(encoding="utf-8"))
            damaged = not isinstance(data, dict)
            data = data if isinstance(data, dict) else None
        except (OSError, ValueError):
            damaged = True
    return Status(folder, zpath, data, damaged, journal.exists())


def problems(layout, year: int) -> list[str]:
    """What is incomplete about a year's archive (for `verifiera`); [] also when not archived."""
    st = status(layout, year)
    if st is None:
        return []
    out = []
    label = display_path(mark_path(layout, year), layout.root)
    finish = (f"kör 'python -m helpers arkivera --ar {year}' för att slutföra den (eller ett annat kommando "
              "som skriver: det slutför den först)")
    if st.pending:
        out.append(f"{display_path(journal_path(layout, year), layout.root)}: arkiveringen av {year} avbröts innan "
                   f"den var klar; {finish}")
    elif st.damaged:
        out.append(f"{label}: markeringen för fastställandet är skadad och kan inte läsas")
    elif st.mark is None:
        out.append(f"{label}: arkivet finns men fastställandet är inte registrerat (markeringen saknas, arkiveringen "
                   f"avbröts eller gjordes av en äldre version); {finish}")
    if not st.pending:
        for path, what in ((st.folder, "arkivmappen"), (st.zip, "arkivets zip-fil")):
            if not path.exists():
                out.append(f"{display_path(path, layout.root)}: {what} saknas")
        recorded = (st.mark or {}).get("manifest_sha256")
        if recorded and (st.folder / MANIFEST).is_file():
            actual = sha256_bytes((st.folder / MANIFEST).read_bytes())
            if actual != recorded:
                out.append(f"{display_path(st.folder / MANIFEST, layout.root)}: manifestets SHA-256 är {actual}, men "
                           f"fastställandet registrerade {recorded}")
    return out


def guard(layout, year: int, *, command: str, force: bool, reason: str | None = None) -> dict | None:
    """Before a command writes into an edition or its published copy: refuse a fastställd year
    unless forced. A forced command gets what it replaces and who, when and why, to record."""
    st = status(layout, year)
    if st is None:
        return None
    if not force:
        state = ("arkiveringen avbröts och slutförs av nästa kommando som skriver" if st.pending
                 else f"arkiverad i {display_path(st.folder, layout.root)}")
        raise RunError(f"Utgåvan {year} är fastställd ({state}; version {st.version or 'okänd'}, manifestets SHA-256 "
                       f"{st.manifest_sha256 or 'okänd'}). '{command}' ändrar den inte utan --tvinga och --orsak; "
                       "ingenting har skrivits. Arkivet ligger kvar oförändrat även efter en tvingad ändring; en ny "
                       f"version arkiveras med 'python -m helpers arkivera --ar {year} --tvinga --orsak \"…\"'.")
    return {"version": st.version, "manifest_sha256": st.manifest_sha256, "kommando": command, "av": who(),
            "tid": now(), "orsak": reason}


def record_forced(layout, year: int, change: dict) -> Path:
    """Append a forced change to the year's record of changes (never rewritten, only appended)."""
    return _append_change(archive_root(layout), year, change)


def _append_change(root: Path, year: int, change: dict) -> Path:
    path = root / CHANGES.format(ar=year)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(change, ensure_ascii=False, sort_keys=True) + "\n"
    if path.exists() and path.stat().st_size and not path.read_bytes().endswith(b"\n"):
        line = "\n" + line  # a line cut short by a kill stays apart (and is skipped when read)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def forced_changes(layout, year: int) -> list[dict]:
    """The recorded forced changes; a last line cut short by a kill is left out."""
    return _changes(archive_root(layout), year)


def _changes(root: Path, year: int) -> list[dict]:
    path = root / CHANGES.format(ar=year)
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


# --- the commit: journal, moves, mark ------------------------------------------------------------

def work_name(year: int, token: str, suffix: str = "") -> str:
    return f"{WORK.format(ar=year)}{token}{suffix}"


def commit(layout, year: int, *, new: Path, new_zip: Path, previous: Path | None, mark: dict) -> None:
    """Put a finished, verified package in place and mark the year, so that a kill at any instant
    leaves the old state or (through the journal) the new one."""
    root = archive_root(layout)
    journal = {"ar": year, "ny_mapp": Path(new).name, "ny_zip": Path(new_zip).name,
               "tidigare": previous.name if previous is not None else None, "markering": mark}
    write_text_atomic(journal_path(layout, year), json.dumps(journal, ensure_ascii=False, indent=1) + "\n")
    pause("arkiv-journal")
    _play(root, journal)


def _play(root: Path, journal: dict) -> None:
    """Every step of a journal, each one skipped if already done."""
    year = int(journal["ar"])
    folder, zpath = root / str(year), root / f"{year}.zip"
    new, new_zip = root / journal["ny_mapp"], root / journal["ny_zip"]
    if journal.get("tidigare"):
        prev = root / journal["tidigare"]
        prev_zip = prev.with_name(prev.name + ".zip")
        if new.exists() and os.path.lexists(folder) and not os.path.lexists(prev):
            os.replace(folder, prev)
        if new_zip.exists() and os.path.lexists(zpath) and not os.path.lexists(prev_zip):
            os.replace(zpath, prev_zip)
        pause("arkiv-tidigare-undan")
    for src, dst in ((new, folder), (new_zip, zpath)):
        if src.exists():
            if os.path.lexists(dst):
                raise RunError(f"Arkiveringen av {year} kan inte slutföras: {display_path(dst)} finns redan och "
                               f"{display_path(src)} väntar på att flyttas dit. Flytta undan {display_path(dst)} "
                               "för hand och kör igen.")
            os.replace(src, dst)
        pause("arkiv-mapp-inne" if src == new else "arkiv-zip-inne")
    mark = journal["markering"]
    write_text_atomic(root / MARK.format(ar=year), json.dumps(mark, ensure_ascii=False, indent=2) + "\n")
    forced = mark.get("tvingad")
    if forced:  # once, also when a later run finishes the journal
        change = {"kommando": f"arkivera --ar {year} --tvinga", "version": mark.get("version"), **forced}
        if change not in _changes(root, year):
            _append_change(root, year, change)
    pause("arkiv-markerad")
    (root / JOURNAL.format(ar=year)).unlink(missing_ok=True)


def finish_interrupted(layout) -> list[str]:
    """Play journals a killed `arkivera` left, and remove its work files; what was done, in Swedish.

    Only a holder of the project lock may call this (no other arkivera can be running)."""
    root = archive_root(layout)
    if not root.is_dir():
        return []
    done = []
    for path in sorted(root.glob(JOURNAL.format(ar="*"))):
        try:
            journal = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise RunError(f"{display_path(path)} (en påbörjad arkivering) kan inte läsas; arkivet rörs inte. "
                           "Kontrollera arkiv/ och ta bort filen för hand när arkivet är i ordning.") from None
        _play(root, journal)
        version = journal.get("markering", {}).get("version")
        done.append(f"arkiveringen av {journal['ar']} (version {version}) slutfördes efter en avbruten körning")
    for path in sorted([*root.glob(".*.ny-*"), *root.glob(".*.tmp")]):
        remove(path)
        done.append(f"{display_path(path)} borttagen (arbetsfil från en avbruten arkivering)")
    return done
