/*
 * msrd_acquire.c - the extended SADB_ACQUIRE that hipd gives MSRD
 * watchers when a packet hits a policy bound to a record: what the
 * kernel's ACQUIRE says (addresses, policy, an ESP proposal) plus
 * SADB_X_REF naming the record, as in the MSRD slides'
 * <base, address(SD), proposal, ref>.  Built with libpfkey, so an IKE
 * daemon parses it with the same library.
 */
#include <string.h>

#include <pfkey/pfkey.h>

#include "hip/error.h"
#include "hipd/kernel.h"
#include "hipd/msrd.h"

/* SADB_X_REF type of a reference to an MSRD record (the only kind). */
#define MSRD_REF_TYPE_RECORD	1

static void to_sockaddr(const struct in6_addr *a, union pfkey_sockaddr *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (IN6_IS_ADDR_V4MAPPED(a)) {
		sa->sin.sin_family = AF_INET;
		memcpy(&sa->sin.sin_addr, &a->s6_addr[12], 4);
	} else {
		sa->sin6.sin6_family = AF_INET6;
		sa->sin6.sin6_addr = *a;
	}
}

static void outer_to_sockaddr(sa_family_t family, const uint8_t *b,
			      union pfkey_sockaddr *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (family == AF_INET) {
		sa->sin.sin_family = AF_INET;
		memcpy(&sa->sin.sin_addr, b, 4);
	} else {
		sa->sin6.sin6_family = AF_INET6;
		memcpy(&sa->sin6.sin6_addr, b, 16);
	}
}

/*
 * The SA's addresses: the policy template's locators when the kernel
 * gave them; otherwise the record's preferred care-of address and its
 * peer, the locators the exchange will use; the HITs as the last resort
 * (or when those two are of different families).
 */
static void acquire_addrs(const struct hip_kernel_event *ev,
			  const struct hip_msrd_record *rec,
			  union pfkey_sockaddr *src, union pfkey_sockaddr *dst)
{
	const struct hip_kernel_outer *o = &ev->u.acquire.outer;
	const struct hip_kernel_sel *in = &ev->u.acquire.inner;

	if (o->family == AF_INET || o->family == AF_INET6) {
		outer_to_sockaddr(o->family, o->src.b, src);
		outer_to_sockaddr(o->family, o->dst.b, dst);
		return;
	}
	if (rec->n_coa > 0 && (rec->flags & HIP_MSRD_F_PEER)) {
		to_sockaddr(&rec->coa[0].addr, src);
		to_sockaddr(&rec->peer, dst);
		if (src->sa.sa_family == dst->sa.sa_family)
			return;
	}
	outer_to_sockaddr(in->family, in->src.b, src);
	outer_to_sockaddr(in->family, in->dst.b, dst);
}

int hipd_msrd_build_acquire(const struct hip_kernel_event *ev,
			    const struct hip_msrd_record *rec, uint8_t *buf,
			    size_t cap, size_t *len)
{
	/* ESP combinations hipd negotiates (RFC 7402 suites on Linux) */
	static const struct pfkey_comb combs[] = {
		{ .auth = SADB_X_AALG_SHA2_256HMAC,
		  .encrypt = SADB_X_EALG_AESCBC,
		  .auth_minbits = 256, .auth_maxbits = 256,
		  .encrypt_minbits = 128, .encrypt_maxbits = 256 },
		{ .auth = SADB_AALG_SHA1HMAC,
		  .encrypt = SADB_X_EALG_AESCBC,
		  .auth_minbits = 160, .auth_maxbits = 160,
		  .encrypt_minbits = 128, .encrypt_maxbits = 256 },
	};
	struct pfkey_builder b;
	union pfkey_sockaddr src, dst;
	struct pfkey_policy pol;
	struct pfkey_ipsecrequest rq;
	struct pfkey_ref ref;
	uint8_t plen;

	if (ev == NULL || rec == NULL || buf == NULL || len == NULL ||
	    ev->type != HIP_KEV_ACQUIRE)
		return HIP_EINVAL;
	acquire_addrs(ev, rec, &src, &dst);
	plen = src.sa.sa_family == AF_INET ? 32 : 128;
	memset(&pol, 0, sizeof(pol));
	pol.type = IPSEC_POLICY_IPSEC;
	pol.dir = ev->u.acquire.policy_dir == HIP_KERNEL_DIR_IN ?
		  IPSEC_DIR_INBOUND : IPSEC_DIR_OUTBOUND;
	pol.id = ev->u.acquire.policy_index;
	memset(&rq, 0, sizeof(rq));
	rq.proto = IPPROTO_ESP;
	rq.mode = IPSEC_MODE_BEET;
	rq.level = IPSEC_LEVEL_REQUIRE;
	rq.reqid = ev->u.acquire.reqid;
	memset(&ref, 0, sizeof(ref));
	ref.ver = PFKEY_X_REF_VERSION;
	ref.type = MSRD_REF_TYPE_RECORD;
	ref.mpi = rec->mpi;

	if (pfkey_build_init(&b, buf, cap, SADB_ACQUIRE, SADB_SATYPE_ESP,
			     ev->u.acquire.seq, 0) < 0)
		return HIP_ENOSPC;
	pfkey_add_address(&b, SADB_EXT_ADDRESS_SRC, 0, plen, &src.sa);
	pfkey_add_address(&b, SADB_EXT_ADDRESS_DST, 0, plen, &dst.sa);
	pfkey_add_policy(&b, &pol, &rq, 1);
	pfkey_add_proposal(&b, 32, combs, sizeof(combs) / sizeof(combs[0]));
	pfkey_add_ref(&b, &ref);
	switch (pfkey_build_finish(&b, len)) {
	case 0:
		return 0;
	case PFKEY_ENOSPC:
		return HIP_ENOSPC;
	default:
		return HIP_EINVAL;
	}
}
