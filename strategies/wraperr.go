package strategies

import "context"

// WrapErr is Store.Wrap for a func that returns an error, for APIs that run
// a func() error elsewhere, such as golang.org/x/sync/errgroup:
//
//	g.Go(strategies.WrapErr(ctx, store, func(ctx context.Context) error { … }))
//
// It captures the bindings visible now, on the calling goroutine, and
// returns a func that runs fn with exactly those bindings on whatever
// goroutine calls it, restores that goroutine's own bindings afterwards,
// and returns fn's error. Like Wrap's func it may be called any number of
// times, from any goroutines. A panic in fn reaches the caller. A nil fn
// panics at the call with an error wrapping ErrNilFunc, a nil s with one
// wrapping ErrNilStore.
//
// It costs what Wrap costs; an error costs a panic and a recover more,
// which is how it leaves the func that Wrap returns (a func with no
// result, shared by every call).
func WrapErr(ctx context.Context, s Store, fn func(context.Context) error) func() error {
	if s == nil || fn == nil {
		badArgs(s, "WrapErr")
	}
	run := s.Wrap(ctx, func(ctx context.Context) {
		if err := fn(ctx); err != nil {
			panic(&carried{err})
		}
	})
	return func() (err error) {
		defer func() {
			if v := recover(); v != nil {
				c, ok := v.(*carried)
				if !ok {
					// Not fn's error: fn panicked. Panicking again from
					// here keeps the frames of the first panic in the
					// trace.
					panic(v)
				}
				err = c.err
			}
		}()
		run()
		return nil
	}
}

// carried is how WrapErr's func gets fn's error out of the func Wrap made.
type carried struct{ err error }
