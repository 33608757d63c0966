/* Unit tests for auth.c: the exact strings HIP_MAC, HIP_MAC_2 and
 * HIP_SIGNATURE(_2) cover (RFC 7401 6.4.1, 6.4.2), built from packets
 * written out byte by byte, and HMAC verification. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "hip/auth.h"
#include "hip/error.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/util.h"

/* Append a TLV with a value of len octets filled with fill, padded with
 * zeros to 8 octets (RFC 7401 5.2.1).  Returns its offset. */
static size_t put(uint8_t *pkt, size_t *len, uint16_t type, size_t vlen,
		  uint8_t fill)
{
	size_t off = *len, total = 11 + vlen - (vlen + 3) % 8;

	hip_put16(pkt + off, type);
	hip_put16(pkt + off + 2, (uint16_t)vlen);
	memset(pkt + off + 4, fill, vlen);
	memset(pkt + off + 4 + vlen, 0, total - 4 - vlen);
	*len += total;
	return off;
}

static void header(uint8_t *pkt, uint8_t type)
{
	pkt[0] = HIP_NEXTHDR_NONE;
	pkt[1] = 0xee;			/* fixed up by finish() */
	pkt[2] = type;
	pkt[3] = 0x21;			/* version 2, fixed bit */
	pkt[4] = 0xab;			/* checksum */
	pkt[5] = 0xcd;
	pkt[6] = 0x00;
	pkt[7] = 0x00;
	for (int n = 0; n < 16; n++) {
		pkt[8 + n] = (uint8_t)(0x10 + n);	/* sender HIT */
		pkt[24 + n] = (uint8_t)(0x40 + n);	/* receiver HIT */
	}
}

static void finish(uint8_t *pkt, size_t len)
{
	pkt[1] = (uint8_t)(len / 8 - 1);
}

/* I2-like: ESP_INFO(12) R1_COUNTER(12) HIP_CIPHER(2) HIP_MAC(32)
 * HIP_SIGNATURE(2+8). */
static size_t make_i2(uint8_t *pkt, size_t *mac_off, size_t *sig_off)
{
	size_t len = HIP_HDR_LEN;

	header(pkt, HIP_I2);
	put(pkt, &len, HIP_PARAM_ESP_INFO, 12, 0x11);
	put(pkt, &len, HIP_PARAM_R1_COUNTER, 12, 0x22);
	put(pkt, &len, HIP_PARAM_HIP_CIPHER, 2, 0x33);
	*mac_off = put(pkt, &len, HIP_PARAM_HIP_MAC, 32, 0x00);
	*sig_off = put(pkt, &len, HIP_PARAM_HIP_SIGNATURE, 10, 0x55);
	finish(pkt, len);
	return len;
}

START_TEST(test_mac_input)
{
	uint8_t pkt[512], out[512], want[512];
	size_t mac_off, sig_off, len, olen = 0;

	len = make_i2(pkt, &mac_off, &sig_off);
	ck_assert_uint_eq(len, 40 + 16 + 16 + 8 + 40 + 16);
	ck_assert_uint_eq(mac_off, 80);
	ck_assert_uint_eq(pkt[1], 16);
	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off, NULL, 0, out,
					sizeof(out), &olen), 0);
	/* Header + the three parameters before HIP_MAC; checksum zero;
	 * HdrLen = 80 / 8 - 1 = 9. */
	ck_assert_uint_eq(olen, 80);
	memcpy(want, pkt, 80);
	want[1] = 9;
	want[4] = 0;
	want[5] = 0;
	ck_assert_mem_eq(out, want, 80);
	ck_assert_uint_eq(out[1], 9);
	ck_assert_uint_eq(out[4] | out[5], 0);

	/* HIP_SIGNATURE covers HIP_MAC too: 120 octets, HdrLen 14. */
	ck_assert_int_eq(hip_auth_input(pkt, len, sig_off, NULL, 0, out,
					sizeof(out), &olen), 0);
	ck_assert_uint_eq(olen, 120);
	memcpy(want, pkt, 120);
	want[1] = 14;
	want[4] = want[5] = 0;
	ck_assert_mem_eq(out, want, 120);
	/* The receiver's HIT stays for HIP_SIGNATURE. */
	ck_assert_uint_eq(out[24], 0x40);
}
END_TEST

/* R2: ESP_INFO, HIP_MAC_2, HIP_SIGNATURE; HOST_ID (type 705) goes after
 * ESP_INFO (type 65) and counts in HdrLen. */
START_TEST(test_mac2_input)
{
	uint8_t pkt[512], out[512], hid[64];
	size_t len = HIP_HDR_LEN, hlen = 0, mac_off, olen = 0;

	put(hid, &hlen, HIP_PARAM_HOST_ID, 13, 0x77);
	ck_assert_uint_eq(hlen, 24);
	header(pkt, HIP_R2);
	put(pkt, &len, HIP_PARAM_ESP_INFO, 12, 0x11);
	mac_off = put(pkt, &len, HIP_PARAM_HIP_MAC_2, 32, 0);
	put(pkt, &len, HIP_PARAM_HIP_SIGNATURE, 10, 0x55);
	finish(pkt, len);

	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off, hid, hlen, out,
					sizeof(out), &olen), 0);
	ck_assert_uint_eq(olen, 40 + 16 + 24);
	ck_assert_uint_eq(out[1], 80 / 8 - 1);
	ck_assert_uint_eq(out[4] | out[5], 0);
	ck_assert_mem_eq(out + 2, pkt + 2, 2);
	ck_assert_mem_eq(out + 6, pkt + 6, 34);
	ck_assert_mem_eq(out + 40, pkt + 40, 16);	/* ESP_INFO */
	ck_assert_mem_eq(out + 56, hid, 24);		/* HOST_ID TLV */
	ck_assert_uint_eq(hip_get16(out + 56), 705);
	ck_assert_uint_eq(hip_get16(out + 58), 13);

	/* HOST_ID is mandatory for HIP_MAC_2, forbidden otherwise, and
	 * must be a whole HOST_ID TLV. */
	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off, NULL, 0, out,
					sizeof(out), &olen), HIP_EINVAL);
	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off, hid, hlen - 8, out,
					sizeof(out), &olen), HIP_EFORMAT);
	hid[1] ^= 1;	/* type 704 */
	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off, hid, hlen, out,
					sizeof(out), &olen), HIP_EFORMAT);
}
END_TEST

/* A covered parameter with a type above HOST_ID's comes after it. */
START_TEST(test_mac2_order)
{
	uint8_t pkt[512], out[512], hid[64];
	size_t len = HIP_HDR_LEN, hlen = 0, mac_off, cert_off, olen = 0;

	put(hid, &hlen, HIP_PARAM_HOST_ID, 20, 0x77);
	header(pkt, HIP_R2);
	put(pkt, &len, HIP_PARAM_ESP_INFO, 12, 0x11);
	cert_off = put(pkt, &len, HIP_PARAM_CERT, 9, 0x99);
	mac_off = put(pkt, &len, HIP_PARAM_HIP_MAC_2, 32, 0);
	finish(pkt, len);
	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off, hid, hlen, out,
					sizeof(out), &olen), 0);
	ck_assert_uint_eq(olen, 40 + 16 + hlen + 16);
	ck_assert_mem_eq(out + 40, pkt + 40, 16);
	ck_assert_mem_eq(out + 56, hid, hlen);
	ck_assert_mem_eq(out + 56 + hlen, pkt + cert_off, 16);
	ck_assert_uint_eq(out[1], olen / 8 - 1);
}
END_TEST

/* R1: R1_COUNTER, PUZZLE, DIFFIE_HELLMAN, HIP_SIGNATURE_2,
 * ECHO_REQUEST_UNSIGNED. */
START_TEST(test_sig2_input)
{
	uint8_t pkt[512], out[512], want[512];
	size_t len = HIP_HDR_LEN, puz, sig, olen = 0;

	header(pkt, HIP_R1);
	put(pkt, &len, HIP_PARAM_R1_COUNTER, 12, 0x22);
	puz = put(pkt, &len, HIP_PARAM_PUZZLE, 4 + 32, 0x00);
	pkt[puz + 4] = 10;		/* #K */
	pkt[puz + 5] = 37;		/* Lifetime */
	pkt[puz + 6] = 0xbe;		/* Opaque */
	pkt[puz + 7] = 0xef;
	memset(pkt + puz + 8, 0x5a, 32);	/* #I */
	put(pkt, &len, HIP_PARAM_DIFFIE_HELLMAN, 3 + 64, 0x66);
	sig = put(pkt, &len, HIP_PARAM_HIP_SIGNATURE_2, 2 + 64, 0x55);
	put(pkt, &len, HIP_PARAM_ECHO_REQUEST_UNSIGNED, 4, 0x44);
	finish(pkt, len);

	ck_assert_int_eq(hip_auth_input(pkt, len, sig, NULL, 0, out,
					sizeof(out), &olen), 0);
	ck_assert_uint_eq(olen, sig);
	memcpy(want, pkt, sig);
	want[1] = (uint8_t)(sig / 8 - 1);
	want[4] = want[5] = 0;
	memset(want + 24, 0, 16);		/* Receiver's HIT */
	memset(want + puz + 6, 0, 2 + 32);	/* Opaque, #I */
	ck_assert_mem_eq(out, want, sig);
	/* #K and Lifetime stay, as do the sender's HIT and the type. */
	ck_assert_uint_eq(out[puz + 4], 10);
	ck_assert_uint_eq(out[puz + 5], 37);
	ck_assert_uint_eq(out[8], 0x10);
	ck_assert_uint_eq(hip_get16(out + puz + 2), 36);

	/* HIP_SIGNATURE_2 needs a PUZZLE before it. */
	len = HIP_HDR_LEN;
	put(pkt, &len, HIP_PARAM_R1_COUNTER, 12, 0x22);
	sig = put(pkt, &len, HIP_PARAM_HIP_SIGNATURE_2, 2 + 64, 0x55);
	finish(pkt, len);
	ck_assert_int_eq(hip_auth_input(pkt, len, sig, NULL, 0, out,
					sizeof(out), &olen), HIP_EMISSING);
}
END_TEST

START_TEST(test_input_errors)
{
	uint8_t pkt[512], out[512], big[2200];
	size_t mac_off, sig_off, len, olen = 77;

	len = make_i2(pkt, &mac_off, &sig_off);
	/* Not on a parameter boundary. */
	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off - 8, NULL, 0, out,
					sizeof(out), &olen), HIP_EFORMAT);
	ck_assert_int_eq(hip_auth_input(pkt, len, 44, NULL, 0, out,
					sizeof(out), &olen), HIP_EFORMAT);
	/* Not a MAC or signature parameter. */
	ck_assert_int_eq(hip_auth_input(pkt, len, 40, NULL, 0, out,
					sizeof(out), &olen), HIP_EFORMAT);
	ck_assert_int_eq(hip_auth_input(pkt, len, 20, NULL, 0, out,
					sizeof(out), &olen), HIP_EFORMAT);
	/* The MAC parameter itself runs past the packet. */
	ck_assert_int_eq(hip_auth_input(pkt, mac_off + 20, mac_off, NULL, 0,
					out, sizeof(out), &olen), HIP_ETRUNC);
	/* A parameter length that runs past the packet. */
	hip_put16(pkt + 42, 400);
	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off, NULL, 0, out,
					sizeof(out), &olen), HIP_ETRUNC);
	hip_put16(pkt + 42, 12);
	ck_assert_int_eq(hip_auth_input(pkt, 30, mac_off, NULL, 0, out,
					sizeof(out), &olen), HIP_ETRUNC);
	ck_assert_int_eq(hip_auth_input(pkt, len, mac_off, NULL, 0, out, 79,
					&olen), HIP_ENOSPC);
	ck_assert_uint_eq(olen, 77);
	/* More than HdrLen can express (> 2048 octets). */
	{
		size_t blen = HIP_HDR_LEN, off;

		header(big, HIP_UPDATE);
		put(big, &blen, HIP_PARAM_ECHO_REQUEST_SIGNED, 2012, 0x12);
		off = put(big, &blen, HIP_PARAM_HIP_MAC, 32, 0);
		ck_assert_uint_eq(off, 2056);
		ck_assert_int_eq(hip_auth_input(big, blen, off, NULL, 0, big,
						sizeof(big), &olen), HIP_ELEN);
	}
}
END_TEST

static void hmac_sha256(const uint8_t *key, size_t klen, const uint8_t *d,
			size_t dlen, uint8_t *mac)
{
	size_t l = 0;

	ck_assert_ptr_nonnull(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL,
					key, klen, d, dlen, mac, 32, &l));
	ck_assert_uint_eq(l, 32);
}

START_TEST(test_mac_verify)
{
	uint8_t pkt[512], in[512], key[32], mac[48];
	size_t mac_off, sig_off, len, ilen, mlen;

	memset(key, 0x3c, sizeof(key));
	len = make_i2(pkt, &mac_off, &sig_off);
	/* Independent HMAC over the expected covered string. */
	memcpy(in, pkt, mac_off);
	in[1] = (uint8_t)(mac_off / 8 - 1);
	in[4] = in[5] = 0;
	ilen = mac_off;
	hmac_sha256(key, 32, in, ilen, pkt + mac_off + 4);
	ck_assert_int_eq(hip_auth_mac_compute(1, key, 32, pkt, len, mac_off,
					      NULL, 0, mac, sizeof(mac),
					      &mlen), 0);
	ck_assert_uint_eq(mlen, 32);
	ck_assert_mem_eq(mac, pkt + mac_off + 4, 32);
	ck_assert_int_eq(hip_auth_mac_verify(1, key, 32, pkt, len, mac_off,
					     NULL, 0), 0);

	/* One flipped bit anywhere in the covered part or the MAC fails,
	 * except in the checksum and HdrLen fields, which are rewritten. */
	for (size_t n = 0; n < mac_off + 4 + 32; n++) {
		for (int b = 0; b < 8; b += 3) {
			int want = (n == 1 || n == 4 || n == 5) ? 0
								: HIP_EVERIFY;

			pkt[n] ^= (uint8_t)(1 << b);
			ck_assert_msg(hip_auth_mac_verify(1, key, 32, pkt, len,
							  mac_off, NULL, 0) ==
				      want, "octet %zu bit %d", n, b);
			pkt[n] ^= (uint8_t)(1 << b);
		}
	}
	/* Parameters after the MAC do not matter. */
	for (size_t n = sig_off + 4; n < len; n++) {
		pkt[n] ^= 0x80;
		ck_assert_int_eq(hip_auth_mac_verify(1, key, 32, pkt, len,
						     mac_off, NULL, 0), 0);
		pkt[n] ^= 0x80;
	}
	/* Another key, another suite, a truncated MAC value. */
	key[0] ^= 1;
	ck_assert_int_eq(hip_auth_mac_verify(1, key, 32, pkt, len, mac_off,
					     NULL, 0), HIP_EVERIFY);
	key[0] ^= 1;
	ck_assert_int_eq(hip_auth_mac_verify(2, key, 32, pkt, len, mac_off,
					     NULL, 0), HIP_EVERIFY);
	hip_put16(pkt + mac_off + 2, 31);
	ck_assert_int_eq(hip_auth_mac_verify(1, key, 32, pkt, len, mac_off,
					     NULL, 0), HIP_EVERIFY);
	hip_put16(pkt + mac_off + 2, 32);
	/* Not a MAC parameter. */
	ck_assert_int_eq(hip_auth_mac_verify(1, key, 32, pkt, len, sig_off,
					     NULL, 0), HIP_EVERIFY);
	ck_assert_int_eq(hip_auth_mac_compute(1, key, 32, pkt, len, sig_off,
					      NULL, 0, mac, sizeof(mac),
					      &mlen), HIP_EFORMAT);
	ck_assert_int_eq(hip_auth_mac_verify(5, key, 32, pkt, len, mac_off,
					     NULL, 0), HIP_EUNSUPPORTED);
}
END_TEST

START_TEST(test_mac2_verify)
{
	uint8_t pkt[512], in[512], hid[64], key[48];
	size_t len = HIP_HDR_LEN, hlen = 0, mac_off, l = 0;

	memset(key, 0xa5, sizeof(key));
	put(hid, &hlen, HIP_PARAM_HOST_ID, 30, 0x77);
	header(pkt, HIP_R2);
	put(pkt, &len, HIP_PARAM_ESP_INFO, 12, 0x11);
	mac_off = put(pkt, &len, HIP_PARAM_HIP_MAC_2, 48, 0);
	finish(pkt, len);
	/* HMAC-SHA-384 (suite 2) over header | ESP_INFO | HOST_ID. */
	memcpy(in, pkt, mac_off);
	memcpy(in + mac_off, hid, hlen);
	in[1] = (uint8_t)((mac_off + hlen) / 8 - 1);
	in[4] = in[5] = 0;
	ck_assert_ptr_nonnull(EVP_Q_mac(NULL, "HMAC", NULL, "SHA384", NULL,
					key, 48, in, mac_off + hlen,
					pkt + mac_off + 4, 48, &l));
	ck_assert_int_eq(hip_auth_mac_verify(2, key, 48, pkt, len, mac_off,
					     hid, hlen), 0);
	/* The HOST_ID is covered: a changed octet fails. */
	hid[10] ^= 4;
	ck_assert_int_eq(hip_auth_mac_verify(2, key, 48, pkt, len, mac_off,
					     hid, hlen), HIP_EVERIFY);
	hid[10] ^= 4;
	ck_assert_int_eq(hip_auth_mac_verify(2, key, 48, pkt, len, mac_off,
					     NULL, 0), HIP_EINVAL);
}
END_TEST

START_TEST(test_hmac_suites)
{
	const uint8_t key[] = "k";
	uint8_t mac[48];
	size_t l = 0;

	ck_assert_int_eq(hip_auth_hmac(1, key, 1, key, 1, mac, 48, &l), 0);
	ck_assert_uint_eq(l, 32);
	ck_assert_int_eq(hip_auth_hmac(2, key, 1, key, 1, mac, 48, &l), 0);
	ck_assert_uint_eq(l, 48);
	ck_assert_int_eq(hip_auth_hmac(3, key, 1, key, 1, mac, 48, &l), 0);
	ck_assert_uint_eq(l, 20);
	ck_assert_int_eq(hip_auth_hmac(2, key, 1, key, 1, mac, 47, &l),
			 HIP_ENOSPC);
	ck_assert_int_eq(hip_auth_hmac(1, key, 0, key, 1, mac, 48, &l),
			 HIP_EINVAL);
	/* RFC 4231 test case 2: key "Jefe". */
	{
		const char *data = "what do ya want for nothing?";
		uint8_t want[32];

		ck_assert_int_eq(hip_hex_decode(
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec"
			"58b964ec3843", want, 32), 0);
		ck_assert_int_eq(hip_auth_hmac(1, (const uint8_t *)"Jefe", 4,
					       (const uint8_t *)data,
					       strlen(data), mac, 48, &l), 0);
		ck_assert_mem_eq(mac, want, 32);
	}
}
END_TEST

/* R1 signed with HIP_SIGNATURE_2 by a real identity: the fields that
 * 6.4.2 zeroes may change after signing (precomputed R1s), nothing
 * else may. */
START_TEST(test_sign_r1)
{
	static const enum hip_key_type types[] = { HIP_KEY_ECDSA_P256,
						   HIP_KEY_ED25519 };
	struct hip_identity *id = NULL;
	uint8_t pkt[512], sig[HIP_SIG_MAX_LEN];
	size_t len = HIP_HDR_LEN, puz, soff, slen = 0, sl;
	uint16_t algo = 0;

	ck_assert_int_eq(hip_identity_generate(types[_i], 0, &id), 0);
	sl = hip_sig_len(id);
	header(pkt, HIP_R1);
	puz = put(pkt, &len, HIP_PARAM_PUZZLE, 4 + 32, 0x5a);
	put(pkt, &len, HIP_PARAM_DIFFIE_HELLMAN, 3 + 64, 0x66);
	soff = put(pkt, &len, HIP_PARAM_HIP_SIGNATURE_2, 2 + sl, 0);
	finish(pkt, len);
	ck_assert_int_eq(hip_auth_sign(id, pkt, len, soff, sig, sizeof(sig),
				       &slen, &algo), 0);
	ck_assert_uint_eq(slen, sl);
	ck_assert_int_eq(algo, hip_identity_algo(id));
	hip_put16(pkt + soff + 4, algo);
	memcpy(pkt + soff + 6, sig, slen);
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), 0);
	/* Per-Initiator fields of a precomputed R1. */
	pkt[24] ^= 0xff;			/* Receiver's HIT */
	pkt[puz + 6] ^= 0x01;			/* Opaque */
	pkt[puz + 8 + 31] ^= 0x80;		/* #I */
	pkt[4] ^= 0x12;				/* checksum */
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), 0);
	/* Signed fields. */
	pkt[puz + 4] ^= 1;			/* #K */
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), HIP_EVERIFY);
	pkt[puz + 4] ^= 1;
	pkt[8] ^= 1;				/* Sender's HIT */
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), HIP_EVERIFY);
	pkt[8] ^= 1;
	pkt[soff - 5] ^= 1;			/* DIFFIE_HELLMAN */
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), HIP_EVERIFY);
	pkt[soff - 5] ^= 1;
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), 0);
	/* Not a signature parameter. */
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, puz), HIP_EVERIFY);
	hip_identity_free(id);
}
END_TEST

/* HIP_SIGNATURE covers the Receiver's HIT (unlike HIP_SIGNATURE_2). */
START_TEST(test_sign_i2)
{
	struct hip_identity *id = NULL;
	uint8_t pkt[512], sig[HIP_SIG_MAX_LEN];
	size_t len = HIP_HDR_LEN, soff, slen = 0, sl;
	uint16_t algo = 0;

	ck_assert_int_eq(hip_identity_generate(HIP_KEY_ECDSA_P384, 0, &id),
			 0);
	sl = hip_sig_len(id);
	header(pkt, HIP_I2);
	put(pkt, &len, HIP_PARAM_ESP_INFO, 12, 0x11);
	put(pkt, &len, HIP_PARAM_HIP_MAC, 48, 0x77);
	soff = put(pkt, &len, HIP_PARAM_HIP_SIGNATURE, 2 + sl, 0);
	put(pkt, &len, HIP_PARAM_ECHO_RESPONSE_UNSIGNED, 6, 0x99);
	finish(pkt, len);
	ck_assert_int_eq(hip_auth_sign(id, pkt, len, soff, sig, sizeof(sig),
				       &slen, &algo), 0);
	hip_put16(pkt + soff + 4, algo);
	memcpy(pkt + soff + 6, sig, slen);
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), 0);
	pkt[len - 3] ^= 1;		/* after the signature: not covered */
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), 0);
	pkt[39] ^= 1;			/* Receiver's HIT */
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), HIP_EVERIFY);
	pkt[39] ^= 1;
	hip_put16(pkt + soff + 4, algo == 7 ? 5 : 7);	/* SIG alg */
	ck_assert_int_eq(hip_auth_verify(id, pkt, len, soff), HIP_EVERIFY);
	hip_identity_free(id);
}
END_TEST

static Suite *auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_mac_input);
	tcase_add_test(tc, test_mac2_input);
	tcase_add_test(tc, test_mac2_order);
	tcase_add_test(tc, test_sig2_input);
	tcase_add_test(tc, test_input_errors);
	tcase_add_test(tc, test_mac_verify);
	tcase_add_test(tc, test_mac2_verify);
	tcase_add_test(tc, test_hmac_suites);
	tcase_add_loop_test(tc, test_sign_r1, 0, 2);
	tcase_add_test(tc, test_sign_i2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(auth_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
