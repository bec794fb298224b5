"""The one command-line interface: `python -m helpers <kommando>` (Swedish help and messages).

Exit codes: 0 klart, 1 körningen misslyckades, 2 fel i indata eller anrop (130 avbruten med Ctrl-C).
Whatever goes wrong, the user gets a Swedish message and never a traceback: an unexpected
exception is written to a log file and named there (`helpers.core.crash`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# What makes a folder a project: the command refuses to run anywhere else rather than guess.
from helpers.cli.hamta import _hamta, _hamta_parser
from helpers.cli.parser import SvenskParser
from helpers.core.crash import EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, last_resort, machine_limit
from helpers.core.errors import InputError, RunError
from helpers.core.lock import LockBusy

PROJECT_MARKERS = ("_config.yml", "notebooks", "data")
DATA_ONLY = ("validera", "mall", "importera", "hamta")
# Commands that write into the project: one at a time, and they clean up after killed runs.
LOCKED = ("rapport", "importera", "pdf", "arkivera")
MAX_JOBS = 16
UNTOUCHED = "Körningen avbröts. Indata har inte ändrats och tidigare publicerade utgåvor och arkivet är orörda."

def year_argument(text: str) -> int:
    """The follow-up year: exactly four digits and a year of the plan, checked before anything runs."""
    shown = text if len(text) <= 40 else text[:40] + "…"
    if not re.fullmatch(r"[0-9]{4}", text):
        what = "tomt värde" if text == "" else f"'{shown}'"
        example = _PERIOD[1] if _PERIOD else 2026
        raise argparse.ArgumentTypeError(f"{what} är inget år – förväntat: fyra siffror, t.ex. {example}")
    year = int(text)
    if _PERIOD is not None and not _PERIOD[0] <= year <= _PERIOD[1]:
        first, last = _PERIOD
        raise argparse.ArgumentTypeError(f"{year} ligger utanför handlingsplanens år – förväntat: ett uppföljningsår "
                                         f"från {first} till {last}")
    return year


def plan_config(argv: list[str] | None):
    """The plan: block of the project the command runs in (--rot, else the working folder), or None."""
    from helpers.data import config

    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--rot", type=Path, default=None)
    pre.add_argument("--data", type=Path, default=None)
    known, _ = pre.parse_known_args(argv)
    own = config.config_file(known.data) if known.data is not None else None  # a data folder's own plan first
    try:
        return config.load_config(own or (known.rot or Path.cwd()) / config.FILE)
    except InputError:
        return None


def jobs_argument(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' – förväntat: ett heltal från 1 till {MAX_JOBS}")
    return int(text)


def _year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ar", type=year_argument, required=True, metavar="ÅR", help="uppföljningsåret, t.ex. 2026")


def _sha256_arg(value: str) -> str:
    text = value.strip().lower()
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise argparse.ArgumentTypeError(f"'{value}' är ingen SHA-256-kontrollsumma (64 tecken 0–9 och a–f)")
    return text


def _reason(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orsak", metavar="TEXT", default=None,
                        help="varför ett fastställt år ändras (krävs med --tvinga); sparas med vem och när "
                             "i arkiv/<år>.andringar.jsonl")


def _arende(parser: argparse.ArgumentParser, *, check_only: bool = False) -> None:
    """The tjänsteskrivelse's ärende, over `arende:` in _config.yml (helpers.data.arende)."""
    then = (" (bara kontroll: värdet måste vara det som utgåvan byggdes med)" if check_only
            else " (går före arende: i _config.yml)")
    parser.add_argument("--dnr", metavar="DNR", default=None, help="ärendets diarienummer, t.ex. 'KS 2026/0123'" + then)
    parser.add_argument("--datum", metavar="ÅÅÅÅ-MM-DD", default=None, help="tjänsteskrivelsens datum" + then)
    parser.add_argument("--handlaggare", metavar="NAMN", default=None, help="handläggarens namn och titel" + then)
    parser.add_argument("--mottagare", metavar="NAMN", default=None, help="vem ärendet går till, t.ex. Kommunstyrelsen" + then)


def _arende_values(args) -> dict:
    return {"diarienummer": args.dnr, "datum": args.datum, "handlaggare": args.handlaggare,
            "mottagare": args.mottagare}


def _check_forced(args) -> str | None:
    """--tvinga needs --orsak: a forced change of a fastställd year is recorded with its reason."""
    if getattr(args, "orsak", None) is not None and not args.orsak.strip():
        return "--orsak får inte vara tom – förväntat: en kort förklaring till varför året ändras"
    if getattr(args, "tvinga", False) and not getattr(args, "orsak", None):
        return ("--tvinga kräver --orsak \"…\" – förväntat: varför ett fastställt år ändras "
                "(sparas med vem och när)")
    return None


def _edition_or_archive(parser, year_help: str) -> None:
    """--ar or --arkiv, exactly one: the edition (or its archive) by year, or an archive by path."""
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--ar", type=year_argument, metavar="ÅR", help=year_help)
    which.add_argument("--arkiv", type=Path, metavar="SÖKVÄG", help="en arkivmapp eller arkivets zip-fil")


def _archive_commands(sub) -> None:
    """verifiera, arkivera, reproducera: the edition as evidence (see helpers.evidence.package)."""
    f = sub.add_parser("verifiera", help="kontrollera att en utgåva eller ett arkiv är oförändrat (manifestet)",
                       description="Kontrollerar varje fil mot manifestets SHA-256, namnger ändrade, saknade och "
                                   "extra filer och kontrollerar manifestets egna fält. Med --kontrollsumma "
                                   "kontrolleras också manifestet mot kontrollsumman i diariet. Slutkod 1 vid "
                                   "minsta avvikelse.")
    _edition_or_archive(f, "utgåvan i book/<år>/ med webbsidorna i _build/html/<år>/")
    f.add_argument("--kontrollsumma", type=_sha256_arg, metavar="SHA256",
                   help="manifestets SHA-256 enligt diariet (skrivs ut av arkivera)")

    a = sub.add_parser("arkivera", help="skriv arkivpaketet för ett års utgåva (mapp och zip för diariet)",
                       description="Skriver arkiv/<år>/ och arkiv/<år>.zip i Riksarkivets FGS Paketstruktur (E-ARK "
                                   "CSIP/SIP): METS.xml, PREMIS, beskrivande metadata, manifestet, en kontrollsummelista "
                                   "för sha256sum -c, utgåvan, webbsidorna och programkoden. Året blir fastställt: "
                                   "det byggs inte om och arkiveras inte igen utan --tvinga.")
    _year(a)
    a.add_argument("--tvinga", action="store_true",
                   help="arkivera en ny version av ett fastställt år; den tidigare sparas som numrerad version")
    _reason(a)
    a.add_argument("--diarienummer", metavar="DNR", help="ärendets diarienummer (t.ex. 'KS 2027/0123'), i paketets beskrivning")
    a.add_argument("--beslut", metavar="TEXT", help="beslutet (t.ex. 'KS 2027-03-15 § 42'), i paketets beskrivning")
    a.add_argument("--med-hjul", action="store_true",
                   help="lägg in paketen (hjulen) som miljön byggdes av, hash-kontrollerade, för ombyggnad utan nät")

    p = sub.add_parser("reproducera", help="kör om ett arkiverat års notebooks från arkivets indata och jämför",
                       description="Kör om notebooks från arkivets indata i en tillfällig mapp och jämför varje utdata "
                                   "(tabeller, siffror, diagram, sidtext), bygger sedan webbsidorna och skriver ut "
                                   "utgåvans PDF-filer på nytt och jämför dem med arkivets (webbsidornas text; PDF:ens "
                                   "sidantal, bokmärken och text per sida). Säger också om programkoden eller miljön "
                                   "skiljer sig från den som byggde utgåvan. Utan arkiv används utgåvan i book/<år>/.")
    _edition_or_archive(p, "året: arkiv/<år>/ om det finns, annars book/<år>/")
    p.add_argument("--jobb", type=jobs_argument, default=2, metavar="N", help="antal notebooks som körs parallellt (standard 2)")
    p.add_argument("--arkivets-kod", action="store_true", help="kör med programkoden i arkivet i stället för den installerade")
    p.add_argument("--sida", action="append", metavar="NAMN", help="bara den här sidan (t.ex. atgard_1_1); kan upprepas")


def build_parser(cfg=None) -> argparse.ArgumentParser:
    """The parser; `cfg` (the plan: block) names the plan in the help and bounds --ar to its years."""
    global _PERIOD
    _PERIOD = (cfg.forsta_ar, cfg.sista_ar) if cfg is not None else None
    about = f"för {cfg.planen}" if cfg is not None else "för en kommuns handlingsplan"
    p = SvenskParser(prog="python -m helpers", description=f"Uppföljningsboken: årlig uppföljningsrapport {about}.")
    p.add_argument("--rot", type=Path, default=None, metavar="MAPP",
                   help="projektmappen (standard: mappen du står i)")
    p.add_argument("--data", type=Path, default=None, metavar="MAPP", help="datamappen (standard: data/ i projektet)")
    sub = p.add_subparsers(dest="kommando", metavar="kommando", parser_class=SvenskParser, title="kommandon")

    r = sub.add_parser("rapport", help="kontrollera indata, kör notebooks och bygg boken för ett år",
                       description="Kontrollerar indata, kör alla notebooks med papermill i en tillfällig mapp, "
                                   "bygger Jupyter Book och publicerar till book/<år>/ och _build/html/<år>/ "
                                   "först när allt lyckats.")
    _year(r)
    r.add_argument("--jobb", type=jobs_argument, default=None, metavar="N",
                   help="antal varma kärnor som kör notebooks parallellt (standard: antalet processorkärnor)")
    r.add_argument("--utan-cache", action="store_true",
                   help="kör alla notebooks och bygg hela boken på nytt, även sidor vars indata inte ändrats")
    r.add_argument("--tvinga", action="store_true",
                   help="bygg om även ett fastställt (arkiverat) år; arkivet ligger kvar oförändrat")
    _reason(r)
    _arende(r)

    v = sub.add_parser("validera", help="kontrollera ett års indata utan att bygga")
    _year(v)

    m = sub.add_parser("mall", help="skriv Excelmallen (standardmallen) för ett år")
    _year(m)
    m.add_argument("--fil", type=Path, default=None, metavar="FIL", help="var mallen sparas (standard: uppfoljningsmall_<år>.xlsx)")

    i = sub.add_parser("importera", help="läs in en ifylld Excelmall till data/<år>/")
    i.add_argument("fil", type=Path, metavar="FIL", help="den ifyllda mallen (.xlsx)")
    _year(i)
    i.add_argument("--skriv-over", action="store_true", help="ersätt befintliga filer i data/<år>/")

    pdf = sub.add_parser("pdf", help="skriv årets rapport och tjänsteskrivelse som PDF (A4) i utgåvan",
                         description="Skriver den byggda utgåvan och dess tjänsteskrivelse (högst fyra sidor) som "
                                     "PDF-filer i A4; rapporten med titelsida, innehållsförteckning, "
                                     "sidnummer och bokmärken, med Debians Chromium. Filen hamnar i book/<år>/ (utgåvans "
                                     "arkiv, med i manifestet) och i _build/html/<år>/ (länkad från varje sida). "
                                     "Kör make report först.")
    _year(pdf)
    pdf.add_argument("--tvinga", action="store_true",
                     help="skriv PDF:en även för ett fastställt (arkiverat) år; arkivet ligger kvar oförändrat")
    _reason(pdf)
    _arende(pdf, check_only=True)

    _archive_commands(sub)

    n = sub.add_parser("ny", help="skriv ett nytt projekt för en annan kommuns plan i en ny mapp",
                       description="Skriver i en ny (eller tom) mapp: _config.yml med ett plan:-avsnitt att fylla i, "
                                   "registret data/plan/ med rätt kolumner och en exempelrad per fil, det första årets "
                                   "standardmall och företagsklimatfilerna (exempeldata), notebooks och bokens fasta "
                                   "sidor. Projektet kan kontrolleras direkt med validera. Se docs/ny-kommun.md.")
    n.add_argument("mapp", type=Path, metavar="MAPP", help="den nya projektmappen (får inte finnas, eller vara tom)")

    _hamta_parser(sub, cfg)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run a command; every failure ends as a Swedish message and an exit code, never a traceback."""
    context: dict = {}
    try:
        return _main(argv, context)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 – the last resort is the point
        limit = machine_limit(exc, context.get("folders", ()))
        if limit is not None:  # a known limit of the machine: said plainly, nothing to debug
            print(f"Fel: {limit}\n{UNTOUCHED}", file=sys.stderr)
            return EXIT_RUN_FAILED
        code, message = last_resort(exc, context.get("log_dir"), argv)
        print(message, file=sys.stderr)
        return code


def _main(argv: list[str] | None, context: dict) -> int:
    parser = build_parser(plan_config(argv))
    args = parser.parse_args(argv)
    if not args.kommando:
        parser.print_help()
        return EXIT_BAD_INPUT
    from helpers.core.layout import Layout

    root = (args.rot or Path.cwd()).resolve()
    if (root / PROJECT_MARKERS[0]).exists():
        context["log_dir"] = root / "_build" / "logg"
    # Commands that only read and write data need a data folder; the others need the whole project.
    needs = ("data",) if args.data is not None and args.kommando in DATA_ONLY else PROJECT_MARKERS
    if getattr(args, "arkiv", None) is not None:
        needs = ()  # an archive is checked or reproduced wherever it lies, no project needed
    missing = [m for m in needs if not ((args.data or root / "data") if m == "data" else root / m).exists()]
    if missing:
        print(f"{root} är ingen projektmapp för Uppföljningsboken ({', '.join(missing)} saknas). "
              "Kör kommandot i projektmappen eller ange den med --rot MAPP.", file=sys.stderr)
        return EXIT_BAD_INPUT
    forced = _check_forced(args)
    if forced:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: fel: {forced}", file=sys.stderr)
        return EXIT_BAD_INPUT
    layout = Layout.at(root, args.data)
    context["folders"] = [layout.build, layout.book, layout.data, layout.root / "arkiv", layout.root]
    try:
        if args.kommando in LOCKED:
            return _locked(args, layout)
        return _dispatch(args, layout)
    except InputError as exc:
        print(exc.message(), file=sys.stderr)
        print("Inget har ändrats: rätta felen ovan och kör igen.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LockBusy as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    except RunError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        limit = machine_limit(exc, context["folders"])
        if limit is not None:  # an English report of a full disk from a subprocess or library
            print(f"Orsak: {limit}", file=sys.stderr)
        if args.kommando == "rapport":
            print("Tidigare publicerade utgåvor är orörda.", file=sys.stderr)
        return EXIT_RUN_FAILED


def _locked(args, layout) -> int:
    """Commands that write: hold the project's lock, and first clean up after killed runs."""
    from helpers.run.guard import project_lock, tidy

    command = f"{args.kommando} --ar {args.ar}"
    from helpers.evidence.faststallande import finish_interrupted

    with project_lock(layout, command, log=lambda m: print(m, file=sys.stderr)):
        done = tidy(layout) + finish_interrupted(layout)
        if done:
            print("Städat efter en avbruten körning: " + "; ".join(done[:5])
                  + (f" (och {len(done) - 5} till)" if len(done) > 5 else ""), file=sys.stderr)
        return _dispatch(args, layout)


def _dispatch(args, layout) -> int:
    if args.kommando == "rapport":
        from helpers.publish.pipeline import run_year

        run_year(args.ar, layout, jobs=args.jobb, use_cache=not args.utan_cache, show_progress=True, force=args.tvinga,
                 reason=args.orsak, arende=_arende_values(args))
        return EXIT_OK
    if args.kommando == "validera":
        from helpers.compute.analysis import analyse

        an = analyse(args.ar, layout.data)
        for warning in an.warnings():
            print(f"Varning: {warning}", file=sys.stderr)
        files = ", ".join(str(f.relative_to(layout.data)) for f in an.input_files())
        print(f"Indata för {args.ar} är giltiga ({len(an.plan.atgarder)} åtgärder, "
              f"{len(an.plan.indikatorer)} indikatorer). Filer: {files}")
        return EXIT_OK
    if args.kommando == "mall":
        from helpers.data.excel import write_template

        target = args.fil or Path(f"uppfoljningsmall_{args.ar}.xlsx")
        write_template(layout.data, args.ar, target)
        print(f"Mallen för {args.ar} är sparad: {target}")
        return EXIT_OK
    if args.kommando == "importera":
        from helpers.data.excel import import_workbook

        written = import_workbook(args.fil, layout.data, args.ar, overwrite=args.skriv_over)
        print("Importerat: " + ", ".join(str(p) for p in written))
        return EXIT_OK
    if args.kommando == "pdf":
        from helpers.publish.tjansteskrivelse import check_options
        from helpers.publish.utskrift import write_pdfs

        check_options(layout, args.ar, _arende_values(args))  # before anything is written
        write_pdfs(args.ar, layout, force=args.tvinga, reason=args.orsak)
        return EXIT_OK
    if args.kommando in ("verifiera", "arkivera", "reproducera"):
        return _archive_dispatch(args, layout)
    if args.kommando == "hamta":
        return _hamta(args, layout)
    if args.kommando == "ny":
        from helpers.core.errors import display_path
        from helpers.publish.ny import FORSTA_AR, new_project

        written = new_project(args.mapp, layout)
        print(f"Ett nytt projekt är skrivet i {display_path(args.mapp)}/ ({len(written)} filer och mappar). Fyll i "
              f"plan: i _config.yml och registret i data/plan/, byt exempelraderna mot egna och kontrollera med: "
              f"python -m helpers --rot {display_path(args.mapp)} validera --ar {FORSTA_AR}")
        return EXIT_OK
    raise AssertionError(args.kommando)

def _archive_dispatch(args, layout) -> int:
    from helpers.core.errors import display_path
    from helpers.core.text import lines_capped
    from helpers.evidence import package

    if args.kommando == "verifiera":
        res = package.verify_target(layout, year=args.ar, package=args.arkiv, expected_sha=args.kontrollsumma)
        what = f"Arkivet {display_path(args.arkiv)}" if args.arkiv is not None else f"Utgåvan {args.ar}"
        if res.problems:
            print(f"{what} stämmer INTE med sitt manifest ({len(res.problems)} avvikelser):", file=sys.stderr)
            for line in lines_capped([f"  • {p}" for p in res.problems], 40, "avvikelser"):
                print(line, file=sys.stderr)
            return EXIT_RUN_FAILED
        same = "oförändrat" if args.arkiv is not None else "oförändrad"
        print(f"{what} är {same}: alla filer stämmer med manifestet och manifestets fält stämmer.")
        if res.archived is not None:
            which = "är den som arkiverades" if res.is_archived_edition else "är INTE den som arkiverades (ombyggd efteråt)"
            print(f"Året är fastställt och arkiverat i {display_path(res.archived.folder)} "
                  f"(version {res.archived.version}); utgåvan i book/ {which}.")
        print(f"Manifestets SHA-256: {res.manifest_sha256}"
              + (" (arkivets manifest, den som står i diariet)" if res.archived is not None else
                 " (utgåvan är inte arkiverad; arkivera skriver ut kontrollsumman för diariet)" if args.ar else ""))
        if args.kontrollsumma:
            print("Manifestet stämmer med kontrollsumman i diariet.")
        else:
            print("Obs: utan --kontrollsumma är paketet bara jämfört med sig självt. En ändrad fil vars nya "
                  "kontrollsumma också skrivits in i manifestet syns först mot diariet: kör om med "
                  "--kontrollsumma <SHA-256 ur diariet>.")
        return EXIT_OK
    if args.kommando == "arkivera":
        from helpers.publish.tjansteskrivelse import archive_dnr

        dnr = archive_dnr(layout, args.ar, args.diarienummer)
        res = package.archive_year(layout, args.ar, force=args.tvinga, dnr=dnr, beslut=args.beslut,
                                   wheels=args.med_hjul, reason=args.orsak)
        print(f"Arkivet för {args.ar} är skrivet (version {res.version}):")
        print(f"  mapp: {display_path(res.folder)}/")
        print(f"  zip:  {display_path(res.zip)} (SHA-256 {res.zip_sha256})")
        if res.previous is not None:
            print(f"  tidigare version sparad som {display_path(res.previous)}/ och {display_path(res.previous)}.zip")
        print(f"Manifestets SHA-256 (för diariet): {res.manifest_sha256}")
        print(f"Kontrollera senare med: python -m helpers verifiera --arkiv {display_path(res.zip)} "
              f"--kontrollsumma {res.manifest_sha256}")
        return EXIT_OK
    from helpers.evidence.reproduce import reproduce

    if args.arkiv is not None:
        path, html, year = args.arkiv, None, None
    else:
        path, is_archive = package.reproduction_source(layout, args.ar)
        html, year = layout.html(args.ar), args.ar
        if not is_archive:
            print(f"Året {args.ar} är inte arkiverat; utgåvan i {display_path(path)} reproduceras.")
    from helpers.publish.omtryck import reprint

    report = reproduce(path, html=html, year=year, jobs=args.jobb, archived_code=args.arkivets_kod, only=args.sida,
                       reprint=lambda *a: reprint(*a, log=lambda *_: None))
    for note in report.code_notes + report.environment_notes + report.pdf_notes:
        print(f"Obs: {note}")
    if report.differences:
        print(f"{report.source} reproducerades INTE: {len(report.differences)} skillnader "
              f"({report.notebooks} notebooks, {report.cells} celler):", file=sys.stderr)
        for d in report.differences:
            print(f"  • {d}", file=sys.stderr)
        return EXIT_RUN_FAILED
    print(f"{report.source} reproducerades: alla utdata i {report.notebooks} notebooks ({report.cells} celler) är "
          f"desamma{f'; {report.identical_bytes} är byte för byte identiska' if report.identical_bytes else ''}"
          f"{f'; {report.pages} webbsidor byggdes om och har samma text som arkivets' if report.pages else ''}"
          f"{'; ' + _pdfs_said(report.pdfs) if report.pdfs else ''}.")
    return EXIT_OK


def _pdfs_said(pdfs: dict[str, int]) -> str:
    listed = ", ".join(f"{name} ({pages} sidor)" for name, pages in sorted(pdfs.items()))
    which = "PDF-filen" if len(pdfs) == 1 else "PDF-filerna"
    return f"{which} {listed} skrevs ut på nytt och har samma sidor, bokmärken och text som arkivets"
