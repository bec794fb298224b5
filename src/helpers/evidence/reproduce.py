"""Reproduce an archived edition: re-execute its notebooks from its own inputs and compare every output.

The archived (or published) notebooks are stripped of their outputs and executed again with
papermill, with the recorded parameters, in a temporary folder that holds only the archived
input snapshot. Every cell is then compared with the archive: sources, the record tables (cell
by cell, row by row), numbers and text on the page, charts (the SVG the page embeds). Only
volatile metadata (times, durations, kernel and cell-run ids, execution counts) is ignored.
The web pages are then rebuilt from the new notebooks and compared (helpers.evidence.sidor), and,
when the caller hands in a way to print (helpers.publish.omtryck, which the CLI passes), every PDF
the edition's manifest lists is printed again from the rebuilt pages and compared page by page
(helpers.evidence.pdfsidor). The report also says when the code or the environment differ from
the ones recorded, which explains a difference, or shows that the result holds despite them.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from helpers.core.errors import RunError, display_path
from helpers.evidence import earkiv, pdfsidor, sidor
from helpers.evidence import package as archive
from helpers.evidence.manifest import CHECKSUMS, CODE_PART, EDITION_PART, HTML_PART, INPUTS, MANIFEST, FolderTree, parse_manifest, verify
from helpers.evidence.provenance import code_files, combined, packages, sha256, sha256_bytes
from helpers.present.html import plain_text
from helpers.present.underlag import MIME
from helpers.run.execute import hide_code
from helpers.run.record import TABLES, epoch, normalise, record_of, stamp_code, table_csv

VOLATILE_CELL_METADATA = ("papermill", "execution", "collapsed", "scrolled", "jupyter")
MAX_PER_TABLE = 10


@dataclass
class Report:
    source: str
    notebooks: int = 0
    cells: int = 0
    differences: list[str] = field(default_factory=list)
    code_notes: list[str] = field(default_factory=list)
    environment_notes: list[str] = field(default_factory=list)
    identical_bytes: int = 0
    pages: int = 0  # web pages rebuilt from the re-executed notebooks and compared
    pdfs: dict[str, int] = field(default_factory=dict)  # PDF printed again and compared → its pages
    pdf_notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


# --- where the archived edition is ------------------------------------------------------------------

class _Source:
    """An archive package (folder or zip) or a published edition, read the same way."""

    def __init__(self, path: Path, html: Path | None = None, year: int | None = None):
        self.path = Path(path)
        self.is_edition = (self.path / MANIFEST).is_file() and not (self.path / CHECKSUMS).exists() \
            and self.path.is_dir()
        if self.is_edition:
            problems = verify(self.path, html, year=year)
            self.tree = FolderTree(self.path)
            self.prefix = ""
            self.delar = {}
        else:
            problems = archive.verify_package(self.path, year=year)
            self.tree = archive.open_package(self.path)
        if problems:
            raise RunError(f"{display_path(self.path)} stämmer inte med sitt manifest och reproduceras inte:\n"
                           + "\n".join(f"  • {p}" for p in problems))
        self.manifest = parse_manifest(self.tree.read(MANIFEST), display_path(self.path))
        if not self.is_edition:
            self.delar = earkiv.parts(self.manifest)
            self.prefix = f"{self.delar[EDITION_PART]}/"

    def edition_files(self, under: str = "") -> dict[str, bytes]:
        return {rel: self.tree.read(self.prefix + rel) for rel in self.manifest["filer"] if rel.startswith(under)}

    def html_pages(self, html: Path | None) -> dict[str, bytes]:
        """The archived web pages (.html) as readers saw them."""
        names = [rel for rel in self.manifest.get("html", {}) if rel.endswith(".html")]
        if self.is_edition:
            return {rel: (Path(html) / rel).read_bytes() for rel in names} if html is not None else {}
        return {rel: self.tree.read(f"{self.delar[HTML_PART]}/{rel}") for rel in names}

    def code_files(self) -> dict[str, bytes]:
        if self.is_edition:
            return {}
        code = self.delar[CODE_PART]
        return {rel[len(code) + 1:]: self.tree.read(rel) for rel in self.manifest.get("arkivfiler", {})
                if rel.startswith(f"{code}/helpers/")}


# --- execution -------------------------------------------------------------------------------------

def _strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as it was before it ran: no outputs, no counts, no run metadata."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    out.metadata.pop("papermill", None)
    return out


def _run(job: tuple[str, str, str, dict, str, str | None]) -> tuple[str, float, str | None]:
    """Execute one notebook in its own process (papermill changes the working folder process-wide)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    name, src, dst, params, cwd, pythonpath = job
    if pythonpath:
        os.environ["PYTHONPATH"] = pythonpath + os.pathsep + os.environ.get("PYTHONPATH", "")
    log = os.open(Path(cwd) / f".karnlogg-{name}.txt", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)
    os.close(log)
    start = time.perf_counter()
    for attempt in (1, 2):
        try:
            pm.execute_notebook(src, dst, parameters=params, kernel_name="python3", cwd=cwd, progress_bar=False,
                                log_output=False, language="python")
            return name, time.perf_counter() - start, None
        except PapermillExecutionError as exc:
            return name, time.perf_counter() - start, f"{exc.ename}: {exc.evalue}"
        except RuntimeError as exc:  # kernel start collisions when run in parallel (papermill #511)
            if attempt == 2:
                return name, time.perf_counter() - start, f"kärnan kunde inte startas: {exc}"
    return name, time.perf_counter() - start, "okänt fel"


# --- comparison ------------------------------------------------------------------------------------

_IMG = re.compile(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def _text(markup: str) -> str:
    return " ".join(plain_text(markup).split())


def _first_difference(a: str, b: str, width: int = 40) -> str:
    i = len(os.path.commonprefix([a, b]))
    start = max(0, i - width)
    return f"arkivet '…{a[start:i + width]}…', nu '…{b[start:i + width]}…'"


def _table_differences(name: str, old: dict, new: dict) -> list[str]:
    if old is None or new is None:
        return [f"tabellen {name} finns bara i {'den nya körningen' if old is None else 'arkivet'}"]
    if old["kolumner"] != new["kolumner"]:
        return [f"tabellen {name} har andra kolumner: arkivet {old['kolumner']}, nu {new['kolumner']}"]
    out = []
    if len(old["rader"]) != len(new["rader"]):
        out.append(f"tabellen {name} har {len(old['rader'])} rader i arkivet och {len(new['rader'])} nu")
    for i, (a, b) in enumerate(zip(old["rader"], new["rader"]), start=1):
        for col, x, y in zip(old["kolumner"], a, b):
            if x != y:
                out.append(f"tabellen {name}, rad {i} ({old['kolumner'][0]} = {a[0]}), kolumn {col}: "
                           f"arkivet {json.dumps(x, ensure_ascii=False)}, nu {json.dumps(y, ensure_ascii=False)}")
                if len(out) >= MAX_PER_TABLE:
                    return [*out, f"tabellen {name}: fler skillnader finns"]
    return out


def _output_differences(old: dict, new: dict) -> list[str]:
    if old.get("output_type") != new.get("output_type"):
        return [f"utdata av olika slag: arkivet {old.get('output_type')}, nu {new.get('output_type')}"]
    if old.get("output_type") == "stream":
        a, b = "".join(old.get("text", "")), "".join(new.get("text", ""))
        return [] if a == b else [f"utskriften skiljer sig: {_first_difference(a, b)}"]
    if old.get("output_type") == "error":
        same = (old.get("ename"), old.get("evalue")) == (new.get("ename"), new.get("evalue"))
        return [] if same else [f"felet skiljer sig: arkivet {old.get('ename')}, nu {new.get('ename')}"]
    da, db = old.get("data", {}), new.get("data", {})
    out = []
    if set(da) != set(db):
        out.append(f"utdata har andra format: arkivet {sorted(da)}, nu {sorted(db)}")
    if MIME in da and MIME in db:
        ta, tb = da[MIME]["tabeller"], db[MIME]["tabeller"]
        for name in list(dict.fromkeys([*ta, *tb])):
            out += _table_differences(name, ta.get(name), tb.get(name))
        return out
    if "text/html" in da and "text/html" in db and da["text/html"] != db["text/html"]:
        a, b = "".join(da["text/html"]), "".join(db["text/html"])
        if _text(a) != _text(b):
            out.append(f"texten skiljer sig: {_first_difference(_text(a), _text(b))}")
        if _IMG.findall(a) != _IMG.findall(b):
            out.append("diagrammet skiljer sig (SVG-bilden är inte densamma)")
        if _text(a) == _text(b) and _IMG.findall(a) == _IMG.findall(b):
            out.append(f"HTML-koden skiljer sig: {_first_difference(a, b)}")
    for mime in sorted(set(da) & set(db) - {"text/html", MIME}):
        if da[mime] != db[mime]:
            out.append(f"utdata {mime} skiljer sig")
    if old.get("metadata", {}) != new.get("metadata", {}):
        out.append("utdatans metadata skiljer sig")
    return out


def _describe(index: int, cell) -> str:
    first = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
    first = first if len(first) <= 70 else first[:67] + "…"
    return f"cell {index} (id {cell.get('id', '?')}{', `' + first + '`' if first else ''})"


def compare_notebooks(name: str, old: nbformat.NotebookNode, new: nbformat.NotebookNode) -> list[str]:
    """Every difference between two executed notebooks but volatile metadata, named by notebook and cell."""
    out = []
    pa = old.metadata.get("papermill", {}).get("parameters")
    pb = new.metadata.get("papermill", {}).get("parameters")
    if pa != pb:
        out.append(f"{name}: parametrarna skiljer sig: arkivet {pa}, nu {pb}")
    if len(old.cells) != len(new.cells):
        out.append(f"{name}: {len(old.cells)} celler i arkivet, {len(new.cells)} nu")
    for i, (a, b) in enumerate(zip(old.cells, new.cells)):
        where = f"{name}, {_describe(i, a)}"
        if a.cell_type != b.cell_type or a.source != b.source:
            out.append(f"{where}: cellens kod eller text skiljer sig")
            continue
        ma = {k: v for k, v in a.metadata.items() if k not in VOLATILE_CELL_METADATA}
        mb = {k: v for k, v in b.metadata.items() if k not in VOLATILE_CELL_METADATA}
        if ma != mb:
            out.append(f"{where}: cellens metadata (t.ex. taggar) skiljer sig")
        if a.cell_type != "code":
            continue
        oa, ob = a.get("outputs", []), b.get("outputs", [])
        if len(oa) != len(ob):
            out.append(f"{where}: {len(oa)} utdata i arkivet, {len(ob)} nu")
        for x, y in zip(oa, ob):
            out += [f"{where}: {d}" for d in _output_differences(x, y)]
    return out


def _code_and_environment(manifest: dict, report: Report, archived_code: bool) -> None:
    recorded = manifest.get("kod", {})
    if archived_code:
        report.code_notes.append("Körningen använde arkivets egen programkod (kod/helpers).")
    else:
        now = {n: sha256(p) for n, p in code_files().items()}
        old = recorded.get("helpers", {})
        changed = [n for n in sorted(set(old) | set(now)) if old.get(n) != now.get(n)]
        if changed:
            report.code_notes.append(f"Programkoden skiljer sig från den som byggde utgåvan ({len(changed)} filer: "
                                     f"{', '.join(changed[:6])}{' …' if len(changed) > 6 else ''}).")
    commit = recorded.get("git", {}).get("kod", {}).get("commit")
    if commit and not archived_code:
        from helpers.evidence.provenance import git_state, helpers_dir

        current = git_state(helpers_dir()).get("commit")
        if current != commit:
            report.code_notes.append(f"Git-versionen är en annan: utgåvan {commit[:12]}, nu {str(current)[:12]}.")
    env = manifest.get("miljo", {})
    import platform

    if env.get("python") and env["python"] != platform.python_version():
        report.environment_notes.append(f"Python {env['python']} vid bygget, nu {platform.python_version()}.")
    old_pkgs, new_pkgs = env.get("paket", {}), packages()
    diff = [f"{n} {old_pkgs.get(n, 'saknades')} → {new_pkgs.get(n, 'saknas')}"
            for n in sorted(set(old_pkgs) | set(new_pkgs)) if old_pkgs.get(n) != new_pkgs.get(n)]
    if diff:
        report.environment_notes.append(f"{len(diff)} paket har en annan version än vid bygget: {', '.join(diff[:8])}"
                                        f"{' …' if len(diff) > 8 else ''}.")


def _code_that_ran(source: _Source, manifest: dict, archived_code: bool) -> dict:
    """The code version the re-run notebooks carry: the archive's own code, or the code running now."""
    if archived_code:
        files = {rel: sha256_bytes(data) for rel, data in source.code_files().items()}
        git = manifest.get("kod", {}).get("git", {}).get("kod", {})
        return {"git_commit": git.get("commit"), "ren": git.get("ren"), "helpers_sha256": combined(files)}
    from helpers.evidence.provenance import git_state, helpers_dir

    git = git_state(helpers_dir())
    return {"git_commit": git.get("commit"), "ren": git.get("ren"),
            "helpers_sha256": combined({n: sha256(p) for n, p in code_files().items()})}


Reprint = Callable[[dict[str, bytes], Path, int, Path], dict[str, bytes]]


def reproduce(path: Path, *, html: Path | None = None, year: int | None = None, jobs: int = 2,
              archived_code: bool = False, only: list[str] | None = None, log=print,
              reprint: Reprint | None = None) -> Report:
    """Re-execute an archive's (or an edition's) notebooks from its inputs and compare every output.

    `only` limits the run to some pages (notebook names without .ipynb). `reprint(edition files,
    rebuilt html folder, year, work folder)` prints the edition's PDFs again (name → bytes); it
    comes from the publishing layer, which this one may not import.
    """
    source = _Source(path, html, year)
    manifest = source.manifest
    params = manifest.get("parametrar", {})
    if only:
        unknown = [p for p in only if p not in params]
        if unknown:
            raise RunError(f"Sidor som inte finns i utgåvan: {', '.join(unknown)}. Sidorna är: {', '.join(sorted(params))}.")
        params = {p: params[p] for p in only}
    if not params:
        raise RunError(f"{display_path(path)}: manifestet anger inga sidor med parametrar att reproducera.")
    report = Report(display_path(path), notebooks=len(params))
    if archived_code and source.is_edition:
        raise RunError("En utgåva i book/ har ingen arkiverad programkod; ange ett arkiv med --arkiv.")
    with tempfile.TemporaryDirectory(prefix="uppf-reproducera-") as tmp_name:
        tmp = Path(tmp_name)
        for rel, data in source.edition_files(f"{INPUTS}/").items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
        own_config = source.tree.read(f"{source.prefix}_config.yml")
        if own_config is not None:  # the edition's plan: block: the kommun and period it was built for
            (tmp / "_config.yml").write_bytes(own_config)
        pythonpath = None
        if archived_code:
            for rel, data in source.code_files().items():
                (tmp / "kod" / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp / "kod" / rel).write_bytes(data)
            pythonpath = str(tmp / "kod")
        work, originals, rerun = [], {}, {}
        (tmp / ".att_kora").mkdir()
        for page, p in sorted(params.items()):
            raw = source.tree.read(f"{source.prefix}{page}.ipynb")
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
            originals[page] = (nb, raw)
            src = tmp / ".att_kora" / f"{page}.ipynb"
            nbformat.write(_strip(nb), src)
            work.append((page, str(src), str(tmp / f"{page}.ipynb"), p, str(tmp), pythonpath))
        ran_with = _code_that_ran(source, manifest, archived_code)
        log(f"Kör om {len(work)} notebooks från arkivets indata ({jobs} parallella) …")
        with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
            results = list(pool.map(_run, work))
        for page, _seconds, error in results:
            if error:
                report.differences.append(f"{page}.ipynb: kunde inte köras om ({error})")
            dst = tmp / f"{page}.ipynb"
            if not dst.exists():
                continue
            new = nbformat.read(dst, as_version=4)
            hide_code(new)
            old, raw = originals[page]
            template = manifest.get("sidor", {}).get(page, {}).get("mall", "")
            normalise(new, template=template, name=page, when=epoch())
            normalise(old, template=template, name=page, when=None)
            stamp_code(new, ran_with)
            rerun[page] = new
            report.cells += len(new.cells)
            report.differences += compare_notebooks(f"{page}.ipynb", old, new)
            if nbformat.writes(new) + "\n" == raw.decode("utf-8"):
                report.identical_bytes += 1
            for table, data in record_of(new).items():
                rel = f"{TABLES}/{page}/{table}.csv"
                archived_csv = source.tree.read(source.prefix + rel)
                if archived_csv is not None and archived_csv.decode("utf-8") != table_csv(data):
                    report.differences.append(f"{rel}: CSV-filen skiljer sig från den som räknas fram nu")
        archived_pages = source.html_pages(html)
        if archived_pages:
            log("Bygger webbsidorna på nytt med Jupyter Book och jämför dem med arkivets …")
            notebooks = {page: nbformat.reads(source.tree.read(f"{source.prefix}{page}.ipynb").decode("utf-8"), as_version=4)
                         for page in manifest.get("parametrar", {})}
            rebuilt = sidor.rebuild(source.edition_files(), {**notebooks, **rerun}, tmp / "bok")
            report.pages = len(rebuilt)
            report.differences += sidor.compare_pages(archived_pages, rebuilt)
            if reprint is not None:
                _compare_pdfs(source, report, reprint, tmp / "bok" / "_build" / "html", tmp / "omtryck", log)
        elif reprint is not None:
            report.pdf_notes.append("PDF:en jämfördes inte: utgåvans webbsidor, som den skrivs ut från, saknas.")
    _code_and_environment(manifest, report, archived_code)
    return report


def _compare_pdfs(source: _Source, report: Report, reprint: Reprint, html: Path, work: Path, log) -> None:
    """Every PDF the manifest lists, printed again from the rebuilt pages and compared, by name."""
    listed = sorted(rel for rel in source.manifest["filer"] if rel.lower().endswith(".pdf"))
    if not listed:
        report.pdf_notes.append("Utgåvan har ingen PDF; ingen PDF att jämföra.")
        return
    log(f"Skriver ut {', '.join(listed)} på nytt från de ombyggda webbsidorna och jämför …")
    edition = {**source.edition_files(), MANIFEST: source.tree.read(MANIFEST)}  # the package's own, for an archive
    printed = reprint(edition, html, source.manifest["ar"], work)
    for rel in listed:
        if rel not in printed:
            report.differences.append(f"{rel}: finns i utgåvan men skrivs inte ut av pdf-kommandot nu")
            continue
        report.differences += pdfsidor.compare_pdfs(rel, edition[rel], printed[rel])
        report.pdfs[rel] = pdfsidor.page_count(printed[rel])
    for rel in sorted(set(printed) - set(listed)):
        report.pdf_notes.append(f"pdf-kommandot skriver nu också {rel}, som utgåvan inte har (nyare programkod).")
