/* models.c: imported maturity models. */
#include "models.h"

#include "rows.h"

#include <string.h>
#include "util/semver.h"

static int read_model(struct store_query *q, struct arena *a,
		      struct stored_model *m, bool full)
{
	m->id = rows_text(q, 0, a);
	m->version = rows_text(q, 1, a);
	m->title = rows_text(q, 2, a);
	m->nfunctions = query_int64(q, 3);
	m->nindicators = query_int64(q, 4);
	m->imported_at = rows_text(q, 5, a);
	if (full) {
		m->content = rows_text(q, 6, a);
		m->sha256 = rows_text(q, 7, a);
		if (!m->content || !m->sha256)
			return ERR_NOMEM;
	}
	return m->id && m->version && m->title && m->imported_at
	       ? 0 : ERR_NOMEM;
}

int store_model_insert(struct store_conn *c, const struct stored_model *m,
		       struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	int rc = query_start(c, STMT_MODEL_INSERT, &q, ei);

	if (rc)
		return rc;
	query_bind_text(&q, 1, m->id);
	query_bind_text(&q, 2, m->version);
	query_bind_text(&q, 3, m->title);
	query_bind_text(&q, 4, m->content);
	query_bind_text(&q, 5, m->sha256);
	query_bind_int64(&q, 6, m->nfunctions);
	query_bind_int64(&q, 7, m->nindicators);
	query_bind_text(&q, 8, m->imported_at ? m->imported_at : rows_now(now));
	return rows_exec(&q, "this model version is already stored", ei);
}

int store_model_get(struct store_conn *c, struct arena *a, const char *id,
		    const char *version, struct stored_model *m,
		    struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_MODEL_GET, &q, ei);

	if (rc)
		return rc;
	query_bind_text(&q, 1, id);
	query_bind_text(&q, 2, version);
	rc = query_step(&q, ei);
	if (rc == 1) {
		rc = read_model(&q, a, m, true);
		if (rc)
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
	} else if (rc == 0) {
		rc = errinfo_set(ei, ERR_NOTFOUND, "no model %.64s@%.64s",
				 id, version);
	}
	query_end(&q);
	return rc;
}

int store_model_list(struct store_conn *c, struct arena *a,
		     struct stored_model **out, size_t *n, struct errinfo *ei)
{
	struct store_query q;
	size_t cap = 0;
	struct stored_model *m;
	int rc;

	*out = NULL;
	*n = 0;
	rc = query_start(c, STMT_MODEL_LIST, &q, ei);
	if (rc)
		return rc;
	while ((rc = query_step(&q, ei)) == 1) {
		m = rows_push(a, (void **)out, n, &cap, sizeof *m);
		if (!m || read_model(&q, a, m, false)) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
	}
	query_end(&q);
	return rc;
}

int store_model_find(struct store_conn *c, struct arena *a, const char *id,
		     const char *version, struct stored_model *m,
		     struct errinfo *ei)
{
	struct stored_model *all;
	size_t n, i;
	int rc;

	if (!version) {
		rc = store_model_list(c, a, &all, &n, ei);
		if (rc)
			return rc;
		for (i = 0; i < n; i++)
			if (strcmp(all[i].id, id) == 0 &&
			    (!version || semver_cmp(all[i].version, version) > 0))
				version = all[i].version;
		if (!version)
			return errinfo_set(ei, ERR_NOTFOUND,
					   "no model '%.64s' is imported", id);
	}
	rc = store_model_get(c, a, id, version, m, ei);
	if (rc == ERR_NOTFOUND)
		errinfo_set(ei, rc, "no model %.64s@%.64s is imported", id, version);
	return rc;
}
