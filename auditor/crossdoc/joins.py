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

import attrs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal, Union

__all__ = ["Part", "Field", "Fields", "Match", "Prefer", "InForce", "Join", "Step"]


@attrs.frozen
class Part:
    """A value of the element's walk: ``fn(field)`` of the element (``up`` 0: ``this``), of its parent (1:
    ``parent``), or of the list that holds its parent (2: ``first(sheet.산출근거.통계목[parent in 내역])``, the
    walk's grandparent, by :data:`auditor.crossdoc.screen.ONE_HOME`). ``fn`` is ``"norm"``, ``"label_key"`` or
    None (the field's value as read). ``field`` is the rule language's name (``"내역"``, ``"금액"``, ``"통계목"``)."""

    up: int
    field: str
    fn: str | None = None


@attrs.frozen
class Field:
    """A step to a field of every row of the table (a list field is flattened, as the language reads
    ``X.산출근거.통계목`` over several documents): ``name`` in the rule language."""

    name: str


@attrs.frozen
class Fields:
    """``X.a + X.b + …`` of one row ``X`` (``eho_group.세부내역 + eho_group.유지세부내역``): the lists joined in
    this order."""

    names: tuple[str, ...]


@attrs.frozen
class Match:
    """A filter ``[fn(x.field) == fn(ctx)]`` of the table: lifted (the table grouped by ``fn(x.field)``, the
    element's key gaining ``fn(ctx)``). The final step of an ``exists`` join, and the step before the final
    :class:`Prefer` of a ``counterpart`` join, have ``ctx.up == 0``."""

    field: str
    fn: str | None
    ctx: Part


@attrs.frozen
class Prefer:
    """``first(N[field == ctx] + N)`` of the rows ``N`` the step before (a :class:`Match`) leaves: lifted as
    the first row of each key with that ``field`` (``금액``), the element's key gaining ``ctx``'s value."""

    field: str
    ctx: Part


@attrs.frozen
class InForce:
    """``in_force(rows, version)``: the rows in force at ``version``, an expression of the document alone (its
    tree, as the rule holds it: ``budget_version(sheet.사업명)``), applied to each group of the table as the
    function applies it to the list the rule's filters leave (the rows of every 통계목 of one ``norm()`` key,
    in order)."""

    version: tuple


if TYPE_CHECKING:
    Step = Union[Field, Fields, Match, Prefer, InForce]
else:
    Step = object


@attrs.frozen
class Join:
    """One rule in its set form: over ``over`` (the rule's path, ``"basis.categories.groups"``), with the
    document-level ``guards``, the table from ``collection``'s documents of the document's year
    (``사업.<collection>[예산연도 == sheet.예산연도]``) through ``steps``, and ``kind`` ``"exists"`` or
    ``"counterpart"`` (then ``compare`` names the field ``actual``/``expected`` compare, the last
    :class:`Prefer`'s)."""

    code: str
    over: str
    guards: tuple[tuple, ...]
    collection: str
    steps: tuple[Step, ...]
    kind: Literal["exists", "counterpart"]
    compare: str | None = None

    @property
    def element_key(self) -> tuple[Part, ...]:
        """The element's key, in the order of the table's lifted steps."""
        return tuple(s.ctx for s in self.steps if isinstance(s, (Match, Prefer)))

    @property
    def row_key(self) -> tuple[tuple[str, str | None], ...]:
        """The table's lifted (field, fn) pairs, in the same order (a :class:`Prefer` compares the raw value)."""
        return tuple((s.field, s.fn if isinstance(s, Match) else None) for s in self.steps
                     if isinstance(s, (Match, Prefer)))
