"""Precedence of the Sysengage price table, on plain values (no ORM).

A rule applies to a line when its article scope, customer scope, quantity break, validity dates,
currency and company all match. Among the applicable rules the most specific one wins, compared
in this order (a higher value wins):

1. customer scope: one specific customer (2) > a customer group (1) > all customers (0);
2. article scope: one article (2) > an article group (1) > all articles (0);
3. within article groups, the nearest group of the article (its own category beats a parent one);
4. the larger quantity break (``min_quantity``);
5. the latest start date (a rule without start date counts as the oldest).

Rules equal on all five keys are a *tie*. A tie is never resolved: :func:`resolve` returns no
winner, lists the tied rules, and the caller reports them to the managers. The line then keeps
the price it would have without the table (the list price), so an ambiguous table never
produces an arbitrary price.
"""

import datetime
from dataclasses import dataclass, field

CUSTOMER_PARTNER = "partner"
CUSTOMER_GROUP = "group"
CUSTOMER_ALL = "all"
ARTICLE_PRODUCT = "product"
ARTICLE_CATEGORY = "category"
ARTICLE_ALL = "all"
PRICE_FIXED = "fixed"
PRICE_DISCOUNT = "discount"

_CUSTOMER_RANK = {CUSTOMER_PARTNER: 2, CUSTOMER_GROUP: 1, CUSTOMER_ALL: 0}
_ARTICLE_RANK = {ARTICLE_PRODUCT: 2, ARTICLE_CATEGORY: 1, ARTICLE_ALL: 0}


@dataclass(frozen=True)
class Rule:
    """One price rule as plain values; ids are integers, ``None`` or ``False`` meaning "not set"."""

    id: int
    customer_scope: str = CUSTOMER_ALL
    partner_id: int | None = None
    grouping_code_id: int | None = None
    article_scope: str = ARTICLE_ALL
    product_tmpl_id: int | None = None
    categ_id: int | None = None
    min_quantity: float = 0.0
    date_start: datetime.date | None = None
    date_end: datetime.date | None = None
    currency_id: int | None = None
    company_id: int | None = None
    price_type: str = PRICE_FIXED
    fixed_price: float = 0.0
    discount: float = 0.0


@dataclass(frozen=True)
class Line:
    """What is priced: the article, its categories (own first, then parents), the customer, etc."""

    product_tmpl_id: int
    category_ids: tuple = ()
    partner_id: int | None = None
    grouping_code_ids: frozenset = frozenset()
    quantity: float = 1.0
    date: datetime.date | None = None
    currency_id: int | None = None
    company_id: int | None = None


@dataclass
class Decision:
    """The outcome for one line: the winner (or ``None``), the rules it beat and the tied rules."""

    winner: Rule | None = None
    beaten: list = field(default_factory=list)
    tied: list = field(default_factory=list)

    @property
    def is_tie(self):
        return len(self.tied) > 1


def applies(rule, line):
    """True when ``rule`` may price ``line`` (before any precedence)."""
    if rule.customer_scope == CUSTOMER_PARTNER and rule.partner_id != line.partner_id:
        return False
    if rule.customer_scope == CUSTOMER_GROUP and rule.grouping_code_id not in line.grouping_code_ids:
        return False
    if rule.article_scope == ARTICLE_PRODUCT and rule.product_tmpl_id != line.product_tmpl_id:
        return False
    if rule.article_scope == ARTICLE_CATEGORY and rule.categ_id not in line.category_ids:
        return False
    if line.quantity < (rule.min_quantity or 0.0):
        return False
    if line.date and rule.date_start and line.date < rule.date_start:
        return False
    if line.date and rule.date_end and line.date > rule.date_end:
        return False
    # a fixed price is in one currency; a discount without currency fits every currency
    if (rule.currency_id or rule.price_type == PRICE_FIXED) and rule.currency_id != line.currency_id:
        return False
    return not (rule.company_id and rule.company_id != line.company_id)


def rank(rule, line):
    """The precedence key of an applicable rule: the greater key wins."""
    closeness = 0
    if rule.article_scope == ARTICLE_CATEGORY:
        # own category: 0, parent: -1, grand-parent: -2... the nearest group wins
        closeness = -line.category_ids.index(rule.categ_id)
    return (
        _CUSTOMER_RANK[rule.customer_scope],
        _ARTICLE_RANK[rule.article_scope],
        closeness,
        rule.min_quantity or 0.0,
        rule.date_start or datetime.date.min,
    )


def resolve(rules, line):
    """Pick the rule of ``rules`` pricing ``line``.

    :param rules: iterable of :class:`Rule` (candidates; those not applying are ignored)
    :param line: a :class:`Line`
    :return: a :class:`Decision`; ``winner`` is ``None`` when nothing applies or on a tie
    """
    ranked = sorted(
        ((rank(rule, line), rule) for rule in rules if applies(rule, line)),
        key=lambda item: (item[0], -item[1].id),
        reverse=True,
    )
    if not ranked:
        return Decision()
    best_key = ranked[0][0]
    top = [rule for key, rule in ranked if key == best_key]
    if len(top) > 1:
        # equally specific: refuse to choose, the caller reports the tie
        return Decision(winner=None, beaten=[rule for key, rule in ranked if key != best_key], tied=top)
    return Decision(winner=top[0], beaten=[rule for _key, rule in ranked[1:]], tied=[])


class CandidateIndex:
    """Rules bucketed by article scope, so that each line only looks at the rules that may concern it."""

    def __init__(self, rules):
        self.by_template = {}
        self.by_category = {}
        self.for_all = []
        for rule in rules:
            if rule.article_scope == ARTICLE_PRODUCT:
                self.by_template.setdefault(rule.product_tmpl_id, []).append(rule)
            elif rule.article_scope == ARTICLE_CATEGORY:
                self.by_category.setdefault(rule.categ_id, []).append(rule)
            else:
                self.for_all.append(rule)

    def for_line(self, line):
        rules = list(self.by_template.get(line.product_tmpl_id, ()))
        for categ_id in line.category_ids:
            rules.extend(self.by_category.get(categ_id, ()))
        rules.extend(self.for_all)
        return rules


def resolve_many(rules, lines):
    """:func:`resolve` for each of ``lines`` against the same candidate ``rules`` (a list of decisions)."""
    index = CandidateIndex(rules)
    return [resolve(index.for_line(line), line) for line in lines]


def price_of(rule, list_price):
    """``(price_unit, discount)`` given by the winning ``rule``; ``list_price`` is in the line currency."""
    if rule.price_type == PRICE_FIXED:
        return rule.fixed_price, 0.0
    return list_price, rule.discount
