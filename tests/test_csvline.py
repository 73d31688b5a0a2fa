"""split_cells against split_csv_line, the character-by-character reference: same values, same starts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.readers.csvline import split_cells, split_csv_line, split_written
from auditor.testing.eho import csv_line


def reference(line: str) -> tuple[list[str], list[int]]:
    cells = split_csv_line(line)
    return [c.value for c in cells], [c.column - 1 - c.quoted for c in cells] + [len(line) + 1]


_CHARS = st.sampled_from(list(',"a 1\t원ο'))


@settings(max_examples=2000, deadline=None)
@given(st.text(_CHARS, max_size=24))
def test_split_cells_reads_any_line_as_the_reference(line):
    assert split_cells(line) == reference(line)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(_CHARS, max_size=8), min_size=1, max_size=12))
def test_split_cells_reads_written_records_as_the_reference(cells):
    """Records as a CSV writer writes them (the canonical form the fast starts are for) and as others do."""
    line = csv_line(cells)
    values, starts = split_cells(line)
    assert (values, starts) == reference(line)
    assert values == cells


def test_split_cells_on_records_quoted_otherwise():
    for line in ('"a","1,000",b', 'a,"1,""2""",c', ' "1,2",x', '"1,2"x,y', '"unclosed,a', 'a,,"",b', ''):
        assert split_cells(line) == reference(line), line


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(_CHARS, max_size=24),
                 st.lists(st.text(_CHARS, max_size=8), min_size=1, max_size=12).map(csv_line)))
def test_split_written_is_split_cells_where_it_reads_and_quotes_exactly_the_cells_with_commas(line):
    written = split_written(line)
    if written is None:
        assert '"' in line
        return
    assert written == split_cells(line)
    values, starts = written
    assert [line.startswith('"', s) for s in starts[:-1]] == ["," in v for v in values]
