"""The one error a rule pack can raise, and the warning it can give: each names the pack file, line and column."""

from __future__ import annotations

from auditor.plain import Field, Frozen, frozen

__all__ = ["MAX_STEPS", "OverBudget", "PackWarning", "RulePackError"]

_set = object.__setattr__  # PackWarning is written out (auditor.plain): tests/test_plain.py

#: The most steps one rule may take on one sheet: elements, and items walked by the lists, filters,
#: each() and sums of its expressions, counted alike by the generated code and by the evaluator.
#: Past it the rule stops on that sheet with one finding that names the rule as the cause.
MAX_STEPS = 2_000_000


class OverBudget(Exception):
    """A rule that took more than :data:`MAX_STEPS` steps on one sheet."""


class RulePackError(Exception):
    """A rule pack that cannot be used: ``str()`` is ``path:line:col: message``.

    Raised at load time for TOML syntax, unknown keys or names, bad severities,
    expression syntax and duplicate codes; and at run time when a loaded rule
    misuses its values (a rule error, never a finding about the sheet).
    """

    def __init__(self, path: str, line: int, column: int, message: str):
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.message = message


class PackWarning(Frozen):
    """A rule pack that loads but is incomplete (no English message, no documentation …).

    ``str()`` is ``path:line:col: message`` in English; ``message(lang)`` picks the language.
    """

    __slots__ = ("path", "line", "column", "message_ko", "message_en", "__weakref__")
    path: str
    line: int
    column: int
    message_ko: str
    message_en: str

    def __init__(self, path: str, line: int, column: int, message_ko: str, message_en: str) -> None:
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "message_ko", message_ko)
        _set(self, "message_en", message_en)

    def message(self, lang: str = "ko") -> str:
        text = self.message_en if lang == "en" else self.message_ko
        return f"{self.path}:{self.line}:{self.column}: {text}"

    def __str__(self) -> str:
        return self.message("en")


frozen(PackWarning, Field("path"), Field("line"), Field("column"), Field("message_ko"), Field("message_en"))
