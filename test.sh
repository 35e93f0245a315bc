#!/usr/bin/env bash
# Runs every test of SweepRunner. Needs only the .NET 10 SDK on Debian 12 / Ubuntu; installs any
# system package the tests need when it is missing.
set -euo pipefail
cd "$(dirname "$0")"

# The scoring page's and the report's browser tests drive the system Chromium (Debian package chromium);
# they never download a browser.
if [ -z "${SWEEPRUNNER_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
    echo "installing chromium for the browser tests"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# Build once, then run the test projects one after another (-m:1): several of them train with libtorch,
# whose spinning threads make two trainings side by side many times slower than one after the other.
dotnet build SweepRunner.sln -c Release 2>&1 | tee "$log" || status=$?
if [ $status -eq 0 ]; then
    dotnet test SweepRunner.sln -c Release --no-build -m:1 2>&1 | tee -a "$log" || status=$?
fi

# One summary line over all test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit $status
