/*
 * hip/cipher.h - the ENCRYPTED parameter (RFC 7401 5.2.18) with the
 * negotiated HIP_CIPHER (5.2.8).
 *
 * Value = Reserved(4, zero) | IV(block size; absent for NULL) |
 * ciphertext.  The plaintext (one or more whole, 8-octet padded
 * parameters such as HOST_ID) is padded to the cipher's block size as
 * PKCS#5/#7 specifies before CBC encryption; NULL-ENCRYPT carries it
 * as is.  The key is the sender's HIP encryption key from KEYMAT.
 */
#ifndef HIP_CIPHER_H
#define HIP_CIPHER_H

#include <stddef.h>
#include <stdint.h>

#include "hip/suite.h"

#define HIP_ENCRYPTED_RESERVED_LEN	4

/* Length of the ENCRYPTED value for plain_len octets; 0 if unsupported. */
size_t hip_cipher_encrypted_len(int cipher_id, size_t plain_len);

/* Encrypt with a fresh random IV.  HIP_EUNSUPPORTED, HIP_ELEN (wrong key
 * length), HIP_ENOSPC, HIP_ECRYPTO. */
int hip_cipher_encrypt(int cipher_id, const uint8_t *key, size_t key_len,
		       const uint8_t *plain, size_t plain_len,
		       uint8_t *out, size_t cap, size_t *outlen);

/* The same with a caller-chosen IV (iv_len = block size; tests and
 * known-answer checks only: an IV must never repeat under one key). */
int hip_cipher_encrypt_iv(int cipher_id, const uint8_t *key,
			  size_t key_len, const uint8_t *iv, size_t iv_len,
			  const uint8_t *plain, size_t plain_len,
			  uint8_t *out, size_t cap, size_t *outlen);

/* Decrypt an ENCRYPTED value.  HIP_EFORMAT when the length cannot be
 * Reserved | IV | whole blocks, HIP_EVERIFY when the padding is wrong
 * (checked without data-dependent branches), HIP_ENOSPC, HIP_ELEN.
 * out needs value_len octets; nothing is left in it on failure. */
int hip_cipher_decrypt(int cipher_id, const uint8_t *key, size_t key_len,
		       const uint8_t *value, size_t value_len,
		       uint8_t *out, size_t cap, size_t *outlen);

#endif
