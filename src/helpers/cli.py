"""The one command-line interface: `python -m helpers <kommando>` (Swedish help and messages).

Exit codes: 0 klart, 1 körningen misslyckades, 2 fel i indata eller anrop.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.core.errors import InputError, RunError

# What makes a folder a project: the command refuses to run anywhere else rather than guess.
PROJECT_MARKERS = ("_config.yml", "notebooks", "data")
DATA_ONLY = ("validera", "mall", "importera")


class SvenskParser(argparse.ArgumentParser):
    """argparse with Swedish fixed texts (usage, help flag, errors)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="visa den här hjälptexten och avsluta")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "användning:", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage:", "användning:", 1)
        return text.replace("positional arguments:", "argument:").replace("options:", "flaggor:")

    def error(self, message: str):
        message = (message.replace("the following arguments are required", "följande argument krävs")
                   .replace("invalid choice", "ogiltigt val").replace("choose from", "välj bland")
                   .replace("unrecognized arguments", "okända argument")
                   .replace("invalid int value", "ogiltigt heltal"))
        if message.startswith("argument "):
            message = "argumentet " + message[len("argument "):]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {message}\n")


def _year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ar", type=int, required=True, metavar="ÅR", help="uppföljningsåret, t.ex. 2026")


def _sha256_arg(value: str) -> str:
    text = value.strip().lower()
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise argparse.ArgumentTypeError(f"'{value}' är ingen SHA-256-kontrollsumma (64 tecken 0–9 och a–f)")
    return text


def _archive_commands(sub) -> None:
    """verifiera, arkivera, reproducera: the edition as evidence (see helpers.build.archive)."""
    f = sub.add_parser("verifiera", help="kontrollera att en utgåva eller ett arkiv är oförändrat (manifestet)",
                       description="Kontrollerar varje fil mot manifestets SHA-256, namnger ändrade, saknade och "
                                   "extra filer och kontrollerar manifestets egna fält. Med --kontrollsumma "
                                   "kontrolleras också manifestet mot kontrollsumman i diariet. Slutkod 1 vid "
                                   "minsta avvikelse.")
    which = f.add_mutually_exclusive_group(required=True)
    which.add_argument("--ar", type=int, metavar="ÅR", help="utgåvan i book/<år>/ med webbsidorna i _build/html/<år>/")
    which.add_argument("--arkiv", type=Path, metavar="SÖKVÄG", help="en arkivmapp eller arkivets zip-fil")
    f.add_argument("--kontrollsumma", type=_sha256_arg, metavar="SHA256",
                   help="manifestets SHA-256 enligt diariet (skrivs ut av arkivera)")

    a = sub.add_parser("arkivera", help="skriv arkivpaketet för ett års utgåva (mapp och zip för diariet)",
                       description="Skriver arkiv/<år>/ och arkiv/<år>.zip: manifestet i roten, en kontrollsummelista "
                                   "för sha256sum -c, utgåvan, webbsidorna och programkoden. Året blir fastställt: "
                                   "det byggs inte om och arkiveras inte igen utan --tvinga.")
    _year(a)
    a.add_argument("--tvinga", action="store_true",
                   help="arkivera en ny version av ett fastställt år; den tidigare sparas som numrerad version")

    p = sub.add_parser("reproducera", help="kör om ett arkiverat års notebooks från arkivets indata och jämför",
                       description="Kör om notebooks från arkivets indata i en tillfällig mapp och jämför varje utdata "
                                   "(tabeller, siffror, diagram, sidtext). Säger också om programkoden eller miljön "
                                   "skiljer sig från den som byggde utgåvan. Utan arkiv används utgåvan i book/<år>/.")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--ar", type=int, metavar="ÅR", help="året: arkiv/<år>/ om det finns, annars book/<år>/")
    which.add_argument("--arkiv", type=Path, metavar="SÖKVÄG", help="en arkivmapp eller arkivets zip-fil")
    p.add_argument("--jobb", type=int, default=2, metavar="N", help="antal notebooks som körs parallellt (standard 2)")
    p.add_argument("--arkivets-kod", action="store_true", help="kör med programkoden i arkivet i stället för den installerade")
    p.add_argument("--sida", action="append", metavar="NAMN", help="bara den här sidan (t.ex. atgard_1_1); kan upprepas")


def build_parser() -> argparse.ArgumentParser:
    p = SvenskParser(prog="python -m helpers",
                     description="Uppföljningsboken: årlig uppföljningsrapport för Norrtälje kommuns "
                                 "näringslivsstrategi, handlingsplan 2025–2030.")
    p.add_argument("--rot", type=Path, default=None, metavar="MAPP",
                   help="projektmappen (standard: mappen du står i)")
    p.add_argument("--data", type=Path, default=None, metavar="MAPP", help="datamappen (standard: data/ i projektet)")
    sub = p.add_subparsers(dest="kommando", metavar="kommando", parser_class=SvenskParser, title="kommandon")

    r = sub.add_parser("rapport", help="kontrollera indata, kör notebooks och bygg boken för ett år",
                       description="Kontrollerar indata, kör alla notebooks med papermill i en tillfällig mapp, "
                                   "bygger Jupyter Book och publicerar till book/<år>/ och _build/html/<år>/ "
                                   "först när allt lyckats.")
    _year(r)
    r.add_argument("--jobb", type=int, default=2, metavar="N", help="antal notebooks som körs parallellt (standard 2)")
    r.add_argument("--tvinga", action="store_true",
                   help="bygg om även ett fastställt (arkiverat) år; arkivet ligger kvar oförändrat")

    v = sub.add_parser("validera", help="kontrollera ett års indata utan att bygga")
    _year(v)

    m = sub.add_parser("mall", help="skriv Excelmallen (standardmallen) för ett år")
    _year(m)
    m.add_argument("--fil", type=Path, default=None, metavar="FIL", help="var mallen sparas (standard: uppfoljningsmall_<år>.xlsx)")

    i = sub.add_parser("importera", help="läs in en ifylld Excelmall till data/<år>/")
    i.add_argument("fil", type=Path, metavar="FIL", help="den ifyllda mallen (.xlsx)")
    _year(i)
    i.add_argument("--skriv-over", action="store_true", help="ersätt befintliga filer i data/<år>/")

    _archive_commands(sub)

    sub.add_parser("bench", help="mät körtider och skriv bench/resultat.json")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.kommando:
        parser.print_help()
        return 2
    from helpers.build.layout import Layout

    root = (args.rot or Path.cwd()).resolve()
    # Commands that only read and write data need a data folder; the others need the whole project.
    needs = ("data",) if args.data is not None and args.kommando in DATA_ONLY else PROJECT_MARKERS
    if getattr(args, "arkiv", None) is not None:
        needs = ()  # an archive is checked or reproduced wherever it lies, no project needed
    missing = [m for m in needs if not ((args.data or root / "data") if m == "data" else root / m).exists()]
    if missing:
        print(f"{root} är ingen projektmapp för Uppföljningsboken ({', '.join(missing)} saknas). "
              "Kör kommandot i projektmappen eller ange den med --rot MAPP.", file=sys.stderr)
        return 2
    layout = Layout.at(root, args.data)
    try:
        return _dispatch(args, layout)
    except InputError as exc:
        print(exc.message(), file=sys.stderr)
        print("Inget har ändrats: rätta felen ovan och kör igen.", file=sys.stderr)
        return 2
    except RunError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        if args.kommando == "rapport":
            print("Tidigare publicerade utgåvor är orörda.", file=sys.stderr)
        return 1


def _dispatch(args, layout) -> int:
    if args.kommando == "rapport":
        from helpers.build.pipeline import run_year

        run_year(args.ar, layout, jobs=args.jobb, force=args.tvinga)
        return 0
    if args.kommando == "validera":
        from helpers.compute.analysis import analyse

        an = analyse(args.ar, layout.data)
        files = ", ".join(str(f.relative_to(layout.data)) for f in an.input_files())
        print(f"Indata för {args.ar} är giltiga ({len(an.plan.atgarder)} åtgärder, "
              f"{len(an.plan.indikatorer)} indikatorer). Filer: {files}")
        return 0
    if args.kommando == "mall":
        from helpers.data.excel import write_template

        target = args.fil or Path(f"uppfoljningsmall_{args.ar}.xlsx")
        write_template(layout.data, args.ar, target)
        print(f"Mallen för {args.ar} är sparad: {target}")
        return 0
    if args.kommando == "importera":
        from helpers.data.excel import import_workbook

        written = import_workbook(args.fil, layout.data, args.ar, overwrite=args.skriv_over)
        print("Importerat: " + ", ".join(str(p) for p in written))
        return 0
    if args.kommando in ("verifiera", "arkivera", "reproducera"):
        return _archive_dispatch(args, layout)
    if args.kommando == "bench":
        from helpers.build.bench import main as bench_main

        return bench_main(layout)
    raise AssertionError(args.kommando)


def _archive_dispatch(args, layout) -> int:
    import json

    from helpers.build import archive
    from helpers.core.errors import display_path

    if args.kommando == "verifiera":
        if args.arkiv is not None:
            what, same = f"Arkivet {display_path(args.arkiv)}", "oförändrat"
            problems = archive.verify_package(args.arkiv, expected_sha=args.kontrollsumma)
            raw = archive.open_package(args.arkiv).read(archive.MANIFEST)
        else:
            what, same = f"Utgåvan {args.ar}", "oförändrad"
            problems = archive.verify(layout.edition(args.ar), layout.html(args.ar), year=args.ar,
                                      expected_sha=args.kontrollsumma)
            raw = (layout.edition(args.ar) / archive.MANIFEST).read_bytes()
        if problems:
            print(f"{what} stämmer INTE med sitt manifest ({len(problems)} avvikelser):", file=sys.stderr)
            for p in problems:
                print(f"  • {p}", file=sys.stderr)
            return 1
        print(f"{what} är {same}: alla filer stämmer med manifestet och manifestets fält stämmer.")
        digest = archive.sha256_bytes(raw)
        found = archive.archived(layout, args.ar) if args.arkiv is None else None
        if found is not None:
            record = archive.open_package(found.folder).read(archive.ARCHIVE_RECORD) if found.folder.is_dir() else None
            kept = json.loads(record).get("utgavans_manifest_sha256") if record else None
            print(f"Året är fastställt och arkiverat i {display_path(found.folder)} (version {found.version}); utgåvan i "
                  f"book/ {'är den som arkiverades' if kept == digest else 'är INTE den som arkiverades (ombyggd efteråt)'}.")
        if args.kontrollsumma:
            print("Manifestet stämmer med kontrollsumman i diariet.")
        else:
            print(f"Manifestets SHA-256: {digest} (jämför med diariet, eller ange --kontrollsumma).")
        return 0
    if args.kommando == "arkivera":
        res = archive.archive_year(layout, args.ar, force=args.tvinga)
        print(f"Arkivet för {args.ar} är skrivet (version {res.version}):")
        print(f"  mapp: {display_path(res.folder)}/")
        print(f"  zip:  {display_path(res.zip)} (SHA-256 {res.zip_sha256})")
        if res.previous is not None:
            print(f"  tidigare version sparad som {display_path(res.previous)}/ och {display_path(res.previous)}.zip")
        print(f"Manifestets SHA-256 (för diariet): {res.manifest_sha256}")
        print(f"Kontrollera senare med: python -m helpers verifiera --arkiv {display_path(res.zip)} "
              f"--kontrollsumma {res.manifest_sha256}")
        return 0
    from helpers.build.reproduce import reproduce

    if args.arkiv is not None:
        path, html, year = args.arkiv, None, None
    else:
        found = archive.archived(layout, args.ar)
        stored = [p for p in ((found.folder, found.zip) if found is not None else ()) if p.exists()]
        path = stored[0] if stored else layout.edition(args.ar)
        html, year = layout.html(args.ar), args.ar
        if found is None:
            print(f"Året {args.ar} är inte arkiverat; utgåvan i {display_path(path)} reproduceras.")
    report = reproduce(path, html=html, year=year, jobs=args.jobb, archived_code=args.arkivets_kod, only=args.sida)
    for note in report.code_notes + report.environment_notes:
        print(f"Obs: {note}")
    if report.differences:
        print(f"{report.source} reproducerades INTE: {len(report.differences)} skillnader "
              f"({report.notebooks} notebooks, {report.cells} celler):", file=sys.stderr)
        for d in report.differences:
            print(f"  • {d}", file=sys.stderr)
        return 1
    print(f"{report.source} reproducerades: alla utdata i {report.notebooks} notebooks ({report.cells} celler) är "
          f"desamma{f'; {report.identical_bytes} är byte för byte identiska' if report.identical_bytes else ''}.")
    return 0
