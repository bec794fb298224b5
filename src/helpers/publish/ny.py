"""`python -m helpers ny MAPP`: a new kommun's project, ready to fill in.

Writes, in a folder that does not exist yet (or is empty): `_config.yml` (this project's book settings
with a `plan:` block to fill in), the register `data/plan/` with the right headers and one example row
per file, the first year's standardmall files and the business-climate files (one example row each,
named `*.exempeldata.csv`), and the notebooks and fixed pages the book is built from. The result
validates as it stands (`python -m helpers --rot MAPP validera --ar <forsta_ar>`), so a new kommun
starts from a working project and replaces example rows with its own; docs/ny-kommun.md walks through it.
Nothing outside MAPP is written, and nothing in MAPP is ever overwritten.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from helpers.core.errors import InputError, Problem, display_path
from helpers.core.layout import Layout
from helpers.data import config, inputs
from helpers.data.csvio import write_table
from helpers.run.pages import FIXED_PAGES

FORSTA_AR = 2027  # the example plan's first year: change forsta_ar and sista_ar in _config.yml

PLAN_BLOCK = f"""# The kommun and its plan: every text, default, check and year range that names them reads this
# block (helpers.data.config). Fill it in first; docs/ny-kommun.md explains each key.
plan:
  kommun: Exempelby kommun          # som i löptext
  kortnamn: Exempelby               # som i kolumnen kommun i data/foretagsklimat/insikt*.csv
  genitiv: Exempelby kommuns
  kommunkod: "9999"                 # Koladas kommunkod, fyra siffror inom citattecken
  titel: Handlingsplan för Exempelby kommuns näringslivsstrategi   # planens namn utan period
  strategi: näringslivsstrategi     # som i "Exempelby kommuns näringslivsstrategi"
  forsta_ar: {FORSTA_AR}
  sista_ar: {FORSTA_AR + 3}
  samordnare: Näringslivsenheten    # enheten som samlar in uppföljningen (Excelmallen)
  invanare: 30000                   # Svenskt Näringslivs storleksklass: 200 eller 400 enkäter
  jamforelsegrupper: []             # Koladas jämförelsegrupper, t.ex. [{{id: G92788, namn: "Mindre stad/tätort"}}]

"""

_Y = str(FORSTA_AR)
EXAMPLES: dict[tuple[str, str], dict[str, str]] = {
    (inputs.PLAN, "malomraden"): {"malomrade_id": "1", "namn": "Exempel: Service till företag",
                                  "inriktning": "Exempel: snabbare och enklare kontakter.",
                                  "beskrivning": "Exempel: ersätt med planens första målområde."},
    (inputs.PLAN, "atgarder"): {"atgard_id": "1.1", "malomrade_id": "1", "titel": "Exempel: En väg in för företag",
                                "mal_och_syfte": "Exempel: ersätt med planens första åtgärd.", "tidplan": "Löpande",
                                "ansvarig": "Näringslivsenheten", "ansvar": "Samordnar åtgärden.",
                                "uppfoljningsfrekvens": "årligen", "uppfoljning": "I den årliga uppföljningen."},
    (inputs.PLAN, "indikatorer"): {"indikator_id": "1.1-1", "atgard_id": "1.1", "malomrade_id": "1",
                                   "text": "Exempel: antal företagsärenden via en väg in", "typ": "antal", "enhet": "st",
                                   "riktning": "öka", "maltyp": "riktning", "kalla": "egen uppföljning"},
    (inputs.PLAN, "kopplingar"): {"fran_atgard": "1.1", "typ": "styrdokument", "till_dokument": "Exempel: översiktsplanen",
                                  "beskrivning": "Exempel: ersätt med planens kopplingar."},
    (inputs.YEAR, "status"): {"atgard_id": "1.1", "period_fran": f"{_Y}-01-01", "period_till": f"{_Y}-12-31",
                              "status": "pågående", "kommentar": "Exempel.", "behov_av_justering": "nej",
                              "uppgiftslamnare": "Näringslivsenheten"},
    (inputs.YEAR, "indikatorvarden"): {"indikator_id": "1.1-1", "varde": "10", "kommentar": "Exempel."},
    (inputs.YEAR, "lardomar"): {"typ": "lärdom", "atgard_id": "1.1", "text": "Exempel: ersätt med årets lärdomar."},
    (inputs.KLIMAT, "insikt"): {"ar": str(FORSTA_AR - 1), "kommun": "Exempelby", "omrade": "totalt", "matt": "nki",
                                "varde": "70", "antal_svar": "100", "kalla": "exempeldata", "harledd": "nej"},
    (inputs.KLIMAT, "ranking"): {"ar": _Y, "matt": "placering", "varde": "150", "kalla": "exempeldata", "harledd": "nej"},
}
# Files whose example rows are invented data: named *.exempeldata.csv so every page built from them says so.
_EXEMPEL = {inputs.YEAR, inputs.KLIMAT}


def _config_text(project_config: Path) -> str:
    """The project's _config.yml with its plan: block replaced by the example block, and the kommun's
    name, period and website elsewhere in it (publisher, footer, redogörelse) by the example's."""
    text = project_config.read_text(encoding="utf-8")
    try:
        old = config.load_config(project_config)
    except InputError:
        old = None
    block = re.compile(r"(?:^#[^\n]*\n)*^plan:\n(?:[ #][^\n]*\n|\n)*?(?=^\S)", re.M)
    text = block.sub("", text, count=1)
    if old is not None:
        for before, after in ((old.genitiv, "Exempelby kommuns"), (old.kommun, "Exempelby kommun"),
                              (old.period, f"{FORSTA_AR}–{FORSTA_AR + 3}"), (old.kortnamn, "Exempelby")):
            text = text.replace(before, after)
    text = re.sub(r"^(\s*webb:).*$", r'\1 https://exempelby.example   # byt mot kommunens webbplats', text, flags=re.M)
    head, sep, rest = text.partition("\npublicering:")
    return head.rstrip("\n") + "\n\n" + PLAN_BLOCK + sep.lstrip("\n") + rest


def new_project(target: Path, source: Layout) -> list[Path]:
    """Write the starter project into `target` (new or empty); the files written, in order."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError([Problem(display_path(target), "en ny eller tom mapp (inget skrivs över)",
                                  value="mappen finns och är inte tom" if target.is_dir() else "en fil")])
    data = target / "data"
    written: list[Path] = []
    for (folder, stem), row in EXAMPLES.items():
        spec = inputs.entry(folder, stem).spec
        where = data / (_Y if folder == inputs.YEAR else folder)
        where.mkdir(parents=True, exist_ok=True)
        path = where / (f"{stem}.exempeldata.csv" if folder in _EXEMPEL else f"{stem}.csv")
        write_table(pd.DataFrame([{c: row.get(c, "") for c in spec.names}], columns=spec.names), path)
        written.append(path)
    config = target / "_config.yml"
    config.write_text(_config_text(source.config), encoding="utf-8")
    shutil.copytree(source.notebooks, target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (target / "book").mkdir()
    for fixed in ("_static", "_templates", "_locale"):
        shutil.copytree(source.book / fixed, target / "book" / fixed)
    for name in FIXED_PAGES:
        shutil.copy(source.book / f"{name}.md", target / "book" / f"{name}.md")
    return [config, *written, target / "notebooks", target / "book"]
