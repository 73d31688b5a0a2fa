"""The formula grammar's tokens (docs/grammar.md): normalisation, regular expressions, and the nodes they make.

The pyparsing grammar (:mod:`auditor.formula.grammar`) and the exact fast readers
(:mod:`auditor.formula.fast`) read with these same expressions and build nodes with these same
functions, which is what lets a property test prove them equal. The expressions that hold the
units are rebuilt when the unit vocabulary changes (:mod:`auditor.formula.units`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from fractions import Fraction

from auditor import recache
from auditor.formula.nodes import BinOp, Neg, Node, Number
from auditor.formula.units import UNIT_CHARS, count_units, on_change
from auditor.lazyre import lazy
from auditor.source import MONEY_UNITS

# --- normalisation (docs/grammar.md, *Normalisation*): one character for one, columns kept ----
#: Full-width digits, brackets and punctuation, read as their ASCII forms (NFKC of each).
FULL_WIDTH = "０１２３４５６７８９（）［］，．／＝"
#: Unicode blanks (category Zs), read as a space.
BLANKS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_NORMAL = str.maketrans({c: unicodedata.normalize("NFKC", c) for c in FULL_WIDTH} | dict.fromkeys(BLANKS, " "))


def normalise(text: str) -> str:
    """*text* with full-width digits, brackets, ``，．／＝`` and Unicode blanks in ASCII; same length."""
    return text.translate(_NORMAL)


# --- tokens that do not depend on the units ----------------------------------------------------
DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_SCALES = "|".join(sorted((u[:-1] for u in MONEY_UNITS if u != "원"), key=len, reverse=True))
#: A money unit word of MONEY_UNITS (천원, 만원 …), with nothing said about what follows.
MONEY_WORD = rf"(?:{_SCALES})?원"
#: A money unit as a whole word: not followed by a Hangul syllable (stated amounts, split_rhs).
MONEY_UNIT = rf"{MONEY_WORD}(?![가-힣])"
#: Words written after a money unit that leave it a money unit: 5만원씩, 1,000원짜리, 1만원권 …
MONEY_SUFFIXES = ("씩", "짜리", "상당", "권", "꼴", "가량", "정도", "내외")
_SUFFIX = "|".join(sorted(MONEY_SUFFIXES, key=len, reverse=True))
TAG = r"(?:경정|기정)(?![가-힣])"
#: One word of an operand's name: a run of Hangul syllables that is not a tag (possessive: a name
#: never gives back a syllable, so a long label word is read once).
_WORD = rf"(?!{TAG})[가-힣]++"
#: The name written before an operand (``항공료 1,500,000원``): words separated by blanks.
NAME = rf"{_WORD}(?:[ \t]++{_WORD})*+"
MUL_CHARS = "*＊×xX✕✖·∙⋅"
DIV_CHARS = "/÷"
ADD_CHARS = "+＋"
SUB_CHARS = "-−－"
SIGN_CHARS = "-−－△▲Δ∆+"
OPEN, CLOSE = "([", ")]"
_OPS = re.escape(MUL_CHARS + DIV_CHARS + ADD_CHARS + SUB_CHARS)
# An annotation: a bracketed group holding a Hangul syllable and no arithmetic (number op number),
# where a number's unit is any run of what is neither blank, digit, bracket nor operator (so 3㎡*2 is
# arithmetic too). The two look-aheads are written once, before the bracket, for both kinds of
# bracket (``(…)`` as ``note0``, ``[…]`` as ``note1``): each class of the pattern costs its compiling
# (a Hangul class about 0.5 ms, sre building its 64K map), and the pattern is equal to one that tests
# after each bracket (tests/test_formula_token_patterns.py).
_INSIDE = r"[^()\[\]]*"
_ARITH = rf"[0-9][0-9,.]*[ \t]*(?:[^ \t0-9()\[\]{_OPS}]+[ \t]*)?[{_OPS}][ \t]*[0-9]"
NOTE = (rf"(?=[{re.escape(OPEN)}]{_INSIDE}[가-힣])(?![{re.escape(OPEN)}]{_INSIDE}?{_ARITH})(?:"
        + "|".join(rf"\{o}(?P<note{i}>{_INSIDE})\{c}" for i, (o, c) in enumerate(zip(OPEN, CLOSE))) + ")")
CANONICAL = {c: op for op, chars in (("*", MUL_CHARS), ("/", DIV_CHARS), ("+", ADD_CHARS),
                                     ("-", SUB_CHARS)) for c in chars}
#: pyparsing's default whitespace, skipped before each element of the grammars (this one and amount's).
WHITE = recache.compile(r"[ \t\r\n]*")
BLANK_RUN = recache.compile(r"[ \t]*")
TAG_AT = lazy(rf"{TAG}[ \t]*")
MUL_SET, ADD_SET = frozenset(MUL_CHARS + DIV_CHARS), frozenset(ADD_CHARS + SUB_CHARS)
#: A loose unit, for patterns that only look (split.py): a run of Hangul or of unit characters.
LOOSE_UNIT = rf"[가-힣{UNIT_CHARS}]+"


class Tokens:
    """The expressions that hold the units, for one unit list (built once per list, see :func:`tokens`)."""

    def __init__(self, units: Iterable[str]) -> None:
        self.units = tuple(units)
        latin = "|".join(re.escape(u) for u in sorted(self.units, key=len, reverse=True))
        symbols = "".join(u for u in self.units if len(u) == 1 and not u.isascii())
        # A count unit: a run of Hangul syllables without 원 (so never a money unit, 원씩 or 천만원) and
        # not a tag, or a listed unit not followed by a Latin letter other than x/X.
        self.count_unit = (rf"(?!{TAG})[가-웏웑-힣{re.escape(symbols)}]+(?![가-힣])"
                           rf"|(?:{latin})(?![A-WYZa-wyz])")
        self.number = (rf"(?P<digits>{DIGITS})"
                       rf"(?:[ \t]*(?P<percent>[%％])"
                       rf"|[ \t]*(?P<money>{MONEY_WORD})(?P<suffix>{_SUFFIX})?(?![가-힣])"
                       rf"|[ \t]*(?P<count>{self.count_unit}))?"
                       rf"(?:[ \t]*(?:{NOTE}))?")
        #: One operand: ``[name] [sign] number [unit] [note]``.
        self.signed = rf"(?:(?P<name>{NAME})[ \t]*)?(?:(?P<sign>[{re.escape(SIGN_CHARS)}])[ \t]*)?{self.number}"
        self.mul_atom = rf"(?P<op>[{re.escape(MUL_CHARS + DIV_CHARS)}])[ \t]*{self.signed}"
        self.head = rf"(?:(?P<tag>{TAG})[ \t]*)?{self.signed}"
        self.add_atom = rf"(?P<op>[{re.escape(ADD_CHARS + SUB_CHARS)}])[ \t]*{self.signed}"
        #: The one compiled copy of the operand (its Hangul classes make each copy slow to compile: about
        #: 7 ms, so ``head`` is read as ``TAG_AT`` then this, not compiled a second time).
        self.signed_at = recache.compile(self.signed)


_current: list[Tokens] = []


def tokens() -> Tokens:
    """The tokens of the units in use now (:func:`auditor.formula.units.count_units`)."""
    if not _current:
        _current.append(Tokens(count_units()))
    return _current[0]


@on_change
def _units_changed() -> None:
    _current.clear()


class Rest:
    """``op operand`` after the first operand of a product or sum: canonical op, spelling, column."""

    __slots__ = ("op", "spelling", "column", "node")

    def __init__(self, spelling: str, column: int, node: Node | None = None) -> None:
        self.op, self.spelling, self.column, self.node = CANONICAL.get(spelling, "-"), spelling, column, node


def number_of(m: re.Match) -> Number:
    """The Number of one ``[name] [sign] number [unit] [note]`` match (of ``Tokens.signed``, alone or
    inside a larger token); the sign is :func:`atom_of`'s."""
    digits, percent, money, suffix, count, note0, note1, name = m.group(
        "digits", "percent", "money", "suffix", "count", "note0", "note1", "name")
    last = "suffix" if suffix else "money" if money else "count" if count else "percent" if percent else "digits"
    written = digits.replace(",", "")
    value = Fraction(written) if "." in written else Fraction(int(written))
    note = note0 if note0 is not None else note1 or ""
    return Number(value, "%" if percent else money or count or "", m.string[m.start("digits"):m.end(last)],
                  m.start("digits") + 1, note.strip(), name or "")


def atom_of(m: re.Match) -> Node:
    """The Number (or Neg of it) of one operand match."""
    number = number_of(m)
    sign = m["sign"]
    if sign is None or sign == "+":
        return number
    return Neg(number, sign, m.start("sign") + 1)


def fold_left(node: Node, rests: Iterable[Rest]) -> Node:
    """``node op₁ n₁ op₂ n₂ …`` as left-nested BinOps."""
    for rest in rests:
        node = BinOp(rest.op, node, rest.node, rest.spelling, rest.column)
    return node
