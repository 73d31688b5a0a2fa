"""auditor: an audit engine for Korean public budget documents (사업설명서).

As a library::

    import auditor

    rules = auditor.load_ruleset()                 # the built-in packs (plus extra paths)
    sheet = auditor.read_file("examples/sheets/000_c6c48727fbba6ebb.txt")
    for finding in rules.check(sheet):
        print(finding.path, finding.line, finding.code, finding.message("en"))

    result = auditor.check_paths(["examples/"], select=("SUM", "CALC"))   # as ``auditor check`` runs
    print(len(result.files), [f.code for f in result.findings])

The names below are imported on first use, so ``import auditor`` stays cheap
for the command line.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0.dev0"

_EXPORTS = {
    "read_file": "auditor.readers",
    "read_bytes": "auditor.readers",
    "read_text": "auditor.readers",
    "InputError": "auditor.readers",
    "load_ruleset": "auditor.engine",
    "RuleSet": "auditor.engine",
    "RulePackError": "auditor.engine",
    "check_paths": "auditor.pipeline",
    "CheckResult": "auditor.result",
    "RunError": "auditor.pipeline",
    "Finding": "auditor.findings",
    "Severity": "auditor.findings",
    "Sheet": "auditor.model",
    "parse_formula": "auditor.formula",
    "evaluate": "auditor.formula",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'auditor' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
