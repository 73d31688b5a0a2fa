"""Generate 사업설명서 sheets that are consistent by construction, or that carry one known fault each, with an answer key.

    python -m auditor.testing.corpus DIR --count 1000 [--seed 0] [--inject [FRACTION]] [--kinds SUM001,SET003]

Each sheet is drawn from ``random.Random`` seeded per sheet, so a seed always gives
the same corpus. Sheets vary in size (1–8 통계목, ○ groups and - items, schedule
steps, settlement years, funding sources), in formula syntax (every operator,
brackets, percentages, fractions, money and count units, labels holding numbers)
and in layout noise (``(x-)`` markers, stray tabs, blank and ``-----`` lines inside
tables, a rate header on two lines, HTML fragments, △ and Δ, markdown or plain
headings), in UTF-8, UTF-8 with BOM or CP949, with LF or CRLF.

With ``--inject`` every sheet (or the given fraction of them) has exactly one
figure, year or name changed so that one rule must fire; ``answer-key.jsonl``
says, for each sheet, which rule, on which lines it may report, and what else
that one change necessarily breaks (``also``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.testing.faults import KINDS, inject as inject_fault
from auditor.testing.plan import draw_plan
from auditor.testing.render import render

__all__ = ["ANSWER_KEY", "Fault", "GeneratedSheet", "KINDS", "answer_key", "detected", "generate_sheet",
           "write_corpus"]

ANSWER_KEY = "answer-key.jsonl"
#: Encodings of the generated files, with their weights.
ENCODINGS = {"utf-8": 55, "utf-8-sig": 15, "cp949": 30}
#: At most this many sheets per subdirectory, as the files of one budget book.
PER_DIRECTORY = 100


@dataclass(frozen=True)
class Fault:
    """One injected fault: the rule that must fire, the lines it may report on, and the change itself."""

    kind: str
    rule: str
    variant: str
    lines: tuple[int, ...]
    line: int
    column: int
    before: str
    after: str
    also: tuple[str, ...]
    description: str

    def to_json(self) -> dict:
        return {"rule": self.rule, "lines": list(self.lines), "kind": self.kind, "variant": self.variant,
                "also": list(self.also), "line": self.line, "column": self.column, "before": self.before,
                "after": self.after, "description": self.description}


@dataclass(frozen=True)
class GeneratedSheet:
    """A generated sheet: its text (LF line ends), how to write it, and its fault if one was injected.

    ``consistent`` is the text before the fault was injected (the same as ``text`` without one).
    """

    text: str
    encoding: str
    newline: str
    fault: Fault | None
    consistent: str

    @property
    def data(self) -> bytes:
        """The file's bytes: the text with its line ends, in its encoding (a BOM for ``utf-8-sig``)."""
        return self.text.replace("\n", self.newline).encode(self.encoding)


def generate_sheet(rng_or_seed: random.Random | int | str, *, fault: str | None = None) -> GeneratedSheet:
    """One sheet from a seed (or a ``random.Random``); with ``fault`` (a key of :data:`KINDS`), one fault of that kind.

    A consistent sheet satisfies every identity the built-in rules check. When the first
    sheet drawn offers no place for the fault (no settlement table for SET003, say), the
    next one drawn from the same seed is taken.
    """
    if fault is not None and fault not in KINDS:
        raise ValueError(f"unknown fault kind {fault!r} (known: {', '.join(KINDS)})")
    rng = rng_or_seed if isinstance(rng_or_seed, random.Random) else random.Random(rng_or_seed)
    streams = [random.Random(rng.getrandbits(64)) for _ in range(4)]
    plan_rng, render_rng, fault_rng, file_rng = streams
    encoding = file_rng.choices(list(ENCODINGS), weights=list(ENCODINGS.values()))[0]
    newline = "\r\n" if file_rng.random() < 0.2 else "\n"
    for _ in range(200):
        plan = draw_plan(plan_rng, utf8=encoding != "cp949")
        doc = render(plan, render_rng)
        change = inject_fault(fault, doc, plan, fault_rng) if fault is not None else None
        if fault is None or change is not None:
            break
    else:  # pragma: no cover - every kind has a place in most sheets
        raise RuntimeError(f"no sheet offered a place for {fault}")
    consistent = "\n".join(doc.lines) + "\n"
    record = None
    text = consistent
    if change is not None:
        text = "\n".join(doc.replaced(change.site, change.new)) + "\n"
        record = Fault(fault, change.rule, change.variant, tuple(sorted(change.lines)), change.site.line,  # type: ignore[arg-type]
                       change.site.start + 1, change.site.text, change.new, tuple(sorted(change.also)),
                       change.description)
    return GeneratedSheet(text, encoding, newline, record, consistent)


def _fraction(inject: bool | float) -> float:
    if inject is True or inject is False:
        return float(inject)
    if not 0 <= inject <= 1:
        raise ValueError(f"inject must be a fraction between 0 and 1, not {inject}")
    return float(inject)


def write_corpus(directory: str | Path, count: int, *, seed: int = 0, inject: bool | float = False,
                 kinds: Iterable[str] | None = None) -> Path:
    """Write ``count`` sheets under ``directory`` (subdirectories of at most 100 files); returns ``directory``.

    ``inject`` is False (all consistent), True (one fault in every sheet) or the fraction of
    sheets that get one; the faulty sheets cycle through ``kinds`` (default: every kind). When
    injecting, ``answer-key.jsonl`` gets one line per sheet, in order: its path (relative to
    ``directory``), its encoding, and the fault's fields (``rule`` null for a consistent sheet).
    Sheets are written one at a time, never all held in memory.
    """
    root = Path(directory)
    chosen = list(KINDS) if kinds is None else list(kinds)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown or not chosen:
        raise ValueError(f"unknown fault kinds {unknown} (known: {', '.join(KINDS)})")
    fraction = _fraction(inject)
    root.mkdir(parents=True, exist_ok=True)
    key = (root / ANSWER_KEY).open("w", encoding="utf-8") if fraction > 0 else None
    injected = 0
    try:
        for i in range(count):
            faulty = fraction >= 1 or (fraction > 0 and random.Random(f"{seed}/{i}/inject").random() < fraction)
            kind = chosen[injected % len(chosen)] if faulty else None
            injected += faulty
            sheet = numbered(generate_sheet(random.Random(f"{seed}/{i}"), fault=kind), i + 1)
            rel = f"book_{i // PER_DIRECTORY:03d}/sheet_{i:05d}.txt"
            path = root / rel
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(sheet.data)
            if key is not None:
                entry = {"path": rel, "encoding": sheet.encoding}
                entry.update(sheet.fault.to_json() if sheet.fault else {"rule": None})
                key.write(json.dumps(entry, ensure_ascii=False) + "\n")
    finally:
        if key is not None:
            key.close()
    return root


def numbered(sheet: GeneratedSheet, number: int) -> GeneratedSheet:
    """``sheet`` with ``number`` after its title (``# 청년 일자리 지원 17``), so that the sheets of a corpus
    are as many projects as a real book's: independently drawn sheets would otherwise share a 사업명,
    부서 and 회계 now and then, and be taken for one project's years (see auditor.crossdoc)."""
    def title_numbered(text: str) -> str:
        lines = text.split("\n")
        at = next(n for n, line in enumerate(lines) if line.strip())
        lines[at] = f"{lines[at].rstrip()} {number}" + lines[at][len(lines[at].rstrip()):]
        return "\n".join(lines)

    return replace(sheet, text=title_numbered(sheet.text), consistent=title_numbered(sheet.consistent))


def answer_key(directory: str | Path) -> Iterator[dict]:
    """The entries of a corpus's ``answer-key.jsonl``, in order."""
    with (Path(directory) / ANSWER_KEY).open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def detected(entry: dict | Fault, findings: Iterable[tuple[str, int]]) -> bool:
    """True when the fault's rule is among ``findings`` (``(rule, line)`` pairs) on one of its accepted lines."""
    rule, lines = (entry.rule, entry.lines) if isinstance(entry, Fault) else (entry["rule"], entry["lines"])
    return any(code == rule and line in lines for code, line in findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auditor.testing.corpus", description=__doc__.split("\n\n")[0],
        epilog="Fault kinds (the rule each makes fire): " + ", ".join(KINDS) + ".")
    parser.add_argument("directory", type=Path, nargs="?", help="where to write the sheets (created if missing)")
    parser.add_argument("--count", type=int, default=100, help="how many sheets (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="the corpus seed (default 0); the same seed, the same files")
    parser.add_argument("--inject", type=float, nargs="?", const=1.0, default=0.0, metavar="FRACTION",
                        help="inject one fault into every sheet, or into FRACTION of them, and write answer-key.jsonl")
    parser.add_argument("--kinds", default=None, metavar="CODES",
                        help="comma-separated fault kinds to inject, cycled through (default: all)")
    parser.add_argument("--list-kinds", action="store_true", help="list the fault kinds and exit")
    args = parser.parse_args(argv)
    if args.list_kinds:
        for kind, ways in KINDS.items():
            print(f"{kind}\t" + ", ".join(dict.fromkeys(w.__name__ for w in ways)))
        return 0
    if args.directory is None:
        parser.error("the directory is required")
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()] if args.kinds else None
    try:
        root = write_corpus(args.directory, args.count, seed=args.seed, inject=args.inject, kinds=kinds)
    except ValueError as err:
        parser.error(str(err))
    note = f"; answer key {root / ANSWER_KEY}" if args.inject > 0 else ""
    print(f"wrote {args.count} sheets under {root}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
