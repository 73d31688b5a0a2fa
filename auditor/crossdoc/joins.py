"""The join rules' set form: what a cross rule that matches each element of a document with rows of another
document says, in a form the screen can test by set inclusion (issue 16; measured by H-16V6).

Most cross rules over the 산출근거 are *joins*: each ○ or - line of a sheet must find a row of the same name
(and amount) in the year's e호조 export, and each Ο or ο row of the export a line of the sheet. The generated
functions (:mod:`auditor.crossdoc.screencode`) test them element by element. A document is also proven to have
no candidate for such a rule when the *key* of every one of its elements (the values the rule's filters compare
with, ``norm(parent.통계목)``, ``label_key(this.내역)``, ``this.금액`` …) is among the keys of the rows the rule
looks in: a set inclusion, which Python does in C. The generated function is then run only where the inclusion
fails, and decides.

This module is the *contract* between the recogniser, which reads a rule's tree (its ``let`` names already put
in place by the loader) into a :class:`Join` or refuses it, and the writer of the pre-check, which reads
:class:`Join` objects only. A :class:`Join` is always a **sufficient** condition: its inclusion holding on a
document means the rule has no candidate there and stays inside its step budget; its failing means nothing (the
function decides). So:

* the ``when`` conjuncts that read the element (``this``, ``parent``, a field) are dropped: each only narrows the
  elements tested, and the inclusion over every element is the stronger test;
* the ``when`` conjuncts that read the document only (``sheet.path in 사업.e호조.path``, ``count(year_sheets) > 0``)
  are kept as :attr:`Join.guards` and evaluated as the function evaluates them: one that is ``false`` (not None)
  makes the rule vacuous on the document;
* a key component that is None (a line without a name or an amount), any exception, a document that is both or
  neither kind, and a step bound over the budget all mean *not proven*.

The shapes (``T`` a *table*: a path from the project's documents of the year through fields and filters):

``exists``
    ``assert = count(T[k(x) == k(this)]) > 0``: the element's key ``k(this)`` among the keys ``k(x)`` of T.
``counterpart``
    ``actual = f``, ``expected = first(N[f == this.f] + N).f`` with ``N = T[k(x) == k(this)]`` (``compare``
    exact): the element's ``(k(this), this.f)`` among the ``(k(x), x.f)`` of T. A row with the element's key and
    amount is then the counterpart ``first()`` takes, and the amounts agree.

A table's filter ``[k(x.g) == k(c)]`` whose other side ``c`` is a value of the element's walk (``parent.통계목``,
``parent.내역``, the enclosing 통계목 of the parent) is *lifted*: the table is grouped by ``k(x.g)`` and the
element's key gains ``k(c)``. ``first(N[f == c.f] + N)`` of such a filter (the counterpart of the parent, whose
rows a child walk looks in) is lifted too: the table keeps, for each key and amount, the first row with that
amount only, and the element's key gains ``c.f`` (where no row has the parent's amount, the key is not found
and the function decides).
"""

from __future__ import annotations

from auditor.engine.expr import Node, children
from auditor.plain import Field as _Field
from auditor.plain import Frozen, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal, Union

__all__ = ["Part", "Field", "Fields", "Match", "Prefer", "InForce", "Join", "Step", "recognise", "refusal"]

_set = object.__setattr__

# The classes are written out (auditor.plain), where ``attrs.frozen`` compiled their methods at every import: a
# check run imports this module (the screen's pre-check) and never attrs (tests/test_no_attrs.py). Their fields,
# equality, hash, repr and ``attrs.evolve`` are as ``attrs.frozen`` gave them (tests/test_crossdoc_joins.py).


class Part(Frozen):
    """A value of the element's walk: ``fn(field)`` of the element (``up`` 0: ``this``), of its parent (1:
    ``parent``), or of the list that holds its parent (2: ``first(sheet.산출근거.통계목[parent in 내역])``, the
    walk's grandparent, by :data:`auditor.crossdoc.screen.ONE_HOME`). ``fn`` is ``"norm"``, ``"label_key"`` or
    None (the field's value as read). ``field`` is the rule language's name (``"내역"``, ``"금액"``, ``"통계목"``)."""

    __slots__ = ("up", "field", "fn", "__weakref__")
    up: int
    field: str
    fn: str | None

    def __init__(self, up: int, field: str, fn: str | None = None) -> None:
        _set(self, "up", up)
        _set(self, "field", field)
        _set(self, "fn", fn)


frozen(Part, _Field("up"), _Field("field"), _Field("fn", default=None))


class Field(Frozen):
    """A step to a field of every row of the table (a list field is flattened, as the language reads
    ``X.산출근거.통계목`` over several documents): ``name`` in the rule language."""

    __slots__ = ("name", "__weakref__")
    name: str

    def __init__(self, name: str) -> None:
        _set(self, "name", name)


frozen(Field, _Field("name"))


class Fields(Frozen):
    """``X.a + X.b + …`` of one row ``X`` (``eho_group.세부내역 + eho_group.유지세부내역``): the lists joined in
    this order."""

    __slots__ = ("names", "__weakref__")
    names: tuple[str, ...]

    def __init__(self, names: tuple[str, ...]) -> None:
        _set(self, "names", names)


frozen(Fields, _Field("names"))


class Match(Frozen):
    """A filter ``[fn(x.field) == fn(ctx)]`` of the table: lifted (the table grouped by ``fn(x.field)``, the
    element's key gaining ``fn(ctx)``). The final step of an ``exists`` join, and the step before the final
    :class:`Prefer` of a ``counterpart`` join, have ``ctx.up == 0``."""

    __slots__ = ("field", "fn", "ctx", "__weakref__")
    field: str
    fn: str | None
    ctx: Part

    def __init__(self, field: str, fn: str | None, ctx: Part) -> None:
        _set(self, "field", field)
        _set(self, "fn", fn)
        _set(self, "ctx", ctx)


frozen(Match, _Field("field"), _Field("fn"), _Field("ctx"))


class Prefer(Frozen):
    """``first(N[field == ctx] + N)`` of the rows ``N`` the step before (a :class:`Match`) leaves: lifted as
    the first row of each key with that ``field`` (``금액``), the element's key gaining ``ctx``'s value."""

    __slots__ = ("field", "ctx", "__weakref__")
    field: str
    ctx: Part

    def __init__(self, field: str, ctx: Part) -> None:
        _set(self, "field", field)
        _set(self, "ctx", ctx)


frozen(Prefer, _Field("field"), _Field("ctx"))


class InForce(Frozen):
    """``in_force(rows, version)``: the rows in force at ``version``, an expression of the document alone (its
    tree, as the rule holds it: ``budget_version(sheet.사업명)``), applied to each group of the table as the
    function applies it to the list the rule's filters leave (the rows of every 통계목 of one ``norm()`` key,
    in order)."""

    __slots__ = ("version", "__weakref__")
    version: tuple

    def __init__(self, version: tuple) -> None:
        _set(self, "version", version)


frozen(InForce, _Field("version"))


if TYPE_CHECKING:
    Step = Union[Field, Fields, Match, Prefer, InForce]
else:
    Step = object


class Join(Frozen):
    """One rule in its set form: over ``over`` (the rule's path, ``"basis.categories.groups"``), with the
    document-level ``guards``, the table from ``collection``'s documents of the document's year
    (``사업.<collection>[예산연도 == sheet.예산연도]``) through ``steps``, and ``kind`` ``"exists"`` or
    ``"counterpart"`` (then ``compare`` names the field ``actual``/``expected`` compare, the last
    :class:`Prefer`'s)."""

    __slots__ = ("code", "over", "guards", "collection", "steps", "kind", "compare", "__weakref__")
    code: str
    over: str
    guards: tuple[tuple, ...]
    collection: str
    steps: tuple[Step, ...]
    kind: Literal["exists", "counterpart"]
    compare: str | None

    def __init__(self, code: str, over: str, guards: tuple[tuple, ...], collection: str, steps: tuple[Step, ...],
                 kind: Literal["exists", "counterpart"], compare: str | None = None) -> None:
        _set(self, "code", code)
        _set(self, "over", over)
        _set(self, "guards", guards)
        _set(self, "collection", collection)
        _set(self, "steps", steps)
        _set(self, "kind", kind)
        _set(self, "compare", compare)

    @property
    def element_key(self) -> tuple[Part, ...]:
        """The element's key, in the order of the table's lifted steps."""
        return tuple(s.ctx for s in self.steps if isinstance(s, (Match, Prefer)))

    @property
    def row_key(self) -> tuple[tuple[str, str | None], ...]:
        """The table's lifted (field, fn) pairs, in the same order (a :class:`Prefer` compares the raw value)."""
        return tuple((s.field, s.fn if isinstance(s, Match) else None) for s in self.steps
                     if isinstance(s, (Match, Prefer)))


frozen(Join, _Field("code"), _Field("over"), _Field("guards"), _Field("collection"), _Field("steps"), _Field("kind"),
       _Field("compare", default=None))


# --- the recogniser: a rule's trees read into a Join, or refused with the reason -----------------------
#
# It reads the trees the loader gives (``let`` names in place, names resolved: ``IName``/``TName``), walking them
# structurally, and refuses whatever it does not read in full: a rule refused is only checked element by element.

#: The node kinds a recognised rule's trees may hold anywhere (its dropped ``when`` conjuncts included).
_KNOWN = frozenset({"num", "str", "const", "list", "name", "attr", "index", "call", "neg", "not", "bin", "filter",
                    "kfilter", "once", "iname", "tname", "sname", "pname"})
#: The key functions a :class:`Match` may apply (the same on both of its sides).
_KEY_FNS = frozenset({"norm", "label_key"})
#: The only walk whose Part(2) is named (the 통계목 whose list holds the parent ○ line:
#: :data:`auditor.crossdoc.screen.ONE_HOME`), as the model names its lists.
_ITEMS = ("basis", "categories", "groups", "items")


class _Refused(Exception):
    """Why a rule is not a join: what in its trees the recogniser does not read."""


def _show(node: object, depth: int = 3) -> str:
    """``node`` for a reason, its parts below ``depth`` levels left out (a rule's whole tree can be long)."""
    if not isinstance(node, tuple):
        return repr(node)
    if depth == 0:
        return "…"
    parts = ", ".join(_show(part, depth - 1) for part in (node[1:] if isinstance(node, Node) else node))
    return f"{type(node).__name__}({parts})" if isinstance(node, Node) else f"({parts})"


def recognise(rule: object) -> Join | None:
    """``rule`` (an :class:`auditor.engine.rule.Rule`) in its set form, or None: a rule not read in full as one of
    the two shapes is refused (:func:`refusal` says why), and the screen checks it element by element."""
    found = _read(rule)
    return found if isinstance(found, Join) else None


def refusal(rule: object) -> str | None:
    """Why ``rule`` is not a join; None when it is one (:func:`recognise` gives it)."""
    found = _read(rule)
    return None if isinstance(found, Join) else found


def _read(rule: object) -> Join | str:
    try:
        return _join(rule)
    except _Refused as exc:
        return str(exc)


def _join(rule: Any) -> Join:
    if rule.reader:
        raise _Refused("a reader rule")
    if len(rule.over) != 1:
        raise _Refused(f"over {len(rule.over)} paths, not one")
    walk = tuple(rule.over[0].split("."))
    if rule.assertion is not None and rule.actual is None and rule.expected is None:
        collection, steps = _exists(rule.assertion, walk)
        join = Join(rule.code, rule.over[0], _guards(rule.when), collection, steps, "exists")
    elif rule.assertion is None and rule.actual is not None and rule.expected is not None:
        if rule.compare != "exact":
            raise _Refused(f"compare = {rule.compare!r}, not exact")
        collection, steps, field = _counterpart(rule.actual, rule.expected, walk)
        join = Join(rule.code, rule.over[0], _guards(rule.when), collection, steps, "counterpart", field)
    else:
        raise _Refused("neither an assert alone nor actual and expected")
    _known(rule.when, rule.assertion, rule.actual, rule.expected)
    return join


def _known(*trees: tuple | None) -> None:
    """Refuse trees with a node of a kind the recogniser does not know (a ``let`` left in place …): read last, once
    the rule is read as a join (a part shared by the places that use it, as the loader leaves it, read once)."""
    stack, seen = [tree for tree in trees if tree is not None], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if not isinstance(node, tuple) or not node or node[0] not in _KNOWN:
            raise _Refused(f"a node it does not know: {_show(node)}")
        stack.extend(children(node))


def _conjuncts(node: tuple) -> list[tuple]:
    """``a and b and c`` as ``[a, b, c]``, in reading order (the parser folds ``and`` to the left)."""
    if node[0] == "bin" and node[1] == "and":
        return [*_conjuncts(node[2]), *_conjuncts(node[3])]
    return [node]


def _reads_element(node: tuple) -> bool:
    """Does ``node`` read the rule's element (``this``, ``parent``, a field of it …)? Refused when it reads the
    element of a filter it is not inside."""
    from auditor.engine.codewriter import _refs

    element, free = _refs(node)
    if free:
        raise _Refused(f"a filter's element read outside the filter: {_show(node)}")
    return element


def _guards(when: tuple | None) -> tuple[tuple, ...]:
    """The ``when`` conjuncts that read the document only, in their order; those that read the element are
    dropped (each only narrows the elements tested)."""
    if when is None:
        return ()
    guards = []
    for conjunct in _conjuncts(when):
        if conjunct[0] == "not" or (conjunct[0] == "bin" and conjunct[1] == "or"):
            raise _Refused(f"'{conjunct[0] if conjunct[0] == 'not' else 'or'}' at the top of when: only 'and' "
                           "conjuncts are split")
        if not _reads_element(conjunct):
            guards.append(conjunct)
    return tuple(guards)


def _exists(assertion: tuple, walk: tuple[str, ...]) -> tuple[str, tuple[Step, ...]]:
    """``count(T[k(x) == k(this)]) > 0``: the collection and the steps of T."""
    counted = assertion[2] if assertion[0] == "bin" else None
    if assertion[0] != "bin" or assertion[1] != ">" or assertion[3] != ("num", 0) or counted[0] != "call" \
            or counted[1] != "count" or len(counted[2]) != 1:
        raise _Refused("assert is not count(…) > 0")
    collection, steps, one = _table(counted[2][0], walk)
    if one or not steps or not isinstance(steps[-1], Match) or steps[-1].ctx.up != 0:
        raise _Refused("the counted rows are not filtered last by a key of the element itself")
    return collection, tuple(steps)


def _counterpart(actual: tuple, expected: tuple, walk: tuple[str, ...]) -> tuple[str, tuple[Step, ...], str]:
    """``actual = f``, ``expected = first(N[f == this.f] + N).f``: the collection, the steps and ``f``."""
    field = _own_field(actual)
    if field is None:
        raise _Refused("actual is not a field of the element")
    if expected[0] != "attr" or expected[2] != field:
        raise _Refused(f"expected is not a row's {field}, the field actual names")
    collection, steps, one = _table(expected[1], walk)
    last = steps[-1] if steps else None
    if not one or not isinstance(last, Prefer):
        raise _Refused("expected is not first(N[f == this.f] + N).f")
    if last.field != field or last.ctx != Part(0, field):
        raise _Refused(f"the counterpart is not preferred by this.{field}, the field compared")
    if steps[-2].ctx.up != 0:  # a Prefer follows a Match (_table)
        raise _Refused("the counterpart's rows are not filtered last by a key of the element itself")
    return collection, tuple(steps), field


def _own_field(node: tuple) -> str | None:
    """``f`` of ``this.f`` (or a bare ``f`` the checker resolved to the element's field), else None."""
    if node[0] == "tname":
        return node[1]
    if node[0] == "attr" and node[1] == ("name", "this"):
        return node[2]
    return None


def _table(node: tuple, walk: tuple[str, ...]) -> tuple[str, list[Step], bool]:
    """The collection and the steps of a table's tree, and whether it is one row (a :class:`Prefer`'s)."""
    kind = node[0]
    if kind == "once":
        return _root(node[1]), [], False
    if kind == "attr":
        collection, steps, _ = _table(node[1], walk)
        return collection, [*steps, Field(node[2])], False
    if kind == "bin" and node[1] == "+":
        row, names = _joined(node)
        collection, steps, one = _table(row, walk)
        if not one:
            raise _Refused("X.a + X.b of a list of rows, not of one row")
        return collection, [*steps, Fields(names)], False
    if kind == "filter":
        collection, steps, one = _table(node[1], walk)
        if one:
            raise _Refused("a filter of one row")
        return collection, [*steps, _match(node[2], walk)], False
    if kind == "call" and node[1] == "in_force":
        if len(node[2]) != 2:
            raise _Refused("in_force() without a version")
        collection, steps, one = _table(node[2][0], walk)
        if one:
            raise _Refused("in_force() of one row")
        if _reads_element(node[2][1]):
            raise _Refused("in_force()'s version reads the element")
        return collection, [*steps, InForce(node[2][1])], False
    if kind == "call" and node[1] == "first":
        return _prefer(node, walk)
    raise _Refused(f"a table step it does not read: {_show(node)}")


def _prefer(node: tuple, walk: tuple[str, ...]) -> tuple[str, list[Step], bool]:
    """``first(N[f == c.f] + N)`` after the :class:`Match` that leaves N: one row."""
    both = node[2][0] if len(node[2]) == 1 else None
    if both is None or both[0] != "bin" or both[1] != "+" or both[2][0] != "filter":
        raise _Refused("first() of other than N[f == c.f] + N")
    if both[2][1] != both[3]:
        raise _Refused("first(A[f == c.f] + B) with A and B different")
    collection, steps, one = _table(both[3], walk)
    if one or not steps or not isinstance(steps[-1], Match):
        raise _Refused("first(N[f == c.f] + N) of rows N not left by a key filter")
    preferred = _match(both[2][2], walk)
    if preferred.fn is not None or preferred.ctx.field != preferred.field:
        raise _Refused("first(N[f == c.f] + N) whose filter is not a field against the same field of the walk")
    return collection, [*steps, Prefer(preferred.field, preferred.ctx)], True


def _joined(node: tuple) -> tuple[tuple, tuple[str, ...]]:
    """``X.a + X.b + …`` (folded to the left) as ``(X, (a, b, …))``."""
    leaves = []
    while node[0] == "bin" and node[1] == "+":
        leaves.append(node[3])
        node = node[2]
    leaves.append(node)
    if any(leaf[0] != "attr" or leaf[1] != node[1] for leaf in leaves):
        raise _Refused("a sum of other than fields of one row")
    return node[1], tuple(leaf[2] for leaf in reversed(leaves))


def _match(pred: tuple, walk: tuple[str, ...]) -> Match:
    """A filter ``[fn(x.field) == fn(ctx)]`` (either side first) with ``ctx`` a :class:`Part` of the walk."""
    if pred[0] != "bin" or pred[1] != "==":
        raise _Refused(f"a filter by other than ==: {_show(pred)}")
    for row, other in ((pred[2], pred[3]), (pred[3], pred[2])):
        fn, field = _keyed(row)
        if field[0] == "iname" and field[1] == 0:
            other_fn, value = _keyed(other)
            if other_fn != fn:
                raise _Refused(f"a filter whose sides are keyed by {fn or 'nothing'} and {other_fn or 'nothing'}")
            return Match(field[2], fn, _part(value, walk, fn))
    raise _Refused(f"a filter whose neither side is a field of its row: {_show(pred)}")


def _keyed(node: tuple) -> tuple[str | None, tuple]:
    """``(fn, x)`` of ``fn(x)`` (a key function of one argument), ``(None, node)`` of anything else."""
    if node[0] == "call" and len(node[2]) == 1:
        if node[1] not in _KEY_FNS:
            raise _Refused(f"a filter's key by {node[1]}(), not by {' or '.join(sorted(_KEY_FNS))}()")
        return node[1], node[2][0]
    return None, node


def _part(node: tuple, walk: tuple[str, ...], fn: str | None) -> Part:
    """The value of the element's walk a filter compares with: ``this.f``, ``parent.f``, or ``f`` of the 통계목
    whose list holds the parent, ``first(sheet.산출근거.통계목[parent in 내역]).f`` (on the walk to the - lines)."""
    field = _own_field(node)
    if field is not None:
        return Part(0, field, fn)
    if node[0] == "attr" and node[1] == ("name", "parent") and len(walk) > 1:
        return Part(1, node[2], fn)
    if node[0] == "attr" and walk == _ITEMS and _enclosing(node[1]):
        return Part(2, node[2], fn)
    raise _Refused(f"a filter compared with a value it cannot name in the element's walk: {_show(node)}")


def _enclosing(node: tuple) -> bool:
    """Is ``node`` ``first(sheet.<basis>.<categories>[parent in <groups>])``, the lists of the walk :data:`_ITEMS`?"""
    from auditor.model import Basis, BasisCategory, Sheet

    if node[0] != "call" or node[1] != "first" or len(node[2]) != 1 or node[2][0][0] != "filter":
        return False
    lists, pred = node[2][0][1], node[2][0][2]
    if pred[0] != "bin" or pred[1] != "in" or pred[2] != ("name", "parent") or pred[3][:2] != ("iname", 0):
        return False
    if lists[0] != "attr" or lists[1][0] != "attr" or lists[1][1] != ("name", "sheet"):
        return False
    return (_model_name(Sheet, lists[1][2]), _model_name(Basis, lists[2]),
            _model_name(BasisCategory, pred[3][2])) == _ITEMS[:3]


def _model_name(cls: type, name: str) -> str | None:
    """The model's name of ``cls``'s field ``name`` (English or Korean), None for no such field."""
    from auditor.engine.schema import field_map

    found = field_map(cls).get(name)
    return None if found is None else found.name


def _root(node: tuple) -> str:
    """The collection ``c`` of ``사업.<c>[예산연도 == sheet.예산연도]`` (under its ``Once``), as the rule names it."""
    from auditor.crossdoc.model import Project
    from auditor.engine.evaluate import PROJECT
    from auditor.model import Sheet

    if node[0] == "filter" and node[1][0] == "attr" and node[1][1] == ("name", PROJECT) \
            and _model_name(Project, node[1][2]) is not None:
        pred = node[2]
        if pred[0] == "bin" and pred[1] == "==" and {pred[2][0], pred[3][0]} == {"iname", "attr"}:
            own, sheet = (pred[2], pred[3]) if pred[2][0] == "iname" else (pred[3], pred[2])
            if own[1] == 0 and sheet[1] == ("name", "sheet") and _model_name(Sheet, own[2]) == "budget_year" \
                    and _model_name(Sheet, sheet[2]) == "budget_year":
                return node[1][2]
    raise _Refused(f"a table not from 사업.<documents>[예산연도 == sheet.예산연도]: {_show(node)}")
