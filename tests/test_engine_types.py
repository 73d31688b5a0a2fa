"""A city's pack that misuses types is refused at load with file:line:col; what only a sheet can show fails clearly."""

from __future__ import annotations

import pytest

from auditor.engine import RulePackError, load_ruleset
from auditor.readers import read_text

HEAD = """\
[pack]
name = "city"

[[rule]]
code = "CITY001"
name = "city.rule"
severity = "error"
over = "settlement.rows"
"""
SHEET = """5 최근 3년 결산 현황

(단위 : 천원)

연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액
2017\t(x-) 236,800\t(x-) 0\t(x-) 7,000\t(x-) 243,800\t(x-) 241,560\t(x-) 0\t(x-) 2,240
"""


def load(tmp_path, body: str):
    path = tmp_path / "city.toml"
    path.write_text(HEAD + body + 'message.ko = "x"\n', encoding="utf-8")
    return path, load_ruleset([path], builtin=False)


def error(tmp_path, body: str) -> RulePackError:
    with pytest.raises(RulePackError) as info:
        load(tmp_path, body)
    return info.value


@pytest.mark.parametrize("body,line,column,words", [
    ('assert = \'집행액 + "a" > 0\'\n', 9, 15, ["'+'", "숫자", "text"]),
    ("assert = '\"a\" < 1'\n", 9, 15, ["'<'", "텍스트", "a number"]),
    ('assert = "집행액"\n', 9, 1, ["assert", "참/거짓", "truth value"]),
    ('when = "연도 + 1"\nassert = "true"\n', 9, 1, ["when", "truth value"]),
    ('assert = "집행액 == \'a\'"\n', 9, 15, ["'=='", "compare"]),
    ('assert = "not 집행액"\n', 9, 11, ["'not'", "truth value"]),
    ('assert = "집행액 and true"\n', 9, 15, ["'and'", "truth value"]),
    ('assert = "집행액 in 집행액"\n', 9, 15, ["'in'", "a list"]),
    ('assert = "norm(집행액) == \'a\'"\n', 9, 11, ["norm()", "text"]),
    ('assert = "sum(집행액) > 0"\n', 9, 11, ["sum()", "a list"]),
    ('actual = "집행액"\nexpected = "\'a\'"\n', 10, 1, ["both be numbers or both be text"]),
    ('actual = "연도 > 1"\nexpected = "true"\n', 9, 1, ["actual", "number or text"]),
    ('assert = "true"\nshow.actual = "this"\nshow.expected = "0"\n', 10, 1, ["value to show"]),
])
def test_a_type_error_is_refused_at_load_with_line_and_column(tmp_path, body, line, column, words):
    err = error(tmp_path, body)
    assert (err.line, err.column) == (line, column), err
    for word in words:
        assert word in err.message, err


def test_a_type_error_message_is_korean_first_then_english(tmp_path):
    message = error(tmp_path, 'assert = \'집행액 + "a" > 0\'\n').message
    ko, en = message.split(" / ")
    assert "숫자" in ko and "needs a number, not text" in en


@pytest.mark.parametrize("body,line,column,name", [
    ('assert = "집행액 <= 예산현앧"\n', 9, 18, "예산현앧"),
    ('actual = "집행액"\nexpected = "최종예산 + 예산현앧"\n', 10, 20, "예산현앧"),
    ('assert = "prev.집행앣 > 0"\n', 9, 15, "집행앣"),
    ('assert = "sun(settlement.rows.집행액) > 0"\n', 9, 11, "sun"),
])
def test_an_unknown_name_points_at_its_column_with_a_suggestion(tmp_path, body, line, column, name):
    err = error(tmp_path, body)
    assert (err.line, err.column) == (line, column), err
    assert name in err.message and "did you mean" in err.message


def test_an_unknown_name_in_a_message_points_inside_the_template(tmp_path):
    path = tmp_path / "city.toml"
    path.write_text(HEAD + 'assert = "true"\nmessage.ko = "{연도}년 {예산현앧}"\n', encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        load_ruleset([path], builtin=False)
    assert (info.value.line, info.value.column) == (10, 22)


@pytest.mark.parametrize("key,suggestion", [("asert", "assert"), ("excepted", "expected"), ("severty", "severity")])
def test_an_unknown_key_suggests_the_closest_one(tmp_path, key, suggestion):
    err = error(tmp_path, f'assert = "true"\n{key} = "x"\n')
    assert err.line == 10 and f"did you mean {suggestion!r}" in err.message


def test_an_error_only_a_sheet_can_show_names_rule_sheet_line_and_element(tmp_path):
    # a param list whose first item is a number looks like a list of numbers until a sheet runs it
    path = tmp_path / "city.toml"
    path.write_text(HEAD + 'assert = "sum(xs) > 0"\nmessage.ko = "x"\n[rule.params]\nxs = [1, "a"]\n',
                    encoding="utf-8")
    rules = load_ruleset([path], builtin=False)
    sheet = read_text(SHEET, "sheets/a.txt")
    with pytest.raises(RulePackError) as info:
        rules.check(sheet)
    err = info.value
    assert err.path == str(path) and err.line == 9
    ko, en = err.message.split(" / ")
    assert ko.startswith("규칙 CITY001") and "sheets/a.txt:6" in ko and "settlement.rows[0]" in ko
    assert "rule CITY001" in en and "sheets/a.txt:6" in en and "settlement.rows[0]" in en
