/* sqlite.c: the SQLite engine: WAL, foreign keys, busy timeout, cached statements. */
#include "engine.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generated at build time from migrations/sqlite/NNNN-name.sql. */
extern const struct store_migration store_sqlite_migrations[];

enum { SQLITE_BUSY_MS = 5000 };

/* SQL text per statement id (sqlite-sql.c). */
extern const char *const store_sqlite_sql[STMT__MAX];
#define SQL store_sqlite_sql

struct sqlite_conn {
	sqlite3 *db;
	sqlite3_stmt *stmts[STMT__MAX];
};

static int fail(sqlite3 *db, struct errinfo *ei, enum err code,
		const char *what)
{
	return errinfo_set(ei, code, "%s: %s", what,
			   db ? sqlite3_errmsg(db) : "out of memory");
}

static int conn_open(const char *path, void **out, struct errinfo *ei)
{
	struct sqlite_conn *c;
	char *msg = NULL;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof *c);
	if (!c)
		return errinfo_set(ei, ERR_NOMEM, "out of memory");
	rc = sqlite3_open_v2(path, &c->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		errinfo_set(ei, ERR_UNAVAILABLE, "cannot open database '%s': %s",
			    path, c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, SQLITE_BUSY_MS);
	/* synchronous=FULL: a commit is on disk before it is acknowledged. */
	rc = sqlite3_exec(c->db,
			  "PRAGMA journal_mode=WAL;"
			  "PRAGMA synchronous=FULL;"
			  "PRAGMA foreign_keys=ON;",
			  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		errinfo_set(ei, ERR_UNAVAILABLE, "cannot use database '%s': %s",
			    path, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	sqlite3_close_v2(c->db);
	free(c);
	return ERR_UNAVAILABLE;
}

static void conn_close(void *handle)
{
	struct sqlite_conn *c = handle;
	int i;

	if (!c)
		return;
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(c->stmts[i]);
	sqlite3_close_v2(c->db);
	free(c);
}

static int exec(void *handle, const char *sql, struct errinfo *ei)
{
	struct sqlite_conn *c = handle;
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return 0;
	errinfo_set(ei, ERR_DB, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return ERR_DB;
}

static int prepare(void *handle, enum stmt id, void **out, struct errinfo *ei)
{
	struct sqlite_conn *c = handle;

	if ((unsigned)id >= STMT__MAX || !SQL[id])
		return errinfo_set(ei, ERR_INTERNAL, "no SQL for statement %d",
				   (int)id);
	if (!c->stmts[id] &&
	    sqlite3_prepare_v3(c->db, SQL[id], -1, SQLITE_PREPARE_PERSISTENT,
			       &c->stmts[id], NULL) != SQLITE_OK)
		return fail(c->db, ei, ERR_DB, "prepare");
	*out = c->stmts[id];
	return 0;
}

static int bind_int64(void *h, int idx, int64_t v)
{
	return sqlite3_bind_int64(h, idx, v) == SQLITE_OK ? 0 : ERR_DB;
}

static int bind_text(void *h, int idx, const char *s, size_t len)
{
	return sqlite3_bind_text64(h, idx, s, len, SQLITE_TRANSIENT,
				   SQLITE_UTF8) == SQLITE_OK ? 0 : ERR_DB;
}

static int bind_null(void *h, int idx)
{
	return sqlite3_bind_null(h, idx) == SQLITE_OK ? 0 : ERR_DB;
}

static int step(void *handle, void *h, struct errinfo *ei)
{
	struct sqlite_conn *c = handle;
	int rc = sqlite3_step(h);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT_CHECK || rc == SQLITE_CONSTRAINT_NOTNULL)
		return fail(c->db, ei, ERR_INVALID, "constraint");
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return fail(c->db, ei, ERR_CONFLICT, "constraint");
	switch (rc & 0xff) {
	case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_NOTADB:
	case SQLITE_CORRUPT: case SQLITE_IOERR: case SQLITE_CANTOPEN:
	case SQLITE_FULL: case SQLITE_READONLY: case SQLITE_PROTOCOL:
		/* The database cannot be used right now: 503, not 500. */
		return fail(c->db, ei, ERR_UNAVAILABLE, "database unavailable");
	}
	return fail(c->db, ei, ERR_DB, "query");
}

static int64_t column_int64(void *h, int col)
{
	return sqlite3_column_int64(h, col);
}

static const char *column_text(void *h, int col)
{
	return (const char *)sqlite3_column_text(h, col);
}

static bool column_is_null(void *h, int col)
{
	return sqlite3_column_type(h, col) == SQLITE_NULL;
}

static void reset(void *h)
{
	sqlite3_reset(h);
	sqlite3_clear_bindings(h);
}

/* Drops this connection's page cache first, so the check reads the file. */
static int health(void *handle, struct errinfo *ei)
{
	struct sqlite_conn *c = handle;
	void *h;
	int rc;

	sqlite3_db_release_memory(c->db);
	if (prepare(c, STMT_HEALTH, &h, ei))
		return ERR_UNAVAILABLE;
	rc = step(c, h, ei);
	reset(h);
	if (rc != 1)
		return errinfo_set(ei, ERR_UNAVAILABLE, "database unreadable: %s",
				   sqlite3_errmsg(c->db));
	return 0;
}

/* The online backup API copies a consistent snapshot page by page while
 * other connections keep working. */
static int backup(void *handle, const char *path, struct errinfo *ei)
{
	struct sqlite_conn *c = handle;
	sqlite3 *dest = NULL;
	sqlite3_backup *b;
	int rc;

	rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		errinfo_set(ei, ERR_IO, "cannot create '%s': %s", path,
			    dest ? sqlite3_errmsg(dest) : "out of memory");
		sqlite3_close_v2(dest);
		return ERR_IO;
	}
	b = sqlite3_backup_init(dest, "main", c->db, "main");
	if (!b) {
		errinfo_set(ei, ERR_IO, "backup: %s", sqlite3_errmsg(dest));
		sqlite3_close_v2(dest);
		return ERR_IO;
	}
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		errinfo_set(ei, ERR_IO, "backup: %s", sqlite3_errstr(rc));
		sqlite3_close_v2(dest);
		return ERR_IO;
	}
	rc = sqlite3_close_v2(dest);
	return rc == SQLITE_OK ? 0 : errinfo_set(ei, ERR_IO, "backup: close failed");
}

static bool in_transaction(void *handle)
{
	struct sqlite_conn *c = handle;

	return !sqlite3_get_autocommit(c->db);
}

const struct store_engine store_engine_sqlite = {
	.name = "sqlite",
	.begin_sql = "BEGIN IMMEDIATE",
	.migrations = store_sqlite_migrations,
	.conn_open = conn_open,
	.conn_close = conn_close,
	.exec = exec,
	.prepare = prepare,
	.bind_int64 = bind_int64,
	.bind_text = bind_text,
	.bind_null = bind_null,
	.step = step,
	.column_int64 = column_int64,
	.column_text = column_text,
	.column_is_null = column_is_null,
	.reset = reset,
	.health = health,
	.in_transaction = in_transaction,
	.backup = backup,
};
