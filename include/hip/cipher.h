/*
 * hip/cipher.h - the ENCRYPTED parameter (RFC 7401 5.2.18) with the
 * negotiated HIP_CIPHER (5.2.8).
 *
 * Value = Reserved(4, zero) | IV(block size; absent for NULL) |
 * ciphertext.  The plaintext is one or more whole HIP parameters (each
 * padded to 8 octets), e.g. the HOST_ID of an I2.  AES-CBC needs whole
 * blocks and defines no padding, so (5.2.18) padding is added as RFC
 * 4303 2.4 specifies (octets 1, 2, 3, ...) up to the block boundary,
 * and none when the parameters already fill whole blocks.  NULL-ENCRYPT
 * carries the parameters as they are.  The key is the sender's HIP
 * encryption key from KEYMAT (RFC 7401 6.5).
 */
#ifndef HIP_CIPHER_H
#define HIP_CIPHER_H

#include <stddef.h>
#include <stdint.h>

#include "hip/suite.h"

#define HIP_ENCRYPTED_RESERVED_LEN	4

/* Length of the ENCRYPTED value for plain_len octets; 0 if unsupported. */
size_t hip_cipher_encrypted_len(int cipher_id, size_t plain_len);

/* Encrypt whole parameters (plain must be one or more complete TLVs)
 * with a fresh random IV.  HIP_EUNSUPPORTED, HIP_ELEN (wrong key
 * length), HIP_EFORMAT (not whole TLVs), HIP_ENOSPC, HIP_ECRYPTO. */
int hip_cipher_encrypt(int cipher_id, const uint8_t *key, size_t key_len,
		       const uint8_t *plain, size_t plain_len,
		       uint8_t *out, size_t cap, size_t *outlen);

/* The same with a caller-chosen IV (iv_len = block size; tests and
 * known-answer checks only: an IV must never repeat under one key). */
int hip_cipher_encrypt_iv(int cipher_id, const uint8_t *key,
			  size_t key_len, const uint8_t *iv, size_t iv_len,
			  const uint8_t *plain, size_t plain_len,
			  uint8_t *out, size_t cap, size_t *outlen);

/* Decrypt an ENCRYPTED value into the parameters it carries: *outlen
 * ends where the last whole TLV (by its own Length) ends, and the
 * padding after it is dropped without its content being looked at, so
 * both RFC 4303-style and PKCS#7 senders are understood.  HIP_EFORMAT
 * when the length cannot be Reserved | IV | whole blocks (or, for NULL,
 * is not whole TLVs), HIP_EVERIFY when the plaintext does not start
 * with a TLV or more than one block follows the TLVs, HIP_ENOSPC,
 * HIP_ELEN (key length).  out needs value_len octets; nothing is left
 * in it on failure.  Integrity comes from the packet's HIP_MAC, which
 * must be checked before decrypting. */
int hip_cipher_decrypt(int cipher_id, const uint8_t *key, size_t key_len,
		       const uint8_t *value, size_t value_len,
		       uint8_t *out, size_t cap, size_t *outlen);

#endif
