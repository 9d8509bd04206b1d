#!/usr/bin/env bash
# Runs every Go fuzz target in the module for the given time each (default 5s).
#
# Go 1.26's fuzz coordinator can fail a target with a bare "context deadline
# exceeded" at the end of a duration -fuzztime although no input failed
# (go.dev/issue/75804, fixed in Go 1.27): the deadline reaches the parent
# context before the workers' child context. Such a run writes no failing
# input. It is run again with a count-based -fuzztime, which has no
# wall-clock deadline, so a real failure still fails the script.
set -euo pipefail
fuzztime=${1:-5s}
retrycount=${FUZZ_RETRY_EXECS:-500x}
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
found=0

# coordinator_race reports whether log shows only the coordinator's bare
# deadline failure and no new failing input was written for the target.
coordinator_race() {
  local dir=$1 target=$2 before=$3
  grep -q '^    context deadline exceeded$' "$log" || return 1
  grep -qE '^\s+(fuzz_test|.*_test)\.go:[0-9]+:|Failing input written|panic:' "$log" && return 1
  [ "$(corpus_count "$dir" "$target")" = "$before" ]
}

corpus_count() {
  local d="$1/testdata/fuzz/$2"
  if [ -d "$d" ]; then find "$d" -type f | wc -l; else echo 0; fi
}

while IFS= read -r file; do
  dir=$(dirname "$file")
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)\(' "$file" | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/'); do
    found=$((found+1))
    echo "fuzz ./$dir $target ($fuzztime)"
    before=$(corpus_count "$dir" "$target")
    if go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "./$dir" >"$log" 2>&1; then
      continue
    fi
    if coordinator_race "$dir" "$target" "$before"; then
      echo "fuzz ./$dir $target: coordinator deadline race (go.dev/issue/75804), no failing input; again for $retrycount"
      if go test -run='^$' -fuzz="^${target}\$" -fuzztime="$retrycount" "./$dir" >"$log" 2>&1; then
        continue
      fi
    fi
    cat "$log"
    exit 1
  done
done < <(grep -rlE '^func Fuzz[A-Za-z0-9_]+\(' --include='*_test.go' . | sort)
echo "fuzz: $found targets ok"
