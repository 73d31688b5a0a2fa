"""The recogniser of the join rules (:func:`auditor.crossdoc.joins.recognise`): each built-in cross rule read into
its Join or refused; one-edit variants of XDOC010–015 that are no longer joins refused; the same rules written
differently recognised as the same Join."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from auditor.crossdoc.joins import Join, Prefer, recognise, refusal
from auditor.engine import load_ruleset
from crossdoc_joins_expected import expected_joins

CROSSDOC = Path(__file__).resolve().parents[1] / "rules" / "crossdoc.toml"
BUILT_IN = {rule["code"]: rule for rule in tomllib.loads(CROSSDOC.read_text(encoding="utf-8"))["rule"]}
#: The rule's keys a variant keeps (its documentation and examples are left out).
KEPT = ("code", "name", "severity", "over", "when", "assert", "actual", "expected", "compare", "at", "related", "key")


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string


def rule_toml(code: str, edits: tuple[tuple[str, str, str], ...] = (), renames: dict[str, str] | None = None,
              **replaced: str) -> str:
    """The built-in rule ``code`` as a pack's rule text, with ``edits`` ``(key, old, new)`` (``old`` found exactly
    once; a ``let.<name>`` key edits a binding), the bindings renamed by ``renames`` everywhere, and the keys in
    ``replaced`` (``assert_`` for ``assert``, ``let_<name>`` for a binding) given new text."""
    rule = BUILT_IN[code]
    values = {key: rule[key] for key in KEPT if key in rule}
    values["title"] = rule["title"]
    values["message"] = rule["message"]
    lets = dict(rule.get("let", {}))
    for key, text in replaced.items():
        if key.startswith("let_"):
            lets[key[4:]] = text
        else:
            values[key.rstrip("_")] = text
    for key, old, new in edits:
        holder, name = (lets, key[4:]) if key.startswith("let.") else (values, key)
        assert holder[name].count(old) == 1, (key, old)
        holder[name] = holder[name].replace(old, new)
    for old, new in (renames or {}).items():
        pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
        lets = {new if name == old else name: pattern.sub(new, text) for name, text in lets.items()}
        for key in ("when", "assert", "actual", "expected", "at", "related"):
            if key in values:
                values[key] = pattern.sub(new, values[key])
        values["message"] = {lang: pattern.sub(new, text) for lang, text in values["message"].items()}
        values["key"] = pattern.sub(new, values["key"])
    lines = ["[[rule]]"]
    for key, value in values.items():
        if isinstance(value, dict):
            lines += [f"{key}.{lang} = {_string(text)}" for lang, text in value.items()]
        elif isinstance(value, list):
            lines.append(f"{key} = [{', '.join(map(_string, value))}]")
        else:
            lines.append(f"{key} = {_string(value)}")
    lines.append("[rule.let]")
    lines += [f"{name} = {_string(text)}" for name, text in lets.items()]
    return "\n".join(lines) + "\n"


def load_rule(tmp_path: Path, text: str):
    """The one rule of a pack holding ``text``, as the loader gives it."""
    path = tmp_path / "t.toml"
    path.write_text('[pack]\nname = "t"\n\n' + text, encoding="utf-8")
    (rule,) = load_ruleset([path], builtin=False).rules
    return rule


def test_the_built_in_join_rules_are_recognised_as_their_joins():
    rules = {rule.code: rule for rule in load_ruleset().complete().rules}
    expected = expected_joins()
    for code, join in expected.items():
        assert refusal(rules[code]) is None, code
        assert recognise(rules[code]) == join, code


def test_every_other_built_in_rule_is_refused_with_a_reason():
    expected = expected_joins()
    refused = {}
    for rule in load_ruleset().complete().rules:
        if rule.code not in expected:
            assert recognise(rule) is None, rule.code
            refused[rule.code] = refusal(rule)
            assert isinstance(refused[rule.code], str) and refused[rule.code], rule.code
    assert {f"XDOC00{n}" for n in range(1, 9)} | {"XDOC016"} <= set(refused)
    assert refused["XDOC016"] == "over 2 paths, not one"
    assert refused["XDOC001"] == "assert is not count(…) > 0"


def test_the_expected_joins_keep_the_contract():
    """An exists join ends in a Match of the element's own key; a counterpart join in a Prefer by the field it
    compares, after such a Match; the element's key and the rows' key line up."""
    for join in expected_joins().values():
        last = join.steps[-1]
        if join.kind == "exists":
            assert last.ctx.up == 0 and join.compare is None
        else:
            assert isinstance(last, Prefer) and last.field == join.compare and join.steps[-2].ctx.up == 0
        assert len(join.element_key) == len(join.row_key)


def test_a_rule_written_out_from_the_built_in_text_is_recognised_as_the_built_in(tmp_path):
    for code, join in expected_joins().items():
        assert recognise(load_rule(tmp_path, rule_toml(code))) == join, code


# --- one-edit variants that are no longer joins: each refused ---------------------------------------------

REFUSED = {  # what: (code, a text edit (key, old, new) or keys given new text, words of the reason)
    "a Match by !=": ("XDOC012", ("let.eho_rows", "norm(통계목) == norm(parent.통계목)",
                                  "norm(통계목) != norm(parent.통계목)"), "by other than =="),
    "the element's key filter by !=": ("XDOC014", ("assert", "label_key(내역) == label_key(this.내역)",
                                                   "label_key(내역) != label_key(this.내역)"), "by other than =="),
    "the Prefer's filter by <": ("XDOC010", ("let.counterpart", "금액 == this.금액", "금액 < this.금액"),
                                 "by other than =="),
    "count() >= 1": ("XDOC012", ("assert", ") > 0", ") >= 1"), "count(…) > 0"),
    "count() > 1": ("XDOC014", ("assert", ") > 0", ") > 1"), "count(…) > 0"),
    "count() >= 0": ("XDOC013", ("assert", ") > 0", ") >= 0"), "count(…) > 0"),  # true of every element
    "different key functions on the two sides": ("XDOC014", ("assert", "label_key(내역) == label_key(this.내역)",
                                                             "norm(내역) == label_key(this.내역)"),
                                                 "keyed by norm and label_key"),
    "a key function on one side only": ("XDOC009", ("assert", "== norm(this.통계목)", "== this.통계목"),
                                        "keyed by norm and nothing"),
    "first(A[f == c.f] + B), A and B different": ("XDOC010", ("let.counterpart", "+ named)", "+ eho_rows)"),
                                                  "A and B different"),
    "first(N[g == c.f] + N), g not the field compared": ("XDOC010", ("let.counterpart", "named[금액 ==",
                                                                     "named[기정액 =="),
                                                         "not a field against the same field"),
    "the parent's side an arithmetic": ("XDOC013", ("let.eho_group", "== parent.금액", "== parent.금액 - 0"),
                                        "cannot name"),
    "the Prefer's side an arithmetic": ("XDOC010", ("let.counterpart", "== this.금액", "== this.금액 + 0"),
                                        "cannot name"),
    # a filter that reads nothing of the element is computed once (the loader's Once), the table with it
    "a filter by a constant": ("XDOC012", ("let.eho_rows", "norm(parent.통계목)", "norm(\"사무관리비\")"),
                               "a table not from"),
    "the final filter by the parent's key": ("XDOC014", ("assert", "label_key(this.내역)", "label_key(parent.통계목)"),
                                             "not filtered last by a key of the element"),
    "Part(2) not first(sheet.산출근거.통계목[parent in 내역])": ("XDOC011", (
        "let.eho_rows", "first(sheet.산출근거.통계목[parent in 내역])", "first(sheet.산출근거.통계목)"),
        "a table not from"),
    "Part(2) of another sheet's lists": ("XDOC013", (
        "let.eho_rows", "first(sheet.산출근거.통계목[parent in 내역])",
        "first(first(사업.사업설명서).산출근거.통계목[parent in 내역])"), "cannot name"),
    "the documents of another year": ("XDOC012", ("let.eho_rows", "sheet.예산연도]", "sheet.예산연도 - 1]"),
                                      "a table not from"),
    # a filter of documents the sheet alone names is looked up by its key (the loader's KFilter)
    "the documents of every year": ("XDOC014", ("let.sheet_rows", "year_sheets.", "사업.사업설명서."),
                                    "a table step it does not read: KFilter"),
    "in_force() whose version reads the element": ("XDOC012", ("let.eho_rows", "budget_version(sheet.사업명)",
                                                               "budget_version(parent.통계목)"),
                                                   "version reads the element"),
    "X.a + X.b of a list": ("XDOC013", ("let.eho_items", "eho_group.세부내역 + eho_group.유지세부내역",
                                        "eho_rows.세부내역 + eho_rows.유지세부내역"), "of a list of rows"),
    "'or' at the top of when": ("XDOC010", ("when", "path and counterpart", "path or counterpart"),
                                "'or' at the top of when"),
    "'not' at the top of when": ("XDOC012", ("when", "label_key(내역) != \"\"", "not (label_key(내역) == \"\")"),
                                 "'not' at the top of when"),
    "compare other than exact": ("XDOC010", {"compare": "rounding"}, "not exact"),
    "actual another field than the counterpart's": ("XDOC010", ("actual", "금액", "기정액"), "the field actual names"),
}


@pytest.mark.parametrize("what", list(REFUSED))
def test_a_one_edit_variant_that_is_not_a_join_is_refused(tmp_path, what):
    code, edit, why = REFUSED[what]  # a text edit (key, old, new), or keys given new text; the reason's words
    rule = load_rule(tmp_path, rule_toml(code, **edit) if isinstance(edit, dict) else rule_toml(code, (edit,)))
    assert recognise(rule) is None
    assert why in refusal(rule)


def test_a_refused_variant_differs_from_its_rule_by_the_edit_alone(tmp_path):
    """The variants' base: each rule, put through the same text helper unedited, is recognised."""
    for code in sorted({code for code, _, _ in REFUSED.values()}):
        assert recognise(load_rule(tmp_path, rule_toml(code))) == expected_joins()[code]


# --- the same rules written differently: recognised as the same Join --------------------------------------

SAME = {
    "XDOC010, its bindings renamed": ("XDOC010", {}, {"eho_rows": "rows_in_force", "named": "same_name",
                                                      "counterpart": "match"}),
    "XDOC011, its bindings renamed": ("XDOC011", {}, {"eho_group": "o_row", "eho_items": "o_lines",
                                                      "named": "n"}),
    "XDOC015, its bindings renamed": ("XDOC015", {}, {"year_sheets": "the_sheets", "sheet_group": "group"}),
    "XDOC014, its element's conjuncts first": ("XDOC014", {"when": (
        "금액 != none and 금액 != 0 and count(sheet_rows) > 0 and sheet.path in 사업.e호조.path "
        "and this in in_force(sheet.산출근거.통계목.내역, budget_version(first(year_sheets).사업명)) "
        "and count(year_sheets) > 0")}, {}),
    "XDOC013, its element's conjuncts reordered": ("XDOC013", {"when": (
        "count(eho_items) > 0 and eho_group != none and sheet.path in 사업.사업설명서.path "
        "and label_key(내역) != \"\"")}, {}),
    "XDOC012, count() > 0 through a binding": ("XDOC012", {"assert_": "found", "let_found": (
        "count(eho_rows[label_key(내역) == label_key(this.내역)]) > 0")}, {}),
    "XDOC014, the counted rows a binding": ("XDOC014", {"assert_": "count(same_name) > 0", "let_same_name": (
        "sheet_rows[label_key(내역) == label_key(this.내역)]")}, {}),
    "XDOC010, its filters' sides swapped": ("XDOC010", {"let_eho_rows": (
        "in_force(사업.e호조[sheet.예산연도 == 예산연도].산출근거.통계목[norm(parent.통계목) == norm(통계목)].내역, "
        "budget_version(sheet.사업명))"), "let_named": "eho_rows[label_key(this.내역) == label_key(내역)]",
        "let_counterpart": "first(named[this.금액 == 금액] + named)"}, {}),
    "XDOC013, the enclosing 통계목's lists spelled in English": ("XDOC013", {"let_eho_rows": (
        "in_force(사업.e호조[예산연도 == sheet.예산연도].산출근거.통계목[norm(통계목) == "
        "norm(first(sheet.basis.categories[parent in groups]).통계목)].내역, budget_version(sheet.사업명))")}, {}),
    "XDOC009, its when without the element's conjuncts": ("XDOC009", {"when": (
        "sheet.path in 사업.e호조.path and count(year_sheets) > 0")}, {}),
}


@pytest.mark.parametrize("what", list(SAME))
def test_the_same_rule_written_differently_is_the_same_join(tmp_path, what):
    code, replaced, renames = SAME[what]
    rule = load_rule(tmp_path, rule_toml(code, renames=renames, **replaced))
    assert refusal(rule) is None
    assert recognise(rule) == expected_joins()[code]


def test_the_guards_keep_their_order(tmp_path):
    when = "count(year_sheets) > 0 and sheet.path in 사업.e호조.path and count(sheet_rows) > 0"
    join = recognise(load_rule(tmp_path, rule_toml("XDOC014", when=when)))
    expected = expected_joins()["XDOC014"]
    assert join.guards == expected.guards[::-1]
    assert join == Join(expected.code, expected.over, join.guards, expected.collection, expected.steps, "exists")


def test_a_conjunct_that_reads_the_document_only_is_a_guard_in_its_place(tmp_path):
    when = BUILT_IN["XDOC012"]["when"].replace(" and count(", " and sheet.예산연도 > 2000 and count(")
    join = recognise(load_rule(tmp_path, rule_toml("XDOC012", when=when)))
    (on_sheet,) = expected_joins()["XDOC012"].guards
    assert join.guards[0] == on_sheet
    assert join.guards[1][:2] == ("bin", ">") and join.guards[1][2] == ("attr", ("name", "sheet"), "예산연도")
    assert len(join.guards) == 2  # label_key(내역) != "" and count(eho_rows) > 0 read the element: dropped


def test_a_rule_spelled_in_english_is_read_with_its_names_as_written(tmp_path):
    """The names stay as the rule writes them (the pre-check resolves either spelling on the class it walks)."""
    from auditor.crossdoc.joins import Field, InForce, Match, Part
    from auditor.engine.expr import Attr, Call, Name

    eho_rows = ("in_force(project.exports[budget_year == sheet.budget_year].basis.categories[norm(name) == "
                "norm(parent.name)].groups, budget_version(sheet.title))")
    rule = load_rule(tmp_path, rule_toml("XDOC012", let_eho_rows=eho_rows,
                                         assert_="count(eho_rows[label_key(label) == label_key(this.label)]) > 0"))
    korean = expected_joins()["XDOC012"]
    assert recognise(rule) == Join(
        "XDOC012", korean.over, korean.guards, "exports",
        (Field("basis"), Field("categories"), Match("name", "norm", Part(1, "name", "norm")), Field("groups"),
         InForce(Call("budget_version", (Attr(Name("sheet"), "title"),))),
         Match("label", "label_key", Part(0, "label", "label_key"))), "exists")
