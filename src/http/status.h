/* status.h: the one place errors become HTTP statuses and error bodies. */
#ifndef CXM_STATUS_H
#define CXM_STATUS_H

#include "http/req.h"
#include "http/resp.h"

/* The HTTP status for an enum err (500 for anything unexpected). */
int http_status_for_err(int err);

/* The reason phrase for a status ("Not Found"). */
const char *http_status_text(int status);

/* Replaces w with the error response for err: the JSON error shape of
 * DESIGN.md for API paths (r->is_api), the HTML error page otherwise.
 * Uses r->err.message and details when set, a generic text when not
 * (internal errors never leak their message).  Adds Allow for a 405. */
void http_render_error(struct req *r, struct resp *w, int err);

#endif
