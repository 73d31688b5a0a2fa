"""Rule expression trees are made of typed nodes (``auditor.engine.expr``): each kind a class with named
fields that is still the tuple ``(kind, *fields)`` it replaced.

The parse trees are compared with the trees the same grammar builds with plain tuples (as it did
before the node classes), on every expression of the built-in packs and on generated ones; a loaded
rule set's trees are typed all the way down, and come back from the pack cache and from the walks
that rebuild trees (bindings, interning) with the same items and the same classes.
"""

from __future__ import annotations

import copy
import pickle
from fractions import Fraction

import pytest
from hypothesis import given, settings

from auditor.engine import cache, expr, load_ruleset
from auditor.engine.bindings import expanded, substitute, unwrap
from auditor.engine.expr import (NODES, Attr, Bin, Call, Const, Let, List, Name, Node, Num, children, make, parse_expr,
                                 rebuild, tree_depth)
from auditor.engine.loader import intern_tree
from tests.test_expr_levels import expressions, pack_expressions

TREE_FIELDS = ("when", "assertion", "actual", "expected", "at", "related", "show_actual", "show_expected")


def typed(tree: object) -> None:
    """Assert that every node of ``tree`` is of its kind's class (tuples of arguments stay plain)."""
    if not isinstance(tree, tuple):
        return
    if tree and type(tree[0]) is str:
        assert type(tree) is NODES[tree[0]], (type(tree).__name__, tree[0])
        assert len(tree) == len(type(tree).fields) + 1
        assert [getattr(tree, name) for name in type(tree).fields] == list(tree[1:])
    else:
        assert type(tree) is tuple, type(tree).__name__
    for part in tree:
        typed(part)


def identical(a: object, b: object) -> bool:
    """Equal items *and* classes, all the way down (``==`` alone ignores the classes)."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return type(a) is type(b) and len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


_PLAIN = {"Num": "num", "Str": "str", "Const": "const", "List": "list", "Name": "name", "Attr": "attr",
          "Index": "index", "Call": "call", "Neg": "neg", "Not": "not", "Bin": "bin"}


def read_as_plain_tuples(text: str) -> tuple:
    """The tree the grammar builds when each node class is replaced by the plain tuple ``(kind, *fields)``,
    as the grammar built it before the classes (the parse actions look the classes up when they run)."""
    saved = {name: getattr(expr, name) for name in _PLAIN}
    try:
        for name, kind in _PLAIN.items():
            setattr(expr, name, lambda *fields, kind=kind: (kind, *fields))
        return expr._node(expr._grammar().parse_string(text, parse_all=True))
    finally:
        for name, cls in saved.items():
            setattr(expr, name, cls)


def count(tree: tuple) -> int:
    return 1 + sum(count(child) for child in children(tree))


def plain(tree: object) -> object:
    return tuple(plain(x) for x in tree) if isinstance(tree, tuple) else tree


@pytest.mark.parametrize("text", pack_expressions())
def test_every_pack_expression_parses_to_the_plain_tree_it_gave_with_typed_nodes(text):
    tree = parse_expr.__wrapped__(text)
    old = read_as_plain_tuples(text)
    assert identical(plain(tree), old)
    typed(tree)


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_generated_expressions_parse_to_the_plain_tree_with_typed_nodes(text):
    try:
        tree = parse_expr.__wrapped__(text)
    except expr.ExprSyntaxError:
        return
    assert identical(plain(tree), read_as_plain_tuples(text))
    typed(tree)


def test_a_node_reads_by_name_by_position_and_unpacks_as_the_tuple_it_replaced():
    node = Attr(Name("basis"), "items")
    assert node[0] == node.kind == "attr" and node[1] is node.obj and node[2] == node.name == "items"
    kind, obj, name = node
    assert (kind, obj, name) == ("attr", ("name", "basis"), "items") == node
    assert hash(node) == hash(("attr", ("name", "basis"), "items"))
    assert repr(node) == "Attr(Name('basis'), 'items')"
    assert node != Bin("attr", Name("basis"), "items")  # another kind, another tuple
    with pytest.raises(TypeError):
        Attr(Name("basis"))


def test_nodes_survive_copy_and_pickle_with_their_classes():
    tree = parse_expr("sum(basis.items[금액 > 1].금액) + -a == none and not [1, 'x']")
    for made in (copy.deepcopy(tree), copy.copy(tree), pickle.loads(pickle.dumps(tree))):
        assert identical(made, tree)


def test_make_and_rebuild_keep_the_kind_and_refuse_what_is_not_a_node():
    assert identical(make(["call", "sum", (Num(Fraction(1)),)]), Call("sum", (Num(Fraction(1)),)))
    for bad in (["nope", 1], ["name"], ["name", "a", "b"], [1, 2], []):
        with pytest.raises(ValueError):
            make(bad)
    assert identical(rebuild(Name("a"), ["name", "b"]), Name("b"))
    assert identical(rebuild((Name("a"),), [Name("b")]), (Name("b"),))
    assert set(NODES) == {"num", "str", "const", "list", "name", "attr", "index", "call", "neg", "not", "bin",
                          "let", "filter", "kfilter", "once", "iname", "tname", "sname", "pname"}
    assert all(issubclass(cls, Node) and cls.kind == kind for kind, cls in NODES.items())


def test_bindings_put_in_and_taken_out_keep_every_node_typed():
    bound = {"b": parse_expr("x + 1")}
    bound["c"] = substitute(parse_expr("b * b"), bound)
    tree = substitute(parse_expr("c - b == [b, none]"), bound)
    typed(tree)
    assert identical(tree.left.left, Let("c", bound["c"]))
    out = unwrap(tree)
    typed(out)
    assert identical(out, parse_expr("(x + 1) * (x + 1) - (x + 1) == [x + 1, none]"))
    assert expanded(tree) == (count(out), tree_depth(out)) == (17, 5)  # measured as written out
    assert identical(intern_tree(tree, {}), tree)
    shared = intern_tree(out, {})
    assert shared.left.left.left is shared.left.left.right  # equal subtrees are one object


def test_interning_keeps_a_node_apart_from_an_equal_plain_tuple():
    same: dict = {}
    assert type(intern_tree(("name", "x"), same)) is tuple
    assert type(intern_tree(Name("x"), same)) is Name
    assert type(intern_tree(List((Const(None),)), same).items) is tuple


@pytest.fixture(scope="module")
def fresh_rules():
    return load_ruleset(builtin=True)


def test_every_tree_of_the_built_in_packs_is_typed(fresh_rules):
    for rule in fresh_rules.rules:
        for field in TREE_FIELDS:
            typed(getattr(rule, field))
        for template in (rule.key, rule.message_ko, rule.message_en):
            for part in template.parts:
                if not isinstance(part, str):
                    typed(part)


def test_every_tree_comes_back_from_the_pack_cache_with_its_classes(fresh_rules):
    stored = cache.loads(cache.dumps((list(fresh_rules.rules), dict(fresh_rules.vocab), [])))
    rules = stored[0]
    assert len(rules) == len(fresh_rules.rules)
    for old, new in zip(fresh_rules.rules, rules):
        for field in TREE_FIELDS:
            assert identical(getattr(new, field), getattr(old, field)), (old.code, field)
        for name in ("key", "message_ko", "message_en"):
            assert identical(getattr(new, name).parts, getattr(old, name).parts), (old.code, name)


def test_a_cache_file_naming_an_unknown_node_kind_is_refused():
    good = cache.dumps((Name("x"),))
    assert identical(cache.loads(good), (Name("x"),))
    for bad in (good.replace(b'"name"', b'"nope"'), good.replace(b'"x"]', b'"x","y"]')):
        with pytest.raises(ValueError):
            cache.loads(bad)


def test_equal_nodes_are_written_once_and_read_back_as_one_object():
    tree = parse_expr("sum(a.b) + sum(a.b) * sum(a.b)")
    payload = cache.dumps((tree, tree.right))
    assert payload.count(b'"sum"') == 1
    back = cache.loads(payload)
    assert identical(back, (tree, tree.right))
    assert back[0].left is back[0].right.left is back[1].left


def test_a_reference_to_a_node_not_written_before_is_refused():
    for bad in (b'{"r":0}', b'{"t":[{"r":1},{"n":["name","x"]}]}', b'{"r":-1}', b'{"r":true}'):
        with pytest.raises(ValueError):
            cache.loads(bad)
