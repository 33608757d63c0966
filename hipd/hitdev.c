/*
 * hitdev.c - HITs and LSIs on a dummy interface (or lo), the HIT and
 * LSI routes through it, and clean-up of what a crashed instance left.
 * All through rtnetlink (libmnl); see hitdev.h for the why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "hip/error.h"
#include "hipd/hitdev.h"
#include "hipd/net_rtnl.h"

#define HITDEV_STALE_MAX	32	/* leftovers deleted per dump round */
#define HITDEV_STALE_ROUNDS	16

struct hitdev_addr {
	struct in6_addr a;	/* HIT, or v4-mapped LSI */
};

struct hip_hitdev {
	struct hip_rtnl rtnl;
	char ifname[IFNAMSIZ];
	unsigned ifindex;
	int dummy;			/* we created the interface */
	int route6, route4;		/* we added these routes */
	struct hitdev_addr hits[HIP_HITDEV_MAX];
	size_t nhits;
	struct hitdev_addr lsis[HIP_HITDEV_MAX];
	size_t nlsis;
	_Alignas(8) char req[HIP_RTNL_REQ_BUF];
};

static const uint8_t hitdev_hit_prefix[16] = { 0x20, 0x01, 0x00, 0x20 };
static const uint8_t hitdev_lsi_prefix[4] = { HIP_LSI_PREFIX, 0, 0, 0 };

/* --- links --- */

struct hitdev_link {
	unsigned ifindex;
	char kind[16];
	int bad;
};

static int hitdev_linkinfo_attr(const struct nlattr *attr, void *data)
{
	struct hitdev_link *l = data;
	size_t n;

	if (mnl_attr_get_type(attr) != IFLA_INFO_KIND)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_STRING) < 0) {
		l->bad = 1;
		return MNL_CB_ERROR;
	}
	n = strnlen(mnl_attr_get_str(attr), mnl_attr_get_payload_len(attr));
	if (n >= sizeof(l->kind))
		n = sizeof(l->kind) - 1;
	memcpy(l->kind, mnl_attr_get_str(attr), n);
	l->kind[n] = '\0';
	return MNL_CB_OK;
}

static int hitdev_link_attr(const struct nlattr *attr, void *data)
{
	struct hitdev_link *l = data;

	if (mnl_attr_get_type(attr) != IFLA_LINKINFO)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(attr, hitdev_linkinfo_attr, l) < 0) {
		l->bad = 1;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int hitdev_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct hitdev_link *l = data;
	struct ifinfomsg ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifi)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&ifi, mnl_nlmsg_get_payload(nlh), sizeof(ifi));
	if (mnl_attr_parse(nlh, sizeof(ifi), hitdev_link_attr, l) < 0 ||
	    l->bad) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	l->ifindex = (unsigned)ifi.ifi_index;
	return MNL_CB_OK;
}

/* Look a link up by name: 0 (l filled), HIP_ENOENT or another code. */
static int hitdev_get_link(struct hip_hitdev *d, const char *name,
			   struct hitdev_link *l)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	int err;

	nlh = hip_rtnl_start(d->req, sizeof(d->req), RTM_GETLINK, 0,
			     (void **)&ifi, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, sizeof(d->req), IFLA_IFNAME, name))
		return HIP_ENOSPC;
	memset(l, 0, sizeof(*l));
	err = hip_rtnl_talk(&d->rtnl, nlh, hitdev_link_cb, l);
	if (err == 0 && l->ifindex == 0)
		err = HIP_ENOENT;
	return err;
}

/* By index, or by d->ifname when ifindex is 0. */
static int hitdev_del_link(struct hip_hitdev *d, unsigned ifindex)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;

	nlh = hip_rtnl_start(d->req, sizeof(d->req), RTM_DELLINK, 0,
			     (void **)&ifi, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	if (ifindex == 0 &&
	    !mnl_attr_put_strz_check(nlh, sizeof(d->req), IFLA_IFNAME,
				     d->ifname))
		return HIP_ENOSPC;
	return hip_rtnl_talk(&d->rtnl, nlh, NULL, NULL);
}

static int hitdev_new_dummy(struct hip_hitdev *d)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nlattr *info;

	nlh = hip_rtnl_start(d->req, sizeof(d->req), RTM_NEWLINK,
			     NLM_F_CREATE | NLM_F_EXCL, (void **)&ifi,
			     sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, sizeof(d->req), IFLA_IFNAME,
				     d->ifname))
		return HIP_ENOSPC;
	info = mnl_attr_nest_start_check(nlh, sizeof(d->req), IFLA_LINKINFO);
	if (info == NULL ||
	    !mnl_attr_put_strz_check(nlh, sizeof(d->req), IFLA_INFO_KIND,
				     "dummy"))
		return HIP_ENOSPC;
	mnl_attr_nest_end(nlh, info);
	return hip_rtnl_talk(&d->rtnl, nlh, NULL, NULL);
}

/* Bring the dummy up; without IPv6 link-local address if the kernel
 * lets us (addrgenmode none must be set before the link goes up). */
static int hitdev_link_up(struct hip_hitdev *d)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	struct nlattr *spec, *in6;

	nlh = hip_rtnl_start(d->req, sizeof(d->req), RTM_NEWLINK, 0,
			     (void **)&ifi, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)d->ifindex;
	spec = mnl_attr_nest_start_check(nlh, sizeof(d->req), IFLA_AF_SPEC);
	if (spec == NULL)
		return HIP_ENOSPC;
	in6 = mnl_attr_nest_start_check(nlh, sizeof(d->req), AF_INET6);
	if (in6 == NULL ||
	    !mnl_attr_put_u8_check(nlh, sizeof(d->req),
				   IFLA_INET6_ADDR_GEN_MODE,
				   IN6_ADDR_GEN_MODE_NONE))
		return HIP_ENOSPC;
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, spec);
	/* Optional: a kernel without IPv6 refuses it. */
	(void)hip_rtnl_talk(&d->rtnl, nlh, NULL, NULL);

	nlh = hip_rtnl_start(d->req, sizeof(d->req), RTM_NEWLINK, 0,
			     (void **)&ifi, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)d->ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return hip_rtnl_talk(&d->rtnl, nlh, NULL, NULL);
}

/* --- routes --- */

struct hitdev_route {
	int family;
	struct in6_addr dst;
	uint8_t dst_len;
	uint32_t table;
	unsigned oif;
	uint8_t scope, type;
};

struct hitdev_stale {
	struct hitdev_route r[HITDEV_STALE_MAX];
	size_t n;
	struct hip_rtnl_ifaddr a[HITDEV_STALE_MAX];
	size_t na;
};

struct hitdev_rt_attrs {
	const struct nlattr *dst, *table, *oif;
	int bad;
};

static int hitdev_rt_attr(const struct nlattr *attr, void *data)
{
	struct hitdev_rt_attrs *t = data;

	switch (mnl_attr_get_type(attr)) {
	case RTA_DST:
		if (mnl_attr_validate(attr, MNL_TYPE_BINARY) < 0)
			t->bad = 1;
		t->dst = attr;
		break;
	case RTA_TABLE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			t->bad = 1;
		t->table = attr;
		break;
	case RTA_OIF:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			t->bad = 1;
		t->oif = attr;
		break;
	default:
		break;
	}
	return t->bad ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Collect routes of our protocol from a dump. */
static int hitdev_route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct hitdev_stale *s = data;
	struct hitdev_rt_attrs t = { 0 };
	struct hitdev_route r;
	struct rtmsg rtm;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(rtm)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&rtm, mnl_nlmsg_get_payload(nlh), sizeof(rtm));
	if (rtm.rtm_protocol != HIP_HITDEV_PROTO ||
	    (rtm.rtm_family != AF_INET && rtm.rtm_family != AF_INET6))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(rtm), hitdev_rt_attr, &t) < 0 ||
	    t.bad) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memset(&r, 0, sizeof(r));
	r.family = rtm.rtm_family;
	r.dst_len = rtm.rtm_dst_len;
	r.table = t.table != NULL ? mnl_attr_get_u32(t.table) : rtm.rtm_table;
	r.oif = t.oif != NULL ? mnl_attr_get_u32(t.oif) : 0;
	r.scope = rtm.rtm_scope;
	r.type = rtm.rtm_type;
	if (t.dst != NULL &&
	    hip_rtnl_addr_from_attr(r.family, t.dst, &r.dst) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (t.dst == NULL && r.family == AF_INET)
		r.dst.s6_addr[10] = r.dst.s6_addr[11] = 0xff;
	if (s->n < HITDEV_STALE_MAX)
		s->r[s->n++] = r;
	return MNL_CB_OK;
}

/* Add (RTM_NEWROUTE) or delete a route dst/dst_len via oif. */
static int hitdev_route(struct hip_hitdev *d, uint16_t type,
			const struct hitdev_route *r)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	const void *bytes;
	size_t blen;

	nlh = hip_rtnl_start(d->req, sizeof(d->req), type,
			     type == RTM_NEWROUTE ?
			     NLM_F_CREATE | NLM_F_EXCL : 0,
			     (void **)&rtm, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)r->family;
	rtm->rtm_dst_len = r->dst_len;
	rtm->rtm_table = r->table < 256 ? (unsigned char)r->table :
					  RT_TABLE_UNSPEC;
	rtm->rtm_protocol = HIP_HITDEV_PROTO;
	rtm->rtm_scope = r->scope;
	rtm->rtm_type = r->type;
	bytes = hip_rtnl_addr_bytes(&r->dst, &blen);
	if ((r->family == AF_INET) != (blen == 4))
		return HIP_EINVAL;
	if (!mnl_attr_put_check(nlh, sizeof(d->req), RTA_DST, blen, bytes) ||
	    !mnl_attr_put_u32_check(nlh, sizeof(d->req), RTA_TABLE, r->table))
		return HIP_ENOSPC;
	if (r->oif != 0 &&
	    !mnl_attr_put_u32_check(nlh, sizeof(d->req), RTA_OIF, r->oif))
		return HIP_ENOSPC;
	return hip_rtnl_talk(&d->rtnl, nlh, NULL, NULL);
}

static int hitdev_dump(struct hip_hitdev *d, uint16_t type, size_t hdrlen,
		       mnl_cb_t cb, struct hitdev_stale *s)
{
	struct nlmsghdr *nlh;
	void *hdr;

	nlh = hip_rtnl_start(d->req, sizeof(d->req), type, NLM_F_DUMP, &hdr,
			     hdrlen);
	/* Family AF_UNSPEC (zeroed header): every family. */
	return hip_rtnl_talk(&d->rtnl, nlh, cb, s);
}

/* --- addresses --- */

static int hitdev_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct hitdev_stale *s = data;
	struct hip_rtnl_ifaddr a;
	int err;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	err = hip_rtnl_parse_ifaddr(nlh, &a);
	if (err == HIP_ENOENT)
		return MNL_CB_OK;
	if (err < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (a.proto != HIP_HITDEV_PROTO)
		return MNL_CB_OK;
	if (a.family == AF_INET6 ? !hip_hit_is_hit(a.addr.s6_addr) :
				   !hip_lsi_is_lsi(a.addr.s6_addr + 12))
		return MNL_CB_OK;
	if (s->na < HITDEV_STALE_MAX)
		s->a[s->na++] = a;
	return MNL_CB_OK;
}

/* RTM_NEWADDR (create, exclusive) or RTM_DELADDR of a /128 or /32. */
static int hitdev_addr(struct hip_hitdev *d, uint16_t type,
		       const struct in6_addr *a, unsigned ifindex)
{
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;
	const void *bytes;
	size_t blen;

	bytes = hip_rtnl_addr_bytes(a, &blen);
	nlh = hip_rtnl_start(d->req, sizeof(d->req), type,
			     type == RTM_NEWADDR ?
			     NLM_F_CREATE | NLM_F_EXCL : 0,
			     (void **)&ifa, sizeof(*ifa));
	ifa->ifa_family = blen == 4 ? AF_INET : AF_INET6;
	ifa->ifa_prefixlen = (unsigned char)(blen * 8);
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	if (!mnl_attr_put_check(nlh, sizeof(d->req), IFA_LOCAL, blen, bytes) ||
	    !mnl_attr_put_check(nlh, sizeof(d->req), IFA_ADDRESS, blen, bytes))
		return HIP_ENOSPC;
	if (type == RTM_NEWADDR) {
		ifa->ifa_flags = blen == 16 ? IFA_F_NODAD : 0;
		if (!mnl_attr_put_u32_check(nlh, sizeof(d->req), IFA_FLAGS,
					    ifa->ifa_flags) ||
		    !mnl_attr_put_u8_check(nlh, sizeof(d->req), IFA_PROTO,
					   HIP_HITDEV_PROTO))
			return HIP_ENOSPC;
	}
	return hip_rtnl_talk(&d->rtnl, nlh, NULL, NULL);
}

/* Delete routes and addresses of our protocol, round after round until
 * a dump finds none (each round deletes at most HITDEV_STALE_MAX). */
static int hitdev_clear_stale(struct hip_hitdev *d)
{
	struct hitdev_stale *s;
	unsigned round;
	size_t i;
	int err = 0;

	s = malloc(sizeof(*s));
	if (s == NULL)
		return HIP_ENOMEM;
	for (round = 0; round < HITDEV_STALE_ROUNDS; round++) {
		memset(s, 0, sizeof(*s));
		err = hitdev_dump(d, RTM_GETROUTE, sizeof(struct rtmsg),
				  hitdev_route_cb, s);
		if (err == 0)
			err = hitdev_dump(d, RTM_GETADDR,
					  sizeof(struct ifaddrmsg),
					  hitdev_addr_cb, s);
		if (err < 0 || (s->n == 0 && s->na == 0))
			break;
		for (i = 0; i < s->n && err == 0; i++) {
			err = hitdev_route(d, RTM_DELROUTE, &s->r[i]);
			if (err == HIP_ENOENT)
				err = 0;
		}
		for (i = 0; i < s->na && err == 0; i++) {
			err = hitdev_addr(d, RTM_DELADDR, &s->a[i].addr,
					  s->a[i].ifindex);
			if (err == HIP_ENOENT)
				err = 0;
		}
		if (err < 0)
			break;
	}
	free(s);
	return err;
}

/* --- open / close --- */

static int hitdev_add_routes(struct hip_hitdev *d, unsigned flags)
{
	struct hitdev_route r;
	int err;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET6;
	memcpy(r.dst.s6_addr, hitdev_hit_prefix, sizeof(hitdev_hit_prefix));
	r.dst_len = 28;
	r.table = RT_TABLE_MAIN;
	r.oif = d->ifindex;
	r.scope = RT_SCOPE_UNIVERSE;
	r.type = RTN_UNICAST;
	err = hitdev_route(d, RTM_NEWROUTE, &r);
	if (err < 0)
		return err;
	d->route6 = 1;
	if (flags & HIP_HITDEV_NO_LSI)
		return 0;
	memset(&r.dst, 0, sizeof(r.dst));
	r.dst.s6_addr[10] = r.dst.s6_addr[11] = 0xff;
	memcpy(r.dst.s6_addr + 12, hitdev_lsi_prefix, 4);
	r.family = AF_INET;
	r.dst_len = HIP_HITDEV_LSI_PREFIX_LEN;
	r.scope = RT_SCOPE_LINK;
	err = hitdev_route(d, RTM_NEWROUTE, &r);
	if (err < 0)
		return err;
	d->route4 = 1;
	return 0;
}

static int hitdev_setup(struct hip_hitdev *d, unsigned flags)
{
	struct hitdev_link l;
	int err;

	err = hitdev_get_link(d, d->ifname, &l);
	if (err == 0) {
		/* A crashed instance's dummy (anything else is not ours). */
		if (strcmp(l.kind, "dummy") != 0)
			return HIP_EEXIST;
		err = hitdev_del_link(d, l.ifindex);
		if (err < 0)
			return err;
	} else if (err != HIP_ENOENT) {
		return err;
	}
	err = hitdev_clear_stale(d);
	if (err < 0)
		return err;
	err = HIP_EUNSUPPORTED;
	if (!(flags & HIP_HITDEV_USE_LO))
		err = hitdev_new_dummy(d);
	if (err == 0) {
		d->dummy = 1;
		err = hitdev_get_link(d, d->ifname, &l);
		if (err == 0) {
			d->ifindex = l.ifindex;
			err = hitdev_link_up(d);
		}
	} else if (err == HIP_EUNSUPPORTED) {
		/* No dummy driver: lo (see hitdev.h). */
		strcpy(d->ifname, "lo");
		err = hitdev_get_link(d, d->ifname, &l);
		if (err == 0)
			d->ifindex = l.ifindex;
	}
	if (err < 0)
		return err;
	return hitdev_add_routes(d, flags);
}

int hip_hitdev_open(struct hip_hitdev **dp, const char *name, unsigned flags)
{
	struct hip_hitdev *d;
	int err;

	if (name == NULL)
		name = HIP_HITDEV_NAME;
	if (dp == NULL || name[0] == '\0' || strlen(name) >= IFNAMSIZ ||
	    strcmp(name, "lo") == 0 ||
	    (flags & ~(HIP_HITDEV_USE_LO | HIP_HITDEV_NO_LSI)))
		return HIP_EINVAL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return HIP_ENOMEM;
	strcpy(d->ifname, name);
	err = hip_rtnl_open(&d->rtnl);
	if (err == 0)
		err = hitdev_setup(d, flags);
	if (err < 0) {
		int e = errno;

		hip_hitdev_close(d);
		errno = e;
		return err;
	}
	*dp = d;
	return 0;
}

static void hitdev_teardown(struct hip_hitdev *d)
{
	struct hitdev_route r;
	size_t i;

	for (i = 0; i < d->nhits; i++)
		(void)hitdev_addr(d, RTM_DELADDR, &d->hits[i].a, d->ifindex);
	for (i = 0; i < d->nlsis; i++)
		(void)hitdev_addr(d, RTM_DELADDR, &d->lsis[i].a, d->ifindex);
	d->nhits = d->nlsis = 0;
	memset(&r, 0, sizeof(r));
	r.table = RT_TABLE_MAIN;
	r.oif = d->ifindex;
	r.type = RTN_UNICAST;
	if (d->route6) {
		r.family = AF_INET6;
		r.scope = RT_SCOPE_UNIVERSE;
		memcpy(r.dst.s6_addr, hitdev_hit_prefix, 4);
		r.dst_len = 28;
		(void)hitdev_route(d, RTM_DELROUTE, &r);
		d->route6 = 0;
	}
	if (d->route4) {
		memset(&r.dst, 0, sizeof(r.dst));
		r.family = AF_INET;
		r.scope = RT_SCOPE_LINK;
		r.dst.s6_addr[10] = r.dst.s6_addr[11] = 0xff;
		memcpy(r.dst.s6_addr + 12, hitdev_lsi_prefix, 4);
		r.dst_len = HIP_HITDEV_LSI_PREFIX_LEN;
		(void)hitdev_route(d, RTM_DELROUTE, &r);
		d->route4 = 0;
	}
	if (d->dummy)
		(void)hitdev_del_link(d, d->ifindex);
	d->dummy = 0;
}

void hip_hitdev_close(struct hip_hitdev *d)
{
	if (d == NULL)
		return;
	if (d->rtnl.nl != NULL)
		hitdev_teardown(d);
	hip_rtnl_close(&d->rtnl);
	free(d);
}

unsigned hip_hitdev_ifindex(const struct hip_hitdev *d)
{
	return d != NULL ? d->ifindex : 0;
}

const char *hip_hitdev_ifname(const struct hip_hitdev *d)
{
	return d != NULL ? d->ifname : "";
}

int hip_hitdev_is_dummy(const struct hip_hitdev *d)
{
	return d != NULL && d->dummy;
}

const char *hip_hitdev_errmsg(const struct hip_hitdev *d)
{
	return d != NULL ? d->rtnl.errmsg : "";
}

/* --- HITs and LSIs --- */

static int hitdev_find(const struct hitdev_addr *v, size_t n,
		       const struct in6_addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(&v[i].a, a, sizeof(*a)) == 0)
			return (int)i;
	return -1;
}

static int hitdev_add(struct hip_hitdev *d, struct hitdev_addr *v,
		      size_t *n, const struct in6_addr *a)
{
	int err;

	if (hitdev_find(v, *n, a) >= 0)
		return HIP_EEXIST;
	if (*n >= HIP_HITDEV_MAX)
		return HIP_ENOSPC;
	err = hitdev_addr(d, RTM_NEWADDR, a, d->ifindex);
	if (err < 0)
		return err;
	v[(*n)++].a = *a;
	return 0;
}

static int hitdev_del(struct hip_hitdev *d, struct hitdev_addr *v,
		      size_t *n, const struct in6_addr *a)
{
	int i = hitdev_find(v, *n, a);
	int err;

	if (i < 0)
		return HIP_ENOENT;
	err = hitdev_addr(d, RTM_DELADDR, a, d->ifindex);
	if (err < 0 && err != HIP_ENOENT)
		return err;
	v[i] = v[--(*n)];
	return 0;
}

int hip_hitdev_add_hit(struct hip_hitdev *d, const uint8_t hit[HIP_HIT_LEN])
{
	struct in6_addr a;

	if (d == NULL || hit == NULL || !hip_hit_is_hit(hit))
		return HIP_EINVAL;
	memcpy(a.s6_addr, hit, 16);
	return hitdev_add(d, d->hits, &d->nhits, &a);
}

int hip_hitdev_del_hit(struct hip_hitdev *d, const uint8_t hit[HIP_HIT_LEN])
{
	struct in6_addr a;

	if (d == NULL || hit == NULL)
		return HIP_EINVAL;
	memcpy(a.s6_addr, hit, 16);
	return hitdev_del(d, d->hits, &d->nhits, &a);
}

static void hitdev_lsi_addr(const uint8_t lsi[HIP_LSI_LEN],
			    struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[10] = a->s6_addr[11] = 0xff;
	memcpy(a->s6_addr + 12, lsi, HIP_LSI_LEN);
}

int hip_hitdev_add_lsi(struct hip_hitdev *d, const uint8_t lsi[HIP_LSI_LEN])
{
	struct in6_addr a;

	if (d == NULL || lsi == NULL || !hip_lsi_is_lsi(lsi))
		return HIP_EINVAL;
	hitdev_lsi_addr(lsi, &a);
	return hitdev_add(d, d->lsis, &d->nlsis, &a);
}

int hip_hitdev_del_lsi(struct hip_hitdev *d, const uint8_t lsi[HIP_LSI_LEN])
{
	struct in6_addr a;

	if (d == NULL || lsi == NULL)
		return HIP_EINVAL;
	hitdev_lsi_addr(lsi, &a);
	return hitdev_del(d, d->lsis, &d->nlsis, &a);
}
