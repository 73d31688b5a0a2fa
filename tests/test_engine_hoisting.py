"""What the checker computes once per sheet instead of once per element, and that it changes no result.

A filter whose items are picked by a key equal to a value of the element (SUM002's
``basis.categories[norm(통계목) == norm(this.통계목)]``) is looked up in an index built once per
sheet; lists of the sheet joined with ``+`` (XREF006's) are computed once. Either, per element,
is quadratic in the size of the sheet.
"""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from auditor.engine import load_ruleset
from auditor.readers import read_bytes
from tests.strategies_corpus import consistent_sheets, faulty_sheets
from tests.test_engine_loader import write

RULE = """
[[rule]]
code = "{code}"
name = "summary.test-{lower}"
severity = "error"
over = "summary.rows"
actual = "B"
expected = "{expected}"
message.ko = "틀림 {{actual}} {{expected}}"
message.en = "wrong {{actual}} {{expected}}"
"""
SUM = "sum(basis.categories[norm(통계목) == norm(this.통계목)].내역.금액)"
PAIRS = {  # the same filter twice: as written (indexed when it can be) and defeated by "and true"
    "text key": (SUM, "sum(basis.categories[norm(통계목) == norm(this.통계목) and true].내역.금액)"),
    "reversed": ("sum(basis.categories[norm(this.통계목) == norm(통계목)].내역.금액)",
                 "sum(basis.categories[norm(this.통계목) == norm(통계목) and true].내역.금액)"),
    "number key": ("sum(summary.rows[A == this.A].B)", "sum(summary.rows[A == this.A and true].B)"),
}


def _pack(tmp_path):
    text = '[pack]\nname = "hoisting"\n'
    for i, (fast, slow) in enumerate(PAIRS.values()):
        text += RULE.format(code=f"TEST{2 * i + 1:03d}", lower=f"r{2 * i + 1}", expected=fast)
        text += RULE.format(code=f"TEST{2 * i + 2:03d}", lower=f"r{2 * i + 2}", expected=slow)
    text += """
[[rule]]
code = "TEST100"
name = "activity.test-joined"
severity = "warning"
over = "activities"
when = "소요예산 != none"
assert = "소요예산 in basis.categories.내역.금액 + summary.rows.B"
at = "소요예산"
message.ko = "없음"
message.en = "none"
"""
    return load_ruleset([write(tmp_path, text, "hoisting.toml")], builtin=False)


def _walk(node):
    yield node
    for part in node if isinstance(node, tuple) else ():
        if isinstance(part, tuple):
            yield from _walk(part)


def test_the_checker_indexes_a_keyed_filter_and_computes_joined_lists_once(tmp_path):
    rules = {r.code: r for r in _pack(tmp_path).rules}
    kinds = lambda code, part="expected": {n[0] for n in _walk(getattr(rules[code], part)) if n and isinstance(n[0], str)}  # noqa: E731
    assert "kfilter" in kinds("TEST001") and "kfilter" in kinds("TEST003") and "kfilter" in kinds("TEST005")
    assert "kfilter" not in kinds("TEST002") | kinds("TEST004") | kinds("TEST006")
    assert "once" in kinds("TEST100", "assertion")
    builtin = {r.code: r for r in load_ruleset().rules}
    assert "kfilter" in {n[0] for n in _walk(builtin["SUM002"].expected) if n and isinstance(n[0], str)}


def _same_findings(rules, sheet) -> None:
    found = {}
    for rule in rules.rules:
        found[rule.code] = [(f.line, f.column, f.actual, f.expected, f.message_en) for f in rule.check(sheet, rules.vocab)]
    for i in range(len(PAIRS)):
        fast, slow = f"TEST{2 * i + 1:03d}", f"TEST{2 * i + 2:03d}"
        assert found[fast] == found[slow], (fast, found[fast], found[slow])


@settings(max_examples=40, deadline=None)
@given(st.one_of(consistent_sheets(), faulty_sheets(["SUM002", "SUM001", "XREF001"])))
def test_an_indexed_filter_finds_what_the_filter_finds(tmp_path_factory, generated):
    rules = _pack(tmp_path_factory.mktemp("pack"))
    _same_findings(rules, read_bytes(generated.data, "g.txt"))


def test_an_indexed_filter_finds_what_the_filter_finds_on_a_sheet_repeated_many_times(tmp_path):
    from auditor.testing import generate_sheet

    rules = _pack(tmp_path)
    data = generate_sheet(3, fault="SUM002").data
    _same_findings(rules, read_bytes(data * 12, "many.txt"))


def test_a_finding_names_at_most_max_related_other_lines():
    from auditor.engine.rule import MAX_RELATED
    from auditor.testing import generate_sheet

    rules = load_ruleset()
    sheet = read_bytes(generate_sheet(3).data * 40, "many.txt")  # every 통계목 sums the groups of 40 copies
    sums = [f for f in rules.get("SUM002").check(sheet, rules.vocab)]
    assert sums and max(len(f.related) for f in sums) == MAX_RELATED
    lines = [r.line for r in sums[0].related]
    assert lines == sorted(set(lines)), "the first lines the rule read, each once"


def test_what_a_once_computed_part_reads_is_not_among_a_findings_related_lines():
    """XREF006 looks a figure up among every amount of the sheet, XREF007 a name among every row:
    those reads are the same for every element and name no line of the finding (nor do they in
    the generated code's findings, which the explaining path builds)."""
    from auditor.testing import generate_sheet

    rules = load_ruleset()
    for code in ("XREF006", "XREF007"):
        for reference in (False, True):
            sheet = read_bytes(generate_sheet(0, fault=code).data, "s.txt")
            found = [f for f in rules.get(code).check(sheet, rules.vocab, reference=reference)]
            assert found and all(f.related == () for f in found), (code, found)
