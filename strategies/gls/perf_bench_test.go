package gls_test

import (
	"testing"

	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/internal/perftest"
)

// BenchmarkPerf measures the operations whose cost must not depend on how
// many keys the process has made or where the bound ones lie; see perftest.
func BenchmarkPerf(b *testing.B) {
	s := gls.New()
	perftest.Run(b, s, false)
}
