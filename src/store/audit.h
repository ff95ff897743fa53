/* audit.h: the append-only record of who changed what, when. */
#ifndef CXM_AUDIT_H
#define CXM_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

struct audit_entry {
	int64_t id;
	const char *at;              /* ISO 8601 UTC, set by the store */
	int64_t actor_id;            /* 0: not a user (cli, system) */
	const char *actor;           /* email, "cli:NAME" or "system" */
	const char *via;             /* web, api, cli, system */
	const char *action;          /* create, update, delete, sign-in, ... */
	const char *object_type;     /* org, service, user, grant, token, session */
	int64_t object_id;
	const char *changes;         /* JSON object */
	const char *client;          /* client address, "" when none */
};

/* Appends e (at and id are set here).  Call inside the transaction of the
 * change it records, so both commit or neither. */
int store_audit_insert(struct store_conn *c, struct audit_entry *e,
		       struct errinfo *ei);

/* Filters for store_audit_list; NULL/0 fields match everything. */
struct audit_filter {
	const char *since;           /* ISO 8601, inclusive */
	const char *action, *object_type, *actor;
	int64_t before_id;           /* for paging: entries older than this */
	int64_t limit;               /* 1..1000 */
};

/* Newest first. */
int store_audit_list(struct store_conn *c, struct arena *a,
		     const struct audit_filter *f, struct audit_entry **out,
		     size_t *n, struct errinfo *ei);

#endif
