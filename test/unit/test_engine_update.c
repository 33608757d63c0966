/*
 * test_engine_update.c - UPDATE and rekeying (RFC 7401 6.11-6.12, RFC
 * 7402 6.9-6.10) between two engines on the mock network.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/engine.h"
#include "hip/error.h"
#include "hip/params.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "engine_mock.h"
/* White-box: one test gives an association a stale SPI. */
#include "../../libhipcore/engine_internal.h"

static struct mock_net *setup(bool dh0, bool dh1)
{
	struct hip_engine_config c0, c1;
	struct mock_net *n = calloc(1, sizeof(*n));

	ck_assert_ptr_nonnull(n);
	mock_config(&c0, mock_identity(HIP_KEY_ECDSA_P256, 0));
	mock_config(&c1, mock_identity(HIP_KEY_ECDSA_P256, 1));
	c0.rekey_new_dh = dh0;
	c1.rekey_new_dh = dh1;
	ck_assert_int_eq(mock_net_init(n, &c0, &c1, false), 0);
	return n;
}

static void establish(struct mock_net *n)
{
	struct hip_engine_assoc_info i0, i1;

	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	mock_run(n, 20000);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert_int_eq(i0.state, HIP_STATE_ESTABLISHED);
	ck_assert_int_eq(i1.state, HIP_STATE_ESTABLISHED);
	ck_assert_uint_eq(n->h[0].n_installs, 1);
	ck_assert_uint_eq(n->h[1].n_installs, 1);
}

static void teardown(struct mock_net *n)
{
	mock_net_free(n);
	free(n);
}

/* Install k of both hosts: a rekey pair whose keys and SPIs match
 * crosswise, inbound SPIs from each host's allocator, and what the
 * association reports. */
static void check_pair(struct mock_net *n, size_t k)
{
	const struct hip_engine_action *x = &n->h[0].installs[k];
	const struct hip_engine_action *y = &n->h[1].installs[k];
	const struct hip_engine_sa *ai = &x->u.sa_install.in;
	const struct hip_engine_sa *ao = &x->u.sa_install.out;
	const struct hip_engine_sa *bi = &y->u.sa_install.in;
	const struct hip_engine_sa *bo = &y->u.sa_install.out;
	struct hip_engine_assoc_info i0, i1;

	ck_assert_uint_gt(n->h[0].n_installs, k);
	ck_assert_uint_gt(n->h[1].n_installs, k);
	if (k > 0) {
		ck_assert_uint_eq(x->u.sa_install.flags, HIP_ENGINE_SA_REKEY);
		ck_assert_uint_eq(y->u.sa_install.flags, HIP_ENGINE_SA_REKEY);
	}
	ck_assert_uint_eq(ao->spi, bi->spi);
	ck_assert_uint_eq(bo->spi, ai->spi);
	ck_assert(ai->spi_reserved && bi->spi_reserved);
	ck_assert_uint_gt(ao->enc_key_len, 0);
	ck_assert_uint_eq(ao->enc_key_len, bi->enc_key_len);
	ck_assert_mem_eq(ao->enc_key, bi->enc_key, ao->enc_key_len);
	ck_assert_mem_eq(bo->enc_key, ai->enc_key, bo->enc_key_len);
	ck_assert_uint_eq(ao->auth_key_len, bi->auth_key_len);
	ck_assert_mem_eq(ao->auth_key, bi->auth_key, ao->auth_key_len);
	ck_assert_mem_eq(bo->auth_key, ai->auth_key, bo->auth_key_len);
	ck_assert(memcmp(ao->enc_key, ai->enc_key, ao->enc_key_len) != 0);
	ck_assert_mem_eq(&ao->outer_src, &n->h[0].addr, 16);
	ck_assert_mem_eq(&ao->outer_dst, &n->h[1].addr, 16);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert_uint_eq(i0.spi_in, ai->spi);
	ck_assert_uint_eq(i0.spi_out, ao->spi);
	ck_assert_uint_eq(i1.spi_in, bi->spi);
	ck_assert_uint_eq(i0.rekeys, k);
	ck_assert_uint_eq(i1.rekeys, k);
	ck_assert(!i0.update_pending && !i1.update_pending);
	ck_assert_int_eq(i0.state, HIP_STATE_ESTABLISHED);
	ck_assert_int_eq(i1.state, HIP_STATE_ESTABLISHED);
}

/* No two SAs of all installs share a key. */
static void check_keys_distinct(struct mock_net *n)
{
	const struct hip_engine_sa *sa[4 * MOCK_REC_MAX];
	size_t m = 0;

	for (size_t k = 0; k < n->h[0].n_installs; k++) {
		sa[m++] = &n->h[0].installs[k].u.sa_install.in;
		sa[m++] = &n->h[0].installs[k].u.sa_install.out;
	}
	for (size_t p = 0; p < m; p++)
		for (size_t q = p + 1; q < m; q++) {
			ck_assert(memcmp(sa[p]->enc_key, sa[q]->enc_key,
					 sa[p]->enc_key_len) != 0);
			ck_assert_uint_ne(sa[p]->spi, sa[q]->spi);
		}
}

/* Old pair deleted (SAs only) with the SPIs of install k - 1. */
static void check_old_deleted(struct mock_net *n, int i, size_t d, size_t k)
{
	const struct hip_engine_action *del = &n->h[i].deletes[d];
	const struct hip_engine_action *old = &n->h[i].installs[k - 1];

	ck_assert_uint_gt(n->h[i].n_deletes, d);
	ck_assert_uint_eq(del->u.sa_delete.flags, HIP_ENGINE_SA_KEEP_POLICIES);
	ck_assert_uint_eq(del->u.sa_delete.spi_in, old->u.sa_install.in.spi);
	ck_assert_uint_eq(del->u.sa_delete.spi_out, old->u.sa_install.out.spi);
}

static unsigned n_update_dh, n_update_esp;
static enum mock_verdict count_update(struct mock_net *n,
				      const struct mock_pkt *p)
{
	(void)n;
	if (mock_pkt_type(p) != HIP_UPDATE)
		return MOCK_DELIVER;
	if (mock_find_param(p, HIP_PARAM_DIFFIE_HELLMAN, NULL))
		n_update_dh++;
	if (mock_find_param(p, HIP_PARAM_ESP_INFO, NULL))
		n_update_esp++;
	return MOCK_DELIVER;
}

/* _i: 0 no DH, 1 DH from the initiator's config, 2 DH only in the
 * responder's config (the initiator decides: no DH). */
START_TEST(test_rekey)
{
	struct mock_net *n = setup(_i == 1, _i == 2);
	struct hip_engine_stats s0, s1;
	uint64_t t0;

	establish(n);
	n_update_dh = n_update_esp = 0;
	n->filter = count_update;
	t0 = n->now;
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	/* Again while under way: nothing more. */
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_flush(n);
	check_pair(n, 1);
	ck_assert_uint_eq(n_update_esp, 2);
	ck_assert_uint_eq(n_update_dh, _i == 1 ? 2 : 0);
	/* Three UPDATEs: ESP_INFO, ESP_INFO+ACK, ACK. */
	hip_engine_get_stats(n->h[0].e, &s0);
	hip_engine_get_stats(n->h[1].e, &s1);
	ck_assert_uint_eq(s0.updates_sent + s1.updates_sent, 3);
	ck_assert_uint_eq(s0.rekeys_completed, 1);
	ck_assert_uint_eq(s1.rekeys_completed, 1);
	/* The old pair stays a while, then goes without its policies. */
	ck_assert_uint_eq(n->h[0].n_deletes, 0);
	ck_assert_uint_eq(n->h[1].n_deletes, 0);
	mock_advance(n, t0 + n->h[0].cfg.rekey_old_sa_ms - 1);
	ck_assert_uint_eq(n->h[0].n_deletes, 0);
	mock_run(n, 20000);
	check_old_deleted(n, 0, 0, 1);
	check_old_deleted(n, 1, 0, 1);
	ck_assert_uint_eq(n->h[0].n_deletes, 1);
	check_keys_distinct(n);
	teardown(n);
}
END_TEST

/* Both ends start at once; _i picks who wants a new DH (bit 0: host
 * 0, bit 1: host 1). */
START_TEST(test_rekey_simultaneous)
{
	struct mock_net *n = setup(_i & 1, _i & 2);

	establish(n);
	n_update_dh = n_update_esp = 0;
	n->filter = count_update;
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	ck_assert_int_eq(hip_engine_rekey(n->h[1].e, n->now, NULL,
					  n->h[0].hit), 0);
	mock_run(n, 60000);
	check_pair(n, 1);
	ck_assert_uint_eq(n->h[0].n_installs, 2);
	ck_assert_uint_eq(n->h[1].n_installs, 2);
	if (_i == 0)
		ck_assert_uint_eq(n_update_dh, 0);
	else
		ck_assert_uint_ge(n_update_dh, 2);
	check_old_deleted(n, 0, 0, 1);
	check_old_deleted(n, 1, 0, 1);
	check_keys_distinct(n);
	teardown(n);
}
END_TEST

/* Drop UPDATE number filter_arg (0-based) of the rekey once. */
static enum mock_verdict drop_nth_update(struct mock_net *n,
					 const struct mock_pkt *p)
{
	if (mock_pkt_type(p) != HIP_UPDATE)
		return MOCK_DELIVER;
	return n->filter_count++ == (unsigned)n->filter_arg ? MOCK_DROP :
							      MOCK_DELIVER;
}

START_TEST(test_rekey_lost_update)
{
	struct mock_net *n = setup(_i == 3, false);
	struct hip_engine_stats s0, s1;

	establish(n);
	n->filter = drop_nth_update;
	n->filter_arg = _i % 3;
	n->filter_count = 0;
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_run(n, 60000);
	ck_assert_uint_eq(n->dropped, 1);
	check_pair(n, 1);
	ck_assert_uint_eq(n->h[0].n_installs, 2);
	ck_assert_uint_eq(n->h[1].n_installs, 2);
	hip_engine_get_stats(n->h[0].e, &s0);
	hip_engine_get_stats(n->h[1].e, &s1);
	/* A retransmission (and for a lost ACK, an ACK again). */
	ck_assert_uint_ge(s0.updates_sent + s1.updates_sent, 4);
	check_old_deleted(n, 0, 0, 1);
	check_old_deleted(n, 1, 0, 1);
	teardown(n);
}
END_TEST

static enum mock_verdict drop_updates(struct mock_net *n,
				      const struct mock_pkt *p)
{
	(void)n;
	return mock_pkt_type(p) == HIP_UPDATE ? MOCK_DROP : MOCK_DELIVER;
}

/* No UPDATE gets through: the rekey is given up after the retries, the
 * old SAs stay, the association too. */
START_TEST(test_rekey_given_up)
{
	struct mock_net *n = setup(false, false);
	struct hip_engine_assoc_info i0;
	struct hip_engine_stats s0;

	establish(n);
	n->filter = drop_updates;
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_flush(n);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert(i0.update_pending);
	mock_run(n, 120000);
	hip_engine_get_stats(n->h[0].e, &s0);
	ck_assert_uint_eq(s0.updates_sent, 1 + n->h[0].cfg.rexmit_retries);
	ck_assert_uint_eq(s0.rekeys_completed, 0);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert(!i0.update_pending);
	ck_assert_int_eq(i0.state, HIP_STATE_ESTABLISHED);
	ck_assert_uint_eq(n->h[0].n_installs, 1);
	ck_assert_uint_eq(n->h[0].n_deletes, 0);
	ck_assert_uint_eq(i0.spi_in, n->h[0].installs[0].u.sa_install.in.spi);
	/* Later rekeys work again. */
	n->filter = NULL;
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_flush(n);
	check_pair(n, 1);
	teardown(n);
}
END_TEST

/* Copies every UPDATE seen. */
static struct mock_pkt updates[16];
static size_t n_updates;
static enum mock_verdict keep_updates(struct mock_net *n,
				      const struct mock_pkt *p)
{
	(void)n;
	if (mock_pkt_type(p) == HIP_UPDATE && n_updates < 16)
		updates[n_updates++] = *p;
	return MOCK_DELIVER;
}

struct before {
	struct hip_engine_assoc_info info;
	struct hip_engine_stats st;
	size_t installs, deletes;
	unsigned updates;
};

static void take(struct mock_net *n, int i, struct before *b)
{
	ck_assert_int_eq(mock_assoc(n, i, &b->info), 0);
	hip_engine_get_stats(n->h[i].e, &b->st);
	b->installs = n->h[i].n_installs;
	b->deletes = n->h[i].n_deletes;
	b->updates = n->h[i].sent_by_type[HIP_UPDATE];
}

static void same_as(struct mock_net *n, int i, const struct before *b,
		    int drop, bool reacked)
{
	struct before a;

	take(n, i, &a);
	ck_assert_uint_eq(a.info.spi_in, b->info.spi_in);
	ck_assert_uint_eq(a.info.spi_out, b->info.spi_out);
	ck_assert_uint_eq(a.info.rekeys, b->info.rekeys);
	ck_assert_uint_eq(a.info.state, b->info.state);
	ck_assert_uint_eq(a.installs, b->installs);
	ck_assert_uint_eq(a.deletes, b->deletes);
	ck_assert_uint_eq(a.st.rekeys_completed, b->st.rekeys_completed);
	for (int k = 0; k < HIP_DROP__MAX; k++)
		ck_assert_uint_eq(a.st.dropped[k] - b->st.dropped[k],
				  k == drop);
	ck_assert_uint_eq(a.updates, b->updates + reacked);
}

enum forgery { F_MAC, F_SIG, F_REPLAY, F_SPI, F_SEQ_OLD, F_NO_SEQ,
	       F_DH_VALUE, F__MAX };

/* A rekey UPDATE that is forged, replayed or names a stale SPI changes
 * nothing at the receiver. */
START_TEST(test_update_forged)
{
	struct mock_net *n = setup(_i == F_DH_VALUE, false);
	struct mock_pkt *p = malloc(sizeof(*p));
	struct before b;
	size_t off, len;
	int drop = HIP_DROP_MAC, r;
	bool reacked = false;

	ck_assert_ptr_nonnull(p);
	establish(n);
	n_updates = 0;
	n->filter = keep_updates;
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_drain(n, 0);
	ck_assert_uint_eq(n->n_wire, 1);
	*p = n->wire[0];
	if (_i == F_REPLAY || _i == F_SEQ_OLD) {
		/* Let the rekey finish; then the first UPDATE again. */
		mock_flush(n);
		check_pair(n, 1);
	} else {
		n->n_wire = 0;
	}
	switch (_i) {
	case F_MAC:
		off = mock_find_param(p, HIP_PARAM_HIP_MAC, &len);
		ck_assert_uint_gt(off, 0);
		p->data[off + 4] ^= 1;
		break;
	case F_SIG:
		off = mock_find_param(p, HIP_PARAM_HIP_SIGNATURE, &len);
		ck_assert_uint_gt(off, 0);
		p->data[off + 4 + len - 1] ^= 1;
		drop = HIP_DROP_SIGNATURE;
		break;
	case F_SEQ_OLD:
		/* An older ID under a changed SEQ fails the MAC. */
		off = mock_find_param(p, HIP_PARAM_SEQ, &len);
		ck_assert_uint_gt(off, 0);
		hip_put32(p->data + off + 4, 0);
		break;
	case F_NO_SEQ:
		/* Type changed to one unknown and non-critical: SEQ gone. */
		off = mock_find_param(p, HIP_PARAM_SEQ, &len);
		ck_assert_uint_gt(off, 0);
		hip_put16(p->data + off, 386);
		drop = HIP_DROP_MALFORMED;
		break;
	case F_DH_VALUE:
		off = mock_find_param(p, HIP_PARAM_DIFFIE_HELLMAN, &len);
		ck_assert_uint_gt(off, 0);
		p->data[off + 4 + 3 + 5] ^= 0x40;
		break;
	case F_REPLAY:
		drop = HIP_DROP_DUPLICATE;
		reacked = true;
		break;
	case F_SPI: {
		/* Stale: the receiver's outbound SPI is not the one named. */
		struct hip_assoc *a = engine_assoc_find(n->h[1].e, NULL,
							n->h[0].hit);

		ck_assert_ptr_nonnull(a);
		a->spi_out ^= 0x10000;
		drop = HIP_DROP_MALFORMED;
		break;
	}
	}
	mock_fix_checksum(p);
	take(n, 1, &b);
	r = mock_inject(n, p);
	if (_i == F_REPLAY)
		ck_assert_int_eq(r, 0);
	else
		ck_assert_int_lt(r, 0);
	same_as(n, 1, &b, drop, reacked);
	if (_i == F_REPLAY) {
		/* The re-ACK is an ACK only: nothing happens at host 0. */
		take(n, 0, &b);
		mock_flush(n);
		same_as(n, 0, &b, -1, false);
	}
	free(p);
	teardown(n);
}
END_TEST

/* Soft expiry starts a rekey (with DH when configured), hard expiry of
 * a replaced SA deletes it, hard expiry of the current one closes. */
START_TEST(test_sa_expiry)
{
	struct mock_net *n = setup(_i == 1, false);
	struct hip_engine_assoc_info i0;
	uint32_t old_in, old_out;

	establish(n);
	n_update_dh = n_update_esp = 0;
	n->filter = count_update;
	ck_assert_int_eq(hip_engine_sa_expired(n->h[0].e, n->now, 0x12345,
					       false), HIP_ENOENT);
	old_in = n->h[0].installs[0].u.sa_install.in.spi;
	old_out = n->h[0].installs[0].u.sa_install.out.spi;
	ck_assert_int_eq(hip_engine_sa_expired(n->h[0].e, n->now, old_out,
					       false), 0);
	mock_flush(n);
	check_pair(n, 1);
	ck_assert_uint_eq(n_update_dh, _i == 1 ? 2 : 0);
	/* The replaced SA hits its hard limit: it goes, nothing else. */
	ck_assert_int_eq(hip_engine_sa_expired(n->h[0].e, n->now, old_in,
					       true), 0);
	mock_drain(n, 0);
	check_old_deleted(n, 0, 0, 1);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert_int_eq(i0.state, HIP_STATE_ESTABLISHED);
	/* Gone for good now. */
	ck_assert_int_eq(hip_engine_sa_expired(n->h[0].e, n->now, old_in,
					       true), HIP_ENOENT);
	/* The current SA's hard limit without a rekey: CLOSE. */
	ck_assert_int_eq(hip_engine_sa_expired(n->h[0].e, n->now,
					       i0.spi_in, true), 0);
	mock_drain(n, 0);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert_int_eq(i0.state, HIP_STATE_CLOSING);
	ck_assert_uint_eq(n->h[0].n_deletes, 2);
	ck_assert_uint_eq(n->h[0].deletes[1].u.sa_delete.flags, 0);
	ck_assert_uint_eq(n->h[0].deletes[1].u.sa_delete.spi_in,
			  n->h[0].installs[1].u.sa_install.in.spi);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_CLOSE], 1);
	mock_run(n, 20000);
	ck_assert_int_eq(mock_assoc(n, 1, &i0), 0);
	ck_assert_int_eq(i0.state, HIP_STATE_CLOSED);
	teardown(n);
}
END_TEST

/* Several rekeys in a row, from either end, with and without DH: every
 * key and SPI is new. */
START_TEST(test_rekey_series)
{
	struct mock_net *n = setup(false, true);
	const size_t rounds = 6;

	establish(n);
	for (size_t k = 1; k <= rounds; k++) {
		int i = (int)(k % 2);

		ck_assert_int_eq(hip_engine_rekey(n->h[i].e, n->now, NULL,
						  n->h[1 - i].hit), 0);
		mock_flush(n);
		check_pair(n, k);
		/* A rekey soon after the last: the older pair goes at once. */
		ck_assert_uint_eq(n->h[0].n_deletes, k - 1);
	}
	mock_run(n, 30000);
	ck_assert_uint_eq(n->h[0].n_deletes, rounds);
	ck_assert_uint_eq(n->h[1].n_deletes, rounds);
	for (size_t k = 1; k <= rounds; k++)
		check_old_deleted(n, 0, k - 1, k);
	check_keys_distinct(n);
	teardown(n);
}
END_TEST

/* The Responder in R2-SENT: an UPDATE completes its exchange. */
START_TEST(test_update_in_r2_sent)
{
	struct mock_net *n = setup(false, false);
	struct hip_engine_assoc_info i1;

	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	mock_flush(n);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert_int_eq(i1.state, HIP_STATE_R2_SENT);
	/* Not before ESTABLISHED on this side. */
	ck_assert_int_eq(hip_engine_rekey(n->h[1].e, n->now, NULL,
					  n->h[0].hit), HIP_ESTATE);
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_flush(n);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert_int_eq(i1.state, HIP_STATE_ESTABLISHED);
	check_pair(n, 1);
	teardown(n);
}
END_TEST

START_TEST(test_rekey_api)
{
	struct mock_net *n = setup(false, false);
	uint8_t other[16];

	memcpy(other, n->h[1].hit, 16);
	other[15] ^= 1;
	ck_assert_int_eq(hip_engine_rekey(NULL, 0, NULL, other), HIP_EINVAL);
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL, NULL),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL, other),
			 HIP_ENOENT);
	ck_assert_int_eq(hip_engine_sa_expired(NULL, 0, 1, false),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), HIP_ESTATE);
	teardown(n);
}
END_TEST

/* The SPI allocation fails at the responder: no answer, the initiator
 * gives up, nothing changes on either side. */
START_TEST(test_rekey_spi_failure)
{
	struct mock_net *n = setup(false, false);
	struct hip_engine_assoc_info i0, i1;

	establish(n);
	n->h[1].fail_spi = true;
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_run(n, 200000);
	ck_assert_uint_eq(n->h[0].n_installs, 1);
	ck_assert_uint_eq(n->h[1].n_installs, 1);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert(!i0.update_pending && !i1.update_pending);
	ck_assert_uint_eq(i0.spi_out, i1.spi_in);
	ck_assert_uint_eq(i1.spi_out, i0.spi_in);
	/* Our own allocation failing: an error, no UPDATE. */
	n->h[1].fail_spi = false;
	n->h[0].fail_spi = true;
	ck_assert_int_lt(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	ck_assert_uint_eq(hip_engine_pending(n->h[0].e), 0);
	teardown(n);
}
END_TEST

/* A replayed UPDATE is acknowledged again, at most 20 times a second. */
START_TEST(test_replay_rate)
{
	struct mock_net *n = setup(false, false);
	struct hip_engine_stats before, after;
	struct mock_pkt *p = malloc(sizeof(*p));

	ck_assert_ptr_nonnull(p);
	establish(n);
	ck_assert_int_eq(hip_engine_rekey(n->h[0].e, n->now, NULL,
					  n->h[1].hit), 0);
	mock_drain(n, 0);
	*p = n->wire[0];
	mock_flush(n);
	check_pair(n, 1);
	hip_engine_get_stats(n->h[1].e, &before);
	for (int k = 0; k < 100; k++) {
		ck_assert_int_eq(mock_inject(n, p), 0);
		n->n_wire = 0;
	}
	hip_engine_get_stats(n->h[1].e, &after);
	ck_assert_uint_eq(after.dropped[HIP_DROP_DUPLICATE] -
			  before.dropped[HIP_DROP_DUPLICATE], 100);
	ck_assert_uint_eq(after.updates_sent - before.updates_sent, 20);
	/* A second later: answered again. */
	n->now += 1000;
	ck_assert_int_eq(mock_inject(n, p), 0);
	hip_engine_get_stats(n->h[1].e, &after);
	ck_assert_uint_eq(after.updates_sent - before.updates_sent, 21);
	ck_assert_uint_eq(n->h[1].n_installs, 2);
	free(p);
	teardown(n);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_update");
	TCase *tc = tcase_create("rekey");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_rekey, 0, 3);
	tcase_add_loop_test(tc, test_rekey_simultaneous, 0, 4);
	tcase_add_loop_test(tc, test_rekey_lost_update, 0, 4);
	tcase_add_test(tc, test_rekey_given_up);
	tcase_add_loop_test(tc, test_update_forged, 0, F__MAX);
	tcase_add_loop_test(tc, test_sa_expiry, 0, 2);
	tcase_add_test(tc, test_rekey_series);
	tcase_add_test(tc, test_update_in_r2_sent);
	tcase_add_test(tc, test_rekey_api);
	tcase_add_test(tc, test_rekey_spi_failure);
	tcase_add_test(tc, test_replay_rate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* Identities are generated before the tests fork. */
	if (mock_identity(HIP_KEY_ECDSA_P256, 0) == NULL ||
	    mock_identity(HIP_KEY_ECDSA_P256, 1) == NULL)
		return 99;
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
