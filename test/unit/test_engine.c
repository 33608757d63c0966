/*
 * test_engine.c - whole exchanges between two engines over the mock
 * network: every identity pair, DH and ESP negotiation, lost and
 * duplicated packets, simultaneous open, CLOSE, lifetimes.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/engine.h"
#include "hip/error.h"
#include "hip/params.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_mock.h"

#define RUN_MS	60000	/* long enough for every retransmission */

static const enum hip_key_type key_types[] = {
	HIP_KEY_RSA, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P384, HIP_KEY_ED25519,
	HIP_KEY_ED448,
};

static void pair_config(struct hip_engine_config *a,
			struct hip_engine_config *b, enum hip_key_type ta,
			enum hip_key_type tb)
{
	mock_config(a, mock_identity(ta, 0));
	mock_config(b, mock_identity(tb, 1));
}

static struct mock_net *net_new(const struct hip_engine_config *a,
				const struct hip_engine_config *b, bool v4)
{
	struct mock_net *n = calloc(1, sizeof(*n));

	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(mock_net_init(n, a, b, v4), 0);
	return n;
}

static void net_free(struct mock_net *n)
{
	mock_net_free(n);
	free(n);
}

static void connect_a(struct mock_net *n)
{
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	mock_drain(n, 0);
}

/* One SA pair on each side whose keys and SPIs match crosswise, and
 * whose inbound SPIs came from each host's allocator. */
static void check_sas(struct mock_net *n, uint16_t suite)
{
	const struct hip_engine_sa *ai, *ao, *bi, *bo;
	struct hip_engine_assoc_info ia, ib;

	ck_assert_uint_eq(n->h[0].n_installs, 1);
	ck_assert_uint_eq(n->h[1].n_installs, 1);
	ai = &n->h[0].installs[0].u.sa_install.in;
	ao = &n->h[0].installs[0].u.sa_install.out;
	bi = &n->h[1].installs[0].u.sa_install.in;
	bo = &n->h[1].installs[0].u.sa_install.out;
	ck_assert_uint_eq(ao->spi, bi->spi);
	ck_assert_uint_eq(bo->spi, ai->spi);
	ck_assert_uint_eq(ai->spi, n->h[0].spis[n->h[0].n_spis - 1]);
	ck_assert_uint_eq(bi->spi, n->h[1].spis[n->h[1].n_spis - 1]);
	ck_assert(ai->spi_reserved && bi->spi_reserved);
	ck_assert(!ao->spi_reserved && !bo->spi_reserved);
	ck_assert_uint_eq(ai->dir, HIP_ENGINE_DIR_IN);
	ck_assert_uint_eq(ao->dir, HIP_ENGINE_DIR_OUT);
	ck_assert_uint_eq(ao->suite, suite);
	ck_assert_uint_eq(bi->suite, suite);
	/* A's outbound keys are B's inbound keys and the other way. */
	ck_assert_uint_eq(ao->enc_key_len, bi->enc_key_len);
	ck_assert_uint_gt(ao->enc_key_len, 0);
	ck_assert_mem_eq(ao->enc_key, bi->enc_key, ao->enc_key_len);
	ck_assert_uint_eq(ao->auth_key_len, bi->auth_key_len);
	ck_assert_mem_eq(ao->auth_key, bi->auth_key, ao->auth_key_len);
	ck_assert_mem_eq(bo->enc_key, ai->enc_key, bo->enc_key_len);
	ck_assert_mem_eq(bo->auth_key, ai->auth_key, bo->auth_key_len);
	/* The two directions use different keys. */
	ck_assert(memcmp(ao->enc_key, ai->enc_key, ao->enc_key_len) != 0);
	/* Inner HITs and outer locators as the packets carry them. */
	ck_assert_mem_eq(ao->inner_src, n->h[0].hit, 16);
	ck_assert_mem_eq(ao->inner_dst, n->h[1].hit, 16);
	ck_assert_mem_eq(ai->inner_src, n->h[1].hit, 16);
	ck_assert_mem_eq(&ao->outer_src, &n->h[0].addr, 16);
	ck_assert_mem_eq(&ao->outer_dst, &n->h[1].addr, 16);
	ck_assert_mem_eq(&bi->outer_src, &n->h[0].addr, 16);
	ck_assert_mem_eq(&bi->outer_dst, &n->h[1].addr, 16);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &ib), 0);
	ck_assert_uint_eq(ia.spi_in, ai->spi);
	ck_assert_uint_eq(ia.spi_out, ao->spi);
	ck_assert_uint_eq(ib.spi_in, bi->spi);
	ck_assert_uint_eq(ia.esp_suite, suite);
	ck_assert_uint_eq(ib.esp_suite, suite);
}

static void check_established(struct mock_net *n)
{
	struct hip_engine_assoc_info ia, ib;

	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &ib), 0);
	ck_assert_str_eq(hip_engine_state_name(ia.state), "ESTABLISHED");
	ck_assert_str_eq(hip_engine_state_name(ib.state), "ESTABLISHED");
	ck_assert(ia.initiator || ib.initiator);
	ck_assert(!(ia.initiator && ib.initiator));
	ck_assert_uint_eq(ia.dh_group, ib.dh_group);
	ck_assert_uint_eq(ia.hip_cipher, ib.hip_cipher);
}

/* Records the SPIs carried in I2 and R2 ESP_INFO. */
static uint32_t esp_info_spi[2];
static enum mock_verdict spy_esp_info(struct mock_net *n,
				      const struct mock_pkt *p)
{
	int t = mock_pkt_type(p);
	size_t off, len;

	(void)n;
	if (t != HIP_I2 && t != HIP_R2)
		return MOCK_DELIVER;
	off = mock_find_param(p, HIP_PARAM_ESP_INFO, &len);
	ck_assert_uint_gt(off, 0);
	ck_assert_uint_eq(len, 12);
	esp_info_spi[t == HIP_R2] = hip_get32(p->data + off + 4 + 8);
	return MOCK_DELIVER;
}

START_TEST(test_base_exchange)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia, ib;
	struct hip_engine_stats sa, sb;
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	n = net_new(&ca, &cb, false);
	n->filter = spy_esp_info;
	connect_a(n);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_I1_SENT);
	/* The Responder keeps no state for an I1 (4.1.3). */
	ck_assert_int_eq(mock_deliver_one(n), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &ib), HIP_ENOENT);
	ck_assert_int_eq(mock_deliver_one(n), 0);	/* R1 */
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_I2_SENT);
	ck_assert_int_eq(mock_deliver_one(n), 0);	/* I2 */
	ck_assert_int_eq(mock_assoc(n, 1, &ib), 0);
	ck_assert_uint_eq(ib.state, HIP_STATE_R2_SENT);
	ck_assert_uint_eq(n->h[1].n_installs, 1);
	ck_assert_int_eq(mock_deliver_one(n), 0);	/* R2 */
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_ESTABLISHED);
	ck_assert(ia.initiator);
	/* R2-SENT ends with the first sign of the peer or a timer. */
	ck_assert_int_eq(hip_engine_touch(n->h[1].e, n->now, NULL,
					  n->h[0].hit), 0);
	mock_drain(n, 1);
	check_established(n);
	check_sas(n, HIP_ESP_AES_GCM_16);
	ck_assert_uint_eq(esp_info_spi[0], n->h[0].spis[0]);
	ck_assert_uint_eq(esp_info_spi[1], n->h[1].spis[0]);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.dh_group, HIP_DH_NIST_P256);
	ck_assert_uint_eq(ia.hip_cipher, HIP_CIPHER_AES_128_CBC);
	ck_assert_uint_eq(ia.hit_suite, 2);
	ck_assert_mem_eq(&ia.peer_loc, &n->h[1].addr, 16);
	hip_engine_get_stats(n->h[0].e, &sa);
	hip_engine_get_stats(n->h[1].e, &sb);
	ck_assert_uint_eq(sa.exchanges_completed, 1);
	ck_assert_uint_eq(sb.exchanges_completed, 1);
	for (int k = 0; k < HIP_DROP__MAX; k++) {
		ck_assert_uint_eq(sa.dropped[k], 0);
		ck_assert_uint_eq(sb.dropped[k], 0);
	}
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I1], 1);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I2], 1);
	ck_assert_uint_eq(n->h[1].sent_by_type[HIP_R1], 1);
	ck_assert_uint_eq(n->h[1].sent_by_type[HIP_R2], 1);
	net_free(n);
}
END_TEST

/* Every identity type pair (with the default DH and ESP lists). */
START_TEST(test_identity_pairs)
{
	enum hip_key_type ta = key_types[_i / 5], tb = key_types[_i % 5];
	struct hip_engine_config ca, cb;
	struct mock_net *n;

	pair_config(&ca, &cb, ta, tb);
	n = net_new(&ca, &cb, false);
	connect_a(n);
	mock_run(n, RUN_MS);
	check_established(n);
	check_sas(n, HIP_ESP_AES_GCM_16);
	net_free(n);
}
END_TEST

/* DH preference combinations: the Responder picks the first of its own
 * list that the Initiator offered (5.2.6); none: NOTIFY 14. */
static const struct {
	uint8_t a[4], b[4];
	uint8_t expect;
} dh_cases[] = {
	{ { 7 }, { 7 }, 7 },
	{ { 8 }, { 8 }, 8 },
	{ { 3 }, { 3 }, 3 },
	{ { 4 }, { 4 }, 4 },
	{ { 11 }, { 11 }, 11 },
	{ { 9 }, { 9 }, 9 },
	{ { 9, 8 }, { 8, 9 }, 8 },
	{ { 7, 8, 3 }, { 8, 7 }, 8 },
	{ { 3, 7 }, { 7, 3 }, 7 },
	{ { 7, 3 }, { 3, 7 }, 3 },
	{ { 8, 4 }, { 3, 4, 8 }, 4 },
	{ { 7 }, { 8, 3 }, 0 },
	{ { 3 }, { 7, 8 }, 0 },
};

static size_t list_len(const uint8_t *l)
{
	size_t k = 0;

	while (k < 4 && l[k])
		k++;
	return k;
}

START_TEST(test_dh_groups)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia;
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_RSA);
	ca.n_dh_groups = list_len(dh_cases[_i].a);
	memcpy(ca.dh_groups, dh_cases[_i].a, ca.n_dh_groups);
	cb.n_dh_groups = list_len(dh_cases[_i].b);
	memcpy(cb.dh_groups, dh_cases[_i].b, cb.n_dh_groups);
	n = net_new(&ca, &cb, false);
	connect_a(n);
	if (dh_cases[_i].expect == 0) {
		mock_flush(n);
		ck_assert_uint_eq(n->h[1].sent_by_type[HIP_R1], 0);
		ck_assert_uint_eq(n->h[1].n_notify, 1);
		ck_assert_uint_eq(n->h[1].notify_types[0],
				  HIP_NTF_NO_DH_PROPOSAL_CHOSEN);
		mock_run(n, RUN_MS);
		ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
		ck_assert_uint_eq(ia.state, HIP_STATE_E_FAILED);
	} else {
		mock_run(n, RUN_MS);
		check_established(n);
		check_sas(n, HIP_ESP_AES_GCM_16);
		ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
		ck_assert_uint_eq(ia.dh_group, dh_cases[_i].expect);
	}
	net_free(n);
}
END_TEST

/* ESP suites and HIP ciphers: the Initiator takes the Responder's most
 * preferred one that it supports; none: NOTIFY 18 / 16. */
static const struct {
	uint16_t a[3], b[3];
	uint16_t expect;
	uint16_t ca[3], cb[3];
	uint16_t expect_cipher;
} esp_cases[] = {
	{ { 13, 8 }, { 13, 8 }, 13, { 2, 4 }, { 2, 4 }, 2 },
	{ { 8 }, { 13, 8 }, 8, { 4, 2 }, { 4 }, 4 },
	{ { 13, 8 }, { 8 }, 8, { 2 }, { 4, 2 }, 2 },
	{ { 8, 13 }, { 13, 8 }, 13, { 2, 4 }, { 4, 2 }, 4 },
	{ { 12, 9 }, { 9, 12 }, 9, { 1, 2 }, { 1 }, 1 },
	{ { 13 }, { 8 }, 0, { 2 }, { 2 }, 2 },
	{ { 8 }, { 8 }, 8, { 4 }, { 2 }, 0 },
};

static size_t list16_len(const uint16_t *l)
{
	size_t k = 0;

	while (k < 3 && l[k])
		k++;
	return k;
}

START_TEST(test_esp_suites)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia;
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P384, HIP_KEY_ECDSA_P256);
	ca.n_esp_suites = list16_len(esp_cases[_i].a);
	memcpy(ca.esp_suites, esp_cases[_i].a, sizeof(esp_cases[_i].a));
	cb.n_esp_suites = list16_len(esp_cases[_i].b);
	memcpy(cb.esp_suites, esp_cases[_i].b, sizeof(esp_cases[_i].b));
	ca.n_ciphers = list16_len(esp_cases[_i].ca);
	memcpy(ca.ciphers, esp_cases[_i].ca, sizeof(esp_cases[_i].ca));
	cb.n_ciphers = list16_len(esp_cases[_i].cb);
	memcpy(cb.ciphers, esp_cases[_i].cb, sizeof(esp_cases[_i].cb));
	n = net_new(&ca, &cb, false);
	connect_a(n);
	mock_run(n, RUN_MS);
	if (esp_cases[_i].expect == 0 || esp_cases[_i].expect_cipher == 0) {
		ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I2], 0);
		ck_assert_uint_ge(n->h[0].n_notify, 1);
		ck_assert_uint_eq(n->h[0].notify_types[0],
				  esp_cases[_i].expect ?
				  HIP_NTF_NO_HIP_PROPOSAL_CHOSEN :
				  HIP_NTF_NO_ESP_PROPOSAL_CHOSEN);
		ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
		ck_assert_uint_eq(ia.state, HIP_STATE_E_FAILED);
		ck_assert_int_eq(mock_assoc(n, 1, &ia), HIP_ENOENT);
	} else {
		check_established(n);
		check_sas(n, esp_cases[_i].expect);
		ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
		ck_assert_uint_eq(ia.hip_cipher, esp_cases[_i].expect_cipher);
	}
	net_free(n);
}
END_TEST

/* IPv4 locators (v4-mapped, IPv4 pseudo-header) and HOST_ID in the
 * clear. */
START_TEST(test_ipv4_plain_host_id)
{
	struct hip_engine_config ca, cb;
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_ED25519, HIP_KEY_ECDSA_P256);
	ca.encrypt_host_id = false;
	n = net_new(&ca, &cb, true);
	connect_a(n);
	mock_run(n, RUN_MS);
	check_established(n);
	check_sas(n, HIP_ESP_AES_GCM_16);
	net_free(n);
}
END_TEST

/* --- lost and duplicated packets --------------------------------- */

/* Drop the first packet of type n->filter_arg. */
static enum mock_verdict drop_first(struct mock_net *n,
				    const struct mock_pkt *p)
{
	if (mock_pkt_type(p) == n->filter_arg && n->filter_count == 0) {
		n->filter_count++;
		return MOCK_DROP;
	}
	return MOCK_DELIVER;
}

static enum mock_verdict drop_all(struct mock_net *n,
				  const struct mock_pkt *p)
{
	(void)n;
	(void)p;
	return MOCK_DROP;
}

static enum mock_verdict dup_all(struct mock_net *n, const struct mock_pkt *p)
{
	(void)n;
	(void)p;
	return MOCK_DUPLICATE;
}

static const int lost_types[] = { HIP_I1, HIP_R1, HIP_I2, HIP_R2 };

START_TEST(test_lost_packet)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_stats sb;
	struct mock_net *n;
	int t = lost_types[_i];

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ED25519);
	n = net_new(&ca, &cb, false);
	n->filter = drop_first;
	n->filter_arg = t;
	connect_a(n);
	mock_run(n, RUN_MS);
	ck_assert_uint_eq(n->dropped, 1);
	check_established(n);
	check_sas(n, HIP_ESP_AES_GCM_16);
	/* The Initiator retransmitted once: I1 for a lost I1 or R1, I2
	 * for a lost I2 or R2. */
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I1], t <= HIP_R1 ? 2 : 1);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I2], t <= HIP_R1 ? 1 : 2);
	/* A lost R2: the repeated I2 gets the same R2 again (6.9.1). */
	hip_engine_get_stats(n->h[1].e, &sb);
	ck_assert_uint_eq(n->h[1].sent_by_type[HIP_R2], t == HIP_R2 ? 2 : 1);
	ck_assert_uint_eq(sb.dropped[HIP_DROP_DUPLICATE], t == HIP_R2);
	net_free(n);
}
END_TEST

START_TEST(test_all_lost)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia;
	struct hip_engine_stats sa;
	struct mock_net *n;
	uint64_t start;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	n = net_new(&ca, &cb, false);
	n->filter = drop_all;
	start = n->now;
	connect_a(n);
	/* 1 + 2 + 4 + 8 + 16 s of back-off, then 16 s more (capped). */
	mock_run(n, 46999);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_I1_SENT);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I1], 6);
	mock_run(n, 1);
	ck_assert_uint_eq(n->now, start + 47000);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_E_FAILED);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I1], 6);
	hip_engine_get_stats(n->h[0].e, &sa);
	ck_assert_uint_eq(sa.exchanges_failed, 1);
	ck_assert_uint_eq(n->h[0].states[n->h[0].n_states - 1],
			  HIP_STATE_E_FAILED);
	ck_assert_uint_eq(n->h[0].n_installs, 0);
	/* E-FAILED may re-negotiate (4.4.4). */
	n->filter = NULL;
	connect_a(n);
	mock_run(n, RUN_MS);
	check_established(n);
	check_sas(n, HIP_ESP_AES_GCM_16);
	net_free(n);
}
END_TEST

START_TEST(test_failed_forgotten)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia;
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	ca.failed_hold_ms = 5000;
	n = net_new(&ca, &cb, false);
	n->filter = drop_all;
	connect_a(n);
	mock_run(n, 47000);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_E_FAILED);
	mock_run(n, 5000);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), HIP_ENOENT);
	net_free(n);
}
END_TEST

START_TEST(test_duplicates)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_stats sa, sb;
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_RSA, HIP_KEY_ECDSA_P384);
	n = net_new(&ca, &cb, false);
	n->filter = dup_all;
	connect_a(n);
	mock_run(n, RUN_MS);
	check_established(n);
	check_sas(n, HIP_ESP_AES_GCM_16);
	hip_engine_get_stats(n->h[0].e, &sa);
	hip_engine_get_stats(n->h[1].e, &sb);
	/* Second R1 in I2-SENT: same generation, dropped; second R2 in
	 * ESTABLISHED: dropped; second I2: answered with the same R2. */
	ck_assert_uint_ge(sa.dropped[HIP_DROP_DUPLICATE], 1);
	ck_assert_uint_ge(sa.dropped[HIP_DROP_STATE], 1);
	ck_assert_uint_ge(sb.dropped[HIP_DROP_DUPLICATE], 1);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I2], 1);
	ck_assert_uint_eq(sa.exchanges_completed, 1);
	ck_assert_uint_eq(sb.exchanges_completed, 1);
	net_free(n);
}
END_TEST

/* --- simultaneous open (6.7, 6.9) ------------------------------------ */

START_TEST(test_simultaneous_open)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_stats sa, sb;
	size_t count;
	struct mock_net *n;
	int small;

	pair_config(&ca, &cb, key_types[_i], key_types[(_i + 1) % 5]);
	n = net_new(&ca, &cb, false);
	small = memcmp(n->h[0].hit, n->h[1].hit, 16) < 0 ? 0 : 1;
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	ck_assert_int_eq(hip_engine_acquire(n->h[1].e, n->now, NULL,
					    n->h[0].hit), 0);
	mock_run(n, RUN_MS);
	check_established(n);
	check_sas(n, HIP_ESP_AES_GCM_16);
	ck_assert_int_eq(hip_engine_assoc_list(n->h[0].e, NULL, 0, &count), 0);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(hip_engine_assoc_list(n->h[1].e, NULL, 0, &count), 0);
	ck_assert_uint_eq(count, 1);
	/* The smaller HIT stayed Initiator and dropped the other's I1. */
	hip_engine_get_stats(n->h[0].e, &sa);
	hip_engine_get_stats(n->h[1].e, &sb);
	ck_assert_uint_eq((small ? sb : sa).dropped[HIP_DROP_SIMULTANEOUS], 1);
	ck_assert_uint_eq((small ? sa : sb).dropped[HIP_DROP_SIMULTANEOUS], 0);
	ck_assert_uint_eq(n->h[small].sent_by_type[HIP_I2], 1);
	ck_assert_uint_eq(n->h[1 - small].sent_by_type[HIP_I2], 0);
	net_free(n);
}
END_TEST

/* A is in I2-SENT when B starts an exchange of its own: the host with
 * the greater HIT answers (R1 from I2-SENT, then processes B's I2 in
 * I2-SENT), the smaller one drops what the other initiated (4.4.4). */
static enum mock_verdict hold_a_i2(struct mock_net *n,
				   const struct mock_pkt *p)
{
	if (mock_pkt_type(p) == HIP_I2 && p->from == 0 && !n->have_held)
		return MOCK_HOLD;
	return MOCK_DELIVER;
}

START_TEST(test_crossed_exchanges)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia;
	struct hip_engine_stats sa, sb;
	struct mock_net *n;
	int a_greater;

	/* Swap the identities to get both HIT orders. */
	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	if (_i) {
		ca.identities[0] = mock_identity(HIP_KEY_ECDSA_P256, 1);
		cb.identities[0] = mock_identity(HIP_KEY_ECDSA_P256, 0);
	}
	n = net_new(&ca, &cb, false);
	a_greater = memcmp(n->h[0].hit, n->h[1].hit, 16) > 0;
	n->filter = hold_a_i2;
	connect_a(n);
	mock_flush(n);
	ck_assert(n->have_held);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_I2_SENT);
	ck_assert_int_eq(hip_engine_acquire(n->h[1].e, n->now, NULL,
					    n->h[0].hit), 0);
	mock_flush(n);
	ck_assert_int_eq(mock_inject(n, &n->held), (a_greater ? HIP_ESTATE : 0));
	n->filter = NULL;
	mock_run(n, RUN_MS);
	check_established(n);
	check_sas(n, HIP_ESP_AES_GCM_16);
	hip_engine_get_stats(n->h[0].e, &sa);
	hip_engine_get_stats(n->h[1].e, &sb);
	ck_assert_uint_eq(sa.dropped[HIP_DROP_SIMULTANEOUS], !a_greater);
	ck_assert_uint_eq(sb.dropped[HIP_DROP_SIMULTANEOUS], a_greater);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert(ia.initiator == !a_greater);
	net_free(n);
}
END_TEST

/* --- CLOSE ------------------------------------------------------------ */

static struct mock_net *established(enum hip_key_type ta, enum hip_key_type tb,
				    struct hip_engine_config *ca,
				    struct hip_engine_config *cb)
{
	struct mock_net *n;

	n = net_new(ca, cb, false);
	(void)ta;
	(void)tb;
	connect_a(n);
	mock_run(n, 20000);
	check_established(n);
	return n;
}

static void check_deleted(struct mock_net *n, int i)
{
	const struct hip_engine_action *ins = &n->h[i].installs[0];
	const struct hip_engine_action *del = &n->h[i].deletes[0];

	ck_assert_uint_eq(n->h[i].n_deletes, 1);
	ck_assert_uint_eq(del->u.sa_delete.spi_in, ins->u.sa_install.in.spi);
	ck_assert_uint_eq(del->u.sa_delete.spi_out,
			  ins->u.sa_install.out.spi);
	ck_assert_mem_eq(&del->u.sa_delete.peer_loc, &n->h[1 - i].addr, 16);
	ck_assert_mem_eq(&del->u.sa_delete.local_loc, &n->h[i].addr, 16);
	ck_assert_mem_eq(del->peer_hit, n->h[1 - i].hit, 16);
}

START_TEST(test_close)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia;
	struct mock_net *n;
	int closer = _i & 1;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_RSA);
	n = established(HIP_KEY_ECDSA_P256, HIP_KEY_RSA, &ca, &cb);
	if (_i & 2) {	/* the first CLOSE is lost */
		n->filter = drop_first;
		n->filter_arg = HIP_CLOSE;
	}
	ck_assert_int_eq(hip_engine_close(n->h[closer].e, n->now, NULL,
					  n->h[1 - closer].hit), 0);
	mock_drain(n, closer);
	ck_assert_int_eq(mock_assoc(n, closer, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_CLOSING);
	check_deleted(n, closer);
	mock_run(n, 10000);
	check_deleted(n, 1 - closer);
	ck_assert_int_eq(mock_assoc(n, closer, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_CLOSED);
	ck_assert_int_eq(mock_assoc(n, 1 - closer, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_CLOSED);
	ck_assert_uint_eq(n->h[closer].sent_by_type[HIP_CLOSE],
			  _i & 2 ? 2 : 1);
	ck_assert_uint_eq(n->h[1 - closer].sent_by_type[HIP_CLOSE_ACK], 1);
	/* After the MSL both forget the association. */
	mock_run(n, 120000);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), HIP_ENOENT);
	ck_assert_int_eq(mock_assoc(n, 1, &ia), HIP_ENOENT);
	ck_assert_uint_eq(n->h[0].n_deletes, 1);
	ck_assert_uint_eq(n->h[1].n_deletes, 1);
	/* And can start again. */
	connect_a(n);
	mock_run(n, 20000);
	check_established(n);
	ck_assert_uint_eq(n->h[0].n_installs, 2);
	net_free(n);
}
END_TEST

START_TEST(test_idle_lifetime)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia;
	struct mock_net *n;
	uint64_t t0;

	pair_config(&ca, &cb, HIP_KEY_ED448, HIP_KEY_ECDSA_P256);
	ca.idle_lifetime_ms = 30000;
	cb.idle_lifetime_ms = 0;	/* B never closes on its own */
	n = established(HIP_KEY_ED448, HIP_KEY_ECDSA_P256, &ca, &cb);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	t0 = ia.last_used_ms;
	/* Use keeps it open. */
	mock_advance(n, t0 + 25000);
	ck_assert_int_eq(hip_engine_touch(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_advance(n, t0 + 40000);
	ck_assert_int_eq(mock_assoc(n, 0, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_ESTABLISHED);
	ck_assert_uint_eq(hip_engine_next_timeout(n->h[0].e) <=
			  t0 + 55000, 1);
	mock_run(n, 16000);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_CLOSE], 1);
	ck_assert_int_eq(mock_assoc(n, 1, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_CLOSED);
	ck_assert_uint_eq(n->h[0].n_deletes, 1);
	ck_assert_uint_eq(n->h[1].n_deletes, 1);
	net_free(n);
}
END_TEST

/* An I2 answering the previous R1 generation is still accepted. */
static enum mock_verdict hold_i2(struct mock_net *n, const struct mock_pkt *p)
{
	if (mock_pkt_type(p) == HIP_I2 && !n->have_held)
		return MOCK_HOLD;
	if (mock_pkt_type(p) == HIP_I2)
		return MOCK_DROP;
	return MOCK_DELIVER;
}

START_TEST(test_r1_rotation)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ib;
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	n = net_new(&ca, &cb, false);
	n->filter = hold_i2;
	connect_a(n);
	mock_flush(n);
	ck_assert(n->have_held);
	/* One rotation on B. */
	ck_assert_uint_eq(hip_engine_r1_counter(n->h[1].e),
			  cb.r1_counter_start);
	n->now += cb.r1_rotate_ms;
	ck_assert_int_eq(hip_engine_timeout(n->h[1].e, n->now), 0);
	ck_assert_uint_eq(hip_engine_r1_counter(n->h[1].e),
			  cb.r1_counter_start + 1);
	mock_drain(n, 1);
	ck_assert_int_eq(mock_inject(n, &n->held), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &ib), 0);
	ck_assert_uint_eq(ib.state, HIP_STATE_R2_SENT);
	n->filter = NULL;
	mock_run(n, RUN_MS);
	check_established(n);
	net_free(n);
}
END_TEST

START_TEST(test_api_errors)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_env env = { 0 };
	struct hip_engine *e = NULL;
	struct mock_net *n;
	uint8_t stranger[16];

	mock_config(&ca, NULL);
	ca.n_identities = 0;
	ck_assert_int_eq(hip_engine_new(&ca, &env, 0, &e), HIP_EINVAL);
	ck_assert_ptr_null(e);
	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	ck_assert_int_eq(hip_engine_new(&ca, &env, 0, &e), HIP_EINVAL);
	ca.dh_groups[0] = 2;	/* deprecated group */
	n = net_new(&cb, &cb, false);
	memcpy(stranger, n->h[1].hit, 16);
	stranger[15] ^= 1;
	/* No locator known for that HIT, no association to close. */
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    stranger), HIP_ENOENT);
	ck_assert_int_eq(hip_engine_close(n->h[0].e, n->now, NULL, stranger),
			 HIP_ENOENT);
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, stranger,
					    n->h[1].hit), HIP_ENOENT);
	ck_assert_uint_eq(hip_engine_pending(n->h[0].e), 0);
	ck_assert_str_eq(hip_engine_state_name(HIP_STATE_E_FAILED),
			 "E-FAILED");
	ck_assert_str_eq(hip_engine_drop_name(HIP_DROP_PUZZLE), "puzzle");
	ck_assert_str_eq(hip_engine_drop_name(HIP_DROP__MAX), "?");
	net_free(n);
}
END_TEST

START_TEST(test_spi_failure)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia;
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	n = net_new(&ca, &cb, false);
	n->h[1].fail_spi = true;
	connect_a(n);
	mock_run(n, 3000);
	/* B cannot allocate: no association, no R2; A keeps trying. */
	ck_assert_int_eq(mock_assoc(n, 1, &ia), HIP_ENOENT);
	ck_assert_uint_eq(n->h[1].sent_by_type[HIP_R2], 0);
	n->h[1].fail_spi = false;
	mock_run(n, RUN_MS);
	check_established(n);
	net_free(n);
}
END_TEST

/* --- several identities, peers, the queue --------------------------- */

/* B has two identities; A asks for the second one's HIT and B answers
 * with that identity. */
START_TEST(test_second_identity)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info ia, ib;
	struct mock_net *n;
	uint8_t hit2[16];

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_RSA);
	cb.identities[1] = mock_identity(HIP_KEY_ED25519, 1);
	cb.n_identities = 2;
	n = net_new(&ca, &cb, false);
	ck_assert_int_eq(hip_engine_local_hit(n->h[1].e, 1, hit2), 0);
	ck_assert_int_eq(hip_engine_local_hit(n->h[1].e, 2, hit2),
			 HIP_ENOENT);
	ck_assert_int_eq(hip_engine_local_hit(n->h[1].e, 1, hit2), 0);
	ck_assert_int_eq(hip_engine_peer_add(n->h[0].e, hit2, &n->h[1].addr,
					     1), 0);
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL, hit2),
			 0);
	mock_run(n, RUN_MS);
	ck_assert_int_eq(hip_engine_assoc_get(n->h[0].e, NULL, hit2, &ia), 0);
	ck_assert_uint_eq(ia.state, HIP_STATE_ESTABLISHED);
	/* EdDSA Responder: the association uses suite 1's RHASH. */
	ck_assert_uint_eq(ia.hit_suite, 1);
	ck_assert_int_eq(hip_engine_assoc_get(n->h[1].e, hit2, n->h[0].hit,
					      &ib), 0);
	ck_assert_uint_eq(ib.state, HIP_STATE_ESTABLISHED);
	ck_assert_mem_eq(ib.local_hit, hit2, 16);
	ck_assert_int_eq(hip_engine_assoc_get(n->h[1].e, n->h[1].hit,
					      n->h[0].hit, &ib), HIP_ENOENT);
	ck_assert_uint_eq(n->h[1].n_installs, 1);
	ck_assert_mem_eq(n->h[1].installs[0].u.sa_install.in.inner_dst, hit2,
			 16);
	net_free(n);
}
END_TEST

START_TEST(test_peers)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_peer list[4];
	struct in6_addr locs[4];
	struct mock_net *n;
	uint8_t hit[16];
	size_t count;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	n = net_new(&ca, &cb, false);
	memset(locs, 0, sizeof(locs));
	for (int k = 0; k < 4; k++)
		locs[k].s6_addr[15] = (uint8_t)(k + 1);
	memcpy(hit, n->h[1].hit, 16);
	hit[15] ^= 0x55;
	ck_assert_int_eq(hip_engine_peer_add(n->h[0].e, hit, locs, 4),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_engine_peer_add(n->h[0].e, hit, locs, 0),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_engine_peer_add(n->h[0].e, hit, locs, 3), 0);
	ck_assert_int_eq(hip_engine_peer_list(n->h[0].e, list, 4, &count), 0);
	ck_assert_uint_eq(count, 2);
	ck_assert_int_eq(hip_engine_peer_list(n->h[0].e, list, 1, &count), 0);
	ck_assert_uint_eq(count, 2);
	/* Replacing keeps one entry. */
	ck_assert_int_eq(hip_engine_peer_add(n->h[0].e, hit, locs + 1, 1), 0);
	ck_assert_int_eq(hip_engine_peer_list(n->h[0].e, list, 4, &count), 0);
	ck_assert_uint_eq(count, 2);
	ck_assert_mem_eq(list[1].hit, hit, 16);
	ck_assert_uint_eq(list[1].n_locators, 1);
	ck_assert_mem_eq(&list[1].locators[0], &locs[1], 16);
	ck_assert_int_eq(hip_engine_peer_del(n->h[0].e, hit), 0);
	ck_assert_int_eq(hip_engine_peer_del(n->h[0].e, hit), HIP_ENOENT);
	ck_assert_int_eq(hip_engine_peer_list(n->h[0].e, list, 4, &count), 0);
	ck_assert_uint_eq(count, 1);
	ck_assert_mem_eq(list[0].hit, n->h[1].hit, 16);
	net_free(n);
}
END_TEST

/* I1s go to the peer's locators in turn (6.6.1). */
START_TEST(test_locator_rotation)
{
	struct hip_engine_config ca, cb;
	struct in6_addr locs[2];
	struct mock_net *n;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	n = net_new(&ca, &cb, false);
	memset(locs, 0, sizeof(locs));
	locs[0].s6_addr[0] = 0xfd;	/* nobody there */
	locs[1] = n->h[1].addr;
	ck_assert_int_eq(hip_engine_peer_add(n->h[0].e, n->h[1].hit, locs, 2),
			 0);
	connect_a(n);
	ck_assert_uint_eq(n->n_wire, 1);
	ck_assert_mem_eq(&n->wire[0].dst, &locs[0], 16);
	ck_assert_int_eq(n->wire[0].to, -1);
	n->n_wire = 0;
	mock_run(n, RUN_MS);
	check_established(n);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I1], 2);
	net_free(n);
}
END_TEST

/* A full queue refuses new work instead of losing actions. */
START_TEST(test_queue_full)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_stats st;
	struct mock_net *n;
	uint8_t hit[16];
	int k, r = 0;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	n = net_new(&ca, &cb, false);
	for (k = 0; k < 100; k++) {
		memcpy(hit, n->h[1].hit, 16);
		hit[14] = (uint8_t)k;
		hit[15] ^= 0xaa;
		ck_assert_int_eq(hip_engine_peer_add(n->h[0].e, hit,
						     &n->h[1].addr, 1), 0);
		r = hip_engine_acquire(n->h[0].e, n->now, NULL, hit);
		if (r)
			break;
	}
	ck_assert_int_eq(r, HIP_ENOSPC);
	ck_assert_int_gt(k, 5);
	ck_assert_uint_le(hip_engine_pending(n->h[0].e), HIP_ENGINE_QUEUE_LEN);
	ck_assert_int_eq(hip_engine_recv(n->h[0].e, n->now, &n->h[1].addr,
					 &n->h[0].addr, (const uint8_t *)"x",
					 1), HIP_ENOSPC);
	hip_engine_get_stats(n->h[0].e, &st);
	ck_assert_uint_eq(st.actions_lost, 0);
	ck_assert_uint_eq(st.received, 0);
	mock_drain(n, 0);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I1], (unsigned)k);
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL, hit), 0);
	net_free(n);
}
END_TEST

START_TEST(test_next_timeout)
{
	struct hip_engine_config ca, cb;
	struct mock_net *n;
	uint64_t t0;

	pair_config(&ca, &cb, HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P256);
	n = net_new(&ca, &cb, false);
	t0 = n->now;
	/* Only the R1 rotation is due. */
	ck_assert_uint_eq(hip_engine_next_timeout(n->h[0].e),
			  t0 + ca.r1_rotate_ms);
	n->now += 500;
	connect_a(n);
	ck_assert_uint_eq(hip_engine_next_timeout(n->h[0].e),
			  t0 + 500 + ca.rexmit_initial_ms);
	/* Nothing happens before the deadline. */
	ck_assert_int_eq(hip_engine_timeout(n->h[0].e, t0 + 1499), 0);
	mock_drain(n, 0);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I1], 1);
	ck_assert_int_eq(hip_engine_timeout(n->h[0].e, t0 + 1500), 0);
	mock_drain(n, 0);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_I1], 2);
	ck_assert_uint_eq(hip_engine_next_timeout(n->h[0].e),
			  t0 + 1500 + 2 * ca.rexmit_initial_ms);
	net_free(n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("exchange");
	SRunner *sr;
	int failed;

	/* Keys are generated once, before the tests fork. */
	for (size_t t = 0; t < HIP_ARRAY_SIZE(key_types); t++)
		for (int k = 0; k < 2; k++)
			if (mock_identity(key_types[t], k) == NULL)
				return EXIT_FAILURE;
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_base_exchange);
	tcase_add_loop_test(tc, test_identity_pairs, 0, 25);
	tcase_add_loop_test(tc, test_dh_groups, 0,
			    (int)HIP_ARRAY_SIZE(dh_cases));
	tcase_add_loop_test(tc, test_esp_suites, 0,
			    (int)HIP_ARRAY_SIZE(esp_cases));
	tcase_add_test(tc, test_ipv4_plain_host_id);
	suite_add_tcase(s, tc);
	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_lost_packet, 0,
			    (int)HIP_ARRAY_SIZE(lost_types));
	tcase_add_test(tc, test_all_lost);
	tcase_add_test(tc, test_failed_forgotten);
	tcase_add_test(tc, test_duplicates);
	tcase_add_loop_test(tc, test_simultaneous_open, 0, 5);
	tcase_add_loop_test(tc, test_crossed_exchanges, 0, 2);
	tcase_add_loop_test(tc, test_close, 0, 4);
	tcase_add_test(tc, test_idle_lifetime);
	tcase_add_test(tc, test_r1_rotation);
	tcase_add_test(tc, test_api_errors);
	tcase_add_test(tc, test_spi_failure);
	tcase_add_test(tc, test_second_identity);
	tcase_add_test(tc, test_peers);
	tcase_add_test(tc, test_locator_rotation);
	tcase_add_test(tc, test_queue_full);
	tcase_add_test(tc, test_next_timeout);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
