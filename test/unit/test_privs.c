/*
 * test_privs.c - hipd's privilege drop (hipd/privs.c) as the kernel sees
 * it: after hipd_privs_drop a child process has exactly CAP_NET_ADMIN
 * and CAP_NET_RAW effective and permitted, nothing inheritable or
 * ambient, an empty bounding set and no_new_privs, also after becoming
 * another user (whose groups it then has).  Needs root: skipped (77)
 * otherwise.
 */
#include <check.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hip/error.h"
#include "hipd/privs.h"

#define NET_ADMIN_RAW UINT64_C(0x3000)	/* bits 12 and 13 */

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/test_privs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A field of /proc/self/status; -1 when missing. */
static int64_t status_field(const char *key, int hex)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	int64_t v = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		uint64_t x;

		if (strncmp(line, key, strlen(key)) != 0 ||
		    line[strlen(key)] != ':')
			continue;
		if (sscanf(line + strlen(key) + 1, hex ? "%" SCNx64 :
			   "%" SCNu64, &x) == 1)
			v = (int64_t)x;
		break;
	}
	fclose(f);
	return v;
}

/* Run the drop in a child (it cannot be undone); the child exits with
 * the number of the first failed check, 0 when all held. */
static int in_child(const struct hipd_privs_user *u, const char *sdir,
		    char *err, size_t errcap)
{
	int pipefd[2], status;
	pid_t pid;
	ssize_t n;

	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char e[256] = "";
		int r;

		close(pipefd[0]);
		r = hipd_privs_drop(u, sdir, e, sizeof(e));
		if (write(pipefd[1], e, strlen(e)) < 0)
			_exit(90);
		if (r < 0)
			_exit(100);
		if (status_field("CapEff", 1) != (int64_t)NET_ADMIN_RAW)
			_exit(1);
		if (status_field("CapPrm", 1) != (int64_t)NET_ADMIN_RAW)
			_exit(2);
		if (status_field("CapInh", 1) != 0)
			_exit(3);
		if (status_field("CapAmb", 1) != 0)
			_exit(4);
		if (status_field("CapBnd", 1) != 0)
			_exit(5);
		if (status_field("NoNewPrivs", 0) != 1)
			_exit(6);
		if (hipd_privs_extra("eff") != 0 ||
		    hipd_privs_extra("bnd") != 0)
			_exit(7);
		if (u != NULL && (getuid() != u->uid || geteuid() != u->uid ||
				  getgid() != u->gid || getegid() != u->gid))
			_exit(8);
		/* the user's groups, not root's */
		if (u != NULL) {
			gid_t g[64];
			int ng = getgroups(64, g);

			for (int i = 0; i < ng; i++)
				if (g[i] == 0)
					_exit(9);
		}
		_exit(0);
	}
	close(pipefd[1]);
	n = read(pipefd[0], err, errcap - 1);
	err[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_drop_root)
{
	char err[256];

	ck_assert_int_eq(in_child(NULL, dir, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_drop_to_user)
{
	struct hipd_privs_user u;
	char err[256];

	if (hipd_privs_lookup("nobody", &u, err, sizeof(err)) < 0)
		return;		/* no such user here: nothing to test */
	/* the state directory must be the user's */
	ck_assert_int_eq(in_child(&u, dir, err, sizeof(err)), 100);
	ck_assert_ptr_nonnull(strstr(err, "not writable by user nobody"));
	ck_assert_ptr_nonnull(strstr(err, "chown -R nobody"));
	ck_assert_int_eq(chown(dir, u.uid, u.gid), 0);
	ck_assert_int_eq(in_child(&u, dir, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_lookup)
{
	struct hipd_privs_user u;
	char err[256];

	ck_assert_int_eq(hipd_privs_lookup("root", &u, err, sizeof(err)), 0);
	ck_assert_int_eq(u.uid, 0);
	ck_assert_int_eq(hipd_privs_lookup("no-such-user-hipd-test", &u, err,
					   sizeof(err)), HIP_ENOENT);
	ck_assert_str_eq(err, "user no-such-user-hipd-test: no such user");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("privs");
	TCase *tc = tcase_create("drop");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_drop_root);
	tcase_add_test(tc, test_drop_to_user);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (geteuid() != 0 ||
	    status_field("CapEff", 1) < 0 ||
	    !(status_field("CapEff", 1) & (1 << 8))) {	/* CAP_SETPCAP */
		fprintf(stderr, "test_privs: needs root with CAP_SETPCAP; "
			"skipped\n");
		return 77;
	}
	sr = srunner_create(suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
