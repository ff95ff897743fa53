/* secret.c: every use of randomness and hashing goes through libsodium. */
#include "secret.h"

#include "utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int secret_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void secret_token(char out[SECRET_TOKEN_TEXT])
{
	unsigned char raw[SECRET_TOKEN_BYTES];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SECRET_TOKEN_TEXT, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void secret_api_token(char *out, size_t cap)
{
	char t[SECRET_TOKEN_TEXT];

	secret_token(t);
	snprintf(out, cap, "cxm_%s", t);
	sodium_memzero(t, sizeof t);
}

void secret_token_hash(const char *token, char out[SECRET_HASH_TEXT])
{
	unsigned char h[SECRET_HASH_BYTES];

	crypto_generichash(h, sizeof h, (const unsigned char *)token,
			   strlen(token), NULL, 0);
	sodium_bin2hex(out, SECRET_HASH_TEXT, h, sizeof h);
}

void secret_sha256_hex(const void *data, size_t len,
		       char out[SECRET_HASH_TEXT])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(out, SECRET_HASH_TEXT, h, sizeof h);
}

bool secret_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	if (alen != blen)
		return false;
	return alen == 0 || sodium_memcmp(a, b, alen) == 0;
}

int secret_password_hash(const char *password, char out[SECRET_PWHASH_TEXT])
{
	_Static_assert(SECRET_PWHASH_TEXT >= crypto_pwhash_STRBYTES,
		       "hash buffer too small");
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

bool secret_password_verify(const char *stored, const char *password)
{
	if (!stored || !password || !*stored)
		return false;
	return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

const char *secret_password_problem(const char *password)
{
	size_t len, chars = 0, i;

	if (!password)
		return "Enter a password.";
	len = strlen(password);
	if (len > SECRET_PASSWORD_MAX)
		return "The password is too long (at most 256 bytes).";
	if (!utf8_valid_text(password, len) || strpbrk(password, "\r\n\t"))
		return "The password contains characters that are not allowed.";
	for (i = 0; i < len; i++)
		if (((unsigned char)password[i] & 0xC0) != 0x80)
			chars++;
	if (chars < SECRET_PASSWORD_MIN)
		return "The password must be at least 12 characters long.";
	return NULL;
}

void secret_password_generate(char out[21])
{
	static const char ALPHABET[] =
		"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t i;

	for (i = 0; i < 20; i++)
		out[i] = ALPHABET[randombytes_uniform(sizeof ALPHABET - 1)];
	out[20] = '\0';
}

void secret_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}
