"""Stated amounts (the ``= 4,800천원`` side) and the rounding check against a computed formula."""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction

from auditor.formula.errors import FormulaSyntaxError
from auditor.formula.grammar import DIGITS, MONEY_UNIT, WHITE, normalise
from auditor.lazyre import lazy
from auditor.source import MONEY_UNITS
from auditor.memo import CACHE_SIZE
from auditor.plain import Field, Frozen, frozen

#: The classes of this module are written out (auditor.plain), where attrs.frozen compiled their
#: methods at every import; tests/test_plain.py holds each to its attrs declaration.
_set = object.__setattr__

TYPE_CHECKING = False
if TYPE_CHECKING:
    import pyparsing as pp

#: Rounding conventions and their Korean names, for messages.
CONVENTIONS_KO: dict[str, str] = {"exact": "정확", "ceil": "올림", "round": "반올림", "floor": "절사"}
NEGATIVE_SIGNS = "-−△▲Δ∆"


@functools.cache
def amount_parser() -> pp.ParserElement:
    """``<amount> ::= [ "=" ] [ <sign> ] <digits> [ <money-unit> ]``, built once."""
    import pyparsing as pp

    equals = pp.Suppress(pp.Literal("=").set_name("'='"))
    sign = pp.Char(NEGATIVE_SIGNS).set_name("sign")("sign")
    digits = pp.Regex(DIGITS).set_name("number")("digits")
    unit = pp.Regex(MONEY_UNIT).set_name("money unit")("unit")
    return (pp.Opt(equals) + pp.Opt(sign) + digits + pp.Opt(unit)).set_name("amount").parse_with_tabs()


_DIGITS_AT, _UNIT_AT = lazy(DIGITS), lazy(MONEY_UNIT)


def read_amount(text: str) -> tuple[int | Decimal, str] | None:
    """What :func:`amount_parser` reads from normalised *text*, element by element with its own
    regexes and without pyparsing's machinery; ``None`` when it does not read (the parser then
    says where it fails). ``tests/test_formula_fast.py`` shows both agree."""
    loc = WHITE.match(text).end()
    if text.startswith("=", loc):
        loc = WHITE.match(text, loc + 1).end()
    negative = loc < len(text) and text[loc] in NEGATIVE_SIGNS
    if negative:
        loc = WHITE.match(text, loc + 1).end()
    digits = _DIGITS_AT.match(text, loc)
    if digits is None:
        return None
    loc = WHITE.match(text, digits.end()).end()
    unit = _UNIT_AT.match(text, loc)
    if unit is not None:
        loc = WHITE.match(text, unit.end()).end()
    if loc != len(text):
        return None
    written = digits[0].replace(",", "")
    value: int | Decimal = Decimal(written) if "." in written else int(written)
    return (-value if negative else value), (unit[0] if unit else "")


def parse_amount(text: str) -> tuple[int | Decimal, str]:
    """``(value as written, unit)`` of ``= 4,800천원``, ``△1,000천원``…; unit ``""`` when absent.

    The value is an ``int``, or an exact ``Decimal`` when written with a decimal
    point, negative after △/Δ/▲/-. Full-width digits and Unicode blanks read as in the
    grammar (:func:`normalise`). Raises :class:`FormulaSyntaxError`. Cached per text.
    """
    result = _parse_amount_cached(text)
    if isinstance(result[1], int):
        raise FormulaSyntaxError(text, result[1], *result[2:])
    return result


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_amount_cached(text: str) -> tuple:
    if len(text) > 100:
        return (None, 101, "금액이 너무 깁니다", "amount too long")
    text = normalise(text)
    flat = read_amount(text)
    if flat is not None:
        return flat
    import pyparsing as pp

    try:
        result = amount_parser().parse_string(text, parse_all=True)
    except pp.ParseBaseException as exc:
        loc = exc.loc
        while loc < len(text) and text[loc] in " \t":
            loc += 1
        found = f"'{text[loc]}'" if loc < len(text) else "끝"
        return (None, loc + 1, f"금액을 읽을 수 없습니다 (찾은 것: {found})",
                f"cannot read the amount (found {found if loc < len(text) else 'the end'})")
    written = result["digits"].replace(",", "")
    value: int | Decimal = Decimal(written) if "." in written else int(written)
    if "sign" in result:
        value = -value
    return value, result.get("unit", "")


def _rounded(quotient: Fraction, convention: str) -> int:
    """*quotient* rounded on its magnitude by *convention* (올림/반올림/절사), sign kept."""
    magnitude = abs(quotient)
    if convention == "ceil":
        whole = -(-magnitude.numerator // magnitude.denominator)
    elif convention == "round":
        whole = int(magnitude + Fraction(1, 2))
    else:
        whole = int(magnitude)
    return whole if quotient >= 0 else -whole


class AmountCheck(Frozen):
    """How a stated amount compares with the computed 원 of its formula.

    ``low`` and ``high`` bound the open interval of computed 원 values that the
    stated figure allows under some convention; ``ok`` says the computed value
    lies inside it, i.e. ``abs(difference_won) < scale``. ``scale`` is one unit of
    the last digit written, in 원: 1,000 for ``4,800천원``, 100,000 for ``4.8백만원``.
    """

    __slots__ = ("ok", "conventions", "difference_won", "computed_won", "stated_won", "scale", "low", "high",
                 "__weakref__")
    ok: bool
    conventions: frozenset[str]
    difference_won: Fraction
    computed_won: Fraction
    stated_won: Fraction
    scale: Fraction
    low: Fraction
    high: Fraction

    def __init__(self, ok: bool, conventions: frozenset[str], difference_won: Fraction, computed_won: Fraction,
                 stated_won: Fraction, scale: Fraction, low: Fraction, high: Fraction) -> None:
        _set(self, "ok", ok)
        _set(self, "conventions", conventions)
        _set(self, "difference_won", difference_won)
        _set(self, "computed_won", computed_won)
        _set(self, "stated_won", stated_won)
        _set(self, "scale", scale)
        _set(self, "low", low)
        _set(self, "high", high)

    @property
    def conventions_ko(self) -> tuple[str, ...]:
        """The conventions in Korean, in the order 정확, 올림, 반올림, 절사."""
        return tuple(CONVENTIONS_KO[c] for c in CONVENTIONS_KO if c in self.conventions)


frozen(AmountCheck, Field("ok"), Field("conventions"), Field("difference_won"), Field("computed_won"),
       Field("stated_won"), Field("scale"), Field("low"), Field("high"))


def check_amount(computed_won: Fraction | int, stated_value: int | Decimal | Fraction,
                 stated_unit: str) -> AmountCheck:
    """Whether *stated_value* in *stated_unit* is the computed 원 under some rounding convention.

    Raises ``ValueError`` when *stated_unit* is not a money unit, or on a float.
    """
    if stated_unit not in MONEY_UNITS:
        raise ValueError(f"stated unit {stated_unit!r} is not a money unit {sorted(MONEY_UNITS)}")
    if isinstance(computed_won, float) or isinstance(stated_value, float):
        raise ValueError("money is never a float")
    if type(computed_won) is int and type(stated_value) is int:
        return _check_whole(computed_won, stated_value, MONEY_UNITS[stated_unit])
    computed = Fraction(computed_won)
    places = 0
    if isinstance(stated_value, Decimal):
        places = max(-int(stated_value.as_tuple().exponent), 0)
    scale = Fraction(MONEY_UNITS[stated_unit], 10**places)  # one unit of the last written digit
    stated_units = Fraction(stated_value) * 10**places
    stated = stated_units * scale
    quotient = computed / scale
    if quotient == stated_units:
        conventions = frozenset(CONVENTIONS_KO)
    else:
        conventions = frozenset(
            c for c in ("ceil", "round", "floor") if _rounded(quotient, c) == stated_units)
    difference = stated - computed
    return AmountCheck(
        ok=abs(difference) < scale, conventions=conventions, difference_won=difference,
        computed_won=computed, stated_won=stated, scale=scale,
        low=stated - scale, high=stated + scale)


def _check_whole(computed: int, stated_units: int, scale: int) -> AmountCheck:
    """:func:`check_amount` of whole numbers, in integer arithmetic (the same result, several
    times faster: most formulas and amounts are whole 원 and 천원)."""
    stated = stated_units * scale
    magnitude = abs(computed)
    if computed == stated:
        conventions = frozenset(CONVENTIONS_KO)
    else:
        sign = 1 if computed >= 0 else -1
        rounded = {"ceil": -(-magnitude // scale), "round": (2 * magnitude + scale) // (2 * scale),
                   "floor": magnitude // scale}
        conventions = frozenset(c for c, whole in rounded.items() if sign * whole == stated_units)
    difference = stated - computed
    return AmountCheck(
        ok=abs(difference) < scale, conventions=conventions, difference_won=Fraction(difference),
        computed_won=Fraction(computed), stated_won=Fraction(stated), scale=Fraction(scale),
        low=Fraction(stated - scale), high=Fraction(stated + scale))
