"""Safe formulas for approval rules, in plain Python (no ORM import).

An approval rule may carry a one-line Python *expression* evaluated on the record, e.g.::

    record.amount_total > 10000
    max(record.order_line.mapped('discount')) > 15
    sum(l.price_subtotal for l in record.order_line if l.discount > 10) > 5000

The text is parsed with :mod:`ast`, every node is checked against a whitelist
(:func:`parse_formula`), then the tree is *interpreted* node by node (:meth:`Formula.evaluate`);
nothing is ever passed to ``eval``/``exec``. What a formula may do:

- read names given by the caller (``record``, ``user``, ``company``, ``today``...) and the
  functions of :data:`SAFE_FUNCTIONS`;
- read attributes, except names starting with ``_`` and those of :data:`FORBIDDEN_ATTRIBUTES`
  (``env``, ``sudo``...);
- call only the functions above, the methods of :data:`SAFE_METHODS` (``mapped``, ``filtered``...)
  and its own ``lambda``; an attribute that is a method not in the list cannot even be read, so it
  cannot be handed to ``filtered`` either;
- use arithmetic, comparisons, ``and``/``or``/``not``, ``x if c else y``, literals, subscripts,
  comprehensions and ``lambda``.

Guards against runaway formulas: a step budget (:data:`MAX_STEPS`), bounded powers and bounded
repetition of strings/lists. ``max()``/``min()`` of an empty sequence give ``0`` rather than failing,
so "the largest discount" of an order without lines is ``0``.

Errors carry a ``code`` and ``params`` so that the ORM side can word a translated message;
``str(error)`` is a readable English message.
"""

import ast
import operator
from collections.abc import Iterable

MAX_LENGTH = 2000
MAX_STEPS = 100_000
MAX_POWER_EXPONENT = 64
MAX_REPEAT = 10_000


def _lenient_extreme(func):
    def extreme(*args, **kwargs):
        if len(args) == 1 and "default" not in kwargs:
            values = list(args[0]) if isinstance(args[0], Iterable) else args[0]
            if isinstance(values, list) and not values:
                return 0
            return func(values, **kwargs)
        return func(*args, **kwargs)

    extreme.__name__ = func.__name__
    return extreme


SAFE_FUNCTIONS = {
    "abs": abs,
    "all": all,
    "any": any,
    "bool": bool,
    "float": float,
    "int": int,
    "len": len,
    "list": list,
    "max": _lenient_extreme(max),
    "min": _lenient_extreme(min),
    "round": round,
    "set": set,
    "sorted": sorted,
    "str": str,
    "sum": sum,
    "tuple": tuple,
}

SAFE_METHODS = frozenset(
    {
        # recordsets
        "mapped",
        "filtered",
        "filtered_domain",
        "sorted",
        "exists",
        "ensure_one",
        "has_group",
        # dates and datetimes
        "date",
        "weekday",
        "isoweekday",
        "isoformat",
        "strftime",
        "total_seconds",
        # strings
        "lower",
        "upper",
        "strip",
        "startswith",
        "endswith",
        "split",
        "replace",
        "isdigit",
        "count",
        # mappings
        "get",
        "keys",
        "values",
        "items",
    }
)

FORBIDDEN_ATTRIBUTES = frozenset(
    {
        "env",
        "sudo",
        "with_user",
        "with_env",
        "with_context",
        "with_company",
        "pool",
        "registry",
        "cr",
        "uid",
        "format",
        "format_map",
        "mro",
        # frames and code objects (defence in depth: no formula value should ever expose them)
        "gi_frame",
        "gi_code",
        "cr_frame",
        "ag_frame",
        "tb_frame",
        "f_back",
        "f_globals",
        "f_locals",
        "f_builtins",
    }
)

_BINARY_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY_OPERATORS = {ast.Not: operator.not_, ast.USub: operator.neg, ast.UAdd: operator.pos}
_COMPARE_OPERATORS = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}
_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.keyword,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.Name,
    ast.Load,
    ast.Store,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.ListComp,
    ast.SetComp,
    ast.GeneratorExp,
    ast.DictComp,
    ast.comprehension,
    ast.Lambda,
    ast.arguments,
    ast.arg,
    *_BINARY_OPERATORS,
    *_UNARY_OPERATORS,
    *_COMPARE_OPERATORS,
)


class FormulaError(ValueError):
    """A formula that cannot be accepted or evaluated; ``code``/``params`` describe why."""

    messages = {
        "empty": "The formula is empty.",
        "too_long": "The formula is longer than %(max)s characters.",
        "syntax": "Syntax error at line %(line)s, column %(column)s: %(detail)s",
        "node": "'%(node)s' is not allowed in a formula (line %(line)s, column %(column)s).",
        "name": "Unknown name '%(name)s' (line %(line)s, column %(column)s). Available: %(available)s.",
        "private": "Names starting with an underscore are not allowed: '%(name)s' (line %(line)s, column %(column)s).",
        "attribute": "The attribute '%(name)s' is not allowed (line %(line)s, column %(column)s).",
        "call": "Calling '%(name)s' is not allowed (line %(line)s, column %(column)s). "
        "Allowed functions: %(functions)s; allowed methods: %(methods)s.",
        "lambda": "Only simple lambda parameters are allowed (line %(line)s, column %(column)s).",
        "starred": "Unpacking with * or ** is not allowed (line %(line)s, column %(column)s).",
        "limit": "The formula is too heavy to evaluate: %(detail)s",
        "evaluation": "The formula failed on evaluation: %(detail)s",
    }

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(self.messages[code] % params)


class FormulaSyntaxError(FormulaError):
    """The text is not an accepted formula (raised when parsing/validating)."""


class FormulaEvaluationError(FormulaError):
    """The formula could not be evaluated on the given values."""


def _where(node):
    return {"line": getattr(node, "lineno", 1), "column": getattr(node, "col_offset", 0) + 1}


class _Validator(ast.NodeVisitor):
    """Check every node of a parsed formula against the whitelist; collect free names."""

    def __init__(self, names):
        self.names = set(names)
        self.scopes = [set()]

    def _known(self, name):
        return name in self.names or name in SAFE_FUNCTIONS or any(name in scope for scope in self.scopes)

    def generic_visit(self, node):
        if not isinstance(node, _ALLOWED_NODES):
            raise FormulaSyntaxError("node", node=type(node).__name__, **_where(node))
        return super().generic_visit(node)

    def visit_Name(self, node):
        if node.id.startswith("_"):
            raise FormulaSyntaxError("private", name=node.id, **_where(node))
        if isinstance(node.ctx, ast.Load) and not self._known(node.id):
            available = ", ".join(sorted(self.names | set(SAFE_FUNCTIONS)))
            raise FormulaSyntaxError("name", name=node.id, available=available, **_where(node))

    def visit_Attribute(self, node):
        if node.attr.startswith("_"):
            raise FormulaSyntaxError("private", name=node.attr, **_where(node))
        if node.attr in FORBIDDEN_ATTRIBUTES:
            raise FormulaSyntaxError("attribute", name=node.attr, **_where(node))
        self.visit(node.value)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in SAFE_METHODS:
                raise FormulaSyntaxError(
                    "call",
                    name=func.attr,
                    functions=", ".join(sorted(SAFE_FUNCTIONS)),
                    methods=", ".join(sorted(SAFE_METHODS)),
                    **_where(node),
                )
        elif not isinstance(func, ast.Name):
            raise FormulaSyntaxError("node", node="call of an expression", **_where(node))
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise FormulaSyntaxError("starred", **_where(arg))
        for keyword in node.keywords:
            if keyword.arg is None:
                raise FormulaSyntaxError("starred", **_where(keyword.value))
        self.generic_visit(node)

    def visit_Lambda(self, node):
        args = node.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.defaults or args.posonlyargs:
            raise FormulaSyntaxError("lambda", **_where(node))
        self.scopes.append({arg.arg for arg in args.args})
        for arg in args.args:
            if arg.arg.startswith("_"):
                raise FormulaSyntaxError("private", name=arg.arg, **_where(node))
        self.visit(node.body)
        self.scopes.pop()

    def _visit_comprehension(self, node, elements):
        # generators are evaluated left to right; their targets are visible to later parts
        self.scopes.append(set())
        for generator in node.generators:
            self.visit(generator.iter)
            for target in ast.walk(generator.target):
                if isinstance(target, ast.Name):
                    if target.id.startswith("_"):
                        raise FormulaSyntaxError("private", name=target.id, **_where(target))
                    self.scopes[-1].add(target.id)
                elif not isinstance(target, ast.Tuple | ast.Store):
                    raise FormulaSyntaxError("node", node=type(target).__name__, **_where(target))
            if generator.is_async:
                raise FormulaSyntaxError("node", node="async", **_where(node))
            for condition in generator.ifs:
                self.visit(condition)
        for element in elements:
            self.visit(element)
        self.scopes.pop()

    def visit_ListComp(self, node):
        self._visit_comprehension(node, [node.elt])

    visit_SetComp = visit_ListComp
    visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._visit_comprehension(node, [node.key, node.value])


class Formula:
    """A validated formula; :meth:`evaluate` interprets it on a namespace."""

    def __init__(self, text, tree, names):
        self.text = text
        self.tree = tree
        self.names = frozenset(names)

    def __repr__(self):
        return f"Formula({self.text!r})"

    def evaluate(self, namespace):
        missing = self.names - set(namespace)
        if missing:
            raise FormulaEvaluationError("evaluation", detail="missing names " + ", ".join(sorted(missing)))
        interpreter = _Interpreter(namespace)
        try:
            return interpreter.eval(self.tree.body, {})
        except FormulaError:
            raise
        except Exception as error:
            raise FormulaEvaluationError("evaluation", detail=f"{type(error).__name__}: {error}") from error


class _Interpreter:
    def __init__(self, namespace):
        self.namespace = namespace
        self.steps = 0

    def eval(self, node, scope):
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise FormulaEvaluationError("limit", detail=f"more than {MAX_STEPS} steps")
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:  # cannot happen after validation, kept as a last barrier
            raise FormulaEvaluationError("evaluation", detail=f"unsupported node {type(node).__name__}")
        return method(node, scope)

    # -- leaves -------------------------------------------------------
    def eval_Constant(self, node, scope):
        return node.value

    def eval_Name(self, node, scope):
        if node.id in scope:
            return scope[node.id]
        if node.id in self.namespace:
            return self.namespace[node.id]
        if node.id in SAFE_FUNCTIONS:
            return SAFE_FUNCTIONS[node.id]
        raise FormulaEvaluationError("evaluation", detail=f"unknown name {node.id}")

    def eval_Attribute(self, node, scope):
        if node.attr.startswith("_") or node.attr in FORBIDDEN_ATTRIBUTES:
            raise FormulaEvaluationError("evaluation", detail=f"attribute {node.attr} is not allowed")
        value = getattr(self.eval(node.value, scope), node.attr)
        if callable(value) and node.attr not in SAFE_METHODS:
            raise FormulaEvaluationError("evaluation", detail=f"method {node.attr} is not allowed")
        return value

    # -- containers ---------------------------------------------------
    def eval_List(self, node, scope):
        return [self.eval(elt, scope) for elt in node.elts]

    def eval_Tuple(self, node, scope):
        return tuple(self.eval(elt, scope) for elt in node.elts)

    def eval_Set(self, node, scope):
        return {self.eval(elt, scope) for elt in node.elts}

    def eval_Dict(self, node, scope):
        return {self.eval(k, scope): self.eval(v, scope) for k, v in zip(node.keys, node.values)}

    def eval_Subscript(self, node, scope):
        return self.eval(node.value, scope)[self.eval(node.slice, scope)]

    def eval_Slice(self, node, scope):
        return slice(
            self.eval(node.lower, scope) if node.lower else None,
            self.eval(node.upper, scope) if node.upper else None,
            self.eval(node.step, scope) if node.step else None,
        )

    # -- operators ----------------------------------------------------
    def eval_BoolOp(self, node, scope):
        is_and = isinstance(node.op, ast.And)
        value = None
        for operand in node.values:
            value = self.eval(operand, scope)
            if bool(value) != is_and:
                return value
        return value

    def eval_BinOp(self, node, scope):
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        if isinstance(node.op, ast.Pow) and isinstance(right, int | float) and abs(right) > MAX_POWER_EXPONENT:
            raise FormulaEvaluationError("limit", detail=f"exponent above {MAX_POWER_EXPONENT}")
        if isinstance(node.op, ast.Mult):
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise FormulaEvaluationError("limit", detail=f"repetition beyond {MAX_REPEAT} items")
        return _BINARY_OPERATORS[type(node.op)](left, right)

    def eval_UnaryOp(self, node, scope):
        return _UNARY_OPERATORS[type(node.op)](self.eval(node.operand, scope))

    def eval_Compare(self, node, scope):
        left = self.eval(node.left, scope)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.eval(comparator, scope)
            if not _COMPARE_OPERATORS[type(op)](left, right):
                return False
            left = right
        return True

    def eval_IfExp(self, node, scope):
        return self.eval(node.body if self.eval(node.test, scope) else node.orelse, scope)

    # -- calls and functions ------------------------------------------
    def eval_Call(self, node, scope):
        if isinstance(node.func, ast.Attribute) and node.func.attr not in SAFE_METHODS:
            raise FormulaEvaluationError("evaluation", detail=f"method {node.func.attr} is not allowed")
        func = self.eval(node.func, scope)
        args = [self.eval(arg, scope) for arg in node.args]
        kwargs = {kw.arg: self.eval(kw.value, scope) for kw in node.keywords}
        return func(*args, **kwargs)

    def eval_Lambda(self, node, scope):
        params = [arg.arg for arg in node.args.args]

        def function(*args):
            if len(args) != len(params):
                raise FormulaEvaluationError("evaluation", detail="wrong number of lambda arguments")
            return self.eval(node.body, {**scope, **dict(zip(params, args))})

        return function

    def _iterate(self, generators, scope):
        """Yield the scopes produced by the ``for ... in ... if ...`` clauses."""
        if not generators:
            yield scope
            return
        generator, rest = generators[0], generators[1:]
        for item in self.eval(generator.iter, scope):
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise FormulaEvaluationError("limit", detail=f"more than {MAX_STEPS} steps")
            inner = dict(scope)
            self._bind(generator.target, item, inner)
            if all(self.eval(condition, inner) for condition in generator.ifs):
                yield from self._iterate(rest, inner)

    def _bind(self, target, value, scope):
        if isinstance(target, ast.Name):
            scope[target.id] = value
        else:
            values = list(value)
            if len(values) != len(target.elts):
                raise FormulaEvaluationError("evaluation", detail="cannot unpack")
            for elt, item in zip(target.elts, values):
                self._bind(elt, item, scope)

    def eval_ListComp(self, node, scope):
        return [self.eval(node.elt, inner) for inner in self._iterate(node.generators, scope)]

    # generators are evaluated eagerly: formulas are small and this keeps the step budget exact
    eval_GeneratorExp = eval_ListComp

    def eval_SetComp(self, node, scope):
        return {self.eval(node.elt, inner) for inner in self._iterate(node.generators, scope)}

    def eval_DictComp(self, node, scope):
        return {
            self.eval(node.key, inner): self.eval(node.value, inner) for inner in self._iterate(node.generators, scope)
        }


def parse_formula(text, names=("record",)):
    """Parse and validate ``text``; return a :class:`Formula` or raise :class:`FormulaSyntaxError`.

    ``names`` lists the variables the caller will provide at evaluation time.
    """
    text = (text or "").strip()
    if not text:
        raise FormulaSyntaxError("empty")
    if len(text) > MAX_LENGTH:
        raise FormulaSyntaxError("too_long", max=MAX_LENGTH)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise FormulaSyntaxError(
            "syntax", line=error.lineno or 1, column=error.offset or 1, detail=error.msg
        ) from error
    _Validator(names).visit(tree)
    return Formula(text, tree, [n for n in names if any(_uses(tree, n))])


def _uses(tree, name):
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name:
            yield True


def evaluate_formula(text, namespace):
    """Parse ``text`` with the names of ``namespace`` and evaluate it; return the value."""
    return parse_formula(text, names=tuple(namespace)).evaluate(namespace)


def check_formula(text, names=("record",)):
    """Return ``None`` when ``text`` is an accepted formula, else the :class:`FormulaSyntaxError`."""
    try:
        parse_formula(text, names)
    except FormulaSyntaxError as error:
        return error
    return None
