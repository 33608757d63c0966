/*
 * config_values.c - the names the configuration file uses for DH
 * groups, HIT suites and ESP transforms, and comma-separated preference
 * lists of them (most preferred first).  Only what libhipcore supports
 * is accepted, so a list that parses is a list the engine takes.
 */
#include <stdio.h>
#include <string.h>

#include "hip/dh.h"
#include "hip/error.h"
#include "hip/proto.h"
#include "hip/suite.h"
#include "hipd/config.h"

struct config_name {
	const char *name;
	uint16_t id;
};

static const struct config_name dh_names[] = {
	{ "p256", HIP_DH_NIST_P256 },
	{ "p384", HIP_DH_NIST_P384 },
	{ "p521", HIP_DH_NIST_P521 },
	{ "modp3072", HIP_DH_MODP_3072 },
	{ "modp2048", HIP_DH_MODP_2048 },
	{ "modp1536", HIP_DH_MODP_1536 },
	{ "secp160r1", HIP_DH_SECP160R1 },
};

/* The HIT suites of identities hipd can hold (RFC 7401 5.2.10,
 * RFC 9374); 3 (ECDSA_LOW/SHA-1) has no key type here. */
static const struct config_name hit_suite_names[] = {
	{ "rsa-sha256", HIP_HIT_SUITE_RSA_DSA_SHA256 },
	{ "ecdsa-sha384", HIP_HIT_SUITE_ECDSA_SHA384 },
	{ "eddsa-cshake", HIP_HIT_SUITE_EDDSA_CSHAKE },
};

static const struct config_name esp_names[] = {
	{ "aes-gcm-16", HIP_ESP_AES_GCM_16 },
	{ "aes-gcm-8", HIP_ESP_AES_GCM_8 },
	{ "aes-ccm-16", HIP_ESP_AES_CCM_16 },
	{ "aes-ccm-8", HIP_ESP_AES_CCM_8 },
	{ "aes-gmac", HIP_ESP_AES_GMAC },
	{ "aes128-cbc-sha256", HIP_ESP_AES128_CBC_SHA256 },
	{ "aes256-cbc-sha256", HIP_ESP_AES256_CBC_SHA256 },
	{ "aes-cmac-96", HIP_ESP_AES_CMAC_96 },
	{ "aes128-cbc-sha1", HIP_ESP_AES128_CBC_SHA1 },
	{ "null-sha256", HIP_ESP_NULL_SHA256 },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int supported(enum hipd_config_list kind, uint16_t id)
{
	switch (kind) {
	case HIPD_LIST_DH:
		return hip_dh_supported(id);
	case HIPD_LIST_ESP:
		return hip_esp_suite_info(id) != NULL;
	case HIPD_LIST_HIT_SUITE:
		return 1;	/* the table holds only usable suites */
	}
	return 0;
}

static const struct config_name *table(enum hipd_config_list kind,
				       size_t *n)
{
	switch (kind) {
	case HIPD_LIST_DH:
		*n = N_OF(dh_names);
		return dh_names;
	case HIPD_LIST_HIT_SUITE:
		*n = N_OF(hit_suite_names);
		return hit_suite_names;
	case HIPD_LIST_ESP:
		*n = N_OF(esp_names);
		return esp_names;
	}
	*n = 0;
	return NULL;
}

const char *hipd_config_value_name(enum hipd_config_list kind, unsigned id)
{
	size_t n;
	const struct config_name *t = table(kind, &n);

	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return NULL;
}

int hipd_config_value_parse(enum hipd_config_list kind, const char *name,
			    unsigned *id)
{
	size_t n;
	const struct config_name *t = table(kind, &n);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, name) != 0)
			continue;
		if (!supported(kind, t[i].id))
			return HIP_EUNSUPPORTED;
		*id = t[i].id;
		return 0;
	}
	return HIP_EINVAL;
}

size_t hipd_config_value_names(enum hipd_config_list kind, char *out,
			       size_t cap)
{
	size_t n, len = 0;
	const struct config_name *t = table(kind, &n);

	if (cap == 0)
		return 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(t[i].name);

		if (!supported(kind, t[i].id))
			continue;
		if (len + w + 3 > cap)
			break;
		if (len > 0) {
			memcpy(out + len, ", ", 2);
			len += 2;
		}
		memcpy(out + len, t[i].name, w + 1);
		len += w;
	}
	return len;
}

int hipd_config_list_parse(enum hipd_config_list kind, const char *text,
			   unsigned *ids, size_t cap, size_t *count,
			   char *bad, size_t badcap)
{
	unsigned got[HIPD_CONFIG_LIST_CAP];
	size_t n = 0;
	const char *p = text;

	if (cap > HIPD_CONFIG_LIST_CAP)
		cap = HIPD_CONFIG_LIST_CAP;
	for (;;) {
		char item[32];
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		unsigned id;
		int r;

		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= sizeof(item)) {
			if (badcap)
				snprintf(bad, badcap, "%s", len ? "(too long)"
					 : "(empty entry)");
			return HIP_EFORMAT;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		r = hipd_config_value_parse(kind, item, &id);
		if (r == 0) {
			for (size_t i = 0; i < n; i++)
				if (got[i] == id)
					r = HIP_EEXIST;
		}
		if (r == 0 && n == cap)
			r = HIP_ENOSPC;
		if (r < 0) {
			if (badcap)
				snprintf(bad, badcap, "%s", item);
			return r;
		}
		got[n++] = id;
		if (end == NULL)
			break;
		p = end + 1;
	}
	memcpy(ids, got, n * sizeof(ids[0]));
	*count = n;
	return 0;
}
