/* resp.c: in-memory responses and the security headers. */
#include "resp.h"

#include "http/events.h"
#include "util/err.h"

#include <stdlib.h>
#include <unistd.h>

const struct resp_header_pair resp_security_headers[] = {
	{ "Content-Security-Policy",
	  "default-src 'self'; script-src 'self'; style-src 'self'; "
	  "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
	  "object-src 'none'; base-uri 'none'; form-action 'self'; "
	  "frame-ancestors 'none'; report-uri /api/v1/csp-reports" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "same-origin" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Cross-Origin-Resource-Policy", "same-origin" },
	{ "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
	{ NULL, NULL },
};

void resp_init(struct resp *w, size_t body_max)
{
	w->status = 200;
	w->content_type = NULL;
	buf_init(&w->body, body_max);
	w->file_fd = -1;
	w->file_size = 0;
	w->stream = NULL;
	w->nheaders = 0;
}

void resp_reset(struct resp *w)
{
	size_t max = w->body.max;

	buf_release(&w->body);
	if (w->file_fd >= 0)
		close(w->file_fd);
	if (w->stream)
		events_release(w->stream);
	resp_init(w, max);
}

int resp_header(struct resp *w, const char *name, const char *value)
{
	if (w->nheaders >= RESP_HEADERS_MAX)
		return ERR_TOO_LARGE;
	w->headers[w->nheaders].name = name;
	w->headers[w->nheaders].value = value;
	w->nheaders++;
	return 0;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	struct buf *b = data;

	buf_append(b, buffer, size);
	return b->err ? -1 : 0;
}

int resp_json(struct resp *w, int status, json_t *v)
{
	int rc;

	if (!v)
		return ERR_NOMEM;
	w->status = status;
	w->content_type = "application/json";
	rc = json_dump_callback(v, dump_cb, &w->body,
				JSON_COMPACT);
	json_decref(v);
	if (rc || w->body.err)
		return w->body.err ? w->body.err : ERR_NOMEM;
	buf_putc(&w->body, '\n');
	return w->body.err;
}
