/* test-secret.c: random tokens, token hashes, constant-time equality, Argon2id passwords and password rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/secret.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static const char BASE64URL[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char PASSWORD_ALPHABET[] =
	"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static int group_setup(void **state)
{
	(void)state;
	return secret_init();
}

static bool only_from(const char *s, const char *alphabet)
{
	return strspn(s, alphabet) == strlen(s);
}

static void test_token(void **state)
{
	char a[SECRET_TOKEN_TEXT], b[SECRET_TOKEN_TEXT];

	(void)state;
	memset(a, '!', sizeof a);
	memset(b, '!', sizeof b);
	secret_token(a);
	secret_token(b);
	assert_int_equal(strlen(a), 43);        /* 32 bytes, base64url, no '=' */
	assert_int_equal(strlen(b), 43);
	assert_true(only_from(a, BASE64URL));
	assert_true(only_from(b, BASE64URL));
	assert_string_not_equal(a, b);
}

static void test_api_token(void **state)
{
	char t[SECRET_TOKEN_TEXT + 4], u[SECRET_TOKEN_TEXT + 4];
	char small[16];

	(void)state;
	secret_api_token(t, sizeof t);
	secret_api_token(u, sizeof u);
	assert_int_equal(strncmp(t, "cxm_", 4), 0);
	assert_int_equal(strlen(t), 4 + 43);
	assert_true(only_from(t + 4, BASE64URL));
	assert_string_not_equal(t, u);
	/* a short buffer is filled and terminated, never overrun */
	memset(small, '#', sizeof small);
	secret_api_token(small, 10);
	assert_int_equal(strlen(small), 9);
	assert_int_equal(strncmp(small, "cxm_", 4), 0);
	assert_int_equal(small[10], '#');
}

static bool is_lower_hex(const char *s)
{
	return only_from(s, "0123456789abcdef");
}

static void test_token_hash(void **state)
{
	char t[SECRET_TOKEN_TEXT], h1[SECRET_HASH_TEXT], h2[SECRET_HASH_TEXT];
	char h3[SECRET_HASH_TEXT];

	(void)state;
	/* BLAKE2b-256 known answers */
	secret_token_hash("", h1);
	assert_string_equal(h1, "0e5751c026e543b2e8ab2eb06099daa1"
				"d1e5df47778f7787faab45cdf12fe3a8");
	secret_token_hash("abc", h1);
	assert_string_equal(h1, "bddd813c634239723171ef3fee98579b"
				"94964e3bb1cb3e427262c8c068d52319");

	secret_token(t);
	secret_token_hash(t, h1);
	secret_token_hash(t, h2);
	assert_int_equal(strlen(h1), 64);
	assert_true(is_lower_hex(h1));
	assert_string_equal(h1, h2);            /* deterministic */
	t[0] = t[0] == 'A' ? 'B' : 'A';         /* one character changed */
	secret_token_hash(t, h3);
	assert_int_equal(strlen(h3), 64);
	assert_string_not_equal(h1, h3);
	/* the hash is not the token */
	assert_null(strstr(h1, t));
}

static void test_equal(void **state)
{
	(void)state;
	assert_true(secret_equal("abcdef", 6, "abcdef", 6));
	assert_false(secret_equal("abcdef", 6, "abcdeg", 6));
	assert_false(secret_equal("Abcdef", 6, "abcdef", 6));
	/* different lengths never match, even as prefixes */
	assert_false(secret_equal("abc", 3, "abcdef", 6));
	assert_false(secret_equal("abcdef", 6, "abc", 3));
	assert_false(secret_equal("", 0, "a", 1));
	/* two empty strings are equal (callers must refuse empty tokens) */
	assert_true(secret_equal("", 0, "", 0));
	/* bytes after len do not matter; bytes within it do, NULs included */
	assert_true(secret_equal("abcX", 3, "abcY", 3));
	assert_false(secret_equal("a\0b", 3, "a\0c", 3));
}

static void test_password_hash_verify(void **state)
{
	const char *pw = "correct horse battery staple";
	char h1[SECRET_PWHASH_TEXT], h2[SECRET_PWHASH_TEXT];

	(void)state;
	assert_int_equal(secret_password_hash(pw, h1), 0);
	assert_int_equal(secret_password_hash(pw, h2), 0);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_null(strstr(h1, pw));
	/* a fresh salt each time: different hashes, both verify */
	assert_string_not_equal(h1, h2);
	assert_true(secret_password_verify(h1, pw));
	assert_true(secret_password_verify(h2, pw));
	assert_false(secret_password_verify(h1, "correct horse battery stapl"));
	assert_false(secret_password_verify(h1, "Correct horse battery staple"));
	assert_false(secret_password_verify(h1, ""));
	/* no stored hash, or junk, never verifies; NULLs are safe */
	assert_false(secret_password_verify("", pw));
	assert_false(secret_password_verify("", ""));
	assert_false(secret_password_verify("not-a-hash", pw));
	assert_false(secret_password_verify(NULL, pw));
	assert_false(secret_password_verify(h1, NULL));
	assert_false(secret_password_verify(NULL, NULL));
}

static void problem_none(const char *pw)
{
	const char *p = secret_password_problem(pw);

	if (p)
		print_error("refused \"%s\": %s\n", pw, p);
	assert_null(p);
}

static void problem(const char *pw)
{
	const char *p = secret_password_problem(pw);

	if (!p)
		print_error("accepted \"%s\"\n", pw ? pw : "(null)");
	assert_non_null(p);
	assert_true(p[0] != '\0');
}

static void test_password_problem(void **state)
{
	static const char *const bad_text[] = {
		"twelve chars\n", "twelve\nchars!", "tab\tin the middle",
		"carriage\rreturn!", "bell\x07 is not ok", "escape \x1b[0m ok?",
		"delete \x7f here ok", "invalid \xff utf-8 x",
		"truncated \xc3 seq xx", "overlong \xc0\xaf slash",
		"surrogate \xed\xa0\x80 here",
	};
	char buf[600];
	size_t i;

	(void)state;
	problem(NULL);
	problem("");
	problem("elevenchars");                     /* 11 */
	assert_int_equal(strlen("elevenchars"), 11);
	problem_none("twelve chars");               /* 12 */
	problem_none("   twelve   ");
	/* characters, not bytes: 11 two-byte characters are 22 bytes */
	buf[0] = '\0';
	for (i = 0; i < 11; i++)
		strcat(buf, "\xc3\xa9");
	problem(buf);
	strcat(buf, "\xc3\xa9");                    /* 12 characters */
	problem_none(buf);
	buf[0] = '\0';
	for (i = 0; i < 12; i++)
		strcat(buf, "\xf0\x9f\x94\x91");        /* 12 keys, 48 bytes */
	problem_none(buf);

	/* 256 bytes is the most */
	memset(buf, 'p', 256);
	buf[256] = '\0';
	problem_none(buf);
	buf[256] = 'p';
	buf[257] = '\0';
	problem(buf);
	memset(buf, 'p', 599);
	buf[599] = '\0';
	problem(buf);

	for (i = 0; i < COUNT(bad_text); i++)
		problem(bad_text[i]);
}

static void test_password_generate(void **state)
{
	char a[21], b[21];
	int i;

	(void)state;
	memset(a, '!', sizeof a);
	secret_password_generate(a);
	secret_password_generate(b);
	assert_int_equal(strlen(a), 20);
	assert_int_equal(strlen(b), 20);
	assert_true(only_from(a, PASSWORD_ALPHABET));
	assert_true(only_from(b, PASSWORD_ALPHABET));
	assert_string_not_equal(a, b);
	/* what it makes passes the rules; ambiguous characters never appear */
	assert_null(secret_password_problem(a));
	for (i = 0; i < 200; i++) {
		secret_password_generate(a);
		assert_int_equal(strlen(a), 20);
		assert_null(strpbrk(a, "0O1lIio"));
		assert_true(only_from(a, PASSWORD_ALPHABET));
	}
}

static void test_wipe(void **state)
{
	unsigned char buf[32];
	size_t i;

	(void)state;
	memset(buf, 0xAB, sizeof buf);
	secret_wipe(buf, 16);
	for (i = 0; i < 16; i++)
		assert_int_equal(buf[i], 0);
	for (i = 16; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xAB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_api_token),
		cmocka_unit_test(test_token_hash),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_password_hash_verify),
		cmocka_unit_test(test_password_problem),
		cmocka_unit_test(test_password_generate),
		cmocka_unit_test(test_wipe),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
