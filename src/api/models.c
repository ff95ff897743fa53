/* models.c: /api/v1/models: list, read (as JSON) and import maturity models. */
#include "api.h"

#include "api/render.h"
#include "core/model-load.h"
#include "http/auth.h"
#include "ops/ops.h"
#include "store/models.h"
#include "util/utf8.h"

#include <string.h>
#include <strings.h>

int api_models_list(struct req *r, struct resp *w)
{
	struct stored_model *all;
	json_t *arr;
	size_t n, i;
	int rc = store_model_list(req_db(r), &r->arena, &all, &n, &r->err);

	if (rc)
		return rc;
	arr = json_array();
	for (i = 0; arr && i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}",
			"id", all[i].id, "version", all[i].version,
			"title", all[i].title,
			"functions", (json_int_t)all[i].nfunctions,
			"indicators", (json_int_t)all[i].nindicators,
			"imported_at", all[i].imported_at));
	return resp_json(w, 200, json_pack("{s:o}", "models", arr));
}

int api_model_get(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "model"), *version = req_query(r, "version");
	struct stored_model m;
	struct model model;
	json_t *out;
	int rc;

	if (version && (!*version || strlen(version) > 64 ||
			!utf8_valid_text(version, strlen(version))))
		return req_fail(r, ERR_NOTFOUND, "There is no such model version.");
	rc = store_model_find(req_db(r), &r->arena, id, version, &m, &r->err);
	if (rc == ERR_NOTFOUND)
		return req_fail(r, rc, "There is no such model.");
	if (!rc)
		rc = model_load(id, m.content, strlen(m.content), &r->arena,
				&model, &r->err);
	if (rc)
		return rc == ERR_INVALID ? req_fail(r, ERR_INTERNAL,
			"a stored model no longer loads") : rc;
	out = render_model(&model);
	if (out)
		json_object_set_new(out, "imported_at", json_string(m.imported_at));
	return resp_json(w, 200, out);
}

/* YAML, or JSON (which is YAML too): the body is read as it came. */
static bool model_media_type(const char *ct)
{
	static const char *const OK[] = {
		"application/yaml", "application/x-yaml", "text/yaml",
		"text/x-yaml", "application/json", NULL };
	const char *const *t;
	size_t n;

	if (!ct)
		return false;
	n = strcspn(ct, ";");
	while (n && ct[n - 1] == ' ')
		n--;
	for (t = OK; *t; t++)
		if (strlen(*t) == n && strncasecmp(ct, *t, n) == 0)
			return true;
	return false;
}

int api_model_import(struct req *r, struct resp *w)
{
	const char *id = NULL, *version = NULL;
	struct actor who;
	bool already = false;
	int rc;

	if (!model_media_type(req_header(r, "Content-Type")))
		return req_fail(r, ERR_MEDIA_TYPE,
			"Send the model as application/yaml or application/json.");
	if (r->body.len == 0)
		return req_fail(r, ERR_MALFORMED, "The body is empty.");
	auth_actor(r, &who);
	rc = ops_model_import(req_db(r), &who, "body", buf_str(&r->body),
			      r->body.len, &r->arena, &id, &version, &already,
			      &r->err);
	if (rc == ERR_INVALID && !r->err.message[0])
		req_fail(r, rc, "The model has problems.");
	if (rc)
		return rc;
	if (!already)
		resp_header(w, "Location", arena_printf(&r->arena,
			    "/api/v1/models/%s?version=%s", id, version));
	return resp_json(w, already ? 200 : 201,
			 json_pack("{s:s, s:s, s:b}", "id", id, "version", version,
				   "already_imported", already));
}
