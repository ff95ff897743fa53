/* status.c: error -> status mapping and error responses. */
#include "status.h"

#include "ui/pages.h"
#include "util/log.h"

#include "util/url.h"
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

int http_status_for_err(int err)
{
	switch (err) {
	case ERR_MALFORMED: return 400;
	case ERR_UNAUTHORIZED: return 401;
	case ERR_FORBIDDEN: return 403;
	case ERR_NOTFOUND: return 404;
	case ERR_METHOD: return 405;
	case ERR_CONFLICT: return 409;
	case ERR_TOO_LARGE: return 413;
	case ERR_MEDIA_TYPE: return 415;
	case ERR_INVALID: return 422;
	case ERR_RATE_LIMIT: return 429;
	case ERR_UNAVAILABLE: return 503;
	default: return 500;
	}
}

const char *http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/* The message users see: the handler's own, or a plain one by status.
 * 500s never show internal text. */
static const char *public_message(const struct req *r, int status)
{
	/* 500s and 503s never show internal text (it is in the log). */
	if (status != 500 && status != 503 && r->err.message[0] &&
	    utf8_valid_text(r->err.message, strlen(r->err.message)))
		return r->err.message;
	switch (status) {
	case 400: return "The request could not be understood.";
	case 401: return "Sign in to continue.";
	case 403: return "You do not have permission to do that.";
	case 404: return "There is no page at this address.";
	case 405: return "This address does not accept that method.";
	case 413: return "The request is too large.";
	case 429: return "Too many requests; wait a moment and try again.";
	case 503: return "The service is temporarily unavailable.";
	default: return "Something went wrong on our side. It has been logged.";
	}
}

/* Pages that need a signed-in user send the browser to the sign-in form,
 * which brings it back here afterwards. */
static int redirect_to_login(struct req *r, struct resp *w)
{
	struct buf next;
	char *loc;

	buf_init(&next, 4096);
	url_encode(&next, r->path);
	loc = arena_printf(&r->arena, "/login?next=%s%s", buf_str(&next),
			   r->session_expired ? "&expired=1" : "");
	buf_release(&next);
	if (!loc)
		return ERR_NOMEM;
	w->status = 303;
	w->content_type = "text/plain; charset=utf-8";
	buf_puts(&w->body, "See /login\n");
	return resp_header(w, "Location", loc);
}

static json_t *json_details(const struct errinfo *ei)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < ei->ndetails; i++) {
		const struct errdetail *d = &ei->details[i];
		json_t *o = json_object();
		if (d->field[0])
			json_object_set_new(o, "field", json_string(d->field));
		/* A position in a document (a model file) is also its path. */
		if (d->field[0] && d->line)
			json_object_set_new(o, "path", json_string(d->field));
		if (d->line)
			json_object_set_new(o, "line", json_integer(d->line));
		if (d->column)
			json_object_set_new(o, "column",
					    json_integer(d->column));
		json_object_set_new(o, "message", json_string(d->message));
		json_array_append_new(arr, o);
	}
	return arr;
}

void http_render_error(struct req *r, struct resp *w, int err)
{
	int status = http_status_for_err(err);
	const char *msg = public_message(r, status);

	if (status == 503)
		log_msg(LOG_WARN, "%s %s unavailable: %s", r->method_name,
			r->path, r->err.message[0] ? r->err.message : "-");
	if (status == 500)
		log_msg(LOG_ERROR, "%s %s failed: %s (%s)", r->method_name,
			r->path, r->err.message[0] ? r->err.message : "-",
			err_name(err));
	resp_reset(w);
	if (status == 429 && r->retry_after > 0) {
		char *ra = arena_printf(&r->arena, "%lld",
					(long long)r->retry_after);
		if (ra)
			resp_header(w, "Retry-After", ra);
	}
	if (status == 401 && r->is_api)
		resp_header(w, "WWW-Authenticate", "Bearer realm=\"cxm\"");
	if (status == 401 && !r->is_api && r->method != HTTP_POST &&
	    redirect_to_login(r, w) == 0)
		return;
	if (status == 405) {
		char *allow = arena_alloc(&r->arena, 64);
		if (allow) {
			router_allow_header(r->allowed, allow, 64);
			resp_header(w, "Allow", allow);
		}
	}
	if (r->is_api) {
		json_t *e = json_pack("{s:{s:s, s:s, s:o}}", "error",
				      "code", err_name(status == 500 ?
						ERR_INTERNAL : err),
				      "message", msg,
				      "details", json_details(&r->err));
		if (resp_json(w, status, e) == 0)
			return;
		resp_reset(w);
	} else if (page_error(r, w, status, http_status_text(status), msg)
		   == 0) {
		return;
	}
	/* Last resort when even the error body cannot be built. */
	resp_reset(w);
	w->status = status;
	w->content_type = "text/plain; charset=utf-8";
	buf_puts(&w->body, http_status_text(status));
	buf_putc(&w->body, '\n');
}
