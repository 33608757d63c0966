/*
 * kernel_xfrm_flush.c - flush_owned: delete every policy whose priority
 * and every SA whose reqid is in hipd's range (hipd/kernel.h), and
 * nothing else.  Used at start (a crashed hipd's leftovers) and at a
 * clean stop.  Dumps first, deletes after: the kernel's dump must not
 * change under us.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/collect.h"
#include "hipd/kernel_xfrm.h"

struct xfrm_sa_key {
	xfrm_address_t daddr;
	uint32_t spi;		/* host order */
	uint16_t family;
	uint8_t proto;
};

struct xfrm_pol_key {
	uint32_t index;
	uint8_t dir;
};

static int xfrm_flush_sa_cb(const struct nlmsghdr *nlh, void *data)
{
	struct hipd_collect *c = data;
	struct xfrm_usersa_info p;
	struct xfrm_sa_key key;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(p)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&p, mnl_nlmsg_get_payload(nlh), sizeof(p));
	if (!HIP_KERNEL_REQID_OWNED(p.reqid))
		return MNL_CB_OK;
	memset(&key, 0, sizeof(key));
	key.daddr = p.id.daddr;
	key.spi = ntohl(p.id.spi);
	key.family = p.family;
	key.proto = p.id.proto;
	c->err = hipd_collect_add(c, &key);
	return c->err < 0 ? MNL_CB_STOP : MNL_CB_OK;
}

static int xfrm_flush_pol_cb(const struct nlmsghdr *nlh, void *data)
{
	struct hipd_collect *c = data;
	struct xfrm_userpolicy_info p;
	struct xfrm_pol_key key;
	struct nlattr *a;

	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(p)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&p, mnl_nlmsg_get_payload(nlh), sizeof(p));
	if (!HIP_KERNEL_PRIO_OWNED(p.priority) || p.dir >= XFRM_POLICY_MAX)
		return MNL_CB_OK;
	/* hipd installs main-type policies only: leave sub policies be. */
	mnl_attr_for_each(a, nlh, sizeof(p)) {
		struct xfrm_userpolicy_type t;

		if (mnl_attr_get_type(a) != XFRMA_POLICY_TYPE)
			continue;
		if (mnl_attr_validate2(a, MNL_TYPE_UNSPEC, sizeof(t)) < 0) {
			errno = EBADMSG;
			return MNL_CB_ERROR;
		}
		memcpy(&t, mnl_attr_get_payload(a), sizeof(t));
		if (t.type != XFRM_POLICY_TYPE_MAIN)
			return MNL_CB_OK;
	}
	key.index = p.index;
	key.dir = p.dir;
	c->err = hipd_collect_add(c, &key);
	return c->err < 0 ? MNL_CB_STOP : MNL_CB_OK;
}

static int xfrm_dump(struct xfrm_kernel *x, uint16_t type, mnl_cb_t cb,
		     struct hipd_collect *c)
{
	_Alignas(8) char buf[XFRM_REQ_BUF];
	struct nlmsghdr *nlh;
	void *hdr;
	int err;

	nlh = xfrm_nl_start(buf, type, NLM_F_DUMP, &hdr, 0);
	err = xfrm_nl_talk(x, nlh, cb, c);
	/* SA dumps carry keys. */
	hip_wipe(x->rbuf, sizeof(x->rbuf));
	if (err == 0)
		err = c->err;
	return err;
}

int xfrm_flush_owned(struct hip_kernel *k, unsigned *count)
{
	struct xfrm_kernel *x = xfrm_of(k);
	struct hipd_collect pols = { .size = sizeof(struct xfrm_pol_key) };
	struct hipd_collect sas = { .size = sizeof(struct xfrm_sa_key) };
	unsigned done = 0;
	size_t i;
	int err;

	err = xfrm_dump(x, XFRM_MSG_GETPOLICY, xfrm_flush_pol_cb, &pols);
	for (i = 0; err == 0 && i < pols.n; i++) {
		const struct xfrm_pol_key *p =
			(const struct xfrm_pol_key *)pols.v + i;

		err = xfrm_del_policy_raw(x, p->index, p->dir);
		if (err == HIP_ENOENT)
			err = 0;	/* gone meanwhile */
		else if (err == 0)
			done++;
	}
	if (err == 0)
		err = xfrm_dump(x, XFRM_MSG_GETSA, xfrm_flush_sa_cb, &sas);
	for (i = 0; err == 0 && i < sas.n; i++) {
		const struct xfrm_sa_key *s =
			(const struct xfrm_sa_key *)sas.v + i;

		err = xfrm_del_sa_raw(x, s->family, &s->daddr, s->spi,
				      s->proto);
		/* Larval SAs of pending ACQUIREs have no SPI to name them
		 * by; they expire by themselves. */
		if (err == HIP_ENOENT)
			err = 0;
		else if (err == 0)
			done++;
	}
	free(pols.v);
	free(sas.v);
	if (count != NULL)
		*count = done;
	return err;
}
