/* services.c: /api/v1/services: list, create, read, update, delete services. */
#include "api.h"

#include "api/input.h"
#include "api/render.h"
#include "http/auth.h"
#include "ops/ops.h"

#include <stdlib.h>

static const char *const SERVICE_FIELDS[] = {
	"org_id", "name", "description", "channels", "hisp",
	"annual_customers", NULL };

static int64_t path_id(struct req *r)
{
	return strtoll(req_param(r, "id"), NULL, 10);
}

int api_services_list(struct req *r, struct resp *w)
{
	struct service *s;
	size_t n, i;
	json_t *arr;
	int64_t org = input_query_id(r, "org", 0);
	int rc;

	if (org < 0) {
		errinfo_add(&r->err, "org", 0, 0, "must be an organization id");
		return req_fail(r, ERR_INVALID, "Bad query parameter.");
	}
	rc = store_service_list(req_db(r), &r->arena, org,
				r->user->is_admin ? 0 : r->user->id, &s, &n,
				&r->err);
	if (rc)
		return rc;
	arr = json_array();
	for (i = 0; arr && i < n; i++)
		json_array_append_new(arr, render_service(&s[i]));
	return resp_json(w, 200, json_pack("{s:o}", "services", arr));
}

int api_service_get(struct req *r, struct resp *w)
{
	struct service s;
	int rc = store_service_get(req_db(r), &r->arena, path_id(r), &s,
				   &r->err);

	return rc ? rc : resp_json(w, 200, render_service(&s));
}

static int read_service(struct req *r, struct service_input *in)
{
	input_expect_object(r, SERVICE_FIELDS);
	in->org_id = input_int(r, "org_id", in->org_id, 0);
	in->name = input_string(r, "name", in->name);
	in->description = input_string(r, "description", in->description);
	input_strings(r, "channels", in->channels, ENTITY_CHANNELS_MAX,
		      &in->nchannels);
	in->hisp = input_bool(r, "hisp", in->hisp);
	/* -1 stands for "not known" inside cxm; in JSON that is null, so a
	 * negative number is refused rather than taken as null. */
	if (json_integer_value(json_object_get(r->json, "annual_customers")) < 0)
		errinfo_add(&r->err, "annual_customers", 0, 0,
			    "must be zero or more, or null when not known");
	else
		in->annual_customers = input_int(r, "annual_customers",
						 in->annual_customers, -1);
	if (r->err.ndetails)
		entity_service_check(in, &r->err);
	return input_finish(r);
}

int api_service_create(struct req *r, struct resp *w)
{
	struct service_input in = { .annual_customers = -1 };
	struct service s;
	struct actor who;
	int64_t id = 0;
	int rc = read_service(r, &in);

	auth_actor(r, &who);
	if (!rc)
		rc = ops_service_create(req_db(r), &who, &in, &id, &r->err);
	if (!rc)
		rc = store_service_get(req_db(r), &r->arena, id, &s, &r->err);
	if (rc)
		return rc;
	resp_header(w, "Location", arena_printf(&r->arena,
			"/api/v1/services/%lld", (long long)id));
	return resp_json(w, 201, render_service(&s));
}

/* Loads the stored channel list into in (for PATCH without channels). */
static void load_channels(struct service_input *in, const char *text,
			  json_t **keep)
{
	json_t *arr = json_loads(text, 0, NULL), *v;
	size_t i;

	*keep = arr;
	in->nchannels = 0;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && in->nchannels < ENTITY_CHANNELS_MAX)
			in->channels[in->nchannels++] = json_string_value(v);
}

int api_service_update(struct req *r, struct resp *w)
{
	struct service s;
	struct service_input in;
	struct actor who;
	json_t *stored = NULL;
	int64_t id = path_id(r);
	int rc = store_service_get(req_db(r), &r->arena, id, &s, &r->err);

	if (rc)
		return rc;
	in = (struct service_input){ .name = s.name, .description = s.description,
				     .org_id = s.org_id, .hisp = s.hisp,
				     .annual_customers = s.annual_customers };
	load_channels(&in, s.channels, &stored);
	rc = read_service(r, &in);
	if (!rc && in.org_id != s.org_id &&
	    !auth_allows(r, in.org_id, ROLE_FACILITATOR))
		rc = req_fail(r, ERR_FORBIDDEN,
			"You need the facilitator role over the new organization.");
	auth_actor(r, &who);
	if (!rc)
		rc = ops_service_update(req_db(r), &who, id, &in, &r->err);
	json_decref(stored);
	if (!rc)
		rc = store_service_get(req_db(r), &r->arena, id, &s, &r->err);
	return rc ? rc : resp_json(w, 200, render_service(&s));
}

int api_service_delete(struct req *r, struct resp *w)
{
	struct actor who;
	int rc;

	auth_actor(r, &who);
	rc = ops_service_delete(req_db(r), &who, path_id(r), &r->err);
	if (rc)
		return rc;
	w->status = 204;
	return 0;
}
