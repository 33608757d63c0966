/*
 * hipd/kernel_xfrm.h - internals of the XFRM netlink backend (libmnl),
 * shared by kernel_xfrm_*.c.  Not for callers: use hipd/kernel.h.
 *
 *   kernel_xfrm_nl.c      sockets, requests, replies, errors
 *   kernel_xfrm_sa.c      SAs: ALLOCSPI, NEWSA/UPDSA, DELSA, GETSA
 *   kernel_xfrm_policy.c  policies and MIGRATE
 *   kernel_xfrm_flush.c   flush_owned
 *   kernel_xfrm_events.c  ACQUIRE / EXPIRE / MIGRATE events
 *   kernel_xfrm_probe.c   probe, and the ops table
 */
#ifndef HIPD_KERNEL_XFRM_H
#define HIPD_KERNEL_XFRM_H

#include <stdint.h>
#include <linux/xfrm.h>
#include <libmnl/libmnl.h>

#include "hipd/kernel.h"

/* Request buffer: one message with a handful of attributes; replies
 * and dumps get a larger one. */
#define XFRM_REQ_BUF	2048
#define XFRM_RECV_BUF	32768

struct xfrm_kernel {
	struct hip_kernel base;		/* first: hip_kernel * <-> this */
	struct mnl_socket *req;		/* requests, blocking with timeout */
	struct mnl_socket *ev;		/* multicast events, non-blocking */
	uint32_t portid;
	uint32_t seq;
	_Alignas(8) char rbuf[XFRM_RECV_BUF];	/* replies to requests */
	_Alignas(8) char ebuf[XFRM_RECV_BUF];	/* events */
};

static inline struct xfrm_kernel *xfrm_of(struct hip_kernel *k)
{
	return (struct xfrm_kernel *)k;
}

/* kernel_xfrm_nl.c */
int xfrm_nl_open(struct hip_kernel **kp, unsigned flags, char *why,
		 size_t whycap);
void xfrm_nl_close(struct hip_kernel *k);
/* Start a request of type with the given flags (NLM_F_REQUEST added)
 * in buf (XFRM_REQ_BUF bytes) and reserve a fixed header of hdrlen. */
struct nlmsghdr *xfrm_nl_start(void *buf, uint16_t type, uint16_t flags,
			       void **hdr, size_t hdrlen);
/* Send nlh and run the replies through cb (may be NULL) until the ACK,
 * NLMSG_DONE or an error.  0 or a negative HIP_E* code; the kernel's
 * extended-ack message goes to k->errmsg.  nlh is wiped after sending
 * (requests may carry keys). */
int xfrm_nl_talk(struct xfrm_kernel *x, struct nlmsghdr *nlh,
		 mnl_cb_t cb, void *data);
int xfrm_nl_errno_to_hip(int e);

/* Conversions between the API structs and the kernel's. */
int xfrm_check_sel(const struct hip_kernel_sel *s);
int xfrm_check_outer(const struct hip_kernel_outer *o, int allow_any);
void xfrm_sel_to_kernel(const struct hip_kernel_sel *s,
			struct xfrm_selector *ks);
void xfrm_sel_from_kernel(const struct xfrm_selector *ks,
			  struct hip_kernel_sel *s);
void xfrm_outer_from_kernel(uint16_t family, const xfrm_address_t *src,
			    const xfrm_address_t *dst,
			    struct hip_kernel_outer *o);
void xfrm_outer_to_kernel(const struct hip_kernel_outer *o,
			  xfrm_address_t *src, xfrm_address_t *dst);
void xfrm_ip_to_kernel(const struct hip_kernel_ip *ip, xfrm_address_t *ka);
/* 1 if all 16 bytes of a are zero. */
int xfrm_addr_is_any(const xfrm_address_t *a);

/* kernel_xfrm_sa.c */
int xfrm_alloc_spi(struct hip_kernel *k, const struct hip_kernel_outer *outer,
		   uint32_t reqid, uint32_t min, uint32_t max, uint32_t *spi);
int xfrm_add_sa(struct hip_kernel *k, const struct hip_kernel_sa *sa);
int xfrm_del_sa(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		uint32_t spi);
int xfrm_get_sa_stats(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		      uint32_t spi, struct hip_kernel_sa_stats *st);
/* Delete the SA (family, dst, spi, proto) without ownership checks. */
int xfrm_del_sa_raw(struct xfrm_kernel *x, uint16_t family,
		    const xfrm_address_t *dst, uint32_t spi, uint8_t proto);

/* kernel_xfrm_policy.c */
int xfrm_add_policy(struct hip_kernel *k, const struct hip_kernel_policy *p);
int xfrm_del_policy(struct hip_kernel *k, const struct hip_kernel_sel *inner,
		    enum hip_kernel_dir dir);
int xfrm_migrate(struct hip_kernel *k, const struct hip_kernel_migrate *m);
/* Delete the policy (index, dir) without ownership checks. */
int xfrm_del_policy_raw(struct xfrm_kernel *x, uint32_t index, uint8_t dir);

/* kernel_xfrm_flush.c */
int xfrm_flush_owned(struct hip_kernel *k, unsigned *count);

/* kernel_xfrm_events.c */
int xfrm_event_fd(struct hip_kernel *k);
int xfrm_read_events(struct hip_kernel *k, unsigned max,
		     hip_kernel_event_cb cb, void *arg);
/* Decode one event message (exposed for tests and fuzzing): 1 and *ev
 * filled if it is an event we report, 0 if it is another message,
 * negative HIP_E* if it is malformed. */
int xfrm_event_decode(const struct nlmsghdr *nlh, struct hip_kernel_event *ev);

/* kernel_xfrm_probe.c */
int xfrm_probe(struct hip_kernel *k, char *why, size_t whycap);

#endif
