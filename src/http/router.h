/* router.h: matching a method and path against the route table. */
#ifndef CXM_ROUTER_H
#define CXM_ROUTER_H

#include <stddef.h>

#include "core/role.h"
#include "util/arena.h"
#include "util/err.h"

struct req;
struct resp;

enum http_method {
	HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_METHOD__MAX,
	HTTP_METHOD_UNKNOWN = HTTP_METHOD__MAX
};

/* What a route accepts and how its errors are shown. */
enum route_flags {
	ROUTE_HTML = 1 << 0,      /* a page: errors render as HTML */
	ROUTE_JSON = 1 << 1,      /* an API route: errors render as JSON */
	ROUTE_BODY_JSON = 1 << 2, /* body parsed as JSON before the handler */
	ROUTE_BODY_FORM = 1 << 3, /* body parsed as a URL-encoded form */
	ROUTE_NO_CSRF = 1 << 4,   /* unsafe method exempt from the CSRF check
				     (public endpoints without cookies) */
	ROUTE_ANON = 1 << 5,      /* public and never needs to know who asks:
				     no session or token lookup (files,
				     health checks) */
};

/* Where the organization a scoped route acts on comes from. */
enum route_scope {
	SCOPE_NONE,        /* not scoped: grant roles need that role somewhere */
	SCOPE_ORG,         /* path parameter {id} is an organization */
	SCOPE_SERVICE,     /* path parameter {id} is a service */
	SCOPE_BODY_ORG,    /* body field org_id (JSON or form) */
	SCOPE_BODY_PARENT, /* body field parent_id; none means top level (admin) */
	SCOPE__MAX
};

/* A handler fills the response and returns 0, or returns a negative enum
 * err (details in req->err) and the dispatcher renders the error. */
typedef int route_handler(struct req *r, struct resp *w);

/* One row of the route table.  Patterns are absolute paths whose segments
 * are literal text, `{name}` (one non-empty segment) or, last only,
 * `{name...}` (the non-empty rest of the path).  `role` is what the caller
 * needs (ROLE_UNSET is refused at start-up, so no route is served without
 * saying), `scope` where the organization it is checked against comes
 * from. */
struct route {
	enum http_method method;
	const char *pattern;
	route_handler *handler;
	enum role role;
	enum route_scope scope;
	unsigned flags;
	size_t body_limit;        /* bytes; 0: the configured default */
};

/* The scope's name ("org", "service", ...) for listings. */
const char *route_scope_name(enum route_scope s);

enum { ROUTE_PARAMS_MAX = 8, ROUTE_SEGMENTS_MAX = 32 };

struct route_params {
	size_t n;
	struct { const char *name; const char *value; } p[ROUTE_PARAMS_MAX];
};

/* Parses an HTTP method name; HTTP_METHOD_UNKNOWN when not one of ours. */
enum http_method http_method_parse(const char *name);

/* The method's name ("GET"). */
const char *http_method_name(enum http_method m);

/* Finds the route for m and path.  HEAD matches GET routes.  Returns 0 and
 * sets *out and *params (values copied into a); ERR_NOTFOUND when no
 * pattern matches the path; ERR_METHOD when some pattern matches but not
 * for m, with the allowed methods as a bit mask (1 << method) in *allowed.
 * ERR_NOMEM when the arena is full. */
int router_match(const struct route *table, size_t n, enum http_method m,
		 const char *path, struct arena *a, const struct route **out,
		 struct route_params *params, unsigned *allowed);

/* Formats an Allow header value ("GET, HEAD, POST") from a mask. */
void router_allow_header(unsigned allowed, char *out, size_t cap);

/* The value of path parameter `name`; NULL when absent. */
const char *route_param(const struct route_params *p, const char *name);

/* Checks a table at start-up: patterns well formed, no duplicate
 * method+pattern.  0 or ERR_INVALID with the offending pattern in ei. */
int router_check(const struct route *table, size_t n, struct errinfo *ei);

/* The application's route table (routes.c) and its length. */
extern const struct route routes[];
extern const size_t routes_count;

#endif
