#!/usr/bin/env bash
# A ~30-second build-like demo for StepFlow: 4 steps, coloured output, metadata, a critical
# step, stderr lines and two real artifacts in ./build. Run with DEMO_FAIL=1 to see the
# critical Test step fail and StepFlow stop the run.
set -uo pipefail

BOLD=$'\e[1m'; DIM=$'\e[2m'; RED=$'\e[31m'; GREEN=$'\e[32m'; YELLOW=$'\e[33m'; CYAN=$'\e[36m'; RESET=$'\e[0m'
FAIL="${DEMO_FAIL:-0}"

# When StepFlow cancels the run it signals the whole process group; say so instead of vanishing.
trap 'echo "${YELLOW}received SIGTERM, cleaning up${RESET}"; exit 143' TERM

progress() { # progress LABEL SECONDS: ten lines of a growing bar, spread over SECONDS
  local label=$1 total=$2 i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    printf '%s [%-10s] %3d%%\n' "$label" "$(printf '#%.0s' $(seq 1 "$i"))" $((i * 10))
    sleep "$(awk -v t="$total" 'BEGIN { printf "%.2f", t / 10 }')"
  done
}

# Output before the first step belongs to the execution; so does this metadata.
echo "${BOLD}StepFlow demo build${RESET} ${DIM}(DEMO_FAIL=${FAIL})${RESET}"
echo "META:branch:main"
echo "META:commit:$(printf '%07x' $((RANDOM * RANDOM % 268435455)))"

echo "STEP_START:Checkout[duration=3]"
echo "${CYAN}Cloning into 'demo-app'...${RESET}"
sleep 1
echo "remote: Enumerating objects: 1284, done."
echo "remote: Counting objects: 100% (1284/1284), done."
sleep 1
echo "Receiving objects: 100% (1284/1284), 2.31 MiB | 9.80 MiB/s, done."
echo "${GREEN}HEAD is now at 4f2c1ab Add retry to uploader${RESET}"
sleep 1
echo "STEP_COMPLETE:Checkout"

echo "STEP_START:Install[duration=8]"
echo "META:package_manager:npm"
echo "${CYAN}Installing dependencies...${RESET}"
progress "  fetching packages" 5
echo "npm warn deprecated inflight@1.0.6: This module is not supported" >&2
echo "npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported" >&2
sleep 1
echo "    indented line: blank lines and indentation are kept in the log"
echo
echo "${GREEN}added 412 packages in 6.2s${RESET}"
sleep 1
echo "STEP_COMPLETE:Install"

# Test is critical: if it fails, StepFlow stops the whole run (SIGTERM, then SIGKILL).
echo "STEP_START:Test[stop_on_error=true, duration=10]"
mkdir -p build
passed=0
for suite in parser engine store http websocket cli; do
  sleep 1.5
  if [[ "$FAIL" == "1" && "$suite" == "store" ]]; then
    echo "  ${RED}✗ ${suite}: 2 of 7 tests failed${RESET}"
    echo "    AssertionError: expected 42, got 41 (store/append.test.ts:88)" >&2
    break
  fi
  passed=$((passed + 7))
  echo "  ${GREEN}✓${RESET} ${suite} ${DIM}(7 tests)${RESET}"
done
{
  echo "StepFlow demo test report"
  echo "generated: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "passed: ${passed}"
  [[ "$FAIL" == "1" ]] && echo "failed: 2 (store)"
} > build/report.txt
echo "ARTIFACT:build/report.txt:Test report"
echo "META:tests_passed:${passed}"
if [[ "$FAIL" == "1" ]]; then
  echo "STEP_ERROR:2 tests failed in suite store"
  # No `exit` here on purpose: StepFlow itself stops the run because the step is critical.
  # Run outside StepFlow, the script carries on and exits 1 at the end.
else
  echo "META:coverage:87.5"
  echo "STEP_COMPLETE:Test"
fi

echo "STEP_START:Package[duration=5]"
echo "${CYAN}Bundling application...${RESET}"
mkdir -p build/app
printf 'console.log("hello from the demo app");\n' > build/app/index.js
printf '{ "name": "demo-app", "version": "1.0.0" }\n' > build/app/package.json
cp build/report.txt build/app/
progress "  compressing" 3
tar -czf build/app.tar.gz -C build app
echo "$(du -h build/app.tar.gz | cut -f1)	build/app.tar.gz"
echo "ARTIFACT:build/app.tar.gz:Application bundle"
sleep 1
echo "${GREEN}${BOLD}Build finished${RESET}"
echo "STEP_COMPLETE:Package"

[[ "$FAIL" == "1" ]] && exit 1
exit 0
