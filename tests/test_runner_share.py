"""The first sheet's fused functions compiled a share by each process of a ``--jobs N`` run
(:func:`auditor.runner._share_compiling`): each group compiled once in the run, every process given
functions equal to those :func:`auditor.engine.codegen.compile_rules` makes, the same findings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import auditor.engine.codegen as codegen
import auditor.runner as runner
from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.readers import iter_sheets
from auditor.result import KEEP_CONTEXT, FileError
from auditor.runner import RulesetSpec

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sheets"
SHEETS = sorted(EXAMPLES.glob("*.txt"))


def _sheets(path: Path) -> list:
    return list(iter_sheets(str(path), path.name))


def _fresh():
    ruleset = load_ruleset((), defer_cross=True)
    assert not any(slot[0] for _, _, slot in ruleset._groups(False))
    return ruleset


def _findings(ruleset, sheets) -> list:
    return [[(f.code, f.path, f.line, f.message("en")) for f in ruleset.check(s)] for s in sheets]


def test_first_groups_are_those_a_first_check_compiles():
    sheet = _sheets(SHEETS[0])[0]
    ruleset = _fresh()
    groups = ruleset.first_groups(sheet)
    assert groups
    ruleset.check(sheet)
    compiled = [i for i, (_, _, slot) in enumerate(ruleset._groups(False)) if slot[0] is not None]
    assert compiled == groups
    assert ruleset.first_groups(sheet) == []  # none left to compile


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_shares_make_each_group_once_and_give_what_compile_rules_gives(parts):
    sheets = [s for path in SHEETS for s in _sheets(path)]
    reference = _fresh()
    groups = reference.first_groups(sheets[0])
    made, sets = [], []
    for part in range(parts):
        ruleset = _fresh()
        made.append(runner._share_compiling(ruleset, groups, part, parts))
        sets.append(ruleset)
    assert sorted(entry[0] for mine in made for entry in mine) == sorted(groups)  # each group made once
    for part, ruleset in enumerate(sets):
        runner._take_compiled(ruleset, groups, [e for k, mine in enumerate(made) if k != part for e in mine])
        for i in groups:
            got = ruleset.compiled_group(i)
            want = codegen.compile_rules(reference.group_rules(i), reference.vocab)
            assert got.source == want.source and got.codes == want.codes and got.over == want.over
            assert got.unsupported == want.unsupported
            assert got.function.__code__ == want.function.__code__
            assert got.function.__globals__.get("UNSET", None) is want.function.__globals__.get("UNSET", None)
            assert sorted(got.function.__globals__) == sorted(want.function.__globals__)
        assert _findings(ruleset, sheets) == _findings(_fresh(), sheets)


def test_a_group_is_taken_only_for_the_same_rules_and_when_it_can_be_read():
    sheet = _sheets(SHEETS[0])[0]
    ruleset = _fresh()
    groups = ruleset.first_groups(sheet)
    made = runner._share_compiling(_fresh(), groups, 0, 1)
    a, b = made[0], made[1]
    runner._take_compiled(ruleset, groups, [(a[0], *b[1:])])  # another group's function under this one's place
    assert ruleset.compiled_group(a[0]) is None  # left to be compiled where it is met
    runner._take_compiled(ruleset, groups, [(*b[:-1], b"\x00not code"), (*a[:-2], b"\x00not values", a[-1])])
    assert ruleset.compiled_group(a[0]) is None and ruleset.compiled_group(b[0]) is None
    assert _findings(ruleset, [sheet]) == _findings(_fresh(), [sheet])
    other = _fresh()
    runner._take_compiled(other, [g for g in groups if g != a[0]], [a])  # not one of the groups shared
    assert other.compiled_group(a[0]) is None
    runner._take_compiled(other, groups, [a])
    assert other.compiled_group(a[0]).source == a[2]


def test_the_shares_are_dealt_alike_and_whole():
    ruleset = _fresh()
    groups = ruleset.first_groups(_sheets(SHEETS[0])[0])
    for parts in (1, 2, 3, 5):
        shares = runner._dealt(ruleset, groups, parts)
        assert len(shares) == parts and sorted(i for share in shares for i in share) == sorted(groups)
        assert shares == runner._dealt(_fresh(), groups, parts)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers need os.fork")
@pytest.mark.parametrize("jobs", [2, 3])
def test_a_forked_run_compiles_each_first_group_once_and_finds_the_same(tmp_path, monkeypatch, jobs):
    inputs = [Input(str(p), p.name) for p in SHEETS] * 3
    alone = list(runner.run(inputs, _fresh(), RulesetSpec(), jobs=1, keep=KEEP_CONTEXT))
    log = tmp_path / "compiled"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    real = codegen.code_of

    def code_of(written):  # whichever process compiles it
        os.write(fd, f"{os.getpid()} {written[1]}\n".encode())
        return real(written)

    monkeypatch.setattr(codegen, "code_of", code_of)
    real_write = codegen.write_rules

    def write_rules(rules, vocab, *more):  # whichever process writes it
        written = real_write(rules, vocab, *more)
        os.write(fd, f"{os.getpid()} write {written[1]}\n".encode())
        return written

    monkeypatch.setattr(codegen, "write_rules", write_rules)
    try:
        ruleset = _fresh()
        groups = ruleset.first_groups(_sheets(SHEETS[0])[0])
        outcomes = list(runner.run(inputs, ruleset, RulesetSpec(), jobs=jobs, keep=KEEP_CONTEXT))
        runner.reap()
    finally:
        os.close(fd)
    lines = [line.split(" ", 1) for line in log.read_text().splitlines() if " write " not in line]
    writes = [line.split(" ", 2)[2] for line in log.read_text().splitlines() if " write " in line]
    names = [real_write(ruleset.group_rules(i), ruleset.vocab)[1] for i in groups]
    assert all(writes.count(name) == 1 for name in names)  # and written once
    compiled = [name for _, name in lines]
    assert all(compiled.count(name) == 1 for name in names)  # each first group compiled once in the whole run
    assert len({pid for pid, name in lines if name in names}) == jobs  # by every process, a share each
    assert [_key(o) for o in outcomes] == [_key(o) for o in alone]
    assert sum(1 for o in alone if not isinstance(o, FileError) and o[1]) >= 3  # findings to compare


def _key(outcome) -> tuple:
    if isinstance(outcome, FileError):
        return (outcome.path, outcome.message_en)
    checked, findings = outcome
    return (checked.path, [(f.code, f.path, f.line, f.message("en")) for f in findings])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers need os.fork")
def test_not_with_a_results_cache(tmp_path, monkeypatch):
    """A run with the results cache compiles nothing for the inputs it finds there: nothing is compiled ahead."""
    from auditor.pipeline import check_paths

    monkeypatch.delenv("AUDITOR_NO_RESULTS_CACHE", raising=False)
    asked = []
    real = runner._first_groups
    monkeypatch.setattr(runner, "_first_groups", lambda inputs, ruleset: asked.append(len(inputs)) or real(inputs, ruleset))
    uncached = check_paths([str(EXAMPLES)], isolated=True, jobs=2)
    assert asked == [len(SHEETS)], asked
    cached = check_paths([str(EXAMPLES)], isolated=True, jobs=2, cache_dir=str(tmp_path / "cache"))
    assert asked == [len(SHEETS)]
    assert [f.fingerprint for f in cached.findings] == [f.fingerprint for f in uncached.findings]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers need os.fork")
@pytest.mark.parametrize("how", ["killed", "fails"])
def test_a_worker_lost_or_failing_while_sharing_leaves_every_input_checked(monkeypatch, how):
    """A worker that dies while it compiles its share (the parent then checks the rest, as for any lost
    worker), or whose compiling fails (each process then compiles what it meets): every input reported."""
    inputs = [Input(str(p), p.name) for p in SHEETS] * 4
    alone = list(runner.run(inputs, _fresh(), RulesetSpec(), jobs=1, keep=KEEP_CONTEXT))
    parent = os.getpid()
    real = runner._share_compiling

    def share(ruleset, groups, part, parts):
        if os.getpid() != parent:
            if how == "killed":
                os._exit(3)
            raise RuntimeError("no share")
        return real(ruleset, groups, part, parts)

    monkeypatch.setattr(runner, "_share_compiling", share)
    outcomes = list(runner.run(inputs, _fresh(), RulesetSpec(), jobs=2, keep=KEEP_CONTEXT))
    runner.reap()
    assert [_key(o) for o in outcomes] == [_key(o) for o in alone]


@settings(max_examples=60, deadline=None)
@given(schedule=st.lists(st.sampled_from([0, 1]), max_size=80))
def test_two_processes_dealing_as_they_go_make_every_group_once(schedule):
    """``_claimed`` in any interleaving of the two processes' steps: every group made, none twice."""
    ruleset = _RULESET
    groups = _GROUPS
    claims = bytearray(2 * runner._COUNT.size)
    steps = [runner._claimed(ruleset, groups, 0, claims), runner._claimed(ruleset, groups, 1, claims)]
    made: list[list[int]] = [[], []]
    for who in [*schedule, *[0] * len(groups), *[1] * len(groups)]:
        got = next(steps[who], None)
        if got is not None:
            made[who].append(got)
    assert sorted(made[0] + made[1]) == sorted(groups)


_RULESET = _fresh()
_GROUPS = _RULESET.first_groups(_sheets(SHEETS[0])[0])
