/* Unit tests for util.c: constant-time compare, wipe, hex. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/util.h"

START_TEST(test_ct_memeq)
{
	uint8_t a[32], b[32];

	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	ck_assert_int_eq(hip_ct_memeq(a, b, sizeof(a)), 1);
	b[31] ^= 1;
	ck_assert_int_eq(hip_ct_memeq(a, b, sizeof(a)), 0);
	b[31] ^= 1;
	b[0] ^= 0x80;
	ck_assert_int_eq(hip_ct_memeq(a, b, sizeof(a)), 0);
	ck_assert_int_eq(hip_ct_memeq(a, b, 0), 1);
}
END_TEST

START_TEST(test_wipe)
{
	uint8_t k[16];

	memset(k, 0xff, sizeof(k));
	hip_wipe(k, sizeof(k));
	for (size_t i = 0; i < sizeof(k); i++)
		ck_assert_uint_eq(k[i], 0);
	hip_wipe(NULL, 4); /* must not crash */
}
END_TEST

START_TEST(test_hex)
{
	const uint8_t in[] = { 0x00, 0x1f, 0xa0, 0xff };
	char out[9];
	uint8_t back[4];

	ck_assert_int_eq(hip_hex_encode(in, 4, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "001fa0ff");
	ck_assert_int_eq(hip_hex_encode(in, 4, out, 8), HIP_ENOSPC);
	ck_assert_int_eq(hip_hex_decode("001FA0ff", back, 4), 0);
	ck_assert_mem_eq(back, in, 4);
	ck_assert_int_eq(hip_hex_decode("001fa0f", back, 4), HIP_ELEN);
	ck_assert_int_eq(hip_hex_decode("001fa0fg", back, 4), HIP_EFORMAT);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(hip_strerror(HIP_OK), "success");
	ck_assert_str_eq(hip_strerror(HIP_ECRIT), "unknown critical parameter");
	ck_assert_str_eq(hip_strerror(12345), "unknown error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_ct_memeq);
	tcase_add_test(tc, test_wipe);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
