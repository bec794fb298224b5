"""Run a report year: validate → execute notebooks (papermill) → build the book → publish.

Everything is built in a staging folder and published only when all steps succeeded, by
swapping whole folders, so a failed run never damages the last good book or another year's
edition. Each year's edition (executed notebooks, pages, manifest) lives in `book/<år>/` and its
HTML in `_build/html/<år>/`; no run touches another year's folders.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers import book
from helpers.analysis import analyse
from helpers.archive import write_manifest
from helpers.errors import RunError

REMOVE_CELL = "remove-cell"
REMOVE_INPUT = "remove-input"


@dataclass(frozen=True)
class Layout:
    """Where things are. Tests point this at a temporary folder with fixture data."""

    root: Path
    data: Path
    notebooks: Path
    book: Path  # editions: book/<år>/
    build: Path  # _build: staging and html
    config: Path  # top-level _config.yml

    @classmethod
    def at(cls, root: Path, data: Path | None = None) -> "Layout":
        root = Path(root).resolve()
        return cls(root, Path(data).resolve() if data else root / "data", root / "notebooks", root / "book",
                   root / "_build", root / "_config.yml")

    def html(self, year: int) -> Path:
        return self.build / "html" / str(year)

    def edition(self, year: int) -> Path:
        return self.book / str(year)


def prepare(template: Path, title: str) -> nbformat.NotebookNode:
    """The template with the page title as its first cell (myst-nb takes titles from markdown cells)."""
    nb = nbformat.read(template, as_version=4)
    title_cell = nbformat.v4.new_markdown_cell(f"# {title}", metadata={"tags": ["titel"]})
    title_cell["id"] = "titel"  # a fixed id keeps executed notebooks reproducible
    nb.cells.insert(0, title_cell)
    return nb


def hide_code(nb: nbformat.NotebookNode) -> list[str]:
    """Readers see results, never code or parameters; return any stderr/error outputs found."""
    problems = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            tags.add(REMOVE_CELL)
        else:
            tags.add(REMOVE_INPUT)
        cell.metadata["tags"] = sorted(tags)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"{out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                problems.append("stderr: " + "".join(out.get("text", ""))[:300])
    return problems


def _execute(job: tuple[str, str, str, dict, str]) -> tuple[str, float, list[str]]:
    """Execute one prepared notebook in its own process (papermill chdirs process-wide)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    name, src, dst, params, cwd = job
    # Kernels inherit this process's stderr: send their chatter to the run's log, not the console.
    log = os.open(Path(dst).with_name("karnlogg.txt"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 2)
    os.close(log)
    start = time.perf_counter()
    for attempt in (1, 2):
        try:
            pm.execute_notebook(src, dst, parameters=params, kernel_name="python3", cwd=cwd,
                                progress_bar=False, log_output=False, language="python")
            break
        except PapermillExecutionError as exc:
            return name, time.perf_counter() - start, [f"{exc.ename}: {exc.evalue}"]
        except RuntimeError as exc:  # kernel start collisions when run in parallel (papermill #511)
            if attempt == 2:
                return name, time.perf_counter() - start, [f"kärnan kunde inte startas: {exc}"]
    nb = nbformat.read(dst, as_version=4)
    problems = hide_code(nb)
    nbformat.write(nb, dst)
    return name, time.perf_counter() - start, problems


def execute_all(pages: list[book.Page], layout: Layout, staging: Path, jobs: int) -> dict[str, float]:
    prepared = staging / ".mallar"
    prepared.mkdir(parents=True)
    work = []
    for page in pages:
        src = prepared / f"{page.name}.ipynb"
        nbformat.write(prepare(layout.notebooks / page.template, page.title), src)
        work.append((page.name, str(src), str(staging / f"{page.name}.ipynb"), page.parameters, str(layout.root)))
    timings: dict[str, float] = {}
    failures: list[str] = []
    # Always in worker processes: papermill chdirs and the kernels' stderr is redirected per process.
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(_execute, work))
    for name, seconds, problems in results:
        timings[name] = seconds
        failures += [f"{name}.ipynb: {p}" for p in problems]
    shutil.rmtree(prepared)
    (staging / "karnlogg.txt").unlink(missing_ok=True)
    if failures:
        raise RunError("Körningen av notebooks misslyckades:\n" + "\n".join(f"  • {f}" for f in failures))
    return timings


def build_html(staging: Path) -> None:
    """Jupyter Book 1 on the staged edition; warnings are errors so a broken page cannot ship."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(staging), "--builder", "html", "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    log = staging / "_build" / "bygglogg.txt"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise RunError(f"Bokbygget misslyckades (jupyter-book, kod {proc.returncode}). Logg: {log}\n{tail}")


def swap_into_place(new: Path, target: Path) -> None:
    """Replace `target` with `new` by renames, keeping the old one until the new one is in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(target.name + ".gammal")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    if old.exists():
        shutil.rmtree(old)


@dataclass(frozen=True)
class Result:
    year: int
    html_index: Path
    edition: Path
    timings: dict[str, float]
    seconds: float


def run_year(year: int, layout: Layout, *, jobs: int = 2, log=print) -> Result:
    """The one command behind `make report`. Raises InputError (bad data) or RunError."""
    t0 = time.perf_counter()
    log(f"Kontrollerar indata för {year} …")
    an = analyse(year, layout.data)
    data_param = os.path.relpath(layout.data, layout.root)
    page_list = book.pages(an.plan, year, data_param)

    staging = layout.build / "staging" / str(year)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    log(f"Kör {len(page_list)} notebooks med papermill ({jobs} parallella) …")
    timings = execute_all(page_list, layout, staging, jobs)

    (staging / "index.md").write_text(book.index_markdown(an, page_list), encoding="utf-8")
    shutil.copy(layout.book / "om_rapporten.md", staging / "om_rapporten.md")
    shutil.copytree(layout.book / "_static", staging / "_static")
    book.write_yaml(book.config(layout.config, year, exempeldata=an.exempeldata), staging / "_config.yml")
    book.write_yaml(book.toc(an.plan, page_list), staging / "_toc.yml")
    log("Bygger boken med Jupyter Book …")
    build_html(staging)
    missing = [p.name for p in page_list if not (staging / "_build" / "html" / f"{p.name}.html").exists()]
    if missing or not (staging / "_build" / "html" / "index.html").exists():
        raise RunError(f"Bokbygget saknar sidor: {', '.join(missing) or 'index'}")

    html_new = staging.with_name(f"{year}.html")
    if html_new.exists():
        shutil.rmtree(html_new)
    os.replace(staging / "_build" / "html", html_new)
    shutil.rmtree(staging / "_build")
    write_manifest(staging, an, layout, timings)
    swap_into_place(staging, layout.edition(year))
    swap_into_place(html_new, layout.html(year))
    write_landing(layout)
    result = Result(year, layout.html(year) / "index.html", layout.edition(year), timings, time.perf_counter() - t0)
    log(f"Klart på {result.seconds:.0f} s. Rapporten: {result.html_index}")
    return result


def write_landing(layout: Layout) -> Path:
    """_build/html/index.html: every published edition, newest first."""
    html_root = layout.build / "html"
    years = sorted((int(p.name) for p in html_root.iterdir() if p.name.isdigit() and (p / "index.html").exists()),
                   reverse=True)
    items = []
    for y in years:
        manifest = layout.edition(y) / "manifest.json"
        example = False
        built = ""
        if manifest.exists():
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            example = meta.get("exempeldata", False)
            built = meta.get("byggd", "")
        note = " <span class=\"ex\">(exempeldata)</span>" if example else ""
        when = f" <small>byggd {built[:10]}</small>" if built else ""
        items.append(f'<li><a href="{y}/index.html">Uppföljningsrapport {y}</a>{note}{when}</li>')
    page = f"""<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Uppföljningsrapporter – Norrtälje kommuns näringslivsstrategi</title>
<style>body{{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}}
a{{color:#0b4f9c}} .ex{{color:#8a3b00;font-weight:600}} small{{color:#444}}</style></head>
<body><main>
<h1>Uppföljningsrapporter</h1>
<p>Årliga uppföljningar av handlingsplanen till Norrtälje kommuns näringslivsstrategi 2025–2030.</p>
<h2>Utgåvor</h2>
<ul>
{chr(10).join(items) if items else "<li>Inga utgåvor är byggda ännu.</li>"}
</ul>
</main></body></html>
"""
    target = html_root / "index.html"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
