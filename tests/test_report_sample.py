"""The fixed CheckResult that every report test renders, and checks that it covers what it must."""

from __future__ import annotations

from auditor.findings import Finding, Related, Severity
from auditor.result import CheckedFile, CheckResult, Example, FileError, RuleDoc

SHEET_A = "sheets/000_예산.txt"
#: A hostile path: GitHub property separators, a percent sign, a space, Hangul.
SHEET_B = "sheets/002 지역,50%:a.txt"
MISSING = "sheets/없는<파일>.txt"
SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='img'\">"

LINES_A = (
    "# 시·자치구간 협력체계 강화",
    "",
    "(단위 : 천원, %)",
    "",
    "구 분\t2019예산액 (A)\t2020예산액 (B)\t증감 (B-A)\t",
    "계\t(x-) 250,600\t(x-) 235,800\t(x-) △14,800\t(x-) △5",
    "사무관리비\t(x-) 122,900\t(x-) 136,000\t(x-) 13,100\t(x-) 10",
    "행사운영비\t(x-) 10,900\t(x-) 0\t(x-) △10,900\t(x-) △100",
    f"비고\t{SCRIPT}\t{IMG}",
    "-----------\t-------------\t--------",
)
LINES_B = (
    "지역균형발전 추진",
    "",
    "사무관리비\t○ 회의 참석수당 150,000원*17명*2회\t=\t5,100천원",
    "특정업무경비\t○ 대민업무수당 158명*50,000원*12\t=\t94,800천원",
    "합계 100% 달성: a,b | c",
    "계\t(x-) 13,500\t(x-) 263,698",
)

RULES = (
    RuleDoc(
        code="B001",
        name="budget.total-mismatch",
        severity=Severity.ERROR,
        title_ko="합계가 항목의 합과 다릅니다",
        title_en="Total differs from the sum of its items",
        what_ko="예산 총괄표의 '계' 줄이 각 항목의 합과 같은지 검사합니다.",
        why_ko="합계가 틀리면 심의 자료 전체의 신뢰가 떨어집니다.",
        what_en="Checks that the '계' row of the summary table equals the sum of its items.",
        why_en="A wrong total undermines the whole document.",
        examples=(
            Example("fail", "계\t100\n가\t60\n나\t50", "60 + 50 ≠ 100"),
            Example("pass", "계\t110\n가\t60\n나\t50"),
        ),
        pack="budget",
    ),
    RuleDoc(
        code="B002",
        name="budget.suspicious-text",
        severity=Severity.WARNING,
        title_ko="표 안에 <태그>처럼 보이는 글자가 있습니다",
        title_en="Table cell looks like <markup>",
        pack="budget",
    ),
    RuleDoc(
        code="D001",
        name="doc.unused-rule",
        severity=Severity.INFO,
        title_ko="이번 검사에서 발견 사항이 없는 규칙",
        title_en="A rule without findings in this run",
    ),
)

FINDINGS = (
    Finding(
        code="B001",
        name="budget.total-mismatch",
        severity=Severity.ERROR,
        path=SHEET_A,
        line=6,
        column=3,
        message_ko="2019예산액 합계가 항목의 합과 다릅니다",
        message_en="The 2019 total differs from the sum of its items",
        related=(Related(SHEET_A, 7, "사무관리비"), Related(SHEET_A, 8, "행사운영비")),
        expected="133,800",
        actual="250,600",
        key="summary[2019].계",
    ),
    Finding(
        code="B002",
        name="budget.suspicious-text",
        severity=Severity.WARNING,
        path=SHEET_A,
        line=9,
        message_ko=f'비고 칸에 {SCRIPT} & "따옴표"가 있습니다',
        message_en=f'The note cell holds {SCRIPT} & "quotes"',
        actual=IMG,
        key="note",
    ),
    Finding(
        code="C001",
        name="calc.unit-mismatch",
        severity=Severity.INFO,
        path=SHEET_B,
        line=3,
        column=17,
        end_column=32,  # just the formula, not the whole cell
        message_ko="산출근거의 단위(원)와 금액의 단위(천원)가 다릅니다",
        message_en="The formula is in 원 but the amount is in 천원",
        related=(Related(SHEET_A, 7, "사무관리비 | 총괄"),),
        key="basis[사무관리비]",
    ),
    Finding(
        code="B001",
        name="budget.total-mismatch",
        severity=Severity.ERROR,
        path=SHEET_B,
        line=6,
        column=3,
        message_ko="합계 100%: 줄바꿈\n둘째 줄, 쉼표: %0A 그대로",
        message_en="Total 100%: newline\nsecond line, comma: %0A as is",
        actual="13,500\r\x1b[31m",
        key="summary[2023].계",
    ),
)

ERRORS = (FileError(MISSING, "파일을 찾을 수 없습니다", "No such file"),)


def sample_result() -> CheckResult:
    return CheckResult(
        files=(CheckedFile(SHEET_A, LINES_A, title="시·자치구간 협력체계 강화"), CheckedFile(SHEET_B, LINES_B)),
        findings=FINDINGS,
        errors=ERRORS,
        rules=RULES,
        baselined=2,
    )


def test_sample_covers_what_the_reports_must_handle():
    result = sample_result()
    text = "\n".join(line for f in result.files for line in f.lines)
    assert "\t" in text and "계" in text and SCRIPT in text and IMG in text
    assert {f.severity for f in result.findings} == set(Severity)
    assert any(r.path != f.path for f in result.findings for r in f.related), "a cross-file related line"
    assert result.rule("C001") is None, "a finding whose rule has no documentation"
    assert any(f.column is None for f in result.findings)
    assert any("\n" in f.message_ko for f in result.findings)
    assert result.errors and result.baselined


def test_sample_findings_point_at_real_lines():
    result = sample_result()
    lines = {f.path: f.lines for f in result.files}
    for f in result.findings:
        assert 1 <= f.line <= len(lines[f.path])
        for rel in f.related:
            assert 1 <= rel.line <= len(lines[rel.path])


# -- random results for property tests ---------------------------------------------------------
from hypothesis import strategies as st  # noqa: E402

HOSTILE = ["<script>alert(1)</script>", "</td></tr>", "\"'&", "%0A", "::", ",", "|", "\r\n", "\x1b[2J", "]]>", "\x00"]
#: Text mixing Hangul, ASCII, tabs and the fragments that break naive escaping.
texts = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
              st.sampled_from(["계", "천원", "\t", "사무관리비", " "])),
    max_size=6,
).map("".join)
paths = st.lists(st.sampled_from(["sheets", "가나", "a b", "x,y", "50%", "c:d", "<i>", "&"]), min_size=1, max_size=3).map(
    lambda parts: "/".join(parts) + ".txt"
)


@st.composite
def check_results(draw) -> CheckResult:
    """A CheckResult whose findings point at lines of its own files (related lines anywhere)."""
    files = draw(st.lists(st.tuples(paths, st.lists(texts, min_size=1, max_size=6)), min_size=1, max_size=3,
                          unique_by=lambda pair: pair[0]))
    checked = [CheckedFile(path, lines) for path, lines in files]
    findings = []
    for _ in range(draw(st.integers(0, 6))):
        path, lines = draw(st.sampled_from(files))
        findings.append(
            Finding(
                code=draw(st.sampled_from(["B001", "B002", "C001"])),
                name=draw(texts),
                severity=draw(st.sampled_from(list(Severity))),
                path=path,
                line=draw(st.integers(1, len(lines))),
                column=draw(st.none() | st.integers(1, 40)),
                message_ko=draw(texts),
                message_en=draw(texts),
                related=draw(st.lists(st.builds(Related, paths, st.integers(1, 9), texts), max_size=2)),
                expected=draw(st.none() | texts),
                actual=draw(st.none() | texts),
                key=draw(texts),
                occurrence=draw(st.integers(0, 3)),
            )
        )
    errors = draw(st.lists(st.builds(FileError, paths, texts, texts), max_size=2))
    rules = [RULES[0]] if draw(st.booleans()) else []
    return CheckResult(files=checked, findings=findings, errors=errors, rules=rules,
                       baselined=draw(st.integers(0, 3)), fail_on=draw(st.sampled_from(list(Severity))))


def test_with_paths_renames_every_path_for_display_only():
    result = sample_result()
    shown = {SHEET_A: "../a.txt", SHEET_B: "b.txt", MISSING: "../missing.txt"}
    moved = result.with_paths(shown)
    assert [f.path for f in moved.files] == ["../a.txt", "b.txt"]
    assert [f.path for f in moved.findings] == [shown[f.path] for f in result.findings]
    assert [r.path for f in moved.findings for r in f.related] == [
        shown[r.path] for f in result.findings for r in f.related
    ]
    assert [e.path for e in moved.errors] == ["../missing.txt"]
    assert [(f.line, f.code, f.key) for f in moved.findings] == [(f.line, f.code, f.key) for f in result.findings]
    assert result.with_paths({}) is result and result.with_paths({"x": "y"}) == result
