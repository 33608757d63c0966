/*
 * loop.h - hipd's single event loop: epoll for file descriptors, a
 * min-heap of timers on the monotonic clock, signalfd for SIGTERM,
 * SIGINT and SIGHUP.
 *
 * Single-threaded.  Callbacks may add and remove descriptors and timers,
 * including their own, and may call hipd_loop_stop.  The loop never
 * closes a descriptor it was given: the owner does, after removing it.
 */
#ifndef HIPD_LOOP_H
#define HIPD_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hipd_loop;
struct hipd_timer;

/* events are EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP bits. */
typedef void (*hipd_fd_cb)(struct hipd_loop *loop, int fd, uint32_t events,
			   void *arg);
typedef void (*hipd_timer_cb)(struct hipd_loop *loop, struct hipd_timer *t,
			      void *arg);
typedef void (*hipd_signal_cb)(struct hipd_loop *loop, int signo, void *arg);
/* Milliseconds on a monotonic clock; tests pass a fake one. */
typedef uint64_t (*hipd_clock_fn)(void *arg);

/*
 * A timer lives in its owner's object (no allocation per arm); set it
 * up once with hipd_timer_init.  Fields are private to loop.c.
 */
struct hipd_timer {
	hipd_timer_cb cb;
	void *arg;
	uint64_t deadline;	/* ms on the loop's clock */
	uint64_t seq;		/* arm order: ties fire first-armed first */
	size_t slot;		/* index in the heap, or HIPD_TIMER_IDLE */
};

#define HIPD_TIMER_IDLE ((size_t)-1)
#define HIPD_LOOP_TIMERS_MAX (1u << 20)

int hipd_loop_new(struct hipd_loop **out);
/* Frees the loop, restores the signal mask it changed, detaches armed
 * timers; registered descriptors are left open. */
void hipd_loop_free(struct hipd_loop *loop);

/* Replace the clock (before any timer is armed: HIP_ESTATE otherwise). */
int hipd_loop_set_clock(struct hipd_loop *loop, hipd_clock_fn now, void *arg);
/* The clock, read at the start of the current iteration. */
uint64_t hipd_loop_now(const struct hipd_loop *loop);
uint64_t hipd_clock_monotonic_ms(void *unused);

/* HIP_EEXIST if fd is registered already; HIP_EIO (errno) from epoll. */
int hipd_loop_add_fd(struct hipd_loop *loop, int fd, uint32_t events,
		     hipd_fd_cb cb, void *arg);
int hipd_loop_mod_fd(struct hipd_loop *loop, int fd, uint32_t events);
/* HIP_ENOENT if fd is not registered.  Safe from any callback: an
 * event already collected for fd is not delivered any more. */
int hipd_loop_del_fd(struct hipd_loop *loop, int fd);

void hipd_timer_init(struct hipd_timer *t, hipd_timer_cb cb, void *arg);
/* Arm (or re-arm) to fire delay_ms after hipd_loop_now.  HIP_ENOMEM or
 * HIP_ENOSPC leave the timer as it was. */
int hipd_timer_arm(struct hipd_loop *loop, struct hipd_timer *t,
		   uint64_t delay_ms);
void hipd_timer_cancel(struct hipd_loop *loop, struct hipd_timer *t);
bool hipd_timer_armed(const struct hipd_timer *t);
size_t hipd_loop_ntimers(const struct hipd_loop *loop);

/*
 * Block SIGTERM, SIGINT and SIGHUP and receive them through a signalfd;
 * cb decides what each means (usually: stop, stop, reload).
 */
int hipd_loop_signals(struct hipd_loop *loop, hipd_signal_cb cb, void *arg);

/*
 * One iteration: wait up to max_wait_ms (negative: until the next timer
 * or event), then dispatch ready descriptors, signals and due timers.
 */
int hipd_loop_run_once(struct hipd_loop *loop, int max_wait_ms);
/* Iterate until hipd_loop_stop; 0 or the first error. */
int hipd_loop_run(struct hipd_loop *loop);
void hipd_loop_stop(struct hipd_loop *loop);

#endif
