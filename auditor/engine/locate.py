"""Find the line (and column) of a key inside a TOML rule pack, since ``tomllib`` gives no positions.

A pack's ``[[rule]]`` headers split it into blocks, one per rule, in order. A
key inside a block is found as ``key =``, ``table.key =`` or under a
``[rule.table]`` header; the line of the enclosing key, or of the block header,
is the fallback.
"""

from __future__ import annotations

import re

__all__ = ["Locator"]

_RULE_HEADER = re.compile(r"^\s*\[\[\s*rule\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([\w.\"' -]+?)\s*\]\]?")


def _key_pattern(key: str) -> str:
    return r"[\"']?" + re.escape(key) + r"[\"']?"


class Locator:
    """Positions of rule blocks and keys in one pack's raw text."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.blocks: list[tuple[int, int]] = []
        starts = [i for i, line in enumerate(self.lines) if _RULE_HEADER.match(line)]
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(self.lines)
            self.blocks.append((start, end))

    def rule_line(self, index: int) -> int:
        """1-based line of the ``index``-th ``[[rule]]`` header."""
        return self.blocks[index][0] + 1 if index < len(self.blocks) else 1

    def _span(self, rule: int | None) -> tuple[int, int]:
        if rule is None:
            end = self.blocks[0][0] if self.blocks else len(self.lines)
            return 0, end
        return self.blocks[rule] if rule < len(self.blocks) else (0, len(self.lines))

    def key_line(self, rule: int | None, *path: str) -> int:
        """1-based line of ``path`` (e.g. ``("message", "ko")``) in the rule's block (or the preamble)."""
        start, end = self._span(rule)
        table = ""
        best: int | None = None
        for i in range(start, end):
            line = self.lines[i]
            header = _TABLE_HEADER.match(line)
            if header and not re.match(r"^\s*[\w\"'.-]+\s*=", line):
                table = header.group(1).replace(" ", "")
                if table in (".".join(("rule",) + path), ".".join(path)):
                    return i + 1
                continue
            prefix = table.split(".", 1)[1] if table.startswith("rule.") else ("" if table == "rule" else table)
            scoped = tuple(prefix.split(".")) if prefix else ()
            for cut in range(len(path), 0, -1):
                if scoped != path[: len(path) - cut]:
                    continue
                rest = path[len(path) - cut :]
                pattern = r"^\s*" + r"\s*\.\s*".join(_key_pattern(k) for k in rest) + r"\s*="
                if re.match(pattern, line):
                    return i + 1
            if best is None and path and re.match(r"^\s*" + _key_pattern(path[0]) + r"\s*[.=]", line):
                best = i + 1
        if best is not None:
            return best
        return start + 1 if rule is not None else 1

    def value_position(self, line: int, offset: int, value: str) -> tuple[int, int]:
        """Line and column of character ``offset`` (0-based) of a string value whose key is on ``line``."""
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        eq = raw.find("=")
        after = raw[eq + 1 :] if eq >= 0 else ""
        stripped = after.lstrip()
        if stripped.startswith(('"""', "'''")) and not stripped[3:].strip():
            line, first_col = line + 1, 1
        else:
            quote = next((j for j, ch in enumerate(raw) if j > eq and ch in "\"'"), -1)
            run = 3 if raw[quote : quote + 3] in ('"""', "'''") else 1
            first_col = quote + run + 1 if quote >= 0 else 1
        before = value[:offset]
        if "\n" in before:
            return line + before.count("\n"), offset - before.rfind("\n")
        return line, first_col + offset
