/* rows.c: row-to-struct helpers shared by the store's table files. */
#include "rows.h"

#include "store/accounts.h"
#include "util/clock.h"

#include <stdint.h>
#include <string.h>

void *rows_push(struct arena *a, void **items, size_t *n, size_t *cap,
		size_t size)
{
	void *bigger, *slot;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		if (ncap > SIZE_MAX / size)
			return NULL;
		bigger = arena_alloc(a, ncap * size);
		if (!bigger)
			return NULL;
		if (*n)
			memcpy(bigger, *items, *n * size);
		*items = bigger;
		*cap = ncap;
	}
	slot = (char *)*items + *n * size;
	memset(slot, 0, size);
	(*n)++;
	return slot;
}

const char *rows_text(struct store_query *q, int col, struct arena *a)
{
	const char *s = query_text(q, col);

	return arena_strdup(a, s ? s : "");
}

int rows_exec(struct store_query *q, const char *conflict_msg,
	      struct errinfo *ei)
{
	int rc = query_step(q, ei);

	query_end(q);
	if (rc == ERR_CONFLICT && conflict_msg)
		return errinfo_set(ei, ERR_CONFLICT, "%s", conflict_msg);
	return rc > 0 ? 0 : rc;
}

int rows_int(struct store_query *q, int64_t *out, struct errinfo *ei)
{
	int rc = query_step(q, ei);

	if (rc == 1) {
		*out = query_int64(q, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = errinfo_set(ei, ERR_DB, "expected a row");
	}
	query_end(q);
	return rc;
}

const char *rows_now(char buf[32])
{
	clock_iso8601(buf, 32);
	return buf;
}

int rows_returning_id(struct store_query *q, int64_t *id,
		      const char *conflict_msg, struct errinfo *ei)
{
	int rc = query_step(q, ei);

	if (rc == 1) {
		if (id)
			*id = query_int64(q, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = errinfo_set(ei, ERR_NOTFOUND, "not found");
	} else if (rc == ERR_CONFLICT && conflict_msg) {
		rc = errinfo_set(ei, ERR_CONFLICT, "%s", conflict_msg);
	}
	query_end(q);
	return rc;
}

int rows_user(struct store_query *q, struct arena *a, struct user *u,
	      int first)
{
	u->id = query_int64(q, first);
	u->email = rows_text(q, first + 1, a);
	u->name = rows_text(q, first + 2, a);
	u->password_hash = rows_text(q, first + 3, a);
	u->is_admin = query_int64(q, first + 4) != 0;
	u->created_at = rows_text(q, first + 5, a);
	return u->email && u->name && u->password_hash && u->created_at
	       ? 0 : ERR_NOMEM;
}
