"""What a cross-document rule sees of a project besides the document it checks: ``사업`` (``project``).

A project is matched across documents by its identity (:mod:`auditor.crossdoc.identity`): the
사업설명서 sheets and the e호조 units of the same 사업명/세부사업명, 부서 and 회계. The cross pass
(:mod:`auditor.crossdoc.cross`) hands each rule one :class:`Project` with every document of it, in
year order, each rebuilt from the index as ordinary model objects, so every value still knows its
file, line and column.
"""

from __future__ import annotations

from auditor.model import KoreanKeys, Sheet
from auditor.plain import Field, Frozen, frozen

__all__ = ["Project", "ROOT_NAME", "ROOT_ALIAS"]

_set = object.__setattr__

#: The rule language's name for the project of the document being checked (always this meaning) …
ROOT_NAME = "사업"
#: … and its English spelling, which means the project unless the element in scope has a field of
#: that name (an e호조 통계목's ``project``, its 세부사업), which it then names as before.
ROOT_ALIAS = "project"


class Project(KoreanKeys, Frozen):
    """The documents of one project, each a :class:`~auditor.model.Sheet` as the cross pass rebuilt it.

    ``sheets`` are its 사업설명서, ``exports`` its e호조 units (one per run of the project's rows in
    an export), each list ordered by 예산연도, then path, then line. The document being checked is
    in one of them.
    """

    __slots__ = ("sheets", "exports", "__weakref__")
    sheets: tuple[Sheet, ...]
    exports: tuple[Sheet, ...]

    def __init__(self, sheets: tuple[Sheet, ...] = (), exports: tuple[Sheet, ...] = ()) -> None:
        _set(self, "sheets", tuple(sheets))
        _set(self, "exports", tuple(exports))


#: Written out (auditor.plain), where attrs.frozen compiled its methods at every import;
#: tests/test_plain.py holds it to its attrs declaration.
frozen(Project, Field("sheets", "사업설명서", default=(), seq=True), Field("exports", "e호조", default=(), seq=True))
