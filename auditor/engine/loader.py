"""Load rule packs (TOML) and vocabularies, and refuse a bad pack at load time with ``file:line:col``."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from auditor.engine.bindings import MAX_EXPANDED, bad_name, expanded, names_in, substitute
from auditor.engine.builtins import CODES
from auditor.engine.check import (MAX_QUANTIFIERS, NameCheckError, StaticScope, check_expr, kind_of, param_type,
                                  quantifier_depth)
from auditor.engine.errors import PackWarning, RulePackError
from auditor.engine.evaluate import PROJECT, PROJECT_ALIAS
from auditor.engine.expr import MAX_TREE_DEPTH, ExprSyntaxError, parse_expr, rebuild
from auditor.engine.locate import Locator
from auditor.engine.packs import builtin_rules_dir, pack_files
from auditor.engine.rule import Rule, Template, over_type, parent_type
from auditor.findings import Severity
from auditor.formula.units import VOCABULARY as UNITS, unit_problem
from auditor.model import Sheet
from auditor.engine.doc import Example, RuleDoc, documents_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["builtin_rules_dir", "load_found", "load_packs", "strict_check"]

PACK_KEYS = {"name", "title", "description", "version"}
RULE_KEYS = {"code", "name", "severity", "title", "over", "when", "assert", "actual", "expected",
             "compare", "at", "key", "message", "params", "doc", "reader", "show", "let", "related"}
SHOW_KEYS = {"actual", "expected"}
DOC_KEYS = {"what", "why", "example"}
LANG_KEYS = {"ko", "en"}
EXAMPLE_KEYS = {"kind", "text", "note", "documents"}
DOCUMENT_KEYS = {"path", "text"}
CODE_RE = re.compile(r"^[A-Z]{2,8}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
COMPARES = ("exact", "rounding", "convention")
EXPR_KEYS = ("when", "assert", "actual", "expected", "at", "related")


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    from auditor.safeload import LoadError, load_toml  # a regular file, bounded in size, nesting and numbers

    try:
        return load_toml(path)
    except LoadError as exc:
        raise RulePackError(str(path), exc.line or 1, exc.column or 1, exc.reason_en) from None


def load_vocabularies(files: Sequence[Path], into: dict[str, tuple[str, ...]]) -> None:
    from auditor.engine.builtins import normalize

    for path in files:
        data, text = _read_toml(path)
        loc = Locator(text)
        head = data.get("vocabulary")
        if not isinstance(head, dict) or not isinstance(head.get("name"), str):
            raise RulePackError(str(path), loc.key_line(None, "vocabulary"), 1,
                                "a vocabulary needs [vocabulary] with name = \"…\"")
        terms: list[str] = []
        for group, names in data.get("terms", {}).items():
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise RulePackError(str(path), loc.key_line(None, "terms", group), 1,
                                    f"terms.{group} must be a list of names")
            terms.extend(normalize(n) for n in names)
        name = head["name"]
        if name == UNITS:  # the formula grammar's units: each must be one it can read
            for group, names in data.get("terms", {}).items():
                problem = next(filter(None, (unit_problem(normalize(n)) for n in names)), None)
                if problem:
                    raise RulePackError(str(path), loc.key_line(None, "terms", group), 1, problem)
        previous = () if head.get("replace") else into.get(name, ())
        into[name] = tuple(dict.fromkeys(previous + tuple(terms)))
        codes = data.get("codes", {})
        if not isinstance(codes, dict) or not all(isinstance(v, str) for v in codes.values()):
            raise RulePackError(str(path), loc.key_line(None, "codes"), 1,
                                "[codes] maps each code to its official name: \"201-01\" = \"사무관리비\"")
        known = {} if head.get("replace") else dict(into.get(name + CODES, ()))
        known.update((str(k).strip(), v) for k, v in codes.items())
        into[name + CODES] = tuple(known.items())


def intern_tree(node: Any, same: dict[tuple, tuple]) -> Any:
    """``node`` with every subtree equal to one seen before replaced by that one (hash-consing).

    A node stays of its class (:func:`auditor.engine.expr.rebuild`), and only one of the same
    class stands for it: a node equals the plain tuple of its items."""
    if not isinstance(node, tuple):
        return node
    rebuilt = rebuild(node, [intern_tree(x, same) if isinstance(x, tuple) else x for x in node])
    return same.setdefault((type(node), rebuilt), rebuilt)


class _PackReader:
    """Validates one pack and builds its rules."""

    def __init__(self, path: Path, data: dict[str, Any], text: str, vocab: frozenset[str]):
        self.path, self.data, self.vocab = str(path), data, vocab
        self.loc = Locator(text)
        #: The bindings of the rule being read (``[rule.let]``), as parse trees with earlier ones in place.
        self.bound: dict[str, tuple] = {}
        #: What the pack lacks that a user would miss (an English message, documentation …).
        self.warnings: list[PackWarning] = []

    def fail(self, message: str, rule: int | None, *key: str, column: int = 1) -> RulePackError:
        line = self.loc.key_line(rule, *key) if key else (self.loc.rule_line(rule) if rule is not None else 1)
        return RulePackError(self.path, line, column, message)

    def unknown_keys(self, table: dict, allowed: set[str], rule: int | None, *prefix: str) -> None:
        for k in table:
            if k not in allowed:
                where = ".".join(prefix + (k,))
                choices = ", ".join(sorted(allowed))
                import difflib  # only to suggest a near name: not at start-up
                near = difflib.get_close_matches(k, sorted(allowed), n=1, cutoff=0.6)
                hint = f"; did you mean {'.'.join(prefix + (near[0],))!r}?" if near else ""
                raise self.fail(f"unknown key {where!r}{hint} (allowed: {choices})", rule, *prefix, k)

    def text(self, table: dict, key: str, rule: int | None, *prefix: str, required: bool = False) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing {'.'.join(prefix + (key,))!r}", rule)
            return None
        if not isinstance(value, str):
            raise self.fail(f"{'.'.join(prefix + (key,))!r} must be a string", rule, *prefix, key)
        return value

    def lang(self, table: dict, key: str, rule: int, *prefix: str) -> tuple[str, str]:
        value = table.get(key, {})
        if isinstance(value, str):
            return value, ""
        if not isinstance(value, dict):
            raise self.fail(f"{'.'.join(prefix + (key,))!r} must be a string or a {{ko, en}} table",
                            rule, *prefix, key)
        self.unknown_keys(value, LANG_KEYS, rule, *prefix, key)
        ko = self.text(value, "ko", rule, *prefix, key) or ""
        en = self.text(value, "en", rule, *prefix, key) or ""
        return ko, en

    def expression(self, source: str, scope: StaticScope, rule: int, *key: str, offset: int = 0,
                   value: str | None = None) -> tuple:
        """The checked tree of ``source``; ``offset`` is where it starts in the key's ``value`` (a template)."""
        return self.typed(source, scope, rule, *key, offset=offset, value=value)[0]

    def parsed(self, source: str, rule: int, *key: str, offset: int = 0, value: str | None = None) -> tuple:
        """The parse tree of ``source`` with the rule's bindings in place of their names."""
        line = self.loc.key_line(rule, *key)
        value = source if value is None else value
        try:
            tree = parse_expr(source)
        except ExprSyntaxError as exc:
            line, col = self.loc.value_position(line, offset + exc.column - 1, value)
            raise RulePackError(self.path, line, col, f"{'.'.join(key)}: {exc.message}") from None
        tree = substitute(tree, self.bound)
        nodes, depth = expanded(tree)
        if nodes > MAX_EXPANDED:
            raise RulePackError(self.path, line, 1, f"{'.'.join(key)}: expression too large with its bindings "
                                f"written out: {nodes:,} parts, more than {MAX_EXPANDED:,} (do bindings use each "
                                "other several times over?)")
        if depth > MAX_TREE_DEPTH:
            raise RulePackError(self.path, line, 1, f"{'.'.join(key)}: expression too deep with its bindings "
                                f"written out: more than {MAX_TREE_DEPTH} nested operations")
        return tree

    def name_error(self, exc: NameCheckError, source: str, rule: int, *key: str, offset: int = 0,
                   value: str | None = None) -> RulePackError:
        """``exc`` at the column of its token in ``source`` (else at the key's line)."""
        line = self.loc.key_line(rule, *key)
        found = re.search(exc.token, source) if exc.token else None
        at = offset + (found.start() if found else 0)
        line, col = self.loc.value_position(line, at, source if value is None else value) if found else (line, 1)
        return RulePackError(self.path, line, col, f"{'.'.join(key)}: {exc}")

    def typed(self, source: str, scope: StaticScope, rule: int, *key: str, offset: int = 0,
              value: str | None = None) -> tuple[tuple, object]:
        tree = self.parsed(source, rule, *key, offset=offset, value=value)
        try:
            checked = check_expr(tree, scope)
        except NameCheckError as exc:
            raise self.name_error(exc, source, rule, *key, offset=offset, value=value) from None
        depth = quantifier_depth(checked[0])
        if depth > MAX_QUANTIFIERS:
            raise self.fail(f"{'.'.join(key)}: filters ([condition]) and each() nested {depth} deep, more than "
                            f"{MAX_QUANTIFIERS}: each level walks a list for every item of the one around it",
                            rule, *key)
        return checked

    def bindings(self, index: int, table: dict, params: dict, scopes: list[StaticScope]) -> None:
        """Read ``[rule.let]`` into ``self.bound``: each name checked, each expression parsed and checked once."""
        raw = table.get("let", {})
        if not isinstance(raw, dict):
            raise self.fail("let must be a table: [rule.let] with name = \"expression\"", index, "let")
        names = list(raw)
        for position, (name, source) in enumerate(raw.items()):
            why = bad_name(name, params)
            if why:
                raise self.fail(f"let.{name}: {why}", index, "let", name)
            if not isinstance(source, str):
                raise self.fail(f"let.{name} must be an expression, written as a string", index, "let", name)
            tree = self.parsed(source, index, "let", name)
            for used in names_in(tree):
                if used == name or used in names[position + 1:]:
                    later = "" if used == name else (
                        f", which is bound after it (line {self.loc.key_line(index, 'let', used)})")
                    why = "refers to itself" if used == name else f"uses {used!r}{later}"
                    exc = NameCheckError(f"{why}: a binding may use only the bindings above it",
                                         r"(?<![\w.])" + re.escape(used) + r"(?!\w)")
                    raise self.name_error(exc, source, index, "let", name)
            for scope in scopes:  # every kind of element in over must give it a meaning
                try:
                    check_expr(tree, scope)
                except NameCheckError as exc:
                    raise self.name_error(exc, source, index, "let", name) from None
            self.bound[name] = tree

    def require(self, kinds: tuple[str, ...], t: object, rule: int, *key: str, what: tuple[str, str]) -> None:
        """Refuse an expression whose static type is known and not one of ``kinds``."""
        if kind_of(t) not in kinds + ("any",):
            names = {"num": ("숫자", "a number"), "str": ("텍스트", "text"), "bool": ("참/거짓", "a truth value"),
                     "list": ("목록", "a list"), "obj": ("표의 행", "a table row")}
            got_ko, got_en = names[kind_of(t)]
            raise self.fail(f"{'.'.join(key)}: {what[0]} 결과가 {got_ko}입니다 / {what[1]}, not {got_en}",
                            rule, *key)

    def template(self, source: str, scope: StaticScope, rule: int, *key: str) -> Template:
        parts: list[Any] = []
        pos = 0
        for m in re.finditer(r"\{\{|\}\}|\{([^{}]*)\}", source):
            parts.append(source[pos : m.start()])
            if m.group(0) in ("{{", "}}"):
                parts.append(m.group(0)[0])
            else:
                parts.append(self.expression(m.group(1), scope, rule, *key, offset=m.start(1), value=source))
            pos = m.end()
        rest = source[pos:]
        if "{" in rest or "}" in rest:
            raise self.fail(f"{'.'.join(key)}: unbalanced brace in template", rule, *key)
        parts.append(rest)
        return Template(tuple(p for p in parts if p != ""))

    def rule(self, index: int, table: Any) -> Rule:
        self.bound = {}
        if not isinstance(table, dict):
            raise self.fail("[[rule]] must be a table", index)
        self.unknown_keys(table, RULE_KEYS, index)
        code = self.text(table, "code", index, required=True)
        if not CODE_RE.match(code):
            raise self.fail(f"bad code {code!r}: letters then three digits, such as SET001", index, "code")
        name = self.text(table, "name", index, required=True)
        if not NAME_RE.match(name):
            raise self.fail(f"bad name {name!r}: dotted lowercase words, such as settlement.available-mismatch",
                            index, "name")
        try:
            severity = Severity.parse(self.text(table, "severity", index, required=True))
        except ValueError as exc:
            raise self.fail(str(exc), index, "severity") from None
        params = table.get("params", {})
        if not isinstance(params, dict):
            raise self.fail("params must be a table", index, "params")
        for k, v in params.items():
            if k in (PROJECT, PROJECT_ALIAS):
                raise self.fail(f"param {k!r}: a reserved name (the project of a cross-document rule)", index,
                                "params", k)
            if isinstance(v, dict) or (isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v)):
                raise self.fail(f"param {k!r} must be a number, text, truth value or a flat list", index, "params", k)
            if any(isinstance(x, Decimal) and not x.is_finite() for x in (v if isinstance(v, list) else [v])):
                raise self.fail(f"param {k!r} must be a finite number, not inf or nan", index, "params", k)
        message = table.get("message")
        if not isinstance(message, dict) or not isinstance(message.get("ko"), str):
            raise self.fail("missing message.ko (the Korean message template)", index, "message")
        self.unknown_keys(message, LANG_KEYS, index, "message")
        doc = self.doc(index, table, code, name, severity)
        reader = table.get("reader", False)
        if not isinstance(reader, bool):
            raise self.fail("reader must be true or false", index, "reader")
        if reader:
            extra = sorted(set(table) & {"over", "when", "assert", "actual", "expected", "at", "related", "key",
                                         "compare",
                                         "show", "let"})
            if extra:
                raise self.fail(f"a reader rule takes no {extra[0]!r}: it reports the reader's problems",
                                index, extra[0])
            empty = Template(())
            return Rule(code=code, name=name, severity=severity, doc=doc, pack=self.path, params=params,
                        line=self.loc.rule_line(index), reader=True,
                        message_ko=Template((message["ko"],)), message_en=Template((message.get("en", ""),)),
                        key=empty)
        return self.check_rule(index, table, code, name, severity, doc, params, message)

    def check_rule(self, index, table, code, name, severity, doc, params, message) -> Rule:
        over_value = table.get("over")
        overs = [over_value] if isinstance(over_value, str) else over_value
        if not overs or not isinstance(overs, list) or not all(isinstance(o, str) for o in overs):
            raise self.fail("over must name a collection, such as \"settlement.rows\" or \"sheet\"", index, "over")
        types: list = []  # (element type, parent type) of each kind of element in over
        for o in overs:
            try:
                t = (over_type(Sheet, o), parent_type(Sheet, o))
            except ValueError as exc:
                raise self.fail(f"over: {exc}", index, "over") from None
            if t not in types:
                types.append(t)
        ptypes = {k: param_type(v) for k, v in params.items()}

        def scope(message_scope: bool = False, this: tuple = types[0]) -> StaticScope:
            return StaticScope(root=("obj", Sheet), this=this[0], parent=this[1], params=ptypes,
                               vocab=self.vocab, message=message_scope, bindings=tuple(self.bound))

        self.bindings(index, table, params, [scope(this=t) for t in types])

        exprs: dict[str, tuple] = {}
        types_of: dict[str, object] = {}

        def check(key: tuple[str, ...], source: str) -> None:
            name = ".".join(key)
            exprs[name], types_of[name] = self.typed(source, scope(), index, *key)
            for other in types[1:]:  # every kind of element must know every name
                if self.expression(source, scope(this=other), index, *key) != exprs[name]:
                    raise self.fail(f"{name}: means different things for the collections in over", index, *key)

        for key in EXPR_KEYS:
            source = self.text(table, key, index)
            if source is not None:
                check((key,), source)
        show = table.get("show")
        if show is not None:
            if not isinstance(show, dict):
                raise self.fail("show must be a table: show.actual = \"…\", show.expected = \"…\"", index, "show")
            self.unknown_keys(show, SHOW_KEYS, index, "show")
            if "assert" not in exprs:
                raise self.fail("show is for assert rules; a rule with actual and expected shows those",
                                index, "show")
            for key in ("actual", "expected"):
                check(("show", key), self.text(show, key, index, "show", required=True))
                self.require(("num", "str", "bool", "list"), types_of[f"show.{key}"], index, "show", key,
                             what=("보여 줄 값은 숫자, 텍스트, 참/거짓이나 목록이어야 하는데",
                                   "a value to show must be a number, text, a truth value or a list"))
        if ("assert" in exprs) == ("actual" in exprs or "expected" in exprs):
            raise self.fail("a rule needs either assert, or actual and expected", index)
        if ("actual" in exprs) != ("expected" in exprs):
            raise self.fail("actual and expected go together", index, "actual" if "actual" in exprs else "expected")
        for key in ("when", "assert"):
            if key in exprs:
                self.require(("bool",), types_of[key], index, key,
                             what=(f"{key} 식은 참/거짓이어야 하는데", f"{key} must be a truth value"))
        if "actual" in exprs:
            for key in ("actual", "expected"):
                self.require(("num", "str"), types_of[key], index, key,
                             what=(f"{key} 식은 숫자나 텍스트여야 하는데", f"{key} must be a number or text"))
            kinds = {kind_of(types_of[k]) for k in ("actual", "expected")} - {"any"}
            if len(kinds) > 1:
                raise self.fail("expected: actual과 expected는 둘 다 숫자이거나 둘 다 텍스트여야 합니다 / "
                                "actual and expected must both be numbers or both be text", index, "expected")
        compare = table.get("compare", "exact")
        if compare not in COMPARES:
            raise self.fail(f"compare must be one of {', '.join(COMPARES)}, not {compare!r}", index, "compare")
        key_source = self.text(table, "key", index) or "{index}"
        for other in types[1:]:
            self.template(key_source, scope(this=other), index, "key")
            self.template(message["ko"], scope(True, other), index, "message", "ko")
            self.template(message.get("en", ""), scope(True, other), index, "message", "en")
        lines = {k: self.loc.key_line(index, k) for k in (*EXPR_KEYS, "key", "over")}
        lines.update({f"show.{k}": self.loc.key_line(index, "show", k) for k in SHOW_KEYS})
        lines["message.ko"] = self.loc.key_line(index, "message", "ko")
        # One object for equal subtrees of the rule's expressions (a binding written out in when,
        # assert and the messages is one tree): a loaded rule set holds each once.
        same: dict[tuple, tuple] = {}
        exprs = {k: intern_tree(v, same) for k, v in exprs.items()}

        def template(source: str, template_scope: StaticScope, *key: str) -> Template:
            made = self.template(source, template_scope, index, *key)
            return Template(tuple(p if isinstance(p, str) else intern_tree(p, same) for p in made.parts))

        return Rule(
            code=code, name=name, severity=severity, doc=doc, pack=self.path, params=params,
            line=self.loc.rule_line(index), over=tuple(overs),
            when=exprs.get("when"), assertion=exprs.get("assert"),
            actual=exprs.get("actual"), expected=exprs.get("expected"), at=exprs.get("at"),
            related=exprs.get("related"),
            show_actual=exprs.get("show.actual"), show_expected=exprs.get("show.expected"),
            compare=compare, key=template(key_source, scope(), "key"),
            message_ko=template(message["ko"], scope(True), "message", "ko"),
            message_en=template(message.get("en", ""), scope(True), "message", "en"),
            key_lines=lines,
        )

    def doc(self, index: int, table: dict, code: str, name: str, severity: Severity) -> RuleDoc:
        title_ko, title_en = self.lang(table, "title", index)
        doc = table.get("doc", {})
        if not isinstance(doc, dict):
            raise self.fail("doc must be a table", index, "doc")
        self.unknown_keys(doc, DOC_KEYS, index, "doc")
        what_ko, what_en = self.lang(doc, "what", index, "doc")
        why_ko, why_en = self.lang(doc, "why", index, "doc")
        examples = []
        raw_examples = doc.get("example", [])
        if not isinstance(raw_examples, list):
            raise self.fail("doc.example must be an array of tables ([[rule.doc.example]])", index, "doc", "example")
        for ex in raw_examples:
            if not isinstance(ex, dict):
                raise self.fail("each doc.example must be a table", index, "doc", "example")
            self.unknown_keys(ex, EXAMPLE_KEYS, index, "doc", "example")
            kind = ex.get("kind")
            documents = self.documents(ex, index)
            if kind not in ("pass", "fail") or not (isinstance(ex.get("text"), str) or documents):
                raise self.fail("doc.example needs kind = \"pass\" or \"fail\" and text (or documents)", index, "doc",
                                "example")
            text = ex["text"] if isinstance(ex.get("text"), str) else documents_text(documents)
            examples.append(Example(kind=kind, text=text, note=str(ex.get("note", "")), documents=documents))
        return RuleDoc(code=code, name=name, severity=severity, title_ko=title_ko, title_en=title_en,
                       what_ko=what_ko, why_ko=why_ko, what_en=what_en, why_en=why_en,
                       examples=tuple(examples), pack=self.path)

    def documents(self, example: dict, index: int) -> tuple[tuple[str, str], ...]:
        """An example's ``[[rule.doc.example.documents]]`` (each a ``path`` and a ``text``), for a
        cross-document rule: the documents of one project it is checked over."""
        raw = example.get("documents", [])
        if not isinstance(raw, list) or not all(isinstance(d, dict) for d in raw):
            raise self.fail("doc.example.documents must be [[rule.doc.example.documents]] tables", index, "doc",
                            "example")
        out = []
        for d in raw:
            self.unknown_keys(d, DOCUMENT_KEYS, index, "doc", "example", "documents")
            if not isinstance(d.get("path"), str) or not isinstance(d.get("text"), str):
                raise self.fail("each doc.example.documents needs path and text", index, "doc", "example")
            out.append((d["path"], d["text"]))
        return tuple(out)

    def rules(self) -> list[Rule]:
        self.unknown_keys(self.data, {"pack", "rule"}, None)
        pack = self.data.get("pack", {})
        if not isinstance(pack, dict):
            raise self.fail("[pack] must be a table", None, "pack")
        self.unknown_keys(pack, PACK_KEYS, None, "pack")
        rules = self.data.get("rule", [])
        if not isinstance(rules, list):
            raise self.fail("rules are written as [[rule]] tables", None, "rule")
        out = [self.rule(i, t) for i, t in enumerate(rules)]
        for i, (rule, table) in enumerate(zip(out, rules)):
            self.completeness(i, rule, table)
        return out

    def completeness(self, index: int, rule: Rule, table: dict) -> None:
        """Warn about a rule without an English message, a title, what/why (both languages) or examples."""
        d = rule.doc
        missing = [name for name, value in (
            ("title.ko", d.title_ko), ("title.en", d.title_en), ("doc.what.ko", d.what_ko),
            ("doc.what.en", d.what_en), ("doc.why.ko", d.why_ko), ("doc.why.en", d.why_en),
        ) if not value.strip()]
        message_en = table.get("message", {}).get("en", "")
        if not rule.reader and not (isinstance(message_en, str) and message_en.strip()):
            missing.insert(0, "message.en")
        kinds = {e.kind for e in d.examples}
        missing += [f"doc.example ({kind})" for kind in ("pass", "fail") if kind not in kinds]
        if missing:
            listed = ", ".join(missing)
            self.warnings.append(PackWarning(
                self.path, self.loc.rule_line(index), 1,
                f"규칙 {rule.code}에 없는 항목: {listed} (--lang en에서는 한국어가 대신 나오고, "
                f"'auditor rule {rule.code}'의 설명이 빠집니다)",
                f"rule {rule.code} lacks {listed} (--lang en shows Korean instead, and "
                f"'auditor rule {rule.code}' is incomplete)"))


def load_packs(extra: Sequence[str | os.PathLike], builtin: bool, strict: bool = False
               ) -> tuple[list[Rule], dict[str, tuple[str, ...]], list[PackWarning]]:
    """Every rule of the built-in packs (optionally) and of ``extra``, the merged vocabularies, and warnings.

    With ``strict``, the first warning (an incomplete rule) is raised as a :class:`RulePackError`.
    """
    roots = ([builtin_rules_dir()] if builtin else []) + [Path(p) for p in extra]
    return strict_check(load_found([pack_files(root) for root in roots]), strict)


def strict_check(loaded: tuple[list[Rule], dict[str, tuple[str, ...]], list[PackWarning]], strict: bool
                 ) -> tuple[list[Rule], dict[str, tuple[str, ...]], list[PackWarning]]:
    """``loaded`` as it is; with ``strict``, its first warning (an incomplete rule) raised as an error."""
    warnings = loaded[2]
    if strict and warnings:
        w = warnings[0]
        raise RulePackError(w.path, w.line, w.column, f"{w.message_en}; an error under strict rules")
    return loaded


def load_found(found: list[tuple[list[Path], list[Path]]]
               ) -> tuple[list[Rule], dict[str, tuple[str, ...]], list[PackWarning]]:
    """The rules, vocabularies and warnings of ``(packs, vocabularies)`` file lists, in that order."""
    vocab: dict[str, tuple[str, ...]] = {}
    for _, vocab_files in found:
        load_vocabularies(vocab_files, vocab)
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    warnings: list[PackWarning] = []
    for packs, _ in found:
        for path in packs:
            data, text = _read_toml(path)
            reader = _PackReader(path, data, text, frozenset(vocab))
            loaded = reader.rules()
            warnings += reader.warnings
            for rule in loaded:
                for index, other in ((seen, seen.get(rule.code)), (names, names.get(rule.name))):
                    if other is not None:
                        what = "code" if index is seen else "name"
                        value = rule.code if index is seen else rule.name
                        raise RulePackError(rule.pack, rule.line, 1,
                                            f"duplicate rule {what} {value!r} (first defined at {other.pack}:{other.line})")
                seen[rule.code] = names[rule.name] = rule
                rules.append(rule)
    return rules, vocab, warnings
