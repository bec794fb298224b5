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

    v = sub.add_parser("validera", help="kontrollera ett års indata utan att bygga")
    _year(v)

    m = sub.add_parser("mall", help="skriv Excelmallen (standardmallen) för ett år")
    _year(m)
    m.add_argument("--fil", type=Path, default=None, metavar="FIL", help="var mallen sparas (standard: uppfoljningsmall_<år>.xlsx)")

    i = sub.add_parser("importera", help="läs in en ifylld Excelmall till data/<år>/")
    i.add_argument("fil", type=Path, metavar="FIL", help="den ifyllda mallen (.xlsx)")
    _year(i)
    i.add_argument("--skriv-over", action="store_true", help="ersätt befintliga filer i data/<år>/")

    pdf = sub.add_parser("pdf", help="skriv hela årets rapport som en PDF (A4) i utgåvan",
                         description="Skriver den byggda utgåvan som en PDF-fil i A4 med titelsida, innehållsförteckning, "
                                     "sidnummer och bokmärken, med Debians Chromium. Filen hamnar i book/<år>/ (utgåvans "
                                     "arkiv, med i manifestet) och i _build/html/<år>/ (länkad från varje sida). "
                                     "Kör make report först.")
    _year(pdf)

    f = sub.add_parser("verifiera", help="kontrollera att en publicerad utgåva är oförändrad (manifestet)")
    _year(f)

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

        run_year(args.ar, layout, jobs=args.jobb)
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
    if args.kommando == "pdf":
        from helpers.build.pdf import build_pdf

        build_pdf(args.ar, layout)
        return 0
    if args.kommando == "verifiera":
        from helpers.build.archive import verify

        problems = verify(layout.edition(args.ar))
        if problems:
            print(f"Utgåvan {args.ar} stämmer INTE med sitt manifest:", file=sys.stderr)
            for p in problems:
                print(f"  • {p}", file=sys.stderr)
            return 1
        print(f"Utgåvan {args.ar} är oförändrad: alla filer stämmer med manifestet.")
        return 0
    if args.kommando == "bench":
        from helpers.build.bench import main as bench_main

        return bench_main(layout)
    raise AssertionError(args.kommando)
