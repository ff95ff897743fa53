/* log.c: timestamped, escaped, single-write log lines on stderr. */
#include "log.h"

#include "clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { LOG_LINE_MAX = 2048 };

static const char *const LEVEL_NAMES[] = {
	[LOG_DEBUG] = "debug", [LOG_INFO] = "info",
	[LOG_WARN] = "warn", [LOG_ERROR] = "error",
};

/* Copies src into dst (room for cap bytes incl. NUL), escaping control
 * characters, backslash and DEL so a hostile path cannot forge log lines. */
static void escape_into(char *dst, size_t cap, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)src; *p && n + 5 < cap; p++) {
		if (*p < 0x20 || *p == 0x7F || *p == '\\') {
			dst[n++] = '\\';
			dst[n++] = 'x';
			dst[n++] = hex[*p >> 4];
			dst[n++] = hex[*p & 15];
		} else {
			dst[n++] = (char)*p;
		}
	}
	dst[n] = '\0';
}

static void write_line(enum log_level level, const char *text)
{
	char stamp[40], esc[LOG_LINE_MAX], line[LOG_LINE_MAX + 64];
	int n;
	ssize_t w;

	clock_iso8601(stamp, sizeof stamp);
	escape_into(esc, sizeof esc, text);
	n = snprintf(line, sizeof line, "%s %s %s\n", stamp,
		     LEVEL_NAMES[level], esc);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line) {
		n = (int)sizeof line - 1;
		line[n - 1] = '\n';
	}
	w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char text[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	write_line(level, text);
}

void log_access(const char *method, const char *path, int status,
		uint64_t bytes, uint64_t usec)
{
	char m[32], p[1024], text[LOG_LINE_MAX];

	escape_into(m, sizeof m, method ? method : "-");
	escape_into(p, sizeof p, path ? path : "-");
	snprintf(text, sizeof text, "access %s %s %d %llu %lluus", m, p, status,
		 (unsigned long long)bytes, (unsigned long long)usec);
	write_line(LOG_INFO, text);
}
