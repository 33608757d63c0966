/*
 * params_reg.c - registration (RFC 8003 4), rendezvous (RFC 8004 4.2) and
 * NAT traversal (RFC 5770 5) parameters: REG_INFO, REG_REQUEST,
 * REG_RESPONSE, REG_FAILED, FROM, VIA_RVS, REG_FROM, NAT_TRAVERSAL_MODE,
 * TRANSACTION_PACING.
 */
#include <string.h>

#include "hip/params.h"
#include "hip/proto.h"
#include "params_internal.h"

int hip_put_reg_info(struct hip_builder *b, const struct hip_reg_info *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->count > HIP_REG_TYPE_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_REG_INFO, 2 + v->count, &d);
	if (r)
		return r;
	d[0] = v->min_lifetime;
	d[1] = v->max_lifetime;
	if (v->count > 0)
		memcpy(d + 2, v->types, v->count);
	return HIP_OK;
}

int hip_parse_reg_info(const struct hip_param *p, struct hip_reg_info *out)
{
	int r = param_expect(p, HIP_PARAM_REG_INFO);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 2 || (size_t)p->len - 2 > HIP_REG_TYPE_MAX)
		return HIP_ELEN;
	out->min_lifetime = p->value[0];
	out->max_lifetime = p->value[1];
	out->count = (size_t)p->len - 2;
	if (out->count > 0)
		memcpy(out->types, p->value + 2, out->count);
	return HIP_OK;
}

static int is_reg(uint16_t type)
{
	return type == HIP_PARAM_REG_REQUEST ||
	       type == HIP_PARAM_REG_RESPONSE || type == HIP_PARAM_REG_FAILED;
}

int hip_put_reg(struct hip_builder *b, uint16_t type, const struct hip_reg *v)
{
	uint8_t *d;
	int r;

	if (v == NULL || !is_reg(type))
		return HIP_EINVAL;
	if (v->count > HIP_REG_TYPE_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, type, 1 + v->count, &d);
	if (r)
		return r;
	d[0] = v->value;
	if (v->count > 0)
		memcpy(d + 1, v->types, v->count);
	return HIP_OK;
}

int hip_parse_reg(const struct hip_param *p, struct hip_reg *out)
{
	if (p == NULL || out == NULL || !is_reg(p->type) ||
	    (p->len > 0 && p->value == NULL))
		return HIP_EINVAL;
	if (p->len < 1 || (size_t)p->len - 1 > HIP_REG_TYPE_MAX)
		return HIP_ELEN;
	out->value = p->value[0];
	out->count = (size_t)p->len - 1;
	if (out->count > 0)
		memcpy(out->types, p->value + 1, out->count);
	return HIP_OK;
}

int hip_put_from(struct hip_builder *b, const struct hip_from *v)
{
	if (v == NULL)
		return HIP_EINVAL;
	return hip_put_param(b, HIP_PARAM_FROM, &v->addr, 16);
}

int hip_parse_from(const struct hip_param *p, struct hip_from *out)
{
	int r = param_expect(p, HIP_PARAM_FROM);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len != 16)
		return HIP_ELEN;
	memcpy(&out->addr, p->value, 16);
	return HIP_OK;
}

int hip_put_via_rvs(struct hip_builder *b, const struct hip_via_rvs *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->count == 0 || v->count > HIP_VIA_RVS_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_VIA_RVS, 16 * v->count, &d);
	if (r)
		return r;
	for (size_t i = 0; i < v->count; i++)
		memcpy(d + 16 * i, &v->addrs[i], 16);
	return HIP_OK;
}

int hip_parse_via_rvs(const struct hip_param *p, struct hip_via_rvs *out)
{
	int r = param_expect(p, HIP_PARAM_VIA_RVS);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len == 0 || p->len % 16 != 0 || p->len / 16 > HIP_VIA_RVS_MAX)
		return HIP_ELEN;
	out->count = p->len / 16;
	for (size_t i = 0; i < out->count; i++)
		memcpy(&out->addrs[i], p->value + 16 * i, 16);
	return HIP_OK;
}

int hip_put_reg_from(struct hip_builder *b, const struct hip_reg_from *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	r = hip_put_param_reserve(b, HIP_PARAM_REG_FROM, 20, &d);
	if (r)
		return r;
	hip_put16(d, v->port);
	d[2] = v->protocol;
	memcpy(d + 4, &v->addr, 16);
	return HIP_OK;
}

int hip_parse_reg_from(const struct hip_param *p, struct hip_reg_from *out)
{
	int r = param_expect(p, HIP_PARAM_REG_FROM);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len != 20)
		return HIP_ELEN;
	out->port = hip_get16(p->value);
	out->protocol = p->value[2];
	memcpy(&out->addr, p->value + 4, 16);
	return HIP_OK;
}

int hip_put_nat_traversal_mode(struct hip_builder *b,
			       const struct hip_nat_traversal_mode *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->count == 0 || v->count > HIP_NAT_MODE_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_NAT_TRAVERSAL_MODE,
				  2 + 2 * v->count, &d);
	if (r)
		return r;
	put_u16_list(d + 2, v->modes, v->count);
	return HIP_OK;
}

int hip_parse_nat_traversal_mode(const struct hip_param *p,
				 struct hip_nat_traversal_mode *out)
{
	int r = param_expect(p, HIP_PARAM_NAT_TRAVERSAL_MODE);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 2)
		return HIP_ELEN;
	return get_u16_list(p->value + 2, (size_t)p->len - 2, out->modes,
			    HIP_NAT_MODE_MAX, &out->count);
}

int hip_put_transaction_pacing(struct hip_builder *b,
			       const struct hip_transaction_pacing *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	r = hip_put_param_reserve(b, HIP_PARAM_TRANSACTION_PACING, 4, &d);
	if (r)
		return r;
	hip_put32(d, v->min_ta);
	return HIP_OK;
}

int hip_parse_transaction_pacing(const struct hip_param *p,
				 struct hip_transaction_pacing *out)
{
	int r = param_expect(p, HIP_PARAM_TRANSACTION_PACING);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len != 4)
		return HIP_ELEN;
	out->min_ta = hip_get32(p->value);
	return HIP_OK;
}
