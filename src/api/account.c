/* account.c: /api/v1/me and /api/v1/audit. */
#include "api.h"

#include "api/input.h"
#include "api/render.h"
#include "http/events.h"
#include "store/audit.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

int api_me(struct req *r, struct resp *w)
{
	json_t *grants = json_array();
	size_t i;

	for (i = 0; grants && i < r->ngrants; i++)
		json_array_append_new(grants, json_pack("{s:I, s:s}",
			"org_id", (json_int_t)r->grants[i].org_id,
			"role", role_name(r->grants[i].role)));
	return resp_json(w, 200, json_pack("{s:I, s:s, s:s, s:b, s:o, s:s}",
			 "id", (json_int_t)r->user->id,
			 "email", r->user->email, "name", r->user->name,
			 "admin", r->user->is_admin, "grants", grants,
			 "via", r->via == VIA_TOKEN ? "token" : "session"));
}

/* An optional short text query filter; records a detail when unusable. */
static const char *text_filter(struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	if (!v || !*v)
		return NULL;
	if (strlen(v) > 254 || !utf8_valid_text(v, strlen(v))) {
		errinfo_add(&r->err, name, 0, 0, "is not a usable filter");
		return NULL;
	}
	return v;
}

int api_audit(struct req *r, struct resp *w)
{
	struct audit_filter f = { 0 };
	struct audit_entry *e;
	json_t *arr;
	size_t n, i;
	int64_t limit = input_query_id(r, "limit", 100);
	int rc;

	f.since = text_filter(r, "since");
	f.action = text_filter(r, "action");
	f.object_type = text_filter(r, "object_type");
	f.actor = text_filter(r, "actor");
	f.before_id = input_query_id(r, "before", 0);
	if (limit < 1 || limit > 1000)
		errinfo_add(&r->err, "limit", 0, 0, "must be from 1 to 1000");
	if (f.before_id < 0)
		errinfo_add(&r->err, "before", 0, 0, "must be an entry id");
	if (r->err.ndetails)
		return req_fail(r, ERR_INVALID, "Bad query parameters.");
	f.limit = limit;
	rc = store_audit_list(req_db(r), &r->arena, &f, &e, &n, &r->err);
	if (rc)
		return rc;
	arr = json_array();
	for (i = 0; arr && i < n; i++)
		json_array_append_new(arr, render_audit(&e[i]));
	return resp_json(w, 200, json_pack("{s:o}", "entries", arr));
}

int api_audit_events(struct req *r, struct resp *w)
{
	return events_subscribe(r->app->events, r, w, "audit");
}
