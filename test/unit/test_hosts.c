/*
 * test_hosts.c - the peers file (hipd/hosts.c, hip-hosts(5)): good files
 * give their peers in order, every bad line is refused with FILE:LINE
 * and yields nothing, a missing file is fine only when allowed.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hip/error.h"
#include "hipd/hosts.h"
#include "test/unit/tmpdir.h"

static char dir[64];

static void setup(void)
{
	tmpdir_make(dir, sizeof(dir), "test_hosts");
}

static void teardown(void)
{
	tmpdir_remove(dir);
}

static void addr(const char *s, struct in6_addr *a)
{
	struct in_addr v4;

	if (inet_pton(AF_INET6, s, a) == 1)
		return;
	ck_assert_int_eq(inet_pton(AF_INET, s, &v4), 1);
	memset(a, 0, sizeof(*a));
	a->s6_addr[10] = a->s6_addr[11] = 0xff;
	memcpy(&a->s6_addr[12], &v4, 4);
}

static const char good[] =
	"# peers of the test\n"
	"\n"
	"alpha   2001:21:1111:2222:3333:4444:5555:6666  192.0.2.10 "
	"2001:db8::10\n"
	"\tbeta 2001:25:aaaa:bbbb:cccc:dddd:eeee:ffff 198.51.100.7 # note\n"
	"gamma.example_1 2001:22::1 2001:db8:1::1 2001:db8:2::1 "
	"203.0.113.9\r\n"
	"   # indented comment\n"
	"delta 2001:21::2 2001:db8::4";	/* no final newline */

START_TEST(test_good)
{
	struct hipd_hosts *h = NULL;
	struct in6_addr a;
	uint8_t hit[16];
	char err[256] = "";

	ck_assert_int_eq(hipd_hosts_parse("h", good, strlen(good), &h, err,
					  sizeof(err)), 0);
	ck_assert_uint_eq(h->n, 4);
	ck_assert_str_eq(h->host[0].name, "alpha");
	ck_assert_str_eq(h->host[1].name, "beta");
	ck_assert_str_eq(h->host[2].name, "gamma.example_1");
	ck_assert_str_eq(h->host[3].name, "delta");
	ck_assert_uint_eq(h->host[0].n_locators, 2);
	addr("192.0.2.10", &a);
	ck_assert(IN6_ARE_ADDR_EQUAL(&a, &h->host[0].locators[0]));
	addr("2001:db8::10", &a);
	ck_assert(IN6_ARE_ADDR_EQUAL(&a, &h->host[0].locators[1]));
	ck_assert_uint_eq(h->host[1].n_locators, 1);
	ck_assert_uint_eq(h->host[2].n_locators, 3);
	addr("203.0.113.9", &a);
	ck_assert(IN6_ARE_ADDR_EQUAL(&a, &h->host[2].locators[2]));
	inet_pton(AF_INET6, "2001:25:aaaa:bbbb:cccc:dddd:eeee:ffff", hit);
	ck_assert_ptr_eq(hipd_hosts_by_hit(h, hit), &h->host[1]);
	ck_assert_ptr_eq(hipd_hosts_by_name(h, "delta"), &h->host[3]);
	ck_assert_ptr_null(hipd_hosts_by_name(h, "epsilon"));
	ck_assert_ptr_null(hipd_hosts_by_name(NULL, "alpha"));
	hipd_hosts_free(h);

	/* empty and comment-only files are empty lists */
	ck_assert_int_eq(hipd_hosts_parse("h", "# x\n\n", 5, &h, err,
					  sizeof(err)), 0);
	ck_assert_uint_eq(h->n, 0);
	hipd_hosts_free(h);
}
END_TEST

static const struct {
	const char *text;
	const char *want;	/* the message */
	int r;
} bad[] = {
	{ "a 2001:db8::1 10.0.0.1\n",
	  "h:1: a: '2001:db8::1' is not a HIT (an ORCHIDv2 address in "
	  "2001:20::/28)", HIP_EFORMAT },
	{ "a 2001:23::1 10.0.0.1\n", "h:1: a: HIT of unknown HIT suite 3",
	  HIP_EFORMAT },
	{ "# c\na 2001:21::1\n", "h:2: a: expected at least one locator",
	  HIP_EFORMAT },
	{ "a\n", "h:1: a: expected a HIT after the name", HIP_EFORMAT },
	{ "-a 2001:21::1 10.0.0.1\n", "h:1: '-a' is not a valid name",
	  HIP_EFORMAT },
	{ "a/b 2001:21::1 10.0.0.1\n", "h:1: 'a/b' is not a valid name",
	  HIP_EFORMAT },
	{ "a 2001:21::1 10.0.0.1 host.example\n",
	  "h:1: a: locator 'host.example': not an IPv4 or IPv6 address",
	  HIP_EFORMAT },
	{ "a 2001:21::1 224.0.0.5\n",
	  "h:1: a: locator '224.0.0.5': not a unicast address", HIP_EFORMAT },
	{ "a 2001:21::1 ff02::1\n",
	  "h:1: a: locator 'ff02::1': not a unicast address", HIP_EFORMAT },
	{ "a 2001:21::1 ::\n", "h:1: a: locator '::': not a unicast address",
	  HIP_EFORMAT },
	{ "a 2001:21::1 0.0.0.0\n", "h:1: a: locator '0.0.0.0'",
	  HIP_EFORMAT },
	{ "a 2001:21::1 ::ffff:10.0.0.1\n",
	  "h:1: a: locator '::ffff:10.0.0.1': write IPv4 locators as a.b.c.d",
	  HIP_EFORMAT },
	{ "a 2001:21::1 2001:22::9\n",
	  "h:1: a: locator '2001:22::9': a HIT cannot be a locator",
	  HIP_EFORMAT },
	{ "a 2001:21::1 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4\n",
	  "h:1: a: more than 3 locators", HIP_EFORMAT },
	{ "a 2001:21::1 10.0.0.1 10.0.0.1\n",
	  "h:1: a: locator '10.0.0.1' listed twice", HIP_EFORMAT },
	{ "a 2001:21::1 10.0.0.1\nb 2001:21::2 10.0.0.2\na 2001:21::3 "
	  "10.0.0.3\n", "h:3: a: name listed twice", HIP_EFORMAT },
	{ "a 2001:21::1 10.0.0.1\nb 2001:21:0::1 10.0.0.2\n",
	  "h:2: b: HIT already given to a", HIP_EFORMAT },
};

START_TEST(test_bad)
{
	struct hipd_hosts *h = (struct hipd_hosts *)&h;	/* must stay */
	char err[256] = "";

	ck_assert_int_eq(hipd_hosts_parse("h", bad[_i].text,
					  strlen(bad[_i].text), &h, err,
					  sizeof(err)), bad[_i].r);
	ck_assert_msg(strncmp(err, bad[_i].want, strlen(bad[_i].want)) == 0,
		      "got '%s', want '%s'", err, bad[_i].want);
	ck_assert_ptr_eq(h, (struct hipd_hosts *)&h);
}
END_TEST

START_TEST(test_limits)
{
	struct hipd_hosts *h = NULL;
	char err[256], *text, *p;
	size_t cap = (HIPD_HOSTS_MAX + 1) * 64 + HIPD_HOSTS_LINE_MAX + 16;
	static const char nul[] = "a 2001:21::1 10.0.0.1\nb\0 2001:21::2\n";

	text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	/* HIPD_HOSTS_MAX peers are fine, one more is refused */
	p = text;
	for (unsigned i = 0; i < HIPD_HOSTS_MAX; i++)
		p += sprintf(p, "h%u 2001:21::%x 10.0.%u.%u\n", i, i + 1,
			     i / 250, i % 250 + 1);
	ck_assert_int_eq(hipd_hosts_parse("h", text, (size_t)(p - text), &h,
					  err, sizeof(err)), 0);
	ck_assert_uint_eq(h->n, HIPD_HOSTS_MAX);
	hipd_hosts_free(h);
	sprintf(p, "last 2001:21::ffff 10.9.9.9\n");
	ck_assert_int_eq(hipd_hosts_parse("h", text, strlen(text), &h, err,
					  sizeof(err)), HIP_ENOSPC);
	ck_assert_str_eq(err, "h:1025: more than 1024 peers");
	/* a line of HIPD_HOSTS_LINE_MAX octets or more */
	memset(text, ' ', HIPD_HOSTS_LINE_MAX);
	ck_assert_int_eq(hipd_hosts_parse("h", text, HIPD_HOSTS_LINE_MAX, &h,
					  err, sizeof(err)), HIP_EFORMAT);
	ck_assert_str_eq(err, "h:1: line too long");
	/* a NUL inside the text */
	ck_assert_int_eq(hipd_hosts_parse("h", nul, sizeof(nul) - 1, &h,
					  err, sizeof(err)), HIP_EFORMAT);
	ck_assert_str_eq(err, "h:2: NUL character");
	free(text);
}
END_TEST

START_TEST(test_load)
{
	struct hipd_hosts *h = NULL;
	char path[128], err[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/hosts", dir);
	/* missing: empty when allowed, an error naming the file if not */
	ck_assert_int_eq(hipd_hosts_load(path, true, &h, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(h->n, 0);
	hipd_hosts_free(h);
	h = NULL;
	ck_assert_int_eq(hipd_hosts_load(path, false, &h, err, sizeof(err)),
			 HIP_ENOENT);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_null(h);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(good, f);
	fclose(f);
	ck_assert_int_eq(hipd_hosts_load(path, false, &h, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(h->n, 4);
	hipd_hosts_free(h);
	/* an error names the real file and line */
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("\nbroken\n", f);
	fclose(f);
	ck_assert_int_eq(hipd_hosts_load(path, false, &h, err, sizeof(err)),
			 HIP_EFORMAT);
	ck_assert_ptr_nonnull(strstr(err, "/hosts:8: broken"));
	/* a directory is not a peers file */
	ck_assert_int_eq(hipd_hosts_load(dir, true, &h, err, sizeof(err)),
			 HIP_EIO);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hosts");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_good);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_load);
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
