package mapid_test

import (
	"testing"

	"github.com/localbench/localbench/strategies/internal/perftest"
	"github.com/localbench/localbench/strategies/mapid"
)

// BenchmarkPerf measures the operations whose cost must not depend on how
// many keys the process has made or where the bound ones lie; see perftest.
func BenchmarkPerf(b *testing.B) {
	s := mapid.New()
	perftest.Run(b, s, true)
}
