/*
 * hip/wire.h - the HIP fixed header (RFC 7401 5.1) and checksums (5.1.1).
 *
 * Packet length rule: the datagram must hold at least (HdrLen + 1) * 8
 * octets, and the HIP packet is exactly that long; octets after it are
 * ignored (they are not covered by the checksum either).
 */
#ifndef HIP_WIRE_H
#define HIP_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define HIP_HDR_LEN_MIN		4	/* HdrLen of a packet without params */

/* The fixed header in host order. */
struct hip_hdr {
	uint8_t next_hdr;	/* always HIP_NEXTHDR_NONE (59) */
	uint8_t hdr_len;	/* 8-octet units excluding the first 8 */
	uint8_t type;		/* enum hip_packet_type, 1..127 */
	uint8_t version;	/* HIP_VERSION */
	uint16_t checksum;	/* as found on the wire */
	uint16_t controls;	/* HIP_CONTROL_* */
	struct in6_addr sender_hit;
	struct in6_addr receiver_hit;
};

/* Packet length the header announces: (hdr_len + 1) * 8. */
static inline size_t hip_hdr_packet_len(const struct hip_hdr *h)
{
	return ((size_t)h->hdr_len + 1) * 8;
}

/* Parse and validate the fixed header of a len-octet datagram.
 * Checks NextHdr 59, HdrLen >= 4 and (HdrLen+1)*8 <= len, type 1..127
 * with the top bit 0, version 2 and the fixed bit 1 (RES is ignored).
 * Returns 0, HIP_ETRUNC, HIP_ELEN, HIP_EFORMAT or HIP_EVERSION. */
int hip_hdr_parse(const uint8_t *buf, size_t len, struct hip_hdr *out);

/* Write h into the first HIP_HDR_LEN octets of buf (version and fixed bit
 * are taken from h->version; RES is written as 0). Returns 0, HIP_EINVAL
 * (type or version out of range) or HIP_ENOSPC. */
int hip_hdr_write(const struct hip_hdr *h, uint8_t *buf, size_t cap);

/* Internet checksum of data with the IPv6 pseudo-header (src, dst, 32-bit
 * length len, next_header). Returns the value for the checksum field; the
 * data is summed as it is, so zero the checksum field first, or sum a
 * packet carrying its checksum and expect 0. Also for TCP/UDP over HITs. */
uint16_t hip_checksum_ipv6(const struct in6_addr *src,
			   const struct in6_addr *dst, uint8_t next_header,
			   const uint8_t *data, size_t len);

/* As hip_checksum_ipv6 with the IPv4 pseudo-header (src, dst, 0, proto,
 * 16-bit length); len must be <= 65535 (larger lengths are truncated). */
uint16_t hip_checksum_ipv4(const struct in_addr *src,
			   const struct in_addr *dst, uint8_t proto,
			   const uint8_t *data, size_t len);

/* Compute the HIP checksum of the len-octet packet pkt sent from src to
 * dst and store it in the header. If both addresses are IPv4-mapped the
 * IPv4 pseudo-header is used, otherwise the IPv6 one. len must be the
 * packet length ((HdrLen+1)*8). Returns 0 or HIP_EINVAL. */
int hip_packet_set_checksum(uint8_t *pkt, size_t len,
			    const struct in6_addr *src,
			    const struct in6_addr *dst);

/* Verify the checksum of a received packet (same address rule).
 * Returns 0, HIP_EINVAL or HIP_ECHECKSUM. */
int hip_packet_verify_checksum(const uint8_t *pkt, size_t len,
			       const struct in6_addr *src,
			       const struct in6_addr *dst);

/* Copy the first prefix_len octets of the packet pkt into out, set its
 * HdrLen to cover exactly those octets and zero its checksum: the input of
 * HIP_MAC and HIP_SIGNATURE (RFC 7401 6.4.1, 6.4.2). prefix_len must be a
 * multiple of 8, >= HIP_HDR_LEN, <= pkt_len and <= HIP_MAX_PACKET (use the
 * offset of the MAC/signature parameter). Returns 0, HIP_EINVAL or
 * HIP_ENOSPC. */
int hip_packet_prefix(const uint8_t *pkt, size_t pkt_len, size_t prefix_len,
		      uint8_t *out, size_t cap);

/* Name of a packet type ("I1", "R1", ...) or "UNKNOWN"; never NULL. */
const char *hip_packet_type_name(unsigned type);

#endif
