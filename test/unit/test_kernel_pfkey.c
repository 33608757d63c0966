/*
 * Unit tests for hipd/kernel_pfkey_decode.c: kernel messages, built
 * with libpfkey and parsed as they would arrive, turned into kernel
 * events; malformed ones rejected with the right code.  The backend's
 * requests are tested against the kernel (test/kernel/
 * pfkey_backend_uml_test.sh).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "hip/error.h"
#include "hipd/kernel_pfkey.h"

#define HIT_A "2001:20::a"
#define HIT_B "2001:20::b"

static uint8_t buf[1024];
static struct pfkey_builder bld;

static void start(uint8_t type)
{
	ck_assert_int_eq(pfkey_build_init(&bld, buf, sizeof(buf), type,
					  SADB_SATYPE_ESP, 7, 0), 0);
}

/* Finish the message and parse it as read_events does. */
static void finish(struct pfkey_msg *m)
{
	size_t len;

	ck_assert_int_eq(pfkey_build_finish(&bld, &len), 0);
	ck_assert_int_eq(pfkey_parse(buf, len, PFKEY_PARSE_SKIP_UNKNOWN, m), 0);
}

static void sockaddr_of(union pfkey_sockaddr *sa, const char *text)
{
	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET6, text, &sa->sin6.sin6_addr) == 1) {
		sa->sin6.sin6_family = AF_INET6;
	} else {
		ck_assert_int_eq(inet_pton(AF_INET, text, &sa->sin.sin_addr), 1);
		sa->sin.sin_family = AF_INET;
	}
}

static void add_addr(uint16_t exttype, const char *text, uint8_t plen)
{
	union pfkey_sockaddr sa;

	sockaddr_of(&sa, text);
	ck_assert_int_eq(pfkey_add_address(&bld, exttype, IPSEC_PROTO_ANY,
					   plen, &sa.sa), 0);
}

static void add_sa(uint32_t spi)
{
	struct pfkey_sa sa = { .spi = spi, .state = SADB_SASTATE_DYING };

	ck_assert_int_eq(pfkey_add_sa(&bld, &sa), 0);
}

static void add_lifetime(uint16_t exttype)
{
	struct pfkey_lifetime lt = { .addtime = 30 };

	ck_assert_int_eq(pfkey_add_lifetime(&bld, exttype, &lt), 0);
}

static void add_sa2(uint32_t reqid)
{
	struct pfkey_sa2 sa2 = { .mode = IPSEC_MODE_BEET, .reqid = reqid };

	ck_assert_int_eq(pfkey_add_sa2(&bld, &sa2), 0);
}

static void assert_addr(sa_family_t f, const uint8_t *b, const char *text)
{
	uint8_t want[16] = { 0 };

	ck_assert_int_eq(inet_pton(f, text, want), 1);
	ck_assert_mem_eq(b, want, 16);
}

START_TEST(test_expire_soft)
{
	struct hip_kernel_event ev;
	struct pfkey_msg m;

	start(SADB_EXPIRE);
	add_sa(0x12345678);
	add_lifetime(SADB_EXT_LIFETIME_CURRENT);
	add_lifetime(SADB_EXT_LIFETIME_SOFT);
	add_addr(SADB_EXT_ADDRESS_SRC, "2001:db8::1", 128);
	add_addr(SADB_EXT_ADDRESS_DST, "2001:db8::2", 128);
	add_addr(SADB_EXT_ADDRESS_PROXY, HIT_A, 128);
	add_sa2(0x48490101);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), 1);
	ck_assert_int_eq(ev.type, HIP_KEV_EXPIRE);
	ck_assert_uint_eq(ev.u.expire.spi, 0x12345678);
	ck_assert_uint_eq(ev.u.expire.reqid, 0x48490101);
	ck_assert(!ev.u.expire.hard);
	ck_assert_int_eq(ev.u.expire.outer.family, AF_INET6);
	assert_addr(AF_INET6, ev.u.expire.outer.src.b, "2001:db8::1");
	assert_addr(AF_INET6, ev.u.expire.outer.dst.b, "2001:db8::2");
	/* the inner source only: af_key has no inner destination */
	ck_assert_int_eq(ev.u.expire.inner.family, AF_INET6);
	assert_addr(AF_INET6, ev.u.expire.inner.src.b, HIT_A);
	ck_assert_uint_eq(ev.u.expire.inner.src_plen, 128);
	ck_assert_uint_eq(ev.u.expire.inner.dst_plen, 0);
}
END_TEST

START_TEST(test_expire_hard_v4)
{
	struct hip_kernel_event ev;
	struct pfkey_msg m;

	start(SADB_EXPIRE);
	add_sa(0x100);
	add_lifetime(SADB_EXT_LIFETIME_CURRENT);
	add_lifetime(SADB_EXT_LIFETIME_HARD);
	add_addr(SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32);
	add_addr(SADB_EXT_ADDRESS_DST, "192.0.2.2", 32);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), 1);
	ck_assert(ev.u.expire.hard);
	ck_assert_uint_eq(ev.u.expire.spi, 0x100);
	ck_assert_uint_eq(ev.u.expire.reqid, 0);	/* no SA2 */
	ck_assert_int_eq(ev.u.expire.outer.family, AF_INET);
	assert_addr(AF_INET, ev.u.expire.outer.dst.b, "192.0.2.2");
	ck_assert_int_eq(ev.u.expire.inner.family, AF_UNSPEC);
}
END_TEST

START_TEST(test_expire_bad)
{
	struct hip_kernel_event ev;
	struct pfkey_msg m;

	/* no lifetime saying which limit */
	start(SADB_EXPIRE);
	add_sa(0x100);
	add_addr(SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32);
	add_addr(SADB_EXT_ADDRESS_DST, "192.0.2.2", 32);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), HIP_EMISSING);
	/* no SA */
	start(SADB_EXPIRE);
	add_lifetime(SADB_EXT_LIFETIME_HARD);
	add_addr(SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32);
	add_addr(SADB_EXT_ADDRESS_DST, "192.0.2.2", 32);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), HIP_EMISSING);
	/* no destination */
	start(SADB_EXPIRE);
	add_sa(0x100);
	add_lifetime(SADB_EXT_LIFETIME_HARD);
	add_addr(SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), HIP_EMISSING);
	/* outer families differ */
	start(SADB_EXPIRE);
	add_sa(0x100);
	add_lifetime(SADB_EXT_LIFETIME_HARD);
	add_addr(SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32);
	add_addr(SADB_EXT_ADDRESS_DST, "2001:db8::2", 128);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), HIP_EFORMAT);
}
END_TEST

static void rq_of(struct pfkey_ipsecrequest *rq, uint32_t reqid,
		  const char *src, const char *dst)
{
	memset(rq, 0, sizeof(*rq));
	rq->proto = IPPROTO_ESP;
	rq->mode = IPSEC_MODE_BEET;
	rq->level = IPSEC_LEVEL_UNIQUE;
	rq->reqid = reqid;
	rq->has_addrs = 1;
	sockaddr_of(&rq->src, src);
	sockaddr_of(&rq->dst, dst);
}

START_TEST(test_migrate)
{
	struct pfkey_policy xp = { .type = IPSEC_POLICY_IPSEC,
				   .dir = IPSEC_DIR_INBOUND };
	struct pfkey_ipsecrequest rq[4];
	struct hip_kernel_event ev;
	struct pfkey_msg m;

	rq_of(&rq[0], 0x48490102, "2001:db8::2", "2001:db8::1");
	rq_of(&rq[1], 0x48490102, "198.51.100.2", "198.51.100.1");
	rq_of(&rq[2], 0x48490103, "2001:db8::2", "2001:db8::1");
	rq_of(&rq[3], 0x48490103, "2001:db8:5::2", "2001:db8:5::1");
	start(SADB_X_MIGRATE);
	add_addr(SADB_EXT_ADDRESS_SRC, HIT_B, 128);
	add_addr(SADB_EXT_ADDRESS_DST, HIT_A, 128);
	ck_assert_int_eq(pfkey_add_policy(&bld, &xp, rq, 4), 0);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), 1);
	ck_assert_int_eq(ev.type, HIP_KEV_MIGRATE);
	ck_assert_int_eq(ev.u.migrate.dir, HIP_KERNEL_DIR_IN);
	assert_addr(AF_INET6, ev.u.migrate.inner.src.b, HIT_B);
	assert_addr(AF_INET6, ev.u.migrate.inner.dst.b, HIT_A);
	ck_assert_uint_eq(ev.u.migrate.n, 2);
	ck_assert_uint_eq(ev.u.migrate.e[0].reqid, 0x48490102);
	ck_assert_int_eq(ev.u.migrate.e[0].old_outer.family, AF_INET6);
	ck_assert_int_eq(ev.u.migrate.e[0].new_outer.family, AF_INET);
	assert_addr(AF_INET, ev.u.migrate.e[0].new_outer.dst.b, "198.51.100.1");
	ck_assert_uint_eq(ev.u.migrate.e[1].reqid, 0x48490103);
	assert_addr(AF_INET6, ev.u.migrate.e[1].new_outer.src.b,
		    "2001:db8:5::2");

	/* an old locator pair without its new one */
	start(SADB_X_MIGRATE);
	add_addr(SADB_EXT_ADDRESS_SRC, HIT_B, 128);
	add_addr(SADB_EXT_ADDRESS_DST, HIT_A, 128);
	ck_assert_int_eq(pfkey_add_policy(&bld, &xp, rq, 3), 0);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), HIP_ELEN);

	/* the kernel's answer to someone's failed request: no event */
	start(SADB_X_MIGRATE);
	add_addr(SADB_EXT_ADDRESS_SRC, HIT_B, 128);
	add_addr(SADB_EXT_ADDRESS_DST, HIT_A, 128);
	ck_assert_int_eq(pfkey_add_policy(&bld, &xp, rq, 2), 0);
	buf[2] = 22;	/* sadb_msg_errno */
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), 0);
}
END_TEST

START_TEST(test_acquire)
{
	struct pfkey_policy xp = { .type = IPSEC_POLICY_IPSEC,
				   .dir = IPSEC_DIR_OUTBOUND,
				   .id = 0x1a9, .priority = 0x48490200 };
	struct hip_kernel_event ev;
	struct hip_kernel_outer outer;
	struct pfkey_msg m;
	uint8_t dir = 0;

	/* from the trigger policy: template ::1 -> :: */
	start(SADB_ACQUIRE);
	add_addr(SADB_EXT_ADDRESS_SRC, "::1", 128);
	add_addr(SADB_EXT_ADDRESS_DST, "::", 128);
	ck_assert_int_eq(pfkey_add_policy(&bld, &xp, NULL, 0), 0);
	finish(&m);
	ck_assert_int_eq(pfk_acquire_decode(&m, &ev, &outer, &dir), 1);
	ck_assert_int_eq(ev.type, HIP_KEV_ACQUIRE);
	ck_assert_int_eq(ev.u.acquire.outer.family, AF_UNSPEC);
	ck_assert_int_eq(outer.family, AF_INET6);
	ck_assert_uint_eq(ev.u.acquire.policy_index, 0x1a9);
	ck_assert_int_eq(ev.u.acquire.policy_dir, HIP_KERNEL_DIR_OUT);
	ck_assert_uint_eq(dir, IPSEC_DIR_OUTBOUND);
	ck_assert_uint_eq(ev.u.acquire.seq, 7);
	ck_assert_int_eq(ev.u.acquire.inner.family, AF_UNSPEC);

	/* from a per-peer policy: the locators */
	start(SADB_ACQUIRE);
	add_addr(SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32);
	add_addr(SADB_EXT_ADDRESS_DST, "192.0.2.2", 32);
	ck_assert_int_eq(pfkey_add_policy(&bld, &xp, NULL, 0), 0);
	finish(&m);
	ck_assert_int_eq(pfk_acquire_decode(&m, &ev, &outer, &dir), 1);
	ck_assert_int_eq(ev.u.acquire.outer.family, AF_INET);
	assert_addr(AF_INET, ev.u.acquire.outer.dst.b, "192.0.2.2");

	/* no policy extension: the flow cannot be found */
	start(SADB_ACQUIRE);
	add_addr(SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32);
	add_addr(SADB_EXT_ADDRESS_DST, "192.0.2.2", 32);
	finish(&m);
	ck_assert_int_eq(pfk_acquire_decode(&m, &ev, &outer, &dir),
			 HIP_EMISSING);

	/* other messages are not events */
	ck_assert_int_eq(pfk_event_decode(&m, &ev), 0);
	start(SADB_ADD);
	add_sa(0x100);
	finish(&m);
	ck_assert_int_eq(pfk_event_decode(&m, &ev), 0);
	ck_assert_int_eq(pfk_acquire_decode(&m, &ev, &outer, &dir), 0);
}
END_TEST

START_TEST(test_selector)
{
	struct hip_kernel_sel sel;
	struct pfkey_msg m;

	start(SADB_X_SPDGET);
	add_addr(SADB_EXT_ADDRESS_SRC, "2001:20::", 28);
	add_addr(SADB_EXT_ADDRESS_DST, "2001:20::", 28);
	finish(&m);
	ck_assert_int_eq(pfk_msg_sel(&m, &sel), 0);
	ck_assert_int_eq(sel.family, AF_INET6);
	ck_assert_uint_eq(sel.src_plen, 28);
	ck_assert_uint_eq(sel.dst_plen, 28);

	start(SADB_X_SPDGET);
	add_addr(SADB_EXT_ADDRESS_SRC, "2001:20::", 28);
	finish(&m);
	ck_assert_int_eq(pfk_msg_sel(&m, &sel), HIP_EFORMAT);
}
END_TEST

/* af_key's PROXY for HITs over IPv4: AF_INET with prefix length 128 */
START_TEST(test_repair)
{
	struct hip_kernel_event ev;
	struct pfkey_msg m;
	uint8_t copy[sizeof(buf)];
	size_t len, fixed;
	const uint8_t *ext;
	size_t elen;

	start(SADB_EXPIRE);
	add_sa(0x4242);
	add_lifetime(SADB_EXT_LIFETIME_HARD);
	add_addr(SADB_EXT_ADDRESS_SRC, "192.0.2.1", 32);
	add_addr(SADB_EXT_ADDRESS_DST, "192.0.2.2", 32);
	add_addr(SADB_EXT_ADDRESS_PROXY, "32.1.0.32", 32);
	add_sa2(0x48490101);
	ck_assert_int_eq(pfkey_build_finish(&bld, &len), 0);
	ck_assert_int_eq(pfkey_parse(buf, len, 0, &m), 0);
	ck_assert_int_eq(pfkey_msg_ext(&m, SADB_EXT_ADDRESS_PROXY, &ext,
				       &elen), 0);
	buf[ext - buf + 5] = 128;	/* what the kernel writes */
	ck_assert_int_lt(pfkey_parse(buf, len, 0, &m), 0);
	memcpy(copy, buf, len);
	fixed = pfk_msg_repair(buf, len);
	ck_assert_uint_eq(fixed, len - elen);
	ck_assert_int_eq(pfkey_parse(buf, fixed, 0, &m), 0);
	ck_assert(!pfkey_msg_has(&m, SADB_EXT_ADDRESS_PROXY));
	ck_assert_int_eq(pfk_event_decode(&m, &ev), 1);
	ck_assert_uint_eq(ev.u.expire.spi, 0x4242);
	ck_assert_uint_eq(ev.u.expire.reqid, 0x48490101);
	ck_assert(ev.u.expire.hard);
	ck_assert_int_eq(ev.u.expire.inner.family, AF_UNSPEC);
	/* a sound message is left alone, and so is a bad length */
	ck_assert_uint_eq(pfk_msg_repair(buf, fixed), fixed);
	ck_assert_uint_eq(pfk_msg_repair(copy, len - 8), len - 8);
	ck_assert_uint_eq(pfk_msg_repair(copy, 8), 8);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kernel_pfkey");
	TCase *tc = tcase_create("decode");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_expire_soft);
	tcase_add_test(tc, test_expire_hard_v4);
	tcase_add_test(tc, test_expire_bad);
	tcase_add_test(tc, test_migrate);
	tcase_add_test(tc, test_acquire);
	tcase_add_test(tc, test_selector);
	tcase_add_test(tc, test_repair);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
