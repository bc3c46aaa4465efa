"""Selection of the conditions (payment, delivery, validity, warranty, legal texts) that apply to an offer.

Plain Python, no ORM: the models turn records into :class:`ConditionRule` and :class:`OfferFacts` and ask
:func:`select_conditions` which rules win. A rule applies when every criterion it sets matches the offer
(an empty criterion matches everything). For each condition type only the applicable rules of the highest
priority are kept, so a customer-specific payment term beats the general one.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ConditionRule:
    id: int
    condition_type: str
    priority: int = 10
    partner_ids: frozenset = field(default_factory=frozenset)
    grouping_code_ids: frozenset = field(default_factory=frozenset)
    product_ids: frozenset = field(default_factory=frozenset)
    category_ids: frozenset = field(default_factory=frozenset)
    amount_min: float = 0.0
    amount_max: float = 0.0
    company_id: int | None = None
    lang: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class OfferFacts:
    partner_id: int
    amount: float
    date: date
    company_id: int | None = None
    lang: str | None = None
    grouping_code_ids: frozenset = field(default_factory=frozenset)
    product_ids: frozenset = field(default_factory=frozenset)
    # the categories of the offered products and all their parent categories
    category_ids: frozenset = field(default_factory=frozenset)


def check_amount_range(amount_min, amount_max):
    """Return True when the range is valid: a maximum of 0 means "no upper bound"."""
    if amount_min < 0 or amount_max < 0:
        return False
    return not amount_max or amount_min <= amount_max


def rule_matches(rule, facts):
    """True when every criterion set on ``rule`` matches ``facts``."""
    if rule.partner_ids and facts.partner_id not in rule.partner_ids:
        return False
    if rule.grouping_code_ids and not rule.grouping_code_ids & facts.grouping_code_ids:
        return False
    if rule.product_ids and not rule.product_ids & facts.product_ids:
        return False
    if rule.category_ids and not rule.category_ids & facts.category_ids:
        return False
    if rule.amount_min and facts.amount < rule.amount_min:
        return False
    if rule.amount_max and facts.amount > rule.amount_max:
        return False
    if rule.company_id and rule.company_id != facts.company_id:
        return False
    if rule.lang and rule.lang != facts.lang:
        return False
    if rule.date_from and facts.date < rule.date_from:
        return False
    return not (rule.date_to and facts.date > rule.date_to)


def select_conditions(rules, facts):
    """Ids of the rules to apply: per condition type, the matching rules of the highest priority."""
    best = {}
    for rule in rules:
        if not rule_matches(rule, facts):
            continue
        current = best.get(rule.condition_type)
        if current is None or rule.priority > current[0]:
            best[rule.condition_type] = (rule.priority, [rule.id])
        elif rule.priority == current[0]:
            current[1].append(rule.id)
    return [rule_id for _priority, ids in best.values() for rule_id in ids]
