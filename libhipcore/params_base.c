/*
 * params_base.c - typed parameters of the base exchange (RFC 7401 5.2):
 * R1_COUNTER, PUZZLE, SOLUTION, DH_GROUP_LIST, DIFFIE_HELLMAN, HIP_CIPHER,
 * ENCRYPTED, HOST_ID, HIT_SUITE_LIST, TRANSPORT_FORMAT_LIST.
 */
#include <string.h>

#include "hip/params.h"
#include "hip/proto.h"
#include "params_internal.h"

int hip_put_r1_counter(struct hip_builder *b, const struct hip_r1_counter *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	r = hip_put_param_reserve(b, HIP_PARAM_R1_COUNTER, 12, &d);
	if (r)
		return r;
	hip_put32(d, v->reserved);
	hip_put64(d + 4, v->generation);
	return HIP_OK;
}

int hip_parse_r1_counter(const struct hip_param *p, struct hip_r1_counter *out)
{
	int r = param_expect(p, HIP_PARAM_R1_COUNTER);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len != 12)
		return HIP_ELEN;
	out->reserved = hip_get32(p->value);
	out->generation = hip_get64(p->value + 4);
	return HIP_OK;
}

int hip_put_puzzle(struct hip_builder *b, const struct hip_puzzle *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (!rhash_len_ok(v->i_len))
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_PUZZLE, 4 + v->i_len, &d);
	if (r)
		return r;
	d[0] = v->k;
	d[1] = v->lifetime;
	memcpy(d + 2, v->opaque, 2);
	memcpy(d + 4, v->i, v->i_len);
	return HIP_OK;
}

int hip_parse_puzzle(const struct hip_param *p, struct hip_puzzle *out)
{
	int r = param_expect(p, HIP_PARAM_PUZZLE);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 4 || !rhash_len_ok((size_t)p->len - 4))
		return HIP_ELEN;
	out->k = p->value[0];
	out->lifetime = p->value[1];
	memcpy(out->opaque, p->value + 2, 2);
	out->i_len = (size_t)p->len - 4;
	memcpy(out->i, p->value + 4, out->i_len);
	return HIP_OK;
}

int hip_put_solution(struct hip_builder *b, const struct hip_solution *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (!rhash_len_ok(v->i_len))
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_SOLUTION, 4 + 2 * v->i_len, &d);
	if (r)
		return r;
	d[0] = v->k;
	d[1] = 0;
	memcpy(d + 2, v->opaque, 2);
	memcpy(d + 4, v->i, v->i_len);
	memcpy(d + 4 + v->i_len, v->j, v->i_len);
	return HIP_OK;
}

int hip_parse_solution(const struct hip_param *p, struct hip_solution *out)
{
	size_t n;
	int r = param_expect(p, HIP_PARAM_SOLUTION);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 4 || (p->len - 4) % 2 != 0)
		return HIP_ELEN;
	n = ((size_t)p->len - 4) / 2;
	if (!rhash_len_ok(n))
		return HIP_ELEN;
	out->k = p->value[0];
	memcpy(out->opaque, p->value + 2, 2);
	out->i_len = n;
	memcpy(out->i, p->value + 4, n);
	memcpy(out->j, p->value + 4 + n, n);
	return HIP_OK;
}

/* 1-octet ID lists: DH_GROUP_LIST and HIT_SUITE_LIST. */
static int put_u8_list(struct hip_builder *b, uint16_t type,
		       const uint8_t *ids, size_t count, size_t max)
{
	if (count == 0 || count > max)
		return HIP_ELEN;
	return hip_put_param(b, type, ids, count);
}

static int parse_u8_list(const struct hip_param *p, uint16_t type,
			 uint8_t *ids, size_t *count, size_t max)
{
	int r = param_expect(p, type);

	if (r || ids == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len == 0 || p->len > max)
		return HIP_ELEN;
	memcpy(ids, p->value, p->len);
	*count = p->len;
	return HIP_OK;
}

int hip_put_dh_group_list(struct hip_builder *b,
			  const struct hip_dh_group_list *v)
{
	if (v == NULL)
		return HIP_EINVAL;
	return put_u8_list(b, HIP_PARAM_DH_GROUP_LIST, v->groups, v->count,
			   HIP_DH_LIST_MAX);
}

int hip_parse_dh_group_list(const struct hip_param *p,
			    struct hip_dh_group_list *out)
{
	if (out == NULL)
		return HIP_EINVAL;
	return parse_u8_list(p, HIP_PARAM_DH_GROUP_LIST, out->groups,
			     &out->count, HIP_DH_LIST_MAX);
}

int hip_put_diffie_hellman(struct hip_builder *b,
			   const struct hip_diffie_hellman *v)
{
	size_t len = 0;
	uint8_t *d;
	int r;

	if (v == NULL || v->count < 1 || v->count > 2)
		return HIP_EINVAL;
	for (size_t i = 0; i < v->count; i++) {
		if (v->v[i].pub_len == 0 || v->v[i].pub_len > HIP_DH_PUB_MAX)
			return HIP_ELEN;
		len += 3 + v->v[i].pub_len;
	}
	r = hip_put_param_reserve(b, HIP_PARAM_DIFFIE_HELLMAN, len, &d);
	if (r)
		return r;
	for (size_t i = 0; i < v->count; i++) {
		d[0] = v->v[i].group;
		hip_put16(d + 1, (uint16_t)v->v[i].pub_len);
		memcpy(d + 3, v->v[i].pub, v->v[i].pub_len);
		d += 3 + v->v[i].pub_len;
	}
	return HIP_OK;
}

int hip_parse_diffie_hellman(const struct hip_param *p,
			     struct hip_diffie_hellman *out)
{
	size_t pos = 0, lens[2], count = 0;
	int r = param_expect(p, HIP_PARAM_DIFFIE_HELLMAN);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	/* Validate the one or two values before writing anything. */
	while (pos < p->len) {
		size_t n;

		if (count == 2 || p->len - pos < 3)
			return HIP_ELEN;
		n = hip_get16(p->value + pos + 1);
		if (n == 0 || n > HIP_DH_PUB_MAX || n > p->len - pos - 3)
			return HIP_ELEN;
		lens[count++] = n;
		pos += 3 + n;
	}
	if (count == 0)
		return HIP_ELEN;
	pos = 0;
	for (size_t i = 0; i < count; i++) {
		out->v[i].group = p->value[pos];
		out->v[i].pub_len = lens[i];
		memcpy(out->v[i].pub, p->value + pos + 3, lens[i]);
		pos += 3 + lens[i];
	}
	out->count = count;
	return HIP_OK;
}

int hip_put_cipher(struct hip_builder *b, const struct hip_cipher *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->count == 0 || v->count > HIP_CIPHER_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_HIP_CIPHER, 2 * v->count, &d);
	if (r)
		return r;
	put_u16_list(d, v->ids, v->count);
	return HIP_OK;
}

int hip_parse_cipher(const struct hip_param *p, struct hip_cipher *out)
{
	int r = param_expect(p, HIP_PARAM_HIP_CIPHER);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	return get_u16_list(p->value, p->len, out->ids, HIP_CIPHER_MAX,
			    &out->count);
}

int hip_put_encrypted(struct hip_builder *b, const struct hip_encrypted *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->len == 0 || v->len > HIP_OPAQUE_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_ENCRYPTED, 4 + v->len, &d);
	if (r)
		return r;
	memcpy(d + 4, v->data, v->len);
	return HIP_OK;
}

int hip_parse_encrypted(const struct hip_param *p, struct hip_encrypted *out)
{
	int r = param_expect(p, HIP_PARAM_ENCRYPTED);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 5 || (size_t)p->len - 4 > HIP_OPAQUE_MAX)
		return HIP_ELEN;
	out->len = (size_t)p->len - 4;
	memcpy(out->data, p->value + 4, out->len);
	return HIP_OK;
}

int hip_put_host_id(struct hip_builder *b, const struct hip_host_id *v)
{
	uint8_t *d;
	int r;

	if (v == NULL || v->di_type > 15)
		return HIP_EINVAL;
	if (v->hi_len == 0 || v->hi_len > HIP_HI_MAX || v->di_len > HIP_DI_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_HOST_ID,
				  6 + v->hi_len + v->di_len, &d);
	if (r)
		return r;
	hip_put16(d, (uint16_t)v->hi_len);
	hip_put16(d + 2, (uint16_t)(v->di_type << 12 | v->di_len));
	hip_put16(d + 4, v->algorithm);
	memcpy(d + 6, v->hi, v->hi_len);
	if (v->di_len > 0)
		memcpy(d + 6 + v->hi_len, v->di, v->di_len);
	return HIP_OK;
}

int hip_parse_host_id(const struct hip_param *p, struct hip_host_id *out)
{
	size_t hi_len, di_len;
	uint16_t di;
	int r = param_expect(p, HIP_PARAM_HOST_ID);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	if (p->len < 6)
		return HIP_ELEN;
	hi_len = hip_get16(p->value);
	di = hip_get16(p->value + 2);
	di_len = di & 0x0fff;
	if (hi_len == 0 || hi_len > HIP_HI_MAX || di_len > HIP_DI_MAX ||
	    6 + hi_len + di_len != p->len)
		return HIP_ELEN;
	out->di_type = (uint8_t)(di >> 12);
	out->algorithm = hip_get16(p->value + 4);
	out->hi_len = hi_len;
	memcpy(out->hi, p->value + 6, hi_len);
	out->di_len = di_len;
	if (di_len > 0)
		memcpy(out->di, p->value + 6 + hi_len, di_len);
	return HIP_OK;
}

int hip_put_hit_suite_list(struct hip_builder *b,
			   const struct hip_hit_suite_list *v)
{
	if (v == NULL)
		return HIP_EINVAL;
	return put_u8_list(b, HIP_PARAM_HIT_SUITE_LIST, v->ids, v->count,
			   HIP_HIT_SUITE_MAX);
}

int hip_parse_hit_suite_list(const struct hip_param *p,
			     struct hip_hit_suite_list *out)
{
	if (out == NULL)
		return HIP_EINVAL;
	return parse_u8_list(p, HIP_PARAM_HIT_SUITE_LIST, out->ids,
			     &out->count, HIP_HIT_SUITE_MAX);
}

int hip_put_transport_format_list(struct hip_builder *b,
				  const struct hip_transport_format_list *v)
{
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->count == 0 || v->count > HIP_TRANSPORT_MAX)
		return HIP_ELEN;
	r = hip_put_param_reserve(b, HIP_PARAM_TRANSPORT_FORMAT_LIST,
				  2 * v->count, &d);
	if (r)
		return r;
	put_u16_list(d, v->formats, v->count);
	return HIP_OK;
}

int hip_parse_transport_format_list(const struct hip_param *p,
				    struct hip_transport_format_list *out)
{
	int r = param_expect(p, HIP_PARAM_TRANSPORT_FORMAT_LIST);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	return get_u16_list(p->value, p->len, out->formats, HIP_TRANSPORT_MAX,
			    &out->count);
}
