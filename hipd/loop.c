/*
 * loop.c - the event loop: epoll, a timer min-heap keyed by (deadline,
 * arm order) and a signalfd.  See loop.h for the rules callbacks follow.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "hip/error.h"
#include "hipd/loop.h"

#define LOOP_EVENTS_PER_WAIT 32

struct loop_fd {
	int fd;
	bool dead;
	hipd_fd_cb cb;
	void *arg;
	struct loop_fd *next;
};

struct hipd_loop {
	int epfd;
	struct loop_fd *fds;		/* live registrations */
	struct loop_fd *graveyard;	/* removed while dispatching */
	struct hipd_timer **heap;
	size_t nheap, capheap;
	uint64_t seq;
	hipd_clock_fn clock;
	void *clock_arg;
	uint64_t now;
	int sigfd;
	sigset_t oldmask;
	hipd_signal_cb sigcb;
	void *sigarg;
	bool stop;
};

uint64_t hipd_clock_monotonic_ms(void *unused)
{
	struct timespec ts;

	(void)unused;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int hipd_loop_new(struct hipd_loop **out)
{
	struct hipd_loop *loop;

	if (!out)
		return HIP_EINVAL;
	loop = calloc(1, sizeof(*loop));
	if (!loop)
		return HIP_ENOMEM;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int e = errno;

		free(loop);
		errno = e;
		return HIP_EIO;
	}
	loop->sigfd = -1;
	loop->clock = hipd_clock_monotonic_ms;
	loop->now = loop->clock(NULL);
	*out = loop;
	return 0;
}

static void loop_free_list(struct loop_fd *r)
{
	while (r) {
		struct loop_fd *next = r->next;

		free(r);
		r = next;
	}
}

void hipd_loop_free(struct hipd_loop *loop)
{
	if (!loop)
		return;
	for (size_t i = 0; i < loop->nheap; i++)
		loop->heap[i]->slot = HIPD_TIMER_IDLE;
	free(loop->heap);
	if (loop->sigfd >= 0) {
		close(loop->sigfd);
		sigprocmask(SIG_SETMASK, &loop->oldmask, NULL);
	}
	loop_free_list(loop->fds);
	loop_free_list(loop->graveyard);
	close(loop->epfd);
	free(loop);
}

int hipd_loop_set_clock(struct hipd_loop *loop, hipd_clock_fn now, void *arg)
{
	if (!loop || !now)
		return HIP_EINVAL;
	if (loop->nheap)
		return HIP_ESTATE;
	loop->clock = now;
	loop->clock_arg = arg;
	loop->now = now(arg);
	return 0;
}

uint64_t hipd_loop_now(const struct hipd_loop *loop)
{
	return loop->now;
}

/* ---- descriptors ---- */

static struct loop_fd *loop_find(struct hipd_loop *loop, int fd,
				 struct loop_fd ***link)
{
	struct loop_fd **pp;

	for (pp = &loop->fds; *pp; pp = &(*pp)->next) {
		if ((*pp)->fd == fd) {
			if (link)
				*link = pp;
			return *pp;
		}
	}
	return NULL;
}

int hipd_loop_add_fd(struct hipd_loop *loop, int fd, uint32_t events,
		     hipd_fd_cb cb, void *arg)
{
	struct epoll_event ev = { .events = events };
	struct loop_fd *r;

	if (!loop || fd < 0 || !cb)
		return HIP_EINVAL;
	if (loop_find(loop, fd, NULL))
		return HIP_EEXIST;
	r = calloc(1, sizeof(*r));
	if (!r)
		return HIP_ENOMEM;
	r->fd = fd;
	r->cb = cb;
	r->arg = arg;
	ev.data.ptr = r;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = errno;

		free(r);
		errno = e;
		return HIP_EIO;
	}
	r->next = loop->fds;
	loop->fds = r;
	return 0;
}

int hipd_loop_mod_fd(struct hipd_loop *loop, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };
	struct loop_fd *r;

	if (!loop)
		return HIP_EINVAL;
	r = loop_find(loop, fd, NULL);
	if (!r)
		return HIP_ENOENT;
	ev.data.ptr = r;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return HIP_EIO;
	return 0;
}

int hipd_loop_del_fd(struct hipd_loop *loop, int fd)
{
	struct loop_fd **link, *r;

	if (!loop)
		return HIP_EINVAL;
	r = loop_find(loop, fd, &link);
	if (!r)
		return HIP_ENOENT;
	/* fails only if fd was closed already, which removed it anyway */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	*link = r->next;
	/* events collected in this iteration may still point at r */
	r->dead = true;
	r->next = loop->graveyard;
	loop->graveyard = r;
	return 0;
}

/* ---- timers ---- */

void hipd_timer_init(struct hipd_timer *t, hipd_timer_cb cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->cb = cb;
	t->arg = arg;
	t->slot = HIPD_TIMER_IDLE;
}

bool hipd_timer_armed(const struct hipd_timer *t)
{
	return t->slot != HIPD_TIMER_IDLE;
}

size_t hipd_loop_ntimers(const struct hipd_loop *loop)
{
	return loop->nheap;
}

static bool timer_before(const struct hipd_timer *a,
			 const struct hipd_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void heap_set(struct hipd_loop *loop, size_t i, struct hipd_timer *t)
{
	loop->heap[i] = t;
	t->slot = i;
}

static void heap_up(struct hipd_loop *loop, size_t i)
{
	struct hipd_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!timer_before(t, loop->heap[parent]))
			break;
		heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_set(loop, i, t);
}

static void heap_down(struct hipd_loop *loop, size_t i)
{
	struct hipd_timer *t = loop->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= loop->nheap)
			break;
		if (c + 1 < loop->nheap &&
		    timer_before(loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!timer_before(loop->heap[c], t))
			break;
		heap_set(loop, i, loop->heap[c]);
		i = c;
	}
	heap_set(loop, i, t);
}

static void heap_remove(struct hipd_loop *loop, size_t i)
{
	struct hipd_timer *last = loop->heap[--loop->nheap];

	loop->heap[i]->slot = HIPD_TIMER_IDLE;
	if (i == loop->nheap)
		return;
	heap_set(loop, i, last);
	heap_up(loop, i);
	heap_down(loop, last->slot);
}

int hipd_timer_arm(struct hipd_loop *loop, struct hipd_timer *t,
		   uint64_t delay_ms)
{
	if (!loop || !t || !t->cb)
		return HIP_EINVAL;
	if (t->slot == HIPD_TIMER_IDLE && loop->nheap == loop->capheap) {
		size_t ncap = loop->capheap ? 2 * loop->capheap : 16;
		struct hipd_timer **h;

		if (loop->capheap >= HIPD_LOOP_TIMERS_MAX)
			return HIP_ENOSPC;
		if (ncap > HIPD_LOOP_TIMERS_MAX)
			ncap = HIPD_LOOP_TIMERS_MAX;
		h = realloc(loop->heap, ncap * sizeof(*h));
		if (!h)
			return HIP_ENOMEM;
		loop->heap = h;
		loop->capheap = ncap;
	}
	t->deadline = delay_ms > UINT64_MAX - loop->now ?
		      UINT64_MAX : loop->now + delay_ms;
	t->seq = loop->seq++;
	if (t->slot == HIPD_TIMER_IDLE) {
		loop->heap[loop->nheap] = t;
		t->slot = loop->nheap++;
		heap_up(loop, t->slot);
	} else {
		heap_up(loop, t->slot);
		heap_down(loop, t->slot);
	}
	return 0;
}

void hipd_timer_cancel(struct hipd_loop *loop, struct hipd_timer *t)
{
	if (!loop || !t || t->slot == HIPD_TIMER_IDLE)
		return;
	if (t->slot < loop->nheap && loop->heap[t->slot] == t)
		heap_remove(loop, t->slot);
}

/* Fire the due timers armed before this pass began: a callback that
 * re-arms with delay 0 runs again next iteration, not in a loop here. */
static void loop_run_timers(struct hipd_loop *loop)
{
	uint64_t limit = loop->seq;

	while (loop->nheap) {
		struct hipd_timer *t = loop->heap[0];

		if (t->deadline > loop->now || t->seq >= limit)
			break;
		heap_remove(loop, 0);
		t->cb(loop, t, t->arg);
	}
}

/* ---- signals ---- */

static void loop_signal_ready(struct hipd_loop *loop, int fd, uint32_t ev,
			      void *arg)
{
	struct signalfd_siginfo si;

	(void)ev;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (loop->sigcb)
			loop->sigcb(loop, (int)si.ssi_signo, loop->sigarg);
}

int hipd_loop_signals(struct hipd_loop *loop, hipd_signal_cb cb, void *arg)
{
	sigset_t set, old;
	int fd, r;

	if (!loop || !cb)
		return HIP_EINVAL;
	if (loop->sigfd >= 0)
		return HIP_EEXIST;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, &old) < 0)
		return HIP_EIO;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		sigprocmask(SIG_SETMASK, &old, NULL);
		errno = e;
		return HIP_EIO;
	}
	r = hipd_loop_add_fd(loop, fd, EPOLLIN, loop_signal_ready, NULL);
	if (r < 0) {
		close(fd);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return r;
	}
	loop->sigfd = fd;
	loop->oldmask = old;
	loop->sigcb = cb;
	loop->sigarg = arg;
	return 0;
}

/* ---- running ---- */

static int loop_timeout(const struct hipd_loop *loop, int max_wait_ms)
{
	int t = max_wait_ms < 0 ? -1 : max_wait_ms;

	if (loop->nheap) {
		uint64_t d = loop->heap[0]->deadline;
		uint64_t left = d > loop->now ? d - loop->now : 0;

		if (left > INT_MAX)
			left = INT_MAX;
		if (t < 0 || (uint64_t)t > left)
			t = (int)left;
	}
	return t;
}

int hipd_loop_run_once(struct hipd_loop *loop, int max_wait_ms)
{
	struct epoll_event evs[LOOP_EVENTS_PER_WAIT];
	int n;

	if (!loop)
		return HIP_EINVAL;
	loop->now = loop->clock(loop->clock_arg);
	n = epoll_wait(loop->epfd, evs, LOOP_EVENTS_PER_WAIT,
		       loop_timeout(loop, max_wait_ms));
	if (n < 0) {
		if (errno != EINTR)
			return HIP_EIO;
		n = 0;
	}
	loop->now = loop->clock(loop->clock_arg);
	for (int i = 0; i < n; i++) {
		struct loop_fd *r = evs[i].data.ptr;

		if (!r->dead)
			r->cb(loop, r->fd, evs[i].events, r->arg);
	}
	loop_run_timers(loop);
	loop_free_list(loop->graveyard);
	loop->graveyard = NULL;
	return 0;
}

int hipd_loop_run(struct hipd_loop *loop)
{
	int r = 0;

	if (!loop)
		return HIP_EINVAL;
	loop->stop = false;
	while (!loop->stop && r == 0)
		r = hipd_loop_run_once(loop, -1);
	return r;
}

void hipd_loop_stop(struct hipd_loop *loop)
{
	loop->stop = true;
}
