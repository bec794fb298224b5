"""Files an edition or an archive must not hold: symbolic links, hard links and special files.

A symbolic link to an identical file outside the package hashes the same as the file itself, so a
check that follows links would call an edition intact whose bytes live elsewhere (and can change
there). A hard link is the same risk from inside: a write through the other name changes the
archived file. Pipes, sockets and devices are not documents. All are named and refused.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path


def odd_files(folder: Path, label: str | None = None) -> list[str]:
    """Every symbolic link, hard-linked file and special file under `folder`, named, in Swedish."""
    folder = Path(folder)
    label = label if label is not None else ""
    out = []
    if not folder.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            rel = f"{label}{path.relative_to(folder).as_posix()}"
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                target = os.readlink(path)
                out.append(f"{rel}: en symbolisk länk (till {target}), ingen fil; länkar godtas inte i en utgåva eller ett arkiv")
            elif stat.S_ISDIR(info.st_mode):
                continue
            elif not stat.S_ISREG(info.st_mode):
                out.append(f"{rel}: en specialfil (t.ex. rör eller enhet), ingen vanlig fil; godtas inte")
            elif info.st_nlink > 1:
                out.append(f"{rel}: filen är hårdlänkad ({info.st_nlink} namn på samma innehåll); godtas inte, "
                           "en ändring under det andra namnet skulle ändra den här filen")
    return out


def odd_zip_entries(path: Path) -> list[str]:
    """Zip entries stored as symbolic links or special files (Unix mode bits in the entry)."""
    out = []
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                mode = info.external_attr >> 16
                if info.create_system == 3 and stat.S_IFMT(mode) and not info.is_dir() and not stat.S_ISREG(mode):
                    kind = "en symbolisk länk" if stat.S_ISLNK(mode) else "en specialfil"
                    out.append(f"{info.filename}: posten är {kind} i zip-filen, ingen fil; godtas inte")
    except (zipfile.BadZipFile, OSError):
        return []  # a damaged zip is reported by the reader itself
    return out
