/*
 * hipd/kernel_pfkey.h - internals of the PF_KEY backend ("pfkey"),
 * shared by kernel_pfkey*.c.  Not for callers: use hipd/kernel.h.
 *
 *   kernel_pfkey.c         findings about af_key, open/close, probe,
 *                          requests and address conversions, ops table
 *   kernel_pfkey_sa.c      GETSPI, SAs (through XFRM), GET, DELETE
 *   kernel_pfkey_policy.c  X_SPDADD/X_SPDUPDATE, X_SPDDELETE, X_MIGRATE
 *   kernel_pfkey_flush.c   flush_owned: DUMP, X_SPDDUMP, DELETE,
 *                          X_SPDDELETE2
 *   kernel_pfkey_events.c  the event socket; an ACQUIRE's flow (with
 *                          X_SPDGET and the larval SA)
 *   kernel_pfkey_decode.c  EXPIRE, X_MIGRATE, ACQUIRE messages to
 *                          events (no socket: fuzzed)
 *
 * The backend keeps an XFRM netlink handle (kernel_xfrm_*.c) for the
 * steps af_key cannot express; kernel_pfkey.c says which and why.
 */
#ifndef HIPD_KERNEL_PFKEY_H
#define HIPD_KERNEL_PFKEY_H

#include <stdint.h>
#include "pfkey/pfkey.h"
#include "hipd/kernel.h"

#define PFK_TIMEOUT_MS	5000		/* per request */
#define PFK_MSG_BUF	4096		/* one request or one reply */
#define PFK_EV_RCVBUF	(1 << 20)

struct pfk_kernel {
	struct hip_kernel base;		/* first: hip_kernel * <-> this */
	struct pfkey_sock req;		/* requests and their replies */
	struct pfkey_sock ev;		/* registered for ESP: broadcasts */
	int have_ev;
	struct hip_kernel *xfrm;	/* XFRM netlink, no event socket */
	_Alignas(8) uint8_t rbuf[PFKEY_RECV_BUF];	/* replies */
	_Alignas(8) uint8_t ebuf[PFKEY_RECV_BUF];	/* events */
};

static inline struct pfk_kernel *pfk_of(struct hip_kernel *k)
{
	return (struct pfk_kernel *)k;
}

/* kernel_pfkey.c (pfk_addr_bytes, pfk_is_zero: kernel_pfkey_decode.c) */
int pfk_errno_to_hip(int err);
/* Send the message in msg (len bytes, built with pfk_build_init) and
 * wait for its reply, parsed into *out (may be NULL; points into
 * p->rbuf).  The message is wiped after sending; callers wipe p->rbuf
 * after reading a reply about an SA (it carries the keys).  A refusal
 * is described in p->base.errmsg. */
int pfk_request(struct pfk_kernel *p, void *msg, size_t len,
		struct pfkey_msg *out);
/* Drop what is queued on the request socket (others' broadcasts). */
void pfk_drain(struct pfk_kernel *p);
/* Receive one message from s into buf (PFKEY_RECV_BUF bytes), repaired
 * (pfk_msg_repair) and parsed into *m; wait up to timeout_ms (0: do not
 * wait).  0, -EAGAIN when nothing came, or another negative libpfkey
 * code (a malformed message is consumed). */
int pfk_recv(struct pfkey_sock *s, uint8_t *buf, struct pfkey_msg *m,
	     int timeout_ms);
/* SADB_DUMP or SADB_X_SPDDUMP through pfk_recv: entry() per entry;
 * the number of entries, or a negative libpfkey code. */
int pfk_dump(struct pfk_kernel *p, uint8_t type, uint8_t satype,
	     pfkey_entry_fn entry, void *arg);
/* Start a request of type/satype in buf (PFK_MSG_BUF bytes). */
int pfk_build_init(struct pfk_kernel *p, struct pfkey_builder *b, void *buf,
		   uint8_t type, uint8_t satype);
/* The sockaddr of a family (AF_INET, else AF_INET6) and 16 address
 * bytes (IPv4 in the first 4). */
void pfk_sockaddr(union pfkey_sockaddr *sa, sa_family_t family,
		  const uint8_t *b);
/* Address bytes (16, IPv4 in the first 4) and family of a sockaddr;
 * HIP_EFORMAT for families other than AF_INET/AF_INET6. */
int pfk_addr_bytes(const union pfkey_sockaddr *sa, sa_family_t *family,
		   uint8_t b[16]);
int pfk_add_addr(struct pfkey_builder *b, uint16_t exttype,
		 sa_family_t family, const uint8_t *addr, uint8_t plen);
/* 1 if the first n bytes are zero. */
int pfk_is_zero(const uint8_t *b, size_t n);
void pfk_set_errmsg(struct pfk_kernel *p, const char *what, int err);

/* kernel_pfkey_sa.c */
int pfk_alloc_spi(struct hip_kernel *k, const struct hip_kernel_outer *outer,
		  uint32_t reqid, uint32_t min, uint32_t max, uint32_t *spi);
int pfk_add_sa(struct hip_kernel *k, const struct hip_kernel_sa *sa);
int pfk_del_sa(struct hip_kernel *k, const struct hip_kernel_ip *dst,
	       uint32_t spi);
int pfk_get_sa_stats(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		     uint32_t spi, struct hip_kernel_sa_stats *st);
/* SADB_DELETE of (family, dst, spi) without ownership checks. */
int pfk_delete_sa_raw(struct pfk_kernel *p, sa_family_t family,
		      const uint8_t *dst, uint32_t spi);

/* kernel_pfkey_policy.c (pfk_msg_sel: kernel_pfkey_decode.c) */
int pfk_add_policy(struct hip_kernel *k, const struct hip_kernel_policy *pol);
int pfk_del_policy(struct hip_kernel *k, const struct hip_kernel_sel *inner,
		   enum hip_kernel_dir dir);
int pfk_migrate(struct hip_kernel *k, const struct hip_kernel_migrate *m);
/* SADB_X_SPDDELETE2 of a policy id without ownership checks. */
int pfk_spd_delete_id(struct pfk_kernel *p, uint32_t id, uint8_t dir);
/* The selector of a parsed policy message (SRC/DST extensions). */
int pfk_msg_sel(const struct pfkey_msg *m, struct hip_kernel_sel *sel);

/* kernel_pfkey_flush.c */
int pfk_flush_owned(struct hip_kernel *k, unsigned *count);

/* kernel_pfkey_events.c */
int pfk_event_fd(struct hip_kernel *k);
int pfk_read_events(struct hip_kernel *k, unsigned max,
		    hip_kernel_event_cb cb, void *arg);

/* kernel_pfkey_decode.c: no socket, no state */
/* Undo af_key's bad PROXY extension in messages about BEET SAs with
 * HITs over IPv4 (see there); returns the new length. */
size_t pfk_msg_repair(uint8_t *buf, size_t len);
/* Decode an EXPIRE or X_MIGRATE message: 1 and *ev filled, 0 for other
 * messages, negative HIP_E* for malformed ones. */
int pfk_event_decode(const struct pfkey_msg *m, struct hip_kernel_event *ev);
/* An ACQUIRE without its flow (ev->u.acquire.inner and .reqid stay 0):
 * 1 and *ev, the template's outer addresses in *outer and the policy's
 * PF_KEY direction in *dir; 0 for other messages, negative HIP_E* for
 * malformed ones.  The flow needs the kernel (kernel_pfkey_events.c). */
int pfk_acquire_decode(const struct pfkey_msg *m, struct hip_kernel_event *ev,
		       struct hip_kernel_outer *outer, uint8_t *dir);
/* The outer addresses of a message (SRC/DST extensions). */
int pfk_msg_outer(const struct pfkey_msg *m, struct hip_kernel_outer *o);

#endif
