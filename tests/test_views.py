"""Each view function on small fixture data: what a reader sees, checked as text.

The fixture is the real register cut to åtgärd 1.1, 1.2, 5.1 and 6.1 with both years of
exempeldata; one copy has text with HTML and quotes in it to prove that data is escaped.
"""

from __future__ import annotations

import re

import pytest

from conftest import read_rows, small_data, write_rows
from helpers.compute.analysis import analyse
from helpers.present import atgard, charts, html, indikatorer, klimat, malomrade, samlad, startsida
from helpers.present.farger import SIGNAL_FARGER, STATUS_FARGER, UTFALL_FARGER

EVIL = '<script>alert("x")</script> & "citat"'
INTERNAL = re.compile(r"\b(insikt|ranking):[a-z_]+")
P_VALUE = re.compile(r"\bp\s*(=|&lt;|<)\s*0,")


@pytest.fixture(scope="module")
def an(tmp_path_factory):
    return analyse(2026, small_data(tmp_path_factory.mktemp("views")))


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """Fixture data whose free text is hostile HTML: every view must show it as text."""
    data = small_data(tmp_path_factory.mktemp("evil"))
    f = data / "2026" / "status.exempeldata.csv"
    rows = read_rows(f)
    for r in rows:
        r["kommentar"] = f"Resultat {EVIL}. Mer text."
        r["uppgiftslamnare"] = EVIL
        r["sammanfattning"] = f"Sammanfattning {EVIL}."
        if r["atgard_id"] == "5.1":
            r["behov_av_justering"], r["justering"], r["justering_typ"] = "ja", f"Justera {EVIL}.", "ändrat mål"
    write_rows(f, rows)
    f = data / "2026" / "indikatorvarden.exempeldata.csv"
    rows = read_rows(f)
    for r in rows:
        r["kommentar"] = EVIL
        if r["indikator_id"] == "1.1-3":
            r["text"] = EVIL
    write_rows(f, rows)
    write_rows(data / "2026" / "lardomar.exempeldata.csv",
               [{"typ": "förslag", "atgard_id": "5.1", "text": EVIL}, {"typ": "lärdom", "atgard_id": "", "text": EVIL}])
    return analyse(2026, data)


def text_of(fragment) -> str:
    """Visible text: tags removed, inline images dropped."""
    return re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", str(fragment)))


def every_view(a) -> dict[str, str]:
    out = {}
    for aid in a.plan.order:
        for f in (atgard.atgard_verdict, atgard.atgard_summary, atgard.comment_block, atgard.adjustment_block,
                  atgard.links_block, atgard.plan_block, indikatorer.indicator_table, indikatorer.qualitative_block):
            out[f"{f.__name__}({aid})"] = str(f(a, aid))
    for mo in a.plan.malomraden.index:
        for f in (malomrade.malomrade_intro, malomrade.malomrade_table, malomrade.malomrade_indicators):
            out[f"{f.__name__}({mo})"] = str(f(a, mo))
    for f in (samlad.bedomning_html, samlad.oversikt_table, samlad.overview_text, samlad.status_table,
              samlad.maluppfyllelse_table, samlad.justering_list, samlad.missing_values_table,
              klimat.summary, klimat.delta_table, klimat.factor_table, klimat.linked_table, klimat.ranking_table):
        out[f.__name__] = str(f(a))
    out["lardomar"] = str(samlad.lardomar_list(a, "lärdom")) + str(samlad.lardomar_list(a, "förslag"))
    out["index_markdown"] = startsida.index_markdown(a, [])
    return out


# --- across every view ----------------------------------------------------------------------------------


def test_text_from_data_is_escaped_in_every_view(evil):
    views = every_view(evil)
    leaked = [name for name, out in views.items() if "<script>" in out]
    assert not leaked, leaked
    shown = [name for name, out in views.items() if "&lt;script&gt;" in out]
    assert len(shown) >= 8, shown  # the hostile text is shown, as text, in the comment, table, lists…


def test_no_internal_ids_or_p_values_in_reader_text(an):
    problems = []
    for name, out in every_view(an).items():
        visible = text_of(out)
        if m := INTERNAL.search(visible):
            problems.append(f"{name}: internal id {m.group(0)!r}")
        if m := P_VALUE.search(visible):
            problems.append(f"{name}: p-value {m.group(0)!r}")
    assert not problems, "\n".join(problems)


def test_swedish_agreement_in_every_view(an):
    bad = re.compile(r"\b1 (uppfyllda|åtgärder|indikatorer|milstolpar|placeringar|dagar)\b|högt nivå|Uppgiften är publicerat")
    problems = [f"{name}: {m.group(0)!r}" for name, out in every_view(an).items() if (m := bad.search(text_of(out)))]
    assert not problems, problems


# --- html -------------------------------------------------------------------------------------------------


def test_badges_carry_the_word_and_the_palette_colour():
    b = html.status_badge("pågående")
    assert ">Pågående<" in b and STATUS_FARGER["pågående"] in b
    u = html.utfall_badge("uppfyllt för sent", "43 dagar för sent")
    assert ">Uppfyllt för sent<" in u and UTFALL_FARGER["uppfyllt för sent"] in u  # one label everywhere
    s = html.signal_badge("avvikelse")
    assert "Avvikelse" in s and "✕" in s and SIGNAL_FARGER["avvikelse"] in s
    r = html.signal_badge("risk")
    assert "Risk" in r and "!" in r and SIGNAL_FARGER["risk"] in r


def test_not_judged_yet_says_why_beside_its_one_label():
    b = html.utfall_badge("ej bedömt ännu", "året är inte slut (hittills 1)")
    assert ">Ej bedömt ännu<" in b and "(året är inte slut (hittills 1))" in b


def test_neutral_judgements_are_outlined_not_coloured():
    b = html.utfall_badge("ej aktuellt", "uppfyllt 2025")
    assert "uppf-kontur" in b and "background-color" not in b and ">Ej aktuellt<" in b and "(uppfyllt 2025)" in b


def test_table_has_caption_scoped_headers_and_row_headers():
    t = html.table(["A", "B"], [["x", "1"]], "Rubrik & mer")
    assert "<caption>Rubrik &amp; mer</caption>" in t
    assert t.count('scope="col"') == 2 and '<th scope="row">x</th>' in t


def test_exempel_banner_says_it_in_words_without_file_names_and_is_empty_without_files(an):
    banner = html.exempel_banner(an.example_files())
    assert "Exempeldata." in banner and "påhittade" in banner and "om_rapporten.html#exempeldata" in banner
    assert "data/" not in banner and ".csv" not in banner and "<code>" not in banner
    assert html.exempel_banner([]) == ""


def test_a_table_with_labels_names_each_data_cell_by_its_column_so_phones_can_show_cards():
    t = html.table(["Åtgärd", "<em>Signal</em>"], [["1.1", "Risk"]], "Översikt", labels=True)
    assert '<th scope="row" data-label="Åtgärd">1.1</th>' in t and '<td data-label="Signal">Risk</td>' in t
    assert "data-label" not in html.table(["A", "B"], [["x", "1"]], "Utan")


def test_text_from_data_reaches_readers_with_swedish_quote_marks_only():
    assert html.esc('likt "starta eget-dagen" & “dialog”') == "likt ”starta eget-dagen” &amp; ”dialog”"


# --- indikatorer --------------------------------------------------------------------------------------------


def test_indicator_table_has_one_row_per_indicator_and_says_no_target_once(an):
    t = indikatorer.indicator_table(an, "1.1")
    assert t.count("<tr>") == 1 + 3
    assert "Mål: inget mål" not in t and "inget mål angivet" not in t
    assert text_of(t).count("handlingsplanen anger inget mål") == 1
    assert "Källa: egen uppföljning (ansvarig enhets rapportering) om inget annat anges." in t


def test_values_for_the_same_part_of_both_years_are_compared_and_say_their_period(an):
    t = indikatorer.indicator_table(an, "1.1")
    assert "ej jämförbart" not in t
    assert t.count("januari–oktober") >= 2  # both autumn collections cover January–October


def test_one_number_of_decimals_per_measure(an):
    t = text_of(indikatorer.indicator_table(an, "1.1"))
    assert "81,5\u00a0%" in t and "84,2\u00a0%" in t
    assert re.search(r"\b41\b", t) and "41,0" not in t


def test_milestone_met_in_an_earlier_year_is_shown_as_met_then(an):
    t = text_of(indikatorer.indicator_table(an, "6.1"))
    assert t.count("genomförd 18 november 2025") == 2  # done in 2025, reported after that autumn's collection
    assert "ej rapporterad" not in t and "inte genomförd" not in t
    assert "Uppfyllt" in t and "Genomfört 18 november 2025, inom tidsgränsen" in t


def test_qualitative_answers_show_this_and_last_year_in_full(an):
    q = indikatorer.qualitative_block(an, "1.1")
    assert "2026" in q and "2025" in q
    assert "samlad bild av vilka tillstånd" in q  # last year's answer (data/2025)
    assert "gemensamma möten med flera förvaltningar" in q  # this year's answer
    assert indikatorer.qualitative_block(an, "1.2") == ""


def test_series_source_is_named_in_words(an):
    t = text_of(indikatorer.indicator_table(an, "1.2"))
    assert "NKI (SKR Insikt, totalt)" in t


def test_a_chart_only_where_a_series_has_three_points_the_shorter_ones_named_in_words(an):
    figs = indikatorer.indicator_trends(an, "1.1")
    assert figs.count("<figure") == 0  # 1.1-1 and 1.1-2 have two values each; the qualitative 1.1-3 none
    text = text_of(figs)
    assert "minst tre jämförbara värden" in text and "står i tabellen ovan" in text
    names = {i: an.plan.indikatorer.at[i, "text"] for i in ("1.1-1", "1.1-2", "1.1-3")}
    assert names["1.1-1"] in text and names["1.1-2"] in text and "2 värden: 2025 och 2026" in text
    assert names["1.1-3"] not in text and "1.1-1" not in text  # named by their words, not their codes
    figs = indikatorer.indicator_trends(an, "6.1")  # 6.1-1 follows a ranking series of six years
    assert figs.count("<figure") == 1 and "dialog mellan företag" in text_of(figs) and "minst tre" not in text_of(figs)


# --- charts -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("years, joined, expected", [
    ([2024, 2025, 2026], None, [0, 0, 0]),
    ([2017, 2019, 2020], None, [0, 1, 1]),
    ([2025, 2026], [True, False], [0, 1]),
])
def test_runs_break_lines_at_gaps_and_incomparable_periods(years, joined, expected):
    assert charts.runs(years, joined) == expected


def test_year_axis_is_a_real_time_axis():
    ax = charts.year_axis([2017, 2019, 2026]).to_dict()
    assert ax["type"] == "quantitative"
    assert ax["axis"]["values"] == list(range(2017, 2027))


def test_trend_chart_marks_real_and_exempeldata_points():
    import pandas as pd

    data = pd.DataFrame({"ar": [2021, 2022], "varde": [3.19, 3.24], "exempeldata": [False, True]})
    fig = charts.trend(data, "Omdöme", "betyg", decimals=2)
    assert "2022: 3,24 (exempeldata)" in fig
    assert ("Runda punkter och hel linje är verkliga värden, fyrkantiga punkter och streckad linje exempeldata; "
            "de är skilda serier och förbinds inte.") in fig


def test_real_and_exempeldata_values_are_never_joined_into_one_line():
    """6.1 and the NKI chart: a real published figure and an invented one are separate series."""
    assert charts.runs([2021, 2022, 2023], kinds=[False, True, True]) == [0, 1, 1]
    assert charts.runs([2016, 2017, 2018], kinds=["verkligt värde"] * 3) == [0, 0, 0]


def test_the_nki_chart_draws_real_and_exempeldata_as_separate_dashed_series(an, monkeypatch):
    drawn = []
    real = charts.to_svg
    monkeypatch.setattr(charts, "to_svg", lambda chart: drawn.append(chart) or real(chart))
    klimat.nki_trend_chart(an)
    spec = charts.spec(drawn[0])
    rows = [r for r in spec["datasets"][next(iter(spec["datasets"]))] if r["kommun"] != "Riket"]
    by_run: dict = {}
    for r in rows:
        by_run.setdefault(r["run"], set()).add(r["typ"])
    assert set().union(*by_run.values()) == {charts.REAL, charts.EXEMPEL}  # both kinds are drawn …
    assert all(len(kinds) == 1 for kinds in by_run.values())  # … but no line joins them
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert line["encoding"]["strokeDash"]["field"] == "typ"
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    # Both keys are shown (Vega-Lite merges them): a hidden dash legend would hide the shapes' too.
    assert points["encoding"]["shape"]["legend"] and line["encoding"]["strokeDash"]["legend"]


# --- atgard -------------------------------------------------------------------------------------------------


def test_atgard_verdict_names_signal_status_and_targets(an):
    v = text_of(atgard.atgard_verdict(an, "5.1"))
    assert "Enligt plan" in v and "Följer planen." in v and "Pågående" in v
    assert "Mål: 1 av 1 uppfyllt." in v


def counts(**kw):
    """One row of the count table (helpers.compute.targets.summarise), as the views get it."""
    import pandas as pd

    from helpers.compute.targets import BEDOMDA, MED_MAL, UPPFYLLDA, UTFALL

    base = dict.fromkeys(UTFALL, 0)
    base.update(kw)
    base["bedomda"] = sum(base[u] for u in BEDOMDA)
    base["uppfyllda"] = sum(base[u] for u in UPPFYLLDA)
    base["med_mal"] = sum(base[u] for u in MED_MAL)
    return pd.Series(base)


def test_maluppfyllelse_text_agrees_in_number():
    assert atgard.maluppfyllelse_text(counts(uppfyllt=1)) == "Ett uppfyllt av ett mål som skulle vara uppfyllt i år"
    assert atgard.maluppfyllelse_text(counts(uppfyllt=2, **{"ej uppfyllt": 1, "inget mål": 1})) == (
        "Två uppfyllda och ett ej uppfyllt av tre mål som skulle vara uppfyllda i år och en indikator utan mål i planen")
    assert atgard.maluppfyllelse_text(counts(uppfyllt=13)) == "13 uppfyllda av 13 mål som skulle vara uppfyllda i år"
    assert atgard.maluppfyllelse_kort(counts(uppfyllt=1)) == "1 av 1 uppfyllt"
    assert atgard.maluppfyllelse_kort(counts(uppfyllt=1, **{"ej uppfyllt": 2})) == "1 av 3 uppfyllda"
    assert atgard.maluppfyllelse_kort(counts(**{"ej bedömt ännu": 2})) == "ej bedömt ännu"
    assert atgard.maluppfyllelse_kort(counts(**{"inget mål": 3})) == "inga mål i planen"
    assert atgard.maluppfyllelse_text(counts(**{"uppgift saknas": 1})) == (
        "Ett där uppgift saknas av ett mål som skulle vara uppfyllt i år")


def test_comment_block_quotes_the_responsible(an):
    c = atgard.comment_block(an, "1.1")
    assert "<blockquote" in c and "Företagslotsen fungerar nu i ordinarie verksamhet" in c
    assert "— Näringslivsenheten" in c


def test_adjustment_block_says_yes_or_no(evil, an):
    assert atgard.adjustment_block(an, "1.1") == "<p>Nej, ansvarig ser inget behov av att justera åtgärden.</p>"
    assert atgard.adjustment_block(evil, "5.1").startswith("<p><strong>Ja.</strong> Justera &lt;script&gt;")


def test_links_do_not_quote_the_plan_twice(an):
    links = atgard.links_block(an, "1.2")
    plan = atgard.plan_block(an, "1.2")
    table = indikatorer.indicator_table(an, "1.2")
    quoted = re.findall(r"Planens text: ”([^”]+)”", str(links))
    for q in quoted:
        assert q not in str(plan) and q not in str(table), q
    assert 'href="atgard_1_1.html"' in links


def test_links_to_ranking_say_the_change_in_words(an):
    text = text_of(atgard.links_block(an, "6.1"))
    assert "Dialog med kommunens beslutsfattare (Svenskt Näringslivs ranking)" in text
    assert "felmarginal" in text


# --- malomrade ----------------------------------------------------------------------------------------------


def test_malomrade_intro_leads_with_the_atgarder_not_a_bare_zero(an):
    intro = text_of(malomrade.malomrade_intro(an, 1))
    assert "målområdet har två åtgärder: två genomförda" in intro
    assert "två av två åtgärder följer planen" in intro
    assert "utan mål i planen" in intro


def test_malomrade_table_lists_its_atgarder_with_signal(an):
    t = malomrade.malomrade_table(an, 1)
    assert t.count("<tr>") == 1 + 2
    assert "Enligt plan" in t and 'href="atgard_1_2.html"' in t


def test_malomrade_indicators_says_when_there_are_none(an):
    assert "inga egna indikatorer" in malomrade.malomrade_indicators(an, 1)


# --- samlad and the start page ------------------------------------------------------------------------------


def test_overview_table_has_every_atgard_once(an):
    t = samlad.oversikt_table(an)
    assert t.count("<tr>") == 1 + 4
    for aid in ("1_1", "1_2", "5_1", "6_1"):
        assert str(t).count(f'href="atgard_{aid}.html"') == 1
    assert "Alla 4 åtgärder 2026" in t


def test_bedomning_shows_verdict_deviations_proposals_and_figures(an):
    b = samlad.bedomning_html(an)
    assert an.oversikt.bedomning.split(":")[0] in text_of(b)
    assert "Avvikelser och risker (0)" in b and "Inga åtgärder avviker från planen eller har risk för avvikelse i år." in b
    assert "Förslag till beslut (0)" in b and "Inga ändringar av planen har föreslagits i år." in b
    assert b.count("uppf-nyckeltal-kort") == len(an.oversikt.nyckeltal)


def test_missing_values_leave_out_indicators_that_are_not_current(tmp_path):
    data = small_data(tmp_path)
    f = data / "2026" / "status.exempeldata.csv"
    rows = read_rows(f)
    for r in rows:
        if r["atgard_id"] == "5.1":
            r["status"] = "avslutad"
    write_rows(f, rows)
    f = data / "2026" / "indikatorvarden.exempeldata.csv"
    write_rows(f, [r for r in read_rows(f) if not r["indikator_id"].startswith("5.1")])
    a = analyse(2026, data)
    assert "5.1-" not in samlad.missing_values_table(a)


def test_maluppfyllelse_table_has_the_share_of_judged_and_a_total(an):
    t = samlad.maluppfyllelse_table(an)
    assert "Hela handlingsplanen" in t and "Andel uppfyllda" in t and "Inget mål i planen" in t


def test_index_markdown_puts_the_bedomning_first_in_html_blocks_without_blank_lines(an):
    md = startsida.index_markdown(an, [])
    assert md.startswith("---\nhtml_theme.sidebar_secondary.remove: true\n---")
    assert md.index("## Sammanfattande bedömning") < md.index("## Alla åtgärder") < md.index("## Rapportens delar")
    for block in re.findall(r"^<(?:div|p)[^\n]*(?:\n[^\n]+)*", md, flags=re.M):
        assert "\n\n" not in block
    assert "exempeldata.csv" not in md  # no box of raw file names


# --- klimat -------------------------------------------------------------------------------------------------


def test_nki_changes_in_words_without_test_names(an):
    d = text_of(klimat.delta_table(an))
    assert "inom felmarginalen" in d
    assert not P_VALUE.search(d) and "t-test" not in d


def test_p_values_are_only_in_the_method_section(an):
    m = str(klimat.method_note(an))
    assert P_VALUE.search(text_of(m)) and "Welchs t-test" in m
    assert "±0,2" in m


def test_ranking_table_says_scores_within_the_margin_are_not_changes(an):
    t = text_of(klimat.ranking_table(an))
    assert "inom felmarginalen" in t and "±0,2" in t


def test_ranking_chart_uses_the_whole_scale_and_names_where_each_value_comes_from(an):
    c = str(klimat.ranking_chart(an))
    assert "skala 1–290" in c and "(publicerad)" in c and "(exempeldata)" in c and "(härledd" in c


def test_summary_has_no_agreement_slip(an):
    s = text_of(klimat.summary(an))
    assert "vilket räknas som" in s and "nivå)" not in s


def test_late_milestones_count_as_met_late_in_the_short_form_and_zeros_are_not_listed():
    c = counts(**{"uppfyllt för sent": 1, "ej bedömt ännu": 1})
    assert atgard.maluppfyllelse_kort(c) == "1 av 1 uppfyllt, varav 1 för sent"
    assert atgard.maluppfyllelse_text(c) == ("Ett uppfyllt (varav ett uppfyllt för sent) av ett mål som skulle vara "
                                             "uppfyllt i år och ett mål ej bedömt ännu")
    assert atgard.maluppfyllelse_text(counts(**{"ej bedömt ännu": 2})) == "Två mål ej bedömda ännu"


def test_every_kind_of_chart_is_drawn_from_valid_json_the_same_as_altairs_own_configure_would_give(an, monkeypatch):
    """Drawing does not validate again; this does, for every function that draws a chart."""
    drawn = []
    real = charts.to_svg
    monkeypatch.setattr(charts, "to_svg", lambda chart: drawn.append(chart) or real(chart))
    indikatorer.indicator_trends(an, "6.1")
    samlad.status_chart(an)
    samlad.maluppfyllelse_chart(an)
    klimat.nki_chart(an)
    klimat.nki_trend_chart(an)
    klimat.ranking_chart(an)
    assert len(drawn) >= 6
    for chart in drawn:
        assert charts.spec(chart) == charts._config(chart).to_dict(validate=True)


def test_a_fragment_reads_in_plain_text_as_a_reader_sees_it_with_images_as_their_alt_text():
    fragment = html.Html('<div><p>Status: <span>Genomförd</span>. Ökade &amp; <code>data/2025/</code>, klart.</p>'
                         '<table><caption>Indikatorer</caption><tr><th>Indikator</th><th>2026</th></tr>'
                         '<tr><td>1.1-1 &lt;Antal&gt;</td><td>58</td></tr></table>'
                         '<figure><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="Linjediagram: 2025: 1; 2026: 2">'
                         '<figcaption>Antal företag.</figcaption></figure></div>')
    assert html.plain_text(fragment, images=True) == ("Status: Genomförd. Ökade & data/2025/, klart.\nIndikatorer\n"
                                                      "Indikator | 2026\n1.1-1 <Antal> | 58\n"
                                                      "[Linjediagram: 2025: 1; 2026: 2] Antal företag.")
    assert html.plain_text(fragment).endswith("1.1-1 <Antal> | 58\nAntal företag.")


def test_a_notebook_keeps_the_markup_once_and_its_plain_text_without_the_chart_data():
    from IPython.core.interactiveshell import InteractiveShell

    fragment = html.Html('<p>Antal: <b>58</b></p><figure><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="Diagram">'
                         '</figure>')
    shown, _ = InteractiveShell.instance().display_formatter.format(fragment)
    assert shown == {"text/html": str(fragment), "text/plain": "Antal: 58\n[Diagram]"}


# --- the page of the register's readings of the plan (issue 21, point 6) ----------------------


def test_the_readings_page_gives_the_plans_words_the_reading_and_the_reason():
    from conftest import DATA
    from helpers.data.plan import load_plan
    from helpers.present.tolkningar import tolkningar_markdown

    plan = load_plan(DATA / "plan")
    page = tolkningar_markdown(plan)
    text = html.plain_text(page)
    assert page.startswith("# Planens ord och rapportens tolkningar")
    assert f"({len(plan.readings())} st)" in page
    assert ("4.2-3 | Tidsgräns | ”Senast hösten 2027 ska kartläggning av lokalt kompetensbehov vara genomförd” | "
            "2027-11-30 | ”Senast” gör hösten till en tidsgräns") in text
    assert "1.2-1 | Mål | ”Förbättrat NKI-resultat för relevanta myndighetskontakter – målsättningar sätts årligen" in text
    assert "1.2-1 | Mått | ”relevanta myndighetskontakter” | NKI totalt i SKR:s Insikt" in text
    assert '<a href="atgard_4_2.html">4.2-3</a>' in page and '<a href="malomrade_4.html">M4-1</a>' in page
    assert "\n\n" not in page.split("## Åtgärdernas tidplaner")[1].split("## Indikatorernas")[0].strip()


def test_the_books_trend_lines_say_no_trend_within_the_margin_and_never_join_kinds():
    """3.1 '… under faktorn infrastruktur': 3,02 → 3,15 is not 'ökande'; 6.1 starts from exempeldata 2022,
    not from the real 2017 newspaper figure (2,44)."""
    from conftest import DATA

    an26 = analyse(2026, DATA)
    infra = html.plain_text(indikatorer.change_text(an26.plan.indikatorer.loc["3.1-2"], an26.changes["3.1-2"]))
    assert "Sedan 2022 (3,02) (exempeldata): ingen säker trend (+0,13, inom felmarginalen ±0,2)" in infra
    assert "ökande" not in infra
    dialog = html.plain_text(indikatorer.change_text(an26.plan.indikatorer.loc["6.1-1"], an26.changes["6.1-1"]))
    assert "Sedan 2022 (2,71) (exempeldata): ökande trend" in dialog and "2017" not in dialog


def test_om_rapporten_states_the_rules_for_trends_readings_and_targets_set_elsewhere():
    from conftest import ROOT

    text = (ROOT / "book" / "om_rapporten.md").read_text(encoding="utf-8")
    for rule in ("större än måttets felmarginal", "ingen säker trend", "1 % av medelnivån per år",
                 "bildar aldrig en gemensam serie", "Mål som sätts i ett annat beslut",
                 "ersätter aldrig målet med ett eget", "(tolkningar.md)",
                 "bedöms\ninte som förbättring eller försämring"):
        assert rule in text, rule


def test_the_plan_is_quoted_verbatim_as_a_quote_with_its_name(an):
    for block, words in ((atgard.plan_block(an, "1.2"), an.plan.atgard("1.2")["mal_och_syfte"]),
                         (malomrade.malomrade_intro(an, 1), an.plan.malomraden.loc[1, "beskrivning"])):
        quote = re.search(r'<blockquote class="uppf-citat uppf-plancitat">(.*?)</blockquote>', str(block), re.S)
        assert quote and html.esc(words) in quote.group(1)
        assert f"<footer>— {html.esc(an.config.planens_namn)}, " in quote.group(1)
