"""The cheaper pieces of making a flagged document's details from its lines (``auditor.crossdoc.details``),
each held to its reference: the figure guard (a figure's text compared with its value as the books write
it) to ``read_number``'s reading; ``_cells_upto`` (a record's first cells) to ``split_written``'s; a record
that shares its first cells with the one before (``ExportLines.cells``) to ``_cells_upto`` of the whole line. And the guard
broken on purpose: a figure changed by a digit, or moved to another line, is never taken as the entry's."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings, strategies as st

from auditor.crossdoc import details
from auditor.crossdoc.details import ExportLines, _cells_upto, _figure_value, _is_amount, _is_figure
from auditor.crossdoc.index import EXPORT, _nested, screen_data
from auditor.crossdoc.pipeline import _from_lines
from auditor.discovery import Input
from auditor.engine import load_ruleset
from auditor.readers.csvline import split_written
from auditor.readers.decode import decode
from auditor.result import KEEP_NONE
from auditor.runner import INDEX_ALL, check_one
from auditor.testing.eho import csv_line
from auditor.testing.years import generate_book

RULES = load_ruleset()
REPO = Path(__file__).resolve().parent.parent

# --- the figure guard -----------------------------------------------------------------------------------

_BIG = 10 ** 31
values = st.one_of(st.integers(-10**7, 10**7), st.integers(-2 * _BIG, 2 * _BIG),
                   st.sampled_from([0, -1, 1, _BIG - 1, -_BIG + 1, _BIG, -_BIG, 10**30]))


def _variants(value: int, rnd: random.Random) -> list[str]:
    """Texts near how the books write ``value``: as written, with markers, signs, units and blanks, a digit
    changed, a comma moved or dropped, a decimal."""
    plain = format(abs(value), ",")
    signs = ["△", "-", "Δ", "−", "- ", "△ "] if value < 0 else ["", "△"] if value == 0 else ["", "+", "-"]
    out = []
    for sign in signs:
        for mark in ("", "(x-) ", "(x-)", "(x-)  ", " (x-) ", "(x-) (x-) ", "(x -) ", "(X-) "):
            for unit in ("", "천원", " 천원", "원", "%", "  천원"):
                out.append(f"{mark}{sign}{plain}{unit}")
    digits = list(plain)
    at = rnd.randrange(len(digits))
    if digits[at].isdigit():
        digits[at] = str((int(digits[at]) + 1) % 10)
    out += ["".join(digits), "(x-) " + "".join(digits), plain.replace(",", ""), plain + ".0", plain + ".5",
            "0" + plain, plain + " ", " " + plain, "", "민간위탁금", str(abs(value)) + "천 원", plain[1:]]
    return out


@settings(max_examples=300, deadline=None)
@given(values, st.integers(0, 2**32))
def test_the_figure_guard_is_read_number(value, seed):
    rnd = random.Random(seed)
    for text in _variants(value, rnd):
        for v in (value, -value, value + 1, str(value), f"{value}.5"):
            truth = _figure_value(text) == v
            assert _is_figure(text, v) == truth, (text, v)
            assert _is_amount(text, v) == truth, (text, v)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("(x-) △Δ−-0123456789,.천원%")), max_size=14), values)
def test_the_figure_guard_on_any_text(text, value):
    for v in (value, _figure_value(text)):
        truth = _figure_value(text) == v
        assert _is_figure(text, v) == truth and _is_amount(text, v) == truth, (text, v)


# --- a record's first cells ------------------------------------------------------------------------------

_CHARS = st.sampled_from(list(',"a 1원ο'))
_lines = st.one_of(st.text(_CHARS, max_size=30),
                   st.lists(st.text(_CHARS, max_size=6), min_size=1, max_size=12).map(csv_line),
                   st.tuples(st.lists(st.text(_CHARS, max_size=6), min_size=1, max_size=12).map(csv_line),
                             st.integers(0, 60), st.sampled_from(['"', ",", "a", ""])).map(
                       lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:]))


@settings(max_examples=3000, deadline=None)
@given(_lines)
def test_a_records_first_cells_are_split_writtens(line):
    written = split_written(line)
    if written is not None and any('"' in v for v in written[0]):
        written = None  # a quote inside a value: not a record as a CSV writer writes it
    for count in range(1, 15):
        got = _cells_upto(line, count)
        if written is not None and len(written[0]) >= count:
            assert got == (written[0][:count], written[1][:count])


def _export_lines() -> dict[str, tuple[str, ...]]:
    files = {p.relative_to(REPO).as_posix(): p.read_bytes() for p in sorted((REPO / "examples").rglob("*.csv"))}
    for seed in range(3):
        book = generate_book(seed, projects=4, years=2, inject=True)
        files.update({f"book{seed}/{p}": d for p, d in book.files.items() if p.endswith(".csv")})
    return {p: decode(d).lines for p, d in files.items()}


def test_a_record_split_after_another_shares_its_first_cells_rightly():
    """Every record of the example and generated exports, in file order, in random order and each after a
    line of another shape: ``ExportLines.cells`` gives ``_cells_upto`` of the whole line, which is
    ``split_written``'s first cells."""
    rnd = random.Random(5)
    shared = 0
    for path, lines in _export_lines().items():
        exports = ExportLines(path, lines)
        if exports.rows is None:
            continue
        count = exports.count
        records = list(lines[2:])
        odd = [line.replace(",", '"', 1) for line in records[:5]] + [line[:len(line) // 2] for line in records[:5]]
        shuffled = records[:]
        rnd.shuffle(shuffled)
        for line in [*records, *shuffled, *(x for pair in zip(odd, records) for x in pair)]:
            had = exports.prefix is not None and line.startswith(exports.prefix[0])
            shared += had
            got = exports.cells(line)
            assert got == _cells_upto(line, count), (path, line)
            written = split_written(line)
            if written is not None and got is not None and not any('"' in v for v in written[0]):
                assert got == (written[0][:count], written[1][:count])
    assert shared > 300  # the shared first cells were used


# --- the guard broken on purpose -------------------------------------------------------------------------

def _book_and_lean(seed: int = 7):
    book = generate_book(seed, projects=3, years=3, inject=True)
    sources = {p: Input(p, p, data=d) for p, d in sorted(book.files.items())}
    lean = {p: check_one(item, RULES, KEEP_NONE, INDEX_ALL)[0].index for p, item in sources.items()}
    return book.files, lean


def _changed(data: bytes, n: int, old: str, new: str) -> bytes:
    lines = data.split(b"\n")
    assert old.encode() in lines[n - 1]
    lines[n - 1] = lines[n - 1].replace(old.encode(), new.encode(), 1)
    return b"\n".join(lines)


def _one_digit_more(written: str) -> str:
    return written[:-1] + str((int(written[-1]) + 1) % 10)


def test_a_figure_changed_by_a_digit_or_moved_to_another_line_is_refused():
    """Each kind of figure the guard compares as text (a 예산 총괄 figure, a 결산 figure, a 산출근거 amount; an
    e호조 record's amount): its file edited after the check, one digit changed, or the line's text moved a
    line down: the details are not made from the lines (None: the file is read whole and its screen part
    compared), where the file as checked gives them."""
    files, lean = _book_and_lean()
    edits = 0
    for path, entries in lean.items():
        if not entries:
            continue
        item = Input(path, path, data=files[path])
        assert _from_lines(item, list(entries)) is not None
        head = _nested(screen_data(entries[0]))  # (the flat part in its nested form: each value with its line)
        lines = decode(files[path]).lines
        if entries[0].kind == EXPORT:
            record = head[5][2][0][5][0]
            figures = [(record[1], record[7])]
        else:
            summary, settlement = head[3], head[4]
            figures = [summary[2][2][:3:2]] + [a[:3:2] for s in settlement for a in s[1] if a][:1]
            basis = head[5][2][0][5][0]
            figures.append((basis[1], basis[7]))
        for value, n in figures:
            if type(value) is not int or value < 10:
                continue
            line = lines[n - 1]
            written = format(value, ",")
            if line.count(written) != 1:
                continue  # (a 예산 총괄 figure is looked for in the cells after the one before it: one left unchanged
                # beside it, such as a change equal to B, would be taken; as before this change)
            for data in (_changed(files[path], n, written, _one_digit_more(written)),
                         files[path].replace(line.encode(), b"\n" + line.encode(), 1)):
                assert _from_lines(Input(path, path, data=data), list(entries)) is None, (path, n, value)
                edits += 1
    assert edits > 20
