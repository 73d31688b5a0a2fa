"""The cross rules' generated code: values of a parent shared between rules, held to the explaining path.

A fused function (the rules that walk the same collections) computes a value that depends on the
element only through its parent once for that parent, and the lists such a value walks (a filter, a
call such as ``in_force()``) once as well, so that two rules reading an equal part share it. These
tests make sure it is shared, and recomputed for the next parent.
"""

from __future__ import annotations

import re

import attrs

from auditor.crossdoc.cross import cross_check
from auditor.crossdoc.index import index_bytes
from auditor.engine import load_ruleset
from auditor.readers import read_bytes

RULES = load_ruleset()

SHEET = """# 청년 일자리 지원
과목구분\t2024년 예산내역
사무관리비\t○ 위원회 운영\t= 3,500천원
\t- 회의 참석수당 100,000원*10명*3회\t= 3,000천원
\t- 다과 10,000원*50명\t= 500천원
\t○ 홍보\t= 700천원
\t- 현수막 100,000원*5개\t= 500천원
\t- 전단 1,000원*200매\t= 200천원
"""

EXPORT = """회계연도,예산구분,세부사업명,통계목,통계목명,산출근거명,산출근거식,예산액,기정액,비교증감
2024,본예산,청년 일자리 지원,201-01,사무관리비,Ο위원회 운영,,"3,500",0,"3,500"
2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο회의 참석수당,"100,000원*10명*3회","3,000",0,"3,000"
2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο다과,"10,000원*50명",500,0,500
2024,본예산,청년 일자리 지원,201-01,사무관리비,Ο홍보,,700,0,700
2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο현수막,"100,000원*4개",400,0,400
2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο전단,"1,000원*300매",300,0,300
"""


def _entries(sheet: str = SHEET, export: str = EXPORT):
    return (index_bytes(sheet.encode("utf-8"), "2024/청년 일자리 지원.txt", fragment=True)
            + index_bytes(export.encode("utf-8"), "2024/e호조.csv"))


def test_the_second_groups_items_are_matched_with_their_own_counterparts():
    """XDOC011 finds each - line's ο row under the Ο row of its own ○ line: the values of the first
    group (its counterpart in the export, that counterpart's rows) are not those of the second."""
    docs = _entries()
    fast = cross_check(docs, RULES).findings
    assert [(f.code, f.line) for f in fast if f.code.startswith("XDOC01")] == [("XDOC011", 7), ("XDOC011", 8)]
    assert fast == cross_check(docs, attrs.evolve(RULES, reference=True)).findings


def test_a_consistent_pair_of_groups_gives_nothing_and_so_does_the_reference():
    export = EXPORT.replace('"100,000원*4개",400,0,400', '"100,000원*5개",500,0,500').replace(
        '"1,000원*300매",300,0,300', '"1,000원*200매",200,0,200')
    docs = _entries(export=export)
    fast = cross_check(docs, RULES).findings
    assert [f.code for f in fast] == ["XDOC009"]  # (the sheet has no 예산 총괄: not what this test is about)
    assert fast == cross_check(docs, attrs.evolve(RULES, reference=True)).findings


#: A test rule of a pack written to a file: its number, the collection it walks and its assertion.
_RULE = """
[[rule]]
code = "TST00{n}"
name = "test.rule-{n}"
severity = "error"
title = {{ ko = "t", en = "t" }}
message.ko = "m"
message.en = "m"
over = "{over}"
assert = "{test}"
"""


def test_a_list_inside_a_value_of_the_parent_is_computed_once_and_shared_between_rules(tmp_path, monkeypatch):
    calls = []
    from auditor.engine import documents

    real = documents.label_key
    monkeypatch.setattr(documents, "label_key", lambda text: calls.append(text) or real(text))
    over = "basis.categories.groups.items"
    path = tmp_path / "t.toml"
    path.write_text('[pack]\nname = "t"\n'
                    + _RULE.format(n=1, over=over, test='count(parent.세부내역[label_key(내역) == \\"가\\"]) > 0')
                    + _RULE.format(n=2, over=over, test='count(parent.세부내역[label_key(내역) == \\"가\\"]) >= 1'),
                    encoding="utf-8")
    rules = load_ruleset([path], builtin=False)
    text = ("과목구분\t2024년 예산내역\n사무관리비\t○ 운영\t= 3천원\n\t- 가 1,000원\t= 1천원\n\t- 나 1,000원\t= 1천원\n"
            "\t- 다 1,000원\t= 1천원\n\t○ 행사\t= 2천원\n\t- 라 1,000원\t= 1천원\n\t- 마 1,000원\t= 1천원\n")
    findings = rules.check(read_bytes(text.encode("utf-8"), "x.txt", fragment=True))
    # both items of the second group (its first, line 7, named), not those of the first group
    assert [(f.code, f.line, f.key) for f in findings] == [("TST001", 7, "0"), ("TST001", 7, "1"), ("TST002", 7, "0"),
                                                           ("TST002", 7, "1")]
    # the first group's items are read by the filter both rules share, once (no finding there for the
    # explaining path to read them again); made apart, each rule's filter would read them
    assert [calls.count(label) for label in ("가", "나", "다")] == [1, 1, 1]


def test_a_value_of_the_document_is_computed_once_for_the_cross_rules_of_every_collection(tmp_path, monkeypatch):
    """Two cross rules that walk different collections (two fused functions) and read the same value of
    the document and its project: the first function to need it computes it, the other takes it."""
    calls = []
    from auditor.engine import documents

    real = documents.label_key
    monkeypatch.setattr(documents, "label_key", lambda text: calls.append(text) or real(text))
    # the screen's code calls label_key() here, as the model's does (not its table of keys, which would
    # remember the titles across documents: screencode._Keys), so that the calls count the computations
    from auditor.crossdoc.screencode import LightCalls

    monkeypatch.setattr(LightCalls, "keyed_texts", False)
    test = 'count(사업.사업설명서[label_key(사업명) != \\"\\"]) > 1'
    path = tmp_path / "t.toml"
    path.write_text('[pack]\nname = "t"\n' + _RULE.format(n=1, over="summary.rows", test=test)
                    + _RULE.format(n=2, over="summary.total", test=test), encoding="utf-8")
    rules = load_ruleset([path], builtin=False)
    table = "# 청년 일자리 지원\n구 분\t{a}예산액 (A)\t{b}예산액 (B)\t증감 (B-A)\t(B-A)*100/A\n계\t10\t10\t0\t0\n사무관리비\t10\t10\t0\t0\n"
    docs = [e for year in (2023, 2024) for e in index_bytes(table.format(a=year - 1, b=year).encode("utf-8"),
                                                            f"{year}/a.txt", fragment=True)]
    assert cross_check(docs, rules).findings == ()
    assert len(calls) == 2 * 2  # each of the two documents reads the project's two titles once, not once a rule


def test_a_groups_rows_are_found_by_name_through_one_index_per_group():
    """XDOC011 and XDOC013 find a - line's ο rows by name through an index of the group's e호조 rows
    built once per group (``Writer.parent_indexed``), shared by both; with two rows of one name, rows
    whose name is missing, and names on one side only, the findings are the reference's."""
    source = RULES.compiled_for("XDOC011").source
    assert re.search(r"= None if p\d+ is None else \(\[\] if \w+ is None else p\d+\.get\(", source)
    sheet = SHEET.replace("\t- 다과 10,000원*50명\t= 500천원\n", "\t- 다과 10,000원*50명\t= 500천원\n\t- 다과 10,000원*30명\t= 300천원\n"
                          "\t- 간식 1,000원*100명\t= 100천원\n")
    export = EXPORT.replace('2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο다과,"10,000원*50명",500,0,500\n',
                            '2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο다과,"10,000원*30명",300,0,300\n'
                            '2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο다과,"10,000원*40명",400,0,400\n'
                            '2024,본예산,청년 일자리 지원,201-01,사무관리비,  ο,"10,000원*10명",100,0,100\n')
    docs = _entries(sheet, export)
    fast = cross_check(docs, RULES).findings
    assert {"XDOC011", "XDOC013"} <= {f.code for f in fast}
    assert fast == cross_check(docs, attrs.evolve(RULES, reference=True)).findings


def _pack(tmp_path, *rules: tuple[str, str]):
    path = tmp_path / "t.toml"
    path.write_text('[pack]\nname = "t"\n' + "".join(_RULE.format(n=n, over=over, test=test)
                                                     for n, (over, test) in enumerate(rules, 1)), encoding="utf-8")
    return load_ruleset([path], builtin=False)


_LINES = ("과목구분\t2024년 예산내역\n사무관리비\t○ 행사\t= 1천원\n\t- 라 1,000원\t= 1천원\n\t- 가 0원\t= 0천원\n"
          "\t○ 운영\t= 3천원\n\t- 가 1,000원\t= 1천원\n\t- 나 1,000원\t= 1천원\n\t- 가 1,000원\t= 1천원\n"
          "\t○ 홍보\t= 1천원\n\t- 마 1,000원\t= 1천원\n")
#: A value of the parent (its 가 lines) read inside another (their positive ones), then alone in the
#: next part of an ``and`` chain; and the part after reads what the one before it computed.
_TWICE = ('index >= 0 and count(parent.세부내역[label_key(내역) == \\"가\\"][금액 > 0]) >= 0 '
          'and count(parent.세부내역[label_key(내역) == \\"가\\"]) < 2')


def test_a_value_of_the_parent_is_written_once_where_the_code_after_it_sees_it(tmp_path):
    """A value computed once per parent is written once in a rule's code: read again where the code has
    computed it (after the block that computed it, or that computed a value made of it; or in the next
    part of an ``and`` chain), it is read by name, not written out again; and the findings are the
    reference's (the groups of one, two and no 가 line, each with its own values)."""
    over = "basis.categories.groups.items"
    rules = _pack(tmp_path, (over, _TWICE))
    source = rules.compiled_for("TST001").source
    assert source.count("_label_key(") == 1, source  # the 가 lines' filter, written once
    assert len(re.findall(r"if (p\d+) is UNSET:", source)) == len(set(re.findall(r"if (p\d+) is UNSET:", source)))
    sheet = read_bytes(_LINES.encode("utf-8"), "x.txt", fragment=True)
    findings = rules.check(sheet)  # the three lines of the group of two 가 lines (named at the first)
    assert [(f.code, f.line, f.key) for f in findings] == [("TST001", 6, "0"), ("TST001", 6, "1"), ("TST001", 6, "2")]
    assert findings == attrs.evolve(rules, reference=True).check(sheet)


def test_the_values_of_a_parent_are_its_own_when_its_elements_are_walked_again(tmp_path):
    """The same groups walked twice (one collection named twice in ``over``), and a value of the parent
    that some of its elements read and others do not (past a ``when``): each group's values are computed
    for it, whatever the group before computed, as the reference finds."""
    over = '["basis.categories.groups.items", "basis.categories.groups.items"]'
    path = tmp_path / "t.toml"
    path.write_text('[pack]\nname = "t"\n' + _RULE.replace('over = "{over}"', "over = {over}").format(
        n=1, over=over, test=_TWICE.replace("index >= 0", 'label_key(내역) != \\"라\\"')), encoding="utf-8")
    rules = load_ruleset([path], builtin=False)
    sheet = read_bytes(_LINES.encode("utf-8"), "x.txt", fragment=True)
    findings = rules.check(sheet)  # 라, and the lines of the group of two 가 lines (after a group of one)
    assert [(f.line, f.key) for f in findings] == [(3, "0"), (3, "0"), (6, "0"), (6, "0"), (7, "1"), (7, "1"),
                                                    (8, "2"), (8, "2")]
    assert findings == attrs.evolve(rules, reference=True).check(sheet)


def test_no_built_in_rule_writes_a_value_of_a_parent_twice():
    """In every fused function of the built-in packs, over the model and over the screen's light documents
    (:mod:`auditor.crossdoc.screencode`), each rule's part computes each value of a parent in one place (its
    ``if pN is UNSET:`` block written once), and so does the code before the parts. (Two parts may each
    write one: either may be the first to need it, for an element of the parent.)"""
    from auditor.crossdoc.screencode import compile_light, groups_of

    ruleset = RULES.complete()
    sources = {RULES.compiled_for(rule.code).source for rule in ruleset.rules if not rule.reader}
    sources |= {compile_light(rules, ruleset.vocab).source for rules in groups_of(ruleset)}
    parts = [part for source in sources for part in re.split(r"\n(?= +# [A-Z]+\d+\n|    \S)", source)]
    assert len(parts) > 2 * len(sources) and any(re.search(r"if p\d+ is UNSET:", part) for part in parts)
    for part in parts:
        guards = re.findall(r"if (p\d+) is UNSET:", _without_replays(part))
        assert len(guards) == len(set(guards)), part


#: A line of the replay of a ○ line's lazy chain where the values of its 통계목 are known (Writer.owner_cached): each
#: value of the ○ line set from its 통계목's cell, its steps counted again; no value computed.
_REPLAY = re.compile(r"if p\d+ is UNSET:|s \+= n\d+|p\d+ = g\d+|pass")


def _without_replays(part: str) -> str:
    """``part`` without the lines of its replays (an ``else:`` whose lines are all :data:`_REPLAY`'s)."""
    lines, out, i = part.split("\n"), [], 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].strip() == "else:":
            pad = len(lines[i]) - len(lines[i].lstrip())
            j = i + 1
            while j < len(lines) and len(lines[j]) - len(lines[j].lstrip()) > pad:
                j += 1
            if j > i + 1 and all(_REPLAY.fullmatch(line.strip()) for line in lines[i + 1:j]):
                i = j
                continue
        i += 1
    return "\n".join(out)


def test_a_replay_is_told_from_a_value_computed_twice():
    """The test above leaves out the replays of a ○ line's chain only (a value written twice is still seen)."""
    replay = "if g4 is UNSET:\n    x\nelse:\n    if p8 is UNSET:\n        s += n9\n        p8 = g9\n    s += n5\np3 = g4"
    assert re.findall(r"if (p\d+) is UNSET:", _without_replays(replay)) == []
    computed = "if p8 is UNSET:\n    p8 = 1\nelse:\n    if p8 is UNSET:\n        p8 = f(x)"
    assert re.findall(r"if (p\d+) is UNSET:", _without_replays(computed)) == ["p8", "p8"]
