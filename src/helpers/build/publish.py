"""Publishing: editions swapped in whole, and the landing page that lists every edition."""

from __future__ import annotations

import json

from helpers.build.layout import Layout
from helpers.core.fs import write_text_atomic
from helpers.present.startsida import landing_html


def write_landing(layout: Layout):
    """_build/html/index.html: every published edition, newest first."""
    html_root = layout.build / "html"
    years = sorted((int(p.name) for p in html_root.iterdir() if p.name.isdigit() and (p / "index.html").exists()),
                   reverse=True)
    editions = []
    for y in years:
        manifest = layout.edition(y) / "manifest.json"
        meta = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
        editions.append({"ar": y, "exempeldata": meta.get("exempeldata", False), "byggd": meta.get("byggd", "")})
    return write_text_atomic(html_root / "index.html", landing_html(editions))
