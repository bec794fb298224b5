"""Specification of helpers.ranking: year-to-year changes in Svenskt Näringsliv's ranking,
and the shipped ranking data files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.compute.ranking import ranking_deltas

DATA = Path(__file__).resolve().parent / "fixtures" / "norrtalje" / "data" / "foretagsklimat"


def frame(rows):
    return pd.DataFrame(rows, columns=["ar", "matt", "varde"])


def read(name):
    return pd.read_csv(DATA / name, sep=";", decimal=",", encoding="utf-8")


def only(df, **where):
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_placering_198_to_196_is_up_2_and_not_judged():
    row = only(ranking_deltas(frame([(2018, "placering", 198), (2019, "placering", 196)])))
    assert row["delta"] == -2
    assert row["forandring"] == "upp"
    assert "Upp 2 placeringar" in row["forklaring"]
    assert "jämfört med 2018" in row["forklaring"]


def test_placering_209_to_169_is_up_40():
    row = only(ranking_deltas(frame([(2020, "placering", 209), (2021, "placering", 169)])))
    assert row["delta"] == -40 and row["forandring"] == "upp"
    assert row["forklaring"].startswith("Upp 40 placeringar till plats 169")


def test_a_fall_of_3_places_is_not_called_a_decline():
    """Issue 21: 'a fall of 3 places is not a försämring': the rank has no published margin."""
    row = only(ranking_deltas(frame([(2025, "placering", 147), (2026, "placering", 150)])))
    assert row["delta"] == 3 and row["forandring"] == "ner"
    assert row["forklaring"].startswith("Ner 3 placeringar till plats 150 jämfört med 2025 (plats 147); ")
    assert "utan felmarginal" in row["forklaring"] and "bedöms inte som förbättring eller försämring" in row["forklaring"]
    assert "försämring." not in row["forklaring"].split(";")[0]


def test_higher_placering_number_is_down():
    row = only(ranking_deltas(frame([(2019, "placering", 196), (2020, "placering", 209)])))
    assert row["delta"] == 13 and row["forandring"] == "ner"
    assert row["forklaring"].startswith("Ner 13 placeringar")


def test_omdome_decrease_larger_than_the_margin_is_a_decline():
    row = only(ranking_deltas(frame([(2021, "omdome", 3.19), (2022, "omdome", 2.94)])))
    assert row["delta"] == pytest.approx(-0.25)
    assert row["forandring"] == "försämring"
    assert "sjönk med 0,25 till 2,94" in row["forklaring"]
    assert row["forklaring"].startswith("Sammanfattande omdöme")


@pytest.mark.parametrize("before, after", [(3.19, 3.07), (3.51, 3.47), (3.11, 3.15), (2.93, 3.12)])
def test_score_change_within_the_margin_is_neither_improvement_nor_decline(before, after):
    row = only(ranking_deltas(frame([(2021, "omdome", before), (2022, "omdome", after)])))
    assert row["forandring"] == "inom felmarginalen"
    assert "felmarginal (±0,2)" in row["forklaring"]
    assert "förbättring eller försämring" in row["forklaring"]


def test_the_margin_is_derived_from_questionnaires_answer_share_and_spread():
    from helpers.data import fakta

    # 1,96 · 1,0 · √(2 / (400 · 0,5)) = 0,196 ≈ 0,2; with 200 questionnaires 0,277 ≈ 0,3
    assert (fakta.RANKING_SVARSANDEL, fakta.RANKING_SPRIDNING_ANTAGEN) == (0.5, 1.0)
    assert fakta.ranking_felmarginal(400) == 0.2
    assert fakta.ranking_felmarginal(200) == 0.3
    assert fakta.ranking_felmarginal(1200) == 0.1


@pytest.mark.parametrize("invanare, enkater, margin", [(63_000, 400, 0.2), (50_001, 400, 0.2), (50_000, 200, 0.3),
                                                       (22_000, 200, 0.3)])
def test_the_size_class_follows_svenskt_naringslivs_rule_by_inhabitants(invanare, enkater, margin):
    from helpers.data import fakta
    from helpers.data.config import parse_config

    assert fakta.ranking_enkater(invanare) == enkater
    block = {"kommun": "Exempelby kommun", "kortnamn": "Exempelby", "genitiv": "Exempelby kommuns", "kommunkod": "9999",
             "titel": "Handlingsplan", "strategi": "näringslivsprogram", "forsta_ar": 2024, "sista_ar": 2027,
             "samordnare": "Näringslivskontoret", "invanare": invanare}
    assert parse_config(block, "_config.yml").ranking_felmarginal == margin
    # a kommun under 50 000 with more than 1 200 företag gets 400: set it explicitly
    assert parse_config({**block, "ranking_enkater": 400}, "_config.yml").ranking_felmarginal == 0.2


def test_the_margin_of_a_small_kommun_is_wider_in_the_judgement():
    from helpers.data import config
    from helpers.data.config import parse_config

    block = {"kommun": "Exempelby kommun", "kortnamn": "Exempelby", "genitiv": "Exempelby kommuns", "kommunkod": "9999",
             "titel": "Handlingsplan", "strategi": "näringslivsprogram", "forsta_ar": 2024, "sista_ar": 2027,
             "samordnare": "Näringslivskontoret", "invanare": 22_000}
    config.use(parse_config(block, "_config.yml"))
    out = ranking_deltas(frame([(2021, "omdome", 3.0), (2022, "omdome", 3.25)]))
    assert only(out, matt="omdome")["forandring"] == "inom felmarginalen"
    assert "±0,3" in only(out, matt="omdome")["forklaring"]


def test_a_change_of_exactly_the_margin_counts_and_placering_has_no_margin():
    out = ranking_deltas(frame([(2021, "omdome", 3.0), (2022, "omdome", 3.2),
                                (2021, "placering", 150), (2022, "placering", 151)]))
    assert only(out, matt="omdome")["forandring"] == "förbättring"
    assert only(out, matt="placering")["forandring"] == "ner"


def test_factor_increase_is_an_improvement_and_equal_is_unchanged():
    out = ranking_deltas(frame([
        (2022, "dialog_beslutsfattare", 2.71), (2023, "dialog_beslutsfattare", 2.93),
        (2024, "dialog_beslutsfattare", 2.93),
        (2022, "placering", 150), (2023, "placering", 150),
    ]))
    up = only(out, matt="dialog_beslutsfattare", ar=2023)
    assert up["forandring"] == "förbättring" and "steg med 0,22" in up["forklaring"]
    assert only(out, matt="dialog_beslutsfattare", ar=2024)["forandring"] == "oförändrat"
    same = only(out, matt="placering", ar=2023)
    assert same["forandring"] == "oförändrat" and same["delta"] == 0


def test_missing_years_compare_with_the_previous_available_year():
    out = ranking_deltas(frame([
        (2019, "placering", 196), (2021, "placering", 169), (2022, "placering", np.nan),
        (2023, "placering", 170),
    ]))
    assert out[["ar_fran", "ar"]].values.tolist() == [[2019, 2021], [2021, 2023]]
    assert "jämfört med 2019" in out.iloc[0]["forklaring"]
    assert "jämfört med 2021" in out.iloc[1]["forklaring"]
    assert out.iloc[1]["forklaring"].startswith("Ner 1 placering ")


def test_output_columns_and_unsorted_input():
    out = ranking_deltas(frame([(2023, "omdome", 3.3), (2021, "omdome", 3.19),
                                (2022, "omdome", 3.2)]))
    assert list(out.columns) == ["matt", "ar_fran", "ar", "varde_fran", "varde", "delta",
                                 "forandring", "forklaring"]
    assert out["ar"].tolist() == [2022, 2023]


@pytest.mark.parametrize("rows", [
    [(2020, "placering", 0)],
    [(2020, "placering", 291)],
    [(2020, "placering", 196.5)],
    [(2020, "omdome", 6.5)],
    [(2020, "infrastruktur", 0.9)],
    [(2020, "omdome", 3.1), (2020, "omdome", 3.2)],
])
def test_invalid_input_is_rejected(rows):
    with pytest.raises(ValueError):
        ranking_deltas(frame(rows))


# --- shipped data files --------------------------------------------------------------------


def test_published_ranking_file_holds_exactly_the_real_figures():
    df = read("ranking_publicerat.csv")
    assert list(df.columns) == ["ar", "matt", "varde", "kalla", "harledd", "adress"]
    assert df["adress"].str.match(r"https?://").all(), "every real figure carries the address of its source"
    got = {(r.ar, r.matt, r.varde, r.harledd) for r in df.itertuples()}
    assert got == {
        (2017, "kommunens_service", 2.48, "nej"),
        (2017, "dialog_beslutsfattare", 2.44, "nej"),
        (2017, "omdome", 2.87, "nej"),
        (2018, "omdome", 2.98, "nej"),
        (2018, "placering", 198, "ja"),
        (2019, "placering", 196, "nej"),
        (2020, "placering", 209, "ja"),
        (2021, "placering", 169, "nej"),
        (2021, "omdome", 3.19, "nej"),
    }
    assert len(df) == 9
    assert df["kalla"].notna().all() and not df["kalla"].str.contains("exempeldata").any()
    # The 2017 survey figures were published by Norrteljenyheter, not Norrtelje Tidning.
    survey = df[(df["ar"] == 2017) & df["matt"].isin(["kommunens_service", "dialog_beslutsfattare"])]
    assert survey["kalla"].str.startswith("Norrteljenyheter").all()
    # The omdöme years are inferred from an undated editorial ("i fjol", "årets"), and say so.
    omdome = df[(df["matt"] == "omdome") & df["ar"].isin([2017, 2018])]
    assert omdome["kalla"].str.contains("Norrtelje Tidning").all()
    assert omdome["kalla"].str.contains("härlett").all()
    assert df[df["ar"] == 2019]["kalla"].str.contains("pressmeddelande 2019-09-24").all()
    assert df[df["ar"] == 2021]["kalla"].str.contains("Roslagens Tidning 2021-09-22").all()


def test_published_placering_deltas():
    out = ranking_deltas(read("ranking_publicerat.csv"))
    plac = out[out["matt"] == "placering"]
    assert plac[["ar_fran", "ar", "delta", "forandring"]].values.tolist() == [
        [2018, 2019, -2, "upp"],
        [2019, 2020, 13, "ner"],
        [2020, 2021, -40, "upp"],
    ]


def test_exempeldata_ranking_file():
    df = read("ranking.exempeldata.csv")
    assert list(df.columns) == ["ar", "matt", "varde", "kalla", "harledd"]
    assert (df["kalla"] == "exempeldata").all() and (df["harledd"] == "nej").all()
    assert set(df["ar"]) == set(range(2022, 2027))
    assert set(df["matt"]) == {"placering", "omdome", "dialog_beslutsfattare", "infrastruktur"}
    combined = pd.concat([read("ranking_publicerat.csv"), df])
    out = ranking_deltas(combined)  # validates scales and duplicates across both files
    dialog = out[out["matt"] == "dialog_beslutsfattare"].iloc[0]
    assert (dialog["ar_fran"], dialog["ar"]) == (2017, 2022)
    assert "jämfört med 2017" in dialog["forklaring"]


def test_a_real_figure_and_exempeldata_are_never_compared():
    """6.1: the real 2017 newspaper figure (2,44) and the invented 2022 value (2,71) are two series."""
    df = frame([(2017, "dialog_beslutsfattare", 2.44), (2022, "dialog_beslutsfattare", 2.71),
                (2023, "dialog_beslutsfattare", 2.65)]).assign(exempeldata=[False, True, True])
    out = ranking_deltas(df)
    first = only(out, ar=2022)
    assert first["forandring"] == "ej jämförbart"
    assert first["forklaring"] == ("Dialog med kommunens beslutsfattare: 2017 är ett verkligt publicerat "
                                   "värde och 2022 exempeldata, så ingen förändring bedöms mellan dem.")
    assert only(out, ar=2023)["forandring"] == "inom felmarginalen"
