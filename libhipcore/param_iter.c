/*
 * param_iter.c - the TLV cursor every received parameter goes through,
 * the table of known parameter types, and the parsed-packet index.
 */
#include <string.h>

#include "hip/error.h"
#include "hip/param.h"
#include "hip/proto.h"
#include "hip/util.h"

#define REPEAT	0x01

struct param_info {
	uint16_t type;
	uint16_t min_len;
	uint8_t flags;
	const char *name;
};

/* Sorted by type. min_len is the smallest value the layout allows. */
static const struct param_info known[] = {
	{ HIP_PARAM_ESP_INFO, 12, REPEAT, "ESP_INFO" },
	{ HIP_PARAM_R1_COUNTER, 12, 0, "R1_COUNTER" },
	{ HIP_PARAM_LOCATOR_SET, 8, 0, "LOCATOR_SET" },
	{ HIP_PARAM_PUZZLE, 4 + 20, 0, "PUZZLE" },
	{ HIP_PARAM_SOLUTION, 4 + 40, 0, "SOLUTION" },
	{ HIP_PARAM_SEQ, 4, 0, "SEQ" },
	{ HIP_PARAM_ACK, 4, 0, "ACK" },
	{ HIP_PARAM_DH_GROUP_LIST, 1, 0, "DH_GROUP_LIST" },
	{ HIP_PARAM_DIFFIE_HELLMAN, 4, 0, "DIFFIE_HELLMAN" },
	{ HIP_PARAM_HIP_CIPHER, 2, 0, "HIP_CIPHER" },
	{ HIP_PARAM_NAT_TRAVERSAL_MODE, 4, 0, "NAT_TRAVERSAL_MODE" },
	{ HIP_PARAM_TRANSACTION_PACING, 4, 0, "TRANSACTION_PACING" },
	{ HIP_PARAM_ENCRYPTED, 5, 0, "ENCRYPTED" },
	{ HIP_PARAM_HOST_ID, 7, 0, "HOST_ID" },
	{ HIP_PARAM_HIT_SUITE_LIST, 1, 0, "HIT_SUITE_LIST" },
	{ HIP_PARAM_CERT, 5, REPEAT, "CERT" },
	{ HIP_PARAM_NOTIFICATION, 4, REPEAT, "NOTIFICATION" },
	{ HIP_PARAM_ECHO_REQUEST_SIGNED, 1, 0, "ECHO_REQUEST_SIGNED" },
	{ HIP_PARAM_REG_INFO, 2, 0, "REG_INFO" },
	{ HIP_PARAM_REG_REQUEST, 1, 0, "REG_REQUEST" },
	{ HIP_PARAM_REG_RESPONSE, 1, 0, "REG_RESPONSE" },
	{ HIP_PARAM_REG_FAILED, 1, REPEAT, "REG_FAILED" },
	{ HIP_PARAM_REG_FROM, 20, 0, "REG_FROM" },
	{ HIP_PARAM_ECHO_RESPONSE_SIGNED, 1, 0, "ECHO_RESPONSE_SIGNED" },
	{ HIP_PARAM_TRANSPORT_FORMAT_LIST, 2, 0, "TRANSPORT_FORMAT_LIST" },
	{ HIP_PARAM_ESP_TRANSFORM, 4, 0, "ESP_TRANSFORM" },
	{ HIP_PARAM_HIP_MAC, 1, 0, "HIP_MAC" },
	{ HIP_PARAM_HIP_MAC_2, 1, 0, "HIP_MAC_2" },
	{ HIP_PARAM_HIP_SIGNATURE_2, 3, 0, "HIP_SIGNATURE_2" },
	{ HIP_PARAM_HIP_SIGNATURE, 3, 0, "HIP_SIGNATURE" },
	{ HIP_PARAM_ECHO_RESPONSE_UNSIGNED, 1, REPEAT,
	  "ECHO_RESPONSE_UNSIGNED" },
	{ HIP_PARAM_ECHO_REQUEST_UNSIGNED, 1, REPEAT,
	  "ECHO_REQUEST_UNSIGNED" },
	{ HIP_PARAM_FROM, 16, 0, "FROM" },
	{ HIP_PARAM_RVS_HMAC, 1, 0, "RVS_HMAC" },
	{ HIP_PARAM_VIA_RVS, 16, 0, "VIA_RVS" },
};

static const struct param_info *lookup(uint16_t type)
{
	size_t lo = 0, hi = HIP_ARRAY_SIZE(known);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (known[mid].type == type)
			return &known[mid];
		if (known[mid].type < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool hip_param_known(uint16_t type)
{
	return lookup(type) != NULL;
}

bool hip_param_repeatable(uint16_t type)
{
	const struct param_info *pi = lookup(type);

	return pi == NULL || (pi->flags & REPEAT) != 0;
}

size_t hip_param_min_len(uint16_t type)
{
	const struct param_info *pi = lookup(type);

	return pi != NULL ? pi->min_len : 0;
}

const char *hip_param_name(uint16_t type)
{
	const struct param_info *pi = lookup(type);

	return pi != NULL ? pi->name : "UNKNOWN";
}

void hip_param_iter_init(struct hip_param_iter *it, const uint8_t *params,
			 size_t len, size_t base)
{
	it->buf = params;
	it->len = params != NULL ? len : 0;
	it->pos = 0;
	it->base = base;
	it->last_type = 0;
	it->started = false;
}

int hip_param_next(struct hip_param_iter *it, struct hip_param *out)
{
	size_t rest, total;
	uint16_t type, len;

	if (it == NULL || out == NULL)
		return HIP_EINVAL;
	rest = it->len - it->pos;
	if (rest == 0)
		return 0;
	if (rest < HIP_PARAM_HDR_LEN)
		return HIP_ETRUNC;
	type = hip_get16(it->buf + it->pos);
	len = hip_get16(it->buf + it->pos + 2);
	if ((size_t)len > rest - HIP_PARAM_HDR_LEN)
		return HIP_ETRUNC;
	total = hip_param_total_len(len);
	if (total > rest)
		return HIP_EPAD;	/* value fits, its padding does not */
	for (size_t i = HIP_PARAM_HDR_LEN + len; i < total; i++)
		if (it->buf[it->pos + i] != 0)
			return HIP_EPAD;
	if (it->started) {
		if (type < it->last_type)
			return HIP_EORDER;
		if (type == it->last_type && !hip_param_repeatable(type))
			return HIP_EDUP;
	}
	if (len < hip_param_min_len(type))
		return HIP_ELEN;
	out->type = type;
	out->len = len;
	out->value = it->buf + it->pos + HIP_PARAM_HDR_LEN;
	out->offset = it->base + it->pos;
	it->pos += total;
	it->last_type = type;
	it->started = true;
	return 1;
}

int hip_packet_parse(struct hip_packet *pkt, const uint8_t *buf, size_t len,
		     uint16_t *crit_type)
{
	struct hip_packet_index {
		size_t n;
		struct hip_param p[HIP_PACKET_MAX_PARAMS];
	} idx;
	struct hip_param_iter it;
	struct hip_param p;
	struct hip_hdr hdr;
	uint16_t crit = 0;
	bool have_crit = false;
	size_t plen;
	int r;

	if (pkt == NULL || buf == NULL)
		return HIP_EINVAL;
	r = hip_hdr_parse(buf, len, &hdr);
	if (r)
		return r;
	plen = hip_hdr_packet_len(&hdr);
	idx.n = 0;
	hip_param_iter_init(&it, buf + HIP_HDR_LEN, plen - HIP_HDR_LEN,
			    HIP_HDR_LEN);
	while ((r = hip_param_next(&it, &p)) == 1) {
		if (idx.n == HIP_PACKET_MAX_PARAMS)
			return HIP_ELEN;
		idx.p[idx.n++] = p;
		if (!have_crit && hip_param_is_critical(p.type) &&
		    !hip_param_known(p.type)) {
			have_crit = true;
			crit = p.type;
		}
	}
	if (r < 0)
		return r;
	pkt->hdr = hdr;
	pkt->data = buf;
	pkt->len = plen;
	pkt->nparams = idx.n;
	memcpy(pkt->params, idx.p, idx.n * sizeof(idx.p[0]));
	if (have_crit) {
		if (crit_type != NULL)
			*crit_type = crit;
		return HIP_ECRIT;
	}
	return HIP_OK;
}

const struct hip_param *hip_packet_find(const struct hip_packet *pkt,
					uint16_t type)
{
	if (pkt == NULL)
		return NULL;
	for (size_t i = 0; i < pkt->nparams; i++) {
		if (pkt->params[i].type == type)
			return &pkt->params[i];
		if (pkt->params[i].type > type)
			break;	/* the index is sorted */
	}
	return NULL;
}

const struct hip_param *hip_packet_find_next(const struct hip_packet *pkt,
					     const struct hip_param *prev)
{
	uintptr_t first, at;
	size_t i;

	if (pkt == NULL || prev == NULL)
		return NULL;
	/* Compare as integers: prev may come from another array. */
	first = (uintptr_t)pkt->params;
	at = (uintptr_t)prev;
	if (at < first || (at - first) % sizeof(*prev) != 0)
		return NULL;
	i = (at - first) / sizeof(*prev);
	if (i >= pkt->nparams)
		return NULL;
	i++;
	if (i < pkt->nparams && pkt->params[i].type == prev->type)
		return &pkt->params[i];
	return NULL;
}
