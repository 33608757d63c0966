/*
 * keymat_driver.c - prints what libhipcore derives, for the independent
 * recomputation in keymat_crosscheck.py.
 *
 *   keymat_driver keymat SUITE CIPHER ESP KIJ I J OUR_HIT PEER_HIT LEN
 *     raw  <first LEN octets of KEYMAT>
 *     hip  <enc_out> <enc_in> <mac_out> <mac_in>     (drawn from 0)
 *     esp  <index> <enc_out> <enc_in> <auth_out> <auth_in>
 *   keymat_driver dh GROUP PEER_PUBLIC        (any DH or ECDH group)
 *     pub  <our public value>
 *     kij  <shared secret>
 * Hex arguments and output; "-" prints an empty key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hip/dh.h"
#include "hip/error.h"
#include "hip/keymat.h"
#include "hip/util.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s) / 2;

	if (strlen(s) % 2 != 0 || n > cap || hip_hex_decode(s, out, n) != 0) {
		fprintf(stderr, "bad hex argument\n");
		exit(2);
	}
	return n;
}

static void hex(const uint8_t *b, size_t n)
{
	char buf[2 * 8192 + 1];

	if (n == 0) {
		printf(" -");
		return;
	}
	hip_hex_encode(b, n, buf, sizeof(buf));
	printf(" %s", buf);
}

static int do_keymat(char **av)
{
	uint8_t kij[1024], i[64], j[64], ours[16], peer[16], raw[8192];
	size_t kl, il, jl, len = strtoul(av[8], NULL, 0);
	int suite = atoi(av[0]), cipher = atoi(av[1]), esp = atoi(av[2]);
	struct hip_keymat *km = NULL, *raw_km = NULL;
	struct hip_hip_keys h;
	struct hip_esp_keys e;
	int r;

	kl = unhex(av[3], kij, sizeof(kij));
	il = unhex(av[4], i, sizeof(i));
	jl = unhex(av[5], j, sizeof(j));
	if (unhex(av[6], ours, 16) != 16 || unhex(av[7], peer, 16) != 16 ||
	    il != jl || len > sizeof(raw))
		return 2;
	r = hip_keymat_new(suite, kij, kl, i, j, il, ours, peer, &raw_km);
	if (r == 0)
		r = hip_keymat_draw(raw_km, raw, len);
	if (r == 0)
		r = hip_keymat_new(suite, kij, kl, i, j, il, ours, peer, &km);
	if (r == 0)
		r = hip_keymat_hip_keys(km, cipher, ours, peer, &h);
	if (r == 0)
		r = hip_keymat_esp_keys(km, esp, hip_keymat_offset(km), ours,
					peer, &e);
	if (r != 0) {
		fprintf(stderr, "keymat: %s\n", hip_strerror(r));
		hip_keymat_free(raw_km);
		hip_keymat_free(km);
		return 1;
	}
	printf("raw");
	hex(raw, len);
	printf("\nhip");
	hex(h.enc_out, h.enc_len);
	hex(h.enc_in, h.enc_len);
	hex(h.mac_out, h.mac_len);
	hex(h.mac_in, h.mac_len);
	printf("\nesp %u", (unsigned)e.index);
	hex(e.enc_out, e.enc_len);
	hex(e.enc_in, e.enc_len);
	hex(e.auth_out, e.auth_len);
	hex(e.auth_in, e.auth_len);
	printf("\n");
	hip_keymat_free(raw_km);
	hip_keymat_free(km);
	return 0;
}

static int do_dh(char **av)
{
	uint8_t peer[HIP_DH_MAX_PUBLIC_LEN], pub[HIP_DH_MAX_PUBLIC_LEN];
	uint8_t kij[HIP_DH_MAX_SECRET_LEN];
	size_t pl, ol, kl;
	struct hip_dh *dh = NULL;
	int r;

	pl = unhex(av[1], peer, sizeof(peer));
	r = hip_dh_generate(atoi(av[0]), &dh);
	if (r == 0)
		r = hip_dh_public(dh, pub, sizeof(pub), &ol);
	if (r == 0)
		r = hip_dh_derive(dh, peer, pl, kij, sizeof(kij), &kl);
	hip_dh_free(dh);
	if (r != 0) {
		fprintf(stderr, "dh: %s\n", hip_strerror(r));
		return 1;
	}
	printf("pub");
	hex(pub, ol);
	printf("\nkij");
	hex(kij, kl);
	printf("\n");
	hip_wipe(kij, sizeof(kij));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 11 && strcmp(argv[1], "keymat") == 0)
		return do_keymat(argv + 2);
	if (argc == 4 && strcmp(argv[1], "dh") == 0)
		return do_dh(argv + 2);
	fprintf(stderr, "usage: keymat_driver keymat|dh ARGS...\n");
	return 2;
}
