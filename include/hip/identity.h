/*
 * hip/identity.h - host identities: key generation, the HOST_ID
 * parameter's "Host Identity" encoding (RFC 7401 5.2.9, RFC 3110,
 * RFC 9374 3.4.1), signatures (RFC 7401 5.2.14-15) and key files.
 *
 * A struct hip_identity wraps one public key, with or without its
 * private half.  Supported algorithms:
 *
 *   HIP_HI_RSA    RSA 1024..16384 bits (generation: 2048 and up), RSA-PSS
 *                 with SHA-256, MGF1-SHA-256, salt length 32
 *   HIP_HI_ECDSA  P-256 (curve 1) and P-384 (curve 2); ECDSA with the
 *                 HIT suite's RHASH (SHA-384), signature r | s fixed width
 *   HIP_HI_EDDSA  Ed25519 (curve 1) and Ed448 (curve 3), pure EdDSA
 */
#ifndef HIP_IDENTITY_H
#define HIP_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

struct hip_identity;

/* Key types for generation and for the "--type" names of hipconf. */
enum hip_key_type {
	HIP_KEY_RSA = 1,
	HIP_KEY_ECDSA_P256,
	HIP_KEY_ECDSA_P384,
	HIP_KEY_ED25519,
	HIP_KEY_ED448,
};

#define HIP_RSA_DEFAULT_BITS	3072
#define HIP_RSA_MIN_GEN_BITS	2048	/* smallest size we generate */
#define HIP_RSA_MIN_BITS	1024	/* smallest modulus we accept */
#define HIP_RSA_MAX_BITS	16384
#define HIP_RSA_MAX_E_LEN	8	/* exponent octets we accept */

/* Largest "Host Identity" field: RSA 16384 with a long exponent. */
#define HIP_HI_MAX_LEN		(1 + HIP_RSA_MAX_E_LEN + HIP_RSA_MAX_BITS / 8)
/* Largest signature: RSA 16384. */
#define HIP_SIG_MAX_LEN		(HIP_RSA_MAX_BITS / 8)
/* Longest domain identifier in a HOST_ID (12-bit length field). */
#define HIP_DI_MAX_LEN		4095
/* Largest HOST_ID parameter value (without TLV header and padding). */
#define HIP_HOSTID_MAX_LEN	(6 + HIP_HI_MAX_LEN + HIP_DI_MAX_LEN)

/* --- life cycle ---------------------------------------------------- */

/* Generate a new key pair.  rsa_bits is used for HIP_KEY_RSA only
 * (0 = HIP_RSA_DEFAULT_BITS; 2048..16384, a multiple of 8) and must be
 * 0 for the others.  Returns 0, HIP_EINVAL, HIP_ENOMEM or HIP_ECRYPTO. */
int hip_identity_generate(enum hip_key_type type, unsigned int rsa_bits,
			  struct hip_identity **out);

/* Release an identity (NULL is fine); private key material is wiped. */
void hip_identity_free(struct hip_identity *id);

/* A new public-only identity with the same public key. */
int hip_identity_dup_public(const struct hip_identity *id,
			    struct hip_identity **out);

/* HIP_HI_RSA, HIP_HI_ECDSA or HIP_HI_EDDSA (also the signature
 * algorithm ID of its signatures). */
int hip_identity_algo(const struct hip_identity *id);

/* HIP_ECDSA_CURVE_* or HIP_EDDSA_CURVE_*; 0 for RSA. */
int hip_identity_curve(const struct hip_identity *id);

enum hip_key_type hip_identity_key_type(const struct hip_identity *id);

/* Modulus or curve size in bits. */
unsigned int hip_identity_bits(const struct hip_identity *id);

/* 1 when the private key is present, 0 otherwise. */
int hip_identity_is_private(const struct hip_identity *id);

/* 1 when a and b hold the same public key, 0 otherwise. */
int hip_identity_public_eq(const struct hip_identity *a,
			   const struct hip_identity *b);

/* Key type names: "rsa", "ecdsa-p256", "ecdsa-p384", "ed25519", "ed448".
 * hip_key_type_parse also accepts "rsa:BITS".  Returns 0 or HIP_EINVAL;
 * *bits is set to 0 unless BITS was given. */
int hip_key_type_parse(const char *name, enum hip_key_type *type,
		       unsigned int *bits);
const char *hip_key_type_name(enum hip_key_type type);	/* "?" if bad */

/* --- the HOST_ID "Host Identity" field ----------------------------- */

/* Encode the public key as the HI field of its algorithm:
 * RSA: e_len(1, or 0 + 2) | e | n (RFC 3110, no leading zero octets);
 * ECDSA: Curve(2) | 0x04 | X | Y (X, Y padded to the field size);
 * EdDSA: Curve(2) | public key (32 or 57 octets).
 * With out == NULL only *len is set.  Returns 0, HIP_ENOSPC or
 * HIP_ECRYPTO. */
int hip_hi_encode(const struct hip_identity *id, uint8_t *out, size_t cap,
		  size_t *len);

/* Decode and validate an HI field of algorithm algo into a new
 * public-only identity.  Returns 0, HIP_ETRUNC, HIP_ELEN, HIP_EFORMAT
 * (bad encoding, point not on the curve, exponent not acceptable),
 * HIP_EUNSUPPORTED (algorithm, curve or RSA size) or HIP_ENOMEM. */
int hip_hi_decode(int algo, const uint8_t *hi, size_t len,
		  struct hip_identity **out);

/* --- the HOST_ID parameter value ----------------------------------- */

/* The parsed HOST_ID value: pointers into the caller's buffer. */
struct hip_hostid_view {
	uint16_t algo;		/* HIP_HI_* */
	uint8_t di_type;	/* HIP_DI_* */
	const uint8_t *hi;	/* the Host Identity field */
	size_t hi_len;
	const uint8_t *di;	/* the domain identifier, not NUL-terminated */
	size_t di_len;
};

/* Encode HI Length(2) | DI-type(4b) DI Length(12b) | Algorithm(2) | HI | DI
 * (no TLV header, no padding).  di_type HIP_DI_NONE requires di_len 0;
 * FQDN and NAI must be 1..4095 octets without spaces or control
 * characters (UTF-8 is allowed).
 * With out == NULL only *len is set.  Returns 0, HIP_EINVAL, HIP_ENOSPC
 * or HIP_ECRYPTO. */
int hip_hostid_encode(const struct hip_identity *id, int di_type,
		      const char *di, size_t di_len, uint8_t *out, size_t cap,
		      size_t *len);

/* Split a HOST_ID value (exactly len octets, as the TLV length says) and
 * check its lengths and DI; the HI itself is not decoded.  Returns 0,
 * HIP_ETRUNC, HIP_ELEN or HIP_EFORMAT; *view is written only on success. */
int hip_hostid_parse(const uint8_t *val, size_t len,
		     struct hip_hostid_view *view);

/* hip_hostid_parse followed by hip_hi_decode; view may be NULL. */
int hip_hostid_decode(const uint8_t *val, size_t len,
		      struct hip_hostid_view *view, struct hip_identity **out);

/* --- signatures ---------------------------------------------------- */

/* Length of this identity's signatures in octets. */
size_t hip_sig_len(const struct hip_identity *id);

/* Sign msg with the private key.  *sig_algo receives the HIP signature
 * algorithm ID (may be NULL).  Returns 0, HIP_EINVAL (public-only
 * identity), HIP_ENOSPC or HIP_ECRYPTO. */
int hip_sign(const struct hip_identity *id, const uint8_t *msg,
	     size_t msg_len, uint8_t *sig, size_t cap, size_t *sig_len,
	     uint16_t *sig_algo);

/* Verify a signature of algorithm sig_algo (from the HIP_SIGNATURE
 * parameter) over msg.  Returns 0 or HIP_EVERIFY (also when sig_algo
 * is not the identity's algorithm or the length is wrong); HIP_ENOMEM or
 * HIP_ECRYPTO when the check could not be made. */
int hip_verify(const struct hip_identity *id, uint16_t sig_algo,
	       const uint8_t *msg, size_t msg_len, const uint8_t *sig,
	       size_t sig_len);

/* --- key files ----------------------------------------------------- */

/* Flags of the load and save functions. */
#define HIP_KEYFILE_ALLOW_INSECURE	0x1  /* load: accept group/other bits */
#define HIP_KEYFILE_PUBLIC_OK		0x2  /* load: accept a public key */
#define HIP_KEYFILE_FORCE		0x4  /* save: replace an existing file */

/* Error text buffers: when errbuf is not NULL, a failure writes one line
 * without newline naming the file and the reason, e.g.
 * "/etc/hipd/hi.pem: group or others can access the file (mode 0644)". */
#define HIP_ERRBUF_LEN	256

/* Load a PEM key file (PKCS#8 or traditional private key; a
 * SubjectPublicKeyInfo public key with HIP_KEYFILE_PUBLIC_OK).  A
 * private key file that group or others may access is refused unless
 * HIP_KEYFILE_ALLOW_INSECURE.  Returns 0, HIP_ENOENT, HIP_EIO, HIP_EPERM,
 * HIP_EFORMAT (not a key in PEM format), HIP_EUNSUPPORTED (key type or
 * curve not usable for HIP, encrypted key) or HIP_ENOMEM. */
int hip_identity_load(const char *path, unsigned int flags,
		      struct hip_identity **out, char *errbuf, size_t errcap);

/* The parser behind hip_identity_load, on a buffer; name is used in
 * error messages (may be NULL).  HIP_KEYFILE_PUBLIC_OK is honoured. */
int hip_identity_load_mem(const uint8_t *pem, size_t len, unsigned int flags,
			  const char *name, struct hip_identity **out,
			  char *errbuf, size_t errcap);

/* Write the private key as PKCS#8 PEM, mode 0600, atomically (temporary
 * file in the same directory, fsync, rename, fsync of the directory).
 * An existing file is kept unless HIP_KEYFILE_FORCE.  Returns 0,
 * HIP_EINVAL (no private key), HIP_EEXIST, HIP_EIO, HIP_ENOMEM or
 * HIP_ECRYPTO. */
int hip_identity_save(const struct hip_identity *id, const char *path,
		      unsigned int flags, char *errbuf, size_t errcap);

/* The public key as SubjectPublicKeyInfo PEM text (NUL-terminated,
 * *len excludes the NUL).  Returns 0, HIP_ENOSPC or HIP_ECRYPTO. */
int hip_identity_public_pem(const struct hip_identity *id, char *out,
			    size_t cap, size_t *len);

#endif
