"""No expression text, however long or odd, makes loading a pack raise anything but RulePackError."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine import RulePackError, load_ruleset
from auditor.engine.expr import MAX_TREE_DEPTH

PACK = """\
[pack]
name = "fuzz"

[[rule]]
code = "FUZZ001"
name = "fuzz.rule"
severity = "error"
over = "settlement.rows"
{key} = {value}
message.ko = "x"
"""


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (every control character escaped)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def load(expr: str, key: str = "assert"):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.toml"
        path.write_text(PACK.format(key=key, value=toml_string(expr)), encoding="utf-8")
        return path, load_ruleset([path], builtin=False)


def load_error(expr: str, key: str = "assert") -> RulePackError:
    with pytest.raises(RulePackError) as info:
        load(expr, key)
    return info.value


@pytest.mark.parametrize("expr", [
    "-" * 1000 + "1 == 1",
    "+".join(["1"] * 500) + " == 1",
    "not " * 300 + "true",
    " and ".join(["true"] * 200),
    "집행액" + ".a" * 600,
    "x" + "[0]" * 500,
])
def test_a_long_operator_chain_is_refused_at_its_key_line(expr):
    err = load_error(expr)
    assert err.line == 9 and "too deep" in err.message


def test_a_chain_just_under_the_limit_loads_and_runs():
    expr = " + ".join(["1"] * (MAX_TREE_DEPTH - 2)) + f" == {MAX_TREE_DEPTH - 2}"
    _, rules = load(expr)
    assert [r.code for r in rules.rules] == ["FUZZ001"]


TOKENS = st.sampled_from([
    "1", "0.5", "'a'", '"b"', "true", "false", "none", "집행액", "예산현액", "연도", "prev", "this", "sheet",
    "rows", "x", "sum(", "count(", "each(", "min(", "rate(", "norm(", "vocab(", "(", ")", "[", "]", ",", ".",
    "+", "-", "*", "/", "==", "!=", "<", ">=", " in ", " not in ", " and ", " or ", "not ", " ", "{", "}",
    "\\", "\n", "%", "'", '"',
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.lists(TOKENS, max_size=60).map("".join),
    st.tuples(TOKENS, st.integers(1, 1200)).map(lambda t: t[0] * t[1]),
    st.text(max_size=80),
), st.sampled_from(["assert", "when", "at", "message.ko"]))
def test_loading_raises_nothing_but_rule_pack_errors(expr, key):
    try:
        load(expr, key)
    except RulePackError:
        pass
