/* orgs.c: organizations and services. */
#include "accounts.h"

#include "rows.h"

#include <stdio.h>

static int read_org(struct store_query *q, struct arena *a, struct org *o,
		    int extra)
{
	o->id = query_int64(q, 0);
	o->parent_id = query_int64(q, 1);
	o->name = rows_text(q, 2, a);
	o->short_name = rows_text(q, 3, a);
	o->kind = rows_text(q, 4, a);
	o->created_at = rows_text(q, 5, a);
	o->updated_at = rows_text(q, 6, a);
	if (extra == 3) {
		o->depth = (int)query_int64(q, 7);
		o->nservices = query_int64(q, 8);
		o->nchildren = query_int64(q, 9);
	} else {
		o->nservices = query_int64(q, 7);
		o->nchildren = query_int64(q, 8);
	}
	return o->name && o->short_name && o->kind && o->created_at &&
	       o->updated_at ? 0 : ERR_NOMEM;
}

static int org_exists(struct store_conn *c, int64_t id, bool *yes,
		      struct errinfo *ei)
{
	struct store_query q;
	int64_t n = 0;
	int rc = query_start(c, STMT_ORG_EXISTS, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, id);
	rc = rows_int(&q, &n, ei);
	*yes = n > 0;
	return rc;
}

/* Refuses placing a subtree `height` levels tall under parent when the
 * tree would get deeper than ORG_DEPTH_MAX. */
static int check_depth(struct store_conn *c, int64_t parent, int64_t height,
		       struct errinfo *ei)
{
	int64_t ids[ORG_DEPTH_MAX + 2];
	size_t n = 0;
	int rc;

	if (!parent)
		return 0;
	rc = store_org_ancestors(c, parent, ids, ORG_DEPTH_MAX + 2, &n, ei);
	if (rc)
		return rc;
	if ((int64_t)n + 1 + height > ORG_DEPTH_MAX) {
		errinfo_add(ei, "parent_id", 0, 0,
			    "the tree may be at most %d levels deep",
			    ORG_DEPTH_MAX);
		return errinfo_set(ei, ERR_INVALID,
				   "the organization tree would be too deep");
	}
	return 0;
}

int store_org_insert(struct store_conn *c, struct org *o, struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	bool exists = true;
	int rc;

	if (o->parent_id && (rc = org_exists(c, o->parent_id, &exists, ei)))
		return rc;
	if (!exists) {
		errinfo_add(ei, "parent_id", 0, 0, "no organization %lld",
			    (long long)o->parent_id);
		return errinfo_set(ei, ERR_INVALID,
				   "the parent organization does not exist");
	}
	rc = check_depth(c, o->parent_id, 0, ei);
	if (rc)
		return rc;
	rc = query_start(c, STMT_ORG_INSERT, &q, ei);
	if (rc)
		return rc;
	query_bind_int64(&q, 1, o->parent_id);
	query_bind_text(&q, 2, o->name);
	query_bind_text(&q, 3, o->short_name ? o->short_name : "");
	query_bind_text(&q, 4, o->kind);
	query_bind_text(&q, 5, rows_now(now));
	return rows_returning_id(&q, &o->id,
		"an organization with this name already exists here", ei);
}

int store_org_get(struct store_conn *c, struct arena *a, int64_t id,
		  struct org *o, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_ORG_GET, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, id);
	rc = query_step(&q, ei);
	if (rc == 1)
		rc = read_org(&q, a, o, 2);
	else if (rc == 0)
		rc = errinfo_set(ei, ERR_NOTFOUND, "no organization %lld",
				 (long long)id);
	query_end(&q);
	return rc;
}

int store_org_list(struct store_conn *c, struct arena *a, int64_t visible_to,
		   struct org **out, size_t *n, struct errinfo *ei)
{
	struct store_query q;
	size_t cap = 0;
	struct org *o;
	int rc;

	*out = NULL;
	*n = 0;
	rc = query_start(c, visible_to ? STMT_ORG_LIST_VISIBLE
				       : STMT_ORG_LIST_ALL, &q, ei);
	if (rc)
		return rc;
	if (visible_to)
		query_bind_int64(&q, 1, visible_to);
	while ((rc = query_step(&q, ei)) == 1) {
		o = rows_push(a, (void **)out, n, &cap, sizeof *o);
		if (!o || read_org(&q, a, o, 3)) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
	}
	query_end(&q);
	return rc;
}

int store_org_update(struct store_conn *c, const struct org *o,
		     struct errinfo *ei)
{
	struct store_query q;
	int64_t below = 0;
	bool exists = true;
	char now[32];
	int rc;

	if (o->parent_id) {
		rc = org_exists(c, o->parent_id, &exists, ei);
		if (rc)
			return rc;
		if (!exists) {
			errinfo_add(ei, "parent_id", 0, 0, "no organization %lld",
				    (long long)o->parent_id);
			return errinfo_set(ei, ERR_INVALID,
					   "the parent organization does not exist");
		}
		rc = query_start(c, STMT_ORG_IS_DESCENDANT, &q, ei);
		if (rc)
			return rc;
		query_bind_int64(&q, 1, o->id);
		query_bind_int64(&q, 2, o->parent_id);
		rc = rows_int(&q, &below, ei);
		if (rc)
			return rc;
		if (below) {
			errinfo_add(ei, "parent_id", 0, 0,
				    "an organization cannot be moved under itself "
				    "or one of its own descendants");
			return errinfo_set(ei, ERR_INVALID,
				"an organization cannot be moved under itself or "
				"one of its own descendants");
		}
		rc = query_start(c, STMT_ORG_HEIGHT, &q, ei);
		if (rc)
			return rc;
		query_bind_int64(&q, 1, o->id);
		rc = rows_int(&q, &below, ei);
		if (!rc)
			rc = check_depth(c, o->parent_id, below, ei);
		if (rc)
			return rc;
	}
	rc = query_start(c, STMT_ORG_UPDATE, &q, ei);
	if (rc)
		return rc;
	query_bind_int64(&q, 1, o->id);
	query_bind_int64(&q, 2, o->parent_id);
	query_bind_text(&q, 3, o->name);
	query_bind_text(&q, 4, o->short_name ? o->short_name : "");
	query_bind_text(&q, 5, o->kind);
	query_bind_text(&q, 6, rows_now(now));
	return rows_returning_id(&q, NULL,
		"an organization with this name already exists here", ei);
}

int store_org_delete(struct store_conn *c, int64_t id, struct errinfo *ei)
{
	struct org o;
	struct arena a;
	struct store_query q;
	int rc;

	arena_init(&a, 1 << 16);
	rc = store_org_get(c, &a, id, &o, ei);
	if (rc)
		goto out;
	if (o.nservices || o.nchildren) {
		rc = errinfo_set(ei, ERR_CONFLICT,
			"'%.100s' still has %lld service(s) and %lld "
			"sub-organization(s); move or delete them first",
			o.name, (long long)o.nservices, (long long)o.nchildren);
		goto out;
	}
	rc = query_start(c, STMT_ORG_DELETE, &q, ei);
	if (rc)
		goto out;
	query_bind_int64(&q, 1, id);
	rc = rows_returning_id(&q, NULL, NULL, ei);
out:
	arena_release(&a);
	return rc;
}

int store_org_ancestors(struct store_conn *c, int64_t id, int64_t *ids,
			size_t max, size_t *n, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_ORG_ANCESTORS, &q, ei);

	*n = 0;
	if (rc)
		return rc;
	query_bind_int64(&q, 1, id);
	while ((rc = query_step(&q, ei)) == 1)
		if (*n < max)
			ids[(*n)++] = query_int64(&q, 0);
	query_end(&q);
	return rc;
}

/* --- services ---------------------------------------------------------- */

static int read_service(struct store_query *q, struct arena *a,
			struct service *s)
{
	s->id = query_int64(q, 0);
	s->org_id = query_int64(q, 1);
	s->name = rows_text(q, 2, a);
	s->description = rows_text(q, 3, a);
	s->channels = rows_text(q, 4, a);
	s->hisp = query_int64(q, 5) != 0;
	s->annual_customers = query_int64(q, 6);
	s->org_name = rows_text(q, 7, a);
	s->created_at = rows_text(q, 8, a);
	s->updated_at = rows_text(q, 9, a);
	return s->name && s->description && s->channels && s->org_name &&
	       s->created_at && s->updated_at ? 0 : ERR_NOMEM;
}

static int check_service_org(struct store_conn *c, int64_t org_id,
			     struct errinfo *ei)
{
	bool exists = false;
	int rc = org_exists(c, org_id, &exists, ei);

	if (rc)
		return rc;
	if (!exists) {
		errinfo_add(ei, "org_id", 0, 0, "no organization %lld",
			    (long long)org_id);
		return errinfo_set(ei, ERR_INVALID,
				   "the organization does not exist");
	}
	return 0;
}

static void bind_service(struct store_query *q, const struct service *s,
			 int first)
{
	query_bind_int64(q, first, s->org_id);
	query_bind_text(q, first + 1, s->name);
	query_bind_text(q, first + 2, s->description ? s->description : "");
	query_bind_text(q, first + 3, s->channels ? s->channels : "[]");
	query_bind_int64(q, first + 4, s->hisp);
	query_bind_int64(q, first + 5, s->annual_customers);
}

int store_service_insert(struct store_conn *c, struct service *s,
			 struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	int rc = check_service_org(c, s->org_id, ei);

	if (rc || (rc = query_start(c, STMT_SERVICE_INSERT, &q, ei)))
		return rc;
	bind_service(&q, s, 1);
	query_bind_text(&q, 7, rows_now(now));
	return rows_returning_id(&q, &s->id,
		"a service with this name already exists in this organization",
		ei);
}

int store_service_get(struct store_conn *c, struct arena *a, int64_t id,
		      struct service *s, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_SERVICE_GET, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, id);
	rc = query_step(&q, ei);
	if (rc == 1)
		rc = read_service(&q, a, s);
	else if (rc == 0)
		rc = errinfo_set(ei, ERR_NOTFOUND, "no service %lld",
				 (long long)id);
	query_end(&q);
	return rc;
}

int store_service_list(struct store_conn *c, struct arena *a, int64_t org_id,
		       int64_t visible_to, struct service **out, size_t *n,
		       struct errinfo *ei)
{
	struct store_query q;
	size_t cap = 0;
	struct service *s;
	int rc;

	*out = NULL;
	*n = 0;
	rc = query_start(c, STMT_SERVICE_LIST, &q, ei);
	if (rc)
		return rc;
	query_bind_int64(&q, 1, org_id);
	query_bind_int64(&q, 2, visible_to);
	while ((rc = query_step(&q, ei)) == 1) {
		s = rows_push(a, (void **)out, n, &cap, sizeof *s);
		if (!s || read_service(&q, a, s)) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
	}
	query_end(&q);
	return rc;
}

int store_service_update(struct store_conn *c, const struct service *s,
			 struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	int rc = check_service_org(c, s->org_id, ei);

	if (rc || (rc = query_start(c, STMT_SERVICE_UPDATE, &q, ei)))
		return rc;
	query_bind_int64(&q, 1, s->id);
	bind_service(&q, s, 2);
	query_bind_text(&q, 8, rows_now(now));
	rc = rows_returning_id(&q, NULL,
		"a service with this name already exists in this organization",
		ei);
	if (rc == ERR_NOTFOUND)
		errinfo_set(ei, rc, "no service %lld", (long long)s->id);
	return rc;
}

int store_service_delete(struct store_conn *c, int64_t id, struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, STMT_SERVICE_DELETE, &q, ei);

	if (rc)
		return rc;
	query_bind_int64(&q, 1, id);
	rc = rows_returning_id(&q, NULL,
		"the service is still referred to by other records", ei);
	if (rc == ERR_NOTFOUND)
		errinfo_set(ei, rc, "no service %lld", (long long)id);
	return rc;
}
