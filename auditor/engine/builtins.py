"""The few functions a rule may call: sums, rounding, the sheet's rate formula, vocabularies.

Each builtin declares its arity and result type (for the load-time check) and a
runtime function over evaluated values. ``each`` is special: its second
argument is evaluated once per element of its first, with that element's fields
in scope.
"""

from __future__ import annotations

import functools
import math
import re
from fractions import Fraction
from typing import Any, Callable

import attrs

from auditor.engine.expr import ExprSyntaxError, parse_expr
from auditor.engine.schema import ANY, BOOL, NUM, STR, list_of
from auditor.engine.values import MISSING, Missing, Num, exact, meets

__all__ = ["CODES", "SIGNATURES", "call", "normalize", "rate_from_formula", "trunc_places", "round_places"]

#: A vocabulary's ``[codes]`` table (code → official name) is kept under its name plus this suffix.
CODES = "#codes"


@attrs.frozen
class Signature:
    min_args: int
    max_args: int
    result: Any  # a static type, or "elem" for the element type of the first argument's list


SIGNATURES: dict[str, Signature] = {
    "sum": Signature(1, 1, NUM),
    "count": Signature(1, 1, NUM),
    "first": Signature(1, 1, "elem"),
    "known": Signature(1, 1, "list"),
    "unique": Signature(1, 1, "list"),
    "each": Signature(2, 2, "each"),
    "any": Signature(1, 1, BOOL),
    "all": Signature(1, 1, BOOL),
    "abs": Signature(1, 1, NUM),
    "min": Signature(1, 8, NUM),
    "max": Signature(1, 8, NUM),
    "trunc": Signature(1, 2, NUM),
    "round": Signature(1, 2, NUM),
    "places": Signature(1, 1, NUM),
    "approx": Signature(2, 2, BOOL),
    "rate": Signature(2, 2, NUM),
    "rate_formula_ok": Signature(0, 0, BOOL),
    "rate_convention": Signature(2, 2, STR),
    "norm": Signature(1, 1, STR),
    "vocab": Signature(1, 1, list_of(STR)),
    "vocab_name": Signature(2, 2, STR),
    "overlaps": Signature(2, 2, BOOL),
    "formula_won": Signature(1, 1, NUM),
    "formula_error": Signature(1, 4, STR),
    "formula_error_en": Signature(1, 4, STR),
    "formula_error_at": Signature(1, 4, NUM),
    "calc_conventions": Signature(2, 2, list_of(STR)),
    "label": Signature(1, 1, STR),
    "document_order": Signature(1, 1, "list"),
    "convention_name": Signature(2, 2, "list"),
}

#: Rounding conventions by name, as ``calc_conventions`` and ``rate_convention`` give them.
CONVENTION_NAMES = {
    "ko": {"ceil": "올림", "round": "반올림", "floor": "절사(버림)", "trunc": "버림"},
    "en": {"ceil": "rounding up", "round": "rounding", "floor": "truncation", "trunc": "truncation"},
}

#: Builtins that need to know where their text argument was read.
_WITH_SOURCE = frozenset({"formula_won", "formula_error_at"})
#: Builtins that take the first present argument (the formula, else the label that may hold one).
_FIRST_PRESENT = frozenset({"formula_error", "formula_error_en"})

_MIDDLE_DOTS = str.maketrans({"ㆍ": "·", "・": "·", "‧": "·", "∙": "·", "•": "·"})


def normalize(text: str) -> str:
    """Compare names as a reader would: no spaces, one middle dot, no surrounding brackets."""
    text = re.sub(r"\s+", "", text.translate(_MIDDLE_DOTS))
    if len(text) > 1 and text[0] in "[［【(" and text[-1] in "]］】)":
        text = text[1:-1]
    return text


def trunc_places(x: Fraction, places: int = 0) -> Fraction:
    q = Fraction(10) ** places
    return Fraction(math.trunc(x * q)) / q


def round_places(x: Fraction, places: int = 0) -> Fraction:
    """Round half away from zero, as Korean budget sheets do."""
    q = Fraction(10) ** places
    magnitude = math.floor(abs(x) * q + Fraction(1, 2))
    return Fraction(magnitude if x >= 0 else -magnitude) / q


_FORMULA_TEXT = str.maketrans({"×": "*", "÷": "/", "−": "-", "–": "-", "Ｂ": "B", "Ａ": "A"})


def _formula_tree(text: str) -> tuple | None:
    """The header's rate formula as an AST over ``A`` and ``B``, or ``None`` when it is not one."""
    try:
        tree = parse_expr(text.translate(_FORMULA_TEXT).replace("x", "*").replace("X", "*"))
    except ExprSyntaxError:
        return None

    def ok(node: tuple) -> bool:
        if node[0] == "num":
            return True
        if node[0] == "name":
            return node[1] in ("A", "B")
        if node[0] == "neg":
            return ok(node[1])
        if node[0] == "bin":
            return node[1] in "+-*/" and ok(node[2]) and ok(node[3])
        return False

    return tree if ok(tree) else None


def rate_from_formula(text: str, a: Fraction, b: Fraction) -> Fraction | None:
    """The rate the header formula gives; A = 0 shows 100 (or 0, or -100) by convention."""
    tree = _formula_tree(text)
    if tree is None:
        return None
    if a == 0:
        return Fraction(100 if b > 0 else -100 if b < 0 else 0)

    def ev(node: tuple) -> Fraction:
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind == "name":
            return a if node[1] == "A" else b
        if kind == "neg":
            return -ev(node[1])
        left, right = ev(node[2]), ev(node[3])
        if node[1] == "/":
            if right == 0:
                raise ZeroDivisionError
            return left / right
        return {"+": left + right, "-": left - right, "*": left * right}[node[1]]

    try:
        return ev(tree)
    except ZeroDivisionError:
        return None


def _rate_formula(env: Any) -> str | None:
    from auditor.engine.evaluate import get_field

    found, summary = get_field(env.root, "summary", None)
    if not found or isinstance(summary, Missing):
        return None
    found, text = get_field(summary, "rate_formula", None)
    return None if not found or isinstance(text, Missing) else text


def call(name: str, arg_nodes: tuple, env: Any, evaluate: Callable) -> Any:
    from auditor.engine.evaluate import RuleTypeError, _equal

    if name == "each":
        items = evaluate(arg_nodes[0], env)
        if isinstance(items, Missing):
            return MISSING
        out = []
        for item in items:
            env.inner.append(item)
            try:
                out.append(evaluate(arg_nodes[1], env))
            finally:
                env.inner.pop()
        return tuple(out)
    if name in _WITH_SOURCE:
        for node in arg_nodes:  # the first argument that is present, with where it was read
            mark = len(env.touched)
            text = evaluate(node, env)
            if isinstance(text, Missing):
                continue
            if not isinstance(text, str):
                raise RuleTypeError(f"{name}() needs the formula text")
            from auditor.engine.formulas import call_with_source

            return call_with_source(name, text, env.touched[mark:])
        return MISSING
    args = [evaluate(a, env) for a in arg_nodes]
    if name in _FIRST_PRESENT:
        args = [next((a for a in args if not isinstance(a, Missing)), MISSING)]

    def num(x: Any) -> Num:
        if not isinstance(x, Num):
            raise RuleTypeError(f"{name}() needs numbers")
        return x

    def seq(x: Any) -> tuple:
        if not isinstance(x, tuple):
            raise RuleTypeError(f"{name}() needs a list")
        return x

    if name in ("known", "first", "count", "unique"):
        if isinstance(args[0], Missing):
            return MISSING
        items = seq(args[0])
        if name == "known":
            return tuple(x for x in items if not isinstance(x, Missing))
        if name == "first":
            return items[0] if items else MISSING
        if name == "count":
            return exact(len(items))
        kept: list[Any] = []
        for x in items:
            if not any(type(x) is type(k) and _equal(x, k) for k in kept):
                kept.append(x)
        return tuple(kept)
    if any(isinstance(a, Missing) for a in args):
        return MISSING
    if name == "label":
        x = num(args[0])
        return x.sources[0][1] if x.sources and x.sources[0][1] else MISSING
    if name == "document_order":
        return tuple(sorted(seq(args[0]), key=_position))
    if name == "convention_name":
        names = CONVENTION_NAMES.get(args[1])
        if names is None:
            raise RuleTypeError("convention_name() takes \"ko\" or \"en\"")
        if isinstance(args[0], tuple):
            return tuple(names.get(x, x) for x in args[0])
        return names.get(args[0], args[0])
    if name == "sum":
        items = seq(args[0])
        if any(isinstance(x, Missing) for x in items):
            return MISSING
        total = exact(0)
        for x in items:
            total = total + num(x)
        return total
    if name in ("any", "all"):
        flags = [x for x in seq(args[0]) if not isinstance(x, Missing)]
        if not all(isinstance(f, bool) for f in flags):
            raise RuleTypeError(f"{name}() needs a list of truth values")
        return any(flags) if name == "any" else all(flags)
    if name == "abs":
        x = num(args[0])
        return -x if x.value < 0 else x
    if name in ("min", "max"):
        items = seq(args[0]) if len(args) == 1 else tuple(args)
        if not items or any(isinstance(x, Missing) for x in items):
            return MISSING
        pick = min if name == "min" else max
        return pick((num(x) for x in items), key=lambda n: n.value)
    if name in ("trunc", "round"):
        x = num(args[0])
        places = int(num(args[1]).value) if len(args) > 1 else 0
        fn = trunc_places if name == "trunc" else round_places
        return Num(fn(x.value, places), unit=x.unit, sources=x.sources)
    if name == "places":
        x = num(args[0])
        return MISSING if x.places is None else exact(x.places)
    if name == "approx":
        return meets(num(args[0]), num(args[1]))
    if name == "rate":
        text = _rate_formula(env)
        if text is None:
            return MISSING
        value = rate_from_formula(text, num(args[0]).value, num(args[1]).value)
        return MISSING if value is None else Num(value, unit="%", sources=args[0].sources + args[1].sources)
    if name == "rate_formula_ok":
        text = _rate_formula(env)
        return MISSING if text is None else _formula_tree(text) is not None
    if name == "rate_convention":
        stated, computed = num(args[0]), num(args[1])
        places = stated.places or 0
        by_trunc = stated.value == trunc_places(computed.value, places)
        by_round = stated.value == round_places(computed.value, places)
        if by_trunc == by_round:
            return MISSING
        return "trunc" if by_trunc else "round"
    if name == "norm":
        if not isinstance(args[0], str):
            raise RuleTypeError("norm() needs text")
        return normalize(args[0])
    if name == "vocab":
        return env.vocab.get(args[0], ())
    if name == "vocab_name":
        if not isinstance(args[1], str):
            raise RuleTypeError("vocab_name() looks up a code written as text")
        return _codes(env.vocab.get(args[0] + CODES, ())).get(args[1].strip(), MISSING)
    if name == "overlaps":
        return bool(set(seq(args[0])) & set(seq(args[1])))
    if name in ("formula_error", "formula_error_en", "calc_conventions"):
        from auditor.engine.formulas import call_plain

        return call_plain(name, args)
    raise RuleTypeError(f"unknown function {name}()")


@functools.lru_cache(maxsize=8)
def _codes(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(pairs)


def _position(value: Any) -> tuple:
    """Where a value was read: ``(path, line, column)``; values read nowhere sort last, in their order."""
    source = None
    if isinstance(value, Num):
        source = value.sources[0][0] if value.sources else None
    else:
        source = getattr(value, "source", None) if attrs.has(type(value)) else None
    if source is None or not getattr(source, "line", 0):
        return (1, "", 0, 0)
    return (0, source.path or "", source.line, source.column or 0)


def result_type(name: str, arg_types: list[Any]) -> Any:
    """The static result type of a builtin, from its arguments' static types."""
    sig = SIGNATURES[name]
    if sig.result == "elem":
        t = arg_types[0]
        return t[1] if isinstance(t, tuple) and t[0] == "list" else ANY
    if sig.result == "list":
        return arg_types[0]
    return sig.result
