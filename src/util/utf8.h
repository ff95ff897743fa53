/* utf8.h: strict UTF-8 validation and decoding (RFC 3629). */
#ifndef CXM_UTF8_H
#define CXM_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..len).  Returns the number of bytes used
 * (1-4) and stores the code point in *cp; returns 0 when the sequence is
 * invalid (overlong, surrogate, above U+10FFFF, truncated, stray
 * continuation byte) or len is 0. */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* True when s[0..len) is entirely valid UTF-8.  NUL bytes are valid UTF-8;
 * callers that forbid them check separately (utf8_valid_text). */
bool utf8_valid(const char *s, size_t len);

/* True when s[0..len) is valid UTF-8 and contains no NUL and no control
 * character other than tab, LF and CR. */
bool utf8_valid_text(const char *s, size_t len);

#endif
