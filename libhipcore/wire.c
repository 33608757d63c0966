/*
 * wire.c - HIP fixed header (RFC 7401 5.1) and checksums (5.1.1).
 */
#include <string.h>

#include "hip/error.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hip/wire.h"

#define OFF_NEXT_HDR	0
#define OFF_HDR_LEN	1
#define OFF_TYPE	2
#define OFF_VERSION	3
#define OFF_CHECKSUM	4
#define OFF_CONTROLS	6
#define OFF_SENDER	8
#define OFF_RECEIVER	24

int hip_hdr_parse(const uint8_t *buf, size_t len, struct hip_hdr *out)
{
	struct hip_hdr h;

	if (buf == NULL || out == NULL)
		return HIP_EINVAL;
	if (len < HIP_HDR_LEN)
		return HIP_ETRUNC;
	h.next_hdr = buf[OFF_NEXT_HDR];
	h.hdr_len = buf[OFF_HDR_LEN];
	if (h.next_hdr != HIP_NEXTHDR_NONE)
		return HIP_EFORMAT;
	if (h.hdr_len < HIP_HDR_LEN_MIN)
		return HIP_ELEN;
	if (hip_hdr_packet_len(&h) > len)
		return HIP_ETRUNC;
	/* Top bit of the type octet and the last bit of the version octet
	 * are fixed (0 and 1): they tell HIP apart from other protocols. */
	if ((buf[OFF_TYPE] & 0x80) != 0 || buf[OFF_TYPE] == 0)
		return HIP_EFORMAT;
	if ((buf[OFF_VERSION] & 0x01) != 1)
		return HIP_EFORMAT;
	h.type = buf[OFF_TYPE];
	h.version = buf[OFF_VERSION] >> 4;
	if (h.version != HIP_VERSION)
		return HIP_EVERSION;
	h.checksum = hip_get16(buf + OFF_CHECKSUM);
	h.controls = hip_get16(buf + OFF_CONTROLS);
	memcpy(&h.sender_hit, buf + OFF_SENDER, HIP_HIT_LEN);
	memcpy(&h.receiver_hit, buf + OFF_RECEIVER, HIP_HIT_LEN);
	*out = h;
	return HIP_OK;
}

int hip_hdr_write(const struct hip_hdr *h, uint8_t *buf, size_t cap)
{
	if (h == NULL || buf == NULL)
		return HIP_EINVAL;
	if (h->type == 0 || h->type > 127 || h->version == 0 ||
	    h->version > 15)
		return HIP_EINVAL;
	if (cap < HIP_HDR_LEN)
		return HIP_ENOSPC;
	buf[OFF_NEXT_HDR] = h->next_hdr;
	buf[OFF_HDR_LEN] = h->hdr_len;
	buf[OFF_TYPE] = h->type;
	buf[OFF_VERSION] = (uint8_t)(h->version << 4 | 0x01);
	hip_put16(buf + OFF_CHECKSUM, h->checksum);
	hip_put16(buf + OFF_CONTROLS, h->controls);
	memcpy(buf + OFF_SENDER, &h->sender_hit, HIP_HIT_LEN);
	memcpy(buf + OFF_RECEIVER, &h->receiver_hit, HIP_HIT_LEN);
	return HIP_OK;
}

/* One's complement sum of 16-bit big-endian words; an odd last octet is
 * padded with zero. The 64-bit accumulator cannot overflow for any
 * length a HIP or transport packet can have. */
static uint64_t sum_words(uint64_t acc, const uint8_t *p, size_t len)
{
	while (len >= 2) {
		acc += hip_get16(p);
		p += 2;
		len -= 2;
	}
	if (len == 1)
		acc += (uint64_t)p[0] << 8;
	return acc;
}

static uint16_t fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

uint16_t hip_checksum_ipv6(const struct in6_addr *src,
			   const struct in6_addr *dst, uint8_t next_header,
			   const uint8_t *data, size_t len)
{
	uint8_t ph[40];

	memcpy(ph, src, 16);
	memcpy(ph + 16, dst, 16);
	hip_put32(ph + 32, (uint32_t)len);
	ph[36] = 0;
	ph[37] = 0;
	ph[38] = 0;
	ph[39] = next_header;
	return fold(sum_words(sum_words(0, ph, sizeof(ph)), data, len));
}

uint16_t hip_checksum_ipv4(const struct in_addr *src,
			   const struct in_addr *dst, uint8_t proto,
			   const uint8_t *data, size_t len)
{
	uint8_t ph[12];

	memcpy(ph, &src->s_addr, 4);
	memcpy(ph + 4, &dst->s_addr, 4);
	ph[8] = 0;
	ph[9] = proto;
	hip_put16(ph + 10, (uint16_t)len);
	return fold(sum_words(sum_words(0, ph, sizeof(ph)), data, len));
}

/* Checksum of pkt as it is (checksum field included). */
static uint16_t packet_sum(const uint8_t *pkt, size_t len,
			   const struct in6_addr *src,
			   const struct in6_addr *dst)
{
	if (IN6_IS_ADDR_V4MAPPED(src) && IN6_IS_ADDR_V4MAPPED(dst)) {
		struct in_addr s, d;

		memcpy(&s.s_addr, &src->s6_addr[12], 4);
		memcpy(&d.s_addr, &dst->s6_addr[12], 4);
		return hip_checksum_ipv4(&s, &d, HIP_IPPROTO, pkt, len);
	}
	return hip_checksum_ipv6(src, dst, HIP_IPPROTO, pkt, len);
}

static int check_packet_args(const uint8_t *pkt, size_t len,
			     const struct in6_addr *src,
			     const struct in6_addr *dst)
{
	if (pkt == NULL || src == NULL || dst == NULL)
		return HIP_EINVAL;
	if (len < HIP_HDR_LEN || len > HIP_MAX_PACKET || len % 8 != 0)
		return HIP_EINVAL;
	return HIP_OK;
}

int hip_packet_set_checksum(uint8_t *pkt, size_t len,
			    const struct in6_addr *src,
			    const struct in6_addr *dst)
{
	int err = check_packet_args(pkt, len, src, dst);

	if (err)
		return err;
	hip_put16(pkt + OFF_CHECKSUM, 0);
	hip_put16(pkt + OFF_CHECKSUM, packet_sum(pkt, len, src, dst));
	return HIP_OK;
}

int hip_packet_verify_checksum(const uint8_t *pkt, size_t len,
			       const struct in6_addr *src,
			       const struct in6_addr *dst)
{
	int err = check_packet_args(pkt, len, src, dst);

	if (err)
		return err;
	/* Summing a packet that carries a correct checksum gives 0. */
	return packet_sum(pkt, len, src, dst) == 0 ? HIP_OK : HIP_ECHECKSUM;
}

int hip_packet_prefix(const uint8_t *pkt, size_t pkt_len, size_t prefix_len,
		      uint8_t *out, size_t cap)
{
	if (pkt == NULL || out == NULL)
		return HIP_EINVAL;
	if (prefix_len < HIP_HDR_LEN || prefix_len % 8 != 0 ||
	    prefix_len > pkt_len || prefix_len > HIP_MAX_PACKET)
		return HIP_EINVAL;
	if (cap < prefix_len)
		return HIP_ENOSPC;
	memmove(out, pkt, prefix_len);
	out[OFF_HDR_LEN] = (uint8_t)(prefix_len / 8 - 1);
	hip_put16(out + OFF_CHECKSUM, 0);
	return HIP_OK;
}

const char *hip_packet_type_name(unsigned type)
{
	switch (type) {
	case HIP_I1: return "I1";
	case HIP_R1: return "R1";
	case HIP_I2: return "I2";
	case HIP_R2: return "R2";
	case HIP_UPDATE: return "UPDATE";
	case HIP_NOTIFY: return "NOTIFY";
	case HIP_CLOSE: return "CLOSE";
	case HIP_CLOSE_ACK: return "CLOSE_ACK";
	case HIP_HDRR: return "HDRR";
	case HIP_DATA: return "HIP_DATA";
	default: return "UNKNOWN";
	}
}
