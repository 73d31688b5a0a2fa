"""Named bindings (``[rule.let]``): the rule means what it means written out, and a bad binding fails at load."""

from __future__ import annotations

import re
import textwrap
import tomllib

import attrs
import pytest

from auditor.engine import load_ruleset
from auditor.engine.loader import builtin_rules_dir
from auditor.readers import read_bytes
from tests.test_engine_loader import load_error, write

PACK = """\
[pack]
name = "test"

[[rule]]
code = "TEST001"
name = "settlement.test-rule"
severity = "error"
over = "settlement.rows"
when = "sources != none"
actual = "예산현액"
expected = "sources"
at = "예산현액"
key = "settlement[{연도}].{total}"
message.ko = "틀림 {actual}: {sources} (예산 {total})"
message.en = "wrong {actual}: {sources}"

[rule.params]
total = "available"

[rule.let]
carried = "전년이월 + 예산변경"
sources = "최종예산 + carried"
"""
WRITTEN_OUT = PACK.replace("sources != none", "(최종예산 + (전년이월 + 예산변경)) != none").replace(
    "{sources}", "{최종예산 + (전년이월 + 예산변경)}").replace('"sources"', '"최종예산 + (전년이월 + 예산변경)"').split(
    "\n[rule.let]")[0]
FIELDS = ("when", "assertion", "actual", "expected", "at", "show_actual", "show_expected", "key",
          "message_ko", "message_en")


def load(tmp_path, text: str, name: str = "pack.toml"):
    return load_ruleset([write(tmp_path, text, name)], builtin=False).rules


def with_let(body: str) -> str:
    return PACK.split("\n[rule.let]")[0] + "\n[rule.let]\n" + body


def position(text: str, needle: str, after: str = "", section: str = "[rule.let]") -> tuple[int, int]:
    """1-based (line, column) of ``needle`` on the first line holding ``after + needle`` from ``section`` on."""
    lines = textwrap.dedent(text).splitlines()
    start = lines.index(section) if section else 0
    for no, line in enumerate(lines[start:], start + 1):
        if after + needle in line:
            return no, line.index(after + needle) + len(after) + 1
    raise AssertionError(needle)


def test_a_rule_with_bindings_is_the_rule_written_out(tmp_path):
    [bound] = load(tmp_path, PACK, "a.toml")
    [full] = load(tmp_path, WRITTEN_OUT, "b.toml")
    assert [getattr(bound, f) for f in FIELDS] == [getattr(full, f) for f in FIELDS]


def test_a_binding_used_twice_is_one_tree(tmp_path):
    [rule] = load(tmp_path, PACK)
    sum_in_when = rule.when[2]  # ("bin", "!=", <sources>, none)
    assert sum_in_when == rule.expected and sum_in_when is rule.expected  # interned: computed once


EXPRESSION_LINE = re.compile(r"^(when|assert|actual|expected|at|show\.\w+|key|message\.\w+) = \".*\"$")


def _written_out(text: str) -> str:
    """A pack's text with each binding's name replaced by its expression in brackets, and no [rule.let]."""
    lets = [rule.get("let", {}) for rule in tomllib.loads(text)["rule"]]
    blocks = re.split(r"(?m)^(?=\[\[rule\]\])", text)
    out = [blocks[0]]
    for bound, block in zip(lets, blocks[1:], strict=True):
        block = re.sub(r"(?ms)^\[rule\.let\]\n.*?(?=^\[|\Z)", "", block)
        lines = block.split("\n")
        for name, source in reversed(list(bound.items())):  # a later binding may use earlier ones
            token = re.compile(r"(?<![\w.'])" + re.escape(name) + r"(?![\w(])")

            def put(text: str) -> str:
                return token.sub(lambda _: f"({source})", text)

            lines = [line if not EXPRESSION_LINE.match(line)
                     else re.sub(r"\{[^{}]*\}", lambda m: put(m.group()), line) if line.startswith(("key", "message"))
                     else put(line) for line in lines]
        out.append("\n".join(lines))
    return "".join(out)


@pytest.mark.parametrize("pack", ["calc", "rate", "review", "set"])
def test_the_built_in_rules_with_bindings_are_their_rules_written_out(tmp_path, pack):
    text = (builtin_rules_dir() / f"{pack}.toml").read_text(encoding="utf-8")
    assert "[rule.let]" in text
    for name, pack_text in (("bound", text), ("full", _written_out(text))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "vocabulary").symlink_to(builtin_rules_dir() / "vocabulary")
        (tmp_path / name / f"{pack}.toml").write_text(pack_text, encoding="utf-8")
    assert "[rule.let]" not in (tmp_path / "full" / f"{pack}.toml").read_text(encoding="utf-8")
    bound = {r.code: r for r in load_ruleset([tmp_path / "bound"], builtin=False).rules}
    full = {r.code: r for r in load_ruleset([tmp_path / "full"], builtin=False).rules}
    assert bound.keys() == full.keys()
    for code, rule in bound.items():
        assert [getattr(rule, f) for f in FIELDS] == [getattr(full[code], f) for f in FIELDS], code


def test_bindings_work_on_a_sheet(tmp_path):
    [rule] = load(tmp_path, PACK)
    text = "5 결산\n\n(단위 : 천원)\n\n연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액\n" \
           "2022\t(x-) 100\t(x-) 5\t(x-) 0\t(x-) 106\t(x-) 100\t(x-) 0\t(x-) 6\n"
    sheet = read_bytes(text.encode(), "s.txt", fragment=True)
    [found] = list(rule.check(sheet, {}))
    assert (found.actual, found.expected, found.key) == ("106천원", "105천원", "settlement[2022].available")
    assert found.message_ko == "틀림 106천원: 105천원 (예산 available)"


@pytest.mark.parametrize(("name", "why"), [
    ('"금액"', "field of the model"), ("available", "field of the model"), ('"예산현액"', "field of the model"),
    ("total", "param"), ("this", "reserved"), ("actual", "reserved"), ("prev", "reserved"), ("and", "keyword"),
    ('"1st"', "not a name"), ('"a-b"', "not a name"),
])
def test_a_binding_may_not_hide_a_field_a_param_or_a_reserved_name(tmp_path, name, why):
    text = with_let(f'carried = "1"\nsources = "최종예산"\n{name} = "1"\n')
    err = load_error(tmp_path, text)
    assert why in err.message and err.line == position(text, f'{name} =')[0]


def test_a_binding_may_use_an_earlier_binding_but_not_a_later_one(tmp_path):
    text = with_let('sources = "최종예산 + carried"\ncarried = "전년이월"\n')
    err = load_error(tmp_path, text)
    assert (err.line, err.column) == position(text, "carried", 'sources = "최종예산 + ')
    assert f"'carried', which is bound after it (line {err.line + 1})" in err.message and err.message.startswith("let.sources")


def test_a_binding_may_not_refer_to_itself(tmp_path):
    text = with_let('sources = "최종예산 + sources"\n')
    err = load_error(tmp_path, text)
    assert (err.line, err.column) == position(text, "sources", "최종예산 + ") and "refers to itself" in err.message


def test_a_syntax_error_in_a_binding_points_inside_it(tmp_path):
    text = with_let('sources = "최종예산 + + 전년이월"\n')
    err = load_error(tmp_path, text)
    assert (err.line, err.column) == position(text, "+ 전년이월", "최종예산 + ") and err.message.startswith("let.sources")


def test_a_type_error_in_a_binding_points_inside_it(tmp_path):
    text = with_let('sources = "최종예산 + \'text\'"\n')
    err = load_error(tmp_path, text)
    assert (err.line, err.column) == position(text, "+ 'text'", "최종예산 ") and "number" in err.message


def test_an_unknown_name_in_a_binding_suggests_one(tmp_path):
    text = with_let('sources = "최종예산 + 전년이윌"\n')
    err = load_error(tmp_path, text)
    assert (err.line, err.column) == position(text, "전년이윌") and "did you mean '전년이월'" in err.message


def test_a_misspelt_binding_suggests_the_binding(tmp_path):
    err = load_error(tmp_path, PACK.replace('expected = "sources"', 'expected = "sourcse"'))
    assert "did you mean 'sources'" in err.message and err.line == 11


def test_a_binding_is_refused_inside_a_filter_whose_elements_have_its_names(tmp_path):
    text = PACK.replace('when = "sources != none"', 'when = "count(sheet.settlement.rows[최종예산 == sources]) > 0"')
    err = load_error(tmp_path, text)
    assert (err.line, err.column) == position(text, "sources", "최종예산 == ", section="")
    assert "cannot be used inside [...] or each()" in err.message and "'최종예산'" in err.message


def test_a_binding_without_names_may_be_used_inside_a_filter(tmp_path):
    text = PACK.replace('when = "sources != none"', 'when = "count(sheet.settlement.rows[최종예산 > limit]) >= 0"')
    [rule] = load(tmp_path, text.replace('[rule.let]\n', '[rule.let]\nlimit = "100 * 2"\n'))
    assert rule.when is not None


@pytest.mark.parametrize(("let", "message"), [
    ('sources = 5\n', "must be an expression"),
    ('sources = ["최종예산"]\n', "must be an expression"),
])
def test_a_binding_must_be_an_expression(tmp_path, let, message):
    text = with_let(let)
    err = load_error(tmp_path, text)
    assert message in err.message and err.line == position(text, "sources =")[0]


def test_let_must_be_a_table(tmp_path):
    err = load_error(tmp_path, PACK.split("\n[rule.let]")[0].replace('over =', 'let = "x"\nover ='))
    assert "let must be a table" in err.message and err.line == 8


def test_a_reader_rule_takes_no_bindings(tmp_path):
    text = """\
    [[rule]]
    code = "PARSE999"
    name = "parse.test"
    severity = "error"
    reader = true
    message.ko = "읽기"

    [rule.let]
    x = "1"
    """
    err = load_error(tmp_path, text)
    assert "reader rule takes no 'let'" in err.message


def test_a_chain_of_bindings_is_as_deep_as_it_is_written_out(tmp_path):
    chain = "".join(f'b{i} = "{"b" + str(i - 1) if i else "최종예산"} + {" + ".join(["1"] * 30)}"\n' for i in range(4))
    err = load_error(tmp_path, with_let(chain + 'sources = "b3"\n'))
    assert "too deep with its bindings written out" in err.message and err.message.startswith("let.b2")


def test_a_binding_is_checked_for_every_kind_of_element_in_over(tmp_path):
    text = PACK.replace('over = "settlement.rows"', 'over = ["settlement.rows", "summary.rows"]')
    err = load_error(tmp_path, text)
    assert err.message.startswith("let.carried") and "'전년이월'" in err.message and "SummaryRow" in err.message


def test_bindings_do_not_leak_from_one_rule_to_the_next(tmp_path):
    second = PACK.split("[[rule]]")[1].split("\n[rule.params]")[0].replace("TEST001", "TEST002").replace(
        "test-rule", "other-rule").replace("{total}", "x")
    err = load_error(tmp_path, PACK + "\n[[rule]]" + second)
    assert "unknown name 'sources'" in err.message


def test_a_loaded_rule_holds_no_binding_node():
    """Nothing at run time knows about bindings: the trees hold only the language's own nodes."""
    assert "let" not in {f.name for f in attrs.fields(type(load_ruleset().rules[0]))}
    for rule in load_ruleset().rules:
        for f in FIELDS:
            assert "'let'" not in repr(getattr(rule, f)), rule.code
