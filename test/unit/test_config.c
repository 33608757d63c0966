/*
 * test_config.c - the configuration keys of issue 6 (kernel backends,
 * SA lifetimes, rekeying, mobility, MSRD, preference lists, identities,
 * peers file, user): good values land in struct hipd_config, bad ones
 * are refused with FILE:LINE and leave the configuration unchanged.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hip/error.h"
#include "hip/proto.h"
#include "hipd/config.h"
#include "hipd/daemon.h"
#include "test/unit/tmpdir.h"

static char dir[64];

static void setup(void)
{
	tmpdir_make(dir, sizeof(dir), "test_config");
}

static void teardown(void)
{
	tmpdir_remove(dir);
}

/* Test texts may hold a NUL: they end at the first "\n\0". */
static size_t bad_len(const char *t)
{
	size_t n = 0;

	while (t[n] != '\0' || (n > 0 && t[n - 1] != '\n'))
		n++;
	return n;
}

static void write_bytes(const char *name, const char *data, size_t len,
			char *path, size_t cap)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void load_ok(const char *text, struct hipd_config *c)
{
	char path[128], err[HIPD_ERR_MAX] = "";

	hipd_config_defaults(c);
	tmpdir_write(dir, "good.conf", text, path, sizeof(path));
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

START_TEST(test_lists)
{
	struct hipd_config c;

	hipd_config_defaults(&c);
	ck_assert_uint_eq(c.n_dh_groups, 0);	/* engine defaults */
	load_ok("dh-groups = p384, p256 ,modp3072\n"
		"hit-suites = eddsa-cshake,ecdsa-sha384\n"
		"default-hi-type = ed25519\n"
		"esp-transforms = aes128-cbc-sha256, aes-gcm-16\n", &c);
	ck_assert_uint_eq(c.n_dh_groups, 3);
	ck_assert_uint_eq(c.dh_groups[0], HIP_DH_NIST_P384);
	ck_assert_uint_eq(c.dh_groups[1], HIP_DH_NIST_P256);
	ck_assert_uint_eq(c.dh_groups[2], HIP_DH_MODP_3072);
	ck_assert_uint_eq(c.n_hit_suites, 2);
	ck_assert_uint_eq(c.hit_suites[0], HIP_HIT_SUITE_EDDSA_CSHAKE);
	ck_assert_uint_eq(c.hit_suites[1], HIP_HIT_SUITE_ECDSA_SHA384);
	ck_assert_uint_eq(c.n_esp_transforms, 2);
	ck_assert_uint_eq(c.esp_transforms[0], HIP_ESP_AES128_CBC_SHA256);
	ck_assert_uint_eq(c.esp_transforms[1], HIP_ESP_AES_GCM_16);
	/* a later line replaces the list */
	load_ok("dh-groups = p384\ndh-groups = p256\n", &c);
	ck_assert_uint_eq(c.n_dh_groups, 1);
	ck_assert_uint_eq(c.dh_groups[0], HIP_DH_NIST_P256);
}
END_TEST

START_TEST(test_value_names)
{
	static const enum hipd_config_list kinds[] = {
		HIPD_LIST_DH, HIPD_LIST_HIT_SUITE, HIPD_LIST_ESP,
	};
	char names[256], *save = NULL, *tok;

	/* every name offered in messages parses back to its id */
	for (size_t k = 0; k < 3; k++) {
		size_t n = 0;

		ck_assert_uint_gt(hipd_config_value_names(kinds[k], names,
							  sizeof(names)), 0);
		for (tok = strtok_r(names, ", ", &save); tok != NULL;
		     tok = strtok_r(NULL, ", ", &save), n++) {
			unsigned id;

			ck_assert_int_eq(hipd_config_value_parse(kinds[k], tok,
								 &id), 0);
			ck_assert_str_eq(hipd_config_value_name(kinds[k], id),
					 tok);
		}
		ck_assert_uint_ge(n, 2);
		save = NULL;
	}
	ck_assert_int_eq(hipd_config_value_parse(HIPD_LIST_DH, "P256",
						 &(unsigned){ 0 }),
			 HIP_EINVAL);
	/* a short buffer is cut between names, never inside one */
	ck_assert_uint_eq(hipd_config_value_names(HIPD_LIST_ESP, names, 14),
			  10);
	ck_assert_str_eq(names, "aes-gcm-16");
	ck_assert_uint_eq(hipd_config_value_names(HIPD_LIST_ESP, names, 12),
			  0);
	ck_assert_str_eq(names, "");
}
END_TEST

START_TEST(test_locators_identities_hosts_user)
{
	struct hipd_config c;
	struct in6_addr a;

	hipd_config_defaults(&c);
	ck_assert_str_eq(c.hosts_file, HIPD_DEFAULT_HOSTS_FILE);
	ck_assert(!c.hosts_file_set);
	load_ok("locator = 2001:db8:1::/48\nlocator = 192.0.2.0/24\n"
		"ignore-locator = 2001:db8:1:5::/64\n"
		"identity = /etc/hip/a.pem\nidentity = /etc/hip/b.pem\n"
		"hosts-file = /etc/hip/peers\nuser = hipd\n", &c);
	ck_assert_uint_eq(c.n_allow, 2);
	inet_pton(AF_INET6, "2001:db8:1:4::1", &a);
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 0);
	inet_pton(AF_INET6, "2001:db8:1:5::1", &a);	/* ignore wins */
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 1);
	inet_pton(AF_INET6, "2001:db8:2::1", &a);	/* not allowed */
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 1);
	inet_pton(AF_INET6, "::ffff:192.0.2.7", &a);
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 0);
	inet_pton(AF_INET6, "::ffff:192.0.3.7", &a);
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 1);
	ck_assert_uint_eq(c.n_identity_files, 2);
	ck_assert_str_eq(c.identity_files[0], "/etc/hip/a.pem");
	ck_assert_str_eq(c.identity_files[1], "/etc/hip/b.pem");
	ck_assert_str_eq(c.hosts_file, "/etc/hip/peers");
	ck_assert(c.hosts_file_set);
	ck_assert_str_eq(c.user, "hipd");

	load_ok("hosts-file = none\n", &c);
	ck_assert_str_eq(c.hosts_file, "");
	ck_assert(c.hosts_file_set);
	/* no locator line: every address may be used */
	inet_pton(AF_INET6, "2001:db8:2::1", &a);
	ck_assert_int_eq(hipd_config_ignored(&c, &a), 0);
}
END_TEST

START_TEST(test_reload_base)
{
	struct hipd_config run, base;
	char path[128], err[HIPD_ERR_MAX];

	/* the running configuration had lists and -c/--state-dir values;
	 * a file without them yields the defaults again */
	load_ok("ignore-locator = 10.0.0.0/8\nidentity = /k.pem\n"
		"log-level = debug\nkernel = pfkey\n", &run);
	strcpy(run.state_dir, "/tmp/elsewhere");
	hipd_config_reload_base(&run, &base);
	tmpdir_write(dir, "reload.conf", "msl = 7\n", path, sizeof(path));
	ck_assert_int_eq(hipd_config_load(path, &base, err, sizeof(err)), 0);
	ck_assert_uint_eq(base.n_ignore, 0);
	ck_assert_uint_eq(base.n_identity_files, 0);
	ck_assert_int_eq(base.log_level, HIPD_LOG_DEBUG);	/* -v kept */
	ck_assert_uint_eq(base.msl_s, 7);
	ck_assert_str_eq(base.kernel, "pfkey");
	ck_assert_str_eq(base.state_dir, "/tmp/elsewhere");
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
	{ "dh-groups = p256,\n", "1: dh-groups: unknown entry '(empty entry)'" },
	{ "dh-groups = p256, ffdhe2048\n",
	  "1: dh-groups: unknown entry 'ffdhe2048' (known: p256" },
	{ "dh-groups = p256,p384,p256\n", "1: dh-groups: 'p256' listed twice" },
	{ "dh-groups = p256,p384,p521,modp3072,modp2048,modp1536,secp160r1,"
	  "p256\n", "1: dh-groups" },
	{ "hit-suites = sha1\n", "1: hit-suites: unknown entry 'sha1'" },
	{ "esp-transforms = aes-gcm-16,aes-gcm-8,aes-ccm-16,aes-ccm-8,"
	  "aes-gmac,aes128-cbc-sha256,aes256-cbc-sha256\n",
	  "1: esp-transforms: more than 6 entries" },
	{ "esp-transforms = 3des\n", "1: esp-transforms: unknown entry" },
	{ "hit-suites = rsa-sha256\n#\n", "1: hit-suites: does not list "
	  "ecdsa-sha384, the suite of default-hi-type ecdsa-p256" },
	{ "default-hi-type = ed448\nhit-suites = ecdsa-sha384,rsa-sha256\n",
	  "2: hit-suites: does not list eddsa-cshake, the suite of "
	  "default-hi-type ed448" },
	{ "locator = 2001:db8::/129\n", "1: locator" },
	{ "locator = eth0\n", "1: locator" },
	{ "identity = hi.pem\n", "1: identity: expected the absolute path" },
	{ "identity = /a.pem\nidentity = /a.pem\n",
	  "2: identity: file listed twice" },
	{ "identity = /1\nidentity = /2\nidentity = /3\nidentity = /4\n"
	  "identity = /5\nidentity = /6\nidentity = /7\nidentity = /8\n"
	  "identity = /9\n", "9: identity: too many identity lines" },
	{ "hosts-file = hosts\n", "1: hosts-file" },
	{ "user = root;x\n", "1: user: expected a user name" },
	{ "user = none\n", "1: user" },
	{ "log-level = debug\nfrobnicate = 1\n", "2: frobnicate: unknown key" },
	{ "msl = 5\nmsl\0 = 6\n", "2: NUL character" },
};

START_TEST(test_bad)
{
	struct hipd_config c, before;
	char path[128], err[HIPD_ERR_MAX], want[256];

	hipd_config_defaults(&c);
	c.puzzle_k = 3;
	before = c;
	write_bytes("bad.conf", bad[_i].text, bad_len(bad[_i].text), path,
		    sizeof(path));
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

/* The text of a file of the source tree ($srcdir, as make check sets). */
static char *source_file(const char *rel)
{
	const char *top = getenv("srcdir");
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: cannot open (srcdir unset?)", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(test_directory)
{
	struct hipd_config c, before;
	char err[HIPD_ERR_MAX];

	/* a directory given as the file is an error, not an empty file */
	hipd_config_defaults(&c);
	before = c;
	ck_assert_int_eq(hipd_config_load(dir, &c, err, sizeof(err)), HIP_EIO);
	ck_assert_ptr_nonnull(strstr(err, dir));
	ck_assert(memcmp(&c, &before, sizeof(c)) == 0);
}
END_TEST

START_TEST(test_keys_known)
{
	struct hipd_config c;
	char path[128], err[HIPD_ERR_MAX], line[128], want[128];

	/* every listed key reaches its parser: a bad value is refused
	 * with a reason other than "unknown key" */
	for (size_t i = 0; hipd_config_keys[i] != NULL; i++) {
		hipd_config_defaults(&c);
		snprintf(line, sizeof(line), "%s = \001bad\n",
			 hipd_config_keys[i]);
		tmpdir_write(dir, "k.conf", line, path, sizeof(path));
		ck_assert_int_eq(hipd_config_load(path, &c, err, sizeof(err)),
				 HIP_EFORMAT);
		snprintf(want, sizeof(want), ":1: %s: ", hipd_config_keys[i]);
		ck_assert_msg(strstr(err, want) && !strstr(err, "unknown key"),
			      "%s", err);
	}
}
END_TEST

START_TEST(test_example_file)
{
	char *text = source_file("data/hipd.conf");
	char *man = source_file("man/hipd.conf.5");
	char path[128], err[HIPD_ERR_MAX] = "", want[96];
	struct hipd_config c;
	size_t nkeys = 0;
	FILE *f;

	/* every key is in the example (commented, as "#key = ") and has
	 * an entry in hipd.conf(5) */
	for (size_t i = 0; hipd_config_keys[i] != NULL; i++, nkeys++) {
		snprintf(want, sizeof(want), "\n#%s = ", hipd_config_keys[i]);
		ck_assert_msg(strstr(text, want) != NULL,
			      "data/hipd.conf lacks %s", hipd_config_keys[i]);
		snprintf(want, sizeof(want), ".It Cm %s No = ",
			 hipd_config_keys[i]);
		ck_assert_msg(strstr(man, want) != NULL,
			      "hipd.conf(5) lacks %s", hipd_config_keys[i]);
	}
	ck_assert_uint_ge(nkeys, 26);
	/* the example loads as it is (all defaults) and uncommented */
	hipd_config_defaults(&c);
	tmpdir_write(dir, "example.conf", text, path, sizeof(path));
	ck_assert_msg(hipd_config_load(path, &c, err, sizeof(err)) == 0, "%s",
		      err);
	snprintf(path, sizeof(path), "%s/uncommented.conf", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (char *p = text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		if (p[0] == '#' && p[1] >= 'a' && p[1] <= 'z' &&
		    strstr(p, " = ") != NULL)
			fprintf(f, "%s\n", p + 1);
	}
	fclose(f);
	hipd_config_defaults(&c);
	ck_assert_msg(hipd_config_load(path, &c, err, sizeof(err)) == 0, "%s",
		      err);
	ck_assert_str_eq(c.user, "hipd");
	ck_assert_uint_eq(c.n_hit_suites, 3);
	ck_assert_uint_eq(c.sa_hard_seconds, 86400);
	free(text);
	free(man);
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
	tcase_add_test(tc, test_lists);
	tcase_add_test(tc, test_value_names);
	tcase_add_test(tc, test_locators_identities_hosts_user);
	tcase_add_test(tc, test_reload_base);
	tcase_add_test(tc, test_keys_known);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_example_file);
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
