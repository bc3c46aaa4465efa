"""Safe formula evaluation of approval rules (plain Python, no Odoo)."""

from datetime import date

import pytest
from sysengage_base_tools.approval_formula import (
    MAX_STEPS,
    FormulaEvaluationError,
    FormulaSyntaxError,
    check_formula,
    evaluate_formula,
    parse_formula,
)


class FakeRecords(list):
    """A tiny stand-in for an Odoo recordset: a list with ``mapped``/``filtered``."""

    def mapped(self, name):
        return [getattr(item, name) for item in self]

    def filtered(self, func):
        return FakeRecords(item for item in self if func(item))

    def write(self, values):  # pylint: disable=method-required-super
        raise AssertionError("write() reached from a formula")


class FakeLine:
    def __init__(self, discount, subtotal):
        self.discount = discount
        self.price_subtotal = subtotal


class FakeOrder:
    def __init__(self, total, lines=()):
        self.amount_total = total
        self.order_line = FakeRecords(lines)
        self.name = "S00042"
        self.date_order = date(2026, 11, 27)
        self._secret = "hidden"
        self.env = "environment"

    def unlink(self):  # pylint: disable=method-required-super
        raise AssertionError("unlink() reached from a formula")


@pytest.fixture
def order():
    return FakeOrder(12500.0, [FakeLine(5.0, 1000.0), FakeLine(20.0, 9000.0), FakeLine(12.0, 2500.0)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("record.amount_total > 10000", True),
        ("record.amount_total > 20000", False),
        ("max(record.order_line.mapped('discount')) > 15", True),
        ("sum(l.price_subtotal for l in record.order_line if l.discount > 10) > 11000", True),
        ("len(record.order_line.filtered(lambda l: l.discount >= 12)) == 2", True),
        ("record.amount_total > 10000 and not record.name.startswith('X')", True),
        ("10000 < record.amount_total <= 12500", True),
        ("'high' if record.amount_total > 10000 else 'low'", "high"),
        ("record.date_order.weekday()", 4),
        ("[d * 2 for d in record.order_line.mapped('discount')][1]", 40.0),
        ("{'a': 1}.get('a') + abs(-2) + round(2.6)", 6),
        ("record.name[:2].lower() in ('s0', 'x0')", True),
        ("2 ** 10", 1024),
    ],
)
def test_evaluates_expressions(order, text, expected):
    assert evaluate_formula(text, {"record": order}) == expected


def test_max_of_empty_sequence_is_zero():
    assert evaluate_formula("max(record.order_line.mapped('discount')) > 15", {"record": FakeOrder(0.0)}) is False
    assert evaluate_formula("min([])", {}) == 0
    assert evaluate_formula("max(3, 7)", {}) == 7


def test_parsed_formula_is_reusable(order):
    formula = parse_formula("record.amount_total * 2", names=("record", "user"))
    assert formula.names == {"record"}
    assert formula.evaluate({"record": order}) == 25000.0
    assert formula.evaluate({"record": FakeOrder(1.0)}) == 2.0


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("record.amount_total >", "syntax"),
        ("x = 1", "syntax"),
        ("record.amount_total > limit", "name"),
        ("__import__('os').system('id')", "call"),
        ("__import__('os')", "private"),
        ("record._secret", "private"),
        ("record.__class__", "private"),
        ("record.env", "attribute"),
        ("record.order_line.sudo()", "call"),
        ("record.order_line.sudo", "attribute"),
        ("record.unlink()", "call"),
        ("record.order_line.write({'discount': 0})", "call"),
        ("'{0.__class__}'.format(record)", "call"),
        ("(lambda: 1)()", "node"),
        ("open('/etc/passwd')", "name"),
        ("eval('1')", "name"),
        ("getattr(record, 'env')", "name"),
        ("max(*record.order_line)", "starred"),
        ("f'{record.name}'", "node"),
        ("lambda *a: a", "lambda"),
        ("[_x for _x in record.order_line]", "private"),
        ("(yield 1)", "node"),
        ("(x := 3)", "node"),
        ("record.amount_total > 1" + " " * 2000, "too_long"),
    ],
)
def test_rejects_unsafe_or_invalid(text, code):
    if code == "too_long":
        text = "1 + " * 600 + "1"
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    assert info.value.code == code
    assert str(info.value)
    assert check_formula(text).code == code


def test_error_locates_the_problem():
    error = check_formula("record.amount_total > limit")
    assert error.params["line"] == 1
    assert error.params["column"] == 23
    assert "limit" in str(error)
    assert "record" in error.params["available"]


def test_check_formula_accepts_valid_text():
    assert check_formula("record.amount_total > 10000") is None
    assert check_formula("user.has_group('base.group_user')", names=("record", "user")) is None


def test_method_cannot_be_passed_as_a_value(order):
    # ``filtered(record.unlink)`` would call unlink without a visible call node: refused at runtime
    with pytest.raises(FormulaEvaluationError):
        evaluate_formula("record.order_line.filtered(record.unlink)", {"record": order})


def test_runtime_errors_are_formula_errors(order):
    with pytest.raises(FormulaEvaluationError) as info:
        evaluate_formula("record.amount_total / 0", {"record": order})
    assert info.value.code == "evaluation"
    assert "ZeroDivisionError" in str(info.value)
    with pytest.raises(FormulaEvaluationError):
        evaluate_formula("record.missing_field > 1", {"record": order})


def test_missing_name_at_evaluation():
    formula = parse_formula("record.amount_total > 1")
    with pytest.raises(FormulaEvaluationError):
        formula.evaluate({})


def test_resource_limits():
    with pytest.raises(FormulaEvaluationError) as info:
        evaluate_formula("10 ** 10 ** 10", {})
    assert info.value.code == "limit"
    with pytest.raises(FormulaEvaluationError):
        evaluate_formula("'x' * 10 ** 9", {})
    big = list(range(400))
    with pytest.raises(FormulaEvaluationError) as info:
        evaluate_formula("sum(a * b for a in items for b in items)", {"items": big})
    assert info.value.code == "limit"
    assert MAX_STEPS < 400 * 400 * 4
