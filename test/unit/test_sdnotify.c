/*
 * test_sdnotify.c - hipd's sd_notify (hipd/sdnotify.c) against a real
 * unix datagram socket standing in for the service manager: the
 * messages, path and abstract addresses, the watchdog rules, and that
 * the environment is cleared for children.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hip/error.h"
#include "hipd/sdnotify.h"

static char dir[64];
static int mgr = -1;		/* the "service manager" socket */

static void setup(void)
{
	strcpy(dir, "/tmp/test_sdnotify.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

static void teardown(void)
{
	char cmd[128];

	if (mgr >= 0)
		close(mgr);
	mgr = -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Bind the manager's socket; name "@x" is abstract.  Sets
 * NOTIFY_SOCKET as systemd would. */
static void manager(const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct timeval tv = { 2, 0 };
	socklen_t len;
	char path[108];

	if (name[0] == '@') {
		snprintf(path, sizeof(path), "%s.%ld", name, (long)getpid());
		memcpy(a.sun_path + 1, path + 1, strlen(path) - 1);
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				  strlen(path));
	} else {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		strcpy(a.sun_path, path);
		len = sizeof(a);
	}
	mgr = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(mgr, 0);
	ck_assert_int_eq(bind(mgr, (struct sockaddr *)&a, len), 0);
	ck_assert_int_eq(setsockopt(mgr, SOL_SOCKET, SO_RCVTIMEO, &tv,
				    sizeof(tv)), 0);
	ck_assert_int_eq(setenv("NOTIFY_SOCKET", path, 1), 0);
}

static void expect(const char *want)
{
	char buf[1024];
	ssize_t n = recv(mgr, buf, sizeof(buf) - 1, 0);

	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, want);
}

START_TEST(test_messages_path)
{
	struct hipd_notify n;
	char err[256] = "", want[128];
	struct timespec ts;
	unsigned long long usec, now;
	char buf[256], big[HIPD_NOTIFY_MAX * 2];
	ssize_t len;

	manager("notify");
	ck_assert_int_eq(hipd_notify_open(&n, err, sizeof(err)), 0);
	ck_assert(hipd_notify_enabled(&n));
	/* children do not inherit the variables */
	ck_assert_ptr_null(getenv("NOTIFY_SOCKET"));
	ck_assert_uint_eq(hipd_notify_watchdog_ms(&n), 0);

	ck_assert_int_eq(hipd_notify_ready(&n, "1 identity, HIT 2001:2x::1"),
			 0);
	snprintf(want, sizeof(want), "READY=1\nMAINPID=%ld\n"
		 "STATUS=1 identity, HIT 2001:2x::1\n", (long)getpid());
	expect(want);
	ck_assert_int_eq(hipd_notify_status(&n, "two\nlines\x01"), 0);
	expect("STATUS=two lines \n");
	ck_assert_int_eq(hipd_notify_reloading(&n), 0);
	len = recv(mgr, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(len, 0);
	buf[len] = '\0';
	ck_assert_int_eq(sscanf(buf, "RELOADING=1\nMONOTONIC_USEC=%llu\n",
				&usec), 1);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (unsigned long long)ts.tv_sec * 1000000ULL +
	      (unsigned long long)ts.tv_nsec / 1000ULL;
	ck_assert(usec <= now && now - usec < 2000000ULL);
	ck_assert_int_eq(hipd_notify_ready(&n, NULL), 0);
	snprintf(want, sizeof(want), "READY=1\nMAINPID=%ld\n", (long)getpid());
	expect(want);
	ck_assert_int_eq(hipd_notify_stopping(&n), 0);
	expect("STOPPING=1\n");
	/* no watchdog configured: nothing is sent */
	ck_assert_int_eq(hipd_notify_watchdog(&n), 0);
	ck_assert_int_eq(recv(mgr, buf, sizeof(buf), MSG_DONTWAIT), -1);
	/* a status longer than a message is cut, still one line */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(hipd_notify_status(&n, big), 0);
	len = recv(mgr, big, sizeof(big), 0);
	ck_assert_int_eq(len, HIPD_NOTIFY_MAX);
	ck_assert_int_eq(big[len - 1], '\n');
	ck_assert_ptr_null(memchr(big, '\n', (size_t)len - 1));
	hipd_notify_close(&n);
	ck_assert(!hipd_notify_enabled(&n));
}
END_TEST

START_TEST(test_abstract_watchdog)
{
	struct hipd_notify n;
	char err[256] = "", pid[32];

	manager("@hipd-test");
	ck_assert_int_eq(setenv("WATCHDOG_USEC", "3000000", 1), 0);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	ck_assert_int_eq(setenv("WATCHDOG_PID", pid, 1), 0);
	ck_assert_int_eq(hipd_notify_open(&n, err, sizeof(err)), 0);
	ck_assert_ptr_null(getenv("WATCHDOG_USEC"));
	ck_assert_ptr_null(getenv("WATCHDOG_PID"));
	ck_assert_uint_eq(hipd_notify_watchdog_ms(&n), 1500);
	ck_assert_int_eq(hipd_notify_watchdog(&n), 0);
	expect("WATCHDOG=1\n");
	hipd_notify_close(&n);
}
END_TEST

START_TEST(test_watchdog_other_pid)
{
	struct hipd_notify n;
	char err[256] = "";

	manager("notify");
	ck_assert_int_eq(setenv("WATCHDOG_USEC", "1000000", 1), 0);
	ck_assert_int_eq(setenv("WATCHDOG_PID", "1", 1), 0);
	ck_assert_int_eq(hipd_notify_open(&n, err, sizeof(err)), 0);
	ck_assert_uint_eq(hipd_notify_watchdog_ms(&n), 0);
	hipd_notify_close(&n);
	/* without WATCHDOG_PID the watchdog is ours */
	manager("notify2");
	ck_assert_int_eq(setenv("WATCHDOG_USEC", "1000", 1), 0);
	ck_assert_int_eq(hipd_notify_open(&n, err, sizeof(err)), 0);
	ck_assert_uint_eq(hipd_notify_watchdog_ms(&n), 1);
	hipd_notify_close(&n);
}
END_TEST

START_TEST(test_unset_and_bad)
{
	struct hipd_notify n;
	char err[256] = "";

	/* not under a service manager: no socket, every call a no-op */
	ck_assert_int_eq(setenv("WATCHDOG_USEC", "1000000", 1), 0);
	ck_assert_int_eq(hipd_notify_open(&n, err, sizeof(err)), 0);
	ck_assert(!hipd_notify_enabled(&n));
	ck_assert_ptr_null(getenv("WATCHDOG_USEC"));
	ck_assert_int_eq(hipd_notify_ready(&n, "x"), 0);
	ck_assert_int_eq(hipd_notify_watchdog(&n), 0);
	ck_assert_uint_eq(hipd_notify_watchdog_ms(&n), 0);
	hipd_notify_close(&n);

	ck_assert_int_eq(setenv("NOTIFY_SOCKET", "vsock:2:1", 1), 0);
	ck_assert_int_eq(hipd_notify_open(&n, err, sizeof(err)), HIP_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "NOTIFY_SOCKET=vsock:2:1"));
	ck_assert_ptr_null(getenv("NOTIFY_SOCKET"));

	manager("notify");
	ck_assert_int_eq(setenv("WATCHDOG_USEC", "soon", 1), 0);
	ck_assert_int_eq(hipd_notify_open(&n, err, sizeof(err)), HIP_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "WATCHDOG_USEC=soon"));

	/* the manager went away: sending fails, nothing else happens */
	manager("gone");
	ck_assert_int_eq(hipd_notify_open(&n, err, sizeof(err)), 0);
	close(mgr);
	mgr = -1;
	ck_assert_int_eq(hipd_notify_stopping(&n), HIP_EIO);
	hipd_notify_close(&n);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sdnotify");
	TCase *tc = tcase_create("protocol");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_messages_path);
	tcase_add_test(tc, test_abstract_watchdog);
	tcase_add_test(tc, test_watchdog_other_pid);
	tcase_add_test(tc, test_unset_and_bad);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
