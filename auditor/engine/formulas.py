"""The bridge from rules to the 산출근거 formula module: formula values, errors and rounding conventions."""

from __future__ import annotations

import functools
from fractions import Fraction

from auditor.engine.values import EXACT, MISSING, Num, Rational, divide, rational
from auditor.formula import FormulaError, check_amount, formula_attempt, parse_formula
from auditor.formula.nodes import exact_value
from auditor.source import MONEY_UNITS, Source
from auditor.memo import CACHE_SIZE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["call_with_source", "call_plain", "stated_matches"]


def _parse(text: str) -> tuple[Any, FormulaError | None]:
    try:
        tree = parse_formula(text)
        return tree, None
    except FormulaError as exc:
        return None, exc


def _attempt(text: str) -> tuple[int, FormulaError] | None:
    """``(column in text, error)`` when ``text`` holds a formula attempt that does not parse.

    ``text`` is a formula, or a label in which the reader found none; what counts as an
    attempt is :func:`auditor.formula.formula_attempt` (a tail with a money figure).
    """
    found = formula_attempt(text)
    if found is None:
        return None
    start, err = found
    return start + err.column, err


@functools.lru_cache(maxsize=CACHE_SIZE)
def _value(text: str) -> Rational | None:
    tree, err = _parse(text)
    if err is not None:
        return None
    try:
        return rational(exact_value(tree))
    except FormulaError:
        return None


def call_with_source(name: str, text: str, touched: list[tuple[Source, str]]) -> Any:
    """``formula_won(f)`` (exact 원, sourced at the formula) and ``formula_error_at(f)`` (its column)."""
    where = touched[-1] if touched else None
    if name == "formula_won":
        value = _value(text)
        if value is None:
            return MISSING
        return Num(value, EXACT, "원", (where,) if where else ())
    found = _attempt(text)
    if found is None:
        return MISSING
    column, _ = found
    if where is None:
        return Num(column)
    src, label = where
    at = Source(src.path, src.line, src.column + max(column - 1, 0), src.text)
    return Num(column, EXACT, None, ((at, label),))


def call_plain(name: str, args: list[Any]) -> Any:
    if name in ("formula_error", "formula_error_en"):
        found = _attempt(args[0])
        if found is None:
            return MISSING
        return found[1].reason if name == "formula_error" else found[1].reason_en
    computed, stated = args
    if not (isinstance(computed, Num) and isinstance(stated, Num) and stated.is_money):
        return MISSING
    check = _check(computed, stated)
    if not check.ok or check.difference_won == 0:
        return MISSING
    return tuple(sorted(check.conventions))


def _check(computed: Num, stated: Num):
    return _check_values(computed.value, stated.value, stated.unit)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _check_values(computed: Rational, stated_won: Rational, unit: str):
    """:func:`auditor.formula.check_amount` of a computed 원 value and a stated amount (cached)."""
    scale = MONEY_UNITS[unit]
    stated_value = Fraction(divide(stated_won, scale))
    if stated_value.denominator != 1:
        from decimal import Decimal

        stated_value = Decimal(stated_value.numerator) / Decimal(stated_value.denominator)
    else:
        stated_value = int(stated_value)
    return check_amount(computed, stated_value, unit)


def stated_matches(computed: Num, stated: Num) -> bool:
    """The stated amount is the computed 원 under some rounding convention (올림, 반올림, 절사)."""
    return _check(computed, stated).ok
