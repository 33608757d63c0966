/*
 * params_auth.c - typed parameters that carry opaque or authenticating
 * data: CERT (RFC 8002), NOTIFICATION, ECHO_* (RFC 7401 5.2.19-5.2.22),
 * HIP_MAC, HIP_MAC_2, RVS_HMAC, HIP_SIGNATURE, HIP_SIGNATURE_2.
 */
#include <string.h>

#include "hip/params.h"
#include "hip/proto.h"
#include "params_internal.h"

int hip_put_cert(struct hip_builder *b, const struct hip_cert *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->len == 0 || v->len > HIP_OPAQUE_MAX - 4)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_CERT, 4 + v->len, &d);
	if (r)
		return r;
	d[0] = v->group;
	d[1] = v->count;
	d[2] = v->id;
	d[3] = v->type;
	memcpy(d + 4, v->cert, v->len);
	return HIP_OK;
}

int hip_parse_cert(const struct hip_param *p, struct hip_cert *out)
{
	int r = param_expect(p, HIP_PARAM_CERT);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 5 || (size_t)p->len - 4 > HIP_OPAQUE_MAX - 4)
		return HIP_ELEN;
	out->group = p->value[0];
	out->count = p->value[1];
	out->id = p->value[2];
	out->type = p->value[3];
	out->len = (size_t)p->len - 4;
	memcpy(out->cert, p->value + 4, out->len);
	return HIP_OK;
}

int hip_put_notification(struct hip_builder *b,
			 const struct hip_notification *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->data_len > HIP_OPAQUE_MAX - 4)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_NOTIFICATION, 4 + v->data_len,
				  &d);
	if (r)
		return r;
	hip_put16(d + 2, v->type);
	if (v->data_len > 0)
		memcpy(d + 4, v->data, v->data_len);
	return HIP_OK;
}

int hip_parse_notification(const struct hip_param *p,
			   struct hip_notification *out)
{
	int r = param_expect(p, HIP_PARAM_NOTIFICATION);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 4 || (size_t)p->len - 4 > HIP_OPAQUE_MAX - 4)
		return HIP_ELEN;
	out->type = hip_get16(p->value + 2);
	out->data_len = (size_t)p->len - 4;
	if (out->data_len > 0)
		memcpy(out->data, p->value + 4, out->data_len);
	return HIP_OK;
}

static int is_echo(uint16_t type)
{
	return type == HIP_PARAM_ECHO_REQUEST_SIGNED ||
	       type == HIP_PARAM_ECHO_RESPONSE_SIGNED ||
	       type == HIP_PARAM_ECHO_REQUEST_UNSIGNED ||
	       type == HIP_PARAM_ECHO_RESPONSE_UNSIGNED;
}

int hip_put_echo(struct hip_builder *b, uint16_t type,
		 const struct hip_opaque *v)
{
	if (v == NULL || !is_echo(type))
		return HIP_EINVAL;
	if (v->len == 0 || v->len > HIP_OPAQUE_MAX)
		return HIP_ELEN;
	return hip_put_param(b, type, v->data, v->len);
}

int hip_parse_echo(const struct hip_param *p, struct hip_opaque *out)
{
	if (p == NULL || out == NULL || !is_echo(p->type) ||
	    (p->len > 0 && p->value == NULL))
		return HIP_EINVAL;
	if (p->len == 0 || p->len > HIP_OPAQUE_MAX)
		return HIP_ELEN;
	out->len = p->len;
	memcpy(out->data, p->value, p->len);
	return HIP_OK;
}

static int is_mac(uint16_t type)
{
	return type == HIP_PARAM_HIP_MAC || type == HIP_PARAM_HIP_MAC_2 ||
	       type == HIP_PARAM_RVS_HMAC;
}

int hip_put_mac(struct hip_builder *b, uint16_t type, const struct hip_mac *v)
{
	if (v == NULL || !is_mac(type))
		return HIP_EINVAL;
	if (v->len == 0 || v->len > HIP_MAC_MAX)
		return HIP_ELEN;
	return hip_put_param(b, type, v->mac, v->len);
}

int hip_parse_mac(const struct hip_param *p, struct hip_mac *out)
{
	if (p == NULL || out == NULL || !is_mac(p->type) ||
	    (p->len > 0 && p->value == NULL))
		return HIP_EINVAL;
	if (p->len == 0 || p->len > HIP_MAC_MAX)
		return HIP_ELEN;
	out->len = p->len;
	memcpy(out->mac, p->value, p->len);
	return HIP_OK;
}

static int is_sig(uint16_t type)
{
	return type == HIP_PARAM_HIP_SIGNATURE ||
	       type == HIP_PARAM_HIP_SIGNATURE_2;
}

int hip_put_signature(struct hip_builder *b, uint16_t type,
		      const struct hip_signature *v)
{
	uint8_t *d;
	int r;

	if (v == NULL || !is_sig(type))
		return HIP_EINVAL;
	if (v->len == 0 || v->len > HIP_SIG_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, type, 2 + v->len, &d);
	if (r)
		return r;
	hip_put16(d, v->algorithm);
	memcpy(d + 2, v->sig, v->len);
	return HIP_OK;
}

int hip_parse_signature(const struct hip_param *p, struct hip_signature *out)
{
	if (p == NULL || out == NULL || !is_sig(p->type) ||
	    (p->len > 0 && p->value == NULL))
		return HIP_EINVAL;
	if (p->len < 3 || (size_t)p->len - 2 > HIP_SIG_MAX)
		return HIP_ELEN;
	out->algorithm = hip_get16(p->value);
	out->len = (size_t)p->len - 2;
	memcpy(out->sig, p->value + 2, out->len);
	return HIP_OK;
}
