"""A bad rule pack fails at load time with ``file:line:col``, before any sheet is read."""

from __future__ import annotations

import textwrap

import pytest

from auditor.engine import RulePackError, load_ruleset

GOOD = """\
[pack]
name = "test"

[[rule]]
code = "TEST001"
name = "settlement.test-rule"
severity = "error"
over = "settlement.rows"
actual = "예산현액"
expected = "최종예산 + 전년이월 + 예산변경"
key = "settlement[{연도}]"
message.ko = "틀림 {actual}"
message.en = "wrong {actual}"
"""


def write(tmp_path, text: str, name: str = "pack.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(tmp_path, text: str) -> RulePackError:
    path = write(tmp_path, text)
    with pytest.raises(RulePackError) as info:
        load_ruleset([path], builtin=False)
    err = info.value
    assert str(err) == f"{path}:{err.line}:{err.column}: {err.message}"
    return err


def test_a_good_pack_loads(tmp_path):
    rules = load_ruleset([write(tmp_path, GOOD)], builtin=False).rules
    assert [r.code for r in rules] == ["TEST001"]


def test_toml_syntax_error_gives_line_and_column(tmp_path):
    err = load_error(tmp_path, GOOD.replace('severity = "error"', 'severity = "error'))
    assert err.line == 7 and "TOML" in err.message


def test_bad_severity_points_at_its_line(tmp_path):
    err = load_error(tmp_path, GOOD.replace('"error"', '"fatal"'))
    assert err.line == 7 and "fatal" in err.message


def test_unknown_key_points_at_its_line(tmp_path):
    err = load_error(tmp_path, GOOD.replace('over =', 'colour = "red"\nover ='))
    assert err.line == 8 and "colour" in err.message


def test_unknown_name_points_at_the_expression(tmp_path):
    err = load_error(tmp_path, GOOD.replace("전년이월 +", "전년이윌 +"))
    assert err.line == 10 and "전년이윌" in err.message


def test_unknown_name_in_a_message_template(tmp_path):
    err = load_error(tmp_path, GOOD.replace('"틀림 {actual}"', '"틀림 {없는값}"'))
    assert err.line == 12 and "없는값" in err.message


def test_expression_syntax_error_points_at_line_and_column(tmp_path):
    err = load_error(tmp_path, GOOD.replace('expected = "최종예산 + 전년이월 + 예산변경"', 'expected = "최종예산 + + 예산변경"'))
    assert (err.line, err.column) == (10, len('expected = "최종예산 + ') + 1)


def test_duplicate_code_across_packs(tmp_path):
    first = write(tmp_path, GOOD, "a.toml")
    second = write(tmp_path, GOOD.replace("settlement.test-rule", "settlement.other-rule"), "b.toml")
    with pytest.raises(RulePackError) as info:
        load_ruleset([first, second], builtin=False)
    assert info.value.path == str(second) and info.value.line == 4 and "TEST001" in info.value.message


def test_unknown_field_on_a_model_class(tmp_path):
    err = load_error(tmp_path, GOOD.replace('expected = "최종예산 + 전년이월 + 예산변경"', 'expected = "prev.없는칸"'))
    assert err.line == 10 and "없는칸" in err.message


def test_unknown_function_and_vocabulary(tmp_path):
    assert "unknown function" in load_error(tmp_path, GOOD.replace('actual = "예산현액"', 'actual = "open(1)"')).message
    err = load_error(tmp_path, GOOD.replace('actual = "예산현액"', 'actual = "count(vocab(\\"nope\\"))"'))
    assert "vocabulary" in err.message and err.line == 9


def test_bad_collection_and_missing_message(tmp_path):
    assert load_error(tmp_path, GOOD.replace('"settlement.rows"', '"settlement.nope"')).line == 8
    err = load_error(tmp_path, GOOD.replace('message.ko = "틀림 {actual}"\n', ""))
    assert "message.ko" in err.message and err.line == 12  # the message table, which lacks ko


def test_missing_pack_path(tmp_path):
    with pytest.raises(RulePackError, match="no such rule pack"):
        load_ruleset([tmp_path / "nope.toml"], builtin=False)


def test_builtin_packs_load_and_a_directory_loads_every_pack(tmp_path):
    builtin = load_ruleset()
    assert len(builtin.rules) >= 20
    write(tmp_path, GOOD, "one.toml")
    write(tmp_path, GOOD.replace("TEST001", "TEST002").replace("test-rule", "rule-two"), "two.toml")
    assert [r.code for r in load_ruleset([tmp_path], builtin=False).rules] == ["TEST001", "TEST002"]


@pytest.mark.parametrize("value", ["inf", "nan", "[1, -inf]"])
def test_a_param_that_is_not_a_finite_number_is_a_load_error(tmp_path, value):
    err = load_error(tmp_path, GOOD + f"\n[rule.params]\nlimit = {value}\n")
    assert "finite" in err.message and err.line == 16
