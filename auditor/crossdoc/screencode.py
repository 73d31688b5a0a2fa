"""The cross rules' second target of the code generator: their fused functions written for the screen's
light documents (:mod:`auditor.crossdoc.screen`), the index entries' own tuples, whose values are plain.

Over the model, a rule's field read is guarded by the value's class and unwrapped: a text field holds a
:class:`~auditor.source.Text` (``r.value if r.__class__ is _Text else _bad()``), a year a Year, an amount an
:class:`~auditor.source.Amount` (``r.exact``). The screen reads the entries as they are unmarshalled, so the
place and shape of every value is known (``screen.LAYOUT``): :class:`LightCalls` writes each read as the item of
the tuple that holds it (a text's or a year's value the first of its pair, a figure its whole value in 천원 times
1,000), with no guard and no object between. Everything else is written as for the model
(:class:`auditor.engine.codecalls.Calls`): the same walks, filters, indexes and decisions, so the candidates are
the model path's (``tests/test_crossdoc_screen.py``). A part that needs an amount's rounding interval, unit or
place, or a field the layout does not name (none of the built-in cross rules does), is not written
(``Unsupported``), and the screen then stands down for the rule set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from auditor.engine import builtins as _builtins
from auditor.engine import documents as _documents
from auditor.engine.codecalls import Calls
from auditor.engine.codegen import CompiledRules, compile_rules
from auditor.engine.codewriter import BOOL, NUM, STR, Unsupported, V, _bare, _refs, field_of
from auditor.engine.evaluate import PROJECT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LightCalls", "compile_light"]


class _Keys(dict):
    """``label_key()`` or ``norm()`` of each text asked, remembered: the generated code reads it by subscript
    (``_label_keys[text]``: a hit is one lookup of the text, no call), a miss computes it (:meth:`__missing__`);
    emptied past :data:`SIZE` entries. Data only: texts and their keys."""

    __slots__ = ("fn",)

    #: The entries kept at most (a project's documents name a few hundred lines; a run many projects).
    SIZE = 1 << 14

    def __init__(self, fn: Any) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, text: str) -> str:
        if len(self) >= self.SIZE:
            self.clear()
        value = self[text] = self.fn(text)
        return value


_LABEL_KEYS = _Keys(_documents.label_key)
_NORMALIZED = _Keys(_builtins.normalize)


class LightCalls(Calls):
    """Writes a cross rule's expressions over light documents: text, year and amount fields read as the
    plain values the light objects hold (see the module docstring). The screen asks of each function only
    whether a document may have a finding: one step budget for all its rules
    (:func:`auditor.engine.codegen.compile_rules`), whose going over raises out of the function (the
    screen then flags the document for every rule)."""

    one_budget = True
    late_checks = True  # the one budget tested at the next test, not after each count (Writer.late_checks)
    direct_cells = True  # a cell set by the line that computes its value (Writer.set_cell)
    numbered = True  # equal expressions and field reads written once (codewriter.Writer.assign)
    every_call = True  # an element handed to every rule by one call (coderuntime._every), no closure's cells

    #: The rules of several collections joined in one function (:func:`units_of`): each collection walked once
    #: for the rules that walk it, the values of the document computed once for all of them.
    joined = True

    #: Each walk of a joined function resets only the values of a parent its own code reads
    #: (:func:`auditor.engine.codegen.write_rules`): the 산출근거's walks of 통계목, ○ and - lines read cells apart.
    own_resets = True

    #: Names read as locals of the function (arguments' defaults; :func:`auditor.engine.codegen.write_rules`), not as
    #: globals: UNSET (each test of a cell, ``if h4 is UNSET:``, every element, every rule), ``len`` (each list's
    #: steps counted), the tables of keys (every element's label), the budget. The same objects in the light
    #: namespace as in the model's (``screen._light_function`` maps only classes and the helpers it knows).
    local_names = ("UNSET", "len", "_label_keys", "_normalized", "MAX_STEPS")

    #: The first conjuncts of the rules of a walk that have one computed before it even when another rule has none
    #: (:func:`auditor.engine.codegen._first_conjuncts`): XDOC010-015's part of each element tests its value only.
    first_known = True

    #: A filter's equality written as its test (:meth:`true_test`).
    inline_tests = True

    def true_test(self, node: tuple) -> str:
        """``a == b`` (``a != b``) of two texts or numbers, as a filter's condition: true exactly when neither is
        missing and they are equal (differ), written as that test, without the three-valued result made and
        tested: ``a == b and a is not None`` (a missing value equals no present one; two missing values are
        not equal). Any other condition as :meth:`Writer.true_test` writes it."""
        if (not self.inline_tests or node[0] != "bin" or node[1] not in ("==", "!=")
                or ("const", None) in (node[2], node[3])):
            return super().true_test(node)
        left, right = self.emit(node[2]), self.emit(node[3])
        if left.t != right.t or left.t not in (STR, NUM, BOOL):
            raise Unsupported(f"{node[1]} between {left.t[0]} and {right.t[0]}")
        maybe = [v.x for v in (left, right) if not v.never_none]
        if node[1] == "==":
            return " and ".join([f"{left.x} == {right.x}", *(f"{x} is not None" for x in maybe[:1])])
        return " and ".join([f"{left.x} != {right.x}", *(f"{x} is not None" for x in maybe)])

    #: label_key() and norm() read from a table of the texts asked (:class:`_Keys`), not called.
    keyed_texts = True

    def b_label_key(self, args: tuple) -> V:
        return self._keyed_text(args, _LABEL_KEYS, "label_keys") if self.keyed_texts else super().b_label_key(args)

    def b_norm(self, args: tuple) -> V:
        return self._keyed_text(args, _NORMALIZED, "normalized") if self.keyed_texts else super().b_norm(args)

    def _keyed_text(self, args: tuple, table: _Keys, name: str) -> V:
        (s,) = self.args(args)
        if s.t != STR:
            raise Unsupported(f"{table.fn.__name__}() of a value that is not text")
        return self.assign(f"None if {s.x} is None else {self.helper(table, name)}[{s.x}]", STR)

    #: A light document's part in a list of its parts tested by identity, in a set made once (:meth:`membership`).
    plain_in = True

    def membership(self, op: str, left: V, right: V, rnode: tuple) -> V:
        """An object in a list of objects: whether it is one of them, by identity: in a set of identities made once
        per document (a list of the document), without the test of a missing element that cannot be missing; else
        as :meth:`Writer.membership` (``_one_of``, a loop of ``is``). Never Python's ``in`` of the objects: a light
        document's parts are tuples, which it compares by value (tests/test_crossdoc_screen_code.py)."""
        if not (self.plain_in and right.t[0] == "list" and left.t[0] == "obj" and right.t[1][0] == "obj"):
            return super().membership(op, left, right, rnode)
        test = "in" if op == "in" else "not in"
        if right.ref == "cell":
            cell = self.ids_of(right)
            missing = " or ".join([f"{left.x} is None"] * (not left.never_none) + [f"{cell} is None"])
            return self.assign(f"None if {missing} else id({left.x}) {test} {cell}", BOOL)
        # (a light document's parts are tuples, which ``in`` compares by value: a list not kept in a cell is searched
        # by identity, as the writer does)
        return super().membership(op, left, right, rnode)

    #: An index's probe that finds nothing gives the empty tuple (:meth:`_probe`).
    shared_empty = True

    def _probe(self, index: V, probe_node: tuple) -> V:
        """As :meth:`Writer._probe`, but nothing found is the empty tuple, a constant, where the writer made a new
        empty list for every probe (``get(key, [])``): what an index gives is only read (its lists are shared by
        every probe already), as the light documents' own tuples are; a missing probe finds nothing, as there."""
        if not self.shared_empty:
            return super()._probe(index, probe_node)
        cell, (_, items_t, key_t) = index.x, index.t
        probe = self.emit(probe_node)
        if probe.t != key_t:
            raise Unsupported("a key and a probe of different kinds")
        # (a missing probe needs no test of its own: an index has no key None, Writer._index_of)
        value = self.assign(f"None if {cell} is None else {cell}.get({probe.x}, ())", items_t)
        if self.full_lists and cell in self._full():  # (an index of a list that holds no None: _index_of)
            self._full().add(value.x)
        return value

    #: A filter ``project_list[예산연도 == probe]`` of the project's sheets or exports (and ``first()`` of it) read from
    #: the project's documents by year, made once per project (``screen.LightProject``): :meth:`_by_year`.
    year_tables = True

    def _year_filter(self, node: tuple) -> tuple[V, tuple, str] | None:
        """``(list, probe, the project's field)`` of a filter ``node`` of the project's sheets or exports by ``예산연도 == probe`` (either
        side), whose probe reads no item of a filter or each() (the elements, the sheet and the project it may
        read); None for any other filter."""
        if not self.year_tables or node[0] not in ("filter", "kfilter"):
            return None
        obj_node, pred = _bare(node[1]), node[2]
        if (obj_node[0] != "attr" or obj_node[1] != ("name", PROJECT) or pred[0] != "bin" or pred[1] != "=="):
            return None
        from auditor.crossdoc.model import Project

        try:
            attr = field_of(frozenset({Project}), obj_node[2]).attr
        except Exception:  # (a field the project does not have: as the writer has it)
            return None
        if attr not in ("sheets", "exports"):
            return None
        for key, probe in ((pred[2], pred[3]), (pred[3], pred[2])):
            if key[0] != "iname" or key[1] != 0 or _refs(probe)[1]:
                continue
            obj = self.emit(obj_node)
            from auditor.crossdoc.screen import YEAR_OF

            (_, classes) = obj.t[1]
            if obj.t[0] != "list" or self.laid_out(classes, field_of(classes, key[2]).attr) != YEAR_OF:
                return None
            return obj, probe, attr
        return None

    def _by_year(self, obj: V, probe_node: tuple, attr: str) -> V:
        """The items of the project's list ``obj`` (``project.sheets`` or ``project.exports``) whose 예산연도 equals
        the probe, in order, as the filter gives them (a missing probe or year equals nothing: neither is a key of
        the table), from the table the project made once (``LightProject.sheets_by_year``); its steps counted as
        the filter's (the whole list, when it is not missing). The probe is computed first, as the filter's loop
        computed it before walking (:meth:`Writer.before_loop`)."""
        probe = self.emit(probe_node)
        if probe.t != NUM:
            raise Unsupported("a year probe that is not a number")
        if obj.never_none:
            self.count(f"len({obj.x})", obj.own)
            value = self.assign(f"project.{attr}_by_year.get({probe.x}, ())", obj.t, never_none=True)
        else:
            with self.block(f"if {obj.x} is not None:"):
                self.count(f"len({obj.x})", obj.own)
            value = self.assign(f"None if {obj.x} is None else project.{attr}_by_year.get({probe.x}, ())", obj.t)
        return self.subset(value, obj)

    def e_filter(self, node: tuple) -> V:
        found = self._year_filter(node)
        if found is None:
            return super().e_filter(node)
        return self._by_year(*found)

    def first_match(self, node: tuple) -> V:
        found = self._year_filter(node)
        if found is None:
            return super().first_match(node)
        items = self._by_year(*found)
        if items.never_none:
            return self.assign(f"{items.x}[0] if {items.x} else None", items.t[1])
        return self.assign(f"None if {items.x} is None or not {items.x} else {items.x}[0]", items.t[1])

    #: ``count(list) op k`` written as one test (:meth:`e_bin`).
    fused_counts = True

    def _e_bin(self, node: tuple) -> V:
        """``count(list) op k`` (``count(eho_rows) > 0``) of a whole constant ``k``: ``len(list) op k`` behind the
        one test of a missing list, without the count made and tested apart; any other as the writer has it."""
        _, op, lnode, rnode = node
        if (self.fused_counts and op in ("<", "<=", ">", ">=", "==", "!=") and lnode[0] == "call"
                and lnode[1] == "count" and len(lnode[2]) == 1 and rnode[0] in ("num", "pname")):
            whole = self.whole_const(self.emit(rnode))
            if whole is not None:
                items = self.a_list(self.emit(lnode[2][0]))
                return self.assign(f"None if {items.x} is None else len({items.x}) {op} {whole}", BOOL)
        return super().e_bin(node)

    #: Each rule's part of an element's code names its temporaries from where the shared code before it left
    #: off (:func:`auditor.engine.codegen.write_rules`), so the parts share their names: a part's temporaries
    #: are read by that part alone (what two parts share is a cell, named from a count of its own: :meth:`tmp`).
    #: CPython clears every local of a frame at each call: fewer names, fewer to clear.
    renamed = True

    def tmp(self, prefix: str = "t") -> str:
        """A new local; a cell (``h…``, ``p…``: a value computed once per document or per parent, which any part
        may read) numbered apart from the temporaries when the parts share their temporaries' names."""
        if self.renamed and prefix in ("h", "p"):
            count = self.ns.__dict__.setdefault("cells", [0])
            count[0] += 1
            return f"{prefix}{count[0]}"
        name = super().tmp(prefix)
        if self.renamed:  # (a name used again: what it held before is not what it holds now)
            self._wholes().discard(name)
            self._full().discard(name)
            self.truthy.pop(name, None)
        return name

    #: The tests of None left out where the light documents never hold None (``screen.NEVER_NONE``, a field never
    #: None; ``screen.NO_NONE_ITEMS``, a list that never holds None; tests/test_crossdoc_screen_code.py holds
    #: the light documents to both): an item of such a list, and what is read of it, is bound without its test;
    #: what a filter, an index, ``in_force()`` or ``+`` keeps of such lists holds no None either.
    full_lists = True

    def _noted(self, what: str) -> set:
        """The names noted as ``what`` for the function being written (kept in its namespace)."""
        found = self.ns.__dict__.get(what)
        if found is None:
            found = self.ns.__dict__[what] = set()
        return found

    def _full(self) -> set:
        """The locals (and cells) holding, when not None, a list that holds no None."""
        return self._noted("full")

    def is_full(self, v: V) -> bool:
        return self.full_lists and v.t[0] == "list" and v.x in self._full()

    @staticmethod
    def _declared(table: frozenset, classes: frozenset, attr: str) -> bool:
        return all((cls.__name__, attr) in table for cls in classes)

    def field_value(self, obj: V, f: Any, value: V) -> V:
        if not self.full_lists:
            return value
        from auditor.crossdoc.screen import NEVER_NONE, NO_NONE_ITEMS

        if obj.never_none and self._declared(NEVER_NONE, obj.t[1], f.attr):
            value.never_none = True
        if value.t[0] == "list" and self._declared(NO_NONE_ITEMS, obj.t[1], f.attr):
            self._full().add(value.x)
        return value

    def set_cell(self, cell: str, value: V) -> None:
        super().set_cell(cell, value)
        if self.is_full(value):  # (a value of the document or of a parent kept in its cell)
            self._full().add(cell)

    #: ``first(sheet.산출근거.통계목[parent in 내역])`` read as the 통계목 the walk binds above a - line's ○ line
    #: (:meth:`auditor.engine.codewriter.Writer.enclosing`), where ``screen.ONE_HOME`` declares a ○ line in one 통계목's
    #: list alone (tests/test_crossdoc_screen_code.py holds the light documents to it); the scan's steps counted.
    homes = True

    def one_home(self, owner: type, attr: str) -> bool:
        if not self.homes:
            return False
        from auditor.crossdoc.screen import ONE_HOME

        return (owner.__name__, attr) in ONE_HOME

    @classmethod
    def walk_known(cls, owner: type, attr: str) -> tuple[bool, bool]:
        """Whether the walk's field ``attr`` of an ``owner`` is never None, and whether it never holds None
        (:func:`auditor.engine.codegen._walk_lines` leaves out those tests)."""
        if not cls.full_lists:
            return False, False
        from auditor.crossdoc.screen import NEVER_NONE, NO_NONE_ITEMS

        return (owner.__name__, attr) in NEVER_NONE, (owner.__name__, attr) in NO_NONE_ITEMS

    def binder(self, x: str, items: V) -> V:
        value = super().binder(x, items)
        if self.is_full(items):
            value.never_none = True
        return value

    def subset(self, value: V, of: V) -> V:
        if self.is_full(of):
            self._full().add(value.x)
        if self.full_lists and of.never_none:  # (``[]`` when the list is not None)
            value.never_none = True
        return value

    def b_in_force(self, args: tuple) -> V:
        value = super().b_in_force(args)
        if self.is_full(self.emit(args[0])):  # (the lines kept of those given, as they are)
            self._full().add(value.x)
        return value

    def projecting(self, items: V, classes: frozenset, f: Any) -> tuple[bool, bool]:
        """``items.name`` of a list that holds no None: each item's field read without the test of a missing item,
        a list field never None (from the table) extended without its test."""
        if not self.is_full(items):
            return False, False
        from auditor.crossdoc.screen import NEVER_NONE

        return True, self._declared(NEVER_NONE, classes, f.attr)

    def projected(self, value: V, items: V, classes: frozenset, f: Any) -> V:
        """A projection of a list that holds no None is never None when the list is not; it holds no None itself
        when its field is never None and an object, or a list that never holds None."""
        if not self.is_full(items):
            return value
        from auditor.crossdoc.screen import NEVER_NONE, NO_NONE_ITEMS

        value.never_none = items.never_none
        if self._declared(NEVER_NONE, classes, f.attr) and (
                f.how == "obj" or (f.how == "list" and self._declared(NO_NONE_ITEMS, classes, f.attr))):
            self._full().add(value.x)
        return value

    def e_bin(self, node: tuple) -> V:
        value = self._e_bin(node)
        if (node[1] == "+" and value.t[0] == "list" and self.is_full(self.emit(node[2]))
                and self.is_full(self.emit(node[3]))):  # ``[*left, *right]``
            self._full().add(value.x)
        return value

    # A value computed once per document or per parent is written in a block of its own that sets its cell (and
    # the cells it computed on the way); the code after the block reads those cells only, never the block's
    # temporaries. So the block's temporaries are named on from where the code before it left off, and the code
    # after the block names its own from there again: they share the block's names.

    def _named_apart(self, write: Callable[..., Any], *nodes: Any) -> Any:
        """``write(*nodes)``, its temporaries named apart: the code after it names its own from where it began."""
        mark = self.temps
        value = write(*nodes)
        if self.renamed:
            self.temps = mark
        return value

    def hoisted(self, node: tuple) -> V:
        return self._named_apart(super().hoisted, node)

    def parent_cached(self, node: tuple) -> V:
        return self._named_apart(super().parent_cached, node)

    def _index_of(self, obj_node: tuple, key_node: tuple, cell: str) -> tuple[V, V]:
        found = self._named_apart(super()._index_of, obj_node, key_node, cell)
        if self.is_full(found[0]):  # each key's items, some of a list that holds no None
            self._full().add(cell)
        return found

    def whole(self, v: V) -> bool:
        """A count (``len()`` of a list) is an ``int`` or missing: compared without a Fraction's test."""
        return v.x in self._wholes()

    def _wholes(self) -> set:
        """The locals known to hold an int or None, for the function being written (its namespace's)."""
        return self._noted("wholes")

    def emit(self, node: tuple) -> V:
        value = super().emit(node)
        if node[0] == "call" and node[1] == "count":  # its local, or the cell it was kept in
            self._wholes().add(value.x)
        return value

    #: A light document's fields read from the entry's own tuples (``screen.LAYOUT``), written inline: a field of an
    #: object of the light classes is its tuple's item (a text's or a year's value too: each value's items are held
    #: flat in its part's tuple), a figure its value in 천원 (every figure of a document the screen reads is a whole
    #: number in 천원: ``index.PACKED``) times 1,000.
    @staticmethod
    def laid_out(classes: frozenset, attr: str) -> tuple | None:
        """How a field ``attr`` of ``classes`` is read from a light document's tuples (``screen.LAYOUT``); None for
        an object that is not a document's part (the project: its attribute). Unsupported when the classes read it
        differently, or the layout does not name it."""
        from auditor.crossdoc.screen import LAID_OUT, LAYOUT

        names = {cls.__name__ for cls in classes}
        if not names & LAID_OUT:
            return None
        found = {LAYOUT.get((name, attr)) for name in names}
        if len(found) != 1 or None in found or not names <= LAID_OUT:
            raise Unsupported(f"{attr!r} of {sorted(names)} is not read from a light document")
        return found.pop()

    @staticmethod
    def read_of(x: str, how: tuple) -> str:
        """The expression reading the field laid out as ``how`` (``screen.LAYOUT``) of the tuple in ``x`` (not None);
        ``q`` is the one local it sets, read in the same expression only."""
        from auditor.crossdoc.screen import _SCALE

        kind = how[0]
        if kind == "plain":
            return f"{x}[{how[1]}]"
        if kind == "self":
            return x
        if kind == "extra":
            default = "None" if how[2] is None else "()"
            return f"({x}[{how[1]}] if len({x}) > {how[1]} else {default})"
        if kind == "amount":  # a whole figure in 천원 (index.PACKED), in 원
            return f"(None if (q := {x}[{how[1]}]) is None else q * {_SCALE})"
        raise Unsupported(f"a field laid out as {kind!r}")

    def access(self, x: str, classes: frozenset, f: Any) -> tuple[str, bool]:
        how = self.laid_out(classes, f.attr)
        if how is None:
            return super().access(x, classes, f)
        return self.read_of(x, how), False

    @classmethod
    def walk_read(cls, owner: str, owner_class: type, attr: str) -> str:
        """The walk's read of field ``attr`` of the ``owner_class`` in ``owner`` (:func:`auditor.engine.codegen._walk_lines`)."""
        how = cls.laid_out(frozenset({owner_class}), attr)
        if how is None:
            return f"{owner}.{attr}"
        if how[0] not in ("plain", "self"):
            raise Unsupported(f"a walk through {owner_class.__name__}.{attr}")
        return cls.read_of(owner, how)

    def convert(self, raw: str, how: str, t: tuple, item: str | None, owner: str | None = None,
                attr: str | None = None) -> V:
        if how in ("text", "lazy text"):
            return V(raw, t, owner=owner, attr=attr)
        if how == "year":
            return V(raw, t, exact=True, owner=owner, attr=attr)
        if how == "amount":  # the exact figure; no Amount to take a rounding interval or a place from
            return V(raw, t, owner=owner, attr=attr)
        if how in ("str", "int", "bool"):  # the model's plain value, copied: of its class or None
            return V(raw, t, exact=how == "int", owner=owner, attr=attr)
        return super().convert(raw, how, t, item, owner, attr)

    def convert_items(self, raw: str, item: str | None, t: tuple) -> V:
        if item in ("text", "year", "amount", "str", "int", "bool"):
            return V(raw, t)
        return super().convert_items(raw, item, t)


def compile_light(rules: tuple, vocab: Mapping[str, tuple[str, ...]]) -> CompiledRules:
    """``rules`` (cross rules walking the same collections) fused into one function for light documents."""
    return compile_rules(rules, vocab, LightCalls)


def groups_of(ruleset: Any) -> list[tuple[Any, ...]]:
    """``ruleset``'s cross rules by the collections they walk, in pack order of each group's first rule:
    the rules fused into one function, as :meth:`auditor.engine.RuleSet.compiled_for` fuses them."""
    by_over: dict[tuple[str, ...], list[Any]] = {}
    for rule in ruleset.rules:
        if not rule.reader and rule.cross:
            by_over.setdefault(tuple(rule.over), []).append(rule)
    return [tuple(rules) for rules in by_over.values()]


def units_of(ruleset: Any) -> list[tuple[tuple[Any, ...], ...]]:
    """:func:`groups_of`'s groups joined by the part of a document they walk (the first attribute of their paths:
    the summary, the 결산, the 산출근거), in order: each unit's rules are written as one function for the screen
    (:func:`compile_light`), which walks each collection once for the rules that walk it and computes the values
    of the document once for all of them. A candidate of a rule flags its own group's rules
    (:class:`auditor.crossdoc.screen.Screen`), as the group's function alone did."""
    by_part: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for rules in groups_of(ruleset):
        part = tuple(dict.fromkeys(path.split(".")[0] for path in rules[0].over))
        by_part.setdefault(part, []).append(rules)
    return [tuple(groups) for groups in by_part.values()]
