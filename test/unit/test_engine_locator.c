/*
 * test_engine_locator.c - mobility and multihoming (RFC 8046, RFC 8047)
 * between two engines on the mock network, which models a move by
 * changing the addresses a host answers on; and the figure for 100
 * associations moving at once (printed, not asserted).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hip/engine.h"
#include "hip/error.h"
#include "hip/identity.h"
#include "hip/params.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_mock.h"

static struct mock_net *setup(bool v4)
{
	struct hip_engine_config c0, c1;
	struct mock_net *n = calloc(1, sizeof(*n));

	ck_assert_ptr_nonnull(n);
	mock_config(&c0, mock_identity(HIP_KEY_ECDSA_P256, 0));
	mock_config(&c1, mock_identity(HIP_KEY_ECDSA_P256, 1));
	ck_assert_int_eq(mock_net_init(n, &c0, &c1, v4), 0);
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
}

static void teardown(struct mock_net *n)
{
	mock_net_free(n);
	free(n);
}

static void check_locs(struct mock_net *n, int i, const struct in6_addr *l,
		       const struct in6_addr *p)
{
	struct hip_engine_assoc_info o;

	ck_assert_int_eq(mock_assoc(n, i, &o), 0);
	ck_assert_mem_eq(&o.local_loc, l, 16);
	ck_assert_mem_eq(&o.peer_loc, p, 16);
}

static void check_migrate(const struct hip_engine_action *m,
			  const struct in6_addr *ol, const struct in6_addr *op,
			  const struct in6_addr *nl, const struct in6_addr *np)
{
	ck_assert_int_eq(m->type, HIP_ACT_SA_MIGRATE);
	ck_assert_mem_eq(&m->u.sa_migrate.old_local, ol, 16);
	ck_assert_mem_eq(&m->u.sa_migrate.old_peer, op, 16);
	ck_assert_mem_eq(&m->u.sa_migrate.new_local, nl, 16);
	ck_assert_mem_eq(&m->u.sa_migrate.new_peer, np, 16);
}

static unsigned n_echo_req, n_echo_resp, n_locator_set;
/* Counts; holds the first UPDATE with ECHO_RESPONSE_SIGNED when
 * filter_arg is 1; drops packets to filter_arg 2: nobody. */
static enum mock_verdict watch(struct mock_net *n, const struct mock_pkt *p)
{
	if (mock_pkt_type(p) != HIP_UPDATE)
		return MOCK_DELIVER;
	if (mock_find_param(p, HIP_PARAM_LOCATOR_SET, NULL))
		n_locator_set++;
	if (mock_find_param(p, HIP_PARAM_ECHO_REQUEST_SIGNED, NULL))
		n_echo_req++;
	if (mock_find_param(p, HIP_PARAM_ECHO_RESPONSE_SIGNED, NULL)) {
		n_echo_resp++;
		if (n->filter_arg == 1 && !n->have_held)
			return MOCK_HOLD;
	}
	return MOCK_DELIVER;
}

static void reset_counts(void)
{
	n_echo_req = n_echo_resp = n_locator_set = 0;
}

/* _i: 0 IPv6 -> IPv6, 1 IPv6 -> IPv4, 2 IPv4 -> IPv6.  Host 0 moves;
 * host 1 has an address of each family. */
START_TEST(test_move)
{
	struct mock_net *n = setup(_i == 2);
	struct in6_addr old0, old1, new0, peer1, h1[2];
	struct hip_engine_stats s0, s1;
	struct hip_engine_assoc_info i0, i1;

	old0 = n->h[0].addr;
	old1 = n->h[1].addr;
	new0 = mock_addr(_i == 1 ? "::ffff:198.51.100.1" : "2001:db8:1::1");
	h1[0] = old1;
	h1[1] = mock_addr(_i == 2 ? "2001:db8::2" : "::ffff:192.0.2.2");
	peer1 = _i == 1 ? h1[1] : (_i == 2 ? h1[1] : old1);
	mock_set_addrs(n, 1, h1, 2);
	ck_assert_int_eq(hip_engine_set_locators(n->h[1].e, n->now, h1, 2),
			 0);
	ck_assert_int_eq(hip_engine_peer_add(n->h[0].e, n->h[1].hit, h1, 2),
			 0);
	establish(n);
	reset_counts();
	n->filter = watch;
	n->filter_arg = 1;

	mock_set_addrs(n, 0, &new0, 1);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, &new0, 1),
			 0);
	mock_drain(n, 0);
	/* Our side moves at once. */
	ck_assert_uint_eq(n->h[0].n_migrates, 1);
	check_migrate(&n->h[0].migrates[0], &old0, &old1, &new0, &peer1);
	ck_assert_uint_eq(n->h[0].migrates[0].u.sa_migrate.spi_in,
			  n->h[0].installs[0].u.sa_install.in.spi);
	check_locs(n, 0, &new0, &peer1);
	mock_flush(n);
	/* The peer checked the new address; until the answer is in, its
	 * data stays where it was. */
	ck_assert(n->have_held);
	ck_assert_uint_eq(n->h[1].n_migrates, 0);
	check_locs(n, 1, &old1, &old0);
	ck_assert_int_eq(mock_inject(n, &n->held), 0);
	mock_flush(n);
	ck_assert_uint_eq(n->h[1].n_migrates, 1);
	check_migrate(&n->h[1].migrates[0], &old1, &old0, &peer1, &new0);
	ck_assert_uint_eq(n->h[1].migrates[0].u.sa_migrate.spi_out,
			  n->h[0].installs[0].u.sa_install.in.spi);
	check_locs(n, 1, &peer1, &new0);
	/* LOCATOR_SET, ECHO_REQUEST (+ACK), ECHO_RESPONSE (+ACK). */
	hip_engine_get_stats(n->h[0].e, &s0);
	hip_engine_get_stats(n->h[1].e, &s1);
	ck_assert_uint_eq(s0.updates_sent + s1.updates_sent, 3);
	ck_assert_uint_eq(n_locator_set, 1);
	ck_assert_uint_eq(n_echo_req, 1);
	ck_assert_uint_eq(n_echo_resp, 1);
	ck_assert_uint_eq(s0.locator_moves, 1);
	ck_assert_uint_eq(s1.locator_moves, 1);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert_uint_eq(i0.moves, 1);
	ck_assert_uint_eq(i1.moves, 1);
	ck_assert(!i0.update_pending && !i1.update_pending);
	/* Same SAs, no new keys. */
	ck_assert_uint_eq(n->h[0].n_installs, 1);
	ck_assert_uint_eq(n->h[1].n_installs, 1);
	ck_assert_uint_eq(n->h[0].n_deletes, 0);
	/* Signalling keeps working on the new path: a rekey. */
	n->filter = NULL;
	ck_assert_int_eq(hip_engine_rekey(n->h[1].e, n->now, NULL,
					  n->h[0].hit), 0);
	mock_flush(n);
	ck_assert_uint_eq(n->h[0].n_installs, 2);
	ck_assert_mem_eq(&n->h[0].installs[1].u.sa_install.out.outer_src,
			 &new0, 16);
	teardown(n);
}
END_TEST

/* The peer names an address nobody answers on (a third party's): it is
 * never used, and is given up after locator_verify_ms. */
START_TEST(test_third_party)
{
	struct mock_net *n = setup(false);
	struct in6_addr old0 = n->h[0].addr, old1 = n->h[1].addr;
	struct in6_addr victim = mock_addr("2001:db8:99::1");
	struct hip_engine_assoc_info i1;
	uint64_t t0;

	establish(n);
	reset_counts();
	n->filter = watch;
	t0 = n->now;
	/* Pinned (as through the MSRD); host 0 still receives on old0. */
	ck_assert_int_eq(hip_engine_assoc_set_locators(n->h[0].e, n->now,
						       NULL, n->h[1].hit,
						       &victim, 1), 0);
	mock_flush(n);
	ck_assert_uint_eq(n_echo_req, 1);
	ck_assert_uint_eq(n->h[1].n_migrates, 0);
	check_locs(n, 1, &old1, &old0);
	mock_advance(n, t0 + n->h[1].cfg.locator_verify_ms - 1);
	mock_flush(n);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert(i1.update_pending);
	mock_run(n, 60000);
	ck_assert_uint_eq(n->h[1].n_migrates, 0);
	check_locs(n, 1, &old1, &old0);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert(!i1.update_pending);
	ck_assert_int_eq(i1.state, HIP_STATE_ESTABLISHED);
	/* Retransmitted only while the check lasted. */
	ck_assert_uint_ge(n_echo_req, 2);
	ck_assert_uint_le(n_echo_req, 5);
	teardown(n);
}
END_TEST

static struct mock_pkt captured;
static bool have_captured;
static enum mock_verdict capture_locator(struct mock_net *n,
					 const struct mock_pkt *p)
{
	(void)n;
	if (mock_pkt_type(p) == HIP_UPDATE && !have_captured &&
	    mock_find_param(p, HIP_PARAM_LOCATOR_SET, NULL)) {
		captured = *p;
		have_captured = true;
		return MOCK_DROP;
	}
	return MOCK_DELIVER;
}

/* A LOCATOR_SET UPDATE with a bad MAC or signature, or one replayed
 * after it was handled, changes nothing and checks no address. */
START_TEST(test_forged_locator)
{
	struct mock_net *n = setup(false);
	struct in6_addr old0 = n->h[0].addr, old1 = n->h[1].addr;
	struct in6_addr new0 = mock_addr("2001:db8:1::1");
	struct hip_engine_stats before, after;
	struct mock_pkt *p = malloc(sizeof(*p));
	size_t off, len;
	int r;

	ck_assert_ptr_nonnull(p);
	establish(n);
	have_captured = false;
	n->filter = capture_locator;
	mock_set_addrs(n, 0, &new0, 1);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, &new0, 1),
			 0);
	mock_flush(n);
	ck_assert(have_captured);
	*p = captured;
	if (_i == 0) {
		off = mock_find_param(p, HIP_PARAM_HIP_MAC, &len);
		p->data[off + 4 + len - 1] ^= 0x80;
	} else if (_i == 1) {
		off = mock_find_param(p, HIP_PARAM_HIP_SIGNATURE, &len);
		p->data[off + 8] ^= 0x80;
	} else if (_i == 2) {
		/* The address inside changed: the MAC catches it. */
		off = mock_find_param(p, HIP_PARAM_LOCATOR_SET, &len);
		p->data[off + 4 + 8 + 15] ^= 0x01;
	}
	if (_i <= 2) {
		mock_fix_checksum(p);
		hip_engine_get_stats(n->h[1].e, &before);
		r = mock_inject(n, p);
		ck_assert_int_lt(r, 0);
		hip_engine_get_stats(n->h[1].e, &after);
		ck_assert_uint_eq(after.dropped[_i == 1 ? HIP_DROP_SIGNATURE :
						  HIP_DROP_MAC],
				  before.dropped[_i == 1 ? HIP_DROP_SIGNATURE :
						  HIP_DROP_MAC] + 1);
		ck_assert_uint_eq(after.updates_sent, before.updates_sent);
		ck_assert_uint_eq(n->n_wire, 0);
		ck_assert_uint_eq(n->h[1].n_migrates, 0);
		check_locs(n, 1, &old1, &old0);
	} else {
		/* Genuine: handled once, then replayed from elsewhere. */
		ck_assert_int_eq(mock_inject(n, p), 0);
		mock_flush(n);
		ck_assert_uint_eq(n->h[1].n_migrates, 1);
		hip_engine_get_stats(n->h[1].e, &before);
		p->src = mock_addr("2001:db8:66::6");
		mock_fix_checksum(p);
		ck_assert_int_eq(mock_inject(n, p), 0);
		hip_engine_get_stats(n->h[1].e, &after);
		ck_assert_uint_eq(after.dropped[HIP_DROP_DUPLICATE],
				  before.dropped[HIP_DROP_DUPLICATE] + 1);
		/* Re-ACKed (to where it came from), nothing else. */
		ck_assert_uint_eq(after.updates_sent, before.updates_sent + 1);
		ck_assert_uint_eq(n->h[1].n_migrates, 1);
		check_locs(n, 1, &old1, &new0);
	}
	free(p);
	teardown(n);
}
END_TEST

/* Multihoming: both locators announced, the second one checked in the
 * background; when the first goes, the peer moves without a new check. */
START_TEST(test_multihoming)
{
	struct mock_net *n = setup(_i == 1);
	struct in6_addr a[2], old1 = n->h[1].addr;
	struct hip_engine_assoc_info i1;

	a[0] = n->h[0].addr;
	a[1] = mock_addr(_i == 1 ? "::ffff:203.0.113.1" : "2001:db8:2::1");
	establish(n);
	reset_counts();
	n->filter = watch;
	mock_set_addrs(n, 0, a, 2);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, a, 2), 0);
	mock_run(n, 5000);
	ck_assert_uint_eq(n_locator_set, 1);
	ck_assert_uint_eq(n_echo_req, 1);	/* a[1] checked */
	ck_assert_uint_eq(n_echo_resp, 1);
	ck_assert_uint_eq(n->h[0].n_migrates, 0);
	ck_assert_uint_eq(n->h[1].n_migrates, 0);
	check_locs(n, 1, &old1, &a[0]);
	/* The preferred one goes. */
	mock_set_addrs(n, 0, &a[1], 1);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, &a[1], 1),
			 0);
	mock_run(n, 5000);
	ck_assert_uint_eq(n->h[0].n_migrates, 1);
	ck_assert_uint_eq(n->h[1].n_migrates, 1);
	check_migrate(&n->h[1].migrates[0], &old1, &a[0], &old1, &a[1]);
	check_locs(n, 0, &a[1], &old1);
	check_locs(n, 1, &old1, &a[1]);
	ck_assert_uint_eq(n_locator_set, 2);
	ck_assert_uint_eq(n_echo_req, 1);	/* no new check */
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert(!i1.update_pending);
	/* The same set again: nothing is sent. */
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, &a[1], 1),
			 0);
	ck_assert_uint_eq(hip_engine_pending(n->h[0].e), 0);
	/* No address at all: nothing either. */
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, NULL, 0),
			 0);
	ck_assert_uint_eq(hip_engine_pending(n->h[0].e), 0);
	teardown(n);
}
END_TEST

/* Both ends move at once (each had announced its second address
 * before): the first UPDATEs go to the old addresses and are lost; the
 * retransmissions try the other known locators and get through. */
START_TEST(test_both_move)
{
	struct mock_net *n = setup(false);
	struct in6_addr a[2], b[2];

	a[0] = n->h[0].addr;
	a[1] = mock_addr("2001:db8:a::1");
	b[0] = n->h[1].addr;
	b[1] = mock_addr("2001:db8:b::2");
	establish(n);
	mock_set_addrs(n, 0, a, 2);
	mock_set_addrs(n, 1, b, 2);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, a, 2), 0);
	ck_assert_int_eq(hip_engine_set_locators(n->h[1].e, n->now, b, 2), 0);
	mock_run(n, 10000);
	ck_assert_uint_eq(n->h[0].n_migrates, 0);
	ck_assert_uint_eq(n->h[1].n_migrates, 0);
	/* Both lose their first address at once. */
	mock_set_addrs(n, 0, &a[1], 1);
	mock_set_addrs(n, 1, &b[1], 1);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, &a[1], 1),
			 0);
	ck_assert_int_eq(hip_engine_set_locators(n->h[1].e, n->now, &b[1], 1),
			 0);
	mock_run(n, 30000);
	check_locs(n, 0, &a[1], &b[1]);
	check_locs(n, 1, &b[1], &a[1]);
	ck_assert_uint_eq(n->h[0].n_migrates, 2);
	ck_assert_uint_eq(n->h[1].n_migrates, 2);
	teardown(n);
}
END_TEST

/* Drop UPDATE number filter_arg (0-based) once. */
static enum mock_verdict drop_nth_update(struct mock_net *n,
					 const struct mock_pkt *p)
{
	if (mock_pkt_type(p) != HIP_UPDATE)
		return MOCK_DELIVER;
	return n->filter_count++ == (unsigned)n->filter_arg ? MOCK_DROP :
							      MOCK_DELIVER;
}

/* A move with one of its three UPDATEs lost: retransmitted (the echo
 * request to the new address), the move completes. */
START_TEST(test_move_lost_update)
{
	struct mock_net *n = setup(false);
	struct in6_addr old1 = n->h[1].addr;
	struct in6_addr new0 = mock_addr("2001:db8:1::1");
	struct hip_engine_assoc_info i0, i1;

	establish(n);
	n->filter = drop_nth_update;
	n->filter_arg = _i;
	n->filter_count = 0;
	mock_set_addrs(n, 0, &new0, 1);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, &new0, 1),
			 0);
	mock_run(n, 30000);
	ck_assert_uint_eq(n->dropped, 1);
	check_locs(n, 0, &new0, &old1);
	check_locs(n, 1, &old1, &new0);
	ck_assert_uint_eq(n->h[1].n_migrates, 1);
	ck_assert_int_eq(mock_assoc(n, 0, &i0), 0);
	ck_assert_int_eq(mock_assoc(n, 1, &i1), 0);
	ck_assert(!i0.update_pending && !i1.update_pending);
	teardown(n);
}
END_TEST

/* A move on one side while the other starts a rekey: both complete,
 * the new SAs on the new locators. */
START_TEST(test_move_during_rekey)
{
	struct mock_net *n = setup(false);
	struct in6_addr old1 = n->h[1].addr;
	struct in6_addr new0 = mock_addr("2001:db8:1::1");
	const struct hip_engine_sa *sa;

	establish(n);
	ck_assert_int_eq(hip_engine_rekey(n->h[_i].e, n->now, NULL,
					  n->h[1 - _i].hit), 0);
	mock_set_addrs(n, 0, &new0, 1);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, &new0, 1),
			 0);
	mock_run(n, 60000);
	check_locs(n, 0, &new0, &old1);
	check_locs(n, 1, &old1, &new0);
	ck_assert_uint_eq(n->h[0].n_installs, 2);
	ck_assert_uint_eq(n->h[1].n_installs, 2);
	sa = &n->h[1].installs[1].u.sa_install.out;
	ck_assert_uint_eq(sa->spi, n->h[0].installs[1].u.sa_install.in.spi);
	ck_assert_mem_eq(sa->enc_key, n->h[0].installs[1].u.sa_install.in.enc_key,
			 sa->enc_key_len);
	teardown(n);
}
END_TEST

/* Pinned associations (MSRD) ignore the host's set until unpinned. */
START_TEST(test_pinned)
{
	struct mock_net *n = setup(false);
	struct in6_addr old0 = n->h[0].addr, old1 = n->h[1].addr;
	struct in6_addr coa = mock_addr("2001:db8:c::1");
	struct in6_addr home = mock_addr("2001:db8:d::1");
	struct in6_addr both[2] = { coa, home };
	uint8_t other[16];

	memcpy(other, n->h[1].hit, 16);
	other[15] ^= 1;
	ck_assert_int_eq(hip_engine_assoc_set_locators(n->h[0].e, n->now,
						       NULL, n->h[1].hit,
						       &coa, 1), HIP_ENOENT);
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	ck_assert_int_eq(hip_engine_assoc_set_locators(n->h[0].e, n->now,
						       NULL, n->h[1].hit,
						       &coa, 1), HIP_ESTATE);
	establish(n);
	ck_assert_int_eq(hip_engine_assoc_set_locators(n->h[0].e, n->now,
						       NULL, other, &coa, 1),
			 HIP_ENOENT);
	ck_assert_int_eq(hip_engine_assoc_set_locators(n->h[0].e, n->now,
						       NULL, n->h[1].hit, NULL,
						       1), HIP_EINVAL);
	mock_set_addrs(n, 0, both, 2);
	ck_assert_int_eq(hip_engine_assoc_set_locators(n->h[0].e, n->now,
						       NULL, n->h[1].hit,
						       &coa, 1), 0);
	mock_run(n, 5000);
	check_locs(n, 0, &coa, &old1);
	check_locs(n, 1, &old1, &coa);
	/* The host's set changes: the pinned association stays. */
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, n->now, &home, 1),
			 0);
	ck_assert_uint_eq(hip_engine_pending(n->h[0].e), 0);
	/* Unpinned: it follows the host's set. */
	ck_assert_int_eq(hip_engine_assoc_set_locators(n->h[0].e, n->now,
						       NULL, n->h[1].hit,
						       NULL, 0), 0);
	mock_run(n, 5000);
	check_locs(n, 0, &home, &old1);
	check_locs(n, 1, &old1, &home);
	(void)old0;
	teardown(n);
}
END_TEST

START_TEST(test_locator_api)
{
	struct mock_net *n = setup(false);
	struct in6_addr bad[3] = { IN6ADDR_ANY_INIT, IN6ADDR_LOOPBACK_INIT };

	bad[2] = mock_addr("::ffff:127.0.0.1");
	ck_assert_int_eq(hip_engine_set_locators(NULL, 0, bad, 1), HIP_EINVAL);
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, 0, NULL, 1),
			 HIP_EINVAL);
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, 0, &bad[k],
							 1), HIP_EINVAL);
	/* No association yet: fine, nothing to send. */
	ck_assert_int_eq(hip_engine_set_locators(n->h[0].e, 0, &n->h[0].addr,
						 1), 0);
	ck_assert_uint_eq(hip_engine_pending(n->h[0].e), 0);
	teardown(n);
}
END_TEST

/* --- 100 associations moving at once (a figure, printed) ------------------ */

#define FLEET	100

struct fleet {
	struct hip_engine *e[FLEET + 1];	/* [0] is the mobile host */
	struct hip_identity *id[FLEET + 1];
	struct hip_engine_config cfg[FLEET + 1];
	struct in6_addr addr[FLEET + 1];
	uint8_t hit[FLEET + 1][16];
	uint32_t next_spi[FLEET + 1];
	int idx[FLEET + 1];
	unsigned updates, migrates;
};

static struct fleet *fleet_of;

static int fleet_spi(void *arg, const uint8_t *lh, const uint8_t *ph,
		     const struct in6_addr *ll, const struct in6_addr *pl,
		     uint32_t *spi)
{
	int i = *(int *)arg;

	(void)lh;
	(void)ph;
	(void)ll;
	(void)pl;
	*spi = fleet_of->next_spi[i]++;
	return 0;
}

static int fleet_src(void *arg, const struct in6_addr *dst,
		     struct in6_addr *src)
{
	(void)dst;
	*src = fleet_of->addr[*(int *)arg];
	return 0;
}

/* Drain every engine, delivering packets by destination address until
 * the network is quiet. */
static void fleet_run(struct fleet *f, uint64_t now)
{
	struct hip_engine_action *act = malloc(sizeof(*act));
	bool busy = true;

	ck_assert_ptr_nonnull(act);
	while (busy) {
		busy = false;
		for (int i = 0; i <= FLEET; i++) {
			while (hip_engine_next_action(f->e[i], act) == 1) {
				busy = true;
				if (act->type == HIP_ACT_SA_MIGRATE)
					f->migrates++;
				if (act->type != HIP_ACT_SEND)
					continue;
				if ((act->u.send.pkt[2] & 0x7f) == HIP_UPDATE)
					f->updates++;
				for (int j = 0; j <= FLEET; j++)
					if (memcmp(&f->addr[j],
						   &act->u.send.dst, 16) == 0)
						hip_engine_recv(f->e[j], now,
							&act->u.send.src,
							&act->u.send.dst,
							act->u.send.pkt,
							act->u.send.len);
			}
		}
	}
	hip_engine_action_wipe(act);
	free(act);
}

static double elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

START_TEST(test_hundred_move)
{
	struct fleet *f = calloc(1, sizeof(*f));
	struct in6_addr moved = mock_addr("2001:db8:f::1");
	struct timespec t0, t1;
	uint64_t now = 1000000;
	size_t established = 0, count;
	struct hip_engine_assoc_info *info;
	int r, calls = 0;

	ck_assert_ptr_nonnull(f);
	fleet_of = f;
	for (int i = 0; i <= FLEET; i++) {
		struct hip_engine_env env = { 0 };
		char a[64];

		ck_assert_int_eq(hip_identity_generate(HIP_KEY_ECDSA_P256, 0,
						       &f->id[i]), 0);
		mock_config(&f->cfg[i], f->id[i]);
		f->cfg[i].r1_per_sec = 0;
		snprintf(a, sizeof(a), "2001:db8:e::%x", i + 1);
		f->addr[i] = mock_addr(a);
		f->next_spi[i] = 0x1000;
		f->idx[i] = i;
		env.arg = &f->idx[i];
		env.alloc_spi = fleet_spi;
		env.source_for = fleet_src;
		ck_assert_int_eq(hip_engine_new(&f->cfg[i], &env, now,
						&f->e[i]), 0);
		ck_assert_int_eq(hip_engine_local_hit(f->e[i], 0, f->hit[i]),
				 0);
	}
	for (int i = 1; i <= FLEET; i++) {
		ck_assert_int_eq(hip_engine_peer_add(f->e[i], f->hit[0],
						     &f->addr[0], 1), 0);
		ck_assert_int_eq(hip_engine_peer_add(f->e[0], f->hit[i],
						     &f->addr[i], 1), 0);
		ck_assert_int_eq(hip_engine_acquire(f->e[i], now, NULL,
						    f->hit[0]), 0);
		fleet_run(f, now);
	}
	now += 20000;
	for (int i = 0; i <= FLEET; i++) {
		/* HIP_ENOSPC: the queue filled up; drain and go on. */
		while (hip_engine_timeout(f->e[i], now) == HIP_ENOSPC)
			fleet_run(f, now);
		fleet_run(f, now);
	}
	info = calloc(FLEET, sizeof(*info));
	ck_assert_ptr_nonnull(info);
	ck_assert_int_eq(hip_engine_assoc_list(f->e[0], info, FLEET, &count),
			 0);
	for (size_t k = 0; k < count && k < FLEET; k++)
		established += info[k].state == HIP_STATE_ESTABLISHED;
	ck_assert_uint_eq(established, FLEET);

	f->updates = f->migrates = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	f->addr[0] = moved;
	do {
		r = hip_engine_set_locators(f->e[0], now, &moved, 1);
		calls++;
		fleet_run(f, now);
	} while (r == HIP_ENOSPC);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(hip_engine_assoc_list(f->e[0], info, FLEET, &count),
			 0);
	for (size_t k = 0; k < FLEET; k++)
		ck_assert_mem_eq(&info[k].local_loc, &moved, 16);
	for (int i = 1; i <= FLEET; i++) {
		struct hip_engine_assoc_info o;

		ck_assert_int_eq(hip_engine_assoc_get(f->e[i], NULL, f->hit[0],
						      &o), 0);
		ck_assert_mem_eq(&o.peer_loc, &moved, 16);
		ck_assert(!o.update_pending);
	}
	/* Both sides of every association moved. */
	ck_assert_uint_eq(f->migrates, 2 * FLEET);
	printf("engine: %d associations moving at once: %.1f ms in-process "
	       "(%.2f ms per association), %.2f UPDATE packets per "
	       "association, %d hip_engine_set_locators calls (queue of %d)\n",
	       FLEET, elapsed_ms(&t0, &t1), elapsed_ms(&t0, &t1) / FLEET,
	       (double)f->updates / FLEET, calls, HIP_ENGINE_QUEUE_LEN);
	for (int i = 0; i <= FLEET; i++) {
		hip_engine_free(f->e[i]);
		hip_identity_free(f->id[i]);
	}
	free(info);
	free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_locator");
	TCase *tc = tcase_create("mobility");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_move, 0, 3);
	tcase_add_test(tc, test_third_party);
	tcase_add_loop_test(tc, test_forged_locator, 0, 4);
	tcase_add_loop_test(tc, test_multihoming, 0, 2);
	tcase_add_test(tc, test_both_move);
	tcase_add_loop_test(tc, test_move_lost_update, 0, 3);
	tcase_add_loop_test(tc, test_move_during_rekey, 0, 2);
	tcase_add_test(tc, test_pinned);
	tcase_add_test(tc, test_locator_api);
	tcase_add_test(tc, test_hundred_move);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (mock_identity(HIP_KEY_ECDSA_P256, 0) == NULL ||
	    mock_identity(HIP_KEY_ECDSA_P256, 1) == NULL)
		return 99;
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
