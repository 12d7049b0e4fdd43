#!/usr/bin/env bash
# sqlmap (Debian package `sqlmap`) against the data routes' parameters and the reporter's forms, on
# 127.0.0.1 only: scripts/sqlmap-target.ts serves the app over a throwaway embedded database with intake
# rate limits off. Passes when sqlmap finds no injection point anywhere. Takes a few minutes (about 10
# at --level 3), so it is not part of .ci/run: run it before a release and after changing any query.
#
#   scripts/sqlmap.sh            # level 2, risk 1
#   SQLMAP_LEVEL=3 scripts/sqlmap.sh
#
# Forms carry a signed, single-use token (name="token"); sqlmap fetches a fresh one before every request
# with --csrf-token=token --csrf-url=<the form page>, so each probe is judged by the database's answer,
# not refused as a replayed form. --skip-waf: the data routes answer 400 to any value they do not know,
# which sqlmap's heuristics otherwise report as a WAF.
set -euo pipefail
set -f # the targets hold `*` injection markers, not globs
cd "$(dirname "$0")/.."

command -v sqlmap >/dev/null || { echo "sqlmap is not installed: apt-get install -y sqlmap"; exit 2; }
port="${SQLMAP_PORT:-3989}"
level="${SQLMAP_LEVEL:-2}"
base="http://127.0.0.1:$port"
out=$(mktemp -d)
if curl -s "$base/healthz" >/dev/null 2>&1; then echo "port $port is already in use (SQLMAP_PORT=…)"; exit 2; fi
set -m
npx tsx scripts/sqlmap-target.ts "$port" >"$out/target.log" 2>&1 &
target=$!
set +m
# The target runs in its own process group (set -m): npx, tsx and node all stop with it.
stop_target() {
  kill -TERM -- -"$target" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 -- -"$target" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL -- -"$target" 2>/dev/null || true
}
trap 'stop_target; rm -rf "$out"' EXIT
for _ in $(seq 1 150); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$base/healthz" >/dev/null || { cat "$out/target.log"; exit 1; }

report_form='state=VT&field_office=&county=&month=3&year=2026&action=surveillance&activism=organizing&role=organizer&evidence=personal_account&narrative=x&consent=yes&website=&token=t'
targets=(
  "-u $base/map?release=2026-Q3&view=state&year=2024"
  "-u $base/map?view=field_office&action=arrest"
  "-u $base/map/states.svg?release=2026-Q3&year=2024"
  "-u $base/data/releases/2026-Q3*"
  "-u $base/data/releases/2026-Q3*/by_state.csv*"
  "-u $base/api/v1/releases/2026-Q3*/tables/by_state*"
  "-u $base/report --data=$report_form --csrf-token=token --csrf-url=$base/report"
  "-u $base/es/report --data=$report_form --csrf-token=token --csrf-url=$base/es/report"
  "-u $base/status --data=receipt=alpha-bravo-charlie-delta-echo-foxtrot"
)
found=0
for target in "${targets[@]}"; do
  echo "==> sqlmap $target"
  # shellcheck disable=SC2086 # each target is a word list on purpose
  threads=4
  case "$target" in *--csrf-url*) threads=1 ;; esac # sqlmap refuses --csrf-url with threads
  sqlmap $target --batch --level="$level" --risk=1 --dbms=PostgreSQL --threads="$threads" --flush-session --skip-waf \
    --output-dir="$out/sqlmap" --disable-coloring >"$out/run.log" 2>&1 || true
  grep -E "is vulnerable|identified the following injection point|appears to be injectable" "$out/run.log" && found=1
  grep -E "all tested parameters do not appear to be injectable" "$out/run.log" | tail -1 || true
  # A target sqlmap could not test is not a target found clean.
  if grep "\[CRITICAL\]" "$out/run.log"; then broken=1; fi
done
if [ "$found" -ne 0 ]; then echo "sqlmap FOUND an injection point"; exit 1; fi
if [ "${broken:-0}" -ne 0 ]; then echo "sqlmap could not test every target (CRITICAL above)"; exit 1; fi
echo "sqlmap: nothing found"
