/* copy.h: copying a whole database between engines (cxm db copy). */
#ifndef CXM_COPY_H
#define CXM_COPY_H

#include <stdint.h>

#include "store/store.h"

/* Told about progress: table name, rows copied so far, rows in all. */
typedef void store_copy_progress(void *arg, const char *table, int64_t done,
				 int64_t total);

/* One line of the result check: rows in the source and in the target. */
struct store_copy_count {
	const char *table;
	int64_t source, target;
};

enum { STORE_COPY_TABLES = 10 };

/* Copies every table of `from` into `to` (both migrated to the same
 * schema version), keeping ids, in one transaction on the target; then
 * counts rows table by table into counts (STORE_COPY_TABLES entries).
 * The target must hold no organizations, services, users or audit
 * entries (ERR_CONFLICT).  ERR_DB when a count differs; nothing is left
 * half-copied on failure. */
int store_copy(struct store *from, struct store *to,
	       store_copy_progress *progress, void *arg,
	       struct store_copy_count *counts, struct errinfo *ei);

/* A consistent copy of a SQLite database into a new file at path, taken
 * while the server runs.  ERR_INVALID for PostgreSQL (use pg_dump). */
int store_backup(struct store *s, const char *path, struct errinfo *ei);

#endif
