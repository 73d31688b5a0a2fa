"""The rule expression language: grammar table, exact evaluation, limits, and junk that must fail cleanly."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine.check import NameCheckError, StaticScope, TypeCheckError, check_expr
from auditor.engine.evaluate import Env, RuleTypeError, evaluate
from auditor.engine.expr import MAX_DEPTH, MAX_LENGTH, ExprSyntaxError, parse_expr
from auditor.engine.values import MISSING, Num
from auditor.model import Settlement, SettlementRow, Sheet
from auditor.source import Amount, Source

PARSES = [
    ("1 + 2 * 3", ("bin", "+", ("num", 1), ("bin", "*", ("num", 2), ("num", 3)))),
    ("(1 + 2) * 3", ("bin", "*", ("bin", "+", ("num", 1), ("num", 2)), ("num", 3))),
    ("a - b - c", ("bin", "-", ("bin", "-", ("name", "a"), ("name", "b")), ("name", "c"))),
    ("-a * b", ("bin", "*", ("neg", ("name", "a")), ("name", "b"))),
    ("예산현액 == 최종예산 + 전년이월",
     ("bin", "==", ("name", "예산현액"), ("bin", "+", ("name", "최종예산"), ("name", "전년이월")))),
    ("prev.차년이월", ("attr", ("name", "prev"), "차년이월")),
    ("rows[0].B", ("attr", ("index", ("name", "rows"), ("num", 0)), "B")),
    ("sum(rows.B)", ("call", "sum", (("attr", ("name", "rows"), "B"),))),
    ("not a and b or c", ("bin", "or", ("bin", "and", ("not", ("name", "a")), ("name", "b")), ("name", "c"))),
    ("x not in [\"a\", 'b']", ("bin", "not in", ("name", "x"), ("list", (("str", "a"), ("str", "b"))))),
    ("x != none", ("bin", "!=", ("name", "x"), ("const", None))),
    ("1.25", ("num", Fraction(5, 4))),
    ("index", ("name", "index")),
    ("inx", ("name", "inx")),
]


@pytest.mark.parametrize("text,tree", PARSES)
def test_parse_table(text, tree):
    assert parse_expr(text) == tree


BAD = [("a +", 4), ("1 2", 3), ("a..b", 3), ("f(", 3), ("and", 1), ("a = b", 3), ("x[", 3), ('"open', 1)]


@pytest.mark.parametrize("text,column", BAD)
def test_syntax_errors_point_at_the_column(text, column):
    with pytest.raises(ExprSyntaxError) as info:
        parse_expr(text)
    assert info.value.column == column


def test_decimal_literals_are_exact_fractions_never_floats():
    assert parse_expr("0.1") == ("num", Fraction(1, 10))
    value = evaluate(parse_expr("0.1 + 0.2"), Env(root=None))
    assert value.value == Fraction(3, 10) and isinstance(value.value, Fraction)


def test_limits_refuse_long_and_deep_expressions():
    with pytest.raises(ExprSyntaxError, match="longer"):
        parse_expr("1+" * MAX_LENGTH + "1")
    with pytest.raises(ExprSyntaxError, match="deeper"):
        parse_expr("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))


def _fraction_tree(draw, depth: int):
    if depth == 0 or draw(st.booleans()):
        whole = draw(st.integers(0, 10**6))
        cents = draw(st.integers(0, 99))
        return f"{whole}.{cents:02d}", Fraction(whole) + Fraction(cents, 100)
    op = draw(st.sampled_from("+-*/"))
    ltext, lval = _fraction_tree(draw, depth - 1)
    rtext, rval = _fraction_tree(draw, depth - 1)
    if op == "/" and rval == 0:
        op = "+"
    value = {"+": lval + rval, "-": lval - rval, "*": lval * rval, "/": lval / rval if rval else 0}[op]
    return f"({ltext} {op} {rtext})", value


@st.composite
def arithmetic(draw):
    return _fraction_tree(draw, draw(st.integers(0, 4)))


@settings(max_examples=200)
@given(arithmetic())
def test_arithmetic_evaluates_exactly_like_fractions(case):
    text, expected = case
    assert evaluate(parse_expr(text), Env(root=None)).value == expected


@settings(max_examples=300)
@given(st.lists(st.sampled_from(list("ab1.+-*/()[]=!<>\"' 예산,{}_") + [" and ", " or ", "not ", " in "]),
                max_size=30).map("".join))
def test_junk_either_parses_or_fails_with_a_column(junk):
    try:
        parse_expr(junk)
    except ExprSyntaxError as exc:
        assert 1 <= exc.column <= max(len(junk), 1) + 1


def _row(line: int, **amounts: int | None) -> SettlementRow:
    def amt(name: str, col: int) -> Amount | None:
        v = amounts.get(name)
        return None if v is None else Amount(v, "천원", Source("s.txt", line, col, str(v)))

    names = ["final_budget", "carried_in", "adjustment", "available", "spent", "carried_over", "unspent"]
    return SettlementRow(year=2017, **{n: amt(n, i + 2) for i, n in enumerate(names)}, source=Source("s.txt", line))


def _env(row: SettlementRow) -> Env:
    return Env(root=Sheet("s.txt", settlement=Settlement(rows=(row,))), this=row)


def _checked(text: str) -> tuple:
    node, _ = check_expr(parse_expr(text), StaticScope(root=("obj", Sheet), this=("obj", SettlementRow)))
    return node


def test_names_resolve_by_korean_and_english_name_to_exact_won():
    row = _row(7, final_budget=236800, adjustment=7000, available=243800)
    env = _env(row)
    assert evaluate(_checked("예산현액"), env).value == 243_800_000
    assert evaluate(_checked("available == final_budget + 예산변경"), env) is True
    assert evaluate(_checked("available == final_budget + 예산변경 + 0.001"), env) is False
    assert evaluate(_checked("최종예산 + 예산변경 == 예산현액"), env) is True


def test_a_missing_value_makes_the_expression_missing_not_false():
    env = _env(_row(7, final_budget=1))
    assert evaluate(_checked("전년이월 + 1 == 2"), env) is MISSING
    assert evaluate(_checked("전년이월 == none"), env) is True
    assert evaluate(_checked("최종예산 != none"), env) is True
    assert evaluate(_checked("false and 전년이월 == 1"), env) is False
    assert evaluate(_checked("true or 전년이월 == 1"), env) is True


def test_unknown_names_and_functions_fail_the_static_check():
    for text in ("예산현액 + 없는이름", "row.nope", "eval(1)", "__import__(1)", "예산현액.__class__"):
        with pytest.raises((NameCheckError, ExprSyntaxError)):
            _checked(text)


def test_text_plus_money_is_refused_by_the_check_and_is_a_rule_error_at_run_time():
    with pytest.raises(TypeCheckError):
        _checked("\"a\" + 최종예산")
    env = _env(_row(7, final_budget=1))
    with pytest.raises(RuleTypeError):  # unchecked (a value of unknown type): still a rule error
        evaluate(parse_expr("\"a\" + 최종예산"), env)


def test_builtins_round_half_away_from_zero_and_truncate_toward_zero():
    env = Env(root=None)
    assert evaluate(parse_expr("round(2.5)"), env).value == 3
    assert evaluate(parse_expr("round(0 - 2.5)"), env).value == -3
    assert evaluate(parse_expr("trunc(0 - 5.9)"), env).value == -5
    assert evaluate(parse_expr("trunc(10.66, 1)"), env).value == Fraction(106, 10)
    assert isinstance(evaluate(parse_expr("sum([1, 2.5])"), env), Num)
    assert evaluate(parse_expr("first([])"), env) is MISSING
    assert evaluate(parse_expr("norm('[시 ㆍ비]')"), env) == "시·비"


def test_each_that_ignores_the_element_is_computed_once_per_sheet():
    scope = StaticScope(root=("obj", Sheet), this=("obj", SettlementRow))
    shared, _ = check_expr(parse_expr("each(settlement.rows, 예산현액)"), scope)
    own, _ = check_expr(parse_expr("each(settlement.rows, 예산현액 - this.예산현액)"), scope)
    assert shared[0] == "once" and own[0] == "call"
    rows = (_row(7, available=5), _row(8, available=9))
    sheet = Sheet("s.txt", settlement=Settlement(rows=rows))
    env = Env(root=sheet, this=rows[0])
    assert [n.value for n in evaluate(shared, env)] == [5000, 9000]
    assert [n.value for n in evaluate(own, env)] == [0, 4000]
    env.this = rows[1]
    assert [n.value for n in evaluate(own, env)] == [-4000, 0]


@given(st.lists(st.one_of(st.none(), st.integers(-50, 50)), max_size=8), st.integers(-50, 50))
def test_first_of_a_filter_is_the_filters_first_item_computed_up_to_it(values, bound):
    """``first(list[condition])`` stops at the first item the condition holds for (the evaluator
    no longer tests the rest): the same item as the whole filter's first, missing when none holds."""
    rows = tuple(_row(i + 1, available=v) for i, v in enumerate(values))
    env = Env(root=Sheet("s.txt", settlement=Settlement(rows=rows)))
    whole = evaluate(_checked(f"settlement.rows[예산현액 > {bound}]"), env)
    first = evaluate(_checked(f"first(settlement.rows[예산현액 > {bound}])"), env)
    assert first is (whole[0] if whole else MISSING)
    kept = [r for r in rows if r.available is not None and r.available.value * 1000 > bound]
    assert first is (kept[0] if kept else MISSING)
