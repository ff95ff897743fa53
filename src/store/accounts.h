/* accounts.h: organizations, services, users, grants, sessions, API tokens and sign-in throttling. */
#ifndef CXM_ACCOUNTS_H
#define CXM_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/role.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* Strings in every struct below live in the arena passed to the call that
 * filled it.  Ids are positive; 0 means "none". */

struct org {
	int64_t id, parent_id;
	const char *name, *short_name, *kind;
	const char *created_at, *updated_at;
	int depth;                   /* 0 for a root, in tree listings */
	int64_t nservices, nchildren;
};

struct service {
	int64_t id, org_id;
	const char *name, *description;
	const char *channels;        /* JSON array of channel keys */
	bool hisp;                   /* High Impact Service Provider */
	int64_t annual_customers;    /* -1: not known */
	const char *org_name;
	const char *created_at, *updated_at;
};

struct user {
	int64_t id;
	const char *email, *name, *password_hash;
	bool is_admin;
	const char *created_at;
};

struct user_grant {
	int64_t id, user_id, org_id;
	enum role role;
	const char *org_name;
};

struct session {
	int64_t id;
	const char *csrf;
	int64_t created_at, last_seen;
	struct user user;
};

struct api_token {
	int64_t id, user_id;
	const char *name, *user_email;
	int64_t created_at, expires_at, last_used_at, revoked_at; /* 0: never */
};

/* --- organizations -------------------------------------------------- */

/* Levels of the organization tree (a department is level 1). */
enum { ORG_DEPTH_MAX = 12 };

/* Inserts o (name, short_name, kind, parent_id) and sets o->id.
 * ERR_CONFLICT when a sibling has the same name; ERR_INVALID when the
 * parent does not exist or the tree would grow deeper than ORG_DEPTH_MAX. */
int store_org_insert(struct store_conn *c, struct org *o, struct errinfo *ei);

/* Loads organization id into o; ERR_NOTFOUND when missing. */
int store_org_get(struct store_conn *c, struct arena *a, int64_t id,
		  struct org *o, struct errinfo *ei);

/* Every organization in tree order (parents before children, siblings
 * by name) with depth and counts; only the subtrees granted to user
 * `visible_to` unless it is 0. */
int store_org_list(struct store_conn *c, struct arena *a, int64_t visible_to,
		   struct org **out, size_t *n, struct errinfo *ei);

/* Updates name, short_name, kind and parent_id of o->id.  Refuses with
 * ERR_INVALID a parent that is the organization itself or one of its
 * descendants, or a move that makes the tree deeper than ORG_DEPTH_MAX;
 * ERR_CONFLICT on a sibling name clash; ERR_NOTFOUND. */
int store_org_update(struct store_conn *c, const struct org *o,
		     struct errinfo *ei);

/* Deletes an organization.  ERR_CONFLICT while it has services or
 * children; ERR_NOTFOUND when missing. */
int store_org_delete(struct store_conn *c, int64_t id, struct errinfo *ei);

/* Fills ids with the organization and all its ancestors (at most max);
 * *n is 0 when the organization does not exist. */
int store_org_ancestors(struct store_conn *c, int64_t id, int64_t *ids,
			size_t max, size_t *n, struct errinfo *ei);

/* --- services ---------------------------------------------------------- */

int store_service_insert(struct store_conn *c, struct service *s,
			 struct errinfo *ei);
int store_service_get(struct store_conn *c, struct arena *a, int64_t id,
		      struct service *s, struct errinfo *ei);
/* Services, by organization then name; only those under organization
 * `org_id`'s subtree when it is not 0, only those visible to user
 * `visible_to` when it is not 0. */
int store_service_list(struct store_conn *c, struct arena *a, int64_t org_id,
		       int64_t visible_to, struct service **out, size_t *n,
		       struct errinfo *ei);
int store_service_update(struct store_conn *c, const struct service *s,
			 struct errinfo *ei);
int store_service_delete(struct store_conn *c, int64_t id, struct errinfo *ei);

/* --- users and grants -------------------------------------------------- */

/* Inserts u (email lower-cased by the caller, name, password_hash,
 * is_admin); ERR_CONFLICT when the email is taken. */
int store_user_insert(struct store_conn *c, struct user *u, struct errinfo *ei);
int store_user_get(struct store_conn *c, struct arena *a, int64_t id,
		   struct user *u, struct errinfo *ei);
int store_user_by_email(struct store_conn *c, struct arena *a,
			const char *email, struct user *u, struct errinfo *ei);
int store_user_list(struct store_conn *c, struct arena *a, struct user **out,
		    size_t *n, struct errinfo *ei);
int store_user_set_password(struct store_conn *c, int64_t id,
			    const char *password_hash, struct errinfo *ei);
int store_user_set_admin(struct store_conn *c, int64_t id, bool is_admin,
			 struct errinfo *ei);
int store_user_count(struct store_conn *c, int64_t *n, struct errinfo *ei);

/* Grants role on org's subtree (replacing an earlier role on that org). */
int store_grant_set(struct store_conn *c, int64_t user_id, int64_t org_id,
		    enum role role, struct errinfo *ei);
/* Removes the user's grant on org; ERR_NOTFOUND when there was none. */
int store_grant_delete(struct store_conn *c, int64_t user_id, int64_t org_id,
		       struct errinfo *ei);
int store_grant_list(struct store_conn *c, struct arena *a, int64_t user_id,
		     struct user_grant **out, size_t *n, struct errinfo *ei);

/* --- sessions ---------------------------------------------------------- */

int store_session_insert(struct store_conn *c, const char *token_hash,
			 int64_t user_id, const char *csrf, int64_t now,
			 struct errinfo *ei);
/* The session and its user; ERR_NOTFOUND when unknown. */
int store_session_get(struct store_conn *c, struct arena *a,
		      const char *token_hash, struct session *s,
		      struct errinfo *ei);
int store_session_touch(struct store_conn *c, int64_t id, int64_t now,
			struct errinfo *ei);
int store_session_delete(struct store_conn *c, int64_t id, struct errinfo *ei);
/* Drops sessions idle since before idle_before or created before
 * created_before. */
int store_session_expire(struct store_conn *c, int64_t idle_before,
			 int64_t created_before, struct errinfo *ei);
/* Ends every session of a user (after a password change). */
int store_session_delete_user(struct store_conn *c, int64_t user_id,
			      struct errinfo *ei);

/* --- API tokens -------------------------------------------------------- */

int store_token_insert(struct store_conn *c, int64_t user_id,
		       const char *name, const char *token_hash, int64_t now,
		       int64_t expires_at, int64_t *id, struct errinfo *ei);
/* A live token (not revoked, not expired at now) and its user;
 * ERR_NOTFOUND otherwise. */
int store_token_lookup(struct store_conn *c, struct arena *a,
		       const char *token_hash, int64_t now,
		       struct api_token *t, struct user *u, struct errinfo *ei);
int store_token_touch(struct store_conn *c, int64_t id, int64_t now,
		      struct errinfo *ei);
/* Tokens of one user (0: everyone's), newest first. */
int store_token_list(struct store_conn *c, struct arena *a, int64_t user_id,
		     struct api_token **out, size_t *n, struct errinfo *ei);
/* Revokes token id; when user_id is not 0 only that user's token.
 * ERR_NOTFOUND when there is no such live token. */
int store_token_revoke(struct store_conn *c, int64_t id, int64_t user_id,
		       int64_t now, struct errinfo *ei);

/* --- sign-in throttling ------------------------------------------------ */

/* Failures recorded for key and when the last one was (0, 0 if none). */
int store_throttle_get(struct store_conn *c, const char *key,
		       int64_t *failures, int64_t *last_at,
		       struct errinfo *ei);
/* Counts one more failure at now; failures older than `window` seconds
 * are forgotten first. */
int store_throttle_fail(struct store_conn *c, const char *key, int64_t now,
			int64_t window, struct errinfo *ei);
int store_throttle_clear(struct store_conn *c, const char *key,
			 struct errinfo *ei);

#endif
