/* rows.h: helpers for store functions that turn result rows into arena structs (internal). */
#ifndef CXM_STORE_ROWS_H
#define CXM_STORE_ROWS_H

#include <stddef.h>

#include "engine.h"
#include "util/arena.h"

/* Appends one zeroed element of `size` bytes to the arena array *items
 * (n used, cap allocated), growing it by doubling.  NULL when out of
 * memory. */
void *rows_push(struct arena *a, void **items, size_t *n, size_t *cap,
		size_t size);

/* Column col as an arena string; "" for SQL NULL; NULL when out of memory
 * (the caller reports ERR_NOMEM). */
const char *rows_text(struct store_query *q, int col, struct arena *a);

/* Steps q to completion expecting no row; maps a constraint failure to
 * ERR_CONFLICT with `conflict_msg`.  Ends q. */
int rows_exec(struct store_query *q, const char *conflict_msg,
	      struct errinfo *ei);

/* Steps q once expecting a row holding one integer in column 0; ends q. */
int rows_int(struct store_query *q, int64_t *out, struct errinfo *ei);

/* Steps a statement ending in RETURNING id: stores the id, ERR_NOTFOUND
 * when no row was affected, ERR_CONFLICT with conflict_msg on a
 * uniqueness clash.  Ends q. */
int rows_returning_id(struct store_query *q, int64_t *id,
		      const char *conflict_msg, struct errinfo *ei);

struct user;

/* Reads the user columns (id, email, name, password_hash, is_admin,
 * created_at) starting at column `first` into u.  ERR_NOMEM or 0. */
int rows_user(struct store_query *q, struct arena *a, struct user *u,
	      int first);

/* The current UTC time as ISO 8601 in buf (32 bytes). */
const char *rows_now(char buf[32]);

#endif
