"""auditor.charsets builds every character class exactly as ``re`` does: the same function on generated
classes (with and without case folding, across the 256 and 64K boundaries and past the BMP), and the
same compiled code for every pattern of auditor's modules; and the comparison catches a class built
one code point short."""

from __future__ import annotations

import importlib
import pkgutil
import re
from re import _compiler, _parser
from re._constants import CATEGORY, CATEGORY_DIGIT, LITERAL, NEGATE, RANGE

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import auditor
from auditor import charsets
from auditor.lazyre import LazyPattern

pytestmark = pytest.mark.skipif(not charsets._copied_from(), reason="re's function is not the one copied")


def _code(pattern: str, flags: int, optimize) -> list[int]:
    saved = _compiler._optimize_charset
    _compiler._optimize_charset = optimize
    try:
        return _compiler._code(_parser.parse(pattern, flags), flags)
    finally:
        _compiler._optimize_charset = saved


#: Code points near the edges that matter: ASCII, the 256 map, Hangul, the end of the BMP, beyond.
_POINT = st.one_of(st.integers(0, 300), st.integers(0xAC00 - 2, 0xD7A3 + 2), st.integers(0xFF00, 0x10100),
                   st.integers(0, 0x10FFFF), st.sampled_from([0, 255, 256, 0xFFFF, 0x10000, 0x10FFFF]))
_ITEM = st.one_of(st.tuples(st.just(LITERAL), _POINT),
                  st.builds(lambda a, b: (RANGE, (min(a, b), max(a, b))), _POINT, _POINT),
                  st.just((CATEGORY, CATEGORY_DIGIT)))


@settings(max_examples=200, deadline=None)
@given(st.lists(_ITEM, min_size=1, max_size=5), st.booleans())
def test_the_function_gives_what_re_gives(items, negate):
    charset = [(NEGATE, None)] * negate + items
    assert charsets.optimize_charset(list(charset)) == charsets.STOCK(list(charset))
    iscased, fixup = _compiler._sre.unicode_iscased, _compiler._sre.unicode_tolower
    fixes = _compiler._ignorecase_fixes if hasattr(_compiler, "_ignorecase_fixes") else None
    assert charsets.optimize_charset(list(charset), iscased, fixup, fixes) == \
        charsets.STOCK(list(charset), iscased, fixup, fixes)


def _class(items: list[tuple[int, int]]) -> str:
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in items)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.builds(lambda a, b: (min(a, b), max(a, b)), _POINT, _POINT), min_size=1, max_size=4),
       st.sampled_from([0, re.IGNORECASE, re.ASCII, re.IGNORECASE | re.ASCII]), st.booleans())
def test_compiled_patterns_are_the_same(ranges, flags, negate):
    pattern = f"x[{'^' * negate}{_class(ranges)}]+y|[{_class(ranges)}]"
    assert _code(pattern, flags, charsets.optimize_charset) == _code(pattern, flags, charsets.STOCK)


def _auditor_patterns():
    for info in pkgutil.walk_packages(auditor.__path__, "auditor."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                yield f"{info.name}.{name}", value.pattern, value.flags
            elif isinstance(value, LazyPattern):
                yield f"{info.name}.{name}", *value._source


def test_every_pattern_of_auditor_compiles_to_the_same_code():
    patterns = list(_auditor_patterns())
    assert len(patterns) > 80 and any("가-힣" in p for _, p, _ in patterns)
    for where, pattern, flags in patterns:
        assert _code(pattern, flags, charsets.optimize_charset) == _code(pattern, flags, charsets.STOCK), where


def test_a_class_built_one_code_point_short_is_caught():
    def short(charset, *args):
        return charsets.optimize_charset([(op, (av[0], av[1] - 1)) if op is RANGE else (op, av)
                                          for op, av in charset], *args)

    assert _code("[가-힣]", 0, short) != _code("[가-힣]", 0, charsets.STOCK)


def test_installed_by_the_command_line_and_left_out_on_request(monkeypatch):
    import auditor.cli  # noqa: F401 - installs it

    assert charsets.installed() and _compiler._optimize_charset is charsets.optimize_charset
    monkeypatch.setattr(_compiler, "_optimize_charset", charsets.STOCK)
    monkeypatch.setenv("AUDITOR_STOCK_RE", "1")
    assert not charsets.install() and _compiler._optimize_charset is charsets.STOCK
    monkeypatch.delenv("AUDITOR_STOCK_RE")
    assert charsets.install()
