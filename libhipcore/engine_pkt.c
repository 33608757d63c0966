/*
 * engine_pkt.c - the packet chores of the engine: signing and MACing
 * packets under construction, verifying received ones, the peer's
 * HOST_ID, and queuing a packet for sending.
 */
#include <stdlib.h>
#include <string.h>

#include "hip/auth.h"
#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hip/params.h"
#include "hip/util.h"
#include "hip/wire.h"
#include "engine_internal.h"

/* Queue pkt for sending from src to dst after setting its checksum. */
int engine_send(struct hip_engine *e, const struct hip_assoc *a,
		const struct in6_addr *src, const struct in6_addr *dst,
		uint8_t *pkt, size_t len)
{
	struct hip_engine_action *act;
	int r;

	if (len > HIP_MAX_PACKET)
		return HIP_EINVAL;
	r = hip_packet_set_checksum(pkt, len, src, dst);
	if (r)
		return r;
	act = engine_push(e, HIP_ACT_SEND);
	if (act == NULL)
		return HIP_ENOSPC;
	if (a != NULL) {
		memcpy(act->local_hit, a->local_hit, HIP_HIT_LEN);
		memcpy(act->peer_hit, a->peer_hit, HIP_HIT_LEN);
	}
	act->u.send.src = *src;
	act->u.send.dst = *dst;
	act->u.send.len = len;
	memcpy(act->u.send.pkt, pkt, len);
	e->stats.sent++;
	return HIP_OK;
}

/* Append HIP_SIGNATURE or HIP_SIGNATURE_2 over what the builder holds
 * (RFC 7401 6.4.2): reserve the parameter, then sign its covered
 * string and fill the value in. */
int engine_put_sig(struct hip_builder *b, const struct hip_identity *id,
		   uint16_t type)
{
	size_t sig_len = hip_sig_len(id), off = b->len, in_len, got;
	uint8_t *v, *input;
	uint16_t algo;
	int r;

	if (sig_len == 0 || sig_len > HIP_SIG_MAX)
		return HIP_EUNSUPPORTED;
	r = hip_put_param_reserve(b, type, 2 + sig_len, &v);
	if (r)
		return r;
	hip_builder_finish(b, NULL);
	input = malloc(HIP_AUTH_MAX_INPUT);
	if (input == NULL) {
		r = HIP_ENOMEM;
		goto fail;
	}
	r = hip_auth_input(b->buf, b->len, off, NULL, 0, input,
			   HIP_AUTH_MAX_INPUT, &in_len);
	if (r == 0)
		r = hip_sign(id, input, in_len, v + 2, sig_len, &got, &algo);
	free(input);
	if (r == 0 && got != sig_len)
		r = HIP_ECRYPTO;
	if (r)
		goto fail;
	hip_put16(v, algo);
	return HIP_OK;
fail:
	hip_builder_truncate(b, off);
	return r;
}

/* Append HIP_MAC or HIP_MAC_2 with our outgoing integrity key. */
int engine_put_mac(struct hip_builder *b, const struct hip_assoc *a,
		   uint16_t type, const uint8_t *host_id, size_t host_id_len)
{
	size_t off = b->len, got;
	uint8_t *v;
	int r;

	r = hip_put_param_reserve(b, type, a->hk.mac_len, &v);
	if (r)
		return r;
	hip_builder_finish(b, NULL);
	r = hip_auth_mac_compute(a->rhash_suite, a->hk.mac_out, a->hk.mac_len,
				 b->buf, b->len, off, host_id, host_id_len, v,
				 a->hk.mac_len, &got);
	if (r == 0 && got != a->hk.mac_len)
		r = HIP_ECRYPTO;
	if (r) {
		hip_builder_truncate(b, off);
		return r;
	}
	return HIP_OK;
}

int engine_verify_sig(const struct hip_packet *p,
		      const struct hip_identity *id, uint16_t type)
{
	const struct hip_param *sp = hip_packet_find(p, type);
	struct hip_signature *sig;
	uint8_t *input;
	size_t in_len;
	int r;

	if (sp == NULL)
		return HIP_EMISSING;
	sig = malloc(sizeof(*sig));
	input = malloc(HIP_AUTH_MAX_INPUT);
	if (sig == NULL || input == NULL) {
		r = HIP_ENOMEM;
		goto out;
	}
	r = hip_parse_signature(sp, sig);
	if (r == 0)
		r = hip_auth_input(p->data, p->len, sp->offset, NULL, 0, input,
				   HIP_AUTH_MAX_INPUT, &in_len);
	if (r == 0)
		r = hip_verify(id, sig->algorithm, input, in_len, sig->sig,
			       sig->len);
	if (r)
		r = HIP_EVERIFY;
out:
	free(sig);
	free(input);
	return r;
}

int engine_verify_mac(const struct hip_packet *p, const struct hip_assoc *a,
		      uint16_t type, const uint8_t *host_id,
		      size_t host_id_len)
{
	const struct hip_param *mp = hip_packet_find(p, type);

	if (mp == NULL)
		return HIP_EMISSING;
	if (!a->have_keys)
		return HIP_EVERIFY;
	return hip_auth_mac_verify(a->rhash_suite, a->hk.mac_in, a->hk.mac_len,
				   p->data, p->len, mp->offset, host_id,
				   host_id_len) ? HIP_EVERIFY : HIP_OK;
}

/* Decode the HOST_ID parameter hp and check that it is the sender HIT's
 * (RFC 7401 6.8 step, 6.9). */
int engine_peer_identity(const struct hip_packet *p,
			 const struct hip_param *hp,
			 struct hip_identity **out)
{
	struct hip_hostid_view view;
	struct hip_identity *id;
	int r;

	if (hp == NULL)
		return HIP_EMISSING;
	r = hip_hostid_decode(hp->value, hp->len, &view, &id);
	if (r)
		return r;
	r = hip_hit_verify(p->hdr.sender_hit.s6_addr, view.algo, view.hi,
			   view.hi_len);
	if (r) {
		hip_identity_free(id);
		return HIP_EVERIFY;
	}
	*out = id;
	return HIP_OK;
}
