/*
 * fuzz_packet.c - libFuzzer target for the HIP wire format: parse the input
 * as a datagram, walk it as a bare parameter list too, run every typed
 * parser over every parameter (under every known type), and check that
 * whatever a typed parser accepts, its builder writes back and the parser
 * reads again to the same struct.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/param.h"
#include "hip/params.h"
#include "hip/proto.h"
#include "hip/util.h"
#include "hip/wire.h"

static const uint16_t known_types[] = {
	HIP_PARAM_ESP_INFO, HIP_PARAM_R1_COUNTER, HIP_PARAM_LOCATOR_SET,
	HIP_PARAM_PUZZLE, HIP_PARAM_SOLUTION, HIP_PARAM_SEQ, HIP_PARAM_ACK,
	HIP_PARAM_DH_GROUP_LIST, HIP_PARAM_DIFFIE_HELLMAN,
	HIP_PARAM_HIP_CIPHER, HIP_PARAM_NAT_TRAVERSAL_MODE,
	HIP_PARAM_TRANSACTION_PACING, HIP_PARAM_ENCRYPTED, HIP_PARAM_HOST_ID,
	HIP_PARAM_HIT_SUITE_LIST, HIP_PARAM_CERT, HIP_PARAM_NOTIFICATION,
	HIP_PARAM_ECHO_REQUEST_SIGNED, HIP_PARAM_REG_INFO,
	HIP_PARAM_REG_REQUEST, HIP_PARAM_REG_RESPONSE, HIP_PARAM_REG_FAILED,
	HIP_PARAM_REG_FROM, HIP_PARAM_ECHO_RESPONSE_SIGNED,
	HIP_PARAM_TRANSPORT_FORMAT_LIST, HIP_PARAM_ESP_TRANSFORM,
	HIP_PARAM_HIP_MAC, HIP_PARAM_HIP_MAC_2, HIP_PARAM_HIP_SIGNATURE_2,
	HIP_PARAM_HIP_SIGNATURE, HIP_PARAM_ECHO_RESPONSE_UNSIGNED,
	HIP_PARAM_ECHO_REQUEST_UNSIGNED, HIP_PARAM_FROM, HIP_PARAM_RVS_HMAC,
	HIP_PARAM_VIA_RVS,
};

static uint8_t out_buf[HIP_MAX_PACKET];
static struct hip_builder bld;
static struct hip_packet repkt;

static void begin(void)
{
	struct in6_addr a;

	memset(&a, 0x20, sizeof(a));
	if (hip_builder_init(&bld, out_buf, sizeof(out_buf), HIP_UPDATE, &a,
			     &a, 0) != 0)
		abort();
}

/* The single parameter of the packet just built. */
static const struct hip_param *rebuilt(void)
{
	size_t len;

	if (hip_builder_finish(&bld, &len) != 0 ||
	    hip_packet_parse(&repkt, out_buf, len, NULL) != 0 ||
	    repkt.nparams != 1)
		abort();
	return &repkt.params[0];
}

/* parse(p) -> a; put(a) -> packet -> parse -> b; a == b. */
#define ROUNDTRIP(T, parse, put_expr)					\
	do {								\
		static T a, b;						\
		int put_r;						\
		memset(&a, 0, sizeof(a));				\
		memset(&b, 0, sizeof(b));				\
		if (parse(p, &a) != 0)					\
			return;						\
		begin();						\
		put_r = (put_expr);					\
		if (put_r == HIP_EINVAL && p->type == HIP_PARAM_LOCATOR_SET) \
			return;	/* unknown locator types */		\
		if (put_r != 0)						\
			abort();					\
		if (parse(rebuilt(), &b) != 0 ||			\
		    memcmp(&a, &b, sizeof(a)) != 0)			\
			abort();					\
	} while (0)

static void roundtrip(const struct hip_param *p)
{
	switch (p->type) {
	case HIP_PARAM_ESP_INFO:
		ROUNDTRIP(struct hip_esp_info, hip_parse_esp_info,
			  hip_put_esp_info(&bld, &a));
		break;
	case HIP_PARAM_R1_COUNTER:
		ROUNDTRIP(struct hip_r1_counter, hip_parse_r1_counter,
			  hip_put_r1_counter(&bld, &a));
		break;
	case HIP_PARAM_LOCATOR_SET:
		ROUNDTRIP(struct hip_locator_set, hip_parse_locator_set,
			  hip_put_locator_set(&bld, &a));
		break;
	case HIP_PARAM_PUZZLE:
		ROUNDTRIP(struct hip_puzzle, hip_parse_puzzle,
			  hip_put_puzzle(&bld, &a));
		break;
	case HIP_PARAM_SOLUTION:
		ROUNDTRIP(struct hip_solution, hip_parse_solution,
			  hip_put_solution(&bld, &a));
		break;
	case HIP_PARAM_SEQ:
		ROUNDTRIP(struct hip_seq, hip_parse_seq, hip_put_seq(&bld, &a));
		break;
	case HIP_PARAM_ACK:
		ROUNDTRIP(struct hip_ack, hip_parse_ack, hip_put_ack(&bld, &a));
		break;
	case HIP_PARAM_DH_GROUP_LIST:
		ROUNDTRIP(struct hip_dh_group_list, hip_parse_dh_group_list,
			  hip_put_dh_group_list(&bld, &a));
		break;
	case HIP_PARAM_DIFFIE_HELLMAN:
		ROUNDTRIP(struct hip_diffie_hellman, hip_parse_diffie_hellman,
			  hip_put_diffie_hellman(&bld, &a));
		break;
	case HIP_PARAM_HIP_CIPHER:
		ROUNDTRIP(struct hip_cipher, hip_parse_cipher,
			  hip_put_cipher(&bld, &a));
		break;
	case HIP_PARAM_NAT_TRAVERSAL_MODE:
		ROUNDTRIP(struct hip_nat_traversal_mode,
			  hip_parse_nat_traversal_mode,
			  hip_put_nat_traversal_mode(&bld, &a));
		break;
	case HIP_PARAM_TRANSACTION_PACING:
		ROUNDTRIP(struct hip_transaction_pacing,
			  hip_parse_transaction_pacing,
			  hip_put_transaction_pacing(&bld, &a));
		break;
	case HIP_PARAM_ENCRYPTED:
		ROUNDTRIP(struct hip_encrypted, hip_parse_encrypted,
			  hip_put_encrypted(&bld, &a));
		break;
	case HIP_PARAM_HOST_ID:
		ROUNDTRIP(struct hip_host_id, hip_parse_host_id,
			  hip_put_host_id(&bld, &a));
		break;
	case HIP_PARAM_HIT_SUITE_LIST:
		ROUNDTRIP(struct hip_hit_suite_list, hip_parse_hit_suite_list,
			  hip_put_hit_suite_list(&bld, &a));
		break;
	case HIP_PARAM_CERT:
		ROUNDTRIP(struct hip_cert, hip_parse_cert,
			  hip_put_cert(&bld, &a));
		break;
	case HIP_PARAM_NOTIFICATION:
		ROUNDTRIP(struct hip_notification, hip_parse_notification,
			  hip_put_notification(&bld, &a));
		break;
	case HIP_PARAM_ECHO_REQUEST_SIGNED:
	case HIP_PARAM_ECHO_RESPONSE_SIGNED:
	case HIP_PARAM_ECHO_REQUEST_UNSIGNED:
	case HIP_PARAM_ECHO_RESPONSE_UNSIGNED:
		ROUNDTRIP(struct hip_opaque, hip_parse_echo,
			  hip_put_echo(&bld, p->type, &a));
		break;
	case HIP_PARAM_REG_INFO:
		ROUNDTRIP(struct hip_reg_info, hip_parse_reg_info,
			  hip_put_reg_info(&bld, &a));
		break;
	case HIP_PARAM_REG_REQUEST:
	case HIP_PARAM_REG_RESPONSE:
	case HIP_PARAM_REG_FAILED:
		ROUNDTRIP(struct hip_reg, hip_parse_reg,
			  hip_put_reg(&bld, p->type, &a));
		break;
	case HIP_PARAM_REG_FROM:
		ROUNDTRIP(struct hip_reg_from, hip_parse_reg_from,
			  hip_put_reg_from(&bld, &a));
		break;
	case HIP_PARAM_TRANSPORT_FORMAT_LIST:
		ROUNDTRIP(struct hip_transport_format_list,
			  hip_parse_transport_format_list,
			  hip_put_transport_format_list(&bld, &a));
		break;
	case HIP_PARAM_ESP_TRANSFORM:
		ROUNDTRIP(struct hip_esp_transform, hip_parse_esp_transform,
			  hip_put_esp_transform(&bld, &a));
		break;
	case HIP_PARAM_HIP_MAC:
	case HIP_PARAM_HIP_MAC_2:
	case HIP_PARAM_RVS_HMAC:
		ROUNDTRIP(struct hip_mac, hip_parse_mac,
			  hip_put_mac(&bld, p->type, &a));
		break;
	case HIP_PARAM_HIP_SIGNATURE:
	case HIP_PARAM_HIP_SIGNATURE_2:
		ROUNDTRIP(struct hip_signature, hip_parse_signature,
			  hip_put_signature(&bld, p->type, &a));
		break;
	case HIP_PARAM_FROM:
		ROUNDTRIP(struct hip_from, hip_parse_from,
			  hip_put_from(&bld, &a));
		break;
	case HIP_PARAM_VIA_RVS:
		ROUNDTRIP(struct hip_via_rvs, hip_parse_via_rvs,
			  hip_put_via_rvs(&bld, &a));
		break;
	default:
		break;
	}
}

static void walk_list(const uint8_t *data, size_t size)
{
	struct hip_param_iter it;
	struct hip_param p;
	int r;

	hip_param_iter_init(&it, data, size, 0);
	while ((r = hip_param_next(&it, &p)) == 1) {
		if (p.value + p.len > data + size)
			abort();
		(void)hip_param_validate(&p);
	}
	if (r > 0 || r < HIP_ESTATE)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hip_packet pkt;
	static uint8_t prefix[HIP_MAX_PACKET];
	struct in6_addr src, dst;
	uint16_t crit = 0;
	int r;

	walk_list(data, size);
	r = hip_packet_parse(&pkt, data, size, &crit);
	if (r != 0 && r != HIP_ECRIT)
		return 0;
	if (pkt.len > size || pkt.nparams > HIP_PACKET_MAX_PARAMS)
		abort();
	if (r == HIP_ECRIT && (!hip_param_is_critical(crit) ||
			       hip_param_known(crit)))
		abort();
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	src.s6_addr[15] = 1;
	(void)hip_packet_verify_checksum(data, pkt.len, &src, &dst);
	(void)hip_packet_validate_params(&pkt, NULL);
	for (size_t i = 0; i < pkt.nparams; i++) {
		const struct hip_param *p = &pkt.params[i];
		const struct hip_param *f = hip_packet_find(&pkt, p->type);

		if (f == NULL || f > p || f->type != p->type)
			abort();
		while (f != NULL && f != p)
			f = hip_packet_find_next(&pkt, f);
		if (f != p)
			abort();
		if (p->offset + hip_param_total_len(p->len) > pkt.len ||
		    p->value != data + p->offset + HIP_PARAM_HDR_LEN)
			abort();
		if (hip_packet_prefix(data, pkt.len, p->offset, prefix,
				      sizeof(prefix)) != 0)
			abort();
		/* Every parser sees every parameter's bytes. */
		for (size_t t = 0; t < HIP_ARRAY_SIZE(known_types); t++) {
			struct hip_param q = *p;

			q.type = known_types[t];
			roundtrip(&q);
		}
	}
	return 0;
}
