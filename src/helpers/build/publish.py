"""Publishing: editions swapped in whole, and the landing page that lists every edition."""

from __future__ import annotations

from helpers.build.archive import load_manifest as read_manifest
from helpers.build.layout import Layout
from helpers.core.errors import RunError
from helpers.core.fs import write_text_atomic
from helpers.present.startsida import landing_html


def write_landing(layout: Layout, log=print):
    """_build/html/index.html: every published edition, newest first.

    Another year's damaged manifest never stops this year's run: that edition is listed with a
    note to check it, and the run says so.
    """
    html_root = layout.build / "html"
    years = sorted((int(p.name) for p in html_root.iterdir() if p.name.isdigit() and (p / "index.html").exists()),
                   reverse=True)
    editions = []
    for y in years:
        manifest = layout.edition(y) / "manifest.json"
        entry = {"ar": y, "exempeldata": False, "byggd": ""}
        if manifest.exists():
            try:
                meta = read_manifest(manifest)
                entry.update(exempeldata=bool(meta.get("exempeldata", False)), byggd=str(meta.get("byggd", "")))
            except RunError as exc:
                entry["skadat"] = True
                log(f"Varning: {exc} Startsidan visar utgåvan {y} med en anmärkning; kontrollera den med "
                    f"'python -m helpers verifiera --ar {y}'.")
        editions.append(entry)
    return write_text_atomic(html_root / "index.html", landing_html(editions))
