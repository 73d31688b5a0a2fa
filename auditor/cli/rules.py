"""``auditor rules`` lists the rules; ``auditor rule CODE`` prints one rule's documentation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from auditor import config as cfg
from auditor.cli.check import echo_error, echo_warnings
from auditor.findings import Severity
from auditor.result import RuleDoc
from auditor.selection import suggest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HEADERS = {
    "ko": ("코드", "이름", "심각도", "팩", "제목"),
    "en": ("code", "name", "severity", "pack", "title"),
}
_SECTIONS = {
    "ko": ("무엇을 검사하나", "왜 문제인가", "예", "통과", "지적"),
    "en": ("What it does", "Why is this bad?", "Examples", "pass", "fail"),
}
_PARAMS = {
    "ko": ("파라미터 (기본값)", "설정 파일", "바꾸려면 --param {code}.{name}=값, 또는 설정 파일의 params (docs/configuration.md)"),
    "en": ("Params (defaults)", "configuration",
           "Change one with --param {code}.{name}=VALUE or the configuration's params (docs/configuration.md)"),
}


def _common(f: Any) -> Any:
    f = click.option("--rules", "rule_packs", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
                     help="추가 규칙 팩. An extra rule pack (file or directory).")(f)
    f = click.option("--lang", type=click.Choice(cfg.LANGS), default=None, help="언어. Language.")(f)
    f = click.option("--isolated", is_flag=True, help="설정 파일을 읽지 않음. Ignore configuration files.")(f)
    return f


def _load(rule_packs: tuple[Path, ...], lang: str | None, isolated: bool) -> tuple[list[RuleDoc], str]:
    """The documentation of every rule (built-in, config ``rules`` and ``--rules``), and the language."""
    docs, settings, _ = _load_all(rule_packs, lang, isolated)
    return docs, settings.lang


def _load_all(rule_packs: tuple[Path, ...], lang: str | None, isolated: bool) -> tuple[list[RuleDoc], Any, Any]:
    """The documentation of every rule, the resolved settings and the loaded rule set."""
    from auditor.engine import RulePackError, load_ruleset

    try:
        settings = cfg.resolve(cfg.Options(rules=tuple(p.absolute() for p in rule_packs), lang=lang),
                               isolated=isolated)
        ruleset = load_ruleset(tuple(str(p) for p in settings.rules))
    except cfg.ConfigError as e:
        sys.exit(echo_error(e.message_ko if (lang or e.lang or "ko") == "ko" else str(e)))
    except RulePackError as e:
        sys.exit(echo_error(str(e)))
    echo_warnings(ruleset.warnings, settings.lang)
    return sorted(ruleset.docs(), key=lambda d: d.code), settings, ruleset


@click.command("rules", short_help="규칙 목록. List the rules (code, name, severity, pack, title).")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True,
              help="출력 형식. Output format.")
@_common
def rules_command(fmt: str, rule_packs: tuple[Path, ...], lang: str | None, isolated: bool) -> None:
    """규칙 목록을 보여 줍니다. List the rules: code, name, severity, pack and title."""
    docs, lang = _load(rule_packs, lang, isolated)
    if fmt == "json":
        import attrs  # not at import: a check run never imports attrs (auditor.plain)

        rows = [attrs.asdict(d, value_serializer=_serialize) for d in docs]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    rows = [(d.code, d.name, d.severity.value, Path(d.pack).name, d.title(lang)) for d in docs]
    from tabulate import tabulate

    click.echo(tabulate(rows, headers=_HEADERS[lang], tablefmt="simple"))


def _serialize(inst: Any, field: Any, value: Any) -> Any:
    return value.value if isinstance(value, Severity) else value


@click.command("rule", short_help="규칙 하나의 설명. Show one rule's documentation.")
@click.argument("code")
@click.option("--show-compiled", is_flag=True,
              help="규칙에서 생성한 파이썬 코드를 보여 줌. Print the Python the rule is compiled to "
                   "(its fast path, fused with the rules over the same collections; docs/rule-language.md).")
@_common
def rule_command(code: str, show_compiled: bool, rule_packs: tuple[Path, ...], lang: str | None,
                 isolated: bool) -> None:
    """규칙 하나의 설명과 파라미터를 보여 줍니다. Show one rule's documentation and params (by code or name)."""
    docs, settings, ruleset = _load_all(rule_packs, lang, isolated)
    lang = settings.lang
    wanted = code.strip()
    doc = next((d for d in docs if d.code.upper() == wanted.upper() or d.name == wanted), None)
    if doc is None:
        near = suggest(wanted, [d.code for d in docs], [d.name for d in docs], prefixes=False)
        if lang == "en":
            message = f"unknown rule '{code}'" + (f" (did you mean '{near}'?)" if near else "")
        else:
            message = f"알 수 없는 규칙 '{code}'" + (f" (비슷한 규칙: '{near}')" if near else "")
        sys.exit(echo_error(message))
    if show_compiled:
        rule = ruleset.get(doc.code)
        if rule.reader:
            sys.exit(echo_error(f"{doc.code}: 읽기 규칙은 식이 없습니다 / a reader rule has no expression to compile"))
        compiled = ruleset.compiled_for(doc.code)  # the fused function that decides it in a run
        notes = [f"# not compiled, explained instead: {part}: {why}" for code, part, why in compiled.unsupported
                 if code == doc.code]
        fused = [c for c in compiled.codes if c != doc.code]
        if fused:
            notes.insert(0, f"# fused with {', '.join(fused)} (rules over the same collections); "
                            f"{doc.code}'s part follows '# {doc.code}'")
        click.echo("\n".join([f"# {doc.code}: {rule.pack}:{rule.line}", *notes, compiled.source]), nl=False)
        return
    rule = next((r for r in ruleset.rules if r.code == doc.code), None)
    configured = {name: value for code, name, value in settings.file.params if code == doc.code}
    click.echo(describe_rule(doc, lang, dict(rule.params) if rule is not None else {}, configured,
                             settings.config_path), nl=False)


def describe_params(code: str, params: dict[str, Any], configured: dict[str, Any], config_path: Any,
                    lang: str) -> list[str]:
    """The params section: each param's default, and the configuration's value where it sets one."""
    from auditor.engine.params import format_value

    heading, from_config, change = _PARAMS[lang]
    out = [f"## {heading}"]
    for name, default in params.items():
        line = f"  {name} = {format_value(default)}"
        if name in configured:
            line += f"    ({from_config} {config_path}: {format_value(configured[name])})"
        out.append(line)
    out += ["  " + change.format(code=code, name=next(iter(params))), ""]
    return out


def describe_rule(doc: RuleDoc, lang: str, params: dict[str, Any] | None = None,
                  configured: dict[str, Any] | None = None, config_path: Any = None) -> str:
    """A rule's documentation as plain text: identity, title, what it does, why, params, examples."""
    import textwrap  # only for a rule's page: not at every start-up

    what, why, examples, passes, fails = _SECTIONS[lang]
    out = [f"{doc.code}  {doc.name}  [{doc.severity.value}]" + (f"  ({Path(doc.pack).name})" if doc.pack else ""),
           doc.title(lang), ""]
    for heading, body in ((what, doc.what(lang)), (why, doc.why(lang))):
        if body:
            paragraphs = [textwrap.fill(p, 88, initial_indent="  ", subsequent_indent="  ")
                          for p in body.strip().split("\n\n")]
            out += [f"## {heading}", "\n\n".join(paragraphs), ""]
    if params:
        out += describe_params(doc.code, params, configured or {}, config_path, lang)
    if doc.examples:
        out.append(f"## {examples}")
        for ex in doc.examples:
            label = passes if ex.kind == "pass" else fails
            out.append(f"  [{label}]" + (f" {ex.note}" if ex.note else ""))
            out.append(textwrap.indent(ex.text.rstrip("\n"), "    "))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
