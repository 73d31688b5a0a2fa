"""Mutation fuzzing of the whole command: mangled copies of the example sheets and exports through
``auditor check`` in a subprocess, sometimes stopped half-way by SIGTERM.

Each example mangles every example file (byte flips, inserted and deleted bytes, lines deleted,
doubled or swapped, cells replaced, truncation, odd Unicode and bytes that are not UTF-8, CSV
quotes) and checks them in one run that writes a JSON report over an old one and an HTML or SARIF
report beside it. Whatever the input, and whether or not the run is stopped:

- the exit code is 0, 1 or 2 (or 143 when stopped), with no traceback and no internal error;
- the run ends within a generous timeout (a hang fails the test instead of hanging it);
- the inputs are byte for byte what they were;
- each report on disk is either the old one or a whole new one, and no temporary file is left.

The example budget is fixed: ``FUZZ_RUNS`` runs locally, more with ``CI=1`` (each run checks five
mangled files); ``AUDITOR_FUZZ_RUNS`` overrides both.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "a.txt": (ROOT / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt").read_bytes(),
    "b.txt": (ROOT / "examples" / "sheets" / "002_09ee4b9481a37380.txt").read_bytes(),
    "c.csv": (ROOT / "examples" / "eho" / "eho-expenditure-sample.csv").read_bytes(),
    "d.csv": b"\n".join((ROOT / "examples" / "eho" / "eho-yongin-2026-part1.csv").read_bytes().split(b"\n")[:80]),
    "e.csv": b"\n".join((ROOT / "examples" / "eho" / "eho-yongin-2026-part2.csv").read_bytes().split(b"\n")[:80]),
}
FUZZ_RUNS = int(os.environ.get("AUDITOR_FUZZ_RUNS") or (40 if os.environ.get("CI") else 8))
TIMEOUT = 180
OLD = {"report.json": '{"old": true}\n', "report.html": "<p>old</p>\n", "report.sarif": '{"old": "sarif"}\n'}

#: Text that has broken readers and reports elsewhere, spliced in as UTF-8 (or as raw bytes).
ODD = ["\u202e", "\u2066", "\u200b", "\u0301", "\ufeff", "\x00", "\x1b[2J", "\u3000", "Ａ１２", "\U0001F600",
       "△", "Δ", "−", "○", "□", "(x-)", "\r", "\t" * 20, "<script>", "&amp;", "천원", "%", "=", "*"]
RAW = [b"\xff\xfe", b"\xed\xa0\x80", b"\xc0", b"\x80", "가".encode("cp949"), b"\xef\xbb\xbf"]
CELLS = ["", "0", "-1", "△1,000", "9" * 40, "1e999", "(x-) 5", "1,2,3", '"', '""', '"a,b"', '"a\nb"', "가" * 200,
         "Ο", "ο", "경정 1,000원", "100,000원*4명*12개월", "((((((((((1))))))))))", "NaN", "１,０００"]


@st.composite
def mangled(draw, data: bytes, csv: bool) -> bytes:
    """``data`` after one to four random edits."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "lines", "cell", "truncate", "odd", "quote"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif kind == "truncate":
            del data[at:]
        elif kind == "odd":
            piece = draw(st.sampled_from(ODD)).encode("utf-8") if draw(st.booleans()) else draw(st.sampled_from(RAW))
            data[at:at] = piece * draw(st.integers(1, 20))
        else:
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if kind == "lines":
                how = draw(st.sampled_from(["delete", "double", "swap"]))
                if how == "delete":
                    del lines[i]
                elif how == "double":
                    lines.insert(i, lines[i])
                else:
                    lines[i], lines[j] = lines[j], lines[i]
            elif kind == "cell":
                sep = b"," if csv else b"\t"
                cells = lines[i].split(sep)
                k = draw(st.integers(0, len(cells) - 1))
                cells[k] = draw(st.sampled_from(CELLS)).encode("utf-8")
                lines[i] = sep.join(cells)
            else:  # a quote somewhere in the line: unbalanced, doubled or around a comma
                k = draw(st.integers(0, len(lines[i])))
                lines[i] = lines[i][:k] + draw(st.sampled_from([b'"', b'""', b'","', b'"\n"'])) + lines[i][k:]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def digest(folder: Path, names) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in names}


def whole(name: str, text: str) -> bool:
    """Is ``text`` a complete report of its kind?"""
    if name == "report.html":
        return text.rstrip().endswith("</html>")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return False
    return "findings" in doc if name == "report.json" else doc.get("version") == "2.1.0"


@settings(max_examples=FUZZ_RUNS, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mangled_examples_through_the_command(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    for name, original in EXAMPLES.items():
        (folder / name).write_bytes(data.draw(mangled(original, name.endswith(".csv")), label=name))
    extra = data.draw(st.sampled_from(["report.html", "report.sarif"]), label="second report")
    for name in ("report.json", extra):
        (folder / name).write_text(OLD[name], encoding="utf-8")
    jobs = data.draw(st.sampled_from(["1", "2"]), label="jobs")
    stop_after = data.draw(st.none() | st.floats(0.05, 2.0), label="SIGTERM after (s)")
    before = digest(folder, EXAMPLES)
    option = "--html-output" if extra == "report.html" else "--sarif-output"
    command = [sys.executable, "-m", "auditor", "check", *EXAMPLES, "-o", "report.json", "--output-format", "json",
               option, extra, "--jobs", jobs, "--lang", "en"]
    proc = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        if stop_after is not None:
            time.sleep(stop_after)
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "internal error" not in text, text[-3000:]
    allowed = {0, 1, 2} if stop_after is None else {0, 1, 2, 143, -signal.SIGTERM}
    assert proc.returncode in allowed, text[-3000:]
    assert digest(folder, EXAMPLES) == before, "an input was written to"
    leftovers = [n for n in os.listdir(folder) if n.endswith(".tmp")]
    assert leftovers == [], leftovers
    for name in ("report.json", extra):
        report = (folder / name).read_text(encoding="utf-8")
        assert report == OLD[name] or whole(name, report), (name, report[-500:])
    if proc.returncode in (0, 1, 2):
        doc = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        assert not [e for e in doc["errors"] if "internal error" in e["message_en"]], doc["errors"]
        assert doc["summary"]["files"] + doc["summary"]["unreadable"] == len(EXAMPLES)
        assert (proc.returncode == 2) == bool(doc["errors"]), (proc.returncode, doc["errors"])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_unmangled_examples_pass_through_the_same_checks(tmp_path, name):
    """The oracle's baseline: each example as it is gives a whole report and no error."""
    (tmp_path / name).write_bytes(EXAMPLES[name])
    done = subprocess.run([sys.executable, "-m", "auditor", "check", name, "-o", "report.json", "--output-format",
                           "json"], cwd=tmp_path, capture_output=True, timeout=TIMEOUT)
    assert done.returncode in (0, 1) and b"Traceback" not in done.stderr
    assert whole("report.json", (tmp_path / "report.json").read_text(encoding="utf-8"))
