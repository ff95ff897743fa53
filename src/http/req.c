/* req.c: request accessors over libmicrohttpd. */
#include "req.h"

#include "store/store.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>

const char *req_param(const struct req *r, const char *name)
{
	return route_param(&r->params, name);
}

const char *req_query(const struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn,
				MHD_GET_ARGUMENT_KIND, name) : NULL;
}

const char *req_header(const struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn,
				MHD_HEADER_KIND, name) : NULL;
}

struct store_conn *req_db(struct req *r)
{
	if (!r->db)
		r->db = store_acquire(r->app->store);
	return r->db;
}

int req_fail(struct req *r, enum err code, const char *fmt, ...)
{
	va_list ap;

	char msg[ERRINFO_MESSAGE_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return errinfo_set(&r->err, code, "%s", msg);
}
