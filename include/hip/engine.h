/*
 * hip/engine.h - the sans-I/O HIPv2 engine (RFC 7401 sections 4 and 6,
 * RFC 7402 for ESP, RFC 8046/8047 for mobility): host associations, the
 * base exchange, UPDATE (rekeying, locator changes), CLOSE, NOTIFY,
 * retransmission and lifetimes.
 *
 * The engine has no sockets, no clock and no global state.  The caller
 * (hipd, or a unit test) feeds it events - a received packet, a kernel
 * ACQUIRE, a close request, the passing of time - each with the current
 * monotonic time in milliseconds, and after every call drains the
 * actions the engine queued: packets to send, SAs to install or delete,
 * state changes and log lines.  hip_engine_next_timeout() says when to
 * call hip_engine_timeout() next.
 *
 * Addresses (locators) are struct in6_addr; IPv4 is carried IPv4-mapped
 * (::ffff:a.b.c.d), and the checksum then uses the IPv4 pseudo-header.
 *
 * Association RHASH: the Responder's HIT suite selects RHASH and HMAC
 * (RFC 7401 App. E).  HIT suite 5 (EdDSA, RFC 9374) defines no HMAC or
 * KDF for the base exchange; an association whose Responder uses an
 * EdDSA HIT uses suite 1's SHA-256 / HMAC-SHA-256 (256 bits, twice
 * cSHAKE128's security level).
 */
#ifndef HIP_ENGINE_H
#define HIP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "hip/proto.h"
#include "hip/suite.h"

struct hip_engine;
struct hip_identity;

#define HIP_ENGINE_MAX_IDENTITIES	8
#define HIP_ENGINE_MAX_DH		8
#define HIP_ENGINE_MAX_CIPHERS		6	/* RFC 7401 5.2.8 */
#define HIP_ENGINE_MAX_ESP		6	/* RFC 7402 5.1.2 */
#define HIP_ENGINE_MAX_LOCATORS		3	/* parallel I1s, 6.6.1 */
#define HIP_ENGINE_QUEUE_LEN		64	/* queued actions */
#define HIP_ENGINE_LOG_MAX		160	/* log text, NUL included */

/* --- configuration ---------------------------------------------------- */

struct hip_engine_config {
	/* Local host identities with private keys.  BORROWED: they must
	 * stay valid and unchanged until hip_engine_free().  The first is
	 * the default identity (hip_engine_acquire with local_hit NULL). */
	const struct hip_identity *identities[HIP_ENGINE_MAX_IDENTITIES];
	size_t n_identities;

	/* Preference lists, most preferred first.  Unsupported entries
	 * make hip_engine_new fail with HIP_EUNSUPPORTED. */
	uint8_t dh_groups[HIP_ENGINE_MAX_DH];	/* enum hip_dh_group */
	size_t n_dh_groups;
	uint16_t ciphers[HIP_ENGINE_MAX_CIPHERS];	/* enum hip_cipher_id */
	size_t n_ciphers;
	uint16_t esp_suites[HIP_ENGINE_MAX_ESP];	/* enum hip_esp_suite */
	size_t n_esp_suites;

	/* Puzzle: difficulty #K we ask of Initiators, the largest #K we
	 * solve as Initiator, and how often the puzzle secret and the
	 * precomputed R1s (R1 generation) rotate.  The R1 generation of
	 * the first set of R1s is r1_counter_start (persist it across
	 * restarts: it must grow, RFC 7401 4.1.4). */
	uint8_t puzzle_k;
	uint8_t puzzle_k_max;
	uint32_t r1_rotate_ms;
	uint64_t r1_counter_start;

	/* Retransmission of I1, I2 and CLOSE (RFC 7401 4.4.3, 6.6): the
	 * first timeout, doubled after every retransmission up to
	 * rexmit_max_ms, and the number of retransmissions before the
	 * exchange fails (E-FAILED) or the CLOSE is given up. */
	uint32_t rexmit_initial_ms;
	uint32_t rexmit_max_ms;
	unsigned rexmit_retries;

	/* R2-SENT moves to ESTABLISHED after this long without a sign of
	 * the peer (or at once on hip_engine_touch).  For as long after
	 * an exchange it initiated, the host with the smaller HIT also
	 * drops I2s from the peer (the simultaneous-open rule of 4.4.4,
	 * against a late I2 of the exchange the peer gave up). */
	uint32_t r2_sent_ms;
	/* An ESTABLISHED association idle (no HIP packet, no
	 * hip_engine_touch) this long is closed; 0: never. */
	uint32_t idle_lifetime_ms;
	/* Maximum segment lifetime of CLOSED/CLOSING (RFC 7401 4.4.4)
	 * and how long an E-FAILED association is kept. */
	uint32_t msl_ms;
	uint32_t failed_hold_ms;

	/* Send HOST_ID encrypted (ENCRYPTED) in I2. */
	bool encrypt_host_id;
	/* NOTIFYs sent per second at most (0: none at all). */
	unsigned notify_per_sec;
	/* Largest number of associations. */
	unsigned max_assocs;
	/* R1s sent per second at most, answering I1s (RFC 7401 4.1.3: a
	 * flood of I1s must not become a flood of R1s); 0: no limit. */
	unsigned r1_per_sec;

	/* Rekeying (RFC 7402 6.9): a rekey this host starts carries a new
	 * DIFFIE_HELLMAN (fresh KEYMAT) when rekey_new_dh; otherwise the
	 * new ESP keys are drawn further along the current KEYMAT.  UPDATEs
	 * are retransmitted like I2s (rexmit_*); a rekey that gets no answer
	 * is abandoned (the old SAs stay until their hard limit).  The SAs
	 * a rekey replaced are deleted rekey_old_sa_ms after the new ones
	 * are installed: the peer may send on the old pair until it has
	 * switched too (RFC 7402 6.10). */
	bool rekey_new_dh;
	uint32_t rekey_old_sa_ms;

	/* Mobility (RFC 8046): lifetime announced for our locators in
	 * LOCATOR_SET (seconds), and how long a new peer locator may stay
	 * UNVERIFIED waiting for its ECHO_RESPONSE_SIGNED. */
	uint32_t locator_lifetime_s;
	uint32_t locator_verify_ms;
};

/* Fill cfg with the defaults: no identities; DH groups P-256, P-384,
 * MODP-3072, MODP-1536 (7, 8, 4, 3); ciphers AES-128-CBC, AES-256-CBC;
 * ESP AES-GCM-16 (13) then AES-128-CBC/HMAC-SHA-256 (8); puzzle #K 8,
 * max 24, R1 rotation 60 s, R1 counter 1; retransmission 1 s doubling
 * to 16 s, 5 retries; R2-SENT 10 s; idle 15 min; MSL 120 s; E-FAILED
 * held 60 s; HOST_ID encrypted; 10 NOTIFY/s; 1024 associations; 200
 * R1/s; rekeys without new DH, old SAs kept 10 s; locators announced
 * with a lifetime of 600 s, new peer locators verified within 10 s. */
void hip_engine_config_defaults(struct hip_engine_config *cfg);

/* Services the caller provides.  arg is passed back unchanged. */
struct hip_engine_env {
	void *arg;
	/* Fill len random octets; 0 or a negative HIP_E* code.  NULL:
	 * OpenSSL's RAND_bytes. */
	int (*random)(void *arg, uint8_t *buf, size_t len);
	/* Allocate an inbound SPI (>= 256) for the SA peer_loc -> local_loc
	 * between the two HITs (hipd: the kernel's ALLOCSPI).  Required. */
	int (*alloc_spi)(void *arg, const uint8_t local_hit[HIP_HIT_LEN],
			 const uint8_t peer_hit[HIP_HIT_LEN],
			 const struct in6_addr *local_loc,
			 const struct in6_addr *peer_loc, uint32_t *spi);
	/* The local source address for packets to dst (hipd: a route
	 * lookup); needed before an I1 can be sent since the checksum
	 * covers it.  Required. */
	int (*source_for)(void *arg, const struct in6_addr *dst,
			  struct in6_addr *src);
};

/* --- life cycle -------------------------------------------------------- */

/* Create an engine: copies cfg and env, precomputes the first
 * generation of R1s (one per identity and DH group).  Returns 0,
 * HIP_EINVAL (no identity, an identity without private key, missing
 * env callback, empty list), HIP_EUNSUPPORTED, HIP_ENOMEM or
 * HIP_ECRYPTO. */
int hip_engine_new(const struct hip_engine_config *cfg,
		   const struct hip_engine_env *env, uint64_t now_ms,
		   struct hip_engine **out);

/* Free the engine; all keys and queued actions are wiped.  No actions
 * are produced (the caller deletes the SAs it installed itself, e.g.
 * with flush_owned).  NULL is fine. */
void hip_engine_free(struct hip_engine *e);

/* --- events in ------------------------------------------------------- */

/* A received HIP packet of len octets (the IP payload) from src to dst.
 * The engine checks the checksum (with the addresses) and everything
 * else.  Returns 0 when the packet was processed, or a negative HIP_E*
 * code saying why it was dropped (also counted, see hip_engine_stats;
 * a NOTIFY may have been queued), e.g. HIP_ECHECKSUM, HIP_EVERIFY,
 * HIP_ESTATE, HIP_EPERM (rate limit).  Only when the action queue is
 * too full to take the packet is the result HIP_ENOSPC with nothing
 * counted or done (drain it and retry). */
int hip_engine_recv(struct hip_engine *e, uint64_t now_ms,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    const uint8_t *pkt, size_t len);

/* Start a base exchange to peer_hit from local_hit (NULL: the default
 * identity), e.g. on a kernel ACQUIRE or "hipconf connect".  0 also when
 * an exchange is already under way or the association is established.
 * HIP_ENOENT: unknown local HIT or no locator for the peer;
 * HIP_ENOSPC: association table or action queue full; HIP_EINVAL. */
int hip_engine_acquire(struct hip_engine *e, uint64_t now_ms,
		       const uint8_t *local_hit,
		       const uint8_t peer_hit[HIP_HIT_LEN]);

/* Close the association with peer_hit (local_hit NULL: any of ours):
 * CLOSE is sent, the SAs deleted.  An association still in I1-SENT or
 * I2-SENT is dropped silently.  0, HIP_ENOENT, HIP_ENOSPC. */
int hip_engine_close(struct hip_engine *e, uint64_t now_ms,
		     const uint8_t *local_hit,
		     const uint8_t peer_hit[HIP_HIT_LEN]);

/* The association was used (ESP traffic seen): resets the idle timer
 * and moves R2-SENT to ESTABLISHED.  0 or HIP_ENOENT. */
int hip_engine_touch(struct hip_engine *e, uint64_t now_ms,
		     const uint8_t *local_hit,
		     const uint8_t peer_hit[HIP_HIT_LEN]);

/* Run the timers due at now_ms (retransmissions, failures, R1
 * rotation, lifetimes).  Returns 0; HIP_ENOSPC when the queue filled up
 * first (drain and call again: next_timeout is then now). */
int hip_engine_timeout(struct hip_engine *e, uint64_t now_ms);

/* The earliest time hip_engine_timeout has work; UINT64_MAX: none. */
uint64_t hip_engine_next_timeout(const struct hip_engine *e);

/* --- rekeying and mobility (RFC 7402 6.9, RFC 8046) ------------------- */

/* Start a rekey of the association with peer_hit (local_hit NULL: any
 * of ours): UPDATE with ESP_INFO (new inbound SPI), SEQ and, with
 * rekey_new_dh, DIFFIE_HELLMAN.  When both sides are done the new SAs
 * come as SA_INSTALL with HIP_ENGINE_SA_REKEY, then the old ones go as
 * SA_DELETE with HIP_ENGINE_SA_KEEP_POLICIES.  0 also when a rekey is
 * already under way; HIP_ENOENT; HIP_ESTATE (not ESTABLISHED). */
int hip_engine_rekey(struct hip_engine *e, uint64_t now_ms,
		     const uint8_t *local_hit,
		     const uint8_t peer_hit[HIP_HIT_LEN]);

/* The kernel reports that the SA with spi (inbound or outbound) reached
 * its soft (hard = false: start a rekey, as hip_engine_rekey) or hard
 * limit (hard = true: the association is closed - CLOSE, SA_DELETE -
 * unless a rekey already replaced that SA, whose old pair is then
 * deleted at once).  HIP_ENOENT when no association uses spi (e.g. an
 * SA already replaced by a rekey and deleted); HIP_ENOSPC. */
int hip_engine_sa_expired(struct hip_engine *e, uint64_t now_ms,
			  uint32_t spi, bool hard);

/* The local host's usable locators changed: locs (1..n, preferred
 * first; IPv4 v4-mapped; the first 4 are used) is the complete new set.
 * Every ESTABLISHED association (not pinned, see below) whose set of
 * usable locators changed gets an UPDATE with LOCATOR_SET (and
 * ESP_INFO, SEQ); when its current local locator is gone, its SAs move
 * at once to the preferred new one that reaches the peer (same outer
 * family: a peer locator of that family it announced or that
 * hip_engine_peer_add gave) with SA_MIGRATE.  The peer moves its side
 * (SA_MIGRATE) once our new locator answered its ECHO_REQUEST_SIGNED.
 * n = 0: no address at all (nothing is sent; associations wait).  0,
 * HIP_EINVAL (an unspecified, loopback or multicast address), HIP_ENOSPC
 * (queue full: drain and call again with the same set; associations
 * already done are skipped). */
int hip_engine_set_locators(struct hip_engine *e, uint64_t now_ms,
			    const struct in6_addr *locs, size_t n);

/* The same for one association (local_hit NULL: any of ours), e.g.
 * when a mobility daemon sets that association's care-of address
 * through the MSRD: the association is then pinned to locs and later
 * hip_engine_set_locators calls leave it alone, until this is called
 * with n = 0 (back to the host's set).  0, HIP_ENOENT, HIP_EINVAL,
 * HIP_ESTATE (not ESTABLISHED), HIP_ENOSPC.  A pinned association's
 * data path moves only when its current local locator is not in locs. */
int hip_engine_assoc_set_locators(struct hip_engine *e, uint64_t now_ms,
				  const uint8_t *local_hit,
				  const uint8_t peer_hit[HIP_HIT_LEN],
				  const struct in6_addr *locs, size_t n);

/* --- peers: where to send the I1 --------------------------------------- */

struct hip_engine_peer {
	uint8_t hit[HIP_HIT_LEN];
	size_t n_locators;
	struct in6_addr locators[HIP_ENGINE_MAX_LOCATORS];
};

/* Set (replace) the locators of peer_hit: 1..HIP_ENGINE_MAX_LOCATORS,
 * tried in this order.  0, HIP_EINVAL, HIP_ENOMEM. */
int hip_engine_peer_add(struct hip_engine *e,
			const uint8_t peer_hit[HIP_HIT_LEN],
			const struct in6_addr *locators, size_t n);
/* 0 or HIP_ENOENT. */
int hip_engine_peer_del(struct hip_engine *e,
			const uint8_t peer_hit[HIP_HIT_LEN]);
/* Copy up to cap peers into out; *count gets the total number. */
int hip_engine_peer_list(const struct hip_engine *e,
			 struct hip_engine_peer *out, size_t cap,
			 size_t *count);

/* --- actions out --------------------------------------------------------- */

enum hip_engine_state {
	HIP_STATE_UNASSOCIATED = 0,
	HIP_STATE_I1_SENT,
	HIP_STATE_I2_SENT,
	HIP_STATE_R2_SENT,
	HIP_STATE_ESTABLISHED,
	HIP_STATE_CLOSING,
	HIP_STATE_CLOSED,
	HIP_STATE_E_FAILED,
};

/* The RFC's names: "UNASSOCIATED", "I1-SENT", ..., "E-FAILED". */
const char *hip_engine_state_name(enum hip_engine_state s);

enum hip_engine_action_type {
	HIP_ACT_SEND = 1,
	HIP_ACT_SA_INSTALL,
	HIP_ACT_SA_DELETE,
	HIP_ACT_STATE_CHANGED,
	HIP_ACT_LOG,
	HIP_ACT_SA_MIGRATE,	/* move the SA pair (and the association's
				 * policies) to new locators; SAs of a
				 * rekey's old pair are deleted first */
};

/* sa_install.flags */
#define HIP_ENGINE_SA_REKEY	0x1	/* new SAs of a rekey: the policies
					 * exist, update them in place */
/* sa_delete.flags */
#define HIP_ENGINE_SA_KEEP_POLICIES 0x1	/* old SAs of a rekey: delete the
					 * SAs only */

enum hip_engine_dir {
	HIP_ENGINE_DIR_IN = 0,
	HIP_ENGINE_DIR_OUT = 1,
};

/* One BEET ESP SA; maps 1:1 onto hipd's struct hip_kernel_sa: inner
 * HITs and outer locators as the packets carry them (for the inbound SA
 * the source is the peer). */
struct hip_engine_sa {
	uint8_t inner_src[HIP_HIT_LEN];
	uint8_t inner_dst[HIP_HIT_LEN];
	struct in6_addr outer_src;
	struct in6_addr outer_dst;
	uint32_t spi;
	enum hip_engine_dir dir;
	uint16_t suite;				/* enum hip_esp_suite */
	uint8_t enc_key[HIP_ESP_MAX_ENC_LEN];	/* AEAD: key || salt */
	size_t enc_key_len;
	uint8_t auth_key[HIP_ESP_MAX_AUTH_LEN];
	size_t auth_key_len;
	bool spi_reserved;	/* the SPI came from env alloc_spi */
};

/* Drop reasons (hip_engine_stats.dropped[]). */
enum hip_engine_drop {
	HIP_DROP_CHECKSUM = 0,	/* bad checksum */
	HIP_DROP_MALFORMED,	/* header, TLV structure or parameter value */
	HIP_DROP_CRITICAL,	/* unknown critical parameter */
	HIP_DROP_RECEIVER,	/* receiver HIT not ours */
	HIP_DROP_STATE,		/* not valid in the association's state */
	HIP_DROP_HOST_ID,	/* HOST_ID missing, bad or not the sender HIT */
	HIP_DROP_SIGNATURE,	/* signature did not verify */
	HIP_DROP_MAC,		/* HIP_MAC / HIP_MAC_2 did not verify */
	HIP_DROP_PUZZLE,	/* wrong solution, unknown #I */
	HIP_DROP_R1_COUNTER,	/* I2 of an R1 generation no longer valid */
	HIP_DROP_DH,		/* DH group not acceptable, downgrade, value */
	HIP_DROP_PROPOSAL,	/* no common cipher / ESP suite / bad choice */
	HIP_DROP_SIMULTANEOUS,	/* I1/I2 lost the HIT comparison (6.7) */
	HIP_DROP_DUPLICATE,	/* duplicate of a packet already handled */
	HIP_DROP_UNSUPPORTED,	/* packet type or feature not supported */
	HIP_DROP_RESOURCES,	/* SPI allocation, table full, crypto error */
	HIP_DROP_NOTIFY,	/* NOTIFY not verifiable (unknown sender, bad
				 * signature) */
	HIP_DROP_RATE,		/* I1 over the R1 rate limit */
	HIP_DROP__MAX
};

/* Short names: "checksum", "malformed", ... ; "?" when out of range. */
const char *hip_engine_drop_name(int reason);

struct hip_engine_stats {
	uint64_t received;		/* packets given to hip_engine_recv */
	uint64_t sent;			/* SEND actions queued */
	uint64_t dropped[HIP_DROP__MAX];
	uint64_t notify_sent;
	uint64_t notify_suppressed;	/* rate limit */
	uint64_t notify_received;
	uint64_t exchanges_completed;	/* associations ESTABLISHED */
	uint64_t exchanges_failed;	/* E-FAILED */
	uint64_t actions_lost;		/* queue overflow (should stay 0) */
	uint64_t updates_sent;		/* UPDATE packets, retransmissions
					 * included */
	uint64_t rekeys_completed;
	uint64_t locator_moves;		/* SA_MIGRATE actions */
};

void hip_engine_get_stats(const struct hip_engine *e,
			  struct hip_engine_stats *out);

/*
 * An action, copied out by hip_engine_next_action().  Ownership: the
 * caller's copy is self-contained (no pointers into the engine) and
 * belongs to the caller; the engine's queued copy is wiped as it is
 * handed out.  SA_INSTALL carries ESP keys: wipe the copy with
 * hip_engine_action_wipe() once the kernel has them.  LOG text never
 * contains key material.
 */
struct hip_engine_action {
	enum hip_engine_action_type type;
	uint8_t local_hit[HIP_HIT_LEN];	/* association, zero for SEND of */
	uint8_t peer_hit[HIP_HIT_LEN];	/* a packet without one */
	union {
		struct {
			struct in6_addr src, dst;
			size_t len;
			uint8_t pkt[HIP_MAX_PACKET];	/* checksum set */
		} send;
		struct {
			struct hip_engine_sa in;
			struct hip_engine_sa out;
			unsigned flags;		/* HIP_ENGINE_SA_* */
		} sa_install;
		struct {
			uint32_t spi_in, spi_out;
			struct in6_addr local_loc;	/* outer dst of in */
			struct in6_addr peer_loc;	/* outer dst of out */
			unsigned flags;		/* HIP_ENGINE_SA_KEEP_... */
		} sa_delete;
		struct {
			/* The SA pair spi_in/spi_out and the association's
			 * two policies move from old_local/old_peer to
			 * new_local/new_peer (local = our locator). */
			uint32_t spi_in, spi_out;
			struct in6_addr old_local, old_peer;
			struct in6_addr new_local, new_peer;
		} sa_migrate;
		struct {
			enum hip_engine_state old_state, new_state;
		} state;
		struct {
			int level;	/* syslog level: LOG_ERR..LOG_DEBUG */
			char text[HIP_ENGINE_LOG_MAX];
		} log;
	} u;
};

/* Move the oldest queued action into *out: 1 when one was there, 0
 * when the queue is empty. */
int hip_engine_next_action(struct hip_engine *e,
			   struct hip_engine_action *out);

/* Number of actions waiting. */
size_t hip_engine_pending(const struct hip_engine *e);

/* Wipe an action (the keys of SA_INSTALL, the rest too). */
void hip_engine_action_wipe(struct hip_engine_action *a);

/* --- introspection (hipconf ha list) ----------------------------------- */

struct hip_engine_assoc_info {
	uint8_t local_hit[HIP_HIT_LEN];
	uint8_t peer_hit[HIP_HIT_LEN];
	enum hip_engine_state state;
	bool initiator;
	struct in6_addr local_loc, peer_loc;	/* :: until known */
	uint32_t spi_in, spi_out;		/* 0 until known */
	uint16_t esp_suite, hip_cipher;		/* 0 until negotiated */
	uint8_t dh_group;
	uint8_t hit_suite;	/* RHASH suite of the association */
	uint64_t created_ms;	/* engine clock */
	uint64_t established_ms;	/* 0: not (yet) */
	uint64_t last_used_ms;
	uint32_t rekeys;	/* rekeys completed */
	uint32_t moves;		/* locator changes (SA_MIGRATE) */
	bool update_pending;	/* an UPDATE of ours awaits its ACK */
};

/* Copy up to cap associations into out; *count gets the total. */
int hip_engine_assoc_list(const struct hip_engine *e,
			  struct hip_engine_assoc_info *out, size_t cap,
			  size_t *count);

/* One association (local_hit NULL: any of ours). 0 or HIP_ENOENT. */
int hip_engine_assoc_get(const struct hip_engine *e, const uint8_t *local_hit,
			 const uint8_t peer_hit[HIP_HIT_LEN],
			 struct hip_engine_assoc_info *out);

/* The current R1 generation (R1_COUNTER).  Persist it and start the
 * next run above it (config r1_counter_start): the counter must never
 * go back (RFC 7401 4.1.4). */
uint64_t hip_engine_r1_counter(const struct hip_engine *e);

/* The HIT of local identity n (0-based) of the config; 0 or HIP_ENOENT. */
int hip_engine_local_hit(const struct hip_engine *e, size_t n,
			 uint8_t hit[HIP_HIT_LEN]);

#endif
