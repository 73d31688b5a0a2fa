"""Fuzz tests: any bytes through the reader and the rules, any text through the formula grammar.

Nothing raises but the documented formula errors, and the model's promises (docs/model.md) hold:
every problem and finding points at a line of its own file, NUL bytes never reach the model, a
binary file is one PARSE001 and no lines, and (on inputs that ``test_reader_properties`` does not
draw) every line with content is placed or reported. Example budgets come from the hypothesis
profile (tests/conftest.py): fixed and derandomized in CI.
"""

from __future__ import annotations

from hypothesis import given, strategies as st

from auditor.engine import load_ruleset
from auditor.formula import (
    FormulaEvaluationError, FormulaSyntaxError, MAX_DEPTH, MAX_DIGITS, evaluate, formula_attempt, parse_formula,
    split_item,
)
from auditor.model import Sheet
from auditor.readers import read_bytes
from strategies_sheet import REAL, mangled_bytes, noisy_sheet, placed_lines
from tests.strategies_formula import FRAGMENTS

RULES = load_ruleset()
#: Fragments that have broken readers elsewhere: controls, bidi and combining marks, BOMs, markup.
HOSTILE = ("\x00", "\x1b[2J", "\u202e", "\u2066", "\u0301", "\ufeff", "\ufffd", "\u00a0", "\u3000",
           "<script>", "<li>", "&amp;", "\r", "\t" * 50, "-" * 40, "(" * 30, ")" * 30, "9" * 40, "○", "□ 산출근거",
           "구 분\t2019예산액 (A)\t2020예산액 (B)", "과목구분\t산출근거\t", "(단위 : 천원, %)", "[국비]", "= 1천원")


@st.composite
def hostile_lines(draw) -> bytes:
    """A real sheet with hostile fragments spliced into random lines, in a random encoding."""
    lines = REAL[draw(st.sampled_from(sorted(REAL)))].split("\n")
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(lines) - 1))
        at = draw(st.integers(0, len(lines[i])))
        piece = "".join(draw(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4)))
        lines[i] = lines[i][:at] + piece * draw(st.integers(1, 30)) + lines[i][at:]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp949"]))
    return text.encode(encoding, errors="replace")


any_input = st.one_of(st.binary(max_size=3000), mangled_bytes(), hostile_lines(), noisy_sheet().map(lambda c: c[1]))


def _check_sheet(sheet: Sheet, path: str) -> None:
    last = max(1, len(sheet.lines))
    assert sheet.path == path
    assert not any("\x00" in line for line in sheet.lines), "NUL bytes are read as U+FFFD"
    for p in sheet.problems:
        assert p.code.startswith("PARSE") and p.message_ko and p.message_en
        assert 1 <= p.source.line <= last and p.source.column >= 1
    for finding in RULES.check(sheet):
        assert finding.path == path and 1 <= finding.line <= last, finding
        assert finding.message("ko") and finding.message("en")


@given(any_input, st.sampled_from(["x.txt", "x.csv", "x.md"]))
def test_any_bytes_read_and_check_without_raising(data, path):
    sheet = read_bytes(data, path)
    _check_sheet(sheet, path)
    if any(p.code == "PARSE001" and "binary" in p.message_en for p in sheet.problems):
        assert sheet.lines == () and [p.code for p in sheet.problems] == ["PARSE001"]


@given(hostile_lines())
def test_no_line_with_content_of_a_hostile_sheet_is_silently_dropped(data):
    sheet = read_bytes(data, "hostile.txt")
    accounted = placed_lines(sheet) | {p.source.line for p in sheet.problems}
    assert [n for n, line in enumerate(sheet.lines, 1) if line.strip() and n not in accounted] == []


# -- the formula grammar -------------------------------------------------------------------------

def _formula_errors_only(text: str) -> None:
    try:
        node = parse_formula(text)
    except FormulaSyntaxError as err:
        assert 1 <= err.column <= len(text) + 1 and err.reason and err.reason_en
    else:
        try:
            evaluate(node)
        except FormulaEvaluationError as err:
            assert err.reason and err.reason_en
    found = split_item(text)
    if found.reading is not None:  # a slice of the text, with only the closing brackets it lacks added
        written = text[found.reading.start:found.reading.end]
        assert found.formula.startswith(written) and not found.formula[len(written):].strip(")]")
    found = formula_attempt(text)
    if found is not None:
        start, err = found
        assert 0 <= start <= len(text) and err.reason and err.reason_en
        if isinstance(err, FormulaEvaluationError):  # it parses but has no value: the whole text, as documented
            assert start == 0 and err.text == text
        else:
            assert isinstance(err, FormulaSyntaxError)


@st.composite
def grammar_shaped(draw) -> str:
    """Formula-like text at and past the grammar's limits: deep brackets, long digit runs, operator runs."""
    depth = draw(st.integers(0, MAX_DEPTH + 5))
    opening, closing = draw(st.sampled_from([("(", ")"), ("[", "]"), ("(", "]")]))
    digits = "".join(draw(st.lists(st.sampled_from("0123456789,."), min_size=1, max_size=MAX_DIGITS + 10)))
    core = digits + draw(st.sampled_from(["원", "천원", "명", "%", "", "원씩", "만원권"]))
    for _ in range(draw(st.integers(0, 6))):
        core += draw(st.sampled_from(list("*/+-×÷xX") + ["**", "△", " "])) + draw(st.sampled_from(FRAGMENTS))
    text = opening * depth + core + closing * draw(st.integers(0, depth + 2))
    return draw(st.sampled_from(["", "수당 ", "경정 ", "(5급이하 158명) "])) + text


@given(st.text(max_size=200))
def test_any_text_raises_only_formula_errors(text):
    _formula_errors_only(text)


@given(grammar_shaped())
def test_grammar_shaped_text_raises_only_formula_errors(text):
    _formula_errors_only(text)
