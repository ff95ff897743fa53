/* log.h: one-line log records on standard error. */
#ifndef CXM_LOG_H
#define CXM_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Writes "TIME LEVEL message\n" to stderr with a single write(2), so lines
 * from concurrent threads never interleave.  Control characters in the
 * formatted message are escaped; lines are cut at 2 KiB. */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The access-log line for one request: method, path (escaped), status,
 * body bytes and duration in microseconds. */
void log_access(const char *method, const char *path, int status,
		uint64_t bytes, uint64_t usec);

#endif
