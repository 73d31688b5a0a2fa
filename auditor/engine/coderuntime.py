"""What the code generated from rules calls at run time (``codegen.py``): small exact helpers, each
the same as what the explaining evaluator computes (held to it by tests), and the markers it uses."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from auditor.engine import builtins as _b
from auditor.source import MONEY_UNITS, Amount, Text

class _Bad(Exception):
    """Raised by generated code on a value it cannot be sure of: the element is explained instead."""


def _bad() -> Any:
    raise _Bad


class _Unset:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


def _places(amount: Amount) -> int:
    """The decimals printed in an amount (values.from_amount's ``places``)."""
    value = amount.value
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int):
            return max(0, -exponent)
    return 0


def _rate_text(sheet: Any) -> str | None:
    """The summary header's rate formula (builtins._rate_formula)."""
    summary = sheet.summary
    if summary is None:
        return None
    text = summary.rate_formula
    if text is None:
        return None
    if text.__class__ is not Text:
        raise _Bad
    return text.value


def _rate(text: str, a: Any, b: Any) -> Any:
    """builtins.rate_from_formula in integer arithmetic: each value a numerator and a denominator,
    one division at the end (the same rational; a property test holds the two equal)."""
    tree = _b._formula_tree(text)
    if tree is None:
        return None
    if a == 0:
        return 100 if b > 0 else -100 if b < 0 else 0
    try:
        p, q = _pair(tree, (a.numerator, a.denominator), (b.numerator, b.denominator))
    except ZeroDivisionError:
        return None
    if q < 0:
        p, q = -p, -q
    whole, rest = divmod(p, q)
    return whole if rest == 0 else Fraction(p, q)


def _pair(node: tuple, a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    kind = node[0]
    if kind == "num":
        return node[1].numerator, node[1].denominator
    if kind == "name":
        return a if node[1] == "A" else b
    if kind == "neg":
        p, q = _pair(node[1], a, b)
        return -p, q
    (p1, q1), (p2, q2) = _pair(node[2], a, b), _pair(node[3], a, b)
    op = node[1]
    if op == "/":
        if p2 == 0:
            raise ZeroDivisionError
        return p1 * q2, q1 * p2
    if op == "*":
        return p1 * p2, q1 * q2
    if op == "+":
        return p1 * q2 + p2 * q1, q1 * q2
    return p1 * q2 - p2 * q1, q1 * q2


def _rate_convention(stated: Any, amount: Amount, computed: Any) -> str | None:
    """``rate_convention(stated, computed)``: compares ``stated`` with ``computed`` truncated and
    rounded to the stated decimals in integer arithmetic (``stated == trunc_places(computed, places)``
    is ``stated * 10**places == `` the truncated integer; the same for rounding)."""
    places = _places(amount)
    scale = 10 ** places
    if computed.__class__ is int:
        truncated = rounded = computed * scale
    elif computed.__class__ is Fraction:
        num, den = computed.numerator, computed.denominator
        truncated, rounded = abs(num) * scale // den, (2 * abs(num) * scale + den) // (2 * den)
        if num < 0:
            truncated, rounded = -truncated, -rounded
    else:
        truncated = rounded = None
    if truncated is not None and (stated.__class__ is int or stated.__class__ is Fraction):
        scaled = stated * scale
        by_trunc, by_round = scaled == truncated, scaled == rounded
    else:
        by_trunc = stated == _b.trunc_places(computed, places)
        by_round = stated == _b.round_places(computed, places)
    if by_trunc == by_round:
        return None
    return "trunc" if by_trunc else "round"


#: auditor.engine.formulas (and through it the formula package), set when a rule is first compiled:
#: ``auditor rules`` never needs it.
_formulas: Any = None


def _engine_formulas() -> Any:
    """auditor.engine.formulas, imported on first need (a helper called before any rule is compiled)."""
    global _formulas
    if _formulas is None:
        from auditor.engine import formulas

        _formulas = formulas
    return _formulas


def _error_reason(text: str) -> str | None:
    found = _formulas._attempt(text)
    return None if found is None else found[1].reason


def _error_reason_en(text: str) -> str | None:
    found = _formulas._attempt(text)
    return None if found is None else found[1].reason_en


def _calc_conventions(computed: Any, stated: Any, unit: str) -> tuple | None:
    """``calc_conventions(computed, stated)`` of a stated amount in ``unit`` (formulas.call_plain):
    whole 원 in whole units in integer arithmetic (as formula.amount._check_whole), the rest
    through ``check_amount``. A property test holds both to ``check_amount``."""
    scale = MONEY_UNITS.get(unit)
    if scale is None:
        return None
    if computed.__class__ is int and stated.__class__ is int and stated % scale == 0:
        difference = stated - computed
        if difference == 0 or not -scale < difference < scale:
            return None
        units, magnitude = stated // scale, abs(computed)
        sign = 1 if computed >= 0 else -1
        return tuple(name for name, whole in (
            ("ceil", -(-magnitude // scale)), ("floor", magnitude // scale),
            ("round", (2 * magnitude + scale) // (2 * scale))) if sign * whole == units)
    check = _engine_formulas()._check_values(computed, stated, unit)
    if not check.ok or check.difference_won == 0:
        return None
    return tuple(sorted(check.conventions))


def _stated_matches(computed: Any, stated: Any, unit: str) -> bool:
    """formulas.stated_matches of a computed 원 value and a stated amount in ``unit`` (a money unit)."""
    scale = MONEY_UNITS[unit]
    if stated.__class__ is int and stated % scale == 0 and (computed.__class__ is int or computed.__class__ is Fraction):
        return -scale < stated - computed < scale
    return _engine_formulas()._check_values(computed, stated, unit).ok


def _object_position(value: Any) -> tuple:
    """builtins._position of a model object or a missing one (None): ``document_order``'s key."""
    source = getattr(value, "source", None)
    if source is None or not source.line:
        return (1, "", 0, 0)
    return (0, source.path or "", source.line, source.column or 0)


def _one_of(row: Any, rows: Any) -> bool:
    """Is ``row`` one of ``rows`` (the same object, as the evaluator's ``in`` on rows)?"""
    for x in rows:
        if x is row:
            return True
    return False
