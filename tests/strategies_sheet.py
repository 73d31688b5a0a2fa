"""Hypothesis strategies that add extraction noise to the real sheets, and helpers to compare readings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from auditor.model import Sheet, walk
from auditor.readers.dump import to_data
from auditor.readers.numbers import MARKER, parse_number
from auditor.source import Source

SHEETS_DIR = Path(__file__).resolve().parent.parent / "examples" / "sheets"
REAL = {p.name: p.read_text(encoding="utf-8") for p in sorted(SHEETS_DIR.glob("*.txt"))}
MINUS = "△Δ−-"


def placed_lines(sheet: Sheet) -> set[int]:
    """Every line number that some Source in the model points at."""
    return {source.line for source in walk(sheet, Source)}


def values_only(sheet) -> Any:
    """The model as data without positions or original text: what must survive layout noise."""
    def strip(o):
        if isinstance(o, dict):
            return {k: strip(v) for k, v in o.items()
                    if k not in ("line", "column", "text", "source", "layout", "encoding", "line_count")}
        if isinstance(o, list):
            return [strip(x) for x in o]
        return o
    return strip(to_data(sheet))


def _number_cell(cell: str) -> bool:
    return parse_number(cell) is not None


@st.composite
def noisy_sheet(draw, name: str | None = None) -> tuple[str, bytes]:
    """A real sheet with noise the reader must tolerate; returns (sheet name, encoded bytes)."""
    name = name or draw(st.sampled_from(sorted(REAL)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp949"]))
    minus = MINUS.replace("−", "") if encoding == "cp949" else MINUS  # U+2212 is not in CP949
    out: list[str] = []
    lines = REAL[name].split("\n")
    for i, line in enumerate(lines):
        if "\t" in line:
            cells = line.split("\t")
            for j, cell in enumerate(cells):
                core = MARKER.sub("", cell).strip()
                if j >= 1 and _number_cell(cell) and draw(st.integers(0, 3)) == 0:
                    cell = core if "(x-)" in cell else "(x-) " + cell  # toggle the marker
                if core[:1] in MINUS and core[1:2].isdigit() and draw(st.booleans()):
                    cell = cell.replace(core[0], draw(st.sampled_from(minus)), 1)
                cells[j] = cell
            line = "\t".join(cells)
            if draw(st.integers(0, 4)) == 0:
                line = "\t" + line  # a stray leading tab
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if "\t" in following and draw(st.integers(0, 5)) == 0:
                out.append(line)
                line = draw(st.sampled_from(["", "-----\t-----\t-----", "   "]))
        out.append(line)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return name, newline.join(out).encode(encoding)


@st.composite
def mangled_bytes(draw) -> bytes:
    """Any damage at all: truncation, dropped or duplicated lines, flipped bytes, or plain random bytes."""
    kind = draw(st.sampled_from(["truncate", "lines", "flip", "random", "text"]))
    real = REAL[draw(st.sampled_from(sorted(REAL)))]
    if kind == "random":
        return draw(st.binary(max_size=2000))
    if kind == "text":
        alphabet = st.sampled_from(list("\t\n\r -=○□△Δ−#*()[]x,.0123456789계연도구분과목천원%<>/") + ["(x-)", "□ 사업개요"])
        return "".join(draw(st.lists(alphabet, max_size=300))).encode("utf-8")
    data = real.encode(draw(st.sampled_from(["utf-8", "cp949"])), errors="replace")
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flip":
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 20))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    lines = real.split("\n")
    picks = draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines)))
    return "\n".join(lines[i] for i in picks).encode("utf-8")


@st.composite
def truncated_sheet(draw) -> bytes:
    """A real sheet cut anywhere before its first 산출근거 ○ group (so that core part is missing)."""
    real = REAL[draw(st.sampled_from(sorted(REAL)))]
    first_group = min(i for i in (real.find("\t○"), real.find("\n○")) if i >= 0)
    encoding = draw(st.sampled_from(["utf-8", "cp949"]))
    return real[: draw(st.integers(0, first_group))].encode(encoding)
