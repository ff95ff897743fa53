/* clock.h: monotonic and wall-clock time helpers. */
#ifndef CXM_CLOCK_H
#define CXM_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Microseconds from an arbitrary fixed point (CLOCK_MONOTONIC). */
uint64_t clock_mono_us(void);

/* Seconds since the Unix epoch (wall clock). */
int64_t clock_unix(void);

/* Writes the current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (needs 25
 * bytes); writes "" when cap is too small. */
void clock_iso8601(char *out, size_t cap);

/* Writes t as an RFC 7231 HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT",
 * 30 bytes); "" when cap is too small. */
void clock_http_date(int64_t t, char *out, size_t cap);

#endif
