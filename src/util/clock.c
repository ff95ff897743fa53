/* clock.c: time helpers (thread-safe: gmtime_r only). */
#include "clock.h"

#include <stdio.h>
#include <time.h>

uint64_t clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int64_t clock_unix(void)
{
	return (int64_t)time(NULL);
}

void clock_iso8601(char *out, size_t cap)
{
	struct timespec ts;
	struct tm tm;

	if (cap < 25) {
		if (cap)
			out[0] = '\0';
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000L);
}

void clock_http_date(int64_t t, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (cap < 30 || !gmtime_r(&tt, &tm) ||
	    !strftime(out, cap, "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
		if (cap)
			out[0] = '\0';
	}
}
