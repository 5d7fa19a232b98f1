package perftest

import "testing"

func BenchmarkNewKey(b *testing.B) { NewKeys(b) }
