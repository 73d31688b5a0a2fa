"""Take ``typing`` off auditor's import path: rewrite each module's ``from typing import ...`` (run it again after
a merge; a module already rewritten is left as it is, or its blocks take the names a merge added).

Every module has ``from __future__ import annotations``, so an annotation is text that only type checkers read.
For each name a module imports from typing:

- ``TYPE_CHECKING`` becomes ``TYPE_CHECKING = False`` (what mypy and pyright read as typing's);
- an abstract collection type (``Iterator``, ``Mapping``, ``Callable`` ...) comes from ``collections.abc``, which
  the interpreter has loaded anyway, placed among the module's ``from`` imports in order;
- any other name used only in annotations is imported under ``if TYPE_CHECKING:``, after the module's imports;
- ``NamedTuple`` and ``Protocol`` as a class's base, and ``Any`` in a module-level alias (``Type = Any``): under
  ``if TYPE_CHECKING:`` for type checkers, and from :mod:`auditor.hints` (``else:``) at run time;
- a module-level alias ``X = Union[A, B]`` is written ``X = A | B`` (the same union at run time);
- a module-level assignment that needs typing only for type checkers (``T = TypeVar("T")``) is put under
  ``if TYPE_CHECKING:`` where it stands, when nothing of the package reads its name at run time.

Anything else a module does with typing at run time stops the script with the module and line: change it by
hand (as auditor/engine/schema.py and codewriter.py were, to :mod:`auditor.hints`). Each change is to the import
lines and the names they bind; the rest of a module is left as written.

Usage: ``python scripts/untype.py [--check] [--skip DIR ...] [FILE ...]`` (default: every module of ``auditor/``;
``--check`` writes nothing and exits 1 when a module would change). tests/test_no_typing.py keeps typing off
the check run.
"""

from __future__ import annotations

import argparse
import ast
import collections.abc
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "auditor"
#: Where the run-time stand-ins come from (never rewritten itself).
STANDINS_MODULE = "auditor.hints"
ABC = frozenset(collections.abc.__all__)


class Refused(Exception):
    """A use of typing the script does not rewrite: the message names the module and line."""


def _is_tc_test(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _ids(node: ast.AST | None) -> set[int]:
    return {id(n) for n in ast.walk(node)} if node is not None else set()


def _annotation_nodes(tree: ast.Module) -> set[int]:
    """The nodes of every annotation (text under ``from __future__ import annotations``) and of every
    ``if TYPE_CHECKING:`` block."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if _is_tc_test(node):
            for statement in node.body:  # type: ignore[attr-defined]
                out |= _ids(statement)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out |= _ids(node.returns)
            a = node.args
            for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg):
                if arg is not None:
                    out |= _ids(arg.annotation)
        elif isinstance(node, ast.AnnAssign):
            out |= _ids(node.annotation)
    return out


def _runtime_imports(modules: dict[Path, ast.Module]) -> set[tuple[str, str]]:
    """``(module, name)`` for every ``from module import name`` of the package outside ``if TYPE_CHECKING:``."""
    out = set()
    for tree in modules.values():
        guarded = _annotation_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and id(node) not in guarded:
                out |= {(node.module, a.name) for a in node.names}
    return out


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sorted_names(names: set[str]) -> list[str]:
    """isort's order (ruff's default ``order-by-type``): CONSTANTS, then Classes, then functions."""
    def key(n: str) -> tuple[int, str]:
        kind = 0 if n.isupper() and len(n) > 1 else 1 if n[:1].isupper() else 2
        return kind, n
    return sorted(names, key=key)


def _from_line(module: str, names: set[str], indent: str = "") -> str:
    return f"{indent}from {module} import {', '.join(_sorted_names(names))}"


def rewrite(path: Path, source: str, runtime_imports: set[tuple[str, str]]) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    where = path.relative_to(ROOT)
    body = tree.body
    typing_imports = [s for s in body if isinstance(s, ast.ImportFrom) and s.module == "typing" and s.level == 0]
    for s in body:
        if isinstance(s, ast.Import) and any(a.name == "typing" for a in s.names):
            print(f"{where}:{s.lineno}: 'import typing' left as it is (change it by hand)", file=sys.stderr)
    if not typing_imports:
        return source
    if not any(isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
               for s in body):
        raise Refused(f"{where}: no 'from __future__ import annotations': its annotations are evaluated")

    bound: dict[str, str] = {}  # local name -> typing's name
    for s in typing_imports:
        for a in s.names:
            if a.asname and a.asname != a.name:
                raise Refused(f"{where}:{s.lineno}: 'from typing import {a.name} as {a.asname}'")
            bound[a.name] = a.name

    annotation = _annotation_nodes(tree)
    import_ids = set().union(*(_ids(s) for s in typing_imports))
    tc_ifs = [s for s in body if _is_tc_test(s)]

    # Uses of each name outside annotations, and the top-level statement each is in.
    runtime: dict[str, list[tuple[ast.Name, ast.stmt]]] = {n: [] for n in bound}
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id in bound and id(node) not in annotation and id(node) not in import_ids:
                runtime[node.id].append((node, statement))

    abc = {n for n in bound if n in ABC}
    guarded = {n for n in bound if n not in ABC and n != "TYPE_CHECKING"}
    standins: set[str] = set()
    union_aliases: list[ast.Assign] = []
    wrapped: list[ast.stmt] = []
    module = _module_name(path)
    for name in sorted(guarded):
        for node, statement in runtime[name]:
            if name in ("NamedTuple", "Protocol") and isinstance(statement, ast.ClassDef) \
                    and any(b is node for b in statement.bases):
                standins.add(name)
                continue
            if name == "Any" and isinstance(statement, ast.Assign):  # an alias: Type = Any, dict[str, Any]
                standins.add(name)
                continue
            if name == "Union" and isinstance(statement, ast.Assign) and statement.value is not None \
                    and isinstance(statement.value, ast.Subscript) and statement.value.value is node:
                elements = statement.value.slice.elts if isinstance(statement.value.slice, ast.Tuple) else [statement.value.slice]
                if any(isinstance(e, ast.Constant) for e in elements):
                    raise Refused(f"{where}:{statement.lineno}: Union of a quoted name cannot be written with |")
                if statement not in union_aliases:
                    union_aliases.append(statement)
                continue
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                alias = statement.targets[0].id
                reads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == alias
                         and isinstance(n.ctx, ast.Load) and id(n) not in annotation]
                if reads:
                    raise Refused(f"{where}:{reads[0].lineno}: {alias} (made with typing.{name}) is read at run time")
                if (module, alias) in runtime_imports:
                    raise Refused(f"{where}:{statement.lineno}: {alias} (made with typing.{name}) is imported by "
                                  "another module at run time")
                if statement not in wrapped:
                    wrapped.append(statement)
                continue
            raise Refused(f"{where}:{node.lineno}: typing.{name} is used at run time")
    # A Union alias that also needs a guarded name (Union[int, Any]) would be both: refuse it.
    for statement in union_aliases:
        if statement in wrapped:
            raise Refused(f"{where}:{statement.lineno}: a Union alias that needs typing for more than Union")
    for statement in wrapped:
        if any(s.lineno <= statement.lineno <= s.end_lineno for s in tc_ifs):  # type: ignore[operator]
            raise Refused(f"{where}:{statement.lineno}: already under if TYPE_CHECKING")

    # Names only a rewritten Union alias used need no import at all (Union, when nothing else names it).
    for name in list(guarded):
        uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and id(n) not in import_ids]
        if uses and all(any(s.lineno <= n.lineno <= s.end_lineno for s in union_aliases)  # type: ignore[operator]
                        and id(n) not in annotation for n in uses):
            guarded.discard(name)
        elif not uses:
            guarded.discard(name)  # imported and never named: dropped

    edits: list[tuple[int, int, list[str]]] = []  # (first line index, end line index (exclusive), new lines)

    def segment(node: ast.AST) -> str:
        text = ast.get_source_segment(source, node)
        assert text is not None
        return text

    # 1. The Union aliases, written with |.
    for statement in union_aliases:
        value = statement.value
        assert isinstance(value, ast.Subscript)
        elements = value.slice.elts if isinstance(value.slice, ast.Tuple) else [value.slice]
        first, last = statement.lineno - 1, statement.end_lineno  # type: ignore[operator]
        text = "".join(lines[first:last])
        start = sum(len(l) for l in lines[:value.lineno - 1]) + len(lines[value.lineno - 1].encode()[:value.col_offset].decode())
        stop = sum(len(l) for l in lines[:value.end_lineno - 1]) + \
            len(lines[value.end_lineno - 1].encode()[:value.end_col_offset].decode())  # type: ignore[index, operator]
        offset = sum(len(l) for l in lines[:first])
        joined = " | ".join(segment(e) for e in elements)
        new = text[:start - offset] + joined + text[stop - offset:]
        edits.append((first, last, new.splitlines(keepends=True)))

    # 2. Assignments that need typing only for type checkers, under if TYPE_CHECKING where they stand.
    for statement in wrapped:
        first, last = statement.lineno - 1, statement.end_lineno  # type: ignore[operator]
        edits.append((first, last, ["if TYPE_CHECKING:\n", *("    " + l if l.strip() else l for l in lines[first:last])]))

    # 3. The typing imports go; the abstract collection types come from collections.abc.
    existing_abc = [s for s in body if isinstance(s, ast.ImportFrom) and s.module == "collections.abc" and s.level == 0]
    for s in typing_imports:
        edits.append((s.lineno - 1, s.end_lineno, []))  # type: ignore[arg-type]
    if abc:
        if existing_abc:
            s = existing_abc[0]
            names = {a.name for a in s.names} | abc
            edits.append((s.lineno - 1, s.end_lineno, [_from_line("collections.abc", names) + "\n"]))  # type: ignore[arg-type]
        else:
            index = body.index(typing_imports[0])
            group = [typing_imports[0]]
            i = index
            while i > 0 and isinstance(body[i - 1], (ast.Import, ast.ImportFrom)) and body[i - 1].end_lineno == group[0].lineno - 1:
                group.insert(0, body[i - 1])
                i -= 1
            i = index
            while i + 1 < len(body) and isinstance(body[i + 1], (ast.Import, ast.ImportFrom)) and body[i + 1].lineno == group[-1].end_lineno + 1:  # type: ignore[operator]
                group.append(body[i + 1])
                i += 1
            before = next((s for s in group if isinstance(s, ast.ImportFrom) and s.module not in ("__future__",)
                           and s not in typing_imports and (s.module or "") > "collections.abc"), None)
            at = (before.lineno - 1) if before is not None else typing_imports[0].lineno - 1
            edits.append((at, at, [_from_line("collections.abc", abc) + "\n"]))

    # 4. The guard: TYPE_CHECKING = False, then typing's names for type checkers and the stand-ins at run time.
    has_flag = any(isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
                   and s.targets[0].id == "TYPE_CHECKING" for s in body)
    need_flag = bool(guarded or standins or wrapped or "TYPE_CHECKING" in bound or tc_ifs)
    block: list[str] = []
    if guarded:
        block.append(_from_line("typing", guarded, "    ") + "\n")
    else_block = [_from_line(STANDINS_MODULE, standins, "    ") + "\n"] if standins else []
    if tc_ifs:
        guard = tc_ifs[0]
        inner_typing = [s for s in guard.body if isinstance(s, ast.ImportFrom) and s.module == "typing"]
        if inner_typing and guarded:
            s = inner_typing[0]
            names = {a.name for a in s.names} | guarded
            edits.append((s.lineno - 1, s.end_lineno, [_from_line("typing", names, "    ") + "\n"]))  # type: ignore[arg-type]
        elif guarded:
            edits.append((guard.body[0].lineno - 1, guard.body[0].lineno - 1, block))
        if standins:
            inner = [s for s in guard.orelse if isinstance(s, ast.ImportFrom) and s.module == STANDINS_MODULE]
            if inner:
                s = inner[0]
                names = {a.name for a in s.names} | standins
                edits.append((s.lineno - 1, s.end_lineno, [_from_line(STANDINS_MODULE, names, "    ") + "\n"]))  # type: ignore[arg-type]
            elif guard.orelse:
                raise Refused(f"{where}:{guard.lineno}: if TYPE_CHECKING has an else: add the stand-ins by hand")
            else:
                edits.append((guard.end_lineno, guard.end_lineno, ["else:\n", *else_block]))  # type: ignore[arg-type]
        if not has_flag:
            edits.append((guard.lineno - 1, guard.lineno - 1, ["TYPE_CHECKING = False\n"]))
    elif need_flag:
        # After the module's leading imports.
        last = None
        for s in body:
            if isinstance(s, (ast.Import, ast.ImportFrom)):
                last = s
            elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and last is None:
                continue  # the docstring
            else:
                break
        assert last is not None
        at = last.end_lineno  # type: ignore[assignment]
        new = ["\n"]
        if not has_flag:
            new.append("TYPE_CHECKING = False\n")
        if guarded or standins:
            new += ["if TYPE_CHECKING:\n", *block]
            if standins:
                if not guarded:
                    raise Refused(f"{where}: stand-ins without their typing names")
                new += ["else:\n", *else_block]
        edits.append((at, at, new))  # type: ignore[arg-type]
        for statement in wrapped:
            if statement.lineno <= at:  # type: ignore[operator]
                raise Refused(f"{where}:{statement.lineno}: an assignment among the imports")

    # Apply from the bottom up (insertions at a removed range's start go before what replaces it).
    out = list(lines)
    for first, last, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out[first:last] = new
    text = "".join(out)
    ast.parse(text)  # still Python
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a module would change")
    parser.add_argument("--skip", action="append", default=[], type=Path, metavar="DIR",
                        help="leave the modules under DIR as they are (repeatable)")
    args = parser.parse_args(argv)
    every = sorted(PACKAGE.rglob("*.py"))
    modules = {p: ast.parse(p.read_text(encoding="utf-8")) for p in every}
    runtime_imports = _runtime_imports(modules)
    skip = [d.resolve() for d in args.skip]
    targets = [p.resolve() for p in args.files] if args.files else every
    changed, refused = [], []
    for path in targets:
        if _module_name(path) == STANDINS_MODULE or any(d in path.parents for d in skip):
            continue
        source = path.read_text(encoding="utf-8")
        try:
            text = rewrite(path, source, runtime_imports)
        except Refused as e:
            refused.append(str(e))
            continue
        if text != source:
            changed.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(text, encoding="utf-8")
    for path in changed:
        print(f"{'would rewrite' if args.check else 'rewrote'} {path}")
    for message in refused:
        print(f"refused: {message}", file=sys.stderr)
    return 1 if refused or (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
