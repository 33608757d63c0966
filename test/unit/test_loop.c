/* Unit tests for hipd's event loop and logging. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hip/error.h"
#include "hipd/log.h"
#include "hipd/loop.h"

struct fake_clock {
	uint64_t now;
};

static uint64_t fake_now(void *arg)
{
	return ((struct fake_clock *)arg)->now;
}

/* Records the order in which timers fire. */
struct rec {
	int order[64];
	int n;
};

struct rec_timer {
	struct hipd_timer t;
	struct rec *rec;
	int id;
	int rearm;		/* re-arm this many more times, delay 0 */
};

static void rec_fire(struct hipd_loop *loop, struct hipd_timer *t, void *arg)
{
	struct rec_timer *rt = arg;

	ck_assert_ptr_eq(t, &rt->t);
	ck_assert(!hipd_timer_armed(t));
	rt->rec->order[rt->rec->n++] = rt->id;
	if (rt->rearm > 0) {
		rt->rearm--;
		ck_assert_int_eq(hipd_timer_arm(loop, t, 0), 0);
	}
}

START_TEST(test_timer_order)
{
	struct fake_clock clk = { 1000 };
	struct hipd_loop *loop;
	struct rec rec = { .n = 0 };
	struct rec_timer rt[5];
	static const uint64_t delays[5] = { 50, 10, 30, 10, 40 };

	ck_assert_int_eq(hipd_loop_new(&loop), 0);
	ck_assert_int_eq(hipd_loop_set_clock(loop, fake_now, &clk), 0);
	for (int i = 0; i < 5; i++) {
		rt[i].rec = &rec;
		rt[i].id = i;
		rt[i].rearm = 0;
		hipd_timer_init(&rt[i].t, rec_fire, &rt[i]);
		ck_assert_int_eq(hipd_timer_arm(loop, &rt[i].t, delays[i]), 0);
	}
	ck_assert_int_eq(hipd_loop_set_clock(loop, fake_now, &clk),
			 HIP_ESTATE);
	ck_assert_uint_eq(hipd_loop_ntimers(loop), 5);
	ck_assert_int_eq(hipd_loop_run_once(loop, 0), 0);
	ck_assert_int_eq(rec.n, 0);	/* nothing due yet */
	clk.now = 1010;
	ck_assert_int_eq(hipd_loop_run_once(loop, 0), 0);
	ck_assert_int_eq(rec.n, 2);	/* equal deadlines: arm order */
	ck_assert_int_eq(rec.order[0], 1);
	ck_assert_int_eq(rec.order[1], 3);
	/* cancel 4, re-arm 0 to later */
	hipd_timer_cancel(loop, &rt[4].t);
	ck_assert(!hipd_timer_armed(&rt[4].t));
	hipd_timer_cancel(loop, &rt[4].t);	/* twice is harmless */
	ck_assert_int_eq(hipd_timer_arm(loop, &rt[0].t, 100), 0);	/* 1110 */
	clk.now = 1100;
	ck_assert_int_eq(hipd_loop_run_once(loop, 0), 0);
	ck_assert_int_eq(rec.n, 3);
	ck_assert_int_eq(rec.order[2], 2);
	clk.now = 1110;
	ck_assert_int_eq(hipd_loop_run_once(loop, 0), 0);
	ck_assert_int_eq(rec.n, 4);
	ck_assert_int_eq(rec.order[3], 0);
	ck_assert_uint_eq(hipd_loop_ntimers(loop), 0);
	hipd_loop_free(loop);
}
END_TEST

START_TEST(test_timer_rearm_zero)
{
	struct fake_clock clk = { 0 };
	struct hipd_loop *loop;
	struct rec rec = { .n = 0 };
	struct rec_timer rt = { .rec = &rec, .id = 7, .rearm = 3 };

	ck_assert_int_eq(hipd_loop_new(&loop), 0);
	ck_assert_int_eq(hipd_loop_set_clock(loop, fake_now, &clk), 0);
	hipd_timer_init(&rt.t, rec_fire, &rt);
	ck_assert_int_eq(hipd_timer_arm(loop, &rt.t, 0), 0);
	/* re-armed from its own callback with delay 0: once per pass */
	for (int i = 1; i <= 4; i++) {
		ck_assert_int_eq(hipd_loop_run_once(loop, 0), 0);
		ck_assert_int_eq(rec.n, i);
	}
	ck_assert_int_eq(hipd_loop_run_once(loop, 0), 0);
	ck_assert_int_eq(rec.n, 4);
	hipd_loop_free(loop);
}
END_TEST

/* Many timers in pseudo-random order fire sorted by deadline. */
struct many {
	struct hipd_timer t;
	uint64_t deadline;
	uint64_t *last;
	int *fired;
};

static void many_fire(struct hipd_loop *loop, struct hipd_timer *t, void *arg)
{
	struct many *m = arg;

	(void)t;
	ck_assert_uint_ge(hipd_loop_now(loop), m->deadline);
	ck_assert_uint_ge(m->deadline, *m->last);
	*m->last = m->deadline;
	(*m->fired)++;
}

START_TEST(test_timer_heap)
{
	enum { N = 2000 };
	struct fake_clock clk = { 0 };
	struct hipd_loop *loop;
	struct many *m = calloc(N, sizeof(*m));
	uint64_t last = 0;
	uint32_t x = 12345;
	int fired = 0, cancelled = 0;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(hipd_loop_new(&loop), 0);
	ck_assert_int_eq(hipd_loop_set_clock(loop, fake_now, &clk), 0);
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		m[i].deadline = (x >> 8) % 5000;
		m[i].last = &last;
		m[i].fired = &fired;
		hipd_timer_init(&m[i].t, many_fire, &m[i]);
		ck_assert_int_eq(hipd_timer_arm(loop, &m[i].t, m[i].deadline),
				 0);
	}
	/* cancel every third, re-arm every seventh */
	for (int i = 0; i < N; i += 3) {
		hipd_timer_cancel(loop, &m[i].t);
		cancelled++;
	}
	for (int i = 1; i < N; i += 7) {
		if (!hipd_timer_armed(&m[i].t))
			continue;
		m[i].deadline = (m[i].deadline * 7) % 5000;
		ck_assert_int_eq(hipd_timer_arm(loop, &m[i].t, m[i].deadline),
				 0);
	}
	ck_assert_uint_eq(hipd_loop_ntimers(loop), N - cancelled);
	for (clk.now = 0; clk.now < 5000 + 37; clk.now += 37)
		ck_assert_int_eq(hipd_loop_run_once(loop, 0), 0);
	ck_assert_int_eq(fired, N - cancelled);
	ck_assert_uint_eq(hipd_loop_ntimers(loop), 0);
	hipd_loop_free(loop);
	free(m);
}
END_TEST

static void stop_fire(struct hipd_loop *loop, struct hipd_timer *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
	hipd_loop_stop(loop);
}

START_TEST(test_timer_real_clock)
{
	struct hipd_loop *loop;
	struct hipd_timer t;
	uint64_t start, end;
	int fired = 0;

	ck_assert_int_eq(hipd_loop_new(&loop), 0);
	hipd_timer_init(&t, stop_fire, &fired);
	start = hipd_clock_monotonic_ms(NULL);
	ck_assert_int_eq(hipd_timer_arm(loop, &t, 30), 0);
	ck_assert_int_eq(hipd_loop_run(loop), 0);
	end = hipd_clock_monotonic_ms(NULL);
	ck_assert_int_eq(fired, 1);
	ck_assert_uint_ge(end - start, 29);
	ck_assert_uint_lt(end - start, 2000);
	/* a loop with a timer freed while armed detaches it */
	ck_assert_int_eq(hipd_timer_arm(loop, &t, 1000), 0);
	hipd_loop_free(loop);
	ck_assert(!hipd_timer_armed(&t));
}
END_TEST

struct fdtest {
	int hits[2];
	int fds[2];
	uint32_t events;
	bool delete_other;
};

static void fd_ready(struct hipd_loop *loop, int fd, uint32_t events,
		     void *arg)
{
	struct fdtest *ft = arg;
	int idx = fd == ft->fds[0] ? 0 : 1;
	char buf[16];

	ft->hits[idx]++;
	ft->events = events;
	ck_assert_int_gt(read(fd, buf, sizeof(buf)), 0);
	if (ft->delete_other) {
		/* the other fd's event is pending in this batch */
		ck_assert_int_eq(hipd_loop_del_fd(loop, ft->fds[!idx]), 0);
		ft->delete_other = false;
	}
}

START_TEST(test_fd_callbacks)
{
	struct hipd_loop *loop;
	struct fdtest ft = { .hits = { 0, 0 } };
	int a[2], b[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	ft.fds[0] = a[0];
	ft.fds[1] = b[0];
	ck_assert_int_eq(hipd_loop_new(&loop), 0);
	ck_assert_int_eq(hipd_loop_add_fd(loop, a[0], EPOLLIN, fd_ready, &ft),
			 0);
	ck_assert_int_eq(hipd_loop_add_fd(loop, a[0], EPOLLIN, fd_ready, &ft),
			 HIP_EEXIST);
	ck_assert_int_eq(hipd_loop_add_fd(loop, b[0], EPOLLIN, fd_ready, &ft),
			 0);
	ck_assert_int_eq(hipd_loop_run_once(loop, 0), 0);
	ck_assert_int_eq(ft.hits[0] + ft.hits[1], 0);
	ck_assert_int_eq(write(a[1], "x", 1), 1);
	ck_assert_int_eq(hipd_loop_run_once(loop, 1000), 0);
	ck_assert_int_eq(ft.hits[0], 1);
	ck_assert_int_eq(ft.hits[1], 0);
	ck_assert(ft.events & EPOLLIN);
	/* both ready; whichever runs first removes the other */
	ck_assert_int_eq(write(a[1], "y", 1), 1);
	ck_assert_int_eq(write(b[1], "z", 1), 1);
	ft.delete_other = true;
	ck_assert_int_eq(hipd_loop_run_once(loop, 1000), 0);
	ck_assert_int_eq(ft.hits[0] + ft.hits[1], 2);
	/* mod: interest in writability only */
	ck_assert_int_eq(hipd_loop_mod_fd(loop, b[0], EPOLLOUT), HIP_ENOENT);
	ck_assert_int_eq(hipd_loop_del_fd(loop, -5), HIP_ENOENT);
	hipd_loop_free(loop);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}
END_TEST

struct sigtest {
	int hup, term;
};

static void on_signal(struct hipd_loop *loop, int signo, void *arg)
{
	struct sigtest *st = arg;

	if (signo == SIGHUP)
		st->hup++;
	if (signo == SIGTERM || signo == SIGINT) {
		st->term++;
		hipd_loop_stop(loop);
	}
}

START_TEST(test_signals)
{
	struct hipd_loop *loop;
	struct sigtest st = { 0, 0 };
	sigset_t cur;

	ck_assert_int_eq(hipd_loop_new(&loop), 0);
	ck_assert_int_eq(hipd_loop_signals(loop, on_signal, &st), 0);
	ck_assert_int_eq(hipd_loop_signals(loop, on_signal, &st), HIP_EEXIST);
	ck_assert_int_eq(kill(getpid(), SIGHUP), 0);
	ck_assert_int_eq(hipd_loop_run_once(loop, 1000), 0);
	ck_assert_int_eq(st.hup, 1);
	ck_assert_int_eq(st.term, 0);
	/* SIGTERM ends run() cleanly */
	ck_assert_int_eq(kill(getpid(), SIGTERM), 0);
	ck_assert_int_eq(hipd_loop_run(loop), 0);
	ck_assert_int_eq(st.term, 1);
	hipd_loop_free(loop);
	/* the signal mask is restored */
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &cur), 0);
	ck_assert(!sigismember(&cur, SIGHUP));
	ck_assert(!sigismember(&cur, SIGTERM));
}
END_TEST

START_TEST(test_log)
{
	char out[2048] = { 0 };
	FILE *fp = fmemopen(out, sizeof(out) - 1, "w");
	enum hipd_log_level lvl;

	ck_assert_ptr_nonnull(fp);
	hipd_log_init("test", true, HIPD_LOG_INFO);
	hipd_log_set_stream(fp);
	errno = ENOENT;
	log_warn("ctl", "open %s", "/x");
	ck_assert_int_eq(errno, ENOENT);
	log_debug("kernel", "hidden");
	log_info("wire", "name=%s", "evil\nforged line");
	hipd_log_set_level(HIPD_LOG_DEBUG);
	log_debug("kernel", "shown %d", 5);
	log_err("ctl", "bad");
	fflush(fp);
	ck_assert_ptr_nonnull(strstr(out, "Z warn ctl: open /x: "
				      "No such file or directory\n"));
	ck_assert_ptr_null(strstr(out, "hidden"));
	ck_assert_ptr_nonnull(strstr(out, " info wire: name=evil?forged "
				      "line\n"));
	ck_assert_ptr_nonnull(strstr(out, " debug kernel: shown 5\n"));
	ck_assert_ptr_nonnull(strstr(out, " err ctl: bad\n"));
	/* each line starts with a timestamp */
	ck_assert(out[4] == '-' && out[10] == 'T' && out[23] == 'Z');
	hipd_log_set_stream(NULL);
	fclose(fp);
	ck_assert_int_eq(hipd_log_level_parse("warn", &lvl), 0);
	ck_assert_int_eq(lvl, HIPD_LOG_WARN);
	ck_assert_int_eq(hipd_log_level_parse("verbose", &lvl), HIP_EINVAL);
	ck_assert_str_eq(hipd_log_level_name(HIPD_LOG_DEBUG), "debug");
	hipd_log_close();
}
END_TEST

static Suite *loop_suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("loop");

	tcase_add_test(tc, test_timer_order);
	tcase_add_test(tc, test_timer_rearm_zero);
	tcase_add_test(tc, test_timer_heap);
	tcase_add_test(tc, test_timer_real_clock);
	tcase_add_test(tc, test_fd_callbacks);
	tcase_add_test(tc, test_signals);
	tcase_add_test(tc, test_log);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(loop_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
