"""Hostile inputs through the CLI: each gets a finding or a clear error naming it, and the run goes on.

Every case runs ``auditor check`` in a subprocess with a timeout (a hang fails the test) and a
1 GiB address-space cap (a read that grows without bound fails it), beside a real sheet that
must still be checked, and asserts that nothing printed a traceback.
"""

from __future__ import annotations

import codecs
import ctypes
import json
import os
import random
import resource
import socket
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from auditor.discovery import discover
from auditor.readers import read_bytes
from auditor.runner import RulesetSpec, run
from auditor.result import FileError

SHEETS = Path(__file__).resolve().parent.parent / "examples" / "sheets"
GOOD = (SHEETS / "000_c6c48727fbba6ebb.txt").read_bytes()
REAL = GOOD.decode("utf-8")
#: The real sheet as lines, to append to; the next line appended is line ``NEXT``.
BODY = REAL.rstrip("\n") + "\n"
NEXT = BODY.count("\n") + 1
SUMMARY_HEADER = "구 분\t2019예산액 (A)\t2020예산액 (B)\t증감 (B-A)\t(B-A)*100/A\n"
#: What the real sheet beside each hostile file gives: two REVIEW004 findings, at these lines.
GOOD_FINDINGS = [("REVIEW004", 32), ("REVIEW004", 36)]
MEMORY_CAP = 1 << 30
TIMEOUT = 90


@attrs.frozen
class Run:
    returncode: int
    doc: dict
    stderr: str

    def findings(self, path: str) -> list[tuple[str, int]]:
        return sorted((f["rule"], f["line"]) for f in self.doc["findings"] if f["path"] == path)

    def error(self, path: str) -> str | None:
        """The English message of the error naming ``path`` (checking the Korean one is there too)."""
        for e in self.doc["errors"]:
            if e["path"] == path:
                assert e["message"] and e["message"] != e["message_en"], e
                return e["message_en"]
        return None


def _limits(drop_dac: bool):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        if drop_dac:  # root reads anything: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH for this child
            libc = ctypes.CDLL(None, use_errno=True)
            for cap in (1, 2):
                if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
    return preexec


def audit(cwd: Path, *args: str, stdin: bytes | None = None, drop_dac: bool = False) -> Run:
    """``auditor check . --output-format json`` (or ``args``) in ``cwd``, capped in time and memory."""
    command = [sys.executable, "-m", "auditor", "check", *(args or (".",)), "--output-format", "json",
               "--lang", "en"]
    done = subprocess.run(command, cwd=cwd, input=stdin if stdin is not None else b"", capture_output=True,
                          timeout=TIMEOUT, preexec_fn=_limits(drop_dac))
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "MemoryError" not in stderr, stderr[-3000:]
    assert done.returncode in (0, 1, 2), stderr[-3000:]
    doc = json.loads(done.stdout)
    for e in doc["errors"]:
        assert "internal error" not in e["message_en"], e
    return Run(done.returncode, doc, stderr)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A directory holding the real sheet ``good.txt``, for one hostile file beside it."""
    (tmp_path / "good.txt").write_bytes(GOOD)
    return tmp_path


def assert_good_checked(r: Run) -> None:
    assert r.findings("good.txt") == GOOD_FINDINGS


def assert_finding(r: Run, path: str, code: str, line: int | None = None) -> dict:
    found = [f for f in r.doc["findings"] if f["path"] == path and f["rule"] == code]
    assert found, (path, code, r.findings(path), r.doc["errors"])
    if line is not None:
        assert found[0]["line"] == line, found
    assert_good_checked(r)
    return found[0]


def assert_error(r: Run, path: str, *words: str, good: bool = True) -> str:
    message = r.error(path)
    assert message is not None, (path, r.doc["errors"], r.findings(path))
    for word in words:
        assert word in message, message
    assert r.returncode == 2, "an input that could not be read exits 2"
    if good:
        assert_good_checked(r)
    return message


# -- contents: empty, binary, huge, long lines ---------------------------------------------------

def test_an_empty_file_is_parse007(case):
    (case / "x.txt").write_bytes(b"")
    assert_finding(audit(case), "x.txt", "PARSE007", 1)


def test_binary_junk_is_one_parse001_not_a_finding_per_line(case):
    rng = random.Random(7)
    (case / "x.txt").write_bytes(bytes(rng.randrange(256) for _ in range(200_000)))
    r = audit(case)
    assert r.findings("x.txt") == [("PARSE001", 1)]
    assert "binary" in assert_finding(r, "x.txt", "PARSE001")["message_en"]


def test_a_file_of_nul_bytes_only_is_binary(case):
    (case / "x.txt").write_bytes(b"\x00" * 100_000)
    r = audit(case)
    assert r.findings("x.txt") == [("PARSE001", 1)]
    assert_good_checked(r)


def test_a_100_mb_text_file_is_refused_by_size_without_being_read(case):
    with open(case / "x.txt", "wb") as f:  # 100 MiB of real sheets: under the 1 GiB cap only if never read whole
        chunk = GOOD * 1024
        for _ in range(100 * 2**20 // len(chunk) + 1):
            f.write(chunk)
    size = (case / "x.txt").stat().st_size
    message = assert_error(audit(case), "x.txt", "too large", f"{size:,} bytes", "--max-file-size")
    assert "1,000,000" in message


def test_max_file_size_can_be_raised_lowered_or_switched_off(case):
    (case / "x.txt").write_bytes(GOOD)
    assert_error(audit(case, ".", "--max-file-size", "1KB"), "x.txt", "too large", "at most 1,000", good=False)
    (case / "auditor.toml").write_text('max-file-size = "2KiB"\n', encoding="utf-8")
    assert_error(audit(case), "x.txt", "at most 2,048 bytes", good=False)
    r = audit(case, ".", "--max-file-size", "0")
    assert r.findings("x.txt") == GOOD_FINDINGS and r.returncode == 0


def test_a_bad_max_file_size_is_a_usage_error_naming_it(case):
    bad = subprocess.run([sys.executable, "-m", "auditor", "check", ".", "--max-file-size", "lots"], cwd=case,
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert bad.returncode == 2 and "--max-file-size" in bad.stderr and "Traceback" not in bad.stderr
    (case / "auditor.toml").write_text("max-file-size = -1\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "auditor", "check", ".", "--lang", "en"], cwd=case,
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert bad.returncode == 2 and "auditor.toml:1: 'max-file-size'" in bad.stderr


def test_an_e호조_csv_has_no_size_limit(case):
    sample = (SHEETS.parent / "eho" / "eho-expenditure-sample.csv").read_bytes()
    (case / "x.csv").write_bytes(sample)
    r = audit(case, ".", "--max-file-size", "1KB")
    assert r.error("x.csv") is None and r.doc["summary"]["files"] == 1, "x.csv read and checked"
    assert "too large" in r.error("good.txt"), "while 사업설명서 text is held to the limit"


@pytest.mark.parametrize("line", [
    "-" * 1_000_000 + "x",  # cubic in the old separator regex
    "가" * 1_000_000,
    "1원 " * 333_333,
    "\t" * 500_000 + "계",
], ids=["dashes", "hangul", "money-figures", "tabs"])
def test_a_line_of_a_million_characters_is_parse002_too_long(case, line):
    (case / "x.txt").write_bytes((BODY + line + "\n").encode())
    r = audit(case, ".", "--max-file-size", "0")  # past the size limit: the reader itself must hold
    too_long = assert_finding(r, "x.txt", "PARSE002", NEXT)
    assert "too long" in too_long["message_en"] and f"{len(line):,} characters" in too_long["message_en"]


def test_every_line_a_table_row_of_thousands_of_tabs(case):
    row = "사무관리비" + "\t(x-) 1" * 1400  # just under the line limit: every cell is read
    (case / "x.txt").write_bytes((SUMMARY_HEADER + "\n".join([row] * 100) + "\n").encode())
    r = audit(case)
    extra = [f for f in r.doc["findings"] if f["path"] == "x.txt" and f["rule"] == "PARSE006"]
    assert len(extra) == 100, "one PARSE006 per row, not one per cell"
    assert_good_checked(r)


def test_a_basis_cell_of_thousands_of_digits_and_brackets(case):
    lines = ["사무관리비\t○ 수당 " + "1" * 9000 + "\t=\t1천원", "사무관리비\t○ 수당 " + "(" * 9000 + "1원\t=\t1천원",
             "사무관리비\t○ 수당 " + " " * 9000 + "1원*2\t=\t2천원"]
    (case / "x.txt").write_bytes((BODY + "\n".join(lines) + "\n").encode())
    r = audit(case)
    assert {line for _, line in r.findings("x.txt")} >= {NEXT, NEXT + 1}, "the cells give findings"
    assert_good_checked(r)


# -- encodings and line endings ------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    REAL.encode("cp949"),
    codecs.BOM_UTF8 + GOOD,
    codecs.BOM_UTF16_LE + REAL.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + REAL.encode("utf-16-be"),
    REAL.encode("utf-16-le"),
    REAL.encode("utf-16-be"),
    REAL.encode("utf-32"),
    REAL.replace("\n", "\r\n").encode(),
    b"".join(line + random.Random(3).choice([b"\n", b"\r\n", b"\r"]) for line in GOOD.split(b"\n")),
], ids=["cp949", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32-bom", "crlf", "mixed-eol"])
def test_every_supported_encoding_and_line_ending_reads_as_the_sheet(case, data):
    (case / "x.txt").write_bytes(data)
    r = audit(case)
    assert r.findings("x.txt") == GOOD_FINDINGS and r.returncode == 0
    assert_good_checked(r)


@pytest.mark.parametrize("bad", [b"\xff\xfe\xc3", b"\xed\xa0\x80", b"\x00"], ids=["invalid-utf8", "lone-surrogate", "nul"])
def test_bad_bytes_in_the_middle_are_parse001_at_their_line(case, bad):
    cut = GOOD.index(b"\n", 3000) + 1
    (case / "x.txt").write_bytes(GOOD[:cut] + b"\xea\xb3\x84" + bad + b"\n" + GOOD[cut:])
    line = GOOD[:cut].count(b"\n") + 1
    assert_finding(audit(case), "x.txt", "PARSE001", line)


def test_bidi_controls_and_combining_marks_in_numbers_are_parse004(case):
    text = REAL.replace("(x-) 250,600", "(x-) 2\u202e50,6\u202c00").replace("(x-) 235,800", "(x-) 23\u03015,800")
    (case / "x.txt").write_bytes(text.encode())
    r = audit(case)
    line = REAL[:REAL.index("(x-) 250,600")].count("\n") + 1
    assert ("PARSE004", line) in r.findings("x.txt")
    assert_good_checked(r)


def test_a_formula_with_10000_nested_brackets_and_a_5000_digit_number(case):
    lines = ["사무관리비\t○ 수당 " + "(" * 10_000 + "1원" + ")" * 10_000 + "\t=\t1천원",
             "사무관리비\t○ 수당 " + "9" * 5000 + "원*2\t=\t" + "9" * 5000 + "천원"]
    (case / "x.txt").write_bytes((BODY + "\n".join(lines) + "\n").encode())
    r = audit(case, ".")
    assert {line for _, line in r.findings("x.txt")} >= {NEXT, NEXT + 1}
    assert_good_checked(r)


def test_a_5000_digit_amount_is_parse004_more_than_30_digits(case):
    (case / "x.txt").write_bytes(REAL.replace("(x-) 250,600", "9" * 5000).encode())
    found = assert_finding(audit(case), "x.txt", "PARSE004")
    assert "more than 30 digits" in found["message_en"] and len(found["message_en"]) < 300


# -- CSV -----------------------------------------------------------------------------------------

def test_a_csv_of_binary_junk(case):
    rng = random.Random(11)
    (case / "x.csv").write_bytes(bytes(rng.randrange(256) for _ in range(100_000)))
    r = audit(case)
    assert r.findings("x.csv")
    assert_good_checked(r)


def test_a_csv_of_a_million_columns(case):
    (case / "x.csv").write_bytes("회계연도,예산구분,".encode() + b"a," * 1_000_000 + b"\n")
    r = audit(case)
    assert r.findings("x.csv") or r.error("x.csv")
    assert_good_checked(r)


def test_a_csv_with_an_unclosed_quote(case):
    sample = (SHEETS.parent / "eho" / "eho-expenditure-sample.csv").read_bytes().split(b"\n")
    sample[2] = sample[2].replace(b",", b',"', 1)
    (case / "x.csv").write_bytes(b"\n".join(sample))
    r = audit(case)
    assert r.findings("x.csv") or r.error("x.csv")
    assert_good_checked(r)


# -- what is not a regular file ------------------------------------------------------------------

def test_a_fifo_named_txt_does_not_block_the_run(case):
    os.mkfifo(case / "x.txt")
    assert_error(audit(case), "x.txt", "FIFO")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_symlink_to_an_endless_device_is_not_read(case, device):
    os.symlink(device, case / "x.txt")
    assert_error(audit(case), "x.txt", "character device")


def test_a_socket_named_txt(case):
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(case / "x.txt"))
        assert_error(audit(case), "x.txt", "socket")


def test_a_dangling_symlink_walked_or_named(case):
    os.symlink(case / "nowhere.txt", case / "x.txt")
    assert_error(audit(case), "x.txt", "dangling")
    assert_error(audit(case, ".", "x.txt"), "x.txt", "dangling")


def test_a_directory_named_txt_is_walked(case):
    (case / "x.txt").mkdir()
    (case / "x.txt" / "inner.txt").write_bytes(GOOD)
    r = audit(case)
    assert r.findings("x.txt/inner.txt") == GOOD_FINDINGS and not r.doc["errors"]


def test_a_path_given_twice_is_checked_once(case):
    r = audit(case, "good.txt", "./good.txt", ".", str(case / "good.txt"))
    assert r.doc["summary"]["files"] == 1
    assert_good_checked(r)


def test_stdin_over_the_size_limit_is_an_error_naming_it(case):
    r = audit(case, "-", "good.txt", "--stdin-filename", "piped.txt", stdin=GOOD * 200)
    assert_error(r, "piped.txt", "too large")


# -- directories: loops, depth, permissions -----------------------------------------------------

def test_symlink_loops_are_reported_once_and_the_walk_ends(case):
    (case / "sub").mkdir()
    os.symlink("..", case / "sub" / "up")
    os.symlink(case, case / "sub" / "loop.txt")
    (case / "sub" / "inner.txt").write_bytes(GOOD)
    r = audit(case)
    assert r.findings("sub/inner.txt") == GOOD_FINDINGS and r.doc["summary"]["files"] == 2
    warnings = [line for line in r.stderr.splitlines() if "symbolic link loop" in line]
    assert sorted(w.split(": ")[2] for w in warnings) == ["sub/loop.txt", "sub/up"], r.stderr
    assert r.returncode == 0, "a loop loses no input"
    assert_good_checked(r)


def test_a_symlinked_directory_outside_the_tree_is_followed(case, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "far.txt").write_bytes(GOOD)
    os.symlink(outside, case / "linked")
    os.symlink(case, outside / "back")  # and a way back in: each directory is still walked once
    r = audit(case)
    assert r.findings("linked/far.txt") == GOOD_FINDINGS and r.doc["summary"]["files"] == 2


@pytest.fixture
def deep(case):
    """``case``/d/d/…/x.txt, 1,100 directories deep: past the recursion limit of a recursive walk.

    Removed here, from the bottom up: pytest's own clean-up of old temporary directories
    (``shutil.rmtree``) is recursive in Python 3.11 and would fail on it.
    """
    path = str(case)
    for _ in range(1100):
        path = os.path.join(path, "d")
        os.mkdir(path)
    Path(path, "x.txt").write_bytes(GOOD)
    yield Path(path).relative_to(case).as_posix() + "/x.txt"
    os.remove(os.path.join(path, "x.txt"))
    while path != str(case):
        os.rmdir(path)
        path = os.path.dirname(path)


def test_deep_nesting(case, deep):
    r = audit(case)
    assert r.findings(deep) == GOOD_FINDINGS
    assert_good_checked(r)


@pytest.fixture
def locked(case):
    """``case`` with an unreadable file and an unlistable directory (permissions restored after)."""
    (case / "x.txt").write_bytes(GOOD)
    (case / "closed").mkdir()
    (case / "closed" / "inside.txt").write_bytes(GOOD)
    os.chmod(case / "x.txt", 0)
    os.chmod(case / "closed", 0)
    yield case
    os.chmod(case / "closed", 0o755)
    os.chmod(case / "x.txt", 0o644)


def test_unreadable_files_and_directories_are_errors_and_the_run_goes_on(locked):
    r = audit(locked, drop_dac=os.geteuid() == 0)  # as root, without the capability to ignore permissions
    assert_error(r, "x.txt", "permission denied")
    assert_error(r, "closed", "permission denied", "directory")


# -- files that change between discovery and reading ---------------------------------------------

def test_a_file_that_vanishes_or_becomes_a_fifo_after_discovery(case):
    (case / "gone.txt").write_bytes(GOOD)
    (case / "piped.txt").write_bytes(GOOD)
    found = discover([str(case)], root=case)
    (case / "gone.txt").unlink()
    (case / "piped.txt").unlink()
    os.mkfifo(case / "piped.txt")
    from auditor.engine import load_ruleset

    outcomes = dict(zip((i.display for i in found.inputs), run(found.inputs, load_ruleset(), RulesetSpec())))
    assert isinstance(outcomes["gone.txt"], FileError) and outcomes["gone.txt"].message_en == "no such file"
    assert isinstance(outcomes["piped.txt"], FileError) and "FIFO" in outcomes["piped.txt"].message_en
    assert [f.code for f in outcomes["good.txt"][1]] == ["REVIEW004", "REVIEW004"]


def test_the_library_reader_takes_any_bytes(tmp_path):
    """``read_bytes`` on the worst of the above, in process: a Sheet every time."""
    for data in (b"", b"\x00" * 1000, b"-" * 100_000 + b"x", codecs.BOM_UTF32_BE + b"\x00\x00\xd8\x00"):
        sheet = read_bytes(data, "x.txt")
        assert sheet.problems and all(p.code.startswith("PARSE") for p in sheet.problems)


# -- settings, packs and baselines: bounded, regular files, one line and exit 2 -------------------

def refused(cwd: Path, *args: str) -> str:
    """``auditor check`` with ``args`` is refused before any sheet is read: exit 2, one line on stderr."""
    done = subprocess.run([sys.executable, "-m", "auditor", "check", *args], cwd=cwd, capture_output=True,
                          timeout=TIMEOUT, preexec_fn=_limits(False))
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and "Traceback" not in stderr and done.stdout == b"", stderr[-3000:]
    assert len(stderr.splitlines()) == 1 and stderr.startswith("auditor: error: "), stderr[-3000:]
    return stderr.strip()


@pytest.mark.parametrize("name, text, where, reason", [
    ("auditor.toml", "lang = 'en'\nselect = " + "[" * 5000 + "]" * 5000 + "\n", ":2:74:", "nested deeper than 64"),
    ("auditor.toml", "lang = 'en'\n[params.REVIEW001]\nmin_execution_rate = " + "6" * 5000 + "\n", ":3:22:",
     "a number of 5,000 digits (at most 100)"),
    ("auditor.toml", "[" + ".".join(["a"] * 5000) + "]\n", ":1:1:", "nested deeper than 64"),
    ("pyproject.toml", "[tool.auditor]\nlang = 'en'\nselect = " + "{a=" * 5000 + "}" * 5000 + "\n", ":3:", "nested"),
])
def test_a_config_nested_deep_or_with_a_huge_integer_is_exit_2_with_its_line(case, name, text, where, reason):
    (case / name).write_text(text, encoding="utf-8")
    message = refused(case, ".", "--lang", "en")  # the file's own lang cannot be read: it is the file at fault
    assert f"{case / name}{where}" in message and reason in message


@pytest.mark.parametrize("name", ["auditor.toml", "pyproject.toml"])
def test_a_cp949_config_is_refused_naming_the_file_and_the_byte(case, name):
    text = ("[tool.auditor]\n" if name == "pyproject.toml" else "") + "# 검사 설정\nselect = ['SET']\n"
    (case / name).write_bytes(text.encode("cp949"))
    message = refused(case, ".")  # a pyproject.toml with [tool.auditor] is ours even when it cannot be read
    line = 2 if name == "pyproject.toml" else 1
    assert f"{case / name}:{line}:3: UTF-8이 아닙니다 (바이트 0xB0; CP949/EUC-KR로 저장했나요?)" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_a_config_whose_bom_names_its_encoding_is_read(case, encoding):
    (case / "auditor.toml").write_bytes("# 검사 설정\nselect = ['REVIEW']\nlang = 'en'\n".encode(encoding))
    r = audit(case)
    assert_good_checked(r)


def test_a_utf16_config_without_a_bom_is_refused(case):
    (case / "auditor.toml").write_bytes("select = ['SET']\n".encode("utf-16-le"))
    assert "UTF-16인가요" in refused(case, ".")


@pytest.mark.parametrize("value, reason", [("9" * 5000, "a number of 5,000 digits"), ("[" * 5000, "nested deeper"),
                                           ("1e999999999", "an exponent out of range")])
def test_a_param_with_a_huge_integer_or_deep_nesting_is_a_usage_error(case, value, reason):
    done = subprocess.run([sys.executable, "-m", "auditor", "check", ".", "--param",
                           f"REVIEW001.min_execution_rate={value}"], cwd=case, capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Invalid value for '--param'" in done.stderr and reason in done.stderr


@pytest.mark.parametrize("text, reason", [
    ('{"version": 1, "tool": "auditor", "findings": ' + "[" * 100_000 + "]" * 100_000 + "}", "1:110: nested deeper"),
    ('{"version": ' + "1" * 5000 + ', "tool": "auditor", "findings": []}', "1:13: a number of more than 100"),
    ('{"version": 1, "tool": "auditor", "findings": [' + "{" * 100_000, "nested deeper than 64"),
])
def test_a_baseline_nested_deep_or_with_a_huge_integer_is_exit_2(case, text, reason):
    (case / "b.json").write_text(text, encoding="utf-8")
    message = refused(case, ".", "--baseline", "b.json", "--lang", "en")
    assert message.startswith("auditor: error: b.json: ") and reason in message


def test_a_fifo_or_an_endless_device_as_the_baseline_is_refused_without_blocking(case):
    os.mkfifo(case / "fifo.json")
    os.symlink("/dev/zero", case / "zero.json")
    assert refused(case, ".", "--baseline", "fifo.json", "--lang", "en") == (
        "auditor: error: fifo.json: not read: it is a named pipe (FIFO), not a regular file")
    assert "character device" in refused(case, ".", "--baseline", "zero.json", "--lang", "en")


@pytest.mark.parametrize("where", ["x.toml", "vocabulary/x.toml"])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_a_fifo_or_a_device_named_toml_among_the_packs_is_refused_without_blocking(case, where, kind):
    pack = case / "pack"
    (pack / "vocabulary").mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(pack / where)
    else:
        os.symlink(kind, pack / where)
    message = refused(case, ".", "--rules", "pack")
    assert f"{pack / where}:1:1: not read: it is a" in message
    assert ("named pipe (FIFO)" if kind == "fifo" else "character device") in message


# -- globs: matched without backtracking, invalid ones are usage errors --------------------------

def test_a_backtracking_glob_against_long_names_ends_at_once(case):
    """``*a*a*a*a*a*a*b`` as a regex took 74 s per path; the run's timeout catches a regression."""
    deep = case / ("a" * 200) / ("a" * 200)
    deep.mkdir(parents=True)
    (deep / ("a" * 240 + ".txt")).write_bytes(GOOD)
    r = audit(case, ".", "--extend-exclude", "*a*a*a*a*a*a*b,**/*a*a*a*a*a*a*b", "--per-file-ignores",
              "**a**a**a**a**a**a**a**b:ALL")
    assert r.doc["summary"]["files"] == 2 and r.findings(f"{'a' * 200}/{'a' * 200}/{'a' * 240}.txt") == GOOD_FINDINGS


@pytest.mark.parametrize("args", [("--exclude", "[z-a]"), ("--extend-exclude", "ok,x[9-0]"), ("--include", "[z-a]"),
                                  ("--per-file-ignores", "[z-a]:ALL"), ("[z-a]*.txt",)])
def test_an_invalid_glob_on_the_command_line_is_a_usage_error(case, args):
    done = subprocess.run([sys.executable, "-m", "auditor", "check", ".", *args], cwd=case, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "bad character range" in done.stderr and "Invalid value for" in done.stderr


@pytest.mark.parametrize("text, line", [("lang = 'en'\nexclude = [\n  'ok',\n  '[z-a]',\n]\n", 4),
                                        ("lang = 'en'\n[per-file-ignores]\n'[z-a]' = ['ALL']\n", 3)])
def test_an_invalid_glob_in_the_config_names_its_line(case, text, line):
    (case / "auditor.toml").write_text(text, encoding="utf-8")
    message = refused(case, ".")
    assert f"auditor.toml:{line}: '" in message and "bad character range z-a" in message


# -- what is held at once is bounded; what is streamed is not -------------------------------------

@pytest.mark.parametrize("name", ["x.csv", "x.txt"])
def test_a_4_gb_sparse_file_is_refused_by_what_it_would_hold(case, name):
    """4 GB of NUL bytes, under a 1 GiB memory cap: an export is streamed, but its one "line" would
    be held whole, so the limit applies to it; sheet text is held whole."""
    with open(case / name, "wb") as f:
        f.truncate(4 * 2**30)
    message = assert_error(audit(case), name, "too large", "see --max-file-size")
    assert ("line 1 is too large (over 1,000,000 bytes" if name == "x.csv" else "4,294,967,296 bytes") in message


def test_an_export_longer_than_the_limit_is_streamed_but_a_record_over_it_is_refused(case):
    sample = (SHEETS.parent / "eho" / "eho-yongin-2026-part2.csv").read_bytes()
    (case / "big.csv").write_bytes(sample)
    r = audit(case, ".", "--max-file-size", "20KB")  # the export is 110 KB, each record under 1 KB
    assert r.error("big.csv") is None and r.doc["summary"]["files"] == 2
    lines = sample.split(b"\n")
    lines[5] = lines[5] + b"," * 30_000
    (case / "big.csv").write_bytes(b"\n".join(lines))
    message = assert_error(audit(case, ".", "--max-file-size", "20KB"), "big.csv", "line 6 is too large")
    assert "(over 20,000 bytes; at most 20,000 bytes are held at once, see --max-file-size)" in message


def test_an_export_on_standard_input_is_held_whole_so_the_limit_applies(case):
    sample = (SHEETS.parent / "eho" / "eho-yongin-2026-part2.csv").read_bytes()
    r = audit(case, "-", "good.txt", "--stdin-filename", "piped.csv", stdin=sample)
    assert r.error("piped.csv") is None and r.doc["summary"]["files"] == 2
    assert_error(audit(case, "-", "good.txt", "--stdin-filename", "piped.csv", "--max-file-size", "50KB",
                       stdin=sample), "piped.csv", "too large", "at most 50,000 bytes")


def test_parse_reads_standard_input_with_a_bound(case):
    """``auditor parse -`` from an endless stream ends, refusing it, within the memory cap."""
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run([sys.executable, "-m", "auditor", "parse", "-", "--lang", "en"], cwd=case, stdin=zero,
                              capture_output=True, timeout=TIMEOUT, preexec_fn=_limits(False))
    stderr = done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in stderr and "too large" in stderr
    done = subprocess.run([sys.executable, "-m", "auditor", "parse", "/dev/zero", "--lang", "en"], cwd=case,
                          capture_output=True, timeout=TIMEOUT, preexec_fn=_limits(False))
    assert done.returncode == 2 and "character device" in done.stderr.decode()


@pytest.mark.parametrize("size", ["9223372036854775808", "99999999999999999999999GB", "9" * 400 + "GB", "1e30",
                                  "-1", "1" * 5000])
def test_a_max_file_size_past_2_63_is_a_usage_error(case, size):
    done = subprocess.run([sys.executable, "-m", "auditor", "check", ".", "--max-file-size", size], cwd=case,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "'--max-file-size'" in done.stderr


def test_the_largest_max_file_size_reads_as_no_limit_without_allocating_it(case):
    r = audit(case, ".", "--max-file-size", str(2**63 - 1))
    assert_good_checked(r)
    assert r.returncode == 0


# -- file names: bytes that are not UTF-8, paths past PATH_MAX ------------------------------------

@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "junit", "html", "markdown", "github", "full", "concise"])
def test_a_file_name_that_is_not_utf8_gives_a_whole_report(case, fmt):
    """Such a name is shown with ``\\xNN`` for each byte that is not UTF-8, in every format."""
    Path(os.path.join(os.fsencode(case), b"bad\xff\xfe.txt").decode("utf-8", "surrogateescape")).write_bytes(GOOD)
    Path(os.path.join(os.fsencode(case), b"empty\xc0.txt").decode("utf-8", "surrogateescape")).write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "auditor", "check", ".", "--output-format", fmt, "-o", "out",
                           "--lang", "en"], cwd=case, capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr
    text = (case / "out").read_text(encoding="utf-8")  # valid UTF-8, whatever the names
    shown = ["bad\\xff\\xfe.txt", "empty\\xc0.txt", "good.txt"]
    if fmt == "json":
        assert sorted({f["path"] for f in json.loads(text)["findings"]}) == shown
    elif fmt == "gitlab":
        assert sorted({i["location"]["path"] for i in json.loads(text)}) == shown
    elif fmt == "sarif":
        uris = {a["location"]["uri"] for a in json.loads(text)["runs"][0]["artifacts"]}
        assert uris == {"bad%5Cxff%5Cxfe.txt", "empty%5Cxc0.txt", "good.txt"}
    else:  # Markdown escapes the backslash, so that it renders as one
        assert all((name.replace("\\", "\\\\") if fmt == "markdown" else name) in text for name in shown[:2])


def test_a_baseline_of_names_that_are_not_utf8_is_written_whole_and_matches(case):
    Path(os.path.join(os.fsencode(case), b"bad\xff.txt").decode("utf-8", "surrogateescape")).write_bytes(GOOD)
    done = subprocess.run([sys.executable, "-m", "auditor", "check", ".", "--write-baseline", "b.json"], cwd=case,
                          capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    entries = json.loads((case / "b.json").read_text(encoding="utf-8"))["findings"]
    assert sorted({e["path"] for e in entries}) == ["bad\\xff.txt", "good.txt"] and len(entries) == 4
    r = audit(case, ".", "--baseline", "b.json")
    assert r.doc["findings"] == [] and r.doc["summary"]["baselined"] == 4 and r.returncode == 0


@pytest.fixture
def too_deep(case):
    """``case``/d…/d…/…/x.txt, whose path is longer than PATH_MAX (4,096): the system cannot open it by
    path. Made and removed one directory at a time, relative to the one before (no path is too long then)."""
    here = os.getcwd()
    os.chdir(case)
    try:
        for _ in range(25):
            os.mkdir("d" * 200)
            os.chdir("d" * 200)
        Path("x.txt").write_bytes(GOOD)
    finally:
        os.chdir(here)
    yield "/".join(["d" * 200] * 25)
    os.chdir(case)
    try:
        for _ in range(25):
            os.chdir("d" * 200)
        os.remove("x.txt")
        for _ in range(25):
            os.chdir("..")
            os.rmdir("d" * 200)
    finally:
        os.chdir(here)


def test_a_directory_past_path_max_is_an_unreadable_input_not_a_silent_skip(case, too_deep):
    r = audit(case)
    errors = r.doc["errors"]
    assert len(errors) == 1 and errors[0]["message_en"] == "cannot read: File name too long", errors
    assert errors[0]["path"].startswith("d" * 200 + "/") and r.returncode == 2
    assert_good_checked(r)


def test_a_named_path_past_path_max_is_an_unreadable_input(case, too_deep):
    r = audit(case, f"{case}/{too_deep}/x.txt", "good.txt")
    assert [e["message_en"] for e in r.doc["errors"]] == ["cannot read: File name too long"] and r.returncode == 2
    assert_good_checked(r)


def test_a_csv_row_of_50000_extra_cells_gives_one_finding_not_50000(case):
    """One row, one problem: a PARSE006 at the first extra cell that quotes the first hundred (the reader
    holds no problem per cell, and the report stays small); the per-line cap is tested in test_report_bounds."""
    sample = (SHEETS.parent / "eho" / "eho-expenditure-sample.csv").read_bytes().split(b"\n")
    sample[3] += b",1" * 50_000
    (case / "x.csv").write_bytes(b"\n".join(sample))
    r = audit(case)
    on_row = [f for f in r.doc["findings"] if f["path"] == "x.csv" and f["line"] == 4 and f["rule"] == "PARSE006"]
    assert len(on_row) == 1
    assert on_row[0]["message_en"].endswith("'1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | "
                                           "1 | 1 | 1 | 1 | 1 | 1 | …'")  # quoted, and cut at 100 characters
    assert_good_checked(r)


def test_parse_shows_a_name_that_is_not_utf8_escaped(case):
    name = os.path.join(os.fsencode(case), b"bad\xff.txt").decode("utf-8", "surrogateescape")
    Path(name).write_bytes(GOOD)
    done = subprocess.run([sys.executable, "-m", "auditor", "parse", name, "--format", "json"], cwd=case,
                          capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["sheets"][0]["path"].endswith("bad\\xff.txt")
