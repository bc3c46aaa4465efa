"""Precedence of the price table on plain values (no Odoo)."""

import datetime

from sysengage_base_tools.price_resolution import (
    CandidateIndex,
    Line,
    Rule,
    applies,
    price_of,
    rank,
    resolve,
    resolve_many,
)

D = datetime.date
LINE = Line(
    product_tmpl_id=10,
    category_ids=(3, 2, 1),  # own category 3, parent 2, root 1
    partner_id=100,
    grouping_code_ids=frozenset({7, 8}),
    quantity=5.0,
    date=D(2026, 6, 15),
    currency_id=1,
    company_id=1,
)


def rule(rule_id, **values):
    values.setdefault("currency_id", 1)
    return Rule(id=rule_id, **values)


def test_nothing_applies():
    decision = resolve([], LINE)
    assert decision.winner is None and not decision.beaten and not decision.is_tie


def test_customer_scope_order():
    specific = rule(1, customer_scope="partner", partner_id=100)
    group = rule(2, customer_scope="group", grouping_code_id=7)
    everyone = rule(3)
    decision = resolve([everyone, group, specific], LINE)
    assert decision.winner == specific
    assert decision.beaten == [group, everyone]
    assert resolve([everyone, group], LINE).winner == group


def test_customer_scope_before_article_scope():
    customer_all_articles = rule(1, customer_scope="partner", partner_id=100)
    group_on_article = rule(2, customer_scope="group", grouping_code_id=7, article_scope="product", product_tmpl_id=10)
    assert resolve([group_on_article, customer_all_articles], LINE).winner == customer_all_articles


def test_article_scope_order_and_nearest_category():
    article = rule(1, article_scope="product", product_tmpl_id=10)
    own_group = rule(2, article_scope="category", categ_id=3)
    root_group = rule(3, article_scope="category", categ_id=1)
    everything = rule(4)
    assert resolve([everything, root_group, own_group, article], LINE).winner == article
    assert resolve([everything, root_group, own_group], LINE).winner == own_group
    assert resolve([everything, root_group], LINE).winner == root_group
    assert rank(own_group, LINE) > rank(root_group, LINE)


def test_quantity_break_then_start_date():
    small = rule(1, min_quantity=1)
    big = rule(2, min_quantity=5)
    too_big = rule(3, min_quantity=6)
    assert resolve([small, big, too_big], LINE).winner == big
    old = rule(4, min_quantity=5, date_start=D(2026, 1, 1))
    new = rule(5, min_quantity=5, date_start=D(2026, 6, 1))
    assert resolve([big, old, new], LINE).winner == new
    assert resolve([big, old], LINE).winner == old, "a start date beats no start date"


def test_tie_is_not_resolved():
    region = rule(1, customer_scope="group", grouping_code_id=7)
    segment = rule(2, customer_scope="group", grouping_code_id=8)
    lower = rule(3)
    decision = resolve([lower, segment, region], LINE)
    assert decision.winner is None
    assert decision.is_tie
    assert set(decision.tied) == {region, segment}
    assert decision.beaten == [lower]
    # the result does not depend on the order of the candidates
    assert set(resolve([region, lower, segment], LINE).tied) == {region, segment}


def test_applicability_filters():
    assert not applies(rule(1, customer_scope="partner", partner_id=101), LINE)
    assert not applies(rule(1, customer_scope="group", grouping_code_id=9), LINE)
    assert not applies(rule(1, article_scope="product", product_tmpl_id=11), LINE)
    assert not applies(rule(1, article_scope="category", categ_id=4), LINE)
    assert not applies(rule(1, date_start=D(2026, 6, 16)), LINE)
    assert not applies(rule(1, date_end=D(2026, 6, 14)), LINE)
    assert applies(rule(1, date_start=D(2026, 6, 15), date_end=D(2026, 6, 15)), LINE)
    assert not applies(rule(1, currency_id=2), LINE)
    assert not applies(Rule(id=1, currency_id=None, price_type="fixed"), LINE), "a fixed price needs its currency"
    assert applies(Rule(id=1, currency_id=None, price_type="discount", discount=5), LINE)
    assert not applies(rule(1, company_id=2), LINE)
    assert applies(rule(1, company_id=None), LINE)


def test_price_of():
    assert price_of(rule(1, price_type="fixed", fixed_price=80.0), 100.0) == (80.0, 0.0)
    assert price_of(rule(1, price_type="discount", discount=12.5), 100.0) == (100.0, 12.5)


def test_candidate_index_and_batch():
    article = rule(1, article_scope="product", product_tmpl_id=10)
    other_article = rule(2, article_scope="product", product_tmpl_id=11)
    root_group = rule(3, article_scope="category", categ_id=1)
    everything = rule(4)
    index = CandidateIndex([article, other_article, root_group, everything])
    assert set(index.for_line(LINE)) == {article, root_group, everything}
    other_line = Line(product_tmpl_id=11, category_ids=(5,), partner_id=100, currency_id=1, company_id=1)
    decisions = resolve_many([article, other_article, root_group, everything], [LINE, other_line])
    assert [decision.winner for decision in decisions] == [article, other_article]
