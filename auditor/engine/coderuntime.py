"""What the code generated from rules calls at run time (``codegen.py``): small exact helpers, each
the same as what the explaining evaluator computes (held to it by tests), and the markers it uses."""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction

from auditor.engine import builtins as _b
from auditor.memo import CACHE_SIZE
from auditor.source import MONEY_UNITS, Amount, Source, Text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

class _Bad(Exception):
    """Raised by generated code on a value it cannot be sure of: the element is explained instead."""


def _bad() -> Any:
    raise _Bad


def _every(cands: list, j: int, e: Any, parent: Any, raw: Any, index: int, rules: tuple) -> None:
    """Element ``e`` of path ``j`` a candidate of every rule of a fused function (``rules``: their numbers),
    as the generated code's ``cands.extend([(k, j, e, parent, raw, index) for k in rules])`` wrote it: an
    element of another class than the model's, or with a value the shared code cannot take."""
    cands.extend([(k, j, e, parent, raw, index) for k in rules])


class _Steps(Exception):
    """Raised by a generated function that computes a value once per sheet (``codegen._shared_once``) when its
    code fails (past the budget, or on a value it cannot be sure of), from the failure, with the rule's
    step count so far and the other cells it set (``args``): the calling code keeps them, as the block
    written in its place did, and raises the failure there."""


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


@functools.lru_cache(maxsize=CACHE_SIZE)
def _rate(text: str, a: Any, b: Any) -> Any:
    """builtins.rate_from_formula in integer arithmetic: each value a numerator and a denominator,
    one division at the end (the same rational; a property test holds the two equal). Kept for
    the values last asked: RATE003's first rounded row in document order asks again for rows
    whose rates the sheet's rules have just computed (a rate is a value of its arguments' values:
    ``1`` and ``Fraction(1)`` give the same)."""
    plan = _RATE_PLANS.get(text, UNSET)
    if plan is UNSET:
        tree = _b._formula_tree(text)
        plan = None if tree is None else _plan(tree)
        if len(_RATE_PLANS) >= 256:
            _RATE_PLANS.clear()
        _RATE_PLANS[text] = plan
    if plan is None:
        return None
    if a == 0:
        return 100 if b > 0 else -100 if b < 0 else 0
    try:
        p, q = plan((a.numerator, a.denominator), (b.numerator, b.denominator))
    except ZeroDivisionError:
        return None
    if q < 0:
        p, q = -p, -q
    whole, rest = divmod(p, q)
    return whole if rest == 0 else Fraction(p, q)


#: A rate formula's text -> its :func:`_plan` (None: not a rate formula). Data made from the tree,
#: closures over numbers only; bounded.
_RATE_PLANS: dict[str, Any] = {}

#: What a node of a rate formula is to the operator above it (:func:`_operand`).
_A, _B, _CONST, _CALL = range(4)


def _operand(node: tuple) -> tuple[int, Any]:
    """``(how, what)`` of a rate formula's node: ``A`` or ``B`` read directly, a number as its
    ``(numerator, denominator)``, anything else a :func:`_plan` to call."""
    kind = node[0]
    if kind == "name":
        return (_A, None) if node[1] == "A" else (_B, None)
    if kind == "num":
        return _CONST, (node[1].numerator, node[1].denominator)
    return _CALL, _plan(node)


def _plan(node: tuple) -> Any:
    """A rate formula's tree as a function ``(a, b) -> (p, q)`` of ``A`` and ``B`` as ``(numerator,
    denominator)`` pairs, computing what ``_pair`` walked the tree for at each call: each operator a
    closure, its names and numbers read in place (the usual ``(B-A)*100/A`` is three calls, not seven).
    ``ZeroDivisionError`` for a division by zero."""
    kind = node[0]
    if kind == "name" or kind == "num":
        how, what = _operand(node)
        if how == _A:
            return lambda a, b: a
        if how == _B:
            return lambda a, b: b
        return lambda a, b: what
    if kind == "neg":
        inner = _plan(node[1])

        def neg(a: tuple, b: tuple) -> tuple:
            p, q = inner(a, b)
            return -p, q
        return neg
    op = node[1]
    lhow, left = _operand(node[2])
    rhow, right = _operand(node[3])

    def both(a: tuple, b: tuple) -> tuple:
        return ((a if lhow == _A else b if lhow == _B else left if lhow == _CONST else left(a, b)),
                (a if rhow == _A else b if rhow == _B else right if rhow == _CONST else right(a, b)))

    if op == "/":
        def div(a: tuple, b: tuple) -> tuple:
            (p1, q1), (p2, q2) = both(a, b)
            if p2 == 0:
                raise ZeroDivisionError
            return p1 * q2, q1 * p2
        return div
    if op == "*":
        def mul(a: tuple, b: tuple) -> tuple:
            (p1, q1), (p2, q2) = both(a, b)
            return p1 * p2, q1 * q2
        return mul
    if op == "+":
        def add(a: tuple, b: tuple) -> tuple:
            (p1, q1), (p2, q2) = both(a, b)
            return p1 * q2 + p2 * q1, q1 * q2
        return add
    if op == "-":
        def sub(a: tuple, b: tuple) -> tuple:
            (p1, q1), (p2, q2) = both(a, b)
            return p1 * q2 - p2 * q1, q1 * q2
        return sub
    raise ValueError(f"not a rate formula operator: {op!r}")


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


#: The conventions a whole number of units is rounded by, from whether its ceiling, floor and
#: rounding each give it (in that order, as ``check_amount``'s sorted names).
_NAMED = {(c, f, r): tuple(name for name, hit in (("ceil", c), ("floor", f), ("round", r)) if hit)
          for c in (False, True) for f in (False, True) for r in (False, True)}


def _calc_conventions(computed: Any, stated: Any, unit: str) -> tuple | None:
    """``calc_conventions(computed, stated)`` of a stated amount in ``unit`` (formulas.call_plain):
    whole 원 in whole units, of a whole or fractional computed value, in integer arithmetic (as
    formula.amount._check_whole and check_amount's quotient by the unit), the rest
    through ``check_amount``. A property test holds both to ``check_amount``."""
    scale = MONEY_UNITS.get(unit)
    if scale is None:
        return None
    if (computed.__class__ is int or computed.__class__ is Fraction) and stated.__class__ is int and stated % scale == 0:
        # computed = num / den: the difference and the quotient by the unit in integers
        num, den = computed.numerator, computed.denominator
        difference, bound = stated * den - num, scale * den
        if difference == 0 or not -bound < difference < bound:
            return None
        units, magnitude = stated // scale, abs(num)
        if num < 0:
            units = -units
        return _NAMED[-(-magnitude // bound) == units, magnitude // bound == units,
                      (2 * magnitude + bound) // (2 * bound) == units]
    check = _engine_formulas()._check_values(computed, stated, unit)
    if not check.ok or check.difference_won == 0:
        return None
    return tuple(sorted(check.conventions))


def _stated_matches(computed: Any, stated: Any, unit: str) -> bool:
    """formulas.stated_matches of a computed 원 value and a stated amount in ``unit`` (a money unit)."""
    scale = MONEY_UNITS[unit]
    if stated.__class__ is int and stated % scale == 0 and (computed.__class__ is int or computed.__class__ is Fraction):
        den = computed.denominator  # -scale < stated - computed < scale, in integers
        return -scale * den < stated * den - computed.numerator < scale * den
    return _engine_formulas()._check_values(computed, stated, unit).ok


#: Per class, the plain slot under a lazily made ``source`` (:func:`auditor.source.lazy_source`), or
#: False: where an object was read, known without making its Source (see :func:`_object_position`).
_RAW_SOURCE: dict[type, Any] = {}


def _raw_source(cls: type) -> Any:
    """The reader of ``cls``'s ``source`` slot as stored, when it may hold ``Source.unchecked``'s
    arguments ``(path, line, column, text)`` until read (a lazy slot building with it); else False."""
    # inspect.getattr_static(cls, "source", None) for a class of the model (whose metaclass is type), without
    # importing inspect (about 47 M instructions of every start-up): the first of its bases to hold the name.
    found = next((base.__dict__["source"] for base in cls.__mro__ if "source" in base.__dict__), None)
    slot, build = getattr(found, "slot", None), getattr(found, "build", None)
    if slot is None or build != Source.unchecked or not hasattr(slot, "__get__"):
        return False
    return slot.__get__


def _object_position(value: Any) -> tuple:
    """builtins._position of a model object or a missing one (None): ``document_order``'s key. A
    source not yet made is read from its recipe (sorting a sheet's lines made every line's Source)."""
    raw = _RAW_SOURCE.get(value.__class__)
    if raw is None:
        raw = _RAW_SOURCE[value.__class__] = _raw_source(value.__class__)
    if raw:
        source = raw(value)
        if source.__class__ is tuple:
            path, line, column = source[0], source[1], source[2]
            return (0, path or "", line, column or 0) if line else (1, "", 0, 0)
    else:
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
