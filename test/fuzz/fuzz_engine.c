/*
 * fuzz_engine.c - arbitrary bytes as received packets into an engine in
 * each state of the base exchange and after it.
 *
 * Input: one control octet, then the packet (UPDATE included: rekey and
 * locator seeds go to states 4 and 5).  Control bits 0-2 pick the
 * state of the receiving engine (0 fresh Responder, 1 I1-SENT, 2
 * I2-SENT, 3 R2-SENT, 4 ESTABLISHED Initiator, 5 ESTABLISHED Responder,
 * 6 CLOSING, 7 CLOSED); bit 3 writes the right HITs into the header and
 * bit 4 the right checksum, so that the fuzzer reaches the parameter
 * processing instead of stopping at the first checks.  Bit 5 makes the
 * packet authentic: its parameters up to the first HIP_MAC are kept and
 * HIP_MAC and HIP_SIGNATURE are added with the sending engine's keys
 * (white-box, engine_internal.h), so that the processing after the
 * checks - UPDATE contents, rekeying, locators, CLOSE - is fuzzed too.
 *
 * The engine pairs of each state are built once and kept while the
 * state holds (a random packet should not move it; when it does, e.g.
 * an I1 replayed into a Responder, the pair is rebuilt).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hip/engine.h"
#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/wire.h"
#include "libhipcore/engine_internal.h"

struct side {
	struct hip_engine *e;
	struct in6_addr addr;
	uint8_t hit[HIP_HIT_LEN];
	uint32_t spi;
};

struct pair {
	struct side s[2];
	uint64_t now;
	int target;		/* which side the fuzz packets go to */
	enum hip_engine_state want;
	/* Packets on the way, at most a few per step. */
	struct {
		int to;
		struct in6_addr src, dst;
		size_t len;
		uint8_t pkt[HIP_MAX_PACKET];
	} wire[16];
	size_t n_wire;
};

/* Fixed test keys (generated for this harness only), so that the seed
 * corpus carries HOST_IDs and signatures the engines recognise. */
static const char *const key_pem[2] = {
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgq229BC+zfE1/xOTc\n"
	"bPphTRTs3KypqbP5ynk++fd321ahRANCAAS9TJrXdIR+GsRvo8BccHEcuGGxNAoP\n"
	"FqcPxP8YLyMKJb3XlUiGmFehyr9mlj0PAkC0QxpMFDVT2Yc6Gpkp29T+\n"
	"-----END PRIVATE KEY-----\n",
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIQQRujZ8J62EOsC7\n"
	"6vn28Hgbzk6v7xxRpuIhdz75EuehRANCAATQFYdoZLv/pZqbU+onwXYgmLjnHW4j\n"
	"YUv5s2GzMzcwmVANsN4OQJ4wJ+PRmShnK7P7Sw3Jf0YYd21uw0vR6cNr\n"
	"-----END PRIVATE KEY-----\n",
};

static struct hip_identity *ids[2];
static struct pair *pairs[8];

static int fz_alloc_spi(void *arg, const uint8_t *lh, const uint8_t *ph,
			const struct in6_addr *ll, const struct in6_addr *pl,
			uint32_t *spi)
{
	struct side *s = arg;

	(void)lh;
	(void)ph;
	(void)ll;
	(void)pl;
	*spi = s->spi++;
	return 0;
}

/* Deterministic "randomness" (puzzle secrets, CLOSE nonces): the same
 * input takes the same path. */
static int fz_random(void *arg, uint8_t *buf, size_t len)
{
	struct side *s = arg;

	for (size_t k = 0; k < len; k++)
		buf[k] = (uint8_t)(s->spi * 31 + k * 7);
	return 0;
}

static int fz_source_for(void *arg, const struct in6_addr *dst,
			 struct in6_addr *src)
{
	struct side *s = arg;

	(void)dst;
	*src = s->addr;
	return 0;
}

static void drain(struct pair *p, int i)
{
	struct hip_engine_action a;

	while (hip_engine_next_action(p->s[i].e, &a) == 1) {
		if (a.type == HIP_ACT_SEND && p->n_wire < 16) {
			p->wire[p->n_wire].to = 1 - i;
			p->wire[p->n_wire].src = a.u.send.src;
			p->wire[p->n_wire].dst = a.u.send.dst;
			p->wire[p->n_wire].len = a.u.send.len;
			memcpy(p->wire[p->n_wire].pkt, a.u.send.pkt,
			       a.u.send.len);
			p->n_wire++;
		}
		hip_engine_action_wipe(&a);
	}
}

/* Deliver packets until none is left or one of type stop_at would be
 * delivered (it is discarded instead). */
static void deliver(struct pair *p, int stop_at)
{
	while (p->n_wire > 0) {
		int to = p->wire[0].to;
		uint8_t type = p->wire[0].pkt[2] & 0x7f;

		if (type == stop_at) {
			p->n_wire = 0;
			return;
		}
		hip_engine_recv(p->s[to].e, p->now, &p->wire[0].src,
				&p->wire[0].dst, p->wire[0].pkt,
				p->wire[0].len);
		memmove(&p->wire[0], &p->wire[1],
			(p->n_wire - 1) * sizeof(p->wire[0]));
		p->n_wire--;
		drain(p, to);
	}
}

static void pair_free(struct pair *p)
{
	if (p == NULL)
		return;
	hip_engine_free(p->s[0].e);
	hip_engine_free(p->s[1].e);
	free(p);
}

static struct pair *pair_new(int state)
{
	static const int stop[8] = { HIP_I1, HIP_R1, HIP_R2, HIP_R2, 0, 0,
				     HIP_CLOSE, 0 };
	static const enum hip_engine_state want[8] = {
		HIP_STATE_UNASSOCIATED, HIP_STATE_I1_SENT, HIP_STATE_I2_SENT,
		HIP_STATE_R2_SENT, HIP_STATE_ESTABLISHED,
		HIP_STATE_ESTABLISHED, HIP_STATE_CLOSING, HIP_STATE_CLOSED,
	};
	static const int target[8] = { 1, 0, 0, 1, 0, 1, 0, 1 };
	struct pair *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->now = 1000;
	for (int i = 0; i < 2; i++) {
		struct hip_engine_config cfg;
		struct hip_engine_env env = { 0 };

		hip_engine_config_defaults(&cfg);
		cfg.identities[0] = ids[i];
		cfg.n_identities = 1;
		cfg.puzzle_k = 1;
		cfg.dh_groups[0] = HIP_DH_NIST_P256;
		cfg.n_dh_groups = 1;
		p->s[i].addr.s6_addr[0] = 0x20;
		p->s[i].addr.s6_addr[1] = 0x01;
		p->s[i].addr.s6_addr[15] = (uint8_t)(i + 1);
		p->s[i].spi = 0x1000;
		env.arg = &p->s[i];
		env.alloc_spi = fz_alloc_spi;
		env.random = fz_random;
		env.source_for = fz_source_for;
		if (hip_engine_new(&cfg, &env, p->now, &p->s[i].e) ||
		    hip_engine_local_hit(p->s[i].e, 0, p->s[i].hit))
			goto fail;
	}
	for (int i = 0; i < 2; i++)
		if (hip_engine_peer_add(p->s[i].e, p->s[1 - i].hit,
					&p->s[1 - i].addr, 1))
			goto fail;
	p->target = target[state];
	p->want = want[state];
	if (state != 0) {
		hip_engine_acquire(p->s[0].e, p->now, NULL, p->s[1].hit);
		drain(p, 0);
		deliver(p, stop[state]);
	}
	if (state == 5) {
		p->now += 60000;	/* R2-SENT times out */
		hip_engine_timeout(p->s[1].e, p->now);
		drain(p, 1);
	}
	if (state == 6 || state == 7) {
		hip_engine_close(p->s[0].e, p->now, NULL, p->s[1].hit);
		drain(p, 0);
		deliver(p, stop[state]);
	}
	return p;
fail:
	pair_free(p);
	return NULL;
}

static void load_keys(void)
{
	for (int i = 0; i < 2; i++)
		if (hip_identity_load_mem((const uint8_t *)key_pem[i],
					  strlen(key_pem[i]), 0, "fuzz",
					  &ids[i], NULL, 0))
			abort();
}

static bool pair_ok(struct pair *p)
{
	struct hip_engine_assoc_info info;
	int r = hip_engine_assoc_get(p->s[p->target].e, NULL,
				     p->s[1 - p->target].hit, &info);

	if (p->want == HIP_STATE_UNASSOCIATED)
		return r == HIP_ENOENT;
	return r == 0 && info.state == p->want;
}

/* Rebuild pkt (of *size octets) as the peer would send it: header and
 * parameters below HIP_MAC kept (until the first malformed one), then
 * HIP_MAC and HIP_SIGNATURE of the peer's association with me. */
static void authenticate(struct side *peer, struct side *me, uint8_t *pkt,
			 size_t *size)
{
	static uint8_t out[HIP_MAX_PACKET];
	struct hip_assoc *a = engine_assoc_find(peer->e, NULL, me->hit);
	struct hip_param_iter it;
	struct hip_param prm;
	struct hip_builder b;
	struct in6_addr s, r;
	size_t len;

	if (a == NULL || !a->have_keys || *size < HIP_HDR_LEN)
		return;
	memcpy(s.s6_addr, peer->hit, HIP_HIT_LEN);
	memcpy(r.s6_addr, me->hit, HIP_HIT_LEN);
	if (hip_builder_init(&b, out, sizeof(out), (pkt[2] & 0x7f) ?
			     (pkt[2] & 0x7f) : HIP_UPDATE, &s, &r, 0))
		return;
	hip_param_iter_init(&it, pkt + HIP_HDR_LEN, *size - HIP_HDR_LEN,
			    HIP_HDR_LEN);
	while (hip_param_next(&it, &prm) == 1 && prm.type < HIP_PARAM_HIP_MAC)
		if (hip_put_param(&b, prm.type, prm.value, prm.len))
			break;
	if (engine_put_mac(&b, a, HIP_PARAM_HIP_MAC, NULL, 0) ||
	    engine_put_sig(&b, peer->e->local[a->local_idx].id,
			   HIP_PARAM_HIP_SIGNATURE) ||
	    hip_builder_finish(&b, &len))
		return;
	hip_packet_set_checksum(out, len, &peer->addr, &me->addr);
	memcpy(pkt, out, len);
	*size = len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t pkt[HIP_MAX_PACKET + 64];
	struct hip_engine_action a;
	struct pair *p;
	struct side *me, *peer;
	int state;

	if (size < 1 || size - 1 > sizeof(pkt))
		return 0;
	if (ids[0] == NULL)
		load_keys();
	state = data[0] & 7;
	if (pairs[state] == NULL || !pair_ok(pairs[state])) {
		pair_free(pairs[state]);
		pairs[state] = pair_new(state);
		if (pairs[state] == NULL)
			abort();
	}
	p = pairs[state];
	me = &p->s[p->target];
	peer = &p->s[1 - p->target];
	size--;
	memcpy(pkt, data + 1, size);
	if ((data[0] & 8) && size >= HIP_HDR_LEN) {
		memcpy(pkt + 8, peer->hit, HIP_HIT_LEN);
		memcpy(pkt + 24, me->hit, HIP_HIT_LEN);
	}
	if ((data[0] & 16) && size >= HIP_HDR_LEN) {
		size_t len = ((size_t)pkt[1] + 1) * 8;

		if (len <= size)
			hip_packet_set_checksum(pkt, len, &peer->addr,
						&me->addr);
	}
	if (data[0] & 32)
		authenticate(peer, me, pkt, &size);
	hip_engine_recv(me->e, p->now, &peer->addr, &me->addr, pkt, size);
	while (hip_engine_next_action(me->e, &a) == 1)
		hip_engine_action_wipe(&a);
	/* Time passes a little: retransmissions, checks timing out. */
	p->now += 100;
	hip_engine_timeout(me->e, p->now);
	while (hip_engine_next_action(me->e, &a) == 1)
		hip_engine_action_wipe(&a);
	return 0;
}

#ifdef FUZZ_ENGINE_SEEDS
/* Write the packets of a real exchange (and CLOSE) as seeds: each one
 * prefixed with the control octet of the state that receives it, with
 * the HIT and checksum fix-ups on.
 *   cc -DFUZZ_ENGINE_SEEDS ... fuzz_engine.c -o seeds && ./seeds DIR */
#include <stdio.h>

static void seed(const char *dir, int n, int state, const uint8_t *pkt,
		 size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%02d", dir, n);
	f = fopen(path, "wb");
	if (f == NULL)
		return;
	fputc(state | 8 | 16, f);
	fwrite(pkt, 1, len, f);
	fclose(f);
}

/* Deliver what is on the wire, writing each packet as a seed. */
static void deliver_seeds(struct pair *p, const char *dir, int *n)
{
	/* Receiving state of each packet type of the exchange. */
	static const int state_of[32] = {
		[HIP_I1] = 0, [HIP_R1] = 1, [HIP_I2] = 3, [HIP_R2] = 2,
		[HIP_CLOSE] = 5, [HIP_CLOSE_ACK] = 6,
	};

	while (p->n_wire > 0) {
		int t = p->wire[0].pkt[2] & 0x7f;
		int to = p->wire[0].to;
		/* UPDATEs go to an ESTABLISHED Initiator (4) or Responder. */
		int st = t == HIP_UPDATE ? 4 + to : state_of[t & 31];

		seed(dir, (*n)++, st, p->wire[0].pkt, p->wire[0].len);
		hip_engine_recv(p->s[to].e, p->now, &p->wire[0].src,
				&p->wire[0].dst, p->wire[0].pkt,
				p->wire[0].len);
		memmove(&p->wire[0], &p->wire[1],
			(p->n_wire - 1) * sizeof(p->wire[0]));
		p->n_wire--;
		drain(p, to);
	}
}

int main(int argc, char **argv)
{
	struct in6_addr moved;
	struct pair *p;
	int n = 0;

	if (argc != 2)
		return 2;
	load_keys();
	p = pair_new(0);
	if (p == NULL)
		return 1;
	hip_engine_acquire(p->s[0].e, p->now, NULL, p->s[1].hit);
	drain(p, 0);
	deliver_seeds(p, argv[1], &n);
	p->now += 60000;
	hip_engine_timeout(p->s[1].e, p->now);
	drain(p, 1);
	/* UPDATEs: a rekey (ESP_INFO, SEQ, ACK), then a move (LOCATOR_SET,
	 * ECHO_REQUEST_SIGNED, ECHO_RESPONSE_SIGNED). */
	hip_engine_rekey(p->s[0].e, p->now, NULL, p->s[1].hit);
	drain(p, 0);
	deliver_seeds(p, argv[1], &n);
	moved = p->s[0].addr;
	moved.s6_addr[7] = 0x42;
	hip_engine_set_locators(p->s[0].e, p->now, &moved, 1);
	drain(p, 0);
	deliver_seeds(p, argv[1], &n);
	hip_engine_close(p->s[0].e, p->now, NULL, p->s[1].hit);
	drain(p, 0);
	deliver_seeds(p, argv[1], &n);
	pair_free(p);
	return 0;
}
#endif
