/*
 * auth.c - the byte strings that HIP_MAC, HIP_MAC_2, HIP_SIGNATURE and
 * HIP_SIGNATURE_2 cover (RFC 7401 6.4.1, 6.4.2), and HMAC over them.
 */
#include <string.h>

#include <openssl/evp.h>

#include "hip/auth.h"
#include "hip/error.h"
#include "hip/identity.h"
#include "hip/suite.h"
#include "hip/util.h"

/* Header offsets (RFC 7401 5.1). */
#define HDR_HDRLEN	1
#define HDR_CHECKSUM	4
#define HDR_RECV_HIT	24

/* Octets a TLV with value length len occupies, padding included
 * (RFC 7401 5.2.1: 11 + Length - (Length + 3) % 8). */
static size_t tlv_total(size_t len)
{
	return 11 + len - (len + 3) % 8;
}

static int is_auth_type(uint16_t t)
{
	return t == HIP_PARAM_HIP_MAC || t == HIP_PARAM_HIP_MAC_2 ||
	       t == HIP_PARAM_HIP_SIGNATURE ||
	       t == HIP_PARAM_HIP_SIGNATURE_2;
}

struct covered {
	uint16_t type;		/* type of the parameter at param_off */
	size_t value_len;	/* its Length */
	size_t insert_at;	/* where HOST_ID goes for HIP_MAC_2 */
	size_t puzzle_off;	/* PUZZLE TLV offset, 0 if absent */
};

/* Walk the parameters before param_off with bounds checks only (the
 * packet parser has done the full validation); find the insertion point
 * of HOST_ID and the PUZZLE. */
static int walk(const uint8_t *pkt, size_t pkt_len, size_t param_off,
		struct covered *c)
{
	size_t off = HIP_HDR_LEN;

	if (pkt_len < HIP_HDR_LEN)
		return HIP_ETRUNC;
	if (param_off < HIP_HDR_LEN || param_off > pkt_len)
		return HIP_EFORMAT;
	memset(c, 0, sizeof(*c));
	c->insert_at = param_off;
	while (off < param_off) {
		uint16_t type;
		size_t total;

		if (pkt_len - off < 4)
			return HIP_ETRUNC;
		type = hip_get16(pkt + off);
		total = tlv_total(hip_get16(pkt + off + 2));
		if (total > pkt_len - off)
			return HIP_ETRUNC;
		if (type == HIP_PARAM_PUZZLE && c->puzzle_off == 0)
			c->puzzle_off = off;
		if (type > HIP_PARAM_HOST_ID && c->insert_at == param_off)
			c->insert_at = off;
		off += total;
	}
	if (off != param_off)
		return HIP_EFORMAT;
	if (pkt_len - off < 4)
		return HIP_ETRUNC;
	c->type = hip_get16(pkt + off);
	c->value_len = hip_get16(pkt + off + 2);
	if (!is_auth_type(c->type))
		return HIP_EFORMAT;
	if (tlv_total(c->value_len) > pkt_len - off)
		return HIP_ETRUNC;
	return HIP_OK;
}

static int build(const uint8_t *pkt, size_t pkt_len, size_t param_off,
		 const uint8_t *host_id, size_t host_id_len, uint8_t *out,
		 size_t cap, size_t *outlen, struct covered *c)
{
	size_t total;
	int ret;

	if (pkt == NULL || out == NULL || outlen == NULL)
		return HIP_EINVAL;
	ret = walk(pkt, pkt_len, param_off, c);
	if (ret != HIP_OK)
		return ret;
	if (c->type == HIP_PARAM_HIP_MAC_2) {
		/* The whole HOST_ID TLV of the R1, padding included. */
		if (host_id == NULL || host_id_len < 4)
			return HIP_EINVAL;
		if (hip_get16(host_id) != HIP_PARAM_HOST_ID ||
		    tlv_total(hip_get16(host_id + 2)) != host_id_len)
			return HIP_EFORMAT;
	} else if (host_id != NULL) {
		return HIP_EINVAL;
	} else {
		host_id_len = 0;
	}
	if (c->type == HIP_PARAM_HIP_SIGNATURE_2) {
		if (c->puzzle_off == 0)
			return HIP_EMISSING;
		if (hip_get16(pkt + c->puzzle_off + 2) < 4)
			return HIP_EFORMAT;
	}
	total = param_off + host_id_len;
	/* HdrLen is 8 bits of 8-octet units beyond the first 8 octets. */
	if (total > HIP_MAX_PACKET || total % 8 != 0)
		return HIP_ELEN;
	if (cap < total)
		return HIP_ENOSPC;

	memcpy(out, pkt, c->insert_at);
	if (host_id_len > 0)
		memcpy(out + c->insert_at, host_id, host_id_len);
	memcpy(out + c->insert_at + host_id_len, pkt + c->insert_at,
	       param_off - c->insert_at);
	/* 6.4.1/6.4.2: Checksum zero, Header Length up to the MAC or
	 * signature (plus HOST_ID for HIP_MAC_2). */
	out[HDR_CHECKSUM] = 0;
	out[HDR_CHECKSUM + 1] = 0;
	out[HDR_HDRLEN] = (uint8_t)(total / 8 - 1);
	if (c->type == HIP_PARAM_HIP_SIGNATURE_2) {
		/* 6.4.2: Receiver's HIT, PUZZLE Opaque and #I zeroed, so
		 * that R1s can be signed in advance.  The PUZZLE lies
		 * before any HOST_ID insertion point, so its offset is the
		 * same in out. */
		size_t p = c->puzzle_off;
		size_t plen = hip_get16(pkt + p + 2);

		memset(out + HDR_RECV_HIT, 0, HIP_HIT_LEN);
		/* value: #K(1) Lifetime(1) Opaque(2) #I(plen - 4) */
		memset(out + p + 4 + 2, 0, plen - 2);
	}
	*outlen = total;
	return HIP_OK;
}

int hip_auth_input(const uint8_t *pkt, size_t pkt_len, size_t param_off,
		   const uint8_t *host_id, size_t host_id_len,
		   uint8_t *out, size_t cap, size_t *outlen)
{
	struct covered c;

	return build(pkt, pkt_len, param_off, host_id, host_id_len, out, cap,
		     outlen, &c);
}

int hip_auth_hmac(int hit_suite, const uint8_t *key, size_t key_len,
		  const uint8_t *data, size_t len, uint8_t *mac, size_t cap,
		  size_t *maclen)
{
	const struct hip_rhash_info *rh = hip_suite_rhash(hit_suite);
	size_t got = 0;

	if (key == NULL || key_len == 0 || (data == NULL && len > 0) ||
	    mac == NULL || maclen == NULL)
		return HIP_EINVAL;
	if (rh == NULL)
		return HIP_EUNSUPPORTED;
	if (cap < rh->len)
		return HIP_ENOSPC;
	if (EVP_Q_mac(NULL, "HMAC", NULL, rh->digest, NULL, key, key_len,
		      data, len, mac, cap, &got) == NULL || got != rh->len)
		return HIP_ECRYPTO;
	*maclen = got;
	return HIP_OK;
}

static int mac_over(int hit_suite, const uint8_t *key, size_t key_len,
		    const uint8_t *pkt, size_t pkt_len, size_t param_off,
		    const uint8_t *host_id, size_t host_id_len, uint8_t *mac,
		    size_t cap, size_t *maclen, struct covered *c)
{
	uint8_t buf[HIP_AUTH_MAX_INPUT];
	size_t len;
	int ret;

	ret = build(pkt, pkt_len, param_off, host_id, host_id_len, buf,
		    sizeof(buf), &len, c);
	if (ret != HIP_OK)
		return ret;
	if (c->type != HIP_PARAM_HIP_MAC && c->type != HIP_PARAM_HIP_MAC_2)
		return HIP_EFORMAT;
	return hip_auth_hmac(hit_suite, key, key_len, buf, len, mac, cap,
			     maclen);
}

int hip_auth_mac_compute(int hit_suite, const uint8_t *key, size_t key_len,
			 const uint8_t *pkt, size_t pkt_len,
			 size_t param_off, const uint8_t *host_id,
			 size_t host_id_len, uint8_t *mac, size_t cap,
			 size_t *maclen)
{
	struct covered c;

	return mac_over(hit_suite, key, key_len, pkt, pkt_len, param_off,
			host_id, host_id_len, mac, cap, maclen, &c);
}

int hip_auth_mac_verify(int hit_suite, const uint8_t *key, size_t key_len,
			const uint8_t *pkt, size_t pkt_len, size_t param_off,
			const uint8_t *host_id, size_t host_id_len)
{
	uint8_t mac[HIP_RHASH_MAX_LEN];
	struct covered c;
	size_t len;
	int ret, ok;

	ret = mac_over(hit_suite, key, key_len, pkt, pkt_len, param_off,
		       host_id, host_id_len, mac, sizeof(mac), &len, &c);
	if (ret != HIP_OK)
		return ret == HIP_EFORMAT || ret == HIP_ETRUNC ||
		       ret == HIP_ELEN ? HIP_EVERIFY : ret;
	/* The MAC's length is public; its content is compared in
	 * constant time. */
	ok = c.value_len == len &&
	     hip_ct_memeq(mac, pkt + param_off + 4, len);
	hip_wipe(mac, sizeof(mac));
	return ok ? HIP_OK : HIP_EVERIFY;
}

static int is_sig(uint16_t t)
{
	return t == HIP_PARAM_HIP_SIGNATURE || t == HIP_PARAM_HIP_SIGNATURE_2;
}

int hip_auth_sign(const struct hip_identity *id, const uint8_t *pkt,
		  size_t pkt_len, size_t param_off, uint8_t *sig, size_t cap,
		  size_t *sig_len, uint16_t *sig_algo)
{
	uint8_t buf[HIP_AUTH_MAX_INPUT];
	struct covered c;
	size_t len;
	int ret;

	if (id == NULL || sig == NULL || sig_len == NULL)
		return HIP_EINVAL;
	ret = build(pkt, pkt_len, param_off, NULL, 0, buf, sizeof(buf), &len,
		    &c);
	if (ret != HIP_OK)
		return ret;
	if (!is_sig(c.type))
		return HIP_EFORMAT;
	return hip_sign(id, buf, len, sig, cap, sig_len, sig_algo);
}

int hip_auth_verify(const struct hip_identity *id, const uint8_t *pkt,
		    size_t pkt_len, size_t param_off)
{
	uint8_t buf[HIP_AUTH_MAX_INPUT];
	struct covered c;
	size_t len;
	int ret;

	if (id == NULL)
		return HIP_EINVAL;
	ret = build(pkt, pkt_len, param_off, NULL, 0, buf, sizeof(buf), &len,
		    &c);
	if (ret != HIP_OK || !is_sig(c.type) || c.value_len < 2)
		return ret == HIP_EINVAL ? ret : HIP_EVERIFY;
	/* RFC 7401 5.2.14: SIG alg(2) | Signature */
	return hip_verify(id, hip_get16(pkt + param_off + 4), buf, len,
			  pkt + param_off + 6, c.value_len - 2);
}
