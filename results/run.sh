#!/usr/bin/env bash
# run.sh runs the whole benchmark suite (localbench's strategies, the floors
# and the peer libraries, in one binary: the peers module) and saves its raw
# output, in the Go benchmark format, with provenance configuration lines
# first. See results/README.md.
#
# usage: results/run.sh [-short] [OUTFILE]
#
#   -short   every workload once with tiny sizes and times (a smoke run; not
#            a results file to ship)
#   OUTFILE  defaults to results/YYYY-MM-DD-MACHINE.txt, MACHINE being
#            $MACHINE or else the short host name
#
# COUNT and BENCHTIME override the count (6) and -benchtime (50ms). The
# count is made of COUNT passes of the whole suite, one after another. The output
# goes to a temporary file beside OUTFILE that is renamed at the end, so an
# interrupted or failed run leaves no partial file.
set -euo pipefail

short=false
if [[ ${1:-} == -short ]]; then
	short=true
	shift
fi
if [[ $# -gt 1 || ${1:-} == -* ]]; then
	echo "usage: results/run.sh [-short] [OUTFILE]" >&2
	exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
machine=${MACHINE:-$(hostname -s | tr '[:upper:]' '[:lower:]')}
out=${1:-$root/results/$(date -u +%Y-%m-%d)-$machine.txt}

if $short; then
	count=${COUNT:-1}
	benchtime=${BENCHTIME:-10ms}
	shortflag=-test.short
else
	count=${COUNT:-6}
	benchtime=${BENCHTIME:-50ms}
	shortflag=
fi

tmp=$(mktemp "$out.partial.XXXXXX")
trap 'rm -f "$tmp"' EXIT

# GOMAXPROCS as the benchmark binary will see it (Go sizes it from the
# CPU affinity and cgroup limits, so it need not equal nproc).
probe=$(mktemp -d)
printf 'package main\n\nimport (\n\t"fmt"\n\t"runtime"\n)\n\nfunc main() { fmt.Println(runtime.GOMAXPROCS(0)) }\n' >"$probe/main.go"
gomaxprocs=$(cd "$probe" && GOFLAGS= go run main.go)
rm -rf "$probe"

commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
	commit="$commit-dirty"
fi

bin=$(mktemp -d)/peers.test
trap 'rm -f "$tmp"; rm -rf "$(dirname "$bin")"' EXIT
(cd "$root/peers" && go test -c -o "$bin" .)

start=$(date +%s)
{
	echo "go: $(go env GOVERSION)"
	echo "commit: $commit"
	echo "gomaxprocs: $gomaxprocs"
	echo "cpus: $(nproc)"
	echo "count: $count"
	echo "benchtime: $benchtime"
	# One pass per count, each a fresh process running every benchmark
	# once, rather than go test -count, which runs each benchmark count
	# times in a row: on a shared machine, a minute of load from a
	# neighbour then lands on all the samples of one contestant and shows
	# up as a difference between contestants. Interleaved, it spreads over
	# all of them, as a wider interval.
	cd "$root/peers"
	# shellcheck disable=SC2086 # $shortflag is empty or one word
	for ((pass = 1; pass <= count; pass++)); do
		echo "run.sh: pass $pass of $count" >&2
		"$bin" $shortflag -test.run '^$' -test.bench . -test.benchtime "$benchtime" -test.count 1 -test.timeout 60m
	done
} | tee "$tmp"
took=$(($(date +%s) - start))

chmod 644 "$tmp" # mktemp made it private
mv "$tmp" "$out"
rm -rf "$(dirname "$bin")"
trap - EXIT
echo "run.sh: wrote $out in ${took}s" >&2
