/*
 * engine_internal.h - the engine's private types, shared by engine*.c.
 */
#ifndef HIP_ENGINE_INTERNAL_H
#define HIP_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "hip/engine.h"
#include "hip/keymat.h"
#include "hip/param.h"
#include "hip/params.h"

#define ENGINE_NO_DEADLINE	UINT64_MAX
#define ENGINE_SECRET_LEN	32
#define ENGINE_ECHO_LEN		16
/* Free queue slots a packet or a timer needs: a few SENDs, an
 * SA_INSTALL or SA_DELETE, a state change and log lines. */
#define ENGINE_QUEUE_MARGIN	8
/* ACKs for repeated UPDATEs per second at most: a replayed UPDATE must
 * not become a flood of signed answers. */
#define ENGINE_REACK_PER_SEC	20
/* Peer locators an association tracks (RFC 8046 5.4 address states),
 * and our own locators per association (pinned) or per host. */
#define ENGINE_PEER_LOCS	4
#define ENGINE_LOCAL_LOCS	4

/* An UPDATE of ours that carries a SEQ and awaits its ACK (RFC 7401
 * 6.11): the one retransmission buffer of an association, allocated
 * only while something is outstanding. */
struct engine_upd_pending {
	uint64_t at;		/* next retransmission */
	unsigned retries;
	uint32_t rto_ms;
	struct in6_addr src, dst;
	size_t len;
	uint8_t pkt[HIP_MAX_PACKET];
};

/* Address states of a peer locator (RFC 8046 5.4). */
enum engine_loc_state {
	ENGINE_LOC_UNUSED = 0,
	ENGINE_LOC_UNVERIFIED,
	ENGINE_LOC_ACTIVE,
	ENGINE_LOC_DEPRECATED,
};

struct engine_peer_loc {
	struct in6_addr addr;
	uint8_t state;		/* enum engine_loc_state */
	bool preferred;		/* P bit of the last LOCATOR_SET */
	bool checking;		/* the echo below is under way */
	uint8_t nonce[ENGINE_ECHO_LEN];	/* of the pending echo */
	uint32_t echo_first_id;	/* UPDATE carrying the echo; 0: none */
	uint64_t verify_by;	/* UNVERIFIED: give up then */
};

/* Mobility state of an association (RFC 8046), allocated when the
 * association first announces or learns locators. */
struct engine_mob {
	bool pinned;		/* locators set for it alone (MSRD) */
	size_t n_my_locs;	/* 0: follows the host's set */
	struct in6_addr my_locs[ENGINE_LOCAL_LOCS];
	uint32_t loc_first_id;	/* UPDATE carrying LOCATOR_SET; 0: none */
	bool loc_dirty;		/* to announce in the next UPDATE */
	struct engine_peer_loc peer_locs[ENGINE_PEER_LOCS];
};

/* A rekey under way (RFC 7402 6.9, 6.10), allocated while it lasts. */
struct engine_rekey {
	uint32_t new_spi_in;	/* from env alloc_spi */
	uint16_t index;		/* our KEYMAT index proposal */
	struct hip_dh *dh;	/* our new DH key pair, or NULL */
	uint32_t first_id;	/* first UPDATE that carried our ESP_INFO */
	bool acked;		/* ... and the peer acknowledged it */
	bool have_peer;		/* the peer's ESP_INFO arrived */
	uint32_t peer_spi;
	uint16_t peer_index;
	bool peer_dh;
	struct hip_keymat *new_km;	/* from the two new DH values */
	uint64_t give_up_at;
};


/* One local host identity and what is derived from it once. */
struct engine_local {
	const struct hip_identity *id;	/* borrowed from the config */
	uint8_t hit[HIP_HIT_LEN];
	int hit_suite;		/* of the HIT (5 for EdDSA) */
	int rhash_suite;	/* as Responder (5 maps to 1) */
	uint8_t host_id[HIP_MAX_PACKET];	/* the HOST_ID TLV, padded */
	size_t host_id_len;
};

/* A precomputed R1 (RFC 7401 4.1.3): signed with the Receiver's HIT,
 * the PUZZLE's Opaque and #I zeroed; these are filled in per I1. */
struct engine_r1 {
	uint8_t pkt[HIP_MAX_PACKET];
	size_t len;
	size_t puzzle_val;	/* offset of the PUZZLE value */
};

/* One R1 generation: puzzle secret, DH key pairs (one per group, shared
 * by the identities), and the R1s of every identity and group. */
struct engine_r1gen {
	bool valid;
	uint64_t counter;
	uint8_t k;
	uint8_t secret[ENGINE_SECRET_LEN];
	struct hip_dh *dh[HIP_ENGINE_MAX_DH];
	struct engine_r1 *r1;	/* [local * n_dh_groups + group index] */
};

struct engine_peer {
	struct hip_engine_peer p;
};

/* A host association (RFC 7401 4.4). */
struct hip_assoc {
	uint8_t local_hit[HIP_HIT_LEN];
	uint8_t peer_hit[HIP_HIT_LEN];
	size_t local_idx;
	enum hip_engine_state state;
	bool initiator;
	struct in6_addr local_loc, peer_loc;
	uint64_t created_ms, established_ms, last_used_ms;

	/* The one timer of the association and its retransmission. */
	uint64_t deadline;
	unsigned retries;
	uint32_t rto_ms;
	size_t loc_next;	/* next peer locator for an I1 */

	/* Initiator: what the I1 offered and the R1 brought. */
	uint64_t r1_counter;
	bool have_r1_counter;
	struct hip_identity *peer_id;	/* owned */
	uint8_t peer_host_id[HIP_MAX_PACKET];	/* the R1's HOST_ID TLV */
	size_t peer_host_id_len;

	/* Negotiated. */
	uint8_t dh_group;
	uint16_t cipher;
	uint16_t esp_suite;
	int rhash_suite;
	uint8_t i[HIP_RHASH_MAX_LEN], j[HIP_RHASH_MAX_LEN];
	size_t ij_len;
	bool have_keys;
	struct hip_hip_keys hk;
	struct hip_esp_keys ek;
	uint32_t spi_in, spi_out;
	bool sa_installed;

	/* The last packet we sent that may need sending again (I1, I2,
	 * R2, CLOSE). */
	uint8_t last_pkt[HIP_MAX_PACKET];
	size_t last_len;

	/* CLOSE nonce (ECHO_REQUEST_SIGNED). */
	uint8_t echo[ENGINE_ECHO_LEN];

	/* KEYMAT, kept for rekeys that draw further along it. */
	struct hip_keymat *km;

	/* UPDATE (engine_update.c): our last Update ID, the peer's last
	 * processed one, and our unacknowledged UPDATE. */
	uint32_t upd_out_id;
	uint32_t upd_in_id;
	bool upd_have_in;
	struct engine_upd_pending *upd;

	/* Rekeying (engine_rekey.c): the rekey under way, and the SA pair
	 * the last rekey replaced, deleted at old_sa_at. */
	struct engine_rekey *rk;
	bool old_sa;
	uint32_t old_spi_in, old_spi_out;
	struct in6_addr old_local, old_peer;
	uint64_t old_sa_at;
	uint32_t rekeys, moves;

	/* Mobility (engine_locator.c), allocated on first use. */
	struct engine_mob *mob;
};

struct hip_engine {
	struct hip_engine_config cfg;
	struct hip_engine_env env;
	struct engine_local local[HIP_ENGINE_MAX_IDENTITIES];
	size_t n_local;

	struct engine_r1gen gen[2];	/* [0] current, [1] previous */
	uint64_t next_rotate_ms;

	struct hip_assoc **assocs;
	size_t n_assocs, cap_assocs;
	struct engine_peer *peers;
	size_t n_peers, cap_peers;

	struct hip_engine_action *queue;
	size_t q_head, q_count;

	uint64_t notify_window_ms;
	unsigned notify_in_window;
	uint64_t r1_window_ms;
	unsigned r1_in_window;
	/* ACKs sent again for repeated UPDATEs, per second (6.12.1). */
	uint64_t reack_window_ms;
	unsigned reack_in_window;

	struct hip_engine_stats stats;

	/* The host's usable locators (hip_engine_set_locators), and the
	 * set before the last change (what associations that never
	 * announced their own still use). */
	size_t n_locs, n_prev_locs;
	struct in6_addr locs[ENGINE_LOCAL_LOCS];
	struct in6_addr prev_locs[ENGINE_LOCAL_LOCS];
};

/* engine.c: queue, logs; engine_table.c: associations, peers. */
struct hip_engine_action *engine_push(struct hip_engine *e,
				      enum hip_engine_action_type t);
size_t engine_queue_free(const struct hip_engine *e);
void engine_log(struct hip_engine *e, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int engine_drop(struct hip_engine *e, int reason, int err, const char *why);
void engine_set_state(struct hip_engine *e, struct hip_assoc *a,
		      enum hip_engine_state s);
struct hip_assoc *engine_assoc_find(struct hip_engine *e,
				    const uint8_t *local_hit,
				    const uint8_t *peer_hit);
int engine_assoc_new(struct hip_engine *e, size_t local_idx,
		     const uint8_t *peer_hit, uint64_t now,
		     struct hip_assoc **out);
void engine_assoc_remove(struct hip_engine *e, struct hip_assoc *a);
void engine_assoc_free(struct hip_assoc *a);
void engine_assoc_clear_keys(struct hip_assoc *a);
int engine_local_find(const struct hip_engine *e, const uint8_t *hit);
const struct engine_peer *engine_peer_find(const struct hip_engine *e,
					   const uint8_t *hit);
int engine_random(struct hip_engine *e, uint8_t *buf, size_t len);
int engine_rhash_suite(int hit_suite);
void engine_timer_arm(struct hip_assoc *a, uint64_t now);
void engine_sa_delete(struct hip_engine *e, struct hip_assoc *a);

/* engine_pkt.c: building, signing and sending. */
int engine_send(struct hip_engine *e, const struct hip_assoc *a,
		const struct in6_addr *src, const struct in6_addr *dst,
		uint8_t *pkt, size_t len);
int engine_put_sig(struct hip_builder *b, const struct hip_identity *id,
		   uint16_t type);
int engine_put_mac(struct hip_builder *b, const struct hip_assoc *a,
		   uint16_t type, const uint8_t *host_id, size_t host_id_len);
int engine_verify_sig(const struct hip_packet *p,
		      const struct hip_identity *id, uint16_t type);
int engine_verify_mac(const struct hip_packet *p, const struct hip_assoc *a,
		      uint16_t type, const uint8_t *host_id,
		      size_t host_id_len);
int engine_peer_identity(const struct hip_packet *p,
			 const struct hip_param *host_id,
			 struct hip_identity **out);
bool engine_hit_eq(const uint8_t *a, const uint8_t *b);
const uint8_t *engine_hit_bytes(const struct in6_addr *a);

/* engine_r1.c: R1 generations, I1 in, R1 out. */
int engine_r1_init(struct hip_engine *e, uint64_t now);
void engine_r1_free(struct hip_engine *e);
int engine_r1_rotate(struct hip_engine *e, uint64_t now);
const struct engine_r1gen *engine_r1_gen(const struct hip_engine *e,
					 uint64_t counter);
int engine_handle_i1(struct hip_engine *e, uint64_t now,
		     const struct hip_packet *p, size_t local_idx,
		     const struct in6_addr *src, const struct in6_addr *dst);

/* engine_init.c: the Initiator's side (I1, R1 in, I2 out, R2 in). */
int engine_start(struct hip_engine *e, uint64_t now, struct hip_assoc *a);
int engine_resend_i1(struct hip_engine *e, struct hip_assoc *a);
int engine_handle_r1(struct hip_engine *e, uint64_t now,
		     const struct hip_packet *p, size_t local_idx,
		     const struct in6_addr *src, const struct in6_addr *dst);
int engine_handle_r2(struct hip_engine *e, uint64_t now,
		     const struct hip_packet *p, size_t local_idx,
		     const struct in6_addr *src, const struct in6_addr *dst);

/* engine_resp.c: the Responder's side (I2 in, R2 out). */
int engine_handle_i2(struct hip_engine *e, uint64_t now,
		     const struct hip_packet *p, size_t local_idx,
		     const struct in6_addr *src, const struct in6_addr *dst);

/* engine_sa.c: keys and SAs. */
int engine_derive_keys(struct hip_assoc *a, const uint8_t *kij,
		       size_t kij_len);
int engine_sa_install(struct hip_engine *e, struct hip_assoc *a);
int engine_sa_install_rekey(struct hip_engine *e, struct hip_assoc *a);

/* engine_close.c */
int engine_close_start(struct hip_engine *e, uint64_t now,
		       struct hip_assoc *a);
int engine_handle_close(struct hip_engine *e, uint64_t now,
			const struct hip_packet *p, size_t local_idx,
			const struct in6_addr *src,
			const struct in6_addr *dst);
int engine_handle_close_ack(struct hip_engine *e, uint64_t now,
			    const struct hip_packet *p, size_t local_idx,
			    const struct in6_addr *src,
			    const struct in6_addr *dst);

/* engine_notify.c */
void engine_notify(struct hip_engine *e, uint64_t now, size_t local_idx,
		   const uint8_t *peer_hit, const struct in6_addr *src,
		   const struct in6_addr *dst, uint16_t type,
		   const uint8_t *data, size_t data_len);
int engine_handle_notify(struct hip_engine *e, uint64_t now,
			 const struct hip_packet *p, size_t local_idx);

/* engine_update.c: UPDATE framework (RFC 7401 5.3.5, 6.11, 6.12). */

/* A received UPDATE, parsed and checked for form before anything is
 * verified or changed. */
struct update_in {
	bool have_seq;
	uint32_t seq;
	struct hip_ack ack;		/* count 0: none */
	bool have_esp_info;
	struct hip_esp_info ei;
	bool have_dh;
	struct hip_dh_value dh;
	bool have_locs;
	struct hip_locator_set locs;
	const struct hip_param *echo_req;	/* ECHO_REQUEST_SIGNED */
	const struct hip_param *echo_resp;	/* ECHO_RESPONSE_SIGNED */
	/* Filled by processing: the echo to answer, where to send. */
	struct in6_addr reply_src, reply_dst;
};
int engine_handle_update(struct hip_engine *e, uint64_t now,
			 const struct hip_packet *p, size_t local_idx,
			 const struct in6_addr *src,
			 const struct in6_addr *dst);
/* Send an UPDATE with a new SEQ carrying everything outstanding
 * (rekey, locators, echo requests) and acks (may be empty). */
int engine_update_flush(struct hip_engine *e, uint64_t now,
			struct hip_assoc *a, const uint32_t *acks,
			size_t n_acks, const struct hip_param *echo_req);
uint64_t engine_update_deadline(const struct hip_engine *e,
				const struct hip_assoc *a);
void engine_update_timeout(struct hip_engine *e, uint64_t now,
			   struct hip_assoc *a);
/* Forget everything UPDATE-related (keys wiped). */
void engine_update_clear(struct hip_assoc *a);
uint64_t engine_rexmit_span(const struct hip_engine *e);
bool engine_update_id_covers(const struct hip_assoc *a, uint32_t first,
			     uint32_t id);

/* engine_rekey.c: RFC 7402 6.9, 6.10. */
int engine_rekey_start(struct hip_engine *e, uint64_t now,
		       struct hip_assoc *a);
void engine_rekey_free(struct engine_rekey *rk);
int engine_rekey_put(struct hip_builder *b, const struct hip_assoc *a,
		     bool dh_part);
bool engine_rekey_outstanding(const struct hip_assoc *a);
int engine_rekey_check(struct hip_engine *e, const struct hip_assoc *a,
		       const struct update_in *in);
int engine_rekey_recv(struct hip_engine *e, uint64_t now,
		      struct hip_assoc *a, const struct update_in *in,
		      bool *need_send);
void engine_rekey_acked(struct hip_assoc *a, uint32_t id);
int engine_rekey_progress(struct hip_engine *e, uint64_t now,
			  struct hip_assoc *a);
void engine_rekey_abandon(struct hip_engine *e, struct hip_assoc *a,
			  const char *why);
uint64_t engine_rekey_deadline(const struct hip_assoc *a);
void engine_rekey_timeout(struct hip_engine *e, uint64_t now,
			  struct hip_assoc *a);
void engine_old_sa_delete(struct hip_engine *e, struct hip_assoc *a);

/* engine_locator.c: RFC 8046, RFC 8047. */
bool engine_loc_outstanding(const struct hip_assoc *a);
int engine_loc_put(struct hip_builder *b, struct hip_engine *e,
		   const struct hip_assoc *a, uint16_t type);
const struct in6_addr *engine_loc_update_dst(const struct hip_engine *e,
					     const struct hip_assoc *a,
					     unsigned attempt);
const struct in6_addr *engine_loc_src_for(const struct hip_engine *e,
					  const struct hip_assoc *a,
					  const struct in6_addr *dst);
int engine_loc_check(struct hip_engine *e, const struct hip_assoc *a,
		     const struct update_in *in);
int engine_loc_recv(struct hip_engine *e, uint64_t now,
		    struct hip_assoc *a, const struct update_in *in,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    bool *need_send);
void engine_loc_acked(struct hip_engine *e, uint64_t now,
		      struct hip_assoc *a, uint32_t id,
		      const struct update_in *in);
void engine_loc_given_up(struct hip_engine *e, struct hip_assoc *a);
uint64_t engine_loc_deadline(const struct hip_assoc *a);
void engine_loc_timeout(struct hip_engine *e, uint64_t now,
			struct hip_assoc *a);

/* engine_timer.c */
int engine_assoc_timeout(struct hip_engine *e, uint64_t now,
			 struct hip_assoc *a);

#endif
