/* engine.h: what a storage engine provides (internal to src/store/). */
#ifndef CXM_STORE_ENGINE_H
#define CXM_STORE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stmt.h"
#include "store.h"

/* One numbered schema change, embedded from migrations/<engine>/. */
struct store_migration {
	int version;
	const char *name;
	const char *sql;
};

/* A statement in use on one connection.  Bind errors are sticky and
 * reported by query_step. */
struct store_query {
	struct store_conn *conn;
	void *handle;             /* engine's prepared statement */
	enum stmt id;
	int err;
};

/* The engine vtable.  Connection handles are opaque `void *`. */
struct store_engine {
	const char *name;
	/* Starts a transaction that takes the write lock at once. */
	const char *begin_sql;
	/* Held around migrations so two servers starting together do not
	 * both migrate (NULL: the transaction's lock is enough). */
	const char *migrate_lock_sql, *migrate_unlock_sql;
	/* Ordered by version, ended by a row with version 0. */
	const struct store_migration *migrations;
	int (*conn_open)(const char *url, void **conn, struct errinfo *ei);
	void (*conn_close)(void *conn);
	/* Runs a script of one or more statements without results. */
	int (*exec)(void *conn, const char *sql, struct errinfo *ei);
	/* Gets the (cached) prepared statement for id. */
	int (*prepare)(void *conn, enum stmt id, void **handle,
		       struct errinfo *ei);
	int (*bind_int64)(void *handle, int idx, int64_t v);
	int (*bind_text)(void *handle, int idx, const char *s, size_t len);
	int (*bind_null)(void *handle, int idx);
	/* 1: a row is ready, 0: done, <0: error (message in ei). */
	int (*step)(void *conn, void *handle, struct errinfo *ei);
	int64_t (*column_int64)(void *handle, int col);
	const char *(*column_text)(void *handle, int col);
	bool (*column_is_null)(void *handle, int col);
	void (*reset)(void *handle);
	/* Reads the database bypassing any cache; 0 or ERR_UNAVAILABLE. */
	int (*health)(void *conn, struct errinfo *ei);
	bool (*in_transaction)(void *conn);
	/* Run after cxm db copy wrote explicit ids (NULL: nothing to do). */
	const char *after_copy_sql;
	/* A consistent online copy into a new file (NULL: not supported). */
	int (*backup)(void *conn, const char *path, struct errinfo *ei);
	/* Cross-server events (NULL: delivered in-process after commit).
	 * notify runs inside the transaction; listen_start starts a thread
	 * that hands every event, from any server, to sink. */
	int (*notify)(void *conn, const char *topic, const char *payload,
		      struct errinfo *ei);
	int (*listen_start)(const char *url, store_event_sink *sink, void *arg,
			    void **listener, struct errinfo *ei);
	void (*listen_stop)(void *listener);
};

/* The SQLite engine (sqlite.c) and the PostgreSQL engine (pg.c). */
extern const struct store_engine store_engine_sqlite;
extern const struct store_engine store_engine_pg;

/* Starts statement id on c.  Always pair with query_end. */
int query_start(struct store_conn *c, enum stmt id, struct store_query *q,
		struct errinfo *ei);
/* Binds parameter idx (1-based); NULL text binds SQL NULL. */
void query_bind_int64(struct store_query *q, int idx, int64_t v);
void query_bind_text(struct store_query *q, int idx, const char *s);
/* 1: row, 0: done, <0: error. */
int query_step(struct store_query *q, struct errinfo *ei);
int64_t query_int64(struct store_query *q, int col);
/* Valid until the next step or query_end; NULL for SQL NULL. */
const char *query_text(struct store_query *q, int col);
bool query_is_null(struct store_query *q, int col);
/* Releases the statement for reuse. */
void query_end(struct store_query *q);
/* Runs a statement that returns no rows, with no parameters. */
int query_exec(struct store_conn *c, enum stmt id, struct errinfo *ei);

/* The engine connection behind c, for engine-level calls. */
void *store_conn_handle(struct store_conn *c);
const struct store_engine *store_conn_engine(struct store_conn *c);

#endif
