"""The JSON report's fast paths against their reference: ``finding_text`` is ``dumps_indented`` of
``finding_dict``, and a report written from the texts the run made as it admitted the findings
(``FindingTexts``) is the report written from the findings, byte for byte, on generated findings,
and over a whole run (``auditor check``, ``--jobs`` 1 and 2, with and without the texts dropped)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from auditor import report
from auditor.findings import Finding, Related, Severity
from auditor.report.base import STREAMED, dumps_indented, streamed_parts
from auditor.report.json_format import FindingTexts, document, finding_dict, finding_text
from auditor.result import CheckResult, FindingStore

ROOT = Path(__file__).resolve().parent.parent

texts = st.text(max_size=6) | st.text(alphabet="\"\\\n\t\x00\x1f\x7f\u2028가⏎", max_size=4)
odd = st.floats(allow_nan=False) | st.booleans() | st.lists(st.integers(), max_size=2)  # not a finding's kinds
findings = st.builds(
    Finding,
    code=st.sampled_from(["SET001", "CALC002", "XDOC011"]) | texts,
    name=texts,
    severity=st.sampled_from(list(Severity)),
    path=texts,
    line=st.integers(min_value=-2, max_value=10**20),
    message_ko=texts,
    message_en=texts,
    column=st.none() | st.integers(min_value=0, max_value=300),
    end_column=st.none() | st.integers(min_value=0, max_value=300),
    related=st.lists(st.builds(Related, texts, st.integers(min_value=0, max_value=99), texts), max_size=3).map(tuple),
    expected=st.none() | texts | st.integers() | odd,
    actual=st.none() | texts | st.integers(),
    key=texts,
    occurrence=st.integers(min_value=0, max_value=3),
    context=st.lists(st.tuples(st.sampled_from(["department", "project", "category", "project"]), texts),
                     max_size=3).map(tuple),
)


@settings(max_examples=500, deadline=None)
@given(findings, st.sampled_from(["\n", "\n    ", "\n  "]))
def test_finding_text_is_dumps_indented_of_finding_dict(f: Finding, newline: str) -> None:
    assert finding_text(f, newline) == dumps_indented(finding_dict(f), newline)
    assert finding_text(f, newline) == json.dumps(finding_dict(f), ensure_ascii=False, indent=2).replace("\n", newline)


def _report(result: CheckResult, rendered: FindingTexts | None = None) -> str:
    return "".join(report.chunks("json", result, rendered=rendered))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(findings, max_size=4), max_size=5), st.booleans())
def test_a_report_from_the_admitted_texts_is_the_report(batches: list[list[Finding]], small: bool) -> None:
    """Each file's findings as the run admits them: the texts made then give the report's bytes; past
    the limit they are dropped and the report is made from the findings (the same bytes)."""
    store, made = FindingStore(), FindingTexts()
    if small:
        made.LIMIT = 40  # dropped at the first finding or so
    for batch in batches:
        store.add(batch)
        made.add(batch)
    result = CheckResult(findings=store)
    whole = {**document(result, STREAMED), "findings": [finding_dict(f) for f in store]}
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert _report(result) == expected
    assert _report(result, made) == expected
    if made.texts(result) is not None:
        assert not small or not len(store)


def test_texts_that_are_not_one_per_finding_are_not_used() -> None:
    f = Finding(code="SET001", name="n", severity=Severity.ERROR, path="a.txt", line=3, message_ko="가")
    made = FindingTexts()
    made.add([f])
    store = FindingStore([f, f])
    assert made.texts(CheckResult(findings=store)) is None
    assert _report(CheckResult(findings=store), made) == _report(CheckResult(findings=store))


def test_the_texts_are_made_for_the_report_s_line_break() -> None:
    """The findings' place in the document is fixed, so the line break the texts were made with is the
    report's whatever the run holds."""
    result = CheckResult(findings=[Finding(code="SET001", name="n", severity=Severity.ERROR, path="a.txt", line=3,
                                           message_ko="가")])
    assert streamed_parts(document(result, STREAMED))[1] == FindingTexts().newline == "\n    "


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("limit", [None, 300])
def test_a_run_s_json_report_is_the_report_of_its_findings(tmp_path: Path, monkeypatch, jobs: int,
                                                            limit: int | None) -> None:
    """``auditor check`` over the examples with a JSON report (main and extra output): the same bytes
    as the report rendered from the run's findings after the run."""
    from auditor import pipeline
    from auditor.config import Options, resolve

    if limit is not None:
        monkeypatch.setattr(FindingTexts, "LIMIT", limit)
    monkeypatch.chdir(ROOT / "examples")
    settings_ = resolve(Options(no_cache=True, output_format="json"), isolated=True)
    out, extra = tmp_path / "main.json", tmp_path / "extra.json"
    request = pipeline.Request(settings_, (".",), jobs=jobs, output_file=str(out),
                               extra_outputs=(("json", str(extra)),), quiet=True)
    kept: dict = {}
    original = pipeline.Run.report

    def report_and_keep(self, result, stream=None):
        kept["result"], kept["texts"] = result, self._texts
        return original(self, result, stream)

    monkeypatch.setattr(pipeline.Run, "report", report_and_keep)
    pipeline.run(request, pipeline.Silent())
    reference = "".join(report.chunks("json", kept["result"]))
    assert out.read_text(encoding="utf-8") == reference == extra.read_text(encoding="utf-8")
    assert len(kept["result"].findings) > 5
    assert (kept["texts"].texts(kept["result"]) is not None) == (limit is None)


# -- the matched projects' list ------------------------------------------------------------------
import attrs  # noqa: E402

from auditor.crossdoc.cross import Document, Match  # noqa: E402
from auditor.crossdoc.identity import Key  # noqa: E402
from auditor.report.base import Written  # noqa: E402
from auditor.report.json_format import match_text, projects_text  # noqa: E402

documents = st.builds(
    Document,
    kind=st.sampled_from(["sheet", "export"]) | texts,
    path=texts,
    line=st.integers(min_value=-2, max_value=10**20),
    year=st.none() | st.integers(min_value=-1, max_value=10**6),
    name=texts, department=texts, account=texts,
)
keys = st.builds(Key, texts, texts, texts)
odd_value = st.sampled_from([True, False, None, 1.5, 0, -1, 10**20]) | texts  # not all a match holds


def _one_odd(values: st.SearchStrategy, fields: list[str]) -> st.SearchStrategy:
    """``values`` with one field (any of ``fields``) of another kind than it holds, or of the same."""
    return st.tuples(values, st.sampled_from(fields), odd_value).map(lambda t: attrs.evolve(t[0], **{t[1]: t[2]}))


odd_documents = _one_odd(documents, ["kind", "path", "line", "year", "name", "department", "account"])
matches = st.builds(Match, keys, st.lists(documents, max_size=4))
odd_matches = st.builds(Match, keys | _one_odd(keys, ["name", "department", "account"]),
                        st.lists(documents | odd_documents, max_size=3))
NEWLINES = st.sampled_from(["\n", "\n    ", "\n  ", "\r\n\t"])


@settings(max_examples=500, deadline=None)
@given(matches | odd_matches, NEWLINES)
def test_match_text_is_dumps_indented_of_the_match(m: Match, newline: str) -> None:
    assert match_text(m, newline) == dumps_indented(m.as_dict(), newline)
    assert match_text(m, newline) == json.dumps(m.as_dict(), ensure_ascii=False, indent=2).replace("\n", newline)


DOCUMENT_FIELDS = ["kind", "path", "line", "year", "name", "department", "account"]


@pytest.mark.parametrize("field", DOCUMENT_FIELDS + ["key." + f for f in ("name", "department", "account")])
@settings(max_examples=100, deadline=None)
@given(keys, st.lists(documents, max_size=2), documents, st.lists(documents, max_size=1), odd_value, NEWLINES)
def test_a_match_with_one_value_of_any_kind(field: str, key: Key, before: list[Document], document_: Document,
                                            after: list[Document], value: object, newline: str) -> None:
    """Each field of a match in turn given a value of another kind (a bool, None, a float, a large
    integer) or of its own: the same text as the generic rendering."""
    if field.startswith("key."):
        key = attrs.evolve(key, **{field[4:]: value})
    else:
        document_ = attrs.evolve(document_, **{field: value})
    m = Match(key, [*before, document_, *after])
    assert match_text(m, newline) == dumps_indented(m.as_dict(), newline)


@settings(max_examples=200, deadline=None)
@given(st.lists(matches | odd_matches, max_size=4), NEWLINES)
def test_projects_text_is_dumps_indented_of_the_list(ms: list[Match], newline: str) -> None:
    plain = [m.as_dict() for m in ms]
    assert projects_text(ms, newline) == dumps_indented(plain, newline)
    written = Written(ms, projects_text, lambda v: [m.as_dict() for m in v])
    assert dumps_indented({"a": [written], "p": written}, newline) == dumps_indented({"a": [plain], "p": plain}, newline)
    # a document left to json.dumps whole (a float) gives json.dumps the plain list
    assert dumps_indented({"f": 1.5, "p": written}, newline) == dumps_indented({"f": 1.5, "p": plain}, newline)


@settings(max_examples=100, deadline=None)
@given(st.lists(matches, max_size=4), st.lists(findings, max_size=3))
def test_a_report_with_matched_projects_is_json_dumps_of_its_document(ms: list[Match], fs: list[Finding]) -> None:
    result = CheckResult(findings=FindingStore(fs), projects=ms)
    assert _report(result) == json.dumps(document(result), ensure_ascii=False, indent=2) + "\n"
    assert _report(result) == report.render("json", result)


def test_a_value_json_dumps_cannot_write_is_still_refused() -> None:
    with pytest.raises(TypeError, match="Object of type object is not JSON serializable"):
        dumps_indented({"f": 1.5, "o": object()})
