package runner

import "context"

// CountOne counts the instructions per operation of one sub-benchmark of
// o.Binary (its name without "Benchmark" and the -N suffix).
func CountOne(ctx context.Context, o Options, name string) (median, min, max float64, err error) {
	c := counter{o: &o, valgrind: "valgrind"}
	cnt, err := c.count(ctx, name)
	return cnt.median, cnt.min, cnt.max, err
}
