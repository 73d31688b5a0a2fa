"""``auditor check``'s arguments read without click (:mod:`auditor.cli.checkargv`) are read as click reads them.

The fast parser's option table is held to click's declarations of ``check`` (``check.params``), and, on
arguments drawn from those declarations (every option's names, flags, values of each type, repeated
options, clusters of short options, ``--``, paths, and tokens click refuses), whatever the fast parser
accepts equals click's ``ctx.params`` (the parent group's context as ``auditor`` makes it), and whatever
click refuses the fast parser declines. Then the fast path runs the command's body with the values
click's command passes to it.
"""

from __future__ import annotations

import pathlib
import re

import click
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from auditor.cli import checkargv, checkbody
from auditor.cli import check as check_module
from auditor.cli.app import CONTEXT_SETTINGS, main
from auditor.cli.check import check
from auditor.cli.checkargv import CHOICE, COUNT, FLAG, MANY, ONE, OPTIONS, PATH, PATHS, TEXT, parse

OPTS = [p for p in check.params if isinstance(p, click.Option)]


def _context(args: list[str]) -> click.Context:
    """``check``'s context for ``args`` as ``auditor check ARGS`` makes it: under the group's context."""
    parent = main.make_context("auditor", ["check"])
    return check.make_context("check", list(args), parent=parent)


def _clicks(args: list[str]) -> dict | None:
    """click's ``ctx.params`` for ``args``, or ``None`` where click refuses them (or shows help)."""
    try:
        return _context(args).params
    except (click.exceptions.ClickException, click.exceptions.Exit):
        return None


def _typed(params: dict) -> list[tuple[str, str]]:
    """The parameters with their types: ``True`` is not ``1``, a ``Path`` is not its text."""
    return sorted((key, repr(value)) for key, value in params.items())


def test_the_option_table_is_the_click_declaration_of_check():
    """Every option of ``check`` as click declares it, in the table, with the same names, way of taking
    values, type and default; and nothing the fast parser does not reproduce (callbacks, environment
    variables, eager options, prompts, deprecation, counts, secondary names, required values)."""
    ctx = _context([])
    declared = {}
    arguments = [p for p in check.params if isinstance(p, click.Argument)]
    assert [(p.name, p.nargs, p.required, type(p.type), p.callback, p.envvar, p.is_eager) for p in arguments] == [
        (PATHS, -1, False, click.types.StringParamType, None, None, False)]
    for p in OPTS:
        assert p.callback is None and not p.envvar and not p.is_eager and p.prompt is None and not p.deprecated, p
        assert not p.count and p.nargs == 1 and not p.secondary_opts and not p.required and p.expose_value, p
        assert not p._flag_needs_value, p
        assert all(re.fullmatch(r"--[a-z][a-z-]+|-[a-zA-Z]", name) for name in p.opts), p  # long or one letter
        if p.is_flag:
            assert isinstance(p.type, click.types.BoolParamType) and p.flag_activation_value is True, p
            takes, kind = FLAG, ()
        else:
            takes = MANY if p.multiple else ONE
            t = p.type
            if type(t) is click.types.StringParamType:
                kind = (TEXT,)
            elif type(t) is click.Choice:
                assert t.case_sensitive and all(type(c) is str for c in t.choices), p
                kind = (CHOICE, tuple(t.choices))
            elif type(t) is click.IntRange:
                assert (t.min, t.max, t.min_open, t.max_open, t.clamp) == (0, None, False, False, False), p
                kind = (COUNT,)
            elif type(t) is click.Path:
                assert (t.exists, t.readable, t.writable, t.executable, t.resolve_path, t.allow_dash, t.type) == (
                    False, True, False, False, False, False, pathlib.Path), p
                kind = (PATH, t.file_okay, t.dir_okay)
            else:
                pytest.fail(f"{p.name}: a type the fast parser does not read: {t!r}")
        declared[p.name] = (tuple(p.opts), takes, kind, ctx.params[p.name])
    written = {key: (names, takes, kind, default) for names, key, takes, kind, default in OPTIONS}
    assert declared == written
    assert _typed({k: v[3] for k, v in declared.items()}) == _typed({k: v[3] for k, v in written.items()})


def test_the_command_and_its_group_read_arguments_as_the_fast_parser_assumes():
    ctx = _context([])
    assert check.context_settings == {} and main.context_settings == CONTEXT_SETTINGS
    assert set(CONTEXT_SETTINGS) == {"help_option_names", "max_content_width"}
    assert ctx.token_normalize_func is None and ctx.auto_envvar_prefix is None and ctx.default_map is None
    assert ctx.allow_interspersed_args and not ctx.ignore_unknown_options and not ctx.allow_extra_args
    assert not check.no_args_is_help and not check.deprecated and not main.deprecated
    assert main.commands["check"] is check
    assert not main.chain and not main.invoke_without_command
    help_names = check.get_help_option_names(ctx)
    assert set(help_names) == {"-h", "--help"}
    assert not any(name in checkargv._LONG or name[1:] in checkargv._SHORT for name in help_names)


# Arguments drawn from check's own declarations.

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6)
_ODD = ["-h", "--help", "--version", "-V", "--sel", "--selec", "--Quiet", "--no-such", "-x", "-", "---", "--=x",
        "-qh", "-q=1", "--quiet=1", "--jobs=", "-j", "--output-format", "=", "-", "--", "-vq", "-jq", "-j-1"]


def _paths(base: pathlib.Path) -> list[str]:
    (base / "dir").mkdir(exist_ok=True)
    (base / "file.toml").write_text("", encoding="utf-8")
    locked = base / "locked"
    locked.write_text("", encoding="utf-8")
    locked.chmod(0)
    return [str(base / "dir"), str(base / "file.toml"), str(locked), str(base / "missing"), "", ".", "-",
            "a b", "x*.txt", "[z-a]"]


def _value(p: click.Option, paths: list[str]):
    t = p.type
    if isinstance(t, click.Choice):
        return st.one_of(st.sampled_from(t.choices), st.sampled_from([c.upper() for c in t.choices] + [""]), _TEXT)
    if isinstance(t, click.IntRange):
        return st.one_of(st.integers(-3, 40).map(str), st.sampled_from([" 3", "+2", "٣", "1_0", "0x1", "", "2.0",
                                                                          "-0", "007"]), _TEXT)
    if isinstance(t, click.Path):
        return st.one_of(st.sampled_from(paths), _TEXT)
    return st.one_of(_TEXT, st.sampled_from(["-", "--", "-q", "--quiet", "=", "a=b", "SET001=warning", "*.txt"]))


@st.composite
def _piece(draw, paths: list[str]) -> list[str]:
    kind = draw(st.sampled_from(["option"] * 6 + ["cluster", "path", "path", "dashdash", "odd"]))
    if kind == "option":
        p = draw(st.sampled_from(OPTS))
        name = draw(st.sampled_from(p.opts))
        if p.is_flag:
            return [name] if draw(st.integers(0, 5)) else [f"{name}={draw(_TEXT)}"]
        value = draw(_value(p, paths))
        form = draw(st.sampled_from(["apart"] * 4 + ["equals", "equals", "attached", "missing"]))
        return {"apart": [name, value], "equals": [f"{name}={value}"], "attached": [name + value],
                "missing": [name]}[form]
    if kind == "cluster":
        flags = [p.opts[0][1] for p in OPTS if p.is_flag and len(p.opts[0]) == 2]
        valued = [p for p in OPTS if not p.is_flag and len(p.opts[0]) == 2]
        letters = "".join(draw(st.lists(st.sampled_from(flags), min_size=1, max_size=3)))
        if draw(st.booleans()):
            p = draw(st.sampled_from(valued))
            value = draw(_value(p, paths))
            return [f"-{letters}{p.opts[0][1]}{value}"] if draw(st.booleans()) else [f"-{letters}{p.opts[0][1]}", value]
        return [f"-{letters}"]
    if kind == "path":
        return [draw(st.one_of(st.sampled_from(paths), _TEXT))]
    if kind == "dashdash":
        return ["--"]
    return [draw(st.sampled_from(_ODD))]


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> list[str]:
    return _paths(tmp_path_factory.mktemp("paths"))


@settings(max_examples=1500, deadline=None)
@given(data=st.data())
def test_what_the_fast_parser_accepts_click_reads_the_same(data, paths):
    args = [token for piece in data.draw(st.lists(_piece(paths), max_size=8)) for token in piece]
    fast = parse(args)
    clicks = _clicks(args)
    event("accepted" if fast is not None else "declined, click refuses" if clicks is None else "declined")
    if fast is not None:
        assert clicks is not None, args
        assert _typed(fast) == _typed(clicks), args
    if clicks is None:
        assert fast is None, args


@pytest.mark.parametrize("args", [
    [],
    ["."],
    [".", "--no-cache", "-q", "--jobs", "2", "--output-format", "json", "-o", "/dev/null"],
    ["sheets/", "--fail-on", "warning", "--select", "SET", "--ignore", "SET003", "--ignore=CALC"],
    ["--sarif-output", "a.sarif", "--baseline", ".auditor-baseline.json", "sheets/", "-j0"],
    ["-qvj2", "--format=html", "--html-context", "0", "--html-full", "--color", "never", "--lang", "en", "x.txt"],
    ["--severity", "SET001=warning", "--param", "REVIEW001.min_execution_rate=60", "--per-file-ignores", "a/**:ALL",
     "--include", "*.md", "--exclude", "old", "--extend-exclude", "tmp", "--max-file-size", "5MB", "-"],
    ["--stdin-filename", "a.txt", "--force-exclude", "--strict-rules", "--isolated", "--statistics", "--exit-zero"],
    ["--write-baseline", "b.json", "--junit-output", "j.xml", "--json-output", "j.json", "--html-output", "h.html",
     "--cache-dir", "cache", "--rules", "packs", "--config", "auditor.toml", "--", "--help", "-q"],
    ["-o", "--quiet", "-o=x", "-oy", "--show-settings", "--extend-select", "X", "--extend-per-file-ignores", "b:Y"],
])
def test_the_common_arguments_are_read_without_click(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fast = parse(args)
    assert fast is not None, args
    assert _typed(fast) == _typed(_context(args).params)


@pytest.mark.parametrize("argv", [
    [], ["--version", "check"], ["-h"], ["rules"], ["clean"], ["chec", "."], ["check", "--help"], ["check", "-h"],
    ["check", "--jobs", "-1"], ["check", "--output-format", "xml"], ["check", "--quiet=yes"], ["check", "--sel", "X"],
    ["check", "--jobs"], ["check", "-x"], ["check", "--config", "."],
])
def test_run_fast_leaves_to_click_what_it_does_not_read(argv, monkeypatch):
    monkeypatch.setattr(checkbody, "run_check", lambda **opts: pytest.fail("ran the body"))
    assert checkargv.run_fast(argv) is None


@pytest.mark.parametrize("env", ["_AUDITOR_COMPLETE", "_PYTHON _M AUDITOR_COMPLETE", "AUDITOR_TRACEBACK"])
def test_completion_and_tracebacks_go_to_click(env, monkeypatch):
    monkeypatch.setenv(env, "1" if env == "AUDITOR_TRACEBACK" else "bash_complete")
    monkeypatch.setattr(checkbody, "run_check", lambda **opts: pytest.fail("ran the body"))
    assert checkargv.run_fast(["check", "."]) is None


@pytest.mark.parametrize("args", [
    [".", "-q", "--jobs", "2", "--output-format", "json", "-o", "r.json"],
    ["--select", "SET", "--select=CALC,SUM", "-qvj0", "--", "-"],
    ["--rules", ".", "--cache-dir", "c", "--no-cache", "--color", "always", "a.txt", "b.txt"],
])
def test_the_fast_path_and_click_call_the_body_with_the_same_values(args, tmp_path, monkeypatch):
    """The body itself, as each path calls it: click's command (check.py's run_check) and the fast path
    (checkbody.run_check), each under the guard, each ending the process with the body's exit code."""
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    seen = []

    def body(**opts):
        seen.append(opts)
        return 1

    monkeypatch.setattr(checkbody, "run_check", body)
    monkeypatch.setattr(check_module, "run_check", body)
    with pytest.raises(SystemExit) as fast_exit:
        checkargv.run_fast(["check", *args])
    result = CliRunner().invoke(main, ["check", *args])
    assert fast_exit.value.code == 1 and result.exit_code == 1
    assert len(seen) == 2 and _typed(seen[0]) == _typed(seen[1])


def test_a_value_only_the_body_refuses_is_clicks_usage_error(tmp_path, monkeypatch):
    """``--severity SET001=loud`` passes the parser; the body refuses it before reading anything, and the
    fast path gives the arguments back to click, which shows its usage error (exit 2)."""
    monkeypatch.chdir(tmp_path)
    assert parse(["--severity", "SET001=loud"]) is not None
    assert checkargv.run_fast(["check", "--severity", "SET001=loud"]) is None
    with pytest.raises(click.BadParameter, match="'SET001=loud'"):
        check.main(["--severity", "SET001=loud"], standalone_mode=False)
