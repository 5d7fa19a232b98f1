#!/usr/bin/env bash
# run.sh makes a results file with "benchreport run" (see results/README.md),
# keeping this script's older interface.
#
# usage: results/run.sh [-short] [-exact] [OUTFILE]
#
#   -short   one pass with tiny sizes and times (a smoke run; not a results
#            file to ship)
#   -exact   also count instructions/op under valgrind
#   OUTFILE  defaults to results/YYYY-MM-DD-MACHINE.txt, MACHINE being
#            $MACHINE or else the host name
#
# COUNT and BENCHTIME set -count and -benchtime (benchreport run's defaults
# otherwise).
set -euo pipefail

args=()
while [[ ${1:-} == -short || ${1:-} == -exact ]]; do
	args+=("$1")
	shift
done
if [[ $# -gt 1 || ${1:-} == -* ]]; then
	echo "usage: results/run.sh [-short] [-exact] [OUTFILE]" >&2
	exit 2
fi
[[ -n ${COUNT:-} ]] && args+=(-count "$COUNT")
[[ -n ${BENCHTIME:-} ]] && args+=(-benchtime "$BENCHTIME")
[[ -n ${MACHINE:-} ]] && args+=(-machine "$MACHINE")
[[ $# -eq 1 ]] && args+=(-o "$1")

cd "$(dirname "$0")/.."
exec go run ./cmd/benchreport run "${args[@]}"
