/* err.c: filling and naming error details. */
#include "err.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Messages end up in JSON and HTML, so they must be valid UTF-8: input
 * quoted into a message (jansson's "near '...'", a cut by vsnprintf in the
 * middle of a character) may not be.  Each byte that does not start a
 * valid sequence becomes '?'. */
static void sanitize_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t len = strlen(s), n, cut = len, back;
	uint32_t cp;

	/* First drop a character cut in half at the end (truncation). */
	for (back = 0; back < 3 && cut > 0 &&
	     ((unsigned char)s[cut - 1] & 0xC0) == 0x80; back++)
		cut--;
	if (cut > 0 && (unsigned char)s[cut - 1] >= 0xC0 &&
	    !utf8_decode(p + cut - 1, len - cut + 1, &cp)) {
		s[cut - 1] = '\0';
		len = cut - 1;
	}

	while (len) {
		if (*p < 0x80) {
			p++;
			len--;
			continue;
		}
		n = utf8_decode(p, len, &cp);
		if (!n) {
			*p = '?';
			n = 1;
		}
		p += n;
		len -= n;
	}
}

void errinfo_clear(struct errinfo *ei)
{
	if (!ei)
		return;
	ei->code = ERR_OK;
	ei->message[0] = '\0';
	ei->ndetails = 0;
	ei->dropped_details = 0;
}

int errinfo_set(struct errinfo *ei, enum err code, const char *fmt, ...)
{
	if (ei) {
		va_list ap;
		ei->code = code;
		va_start(ap, fmt);
		vsnprintf(ei->message, sizeof ei->message, fmt, ap);
		va_end(ap);
		sanitize_utf8(ei->message);
	}
	return code;
}

void errinfo_add(struct errinfo *ei, const char *field, int line, int column,
		 const char *fmt, ...)
{
	struct errdetail *d;
	va_list ap;

	if (!ei)
		return;
	if (ei->ndetails >= ERRINFO_DETAILS_MAX) {
		ei->dropped_details++;
		return;
	}
	d = &ei->details[ei->ndetails++];
	snprintf(d->field, sizeof d->field, "%s", field ? field : "");
	d->line = line;
	d->column = column;
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof d->message, fmt, ap);
	va_end(ap);
	sanitize_utf8(d->message);
	sanitize_utf8(d->field);
}

const char *err_name(enum err code)
{
	switch (code) {
	case ERR_OK: return "ok";
	case ERR_NOMEM: return "out_of_memory";
	case ERR_MALFORMED: return "malformed";
	case ERR_INVALID: return "invalid";
	case ERR_NOTFOUND: return "not_found";
	case ERR_METHOD: return "method_not_allowed";
	case ERR_CONFLICT: return "conflict";
	case ERR_TOO_LARGE: return "too_large";
	case ERR_MEDIA_TYPE: return "unsupported_media_type";
	case ERR_UNAUTHORIZED: return "unauthorized";
	case ERR_FORBIDDEN: return "forbidden";
	case ERR_RATE_LIMIT: return "rate_limited";
	case ERR_DB: return "database_error";
	case ERR_UNAVAILABLE: return "unavailable";
	case ERR_IO: return "io_error";
	case ERR_USAGE: return "usage";
	case ERR_INTERNAL: return "internal";
	}
	return "internal";
}
