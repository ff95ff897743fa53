/* copy.c: engine-to-engine copy with row-count checks, and online backups. */
#include "copy.h"

#include "engine.h"
#include "rows.h"

#include <stdio.h>
#include <string.h>

struct copy_table {
	const char *name;
	int ncols;
	enum stmt read, write, count;
};

/* In foreign-key order; column counts match the SQL in *-sql.c. */
static const struct copy_table TABLES[STORE_COPY_TABLES] = {
	{ "settings", 3, STMT_COPY_READ_SETTINGS, STMT_COPY_WRITE_SETTINGS,
	  STMT_COPY_COUNT_SETTINGS },
	{ "orgs", 6, STMT_COPY_READ_ORGS, STMT_COPY_WRITE_ORGS,
	  STMT_COPY_COUNT_ORGS },
	{ "services", 9, STMT_COPY_READ_SERVICES, STMT_COPY_WRITE_SERVICES,
	  STMT_COPY_COUNT_SERVICES },
	{ "users", 7, STMT_COPY_READ_USERS, STMT_COPY_WRITE_USERS,
	  STMT_COPY_COUNT_USERS },
	{ "grants", 5, STMT_COPY_READ_GRANTS, STMT_COPY_WRITE_GRANTS,
	  STMT_COPY_COUNT_GRANTS },
	{ "sessions", 6, STMT_COPY_READ_SESSIONS, STMT_COPY_WRITE_SESSIONS,
	  STMT_COPY_COUNT_SESSIONS },
	{ "api_tokens", 8, STMT_COPY_READ_API_TOKENS,
	  STMT_COPY_WRITE_API_TOKENS, STMT_COPY_COUNT_API_TOKENS },
	{ "login_failures", 3, STMT_COPY_READ_LOGIN_FAILURES,
	  STMT_COPY_WRITE_LOGIN_FAILURES, STMT_COPY_COUNT_LOGIN_FAILURES },
	{ "audit_log", 10, STMT_COPY_READ_AUDIT_LOG, STMT_COPY_WRITE_AUDIT_LOG,
	  STMT_COPY_COUNT_AUDIT_LOG },
	{ "models", 8, STMT_COPY_READ_MODELS, STMT_COPY_WRITE_MODELS,
	  STMT_COPY_COUNT_MODELS },
};

static int count_rows(struct store_conn *c, enum stmt id, int64_t *n,
		      struct errinfo *ei)
{
	struct store_query q;
	int rc = query_start(c, id, &q, ei);

	return rc ? rc : rows_int(&q, n, ei);
}

/* Copies one table row by row; orgs go without their parents first. */
static int copy_table(struct store_conn *src, struct store_conn *dst,
		      const struct copy_table *t, int64_t total,
		      store_copy_progress *progress, void *arg,
		      struct errinfo *ei)
{
	struct store_query in, out;
	int64_t done = 0;
	int rc, i;

	rc = query_start(src, t->read, &in, ei);
	if (rc)
		return rc;
	while ((rc = query_step(&in, ei)) == 1) {
		rc = query_start(dst, t->write, &out, ei);
		if (rc)
			break;
		for (i = 0; i < t->ncols; i++)
			query_bind_text(&out, i + 1, query_text(&in, i));
		rc = rows_exec(&out, NULL, ei);
		if (rc) {
			char msg[ERRINFO_MESSAGE_MAX];
			snprintf(msg, sizeof msg, "%s", ei ? ei->message : "");
			errinfo_set(ei, rc, "%s row %lld: %.180s", t->name,
				    (long long)done + 1, msg);
			break;
		}
		done++;
		if (progress && (done % 500 == 0 || done == total))
			progress(arg, t->name, done, total);
	}
	query_end(&in);
	if (rc == 0 && progress && total == 0)
		progress(arg, t->name, 0, 0);
	return rc;
}

static int copy_org_parents(struct store_conn *src, struct store_conn *dst,
			    struct errinfo *ei)
{
	struct store_query in, out;
	int rc = query_start(src, STMT_ORG_LIST_ALL, &in, ei);

	if (rc)
		return rc;
	while ((rc = query_step(&in, ei)) == 1) {
		if (query_int64(&in, 1) == 0)
			continue;
		rc = query_start(dst, STMT_COPY_ORG_PARENT, &out, ei);
		if (rc)
			break;
		query_bind_int64(&out, 1, query_int64(&in, 0));
		query_bind_int64(&out, 2, query_int64(&in, 1));
		rc = rows_exec(&out, NULL, ei);
		if (rc)
			break;
	}
	query_end(&in);
	return rc;
}

int store_copy(struct store *from, struct store *to,
	       store_copy_progress *progress, void *arg,
	       struct store_copy_count *counts, struct errinfo *ei)
{
	struct store_conn *src = store_acquire(from), *dst = store_acquire(to);
	const struct store_engine *de = store_conn_engine(dst);
	int64_t totals[STORE_COPY_TABLES], n;
	int rc = 0, i;

	/* The target must be empty but for its own settings. */
	for (i = 1; i < STORE_COPY_TABLES && !rc; i++) {
		rc = count_rows(dst, TABLES[i].count, &n, ei);
		if (!rc && n)
			rc = errinfo_set(ei, ERR_CONFLICT,
				"the target database is not empty (%s has %lld "
				"rows); copy only into a new database",
				TABLES[i].name, (long long)n);
	}
	for (i = 0; i < STORE_COPY_TABLES && !rc; i++)
		rc = count_rows(src, TABLES[i].count, &totals[i], ei);
	if (!rc)
		rc = store_tx_begin(dst, ei);
	if (rc)
		goto out;
	rc = query_exec(dst, STMT_COPY_CLEAR_SETTINGS, ei);
	for (i = 0; i < STORE_COPY_TABLES && !rc; i++)
		rc = copy_table(src, dst, &TABLES[i], totals[i], progress, arg,
				ei);
	if (!rc)
		rc = copy_org_parents(src, dst, ei);
	if (!rc && de->after_copy_sql)
		rc = de->exec(store_conn_handle(dst), de->after_copy_sql, ei);
	if (rc) {
		store_tx_rollback(dst);
		goto out;
	}
	rc = store_tx_commit(dst, ei);
	for (i = 0; i < STORE_COPY_TABLES && !rc; i++) {
		counts[i].table = TABLES[i].name;
		counts[i].source = totals[i];
		rc = count_rows(dst, TABLES[i].count, &counts[i].target, ei);
		if (!rc && counts[i].target != counts[i].source)
			rc = errinfo_set(ei, ERR_DB,
				"%s: %lld rows in the source but %lld copied",
				TABLES[i].name, (long long)counts[i].source,
				(long long)counts[i].target);
	}
out:
	store_release(src);
	store_release(dst);
	return rc;
}

int store_backup(struct store *s, const char *path, struct errinfo *ei)
{
	struct store_conn *c = store_acquire(s);
	const struct store_engine *e = store_conn_engine(c);
	int rc;

	if (!e->backup)
		rc = errinfo_set(ei, ERR_INVALID,
			"cxm backup copies SQLite databases; back up PostgreSQL "
			"with pg_dump (see docs/operations.md)");
	else
		rc = e->backup(store_conn_handle(c), path, ei);
	store_release(c);
	return rc;
}
