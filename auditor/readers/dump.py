"""Turn a Sheet into plain JSON-ready data: the stable shape that ``auditor parse --format json`` prints."""

from __future__ import annotations

from decimal import Decimal

from auditor.model import Problem, Sheet
from auditor.plain import fields, has
from auditor.readers.problems import BY_CODE
from auditor.source import Amount, Source, Text, Year

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Bumped when the shape changes in a way that breaks readers of the JSON.
SCHEMA = "auditor.sheet/2"


def _value(v: int | Decimal) -> int | str:
    return str(v) if isinstance(v, Decimal) else v


def _source(s: Source) -> dict[str, Any]:
    return {"line": s.line, "column": s.column, "text": s.text}


def to_data(obj: Any) -> Any:
    """Amount → {value, unit, line, column, text}; Text, Year → {value, line, column, text}; Decimal → str."""
    if isinstance(obj, Amount):
        return {"value": _value(obj.value), "unit": obj.unit, **_source(obj.source)}
    if isinstance(obj, (Text, Year)):
        return {"value": obj.value, **_source(obj.source)}
    if isinstance(obj, Source):
        return _source(obj)
    if isinstance(obj, Problem):
        kind = BY_CODE.get(obj.code)
        return {"code": obj.code, "name": kind.name if kind else "", "message_ko": obj.message_ko,
                "message_en": obj.message_en, **_source(obj.source)}
    if isinstance(obj, Sheet):
        data = {"schema": SCHEMA, "path": obj.path, "encoding": obj.encoding, "line_count": len(obj.lines)}
        data.update({f.name: to_data(getattr(obj, f.name)) for f in fields(Sheet)
                     if f.name not in ("path", "encoding", "lines", "first_line")})
        if obj.first_line != 1:  # one of several sheets of one file
            data["first_line"] = obj.first_line
        return data
    if has(type(obj)):  # ``calc`` is worked out from the line's own text: not part of the shape
        return {f.name: to_data(getattr(obj, f.name)) for f in fields(type(obj)) if f.name != "calc"}
    if isinstance(obj, (tuple, list)):
        return [to_data(x) for x in obj]
    if isinstance(obj, Decimal):
        return str(obj)
    return obj
