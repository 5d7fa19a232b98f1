// Package cgocheck observes what the strategies do when Go is called back
// from threads created by C, where no Go statement started the goroutine.
//
// The Go runtime runs a callback from a C thread on a goroutine that belongs
// to an "extra" M bound to that thread until the thread exits; the
// goroutine, and so its id, is the M's for the M's whole life. When the
// thread exits, the M goes back to a free list, and the next new C thread
// to call into Go may take it, goroutine id included.
//
// RunThreads is the only API: it starts C threads that call a Go function.
// The tests in this package record what each strategy shows to such
// callbacks and assert it. Everything here needs cgo; without it (as with
// CGO_ENABLED=0) the package holds only this documentation and its tests
// report that they were skipped.
package cgocheck
