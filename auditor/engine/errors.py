"""The one error a rule pack can raise: it names the pack file, line and column."""

from __future__ import annotations

__all__ = ["RulePackError"]


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
