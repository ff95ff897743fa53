/* url.h: percent-encoding and strict decoding of URL parts. */
#ifndef CXM_URL_H
#define CXM_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "err.h"

/* Appends s with every byte outside RFC 3986 "unreserved" percent-encoded
 * (uppercase hex), suitable for a path segment or a query value. */
void url_encode(struct buf *b, const char *s);

/* Decodes s[0..len) (percent escapes; '+' as space when plus_is_space) into
 * a new NUL-terminated arena string stored in *out.  Fails with
 * ERR_MALFORMED on a bad escape, an encoded NUL or invalid UTF-8, and with
 * ERR_NOMEM when the arena is full. */
int url_decode(struct arena *a, const char *s, size_t len, bool plus_is_space,
	       char **out);

/* True when href is safe to put in an href attribute: a relative reference
 * (starting with "/" but not "//", or "#", or "?") or an absolute http(s)
 * URL.  Rejects javascript:, data: and anything with control characters. */
bool url_is_safe_href(const char *href);

#endif
