/*
 * kernel_pfkey_events.c - what the PF_KEY socket registered for ESP
 * hears: SADB_ACQUIRE, SADB_EXPIRE and SADB_X_MIGRATE become struct
 * hip_kernel_event (kernel_pfkey_decode.c reads them); the rest (every
 * SA and policy change is broadcast to all PF_KEY sockets, SAs with
 * their keys) is dropped and wiped.
 *
 * An ACQUIRE names the policy but not the flow (kernel_pfkey.c,
 * finding 2): the flow is the policy's selector when that is a HIT
 * pair (SADB_X_SPDGET), otherwise the selector of the larval SA that
 * the ACQUIRE created, read through XFRM netlink.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/kernel_pfkey.h"
#include "hipd/kernel_xfrm.h"

#define PFK_ACQ_FLOWS	8	/* flows reported for one ACQUIRE */

int pfk_event_fd(struct hip_kernel *k)
{
	struct pfk_kernel *p = pfk_of(k);

	return p->have_ev ? p->ev.fd : -1;
}

/* --- ACQUIRE -------------------------------------------------------------- */

/* The policy behind an ACQUIRE: selector and first template's reqid. */
static int pfk_spd_get(struct pfk_kernel *p, uint32_t id, uint8_t dir,
		       struct hip_kernel_sel *sel, uint32_t *reqid)
{
	_Alignas(8) uint8_t buf[PFK_MSG_BUF];
	struct pfkey_ipsecrequest rq;
	struct pfkey_policy xp;
	struct pfkey_builder b;
	struct pfkey_msg m;
	size_t len, nreqs;
	int r;

	memset(&xp, 0, sizeof(xp));
	xp.type = IPSEC_POLICY_IPSEC;
	xp.dir = dir;
	xp.id = id;
	pfk_build_init(p, &b, buf, SADB_X_SPDGET, SADB_SATYPE_UNSPEC);
	pfkey_add_policy(&b, &xp, NULL, 0);
	r = pfkey_build_finish(&b, &len);
	if (r < 0)
		return pfk_errno_to_hip(r);
	r = pfk_request(p, buf, len, &m);
	if (r < 0)
		return r;
	if (pfkey_get_policy(&m, &xp, &nreqs) < 0 || nreqs < 1 ||
	    pfkey_get_ipsecrequest(&m, 0, &rq) < 0)
		return HIP_EFORMAT;
	*reqid = rq.reqid;
	return pfk_msg_sel(&m, sel);
}

static int pfk_sel_exact(const struct hip_kernel_sel *s)
{
	unsigned full = s->family == AF_INET ? 32 : 128;

	return s->src_plen == full && s->dst_plen == full;
}

struct pfk_larval {
	uint32_t reqid, seq;
	const struct hip_kernel_outer *outer;
	unsigned n;
	int by_seq;		/* flows[0] matched the ACQUIRE's seq */
	struct hip_kernel_sel flows[PFK_ACQ_FLOWS];
};

static int pfk_outer_equal(const struct hip_kernel_outer *o,
			   uint16_t family, const xfrm_address_t *src,
			   const xfrm_address_t *dst)
{
	size_t n = family == AF_INET ? 4 : 16;

	return o->family == family && !memcmp(o->src.b, src, n) &&
	       !memcmp(o->dst.b, dst, n);
}

/* One SA of the XFRM dump: a larval SA (SPI 0) of this ACQUIRE? */
static int pfk_larval_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pfk_larval *l = data;
	struct xfrm_usersa_info s;
	struct hip_kernel_sel sel;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(s))
		return MNL_CB_OK;
	memcpy(&s, mnl_nlmsg_get_payload(nlh), sizeof(s));
	if (s.id.spi != 0 || s.id.proto != IPPROTO_ESP ||
	    s.reqid != l->reqid || l->by_seq)
		return MNL_CB_OK;
	xfrm_sel_from_kernel(&s.sel, &sel);
	if ((sel.family != AF_INET && sel.family != AF_INET6) ||
	    !pfk_sel_exact(&sel))
		return MNL_CB_OK;
	if (s.seq == l->seq) {
		l->flows[0] = sel;
		l->n = 1;
		l->by_seq = 1;
	} else if (l->n < PFK_ACQ_FLOWS &&
		   pfk_outer_equal(l->outer, s.family, &s.saddr,
				   &s.id.daddr)) {
		l->flows[l->n++] = sel;
	}
	return MNL_CB_OK;
}

static int pfk_larval_flows(struct pfk_kernel *p, struct pfk_larval *l)
{
	struct xfrm_kernel *x = xfrm_of(p->xfrm);
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct nlmsghdr *nlh;
	void *hdr;
	int r;

	nlh = xfrm_nl_start(buf, XFRM_MSG_GETSA, NLM_F_DUMP, &hdr, 0);
	r = xfrm_nl_talk(x, nlh, pfk_larval_cb, l);
	hip_wipe(x->rbuf, sizeof(x->rbuf));	/* the dump had keys */
	return r;
}

/* Decode an ACQUIRE and hand one event per flow to cb; returns how
 * many (0 when the policy or the flow cannot be found any more). */
static int pfk_acquire(struct pfk_kernel *p, const struct pfkey_msg *m,
		       hip_kernel_event_cb cb, void *arg)
{
	struct hip_kernel_event ev;
	struct hip_kernel_outer outer;
	struct hip_kernel_sel sel;
	struct pfk_larval *l;
	uint32_t reqid = 0;
	uint8_t dir;
	unsigned i;
	int r;

	if (pfk_acquire_decode(m, &ev, &outer, &dir) != 1)
		return 0;
	if (pfk_spd_get(p, ev.u.acquire.policy_index, dir, &sel, &reqid) < 0)
		return 0;	/* the policy went away meanwhile */
	ev.u.acquire.reqid = reqid;
	if (pfk_sel_exact(&sel)) {
		ev.u.acquire.inner = sel;
		cb(&ev, arg);
		return 1;
	}
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return 0;
	l->reqid = reqid;
	l->seq = m->seq;
	l->outer = &outer;
	r = pfk_larval_flows(p, l);
	for (i = 0; r == 0 && i < l->n; i++) {
		ev.u.acquire.inner = l->flows[i];
		cb(&ev, arg);
	}
	r = r == 0 ? (int)l->n : 0;
	free(l);
	return r;
}

int pfk_read_events(struct hip_kernel *k, unsigned max,
		    hip_kernel_event_cb cb, void *arg)
{
	struct pfk_kernel *p = pfk_of(k);
	struct hip_kernel_event ev;
	struct pfkey_msg m;
	unsigned handled = 0;
	int r;

	if (cb == NULL)
		return HIP_EINVAL;
	if (!p->have_ev)
		return HIP_ESTATE;
	while (handled < max) {
		r = pfk_recv(&p->ev, p->ebuf, &m, 0);
		if (r == -EAGAIN || r == -EWOULDBLOCK)
			break;
		if (r == -EINTR)
			continue;
		if (r < 0 && r > PFKEY_EINVAL) {
			hip_wipe(p->ebuf, sizeof(p->ebuf));
			return pfk_errno_to_hip(r);
		}
		/* Only the kernel speaks on PF_KEY broadcasts (pid 0); a
		 * malformed message is dropped. */
		if (r == 0 && m.pid == 0 && m.errno_val == 0) {
			if (m.type == SADB_ACQUIRE) {
				handled += (unsigned)pfk_acquire(p, &m, cb, arg);
			} else if (pfk_event_decode(&m, &ev) == 1) {
				cb(&ev, arg);
				handled++;
			}
		}
		hip_wipe(p->ebuf, r == 0 ? m.len : sizeof(p->ebuf));
	}
	return (int)handled;
}
