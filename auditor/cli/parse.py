"""``auditor parse``: show exactly what the reader read from each sheet, as JSON or as text."""

from __future__ import annotations

import io
import json
import sys

import click

from auditor import config as cfg
from auditor.cli.check import echo_error
from auditor.discovery import printable
from auditor.model import Sheet
from auditor.readers import InputError, read_units
from auditor.readers.dump import to_data
from auditor.readers.opening import DEFAULT_MAX_FILE_SIZE, parse_size, read_input, read_stdin
from auditor.result import FileError
from auditor.source import Amount, Text

def tabulate(*args, **kwargs) -> str:
    from tabulate import tabulate as table  # only the text format needs it

    return table(*args, **kwargs)


#: The shape of ``--format json`` (see docs/model.md).
SCHEMA = "auditor.parse/2"


def _num(a: Amount | None) -> str:
    if a is None:
        return "—"
    return f"{a.value:,}{'' if a.unit in ('천원', '%') else a.unit}" if isinstance(a.value, int) else f"{a.value}"


def _t(t: Text | None) -> str:
    return t.value if t is not None else "—"


def _line(x) -> str:
    return str(x.source.line) if x is not None and getattr(x, "source", None) is not None else ""


def render_text(sheet: Sheet, place: str = "") -> str:
    """A reviewer's view of one Sheet: each part with its numbers and line numbers; ``place`` says which
    sheet of its file it is, when the file holds several."""
    out = [f"{sheet.path}  ({sheet.encoding}, {len(sheet.lines)} lines){place}"]
    ov = sheet.overview
    out.append(f"사업명 title: {_t(sheet.title)}    예산연도 budget year: {sheet.budget_year or '—'}")
    out.append(f"사업개요 overview: 회계 {_t(ov.account)} · 사업기간 {_t(ov.period)} · 사업비 {_num(ov.cost)}"
               f" {ov.cost.unit if ov.cost else ''}")
    out.append("  재원 funding: " + ", ".join(f"[{f.label}] {_num(f.amount)}" for f in ov.funding))
    d = sheet.department
    out.append(f"사업 담당자 department: {_t(d.division)} {_t(d.name)} · "
               + ", ".join(f"{c.role} {c.name} {c.phone}" for c in d.contacts))
    s = sheet.summary
    if s.total or s.rows:
        out.append(f"\n예산 총괄 summary ({s.previous_year} → {s.current_year}, 단위 {s.unit}, 증감률 {_t(s.rate_formula)})")
        rows = [r for r in ((s.total,) if s.total else ()) + s.rows]
        out.append(tabulate([[r.item.value, _num(r.previous), _num(r.current), _num(r.change), _num(r.rate), _line(r)]
                             for r in rows], ["통계목", "A", "B", "증감", "%", "line"], disable_numparse=True))
    if sheet.basis.categories:
        out.append(f"\n산출근거 basis ({sheet.basis.year})")
        rows = []
        for c in sheet.basis.categories:
            for g in c.groups:
                rows.append([_t(c.name), "○ " + g.label.value, _t(g.formula), _num(g.amount), _line(g)])
                rows += [["", "  - " + i.label.value, _t(i.formula), _num(i.amount), _line(i)] for i in g.items]
        out.append(tabulate(rows, ["통계목", "내역", "산출식", "금액", "line"], disable_numparse=True))
    if sheet.activities:
        out.append("\n사업내용 activities")
        out += [f"  - {a.title.value}  [소요예산 {_num(a.required_budget)}] (line {_line(a)})" for a in sheet.activities]
    sc = sheet.schedule
    if sc.total or sc.rows:
        out.append(f"\n추진일정 schedule ({sc.year}, 단위 {sc.unit})")
        rows = [r for r in ((sc.total,) if sc.total else ()) + sc.rows]
        out.append(tabulate([[r.step.value, _t(r.period), _num(r.amount), _line(r)] for r in rows],
                            ["사업추진절차", "추진기간", "예산집행금액", "line"], disable_numparse=True))
    if sheet.achievements:
        out.append("\n추진실적 achievements: " + ", ".join(f"{a.year} ({len(a.items)}건)" for a in sheet.achievements))
    st = sheet.settlement
    if st.rows:
        out.append(f"\n결산 settlement (단위 {st.unit})")
        head = ["연도", *next(iter(st.rows)).columns().keys(), "line"]
        out.append(tabulate([[r.year.value, *(_num(a) for a in r.columns().values()), _line(r)] for r in st.rows],
                            head, disable_numparse=True))
    out.append(f"\n문제 problems: {len(sheet.problems)}")
    return "\n".join(out)



def _identities(sheet: Sheet, data: bytes, identity) -> list[dict]:
    """The project identities of one sheet (or of each 세부사업 of an export read whole), for the cross pass."""
    from auditor.crossdoc.identity import identities
    from auditor.crossdoc.index import entry_of
    from auditor.readers import iter_sheets
    from auditor.readers.units import is_eho

    if is_eho(io.BytesIO(data).readline(), sheet.path):
        return identities((entry_of(unit) for unit in iter_sheets(data, sheet.path)), identity)
    return identities([entry_of(sheet)], identity)


def _places(units: list[Sheet]) -> list[str]:
    """For each sheet of a file that holds several: which one it is and its lines."""
    if len(units) == 1:
        return [""]
    ends = [u.first_line - 1 for u in units[1:]] + [len(units[0].lines)]
    return [f"  사업설명서 {n}/{len(units)}, {u.first_line}–{end}행 (sheet {n} of {len(units)}, lines {u.first_line}–{end})"
            for n, (u, end) in enumerate(zip(units, ends), start=1)]


def _identity_line(found: dict) -> str:
    key = " · ".join(part or "-" for part in found["key"].values())
    written = " · ".join(part or "-" for part in (found["name"], found["department"], found["account"]))
    return f"\n식별 identity ({found['kind']}): {key}  (사업명 · 부서 · 회계: {written})"


@click.command("parse", short_help="읽은 내용 보기. Show exactly what the reader read (text or JSON).")
@click.argument("files", nargs=-1, required=True, metavar="FILE...", type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: 사람이 읽는 요약 (a reviewer's summary); json: 모델 전체 (the whole model).")
@click.option("--lang", type=click.Choice(cfg.LANGS), default="ko", show_default=True,
              help="오류와 읽기 문제의 언어. Language of errors and reader problems.")
@click.option("--max-file-size", metavar="SIZE", default=None,
              help="이보다 큰 파일은 읽지 않음 (기본 1MB, 0은 제한 없음). Do not read a file larger than SIZE "
                   "(default: 1MB; 0: no limit); standard input too.")
def parse_command(files: tuple[str, ...], fmt: str, lang: str, max_file_size: str | None) -> None:
    """사업설명서를 읽어 모델을 보여 줍니다. Show exactly what the reader read from each sheet.

    FILE은 사업설명서 텍스트 파일이며 '-'는 표준 입력입니다. 읽기 문제(PARSE…)는 표준 오류에
    'path:line:col: PARSEnnn 메시지' 꼴로, 열지 못한 파일은 'auditor: error: path: 메시지'로 나옵니다.

    FILE is a 사업설명서 text file ('-' reads stdin; UTF-8 with or without BOM, or CP949).
    Reader problems go to stderr as 'path:line:col: PARSEnnn message', a file that cannot
    be opened as 'auditor: error: path: message', as in auditor check. The JSON shape
    ("auditor.parse/2": {"schema", "sheets": [...], "errors": [...]}, every number as
    {value, unit, line, column, text}) is documented in docs/model.md.

    Exit status: 0 read cleanly, 1 some PARSE problem, 2 some file could not be opened.
    """
    try:
        limit = parse_size(max_file_size) if max_file_size is not None else DEFAULT_MAX_FILE_SIZE
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="'--max-file-size'") from None
    sheets, errors, identities, places = [], [], [], []
    try:
        identity = cfg.resolve(cfg.Options()).identity  # [tool.auditor.identity]: how projects are matched
    except cfg.ConfigError as err:
        echo_error(err.message_ko if lang == "ko" else str(err))
        sys.exit(2)
    for name in files:
        try:
            if name == "-":  # read as a file is read: up to the limit, never without end
                piped = read_stdin(getattr(sys.stdin, "buffer", None), "<stdin>", limit)
                if isinstance(piped, FileError):
                    raise InputError(piped.path, piped.message_ko, piped.message_en)
                data, shown = piped, "<stdin>"
            else:
                shown = printable(name)
                data = read_input(name, shown, limit)
        except InputError as err:
            errors.append(err)
            echo_error(f"{err.path}: {err.message_en if lang == 'en' else err.message_ko}")
            continue
        units = read_units(data, shown)  # a file of several 사업설명서 run together: each of them
        sheets += units
        places += _places(units)
        for sheet in units:
            identities.append(_identities(sheet, data, identity))
            for p in sheet.problems:
                click.echo(f"{p.source}: {p.code} {p.message_en if lang == 'en' else p.message_ko}", err=True)
    if fmt == "json":
        data = {"schema": SCHEMA, "sheets": [to_data(s) for s in sheets],
                "errors": [{"path": e.path, "message_ko": e.message_ko, "message_en": e.message_en} for e in errors],
                "identities": [{"path": s.path, "projects": ids} for s, ids in zip(sheets, identities)]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(render_text(s, place) + "".join(_identity_line(i) for i in ids)
                                for s, ids, place in zip(sheets, identities, places)))
    if errors:
        sys.exit(2)
    if any(s.problems for s in sheets):
        sys.exit(1)
