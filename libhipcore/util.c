/*
 * util.c - constant-time comparison, secret wiping, hex, error strings.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "hip/error.h"
#include "hip/util.h"

int hip_ct_memeq(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void hip_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		OPENSSL_cleanse(p, n);
}

int hip_hex_encode(const uint8_t *in, size_t len, char *out, size_t outcap)
{
	static const char digits[] = "0123456789abcdef";

	if (outcap < 2 * len + 1)
		return HIP_ENOSPC;
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
	return HIP_OK;
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hip_hex_decode(const char *in, uint8_t *out, size_t outlen)
{
	if (strlen(in) != 2 * outlen)
		return HIP_ELEN;
	for (size_t i = 0; i < outlen; i++) {
		int hi = hex_nibble(in[2 * i]);
		int lo = hex_nibble(in[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return HIP_EFORMAT;
	}
	for (size_t i = 0; i < outlen; i++)
		out[i] = (uint8_t)(hex_nibble(in[2 * i]) << 4 |
				   hex_nibble(in[2 * i + 1]));
	return HIP_OK;
}

const char *hip_strerror(int err)
{
	switch (err) {
	case HIP_OK: return "success";
	case HIP_EINVAL: return "invalid argument";
	case HIP_ETRUNC: return "truncated input";
	case HIP_ENOSPC: return "buffer too small";
	case HIP_EPAD: return "bad parameter padding";
	case HIP_EORDER: return "parameters out of order";
	case HIP_EDUP: return "duplicated parameter";
	case HIP_ECRIT: return "unknown critical parameter";
	case HIP_ELEN: return "bad length";
	case HIP_EVERSION: return "unsupported HIP version";
	case HIP_ECHECKSUM: return "bad checksum";
	case HIP_EMISSING: return "required parameter missing";
	case HIP_EUNSUPPORTED: return "unsupported algorithm";
	case HIP_ECRYPTO: return "cryptographic library failure";
	case HIP_EVERIFY: return "verification failed";
	case HIP_ENOMEM: return "out of memory";
	case HIP_EIO: return "I/O error";
	case HIP_EFORMAT: return "malformed input";
	case HIP_ENOENT: return "not found";
	case HIP_EEXIST: return "already exists";
	case HIP_EPERM: return "permission denied";
	case HIP_ESTATE: return "invalid in current state";
	default: return "unknown error";
	}
}
