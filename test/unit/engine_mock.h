/*
 * engine_mock.h - two (or more) engines in one process: a recording
 * mock network with a virtual clock, a mock SPI allocator and a record
 * of every action (SA installs and deletes, state changes).
 */
#ifndef TEST_ENGINE_MOCK_H
#define TEST_ENGINE_MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "hip/engine.h"
#include "hip/identity.h"

#define MOCK_HOSTS	2
#define MOCK_WIRE_MAX	64
#define MOCK_REC_MAX	32

struct mock_pkt {
	int from, to;			/* host indices */
	struct in6_addr src, dst;
	size_t len;
	uint8_t data[HIP_MAX_PACKET];
};

struct mock_net;

/* What to do with a packet about to be delivered. */
enum mock_verdict {
	MOCK_DELIVER = 0,
	MOCK_DROP,
	MOCK_DUPLICATE,		/* deliver twice */
	MOCK_HOLD,		/* keep it in net->held, do not deliver */
};
typedef enum mock_verdict (*mock_filter)(struct mock_net *n,
					 const struct mock_pkt *p);

struct mock_host {
	struct hip_engine *e;
	struct hip_engine_config cfg;
	struct in6_addr addr;
	uint8_t hit[16];
	uint32_t next_spi;
	uint32_t spis[MOCK_REC_MAX];	/* allocated inbound SPIs */
	size_t n_spis;
	struct hip_engine_action installs[MOCK_REC_MAX];
	size_t n_installs;
	struct hip_engine_action deletes[MOCK_REC_MAX];
	size_t n_deletes;
	struct hip_engine_action migrates[MOCK_REC_MAX];
	size_t n_migrates;
	/* Further addresses the host answers on (multihoming); addr is
	 * the one it sends from. */
	struct in6_addr extra[4];
	size_t n_extra;
	enum hip_engine_state states[MOCK_REC_MAX];	/* new states seen */
	size_t n_states;
	unsigned sent_by_type[128];
	uint16_t notify_types[64];	/* NOTIFICATION types sent */
	size_t n_notify;
	bool fail_spi;			/* alloc_spi fails */
};

struct mock_net {
	uint64_t now;
	struct mock_host h[MOCK_HOSTS];
	struct mock_pkt wire[MOCK_WIRE_MAX];
	size_t n_wire;
	struct mock_pkt held;		/* the last MOCK_HOLD packet */
	bool have_held;
	mock_filter filter;
	int filter_arg;			/* free for the filter */
	unsigned filter_count;		/* free for the filter */
	unsigned delivered;
	unsigned dropped;
	int verbose;
};

/* Generated once (call before forking tests): identity n (0..3) of a
 * type. */
const struct hip_identity *mock_identity(enum hip_key_type t, int n);

/* Fill cfg with test defaults: defaults plus a small puzzle and the
 * given identity. */
void mock_config(struct hip_engine_config *cfg,
		 const struct hip_identity *id);

/* Start net with host 0 at 2001:db8::1 and host 1 at 2001:db8::2 (or
 * 192.0.2.1/2 v4-mapped with v4), each with the config given; also
 * tells each engine the other's HIT and locator.  0 or an error. */
int mock_net_init(struct mock_net *n, const struct hip_engine_config *c0,
		  const struct hip_engine_config *c1, bool v4);
void mock_net_free(struct mock_net *n);

/* Collect the actions of host i (SENDs go on the wire). */
void mock_drain(struct mock_net *n, int i);

/* Deliver the first packet on the wire through the filter; returns
 * hip_engine_recv's result (0 when dropped or held), 1 for nothing on
 * the wire. */
int mock_deliver_one(struct mock_net *n);

/* Deliver p to its host now (bypassing the filter); returns the
 * result of hip_engine_recv. */
int mock_inject(struct mock_net *n, const struct mock_pkt *p);

/* Run until nothing is on the wire and no timer is due before
 * now + max_ms; timers are fired by advancing the clock. */
void mock_run(struct mock_net *n, uint64_t max_ms);

/* Deliver what is on the wire without advancing the clock. */
void mock_flush(struct mock_net *n);

/* Advance the clock to t and run both engines' timers. */
void mock_advance(struct mock_net *n, uint64_t t);

/* The association of host i with the other host; 0 or HIP_ENOENT. */
int mock_assoc(struct mock_net *n, int i, struct hip_engine_assoc_info *o);

/* The packet type of a HIP packet. */
static inline int mock_pkt_type(const struct mock_pkt *p)
{
	return p->len > 2 ? p->data[2] & 0x7f : 0;
}

/* Recompute the checksum after a test changed the packet. */
void mock_fix_checksum(struct mock_pkt *p);

/* Host i now has the addresses addrs[0..n) (addrs[0] is where it
 * sends from); packets to any other address of it are lost. */
void mock_set_addrs(struct mock_net *n, int i, const struct in6_addr *addrs,
		    size_t count);

/* An address from text ("2001:db8::7", "::ffff:192.0.2.9"). */
struct in6_addr mock_addr(const char *text);

/* Offset of the first parameter of type t in p (or 0). */
size_t mock_find_param(const struct mock_pkt *p, uint16_t type,
		       size_t *value_len);

#endif
