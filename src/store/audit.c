/* audit.c: appending to and reading the audit log. */
#include "audit.h"

#include "rows.h"

int store_audit_insert(struct store_conn *c, struct audit_entry *e,
		       struct errinfo *ei)
{
	struct store_query q;
	char now[32];
	int rc = query_start(c, STMT_AUDIT_INSERT, &q, ei);

	if (rc)
		return rc;
	e->at = NULL;
	query_bind_text(&q, 1, rows_now(now));
	query_bind_int64(&q, 2, e->actor_id);
	query_bind_text(&q, 3, e->actor ? e->actor : "system");
	query_bind_text(&q, 4, e->via ? e->via : "system");
	query_bind_text(&q, 5, e->action);
	query_bind_text(&q, 6, e->object_type);
	query_bind_int64(&q, 7, e->object_id);
	query_bind_text(&q, 8, e->changes ? e->changes : "{}");
	query_bind_text(&q, 9, e->client ? e->client : "");
	return rows_returning_id(&q, &e->id, NULL, ei);
}

int store_audit_list(struct store_conn *c, struct arena *a,
		     const struct audit_filter *f, struct audit_entry **out,
		     size_t *n, struct errinfo *ei)
{
	struct store_query q;
	size_t cap = 0;
	struct audit_entry *e;
	int rc;

	*out = NULL;
	*n = 0;
	rc = query_start(c, STMT_AUDIT_LIST, &q, ei);
	if (rc)
		return rc;
	query_bind_text(&q, 1, f->since);
	query_bind_text(&q, 2, f->action);
	query_bind_text(&q, 3, f->object_type);
	query_bind_text(&q, 4, f->actor);
	query_bind_int64(&q, 5, f->before_id);
	query_bind_int64(&q, 6, f->limit <= 0 ? 100 : f->limit > 1000 ? 1000 : f->limit);
	while ((rc = query_step(&q, ei)) == 1) {
		e = rows_push(a, (void **)out, n, &cap, sizeof *e);
		if (!e) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
		e->id = query_int64(&q, 0);
		e->at = rows_text(&q, 1, a);
		e->actor_id = query_int64(&q, 2);
		e->actor = rows_text(&q, 3, a);
		e->via = rows_text(&q, 4, a);
		e->action = rows_text(&q, 5, a);
		e->object_type = rows_text(&q, 6, a);
		e->object_id = query_int64(&q, 7);
		e->changes = rows_text(&q, 8, a);
		e->client = rows_text(&q, 9, a);
		if (!e->at || !e->actor || !e->via || !e->action ||
		    !e->object_type || !e->changes || !e->client) {
			rc = errinfo_set(ei, ERR_NOMEM, "out of memory");
			break;
		}
	}
	query_end(&q);
	return rc;
}
