"""Publishing: the publisher's settings, the landing page and the shared list of editions.

Each year's pages and PDF live in their own folders and are never rewritten by another year's
run. What the editions share is written at the book's root (`_build/html/`): the landing page
`index.html` and `utgavor.js`, the one list of every edition that every page loads to link to the
list and to the same chapter in other years. It is a plain script (not JSON fetched at run time)
so that it also works when the book is opened from the disk through file://.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from helpers.core.errors import InputError, Problem, RunError, display_path
from helpers.core.fs import write_text_atomic
from helpers.core.layout import Layout, bilagor_pdf_name, pdf_name
from helpers.data import config
from helpers.evidence.manifest import load_manifest as read_manifest
from helpers.present.startsida import landing_html
from helpers.present.tillganglighet import STATUSAR, redogorelse_markdown

EDITIONS_JS = "utgavor.js"
REDOGORELSE = "tillganglighet"


# --- the publisher's settings (`publicering` in _config.yml) ------------------------------------

def publication(config: Path) -> dict:
    """`publicering` from _config.yml, checked: every problem at once, in Swedish, never a traceback."""
    shown = display_path(config)
    try:
        cfg = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError([Problem(shown, f"en läsbar YAML-fil ({exc})")]) from None
    pub = cfg.get("publicering")
    if not isinstance(pub, dict):
        raise InputError([Problem(shown, "ett avsnitt 'publicering' med utgivare och tillgänglighetsredogörelse",
                                  column="publicering")])
    problems: list[Problem] = []

    def need_text(where: dict, key: str, path: str, what: str) -> None:
        value = where.get(key) if isinstance(where, dict) else None
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(shown, what, column=path, value="" if value is None else value))

    need_text(pub, "utgivare", "publicering.utgivare", "organisationens namn, t.ex. kommunens namn")
    t = pub.get("tillganglighet")
    if not isinstance(t, dict):
        problems.append(Problem(shown, "ett avsnitt med tillgänglighetsredogörelsens uppgifter",
                                column="publicering.tillganglighet"))
        raise InputError(problems)
    p = "publicering.tillganglighet"
    need_text(t, "tjanst", f"{p}.tjanst", "namnet på den digitala servicen")
    need_text(t, "metod", f"{p}.metod", "hur tillgängligheten har bedömts (t.ex. självskattning)")
    if t.get("status") not in STATUSAR:
        problems.append(Problem(shown, "en av " + ", ".join(STATUSAR), column=f"{p}.status", value=t.get("status", "")))
    for key in ("bedomd", "uppdaterad"):
        value = t.get(key)
        if not isinstance(value, dt.date):
            try:
                t[key] = dt.date.fromisoformat(str(value))
            except ValueError:
                problems.append(Problem(shown, "ett datum ÅÅÅÅ-MM-DD", column=f"{p}.{key}", value=value or ""))
    kontakt = t.get("kontakt")
    need_text(kontakt, "namn", f"{p}.kontakt.namn", "vem läsaren kontaktar, t.ex. enhetens namn")
    if not isinstance(kontakt, dict) or not any(str(kontakt.get(k) or "").strip() for k in ("e-post", "telefon", "webb")):
        problems.append(Problem(shown, "minst ett sätt att kontakta er: e-post, telefon eller webb",
                                column=f"{p}.kontakt"))
    for key in ("brister", "undantag"):
        items = t.get(key) or []
        if not isinstance(items, list):
            problems.append(Problem(shown, "en lista (eller tom)", column=f"{p}.{key}"))
            continue
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or not str(item.get("rubrik") or "").strip() or not str(item.get("text") or "").strip():
                problems.append(Problem(shown, "en post med rubrik och text", column=f"{p}.{key}[{i}]"))
    if problems:
        raise InputError(problems)
    return pub


def write_redogorelse(config: Path, year: int, folder: Path) -> Path:
    """The edition's tillgänglighetsredogörelse page, written into the staged book."""
    path = Path(folder) / f"{REDOGORELSE}.md"
    path.write_text(redogorelse_markdown(publication(config), year), encoding="utf-8")
    return path


# --- the editions --------------------------------------------------------------------------------

def editions(layout: Layout, log=print) -> list[dict]:
    """Every published edition, newest first: year, build date, exempeldata, PDF and page names.

    Another year's damaged manifest never stops this year's run: that edition is listed with a
    note to check it, and the run says so.
    """
    html_root = layout.build / "html"
    if not html_root.is_dir():
        return []
    years = sorted((int(p.name) for p in html_root.iterdir() if p.name.isdigit() and (p / "index.html").exists()),
                   reverse=True)
    out = []
    for y in years:
        manifest = layout.edition(y) / "manifest.json"
        meta, damaged = {}, False
        if manifest.exists():
            try:
                meta = read_manifest(manifest)
            except RunError as exc:
                damaged = True
                log(f"Varning: {exc} Startsidan visar utgåvan {y} med en anmärkning; kontrollera den med "
                    f"'python -m helpers verifiera --ar {y}'.")
        folder = html_root / str(y)
        pdf = pdf_name(y) if (folder / pdf_name(y)).is_file() else None
        pdf_meta = meta.get("pdf") if pdf and isinstance(meta.get("pdf"), dict) else {}
        bilagor = bilagor_pdf_name(y) if (folder / bilagor_pdf_name(y)).is_file() else None
        bilagor_meta = pdf_meta.get("bilagor") if bilagor and isinstance(pdf_meta.get("bilagor"), dict) else {}
        out.append({
            "ar": y,
            "byggd": str(meta.get("byggd", ""))[:10],
            "exempeldata": bool(meta.get("exempeldata", False)),
            "pdf": pdf,
            "pdf_sidor": pdf_meta.get("sidor"),
            "bilagor": bilagor,
            "bilagor_sidor": bilagor_meta.get("sidor"),
            "tillganglighet": (folder / f"{REDOGORELSE}.html").is_file(),
            "sidor": sorted(p.stem for p in folder.glob("*.html")),
            **({"skadat": True} if damaged else {}),
        })
    return out


def editions_script(items: list[dict]) -> str:
    """utgavor.js: the editions list and the small script that shows it on every page."""
    data = json.dumps(items, ensure_ascii=True, indent=1).replace("</", "<\\/")
    return EDITIONS_JS_TEMPLATE.replace("/*UTGAVOR*/[]", data)


def write_landing(layout: Layout, log=print):
    """_build/html/index.html and _build/html/utgavor.js: every published edition, newest first."""
    html_root = layout.build / "html"
    items = editions(layout, log=log)
    write_text_atomic(html_root / EDITIONS_JS, editions_script(items))
    return write_text_atomic(html_root / "index.html", landing_html(items, config.for_data(layout.data)))


EDITIONS_JS_TEMPLATE = """/* Uppföljningsboken: every published edition of the report, shared by all editions' pages.
   Written by `python -m helpers rapport` and `pdf` (helpers.publish.site); never edit by hand.
   Each page has <nav data-uppf-utgavor data-uppf-ar="ÅR" data-uppf-sida="SIDA"> with a link to the
   list of editions; this script adds links to the same chapter in the other years, says at the top
   of every page of an older edition that a newer one exists (so no archived page is ever rebuilt for
   it), and hides the PDF links of an edition that has no PDF yet. */
(function () {
  "use strict";
  var UTGAVOR = /*UTGAVOR*/[];
  window.uppfUtgavor = UTGAVOR;

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }

  function show(nav) {
    var ar = Number(nav.getAttribute("data-uppf-ar"));
    var sida = nav.getAttribute("data-uppf-sida") || "index";
    if (UTGAVOR.length < 2) return;
    var list = el("ul", "", {"class": "uppf-utgavor__lista"});
    UTGAVOR.slice().sort(function (a, b) { return a.ar - b.ar; }).forEach(function (u) {
      var li = el("li");
      var label = String(u.ar) + (u.exempeldata ? " (exempeldata)" : "");
      if (u.ar === ar) {
        li.appendChild(el("span", label + " – den här utgåvan", {"aria-current": "page"}));
      } else if (u.sidor.indexOf(sida) >= 0) {
        li.appendChild(el("a", label, {href: "../" + u.ar + "/" + sida + ".html"}));
      } else {
        li.appendChild(el("a", label + " – startsidan (kapitlet finns inte det året)",
                          {href: "../" + u.ar + "/index.html"}));
      }
      list.appendChild(li);
    });
    nav.appendChild(el("p", "Samma sida i andra år:", {"class": "uppf-utgavor__rubrik"}));
    nav.appendChild(list);
  }

  function hide(selector) {
    document.querySelectorAll(selector).forEach(function (e) {
      e.hidden = true;
      e.style.display = "none";
    });
  }

  function hidePdfLinks(ar) {
    var mine = UTGAVOR.filter(function (u) { return u.ar === ar; })[0];
    if (!(mine && mine.bilagor)) hide("[data-uppf-bilagor], .btn-uppf-pdf-bilagor");
    if (mine && mine.pdf) return;
    hide("[data-uppf-pdf], .dropdown-uppf-ladda-ner");
  }

  function newerNotice(ar, sida) {
    var newest = UTGAVOR.filter(function (u) { return u.ar > ar; })
                        .sort(function (a, b) { return b.ar - a.ar; })[0];
    if (!newest || document.querySelector(".uppf-nyare")) return;
    var same = newest.sidor.indexOf(sida) >= 0;
    var box = el("div", "", {"class": "uppf-nyare", role: "note"});
    var p = el("p");
    p.appendChild(el("strong", "Det finns en nyare utgåva: Uppföljningsrapport " + newest.ar + "."));
    p.appendChild(document.createTextNode(" Den här sidan hör till utgåvan " + ar + ". "));
    p.appendChild(el("a", same ? "Samma sida i utgåvan " + newest.ar : "Startsidan för utgåvan " + newest.ar,
                     {href: "../" + newest.ar + "/" + (same ? sida : "index") + ".html"}));
    box.appendChild(p);
    // Pages built before the edition bar existed get the notice at the top of their article.
    var bar = document.querySelector("[data-uppf-utgavarad]");
    var article = document.querySelector("article.bd-article");
    if (bar) bar.appendChild(box);
    else if (article) article.insertBefore(box, article.firstChild);
  }

  function run() {
    var navs = document.querySelectorAll("[data-uppf-utgavor]");
    navs.forEach(show);
    var where = navs[0] || document.querySelector("[data-uppf-utgavarad]");
    if (!where) return;
    var ar = Number(where.getAttribute("data-uppf-ar"));
    hidePdfLinks(ar);
    newerNotice(ar, where.getAttribute("data-uppf-sida") || "index");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
"""
