/* resp.h: a response built in memory before anything is sent. */
#ifndef CXM_RESP_H
#define CXM_RESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/buf.h"

enum { RESP_HEADERS_MAX = 16 };

/* Filled by a handler.  A page or JSON body goes in `body`; a file is sent
 * by descriptor (`file_fd` >= 0, owned by the response).  Header names and
 * values must outlive the request (literals or arena strings). */
struct resp {
	int status;
	const char *content_type;
	struct buf body;
	int file_fd;
	uint64_t file_size;
	void *stream;               /* an events_sub: a server-sent event stream */
	size_t nheaders;
	struct { const char *name, *value; } headers[RESP_HEADERS_MAX];
};

/* Headers every response carries: CSP without unsafe-inline, nosniff,
 * frame-ancestors, Referrer-Policy and friends.  Ends with {NULL, NULL}. */
extern const struct resp_header_pair { const char *name, *value; }
	resp_security_headers[];

/* An empty 200 response whose body may grow to body_max bytes. */
void resp_init(struct resp *w, size_t body_max);

/* Frees the body and closes a file; leaves an empty 200 response. */
void resp_reset(struct resp *w);

/* Adds a header; ERR_TOO_LARGE when RESP_HEADERS_MAX are set. */
int resp_header(struct resp *w, const char *name, const char *value);

/* Sets status and a JSON body (compact, UTF-8); takes the reference to v
 * (NULL v means out of memory).  Returns 0 or ERR_NOMEM/ERR_TOO_LARGE. */
int resp_json(struct resp *w, int status, json_t *v);

#endif
