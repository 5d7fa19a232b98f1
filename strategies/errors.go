package strategies

import (
	"context"
	"errors"
	"fmt"
)

var (
	// ErrNilKey is the error a Store panics with when it is given a nil *Key.
	ErrNilKey = errors.New("nil key")

	// ErrNoScope is the error a Store whose Info().NeedsScope is true panics
	// with when Set or Delete is called outside any Scope or Wrap'd or Go'd
	// function.
	ErrNoScope = errors.New("set or delete outside a scope")

	// ErrBadOption is the error a strategy's New or option constructor
	// panics with when given an option value that cannot work, such as a
	// sweep interval that is not positive.
	ErrBadOption = errors.New("bad option")

	// ErrNilFunc is the error a Store and the helpers of this package panic
	// with, at the call, when given a nil func to run (Scope, Wrap, Go,
	// Pull, Var.With, …), rather than failing later on whatever goroutine
	// would have run it.
	ErrNilFunc = errors.New("nil func")

	// ErrNilStore is the error the helpers of this package and of its
	// integration packages panic with, at the call, when given a nil Store.
	ErrNilStore = errors.New("nil store")

	// ErrWrongType is the error a Var panics with when its key is bound to a
	// value of another type (by code that used the Key directly).
	ErrWrongType = errors.New("value of the wrong type")
)

// CheckKey panics with an error wrapping ErrNilKey, naming the strategy and
// the method, if k is nil. Strategies call it first in every method that
// takes a key, so that bad input fails the same way everywhere. It is small
// enough to be inlined.
func CheckKey(strategy, method string, k *Key) {
	if k == nil {
		panic(Errorf(strategy, method, ErrNilKey))
	}
}

// CheckFunc panics with an error wrapping ErrNilFunc, naming the strategy
// and the method, if fn is nil. Strategies call it first in Scope, Wrap and
// Go, so that a nil func fails at the call, the same way everywhere, and
// not later on the goroutine that would run it. It is small enough to be
// inlined.
func CheckFunc(strategy, method string, fn func(context.Context)) {
	if fn == nil {
		panic(Errorf(strategy, method, ErrNilFunc))
	}
}

// Errorf returns err prefixed with "strategy.Method: ", for panics that must
// name where they came from. errors.Is(Errorf(s, m, err), err) is true.
func Errorf(strategy, method string, err error) error {
	return fmt.Errorf("%s.%s: %w", strategy, method, err)
}

// badArgs panics as the helpers of this package do on bad input: with an
// error wrapping ErrNilStore if s is nil, else with one wrapping ErrNilFunc
// that names the strategy and the helper. Callers check first, so that the
// check costs a comparison.
func badArgs(s Store, helper string) {
	if s == nil {
		panic(fmt.Errorf("strategies.%s: %w", helper, ErrNilStore))
	}
	panic(Errorf(s.Info().Name, helper, ErrNilFunc))
}
