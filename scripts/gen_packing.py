"""Write auditor/crossdoc/packing.py, the index entry's packed walk written out, from auditor/crossdoc/index.py
(``--check`` fails when the file is stale)."""

from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET = ROOT / "auditor" / "crossdoc" / "packing.py"


def render() -> str:
    # index.py imports the module this writes: a stand-in lets it load while the file is stale or broken
    stand_in = types.ModuleType("auditor.crossdoc.packing")
    stand_in.item_lines = stand_in.group_lines = stand_in.walk = None
    stand_in.item_heads = stand_in.group_heads = stand_in.screen_walk = None
    kept = sys.modules.get("auditor.crossdoc.packing")
    sys.modules["auditor.crossdoc.packing"] = stand_in
    try:
        sys.modules.pop("auditor.crossdoc.index", None)
        from auditor.crossdoc import index

        return index.written_packing()
    finally:
        sys.modules.pop("auditor.crossdoc.index", None)
        if kept is not None:
            sys.modules["auditor.crossdoc.packing"] = kept
        else:
            sys.modules.pop("auditor.crossdoc.packing", None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when the file is not what would be written")
    args = parser.parse_args()
    text = render()
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python scripts/gen_packing.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
