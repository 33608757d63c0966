/*
 * hip/params.h - typed HIP parameters: host-order structs with bounded
 * arrays, a builder hip_put_X(builder, const struct hip_X *) and a parser
 * hip_parse_X(const struct hip_param *, struct hip_X *out) for each.
 *
 * Parsers check that p->type is the expected type (else HIP_EINVAL), and
 * that the length fits the layout exactly (HIP_ELEN; HIP_EFORMAT for a
 * value that cannot be represented). They write *out only on success.
 * Builders validate the struct first (HIP_EINVAL / HIP_ELEN) and append
 * nothing on failure. Reserved fields are written as 0 and ignored on
 * receipt unless noted. Opaque bytes are copied, never interpreted.
 */
#ifndef HIP_PARAMS_H
#define HIP_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "hip/param.h"

/* Bounds. A parameter value is at most HIP_PARAM_VALUE_MAX octets since a
 * packet is at most HIP_MAX_PACKET (2048) octets. */
#define HIP_PARAM_VALUE_MAX	(2048 - 40 - 4)
#define HIP_RHASH_MAX		48	/* #I, #J: RHASH_len / 8 octets */
#define HIP_DH_LIST_MAX		32
#define HIP_DH_PUB_MAX		1024	/* up to MODP-8192 */
#define HIP_CIPHER_MAX		6	/* RFC 7401 5.2.8 */
#define HIP_HI_MAX		1024
#define HIP_DI_MAX		255
#define HIP_HIT_SUITE_MAX	16
#define HIP_TRANSPORT_MAX	16
#define HIP_MAC_MAX		64
#define HIP_SIG_MAX		1024
#define HIP_ESP_SUITE_MAX	6	/* RFC 7402 5.1.2 */
#define HIP_ACK_MAX		64
#define HIP_LOCATOR_MAX		32
#define HIP_REG_TYPE_MAX	32
#define HIP_VIA_RVS_MAX		16
#define HIP_NAT_MODE_MAX	16
#define HIP_OPAQUE_MAX		HIP_PARAM_VALUE_MAX

/* R1_COUNTER (129, RFC 7401 5.2.3): Reserved(4) Counter(8). The Reserved
 * field is kept since the Initiator echoes it verbatim (4.1.4). */
struct hip_r1_counter {
	uint32_t reserved;
	uint64_t generation;
};

/* PUZZLE (257, 5.2.4): #K(1) Lifetime(1) Opaque(2) #I(RHASH_len/8).
 * i_len must be 20, 32 or 48 (SHA-1, SHA-256, SHA-384 RHASH); the caller
 * checks it matches the negotiated RHASH. */
struct hip_puzzle {
	uint8_t k;
	uint8_t lifetime;	/* 2^(lifetime - 32) seconds */
	uint8_t opaque[2];
	size_t i_len;
	uint8_t i[HIP_RHASH_MAX];
};

/* SOLUTION (321, 5.2.5): #K(1) Reserved(1) Opaque(2) #I #J, each of
 * RHASH_len/8 octets (20, 32 or 48). */
struct hip_solution {
	uint8_t k;
	uint8_t opaque[2];
	size_t i_len;		/* length of i and of j */
	uint8_t i[HIP_RHASH_MAX];
	uint8_t j[HIP_RHASH_MAX];
};

/* DH_GROUP_LIST (511, 5.2.6): 1-octet group IDs in preference order. */
struct hip_dh_group_list {
	size_t count;
	uint8_t groups[HIP_DH_LIST_MAX];
};

/* DIFFIE_HELLMAN (513, 5.2.7): GroupID(1) PubLen(2) Pub, once, or twice
 * (RFC 5201 allowed two values; accepted, count 1 or 2). */
struct hip_dh_value {
	uint8_t group;
	size_t pub_len;		/* 1..HIP_DH_PUB_MAX */
	uint8_t pub[HIP_DH_PUB_MAX];
};
struct hip_diffie_hellman {
	size_t count;		/* 1 or 2 */
	struct hip_dh_value v[2];
};

/* HIP_CIPHER (579, 5.2.8): 2-octet cipher IDs, 1..6. */
struct hip_cipher {
	size_t count;
	uint16_t ids[HIP_CIPHER_MAX];
};

/* ENCRYPTED (641, 5.2.18): Reserved(4) then IV and ciphertext, whose split
 * depends on the cipher: data is everything after Reserved (>= 1 octet). */
struct hip_encrypted {
	size_t len;
	uint8_t data[HIP_OPAQUE_MAX];
};

/* HOST_ID (705, 5.2.9): HI Length(2) DI-type(4b) DI Length(12b)
 * Algorithm(2) HI DI; value length must be exactly 6 + hi_len + di_len.
 * The HI is not interpreted here. */
struct hip_host_id {
	uint16_t algorithm;	/* enum hip_hi_algo */
	uint8_t di_type;	/* enum hip_di_type, 0..15 */
	size_t hi_len;		/* 1..HIP_HI_MAX */
	uint8_t hi[HIP_HI_MAX];
	size_t di_len;		/* 0..HIP_DI_MAX */
	uint8_t di[HIP_DI_MAX];
};

/* HIT_SUITE_LIST (715, 5.2.10): 1-octet IDs; the current 4-bit suite ID
 * is the high nibble (0x10 = suite 1), kept raw here. */
struct hip_hit_suite_list {
	size_t count;
	uint8_t ids[HIP_HIT_SUITE_MAX];
};

/* CERT (768, RFC 8002 2): Group(1) Count(1) ID(1) Type(1) Certificate. */
struct hip_cert {
	uint8_t group;
	uint8_t count;
	uint8_t id;
	uint8_t type;
	size_t len;		/* 1..HIP_OPAQUE_MAX - 4 */
	uint8_t cert[HIP_OPAQUE_MAX];
};

/* NOTIFICATION (832, 5.2.19): Reserved(2) Type(2) Data. */
struct hip_notification {
	uint16_t type;		/* enum hip_notify_type */
	size_t data_len;	/* 0..HIP_OPAQUE_MAX - 4 */
	uint8_t data[HIP_OPAQUE_MAX];
};

/* ECHO_REQUEST/RESPONSE_SIGNED/UNSIGNED (897, 961, 63661, 63425), RVS_HMAC
 * and other opaque parameters: the value as is (>= 1 octet). */
struct hip_opaque {
	size_t len;
	uint8_t data[HIP_OPAQUE_MAX];
};

/* TRANSPORT_FORMAT_LIST (2049, 5.2.11): 2-octet parameter types. */
struct hip_transport_format_list {
	size_t count;
	uint16_t formats[HIP_TRANSPORT_MAX];
};

/* HIP_MAC (61505), HIP_MAC_2 (61569), RVS_HMAC (65500): HMAC octets. */
struct hip_mac {
	size_t len;		/* 1..HIP_MAC_MAX */
	uint8_t mac[HIP_MAC_MAX];
};

/* HIP_SIGNATURE (61697), HIP_SIGNATURE_2 (61633): Alg(2) Signature. */
struct hip_signature {
	uint16_t algorithm;	/* enum hip_hi_algo */
	size_t len;		/* 1..HIP_SIG_MAX */
	uint8_t sig[HIP_SIG_MAX];
};

/* ESP_INFO (65, RFC 7402 5.1.1): Reserved(2) KEYMAT Index(2) Old SPI(4)
 * New SPI(4); length exactly 12. */
struct hip_esp_info {
	uint16_t keymat_index;
	uint32_t old_spi;
	uint32_t new_spi;
};

/* ESP_TRANSFORM (4095, RFC 7402 5.1.2): Reserved(2) Suite IDs(2), 1..6. */
struct hip_esp_transform {
	size_t count;
	uint16_t suites[HIP_ESP_SUITE_MAX];
};

/* SEQ (385, 5.2.16): Update ID(4); length exactly 4. */
struct hip_seq {
	uint32_t update_id;
};

/* ACK (449, 5.2.17): acknowledged Update IDs(4 each), 1..HIP_ACK_MAX. */
struct hip_ack {
	size_t count;
	uint32_t update_ids[HIP_ACK_MAX];
};

/* One LOCATOR_SET entry (RFC 8046 4): TrafficType(1) LocatorType(1)
 * LocatorLength(1, 4-octet units) Reserved(7b)|P(1b) Lifetime(4) Locator.
 * Known locator types and their exact lengths: 0 = address (4), 1 = SPI +
 * address (5), 2 = RFC 5770 transport locator: Port(2) Protocol(1)
 * Kind(1) Priority(4) SPI(4) address (7). Unknown locator types are kept
 * with their type and length only (their content is skipped) so the
 * caller can answer LOCATOR_TYPE_UNSUPPORTED; they cannot be built. */
struct hip_locator {
	uint8_t traffic_type;	/* enum hip_locator_traffic */
	uint8_t type;		/* enum hip_locator_type */
	uint8_t length;		/* in 4-octet units, as on the wire */
	bool preferred;		/* P bit */
	uint32_t lifetime;	/* seconds */
	struct in6_addr addr;	/* IPv6 or IPv4-mapped (types 0-2) */
	uint32_t spi;		/* types 1, 2 */
	uint16_t port;		/* type 2 */
	uint8_t protocol;	/* type 2 */
	uint8_t kind;		/* type 2 */
	uint32_t priority;	/* type 2 */
};
struct hip_locator_set {
	size_t count;		/* 1..HIP_LOCATOR_MAX */
	struct hip_locator loc[HIP_LOCATOR_MAX];
};

/* REG_INFO (930, RFC 8003 4.1): Min Lifetime(1) Max Lifetime(1) Types(1
 * each, possibly none: no service currently offered). */
struct hip_reg_info {
	uint8_t min_lifetime;	/* 2^((v - 64) / 8) seconds */
	uint8_t max_lifetime;
	size_t count;
	uint8_t types[HIP_REG_TYPE_MAX];
};

/* REG_REQUEST (932) and REG_RESPONSE (934): Lifetime(1) Types(1 each,
 * possibly none). REG_FAILED (936): Failure Type(1) Types. The same
 * struct serves all three; value is the lifetime or the failure type. */
struct hip_reg {
	uint8_t value;
	size_t count;
	uint8_t types[HIP_REG_TYPE_MAX];
};

/* FROM (65498, RFC 8004 4.2.2): Address(16). */
struct hip_from {
	struct in6_addr addr;
};

/* VIA_RVS (65502, RFC 8004 4.2.3): Address(16) each, 1..HIP_VIA_RVS_MAX. */
struct hip_via_rvs {
	size_t count;
	struct in6_addr addrs[HIP_VIA_RVS_MAX];
};

/* REG_FROM (950, RFC 5770 5.9): Port(2) Protocol(1) Reserved(1) Addr(16). */
struct hip_reg_from {
	uint16_t port;
	uint8_t protocol;
	struct in6_addr addr;
};

/* NAT_TRAVERSAL_MODE (608, RFC 5770 5.4): Reserved(2) Mode IDs(2 each). */
struct hip_nat_traversal_mode {
	size_t count;
	uint16_t modes[HIP_NAT_MODE_MAX];
};

/* TRANSACTION_PACING (610, RFC 5770 5.5): Min Ta(4), milliseconds. */
struct hip_transaction_pacing {
	uint32_t min_ta;
};

int hip_put_r1_counter(struct hip_builder *b, const struct hip_r1_counter *v);
int hip_parse_r1_counter(const struct hip_param *p, struct hip_r1_counter *out);
int hip_put_puzzle(struct hip_builder *b, const struct hip_puzzle *v);
int hip_parse_puzzle(const struct hip_param *p, struct hip_puzzle *out);
int hip_put_solution(struct hip_builder *b, const struct hip_solution *v);
int hip_parse_solution(const struct hip_param *p, struct hip_solution *out);
int hip_put_dh_group_list(struct hip_builder *b,
			  const struct hip_dh_group_list *v);
int hip_parse_dh_group_list(const struct hip_param *p,
			    struct hip_dh_group_list *out);
int hip_put_diffie_hellman(struct hip_builder *b,
			   const struct hip_diffie_hellman *v);
int hip_parse_diffie_hellman(const struct hip_param *p,
			     struct hip_diffie_hellman *out);
int hip_put_cipher(struct hip_builder *b, const struct hip_cipher *v);
int hip_parse_cipher(const struct hip_param *p, struct hip_cipher *out);
int hip_put_encrypted(struct hip_builder *b, const struct hip_encrypted *v);
int hip_parse_encrypted(const struct hip_param *p, struct hip_encrypted *out);
int hip_put_host_id(struct hip_builder *b, const struct hip_host_id *v);
int hip_parse_host_id(const struct hip_param *p, struct hip_host_id *out);
int hip_put_hit_suite_list(struct hip_builder *b,
			   const struct hip_hit_suite_list *v);
int hip_parse_hit_suite_list(const struct hip_param *p,
			     struct hip_hit_suite_list *out);
int hip_put_cert(struct hip_builder *b, const struct hip_cert *v);
int hip_parse_cert(const struct hip_param *p, struct hip_cert *out);
int hip_put_notification(struct hip_builder *b,
			 const struct hip_notification *v);
int hip_parse_notification(const struct hip_param *p,
			   struct hip_notification *out);
/* Opaque parameters: type is one of the four ECHO_* types. */
int hip_put_echo(struct hip_builder *b, uint16_t type,
		 const struct hip_opaque *v);
int hip_parse_echo(const struct hip_param *p, struct hip_opaque *out);
int hip_put_transport_format_list(struct hip_builder *b,
				  const struct hip_transport_format_list *v);
int hip_parse_transport_format_list(const struct hip_param *p,
				    struct hip_transport_format_list *out);
/* type: HIP_PARAM_HIP_MAC, HIP_PARAM_HIP_MAC_2 or HIP_PARAM_RVS_HMAC. */
int hip_put_mac(struct hip_builder *b, uint16_t type, const struct hip_mac *v);
int hip_parse_mac(const struct hip_param *p, struct hip_mac *out);
/* type: HIP_PARAM_HIP_SIGNATURE or HIP_PARAM_HIP_SIGNATURE_2. */
int hip_put_signature(struct hip_builder *b, uint16_t type,
		      const struct hip_signature *v);
int hip_parse_signature(const struct hip_param *p, struct hip_signature *out);
int hip_put_esp_info(struct hip_builder *b, const struct hip_esp_info *v);
int hip_parse_esp_info(const struct hip_param *p, struct hip_esp_info *out);
int hip_put_esp_transform(struct hip_builder *b,
			  const struct hip_esp_transform *v);
int hip_parse_esp_transform(const struct hip_param *p,
			    struct hip_esp_transform *out);
int hip_put_seq(struct hip_builder *b, const struct hip_seq *v);
int hip_parse_seq(const struct hip_param *p, struct hip_seq *out);
int hip_put_ack(struct hip_builder *b, const struct hip_ack *v);
int hip_parse_ack(const struct hip_param *p, struct hip_ack *out);
/* Builds only locator types 0-2 (HIP_EINVAL otherwise); the length field
 * of each locator is derived from its type. */
int hip_put_locator_set(struct hip_builder *b,
			const struct hip_locator_set *v);
int hip_parse_locator_set(const struct hip_param *p,
			  struct hip_locator_set *out);
int hip_put_reg_info(struct hip_builder *b, const struct hip_reg_info *v);
int hip_parse_reg_info(const struct hip_param *p, struct hip_reg_info *out);
/* type: HIP_PARAM_REG_REQUEST, HIP_PARAM_REG_RESPONSE or
 * HIP_PARAM_REG_FAILED. */
int hip_put_reg(struct hip_builder *b, uint16_t type, const struct hip_reg *v);
int hip_parse_reg(const struct hip_param *p, struct hip_reg *out);
int hip_put_from(struct hip_builder *b, const struct hip_from *v);
int hip_parse_from(const struct hip_param *p, struct hip_from *out);
int hip_put_via_rvs(struct hip_builder *b, const struct hip_via_rvs *v);
int hip_parse_via_rvs(const struct hip_param *p, struct hip_via_rvs *out);
int hip_put_reg_from(struct hip_builder *b, const struct hip_reg_from *v);
int hip_parse_reg_from(const struct hip_param *p, struct hip_reg_from *out);
int hip_put_nat_traversal_mode(struct hip_builder *b,
			       const struct hip_nat_traversal_mode *v);
int hip_parse_nat_traversal_mode(const struct hip_param *p,
				 struct hip_nat_traversal_mode *out);
int hip_put_transaction_pacing(struct hip_builder *b,
			       const struct hip_transaction_pacing *v);
int hip_parse_transaction_pacing(const struct hip_param *p,
				 struct hip_transaction_pacing *out);

/* Run the typed parser for p's type and discard the result: 0 if p is
 * well-formed or of a type without a typed parser, else that parser's
 * error (for NOTIFY INVALID_SYNTAX before any other processing). */
int hip_param_validate(const struct hip_param *p);

/* hip_param_validate on every indexed parameter of pkt; on failure
 * *bad (may be NULL) gets the offending parameter. */
int hip_packet_validate_params(const struct hip_packet *pkt,
			       const struct hip_param **bad);

#endif
