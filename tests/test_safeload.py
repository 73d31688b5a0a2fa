"""The safe reader of configuration, packs, vocabularies and baselines (auditor.safeload)."""

from __future__ import annotations

import codecs
import json
import os
import tomllib
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from auditor.safeload import (
    MAX_NESTING, LoadError, load_json, load_toml, loads_toml, read_bounded, scan_json, scan_toml,
)

GOOD = 'name = "x"\nlist = [[1, 2], [3]]\nwhen = 1979-05-27T07:32:00-08:00\nrate = 1.5e3\nbig = 9_223_372_036_854_775_807\n'


def test_valid_toml_reads_as_tomllib_reads_it():
    assert loads_toml(GOOD, "x.toml") == tomllib.loads(GOOD, parse_float=Decimal)


@pytest.mark.parametrize("text", [
    's = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\n',
    "s = '" + "{" * 100 + "'\n",
    's = """\n' + "[" * 100 + '\n"""\n',
    "s = '''" + "9" * 500 + "'''\n",
    "# " + "[" * 100 + " " + "9" * 500 + "\n",
    'k = "a \\" [[[[" # ' + "[" * 100 + "\n",
    "key-12345678901234567890123 = 1\n",
    "a = [" + "1, " * 1000 + "]\n",
])
def test_brackets_and_digits_inside_strings_and_comments_are_not_counted(text):
    assert loads_toml(text, "x.toml") == tomllib.loads(text, parse_float=Decimal)


@pytest.mark.parametrize("text, line, column, reason", [
    ("a = 1\nb = " + "[" * 5000 + "]" * 5000 + "\n", 2, 4 + MAX_NESTING + 1, "nested deeper than 64"),
    ("x = { a = " * 100 + "1" + " }" * 100, 1, 4 + 10 * MAX_NESTING + 1, "nested deeper than 64"),
    ("\n\nn = " + "9" * 5000 + "\n", 3, 5, "a number of 5,000 digits (at most 100)"),
    ("n = -" + "1" * 4400, 1, 5, "a number of 4,400 digits"),
    ("n = 9223372036854775808", 1, 5, "an integer out of TOML's 64-bit range"),
    ("n = 0x" + "f" * 17, 1, 5, "an integer out of TOML's 64-bit range"),
    ("f = 1e99999", 1, 5, "an exponent out of range"),
    ("[" + ".".join(["a"] * 200) + "]\n", 1, 1, "nested deeper than 64"),
])
def test_what_would_make_tomllib_recurse_or_allocate_is_refused_with_its_place(text, line, column, reason):
    with pytest.raises(LoadError) as err:
        loads_toml(text, "x.toml")
    assert (err.value.line, err.value.column) == (line, column)
    assert reason in str(err.value) and str(err.value).startswith(f"x.toml:{line}:{column}: ")
    assert not err.value.syntax and err.value.message_ko != str(err.value)


def test_a_syntax_error_has_its_line_even_at_the_end_of_the_document():
    with pytest.raises(LoadError) as err:
        loads_toml("# x\nselect = [\n", "c.toml")
    assert err.value.syntax and (err.value.line, str(err.value)) == (2, "c.toml:2:11: invalid TOML: Invalid value")


@given(st.recursive(st.integers(-(2**63), 2**63 - 1) | st.booleans()
                    | st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=5),
                    lambda inner: st.lists(inner, max_size=3), max_leaves=20))
def test_any_shallow_array_scans_clean(value):
    """The scan refuses nothing tomllib reads within the bounds: here, arrays of numbers and strings."""
    def dump(v):
        if isinstance(v, list):
            return "[" + ", ".join(dump(x) for x in v) + "]"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        return json.dumps(v, ensure_ascii=False)  # a basic string: JSON's escapes of " and \\ are TOML's

    text = f"v = {dump(value)}\n"
    scan_toml(text, "x.toml")
    assert loads_toml(text, "x.toml") == tomllib.loads(text)


# -- encodings ------------------------------------------------------------------------------------

TEXT = 'lang = "en"\n# 한글 주석\nselect = ["SET"]\n'


@pytest.mark.parametrize("data", [TEXT.encode(), codecs.BOM_UTF8 + TEXT.encode(), TEXT.encode("utf-16"),
                                  TEXT.encode("utf-32")], ids=["utf8", "utf8-bom", "utf16-bom", "utf32-bom"])
def test_utf8_and_any_encoding_a_bom_names_are_read(tmp_path, data):
    (tmp_path / "c.toml").write_bytes(data)
    assert load_toml(tmp_path / "c.toml")[0] == {"lang": "en", "select": ["SET"]}


def test_cp949_is_refused_at_its_first_byte(tmp_path):
    (tmp_path / "c.toml").write_bytes(TEXT.encode("cp949"))
    with pytest.raises(LoadError) as err:
        load_toml(tmp_path / "c.toml")
    assert (err.value.line, err.value.column) == (2, 3)
    assert "not UTF-8 (byte 0xC7; saved as CP949/EUC-KR?): save the file as UTF-8" in str(err.value)


def test_utf16_without_a_bom_is_refused(tmp_path):
    (tmp_path / "c.toml").write_bytes(TEXT.encode("utf-16-le"))
    with pytest.raises(LoadError, match="UTF-16 without a byte-order mark"):
        load_toml(tmp_path / "c.toml")


# -- files that are not small regular files --------------------------------------------------------

def test_a_fifo_a_device_and_a_directory_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "f.toml")
    os.symlink("/dev/zero", tmp_path / "z.toml")
    for name, kind in (("f.toml", "FIFO"), ("z.toml", "character device"), ("", "directory")):
        with pytest.raises(LoadError, match=kind):
            load_toml(tmp_path / name)


def test_a_file_over_the_bound_is_refused_after_reading_one_byte_past_it(tmp_path):
    (tmp_path / "b.json").write_bytes(b" " * 1001)
    with pytest.raises(LoadError, match=r"the baseline file is too large \(over 1,000 bytes\)"):
        read_bounded(tmp_path / "b.json", 1000, "기준선 파일", "baseline file")
    assert read_bounded(tmp_path / "b.json", 1001) == b" " * 1001


def test_json_nesting_and_numbers():
    scan_json('{"a": "[[[[' + "[" * 100 + '", "b": [1, 2.5e10, -3]}', "b.json")
    with pytest.raises(LoadError, match="1:65: nested deeper than 64"):
        scan_json("[" * 100_000 + "]" * 100_000, "b.json")
    with pytest.raises(LoadError, match="1:11: a number of more than 100 digits"):
        scan_json('{"n": [1, ' + "7" * 5000 + "]}", "b.json")


def test_json_syntax_errors_have_their_place(tmp_path):
    (tmp_path / "b.json").write_text('{\n  "a": tru\n}\n', encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_json(tmp_path / "b.json", 10_000)
    assert err.value.syntax and (err.value.line, err.value.column) == (2, 8)
