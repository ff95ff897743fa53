/* orgs.c: /api/v1/orgs: list, create, read, update, delete organizations. */
#include "api.h"

#include "api/input.h"
#include "api/render.h"
#include "http/auth.h"
#include "ops/ops.h"

#include <stdlib.h>

static const char *const ORG_FIELDS[] = { "name", "short_name", "kind",
					  "parent_id", NULL };

static int64_t path_id(struct req *r)
{
	return strtoll(req_param(r, "id"), NULL, 10);
}

int api_orgs_list(struct req *r, struct resp *w)
{
	struct org *orgs;
	size_t n, i;
	json_t *arr = json_array();
	int64_t parent = input_query_id(r, "parent", 0);
	int rc;

	if (parent < 0) {
		json_decref(arr);
		errinfo_add(&r->err, "parent", 0, 0, "must be an organization id");
		return req_fail(r, ERR_INVALID, "Bad query parameter.");
	}
	rc = store_org_list(req_db(r), &r->arena,
			    r->user->is_admin ? 0 : r->user->id, &orgs, &n,
			    &r->err);
	for (i = 0; !rc && arr && i < n; i++)
		if (!parent || orgs[i].parent_id == parent)
			json_array_append_new(arr, render_org(&orgs[i]));
	if (rc) {
		json_decref(arr);
		return rc;
	}
	return resp_json(w, 200, json_pack("{s:o}", "orgs", arr));
}

int api_org_get(struct req *r, struct resp *w)
{
	struct org o;
	int rc = store_org_get(req_db(r), &r->arena, path_id(r), &o, &r->err);

	return rc ? rc : resp_json(w, 200, render_org(&o));
}

/* Reads the body over `in` (which holds the current values for PATCH). */
static int read_org(struct req *r, struct org_input *in)
{
	input_expect_object(r, ORG_FIELDS);
	in->name = input_string(r, "name", in->name);
	in->short_name = input_string(r, "short_name", in->short_name);
	in->kind = input_string(r, "kind", in->kind);
	in->parent_id = input_int(r, "parent_id", in->parent_id, 0);
	/* Report the rule breaks too, not only the type errors. */
	if (r->err.ndetails)
		entity_org_check(in, &r->err);
	return input_finish(r);
}

int api_org_create(struct req *r, struct resp *w)
{
	struct org_input in = { .kind = NULL };
	struct actor who;
	struct org o;
	int64_t id = 0;
	int rc = read_org(r, &in);

	auth_actor(r, &who);
	if (!rc)
		rc = ops_org_create(req_db(r), &who, &in, &id, &r->err);
	if (!rc)
		rc = store_org_get(req_db(r), &r->arena, id, &o, &r->err);
	if (rc)
		return rc;
	resp_header(w, "Location", arena_printf(&r->arena, "/api/v1/orgs/%lld",
						(long long)id));
	return resp_json(w, 201, render_org(&o));
}

int api_org_update(struct req *r, struct resp *w)
{
	struct org o;
	struct org_input in;
	struct actor who;
	int64_t id = path_id(r);
	int rc = store_org_get(req_db(r), &r->arena, id, &o, &r->err);

	if (rc)
		return rc;
	in = (struct org_input){ .name = o.name, .short_name = o.short_name,
				 .kind = o.kind, .parent_id = o.parent_id };
	rc = read_org(r, &in);
	if (rc)
		return rc;
	if (in.parent_id != o.parent_id &&
	    !(in.parent_id ? auth_allows(r, in.parent_id, ROLE_ANALYST)
			   : r->user->is_admin))
		return req_fail(r, ERR_FORBIDDEN, in.parent_id ?
			"You need the analyst role over the new parent organization." :
			"Only administrators can make an organization top-level.");
	auth_actor(r, &who);
	rc = ops_org_update(req_db(r), &who, id, &in, &r->err);
	if (!rc)
		rc = store_org_get(req_db(r), &r->arena, id, &o, &r->err);
	return rc ? rc : resp_json(w, 200, render_org(&o));
}

int api_org_delete(struct req *r, struct resp *w)
{
	struct org o;
	struct actor who;
	int64_t id = path_id(r);
	int rc = store_org_get(req_db(r), &r->arena, id, &o, &r->err);

	if (rc)
		return rc;
	if (!o.parent_id && !r->user->is_admin)
		return req_fail(r, ERR_FORBIDDEN,
			"Only administrators can delete top-level organizations.");
	auth_actor(r, &who);
	rc = ops_org_delete(req_db(r), &who, id, &r->err);
	if (rc)
		return rc;
	w->status = 204;
	return 0;
}
