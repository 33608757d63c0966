/*
 * kernel_pfkey_policy.c - policies in the PF_KEY backend.
 *
 * Adding: SADB_X_SPDADD (SADB_X_SPDUPDATE to replace) with one BEET
 * ipsecrequest when the template has neither outer addresses nor a
 * reqid, which is all af_key can express for BEET; a policy with
 * locators or a reqid goes through XFRM (kernel_pfkey.c, finding 3).
 * Deleting: the policy is looked up in SADB_X_SPDDUMP (PF_KEY has no
 * lookup by selector) so that only our own, by priority, is removed
 * with SADB_X_SPDDELETE.  Moving: SADB_X_MIGRATE per direction.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/kernel_pfkey.h"
#include "hipd/kernel_xfrm.h"

static int pfk_check_sel(const struct hip_kernel_sel *s)
{
	unsigned max;

	if (s == NULL || (s->family != AF_INET && s->family != AF_INET6))
		return HIP_EINVAL;
	max = s->family == AF_INET ? 32 : 128;
	return s->src_plen <= max && s->dst_plen <= max ? 0 : HIP_EINVAL;
}

static int pfk_check_dir(enum hip_kernel_dir dir)
{
	return dir == HIP_KERNEL_DIR_IN || dir == HIP_KERNEL_DIR_OUT ?
	       0 : HIP_EINVAL;
}

static uint8_t pfk_dir(enum hip_kernel_dir dir)
{
	return dir == HIP_KERNEL_DIR_IN ? IPSEC_DIR_INBOUND :
					  IPSEC_DIR_OUTBOUND;
}

static void pfk_add_sel(struct pfkey_builder *b,
			const struct hip_kernel_sel *s)
{
	pfk_add_addr(b, SADB_EXT_ADDRESS_SRC, s->family, s->src.b,
		     s->src_plen);
	pfk_add_addr(b, SADB_EXT_ADDRESS_DST, s->family, s->dst.b,
		     s->dst_plen);
}

/* PF_KEY can install exactly this policy (see the top of the file). */
static int pfk_policy_fits(const struct hip_kernel_policy *pol)
{
	size_t n = pol->outer.family == AF_INET ? 4 : 16;

	return pol->reqid == 0 && pfk_is_zero(pol->outer.src.b, n) &&
	       pfk_is_zero(pol->outer.dst.b, n);
}

int pfk_add_policy(struct hip_kernel *k, const struct hip_kernel_policy *pol)
{
	struct pfk_kernel *p = pfk_of(k);
	_Alignas(8) uint8_t buf[PFK_MSG_BUF];
	struct pfkey_ipsecrequest rq;
	struct pfkey_policy xp;
	struct pfkey_builder b;
	size_t len;
	int r;

	if (pol == NULL || pfk_check_sel(&pol->inner) < 0 ||
	    pfk_check_dir(pol->dir) < 0 ||
	    (pol->outer.family != AF_INET && pol->outer.family != AF_INET6) ||
	    !HIP_KERNEL_PRIO_OWNED(pol->priority))
		return HIP_EINVAL;
	if (!HIP_KERNEL_REQID_OWNED(pol->reqid) &&
	    !(pol->reqid == 0 && pol->dir == HIP_KERNEL_DIR_IN))
		return HIP_EINVAL;
	if (!pfk_policy_fits(pol)) {
		r = xfrm_add_policy(p->xfrm, pol);
		memcpy(p->base.errmsg, p->xfrm->errmsg, sizeof(p->base.errmsg));
		return r;
	}
	memset(&xp, 0, sizeof(xp));
	xp.type = IPSEC_POLICY_IPSEC;
	xp.dir = pfk_dir(pol->dir);
	xp.priority = pol->priority;
	memset(&rq, 0, sizeof(rq));
	rq.proto = IPPROTO_ESP;
	rq.mode = IPSEC_MODE_BEET;
	rq.level = IPSEC_LEVEL_REQUIRE;	/* reqid 0: any SA */
	pfk_build_init(p, &b, buf, pol->flags & HIP_KERNEL_POLICY_REPLACE ?
		       SADB_X_SPDUPDATE : SADB_X_SPDADD, SADB_SATYPE_UNSPEC);
	pfk_add_sel(&b, &pol->inner);
	pfkey_add_policy(&b, &xp, &rq, 1);
	r = pfkey_build_finish(&b, &len);
	if (r < 0)
		return pfk_errno_to_hip(r);
	return pfk_request(p, buf, len, NULL);
}

struct pfk_find {
	const struct hip_kernel_sel *sel;
	uint8_t dir;
	int found;
	uint32_t priority;
};

static int pfk_sel_equal(const struct hip_kernel_sel *a,
			 const struct hip_kernel_sel *b)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && a->src_plen == b->src_plen &&
	       a->dst_plen == b->dst_plen && !memcmp(a->src.b, b->src.b, n) &&
	       !memcmp(a->dst.b, b->dst.b, n);
}

static int pfk_find_cb(const struct pfkey_msg *m, void *arg)
{
	struct pfk_find *f = arg;
	struct hip_kernel_sel sel;
	struct pfkey_policy xp;
	size_t nreqs;

	if (pfkey_get_policy(m, &xp, &nreqs) < 0 || xp.dir != f->dir ||
	    pfk_msg_sel(m, &sel) < 0 || !pfk_sel_equal(&sel, f->sel))
		return 0;
	f->found = 1;
	f->priority = xp.priority;
	return 0;
}

int pfk_del_policy(struct hip_kernel *k, const struct hip_kernel_sel *inner,
		   enum hip_kernel_dir dir)
{
	struct pfk_kernel *p = pfk_of(k);
	_Alignas(8) uint8_t buf[PFK_MSG_BUF];
	struct pfk_find f = { .sel = inner, .dir = pfk_dir(dir) };
	struct pfkey_policy xp;
	struct pfkey_builder b;
	size_t len;
	int r;

	if (pfk_check_sel(inner) < 0 || pfk_check_dir(dir) < 0)
		return HIP_EINVAL;
	r = pfk_dump(p, SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC, pfk_find_cb, &f);
	if (r < 0)
		return pfk_errno_to_hip(r);
	if (!f.found)
		return HIP_ENOENT;
	if (!HIP_KERNEL_PRIO_OWNED(f.priority))
		return HIP_EPERM;
	memset(&xp, 0, sizeof(xp));
	xp.type = IPSEC_POLICY_IPSEC;
	xp.dir = f.dir;
	pfk_build_init(p, &b, buf, SADB_X_SPDDELETE, SADB_SATYPE_UNSPEC);
	pfk_add_sel(&b, inner);
	pfkey_add_policy(&b, &xp, NULL, 0);
	r = pfkey_build_finish(&b, &len);
	if (r < 0)
		return pfk_errno_to_hip(r);
	return pfk_request(p, buf, len, NULL);
}

int pfk_spd_delete_id(struct pfk_kernel *p, uint32_t id, uint8_t dir)
{
	_Alignas(8) uint8_t buf[PFK_MSG_BUF];
	struct pfkey_policy xp;
	struct pfkey_builder b;
	size_t len;
	int r;

	memset(&xp, 0, sizeof(xp));
	xp.type = IPSEC_POLICY_IPSEC;
	xp.dir = dir;
	xp.id = id;
	pfk_build_init(p, &b, buf, SADB_X_SPDDELETE2, SADB_SATYPE_UNSPEC);
	pfkey_add_policy(&b, &xp, NULL, 0);
	r = pfkey_build_finish(&b, &len);
	if (r < 0)
		return pfk_errno_to_hip(r);
	return pfk_request(p, buf, len, NULL);
}

/* --- SADB_X_MIGRATE ------------------------------------------------------ */

static void pfk_migrate_rq(struct pfkey_ipsecrequest *rq, uint32_t reqid,
			   const struct hip_kernel_outer *o)
{
	memset(rq, 0, sizeof(*rq));
	rq->proto = IPPROTO_ESP;
	rq->mode = IPSEC_MODE_BEET;
	rq->level = IPSEC_LEVEL_UNIQUE;
	rq->reqid = reqid;
	rq->has_addrs = 1;
	pfk_sockaddr(&rq->src, o->family, o->src.b);
	pfk_sockaddr(&rq->dst, o->family, o->dst.b);
}

/*
 * af_key answers a successful X_MIGRATE with no reply of its own (the
 * kernel's X_MIGRATE broadcast goes to the initial namespace, with seq
 * 0), a failed one with the request's header and an errno.  The request
 * is handled inside send(), so an error reply, if any, is queued by the
 * time send() returns: look through what is queued.
 */
static int pfk_send_noreply(struct pfk_kernel *p, void *msg, size_t len)
{
	uint32_t seq, pid;
	struct pfkey_msg m;
	int r;

	memcpy(&seq, (uint8_t *)msg + 8, 4);
	memcpy(&pid, (uint8_t *)msg + 12, 4);
	p->base.errmsg[0] = '\0';
	pfk_drain(p);
	r = pfkey_send(&p->req, msg, len);
	hip_wipe(msg, len);
	if (r < 0) {
		pfk_set_errmsg(p, "SADB_X_MIGRATE", r);
		return pfk_errno_to_hip(r);
	}
	for (;;) {
		r = pfk_recv(&p->req, p->rbuf, &m, 0);
		if (r == -EAGAIN)
			return 0;
		if (r < 0)
			continue;	/* a malformed broadcast: not ours */
		if (m.type == SADB_X_MIGRATE && m.seq == seq && m.pid == pid &&
		    m.errno_val != 0) {
			r = -(int)m.errno_val;
			if (r == -ENOPROTOOPT)
				snprintf(p->base.errmsg, sizeof(p->base.errmsg),
					 "SADB_X_MIGRATE: the kernel was built "
					 "without CONFIG_NET_KEY_MIGRATE");
			else
				pfk_set_errmsg(p, "SADB_X_MIGRATE", r);
			return pfk_errno_to_hip(r);
		}
	}
}

static int pfk_migrate_one(struct pfk_kernel *p,
			   const struct hip_kernel_sel *inner, uint8_t dir,
			   const struct hip_kernel_outer *from,
			   const struct hip_kernel_outer *to, uint32_t reqid)
{
	_Alignas(8) uint8_t buf[PFK_MSG_BUF];
	struct pfkey_ipsecrequest rq[2];
	struct pfkey_policy xp;
	struct pfkey_builder b;
	size_t len;
	int r;

	memset(&xp, 0, sizeof(xp));
	xp.type = IPSEC_POLICY_IPSEC;
	xp.dir = dir;
	pfk_migrate_rq(&rq[0], reqid, from);
	pfk_migrate_rq(&rq[1], reqid, to);
	pfk_build_init(p, &b, buf, SADB_X_MIGRATE, SADB_SATYPE_ESP);
	pfk_add_sel(&b, inner);
	pfkey_add_policy(&b, &xp, rq, 2);
	r = pfkey_build_finish(&b, &len);
	if (r < 0)
		return pfk_errno_to_hip(r);
	return pfk_send_noreply(p, buf, len);
}

static void pfk_sel_reverse(const struct hip_kernel_sel *s,
			    struct hip_kernel_sel *r)
{
	*r = *s;
	r->src = s->dst;
	r->dst = s->src;
	r->src_plen = s->dst_plen;
	r->dst_plen = s->src_plen;
}

static void pfk_outer_reverse(const struct hip_kernel_outer *o,
			      struct hip_kernel_outer *r)
{
	*r = *o;
	r->src = o->dst;
	r->dst = o->src;
}

static int pfk_check_outer_set(const struct hip_kernel_outer *o)
{
	size_t n;

	if (o->family != AF_INET && o->family != AF_INET6)
		return HIP_EINVAL;
	n = o->family == AF_INET ? 4 : 16;
	return pfk_is_zero(o->src.b, n) || pfk_is_zero(o->dst.b, n) ?
	       HIP_EINVAL : 0;
}

int pfk_migrate(struct hip_kernel *k, const struct hip_kernel_migrate *m)
{
	struct pfk_kernel *p = pfk_of(k);
	struct hip_kernel_outer old_in, new_in;
	struct hip_kernel_sel in_sel;
	int r;

	if (m == NULL || pfk_check_sel(&m->inner) < 0 ||
	    pfk_check_outer_set(&m->old_outer) < 0 ||
	    pfk_check_outer_set(&m->new_outer) < 0 ||
	    !HIP_KERNEL_REQID_OWNED(m->reqid_out) ||
	    !HIP_KERNEL_REQID_OWNED(m->reqid_in))
		return HIP_EINVAL;
	r = pfk_migrate_one(p, &m->inner, IPSEC_DIR_OUTBOUND, &m->old_outer,
			    &m->new_outer, m->reqid_out);
	if (r < 0)
		return r;
	pfk_sel_reverse(&m->inner, &in_sel);
	pfk_outer_reverse(&m->old_outer, &old_in);
	pfk_outer_reverse(&m->new_outer, &new_in);
	r = pfk_migrate_one(p, &in_sel, IPSEC_DIR_INBOUND, &old_in, &new_in,
			    m->reqid_in);
	if (r < 0) {
		/* Both or neither: move the outbound side back. */
		char msg[sizeof(p->base.errmsg)];

		memcpy(msg, p->base.errmsg, sizeof(msg));
		(void)pfk_migrate_one(p, &m->inner, IPSEC_DIR_OUTBOUND,
				      &m->new_outer, &m->old_outer,
				      m->reqid_out);
		memcpy(p->base.errmsg, msg, sizeof(msg));
	}
	return r;
}
