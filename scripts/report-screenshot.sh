#!/usr/bin/env bash
# Remake docs/img/report.png (and report-findings.png when Pillow is importable): the HTML report
# over the example sheets plus a copy of sheet 000 with a broken 결산 row and 산출근거 amount, so
# that the picture shows findings. Needs Debian's chromium; run from anywhere.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
# The crop needs Pillow, which auditor does not depend on: point PIL_PYTHON at a Python that has it.
pil_python=${PIL_PYTHON:-$python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sheets"
cp "$repo"/examples/sheets/*.txt "$work/sheets/"
sed -e 's/2017\t(x-) 236,800\t(x-) 0\t(x-) 7,000\t(x-) 243,800/2017\t(x-) 236,800\t(x-) 0\t(x-) 7,000\t(x-) 245,800/' \
    -e 's/100,000원\*4명\*12개월\t= 4,800천원/100,000원*4명*12개월\t= 4,500천원/' \
    "$repo/examples/sheets/000_c6c48727fbba6ebb.txt" > "$work/sheets/000_broken_copy.txt"
cd "$work"
PYTHONPATH="$repo" "$python" -m auditor check sheets --isolated --output-format html -o report.html || true
shot() {  # shot WIDTHxHEIGHT OUT
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d -p "$work")" --hide-scrollbars --window-size="$1" \
        --screenshot="$2" "file://$work/report.html" 2>/dev/null
}
shot 1280,1800 "$repo/docs/img/report.png"
shot 1280,2700 "$work/tall.png"
"$pil_python" - "$work/tall.png" "$repo/docs/img/report-findings.png" <<'PY' || echo "Pillow not importable: kept report-findings.png"
import sys
from PIL import Image
Image.open(sys.argv[1]).crop((0, 1620, 1280, 2700)).save(sys.argv[2])
PY
