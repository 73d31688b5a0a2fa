"""Every object a sheet's reading makes is of its own class, frozen, not a draft (``auditor.source.draft``):
the readers fill drafts and then give each its class, the table rows' generated code included
(:mod:`auditor.readers.rows`), and one left a draft would still compare, print and report the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import attrs
import pytest

from auditor.readers import read_file, read_text
from auditor.testing.corpus import generate_sheet

EXAMPLES = sorted((Path(__file__).parent.parent / "examples" / "sheets").glob("*.txt"))


def _objects(obj: Any) -> Iterator[Any]:
    """Every object inside ``obj`` (its slots read as stored: a lazy source or text stays a tuple)."""
    yield obj
    if isinstance(obj, tuple):
        for x in obj:
            yield from _objects(x)
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            if f.name != "lines":
                yield from _objects(getattr(obj, f.name))


def _check(sheet: Any) -> int:
    seen = 0
    for obj in _objects(sheet):
        cls = type(obj)
        if attrs.has(cls):
            assert not cls.__name__.endswith("Draft") and cls.__module__ in ("auditor.model", "auditor.source"), cls
            name = attrs.fields(cls)[0].name
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(obj, name, getattr(obj, name))
            seen += 1
    return seen


@pytest.mark.parametrize("seed", range(12))
def test_a_generated_sheets_objects_are_of_their_classes(seed):
    generated = generate_sheet(seed)
    assert _check(read_text(generated.text, f"s{seed}.txt")) > 50


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_an_example_sheets_objects_are_of_their_classes(path):
    assert _check(read_file(path)) > 10
