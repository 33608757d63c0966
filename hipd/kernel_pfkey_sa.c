/*
 * kernel_pfkey_sa.c - SAs in the PF_KEY backend: reserving an SPI
 * (SADB_GETSPI with a BEET SA2), reading counters (SADB_GET) and
 * deleting (SADB_GET for the ownership check, then SADB_DELETE).
 * Adding goes through XFRM netlink: af_key cannot give a BEET SA its
 * inner destination (see kernel_pfkey.c).
 */
#include <string.h>

#include "hip/error.h"
#include "hip/util.h"
#include "hipd/kernel_pfkey.h"
#include "hipd/kernel_xfrm.h"

static int pfk_check_outer(const struct hip_kernel_outer *o)
{
	size_t n;

	if (o == NULL || (o->family != AF_INET && o->family != AF_INET6))
		return HIP_EINVAL;
	n = o->family == AF_INET ? 4 : 16;
	if (pfk_is_zero(o->src.b, n) || pfk_is_zero(o->dst.b, n))
		return HIP_EINVAL;
	return 0;
}

static int pfk_check_ip(const struct hip_kernel_ip *ip)
{
	if (ip == NULL || (ip->family != AF_INET && ip->family != AF_INET6))
		return HIP_EINVAL;
	return 0;
}

int pfk_alloc_spi(struct hip_kernel *k, const struct hip_kernel_outer *outer,
		  uint32_t reqid, uint32_t min, uint32_t max, uint32_t *spi)
{
	struct pfk_kernel *p = pfk_of(k);
	_Alignas(8) uint8_t buf[PFK_MSG_BUF];
	struct pfkey_sa2 sa2 = { .mode = IPSEC_MODE_BEET, .reqid = reqid };
	struct pfkey_spirange range = { .min = min, .max = max };
	struct pfkey_builder b;
	struct pfkey_msg m;
	struct pfkey_sa got;
	size_t len;
	int r;

	if (pfk_check_outer(outer) < 0 || spi == NULL ||
	    min < HIP_KERNEL_SPI_MIN || max < min ||
	    !HIP_KERNEL_REQID_OWNED(reqid))
		return HIP_EINVAL;
	pfk_build_init(p, &b, buf, SADB_GETSPI, SADB_SATYPE_ESP);
	pfkey_add_sa2(&b, &sa2);
	pfk_add_addr(&b, SADB_EXT_ADDRESS_SRC, outer->family, outer->src.b,
		     outer->family == AF_INET ? 32 : 128);
	pfk_add_addr(&b, SADB_EXT_ADDRESS_DST, outer->family, outer->dst.b,
		     outer->family == AF_INET ? 32 : 128);
	pfkey_add_spirange(&b, &range);
	r = pfkey_build_finish(&b, &len);
	if (r < 0)
		return pfk_errno_to_hip(r);
	r = pfk_request(p, buf, len, &m);
	if (r < 0)
		return r;
	r = pfkey_get_sa(&m, &got);
	hip_wipe(p->rbuf, sizeof(p->rbuf));
	if (r < 0)
		return HIP_EFORMAT;
	if (got.spi < min || got.spi > max)
		return HIP_EFORMAT;
	*spi = got.spi;
	return 0;
}

int pfk_add_sa(struct hip_kernel *k, const struct hip_kernel_sa *sa)
{
	struct pfk_kernel *p = pfk_of(k);
	int r;

	/* XFRM: the only way to give a BEET SA its HIT selector. */
	r = xfrm_add_sa(p->xfrm, sa);
	memcpy(p->base.errmsg, p->xfrm->errmsg, sizeof(p->base.errmsg));
	return r;
}

/* SADB_GET or SADB_DELETE of the ESP SA (dst, spi).  af_key finds the
 * SA by destination and SPI; the source it requires is only checked for
 * its family, so the unspecified address does. */
static int pfk_sa_req(struct pfk_kernel *p, uint8_t type, sa_family_t family,
		      const uint8_t *dst, uint32_t spi, struct pfkey_msg *out)
{
	_Alignas(8) uint8_t buf[PFK_MSG_BUF];
	static const uint8_t any[16];
	struct pfkey_sa sa;
	struct pfkey_builder b;
	size_t len;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.spi = spi;
	pfk_build_init(p, &b, buf, type, SADB_SATYPE_ESP);
	pfkey_add_sa(&b, &sa);
	pfk_add_addr(&b, SADB_EXT_ADDRESS_SRC, family, any, 0);
	pfk_add_addr(&b, SADB_EXT_ADDRESS_DST, family, dst,
		     family == AF_INET ? 32 : 128);
	r = pfkey_build_finish(&b, &len);
	if (r < 0)
		return pfk_errno_to_hip(r);
	return pfk_request(p, buf, len, out);
}

int pfk_delete_sa_raw(struct pfk_kernel *p, sa_family_t family,
		      const uint8_t *dst, uint32_t spi)
{
	return pfk_sa_req(p, SADB_DELETE, family, dst, spi, NULL);
}

int pfk_del_sa(struct hip_kernel *k, const struct hip_kernel_ip *dst,
	       uint32_t spi)
{
	struct pfk_kernel *p = pfk_of(k);
	struct pfkey_sa2 sa2;
	struct pfkey_msg m;
	int r;

	if (pfk_check_ip(dst) < 0)
		return HIP_EINVAL;
	/* Look first: an SA of another key manager is not ours to
	 * delete. */
	r = pfk_sa_req(p, SADB_GET, dst->family, dst->a.b, spi, &m);
	if (r < 0)
		return r;
	r = pfkey_get_sa2(&m, &sa2);
	hip_wipe(p->rbuf, sizeof(p->rbuf));	/* the reply had the keys */
	if (r < 0 || !HIP_KERNEL_REQID_OWNED(sa2.reqid))
		return HIP_EPERM;
	return pfk_delete_sa_raw(p, dst->family, dst->a.b, spi);
}

/*
 * Counters from SADB_GET's LIFETIME_CURRENT: af_key puts the packet
 * count in sadb_lifetime_allocations.  PF_KEY has no replay or
 * integrity failure counts: those stay 0 (XFRM's GETSA has them).
 */
int pfk_get_sa_stats(struct hip_kernel *k, const struct hip_kernel_ip *dst,
		     uint32_t spi, struct hip_kernel_sa_stats *st)
{
	struct pfk_kernel *p = pfk_of(k);
	struct pfkey_lifetime cur;
	struct pfkey_sa got;
	struct pfkey_msg m;
	int r;

	if (pfk_check_ip(dst) < 0 || st == NULL)
		return HIP_EINVAL;
	r = pfk_sa_req(p, SADB_GET, dst->family, dst->a.b, spi, &m);
	if (r < 0)
		return r;
	r = pfkey_get_sa(&m, &got);
	if (r == 0)
		r = pfkey_get_lifetime(&m, SADB_EXT_LIFETIME_CURRENT, &cur);
	hip_wipe(p->rbuf, sizeof(p->rbuf));	/* the reply had the keys */
	if (r < 0 || got.spi != spi)
		return HIP_EFORMAT;
	memset(st, 0, sizeof(*st));
	st->packets = cur.allocations;
	st->bytes = cur.bytes;
	st->add_time = cur.addtime;
	st->use_time = cur.usetime;
	return 0;
}
