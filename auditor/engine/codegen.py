"""Rules compiled to plain Python: each rule becomes one generated function, the engine's hot path.

:func:`compile_rule` writes the source of one function per rule from its checked expression trees
(as attrs writes ``__init__`` and Jinja compiles templates) and hands it to :func:`compile`. It is
made afresh for each loaded rule set, on first use, and is never stored. The function walks the
rule's elements (each sheet's shared element lists), reads fields by direct attribute access,
computes with plain ``int`` (``Fraction`` only where a value is not whole), computes what does not
depend on the element once per sheet (a filter that does not use it, an index by key), and answers
per element only "holds or does not apply" (skipped) or "may fail": the elements it returns go to
the explaining path (:meth:`auditor.engine.rule.Rule.check`, today's evaluator), which decides and
builds the finding.

The generated code never guesses. Whatever the generator does not handle exactly (a name it
cannot resolve statically, a value of unknown type, a builtin it does not inline) makes that part
of the rule unsupported: every element that reaches it goes to the explaining path. At run time,
any exception in the generated code (a value of an unexpected type) sends that element there too.
So correctness never depends on the fast path being complete, only speed does; a differential test
(``tests/test_engine_differential.py``) holds both paths to the same findings.

Nothing of a rule's text becomes source text: attribute names come from the model's attrs
fields (checked to be identifiers), and every constant (params, vocabularies, strings, numbers)
is passed in the function's namespace, never written into the source.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping

from auditor.engine import coderuntime as _rt
from auditor.engine import errors as _errors
from auditor.engine.codecalls import Calls
from auditor.engine.codewriter import (BOOL, NUM, STR, _PARENT, Unsupported, V, _Namespace, _obj, _parent_only, _reads,
                                       _uses_element, _uses_params, field_of)
from auditor.engine.errors import OverBudget
from auditor.plain import Field, Frozen, frozen
from auditor.source import MONEY_UNITS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CompiledRule", "CompiledRules", "compile_rule", "compile_rules"]


_set = object.__setattr__


class CompiledRules(Frozen):
    """The generated function of the rules that walk the same collections (one ``over``), fused,
    and its source (``auditor rule CODE --show-compiled``).

    ``function(sheet, shared)`` returns None when ``sheet`` is not a 사업설명서 model (every element
    is then explained), else ``(candidates, over_budget)``: ``(k, j, element, parent, list, index)``
    for each element of ``over[j]`` that rule ``k`` may fail on (in element order for each ``k, j``;
    :func:`element_tuple` makes the explaining path's tuple of it), and for each rule whether it went
    past its budget on the sheet. It walks the collections itself, by the model's attributes.
    """

    __slots__ = ("source", "function", "codes", "over", "unsupported", "__weakref__")
    source: str
    function: Callable[[Any, Any], Any]
    codes: tuple[str, ...]
    over: tuple[str, ...]
    #: The parts that could not be compiled (their elements always go to the explaining path), with
    #: why: ``(code, part, why)``.
    unsupported: tuple[tuple[str, str, str], ...]

    def __init__(self, source: str, function: Callable[[Any, Any], Any], codes: tuple[str, ...] = (),
                 over: tuple[str, ...] = (), unsupported: tuple[tuple[str, str, str], ...] = ()) -> None:
        _set(self, "source", source)
        _set(self, "function", function)
        _set(self, "codes", codes)
        _set(self, "over", over)
        _set(self, "unsupported", unsupported)


class CompiledRule(Frozen):
    """One rule's generated function, alone (:meth:`auditor.engine.rule.Rule.check`): ``function(sheet,
    shared)`` gives ``[(path, element tuple) …]``, the elements that may fail, in the order of
    ``rule.over``, and raises OverBudget past the rule's budget."""

    __slots__ = ("source", "function", "unsupported", "__weakref__")
    source: str
    function: Callable[[Any, Any], Any]
    #: The parts that could not be compiled (their elements always go to the explaining path), with why.
    unsupported: tuple[tuple[str, str], ...]

    def __init__(self, source: str, function: Callable[[Any, Any], Any],
                 unsupported: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "source", source)
        _set(self, "function", function)
        _set(self, "unsupported", unsupported)


#: Written out (auditor.plain), where attrs.frozen compiled their methods at every import;
#: tests/test_plain_engine.py holds each to its attrs declaration.
frozen(CompiledRules, Field("source"), Field("function", repr=False), Field("codes", default=()),
       Field("over", default=()), Field("unsupported", default=()))
frozen(CompiledRule, Field("source"), Field("function", repr=False), Field("unsupported", default=()))


def _walk(path: str, sheet_class: type) -> list[tuple[str, bool, type]]:
    """How to reach the elements of ``over = path`` from the sheet: ``(attribute, is a list, class)``
    for each segment."""
    from auditor.engine.rule import _segments

    steps: list[tuple[str, bool, type]] = []
    cls = sheet_class
    for seg in _segments(path):
        f = field_of(frozenset({cls}), seg)
        if f.t[0] == "list":
            if f.t[1][0] != "obj" or len(f.t[1][1]) != 1:
                raise Unsupported(f"over {path!r}")
            (cls,) = f.t[1][1]
        elif f.t[0] == "obj" and len(f.t[1]) == 1:
            (cls,) = f.t[1]
        else:
            raise Unsupported(f"over {path!r}")
        steps.append((f.attr, f.t[0] == "list", cls))
    return steps


def _element_types(path: str, sheet_class: type) -> tuple[type, type | None]:
    """The element class of ``over = path`` and its parent's class (None at the sheet)."""
    classes = [sheet_class] + [cls for _, _, cls in _walk(path, sheet_class)]
    return classes[-1], (classes[-2] if len(classes) > 1 else None)


def _descend(pad: str, held: str, each: str, is_list: bool, sure: tuple[bool, bool] = (False, False)) -> list[str]:
    """The loop that binds ``each`` to every object of ``held`` (a list, or one object), absent ones
    skipped: one step down a path, for :func:`_walk_lines` and :func:`_probe_lines` alike. ``sure``: whether
    ``held`` is never None, and whether (a list) it never holds None (a target's ``walk_known``): those
    tests left out."""
    present, full = sure
    if is_list:
        return [f"{pad}for {each} in {held if present else f'(() if {held} is None else {held})'}:",
                *([] if full else [f"{pad}    if {each} is None:", f"{pad}        continue"])]
    return [f"{pad}for {each} in {f'({held},)' if present else f'(() if {held} is None else ({held},))'}:"]


def _walk_lines(steps: list[tuple[str, bool, type]], j: int, reset: str = "", one: bool = False, count: int = 0,
                skip: str = "", sure: list[tuple[bool, bool]] | None = None,
                read: Callable[[str, int, str], str] | None = None, owner_reset: str = "") -> tuple[list[str], int]:
    """The loops that bind each element of a path as ``e`` (with ``parent``, ``index`` and the list
    ``raw{j}`` it is in, None for a single object), as :func:`auditor.engine.rule.elements` lists them
    (absent objects skipped); and the indent of the element's code. ``reset``: the line that sets the
    locals of the values computed once per parent back to UNSET, written where the next parent is bound
    (before the elements of one parent: :meth:`auditor.engine.codewriter.Writer.parent_cached`).

    With one budget (``one``, :func:`compile_rules`'s ``one_budget``): ``count`` steps for each element,
    counted for all the elements of a list before it is walked; a list with no element is not walked
    (nor the values of its parent reset); and where the elements have a parent, none of them is
    walked when ``skip`` (a local) is true: each parent's list still counted. ``sure``: for each step, whether
    its field is never None and whether it never holds None (:func:`_descend`). ``read(owner, depth, attr)``: how
    step ``depth``'s field is read of its owner (a target's ``walk_read``: the cross screen's reads a light
    document's tuples), else as an attribute. ``owner_reset``: the line that sets the values of an owner of the
    elements' parents back to UNSET (:meth:`auditor.engine.codewriter.Writer.owner_cached`), where the walk binds
    the next one (the object of the step before the parent's)."""
    lines, indent, owner = [], 1, "sheet"

    def field(owner: str, depth: int, attr: str) -> str:
        return f"{owner}.{attr}" if read is None else read(owner, depth, attr)

    counted = [f"s += {count}", "if s > MAX_STEPS:", "    raise OverBudget"] if count else []
    if not steps:
        return ["    parent = None", f"    raw{j} = None", *("    " + line for line in counted),
                "    for index, e in ((0, sheet),):"], 2
    for depth, (attr, is_list, _) in enumerate(steps):
        pad = "    " * indent
        last = depth == len(steps) - 1
        held = f"raw{j}" if last else f"w{j}_{depth}"
        if last and one and is_list:
            lines += [f"{pad}{held} = {field(owner, depth, attr)}", f"{pad}if {held}:"]
            if count:  # the steps of every element of the list, counted before it is walked
                lines += [f"{pad}    s += {count} * len({held})", f"{pad}    if s > MAX_STEPS:",
                          f"{pad}        raise OverBudget"]
            if skip and depth:
                lines += [f"{pad}    if {skip}:", f"{pad}        continue"]
            if reset:
                lines.append(f"{pad}    {reset}")
            lines.append(f"{pad}    for index, e in enumerate({held}):")
            if not (sure and sure[depth][1]):
                lines += [f"{pad}        if e is None:", f"{pad}            continue"]
            lines.append(f"{pad}        parent = {owner}")
            return lines, indent + 2
        if reset and last:
            lines.append(pad + reset)
        lines.append(f"{pad}{held} = {field(owner, depth, attr)}")
        if last:
            if is_list:
                lines += [f"{pad}for index, e in (() if {held} is None else enumerate({held})):",
                          f"{pad}    if e is None:", f"{pad}        continue"]
            else:
                lines += [pad + line for line in counted]
                if skip and depth:
                    lines += [f"{pad}if {skip}:", f"{pad}    continue"]
                lines += [f"{pad}for index, e in (() if {held} is None else ((0, {held}),)):"]
                lines.append(f"{pad}    {held} = None")
            lines.append(f"{pad}    parent = {owner}")
            return lines, indent + 1
        owner, indent = f"x{j}_{depth}", indent + 1
        lines += _descend(pad, held, owner, is_list, sure[depth] if sure else (False, False))
        if owner_reset and depth == len(steps) - 3:
            lines.append(f"{pad}    {owner_reset}")
    raise AssertionError


def compile_rule(rule: Any, vocab: Mapping[str, tuple[str, ...]]) -> CompiledRule:
    """``rule`` alone as a generated function (see :class:`CompiledRule`)."""
    fused = compile_rules((rule,), vocab)
    paths, inner = tuple(rule.over), fused.function

    def check(sheet: Any, shared: Any) -> list:
        found = inner(sheet, shared)
        if found is None:
            return [(path, item) for path in paths for item in shared.elements(path)]
        candidates, over = found
        if over[0]:
            raise OverBudget
        candidates.sort(key=_by_rule_and_path)
        return [(paths[c[1]], element_tuple(c)) for c in candidates]

    return CompiledRule(fused.source, check, tuple((part, why) for _, part, why in fused.unsupported))


def _by_rule_and_path(candidate: tuple) -> tuple:
    return candidate[0], candidate[1]


def element_tuple(candidate: tuple) -> tuple:
    """The ``(element, parent, prev, next, index)`` of a candidate ``(k, j, element, parent, list,
    index)`` of a fused function (``list`` the one the element is in, None for a single object), as
    :func:`auditor.engine.rule.elements` gives it to the explaining path."""
    _, _, element, parent, raw, index = candidate
    if raw is None:
        return element, parent, None, None, index
    return element, parent, raw[index - 1] if index else None, raw[index + 1] if index < len(raw) - 1 else None, index

def _part_line(line: str) -> str:
    """A line of a rule's part of an element's code, which is the body of a ``while True:`` ended by
    ``break`` (no iterator made and dropped for each part of each element, as ``for _ in (None,):``
    did): the decision's ``continue`` (the rule holds or does not apply; :func:`_decide`) ends the
    part alone as ``break``. The writer's own loops (lists walked, a first match) break and
    never continue, so every ``continue`` of a part is the decision's."""
    return line[:-8] + "break" if line.endswith("continue") and not line.strip()[:-8] else line



def compile_rules(rules: tuple, vocab: Mapping[str, tuple[str, ...]], target: type = Calls) -> CompiledRules:
    """One generated function for ``rules``: :func:`write_rules`, then :func:`finish_rules`."""
    return finish_rules(write_rules(rules, vocab, target))


def finish_rules(written: tuple, code: Any = None) -> CompiledRules:
    """The :class:`CompiledRules` of ``written`` (:func:`write_rules`): its source compiled (or ``code``, what
    ``compile()`` gave for that very source and name in another process of the run: the runner shares the
    first sheet's compiling between its processes, :func:`auditor.runner._share_compiling`) and run in a
    namespace of its values."""
    from auditor.engine import formulas

    _rt._formulas = formulas  # as write_rules sets it: the written code may come from another process
    source, filename, values, name, codes, over, unsupported = written
    if code is None:
        code = code_of(written)
    namespace = dict(values)
    exec(code, namespace)  # the source is made by write_rules from the generator's own text only
    return CompiledRules(source, namespace[name], codes, over, unsupported)


def code_of(written: tuple) -> Any:
    """``compile()`` of a :func:`write_rules` source."""
    return compile(written[0], written[1], "exec")


def write_rules(rules: tuple, vocab: Mapping[str, tuple[str, ...]], target: type = Calls) -> tuple:
    """One generated function for ``rules``, which all walk the same collections (``over``): each
    element is read once, the values two or more of the rules compute of it are computed once (at
    the top of the element's code), the values of the sheet or of a parent once for all of them;
    then each rule's decision runs in its own part. See :class:`CompiledRules`. ``target``: the
    writer of the expressions (a subclass of :class:`Calls` writes them for other objects than the
    model's: the cross screen's light documents, :mod:`auditor.crossdoc.screencode`).

    Returns what :func:`finish_rules` compiles: ``(source, filename, namespace values, function name, codes,
    over, unsupported)``."""
    from auditor.engine import formulas
    from auditor.model import Sheet

    _rt._formulas = formulas
    #: One budget for all the rules (the cross screen's target): a local ``s`` counts the steps of every
    #: rule, each element's counted for its whole list before the walk, and going past MAX_STEPS raises
    #: OverBudget out of the function. It counts at least the steps any one rule counts alone (every
    #: rule's, and the elements' whether reached or not), so it goes over wherever one rule would: a
    #: screen that only asks whether a document may have a finding can take it as "yes".
    one = getattr(target, "one_budget", False)
    over = tuple(rules[0].over)
    #: Rules of several collections in one function (the cross screen's target, ``joined``): each path walked once
    #: for the rules that walk it, in the order the rules first name them; the values of the document computed
    #: once for all (the screen's functions joined by the part of a document they walk).
    joined = False
    if any(tuple(r.over) != over for r in rules):
        if not getattr(target, "joined", False):
            raise ValueError("fused rules must walk the same collections")
        joined, over = True, tuple(dict.fromkeys(path for r in rules for path in r.over))
    ns = _Namespace()
    ns.values.update(UNSET=_rt.UNSET, _bad=_rt._bad, _Bad=_rt._Bad, OverBudget=OverBudget, MAX_STEPS=_errors.MAX_STEPS,
                     _Sheet=Sheet)
    #: The sheet rules' functions hand an element to every rule by one call (:func:`coderuntime._every`), where
    #: a list comprehension stood: a statement of fewer names, and no code object of its own, for ``compile()``.
    #: Not the cross rules': the cross screen accepts only the callables it knows in their namespace
    #: (``crossdoc/screen.py`` ``_light_function``), nor other targets' (the screen's own functions).
    sheet_only = target is Calls and not any(r.cross for r in rules)
    records: list = []  # the values of the sheet computed once, as written (_SheetCalls, _shared_once)
    #: ... and the cross screen's (``every_call``: its namespace takes ``_every`` as it is, screen._SAME): with no
    #: comprehension left, the element, its parent, its list and its index are plain locals, not cells made at
    #: every call and read through them.
    every_call = sheet_only or getattr(target, "every_call", False)
    if every_call:
        ns.values["_every"] = _rt._every
    if sheet_only:
        target = _SheetCalls
    cells: dict[Any, str] = {}
    temps = 0
    unsupported: list[tuple[str, str, str]] = []
    counted = [False] * len(rules)
    walks: list[tuple] = []
    every_rule = ns.const(tuple(range(len(rules))), "rules")
    #: Each walk resets only the values of a parent its own code reads (the target's ``own_resets``: the cross
    #: screen's joined functions, whose walks of several collections read cells of their own), where every walk
    #: reset every one: the cells each walk's writers read (:meth:`Writer.parent_read`), by walk.
    own_resets = getattr(target, "own_resets", False)
    read_by_walk: list[set[str]] = []
    owners_by_walk: list[set[str]] = []
    for j, path in enumerate(over):
        if own_resets:
            ns.parents = set()
            read_by_walk.append(ns.parents)
        ns.owners = set()  # the values of an owner the walk's code reads (Writer.owner_cached)
        owners_by_walk.append(ns.owners)
        #: The rules that walk this path (every rule of the function, but where a target joins rules of several
        #: collections: ``joined``), by their number in the function.
        members = [k for k, r in enumerate(rules) if path in r.over] if joined else list(range(len(rules)))
        here_rules = tuple(rules[k] for k in members)
        every = every_rule if len(members) == len(rules) else ns.const(tuple(members), "rules")
        path_name = ns.const(path, "path")
        try:
            elem_cls, parent_cls = _element_types(path, Sheet)
            walk_steps = tuple(_walk(path, Sheet))
        except Unsupported as exc:
            unsupported += [(r.code, path, str(exc)) for r in here_rules]
            walks.append((j, path_name, [], [], False, "", [], "", every, members))
            continue
        this = V("e", _obj(elem_cls), never_none=True)
        parent = V("parent", _obj(parent_cls), never_none=True) if parent_cls is not None else None

        def writer(rule: Any, indent: int, steps: str | None, memo: dict) -> Calls:
            gen = target(rule, vocab, ns)
            gen.sheet_class, gen.cells, gen.temps, gen.steps = Sheet, cells, temps, steps
            gen.this, gen.parent = this, parent
            gen.walk_steps, gen.walk_number = walk_steps, j
            gen.lines, gen.indent, gen.memo, gen.truthy = [], indent, [dict(memo), {}], {}
            if sheet_only:
                gen.records = records
            return gen

        marked = [counted[k] for k in members]
        first, skip, known, temps = (_first_conjuncts(here_rules, writer, j, temps, marked) if one
                                     else ([], "", {}, temps))
        for k, mark in zip(members, marked):
            counted[k] = mark
        pre = writer(here_rules[0], 3, None, known)
        for node in _shared_nodes(here_rules):
            state = pre.state()
            try:
                pre.emit(node)
            except Unsupported:
                pre.restore(state)
                continue
            if any(line.lstrip().startswith("for ") for line in pre.lines[state[0]:]):
                # a walk of the element's lists (the sum of a group's items …): left to the rules
                # that reach it, most of them past a `when` that few elements meet
                pre.restore(state)
        temps = pre.temps
        memo = {k: v for layer in pre.memo for k, v in layer.items()}
        parts, neighbours = [], pre.neighbours
        #: Each part's temporaries named on from the shared code's (the target's ``renamed``): a part reads its own
        #: and the shared code's, never another part's, so the parts can share names (cells are named apart).
        base, renamed = temps, getattr(target, "renamed", False)
        for k in members:
            rule = rules[k]
            gen = writer(rule, 4, "s" if one else f"s{k}", memo)
            if renamed:
                gen.temps = base
            missing: list[tuple[str, str]] = []
            _decide(gen, rule, missing, path)
            unsupported += [(rule.code, part, why) for part, why in missing]
            if missing:
                skip = ""  # an element of this rule is always a candidate: never skipped
            temps, neighbours = max(temps, gen.temps) if renamed else gen.temps, neighbours or gen.neighbours
            counted[k] = counted[k] or gen.counted
            parts.append((k, gen.lines))
        walks.append((j, path_name, pre.lines, parts, neighbours, ns.const(elem_cls, "cls"), first, skip, every,
                      members))
    once = _shared_once(records, cells, ns) if sheet_only else []
    body: list[str] = []
    by_parent = sorted({name for name in cells.values() if name.startswith("p")}, key=_number)
    reset = f"{' = '.join(by_parent)} = UNSET" if by_parent else ""
    for j, path_name, prelude, parts, neighbours, cls_name, first, skip, every, members in walks:
        if not parts:  # a path the generator does not walk: every element is explained
            body += [f"    for item in shared.elements({path_name}):",
                     f"        cands.extend([(k, {j}, *item) for k in {every}])"]
            continue
        walked = _walk(over[j], Sheet)
        known = getattr(target, "walk_known", None)
        sure = None if known is None else [known(owner, attr) for owner, (attr, _, _) in
                                           zip([Sheet, *(cls for _, _, cls in walked)], walked)]
        if own_resets:
            own = [name for name in by_parent if name in read_by_walk[j]]
            reset = f"{' = '.join(own)} = UNSET" if own else ""
        walk_read = getattr(target, "walk_read", None)
        owners = [Sheet, *(cls for _, _, cls in walked)]
        read = None if walk_read is None else (lambda owner, depth, attr: walk_read(owner, owners[depth], attr))
        of_owner = sorted(owners_by_walk[j], key=_number)
        walk, depth = _walk_lines(walked, j, reset, one, sum(counted[k] for k in members) if one else 0, skip, sure,
                                  read, f"{' = '.join(of_owner)} = UNSET" if of_owner else "")
        body += first
        pad = "    " * (depth - 2)
        here = f"({{k}}, {j}, e, parent, raw{j}, index)"
        every_here = (f"_every(cands, {j}, e, parent, raw{j}, index, {every})" if every_call
                      else f"cands.extend([(k, {j}, e, parent, raw{j}, index) for k in {every}])")
        element = [f"if e.__class__ is not {cls_name}:", f"    {every_here}", "    continue"]
        if neighbours:
            element += [f"prev = None if raw{j} is None or not index else raw{j}[index - 1]",
                        f"nxt = raw{j}[index + 1] if raw{j} is not None and index < len(raw{j}) - 1 else None"]
        if prelude:
            element += ["try:", *(line[8:] for line in prelude), "except Exception:  # a value the code cannot be sure of",
                        f"    {every_here}", "    continue"]
        for k, lines in parts:
            element += [f"# {rules[k].code}", "while True:"]
            if counted[k] and not one:
                element += [f"    if o{k}:", "        break"]
            element += ["    try:"]
            if counted[k] and not one:
                element += [f"        s{k} += 1", f"        if s{k} > MAX_STEPS:", "            raise OverBudget"]
            element += [_part_line(line[8:]) for line in lines] or ["        pass"]
            if counted[k] and not one:
                element += ["    except OverBudget:", f"        o{k} = True", "        break"]
            elif counted[k]:
                element += ["    except OverBudget:", "        raise"]
            element += ["    except Exception:  # a value the code cannot be sure of: explained instead",
                        "        pass", f"    cands.append({here.format(k=k)})", "    break"]
        body += walk + [("    " * depth + line) for line in element]
    name = f"check_{rules[0].code}" if len(rules) == 1 else "check_" + "_".join(r.code for r in rules)
    #: Names of the namespace (or builtins) read as locals (the target's ``local_names``: arguments' defaults, never
    #: passed), not as globals: the cross screen's code tests a cell against UNSET at each use (``if p21 is UNSET:``),
    #: counts a list's steps by ``len`` and reads its tables of keys for every element.
    local = [f"{n}={n}" for n in getattr(target, "local_names", ()) if n in ns.values or n in builtins.__dict__]
    head = [f"def {name}({', '.join(['sheet', 'shared', *local])}):", "    cands = []"]
    steps = [f"s{k}" for k in range(len(rules)) if counted[k]]
    if steps and one:
        head.append("    s = 0")
    elif steps:
        head += [f"    {' = '.join(steps)} = 0", f"    {' = '.join('o' + s[1:] for s in steps)} = False"]
    if any(r.cross for r in rules):
        head += ["    project = shared.project", "    shared_values = shared.values"]
    # with one budget, a value of a parent is set to UNSET only where its elements are walked (before them)
    names = sorted(name for name in set(cells.values()) if not (one and name in by_parent))
    if names:
        head.append(f"    {' = '.join(names)} = UNSET")
    head += ["    if sheet.__class__ is not _Sheet:", "        return None"]
    flags = ", ".join(f"o{k}" if counted[k] and not one else "False" for k in range(len(rules)))
    if steps and one:  # the one budget's last test (a writer may test it late: Writer.late_checks)
        body += ["    if s > MAX_STEPS:", "        raise OverBudget"]
    source = "\n".join(head + body + [f"    return cands, ({flags},)", "", *once])
    return (source, f"<auditor rules {' '.join(r.code for r in rules)}>", ns.values, name, tuple(r.code for r in rules),
            over, tuple(unsupported))


#: The shortest block (in lines) made a function of its own: a call in place of a line or two saves no name.
_ONCE_LINES = 6
#: Names a block may read that are not the generated function's: the keywords and builtins it writes.
_KNOWN = frozenset(("None", "True", "False", "if", "else", "is", "not", "in", "and", "or", "for", "while", "lambda",
                    "try", "except", "raise", "pass", "break", "continue", "sheet", "shared")) | frozenset(dir(builtins))
#: Generated code's words apart (bytes.translate, no pattern compiled): brackets, commas, colons and operators
#: are spaces; an attribute stays with its owner (``r39.categories``), a quoted text keeps its quotes, a
#: keyword argument its name (``key=_position``).
_SPACES = bytes.maketrans(b"()[]{},:*+-/<>!%", b" " * 16)


class _SheetCalls(Calls):
    """The sheet rules' writer (:func:`compile_rules`): a value of the sheet computed once (:meth:`hoisted`)
    is written with locals of its own, numbered from 1 in each block (``t_1``, ``r_2`` …; cells keep the
    function's numbering), so that the same value needed in two places is the same text at both, and every
    block is recorded for :func:`_shared_once`. Nothing else differs from :class:`Calls`."""

    canonical: int | None = None
    records: list | None = None

    def tmp(self, prefix: str = "t") -> str:
        if self.canonical is None or prefix == "h" or prefix == "p":  # Writer.tmp
            self.temps += 1
            return f"{prefix}{self.temps}"
        self.canonical += 1
        return f"{prefix}_{self.canonical}"

    def hoisted(self, node: tuple) -> V:
        if self.canonical is not None:  # (a block within a block is numbered on with it)
            return super().hoisted(node)
        start = len(self.lines)
        self.canonical = 0
        try:
            value = super().hoisted(node)
        finally:
            self.canonical = None
        lines = self.lines
        if len(lines) - start > _ONCE_LINES and self.records is not None:
            self.records.append((lines, start, len(lines), lines[start], "\n".join(lines[start + 1:]), self.steps))
        return value


def _shared_once(records: list, cells: dict, ns: _Namespace) -> list[str]:
    """The values computed once per sheet whose code the generated function would write twice or more (the
    fused rules of two paths, or two rules of one, need the same value of the sheet), each made a function
    of its own written once, which every place calls: ``records`` are the blocks :class:`_SheetCalls` wrote
    (those still in place, the same text at two places or more, are replaced in the lines they are in), and
    the functions' lines are returned. ``compile()`` parses fewer names (each block of the calculation rules'
    sorted rows is some 400). A function reads what its block read: ``sheet``, ``shared``, the constants
    and helpers, the rule's step counter and the other cells it reads or sets (passed in and out); a block
    that reads any other local of the generated function, or breaks a loop around it, stays where it is.
    The value is still computed only where it is first needed, once per sheet, with the same steps
    counted: where the block fails (past the budget, or on a value it cannot be sure of),
    :class:`auditor.engine.coderuntime._Steps` carries the count and the cells set on the way out, and the
    calling place raises the block's exception, as the block did in its place."""
    copies: dict[str, list[tuple]] = {}
    for record in records:
        lines, start, end, head, text, steps = record
        if end <= len(lines) and lines[start] == head and "\n".join(lines[start + 1:end]) == text:
            copies.setdefault(text, []).append(record)  # (not taken back since: a part found unsupported)
    made: list[str] = []
    places = []
    names = set(cells.values())
    for text, where in copies.items():
        if len(where) < 2:
            continue
        lines, start, end, head, _, steps = where[0]
        pad = len(head) - len(head.lstrip()) + 4
        body = [line[pad:] for line in lines[start + 1:end]]
        if "break" in body or "continue" in body:
            continue
        words = set(text.encode().translate(_SPACES).decode().split())
        cell = head.split()[1]
        counter = steps if steps in words else None
        others = sorted(words & names - {cell}, key=_number)
        if not _reads_only_its_own(words, names, counter, ns):
            continue
        name = f"_once{len(made)}"
        params = ", ".join(["sheet", "shared", *([counter] if counter else []), *others])
        out = ", ".join([cell, *others, *([counter] if counter else [])])
        if counter:
            made += [f"def {name}({params}):", "    try:", *("        " + line for line in body),
                     "    except Exception as exc:", f"        raise _Steps({', '.join([counter, *others])}) from exc",
                     f"    return {out}", ""]
        else:
            made += [f"def {name}({params}):", *("    " + line for line in body), f"    return {out}", ""]
        for lines, start, end, head, _, _ in where:
            pad = head[:len(head) - len(head.lstrip())] + "    "
            args = ", ".join(["sheet", "shared", *([counter] if counter else []), *others])
            if counter is None:
                call = [f"{pad}{', '.join([cell, *others])} = {name}({args})"]
            else:
                call = [f"{pad}try:", f"{pad}    {', '.join([cell, *others, counter])} = {name}({args})",
                        f"{pad}except _Steps as steps:", f"{pad}    {', '.join([counter, *others])}, = steps.args",
                        f"{pad}    raise steps.__cause__"]
            places.append((lines, start, end, call))
    for lines, start, end, call in sorted(places, key=lambda p: -p[1]):  # from the end: the indices hold
        lines[start + 1:end] = call
    if made:
        ns.values["_Steps"] = _rt._Steps
    return made


def _reads_only_its_own(words: set[str], cells: set[str], counter: str | None, ns: _Namespace) -> bool:
    """Whether a block of these words reads no local of the generated function but ``sheet``, ``shared``,
    ``counter`` and cells: every other name is a local of its own (``t_1``), a constant or helper of the
    namespace, or a keyword or builtin."""
    for word in words:
        name = word.split(".")[0].split("=")[-1]
        if (name and not name[0].isdigit() and name[0] not in "'_" and name != counter and name not in cells
                and name not in _KNOWN and name not in ns.values):
            prefix, _, number = name.partition("_")
            if not (prefix.isalpha() and number.isdigit()):  # not a local of its own (``x0_1`` is the walk's)
                return False
    return True


def _first_conjuncts(rules: tuple, writer: Callable, j: int, temps: int,
                     counted: list[bool]) -> tuple[list[str], str, dict, int]:
    """With one budget: each rule's first conjunct of its ``when`` (:func:`_conjuncts`) computed before a
    walk, when for every rule it is a value of the document (reading neither the element, its parent nor a
    param; XDOC010-015's ``sheet.path in 사업.사업설명서.path``): the lines, the test that every one is false
    (``skip{j}``), under which no rule applies to any element of the walk (the
    evaluator's ``and`` stops at a false left side), and what they computed (for the elements' code to
    take), and the temporaries' count. When a conjunct walks a list, every rule is marked in ``counted``
    (its elements counted then, at least as where its part computed the conjunct, or took it from a rule's
    part before it). Nothing when one rule has no such conjunct; but for a target that says ``first_known`` (the
    cross screen's, whose joined walks hold XDOC016, with no such conjunct, beside XDOC010-015), the conjuncts of
    the rules that have one are computed before the walk all the same, for their parts to take (each part then
    tests its conjunct's value, never whether it was computed), and the walk is not skipped."""
    lines: list[str] = []
    tests: list[str] | None = []
    known: dict = {}
    looped = False
    some = bool(rules) and getattr(writer(rules[0], 1, "s", {}), "first_known", False)
    for rule in rules:
        if rule.when is None:
            if some:
                tests = None
                continue
            return [], "", {}, temps
        top = writer(rule, 1, "s", known)
        top.temps = temps
        node = _conjuncts(top, rule.when)[0]
        if _uses_element(node) or _uses_params(node) or _parent_only(node):
            if some:
                tests = None
                continue
            return [], "", {}, temps
        try:
            value = top.emit(node)
        except Unsupported:
            if not some:
                return [], "", {}, top.temps
            temps, tests = top.temps, None  # (what the rules before it computed is kept)
            break
        temps = top.temps
        if value.t != BOOL:
            if not some:
                return [], "", {}, temps
            tests = None
            break
        lines += top.lines
        known.update((k, v) for layer in top.memo for k, v in layer.items())
        if tests is not None:
            tests.append(f"{value.x} is False")
        looped = looped or top.counted
    if looped:  # each rule's part would have computed its conjunct, or one shared with a rule before it
        counted[:] = [True] * len(counted)
    if tests is None or not tests:  # (first_known: a rule without such a conjunct applies anywhere)
        return lines, "", known, temps
    lines.append(f"    skip{j} = {' and '.join(tests)}")
    return lines, f"skip{j}", known, temps


def _number(name: str) -> int:
    return int(name[1:])


def _probe_lines(steps: list[tuple[str, bool, type]], j: int) -> list[str]:
    """``return True`` at the first element of a path (absent objects skipped, as
    :func:`_walk_lines` binds them), without binding it: each list of the last segment is looked
    into only when it is not empty (most of them are: a line's 파생 lines, its 재원), where the walk
    of :func:`_walk_lines` made an ``enumerate`` for each and set ``parent`` and ``index``."""
    lines, indent, owner = [], 1, "sheet"
    if not steps:
        return ["    return True"]
    for depth, (attr, is_list, _) in enumerate(steps):
        pad, held = "    " * indent, f"w{j}_{depth}"
        lines.append(f"{pad}{held} = {owner}.{attr}")
        if depth == len(steps) - 1:
            if is_list:
                return lines + [f"{pad}if {held}:", f"{pad}    for e in {held}:", f"{pad}        if e is not None:",
                                f"{pad}            return True"]
            return lines + [f"{pad}if {held} is not None:", f"{pad}    return True"]
        owner, indent = f"x{j}_{depth}", indent + 1
        lines += _descend(pad, held, owner, is_list)
    raise AssertionError


def compile_probe(over: tuple[str, ...]) -> Callable[[Any, Any], bool]:
    """A generated function ``probe(sheet, shared)``: whether the sheet has any element under ``over``
    (a 사업설명서 model walked by its attributes; any other, through ``shared``'s element lists). Until a
    fused function is first needed, this decides whether to make it: a few lines, where the fused
    function of the e호조 rules would be hundreds, never made on a run over 사업설명서 sheets."""
    from auditor.model import Sheet

    ns = _Namespace()
    ns.values.update(_Sheet=Sheet, OVER=over)
    body = ["def probe(sheet, shared):", "    if sheet.__class__ is not _Sheet:",
            "        return any(shared.elements(path) for path in OVER)"]
    for j, path in enumerate(over):
        try:
            body += _probe_lines(_walk(path, Sheet), j)
        except Unsupported:
            body += [f"    if shared.elements(OVER[{j}]):", "        return True"]
    source = "\n".join(body + ["    return False", ""])
    namespace = dict(ns.values)
    exec(compile(source, "<auditor probe>", "exec"), namespace)  # the source is the generator's own text
    return namespace["probe"]


def _shared_nodes(rules: tuple) -> list[tuple]:
    """The expressions of an element that two or more of ``rules`` compute (a field of ``this``,
    ``formula_won(산출식)`` …), smallest first: written once at the top of the element's code. Not
    those computed once per sheet or per parent anyway, those reading a rule's params (which differ
    between rules), nor those inside a filter or each() reading its item."""
    # Each subtree is hashed once, into ``seen``; only those two or more rules compute are then asked
    # whether they qualify (``_shared_candidate``, whose lookups hash a subtree again at every level):
    # the same nodes in the same order as asking it of every subtree first (tests/test_engine_codegen.py).
    seen: dict[tuple, set[str]] = {}
    for rule in rules:
        for tree in (rule.when, rule.assertion, rule.actual, rule.expected):
            if isinstance(tree, tuple):
                for node in _preorder(tree):
                    if node[0] not in _NEVER_SHARED:
                        seen.setdefault(node, set()).add(rule.code)
    shared = [node for node, codes in seen.items() if len(codes) > 1 and _shared_candidate(node)]
    shared.sort(key=_size)
    return shared


#: The kinds of node :func:`_shared_candidate` never takes.
_NEVER_SHARED = frozenset({"num", "str", "const", "name", "sname", "pname", "iname", "once", "filter", "kfilter",
                           "list"})


def _preorder(tree: Any) -> list[tuple]:
    """``list(_subtrees(tree))``, by a loop over a stack: the generators nested as deep as the tree, each
    resumed for every node below it, cost more than the nodes themselves."""
    out: list[tuple] = []
    stack = [tree]
    pop = stack.pop
    while stack:
        node = pop()
        if isinstance(node, tuple) and node and isinstance(node[0], str):
            out.append(node)
            below: list = []
            for part in node[1:]:
                if isinstance(part, tuple):
                    if part and isinstance(part[0], str):
                        below.append(part)
                    else:
                        below.extend(part)
            below.reverse()
            stack.extend(below)
    return out


def _subtrees(node: Any) -> Any:
    if isinstance(node, tuple) and node and isinstance(node[0], str):
        yield node
        for part in node[1:]:
            if isinstance(part, tuple):
                if part and isinstance(part[0], str):
                    yield from _subtrees(part)
                else:
                    for x in part:
                        yield from _subtrees(x)


def _size(node: Any) -> int:
    return sum(1 for _ in _subtrees(node))


def _shared_candidate(node: tuple) -> bool:
    if node[0] in _NEVER_SHARED:
        return False
    names, free = _reads(node)
    if free or not names or names == _PARENT or _uses_params(node):
        return False
    return not (node[0] == "call" and node[1] == "each")


def _decide(gen: Calls, rule: Any, unsupported: list[tuple[str, str]], path: str) -> None:
    """Write the per-element decision: ``continue`` where the rule holds or does not apply."""
    if rule.when is not None:
        state = gen.state()
        try:
            if rule.cross and gen.flat:
                _when_conjuncts(gen, rule.when)
            else:
                w = gen.emit(rule.when)
                if w.t != BOOL:
                    raise Unsupported("when is not a truth value")
                with gen.block(f"if {w.x} is not True:"):
                    gen.line("continue")
                gen.memo[-1].update(gen.truthy.get(w.x, {}))  # what the when computed, past its test
        except Unsupported as exc:
            gen.restore(state)
            unsupported.append((f"{path}: when", str(exc)))
            return
    state = gen.state()
    try:
        if rule.assertion is not None:
            a = gen.emit(rule.assertion)
            if a.t != BOOL:
                raise Unsupported("assert is not a truth value")
            with gen.block(f"if {a.x} is not False:"):
                gen.line("continue")
        else:
            _compare(gen, rule)
    except Unsupported as exc:
        gen.restore(state)
        unsupported.append((f"{path}: {'assert' if rule.assertion is not None else 'actual/expected'}", str(exc)))


def _conjuncts(gen: Calls, node: tuple) -> list[tuple]:
    """``node``'s operands of ``and`` in order, ``a and b and c`` as ``[a, b, c]``: each ``and`` of it
    whose value may differ between the elements of one parent, and that the code written so far has not
    computed already (one of the sheet or of a parent stays whole: computed once, as before)."""
    if (node[0] == "bin" and node[1] == "and" and _uses_element(node) and not _parent_only(node)
            and gen.known((node, ())) is None):
        return _conjuncts(gen, node[2]) + _conjuncts(gen, node[3])
    return [node]


def _when_conjuncts(gen: Calls, when: tuple) -> None:
    """A cross rule's ``when`` as its conjuncts, each tested where it is computed: the element is skipped
    (``continue``) at the first that is false, and past the last when one was missing (None). Kleene's
    ``and`` is true exactly when every operand is, and :meth:`Calls.logic` computes an operand exactly
    when none before it is false: the same operands are computed (their steps counted, their errors met)
    as by the three-valued chain ``(a and b) and c``, without its result written after each one."""
    missing = []
    for node in _conjuncts(gen, when):
        c = gen.emit(node)
        if c.t != BOOL:
            raise Unsupported("when is not a truth value")
        if c.x == "True":
            continue
        with gen.block(f"if {c.x} is False:" if not c.never_none else f"if not {c.x}:"):
            gen.line("continue")
        gen.memo[-1].update(gen.truthy.get(c.x, {}))  # what it computed past its own tests
        if not c.never_none:
            missing.append(f"{c.x} is None")
    if missing:
        with gen.block(f"if {' or '.join(missing)}:"):
            gen.line("continue")


def _compare(gen: Calls, rule: Any) -> None:
    if rule.compare == "rounding":
        actual, expected = gen.interval(rule.actual), gen.interval(rule.expected)
        with gen.block(f"if {actual[0]} is None or {expected[0]} is None:"):
            gen.line("continue")
        ok = gen.meets(actual, expected)
        with gen.block(f"if {ok.x}:"):
            gen.line("continue")
        return
    actual, expected = gen.emit(rule.actual), gen.emit(rule.expected)
    if actual.t != expected.t or actual.t not in (NUM, STR):
        raise Unsupported("actual and expected of different or unknown kinds")
    with gen.block(f"if {actual.x} is None or {expected.x} is None:"):
        gen.line("continue")
    if rule.compare == "convention":
        if actual.amount is None:
            raise Unsupported("convention of an actual value not read as an amount")
        fn = gen.helper(_rt._stated_matches, "stated_matches")
        units = gen.ns.const(MONEY_UNITS, "units")
        # equal values hold in any unit (stated_matches of equal values is true): no call for them
        with gen.block(f"if {actual.x} == {expected.x}:"):
            gen.line("continue")
        with gen.block(f"if {actual.amount}.unit in {units}:"):
            with gen.block(f"if {fn}({expected.x}, {actual.x}, {actual.amount}.unit):"):
                gen.line("continue")
        return
    with gen.block(f"if {actual.x} == {expected.x}:"):
        gen.line("continue")
