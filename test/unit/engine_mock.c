/*
 * engine_mock.c - the recording mock network and kernel of the engine
 * tests (see engine_mock.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/param.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_mock.h"

static struct hip_identity *ids[6][4];

const struct hip_identity *mock_identity(enum hip_key_type t, int n)
{
	if ((int)t < 1 || (int)t > 5 || n < 0 || n > 3)
		return NULL;
	if (ids[t][n] == NULL &&
	    hip_identity_generate(t, t == HIP_KEY_RSA ? 2048 : 0,
				  &ids[t][n]) != 0)
		return NULL;
	return ids[t][n];
}

void mock_config(struct hip_engine_config *cfg,
		 const struct hip_identity *id)
{
	hip_engine_config_defaults(cfg);
	cfg->identities[0] = id;
	cfg->n_identities = 1;
	cfg->puzzle_k = 4;
}

static bool host_has(const struct mock_host *h, const struct in6_addr *a)
{
	if (memcmp(&h->addr, a, sizeof(*a)) == 0)
		return true;
	for (size_t k = 0; k < h->n_extra; k++)
		if (memcmp(&h->extra[k], a, sizeof(*a)) == 0)
			return true;
	return false;
}

static int host_index(struct mock_net *n, const struct in6_addr *a)
{
	for (int i = 0; i < MOCK_HOSTS; i++)
		if (host_has(&n->h[i], a))
			return i;
	return -1;
}

void mock_set_addrs(struct mock_net *n, int i, const struct in6_addr *addrs,
		    size_t count)
{
	struct mock_host *h = &n->h[i];

	h->addr = addrs[0];
	h->n_extra = 0;
	for (size_t k = 1; k < count && h->n_extra < 4; k++)
		h->extra[h->n_extra++] = addrs[k];
}

struct in6_addr mock_addr(const char *text)
{
	struct in6_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(AF_INET6, text, &a);
	return a;
}

struct env_arg {
	struct mock_net *net;
	int idx;
};
static struct env_arg env_args[MOCK_HOSTS];

static int mock_alloc_spi(void *arg, const uint8_t *local_hit,
			  const uint8_t *peer_hit,
			  const struct in6_addr *local_loc,
			  const struct in6_addr *peer_loc, uint32_t *spi)
{
	struct env_arg *ea = arg;
	struct mock_host *h = &ea->net->h[ea->idx];

	(void)local_hit;
	(void)peer_hit;
	(void)peer_loc;
	if (h->fail_spi || !host_has(h, local_loc))
		return HIP_EIO;
	*spi = h->next_spi++;
	if (h->n_spis < MOCK_REC_MAX)
		h->spis[h->n_spis++] = *spi;
	return 0;
}

static int mock_source_for(void *arg, const struct in6_addr *dst,
			   struct in6_addr *src)
{
	struct env_arg *ea = arg;

	(void)dst;
	*src = ea->net->h[ea->idx].addr;
	return 0;
}

int mock_net_init(struct mock_net *n, const struct hip_engine_config *c0,
		  const struct hip_engine_config *c1, bool v4)
{
	const struct hip_engine_config *c[2] = { c0, c1 };
	int r;

	memset(n, 0, sizeof(*n));
	n->now = 1000000;
	for (int i = 0; i < MOCK_HOSTS; i++) {
		struct mock_host *h = &n->h[i];
		struct hip_engine_env env = { 0 };
		char a[64];

		snprintf(a, sizeof(a), v4 ? "::ffff:192.0.2.%d" :
			 "2001:db8::%d", i + 1);
		inet_pton(AF_INET6, a, &h->addr);
		h->cfg = *c[i];
		h->next_spi = 0x1000 * (i + 1);
		env_args[i].net = n;
		env_args[i].idx = i;
		env.arg = &env_args[i];
		env.alloc_spi = mock_alloc_spi;
		env.source_for = mock_source_for;
		r = hip_engine_new(&h->cfg, &env, n->now, &h->e);
		if (r)
			return r;
		r = hip_engine_local_hit(h->e, 0, h->hit);
		if (r)
			return r;
	}
	for (int i = 0; i < MOCK_HOSTS; i++) {
		r = hip_engine_peer_add(n->h[i].e, n->h[1 - i].hit,
					&n->h[1 - i].addr, 1);
		if (r)
			return r;
	}
	return 0;
}

void mock_net_free(struct mock_net *n)
{
	for (int i = 0; i < MOCK_HOSTS; i++) {
		hip_engine_free(n->h[i].e);
		n->h[i].e = NULL;
	}
}

static void record_send(struct mock_net *n, int i,
			const struct hip_engine_action *a)
{
	struct mock_host *h = &n->h[i];
	struct mock_pkt *p;
	int type = a->u.send.len > 2 ? a->u.send.pkt[2] & 0x7f : 0;

	h->sent_by_type[type]++;
	if (type == HIP_NOTIFY && h->n_notify < HIP_ARRAY_SIZE(h->notify_types)) {
		struct hip_packet pk;

		if (hip_packet_parse(&pk, a->u.send.pkt, a->u.send.len,
				     NULL) == 0) {
			const struct hip_param *q =
				hip_packet_find(&pk, HIP_PARAM_NOTIFICATION);

			if (q != NULL && q->len >= 4)
				h->notify_types[h->n_notify++] =
					hip_get16(q->value + 2);
		}
	}
	if (n->n_wire == MOCK_WIRE_MAX)
		return;
	p = &n->wire[n->n_wire++];
	p->from = i;
	p->to = host_index(n, &a->u.send.dst);
	p->src = a->u.send.src;
	p->dst = a->u.send.dst;
	p->len = a->u.send.len;
	memcpy(p->data, a->u.send.pkt, p->len);
	if (n->verbose)
		fprintf(stderr, "[%llu] %d -> %d %s (%zu)\n",
			(unsigned long long)n->now, i, p->to,
			hip_packet_type_name((unsigned)type), p->len);
}

void mock_drain(struct mock_net *n, int i)
{
	struct mock_host *h = &n->h[i];
	struct hip_engine_action a;

	while (hip_engine_next_action(h->e, &a) == 1) {
		switch (a.type) {
		case HIP_ACT_SEND:
			record_send(n, i, &a);
			break;
		case HIP_ACT_SA_INSTALL:
			if (h->n_installs < MOCK_REC_MAX)
				h->installs[h->n_installs++] = a;
			break;
		case HIP_ACT_SA_DELETE:
			if (h->n_deletes < MOCK_REC_MAX)
				h->deletes[h->n_deletes++] = a;
			break;
		case HIP_ACT_SA_MIGRATE:
			if (h->n_migrates < MOCK_REC_MAX)
				h->migrates[h->n_migrates++] = a;
			break;
		case HIP_ACT_STATE_CHANGED:
			if (h->n_states < MOCK_REC_MAX)
				h->states[h->n_states++] = a.u.state.new_state;
			break;
		case HIP_ACT_LOG:
			if (n->verbose)
				fprintf(stderr, "  host %d: %s\n", i,
					a.u.log.text);
			break;
		}
		hip_engine_action_wipe(&a);
	}
}

int mock_inject(struct mock_net *n, const struct mock_pkt *p)
{
	int r;

	if (p->to < 0)
		return HIP_ENOENT;
	r = hip_engine_recv(n->h[p->to].e, n->now, &p->src, &p->dst, p->data,
			    p->len);
	mock_drain(n, p->to);
	return r;
}

int mock_deliver_one(struct mock_net *n)
{
	struct mock_pkt *p;
	enum mock_verdict v;
	int r;

	if (n->n_wire == 0)
		return 1;
	p = malloc(sizeof(*p));
	if (p == NULL)
		return HIP_ENOMEM;
	*p = n->wire[0];
	memmove(&n->wire[0], &n->wire[1], (n->n_wire - 1) * sizeof(*p));
	n->n_wire--;
	v = n->filter ? n->filter(n, p) : MOCK_DELIVER;
	switch (v) {
	case MOCK_DROP:
		n->dropped++;
		r = 0;
		break;
	case MOCK_HOLD:
		n->held = *p;
		n->have_held = true;
		r = 0;
		break;
	case MOCK_DUPLICATE:
		n->delivered++;
		mock_inject(n, p);
		/* fall through */
	default:
		n->delivered++;
		r = mock_inject(n, p);
		break;
	}
	free(p);
	return r;
}

void mock_flush(struct mock_net *n)
{
	for (int i = 0; i < MOCK_HOSTS; i++)
		mock_drain(n, i);
	while (mock_deliver_one(n) != 1)
		;
}

void mock_advance(struct mock_net *n, uint64_t t)
{
	if (t > n->now)
		n->now = t;
	for (int i = 0; i < MOCK_HOSTS; i++) {
		hip_engine_timeout(n->h[i].e, n->now);
		mock_drain(n, i);
	}
}

void mock_run(struct mock_net *n, uint64_t max_ms)
{
	uint64_t end = n->now + max_ms;

	for (;;) {
		uint64_t next = UINT64_MAX;

		mock_flush(n);
		for (int i = 0; i < MOCK_HOSTS; i++) {
			uint64_t t = hip_engine_next_timeout(n->h[i].e);

			if (t < next)
				next = t;
		}
		if (next > end)
			break;
		mock_advance(n, next);
	}
	/* The clock ran for max_ms, whatever happened. */
	if (end > n->now)
		n->now = end;
}

int mock_assoc(struct mock_net *n, int i, struct hip_engine_assoc_info *o)
{
	return hip_engine_assoc_get(n->h[i].e, NULL, n->h[1 - i].hit, o);
}

void mock_fix_checksum(struct mock_pkt *p)
{
	hip_packet_set_checksum(p->data, p->len, &p->src, &p->dst);
}

size_t mock_find_param(const struct mock_pkt *p, uint16_t type,
		       size_t *value_len)
{
	size_t off = HIP_HDR_LEN;

	while (off + 4 <= p->len) {
		uint16_t t = hip_get16(p->data + off);
		size_t l = hip_get16(p->data + off + 2);

		if (t == type) {
			if (value_len != NULL)
				*value_len = l;
			return off;
		}
		off += hip_param_total_len(l);
	}
	return 0;
}
