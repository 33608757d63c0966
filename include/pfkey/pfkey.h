/*
 * pfkey/pfkey.h - libpfkey, a PF_KEY v2 (RFC 2367) codec and socket
 * helpers for Linux, with Linux's SADB_X_* messages and extensions and
 * this project's SADB_X_REF extension.
 *
 * The library has no global state and depends only on libc and the
 * kernel's UAPI headers (<linux/pfkeyv2.h>, <linux/ipsec.h>), whose
 * numbers (SADB_*, SADB_EXT_*, SADB_X_*, IPSEC_MODE_*, ...) are used
 * unchanged.  Every value passed to or returned by the API is in host
 * byte order; the library converts where the wire format is in network
 * order (SPIs, NAT-T ports, the SADB_X_REF MPI).  Received bytes are
 * never cast to structs: the parser indexes a message in place and the
 * accessors copy fields into the host-order structs below.
 *
 * Errors: functions return 0 (or a count, where documented) on success
 * and a negative number on failure, which is either
 *   - a PFKEY_E* code below (all are < -4095), for what the library
 *     itself detects, or
 *   - minus an errno value, for a failed system call (-EAGAIN, -EPERM,
 *     ...) or an error the kernel reported in sadb_msg_errno of a reply
 *     (-ENOENT, -EEXIST, -EINVAL, ...).
 * pfkey_strerror() describes both.  A function that fails leaves its
 * outputs, the message being built and the socket as they were before
 * the call (a builder only remembers the error, see below).
 */
#ifndef PFKEY_PFKEY_H
#define PFKEY_PFKEY_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/pfkeyv2.h>
#include <linux/ipsec.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Error codes                                                         */

enum pfkey_err {
	PFKEY_OK = 0,
	PFKEY_EINVAL = -4096,	/* bad argument from the caller */
	PFKEY_ENOSPC = -4097,	/* output buffer too small */
	PFKEY_EVERSION = -4098,	/* sadb_msg_version is not PF_KEY_V2 */
	PFKEY_ELEN = -4099,	/* sadb_msg_len does not match the buffer,
				 * or bytes left over after the extensions */
	PFKEY_ETRUNC = -4100,	/* buffer shorter than a header, or an
				 * extension runs past the message */
	PFKEY_EZEROLEN = -4101,	/* extension with sadb_ext_len 0 */
	PFKEY_EUNKNOWN = -4102,	/* unknown extension or message type */
	PFKEY_EDUP = -4103,	/* extension type present twice */
	PFKEY_EEXT = -4104,	/* extension contents inconsistent (wrong
				 * size, sockaddr family/length, key bits,
				 * ipsecrequest or comb lengths, ...) */
	PFKEY_ENOTALLOWED = -4105, /* extension not allowed in this message
				    * type (PFKEY_PARSE_STRICT only) */
	PFKEY_ENOENT = -4106,	/* accessor: the extension is absent, or
				 * an index is out of range */
	PFKEY_ETIMEDOUT = -4107, /* no matching reply within the timeout */
	PFKEY_EREPLY = -4108,	/* the kernel's reply could not be parsed
				 * or is not the expected message */
	PFKEY_ENOMEM = -4109,	/* out of memory */
};

/* A short English description of a PFKEY_E* code or of -errno; never
 * NULL. */
const char *pfkey_strerror(int err);

/* Names of message and extension types for logs ("SADB_ADD",
 * "SADB_X_EXT_POLICY", ...); "unknown" for numbers the library does not
 * know.  Never NULL. */
const char *pfkey_msg_type_name(unsigned int type);
const char *pfkey_ext_type_name(unsigned int exttype);

/* ------------------------------------------------------------------ */
/* SADB_X_REF: the MSRD reference extension (this project's own)       */

/*
 * SADB_X_REF carries the Mobile Protocol Index (MPI) of a Mobile
 * Security Reference Database record, from the MSRD slides
 * ("Interfacing between IKEv2/IPsec & MIPv6 by simple PF_KEY
 * extensions") and draft-qi-mip6-ikev2-interfacing.  Neither defines a
 * wire layout or type number and no kernel implements it, so both are
 * this project's own:
 *
 *   offset  size  field
 *        0     2  sadb_x_ref_len      extension length in 64-bit words (2)
 *        2     2  sadb_x_ref_exttype  SADB_X_EXT_REF (32)
 *        4     1  sadb_x_ref_ver      PFKEY_X_REF_VERSION (1)
 *        5     1  sadb_x_ref_type     kind of record referred to
 *        6     2  sadb_x_ref_type_ext subtype, host order like every
 *                                     other 16-bit PF_KEY field
 *        8     8  sadb_x_ref_mpi      the MPI, network byte order
 *
 * The slide's own length and reserved fields are folded into the
 * standard sadb_ext header, which keeps the MPI 64-bit aligned.  The
 * MPI is in network order because it is an identifier exchanged
 * between daemons, not a counter the kernel does arithmetic on.
 *
 * The type number 32 is above Linux's last extension (SADB_X_EXT_FILTER,
 * 26, in 6.1) with room for a few more kernel extensions before it.  The
 * kernel rejects messages carrying it (af_key refuses types above
 * SADB_EXT_MAX), so SADB_X_REF is for messages between daemons (an
 * extended SADB_ACQUIRE above all), never for the PF_KEY socket.
 */
#define SADB_X_EXT_REF		32
#define PFKEY_X_REF_VERSION	1

struct sadb_x_ref {
	uint16_t sadb_x_ref_len;
	uint16_t sadb_x_ref_exttype;
	uint8_t sadb_x_ref_ver;
	uint8_t sadb_x_ref_type;
	uint16_t sadb_x_ref_type_ext;
	uint64_t sadb_x_ref_mpi;	/* network byte order */
} __attribute__((packed));
/* sizeof(struct sadb_x_ref) == 16 */

/* Highest extension type the parser knows, for index tables. */
#define PFKEY_EXT_TYPE_MAX	SADB_X_EXT_REF

/* Largest PF_KEY message: sadb_msg_len is a 16-bit count of 64-bit
 * words. */
#define PFKEY_MSG_MAX		(65535u * 8u)

/* Receive buffer the socket helpers allocate; a kernel message longer
 * than this is reported as PFKEY_ETRUNC.  Linux's messages are far
 * shorter (a dump entry is a few hundred bytes). */
#define PFKEY_RECV_BUF		65536u

/* ------------------------------------------------------------------ */
/* Host-order views of the extensions                                  */

/* An IPv4 or IPv6 socket address (port included where PF_KEY carries
 * one). */
union pfkey_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

/* SADB_EXT_SA.  spi in host order (network order on the wire). */
struct pfkey_sa {
	uint32_t spi;
	uint8_t replay;
	uint8_t state;		/* SADB_SASTATE_* */
	uint8_t auth;		/* SADB_AALG_*, SADB_X_AALG_* */
	uint8_t encrypt;	/* SADB_EALG_*, SADB_X_EALG_* */
	uint32_t flags;		/* SADB_SAFLAGS_* */
};

/* SADB_EXT_LIFETIME_CURRENT, _HARD, _SOFT. */
struct pfkey_lifetime {
	uint32_t allocations;
	uint64_t bytes;
	uint64_t addtime;	/* seconds */
	uint64_t usetime;	/* seconds */
};

/* SADB_EXT_ADDRESS_SRC, _DST, _PROXY and SADB_X_EXT_NAT_T_OA. */
struct pfkey_address {
	uint8_t proto;		/* IPPROTO_*, IPSEC_PROTO_ANY (255) = any */
	uint8_t prefixlen;	/* <= 32 (IPv4) or <= 128 (IPv6) */
	union pfkey_sockaddr addr;
};

/* SADB_EXT_KEY_AUTH, _ENCRYPT.  When parsed, data points into the
 * message buffer; len is (bits + 7) / 8.  Wipe the buffer after use. */
struct pfkey_key {
	uint16_t bits;
	const uint8_t *data;
	size_t len;
};

/* SADB_EXT_IDENTITY_SRC, _DST.  str points into the message (or is the
 * caller's, when building) and is not NUL-terminated; len excludes the
 * padding NULs. */
struct pfkey_ident {
	uint16_t type;		/* SADB_IDENTTYPE_* */
	uint64_t id;
	const char *str;
	size_t len;
};

/* SADB_EXT_SENSITIVITY.  The bitmaps are sens_len and integ_len 64-bit
 * words long, copied as they are (they are opaque to Linux). */
struct pfkey_sens {
	uint32_t dpd;
	uint8_t sens_level;
	uint8_t integ_level;
	const uint8_t *sens_bitmap;
	uint8_t sens_len;	/* 64-bit words */
	const uint8_t *integ_bitmap;
	uint8_t integ_len;	/* 64-bit words */
};

/* One struct sadb_comb of SADB_EXT_PROPOSAL. */
struct pfkey_comb {
	uint8_t auth;
	uint8_t encrypt;
	uint16_t flags;
	uint16_t auth_minbits;
	uint16_t auth_maxbits;
	uint16_t encrypt_minbits;
	uint16_t encrypt_maxbits;
	uint32_t soft_allocations;
	uint32_t hard_allocations;
	uint64_t soft_bytes;
	uint64_t hard_bytes;
	uint64_t soft_addtime;
	uint64_t hard_addtime;
	uint64_t soft_usetime;
	uint64_t hard_usetime;
};

/* One struct sadb_alg of SADB_EXT_SUPPORTED_AUTH/_ENCRYPT. */
struct pfkey_alg {
	uint8_t id;
	uint8_t ivlen;
	uint16_t minbits;
	uint16_t maxbits;
};

/* SADB_EXT_SPIRANGE (host order). */
struct pfkey_spirange {
	uint32_t min;
	uint32_t max;
};

/* SADB_X_EXT_SA2. */
struct pfkey_sa2 {
	uint8_t mode;		/* IPSEC_MODE_TRANSPORT/_TUNNEL/_BEET */
	uint32_t sequence;
	uint32_t reqid;
};

/* SADB_X_EXT_POLICY, without its ipsecrequests. */
struct pfkey_policy {
	uint16_t type;		/* IPSEC_POLICY_* */
	uint8_t dir;		/* IPSEC_DIR_* */
	uint32_t id;		/* kernel's policy index */
	uint32_t priority;
};

/* One struct sadb_x_ipsecrequest of an X_POLICY.  has_addrs says
 * whether the outer source and destination follow (Linux sends and
 * reads them for IPSEC_MODE_TUNNEL; X_MIGRATE pairs carry them too). */
struct pfkey_ipsecrequest {
	uint16_t proto;		/* IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP */
	uint8_t mode;		/* IPSEC_MODE_* */
	uint8_t level;		/* IPSEC_LEVEL_* */
	uint32_t reqid;
	int has_addrs;
	union pfkey_sockaddr src;	/* both of the same family */
	union pfkey_sockaddr dst;
};

/* SADB_X_EXT_SEC_CTX.  ctx points into the message when parsed. */
struct pfkey_sec_ctx {
	uint8_t alg;		/* 1 = SELinux */
	uint8_t doi;
	const uint8_t *ctx;
	uint16_t len;
};

/* SADB_X_EXT_KMADDRESS: the addresses the key daemon negotiates over
 * (X_MIGRATE).  Both of the same family. */
struct pfkey_kmaddress {
	union pfkey_sockaddr local;
	union pfkey_sockaddr remote;
};

/* SADB_X_EXT_FILTER (SADB_DUMP filter).  Addresses in network order as
 * on the wire (IPv4 in the first 4 bytes). */
struct pfkey_filter {
	uint16_t family;	/* AF_INET, AF_INET6 */
	uint8_t splen;
	uint8_t dplen;
	uint8_t saddr[16];
	uint8_t daddr[16];
};

/* SADB_X_EXT_REF (see above).  mpi in host order. */
struct pfkey_ref {
	uint8_t ver;		/* PFKEY_X_REF_VERSION when building */
	uint8_t type;
	uint16_t type_ext;
	uint64_t mpi;
};

/* ------------------------------------------------------------------ */
/* Builder                                                             */

/*
 * A builder writes one message into a caller buffer.  Extensions may be
 * added in any order, each type at most once (PFKEY_EDUP otherwise).
 * An add that fails writes nothing and returns the error; the builder
 * also keeps the first error, which pfkey_build_finish() returns, so a
 * caller may add everything and check once.  Fields are private.
 */
struct pfkey_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;
	uint64_t present;	/* bit t set: extension type t added */
};

/* Start a message: writes the sadb_msg header (version PF_KEY_V2,
 * errno 0).  cap must be at least 16 bytes; type 1..SADB_MAX. */
int pfkey_build_init(struct pfkey_builder *b, void *buf, size_t cap,
		     uint8_t type, uint8_t satype, uint32_t seq, uint32_t pid);

/* Finish: sets sadb_msg_len and stores the message length in *len.
 * Returns the first error of an earlier add, if any. */
int pfkey_build_finish(struct pfkey_builder *b, size_t *len);

/* SADB_EXT_SA. */
int pfkey_add_sa(struct pfkey_builder *b, const struct pfkey_sa *sa);

/* exttype: SADB_EXT_LIFETIME_CURRENT, _HARD or _SOFT. */
int pfkey_add_lifetime(struct pfkey_builder *b, uint16_t exttype,
		       const struct pfkey_lifetime *lt);

/* exttype: SADB_EXT_ADDRESS_SRC, _DST, _PROXY or SADB_X_EXT_NAT_T_OA.
 * addr is AF_INET or AF_INET6; prefixlen no longer than the address. */
int pfkey_add_address(struct pfkey_builder *b, uint16_t exttype,
		      uint8_t proto, uint8_t prefixlen,
		      const struct sockaddr *addr);

/* exttype: SADB_EXT_KEY_AUTH or _ENCRYPT.  bits may be 0 (null
 * algorithms); key must hold (bits + 7) / 8 bytes.  The key is copied
 * into the message: wipe the message buffer after use. */
int pfkey_add_key(struct pfkey_builder *b, uint16_t exttype,
		  const uint8_t *key, uint16_t bits);

/* exttype: SADB_EXT_IDENTITY_SRC or _DST; id->str may be NULL when
 * id->len is 0. */
int pfkey_add_identity(struct pfkey_builder *b, uint16_t exttype,
		       const struct pfkey_ident *id);

int pfkey_add_sensitivity(struct pfkey_builder *b,
			  const struct pfkey_sens *sens);

/* SADB_EXT_PROPOSAL with ncombs (>= 1) combinations. */
int pfkey_add_proposal(struct pfkey_builder *b, uint8_t replay,
		       const struct pfkey_comb *combs, size_t ncombs);

/* exttype: SADB_EXT_SUPPORTED_AUTH or _ENCRYPT (nalgs may be 0). */
int pfkey_add_supported(struct pfkey_builder *b, uint16_t exttype,
			const struct pfkey_alg *algs, size_t nalgs);

int pfkey_add_spirange(struct pfkey_builder *b,
		       const struct pfkey_spirange *r);

/* SADB_X_EXT_KMPRIVATE: opaque bytes, zero-padded to 64 bits. */
int pfkey_add_kmprivate(struct pfkey_builder *b, const void *data,
			size_t len);

int pfkey_add_sa2(struct pfkey_builder *b, const struct pfkey_sa2 *sa2);

/* SADB_X_EXT_POLICY with nreqs ipsecrequests (0 for discard/none/bypass
 * policies).  For X_MIGRATE give old/new pairs in order. */
int pfkey_add_policy(struct pfkey_builder *b, const struct pfkey_policy *p,
		     const struct pfkey_ipsecrequest *reqs, size_t nreqs);

int pfkey_add_nat_t_type(struct pfkey_builder *b, uint8_t type);

/* exttype: SADB_X_EXT_NAT_T_SPORT or _DPORT; port in host order. */
int pfkey_add_nat_t_port(struct pfkey_builder *b, uint16_t exttype,
			 uint16_t port);

int pfkey_add_sec_ctx(struct pfkey_builder *b,
		      const struct pfkey_sec_ctx *ctx);

int pfkey_add_kmaddress(struct pfkey_builder *b,
			const struct pfkey_kmaddress *km);

int pfkey_add_filter(struct pfkey_builder *b, const struct pfkey_filter *f);

/* SADB_X_EXT_REF; ref->ver is written as given. */
int pfkey_add_ref(struct pfkey_builder *b, const struct pfkey_ref *ref);

/* Copy an extension verbatim from a parsed message (raw bytes including
 * its sadb_ext header, as from pfkey_msg_ext()), after checking that
 * its header is consistent.  Used to extend a kernel message, e.g. an
 * ACQUIRE re-sent with SADB_X_REF. */
int pfkey_add_raw(struct pfkey_builder *b, const void *ext, size_t len);

/* ------------------------------------------------------------------ */
/* Parser                                                              */

/* Parser flags. */
enum pfkey_parse_flags {
	/* Skip extensions of unknown type instead of failing with
	 * PFKEY_EUNKNOWN (PF_KEY has no critical bit; by default an
	 * extension the parser cannot check is an error).  Skipped
	 * extensions must still have a sane header and length, and are
	 * not reachable through the accessors. */
	PFKEY_PARSE_SKIP_UNKNOWN = 1 << 0,
	/* Reject extensions that may not appear in the message type
	 * (PFKEY_ENOTALLOWED), following RFC 2367 and what Linux sends;
	 * SADB_X_EXT_REF is allowed everywhere. */
	PFKEY_PARSE_STRICT = 1 << 1,
};

/* A parsed message: the header in host order and, per extension type,
 * where it is in the buffer.  The buffer must outlive the struct. */
struct pfkey_msg {
	uint8_t type;
	uint8_t satype;
	uint8_t errno_val;	/* sadb_msg_errno */
	uint32_t seq;
	uint32_t pid;
	size_t len;		/* whole message, bytes */
	const uint8_t *buf;
	uint32_t ext_off[PFKEY_EXT_TYPE_MAX + 1];	/* 0: absent */
	uint32_t ext_len[PFKEY_EXT_TYPE_MAX + 1];	/* bytes */
};

/*
 * Parse and check one message of len bytes.  Rejects: len shorter than
 * the header or not what sadb_msg_len says (PFKEY_ETRUNC/PFKEY_ELEN), a
 * version other than PF_KEY_V2, a message type of 0 or above SADB_MAX,
 * extensions that are zero-length, overrun the message, are of unknown
 * type (unless PFKEY_PARSE_SKIP_UNKNOWN), repeated, or inconsistent
 * inside, and leftover bytes.  On failure *out is unchanged.
 */
int pfkey_parse(const void *buf, size_t len, unsigned int flags,
		struct pfkey_msg *out);

/* Nonzero when the message carries an extension of this type. */
int pfkey_msg_has(const struct pfkey_msg *m, uint16_t exttype);

/* The raw bytes of an extension, sadb_ext header included. */
int pfkey_msg_ext(const struct pfkey_msg *m, uint16_t exttype,
		  const uint8_t **ext, size_t *len);

/* Typed accessors: 0 and the host-order view, or PFKEY_ENOENT when the
 * extension is absent (or PFKEY_EINVAL for an exttype of another kind).
 * Pointers in the outputs point into the message buffer. */
int pfkey_get_sa(const struct pfkey_msg *m, struct pfkey_sa *sa);
int pfkey_get_lifetime(const struct pfkey_msg *m, uint16_t exttype,
		       struct pfkey_lifetime *lt);
int pfkey_get_address(const struct pfkey_msg *m, uint16_t exttype,
		      struct pfkey_address *a);
int pfkey_get_key(const struct pfkey_msg *m, uint16_t exttype,
		  struct pfkey_key *key);
int pfkey_get_identity(const struct pfkey_msg *m, uint16_t exttype,
		       struct pfkey_ident *id);
int pfkey_get_sensitivity(const struct pfkey_msg *m, struct pfkey_sens *s);
/* Proposal: *replay and the number of combs; then pfkey_get_comb(). */
int pfkey_get_proposal(const struct pfkey_msg *m, uint8_t *replay,
		       size_t *ncombs);
int pfkey_get_comb(const struct pfkey_msg *m, size_t i,
		   struct pfkey_comb *c);
/* Supported (exttype SADB_EXT_SUPPORTED_AUTH/_ENCRYPT): the number of
 * algorithms; then pfkey_get_alg(). */
int pfkey_get_supported(const struct pfkey_msg *m, uint16_t exttype,
			size_t *nalgs);
int pfkey_get_alg(const struct pfkey_msg *m, uint16_t exttype, size_t i,
		  struct pfkey_alg *alg);
int pfkey_get_spirange(const struct pfkey_msg *m, struct pfkey_spirange *r);
int pfkey_get_kmprivate(const struct pfkey_msg *m, const uint8_t **data,
			size_t *len);
int pfkey_get_sa2(const struct pfkey_msg *m, struct pfkey_sa2 *sa2);
/* Policy: the policy and the number of ipsecrequests; then
 * pfkey_get_ipsecrequest() for i = 0 .. nreqs - 1. */
int pfkey_get_policy(const struct pfkey_msg *m, struct pfkey_policy *p,
		     size_t *nreqs);
int pfkey_get_ipsecrequest(const struct pfkey_msg *m, size_t i,
			   struct pfkey_ipsecrequest *rq);
int pfkey_get_nat_t_type(const struct pfkey_msg *m, uint8_t *type);
int pfkey_get_nat_t_port(const struct pfkey_msg *m, uint16_t exttype,
			 uint16_t *port);
int pfkey_get_sec_ctx(const struct pfkey_msg *m, struct pfkey_sec_ctx *c);
int pfkey_get_kmaddress(const struct pfkey_msg *m,
			struct pfkey_kmaddress *km);
int pfkey_get_filter(const struct pfkey_msg *m, struct pfkey_filter *f);
int pfkey_get_ref(const struct pfkey_msg *m, struct pfkey_ref *ref);

/* Length in bytes of a sockaddr of this family as PF_KEY carries it
 * (sizeof struct sockaddr_in / _in6), 0 for other families. */
size_t pfkey_sockaddr_len(int family);

/* ------------------------------------------------------------------ */
/* Sockets                                                             */

/* A PF_KEY socket.  fd is non-blocking and close-on-exec; poll it for
 * POLLIN and call pfkey_recv().  pid is put in requests and matched on
 * replies (getpid() by default); seq is the last sequence number used. */
struct pfkey_sock {
	int fd;
	uint32_t pid;
	uint32_t seq;
};

/* Open socket(PF_KEY, SOCK_RAW, PF_KEY_V2).  -EAFNOSUPPORT when the
 * kernel has no af_key, -EPERM/-EACCES without CAP_NET_ADMIN. */
int pfkey_open(struct pfkey_sock *s);

/* Close; safe on a closed socket (fd < 0). */
void pfkey_close(struct pfkey_sock *s);

/* The next sequence number for a request on this socket (never 0). */
uint32_t pfkey_next_seq(struct pfkey_sock *s);

/* Send one message (a whole datagram).  Checks it with pfkey_parse()
 * first, so a malformed message never reaches the kernel. */
int pfkey_send(struct pfkey_sock *s, const void *msg, size_t len);

/* Receive one message if one is queued: 0 and *len, or -EAGAIN when
 * none is.  The message is checked with pfkey_parse(flags) into *out
 * (out may be NULL); a malformed one is consumed and reported. */
int pfkey_recv(struct pfkey_sock *s, void *buf, size_t cap, size_t *len,
	       unsigned int flags, struct pfkey_msg *out);

/* Called with every message that pfkey_request() or pfkey_dump()
 * receives while waiting and that is not theirs (broadcasts such as
 * SADB_ACQUIRE or other sockets' SADB_ADD). */
typedef void (*pfkey_other_fn)(const struct pfkey_msg *m, void *arg);

/*
 * Send a request and wait up to timeout_ms for the reply with the same
 * type, seq and pid (the message's own seq and pid are used; build it
 * with pfkey_next_seq(s) and s->pid).  The reply is copied into reply
 * (cap bytes) and parsed into *out (may be NULL).  A reply with
 * sadb_msg_errno set returns -errno (and *out is still filled).  Other
 * messages go to other() if it is not NULL and are dropped otherwise.
 */
int pfkey_request(struct pfkey_sock *s, const void *msg, size_t len,
		  void *reply, size_t cap, struct pfkey_msg *out,
		  int timeout_ms, pfkey_other_fn other, void *arg);

/* Algorithms the kernel supports for an SA type, from the reply to
 * SADB_REGISTER.  At most PFKEY_MAX_ALGS of each kind are kept. */
#define PFKEY_MAX_ALGS	64
struct pfkey_supported {
	size_t nauth;
	struct pfkey_alg auth[PFKEY_MAX_ALGS];
	size_t nencrypt;
	struct pfkey_alg encrypt[PFKEY_MAX_ALGS];
};

/* SADB_REGISTER for satype (SADB_SATYPE_ESP, ...): the socket then
 * receives the kernel's SADB_ACQUIREs for that type (and SADB_EXPIREs
 * go to all sockets).  sup may be NULL. */
int pfkey_register(struct pfkey_sock *s, uint8_t satype,
		   struct pfkey_supported *sup, int timeout_ms);

/* Called once per dump entry; return 0 to go on, or a negative value to
 * stop (pfkey_dump still drains the rest of the dump and then returns
 * that value). */
typedef int (*pfkey_entry_fn)(const struct pfkey_msg *m, void *arg);

/* SADB_DUMP (type SADB_DUMP, satype e.g. SADB_SATYPE_ESP or UNSPEC) or
 * SADB_X_SPDDUMP: one entry() call per SA or policy, until the entry
 * with sadb_msg_seq 0.  Returns the number of entries; an empty
 * database gives 0 (the kernel's ENOENT).  timeout_ms bounds the wait
 * for each message. */
int pfkey_dump(struct pfkey_sock *s, uint8_t type, uint8_t satype,
	       pfkey_entry_fn entry, void *arg, int timeout_ms,
	       pfkey_other_fn other, void *other_arg);

/* The same with a dump request the caller built (type SADB_DUMP or
 * SADB_X_SPDDUMP; its seq and pid are matched), e.g. an SADB_DUMP with
 * an SADB_X_EXT_FILTER. */
int pfkey_dump_request(struct pfkey_sock *s, const void *msg, size_t len,
		       pfkey_entry_fn entry, void *arg, int timeout_ms,
		       pfkey_other_fn other, void *other_arg);

#ifdef __cplusplus
}
#endif

#endif
