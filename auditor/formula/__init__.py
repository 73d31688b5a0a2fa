"""산출근거 formulas: parse (pyparsing grammar of docs/grammar.md), evaluate exactly, check amounts."""

from auditor.formula.amount import CONVENTIONS_KO, AmountCheck, check_amount, parse_amount
from auditor.formula.errors import FormulaError, FormulaEvaluationError, FormulaSyntaxError
from auditor.formula.grammar import (
    MAX_DEPTH, MAX_DIGITS, MAX_LENGTH, MONEY_SUFFIXES, formula_parser, normalise, parse_formula,
)
from auditor.formula.nodes import (
    BinOp, Neg, Node, Number, RenderStyle, Tagged, evaluate, format_value, numbers, render,
    tag_totals, unit_scale, walk,
)
from auditor.formula.split import Note, Reading, Split, formula_attempt, split_item, split_label, split_rhs
from auditor.formula.units import count_units, use_units

__all__ = [
    "AmountCheck", "BinOp", "CONVENTIONS_KO", "FormulaError", "FormulaEvaluationError",
    "FormulaSyntaxError", "MAX_DEPTH", "MAX_DIGITS", "MAX_LENGTH", "MONEY_SUFFIXES", "Neg", "Node", "Note",
    "Number", "Reading", "RenderStyle", "Split", "Tagged", "check_amount", "count_units", "evaluate",
    "format_value", "formula_attempt", "formula_parser", "normalise", "numbers", "parse_amount", "parse_formula",
    "render", "split_item", "split_label", "split_rhs", "tag_totals", "unit_scale", "use_units", "walk",
]
