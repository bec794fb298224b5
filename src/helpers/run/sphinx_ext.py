"""Sphinx extension for the book: an offline, accessible, Swedish static report.

What the theme (sphinx-book-theme on pydata-sphinx-theme) gets wrong for a public-sector
publication is fixed here at its cause, never by switching an accessibility rule off:

- Jupyter Book 1 always loads sphinx-thebe, which declares THEBE_JS_URL twice (a console error on
  every page) and points at a CDN; the report has no live code, so thebe and the copy buttons go.
- The sidebar's collapsible sections are `<summary>` elements with only an icon: each gets an
  accessible name from the chapter it opens.
- The download menu offers the edition's PDF (written by `python -m helpers pdf`) instead of the
  raw notebooks, which belong to the edition's archive, not to readers.
- Relative `locale_dirs` become absolute, so Sphinx finds the Swedish `sphinx.js` for the search
  page as well as the `sphinx.po` it already read (it looks the former up from the working folder).
- Markdown tables get scoped column headers, like the tables the notebooks write.
- Titles the theme shows unescaped are escaped, since titles come from the register.

The Swedish interface strings themselves live in `book/_locale/sv/LC_MESSAGES/`, the template
overrides in `book/_templates/`, both copied into every edition.
"""

from __future__ import annotations

import functools
import html
import os
import re

from markupsafe import Markup

from helpers.core.layout import bilagor_pdf_name, pdf_name

UNWANTED_ASSETS = ("thebe", "copybutton", "clipboard.min")


def _is_unwanted(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "").lower()
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return any(u in name for u in UNWANTED_ASSETS) or "THEBE_JS_URL" in body


def _drop_unwanted_assets(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_unwanted(a)]


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


_SUMMARY = re.compile(r"(<a\b[^>]*>(?P<title>(?:(?!</a>).)*)</a>\s*<details\b[^>]*>\s*)<summary>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def name_toc_toggles(toc: str) -> str:
    """Give every sidebar `<summary>` toggle the name of the chapter whose sections it shows.

    The theme writes `<a …>Title</a><details><summary><span role="presentation">…icon…</span>`:
    a control a screen reader announces without a name (axe: summary-name).
    """
    def named(m: re.Match) -> str:
        title = " ".join(_TAGS.sub("", m.group("title")).split())
        label = f"Avsnitt i {title}".replace('"', "&quot;")
        return f'{m.group(1)}<summary aria-label="{label}">'
    return _SUMMARY.sub(named, toc)


def _named_toc(app, pagename, templatename, context, doctree):
    make = context.get("generate_toctree_html")
    if make is None:
        return

    @functools.wraps(make)
    def generate(*args, **kwargs):
        return Markup(name_toc_toggles(str(make(*args, **kwargs))))
    context["generate_toctree_html"] = generate


def _pdf_download(app, pagename, templatename, context, doctree):
    """The reader's download menu: the report and its bilagor as A4 PDFs, nothing else (utgavor.js
    hides a link whose file the edition does not have)."""
    buttons = context.get("header_buttons")
    year = app.config.uppf_ar
    if buttons is None:
        return
    buttons[:] = [b for b in buttons if b.get("label") != "download-buttons"]
    if not year:
        return
    pdf = pdf_name(year)
    buttons.insert(0, {
        "type": "group",
        "tooltip": "Ladda ner",
        "icon": "fas fa-download",
        "label": "uppf-ladda-ner",
        "buttons": [{
            "type": "link",
            "url": context["pathto"](pdf, 1),
            "text": "Rapporten (PDF, A4)",
            "tooltip": f"Uppföljningsrapport {year} som en PDF-fil för utskrift och diarium",
            "icon": "fas fa-file-pdf",
            "label": "uppf-pdf",
        }, {
            "type": "link",
            "url": context["pathto"](bilagor_pdf_name(year), 1),
            "text": "Bilagor (PDF, A4)",
            "tooltip": f"Bilagorna till uppföljningsrapport {year} som en PDF-fil",
            "icon": "fas fa-file-pdf",
            "label": "uppf-pdf-bilagor",
        }],
    })
    context["uppf_pdf"] = pdf
    context["uppf_bilagor_pdf"] = bilagor_pdf_name(year)


def _edition_context(app, pagename, templatename, context, doctree):
    context["uppf_ar"] = app.config.uppf_ar
    context.setdefault("uppf_pdf", pdf_name(app.config.uppf_ar) if app.config.uppf_ar else "")
    context.setdefault("uppf_bilagor_pdf", bilagor_pdf_name(app.config.uppf_ar) if app.config.uppf_ar else "")


def _absolute_locale_dirs(app, config):
    config.locale_dirs = [d if os.path.isabs(d) else os.path.join(app.srcdir, d) for d in config.locale_dirs]


def setup(app):
    app.add_config_value("uppf_ar", None, "html", types=[int, type(None)])
    app.connect("config-inited", _absolute_locale_dirs)
    app.connect("html-page-context", _escape_theme_titles, priority=900)
    app.connect("html-page-context", _drop_unwanted_assets, priority=900)
    app.connect("html-page-context", _scope_headers, priority=900)
    app.connect("html-page-context", _named_toc, priority=900)
    app.connect("html-page-context", _pdf_download, priority=900)
    app.connect("html-page-context", _edition_context, priority=901)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
