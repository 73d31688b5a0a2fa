"""What a cross-document rule sees of a project besides the document it checks: ``사업`` (``project``).

A project is matched across documents by its identity (:mod:`auditor.crossdoc.identity`): the
사업설명서 sheets and the e호조 units of the same 사업명/세부사업명, 부서 and 회계. The cross pass
(:mod:`auditor.crossdoc.cross`) hands each rule one :class:`Project` with every document of it, in
year order, each rebuilt from the index as ordinary model objects, so every value still knows its
file, line and column.
"""

from __future__ import annotations

import attrs

from auditor.fields import to_tuple
from auditor.model import KoreanKeys, Sheet, ko

__all__ = ["Project", "ROOT_NAME", "ROOT_ALIAS"]

#: The rule language's name for the project of the document being checked (always this meaning) …
ROOT_NAME = "사업"
#: … and its English spelling, which means the project unless the element in scope has a field of
#: that name (an e호조 통계목's ``project``, its 세부사업), which it then names as before.
ROOT_ALIAS = "project"


@attrs.frozen
class Project(KoreanKeys):
    """The documents of one project, each a :class:`~auditor.model.Sheet` as the cross pass rebuilt it.

    ``sheets`` are its 사업설명서, ``exports`` its e호조 units (one per run of the project's rows in
    an export), each list ordered by 예산연도, then path, then line. The document being checked is
    in one of them.
    """

    sheets: tuple[Sheet, ...] = ko("사업설명서", default=(), converter=to_tuple)
    exports: tuple[Sheet, ...] = ko("e호조", default=(), converter=to_tuple)
