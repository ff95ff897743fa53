/* health.c: the liveness and database check for load balancers. */
#include "api.h"

#include "store/store.h"
#include "util/log.h"

int api_healthz(struct req *r, struct resp *w)
{
	struct errinfo ei;
	int rc;

	errinfo_clear(&ei);
	rc = store_health(r->app->store, &ei);
	resp_header(w, "Cache-Control", "no-store");
	if (rc) {
		log_msg(LOG_WARN, "health check failed: %s", ei.message);
		return resp_json(w, 503, json_pack("{s:s, s:s, s:s, s:s}",
				 "status", "unavailable", "version",
				 r->app->version, "db", "unavailable",
				 "message", "the database cannot be read"));
	}
	return resp_json(w, 200, json_pack("{s:s, s:s, s:s}", "status", "ok",
					   "version", r->app->version,
					   "db", "ok"));
}
