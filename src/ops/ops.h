/* ops.h: the changes people make, each one transaction with its audit entry.
 * The web pages, the JSON API and the command line all change data through
 * these functions, so every path validates and records the same way. */
#ifndef CXM_OPS_H
#define CXM_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/entity.h"
#include "core/role.h"
#include "store/accounts.h"
#include "util/arena.h"
#include "util/err.h"

/* Who makes a change, for the audit log. */
struct actor {
	int64_t user_id;             /* 0 for the command line or the system */
	const char *label;           /* email, "cli:NAME", "system" */
	const char *via;             /* web, api, cli, system */
	const char *client;          /* client address or "" */
	int64_t token_id;            /* API token used, 0 if none */
};

/* Each function below: validates (ERR_INVALID with one detail per bad
 * field), runs in one transaction on c, writes one audit entry with the
 * changed fields, and commits; on any failure nothing is stored. */

int ops_org_create(struct store_conn *c, const struct actor *who,
		   const struct org_input *in, int64_t *id, struct errinfo *ei);
int ops_org_update(struct store_conn *c, const struct actor *who, int64_t id,
		   const struct org_input *in, struct errinfo *ei);
int ops_org_delete(struct store_conn *c, const struct actor *who, int64_t id,
		   struct errinfo *ei);

int ops_service_create(struct store_conn *c, const struct actor *who,
		       const struct service_input *in, int64_t *id,
		       struct errinfo *ei);
int ops_service_update(struct store_conn *c, const struct actor *who,
		       int64_t id, const struct service_input *in,
		       struct errinfo *ei);
int ops_service_delete(struct store_conn *c, const struct actor *who,
		       int64_t id, struct errinfo *ei);

/* Creates a user.  email is normalised (lower case); password must pass
 * secret_password_problem().  ERR_CONFLICT for a taken email. */
int ops_user_create(struct store_conn *c, const struct actor *who,
		    const char *email, const char *name, const char *password,
		    bool is_admin, int64_t *id, struct errinfo *ei);
/* Sets a new password and ends the user's sessions. */
int ops_user_set_password(struct store_conn *c, const struct actor *who,
			  int64_t user_id, const char *password,
			  struct errinfo *ei);
int ops_user_set_admin(struct store_conn *c, const struct actor *who,
		       int64_t user_id, bool is_admin, struct errinfo *ei);
int ops_grant_set(struct store_conn *c, const struct actor *who,
		  int64_t user_id, int64_t org_id, enum role role,
		  struct errinfo *ei);
int ops_grant_delete(struct store_conn *c, const struct actor *who,
		     int64_t user_id, int64_t org_id, struct errinfo *ei);

/* Creates an API token for user_id named name, valid for `days` (0: no
 * expiry, at most 3650).  Writes the token text (shown once) into out. */
int ops_token_create(struct store_conn *c, const struct actor *who,
		     int64_t user_id, const char *name, int64_t days,
		     char *out, size_t cap, int64_t *id, struct errinfo *ei);
/* Revokes token id; only_user limits it to that user's tokens (0: any). */
int ops_token_revoke(struct store_conn *c, const struct actor *who,
		     int64_t id, int64_t only_user, struct errinfo *ei);

/* Imports a maturity model file (text[0..len), name for messages) as an
 * immutable version.  ERR_INVALID with one detail per problem (line and
 * column) when model_load refuses it.  When the same id and version are
 * stored: identical content (same SHA-256) returns 0 with *already set,
 * storing and auditing nothing; other content is ERR_CONFLICT.  Otherwise
 * stores the row and its audit entry ("import", "model", {id, version}).
 * id and version (the model's, from arena a) are set on success. */
int ops_model_import(struct store_conn *c, const struct actor *who,
		     const char *name, const char *text, size_t len,
		     struct arena *a, const char **id, const char **version,
		     bool *already, struct errinfo *ei);

/* Records an event that changes no table (sign-in, sign-out). */
int ops_audit_event(struct store_conn *c, const struct actor *who,
		    const char *action, const char *object_type,
		    int64_t object_id, struct errinfo *ei);

#endif
