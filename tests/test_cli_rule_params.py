"""``auditor rule CODE`` lists the rule's params with their defaults, as docs/configuration.md says."""

from __future__ import annotations

from click.testing import CliRunner

from auditor.cli import main
from auditor.engine import load_ruleset


def rule(*args: str, isolated: bool = True):
    r = CliRunner().invoke(main, ["rule", *args, *(["--isolated"] if isolated else [])], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def test_a_rule_lists_each_param_with_its_default():
    text = rule("REVIEW001")
    section = text.split("## 파라미터 (기본값)\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert section[0] == "  min_execution_rate = 70"
    assert "--param REVIEW001.min_execution_rate=값" in section[-1]
    assert text.index("## 파라미터") < text.index("## 예"), "after why, before the examples"


def test_lists_are_shown_as_toml_in_english_too():
    text = rule("FUND002", "--lang", "en")
    assert '  known_labels = ["국비", "시비", "도비", "구비", "군비", "기타"]\n' in text
    assert "## Params (defaults)" in text and "--param FUND002.known_labels=VALUE" in text


def test_every_rule_with_params_lists_all_of_them_and_a_rule_without_has_no_section():
    ruleset = load_ruleset()
    with_params = [r for r in ruleset.rules if r.params]
    assert with_params, "some built-in rules have params"
    for r in with_params:
        text = rule(r.code)
        for name in r.params:
            assert f"\n  {name} = " in text, (r.code, name)
    plain = next(r for r in ruleset.rules if not r.params)
    assert "## 파라미터" not in rule(plain.code)


def test_a_value_set_in_the_configuration_is_shown_beside_the_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditor.toml").write_text("[params]\nREVIEW001 = { min_execution_rate = 60 }\n", encoding="utf-8")
    text = rule("REVIEW001", isolated=False)
    assert f"  min_execution_rate = 70    (설정 파일 {tmp_path / 'auditor.toml'}: 60)" in text
