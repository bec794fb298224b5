"""`python -m helpers hamta kolada`: the arguments and the messages of a fetch from Kolada."""

from __future__ import annotations

import argparse
import sys

# What makes a folder a project: the command refuses to run anywhere else rather than guess.
from helpers.cli.parser import SvenskParser
from helpers.core.crash import EXIT_OK

# --- hamta: fetch published statistics into data/external/ (kept apart so it merges cleanly) ---


def _arg(parse, *extra):
    """An argparse type from a parser raising ValueError with a Swedish message."""

    def convert(text):
        try:
            return parse(text, *extra)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def _hamta_parser(sub, cfg) -> None:
    from helpers.data import inputs, kolada

    h = sub.add_parser("hamta", help="hämta publicerad statistik (Kolada) till data/external/",
                       description="Hämtar publicerad statistik och sparar svaren oförändrade under data/external/. "
                                   "Boken byggs sedan utan nät från det som sparats.")
    sources = h.add_subparsers(dest="kalla", metavar="källa", parser_class=SvenskParser, title="källor", required=True)
    k = sources.add_parser(
        "kolada", help="nyckeltal från Kolada (api.kolada.se)",
        description="Hämtar nyckeltal från Koladas öppna API (v3) med sidbläddring, tidsgränser och nya försök. "
                    "Svaren sparas oförändrade i data/external/kolada/svar/ (med adress och tid i hamtningar.csv), "
                    "nyckeltalens beskrivning i kpi.csv och värdena i varden.csv, som boken läser. Ett misslyckat "
                    "anrop ändrar ingenting. Utan --kpi hämtas de nyckeltal som är bekräftade i kpi_mappning.csv.")
    k.add_argument("--kpi", type=_arg(kolada.parse_ids, inputs.KOLADA_KPI_ID, "Kolada-id (en versal och fem siffror, t.ex. U07455)"),
                   metavar="ID[,ID…]", help="nyckeltal att hämta (standard: de bekräftade i kpi_mappning.csv)")
    own = f"{cfg.kommunkod} {cfg.kortnamn}" if cfg is not None else "kommunkod i plan.kommunkod i _config.yml"
    k.add_argument("--kommun", type=_arg(kolada.parse_ids, r"^[0-9]{4}$", "kommunkod med fyra siffror (t.ex. 0000 för riket)"),
                   default=None, metavar="KOD[,KOD…]",
                   help=f"Koladas kommunkoder (standard: {own}, 0000 riket och jämförelsegrupperna i _config.yml)")
    k.add_argument("--ar", type=_arg(kolada.parse_years), default=None, metavar="ÅR",
                   help="år eller intervall, t.ex. 2016-2025 eller 2019,2021 (standard: 2010 till i år)")
    k.add_argument("--sok", metavar="TITEL", default=None,
                   help="slå upp nyckeltal vars titel innehåller TITEL (t.ex. \"Företagsklimat Insikt\") och spara "
                        "deras beskrivning, i stället för att hämta värden")
    k.add_argument("--bas-url", metavar="URL", default=None,
                   help=f"API-adress (standard: ${kolada.ENV_BASE_URL} eller {kolada.DEFAULT_BASE_URL})")


def _hamta_what(args, layout, target) -> tuple[list[str], list[str], list[str]]:
    """KPIs, kommuner and groups to fetch: the arguments, or, without them, everything configured
    (confirmed mapping rows and kontext.csv; the plan's kommun, Riket and its comparison groups)."""
    from helpers.data import config, kolada

    plan = config.for_data(layout.data)
    if args.kpi or args.kommun:
        return args.kpi or kolada.confirmed_kpis(target), args.kommun or [plan.kommunkod], []
    kpis = list(dict.fromkeys([*kolada.confirmed_kpis(target), *(r["kpi_id"] for r in kolada.context_rows(target))]))
    return kpis, [plan.kommunkod, "0000"], [g.id for g in plan.jamforelsegrupper]


def _hamta(args, layout) -> int:
    from helpers.data import kolada

    try:
        klient = kolada.Klient(args.bas_url)
    except ValueError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    target = kolada.folder(layout.data)
    shown = target.relative_to(layout.root) if target.is_relative_to(layout.root) else target
    with klient:
        if args.sok:
            res = kolada.sok(layout.data, args.sok, klient)
            mapping = {r["kpi_id"]: r for r in kolada.mapping_rows(target)}
            print(f"Nyckeltal i Kolada ({klient.bas_url}) vars titel innehåller ”{args.sok}”: {len(res.kpi)}")
            for r in res.kpi:
                m = mapping.get(r["kpi_id"])
                note = "" if m is None else " [bekräftad i kpi_mappning.csv]" if m["bekraftad"] == "ja" \
                    else " [i kpi_mappning.csv, ej bekräftad]"
                print(f"  {r['kpi_id']}  {r['titel']}{note}")
            print(f"Beskrivningarna är sparade i {shown}/kpi.csv och svaren i {shown}/{kolada.SVAR_DIR}/. "
                  f"Bekräfta ett id genom att skriva in det i {shown}/kpi_mappning.csv med bekraftad=ja och källa.")
            return 0
        kpis, kommuner, grupper = _hamta_what(args, layout, target)
        if not kpis:
            print(f"Fel: inga nyckeltal att hämta: ange --kpi ID eller bekräfta id:n i {shown}/kpi_mappning.csv.", file=sys.stderr)
            return 2
        years = args.ar or kolada.default_years()
        res = kolada.hamta(layout.data, kpis, kommuner, years, klient, grupper)
    titles = {r["kpi_id"]: r["titel"] for r in res.kpi}
    print(f"Hämtat från Kolada ({klient.bas_url}), kommun {', '.join(kommuner)}, år {kolada.years_text(years)}:")
    for gid in grupper:
        members = [r for r in res.grupper if r["grupp_id"] == gid]
        each = " (ovägt medel och varje medlem)" if members and kolada.per_member(members[0]["titel"]) else " (ovägt medel)"
        print(f"  jämförelsegrupp {gid} {members[0]['titel'] if members else ''}: {len(members)} medlemmar{each}")
    for k_id in kpis:
        empty = res.tomma.get(k_id, 0)
        print(f"  {k_id} {titles.get(k_id, '(okänd titel)')}: {res.per_kpi.get(k_id, 0)} värden"
              + (f", {empty} utan värde (Koladas status anger varför)" if empty else ""))
    print(f"Sparat i {shown}/: varden.csv ({res.nya} nya, {res.andrade} ändrade, {res.oforandrade} oförändrade), "
          f"kpi.csv, {len(res.svar)} svar i {kolada.SVAR_DIR}/ (förtecknade i {kolada.INDEX}).")
    mapping = {r["kpi_id"]: r for r in kolada.mapping_rows(target)}
    for k_id in kpis:
        m = mapping.get(k_id)
        if m is not None and m["bekraftad"] == "ja" and m["serie"]:
            print(f"  {k_id} används i boken som {m['serie']}.")
        else:
            print(f"  {k_id} används inte i boken (inte bekräftat i kpi_mappning.csv).")
    for w in res.varningar:
        print(f"Varning: {w}", file=sys.stderr)
    print("Källa: Kolada.")
    return EXIT_OK
