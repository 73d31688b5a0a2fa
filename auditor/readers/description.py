"""A 산출근거 description in one pass: its label, its formula and the formula's value, for the common shapes.

``split_label`` finds a formula by trying each place one may start, longest tail first, with the
grammar (docs/grammar.md, rule 5), and the rules then parse the formula again for its value. Most
descriptions are a label of words and one flat formula with a money unit
(``회의 참석수당 150,000원*17명*2회``), or words only; :func:`read_description` reads those in one pass
with the grammar's own operand pattern and works out the value as it goes. It gives exactly what
the reference functions give (``split_label``; ``exact_value`` of ``parse_formula``;
``formula_attempt``), and returns None for anything else, which the reader then hands to them:

- words only (no digit) are the label, with no formula and nothing that looks like one;
- otherwise the formula is the tail from the first place where a formula may start (as
  ``split_label``'s starts: a digit after a blank or a sign, a bracket, △, a dash before a digit,
  경정/기정) whose tail is a flat formula the grammar reads (``parse_flat``'s steps: an operand, then
  operators each followed by an operand), within the grammar's limits, with a money unit, adding no
  money to a count and dividing by no zero, at the first place a formula may start (when an earlier
  place held a tail that does not parse, the formula may be the end of a longer, broken one: that
  is the split's call). A formula that parses and has a value is no formula attempt;
- with no such tail and every place failing, there is no formula; the label's attempt is
  ``formula_attempt``'s own (cached per text).

``split_label`` here is :func:`auditor.formula.split_item` without an amount. With a stated amount the
split may choose another reading (one the amount confirms, or a formula without a money unit), so
the reader takes this one-pass reading only when there is no money amount or the amount confirms
the formula read here; otherwise it asks ``split_item`` with the amount (``basis.BasisReader.row``).
A named operand (``항공료 1,500,000원 + …``) is left to the split too.

``tests/test_reader_description.py`` checks all of it against the reference functions on generated
descriptions of every shape (with and without a confirming amount), and the corpus test on whole
sheets.
"""

from __future__ import annotations

import re
from fractions import Fraction

from auditor.formula import formula_attempt
from auditor.formula.fast import may_parse
from auditor.formula.grammar import MAX_DIGITS, MAX_LENGTH
from auditor.formula.split import SEPARATORS
from auditor.formula.tokens import (
    ADD_CHARS, BLANKS, DIV_CHARS, FULL_WIDTH, MUL_CHARS, SIGN_CHARS, SUB_CHARS, WHITE, normalise, tokens,
)
from auditor.model import NO_FORMULA, FormulaResult
from auditor.source import MONEY_UNITS

__all__ = ["read_description"]

_AFTER_OPERAND = re.compile(r"(?:[ \t\r\n]*[)\]])*[ \t\r\n]*")
_BLANKS = re.compile(r"[ \t]*")
#: The first character from which a formula may start (a superset of split_label's starts).
_FIRST = re.compile(r"[0-9(\[△▲Δ∆]|[-−－](?=[0-9(\[])|경정|기정")
_DIGIT = re.compile(r"[0-9]")
_DIGITS = frozenset("0123456789")
#: What a digit that starts a formula may follow (``split_label``: a blank, or not a letter, digit, ',' or '.').
_BEFORE_START = re.compile(r"[^\w,.]")
_MUL, _SUB = frozenset(MUL_CHARS), frozenset(SUB_CHARS)
_ADD = frozenset(ADD_CHARS) | _SUB
_OPERATORS = _MUL | frozenset(DIV_CHARS) | _ADD
#: A figure that may hold more digits than the grammar allows (MAX_DIGITS).
_LONG_FIGURE = re.compile(rf"[0-9][0-9,.]{{{MAX_DIGITS},}}")
#: A character that :func:`normalise` changes.
_NOT_NORMAL = re.compile(f"[{re.escape(FULL_WIDTH + BLANKS)}]")
_PERCENT = Fraction(1, 100)
_NEGATIVE = frozenset(SIGN_CHARS) - {"+"}
_result = tuple.__new__
_CLOSING = frozenset(")]")
#: What may stand before an operand besides its sign (``may_parse``): signs, opening brackets (and tags).
_OPENING = frozenset(SIGN_CHARS + "([")
#: What :func:`_flat_value` gives for a tail that cannot parse, and for one only the grammar can judge.
_NO, _ASK = object(), object()


def read_description(body: str) -> tuple[str, str | None, FormulaResult] | None:
    """``(label, formula, calc)`` of a description (marker and any ``= amount`` cut off), or None.

    None means the text is not of a shape read here: ask ``split_label`` and the formula package.
    ``calc`` is the line's :class:`~auditor.model.FormulaResult`.
    """
    normal = normalise(body) if _NOT_NORMAL.search(body) else body  # translate looks up every character
    if _DIGIT.search(normal) is None:
        return body.strip(), None, NO_FORMULA
    if "=" in normal:
        return None  # a stated amount inside the text: split_rhs's business
    if normal.count("(") + normal.count("[") != normal.count(")") + normal.count("]"):
        return None  # a bracket left open or closed twice: where the formula ends is the split's guess
    end = len(body.rstrip())
    passed = False  # a place that may start a formula was passed
    for first in _FIRST.finditer(normal):
        start = first.start()
        if normal[start] in _DIGITS:
            if start and _BEFORE_START.match(normal, start - 1) is None:
                continue  # inside a word or a number: no formula starts here
            if end - start <= MAX_LENGTH:
                shape = normal[start:end]
                # a run of more digits than the grammar allows is the grammar's to report (may_parse below)
                value = _flat_value(shape) if len(shape) <= MAX_DIGITS or not _LONG_FIGURE.search(shape) else None
                if value is _NO:
                    passed = True
                    continue
                if value is _ASK:
                    return None
                if value is not None:
                    if passed:
                        # An earlier place held a tail that does not parse: this formula may be the end
                        # of a longer, broken one (after an operator, a named operand, a money figure
                        # and words …: docs/grammar.md, the label rule). That is the split's call.
                        return None
                    label = body[:start].rstrip()
                    if label and label[-1] in SEPARATORS:
                        label = label[:-1].rstrip()
                    return label.lstrip(), body[start:end], _result(FormulaResult, (value, None))
        if end - start <= MAX_LENGTH and may_parse(normal[start:end]):
            return None  # a tail from here may parse: only the grammar can tell
        passed = True
    label = body.strip()
    attempt = formula_attempt(label)
    return label, None, NO_FORMULA if attempt is None else FormulaResult(None, attempt)


def _flat_value(shape: str) -> int | Fraction | object:
    """The value of ``shape``, a tail that starts with a digit, read as ``parse_flat`` reads it (an operand;
    then, blanks skipped, an operator, blanks, an operand, and so on to the end), when it is a flat
    formula with money that adds no money to a count and divides by no zero. Products are worked
    out left to right and summed, as the grammar's left-nested tree is evaluated.

    Else :data:`_NO` when the tail cannot parse at all: after operands and operators alone (and perhaps
    closing brackets) comes a character that is no operator, or an operator is followed by
    what starts no operand, not even with a sign, a bracket or a tag before it (``may_parse`` reads
    those operands the same way and stops there too); else :data:`_ASK` (brackets, tags, signs, or
    a formula that parses but is not taken here): only the grammar can tell.
    """
    size = len(shape)
    operand = tokens().signed_at  # ``[name] [sign] number [unit] [note]``, with the units in use (the grammar's copy)
    loc = op = 0
    total: int | Fraction = 0
    term: int | Fraction = 0
    any_money = term_money = term_count = money_terms = count_terms = False
    sign = 1
    while True:
        m = operand.match(shape, loc)
        if m is None:  # after an operator: a bracket, a tag or a second sign may still make an operand
            return _ASK if shape[loc:loc + 1] in _OPENING or shape.startswith(("경정", "기정"), loc) else _NO
        if m["name"] is not None:
            return _ASK  # a named operand (항공료 1,500,000원): where the label ends is the split's choice
        digits, percent, money, count, negative = m.group("digits", "percent", "money", "count", "sign")
        if "," in digits:
            digits = digits.replace(",", "")
        value: int | Fraction = Fraction(digits) if "." in digits else int(digits)
        if money:
            value *= MONEY_UNITS[money]
            any_money = True
        elif percent:
            value *= _PERCENT
        if negative is not None and negative in _NEGATIVE:
            value = -value
        if op == 0 or op in _ADD:  # a new term
            if op:
                total += sign * term
                money_terms = money_terms or term_money
                count_terms = count_terms or (term_count and not term_money)
                sign = -1 if op in _SUB else 1
            term, term_money, term_count = value, money is not None, count is not None
        else:
            term_money = term_money or money is not None
            term_count = term_count or count is not None
            if op in _MUL:
                term *= value
            elif value == 0:
                return _ASK  # no value: formula_attempt has the error
            elif type(term) is int and type(value) is int and term % value == 0:
                term //= value
            else:
                term = Fraction(term, value)
        loc = m.end()
        if loc < size and shape[loc] in " \t\r\n":
            loc = WHITE.match(shape, loc).end()
        if loc == size:
            break
        op = shape[loc]
        if op not in _OPERATORS:
            if op in _CLOSING:  # as may_parse: closing brackets and blanks, then an operator or the end
                loc = _AFTER_OPERAND.match(shape, loc).end()
                return _ASK if loc == size or shape[loc] in _OPERATORS else _NO
            return _NO
        loc += 1
        if loc < size and shape[loc] in " \t":
            loc = _BLANKS.match(shape, loc).end()
    total += sign * term
    if not any_money or ((money_terms or term_money) and (count_terms or (term_count and not term_money))):
        return _ASK  # it parses: split_label goes on to the shorter tails
    if type(total) is Fraction and total.denominator == 1:
        return total.numerator
    return total
