/* Unit tests for puzzle.c: solving and verifying for several #K and
 * suites, the lowest-order-bits rule, and the stateless #I. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "hip/error.h"
#include "hip/proto.h"
#include "hip/puzzle.h"
#include "hip/util.h"

static const uint8_t hit_i[16] = { 0x20, 0x01, 0x00, 0x20, [15] = 1 };
static const uint8_t hit_r[16] = { 0x20, 0x01, 0x00, 0x20, [15] = 2 };

static void fill(uint8_t *b, size_t n, uint8_t seed)
{
	for (size_t k = 0; k < n; k++)
		b[k] = (uint8_t)(seed + 7 * k);
}

/* Independent check of the rule with a plain one-shot digest. */
static unsigned low_bits(int suite, const uint8_t *i, const uint8_t *j,
			 unsigned k)
{
	static const char *const names[] = { NULL, "SHA256", "SHA384",
					     "SHA1" };
	size_t l = hip_puzzle_ij_len(suite);
	uint8_t in[2 * 48 + 32], d[64];
	unsigned dl = 0, acc = 0;

	memcpy(in, i, l);
	memcpy(in + l, hit_i, 16);
	memcpy(in + l + 16, hit_r, 16);
	memcpy(in + l + 32, j, l);
	ck_assert_int_eq(EVP_Digest(in, 2 * l + 32, d, &dl,
				    EVP_get_digestbyname(names[suite]), NULL),
			 1);
	for (unsigned b = 0; b < k; b++)	/* bit b from the end */
		acc |= (d[dl - 1 - b / 8] >> (b % 8)) & 1;
	return acc;
}

static const struct { int suite; uint8_t k; } cases[] = {
	{ 1, 0 }, { 1, 1 }, { 1, 8 }, { 1, 16 },
	{ 2, 0 }, { 2, 1 }, { 2, 8 }, { 2, 13 },
	{ 3, 0 }, { 3, 1 }, { 3, 8 }, { 3, 12 },
};

START_TEST(test_solve_verify)
{
	int suite = cases[_i].suite;
	uint8_t k = cases[_i].k;
	size_t l = hip_puzzle_ij_len(suite);
	uint8_t i[48], j[48], start[48];

	fill(i, l, (uint8_t)(17 * _i));
	fill(start, l, 3);
	ck_assert_int_eq(hip_puzzle_solve(suite, k, i, hit_i, hit_r, start,
					  1u << 24, j), 0);
	ck_assert_int_eq(hip_puzzle_verify(suite, k, i, hit_i, hit_r, j), 0);
	ck_assert_uint_eq(low_bits(suite, i, j, k), 0);
	if (k == 0)	/* no work: the first candidate is the answer */
		ck_assert_mem_eq(j, start, l);
	if (k >= 8) {
		/* Swapped HITs or another #I make it a different puzzle
		 * (fails with probability 1 - 2^-k). */
		ck_assert_int_eq(hip_puzzle_verify(suite, k, i, hit_r, hit_i,
						   j), HIP_EVERIFY);
		i[0] ^= 1;
		ck_assert_int_eq(hip_puzzle_verify(suite, k, i, hit_i, hit_r,
						   j), HIP_EVERIFY);
		i[0] ^= 1;
		/* Wrong #J values: verify agrees with the independent
		 * computation on each, and rejects at least one. */
		{
			int rejected = 0;

			for (unsigned b = 0; b < 8; b++) {
				unsigned want;
				int got;

				j[l - 1 - b] ^= 0x01;
				want = low_bits(suite, i, j, k);
				got = hip_puzzle_verify(suite, k, i, hit_i,
							hit_r, j);
				ck_assert_int_eq(got, want ? HIP_EVERIFY : 0);
				rejected |= got == HIP_EVERIFY;
				j[l - 1 - b] ^= 0x01;
			}
			ck_assert_int_eq(rejected, 1);
		}
	}
}
END_TEST

START_TEST(test_k20)
{
	uint8_t i[32], j[32];

	fill(i, 32, (uint8_t)(0x40 + _i));
	/* Random start; about 2^20 candidates on average. */
	ck_assert_int_eq(hip_puzzle_solve(1, 20, i, hit_i, hit_r, NULL,
					  1u << 26, j), 0);
	ck_assert_int_eq(hip_puzzle_verify(1, 20, i, hit_i, hit_r, j), 0);
	ck_assert_uint_eq(low_bits(1, i, j, 20), 0);
}
END_TEST

/* Verification looks at the LOWEST-order bits: a digest whose last bits
 * are zero but first bits are not passes, and vice versa. */
START_TEST(test_lowest_order_bits)
{
	uint8_t i[32], j[32], start[32];
	int found_high_nonzero = 0;

	fill(i, 32, 0x99);
	memset(start, 0, sizeof(start));
	for (int round = 0; round < 20 && !found_high_nonzero; round++) {
		ck_assert_int_eq(hip_puzzle_solve(1, 8, i, hit_i, hit_r,
						  start, 1u << 20, j), 0);
		/* the solution's digest has its top 8 bits set somewhere */
		{
			uint8_t in[96], d[32];
			unsigned dl;

			memcpy(in, i, 32);
			memcpy(in + 32, hit_i, 16);
			memcpy(in + 48, hit_r, 16);
			memcpy(in + 64, j, 32);
			EVP_Digest(in, 96, d, &dl, EVP_sha256(), NULL);
			ck_assert_uint_eq(d[31], 0);
			if (d[0] != 0)
				found_high_nonzero = 1;
		}
		memcpy(start, j, 32);
		start[31]++;
	}
	ck_assert_int_eq(found_high_nonzero, 1);
}
END_TEST

START_TEST(test_exhausted)
{
	uint8_t i[32], j[32], start[32];

	fill(i, 32, 1);
	memset(start, 0, sizeof(start));
	memset(j, 0xee, sizeof(j));
	/* K = 256 needs an all-zero digest: never found. */
	ck_assert_int_eq(hip_puzzle_solve(1, 255, i, hit_i, hit_r, start,
					  1000, j), HIP_ENOENT);
	ck_assert_uint_eq(j[0], 0xee);
	ck_assert_int_eq(hip_puzzle_solve(1, 8, i, hit_i, hit_r, start, 0,
					  j), HIP_ENOENT);
	/* K larger than the digest is not a puzzle. */
	ck_assert_int_eq(hip_puzzle_solve(3, 161, i, hit_i, hit_r, start, 1,
					  j), HIP_EINVAL);
	ck_assert_int_eq(hip_puzzle_verify(3, 161, i, hit_i, hit_r, j),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_puzzle_verify(5, 1, i, hit_i, hit_r, j),
			 HIP_EUNSUPPORTED);
}
END_TEST

START_TEST(test_counter_wraps)
{
	uint8_t i[20], j[20], start[20];

	fill(i, 20, 5);
	memset(start, 0xff, sizeof(start));
	/* From all-ones the search wraps around to zero and goes on. */
	ck_assert_int_eq(hip_puzzle_solve(3, 10, i, hit_i, hit_r, start,
					  1u << 20, j), 0);
	ck_assert_int_eq(hip_puzzle_verify(3, 10, i, hit_i, hit_r, j), 0);
}
END_TEST

START_TEST(test_make_i)
{
	const uint8_t s1[] = "current secret", s2[] = "previous secret";
	uint8_t ip_i[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
	uint8_t ip_r[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 2 };
	uint8_t a[48], b[48], c[48];
	uint8_t mac[32];
	size_t ml = 0;

	ck_assert_int_eq(hip_puzzle_make_i(s1, sizeof(s1), hit_i, hit_r,
					   ip_i, ip_r, 1, a), 0);
	ck_assert_int_eq(hip_puzzle_make_i(s1, sizeof(s1), hit_i, hit_r,
					   ip_i, ip_r, 1, b), 0);
	ck_assert_mem_eq(a, b, 32);	/* stateless: reproducible */
	/* = HMAC-SHA-256(S, HIT-I | HIT-R | IP-I | IP-R) */
	{
		uint8_t msg[64];

		memcpy(msg, hit_i, 16);
		memcpy(msg + 16, hit_r, 16);
		memcpy(msg + 32, ip_i, 16);
		memcpy(msg + 48, ip_r, 16);
		ck_assert_ptr_nonnull(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256",
						NULL, s1, sizeof(s1), msg, 64,
						mac, sizeof(mac), &ml));
		ck_assert_uint_eq(ml, 32);
		ck_assert_mem_eq(a, mac, ml);
	}
	ck_assert_int_eq(hip_puzzle_make_i(s2, sizeof(s2), hit_i, hit_r,
					   ip_i, ip_r, 1, c), 0);
	ck_assert(memcmp(a, c, 32) != 0);
	ck_assert_int_eq(hip_puzzle_make_i(s1, sizeof(s1), hit_r, hit_i,
					   ip_i, ip_r, 1, c), 0);
	ck_assert(memcmp(a, c, 32) != 0);
	ip_i[15] = 9;
	ck_assert_int_eq(hip_puzzle_make_i(s1, sizeof(s1), hit_i, hit_r,
					   ip_i, ip_r, 1, c), 0);
	ck_assert(memcmp(a, c, 32) != 0);
	/* The #I size follows the suite. */
	memset(c, 0xcc, sizeof(c));
	ck_assert_int_eq(hip_puzzle_make_i(s1, sizeof(s1), hit_i, hit_r,
					   ip_i, ip_r, 3, c), 0);
	ck_assert_uint_eq(c[20], 0xcc);
	ck_assert_int_eq(hip_puzzle_make_i(s1, sizeof(s1), hit_i, hit_r,
					   ip_i, ip_r, 2, c), 0);
	ck_assert_int_eq(hip_puzzle_make_i(s1, 0, hit_i, hit_r, ip_i, ip_r,
					   1, c), HIP_EINVAL);
	ck_assert_uint_eq(hip_puzzle_ij_len(1), 32);
	ck_assert_uint_eq(hip_puzzle_ij_len(2), 48);
	ck_assert_uint_eq(hip_puzzle_ij_len(3), 20);
}
END_TEST

static Suite *puzzle_suite(void)
{
	Suite *s = suite_create("puzzle");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_solve_verify, 0,
			    (int)HIP_ARRAY_SIZE(cases));
	tcase_add_loop_test(tc, test_k20, 0, 2);
	tcase_add_test(tc, test_lowest_order_bits);
	tcase_add_test(tc, test_exhausted);
	tcase_add_test(tc, test_counter_wraps);
	tcase_add_test(tc, test_make_i);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(puzzle_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
