/*
 * addrs.c - the host's locators from rtnetlink: list, change events,
 * route source lookup.  See addrs.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hipd/addrs.h"
#include "hipd/net_rtnl.h"

#define ADDRS_EV_RCVBUF		(1 << 20)

struct hip_addrs {
	struct hip_rtnl rtnl;
	struct mnl_socket *ev;		/* multicast, non-blocking */
	_Alignas(8) char req[HIP_RTNL_REQ_BUF];
	_Alignas(8) char ebuf[HIP_RTNL_RECV_BUF];
};

/* Address type rules (without flags and scope): 1 for a candidate. */
static int addrs_kind_ok(const struct in6_addr *a)
{
	const uint8_t *b = a->s6_addr;
	static const uint8_t zero[12];

	if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) {
		const uint8_t *v4 = b + 12;

		if (v4[0] == 0 || v4[0] == 127 || v4[0] >= 224)
			return 0;	/* this net, loopback, multicast, E */
		if (v4[0] == 169 && v4[1] == 254)
			return 0;	/* link-local */
		return !hip_lsi_is_lsi(v4);
	}
	if (memcmp(b, zero, 12) == 0)
		return 0;	/* ::, ::1, v4-compatible */
	if (b[0] == 0xff)
		return 0;	/* multicast */
	if (b[0] == 0xfe && (b[1] & 0x80))
		return 0;	/* link-local fe80::/10, site-local */
	return !hip_hit_is_hit(b);
}

int hip_addrs_usable(const struct in6_addr *addr, uint32_t ifa_flags,
		     uint8_t scope)
{
	if (addr == NULL || scope != RT_SCOPE_UNIVERSE)
		return 0;
	if (ifa_flags & (IFA_F_TENTATIVE | IFA_F_DEPRECATED | IFA_F_DADFAILED))
		return 0;
	return addrs_kind_ok(addr);
}

int hip_addrs_open(struct hip_addrs **ap, unsigned flags)
{
	static const unsigned groups[] = {
		RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_IFADDR, RTNLGRP_LINK,
	};
	struct hip_addrs *a;
	int sz = ADDRS_EV_RCVBUF;
	int err;
	size_t i;

	if (ap == NULL || (flags & ~HIP_ADDRS_NO_EVENTS))
		return HIP_EINVAL;
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return HIP_ENOMEM;
	err = hip_rtnl_open(&a->rtnl);
	if (err < 0)
		goto fail;
	if (flags & HIP_ADDRS_NO_EVENTS)
		goto done;
	a->ev = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (a->ev == NULL ||
	    mnl_socket_bind(a->ev, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = hip_rtnl_errno(errno);
		goto fail;
	}
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		int g = (int)groups[i];

		if (mnl_socket_setsockopt(a->ev, NETLINK_ADD_MEMBERSHIP,
					  &g, sizeof(g)) < 0) {
			err = hip_rtnl_errno(errno);
			goto fail;
		}
	}
	/* Many changes at once (an interface going away) should not
	 * overrun us; best effort, OVERRUN events cover the rest. */
	(void)setsockopt(mnl_socket_get_fd(a->ev), SOL_SOCKET, SO_RCVBUF,
			 &sz, sizeof(sz));
done:
	*ap = a;
	return 0;
fail:
	{
		int e = errno;

		hip_addrs_close(a);
		errno = e;
	}
	return err;
}

void hip_addrs_close(struct hip_addrs *a)
{
	if (a == NULL)
		return;
	hip_rtnl_close(&a->rtnl);
	if (a->ev != NULL)
		mnl_socket_close(a->ev);
	free(a);
}

int hip_addrs_event_fd(const struct hip_addrs *a)
{
	return a != NULL && a->ev != NULL ? mnl_socket_get_fd(a->ev) : -1;
}

const char *hip_addrs_errmsg(const struct hip_addrs *a)
{
	return a != NULL ? a->rtnl.errmsg : "";
}

/* --- list --- */

struct addrs_list_ctx {
	struct hip_locator *out;
	size_t cap, n;
};

static int addrs_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addrs_list_ctx *c = data;
	struct hip_rtnl_ifaddr ia;
	int err;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	err = hip_rtnl_parse_ifaddr(nlh, &ia);
	if (err == HIP_ENOENT)
		return MNL_CB_OK;
	if (err < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!hip_addrs_usable(&ia.addr, ia.flags, ia.scope))
		return MNL_CB_OK;
	if (c->n < c->cap) {
		c->out[c->n].addr = ia.addr;
		c->out[c->n].ifindex = ia.ifindex;
		c->out[c->n].plen = ia.plen;
	}
	c->n++;
	return MNL_CB_OK;
}

int hip_addrs_list(struct hip_addrs *a, struct hip_locator *out, size_t cap,
		   size_t *count)
{
	struct addrs_list_ctx c;
	struct hip_locator *tmp = NULL;
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;
	int err;

	if (a == NULL || count == NULL || (out == NULL && cap > 0))
		return HIP_EINVAL;
	/* Collect into scratch space: out is written only on success. */
	if (cap > 0) {
		tmp = calloc(cap, sizeof(*tmp));
		if (tmp == NULL)
			return HIP_ENOMEM;
	}
	c.out = tmp;
	c.cap = cap;
	c.n = 0;
	nlh = hip_rtnl_start(a->req, sizeof(a->req), RTM_GETADDR, NLM_F_DUMP,
			     (void **)&ifa, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	err = hip_rtnl_talk(&a->rtnl, nlh, addrs_list_cb, &c);
	if (err == 0) {
		if (cap > 0)
			memcpy(out, tmp,
			       (c.n < cap ? c.n : cap) * sizeof(*tmp));
		*count = c.n;
	}
	free(tmp);
	if (err < 0)
		return err;
	return c.n > cap ? HIP_ENOSPC : 0;
}

/* --- events --- */

struct addrs_ev_ctx {
	hip_addrs_event_cb cb;
	void *arg;
	int count;
};

static void addrs_emit(struct addrs_ev_ctx *c, const struct hip_addrs_event *ev)
{
	c->cb(ev, c->arg);
	c->count++;
}

static int addrs_ev_addr(const struct nlmsghdr *nlh, struct addrs_ev_ctx *c)
{
	struct hip_addrs_event ev;
	struct hip_rtnl_ifaddr ia;

	if (hip_rtnl_parse_ifaddr(nlh, &ia) < 0)
		return MNL_CB_OK;	/* not for us, or malformed: skip */
	if (ia.scope != RT_SCOPE_UNIVERSE || !addrs_kind_ok(&ia.addr))
		return MNL_CB_OK;
	memset(&ev, 0, sizeof(ev));
	ev.loc.addr = ia.addr;
	ev.loc.ifindex = ia.ifindex;
	ev.loc.plen = ia.plen;
	ev.ifindex = ia.ifindex;
	if (nlh->nlmsg_type == RTM_NEWADDR &&
	    hip_addrs_usable(&ia.addr, ia.flags, ia.scope))
		ev.type = HIP_ADDRS_EV_ADD;
	else
		ev.type = HIP_ADDRS_EV_DEL;
	addrs_emit(c, &ev);
	return MNL_CB_OK;
}

static int addrs_ev_link(const struct nlmsghdr *nlh, struct addrs_ev_ctx *c)
{
	struct hip_addrs_event ev;
	struct ifinfomsg ifi;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifi))
		return MNL_CB_OK;
	memcpy(&ifi, mnl_nlmsg_get_payload(nlh), sizeof(ifi));
	if (ifi.ifi_index <= 0 || (ifi.ifi_flags & IFF_LOOPBACK))
		return MNL_CB_OK;
	memset(&ev, 0, sizeof(ev));
	ev.ifindex = (unsigned)ifi.ifi_index;
	if (nlh->nlmsg_type == RTM_NEWLINK &&
	    (ifi.ifi_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING))
		ev.type = HIP_ADDRS_EV_LINK_UP;
	else
		ev.type = HIP_ADDRS_EV_LINK_DOWN;
	addrs_emit(c, &ev);
	return MNL_CB_OK;
}

static int addrs_ev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addrs_ev_ctx *c = data;

	switch (nlh->nlmsg_type) {
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return addrs_ev_addr(nlh, c);
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return addrs_ev_link(nlh, c);
	default:
		return MNL_CB_OK;
	}
}

int hip_addrs_read_events(struct hip_addrs *a, unsigned max,
			  hip_addrs_event_cb cb, void *arg)
{
	struct addrs_ev_ctx c = { .cb = cb, .arg = arg, .count = 0 };
	unsigned i;
	ssize_t n;

	if (a == NULL || a->ev == NULL || cb == NULL)
		return HIP_EINVAL;
	for (i = 0; i < max; i++) {
		n = hip_rtnl_recv_kernel(mnl_socket_get_fd(a->ev), a->ebuf,
					 sizeof(a->ebuf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				struct hip_addrs_event ev;

				memset(&ev, 0, sizeof(ev));
				ev.type = HIP_ADDRS_EV_OVERRUN;
				addrs_emit(&c, &ev);
				continue;
			}
			return hip_rtnl_errno(errno);
		}
		/* Notifications: any seq, any port id (the requester's).
		 * A malformed datagram is skipped; events decoded before
		 * the bad message have been delivered. */
		(void)mnl_cb_run(a->ebuf, (size_t)n, 0, 0, addrs_ev_cb, &c);
	}
	return c.count;
}

/* --- link state --- */

struct addrs_link_ctx {
	unsigned ifindex;
	unsigned flags;
	int found;
};

static int addrs_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addrs_link_ctx *c = data;
	struct ifinfomsg ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifi)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&ifi, mnl_nlmsg_get_payload(nlh), sizeof(ifi));
	if (ifi.ifi_index <= 0 || (unsigned)ifi.ifi_index != c->ifindex)
		return MNL_CB_OK;
	c->flags = ifi.ifi_flags;
	c->found = 1;
	return MNL_CB_OK;
}

int hip_addrs_link_up(struct hip_addrs *a, unsigned ifindex)
{
	struct addrs_link_ctx c = { .ifindex = ifindex };
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	int err;

	if (a == NULL || ifindex == 0 || ifindex > INT32_MAX)
		return HIP_EINVAL;
	nlh = hip_rtnl_start(a->req, sizeof(a->req), RTM_GETLINK, 0,
			     (void **)&ifi, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	err = hip_rtnl_talk(&a->rtnl, nlh, addrs_link_cb, &c);
	if (err < 0)
		return err;
	if (!c.found)
		return HIP_ENOENT;
	return (c.flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
}

/* --- route source --- */

struct addrs_route_ctx {
	struct in6_addr src;
	unsigned oif;
	int have_src;
	int family;
};

static int addrs_route_attr(const struct nlattr *attr, void *data)
{
	struct addrs_route_ctx *c = data;

	switch (mnl_attr_get_type(attr)) {
	case RTA_PREFSRC:
		if (mnl_attr_validate(attr, MNL_TYPE_BINARY) < 0 ||
		    hip_rtnl_addr_from_attr(c->family, attr, &c->src) < 0)
			return MNL_CB_ERROR;
		c->have_src = 1;
		break;
	case RTA_OIF:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		c->oif = mnl_attr_get_u32(attr);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int addrs_route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addrs_route_ctx *c = data;
	struct rtmsg rtm;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(rtm))
		goto bad;
	memcpy(&rtm, mnl_nlmsg_get_payload(nlh), sizeof(rtm));
	if (rtm.rtm_family != c->family)
		goto bad;
	if (mnl_attr_parse(nlh, sizeof(rtm), addrs_route_attr, c) < 0)
		goto bad;
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

int hip_addrs_route_src(struct hip_addrs *a, const struct in6_addr *dst,
			struct in6_addr *src, unsigned *ifindex)
{
	struct addrs_route_ctx c;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	const void *bytes;
	size_t blen;
	int err;

	if (a == NULL || dst == NULL || src == NULL)
		return HIP_EINVAL;
	memset(&c, 0, sizeof(c));
	c.family = hip_rtnl_addr_family(dst);
	bytes = hip_rtnl_addr_bytes(dst, &blen);
	nlh = hip_rtnl_start(a->req, sizeof(a->req), RTM_GETROUTE, 0,
			     (void **)&rtm, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)c.family;
	rtm->rtm_dst_len = (unsigned char)(blen * 8);
	if (!mnl_attr_put_check(nlh, sizeof(a->req), RTA_DST, blen, bytes))
		return HIP_ENOSPC;
	err = hip_rtnl_talk(&a->rtnl, nlh, addrs_route_cb, &c);
	if (err < 0)
		return err;
	if (!c.have_src)
		return HIP_ENOENT;
	*src = c.src;
	if (ifindex != NULL)
		*ifindex = c.oif;
	return 0;
}
