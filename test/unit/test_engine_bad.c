/*
 * test_engine_bad.c - a table of bad inputs to the engine.  Each case
 * takes a genuine packet of an exchange between two engines, spoils it,
 * delivers it, and checks the verdict (the drop counter of the expected
 * reason, the NOTIFY type sent or none) and that the receiver's
 * association did not change.  Where the exchange was cut short, the
 * genuine packet is delivered afterwards and the exchange must still
 * complete.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hip/auth.h"
#include "hip/engine.h"
#include "hip/error.h"
#include "hip/identity.h"
#include "hip/params.h"
#include "hip/puzzle.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_mock.h"

#define NONE	(-1)

enum stage {
	DURING,		/* the victim is held back during the exchange */
	AFTER,		/* a copy of the victim, replayed when established */
	CLOSING,	/* the CLOSE of an established association */
	CLOSED,		/* a copy of the victim, replayed after CLOSE */
};

struct bad_case {
	const char *name;
	enum stage stage;
	int victim;		/* packet type */
	void (*mutate)(struct mock_net *n, struct mock_pkt *p);
	int drop;		/* enum hip_engine_drop, or NONE */
	uint16_t notify;	/* NOTIFY type answered, 0: none */
	int answer;		/* packet type answered, 0: none */
	unsigned rotations;	/* R1 generations the target moves on */
};

static uint8_t *param_value(struct mock_pkt *p, uint16_t type, size_t *len)
{
	size_t off = mock_find_param(p, type, len);

	ck_assert_uint_gt(off, 0);
	return p->data + off + 4;
}

/* --- mutations ------------------------------------------------------- */

static void m_none(struct mock_net *n, struct mock_pkt *p)
{
	(void)n;
	(void)p;
}

static void m_checksum(struct mock_net *n, struct mock_pkt *p)
{
	(void)n;
	p->data[4] ^= 0x5a;
}

static void m_truncate(struct mock_net *n, struct mock_pkt *p)
{
	(void)n;
	p->len -= 8;
}

static void m_version(struct mock_net *n, struct mock_pkt *p)
{
	(void)n;
	p->data[3] = 0x11;	/* HIPv1 */
	mock_fix_checksum(p);
}

static void m_receiver(struct mock_net *n, struct mock_pkt *p)
{
	(void)n;
	p->data[39] ^= 0x01;
	mock_fix_checksum(p);
}

static void m_type_update(struct mock_net *n, struct mock_pkt *p)
{
	(void)n;
	p->data[2] = HIP_UPDATE;
	mock_fix_checksum(p);
}

/* A packet type the engine does not implement (20, HDRR of RFC 6537). */
static void m_type_unknown(struct mock_net *n, struct mock_pkt *p)
{
	(void)n;
	p->data[2] = 20;
	mock_fix_checksum(p);
}

/* Insert an unknown critical parameter (3001) in type order. */
static void m_critical(struct mock_net *n, struct mock_pkt *p)
{
	uint8_t out[HIP_MAX_PACKET];
	size_t off = HIP_HDR_LEN, o = HIP_HDR_LEN;
	bool done = false;

	(void)n;
	memcpy(out, p->data, HIP_HDR_LEN);
	while (off < p->len) {
		uint16_t t = hip_get16(p->data + off);
		size_t tl = hip_param_total_len(hip_get16(p->data + off + 2));

		if (!done && t > 3001) {
			memset(out + o, 0, 8);
			hip_put16(out + o, 3001);
			hip_put16(out + o + 2, 4);
			o += 8;
			done = true;
		}
		memcpy(out + o, p->data + off, tl);
		o += tl;
		off += tl;
	}
	if (!done) {
		memset(out + o, 0, 8);
		hip_put16(out + o, 3001);
		hip_put16(out + o + 2, 4);
		o += 8;
	}
	out[1] = (uint8_t)(o / 8 - 1);
	memcpy(p->data, out, o);
	p->len = o;
	mock_fix_checksum(p);
}

static void m_signature(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;
	uint8_t *v;

	(void)n;
	if (mock_find_param(p, HIP_PARAM_HIP_SIGNATURE_2, NULL))
		v = param_value(p, HIP_PARAM_HIP_SIGNATURE_2, &len);
	else
		v = param_value(p, HIP_PARAM_HIP_SIGNATURE, &len);
	v[2 + len / 3] ^= 0x10;
	mock_fix_checksum(p);
}

static void m_mac(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;
	uint8_t *v;

	(void)n;
	if (mock_find_param(p, HIP_PARAM_HIP_MAC_2, NULL))
		v = param_value(p, HIP_PARAM_HIP_MAC_2, &len);
	else
		v = param_value(p, HIP_PARAM_HIP_MAC, &len);
	v[len - 1] ^= 0x01;
	mock_fix_checksum(p);
}

/* Sign p again with the Responder's key (host 1), as an attacker with
 * that key, or a buggy Responder, would. */
static void resign_r1(struct mock_pkt *p)
{
	const struct hip_identity *id = mock_identity(HIP_KEY_ECDSA_P256, 1);
	size_t off = mock_find_param(p, HIP_PARAM_HIP_SIGNATURE_2, NULL);
	uint8_t input[HIP_AUTH_MAX_INPUT];
	size_t in_len, sig_len;

	ck_assert_uint_gt(off, 0);
	ck_assert_int_eq(hip_auth_input(p->data, p->len, off, NULL, 0, input,
					sizeof(input), &in_len), 0);
	ck_assert_int_eq(hip_sign(id, input, in_len, p->data + off + 6,
				  hip_sig_len(id), &sig_len, NULL), 0);
	mock_fix_checksum(p);
}

/* The R1 names another group first than the one it uses: downgrade. */
static void m_r1_downgrade(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;
	uint8_t *v = param_value(p, HIP_PARAM_DH_GROUP_LIST, &len);

	(void)n;
	ck_assert_uint_eq(v[0], HIP_DH_NIST_P256);
	v[0] = HIP_DH_NIST_P384;
	v[1] = HIP_DH_NIST_P256;
	resign_r1(p);
}

/* The R1 accepts only HIT suite 1 (the Initiator's is 2, ECDSA). */
static void m_r1_hit_suites(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;
	uint8_t *v = param_value(p, HIP_PARAM_HIT_SUITE_LIST, &len);

	(void)n;
	memset(v, 0x10, len);
	resign_r1(p);
}

/* A harder puzzle than the Initiator accepts, properly signed. */
static void m_r1_hard_puzzle(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;

	(void)n;
	param_value(p, HIP_PARAM_PUZZLE, &len)[0] = 60;
	resign_r1(p);
}

/* Another P-256 identity's HOST_ID in place of the Responder's. */
static void m_r1_host_id(struct mock_net *n, struct mock_pkt *p)
{
	const struct hip_identity *other = mock_identity(HIP_KEY_ECDSA_P256, 2);
	uint8_t buf[512];
	size_t len, got;
	uint8_t *v = param_value(p, HIP_PARAM_HOST_ID, &len);

	(void)n;
	ck_assert_int_eq(hip_hostid_encode(other, HIP_DI_NONE, NULL, 0, buf,
					   sizeof(buf), &got), 0);
	ck_assert_uint_eq(got, len);
	memcpy(v, buf, len);
	resign_r1(p);
}

static void m_i2_solution_j(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;
	uint8_t *v = param_value(p, HIP_PARAM_SOLUTION, &len);
	size_t ij = (len - 4) / 2;
	uint8_t *i = v + 4, *j = v + 4 + ij;

	/* Flip bits of #J until it no longer solves the puzzle. */
	for (size_t k = 0; k < ij * 8; k++) {
		j[k / 8] ^= (uint8_t)(1 << (k % 8));
		if (hip_puzzle_verify(2, n->h[1].cfg.puzzle_k, i, n->h[0].hit,
				      n->h[1].hit, j) == HIP_EVERIFY)
			break;
		j[k / 8] ^= (uint8_t)(1 << (k % 8));
	}
	mock_fix_checksum(p);
}

static void m_i2_solution_i(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;

	(void)n;
	param_value(p, HIP_PARAM_SOLUTION, &len)[10] ^= 0x80;
	mock_fix_checksum(p);
}

static void m_i2_dh_group(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;

	(void)n;
	param_value(p, HIP_PARAM_DIFFIE_HELLMAN, &len)[0] = HIP_DH_NIST_P521;
	mock_fix_checksum(p);
}

static void m_i2_dh_value(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;
	uint8_t *v = param_value(p, HIP_PARAM_DIFFIE_HELLMAN, &len);

	(void)n;
	memset(v + 3, 0x00, 64);	/* (0, 0) is not on P-256 */
	mock_fix_checksum(p);
}

static void m_i2_cipher(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;

	(void)n;
	hip_put16(param_value(p, HIP_PARAM_HIP_CIPHER, &len),
		  HIP_CIPHER_NULL);
	mock_fix_checksum(p);
}

static void m_i2_esp(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;

	(void)n;
	hip_put16(param_value(p, HIP_PARAM_ESP_TRANSFORM, &len) + 2,
		  HIP_ESP_AES256_CBC_SHA256);
	mock_fix_checksum(p);
}

static void m_i2_r1_counter(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;
	uint8_t *v = param_value(p, HIP_PARAM_R1_COUNTER, &len);

	(void)n;
	hip_put64(v + 4, hip_get64(v + 4) + 5);
	mock_fix_checksum(p);
}

static void m_i2_spi(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;

	(void)n;
	hip_put32(param_value(p, HIP_PARAM_ESP_INFO, &len) + 8, 17);
	mock_fix_checksum(p);
}

static void m_i1_groups(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;
	uint8_t *v = param_value(p, HIP_PARAM_DH_GROUP_LIST, &len);
	static const uint8_t deprecated[] = { 1, 2, 5, 6 };

	(void)n;
	for (size_t k = 0; k < len; k++)
		v[k] = deprecated[k % 4];
	mock_fix_checksum(p);
}

static void m_close_echo(struct mock_net *n, struct mock_pkt *p)
{
	size_t len;

	(void)n;
	param_value(p, HIP_PARAM_ECHO_REQUEST_SIGNED, &len)[0] ^= 0xff;
	mock_fix_checksum(p);
}

/* --- the table ----------------------------------------------------------- */

static const struct bad_case cases[] = {
	{ "bad checksum", DURING, HIP_I1, m_checksum, HIP_DROP_CHECKSUM,
	  0, 0, 0 },
	{ "truncated", DURING, HIP_R1, m_truncate, HIP_DROP_MALFORMED,
	  0, 0, 0 },
	{ "HIP version 1", DURING, HIP_I2, m_version, HIP_DROP_MALFORMED,
	  0, 0, 0 },
	{ "wrong receiver HIT", DURING, HIP_I1, m_receiver,
	  HIP_DROP_RECEIVER, 0, 0, 0 },
	{ "UPDATE before the exchange", DURING, HIP_I1, m_type_update,
	  HIP_DROP_STATE, 0, 0, 0 },
	{ "packet type 20 (unsupported)", DURING, HIP_I1, m_type_unknown,
	  HIP_DROP_UNSUPPORTED, 0, 0, 0 },
	{ "I1 unknown critical parameter", DURING, HIP_I1, m_critical,
	  HIP_DROP_CRITICAL, HIP_NTF_UNSUPPORTED_CRITICAL_PARAMETER_TYPE,
	  0, 0 },
	{ "I1 deprecated DH groups only", DURING, HIP_I1, m_i1_groups,
	  HIP_DROP_DH, HIP_NTF_NO_DH_PROPOSAL_CHOSEN, 0, 0 },
	{ "R1 unknown critical parameter", DURING, HIP_R1, m_critical,
	  HIP_DROP_CRITICAL, HIP_NTF_UNSUPPORTED_CRITICAL_PARAMETER_TYPE,
	  0, 0 },
	{ "R1 bad signature", DURING, HIP_R1, m_signature,
	  HIP_DROP_SIGNATURE, 0, 0, 0 },
	{ "R1 HOST_ID not the sender HIT", DURING, HIP_R1, m_r1_host_id,
	  HIP_DROP_HOST_ID, 0, 0, 0 },
	{ "R1 DH downgrade", DURING, HIP_R1, m_r1_downgrade, HIP_DROP_DH,
	  0, 0, 0 },
	{ "R1 HIT suite of the Initiator not accepted", DURING, HIP_R1,
	  m_r1_hit_suites, HIP_DROP_PROPOSAL, HIP_NTF_UNSUPPORTED_HIT_SUITE,
	  0, 0 },
	{ "R1 puzzle too hard", DURING, HIP_R1, m_r1_hard_puzzle,
	  HIP_DROP_PUZZLE, 0, 0, 0 },
	{ "I2 unknown critical parameter", DURING, HIP_I2, m_critical,
	  HIP_DROP_CRITICAL, HIP_NTF_UNSUPPORTED_CRITICAL_PARAMETER_TYPE,
	  0, 0 },
	{ "I2 bad signature", DURING, HIP_I2, m_signature,
	  HIP_DROP_SIGNATURE, HIP_NTF_AUTHENTICATION_FAILED, 0, 0 },
	{ "I2 bad HIP_MAC", DURING, HIP_I2, m_mac, HIP_DROP_MAC,
	  HIP_NTF_HIP_MAC_FAILED, 0, 0 },
	{ "I2 wrong puzzle solution", DURING, HIP_I2, m_i2_solution_j,
	  HIP_DROP_PUZZLE, 0, 0, 0 },
	{ "I2 #I not ours", DURING, HIP_I2, m_i2_solution_i,
	  HIP_DROP_PUZZLE, 0, 0, 0 },
	{ "I2 of an old R1 generation", DURING, HIP_I2, m_none,
	  HIP_DROP_R1_COUNTER, 0, 0, 2 },
	{ "I2 of a future R1 generation", DURING, HIP_I2, m_i2_r1_counter,
	  HIP_DROP_R1_COUNTER, 0, 0, 0 },
	{ "I2 DH group not offered", DURING, HIP_I2, m_i2_dh_group,
	  HIP_DROP_DH, HIP_NTF_INVALID_DH_CHOSEN, 0, 0 },
	{ "I2 DH value not on the curve", DURING, HIP_I2, m_i2_dh_value,
	  HIP_DROP_DH, 0, 0, 0 },
	{ "I2 HIP cipher not offered", DURING, HIP_I2, m_i2_cipher,
	  HIP_DROP_PROPOSAL, HIP_NTF_INVALID_HIP_CIPHER_CHOSEN, 0, 0 },
	{ "I2 ESP suite not offered", DURING, HIP_I2, m_i2_esp,
	  HIP_DROP_PROPOSAL, HIP_NTF_INVALID_ESP_TRANSFORM_CHOSEN, 0, 0 },
	{ "I2 reserved SPI", DURING, HIP_I2, m_i2_spi, HIP_DROP_MALFORMED,
	  HIP_NTF_INVALID_SYNTAX, 0, 0 },
	{ "R2 bad HIP_MAC_2", DURING, HIP_R2, m_mac, HIP_DROP_MAC, 0, 0, 0 },
	{ "R2 bad signature", DURING, HIP_R2, m_signature,
	  HIP_DROP_SIGNATURE, 0, 0, 0 },
	{ "R2 in ESTABLISHED", AFTER, HIP_R2, m_none, HIP_DROP_STATE, 0, 0,
	  0 },
	{ "R1 in ESTABLISHED", AFTER, HIP_R1, m_none, HIP_DROP_STATE, 0, 0,
	  0 },
	{ "I1 in ESTABLISHED: R1", AFTER, HIP_I1, m_none, NONE, 0, HIP_R1,
	  0 },
	{ "same I2 in ESTABLISHED: R2 again", AFTER, HIP_I2, m_none,
	  HIP_DROP_DUPLICATE, 0, HIP_R2, 0 },
	{ "CLOSE bad HIP_MAC", CLOSING, HIP_CLOSE, m_mac, HIP_DROP_MAC, 0, 0,
	  0 },
	{ "CLOSE bad signature", CLOSING, HIP_CLOSE, m_signature,
	  HIP_DROP_SIGNATURE, 0, 0, 0 },
	{ "CLOSE changed echo", CLOSING, HIP_CLOSE, m_close_echo,
	  HIP_DROP_MAC, 0, 0, 0 },
	{ "CLOSE_ACK in CLOSED", CLOSED, HIP_CLOSE_ACK, m_none,
	  HIP_DROP_STATE, 0, 0, 0 },
	{ "CLOSE in CLOSED: CLOSE_ACK again", CLOSED, HIP_CLOSE, m_none,
	  NONE, 0, HIP_CLOSE_ACK, 0 },
	{ "CLOSE_ACK bad HIP_MAC", CLOSING, HIP_CLOSE_ACK, m_mac,
	  HIP_DROP_MAC, 0, 0, 0 },
	{ "CLOSE_ACK bad signature", CLOSING, HIP_CLOSE_ACK, m_signature,
	  HIP_DROP_SIGNATURE, 0, 0, 0 },
};

/* Keep a copy of the first packet of every type; hold back the first
 * one of type n->filter_arg (if not negative). */
static struct mock_pkt seen[32];
static bool have_seen[32];

static enum mock_verdict spy(struct mock_net *n, const struct mock_pkt *p)
{
	int t = mock_pkt_type(p);

	if (t < 32 && !have_seen[t]) {
		seen[t] = *p;
		have_seen[t] = true;
		if (t == n->filter_arg)
			return MOCK_HOLD;
	}
	return MOCK_DELIVER;
}

struct snapshot {
	int found;
	struct hip_engine_assoc_info info;
	struct hip_engine_stats st;
	size_t installs, deletes, notifies;
	unsigned sent[128];
};

static void snap(struct mock_net *n, int i, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->found = mock_assoc(n, i, &s->info);
	hip_engine_get_stats(n->h[i].e, &s->st);
	s->installs = n->h[i].n_installs;
	s->deletes = n->h[i].n_deletes;
	s->notifies = n->h[i].n_notify;
	memcpy(s->sent, n->h[i].sent_by_type, sizeof(s->sent));
}

START_TEST(test_bad_input)
{
	const struct bad_case *c = &cases[_i];
	struct hip_engine_config ca, cb;
	struct snapshot before, after;
	struct mock_pkt *bad;
	struct mock_net *n;
	int target, r;

	mock_config(&ca, mock_identity(HIP_KEY_ECDSA_P256, 0));
	mock_config(&cb, mock_identity(HIP_KEY_ECDSA_P256, 1));
	cb.puzzle_k = 8;
	n = calloc(1, sizeof(*n));
	bad = malloc(sizeof(*bad));
	ck_assert_ptr_nonnull(n);
	ck_assert_ptr_nonnull(bad);
	ck_assert_int_eq(mock_net_init(n, &ca, &cb, false), 0);
	memset(have_seen, 0, sizeof(have_seen));
	n->filter = spy;
	n->filter_arg = c->stage == DURING ? c->victim : -1;
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	if (c->stage == DURING) {
		mock_flush(n);
		ck_assert_msg(n->have_held, "%s: no victim", c->name);
		*bad = n->held;
	} else {
		mock_run(n, 20000);
		if (c->stage == CLOSING || c->stage == CLOSED) {
			n->filter_arg = c->stage == CLOSING ? c->victim : -1;
			ck_assert_int_eq(hip_engine_close(n->h[0].e, n->now,
							  NULL, n->h[1].hit),
					 0);
			mock_flush(n);
		}
		ck_assert_msg(have_seen[c->victim], "%s: no victim", c->name);
		*bad = seen[c->victim];
	}
	target = bad->to;
	for (unsigned k = 0; k < c->rotations; k++) {
		n->now += cb.r1_rotate_ms;
		hip_engine_timeout(n->h[target].e, n->now);
		mock_drain(n, target);
	}
	snap(n, target, &before);
	c->mutate(n, bad);
	r = mock_inject(n, bad);
	snap(n, target, &after);

	/* The verdict. */
	for (int k = 0; k < HIP_DROP__MAX; k++)
		ck_assert_msg(after.st.dropped[k] - before.st.dropped[k] ==
			      (uint64_t)(k == c->drop),
			      "%s: drop counter %s %llu -> %llu", c->name,
			      hip_engine_drop_name(k),
			      (unsigned long long)before.st.dropped[k],
			      (unsigned long long)after.st.dropped[k]);
	if (c->drop != NONE && c->drop != HIP_DROP_DUPLICATE)
		ck_assert_msg(r < 0, "%s: accepted", c->name);
	else
		ck_assert_msg(r == 0, "%s: %d", c->name, r);
	if (c->notify) {
		ck_assert_msg(after.notifies == before.notifies + 1,
			      "%s: no NOTIFY", c->name);
		ck_assert_uint_eq(n->h[target].notify_types[before.notifies],
				  c->notify);
	} else {
		ck_assert_msg(after.notifies == before.notifies,
			      "%s: NOTIFY %u sent", c->name,
			      n->h[target].notify_types[before.notifies]);
	}
	for (int t = 1; t < 128; t++)
		if (t != HIP_NOTIFY)
			ck_assert_msg(after.sent[t] - before.sent[t] ==
				      (unsigned)(t == c->answer),
				      "%s: sent %d", c->name, t);
	/* And no state change. */
	ck_assert_int_eq(after.found, before.found);
	ck_assert_uint_eq(after.info.state, before.info.state);
	ck_assert_uint_eq(after.info.spi_in, before.info.spi_in);
	ck_assert_uint_eq(after.info.spi_out, before.info.spi_out);
	ck_assert_uint_eq(after.installs, before.installs);
	ck_assert_uint_eq(after.deletes, before.deletes);

	/* The genuine packet still does its job. */
	n->n_wire = 0;
	n->filter = NULL;
	if (c->stage == DURING && c->rotations == 0) {
		ck_assert_int_eq(mock_inject(n, &n->held), 0);
		mock_run(n, 20000);
		ck_assert_int_eq(mock_assoc(n, 0, &after.info), 0);
		ck_assert_uint_eq(after.info.state, HIP_STATE_ESTABLISHED);
		ck_assert_int_eq(mock_assoc(n, 1, &after.info), 0);
		ck_assert_uint_eq(after.info.state, HIP_STATE_ESTABLISHED);
		ck_assert_uint_eq(n->h[0].n_installs, 1);
		ck_assert_uint_eq(n->h[1].n_installs, 1);
	} else if (c->stage == CLOSING) {
		ck_assert_int_eq(mock_inject(n, &n->held), 0);
		ck_assert_int_eq(mock_assoc(n, target, &after.info), 0);
		ck_assert_uint_eq(after.info.state, HIP_STATE_CLOSED);
	}
	mock_net_free(n);
	free(n);
	free(bad);
}
END_TEST

/* Received NOTIFYs are counted and never answered. */
START_TEST(test_notify_not_answered)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_stats sa;
	struct mock_net *n = calloc(1, sizeof(*n));

	ck_assert_ptr_nonnull(n);
	mock_config(&ca, mock_identity(HIP_KEY_ECDSA_P256, 0));
	mock_config(&cb, mock_identity(HIP_KEY_RSA, 0));
	ca.dh_groups[0] = HIP_DH_NIST_P384;
	ca.n_dh_groups = 1;
	cb.dh_groups[0] = HIP_DH_MODP_1536;
	cb.n_dh_groups = 1;
	ck_assert_int_eq(mock_net_init(n, &ca, &cb, false), 0);
	memset(have_seen, 0, sizeof(have_seen));
	n->filter = spy;
	n->filter_arg = -1;
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	mock_flush(n);
	ck_assert_uint_eq(n->h[1].n_notify, 1);
	ck_assert_uint_eq(n->h[1].notify_types[0],
			  HIP_NTF_NO_DH_PROPOSAL_CHOSEN);
	hip_engine_get_stats(n->h[0].e, &sa);
	ck_assert_uint_eq(sa.notify_received, 1);
	ck_assert_uint_eq(n->h[0].n_notify, 0);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_NOTIFY], 0);
	/* A forged or damaged NOTIFY is dropped, not counted as received;
	 * nor is one whose HOST_ID is not the sender's. */
	ck_assert(have_seen[HIP_NOTIFY]);
	m_signature(n, &seen[HIP_NOTIFY]);
	ck_assert_int_eq(mock_inject(n, &seen[HIP_NOTIFY]), HIP_EVERIFY);
	seen[HIP_NOTIFY].data[12] ^= 1;	/* sender HIT */
	mock_fix_checksum(&seen[HIP_NOTIFY]);
	ck_assert_int_lt(mock_inject(n, &seen[HIP_NOTIFY]), 0);
	hip_engine_get_stats(n->h[0].e, &sa);
	ck_assert_uint_eq(sa.notify_received, 1);
	ck_assert_uint_eq(sa.dropped[HIP_DROP_NOTIFY], 2);
	ck_assert_uint_eq(n->h[0].sent_by_type[HIP_NOTIFY], 0);
	mock_net_free(n);
	free(n);
}
END_TEST

/* NOTIFYs are rate-limited. */
START_TEST(test_notify_rate_limit)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_stats sb;
	struct mock_net *n = calloc(1, sizeof(*n));
	struct mock_pkt *p = malloc(sizeof(*p));

	ck_assert_ptr_nonnull(n);
	ck_assert_ptr_nonnull(p);
	mock_config(&ca, mock_identity(HIP_KEY_ECDSA_P256, 0));
	mock_config(&cb, mock_identity(HIP_KEY_ECDSA_P256, 1));
	cb.notify_per_sec = 3;
	ck_assert_int_eq(mock_net_init(n, &ca, &cb, false), 0);
	memset(have_seen, 0, sizeof(have_seen));
	n->filter = spy;
	n->filter_arg = HIP_I1;
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	mock_flush(n);
	*p = n->held;
	m_i1_groups(n, p);
	for (int k = 0; k < 10; k++)
		ck_assert_int_lt(mock_inject(n, p), 0);
	ck_assert_uint_eq(n->h[1].n_notify, 3);
	hip_engine_get_stats(n->h[1].e, &sb);
	ck_assert_uint_eq(sb.notify_suppressed, 7);
	ck_assert_uint_eq(sb.dropped[HIP_DROP_DH], 10);
	n->now += 1000;
	ck_assert_int_lt(mock_inject(n, p), 0);
	ck_assert_uint_eq(n->h[1].n_notify, 4);
	mock_net_free(n);
	free(n);
	free(p);
}
END_TEST

/* Deterministic mutation of golden packets: every octet of an I2, R2,
 * CLOSE or I1 gets one bit flipped (the checksum fixed up), and every
 * shorter length is tried.  The I2, R2 and CLOSE are covered entirely
 * by MAC and signature, so each change must be rejected and leave the
 * receiver as it was; a changed I1 may at most be answered with R1. */
static const int mut_victims[] = { HIP_I2, HIP_R2, HIP_CLOSE, HIP_I1 };

START_TEST(test_mutations)
{
	int victim = mut_victims[_i];
	struct hip_engine_config ca, cb;
	struct hip_engine_assoc_info before, after;
	struct mock_pkt *bad = malloc(sizeof(*bad));
	struct mock_pkt *orig = malloc(sizeof(*orig));
	struct mock_net *n = calloc(1, sizeof(*n));
	size_t installs, deletes;
	int target, found;

	ck_assert_ptr_nonnull(n);
	ck_assert_ptr_nonnull(bad);
	ck_assert_ptr_nonnull(orig);
	mock_config(&ca, mock_identity(HIP_KEY_ECDSA_P256, 0));
	mock_config(&cb, mock_identity(HIP_KEY_ECDSA_P256, 1));
	cb.notify_per_sec = 0;
	ca.notify_per_sec = 0;
	ck_assert_int_eq(mock_net_init(n, &ca, &cb, false), 0);
	memset(have_seen, 0, sizeof(have_seen));
	n->filter = spy;
	n->filter_arg = victim == HIP_CLOSE ? -1 : victim;
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	if (victim == HIP_CLOSE) {
		mock_run(n, 20000);
		n->filter_arg = HIP_CLOSE;
		ck_assert_int_eq(hip_engine_close(n->h[0].e, n->now, NULL,
						  n->h[1].hit), 0);
	}
	mock_flush(n);
	ck_assert(n->have_held);
	*orig = n->held;
	target = orig->to;
	memset(&before, 0, sizeof(before));
	found = mock_assoc(n, target, &before);
	installs = n->h[target].n_installs;
	deletes = n->h[target].n_deletes;
	for (size_t k = 0; k < 2 * orig->len; k++) {
		int r;

		*bad = *orig;
		if (k < orig->len) {
			if (k == 4 || k == 5)
				continue;	/* the checksum itself */
			bad->data[k] ^= (uint8_t)(1u << (k % 8));
			mock_fix_checksum(bad);
		} else {
			bad->len = k - orig->len;
		}
		r = mock_inject(n, bad);
		n->n_wire = 0;
		if (victim == HIP_I1) {
			ck_assert_int_eq(mock_assoc(n, target, &after),
					 HIP_ENOENT);
			continue;
		}
		ck_assert_msg(r < 0, "%s octet %zu accepted",
			      hip_packet_type_name((unsigned)victim), k);
		memset(&after, 0, sizeof(after));
		ck_assert_int_eq(mock_assoc(n, target, &after), found);
		ck_assert_uint_eq(after.state, before.state);
		ck_assert_uint_eq(n->h[target].n_installs, installs);
		ck_assert_uint_eq(n->h[target].n_deletes, deletes);
	}
	/* The genuine packet still works. */
	ck_assert_int_eq(mock_inject(n, orig), 0);
	mock_net_free(n);
	free(n);
	free(bad);
	free(orig);
}
END_TEST

/* R1s are rate-limited; the limit is per second. */
START_TEST(test_r1_rate_limit)
{
	struct hip_engine_config ca, cb;
	struct hip_engine_stats sb;
	struct mock_net *n = calloc(1, sizeof(*n));
	struct mock_pkt *p = malloc(sizeof(*p));

	ck_assert_ptr_nonnull(n);
	ck_assert_ptr_nonnull(p);
	mock_config(&ca, mock_identity(HIP_KEY_ECDSA_P256, 0));
	mock_config(&cb, mock_identity(HIP_KEY_ECDSA_P256, 1));
	cb.r1_per_sec = 2;
	ck_assert_int_eq(mock_net_init(n, &ca, &cb, false), 0);
	memset(have_seen, 0, sizeof(have_seen));
	n->filter = spy;
	n->filter_arg = HIP_I1;
	ck_assert_int_eq(hip_engine_acquire(n->h[0].e, n->now, NULL,
					    n->h[1].hit), 0);
	mock_flush(n);
	*p = n->held;
	ck_assert_int_eq(mock_inject(n, p), 0);
	ck_assert_int_eq(mock_inject(n, p), 0);
	for (int k = 0; k < 5; k++)
		ck_assert_int_eq(mock_inject(n, p), HIP_EPERM);
	ck_assert_uint_eq(n->h[1].sent_by_type[HIP_R1], 2);
	hip_engine_get_stats(n->h[1].e, &sb);
	ck_assert_uint_eq(sb.dropped[HIP_DROP_RATE], 5);
	n->now += 1000;
	ck_assert_int_eq(mock_inject(n, p), 0);
	ck_assert_uint_eq(n->h[1].sent_by_type[HIP_R1], 3);
	mock_net_free(n);
	free(n);
	free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_bad");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	for (int k = 0; k < 3; k++)
		if (mock_identity(HIP_KEY_ECDSA_P256, k) == NULL)
			return EXIT_FAILURE;
	if (mock_identity(HIP_KEY_RSA, 0) == NULL)
		return EXIT_FAILURE;
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_bad_input, 0,
			    (int)HIP_ARRAY_SIZE(cases));
	tcase_add_test(tc, test_notify_not_answered);
	tcase_add_test(tc, test_notify_rate_limit);
	tcase_add_test(tc, test_r1_rate_limit);
	tcase_add_loop_test(tc, test_mutations, 0,
			    (int)HIP_ARRAY_SIZE(mut_victims));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
