"""The archive package for the diarium and e-arkiv, and the fastställd year.

`archive_year` writes `arkiv/<år>/` and `arkiv/<år>.zip` with the manifest at the root, a
`sha256sum -c` compatible `SHA256SUMS`, the edition, its HTML and the code. An archived year is
fastställd: it is not rebuilt or re-archived unless forced, and a forced re-archive keeps the
earlier package as a numbered version. `verify_package` reports every changed, missing or extra
file by name and checks the manifest against the SHA-256 kept in the diarium.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from helpers.core.errors import RunError, display_path
from helpers.core.fs import write_text_atomic
from helpers.core.pause import pause
from helpers.evidence import earkiv, faststallande, hjul
from helpers.evidence.links import odd_files, odd_zip_entries
from helpers.evidence.manifest import (
    ARCHIVE_RECORD,
    CHECKSUMS,
    CODE_PART,
    DERIVED_KEYS,
    EDITION_PART,
    FORMAT,
    HTML_PART,
    MANIFEST,
    FolderTree,
    ManifestError,
    ZipTree,
    _check_fields,
    _compare,
    _dump,
    _files,
    _short,
    load_manifest,
    parse_manifest,
    verify,
)
from helpers.evidence.provenance import code_files, lock_files, provenance, recorded_time, sha256, sha256_bytes


def add_to_edition(layout, year: int, files: list[Path], *, replace: bool = False,
                   derived: dict | None = None, forced: dict | None = None,
                   staged: dict[Path, Path] | None = None) -> list[str]:
    """Record files made after the run (e.g. the edition's PDF) in its manifest.

    Only these files are added (or, with `replace`, re-recorded: a PDF made again from the same
    edition); every other recorded file must still match, so this can never bless a changed file.
    `derived` adds descriptive fields (DERIVED_KEYS only). A fastställd (archived) year is refused
    unless `forced` (what `guard` returned for a forced command): its archive is the record. Callers
    ask `guard` before they write anything; this is the last check.

    `staged` maps files of `files` to work files holding their new bytes, written outside the
    edition's folders (on the same file system): everything is checked first, then the files are
    moved in and the manifest last, so the edition has no work file in it at any instant and a
    kill before the moves leaves it verifying as it was.
    """
    staged = {Path(t).resolve(): Path(w) for t, w in (staged or {}).items()}
    edition, html = layout.edition(year), layout.html(year)
    if archived(layout, year) is not None and forced is None:
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
                manifest[key][rel] = sha256(staged.get(f, f))
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
    if not staged:
        write_text_atomic(edition / MANIFEST, _dump(manifest))
        return added
    work = edition.parent / f".{edition.name}-{MANIFEST}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        work.write_text(_dump(manifest), encoding="utf-8")
        pause("pdf-inflyttning")
        for target, source in staged.items():
            os.replace(source, target)
        os.replace(work, edition / MANIFEST)
    finally:
        work.unlink(missing_ok=True)
    return added


# --- the archive package --------------------------------------------------------------------------

archive_root = faststallande.archive_root


@dataclass(frozen=True)
class Archived:
    """An archived (fastställd) year: where its package is, its version and the manifest's SHA-256.

    `marked`: the fastställd mark is there; `pending`: a killed `arkivera` left a journal that the
    next locked command finishes (see helpers.evidence.faststallande)."""

    folder: Path
    zip: Path
    version: int | None
    manifest_sha256: str | None
    marked: bool = True
    pending: bool = False


def archived(layout, year: int) -> Archived | None:
    st = faststallande.status(layout, year)
    if st is None:
        return None
    return Archived(st.folder, st.zip, st.version, st.manifest_sha256, st.marked, st.pending)


def guard(layout, year: int, *, force: bool, command: str = "rapport", reason: str | None = None) -> dict | None:
    """Refuse to rebuild a fastställd (archived) year unless forced; a forced run gets what it replaces
    and who forced it, when and why."""
    return faststallande.guard(layout, year, command=command, force=force, reason=reason)


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


def archive_year(layout, year: int, *, force: bool = False, dnr: str | None = None, beslut: str | None = None,
                 wheels: bool = False, reason: str | None = None) -> ArchiveResult:
    """Write the archive package (FGS Paketstruktur, earkiv.py) of a built edition; refuse a fastställd year unless forced.

    `dnr` and `beslut` go into the descriptive metadata; `wheels` stores the hash-locked wheels (hjul.py).
    The package is written into work files, checked, and put in place with the fastställd mark
    last, through a journal (helpers.evidence.faststallande.commit): a kill never leaves the year
    without its mark. A package left without a mark (a killed older version, or an incomplete one)
    is finished by a plain `arkivera`: it is kept as a numbered version and written anew.
    """
    edition, html = layout.edition(year), layout.html(year)
    root = archive_root(layout)
    before = archived(layout, year)
    if before is not None and before.pending:  # the caller finishes journals first; never guess here
        raise RunError(f"Arkiveringen av {year} avbröts och är inte slutförd; kör kommandot igen.")
    if before is not None and not before.marked:
        force, reason = True, reason or "ett arkiv utan markering för fastställandet slutfördes"
    elif before is not None and not force:
        raise RunError(f"Utgåvan {year} är redan arkiverad och fastställd ({display_path(before.folder)}, version "
                       f"{before.version or 'okänd'}, manifestets SHA-256 {before.manifest_sha256 or 'okänd'}). "
                       "Arkivera en ny version med --tvinga; den tidigare sparas då som en numrerad version.")
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
    known = _versions(root, year) + ([before.version] if before and before.version else [])
    version = max(known, default=0) + 1
    when, _source = recorded_time()
    root.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    tmp, tmp_zip = root / faststallande.work_name(year, token), root / faststallande.work_name(year, token, ".zip")
    committed = False
    delar = earkiv.parts_for(year)
    try:
        for rel in manifest["filer"]:
            _copy(edition / rel, tmp / delar[EDITION_PART] / rel)
        for rel in manifest["html"]:
            _copy(html / rel, tmp / delar[HTML_PART] / rel)
        sources = {**code_files(), **{f"notebooks/{n}": layout.notebooks / n for n in manifest["kod"]["mallar"]},
                   **lock_files(layout)}
        for rel, src in sources.items():
            _copy(src, tmp / delar[CODE_PART] / rel)
        stored = hjul.store(layout, tmp / delar[CODE_PART]) if wheels else []
        desc = earkiv.description(_config(layout), year, manifest, dnr=dnr, beslut=beslut)
        record = {
            "version": version,
            "arkiverad": when,
            "utgavans_manifest_sha256": sha256(edition / MANIFEST),
            "tidigare": ({"version": before.version, "manifest_sha256": before.manifest_sha256} if before else None),
            "paket": earkiv.PACKAGE_FORMAT,
            "delar": delar,
            "beskrivning": desc,
            "python": manifest.get("miljo", {}).get("python"),
            "hjul": len(stored),
        }
        if before is not None:
            record["tvingad"] = {"av": faststallande.who(), "tid": faststallande.now(), "orsak": reason}
        (tmp / ARCHIVE_RECORD).write_text(_dump(record), encoding="utf-8")
        extra = {ARCHIVE_RECORD: sha256(tmp / ARCHIVE_RECORD)}
        extra |= {f"{delar[CODE_PART]}/{rel}": sha256(tmp / delar[CODE_PART] / rel) for rel in [*sorted(sources), *stored]}
        added = earkiv.write_metadata(tmp, manifest=manifest, record=record, desc=desc, shared_html=html.parent)
        extra |= {rel: sha256(tmp / rel) for rel in added}
        package_manifest = {**manifest, "arkiv": record, "arkivfiler": extra}
        (tmp / MANIFEST).write_text(_dump(package_manifest), encoding="utf-8")
        earkiv.write_mets(tmp, manifest=manifest, record=record, desc=desc)
        sums = _files(tmp)
        (tmp / CHECKSUMS).write_text("".join(f"{h}  {n}\n" for n, h in sums.items()), encoding="utf-8")
        pause("arkiv-arbetsfiler")
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
        mark = {"ar": year, "version": version, "faststalld": faststallande.now(), "av": faststallande.who(),
                "manifest_sha256": sha256(tmp / MANIFEST), "zip_sha256": sha256(tmp_zip),
                "utgavans_manifest_sha256": record["utgavans_manifest_sha256"],
                "tvingad": record.get("tvingad")}
        pause("arkiv-paket-klart")
        committed = True  # from here on the work files belong to the journal, which the next run finishes
        faststallande.commit(layout, year, new=tmp, new_zip=tmp_zip, previous=previous, mark=mark)
    finally:
        if not committed:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp_zip.unlink(missing_ok=True)
    target = root / str(year)
    return ArchiveResult(year, target, root / f"{year}.zip", version, mark["manifest_sha256"], mark["zip_sha256"],
                         previous)


def _config(layout) -> dict:
    import yaml

    try:
        return yaml.safe_load(Path(layout.config).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}


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
    problems += odd_files(Path(path)) if Path(path).is_dir() else odd_zip_entries(Path(path))
    digest = sha256_bytes(raw)
    if expected_sha is not None and digest != expected_sha:
        problems.append(f"{MANIFEST}: manifestets SHA-256 är {digest}, men diariet anger {expected_sha} "
                        "(manifestet har ändrats eller hör till ett annat arkiv)")
    manifest = parse_manifest(raw, f"{label}/{MANIFEST}")
    if "arkiv" not in manifest or not isinstance(manifest.get("arkivfiler"), dict):
        raise ManifestError(f"{label}/{MANIFEST} är inget arkivmanifest (fälten 'arkiv' och 'arkivfiler' saknas).")
    delar = earkiv.parts(manifest)
    recorded = {f"{delar[EDITION_PART]}/{k}": v for k, v in manifest["filer"].items()}
    recorded |= {f"{delar[HTML_PART]}/{k}": v for k, v in manifest.get("html", {}).items()}
    recorded |= manifest["arkivfiler"]
    hashes = tree.hashes()
    new_format = delar != earkiv.OLD_PARTS
    if new_format:
        problems += earkiv.verify_mets(tree, hashes)
        recorded |= {rel: hashes[rel] for rel in earkiv.mets_documents(hashes)}
    actual = {k: v for k, v in hashes.items() if k not in (MANIFEST, CHECKSUMS)}
    damaged = {p.split(": ", 1)[0] for p in tree.problems}
    file_problems = _compare(recorded, {k: v for k, v in actual.items() if k not in damaged})
    file_problems = [p for p in file_problems if not (p.endswith("filen saknas") and p.split(": ", 1)[0] in damaged)]
    problems += file_problems
    problems += _check_sums(tree, digest, recorded)
    changed = {p.split(": ", 1)[0] for p in file_problems} | damaged
    edition_changed = {c.removeprefix(f"{delar[EDITION_PART]}/") for c in changed}
    problems += _check_fields(manifest, lambda rel: tree.read(f"{delar[EDITION_PART]}/{rel}"), edition_changed, year)
    if ARCHIVE_RECORD not in changed and (raw_record := tree.read(ARCHIVE_RECORD)) is not None:
        try:
            record = json.loads(raw_record.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            record = None
        if record != manifest["arkiv"]:
            problems.append(f"{MANIFEST}: fältet 'arkiv' har ändrats: manifestet säger {_short(manifest['arkiv'])}, "
                            f"{ARCHIVE_RECORD} {_short(record)}")
    return problems


@dataclass(frozen=True)
class Verification:
    """What `verifiera` found: deviations by name, the manifest's checksum, and the archive's view."""

    problems: list[str]
    manifest_sha256: str | None
    archived: Archived | None = None
    is_archived_edition: bool | None = None  # the edition in book/ is the one that was archived


def verify_target(layout, *, year: int | None = None, package: Path | None = None,
                  expected_sha: str | None = None) -> Verification:
    """Verify an archive package (folder or zip) or a year's edition with its web pages.

    One checksum: for a fastställd year the manifest checksum is the archive's (the one `arkivera`
    printed for the diarium), whether the package or the year is named; the edition in book/ is
    tied to it through arkiv.json. Only a year never archived has its edition's own.
    """
    if package is not None:
        problems = verify_package(package, expected_sha=expected_sha)
        return Verification(problems, None if problems else sha256_bytes(open_package(package).read(MANIFEST)))
    found = archived(layout, year)
    if found is None or not found.folder.is_dir():
        problems = verify(layout.edition(year), layout.html(year), year=year, expected_sha=expected_sha)
        problems += faststallande.problems(layout, year)
        if problems:
            return Verification(problems, None)
        return Verification(problems, sha256_bytes((layout.edition(year) / MANIFEST).read_bytes()), found, None)
    problems = verify(layout.edition(year), layout.html(year), year=year)
    problems += [f"{display_path(found.folder)}: {p}" for p in verify_package(found.folder, expected_sha=expected_sha)]
    problems += faststallande.problems(layout, year)
    if problems:
        return Verification(problems, None)
    digest = sha256_bytes((layout.edition(year) / MANIFEST).read_bytes())
    record = open_package(found.folder).read(ARCHIVE_RECORD)
    kept = json.loads(record).get("utgavans_manifest_sha256") == digest
    return Verification(problems, found.manifest_sha256, found, kept)


def reproduction_source(layout, year: int) -> tuple[Path, bool]:
    """What `reproducera --ar` rebuilds: the archive of the year if it has one, else the edition."""
    found = archived(layout, year)
    stored = [p for p in ((found.folder, found.zip) if found is not None else ()) if p.exists()]
    return (stored[0], True) if stored else (layout.edition(year), False)
