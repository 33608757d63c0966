/*
 * engine_locator.c - mobility and multihoming (RFC 8046, RFC 8047).
 */
#include <string.h>

#include "hip/error.h"
#include "engine_internal.h"

bool engine_loc_outstanding(const struct hip_assoc *a)
{
	(void)a;
	return false;
}

int engine_loc_put(struct hip_builder *b, struct hip_engine *e,
		   const struct hip_assoc *a, uint16_t type)
{
	(void)b; (void)e; (void)a; (void)type;
	return HIP_OK;
}

const struct in6_addr *engine_loc_update_dst(const struct hip_assoc *a)
{
	return &a->peer_loc;
}

int engine_loc_check(struct hip_engine *e, const struct hip_assoc *a,
		     const struct update_in *in)
{
	(void)e; (void)a; (void)in;
	return HIP_OK;
}

int engine_loc_recv(struct hip_engine *e, uint64_t now,
		    struct hip_assoc *a, const struct update_in *in,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    bool *need_send)
{
	(void)e; (void)now; (void)a; (void)in; (void)src; (void)dst;
	(void)need_send;
	return HIP_OK;
}

void engine_loc_acked(struct hip_engine *e, uint64_t now,
		      struct hip_assoc *a, uint32_t id,
		      const struct update_in *in)
{
	(void)e; (void)now; (void)a; (void)id; (void)in;
}

void engine_loc_given_up(struct hip_engine *e, struct hip_assoc *a)
{
	(void)e; (void)a;
}

uint64_t engine_loc_deadline(const struct hip_assoc *a)
{
	(void)a;
	return ENGINE_NO_DEADLINE;
}

void engine_loc_timeout(struct hip_engine *e, uint64_t now,
			struct hip_assoc *a)
{
	(void)e; (void)now; (void)a;
}

int hip_engine_set_locators(struct hip_engine *e, uint64_t now_ms,
			    const struct in6_addr *locs, size_t n)
{
	(void)e; (void)now_ms; (void)locs; (void)n;
	return HIP_EUNSUPPORTED;
}

int hip_engine_assoc_set_locators(struct hip_engine *e, uint64_t now_ms,
				  const uint8_t *local_hit,
				  const uint8_t peer_hit[HIP_HIT_LEN],
				  const struct in6_addr *locs, size_t n)
{
	(void)e; (void)now_ms; (void)local_hit; (void)peer_hit; (void)locs;
	(void)n;
	return HIP_EUNSUPPORTED;
}
