"""Formula errors that show the text and a caret under the offending column."""

from __future__ import annotations


def caret_line(text: str, column: int) -> str:
    """Blanks (tabs kept, Hangul counted double) then ``^`` under 1-based *column* of *text*."""
    from wcwidth import wcwidth  # only a shown error needs it: not imported when nothing fails

    pad = []
    for char in text[: max(column - 1, 0)]:
        if char == "\t":
            pad.append("\t")
        else:
            pad.append(" " * max(wcwidth(char), 1))
    return "".join(pad) + "^"


class FormulaError(ValueError):
    """A formula that cannot be read or computed, with where and why (Korean first)."""

    kind_ko = "산출근거식 오류"
    kind_en = "formula error"

    def __init__(self, text: str, column: int, reason: str, reason_en: str) -> None:
        self.text = text
        self.column = column
        self.reason = reason
        self.reason_en = reason_en
        super().__init__(text, column, reason, reason_en)

    def __str__(self) -> str:
        head = f"{self.kind_ko}: {self.reason} ({self.kind_en}: {self.reason_en}), {self.column}열"
        if not self.text and isinstance(self, FormulaEvaluationError):
            return head
        return f"{head}\n{self.text}\n{caret_line(self.text, self.column)}"

    def __reduce__(self):
        return (type(self), (self.text, self.column, self.reason, self.reason_en))


class FormulaSyntaxError(FormulaError):
    """The text looks like a formula but does not follow the grammar (docs/grammar.md)."""

    kind_ko = "산출근거식 구문 오류"
    kind_en = "formula syntax error"


class FormulaEvaluationError(FormulaError):
    """The formula parses but has no value, such as a division by zero.

    ``text`` is empty when the error comes from :func:`evaluate` on a bare AST;
    ``column`` is still the column of the operator in the parsed text.
    """

    kind_ko = "산출근거식 계산 오류"
    kind_en = "formula evaluation error"
