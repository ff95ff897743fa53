/* err.h: error codes every fallible cxm function returns, and the caller-owned details. */
#ifndef CXM_ERR_H
#define CXM_ERR_H

#include <stddef.h>

/* 0 is success; every failure is one of these negative values.  Only
 * src/http/status.c turns them into HTTP statuses; only src/cli/ turns
 * them into exit codes. */
enum err {
	ERR_OK = 0,
	ERR_NOMEM = -1,       /* out of memory or arena exhausted */
	ERR_MALFORMED = -2,   /* input cannot be parsed (HTTP 400) */
	ERR_INVALID = -3,     /* parsed but breaks a rule (HTTP 422) */
	ERR_NOTFOUND = -4,    /* no such object or path (HTTP 404) */
	ERR_METHOD = -5,      /* path exists, method does not (HTTP 405) */
	ERR_CONFLICT = -6,    /* clashes with stored state (HTTP 409) */
	ERR_TOO_LARGE = -7,   /* over a size limit (HTTP 413) */
	ERR_MEDIA_TYPE = -8,  /* unsupported Content-Type (HTTP 415) */
	ERR_UNAUTHORIZED = -9,/* not signed in (HTTP 401) */
	ERR_FORBIDDEN = -10,  /* signed in, not allowed (HTTP 403) */
	ERR_RATE_LIMIT = -11, /* too many requests (HTTP 429) */
	ERR_DB = -12,         /* the database failed (HTTP 500) */
	ERR_UNAVAILABLE = -13,/* a dependency is down (HTTP 503) */
	ERR_IO = -14,         /* file or socket failure */
	ERR_USAGE = -15,      /* command-line misuse (exit 2) */
	ERR_INTERNAL = -16,   /* a bug (HTTP 500) */
};

enum { ERRINFO_MESSAGE_MAX = 256, ERRINFO_DETAILS_MAX = 32,
       ERRINFO_FIELD_MAX = 96, ERRINFO_DETAIL_MESSAGE_MAX = 192 };

/* One entry of a 422's "details": which field (or file path) and where. */
struct errdetail {
	char field[ERRINFO_FIELD_MAX];   /* "" when not about one field */
	int line, column;                /* 0 when unknown */
	char message[ERRINFO_DETAIL_MESSAGE_MAX];
};

/* Caller-owned description of the last failure; no allocation inside. */
struct errinfo {
	enum err code;
	char message[ERRINFO_MESSAGE_MAX];
	struct errdetail details[ERRINFO_DETAILS_MAX];
	size_t ndetails;
	size_t dropped_details;          /* details that did not fit */
};

/* Clears ei (NULL allowed). */
void errinfo_clear(struct errinfo *ei);

/* Records code and a printf-style message in ei (NULL allowed) and returns
 * code, so callers can write `return errinfo_set(ei, ERR_X, "...")`.  The
 * message is truncated to fit. */
int errinfo_set(struct errinfo *ei, enum err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends one detail (field may be NULL); counts it as dropped when full. */
void errinfo_add(struct errinfo *ei, const char *field, int line, int column,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A short stable identifier for code ("not_found", "invalid", ...), used as
 * the "code" of API errors. */
const char *err_name(enum err code);

#endif
