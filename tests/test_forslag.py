"""Specification of helpers.compute.forslag on the shipped 2026 data: the units' proposed justeringar,
split into what kommunstyrelsen decides (förslag till beslut) and the units' own steps."""

from __future__ import annotations

import pytest

from conftest import DATA
from helpers.compute.analysis import analyse
from helpers.compute.forslag import beslutspunkt, egna_atgarder, ekonomi, kronor, till_beslut
from helpers.core.text import quoted_sv


@pytest.fixture(scope="module")
def an():
    return analyse(2026, DATA)


def test_every_change_to_the_plan_is_a_proposal_to_the_board_in_plan_order(an):
    assert [(p.atgard_id, p.typ) for p in till_beslut(an)] == [
        ("2.2", "ändrad tidplan"), ("3.1", "ändrat mål"), ("4.3", "åtgärden avslutas"), ("5.2", "resursbehov")]
    assert [p.atgard_id for p in an.oversikt.forslag] == ["2.2", "3.1", "4.3", "5.2"]


def test_the_closure_of_4_3_is_a_proposal_and_the_verdict_says_it_is_not_counted(an):
    (closure,) = [p for p in till_beslut(an) if p.atgard_id == "4.3"]
    point = beslutspunkt(closure)
    assert point.startswith("Åtgärd 4.3 ”Undersök intresset för en rekryteringsmässa” avslutas och utgår ur handlingsplanen: ")
    assert "Åtgärd 4.3 räknas inte: den rapporteras som avslutad och föreslås utgå ur planen." in an.oversikt.bedomning


def test_the_units_own_campaign_is_listed_apart_not_put_to_the_board(an):
    assert [p.atgard_id for p in egna_atgarder(an)] == ["4.4"]
    assert "4.4" not in {p.atgard_id for p in till_beslut(an)}
    assert [p.atgard_id for p in an.oversikt.egna] == ["4.4"]


def test_the_resursbehov_carries_its_amount_into_the_point_and_the_economic_consequences(an):
    (budget,) = [p for p in till_beslut(an) if p.typ == "resursbehov"]
    assert (budget.atgard_id, budget.belopp) == ("5.2", 350000)
    assert "behöver 350\u00a0000 kronor: " in beslutspunkt(budget)
    money = ekonomi(an)
    assert money.summa == 350000 and [p.atgard_id for p in money.poster] == ["5.2"]
    assert "sammanlagt 350\u00a0000 kronor" in money.text


def test_each_point_names_the_atgard_by_number_and_name_and_keeps_the_units_words_whole(an):
    for p in till_beslut(an):
        point = beslutspunkt(p)
        assert f"{p.atgard_id} {quoted_sv(p.titel)}" in point  # a quote inside the name in single marks
        assert point.endswith(p.text)


def test_no_amount_means_no_economic_consequences_said_plainly(an):
    money = ekonomi(type("Utan", (), {"status": an.status.assign(behov_av_justering="nej")})())
    assert (money.summa, money.poster) == (0, ())
    assert money.text.startswith("Inga.")


def test_kronor_are_whole_with_a_space_between_thousands():
    assert (kronor(350000), kronor(1250000), kronor(900)) == (
        "350\u00a0000 kronor", "1\u00a0250\u00a0000 kronor", "900 kronor")


def test_the_start_page_puts_the_proposals_to_the_board_and_lists_the_units_own_steps_apart(an):
    from helpers.present import samlad

    block = str(samlad.bedomning_html(an))
    board = block.split("Förslag till beslut (4)</h3>")[1].split("</ol>")[0]
    own = block.split("Enheternas egna åtgärder (1)")[1].split("</ul>")[0]
    assert [aid for aid in ("2.2", "3.1", "4.3", "5.2", "4.4") if f">{aid}</a>" in board] == ["2.2", "3.1", "4.3", "5.2"]
    assert ">4.4</a>" in own and "350\u00a0000 kronor" in board


def test_the_overview_keeps_the_units_whole_summary_with_its_dock(an):
    from helpers.present import samlad

    summary = an.status.at["4.1", "sammanfattning"]
    assert ", men " in summary and len(summary) <= 200
    assert an.oversikt.table.at["4.1", "sammanfattning"] == summary
    assert summary in str(samlad.oversikt_table(an))
