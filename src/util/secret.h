/* secret.h: random tokens, token hashes, constant-time compare and password hashing (libsodium). */
#ifndef CXM_SECRET_H
#define CXM_SECRET_H

#include <stdbool.h>
#include <stddef.h>

enum {
	SECRET_TOKEN_BYTES = 32,                 /* 256 random bits */
	SECRET_TOKEN_TEXT = 44,                  /* base64url, no padding, + NUL */
	SECRET_HASH_BYTES = 32,
	SECRET_HASH_TEXT = 65,                   /* hex + NUL */
	SECRET_PASSWORD_MIN = 12,                /* characters (code points) */
	SECRET_PASSWORD_MAX = 256,               /* bytes */
	SECRET_PWHASH_TEXT = 128,                /* crypto_pwhash_STRBYTES */
};

/* Initialises libsodium; call once before any other function here.
 * Returns 0, or -1 when the library cannot start. */
int secret_init(void);

/* Fills out (SECRET_TOKEN_TEXT bytes) with a new random token: 32 bytes
 * from the kernel's CSPRNG, base64url without padding. */
void secret_token(char out[SECRET_TOKEN_TEXT]);

/* Like secret_token, with a readable prefix ("cxm_" + token) for API
 * tokens, so leaked tokens are easy to recognise.  out needs
 * SECRET_TOKEN_TEXT + 4 bytes. */
void secret_api_token(char *out, size_t cap);

/* Hashes a token for storage: hex BLAKE2b-256 of the text.  Tokens carry
 * 256 bits of entropy, so a fast hash is enough (no salt, no stretching);
 * a stolen database still yields no usable token. */
void secret_token_hash(const char *token, char out[SECRET_HASH_TEXT]);

/* Hex SHA-256 of data[0..len) into out (lower case, NUL-terminated):
 * content fingerprints, such as an imported model file's. */
void secret_sha256_hex(const void *data, size_t len,
		       char out[SECRET_HASH_TEXT]);

/* Constant-time equality of two byte strings of the same length; false
 * when the lengths differ (which leaks only the length). */
bool secret_equal(const void *a, size_t alen, const void *b, size_t blen);

/* Hashes a password with Argon2id (libsodium's interactive limits) into
 * out (SECRET_PWHASH_TEXT).  Returns 0, or -1 when out of memory. */
int secret_password_hash(const char *password, char out[SECRET_PWHASH_TEXT]);

/* True when password matches the stored Argon2id hash. */
bool secret_password_verify(const char *stored, const char *password);

/* Checks a new password: at least SECRET_PASSWORD_MIN characters, at most
 * SECRET_PASSWORD_MAX bytes, valid UTF-8 without control characters.
 * Returns NULL when acceptable, else a message for the user. */
const char *secret_password_problem(const char *password);

/* A random password for `cxm user add` without stdin: 20 characters from
 * an unambiguous alphabet.  out needs 21 bytes. */
void secret_password_generate(char out[21]);

/* Overwrites len bytes at p with zeros in a way the compiler keeps. */
void secret_wipe(void *p, size_t len);

#endif
