/* Table of bad (and a few good) inputs with the verdict each must get from
 * hip_packet_parse, hip_param_next or hip_packet_verify_checksum; then
 * every single-bit flip and every truncation of two golden packets, which
 * must be rejected cleanly or parse into parameters that the typed parsers
 * handle without fault (run under ASan/UBSan with --enable-sanitizers). */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/param.h"
#include "hip/params.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hip/wire.h"

enum mode {
	PKT,	/* hip_packet_parse on the datagram */
	LIST,	/* hip_param_next over a bare parameter list */
	CSUM,	/* parse, then verify the checksum from 2001:db8::1 to ::2 */
};

struct row {
	const char *name;
	enum mode mode;
	const char *hex;
	int err;
	uint16_t crit;
};

/* Header: NextHdr 59, HdrLen, type, version 2 + fixed bit, checksum,
 * controls, HITs 2001:20::1 and 2001:20::2. */
#define HITS	"20010020000000000000000000000001" \
		"20010020000000000000000000000002"
#define HDR(hl, type)	"3b" hl type "21" "0000" "0000" HITS
#define DHGL348		"01ff0003030408" "00"	/* DH_GROUP_LIST 3,4,8 */
#define SEQ1		"01810004" "00000001"
#define CIPHER2		"02430002" "0002" "0000"

static const struct row rows[] = {
	/* Header */
	{ "empty datagram", PKT, "", HIP_ETRUNC, 0 },
	{ "truncated header", PKT, "3b0401210000000020010020", HIP_ETRUNC, 0 },
	{ "header only, 39 octets", PKT,
	  "3b04012100000000" "20010020000000000000000000000001"
	  "200100200000000000000000000000", HIP_ETRUNC, 0 },
	{ "HdrLen beyond datagram", PKT, HDR("05", "01"), HIP_ETRUNC, 0 },
	{ "HdrLen 255 beyond datagram", PKT, HDR("ff", "01") DHGL348,
	  HIP_ETRUNC, 0 },
	{ "HdrLen below 4", PKT, HDR("03", "01"), HIP_ELEN, 0 },
	{ "bad version 1", PKT,
	  "3b040111" "00000000" HITS, HIP_EVERSION, 0 },
	{ "bad version 3", PKT,
	  "3b040131" "00000000" HITS, HIP_EVERSION, 0 },
	{ "fixed bit 0", PKT, "3b040120" "00000000" HITS, HIP_EFORMAT, 0 },
	{ "type top bit set", PKT, "3b048121" "00000000" HITS,
	  HIP_EFORMAT, 0 },
	{ "type 0", PKT, "3b040021" "00000000" HITS, HIP_EFORMAT, 0 },
	{ "next header not 59", PKT, "06040121" "00000000" HITS,
	  HIP_EFORMAT, 0 },
	{ "valid I1", PKT, HDR("05", "01") DHGL348, HIP_OK, 0 },
	{ "valid header-only CLOSE", PKT, HDR("04", "12"), HIP_OK, 0 },
	{ "trailing octets ignored", PKT, HDR("05", "01") DHGL348 "ffffffff",
	  HIP_OK, 0 },
	{ "RES bits ignored", PKT,
	  "3b05012f" "00000000" HITS DHGL348, HIP_OK, 0 },
	/* Parameters inside a packet */
	{ "value beyond packet", PKT, HDR("05", "01") "01ff0014030408" "00",
	  HIP_ETRUNC, 0 },
	{ "length 65535", PKT, HDR("05", "01") "01ffffff030408" "00",
	  HIP_ETRUNC, 0 },
	{ "second header overruns value", PKT,
	  HDR("06", "01") DHGL348 "0241000c" "00000000", HIP_ETRUNC, 0 },
	{ "non-zero padding", PKT, HDR("05", "01") "01ff0003030408" "01",
	  HIP_EPAD, 0 },
	{ "non-zero padding, long pad", PKT,
	  HDR("06", "10") "07d00005" "aabbccdd" "ee000000" "00000080",
	  HIP_EPAD, 0 },
	{ "descending types", PKT, HDR("06", "02") CIPHER2 DHGL348,
	  HIP_EORDER, 0 },
	{ "duplicate DH_GROUP_LIST", PKT, HDR("06", "01") DHGL348 DHGL348,
	  HIP_EDUP, 0 },
	{ "duplicate SEQ", PKT, HDR("06", "10") SEQ1 SEQ1, HIP_EDUP, 0 },
	{ "repeated NOTIFICATION", PKT,
	  HDR("06", "11") "03400004" "00000001" "03400004" "00000007",
	  HIP_OK, 0 },
	{ "repeated ECHO_REQUEST_UNSIGNED", PKT,
	  HDR("06", "02") "f8ad0002" "abcd0000" "f8ad0002" "ef010000",
	  HIP_OK, 0 },
	{ "zero-length DH_GROUP_LIST", PKT, HDR("05", "01") "01ff0000" "00000000",
	  HIP_ELEN, 0 },
	{ "zero-length SEQ", PKT, HDR("05", "10") "01810000" "00000000",
	  HIP_ELEN, 0 },
	{ "short ESP_INFO", PKT, HDR("05", "10") "00410004" "00000001",
	  HIP_ELEN, 0 },
	{ "zero-length unknown type", PKT, HDR("05", "10") "07d00000" "00000000",
	  HIP_OK, 0 },
	{ "unknown critical", PKT, HDR("05", "10") "03e90004" "00000000",
	  HIP_ECRIT, 1001 },
	{ "first unknown critical reported", PKT,
	  HDR("07", "10") SEQ1 "03e90004" "00000000" "03eb0004" "00000000",
	  HIP_ECRIT, 1001 },
	{ "critical in reserved range", PKT,
	  HDR("05", "10") "ffff0004" "00000000", HIP_ECRIT, 65535 },
	{ "unknown non-critical skipped", PKT,
	  HDR("06", "10") SEQ1 "03e80004" "00000000", HIP_OK, 0 },
	{ "malformed beats unknown critical", PKT,
	  HDR("06", "10") "03e90004" "00000000" "03eb0003" "00000001",
	  HIP_EPAD, 0 },
	/* Bare lists (e.g. decrypted ENCRYPTED content) */
	{ "list: header truncated", LIST, "01ff00", HIP_ETRUNC, 0 },
	{ "list: value truncated", LIST, "01ff000303", HIP_ETRUNC, 0 },
	{ "list: padding missing", LIST, "01ff0003030408", HIP_EPAD, 0 },
	{ "list: valid", LIST, DHGL348 CIPHER2, HIP_OK, 0 },
	{ "list: empty", LIST, "", HIP_OK, 0 },
	/* Checksum (RFC 7401 Appendix C I1) */
	{ "good checksum", CSUM,
	  "3b050121" "1a5e0000" HITS DHGL348, HIP_OK, 0 },
	{ "bad checksum", CSUM,
	  "3b050121" "1a5f0000" HITS DHGL348, HIP_ECHECKSUM, 0 },
	{ "checksum of other packet", CSUM,
	  "3b050121" "1a5e0000" HITS "01ff0003030409" "00",
	  HIP_ECHECKSUM, 0 },
};

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	ck_assert_uint_eq(strlen(hex) % 2, 0);
	ck_assert_uint_le(n, cap);
	ck_assert_int_eq(hip_hex_decode(hex, out, n), 0);
	return n;
}

START_TEST(test_table)
{
	const struct row *r = &rows[_i];
	struct in6_addr src, dst;
	static struct hip_packet pkt;
	struct hip_param_iter it;
	struct hip_param p;
	uint8_t buf[4096];
	uint16_t crit = 0;
	size_t n = unhex(r->hex, buf, sizeof(buf));
	int err = 0;

	switch (r->mode) {
	case PKT:
		err = hip_packet_parse(&pkt, buf, n, &crit);
		break;
	case LIST:
		hip_param_iter_init(&it, buf, n, 0);
		while ((err = hip_param_next(&it, &p)) == 1)
			;
		break;
	case CSUM:
		ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::1", &src), 1);
		ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::2", &dst), 1);
		err = hip_packet_parse(&pkt, buf, n, &crit);
		ck_assert_int_eq(err, 0);
		err = hip_packet_verify_checksum(buf, pkt.len, &src, &dst);
		break;
	}
	ck_assert_msg(err == r->err, "%s: got %d (%s), want %d (%s)", r->name,
		      err, hip_strerror(err), r->err, hip_strerror(r->err));
	ck_assert_msg(crit == r->crit, "%s: critical type %u, want %u",
		      r->name, crit, r->crit);
}
END_TEST

/* Golden packets for the mutation tests: the RFC I1 and an R1-like packet
 * with most parameter kinds. */
static size_t golden_r1(uint8_t *buf, size_t cap)
{
	struct in6_addr s, d;
	struct hip_builder b;
	static struct hip_puzzle pz;
	static struct hip_diffie_hellman dh;
	static struct hip_host_id hi;
	static struct hip_signature sig;
	static struct hip_locator_set ls;
	struct hip_cipher c = { .count = 2, .ids = { 4, 2 } };
	struct hip_hit_suite_list hs = { .count = 2, .ids = { 0x10, 0x20 } };
	struct hip_dh_group_list gl = { .count = 2, .groups = { 8, 3 } };
	struct hip_transport_format_list tf = { .count = 1,
						.formats = { 4095 } };
	struct hip_esp_transform et = { .count = 2, .suites = { 8, 7 } };
	struct hip_r1_counter rc = { .generation = 5 };
	size_t len;

	ck_assert_int_eq(inet_pton(AF_INET6, "2001:20::1", &s), 1);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:20::2", &d), 1);
	pz.k = 8;
	pz.i_len = 32;
	dh.count = 1;
	dh.v[0].group = 7;
	dh.v[0].pub_len = 65;
	hi.algorithm = 7;
	hi.hi_len = 67;
	hi.di_type = 1;
	hi.di_len = 4;
	sig.algorithm = 7;
	sig.len = 64;
	ls.count = 2;
	ls.loc[0].type = 0;
	ls.loc[1].type = 1;
	ck_assert_int_eq(hip_builder_init(&b, buf, cap, HIP_R1, &s, &d, 0), 0);
	ck_assert_int_eq(hip_put_r1_counter(&b, &rc), 0);
	ck_assert_int_eq(hip_put_locator_set(&b, &ls), 0);
	ck_assert_int_eq(hip_put_puzzle(&b, &pz), 0);
	ck_assert_int_eq(hip_put_dh_group_list(&b, &gl), 0);
	ck_assert_int_eq(hip_put_diffie_hellman(&b, &dh), 0);
	ck_assert_int_eq(hip_put_cipher(&b, &c), 0);
	ck_assert_int_eq(hip_put_host_id(&b, &hi), 0);
	ck_assert_int_eq(hip_put_hit_suite_list(&b, &hs), 0);
	ck_assert_int_eq(hip_put_transport_format_list(&b, &tf), 0);
	ck_assert_int_eq(hip_put_esp_transform(&b, &et), 0);
	ck_assert_int_eq(hip_put_signature(&b, HIP_PARAM_HIP_SIGNATURE_2, &sig),
			 0);
	ck_assert_int_eq(hip_builder_finish(&b, &len), 0);
	return len;
}

/* Parse; on success every parameter must pass its typed parser or fail
 * with a defined code. Returns the parse verdict. */
static int parse_all(const uint8_t *buf, size_t len)
{
	static struct hip_packet pkt;
	const struct hip_param *bad = NULL;
	uint16_t crit;
	int r = hip_packet_parse(&pkt, buf, len, &crit);

	if (r == 0 || r == HIP_ECRIT) {
		int v = hip_packet_validate_params(&pkt, &bad);

		ck_assert(v == 0 || v == HIP_ELEN || v == HIP_EFORMAT);
		ck_assert(v == 0 || bad != NULL);
	} else {
		ck_assert(r < 0 && r >= HIP_ESTATE);
	}
	return r;
}

START_TEST(test_golden_valid)
{
	uint8_t buf[2048];
	size_t len = golden_r1(buf, sizeof(buf));
	static struct hip_packet pkt;

	ck_assert_int_eq(hip_packet_parse(&pkt, buf, len, NULL), 0);
	ck_assert_uint_eq(pkt.nparams, 11);
	ck_assert_int_eq(hip_packet_validate_params(&pkt, NULL), 0);
}
END_TEST

START_TEST(test_bit_flips)
{
	uint8_t golden[2048], buf[2048];
	size_t len = golden_r1(golden, sizeof(golden));
	size_t ok = 0, rejected = 0;

	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(buf, golden, len);
			buf[i] ^= (uint8_t)(1u << bit);
			if (parse_all(buf, len) == 0)
				ok++;
			else
				rejected++;
		}
	}
	/* Flips in values keep the packet well-formed; flips in the header's
	 * fixed fields, types, lengths and padding must not. */
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_gt(rejected, 0);
}
END_TEST

START_TEST(test_truncations)
{
	uint8_t golden[2048];
	uint8_t *copy;
	size_t len = golden_r1(golden, sizeof(golden));

	/* Every prefix is rejected: HdrLen promises the full length. The
	 * copy is exactly n octets so ASan catches any read beyond. */
	for (size_t n = 0; n < len; n++) {
		copy = malloc(n ? n : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, golden, n);
		ck_assert_int_eq(parse_all(copy, n), HIP_ETRUNC);
		free(copy);
	}
	/* With HdrLen fixed up, a cut at a parameter boundary parses and a
	 * cut inside a parameter does not. */
	for (size_t n = HIP_HDR_LEN; n <= len; n += 8) {
		int r;

		copy = malloc(n);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, golden, n);
		copy[1] = (uint8_t)(n / 8 - 1);
		r = parse_all(copy, n);
		ck_assert(r == 0 || r == HIP_ETRUNC || r == HIP_EPAD);
		free(copy);
	}
}
END_TEST

START_TEST(test_validate_dispatch)
{
	static const uint8_t zero[8];
	unsigned known = 0;

	/* Every known type has a typed parser, and each rejects an empty
	 * value; unknown types are not checked. */
	for (unsigned t = 0; t <= 0xffff; t++) {
		struct hip_param p = { .type = (uint16_t)t, .len = 0,
				       .value = zero, .offset = 0 };
		int r = hip_param_validate(&p);

		if (hip_param_known((uint16_t)t)) {
			known++;
			ck_assert_msg(r == HIP_ELEN, "type %u: %d", t, r);
		} else {
			ck_assert_int_eq(r, 0);
		}
	}
	ck_assert_uint_eq(known, 35);
}
END_TEST

static Suite *badinput_suite(void)
{
	Suite *s = suite_create("badinput");
	TCase *tc = tcase_create("table");
	TCase *mut = tcase_create("mutation");

	tcase_add_loop_test(tc, test_table, 0, (int)HIP_ARRAY_SIZE(rows));
	tcase_add_test(tc, test_validate_dispatch);
	tcase_add_test(mut, test_golden_valid);
	tcase_add_test(mut, test_bit_flips);
	tcase_add_test(mut, test_truncations);
	tcase_set_timeout(mut, 60);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, mut);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(badinput_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
