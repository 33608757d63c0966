/*
 * kernel_pfkey_flush.c - flush_owned in the PF_KEY backend: the SPD
 * (SADB_X_SPDDUMP) and the SAD (SADB_DUMP of ESP) are read, and every
 * policy whose priority and every SA whose reqid (SA2) is in hipd's
 * range (hipd/kernel.h) is deleted by id (SADB_X_SPDDELETE2) or by
 * destination and SPI (SADB_DELETE); nothing else.  Dumps first,
 * deletes after: the kernel's dump must not change under us.
 */
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/collect.h"
#include "hipd/kernel_pfkey.h"
#include "hipd/kernel_xfrm.h"

struct pfk_sa_key {
	uint8_t dst[16];
	uint32_t spi;
	sa_family_t family;
};

struct pfk_pol_key {
	uint32_t id;
	uint8_t dir;
};

static int pfk_flush_pol_cb(const struct pfkey_msg *m, void *arg)
{
	struct hipd_collect *c = arg;
	struct pfkey_policy xp;
	struct pfk_pol_key key;
	size_t nreqs;

	if (pfkey_get_policy(m, &xp, &nreqs) < 0)
		return 0;	/* not a policy: nothing to delete */
	if (!HIP_KERNEL_PRIO_OWNED(xp.priority))
		return 0;
	key.id = xp.id;
	key.dir = xp.dir;
	/* A library code, not a HIP_E* one: pfk_dump returns it. */
	return hipd_collect_add(c, &key) < 0 ? PFKEY_ENOMEM : 0;
}

static int pfk_flush_sa_cb(const struct pfkey_msg *m, void *arg)
{
	struct hipd_collect *c = arg;
	struct pfkey_address dst;
	struct pfkey_sa2 sa2;
	struct pfkey_sa sa;
	struct pfk_sa_key key;

	if (pfkey_get_sa(m, &sa) < 0 || pfkey_get_sa2(m, &sa2) < 0 ||
	    pfkey_get_address(m, SADB_EXT_ADDRESS_DST, &dst) < 0)
		return 0;
	/* Larval SAs of pending ACQUIREs (SPI 0) cannot be named by SPI;
	 * they expire by themselves. */
	if (!HIP_KERNEL_REQID_OWNED(sa2.reqid) || sa.spi == 0)
		return 0;
	memset(&key, 0, sizeof(key));
	if (pfk_addr_bytes(&dst.addr, &key.family, key.dst) < 0)
		return 0;
	key.spi = sa.spi;
	return hipd_collect_add(c, &key) < 0 ? PFKEY_ENOMEM : 0;
}

int pfk_flush_owned(struct hip_kernel *k, unsigned *count)
{
	struct pfk_kernel *p = pfk_of(k);
	struct hipd_collect pols = { .size = sizeof(struct pfk_pol_key) };
	struct hipd_collect sas = { .size = sizeof(struct pfk_sa_key) };
	unsigned done = 0;
	size_t i;
	int r;

	r = pfk_dump(p, SADB_X_SPDDUMP, SADB_SATYPE_UNSPEC, pfk_flush_pol_cb,
		     &pols);
	r = pfk_errno_to_hip(r < 0 ? r : 0);
	for (i = 0; r == 0 && i < pols.n; i++) {
		const struct pfk_pol_key *q =
			(const struct pfk_pol_key *)pols.v + i;

		r = pfk_spd_delete_id(p, q->id, q->dir);
		if (r == HIP_ENOENT)
			r = 0;		/* gone meanwhile */
		else if (r == 0)
			done++;
	}
	if (r == 0) {
		r = pfk_dump(p, SADB_DUMP, SADB_SATYPE_ESP, pfk_flush_sa_cb,
			     &sas);
		r = pfk_errno_to_hip(r < 0 ? r : 0);
	}
	for (i = 0; r == 0 && i < sas.n; i++) {
		const struct pfk_sa_key *s =
			(const struct pfk_sa_key *)sas.v + i;

		r = pfk_delete_sa_raw(p, s->family, s->dst, s->spi);
		if (r == HIP_ENOENT)
			r = 0;
		else if (r == 0)
			done++;
	}
	free(pols.v);
	free(sas.v);
	/* af_key's dump of a policy with an IPv6 selector and an IPv4 BEET
	 * template does not parse (the entry is lost): what PF_KEY could
	 * not show, XFRM removes by the same ownership rules. */
	if (r == 0) {
		unsigned more = 0;

		r = xfrm_flush_owned(p->xfrm, &more);
		if (r < 0)
			memcpy(p->base.errmsg, p->xfrm->errmsg,
			       sizeof(p->base.errmsg));
		done += more;
	}
	if (count != NULL)
		*count = done;
	return r;
}
