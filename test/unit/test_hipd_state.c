/*
 * test_hipd_state.c - hipd's configuration file and state directory:
 * every bad line names file:line and changes nothing; identities,
 * peers and the R1 counter survive a reopen; files are private.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hip/error.h"
#include "hipd/daemon.h"
#include "hipd/state.h"
#include "test/unit/tmpdir.h"

static char dir[64];

static void setup(void)
{
	tmpdir_make(dir, sizeof(dir), "test_hipd_state");
}

static void teardown(void)
{
	tmpdir_remove(dir);
}

/* --- configuration ------------------------------------------------------ */

START_TEST(test_config_good)
{
	struct hipd_config c;
	struct in6_addr a;
	char path[128], err[HIPD_ERR_MAX];

	hipd_config_defaults(&c);
	tmpdir_write(dir, "good.conf", "# comment\n\n  kernel = xfrm\n"
		   "data-plane=no\npuzzle-difficulty = 12\t\n"
		   "idle-lifetime = 0\nr2-sent-timeout = 3\nmsl = 5\n"
		   "ignore-locator = 2001:db8:9::/48\n"
		   "ignore-locator = 10.1.2.3\n"
		   "default-hi-type = ed25519\nhit-device = lo\n"
		   "log-level = warn\ncontrol-group = netadm\n",
		   path, sizeof(path));
	ck_assert_int_eq(hipd_config_load(path, &c, err, sizeof(err)), 0);
	ck_assert(c.no_data_plane);
	ck_assert_uint_eq(c.puzzle_k, 12);
	ck_assert_uint_eq(c.idle_lifetime_s, 0);
	ck_assert_uint_eq(c.r2_sent_s, 3);
	ck_assert_uint_eq(c.msl_s, 5);
	ck_assert_int_eq(c.default_hi_type, HIP_KEY_ED25519);
	ck_assert(c.hitdev_lo);
	ck_assert_int_eq(c.log_level, HIPD_LOG_WARN);
	ck_assert_str_eq(c.control_group, "netadm");
	ck_assert(c.control_group_set);
	ck_assert_uint_eq(c.n_ignore, 2);
	inet_pton(AF_INET6, "2001:db8:9:ffff::1", &a);
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 1);
	inet_pton(AF_INET6, "2001:db8:a::1", &a);
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 0);
	inet_pton(AF_INET6, "::ffff:10.1.2.3", &a);
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 1);
	inet_pton(AF_INET6, "::ffff:10.1.2.4", &a);
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 0);
}
END_TEST

static const struct {
	const char *text;
	const char *want;	/* in the message after "FILE:" */
} bad_config[] = {
	{ "frobnicate = 1\n", "1: frobnicate: unknown key" },
	{ "msl = 2\nkernel = ipsec\n", "2: kernel: expected xfrm or pfkey" },
	{ "data-plane = maybe\n", "1: data-plane: expected yes or no" },
	{ "puzzle-difficulty = 29\n", "1: puzzle-difficulty" },
	{ "puzzle-difficulty = -1\n", "1: puzzle-difficulty" },
	{ "puzzle-difficulty = 4x\n", "1: puzzle-difficulty" },
	{ "idle-lifetime = 99999999999999999999\n", "1: idle-lifetime" },
	{ "r2-sent-timeout = 0\n", "1: r2-sent-timeout" },
	{ "msl = 601\n", "1: msl" },
	{ "ignore-locator = 2001:db8::/129\n", "1: ignore-locator" },
	{ "ignore-locator = 10.0.0.0/33\n", "1: ignore-locator" },
	{ "ignore-locator = host.example\n", "1: ignore-locator" },
	{ "default-hi-type = rsa:4096\n", "1: default-hi-type" },
	{ "default-hi-type = dsa\n", "1: default-hi-type" },
	{ "hit-device = eth0\n", "1: hit-device" },
	{ "log-level = loud\n", "1: log-level" },
	{ "control-group = wheel;rm\n", "1: control-group" },
	{ "control-group = -x\n", "1: control-group" },
	{ "# ok\nmsl\n", "2: expected 'key = value'" },
	{ "msl =\n", "1: msl: empty value" },
};

START_TEST(test_config_bad)
{
	struct hipd_config c, before;
	char path[128], err[HIPD_ERR_MAX], want[256];

	hipd_config_defaults(&c);
	c.puzzle_k = 3;
	before = c;
	tmpdir_write(dir, "bad.conf", bad_config[_i].text, path, sizeof(path));
	err[0] = '\0';
	ck_assert_int_lt(hipd_config_load(path, &c, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s:%s", path, bad_config[_i].want);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
		      "got '%s', want '%s'", err, want);
	ck_assert_msg(memcmp(&c, &before, sizeof(c)) == 0,
		      "config changed by a bad file");
}
END_TEST

START_TEST(test_config_missing)
{
	struct hipd_config c;
	char err[HIPD_ERR_MAX];

	hipd_config_defaults(&c);
	ck_assert_int_eq(hipd_config_load("/nonexistent/hipd.conf", &c, err,
					  sizeof(err)), HIP_EIO);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/hipd.conf: "));
}
END_TEST

/* --- peers lines -------------------------------------------------------- */

static const struct {
	const char *line;
	int ret;	/* 1 peer, 0 nothing, <0 error */
	size_t n;
	const char *name;
} peer_lines[] = {
	{ "2001:20::1 2001:db8::1", 1, 1, "" },
	{ "2001:2f::1 192.0.2.1 2001:db8::1 name=peer-1", 1, 2, "peer-1" },
	{ "  2001:20::1\t192.0.2.1 192.0.2.2 192.0.2.3", 1, 3, "" },
	{ "", 0, 0, NULL },
	{ "   ", 0, 0, NULL },
	{ "# a comment", 0, 0, NULL },
	{ "2001:db8::1 2001:db8::2", HIP_EFORMAT, 0, NULL },	/* not a HIT */
	{ "2001:20::1", HIP_EFORMAT, 0, NULL },		/* no locator */
	{ "2001:20::1 a b c d", HIP_EFORMAT, 0, NULL },
	{ "2001:20::1 1.2.3.4 1.2.3.5 1.2.3.6 1.2.3.7", HIP_EFORMAT, 0, NULL },
	{ "2001:20::1 1.2.3.4 name=", HIP_EFORMAT, 0, NULL },
	{ "2001:20::1 1.2.3.4 name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaa", HIP_EFORMAT, 0, NULL },
	{ "nonsense", HIP_EFORMAT, 0, NULL },
};

START_TEST(test_peer_lines)
{
	struct hipd_peer p, before;
	char why[128] = "";
	int r;

	memset(&p, 0xa5, sizeof(p));
	before = p;
	r = hipd_state_peer_parse(peer_lines[_i].line, &p, why, sizeof(why));
	ck_assert_int_eq(r, peer_lines[_i].ret);
	if (r == 1) {
		ck_assert_uint_eq(p.n_locators, peer_lines[_i].n);
		ck_assert_str_eq(p.name, peer_lines[_i].name);
	} else {
		ck_assert_msg(memcmp(&p, &before, sizeof(p)) == 0,
			      "peer written on '%s'", peer_lines[_i].line);
		if (r < 0)
			ck_assert_msg(why[0] != '\0', "no reason given");
	}
}
END_TEST

/* --- the state directory ----------------------------------------------------- */

START_TEST(test_state_roundtrip)
{
	struct hipd_state *s = calloc(1, sizeof(*s));
	struct hipd_peer p;
	struct hip_identity *gone = NULL;
	uint8_t hit0[HIP_HIT_LEN];
	char path[160], err[HIPD_STATE_ERR_MAX], sub[128];
	struct stat st;
	size_t idx;

	ck_assert_ptr_nonnull(s);
	snprintf(sub, sizeof(sub), "%s/state", dir);
	ck_assert_int_eq(hipd_state_open(s, sub, HIP_KEY_ECDSA_P256, err,
					 sizeof(err)), 0);
	ck_assert_uint_eq(s->n_ids, 1);
	memcpy(hit0, s->hits[0], HIP_HIT_LEN);
	snprintf(path, sizeof(path), "%s/hi-00.pem", sub);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);

	ck_assert_int_eq(hipd_state_peer_parse("2001:20::5 192.0.2.9 name=x",
					       &p, err, sizeof(err)), 1);
	ck_assert_int_eq(hipd_state_peer_set(s, &p, err, sizeof(err)), 0);
	ck_assert_int_eq(hipd_state_hi_new(s, HIP_KEY_ED25519, 0, &idx, err,
					   sizeof(err)), 0);
	ck_assert_uint_eq(idx, 1);
	ck_assert_int_eq(hipd_state_r1_save(s, 41), 0);
	hipd_state_close(s);

	ck_assert_int_eq(hipd_state_open(s, sub, HIP_KEY_RSA, err,
					 sizeof(err)), 0);
	ck_assert_uint_eq(s->n_ids, 2);
	ck_assert(memcmp(s->hits[0], hit0, HIP_HIT_LEN) == 0);	/* default */
	ck_assert_uint_eq(s->n_peers, 1);
	ck_assert_str_eq(s->peers[0].name, "x");
	ck_assert_uint_eq(s->r1_counter, 41);
	ck_assert_int_eq(hipd_state_hi_del(s, hit0, &gone, err, sizeof(err)),
			 0);
	hip_identity_free(gone);
	ck_assert_int_eq(hipd_state_hi_del(s, s->hits[0], &gone, err,
					   sizeof(err)), HIP_ESTATE);
	ck_assert_int_eq(hipd_state_peer_del(s, p.hit, err, sizeof(err)), 0);
	ck_assert_int_eq(hipd_state_peer_del(s, p.hit, err, sizeof(err)),
			 HIP_ENOENT);
	hipd_state_close(s);

	ck_assert_int_eq(hipd_state_open(s, sub, HIP_KEY_RSA, err,
					 sizeof(err)), 0);
	ck_assert_uint_eq(s->n_ids, 1);
	ck_assert_uint_eq(s->n_peers, 0);
	ck_assert_int_eq(hip_identity_key_type(s->ids[0]), HIP_KEY_ED25519);
	hipd_state_close(s);
	free(s);
}
END_TEST

START_TEST(test_state_corrupt)
{
	struct hipd_state *s = calloc(1, sizeof(*s));
	char path[160], err[HIPD_STATE_ERR_MAX], sub[128];

	ck_assert_ptr_nonnull(s);
	snprintf(sub, sizeof(sub), "%s/state", dir);
	ck_assert_int_eq(hipd_state_open(s, sub, HIP_KEY_ECDSA_P256, err,
					 sizeof(err)), 0);
	hipd_state_close(s);

	tmpdir_write(dir, "state/peers", "2001:20::1 2001:db8::1\n2001:20::2 x\n",
		   path, sizeof(path));
	ck_assert_int_eq(hipd_state_open(s, sub, HIP_KEY_ECDSA_P256, err,
					 sizeof(err)), HIP_EFORMAT);
	ck_assert_msg(strstr(err, "peers:2: 'x' is not an address") != NULL,
		      "%s", err);
	tmpdir_write(dir, "state/peers", "2001:20::1 2001:db8::1\n"
		   "2001:20::1 2001:db8::2\n", path, sizeof(path));
	ck_assert_int_lt(hipd_state_open(s, sub, HIP_KEY_ECDSA_P256, err,
					 sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "peers:2: duplicate peer"));
	unlink(path);
	tmpdir_write(dir, "state/r1-counter", "12abc\n", path, sizeof(path));
	ck_assert_int_lt(hipd_state_open(s, sub, HIP_KEY_ECDSA_P256, err,
					 sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "r1-counter:1"));
	unlink(path);
	/* a world-readable key is refused, not used */
	snprintf(path, sizeof(path), "%s/hi-00.pem", sub);
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_lt(hipd_state_open(s, sub, HIP_KEY_ECDSA_P256, err,
					 sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "hi-00.pem"));
	free(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hipd_state");
	TCase *tc = tcase_create("config");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_config_good);
	tcase_add_loop_test(tc, test_config_bad, 0,
			    sizeof(bad_config) / sizeof(bad_config[0]));
	tcase_add_test(tc, test_config_missing);
	tcase_add_loop_test(tc, test_peer_lines, 0,
			    sizeof(peer_lines) / sizeof(peer_lines[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("state");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_state_roundtrip);
	tcase_add_test(tc, test_state_corrupt);
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
