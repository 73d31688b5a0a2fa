"""The load-time check of a rule expression: every name and function must exist, and types must fit.

Types are enforced where they are known: arithmetic and ``<`` on numbers only,
``==`` between values of one kind, ``and``/``or``/``not`` on truth values, and
each builtin's arguments. A value whose type is not known statically (``ANY``)
is left to run time. It also settles, from static types, whether ``x[...]`` indexes a list (a
number inside) or filters it (a condition inside), and rewrites the latter to a
:class:`~auditor.engine.expr.Filter` node, so that evaluation never guesses. A rule's binding,
put in place of its name by the loader as a ``Let(name, tree)`` node, is checked where it is
used and leaves only its checked tree (``auditor/engine/bindings.py``). The checked tree is made
of the node classes of :mod:`auditor.engine.expr`, as the parsed one is.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from auditor.engine.bindings import names_in
from auditor.engine.builtins import BUILTINS, result_type
from auditor.engine.evaluate import MESSAGE_NAMES, PROJECT, PROJECT_ALIAS
from auditor.engine.expr import (Attr, Bin, Call, Const, Filter, IName, Index, KFilter, List, Name, Neg, Node, Not, Once,
                                 PName, SName, TName, children)
from auditor.josa import attach
from auditor.engine.schema import ANY, BOOL, NUM, STR, field_type, list_of
from auditor.plain import NOTHING, Field, Mutable, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["NameCheckError", "TypeCheckError", "StaticScope", "check_expr", "param_type", "kind_of",
           "MAX_QUANTIFIERS", "quantifier_depth"]

#: The deepest nesting of filters (``list[condition]``) and ``each()`` inside each other in one
#: expression: each level walks a list for every item of the level around it.
MAX_QUANTIFIERS = 3


class NameCheckError(ValueError):
    """A name or function that the model and the builtins do not have.

    ``token`` is a regular expression for the offending text, so the loader can point at its column.
    """

    def __init__(self, message: str, token: str | None = None):
        super().__init__(message)
        self.token = token


class TypeCheckError(NameCheckError):
    """Values of the wrong kind for an operator or a function (text added to money …)."""


def _name_token(name: str) -> str:
    return r"(?<![\w.])" + re.escape(name) + r"(?!\w)"


#: The modules whose attrs classes are the rules' vocabulary: the model, and the cross pass's project.
MODEL_MODULES = frozenset({"auditor.model", "auditor.crossdoc.model"})


def _project_type() -> Any:
    from auditor.crossdoc.model import Project

    return ("obj", Project)


def kind_of(t: Any) -> str:
    """``num``, ``str``, ``bool``, ``list``, ``obj`` or ``any`` (not known until run time)."""
    if t in (NUM, STR, BOOL):
        return t
    if isinstance(t, tuple) and t[0] == "list":
        return "list"
    if isinstance(t, tuple) and t[0] == "obj" and getattr(t[1], "__module__", "") in MODEL_MODULES:
        return "obj"
    return ANY  # a value class the engine does not know (a reader's Year …): checked at run time


def _is(t: Any, *kinds: str) -> bool:
    return kind_of(t) in kinds + (ANY,)


_KO = {NUM: "숫자", STR: "텍스트", BOOL: "참/거짓", "list": "목록", "obj": "표의 행", ANY: "값"}


def _j(word: str, pair: str) -> str:
    return word + attach(word, pair)


def _both(ko: str, en: str) -> str:
    return f"{ko} / {en}"


def _type_error(what: str | tuple[str, str], want_ko: str, want_en: str, got: Any,
                token: str | None) -> TypeCheckError:
    what_ko, what_en = (what, what) if isinstance(what, str) else what
    return TypeCheckError(_both(f"{what_ko}에는 {_j(want_ko, '이(가)')} 필요한데 {_KO[kind_of(got)]}입니다",
                                f"{what_en} needs {want_en}, not {_describe(got)}"), token)


class StaticScope(Mutable):
    """Static counterpart of :class:`auditor.engine.evaluate.Env`."""

    __slots__ = ("root", "this", "parent", "params", "vocab", "message", "bindings", "inner", "uses_element",
                 "__weakref__")
    root: Any
    this: Any
    parent: Any
    params: dict[str, Any]
    vocab: frozenset[str]
    message: bool
    #: The rule's binding names, for "did you mean" (the bindings themselves are in the tree).
    bindings: tuple[str, ...]
    inner: list[Any]
    #: Set when a name resolved through the rule's element (this, prev, its fields …).
    uses_element: bool

    def __init__(self, root: Any, this: Any, parent: Any = ANY, params: dict[str, Any] = NOTHING,  # type: ignore[assignment]
                 vocab: frozenset[str] = frozenset(), message: bool = False, bindings: tuple[str, ...] = (),
                 inner: list[Any] = NOTHING, uses_element: bool = False) -> None:  # type: ignore[assignment]
        self.root = root
        self.this = this
        self.parent = parent
        self.params = {} if params is NOTHING else params
        self.vocab = vocab
        self.message = message
        self.bindings = bindings
        self.inner = [] if inner is NOTHING else inner
        self.uses_element = uses_element

    @contextlib.contextmanager
    def element(self, elem: Any) -> Iterator[None]:
        """Names inside resolve against ``elem`` first (the element of ``[…]`` or ``each``)."""
        self.inner.append(elem)
        try:
            yield
        finally:
            self.inner.pop()


#: Written out (auditor.plain), where attrs.define compiled its methods at every import;
#: tests/test_plain_engine.py holds it to its attrs declaration.
frozen(StaticScope, Field("root"), Field("this"), Field("parent", default=ANY), Field("params", factory=dict),
       Field("vocab", default=frozenset()), Field("message", default=False), Field("bindings", default=()),
       Field("inner", factory=list), Field("uses_element", default=False))


def param_type(value: Any) -> Any:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, str):
        return STR
    if isinstance(value, (list, tuple)):
        return list_of(param_type(value[0]) if value else ANY)
    return NUM


def _field(t: Any, name: str) -> Any | None:
    """Type of field ``name`` on static type ``t``; lists project and flatten."""
    if t == ANY:
        return ANY
    if isinstance(t, tuple) and t[0] == "list":
        inner = _field(t[1], name)
        if inner is None:
            return None
        return inner if isinstance(inner, tuple) and inner[0] == "list" else list_of(inner)
    if isinstance(t, tuple) and t[0] == "obj":
        return field_type(t[1], name)
    return None


def _describe(t: Any) -> str:
    if isinstance(t, tuple):
        return f"a list of {_describe(t[1])}" if t[0] == "list" else t[1].__name__
    return {NUM: "a number", STR: "text", BOOL: "a truth value"}.get(t, "a value")


def _known(t: Any) -> bool:
    """A static type whose fields are known for certain (a model object, or a list of them)."""
    if isinstance(t, tuple) and t[0] == "list":
        return _known(t[1])
    return kind_of(t) == "obj"


def _lookup(plain: Name, scope: StaticScope) -> tuple[Any, Node]:
    """The static type of the name ``plain`` and its node: ``plain`` itself, or, where the checker knows for
    certain which scope the name resolves in, a resolved node that tells the rule compiler
    (``codegen.py``) where to read it (the evaluator still finds it as any name):
    ``IName(depth, n)`` (a field of an enclosing ``[…]``/``each`` element, 0 the innermost),
    ``TName(n)`` (of the rule's element), ``PName(n)`` (a param), ``SName(n)`` (of the sheet)."""
    name = plain.name
    if name == PROJECT:  # the project of the document being checked: a cross-document rule
        return _project_type(), plain
    for depth, t in enumerate(reversed(scope.inner)):
        found = _field(t, name)  # an element of unknown type (ANY) may have any field: found, left plain
        if found is not None:
            return found, (IName(depth, name) if _known(t) else plain)
    if scope.message and name in MESSAGE_NAMES:
        scope.uses_element = True
        return ANY, plain
    if name in ("this", "prev", "next", "parent", "index"):
        scope.uses_element = True
        return {"parent": scope.parent, "index": NUM}.get(name, scope.this), plain
    if name == "sheet":
        return scope.root, plain
    if name == PROJECT_ALIAS and (scope.this == scope.root or _field(scope.this, name) is None):
        return _project_type(), Name(PROJECT)  # 'project' where no element has a field of that name
    if scope.this != scope.root:
        found = _field(scope.this, name)
        if found is not None:
            scope.uses_element = True
            return found, (TName(name) if _known(scope.this) else plain)
    if name in scope.params:
        return scope.params[name], PName(name)
    found = _field(scope.root, name)
    if found is not None:
        return found, (SName(name) if _known(scope.root) else plain)
    return _unknown(name, scope), plain


def _unknown(name: str, scope: StaticScope) -> Any:
    where = _describe(scope.this)
    near = _near(name, scope)
    raise NameCheckError(f"unknown name {name!r} (not a field of {where}, a param, or a field of the sheet)"
                         + (f"; did you mean {near!r}?" if near else ""), _name_token(name))


def _near(name: str, scope: StaticScope) -> str | None:
    """The closest known name, for a "did you mean"."""
    import difflib

    from auditor.engine.schema import field_map

    known: list[str] = list(scope.params) + list(scope.bindings)
    for t in (*scope.inner, scope.this, scope.root):
        if isinstance(t, tuple) and t[0] == "list":
            t = t[1]
        if isinstance(t, tuple) and t[0] == "obj":
            known += list(field_map(t[1]))
    found = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    return found[0] if found else None


def check_expr(node: Node, scope: StaticScope) -> tuple[Node, Any]:
    """``(rewritten node, static type)``; raises :class:`NameCheckError`."""
    kind = node.kind
    if kind == "num":
        return node, NUM
    if kind == "str":
        return node, STR
    if kind == "const":
        return node, BOOL if isinstance(node.value, bool) else ANY
    if kind == "list":
        items = [check_expr(x, scope) for x in node.items]
        return List(tuple(n for n, _ in items)), list_of(items[0][1] if items else ANY)
    if kind == "name":
        t, resolved = _lookup(node, scope)
        return resolved, t
    if kind == "attr":
        obj, t = check_expr(node.obj, scope)
        found = _field(t, node.name)
        if found is None:
            near = _near(node.name, StaticScope(root=t, this=t))
            hint = f"; did you mean {near!r}?" if near else ""
            raise NameCheckError(f"{_describe(t)} has no field {node.name!r}{hint}",
                                 r"\.\s*" + re.escape(node.name) + r"(?!\w)")
        return Attr(obj, node.name), found
    if kind == "index":
        outer, scope.uses_element = scope.uses_element, False
        try:
            return _once(*_check_index(node, scope), scope)
        finally:
            scope.uses_element = scope.uses_element or outer
    if kind == "call":
        return _check_call(node, scope)
    if kind == "let":
        return _check_let(node, scope)
    return _check_operator(node, scope)


_LEAVES = frozenset({"num", "str", "const", "name", "tname", "sname", "pname", "iname"})


def quantifier_depth(node: Node) -> int:
    """How deep filters and ``each()`` nest in a checked expression (0 without any)."""
    kind = node.kind
    if kind in _LEAVES:
        return 0
    if kind == "filter":
        return max(quantifier_depth(node.obj), 1 + quantifier_depth(node.pred))
    if kind == "kfilter":  # the key is read inside, the probe outside
        return max(quantifier_depth(node.obj), quantifier_depth(node.probe),
                   1 + max(quantifier_depth(node.pred), quantifier_depth(node.key)))
    if kind == "call" and node.name == "each":
        return max(quantifier_depth(node.args[0]), 1 + quantifier_depth(node.args[1]))
    return max((quantifier_depth(p) for p in children(node)), default=0)


def _check_let(node: Node, scope: StaticScope) -> tuple[Node, Any]:
    """A binding in place, checked where it is used: unless one of its names would mean an inner element's field."""
    name, tree = node.name, node.tree
    for elem in scope.inner:
        for used in names_in(tree):
            if _field(elem, used) is not None:
                raise NameCheckError(
                    f"binding {name!r} cannot be used inside [...] or each() here: {used!r} would mean the field "
                    "of the element there, not what the binding means; use it outside, or write it out",
                    _name_token(name))
    return check_expr(tree, scope)


def _once(node: Node, t: Any, scope: StaticScope) -> tuple[Node, Any]:
    """A filter that uses nothing of the rule's element is the same for every element: computed once.

    One that picks the items whose key equals a value of the element (``basis.categories[norm(통계목)
    == norm(this.통계목)]``) is looked up in an index of the items by their key, built once per sheet
    (``KFilter``): a scan per element is quadratic in the sheet's size. These nodes are part of
    what a rule means, not only of its speed: a once-computed part's reads never count among the
    lines a finding names (the same whichever element computed it), and neither do a key index's.
    The rule compiler (``codegen.py``) computes them once too, and more besides.

    They stay although the compiled path does this work on its own, because the explaining path
    reads them (measured when the issue-13 redesign asked whether they could go: without them, 50
    of the 609 findings of 300 generated sheets with one fault each named more lines, 60 related
    lines becoming 1,022, and ``AUDITOR_ENGINE=reference`` took 6.7 s of CPU instead of 1.4 s on
    the 20 largest generated sheets, a sum over the sheet being computed again for every element).
    """
    if node.kind != "filter" or scope.inner:  # not inside each/[…]
        return node, t
    if not scope.uses_element:
        return Once(node), t
    keyed = _keyed(node)
    return (keyed if keyed is not None else node), t


#: Functions a filter's key may call: their value depends on their arguments only.
_KEY_CALLS = frozenset({"norm"})
_PLAIN_OUTER = frozenset({"this", "parent", "prev", "next", "index", "sheet"})


def _refs(node: Node) -> set[tuple] | None:
    """The names a checked expression reads, as ``(kind, depth)``; None when it holds anything that
    makes its own scope or is not a plain pure value (filters, ``each``, calls outside _KEY_CALLS)."""
    kind = node.kind
    if kind in ("num", "str", "const"):
        return set()
    if kind == "iname":
        return {("iname", node.depth)}
    if kind in ("tname", "sname", "pname"):
        return {(kind, 0)}
    if kind == "name":
        if node.name == PROJECT:  # the same for every element, as the sheet's own fields
            return {("sname", 0)}
        return {("outer", 0)} if node.name in _PLAIN_OUTER else None
    if kind not in ("attr", "neg", "not", "bin", "list") and not (kind == "call" and node.name in _KEY_CALLS):
        return None
    found: set[tuple] = set()
    for part in children(node):
        more = _refs(part)
        if more is None:
            return None
        found |= more
    return found


def _keyed(node: Filter) -> KFilter | None:
    """``KFilter(obj, pred, key, probe)`` for ``obj[key(item) == probe(element)]``, else None."""
    obj, pred = node.obj, node.pred
    if pred.kind != "bin" or pred.op != "==":
        return None
    on_sheet = {("sname", 0), ("pname", 0)}
    obj_refs = _refs(obj)
    if obj_refs is None or not obj_refs <= on_sheet:
        return None
    for key, probe in ((pred.left, pred.right), (pred.right, pred.left)):
        key_refs, probe_refs = _refs(key), _refs(probe)
        if key_refs is None or probe_refs is None:
            continue
        if ("iname", 0) in key_refs and key_refs <= on_sheet | {("iname", 0)} \
                and not any(kind == "iname" for kind, _ in probe_refs):
            return KFilter(obj, pred, key, probe)
    return None


def _check_index(node: Index, scope: StaticScope) -> tuple[Node, Any]:
    obj, t = check_expr(node.obj, scope)
    if not _is(t, "list"):
        raise _type_error("'[…]'", "목록", "a list", t, r"\[")
    elem = t[1] if isinstance(t, tuple) and t[0] == "list" else ANY
    with scope.element(elem):
        _, it = check_expr(node.position, scope)
    if it == BOOL:
        with scope.element(elem):
            pred, _ = check_expr(node.position, scope)
        return Filter(obj, pred), t
    index, it = check_expr(node.position, scope)
    if not _is(it, NUM):
        raise _type_error("'[…]'", "숫자(위치)나 조건", "a number or a condition", it, r"\[")
    return Index(obj, index), elem


def _check_operator(node: Node, scope: StaticScope) -> tuple[Node, Any]:
    kind = node.kind
    if kind == "neg":
        x, t = check_expr(node.operand, scope)
        if not _is(t, NUM):
            raise _type_error("'-'", "숫자", "a number", t, r"-")
        return Neg(x), NUM
    if kind == "not":
        x, t = check_expr(node.operand, scope)
        if not _is(t, BOOL):
            raise _type_error("'not'", "참/거짓", "a truth value", t, r"\bnot\b")
        return Not(x), BOOL
    if kind == "bin":
        op, lnode, rnode = node.op, node.left, node.right
        outer, scope.uses_element = scope.uses_element, False
        try:
            left, lt = check_expr(lnode, scope)
            right, rt = check_expr(rnode, scope)
            t = _binary_type(op, lt, rt, lnode, rnode)
            checked: Node = Bin(op, left, right)
            if op == "+" and isinstance(t, tuple) and t[0] == "list" and not scope.uses_element and not scope.inner:
                # lists of the sheet joined (``basis.….금액 + summary.rows.B``): the same for every
                # element, so computed once per sheet, not once per element (which is quadratic)
                checked = Once(checked)
            return checked, t
        finally:
            scope.uses_element = scope.uses_element or outer
    raise NameCheckError(f"unknown expression node {kind!r}")


_NONE = Const(None)


def _comparable(a: Any, b: Any) -> bool:
    ka, kb = kind_of(a), kind_of(b)
    return ka == ANY or kb == ANY or ka == kb


def _binary_type(op: str, lt: Any, rt: Any, lnode: Node, rnode: Node) -> Any:
    token = re.escape(op).replace(r"\ ", r"\s+")
    token = r"\b" + token + r"\b" if op[0].isalpha() else token
    side = lambda t: "right" if t is rt else "left"  # noqa: E731
    if op in ("and", "or"):
        for t in (lt, rt):
            if not _is(t, BOOL):
                raise _type_error(f"'{op}'", "참/거짓", "truth values", t, token)
        return BOOL
    if op in ("==", "!="):
        if _NONE not in (lnode, rnode) and not _comparable(lt, rt):
            raise TypeCheckError(_both(
                f"'{op}': {_j(_KO[kind_of(lt)], '과(와)')} {_j(_KO[kind_of(rt)], '은(는)')} 비교할 수 없습니다",
                f"'{op}' cannot compare {_describe(lt)} with {_describe(rt)}"), token)
        return BOOL
    if op in ("in", "not in"):
        if not _is(rt, "list"):
            raise _type_error((f"'{op}'의 오른쪽", f"the right side of '{op}'"), "목록", "a list", rt, token)
        if isinstance(rt, tuple) and rt[0] == "list" and not _comparable(lt, rt[1]):
            raise TypeCheckError(_both(
                f"'{op}': {_j(_KO[kind_of(lt)], '을(를)')} {_KO[kind_of(rt[1])]} 목록에서 찾을 수 없습니다",
                f"'{op}' cannot look for {_describe(lt)} in {_describe(rt)}"), token)
        return BOOL
    if op == "+" and (kind_of(lt) == "list" or kind_of(rt) == "list"):
        for t in (lt, rt):
            if not _is(t, "list"):
                raise _type_error("'+'", "두 목록", "two lists", t, token)
        return lt if kind_of(lt) == "list" else rt
    for t in (lt, rt):
        if not _is(t, NUM):
            what = (f"'{op}'의 {'오른쪽' if side(t) == 'right' else '왼쪽'}", f"the {side(t)} side of '{op}'")
            raise _type_error(what, "숫자", "a number", t, token)
    return BOOL if op in ("<", "<=", ">", ">=") else NUM


def _check_args(name: str, types: list[Any]) -> None:
    want = BUILTINS[name].args  # one kind per argument (the last repeats), None for anything
    if name in ("min", "max"):
        want = ("list",) if len(types) == 1 and kind_of(types[0]) == "list" else (NUM,)
    if not want:
        return
    for i, t in enumerate(types):
        kind = want[min(i, len(want) - 1)]
        if kind is not None and not _is(t, kind):
            ko, en = {NUM: ("숫자", "a number"), STR: ("텍스트", "text"), "list": ("목록", "a list")}[kind]
            raise _type_error((f"{name}()의 {i + 1}번째 인자", f"argument {i + 1} of {name}()"), ko, en, t,
                              re.escape(name) + r"\s*\(")
    if name in ("sum", "min", "max") and kind_of(types[0]) == "list" and not _is(types[0][1], NUM):
        raise _type_error(f"{name}()", "숫자 목록", "a list of numbers", types[0][1], re.escape(name) + r"\s*\(")
    if name == "file" and kind_of(types[0]) not in ("obj", NUM, ANY):
        raise _type_error("file()", "문서의 행이나 거기서 읽은 숫자", "a row of a document or a number read from one",
                          types[0], re.escape(name) + r"\s*\(")
    if name == "in_force" and kind_of(types[0]) == "list" and kind_of(types[0][1]) not in ("obj", ANY):
        raise _type_error("in_force()", "산출근거 행의 목록", "a list of 산출근거 lines (groups or items)", types[0][1],
                          re.escape(name) + r"\s*\(")
    if name in ("any", "all") and not _is(types[0][1] if kind_of(types[0]) == "list" else ANY, BOOL):
        raise _type_error(f"{name}()", "참/거짓 목록", "a list of truth values", types[0][1],
                          re.escape(name) + r"\s*\(")


def _check_call(node: Call, scope: StaticScope) -> tuple[Node, Any]:
    name, args = node.name, node.args
    sig = BUILTINS.get(name)
    if sig is None:
        import difflib

        known = ", ".join(sorted(BUILTINS))
        near = difflib.get_close_matches(name, list(BUILTINS), n=1)
        hint = f"; did you mean {near[0]}()?" if near else ""
        raise NameCheckError(f"unknown function {name}(){hint} (known: {known})", re.escape(name) + r"\s*\(")
    if not sig.min_args <= len(args) <= sig.max_args:
        want = sig.min_args if sig.min_args == sig.max_args else f"{sig.min_args} to {sig.max_args}"
        raise NameCheckError(f"{name}() takes {want} argument(s), got {len(args)}", re.escape(name) + r"\s*\(")
    if name == "each":
        outer, scope.uses_element = scope.uses_element, False
        items, lt = check_expr(args[0], scope)
        _check_args("each", [lt])
        elem = lt[1] if isinstance(lt, tuple) and lt[0] == "list" else ANY
        with scope.element(elem):
            body, bt = check_expr(args[1], scope)
        each: Node = Call(name, (items, body))
        if not scope.uses_element:  # the same for every element: computed once per sheet
            each = Once(each)
        scope.uses_element = scope.uses_element or outer
        return each, list_of(bt)
    checked = [check_expr(a, scope) for a in args]
    _check_args(name, [t for _, t in checked])
    if name in ("vocab", "vocab_name"):
        if args[0].kind != "str":
            raise NameCheckError(f"{name}() takes the vocabulary's name as a quoted string", name + r"\s*\(")
        if args[0].value not in scope.vocab or "#" in args[0].value:
            known = ", ".join(sorted(v for v in scope.vocab if "#" not in v)) or "none"
            raise NameCheckError(f"unknown vocabulary {args[0].value!r} (known: {known})", re.escape(args[0].value))
    return Call(name, tuple(n for n, _ in checked)), result_type(name, [t for _, t in checked])
