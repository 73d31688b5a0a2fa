"""Patterns compiled at their first use (``auditor.lazyre``): not compiled at import, compiled once at
the first use, and then matching exactly as the eager pattern of the same text does, method by
method, on generated text (Hangul, jamo, the characters around the Hangul block, digits, signs)."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

import auditor.engine.documents as documents
import auditor.formula.amount as amount
import auditor.formula.fast as fast
import auditor.formula.grammar as grammar
import auditor.formula.split as split
import auditor.formula.tokens as tokens
import auditor.readers.basis as basis
import auditor.readers.numbers as numbers
import auditor.report.base as base
from auditor.lazyre import LazyPattern, lazy

decode = importlib.import_module("auditor.readers.decode")  # the package's ``decode`` is a function

#: Every pattern made lazy, with the module that uses it.
LAZY = {
    "fast._TAG": fast._TAG, "amount._DIGITS_AT": amount._DIGITS_AT, "amount._UNIT_AT": amount._UNIT_AT,
    "grammar._HANGUL_RUN": grammar._HANGUL_RUN, "tokens.TAG_AT": tokens.TAG_AT, "split._RHS": split._RHS,
    "split._WORD_AFTER": split._WORD_AFTER, "split._WHOLE_OPERATOR": split._WHOLE_OPERATOR,
    "documents._SUPPLEMENTARY": documents._SUPPLEMENTARY, "documents._SEPARATOR": documents._SEPARATOR,
    "numbers._NUMBER": numbers._NUMBER, "decode._JUNK": decode._JUNK, "base.LINE_BREAK": base.LINE_BREAK,
    "base._CONTROL": base._CONTROL, "basis._GROUP": basis._GROUP,
}

#: Text around what the patterns classify: Hangul syllables (the block's ends and the characters just
#: outside it), jamo, tags, money words, figures, signs, operators, separators, line breaks, controls.
PIECES = st.sampled_from([
    "가", "힣", "\uabff", "\ud7a4", "ㄱ", "ᄀ", "원", "천원", "백만원", "경정", "기정", "제", "회", "차", "추경",
    "추가경정", "예산", "○", "◯", "0", "7", "1,000", "3.5", ",", ".", " ", "\t", "\r\n", "\n", "\x0b", "\u2028",
    "\x00", "\x7f", "\x9f", "\ufffd", "*", "×", "/", "+", "-", "−", "－", "△", "Δ", "=", ":", "：", "–", "—", "a", "x",
])
TEXT = st.lists(st.one_of(PIECES, st.characters(min_codepoint=0x00, max_codepoint=0xFFFF)), max_size=20).map("".join)


def test_a_lazy_pattern_is_compiled_at_its_first_use_and_once():
    pattern = lazy(r"[가-힣]+")
    assert "_compiled" not in vars(pattern)  # nothing compiled yet
    assert pattern.match("가나다a")[0] == "가나다"
    compiled = vars(pattern)["_compiled"]
    assert pattern.compiled is compiled and pattern.search is not None
    assert pattern.match.__self__ is compiled  # later calls are the compiled pattern's own methods


def test_a_lazy_pattern_offers_what_a_compiled_one_does():
    pattern, eager = lazy(r"(?P<x>[0-9]+)원", re.IGNORECASE), re.compile(r"(?P<x>[0-9]+)원", re.IGNORECASE)
    for name in ("pattern", "flags", "groups", "groupindex"):
        assert getattr(pattern, name) == getattr(eager, name)
    assert pattern.sub("N", "5원 7원") == eager.sub("N", "5원 7원")
    assert pattern.split("5원 7원") == eager.split("5원 7원")
    assert [m.span() for m in pattern.finditer("5원 7원")] == [m.span() for m in eager.finditer("5원 7원")]
    try:
        pattern.no_such_method
    except AttributeError:
        pass
    else:
        raise AssertionError("an unknown attribute must raise AttributeError")


def test_importing_the_command_line_compiles_none_of_the_lazy_patterns():
    # In a fresh process: ``auditor check``'s imports leave every lazy pattern uncompiled (a module that
    # read ``.pattern`` or matched at import would compile it, and pay for it at every start-up).
    modules = {value.__name__ for value in (documents, amount, fast, grammar, split, tokens, basis, decode,
                                            numbers, base)}
    code = ("import sys, auditor.cli, auditor.runner, auditor.report.json_format\n"
            + "".join(f"import {name}\n" for name in sorted(modules))
            + "m = {name.rsplit('.', 1)[1]: sys.modules[name] for name in sys.modules if name.startswith('auditor.')}\n"
            + f"print(sum('_compiled' in vars(getattr(m[k.split('.')[0]], k.split('.')[1])) for k in {sorted(LAZY)!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"
    assert all(isinstance(p, LazyPattern) for p in LAZY.values())


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(0, 20))
def test_each_lazy_pattern_matches_as_the_eager_one(text, at):
    at = min(at, len(text))
    for name, pattern in LAZY.items():
        source, flags = pattern._source
        eager = re.compile(source, flags)
        for method in ("match", "search", "fullmatch"):
            got, want = getattr(pattern, method)(text, at), getattr(eager, method)(text, at)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (name, method)
        assert pattern.findall(text) == eager.findall(text), name
