"""``benchmarks/crossdoc.py``'s index part runs against the cross pass as it is (it had fallen behind the index's
rows of columns: ``Index`` has ``extend``, not ``append``). Nothing here is timed: the benchmark's figures go to
docs/performance.md; this only holds its code to the product's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _benchmark():
    spec = importlib.util.spec_from_file_location("crossdoc_benchmark", ROOT / "benchmarks" / "crossdoc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_index_part_of_the_crossdoc_benchmark_runs_on_a_small_book(tmp_path):
    from auditor.testing.years import generate_book, write_book

    root = tmp_path / "book"
    write_book(root, generate_book("bench-test", projects=2, years=2))
    out = _benchmark().index_memory(root, [4, 8])
    assert out["documents"] > 0
    assert out["bytes_in_memory_per_entry"] > 0 and out["bytes_stored_per_entry"] > 0
    assert set(out["peaks"]) == {4, 8} and all(peak > 0 for peak in out["peaks"].values())
    assert out["slope_bytes_per_entry"] > 0
