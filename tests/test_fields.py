"""The shared attrs converters: a field with ``to_tuple`` or ``to_frozenset`` converts as
``converter=tuple`` / ``frozenset`` did, in every class that uses them, and the generated
``__init__`` calls the builtin itself (no wrapper in between), as does the written-out ``__init__`` of
a model class."""

from __future__ import annotations

import importlib
import inspect

import attrs
import pytest

from auditor.fields import to_frozenset, to_tuple

MODULES = ["auditor.model", "auditor.discovery", "auditor.engine.doc", "auditor.engine.ruleset", "auditor.findings",
           "auditor.result"]


def converted_fields():
    for name in MODULES:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == name:
                for field in attrs.fields(cls):
                    if field.converter is to_tuple or field.converter is to_frozenset:
                        yield cls, field


def test_every_module_uses_the_shared_converters_and_none_the_builtins_directly():
    fields = list(converted_fields())
    assert len(fields) >= 40
    for name in MODULES:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == name:
                assert all(f.converter not in (tuple, frozenset) for f in attrs.fields(cls)), cls


@pytest.mark.parametrize(("cls", "field"), list(converted_fields()), ids=lambda x: getattr(x, "__name__", getattr(x, "name", "")))
def test_a_list_given_is_kept_as_the_builtin_makes_it(cls, field):
    builtin = tuple if field.converter is to_tuple else frozenset
    if not hasattr(attrs, "Converter"):
        pytest.skip("attrs before 24.1 takes the builtin itself")
    if f"__attr_converter_{field.name}" not in cls.__init__.__globals__:  # written out (auditor.model)
        assert f"{builtin.__name__}({field.name})" in inspect.getsource(cls.__init__)
        return
    assert cls.__init__.__globals__[f"__attr_converter_{field.name}"] is builtin  # called directly, no wrapper
    assert f"__attr_converter_{field.name}({field.name})" in inspect.getsource(cls.__init__)



def test_model_classes_made_with_lists_hold_tuples():
    from auditor.model import Basis, BasisCategory, Sheet, Summary

    sheet = Sheet(path="x.txt", purpose=[], notes=iter(()), lines=["a", "b"],
                  basis=Basis(categories=[BasisCategory(name=None, groups=[])]), summary=Summary(rows=[]))
    assert sheet.lines == ("a", "b") and type(sheet.purpose) is tuple and sheet.notes == ()
    assert type(sheet.basis.categories) is tuple and sheet.basis.categories[0].groups == ()
    assert sheet.summary.rows == ()
