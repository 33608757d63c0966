/*
 * kernel_xfrm_nl.c - the XFRM netlink sockets of the xfrm backend:
 * opening them, one request/reply exchange (real seq and portid checked
 * by mnl_cb_run2, the kernel's extended-ack message kept), and the
 * conversions between the API's address structs and the kernel's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/kernel_xfrm.h"

#define XFRM_REQ_TIMEOUT_S	5
#define XFRM_EV_RCVBUF		(1 << 20)

int xfrm_nl_errno_to_hip(int e)
{
	switch (e) {
	case 0:
		return 0;
	case EEXIST:
		return HIP_EEXIST;
	case ENOENT:
	case ESRCH:
	case ENODATA:	/* MIGRATE: a policy, but no template to move */
		return HIP_ENOENT;
	case EPERM:
	case EACCES:
		return HIP_EPERM;
	case ENOMEM:
	case ENOBUFS:
		return HIP_ENOMEM;
	case EINVAL:
	case ERANGE:
	case E2BIG:
		return HIP_EINVAL;
	case EPROTONOSUPPORT:
	case ENOPROTOOPT:
	case EAFNOSUPPORT:
	case EOPNOTSUPP:
	case ENOSYS:
		return HIP_EUNSUPPORTED;
	case EPROTO:
	case EBADMSG:
		return HIP_EFORMAT;
	default:
		errno = e;
		return HIP_EIO;
	}
}

static void xfrm_sock_close(struct mnl_socket **s)
{
	if (*s != NULL) {
		mnl_socket_close(*s);
		*s = NULL;
	}
}

static int xfrm_req_socket(struct xfrm_kernel *x)
{
	struct timeval tv = { .tv_sec = XFRM_REQ_TIMEOUT_S };
	int one = 1;

	x->req = mnl_socket_open2(NETLINK_XFRM, SOCK_CLOEXEC);
	if (x->req == NULL)
		return xfrm_nl_errno_to_hip(errno);
	if (mnl_socket_bind(x->req, 0, MNL_SOCKET_AUTOPID) < 0)
		return xfrm_nl_errno_to_hip(errno);
	/* Errors come with the kernel's explanation and without a copy of
	 * our request (which may hold keys). Both are optional. */
	(void)mnl_socket_setsockopt(x->req, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)mnl_socket_setsockopt(x->req, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(mnl_socket_get_fd(x->req), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0)
		return xfrm_nl_errno_to_hip(errno);
	x->portid = mnl_socket_get_portid(x->req);
	return 0;
}

static int xfrm_ev_socket(struct xfrm_kernel *x)
{
	static const int groups[] = {
		XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE, XFRMNLGRP_MIGRATE,
	};
	int sz = XFRM_EV_RCVBUF;
	size_t i;

	x->ev = mnl_socket_open2(NETLINK_XFRM, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (x->ev == NULL)
		return xfrm_nl_errno_to_hip(errno);
	if (mnl_socket_bind(x->ev, 0, MNL_SOCKET_AUTOPID) < 0)
		return xfrm_nl_errno_to_hip(errno);
	for (i = 0; i < HIP_ARRAY_SIZE(groups); i++) {
		int g = groups[i];

		if (mnl_socket_setsockopt(x->ev, NETLINK_ADD_MEMBERSHIP,
					  &g, sizeof(g)) < 0)
			return xfrm_nl_errno_to_hip(errno);
	}
	/* A burst of ACQUIREs should not overrun us: best effort. */
	(void)setsockopt(mnl_socket_get_fd(x->ev), SOL_SOCKET, SO_RCVBUF,
			 &sz, sizeof(sz));
	return 0;
}

int xfrm_nl_open(struct hip_kernel **kp, unsigned flags, char *why,
		 size_t whycap)
{
	struct xfrm_kernel *x;
	int err;

	if (kp == NULL)
		return HIP_EINVAL;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return HIP_ENOMEM;
	x->base.ops = &hip_kernel_xfrm_ops;
	/* Start somewhere unpredictable so replies to an earlier
	 * incarnation cannot match. */
	x->seq = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16);
	err = xfrm_req_socket(x);
	if (err == 0 && !(flags & HIP_KERNEL_OPEN_NOEVENTS))
		err = xfrm_ev_socket(x);
	if (err < 0) {
		int e = errno;

		if (why != NULL && whycap > 0) {
			if (err == HIP_EUNSUPPORTED)
				snprintf(why, whycap, "the kernel has no XFRM "
					 "netlink: load the xfrm_user module "
					 "(CONFIG_XFRM_USER)");
			else if (err == HIP_EPERM)
				snprintf(why, whycap, "XFRM netlink needs "
					 "CAP_NET_ADMIN");
			else
				snprintf(why, whycap, "cannot open XFRM "
					 "netlink: %s", hip_strerror(err));
		}
		xfrm_nl_close(&x->base);
		errno = e;
		return err;
	}
	*kp = &x->base;
	return 0;
}

void xfrm_nl_close(struct hip_kernel *k)
{
	struct xfrm_kernel *x = xfrm_of(k);

	if (x == NULL)
		return;
	xfrm_sock_close(&x->req);
	xfrm_sock_close(&x->ev);
	free(x);
}

struct nlmsghdr *xfrm_nl_start(void *buf, uint16_t type, uint16_t flags,
			       void **hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, XFRM_REQ_BUF);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	*hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

struct xfrm_talk_ctx {
	struct xfrm_kernel *x;
	mnl_cb_t cb;
	void *data;
};

static int xfrm_extack_attr(const struct nlattr *attr, void *data)
{
	struct xfrm_kernel *x = data;
	size_t n;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;	/* an unreadable hint is no error */
	n = strnlen(mnl_attr_get_str(attr), mnl_attr_get_payload_len(attr));
	if (n >= sizeof(x->base.errmsg))
		n = sizeof(x->base.errmsg) - 1;
	memcpy(x->base.errmsg, mnl_attr_get_str(attr), n);
	x->base.errmsg[n] = '\0';
	return MNL_CB_OK;
}

static int xfrm_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_talk_ctx *c = data;
	struct nlmsgerr err;
	size_t off;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err.error == 0)
		return MNL_CB_STOP;	/* the ACK */
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err.msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (off <= mnl_nlmsg_get_payload_len(nlh))
			(void)mnl_attr_parse(nlh, (unsigned)off,
					     xfrm_extack_attr, c->x);
	}
	errno = err.error < 0 ? -err.error : err.error;
	return MNL_CB_ERROR;
}

/* The end of a dump; it carries the dump's error code, if any. */
static int xfrm_done_cb(const struct nlmsghdr *nlh, void *data)
{
	int32_t e = 0;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(e))
		memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	if (e < 0) {
		errno = -e;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int xfrm_overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	errno = ENOBUFS;
	return MNL_CB_ERROR;
}

static int xfrm_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_talk_ctx *c = data;

	if (c->cb == NULL)
		return MNL_CB_OK;
	return c->cb(nlh, c->data);
}

/* Drop what an earlier, failed exchange may have left queued. */
static void xfrm_nl_drain(struct xfrm_kernel *x, void *buf, size_t cap)
{
	int fd = mnl_socket_get_fd(x->req);

	while (recv(fd, buf, cap, MSG_DONTWAIT) > 0)
		;
}

int xfrm_nl_talk(struct xfrm_kernel *x, struct nlmsghdr *nlh,
		 mnl_cb_t cb, void *data)
{
	char *buf = x->rbuf;
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { 0 };
	struct xfrm_talk_ctx c = { .x = x, .cb = cb, .data = data };
	uint32_t len = nlh->nlmsg_len;
	uint32_t seq;
	ssize_t n;
	int ret;

	/* mnl_cb_run2 uses no default for a type below the array's
	 * length: every control message we expect gets a handler. */
	ctl[NLMSG_ERROR] = xfrm_error_cb;
	ctl[NLMSG_DONE] = xfrm_done_cb;
	ctl[NLMSG_OVERRUN] = xfrm_overrun_cb;
	x->base.errmsg[0] = '\0';
	xfrm_nl_drain(x, buf, sizeof(x->rbuf));
	seq = ++x->seq;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	/* Not a plain bit test: NLM_F_EXCL shares a bit with NLM_F_DUMP. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	n = mnl_socket_sendto(x->req, nlh, len);
	hip_wipe(nlh, len);
	if (n < 0)
		return xfrm_nl_errno_to_hip(errno);
	for (;;) {
		n = mnl_socket_recvfrom(x->req, buf, sizeof(x->rbuf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return xfrm_nl_errno_to_hip(errno);
		}
		ret = mnl_cb_run2(buf, (size_t)n, seq, x->portid, xfrm_data_cb,
				  &c, ctl, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return xfrm_nl_errno_to_hip(errno);
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

/* --- address conversions --- */

static int xfrm_plen_ok(sa_family_t f, unsigned plen)
{
	return (f == AF_INET && plen <= 32) || (f == AF_INET6 && plen <= 128);
}

int xfrm_check_sel(const struct hip_kernel_sel *s)
{
	if (s == NULL || (s->family != AF_INET && s->family != AF_INET6))
		return HIP_EINVAL;
	if (!xfrm_plen_ok(s->family, s->src_plen) ||
	    !xfrm_plen_ok(s->family, s->dst_plen))
		return HIP_EINVAL;
	return 0;
}

static int xfrm_bytes_any(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

int xfrm_check_outer(const struct hip_kernel_outer *o, int allow_any)
{
	size_t n;

	if (o == NULL || (o->family != AF_INET && o->family != AF_INET6))
		return HIP_EINVAL;
	n = o->family == AF_INET ? 4 : 16;
	if (!allow_any && (xfrm_bytes_any(o->src.b, n) ||
			   xfrm_bytes_any(o->dst.b, n)))
		return HIP_EINVAL;
	return 0;
}

int xfrm_addr_is_any(const xfrm_address_t *a)
{
	return xfrm_bytes_any((const uint8_t *)a, sizeof(*a));
}

static void xfrm_addr_put(xfrm_address_t *ka, sa_family_t f, const uint8_t *b)
{
	memset(ka, 0, sizeof(*ka));
	memcpy(ka, b, f == AF_INET ? 4 : 16);
}

static void xfrm_addr_get(uint8_t *b, uint16_t f, const xfrm_address_t *ka)
{
	memset(b, 0, 16);
	memcpy(b, ka, f == AF_INET ? 4 : 16);
}

void xfrm_sel_to_kernel(const struct hip_kernel_sel *s,
			struct xfrm_selector *ks)
{
	memset(ks, 0, sizeof(*ks));
	xfrm_addr_put(&ks->daddr, s->family, s->dst.b);
	xfrm_addr_put(&ks->saddr, s->family, s->src.b);
	ks->family = s->family;
	ks->prefixlen_d = s->dst_plen;
	ks->prefixlen_s = s->src_plen;
}

void xfrm_sel_from_kernel(const struct xfrm_selector *ks,
			  struct hip_kernel_sel *s)
{
	memset(s, 0, sizeof(*s));
	s->family = ks->family;
	xfrm_addr_get(s->dst.b, ks->family, &ks->daddr);
	xfrm_addr_get(s->src.b, ks->family, &ks->saddr);
	s->dst_plen = ks->prefixlen_d;
	s->src_plen = ks->prefixlen_s;
}

void xfrm_outer_from_kernel(uint16_t family, const xfrm_address_t *src,
			    const xfrm_address_t *dst,
			    struct hip_kernel_outer *o)
{
	memset(o, 0, sizeof(*o));
	if (family != AF_INET && family != AF_INET6)
		return;			/* AF_UNSPEC: none */
	o->family = family;
	xfrm_addr_get(o->src.b, family, src);
	xfrm_addr_get(o->dst.b, family, dst);
}

void xfrm_outer_to_kernel(const struct hip_kernel_outer *o,
			  xfrm_address_t *src, xfrm_address_t *dst)
{
	xfrm_addr_put(src, o->family, o->src.b);
	xfrm_addr_put(dst, o->family, o->dst.b);
}

void xfrm_ip_to_kernel(const struct hip_kernel_ip *ip, xfrm_address_t *ka)
{
	xfrm_addr_put(ka, ip->family, ip->a.b);
}
