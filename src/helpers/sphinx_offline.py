"""Sphinx extension for the book: no Thebe (live code) assets in a static, offline report.

Jupyter Book 1 always loads sphinx-thebe, which declares THEBE_JS_URL twice (a console error
on every page) and points at a CDN. The report has no live code, so the assets are dropped.
"""

from __future__ import annotations


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name.lower() or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
