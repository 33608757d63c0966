/*
 * kernel_xfrm_events.c - the XFRM multicast events hipd listens to
 * (XFRMNLGRP_ACQUIRE, EXPIRE and MIGRATE, joined in kernel_xfrm_nl.c)
 * decoded into struct hip_kernel_event.  Message bodies are copied
 * into local structs after a length check, attributes validated with
 * libmnl before use.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "hip/error.h"
#include "hipd/kernel_xfrm.h"

int xfrm_event_fd(struct hip_kernel *k)
{
	struct xfrm_kernel *x = xfrm_of(k);

	return x->ev != NULL ? mnl_socket_get_fd(x->ev) : -1;
}

/* The payload of an array attribute of fixed-size elements: n elements,
 * or -1 if its length is not a positive multiple of size. */
static int xfrm_attr_array(const struct nlattr *a, size_t size)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len == 0 || len % size != 0)
		return -1;
	return (int)(len / size);
}

static int xfrm_decode_acquire(const struct nlmsghdr *nlh,
			       struct hip_kernel_event *ev)
{
	struct xfrm_user_acquire acq;
	struct xfrm_user_tmpl t;
	const struct nlattr *a;
	int have_tmpl = 0;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(acq))
		return HIP_ETRUNC;
	memcpy(&acq, mnl_nlmsg_get_payload(nlh), sizeof(acq));
	mnl_attr_for_each(a, nlh, sizeof(acq)) {
		if (mnl_attr_get_type(a) != XFRMA_TMPL || have_tmpl)
			continue;
		if (xfrm_attr_array(a, sizeof(t)) < 1)
			return HIP_ELEN;
		memcpy(&t, mnl_attr_get_payload(a), sizeof(t));
		have_tmpl = 1;
	}
	memset(ev, 0, sizeof(*ev));
	ev->type = HIP_KEV_ACQUIRE;
	xfrm_sel_from_kernel(&acq.sel, &ev->u.acquire.inner);
	/* No template, or the trigger policies' unspecified destination:
	 * no locator is known. */
	if (have_tmpl && !xfrm_addr_is_any(&acq.id.daddr))
		xfrm_outer_from_kernel(t.family, &acq.saddr, &acq.id.daddr,
				       &ev->u.acquire.outer);
	ev->u.acquire.reqid = have_tmpl ? t.reqid : 0;
	ev->u.acquire.policy_index = acq.policy.index;
	ev->u.acquire.policy_dir = acq.policy.dir == XFRM_POLICY_IN ?
				   HIP_KERNEL_DIR_IN : HIP_KERNEL_DIR_OUT;
	ev->u.acquire.seq = acq.seq;
	return 1;
}

static int xfrm_decode_expire(const struct nlmsghdr *nlh,
			      struct hip_kernel_event *ev)
{
	struct xfrm_user_expire e;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e))
		return HIP_ETRUNC;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	memset(ev, 0, sizeof(*ev));
	ev->type = HIP_KEV_EXPIRE;
	xfrm_sel_from_kernel(&e.state.sel, &ev->u.expire.inner);
	xfrm_outer_from_kernel(e.state.family, &e.state.saddr,
			       &e.state.id.daddr, &ev->u.expire.outer);
	ev->u.expire.spi = ntohl(e.state.id.spi);
	ev->u.expire.reqid = e.state.reqid;
	ev->u.expire.hard = e.hard != 0;
	return 1;
}

static int xfrm_decode_migrate(const struct nlmsghdr *nlh,
			       struct hip_kernel_event *ev)
{
	struct xfrm_userpolicy_id id;
	struct xfrm_user_migrate m;
	const struct nlattr *a;
	const uint8_t *p = NULL;
	int i, n = 0;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(id))
		return HIP_ETRUNC;
	memcpy(&id, mnl_nlmsg_get_payload(nlh), sizeof(id));
	mnl_attr_for_each(a, nlh, sizeof(id)) {
		if (mnl_attr_get_type(a) != XFRMA_MIGRATE || p != NULL)
			continue;
		n = xfrm_attr_array(a, sizeof(m));
		if (n < 1)
			return HIP_ELEN;
		p = mnl_attr_get_payload(a);
	}
	if (p == NULL)
		return HIP_EMISSING;
	memset(ev, 0, sizeof(*ev));
	ev->type = HIP_KEV_MIGRATE;
	xfrm_sel_from_kernel(&id.sel, &ev->u.migrate.inner);
	ev->u.migrate.dir = id.dir == XFRM_POLICY_IN ? HIP_KERNEL_DIR_IN :
			    HIP_KERNEL_DIR_OUT;
	if (n > HIP_KERNEL_MIGRATE_MAX)
		n = HIP_KERNEL_MIGRATE_MAX;
	for (i = 0; i < n; i++) {
		struct hip_kernel_migrate_entry *e = &ev->u.migrate.e[i];

		memcpy(&m, p + (size_t)i * sizeof(m), sizeof(m));
		xfrm_outer_from_kernel(m.old_family, &m.old_saddr,
				       &m.old_daddr, &e->old_outer);
		xfrm_outer_from_kernel(m.new_family, &m.new_saddr,
				       &m.new_daddr, &e->new_outer);
		e->reqid = m.reqid;
	}
	ev->u.migrate.n = (unsigned)n;
	return 1;
}

int xfrm_event_decode(const struct nlmsghdr *nlh, struct hip_kernel_event *ev)
{
	switch (nlh->nlmsg_type) {
	case XFRM_MSG_ACQUIRE:
		return xfrm_decode_acquire(nlh, ev);
	case XFRM_MSG_EXPIRE:
		return xfrm_decode_expire(nlh, ev);
	case XFRM_MSG_MIGRATE:
		return xfrm_decode_migrate(nlh, ev);
	default:
		return 0;
	}
}

struct xfrm_ev_ctx {
	hip_kernel_event_cb cb;
	void *arg;
	unsigned handled;
};

static int xfrm_ev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_ev_ctx *c = data;
	struct hip_kernel_event ev;

	/* A malformed event is dropped: the others in the datagram may
	 * still be good, and the kernel does not resend. */
	if (xfrm_event_decode(nlh, &ev) == 1) {
		c->cb(&ev, c->arg);
		c->handled++;
	}
	return MNL_CB_OK;
}

int xfrm_read_events(struct hip_kernel *k, unsigned max,
		     hip_kernel_event_cb cb, void *arg)
{
	struct xfrm_kernel *x = xfrm_of(k);
	struct xfrm_ev_ctx c = { .cb = cb, .arg = arg };
	struct sockaddr_nl from;
	socklen_t fromlen;
	ssize_t n;
	int fd;

	if (cb == NULL)
		return HIP_EINVAL;
	if (x->ev == NULL)
		return HIP_ESTATE;
	fd = mnl_socket_get_fd(x->ev);
	while (c.handled < max) {
		fromlen = sizeof(from);
		n = recvfrom(fd, x->ebuf, sizeof(x->ebuf), MSG_TRUNC,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				struct hip_kernel_event ev;

				memset(&ev, 0, sizeof(ev));
				ev.type = HIP_KEV_OVERRUN;
				cb(&ev, arg);
				c.handled++;
				continue;
			}
			return xfrm_nl_errno_to_hip(errno);
		}
		/* Only the kernel speaks on these groups; a datagram larger
		 * than our buffer was cut and cannot be trusted. */
		if (fromlen != sizeof(from) || from.nl_pid != 0 ||
		    (size_t)n > sizeof(x->ebuf))
			continue;
		(void)mnl_cb_run(x->ebuf, (size_t)n, 0, 0, xfrm_ev_cb, &c);
	}
	return (int)c.handled;
}
