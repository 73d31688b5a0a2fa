"""The text reports are written as the run goes: each file's findings when it is checked, in input order,
the same text as the report of the whole run; progress on standard error, a bar or an occasional line."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from auditor import report
from auditor.findings import Finding, Related, Severity
from auditor.progress import Bar, Lines
from auditor.result import CheckedFile, CheckResult, FileError

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "examples" / "sheets" / "000_c6c48727fbba6ebb.txt").read_bytes()  # two REVIEW004 (info)


# -- the writers: written in parts, the same text ------------------------------------------------
@st.composite
def results(draw) -> CheckResult:
    """Files of a few lines with findings on them (every severity, some with values, context, related
    lines), sorted as a run gives them, and perhaps unreadable inputs."""
    paths = draw(st.lists(st.sampled_from(["a.txt", "b/c.txt", "d.csv", "가.txt"]), unique=True, max_size=4))
    files, findings = [], []
    for path in sorted(paths):
        lines = draw(st.lists(st.text(alphabet="가1 \t,x", max_size=12), min_size=1, max_size=6))
        files.append(CheckedFile(path, lines))
        for n in range(draw(st.integers(0, 14))):
            line = draw(st.integers(1, len(lines)))
            findings.append(Finding(
                draw(st.sampled_from(["SET001", "SUM002", "REVIEW004"])), "x.y", draw(st.sampled_from(list(Severity))),
                path, line, f"메시지 {n}", f"message {n}", column=draw(st.none() | st.integers(1, 5)),
                expected=draw(st.none() | st.just("1천원")), actual=draw(st.none() | st.just("2천원")), key=str(n),
                related=draw(st.lists(st.builds(Related, st.just(path), st.integers(1, len(lines))), max_size=1)),
                context=draw(st.sampled_from([(), (("department", "도로과"),)]))))
    errors = [FileError(p, "없음", "missing") for p in draw(st.lists(st.sampled_from(["x.txt", "y.txt"]), max_size=2))]
    return CheckResult(files, sorted(findings, key=Finding.sort_key), errors, fail_on=Severity.WARNING)


def written_in_parts(fmt: str, result: CheckResult, **options) -> str:
    """The report as a run writes it: each file's findings, then the end."""
    writer = report.writer(fmt, **options)
    files = {f.path: f for f in result.files}
    parts = []
    for path in sorted({f.path for f in result.findings}):
        mine = [f for f in result.findings if f.path == path]
        parts += writer.findings(mine, {path: files[path]})
    parts += writer.end(result)
    return "".join(parts)


@pytest.mark.parametrize("fmt", report.STREAMED)
@given(result=results(), color=st.booleans(), summary=st.booleans(), lang=st.sampled_from(["ko", "en"]))
@settings(max_examples=60, deadline=None)
def test_a_report_written_file_by_file_is_the_report_of_the_whole_run(fmt, result, color, summary, lang):
    options = {"lang": lang, "color": color} | ({"summary": summary} if fmt in report.HUMAN_FORMATS else {})
    assert written_in_parts(fmt, result, **options) == report.render(fmt, result, **options)


@given(st.integers(0, 25), st.integers(0, 25), st.integers(0, 25), st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_github_annotates_the_first_findings_of_each_kind_as_if_it_knew_the_whole_run(errors, warnings, notes,
                                                                                     unreadable):
    """Written as the run goes, github still uses every place GitHub shows (10 of each kind, the note
    included), on the first findings of each kind in report order, and an unreadable input always has one."""
    levels = [Severity.ERROR] * errors + [Severity.WARNING] * warnings + [Severity.INFO] * notes
    findings = [Finding("B001", "b.x", level, "s.txt", n + 1, f"m{n}", key=str(n)) for n, level in enumerate(levels)]
    gone = [FileError(f"gone{i}.txt", "없음") for i in range(unreadable)]
    text = report.render("github", CheckResult([CheckedFile("s.txt", ["x"] * 80)], findings, gone))
    commands = Counter(re.findall(r"^::(error|warning|notice) ", text, re.MULTILINE))
    annotated = re.findall(r"^::(?:error|warning|notice) file=s\.txt,line=(\d+)", text, re.MULTILINE)
    for kind, level, count in (("error", Severity.ERROR, errors + unreadable), ("warning", Severity.WARNING, warnings),
                               ("notice", Severity.INFO, notes)):
        assert commands[kind] == min(count, 10), kind  # every place used, none too many
        mine = [str(f.line) for f in findings if f.severity is level]
        shown = [line for line in annotated if line in set(mine)]
        assert shown == mine[:len(shown)], "the first of the kind, in report order"
    if unreadable:
        assert "file=gone0.txt" in text
    listed = text.count("\n• ")
    assert len(annotated) + len(re.findall(r"file=gone", text)) + listed == len(findings) + unreadable


# -- progress -------------------------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_lines_come_at_most_once_per_interval_and_never_for_a_short_run():
    clock, out = Clock(), []
    short = Lines(2000, "en", out.append, every=5, clock=clock)
    for _ in range(2000):
        clock.now += 0.002  # 4 s in all
        short.update(1)
    assert out == []
    long = Lines(2000, "en", out.append, every=5, clock=clock)
    for _ in range(2000):
        clock.now += 0.01  # 20 s in all
        long.update(1)
    assert out == [f"auditor: checked {n:,}/2,000 files ({n * 100 // 2000}%, {s} s)"
                   for n, s in ((500, 5), (1000, 10), (1500, 15), (2000, 20))]
    korean = Lines(3, "ko", out.append, every=0, clock=clock)
    korean.update(1)
    assert out[-1] == "auditor: 파일 3개 중 1개 검사 (33%, 0초)"


@pytest.mark.parametrize(("raw", "seconds"), [("", 5.0), ("0", 0.0), ("2.5", 2.5), ("-1", 5.0), ("nan", 5.0),
                                              ("inf", 5.0), ("soon", 5.0)])
def test_the_progress_interval_from_the_environment(monkeypatch, raw, seconds):
    from auditor.progress import interval

    monkeypatch.setenv("AUDITOR_PROGRESS_INTERVAL", raw)
    assert interval() == seconds


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_steps_aside_while_findings_are_written_to_its_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stdout", Terminal())
    screen = Terminal()
    with Bar(40, screen) as bar:
        bar.update(10)
        drawn = screen.getvalue()
        assert "10/40" in drawn
        with bar.paused():
            assert screen.getvalue().endswith("\r\x1b[2K")  # the bar's line erased before the findings
        assert screen.getvalue().endswith(drawn.rsplit("\r", 1)[-1])  # and drawn again after them


# -- the run: order of events through a pipe ------------------------------------------------------
@pytest.fixture
def book(tmp_path: Path) -> Path:
    """Twelve sheets, eleven with two findings each and one without, in a folder."""
    folder = tmp_path / "book"
    folder.mkdir()
    for i in range(12):
        (folder / f"s{i:02}.txt").write_bytes(GOOD)
    (folder / "s05.txt").write_bytes(b"")  # empty: a file checked that prints nothing (REVIEW004 only)
    return folder


def auditor(cwd: Path, *args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    return subprocess.Popen([sys.executable, "-m", "auditor", "check", "--isolated", "--lang", "en",
                             "--select", "REVIEW004", *args],
                            cwd=cwd, env=environment | (env or {}), **kwargs)


def events(text: str) -> list[str]:
    """Each line of a merged standard output and error, as an event: a file's finding, a progress line, the summary."""
    out = []
    for line in text.splitlines():
        if m := re.match(r"book/(s\d+)\.txt:\d+:\d+: REVIEW004", line):
            out.append(f"finding {m.group(1)}")
        elif m := re.match(r"auditor: checked (\d+)/12 files", line):
            out.append(f"checked {m.group(1)}")
        elif line.startswith("Found "):
            out.append("summary")
        else:
            out.append(f"other {line}")
    return out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_files_findings_are_written_as_soon_as_it_is_checked_in_input_order(book, jobs):
    """Standard output and error into one pipe, a progress line after every file: the findings of each
    file come after the progress line of the file before it and before its own, so the report is written
    as the run goes, not at its end; with --jobs too."""
    proc = auditor(book.parent, "book", "--output-format", "concise", "--jobs", jobs, stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT, env={"AUDITOR_PROGRESS_INTERVAL": "0"})
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    expected = []
    for n, name in enumerate(sorted(p.stem for p in book.iterdir()), start=1):
        expected += [f"finding {name}"] * (2 if name != "s05" else 0) + [f"checked {n}"]
    assert events(out.decode()) == expected + ["summary"]


def test_quiet_shows_no_progress_and_a_file_report_is_written_whole(book, tmp_path):
    proc = auditor(book.parent, "book", "-q", "--output-format", "concise", stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, env={"AUDITOR_PROGRESS_INTERVAL": "0"})
    out, err = proc.communicate(timeout=120)
    assert err == b"" and Counter(events(out.decode())) == {f"finding s{i:02}": 2 for i in range(12) if i != 5}
    proc = auditor(book.parent, "book", "-o", str(tmp_path / "r.txt"), "--output-format", "concise",
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"AUDITOR_PROGRESS_INTERVAL": "0"})
    out, err = proc.communicate(timeout=120)
    assert out == b"" and events(err.decode()) == [f"checked {n}" for n in range(1, 13)] + ["summary"]


def test_a_reader_that_stops_after_the_first_line_ends_the_run_early(book):
    """``auditor check big --output-format concise | head -1``: the first line comes while the run
    goes on (before the second file's progress line), and closing the pipe ends it quietly with 141."""
    proc = auditor(book.parent, "book", "--output-format", "concise", stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT, env={"AUDITOR_PROGRESS_INTERVAL": "0"})
    try:
        first = proc.stdout.readline().decode()
        second = proc.stdout.readline().decode()
        proc.stdout.close()
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert events(first + second) == ["finding s00", "finding s00"]
    assert proc.returncode == 141


# -- findings after every file (the cross-document pass) -------------------------------------------
def test_late_findings_are_written_after_the_files_and_before_the_end(book, monkeypatch, capsys):
    """A pass after every file (as H-16's cross-document checks will be) gives its findings to
    Run.add_late: a streamed report writes them after every file's findings, then the summary, and
    the whole report is the same as one rendered from the result."""
    from auditor import config as cfg
    from auditor.pipeline import Request, Run, plan

    monkeypatch.chdir(book.parent)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    settings = cfg.resolve(cfg.Options(output_format="concise", lang="en", select=("REVIEW004", "XDOC001")), isolated=True)
    request = Request(settings, ("book",))
    the_run = Run(request, plan(settings))
    stream = the_run.stream()
    result = the_run.check(the_run.discover(), stream)
    during = capsys.readouterr().out
    assert Counter(events(during)) == {f"finding s{i:02}": 2 for i in range(12) if i != 5}
    late = Finding("XDOC001", "cross.x", Severity.WARNING, "book/s01.txt", 3, "연도 간 불일치", "across years", key="x")
    ignored = attrs.evolve(late, code="SET001", key="y")  # a rule not selected: left out, as in each file
    result = the_run.add_late(result, [late, ignored])
    assert the_run.report(result, stream) == 0
    after = capsys.readouterr().out
    assert after.splitlines()[0].startswith("book/s01.txt:3:1: XDOC001 across years")
    assert events(after)[-1] == "summary" and "Found 0 errors, 1 warning, 22 info (12 files)" in after
    assert during + after == report.render("concise", result, lang="en")
