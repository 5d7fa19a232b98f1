//go:build cgo

package cgocheck

/*
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

extern void goCallback(uintptr_t h, int thread, int call);

typedef struct {
	uintptr_t h;
	int thread;
	int calls;
} cgocheck_job;

static void *cgocheck_thread(void *arg) {
	cgocheck_job *j = arg;
	for (int i = 0; i < j->calls; i++) {
		goCallback(j->h, j->thread, i);
	}
	return NULL;
}

// cgocheck_run starts n threads, each calling goCallback calls times, and
// waits for them all. It returns 0, or the error of pthread_create or
// pthread_join.
static int cgocheck_run(uintptr_t h, int n, int calls) {
	pthread_t *ids = calloc(n, sizeof(pthread_t));
	cgocheck_job *jobs = calloc(n, sizeof(cgocheck_job));
	if (ids == NULL || jobs == NULL) {
		free(ids);
		free(jobs);
		return -1;
	}
	int err = 0, started = 0;
	for (; started < n; started++) {
		jobs[started].h = h;
		jobs[started].thread = started;
		jobs[started].calls = calls;
		err = pthread_create(&ids[started], NULL, cgocheck_thread, &jobs[started]);
		if (err != 0) {
			break;
		}
	}
	for (int i = 0; i < started; i++) {
		int e = pthread_join(ids[i], NULL);
		if (err == 0) {
			err = e;
		}
	}
	free(ids);
	free(jobs);
	return err;
}
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
)

// RunThreads starts threads C threads (pthreads) at once, each of which
// calls fn(thread, call) for call = 0, 1, …, calls-1 in order, and returns
// when every thread has ended. Calls from different threads run
// concurrently, so fn must be safe for concurrent use. A panic in fn
// crashes the program, as any panic that reaches C does; so does
// runtime.Goexit.
func RunThreads(threads, calls int, fn func(thread, call int)) error {
	h := cgo.NewHandle(fn)
	defer h.Delete()
	if err := C.cgocheck_run(C.uintptr_t(h), C.int(threads), C.int(calls)); err != 0 {
		return fmt.Errorf("cgocheck: starting or joining %d C threads: error %d", threads, int(err))
	}
	return nil
}

//export goCallback
func goCallback(h C.uintptr_t, thread, call C.int) {
	cgo.Handle(h).Value().(func(thread, call int))(int(thread), int(call))
}
