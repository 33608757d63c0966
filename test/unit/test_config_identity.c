/*
 * test_config_identity.c - the identities hipd loads (hipd/state.c with
 * the configuration's identity, hit-suites and user keys): first start
 * creates and logs one, configured files are loaded in order and left
 * alone by hipconf, key files of the wrong mode or owner are refused
 * with the fix in the message, and a HIT-suite list filters.
 */
#include <check.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hipd/log.h"
#include "hipd/state.h"
#include "test/unit/tmpdir.h"

static char dir[64];
static struct hipd_state st;	/* large */

static void setup(void)
{
	tmpdir_make(dir, sizeof(dir), "test_config_id");
}

static void teardown(void)
{
	tmpdir_remove(dir);
}

/* A new key of type in dir/name; its HIT in hit. */
static void make_key(const char *name, enum hip_key_type type,
		     uint8_t hit[HIP_HIT_LEN], char *path, size_t cap)
{
	struct hip_identity *id;
	char err[256];

	snprintf(path, cap, "%s/%s", dir, name);
	ck_assert_int_eq(hip_identity_generate(type, 0, &id), 0);
	ck_assert_int_eq(hip_identity_save(id, path, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(hip_hit_from_identity(id, hit), 0);
	hip_identity_free(id);
}

START_TEST(test_first_start_logged)
{
	char err[320] = "", sub[128], logtext[1024], h[HIP_HIT_STRLEN];
	FILE *log = tmpfile();
	struct stat sb;
	size_t n;

	ck_assert_ptr_nonnull(log);
	hipd_log_init("test", true, HIPD_LOG_INFO);
	hipd_log_set_stream(log);
	snprintf(sub, sizeof(sub), "%s/state", dir);
	ck_assert_int_eq(hipd_state_open(&st, sub, HIP_KEY_ECDSA_P256, err,
					 sizeof(err)), 0);
	hipd_log_set_stream(NULL);
	ck_assert_uint_eq(st.n_ids, 1);
	ck_assert_int_eq(hip_identity_key_type(st.ids[0]),
			 HIP_KEY_ECDSA_P256);
	snprintf(sub, sizeof(sub), "%s/state/hi-00.pem", dir);
	ck_assert_int_eq(stat(sub, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0600);
	/* the log says which file and which HIT */
	rewind(log);
	n = fread(logtext, 1, sizeof(logtext) - 1, log);
	logtext[n] = '\0';
	fclose(log);
	hip_hit_to_str(st.hits[0], h, sizeof(h));
	ck_assert_ptr_nonnull(strstr(logtext, "hi-00.pem (ecdsa-p256)"));
	ck_assert_ptr_nonnull(strstr(logtext, h));
	hipd_state_close(&st);

	/* the second start finds it and creates nothing */
	log = tmpfile();
	hipd_log_set_stream(log);
	snprintf(sub, sizeof(sub), "%s/state", dir);
	ck_assert_int_eq(hipd_state_open(&st, sub, HIP_KEY_ED25519, err,
					 sizeof(err)), 0);
	hipd_log_set_stream(NULL);
	ck_assert_uint_eq(st.n_ids, 1);
	ck_assert_int_eq(ftell(log), 0);
	fclose(log);
	hipd_state_close(&st);
}
END_TEST

START_TEST(test_configured_files)
{
	char files[2][PATH_MAX], err[320] = "", sub[128];
	uint8_t hit_a[HIP_HIT_LEN], hit_b[HIP_HIT_LEN];
	struct hip_identity *gone = NULL;
	struct hipd_state_opts o = { .deftype = HIP_KEY_ECDSA_P256,
				     .key_uid = (uid_t)-1 };
	size_t idx;

	make_key("a.pem", HIP_KEY_ECDSA_P256, hit_a, files[1], PATH_MAX);
	make_key("b.pem", HIP_KEY_ED25519, hit_b, files[0], PATH_MAX);
	snprintf(sub, sizeof(sub), "%s/state", dir);
	o.dir = sub;
	o.files = (const char (*)[PATH_MAX])files;
	o.n_files = 2;
	ck_assert_int_eq(hipd_state_open_opts(&st, &o, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.n_ids, 2);
	/* the first listed is the default */
	ck_assert_mem_eq(st.hits[0], hit_b, HIP_HIT_LEN);
	ck_assert_mem_eq(st.hits[1], hit_a, HIP_HIT_LEN);
	/* nothing created in the state directory */
	snprintf(sub, sizeof(sub), "%s/state/hi-00.pem", dir);
	ck_assert_int_eq(access(sub, F_OK), -1);
	/* hipconf may not add or remove them */
	ck_assert_int_eq(hipd_state_hi_new(&st, HIP_KEY_ECDSA_P256, 0, &idx,
					   err, sizeof(err)), HIP_ESTATE);
	ck_assert_ptr_nonnull(strstr(err, "identity files of the "
				     "configuration"));
	ck_assert_int_eq(hipd_state_hi_del(&st, hit_a, &gone, err,
					   sizeof(err)), HIP_ESTATE);
	ck_assert_ptr_null(gone);
	ck_assert_int_eq(access(files[1], F_OK), 0);
	hipd_state_close(&st);

	/* a listed file that is missing stops the start */
	snprintf(files[1], PATH_MAX, "%s/missing.pem", dir);
	ck_assert_int_eq(hipd_state_open_opts(&st, &o, err, sizeof(err)),
			 HIP_ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "missing.pem"));
}
END_TEST

START_TEST(test_key_mode)
{
	char path[PATH_MAX], err[320] = "", sub[128];
	uint8_t hit[HIP_HIT_LEN];

	snprintf(sub, sizeof(sub), "%s/state", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	make_key("state/hi-00.pem", HIP_KEY_ECDSA_P256, hit, path,
		 sizeof(path));
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(hipd_state_open(&st, sub, HIP_KEY_ECDSA_P256, err,
					 sizeof(err)), HIP_EPERM);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "0640"));
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	/* nothing was created beside the refused file */
	snprintf(path, sizeof(path), "%s/hi-01.pem", sub);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(test_key_owner)
{
	struct hipd_state_opts o = { .deftype = HIP_KEY_ECDSA_P256,
				     .key_uid = (uid_t)-1 };
	char path[PATH_MAX], err[320] = "", sub[128], want[PATH_MAX + 64];
	struct passwd *pw = getpwnam("nobody");
	uint8_t hit[HIP_HIT_LEN];

	if (geteuid() != 0 || pw == NULL)
		return;		/* cannot give a file away: nothing to test */
	snprintf(sub, sizeof(sub), "%s/state", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	make_key("state/hi-03.pem", HIP_KEY_ECDSA_P256, hit, path,
		 sizeof(path));
	ck_assert_int_eq(chown(path, pw->pw_uid, pw->pw_gid), 0);
	o.dir = sub;
	ck_assert_int_eq(hipd_state_open_opts(&st, &o, err, sizeof(err)),
			 HIP_EPERM);
	snprintf(want, sizeof(want), "%s: private key owned by nobody", path);
	ck_assert_ptr_nonnull(strstr(err, want));
	snprintf(want, sizeof(want), "run chown root %s", path);
	ck_assert_ptr_nonnull(strstr(err, want));
	/* the user hipd switches to may own it */
	o.key_uid = pw->pw_uid;
	ck_assert_int_eq(hipd_state_open_opts(&st, &o, err, sizeof(err)), 0);
	ck_assert_mem_eq(st.hits[0], hit, HIP_HIT_LEN);
	hipd_state_close(&st);
}
END_TEST

START_TEST(test_hit_suites)
{
	struct hipd_state_opts o = { .deftype = HIP_KEY_ECDSA_P256,
				     .key_uid = (uid_t)-1 };
	char path[PATH_MAX], err[320] = "", sub[128];
	uint8_t hit_ec[HIP_HIT_LEN], hit_ed[HIP_HIT_LEN];
	uint8_t only_ed[] = { HIP_HIT_SUITE_EDDSA_CSHAKE };
	uint8_t only_rsa[] = { HIP_HIT_SUITE_RSA_DSA_SHA256 };

	snprintf(sub, sizeof(sub), "%s/state", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	make_key("state/hi-00.pem", HIP_KEY_ECDSA_P256, hit_ec, path,
		 sizeof(path));
	make_key("state/hi-01.pem", HIP_KEY_ED25519, hit_ed, path,
		 sizeof(path));
	o.dir = sub;
	ck_assert_int_eq(hipd_state_open_opts(&st, &o, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.n_ids, 2);
	hipd_state_close(&st);
	o.suites = only_ed;
	o.n_suites = 1;
	ck_assert_int_eq(hipd_state_open_opts(&st, &o, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.n_ids, 1);
	ck_assert_mem_eq(st.hits[0], hit_ed, HIP_HIT_LEN);
	hipd_state_close(&st);
	o.suites = only_rsa;
	ck_assert_int_eq(hipd_state_open_opts(&st, &o, err, sizeof(err)),
			 HIP_ENOENT);
	ck_assert_str_eq(err, "no host identity of the HIT suites in "
			 "hit-suites");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("config_identity");
	TCase *tc = tcase_create("identities");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_first_start_logged);
	tcase_add_test(tc, test_configured_files);
	tcase_add_test(tc, test_key_mode);
	tcase_add_test(tc, test_key_owner);
	tcase_add_test(tc, test_hit_suites);
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
