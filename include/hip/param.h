/*
 * hip/param.h - HIP parameters (RFC 7401 5.2): the one bounds-checked TLV
 * cursor every received byte goes through, the parsed-packet index, and
 * the packet builder.
 *
 * A parameter is Type(2) Length(2) Value(Length) and zero padding up to a
 * multiple of 8 octets: total size 11 + L - (L + 3) % 8.
 *
 * Ordering rules (RFC 7401 5.2.1): types must be ascending. A type may
 * follow itself only if it may repeat: NOTIFICATION (RFC 7401 5.3.6),
 * CERT (RFC 8002), ESP_INFO (RFC 8047 multihoming), REG_FAILED (one per
 * failure type, RFC 8003), ECHO_REQUEST_UNSIGNED and
 * ECHO_RESPONSE_UNSIGNED (may be added by middleboxes, RFC 7401 5.2.21),
 * and unknown types (we cannot know; unknown critical ones are rejected
 * by hip_packet_parse anyway). Any other repeat is HIP_EDUP.
 * Every known type also has a minimum value length (at least 1: no known
 * parameter may be empty); a shorter one is HIP_ELEN.
 */
#ifndef HIP_PARAM_H
#define HIP_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "hip/wire.h"

#define HIP_PARAM_HDR_LEN	4
#define HIP_PACKET_MAX_PARAMS	64	/* parameters indexed per packet */

/* Total wire size of a parameter with value length len (with padding). */
static inline size_t hip_param_total_len(size_t len)
{
	return 11 + len - (len + 3) % 8;
}

/* 1 if the type's critical bit (LSB) is set. */
static inline bool hip_param_is_critical(uint16_t type)
{
	return (type & 1) != 0;
}

/* One parameter as found in a buffer; value points into that buffer. */
struct hip_param {
	uint16_t type;
	uint16_t len;		/* value length, without header and padding */
	const uint8_t *value;
	size_t offset;		/* of the Type field from the packet start */
};

/* Cursor over a run of parameters. Fields are private. */
struct hip_param_iter {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	size_t base;
	uint16_t last_type;
	bool started;
};

/* Iterate over the len octets at params, which start at offset base of
 * their packet (HIP_HDR_LEN for a packet's parameters; 0 for a bare list,
 * e.g. decrypted ENCRYPTED content). */
void hip_param_iter_init(struct hip_param_iter *it, const uint8_t *params,
			 size_t len, size_t base);

/* Fetch the next parameter into out. Returns 1 with out filled, 0 at the
 * clean end, or HIP_ETRUNC (header, value or padding overruns), HIP_EPAD
 * (non-zero padding), HIP_EORDER, HIP_EDUP or HIP_ELEN (below the type's
 * minimum length). After an error the iterator stays on the bad one. */
int hip_param_next(struct hip_param_iter *it, struct hip_param *out);

/* 1 if type is a parameter this library knows (has a typed parser). */
bool hip_param_known(uint16_t type);

/* 1 if type may appear several times in a row. */
bool hip_param_repeatable(uint16_t type);

/* Smallest value length the cursor accepts for type (0 if unknown). */
size_t hip_param_min_len(uint16_t type);

/* Name of a parameter type ("PUZZLE", ...) or "UNKNOWN"; never NULL. */
const char *hip_param_name(uint16_t type);

/* A parsed packet: header plus an index of its parameters. It borrows the
 * buffer given to hip_packet_parse, which must outlive it. */
struct hip_packet {
	struct hip_hdr hdr;
	const uint8_t *data;	/* packet start */
	size_t len;		/* packet length, (HdrLen + 1) * 8 */
	size_t nparams;
	struct hip_param params[HIP_PACKET_MAX_PARAMS];
};

/* Parse a datagram: header (hip_hdr_parse), then every parameter through
 * hip_param_next. Structural errors win over unknown critical types (a
 * malformed packet is dropped, not answered): if the whole packet is
 * well-formed but holds a critical type this library does not know,
 * returns HIP_ECRIT and stores the first such type in *crit_type (may be
 * NULL). Unknown non-critical types are indexed and otherwise ignored.
 * More than HIP_PACKET_MAX_PARAMS parameters is HIP_ELEN. The checksum is
 * not checked here (see hip_packet_verify_checksum). On HIP_ECRIT *pkt is
 * filled as on success (the NOTIFY needs the header); on any other
 * failure *pkt is unchanged. */
int hip_packet_parse(struct hip_packet *pkt, const uint8_t *buf, size_t len,
		     uint16_t *crit_type);

/* First parameter of the given type, or NULL. */
const struct hip_param *hip_packet_find(const struct hip_packet *pkt,
					uint16_t type);

/* Next parameter of prev's type after prev (prev from this packet's
 * index), or NULL. */
const struct hip_param *hip_packet_find_next(const struct hip_packet *pkt,
					     const struct hip_param *prev);

/* Builder of an outgoing packet in a caller-provided buffer. Fields are
 * private; len is the current packet length (header + parameters). */
struct hip_builder {
	uint8_t *buf;
	size_t cap;		/* min(buffer size, HIP_MAX_PACKET) */
	size_t len;
	uint16_t last_type;
	bool has_param;
};

/* Start a packet: writes the header (checksum 0, HdrLen for the header
 * alone). type must be 1..127. Returns 0, HIP_EINVAL or HIP_ENOSPC. */
int hip_builder_init(struct hip_builder *b, uint8_t *buf, size_t cap,
		     uint8_t type, const struct in6_addr *sender_hit,
		     const struct in6_addr *receiver_hit, uint16_t controls);

/* Append a parameter with a len-octet value, zero-padded. Returns 0,
 * HIP_EORDER or HIP_EDUP (ordering rules above), HIP_ELEN (len > 65535
 * or below the type's minimum) or HIP_ENOSPC; on failure nothing is
 * appended. */
int hip_put_param(struct hip_builder *b, uint16_t type, const void *value,
		  size_t len);

/* Like hip_put_param but returns in *value a pointer to len zeroed octets
 * to fill in place (for typed builders). */
int hip_put_param_reserve(struct hip_builder *b, uint16_t type, size_t len,
			  uint8_t **value);

/* Append one complete pre-built TLV of tlv_len octets (including padding,
 * e.g. a parameter copied from a received packet). It is checked with
 * hip_param_next (exactly one parameter, valid padding, order).
 * Returns 0 or an error as above; on failure nothing is appended. */
int hip_put_param_raw(struct hip_builder *b, const uint8_t *tlv,
		      size_t tlv_len);

/* Cut the packet back to offset, which must be HIP_HDR_LEN or the offset
 * of a parameter already appended (e.g. drop HIP_MAC to compute it over
 * the preceding ones). Returns 0 or HIP_EINVAL. */
int hip_builder_truncate(struct hip_builder *b, size_t offset);

/* Set HdrLen for the current length and zero the checksum; *len (may be
 * NULL) gets the packet length. The builder stays usable: appending more
 * parameters and finishing again is fine. Returns 0 (HIP_EINVAL if b is
 * NULL or was never initialised). */
int hip_builder_finish(struct hip_builder *b, size_t *len);

#endif
