#!/bin/sh
# Render a ccus HTML report in headless Chromium and save a PNG screenshot, to look at the
# report as a reader sees it (layout, figures, tables). Not part of the default test run.
#
#   tests/report_screenshot.sh [REPORT.html|RESULT.h5] [OUT.png]
#
# Default: runs experiments/carbfix1_batch.toml into a temporary store, builds its report and
# writes report_screenshot.png. Needs /usr/bin/chromium (Debian package `chromium`); without it
# the script says so and exits 0 (skipped), so it can sit in a check target.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
py="$here/.venv/bin/python"
chromium=${CHROMIUM:-/usr/bin/chromium}
out=${2:-report_screenshot.png}
if [ ! -x "$chromium" ]; then
    echo "skipped: $chromium not found (apt-get install chromium)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=${1:-}
case "$src" in
    "")
        "$here/.venv/bin/ccus" run "$here/experiments/carbfix1_batch.toml" -o "$tmp/result.h5" -q >/dev/null
        "$here/.venv/bin/ccus" report "$tmp/result.h5" -o "$tmp/report.html" >/dev/null
        report="$tmp/report.html" ;;
    *.h5)
        "$here/.venv/bin/ccus" report "$src" -o "$tmp/report.html" >/dev/null
        report="$tmp/report.html" ;;
    *)
        report=$src ;;
esac
report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
# Headless, offline: no sync, updates or background networking; a throw-away profile.
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$tmp/profile" --screenshot="$out" --window-size=1200,3000 \
    "file://$report" >/dev/null 2>&1
[ -s "$out" ] || { echo "error: no screenshot written" >&2; exit 1; }
echo "screenshot: $out"
