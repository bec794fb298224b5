"""An edition's PDFs printed again, for `reproducera`: the same `pdf` command on rebuilt pages.

`reproducera` (helpers.evidence.reproduce) rebuilds the web pages from the re-executed notebooks;
it cannot print them itself, as printing lives in this layer. It is handed `reprint`, which lays
out a throw-away project (the edition's own `_config.yml`, the archived edition, the rebuilt
pages) and runs `write_pdfs` in it (the `pdf` command): the one function that wrote the archived PDFs, so every PDF it
writes (the report, and whatever else `pdf` prints into the edition) is printed again, by name,
without code of its own here. Nothing outside `work` is read or written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers.core.layout import Layout
from helpers.evidence.manifest import MANIFEST
from helpers.evidence.provenance import sha256
from helpers.publish.utskrift import write_pdfs


def reprint(edition: dict[str, bytes], html: Path, year: int, work: Path, log=print) -> dict[str, bytes]:
    """Every PDF `pdf --ar year` writes into the edition, printed from the pages in `html`; name → bytes.

    `edition` is the archived edition (file name → bytes, its manifest among them). The copy
    leaves out the archived PDFs, so every PDF in it afterwards is one the command wrote, and its
    manifest records the rebuilt pages instead of the archived ones (the archived files are what
    is being checked; the copy only has to be an edition `pdf` accepts).
    """
    layout = Layout.at(work)
    target = layout.edition(year)
    manifest = json.loads(edition[MANIFEST].decode("utf-8"))
    for rel, data in edition.items():
        if data is None or _is_pdf(rel):
            manifest["filer"].pop(rel, None)
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(data)
    own_config = edition.get("_config.yml")
    if own_config is not None:  # the edition's own configuration: its kommun, publisher and plan
        layout.config.write_bytes(own_config)
    layout.data.mkdir(parents=True, exist_ok=True)
    shutil.copytree(html, layout.html(year))
    pages = layout.html(year)
    manifest["html"] = {p.relative_to(pages).as_posix(): sha256(p) for p in sorted(pages.rglob("*")) if p.is_file()}
    for key in ("pdf", "tjansteskrivelse"):  # the archived PDFs' descriptions; the command writes its own
        manifest.pop(key, None)
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_pdfs(year, layout, log=log)
    written = json.loads((target / MANIFEST).read_text(encoding="utf-8"))["filer"]
    return {rel: (target / rel).read_bytes() for rel in written if _is_pdf(rel)}


def _is_pdf(rel: str) -> bool:
    return rel.lower().endswith(".pdf")
