"""The run cache: an executed page is reused only when nothing it depends on has changed.

A page's key is a sha256 over everything that can change what the page shows:

- the notebook that runs: the template's bytes with the page title, the parameters, the kernel,
  the project folder (the kernel's working directory);
- the code and the environment: every file of the installed `helpers` package, the project's
  `constraints.txt`, the Python version and the version of every installed distribution (the
  environment as it is, not only as it was locked), the kernel's command line and the system
  fonts the charts are drawn with;
- the data: the names of all input files the year's analysis read (exempeldata banners list
  them), the bytes of the register and business-climate files, and of each year file
  (`data/<år>/`, every year read) the parsed rows the page declares (:mod:`helpers.run.deps`),
  or the whole file for pages that aggregate everything.

Jupyter Book's own cache (jupyter-cache) hashes code cells only; this one misses nothing the page
reads, and a test changes each kind of input and checks that the page follows. Executed
notebooks are stored by key in `_build/cache/<år>/`; after a good run, the year's entries that
its pages no longer use are removed.
"""

from __future__ import annotations

import json
import pickle
import warnings
from pathlib import Path

from helpers.core.fs import copy_atomic, write_bytes_atomic
from helpers.core.layout import Layout
from helpers.data.csvio import EXEMPEL_SUFFIX, read_table
from helpers.data.inputs import PLAN, YEAR, entry, files_in
from helpers.run.deps import KEY_COLUMNS, Reads
from helpers.run.digests import KERNEL, code_digest, environment_digest, sha256_bytes, tree_digest
from helpers.run.guard import LOCK_NAME

CACHE_FORMAT = 1  # bump when the key or the stored form changes


def analysis(year: int, layout: Layout, *, reuse: bool = True, code: str | None = None, environment: str | None = None,
             folder: Path | None = None, derived: bool = False):
    """`analyse(year, folder)` (default: the data folder), or its stored result when nothing it
    could read or run has changed: the key is the year, the folder's path and every byte under it,
    the helpers code and the environment. Validation is part of `analyse`, so stored means
    checked; bad data is never stored (it raises). `derived`: with every derived table computed
    (`Analysis.derive`), as handed to the pages."""
    from helpers.compute.analysis import analyse

    folder = Path(folder) if folder is not None else layout.data
    # The run lock lies in data/ and names the run that holds it: it is not data, and counting it
    # would make every run miss.
    key = sha256_bytes(json.dumps([CACHE_FORMAT, year, str(folder), tree_digest(folder, skip=(LOCK_NAME,)),
                                   code or code_digest(), environment or environment_digest(layout.root), derived]).encode())
    name = f"{year}.pickle" if folder == layout.data else f"{year}-{sha256_bytes(str(folder).encode())[:12]}.pickle"
    path = layout.build / "cache" / "analys" / name
    if reuse and path.is_file():
        try:
            stored_key, an = pickle.loads(path.read_bytes())
            if stored_key == key:
                return an
        except Exception:  # an unreadable entry is simply not used
            pass
    an = analyse(year, folder)
    if derived:
        an.derive()
    write_bytes_atomic(path, pickle.dumps((key, an), protocol=pickle.HIGHEST_PROTOCOL))
    return an


def read_files(an, layout: Layout) -> list[Path]:
    """Exactly the files `analyse()` read for this year: the register and `an.input_files()`."""
    # An optional register file (tolkningar.csv) counts only when the project has it.
    plan = [layout.data / PLAN / f"{f.stem}.csv" for f in files_in(PLAN)
            if f.required or (layout.data / PLAN / f"{f.stem}.csv").is_file()]
    return sorted({Path(p).resolve() for p in [*plan, *an.input_files()]})


def _year_stem(path: Path) -> str | None:
    """'status' for data/2026/status.csv or status.exempeldata.csv; None for other files."""
    if not (path.parent.name.isdigit() and len(path.parent.name) == 4):
        return None
    for stem in KEY_COLUMNS:
        if path.name in (f"{stem}.csv", f"{stem}{EXEMPEL_SUFFIX}.csv"):
            return stem
    return None


class Fingerprint:
    """Everything a run's pages can depend on, read once; `key(page)` picks each page's part."""

    def __init__(self, layout: Layout, files: list[Path], kernel: str = KERNEL, *, code: str | None = None,
                 environment: str | None = None):
        self.layout = layout
        self.kernel = kernel
        self.files = [Path(f).resolve() for f in files]
        self.names = [self._name(f) for f in self.files]
        self.code = code or code_digest()
        self.environment = environment or environment_digest(layout.root, kernel)
        self.data_tree = tree_digest(layout.data)  # every byte under data/, to see changes during the run
        self._whole = {f: sha256_bytes(f.read_bytes()) for f in self.files}
        self._tables: dict[Path, tuple[list[str], list[list[str]]]] = {}

    def _name(self, path: Path) -> str:
        try:
            return path.relative_to(self.layout.data.resolve()).as_posix()
        except ValueError:
            return str(path)

    def _rows(self, path: Path, stem: str) -> tuple[list[str], list[list[str]]]:
        if path not in self._tables:
            spec = entry(YEAR, stem).spec
            columns = spec.names
            # Columns added to the format later may be absent from older files (read as empty).
            frame = read_table(path, columns, tuple(c.name for c in spec.columns if c.may_be_absent))
            # The line of each row is part of what a page shows (its record names file and line).
            self._tables[path] = (columns, [list(r) for r in frame.itertuples(index=True, name=None)])
        return self._tables[path]

    def data_part(self, path: Path, reads: Reads) -> str:
        """The digest of what a page reads of one file: the whole file, or only its declared rows."""
        stem = _year_stem(path)
        keys = reads.rows(stem) if stem else None
        if keys is None:
            return self._whole[path]
        columns, rows = self._rows(path, stem)
        col = columns.index(KEY_COLUMNS[stem]) + 1  # after the line number
        chosen = [r for r in rows if r[col] in keys]
        return sha256_bytes(json.dumps([columns, chosen], ensure_ascii=False).encode())

    def key(self, page, notebook: bytes) -> str:
        """The page's cache key: the notebook that runs, its parameters, code, environment and data."""
        record = {
            "format": CACHE_FORMAT,
            "notebook": sha256_bytes(notebook),
            "parameters": page.parameters,
            "kernel": self.kernel,
            "root": str(self.layout.root),
            "code": self.code,
            "environment": self.environment,
            "files": self.names,
            "data": {name: self.data_part(f, page.inputs) for name, f in zip(self.names, self.files)},
        }
        return sha256_bytes(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode())


class PageCache:
    """A year's executed notebooks stored by key under `_build/cache/<år>/`."""

    def __init__(self, layout: Layout, year: int, *, read: bool = True, log=None):
        self.year = year
        self.folder = layout.build / "cache" / str(year)
        self.read = read  # False: --utan-cache (execute everything; still store the results)
        self.log = log or (lambda message: None)
        self.discarded: list[str] = []

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.ipynb"

    def get(self, key: str) -> Path | None:
        """The stored notebook, or None. An entry that cannot be read as a notebook (cut short by a
        full disk, damaged on the disk) is a miss: it is removed, logged, and the page runs again."""
        p = self.path(key)
        if not (self.read and p.is_file()):
            return None
        try:
            import nbformat

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nbformat.validate(nbformat.reads(p.read_text(encoding="utf-8"), as_version=4))
        except Exception as exc:  # noqa: BLE001 – whatever is wrong with it, it is not used
            p.unlink(missing_ok=True)
            self.discarded.append(p.name)
            self.log(f"Varning: en sparad sida i cachen ({p.parent.name}/{p.name}) var skadad och togs bort "
                     f"({type(exc).__name__}); sidan körs om.")
            return None
        return p

    def put(self, key: str, notebook: Path) -> None:
        """Store atomically: a killed run leaves either the whole entry or none."""
        copy_atomic(notebook, self.path(key))

    def record(self, keys: dict[str, str]) -> None:
        """After a good run: keep the entries of this run's pages, remove the year's others."""
        used = set(keys.values())
        for p in self.folder.glob("*.ipynb") if self.folder.exists() else ():
            if p.stem not in used:
                p.unlink(missing_ok=True)
