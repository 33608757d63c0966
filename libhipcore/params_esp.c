/*
 * params_esp.c - ESP transport format parameters (RFC 7402 5.1) and the
 * UPDATE sequencing parameters (RFC 7401 5.2.16-5.2.17): ESP_INFO,
 * ESP_TRANSFORM, SEQ, ACK.
 */
#include <string.h>

#include "hip/params.h"
#include "hip/proto.h"
#include "params_internal.h"

int hip_put_esp_info(struct hip_builder *b, const struct hip_esp_info *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	r = hip_put_param_reserve(b, HIP_PARAM_ESP_INFO, 12, &d);
	if (r)
		return r;
	hip_put16(d + 2, v->keymat_index);
	hip_put32(d + 4, v->old_spi);
	hip_put32(d + 8, v->new_spi);
	return HIP_OK;
}

int hip_parse_esp_info(const struct hip_param *p, struct hip_esp_info *out)
{
	int r = param_expect(p, HIP_PARAM_ESP_INFO);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len != 12)
		return HIP_ELEN;
	out->keymat_index = hip_get16(p->value + 2);
	out->old_spi = hip_get32(p->value + 4);
	out->new_spi = hip_get32(p->value + 8);
	return HIP_OK;
}

int hip_put_esp_transform(struct hip_builder *b,
			  const struct hip_esp_transform *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->count == 0 || v->count > HIP_ESP_SUITE_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_ESP_TRANSFORM,
				  2 + 2 * v->count, &d);
	if (r)
		return r;
	put_u16_list(d + 2, v->suites, v->count);
	return HIP_OK;
}

int hip_parse_esp_transform(const struct hip_param *p,
			    struct hip_esp_transform *out)
{
	int r = param_expect(p, HIP_PARAM_ESP_TRANSFORM);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 2)
		return HIP_ELEN;
	return get_u16_list(p->value + 2, (size_t)p->len - 2, out->suites,
			    HIP_ESP_SUITE_MAX, &out->count);
}

int hip_put_seq(struct hip_builder *b, const struct hip_seq *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	r = hip_put_param_reserve(b, HIP_PARAM_SEQ, 4, &d);
	if (r)
		return r;
	hip_put32(d, v->update_id);
	return HIP_OK;
}

int hip_parse_seq(const struct hip_param *p, struct hip_seq *out)
{
	int r = param_expect(p, HIP_PARAM_SEQ);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len != 4)
		return HIP_ELEN;
	out->update_id = hip_get32(p->value);
	return HIP_OK;
}

int hip_put_ack(struct hip_builder *b, const struct hip_ack *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->count == 0 || v->count > HIP_ACK_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_ACK, 4 * v->count, &d);
	if (r)
		return r;
	for (size_t i = 0; i < v->count; i++)
		hip_put32(d + 4 * i, v->update_ids[i]);
	return HIP_OK;
}

int hip_parse_ack(const struct hip_param *p, struct hip_ack *out)
{
	int r = param_expect(p, HIP_PARAM_ACK);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len == 0 || p->len % 4 != 0 || p->len / 4 > HIP_ACK_MAX)
		return HIP_ELEN;
	out->count = p->len / 4;
	for (size_t i = 0; i < out->count; i++)
		out->update_ids[i] = hip_get32(p->value + 4 * i);
	return HIP_OK;
}
