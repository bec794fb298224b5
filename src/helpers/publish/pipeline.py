"""Run a report year: validate → execute notebooks (papermill) → build the book → publish.

Everything is built in a staging folder and published only when all steps succeeded, by
swapping whole folders, so a failed run never damages the last good book or another year's
edition. Each year's edition (executed notebooks, pages, manifest) lives in `book/<år>/` and its
HTML in `_build/html/<år>/`; no run touches another year's folders.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from helpers.core.errors import RunError
from helpers.core.fs import swap_into_place
from helpers.core.layout import Layout
from helpers.core.pause import pause
from helpers.data.arende import Arende, load_arende, with_overrides
from helpers.evidence import package as archive
from helpers.evidence.faststallande import record_forced
from helpers.evidence.manifest import INPUTS, write_manifest
from helpers.evidence.provenance import code_identity, note_markdown, provenance
from helpers.evidence.snapshot import snapshot_inputs
from helpers.present import tjansteskrivelse
from helpers.present.startsida import fixed_page, index_markdown
from helpers.present.tolkningar import PAGE as READINGS_PAGE
from helpers.present.tolkningar import tolkningar_markdown
from helpers.publish.site import publication, write_landing, write_redogorelse
from helpers.run import pages as book
from helpers.run import progress as forlopp
from helpers.run.cache import Fingerprint, PageCache, analysis, read_files
from helpers.run.digests import code_digest, environment_digest, tree_digest
from helpers.run.execute import default_jobs, execute_all, shared_analysis
from helpers.run.jupyterbook import build_html
from helpers.run.kernel import publish
from helpers.run.record import finish_notebooks

__all__ = ["Layout", "Result", "run_year", "write_book_sources"]


@dataclass(frozen=True)
class Result:
    year: int
    html_index: Path
    edition: Path
    timings: dict[str, float]
    seconds: float


def write_book_sources(layout: Layout, an, page_list, dest: Path, note: str, config: dict,
                       arende: Arende | None = None) -> None:
    """Everything Jupyter Book needs beside the executed notebooks: the start page, the fixed
    pages (the edition's technical note in the appendix Metod), the page of the register's readings
    of the plan, static files, templates, interface strings, the tillgänglighetsredogörelse, the
    configuration and the table of contents."""
    (dest / "index.md").write_text(index_markdown(an, page_list), encoding="utf-8")
    for name in book.FIXED_PAGES:  # the plan's own facts filled in (kommun, period, counts, examples)
        text = fixed_page((layout.book / f"{name}.md").read_text(encoding="utf-8"), an)
        (dest / f"{name}.md").write_text(text, encoding="utf-8")
    # The technical record (code version, checksums, the check command) belongs in the technical appendix.
    with open(dest / "metod.md", "a", encoding="utf-8") as fh:
        fh.write(note)
    (dest / f"{READINGS_PAGE}.md").write_text(tolkningar_markdown(an.plan), encoding="utf-8")
    (dest / f"{tjansteskrivelse.PAGE}.md").write_text(
        tjansteskrivelse.markdown(an, arende or Arende(), book.toc(an.plan, page_list)), encoding="utf-8")
    shutil.copytree(layout.book / "_static", dest / "_static")
    for fixed in ("_templates", "_locale"):  # accessible templates and Swedish interface strings
        shutil.copytree(layout.book / fixed, dest / fixed)
    write_redogorelse(layout.config, an.year, dest)
    book.write_yaml(config, dest / "_config.yml")
    book.write_yaml(book.toc(an.plan, page_list), dest / "_toc.yml")


def run_year(year: int, layout: Layout, *, jobs: int | None = None, log=print, use_cache: bool = True,
             show_progress: bool = False, force: bool = False, reason: str | None = None,
             arende: dict | None = None) -> Result:
    """The one command behind `make report`. Raises InputError (bad data) or RunError.

    Pages whose inputs did not change come from the run cache and the book is built
    incrementally; `use_cache=False` (`--utan-cache`) executes every page and builds the book clean.
    An archived (fastställd) year is rebuilt only with `force` (and `reason`, recorded with who and
    when); the archive itself is never touched. The check is made first and again just before
    publishing, both under the project lock that `arkivera` also takes.
    """
    t0 = time.perf_counter()
    command = f"rapport --ar {year}" + (" --tvinga" if force else "")
    rebuilt = archive.guard(layout, year, force=force, command=command, reason=reason)
    log(f"Kontrollerar indata för {year} …")
    book.read_config(layout.config)  # a broken _config.yml stops here, before anything is written
    publication(layout.config)  # so does a broken tillgänglighetsredogörelse section
    case = with_overrides(load_arende(layout.config, year), arende)  # and a broken arende: block or option
    code, environment = code_digest(), environment_digest(layout.root)
    an = analysis(year, layout, reuse=use_cache, code=code, environment=environment)  # analyse(), stored by input bytes
    for warning in an.warnings():
        log(f"Varning: {warning}")
    config = book.config(layout.config, year, exempeldata=an.exempeldata)

    staging = layout.build / "staging" / str(year)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    # The inputs are copied first; the notebooks run in the staging edition and read only the copy.
    snapshot_inputs(an, layout, staging)
    read = read_files(an, layout)  # the bytes the cache keys on: the same bytes as the snapshot
    # The pages' own analysis: of the snapshot, made once here (or stored from an earlier run of
    # the same bytes) with its derived tables, and handed to the kernels, which use it only if the
    # snapshot's bytes, the code and the environment match.
    digest = tree_digest(staging / INPUTS)
    an = analysis(year, layout, reuse=use_cache, code=code, environment=environment, folder=staging / INPUTS,
                  derived=True)
    publish(an, shared_analysis(layout), data_dir=INPUTS, cwd=staging.resolve(), code=code,
            environment=environment, digest=digest)
    page_list = book.pages(an.plan, year, INPUTS)
    prov = provenance(layout)
    jobs = jobs or default_jobs()
    fingerprint = Fingerprint(layout, read, code=code, environment=environment)
    log(f"Kör {len(page_list)} notebooks med papermill ({jobs} varma kärnor"
        + (", utan cache" if not use_cache else ", oförändrade sidor från cache") + ") …")
    timings = execute_all(page_list, layout, staging, jobs, fingerprint=fingerprint,
                          cache=PageCache(layout, year, read=use_cache, log=log), progress=forlopp.make(show_progress))
    tables = finish_notebooks(staging, page_list, code_identity(prov))

    write_book_sources(layout, an, page_list, staging, note_markdown(prov, year, rebuilt), config, case)
    log("Bygger boken med Jupyter Book …")
    if not build_html(staging, layout.build / "bok" / str(year), fresh=not use_cache,
                      tools=fingerprint.code + fingerprint.environment):
        log("Boken är oförändrad: inget behövde byggas om.")
    missing = [p.name for p in page_list if not (staging / "_build" / "html" / f"{p.name}.html").exists()]
    if missing or not (staging / "_build" / "html" / "index.html").exists():
        raise RunError(f"Bokbygget saknar sidor: {', '.join(missing) or 'index'}")

    html_new = staging.with_name(f"{year}.html")
    if html_new.exists():
        shutil.rmtree(html_new)
    os.replace(staging / "_build" / "html", html_new)
    shutil.rmtree(staging / "_build")
    write_manifest(staging, html_new, an=an, pages=page_list, timings=timings, prov=prov, tables=tables,
                           rebuilt=rebuilt)
    pause("publicera")
    if archive.guard(layout, year, force=force, command=command, reason=reason) and not rebuilt:
        # Archived while this run worked (only possible past the lock): the manifest lacks the note.
        raise RunError(f"Utgåvan {year} blev fastställd medan den byggdes; inget har publicerats. Kör igen "
                       "(med --tvinga och --orsak om den ska byggas om).")
    swap_into_place(staging, layout.edition(year))
    swap_into_place(html_new, layout.html(year))
    if rebuilt:
        record_forced(layout, year, {k: rebuilt[k] for k in ("kommando", "av", "tid", "orsak")})
    write_landing(layout, log=log)
    result = Result(year, layout.html(year) / "index.html", layout.edition(year), timings, time.perf_counter() - t0)
    log(f"Klart på {result.seconds:.0f} s. Rapporten: {result.html_index}")
    return result
