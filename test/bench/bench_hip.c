/*
 * bench_hip.c - benchmarks of the engine for "two hosts talk over HITs".
 *
 *   bench_hip [--quick] [--n N] [--types LIST] exchange|i1|memory|all
 *
 * exchange: responder base exchanges per second (time inside the
 *   responder's hip_engine_recv for I1 and I2 only) next to the crypto
 *   bound measured in the same run (1 verify + 1 ECDH derive + 1 sign),
 *   and the in-process exchange latency (median, p99) next to the sum of
 *   both sides' required crypto.
 * i1: I1s answered per second and heap allocations per I1, next to the
 *   floor of the work (checksum in, copy, checksum out).
 * memory: heap bytes per established association in the responder.
 *
 * Nothing here asserts a timing.  --quick runs tiny sizes and fails only
 * when exchanges do not complete or R1s are not sent (the smoke test of
 * make check).
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "hip/auth.h"
#include "hip/dh.h"
#include "hip/engine.h"
#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/wire.h"
#include "libhipcore/engine_internal.h"
#include "libhipcore/identity_priv.h"

/* --- heap allocation counter ------------------------------------------
 * The executable's malloc family interposes on every library's calls
 * (libhipcore, OpenSSL) and forwards to glibc; not with ASan, which has
 * its own allocator. */
static unsigned long long n_allocs;

#if defined(__SANITIZE_ADDRESS__)
#define BENCH_COUNT_ALLOCS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BENCH_COUNT_ALLOCS 0
#endif
#endif
#ifndef BENCH_COUNT_ALLOCS
#define BENCH_COUNT_ALLOCS 1
#endif

#if BENCH_COUNT_ALLOCS
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t m, size_t n);
extern void *__libc_realloc(void *p, size_t n);

void *malloc(size_t n)
{
	n_allocs++;
	return __libc_malloc(n);
}

void *calloc(size_t m, size_t n)
{
	n_allocs++;
	return __libc_calloc(m, n);
}

void *realloc(void *p, size_t n)
{
	n_allocs++;
	return __libc_realloc(p, n);
}
#endif

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int failures;

#define CHECK(c, ...) do {						\
		if (!(c)) {						\
			fprintf(stderr, "bench_hip: FAIL: " __VA_ARGS__); \
			fputc('\n', stderr);				\
			failures++;					\
		}							\
	} while (0)

/* --- a host: an engine with its address and a trivial kernel --------- */

struct host {
	struct hip_engine *e;
	struct hip_engine_config cfg;
	struct in6_addr addr;
	uint8_t hit[HIP_HIT_LEN];
	uint32_t next_spi;
};

static int host_alloc_spi(void *arg, const uint8_t *local_hit,
			  const uint8_t *peer_hit,
			  const struct in6_addr *local_loc,
			  const struct in6_addr *peer_loc, uint32_t *spi)
{
	struct host *h = arg;

	(void)local_hit;
	(void)peer_hit;
	(void)local_loc;
	(void)peer_loc;
	if (h->next_spi < 256)
		h->next_spi = 256;
	*spi = h->next_spi++;
	return 0;
}

static int host_source_for(void *arg, const struct in6_addr *dst,
			   struct in6_addr *src)
{
	struct host *h = arg;

	(void)dst;
	*src = h->addr;
	return 0;
}

static int host_start(struct host *h, const char *addr, uint64_t now)
{
	struct hip_engine_env env = { 0 };
	int r;

	inet_pton(AF_INET6, addr, &h->addr);
	env.arg = h;
	env.alloc_spi = host_alloc_spi;
	env.source_for = host_source_for;
	r = hip_engine_new(&h->cfg, &env, now, &h->e);
	if (r == 0)
		r = hip_engine_local_hit(h->e, 0, h->hit);
	return r;
}

static void config_for(struct hip_engine_config *c,
		       const struct hip_identity *id)
{
	hip_engine_config_defaults(c);
	c->identities[0] = id;
	c->n_identities = 1;
}

/* Packets in flight between the two engines of one exchange. */
#define WIRE_MAX 16
struct wire {
	size_t n;
	struct {
		int to;		/* 0 initiator, 1 responder */
		struct in6_addr src, dst;
		size_t len;
		uint8_t data[HIP_MAX_PACKET];
	} p[WIRE_MAX];
};

static struct hip_engine_action act;	/* big: keep it off the stack */

static void drain(struct host *h, int to, struct wire *w)
{
	while (hip_engine_next_action(h->e, &act) == 1) {
		if (act.type == HIP_ACT_SEND && w != NULL && w->n < WIRE_MAX) {
			w->p[w->n].to = to;
			w->p[w->n].src = act.u.send.src;
			w->p[w->n].dst = act.u.send.dst;
			w->p[w->n].len = act.u.send.len;
			memcpy(w->p[w->n].data, act.u.send.pkt,
			       act.u.send.len);
			w->n++;
		}
		hip_engine_action_wipe(&act);
	}
}

static struct wire wire;

/* One base exchange of a fresh initiator engine with identity id against
 * resp.  *resp_s gets the time spent inside the responder's
 * hip_engine_recv, *total_s the time from acquire to the initiator's
 * ESTABLISHED (engine creation excluded).  0 when both sides ended in
 * an established state. */
static double resp_i1_s, resp_i2_s;	/* split of *resp_s, summed */
static unsigned long long resp_allocs;	/* in the responder's recv */

static int exchange(struct host *resp, const struct hip_identity *id,
		    uint64_t *now, double *resp_s, double *total_s)
{
	struct host ini = { 0 };
	struct hip_engine_assoc_info ai;
	double t0, t1, rs = 0;
	int r;

	config_for(&ini.cfg, id);
	/* One DH group keeps the initiator's engine start (it precomputes
	 * R1s per group) cheap; the responder picks P-256 either way. */
	ini.cfg.dh_groups[0] = HIP_DH_NIST_P256;
	ini.cfg.n_dh_groups = 1;
	r = host_start(&ini, "2001:db8::1", *now);
	if (r == 0)
		r = hip_engine_peer_add(ini.e, resp->hit, &resp->addr, 1);
	if (r) {
		hip_engine_free(ini.e);
		return r;
	}
	wire.n = 0;
	t0 = now_s();
	r = hip_engine_acquire(ini.e, *now, NULL, resp->hit);
	drain(&ini, 1, &wire);
	while (r == 0 && wire.n > 0) {
		size_t k = 0;

		/* Deliver in order; new packets are appended. */
		while (k < wire.n) {
			struct host *h = wire.p[k].to ? resp : &ini;
			double a = 0;

			unsigned long long a0 = n_allocs;

			if (h == resp)
				a = now_s();
			hip_engine_recv(h->e, *now, &wire.p[k].src,
					&wire.p[k].dst, wire.p[k].data,
					wire.p[k].len);
			if (h == resp) {
				double d = now_s() - a;

				resp_allocs += n_allocs - a0;
				rs += d;
				if ((wire.p[k].data[2] & 0x7f) == HIP_I1)
					resp_i1_s += d;
				else
					resp_i2_s += d;
			}
			drain(h, h == resp ? 0 : 1, &wire);
			k++;
		}
		wire.n = 0;
	}
	t1 = now_s();
	if (r == 0)
		r = hip_engine_assoc_get(ini.e, NULL, resp->hit, &ai);
	if (r == 0 && ai.state != HIP_STATE_ESTABLISHED)
		r = HIP_ESTATE;
	if (r == 0)
		r = hip_engine_assoc_get(resp->e, NULL, ini.hit, &ai);
	if (r == 0 && ai.state != HIP_STATE_R2_SENT &&
	    ai.state != HIP_STATE_ESTABLISHED)
		r = HIP_ESTATE;
	hip_engine_free(ini.e);
	*resp_s = rs;
	*total_s = t1 - t0;
	/* Virtual time moves on; run the responder's timers (untimed). */
	*now += 10;	/* 100 exchanges/s: under the default 200 R1/s */
	if (hip_engine_next_timeout(resp->e) <= *now) {
		hip_engine_timeout(resp->e, *now);
		drain(resp, 0, NULL);
	}
	return r;
}

/* --- the crypto bound --------------------------------------------------- */

struct crypto_ops {
	double verify, sign, derive, keygen, sha;	/* seconds, summed */
	double hostid;		/* HOST_ID decode, with key validation */
	double check_full, check_quick;	/* EVP_PKEY_public_check(_quick) */
	double dh_check;	/* hip_dh_check_public P-256 */
	unsigned n;
};

/* n rounds of each required operation, with the identity type of the
 * exchange: verify (I2's signature, the peer's public key as the engine
 * decodes it), ECDH derive with point check, sign (R2); also the
 * initiator-only DH keygen and one SHA-256 of a puzzle input. */
static int crypto_round(const struct hip_identity *priv,
			const struct hip_identity *peer_pub,
			const struct hip_identity *peer_priv,
			struct hip_dh *dh, uint8_t (*pubs)[HIP_DH_MAX_PUBLIC_LEN],
			size_t n_pubs, size_t pub_len, unsigned n,
			struct crypto_ops *o)
{
	uint8_t msg_i2[700], msg_r2[300], sig[1024], k[HIP_DH_MAX_SECRET_LEN];
	uint8_t sig_i2[1024], puz[48], md[EVP_MAX_MD_SIZE];
	size_t sl, sl_i2, kl;
	unsigned mdl;
	double t;
	int r = 0;

	memset(msg_i2, 0x5a, sizeof(msg_i2));
	memset(msg_r2, 0xa5, sizeof(msg_r2));
	memset(puz, 0x33, sizeof(puz));
	r = hip_sign(peer_priv, msg_i2, sizeof(msg_i2), sig_i2,
		     sizeof(sig_i2), &sl_i2, NULL);
	if (r)
		return r;
	uint16_t algo = (uint16_t)hip_identity_algo(peer_pub);

	t = now_s();
	for (unsigned i = 0; i < n && r == 0; i++)
		r = hip_verify(peer_pub, algo, msg_i2, sizeof(msg_i2), sig_i2,
			       sl_i2);
	o->verify += now_s() - t;
	t = now_s();
	for (unsigned i = 0; i < n && r == 0; i++)
		r = hip_dh_derive(dh, pubs[i % n_pubs], pub_len, k, sizeof(k),
				  &kl);
	o->derive += now_s() - t;
	t = now_s();
	for (unsigned i = 0; i < n && r == 0; i++)
		r = hip_sign(priv, msg_r2, sizeof(msg_r2), sig, sizeof(sig),
			     &sl, NULL);
	o->sign += now_s() - t;
	t = now_s();
	for (unsigned i = 0; i < n && r == 0; i++) {
		struct hip_dh *g;

		r = hip_dh_generate(HIP_DH_NIST_P256, &g);
		hip_dh_free(g);
	}
	o->keygen += now_s() - t;
	t = now_s();
	for (unsigned i = 0; i < n * 64 && r == 0; i++) {
		puz[0] = (uint8_t)i;
		if (!EVP_Digest(puz, sizeof(puz), md, &mdl, EVP_sha256(),
				NULL))
			r = HIP_ECRYPTO;
	}
	o->sha += (now_s() - t) / 64;
	{
		static uint8_t hid[HIP_HOSTID_MAX_LEN];
		size_t hl = 0;

		if (r == 0)
			r = hip_hostid_encode(peer_pub, HIP_DI_NONE, NULL, 0,
					      hid, sizeof(hid), &hl);
		t = now_s();
		for (unsigned i = 0; i < n && r == 0; i++) {
			struct hip_identity *d = NULL;

			r = hip_hostid_decode(hid, hl, NULL, &d);
			hip_identity_free(d);
		}
		o->hostid += now_s() - t;
	}
	{
		/* What the HOST_ID decode spends on key validation: the
		 * full check (EC: also n*Q = O; RSA: SP 800-56B, with a
		 * compositeness test of n) next to the quick one. */
		EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL,
							     peer_pub->pkey,
							     NULL);

		t = now_s();
		for (unsigned i = 0; i < n && c != NULL; i++)
			EVP_PKEY_public_check(c);
		o->check_full += now_s() - t;
		t = now_s();
		for (unsigned i = 0; i < n && c != NULL; i++)
			EVP_PKEY_public_check_quick(c);
		o->check_quick += now_s() - t;
		EVP_PKEY_CTX_free(c);
		t = now_s();
		for (unsigned i = 0; i < n && r == 0; i++)
			r = hip_dh_check_public(HIP_DH_NIST_P256,
						pubs[i % n_pubs], pub_len);
		o->dh_check += now_s() - t;
	}
	o->n += n;
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* --- benchmark 1 and 3: exchanges ---------------------------------------- */

static int bench_exchange(enum hip_key_type type, unsigned n, int quick,
			  int latency)
{
	struct host resp = { 0 };
	struct hip_identity **ids, *rid = NULL, *pub = NULL;
	struct hip_dh *dh = NULL;
	static uint8_t pubs[32][HIP_DH_MAX_PUBLIC_LEN];
	size_t pub_len = 0, n_ids;
	struct crypto_ops co = { 0 };
	double resp_s = 0, *lat;
	uint64_t now = 1000000;
	unsigned done = 0, rounds = quick ? 1 : 4;

	resp_i1_s = resp_i2_s = 0;
	resp_allocs = 0;
	unsigned bits = type == HIP_KEY_RSA ? 3072 : 0;
	int r;

	/* Fresh initiator identities; RSA keys are slow to make, so a few
	 * are reused (the responder still does all of the I2's work: an
	 * I2 with a new puzzle solution replaces the association). */
	n_ids = type == HIP_KEY_RSA ? 2 : n;
	ids = calloc(n_ids, sizeof(*ids));
	lat = calloc(n, sizeof(*lat));
	if (ids == NULL || lat == NULL)
		return HIP_ENOMEM;
	r = hip_identity_generate(type, bits, &rid);
	for (size_t i = 0; i < n_ids && r == 0; i++)
		r = hip_identity_generate(type, bits, &ids[i]);
	if (r == 0)
		r = hip_identity_dup_public(ids[0], &pub);
	if (r == 0)
		r = hip_dh_generate(HIP_DH_NIST_P256, &dh);
	for (size_t i = 0; i < 32 && r == 0; i++) {
		struct hip_dh *g;

		r = hip_dh_generate(HIP_DH_NIST_P256, &g);
		if (r == 0)
			r = hip_dh_public(g, pubs[i], sizeof(pubs[i]),
					  &pub_len);
		hip_dh_free(g);
	}
	config_for(&resp.cfg, rid);
	resp.cfg.max_assocs = n + 16;
	if (r == 0)
		r = host_start(&resp, "2001:db8::2", now);
	if (r) {
		fprintf(stderr, "bench_hip: setup failed: %d\n", r);
		failures++;
		goto out;
	}
	for (unsigned round = 0; round < rounds; round++) {
		unsigned end = n * (round + 1) / rounds;

		for (; done < end; done++) {
			double rs, ts;

			r = exchange(&resp, ids[done % n_ids], &now, &rs, &ts);
			CHECK(r == 0, "exchange %u (%s): %d", done,
			      hip_key_type_name(type), r);
			if (r)
				goto out;
			resp_s += rs;
			lat[done] = ts;
		}
		r = crypto_round(rid, pub, ids[0], dh, pubs, 32, pub_len,
				 n / rounds ? n / rounds : 1, &co);
		CHECK(r == 0, "crypto bound: %d", r);
		if (r)
			goto out;
	}
	{
		size_t na = 0;
		double per_x = resp_s / n;
		double v = co.verify / co.n, s = co.sign / co.n;
		double d = co.derive / co.n, g = co.keygen / co.n;
		double bound = v + d + s, hd = co.hostid / co.n;

		hip_engine_assoc_list(resp.e, NULL, 0, &na);
		printf("exchange %-12s %6u exchanges  responder %8.1f/s "
		       "(%6.1f us)  crypto bound %8.1f/s (%6.1f us)  "
		       "ratio %.2f\n", hip_key_type_name(type), n, 1 / per_x,
		       per_x * 1e6, 1 / bound, bound * 1e6, bound / per_x);
		printf("  responder per exchange: I1 %.1f us, I2 %.1f us; "
		       "associations %zu\n", resp_i1_s / n * 1e6,
		       resp_i2_s / n * 1e6, na);
		printf("  per op: verify %.1f us, ECDH P-256 derive %.1f us, "
		       "sign %.1f us; DH keygen %.1f us, SHA-256(48) %.2f us, "
		       "HOST_ID decode %.1f us (bound with it %.1f/s, ratio "
		       "%.2f)\n", v * 1e6, d * 1e6, s * 1e6, g * 1e6,
		       co.sha / co.n * 1e6, hd * 1e6, 1 / (bound + hd),
		       (bound + hd) / per_x);
		printf("  key validation: peer key public_check %.1f us, "
		       "_quick %.1f us; P-256 DH value check (inside derive) "
		       "%.1f us; responder allocations per exchange %.0f\n",
		       co.check_full / co.n * 1e6, co.check_quick / co.n * 1e6,
		       co.dh_check / co.n * 1e6, (double)resp_allocs / n);
		if (latency) {
			/* Both sides' required crypto, sequentially: R1
			 * verify, DH keygen, derive, puzzle (2^K hashes
			 * expected), I2 sign | I2 verify, derive, R2 sign |
			 * R2 verify. */
			double lb = 3 * v + 2 * s + 2 * d + g +
				    (double)(1u << resp.cfg.puzzle_k) *
				    co.sha / co.n;

			qsort(lat, n, sizeof(*lat), cmp_double);
			printf("latency  %-12s %6u exchanges in-process "
			       "(virtual network, real crypto, K=%u): median "
			       "%.0f us, p99 %.0f us; crypto bound %.0f us, "
			       "ratio %.2f\n", hip_key_type_name(type), n,
			       resp.cfg.puzzle_k, lat[n / 2] * 1e6,
			       lat[(size_t)(n * 0.99) < n ?
				   (size_t)(n * 0.99) : n - 1] * 1e6,
			       lb * 1e6, lb / lat[n / 2]);
		}
	}
out:
	hip_engine_free(resp.e);
	hip_dh_free(dh);
	hip_identity_free(pub);
	for (size_t i = 0; i < n_ids; i++)
		hip_identity_free(ids[i]);
	hip_identity_free(rid);
	free(ids);
	free(lat);
	return r;
}

/* --- benchmark 2: I1s --------------------------------------------------- */

#define I1_VARIANTS 4096

static int bench_i1(unsigned n, int quick)
{
	struct host resp = { 0 };
	struct hip_identity *rid = NULL, *iid = NULL;
	struct host ini = { 0 };
	static uint8_t i1s[I1_VARIANTS][256];
	static uint8_t out[HIP_MAX_PACKET];
	struct in6_addr src, dst;
	size_t i1_len = 0, r1_len = 0;
	unsigned long long a0, a1, r1s = 0;
	size_t h0, h1;
	double t, t_eng, t_floor;
	uint64_t now = 1000000;
	int r;

	(void)quick;
	r = hip_identity_generate(HIP_KEY_ECDSA_P256, 0, &rid);
	if (r == 0)
		r = hip_identity_generate(HIP_KEY_ECDSA_P256, 0, &iid);
	config_for(&resp.cfg, rid);
	resp.cfg.r1_per_sec = 0;	/* measure the work, not the limit */
	config_for(&ini.cfg, iid);
	if (r == 0)
		r = host_start(&resp, "2001:db8::2", now);
	if (r == 0)
		r = host_start(&ini, "2001:db8::1", now);
	if (r == 0)
		r = hip_engine_peer_add(ini.e, resp.hit, &resp.addr, 1);
	if (r == 0)
		r = hip_engine_acquire(ini.e, now, NULL, resp.hit);
	wire.n = 0;
	drain(&ini, 1, &wire);
	if (r == 0 && (wire.n != 1 || wire.p[0].len > sizeof(i1s[0])))
		r = HIP_EFORMAT;
	if (r) {
		fprintf(stderr, "bench_hip: i1 setup failed: %d\n", r);
		failures++;
		goto out;
	}
	/* The template I1 with a different sender HIT each (the last 8
	 * octets: prefix and OGA ID stay), checksums fixed. */
	src = wire.p[0].src;
	dst = wire.p[0].dst;
	i1_len = wire.p[0].len;
	for (unsigned v = 0; v < I1_VARIANTS; v++) {
		memcpy(i1s[v], wire.p[0].data, i1_len);
		for (int b = 0; b < 4; b++)
			i1s[v][8 + 12 + b] = (uint8_t)(v >> (8 * b));
		i1s[v][8 + 11] ^= 0x5a;
		hip_packet_set_checksum(i1s[v], i1_len, &src, &dst);
	}
	/* Warm up, then measure. */
	for (unsigned i = 0; i < 64; i++) {
		hip_engine_recv(resp.e, now, &src, &dst, i1s[i], i1_len);
		drain(&resp, 0, NULL);
	}
	h0 = heap_in_use();
	a0 = n_allocs;
	t = now_s();
	for (unsigned i = 0; i < n; i++) {
		hip_engine_recv(resp.e, now, &src, &dst,
				i1s[i % I1_VARIANTS], i1_len);
		while (hip_engine_next_action(resp.e, &act) == 1) {
			if (act.type == HIP_ACT_SEND &&
			    act.u.send.len > 2 &&
			    (act.u.send.pkt[2] & 0x7f) == HIP_R1) {
				r1s++;
				r1_len = act.u.send.len;
			}
		}
		if ((i & 1023) == 1023)
			now++;
	}
	t_eng = now_s() - t;
	a1 = n_allocs;
	h1 = heap_in_use();
	CHECK(r1s == n, "i1: %llu R1s for %u I1s", r1s, n);
	/* The floor of the same work: verify the I1's checksum, copy a
	 * packet of the R1's size out, checksum it. */
	t = now_s();
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *p = i1s[i % I1_VARIANTS];

		if (hip_packet_verify_checksum(p, i1_len, &src, &dst))
			r1s--;
		memcpy(out, p, i1_len);
		memset(out + i1_len, (int)i, r1_len - i1_len);
		hip_packet_set_checksum(out, r1_len, &dst, &src);
		memcpy(&act.u.send.pkt, out, r1_len);
	}
	t_floor = now_s() - t;
	/* The puzzle's #I is an HMAC-SHA-256 of 64 octets per I1: once
	 * through libhipcore (EVP_Q_mac: fetch and context every call),
	 * once with one EVP_MAC_CTX kept and re-initialised. */
	{
		static const uint8_t key[32] = { 1 };
		uint8_t m[64] = { 0 }, mac[64];
		size_t ml;
		unsigned long long b0, b1, c0, c1;
		double t_q, t_c;
		EVP_MAC *hm = EVP_MAC_fetch(NULL, "HMAC", NULL);
		EVP_MAC_CTX *mc = hm ? EVP_MAC_CTX_new(hm) : NULL;
		OSSL_PARAM prm[2] = {
			OSSL_PARAM_construct_utf8_string("digest",
							 (char *)"SHA256", 0),
			OSSL_PARAM_construct_end()
		};
		unsigned nm = n / 4 ? n / 4 : 1;

		if (mc == NULL || !EVP_MAC_init(mc, key, sizeof(key), prm))
			r = HIP_ECRYPTO;
		b0 = n_allocs;
		t = now_s();
		for (unsigned i = 0; i < nm && r == 0; i++) {
			m[0] = (uint8_t)i;
			r = hip_auth_hmac(HIP_HIT_SUITE_RSA_DSA_SHA256, key,
					  sizeof(key), m, sizeof(m), mac,
					  sizeof(mac), &ml);
		}
		t_q = (now_s() - t) / nm;
		b1 = n_allocs;
		c0 = n_allocs;
		t = now_s();
		for (unsigned i = 0; i < nm && r == 0; i++) {
			m[0] = (uint8_t)i;
			if (!EVP_MAC_init(mc, NULL, 0, NULL) ||
			    !EVP_MAC_update(mc, m, sizeof(m)) ||
			    !EVP_MAC_final(mc, mac, &ml, sizeof(mac)))
				r = HIP_ECRYPTO;
		}
		t_c = (now_s() - t) / nm;
		c1 = n_allocs;
		EVP_MAC_CTX_free(mc);
		EVP_MAC_free(hm);
		CHECK(r == 0, "i1: HMAC baseline: %d", r);
		printf("i1       %u I1s from %u HITs: %.0f I1/s answered "
		       "(%.2f us)\n", n, I1_VARIANTS, n / t_eng,
		       t_eng / n * 1e6);
		printf("  floor: checksum in, copy, checksum out %.2f us; + "
		       "#I HMAC via hip_auth_hmac %.2f us (%.0f/s, ratio "
		       "%.2f, %.1f allocations); + #I HMAC on a kept "
		       "EVP_MAC_CTX %.2f us (%.0f/s, ratio %.2f, %.1f "
		       "allocations)\n", t_floor / n * 1e6,
		       (t_floor / n + t_q) * 1e6, 1 / (t_floor / n + t_q),
		       (t_floor / n + t_q) / (t_eng / n),
		       (double)(b1 - b0) / nm,
		       (t_floor / n + t_c) * 1e6, 1 / (t_floor / n + t_c),
		       (t_floor / n + t_c) / (t_eng / n),
		       (double)(c1 - c0) / nm);
	}
	printf("  allocations per I1: %.2f%s; heap change over the run: "
	       "%lld bytes; I1 %zu octets, R1 %zu octets\n",
	       BENCH_COUNT_ALLOCS ? (double)(a1 - a0) / n : 0.0,
	       BENCH_COUNT_ALLOCS ? "" : " (not counted under ASan)",
	       (long long)h1 - (long long)h0, i1_len, r1_len);
out:
	hip_engine_free(ini.e);
	hip_engine_free(resp.e);
	hip_identity_free(iid);
	hip_identity_free(rid);
	return r;
}

/* --- benchmark 4: memory per association --------------------------------- */

static int bench_memory(unsigned n)
{
	struct host resp = { 0 };
	struct hip_identity *rid = NULL, *id = NULL, *pubs[64];
	uint64_t now = 1000000;
	size_t h0 = 0, h1, h2, hp0, hp1;
	unsigned warm = 16;
	double rs, ts, t = 0;
	int r;

	r = hip_identity_generate(HIP_KEY_ECDSA_P256, 0, &rid);
	config_for(&resp.cfg, rid);
	resp.cfg.max_assocs = n + warm + 16;
	if (r == 0)
		r = host_start(&resp, "2001:db8::2", now);
	for (unsigned i = 0; i < warm + n && r == 0; i++) {
		if (i == warm) {
			h0 = heap_in_use();
			t = now_s();
		}
		r = hip_identity_generate(HIP_KEY_ECDSA_P256, 0, &id);
		if (r == 0)
			r = exchange(&resp, id, &now, &rs, &ts);
		hip_identity_free(id);
		id = NULL;
	}
	CHECK(r == 0, "memory: exchange failed: %d", r);
	if (r)
		goto out;
	h1 = heap_in_use();
	t = now_s() - t;
	/* R2-SENT -> ESTABLISHED (r2_sent_ms later). */
	now += resp.cfg.r2_sent_ms + 1;
	while (hip_engine_next_timeout(resp.e) <= now) {
		hip_engine_timeout(resp.e, now);
		drain(&resp, 0, NULL);
	}
	h2 = heap_in_use();
	{
		struct hip_engine_stats st;

		hip_engine_get_stats(resp.e, &st);
		CHECK(st.exchanges_completed >= n,
		      "memory: %llu of %u established",
		      (unsigned long long)st.exchanges_completed, n);
	}
	/* The baseline: what the peer's public key alone takes (the
	 * EVP_PKEY the association keeps for NOTIFY/CLOSE checks). */
	r = hip_identity_generate(HIP_KEY_ECDSA_P256, 0, &id);
	hp0 = heap_in_use();
	for (int i = 0; i < 64 && r == 0; i++)
		r = hip_identity_dup_public(id, &pubs[i]);
	hp1 = heap_in_use();
	for (int i = 0; i < 64 && r == 0; i++)
		hip_identity_free(pubs[i]);
	printf("memory   %u associations (ECDSA P-256, %.1f s to set up): "
	       "%.0f bytes/association in R2-SENT, %.0f once ESTABLISHED\n",
	       n, t, ((double)h1 - (double)h0) / n,
	       ((double)h2 - (double)h0) / n);
	printf("  of which fixed: sizeof(struct hip_assoc) %zu bytes "
	       "(peer_host_id %zu + last_pkt %zu); the peer's public key "
	       "(hip_identity_dup_public) %.0f bytes\n",
	       sizeof(struct hip_assoc),
	       sizeof(((struct hip_assoc *)0)->peer_host_id),
	       sizeof(((struct hip_assoc *)0)->last_pkt),
	       ((double)hp1 - (double)hp0) / 64);
out:
	hip_identity_free(id);
	hip_engine_free(resp.e);
	hip_identity_free(rid);
	return r;
}

/* --- main --------------------------------------------------------------- */

/* --- rekeying (UPDATE) ------------------------------------------------ */

/* Deliver the wire between hosts h[0] and h[1] until it is quiet (new
 * packets are appended while delivering); counts UPDATE packets. */
static void rekey_deliver(struct host *h, uint64_t now, unsigned *updates)
{
	for (size_t k = 0; k < wire.n; k++) {
		struct host *to = &h[wire.p[k].to];

		if ((wire.p[k].data[2] & 0x7f) == HIP_UPDATE)
			(*updates)++;
		hip_engine_recv(to->e, now, &wire.p[k].src, &wire.p[k].dst,
				wire.p[k].data, wire.p[k].len);
		drain(to, to == &h[0] ? 1 : 0, &wire);
	}
	wire.n = 0;
}

/* One association between two fresh engines (ECDSA P-256), then n
 * rekeys alternately started by either end: time per rekey (both
 * engines, in-process) and UPDATE packets per rekey. */
static int rekey_round(const struct hip_identity *const *id, bool dh,
		       unsigned n, int quick)
{
	struct host *h = calloc(2, sizeof(*h));
	struct hip_engine_stats s0, s1;
	unsigned updates = 0;
	uint64_t now = 1000;
	double t0, t;
	int r = 0;

	if (h == NULL)
		return HIP_ENOMEM;
	for (int i = 0; i < 2 && r == 0; i++) {
		config_for(&h[i].cfg, id[i]);
		h[i].cfg.rekey_new_dh = dh;
		r = host_start(&h[i], i ? "2001:db8::2" : "2001:db8::1", now);
	}
	if (r == 0)
		r = hip_engine_peer_add(h[0].e, h[1].hit, &h[1].addr, 1);
	if (r == 0) {
		wire.n = 0;
		r = hip_engine_acquire(h[0].e, now, NULL, h[1].hit);
		drain(&h[0], 1, &wire);
		rekey_deliver(h, now, &updates);
		now += 60000;	/* R2-SENT ends */
		hip_engine_timeout(h[1].e, now);
		drain(&h[1], 0, &wire);
		updates = 0;
	}
	t = 0;
	for (unsigned k = 0; k < n && r == 0; k++) {
		int i = (int)(k & 1);

		t0 = now_s();
		r = hip_engine_rekey(h[i].e, now, NULL, h[1 - i].hit);
		drain(&h[i], 1 - i, &wire);
		rekey_deliver(h, now, &updates);
		t += now_s() - t0;
		/* Untimed: the old SAs go (and R1s rotate). */
		now += 20000;
		for (int j = 0; j < 2; j++) {
			hip_engine_timeout(h[j].e, now);
			drain(&h[j], 1 - j, NULL);
		}
	}
	hip_engine_get_stats(h[0].e, &s0);
	hip_engine_get_stats(h[1].e, &s1);
	CHECK(r == 0 && s0.rekeys_completed == n && s1.rekeys_completed == n,
	      "rekey: %llu of %u completed (%s)",
	      (unsigned long long)s0.rekeys_completed, n, hip_strerror(r));
	if (n > 0)
		printf("rekey    %u rekeys %-11s %8.1f us per rekey (both "
		       "ends), %.2f UPDATE packets per rekey%s\n", n,
		       dh ? "with new DH" : "without DH", t * 1e6 / n,
		       (double)updates / n, quick ? " (quick)" : "");
	for (int i = 0; i < 2; i++)
		hip_engine_free(h[i].e);
	free(h);
	return r;
}

static int bench_rekey(unsigned n, int quick)
{
	struct hip_identity *id[2] = { NULL, NULL };
	int r = 0;

	for (int i = 0; i < 2 && r == 0; i++)
		r = hip_identity_generate(HIP_KEY_ECDSA_P256, 0, &id[i]);
	if (r == 0)
		r = rekey_round((const struct hip_identity *const *)id, false,
				n, quick);
	if (r == 0)
		r = rekey_round((const struct hip_identity *const *)id, true,
				n, quick);
	for (int i = 0; i < 2; i++)
		hip_identity_free(id[i]);
	CHECK(r == 0, "rekey: %s", hip_strerror(r));
	return r;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_hip [--quick] [--n N] "
		"[--rsa] exchange|i1|memory|rekey|all\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned n = 0;
	int quick = 0, rsa = 0, i;
	const char *what = "all";

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--rsa") == 0)
			rsa = 1;
		else if (strcmp(argv[i], "--n") == 0 && i + 1 < argc)
			n = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (argv[i][0] != '-')
			what = argv[i];
		else
			usage();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (quick)
		printf("bench_hip --quick: smoke run, the figures mean "
		       "nothing\n");
	if (!strcmp(what, "exchange") || !strcmp(what, "all")) {
		unsigned ne = n ? n : quick ? 8 : 2000;

		bench_exchange(HIP_KEY_ECDSA_P256, ne, quick, 0);
		bench_exchange(HIP_KEY_ECDSA_P256, n ? n : quick ? 8 : 500,
			       quick, 1);
		bench_exchange(HIP_KEY_ED25519, ne, quick, 0);
		if (rsa)	/* key generation takes seconds */
			bench_exchange(HIP_KEY_RSA, n ? n : 200, quick, 0);
	}
	if (!strcmp(what, "i1") || !strcmp(what, "all"))
		bench_i1(n ? n : quick ? 2000 : 200000, quick);
	if (!strcmp(what, "memory") || !strcmp(what, "all"))
		bench_memory(n ? n : quick ? 32 : 10000);
	if (!strcmp(what, "rekey") || !strcmp(what, "all"))
		bench_rekey(n ? n : quick ? 4 : 1000, quick);
	if (strcmp(what, "exchange") && strcmp(what, "i1") &&
	    strcmp(what, "memory") && strcmp(what, "rekey") &&
	    strcmp(what, "all"))
		usage();
	return failures ? 1 : 0;
}
