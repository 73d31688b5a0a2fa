"""The corpus generator itself: deterministic, every fault kind producible, faults exactly as described, files and key agree.

The coverage tests read the generated text back (through the reader where it helps) instead of
trusting the generator's own account of what it wrote.
"""

from __future__ import annotations

import codecs
import json
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from auditor.model import BasisGroup, BasisItem, SummaryRow, walk
from auditor.readers import read_bytes, read_text
from auditor.readers.numbers import parse_number
from auditor.source import Amount, Year
from auditor.testing import ANSWER_KEY, KINDS, answer_key, detected, generate_sheet, write_corpus
from auditor.testing.corpus import numbered
from auditor.testing.plan import draw_plan
from auditor.testing.render import render

SEEDS = range(200)
SHEETS = [generate_sheet(seed) for seed in SEEDS]
TEXTS = [g.text for g in SHEETS]
READ = [read_bytes(g.data, f"gen{i}.txt") for i, g in enumerate(SHEETS)]


def test_the_same_seed_gives_the_same_sheet_and_different_seeds_differ():
    for seed in range(10):
        assert generate_sheet(seed) == generate_sheet(seed)
        assert generate_sheet(random.Random(seed)) == generate_sheet(seed)
        for kind in ("CALC001", "SET003"):
            assert generate_sheet(seed, fault=kind) == generate_sheet(seed, fault=kind)
    assert len(set(TEXTS)) == len(TEXTS)


def test_writing_a_corpus_twice_gives_the_same_bytes(tmp_path):
    one = write_corpus(tmp_path / "one", 30, seed=5, inject=0.5)
    two = write_corpus(tmp_path / "two", 30, seed=5, inject=0.5)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    other = write_corpus(tmp_path / "other", 30, seed=6, inject=0.5)
    assert (one / ANSWER_KEY).read_bytes() != (other / ANSWER_KEY).read_bytes()


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_fault_kind_is_producible(kind):
    for seed in range(8):
        fault = generate_sheet(seed, fault=kind).fault
        assert fault is not None and fault.kind == fault.rule == kind
        assert fault.line in fault.lines and fault.rule not in fault.also
        assert fault.before in fault.description and fault.after in fault.description


def test_an_unknown_fault_kind_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown fault kind"):
        generate_sheet(0, fault="SUM999")
    with pytest.raises(ValueError, match="unknown fault kinds"):
        write_corpus(tmp_path, 1, inject=True, kinds=["SUM999"])
    with pytest.raises(ValueError, match="fraction"):
        write_corpus(tmp_path, 1, inject=1.5)


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_fault_changes_exactly_the_described_text(kind):
    for seed in range(6):
        g = generate_sheet(seed, fault=kind)
        f = g.fault
        before, after = g.consistent.split("\n"), g.text.split("\n")
        assert len(before) == len(after)
        assert [n for n, (a, b) in enumerate(zip(before, after), 1) if a != b] == [f.line]
        old, start = before[f.line - 1], f.column - 1
        assert old[start:start + len(f.before)] == f.before
        assert after[f.line - 1] == old[:start] + f.after + old[start + len(f.before):]
        assert f.before != f.after
        if kind not in ("XREF007", "FUND002"):  # the kinds that rename a 통계목 or a 재원 instead of a figure
            assert parse_number(f.before) is not None and parse_number(f.after) is not None, f
            assert parse_number(f.before) != parse_number(f.after), f


def test_a_faulty_sheet_without_its_fault_is_the_consistent_sheet_of_that_draw():
    # The fault is drawn from its own stream: a kind with a place on the first sheet drawn changes nothing else.
    same = sum(generate_sheet(seed, fault="RATE001").consistent == generate_sheet(seed).text for seed in range(20))
    assert same == 20


def test_written_files_decode_in_their_declared_encoding_and_match_the_key(tmp_path):
    root = write_corpus(tmp_path, 120, seed=3, inject=0.5)
    entries = list(answer_key(root))
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.txt"))
    assert [e["path"] for e in entries] == files and len(files) == 120
    assert max(Counter(Path(f).parent for f in files).values()) <= 100  # as the files of a budget book
    encodings = Counter()
    for i, entry in enumerate(entries):
        data = (root / entry["path"]).read_bytes()
        encodings[entry["encoding"]] += 1
        assert data.startswith(codecs.BOM_UTF8) == (entry["encoding"] == "utf-8-sig")
        text = data.decode(entry["encoding"]).replace("\r\n", "\n")
        sheet = read_bytes(data, entry["path"])
        assert sheet.encoding == entry["encoding"] and sheet.problems == ()
        generated = numbered(generate_sheet(random.Random(f"3/{i}"), fault=entry.get("kind")), i + 1)
        assert text == generated.text and entry["encoding"] == generated.encoding
        if entry["rule"] is None:
            assert generated.fault is None
            continue
        assert entry == {"path": entry["path"], "encoding": entry["encoding"], **generated.fault.to_json()}
        line = text.split("\n")[entry["line"] - 1]
        assert line[entry["column"] - 1:].startswith(entry["after"])
        assert entry["line"] in entry["lines"]
    assert set(encodings) == {"utf-8", "utf-8-sig", "cp949"}
    assert 30 <= sum(e["rule"] is not None for e in entries) <= 90  # about half, as asked


def test_injecting_every_sheet_cycles_through_the_kinds_asked_for(tmp_path):
    root = write_corpus(tmp_path / "all", 2 * len(KINDS), inject=True)
    assert [e["kind"] for e in answer_key(root)] == list(KINDS) * 2
    root = write_corpus(tmp_path / "some", 6, inject=True, kinds=["SET001", "RATE002"])
    assert [e["rule"] for e in answer_key(root)] == ["SET001", "RATE002"] * 3
    root = write_corpus(tmp_path / "none", 3)
    assert not (root / ANSWER_KEY).exists() and len(list(root.rglob("*.txt"))) == 3


def test_detected_needs_the_rule_on_an_accepted_line():
    fault = generate_sheet(0, fault="SET002").fault
    line = fault.lines[0]
    assert detected(fault, [("SET002", line)])
    assert not detected(fault, [("SET001", line), ("SET002", max(fault.lines) + 1)])
    assert detected(fault.to_json(), [("SET002", line)])


def test_the_command_line_writes_a_corpus_and_explains_itself(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "auditor.testing.corpus", *a],  # noqa: E731
                                    capture_output=True, text=True)
    helped = run("--help")
    assert helped.returncode == 0 and "--inject" in helped.stdout and "answer-key.jsonl" in helped.stdout
    assert "SET003" in helped.stdout and helped.stderr == ""
    made = run(str(tmp_path), "--count", "4", "--seed", "9", "--inject", "--kinds", "SUM005,XREF003")
    assert made.returncode == 0, made.stderr
    rules = [json.loads(line)["rule"] for line in (tmp_path / ANSWER_KEY).read_text(encoding="utf-8").splitlines()]
    assert rules == ["SUM005", "XREF003"] * 2
    assert run(str(tmp_path), "--kinds", "NOPE", "--inject").returncode == 2


# -- what the generated text exercises --------------------------------------------------------------

def _lines(sheet, kind):
    return [x for x in walk(sheet, kind)]


FORMULAS = [x.formula.value for s in READ for x in [*_lines(s, BasisGroup), *_lines(s, BasisItem)] if x.formula]
LABELS = [x.label.value for s in READ for x in [*_lines(s, BasisGroup), *_lines(s, BasisItem)] if x.formula]
MUL = "*×xX✕✖·＊∙⋅"

#: Formula syntax forms, as regular expressions over the formulas the reader found.
FORMULA_FORMS = {
    **{f"operator {op}": re.escape(op) for op in "*×xX✕✖·∙⋅＊/÷+-"},
    "operator with blanks": rf" [{MUL}÷/+] ",
    "operator without blanks": rf"\S[{MUL}]\S",
    "parentheses": r"\(\d", "brackets": r"\[\d", "a sum in brackets": r"[(\[][^)\]]*\+",
    "a difference in brackets": r"[(\[][^)\]]*원-\d", "a count with thousands": r"\d,\d{3}(부|매|개)",
    "percentage": r"\d%$", "decimal": r"\d\.\d", "fraction of a year": r"\d/12월",
    "money in 원": r"\d원", "money in 천원": r"\d천원", "money in 만원": r"\d만원", "money in 백만원": r"\d백만원",
    "money suffix": r"원(씩|짜리|상당|권)", "note after a number": r"\d[가-힣]+(\([가-힣\d]+\)|\[[^\]]+\])",
    "bare amount": r"^[\d,]+원$", "count first": rf"^\d+명[{MUL}]", "trailing bare count": rf"[{MUL}]\d+$",
    "blank before a unit": r"\d 원",
    **{f"count unit {u}": rf"\d{u}(?![가-힣]|[A-Za-z])" for u in
       ("명", "인", "회", "시간", "일", "월", "개월", "대", "개", "개소", "부", "식", "매", "건", "EA", "set")},
}
LABEL_FORMS = {
    "label with a number": r"\d", "label with brackets": r"\(.*\)", "label with a number in brackets": r"\(\S*\d",
    "label with Latin letters": r"[A-Z]{2,}", "label ending in a colon": r":$", "label with a middle dot between numbers": r"\d·\d",
}
#: Layout noise, as regular expressions over the generated lines (multiline).
NOISE = {
    "(x-) markers": r"\t\(x-\) \d", "cells without a marker": r"\t[\d△Δ-][\d,]*\t",
    "stray leading tab on a table row": r"^\t(계|\d{4}|[가-힣]+비|[가-힣]+금)\t", "blank line inside a table":
    r"^[^\n]*\t\(?[x\-) ]*[△Δ-]?[\d,]+\n\n\t?[가-힣\d]+\t", "----- line": r"^-{5,}(\t-{5,})*$",
    "rate header on its own line": r"^\t\t\t\t\(B-A\)", "rate header on the header line": r"증감 \(B-A\)\t\(B-A\)",
    "checkbox HTML": r"<input checked", "list HTML": r"<ul[^>]*> <li>", "list HTML without items": r"<ul[^>]*> ○",
    "unit note without blanks": r"^\(단위:천원", "계 under the rows": r"\(x-\)[^\n]*\n\t?(계|합계|합 계)\t",
    "과목 구분 with a blank": r"^과목 구분\t", "구분 without a blank": r"^구분\t", "settlement year with 년": r"^\t?\d{4}년\t", "계 with a blank": r"^\t?합 계\t", "blanks at the end of a line": r"\S +$", "△ minus": r"△\d", "Δ minus": r"Δ\d",
    "hyphen minus": r"\t(\(x-\) )?-\d", "markdown heading": r"^## \d ", "markdown box heading": r"^### □",
    "plain numbered heading": r"^\d [가-힣]", "bold numbered heading": r"^\*\*\d\*\* ", "markdown title": r"^# ",
    "empty 통계목 cell": r"^\t○", "shifted 통계목": r"^\t[가-힣]+\t○", "통계목 on its own line": r"^\t?[가-힣]+비$",
    "item in the 통계목 column": r"^- [^\n]*=", "item shifted right": r"^\t\t- ",
    "amount in one cell": r"\t= ?[\d,]+(천원)?\t?$", "amount in two cells": r"\t=\t[\d,]+",
    "amount inside the description": r"[^\t] = [\d,]+(천원)?\t?$", "amount without a unit": r"= ?[\d,]+\t?$", "a blank before 천원": r"= ?[\d,]+ 천원",
    "separating dash before a formula": r"[가-힣] - [\d(\[]", "ideographic space": "\u3000", "no-break space": "\u00a0", "trailing tabs": r"\t\t$",
    "period with dots and blanks": r"\d{4}\. \d+\. ~", "period by half year": r"\d{4}년? [상하]반기",
    "period without a year": r"\t(연중|연중 수시|3~12월)\t",
}


@pytest.mark.parametrize("form", sorted(FORMULA_FORMS))
def test_the_formulas_exercise_every_syntax_form(form):
    pattern = re.compile(FORMULA_FORMS[form])
    assert any(pattern.search(f) for f in FORMULAS), form


@pytest.mark.parametrize("form", sorted(LABEL_FORMS))
def test_the_labels_hold_numbers_and_brackets(form):
    assert any(re.search(LABEL_FORMS[form], label) for label in LABELS), form


def test_some_formulas_stand_without_a_label():
    counted = [x for s in READ for x in [*_lines(s, BasisGroup), *_lines(s, BasisItem)] if x.formula]
    assert any(not x.label.value for x in counted)


@pytest.mark.parametrize("form", sorted(NOISE))
def test_the_text_exercises_every_layout_noise(form):
    pattern = re.compile(NOISE[form], re.MULTILINE)
    assert any(pattern.search(t) for t in TEXTS), form


def test_files_come_in_every_encoding_and_line_end():
    assert {g.encoding for g in SHEETS} == {"utf-8", "utf-8-sig", "cp949"}
    assert {g.newline for g in SHEETS} == {"\n", "\r\n"}


def test_sheets_vary_in_size_and_shape():
    lines = sorted(len(s.lines) for s in READ)
    assert lines[0] < 80 and lines[-1] > 250
    categories = Counter(len(s.summary.rows) for s in READ)
    assert set(range(1, 9)) <= set(categories)
    assert {len(s.settlement.rows) for s in READ} >= {0, 1, 2, 3, 4}
    assert len({len(s.schedule.rows) for s in READ}) >= 6
    assert {sum(f.amount is not None for f in s.overview.funding) for s in READ} >= {0, 1, 2, 3}
    assert any(r.previous.value == 0 for s in READ for r in s.summary.rows)  # new this year
    assert any(r.current.value == 0 for s in READ for r in s.summary.rows)  # ended this year
    assert any(r.change.value < 0 for s in READ for r in s.summary.rows)
    assert any(r.adjustment.value < 0 for s in READ for r in s.settlement.rows)
    assert any(r.rate.source.text.count(".") for s in READ for r in s.summary.rows)  # rates with a decimal


# -- what the reader makes of it -------------------------------------------------------------------

def test_the_reader_reads_every_figure_where_the_generator_wrote_it():
    for seed in range(40):
        rng = random.Random(seed)
        plan = draw_plan(rng, utf8=True)
        doc = render(plan, rng)
        sheet = read_text("\n".join(doc.lines), "gen.txt")
        assert sheet.problems == ()
        read = {(a.source.line, abs(a.value)) for a in walk(sheet, Amount)}
        years = {(y.source.line, y.value) for y in walk(sheet, Year)}
        for site in doc.sites:
            if site.role in ("formula.operand", "basis.category", "funding.label"):
                continue
            number = parse_number(site.text)
            if site.role == "period.year":
                row = next(r for r in sheet.schedule.rows if r.source.line == site.line)
                assert number.value in {row.start[0], row.end[0]}, site
            elif site.role.endswith("year"):
                assert (site.line, number.value) in years, site
            else:
                assert (site.line, abs(number.value)) in read, site


def test_the_reader_splits_each_label_and_formula_as_the_generator_wrote_them():
    for seed in range(40):
        rng = random.Random(seed)
        doc = render(draw_plan(rng, utf8=True), rng)
        sheet = read_text("\n".join(doc.lines), "gen.txt")
        formulas = {x.formula.source.line: x.formula.source for x in
                    [*_lines(sheet, BasisGroup), *_lines(sheet, BasisItem)] if x.formula}
        by_line: dict[int, list] = {}
        for site in doc.find("formula.operand"):
            by_line.setdefault(site.line, []).append(site)
        assert set(by_line) == set(formulas)
        for line, sites in by_line.items():
            src = formulas[line]
            first, last = sites[0].start + 1, sites[-1].end + 1
            assert src.column <= first and last <= src.column + len(src.text), (src, sites)
            assert set(doc.lines[line - 1][src.column - 1:first - 1]) <= set("([")  # nothing of the label


def test_summary_rows_are_read_with_the_figures_the_plan_has():
    for seed in range(40):
        rng = random.Random(seed)
        plan = draw_plan(rng, utf8=True)
        sheet = read_text("\n".join(render(plan, rng).lines), "gen.txt")
        rows = {r.item.value: (r.previous.value, r.current.value) for r in sheet.summary.rows}
        assert rows == {**{c.name: (c.previous, c.current) for c in plan.categories}, **{n: (a, 0) for n, a in plan.ended}}
        assert isinstance(sheet.summary.total, SummaryRow)
        assert (sheet.summary.total.previous.value, sheet.summary.total.current.value) == (plan.total_a, plan.total_b)
