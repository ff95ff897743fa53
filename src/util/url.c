/* url.c: percent-encoding and strict decoding (RFC 3986). */
#include "url.h"

#include "utf8.h"

#include <string.h>
#include <strings.h>

static const char HEX[] = "0123456789ABCDEF";

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

void url_encode(struct buf *b, const char *s)
{
	const unsigned char *p;
	char esc[3];

	if (!s)
		return;
	for (p = (const unsigned char *)s; *p; p++) {
		if (is_unreserved(*p)) {
			buf_putc(b, (char)*p);
		} else {
			esc[0] = '%';
			esc[1] = HEX[*p >> 4];
			esc[2] = HEX[*p & 15];
			buf_append(b, esc, 3);
		}
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int url_decode(struct arena *a, const char *s, size_t len, bool plus_is_space,
	       char **out)
{
	char *d;
	size_t i, n = 0;
	int hi, lo;

	*out = NULL;
	d = arena_alloc(a, len + 1);
	if (!d)
		return ERR_NOMEM;
	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (len - i < 3)
				return ERR_MALFORMED;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return ERR_MALFORMED;
			d[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			d[n++] = ' ';
		} else if (s[i] == '\0') {
			return ERR_MALFORMED;
		} else {
			d[n++] = s[i];
		}
	}
	d[n] = '\0';
	if (!utf8_valid(d, n))
		return ERR_MALFORMED;
	*out = d;
	return 0;
}

bool url_is_safe_href(const char *href)
{
	const unsigned char *p;

	if (!href || !*href)
		return false;
	for (p = (const unsigned char *)href; *p; p++)
		if (*p < 0x20 || *p == 0x7F || *p == '\\')
			return false;
	if (href[0] == '/')
		return href[1] != '/';
	if (href[0] == '#' || href[0] == '?')
		return true;
	return strncasecmp(href, "https://", 8) == 0 ||
	       strncasecmp(href, "http://", 7) == 0;
}
