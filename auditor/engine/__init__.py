"""The rules engine: loads rule packs (TOML data in ``rules/``) and checks sheets with them.

Public API: :func:`load_ruleset`, :class:`RuleSet`, :class:`Rule`, :class:`RulePackError`,
:class:`ParamError` (a bad ``RuleSet.with_params`` override), :class:`PackWarning` (an incomplete rule).
The rule language is described in ``docs/rule-language.md``.
"""

from auditor.engine.errors import PackWarning, RulePackError
from auditor.engine.params import ParamError
from auditor.engine.rule import Rule
from auditor.engine.ruleset import RuleSet, load_ruleset

__all__ = ["PackWarning", "ParamError", "RulePackError", "Rule", "RuleSet", "load_ruleset"]
