"""A file of several 사업설명서 run together reads as those sheets, each with its own findings on the file's lines.

Generated sheets (every size, layout noise, heading style and fault kind) and the real sheets are
concatenated into one file (one encoding, one kind of line end, a BOM only at the start) and read
back: the file gives exactly one unit per sheet, and each unit gives the findings its sheet gives
read alone, moved down by the lines before it. A file whose second sheet cannot be told apart
(no overview after its title, no budget table before it) reads as one sheet, exactly as before.
"""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.readers import iter_sheets, read_bytes, read_units
from auditor.readers.book import sheet_starts
from auditor.readers.decode import decode
from auditor.readers.reader import SheetReader
from auditor.result import KEEP_ALL, KEEP_CONTEXT
from auditor.runner import check_one
from auditor.testing import KINDS, generate_sheet
from tests.strategies_corpus import seeds

REPO = Path(__file__).resolve().parent.parent
REAL = sorted((REPO / "examples" / "sheets").glob("*.txt"))
RULES = load_ruleset()
PATH = "book.txt"


def shifted(findings, by: int) -> list:
    """``findings`` moved down ``by`` lines (their related lines in the same file too), occurrences renumbered."""
    out = []
    for f in findings:
        related = tuple(attrs.evolve(r, line=r.line + by) if r.path == f.path else r for r in f.related)
        out.append(attrs.evolve(f, line=f.line + by, related=related))
    return out


def plain(findings) -> list[tuple]:
    """What a finding says, without its occurrence and context (numbered across the file, named per sheet)."""
    return sorted((f.code, f.line, f.column, f.end_column, f.key, f.message_ko, f.message_en, f.expected, f.actual,
                   tuple((r.path, r.line) for r in f.related)) for f in findings)


def book(texts: list[str], encoding: str, newline: str, *, joined: bool = False) -> tuple[bytes, list[int]]:
    """The texts run together as one file's bytes (a BOM only at the start, or at the start of each text
    when files saved with one are ``joined``, as ``cat`` joins them), and each text's first line."""
    starts, at = [], 1
    for text in texts:
        starts.append(at)
        at += text.count("\n")
    if joined:
        return b"".join(alone(text, encoding, newline) for text in texts), starts
    whole = "".join(texts).replace("\n", newline)
    return whole.encode(encoding), starts


def alone(text: str, encoding: str, newline: str) -> bytes:
    return text.replace("\n", newline).encode(encoding)


def assert_reads_as_the_sheets(texts: list[str], encoding: str, newline: str, *, joined: bool = False) -> None:
    data, starts = book(texts, encoding, newline, joined=joined)
    units = list(iter_sheets(data, PATH))
    assert len(units) == len(texts), [u.first_line for u in units]
    for unit, text, start in zip(units, texts, starts):
        single = read_bytes(alone(text, encoding, newline), PATH)
        assert unit.first_line <= start + 2  # at its title (a sheet may open with blank lines)
        assert (unit.title.value if unit.title else None) == (single.title.value if single.title else None)
        assert [(p.code, p.source.line) for p in unit.problems] == \
            [(p.code, p.source.line + start - 1) for p in single.problems]
        assert plain(RULES.check(unit)) == plain(shifted(RULES.check(single), start - 1))


def _encodable(texts: list[str], encoding: str) -> bool:
    try:
        for text in texts:
            text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(seeds, st.sampled_from([None, *KINDS])), min_size=1, max_size=5), st.data())
def test_generated_sheets_run_together_read_as_the_same_sheets_with_the_same_findings(drawn, data):
    sheets = [generate_sheet(seed, fault=kind) for seed, kind in drawn]
    texts = [g.text for g in sheets]
    encoding = data.draw(st.sampled_from(sorted({g.encoding for g in sheets} | {"utf-8"})))
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    if not _encodable(texts, encoding):
        encoding = "utf-8-sig" if encoding == "utf-8-sig" else "utf-8"
    assert_reads_as_the_sheets(texts, encoding, newline)


@settings(max_examples=30, deadline=None)
@given(st.tuples(seeds, st.sampled_from([None, *KINDS])))
def test_a_generated_sheet_alone_is_one_unit_read_as_always(drawn):
    g = generate_sheet(drawn[0], fault=drawn[1])
    decoded = decode(g.data)
    assert sheet_starts(decoded.lines) == [0]
    units = list(iter_sheets(g.data, PATH))
    assert units == [SheetReader(PATH, decoded).read()]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_the_real_sheets_run_together_read_as_the_same_sheets(encoding, newline):
    texts = [p.read_text("utf-8") for p in REAL]
    texts = [t if t.endswith("\n") else t + "\n" for t in texts]
    assert_reads_as_the_sheets(texts, encoding, newline)
    assert_reads_as_the_sheets(texts[::-1] * 2, encoding, newline)


def test_a_real_sheet_run_on_into_the_next_without_a_line_end_is_still_cut():
    """A file whose last line has no line end, with the next sheet (which opens with blank lines) after it."""
    first, second = (p.read_bytes() for p in REAL)
    assert not first.endswith(b"\n") and second.startswith(b"\n")
    units = list(iter_sheets(first + second, PATH))
    assert [u.title.value for u in units] == [read_bytes(first, PATH).title.value, read_bytes(second, PATH).title.value]


def _cut_overview(text: str) -> str:
    """The sheet without its 사업비 row: its overview no longer says a sheet starts here."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("사업비"))


@pytest.mark.parametrize("how", ["no overview", "no heading", "title only", "no budget table before"])
def test_a_second_sheet_that_cannot_be_told_apart_reads_as_today(how):
    first, second = (generate_sheet(seed).consistent for seed in (11, 12))
    if how == "no overview":
        text = first + _cut_overview(second)
    elif how == "no heading":
        text = first + "\n".join(line for line in second.split("\n") if "기본 현황" not in line)
    elif how == "title only":
        text = first + "\n# 다른 사업\n\n" + "\n".join(second.split("\n")[-8:])
    else:  # the first holds its overview only: no budget table between the two 기본 현황 headings
        head = first.split("\n")
        cut = next(i for i, line in enumerate(head) if "예산 설명" in line)
        text = "\n".join(head[:cut]) + "\n" + second
    data = text.encode("utf-8")
    decoded = decode(data)
    assert sheet_starts(decoded.lines) == [0]
    assert list(iter_sheets(data, PATH)) == [SheetReader(PATH, decoded).read()] == [read_bytes(data, PATH)]


def test_a_title_that_cannot_be_one_is_left_with_the_sheet_before():
    first, second = (generate_sheet(seed).consistent for seed in (21, 22))
    lines = second.split("\n")
    at = next(i for i, line in enumerate(lines) if "기본 현황" in line)
    for stray in ("○ 기대효과 한 줄", "※ 비고", "(단위 : 천원)", "구분\t계"):
        text = first + "\n".join([stray, *lines[at:]])
        units = list(iter_sheets(text.encode("utf-8"), PATH))
        assert len(units) == 2
        assert units[1].title is None and units[1].lines[units[1].first_line - 1].lstrip("#* ").startswith(("1", "기본"))


@pytest.mark.parametrize("style", ["# 제목", "제목", "**제목**"])
def test_every_heading_style_starts_a_sheet_at_its_title(style):
    for seed in range(8):  # the generator draws markdown, plain, numbered and **n** part headings
        first, second = generate_sheet(seed).consistent, generate_sheet(100 + seed).consistent
        lines = second.lstrip("\n").split("\n")
        lines[0] = style.replace("제목", "새 사업")
        data = (first + "\n".join(lines)).encode("utf-8")
        units = list(iter_sheets(data, PATH))
        assert len(units) == 2
        assert units[1].first_line == first.count("\n") + 1
        assert units[1].title is not None and "새 사업" in units[1].title.value


def test_a_bom_or_undecodable_line_is_reported_by_the_sheet_that_holds_it():
    first, second = (generate_sheet(seed).consistent for seed in (31, 32))
    data = first.encode("utf-8") + second.encode("utf-8").replace("사업목적".encode("utf-8"), b"\xff\xfe", 1)
    units = list(iter_sheets(data, PATH))
    assert len(units) == 2
    assert [p.code for p in units[0].problems] == []
    assert [p.code for p in units[1].problems][:1] == ["PARSE001"]


def test_check_one_gives_each_sheet_its_findings_context_and_index_entry():
    texts = [generate_sheet(seed, fault=kind).text for seed, kind in ((41, "SUM002"), (42, None), (43, "CALC001"))]
    data, starts = book(texts, "utf-8", "\n")
    checked, findings = check_one(Input(PATH, PATH, data), RULES, KEEP_CONTEXT)
    units = list(iter_sheets(data, PATH))
    assert checked.title == f"사업설명서 3개: {units[0].title.value} 외"
    expected = []
    for text, start, unit in zip(texts, starts, units):
        single = check_one(Input("one.txt", PATH, text.encode("utf-8")), RULES, KEEP_CONTEXT)[1]
        context = (("department", unit.department.name.value), ("project", unit.title.value))
        expected += [attrs.evolve(f, context=context) for f in shifted(single, start - 1)]
    assert plain(findings) == plain(expected)
    assert all(f.context for f in findings)
    assert len({f.fingerprint for f in findings}) == len(findings)
    for f in findings:  # the lines around each finding are kept for the reports
        assert checked.lines[f.line - 1] == data.decode("utf-8").split("\n")[f.line - 1]
    everything, _ = check_one(Input(PATH, PATH, data), RULES, KEEP_ALL)
    assert tuple(everything.lines) == tuple(data.decode("utf-8").split("\n")[:-1])
    if RULES.cross_rules:
        assert [e.line for e in checked.index] == [u.first_line for u in units]
        assert [e.name for e in checked.index] == [u.title.value for u in units]


def test_a_fingerprint_stays_with_its_sheet_when_a_sheet_is_put_before_it():
    faulty, other = generate_sheet(51, fault="SET001").text, generate_sheet(52, fault="SET001").text
    _, alone_findings = check_one(Input(PATH, PATH, (faulty + faulty).encode("utf-8")), RULES, KEEP_CONTEXT)
    _, before = check_one(Input(PATH, PATH, (other + faulty + faulty).encode("utf-8")), RULES, KEEP_CONTEXT)
    kept = {f.fingerprint for f in alone_findings}
    assert kept <= {f.fingerprint for f in before}


def test_auditor_parse_shows_each_sheet_of_a_file(tmp_path):
    import json

    from click.testing import CliRunner

    from auditor.cli import main

    first, second = (p.read_bytes() for p in REAL)
    path = tmp_path / "book.txt"
    path.write_bytes(first + b"\n" + second)
    units = read_units(path.read_bytes(), str(path))
    assert [u.title.value for u in units] == [read_bytes(first, "a").title.value, read_bytes(second, "b").title.value]
    shown = CliRunner().invoke(main, ["parse", str(path)]).output
    assert "사업설명서 1/2, 1–" in shown and f"사업설명서 2/2, {units[1].first_line}–" in shown
    data = json.loads(CliRunner().invoke(main, ["parse", str(path), "--format", "json"]).output)
    assert [s.get("first_line") for s in data["sheets"]] == [None, units[1].first_line]
    assert [i["projects"][0]["name"] for i in data["identities"]] == [u.title.value for u in units]
    single = json.loads(CliRunner().invoke(main, ["parse", str(REAL[0]), "--format", "json"]).output)
    assert len(single["sheets"]) == 1 and "first_line" not in single["sheets"][0]


def test_cut_points_are_found_in_linear_time_on_a_large_book():
    """Not timed: the cut finder looks at each line a bounded number of times (a 1,000-sheet book)."""
    text = generate_sheet(7).consistent
    lines = tuple((text * 1000).split("\n"))
    assert len(sheet_starts(lines)) == 1000


def test_random_real_book_orders_read_as_the_sheets():
    rng = random.Random(5)
    texts = [p.read_text("utf-8") for p in REAL]
    texts = [t if t.endswith("\n") else t + "\n" for t in texts]
    for _ in range(3):
        order = [rng.choice(texts) for _ in range(rng.randint(2, 6))]
        assert_reads_as_the_sheets(order, "utf-8", rng.choice(["\n", "\r\n"]))


def test_only_the_first_bom_is_a_bom():
    """``book`` writes a BOM only at the start, as a file is saved; the sheets after it read as written."""
    data, _ = book([generate_sheet(61).consistent, generate_sheet(62).consistent], "utf-8-sig", "\n")
    assert data.startswith(codecs.BOM_UTF8) and data.count(codecs.BOM_UTF8) == 1
    assert len(list(iter_sheets(data, PATH))) == 2


def test_a_multiyear_book_with_each_year_in_one_file_gives_the_same_cross_findings(tmp_path):
    """examples/multiyear with each year's sheets run together in one file: every finding, the
    cross-document ones (XDOC) included, is the one the separate sheets give, at the same place."""
    import json
    import shutil

    from click.testing import CliRunner

    from auditor.cli import main

    source = REPO / "examples" / "multiyear"
    where = {}  # (year, the book's line) -> (the sheet's file, its line)
    books = tmp_path / "book"
    for year in sorted(p.name for p in source.iterdir() if p.is_dir()):
        (books / year).mkdir(parents=True)
        for csv in (source / year).glob("*.csv"):
            shutil.copy(csv, books / year / csv.name)
        texts, at = [], 0
        for sheet in sorted((source / year).glob("*.txt")):
            text = sheet.read_text("utf-8")
            text = text if text.endswith("\n") else text + "\n"
            for n in range(1, text.count("\n") + 1):
                where[(f"{year}/book.txt", at + n)] = (f"{year}/{sheet.name}", n)
            texts.append(text)
            at += text.count("\n")
        (books / year / "book.txt").write_text("".join(texts), "utf-8")

    def findings(root: Path, run_together: bool) -> list[tuple]:
        report = tmp_path / f"{root.name}-report.json"
        CliRunner().invoke(main, ["check", str(root), "--isolated", "--no-cache", "--output-format", "json",
                                  "--output-file", str(report), "-q"])
        out = []
        for f in json.loads(report.read_text("utf-8"))["findings"]:
            path = Path(f["path"]).resolve().relative_to(root.resolve()).as_posix()
            place = where.get((path, f["line"]), (path, f["line"])) if run_together else (path, f["line"])
            out.append((f["rule"], *place, f["column"], f["key"], f["expected"], f["actual"]))
        return sorted(out)

    separate, joined = findings(source, False), findings(books, True)
    assert any(code.startswith("XDOC") for code, *_ in separate)
    assert joined == separate
    report = json.loads((tmp_path / "book-report.json").read_text("utf-8"))
    named = [f["context"] for f in report["findings"] if f["path"].endswith("book.txt")]
    assert named and all(c.get("project") for c in named)  # each finding, XDOC too, names its sheet


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_files_saved_with_a_bom_and_joined_read_as_the_sheets(newline):
    """``cat a.txt b.txt`` of files saved as UTF-8 with a BOM: the BOM that opens each later one (on a
    blank line or on the title) is read as a space, so each sheet keeps its title and findings."""
    texts = [generate_sheet(seed, fault=kind).text for seed, kind in ((71, None), (72, "SUM002"), (73, "SET001"))]
    texts += [p.read_text("utf-8") + "\n" for p in REAL]
    assert_reads_as_the_sheets(texts, "utf-8-sig", newline, joined=True)
    data, _ = book(texts, "utf-8-sig", newline, joined=True)
    assert data.count(codecs.BOM_UTF8) == len(texts)
    assert [u.title.value[0] != "\ufeff" for u in iter_sheets(data, PATH)] == [True] * len(texts)


def test_a_bom_inside_a_file_of_one_sheet_is_left_as_it_was():
    text = generate_sheet(74).consistent
    data = codecs.BOM_UTF8 + text.encode("utf-8") + codecs.BOM_UTF8 + "○ 끝에 붙은 줄\n".encode("utf-8")
    decoded = decode(data)
    assert list(iter_sheets(data, PATH)) == [SheetReader(PATH, decoded).read()]
    assert decoded.lines[-1].startswith("\ufeff")


def test_a_sheet_that_cannot_be_told_apart_stays_with_the_one_before_and_the_next_are_cut():
    """A, then B with no 사업비 row, then C and D: B stays in A's sheet; C and D are sheets of their own,
    each cut only after a budget table of its own sheet."""
    a, b, c, d = (generate_sheet(seed).consistent for seed in (81, 82, 83, 84))
    texts = [a, _cut_overview(b), c, d]
    data, starts = book(texts, "utf-8", "\n")
    units = list(iter_sheets(data, PATH))
    assert len(units) == 3
    assert [s <= u.first_line <= s + 2 for u, s in zip(units[1:], starts[2:])] == [True, True]
    assert [u.title.value for u in units[1:]] == [read_bytes(t.encode("utf-8"), PATH).title.value for t in (c, d)]
    head = a.split("\n")
    cut = next(i for i, line in enumerate(head) if "예산 설명" in line)
    overview_only = "\n".join(head[:cut]) + "\n"  # no budget table: the next sheet is not cut from it
    units = list(iter_sheets((overview_only + c + d).encode("utf-8"), PATH))
    assert len(units) == 2 and units[1].title.value == read_bytes(d.encode("utf-8"), PATH).title.value
