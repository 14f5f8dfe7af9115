"""A small arithmetic language for template rules, evaluated by walking whitelisted AST nodes (no ``eval``).

``4 + step(attendees, 150) * 2``, ``2 if attendees < 800 else 3``, ``stream and cameras > 1``: numbers,
booleans, the template's parameters and the built-ins ``show_days`` / ``show_hours``, arithmetic, comparisons,
``and`` / ``or`` / ``not``, conditionals and a fixed set of functions. Everything else is refused at compile
time with a message that names the offending part.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError

if TYPE_CHECKING:
    from sales.models import TemplateParameter, TemplateRule

BUILTIN_NAMES = frozenset({"show_days", "show_hours"})
BOOLEAN_NAMES = {"true": True, "false": False}
MAX_LENGTH = 300
MAX_NODES = 200
MAX_DEPTH = 30
MAX_MAGNITUDE = 1e9
MAX_EXPONENT = 16
LIMIT = f"{MAX_MAGNITUDE:,.0f}"
# A rule that asks for more than this many units or people is a typo, not a show.
MAX_QUANTITY = 10_000

Number = int | float | bool


class ExpressionError(ValueError):
    """An expression that cannot be compiled or evaluated; the message says why, for its author."""


def _ceil(x: float) -> int:
    return math.ceil(x)


def _floor(x: float) -> int:
    return math.floor(x)


def _round(x: float, digits: float = 0) -> float:
    if digits != int(digits) or not 0 <= digits <= 6:
        raise ExpressionError("round(x, digits) takes a whole number of digits from 0 to 6")
    return round(x, int(digits)) if digits else round(x)


def _clamp(x: float, lo: float, hi: float) -> float:
    if lo > hi:
        raise ExpressionError(f"clamp(x, lo, hi) needs lo <= hi, got lo={_show(lo)} and hi={_show(hi)}")
    return min(max(x, lo), hi)


def _step(x: float, every: float) -> int:
    if every == 0:
        raise ZeroDivisionError
    return math.ceil(x / every)


# name -> (function, fewest arguments, most arguments (None: any number))
FUNCTIONS: dict[str, tuple[Callable[..., Number], int, int | None]] = {
    "abs": (abs, 1, 1),
    "ceil": (_ceil, 1, 1),
    "clamp": (_clamp, 3, 3),
    "floor": (_floor, 1, 1),
    "max": (max, 2, None),
    "min": (min, 2, None),
    "round": (_round, 1, 2),
    "step": (_step, 2, 2),
}

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Number]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: float(a) ** b,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
_OPERATOR_WORDS = {
    ast.MatMult: "'@'",
    ast.BitAnd: "'&' (use 'and')",
    ast.BitOr: "'|' (use 'or')",
    ast.BitXor: "'^' (use '**' for powers)",
    ast.LShift: "'<<'",
    ast.RShift: "'>>'",
    ast.Invert: "'~' (use 'not')",
    ast.Is: "'is' (use '==')",
    ast.IsNot: "'is not' (use '!=')",
    ast.In: "'in'",
    ast.NotIn: "'not in'",
}
_REFUSED_NODES = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.NamedExpr: "assignments are not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Slice: "slices are not allowed",
}


def _show(value: Number) -> str:
    """A value as a person writes it: 3 rather than 3.0, true rather than True."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


class Expression:
    """A compiled, validated expression; ``evaluate`` walks its tree with the given variables."""

    def __init__(self, text: str, tree: ast.expr, names: frozenset[str]) -> None:
        self.text = text
        self.names = names
        self._tree = tree

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def evaluate(self, variables: dict[str, Number]) -> float:
        """The value as a float (true is 1, false is 0); raises ExpressionError on a runtime fault."""
        return float(self.evaluate_value(variables))

    def holds(self, variables: dict[str, Number]) -> bool:
        """The value as a condition: anything but zero or false holds."""
        return bool(self.evaluate_value(variables))

    def evaluate_value(self, variables: dict[str, Number]) -> Number:
        """The value with its type kept (a comparison gives a bool)."""
        return self._eval(self._tree, variables)

    def _segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or self.text

    def _eval(self, node: ast.AST, variables: dict[str, Number]) -> Number:
        value = self._eval_node(node, variables)
        if not isinstance(value, bool) and (math.isnan(value) or abs(value) > MAX_MAGNITUDE):
            raise ExpressionError(f"'{self._segment(node)}' is too large (limit {LIMIT})")
        return value

    def _eval_node(self, node: ast.AST, variables: dict[str, Number]) -> Number:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in BOOLEAN_NAMES:
                return BOOLEAN_NAMES[node.id]
            if node.id not in variables:
                raise ExpressionError(f"no value for '{node.id}'")
            return variables[node.id]
        if isinstance(node, ast.UnaryOp):
            operand = self._eval(node.operand, variables)
            if isinstance(node.op, ast.Not):
                return not operand
            return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.BinOp):
            return self._eval_binary(node, variables)
        if isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And)
            value: Number = is_and
            for operand in node.values:
                value = self._eval(operand, variables)
                if bool(value) != is_and:
                    return value
            return value
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, variables)
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                right = self._eval(comparator, variables)
                if not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            branch = node.body if self._eval(node.test, variables) else node.orelse
            return self._eval(branch, variables)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            function = FUNCTIONS[node.func.id][0]
            arguments = [self._eval(argument, variables) for argument in node.args]
            try:
                return function(*arguments)
            except ZeroDivisionError:
                raise ExpressionError(f"division by zero in '{self._segment(node)}'") from None
            except ExpressionError as error:
                raise ExpressionError(f"{error} in '{self._segment(node)}'") from None
        raise ExpressionError(f"cannot evaluate '{self._segment(node)}'")  # unreachable: compile refused it

    def _eval_binary(self, node: ast.BinOp, variables: dict[str, Number]) -> Number:
        left = self._eval(node.left, variables)
        right = self._eval(node.right, variables)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise ExpressionError(
                f"the exponent in '{self._segment(node)}' is {_show(right)}; the limit is {MAX_EXPONENT}"
            )
        if isinstance(node.op, ast.Pow) and left < 0 and not float(right).is_integer():
            raise ExpressionError(f"'{self._segment(node)}' takes a fractional power of a negative number")
        try:
            return _BINARY[type(node.op)](left, right)
        except ZeroDivisionError:
            raise ExpressionError(f"division by zero in '{self._segment(node)}'") from None
        except OverflowError:
            raise ExpressionError(f"'{self._segment(node)}' is too large (limit {LIMIT})") from None


class _Checker:
    """Walks a parsed tree once and refuses anything outside the whitelist, naming the offending part."""

    def __init__(self, text: str, names: frozenset[str]) -> None:
        self.text = text
        self.names = names
        self.nodes = 0

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or self.text

    def check(self, node: ast.AST, depth: int = 1) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(f"the expression is too complex (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)")
        for node_type, words in _REFUSED_NODES.items():
            if isinstance(node, node_type):
                raise ExpressionError(f"{words}: '{self.segment(node)}'")
        if isinstance(node, ast.Constant):
            self.check_constant(node)
        elif isinstance(node, ast.Name):
            self.check_name(node)
        elif isinstance(node, ast.UnaryOp):
            self.check_operator(node.op, node)
            self.check(node.operand, depth + 1)
        elif isinstance(node, ast.BinOp):
            self.check_operator(node.op, node)
            self.check(node.left, depth + 1)
            self.check(node.right, depth + 1)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.check(value, depth + 1)
        elif isinstance(node, ast.Compare):
            for op in node.ops:
                self.check_operator(op, node)
            for operand in [node.left, *node.comparators]:
                self.check(operand, depth + 1)
        elif isinstance(node, ast.IfExp):
            for part in (node.test, node.body, node.orelse):
                self.check(part, depth + 1)
        elif isinstance(node, ast.Call):
            self.check_call(node, depth)
        else:
            raise ExpressionError(f"'{self.segment(node)}' is not allowed here")

    def check_constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str | bytes):
            raise ExpressionError(f"strings are not allowed: {self.segment(node)}")
        if isinstance(value, bool):
            return
        if not isinstance(value, int | float):
            raise ExpressionError(f"'{self.segment(node)}' is not a number")
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise ExpressionError(f"the number {self.segment(node)} is too large (limit {LIMIT})")

    def check_name(self, node: ast.Name) -> None:
        if node.id in BOOLEAN_NAMES or node.id in self.names:
            return
        known = ", ".join(sorted(self.names))
        raise ExpressionError(f"unknown name '{node.id}' (known: {known})")

    def check_operator(self, op: ast.AST, node: ast.AST) -> None:
        allowed = (ast.UAdd, ast.USub, ast.Not, *_BINARY, *_COMPARE)
        if not isinstance(op, allowed):
            words = _OPERATOR_WORDS.get(type(op), type(op).__name__)
            raise ExpressionError(f"the operator {words} is not allowed: '{self.segment(node)}'")

    def check_call(self, node: ast.Call, depth: int) -> None:
        known = ", ".join(sorted(FUNCTIONS))
        if not isinstance(node.func, ast.Name):
            self.check(node.func, depth + 1)  # names the lambda or attribute being called
            raise ExpressionError(f"only the functions {known} can be called: '{self.segment(node)}'")
        name = node.func.id
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function '{name}' (known: {known})")
        if node.keywords:
            raise ExpressionError(f"keyword arguments are not allowed: '{self.segment(node)}'")
        _, fewest, most = FUNCTIONS[name]
        count = len(node.args)
        if count < fewest or (most is not None and count > most):
            if fewest == most:
                wanted = str(fewest)
            else:
                wanted = f"{fewest} or more" if most is None else f"{fewest} to {most}"
            raise ExpressionError(f"{name}() takes {wanted} arguments, got {count}: '{self.segment(node)}'")
        for argument in node.args:
            self.check(argument, depth + 1)


def compile_expression(text: str, names: set[str] | frozenset[str]) -> Expression:
    """Parse and check ``text`` against the allowed names (plus ``show_days`` and ``show_hours``)."""
    text = (text or "").strip()
    if not text:
        raise ExpressionError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is too long ({len(text)} characters, limit {MAX_LENGTH})")
    known = frozenset(names) | BUILTIN_NAMES
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        where = f" at character {error.offset}" if error.offset else ""
        raise ExpressionError(f"cannot read the expression{where}: {error.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the expression is nested too deeply") from None
    _Checker(text, known).check(tree.body)
    return Expression(text, tree.body, known)


# --- rule validation ---------------------------------------------------------------------------------------

SAMPLE_SHOW_HOURS = 9.0


def sample_timeline() -> dict[str, datetime]:
    """A plain one-day show used to check a rule's window: load-in 06:00, show 09:00-18:00, load-out 22:00."""
    day = datetime(2030, 6, 3)
    return {
        "load_in": day.replace(hour=6),
        "show_start": day.replace(hour=9),
        "show_end": day.replace(hour=18),
        "load_out": day.replace(hour=22),
    }


def _sample_value(parameter: TemplateParameter, which: str) -> Number | None:
    kind = parameter.kind
    if kind == "boolean":
        if which == "defaults":
            return bool(parameter.default) if parameter.default is not None else False
        return which == "maximums"
    order = {
        "defaults": (parameter.default, parameter.minimum, parameter.maximum),
        "minimums": (parameter.minimum, parameter.default, parameter.maximum),
        "maximums": (parameter.maximum, parameter.default, parameter.minimum),
    }[which]
    value = next((candidate for candidate in order if candidate is not None), None)
    if value is None:
        return 1 if which != "minimums" else 0
    value = Decimal(value)
    return int(value) if kind == "integer" and value == value.to_integral_value() else float(value)


def rule_parameters(rule: TemplateRule) -> list[TemplateParameter]:
    """The template's parameters, or those saved with it (``rule.pending_parameters``, set by the admin)."""
    pending = getattr(rule, "pending_parameters", None)
    if pending is not None:
        return list(pending)
    try:
        template = rule.template
    except ObjectDoesNotExist:
        return []  # no template yet: the form reports the missing field itself
    if template.pk is None:
        return []
    return list(template.parameters.all())


def _check_quantity(
    quantity: Expression, condition: Expression | None, parameters: list[TemplateParameter]
) -> str:
    """Evaluate the quantity at the parameters' defaults, minimums and maximums; the first fault, or ''."""
    for which in ("defaults", "minimums", "maximums"):
        variables: dict[str, Number] = {"show_days": 1, "show_hours": SAMPLE_SHOW_HOURS}
        for parameter in parameters:
            variables[parameter.name] = _sample_value(parameter, which)
        shown = ", ".join(f"{p.name}={_show(variables[p.name])}" for p in parameters)
        where = f" with the parameters at their {which}" + (f" ({shown})" if shown else "")
        try:
            if condition is not None and not condition.holds(variables):
                continue
            value = quantity.evaluate(variables)
        except ExpressionError as error:
            return f"{error}{where}."
        if value < 0:
            return f"The quantity comes out negative ({_show(value)}){where}."
        if value > MAX_QUANTITY:
            return f"The quantity comes out at {_show(value)}{where}; the limit is {MAX_QUANTITY:,}."
    return ""


def _check_kind(rule: TemplateRule) -> dict[str, str]:
    errors: dict[str, str] = {}
    if rule.kind == "gear":
        if not rule.capability_id:
            errors["capability"] = "A gear rule needs a capability."
        if rule.skill_id:
            errors["skill"] = "A gear rule has no skill; clear this field."
        if rule.min_level is not None:
            errors["min_level"] = "A gear rule has no level; clear this field."
    elif rule.kind == "crew":
        if not rule.skill_id:
            errors["skill"] = "A crew rule needs a skill."
        if rule.min_level is None:
            errors["min_level"] = "A crew rule needs a minimum level (1 to 5)."
        if rule.capability_id:
            errors["capability"] = "A crew rule has no capability; clear this field."
    return errors


def _check_window(rule: TemplateRule) -> dict[str, str]:
    timeline = sample_timeline()
    if rule.start_anchor not in timeline or rule.end_anchor not in timeline:
        return {}
    if rule.start_offset_hours is None or rule.end_offset_hours is None:
        return {}
    start = timeline[rule.start_anchor] + timedelta(hours=float(rule.start_offset_hours))
    end = timeline[rule.end_anchor] + timedelta(hours=float(rule.end_offset_hours))
    sample = "load-in 06:00, show 09:00-18:00, load-out 22:00"
    if rule.repeat == "per_show_day":
        # A daily window that ends before it starts runs overnight; only an empty one is wrong.
        if (end - start) % timedelta(days=1) == timedelta(0):
            return {"end_offset_hours": f"The daily window is empty: it ends when it starts ({sample})."}
        return {}
    if end <= start:
        return {
            "end_offset_hours": (
                f"The window ends ({end:%H:%M}) before it starts ({start:%H:%M}) on a sample day ({sample})."
            )
        }
    return {}


def validate_rule(rule: TemplateRule) -> None:
    """Refuse a rule whose expressions, kind or window do not make sense, with errors next to the fields."""
    errors: dict[str, str] = {}
    parameters = rule_parameters(rule)
    names = {parameter.name for parameter in parameters if parameter.name}
    quantity = condition = None
    if rule.quantity and rule.quantity.strip():
        try:
            quantity = compile_expression(rule.quantity, names)
        except ExpressionError as error:
            errors["quantity"] = f"{str(error)[:1].upper()}{str(error)[1:]}."
    if rule.condition and rule.condition.strip():
        try:
            condition = compile_expression(rule.condition, names)
        except ExpressionError as error:
            errors["condition"] = f"{str(error)[:1].upper()}{str(error)[1:]}."
    if quantity is not None and "condition" not in errors:
        fault = _check_quantity(quantity, condition, parameters)
        if fault:
            errors["quantity"] = fault[:1].upper() + fault[1:]
    errors.update({field: message for field, message in _check_kind(rule).items() if field not in errors})
    errors.update({field: message for field, message in _check_window(rule).items() if field not in errors})
    if errors:
        raise ValidationError(errors)
