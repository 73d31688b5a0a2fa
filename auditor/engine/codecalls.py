"""How ``codegen.py`` writes the builtins a rule calls, and the rounding intervals of ``compare =
"rounding"`` and ``approx()``: each as the evaluator computes it (``builtins.py``, ``values.py``)."""

from __future__ import annotations

from collections.abc import Callable

from auditor.engine import builtins as _b
from auditor.engine import coderuntime as _rt
from auditor.engine import documents as _documents
from auditor.engine.codewriter import BOOL, NUM, STR, Unsupported, V, Writer, _bare, _keyed, _list, field_of


class Calls(Writer):
    """The writer of expressions, with builtins and intervals."""

    #: A cross rule's ``when`` written as its conjuncts, each tested where it is computed
    #: (:func:`auditor.engine.codegen._when_conjuncts`), and ``first(list[condition] + other)`` as a scan
    #: (:meth:`first_of_sum`); False writes both as the three-valued chain and lists they stand for (the
    #: reference they are held to, tests/test_crossdoc_screen_code.py).
    flat = True

    # --- builtins -------------------------------------------------------------------------------

    def e_call(self, node: tuple) -> V:
        _, name, args = node
        method = getattr(self, f"b_{name}", None)
        if method is None:
            raise Unsupported(f"function {name}()")
        return method(args)

    def args(self, args: tuple) -> list[V]:
        return [self.emit(a) for a in args]

    def a_list(self, v: V) -> V:
        if v.t[0] != "list":
            raise Unsupported("a list was expected")
        return v

    def b_sum(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        if items.t[1] != NUM:
            raise Unsupported("a sum of a list that is not numbers")
        return self.assign(f"None if {items.x} is None or None in {items.x} else sum({items.x})", NUM)

    def b_count(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        return self.assign(f"None if {items.x} is None else len({items.x})", NUM, exact=True)

    def b_first(self, args: tuple) -> V:
        node = _bare(args[0])
        home = self.enclosing(node)
        if home is not None:
            return home
        if node[0] in ("filter", "kfilter") and (self.binders or self.hoisting or _keyed(node[:3]) is None):
            return self.first_match(node)
        if node[0] == "bin" and node[1] == "+" and self.rule.cross and self.flat:
            found = self.first_of_sum(node[2], node[3])
            if found is not None:
                return found
        (items,) = self.args(args)
        self.a_list(items)
        return self.assign(f"None if {items.x} is None or not {items.x} else {items.x}[0]", items.t[1])

    def first_match(self, node: tuple) -> V:
        """``first(list[condition])`` as a scan that stops at the first item the condition holds for
        (CALC002's and RATE003's first line of the sheet in document order): the same item as the
        filter's first, without the condition on the items after it; the steps counted are the
        filter's (the whole list)."""
        obj, out = self._scan(node, "None")
        return V(out, obj.t[1])

    def _scan(self, node: tuple, unfound: str) -> tuple[V, str]:
        """The loop of :meth:`first_match` and :meth:`first_of_sum` over ``node`` (a filter ``list[condition]``):
        the list's value and the local that holds its first item the condition holds for, ``unfound``
        (the text of a value) when none does or the list is missing; the steps counted are the filter's."""
        obj = self.emit(node[1])
        if obj.t[0] != "list":
            raise Unsupported("a filter of a value that is not a list")
        self.before_loop(node[2])
        out, x = self.tmp(), self.tmp("x")
        self.line(f"{out} = {unfound}")
        with self.block(f"if {obj.x} is not None:"):
            self.count(f"len({obj.x})", obj.own)
            with self.block(f"for {x} in {obj.x}:"):
                self.binders.append(self.binder(x, obj))
                try:
                    test = self.true_test(node[2])
                finally:
                    self.binders.pop()
                with self.block(f"if {test}:"):
                    self.line(f"{out} = {x}")
                    self.line("break")
        return obj, out

    def first_of_sum(self, left: tuple, right: tuple) -> V | None:
        """``first(list[condition] + other)`` (the cross rules' ``first(named[금액 == this.금액] + named)``: a
        row of the same amount first, else the first row of the name) without either list made: a scan of
        ``list`` that stops at the first item the condition holds for (as :meth:`first_match`, its steps
        the filter's), else ``other``'s first item; missing when either list is. None (nothing written)
        when the filter is not one written item by item (an index) or was computed already."""
        left = _bare(left)
        if left[0] == "kfilter":
            left = ("filter", left[1], left[2])
        if left[0] != "filter" or not (self.binders or self.hoisting or _keyed(left) is None):
            return None
        if self._parent_keyed(left) is not None or self.known(self.memo_key(left)) is not None:
            return None
        state = self.state()
        try:
            obj, found = self._scan(left, "UNSET")
            rest = self.a_list(self.emit(right))
            t = self._join_types([obj.t[1], rest.t[1]])
            missing = self.missing(obj) if rest.x == obj.x else self.missing(obj, rest)
            return self.assign(f"None if {missing} else ({found} if {found} is not UNSET else "
                               f"{rest.x}[0] if {rest.x} else None)", t)
        except Unsupported:
            self.restore(state)
            return None

    def b_known(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        return self.assign(f"None if {items.x} is None else [a for a in {items.x} if a is not None]", items.t)

    def b_each(self, args: tuple) -> V:
        items = self.a_list(self.emit(args[0]))
        self.before_loop(args[1])
        out = self.tmp()
        with self.each_item(items, out, "[]"):
            body = self.emit(args[1])
            self.line(f"{out}.append({body.x})")
        return V(out, _list(body.t))

    def _flags(self, name: str, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        if items.t[1] != BOOL:
            raise Unsupported(f"{name}() of a list that is not truth values")
        return self.assign(f"None if {items.x} is None else {name}(a for a in {items.x} if a is not None)", BOOL)

    def b_any(self, args: tuple) -> V:
        return self._flags("any", args)

    def b_all(self, args: tuple) -> V:
        return self._flags("all", args)

    def b_abs(self, args: tuple) -> V:
        (x,) = self.args(args)
        self.number(x)
        return self.assign(f"None if {x.x} is None else abs({x.x})", NUM, exact=x.exact)

    def _extreme(self, name: str, args: tuple) -> V:
        values = self.args(args)
        if len(values) == 1:
            items = self.a_list(values[0])
            if items.t[1] != NUM:
                raise Unsupported(f"{name}() of a list that is not numbers")
            return self.assign(f"None if {items.x} is None or not {items.x} or None in {items.x} else {name}({items.x})",
                               NUM)
        for v in values:
            self.number(v)
        missing = self.missing(*values)
        return self.assign(f"None if {missing} else {name}({', '.join(v.x for v in values)})", NUM,
                           exact=all(v.exact for v in values))

    def b_min(self, args: tuple) -> V:
        return self._extreme("min", args)

    def b_max(self, args: tuple) -> V:
        return self._extreme("max", args)

    def _rounding(self, fn: Callable, name: str, args: tuple) -> V:
        values = [self.number(v) for v in self.args(args)]
        helper = self.helper(fn, name)
        missing = self.missing(*values)
        places = f"int({values[1].x})" if len(values) > 1 else "0"
        return self.assign(f"None if {missing} else {helper}({values[0].x}, {places})", NUM, exact=True)

    def b_trunc(self, args: tuple) -> V:
        return self._rounding(_b.trunc_places, "trunc_places", args)

    def b_round(self, args: tuple) -> V:
        return self._rounding(_b.round_places, "round_places", args)

    def b_places(self, args: tuple) -> V:
        (x,) = self.args(args)
        if x.amount is None:
            raise Unsupported("places() of a number not read as an amount")
        fn = self.helper(_rt._places, "places")
        return self.assign(f"None if {x.amount} is None else {fn}({x.amount})", NUM, exact=True)

    def b_approx(self, args: tuple) -> V:
        a, b = (self.interval(x) for x in args)
        return self.meets(a, b)

    def rate_text(self) -> str:
        """The summary header's rate formula text, read once per sheet."""
        cell = self.cells.get(("rate text",))
        if cell is None:
            cell = self.cells[("rate text",)] = self.tmp("h")
        fn = self.helper(_rt._rate_text, "rate_text")
        if self.known(("#rate text",)) is None:  # (read already where the code can see it)
            with self.block(f"if {cell} is UNSET:"):
                self.line(f"{cell} = {fn}(sheet)")
            self.memo[-1][("#rate text",)] = V(cell, STR, ref="cell")
        return cell

    def b_rate(self, args: tuple) -> V:
        a, b = (self.number(v) for v in self.args(args))
        text = self.rate_text()
        fn = self.helper(_rt._rate, "rate")
        return self.assign(f"None if {a.x} is None or {b.x} is None or {text} is None else {fn}({text}, {a.x}, {b.x})",
                           NUM, exact=True)

    def b_rate_formula_ok(self, args: tuple) -> V:
        text = self.rate_text()
        fn = self.helper(_b._formula_tree, "formula_tree")
        return self.assign(f"None if {text} is None else {fn}({text}) is not None", BOOL)

    def b_rate_convention(self, args: tuple) -> V:
        stated, computed = (self.number(v) for v in self.args(args))
        if stated.amount is None:
            raise Unsupported("rate_convention() of a rate not read as an amount")
        fn = self.helper(_rt._rate_convention, "rate_convention")
        return self.assign(f"None if {stated.x} is None or {computed.x} is None else "
                           f"{fn}({stated.x}, {stated.amount}, {computed.x})", STR)

    def b_norm(self, args: tuple) -> V:
        (s,) = self.args(args)
        if s.t != STR:
            raise Unsupported("norm() of a value that is not text")
        fn = self.helper(_b.normalize, "normalize")
        return self.assign(f"None if {s.x} is None else {fn}({s.x})", STR)

    def b_vocab(self, args: tuple) -> V:
        if args[0][0] != "str":
            raise Unsupported("vocab() of a name that is not a string")
        return self.const(tuple(self.vocab.get(args[0][1], ())), _list(STR), "vocab")

    def b_vocab_name(self, args: tuple) -> V:
        if args[0][0] != "str":
            raise Unsupported("vocab_name() of a name that is not a string")
        codes = self.ns.const(dict(self.vocab.get(args[0][1] + _b.CODES, ())), "codes")
        code = self.emit(args[1])
        if code.t != STR:
            raise Unsupported("vocab_name() of a code that is not text")
        return self.assign(f"None if {code.x} is None else {codes}.get({code.x}.strip())", STR)

    def b_overlaps(self, args: tuple) -> V:
        a, b = (self.a_list(v) for v in self.args(args))
        if a.t[1] not in (STR, NUM) or b.t[1] not in (STR, NUM):
            raise Unsupported("overlaps() of lists that are not text or numbers")
        return self.assign(f"None if {a.x} is None or {b.x} is None else not set({a.x}).isdisjoint({b.x})", BOOL)

    @staticmethod
    def _own(v: V, attr: str) -> str | None:
        """The local of the object ``v`` was read from, when ``v`` is its attribute ``attr`` (the
        formula or the label of a 산출근거 line, whose ``calc`` the reader may have filled)."""
        return v.owner if v.owner is not None and v.attr == attr else None

    def b_formula_won(self, args: tuple) -> V:
        (text,) = self.args(args)
        if text.t != STR:
            raise Unsupported("formula_won() of a value that is not text")
        fn = self.helper(_rt._formulas._value, "formula_value")
        owner = self._own(text, "formula")
        if owner is not None:
            calc = self.tmp("c")
            self.line(f"{calc} = getattr({owner}, 'calc', None)")
            return self.assign(f"None if {text.x} is None else ({fn}({text.x}) if {calc} is None else {calc}.value)",
                               NUM, exact=True)
        return self.assign(f"None if {text.x} is None else {fn}({text.x})", NUM, exact=True)

    def _formula_error(self, args: tuple, english: bool) -> V:
        # the first present argument, each of the others read only when those before it are missing
        # (the label of a 산출근거 line is read only when it has no formula)
        values = [self.emit(args[0])]
        if values[0].t != STR:
            raise Unsupported("formula_error() of a value that is not text")
        first = values[0].x
        if len(args) > 1:
            first = self.assign(values[0].x, STR).x
            for arg in args[1:]:
                with self.block(f"if {first} is None:"):
                    v = self.emit(arg)
                    if v.t != STR:
                        raise Unsupported("formula_error() of a value that is not text")
                    self.line(f"{first} = {v.x}")
                values.append(v)
        fn = self.helper(_rt._error_reason_en if english else _rt._error_reason, "error_reason_en" if english else "error_reason")
        owners = [self._own(values[0], "formula")] + [self._own(v, "label") for v in values[1:2]]
        if len(values) == 2 and owners[0] is not None and owners[0] == owners[1]:
            calc = self.tmp("c")
            self.line(f"{calc} = getattr({owners[0]}, 'calc', None)")
            pick = "reason_en" if english else "reason"
            return self.assign(f"None if {first} is None else ({fn}({first}) if {calc} is None else "
                               f"(None if {calc}.attempt is None else {calc}.attempt[1].{pick}))", STR)
        return self.assign(f"None if {first} is None else {fn}({first})", STR)

    def b_formula_error(self, args: tuple) -> V:
        return self._formula_error(args, False)

    def b_formula_error_en(self, args: tuple) -> V:
        return self._formula_error(args, True)

    def b_calc_conventions(self, args: tuple) -> V:
        computed, stated = (self.number(v) for v in self.args(args))
        if stated.amount is None:
            raise Unsupported("calc_conventions() of a stated value not read as an amount")
        fn = self.helper(_rt._calc_conventions, "calc_conventions")
        # an amount equal to its formula's value (most of them) has no conventions: no call for it
        return self.assign(f"None if {computed.x} is None or {stated.x} is None or {computed.x} == {stated.x} else "
                           f"{fn}({computed.x}, {stated.x}, {stated.amount}.unit)", _list(STR))

    def b_document_order(self, args: tuple) -> V:
        (items,) = self.args(args)
        self.a_list(items)
        if items.t[1][0] != "obj":
            raise Unsupported("document_order() of values that are not model objects")
        fn = self.helper(_rt._object_position, "position")
        self.count(f"0 if {items.x} is None else len({items.x})", items.own)
        return self.assign(f"None if {items.x} is None else sorted({items.x}, key={fn})", items.t)

    def b_in_force(self, args: tuple) -> V:
        values = self.args(args)
        items = self.a_list(values[0])
        if items.t[1][0] != "obj" or (len(values) > 1 and values[1].t != STR):
            raise Unsupported("in_force() of values that are not lines, or of a version that is not text")
        fn = self.helper(_documents.in_force, "in_force")
        if len(values) == 1:
            return self.assign(f"None if {items.x} is None else {fn}({items.x})", items.t)
        version = values[1]
        return self.assign(f"None if {self.missing(items, version)} else {fn}({items.x}, {version.x})", items.t)

    def b_budget_version(self, args: tuple) -> V:
        (text,) = self.args(args)
        if text.t != STR:
            raise Unsupported("budget_version() of a value that is not text")
        fn = self.helper(_documents.budget_version, "budget_version")
        return self.assign(f"{fn}({text.x})", STR, never_none=True)

    def b_label_key(self, args: tuple) -> V:
        (s,) = self.args(args)
        if s.t != STR:
            raise Unsupported("label_key() of a value that is not text")
        fn = self.helper(_documents.label_key, "label_key")
        return self.assign(f"None if {s.x} is None else {fn}({s.x})", STR)

    def b_file(self, args: tuple) -> V:
        (x,) = self.args(args)
        if x.t[0] == "obj":
            fn = self.helper(_documents.file_of, "file_of")
            return self.assign(f"None if {x.x} is None else {fn}({x.x})", STR)
        if x.t == NUM and x.amount is not None:
            return self.assign(f"None if {x.amount} is None else {x.amount}.source.path", STR)
        raise Unsupported("file() of a value not read from a document")

    # --- rounding intervals -------------------------------------------------------------------

    def interval(self, node: tuple) -> tuple[str, str, str, str, str]:
        """``(value, lo, hi, lo_closed, hi_closed)`` locals of ``node``'s value and its deviation
        interval (values.Num's arithmetic); the value is None when missing."""
        kind = node[0]
        if kind == "once":
            return self.interval(node[1])
        if kind == "bin" and node[1] in ("+", "-"):
            a, b = self.interval(node[2]), self.interval(node[3])
            v = self.tmp()
            if node[1] == "+":
                self.line(f"{v} = None if {a[0]} is None or {b[0]} is None else {a[0]} + {b[0]}")
                return v, f"({a[1]} + {b[1]})", f"({a[2]} + {b[2]})", f"({a[3]} and {b[3]})", f"({a[4]} and {b[4]})"
            self.line(f"{v} = None if {a[0]} is None or {b[0]} is None else {a[0]} - {b[0]}")
            return v, f"({a[1]} - {b[2]})", f"({a[2]} - {b[1]})", f"({a[3]} and {b[4]})", f"({a[4]} and {b[3]})"
        if kind == "neg":
            a = self.interval(node[1])
            v = self.tmp()
            self.line(f"{v} = None if {a[0]} is None else -{a[0]}")
            return v, f"(-{a[2]})", f"(-{a[1]})", a[4], a[3]
        if kind == "call" and node[1] == "sum" and node[2][0][0] == "attr":
            return self.interval_sum(node[2][0])
        value = self.emit(node)
        self.number(value)
        if value.amount is not None:
            h = self.tmp("hv")
            self.line(f"{h} = 0 if {value.amount} is None else {value.amount}.half")
            return value.x, f"(-{h})", h, "True", "False"
        if value.exact:
            return value.x, "0", "0", "True", "True"
        raise Unsupported("the rounding interval of a computed value")

    def interval_sum(self, proj: tuple) -> tuple[str, str, str, str, str]:
        """``sum(items.amount)`` with the sum of the items' half-units: each term ``[v - h, v + h)``."""
        items = self.emit(proj[1])
        if items.t[0] != "list" or items.t[1][0] != "obj":
            raise Unsupported("a sum that is not of amounts of model objects")
        f = field_of(items.t[1][1], proj[2])
        if f.how != "amount":
            raise Unsupported("a sum that is not of amounts")
        v, h, n, x = self.tmp(), self.tmp("hv"), self.tmp("n"), self.tmp("x")
        self.line(f"{v} = None if {items.x} is None else 0")
        self.line(f"{h} = 0")
        self.line(f"{n} = 0")
        with self.block(f"if {v} is not None:"):
            self.count(f"len({items.x})", items.own)
            with self.block(f"for {x} in {items.x}:"):
                a = self.tmp("r")
                self.line(f"{a} = None if {x} is None else {x}.{f.attr}")
                with self.block(f"if {a} is None:"):
                    self.line(f"{v} = None")
                    self.line("break")
                self.line(f"{v} += {a}.exact")
                self.line(f"{h} += {a}.half")
                self.line(f"{n} += 1")
        return v, f"(-{h})", h, "True", f"({n} == 0)"

    def meets(self, a: tuple, b: tuple) -> V:
        """values.meets: the intervals of ``a`` (actual) and ``b`` (expected) can meet."""
        x, lo, hi = self.tmp(), self.tmp(), self.tmp()
        out = self.tmp()
        self.line(f"{out} = None")
        with self.block(f"if {a[0]} is not None and {b[0]} is not None:"):
            self.line(f"{x} = {b[0]} - {a[0]}")
            self.line(f"{lo} = {a[1]} - {b[2]}")
            self.line(f"{hi} = {a[2]} - {b[1]}")
            self.line(f"{out} = ({lo} < {x} or ({lo} == {x} and {a[3]} and {b[4]})) and "
                      f"({x} < {hi} or ({hi} == {x} and {a[4]} and {b[3]}))")
        return V(out, BOOL)
