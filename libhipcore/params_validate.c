/*
 * params_validate.c - dispatch a parameter to its typed parser by type.
 */
#include "hip/params.h"
#include "hip/proto.h"
#include "params_internal.h"

/* Scratch space for any typed parser's output. */
union any_param {
	struct hip_r1_counter r1_counter;
	struct hip_puzzle puzzle;
	struct hip_solution solution;
	struct hip_dh_group_list dh_group_list;
	struct hip_diffie_hellman diffie_hellman;
	struct hip_cipher cipher;
	struct hip_encrypted encrypted;
	struct hip_host_id host_id;
	struct hip_hit_suite_list hit_suite_list;
	struct hip_cert cert;
	struct hip_notification notification;
	struct hip_opaque opaque;
	struct hip_transport_format_list transport_format_list;
	struct hip_mac mac;
	struct hip_signature signature;
	struct hip_esp_info esp_info;
	struct hip_esp_transform esp_transform;
	struct hip_seq seq;
	struct hip_ack ack;
	struct hip_locator_set locator_set;
	struct hip_reg_info reg_info;
	struct hip_reg reg;
	struct hip_from from;
	struct hip_via_rvs via_rvs;
	struct hip_reg_from reg_from;
	struct hip_nat_traversal_mode nat_traversal_mode;
	struct hip_transaction_pacing transaction_pacing;
};

int hip_param_validate(const struct hip_param *p)
{
	union any_param u;
	int r;

	if (p == NULL)
		return HIP_EINVAL;
	switch (p->type) {
	case HIP_PARAM_ESP_INFO:
		r = hip_parse_esp_info(p, &u.esp_info);
		break;
	case HIP_PARAM_R1_COUNTER:
		r = hip_parse_r1_counter(p, &u.r1_counter);
		break;
	case HIP_PARAM_LOCATOR_SET:
		r = hip_parse_locator_set(p, &u.locator_set);
		break;
	case HIP_PARAM_PUZZLE:
		r = hip_parse_puzzle(p, &u.puzzle);
		break;
	case HIP_PARAM_SOLUTION:
		r = hip_parse_solution(p, &u.solution);
		break;
	case HIP_PARAM_SEQ:
		r = hip_parse_seq(p, &u.seq);
		break;
	case HIP_PARAM_ACK:
		r = hip_parse_ack(p, &u.ack);
		break;
	case HIP_PARAM_DH_GROUP_LIST:
		r = hip_parse_dh_group_list(p, &u.dh_group_list);
		break;
	case HIP_PARAM_DIFFIE_HELLMAN:
		r = hip_parse_diffie_hellman(p, &u.diffie_hellman);
		break;
	case HIP_PARAM_HIP_CIPHER:
		r = hip_parse_cipher(p, &u.cipher);
		break;
	case HIP_PARAM_NAT_TRAVERSAL_MODE:
		r = hip_parse_nat_traversal_mode(p, &u.nat_traversal_mode);
		break;
	case HIP_PARAM_TRANSACTION_PACING:
		r = hip_parse_transaction_pacing(p, &u.transaction_pacing);
		break;
	case HIP_PARAM_ENCRYPTED:
		r = hip_parse_encrypted(p, &u.encrypted);
		break;
	case HIP_PARAM_HOST_ID:
		r = hip_parse_host_id(p, &u.host_id);
		break;
	case HIP_PARAM_HIT_SUITE_LIST:
		r = hip_parse_hit_suite_list(p, &u.hit_suite_list);
		break;
	case HIP_PARAM_CERT:
		r = hip_parse_cert(p, &u.cert);
		break;
	case HIP_PARAM_NOTIFICATION:
		r = hip_parse_notification(p, &u.notification);
		break;
	case HIP_PARAM_ECHO_REQUEST_SIGNED:
	case HIP_PARAM_ECHO_RESPONSE_SIGNED:
	case HIP_PARAM_ECHO_REQUEST_UNSIGNED:
	case HIP_PARAM_ECHO_RESPONSE_UNSIGNED:
		r = hip_parse_echo(p, &u.opaque);
		break;
	case HIP_PARAM_REG_INFO:
		r = hip_parse_reg_info(p, &u.reg_info);
		break;
	case HIP_PARAM_REG_REQUEST:
	case HIP_PARAM_REG_RESPONSE:
	case HIP_PARAM_REG_FAILED:
		r = hip_parse_reg(p, &u.reg);
		break;
	case HIP_PARAM_REG_FROM:
		r = hip_parse_reg_from(p, &u.reg_from);
		break;
	case HIP_PARAM_TRANSPORT_FORMAT_LIST:
		r = hip_parse_transport_format_list(p,
						    &u.transport_format_list);
		break;
	case HIP_PARAM_ESP_TRANSFORM:
		r = hip_parse_esp_transform(p, &u.esp_transform);
		break;
	case HIP_PARAM_HIP_MAC:
	case HIP_PARAM_HIP_MAC_2:
	case HIP_PARAM_RVS_HMAC:
		r = hip_parse_mac(p, &u.mac);
		break;
	case HIP_PARAM_HIP_SIGNATURE:
	case HIP_PARAM_HIP_SIGNATURE_2:
		r = hip_parse_signature(p, &u.signature);
		break;
	case HIP_PARAM_FROM:
		r = hip_parse_from(p, &u.from);
		break;
	case HIP_PARAM_VIA_RVS:
		r = hip_parse_via_rvs(p, &u.via_rvs);
		break;
	default:
		r = HIP_OK;	/* no typed parser: nothing to check */
		break;
	}
	return r;
}

int hip_packet_validate_params(const struct hip_packet *pkt,
			       const struct hip_param **bad)
{
	if (pkt == NULL)
		return HIP_EINVAL;
	for (size_t i = 0; i < pkt->nparams; i++) {
		int r = hip_param_validate(&pkt->params[i]);

		if (r) {
			if (bad != NULL)
				*bad = &pkt->params[i];
			return r;
		}
	}
	return HIP_OK;
}
