/*
 * kernel_xfrm_policy.c - policies with a BEET template through XFRM
 * netlink (NEWPOLICY/UPDPOLICY, DELPOLICY) and moving an SA pair with
 * its policies to new locators (MIGRATE, once per direction).
 *
 * The template of a BEET policy names the outer side: tmpl.family is
 * the outer family (it may differ from the selector's: the kernel's
 * validate_tmpl allows that for tunnel and BEET modes), id.daddr and
 * saddr the locators, mode 4, proto 50, and the SA's reqid.
 */
#include <errno.h>
#include <string.h>

#include "hip/error.h"
#include "hipd/kernel_xfrm.h"

static int xfrm_check_dir(enum hip_kernel_dir dir)
{
	return dir == HIP_KERNEL_DIR_IN || dir == HIP_KERNEL_DIR_OUT ?
	       0 : HIP_EINVAL;
}

int xfrm_add_policy(struct hip_kernel *k, const struct hip_kernel_policy *pol)
{
	struct xfrm_kernel *x = xfrm_of(k);
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct xfrm_userpolicy_info *p;
	struct xfrm_user_tmpl t;
	struct nlmsghdr *nlh;
	void *hdr;
	int err;

	if (pol == NULL)
		return HIP_EINVAL;
	err = xfrm_check_sel(&pol->inner);
	if (err == 0)
		err = xfrm_check_outer(&pol->outer, 1);
	if (err == 0)
		err = xfrm_check_dir(pol->dir);
	if (err < 0)
		return err;
	if (!HIP_KERNEL_PRIO_OWNED(pol->priority))
		return HIP_EINVAL;
	/* reqid 0 ("any SA") only makes sense where the kernel checks
	 * what arrived, not where it has to pick an SA. */
	if (!HIP_KERNEL_REQID_OWNED(pol->reqid) &&
	    !(pol->reqid == 0 && pol->dir == HIP_KERNEL_DIR_IN))
		return HIP_EINVAL;

	if (pol->flags & HIP_KERNEL_POLICY_REPLACE)
		nlh = xfrm_nl_start(buf, XFRM_MSG_UPDPOLICY, NLM_F_CREATE,
				    &hdr, sizeof(*p));
	else
		nlh = xfrm_nl_start(buf, XFRM_MSG_NEWPOLICY,
				    NLM_F_CREATE | NLM_F_EXCL, &hdr, sizeof(*p));
	p = hdr;
	xfrm_sel_to_kernel(&pol->inner, &p->sel);
	p->lft.soft_byte_limit = XFRM_INF;
	p->lft.hard_byte_limit = XFRM_INF;
	p->lft.soft_packet_limit = XFRM_INF;
	p->lft.hard_packet_limit = XFRM_INF;
	p->priority = pol->priority;
	p->dir = (uint8_t)pol->dir;
	p->action = XFRM_POLICY_ALLOW;
	p->share = XFRM_SHARE_ANY;

	memset(&t, 0, sizeof(t));
	xfrm_outer_to_kernel(&pol->outer, &t.saddr, &t.id.daddr);
	t.id.proto = IPPROTO_ESP;
	t.family = pol->outer.family;
	t.reqid = pol->reqid;
	t.mode = XFRM_MODE_BEET;
	t.share = XFRM_SHARE_ANY;
	t.aalgos = ~0u;
	t.ealgos = ~0u;
	t.calgos = ~0u;
	if (!mnl_attr_put_check(nlh, XFRM_REQ_BUF, XFRMA_TMPL, sizeof(t), &t))
		return HIP_ENOSPC;
	return xfrm_nl_talk(x, nlh, NULL, NULL);
}

static int xfrm_policy_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_userpolicy_info *out = data;

	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*out)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(out, mnl_nlmsg_get_payload(nlh), sizeof(*out));
	return MNL_CB_OK;
}

/* GET or DEL by selector (index 0) or by index. */
static int xfrm_policy_id_req(struct xfrm_kernel *x, uint16_t type,
			      const struct xfrm_selector *sel, uint32_t index,
			      uint8_t dir, struct xfrm_userpolicy_info *out)
{
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct xfrm_userpolicy_id *id;
	struct nlmsghdr *nlh;
	void *hdr;

	nlh = xfrm_nl_start(buf, type, 0, &hdr, sizeof(*id));
	id = hdr;
	if (sel != NULL)
		id->sel = *sel;
	id->index = index;
	id->dir = dir;
	return xfrm_nl_talk(x, nlh, out ? xfrm_policy_reply_cb : NULL, out);
}

int xfrm_del_policy_raw(struct xfrm_kernel *x, uint32_t index, uint8_t dir)
{
	return xfrm_policy_id_req(x, XFRM_MSG_DELPOLICY, NULL, index, dir, NULL);
}

int xfrm_del_policy(struct hip_kernel *k, const struct hip_kernel_sel *inner,
		    enum hip_kernel_dir dir)
{
	struct xfrm_kernel *x = xfrm_of(k);
	struct xfrm_userpolicy_info got;
	struct xfrm_selector sel;
	int err;

	err = xfrm_check_sel(inner);
	if (err == 0)
		err = xfrm_check_dir(dir);
	if (err < 0)
		return err;
	/* Look first: a policy with this selector that some other key
	 * manager installed is not ours to delete. */
	xfrm_sel_to_kernel(inner, &sel);
	memset(&got, 0, sizeof(got));
	err = xfrm_policy_id_req(x, XFRM_MSG_GETPOLICY, &sel, 0, (uint8_t)dir,
				 &got);
	if (err < 0)
		return err;
	if (!HIP_KERNEL_PRIO_OWNED(got.priority))
		return HIP_EPERM;
	return xfrm_del_policy_raw(x, got.index, (uint8_t)dir);
}

static int xfrm_migrate_one(struct xfrm_kernel *x,
			    const struct hip_kernel_sel *inner, uint8_t dir,
			    const struct hip_kernel_outer *from,
			    const struct hip_kernel_outer *to, uint32_t reqid)
{
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct xfrm_userpolicy_id *id;
	struct xfrm_user_migrate m;
	struct nlmsghdr *nlh;
	void *hdr;

	nlh = xfrm_nl_start(buf, XFRM_MSG_MIGRATE, 0, &hdr, sizeof(*id));
	id = hdr;
	xfrm_sel_to_kernel(inner, &id->sel);
	id->dir = dir;
	memset(&m, 0, sizeof(m));
	xfrm_outer_to_kernel(from, &m.old_saddr, &m.old_daddr);
	xfrm_outer_to_kernel(to, &m.new_saddr, &m.new_daddr);
	m.proto = IPPROTO_ESP;
	m.mode = XFRM_MODE_BEET;
	m.reqid = reqid;
	m.old_family = from->family;
	m.new_family = to->family;
	if (!mnl_attr_put_check(nlh, XFRM_REQ_BUF, XFRMA_MIGRATE,
				sizeof(m), &m))
		return HIP_ENOSPC;
	return xfrm_nl_talk(x, nlh, NULL, NULL);
}

static void xfrm_sel_reverse(const struct hip_kernel_sel *s,
			     struct hip_kernel_sel *r)
{
	*r = *s;
	r->src = s->dst;
	r->dst = s->src;
	r->src_plen = s->dst_plen;
	r->dst_plen = s->src_plen;
}

static void xfrm_outer_reverse(const struct hip_kernel_outer *o,
			       struct hip_kernel_outer *r)
{
	*r = *o;
	r->src = o->dst;
	r->dst = o->src;
}

int xfrm_migrate(struct hip_kernel *k, const struct hip_kernel_migrate *m)
{
	struct xfrm_kernel *x = xfrm_of(k);
	struct hip_kernel_outer old_in, new_in;
	struct hip_kernel_sel in_sel;
	int err;

	if (m == NULL)
		return HIP_EINVAL;
	err = xfrm_check_sel(&m->inner);
	if (err == 0)
		err = xfrm_check_outer(&m->old_outer, 0);
	if (err == 0)
		err = xfrm_check_outer(&m->new_outer, 0);
	if (err < 0)
		return err;
	if (!HIP_KERNEL_REQID_OWNED(m->reqid_out) ||
	    !HIP_KERNEL_REQID_OWNED(m->reqid_in))
		return HIP_EINVAL;

	err = xfrm_migrate_one(x, &m->inner, XFRM_POLICY_OUT, &m->old_outer,
			       &m->new_outer, m->reqid_out);
	if (err < 0)
		return err;
	xfrm_sel_reverse(&m->inner, &in_sel);
	xfrm_outer_reverse(&m->old_outer, &old_in);
	xfrm_outer_reverse(&m->new_outer, &new_in);
	err = xfrm_migrate_one(x, &in_sel, XFRM_POLICY_IN, &old_in, &new_in,
			       m->reqid_in);
	if (err < 0) {
		/* Both or neither: move the outbound side back. */
		char msg[sizeof(x->base.errmsg)];
		int e = errno;

		memcpy(msg, x->base.errmsg, sizeof(msg));
		(void)xfrm_migrate_one(x, &m->inner, XFRM_POLICY_OUT,
				       &m->new_outer, &m->old_outer,
				       m->reqid_out);
		memcpy(x->base.errmsg, msg, sizeof(msg));
		errno = e;
	}
	return err;
}
