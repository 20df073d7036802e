#!/bin/sh
# Smoke test of the built bundle: `ssd-starter demo` in a clean environment with no Python on PATH
# must exit 0, write the screenshots and the dossier PDF, and print no traceback.
#   sh packaging/smoke-test.sh [dist/ssd-starter/ssd-starter]
set -u
BIN=$(cd "$(dirname "${1:-dist/ssd-starter/ssd-starter}")" && pwd)/$(basename "${1:-dist/ssd-starter/ssd-starter}")
[ -x "$BIN" ] || { echo "smoke test: $BIN not found: build it first (make package)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/bin"  # PATH is this empty folder: no python3, no /usr/bin
if env -i PATH="$TMP/bin" /bin/sh -c 'command -v python3 || command -v python' >/dev/null 2>&1; then
    echo "smoke test: python is still on PATH, the test would prove nothing" >&2; exit 1
fi
start=$(date +%s)
(cd "$TMP" && env -i PATH="$TMP/bin" HOME="$TMP" SSD_STARTER_DATA_DIR="$TMP/data" QT_QPA_PLATFORM=offscreen \
    "$BIN" demo --out "$TMP/out" >"$TMP/stdout" 2>"$TMP/stderr")
rc=$?
fail=0
[ "$rc" -eq 0 ] || { echo "smoke test: exit code $rc" >&2; fail=1; }
if grep -q Traceback "$TMP/stderr"; then echo "smoke test: traceback on stderr" >&2; fail=1; fi
# stdout lists every file written (one screenshot per area, then the dossier): each must exist
pngs=0
while IFS= read -r path; do
    [ -s "$path" ] || { echo "smoke test: $path listed but not written" >&2; fail=1; }
    case "$path" in *.png) pngs=$((pngs + 1)) ;; esac
done <"$TMP/stdout"
[ "$pngs" -ge 5 ] || { echo "smoke test: only $pngs screenshots" >&2; fail=1; }
head -c 5 "$TMP/out/en-dossier.pdf" 2>/dev/null | grep -q '%PDF-' || { echo "smoke test: en-dossier.pdf missing" >&2; fail=1; }
if [ "$fail" -ne 0 ]; then
    echo "--- stdout"; cat "$TMP/stdout"; echo "--- stderr"; cat "$TMP/stderr"; exit 1
fi
echo "smoke test passed in $(( $(date +%s) - start )) s: $pngs screenshots + en-dossier.pdf, exit 0, no traceback, no Python on PATH"
