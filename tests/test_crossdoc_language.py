"""The rule language's name for the project (``사업``/``project``), cross rules, and the builtins they use."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from auditor.crossdoc.cross import cross_check
from auditor.crossdoc.index import index_bytes
from auditor.crossdoc.model import Project
from auditor.engine import RulePackError, load_ruleset
from auditor.engine.documents import budget_version, in_force
from auditor.model import BasisGroup
from auditor.readers import iter_sheets, read_bytes
from auditor.source import Amount, Source, Text

HEAD = """[pack]
name = "t"

[[rule]]
code = "TST001"
name = "test.rule"
severity = "error"
title = { ko = "t", en = "t" }
message.ko = "m"
message.en = "m"
"""


def pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def load(tmp_path: Path, body: str):
    return load_ruleset([pack(tmp_path, body)], builtin=False)


SHEET = """# 청년 일자리 지원
구 분\t{a}예산액 (A)\t{b}예산액 (B)\t증감 (B-A)\t(B-A)*100/A
계\t{A}\t{B}\t0\t0
사무관리비\t{A}\t{B}\t0\t0
"""


def sheet(year: int, a: int, b: int, path: str | None = None) -> tuple[str, bytes]:
    return path or f"{year}/a.txt", SHEET.format(a=year - 1, b=year, A=a, B=b).encode("utf-8")


def entries(*documents: tuple[str, bytes]):
    return [e for path, data in documents for e in index_bytes(data, path, fragment=True)]


PRIOR = '''over = "summary.rows"
when = "prior_row != none"
actual = "A"
expected = "prior_row.B"

[rule.let]
prior_row = "first(first(사업.사업설명서[예산연도 == sheet.예산연도 - 1]).예산총괄.통계목[norm(통계목) == norm(this.통계목)])"
'''


def test_a_rule_that_names_the_project_is_a_cross_rule_and_runs_only_in_the_cross_pass(tmp_path):
    rules = load(tmp_path, PRIOR)
    (rule,) = rules.rules
    assert rule.cross and rules.cross_rules == (rule,)
    path, data = sheet(2024, 10, 20)
    assert rules.check(read_bytes(data, path, fragment=True)) == []  # never on a document alone
    found = cross_check(entries(sheet(2023, 5, 9), sheet(2024, 10, 20)), rules).findings
    assert [(f.path, f.line, f.actual, f.expected) for f in found] == [("2024/a.txt", 4, "10천원", "9천원")]
    assert [(r.path, r.line, r.label) for r in found[0].related] == [("2023/a.txt", 4, "B")]


def test_the_english_spelling_means_the_project_too(tmp_path):
    rules = load(tmp_path, PRIOR.replace("사업.사업설명서", "project.sheets"))
    assert rules.rules[0].cross
    assert len(cross_check(entries(sheet(2023, 5, 9), sheet(2024, 10, 20)), rules).findings) == 1


def test_project_names_the_field_where_the_element_has_one_and_the_project_root_is_never_hidden(tmp_path):
    # over e호조 통계목, 'project' is the 통계목's 세부사업 (a field), as before the root existed
    rules = load(tmp_path, 'over = "basis.categories"\nassert = "project != none"\n')
    assert not rules.rules[0].cross
    rules = load(tmp_path, 'over = "basis.categories"\nassert = "count(사업.e호조) > 0"\n')
    assert rules.rules[0].cross
    with pytest.raises(RulePackError, match="has no field"):
        load(tmp_path, 'over = "basis.categories"\nassert = "count(project.e호조) > 0"\n')


@pytest.mark.parametrize("name", ["사업", "project"])
def test_a_binding_or_a_param_cannot_take_the_project_root_name(tmp_path, name):
    with pytest.raises(RulePackError, match="reserved name"):
        load(tmp_path, f'over = "summary.rows"\nassert = "true"\n\n[rule.let]\n"{name}" = "1"\n')
    with pytest.raises(RulePackError, match="reserved name"):
        load(tmp_path, f'over = "summary.rows"\nassert = "true"\n\n[rule.params]\n"{name}" = 1\n')


def test_the_project_fields_are_checked_at_load(tmp_path):
    with pytest.raises(RulePackError, match="no field 'sheetz'"):
        load(tmp_path, 'over = "summary.rows"\nassert = "count(사업.sheetz) > 0"\n')
    with pytest.raises(RulePackError, match="file\\(\\)"):
        load(tmp_path, 'over = "summary.rows"\nassert = "file(통계목) != none"\n')


def test_every_built_in_cross_rule_compiles_whole():
    rules = load_ruleset()
    assert {r.code for r in rules.cross_rules} == {f"XDOC{n:03d}" for n in range(1, 17)}
    for rule in rules.cross_rules:
        compiled = rule.compiled(rules.vocab)
        assert compiled.unsupported == (), (rule.code, compiled.unsupported)
        assert "project = shared.project" in compiled.source


def test_the_reference_path_gives_the_same_cross_findings(tmp_path):
    rules = load(tmp_path, PRIOR)
    docs = entries(sheet(2023, 5, 9), sheet(2024, 10, 20), sheet(2025, 20, 30))
    fast = cross_check(docs, rules).findings
    assert fast and fast == cross_check(docs, attrs.evolve(rules, reference=True)).findings


def test_a_cross_rule_finding_is_in_its_own_document_even_when_another_value_comes_first(tmp_path):
    # expected is read first from the other document; the primary line is still this sheet's
    rules = load(tmp_path, PRIOR.replace('actual = "A"\nexpected = "prior_row.B"',
                                         'actual = "prior_row.B"\nexpected = "A"'))
    (f,) = cross_check(entries(sheet(2023, 5, 9), sheet(2024, 10, 20)), rules).findings
    assert (f.path, f.line) == ("2024/a.txt", 4) and [(r.path, r.line) for r in f.related] == [("2023/a.txt", 4)]


def test_a_related_line_of_another_file_is_kept_when_its_number_is_the_primary_line(tmp_path):
    rules = load(tmp_path, PRIOR)
    (f,) = cross_check(entries(sheet(2023, 5, 9), sheet(2024, 10, 20)), rules).findings
    assert f.line == 4 and f.related[0].line == 4  # same number, another file


# --- builtins -------------------------------------------------------------------------------------

def _group(label: str, amount: int, kind: str, line: int, base: BasisGroup | None = None) -> BasisGroup:
    src = Source("a.csv", line)
    return BasisGroup(Text(label, src), amount=Amount(amount, "천원", src), budget_kind=Text(kind, src), source=src,
                      base=base)


def test_in_force_keeps_the_latest_restatement_up_to_a_version():
    original = _group("a", 10, "본예산", 3)
    first = _group("a", 12, "추경1회", 5, base=original)
    second = _group("a", 15, "추경2회", 7, base=first)
    other = _group("b", 1, "당초예산", 4)
    lines = [original, other, first, second]
    assert in_force(lines, "본예산") == [original, other]
    assert in_force(lines, "추경1회") == [other, first]
    assert in_force(lines) == [other, second]


@pytest.mark.parametrize(("text", "version"), [
    ("청년 일자리 지원", "본예산"), (None, "본예산"), ("청년 일자리 (제1회 추가경정예산)", "추경1회"),
    ("2회 추경 청년", "추경2회"), ("추경 3회", "추경3회"), ("추가경정예산 사업설명서", "추경1회"),
])
def test_budget_version_reads_a_supplementary_budget_from_a_title(text, version):
    assert budget_version(text) == version


def test_file_names_where_a_row_or_a_figure_was_read(tmp_path):
    rules = load(tmp_path, 'over = "summary.rows"\nassert = "file(this) == file(A) and file(A) == \\"x.txt\\""\n')
    path, data = sheet(2024, 1, 2, "x.txt")
    assert rules.check(read_bytes(data, path, fragment=True)) == []
    assert cross_check([], rules).findings == ()


def test_a_project_holds_its_documents_by_kind():
    assert {f.name for f in attrs.fields(Project)} == {"sheets", "exports"}
    units = list(iter_sheets("회계연도,세부사업명,통계목명,산출근거명,산출근거식,예산액,기정액,비교증감\n"
                             "2024,a,사무관리비,Ο회의,\"1,000원\",1,0,1\n".encode(), "x.csv"))
    assert Project(exports=units)["e호조"] == tuple(units)


def test_related_names_other_lines_without_comparing_them(tmp_path):
    rules = load(tmp_path, '''over = "summary.rows"
when = "prior != none"
assert = "count(prior.예산총괄.통계목[norm(통계목) == norm(this.통계목)]) > 0"
at = "A"
related = "prior.예산총괄.계.B"

[rule.let]
prior = "first(사업.사업설명서[예산연도 == sheet.예산연도 - 1])"
''')
    other = SHEET.format(a=2022, b=2023, A=1, B=9).replace("사무관리비", "국내여비").encode("utf-8")
    (f,) = cross_check(entries(("2023/a.txt", other), sheet(2024, 9, 20)), rules).findings
    assert (f.path, f.line, f.column) == ("2024/a.txt", 4, 7)
    assert [(r.path, r.line, r.label) for r in f.related] == [("2023/a.txt", 3, "B")]  # its 계, not the rows it read
    assert f.actual is None and f.expected is None


def test_a_value_of_the_parent_is_computed_once_for_its_elements_and_shared_between_rules(tmp_path, monkeypatch):
    calls = []
    from auditor.engine import documents

    real = documents.label_key

    def counted(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(documents, "label_key", counted)
    rule = """
[[rule]]
code = "TST00{n}"
name = "test.rule-{n}"
severity = "error"
title = {{ ko = "t", en = "t" }}
message.ko = "m"
message.en = "m"
over = "basis.categories.groups.items"
assert = "label_key(parent.내역) != \\"\\""
"""
    path = tmp_path / "t.toml"
    path.write_text('[pack]\nname = "t"\n' + rule.format(n=1) + rule.format(n=2), encoding="utf-8")
    rules = load_ruleset([path], builtin=False)
    text = "과목구분\t2024년 예산내역\n사무관리비\t○ 운영\t= 3천원\n\t- 가 1,000원\t= 1천원\n\t- 나 1,000원\t= 1천원\n" \
           "\t- 다 1,000원\t= 1천원\n"
    sheet_ = read_bytes(text.encode("utf-8"), "x.txt", fragment=True)
    assert rules.check(sheet_) == []
    assert calls.count("운영") == 1  # three items, two rules: one group, computed once



def test_a_part_of_a_filter_condition_that_reads_no_item_is_computed_once_per_element(tmp_path, monkeypatch):
    calls = []
    from auditor.engine import documents

    real = documents.label_key
    monkeypatch.setattr(documents, "label_key", lambda text: calls.append(text) or real(text))
    rules = load(tmp_path, '''over = "basis.categories.groups"
assert = "count(sheet.산출근거.통계목.내역[label_key(내역) == label_key(this.내역) and 금액 > 0]) == 1"
''')
    text = "과목구분\t2024년 예산내역\n사무관리비\t○ 가\t= 1천원\n\t○ 나\t= 1천원\n\t○ 다\t= 1천원\n"
    assert rules.check(read_bytes(text.encode("utf-8"), "x.txt", fragment=True)) == []
    assert len(calls) == 3 * (3 + 1)  # for each group: each group's label, and its own once (not once per group)
