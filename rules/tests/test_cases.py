from datetime import date

import pytest

from rules.cases import (
    ADMINISTRATIF,
    COMMERCE,
    JUDICIAIRE,
    MAX_INSTALMENTS,
    MAX_PLAN_YEARS,
    Court,
    Instalment,
    allocate_payments,
    check_plan,
    check_plan_dates,
    competent_court,
    instalment_dates,
    limitation_date,
    limitation_near,
    missing_for_court,
    plan_interest,
    priority,
    split_amount,
)

TODAY = date(2026, 5, 15)


def test_limitation_is_five_years_between_professionals_and_two_for_consumers():
    assert limitation_date(date(2026, 3, 31), is_consumer=False) == date(2031, 3, 31)
    assert limitation_date(date(2026, 3, 31), is_consumer=True) == date(2028, 3, 31)
    assert limitation_date(date(2024, 2, 29), is_consumer=True) == date(2026, 2, 28)
    assert limitation_date(None, is_consumer=False) is None


def test_limitation_warning_starts_90_days_before():
    limit = date(2026, 8, 13)
    assert not limitation_near(limit, date(2026, 5, 14))
    assert limitation_near(limit, date(2026, 5, 15))
    assert limitation_near(limit, date(2027, 1, 1))
    assert not limitation_near(None, TODAY)


def test_priority():
    assert priority("D", 0) == "3"
    assert priority("A", 200) == "0"
    assert priority(None, 45) == "1"
    assert priority(False, 91) == "3"
    assert priority(None, 10) == "0"


def test_split_adds_up_exactly():
    assert split_amount(1000.0, 3) == [333.33, 333.33, 333.34]
    assert sum(split_amount(1000.0, 3)) == pytest.approx(1000.0)
    assert split_amount(0.05, 3) == [0.01, 0.01, 0.03]
    parts = split_amount(12345.67, 7)
    assert round(sum(parts), 2) == 12345.67
    with pytest.raises(ValueError):
        split_amount(10.0, 0)


def test_instalment_dates_by_months_and_weeks():
    assert instalment_dates(date(2026, 1, 31), 3) == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert instalment_dates(date(2026, 5, 1), 3, every=2, unit="weeks") == [
        date(2026, 5, 1),
        date(2026, 5, 15),
        date(2026, 5, 29),
    ]
    assert instalment_dates(date(2026, 11, 30), 2, every=3) == [date(2026, 11, 30), date(2027, 2, 28)]
    with pytest.raises(ValueError):
        instalment_dates(date(2026, 5, 1), 2, unit="days")


def test_plan_interest_on_declining_balance():
    dates = instalment_dates(date(2026, 6, 1), 2)
    # 1000 at 3.65 %: 0.10 a day; 31 days on 1000, then 30 days on 500
    assert plan_interest(1000.0, 3.65, date(2026, 5, 1), dates) == [3.1, 1.5]
    assert plan_interest(1000.0, 0.0, date(2026, 5, 1), dates) == [0.0, 0.0]


def test_payments_fill_instalments_in_date_order():
    plan = [
        Instalment(3, date(2026, 7, 1), 300.0),
        Instalment(1, date(2026, 5, 1), 300.0),
        Instalment(2, date(2026, 6, 1), 400.0),
    ]
    result = allocate_payments(plan, 450.0, date(2026, 6, 5))
    assert result[1].paid == 300.0 and result[1].state == "paid"
    assert result[2].paid == 150.0 and result[2].state == "missed"
    assert result[3].paid == 0.0 and result[3].state == "pending"
    assert allocate_payments(plan, 450.0, date(2026, 6, 5), grace_days=5)[2].state == "partial"
    assert {s.state for s in allocate_payments(plan, 1000.0, date(2027, 1, 1)).values()} == {"paid"}


def test_competent_court_and_cerfa_follow_the_debtor():
    professional = competent_court(debtor_is_consumer=False, seat="Grenoble", on_date=TODAY)
    assert professional == Court(COMMERCE, "12946", "Tribunal de commerce de Grenoble")
    consumer = competent_court(debtor_is_consumer=True, seat="Grenoble", on_date=TODAY)
    assert consumer == Court(JUDICIAIRE, "12948", "Tribunal judiciaire de Grenoble")
    assert competent_court(debtor_is_consumer=False).name == "Tribunal de commerce"


def test_court_names_read_as_french():
    assert competent_court(True, "Avignon", TODAY).name == "Tribunal judiciaire d'Avignon"
    assert competent_court(True, "Le Mans", TODAY).name == "Tribunal judiciaire du Mans"
    assert (
        competent_court(True, "Les Sables-d'Olonne", TODAY).name == "Tribunal judiciaire des Sables-d'Olonne"
    )
    assert competent_court(True, "Évry", TODAY).name == "Tribunal judiciaire d'Évry"


def test_the_twelve_economic_activities_courts_from_2025_to_2028():
    # Lyon's tribunal de commerce is a "tribunal des activités économiques" during the experiment,
    # whatever the spelling of the debtor's city; Grenoble's is not; consumers go to the judiciaire.
    assert competent_court(False, "LYON 3E", TODAY).name == "Tribunal des activités économiques de Lyon"
    assert (
        competent_court(False, "saint brieuc", TODAY).name
        == "Tribunal des activités économiques de Saint-Brieuc"
    )
    assert competent_court(False, "Lyon", date(2024, 12, 31)).name == "Tribunal de commerce de Lyon"
    assert competent_court(False, "Lyon", date(2029, 1, 1)).name == "Tribunal de commerce de Lyon"
    assert competent_court(False, "Lyon", TODAY).cerfa == "12946"
    assert competent_court(True, "Lyon", TODAY).name == "Tribunal judiciaire de Lyon"


def test_a_public_body_goes_to_the_administrative_court_without_cerfa():
    court = competent_court(False, "Lyon", TODAY, debtor_is_public=True)
    assert court == Court(ADMINISTRATIF, "", "Tribunal administratif de Lyon")


def test_evidence_pack_completeness():
    assert missing_for_court(["invoice", "formal_notice", "quote", "terms"]) == []
    assert missing_for_court(["invoice", "reminder"]) == [
        ("formal_notice",),
        ("contract", "quote", "purchase_order"),
        ("terms",),
    ]


def test_a_plan_out_of_a_sensible_range_is_refused_before_any_date_is_computed():
    invoiced = date(2026, 1, 10)
    assert check_plan(TODAY, 12, 1, "months", invoiced, TODAY) == []
    assert check_plan(TODAY, 10_000, 1, "months", invoiced, TODAY) == [("count", MAX_INSTALMENTS)]
    assert check_plan(TODAY, 0, 1, "months", invoiced, TODAY) == [("count", MAX_INSTALMENTS)]
    assert check_plan(TODAY, 3, 0, "weeks", invoiced, TODAY) == [("every", 1)]
    assert check_plan(date(1900, 1, 1), 3, 1, "months", invoiced, TODAY) == [("first_early", invoiced)]
    assert check_plan(date(9999, 12, 31), 3, 1, "months", invoiced, TODAY) == [
        ("first_late", date(2027, 5, 15))
    ]
    assert check_plan(None, 3, 1, "months", invoiced, TODAY) == [("first_missing", None)]
    # 60 monthly instalments last 59 months: within 5 years; every 2 months, 118 months: too long
    assert check_plan(TODAY, 60, 1, "months", invoiced, TODAY) == []
    assert check_plan(TODAY, 60, 2, "months", invoiced, TODAY) == [("too_long", MAX_PLAN_YEARS)]
    # 60 instalments 5 weeks apart: 295 weeks, 5.65 years
    assert check_plan(TODAY, 60, 5, "weeks", invoiced, TODAY) == [("too_long", MAX_PLAN_YEARS)]
    assert check_plan(TODAY, 60, 4, "weeks", invoiced, TODAY) == []
    # a huge period overflows nothing: it is refused by arithmetic on counts
    assert check_plan(TODAY, 2, 10**9, "months", invoiced, TODAY) == [("too_long", MAX_PLAN_YEARS)]


def test_free_plan_lines_get_the_same_limits():
    invoiced = date(2026, 1, 10)
    assert check_plan_dates([TODAY, date(2026, 6, 15)], invoiced, TODAY) == []
    assert check_plan_dates([], invoiced, TODAY) == [("count", MAX_INSTALMENTS)]
    assert check_plan_dates([date(1900, 1, 1), TODAY], invoiced, TODAY) == [("first_early", invoiced)]
    assert check_plan_dates([TODAY, date(9999, 12, 31)], invoiced, TODAY) == [("too_long", MAX_PLAN_YEARS)]
    assert check_plan_dates([date(9999, 12, 31)], invoiced, TODAY) == [("first_late", date(2027, 5, 15))]
