/* migrate.c: applying numbered schema migrations in order, each all-or-nothing. */
#include "store.h"

#include "engine.h"
#include "util/clock.h"

#include <stdio.h>

int store_schema_version(struct store_conn *c, int *version,
			 struct errinfo *ei)
{
	struct store_query q;
	int rc;

	*version = 0;
	rc = query_exec(c, STMT_MIGRATIONS_TABLE, ei);
	if (rc)
		return rc;
	rc = query_start(c, STMT_MIGRATIONS_MAX, &q, ei);
	if (!rc) {
		rc = query_step(&q, ei);
		if (rc == 1) {
			*version = (int)query_int64(&q, 0);
			rc = 0;
		} else if (rc == 0) {
			rc = errinfo_set(ei, ERR_DB, "schema_migrations unreadable");
		}
	}
	query_end(&q);
	return rc;
}

static int apply_one(struct store_conn *c, const struct store_migration *m,
		     struct errinfo *ei)
{
	const struct store_engine *e = store_conn_engine(c);
	struct store_query q;
	char now[32];
	int rc;

	rc = store_tx_begin(c, ei);
	if (rc)
		return rc;
	rc = e->exec(store_conn_handle(c), m->sql, ei);
	if (rc) {
		char msg[ERRINFO_MESSAGE_MAX];
		snprintf(msg, sizeof msg, "migration %04d-%.40s failed: %.180s",
			 m->version, m->name, ei ? ei->message : "");
		store_tx_rollback(c);
		return errinfo_set(ei, ERR_DB, "%s", msg);
	}
	clock_iso8601(now, sizeof now);
	rc = query_start(c, STMT_MIGRATIONS_INSERT, &q, ei);
	if (!rc) {
		query_bind_int64(&q, 1, m->version);
		query_bind_text(&q, 2, m->name);
		query_bind_text(&q, 3, now);
		rc = query_step(&q, ei);
		if (rc > 0)
			rc = 0;
	}
	query_end(&q);
	if (rc) {
		store_tx_rollback(c);
		return rc;
	}
	return store_tx_commit(c, ei);
}

int store_migrate(struct store *s, struct store_migrate_report *report,
		  struct errinfo *ei)
{
	const struct store_migration *m;
	struct store_conn *c = store_acquire(s);
	int version = 0, known = store_known_version(s), rc;

	const struct store_engine *e = store_conn_engine(c);

	if (e->migrate_lock_sql &&
	    (rc = e->exec(store_conn_handle(c), e->migrate_lock_sql, ei)))
		goto out;
	rc = store_schema_version(c, &version, ei);
	if (rc)
		goto out;
	report->from_version = report->to_version = version;
	report->known_version = known;
	if (version > known) {
		rc = errinfo_set(ei, ERR_INVALID,
			"the database is at schema version %d but this cxm knows "
			"only up to %d; run a newer cxm", version, known);
		goto out;
	}
	for (m = store_conn_engine(c)->migrations; m->version; m++) {
		if (m->version <= version)
			continue;
		rc = apply_one(c, m, ei);
		if (rc)
			goto out;
		report->to_version = m->version;
	}
out:
	if (e->migrate_unlock_sql)
		e->exec(store_conn_handle(c), e->migrate_unlock_sql, NULL);
	store_release(c);
	return rc;
}
