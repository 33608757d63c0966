/*
 * hipd/kernel.h - the kernel IPsec interface of hipd: a small ops table
 * with one implementation per kernel API ("xfrm": XFRM netlink, the
 * default), parameter structs, and the events the kernel reports.
 *
 * What hipd installs is BEET-mode ESP (RFC 7402 App. B): an SA joins an
 * inner address pair (HITs, or LSIs) to an outer one (locators); a
 * policy sends the traffic of an inner pair through such an SA.
 *
 * Ownership.  Every SA hipd installs has a reqid in HIP_KERNEL_REQID_MIN
 * .. HIP_KERNEL_REQID_MAX ("HI" in the upper 16 bits) and every policy a
 * priority in HIP_KERNEL_PRIO_MIN .. HIP_KERNEL_PRIO_MAX.  flush_owned
 * removes exactly the SAs and policies in those ranges, so hipd clears
 * what a crashed instance left behind and never touches the state of
 * other key managers (strongSwan, libreswan, ip xfrm).
 *
 * Conventions: functions return 0 or a negative HIP_E* code and change
 * nothing in the kernel when they fail.  Addresses are in network byte
 * order, SPIs and other numbers in host byte order.  Keys are copied
 * into the request, which is wiped after sending; the caller wipes its
 * own struct hip_kernel_sa (hip_kernel_sa_wipe()).
 */
#ifndef HIPD_KERNEL_H
#define HIPD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Ownership marks (see above). */
#define HIP_KERNEL_REQID_MIN	0x48490000u
#define HIP_KERNEL_REQID_MAX	0x4849ffffu
#define HIP_KERNEL_REQID(n)	(HIP_KERNEL_REQID_MIN | ((n) & 0xffffu))
#define HIP_KERNEL_REQID_OWNED(r) \
	((r) >= HIP_KERNEL_REQID_MIN && (r) <= HIP_KERNEL_REQID_MAX)
/* Reserved reqids: the trigger policies and the probe's SAs. */
#define HIP_KERNEL_REQID_TRIGGER HIP_KERNEL_REQID(0)
#define HIP_KERNEL_REQID_PROBE	HIP_KERNEL_REQID(0xffff)

/* Policy priorities: lower value wins in the kernel, so per-association
 * policies (PRIO_ASSOC) beat the /28 trigger policies (PRIO_TRIGGER). */
#define HIP_KERNEL_PRIO_MIN	0x48490000u
#define HIP_KERNEL_PRIO_MAX	0x4849ffffu
#define HIP_KERNEL_PRIO_ASSOC	0x48490100u
#define HIP_KERNEL_PRIO_TRIGGER	0x48490200u
#define HIP_KERNEL_PRIO_OWNED(p) \
	((p) >= HIP_KERNEL_PRIO_MIN && (p) <= HIP_KERNEL_PRIO_MAX)

#define HIP_KERNEL_KEY_MAX	64	/* bytes, enc and auth key each */
#define HIP_KERNEL_SPI_MIN	256	/* 1..255 are reserved (RFC 4303) */
#define HIP_KERNEL_REPLAY_DEFAULT 64	/* packets, when 0 is given */
#define HIP_KERNEL_REPLAY_MAX	4096
#define HIP_KERNEL_MIGRATE_MAX	6	/* entries in a MIGRATE event */
#define HIP_KERNEL_ERRMSG_MAX	160

/* The HIT prefix of ORCHIDv2 (RFC 7343): 2001:20::/28. */
#define HIP_KERNEL_HIT_PREFIX_LEN 28

enum hip_kernel_dir {
	HIP_KERNEL_DIR_IN = 0,	/* = XFRM_POLICY_IN */
	HIP_KERNEL_DIR_OUT = 1,	/* = XFRM_POLICY_OUT */
};

/* An IPv4 or IPv6 address; IPv4 in v4, the rest of b zero. */
struct hip_kernel_ip {
	sa_family_t family;	/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	} a;
};

/* Inner selector: HITs (AF_INET6, /128) or LSIs (AF_INET, /32), or
 * prefixes of them (trigger policies). */
struct hip_kernel_sel {
	sa_family_t family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	} src, dst;
	uint8_t src_plen;
	uint8_t dst_plen;
};

/* Outer addresses (locators), as on the wire: source and destination.
 * family AF_UNSPEC means "none" (in events). */
struct hip_kernel_outer {
	sa_family_t family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	} src, dst;
};

struct hip_kernel_lifetime {
	uint64_t soft_bytes, hard_bytes;	/* 0 = no limit */
	uint64_t soft_seconds, hard_seconds;	/* since the SA was added */
};

/* add_sa flags */
#define HIP_KERNEL_SA_RESERVED	0x1	/* the SPI came from alloc_spi: turn
					 * that reservation into this SA */

/* A BEET-mode ESP SA.  inner and outer are as the packets carry them:
 * for an inbound SA the source is the peer. */
struct hip_kernel_sa {
	struct hip_kernel_sel inner;
	struct hip_kernel_outer outer;
	uint32_t spi;
	enum hip_kernel_dir dir;
	uint16_t suite;			/* RFC 7402 suite, enum hip_esp_suite */
	uint8_t enc_key[HIP_KERNEL_KEY_MAX];	/* GCM: key || 4-byte salt */
	size_t enc_key_len;
	uint8_t auth_key[HIP_KERNEL_KEY_MAX];
	size_t auth_key_len;
	uint32_t reqid;			/* must be HIP_KERNEL_REQID_OWNED */
	struct hip_kernel_lifetime lifetime;
	uint32_t replay_window;		/* packets; 0 = default */
	bool esn;			/* 64-bit sequence numbers (RFC 7402) */
	uint16_t encap_sport, encap_dport;	/* UDP encapsulation (RFC
						 * 5770); 0 = none */
	unsigned flags;			/* HIP_KERNEL_SA_* */
};

/* add_policy flags */
#define HIP_KERNEL_POLICY_REPLACE 0x1	/* replace an existing one */

/* A policy: traffic matching inner in direction dir goes through the
 * BEET SA with outer addresses outer and reqid reqid.  Outer addresses
 * may be unspecified (::) for an inbound policy: any SA then matches. */
struct hip_kernel_policy {
	struct hip_kernel_sel inner;
	enum hip_kernel_dir dir;
	struct hip_kernel_outer outer;
	uint32_t reqid;			/* 0 in an inbound policy: any */
	uint32_t priority;		/* must be HIP_KERNEL_PRIO_OWNED */
	unsigned flags;			/* HIP_KERNEL_POLICY_* */
};

/* Move an SA pair and its two policies to new locators without
 * rekeying (RFC 8046).  Given from the local host's point of view:
 * inner = local HIT -> peer HIT, old/new = local locator -> peer
 * locator.  reqid_out/reqid_in are those of the outbound/inbound SA. */
struct hip_kernel_migrate {
	struct hip_kernel_sel inner;
	struct hip_kernel_outer old_outer;
	struct hip_kernel_outer new_outer;
	uint32_t reqid_out;
	uint32_t reqid_in;
};

struct hip_kernel_sa_stats {
	uint64_t bytes, packets;
	uint64_t add_time, use_time;	/* seconds since the epoch; 0 = never */
	uint32_t replay_fails, integrity_fails;
};

enum hip_kernel_event_type {
	HIP_KEV_ACQUIRE = 1,	/* outbound traffic found no SA */
	HIP_KEV_EXPIRE = 2,	/* an SA reached a soft or hard limit */
	HIP_KEV_MIGRATE = 3,	/* someone migrated SAs and a policy */
	HIP_KEV_OVERRUN = 4,	/* the kernel dropped events (ENOBUFS):
				 * resynchronise */
};

struct hip_kernel_migrate_entry {
	struct hip_kernel_outer old_outer, new_outer;
	uint32_t reqid;
};

struct hip_kernel_event {
	enum hip_kernel_event_type type;
	union {
		struct {
			/* The flow: exact addresses (/128 or /32). */
			struct hip_kernel_sel inner;
			/* The policy template's outer addresses; AF_UNSPEC
			 * for the trigger policies (no locator known). */
			struct hip_kernel_outer outer;
			uint32_t reqid;		/* of the template */
			uint32_t policy_index;
			enum hip_kernel_dir policy_dir;
			uint32_t seq;		/* the kernel's acquire seq */
		} acquire;
		struct {
			struct hip_kernel_sel inner;
			struct hip_kernel_outer outer;
			uint32_t spi;
			uint32_t reqid;
			bool hard;		/* false: soft limit */
		} expire;
		struct {
			struct hip_kernel_sel inner;
			enum hip_kernel_dir dir;
			unsigned n;
			struct hip_kernel_migrate_entry e[HIP_KERNEL_MIGRATE_MAX];
		} migrate;
	} u;
};

typedef void (*hip_kernel_event_cb)(const struct hip_kernel_event *ev,
				    void *arg);

/* open flags */
#define HIP_KERNEL_OPEN_NOPROBE	0x1	/* do not require ESP (tests of the
					 * signalling side without ESP) */
#define HIP_KERNEL_OPEN_NOEVENTS 0x2	/* no event socket */

struct hip_kernel;

/*
 * A backend.  Every function but probe, open and close takes the handle
 * that open returned.  Unless noted they return 0 or a negative HIP_E*
 * code: HIP_EEXIST, HIP_ENOENT, HIP_EINVAL (bad arguments, or the kernel
 * refused them), HIP_EUNSUPPORTED (the kernel lacks a feature),
 * HIP_EPERM (needs CAP_NET_ADMIN), HIP_EIO (errno is kept).  After a
 * kernel refusal hip_kernel_errmsg() has the kernel's explanation.
 */
struct hip_kernel_ops {
	const char *name;
	/* Whether the running kernel can carry HIP traffic: the API works
	 * and ESP with BEET is there.  On failure why says which kernel
	 * piece is missing and how to get it. */
	int (*probe)(struct hip_kernel *k, char *why, size_t whycap);
	/* On failure why (if not NULL) says what is missing. */
	int (*open)(struct hip_kernel **kp, unsigned flags, char *why,
		    size_t whycap);
	void (*close)(struct hip_kernel *k);
	/* Reserve a free inbound SPI in [min, max] (min >= 256) for the SA
	 * outer->src -> outer->dst (outer->dst is local).  The kernel keeps
	 * the reservation for net.core.xfrm_acq_expires seconds (30 by
	 * default; it then reports a hard EXPIRE with that SPI and reqid);
	 * add_sa with HIP_KERNEL_SA_RESERVED fills it in.  Each call
	 * reserves another SPI, also for the same outer and reqid. */
	int (*alloc_spi)(struct hip_kernel *k, const struct hip_kernel_outer *outer,
			 uint32_t reqid, uint32_t min, uint32_t max,
			 uint32_t *spi);
	int (*add_sa)(struct hip_kernel *k, const struct hip_kernel_sa *sa);
	/* Delete the SA (dst, spi); dst is the outer destination. */
	int (*del_sa)(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		      uint32_t spi);
	int (*get_sa_stats)(struct hip_kernel *k, const struct hip_kernel_ip *dst,
			    uint32_t spi, struct hip_kernel_sa_stats *st);
	int (*add_policy)(struct hip_kernel *k, const struct hip_kernel_policy *p);
	int (*del_policy)(struct hip_kernel *k, const struct hip_kernel_sel *inner,
			  enum hip_kernel_dir dir);
	/* Both directions, or neither (the outbound move is undone when
	 * the inbound one fails).  HIP_ENOENT when a direction has no
	 * policy for the pair; a 6.18 kernel then picks the trigger policy
	 * covering it and fails with ENODATA (no template to move), which
	 * maps to HIP_ENOENT too.  Needs CONFIG_XFRM_MIGRATE. */
	int (*migrate)(struct hip_kernel *k, const struct hip_kernel_migrate *m);
	/* Delete every owned SA and policy (nothing else); *count, if not
	 * NULL, gets how many were deleted. */
	int (*flush_owned)(struct hip_kernel *k, unsigned *count);
	/* A non-blocking fd that becomes readable when events wait; -1 if
	 * opened with HIP_KERNEL_OPEN_NOEVENTS. */
	int (*event_fd)(struct hip_kernel *k);
	/* Decode the waiting events (at most max) and hand each to cb;
	 * returns how many were handled (0: none waiting) or an error. */
	int (*read_events)(struct hip_kernel *k, unsigned max,
			   hip_kernel_event_cb cb, void *arg);
};

/* Every backend's handle starts with this. */
struct hip_kernel {
	const struct hip_kernel_ops *ops;
	char errmsg[HIP_KERNEL_ERRMSG_MAX];	/* last kernel explanation */
};

/* --- kernel.c: backend selection and helpers --- */

/* The backend called name (NULL: the default, "xfrm"), or NULL. */
const struct hip_kernel_ops *hip_kernel_find(const char *name);

/* Open the backend called name (NULL: default) and, unless flags has
 * HIP_KERNEL_OPEN_NOPROBE, probe it; on a failed probe the handle is
 * closed and why (if not NULL) explains.  HIP_ENOENT: no such backend. */
int hip_kernel_open(const char *name, unsigned flags, struct hip_kernel **kp,
		    char *why, size_t whycap);
void hip_kernel_close(struct hip_kernel *k);

/* The kernel's explanation of the last refused request, or "". */
const char *hip_kernel_errmsg(const struct hip_kernel *k);

/* The key lengths (bytes) a suite needs; GCM suites are AES-128 and
 * their enc length includes the 4-byte salt.  HIP_EUNSUPPORTED for
 * suites the kernel backends cannot install. */
int hip_kernel_suite_keylens(uint16_t suite, size_t *enc_len, size_t *auth_len);

/* Fill the two policies that make traffic to any HIT trigger ACQUIRE
 * and let only ESP-protected traffic in:
 *   out: 2001:20::/28 -> 2001:20::/28, outer family outer_family,
 *        template source ::1 (or 127.0.0.1) and destination unspecified,
 *        reqid HIP_KERNEL_REQID_TRIGGER, priority HIP_KERNEL_PRIO_TRIGGER;
 *   in:  the same prefixes, unspecified outer addresses, reqid 0 (any
 *        BEET ESP SA satisfies it), same priority.
 * Why the placeholder source: with an unspecified template source the
 * kernel picks one by routing to the unspecified destination, which
 * fails with EHOSTUNREACH (the packet is refused, no ACQUIRE) on hosts
 * without a default route.  As no SA ever has the unspecified address
 * as destination, every new flow (per HIT pair and port pair) creates a
 * larval SA for xfrm_acq_expires seconds and emits one ACQUIRE; the
 * packet itself is dropped (net.core.xfrm_larval_drop=1).  Per
 * association policies (PRIO_ASSOC) take precedence over these. */
void hip_kernel_trigger_policies(sa_family_t outer_family,
				 struct hip_kernel_policy *out,
				 struct hip_kernel_policy *in);

/* Wipe the keys of sa (and the rest of it). */
void hip_kernel_sa_wipe(struct hip_kernel_sa *sa);

/* Forwarders: k->ops->fn(k, ...). */
int hip_kernel_alloc_spi(struct hip_kernel *k, const struct hip_kernel_outer *outer,
			 uint32_t reqid, uint32_t min, uint32_t max,
			 uint32_t *spi);
int hip_kernel_add_sa(struct hip_kernel *k, const struct hip_kernel_sa *sa);
int hip_kernel_del_sa(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		      uint32_t spi);
int hip_kernel_get_sa_stats(struct hip_kernel *k, const struct hip_kernel_ip *dst,
			    uint32_t spi, struct hip_kernel_sa_stats *st);
int hip_kernel_add_policy(struct hip_kernel *k, const struct hip_kernel_policy *p);
int hip_kernel_del_policy(struct hip_kernel *k, const struct hip_kernel_sel *inner,
			  enum hip_kernel_dir dir);
int hip_kernel_migrate(struct hip_kernel *k, const struct hip_kernel_migrate *m);
int hip_kernel_flush_owned(struct hip_kernel *k, unsigned *count);
int hip_kernel_event_fd(struct hip_kernel *k);
int hip_kernel_read_events(struct hip_kernel *k, unsigned max,
			   hip_kernel_event_cb cb, void *arg);

/* The registered backends.  "xfrm": XFRM netlink.  "pfkey": PF_KEY v2
 * (libpfkey) for SPI reservations, counters, deletion, the inbound
 * trigger policy, dumps, ACQUIRE/EXPIRE/X_MIGRATE and SADB_X_MIGRATE,
 * with XFRM netlink for what af_key cannot express for BEET: SAs (no
 * inner destination selector, 96-bit HMAC-SHA-256, no GCM, no ESN) and
 * policies with locators or a reqid (it drops a BEET template's
 * addresses and replaces reqids above 0x3fff).  pfkey's get_sa_stats
 * has no replay or integrity counts, and it hears X_MIGRATE only in
 * the initial network namespace (hipd/kernel_pfkey.c has the details). */
extern const struct hip_kernel_ops hip_kernel_xfrm_ops;
extern const struct hip_kernel_ops hip_kernel_pfkey_ops;

#endif
