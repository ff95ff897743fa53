/* req.h: one HTTP request as handlers see it. */
#ifndef CXM_REQ_H
#define CXM_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app.h"
#include "core/role.h"
#include "http/router.h"
#include "util/arena.h"
#include "util/form.h"
#include "util/buf.h"
#include "util/err.h"

struct MHD_Connection;
struct store_conn;
struct user;

/* How the caller proved who they are. */
enum auth_via { VIA_NONE, VIA_SESSION, VIA_TOKEN };

/* Created when a request's headers arrive, freed when its response has
 * been sent (server.c).  Everything a handler allocates comes from
 * `arena` and dies with the request. */
struct req {
	struct app *app;
	struct MHD_Connection *conn;
	struct arena arena;
	enum http_method method;
	const char *method_name;
	const char *path;                 /* decoded path, valid UTF-8 */
	bool is_api;                      /* path starts with /api/ */
	const struct route *route;        /* NULL when none matched */
	struct route_params params;
	unsigned allowed;                 /* methods for a 405 */
	struct buf body;                  /* raw body, capped */
	size_t body_limit;
	bool body_too_large;
	json_t *json;                     /* parsed body (ROUTE_BODY_JSON) */
	struct form *form;                /* parsed body (ROUTE_BODY_FORM) */
	const char *client;               /* client address (trusted proxies
					     resolved) */
	bool https;                       /* reached over HTTPS (per proxy) */
	/* Who is asking (auth.c); user is NULL when anonymous. */
	struct user *user;
	struct grant *grants;
	size_t ngrants;
	enum auth_via via;
	int64_t session_id, token_id;
	const char *csrf;                 /* the session's CSRF token */
	bool session_expired;             /* a session cookie had timed out */
	int64_t retry_after;              /* seconds, for a 429 */
	struct store_conn *db;            /* borrowed on demand */
	uint64_t start_us;
	struct errinfo err;               /* details of a failure */
};

/* A path parameter captured by the route ("{id}"); NULL when absent. */
const char *req_param(const struct req *r, const char *name);

/* A query-string argument, decoded; NULL when absent. */
const char *req_query(const struct req *r, const char *name);

/* A request header; NULL when absent. */
const char *req_header(const struct req *r, const char *name);

/* Borrows a database connection for the rest of this request (released
 * by the server after the handler returns). */
struct store_conn *req_db(struct req *r);

/* Records a failure in r->err and returns code (for `return req_fail(...)`). */
int req_fail(struct req *r, enum err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
