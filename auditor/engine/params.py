"""Overriding rule params (thresholds, lists) from configuration, checked against each rule's own params."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from auditor.josa import attach

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ParamError", "apply_params", "check_param", "format_value"]

_KINDS = {"bool": ("참/거짓", "a truth value"), "str": ("텍스트", "text"), "num": ("숫자", "a number"),
          "list": ("목록", "a list")}
_PLURAL = {"bool": "truth values", "str": "text", "num": "numbers"}


class ParamError(ValueError):
    """A param override that no rule can take; ``key`` is ``(code,)`` or ``(code, name)``, for its location."""

    def __init__(self, message_en: str, message_ko: str, key: tuple[str, ...]) -> None:
        super().__init__(message_en)
        self.message_ko = message_ko
        self.key = key


def _kind(value: Any) -> str | None:
    """The kind of a param value, as the rule language types it; ``None`` for what a param cannot be."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "str"
    if isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite()):
        return "num"
    if isinstance(value, (list, tuple)):
        return "list"
    return None  # a float (never: money and thresholds are exact), a table, a date …


def _item_kind(values: Iterable[Any]) -> str | None:
    kinds = {_kind(v) for v in values}
    return kinds.pop() if len(kinds) == 1 else None


def _describe(value: Any) -> tuple[str, str]:
    kind = _kind(value)
    if kind is None:
        name = type(value).__name__
        if isinstance(value, float):
            return "부동소수점 수(정확한 수로 쓰세요)", "a float (write an exact number, such as 62.5)"
        if isinstance(value, Decimal):
            return f"유한하지 않은 수 {value}", f"the non-finite number {value}"
        return f"{name} 값", f"a {name}"
    return _KINDS[kind]


def check_param(rules: Iterable[Any], code: str, name: str, value: Any) -> tuple[str, Any]:
    """``(rule code, value)`` for an override of ``code``'s param ``name``; raises :class:`ParamError`.

    The rule must exist (its code, in any case) and have the param, and the value must be of the
    default's kind: a number for a number (``int`` or an exact ``Decimal``, never a float), text for
    text, a truth value for one, and a list whose items are all of the kind of the default's items.
    A list comes back as a tuple.
    """
    by_code = {r.code: r for r in rules}
    rule = by_code.get(code.upper())
    if rule is None:
        import difflib  # only to suggest a near name: not at start-up
        near = difflib.get_close_matches(code.upper(), list(by_code), n=1, cutoff=0.5)
        named = next((r.code for r in by_code.values() if r.name == code), None)
        hint = named or (near[0] if near else None)
        raise ParamError(f"unknown rule code {code!r}" + (f" (did you mean {hint!r}?)" if hint else ""),
                         f"알 수 없는 규칙 코드 {code!r}" + (f" (비슷한 코드: {hint!r})" if hint else ""), (code,))
    params = dict(rule.params)
    if name not in params:
        known = ", ".join(params)
        import difflib  # only to suggest a near name: not at start-up
        near = difflib.get_close_matches(name, list(params), n=1, cutoff=0.5)
        hint_en = f"; did you mean {near[0]!r}?" if near else ""
        hint_ko = f" (비슷한 이름: {near[0]!r})" if near else ""
        raise ParamError(f"{rule.code} has no param {name!r}{hint_en} (its params: {known or 'none'})",
                         f"{rule.code}에 없는 파라미터: {name!r}{hint_ko} (파라미터: {known or '없음'})", (code, name))
    default = params[name]
    want, got = _kind(default), _kind(value)
    if got != want or (want == "list" and not _list_fits(default, value)):
        want_ko, want_en = _KINDS[want] if want != "list" else _list_words(default)
        got_ko, got_en = _describe(value) if got != "list" else _list_words(value)
        shown = format_value(default)
        raise ParamError(f"{rule.code}.{name} must be {want_en}, like its default {shown}, not {got_en}",
                         f"{rule.code}.{name}의 값은 기본값 {shown}{attach(shown, '과(와)')} 같은 종류({want_ko})여야 "
                         f"하는데 {got_ko}입니다", (code, name))
    return rule.code, tuple(value) if isinstance(value, list) else value


def _list_fits(default: Any, value: Any) -> bool:
    """Every item of ``value`` has one kind, the kind of ``default``'s items (any one kind if it has none)."""
    if not value:
        return True
    kind = _item_kind(value)
    if kind is None or kind == "list":
        return False
    return not default or kind == _item_kind(default)


def _list_words(value: Any) -> tuple[str, str]:
    kind = _item_kind(value) if value else None
    if kind in _KINDS and kind != "list":
        ko, en = _KINDS[kind]
        return f"{ko} 목록", f"a list of {_PLURAL[kind]}"
    return ("섞인 목록", "a list of mixed items") if value else ("목록", "a list")


def format_value(value: Any) -> str:
    """A param value as TOML writes it (``70``, ``62.5``, ``"text"``, ``true``, ``["국비", "시비"]``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return str(value)


def apply_params(rules: Iterable[Any], overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{code: {name: value}}``, every override checked (:func:`check_param`)."""
    rules = list(rules)
    out: dict[str, dict[str, Any]] = {}
    for code, values in overrides.items():
        for name, value in values.items():
            real, checked = check_param(rules, code, name, value)
            out.setdefault(real, {})[name] = checked
    return out
