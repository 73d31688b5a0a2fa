"""A check run never imports ``typing`` (about 12 M instructions of every start-up beyond what auditor imports
anyway; auditor.hints) nor ``inspect`` (about 47 M with dis and tokenize: auditor.engine.coderuntime) nor ``ast``
(about 6 M beyond ``_ast``, its node classes in C, which reads each sheet's rate formula: auditor.engine.builtins)
nor ``glob`` (about 3 M; auditor.discovery expands with it only a pattern the shell left).

Every module names typing's types for type checkers only (``if TYPE_CHECKING:``, written by scripts/untype.py);
what the running code needs of typing is :mod:`auditor.hints`. Each run here is a fresh interpreter that says,
as it ends, whether ``typing``, ``inspect``, ``ast`` or ``glob`` was ever imported: a check made through
:func:`auditor.pipeline.run` (as the CLI makes it), with findings (the explaining path), the cross pass, e호조
exports, the results cache, ``--jobs 2`` and each report format that does not colour text with click. The rule
packs are loaded from the pack cache, warmed first: loading them afresh parses expressions with pyparsing,
which imports typing.

The same through the CLI (``python -m auditor check``), which reads a check's arguments without click
(auditor.cli.checkargv) and writes the terminal's reports without it (auditor.term): a JSON report, and the
``concise`` one with colour. (The ``full`` report measures display widths with wcwidth, which imports typing.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor import hints

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: Checks PATHS as ``auditor check`` does, through auditor.pipeline (the CLI's run, without the CLI), and prints
#: which of the modules kept off the run were imported.
_PROGRAM = """
import sys
from auditor import config as cfg
from auditor import pipeline
fmt, jobs, out, cache, *paths = sys.argv[1:]
options = cfg.Options(output_format=fmt, no_cache=not cache, cache_dir=cache or None)
settings = cfg.resolve(options, isolated=True)
code = pipeline.run(pipeline.Request(settings, tuple(paths), jobs=int(jobs), output_file=out, quiet=True))
print("exit", code)
print("imported:", sorted(m for m in sys.modules if m.split(".")[0] in ("typing", "inspect", "ast", "glob")))
"""

#: The same through ``python -m auditor`` (``auditor.cli.entry`` runs the ``atexit`` functions before ``os._exit``).
_CLI = """
import atexit, sys
atexit.register(lambda: print("imported:", sorted(m for m in sys.modules
                                                 if m.split(".")[0] in ("typing", "inspect", "ast", "glob")),
                              "click" in sys.modules))
sys.argv = ["auditor", *sys.argv[1:]]
from auditor.__main__ import run
run()
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose pack cache is warm (a run that loads the packs afresh imports pyparsing)."""
    home = tmp_path_factory.mktemp("home")
    made = {**os.environ, "AUDITOR_CACHE_DIR": str(home / "cache"), "XDG_STATE_HOME": str(home / "state")}
    made.pop("AUDITOR_NO_CACHE", None)
    _run(made, "json", "1", os.devnull, "", str(EXAMPLES))
    return made


def _run(env: dict[str, str], *args: str, program: str = _PROGRAM) -> str:
    done = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("imported:")]
    assert lines, done.stdout + done.stderr
    return lines[-1]


@pytest.mark.parametrize("fmt, jobs", [("json", "1"), ("json", "2"), ("sarif", "1"), ("html", "1"), ("junit", "1"),
                                       ("github", "1"), ("gitlab", "1"), ("markdown", "1")])
def test_a_check_run_never_imports_typing_nor_inspect(env, tmp_path, fmt, jobs):
    report = tmp_path / "report"
    assert _run(env, fmt, jobs, str(report), "", str(EXAMPLES)) == "imported: []"
    assert report.stat().st_size > 0


def test_a_run_from_the_results_cache_never_imports_typing_nor_inspect(env, tmp_path):
    cache = str(tmp_path / "cache")
    assert _run(env, "json", "1", str(tmp_path / "first"), cache, str(EXAMPLES)) == "imported: []"  # written
    assert _run(env, "json", "1", str(tmp_path / "second"), cache, str(EXAMPLES)) == "imported: []"  # read back
    assert (tmp_path / "first").read_bytes() == (tmp_path / "second").read_bytes()


def test_a_check_run_of_faulty_sheets_never_imports_typing_nor_inspect(env, tmp_path):
    """Sheets with one fault each, of every kind the generator makes: every rule's explaining path."""
    from auditor.testing import write_corpus

    write_corpus(tmp_path / "corpus", 60, seed=3, inject=1.0)
    report = tmp_path / "r.json"
    assert _run(env, "json", "1", str(report), "", str(tmp_path / "corpus")) == "imported: []"
    assert '"severity": "error"' in report.read_text(encoding="utf-8")


def test_the_cli_never_imports_typing_nor_inspect_once_it_does_without_click(env, tmp_path):
    said = _run(env, "check", str(EXAMPLES), "-q", "--no-cache", "--isolated", "--output-format", "json",
                "-o", str(tmp_path / "r.json"), program=_CLI)
    assert said == "imported: [] False"
    # the concise report on the terminal's behalf, with colour (the full one measures its lines' display
    # width with wcwidth, whose modules import typing, dataclasses and inspect: that report's own cost)
    said = _run(env, "check", str(EXAMPLES), "--no-cache", "--isolated", "--output-format", "concise",
                "--color", "always", program=_CLI)
    assert said == "imported: [] False"


def test_importing_the_pipeline_does_not_import_typing_nor_inspect():
    done = subprocess.run([sys.executable, "-c", "import sys, auditor.pipeline, auditor.engine.coderuntime; "
                           "print(sorted({'typing', 'inspect', 'ast', 'glob'} & set(sys.modules)))"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def _model_classes() -> list[type]:
    import auditor.crossdoc.model
    import auditor.model
    import auditor.readers.eho_row
    import auditor.result

    found = []
    for module in (auditor.model, auditor.crossdoc.model, auditor.readers.eho_row, auditor.result):
        found += [c for c in vars(module).values() if isinstance(c, type) and c.__module__ == module.__name__]
    return found


@pytest.mark.parametrize("cls", _model_classes(), ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_the_raw_source_is_found_as_inspect_finds_it(cls):
    """coderuntime._raw_source looks ``source`` up as ``inspect.getattr_static(cls, "source", None)`` does."""
    import inspect

    from auditor.engine import coderuntime
    from auditor.source import Source

    found = inspect.getattr_static(cls, "source", None)
    slot, build = getattr(found, "slot", None), getattr(found, "build", None)
    expected = False if slot is None or build != Source.unchecked or not hasattr(slot, "__get__") else slot.__get__
    assert coderuntime._raw_source(cls) == expected


# What auditor.hints answers without typing is what typing answers.

_HINTS = [int, str, type(None), int | None, str | int | None, tuple[int, ...], tuple[int, int], tuple[()],
          list[str], dict[str, tuple[int, ...]], frozenset[int], tuple[int | None, ...], type[int],
          Callable[[int], str], Callable[..., None], Callable[[], int], list[Callable[[int], str]], None, "int",
          Ellipsis]


@pytest.mark.parametrize("hint", _HINTS, ids=repr)
def test_get_origin_and_get_args_are_typing_s(hint):
    assert hints._origin(hint) == typing.get_origin(hint)
    args = hints._args(hint)
    assert args is None or args == typing.get_args(hint)
    assert (args is None) == (typing.get_origin(hint) is Callable)  # only a Callable's are left to typing
    assert hints.get_origin(hint) == typing.get_origin(hint) and hints.get_args(hint) == typing.get_args(hint)
    assert hints.is_union(typing.get_origin(hint)) == (typing.get_origin(hint) in (typing.Union, type(int | None)))


def test_is_union_knows_typing_s_union_once_typing_is_imported():
    assert hints.is_union(typing.get_origin(typing.Optional[int]))


class _Standin(hints.NamedTuple):
    """A docstring."""

    text: str
    column: int = 1
    note: str | None = None

    def shown(self) -> str:
        return f"{self.text}@{self.column}"


class _Typing(typing.NamedTuple):
    """A docstring."""

    text: str
    column: int = 1
    note: str | None = None

    def shown(self) -> str:
        return f"{self.text}@{self.column}"


def test_a_named_tuple_is_typing_s():
    import pickle

    for cls in (_Standin, _Typing):
        made = cls("a")
        assert made == ("a", 1, None) and made.shown() == "a@1" and cls.__doc__ == "A docstring."
        assert cls._fields == ("text", "column", "note") and cls._field_defaults == {"column": 1, "note": None}
        assert cls.__bases__ == (tuple,) and cls.__module__ == __name__ and not hasattr(made, "__dict__")
        assert pickle.loads(pickle.dumps(made)) == made and type(pickle.loads(pickle.dumps(made))) is cls
        assert made._replace(column=2) == ("a", 2, None) and made._asdict() == {"text": "a", "column": 1, "note": None}
        assert repr(made) == f"{cls.__name__}(text='a', column=1, note=None)"
    assert typing.get_type_hints(_Standin) == typing.get_type_hints(_Typing)
    assert set(vars(_Standin)) - {"__orig_bases__"} == set(vars(_Typing)) - {"__orig_bases__"}


def test_a_named_tuple_refuses_what_typing_refuses():
    with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow default field a"):
        class _Bad(hints.NamedTuple):
            a: int = 1
            b: int
    with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _replace"):
        class _Worse(hints.NamedTuple):
            a: int

            def _replace(self) -> None: ...


def test_the_script_has_nothing_left_to_rewrite():
    """scripts/untype.py --check: no module imports typing outside ``if TYPE_CHECKING:``."""
    done = subprocess.run([sys.executable, "scripts/untype.py", "--check"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
