"""The input snapshot: every input file of the year copied into the staging edition (`indata/`)
before any notebook runs, so the notebooks read exactly what the edition keeps."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.core.errors import RunError, display_path
from helpers.data.csvio import find_input
from helpers.data.inputs import CATALOGUE, JAMFOR, KLIMAT, KOLADA, PLAN, YEAR
from helpers.evidence.manifest import INPUTS


def snapshot_inputs(an, layout, staging: Path) -> list[str]:
    """Copy every input file of the year (the catalogue's files, as analyse read them) into staging/indata.

    Returns the copied files relative to the snapshot. Runs before any notebook, so what the
    notebooks read is exactly what the edition keeps.
    """
    folders = {PLAN: [layout.data / "plan"], YEAR: [layout.data / str(y) for y in sorted(an.years)],
               KLIMAT: [layout.data / "foretagsklimat"], KOLADA: [layout.data / KOLADA],
               JAMFOR: [layout.data / JAMFOR]}
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


