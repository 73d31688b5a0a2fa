"""schema._hints (each class's annotations evaluated as one expression) against typing.get_type_hints: the
same hints for every model class the rules may read, and for the kinds of annotation it leaves to
get_type_hints (typing's aliases, quoted names inside, a name that is not defined), with names looked up
where get_type_hints looks them up (the module's first, then the class's). A class variable (ClassVar) is
not a field: _hints leaves it out, and the model's modules import ClassVar (as every name of typing) for type
checkers only (auditor.hints), so get_type_hints is given typing's names as a type checker sees them."""

from __future__ import annotations

import sys
import typing
from typing import Any, ClassVar, Optional

import pytest

from auditor import model
from auditor.crossdoc import model as cross_model
from auditor.engine import schema
from auditor.findings import Finding
from auditor.result import CheckedFile

Shadowed = int  # the class below has its own Shadowed: get_type_hints reads the module's


def _classes() -> list[type]:
    found = [Finding, CheckedFile]
    for module in (model, cross_model):
        found += [c for c in vars(module).values() if isinstance(c, type) and c.__module__ == module.__name__]
    return found


def _get_type_hints(cls: type, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``typing.get_type_hints(cls)`` with typing's names where a type checker sees them (``if TYPE_CHECKING:``),
    without its class variables."""
    for base in cls.__mro__:
        module = sys.modules[base.__module__]
        for name in ("Any", "ClassVar", "Optional", "Union"):
            if name not in vars(module):
                monkeypatch.setattr(module, name, getattr(typing, name), raising=False)
    return {name: hint for name, hint in typing.get_type_hints(cls).items() if typing.get_origin(hint) is not ClassVar}


@pytest.mark.parametrize("cls", _classes(), ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_the_hints_of_every_model_class_are_get_type_hints(cls, monkeypatch):
    schema._hints.cache_clear()
    try:
        expected = _get_type_hints(cls, monkeypatch)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            schema._hints(cls)
        return
    assert schema._hints(cls) == expected


class Plain:
    a: int
    b: str | None
    c: tuple[model.Amount, ...]
    d: dict[str, tuple[int, int]]
    e: None
    f: Any
    g: Shadowed
    Shadowed = str


class Fallbacks:
    a: ClassVar[int] = 1
    b: Optional[int]
    c: list[Plain]
    d: typing.Mapping[str, int]


class Quoted:
    a: "tuple['Plain', ...]"


class Undefined:
    a: NoSuchName  # noqa: F821


class Child(Plain):
    h: int | None
    a: bool  # overrides the base's


@pytest.mark.parametrize("cls", [Plain, Fallbacks, Quoted, Child], ids=lambda c: c.__name__)
def test_each_kind_of_annotation_is_as_get_type_hints_gives_it(cls, monkeypatch):
    schema._hints.cache_clear()
    assert schema._hints(cls) == _get_type_hints(cls, monkeypatch)


def test_a_class_variable_is_not_a_hint():
    schema._hints.cache_clear()
    assert "a" not in schema._hints(Fallbacks) and "COLUMNS" not in schema._hints(model.SettlementRow)
    assert "a" in typing.get_type_hints(Fallbacks)  # get_type_hints gives it: typing.ClassVar[int]


def test_the_module_s_names_come_before_the_class_s():
    schema._hints.cache_clear()
    assert schema._hints(Plain)["g"] is int  # as get_type_hints: not the class's own Shadowed


def test_a_name_that_is_not_defined_raises_as_get_type_hints_does():
    schema._hints.cache_clear()
    with pytest.raises(NameError):
        typing.get_type_hints(Undefined)
    with pytest.raises(NameError):
        schema._hints(Undefined)
