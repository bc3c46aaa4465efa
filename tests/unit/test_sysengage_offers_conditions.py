"""Selection of offer conditions (plain Python, no Odoo)."""

from datetime import date

from sysengage_offers_tools.condition_matching import (
    ConditionRule,
    OfferFacts,
    check_amount_range,
    rule_matches,
    select_conditions,
)

FACTS = OfferFacts(
    partner_id=7,
    amount=12000.0,
    date=date(2026, 6, 15),
    company_id=1,
    lang="fr_CH",
    grouping_code_ids=frozenset({3}),
    product_ids=frozenset({11, 12}),
    category_ids=frozenset({20, 21}),
)


def test_empty_rule_matches_everything():
    assert rule_matches(ConditionRule(id=1, condition_type="payment"), FACTS)


def test_each_criterion_filters():
    cases = [
        ({"partner_ids": frozenset({7})}, {"partner_ids": frozenset({8})}),
        ({"grouping_code_ids": frozenset({3, 4})}, {"grouping_code_ids": frozenset({4})}),
        ({"product_ids": frozenset({12})}, {"product_ids": frozenset({13})}),
        ({"category_ids": frozenset({21})}, {"category_ids": frozenset({22})}),
        ({"amount_min": 10000.0, "amount_max": 20000.0}, {"amount_min": 15000.0}),
        ({"amount_max": 12000.0}, {"amount_max": 11999.95}),
        ({"company_id": 1}, {"company_id": 2}),
        ({"lang": "fr_CH"}, {"lang": "de_CH"}),
        ({"date_from": date(2026, 6, 15), "date_to": date(2026, 6, 15)}, {"date_to": date(2026, 6, 14)}),
        ({"date_from": date(2026, 1, 1)}, {"date_from": date(2026, 6, 16)}),
    ]
    for good, bad in cases:
        assert rule_matches(ConditionRule(id=1, condition_type="payment", **good), FACTS), good
        assert not rule_matches(ConditionRule(id=1, condition_type="payment", **bad), FACTS), bad


def test_highest_priority_per_type_wins():
    rules = [
        ConditionRule(id=1, condition_type="payment", priority=10),
        ConditionRule(id=2, condition_type="payment", priority=20, partner_ids=frozenset({7})),
        ConditionRule(id=3, condition_type="payment", priority=30, partner_ids=frozenset({8})),
        ConditionRule(id=4, condition_type="legal", priority=5),
        ConditionRule(id=5, condition_type="legal", priority=5),
    ]
    assert sorted(select_conditions(rules, FACTS)) == [2, 4, 5]


def test_amount_range_check():
    assert check_amount_range(0.0, 0.0)
    assert check_amount_range(100.0, 0.0)
    assert check_amount_range(100.0, 100.0)
    assert not check_amount_range(200.0, 100.0)
    assert not check_amount_range(-1.0, 0.0)
