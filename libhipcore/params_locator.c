/*
 * params_locator.c - LOCATOR_SET (RFC 8046 4, locator type 2 from
 * RFC 5770 5.7).
 */
#include <string.h>

#include "hip/params.h"
#include "hip/proto.h"
#include "params_internal.h"

#define LOC_HDR_LEN	8	/* traffic, type, length, P, lifetime */

/* Locator length in 4-octet units for the types we understand, else 0. */
static uint8_t known_units(uint8_t type)
{
	switch (type) {
	case HIP_LOC_TYPE_ADDR:
		return 4;
	case HIP_LOC_TYPE_SPI_ADDR:
		return 5;
	case HIP_LOC_TYPE_TRANSPORT:
		return 7;
	default:
		return 0;
	}
}

int hip_put_locator_set(struct hip_builder *b, const struct hip_locator_set *v)
{
	size_t len = 0;
	uint8_t *d;
	int r;

	if (v == NULL)
		return HIP_EINVAL;
	if (v->count == 0 || v->count > HIP_LOCATOR_MAX)
		return HIP_ELEN;
	for (size_t i = 0; i < v->count; i++) {
		uint8_t units = known_units(v->loc[i].type);

		if (units == 0)
			return HIP_EINVAL;
		len += LOC_HDR_LEN + 4 * (size_t)units;
	}
	r = hip_put_param_reserve(b, HIP_PARAM_LOCATOR_SET, len, &d);
	if (r)
		return r;
	for (size_t i = 0; i < v->count; i++) {
		const struct hip_locator *l = &v->loc[i];
		uint8_t units = known_units(l->type);
		uint8_t *a = d + LOC_HDR_LEN;

		d[0] = l->traffic_type;
		d[1] = l->type;
		d[2] = units;
		d[3] = l->preferred ? 1 : 0;
		hip_put32(d + 4, l->lifetime);
		if (l->type == HIP_LOC_TYPE_SPI_ADDR) {
			hip_put32(a, l->spi);
			a += 4;
		} else if (l->type == HIP_LOC_TYPE_TRANSPORT) {
			hip_put16(a, l->port);
			a[2] = l->protocol;
			a[3] = l->kind;
			hip_put32(a + 4, l->priority);
			hip_put32(a + 8, l->spi);
			a += 12;
		}
		memcpy(a, &l->addr, 16);
		d += LOC_HDR_LEN + 4 * (size_t)units;
	}
	return HIP_OK;
}

/* Decode one locator whose header and body (units * 4 octets) are known to
 * lie inside the value. */
static int parse_one(const uint8_t *s, struct hip_locator *l)
{
	uint8_t units = s[2];
	const uint8_t *a = s + LOC_HDR_LEN;
	uint8_t want = known_units(s[1]);

	memset(l, 0, sizeof(*l));
	l->traffic_type = s[0];
	l->type = s[1];
	l->length = units;
	l->preferred = (s[3] & 0x01) != 0;	/* other bits are reserved */
	l->lifetime = hip_get32(s + 4);
	if (want == 0)
		return HIP_OK;	/* unknown type: content skipped */
	if (units != want)
		return HIP_ELEN;
	if (l->type == HIP_LOC_TYPE_SPI_ADDR) {
		l->spi = hip_get32(a);
		a += 4;
	} else if (l->type == HIP_LOC_TYPE_TRANSPORT) {
		l->port = hip_get16(a);
		l->protocol = a[2];
		l->kind = a[3];
		l->priority = hip_get32(a + 4);
		l->spi = hip_get32(a + 8);
		a += 12;
	}
	memcpy(&l->addr, a, 16);
	return HIP_OK;
}

int hip_parse_locator_set(const struct hip_param *p,
			  struct hip_locator_set *out)
{
	struct hip_locator tmp[HIP_LOCATOR_MAX];
	size_t pos = 0, count = 0;
	int r = param_expect(p, HIP_PARAM_LOCATOR_SET);

	if (r || out == NULL)
		return r ? r : HIP_EINVAL;
	while (pos < p->len) {
		size_t body;

		if (count == HIP_LOCATOR_MAX)
			return HIP_ELEN;
		if (p->len - pos < LOC_HDR_LEN)
			return HIP_ELEN;
		body = 4 * (size_t)p->value[pos + 2];
		if (body > p->len - pos - LOC_HDR_LEN)
			return HIP_ELEN;
		r = parse_one(p->value + pos, &tmp[count]);
		if (r)
			return r;
		count++;
		pos += LOC_HDR_LEN + body;
	}
	if (count == 0)
		return HIP_ELEN;
	memcpy(out->loc, tmp, count * sizeof(tmp[0]));
	out->count = count;
	return HIP_OK;
}
