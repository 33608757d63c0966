/* Unit tests for identity.c, hostid.c and identity_file.c. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "hip/error.h"
#include "hip/hit.h"
#include "hip/identity.h"
#include "hip/proto.h"
#include "hip/util.h"

static const enum hip_key_type all_types[] = {
	HIP_KEY_ECDSA_P256, HIP_KEY_ECDSA_P384, HIP_KEY_ED25519,
	HIP_KEY_ED448, HIP_KEY_RSA,
};

static struct hip_identity *gen(enum hip_key_type type)
{
	struct hip_identity *id = NULL;

	ck_assert_int_eq(hip_identity_generate(type,
					       type == HIP_KEY_RSA ? 2048 : 0,
					       &id), 0);
	ck_assert_ptr_nonnull(id);
	return id;
}

/* --- generation and accessors -------------------------------------- */

START_TEST(test_generate_types)
{
	static const struct {
		enum hip_key_type type;
		int algo, curve;
		unsigned int bits;
		size_t hi_len;
	} want[] = {
		{ HIP_KEY_ECDSA_P256, HIP_HI_ECDSA, HIP_ECDSA_CURVE_P256, 256,
		  2 + 1 + 64 },
		{ HIP_KEY_ECDSA_P384, HIP_HI_ECDSA, HIP_ECDSA_CURVE_P384, 384,
		  2 + 1 + 96 },
		{ HIP_KEY_ED25519, HIP_HI_EDDSA, HIP_EDDSA_CURVE_ED25519, 256,
		  2 + 32 },
		{ HIP_KEY_ED448, HIP_HI_EDDSA, HIP_EDDSA_CURVE_ED448, 448,
		  2 + 57 },
		{ HIP_KEY_RSA, HIP_HI_RSA, 0, 2048, 1 + 3 + 256 },
	};
	struct hip_identity *id = gen(want[_i].type);
	size_t len = 0;

	ck_assert_int_eq(hip_identity_algo(id), want[_i].algo);
	ck_assert_int_eq(hip_identity_curve(id), want[_i].curve);
	ck_assert_uint_eq(hip_identity_bits(id), want[_i].bits);
	ck_assert_int_eq(hip_identity_key_type(id), want[_i].type);
	ck_assert_int_eq(hip_identity_is_private(id), 1);
	ck_assert_int_eq(hip_hi_encode(id, NULL, 0, &len), 0);
	ck_assert_uint_eq(len, want[_i].hi_len);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_generate_rsa_default_and_exponent)
{
	struct hip_identity *id;
	uint8_t hi[HIP_HI_MAX_LEN];
	size_t len;

	ck_assert_int_eq(hip_identity_generate(HIP_KEY_RSA, 0, &id), 0);
	ck_assert_uint_eq(hip_identity_bits(id), HIP_RSA_DEFAULT_BITS);
	ck_assert_int_eq(hip_hi_encode(id, hi, sizeof(hi), &len), 0);
	/* e = 65537: e_len 3, 01 00 01, then the 384-octet modulus. */
	ck_assert_uint_eq(len, 1 + 3 + 384);
	ck_assert_uint_eq(hi[0], 3);
	ck_assert_uint_eq(hi[1], 0x01);
	ck_assert_uint_eq(hi[2], 0x00);
	ck_assert_uint_eq(hi[3], 0x01);
	ck_assert_uint_ge(hi[4], 0x80);	/* full-size modulus */
	hip_identity_free(id);
}
END_TEST

START_TEST(test_generate_bad_args)
{
	struct hip_identity *id = NULL;

	ck_assert_int_eq(hip_identity_generate(HIP_KEY_RSA, 1024, &id),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_identity_generate(HIP_KEY_RSA, 2049, &id),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_identity_generate(HIP_KEY_RSA, 32768, &id),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_identity_generate(HIP_KEY_ED25519, 2048, &id),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_identity_generate((enum hip_key_type)99, 0, &id),
			 HIP_EINVAL);
	ck_assert_ptr_null(id);
	hip_identity_free(NULL);
}
END_TEST

START_TEST(test_key_type_names)
{
	enum hip_key_type t;
	unsigned int bits;

	ck_assert_int_eq(hip_key_type_parse("ecdsa-p384", &t, &bits), 0);
	ck_assert_int_eq(t, HIP_KEY_ECDSA_P384);
	ck_assert_uint_eq(bits, 0);
	ck_assert_int_eq(hip_key_type_parse("rsa:4096", &t, &bits), 0);
	ck_assert_int_eq(t, HIP_KEY_RSA);
	ck_assert_uint_eq(bits, 4096);
	ck_assert_int_eq(hip_key_type_parse("rsa", &t, &bits), 0);
	ck_assert_uint_eq(bits, 0);
	ck_assert_int_eq(hip_key_type_parse("rsa:1024", &t, &bits), HIP_EINVAL);
	ck_assert_int_eq(hip_key_type_parse("rsa:", &t, &bits), HIP_EINVAL);
	ck_assert_int_eq(hip_key_type_parse("rsa:30x0", &t, &bits), HIP_EINVAL);
	ck_assert_int_eq(hip_key_type_parse("rsa:99999999999", &t, &bits),
			 HIP_EINVAL);
	ck_assert_int_eq(hip_key_type_parse("dsa", &t, &bits), HIP_EINVAL);
	ck_assert_int_eq(hip_key_type_parse("ED25519", &t, &bits), HIP_EINVAL);
	for (size_t i = 0; i < HIP_ARRAY_SIZE(all_types); i++) {
		ck_assert_int_eq(hip_key_type_parse(
				hip_key_type_name(all_types[i]), &t, &bits), 0);
		ck_assert_int_eq(t, all_types[i]);
	}
	ck_assert_str_eq(hip_key_type_name((enum hip_key_type)0), "?");
}
END_TEST

/* --- HI encoding ----------------------------------------------------- */

START_TEST(test_hi_roundtrip)
{
	struct hip_identity *id = gen(all_types[_i]), *back = NULL;
	uint8_t hi[HIP_HI_MAX_LEN], hi2[HIP_HI_MAX_LEN];
	size_t len, len2;
	char pem[4096];
	size_t pem_len;

	ck_assert_int_eq(hip_hi_encode(id, hi, sizeof(hi), &len), 0);
	ck_assert_int_eq(hip_hi_encode(id, hi2, len - 1, &len2), HIP_ENOSPC);
	ck_assert_int_eq(hip_hi_decode(hip_identity_algo(id), hi, len, &back),
			 0);
	ck_assert_int_eq(hip_identity_is_private(back), 0);
	ck_assert_int_eq(hip_identity_algo(back), hip_identity_algo(id));
	ck_assert_int_eq(hip_identity_curve(back), hip_identity_curve(id));
	ck_assert(hip_identity_public_eq(id, back));
	ck_assert_int_eq(hip_hi_encode(back, hi2, sizeof(hi2), &len2), 0);
	ck_assert_uint_eq(len, len2);
	ck_assert_mem_eq(hi, hi2, len);
	ck_assert_int_eq(hip_identity_public_pem(back, pem, sizeof(pem),
						 &pem_len), 0);
	ck_assert_uint_eq(strlen(pem), pem_len);
	ck_assert_ptr_nonnull(strstr(pem, "-----BEGIN PUBLIC KEY-----"));
	ck_assert_int_eq(hip_identity_public_pem(back, pem, 20, &pem_len),
			 HIP_ENOSPC);

	/* Every truncation is rejected, except that an RSA HI has no
	 * length of its own: a shorter, still valid modulus is another key
	 * (the HOST_ID's HI Length catches that). */
	for (size_t cut = 0; cut < len; cut++) {
		struct hip_identity *bad = NULL;
		int r = hip_hi_decode(hip_identity_algo(id), hi, cut, &bad);

		if (r == 0) {
			ck_assert_int_eq(hip_identity_algo(id), HIP_HI_RSA);
			ck_assert_uint_ge(cut, 1 + 3 + 128);
			ck_assert(!hip_identity_public_eq(id, bad));
			hip_identity_free(bad);
			continue;
		}
		ck_assert_int_lt(r, 0);
		ck_assert_ptr_null(bad);
	}
	hip_identity_free(back);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_hi_ecdsa_malformed)
{
	struct hip_identity *id = gen(HIP_KEY_ECDSA_P256), *bad = NULL;
	uint8_t hi[HIP_HI_MAX_LEN], tmp[HIP_HI_MAX_LEN];
	size_t len;

	ck_assert_int_eq(hip_hi_encode(id, hi, sizeof(hi), &len), 0);
	ck_assert_uint_eq(hip_get16(hi), HIP_ECDSA_CURVE_P256);
	ck_assert_uint_eq(hi[2], 0x04);

	/* Point not on the curve. */
	memcpy(tmp, hi, len);
	tmp[len - 1] ^= 0x01;
	ck_assert_int_eq(hip_hi_decode(HIP_HI_ECDSA, tmp, len, &bad),
			 HIP_EFORMAT);
	/* X = p (not a field element). */
	memcpy(tmp, hi, len);
	memset(tmp + 3, 0xff, 32);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_ECDSA, tmp, len, &bad),
			 HIP_EFORMAT);
	/* Compressed and hybrid forms are not what RFC 7401 carries. */
	memcpy(tmp, hi, len);
	tmp[2] = 0x02;
	ck_assert_int_eq(hip_hi_decode(HIP_HI_ECDSA, tmp, len, &bad),
			 HIP_EFORMAT);
	/* Unknown curve, and the P-384 id on a P-256 point. */
	memcpy(tmp, hi, len);
	hip_put16(tmp, 3);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_ECDSA, tmp, len, &bad),
			 HIP_EUNSUPPORTED);
	hip_put16(tmp, HIP_ECDSA_CURVE_P384);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_ECDSA, tmp, len, &bad),
			 HIP_ETRUNC);
	/* Trailing octet. */
	memcpy(tmp, hi, len);
	tmp[len] = 0;
	ck_assert_int_eq(hip_hi_decode(HIP_HI_ECDSA, tmp, len + 1, &bad),
			 HIP_ELEN);
	/* Same octets under another algorithm. */
	ck_assert_int_lt(hip_hi_decode(HIP_HI_RSA, hi, len, &bad), 0);
	ck_assert_int_lt(hip_hi_decode(HIP_HI_EDDSA, hi, len, &bad), 0);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_DSA, hi, len, &bad),
			 HIP_EUNSUPPORTED);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_ECDSA_LOW, hi, len, &bad),
			 HIP_EUNSUPPORTED);
	ck_assert_ptr_null(bad);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_hi_eddsa_malformed)
{
	struct hip_identity *id = gen(HIP_KEY_ED25519), *bad = NULL;
	uint8_t hi[HIP_HI_MAX_LEN], tmp[HIP_HI_MAX_LEN];
	size_t len;

	ck_assert_int_eq(hip_hi_encode(id, hi, sizeof(hi), &len), 0);
	ck_assert_uint_eq(hip_get16(hi), HIP_EDDSA_CURVE_ED25519);
	memcpy(tmp, hi, len);
	hip_put16(tmp, HIP_EDDSA_CURVE_ED25519PH);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_EDDSA, tmp, len, &bad),
			 HIP_EUNSUPPORTED);
	hip_put16(tmp, HIP_EDDSA_CURVE_ED448);	/* 32 octets, not 57 */
	ck_assert_int_eq(hip_hi_decode(HIP_HI_EDDSA, tmp, len, &bad),
			 HIP_ETRUNC);
	hip_put16(tmp, 77);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_EDDSA, tmp, len, &bad),
			 HIP_EUNSUPPORTED);
	memcpy(tmp, hi, len);
	tmp[len] = 0;
	ck_assert_int_eq(hip_hi_decode(HIP_HI_EDDSA, tmp, len + 1, &bad),
			 HIP_ELEN);
	ck_assert_ptr_null(bad);
	hip_identity_free(id);
}
END_TEST

/* Build an RSA HI: e_len | e | n with n = nlen octets of 0xff..fd. */
static size_t rsa_hi(uint8_t *hi, const uint8_t *e, size_t elen, size_t nlen)
{
	hi[0] = (uint8_t)elen;
	memcpy(hi + 1, e, elen);
	memset(hi + 1 + elen, 0xff, nlen);
	hi[elen + nlen] = 0xfd;
	return 1 + elen + nlen;
}

START_TEST(test_hi_rsa_malformed)
{
	static const uint8_t f4[] = { 0x01, 0x00, 0x01 };
	static const uint8_t even[] = { 0x01, 0x00, 0x02 };
	static const uint8_t one[] = { 0x01 };
	static const uint8_t lead0[] = { 0x00, 0x01, 0x00, 0x01 };
	static const uint8_t longe[9] = { 1, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct hip_identity *id = gen(HIP_KEY_RSA), *bad = NULL;
	uint8_t hi[HIP_HI_MAX_LEN + 8], tmp[HIP_HI_MAX_LEN + 8];
	size_t len, n;

	ck_assert_int_eq(hip_hi_encode(id, hi, sizeof(hi), &len), 0);
	/* A leading zero octet on the modulus. */
	memcpy(tmp, hi, 4);
	tmp[4] = 0;
	memcpy(tmp + 5, hi + 4, len - 4);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, len + 1, &bad),
			 HIP_EFORMAT);
	/* Long e_len form for a 3-octet exponent. */
	tmp[0] = 0;
	hip_put16(tmp + 1, 3);
	memcpy(tmp + 3, hi + 1, len - 1);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, len + 2, &bad),
			 HIP_EFORMAT);
	/* e_len longer than the field. */
	memcpy(tmp, hi, len);
	tmp[0] = 255;
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, 100, &bad),
			 HIP_ETRUNC);
	/* Only e, no modulus. */
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, hi, 4, &bad), HIP_ETRUNC);

	/* Tiny modulus (512 bits) and too large (16392 bits). */
	n = rsa_hi(tmp, f4, 3, 64);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, n, &bad),
			 HIP_EUNSUPPORTED);
	n = rsa_hi(tmp, f4, 3, 2049);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, n, &bad),
			 HIP_EUNSUPPORTED);
	/* Bad exponents: even, 1, leading zero, longer than 8 octets. */
	n = rsa_hi(tmp, even, 3, 256);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, n, &bad), HIP_EFORMAT);
	n = rsa_hi(tmp, one, 1, 256);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, n, &bad), HIP_EFORMAT);
	n = rsa_hi(tmp, lead0, 4, 256);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, n, &bad), HIP_EFORMAT);
	n = rsa_hi(tmp, longe, 9, 256);
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, n, &bad),
			 HIP_EUNSUPPORTED);
	/* Even modulus. */
	n = rsa_hi(tmp, f4, 3, 256);
	tmp[n - 1] = 0xfe;
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, n, &bad), HIP_EFORMAT);
	/* Odd modulus with a small factor: 2^2047 + 1 = 3 * ... */
	n = rsa_hi(tmp, f4, 3, 256);
	memset(tmp + 4, 0, 256);
	tmp[4] = 0x80;
	tmp[n - 1] = 0x01;
	ck_assert_int_eq(hip_hi_decode(HIP_HI_RSA, tmp, n, &bad), HIP_EFORMAT);
	ck_assert_ptr_null(bad);
	hip_identity_free(id);
}
END_TEST

/* --- HOST_ID value --------------------------------------------------- */

START_TEST(test_hostid_roundtrip)
{
	static const char fqdn[] = "host.example.org";
	struct hip_identity *id = gen(all_types[_i]), *back = NULL;
	struct hip_hostid_view v;
	uint8_t val[HIP_HOSTID_MAX_LEN], hi[HIP_HI_MAX_LEN];
	size_t len, qlen, hi_len;

	ck_assert_int_eq(hip_hi_encode(id, hi, sizeof(hi), &hi_len), 0);
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_FQDN, fqdn,
					   strlen(fqdn), NULL, 0, &qlen), 0);
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_FQDN, fqdn,
					   strlen(fqdn), val, sizeof(val),
					   &len), 0);
	ck_assert_uint_eq(len, qlen);
	ck_assert_uint_eq(len, 6 + hi_len + strlen(fqdn));
	/* Header: HI Length | DI-type 1, DI Length | Algorithm */
	ck_assert_uint_eq(hip_get16(val), hi_len);
	ck_assert_uint_eq(hip_get16(val + 2), 0x1000 | strlen(fqdn));
	ck_assert_uint_eq(hip_get16(val + 4), hip_identity_algo(id));
	ck_assert_mem_eq(val + 6, hi, hi_len);
	ck_assert_mem_eq(val + 6 + hi_len, fqdn, strlen(fqdn));
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_FQDN, fqdn,
					   strlen(fqdn), val, len - 1, &qlen),
			 HIP_ENOSPC);

	ck_assert_int_eq(hip_hostid_decode(val, len, &v, &back), 0);
	ck_assert_uint_eq(v.algo, hip_identity_algo(id));
	ck_assert_uint_eq(v.di_type, HIP_DI_FQDN);
	ck_assert_uint_eq(v.di_len, strlen(fqdn));
	ck_assert_mem_eq(v.di, fqdn, v.di_len);
	ck_assert_uint_eq(v.hi_len, hi_len);
	ck_assert(hip_identity_public_eq(id, back));
	ck_assert_int_eq(hip_identity_is_private(back), 0);
	hip_identity_free(back);

	/* Without a DI. */
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_NONE, NULL, 0, val,
					   sizeof(val), &len), 0);
	ck_assert_uint_eq(len, 6 + hi_len);
	ck_assert_uint_eq(hip_get16(val + 2), 0);
	ck_assert_int_eq(hip_hostid_parse(val, len, &v), 0);
	ck_assert_ptr_null(v.di);
	ck_assert_uint_eq(v.di_len, 0);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_hostid_malformed)
{
	static const char nai[] = "alice@example.org";
	struct hip_identity *id = gen(HIP_KEY_ED25519), *bad = NULL;
	struct hip_hostid_view v;
	uint8_t val[256], tmp[256];
	size_t len;

	memset(&v, 0xa5, sizeof(v));
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_NAI, nai, strlen(nai),
					   val, sizeof(val), &len), 0);
	ck_assert_int_eq(hip_hostid_parse(val, len, &v), 0);
	ck_assert_uint_eq(v.di_type, HIP_DI_NAI);

	/* Encoder argument checks. */
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_FQDN, "a b", 3, val,
					   sizeof(val), &len), HIP_EINVAL);
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_FQDN, "", 0, val,
					   sizeof(val), &len), HIP_EINVAL);
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_NONE, "x", 1, val,
					   sizeof(val), &len), HIP_EINVAL);
	ck_assert_int_eq(hip_hostid_encode(id, 3, "x", 1, val, sizeof(val),
					   &len), HIP_EINVAL);
	ck_assert_int_eq(hip_hostid_encode(id, HIP_DI_NAI, nai, strlen(nai),
					   val, sizeof(val), &len), 0);

	for (size_t cut = 0; cut < len; cut++)
		ck_assert_int_eq(hip_hostid_parse(val, cut, &v), HIP_ETRUNC);
	memcpy(tmp, val, len);
	tmp[len] = 0;
	ck_assert_int_eq(hip_hostid_parse(tmp, len + 1, &v), HIP_ELEN);
	/* HI Length 0. */
	memcpy(tmp, val, len);
	hip_put16(tmp, 0);
	ck_assert_int_eq(hip_hostid_parse(tmp, len, &v), HIP_ELEN);
	/* DI type 3, and type NONE with a DI. */
	memcpy(tmp, val, len);
	tmp[2] = (uint8_t)((tmp[2] & 0x0f) | 0x30);
	ck_assert_int_eq(hip_hostid_parse(tmp, len, &v), HIP_EFORMAT);
	tmp[2] &= 0x0f;
	ck_assert_int_eq(hip_hostid_parse(tmp, len, &v), HIP_EFORMAT);
	/* A control character in the DI. */
	memcpy(tmp, val, len);
	tmp[len - 1] = '\n';
	ck_assert_int_eq(hip_hostid_parse(tmp, len, &v), HIP_EFORMAT);
	/* Algorithm field changed: HI no longer decodes. */
	memcpy(tmp, val, len);
	hip_put16(tmp + 4, HIP_HI_ECDSA);
	ck_assert_int_lt(hip_hostid_decode(tmp, len, NULL, &bad), 0);
	ck_assert_ptr_null(bad);
	/* *view untouched by failures: di_type still NAI. */
	ck_assert_uint_eq(v.di_type, HIP_DI_NAI);
	hip_identity_free(id);
}
END_TEST

/* --- key files ------------------------------------------------------- */

static char tmpdir[64];

static void setup_dir(void)
{
	strcpy(tmpdir, "/tmp/test_identity.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void path_in(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *data, size_t len,
		       mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

/* Write an OpenSSL key as PEM (private, or public when pub). */
static void write_pkey(const char *path, EVP_PKEY *pkey, int pub,
		       int encrypted)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;

	ck_assert_ptr_nonnull(pkey);
	if (pub)
		ck_assert_int_eq(PEM_write_bio_PUBKEY(bio, pkey), 1);
	else if (encrypted)
		ck_assert_int_eq(PEM_write_bio_PKCS8PrivateKey(
				bio, pkey, EVP_aes_256_cbc(), "pw", 2, NULL,
				NULL), 1);
	else
		ck_assert_int_eq(PEM_write_bio_PrivateKey(bio, pkey, NULL,
							  NULL, 0, NULL, NULL),
				 1);
	n = BIO_get_mem_data(bio, &data);
	write_file(path, data, (size_t)n, 0600);
	BIO_free(bio);
}

START_TEST(test_file_roundtrip)
{
	struct hip_identity *id = gen(all_types[_i]), *back = NULL;
	char path[128], err[HIP_ERRBUF_LEN];
	uint8_t h1[HIP_HIT_LEN], h2[HIP_HIT_LEN];
	struct stat st;
	FILE *f;
	char line[64];

	path_in(path, sizeof(path), "hi.pem");
	ck_assert_int_eq(hip_identity_save(id, path, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	ck_assert_str_eq(line, "-----BEGIN PRIVATE KEY-----\n");	/* PKCS#8 */

	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 0);
	ck_assert_int_eq(hip_identity_is_private(back), 1);
	ck_assert(hip_identity_public_eq(id, back));
	ck_assert_int_eq(hip_hit_from_identity(id, h1), 0);
	ck_assert_int_eq(hip_hit_from_identity(back, h2), 0);
	ck_assert_mem_eq(h1, h2, HIP_HIT_LEN);
	hip_identity_free(back);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_file_no_overwrite)
{
	struct hip_identity *a = gen(HIP_KEY_ED25519), *b = gen(HIP_KEY_ED25519);
	struct hip_identity *back = NULL;
	char path[128], err[HIP_ERRBUF_LEN];
	FILE *p;
	char cmd[160], out[16];

	path_in(path, sizeof(path), "key");
	ck_assert_int_eq(hip_identity_save(a, path, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(hip_identity_save(b, path, 0, err, sizeof(err)),
			 HIP_EEXIST);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_int_eq(hip_identity_load(path, 0, &back, NULL, 0), 0);
	ck_assert(hip_identity_public_eq(a, back));
	hip_identity_free(back);
	ck_assert_int_eq(hip_identity_save(b, path, HIP_KEYFILE_FORCE, err,
					   sizeof(err)), 0);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, NULL, 0), 0);
	ck_assert(hip_identity_public_eq(b, back));
	hip_identity_free(back);

	/* No temporary files are left behind. */
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", tmpdir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	pclose(p);
	ck_assert_int_eq(atoi(out), 1);

	/* Public-only identities and bad directories cannot be saved. */
	ck_assert_int_eq(hip_identity_dup_public(a, &back), 0);
	path_in(path, sizeof(path), "pub");
	ck_assert_int_eq(hip_identity_save(back, path, 0, err, sizeof(err)),
			 HIP_EINVAL);
	hip_identity_free(back);
	path_in(path, sizeof(path), "nodir/key");
	ck_assert_int_eq(hip_identity_save(a, path, 0, err, sizeof(err)),
			 HIP_EIO);
	ck_assert_ptr_nonnull(strstr(err, "nodir"));
	hip_identity_free(a);
	hip_identity_free(b);
}
END_TEST

START_TEST(test_file_permissions)
{
	struct hip_identity *id = gen(HIP_KEY_ECDSA_P256), *back = NULL;
	char path[128], err[HIP_ERRBUF_LEN];

	path_in(path, sizeof(path), "hi.pem");
	ck_assert_int_eq(hip_identity_save(id, path, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(chmod(path, 0644), 0);
	err[0] = '\0';
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 HIP_EPERM);
	ck_assert_ptr_null(back);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "0644"));
	ck_assert_int_eq(chmod(path, 0620), 0);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, NULL, 0), HIP_EPERM);
	ck_assert_int_eq(chmod(path, 0604), 0);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, NULL, 0), HIP_EPERM);
	ck_assert_int_eq(hip_identity_load(path, HIP_KEYFILE_ALLOW_INSECURE,
					   &back, NULL, 0), 0);
	hip_identity_free(back);
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, NULL, 0), 0);
	hip_identity_free(back);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_file_errors)
{
	static const char garbage[] = "this is not a key\n";
	struct hip_identity *id = gen(HIP_KEY_ECDSA_P384), *back = NULL;
	char path[128], err[HIP_ERRBUF_LEN];
	char *pem;
	size_t len;
	FILE *f;

	path_in(path, sizeof(path), "missing.pem");
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 HIP_ENOENT);
	ck_assert_ptr_nonnull(strstr(err, path));

	/* A directory is not readable as a key. */
	ck_assert_int_eq(hip_identity_load(tmpdir, 0, &back, err, sizeof(err)),
			 HIP_EIO);

	path_in(path, sizeof(path), "garbage.pem");
	write_file(path, garbage, strlen(garbage), 0600);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 HIP_EFORMAT);
	ck_assert_str_eq(strchr(err, ':'),
			 ": not a private key in PEM format");
	ck_assert_int_eq(strncmp(err, path, strlen(path)), 0);

	/* Empty and truncated PEM. */
	write_file(path, "", 0, 0600);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, NULL, 0),
			 HIP_EFORMAT);
	path_in(path, sizeof(path), "good.pem");
	ck_assert_int_eq(hip_identity_save(id, path, 0, err, sizeof(err)), 0);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	pem = calloc(1, 4096);
	len = fread(pem, 1, 4095, f);
	fclose(f);
	path_in(path, sizeof(path), "trunc.pem");
	write_file(path, pem, len / 2, 0600);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, NULL, 0),
			 HIP_EFORMAT);
	free(pem);
	ck_assert_ptr_null(back);
	hip_identity_free(id);
}
END_TEST

START_TEST(test_file_foreign_keys)
{
	struct hip_identity *back = NULL;
	char path[128], err[HIP_ERRBUF_LEN];
	EVP_PKEY *pkey;

	/* secp256k1, X25519 and a 512-bit RSA key parse but HIP cannot use
	 * them. */
	path_in(path, sizeof(path), "k1.pem");
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
	write_pkey(path, pkey, 0, 0);
	EVP_PKEY_free(pkey);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 HIP_EUNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(err, "not supported"));

	path_in(path, sizeof(path), "x25519.pem");
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	write_pkey(path, pkey, 0, 0);
	EVP_PKEY_free(pkey);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 HIP_EUNSUPPORTED);

	path_in(path, sizeof(path), "rsa512.pem");
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)512);
	write_pkey(path, pkey, 0, 0);
	EVP_PKEY_free(pkey);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 HIP_EUNSUPPORTED);

	/* Encrypted PKCS#8: refused, never prompts. */
	path_in(path, sizeof(path), "enc.pem");
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	write_pkey(path, pkey, 0, 1);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 HIP_EUNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(err, "encrypted"));

	/* Traditional (non-PKCS#8) EC private keys are accepted. */
	path_in(path, sizeof(path), "trad.pem");
	{
		EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		BIO *bio = BIO_new(BIO_s_mem());
		char *data;
		long n;

		ck_assert_int_eq(PEM_write_bio_PrivateKey_traditional(
				bio, ec, NULL, NULL, 0, NULL, NULL), 1);
		n = BIO_get_mem_data(bio, &data);
		ck_assert_ptr_nonnull(strstr(data, "EC PRIVATE KEY"));
		write_file(path, data, (size_t)n, 0600);
		BIO_free(bio);
		EVP_PKEY_free(ec);
	}
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 0);
	ck_assert_int_eq(hip_identity_curve(back), HIP_ECDSA_CURVE_P256);
	hip_identity_free(back);
	back = NULL;

	/* A public RSA key whose modulus fails the public key check (found
	 * by fuzz_keyfile): loading must fail, not hand out a key whose HI
	 * hip_hi_decode would refuse. */
	{
		uint8_t nbuf[256];
		BIGNUM *bn_n, *bn_e;
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		OSSL_PARAM *params;
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA",
							       NULL);
		EVP_PKEY *rsa = NULL;

		memset(nbuf, 0, sizeof(nbuf));
		nbuf[0] = 0x80;
		nbuf[255] = 0x01;	/* 2^2047 + 1, divisible by 3 */
		bn_n = BN_bin2bn(nbuf, sizeof(nbuf), NULL);
		bn_e = BN_new();
		ck_assert(BN_set_word(bn_e, 65537));
		ck_assert(OSSL_PARAM_BLD_push_BN(bld, "n", bn_n));
		ck_assert(OSSL_PARAM_BLD_push_BN(bld, "e", bn_e));
		params = OSSL_PARAM_BLD_to_param(bld);
		ck_assert_int_eq(EVP_PKEY_fromdata_init(ctx), 1);
		ck_assert_int_eq(EVP_PKEY_fromdata(ctx, &rsa,
						   EVP_PKEY_PUBLIC_KEY, params),
				 1);
		path_in(path, sizeof(path), "badrsa.pem");
		write_pkey(path, rsa, 1, 0);
		ck_assert_int_eq(hip_identity_load(path, HIP_KEYFILE_PUBLIC_OK,
						   &back, err, sizeof(err)),
				 HIP_EFORMAT);
		ck_assert_ptr_nonnull(strstr(err, "invalid key"));
		ck_assert_ptr_null(back);
		EVP_PKEY_free(rsa);
		EVP_PKEY_CTX_free(ctx);
		OSSL_PARAM_free(params);
		OSSL_PARAM_BLD_free(bld);
		BN_free(bn_n);
		BN_free(bn_e);
	}

	/* Public keys: only with HIP_KEYFILE_PUBLIC_OK, any mode. */
	path_in(path, sizeof(path), "pub.pem");
	write_pkey(path, pkey, 1, 0);
	EVP_PKEY_free(pkey);
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(hip_identity_load(path, 0, &back, err, sizeof(err)),
			 HIP_EFORMAT);
	ck_assert_ptr_nonnull(strstr(err, "public key"));
	ck_assert_int_eq(hip_identity_load(path, HIP_KEYFILE_PUBLIC_OK, &back,
					   err, sizeof(err)), 0);
	ck_assert_int_eq(hip_identity_is_private(back), 0);
	ck_assert_int_eq(hip_identity_algo(back), HIP_HI_EDDSA);
	hip_identity_free(back);
}
END_TEST

static Suite *identity_suite(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("core");
	TCase *files = tcase_create("files");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_generate_types, 0,
			    (int)HIP_ARRAY_SIZE(all_types));
	tcase_add_test(tc, test_generate_rsa_default_and_exponent);
	tcase_add_test(tc, test_generate_bad_args);
	tcase_add_test(tc, test_key_type_names);
	tcase_add_loop_test(tc, test_hi_roundtrip, 0,
			    (int)HIP_ARRAY_SIZE(all_types));
	tcase_add_test(tc, test_hi_ecdsa_malformed);
	tcase_add_test(tc, test_hi_eddsa_malformed);
	tcase_add_test(tc, test_hi_rsa_malformed);
	tcase_add_loop_test(tc, test_hostid_roundtrip, 0,
			    (int)HIP_ARRAY_SIZE(all_types));
	tcase_add_test(tc, test_hostid_malformed);
	suite_add_tcase(s, tc);

	tcase_set_timeout(files, 120);
	tcase_add_checked_fixture(files, setup_dir, teardown_dir);
	tcase_add_loop_test(files, test_file_roundtrip, 0,
			    (int)HIP_ARRAY_SIZE(all_types));
	tcase_add_test(files, test_file_no_overwrite);
	tcase_add_test(files, test_file_permissions);
	tcase_add_test(files, test_file_errors);
	tcase_add_test(files, test_file_foreign_keys);
	suite_add_tcase(s, files);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(identity_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
