"""The screen's pre-check by set inclusion: a unit's join rules (:mod:`auditor.crossdoc.joins`) proven to give no
candidate on a document by testing each element's key against the keys of the rows the rule looks in, written
from their :class:`~auditor.crossdoc.joins.Join` objects and compiled once per unit (issue 16; H-16V6 measured the
form by hand, ``docs/performance.md``).

:func:`compile_precheck` writes one function of Python source for the joins of a unit, as
:mod:`auditor.crossdoc.screencode` writes the unit's fused function: each field read from the light document's
tuples by the screen's layout (``screen.LAYOUT``, :meth:`~auditor.crossdoc.screencode.LightCalls.read_of`), each
``norm()`` and ``label_key()`` from the screen's tables of keys, each amount as the function reads it (its whole
value in 원), and the joins' guards and :class:`~auditor.crossdoc.joins.InForce` versions (document-level trees)
written by the function's own writer (:class:`~auditor.crossdoc.screencode.LightCalls`), into a private table of
the document's values (nothing the pre-check computes is handed to the functions: their counts of steps stay
theirs). The function, for a document:

1. the step bound: ``STEP_FACTOR × (the document's elements) × (the project's elements)`` at most ``MAX_STEPS``
   (the elements of the unit's walks; :data:`STEP_FACTOR`), else *not proven*;
2. each join's guards, evaluated as the function evaluates them: one that is ``False`` makes the join's rule
   vacuous on the document (it is proven); None or True: the inclusion below must hold;
3. each *table* (a collection of the project's documents of the document's year through a join's steps; the
   joins that share a prefix of steps share its walk), made once per project, year and InForce version and kept
   on the project (``LightProject.prechecks``) as a dict of key tuples to rows: a :class:`~auditor.crossdoc.joins.Match`
   groups the rows by ``fn(field)`` (a row or value None is one no filter takes: left out); an
   :class:`~auditor.crossdoc.joins.InForce` is ``in_force()`` of each group, the very list the rule gives it (the rows
   of every 통계목 of one key across the year's documents, in order); a :class:`~auditor.crossdoc.joins.Prefer` keeps
   the first row of each value of its field (what ``first(N[f == c] + N)`` takes when some row has ``c``);
4. one walk over the elements of the unit's ``over`` paths: each element a tuple (else *not proven*: the
   function's ``_every`` path), each active join's element key (its :class:`~auditor.crossdoc.joins.Part` values:
   ``this``, ``parent``, or the walk's grandparent where ``screen.ONE_HOME`` makes it the rule's enclosing
   ``first(...[parent in ...])``) among its table's keys, else *not proven* (early exit). A key component None is
   never among them (no table holds None).

Any exception is *not proven*. The result is True only where every join's rule is proven to give no candidate
and no overrun; False means nothing (the function decides).
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence

from auditor.crossdoc.joins import Field, Fields, InForce, Join, Match, Prefer
from auditor.engine.codewriter import Unsupported, V, _Namespace, _obj, field_of
from auditor.engine.errors import MAX_STEPS, OverBudget

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Precheck", "compile_precheck", "implies", "STEP_FACTOR"]

#: The step bound's factor: a document is proven only where ``STEP_FACTOR × its elements × its project's elements``
#: is at most ``MAX_STEPS``. The fused 산출근거 function's own count on a clean document is a sum of the lengths of
#: the lists it walks (each element's, each row list the rules filter, per element at most the project's
#: elements); H-16V6 measured it at most 2.7% of this bound on the books (by bisection of the budget), and
#: ``tests/test_crossdoc_prescreen_code.py`` runs the function with the bound as its budget.
STEP_FACTOR = 64


class Precheck:
    """A unit's pre-check: ``precheck(document, shared) -> bool`` (True only where every rule of :attr:`codes` is
    proven to give no candidate and no overrun on ``document``; False otherwise; never raises). :attr:`joins` the
    joins it proves, :attr:`codes` their rules' codes, :attr:`refused` the joins it could not write (code: why),
    :attr:`source` the generated source; :attr:`implied` each join whose test another's implies (:func:`implies`):
    the other's code; :attr:`tables` where each join's table is kept (its key's first item in the project's state,
    its place in the tuple kept there)."""

    __slots__ = ("joins", "codes", "refused", "source", "function", "implied", "tables")

    def __init__(self, joins: tuple, refused: dict, source: str, function: Any, implied: Any = None,
                 tables: Any = None) -> None:
        self.joins = joins
        self.implied, self.tables = implied or {}, tables or {}
        self.codes = frozenset(j.code for j in joins)
        self.refused = refused
        self.source, self.function = source, function

    def __call__(self, document: Any, shared: Any) -> bool:
        try:
            return self.function(document, shared) is True
        except Exception:  # anything the pre-check cannot be sure of: the function decides
            return False

    def __repr__(self) -> str:
        return f"<Precheck {' '.join(j.code for j in self.joins)}>"


def _tuple(names: list[str]) -> str:
    """The tuple of the locals ``names`` as source (``()`` of none)."""
    return f"({', '.join(names)},)" if names else "()"


def _a_line(row: str, pad: str) -> list[str]:
    """A row of a table that is not a tuple (None, a wrong class) is not proven: the function takes it for a value
    it cannot be sure of (a candidate) where a filter reads it (found by H-16T8: a None among an export's ο rows)."""
    return [f"{pad}if {row}.__class__ is not tuple:", f"{pad}    raise TypeError"]


def implies(a: Join, b: Join) -> bool:
    """Whether join ``a``'s inclusion implies join ``b``'s on every element where ``a`` is tested: ``a`` is ``b`` with
    one trailing :class:`~auditor.crossdoc.joins.Prefer` (the same collection, the same ``over``, the same steps
    before it, each with its element part). Then ``a``'s table and ``b``'s share their walk up to ``b``'s last step
    (the tables' trie), and a key reaches ``a``'s table only past ``b``'s, with ``b``'s key as its prefix; ``a``'s
    element key is ``b``'s plus the Prefer's part. So ``a``'s key in ``a``'s table gives ``b``'s key in ``b``'s
    (``tests/test_crossdoc_prescreen.py`` checks the tables so on every project it draws)."""
    return (a is not b and a.collection == b.collection and a.over == b.over
            and len(a.steps) == len(b.steps) + 1 and isinstance(a.steps[-1], Prefer)
            and a.steps[:-1] == b.steps and a.element_key[:len(b.element_key)] == b.element_key)


def _state(project: Any, lines_of: Any) -> tuple:
    """A project's pre-check state: ``(its elements, each document's elements by id, the tables)``; a document whose
    elements cannot be counted makes the bound fail for every document (nothing proven in the project)."""
    counts: dict[int, int] = {}
    total = 1
    for documents in (project.sheets, project.exports):
        for d in documents:
            try:
                n = lines_of(d)
            except Exception:
                return MAX_STEPS + 1, {}, {}
            counts[id(d)] = n
            total += 1 + n
    return total, counts, {}


class _Writer:
    """Writes the source of one pre-check (:func:`compile_precheck`)."""

    def __init__(self, joins: Sequence[Join], vocab: Mapping[str, tuple[str, ...]]) -> None:
        from auditor.crossdoc.screencode import _LABEL_KEYS, _NORMALIZED, LightCalls

        self.vocab = vocab
        self.light = LightCalls
        self.ns = _Namespace()
        self.ns.values.update(_label_keys=_LABEL_KEYS, _normalized=_NORMALIZED)
        self.joins = list(joins)
        self.refused: dict[str, str] = {}
        self.implied: dict[str, str] = {}
        self.tables: dict[str, tuple[int, int]] = {}
        #: Each table node's set of keys, by node (:meth:`table_function`).
        self.sets: dict[int, str] = {}
        self.n = 0

    def tmp(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    # --- reads ------------------------------------------------------------------------------

    def read(self, x: str, classes: frozenset, name: str) -> tuple[str, tuple]:
        """The expression reading field ``name`` (the rule language's) of ``x`` (a light tuple standing for one of
        ``classes``), and the field's type."""
        f = field_of(classes, name)
        how = self.light.laid_out(classes, f.attr)
        if how is None:
            raise Unsupported(f"{name!r} is not laid out")
        return self.light.read_of(x, how), f.t

    def keyed(self, expr: str, fn: str | None) -> str:
        """``fn(value)`` as the function computes it (None of None)."""
        if fn is None:
            return expr
        table = {"norm": "_normalized", "label_key": "_label_keys"}.get(fn)
        if table is None:
            raise Unsupported(f"a key function {fn!r}")
        return f"(None if (q := {expr}) is None else {table}[q])" if "q :=" not in expr else \
            f"(None if (w := {expr}) is None else {table}[w])"

    # --- the document's values (guards, versions) -------------------------------------------

    def document_values(self, trees: list[tuple]) -> tuple[list[str], list[str], list[str]]:
        """The lines computing each document-level tree as the function computes it (LightCalls, a private
        ``shared_values``), the local holding each, and the cells to set UNSET first."""
        from auditor.engine.codegen import _walk
        from auditor.model import BasisCategory, BasisGroup, Sheet

        rule = types.SimpleNamespace(code="PRECHECK", params={}, cross=True)
        gen = self.light(rule, self.vocab, self.ns)
        gen.sheet_class, gen.cells, gen.temps, gen.steps = Sheet, {}, 0, "s"
        # an element and a parent, so that a tree of the document alone is written as the function writes it
        # (hoisted: computed once per document into a cell)
        gen.this = V("e", _obj(BasisGroup), never_none=True)
        gen.parent = V("parent", _obj(BasisCategory), never_none=True)
        gen.walk_steps, gen.walk_number = tuple(_walk("basis.categories.groups", Sheet)), 0
        gen.lines, gen.indent, gen.memo, gen.truthy = [], 1, [{}, {}], {}
        names = []
        for tree in trees:
            value = gen.emit(tree)
            if value.x.isidentifier():
                names.append(value.x)
            else:
                name = self.tmp("val")
                gen.line(f"{name} = {value.x}")
                names.append(name)
        return gen.lines, names, sorted(set(gen.cells.values()))

    # --- the tables ---------------------------------------------------------------------------

    def table_classes(self, join: Join) -> list[frozenset]:
        """The classes of the rows after each step of ``join``'s table (checks every step can be written)."""
        from auditor.crossdoc.model import Project

        f = field_of(frozenset({Project}), join.collection)
        if f.attr not in ("sheets", "exports") or f.t[0] != "list":
            raise Unsupported(f"a collection {join.collection!r}")
        classes = f.t[1][1]
        out = []
        last = None
        for step in join.steps:
            if isinstance(step, Field):
                _, t = self.read("x", classes, step.name)
                if t[0] == "list":
                    t = t[1]
                if t[0] != "obj":
                    raise Unsupported(f"a step to {step.name!r}, not an object")
                classes = t[1]
            elif isinstance(step, Fields):
                found = set()
                for name in step.names:
                    _, t = self.read("x", classes, name)
                    if t[0] != "list" or t[1][0] != "obj":
                        raise Unsupported(f"{name!r} is not a list of objects")
                    found.add(t[1][1])
                if len(found) != 1:
                    raise Unsupported("lists of different classes joined")
                (classes,) = found
            elif isinstance(step, (Match, Prefer)):
                _, t = self.read("x", classes, step.field)
                if t[0] not in ("str", "num") or (isinstance(step, Match) and step.fn is not None and t[0] != "str"):
                    raise Unsupported(f"a key of {step.field!r}")
                if isinstance(step, Match):
                    self.keyed("x", step.fn)
            elif isinstance(step, InForce):
                from auditor.model import BasisGroup, BasisItem

                if not classes <= {BasisGroup, BasisItem}:
                    raise Unsupported("in_force() of rows that are not 산출근거 lines")
            else:
                raise Unsupported(f"a step {step!r}")
            out.append(classes)
            last = step
        if not isinstance(last, (Match, Prefer)):
            raise Unsupported("a table whose last step is not lifted")
        if join.kind == "counterpart" and not (isinstance(last, Prefer) and last.ctx.up == 0
                                               and last.field == join.compare):
            raise Unsupported("a counterpart not ending in its compared field")
        if join.kind not in ("exists", "counterpart"):
            raise Unsupported(f"a join of kind {join.kind!r}")
        return out

    def table_function(self, fname: str, root: int, root_classes: frozenset, nodes: list, children: dict,
                       end_nodes: set, vargs: list, version_of: list) -> list[str]:
        """The function making the key sets of a collection's tables (each join's, from the year's documents
        ``docs``): one walk of the documents' rows, each row's key made as it goes (a :class:`Match` or
        :class:`Prefer` adds a component; a row or value None is one no filter takes: left out), the first row of
        each key going on past a :class:`Prefer`; at an :class:`InForce`, the rows of each key are gathered in
        order, and the walk goes on over ``in_force()`` of each key's list once the walk before it is done."""
        head = [f"def {fname}(docs{''.join(', ' + v for v in vargs)}, _in_force=_in_force, "
                f"_label_keys=_label_keys, _normalized=_normalized, tuple=tuple, len=len):"]
        body: list[str] = []
        deferred: list[tuple] = []
        made: list[str] = []

        def gather(n: int, key: list[str], first: str, more: str, pad: str) -> None:
            """The lines adding rows to ``rows{n}``'s list of ``key`` (``first`` its list when new, else ``.more``)."""
            rows = f"rows{n}"
            made.append(rows)
            kk, found = self.tmp("kk"), self.tmp("found")
            body.extend([f"{pad}{kk} = {_tuple(key)}", f"{pad}{found} = {rows}.get({kk})", f"{pad}if {found} is None:",
                         f"{pad}    {rows}[{kk}] = {first}", f"{pad}else:", f"{pad}    {found}.{more}"])

        def stream(n: int, row: str, key: list[str], classes: frozenset, pad: str) -> None:
            """The code of node ``n``'s children for the row in ``row`` (of ``classes``: a tuple) of key ``key``."""
            nonlocal body
            for child in children.get(n, ()):
                step = nodes[child][1]
                grand = children.get(child, ())
                if (isinstance(step, Field) and len(grand) == 1 and isinstance(nodes[grand[0]][1], InForce)
                        and self.read(row, classes, step.name)[1][0] == "list"):
                    # a list's rows gathered whole for the InForce after it (the rows of each key, in order)
                    read, _ = self.read(row, classes, step.name)
                    gather(grand[0], key, f"list({read})", f"extend({read})", pad)
                    deferred.append((grand[0], f"rows{grand[0]}", len(key), nodes[child][2], version_of[grand[0]]))
                elif isinstance(step, Field):
                    read, t = self.read(row, classes, step.name)
                    r = self.tmp("r")
                    inner = pad
                    if t[0] == "list":
                        body.append(f"{pad}for {r} in {read}:")
                        inner = pad + "    "
                    else:
                        body.append(f"{pad}{r} = {read}")
                    body += _a_line(r, inner)
                    stream(child, r, key, nodes[child][2], inner)
                elif isinstance(step, Fields):
                    reads = [self.read(row, classes, name)[0] for name in step.names]
                    r = self.tmp("r")
                    body.append(f"{pad}for {r} in {' + '.join(reads)}:")
                    body += _a_line(r, pad + "    ")
                    stream(child, r, key, nodes[child][2], pad + "    ")
                elif isinstance(step, (Match, Prefer)):
                    read, _ = self.read(row, classes, step.field)
                    v = self.tmp("v")
                    value = self.keyed(read, step.fn) if isinstance(step, Match) else read
                    # (a value None is one no filter takes: ``a == b and a is not None``, LightCalls.true_test)
                    body += [f"{pad}{v} = {value}", f"{pad}if {v} is not None:"]
                    inner = pad + "    "
                    new = [*key, v]
                    if isinstance(step, Prefer):  # the first row of each key only goes on
                        seen = self.sets[child] = f"keys{child}"
                        made.append(seen)
                        kk = self.tmp("kk")
                        body += [f"{inner}{kk} = ({', '.join(new)},)", f"{inner}if {kk} not in {seen}:",
                                 f"{inner}    {seen}.add({kk})"]
                        inner += "    "
                    elif child in end_nodes:
                        seen = self.sets[child] = f"keys{child}"
                        made.append(seen)
                        body.append(f"{inner}{seen}.add(({', '.join(new)},))")
                    stream(child, row, new, classes, inner)
                elif isinstance(step, InForce):  # each key's rows gathered in order, the walk on past the rest
                    gather(child, key, f"[{row}]", f"append({row})", pad)
                    deferred.append((child, f"rows{child}", len(key), classes, version_of[child]))
                else:
                    raise Unsupported(f"a step {step!r}")

        r0 = self.tmp("r")
        body.append(f"    for {r0} in docs:")
        body += _a_line(r0, "        ")
        stream(root, r0, [], root_classes, "        ")
        while deferred:
            child, rows, width, classes, version = deferred.pop(0)
            parts, group, r = [self.tmp("k") for _ in range(width)], self.tmp("group"), self.tmp("r")
            body += [f"    for {_tuple(parts) if parts else '_'}, {group} in {rows}.items():",
                     f"        for {r} in _in_force({group}, {version}):"]
            stream(child, r, parts, classes, "            ")
        inits = [f"    {name} = {{}}" if name.startswith("rows") else f"    {name} = set()" for name in made]
        return head + inits + body

    # --- the whole function -------------------------------------------------------------------

    def write(self) -> tuple[str, str, dict, tuple]:
        from auditor.crossdoc.screen import ONE_HOME, YEAR_OF
        from auditor.crossdoc.screencode import LightCalls
        from auditor.engine.codegen import _walk
        from auditor.model import Sheet

        # each join checked as written, or refused (its rule left to the function)
        ok = []
        classes_of = {}
        walked_of: dict[str, tuple] = {}  # each join's walk (its over path's steps)
        for join in self.joins:
            try:
                classes_of[join.code] = self.table_classes(join)
                walked = walked_of[join.code] = tuple(_walk(join.over, Sheet))
                owners = [Sheet, *(cls for _, _, cls in walked)]
                for part in join.element_key:
                    if part.up > len(walked) or part.up < 0:
                        raise Unsupported(f"a part {part!r} above the walk")
                    if part.up == 2:
                        grand, held = owners[-3], walked[-2][0]
                        if (grand.__name__, held) not in ONE_HOME or not walked[-3][1]:
                            raise Unsupported("a grandparent the walk does not hold as its one home")
                    elif part.up > 2:
                        raise Unsupported(f"a part {part!r}")
                    owner = owners[len(walked) - part.up]
                    _, t = self.read("x", frozenset({owner}), part.field)
                    self.keyed("x", part.fn)
                ok.append(join)
            except Unsupported as exc:
                self.refused[join.code] = str(exc)
        if not ok:
            return "", "", {}, ()
        joins = ok
        # the document's values: every guard and every version, each tree once
        trees: list[tuple] = []
        for join in joins:
            for tree in (*join.guards, *(s.version for s in join.steps if isinstance(s, InForce))):
                if tree not in trees:
                    trees.append(tree)
        doc_lines, names, cells = self.document_values(trees)
        value_of = dict(zip(trees, names))
        # a join whose test another's implies where that other is active (:func:`implies`): its test is asked only
        # where the other is not active, and not at all where their guards are the same trees
        implied: dict[str, Join] = {}
        for b in joins:
            by = [a for a in joins if implies(a, b)]
            by.sort(key=lambda a: a.guards != b.guards)
            if by:
                implied[b.code] = by[0]
        self.implied = {code: a.code for code, a in implied.items()}
        # (such a test never asked: its table is not made)
        never = {j.code for j in joins if j.code in implied and implied[j.code].guards == j.guards}
        # the tables: a trie of each collection's steps (joins that share a prefix share its walk)
        trie: dict[tuple, int] = {}  # (parent node, step signature) -> node
        nodes: list[tuple] = []  # (parent node or None, step, classes, collection)
        ends: dict[str, int] = {}
        roots: dict[str, int] = {}
        for join in joins:
            root = roots.get(join.collection)
            if root is None:
                root = roots[join.collection] = len(nodes)
                nodes.append((None, join.collection, None, join.collection))
            at = root
            for step, classes in zip(join.steps, classes_of[join.code]):
                signature = (at, type(step).__name__, *(
                    (step.name,) if isinstance(step, Field) else (step.names,) if isinstance(step, Fields)
                    else (step.field, step.fn) if isinstance(step, Match) else (step.field,)
                    if isinstance(step, Prefer) else (step.version,)))
                found = trie.get(signature)
                if found is None:
                    found = trie[signature] = len(nodes)
                    nodes.append((at, step, classes, join.collection))
                at = found
            ends[join.code] = at
        # the classes of each node's rows (the root's: the collection's documents)
        from auditor.crossdoc.model import Project

        root_classes = {c: field_of(frozenset({Project}), c).t[1][1] for c in roots}
        children: dict[int, list[int]] = {}
        for n, node in enumerate(nodes):
            if node[0] is not None:
                children.setdefault(node[0], []).append(n)
        lines_out: list[str] = []
        tables = []  # per root: (function name, versions, the codes of its joins, the project's list, root)
        for collection, root in roots.items():
            members = [n for n in range(len(nodes)) if nodes[n][3] == collection]
            versions = []
            for n in members:
                step = nodes[n][1]
                if isinstance(step, InForce) and value_of[step.version] not in versions:
                    versions.append(value_of[step.version])
            fname = f"_table{root}"
            vargs = [f"v{k}" for k in range(len(versions))]
            end_codes = {}
            for j in joins:
                if j.collection == collection and j.code not in never:
                    end_codes.setdefault(ends[j.code], []).append(j.code)
            code = self.table_function(fname, root, root_classes[collection], nodes, children, set(end_codes),
                                       vargs, [vargs[versions.index(value_of[nodes[n][1].version])]
                                               if isinstance(nodes[n][1], InForce) and n in members else None
                                               for n in range(len(nodes))])
            codes = [j.code for j in joins if j.collection == collection]
            self.tables.update((c, (root, k)) for k, c in enumerate(codes))
            code.append(f"    return ({''.join('(), ' if c in never else f'{self.sets[ends[c]]}, ' for c in codes)})")
            lines_out += code + [""]
            attr = field_of(frozenset({Project}), collection).attr
            tables.append((fname, versions, codes, attr, root))
        # the element walk: a trie of the joins' over paths
        walk_nodes: dict[tuple, list] = {}  # path prefix (walk steps) -> [joins here]
        paths = []
        for join in joins:
            walked = walked_of[join.code]
            paths.append(walked)
            walk_nodes.setdefault(walked, []).append(join)
        all_paths = sorted({w[:d] for w in paths for d in range(1, len(w) + 1)}, key=lambda w: (len(w), str(w)))
        # the parts each walk node computes of its element: (field, fn) -> local
        parts_at: dict[tuple, dict] = {}
        for join in joins:
            walked = walked_of[join.code]
            for part in join.element_key:
                node = walked[:len(walked) - part.up]
                parts_at.setdefault(node, {}).setdefault((part.field, part.fn), None)
        active = {j.code: f"act{k}" for k, j in enumerate(joins)}
        table_of = {j.code: f"tab{k}" for k, j in enumerate(joins)}

        elem_lines: list[str] = []

        def steps_below(prefix: tuple, var: str, cls: type) -> Any:
            """Each walk step under ``prefix``: (its path, its local, the read of it from ``var``, a list?, its class)."""
            for w in all_paths:
                if len(w) == len(prefix) + 1 and w[:len(prefix)] == prefix:
                    attr, is_list, child = w[-1]
                    yield w, f"x{len(w)}", LightCalls.walk_read(var, cls, attr), is_list, child

        def walk(prefix: tuple, var: str, cls: type, depth: int) -> None:
            pad = "    " * depth
            for w, x, read, is_list, child in steps_below(prefix, var, cls):
                # (every element walked, whatever the guards: one that is not a tuple is a candidate of every rule
                # walking its list, the function's ``_every``, found by H-16T8)
                inner = depth
                p2 = pad
                if is_list:
                    elem_lines.append(f"{p2}for {x} in {read}:")
                    inner += 1
                else:
                    elem_lines.append(f"{p2}{x} = {read}")
                p3 = "    " * inner
                elem_lines.extend([f"{p3}if {x}.__class__ is not tuple:", f"{p3}    return False"])
                for (field, fn) in parts_at.get(w, {}):
                    local = self.tmp("pk")
                    parts_at[w][field, fn] = local
                    read_f, _ = self.read(x, frozenset({child}), field)
                    elem_lines.append(f"{p3}{local} = {self.keyed(read_f, fn)}")
                for join in walk_nodes.get(w, ()):
                    by = implied.get(join.code)
                    if by is not None and by.guards == join.guards:
                        continue  # (its test implied wherever it is asked)
                    key = []
                    for part in join.element_key:
                        key.append(parts_at[w[:len(w) - part.up]][part.field, part.fn])
                    test = active[join.code] + ("" if by is None else f" and not {active[by.code]}")
                    elem_lines.extend([f"{p3}if {test} and ({', '.join(key)},) not in {table_of[join.code]}:",
                                       f"{p3}    return False"])
                walk(w, x, child, inner)

        walk((), "sheet", Sheet, 1)
        # the element counts of a document (the step bound)
        count_lines: list[str] = ["def _lines_of(sheet):", "    n = 0"]

        def count(prefix: tuple, var: str, cls: type, depth: int) -> None:
            pad = "    " * depth
            for w, x, read, is_list, child in steps_below(prefix, var, cls):
                if is_list:  # a list's length, then its elements' lists
                    count_lines.append(f"{pad}n += len({read})")
                    if any(len(v) > len(w) and v[:len(w)] == w for v in all_paths):
                        count_lines.append(f"{pad}for {x} in {read}:")
                        count(w, x, child, depth + 1)
                else:
                    count_lines.append(f"{pad}{x} = {read}")
                    count(w, x, child, depth)

        count((), "sheet", Sheet, 1)
        count_lines += ["    return n", ""]
        name = "precheck_" + "_".join(j.code for j in joins)
        year = LightCalls.read_of("sheet", YEAR_OF)
        head = [f"def {name}(sheet, shared, UNSET=UNSET, len=len, _label_keys=_label_keys, _normalized=_normalized, "
                f"MAX_STEPS=MAX_STEPS, _unit=_unit, tuple=tuple):",
                "    project = shared.project",
                "    state = project.prechecks.get(_unit)",
                "    if state is None:",
                "        state = project.prechecks[_unit] = _state(project, _lines_of)",
                "    n = state[1].get(id(sheet))",
                f"    if n is None or {STEP_FACTOR} * (1 + n) * state[0] > MAX_STEPS:",
                "        return False",
                "    shared_values = {}  # the pre-check's own: nothing it computes is handed to the functions",
                "    s = 0"]
        if cells:
            head.append(f"    {' = '.join(cells)} = UNSET")
        body = list(doc_lines)
        for join in joins:
            guards = [f"{value_of[g]} is not False" for g in join.guards] or ["True"]
            body.append(f"    {active[join.code]} = {' and '.join(guards)}")
        body.append(f"    year = {year}")
        for fname, versions, codes, attr, root in tables:
            any_active = " or ".join(active[c] for c in codes)
            body.append(f"    if {any_active}:")
            for v in versions:
                body += [f"        if {v} is None:", "            return False"]
            key = f"({root}, year{''.join(', ' + v for v in versions)})"
            targets = "".join(f"{table_of[c]}, " for c in codes)
            body += [f"        found = state[2].get({key})",
                     "        if found is None:",
                     f"            found = state[2][{key}] = {fname}(project.{attr}_by_year.get(year, ())"
                     f"{''.join(', ' + v for v in versions)})",
                     f"        {targets}= found",
                     "    else:",
                     f"        {targets}= {'(), ' * len(codes)}"]
        source = "\n".join(lines_out + count_lines + head + body + elem_lines + ["    return True", ""])
        return source, name, self.ns.values, tuple(joins)


def compile_precheck(joins: Sequence[Join], vocab: Mapping[str, tuple[str, ...]]) -> Precheck:
    """The pre-check of ``joins`` (one unit's; see the module docstring), written and compiled now. A join whose
    table, key or guards cannot be written for light documents is left out (:attr:`Precheck.refused`: its rule is
    then the function's alone); with none left, the pre-check proves nothing (always False)."""
    from auditor.crossdoc import screen as _screen

    writer = _Writer(joins, vocab)
    try:
        source, name, values, written = writer.write()
    except Exception as exc:  # noqa: BLE001 - (a guard or version the writer does not write for light documents, or
        # anything else it cannot write: never raised to the screen, whose function then decides alone)
        return Precheck((), {j.code: f"{type(exc).__name__}: {exc}" for j in joins}, "", _never)
    if not written:
        return Precheck((), writer.refused, "", _never)
    namespace = _screen.light_values(values.items())
    if namespace is None:
        return Precheck((), {j.code: "a class or helper the light documents may not stand for" for j in joins}, source,
                        _never)
    from auditor.engine import coderuntime as _rt

    namespace.update(UNSET=_rt.UNSET, MAX_STEPS=MAX_STEPS, _in_force=_screen._in_force, _state=_state,
                     _unit=object(), OverBudget=OverBudget)
    try:
        code = compile(source, f"<auditor precheck {' '.join(j.code for j in written)}>", "exec")
        exec(code, namespace)  # the source is made by the writer above from the joins' own fields only
    except Exception as exc:  # noqa: BLE001 - (a source the writer got wrong: refused, as above)
        return Precheck((), {j.code: f"{type(exc).__name__}: {exc}" for j in joins}, source, _never)
    return Precheck(written, writer.refused, source, namespace[name], writer.implied, writer.tables)


def _never(document: Any, shared: Any) -> bool:
    return False
