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
from collections.abc import Callable
from fractions import Fraction

from auditor import recache
from auditor.engine.schema import ANY, BOOL, NUM, STR, list_of
from auditor.engine import expr as nodes
from auditor.engine.expr import MAX_TREE_DEPTH, ExprSyntaxError, check_limits, tree_depth
from auditor.engine.values import MISSING, Missing, Num, Rational, divide, exact, meets
from auditor.memo import CACHE_SIZE
from auditor.plain import Field, Frozen, frozen, has

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_set = object.__setattr__

__all__ = ["BUILTINS", "CODES", "Builtin", "builtin", "normalize", "rate_from_formula", "trunc_places", "round_places"]

#: A vocabulary's ``[codes]`` table (code → official name) is kept under its name plus this suffix.
CODES = "#codes"


#: Rounding conventions by name, as ``calc_conventions`` and ``rate_convention`` give them.
CONVENTION_NAMES = {
    "ko": {"ceil": "올림", "round": "반올림", "floor": "절사(버림)", "trunc": "버림"},
    "en": {"ceil": "rounding up", "round": "rounding", "floor": "truncation", "trunc": "truncation"},
}

_MIDDLE_DOTS = str.maketrans({"ㆍ": "·", "・": "·", "‧": "·", "∙": "·", "•": "·"})


@functools.lru_cache(maxsize=CACHE_SIZE)
def normalize(text: str) -> str:
    """Compare names as a reader would: no spaces, one middle dot, no surrounding brackets."""
    text = re.sub(r"\s+", "", text.translate(_MIDDLE_DOTS))
    if len(text) > 1 and text[0] in "[［【(" and text[-1] in "]］】)":
        text = text[1:-1]
    return text


def trunc_places(x: Rational, places: int = 0) -> Rational:
    """Toward zero, to ``places`` decimals (in integer arithmetic when it can be: the same value)."""
    if places >= 0:
        if type(x) is int:  # already whole
            return x
        if type(x) is Fraction:  # its sign is its numerator's (no Fraction comparison)
            q, num = 10 ** places, x.numerator
            whole = num * q // x.denominator if num >= 0 else -(-num * q // x.denominator)
            return whole if q == 1 else divide(whole, q)
    q = 10 ** places
    return divide(math.trunc(x * q), q)


def round_places(x: Rational, places: int = 0) -> Rational:
    """Round half away from zero, as Korean budget sheets do (in integer arithmetic when it can be)."""
    if places >= 0:
        if type(x) is int:  # already whole
            return x
        if type(x) is Fraction:  # its sign is its numerator's (no Fraction comparison)
            q, num, d = 10 ** places, x.numerator, x.denominator
            magnitude = (2 * abs(num) * q + d) // (2 * d)  # floor(|x| * q + 1/2)
            signed = magnitude if num >= 0 else -magnitude
            return signed if q == 1 else divide(signed, q)
    q = 10 ** places
    magnitude = math.floor(abs(x) * q + Fraction(1, 2))
    return divide(magnitude if x >= 0 else -magnitude, q)


_FORMULA_TEXT = str.maketrans({"×": "*", "÷": "/", "−": "-", "–": "-", "－": "-", "＋": "+", "＊": "*", "／": "/",
                                "（": "(", "）": ")", "Ｂ": "B", "Ａ": "A"})


#: What a rate formula is made of, once its spellings are read (_FORMULA_TEXT): the rule language's
#: numbers, the names A and B, + - * /, brackets and blanks.
_RATE_CHARS = recache.compile(r"[0-9.AB+\-*/() \t\r\n]*")
_RATE_NUMBER = recache.compile(r"[0-9]+(?:\.[0-9]+)?")  # the rule language's number token
_AST_OPS = {"Add": "+", "Sub": "-", "Mult": "*", "Div": "/"}


@functools.lru_cache(maxsize=256)
def _formula_tree(text: str) -> nodes.Node | None:
    """The header's rate formula as a rule-language AST over ``A`` and ``B``, or ``None`` when it is not one.

    That is an expression of the rule language (``parse_expr``) made only of numbers, ``A``, ``B``,
    ``+ - * /``, unary minus and brackets, within its limits. Every sheet has one, and the rule
    language's pyparsing grammar would cost each process its import and build; for this subset
    Python's own expression parser (:mod:`ast`, in C) reads the same trees: the same precedence,
    associativity and brackets, once each number is a placeholder name (so ``0100`` and ``1.50``
    read as the rule language reads them). ``tests/test_engine_rate_formula.py`` shows both agree.
    """
    source = text.translate(_FORMULA_TEXT).replace("x", "*").replace("X", "*")
    if not source.strip() or _RATE_CHARS.fullmatch(source) is None:
        return None
    try:
        check_limits(source)
    except ExprSyntaxError:
        return None
    values: list[Fraction] = []

    def placeholder(m: re.Match) -> str:
        values.append(Fraction(m[0]))
        return f"_{len(values) - 1}_"

    import _ast as ast  # its node classes, in C: what ast.parse is, without ast.py's import (about 6 M instructions)

    try:
        tree = compile(" ".join(_RATE_NUMBER.sub(placeholder, source).split()), "<unknown>", "eval",
                       ast.PyCF_ONLY_AST).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None

    def node(n: ast.AST) -> nodes.Node:
        if isinstance(n, ast.BinOp) and type(n.op).__name__ in _AST_OPS:
            return nodes.Bin(_AST_OPS[type(n.op).__name__], node(n.left), node(n.right))
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            return nodes.Neg(node(n.operand))
        if isinstance(n, ast.Name) and n.id in ("A", "B"):
            return nodes.Name(n.id)
        if isinstance(n, ast.Name) and n.id.startswith("_") and n.id.endswith("_") and n.id[1:-1].isdigit():
            return nodes.Num(values[int(n.id[1:-1])])
        raise ValueError(n)

    try:
        found = node(tree)
    except (ValueError, RecursionError):
        return None
    return found if tree_depth(found) <= MAX_TREE_DEPTH else None


@functools.lru_cache(maxsize=4096)
def rate_from_formula(text: str, a: Rational, b: Rational) -> Rational | None:
    """The rate the header formula gives; A = 0 shows 100 (or 0, or -100) by convention."""
    tree = _formula_tree(text)
    if tree is None:
        return None
    if a == 0:
        return 100 if b > 0 else -100 if b < 0 else 0

    def ev(node: Any) -> Rational:
        kind = node.kind
        if kind == "num":
            return node.value
        if kind == "name":
            return a if node.name == "A" else b
        if kind == "neg":
            return -ev(node.operand)
        left, right = ev(node.left), ev(node.right)
        if node.op == "/":
            if right == 0:
                raise ZeroDivisionError
            return divide(left, right)
        return {"+": left + right, "-": left - right, "*": left * right}[node.op]

    try:
        return ev(tree)
    except ZeroDivisionError:
        return None


def _rate_formula(env: Any) -> str | None:
    """The summary header's rate formula text."""
    from auditor.engine.evaluate import get_field

    text = None
    found, summary = get_field(env.root, "summary", None)
    if found and not isinstance(summary, Missing):
        found, text = get_field(summary, "rate_formula", None)
        text = None if not found or isinstance(text, Missing) else text
    return text


def _type_error(message: str) -> Exception:
    from auditor.engine.evaluate import RuleTypeError

    return RuleTypeError(message)


def _num_arg(name: str, x: Any) -> Num:
    if type(x) is not Num:
        raise _type_error(f"{name}() needs numbers")
    return x


def _seq_arg(name: str, x: Any) -> tuple:
    if type(x) is not tuple:
        raise _type_error(f"{name}() needs a list")
    return x


def _each(args: tuple, env: Any) -> Any:
    items = args[0](env)
    if items is MISSING:
        return MISSING
    if type(items) is tuple:
        env.spend(len(items))
    body, inner, out = args[1], env.inner, []
    for item in items:
        inner.append(item)
        try:
            out.append(body(env))
        finally:
            inner.pop()
    return tuple(out)


def _with_source(name: str) -> Callable[[tuple, Any], Any]:
    def with_source(args: tuple, env: Any) -> Any:
        for arg in args:  # the first argument that is present, with where it was read
            mark = len(env.touched)
            text = arg(env)
            if text is MISSING:
                continue
            if type(text) is not str:
                raise _type_error(f"{name}() needs the formula text")
            from auditor.engine.formulas import call_with_source

            return call_with_source(name, text, env.touched[mark:])
        return MISSING
    return with_source


def _listing(name: str, values: list[Any]) -> Any:
    from auditor.engine.evaluate import _equal

    if values[0] is MISSING:
        return MISSING
    items = _seq_arg(name, values[0])
    if name == "known":
        return tuple([x for x in items if x is not MISSING])
    if name == "first":
        return items[0] if items else MISSING
    if name == "count":
        return exact(len(items))
    kept: list[Any] = []
    for x in items:
        if not any(type(x) is type(k) and _equal(x, k) for k in kept):
            kept.append(x)
    return tuple(kept)


def _label(values: list[Any], env: Any) -> Any:
    x = _num_arg("label", values[0])
    return x.sources[0][1] if x.sources and x.sources[0][1] else MISSING


def _document_order(values: list[Any], env: Any) -> Any:
    return tuple(sorted(_seq_arg("document_order", values[0]), key=_position))


def _convention_name(values: list[Any], env: Any) -> Any:
    names = CONVENTION_NAMES.get(values[1])
    if names is None:
        raise _type_error("convention_name() takes \"ko\" or \"en\"")
    if type(values[0]) is tuple:
        return tuple(names.get(x, x) for x in values[0])
    return names.get(values[0], values[0])


def _sum(values: list[Any], env: Any) -> Any:
    items = _seq_arg("sum", values[0])
    if any(x is MISSING for x in items):
        return MISSING
    total = exact(0)
    for x in items:
        total = total + _num_arg("sum", x)
    return total


def _any_all(name: str) -> Callable[[list[Any], Any], Any]:
    def truth(values: list[Any], env: Any) -> Any:
        flags = [x for x in _seq_arg(name, values[0]) if x is not MISSING]
        if not all(isinstance(f, bool) for f in flags):
            raise _type_error(f"{name}() needs a list of truth values")
        return any(flags) if name == "any" else all(flags)
    return truth


def _abs(values: list[Any], env: Any) -> Any:
    x = _num_arg("abs", values[0])
    return -x if x.value < 0 else x


def _min_max(name: str) -> Callable[[list[Any], Any], Any]:
    pick = min if name == "min" else max

    def extreme(values: list[Any], env: Any) -> Any:
        items = _seq_arg(name, values[0]) if len(values) == 1 else tuple(values)
        if not items or any(x is MISSING for x in items):
            return MISSING
        return pick((_num_arg(name, x) for x in items), key=lambda n: n.value)
    return extreme


def _rounding(name: str) -> Callable[[list[Any], Any], Any]:
    fn = trunc_places if name == "trunc" else round_places

    def rounded(values: list[Any], env: Any) -> Any:
        x = _num_arg(name, values[0])
        places = int(_num_arg(name, values[1]).value) if len(values) > 1 else 0
        return Num(fn(x.value, places), unit=x.unit, sources=x.sources)
    return rounded


def _places(values: list[Any], env: Any) -> Any:
    x = _num_arg("places", values[0])
    return MISSING if x.places is None else exact(x.places)


def _approx(values: list[Any], env: Any) -> Any:
    return meets(_num_arg("approx", values[0]), _num_arg("approx", values[1]))


def _rate(values: list[Any], env: Any) -> Any:
    text = _rate_formula(env)
    if text is None:
        return MISSING
    a, b = _num_arg("rate", values[0]), _num_arg("rate", values[1])
    value = rate_from_formula(text, a.value, b.value)
    return MISSING if value is None else Num(value, unit="%", sources=a.sources + b.sources)


def _rate_formula_ok(values: list[Any], env: Any) -> Any:
    text = _rate_formula(env)
    return MISSING if text is None else _formula_tree(text) is not None


def _rate_convention(values: list[Any], env: Any) -> Any:
    stated, computed = _num_arg("rate_convention", values[0]), _num_arg("rate_convention", values[1])
    places = stated.places or 0
    by_trunc = stated.value == trunc_places(computed.value, places)
    by_round = stated.value == round_places(computed.value, places)
    if by_trunc == by_round:
        return MISSING
    return "trunc" if by_trunc else "round"


def _norm(values: list[Any], env: Any) -> Any:
    if type(values[0]) is not str:
        raise _type_error("norm() needs text")
    return normalize(values[0])


def _vocab(values: list[Any], env: Any) -> Any:
    return env.vocab.get(values[0], ())


def _vocab_name(values: list[Any], env: Any) -> Any:
    if type(values[1]) is not str:
        raise _type_error("vocab_name() looks up a code written as text")
    return _codes(env.vocab.get(values[0] + CODES, ())).get(values[1].strip(), MISSING)


@functools.lru_cache(maxsize=8)
def _codes(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """A ``[codes]`` table as a dict (the few vocabularies' tables, made once each)."""
    return dict(pairs)


def _overlaps(values: list[Any], env: Any) -> Any:
    return bool(set(_seq_arg("overlaps", values[0])) & set(_seq_arg("overlaps", values[1])))


def _plain_formula(name: str) -> Callable[[list[Any], Any], Any]:
    def plain(values: list[Any], env: Any) -> Any:
        from auditor.engine.formulas import call_plain

        return call_plain(name, values)
    return plain


def _in_force(values: list[Any], env: Any) -> Any:
    from auditor.engine.documents import in_force

    lines = _seq_arg("in_force", values[0])
    if len(values) > 1 and type(values[1]) is not str:
        raise _type_error("in_force() takes a version's name (예산구분) as text")
    return tuple(in_force(lines, values[1] if len(values) > 1 else None))


def _budget_version(args: tuple, env: Any) -> Any:
    from auditor.engine.documents import budget_version

    text = args[0](env)
    if text is not MISSING and type(text) is not str:
        raise _type_error("budget_version() needs text")
    return budget_version(None if text is MISSING else text)


def _label_key(values: list[Any], env: Any) -> Any:
    from auditor.engine.documents import label_key

    if type(values[0]) is not str:
        raise _type_error("label_key() needs text")
    return label_key(values[0])


def _file(values: list[Any], env: Any) -> Any:
    from auditor.engine.documents import file_of

    x = values[0]
    if type(x) is Num:
        return x.sources[0][0].path if x.sources else MISSING
    if not has(type(x)):
        raise _type_error("file() needs a row of a document, or a number read from one")
    path = file_of(x)
    return MISSING if path is None else path


def builtin(name: str) -> Callable[[tuple, Any], Any]:
    """The runtime function of builtin ``name``: it takes the arguments as closures and the Env."""
    found = BUILTINS.get(name)
    if found is None:
        def unknown(args: tuple, env: Any) -> Any:
            raise _type_error(f"unknown function {name}()")
        return unknown
    run = found.run
    if found.takes == "lazy":
        return run
    if found.takes == "listing":
        def listing(args: tuple, env: Any) -> Any:
            return _listing(name, [arg(env) for arg in args])
        return listing
    first_present = found.takes == "first present"

    def call(args: tuple, env: Any) -> Any:
        values = [arg(env) for arg in args]
        if first_present:
            values = [next((a for a in values if a is not MISSING), MISSING)]
        for value in values:
            if value is MISSING:
                return MISSING
        return run(values, env)
    return call


def _position(value: Any) -> tuple:
    """Where a value was read: ``(path, line, column)``; values read nowhere sort last, in their order."""
    source = None
    if isinstance(value, Num):
        source = value.sources[0][0] if value.sources else None
    else:
        source = getattr(value, "source", None) if has(type(value)) else None
    if source is None or not getattr(source, "line", 0):
        return (1, "", 0, 0)
    return (0, source.path or "", source.line, source.column or 0)


def result_type(name: str, arg_types: list[Any]) -> Any:
    """The static result type of a builtin, from its arguments' static types."""
    result = BUILTINS[name].result
    if result == "elem":
        t = arg_types[0]
        return t[1] if isinstance(t, tuple) and t[0] == "list" else ANY
    if result == "list":
        return arg_types[0]
    return result


class Builtin(Frozen):
    """A function rules may call, declared once: what the load-time check needs and how it runs.

    ``args`` is the kind each argument must have, the last repeating (``"list"``, ``NUM``,
    ``STR``, or ``None`` for any; empty: checked otherwise, as ``min``'s or ``vocab``'s).
    ``result`` is a static type, or ``"elem"`` (the item type of its list), ``"list"`` (its first
    argument's type) or ``"each"``. ``takes`` says how ``run`` gets its arguments: ``"strict"``
    (evaluated; a missing one makes the result missing), ``"first present"`` (the first present
    one, then as strict), ``"listing"`` (evaluated, a missing list handled by :func:`_listing`) or
    ``"lazy"`` (as closures, with the Env: it evaluates them itself). The rule compiler
    (``codegen.py``) has its own code for each, held to these by the differential test.
    """

    __slots__ = ("name", "min_args", "max_args", "args", "result", "takes", "run", "__weakref__")
    name: str
    min_args: int
    max_args: int
    args: tuple[Any, ...]
    result: Any
    takes: str
    run: Callable[..., Any] | None

    def __init__(self, name: str, min_args: int, max_args: int, args: tuple[Any, ...], result: Any,
                 takes: str = "strict", run: Callable[..., Any] | None = None) -> None:
        _set(self, "name", name)
        _set(self, "min_args", min_args)
        _set(self, "max_args", max_args)
        _set(self, "args", args)
        _set(self, "result", result)
        _set(self, "takes", takes)
        _set(self, "run", run)


#: Written out (auditor.plain), where attrs.frozen compiled its methods at every import: tests/test_plain.py.
frozen(Builtin, Field("name"), Field("min_args"), Field("max_args"), Field("args"), Field("result"),
       Field("takes", default="strict"), Field("run", default=None, eq=False, repr=False))


_L = "list"
BUILTINS: dict[str, Builtin] = {b.name: b for b in (
    Builtin("sum", 1, 1, (_L,), NUM, run=_sum),
    Builtin("count", 1, 1, (_L,), NUM, "listing"),
    Builtin("first", 1, 1, (_L,), "elem", "listing"),
    Builtin("known", 1, 1, (_L,), "list", "listing"),
    Builtin("unique", 1, 1, (_L,), "list", "listing"),
    Builtin("each", 2, 2, (_L,), "each", "lazy", _each),
    Builtin("any", 1, 1, (_L,), BOOL, run=_any_all("any")),
    Builtin("all", 1, 1, (_L,), BOOL, run=_any_all("all")),
    Builtin("abs", 1, 1, (NUM,), NUM, run=_abs),
    Builtin("min", 1, 8, (), NUM, run=_min_max("min")),
    Builtin("max", 1, 8, (), NUM, run=_min_max("max")),
    Builtin("trunc", 1, 2, (NUM,), NUM, run=_rounding("trunc")),
    Builtin("round", 1, 2, (NUM,), NUM, run=_rounding("round")),
    Builtin("places", 1, 1, (NUM,), NUM, run=_places),
    Builtin("approx", 2, 2, (NUM,), BOOL, run=_approx),
    Builtin("rate", 2, 2, (NUM,), NUM, run=_rate),
    Builtin("rate_formula_ok", 0, 0, (), BOOL, run=_rate_formula_ok),
    Builtin("rate_convention", 2, 2, (NUM,), STR, run=_rate_convention),
    Builtin("norm", 1, 1, (STR,), STR, run=_norm),
    Builtin("vocab", 1, 1, (), list_of(STR), run=_vocab),
    Builtin("vocab_name", 2, 2, (STR, STR), STR, run=_vocab_name),
    Builtin("overlaps", 2, 2, (_L,), BOOL, run=_overlaps),
    Builtin("formula_won", 1, 1, (STR,), NUM, "lazy", _with_source("formula_won")),
    Builtin("formula_error", 1, 4, (STR,), STR, "first present", _plain_formula("formula_error")),
    Builtin("formula_error_en", 1, 4, (STR,), STR, "first present", _plain_formula("formula_error_en")),
    Builtin("formula_error_at", 1, 4, (STR,), NUM, "lazy", _with_source("formula_error_at")),
    Builtin("calc_conventions", 2, 2, (NUM,), list_of(STR), run=_plain_formula("calc_conventions")),
    Builtin("label", 1, 1, (NUM,), STR, run=_label),
    Builtin("document_order", 1, 1, (_L,), "list", run=_document_order),
    Builtin("convention_name", 2, 2, (None, STR), "list", run=_convention_name),
    Builtin("in_force", 1, 2, (_L, STR), "list", run=_in_force),
    Builtin("budget_version", 1, 1, (STR,), STR, "lazy", _budget_version),
    Builtin("file", 1, 1, (None,), STR, run=_file),
    Builtin("label_key", 1, 1, (STR,), STR, run=_label_key),
)}
