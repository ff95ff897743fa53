/* store.h: the storage interface; callers never see an engine's types. */
#ifndef CXM_STORE_H
#define CXM_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* An open database: one engine, a pool of connections.  Thread-safe:
 * every worker borrows a connection with store_acquire(). */
struct store;

/* One connection, used by one thread between acquire and release. */
struct store_conn;

/* What store_migrate() did. */
struct store_migrate_report {
	int from_version;   /* schema version before */
	int to_version;     /* schema version after */
	int known_version;  /* the newest version this program knows */
};

/* True when url names a PostgreSQL database (a postgresql:// or
 * postgres:// URL, or a libpq conninfo with host= or dbname=); anything
 * else is a SQLite file path. */
bool store_is_postgres_url(const char *url);

/* Opens the database named by url (a SQLite file path, or a PostgreSQL
 * URL/conninfo, multi-host and target_session_attrs included) with
 * `pool_size` connections (at least 1).  Does not migrate.  On failure
 * returns ERR_UNAVAILABLE (cannot connect) or ERR_INVALID (bad URL). */
int store_open(const char *url, unsigned pool_size, struct store **out,
	       struct errinfo *ei);

/* Closes every connection and frees s (NULL allowed).  No connection may
 * be borrowed at the time. */
void store_close(struct store *s);

/* The engine's name ("sqlite"). */
const char *store_engine_name(const struct store *s);

/* Borrows a connection, waiting while all are in use.  Never fails. */
struct store_conn *store_acquire(struct store *s);

/* Returns a connection; rolls back a transaction left open by mistake. */
void store_release(struct store_conn *c);

/* Applies every pending migration in order, each in its own transaction,
 * recording it in schema_migrations.  A database newer than this program
 * is refused with ERR_INVALID and a message naming both versions. */
int store_migrate(struct store *s, struct store_migrate_report *report,
		  struct errinfo *ei);

/* The newest schema version this program knows. */
int store_known_version(const struct store *s);

/* The database's schema version (0 when never migrated). */
int store_schema_version(struct store_conn *c, int *version,
			 struct errinfo *ei);

/* Checks that the database can be read right now (bypassing caches).
 * ERR_UNAVAILABLE with the engine's message when it cannot. */
int store_health(struct store *s, struct errinfo *ei);

/* All-or-nothing work: begin, then commit or roll back.  begin takes the
 * write lock at once so a transaction never fails half-way on a lock.
 * Transactions nest: an inner begin is a savepoint, so a caller can wrap
 * several changes that each run their own transaction into one. */
int store_tx_begin(struct store_conn *c, struct errinfo *ei);
int store_tx_commit(struct store_conn *c, struct errinfo *ei);
void store_tx_rollback(struct store_conn *c);

/* Live events (changes as they commit), for server-sent events.  A sink
 * receives each committed event: topic ("audit") and a JSON payload. */
typedef void store_event_sink(void *arg, const char *topic,
			      const char *payload);

/* Raises an event inside c's current transaction: it is delivered when
 * the transaction commits and dropped when it rolls back (a savepoint
 * rollback drops the events raised since the savepoint).  With PostgreSQL
 * it reaches every server's sink through NOTIFY; with SQLite the local
 * sink only.  Payloads over 7,900 bytes are the caller's to shorten. */
int store_event(struct store_conn *c, const char *topic, const char *payload,
		struct errinfo *ei);

/* Starts delivering events to sink: directly after each commit (SQLite),
 * or from a LISTEN connection kept by a background thread that reconnects
 * after failures (PostgreSQL).  Call once, before serving. */
int store_listen(struct store *s, store_event_sink *sink, void *arg,
		 struct errinfo *ei);

#endif
