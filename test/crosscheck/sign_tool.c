/*
 * sign_tool.c - test helper that exposes libhipcore's signatures and
 * HOST_ID encoding to the Python cross-check (hit_crosscheck.py).
 *
 *   sign_tool sign KEYFILE < MSG            prints "ALGO HEXSIG"
 *   sign_tool verify KEYFILE ALGO HEXSIG < MSG   exit 0 valid, 1 invalid
 *   sign_tool hostid KEYFILE [FQDN]         prints the HOST_ID value in hex
 *
 * Any other failure exits with 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/util.h"

#define MSG_MAX	65536

static int fail(const char *what, int err)
{
	fprintf(stderr, "sign_tool: %s: %s\n", what, hip_strerror(err));
	return 2;
}

static int read_stdin(uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = fread(buf, 1, cap, stdin);

	if (ferror(stdin) || (n == cap && fgetc(stdin) != EOF))
		return HIP_EIO;
	*len = n;
	return 0;
}

static int do_sign(struct hip_identity *id)
{
	static uint8_t msg[MSG_MAX];
	uint8_t sig[HIP_SIG_MAX_LEN];
	char hex[2 * HIP_SIG_MAX_LEN + 1];
	size_t len, sig_len;
	uint16_t algo;
	int ret;

	ret = read_stdin(msg, sizeof(msg), &len);
	if (ret == 0)
		ret = hip_sign(id, msg, len, sig, sizeof(sig), &sig_len, &algo);
	if (ret == 0)
		ret = hip_hex_encode(sig, sig_len, hex, sizeof(hex));
	if (ret < 0)
		return fail("sign", ret);
	printf("%u %s\n", algo, hex);
	return 0;
}

static int do_verify(struct hip_identity *id, const char *algo,
		     const char *hex)
{
	static uint8_t msg[MSG_MAX];
	uint8_t sig[HIP_SIG_MAX_LEN];
	size_t len, sig_len = strlen(hex) / 2;
	int ret;

	if (sig_len > sizeof(sig))
		return fail("verify", HIP_ELEN);
	ret = hip_hex_decode(hex, sig, sig_len);
	if (ret == 0)
		ret = read_stdin(msg, sizeof(msg), &len);
	if (ret < 0)
		return fail("verify", ret);
	ret = hip_verify(id, (uint16_t)atoi(algo), msg, len, sig, sig_len);
	if (ret == HIP_EVERIFY)
		return 1;
	if (ret < 0)
		return fail("verify", ret);
	return 0;
}

static int do_hostid(struct hip_identity *id, const char *fqdn)
{
	static uint8_t val[HIP_HOSTID_MAX_LEN];
	static char hex[2 * HIP_HOSTID_MAX_LEN + 1];
	size_t len;
	int ret;

	ret = hip_hostid_encode(id, fqdn ? HIP_DI_FQDN : HIP_DI_NONE, fqdn,
				fqdn ? strlen(fqdn) : 0, val, sizeof(val),
				&len);
	if (ret == 0)
		ret = hip_hex_encode(val, len, hex, sizeof(hex));
	if (ret < 0)
		return fail("hostid", ret);
	printf("%s\n", hex);
	return 0;
}

int main(int argc, char **argv)
{
	struct hip_identity *id = NULL;
	char err[HIP_ERRBUF_LEN] = "";
	int ret;

	if (argc < 3) {
		fputs("usage: sign_tool sign|verify|hostid KEYFILE ...\n",
		      stderr);
		return 2;
	}
	ret = hip_identity_load(argv[2], HIP_KEYFILE_PUBLIC_OK |
				HIP_KEYFILE_ALLOW_INSECURE, &id, err,
				sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "sign_tool: %s\n", err);
		return 2;
	}
	if (strcmp(argv[1], "sign") == 0 && argc == 3)
		ret = do_sign(id);
	else if (strcmp(argv[1], "verify") == 0 && argc == 5)
		ret = do_verify(id, argv[3], argv[4]);
	else if (strcmp(argv[1], "hostid") == 0 && argc <= 4)
		ret = do_hostid(id, argc == 4 ? argv[3] : NULL);
	else
		ret = 2;
	hip_identity_free(id);
	return ret;
}
