/*
 * test_config.c - the configuration keys of issue 6 (kernel backends,
 * SA lifetimes, rekeying, mobility, MSRD, preference lists, identities,
 * peers file, user): good values land in struct hipd_config, bad ones
 * are refused with FILE:LINE and leave the configuration unchanged.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hip/error.h"
#include "hipd/config.h"
#include "hipd/daemon.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/test_config.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_text(const char *name, const char *text, char *path,
		       size_t cap)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void load_ok(const char *text, struct hipd_config *c)
{
	char path[128], err[HIPD_ERR_MAX] = "";

	hipd_config_defaults(c);
	write_text("good.conf", text, path, sizeof(path));
	ck_assert_msg(hipd_config_load(path, c, err, sizeof(err)) == 0,
		      "refused: %s", err);
}

START_TEST(test_defaults)
{
	struct hipd_config c;

	hipd_config_defaults(&c);
	ck_assert_str_eq(c.kernel, "xfrm");
	ck_assert(c.sa_soft_bytes < c.sa_hard_bytes);
	ck_assert(c.sa_soft_seconds < c.sa_hard_seconds);
	ck_assert(c.rekey_new_dh);
	ck_assert(c.msrd_persist);
	ck_assert_str_eq(c.msrd_file, "");
}
END_TEST

START_TEST(test_kernel_names)
{
	struct hipd_config c;

	ck_assert_int_eq(hipd_config_kernel_name_ok("xfrm"), 0);
	ck_assert_int_eq(hipd_config_kernel_name_ok("pfkey"), 0);
	ck_assert_int_eq(hipd_config_kernel_name_ok("PFKEY"), HIP_EINVAL);
	ck_assert_int_eq(hipd_config_kernel_name_ok(""), HIP_EINVAL);
	load_ok("kernel = pfkey\n", &c);
	ck_assert_str_eq(c.kernel, "pfkey");
	load_ok("kernel=pfkey\nkernel = xfrm\n", &c);
	ck_assert_str_eq(c.kernel, "xfrm");
}
END_TEST

START_TEST(test_lifetimes_rekey_mobility_msrd)
{
	struct hipd_config c;

	load_ok("sa-lifetime-soft-bytes = 1000\n"
		"sa-lifetime-hard-bytes = 18446744073709551615\n"
		"sa-lifetime-soft-seconds = 30\n"
		"sa-lifetime-hard-seconds = 60\n"
		"rekey-new-dh = no\n"
		"locator-debounce-ms = 0\n"
		"msrd-persist = off\n"
		"msrd-file = /var/lib/hip/msrd.records\n", &c);
	ck_assert_uint_eq(c.sa_soft_bytes, 1000);
	ck_assert(c.sa_hard_bytes == UINT64_MAX);
	ck_assert_uint_eq(c.sa_soft_seconds, 30);
	ck_assert_uint_eq(c.sa_hard_seconds, 60);
	ck_assert(!c.rekey_new_dh);
	ck_assert_uint_eq(c.locator_debounce_ms, 0);
	ck_assert(!c.msrd_persist);
	ck_assert_str_eq(c.msrd_file, "/var/lib/hip/msrd.records");

	/* 0 is "no limit": a soft limit alone, or none at all, is fine */
	load_ok("sa-lifetime-hard-bytes = 0\nsa-lifetime-hard-seconds = 0\n",
		&c);
	ck_assert_uint_eq(c.sa_hard_bytes, 0);
	ck_assert_uint_eq(c.sa_hard_seconds, 0);
	load_ok("sa-lifetime-soft-seconds = 0\n"
		"sa-lifetime-hard-seconds = 10\n", &c);
	ck_assert_uint_eq(c.sa_soft_seconds, 0);
	load_ok("locator-debounce-ms = 60000\nrekey-new-dh = yes\n", &c);
	ck_assert_uint_eq(c.locator_debounce_ms, 60000);
	ck_assert(c.rekey_new_dh);
}
END_TEST

static const struct {
	const char *text;
	const char *want;	/* in the message after "FILE:" */
} bad[] = {
	{ "kernel = ipsec\n", "1: kernel: expected xfrm or pfkey" },
	{ "kernel = xfrm pfkey\n", "1: kernel" },
	{ "sa-lifetime-soft-bytes = -1\n", "1: sa-lifetime-soft-bytes" },
	{ "sa-lifetime-soft-bytes = 1e9\n", "1: sa-lifetime-soft-bytes" },
	{ "sa-lifetime-hard-bytes = 18446744073709551616\n",
	  "1: sa-lifetime-hard-bytes" },
	{ "sa-lifetime-soft-seconds = 4294967296\n",
	  "1: sa-lifetime-soft-seconds" },
	{ "sa-lifetime-hard-seconds = x\n", "1: sa-lifetime-hard-seconds" },
	{ "sa-lifetime-soft-bytes = 100\nsa-lifetime-hard-bytes = 100\n",
	  "2: sa-lifetime-hard-bytes: must be above sa-lifetime-soft-bytes" },
	{ "sa-lifetime-hard-seconds = 50\n#\nsa-lifetime-soft-seconds = 51\n",
	  "3: sa-lifetime-soft-seconds: must be below "
	  "sa-lifetime-hard-seconds" },
	{ "rekey-new-dh = sometimes\n", "1: rekey-new-dh: expected yes or no" },
	{ "locator-debounce-ms = 60001\n", "1: locator-debounce-ms" },
	{ "msrd-persist = 2\n", "1: msrd-persist" },
	{ "msrd-file = relative/path\n", "1: msrd-file" },
	{ "msrd-file = /a\001b\n", "1: msrd-file" },
};

START_TEST(test_bad)
{
	struct hipd_config c, before;
	char path[128], err[HIPD_ERR_MAX], want[256];

	hipd_config_defaults(&c);
	c.puzzle_k = 3;
	before = c;
	write_text("bad.conf", bad[_i].text, path, sizeof(path));
	err[0] = '\0';
	ck_assert_int_eq(hipd_config_load(path, &c, err, sizeof(err)),
			 HIP_EFORMAT);
	snprintf(want, sizeof(want), "%s:%s", path, bad[_i].want);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
		      "got '%s', want '%s'", err, want);
	ck_assert_msg(memcmp(&c, &before, sizeof(c)) == 0,
		      "config changed by a bad file");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("keys");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_kernel_names);
	tcase_add_test(tc, test_lifetimes_rekey_mobility_msrd);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
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
