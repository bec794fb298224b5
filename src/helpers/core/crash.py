"""The last resort: an exception nobody expected becomes a Swedish message, a log file and exit 1.

The analyst never sees a Python traceback; the developer still gets it, whole, in the log whose
path the message names.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import platform
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

EXIT_OK, EXIT_RUN_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C


def write_crash_log(exc: BaseException, log_dir: Path | None, argv: list[str] | None = None) -> Path:
    """Write the traceback and context to a new file in `log_dir` (or the temp folder); return it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join([
        f"Tid: {dt.datetime.now().isoformat(timespec='seconds')}\n",
        f"Kommando: {' '.join(argv if argv is not None else sys.argv)}\n",
        f"Python {platform.python_version()} på {platform.platform()}, process {os.getpid()}\n\n",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ])
    for folder in (log_dir, Path(tempfile.gettempdir())):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"fel-{stamp}-{os.getpid()}.txt"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise OSError("ingen loggmapp gick att skriva")


# The machine's limits: known, named in Swedish with the folder, and no crash log (nothing to debug).
LIMITS = {
    errno.ENOSPC: ("Disken är full", "det finns inte plats kvar att skriva i {folder}",
                   "Frigör utrymme på disken (till exempel genom att ta bort _build/cache eller gamla filer) och kör igen."),
    errno.EDQUOT: ("Diskkvoten är slut", "din kvot räcker inte för att skriva i {folder}",
                   "Frigör utrymme inom kvoten eller be om en större kvot, och kör igen."),
    errno.EROFS: ("Skrivskyddat filsystem", "{folder} ligger på ett filsystem som bara går att läsa",
                  "Kör i en mapp som går att skriva i, eller montera om filsystemet med skrivrätt."),
    errno.EACCES: ("Saknar behörighet", "användaren får inte läsa eller skriva i {folder}",
                   "Ge användaren rätt till mappen (eller kör i en egen kopia av projektet) och kör igen."),
    errno.EPERM: ("Saknar behörighet", "användaren får inte ändra i {folder}",
                  "Ge användaren rätt till mappen (eller kör i en egen kopia av projektet) och kör igen."),
}
# How the limits read when another program (a subprocess, a library) reports them in English.
LIMIT_TEXTS = {errno.ENOSPC: ("No space left on device", "[Errno 28]"), errno.EDQUOT: ("Disk quota exceeded", "[Errno 122]"),
               errno.EROFS: ("Read-only file system", "[Errno 30]")}


def _os_error(exc: BaseException | None) -> OSError | None:
    """The OSError behind an exception, following `raise … from` and the context."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in LIMITS:
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _full_folders(folders: list[Path]) -> list[Path]:
    """Of `folders`, those on a file system with (almost) no room left."""
    out = []
    for folder in folders:
        probe = Path(folder)
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        try:
            if shutil.disk_usage(probe).free < 1 << 20:
                out.append(Path(folder))
        except OSError:
            continue
    return out


def machine_limit(exc: BaseException, folders: list[Path] = ()) -> str | None:
    """A Swedish message for a full disk, a used-up quota, a read-only file system or a folder
    without write permission, naming the folder; None for anything else.

    `folders` are the project's own folders: when the error does not say which file it was (a
    write that ran out of room), the ones whose file system is full are named."""
    err = _os_error(exc)
    code = err.errno if err is not None else None
    if code is None:
        text = str(exc)
        code = next((c for c, needles in LIMIT_TEXTS.items() if any(n in text for n in needles)), None)
        if code is None:
            return None
    title, what, advice = LIMITS[code]
    where = getattr(err, "filename", None) if err is not None else None
    if where:
        path = Path(os.fsdecode(where))
        folder = str(path) if path.is_dir() else f"{path.parent} (filen {path.name})"
    else:
        full = _full_folders(list(folders)) if code == errno.ENOSPC else []
        folder = ", ".join(str(f) for f in full) if full else "projektets mappar"
    return f"{title}: {what.format(folder=folder)}. {advice}"


def explain(exc: BaseException) -> str:
    """A one-line Swedish description of an unexpected exception."""
    if isinstance(exc, PermissionError):
        return f"saknar behörighet till {exc.filename or 'en fil'}" + (f" ({exc.strerror})" if exc.strerror else "")
    if isinstance(exc, FileNotFoundError):
        return f"filen eller mappen {exc.filename or ''} finns inte".replace("  ", " ")
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:  # ENOSPC
        return "disken är full"
    if isinstance(exc, MemoryError):
        return "minnet tog slut"
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"filsystemet svarade med ett fel{where}: {exc.strerror or exc}"
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}" + (f": {detail}" if detail else "")


def last_resort(exc: BaseException, log_dir: Path | None, argv: list[str] | None = None) -> tuple[int, str]:
    """Exit code and Swedish message for an exception that escaped every other handler."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "Avbrutet. Tidigare publicerade utgåvor och indata är orörda."
    try:
        log = write_crash_log(exc, log_dir, argv)
        where = f"Detaljer för felsökning finns i {log}."
    except OSError:
        where = "Detaljerna kunde inte sparas i någon loggfil."
    message = (f"Oväntat fel: {explain(exc)}.\n"
               "Körningen avbröts. Indata har inte ändrats och tidigare publicerade utgåvor är orörda.\n"
               f"{where} Skicka filen till den som förvaltar Uppföljningsboken om felet kvarstår.")
    return EXIT_RUN_FAILED, message
