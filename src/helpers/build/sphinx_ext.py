"""Sphinx extension for the book: an offline, accessible static report.

Jupyter Book 1 always loads sphinx-thebe, which declares THEBE_JS_URL twice (a console error
on every page) and points at a CDN. The report has no live code, so the assets are dropped. Markdown tables also get scoped headers.
Titles the theme shows unescaped (the print header) are escaped, since titles come from the register.
"""

from __future__ import annotations

import html


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name.lower() or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def _scope_headers(app, pagename, templatename, context, doctree):
    """Markdown tables get column headers with scope="col", like the tables the notebooks write."""
    body = context.get("body")
    if body and '<th class="head">' in body:
        context["body"] = body.replace('<th class="head">', '<th class="head" scope="col">')


def _escape_theme_titles(app, pagename, templatename, context, doctree):
    """sphinx-book-theme puts the page title into its print header as plain text (`title.astext()`,
    inserted unescaped): a title from the register holding `<script>` would run. Escape it here."""
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key], quote=True)


def setup(app):
    app.connect("html-page-context", _escape_theme_titles, priority=900)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _scope_headers, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
